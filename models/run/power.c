/*
 * models/run/power.c - the power meter (issue 21, item 5): the electric
 * power the programme's GPUs draw, the energy over the measured window and
 * what it costs.
 *
 * What draws: the usable GPUs (the government's share online, the usable
 * series).  A busy GPU draws its type's power_kw, an idle one
 * idle_power_share of it; busy counts as the busy series does (held x use,
 * failed servers not busy), so facility power is, summed over tranches,
 *   pue x power_kw x (idle_power_share x usable + (1 - idle_power_share) x busy).
 * Energy is its integral over [from, end] in kWh, and the cost the integral
 * of power x the electricity price of each moment (piecewise constant, by
 * year).
 *
 * Invariant: the meter holds the current power (kw) and its integrals up to
 * last; every change of usable or busy GPUs comes through gp_power_add, at
 * the time of the change (capacity.c).  The meter only reads the run: a
 * scenario without power never calls it, and no other value depends on it.
 */
#include <math.h>

#include "models/run/run_int.h"

/* kWh and KRW of power KW over [A, B] (A <= B), the price steps from *STEP on. */
static void integrate(const gp_scenario *s, double kw, double a, double b, int *step, double *kwh,
                      double *krw) {
  *kwh += kw * (b - a) * 24;
  int k = *step;
  while (k + 1 < s->nelectricity && s->electricity_from[k + 1] <= a) k++;
  *step = k;
  while (a < b) {
    double until = k + 1 < s->nelectricity && s->electricity_from[k + 1] < b
                       ? s->electricity_from[k + 1]
                       : b;
    *krw += kw * (until - a) * 24 * s->electricity_krw[k];
    a = until;
    if (a < b) k++;
  }
}

void gp_power_to(gp_run *run, double now) {
  gp_meter *m = &run->power;
  double lo = m->last > run->from ? m->last : run->from;
  if (now > lo) integrate(run->s, m->kw, lo, now, &m->step, &m->kwh, &m->krw);
  m->last = now;
}

void gp_power_add(gp_run *run, int t, double dusable, double dbusy) {
  const gp_tranche *tr = &run->s->tranches[t];
  const gp_gpu_type *g = &run->s->gpu_types[tr->gpu_type];
  gp_power_to(run, run_now(run));
  run->power.kw += tr->pue * g->power_kw *
                   (g->idle_power_share * dusable + (1 - g->idle_power_share) * dbusy);
}

double gp_power_kwh_at(const gp_run *run, double now) {
  const gp_meter *m = &run->power;
  double lo = m->last > run->from ? m->last : run->from;
  return m->kwh + (now > lo ? m->kw * (now - lo) * 24 : 0);
}
