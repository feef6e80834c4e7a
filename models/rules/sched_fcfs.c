/*
 * models/rules/sched_fcfs.c - strict first come, first served per pool: the
 * project that became ready first starts first, on the first tranche (in
 * scenario order) of its GPU type with room; while it cannot start, nobody
 * behind it does.
 */
#include "models/rules/rule.h"

static int schedule(gp_run *run, int pool) {
  for (gp_proj *p; (p = gp_rule_queue(run, pool));) {
    int t = gp_rule_fit(run, p);
    if (t < 0) break;
    gp_rule_start(run, p, t);
  }
  return 0;
}

const gp_scheduling_type gp_sched_fcfs = {
    "fcfs", "start projects in the order they became ready; the first blocks the rest", schedule,
    NULL, 1, NULL};
