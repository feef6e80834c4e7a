/*
 * models/replay/swf.h - job lists for trace replay: Standard Workload Format traces
 * (.swf, and .swf.gz through zlib) and CSV lists of applications.
 *
 * A reader checks every line and either returns the whole list or nothing:
 * on bad data it sets one line FILE:LINE:COL: FIELD: expected ..., found ...
 * (GP_EX_DATAERR), on a missing or unreadable file "FILE: cannot open: ..."
 * (GP_EX_NOINPUT).  Readers only transcribe: they do not decide which jobs to
 * replay (the skip rules and the cluster size belong to models/replay/replay.c), so
 * a job line the format marks invalid (run time -1, processors -1) is kept
 * here with its -1.
 *
 * Invariants of a returned gp_trace: jobs are in file order with submit >= 0
 * non-decreasing; every time is at most GP_TRACE_MAX_TIME; runtime, estimate >= 0 or exactly -1
 * (unknown); procs >= 0 or -1; status in -1..5.
 *
 * Ownership: the caller owns the gp_trace and frees it with gp_trace_free.
 */
#ifndef GP_SWF_H
#define GP_SWF_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

/* The largest time or duration a trace may give, in seconds (about 31,700
 * years): sums of two such times are still exact to the second. */
#define GP_TRACE_MAX_TIME 1e12

/* SWF field 11 values (status). */
enum {
  GP_SWF_UNKNOWN = -1,     /* no status (models, or logs without it: NASA iPSC) */
  GP_SWF_FAILED = 0,
  GP_SWF_COMPLETED = 1,
  GP_SWF_PARTIAL = 2,      /* partial execution, to be continued */
  GP_SWF_LAST_PARTIAL_OK = 3,
  GP_SWF_LAST_PARTIAL_FAILED = 4,
  GP_SWF_CANCELLED = 5
};

/* One job line (SWF) or row (CSV). */
typedef struct gp_trace_job {
  int64_t id;       /* SWF field 1 (job number) / CSV column id */
  int32_t line;     /* line of the file it is on, from 1 */
  int32_t procs;    /* processors = GPUs: SWF field 5 if > 0, else field 8 if > 0, else 0 or -1 */
  int32_t status;   /* SWF field 11 (GP_SWF_*); always -1 for CSV */
  double submit;    /* s since the trace's start (SWF field 2), >= 0 */
  double runtime;   /* s the job ran (SWF field 4); -1 = unknown */
  double estimate;  /* s the user asked for (SWF field 9); -1 = none given */
} gp_trace_job;

typedef enum gp_trace_format { GP_TRACE_SWF, GP_TRACE_CSV } gp_trace_format;

typedef struct gp_trace {
  char *name;            /* the path (or name) it was read from, for messages */
  gp_trace_format format;
  gp_trace_job *jobs;    /* in file order */
  size_t njobs;
  long long max_procs;   /* SWF header "MaxProcs:"; -1 = absent (always for CSV) */
  long long max_nodes;   /* SWF header "MaxNodes:"; -1 = absent */
} gp_trace;

/* Read an SWF trace, plain or gzip-compressed (zlib reads either). */
gp_trace *gp_swf_read(const char *path, gp_err *err);
/* Parse SWF text of LEN bytes; NAME is used in messages. */
gp_trace *gp_swf_parse(const char *name, const char *text, size_t len, gp_err *err);

/* Read a CSV list of jobs (RFC 4180; header row required, see docs/replay.md).
 * Columns: id, submit, runtime, gpus, and optionally estimate, in any order. */
gp_trace *gp_jobs_csv_read(const char *path, gp_err *err);
gp_trace *gp_jobs_csv_parse(const char *name, const char *text, size_t len, gp_err *err);

/* CSV when PATH ends in ".csv" (or ".csv.gz"), else SWF. */
gp_trace *gp_trace_read(const char *path, gp_err *err);

/* Accepts NULL. */
void gp_trace_free(gp_trace *t);

#endif /* GP_SWF_H */
