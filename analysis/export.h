/*
 * analysis/export.h - a result file as CSV files, for spreadsheets and gnuplot.
 *
 * `gpuplan export FILE.h5 -d DIR [--point K]` writes into DIR: summary.csv,
 * stats.csv, compare.csv, calls.csv, proposals.csv, timeseries.csv,
 * roadmap.csv, roadmap_tranches.csv, scenario.json and csv-metadata.json
 * (the CSV files' columns, units and meanings in W3C's CSVW vocabulary;
 * columns and conventions: docs/output.md).
 * Either every file is written or none is: each goes to a temporary name in
 * DIR and all are renamed once all are complete; on failure the temporaries
 * are removed (and DIR too when this call created it).
 */
#ifndef GP_EXPORT_H
#define GP_EXPORT_H

#include "sim/err.h"

#define GP_EXPORT_NFILES 10

/* The names of the files gp_export_csv writes, in its order. */
extern const char *const gp_export_files[GP_EXPORT_NFILES];

/* Export point POINT of a parameter sweep (/points/POINT/) or, for a file
 * without a sweep, the root's tree; POINT < 0 means the default (0, or the
 * root).  Writes the files into DIR (created if missing; its parent must
 * exist).  Codes: GP_EX_NOINPUT (cannot open PATH), GP_EX_DATAERR (not a
 * gpuplan result file, or a table in it is malformed), GP_EX_USAGE (no such
 * point), GP_EX_CANTCREAT (cannot create DIR or a file in it), GP_EX_IOERR (a
 * write failed), GP_EX_SIGNAL + N (SIGINT or SIGTERM, sim/interrupt.h:
 * nothing written).  The data rows written per file go to ROWS when it is not
 * NULL, in the order of gp_export_files. */
int gp_export_csv(const char *path, const char *dir, long point, long rows[GP_EXPORT_NFILES],
                  gp_err *err);

#endif /* GP_EXPORT_H */
