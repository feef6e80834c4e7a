/*
 * analysis/mcb.h - multiple comparison with the best (Hsu 1981, 1996), for
 * policies run on common random numbers: for each policy, an interval for
 * how much worse it is than the best of the others on one summary metric,
 * in the metric's direction (models/results/table.h).
 *
 * With common random numbers the policies' results are not independent, so
 * the intervals are built from the paired differences (Nelson and Matejcik
 * 1995): for policy i and each other policy j, D_ij = mean over
 * replications of s (X_i - X_j) (s = +1 when lower is better, -1 when
 * higher is), w_ij = t(1 - alpha / (k - 1), n - 1) S_ij / sqrt(n) (S_ij the
 * standard deviation of the paired differences: Bonferroni over the k - 1
 * others, one-sided); then with probability at least 1 - alpha, for every
 * policy i at once,
 *     s (mu_i - best of the others) = max_j s (mu_i - mu_j) lies in
 *     [min(0, max_j (D_ij - w_ij)), max(0, max_j (D_ij + w_ij))].
 * An upper bound of 0: i is the best (no other is better).  A lower bound
 * of 0 (and an upper one above): i is not the best.  Otherwise i may be the
 * best, and is at most the upper bound worse than it.
 */
#ifndef GP_MCB_H
#define GP_MCB_H

#include <stddef.h>

#include "models/results/metrics.h"

typedef struct gp_mcb {
  double lo; /* <= 0: how much better than the best of the others it may be (stored unit) */
  double hi; /* >= 0: how much worse than the best of the others it may be (stored unit) */
  int n;     /* replications of the pair with the fewest values; lo, hi NaN when < 2 */
} gp_mcb;

/* The MCB intervals of the NP policies whose summaries are SUM[p][0..nreps)
 * on summary metric K (gp_stat_field(k)), simultaneous at confidence
 * 1 - ALPHA, into OUT[0..np).  Returns 0; -1 (OUT untouched) when the
 * metric has no better direction or NP < 2. */
int gp_mcb_metric(const gp_summary_row *const *sum, size_t np, size_t nreps, int k, double alpha,
                  gp_mcb *out);

/* What interval M says, as a word for sentences: 1 the best, -1 not the
 * best, 0 may be the best (within m.hi of it); -2 no interval. */
int gp_mcb_status(const gp_mcb *m);

#endif /* GP_MCB_H */
