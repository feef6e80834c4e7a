/*
 * models/rules/sel_org_cap.c - selection by score with a cap on any one
 * organisation's share of a call's budget (announced for later calls).
 *
 * Proposals are taken by score; one whose award would lift its
 * organisation's units in this call (all sittings so far, all GPU types)
 * above max_share of the call's total budget is skipped, and the next is
 * considered (the cap does not close the budget).  Without a budget there is
 * nothing to take a share of: as `score`.
 */
#include <stdlib.h>
#include <string.h>

#include "models/rules/policy_int.h"

static const gp_param params[] = {
    {"max_share", 0.1, 0, 1, "largest share of a call's budget one organisation may hold"},
    {NULL, 0, 0, 0, NULL}};

/* Units already awarded to ORG by the origin of P (earlier sittings). */
static long long org_units(const gp_run *run, int origin, int32_t org) {
  long long u = 0;
  for (size_t i = 0; i < run->w->n; i++) {
    const gp_proj *q = &run->projs[i];
    if (q->w->origin == origin && q->w->org == org && q->accepted && q->decided >= 0) u += q->units;
  }
  return u;
}

static void decide(gp_run *run, gp_batch *b) {
  gp_proj **order = gp_sorted_by(b, gp_key_score, run);
  if (!order) {
    gp_award_in_order(run, b, b->p, b->n);
    return;
  }
  int origin = b->n ? b->p[0]->w->origin : 0;
  double budget = 0;
  int limited = origin < run->s->ncalls;
  for (int g = 0; limited && g < GP_MAX_GPU_TYPES; g++)
    if (run->s->calls[origin].capacity[g] > 0) budget += (double)run->s->calls[origin].capacity[g];
  if (!limited || budget <= 0) {
    gp_award_in_order(run, b, order, b->n);
    free(order);
    return;
  }
  double cap = gp_policy_param(run, "max_share") * budget;
  unsigned char closed[GP_MAX_GPU_TYPES] = {0};
  for (size_t i = 0; i < b->n; i++) {
    gp_proj *p = order[i];
    int g = p->w->gpu_type;
    if (closed[g] || p->w->units > gp_run_max_units(run, p)) continue;
    /* The organisation's units: earlier sittings plus this batch so far. */
    long long held = org_units(run, origin, p->w->org);
    for (size_t j = 0; j < i; j++)
      if (order[j]->accepted && order[j]->w->org == p->w->org) held += order[j]->units;
    if ((double)(held + p->w->units) > cap + 1e-9) continue;
    long long *c = &b->capacity[g];
    if (*c >= 0 && *c < p->w->units) {
      closed[g] = 1;
      continue;
    }
    if (*c >= 0) *c -= p->w->units;
    p->accepted = 1;
    p->units = p->w->units;
  }
  free(order);
}

const gp_selection_type gp_sel_org_cap = {
    "org_cap", "by score, but no organisation above max_share of a call's budget", decide, params, 1};
