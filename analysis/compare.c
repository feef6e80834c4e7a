/*
 * analysis/compare.c - paired comparison of the policies in a result file
 * (see compare.h).
 *
 * Statistics are recomputed from the summaries (gp_reader_stats), so the
 * table is the same as the file's /stats and /compare groups by
 * construction.  Which metrics are shown (GP_SHOW_RUN; every one with
 * --all), their unit, scale and decimals come from the metric catalogue
 * (models/results/metrics.c); a row is named by the metric's field name, as
 * in the file and the CSV export.  Names from the file are printed escaped
 * (sim/escape.h).  Differences get more decimals than the
 * catalogue's when their interval needs them, so that no interval reads as
 * [+0.0, +0.0] unless it is.
 */
#include "analysis/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/format.h"
#include "analysis/reader.h"
#include "sim/escape.h"
#include "sim/interrupt.h"

/* The row title: the field, and the unit shown when it is not the field's
 * own (a rate in %, money in bn KRW). */
static void title_of(char *b, size_t n, const gp_field *f) {
  const gp_metric_view *v = f->view;
  if (v->scale != 1 || strcmp(v->shown, f->unit) != 0)
    snprintf(b, n, "%s (%s)", f->name, v->shown);
  else
    snprintf(b, n, "%s", f->name);
}

static void cell_ci(char *b, size_t n, const gp_stat_row *r, double k, int d) {
  if (r->n == 0) snprintf(b, n, "-");
  else if (isnan(r->half_width)) snprintf(b, n, "%.*f", d, r->mean * k);
  else snprintf(b, n, "%.*f ± %.*f", d, r->mean * k, d, r->half_width * k);
}

static void cell_diff(char *b, size_t n, const gp_stat_row *r, double k, int d) {
  if (r->n == 0) snprintf(b, n, "-");
  else if (isnan(r->half_width)) snprintf(b, n, "%+.*f", d, r->mean * k);
  else {
    int sig = r->lo > 0 || r->hi < 0;
    snprintf(b, n, "%+.*f [%+.*f, %+.*f]%s", d, r->mean * k, d, r->lo * k, d, r->hi * k,
             sig ? " *" : "");
  }
}

/* The decimals of a row of differences: the catalogue's, or as many as the
 * narrowest interval of the row needs to show two significant digits. */
static int diff_decimals(const gp_stat_row *rows, size_t stride, size_t np, size_t base,
                         const gp_metric_view *v) {
  double narrowest = INFINITY;
  for (size_t p = 0; p < np; p++) {
    double h = fabs(rows[p * stride].half_width * v->scale);
    if (p != base && rows[p * stride].n && h > 0 && h < narrowest) narrowest = h;
  }
  return gp_fmt_metric_decimals(v, isfinite(narrowest) ? narrowest : 0);
}

static int shown(const gp_field *f, int all) { return all || (f->view->where & GP_SHOW_RUN); }

int gp_compare_print(FILE *f, const char *path, const gp_compare_opts *o, gp_err *err) {
  gp_reader *r = gp_reader_open(path, o->point, err);
  if (!r) return -1;
  int rc = -1, nm = gp_stat_count();
  gp_stat_row *stats = NULL, *diff = NULL;
  size_t base = 0, np = r->np;
  char **name = NULL; /* the policies' names, escaped; then the file's title and its path */
  if (o->baseline) {
    int b = gp_reader_policy_index(r, o->baseline);
    if (b < 0) {
      char list[512] = "";
      for (size_t i = 0, len = 0; i < np && len < sizeof list - 64; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                r->pol[i].name);
      GP_ERR(err, GP_EX_USAGE, "%s: no policy \"%s\" (the file has: %s)", path, o->baseline, list);
      goto done;
    }
    base = (size_t)b;
  }
  if (!(stats = gp_reader_stats(r, 0, 0, err)) || !(diff = gp_reader_stats(r, 1, base, err)))
    goto done;
  if (gp_interrupted) { /* SIGINT or SIGTERM while reading: print nothing */
    GP_ERR(err, GP_EX_SIGNAL + gp_interrupted, "interrupted by signal %d", (int)gp_interrupted);
    goto done;
  }
  /* Names from the file, and its path, are printed escaped (sim/escape.h). */
  if (!(name = calloc(np + 2, sizeof *name))) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  /* The first line says what the file is: its scenario, the overrides,
   * the sweep point and the seed (issue 17, item 4). */
  char *what = gp_reader_title(r);
  for (size_t p = 0; what && p < np + 2; p++)
    if (!(name[p] = gp_escape_dup(p < np ? r->pol[p].name : p == np ? what : path))) break;
  if (!what || !name[np + 1]) {
    free(what);
    GP_ERR_NOMEM(err);
    goto done;
  }
  free(what);

  const char *prefix = r->base;
  /* An interrupted run says so first (issue 17, item 5): its figures are
   * those of the replications it finished, fewer than it was asked for. */
  if (r->complete == 0) {
    fprintf(f, "INCOMPLETE RUN: %s was interrupted (complete = false): the figures below are from "
               "the %zu replication%s it finished",
            name[np + 1], r->nreps, r->nreps == 1 ? "" : "s");
    if (isfinite(r->requested)) fprintf(f, " of %.0f requested", r->requested);
    fputs(".\n", f);
  }
  fprintf(f, "%s: %zu replication%s, %zu polic%s (%s%s%s)\n", name[np], r->nreps,
          r->nreps == 1 ? "" : "s", np, np == 1 ? "y" : "ies", name[np + 1],
          prefix[0] ? ", " : "", prefix[0] ? prefix + 1 : "");
  fprintf(f, "mean ± 95%% half-width; differences against %s are paired (same world in each\n"
             "replication), with their 95%% interval; * = the interval excludes 0\n\n",
          name[base]);
  int width = 30;
  for (int k = 0; k < nm; k++) {
    char title[128];
    title_of(title, sizeof title, gp_stat_field(k));
    if (shown(gp_stat_field(k), o->all) && (int)strlen(title) + 1 > width)
      width = (int)strlen(title) + 1;
  }
  fprintf(f, "%-*s", width, "metric");
  for (size_t p = 0; p < np; p++) fprintf(f, " %22s", name[p]);
  for (size_t p = 0; p < np; p++)
    if (p != base) {
      char head[128];
      snprintf(head, sizeof head, "%s - %s", name[p], name[base]);
      fprintf(f, " %34s", head);
    }
  fputc('\n', f);
  for (int k = 0; k < nm; k++) {
    const gp_field *fd = gp_stat_field(k);
    if (!shown(fd, o->all)) continue;
    char title[128];
    title_of(title, sizeof title, fd);
    fprintf(f, "%-*s", width, title);
    const gp_metric_view *v = fd->view;
    int dd = diff_decimals(diff + k, (size_t)nm, np, base, v);
    for (size_t p = 0; p < np; p++) {
      char b[64];
      cell_ci(b, sizeof b, &stats[p * (size_t)nm + (size_t)k], v->scale, v->decimals);
      fprintf(f, " %22s", b);
    }
    for (size_t p = 0; p < np; p++)
      if (p != base) {
        char b[96];
        cell_diff(b, sizeof b, &diff[p * (size_t)nm + (size_t)k], v->scale, dd);
        fprintf(f, " %34s", b);
      }
    fputc('\n', f);
  }
  rc = 0;
done:
  for (size_t p = 0; name && p < np + 2; p++) free(name[p]);
  free(name);
  free(stats);
  free(diff);
  gp_reader_close(r);
  return rc;
}
