/*
 * models/experiment/calib_int.h - what calibrate.c and calib_abc.c share
 * (internal to models/experiment/): the state of one calibration and the
 * simulation of sets of the unknowns' values.
 *
 * Invariant: gp_calib_simulate is the only way values are played, so both
 * methods see the same scenario text, policy and target rows.
 */
#ifndef GP_CALIB_INT_H
#define GP_CALIB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "models/experiment/calibrate.h"
#include "models/results/table.h"

typedef struct gp_calib gp_calib;

struct gp_calib {
  gp_calibrate *c;               /* being filled */
  const gp_calibrate_spec *spec;
  char *text;                    /* gp_calibration_text of the base scenario; owned */
  size_t len;
  const gp_field **num, **den;   /* per target: its field of the calls row, and the divisor
                                    of a share (NULL = none) */
  int threads;
  double *cache;                 /* ncache x (nu + 1): values, then S (common random numbers) */
  int ncache, capcache;
  double best;                   /* the smallest S so far (progress) */
  double t0;                     /* monotonic seconds at the start */
  int stage, stages;             /* progress: a start or a generation of how many */
  void (*progress_stage)(gp_calib *k, int final);
};

/* Play NPOINTS sets of VALUES (npoints x nu), REPS replications each, seeded
 * by SEEDS (npoints; NULL = every point with the scenario's seed: common
 * random numbers); each target's value into Y (npoints x reps x nt). */
int gp_calib_simulate(gp_calib *k, int npoints, const double *values, const uint64_t *seeds,
                      int reps, double *y, gp_err *err);
/* Means of Y (reps x nt) into MEAN; 95% half-widths into HALF (NULL = none). */
void gp_calib_means(const gp_calib *k, const double *y, int reps, double *mean, double *half);
/* S of the means MEAN (nt). */
double gp_calib_objective(const gp_calib *k, const double *mean);
/* The values of the cube point X (clamped) into V; *OUTSIDE (NULL = not
 * wanted) the squared distance of X outside the cube. */
void gp_calib_values(const gp_calib *k, const double *x, double *v, double *outside);
/* The fit table at c->value (fit_reps replications, common random numbers). */
int gp_calib_fit(gp_calib *k, gp_err *err);
/* Seconds since k->t0 (progress only). */
double gp_calib_seconds(const gp_calib *k);
/* ABC-SMC (calib_abc.c): the posterior, c->value, lo, hi. */
int gp_calib_abc(gp_calib *k, gp_err *err);

#endif /* GP_CALIB_INT_H */
