/*
 * models/experiment/experiment.h - run a plan: every point x policy x
 * replication, then write the one HDF5 result file and print a summary.
 *
 * The stages, one file each in this folder: the plan (plan.h: points,
 * with sweep.h and budget.h beside it), the workers (workers.h: threads,
 * batches, the precision loop), the MPI ranks (ranks.h), the results in
 * memory (store.h), the writer (writer.h: the file's layout) and the
 * console summary (console.h).  This file runs them in order.
 *
 * The file is identical whatever the number of threads or MPI ranks.  On
 * SIGINT or SIGTERM (sim/interrupt.h), the replications 0..k-1 that all
 * finished are written, marked complete = false, and the run fails with
 * GP_EX_SIGNAL + the signal number.
 */
#ifndef GP_EXPERIMENT_H
#define GP_EXPERIMENT_H

#include <stdio.h>

#include "models/experiment/plan.h"
#include "models/experiment/workers.h"
#include "sim/err.h"

typedef struct gp_experiment_opts {
  const char *out_path;          /* HDF5 file to write */
  int threads;                   /* per rank; <= 0 = all cores */
  double precision;              /* > 0: add replications until the key metrics' 95% half-width is
                                  * below this fraction of their mean, or max_reps */
  int max_reps;                  /* cap for precision-driven runs */
  FILE *summary;                 /* where to print the summary table; NULL = nowhere */
  gp_workers_progress *progress; /* called after each replication; NULL = no progress */
  void *progress_ctx;            /* passed to progress */
  int wide;                      /* 1: the summary one line per metric, however wide (run --wide);
                                  * 0: within 100 columns, policies in blocks */
} gp_experiment_opts;

/* Run PLAN; only rank 0 writes the file and the summary. */
int gp_experiment_run(const gp_plan *plan, const gp_experiment_opts *o, gp_err *err);

#endif /* GP_EXPERIMENT_H */
