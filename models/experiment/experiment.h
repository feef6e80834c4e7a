/*
 * models/experiment/experiment.h - run a scenario: every sweep point x policy x
 * replication, then write the one HDF5 result file and print a summary.
 *
 * Replications run on a pool of threads; each replication builds its world
 * once and plays every policy against it.  Results are stored by
 * (point, policy, replication) index, so the file is identical whatever the
 * number of threads (or MPI ranks).
 *
 * Without a sweep (one point, no overrides) the file's tree is at the root:
 * /policies, /stats, /compare, /roadmap.  With a sweep, the same tree sits
 * under /points/K for each point K, whose attributes give the swept values.
 */
#ifndef GP_EXPERIMENT_H
#define GP_EXPERIMENT_H

#include <stdio.h>

#include "models/scenario/scenario.h"
#include "sim/err.h"

typedef struct gp_exp_point {
  const gp_scenario *s;
  char **sets;   /* the sweep's "path=value" overrides of this point */
  int nsets;     /* 0 without a sweep */
} gp_exp_point;

typedef struct gp_exp_opts {
  const char *out_path; /* HDF5 file to write */
  int threads;          /* 0 = all cores */
  int progress;         /* 1: show progress on stderr */
  FILE *summary;        /* where to print the summary table; NULL = nowhere */
  double precision;     /* > 0: add replications until the key metrics' 95% half-width is
                         * below this fraction of their mean, or max_reps */
  int max_reps;         /* cap for precision-driven runs */
} gp_exp_opts;

/* BASE gives the file's root attributes and /scenario; POINTS[0..n) are run. */
int gp_experiment_run(const gp_scenario *base, const gp_exp_point *points, int npoints,
                      const gp_exp_opts *o, gp_err *err);

/* The summary metrics whose precision --precision controls. */
extern const char *const gp_precision_metrics[];

#endif /* GP_EXPERIMENT_H */
