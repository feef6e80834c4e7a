/*
 * models/results/h5in.h - reading gpuplan result files.
 *
 * Opens a file gpuplan wrote and reads its pieces back.  A file that is not
 * HDF5, is truncated, or lacks gpuplan's root attribute "gpuplan_version" is
 * refused with a clear message (code GP_EX_DATAERR; GP_EX_NOINPUT when it
 * cannot be opened at all, or is not a regular file: a directory, a FIFO, a
 * device).  HDF5's own error printing is switched off.
 *
 * The file may be hostile: whatever its bytes, every function returns, in
 * time bounded by the file's size, with the data or a one-line GP_EX_DATAERR
 * message.  Refused as malformed: external and user-defined links, datasets
 * whose data lies in other files or behind filters gpuplan does not write,
 * dimensions larger than the stored bytes can hold, variable-length string
 * attributes (gpuplan writes fixed-length ones; libhdf5 reads the others
 * from the global heap, which it cannot do safely on a corrupt file), and
 * text whose global heap is not where and what it should be (h5in.c says
 * how that is checked).  Once SIGINT or SIGTERM has set the stop flag
 * (sim/interrupt.h), every read fails with GP_EX_SIGNAL + N.
 */
#ifndef GP_H5IN_H
#define GP_H5IN_H

#include <stddef.h>

#include "models/results/table.h"
#include "sim/err.h"

typedef struct gp_h5in gp_h5in;

gp_h5in *gp_h5in_open(const char *path, gp_err *err);
void gp_h5in_close(gp_h5in *h);

/* 1 if the object at PATH has an attribute NAME, 0 if not (or there is no
 * such object); -1 if that cannot be told (a link on the way is not
 * followed, or the object's attributes are unreadable: reading it says
 * why). */
int gp_h5in_has_attr(gp_h5in *h, const char *path, const char *name);
/* A root (or any object's) fixed-length string attribute, malloc'd; NULL +
 * err if absent or not a fixed-length string. */
char *gp_h5in_attr_string(gp_h5in *h, const char *path, const char *name, gp_err *err);
/* A 1-D (or scalar) string-array attribute, e.g. the calls table's "names":
 * malloc'd strings, *N gets the count; free with gp_h5in_free_names. */
char **gp_h5in_attr_strings(gp_h5in *h, const char *path, const char *name, size_t *n,
                            gp_err *err);
int gp_h5in_attr_double(gp_h5in *h, const char *path, const char *name, double *out, gp_err *err);
/* The text of a scalar string dataset (e.g. "/scenario"), malloc'd: a
 * fixed-length string, or a variable-length one stored contiguously as
 * gpuplan stores it (read from the file's bytes, models/results/h5heap.h). */
char *gp_h5in_text(gp_h5in *h, const char *path, gp_err *err);

/* Names of the members of group PATH in creation order (falls back to name
 * order); *N gets the count; free with gp_h5in_free_names. */
char **gp_h5in_list(gp_h5in *h, const char *path, size_t *n, gp_err *err);
void gp_h5in_free_names(char **names, size_t n);
/* 1 if PATH exists (a group or dataset), 0 if not, -1 if a link on the way
 * is an external or user-defined one (never followed: the functions that
 * read PATH then say so). */
int gp_h5in_exists(gp_h5in *h, const char *path);
/* 1 if PATH is a compound dataset with a field NAME (a file written before
 * the field was added has none), else 0. */
int gp_h5in_has_field(gp_h5in *h, const char *path, const char *name);
/* Read the compound dataset PATH into a malloc'd array of DESC rows, converting
 * by field name (fields of DESC missing in the file are an error; extra file
 * fields are ignored).  *NROWS gets the row count. */
void *gp_h5in_table(gp_h5in *h, const char *path, const gp_table_desc *desc, size_t *nrows,
                    gp_err *err);
/* The same, but a double field of DESC missing in the file reads as NaN in
 * every row: the summary table of a file written before a metric was added
 * (its statistics then have no value: n = 0). */
void *gp_h5in_table_nan(gp_h5in *h, const char *path, const gp_table_desc *desc, size_t *nrows,
                        gp_err *err);
/* Read a 1-D or 2-D double dataset; *ROWS, *COLS get its shape (COLS = 1 for 1-D). */
double *gp_h5in_matrix(gp_h5in *h, const char *path, size_t *rows, size_t *cols, gp_err *err);

#endif /* GP_H5IN_H */
