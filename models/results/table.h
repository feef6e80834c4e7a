/*
 * models/results/table.h - descriptions of the row structs gpuplan writes.
 *
 * A table (HDF5 compound dataset, CSV file) is an array of C structs; a
 * gp_table_desc lists its fields once - name, offset, type, unit, meaning -
 * and the writer, the readers, the statistics and the documentation all work
 * from that list.  Adding an output field is one struct member plus one line
 * in the table that describes it.
 */
#ifndef GP_TABLE_H
#define GP_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef enum gp_field_type {
  GP_F_INT32,  /* int32_t */
  GP_F_INT64,  /* int64_t */
  GP_F_DOUBLE, /* double */
  GP_F_ENUM    /* int8_t holding an index into enum_names */
} gp_field_type;

/* Which way a summary metric is better: the direction rankings, verdicts
 * and colours read. */
typedef enum gp_better {
  GP_BETTER_LOWER = -1,  /* less is better (days waited, idle GPU-hours) */
  GP_BETTER_NEITHER = 0, /* a quantity to know, not to optimise (proposals, subsidy) */
  GP_BETTER_HIGHER = 1   /* more is better (acceptance, utilization) */
} gp_better;

/* Where a summary metric is shown by default (every output can show all). */
enum {
  GP_SHOW_RUN = 1,    /* the summary table of `gpuplan run` and `gpuplan compare` */
  GP_SHOW_REPORT = 2, /* the comparison table and verdicts of `gpuplan report` */
  GP_SHOW_PLOT = 4    /* the differences chart of `gpuplan plot` */
};

/* How people see one summary metric: its entry in the metric catalogue
 * (models/results/metrics.c), declared once with its field. */
typedef struct gp_metric_view {
  const char *label;  /* short, for table rows: "days to GPU" */
  const char *phrase; /* the subject of a sentence: "the mean time from submission to GPUs" */
  const char *shown;  /* unit of the numbers shown, after scale: "%", "bn KRW", "days" */
  double scale;       /* shown value = stored value x scale */
  int decimals;       /* decimals in fixed-format tables */
  gp_better better;
  unsigned where;     /* GP_SHOW_* */
  const char *delta;  /* unit of a difference when it is not SHOWN: "percentage points" for a
                         rate shown in %; NULL = SHOWN */
  const char *up;     /* verb for an increase, in verdicts: "raises", "lengthens" */
  const char *down;   /* verb for a decrease: "lowers", "shortens" */
  const char *group;  /* a part of a breakdown by sector: the metric it breaks down
                         ("acceptance_rate"); NULL = not a part */
  int sector;         /* with GROUP: the sector this part is of, GP_SECTOR_* (models/vocab) */
  const char *beside; /* tables show it right after this metric (and its parts): what the
                         metric qualifies ("acceptance_rate"); NULL = in catalogue order */
} gp_metric_view;

typedef struct gp_field {
  const char *name;       /* field name in HDF5 and CSV */
  size_t offset;          /* offsetof(row struct, member) */
  gp_field_type type;
  const char *unit;       /* "days", "GPUs", "KRW", "1" for ratios, "" for labels */
  const char *doc;        /* one line for docs/output.md */
  const char *const *enum_names; /* GP_F_ENUM: names, index = stored value */
  int enum_count;         /* GP_F_ENUM: number of names */
  int summary_stat;       /* 1 if statistics (mean, CI) are computed for it */
  const gp_metric_view *view; /* summary metrics: how they are shown; NULL for other fields */
} gp_field;

typedef struct gp_table_desc {
  const char *name;       /* e.g. "summary" */
  size_t row_size;        /* sizeof(row struct) */
  const gp_field *fields;
  int nfields;
} gp_table_desc;

#define GP_FIELD(T, m, ty, unit, doc) {#m, offsetof(T, m), ty, unit, doc, NULL, 0, 0, NULL}
#define GP_FIELD_STAT(T, m, ty, unit, doc) {#m, offsetof(T, m), ty, unit, doc, NULL, 0, 1, NULL}
#define GP_FIELD_ENUM(T, m, names, n, doc) {#m, offsetof(T, m), GP_F_ENUM, "", doc, names, n, 0, NULL}
/* A summary metric: a statistics field with its catalogue entry (the
 * remaining arguments, in gp_metric_view order). */
#define GP_METRIC(T, m, ty, unit, doc, ...)                                                     \
  {#m, offsetof(T, m), ty, unit, doc, NULL, 0, 1, &(const gp_metric_view){__VA_ARGS__}}

/* Read field F of ROW as a double (enums give their index). */
double gp_field_get(const gp_field *f, const void *row);

#endif /* GP_TABLE_H */
