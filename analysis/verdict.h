/*
 * analysis/verdict.h - what a paired difference says: up, down, no
 * significant change, identical, or too little data; and whether that is
 * better or worse, by the metric's direction (models/results/table.h).
 *
 * A change is significant exactly when the interval of the mean paired
 * difference excludes 0 (gp_stat_row lo > 0 or hi < 0): the 95% interval
 * as /compare stores it (unadjusted), or, after gp_verdict_holm, the
 * interval at the level Holm's step-down test judged it at, so that a
 * family of verdicts is wrong anywhere with probability at most 5%.
 */
#ifndef GP_VERDICT_H
#define GP_VERDICT_H

#include "models/results/metrics.h"

typedef enum gp_verdict {
  GP_V_NA,   /* no value, or too few replications for an interval */
  GP_V_SAME, /* the same in every replication */
  GP_V_NS,   /* the interval includes 0: no significant change */
  GP_V_UP,   /* the interval is above 0 */
  GP_V_DOWN  /* the interval is below 0 */
} gp_verdict;

/* "na", "same", "ns", "up", "down": the verdict's name, by value. */
extern const char *const gp_verdict_names[];

/* The verdict on the paired difference R (NULL: GP_V_NA). */
gp_verdict gp_verdict_of(const gp_stat_row *r);

/* 1 when verdict V on a metric whose direction is B is an improvement, -1
 * when it is a deterioration, 0 when neither (not significant, or a
 * quantity with no better direction). */
int gp_verdict_better(gp_verdict v, gp_better b);

/* The two-sided p-value of the paired t test of R's mean against 0, with
 * t = mean / (sd / sqrt(n)) and n - 1 degrees of freedom
 * (gsl_cdf_tdist_Q): 0 when the difference is the same non-zero value in
 * every replication; NaN when R cannot be tested (no value, n < 2, or the
 * same in every replication: GP_V_NA or GP_V_SAME). */
double gp_verdict_p(const gp_stat_row *r);

/* Holm's (1979) adjusted p-values of the family P[0..m): with the m' finite
 * ones in increasing order p(1) <= ... <= p(m'), adj(i) = max over j <= i
 * of min(1, (m' - j + 1) p(j)); a NaN stays NaN and is not counted in m'.
 * Rejecting exactly the hypotheses with ADJ <= alpha is Holm's step-down
 * test at familywise level alpha.  Returns 0, or -1 when out of memory. */
int gp_holm_adjust(const double *p, size_t m, double *adj);

/* Holm's test at familywise level ALPHA over the paired differences
 * R[0..m) (the family: every one that can be tested, gp_verdict_p finite).
 * Each of them gets, in place, the interval (half_width, lo, hi) at the
 * level Holm's step tested it at: the i-th smallest p-value is tested at
 * alpha / (m' - i + 1) until the first that is not rejected, and that one
 * and every later one at the level of that step.  Then gp_verdict_of says
 * up or down exactly for the hypotheses Holm rejects, and its interval
 * excludes 0 exactly then.  ADJ (NULL: not wanted) gets each one's adjusted
 * p-value (NaN out of the family).  Returns m', or -1 when out of memory. */
long gp_verdict_holm(gp_stat_row *const *r, size_t m, double alpha, double *adj);

#endif /* GP_VERDICT_H */
