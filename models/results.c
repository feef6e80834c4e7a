/* models/results.c - field tables for the rows in results.h. */
#include "models/results.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>

#include "sim/stats.h"

const char *const gp_sector_names[GP_NSECTORS] = {"industry", "startup", "academia", "research",
                                                  "national"};
const char *const gp_outcome_names[GP_NOUTCOMES] = {"in_review", "rejected", "waiting",
                                                    "running",   "finished", "withdrawn"};
const char *const gp_ts_names[GP_NTS] = {"installed_gpus", "usable_gpus",   "allocated_gpus",
                                         "busy_gpus",      "queue_length",  "backlog",
                                         "installed_h100e", "usable_h100e"};
const char *const gp_ts_units[GP_NTS] = {"GPUs",     "GPUs",      "GPUs",           "GPUs",
                                         "projects", "proposals", "H100-equivalents",
                                         "H100-equivalents"};
const char *const gp_ts_docs[GP_NTS] = {
    "GPUs online, every share (government and private) of every tranche",
    "government GPUs online and working (failed nodes excluded)",
    "GPUs held by projects",
    "GPUs in real use: allocated x each project's use fraction, less failed nodes",
    "accepted projects ready and waiting for GPUs",
    "proposals submitted and not yet decided",
    "installed_gpus weighted by each GPU type's h100_equiv",
    "usable_gpus weighted by each GPU type's h100_equiv"};
const char *const gp_tts_names[GP_NTTS] = {"installed_gpus", "allocated_gpus", "busy_gpus"};

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
    GP_FIELD_STAT(S, withdrawn, GP_F_INT32, "proposals", "proposals of the window that withdrew"),
    GP_FIELD_STAT(S, mean_quality_accepted, GP_F_DOUBLE, "1", "mean hidden quality of accepted proposals"),
    GP_FIELD_STAT(S, mean_quality_rejected, GP_F_DOUBLE, "1", "mean hidden quality of rejected proposals"),
    GP_FIELD_STAT(S, subsidy_krw, GP_F_DOUBLE, "KRW", "market price of GPU-hours held in the window, less self-pay"),
    GP_FIELD_STAT(S, selfpay_krw, GP_F_DOUBLE, "KRW", "self-pay collected for GPU-hours held in the window"),
    GP_FIELD_STAT(S, installed_h100e_at_target, GP_F_DOUBLE, "H100-equivalents", "installed GPUs at the target date weighted by h100_equiv"),
    GP_FIELD_STAT(S, acceptance_rate_industry, GP_F_DOUBLE, "1", "accepted / decided, industry"),
    GP_FIELD_STAT(S, acceptance_rate_startup, GP_F_DOUBLE, "1", "accepted / decided, startups and youth companies"),
    GP_FIELD_STAT(S, acceptance_rate_academia, GP_F_DOUBLE, "1", "accepted / decided, academia"),
    GP_FIELD_STAT(S, acceptance_rate_research, GP_F_DOUBLE, "1", "accepted / decided, research institutes"),
    GP_FIELD_STAT(S, acceptance_rate_national, GP_F_DOUBLE, "1", "accepted / decided, national projects"),
    GP_FIELD_STAT(S, failed_gpu_hours, GP_F_DOUBLE, "GPU-hours", "GPU-hours lost to failed nodes in the window"),
};
#undef S

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
    GP_FIELD_STAT(C, first_decision, GP_F_DOUBLE, "days", "first decision, days since epoch; -1 = none"),
    GP_FIELD_STAT(C, mean_decision, GP_F_DOUBLE, "days", "mean decision time, days since epoch; -1 = none"),
    GP_FIELD_STAT(C, last_decision, GP_F_DOUBLE, "days", "last decision, days since epoch; -1 = none"),
};
#undef C

const gp_table_desc gp_call_desc = {"calls", sizeof(gp_call_row), call_fields,
                                    (int)(sizeof call_fields / sizeof call_fields[0])};

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
      GP_FIELD(P, org, GP_F_INT32, "1", "applicant organisation id"),
      GP_FIELD(P, capital, GP_F_INT32, "1", "1 = applicant in the capital region"),
      GP_FIELD(P, servers, GP_F_INT32, "servers", "allocation units asked for (servers; GPUs for per-GPU calls)"),
      GP_FIELD(P, gpus, GP_F_INT32, "GPUs", "GPUs asked for"),
      GP_FIELD(P, granted, GP_F_INT32, "servers", "allocation units granted (as servers; 0 = none; less than asked under partial grants)"),
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

#define R gp_roadmap_row
static const gp_field roadmap_fields[] = {
    GP_FIELD(R, rep, GP_F_INT32, "1", "replication number"),
    GP_FIELD(R, installed_at_target, GP_F_DOUBLE, "GPUs", "GPUs delivered and under agreement at the target date (all shares)"),
    GP_FIELD(R, h100e_at_target, GP_F_DOUBLE, "H100-equivalents", "the same weighted by h100_equiv"),
    GP_FIELD(R, date_reached, GP_F_DOUBLE, "days", "first day the target is reached, days since epoch; -1 = not by the end"),
    GP_FIELD(R, reached_by_target, GP_F_INT32, "1", "1 if reached on or before the target date"),
};
#undef R

const gp_table_desc gp_roadmap_desc = {"roadmap", sizeof(gp_roadmap_row), roadmap_fields,
                                       (int)(sizeof roadmap_fields / sizeof roadmap_fields[0])};

/* ---- statistics over replications ---- */

#define NSUMMARY (int)(sizeof summary_fields / sizeof summary_fields[0])
static const char *stat_names[NSUMMARY];
static int stat_index[NSUMMARY]; /* metric k -> summary field */
const char *const *gp_stat_metric_names = stat_names;
int gp_stat_nmetrics;

static gp_field stat_fields[] = {
    GP_FIELD_ENUM(gp_stat_row, metric, stat_names, 0, "summary metric (enum of summary field names)"),
    GP_FIELD(gp_stat_row, n, GP_F_INT32, "replications", "replications with a value"),
    GP_FIELD(gp_stat_row, mean, GP_F_DOUBLE, "as the metric", "mean over replications"),
    GP_FIELD(gp_stat_row, sd, GP_F_DOUBLE, "as the metric", "sample standard deviation"),
    GP_FIELD(gp_stat_row, half_width, GP_F_DOUBLE, "as the metric", "half-width of the 95% Student-t confidence interval"),
    GP_FIELD(gp_stat_row, lo, GP_F_DOUBLE, "as the metric", "mean - half_width"),
    GP_FIELD(gp_stat_row, hi, GP_F_DOUBLE, "as the metric", "mean + half_width"),
};

const gp_table_desc gp_stat_desc = {"stats", sizeof(gp_stat_row), stat_fields,
                                    (int)(sizeof stat_fields / sizeof stat_fields[0])};

/* The metric list is derived once from the summary table's statistics
 * fields (pthread_once: any thread may be first); after that it is constant. */
static pthread_once_t stat_once = PTHREAD_ONCE_INIT;

static void stat_build(void) {
  int k = 0;
  for (int i = 0; i < NSUMMARY; i++)
    if (summary_fields[i].summary_stat) {
      stat_names[k] = summary_fields[i].name;
      stat_index[k++] = i;
    }
  stat_fields[0].enum_count = k;
  gp_stat_nmetrics = k;
}

static void stat_init(void) { pthread_once(&stat_once, stat_build); }

int gp_stat_count(void) {
  stat_init();
  return gp_stat_nmetrics;
}

const gp_field *gp_stat_field(int k) {
  stat_init();
  return &summary_fields[stat_index[k]];
}

void gp_stat_compute(const gp_summary_row *a, const gp_summary_row *b, size_t n, gp_stat_row *out) {
  stat_init();
  for (int k = 0; k < gp_stat_nmetrics; k++) {
    const gp_field *f = gp_stat_field(k);
    gp_welford w = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
      double x = gp_field_get(f, &a[i]);
      if (b) x -= gp_field_get(f, &b[i]);
      gp_welford_add(&w, x);
    }
    gp_ci c = gp_welford_ci(&w, 0.95);
    gp_stat_row *r = &out[k];
    r->metric = (int8_t)k;
    r->n = (int32_t)c.n;
    r->mean = c.mean;
    r->sd = c.sd;
    r->half_width = c.half;
    r->lo = c.mean - c.half;
    r->hi = c.mean + c.half;
  }
}
