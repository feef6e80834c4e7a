/*
 * models/experiment/writer.h - the result file of an experiment.
 *
 * The only code that knows the HDF5 layout of a run's file
 * (docs/output.md): root attributes (version, scenario, seed, overrides,
 * replications, epoch, time unit, window, complete, target), /scenario, and
 * per point /policies/P/{summary,proposals,calls,timeseries},
 * /stats/P, /compare/A__B and /roadmap.  A plan of one plain point writes
 * that tree at the root; a swept plan writes it under /points/K, whose
 * attributes give the point's values, with "points" and "sweep_paths" at
 * the root.  The tables' columns come from models/results/ (field tables and
 * the metric catalogue); the file is written through models/results/h5out,
 * to a temporary name renamed when complete.
 */
#ifndef GP_WRITER_H
#define GP_WRITER_H

#include "models/experiment/plan.h"
#include "models/experiment/store.h"
#include "sim/err.h"

/* Write PATH from the first NPOINTS points of PLAN (fewer than the plan's
 * after an interrupt) and their stores STORES[0..NPOINTS).  COMPLETE (0
 * after an interrupt) and REQUESTED (the replications asked for: with a
 * precision target, the most it may run) become the root attributes
 * "complete" and "replications_requested".  The root's "replications" is
 * the fewest any written point holds (all hold as many but after an
 * interrupt or with a precision target; a point's own is the length of its
 * summaries), and "detail_replications" the most detailed of any: point K
 * has min(detail_replications, its replications) (gp_writer_counts). */
int gp_writer_write(const char *path, const gp_plan *plan, const gp_store *stores, int npoints,
                    int complete, int requested, gp_err *err);
/* Make sure PATH can be written, before anything runs (issue 16, item 7:
 * a bad -o was found after the simulation, and every result lost): it is
 * not empty, not a directory and not the scenario file INPUT (NULL: none)
 * itself; anything there already is a regular file; its directory exists
 * (created when missing, as out/ is; its parent must exist) and takes the
 * temporary file the writer makes (created and removed here).  0, or -1
 * with ERR set: GP_EX_USAGE for the input, GP_EX_CANTCREAT otherwise. */
int gp_writer_check(const char *path, const char *input, gp_err *err);

/* The root's "replications" (fewest) and "detail_replications" (most) for
 * the first NPOINTS of STORES, into *REPS and *DETAIL. */
void gp_writer_counts(const gp_store *stores, int npoints, int *reps, int *detail);

#endif /* GP_WRITER_H */
