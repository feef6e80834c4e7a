/*
 * models/rules/sched_conservative.c - conservative backfilling per pool
 * (Mu'alem and Feitelson 2001).
 *
 * Every project, when it joins its pool's queue, gets a reservation: the
 * earliest time at which some tranche of its type has room for it for its
 * whole planned holding time, in a profile of each tranche's future free
 * units (running projects hold theirs until their planned ends, waiting ones
 * their reservations).  A project starts when its reservation comes, and
 * only then; a wake-up calls the rule at that time in case nothing else
 * happens then.  When the pool's capacity changes otherwise than planned (a
 * project ends before its planned end, withdraws or is reclaimed, nodes come
 * online, fail or are repaired, an agreement ends: gp_rule_changes), the
 * profiles are made again from what runs and what is reserved, and the
 * schedule is compressed: in queue order, each waiting project gives up its
 * slot and takes the earliest one.  When only projects end early, no
 * reservation moves later (each project's own slot is still free for it);
 * capacity that is lost may push reservations later.  Capacity that will come
 * online later is not counted: a reservation never relies on it.
 *
 * Invariant (between calls): the profiles of a pool made at least once hold,
 * from now on, the tranche's free units less every waiting project's
 * reserved slot, given that running projects release at their planned ends.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/rule.h"

/* Free units of one tranche over time: f[i] from t[i] to t[i + 1] (the last
 * to +inf); t[0] is -inf, so every time falls in a step.  Adjacent steps
 * never have equal f.  n = 0: no profile (another pool's tranche, or one
 * whose agreement has ended). */
typedef struct profile {
  double *t;
  long long *f;
  size_t n, cap;
} profile;

/* The rule's state over a run (gp_rule_state). */
typedef struct state {
  int ntranches, npools;
  profile *prof;        /* per tranche */
  uint64_t *seen;       /* per pool: gp_rule_changes when its profiles were made */
  unsigned char *made;  /* per pool: 1 once they were */
  double *res;          /* per project: its reservation, days; NaN = none yet, HUGE_VAL = no
                         * tranche can ever take it */
  int *res_t;           /* per project: the reservation's tranche; -1 with HUGE_VAL */
} state;

static void state_free(void *v) {
  state *st = v;
  if (!st) return;
  for (int t = 0; st->prof && t < st->ntranches; t++) {
    free(st->prof[t].t);
    free(st->prof[t].f);
  }
  free(st->prof);
  free(st->seen);
  free(st->made);
  free(st->res);
  free(st->res_t);
  free(st);
}

/* The run's state, made at its first call.  NULL with the run failed. */
static state *state_of(gp_run *run) {
  void **slot = gp_rule_state(run);
  if (*slot) return *slot;
  size_t n = gp_rule_nprojects(run);
  state *st = gp_rule_alloc(run, 1, sizeof *st);
  if (!st) return NULL;
  memset(st, 0, sizeof *st);
  *slot = st;
  st->ntranches = gp_rule_ntranches(run);
  st->npools = gp_rule_npools(run);
  if (!(st->prof = gp_rule_alloc(run, (size_t)st->ntranches, sizeof *st->prof)) ||
      !(st->seen = gp_rule_alloc(run, (size_t)st->npools, sizeof *st->seen)) ||
      !(st->made = gp_rule_alloc(run, (size_t)st->npools, sizeof *st->made)) ||
      !(st->res = gp_rule_alloc(run, n, sizeof *st->res)) ||
      !(st->res_t = gp_rule_alloc(run, n, sizeof *st->res_t)))
    return NULL;
  memset(st->prof, 0, (size_t)st->ntranches * sizeof *st->prof);
  memset(st->made, 0, (size_t)st->npools);
  for (size_t i = 0; i < n; i++) st->res[i] = NAN;
  return st;
}

/* ---- profiles ---- */

/* Room for N steps; 0, or -1 with the run failed. */
static int prof_room(gp_run *run, profile *p, size_t n) {
  if (n <= p->cap) return 0;
  size_t cap = p->cap ? p->cap : 64;
  while (cap < n) cap *= 2;
  double *t = realloc(p->t, cap * sizeof *t);
  if (t) p->t = t;
  long long *f = realloc(p->f, cap * sizeof *f);
  if (f) p->f = f;
  if (!t || !f) return gp_rule_fail(run, GP_EX_OSERR, "out of memory");
  p->cap = cap;
  return 0;
}

/* Last i with t[i] <= x. */
static size_t prof_find(const profile *p, double x) {
  size_t lo = 0, hi = p->n; /* t[lo] <= x < t[hi] (t[n] = +inf) */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->t[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* A step starting at X (split from the one holding it): its index, or
 * (size_t)-1 with the run failed. */
static size_t prof_split(gp_run *run, profile *p, double x) {
  size_t i = prof_find(p, x);
  if (p->t[i] == x) return i;
  if (prof_room(run, p, p->n + 1)) return (size_t)-1;
  memmove(p->t + i + 2, p->t + i + 1, (p->n - i - 1) * sizeof *p->t);
  memmove(p->f + i + 2, p->f + i + 1, (p->n - i - 1) * sizeof *p->f);
  p->t[i + 1] = x;
  p->f[i + 1] = p->f[i];
  p->n++;
  return i + 1;
}

static void prof_remove(profile *p, size_t i) {
  memmove(p->t + i, p->t + i + 1, (p->n - i - 1) * sizeof *p->t);
  memmove(p->f + i, p->f + i + 1, (p->n - i - 1) * sizeof *p->f);
  p->n--;
}

/* Add D units (negative: take) over [A, B).  0, or -1 with the run failed. */
static int prof_change(gp_run *run, profile *p, double a, double b, long long d) {
  if (!(a < b)) return 0;
  size_t i0 = prof_split(run, p, a);
  if (i0 == (size_t)-1) return -1;
  size_t i1 = prof_split(run, p, b);
  if (i1 == (size_t)-1) return -1;
  for (size_t i = i0; i < i1; i++) p->f[i] += d;
  if (i1 < p->n && p->f[i1] == p->f[i1 - 1]) prof_remove(p, i1);
  if (i0 > 0 && p->f[i0] == p->f[i0 - 1]) prof_remove(p, i0);
  return 0;
}

/* Forget the past: the step holding NOW becomes the first. */
static void prof_trim(profile *p, double now) {
  size_t k = prof_find(p, now);
  if (k == 0) return;
  memmove(p->t, p->t + k, (p->n - k) * sizeof *p->t);
  memmove(p->f, p->f + k, (p->n - k) * sizeof *p->f);
  p->n -= k;
  p->t[0] = -INFINITY;
}

/* Earliest t >= NOW with at least U units free over [t, t + D); HUGE_VAL
 * when none (a tranche smaller than U). */
static double prof_fit(const profile *p, double now, long long u, double d) {
  double cand = now;
  for (size_t i = prof_find(p, now); i < p->n; i++) {
    double end = i + 1 < p->n ? p->t[i + 1] : INFINITY;
    if (p->f[i] < u) {
      cand = end;
      continue;
    }
    if (end >= cand + d) return cand;
  }
  return HUGE_VAL;
}

/* A change of D units from time T on (for making a profile). */
typedef struct delta {
  double t;
  long long d;
} delta;

static int cmp_delta(const void *a, const void *b) {
  double x = ((const delta *)a)->t, y = ((const delta *)b)->t;
  return (x > y) - (x < y);
}

/* Tranche T's profile from now: its free units, plus what each running
 * project frees at its planned end, less each waiting project's reserved
 * slot on T.  0, or -1 with the run failed. */
static int prof_make(gp_run *run, state *st, int t, int pool, double now) {
  profile *p = &st->prof[t];
  size_t nrun = gp_rule_nrunning(run, t), nd = 0, cap = nrun + 1;
  for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q)) cap += 2;
  delta *d = gp_rule_alloc(run, cap, sizeof *d);
  if (!d) return -1;
  for (size_t i = 0; i < nrun; i++) {
    long long frees;
    double e = gp_rule_release(run, t, i, &frees);
    d[nd++] = (delta){e > now ? e : now, frees};
  }
  for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q)) {
    int32_t id = gp_proj_id(q);
    if (st->res_t[id] != t || isnan(st->res[id])) continue;
    d[nd++] = (delta){st->res[id], -(long long)gp_proj_units(q)};
    d[nd++] = (delta){st->res[id] + gp_proj_length(q), gp_proj_units(q)};
  }
  qsort(d, nd, sizeof *d, cmp_delta);
  if (prof_room(run, p, nd + 1)) {
    free(d);
    return -1;
  }
  p->t[0] = -INFINITY;
  p->f[0] = gp_rule_free_units(run, t);
  p->n = 1;
  for (size_t i = 0; i < nd;) {
    double at = d[i].t;
    long long f = p->f[p->n - 1];
    for (; i < nd && d[i].t == at; i++) f += d[i].d;
    if (f != p->f[p->n - 1]) {
      p->t[p->n] = at;
      p->f[p->n++] = f;
    }
  }
  free(d);
  return 0;
}

/* ---- reservations ---- */

/* Give P the earliest slot of the pool's profiles (ties: the first
 * tranche), a promise and a wake-up.  0, or -1 with the run failed. */
static int reserve(gp_run *run, state *st, gp_proj *p, double now) {
  int32_t id = gp_proj_id(p);
  long long u = gp_proj_units(p);
  double len = gp_proj_length(p), best = HUGE_VAL;
  int bt = -1;
  for (int t = 0; t < st->ntranches; t++) {
    if (!st->prof[t].n || !gp_rule_serves(run, p, t, -1)) continue;
    double e = prof_fit(&st->prof[t], now, u, len);
    if (e < best) best = e, bt = t;
  }
  st->res[id] = best;
  st->res_t[id] = bt;
  if (bt < 0) return gp_rule_wake(run, p, now); /* no wake-up: nothing can take it yet */
  if (prof_change(run, &st->prof[bt], best, best + len, -u)) return -1;
  gp_rule_promise(run, p, best);
  return gp_rule_wake(run, p, best);
}

/* Make POOL's profiles again and, when it had some, compress its schedule:
 * in queue order each reserved project gives up its slot and takes the
 * earliest.  0, or -1 with the run failed. */
static int remake(gp_run *run, state *st, int pool, double now) {
  for (int t = 0; t < st->ntranches; t++) {
    if (gp_rule_tranche_pool(run, t) != pool) continue;
    st->prof[t].n = 0;
    if (!gp_rule_tranche_ended(run, t) && prof_make(run, st, t, pool, now)) return -1;
  }
  if (st->made[pool])
    for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q)) {
      int32_t id = gp_proj_id(q);
      if (isnan(st->res[id])) continue;
      int t = st->res_t[id];
      if (t >= 0 && st->prof[t].n &&
          prof_change(run, &st->prof[t], st->res[id], st->res[id] + gp_proj_length(q),
                      gp_proj_units(q)))
        return -1;
      if (reserve(run, st, q, now)) return -1;
    }
  st->made[pool] = 1;
  st->seen[pool] = gp_rule_changes(run, pool);
  return 0;
}

static int schedule(gp_run *run, int pool) {
  state *st = state_of(run);
  if (!st) return -1;
  double now = gp_rule_now(run);
  if (!st->made[pool] || gp_rule_changes(run, pool) != st->seen[pool]) {
    if (remake(run, st, pool, now)) return -1;
  } else {
    for (int t = 0; t < st->ntranches; t++)
      if (st->prof[t].n && gp_rule_tranche_pool(run, t) == pool) prof_trim(&st->prof[t], now);
  }
  /* New in the queue: a reservation each, in queue order. */
  for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q))
    if (isnan(st->res[gp_proj_id(q)]) && reserve(run, st, q, now)) return -1;
  /* Those whose reservation has come start now. */
  for (gp_proj *q = gp_rule_queue(run, pool); q;) {
    gp_proj *next = gp_proj_next(q);
    int32_t id = gp_proj_id(q);
    int t = st->res_t[id];
    if (t >= 0 && st->res[id] < now)
      return gp_rule_fail(run, GP_EX_SOFTWARE,
                          "conservative: project %ld's reservation at %.17g passed at %.17g "
                          "without its start (a bug)",
                          (long)id, st->res[id], now);
    if (t >= 0 && st->res[id] == now && gp_rule_free_units(run, t) >= gp_proj_units(q))
      gp_rule_start(run, q, t);
    q = next;
  }
  return 0;
}

const gp_scheduling_type gp_sched_conservative = {
    "conservative", "conservative backfilling: every waiting project holds a reservation; none is delayed",
    schedule, NULL, 0, state_free};
