/* models/results.c - field tables for the rows in results.h. */
#include "models/results.h"

#include <stddef.h>

const char *const gp_sector_names[GP_NSECTORS] = {"industry", "startup", "academia", "research",
                                                  "national"};
const char *const gp_outcome_names[GP_NOUTCOMES] = {"in_review", "rejected", "waiting",
                                                    "running",   "finished", "withdrawn"};
const char *const gp_ts_names[GP_NTS] = {"installed_gpus", "usable_gpus", "allocated_gpus",
                                         "busy_gpus", "queue_length"};
const char *const gp_ts_units[GP_NTS] = {"GPUs", "GPUs", "GPUs", "GPUs", "projects"};

#define S gp_summary_row
static const gp_field summary_fields[] = {
    GP_FIELD(S, rep, GP_F_INT32, "1", "replication number, from 0"),
    GP_FIELD_STAT(S, proposals, GP_F_INT32, "proposals", "proposals submitted in the measured window"),
    GP_FIELD_STAT(S, accepted, GP_F_INT32, "proposals", "of those, accepted"),
    GP_FIELD_STAT(S, acceptance_rate, GP_F_DOUBLE, "1", "accepted / decided (NaN when none was decided)"),
    GP_FIELD_STAT(S, mean_days_to_decision, GP_F_DOUBLE, "days", "mean time from submission to decision"),
    GP_FIELD_STAT(S, mean_days_to_gpu, GP_F_DOUBLE, "days", "mean time from submission to start on GPUs, over started projects"),
    GP_FIELD_STAT(S, mean_days_in_queue, GP_F_DOUBLE, "days", "mean time from ready (accepted and onboarded) to start"),
    GP_FIELD_STAT(S, utilization, GP_F_DOUBLE, "1", "busy GPU-time / installed GPU-time over the window"),
    GP_FIELD_STAT(S, idle_gpu_hours, GP_F_DOUBLE, "GPU-hours", "installed minus busy GPU-hours over the window"),
    GP_FIELD_STAT(S, gpu_hours_requested, GP_F_DOUBLE, "GPU-hours", "GPUs x duration asked for by proposals of the window"),
    GP_FIELD_STAT(S, gpu_hours_granted, GP_F_DOUBLE, "GPU-hours", "GPUs x duration granted to accepted proposals of the window"),
    GP_FIELD_STAT(S, mean_queue_length, GP_F_DOUBLE, "projects", "time-average number of ready projects waiting for GPUs"),
    GP_FIELD_STAT(S, arrivals_per_day, GP_F_DOUBLE, "proposals/day", "proposals / window length"),
    GP_FIELD_STAT(S, mean_usable_gpus, GP_F_DOUBLE, "GPUs", "time-average government-usable GPUs online"),
    GP_FIELD_STAT(S, mean_allocated_gpus, GP_F_DOUBLE, "GPUs", "time-average GPUs held by projects"),
    GP_FIELD_STAT(S, mean_busy_gpus, GP_F_DOUBLE, "GPUs", "time-average GPUs in real use (allocated x use fraction)"),
    GP_FIELD_STAT(S, installed_gpus_at_target, GP_F_DOUBLE, "GPUs", "GPUs online, all shares, at the start of the roadmap target date (NaN without a target)"),
    GP_FIELD_STAT(S, gap_to_target, GP_F_DOUBLE, "GPUs", "roadmap target minus installed_gpus_at_target"),
    GP_FIELD_STAT(S, started, GP_F_INT32, "proposals", "proposals of the window that got GPUs"),
    GP_FIELD_STAT(S, waiting_at_end, GP_F_INT32, "projects", "accepted projects still waiting at the end"),
};
#undef S

const gp_table_desc gp_summary_desc = {"summary", sizeof(gp_summary_row), summary_fields,
                                       (int)(sizeof summary_fields / sizeof summary_fields[0])};

void gp_proposal_desc_init(gp_table_desc *desc, gp_field *f, const char *const *gpu_names,
                           int ngpu) {
#define P gp_proposal_row
  const gp_field fields[GP_PROPOSAL_NFIELDS] = {
      GP_FIELD(P, rep, GP_F_INT32, "1", "replication number"),
      GP_FIELD(P, id, GP_F_INT64, "1", "proposal id, unique within a replication, in submission order"),
      GP_FIELD(P, call, GP_F_INT32, "1", "index of the demand stream or call, in scenario order"),
      GP_FIELD_ENUM(P, sector, gp_sector_names, GP_NSECTORS, "applicant's sector"),
      GP_FIELD_ENUM(P, gpu_type, gpu_names, ngpu, "GPU type asked for"),
      GP_FIELD(P, servers, GP_F_INT32, "servers", "allocation units asked for (servers; GPUs for per-GPU calls)"),
      GP_FIELD(P, gpus, GP_F_INT32, "GPUs", "GPUs asked for"),
      GP_FIELD(P, months, GP_F_DOUBLE, "months", "duration asked for (a month is 365.25/12 days)"),
      GP_FIELD(P, quality, GP_F_DOUBLE, "1", "hidden true quality"),
      GP_FIELD(P, score, GP_F_DOUBLE, "1", "review score (NaN when not reviewed)"),
      GP_FIELD(P, submitted, GP_F_DOUBLE, "days", "submission time, days since epoch"),
      GP_FIELD(P, decided, GP_F_DOUBLE, "days", "decision time; -1 = never"),
      GP_FIELD(P, started, GP_F_DOUBLE, "days", "start on GPUs; -1 = never"),
      GP_FIELD(P, finished, GP_F_DOUBLE, "days", "release of GPUs; -1 = never"),
      GP_FIELD_ENUM(P, outcome, gp_outcome_names, GP_NOUTCOMES, "state at the end of the run"),
  };
#undef P
  for (int i = 0; i < GP_PROPOSAL_NFIELDS; i++) f[i] = fields[i];
  desc->name = "proposals";
  desc->row_size = sizeof(gp_proposal_row);
  desc->fields = f;
  desc->nfields = GP_PROPOSAL_NFIELDS;
}
