/*
 * models/rules/sel_score.c - selection by review score: best first (ties:
 * earlier submission), all-or-nothing, while the budget of each one's GPU
 * type lasts.
 */
#include <stdlib.h>

#include "models/rules/rule.h"

static int decide(gp_run *run, gp_batch *b) {
  gp_proj **order = gp_rule_alloc(run, b->n, sizeof *order);
  if (!order || gp_rule_by_score(run, b, order)) {
    free(order);
    return -1;
  }
  gp_rule_award(run, b, order, b->n);
  free(order);
  return 0;
}

const gp_selection_type gp_sel_score = {
    "score", "accept by review score, best first, while the call's budget per GPU type lasts (all-or-nothing)",
    decide, NULL, 1};
