/*
 * models/rules/sel_quota.c - selection by sector quotas.
 *
 * The budget of each GPU type is split by sector group: national projects,
 * industry (with startups and youth companies), academia and research
 * institutes (default 50/30/20%, the split the ministry announced for 2026).
 * Within each group proposals are funded by score, all-or-nothing, until the
 * group's share runs out.  What a group leaves unused goes, with
 * redistribute = 1, to the best remaining proposals of any group (by score,
 * while it lasts); with redistribute = 0 it stays unawarded.  A call with
 * no budget for a type has no quota to split: everything that fits is
 * accepted, as under `score`.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/rule.h"

static const gp_param params[] = {
    {"national", 0.5, 0, 1, "share of each GPU type's budget for national projects"},
    {"industry", 0.3, 0, 1, "share for industry, startups and youth companies"},
    {"academia_research", 0.2, 0, 1, "share for academia and research institutes"},
    {"redistribute", 1, 0, 1, "1: unused quota goes to the best remaining proposals; 0: it stays unused"},
    {NULL, 0, 0, 0, NULL}};

/* Sector group of a sector: 0 national, 1 industry, 2 academia/research. */
static int group_of(int sector) {
  switch (sector) {
  case GP_SECTOR_NATIONAL: return 0;
  case GP_SECTOR_INDUSTRY:
  case GP_SECTOR_STARTUP: return 1;
  default: return 2;
  }
}

static int decide(gp_run *run, gp_batch *b) {
  gp_proj **order = gp_rule_alloc(run, b->n, sizeof *order);
  gp_proj **sub = order ? gp_rule_alloc(run, b->n, sizeof *sub) : NULL;
  if (!sub || gp_rule_by_score(run, b, order)) {
    free(order);
    free(sub);
    return -1;
  }
  double share[3] = {gp_rule_param(run, "national"), gp_rule_param(run, "industry"),
                     gp_rule_param(run, "academia_research")};
  double sum = share[0] + share[1] + share[2];
  if (sum > 1) /* shares are of the budget: more than all of it is scaled down */
    for (int k = 0; k < 3; k++) share[k] /= sum;
  long long total[GP_MAX_GPU_TYPES];
  memcpy(total, b->capacity, sizeof total);
  for (int grp = 0; grp < 3; grp++) {
    /* A batch of this group only, with its quota of each type as budget. */
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
      if (group_of(gp_proj_sector(order[i])) == grp) sub[n++] = order[i];
    long long quota[GP_MAX_GPU_TYPES];
    for (int g = 0; g < GP_MAX_GPU_TYPES; g++)
      quota[g] = total[g] < 0 ? -1 : (long long)floor(share[grp] * (double)total[g] + 1e-9);
    long long before[GP_MAX_GPU_TYPES];
    memcpy(before, quota, sizeof before);
    gp_batch q = {sub, n, quota};
    gp_rule_award(run, &q, sub, n);
    for (int g = 0; g < GP_MAX_GPU_TYPES; g++)
      if (b->capacity[g] >= 0) b->capacity[g] -= before[g] - quota[g];
  }
  if (gp_rule_param(run, "redistribute") >= 0.5) gp_rule_award(run, b, order, b->n);
  free(order);
  free(sub);
  return 0;
}

const gp_selection_type gp_sel_quota = {
    "quota", "shares of each GPU type's budget per sector group, by score within a group", decide,
    params, 1};
