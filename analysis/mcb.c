/*
 * analysis/mcb.c - multiple comparison with the best on paired differences
 * (see mcb.h).
 *
 * Invariants: every interval includes 0 (Hsu's constrained form); when a
 * policy's upper bound is 0 (the best), every other's lower bound is 0 (not
 * the best), since w_ij = w_ji and D_ji = -D_ij.
 */
#include "analysis/mcb.h"

#include <gsl/gsl_cdf.h>
#include <limits.h>
#include <math.h>

#include "sim/stats.h"

int gp_mcb_metric(const gp_summary_row *const *sum, size_t np, size_t nreps, int k, double alpha,
                  gp_mcb *out) {
  const gp_field *f = gp_stat_field(k);
  if (np < 2 || f->view->better == GP_BETTER_NEITHER) return -1;
  double s = f->view->better == GP_BETTER_LOWER ? 1 : -1;
  for (size_t i = 0; i < np; i++) {
    double up = -INFINITY, down = -INFINITY; /* s (mu_i - best) = max_j s (mu_i - mu_j) */
    int n = INT_MAX;
    for (size_t j = 0; j < np; j++) {
      if (j == i) continue;
      gp_welford w = {0, 0, 0};
      for (size_t r = 0; r < nreps; r++)
        gp_welford_add(&w, s * (gp_field_get(f, &sum[i][r]) - gp_field_get(f, &sum[j][r])));
      gp_ci c = gp_welford_ci(&w, 0.95);
      if ((int)c.n < n) n = (int)c.n;
      if (c.n >= 2 && !(isfinite(c.mean) && isfinite(c.sd))) n = 0; /* infinities: no interval */
      if (c.n < 2 || n < 2) continue;
      double t = gsl_cdf_tdist_Pinv(1 - alpha / (double)(np - 1), (double)(c.n - 1));
      double wij = t * c.sd / sqrt((double)c.n);
      if (c.mean + wij > up) up = c.mean + wij;
      if (c.mean - wij > down) down = c.mean - wij;
    }
    gp_mcb *m = &out[i];
    m->n = n;
    m->lo = n >= 2 ? fmin(0, down) : NAN;
    m->hi = n >= 2 ? fmax(0, up) : NAN;
  }
  return 0;
}

int gp_mcb_status(const gp_mcb *m) {
  if (m->n < 2 || !isfinite(m->lo) || !isfinite(m->hi)) return -2;
  if (m->hi == 0) return 1;
  if (m->lo == 0) return -1;
  return 0;
}
