/*
 * models/experiment/delivery.c - the roadmap as planned and as delivered,
 * from the tranches and their first-online times alone (see delivery.h).
 *
 * Invariant: servers come online in the batches a run schedules
 * (gp_world_batches, gp_world_batch_at), so that the delivered figure at a
 * date is the /roadmap table's installed_at_target.
 */
#include "models/experiment/delivery.h"

#include <math.h>

#include "models/world/world.h"

double gp_delivery_installed(const gp_scenario *s, const double *online, int ramps, double t) {
  return gp_world_installed_from(s, online, ramps, t, NULL);
}

double gp_delivery_reached(const gp_scenario *s, const double *online, int ramps) {
  return gp_world_reached_from(s, online, ramps, INFINITY);
}

double gp_delivery_peak(const gp_scenario *s, const double *online, int ramps) {
  double peak = 0;
  for (int i = 0; i < s->ntranches; i++) {
    const gp_tranche *tr = &s->tranches[i];
    int batches = ramps ? gp_world_batches(tr) : 1;
    for (int b = 0; b < batches; b++) {
      int k;
      double t = gp_world_batch_at(tr, online ? online[i] : tr->online, batches, b, &k);
      peak = fmax(peak, gp_delivery_installed(s, online, ramps, t));
    }
  }
  return peak;
}

void gp_delivery_tranche(const gp_scenario *s, int i, double online_i, gp_delivery_gap *g) {
  const gp_tranche *tr = &s->tranches[i];
  double t = s->target_date, full = (double)tr->nodes * tr->gpus_per_node;
  int planned = tr->online <= t, running = t < tr->end;
  g->gpus = full;
  g->planned_at_target = planned && running ? full : 0;
  g->ended = planned && !running ? full : 0;
  g->late = planned && running && online_i > t ? full : 0;
  g->ramping = running && online_i <= t
                   ? full - (double)gp_world_nodes_at(tr, online_i, 1, t) * tr->gpus_per_node
                   : 0;
}
