/*
 * models/experiment/workers.h - the workers of an experiment: a pool of
 * threads on every rank that runs a point's replications in batches.
 *
 * Workers take replication numbers from a shared counter; each replication
 * builds its world once and plays every policy against it (one runner per
 * thread keeps its buffers from one policy-replication to the next), then
 * puts the results in the point's store at their (policy, replication)
 * slots.  In a two-level run (the store's design, design.h) a replication
 * first loads its own scenario, with a runner and a world for it, and frees
 * them after its last policy.  With a precision target, more batches of the first batch's size
 * follow until the key metrics are precise enough or the store is full;
 * each replication's seeds depend only on its number, so the result equals
 * a run of that many replications.
 *
 * Interrupts: once gp_interrupted is set, no replication starts, and one
 * in flight is dropped (not counted as a failure); what finished stays in
 * the store (its rep_ok marks).
 */
#ifndef GP_WORKERS_H
#define GP_WORKERS_H

#include "models/experiment/store.h"
#include "sim/err.h"

/* Where the experiment stands, for a progress display. */
typedef struct gp_workers_status {
  int done;         /* replications finished, over the experiment */
  int total;        /* replications to run, as known now (a precision target adds batches) */
  double seconds;   /* since the workers started */
  int final;        /* 1 once, after the last batch of the experiment */
  double target;    /* the precision target of the point being run; 0 = none */
  double precision; /* with a target: its largest relative 95% half-width of the key metrics
                     * (gp_store_precision) after its last batch; NaN before the first */
  int cap;          /* with a target: the most replications the point may reach */
} gp_workers_status;

/* Progress: called from worker threads, one call at a time, after every
 * replication, and once more (final) after the last batch. */
typedef void gp_workers_progress(void *ctx, const gp_workers_status *status);

typedef struct gp_workers gp_workers;

/* THREADS per rank (<= 0: as many as cores); PROGRESS may be NULL. */
gp_workers *gp_workers_new(int threads, gp_workers_progress *progress, void *ctx, gp_err *err);
void gp_workers_free(gp_workers *w);

/* Add N replications to the total the progress reports. */
void gp_workers_expect(gp_workers *w, int n);

/* Run the point of ST: replications [0, s->replications), then, with
 * PRECISION > 0, batches of as many until gp_store_precision(ST) <=
 * PRECISION or ST holds cap_reps (rank 0 decides, for every rank).  Every
 * replication ends up in ST on rank 0.  0, or -1 on every rank when one
 * failed (rank 0 has the message in ERR).  An interrupt ends it early with
 * 0. */
int gp_workers_run(gp_workers *w, gp_store *st, double precision, gp_err *err);

/* The final progress report (when there is a progress callback). */
void gp_workers_finish(gp_workers *w);

/* Seconds since gp_workers_new. */
double gp_workers_seconds(const gp_workers *w);

#endif /* GP_WORKERS_H */
