/*
 * models/results/h5in.h - reading gpuplan result files.
 *
 * Opens a file gpuplan wrote and reads its pieces back.  A file that is not
 * HDF5, is truncated, or lacks gpuplan's root attribute "gpuplan_version" is
 * refused with a clear message (code GP_EX_DATAERR; GP_EX_NOINPUT when it
 * cannot be opened at all).  HDF5's own error printing is switched off.
 */
#ifndef GP_H5IN_H
#define GP_H5IN_H

#include <stddef.h>

#include "models/results/table.h"
#include "sim/err.h"

typedef struct gp_h5in gp_h5in;

gp_h5in *gp_h5in_open(const char *path, gp_err *err);
void gp_h5in_close(gp_h5in *h);

/* A root (or any object's) string attribute, malloc'd; NULL + err if absent. */
char *gp_h5in_attr_string(gp_h5in *h, const char *path, const char *name, gp_err *err);
/* A 1-D (or scalar) string-array attribute, e.g. the calls table's "names":
 * malloc'd strings, *N gets the count; free with gp_h5in_free_names. */
char **gp_h5in_attr_strings(gp_h5in *h, const char *path, const char *name, size_t *n,
                            gp_err *err);
int gp_h5in_attr_double(gp_h5in *h, const char *path, const char *name, double *out, gp_err *err);
/* The text of a scalar string dataset (e.g. "/scenario"), malloc'd. */
char *gp_h5in_text(gp_h5in *h, const char *path, gp_err *err);

/* Names of the members of group PATH in creation order (falls back to name
 * order); *N gets the count; free with gp_h5in_free_names. */
char **gp_h5in_list(gp_h5in *h, const char *path, size_t *n, gp_err *err);
void gp_h5in_free_names(char **names, size_t n);
/* 1 if PATH exists (a group or dataset), 0 if not. */
int gp_h5in_exists(gp_h5in *h, const char *path);

/* Read the compound dataset PATH into a malloc'd array of DESC rows, converting
 * by field name (fields of DESC missing in the file are an error; extra file
 * fields are ignored).  *NROWS gets the row count. */
void *gp_h5in_table(gp_h5in *h, const char *path, const gp_table_desc *desc, size_t *nrows,
                    gp_err *err);
/* Read a 1-D or 2-D double dataset; *ROWS, *COLS get its shape (COLS = 1 for 1-D). */
double *gp_h5in_matrix(gp_h5in *h, const char *path, size_t *rows, size_t *cols, gp_err *err);

#endif /* GP_H5IN_H */
