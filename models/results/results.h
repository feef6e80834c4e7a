/*
 * models/results/results.h - the rows gpuplan writes, and their descriptions.
 *
 * These structs are the HDF5 contract of docs (scenarios/README.md, and the
 * "Contract" of the foundation issue): field names may grow but do not
 * change without a migration note.  Times are days since the scenario epoch
 * as doubles, NaN for never (the run keeps -1 for never in its own records;
 * the rows are filled with NaN: models/run/out.c).
 *
 * GP_FORMAT_VERSION is the root attribute format_version of every file
 * gpuplan writes (docs/output.md, "Format versions"): 2 since NaN means
 * never (a file without it is version 1, where -1 did), 3 since string
 * attributes are variable-length UTF-8.  The readers read
 * versions GP_FORMAT_VERSION_MIN to GP_FORMAT_VERSION.
 */
#ifndef GP_RESULTS_H
#define GP_RESULTS_H

#include <stdint.h>

#include "models/results/metrics.h"
#include "models/results/table.h"
#include "models/vocab/vocab.h"

#define GP_FORMAT_VERSION 3
#define GP_FORMAT_VERSION_MIN 1

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
  double first_decision;    /* days since epoch; NaN = none */
  double mean_decision;     /* mean decision time of decided proposals; NaN = none */
  double last_decision;     /* NaN = none */
  /* Programme statistics (issue 19 item 5: gpuplan kpi, the yearly tables
   * of PRACE and INCITE).  Counts are doubles so that a file written before
   * them reads NaN (absent), as a summary metric added later does; in a
   * file that has them every count is a whole number.  The five sectors'
   * counts sum to proposals (accepted); the three stages' to rejected. */
  double proposals_industry;  /* proposals by applicant sector, GP_SECTOR_* order */
  double proposals_startup;
  double proposals_academia;
  double proposals_research;
  double proposals_national;
  double accepted_industry;   /* accepted by applicant sector */
  double accepted_startup;
  double accepted_academia;
  double accepted_research;
  double accepted_national;
  double proposals_capital;   /* proposals from the capital region */
  double accepted_capital;    /* of those, accepted */
  double rejected_screening;  /* rejected at administrative screening */
  double rejected_interview;  /* found unsuitable at the interview */
  double rejected_committee;  /* not selected by a committee */
  double units_offered;       /* the call's budget over its GPU types; NaN = no budget */
  double p50_days_to_decision; /* median days from submission to decision; NaN = none decided */
  double p90_days_to_decision; /* 90% quantile of the same; NaN = none decided */
  /* ---- returning applicants (issue 21, item 3) ---- */
  double returning;          /* proposals of returning applicants (resubmissions, renewals);
                              * a whole number, NaN in a file written before it */
  double returning_accepted; /* of those, accepted */
} gp_call_row;

/* One row per proposal per replication: /policies/P/proposals. */
typedef struct gp_proposal_row {
  int32_t rep;
  int64_t id;        /* unique within a replication: the world's proposals in submission
                      * order, then returning ones (the world's candidates' ids, not in order) */
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
  double decided;    /* days; NaN = never */
  double started;    /* days; NaN = never */
  double finished;   /* days; NaN = never */
  /* ---- returning applicants (issue 21, item 3) ---- */
  int8_t returning;  /* gp_returning_names: new, resubmission, renewal */
  int64_t previous;  /* id of the proposal it follows; -1 = none (a new one) */
} gp_proposal_row;

extern const gp_table_desc gp_call_desc;

/* The roadmap as delivered in one replication's world (slips drawn, policy
 * independent): /roadmap, one row per replication. */
typedef struct gp_roadmap_row {
  int32_t rep;
  double installed_at_target; /* GPUs delivered and under agreement at the target date */
  double h100e_at_target;     /* the same in H100-equivalents */
  double date_reached;        /* first day the target is reached, days; NaN = not by the end */
  int32_t reached_by_target;  /* 1 if reached on or before the target date */
} gp_roadmap_row;

extern const gp_table_desc gp_roadmap_desc;

/* The gap at the target date by tranche, over the replications:
 * /roadmap_tranches, one row per tranche (names in its `names` attribute).
 * For each tranche planned_at_target = mean delivered + late + ramping, and
 * gpus = planned_at_target + ended_by_target when planned online by the date
 * (models/experiment/delivery.h). */
typedef struct gp_roadmap_tranche_row {
  int32_t tranche;          /* index into the scenario's roadmap.tranches */
  double gpus;              /* GPUs built, all shares */
  double planned_online;    /* planned first-online date, days (no slip) */
  double agreement_end;     /* agreement end, days; NaN = none */
  double planned_at_target; /* GPUs under agreement at the target date as planned: gpus or 0 */
  double ended_by_target;   /* gpus when planned online by the date, agreement ended by then */
  double late_gpus;         /* mean over replications: planned by the date, first online after it */
  double ramping_gpus;      /* mean: online by the date, not all of its servers yet */
  double late_share;        /* share of replications in which it is late */
} gp_roadmap_tranche_row;

extern const gp_table_desc gp_roadmap_tranche_desc;

/* The proposal table's gpu_type enum names come from the scenario, so the
 * description is built per run (see gp_proposal_desc_init). */
void gp_proposal_desc_init(gp_table_desc *desc, gp_field *fields, const char *const *gpu_names,
                           int ngpu);
#define GP_PROPOSAL_NFIELDS 20

/* Time series sampled every scenario.sample_every_days. */
enum { GP_TS_INSTALLED, GP_TS_USABLE, GP_TS_ALLOCATED, GP_TS_BUSY, GP_TS_QUEUE, GP_TS_BACKLOG,
       GP_TS_INSTALLED_H100E, GP_TS_USABLE_H100E,
       GP_TS_POWER_MW, GP_TS_ENERGY_MWH, /* issue 21, item 5: NaN without power; a file
                                          * written before has neither */
       GP_NTS };
extern const char *const gp_ts_names[GP_NTS];
extern const char *const gp_ts_units[GP_NTS];
extern const char *const gp_ts_docs[GP_NTS];
/* Per-tranche series, under timeseries/tranches/NAME/. */
enum { GP_TTS_INSTALLED, GP_TTS_ALLOCATED, GP_TTS_BUSY, GP_NTTS };
extern const char *const gp_tts_names[GP_NTTS];

#endif /* GP_RESULTS_H */
