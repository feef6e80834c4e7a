/*
 * models/rules/sched_easy.c - EASY backfilling (Lifka 1995) per pool.
 *
 * Projects start in ready order while they fit.  The first that does not
 * fit gets a reservation: the earliest time a tranche of its type will have
 * room, counting the running projects' scheduled ends (start + holding
 * time; in this model a project's time is known exactly).  A later project
 * may start now (backfill) on a tranche where it fits if that does not delay
 * the reservation: it is another tranche, or it ends by the reservation
 * time, or it only uses units left spare at the reservation.  Capacity that
 * will come online later is not counted: a reservation never relies on it.
 */
#include "models/rules/policy_int.h"

static void schedule(gp_run *run, int pool) {
  gp_queue *q = &run->queues[pool];
  gp_proj *p = q->head;
  while (p) { /* plain FCFS while the head fits */
    int t = gp_run_fit(run, p);
    if (t < 0) break;
    gp_proj *next = p->next;
    gp_run_start(run, p, t);
    p = next;
  }
  if (!p) return;
  int rt;
  long long spare;
  double res = gp_run_reservation(run, p, &rt, &spare);
  double now = gp_sim_now(run->sim);
  for (gp_proj *b = p->next; b;) {
    gp_proj *next = b->next;
    for (int t = 0; t < run->s->ntranches; t++) {
      if (!gp_run_tranche_serves(run, b, t, -1) || gp_run_free_units(run, t) < b->units) continue;
      int ok = t != rt || now + b->w->duration <= res;
      if (!ok && b->units <= spare) {
        spare -= b->units;
        ok = 1;
      }
      if (ok) {
        gp_run_start(run, b, t);
        break;
      }
    }
    b = next;
  }
}

const gp_scheduling_type gp_sched_easy = {
    "easy", "EASY backfilling: the first waiting project holds a reservation, later ones start if they do not delay it",
    schedule, NULL, 0};
