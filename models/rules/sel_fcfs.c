/*
 * models/rules/sel_fcfs.c - selection first come, first served: proposals in
 * submission order, all-or-nothing, while the budget of each one's GPU type
 * lasts.
 */
#include "models/rules/rule.h"

static int decide(gp_run *run, gp_batch *b) {
  gp_rule_award(run, b, b->p, b->n);
  return 0;
}

const gp_selection_type gp_sel_fcfs = {
    "fcfs", "accept in submission order while the call's budget per GPU type lasts (all-or-nothing)",
    decide, NULL, 0};
