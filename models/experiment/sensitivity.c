/*
 * models/experiment/sensitivity.c - the design over a scenario's uncertain
 * factors, its points run through measure.h, and the Sobol or Morris
 * estimates (see sensitivity.h).
 *
 * Invariants: the design and the factors' values are computed on one
 * thread before any point runs; a point's scenario is made from the
 * design's row alone (on the worker that runs it, freed after), so the
 * result depends on no schedule.  A metric with a NaN at any point is
 * refused for that policy, never estimated on the points that remain.
 */
#include "models/experiment/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/results/metrics.h"
#include "models/scenario/uncertain.h"

const char *const gp_sensitivity_method_names[] = {"sobol", "morris", NULL};
const char *const gp_sensitivity_default_metrics[] = {
    "gap_to_target", "mean_days_to_gpu", "acceptance_rate", "utilization", "subsidy_krw", NULL};

void gp_sensitivity_free(gp_sensitivity *r) {
  if (!r) return;
  for (int i = 0; r->factor && i < r->nfactors; i++) free(r->factor[i]);
  for (int i = 0; r->factor_paths && i < r->nfactors; i++) free(r->factor_paths[i]);
  for (int i = 0; r->refused && i < r->npol * r->nmetrics; i++) free(r->refused[i]);
  free(r->factor);
  free(r->factor_paths);
  free(r->refused);
  free(r->design);
  free(r->values);
  free(r->metrics);
  free(r->outputs);
  free(r->sobol);
  free(r->morris);
  gp_plan_free(r->plan);
  free(r);
}

/* The factors' names and paths: coordinate d's group, or its one path. */
static int name_factors(gp_sensitivity *r, gp_err *err) {
  const gp_scenario *s = r->s;
  r->nfactors = s->uncertain_dims;
  r->factor = calloc((size_t)r->nfactors, sizeof *r->factor);
  r->factor_paths = calloc((size_t)r->nfactors, sizeof *r->factor_paths);
  if (!r->factor || !r->factor_paths) return GP_ERR_NOMEM(err);
  for (int d = 0; d < r->nfactors; d++) {
    size_t len = 1;
    const char *name = NULL;
    for (int i = 0; i < s->nuncertain; i++)
      if (s->uncertain[i].dim == d) {
        len += strlen(s->uncertain[i].path) + 2;
        if (!name) name = s->uncertain[i].group[0] ? s->uncertain[i].group : s->uncertain[i].path;
      }
    if (!name) return GP_ERR(err, GP_EX_SOFTWARE, "sensitivity: no factor drives coordinate %d", d);
    r->factor[d] = strdup(name);
    r->factor_paths[d] = calloc(len, 1);
    if (!r->factor[d] || !r->factor_paths[d]) return GP_ERR_NOMEM(err);
    for (int i = 0; i < s->nuncertain; i++)
      if (s->uncertain[i].dim == d) {
        if (r->factor_paths[d][0]) strcat(r->factor_paths[d], ", ");
        strcat(r->factor_paths[d], s->uncertain[i].path);
      }
  }
  return 0;
}

/* Refuse what the method cannot take or what would silently replace a
 * factor's value. */
static int check_scenario(const gp_sensitivity_spec *sp, const gp_plan *pl, gp_err *err) {
  const gp_scenario *s = pl->points[0].s;
  const char *m = gp_sensitivity_method_names[sp->method];
  if (pl->npoints != 1 || pl->points[0].nsets)
    return GP_ERR(err, GP_EX_USAGE,
                  "sensitivity: %s has a \"sweep\" block: sensitivity takes one scenario", s->file);
  if (s->nuncertain == 0)
    return GP_ERR(err, GP_EX_USAGE,
                  "sensitivity: %s has no \"uncertain\" block: nothing to vary "
                  "(scenarios/README.md)",
                  s->file);
  if (sp->method == GP_SENSITIVITY_SOBOL && s->uncertain_dims > GP_SENSITIVITY_SOBOL_MAX)
    return GP_ERR(err, GP_EX_USAGE,
                  "sensitivity: --method sobol takes at most %d factors (a group counts once), "
                  "found %d: use --method morris, or group factors",
                  GP_SENSITIVITY_SOBOL_MAX, s->uncertain_dims);
  if (s->uncertain_dims > GP_SENSITIVITY_MAX_FACTORS)
    return GP_ERR(err, GP_EX_USAGE,
                  "sensitivity: --method %s takes at most %d factors (a group counts once), "
                  "found %d: group factors",
                  m, GP_SENSITIVITY_MAX_FACTORS, s->uncertain_dims);
  for (int i = 0; i < s->nuncertain; i++)
    if (s->uncertain[i].set_by)
      return GP_ERR(err, GP_EX_USAGE,
                    "sensitivity: %s sets %s, a value the \"uncertain\" block varies: the design "
                    "would replace it",
                    s->uncertain[i].set_by, s->uncertain[i].path);
  return 0;
}

/* The design's points in [0, 1)^G into R->design, and each path's value
 * at each point into R->values. */
static int build_design(gp_sensitivity *r, gp_err *err) {
  const gp_scenario *s = r->s;
  size_t g = (size_t)r->nfactors, nu = (size_t)s->nuncertain;
  const double *x;
  gp_saltelli *sal = NULL;
  gp_morris *mor = NULL;
  if (r->method == GP_SENSITIVITY_SOBOL) {
    if (!(sal = gp_saltelli_new((size_t)r->samples, g, NULL, GP_QRNG_SOBOL, 0, err))) return -1;
    r->npoints = (int)sal->npoints;
    x = sal->x;
  } else {
    gp_morris_opts o = GP_MORRIS_OPTS_DEFAULT;
    o.levels = (size_t)r->levels;
    if (!(mor = gp_morris_new((size_t)r->trajectories, g, NULL, &o, r->seed, err))) return -1;
    r->npoints = (int)mor->npoints;
    x = mor->x;
  }
  size_t np = (size_t)r->npoints;
  r->design = malloc(np * g * sizeof *r->design);
  r->values = malloc(np * (nu ? nu : 1) * sizeof *r->values);
  int rc = !r->design || !r->values ? GP_ERR_NOMEM(err) : 0;
  for (size_t k = 0; k < np && !rc; k++) {
    memcpy(r->design + k * g, x + k * g, g * sizeof *x);
    for (size_t i = 0; i < nu && !rc; i++) {
      double u = x[k * g + (size_t)s->uncertain[i].dim];
      /* A quantile at 0 may be -infinity: the designs promise (0, 1). */
      if (!(u > 0 && u < 1))
        rc = GP_ERR(err, GP_EX_SOFTWARE, "sensitivity: design point %zu has coordinate %g", k, u);
      else
        r->values[k * nu + i] = gp_uncertain_value(&s->uncertain[i], u);
    }
  }
  gp_saltelli_free(sal);
  gp_morris_free(mor);
  return rc;
}

/* What a worker needs to make point k's scenario. */
typedef struct point_ctx {
  const gp_sensitivity *r;
  char *text;  /* the scenario without its uncertain block (gp_uncertain_text) */
  size_t len;
} point_ctx;

static gp_scenario *make_point(void *ctx, int k, gp_err *err) {
  const point_ctx *pc = ctx;
  const gp_sensitivity *r = pc->r;
  gp_err e;
  gp_err_clear(&e);
  gp_scenario *t = gp_uncertain_apply(r->s, pc->text, pc->len,
                                      r->values + (size_t)k * (size_t)r->s->nuncertain, &e);
  if (!t && e.code == GP_EX_DATAERR)
    GP_ERR(err, e.code, "design point %d: its values do not make a valid scenario: %s", k, e.msg);
  else if (!t)
    *err = e;
  return t;
}

/* R->outputs, the means over replications, from the measure's matrix Y. */
static void means(gp_sensitivity *r, const gp_measure_spec *ms, const double *y) {
  for (int p = 0; p < r->npol; p++)
    for (int k = 0; k < r->npoints; k++)
      for (int m = 0; m < r->nmetrics; m++) {
        double sum = 0;
        for (int rep = 0; rep < r->reps; rep++) sum += y[gp_measure_at(ms, k, p, rep, m)];
        r->outputs[((size_t)p * (size_t)r->npoints + (size_t)k) * (size_t)r->nmetrics +
                   (size_t)m] = sum / r->reps;
      }
}

/* The indices of every (policy, metric) that has no NaN output. */
static int estimate(gp_sensitivity *r, gp_err *err) {
  size_t g = (size_t)r->nfactors, nm = (size_t)r->nmetrics, np = (size_t)r->npoints;
  gp_saltelli *sal = NULL;
  gp_morris *mor = NULL;
  if (r->method == GP_SENSITIVITY_SOBOL)
    sal = gp_saltelli_new((size_t)r->samples, g, NULL, GP_QRNG_SOBOL, 0, err);
  else {
    gp_morris_opts o = GP_MORRIS_OPTS_DEFAULT;
    o.levels = (size_t)r->levels;
    mor = gp_morris_new((size_t)r->trajectories, g, NULL, &o, r->seed, err);
  }
  if (!sal && !mor) return -1;
  int rc = 0;
  for (int p = 0; p < r->npol && !rc; p++)
    for (size_t m = 0; m < nm && !rc; m++) {
      const double *y = r->outputs + (size_t)p * np * nm + m;
      size_t at = (size_t)p * nm + m;
      for (size_t k = 0; k < np && !r->refused[at]; k++)
        if (!isfinite(y[k * nm])) {
          char buf[300];
          snprintf(buf, sizeof buf,
                   "%s: no indices: NaN at design point %zu (a mean over nothing in every "
                   "replication there)",
                   gp_stat_metric_names[r->metrics[m]], k);
          if (!(r->refused[at] = strdup(buf))) rc = GP_ERR_NOMEM(err);
        }
      gp_err e;
      gp_err_clear(&e);
      if (sal) {
        gp_sobol_index *o = r->sobol + at * g;
        if (r->refused[at]) {
          for (size_t i = 0; i < g; i++)
            o[i] = (gp_sobol_index){NAN, NAN, NAN, NAN, NAN, NAN};
        } else if (gp_sobol_estimate(sal, y, nm, GP_SENSITIVITY_BOOT, GP_SENSITIVITY_LEVEL,
                                     r->seed, o, &e)) {
          *err = e;
          rc = -1;
        }
      } else {
        gp_morris_index *o = r->morris + at * g;
        if (r->refused[at]) {
          for (size_t i = 0; i < g; i++) o[i] = (gp_morris_index){NAN, NAN, NAN, NAN, NAN};
        } else if (gp_morris_estimate(mor, y, nm, GP_SENSITIVITY_BOOT, GP_SENSITIVITY_LEVEL,
                                      r->seed, o, &e)) {
          *err = e;
          rc = -1;
        }
      }
    }
  gp_saltelli_free(sal);
  gp_morris_free(mor);
  return rc;
}

int gp_sensitivity_run(const gp_sensitivity_spec *sp, gp_sensitivity **out, gp_err *err) {
  *out = NULL;
  if (sp->reps < 2 || (sp->method == GP_SENSITIVITY_SOBOL && sp->samples < 2) ||
      (sp->method == GP_SENSITIVITY_MORRIS &&
       (sp->trajectories < 2 || sp->levels < 2 || sp->levels % 2)) ||
      sp->nmetrics < 1)
    return GP_ERR(err, GP_EX_USAGE,
                  "sensitivity: --reps, --samples and --trajectories must be at least 2, "
                  "--levels even, and one --metric given");
  gp_sensitivity *r = calloc(1, sizeof *r);
  if (!r) return GP_ERR_NOMEM(err);
  gp_plan_spec ps = {sp->path, GP_OVERRIDES_NONE, NULL, 0, sp->policies};
  ps.ov.seed = sp->seed;
  ps.ov.reps = sp->reps;
  ps.ov.detail = 0;
  point_ctx pc = {r, NULL, 0};
  double *y = NULL;
  int rc = (r->plan = gp_plan_load(&ps, err)) ? 0 : -1;
  if (!rc) rc = check_scenario(sp, r->plan, err);
  if (!rc) {
    r->s = r->plan->points[0].s;
    r->method = sp->method;
    r->samples = sp->samples;
    r->trajectories = sp->trajectories;
    r->levels = sp->levels;
    r->reps = sp->reps;
    r->seed = r->s->seed;
    r->npol = r->s->npolicies;
    r->nmetrics = sp->nmetrics;
    r->metrics = malloc((size_t)sp->nmetrics * sizeof *r->metrics);
    if (!r->metrics) rc = GP_ERR_NOMEM(err);
    else memcpy(r->metrics, sp->metrics, (size_t)sp->nmetrics * sizeof *r->metrics);
  }
  if (!rc) rc = name_factors(r, err) || build_design(r, err);
  if (!rc && !(pc.text = gp_uncertain_text(r->s, &pc.len, err))) rc = -1;
  gp_measure_spec ms = {.npoints = r->npoints,
                        .nreps = r->reps,
                        .npol = r->npol,
                        .metrics = r->metrics,
                        .nmetrics = r->nmetrics,
                        .point = make_point,
                        .ctx = &pc,
                        .threads = sp->threads,
                        .progress = sp->progress,
                        .progress_ctx = sp->progress_ctx};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!rc && !(y = gp_measure_run(&ms, err)) && err->code) rc = -1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  r->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  free(pc.text);
  if (!rc && !y) { /* another rank's: rank 0 has the matrix */
    gp_sensitivity_free(r);
    return 0;
  }
  if (!rc) {
    size_t per = (size_t)r->npol * (size_t)r->nmetrics;
    size_t nidx = per * (size_t)r->nfactors;
    r->policy_reps = (long long)r->npoints * r->reps * r->npol;
    r->outputs = malloc(per * (size_t)r->npoints * sizeof *r->outputs);
    r->refused = calloc(per, sizeof *r->refused);
    if (r->method == GP_SENSITIVITY_SOBOL) r->sobol = malloc(nidx * sizeof *r->sobol);
    else r->morris = malloc(nidx * sizeof *r->morris);
    if (!r->outputs || !r->refused || (!r->sobol && !r->morris)) rc = GP_ERR_NOMEM(err);
  }
  if (!rc) {
    means(r, &ms, y);
    rc = estimate(r, err);
  }
  free(y);
  if (rc) {
    gp_sensitivity_free(r);
    return -1;
  }
  *out = r;
  return 0;
}
