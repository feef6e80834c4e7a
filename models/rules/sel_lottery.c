/*
 * models/rules/sel_lottery.c - selection with a partial lottery (as the UK AI
 * Research Resource runs it): the top tier by score is funded first, the
 * bottom tier is rejected, and the middle tier is drawn at random while the
 * budget lasts.  The draws come from the policy's own random stream (seeded
 * by seed, replication and policy name), never from the world's, so every
 * policy still sees the same proposals.
 */
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "models/rules/rule.h"

static const gp_param params[] = {
    {"accept_top", 0.25, 0, 1, "fraction of the batch, best scores, funded first"},
    {"reject_bottom", 0.25, 0, 1, "fraction of the batch, worst scores, never funded"},
    {NULL, 0, 0, 0, NULL}};

static int decide(gp_run *run, gp_batch *b) {
  gp_proj **order = gp_rule_alloc(run, b->n, sizeof *order);
  if (!order || gp_rule_by_score(run, b, order)) {
    free(order);
    return -1;
  }
  double top = gp_rule_param(run, "accept_top"), bottom = gp_rule_param(run, "reject_bottom");
  if (top + bottom > 1) bottom = 1 - top;
  size_t ntop = (size_t)(top * (double)b->n + 0.5);
  size_t nbottom = (size_t)(bottom * (double)b->n + 0.5);
  if (ntop + nbottom > b->n) nbottom = b->n - ntop;
  size_t nmid = b->n - ntop - nbottom;
  gp_rule_award(run, b, order, ntop);
  /* The middle tier in random order. */
  if (nmid > 1) gsl_ran_shuffle(gp_rule_rng(run), order + ntop, nmid, sizeof *order);
  gp_rule_award(run, b, order + ntop, nmid);
  free(order);
  return 0;
}

const gp_selection_type gp_sel_lottery = {
    "lottery", "fund the top tier by score, reject the bottom tier, draw the middle tier at random",
    decide, params, 1};
