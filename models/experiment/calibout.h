/*
 * models/experiment/calibout.h - what `gpuplan calibrate` leaves: its HDF5
 * file (docs/output.md, "/calibration") and its console summary.
 *
 * The only code that knows the layout of /calibration; the root attributes
 * and /scenario are the run file's (gp_writer_root, writer.h).  Nothing
 * here prints on its own: the summary goes to the FILE* it is handed.
 * It also reads a file back (gp_calibout_load: for the report and its
 * chart; gp_calibout_read: an abc file's last generation, for `run` and
 * `sensitivity --posterior`, with what says where it came from).
 *
 * Ownership: a gp_calibout_posterior owns all its arrays and strings
 * (gp_calibout_posterior_free, which accepts NULL).
 */
#ifndef GP_CALIBOUT_H
#define GP_CALIBOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/experiment/calibrate.h"
#include "sim/err.h"

/* Write C's file at PATH (through a temporary file renamed when complete). */
int gp_calibout_write(const char *path, const gp_calibrate *c, gp_err *err);
/* The estimate (value and interval per unknown), the fit (per target), ABC's
 * generations, then where the file went. */
void gp_calibout_summary(FILE *f, const gp_calibrate *c, const char *path);

/* A calibrate file read back: rows of /calibration/estimate, .../fit and
 * .../generations. */
typedef struct gp_calibout_est {
  double value, lo, hi; /* the estimate and its 95% interval, in the path's unit */
  double min, max;      /* the box searched */
  int8_t interval;      /* how the interval was made: gp_calibrate_interval */
} gp_calibout_est;
typedef struct gp_calibout_fit {
  double value, sd;    /* the published figure and its standard deviation */
  double mean, lo, hi; /* the simulated mean at the estimate and its 95% interval */
  double residual;     /* (mean - value) / sd */
  char *source;        /* the target's source and metric, from the block of the */
  char *metric;        /* file's /scenario ("?" when it does not say); malloc'd */
} gp_calibout_fit;
typedef struct gp_calibout_gen {
  int32_t generation;
  double tolerance; /* inf in generation 0 */
  int64_t simulations;
  double acceptance, ess;
} gp_calibout_gen;

typedef struct gp_calibout_posterior {
  char *file;          /* the file's name, as given */
  uint32_t crc32;      /* CRC-32 (zlib's, Python's zlib.crc32) of the file's bytes */
  char *scenario_name; /* its root attribute scenario_name */
  char *scenario;      /* its /scenario text: the scenario it was fitted on */
  char *method;        /* "nelder-mead" or "abc" */
  char *policy;        /* the policy it was fitted under */
  long long seed;      /* its root attribute seed */
  double reps, fit_reps, objective, evaluations; /* /calibration's attributes */
  char **paths;        /* the unknowns' --set paths: the columns of samples */
  size_t nu;
  gp_calibout_est *est; /* nu rows */
  gp_calibout_fit *fit; /* nt rows */
  size_t nt;
  size_t n;            /* abc: particles (0 for nelder-mead) */
  double *samples;     /* abc: n x nu values, row-major */
  double *weights;     /* abc: n importance weights, >= 0, summing to 1 */
  gp_calibout_gen *gen; /* abc: one row per complete generation */
  size_t ngen;
} gp_calibout_posterior;

/* Read the calibrate file PATH into *OUT.  GP_EX_NOINPUT when it cannot be
 * opened; GP_EX_DATAERR when it is no gpuplan file, has no /calibration
 * (not a calibrate file), or (abc) its posterior is malformed (shapes,
 * weights that are negative, not finite or all 0). */
int gp_calibout_load(const char *path, gp_calibout_posterior **out, gp_err *err);
/* The same for a posterior to draw from: a nelder-mead fit is refused too
 * (GP_EX_DATAERR: it has none; the message says what to run instead). */
int gp_calibout_read(const char *path, gp_calibout_posterior **out, gp_err *err);
void gp_calibout_posterior_free(gp_calibout_posterior *p);

#endif /* GP_CALIBOUT_H */
