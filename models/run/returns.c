/*
 * models/run/returns.c - returning applicants (issue 21, item 3): a
 * rejected proposal that resubmits, a finished project that applies for
 * renewal, each to the next call of its pool.
 *
 * Whether a proposal is rejected or finishes is the policy's doing; what its
 * applicant would then do is the world's (gp_wreturn: the uniforms, and a
 * candidate per possible return with its review draws), so every policy of
 * a replication meets the same applicants (common random numbers).  The run
 * turns a candidate into a proposal when its predecessor is rejected (and
 * u_resubmit < the source's resubmit.probability) or finishes (u_renew <
 * renew.probability, fewer than renew.max_renewals renewals in its line).
 *
 * "The next call of its pool" is the call of the pool whose window closes
 * first after the rejection or the end (ties: file order); the proposal
 * submits within what is left of that window, piled up toward its close as
 * the call's own proposals are.  With no such call (the pool's last call
 * has closed; a pool served by streams only), the applicant does not come
 * back.  A returning proposal keeps its organisation, sector, region, GPU
 * type, request (units, duration, interview), use and quality, plus the
 * source's improvement; its reviews are new (the world's noise).
 *
 * Its path is every proposal's (review.c): screened screening_days after
 * the call closes, then its reviews in the panel's queue behind whoever
 * came first, an interview slot if its size asks for one, its call's
 * committee.  So the panel's load, and everyone's days to decision, depend
 * on the policy: a world with returning applicants keeps no record of the
 * pipeline, and each run plays it (models/world/world.h: pipe_recorded).
 * Returning proposals never withdraw.
 *
 * Invariant: a candidate is in the run (returning != GP_RET_NEW) iff its
 * submission was scheduled, which happens at most once (its predecessor is
 * rejected or finishes once).
 */
#include <math.h>

#include "models/run/run_int.h"

/* The call of POOL whose window closes first after T; -1 = none. */
static int next_call(const gp_scenario *s, int pool, double t) {
  int best = -1;
  for (int c = 0; c < s->ncalls; c++)
    if (s->calls[c].pool == pool && s->calls[c].close > t &&
        (best < 0 || s->calls[c].close < s->calls[best].close))
      best = c;
  return best;
}

/* P's line goes on as KIND with IMPROVEMENT added to its quality, if the
 * world drew a candidate for it and its pool has a call to come. */
static void come_back(gp_run *run, gp_proj *p, int kind, double improvement) {
  const gp_scenario *s = run->s;
  const gp_world *w = run->w;
  int32_t next = w->ret[p->id].next;
  if (next < 0) return;
  double now = run_now(run);
  int c = next_call(s, proj_pool(run, p), now);
  if (c < 0) return;
  const gp_call *call = &s->calls[c];
  double lo = call->open > now ? call->open : now;
  double x = pow(w->ret[next].u_submit, 1.0 / (1.0 + call->pile_up));
  double t = lo + x * (call->close - lo);
  gp_proj *q = &run->projs[next];
  gp_wprop *r = &run->rprops[(size_t)next - w->n];
  const gp_wprop *from = p->w;
  *r = w->props[next]; /* its own review draws; the rest from its predecessor */
  r->submitted = t;
  r->origin = (int16_t)c;
  r->quality = from->quality + improvement;
  r->score = r->quality + w->props[next].score; /* the candidate's score holds its noise */
  r->duration = from->duration;
  r->use = from->use;
  r->units = from->units;
  r->org = from->org;
  r->sector = from->sector;
  r->gpu_type = from->gpu_type;
  r->capital = from->capital;
  r->interview = from->interview;
  q->w = r;
  q->returning = (int8_t)kind;
  gp_rev_submit(run, q, t);
}

void gp_ret_rejected(gp_run *run, gp_proj *p) {
  if (!run->w->ret) return;
  const gp_applicants *a = gp_scenario_origin_applicants(run->s, p->w->origin);
  if (a && run->w->ret[p->id].u_resubmit < a->resubmit_probability)
    come_back(run, p, GP_RET_RESUBMISSION, a->resubmit_improvement);
}

/* The renewals in P's line up to it: P and those it follows, back to the
 * world's proposal that started the line. */
static int line_renewals(const gp_run *run, const gp_proj *p) {
  int k = 0;
  for (;;) {
    k += p->returning == GP_RET_RENEWAL;
    int32_t prev = proj_previous(run, p);
    if (prev < 0) return k;
    p = &run->projs[prev];
  }
}

void gp_ret_finished(gp_run *run, gp_proj *p) {
  if (!run->w->ret) return;
  const gp_applicants *a = gp_scenario_origin_applicants(run->s, p->w->origin);
  if (a && line_renewals(run, p) < a->max_renewals &&
      run->w->ret[p->id].u_renew < a->renew_probability)
    come_back(run, p, GP_RET_RENEWAL, a->renew_improvement);
}
