/*
 * models/experiment/sizeout.h - what `gpuplan size` leaves: its HDF5 file
 * (docs/output.md, "/size") and its console report.
 *
 * The only code that knows the layout of /size; the root attributes and
 * /scenario are the run file's (gp_writer_root, writer.h).  Nothing here
 * prints on its own: the report goes to the FILE* it is handed.
 */
#ifndef GP_SIZEOUT_H
#define GP_SIZEOUT_H

#include <stdio.h>

#include "models/experiment/size.h"
#include "sim/err.h"

/* Write R's file at PATH (through a temporary file renamed when complete). */
int gp_sizeout_write(const char *path, const gp_size *r, gp_err *err);
/* The question, the direction, the answer with its mean and bounds and its
 * neighbour's (or why there is none), every evaluation, the warnings, and
 * where the file went (PATH; NULL = no file). */
void gp_sizeout_summary(FILE *f, const gp_size *r, const char *path);

#endif /* GP_SIZEOUT_H */
