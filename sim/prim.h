/*
 * sim/prim.h - PRIM, the patient rule induction method: boxes of the input
 * space in which a condition holds more often than elsewhere (scenario
 * discovery).
 *
 * Method: Friedman & Fisher (1999), "Bump hunting in high-dimensional
 * data", Statistics and Computing 9, 123-143.  Peeling: from the box that
 * holds every point, try to remove the ALPHA fraction of the box's points
 * with the lowest, or the highest, values of each dimension (2K candidate
 * peels) and keep the one that leaves the highest density (share of the
 * box's points where the condition holds); repeat until the next peel would
 * leave less than MIN_MASS of the points.  Pasting (optional): widen the
 * chosen box by ALPHA of its points on one side at a time while that raises
 * its density.
 *
 * The chosen box.  Along the peeling trajectory density rises while peels
 * cut away points where the condition is rarer than in the rest of the box;
 * once the box sits inside the region, further peels only chase noise (and
 * restrict dimensions that do not matter).  Each peel is tested: under the
 * hypothesis that the removed slab has the density of the box that
 * remains, its count of condition points is binomial; as the peel kept is
 * the best of 2K candidates, P(that few or fewer) is multiplied by 2K
 * (Bonferroni, capped at 1), and the peel is significant when that
 * p-value is below SIG.  The chosen box is the last
 * box of the initial run of significant peels (the box before the first
 * peel that cut nothing but noise).  gp_prim_best gives the other usual
 * rule (the highest density with coverage at least a bound) over the same
 * trajectory.
 *
 * A box is closed: lo[j] <= x_j <= hi[j], -INFINITY / +INFINITY meaning
 * "unrestricted".  Ties in a dimension (discrete values) are peeled as a
 * whole: a peel never splits points of equal value.
 */
#ifndef GP_PRIM_H
#define GP_PRIM_H

#include <stddef.h>

#include "sim/err.h"

typedef struct gp_prim_opts {
  double alpha;    /* share of the box's points one peel or paste moves, (0, 0.5); 0.05 */
  double min_mass; /* smallest share of all points a box may hold, (0, 1]; 0.05 */
  double sig;      /* a peel is significant below this binomial p-value, (0, 1); 0.05 */
  int paste;       /* 1: paste the chosen box; 0: do not */
} gp_prim_opts;

/* Friedman and Fisher's defaults (alpha and the minimum mass 0.05), the
 * test at 5%, pasting on. */
#define GP_PRIM_OPTS_DEFAULT {0.05, 0.05, 0.05, 1}

/* One box of the trajectory. */
typedef struct gp_prim_step {
  double coverage; /* share of all condition points that are in the box */
  double density;  /* share of the box's points where the condition holds */
  double mass;     /* share of all points in the box */
  size_t n_in;     /* points in the box */
  int dim;         /* the dimension the step peeled (or pasted); -1 for the first box */
  int side;        /* -1 raised lo, +1 lowered hi; 0 for the first box */
  double p_value;  /* the peel's p-value, Bonferroni-corrected (see above); NaN for the first box and pastes */
} gp_prim_step;

/* A peeling trajectory and its chosen box (owned; free with gp_prim_free). */
typedef struct gp_prim {
  size_t n, k;          /* points and dimensions of the data */
  size_t nsteps;        /* boxes in the trajectory, >= 1 (step 0: every point) */
  gp_prim_step *step;   /* nsteps */
  double *lo, *hi;      /* nsteps x k: box s is lo[s k + j] <= x_j <= hi[s k + j] */
  size_t chosen;        /* the chosen step (see above) */
  int pasted;           /* 1 when the options asked for pasting */
  gp_prim_step box;     /* the chosen box, after pasting when pasted (dim/side: the last paste) */
  double *box_lo, *box_hi; /* k: its bounds */
} gp_prim;

/* PRIM on the N points X (row-major, N x K, finite) with condition Y[i]
 * (exactly 0 or 1), options OPTS (NULL = GP_PRIM_OPTS_DEFAULT).  NULL with E
 * set: GP_EX_USAGE for N = 0, K = 0 or an option out of its range;
 * GP_EX_DATAERR for a NaN or infinite X, a Y other than 0 or 1 (naming the
 * point), or a condition that holds at no point (no box to find);
 * GP_EX_OSERR when out of memory.  Deterministic: ties between peels go to
 * the lowest dimension, lower side first.  Cost O(steps K N log N), steps
 * about log(MIN_MASS) / log(1 - ALPHA) (58 at the defaults). */
gp_prim *gp_prim_run(const double *x, const double *y, size_t n, size_t k,
                     const gp_prim_opts *opts, gp_err *e);
void gp_prim_free(gp_prim *p);

/* The step of highest density among those with coverage >= MIN_COVERAGE
 * (the first of equals); step 0 when none but it qualifies. */
size_t gp_prim_best(const gp_prim *p, double min_coverage);

#endif /* GP_PRIM_H */
