/*
 * analysis/plot.c - charts of a result file, drawn by gnuplot (see plot.h):
 * reading what the charts need, the chart table, and drawing each chart in
 * a private directory.
 *
 * For each chart of the chart table (analysis/charts.def), gpuplan writes a
 * gnuplot script and its data files into a private directory made with
 * mkdtemp inside the output directory and runs gnuplot there
 * (analysis/gnuplot.c).  Once every chart is drawn, all are renamed into
 * the output directory, and only then are their paths listed.  The scripts
 * are written by the drawing functions of analysis/chart_*.c from the
 * pieces of analysis/plot_script.c.
 *
 * Invariants:
 *  - Everything is read (analysis/reader) before the output directory is
 *    made, so that a file refused leaves nothing behind.
 *  - All or nothing: a chart reaches the output directory only when every
 *    chart has been drawn; a failure (a full disk, gnuplot refusing) or a
 *    signal before that leaves the output directory as it was, and removes
 *    the directories this call made.  (Only a rename failing halfway, in a
 *    directory just written to, could leave some charts new and some old;
 *    the message then names the chart.)
 *  - The private directory and everything in it are removed before
 *    gp_plot_write returns, whatever happened.
 *  - SIGINT and SIGTERM (sim/interrupt.h) are honoured between charts and
 *    while gnuplot runs (it is killed): the call returns GP_EX_SIGNAL + N.
 *  - The list of charts is printed after they are all in place: a reader
 *    that closes the pipe (SIGPIPE) cannot leave half a plot behind.
 */
#include "analysis/plot.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/gnuplot.h"
#include "analysis/plot_int.h"
#include "analysis/text.h"
#include "sim/escape.h"
#include "sim/interrupt.h"

#define INSTALL_HINT GP_GNUPLOT_INSTALL

/* ---- the chart table ---- */

const gp_chart gp_plot_charts[] = {
#define GP_CHART(name, what, caption, needs) {#name, what, caption, needs},
#include "analysis/charts.def"
#undef GP_CHART
};
const size_t gp_plot_ncharts = sizeof gp_plot_charts / sizeof gp_plot_charts[0];

/* The drawing function of each chart, in the same order. */
static int (*const chart_draw[])(plot_ctx *c, FILE *g, gp_err *err) = {
#define GP_CHART(name, what, caption, needs) chart_##name,
#include "analysis/charts.def"
#undef GP_CHART
};

int gp_plot_chart_drawn(const gp_reader *r, size_t k) {
  int needs = gp_plot_charts[k].needs;
  if (r->sens) return needs == GP_CHART_SENSITIVITY;
  if (r->calib) return needs == GP_CHART_CALIBRATION;
  if (needs == GP_CHART_SENSITIVITY || needs == GP_CHART_CALIBRATION) return 0;
  return needs != GP_CHART_UNCERTAIN || r->uncertain;
}

/* ---- the private directory ---- */

/* Remove the private directory and what is in it (all of it ours). */
static void tmp_remove(plot_ctx *c) {
  if (!c->tmp) return;
  DIR *d = opendir(c->tmp);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char *p = gp_strf("%s/%s", c->tmp, e->d_name);
      if (p) unlink(p);
      free(p);
    }
    closedir(d);
  }
  rmdir(c->tmp);
}

/* mkdir -p PATH; *MADE gets the length of the prefix of PATH naming the
 * first directory this call made (0 when it made none), for unmake_dirs. */
static int make_dirs(const char *path, size_t *made, gp_err *err) {
  *made = 0;
  char *p = strdup(path);
  if (!p) return GP_ERR_NOMEM(err);
  int rc = 0;
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s != '\0') continue;
    char c = *s;
    *s = '\0';
    if (mkdir(p, 0777) == 0) {
      if (!*made) *made = (size_t)(s - p);
    } else if (errno != EEXIST) {
      rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create directory: %s", p, strerror(errno));
      break;
    }
    *s = c;
    if (!c) break;
  }
  struct stat st;
  if (!rc && stat(path, &st) != 0)
    rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create directory: %s", path, strerror(errno));
  else if (!rc && !S_ISDIR(st.st_mode))
    rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: exists and is not a directory", path);
  free(p);
  return rc;
}

/* Remove the directories make_dirs made for PATH (when they are empty:
 * never anything but ours), deepest first. */
static void unmake_dirs(const char *path, size_t made) {
  if (!made) return;
  char *p = strdup(path);
  if (!p) return;
  for (size_t n = strlen(p); n >= made; n--) {
    if (p[n] != '/' && p[n] != '\0') continue;
    p[n] = '\0';
    if (rmdir(p) != 0) break;
    if (n == made) break;
  }
  free(p);
}

char *gp_plot_default_dir(const char *path) {
  size_t n = strlen(path);
  if (n > 3 && strcmp(path + n - 3, ".h5") == 0) n -= 3;
  return gp_strf("%.*s-charts", (int)n, path);
}

/* ---- reading the file ---- */

/* Policy I's proposals and time series (the summaries are the reader's). */
static int load_policy(plot_ctx *c, size_t i, gp_err *err) {
  plot_policy *p = &c->pol[i];
  const gp_reader_policy *rp = &c->r->pol[i];
  p->name = rp->name;
  p->sum = rp->sum;
  if (!(p->shown = plot_cut(p->name, PLOT_NAME_CHARS))) return GP_ERR_NOMEM(err);
  if (!(p->prop = gp_reader_starts(c->r, i, &p->nprop, err))) return -1;
  gp_reader_series ts;
  if (gp_reader_series_open(c->r, i, &ts, err)) return -1;
  int rc = 0;
  for (int v = 0; v < GP_NTS && !rc; v++) {
    int k = gp_reader_series_find(&ts, gp_ts_names[v]);
    if (k < 0 && v >= GP_TS_POWER_MW) continue; /* a file written before power: none */
    if (k < 0)
      rc = GP_ERR(err, GP_EX_DATAERR, "%s: %s/policies/%s/timeseries/%s not found", c->r->path,
                  c->r->base, p->name, gp_ts_names[v]);
    else if (!(p->ts[v] = gp_reader_series_read(c->r, i, &ts, (size_t)k, NULL, err)))
      rc = -1;
  }
  /* The sample times move from the listing to the policy. */
  p->time = ts.time, p->ns = ts.ns, p->nd = ts.nrep;
  ts.time = NULL;
  gp_reader_series_free(&ts);
  return rc;
}

static int load(plot_ctx *c, gp_err *err) {
  gp_reader *r = c->r;
  char *name = plot_cut(r->name, PLOT_NAME_CHARS);
  if (!name) return GP_ERR_NOMEM(err);
  c->label = r->npoints ? gp_strf("%s, sweep point %d (0 to %d)", name, r->point, r->npoints - 1)
                        : strdup(name);
  free(name);
  if (!c->label) return GP_ERR_NOMEM(err);
  c->nreps = r->nreps;
  if (!(c->pol = calloc(r->np ? r->np : 1, sizeof *c->pol))) return GP_ERR_NOMEM(err);
  c->np = r->np;
  for (size_t i = 0; i < c->np; i++)
    if (load_policy(c, i, err)) return -1;
  /* The time axis: every sample, and the target date. */
  c->t0 = INFINITY, c->t1 = -INFINITY;
  for (size_t i = 0; i < c->np; i++)
    if (c->pol[i].ns) {
      c->t0 = fmin(c->t0, c->pol[i].time[0]);
      c->t1 = fmax(c->t1, c->pol[i].time[c->pol[i].ns - 1]);
    }
  if (!isfinite(c->t0)) c->t0 = 0, c->t1 = 365;
  if (isfinite(r->target_t)) c->t0 = fmin(c->t0, r->target_t), c->t1 = fmax(c->t1, r->target_t);
  if (c->t1 <= c->t0) c->t1 = c->t0 + 30;
  return 0;
}

static void policies_free(plot_ctx *c) {
  for (size_t i = 0; i < c->np; i++) {
    plot_policy *p = &c->pol[i];
    free(p->shown);
    free(p->time);
    for (int v = 0; v < GP_NTS; v++) free(p->ts[v]);
    free(p->prop);
  }
  free(c->pol);
}

/* ---- drawing ---- */

/* A chart that says it has nothing to show. */
static int no_detail(plot_ctx *c, const gp_chart *ch, FILE *g, gp_err *err) {
  char *t = gp_strf("%s: %s", c->label, ch->what);
  if (!t) return GP_ERR_NOMEM(err);
  plot_preamble(c, g, ch->name, 1000, 600);
  plot_message_panel(g, t, PLOT_NO_DETAIL);
  free(t);
  return 0;
}

/* GP_EX_SIGNAL + N once signal N asked the command to stop. */
static int stopped(gp_err *err) {
  int sig = (int)gp_interrupted;
  return sig ? GP_ERR(err, GP_EX_SIGNAL + sig, "interrupted by signal %d; nothing written", sig)
             : 0;
}

/* Draw chart K in the private directory. */
static int draw(plot_ctx *c, size_t k, gp_err *err) {
  const gp_chart *ch = &gp_plot_charts[k];
  char script[64];
  snprintf(script, sizeof script, "%s.gp", ch->name);
  FILE *g = plot_tmp_open(c, script, err);
  if (!g) return -1;
  int rc = ch->needs == GP_CHART_DETAIL && !plot_max_detail(c) ? no_detail(c, ch, g, err) : chart_draw[k](c, g, err);
  if (rc) {
    fclose(g);
    return -1;
  }
  if (plot_tmp_close(c, g, script, err) || gp_gnuplot_run(c->gnuplot, c->tmp, ch->name, c->ext, err))
    return -1;
  char *from = gp_strf("%s/%s.%s", c->tmp, ch->name, c->ext);
  struct stat st;
  if (!from)
    rc = GP_ERR_NOMEM(err);
  else if (stat(from, &st) != 0 || st.st_size == 0)
    rc = GP_ERR(err, GP_EX_SOFTWARE, "gnuplot wrote no %s.%s", ch->name, c->ext);
  free(from);
  return rc;
}

/* Every chart drawn: move them all into the output directory, then list
 * them on LIST. */
static int publish(plot_ctx *c, FILE *list, gp_err *err) {
  char **to = calloc(gp_plot_ncharts, sizeof *to);
  if (!to) return GP_ERR_NOMEM(err);
  int rc = 0;
  struct stat st;
  for (size_t k = 0; k < gp_plot_ncharts && !rc; k++) {
    if (!gp_plot_chart_drawn(c->r, k)) continue;
    to[k] = gp_strf("%s/%s.%s", c->dir, gp_plot_charts[k].name, c->ext);
    if (!to[k]) rc = GP_ERR_NOMEM(err);
    else if (stat(to[k], &st) == 0 && S_ISDIR(st.st_mode)) /* rename would fail halfway */
      rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", to[k], strerror(EISDIR));
  }
  if (!rc) rc = stopped(err);
  for (size_t k = 0; k < gp_plot_ncharts && !rc; k++) {
    if (!to[k]) continue;
    char *from = gp_strf("%s/%s.%s", c->tmp, gp_plot_charts[k].name, c->ext);
    if (!from) rc = GP_ERR_NOMEM(err);
    else if (rename(from, to[k]) != 0)
      rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", to[k], strerror(errno));
    free(from);
  }
  for (size_t k = 0; k < gp_plot_ncharts && !rc && list; k++) {
    if (!to[k]) continue;
    gp_escape_fputs(to[k], list);
    fputc('\n', list);
  }
  for (size_t k = 0; k < gp_plot_ncharts; k++) free(to[k]);
  free(to);
  return rc;
}

int gp_plot_write(const char *path, const gp_plot_opts *o, gp_err *err) {
  if (o->format && strcmp(o->format, "png") != 0 && strcmp(o->format, "svg") != 0 &&
      strcmp(o->format, "pdf") != 0)
    return GP_ERR(err, GP_EX_USAGE, "unknown format \"%s\" (png, svg or pdf)", o->format);
  gp_reader *r = gp_reader_open_any(path, o->point, err);
  if (!r) return -1;
  int rc = gp_plot_draw(r, o, err);
  gp_reader_close(r);
  return rc;
}

int gp_plot_draw(gp_reader *r, const gp_plot_opts *o, gp_err *err) {
  plot_ctx c;
  memset(&c, 0, sizeof c);
  c.r = r;
  c.ext = o->format ? o->format : "png";
  if (strcmp(c.ext, "png") != 0 && strcmp(c.ext, "svg") != 0 && strcmp(c.ext, "pdf") != 0)
    return GP_ERR(err, GP_EX_USAGE, "unknown format \"%s\" (png, svg or pdf)", c.ext);
  int rc = -1;
  size_t made = 0;
  if (load(&c, err) || stopped(err) || !(c.gnuplot = gp_gnuplot_find(err))) goto done;
  if (!(c.dir = o->dir ? strdup(o->dir) : gp_plot_default_dir(r->path))) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (make_dirs(c.dir, &made, err)) goto done;
  char *tmpl = gp_strf("%s/.gpuplan-plot-XXXXXX", c.dir);
  if (!tmpl) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (!mkdtemp(tmpl)) {
    GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create a file there: %s", c.dir, strerror(errno));
    free(tmpl);
    goto done;
  }
  c.tmp = tmpl;
  rc = 0;
  for (size_t k = 0; k < gp_plot_ncharts && !rc; k++)
    if (gp_plot_chart_drawn(r, k) && !(rc = stopped(err))) rc = draw(&c, k, err);
  if (!rc) rc = publish(&c, o->list, err);
done:
  tmp_remove(&c);
  if (rc && c.dir) unmake_dirs(c.dir, made);
  free(c.tmp);
  free(c.dir);
  free(c.gnuplot);
  free(c.label);
  policies_free(&c);
  return rc;
}
