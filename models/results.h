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
  int32_t withdrawn;            /* proposals of the window that withdrew */
  double mean_quality_accepted; /* mean hidden quality of accepted proposals */
  double mean_quality_rejected; /* the same of rejected ones (screening, interview or selection) */
  double subsidy_krw;           /* market price of GPU-hours held in the window, less self-pay */
  double selfpay_krw;           /* what applicants paid for GPU-hours held in the window */
  double installed_h100e_at_target; /* H100-equivalents online at the target date */
  double acceptance_rate_industry;  /* accepted / decided, per sector; NaN when none decided */
  double acceptance_rate_startup;
  double acceptance_rate_academia;
  double acceptance_rate_research;
  double acceptance_rate_national;
  double failed_gpu_hours;      /* GPU-hours lost to failed nodes in the window */
} gp_summary_row;

/* One row per demand source (call, stream, designation) per replication:
 * /policies/P/calls.  Counts cover every proposal of the source, whatever
 * the measured window. */
typedef struct gp_call_row {
  int32_t rep;
  int32_t call;             /* origin index, as in the proposal table */
  int32_t proposals;
  int32_t accepted;
  int32_t rejected;
  int32_t withdrawn;
  int32_t interviewed;
  double units_requested;   /* servers (or GPUs in per-GPU pools) asked for */
  double gpus_requested;
  double units_awarded;
  double gpus_awarded;
  double gpus_awarded_industry;
  double gpus_awarded_startup;
  double gpus_awarded_academia;
  double gpus_awarded_research;
  double gpus_awarded_national;
  double oversubscription;  /* units requested / units offered (NaN without a budget) */
  double first_decision;    /* days since epoch; -1 = none */
  double mean_decision;     /* mean decision time of decided proposals; -1 = none */
  double last_decision;
} gp_call_row;

/* One row per proposal per replication: /policies/P/proposals. */
typedef struct gp_proposal_row {
  int32_t rep;
  int64_t id;        /* unique within a replication, in submission order */
  int32_t call;      /* index of the demand stream or call, in scenario order */
  int8_t sector;     /* gp_sector_names */
  int8_t gpu_type;   /* index into the scenario's gpu_types */
  int8_t outcome;    /* gp_outcome_names */
  int32_t capital;   /* 1 = applicant in the capital region */
  int32_t org;       /* organisation id */
  int32_t servers;   /* requested allocation units (servers, or GPUs for per-GPU calls) */
  int32_t granted;   /* units granted: servers unless a rule grants part; 0 = none */
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
extern const gp_table_desc gp_call_desc;

/* The roadmap as delivered in one replication's world (slips drawn, policy
 * independent): /roadmap, one row per replication. */
typedef struct gp_roadmap_row {
  int32_t rep;
  double installed_at_target; /* GPUs delivered and under agreement at the target date */
  double h100e_at_target;     /* the same in H100-equivalents */
  double date_reached;        /* first day the target is reached, days; -1 = not by the end */
  int32_t reached_by_target;  /* 1 if reached on or before the target date */
} gp_roadmap_row;

extern const gp_table_desc gp_roadmap_desc;

/* Statistics over replications of one summary metric: /stats/P (one row per
 * metric) and, for paired differences A - B between two policies run on the
 * same worlds, /compare/A__B. */
typedef struct gp_stat_row {
  int8_t metric;      /* index into gp_stat_metric_names */
  int32_t n;          /* replications with a value (NaNs are left out) */
  double mean;
  double sd;          /* sample standard deviation */
  double half_width;  /* half-width of the 95% Student-t confidence interval */
  double lo, hi;      /* mean -/+ half_width */
} gp_stat_row;

extern const gp_table_desc gp_stat_desc;
/* The summary fields statistics are computed for, in table order:
 * gp_stat_count() of them, named gp_stat_metric_names[k].  gp_stat_desc is
 * complete once gp_stat_count() has been called. */
extern const char *const *gp_stat_metric_names;
extern int gp_stat_nmetrics;
int gp_stat_count(void);
/* Fill OUT[gp_stat_nmetrics] with statistics of ROWS[0..n) (stride between
 * rows in bytes: sizeof(gp_summary_row) for a plain array).  With B, the
 * statistics are of the paired differences A[i] - B[i]. */
void gp_stat_compute(const gp_summary_row *a, const gp_summary_row *b, size_t n,
                     gp_stat_row *out);
/* The summary field of metric K. */
const gp_field *gp_stat_field(int k);
/* The proposal table's gpu_type enum names come from the scenario, so the
 * description is built per run (see gp_proposal_desc_init). */
void gp_proposal_desc_init(gp_table_desc *desc, gp_field *fields, const char *const *gpu_names,
                           int ngpu);
#define GP_PROPOSAL_NFIELDS 18

/* Time series sampled every scenario.sample_every_days. */
enum { GP_TS_INSTALLED, GP_TS_USABLE, GP_TS_ALLOCATED, GP_TS_BUSY, GP_TS_QUEUE, GP_TS_BACKLOG,
       GP_TS_INSTALLED_H100E, GP_TS_USABLE_H100E, GP_NTS };
extern const char *const gp_ts_names[GP_NTS];
extern const char *const gp_ts_units[GP_NTS];
extern const char *const gp_ts_docs[GP_NTS];
/* Per-tranche series, under timeseries/tranches/NAME/. */
enum { GP_TTS_INSTALLED, GP_TTS_ALLOCATED, GP_TTS_BUSY, GP_NTTS };
extern const char *const gp_tts_names[GP_NTTS];

#endif /* GP_RESULTS_H */
