/*
 * models/experiment/budget.h - the memory a run of a scenario needs, estimated before
 * it starts, and the check that refuses a scenario that cannot fit.
 *
 * The estimate counts what grows with the scenario (scenarios/README.md,
 * "Memory"):
 *   work    threads x proposals per replication x (gp_wprop + gp_proj), plus
 *           each thread's time-series buffer: the world and the run state of
 *           the replications in flight;
 *   rows    detailed replications x policies x proposals x gp_proposal_row:
 *           the per-proposal rows kept for the result file;
 *   series  detailed replications x policies x series x samples x 8 bytes:
 *           the time series kept (series: 8 + 3 per tranche);
 *   summary replications x policies x (summary row + one call row per source).
 * Proposals per replication are expected values: a call's "proposals", a
 * stream's rate integrated over its window with its growth, a designation's
 * teams.  The kernel's event set, HDF5's buffers and the code itself are left
 * out, so the estimate is a floor: a scenario it refuses cannot run.
 *
 * The plan (gp_plan_load) and `gpuplan validate` run gp_budget_check for
 * one thread against the machine's physical memory, right after loading
 * (they do not know the thread count; a run on more threads may check
 * again with its own).
 */
#ifndef GP_BUDGET_H
#define GP_BUDGET_H

#include "models/scenario/scenario.h"
#include "sim/err.h"

/* Expected proposals per replication above this are refused whatever the
 * memory: a run numbers them with 32-bit ids. */
#define GP_BUDGET_MAX_PROPOSALS 1e9

typedef struct gp_budget {
  double proposals;     /* expected proposals per replication, every source */
  int threads;          /* replications in flight at once */
  int detail_reps;      /* replications that keep proposal rows and time series */
  double work_bytes;    /* worlds and run state of the replications in flight */
  double rows_bytes;    /* proposal rows kept */
  double series_bytes;  /* time series kept */
  double summary_bytes; /* summary and call rows */
  double total_bytes;   /* the sum */
  /* The demand source with the most expected proposals: its kind (calls,
   * streams, designated; GP_ORIGIN_*), index and proposals; -1 when none. */
  int top_kind, top_index;
  double top_proposals;
} gp_budget;

/* Expected proposals per replication of demand source ORIGIN (the origin
 * numbering of gp_scenario_origin_name). */
double gp_budget_source_proposals(const gp_scenario *s, int origin);
/* Fill B for a run of S on THREADS threads (<= 0: as many as cores, as
 * `gpuplan run` uses by default), at most one per replication. */
void gp_budget_estimate(const gp_scenario *s, int threads, gp_budget *b);
/* Physical memory of this machine, bytes; 0 when unknown. */
double gp_budget_machine_bytes(void);
/* Fail (GP_EX_DATAERR, FILE:LINE:COL at the key most responsible) when a run
 * of S on THREADS threads needs more than MEMORY bytes (MEMORY <= 0: no
 * memory check) or more than GP_BUDGET_MAX_PROPOSALS proposals a
 * replication.  Returns 0 or -1. */
int gp_budget_check(const gp_scenario *s, int threads, double memory, gp_err *err);
/* BYTES as "900 bytes", "1.5 KiB", "23.4 GiB" ... (one decimal) into BUF. */
const char *gp_budget_format(char *buf, size_t size, double bytes);

#endif /* GP_BUDGET_H */
