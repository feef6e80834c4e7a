/*
 * models/experiment/workers.c - threads running replications in batches
 * (see workers.h).
 *
 * Invariant: a worker writes only the slots of the replication it took, and
 * takes each replication of the batch at most once (the counter is under
 * the lock), so no two threads write the same slot and the store does not
 * depend on the schedule.
 */
#include "models/experiment/workers.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/experiment/design.h"
#include "models/experiment/ranks.h"
#include "sim/interrupt.h"
#include "sim/par.h"

struct gp_workers {
  int threads;                   /* per rank */
  int rank, size;                /* this process among the MPI ranks (0 of 1 without MPI) */
  gp_workers_progress *progress; /* NULL = none */
  void *ctx;
  struct timespec t0;
  pthread_mutex_t lock;
  int done, total;               /* replications over the experiment; guarded by lock */
  double target, precision;      /* the point's, for progress (gp_workers_status); guarded by lock */
  int cap;
  /* The batch being run: replications [next_rep, end_rep) of st. */
  gp_store *st;
  int next_rep, end_rep;         /* guarded by lock */
  int failed;                    /* guarded by lock */
  gp_err err;                    /* first failure; guarded by lock */
};

gp_workers *gp_workers_new(int threads, gp_workers_progress *progress, void *ctx, gp_err *err) {
  gp_workers *w = calloc(1, sizeof *w);
  if (!w) {
    GP_ERR_NOMEM(err);
    return NULL;
  }
  w->threads = threads > 0 ? threads : gp_par_cores();
  w->rank = gp_par_rank();
  w->size = gp_par_size();
  w->progress = progress;
  w->ctx = ctx;
  clock_gettime(CLOCK_MONOTONIC, &w->t0);
  pthread_mutex_init(&w->lock, NULL);
  gp_err_clear(&w->err);
  return w;
}

void gp_workers_free(gp_workers *w) {
  if (!w) return;
  pthread_mutex_destroy(&w->lock);
  free(w);
}

double gp_workers_seconds(const gp_workers *w) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - w->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - w->t0.tv_nsec);
}

void gp_workers_expect(gp_workers *w, int n) {
  pthread_mutex_lock(&w->lock);
  w->total += n;
  pthread_mutex_unlock(&w->lock);
}

/* Tell the progress callback; with the lock held (or no threads). */
static void report(gp_workers *w, int final) {
  if (!w->progress) return;
  gp_workers_status s = {w->done,   w->total,     gp_workers_seconds(w), final,
                         w->target, w->precision, w->cap};
  w->progress(w->ctx, &s);
}

void gp_workers_finish(gp_workers *w) { report(w, 1); }

/* The roadmap row of replication REP from its world. */
static void roadmap_row(const gp_scenario *s, const gp_world *wd, int rep, gp_roadmap_row *rr) {
  int target = s->target_gpus > 0;
  rr->rep = rep;
  rr->installed_at_target =
      target ? gp_world_installed_at(s, wd, s->target_date, &rr->h100e_at_target) : NAN;
  if (!target) rr->h100e_at_target = NAN;
  double t = gp_world_target_reached(s, wd); /* -1 = not by the end */
  rr->date_reached = t >= 0 ? t : NAN;
  rr->reached_by_target = t >= 0 && t <= s->target_date;
}

/* Replication REP of ST on S: its world (made in *WD, renewed) and every
 * policy through RUNNER, into ST's slots. */
static void play(gp_store *st, gp_runner *runner, gp_world **wd, const gp_scenario *s, int rep,
                 gp_err *err) {
  *wd = runner ? gp_world_renew(*wd, s, rep, err) : NULL;
  if (!runner) GP_ERR_NOMEM(err);
  if (*wd) {
    roadmap_row(s, *wd, rep, &st->roadmap[rep]);
    memcpy(gp_store_online(st, rep), (*wd)->online, (size_t)st->s->ntranches * sizeof *(*wd)->online);
  }
  for (int p = 0; *wd && p < st->npol && !err->code; p++) {
    int detail = rep < st->detail_cap;
    gp_run_out out;
    if (gp_runner_play(runner, *wd, p, detail, &out, err) != 0) break;
    *gp_store_summary(st, p, rep) = out.summary;
    if (st->norigins) memcpy(gp_store_calls(st, p, rep), out.calls, st->norigins * sizeof *out.calls);
    if (detail) *gp_store_detail(st, p, rep) = out;
    else gp_run_out_free(&out);
  }
}

/* Replication REP of a two-level run: its own scenario, and a runner and a
 * world for it (a runner is sized by its scenario), all freed after. */
static void play_own(gp_store *st, int rep, gp_err *err) {
  gp_scenario *s = gp_design_scenario(st->design, rep, err);
  gp_runner *runner = s ? gp_runner_new(s) : NULL;
  gp_world *wd = NULL;
  if (s) play(st, runner, &wd, s, rep, err);
  gp_world_free(wd);
  gp_runner_free(runner);
  gp_scenario_free(s);
}

/* Take replications of this rank from the batch until none is left.  One
 * runner and one world per worker keep their arrays from one
 * policy-replication to the next. */
static void *worker(void *arg) {
  gp_workers *w = arg;
  gp_store *st = w->st;
  gp_runner *runner = gp_runner_new(st->s);
  gp_world *wd = NULL;
  for (;;) {
    pthread_mutex_lock(&w->lock);
    int rep = w->failed || gp_interrupted ? w->end_rep : w->next_rep++;
    pthread_mutex_unlock(&w->lock);
    if (rep >= w->end_rep) break;
    if (rep % w->size != w->rank) continue; /* another rank's */
    gp_err err;
    gp_err_clear(&err);
    if (st->design) play_own(st, rep, &err);
    else play(st, runner, &wd, st->s, rep, &err);
    pthread_mutex_lock(&w->lock);
    /* A replication cut short by a signal is not a failure: it is dropped. */
    if (err.code && err.code < GP_EX_SIGNAL && !w->failed) {
      w->failed = 1;
      w->err = err;
    }
    st->rep_ok[rep] = !err.code;
    w->done++;
    report(w, 0);
    pthread_mutex_unlock(&w->lock);
  }
  gp_world_free(wd);
  gp_runner_free(runner);
  return NULL;
}

/* Run replications [from, to) of ST on this rank's threads and gather them
 * on rank 0. */
static int run_batch(gp_workers *w, gp_store *st, int from, int to, gp_err *err) {
  w->st = st;
  w->next_rep = from;
  w->end_rep = to;
  gp_par_threads(w->threads > to - from ? to - from : w->threads, worker, w);
  gp_store_ran(st, to);
  if (gp_ranks_gather(st, from, to, &w->failed, &w->err) == 0) return 0;
  *err = w->err;
  return -1;
}

/* The precision reached so far, for progress. */
static void set_precision(gp_workers *w, double target, double reached, int cap) {
  pthread_mutex_lock(&w->lock);
  w->target = target;
  w->precision = reached;
  w->cap = cap;
  pthread_mutex_unlock(&w->lock);
}

int gp_workers_run(gp_workers *w, gp_store *st, double precision, gp_err *err) {
  int batch = st->s->replications;
  set_precision(w, precision > 0 ? precision : 0, NAN, st->cap_reps);
  int rc = run_batch(w, st, 0, batch, err);
  /* Rank 0 has every replication: it decides whether to go on, for all. */
  while (!rc && !gp_interrupted && precision > 0) {
    double reached = w->rank == 0 ? gp_store_precision(st) : NAN;
    set_precision(w, precision, reached, st->cap_reps);
    if (st->nreps >= st->cap_reps || !gp_par_bcast(w->rank == 0 && reached > precision)) break;
    int to = st->nreps + batch < st->cap_reps ? st->nreps + batch : st->cap_reps;
    gp_workers_expect(w, to - st->nreps);
    rc = run_batch(w, st, st->nreps, to, err);
  }
  return rc;
}
