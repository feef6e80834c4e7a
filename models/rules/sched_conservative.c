/*
 * models/rules/sched_conservative.c - conservative backfilling per pool.
 *
 * Every waiting project, in ready order, gets a reservation: the earliest
 * time at which some tranche of its type has room for it for its whole
 * planned holding time, in a profile of free units built from the running
 * projects' planned ends and the reservations made before it.  Projects
 * whose reservation is now start now.  The profile is rebuilt at every pass,
 * so reservations only ever move earlier (projects end on time or early).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/rule.h"

/* Free units of one tranche as a step function: free[i] from at[i] to
 * at[i+1] (the last step lasts for ever). */
typedef struct profile {
  double *at;
  long long *free;
  size_t n, cap;
} profile;

/* The step starting at T (made if new): its index, or -1 with the run
 * failed (out of memory). */
static int insert_step(gp_run *run, profile *pr, double t) {
  size_t i = 0;
  while (i < pr->n && pr->at[i] < t) i++;
  if (i < pr->n && pr->at[i] == t) return (int)i;
  if (pr->n == pr->cap) { /* at and free grow together */
    size_t nc = pr->cap ? pr->cap * 2 : 16;
    double *a = realloc(pr->at, nc * sizeof *a);
    if (a) pr->at = a;
    long long *f = realloc(pr->free, nc * sizeof *f);
    if (f) pr->free = f;
    if (!a || !f) return gp_rule_fail(run, GP_EX_OSERR, "out of memory");
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

static int reserve(gp_run *run, profile *pr, double t0, double d, long long u) {
  int a = insert_step(run, pr, t0), b = insert_step(run, pr, t0 + d);
  if (a < 0 || b < 0) return -1;
  for (size_t j = (size_t)a; j < (size_t)b; j++) pr->free[j] -= u;
  return 0;
}

/* The pool's tranches' profiles, from their free units now and their
 * running projects' planned ends.  Returns 0, or -1 with the run failed. */
static int build(gp_run *run, int pool, profile *prof, int ntranches, double now) {
  for (int t = 0; t < ntranches; t++) {
    if (gp_rule_tranche_pool(run, t) != pool || gp_rule_tranche_ended(run, t)) continue;
    profile *pr = &prof[t];
    if (insert_step(run, pr, now) < 0) return -1;
    pr->free[0] = gp_rule_free_units(run, t);
    size_t nrunning = gp_rule_nrunning(run, t);
    for (size_t i = 0; i < nrunning; i++) { /* each running project frees its units at its end */
      long long got;
      double e = gp_rule_release(run, t, i, &got);
      long long frees = got; /* a copy whose address is not taken: kept in a register */
      int k = insert_step(run, pr, e > now ? e : now);
      if (k < 0) return -1;
      for (size_t j = (size_t)k; j < pr->n; j++) pr->free[j] += frees;
    }
  }
  return 0;
}

static int schedule(gp_run *run, int pool) {
  int ntranches = gp_rule_ntranches(run);
  double now = gp_rule_now(run);
  profile *prof = gp_rule_alloc(run, (size_t)ntranches, sizeof *prof);
  if (!prof) return -1;
  memset(prof, 0, (size_t)ntranches * sizeof *prof);
  int rc = build(run, pool, prof, ntranches, now);
  for (gp_proj *p = gp_rule_queue(run, pool); p && rc == 0;) {
    gp_proj *next = gp_proj_next(p);
    double best = HUGE_VAL, length = gp_proj_length(p);
    long long units = gp_proj_units(p);
    int bt = -1;
    for (int t = 0; t < ntranches; t++) {
      /* (no profile: another pool's tranche, or ended; gp_rule_serves would say no) */
      if (!prof[t].n || !gp_rule_serves(run, p, t, -1)) continue;
      double e = earliest(&prof[t], units, length);
      if (e < best) best = e, bt = t;
    }
    if (bt >= 0) {
      rc = reserve(run, &prof[bt], best, length, units);
      if (rc == 0 && best <= now) gp_rule_start(run, p, bt);
    }
    p = next;
  }
  for (int t = 0; t < ntranches; t++) {
    free(prof[t].at);
    free(prof[t].free);
  }
  free(prof);
  return rc;
}

const gp_scheduling_type gp_sched_conservative = {
    "conservative", "conservative backfilling: every waiting project holds a reservation; none is delayed",
    schedule, NULL, 0};
