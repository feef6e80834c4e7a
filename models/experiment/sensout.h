/*
 * models/experiment/sensout.h - what `gpuplan sensitivity` leaves: its HDF5
 * file (docs/output.md, "/sensitivity") and its console tables.
 *
 * The only code that knows the layout of /sensitivity; the root attributes
 * and /scenario are the run file's (gp_writer_root, writer.h).  Nothing
 * here prints on its own: the tables go to the FILE* it is handed.
 */
#ifndef GP_SENSOUT_H
#define GP_SENSOUT_H

#include <stdio.h>

#include "models/experiment/sensitivity.h"
#include "sim/err.h"

/* Write R's file at PATH (through a temporary file renamed when complete). */
int gp_sensout_write(const char *path, const gp_sensitivity *r, gp_err *err);
/* One table per policy: factors ranked by ST (sobol) or mu* (morris) for
 * the first metric that has indices, with intervals, within 100 columns;
 * then where the file went. */
void gp_sensout_summary(FILE *f, const gp_sensitivity *r, const char *path);

#endif /* GP_SENSOUT_H */
