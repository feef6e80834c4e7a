/*
 * models/experiment/console.h - the summary `gpuplan run` prints when an
 * experiment is done.  First what was run: the scenario and its file, every
 * override the points share (plan->sets, the --set strings), the sweep's
 * paths and the seed.  Then a table of the key metrics (mean and 95%
 * confidence half-width over replications): without a sweep, one column
 * per policy (in blocks within 100 columns), and the roadmap risk when the
 * scenario has a target; with a
 * sweep, one table across the points: per policy a block of rows, a column
 * per point headed by its values (blocks of points within 100 columns),
 * then the roadmap at every point.
 *
 * The rows are the metric catalogue's (models/results/metrics.c): the
 * metrics marked GP_SHOW_RUN, in catalogue order, each with its label, unit
 * shown, scale and decimals; a metric named PARENT_PART is a sub-row of
 * PARENT (the sector rates of acceptance_rate) and follows it.  A row with
 * no number in any policy (no target, a sector that never applies) is left
 * out.  Everything goes to the FILE* the caller hands in.
 */
#ifndef GP_CONSOLE_H
#define GP_CONSOLE_H

#include <stdio.h>

#include "models/experiment/plan.h"
#include "models/experiment/store.h"
#include "sim/err.h"

/* The summary of PLAN, whose points' results are in STORES, written to
 * OUT_PATH in SECONDS.  Every line fits 100 columns but the one that names
 * OUT_PATH (policies, or a sweep's points, in blocks under the metric
 * column; a policy name longer than a column is "#P", listed in full
 * above), unless WIDE: then one line per metric, every policy (every
 * point) on it.  Returns -1 (ERR set) out of memory. */
int gp_console_summary(FILE *f, const gp_plan *plan, const gp_store *stores, const char *out_path,
                       double seconds, int wide, gp_err *err);

/* One line per point of a precision-driven run: the replications run and
 * the precision reached against TARGET. */
void gp_console_precision(FILE *f, const gp_store *stores, int npoints, double target);

#endif /* GP_CONSOLE_H */
