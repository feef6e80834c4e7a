/*
 * analysis/compare.c - paired comparison of the policies in a result file
 * (see compare.h).  Statistics are recomputed from /policies/P/summary, so the
 * table is the same as the file's /stats and /compare groups by construction.
 */
#include "analysis/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/results/h5in.h"
#include "models/results/results.h"

/* The metrics shown unless --all: the planner's questions. */
static const char *const key_metrics[] = {
    "proposals", "accepted", "acceptance_rate", "acceptance_rate_industry",
    "acceptance_rate_startup", "acceptance_rate_academia", "acceptance_rate_research",
    "mean_days_to_decision", "mean_days_to_gpu", "utilization", "idle_gpu_hours",
    "mean_quality_accepted", "subsidy_krw", "selfpay_krw", "gap_to_target", NULL};

static int shown(const char *name, int all) {
  if (all) return 1;
  for (int i = 0; key_metrics[i]; i++)
    if (strcmp(key_metrics[i], name) == 0) return 1;
  return 0;
}

/* Values of large magnitude print with fewer decimals. */
static int decimals(double v) {
  double a = fabs(v);
  return a >= 1000 ? 0 : a >= 10 ? 1 : a >= 0.1 ? 3 : 4;
}

/* Money in billions of KRW and GPU-hours in millions, so that the table
 * stays readable; the label says so. */
static double unit_scale(const gp_field *f, const char **label) {
  if (strcmp(f->unit, "KRW") == 0) return *label = "bn KRW", 1e-9;
  if (strcmp(f->unit, "GPU-hours") == 0) return *label = "M GPU-h", 1e-6;
  *label = NULL;
  return 1;
}

static void cell_ci(char *b, size_t n, const gp_stat_row *r, double k) {
  int d = decimals(r->mean * k);
  if (r->n == 0) snprintf(b, n, "-");
  else if (isnan(r->half_width)) snprintf(b, n, "%.*f", d, r->mean * k);
  else snprintf(b, n, "%.*f ± %.*f", d, r->mean * k, d, r->half_width * k);
}

static void cell_diff(char *b, size_t n, const gp_stat_row *r, double k) {
  int d = decimals(k * (fabs(r->mean) > fabs(r->half_width) ? r->mean : r->half_width));
  if (r->n == 0) snprintf(b, n, "-");
  else if (isnan(r->half_width)) snprintf(b, n, "%+.*f", d, r->mean * k);
  else {
    int sig = r->lo > 0 || r->hi < 0;
    snprintf(b, n, "%+.*f [%+.*f, %+.*f]%s", d, r->mean * k, d, r->lo * k, d, r->hi * k,
             sig ? " *" : "");
  }
}

/* "" for a file without a sweep, "/points/K" with one; K checked. */
static int point_prefix(gp_h5in *h, const char *path, int k, char *buf, size_t n, gp_err *err) {
  double npts = 0;
  buf[0] = '\0';
  if (!gp_h5in_exists(h, "/points")) {
    if (k > 0) return GP_ERR(err, GP_EX_USAGE, "%s: no sweep points in this file (--point %d)", path, k);
    return 0;
  }
  if (gp_h5in_attr_double(h, "/", "points", &npts, err)) return -1;
  if (k < 0) k = 0;
  if (k >= (int)npts)
    return GP_ERR(err, GP_EX_USAGE, "%s: --point %d: the file has points 0 to %d", path, k, (int)npts - 1);
  snprintf(buf, n, "/points/%d", k);
  return 0;
}

int gp_compare_print(FILE *f, const char *path, const gp_compare_opts *o, gp_err *err) {
  gp_h5in *h = gp_h5in_open(path, err);
  if (!h) return -1;
  char prefix[64], ppath[96];
  if (point_prefix(h, path, o->point, prefix, sizeof prefix, err)) {
    gp_h5in_close(h);
    return -1;
  }
  snprintf(ppath, sizeof ppath, "%s/policies", prefix);
  int rc = -1, nm = gp_stat_count();
  size_t np = 0, nreps = 0;
  char **names = gp_h5in_list(h, ppath, &np, err);
  gp_summary_row **sum = NULL;
  gp_stat_row *stats = NULL, *diff = NULL;
  char *scen = NULL;
  if (!names) goto done;
  if (np == 0) {
    GP_ERR(err, GP_EX_DATAERR, "%s: no policies in the file", path);
    goto done;
  }
  size_t base = 0;
  if (o->baseline) {
    for (base = 0; base < np && strcmp(names[base], o->baseline) != 0; base++) {}
    if (base == np) {
      char list[512] = "";
      for (size_t i = 0, len = 0; i < np && len < sizeof list - 64; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
      GP_ERR(err, GP_EX_USAGE, "%s: no policy \"%s\" (the file has: %s)", path, o->baseline, list);
      goto done;
    }
  }
  sum = calloc(np, sizeof *sum);
  stats = malloc(np * (size_t)nm * sizeof *stats);
  diff = malloc(np * (size_t)nm * sizeof *diff);
  if (!sum || !stats || !diff) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  for (size_t p = 0; p < np; p++) {
    char dpath[600];
    size_t n = 0;
    snprintf(dpath, sizeof dpath, "%s/policies/%s/summary", prefix, names[p]);
    sum[p] = gp_h5in_table(h, dpath, &gp_summary_desc, &n, err);
    if (!sum[p]) goto done;
    if (p == 0) nreps = n;
    if (n != nreps) {
      GP_ERR(err, GP_EX_DATAERR, "%s: policy %s has %zu replications, %s has %zu", path, names[p], n,
             names[0], nreps);
      goto done;
    }
    gp_stat_compute(sum[p], NULL, n, stats + p * (size_t)nm);
    gp_stat_compute(sum[p], sum[base], n, diff + p * (size_t)nm);
  }
  scen = gp_h5in_attr_string(h, "/", "scenario_name", err);
  if (!scen) goto done;

  fprintf(f, "%s: %zu replication%s, %zu polic%s (%s%s%s)\n", scen, nreps, nreps == 1 ? "" : "s",
          np, np == 1 ? "y" : "ies", path, prefix[0] ? ", " : "", prefix[0] ? prefix + 1 : "");
  fprintf(f, "mean ± 95%% half-width; differences against %s are paired (same world in each\n"
             "replication), with their 95%% interval; * = the interval excludes 0\n\n",
          names[base]);
  fprintf(f, "%-30s", "metric");
  for (size_t p = 0; p < np; p++) fprintf(f, " %22s", names[p]);
  for (size_t p = 0; p < np; p++)
    if (p != base) {
      char head[128];
      snprintf(head, sizeof head, "%s - %s", names[p], names[base]);
      fprintf(f, " %34s", head);
    }
  fputc('\n', f);
  for (int k = 0; k < nm; k++) {
    const char *name = gp_stat_metric_names[k];
    if (!shown(name, o->all)) continue;
    const char *label;
    double scale = unit_scale(gp_stat_field(k), &label);
    char title[64];
    if (label) snprintf(title, sizeof title, "%s (%s)", name, label);
    else snprintf(title, sizeof title, "%s", name);
    fprintf(f, "%-30s", title);
    for (size_t p = 0; p < np; p++) {
      char b[64];
      cell_ci(b, sizeof b, &stats[p * (size_t)nm + (size_t)k], scale);
      fprintf(f, " %22s", b);
    }
    for (size_t p = 0; p < np; p++)
      if (p != base) {
        char b[96];
        cell_diff(b, sizeof b, &diff[p * (size_t)nm + (size_t)k], scale);
        fprintf(f, " %34s", b);
      }
    fputc('\n', f);
  }
  rc = 0;
done:
  if (sum)
    for (size_t p = 0; p < np; p++) free(sum[p]);
  free(sum);
  free(stats);
  free(diff);
  free(scen);
  gp_h5in_free_names(names, np);
  gp_h5in_close(h);
  return rc;
}
