/*
 * models/experiment/selectout.h - what `gpuplan select` leaves: its HDF5
 * file (docs/output.md, "/select") and its console lines.
 *
 * The only code that knows the layout of /select; the root attributes and
 * /scenario are the run file's (gp_writer_root, writer.h).  Nothing here
 * prints on its own: the lines go to the FILE* it is handed.
 */
#ifndef GP_SELECTOUT_H
#define GP_SELECTOUT_H

#include <stdio.h>

#include "models/experiment/plan.h"
#include "models/experiment/select.h"
#include "sim/err.h"

/* What was asked and what came of it. */
typedef struct gp_selectout {
  const gp_plan *plan;         /* its point 0's policies are the systems, in order */
  int metric;                  /* gp_stat_index value */
  const gp_select_spec *spec;  /* delta, maximize */
  const gp_select_result *res;
  double seconds;              /* wall time of the procedure (console only, never the file) */
} gp_selectout;

/* Write O's file at PATH (through a temporary file renamed when complete). */
int gp_selectout_write(const char *path, const gp_selectout *o, gp_err *err);
/* The procedure's constants, one line per policy in order of elimination
 * (replications, mean, the best competitor then), the selection, its cost,
 * and where the file went (PATH; NULL: nowhere). */
void gp_selectout_summary(FILE *f, const gp_selectout *o, const char *path);

#endif /* GP_SELECTOUT_H */
