/*
 * models/experiment/measure.h - run the points of a design and keep only
 * summary metrics, in memory: plan in, metric matrix out.
 *
 * For procedures that run many scenario variants and need a few numbers of
 * each (sensitivity analysis, selection, sizing): no result file, no
 * per-proposal rows, no time series.  Point k's scenario is made on demand
 * by a callback (on the worker thread that runs it, freed after: a design
 * of thousands of points never holds more than one scenario per thread),
 * and it plays replications first_rep..first_rep+K-1, every policy on each
 * replication's world.  Replication r's world is seeded from (the point's
 * seed, r), so with one seed for every point the points share their random
 * numbers (common random numbers), and differences between points are
 * paired; a sequential procedure asks for replications a stage at a time.
 *
 * The work is cut into units: (point, block of its replications).  With as
 * many points as workers (threads x ranks) or more, a unit is a whole point
 * (one scenario made per point); with fewer, a point's replications are
 * split into blocks so that one point still uses every worker (the point
 * callback is then called once per block, possibly at the same time).
 *
 * Invariant: a unit's values go to their own slots, whatever thread or MPI
 * rank ran it, so the matrix is the same under any number of either.
 * MPI ranks take the units u with u % size == rank, and rank 0 gathers
 * them all; within a rank each thread runs a chain of consecutive units
 * and, its chain done, takes the back half of the longest chain left, so
 * that its world cache (models/world/wcache.h) mostly holds the next
 * point's draws.
 */
#ifndef GP_MEASURE_H
#define GP_MEASURE_H

#include <stddef.h>

#include "models/experiment/plan.h"
#include "models/scenario/scenario.h"
#include "sim/err.h"

/* Point K's scenario, or NULL with ERR set.  Called from worker threads,
 * several at once. */
typedef gp_scenario *gp_measure_point_fn(void *ctx, int k, gp_err *err);
/* Give back point K's scenario S once its replications ran; NULL in the
 * spec = gp_scenario_free. */
typedef void gp_measure_release_fn(void *ctx, int k, gp_scenario *s);
/* DONE of TOTAL points finished (all their replications), REPS policy-replications played so far,
 * SECONDS since the start; FINAL once, at the end.  Called from worker
 * threads, one call at a time. */
typedef void gp_measure_progress_fn(void *ctx, int done, int total, long long reps,
                                    double seconds, int final);
/* What policy P's replication R at point K produced, for values the summary
 * metrics do not hold (per-source rows: calibrate.c); OUT is freed after
 * the call.  Called from worker threads, several at once (for different
 * points, or different replications of one point when a point's
 * replications are split into blocks). */
struct gp_run_out;
typedef void gp_measure_out_fn(void *ctx, int k, int p, int r, const struct gp_run_out *out);

typedef struct gp_measure_spec {
  int npoints;                     /* points 0..npoints-1, >= 1 */
  int nreps;                       /* K replications per point, >= 1 */
  int npol;                        /* policies each point's scenario runs (its npolicies) */
  const int *metrics;              /* nmetrics summary metrics: gp_stat_index values */
  int nmetrics;
  gp_measure_point_fn *point;      /* point k's scenario */
  gp_measure_release_fn *release;  /* NULL = gp_scenario_free */
  void *ctx;                       /* passed to point and release */
  int threads;                     /* per rank; <= 0 = as many as cores */
  gp_measure_progress_fn *progress; /* NULL = none */
  void *progress_ctx;
  gp_measure_out_fn *out;          /* NULL = none; with out_ctx, its ctx */
  void *out_ctx;
  int first_rep;                   /* the matrix's r is replication first_rep + r; >= 0, 0 = from the first */
} gp_measure_spec;

/* The value of metric m, policy p, replication first_rep + r (r in
 * 0..nreps-1) at point k, at index
 * ((k * npol + p) * nreps + r) * nmetrics + m of gp_measure_run's matrix. */
static inline size_t gp_measure_at(const gp_measure_spec *sp, int k, int p, int r, int m) {
  return (((size_t)k * (size_t)sp->npol + (size_t)p) * (size_t)sp->nreps + (size_t)r) *
             (size_t)sp->nmetrics +
         (size_t)m;
}

/* Run every point; the matrix (malloc'd, npoints x npol x nreps x nmetrics
 * doubles, see gp_measure_at) on rank 0, NULL on the other ranks and on
 * failure (ERR set; every rank fails together).  A point whose scenario
 * does not run npol policies fails it (GP_EX_SOFTWARE).  On SIGINT or
 * SIGTERM (sim/interrupt.h) no point starts after it and the run fails
 * with GP_EX_SIGNAL + the signal: a procedure stops with nothing. */
double *gp_measure_run(const gp_measure_spec *spec, gp_err *err);

/* SPEC's point, release and ctx set to play PLAN's points as they are
 * (borrowed: PLAN must outlive the run), and npoints, npol from it (every
 * point must run as many policies). */
void gp_measure_plan(gp_measure_spec *spec, const gp_plan *plan);

#endif /* GP_MEASURE_H */
