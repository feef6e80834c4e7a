/*
 * sim/stats.h - summary statistics over replications.
 *
 * Confidence intervals use Student's t with n - 1 degrees of freedom
 * (gsl_cdf_tdist_Pinv); with n < 2 the half-width is NaN (unknown), never 0.
 */
#ifndef GP_STATS_H
#define GP_STATS_H

#include <stddef.h>

typedef struct gp_ci {
  size_t n;      /* observations used (NaNs are skipped) */
  double mean;   /* NaN when n == 0 */
  double sd;     /* sample standard deviation (n - 1); NaN when n < 2 */
  double half;   /* half-width of the LEVEL confidence interval; NaN when n < 2 */
} gp_ci;

/* Statistics of X[0], X[STRIDE], ... (N values), at confidence LEVEL (0.95). */
gp_ci gp_stats_ci(const double *x, size_t n, size_t stride, double level);
/* Running mean/variance (Welford), for accumulating without storing. */
typedef struct gp_welford {
  size_t n;
  double mean, m2;
} gp_welford;
void gp_welford_add(gp_welford *w, double x);
gp_ci gp_welford_ci(const gp_welford *w, double level);

/* Decimals that show X to two significant digits of SPREAD (a half-width):
 * the precision an interval supports, and no more; by the magnitude of X
 * when SPREAD is unknown or 0.  0 to 4.  Every table of means and intervals
 * (run, compare, report) takes its decimals from here. */
int gp_stats_decimals(double x, double spread);

#endif /* GP_STATS_H */
