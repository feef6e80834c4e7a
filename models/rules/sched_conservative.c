/*
 * models/rules/sched_conservative.c - conservative backfilling per pool.
 *
 * Every waiting project, in ready order, gets a reservation: the earliest
 * time at which some tranche of its type has room for it for its whole
 * holding time, in a profile of free units built from the running projects'
 * scheduled ends and the reservations made before it.  Projects whose
 * reservation is now start now.  The profile is rebuilt at every pass, so
 * reservations only ever move earlier (projects end on time or early).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/policy_int.h"

/* Free units of one tranche as a step function: free[i] from at[i] to
 * at[i+1] (the last step lasts for ever). */
typedef struct profile {
  double *at;
  long long *free;
  size_t n, cap;
} profile;

static int insert_step(profile *pr, double t) {
  size_t i = 0;
  while (i < pr->n && pr->at[i] < t) i++;
  if (i < pr->n && pr->at[i] == t) return (int)i;
  if (pr->n == pr->cap) {
    size_t nc = pr->cap ? pr->cap * 2 : 16;
    double *a = realloc(pr->at, nc * sizeof *a);
    if (a) pr->at = a;
    long long *f = realloc(pr->free, nc * sizeof *f);
    if (f) pr->free = f;
    if (!a || !f) return -1;
    pr->cap = nc;
  }
  memmove(pr->at + i + 1, pr->at + i, (pr->n - i) * sizeof *pr->at);
  memmove(pr->free + i + 1, pr->free + i, (pr->n - i) * sizeof *pr->free);
  pr->at[i] = t;
  pr->free[i] = i > 0 ? pr->free[i - 1] : 0;
  pr->n++;
  return (int)i;
}

/* Earliest start >= profile start where U units are free for D days. */
static double earliest(const profile *pr, long long u, double d) {
  for (size_t i = 0; i < pr->n; i++) {
    double t0 = pr->at[i];
    int ok = 1;
    for (size_t j = i; j < pr->n && pr->at[j] < t0 + d; j++)
      if (pr->free[j] < u) {
        ok = 0;
        break;
      }
    if (ok) return t0;
  }
  return HUGE_VAL;
}

static int reserve(profile *pr, double t0, double d, long long u) {
  int a = insert_step(pr, t0), b = insert_step(pr, t0 + d);
  if (a < 0 || b < 0) return -1;
  for (size_t j = (size_t)a; j < (size_t)b; j++) pr->free[j] -= u;
  return 0;
}

static void schedule(gp_run *run, int pool) {
  const gp_scenario *s = run->s;
  double now = gp_sim_now(run->sim);
  profile *prof = calloc((size_t)s->ntranches, sizeof *prof);
  if (!prof) {
    gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
    return;
  }
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tstate *st = &run->ts[t];
    if (s->tranches[t].pool != pool || st->ended) continue;
    profile *pr = &prof[t];
    if (insert_step(pr, now) < 0) goto oom;
    pr->free[0] = gp_run_free_units(run, t);
    for (size_t i = 0; i < st->nrunning; i++) { /* each running project frees its units at its end */
      const gp_proj *r = st->running[i];
      double e = r->started + r->hold;
      int k = insert_step(pr, e > now ? e : now);
      if (k < 0) goto oom;
      for (size_t j = (size_t)k; j < pr->n; j++) pr->free[j] += r->units - r->failed;
    }
  }
  for (gp_proj *p = run->queues[pool].head; p;) {
    gp_proj *next = p->next;
    double best = HUGE_VAL;
    int bt = -1;
    for (int t = 0; t < s->ntranches; t++) {
      if (!gp_run_tranche_serves(run, p, t, -1)) continue;
      double e = earliest(&prof[t], p->units, p->w->duration);
      if (e < best) best = e, bt = t;
    }
    if (bt >= 0) {
      if (reserve(&prof[bt], best, p->w->duration, p->units) < 0) goto oom;
      if (best <= now) gp_run_start(run, p, bt);
    }
    p = next;
  }
  goto done;
oom:
  gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
done:
  for (int t = 0; t < s->ntranches; t++) {
    free(prof[t].at);
    free(prof[t].free);
  }
  free(prof);
}

const gp_scheduling_type gp_sched_conservative = {
    "conservative", "conservative backfilling: every waiting project holds a reservation; none is delayed",
    schedule, NULL, 0};
