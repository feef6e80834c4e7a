/*
 * models/rules/sched_priority.c - strict priority by review score: the waiting
 * project with the best score starts first; while it cannot start, nobody
 * does (as fcfs, with the queue in score order instead of ready order).
 * Designated allocations have no score and come first.
 */
#include <math.h>

#include "models/rules/rule.h"

static double key(const gp_proj *p) {
  double score = gp_proj_score(p);
  return isnan(score) ? HUGE_VAL : score;
}

static int schedule(gp_run *run, int pool) {
  for (;;) {
    gp_proj *best = NULL;
    double kbest = 0;
    for (gp_proj *p = gp_rule_queue(run, pool); p; p = gp_proj_next(p)) {
      double k = key(p);
      if (!best || k > kbest) best = p, kbest = k; /* ties: earlier ready */
    }
    if (!best) return 0;
    int t = gp_rule_fit(run, best);
    if (t < 0) return 0;
    gp_rule_start(run, best, t);
  }
}

const gp_scheduling_type gp_sched_priority = {
    "priority", "start the best-scored waiting project first; it blocks the rest", schedule, NULL,
    1, NULL};
