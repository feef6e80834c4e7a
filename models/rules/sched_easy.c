/*
 * models/rules/sched_easy.c - EASY backfilling (Lifka 1995) per pool.
 *
 * Projects start in ready order while they fit.  The first that does not
 * fit gets a reservation: the earliest time a tranche of its type will have
 * room, counting the running projects' planned ends.  A later project may
 * start now (backfill) on a tranche where it fits if that does not delay the
 * reservation: it is another tranche, or it is planned to end by the
 * reservation time, or it only uses units left spare at the reservation.
 * Capacity that will come online later is not counted: a reservation never
 * relies on it.
 */
#include <math.h>

#include "models/rules/rule.h"

/* The most free units on one tranche of POOL: a project asking more starts
 * on none of them, so the backfill below need not try each (the queue of a
 * pool holds its projects only). */
static long long most_free(const gp_run *run, int pool, int ntranches) {
  long long most = 0;
  for (int t = 0; t < ntranches; t++) {
    long long f = gp_rule_tranche_pool(run, t) == pool ? gp_rule_free_units(run, t) : 0;
    if (f > most) most = f;
  }
  return most;
}

static int schedule(gp_run *run, int pool) {
  gp_proj *p = gp_rule_queue(run, pool);
  while (p) { /* plain FCFS while the head fits */
    int t = gp_rule_fit(run, p);
    if (t < 0) break;
    gp_proj *next = gp_proj_next(p);
    gp_rule_start(run, p, t);
    p = next;
  }
  if (!p) return 0;
  int rt;
  long long spare;
  double res = gp_rule_reservation(run, p, &rt, &spare);
  if (res < HUGE_VAL) gp_rule_promise(run, p, res); /* the run keeps the first */
  double now = gp_rule_now(run);
  int ntranches = gp_rule_ntranches(run);
  long long most = most_free(run, pool, ntranches);
  for (gp_proj *b = gp_proj_next(p); b;) {
    gp_proj *next = gp_proj_next(b);
    int32_t units = gp_proj_units(b);
    if (units > most) { /* fits on no tranche: the loop below would start nothing */
      b = next;
      continue;
    }
    for (int t = 0; t < ntranches; t++) {
      if (!gp_rule_serves(run, b, t, -1) || gp_rule_free_units(run, t) < units) continue;
      int ok = t != rt || now + gp_proj_length(b) <= res;
      if (!ok && units <= spare) {
        spare -= units;
        ok = 1;
      }
      if (ok) {
        gp_rule_start(run, b, t);
        most = most_free(run, pool, ntranches);
        break;
      }
    }
    b = next;
  }
  return 0;
}

const gp_scheduling_type gp_sched_easy = {
    "easy", "EASY backfilling: the first waiting project holds a reservation, later ones start if they do not delay it",
    schedule, NULL, 0, NULL};
