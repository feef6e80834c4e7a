/*
 * models/experiment/calibout.c - the /calibration group and the console
 * summary of `gpuplan calibrate` (see calibout.h; docs/output.md).
 *
 * Invariant: the file is written from the gp_calibrate alone (no clock, no
 * thread count), so it is the same under any number of threads; enum
 * fields name each distinct path, source and metric once, in block order.
 */
#include "models/experiment/calibout.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/writer.h"
#include "models/results/h5out.h"
#include "sim/escape.h"

typedef struct est_row {
  int16_t path;
  double value, lo, hi, min, max;
  int8_t interval;
} est_row;

typedef struct fit_row {
  int16_t source, metric;
  double value, sd, mean, lo, hi, residual;
} fit_row;

typedef struct gen_row {
  int32_t generation;
  double tolerance;
  int64_t simulations;
  double acceptance, ess;
} gen_row;

/* The distinct strings of V (N, STRIDE bytes apart, a const char * at
 * OFFSET) into NAMES (room for N), each row's index into IDX; the count. */
static int distinct(const void *v, int n, size_t stride, size_t offset, const char **names,
                    int16_t *idx) {
  int m = 0;
  for (int i = 0; i < n; i++) {
    const char *s;
    memcpy(&s, (const char *)v + (size_t)i * stride + offset, sizeof s);
    int j = 0;
    while (j < m && strcmp(names[j], s) != 0) j++;
    if (j == m) names[m++] = s;
    idx[i] = (int16_t)j;
  }
  return m;
}

static int write_estimate(gp_h5out *h, const gp_calibrate *c, gp_err *err) {
  int nu = c->nu;
  const char **paths = malloc((size_t)nu * sizeof *paths);
  int16_t *idx = malloc((size_t)nu * sizeof *idx);
  est_row *rows = calloc((size_t)nu, sizeof *rows);
  int rc = paths && idx && rows ? 0 : GP_ERR_NOMEM(err);
  if (!rc) {
    int np = distinct(c->cal->unknowns, nu, sizeof *c->cal->unknowns,
                      offsetof(gp_cal_unknown, path), paths, idx);
    const gp_field f[] = {
        GP_FIELD_ENUM(est_row, path, paths, np, "the unknown's --set path"),
        GP_FIELD(est_row, value, GP_F_DOUBLE, "the path's unit",
                 "the estimate: the best fit (nelder-mead) or the posterior median (abc)"),
        GP_FIELD(est_row, lo, GP_F_DOUBLE, "the path's unit", "lower end of its 95% interval"),
        GP_FIELD(est_row, hi, GP_F_DOUBLE, "the path's unit", "upper end of its 95% interval"),
        GP_FIELD(est_row, min, GP_F_DOUBLE, "the path's unit", "the box searched: min"),
        GP_FIELD(est_row, max, GP_F_DOUBLE, "the path's unit", "the box searched: max"),
        GP_FIELD_ENUM(est_row, interval, gp_calibrate_interval_names, 4,
                      "where the interval comes from: hessian, conditional, box, posterior"),
    };
    gp_table_desc d = {"estimate", sizeof(est_row), f, (int)(sizeof f / sizeof f[0])};
    for (int i = 0; i < nu; i++)
      rows[i] = (est_row){idx[i],        c->value[i], c->lo[i], c->hi[i],
                          c->cal->unknowns[i].min, c->cal->unknowns[i].max,
                          (int8_t)c->interval[i]};
    rc = gp_h5out_table(h, "/calibration/estimate", &d, rows, (size_t)nu, err);
  }
  free(paths);
  free(idx);
  free(rows);
  return rc;
}

static int write_fit(gp_h5out *h, const gp_calibrate *c, gp_err *err) {
  int nt = c->nt;
  const char **src = malloc((size_t)nt * sizeof *src), **met = malloc((size_t)nt * sizeof *met);
  int16_t *is = malloc((size_t)nt * sizeof *is), *im = malloc((size_t)nt * sizeof *im);
  fit_row *rows = calloc((size_t)nt, sizeof *rows);
  int rc = src && met && is && im && rows ? 0 : GP_ERR_NOMEM(err);
  if (!rc) {
    size_t st = sizeof *c->cal->targets;
    int ns = distinct(c->cal->targets, nt, st, offsetof(gp_cal_target, source), src, is);
    int nm = distinct(c->cal->targets, nt, st, offsetof(gp_cal_target, metric), met, im);
    const gp_field f[] = {
        GP_FIELD_ENUM(fit_row, source, src, ns, "the demand source (call, stream, designation)"),
        GP_FIELD_ENUM(fit_row, metric, met, nm, "its metric: a field of /policies/P/calls, or share_gpus_SECTOR"),
        GP_FIELD(fit_row, value, GP_F_DOUBLE, "the metric's", "the published figure"),
        GP_FIELD(fit_row, sd, GP_F_DOUBLE, "the metric's", "its standard deviation"),
        GP_FIELD(fit_row, mean, GP_F_DOUBLE, "the metric's",
                 "simulated mean at the estimate (attribute replications)"),
        GP_FIELD(fit_row, lo, GP_F_DOUBLE, "the metric's", "lower end of the mean's 95% interval"),
        GP_FIELD(fit_row, hi, GP_F_DOUBLE, "the metric's", "upper end of the mean's 95% interval"),
        GP_FIELD(fit_row, residual, GP_F_DOUBLE, "1", "(mean - value) / sd"),
    };
    gp_table_desc d = {"fit", sizeof(fit_row), f, (int)(sizeof f / sizeof f[0])};
    for (int t = 0; t < nt; t++)
      rows[t] = (fit_row){is[t],        im[t],         c->cal->targets[t].value,
                          c->cal->targets[t].sd, c->mean[t], c->mean_lo[t],
                          c->mean_hi[t], c->residual[t]};
    rc = gp_h5out_table(h, "/calibration/fit", &d, rows, (size_t)nt, err) ||
         gp_h5out_attr_int(h, "/calibration/fit", "replications", c->fit_reps, err);
  }
  free(src);
  free(met);
  free(is);
  free(im);
  free(rows);
  return rc ? -1 : 0;
}

static int write_starts(gp_h5out *h, const gp_calibrate *c, gp_err *err) {
  size_t n = (size_t)c->starts, nu = (size_t)c->nu;
  double *obj = malloc(n * sizeof *obj);
  if (!obj) return GP_ERR_NOMEM(err);
  for (size_t i = 0; i < n; i++) obj[i] = c->start_objective[i];
  int rc = gp_h5out_group(h, "/calibration/starts", err) ||
           gp_h5out_matrix(h, "/calibration/starts/from", c->start_from, n, nu,
                           "each unknown's (attribute paths of /calibration)", NULL, NULL, err) ||
           gp_h5out_matrix(h, "/calibration/starts/to", c->start_to, n, nu,
                           "each unknown's (attribute paths of /calibration)", NULL, NULL, err) ||
           gp_h5out_matrix(h, "/calibration/starts/objective", obj, n, 1, "1", NULL, NULL, err);
  free(obj);
  return rc ? -1 : 0;
}

static int write_posterior(gp_h5out *h, const gp_calibrate *c, gp_err *err) {
  size_t n = (size_t)c->nsamples, nu = (size_t)c->nu, ng = (size_t)c->ngen;
  gen_row *rows = calloc(ng ? ng : 1, sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  for (size_t g = 0; g < ng; g++)
    rows[g] = (gen_row){(int32_t)g, c->gen_tolerance[g], (int64_t)c->gen_simulations[g],
                        c->gen_acceptance[g], c->gen_ess[g]};
  const gp_field f[] = {
      GP_FIELD(gen_row, generation, GP_F_INT32, "", "0, 1, ..."),
      GP_FIELD(gen_row, tolerance, GP_F_DOUBLE, "1",
               "largest distance accepted (inf in generation 0)"),
      GP_FIELD(gen_row, simulations, GP_F_INT64, "", "simulations the generation took"),
      GP_FIELD(gen_row, acceptance, GP_F_DOUBLE, "1", "particles / simulations"),
      GP_FIELD(gen_row, ess, GP_F_DOUBLE, "particles",
               "effective sample size 1 / sum w^2 of its weights"),
  };
  gp_table_desc d = {"generations", sizeof(gen_row), f, (int)(sizeof f / sizeof f[0])};
  int rc = gp_h5out_group(h, "/calibration/posterior", err) ||
           gp_h5out_matrix(h, "/calibration/posterior/samples", c->samples, n, nu,
                           "each unknown's (attribute paths of /calibration)", NULL, NULL, err) ||
           gp_h5out_matrix(h, "/calibration/posterior/weights", c->weights, n, 1, "1", NULL,
                           NULL, err) ||
           gp_h5out_matrix(h, "/calibration/posterior/distances", c->distances, n, 1, "1", NULL,
                           NULL, err) ||
           gp_h5out_table(h, "/calibration/generations", &d, rows, ng, err);
  free(rows);
  return rc ? -1 : 0;
}

static int write_group(gp_h5out *h, const gp_calibrate *c, gp_err *err) {
  const char *g = "/calibration";
  const char **paths = malloc((size_t)c->nu * sizeof *paths);
  if (!paths) return GP_ERR_NOMEM(err);
  for (int i = 0; i < c->nu; i++) paths[i] = c->cal->unknowns[i].path;
  int abc = c->method == GP_CALIBRATE_ABC;
  int rc = gp_h5out_group(h, g, err) ||
           gp_h5out_attr_string(h, g, "method", gp_calibrate_method_names[c->method], err) ||
           gp_h5out_attr_string(h, g, "policy", c->s->policies[0].name, err) ||
           gp_h5out_attr_int(h, g, "reps", c->reps, err) ||
           gp_h5out_attr_strings(h, g, "paths", paths, (size_t)c->nu, err) ||
           gp_h5out_attr_double(h, g, "objective", c->objective, err) ||
           gp_h5out_attr_int(h, g, "evaluations", c->evaluations, err) ||
           (abc ? gp_h5out_attr_int(h, g, "particles", c->particles, err) ||
                      gp_h5out_attr_int(h, g, "generations", c->generations, err)
                : gp_h5out_attr_int(h, g, "starts", c->starts, err)) ||
           write_estimate(h, c, err) || write_fit(h, c, err) ||
           (abc ? write_posterior(h, c, err) : write_starts(h, c, err));
  free(paths);
  return rc ? -1 : 0;
}

int gp_calibout_write(const char *path, const gp_calibrate *c, gp_err *err) {
  gp_h5out *h = gp_h5out_create(path, err);
  if (!h) return -1;
  if (gp_writer_root(h, c->plan, c->reps, 0, 1, c->reps, err) || write_group(h, c, err)) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}

void gp_calibout_summary(FILE *f, const gp_calibrate *c, const char *path) {
  fprintf(f, "calibration (%s, policy ", gp_calibrate_method_names[c->method]);
  gp_escape_fputs(c->s->policies[0].name, f);
  fprintf(f, "): %lld simulations of %d replication%s in %.1f s; objective %.3g\n\n",
          c->evaluations, c->reps, c->reps == 1 ? "" : "s", c->seconds, c->objective);
  fprintf(f, "  %-50s %12s %25s %s\n", "unknown", "estimate", "95% interval", "from");
  for (int i = 0; i < c->nu; i++) {
    char esc[200];
    gp_escape(esc, sizeof esc, c->cal->unknowns[i].path);
    fprintf(f, "  %-50.50s %12.4g [%11.4g, %11.4g] %s\n", esc, c->value[i], c->lo[i], c->hi[i],
            gp_calibrate_interval_names[c->interval[i]]);
  }
  fprintf(f, "\n  %-24s %-24s %10s %8s %10s %23s %8s\n", "source", "metric", "figure", "sd",
          "simulated", "95% interval", "resid.");
  for (int t = 0; t < c->nt; t++) {
    const gp_cal_target *g = &c->cal->targets[t];
    char s1[100], s2[100];
    gp_escape(s1, sizeof s1, g->source);
    gp_escape(s2, sizeof s2, g->metric);
    fprintf(f, "  %-24.24s %-24.24s %10.4g %8.3g %10.4g [%10.4g, %10.4g] %8.2f\n", s1, s2,
            g->value, g->sd, c->mean[t], c->mean_lo[t], c->mean_hi[t], c->residual[t]);
  }
  if (c->method == GP_CALIBRATE_ABC) {
    fprintf(f, "\n  %-10s %12s %12s %11s %8s\n", "generation", "tolerance", "simulations",
            "acceptance", "ESS");
    for (int g = 0; g < c->ngen; g++)
      fprintf(f, "  %-10d %12.4g %12lld %11.3f %8.1f\n", g, c->gen_tolerance[g],
              c->gen_simulations[g], c->gen_acceptance[g], c->gen_ess[g]);
  }
  fputs("\nwritten to ", f);
  gp_escape_fputs(path, f);
  fputc('\n', f);
}
