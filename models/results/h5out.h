/*
 * models/results/h5out.h - the one HDF5 writer.
 *
 * Everything gpuplan writes to HDF5 goes through here.  The file is created
 * as FINAL.tmp-PID in the same directory and renamed onto FINAL only by
 * gp_h5out_commit, so an existing result file is never half-overwritten and an
 * interrupted run leaves no partial FINAL.  HDF5's automatic error printing is
 * switched off; HDF5 failures become gp_err messages (code GP_EX_CANTCREAT when
 * the file cannot be created, GP_EX_IOERR afterwards).
 *
 * Paths are absolute inside the file ("/policies/fcfs/summary"); missing
 * intermediate groups are created.
 */
#ifndef GP_H5OUT_H
#define GP_H5OUT_H

#include <stddef.h>

#include "models/results/table.h"
#include "sim/err.h"

typedef struct gp_h5out gp_h5out;

gp_h5out *gp_h5out_create(const char *final_path, gp_err *err);
/* Flush, close and rename onto the final path.  Frees H in every case. */
int gp_h5out_commit(gp_h5out *h, gp_err *err);
/* Close and delete the temporary file.  Accepts NULL. */
void gp_h5out_abort(gp_h5out *h);

/* 1 after HDF5 failed to close a file (a write error while flushing, such
 * as a full disk).  HDF5 1.10's own teardown at exit then crashes on that
 * file, so the program must end with _exit (after flushing stdio) instead
 * of returning from main. */
int gp_h5out_poisoned(void);

/* Attributes on the object (group or dataset) at PATH; "/" is the root. */
int gp_h5out_attr_string(gp_h5out *h, const char *path, const char *name, const char *value, gp_err *err);
int gp_h5out_attr_double(gp_h5out *h, const char *path, const char *name, double value, gp_err *err);
int gp_h5out_attr_int(gp_h5out *h, const char *path, const char *name, long long value, gp_err *err);

/* A 1-D attribute of N fixed-length UTF-8 strings (e.g. names by index). */
int gp_h5out_attr_strings(gp_h5out *h, const char *path, const char *name, const char *const *v,
                          size_t n, gp_err *err);

/* Create group PATH (and parents) if needed. */
int gp_h5out_group(gp_h5out *h, const char *path, gp_err *err);

/* A scalar variable-length UTF-8 string dataset (e.g. /scenario). */
int gp_h5out_text(gp_h5out *h, const char *path, const char *text, gp_err *err);

/* A 1-D compound dataset of NROWS rows described by DESC (enum fields become
 * HDF5 enum types with DESC's names; every field's unit and doc go into
 * attributes "units" and "doc" as string arrays in field order).  Chunked and
 * deflate-compressed when large; NROWS may be 0. */
int gp_h5out_table(gp_h5out *h, const char *path, const gp_table_desc *desc, const void *rows,
                   size_t nrows, gp_err *err);

/* A 1-D double dataset of N values with a "units" attribute, made a dimension
 * scale (H5DSset_scale) named after its last path component. */
int gp_h5out_scale(gp_h5out *h, const char *path, const double *v, size_t n, const char *units,
                   gp_err *err);
/* A 1-D int32 dimension scale (e.g. replication numbers). */
int gp_h5out_scale_int(gp_h5out *h, const char *path, const int *v, size_t n, const char *units,
                       gp_err *err);

/* A ROWS x COLS double matrix (row-major) with a "units" attribute; when
 * ROW_SCALE / COL_SCALE are non-NULL, the datasets at those paths (made with
 * gp_h5out_scale*) are attached to dimension 0 / 1. */
int gp_h5out_matrix(gp_h5out *h, const char *path, const double *data, size_t rows, size_t cols,
                    const char *units, const char *row_scale, const char *col_scale, gp_err *err);

#endif /* GP_H5OUT_H */
