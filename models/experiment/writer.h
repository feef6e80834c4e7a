/*
 * models/experiment/writer.h - the result file of an experiment.
 *
 * The only code that knows the HDF5 layout of a run's file
 * (docs/output.md): root attributes (version, scenario, seed,
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
 * after an interrupt) and REQUESTED (the replications asked for) become the
 * root attributes "complete" and "replications_requested". */
int gp_writer_write(const char *path, const gp_plan *plan, const gp_store *stores, int npoints,
                    int complete, int requested, gp_err *err);

#endif /* GP_WRITER_H */
