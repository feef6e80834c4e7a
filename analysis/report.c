/*
 * analysis/report.c - a result file as one self-contained HTML page (see
 * report.h): reading it and computing what the page says, the rows of
 * metrics, the charts, and the files.  The sections of the page are
 * written by report_page.c, report_tables.c and report_verdicts.c (see
 * report_int.h).
 *
 * Invariants:
 *  - Everything is read (analysis/reader) and computed before anything is
 *    written, so that a file refused leaves nothing behind.
 *  - Charts are gnuplot's SVG (drawn by gp_plot_draw, one per line of the
 *    chart table analysis/charts.def, captioned from it), inlined only after
 *    gp_svg_inline has re-emitted them token by token (analysis/svg.h).
 *  - Everything is written inside a private directory (mkdtemp) beside the
 *    output; the page is renamed onto the output once complete, flushed and
 *    synced; the directory and what is left in it are removed before
 *    gp_report_write returns, whatever happened.
 *  - SIGINT and SIGTERM (sim/interrupt.h) stop the reading and the charts
 *    (see plot.c), and are looked at once more just before the rename:
 *    the page appears complete or not at all.
 *  - Which metrics the page shows, in what order, with which label, unit,
 *    scale, phrase, verbs and direction, is the metric catalogue's
 *    (models/results/metrics.c): the report holds no list of metrics.
 */
#include "analysis/report_int.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/plot.h"
#include "analysis/svg.h"
#include "analysis/text.h"
#include "sim/interrupt.h"
#include "sim/stats.h"

/* ---- days to GPUs by sector ---- */

static gp_stat_row stat_row(gp_ci ci) {
  gp_stat_row r = {0, (int32_t)ci.n, ci.mean, ci.sd, ci.half, ci.mean - ci.half, ci.mean + ci.half};
  return r;
}

/* Days to GPUs per detailed replication and sector, as the summary counts
 * them: proposals submitted in the measured window that started. */
static int ttg_compute(report *c, report_policy *p) {
  size_t nd = c->nd;
  p->ttg_rep = malloc((nd ? nd : 1) * GP_NSECTORS * sizeof *p->ttg_rep);
  double *sum = calloc((nd ? nd : 1) * GP_NSECTORS, sizeof *sum);
  size_t *n = calloc((nd ? nd : 1) * GP_NSECTORS, sizeof *n);
  if (!p->ttg_rep || !sum || !n) {
    free(sum), free(n);
    return GP_ERR_NOMEM(c->err);
  }
  double from = isfinite(c->r->measure_from) ? c->r->measure_from : -INFINITY;
  for (size_t i = 0; i < p->nprop; i++) {
    const gp_reader_start *q = &p->prop[i];
    if (q->rep < 0 || (size_t)q->rep >= nd || q->sector < 0 || q->sector >= GP_NSECTORS) continue;
    /* NaN (never started) is not >= 0 */
    if (q->submitted < from || !(q->started >= 0) || q->started < q->submitted) continue;
    size_t k = (size_t)q->rep * GP_NSECTORS + (size_t)q->sector;
    sum[k] += q->started - q->submitted;
    n[k]++;
  }
  for (size_t k = 0; k < nd * GP_NSECTORS; k++) p->ttg_rep[k] = n[k] ? sum[k] / (double)n[k] : NAN;
  free(sum), free(n);
  for (int s = 0; s < GP_NSECTORS; s++)
    p->ttg[s] = stat_row(gp_stats_ci(p->ttg_rep + s, nd, GP_NSECTORS, 0.95));
  return 0;
}

static int ttg_pair(report *c, report_policy *p) {
  const report_policy *b = &c->pol[0];
  double *d = malloc((c->nd ? c->nd : 1) * sizeof *d);
  if (!d) return GP_ERR_NOMEM(c->err);
  for (int s = 0; s < GP_NSECTORS; s++) {
    size_t n = 0;
    for (size_t r = 0; r < c->nd; r++) {
      double x = p->ttg_rep[r * GP_NSECTORS + (size_t)s] - b->ttg_rep[r * GP_NSECTORS + (size_t)s];
      if (!isnan(x)) d[n++] = x;
    }
    p->ttg_diff[s] = stat_row(gp_stats_ci(d, n, 1, 0.95));
  }
  free(d);
  return 0;
}

/* ---- the rows ---- */

static int shown(const gp_metric_view *v) { return (v->where & GP_SHOW_REPORT) != 0; }

/* 1 when part V's breakdown has its own row to follow (its group is shown). */
static int follows_group(const gp_metric_view *v) {
  int g = v->group ? gp_stat_index(v->group) : -1;
  return g >= 0 && shown(gp_stat_field(g)->view);
}

static void add_row(report *c, int k, int sector, int ttg) {
  report_row *row = &c->rows[c->nrows++];
  row->k = k, row->sector = sector, row->ttg = ttg;
  if (ttg)
    snprintf(row->id, sizeof row->id, "days_to_gpu_%s", gp_sector_names[sector]);
  else
    snprintf(row->id, sizeof row->id, "%s", gp_stat_field(k)->name);
}

/* The rows in page order: the catalogue's table order (gp_stat_shown_order),
 * each breakdown right after the metric it breaks down. */
static int make_rows(report *c) {
  int nm = gp_stat_count();
  int *order = malloc((size_t)(nm ? nm : 1) * sizeof *order);
  if (!order || !(c->rows = calloc((size_t)nm + GP_NSECTORS, sizeof *c->rows))) {
    free(order);
    return GP_ERR_NOMEM(c->err);
  }
  gp_stat_shown_order(order);
  for (int i = 0; i < nm; i++) {
    int k = order[i];
    const gp_metric_view *v = gp_stat_field(k)->view;
    if (!shown(v) || (v->group && follows_group(v))) continue;
    add_row(c, k, v->group ? v->sector : -1, 0);
    if (v->group) continue;
    const char *name = gp_stat_field(k)->name;
    for (int j = 0; j < nm; j++) {
      const gp_metric_view *part = gp_stat_field(j)->view;
      if (shown(part) && part->group && strcmp(part->group, name) == 0)
        add_row(c, j, part->sector, 0);
    }
    if (strcmp(name, REPORT_TTG) == 0 && c->nd)
      for (int s = 0; s < GP_NSECTORS; s++) add_row(c, k, s, 1);
  }
  free(order);
  return 0;
}

const gp_metric_view *report_view(const report_row *row) { return gp_stat_field(row->k)->view; }

const gp_stat_row *report_stat(const report *c, size_t i, const report_row *row, int paired) {
  const report_policy *p = &c->pol[i];
  if (row->ttg) return paired ? &p->ttg_diff[row->sector] : &p->ttg[row->sector];
  return paired ? &p->diff[row->k] : &p->st[row->k];
}

const char *report_label(const report_row *row) {
  if (row->ttg) return gp_sector_names[row->sector];
  const char *l = report_view(row)->label;
  return l + strspn(l, " ");
}

/* ---- reading the file ---- */

/* A string of a JSON object, or NULL. */
static const char *json_string(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static int load(report *c) {
  gp_reader *r = c->r;
  if (r->sens) return gp_reader_sensitivity(r, &c->sens, c->err);
  c->note = json_string(r->scenario, "note");
  const cJSON *road = cJSON_GetObjectItemCaseSensitive(r->scenario, "roadmap");
  c->target_note = json_string(cJSON_GetObjectItemCaseSensitive(road, "target"), "note");
  if (gp_reader_roadmap(r, &c->road, &c->nroad, c->risk, c->err) ||
      gp_reader_roadmap_plan(r, &c->plan, c->err))
    return -1;
  /* Risk when the file gives the probability and its interval; the
   * quantiles are NaN when the target is not reached by the end. */
  c->has_risk = c->road != NULL;
  for (int i = 0; i < 3; i++)
    if (!isfinite(c->risk[i])) c->has_risk = 0;
  if (!(c->pol = calloc(r->np, sizeof *c->pol)) || !(c->stats = gp_reader_stats(r, 0, 0, c->err)) ||
      !(c->diffs = gp_reader_stats(r, 1, 0, c->err)))
    return c->err->code ? -1 : GP_ERR_NOMEM(c->err);
  size_t nm = (size_t)gp_stat_count();
  for (size_t i = 0; i < r->np; i++) {
    report_policy *p = &c->pol[i];
    p->st = c->stats + i * nm;
    p->diff = c->diffs + i * nm;
    if (!(p->prop = gp_reader_starts(r, i, &p->nprop, c->err))) return -1;
  }
  /* Detailed replications: the first detail_replications (older files: as
   * many as the proposals show). */
  size_t nd = 0;
  if (isfinite(r->detail) && r->detail >= 0) {
    nd = r->detail < (double)r->nreps ? (size_t)r->detail : r->nreps;
  } else {
    for (size_t i = 0; i < r->np; i++)
      for (size_t k = 0; k < c->pol[i].nprop; k++)
        if (c->pol[i].prop[k].rep >= 0 && (size_t)c->pol[i].prop[k].rep + 1 > nd)
          nd = (size_t)c->pol[i].prop[k].rep + 1;
    if (nd > r->nreps) nd = r->nreps;
  }
  c->nd = nd;
  for (size_t i = 0; i < r->np; i++)
    if (ttg_compute(c, &c->pol[i])) return -1;
  for (size_t i = 0; i < r->np; i++)
    if (ttg_pair(c, &c->pol[i])) return -1;
  return make_rows(c) ? -1 : report_holm(c);
}

/* ---- charts ---- */

/* The contents of file PATH, malloc'd, with *LEN. */
static char *slurp(report *c, const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    GP_ERR(c->err, GP_EX_IOERR, "%s: cannot read: %s", path, strerror(errno));
    return NULL;
  }
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? 2 * cap : 1 << 16;
      char *b = realloc(buf, cap);
      if (!b) {
        free(buf);
        fclose(f);
        GP_ERR_NOMEM(c->err);
        return NULL;
      }
      buf = b;
    }
    size_t k = fread(buf + n, 1, cap - n, f);
    n += k;
    if (k == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    GP_ERR(c->err, GP_EX_IOERR, "%s: read error", path);
    return NULL;
  }
  *len = n;
  return buf;
}

int report_charts(report *c) {
  FILE *o = c->o;
  fputs("<section id=\"charts\">\n<h2>Charts</h2>\n", o);
  if (c->nd == 0 && !c->r->sens)
    fputs("<p class=\"muted\">The file has no detailed replications: the charts over time say "
          "so (run with --detail K).</p>\n",
          o);
  for (size_t k = 0; k < gp_plot_ncharts; k++) {
    const gp_chart *ch = &gp_plot_charts[k];
    if (!gp_plot_chart_drawn(c->r, k)) continue;
    char *path = gp_strf("%s/%s.svg", c->priv, ch->name);
    if (!path) return GP_ERR_NOMEM(c->err);
    size_t len = 0;
    char *svg = slurp(c, path, &len);
    free(path);
    if (!svg) return -1;
    char prefix[80], why[128];
    snprintf(prefix, sizeof prefix, "chart-%zu-", k);
    fprintf(o, "<figure id=\"chart-%s\">\n", ch->name);
    int rc = gp_svg_inline(o, svg, len, prefix, ch->caption, why, sizeof why);
    free(svg);
    if (rc == -2) return GP_ERR_NOMEM(c->err);
    if (rc)
      return GP_ERR(c->err, GP_EX_SOFTWARE,
                    "%s: gnuplot's SVG of chart %s has %s; not put in the report", c->file,
                    ch->name, why);
    fputs("\n<figcaption>", o);
    gp_html_text(o, ch->caption);
    fputs("</figcaption>\n</figure>\n", o);
  }
  fputs("</section>\n", o);
  return 0;
}

/* ---- files ---- */

/* Remove the private directory and what is in it (all of it ours). */
static void priv_remove(report *c) {
  if (!c->priv) return;
  DIR *d = opendir(c->priv);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char *p = gp_strf("%s/%s", c->priv, e->d_name);
      if (p) unlink(p);
      free(p);
    }
    closedir(d);
  }
  rmdir(c->priv);
}

/* The private directory beside OUT. */
static int priv_make(report *c, const char *out) {
  struct stat st;
  if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
    return GP_ERR(c->err, GP_EX_CANTCREAT, "%s: is a directory", out);
  size_t n = strlen(out);
  if (n == 0 || out[n - 1] == '/')
    return GP_ERR(c->err, GP_EX_CANTCREAT, "%s: not a file name", out);
  const char *slash = strrchr(out, '/');
  char *dir = slash ? gp_strf("%.*s", (int)(slash == out ? 1 : slash - out), out) : strdup(".");
  if (!dir) return GP_ERR_NOMEM(c->err);
  char *tmpl = gp_strf("%s/.gpuplan-report-XXXXXX", dir);
  if (!tmpl) {
    free(dir);
    return GP_ERR_NOMEM(c->err);
  }
  if (!mkdtemp(tmpl)) {
    GP_ERR(c->err, GP_EX_CANTCREAT, "%s: cannot create the report in %s: %s", out, dir,
           strerror(errno));
    free(tmpl);
    free(dir);
    return -1;
  }
  free(dir);
  c->priv = tmpl;
  return 0;
}

static int write_page(report *c, const char *out) {
  if (!(c->page = gp_strf("%s/report.html", c->priv))) return GP_ERR_NOMEM(c->err);
  if (!(c->o = fopen(c->page, "w")))
    return GP_ERR(c->err, GP_EX_CANTCREAT, "%s: cannot create: %s", c->page, strerror(errno));
  report_head(c);
  report_header(c);
  int rc = 0;
  if (c->r->sens) {
    rc = report_sensitivity(c);
  } else {
    report_roadmap(c);
    report_policies(c);
    report_comparison(c);
    report_verdicts(c);
    rc = report_kpi(c);
    if (!rc) rc = report_drivers(c);
  }
  if (!rc) rc = report_charts(c);
  if (!rc) {
    report_assumptions(c);
    report_run(c);
    report_footer(c);
  }
  int bad = ferror(c->o) || fflush(c->o) != 0 || fsync(fileno(c->o)) != 0;
  int e = errno;
  if (fclose(c->o) != 0 && !bad) bad = 1, e = errno;
  c->o = NULL;
  if (rc) return -1;
  if (bad) return GP_ERR(c->err, GP_EX_IOERR, "%s: write error: %s", out, strerror(e));
  int sig = (int)gp_interrupted; /* the last moment to stop with nothing written */
  if (sig)
    return GP_ERR(c->err, GP_EX_SIGNAL + sig, "interrupted by signal %d; nothing written", sig);
  if (rename(c->page, out) != 0)
    return GP_ERR(c->err, GP_EX_CANTCREAT, "%s: cannot create: %s", out, strerror(errno));
  return 0;
}

static void report_free(report *c) {
  for (size_t i = 0; c->pol && i < c->r->np; i++) {
    free(c->pol[i].prop);
    free(c->pol[i].ttg_rep);
  }
  free(c->pol);
  free(c->stats);
  free(c->diffs);
  free(c->holm);
  free(c->rows);
  free(c->road);
  gp_reader_sens_free(&c->sens);
  gp_reader_plan_free(&c->plan);
  free(c->page);
  free(c->priv);
  gp_reader_close(c->r);
}

char *gp_report_default_page(const char *path) {
  size_t n = strlen(path);
  if (n > 3 && strcmp(path + n - 3, ".h5") == 0) n -= 3;
  return gp_strf("%.*s.html", (int)n, path);
}

int gp_report_write(const char *path, const gp_report_opts *o, gp_err *err) {
  report c;
  memset(&c, 0, sizeof c);
  c.file = path;
  c.err = err;
  char *out = o->out ? strdup(o->out) : gp_report_default_page(path);
  if (!out) return GP_ERR_NOMEM(err);
  int rc = -1;
  if (!(c.r = gp_reader_open_any(path, o->point, err)) || load(&c)) goto done;
  struct stat si, so;
  if (stat(path, &si) == 0 && stat(out, &so) == 0 && si.st_dev == so.st_dev &&
      si.st_ino == so.st_ino) {
    GP_ERR(err, GP_EX_USAGE, "%s: the report would overwrite the result file", out);
    goto done;
  }
  gp_plot_opts po = {c.priv, "svg", -1, NULL};
  if (priv_make(&c, out)) goto done;
  po.dir = c.priv;
  if (gp_plot_draw(c.r, &po, err) || write_page(&c, out)) goto done;
  rc = 0;
done:
  if (c.o) fclose(c.o);
  priv_remove(&c);
  report_free(&c);
  free(out);
  return rc;
}
