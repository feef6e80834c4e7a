/*
 * models/experiment/sensitivity.h - `gpuplan sensitivity`: which of a
 * scenario's "uncertain" factors move which summary metrics (issue 18).
 *
 * A factor is a coordinate of the scenario's uncertain block: a group (its
 * factors move together) or an ungrouped factor.  The design (Saltelli's
 * for Sobol indices, sim/sobol.h; Morris trajectories, sim/morris.h) gives
 * points in [0, 1)^G; point k is the scenario with every factor's value,
 * its inverse CDF at the point's coordinate (gp_uncertain_value), put in
 * through its --set path.  Each point plays K replications of every policy
 * (models/experiment/measure.h: replication r has the same seeds at every
 * point, common random numbers); the estimators take, per policy and
 * metric, the mean of the K replications at each point.
 *
 * With a calibration's posterior (`--posterior FILE`, FILE a `gpuplan
 * calibrate --method abc` output of the scenario), each calibrated unknown
 * is one more factor, after the block's: its value at coordinate u is the
 * u-quantile of the posterior's weighted marginal (the inverse of the
 * weighted empirical CDF of its particles).  The design makes factors
 * independent, so the posterior's correlation between unknowns is dropped.
 *
 * A metric that is NaN at some point for a policy (a mean over nothing)
 * gets no indices for that policy: its estimates are NaN and `refused`
 * says why; no point is ever dropped.
 *
 * Invariant: everything in a gp_sensitivity is a function of the scenario,
 * the seed and the options, never of the threads or MPI ranks that ran it.
 * Ownership: gp_sensitivity_free releases everything a result holds.
 */
#ifndef GP_SENSITIVITY_H
#define GP_SENSITIVITY_H

#include "models/experiment/calibout.h"
#include "models/experiment/measure.h"
#include "models/experiment/plan.h"
#include "models/scenario/scenario.h"
#include "sim/err.h"
#include "sim/morris.h"
#include "sim/sobol.h"

typedef enum gp_sensitivity_method { GP_SENSITIVITY_SOBOL = 0, GP_SENSITIVITY_MORRIS } gp_sensitivity_method;
/* "sobol", "morris", indexed by the method; NULL-terminated. */
extern const char *const gp_sensitivity_method_names[];

/* The most factors Sobol' indices take (gsl_qrng_sobol's 40 dimensions are
 * A's and B's coordinates), and the most any method takes (the tables'
 * factor enum is an int8). */
#define GP_SENSITIVITY_SOBOL_MAX 20
#define GP_SENSITIVITY_MAX_FACTORS 127
/* Bootstrap resamples and level of every interval. */
#define GP_SENSITIVITY_BOOT 1000
#define GP_SENSITIVITY_LEVEL 0.95

typedef struct gp_sensitivity_spec {
  const char *path;           /* scenario file; NULL = the built-in baseline */
  long long seed;             /* -1 = the scenario's */
  const char *policies;       /* names, comma-separated; NULL = every policy */
  gp_sensitivity_method method;
  int samples;                /* sobol: base rows N, >= 2 */
  int trajectories;           /* morris: R, >= 2 */
  int levels;                 /* morris: grid levels p, even, >= 2 */
  int reps;                   /* K replications per point, >= 2 */
  const int *metrics;         /* nmetrics summary metrics, gp_stat_index values */
  int nmetrics;
  int threads;                /* per rank; <= 0 = as many as cores */
  gp_measure_progress_fn *progress; /* NULL = none */
  void *progress_ctx;
  const char *posterior;      /* a calibrate --method abc file; NULL = none */
} gp_sensitivity_spec;

/* The metrics a spec without --metric analyses, NULL-terminated. */
extern const char *const gp_sensitivity_default_metrics[];

typedef struct gp_sensitivity {
  gp_plan *plan;            /* the scenario as loaded (plan->base; point 0 with its policies) */
  const gp_scenario *s;     /* plan->points[0].s: the policies run and the factors */
  gp_sensitivity_method method;
  int samples, trajectories, levels, reps;
  uint64_t seed;            /* the scenario's, after --seed */
  int nfactors;             /* G: coordinates of the design */
  char **factor;            /* G names: the group's, or an ungrouped factor's path */
  char **factor_paths;      /* G: the paths each moves, joined by ", " */
  int npoints;
  double *design;           /* npoints x G, in [0, 1) */
  double *values;           /* npoints x nvalues, each path's value */
  int nvalues;              /* paths varied: the block's factors, then the posterior's */
  const char **paths;       /* nvalues of them (strings borrowed from s and post) */
  gp_calibout_posterior *post; /* NULL, or the posterior whose unknowns are factors; owned */
  int nmetrics;
  int *metrics;             /* nmetrics gp_stat_index values */
  int npol;
  double *outputs;          /* [policy][point][metric]: mean over the K replications */
  char **refused;           /* [policy][metric]: why it has no indices, or NULL */
  gp_sobol_index *sobol;    /* [policy][metric][factor], sobol; NULL otherwise */
  gp_morris_index *morris;  /* [policy][metric][factor], morris; NULL otherwise */
  double seconds;           /* wall time of the runs */
  long long policy_reps;    /* policy-replications played */
} gp_sensitivity;

/* Load the scenario, build the design, run it, estimate.  *OUT gets the
 * result on rank 0 and NULL on the other ranks.  Usage errors
 * (GP_EX_USAGE): no "uncertain" block (and no posterior), a sweep, a factor's value set
 * elsewhere, more factors than the method takes, a bad count. */
int gp_sensitivity_run(const gp_sensitivity_spec *spec, gp_sensitivity **out, gp_err *err);
void gp_sensitivity_free(gp_sensitivity *r);

#endif /* GP_SENSITIVITY_H */
