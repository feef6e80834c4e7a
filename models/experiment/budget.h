/*
 * models/experiment/budget.h - the memory a run needs, estimated before it
 * starts, and the checks that refuse a scenario or a plan that cannot fit.
 *
 * The estimate counts what grows with the scenario (scenarios/README.md,
 * "Limits and memory"):
 *   work    threads x (proposals x what a replication in flight holds per
 *           proposal + node failures x what it holds per failure + a
 *           time-series buffer): the worlds and run states in flight;
 *   rows    detailed replications x policies x proposals x gp_proposal_row:
 *           the per-proposal rows kept for the result file;
 *   series  detailed replications x policies x series x samples x 8 bytes:
 *           the time series kept (series: 8 + 3 per tranche);
 *   summary replications x policies x (summary row + one call row per
 *           source, and a detail slot per detailed replication).
 * Proposals per replication are expected values: a call's "proposals", a
 * stream's rate integrated over its window with its growth, a designation's
 * teams; node failures too: each node of a tranche with failures fails once
 * per MTBF + mean repair time while under agreement.  Per proposal and per
 * failure the estimate counts what a run holds at once (its records in the
 * world and the run, the review pipeline's record, a pending withdrawal,
 * the ranking by score; tests/unit/test_budget.c measures runs against it),
 * not the moments when a growing array is copied, the kernel's event set,
 * HDF5's buffers or the code itself: a floor, so a scenario it refuses
 * cannot run.
 *
 * A plan's points run one after the other, but every point's results stay
 * in memory until the file is written: a plan needs the largest point's
 * work plus every point's rows, series and summaries (gp_budget_check_plan).
 * The plan (gp_plan_load) and `gpuplan validate` check for one thread
 * against the machine's physical memory, right after loading (they do not
 * know the thread count); gp_experiment_run checks again with its threads
 * and, with a precision target, the most replications it may run.
 */
#ifndef GP_BUDGET_H
#define GP_BUDGET_H

#include "models/experiment/plan.h"
#include "models/scenario/scenario.h"
#include "sim/err.h"

/* Expected proposals per replication above this are refused whatever the
 * memory: a run numbers them with 32-bit ids. */
#define GP_BUDGET_MAX_PROPOSALS 1e9

typedef struct gp_budget {
  double proposals;     /* expected proposals per replication, every source */
  double failures;      /* expected node failures per replication, every tranche */
  int threads;          /* replications in flight at once */
  int reps;             /* replications the run may hold (a precision run's cap) */
  int detail_reps;      /* replications that keep proposal rows and time series */
  double work_bytes;    /* worlds and run states of the replications in flight */
  double failure_bytes; /* of work_bytes, for node failures */
  double rows_bytes;    /* proposal rows kept */
  double series_bytes;  /* time series kept */
  double summary_bytes; /* summary and call rows, detail slots */
  double total_bytes;   /* the sum */
  /* The demand source with the most expected proposals: its kind (calls,
   * streams, designated; GP_ORIGIN_*), index and proposals; -1 when none. */
  int top_kind, top_index;
  double top_proposals;
  /* The tranche with the most expected failures and their number; -1 when
   * none fails. */
  int top_tranche;
  double top_failures;
} gp_budget;

/* Expected proposals per replication of demand source ORIGIN (the origin
 * numbering of gp_scenario_origin_name). */
double gp_budget_source_proposals(const gp_scenario *s, int origin);
/* Bytes a replication in flight holds per proposal of source ORIGIN. */
double gp_budget_proposal_bytes(const gp_scenario *s, int origin);
/* Expected node failures per replication of tranche T. */
double gp_budget_tranche_failures(const gp_scenario *s, int t);
/* Bytes a replication in flight holds per node failure. */
double gp_budget_failure_bytes(void);
/* Fill B for a run of S on THREADS threads (<= 0: as many as cores, as
 * `gpuplan run` uses by default), at most one per replication. */
void gp_budget_estimate(const gp_scenario *s, int threads, gp_budget *b);
/* The same for a run that may hold up to REPS replications (>= those of S:
 * a precision target's cap). */
void gp_budget_estimate_reps(const gp_scenario *s, int threads, int reps, gp_budget *b);
/* Physical memory of this machine, bytes; 0 when unknown. */
double gp_budget_machine_bytes(void);
/* Fail (GP_EX_DATAERR, FILE:LINE:COL at the key most responsible) when a run
 * of S on THREADS threads needs more than MEMORY bytes (MEMORY <= 0: no
 * memory check) or more than GP_BUDGET_MAX_PROPOSALS proposals a
 * replication.  Returns 0 or -1. */
int gp_budget_check(const gp_scenario *s, int threads, double memory, gp_err *err);
/* The same for every point of PL together, on THREADS threads, each point
 * holding up to CAP_REPS replications (0: its own number): the largest
 * point's work and every point's results.  The message blames the point
 * that needs most, and says how many points and how much they need. */
int gp_budget_check_plan(const gp_plan *pl, int threads, int cap_reps, double memory,
                         gp_err *err);
/* ---- issues 18, 22: the world cache of a design's workers ---- */
/* Bytes a world cache (models/world/wcache.h) keeping REPS replications of
 * S holds: each replication's expected proposals, their return draws and
 * candidates (returning applicants), failure moments and online times (the
 * JSON keys, a few kilobytes, not counted: a floor). */
double gp_budget_wcache_bytes(const gp_scenario *s, int reps);
/* BYTES as "900 bytes", "1.5 KiB", "23.4 GiB" ... (one decimal) into BUF. */
const char *gp_budget_format(char *buf, size_t size, double bytes);

#endif /* GP_BUDGET_H */
