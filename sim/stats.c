/* sim/stats.c - summary statistics over replications (see stats.h). */
#include "sim/stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

void gp_welford_add(gp_welford *w, double x) {
  if (isnan(x)) return;
  w->n++;
  double d = x - w->mean;
  w->mean += d / (double)w->n;
  w->m2 += d * (x - w->mean);
}

gp_ci gp_welford_ci(const gp_welford *w, double level) {
  gp_ci c = {w->n, NAN, NAN, NAN};
  if (w->n == 0) return c;
  c.mean = w->mean;
  if (w->n < 2) return c;
  c.sd = sqrt(w->m2 / (double)(w->n - 1));
  double t = gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)(w->n - 1));
  c.half = t * c.sd / sqrt((double)w->n);
  return c;
}

gp_ci gp_stats_ci(const double *x, size_t n, size_t stride, double level) {
  gp_welford w = {0, 0, 0};
  for (size_t i = 0; i < n; i++) gp_welford_add(&w, x[i * stride]);
  return gp_welford_ci(&w, level);
}

int gp_stats_decimals(double x, double spread) {
  if (isfinite(spread) && spread > 0) {
    int d = 1 - (int)floor(log10(spread));
    return d < 0 ? 0 : d > 4 ? 4 : d;
  }
  double a = fabs(x);
  return !isfinite(a) || a >= 100 || a == 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
}
