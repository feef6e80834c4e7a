/*
 * sim/sobol.h - Sobol sensitivity indices: Saltelli's design and the
 * first-order and total indices with bootstrap intervals.
 *
 * Methods: Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola (2010),
 * "Variance based sensitivity analysis of model output. Design and
 * estimator for the total sensitivity index", Comput. Phys. Commun. 181,
 * 259-270 (the design and S1 = mean f(B)(f(AB_i) - f(A)) / V); Jansen
 * (1999), "Analysis of variance designs for model output", Comput. Phys.
 * Commun. 117, 35-43 (ST = mean (f(A) - f(AB_i))^2 / (2V)).  The base
 * matrices A and B are the first and last D coordinates of a 2D-dimensional
 * quasi-random sequence (GSL's gsl_qrng); the intervals are percentile
 * bootstrap intervals over the N base rows (Efron & Tibshirani 1993).
 *
 * Use: gp_saltelli_new -> run the model on the npoints rows of x (map each
 * coordinate through its factor's inverse CDF first) -> gp_sobol_estimate
 * once per metric -> gp_saltelli_free.  The design and the estimates are
 * deterministic functions of the arguments (and SEED for the bootstrap).
 */
#ifndef GP_SOBOL_H
#define GP_SOBOL_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

/* The quasi-random sequence behind A and B.  It needs 2D dimensions for D
 * factors: gsl_qrng_sobol has 40 (D <= 20); the Halton sequences have 1229
 * (D <= 614).  Nothing falls back from one to another: a design that needs
 * more dimensions than the chosen sequence has is refused, and the caller
 * chooses Halton explicitly. */
typedef enum gp_qrng {
  GP_QRNG_SOBOL = 0,        /* gsl_qrng_sobol (Antonov-Saleev); the default */
  GP_QRNG_HALTON,           /* gsl_qrng_halton */
  GP_QRNG_REVERSEHALTON     /* gsl_qrng_reversehalton (Vandewoestyne-Cools) */
} gp_qrng;

/* Saltelli's design: N base rows, each giving G + 2 points of D
 * coordinates.  Point p = j (G + 2) + c of base row j (0 <= j < N) is
 *   c = 0:          A_j
 *   c = 1 + i:      (AB_i)_j, A_j with the columns of group i taken from B_j
 *                   (0 <= i < G)
 *   c = G + 1:      B_j
 * so the points of one base row are contiguous (a partial run is whole
 * rows).  Row j of (A | B) is point SKIP + j of the sequence; every
 * coordinate is in [0, 1) (GSL's Sobol sequence starts at 0.5, not 0). */
typedef struct gp_saltelli {
  size_t n;       /* base rows N, >= 1 */
  size_t d;       /* factors: coordinates of each point, >= 1 */
  size_t g;       /* groups: one AB matrix and one index each, 1..d */
  size_t *group;  /* d entries: factor -> group, 0..g-1 (owned copy) */
  size_t npoints; /* N (G + 2) */
  double *x;      /* npoints x d, row-major, in [0, 1) (owned) */
} gp_saltelli;

/* A new design, or NULL with E set: GP_EX_USAGE for N = 0, D = 0, a bad
 * GROUP (see gp_sens_groups; NULL = one group per factor) or 2D above the
 * sequence's dimensions; GP_EX_OSERR when out of memory.  Free with
 * gp_saltelli_free (NULL is fine). */
gp_saltelli *gp_saltelli_new(size_t n, size_t d, const size_t *group,
                             gp_qrng qrng, size_t skip, gp_err *e);
void gp_saltelli_free(gp_saltelli *s);

/* One group's indices; each interval is the bootstrap's LEVEL percentile
 * interval.  Indices are estimates: S1 can come out slightly below 0 or
 * above ST for a factor with no effect. */
typedef struct gp_sobol_index {
  double s1, s1_lo, s1_hi; /* first order (Saltelli 2010) */
  double st, st_lo, st_hi; /* total (Jansen 1999) */
} gp_sobol_index;

/* The indices of the S->g groups into OUT[0..g-1], from the outputs
 * Y[p * STRIDE] of the design's points p (in the design's order; STRIDE
 * >= 1 lets Y be a points x metrics table).  The outputs are centred on the
 * mean of f(A) and f(B) first (as SALib does): the estimators' expectations
 * do not move, their variance does not grow with the output's offset (a
 * gap of 50,000 GPUs).  V is the variance of the 2N values of f(A) and
 * f(B).  NBOOT resamples of the N base rows with replacement, drawn from
 * SEED (sim/rng.h), give the LEVEL percentile intervals; a resample whose V
 * is 0 has no indices and is left out of the intervals.
 * Outputs must be finite: a NaN or infinite one is refused (GP_EX_DATAERR,
 * naming the point), never skipped.  When every output is the same (V =
 * 0) the indices are undefined: every field is NaN.  Cost: O(N G) for the
 * estimates, O(NBOOT N G) for the intervals (N = 1024, G = 20, NBOOT = 1000:
 * about 0.1 s). */
int gp_sobol_estimate(const gp_saltelli *s, const double *y, size_t stride,
                      size_t nboot, double level, uint64_t seed,
                      gp_sobol_index *out, gp_err *e);

#endif /* GP_SOBOL_H */
