/*
 * models/rules/sched_hetero.c - heterogeneity-aware first-come-first-served.
 *
 * Projects start in ready order, the first blocking the rest, as fcfs; but a
 * project that cannot start now on its own GPU type, and would have to wait
 * (its reservation is later than now), may be offered another type of its
 * pool that has room now.  The work is kept: it gets enough servers for the
 * same number of GPUs and holds them for its time scaled by the throughput
 * ratio of the two types (h100_equiv), e.g. about 1.75x faster on B200 than
 * on H200.  Among the types with room it takes the one that finishes first.
 * A type at or below min_speedup times its own throughput is not offered.
 */
#include <math.h>

#include "models/rules/rule.h"

static const gp_param params[] = {
    {"min_speedup", 0, 0, 100, "offer a type only if its throughput is above this multiple of the requested type's (0: any)"},
    {NULL, 0, 0, 0, NULL}};

/* Try P on a type other than its own; 1 if started. */
static int substitute(gp_run *run, gp_proj *p) {
  int own = gp_proj_gpu_type(p), ntranches = gp_rule_ntranches(run);
  /* GPUs asked for: units on the requested type's first tranche of the pool
   * (P has not started: it runs on no tranche yet). */
  double gpus = (double)gp_proj_units(p) * gp_rule_proj_unit_gpus(run, p);
  double speed_own = gp_rule_type_speed(run, own);
  double min_speedup = gp_rule_param(run, "min_speedup");
  int bt = -1;
  int32_t bunits = 0;
  double bhold = HUGE_VAL;
  for (int t = 0; t < ntranches; t++) {
    int g = gp_rule_tranche_type(run, t);
    if (g == own || !gp_rule_serves(run, p, t, g)) continue;
    double ratio = gp_rule_type_speed(run, g) / speed_own;
    if (ratio <= min_speedup) continue;
    int32_t units = (int32_t)ceil(gpus / gp_rule_unit_gpus(run, t) - 1e-9);
    if (units < 1) units = 1;
    if (gp_rule_free_units(run, t) < units) continue;
    double hold = gp_proj_length(p) / ratio;
    if (hold < bhold) bt = t, bunits = units, bhold = hold;
  }
  if (bt < 0) return 0;
  gp_rule_start_as(run, p, bt, bunits, bhold);
  return 1;
}

static int schedule(gp_run *run, int pool) {
  for (gp_proj *p; (p = gp_rule_queue(run, pool));) {
    int t = gp_rule_fit(run, p);
    if (t >= 0) {
      gp_rule_start(run, p, t);
      continue;
    }
    int rt;
    long long spare;
    double res = gp_rule_reservation(run, p, &rt, &spare);
    if (res > gp_rule_now(run) && substitute(run, p)) continue;
    return 0;
  }
  return 0;
}

const gp_scheduling_type gp_sched_hetero = {
    "hetero", "fcfs, but a project that would wait may run now on another GPU type at its throughput ratio",
    schedule, params, 0, NULL};
