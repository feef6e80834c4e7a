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
 * profiles are brought to what runs and what is reserved (by the running
 * projects' difference, or made again: remake), and the schedule is
 * compressed: in queue order, each waiting project gives up its
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

/* A change of D units from time T on (for making a profile). */
typedef struct delta {
  double t;
  long long d;
} delta;

/* The rule's state over a run (gp_rule_state). */
typedef struct state {
  int ntranches, npools;
  gp_profile **prof;    /* per tranche (gp_profile, rule.h) */
  unsigned char *live;  /* per tranche: 1 when its profile is made (0: another pool's, or ended) */
  uint64_t *seen;       /* per pool: gp_rule_changes when its profiles were made */
  unsigned char *made;  /* per pool: 1 once they were */
  double *res;          /* per project: its reservation, days; NaN = none yet, HUGE_VAL = no
                         * tranche can ever take it */
  int *res_t;           /* per project: the reservation's tranche; -1 with HUGE_VAL */
  unsigned char *held;  /* per project: 1 while its slot is taken from its tranche's profile */
  size_t *nheld;        /* per pool: projects of its queue with held = 1 */
  /* Per tranche, what its profile counts of the running projects: BASE
   * units free now, plus each release in REL (at its planned end, no
   * earlier than when it was counted).  A profile is always BASE + REL
   * less the held slots, so when capacity changes it is brought to what is
   * running by adding the difference (prof_update), not made again. */
  long long *base;
  delta **rel;
  size_t *nrel, *caprel;
} state;

static void state_free(void *v) {
  state *st = v;
  if (!st) return;
  for (int t = 0; st->prof && t < st->ntranches; t++) gp_profile_free(st->prof[t]);
  free(st->prof);
  free(st->live);
  free(st->seen);
  free(st->made);
  free(st->res);
  free(st->res_t);
  free(st->held);
  free(st->nheld);
  for (int t = 0; st->rel && t < st->ntranches; t++) free(st->rel[t]);
  free(st->rel);
  free(st->nrel);
  free(st->caprel);
  free(st->base);
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
  st->ntranches = gp_rule_ntranches(run);
  st->npools = gp_rule_npools(run);
  if (!(st->prof = gp_rule_alloc(run, (size_t)st->ntranches, sizeof *st->prof)) ||
      !(st->live = gp_rule_alloc(run, (size_t)st->ntranches, 1)) ||
      !(st->seen = gp_rule_alloc(run, (size_t)st->npools, sizeof *st->seen)) ||
      !(st->made = gp_rule_alloc(run, (size_t)st->npools, sizeof *st->made)) ||
      !(st->res = gp_rule_alloc(run, n, sizeof *st->res)) ||
      !(st->res_t = gp_rule_alloc(run, n, sizeof *st->res_t)) ||
      !(st->held = gp_rule_alloc(run, n, 1)) ||
      !(st->nheld = gp_rule_alloc(run, (size_t)st->npools, sizeof *st->nheld)) ||
      !(st->base = gp_rule_alloc(run, (size_t)st->ntranches, sizeof *st->base)) ||
      !(st->nrel = gp_rule_alloc(run, (size_t)st->ntranches, sizeof *st->nrel)) ||
      !(st->caprel = gp_rule_alloc(run, (size_t)st->ntranches, sizeof *st->caprel)) ||
      !(st->rel = gp_rule_alloc(run, (size_t)st->ntranches, sizeof *st->rel))) {
    /* Never a half-made state in the slot: a later call would use it. */
    st->ntranches = 0;
    state_free(st);
    return NULL;
  }
  for (int t = 0; t < st->ntranches; t++) {
    st->prof[t] = NULL;
    st->rel[t] = NULL;
    st->nrel[t] = st->caprel[t] = 0;
  }
  memset(st->held, 0, n);
  memset(st->nheld, 0, (size_t)st->npools * sizeof *st->nheld);
  memset(st->live, 0, (size_t)st->ntranches);
  for (int t = 0; t < st->ntranches; t++)
    if (!(st->prof[t] = gp_profile_new(run))) {
      state_free(st);
      return NULL;
    }
  memset(st->made, 0, (size_t)st->npools);
  for (size_t i = 0; i < n; i++) st->res[i] = NAN;
  *slot = st;
  return st;
}

/* ---- profiles ---- */

static int cmp_delta(const void *a, const void *b) {
  double x = ((const delta *)a)->t, y = ((const delta *)b)->t;
  return (x > y) - (x < y);
}

/* A release of F units at T on tranche TR's list.  0, or -1 with the run
 * failed. */
static int rel_push(gp_run *run, state *st, int tr, double t, long long f) {
  if (st->nrel[tr] == st->caprel[tr]) {
    size_t cap = st->caprel[tr] ? 2 * st->caprel[tr] : 16;
    delta *r = gp_rule_alloc(run, cap, sizeof *r);
    if (!r) return -1;
    if (st->nrel[tr]) memcpy(r, st->rel[tr], st->nrel[tr] * sizeof *r);
    free(st->rel[tr]);
    st->rel[tr] = r;
    st->caprel[tr] = cap;
  }
  st->rel[tr][st->nrel[tr]++] = (delta){t, f};
  return 0;
}

/* Tranche T's running projects as counted from now (BASE and REL). */
static int rel_make(gp_run *run, state *st, int t, double now) {
  size_t nrun = gp_rule_nrunning(run, t);
  st->nrel[t] = 0;
  st->base[t] = gp_rule_free_units(run, t);
  for (size_t i = 0; i < nrun; i++) {
    long long frees;
    double e = gp_rule_release(run, t, i, &frees);
    if (rel_push(run, st, t, e > now ? e : now, frees)) return -1;
  }
  return 0;
}

/* Tranche T's profile from now: its free units, plus what each running
 * project frees at its planned end, less each waiting project's reserved
 * slot on T.  0, or -1 with the run failed. */
static int prof_make(gp_run *run, state *st, int t, int pool, double now) {
  if (rel_make(run, st, t, now)) return -1;
  size_t nd = 0, cap = st->nrel[t] + 1;
  for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q)) cap += 2;
  delta *d = gp_rule_alloc(run, cap, sizeof *d);
  if (!d) return -1;
  if (st->nrel[t]) memcpy(d, st->rel[t], st->nrel[t] * sizeof *d);
  nd = st->nrel[t];
  for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q)) {
    int32_t id = gp_proj_id(q);
    if (st->res_t[id] != t || isnan(st->res[id])) continue;
    d[nd++] = (delta){st->res[id], -(long long)gp_proj_units(q)};
    d[nd++] = (delta){st->res[id] + gp_proj_length(q), gp_proj_units(q)};
  }
  qsort(d, nd, sizeof *d, cmp_delta);
  long long f = st->base[t];
  int bad = gp_profile_reset(st->prof[t], f);
  for (size_t i = 0; i < nd && !bad;) {
    double at = d[i].t;
    long long g = f;
    for (; i < nd && d[i].t == at; i++) g += d[i].d;
    if (g != f) bad = gp_profile_push(st->prof[t], at, f = g);
  }
  free(d);
  if (!bad) st->live[t] = 1;
  return bad ? -1 : 0;
}

/* Tranche T's profile brought to what runs now: the difference between the
 * running projects as counted now and as counted before, added over each
 * stretch where it is not 0 (the profile on [now, +inf) is then the one
 * prof_make gives).  0, or -1 with the run failed. */
static int prof_update(gp_run *run, state *st, int t, double now) {
  size_t nold = st->nrel[t];
  long long was = st->base[t];
  delta *d = gp_rule_alloc(run, nold + gp_rule_nrunning(run, t) + 1, sizeof *d);
  if (!d) return -1;
  for (size_t i = 0; i < nold; i++)
    d[i] = (delta){st->rel[t][i].t > now ? st->rel[t][i].t : now, -st->rel[t][i].d};
  if (rel_make(run, st, t, now)) {
    free(d);
    return -1;
  }
  size_t nd = nold;
  for (size_t i = 0; i < st->nrel[t]; i++) d[nd++] = st->rel[t][i];
  qsort(d, nd, sizeof *d, cmp_delta);
  gp_profile_trim(st->prof[t], now);
  long long diff = st->base[t] - was;
  double x = now;
  size_t i = 0;
  for (;;) {
    for (; i < nd && d[i].t <= x; i++) diff += d[i].d;
    double next = i < nd ? d[i].t : INFINITY;
    if (diff && gp_profile_add(st->prof[t], x, next, diff)) {
      free(d);
      return -1;
    }
    if (i == nd) break;
    x = next;
  }
  free(d);
  return 0;
}

/* ---- reservations ---- */

/* Give P the earliest slot of the pool's profiles (ties: the first
 * tranche), a promise and a wake-up.  0, or -1 with the run failed. */
static int reserve(gp_run *run, state *st, gp_proj *p, int pool, double now) {
  int32_t id = gp_proj_id(p);
  long long u = gp_proj_units(p);
  double len = gp_proj_length(p), best = HUGE_VAL;
  int bt = -1;
  for (int t = 0; t < st->ntranches; t++) {
    if (!st->live[t] || !gp_rule_serves(run, p, t, -1)) continue;
    double e = gp_profile_fit(st->prof[t], now, u, len);
    if (e < best) best = e, bt = t;
  }
  st->res[id] = best;
  st->res_t[id] = bt;
  if (bt < 0) return gp_rule_wake(run, p, now); /* no wake-up: nothing can take it yet */
  if (gp_profile_add(st->prof[bt], best, best + len, -u)) return -1;
  st->held[id] = 1;
  st->nheld[pool]++;
  gp_rule_promise(run, p, best);
  return gp_rule_wake(run, p, best);
}

/* Bring POOL's profiles to what runs now and, when it had some, compress
 * its schedule: in queue order each reserved project gives up its slot and
 * takes the earliest.  The profiles are made again from the queue's slots
 * the first time, when a tranche's agreement has ended, and when a project
 * holding a slot has left the queue (withdrawn), and when the running
 * projects outnumber the slots; otherwise each is brought up to date with
 * the running projects' difference (prof_update).  0, or
 * -1 with the run failed. */
static int remake(gp_run *run, state *st, int pool, double now) {
  int update = st->made[pool];
  for (int t = 0; update && t < st->ntranches; t++)
    if (gp_rule_tranche_pool(run, t) == pool && st->live[t] == gp_rule_tranche_ended(run, t))
      update = 0;
  if (update) {
    size_t held = 0, nrun = 0;
    for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q)) held += st->held[gp_proj_id(q)];
    for (int t = 0; t < st->ntranches; t++)
      if (gp_rule_tranche_pool(run, t) == pool) nrun += st->nrel[t] + gp_rule_nrunning(run, t);
    /* The difference costs a sort of the running projects twice; making
     * again, once with two ends per slot: the cheaper (both give the same
     * profile). */
    update = held == st->nheld[pool] && nrun < 2 * held;
  }
  for (int t = 0; t < st->ntranches; t++) {
    if (gp_rule_tranche_pool(run, t) != pool) continue;
    if (update) {
      if (st->live[t] && prof_update(run, st, t, now)) return -1;
      continue;
    }
    st->live[t] = 0;
    if (!gp_rule_tranche_ended(run, t) && prof_make(run, st, t, pool, now)) return -1;
  }
  if (!update) {
    st->nheld[pool] = 0;
    for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q)) {
      int32_t id = gp_proj_id(q);
      int t = st->res_t[id];
      st->held[id] = !isnan(st->res[id]) && t >= 0 && st->live[t];
      st->nheld[pool] += st->held[id];
    }
  }
  if (st->made[pool])
    for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q)) {
      int32_t id = gp_proj_id(q);
      if (isnan(st->res[id])) continue;
      if (st->held[id]) {
        if (gp_profile_add(st->prof[st->res_t[id]], st->res[id], st->res[id] + gp_proj_length(q),
                           gp_proj_units(q)))
          return -1;
        st->held[id] = 0;
        st->nheld[pool]--;
      }
      if (reserve(run, st, q, pool, now)) return -1;
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
      if (st->live[t] && gp_rule_tranche_pool(run, t) == pool) gp_profile_trim(st->prof[t], now);
  }
  /* New in the queue: a reservation each, in queue order. */
  for (gp_proj *q = gp_rule_queue(run, pool); q; q = gp_proj_next(q))
    if (isnan(st->res[gp_proj_id(q)]) && reserve(run, st, q, pool, now)) return -1;
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
    if (t >= 0 && st->res[id] == now && gp_rule_free_units(run, t) >= gp_proj_units(q)) {
      /* Its slot becomes a running project's hold: the profile stays. */
      if (st->held[id]) {
        st->held[id] = 0;
        st->nheld[pool]--;
        st->base[t] -= gp_proj_units(q);
        if (rel_push(run, st, t, now + gp_proj_length(q), gp_proj_units(q))) return -1;
      }
      gp_rule_start(run, q, t);
    }
    q = next;
  }
  return 0;
}

const gp_scheduling_type gp_sched_conservative = {
    "conservative", "conservative backfilling: every waiting project holds a reservation; none is delayed",
    schedule, NULL, 0, state_free};
