/*
 * models/rules/sel_regional.c - selection by score with a bonus for applicants
 * outside the capital region (announced for later calls): they are ranked
 * by score + bonus, then funded all-or-nothing while the budget lasts.
 */
#include <stdlib.h>

#include "models/rules/rule.h"

static const gp_param params[] = {
    {"bonus", 0.1, 0, 100, "added to the review score of applicants outside the capital region"},
    {NULL, 0, 0, 0, NULL}};

static double key(const gp_run *run, const gp_proj *p) {
  return gp_proj_score(p) + (gp_proj_capital(p) ? 0 : gp_rule_param(run, "bonus"));
}

static int decide(gp_run *run, gp_batch *b) {
  gp_proj **order = gp_rule_alloc(run, b->n, sizeof *order);
  if (!order || gp_rule_sort(run, b, key, order)) {
    free(order);
    return -1;
  }
  gp_rule_award(run, b, order, b->n);
  free(order);
  return 0;
}

const gp_selection_type gp_sel_regional = {
    "regional", "by score plus a bonus for applicants outside the capital region", decide, params, 0};
