/*
 * models/replay/replay.h - replay a job trace on one cluster of N GPUs under a
 * scheduling rule (fcfs, easy, conservative); `gpuplan replay` is
 * cli/replay.c.
 *
 * gp_replay_run decides which trace jobs to replay (the skip rules in
 * docs/replay.md), schedules them with the programme's own rules (the
 * registry's fcfs, easy and conservative, played by the runner of
 * models/run/ on a scenario of one cluster and a world of the jobs: no
 * second scheduler) and fills a gp_replay_result: one row per replayed job
 * with its start and finish, one row per skipped job with the reason, and
 * the summary figures.  It reads the trace and never changes it.
 *
 * Ownership: a gp_replay_result's arrays belong to it; gp_replay_result_free
 * releases them (and accepts NULL or a zeroed result).
 */
#ifndef GP_REPLAY_H
#define GP_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/replay/swf.h"
#include "models/results/table.h"
#include "models/run/run.h"
#include "sim/err.h"

/* Scheduling rules; the index is the `policy` attribute's value. */
typedef enum gp_replay_rule {
  GP_REPLAY_FCFS,         /* strict submission order */
  GP_REPLAY_EASY,         /* EASY backfilling: only the first waiting job holds a reservation */
  GP_REPLAY_CONSERVATIVE, /* every waiting job holds a reservation */
  GP_REPLAY_NRULES
} gp_replay_rule;
extern const char *const gp_replay_rule_names[GP_REPLAY_NRULES];

/* Why a trace job is not replayed, in the order the rules are tried; the
 * index is the value of /skipped's `reason` enum. */
enum {
  GP_SKIP_PARTIAL,    /* SWF status 2, 3, 4: a partial-execution line of a job */
  GP_SKIP_CANCELLED,  /* SWF status 5 with run time 0 or -1: cancelled before it started */
  GP_SKIP_NO_RUNTIME, /* run time 0 or -1 */
  GP_SKIP_NO_GPUS,    /* processors 0 or -1 in both SWF fields 5 and 8 */
  GP_SKIP_TOO_BIG,    /* more GPUs (after rounding to whole nodes) than the cluster has */
  GP_NSKIP
};
extern const char *const gp_skip_names[GP_NSKIP];

typedef struct gp_replay_opts {
  int gpus;              /* N, GPUs in the cluster, >= 1 */
  int gpus_per_node;     /* K >= 1 dividing N: jobs are rounded up to multiples of K */
  gp_replay_rule rule;
  gp_run_progress_fn *progress; /* told now and then how far the replay has come (time in
                                 * seconds, jobs started); NULL = nobody */
  void *progress_ctx;
} gp_replay_opts;

/* One replayed job: /jobs. */
typedef struct gp_replay_row {
  int64_t id;            /* job number in the trace */
  int32_t line;          /* line of the trace file */
  int32_t gpus;          /* GPUs held: trace_gpus rounded up to whole nodes */
  int32_t trace_gpus;    /* processors (SWF) or gpus (CSV) the trace gives */
  double submit;         /* s since the trace's start */
  double start;          /* s */
  double finish;         /* s: start + runtime */
  double wait;           /* s: start - submit */
  double runtime;        /* s */
  double estimate; /* s the scheduler used: the trace's, raised to runtime if below, or runtime if
                      none */
  double trace_estimate; /* s the trace gives; NaN = none */
  double reserved;       /* s: first reservation promised (easy: on reaching the head of the queue
                            without starting; conservative: on submission); NaN = none */
} gp_replay_row;

/* One skipped job: /skipped. */
typedef struct gp_replay_skip {
  int64_t id;            /* job number in the trace */
  int32_t line;          /* line of the trace file */
  int8_t reason;         /* GP_SKIP_* */
} gp_replay_skip;

extern const gp_table_desc gp_replay_jobs_desc;
extern const gp_table_desc gp_replay_skipped_desc;

typedef struct gp_replay_result {
  gp_replay_row *jobs;          /* replayed jobs, in trace order */
  size_t njobs;
  gp_replay_skip *skipped;      /* skipped jobs, in trace order */
  size_t nskipped;
  long long nskip[GP_NSKIP];    /* skipped jobs by reason */
  long long estimates_raised;   /* replayed jobs whose estimate was below their run time */
  long long estimates_missing;  /* replayed jobs without an estimate (the run time is used) */
  double mean_wait;             /* s, over replayed jobs; NaN when none */
  double mean_bounded_slowdown; /* mean of max(1, (wait + runtime) / max(runtime, 10 s)); NaN when
                                   none */
  double max_wait;              /* s; NaN when none */
  double utilization;           /* busy GPU-s / (N x makespan); NaN when none */
  double makespan;              /* s: last_finish - first_submit; 0 when none */
  double first_submit;          /* s; NaN when none */
  double last_finish;           /* s; NaN when none */
} gp_replay_result;

/* Replay trace T under O into OUT (which it overwrites).  0, or -1 with ERR
 * set (GP_EX_USAGE for bad options, GP_EX_SOFTWARE for an internal error,
 * GP_EX_SIGNAL + N when SIGINT or SIGTERM set the stop flag,
 * sim/interrupt.h, which is looked at between two events). */
int gp_replay_run(const gp_trace *t, const gp_replay_opts *o, gp_replay_result *out, gp_err *err);
void gp_replay_result_free(gp_replay_result *r);

/* Print the summary (the command's standard output). */
void gp_replay_print(FILE *f, const gp_trace *t, const gp_replay_opts *o,
                     const gp_replay_result *r);

/* Write PATH: root attributes and the /jobs and /skipped tables (see
 * docs/replay.md).  Written to a temporary name and renamed when complete. */
int gp_replay_write(const char *path, const gp_trace *t, const gp_replay_opts *o,
                    const gp_replay_result *r, gp_err *err);

#endif /* GP_REPLAY_H */
