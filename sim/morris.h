/*
 * sim/morris.h - Morris' elementary effects: the trajectory design (with
 * Campolongo's optimised selection) and mu, mu*, sigma with a bootstrap
 * interval of mu*.
 *
 * Methods: Morris (1991), "Factorial sampling plans for preliminary
 * computational experiments", Technometrics 33, 161-174 (one-at-a-time
 * trajectories on a p-level grid, mu and sigma); Campolongo, Cariboni &
 * Saltelli (2007), "An effective screening design for sensitivity analysis
 * of large models", Environ. Model. Softw. 22, 1509-1518 (mu* = mean |EE|,
 * groups of factors, the selection of R trajectories out of a larger pool
 * that maximises their spread).
 *
 * Two grids of p levels (p even; a move jumps p/2 levels, so every level
 * is equally likely, as Morris recommends):
 *   GP_MORRIS_CENTRED (the default): the centres of p equal cells of
 *     [0, 1), (l + 1/2) / p for l = 0..p-1; a move is DELTA = 1/2 of the
 *     unit range for every p.  Every coordinate stays inside (0, 1), where
 *     every inverse CDF is finite.
 *   GP_MORRIS_ENDS: Morris' own grid l / (p - 1), with his DELTA =
 *     p / (2 (p - 1)) (2/3 at p = 4).  Coordinates reach 0 and 1: only for
 *     factors whose inverse CDF is finite at both ends (uniform, triangular,
 *     beta, discrete), and for comparisons with the literature (SALib).
 *     A function periodic in half the range (Ishigami's sin^2 x2) has no
 *     effect at DELTA = 1/2: the centred grid cannot see it, this one can.
 * Elementary effects are per unit of the unit cube: EE = (f(after) -
 * f(before)) / (+-DELTA), so that a linear function sum c_i u_i has EE_i =
 * c_i exactly (up to rounding) at every point of either grid.
 *
 * Groups.  The factors of a group move in the same step and the same
 * direction (each by DELTA), so a group's EE is the effect of
 * raising (or lowering) all of them together; a design has G + 1 points
 * per trajectory.
 */
#ifndef GP_MORRIS_H
#define GP_MORRIS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

typedef enum gp_morris_grid {
  GP_MORRIS_CENTRED = 0, /* (l + 1/2) / p, DELTA = 1/2: inside (0, 1) */
  GP_MORRIS_ENDS         /* l / (p - 1), DELTA = p / (2 (p - 1)): Morris 1991 */
} gp_morris_grid;

typedef struct gp_morris_opts {
  size_t levels;       /* p: even, >= 2; 4 by default (Morris) */
  gp_morris_grid grid; /* the grid above */
  size_t pool;         /* 0: no selection; >= R: Campolongo's selection of R out of POOL */
} gp_morris_opts;

#define GP_MORRIS_OPTS_DEFAULT {4, GP_MORRIS_CENTRED, 0}

/* R trajectories of G + 1 points each; point p = t (G + 1) + s is step s
 * of trajectory t (s = 0 the start, s >= 1 after the group moved[t G + s -
 * 1] moved in direction dir[t G + that group]).  Every coordinate is one
 * of the p values of the grid. */
typedef struct gp_morris {
  size_t r;           /* trajectories R, >= 1 */
  size_t d;           /* factors: coordinates of each point, >= 1 */
  size_t g;           /* groups, 1..d */
  size_t *group;      /* d entries: factor -> group (owned copy) */
  size_t levels;      /* p: even, >= 2 */
  gp_morris_grid grid;
  double delta;       /* a move, in units of the unit cube (see the grids) */
  size_t npoints;     /* R (G + 1) */
  double *x;          /* npoints x d, row-major, grid values (owned) */
  size_t *moved;      /* R x G: the group moved at each step (owned) */
  signed char *dir;   /* R x G: +1 up or -1 down, per trajectory and group (owned) */
} gp_morris;

/* A new design of R trajectories with the options O (NULL =
 * GP_MORRIS_OPTS_DEFAULT), starts, orders and directions drawn from SEED
 * (sim/rng.h).  O->pool = 0 draws R trajectories; POOL >= R draws POOL and
 * keeps the R that maximise Campolongo's spread (the sum over pairs of
 * their squared distances, each the sum of the Euclidean distances between
 * their points): an exhaustive search when there are at most 20,000
 * subsets, otherwise greedy backward elimination (drop, one at a time, the
 * trajectory whose squared distances to the rest add least; after Ruano,
 * Ocon & Cuesta 2012).  The kept trajectories stay in the pool's order.
 * NULL with E set: GP_EX_USAGE for R = 0, D = 0, a bad GROUP (sim/sens.h),
 * odd or zero levels, an unknown grid or 0 < POOL < R; GP_EX_OSERR when out
 * of memory. */
gp_morris *gp_morris_new(size_t r, size_t d, const size_t *group,
                         const gp_morris_opts *o, uint64_t seed, gp_err *e);
void gp_morris_free(gp_morris *m);

/* Campolongo's spread of the design: sum over pairs of trajectories of
 * their squared distance (for tests and for reporting the selection). */
double gp_morris_spread(const gp_morris *m);

/* One group's screening measures (units: the output's per unit of the
 * unit cube, see above). */
typedef struct gp_morris_index {
  double mu;                     /* mean elementary effect */
  double mu_star;                /* mean |EE| (Campolongo 2007) */
  double mu_star_lo, mu_star_hi; /* bootstrap LEVEL percentile interval of mu* */
  double sigma;                  /* sd of the EEs (divisor R - 1); NaN when R = 1 */
} gp_morris_index;

/* The elementary effects EE[t G + i] of group i in trajectory t from the
 * outputs Y[p * STRIDE] of the design's points.  -1 with GP_EX_DATAERR
 * when an output is NaN or infinite (refused, never skipped). */
int gp_morris_effects(const gp_morris *m, const double *y, size_t stride,
                      double *ee, gp_err *e);

/* The measures of the M->g groups into OUT[0..g-1]; NBOOT resamples of the
 * R trajectories with replacement drawn from SEED give mu*'s interval.
 * Outputs as for gp_morris_effects.  Cost O(R G) plus O(NBOOT R G). */
int gp_morris_estimate(const gp_morris *m, const double *y, size_t stride,
                       size_t nboot, double level, uint64_t seed,
                       gp_morris_index *out, gp_err *e);

#endif /* GP_MORRIS_H */
