/*
 * models/experiment/calibrate.h - `gpuplan calibrate`: fit the unknowns of a
 * scenario's "calibration" block (models/scenario/calibration.h) to its
 * targets, by a point fit (Nelder-Mead) or a posterior sample (ABC-SMC).
 *
 * A set of the unknowns' values is played as one point of gp_measure_run
 * (the scenario without the block, the values put in at their paths, one
 * policy), K replications; the hook of measure.h keeps each target's
 * source row of /policies/P/calls, and a target's simulated value is its
 * metric's mean over the K replications.
 *
 * nelder-mead: minimises S(v) = sum_t ((mean_t(v) - value_t) / sd_t)^2 with
 * GSL's nmsimplex2 in the unit cube of the unknowns (coordinate x maps to
 * the unknown's prior x-quantile: min + x (max - min) without a prior; a
 * point outside the cube is clamped to it and pays 1e4 x its squared
 * distance), from STARTS starts (points 1.. of GSL's Sobol sequence, shrunk
 * to [0.1, 0.9]); every evaluation replays the same K replications of the
 * scenario's seed (common random numbers: S is deterministic).  Integer
 * unknowns are rounded inside the objective; the best start is then
 * improved by a local search of +-1 on each integer unknown.  Intervals:
 * the local quadratic, 2 H^-1 with H the finite-difference Hessian of S at
 * the estimate (S is -2 log likelihood of Gaussian targets), 95% = +-1.96
 * sd; when H is not positive definite, an unknown with positive curvature
 * gets sqrt(2 / H_ii) (its conditional interval) and one without gets its
 * whole box (gp_calibrate_interval_names).
 *
 * abc: ABC-SMC (Beaumont, Cornuet, Marin & Robert 2009, Biometrika 96:
 * 983-990): generation 0 draws PARTICLES from the prior (uniform in the
 * unit cube, which the prior's quantiles map to values); generation g
 * keeps the tolerance eps_g = the median of generation g-1's distances,
 * proposes by drawing a particle by weight and moving it by a Gaussian
 * kernel of twice the weighted covariance (cube coordinates; outside the
 * cube = prior 0, drawn again), accepts when the distance sqrt(S) of a
 * fresh simulation (its own seed: not common random numbers) is within
 * eps_g, and weighs by 1 / sum_j w_j K(x | x_j).  The schedule stops after
 * GENERATIONS generations, or earlier when a generation needs more than 20
 * x PARTICLES simulations (the last complete generation is the posterior).
 * The estimate is the weighted posterior median, the interval its 2.5% and
 * 97.5% weighted quantiles; the fit table is at the estimate, on common
 * random numbers, with max(K, 10) replications.
 *
 * Invariant: results depend on the scenario, the seed and the options, not
 * on the number of threads or MPI ranks (each point is measure's; every
 * random draw is made on the calling thread).
 */
#ifndef GP_CALIBRATE_H
#define GP_CALIBRATE_H

#include <stdint.h>

#include "models/experiment/plan.h"
#include "models/scenario/calibration.h"
#include "sim/err.h"

typedef enum gp_calibrate_method { GP_CALIBRATE_NELDER_MEAD = 0, GP_CALIBRATE_ABC } gp_calibrate_method;
extern const char *const gp_calibrate_method_names[]; /* "nelder-mead", "abc"; NULL-ended */

typedef enum gp_calibrate_interval {
  GP_INTERVAL_HESSIAN = 0, /* from 2 H^-1 */
  GP_INTERVAL_CONDITIONAL, /* H not positive definite: from H_ii alone */
  GP_INTERVAL_BOX,         /* no curvature: the whole box */
  GP_INTERVAL_POSTERIOR    /* abc: weighted 2.5% and 97.5% quantiles */
} gp_calibrate_interval;
extern const char *const gp_calibrate_interval_names[];

/* STAGE of STAGES (a start, a generation), EVALS simulations of K
 * replications so far, the best objective so far, SECONDS since the
 * start; FINAL once at the end.  Called on the calling thread. */
typedef void gp_calibrate_progress_fn(void *ctx, int stage, int stages, long long evals,
                                      double best, double seconds, int final);

typedef struct gp_calibrate_spec {
  const char *path;          /* scenario file; NULL = the built-in baseline */
  const char *const *sets;   /* --set overrides, nsets of them */
  int nsets;
  long long seed;            /* -1 = the scenario's */
  const char *policy;        /* one policy's name; NULL = the scenario's first */
  gp_calibrate_method method;
  int reps;                  /* K >= 1 replications per evaluation */
  int starts;                /* nelder-mead: >= 1 */
  int particles;             /* abc: >= 10 */
  int generations;           /* abc: >= 1 */
  int threads;               /* per rank; <= 0 = as many as cores */
  gp_calibrate_progress_fn *progress; /* NULL = none */
  void *progress_ctx;
} gp_calibrate_spec;

typedef struct gp_calibrate {
  gp_plan *plan;                 /* the scenario as loaded, one policy */
  const gp_scenario *s;          /* plan->points[0].s */
  const struct gp_calibration *cal; /* s->calibration */
  gp_calibrate_method method;
  int reps, starts, particles, generations;
  uint64_t seed;                 /* the scenario's, after --seed */
  int nu, nt;                    /* unknowns, targets */
  /* the estimate, per unknown */
  double *value, *lo, *hi;       /* in the unknown's unit */
  int *interval;                 /* gp_calibrate_interval */
  double objective;              /* S at the estimate */
  /* the fit at the estimate, per target */
  int fit_reps;                  /* replications behind it */
  double *mean, *mean_lo, *mean_hi, *residual; /* simulated mean, its 95% interval,
                                                  (mean - value) / sd */
  /* nelder-mead: per start */
  double *start_from, *start_to; /* starts x nu values */
  double *start_objective;       /* starts */
  int *start_iterations;
  /* abc */
  int nsamples;                  /* the posterior's particles */
  double *samples;               /* nsamples x nu values */
  double *weights;               /* nsamples, summing to 1 */
  double *distances;             /* nsamples: sqrt(S) of each particle's simulation */
  int ngen;                      /* complete generations */
  double *gen_tolerance, *gen_ess, *gen_acceptance; /* per generation (tolerance inf at 0) */
  long long *gen_simulations;
  long long evaluations;         /* simulations of K replications (or 1, abc) */
  double seconds;                /* wall-clock, for the console only (never in the file) */
} gp_calibrate;

/* Load SPEC's scenario, check its block, fit.  0 with *OUT (free with
 * gp_calibrate_free) on rank 0, *OUT NULL on other MPI ranks; -1 with ERR
 * set.  GP_EX_USAGE for options out of range; GP_EX_DATAERR for a scenario
 * without a calibration block or with a metric that is no numeric field of
 * the calls row (located). */
int gp_calibrate_run(const gp_calibrate_spec *spec, gp_calibrate **out, gp_err *err);
void gp_calibrate_free(gp_calibrate *c);

/* Check S's calibration metrics against the calls row: 0, or -1 with a
 * located ERR (for `gpuplan validate`). */
int gp_calibrate_check(const gp_scenario *s, gp_err *err);

#endif /* GP_CALIBRATE_H */
