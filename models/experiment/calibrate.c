/*
 * models/experiment/calibrate.c - the point fit and what both methods share
 * (see calibrate.h): the objective, simulation of sets of values through
 * gp_measure_run, the fit table, the local quadratic.  ABC-SMC is
 * calib_abc.c's.
 *
 * Invariant: every evaluation of a set of values with common random numbers
 * replays replications 0..K-1 of the scenario's seed, so the objective is a
 * function of the values alone; evaluations are cached by their values
 * (rounded integers make the simplex revisit them).
 */
#include "models/experiment/calibrate.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_qrng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/experiment/calib_int.h"
#include "models/experiment/measure.h"
#include "models/results/results.h"
#include "models/run/run.h"
#include "sim/par.h"

const char *const gp_calibrate_method_names[] = {"nelder-mead", "abc", NULL};
const char *const gp_calibrate_interval_names[] = {"hessian", "conditional", "box", "posterior",
                                                   NULL};

/* Penalty per squared cube distance outside the cube. */
#define OUTSIDE_PENALTY 1e4
/* The simplex's stopping size (cube units) and iteration cap per start. */
#define NM_SIZE 1e-3
#define NM_ITER 300
#define NM_STEP 0.2
/* Rounds of the integer search. */
#define INT_ROUNDS 50
/* Finite-difference step of the Hessian: a share of the box (1 for integers). */
#define HESS_STEP 0.05
/* The objective of a set of values whose simulated mean is NaN (a share of
 * nothing awarded, a mean decision of no decision): worse than any fit. */
#define NAN_OBJECTIVE 1e12

/* ---- metrics ---- */

/* "share_gpus_SECTOR" -> SECTOR's index, or -1. */
static int share_sector(const char *name) {
  static const char prefix[] = "share_gpus_";
  if (strncmp(name, prefix, sizeof prefix - 1) != 0) return -1;
  for (int k = 0; k < GP_NSECTORS; k++)
    if (strcmp(name + sizeof prefix - 1, gp_sector_names[k]) == 0) return k;
  return -1;
}

/* The numeric field NAME of the calls row (not rep or call), or NULL. */
static const gp_field *call_field(const char *name) {
  for (int i = 0; i < gp_call_desc.nfields; i++) {
    const gp_field *f = &gp_call_desc.fields[i];
    if (strcmp(f->name, name) == 0 && strcmp(name, "rep") != 0 && strcmp(name, "call") != 0 &&
        f->type != GP_F_ENUM)
      return f;
  }
  return NULL;
}

static int metric_ok(void *ctx, const char *name) {
  (void)ctx;
  char num[64];
  int k = share_sector(name);
  if (k >= 0) {
    snprintf(num, sizeof num, "gpus_awarded_%s", gp_sector_names[k]);
    return call_field(num) != NULL && call_field("gpus_awarded") != NULL;
  }
  return call_field(name) != NULL;
}

int gp_calibrate_check(const gp_scenario *s, gp_err *err) {
  char expected[1024];
  size_t at = (size_t)snprintf(expected, sizeof expected, "a numeric field of /policies/P/calls (");
  /* The first few by name and the count: the whole list (36 fields and
   * growing) would push the "found" part out of an error line. */
  int n = 0, shown = 8;
  for (int i = 0; i < gp_call_desc.nfields; i++)
    if (call_field(gp_call_desc.fields[i].name) && n++ < shown)
      at += (size_t)snprintf(expected + at, sizeof expected - at, "%s%s", n > 1 ? ", " : "",
                             gp_call_desc.fields[i].name);
  if (n > shown)
    at += (size_t)snprintf(expected + at, sizeof expected - at,
                           " and %d more: docs/output.md, /policies/P/calls", n - shown);
  snprintf(expected + at, sizeof expected - at, ") or share_gpus_SECTOR (SECTOR one of %s",
           gp_sector_names[0]);
  for (int k = 1; k < GP_NSECTORS; k++) {
    at = strlen(expected);
    snprintf(expected + at, sizeof expected - at, ", %s", gp_sector_names[k]);
  }
  at = strlen(expected);
  snprintf(expected + at, sizeof expected - at, ")");
  return gp_calibration_check_metrics(s, metric_ok, NULL, expected, err);
}

/* ---- simulation ---- */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double gp_calib_seconds(const gp_calib *k) { return now() - k->t0; }

/* Target T's value in the row R. */
static double target_value(const gp_calib *k, int t, const gp_call_row *r) {
  double v = gp_field_get(k->num[t], r);
  if (!k->den[t]) return v;
  double d = gp_field_get(k->den[t], r);
  return d > 0 ? v / d : NAN;
}

typedef struct batch {
  gp_calib *k;
  const double *values;   /* npoints x nu */
  const uint64_t *seeds;  /* npoints; NULL = the scenario's seed */
  double *y;              /* npoints x reps x nt */
  int reps;
} batch;

static gp_scenario *batch_point(void *ctx, int i, gp_err *err) {
  batch *b = ctx;
  gp_calib *k = b->k;
  /* c->s runs the one policy (the first, or --policy's): its policy 0. */
  return gp_calibration_apply(k->c->s, k->text, k->len, b->values + (size_t)i * (size_t)k->c->nu,
                              0, b->seeds ? (long long)b->seeds[i] : -1, err);
}

static void batch_out(void *ctx, int i, int p, int r, const struct gp_run_out *out) {
  (void)p;
  batch *b = ctx;
  gp_calib *k = b->k;
  int nt = k->c->nt;
  for (int t = 0; t < nt; t++)
    b->y[((size_t)i * (size_t)b->reps + (size_t)r) * (size_t)nt + (size_t)t] =
        target_value(k, t, &out->calls[k->c->cal->targets[t].origin]);
}

int gp_calib_simulate(gp_calib *k, int npoints, const double *values, const uint64_t *seeds,
                      int reps, double *y, gp_err *err) {
  int metric = 0; /* measure keeps one summary metric; the hook keeps the rows */
  batch b = {k, values, seeds, y, reps};
  gp_measure_spec sp;
  memset(&sp, 0, sizeof sp);
  sp.npoints = npoints;
  sp.nreps = reps;
  sp.npol = 1;
  sp.metrics = &metric;
  sp.nmetrics = 1;
  sp.point = batch_point;
  sp.ctx = &b;
  sp.threads = k->threads;
  sp.out = batch_out;
  sp.out_ctx = &b;
  double *m = gp_measure_run(&sp, err);
  if (!m) return -1;
  free(m);
  k->c->evaluations += npoints;
  return 0;
}

double gp_calib_objective(const gp_calib *k, const double *mean) {
  double s = 0;
  for (int t = 0; t < k->c->nt; t++) {
    const gp_cal_target *g = &k->c->cal->targets[t];
    double z = (mean[t] - g->value) / g->sd;
    if (isnan(z)) return NAN_OBJECTIVE;
    s += z * z;
  }
  return s;
}

/* Means over REPS of Y (reps x nt) into MEAN, and half-widths into HALF
 * (NULL = none; NaN with one replication). */
void gp_calib_means(const gp_calib *k, const double *y, int reps, double *mean, double *half) {
  int nt = k->c->nt;
  for (int t = 0; t < nt; t++) {
    double s = 0, ss = 0;
    for (int r = 0; r < reps; r++) s += y[(size_t)r * (size_t)nt + (size_t)t];
    double mu = s / reps;
    for (int r = 0; r < reps; r++) {
      double d = y[(size_t)r * (size_t)nt + (size_t)t] - mu;
      ss += d * d;
    }
    mean[t] = mu;
    if (half) half[t] = reps > 1 ? 1.96 * sqrt(ss / (reps - 1) / reps) : NAN;
  }
}

/* S at VALUES on common random numbers, through the cache; NaN with ERR
 * set on failure. */
static double evaluate(gp_calib *k, const double *values, gp_err *err) {
  int nu = k->c->nu;
  for (int i = 0; i < k->ncache; i++)
    if (memcmp(k->cache + (size_t)i * (size_t)(nu + 1), values, (size_t)nu * sizeof *values) == 0)
      return k->cache[(size_t)i * (size_t)(nu + 1) + (size_t)nu];
  double *y = malloc((size_t)k->c->reps * (size_t)k->c->nt * sizeof *y);
  double *mean = malloc((size_t)k->c->nt * sizeof *mean);
  double s = NAN;
  if (!y || !mean) GP_ERR_NOMEM(err);
  else if (gp_calib_simulate(k, 1, values, NULL, k->c->reps, y, err) == 0) {
    gp_calib_means(k, y, k->c->reps, mean, NULL);
    s = gp_calib_objective(k, mean);
  }
  free(y);
  free(mean);
  if (isnan(s)) return s;
  if (k->ncache == k->capcache) {
    int cap = k->capcache ? 2 * k->capcache : 256;
    double *c = realloc(k->cache, (size_t)cap * (size_t)(nu + 1) * sizeof *c);
    if (!c) {
      GP_ERR_NOMEM(err);
      return NAN;
    }
    k->cache = c;
    k->capcache = cap;
  }
  memcpy(k->cache + (size_t)k->ncache * (size_t)(nu + 1), values, (size_t)nu * sizeof *values);
  k->cache[(size_t)k->ncache++ * (size_t)(nu + 1) + (size_t)nu] = s;
  if (s < k->best) k->best = s;
  return s;
}

/* The values of cube point X (clamped) into V; the squared distance outside. */
void gp_calib_values(const gp_calib *k, const double *x, double *v, double *outside) {
  double o = 0;
  for (int i = 0; i < k->c->nu; i++) {
    double xi = fmin(fmax(x[i], 0), 1);
    o += (x[i] - xi) * (x[i] - xi);
    v[i] = gp_calibration_value(&k->c->cal->unknowns[i], xi);
  }
  if (outside) *outside = o;
}

/* ---- Nelder-Mead ---- */

typedef struct nm_ctx {
  gp_calib *k;
  double *v;
  gp_err *err;
  int failed;
} nm_ctx;

static double nm_f(const gsl_vector *x, void *arg) {
  nm_ctx *n = arg;
  if (n->failed) return HUGE_VAL;
  double outside;
  gp_calib_values(n->k, x->data, n->v, &outside);
  double s = evaluate(n->k, n->v, n->err);
  if (isnan(s)) {
    n->failed = 1;
    return HUGE_VAL;
  }
  return s + OUTSIDE_PENALTY * outside;
}

/* Start I from X0 (cube): its end in X (cube); its iterations. */
static int nm_start(gp_calib *k, const double *x0, double *x, int *iters, gp_err *err) {
  int nu = k->c->nu;
  nm_ctx n = {k, malloc((size_t)nu * sizeof(double)), err, 0};
  gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2,
                                                             (size_t)nu);
  gsl_vector *start = gsl_vector_alloc((size_t)nu), *step = gsl_vector_alloc((size_t)nu);
  if (!n.v || !m || !start || !step) {
    free(n.v);
    if (m) gsl_multimin_fminimizer_free(m);
    if (start) gsl_vector_free(start);
    if (step) gsl_vector_free(step);
    return GP_ERR_NOMEM(err);
  }
  for (int i = 0; i < nu; i++) {
    gsl_vector_set(start, (size_t)i, x0[i]);
    gsl_vector_set(step, (size_t)i, NM_STEP);
  }
  gsl_multimin_function f = {nm_f, (size_t)nu, &n};
  gsl_multimin_fminimizer_set(m, &f, start, step);
  int it = 0;
  while (!n.failed && it < NM_ITER) {
    it++;
    if (gsl_multimin_fminimizer_iterate(m)) break;
    if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), NM_SIZE) != GSL_CONTINUE) break;
    if (k->progress_stage) k->progress_stage(k, 0);
  }
  for (int i = 0; i < nu; i++) x[i] = fmin(fmax(gsl_vector_get(m->x, (size_t)i), 0), 1);
  *iters = it;
  gsl_multimin_fminimizer_free(m);
  gsl_vector_free(start);
  gsl_vector_free(step);
  free(n.v);
  return n.failed ? -1 : 0;
}

/* The integer search: +-1 on each integer unknown of V while S falls. */
static int int_search(gp_calib *k, double *v, double *s, gp_err *err) {
  int nu = k->c->nu;
  double *w = malloc((size_t)nu * sizeof *w);
  if (!w) return GP_ERR_NOMEM(err);
  int rc = 0;
  for (int round = 0, better = 1; better && round < INT_ROUNDS && !rc; round++) {
    better = 0;
    for (int i = 0; i < nu && !rc; i++) {
      const gp_cal_unknown *u = &k->c->cal->unknowns[i];
      if (!u->integer) continue;
      for (int d = -1; d <= 1 && !rc; d += 2) {
        memcpy(w, v, (size_t)nu * sizeof *w);
        w[i] = v[i] + d;
        if (w[i] < u->min || w[i] > u->max) continue;
        double t = evaluate(k, w, err);
        if (isnan(t)) rc = -1;
        else if (t < *s) {
          *s = t;
          memcpy(v, w, (size_t)nu * sizeof *w);
          better = 1;
        }
      }
    }
  }
  free(w);
  return rc;
}

/* ---- the local quadratic ---- */

/* S at V with unknowns I and J moved by DI and DJ (J < 0: only I). */
static double moved(gp_calib *k, const double *v, int i, double di, int j, double dj, double *w,
                    gp_err *err) {
  memcpy(w, v, (size_t)k->c->nu * sizeof *w);
  w[i] += di;
  if (j >= 0) w[j] += dj;
  return evaluate(k, w, err);
}

/* Intervals at the estimate V (objective S0): see calibrate.h. */
static int quadratic(gp_calib *k, const double *v, double s0, gp_err *err) {
  gp_calibrate *c = k->c;
  int nu = c->nu, rc = 0;
  double *hp = malloc((size_t)nu * sizeof *hp), *hm = malloc((size_t)nu * sizeof *hm);
  double *w = malloc((size_t)nu * sizeof *w);
  gsl_matrix *H = gsl_matrix_alloc((size_t)nu, (size_t)nu);
  if (!hp || !hm || !w || !H) rc = GP_ERR_NOMEM(err);
  /* Steps inside the box on each side (one-sided at a face). */
  for (int i = 0; i < nu && !rc; i++) {
    const gp_cal_unknown *u = &c->cal->unknowns[i];
    double h = u->integer ? 1 : HESS_STEP * (u->max - u->min);
    hp[i] = fmin(h, u->max - v[i]);
    hm[i] = fmin(h, v[i] - u->min);
    if (u->integer) {
      hp[i] = floor(hp[i]);
      hm[i] = floor(hm[i]);
    }
  }
  for (int i = 0; i < nu && !rc; i++) {
    double a = hp[i], b = hm[i];
    if (a <= 0 || b <= 0) { /* at a face: the curvature from one side, two steps */
      double h = a > 0 ? a : -b;
      double f1 = moved(k, v, i, h / 2, -1, 0, w, err), f2 = moved(k, v, i, h, -1, 0, w, err);
      if (isnan(f1) || isnan(f2)) rc = -1;
      else gsl_matrix_set(H, (size_t)i, (size_t)i, 4 * (f2 - 2 * f1 + s0) / (h * h));
      continue;
    }
    double fp = moved(k, v, i, a, -1, 0, w, err), fm = moved(k, v, i, -b, -1, 0, w, err);
    if (isnan(fp) || isnan(fm)) rc = -1;
    else gsl_matrix_set(H, (size_t)i, (size_t)i, 2 * (fp * b + fm * a - s0 * (a + b)) / (a * b * (a + b)));
  }
  for (int i = 0; i < nu && !rc; i++)
    for (int j = i + 1; j < nu && !rc; j++) {
      double f[4];
      for (int q = 0; q < 4 && !rc; q++) {
        f[q] = moved(k, v, i, q & 1 ? -hm[i] : hp[i], j, q & 2 ? -hm[j] : hp[j], w, err);
        if (isnan(f[q])) rc = -1;
      }
      double h = (hp[i] + hm[i]) * (hp[j] + hm[j]);
      double hij = rc || h <= 0 ? 0 : (f[0] - f[1] - f[2] + f[3]) / h;
      gsl_matrix_set(H, (size_t)i, (size_t)j, hij);
      gsl_matrix_set(H, (size_t)j, (size_t)i, hij);
    }
  if (!rc) {
    gsl_matrix *L = gsl_matrix_alloc((size_t)nu, (size_t)nu);
    if (!L) rc = GP_ERR_NOMEM(err);
    int pd = 0;
    if (L) {
      gsl_matrix_memcpy(L, H);
      gsl_error_handler_t *old = gsl_set_error_handler_off();
      pd = gsl_linalg_cholesky_decomp1(L) == 0;
      if (pd) pd = gsl_linalg_cholesky_invert(L) == 0; /* L holds H^-1 */
      gsl_set_error_handler(old);
    }
    for (int i = 0; i < nu && !rc; i++) {
      const gp_cal_unknown *u = &c->cal->unknowns[i];
      double hii = gsl_matrix_get(H, (size_t)i, (size_t)i), sd = NAN;
      if (pd && gsl_matrix_get(L, (size_t)i, (size_t)i) > 0) {
        sd = sqrt(2 * gsl_matrix_get(L, (size_t)i, (size_t)i));
        c->interval[i] = GP_INTERVAL_HESSIAN;
      } else if (hii > 0) {
        sd = sqrt(2 / hii);
        c->interval[i] = GP_INTERVAL_CONDITIONAL;
      } else {
        c->interval[i] = GP_INTERVAL_BOX;
      }
      c->lo[i] = isnan(sd) ? u->min : fmax(u->min, v[i] - 1.96 * sd);
      c->hi[i] = isnan(sd) ? u->max : fmin(u->max, v[i] + 1.96 * sd);
    }
    if (L) gsl_matrix_free(L);
  }
  free(hp);
  free(hm);
  free(w);
  if (H) gsl_matrix_free(H);
  return rc;
}

/* ---- the fit table ---- */

int gp_calib_fit(gp_calib *k, gp_err *err) {
  gp_calibrate *c = k->c;
  int reps = c->fit_reps, nt = c->nt;
  double *y = malloc((size_t)reps * (size_t)nt * sizeof *y), *half = malloc((size_t)nt * sizeof *half);
  int rc = y && half ? 0 : GP_ERR_NOMEM(err);
  if (!rc) rc = gp_calib_simulate(k, 1, c->value, NULL, reps, y, err);
  if (!rc) {
    gp_calib_means(k, y, reps, c->mean, half);
    for (int t = 0; t < nt; t++) {
      const gp_cal_target *g = &c->cal->targets[t];
      c->mean_lo[t] = c->mean[t] - half[t];
      c->mean_hi[t] = c->mean[t] + half[t];
      c->residual[t] = (c->mean[t] - g->value) / g->sd;
    }
    c->objective = gp_calib_objective(k, c->mean);
  }
  free(y);
  free(half);
  return rc;
}

static void nm_progress(gp_calib *k, int final) {
  gp_calibrate *c = k->c;
  if (k->spec->progress)
    k->spec->progress(k->spec->progress_ctx, k->stage, k->stages, c->evaluations, k->best,
                      now() - k->t0, final);
}

static int nelder_mead(gp_calib *k, gp_err *err) {
  gp_calibrate *c = k->c;
  int nu = c->nu, rc = 0;
  c->start_from = malloc((size_t)c->starts * (size_t)nu * sizeof(double));
  c->start_to = malloc((size_t)c->starts * (size_t)nu * sizeof(double));
  c->start_objective = malloc((size_t)c->starts * sizeof(double));
  c->start_iterations = malloc((size_t)c->starts * sizeof(int));
  double *x0 = malloc((size_t)nu * sizeof *x0), *x = malloc((size_t)nu * sizeof *x);
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)nu);
  if (!c->start_from || !c->start_to || !c->start_objective || !c->start_iterations || !x0 ||
      !x || !q)
    rc = GP_ERR_NOMEM(err);
  if (nu > 40 && !rc) rc = GP_ERR(err, GP_EX_USAGE, "calibrate: at most 40 unknowns (Sobol' starts)");
  int best = -1;
  k->stages = c->starts;
  k->progress_stage = nm_progress;
  for (int st = 0; st < c->starts && !rc; st++) {
    k->stage = st + 1;
    gsl_qrng_get(q, x0); /* GSL's first point is the centre */
    for (int i = 0; i < nu; i++) x0[i] = 0.1 + 0.8 * x0[i];
    gp_calib_values(k, x0, c->start_from + (size_t)st * (size_t)nu, NULL);
    if (nm_start(k, x0, x, &c->start_iterations[st], err)) {
      rc = -1;
      break;
    }
    double *v = c->start_to + (size_t)st * (size_t)nu;
    gp_calib_values(k, x, v, NULL);
    double s = evaluate(k, v, err);
    if (isnan(s)) rc = -1;
    c->start_objective[st] = s;
    if (!rc && (best < 0 || s < c->start_objective[best])) best = st;
  }
  if (!rc) {
    memcpy(c->value, c->start_to + (size_t)best * (size_t)nu, (size_t)nu * sizeof *c->value);
    double s = c->start_objective[best];
    rc = int_search(k, c->value, &s, err);
    if (!rc) rc = quadratic(k, c->value, s, err);
  }
  nm_progress(k, 1);
  free(x0);
  free(x);
  if (q) gsl_qrng_free(q);
  return rc;
}

/* ---- the run ---- */

static int check_spec(const gp_calibrate_spec *sp, gp_err *err) {
  if (sp->reps < 1 || sp->starts < 1 || sp->particles < 10 || sp->generations < 1)
    return GP_ERR(err, GP_EX_USAGE,
                  "calibrate: --reps, --starts and --generations must be at least 1, "
                  "--particles at least 10");
  if (gp_par_size() > 1)
    return GP_ERR(err, GP_EX_USAGE,
                  "calibrate: one process only (its steps depend on each other); use --threads");
  return 0;
}

static int setup(gp_calibrate *c, const gp_calibrate_spec *sp, gp_err *err) {
  gp_plan_spec ps = {sp->path, GP_OVERRIDES_NONE, NULL, 0, sp->policy};
  ps.ov.seed = sp->seed;
  ps.ov.reps = sp->reps;
  ps.ov.detail = 0;
  ps.ov.sets = sp->sets;
  ps.ov.nsets = sp->nsets;
  if (!(c->plan = gp_plan_load(&ps, err))) return -1;
  if (c->plan->npoints != 1)
    return GP_ERR(err, GP_EX_USAGE, "calibrate: a scenario with a sweep (remove the \"sweep\" block)");
  if (sp->policy && c->plan->points[0].s->npolicies != 1)
    return GP_ERR(err, GP_EX_USAGE, "calibrate: --policy: one policy");
  c->s = c->plan->points[0].s;
  c->cal = c->s->calibration;
  if (!c->cal)
    return GP_ERR(err, GP_EX_DATAERR,
                  "%s: no \"calibration\" block (scenarios/README.md, calibration)", c->s->file);
  if (gp_calibrate_check(c->s, err)) return -1;
  c->method = sp->method;
  c->reps = sp->reps;
  c->starts = sp->starts;
  c->particles = sp->particles;
  c->generations = sp->generations;
  c->seed = c->s->seed;
  c->nu = c->cal->nunknowns;
  c->nt = c->cal->ntargets;
  c->fit_reps = sp->method == GP_CALIBRATE_ABC && sp->reps < 10 ? 10 : sp->reps;
  size_t nu = (size_t)c->nu, nt = (size_t)c->nt;
  c->value = calloc(nu, sizeof(double));
  c->lo = calloc(nu, sizeof(double));
  c->hi = calloc(nu, sizeof(double));
  c->interval = calloc(nu, sizeof(int));
  c->mean = calloc(nt, sizeof(double));
  c->mean_lo = calloc(nt, sizeof(double));
  c->mean_hi = calloc(nt, sizeof(double));
  c->residual = calloc(nt, sizeof(double));
  if (!c->value || !c->lo || !c->hi || !c->interval || !c->mean || !c->mean_lo || !c->mean_hi ||
      !c->residual)
    return GP_ERR_NOMEM(err);
  return 0;
}

int gp_calibrate_run(const gp_calibrate_spec *sp, gp_calibrate **out, gp_err *err) {
  *out = NULL;
  if (check_spec(sp, err)) return -1;
  gp_calibrate *c = calloc(1, sizeof *c);
  if (!c) return GP_ERR_NOMEM(err);
  gp_calib k;
  memset(&k, 0, sizeof k);
  k.c = c;
  k.spec = sp;
  k.threads = sp->threads;
  k.best = HUGE_VAL;
  k.t0 = now();
  int rc = setup(c, sp, err);
  if (!rc) {
    k.num = calloc((size_t)c->nt, sizeof *k.num);
    k.den = calloc((size_t)c->nt, sizeof *k.den);
    if (!k.num || !k.den) rc = GP_ERR_NOMEM(err);
    for (int t = 0; t < c->nt && !rc; t++) {
      const char *m = c->cal->targets[t].metric;
      int sec = share_sector(m);
      if (sec >= 0) {
        char num[64];
        snprintf(num, sizeof num, "gpus_awarded_%s", gp_sector_names[sec]);
        k.num[t] = call_field(num);
        k.den[t] = call_field("gpus_awarded");
      } else {
        k.num[t] = call_field(m);
      }
    }
  }
  if (!rc && !(k.text = gp_calibration_text(c->plan->base, &k.len, err))) rc = -1;
  if (!rc) {
    rc = sp->method == GP_CALIBRATE_ABC ? gp_calib_abc(&k, err) : nelder_mead(&k, err);
  }
  if (!rc) rc = gp_calib_fit(&k, err);
  c->seconds = now() - k.t0;
  free(k.text);
  free(k.num);
  free(k.den);
  free(k.cache);
  if (rc) {
    gp_calibrate_free(c);
    return -1;
  }
  *out = c;
  return 0;
}

void gp_calibrate_free(gp_calibrate *c) {
  if (!c) return;
  gp_plan_free(c->plan);
  free(c->value);
  free(c->lo);
  free(c->hi);
  free(c->interval);
  free(c->mean);
  free(c->mean_lo);
  free(c->mean_hi);
  free(c->residual);
  free(c->start_from);
  free(c->start_to);
  free(c->start_objective);
  free(c->start_iterations);
  free(c->samples);
  free(c->weights);
  free(c->distances);
  free(c->gen_tolerance);
  free(c->gen_ess);
  free(c->gen_acceptance);
  free(c->gen_simulations);
  free(c);
}
