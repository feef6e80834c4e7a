/*
 * models/experiment/calibout.h - what `gpuplan calibrate` leaves: its HDF5
 * file (docs/output.md, "/calibration") and its console summary.
 *
 * The only code that knows the layout of /calibration; the root attributes
 * and /scenario are the run file's (gp_writer_root, writer.h).  Nothing
 * here prints on its own: the summary goes to the FILE* it is handed.
 * It also reads back what `run --posterior` needs of an abc file
 * (gp_calibout_read): the last generation's particles and weights, and
 * what says where they came from.
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

/* The posterior of a `gpuplan calibrate --method abc` file. */
typedef struct gp_calibout_posterior {
  char *file;          /* the file's name, as given */
  uint32_t crc32;      /* CRC-32 (zlib's, Python's zlib.crc32) of the file's bytes */
  char *scenario_name; /* its root attribute scenario_name */
  char *scenario;      /* its /scenario text: the scenario it was fitted on */
  char *policy;        /* the policy it was fitted under */
  long long seed;      /* its root attribute seed */
  char **paths;        /* the unknowns' --set paths: the columns of samples */
  size_t nu;
  size_t n;            /* particles */
  double *samples;     /* n x nu values, row-major */
  double *weights;     /* n importance weights, >= 0, summing to 1 */
} gp_calibout_posterior;

/* Read the posterior of the calibrate file PATH into *OUT.  GP_EX_NOINPUT
 * when it cannot be opened; GP_EX_DATAERR when it is no gpuplan file, has
 * no /calibration (not a calibrate file), is a nelder-mead fit (no
 * posterior: the message says what to run instead), or its posterior is
 * malformed (shapes, weights that are negative, not finite or all 0). */
int gp_calibout_read(const char *path, gp_calibout_posterior **out, gp_err *err);
void gp_calibout_posterior_free(gp_calibout_posterior *p);

#endif /* GP_CALIBOUT_H */
