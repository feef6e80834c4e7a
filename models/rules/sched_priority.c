/*
 * models/rules/sched_priority.c - strict priority by review score: the waiting
 * project with the best score starts first; while it cannot start, nobody
 * does (as fcfs, with the queue in score order instead of ready order).
 * Designated allocations have no score and come first.
 */
#include <math.h>

#include "models/rules/policy_int.h"

static double key(const gp_proj *p) { return isnan(p->w->score) ? HUGE_VAL : p->w->score; }

static void schedule(gp_run *run, int pool) {
  for (;;) {
    gp_proj *best = NULL;
    for (gp_proj *p = run->queues[pool].head; p; p = p->next)
      if (!best || key(p) > key(best)) best = p; /* ties: earlier ready */
    if (!best) return;
    int t = gp_run_fit(run, best);
    if (t < 0) return;
    gp_run_start(run, best, t);
  }
}

const gp_scheduling_type gp_sched_priority = {
    "priority", "start the best-scored waiting project first; it blocks the rest", schedule, NULL,
    1};
