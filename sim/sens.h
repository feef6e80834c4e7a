/*
 * sim/sens.h - what the sensitivity designs and estimators share (Sobol,
 * sim/sobol.h; Morris, sim/morris.h; PRIM, sim/prim.h): the model as a
 * callback, the grouping of factors, and percentile bootstrap intervals.
 *
 * Everything here works on the unit hypercube [0,1)^d and knows nothing of
 * what a factor means: mapping a coordinate to a factor's distribution
 * (its inverse CDF) is the caller's job.  Nothing allocates behind the
 * caller's back except where a function says so; nothing prints.
 */
#ifndef GP_SENS_H
#define GP_SENS_H

#include <stddef.h>

#include "sim/err.h"

/* A model of D unit coordinates X[0..D-1] (the design's row), returning one
 * output.  A NaN output is passed on; the estimators refuse it. */
typedef double (*gp_sens_fn)(const double *x, void *ctx);

/* Y[p] = F(X + p * DIM, CTX) for the NPOINTS rows of the row-major design
 * X (NPOINTS x DIM), in order: the convenience that runs an analytic
 * function (or any cheap model) over a Saltelli or Morris design. */
void gp_sens_eval(const double *x, size_t npoints, size_t dim, gp_sens_fn f,
                  void *ctx, double *y);

/* Check a grouping of D factors: GROUP[i] is factor i's group, the groups
 * numbered 0..G-1 with every number used (factors of a group move
 * together: one design column per group).  GROUP == NULL means one group
 * per factor (G = D).  Sets *NGROUPS = G; -1 with a GP_EX_USAGE error
 * naming the first bad entry. */
int gp_sens_groups(const size_t *group, size_t d, size_t *ngroups, gp_err *e);

/* The LEVEL (e.g. 0.95) percentile interval of the N values V: sorts V in
 * place (gsl_sort) and takes the (1 - LEVEL)/2 and (1 + LEVEL)/2 quantiles
 * (gsl_stats_quantile_from_sorted_data, linear interpolation).  N >= 1 and
 * no NaN in V (the callers' estimates of finite outputs). */
void gp_sens_percentile(double *v, size_t n, double level, double *lo,
                        double *hi);

/* Check the bootstrap's arguments shared by the estimators: B >= 1
 * resamples, 0 < LEVEL < 1. */
int gp_sens_check_boot(size_t b, double level, gp_err *e);

/* Check that the N outputs Y[0], Y[STRIDE], ... are all finite: -1 with a
 * GP_EX_DATAERR error naming the first NaN or infinite one (the design
 * point it belongs to) otherwise.  WHAT names the estimator. */
int gp_sens_check_outputs(const double *y, size_t n, size_t stride,
                          const char *what, gp_err *e);

#endif /* GP_SENS_H */
