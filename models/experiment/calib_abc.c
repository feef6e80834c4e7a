/*
 * models/experiment/calib_abc.c - ABC-SMC for `gpuplan calibrate --method
 * abc` (see calibrate.h for the algorithm and its references).
 *
 * Particles live in the unit cube of the unknowns, where the prior is
 * uniform (coordinate x is the prior's x-quantile), so a particle's prior
 * density is 1 inside the cube and 0 outside, and its weight is
 * 1 / sum_j w_j N(x; x_j, 2 Sigma).  Each generation proposes in batches
 * of the particles still missing, simulated together by gp_measure_run
 * (threads take the particles), each with a seed of its own drawn from the
 * calibration's generator.
 *
 * Invariant: every random draw (proposals, seeds) is made here, on the
 * calling thread, in a fixed order, so the posterior depends on the seed
 * alone; generation g's particles are all within eps_g, and eps_g is
 * non-increasing.
 */
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/calib_int.h"

/* A generation stops the schedule when it needs more than this many
 * simulations per particle. */
#define MAX_SIMS_PER_PARTICLE 20
/* The tolerance of generation g: this quantile of g-1's distances. */
#define EPS_QUANTILE 0.5

typedef struct gen {
  double *x;     /* n x nu, cube */
  double *v;     /* n x nu, values */
  double *w;     /* n, normalised */
  double *d;     /* n, distances */
  int n;
} gen;

static int gen_alloc(gen *g, int n, int nu) {
  g->x = malloc((size_t)n * (size_t)nu * sizeof *g->x);
  g->v = malloc((size_t)n * (size_t)nu * sizeof *g->v);
  g->w = malloc((size_t)n * sizeof *g->w);
  g->d = malloc((size_t)n * sizeof *g->d);
  g->n = 0;
  return g->x && g->v && g->w && g->d ? 0 : -1;
}

static void gen_free(gen *g) {
  free(g->x);
  free(g->v);
  free(g->w);
  free(g->d);
}

/* The Q-quantile of the N values X with weights W (NULL = equal). */
static double wquantile(const double *x, const double *w, int n, double q, int *order) {
  for (int i = 0; i < n; i++) order[i] = i;
  for (int i = 1; i < n; i++) { /* insertion sort of indices by x (stable) */
    int o = order[i], j = i;
    for (; j > 0 && x[order[j - 1]] > x[o]; j--) order[j] = order[j - 1];
    order[j] = o;
  }
  double cum = 0;
  for (int i = 0; i < n; i++) {
    cum += w ? w[order[i]] : 1.0 / n;
    if (cum >= q - 1e-12) return x[order[i]];
  }
  return x[order[n - 1]];
}

/* Distances sqrt(S) of the simulations Y (n x reps x nt) into D. */
static void distances(gp_calib *k, const double *y, int n, int reps, double *d, double *mean) {
  size_t per = (size_t)reps * (size_t)k->c->nt;
  for (int i = 0; i < n; i++) {
    gp_calib_means(k, y + (size_t)i * per, reps, mean, NULL);
    d[i] = sqrt(gp_calib_objective(k, mean));
  }
}

/* The log density of N(x; m, S) up to a constant shared by every term,
 * with S's Cholesky factor L (lower). */
static double log_kernel(const double *x, const double *m, const gsl_matrix *L, double *z,
                         int nu) {
  for (int i = 0; i < nu; i++) { /* forward substitution L z = x - m */
    double s = x[i] - m[i];
    for (int j = 0; j < i; j++) s -= gsl_matrix_get(L, (size_t)i, (size_t)j) * z[j];
    z[i] = s / gsl_matrix_get(L, (size_t)i, (size_t)i);
  }
  double q = 0;
  for (int i = 0; i < nu; i++) q += z[i] * z[i];
  return -0.5 * q;
}

static void report(gp_calib *k, int final) {
  const gp_calibrate_spec *sp = k->spec;
  if (sp->progress)
    sp->progress(sp->progress_ctx, k->stage, k->stages, k->c->evaluations, k->best,
                 gp_calib_seconds(k), final);
}

/* Record generation G (n particles) as complete: tolerance EPS, SIMS
 * simulations. */
static void record(gp_calibrate *c, const gen *g, double eps, long long sims) {
  double s2 = 0;
  for (int i = 0; i < g->n; i++) s2 += g->w[i] * g->w[i];
  c->gen_tolerance[c->ngen] = eps;
  c->gen_ess[c->ngen] = 1 / s2;
  c->gen_simulations[c->ngen] = sims;
  c->gen_acceptance[c->ngen] = (double)g->n / (double)sims;
  c->ngen++;
}

int gp_calib_abc(gp_calib *k, gp_err *err) {
  gp_calibrate *c = k->c;
  int nu = c->nu, nt = c->nt, N = c->particles, reps = c->reps, G = c->generations;
  size_t per = (size_t)reps * (size_t)nt;
  gen prev, cur;
  memset(&prev, 0, sizeof prev);
  memset(&cur, 0, sizeof cur);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_matrix *S = gsl_matrix_alloc((size_t)nu, (size_t)nu);
  double *bx = malloc((size_t)N * (size_t)nu * sizeof *bx);
  double *bv = malloc((size_t)N * (size_t)nu * sizeof *bv);
  double *bd = malloc((size_t)N * sizeof *bd), *mean = malloc((size_t)nt * sizeof *mean);
  double *y = malloc((size_t)N * per * sizeof *y), *z = malloc((size_t)nu * sizeof *z);
  uint64_t *seeds = malloc((size_t)N * sizeof *seeds);
  int *order = malloc((size_t)N * sizeof *order);
  c->gen_tolerance = malloc((size_t)G * sizeof(double));
  c->gen_ess = malloc((size_t)G * sizeof(double));
  c->gen_acceptance = malloc((size_t)G * sizeof(double));
  c->gen_simulations = malloc((size_t)G * sizeof(long long));
  int rc = 0;
  if (!rng || !S || !bx || !bv || !bd || !mean || !y || !z || !seeds || !order ||
      !c->gen_tolerance || !c->gen_ess || !c->gen_acceptance || !c->gen_simulations ||
      gen_alloc(&prev, N, nu) || gen_alloc(&cur, N, nu))
    rc = GP_ERR_NOMEM(err);
  if (rng) gsl_rng_set(rng, (unsigned long)(c->seed ^ 0xabcULL));
  k->stages = G;
  for (int g = 0; g < G && !rc; g++) {
    k->stage = g + 1;
    double eps = HUGE_VAL;
    if (g > 0) {
      eps = wquantile(prev.d, NULL, prev.n, EPS_QUANTILE, order);
      /* The kernel: twice the weighted covariance of the previous particles. */
      for (int a = 0; a < nu; a++)
        for (int b = 0; b < nu; b++) {
          double ma = 0, mb = 0, s = 0;
          for (int i = 0; i < prev.n; i++) {
            ma += prev.w[i] * prev.x[(size_t)i * (size_t)nu + (size_t)a];
            mb += prev.w[i] * prev.x[(size_t)i * (size_t)nu + (size_t)b];
          }
          for (int i = 0; i < prev.n; i++)
            s += prev.w[i] * (prev.x[(size_t)i * (size_t)nu + (size_t)a] - ma) *
                 (prev.x[(size_t)i * (size_t)nu + (size_t)b] - mb);
          gsl_matrix_set(S, (size_t)a, (size_t)b, 2 * s + (a == b ? 1e-10 : 0));
        }
      gsl_error_handler_t *old = gsl_set_error_handler_off();
      int bad = gsl_linalg_cholesky_decomp1(S);
      gsl_set_error_handler(old);
      if (bad) break; /* the particles collapsed onto a lower-dimensional set: stop */
    }
    cur.n = 0;
    long long sims = 0;
    while (cur.n < N && !rc) {
      if (sims > (long long)MAX_SIMS_PER_PARTICLE * N) break;
      int nb = N - cur.n;
      if (g > 0 && nb < N / 4) nb = N / 4 < 1 ? 1 : N / 4; /* batches worth the threads */
      for (int b = 0; b < nb; b++) {
        double *x = bx + (size_t)b * (size_t)nu;
        if (g == 0) {
          for (int i = 0; i < nu; i++) x[i] = gsl_rng_uniform(rng);
        } else {
          for (int tries = 0;; tries++) {
            double u = gsl_rng_uniform(rng), cum = 0;
            int j = prev.n - 1;
            for (int i = 0; i < prev.n; i++)
              if ((cum += prev.w[i]) >= u) {
                j = i;
                break;
              }
            for (int i = 0; i < nu; i++) z[i] = gsl_ran_ugaussian(rng);
            int inside = 1;
            for (int i = 0; i < nu; i++) {
              double s = prev.x[(size_t)j * (size_t)nu + (size_t)i];
              for (int q = 0; q <= i; q++) s += gsl_matrix_get(S, (size_t)i, (size_t)q) * z[q];
              x[i] = s;
              inside &= s >= 0 && s <= 1;
            }
            if (inside) break;
            if (tries > 10000) {
              rc = GP_ERR(err, GP_EX_SOFTWARE, "abc: no proposal inside the box");
              break;
            }
          }
        }
        gp_calib_values(k, x, bv + (size_t)b * (size_t)nu, NULL);
        seeds[b] = gsl_rng_get(rng) ^ ((uint64_t)gsl_rng_get(rng) << 32);
        seeds[b] &= ((uint64_t)1 << 53) - 1; /* a seed the format can write */
      }
      if (rc || gp_calib_simulate(k, nb, bv, seeds, reps, y, err)) {
        rc = -1;
        break;
      }
      sims += nb;
      distances(k, y, nb, reps, bd, mean);
      for (int b = 0; b < nb && cur.n < N; b++) {
        if (bd[b] * bd[b] < k->best) k->best = bd[b] * bd[b];
        if (!(bd[b] <= eps)) continue;
        memcpy(cur.x + (size_t)cur.n * (size_t)nu, bx + (size_t)b * (size_t)nu,
               (size_t)nu * sizeof *bx);
        memcpy(cur.v + (size_t)cur.n * (size_t)nu, bv + (size_t)b * (size_t)nu,
               (size_t)nu * sizeof *bv);
        cur.d[cur.n++] = bd[b];
      }
      report(k, 0);
    }
    if (rc || cur.n < N) break; /* too few accepted: the previous generation stands */
    /* Weights. */
    double total = 0;
    for (int i = 0; i < N; i++) {
      if (g == 0) {
        cur.w[i] = 1;
      } else {
        double s = 0;
        for (int j = 0; j < prev.n; j++)
          s += prev.w[j] * exp(log_kernel(cur.x + (size_t)i * (size_t)nu,
                                          prev.x + (size_t)j * (size_t)nu, S, z, nu));
        cur.w[i] = s > 0 ? 1 / s : 0;
      }
      total += cur.w[i];
    }
    for (int i = 0; i < N; i++) cur.w[i] /= total;
    record(c, &cur, eps, sims);
    gen t = prev;
    prev = cur;
    cur = t;
  }
  report(k, 1);
  if (!rc && prev.n == 0)
    rc = GP_ERR(err, GP_EX_DATAERR, "abc: generation 0 did not complete");
  if (!rc) {
    c->nsamples = prev.n;
    c->samples = malloc((size_t)prev.n * (size_t)nu * sizeof *c->samples);
    c->weights = malloc((size_t)prev.n * sizeof *c->weights);
    c->distances = malloc((size_t)prev.n * sizeof *c->distances);
    double *col = malloc((size_t)prev.n * sizeof *col);
    if (!c->samples || !c->weights || !c->distances || !col) rc = GP_ERR_NOMEM(err);
    for (int i = 0; i < nu && !rc; i++) {
      for (int j = 0; j < prev.n; j++) col[j] = prev.v[(size_t)j * (size_t)nu + (size_t)i];
      c->value[i] = wquantile(col, prev.w, prev.n, 0.5, order);
      c->lo[i] = wquantile(col, prev.w, prev.n, 0.025, order);
      c->hi[i] = wquantile(col, prev.w, prev.n, 0.975, order);
      c->interval[i] = GP_INTERVAL_POSTERIOR;
      if (c->cal->unknowns[i].integer) c->value[i] = nearbyint(c->value[i]);
    }
    if (!rc) {
      memcpy(c->samples, prev.v, (size_t)prev.n * (size_t)nu * sizeof *c->samples);
      memcpy(c->weights, prev.w, (size_t)prev.n * sizeof *c->weights);
      memcpy(c->distances, prev.d, (size_t)prev.n * sizeof *c->distances);
    }
    free(col);
  }
  gen_free(&prev);
  gen_free(&cur);
  if (rng) gsl_rng_free(rng);
  if (S) gsl_matrix_free(S);
  free(bx);
  free(bv);
  free(bd);
  free(mean);
  free(y);
  free(z);
  free(seeds);
  free(order);
  return rc;
}
