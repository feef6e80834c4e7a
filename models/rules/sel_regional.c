/*
 * models/rules/sel_regional.c - selection by score with a bonus for applicants
 * outside the capital region (announced for later calls): they are ranked
 * by score + bonus, then funded all-or-nothing while the budget lasts.
 */
#include <stdlib.h>

#include "models/rules/policy_int.h"

static const gp_param params[] = {
    {"bonus", 0.1, 0, 100, "added to the review score of applicants outside the capital region"},
    {NULL, 0, 0, 0, NULL}};

static double key(const gp_run *run, const gp_proj *p) {
  return p->w->score + (p->w->capital ? 0 : gp_policy_param(run, "bonus"));
}

static void decide(gp_run *run, gp_batch *b) {
  gp_proj **order = gp_sorted_by(b, key, run);
  if (!order) {
    gp_award_in_order(run, b, b->p, b->n);
    return;
  }
  gp_award_in_order(run, b, order, b->n);
  free(order);
}

const gp_selection_type gp_sel_regional = {
    "regional", "by score plus a bonus for applicants outside the capital region", decide, params, 0};
