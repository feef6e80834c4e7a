/*
 * models/results.h - the rows gpuplan writes, and their descriptions.
 *
 * These structs are the HDF5 contract of docs (scenarios/README.md, and the
 * "Contract" of the foundation issue): field names may grow but do not
 * change without a migration note.  Times are days since the scenario epoch
 * as doubles, -1 for never.
 */
#ifndef GP_RESULTS_H
#define GP_RESULTS_H

#include <stdint.h>

#include "models/table.h"

/* Sectors of applicants; the index is the value stored in HDF5 enums. */
enum { GP_SECTOR_INDUSTRY, GP_SECTOR_STARTUP, GP_SECTOR_ACADEMIA, GP_SECTOR_RESEARCH,
       GP_SECTOR_NATIONAL, GP_NSECTORS };
extern const char *const gp_sector_names[GP_NSECTORS];

/* What became of a proposal by the end of the run. */
enum { GP_OUT_IN_REVIEW, GP_OUT_REJECTED, GP_OUT_WAITING, GP_OUT_RUNNING, GP_OUT_FINISHED,
       GP_OUT_WITHDRAWN, GP_NOUTCOMES };
extern const char *const gp_outcome_names[GP_NOUTCOMES];

/* One row per replication of one policy: /policies/P/summary. */
typedef struct gp_summary_row {
  int32_t rep;                  /* replication number, from 0 */
  int32_t proposals;            /* submitted in the measured window */
  int32_t accepted;             /* of those, accepted */
  double acceptance_rate;       /* accepted / decided; NaN when none decided */
  double mean_days_to_decision; /* submitted -> decided, over decided ones */
  double mean_days_to_gpu;      /* submitted -> started, over started ones */
  double mean_days_in_queue;    /* ready (accepted + onboarding) -> started */
  double utilization;           /* busy / installed GPU-time in the window */
  double idle_gpu_hours;        /* installed - busy, integrated over the window */
  double gpu_hours_requested;   /* sum of gpus x duration of proposals */
  double gpu_hours_granted;     /* the same over accepted proposals */
  double mean_queue_length;     /* time-average of projects ready and waiting */
  double arrivals_per_day;      /* proposals / window length */
  double mean_usable_gpus;      /* time-average of government-usable GPUs online */
  double mean_allocated_gpus;   /* time-average of GPUs held by projects */
  double mean_busy_gpus;        /* time-average of GPUs really used */
  double installed_gpus_at_target; /* GPUs online (all shares) at the roadmap target date; NaN = no target */
  double gap_to_target;         /* target GPUs - installed_gpus_at_target (>= 0 short of it) */
  int32_t started;              /* proposals of the window that got GPUs */
  int32_t waiting_at_end;       /* accepted, not started at the end */
} gp_summary_row;

/* One row per proposal per replication: /policies/P/proposals. */
typedef struct gp_proposal_row {
  int32_t rep;
  int64_t id;        /* unique within a replication, in submission order */
  int32_t call;      /* index of the demand stream or call, in scenario order */
  int8_t sector;     /* gp_sector_names */
  int8_t gpu_type;   /* index into the scenario's gpu_types */
  int8_t outcome;    /* gp_outcome_names */
  int32_t servers;   /* requested allocation units (servers, or GPUs for per-GPU calls) */
  int32_t gpus;      /* requested GPUs */
  double months;     /* requested duration, months of 365.25/12 days */
  double quality;    /* hidden true quality */
  double score;      /* review score; NaN before review */
  double submitted;  /* days since epoch */
  double decided;    /* days; -1 = never */
  double started;    /* days; -1 = never */
  double finished;   /* days; -1 = never */
} gp_proposal_row;

extern const gp_table_desc gp_summary_desc;
/* The proposal table's gpu_type enum names come from the scenario, so the
 * description is built per run (see gp_proposal_desc_init). */
void gp_proposal_desc_init(gp_table_desc *desc, gp_field *fields, const char *const *gpu_names,
                           int ngpu);
#define GP_PROPOSAL_NFIELDS 15

/* Time series sampled every scenario.sample_every_days. */
enum { GP_TS_INSTALLED, GP_TS_USABLE, GP_TS_ALLOCATED, GP_TS_BUSY, GP_TS_QUEUE, GP_NTS };
extern const char *const gp_ts_names[GP_NTS];
extern const char *const gp_ts_units[GP_NTS];

#endif /* GP_RESULTS_H */
