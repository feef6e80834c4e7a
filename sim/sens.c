/*
 * sim/sens.c - the callback, grouping and bootstrap helpers the sensitivity
 * estimators share (see sens.h).  Invariant: the helpers are pure functions
 * of their arguments (no state, no random draws).
 */
#include "sim/sens.h"

#include <math.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

void gp_sens_eval(const double *x, size_t npoints, size_t dim, gp_sens_fn f,
                  void *ctx, double *y) {
  for (size_t p = 0; p < npoints; p++) y[p] = f(x + p * dim, ctx);
}

int gp_sens_groups(const size_t *group, size_t d, size_t *ngroups, gp_err *e) {
  if (d == 0) return GP_ERR(e, GP_EX_USAGE, "sensitivity: no factors (need at least 1)");
  if (!group) {
    *ngroups = d;
    return 0;
  }
  size_t g = 0;
  for (size_t i = 0; i < d; i++) {
    if (group[i] >= d)
      return GP_ERR(e, GP_EX_USAGE,
                    "sensitivity: factor %zu: group %zu, expected a group number below %zu "
                    "(the number of factors)",
                    i, group[i], d);
    if (group[i] + 1 > g) g = group[i] + 1;
  }
  /* Every number 0..g-1 is used: a gap would be a group with no factor. */
  for (size_t j = 0; j < g; j++) {
    size_t i = 0;
    while (i < d && group[i] != j) i++;
    if (i == d)
      return GP_ERR(e, GP_EX_USAGE,
                    "sensitivity: group %zu has no factor (groups must be numbered 0..%zu "
                    "without gaps)",
                    j, g - 1);
  }
  *ngroups = g;
  return 0;
}

void gp_sens_percentile(double *v, size_t n, double level, double *lo,
                        double *hi) {
  gsl_sort(v, 1, n);
  *lo = gsl_stats_quantile_from_sorted_data(v, 1, n, (1 - level) / 2);
  *hi = gsl_stats_quantile_from_sorted_data(v, 1, n, (1 + level) / 2);
}

int gp_sens_check_boot(size_t b, double level, gp_err *e) {
  if (b == 0)
    return GP_ERR(e, GP_EX_USAGE, "sensitivity: bootstrap samples: expected at least 1, found 0");
  if (!(level > 0 && level < 1))
    return GP_ERR(e, GP_EX_USAGE,
                  "sensitivity: confidence level: expected a number in (0, 1), found %g", level);
  return 0;
}

int gp_sens_check_outputs(const double *y, size_t n, size_t stride,
                          const char *what, gp_err *e) {
  for (size_t p = 0; p < n; p++)
    if (!isfinite(y[p * stride]))
      return GP_ERR(e, GP_EX_DATAERR,
                    "%s: output of design point %zu is %g: expected a finite number "
                    "(a metric with no value at a point cannot be apportioned)",
                    what, p, y[p * stride]);
  return 0;
}
