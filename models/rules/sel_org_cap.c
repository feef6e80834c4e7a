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

#include "models/rules/rule.h"

static const gp_param params[] = {
    {"max_share", 0.1, 0, 1, "largest share of a call's budget one organisation may hold"},
    {NULL, 0, 0, 0, NULL}};

static int decide(gp_run *run, gp_batch *b) {
  gp_proj **order = gp_rule_alloc(run, b->n, sizeof *order);
  if (!order || gp_rule_by_score(run, b, order)) {
    free(order);
    return -1;
  }
  int origin = b->n ? gp_proj_origin(b->p[0]) : 0;
  double budget = 0; /* the call's total over its limited types; 0: no call, or no limit */
  for (int g = 0; g < GP_MAX_GPU_TYPES; g++) {
    long long c = gp_rule_call_budget(run, origin, g);
    if (c > 0) budget += (double)c;
  }
  if (budget <= 0) {
    gp_rule_award(run, b, order, b->n);
    free(order);
    return 0;
  }
  double cap = gp_rule_param(run, "max_share") * budget;
  unsigned char closed[GP_MAX_GPU_TYPES] = {0};
  for (size_t i = 0; i < b->n; i++) {
    gp_proj *p = order[i];
    int g = gp_proj_gpu_type(p);
    int32_t want = gp_proj_request(p), org = gp_proj_org(p);
    if (closed[g] || want > gp_rule_max_units(run, p)) continue;
    /* The organisation's units: earlier sittings plus this batch so far. */
    long long held = gp_rule_org_units(run, origin, org);
    for (size_t j = 0; j < i; j++)
      if (gp_proj_accepted(order[j]) && gp_proj_org(order[j]) == org) held += gp_proj_units(order[j]);
    if ((double)(held + want) > cap + 1e-9) continue;
    long long *c = &b->capacity[g];
    if (*c >= 0 && *c < want) {
      closed[g] = 1;
      continue;
    }
    if (*c >= 0) *c -= want;
    gp_proj_accept(p, want);
  }
  free(order);
  return 0;
}

const gp_selection_type gp_sel_org_cap = {
    "org_cap", "by score, but no organisation above max_share of a call's budget", decide, params, 1};
