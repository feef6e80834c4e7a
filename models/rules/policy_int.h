/*
 * models/rules/policy_int.h - shared machinery for allocation rules (internal).
 */
#ifndef GP_POLICY_INT_H
#define GP_POLICY_INT_H

#include "models/rules/policy.h"
#include "models/run/run_int.h"

/* Award ORDER[0..n) in turn, all-or-nothing, while the batch's budget for
 * each one's GPU type lasts; the first request of a type that does not fit
 * closes that type.  Requests larger than any tranche of the pool are refused
 * without closing anything.  Proposals already decided by the caller
 * (accepted) are skipped. */
void gp_award_in_order(gp_run *run, gp_batch *b, gp_proj **order, size_t n);

/* A malloc'd copy of the batch sorted by KEY descending (ties: earlier
 * submission first); NULL when out of memory.  With gp_key_score the batch
 * is read off the world's ranking by score (gp_score_order, made once per
 * world and runner): the same order, without a sort per committee. */
gp_proj **gp_sorted_by(gp_batch *b, double (*key)(const gp_run *run, const gp_proj *p),
                       const gp_run *run);

/* The review score: the default key. */
double gp_key_score(const gp_run *run, const gp_proj *p);

#endif /* GP_POLICY_INT_H */
