/*
 * models/experiment/calibout.h - what `gpuplan calibrate` leaves: its HDF5
 * file (docs/output.md, "/calibration") and its console summary.
 *
 * The only code that knows the layout of /calibration; the root attributes
 * and /scenario are the run file's (gp_writer_root, writer.h).  Nothing
 * here prints on its own: the summary goes to the FILE* it is handed.
 */
#ifndef GP_CALIBOUT_H
#define GP_CALIBOUT_H

#include <stdio.h>

#include "models/experiment/calibrate.h"
#include "sim/err.h"

/* Write C's file at PATH (through a temporary file renamed when complete). */
int gp_calibout_write(const char *path, const gp_calibrate *c, gp_err *err);
/* The estimate (value and interval per unknown), the fit (per target), ABC's
 * generations, then where the file went. */
void gp_calibout_summary(FILE *f, const gp_calibrate *c, const char *path);

#endif /* GP_CALIBOUT_H */
