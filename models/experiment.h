/*
 * models/experiment.h - run a scenario: every policy x every replication,
 * then write the one HDF5 result file and print a summary.
 *
 * Replications run on a pool of threads; each replication builds its world
 * once and plays every policy against it.  Results are stored by
 * (policy, replication) index, so the file is identical whatever the number
 * of threads.
 */
#ifndef GP_EXPERIMENT_H
#define GP_EXPERIMENT_H

#include <stdio.h>

#include "models/scenario.h"
#include "sim/err.h"

typedef struct gp_exp_opts {
  const char *out_path; /* HDF5 file to write */
  int threads;          /* 0 = all cores */
  int progress;         /* 1: show progress on stderr (a terminal) */
  FILE *summary;        /* where to print the summary table; NULL = nowhere */
} gp_exp_opts;

int gp_experiment_run(const gp_scenario *s, const gp_exp_opts *o, gp_err *err);

#endif /* GP_EXPERIMENT_H */
