/*
 * models/run/calendar.c - calendar reclaim (issue 21, item 4): on fixed
 * dates, as DOE's INCITE and ALCC programmes do, every running project that
 * has used less than a share of its allocation forfeits a share of the rest.
 *
 * In the model a project holds whole units for its time and is busy on them
 * at its use fraction, so:
 *   - its allocation is the GPU-hours it holds from its start to its planned
 *     end: those held so far (p->held) plus its units for the time left;
 *   - its use to date is use x the GPU-hours held so far, over the allocation
 *     (failed servers count as held; without reclaims before, use x the share
 *     of its time gone);
 *   - the unused allocation it may still use is its units for the time left,
 *     so forfeiting the share take of it takes that share of its working
 *     units (rounded down; it keeps at least one), as the mid-term rule does.
 * Of a date's tiers, the one with the lowest below_use the project is under
 * applies (the policy keeps them sorted), among those whose min_days it has
 * held its units by then.  A project started at the very moment of a check
 * has used nothing and held nothing: it is not checked.
 *
 * Invariant: the checks are kernel events scheduled at time 0 only for
 * policies with a calendar, so a policy without one fires exactly the
 * events it fired before.
 */
#include "models/run/run_int.h"

/* The share of P's allocation used by NOW (P's GPU-hours brought up to now
 * first). */
static double use_to_date(gp_run *run, gp_proj *p, double now) {
  double ug = unit_gpus(run, p->tranche);
  gp_out_accrue(run, p, now); /* p->held up to now */
  double left = proj_end(p) - now;
  double alloc = p->held + (left > 0 ? (double)p->units * ug * left : 0);
  return alloc > 0 ? p->w->use * p->held / alloc : 1;
}

static void ev_calendar(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  const gp_scenario *s = run->s;
  const gp_policy_spec *pol = run->pol;
  size_t first = (size_t)arg, last = first;
  double now = run_now(run);
  while (last + 1 < (size_t)pol->ncalendar && pol->calendar[last + 1].at == pol->calendar[first].at)
    last++;
  /* Every project is checked before any rule is called: what a check
   * takes cannot depend on what a rule started in between. */
  for (int t = 0; t < s->ntranches; t++) {
    gp_tstate *st = &run->ts[t];
    st->cal_taken = 0;
    for (size_t i = 0; i < st->nrunning; i++) {
      gp_proj *p = st->running[i];
      if (!(p->started < now)) continue;
      double u = use_to_date(run, p, now);
      for (size_t k = first; k <= last; k++)
        if (u < pol->calendar[k].below && now - p->started >= pol->calendar[k].min_days) {
          st->cal_taken += gp_cap_take(run, p, pol->calendar[k].take);
          break;
        }
    }
    if (st->cal_taken) pool_changed(run, s->tranches[t].pool);
  }
  for (int pl = 0; pl < s->npools; pl++) {
    int any = 0;
    for (int t = 0; t < s->ntranches && !any; t++)
      any = s->tranches[t].pool == pl && run->ts[t].cal_taken;
    if (any) gp_cap_schedule(run, pl);
  }
}

void gp_cal_schedule(gp_run *run) {
  const gp_policy_spec *pol = run->pol;
  for (int k = 0; k < pol->ncalendar; k++) {
    double at = pol->calendar[k].at;
    if (k > 0 && pol->calendar[k - 1].at == at) continue;
    if (at > 0 && at <= run->s->end) gp_ev_at(run, at, ev_calendar, (uint64_t)k);
  }
}
