/*
 * models/experiment/sensout.c - the /sensitivity file and the console
 * tables of `gpuplan sensitivity` (see sensout.h; docs/output.md).
 *
 * Invariant: the file is written from the gp_sensitivity alone (no clock,
 * no thread count), so it is byte-identical under any number of threads or
 * MPI ranks; the tables' rows are the metric x factor product, metrics
 * outer, both in the order of the group's attributes.
 */
#include "models/experiment/sensout.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/writer.h"
#include "models/results/h5out.h"
#include "models/results/metrics.h"
#include "sim/escape.h"

typedef struct sobol_row {
  int8_t metric, factor;
  double S1, S1_lo, S1_hi, ST, ST_lo, ST_hi;
} sobol_row;

typedef struct morris_row {
  int8_t metric, factor;
  double mu_star, mu_star_lo, mu_star_hi, mu, sigma;
} morris_row;

#define PATHMAX 1024

/* The /sensitivity/P table of R for policy P into PATH. */
static int write_table(gp_h5out *h, const char *path, const gp_sensitivity *r, int p,
                       const char *const *mnames, const char *unit, gp_err *err) {
  size_t g = (size_t)r->nfactors, nm = (size_t)r->nmetrics, n = g * nm;
  const char *const *fnames = (const char *const *)r->factor;
  int rc;
  if (r->sobol) {
    const gp_field f[] = {
        GP_FIELD_ENUM(sobol_row, metric, mnames, (int)nm, "the metric (names: attribute metrics)"),
        GP_FIELD_ENUM(sobol_row, factor, fnames, (int)g, "the factor (names: attribute factors)"),
        GP_FIELD(sobol_row, S1, GP_F_DOUBLE, "1", "first-order index (Saltelli 2010)"),
        GP_FIELD(sobol_row, S1_lo, GP_F_DOUBLE, "1", "S1, lower end of its bootstrap interval"),
        GP_FIELD(sobol_row, S1_hi, GP_F_DOUBLE, "1", "S1, upper end of its bootstrap interval"),
        GP_FIELD(sobol_row, ST, GP_F_DOUBLE, "1", "total index (Jansen 1999)"),
        GP_FIELD(sobol_row, ST_lo, GP_F_DOUBLE, "1", "ST, lower end of its bootstrap interval"),
        GP_FIELD(sobol_row, ST_hi, GP_F_DOUBLE, "1", "ST, upper end of its bootstrap interval"),
    };
    gp_table_desc d = {"sobol", sizeof(sobol_row), f, (int)(sizeof f / sizeof f[0])};
    sobol_row *rows = calloc(n, sizeof *rows);
    if (!rows) return GP_ERR_NOMEM(err);
    for (size_t m = 0; m < nm; m++)
      for (size_t i = 0; i < g; i++) {
        const gp_sobol_index *x = r->sobol + ((size_t)p * nm + m) * g + i;
        rows[m * g + i] = (sobol_row){(int8_t)m, (int8_t)i, x->s1, x->s1_lo, x->s1_hi,
                                      x->st, x->st_lo, x->st_hi};
      }
    rc = gp_h5out_table(h, path, &d, rows, n, err);
    free(rows);
  } else {
    const gp_field f[] = {
        GP_FIELD_ENUM(morris_row, metric, mnames, (int)nm, "the metric (names: attribute metrics)"),
        GP_FIELD_ENUM(morris_row, factor, fnames, (int)g, "the factor (names: attribute factors)"),
        GP_FIELD(morris_row, mu_star, GP_F_DOUBLE, unit, "mean |elementary effect| (Campolongo 2007)"),
        GP_FIELD(morris_row, mu_star_lo, GP_F_DOUBLE, unit, "mu*, lower end of its bootstrap interval"),
        GP_FIELD(morris_row, mu_star_hi, GP_F_DOUBLE, unit, "mu*, upper end of its bootstrap interval"),
        GP_FIELD(morris_row, mu, GP_F_DOUBLE, unit, "mean elementary effect"),
        GP_FIELD(morris_row, sigma, GP_F_DOUBLE, unit, "standard deviation of the elementary effects"),
    };
    gp_table_desc d = {"morris", sizeof(morris_row), f, (int)(sizeof f / sizeof f[0])};
    morris_row *rows = calloc(n, sizeof *rows);
    if (!rows) return GP_ERR_NOMEM(err);
    for (size_t m = 0; m < nm; m++)
      for (size_t i = 0; i < g; i++) {
        const gp_morris_index *x = r->morris + ((size_t)p * nm + m) * g + i;
        rows[m * g + i] = (morris_row){(int8_t)m, (int8_t)i, x->mu_star, x->mu_star_lo,
                                       x->mu_star_hi, x->mu, x->sigma};
      }
    rc = gp_h5out_table(h, path, &d, rows, n, err);
    free(rows);
  }
  if (rc) return -1;
  const char **notes = malloc((nm ? nm : 1) * sizeof *notes);
  if (!notes) return GP_ERR_NOMEM(err);
  size_t nn = 0;
  for (size_t m = 0; m < nm; m++)
    if (r->refused[(size_t)p * nm + m]) notes[nn++] = r->refused[(size_t)p * nm + m];
  rc = gp_h5out_attr_strings(h, path, "refused", notes, nn, err);
  free(notes);
  return rc;
}

static int write_group(gp_h5out *h, const gp_sensitivity *r, const char *const *mnames,
                       gp_err *err) {
  const gp_scenario *s = r->s;
  const char *g = "/sensitivity";
  size_t np = (size_t)r->npoints, nf = (size_t)r->nfactors, nm = (size_t)r->nmetrics;
  const char **pols = malloc((size_t)r->npol * sizeof *pols);
  if (!pols) return GP_ERR_NOMEM(err);
  for (int p = 0; p < r->npol; p++) pols[p] = s->policies[p].name;
  int sobol = r->method == GP_SENSITIVITY_SOBOL;
  int rc = gp_h5out_group(h, g, err) ||
           gp_h5out_attr_string(h, g, "method", gp_sensitivity_method_names[r->method], err) ||
           (sobol ? gp_h5out_attr_int(h, g, "samples", r->samples, err)
                  : gp_h5out_attr_int(h, g, "trajectories", r->trajectories, err) ||
                        gp_h5out_attr_int(h, g, "levels", r->levels, err)) ||
           gp_h5out_attr_int(h, g, "reps", r->reps, err) ||
           gp_h5out_attr_int(h, g, "points", r->npoints, err) ||
           gp_h5out_attr_int(h, g, "bootstrap", GP_SENSITIVITY_BOOT, err) ||
           gp_h5out_attr_double(h, g, "level", GP_SENSITIVITY_LEVEL, err) ||
           gp_h5out_attr_strings(h, g, "factors", (const char *const *)r->factor, nf, err) ||
           gp_h5out_attr_strings(h, g, "factor_paths", (const char *const *)r->factor_paths, nf,
                                 err) ||
           gp_h5out_attr_strings(h, g, "metrics", mnames, nm, err) ||
           gp_h5out_attr_strings(h, g, "policies", pols, (size_t)r->npol, err) ||
           gp_h5out_matrix(h, "/sensitivity/design", r->design, np, nf, "1", NULL, NULL, err) ||
           gp_h5out_matrix(h, "/sensitivity/values", r->values, np, (size_t)r->nvalues,
                           "the unit of each path", NULL, NULL, err) ||
           gp_h5out_attr_strings(h, "/sensitivity/values", "path", r->paths, (size_t)r->nvalues,
                                 err);
  /* Where the calibrated factors' distributions came from. */
  if (!rc && r->post)
    rc = gp_h5out_attr_string(h, g, "posterior", r->post->file, err) ||
         gp_h5out_attr_int(h, g, "posterior_crc32", (long long)r->post->crc32, err);
  for (int p = 0; p < r->npol && !rc; p++) {
    char base[PATHMAX], out[PATHMAX + 16], tab[PATHMAX + 16];
    snprintf(base, sizeof base, "/sensitivity/%s", pols[p]);
    snprintf(out, sizeof out, "%s/outputs", base);
    snprintf(tab, sizeof tab, "%s/%s", base, gp_sensitivity_method_names[r->method]);
    /* One unit for a table of several metrics: the first's, when they all share it. */
    const char *unit = gp_stat_field(r->metrics[0])->unit;
    for (size_t m = 1; m < nm; m++)
      if (strcmp(gp_stat_field(r->metrics[m])->unit, unit) != 0) unit = "the metric's per unit range";
    rc = gp_h5out_group(h, base, err) ||
         gp_h5out_matrix(h, out, r->outputs + (size_t)p * np * nm, np, nm,
                         "each metric's (attribute metrics)", NULL, NULL, err) ||
         write_table(h, tab, r, p, mnames, unit, err);
  }
  free(pols);
  return rc ? -1 : 0;
}

int gp_sensout_write(const char *path, const gp_sensitivity *r, gp_err *err) {
  for (int p = 0; p < r->npol; p++)
    if (strlen(r->s->policies[p].name) > PATHMAX - 64)
      return GP_ERR(err, GP_EX_USAGE, "sensitivity: a policy's name is too long for a path");
  const char **mnames = malloc((size_t)r->nmetrics * sizeof *mnames);
  if (!mnames) return GP_ERR_NOMEM(err);
  for (int m = 0; m < r->nmetrics; m++) mnames[m] = gp_stat_metric_names[r->metrics[m]];
  gp_h5out *h = gp_h5out_create(path, err);
  int rc = !h || gp_writer_root(h, r->plan, r->reps, 0, 1, r->reps, err) ||
           write_group(h, r, mnames, err);
  free(mnames);
  if (!h) return -1;
  if (rc) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}

/* The first metric of policy P that has indices, or -1. */
static int first_metric(const gp_sensitivity *r, int p) {
  for (int m = 0; m < r->nmetrics; m++)
    if (!r->refused[(size_t)p * (size_t)r->nmetrics + (size_t)m]) return m;
  return -1;
}

/* The ranking measure of factor I for policy P and metric M. */
static double rank_of(const gp_sensitivity *r, int p, int m, int i) {
  size_t at = ((size_t)p * (size_t)r->nmetrics + (size_t)m) * (size_t)r->nfactors + (size_t)i;
  double v = r->sobol ? r->sobol[at].st : r->morris[at].mu_star;
  return isnan(v) ? -HUGE_VAL : v;
}

void gp_sensout_summary(FILE *f, const gp_sensitivity *r, const char *path) {
  int g = r->nfactors;
  int *order = malloc((size_t)g * sizeof *order);
  if (!order) return;
  fprintf(f, "%s: %d factors, %d design points x %d replications x %d policies = %lld runs "
             "in %.1f s\n",
          r->sobol ? "Sobol indices" : "Morris screening", g, r->npoints, r->reps, r->npol,
          r->policy_reps, r->seconds);
  for (int p = 0; p < r->npol; p++) {
    int m = first_metric(r, p);
    fputs("\npolicy ", f);
    gp_escape_fputs(r->s->policies[p].name, f);
    if (m < 0) {
      fputs(": no metric has indices (see the file's \"refused\")\n", f);
      continue;
    }
    fprintf(f, ": %s, factors by %s\n", gp_stat_metric_names[r->metrics[m]],
            r->sobol ? "total index ST" : "mu*");
    if (r->sobol)
      fprintf(f, "  %-40s %21s %21s\n", "factor", "ST [95% interval]", "S1 [95% interval]");
    else
      fprintf(f, "  %-40s %29s %10s %10s\n", "factor", "mu* [95% interval]", "mu", "sigma");
    /* Insertion sort: a stable ranking, ties in the design's order. */
    for (int i = 0; i < g; i++) {
      int j = i;
      for (; j > 0 && rank_of(r, p, m, order[j - 1]) < rank_of(r, p, m, i); j--)
        order[j] = order[j - 1];
      order[j] = i;
    }
    for (int k = 0; k < g; k++) {
      int i = order[k];
      size_t at = ((size_t)p * (size_t)r->nmetrics + (size_t)m) * (size_t)g + (size_t)i;
      char name[41], esc[200];
      gp_escape(esc, sizeof esc, r->factor[i]);
      size_t len = strlen(esc);
      if (len > 40) {
        memcpy(name, esc, 37);
        memcpy(name + 37, "...", 4);
      } else {
        memcpy(name, esc, len + 1);
      }
      if (r->sobol) {
        const gp_sobol_index *x = &r->sobol[at];
        fprintf(f, "  %-40s %5.2f [%5.2f, %5.2f] %5.2f [%5.2f, %5.2f]\n", name, x->st, x->st_lo,
                x->st_hi, x->s1, x->s1_lo, x->s1_hi);
      } else {
        const gp_morris_index *x = &r->morris[at];
        fprintf(f, "  %-40s %9.3g [%8.3g, %8.3g] %10.3g %10.3g\n", name, x->mu_star,
                x->mu_star_lo, x->mu_star_hi, x->mu, x->sigma);
      }
    }
  }
  fputs("\nwritten to ", f);
  gp_escape_fputs(path, f);
  fputc('\n', f);
  free(order);
}
