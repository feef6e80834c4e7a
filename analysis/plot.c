/*
 * analysis/plot.c - charts of a result file, drawn by gnuplot (see plot.h):
 * reading what the charts need, the chart table, and drawing each chart in
 * a private directory.
 *
 * For each chart of the chart table (analysis/charts.def), gpuplan writes a
 * gnuplot script and its data files into a private directory made with
 * mkdtemp inside the output directory, runs gnuplot there
 * (analysis/gnuplot.c), and renames the finished chart into the output
 * directory.  The scripts are written by the drawing functions of
 * analysis/chart_*.c from the pieces of analysis/plot_script.c.
 *
 * Invariants:
 *  - Everything is read (analysis/reader) before the output directory is
 *    made, so that a file refused leaves nothing behind.
 *  - The private directory and everything in it are removed before
 *    gp_plot_write returns, whatever happened.
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

#define INSTALL_HINT GP_GNUPLOT_INSTALL

/* ---- the chart table ---- */

const gp_chart gp_plot_charts[] = {
#define GP_CHART(name, what, caption, detail) {#name, what, caption, detail},
#include "analysis/charts.def"
#undef GP_CHART
};
const size_t gp_plot_ncharts = sizeof gp_plot_charts / sizeof gp_plot_charts[0];

/* The drawing function of each chart, in the same order. */
static int (*const chart_draw[])(plot_ctx *c, FILE *g, gp_err *err) = {
#define GP_CHART(name, what, caption, detail) chart_##name,
#include "analysis/charts.def"
#undef GP_CHART
};

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

/* mkdir -p PATH. */
static int make_dirs(const char *path, gp_err *err) {
  char *p = strdup(path);
  if (!p) return GP_ERR_NOMEM(err);
  int rc = 0;
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s != '\0') continue;
    char c = *s;
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
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
  if (!(c->pol = calloc(r->np, sizeof *c->pol))) return GP_ERR_NOMEM(err);
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

static int draw(plot_ctx *c, size_t k, FILE *list, gp_err *err) {
  const gp_chart *ch = &gp_plot_charts[k];
  char script[64];
  snprintf(script, sizeof script, "%s.gp", ch->name);
  FILE *g = plot_tmp_open(c, script, err);
  if (!g) return -1;
  int rc = ch->detail && !plot_max_detail(c) ? no_detail(c, ch, g, err) : chart_draw[k](c, g, err);
  if (rc) {
    fclose(g);
    return -1;
  }
  if (plot_tmp_close(c, g, script, err) || gp_gnuplot_run(c->gnuplot, c->tmp, ch->name, c->ext, err))
    return -1;
  char *from = gp_strf("%s/%s.%s", c->tmp, ch->name, c->ext);
  char *to = gp_strf("%s/%s.%s", c->dir, ch->name, c->ext);
  struct stat st;
  if (!from || !to)
    rc = GP_ERR_NOMEM(err);
  else if (stat(from, &st) != 0 || st.st_size == 0)
    rc = GP_ERR(err, GP_EX_SOFTWARE, "gnuplot wrote no %s.%s", ch->name, c->ext);
  else if (rename(from, to) != 0)
    rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", to, strerror(errno));
  else if (list)
    fprintf(list, "%s\n", to);
  free(from);
  free(to);
  return rc;
}

int gp_plot_write(const char *path, const gp_plot_opts *o, gp_err *err) {
  if (o->format && strcmp(o->format, "png") != 0 && strcmp(o->format, "svg") != 0 &&
      strcmp(o->format, "pdf") != 0)
    return GP_ERR(err, GP_EX_USAGE, "unknown format \"%s\" (png, svg or pdf)", o->format);
  gp_reader *r = gp_reader_open(path, o->point, err);
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
  if (load(&c, err) || !(c.gnuplot = gp_gnuplot_find(err))) goto done;
  if (o->dir) {
    c.dir = strdup(o->dir);
  } else {
    size_t n = strlen(r->path);
    if (n > 3 && strcmp(r->path + n - 3, ".h5") == 0) n -= 3;
    c.dir = gp_strf("%.*s-charts", (int)n, r->path);
  }
  if (!c.dir) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (make_dirs(c.dir, err)) goto done;
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
  for (size_t k = 0; k < gp_plot_ncharts && !rc; k++) rc = draw(&c, k, o->list, err);
done:
  tmp_remove(&c);
  free(c.tmp);
  free(c.dir);
  free(c.gnuplot);
  free(c.label);
  policies_free(&c);
  return rc;
}
