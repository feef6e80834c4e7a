/* models/results/results.c - field tables for the rows in results.h. */
#include "models/results/results.h"

#include <stddef.h>

const char *const gp_ts_names[GP_NTS] = {"installed_gpus", "usable_gpus",   "allocated_gpus",
                                         "busy_gpus",      "queue_length",  "backlog",
                                         "installed_h100e", "usable_h100e",
                                         "power_mw",       "energy_mwh"};
const char *const gp_ts_units[GP_NTS] = {"GPUs",     "GPUs",      "GPUs",           "GPUs",
                                         "projects", "proposals", "H100-equivalents",
                                         "H100-equivalents", "MW", "MWh"};
const char *const gp_ts_docs[GP_NTS] = {
    "GPUs online, every share (government and private) of every tranche",
    "government GPUs online and working (failed nodes excluded)",
    "GPUs held by projects",
    "GPUs in real use: allocated x each project's use fraction, less failed nodes",
    "accepted projects ready and waiting for GPUs",
    "proposals submitted and not yet decided",
    "installed_gpus weighted by each GPU type's h100_equiv",
    "usable_gpus weighted by each GPU type's h100_equiv",
    ("facility power the usable GPUs draw (busy at power_kw, idle at its idle_power_share, x "
     "the tranche's pue); NaN when no GPU type has a power_kw"),
    "energy drawn since measure_from (power_mw integrated); NaN when no GPU type has a power_kw"};
const char *const gp_tts_names[GP_NTTS] = {"installed_gpus", "allocated_gpus", "busy_gpus"};


#define C gp_call_row
static const gp_field call_fields[] = {
    GP_FIELD(C, rep, GP_F_INT32, "1", "replication number"),
    GP_FIELD(C, call, GP_F_INT32, "1", "demand source: calls, then streams, then designations, in scenario order (attribute \"names\")"),
    GP_FIELD_STAT(C, proposals, GP_F_INT32, "proposals", "proposals submitted"),
    GP_FIELD_STAT(C, accepted, GP_F_INT32, "proposals", "accepted"),
    GP_FIELD_STAT(C, rejected, GP_F_INT32, "proposals", "rejected at screening, interview or selection"),
    GP_FIELD_STAT(C, withdrawn, GP_F_INT32, "proposals", "withdrawn"),
    GP_FIELD_STAT(C, interviewed, GP_F_INT32, "proposals", "given a suitability interview"),
    GP_FIELD_STAT(C, units_requested, GP_F_DOUBLE, "units", "servers (GPUs in per-GPU pools) asked for"),
    GP_FIELD_STAT(C, gpus_requested, GP_F_DOUBLE, "GPUs", "GPUs asked for"),
    GP_FIELD_STAT(C, units_awarded, GP_F_DOUBLE, "units", "servers (GPUs in per-GPU pools) awarded"),
    GP_FIELD_STAT(C, gpus_awarded, GP_F_DOUBLE, "GPUs", "GPUs awarded"),
    GP_FIELD_STAT(C, gpus_awarded_industry, GP_F_DOUBLE, "GPUs", "GPUs awarded to industry"),
    GP_FIELD_STAT(C, gpus_awarded_startup, GP_F_DOUBLE, "GPUs", "GPUs awarded to startups and youth companies"),
    GP_FIELD_STAT(C, gpus_awarded_academia, GP_F_DOUBLE, "GPUs", "GPUs awarded to academia"),
    GP_FIELD_STAT(C, gpus_awarded_research, GP_F_DOUBLE, "GPUs", "GPUs awarded to research institutes"),
    GP_FIELD_STAT(C, gpus_awarded_national, GP_F_DOUBLE, "GPUs", "GPUs awarded to national projects"),
    GP_FIELD_STAT(C, oversubscription, GP_F_DOUBLE, "1", "units requested / units offered (NaN without a budget)"),
    GP_FIELD_STAT(C, first_decision, GP_F_DOUBLE, "days", "first decision, days since epoch; NaN = none"),
    GP_FIELD_STAT(C, mean_decision, GP_F_DOUBLE, "days", "mean decision time, days since epoch; NaN = none"),
    GP_FIELD_STAT(C, last_decision, GP_F_DOUBLE, "days", "last decision, days since epoch; NaN = none"),
    /* Programme statistics (gpuplan kpi): counts as doubles, NaN in a file
     * written before them.  Durations are in "days" but named "days_...":
     * not times since the epoch (export gives them no date column). */
    GP_FIELD_STAT(C, proposals_industry, GP_F_DOUBLE, "proposals", "proposals from industry"),
    GP_FIELD_STAT(C, proposals_startup, GP_F_DOUBLE, "proposals", "proposals from startups and youth companies"),
    GP_FIELD_STAT(C, proposals_academia, GP_F_DOUBLE, "proposals", "proposals from academia"),
    GP_FIELD_STAT(C, proposals_research, GP_F_DOUBLE, "proposals", "proposals from research institutes"),
    GP_FIELD_STAT(C, proposals_national, GP_F_DOUBLE, "proposals", "proposals from national projects"),
    GP_FIELD_STAT(C, accepted_industry, GP_F_DOUBLE, "proposals", "accepted from industry"),
    GP_FIELD_STAT(C, accepted_startup, GP_F_DOUBLE, "proposals", "accepted from startups and youth companies"),
    GP_FIELD_STAT(C, accepted_academia, GP_F_DOUBLE, "proposals", "accepted from academia"),
    GP_FIELD_STAT(C, accepted_research, GP_F_DOUBLE, "proposals", "accepted from research institutes"),
    GP_FIELD_STAT(C, accepted_national, GP_F_DOUBLE, "proposals", "accepted from national projects"),
    GP_FIELD_STAT(C, proposals_capital, GP_F_DOUBLE, "proposals", "proposals from the capital region"),
    GP_FIELD_STAT(C, accepted_capital, GP_F_DOUBLE, "proposals", "accepted from the capital region"),
    GP_FIELD_STAT(C, rejected_screening, GP_F_DOUBLE, "proposals", "rejected at administrative screening"),
    GP_FIELD_STAT(C, rejected_interview, GP_F_DOUBLE, "proposals", "found unsuitable at the suitability interview"),
    GP_FIELD_STAT(C, rejected_committee, GP_F_DOUBLE, "proposals", "not selected by a committee"),
    GP_FIELD_STAT(C, units_offered, GP_F_DOUBLE, "units", "the call's budget, summed over its GPU types (NaN without a budget, and for streams and designations)"),
    GP_FIELD_STAT(C, p50_days_to_decision, GP_F_DOUBLE, "days", "median days from submission to decision, over decided proposals; NaN = none"),
    GP_FIELD_STAT(C, p90_days_to_decision, GP_F_DOUBLE, "days", "90% quantile of days from submission to decision; NaN = none"),
    /* ---- returning applicants (issue 21, item 3): counts as doubles, NaN
     * in a file written before them, as the programme statistics ---- */
    GP_FIELD_STAT(C, returning, GP_F_DOUBLE, "proposals", "proposals of returning applicants (resubmissions and renewals)"),
    GP_FIELD_STAT(C, returning_accepted, GP_F_DOUBLE, "proposals", "of those, accepted"),
};
#undef C

const gp_table_desc gp_call_desc = {"calls", sizeof(gp_call_row), call_fields,
                                    (int)(sizeof call_fields / sizeof call_fields[0])};


void gp_proposal_desc_init(gp_table_desc *desc, gp_field *f, const char *const *gpu_names,
                           int ngpu) {
#define P gp_proposal_row
  const gp_field fields[GP_PROPOSAL_NFIELDS] = {
      GP_FIELD(P, rep, GP_F_INT32, "1", "replication number"),
      GP_FIELD(P, id, GP_F_INT64, "1", "proposal id, unique within a replication: the world's proposals in submission order, then returning ones"),
      GP_FIELD(P, call, GP_F_INT32, "1", "index of the demand stream or call, in scenario order"),
      GP_FIELD_ENUM(P, sector, gp_sector_names, GP_NSECTORS, "applicant's sector"),
      GP_FIELD_ENUM(P, gpu_type, gpu_names, ngpu, "GPU type asked for"),
      GP_FIELD(P, org, GP_F_INT32, "1", "applicant organisation id"),
      GP_FIELD(P, capital, GP_F_INT32, "1", "1 = applicant in the capital region"),
      GP_FIELD(P, servers, GP_F_INT32, "servers", "allocation units asked for (servers; GPUs for per-GPU calls)"),
      GP_FIELD(P, gpus, GP_F_INT32, "GPUs", "GPUs asked for"),
      GP_FIELD(P, granted, GP_F_INT32, "servers", "allocation units granted (as servers; 0 = none; less than asked under partial grants)"),
      GP_FIELD(P, months, GP_F_DOUBLE, "months", "duration asked for (a month is 365.25/12 days)"),
      GP_FIELD(P, quality, GP_F_DOUBLE, "1", "hidden true quality"),
      GP_FIELD(P, score, GP_F_DOUBLE, "1", "review score (NaN when not reviewed)"),
      GP_FIELD(P, submitted, GP_F_DOUBLE, "days", "submission time, days since epoch"),
      GP_FIELD(P, decided, GP_F_DOUBLE, "days", "decision time; NaN = never"),
      GP_FIELD(P, started, GP_F_DOUBLE, "days", "start on GPUs; NaN = never"),
      GP_FIELD(P, finished, GP_F_DOUBLE, "days", "release of GPUs; NaN = never"),
      GP_FIELD_ENUM(P, outcome, gp_outcome_names, GP_NOUTCOMES, "state at the end of the run"),
      /* returning applicants (issue 21, item 3) */
      GP_FIELD_ENUM(P, returning, gp_returning_names, GP_NRETURNING, "new, or a resubmission or renewal of the proposal previous"),
      GP_FIELD(P, previous, GP_F_INT64, "1", "id of the proposal it follows; -1 = none"),
  };
#undef P
  for (int i = 0; i < GP_PROPOSAL_NFIELDS; i++) f[i] = fields[i];
  desc->name = "proposals";
  desc->row_size = sizeof(gp_proposal_row);
  desc->fields = f;
  desc->nfields = GP_PROPOSAL_NFIELDS;
}

#define R gp_roadmap_row
static const gp_field roadmap_fields[] = {
    GP_FIELD(R, rep, GP_F_INT32, "1", "replication number"),
    GP_FIELD(R, installed_at_target, GP_F_DOUBLE, "GPUs", "GPUs delivered and under agreement at the target date (all shares)"),
    GP_FIELD(R, h100e_at_target, GP_F_DOUBLE, "H100-equivalents", "the same weighted by h100_equiv"),
    GP_FIELD(R, date_reached, GP_F_DOUBLE, "days", "first day the target is reached, days since epoch; NaN = not by the end"),
    GP_FIELD(R, reached_by_target, GP_F_INT32, "1", "1 if reached on or before the target date"),
};
#undef R

const gp_table_desc gp_roadmap_desc = {"roadmap", sizeof(gp_roadmap_row), roadmap_fields,
                                       (int)(sizeof roadmap_fields / sizeof roadmap_fields[0])};

#define T gp_roadmap_tranche_row
static const gp_field roadmap_tranche_fields[] = {
    GP_FIELD(T, tranche, GP_F_INT32, "1", "tranche index, into the names attribute and the scenario's roadmap.tranches"),
    GP_FIELD(T, gpus, GP_F_DOUBLE, "GPUs", "GPUs built, all shares"),
    GP_FIELD(T, planned_online, GP_F_DOUBLE, "days", "planned first-online date (no slip), days since epoch"),
    GP_FIELD(T, agreement_end, GP_F_DOUBLE, "days", "agreement end, days since epoch; NaN = none"),
    GP_FIELD(T, planned_at_target, GP_F_DOUBLE, "GPUs", "GPUs under agreement at the target date as planned (no slip, no ramp): gpus or 0"),
    GP_FIELD(T, ended_by_target, GP_F_DOUBLE, "GPUs", "gpus when planned online by the target date but the agreement ended by then, else 0"),
    GP_FIELD(T, late_gpus, GP_F_DOUBLE, "GPUs", "mean over replications of the GPUs planned by the target date that came online after it (slip)"),
    GP_FIELD(T, ramping_gpus, GP_F_DOUBLE, "GPUs", "mean over replications of the GPUs of a tranche online by the target date not yet online (ramp)"),
    GP_FIELD(T, late_share, GP_F_DOUBLE, "1", "share of replications in which the tranche is late"),
};
#undef T

const gp_table_desc gp_roadmap_tranche_desc = {
    "roadmap_tranches", sizeof(gp_roadmap_tranche_row), roadmap_tranche_fields,
    (int)(sizeof roadmap_tranche_fields / sizeof roadmap_tranche_fields[0])};



