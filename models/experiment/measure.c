/*
 * models/experiment/measure.c - points of a design run on threads and MPI
 * ranks, summary metrics kept in memory (see measure.h).
 *
 * Invariant: a worker writes only the slots of the unit (point, block of
 * replications) it took, and takes each unit at most once (the chains are
 * cut under the lock: take_unit), so the matrix does not depend on the
 * schedule; the cut
 * into units depends only on the spec, the ranks and the largest thread
 * count of any rank (the same on every rank), and rank 0 copies each other
 * rank's units from that rank's whole matrix, by the same u % size rule
 * that gave them.
 */
#include "models/experiment/measure.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/experiment/budget.h"
#include "models/results/metrics.h"
#include "models/run/run.h"
#include "models/world/wcache.h"
#include "sim/interrupt.h"
#include "sim/par.h"

#define TAG_MEASURE 0x6d73

typedef struct measure {
  const gp_measure_spec *sp;
  double *y;               /* the matrix */
  const gp_field **field;  /* nmetrics: each metric's field of gp_summary_row */
  int lean;                /* the runs fill only what the metrics read (gp_runner_set_lean) */
  int rank, size;
  int nb, bs;              /* blocks per point, replications per block (the last may be short) */
  int threads;             /* worker threads of this rank */
  int nunits;              /* npoints * nb; unit u = block u % nb of point u / nb */
  int *left;               /* npoints: this rank's units of point k not finished; guarded by lock */
  /* This rank's units are u = rank + j * size, j in [0, mine); thread t
   * takes j from its chain [lo[t], hi[t]) in order, then steals the back
   * half of the longest chain left (so that a thread runs consecutive
   * points, whose worlds its cache mostly holds); guarded by lock. */
  int mine;
  int *lo, *hi;            /* threads of each */
  int nthreads_started;    /* thread ids handed out; guarded by lock */
  struct timespec t0;
  pthread_mutex_t lock;
  int done;                /* points finished; guarded by lock */
  long long reps;          /* policy-replications played; guarded by lock */
  int failed;              /* guarded by lock */
  gp_err err;              /* first failure; guarded by lock */
} measure;

static double seconds(const measure *ms) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - ms->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - ms->t0.tv_nsec);
}

/* Unit U's point and its replications [*R0, *R1) (matrix indices). */
static int unit_reps(const measure *ms, int u, int *r0, int *r1) {
  *r0 = (u % ms->nb) * ms->bs;
  *r1 = *r0 + ms->bs < ms->sp->nreps ? *r0 + ms->bs : ms->sp->nreps;
  return u / ms->nb;
}

/* The replications a worker's world cache keeps, sized on the first
 * point it runs (S): a unit's (the next unit plays the same ones again),
 * fewer when the workers' caches would take more than a quarter of the
 * machine's memory (budget.h); 0 = no cache.  Only speed depends on it. */
static int cache_reps(const measure *ms, const gp_scenario *s) {
  double machine = gp_budget_machine_bytes(), one = gp_budget_wcache_bytes(s, 1);
  if (!(machine > 0) || !(one > 0)) return ms->bs;
  double fit = floor(machine / 4 / ms->threads / one);
  return fit < ms->bs ? (int)fit : ms->bs;
}

/* Unit U: its point's scenario, its replications of every policy, their
 * metrics. */
static int run_unit(measure *ms, int u, gp_wcache **cachep, gp_err *err) {
  const gp_measure_spec *sp = ms->sp;
  int r0, r1, k = unit_reps(ms, u, &r0, &r1);
  gp_scenario *s = sp->point(sp->ctx, k, err);
  if (!s) return -1;
  int rc = 0;
  if (!*cachep) {
    int reps = cache_reps(ms, s);
    if (reps > 0 && !(*cachep = gp_wcache_new(reps))) rc = GP_ERR_NOMEM(err);
  }
  gp_wcache *cache = *cachep;
  if (s->npolicies != sp->npol)
    rc = GP_ERR(err, GP_EX_SOFTWARE, "measure: point %d runs %d policies, not %d", k,
                s->npolicies, sp->npol);
  gp_runner *runner = rc ? NULL : gp_runner_new(s);
  gp_world *wd = NULL;
  if (!rc && !runner) rc = GP_ERR_NOMEM(err);
  if (runner) gp_runner_set_lean(runner, ms->lean);
  for (int r = r0; r < r1 && !rc; r++) {
    if (gp_interrupted) {
      rc = GP_ERR(err, GP_EX_SIGNAL + (int)gp_interrupted, "interrupted by signal %d",
                  (int)gp_interrupted);
      break;
    }
    if (!(wd = gp_world_renew_cached(wd, s, sp->first_rep + r, cache, err))) {
      rc = -1;
      break;
    }
    for (int p = 0; p < sp->npol && !rc; p++) {
      gp_run_out out;
      if (gp_runner_play(runner, wd, p, 0, &out, err) != 0) {
        rc = -1;
        break;
      }
      for (int m = 0; m < sp->nmetrics; m++)
        ms->y[gp_measure_at(sp, k, p, r, m)] = gp_field_get(ms->field[m], &out.summary);
      if (sp->out) sp->out(sp->out_ctx, k, p, r, &out);
      gp_run_out_free(&out);
    }
  }
  gp_world_free(wd);
  gp_runner_free(runner);
  if (sp->release) sp->release(sp->ctx, k, s);
  else gp_scenario_free(s);
  return rc ? -1 : 0;
}

/* Thread T's next unit (its chain's next, else stolen from the longest
 * chain's back half), or -1 when none is left or the run stops.  Under the
 * lock. */
static int take_unit(measure *ms, int t) {
  if (ms->failed || gp_interrupted) return -1;
  if (ms->lo[t] >= ms->hi[t]) {
    int v = -1;
    for (int i = 0; i < ms->threads; i++)
      if (ms->hi[i] - ms->lo[i] > 0 && (v < 0 || ms->hi[i] - ms->lo[i] > ms->hi[v] - ms->lo[v]))
        v = i;
    if (v < 0) return -1;
    int mid = ms->lo[v] + (ms->hi[v] - ms->lo[v]) / 2; /* one left: the thief takes it */
    ms->lo[t] = mid;
    ms->hi[t] = ms->hi[v];
    ms->hi[v] = mid;
  }
  return ms->rank + ms->lo[t]++ * ms->size;
}

/* A worker keeps one world cache (models/world/wcache.h) for every unit it
 * runs: the next point's worlds copy the demand sources, online times and
 * failures its step did not move (cache_reps: its size). */
static void *worker(void *arg) {
  measure *ms = arg;
  const gp_measure_spec *sp = ms->sp;
  gp_wcache *cache = NULL;
  pthread_mutex_lock(&ms->lock);
  int t = ms->nthreads_started++ % ms->threads;
  pthread_mutex_unlock(&ms->lock);
  for (;;) {
    pthread_mutex_lock(&ms->lock);
    int u = take_unit(ms, t);
    pthread_mutex_unlock(&ms->lock);
    if (u < 0) break;
    gp_err err;
    gp_err_clear(&err);
    int rc = run_unit(ms, u, &cache, &err);
    pthread_mutex_lock(&ms->lock);
    if (rc && !ms->failed) {
      ms->failed = 1;
      ms->err = err;
    }
    if (!rc) {
      int r0, r1, k = unit_reps(ms, u, &r0, &r1);
      ms->reps += (long long)(r1 - r0) * sp->npol;
      if (--ms->left[k] == 0) {
        ms->done++;
        if (sp->progress)
          sp->progress(sp->progress_ctx, ms->done, sp->npoints, ms->reps, seconds(ms), 0);
      }
    }
    pthread_mutex_unlock(&ms->lock);
  }
  gp_wcache_free(cache);
  return NULL;
}

/* Rank 0 takes every other rank's units; every rank learns whether any
 * failed (the largest exit code).  0, or -1 with ERR set. */
static int gather(measure *ms, size_t n, gp_err *err) {
  int code = gp_par_max(ms->failed ? (ms->err.code ? ms->err.code : GP_EX_SOFTWARE) : 0);
  if (code) {
    if (ms->failed) *err = ms->err;
    else GP_ERR(err, code, "another MPI rank failed (exit %d)", code);
    return -1;
  }
  if (ms->size == 1) return 0;
  const gp_measure_spec *sp = ms->sp;
  if (ms->rank != 0)
    return gp_par_send(ms->y, n * sizeof *ms->y, 0, TAG_MEASURE)
               ? GP_ERR(err, GP_EX_SOFTWARE, "rank %d: could not send its points", ms->rank)
               : 0;
  double *buf = malloc(n * sizeof *buf);
  if (!buf) {
    gp_par_abort(GP_EX_OSERR);
    return GP_ERR_NOMEM(err);
  }
  int rc = 0;
  for (int src = 1; src < ms->size && !rc; src++) {
    if (gp_par_recv(buf, n * sizeof *buf, src, TAG_MEASURE)) {
      rc = GP_ERR(err, GP_EX_SOFTWARE, "rank 0: could not receive rank %d's points", src);
      break;
    }
    for (int u = src; u < ms->nunits; u += ms->size) {
      int r0, r1, k = unit_reps(ms, u, &r0, &r1);
      for (int p = 0; p < sp->npol; p++) {
        size_t at = gp_measure_at(sp, k, p, r0, 0);
        memcpy(ms->y + at, buf + at, (size_t)(r1 - r0) * (size_t)sp->nmetrics * sizeof *buf);
      }
    }
  }
  free(buf);
  return rc;
}

double *gp_measure_run(const gp_measure_spec *sp, gp_err *err) {
  if (sp->npoints < 1 || sp->nreps < 1 || sp->npol < 1 || sp->nmetrics < 1 || !sp->point ||
      sp->first_rep < 0 || sp->nreps > INT_MAX - sp->first_rep) {
    GP_ERR(err, GP_EX_SOFTWARE,
           "measure: %d points, %d replications from %d, %d policies, %d metrics", sp->npoints,
           sp->nreps, sp->first_rep, sp->npol, sp->nmetrics);
    return NULL;
  }
  measure ms;
  memset(&ms, 0, sizeof ms);
  ms.sp = sp;
  ms.rank = gp_par_rank();
  ms.size = gp_par_size();
  int threads = sp->threads > 0 ? sp->threads : gp_par_cores();
  /* Fewer points than workers anywhere: cut each point's replications into
   * about 2 * workers / points blocks, so a single point keeps every worker
   * busy.  gp_par_max makes the cut the same on every rank. */
  long long workers = (long long)gp_par_max(threads) * ms.size;
  ms.nb = 1;
  if (sp->npoints < workers) {
    long long nb = (2 * workers + sp->npoints - 1) / sp->npoints;
    ms.nb = nb < sp->nreps ? (int)nb : sp->nreps;
  }
  ms.bs = (sp->nreps + ms.nb - 1) / ms.nb;
  ms.nb = (sp->nreps + ms.bs - 1) / ms.bs;
  ms.nunits = sp->npoints * ms.nb; /* <= npoints * nreps: the matrix's size bounds it */
  gp_err_clear(&ms.err);
  clock_gettime(CLOCK_MONOTONIC, &ms.t0);
  size_t n = (size_t)sp->npoints * (size_t)sp->npol * (size_t)sp->nreps * (size_t)sp->nmetrics;
  ms.y = malloc(n * sizeof *ms.y);
  ms.field = malloc((size_t)sp->nmetrics * sizeof *ms.field);
  ms.left = calloc((size_t)sp->npoints, sizeof *ms.left);
  if (!ms.y || !ms.field || !ms.left) {
    free(ms.y);
    free(ms.field);
    free(ms.left);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  for (int u = ms.rank; u < ms.nunits; u += ms.size) ms.left[u / ms.nb]++;
  for (size_t i = 0; i < n; i++) ms.y[i] = NAN; /* a point not run here stays NaN */
  gp_stat_count();
  for (int m = 0; m < sp->nmetrics; m++) {
    if (sp->metrics[m] < 0 || sp->metrics[m] >= gp_stat_nmetrics) {
      ms.failed = 1;
      GP_ERR(&ms.err, GP_EX_SOFTWARE, "measure: no summary metric %d", sp->metrics[m]);
      break;
    }
    ms.field[m] = gp_stat_field(sp->metrics[m]);
  }
  /* Without an out hook nothing but the metrics is read: the runs need not
   * compute the tail and equity metrics unless one of them is one. */
  ms.lean = !sp->out && !ms.failed;
  for (int m = 0; ms.lean && m < sp->nmetrics; m++)
    if (gp_run_lean_omits(ms.field[m]->offset)) ms.lean = 0;
  if (threads > ms.nunits) threads = ms.nunits;
  ms.threads = threads;
  ms.mine = ms.nunits > ms.rank ? (ms.nunits - ms.rank + ms.size - 1) / ms.size : 0;
  ms.lo = malloc((size_t)threads * sizeof *ms.lo);
  ms.hi = malloc((size_t)threads * sizeof *ms.hi);
  if (!ms.lo || !ms.hi) {
    ms.failed = 1;
    GP_ERR_NOMEM(&ms.err);
  } else {
    for (int i = 0; i < threads; i++) {
      ms.lo[i] = (int)((long long)ms.mine * i / threads);
      ms.hi[i] = (int)((long long)ms.mine * (i + 1) / threads);
    }
  }
  pthread_mutex_init(&ms.lock, NULL);
  if (!ms.failed) gp_par_threads(threads, worker, &ms);
  pthread_mutex_destroy(&ms.lock);
  if (!ms.failed && gp_interrupted) {
    ms.failed = 1;
    GP_ERR(&ms.err, GP_EX_SIGNAL + (int)gp_interrupted, "interrupted by signal %d",
           (int)gp_interrupted);
  }
  int rc = gather(&ms, n, err);
  if (!rc && sp->progress)
    sp->progress(sp->progress_ctx, ms.done, sp->npoints, ms.reps, seconds(&ms), 1);
  free(ms.field);
  free(ms.left);
  free(ms.lo);
  free(ms.hi);
  if (rc || ms.rank != 0) {
    free(ms.y);
    return NULL;
  }
  return ms.y;
}

static gp_scenario *plan_point(void *ctx, int k, gp_err *err) {
  (void)err;
  const gp_plan *pl = ctx;
  return pl->points[k].s;
}

static void plan_release(void *ctx, int k, gp_scenario *s) {
  (void)ctx;
  (void)k;
  (void)s; /* the plan's */
}

void gp_measure_plan(gp_measure_spec *sp, const gp_plan *plan) {
  sp->npoints = plan->npoints;
  sp->npol = plan->npoints > 0 ? plan->points[0].s->npolicies : 0;
  sp->point = plan_point;
  sp->release = plan_release;
  sp->ctx = (void *)(uintptr_t)plan;
}
