/*
 * models/run/access.c - what a rule may ask of a run and do to it: the
 * run's side of the rules' door.
 */
#include "models/run/run_int.h"

int gp_run_unit_gpus(const gp_run *run, int t) { return unit_gpus(run, t); }

int gp_run_max_units(const gp_run *run, const gp_proj *p) {
  return run->max_units[proj_pool(run, p) * run->s->ngpu_types + p->w->gpu_type];
}

int gp_run_proj_unit_gpus(const gp_run *run, const gp_proj *p) { return proj_unit_gpus(run, p); }

long long gp_run_free_units(const gp_run *run, int t) { return free_units(run, t); }

int gp_run_fit(gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  int pool = proj_pool(run, p);
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tranche *tr = &s->tranches[t];
    if (tr->pool == pool && tr->gpu_type == p->w->gpu_type && !run->ts[t].ended &&
        free_units(run, t) >= p->units)
      return t;
  }
  return -1;
}

void gp_run_start_as(gp_run *run, gp_proj *p, int t, int32_t units, double hold) {
  gp_cap_start(run, p, t, units, hold);
}

void gp_run_start(gp_run *run, gp_proj *p, int t) { gp_cap_start(run, p, t, p->units, p->w->duration); }

int gp_run_tranche_serves(const gp_run *run, const gp_proj *p, int t, int type) {
  return tranche_serves(run, p, t, type);
}

double gp_run_reservation(gp_run *run, const gp_proj *p, int *tranche, long long *spare) {
  return gp_cap_reservation(run, p, tranche, spare);
}
