/*
 * models/results/metrics.c - the metric catalogue (see metrics.h) and
 * statistics over replications.
 *
 * Each GP_METRIC line is one summary metric: the member of gp_summary_row,
 * its HDF5 type, its stored unit and meaning, then how it is shown: the
 * members of gp_metric_view in order (label, phrase, unit shown, scale,
 * decimals, which way is better, where shown, unit of differences, verbs for
 * a rise and a fall, and for a part of a breakdown by sector its group and
 * sector).
 * Order here is the order of the summary table's columns, of /stats rows and
 * of every listing: it may grow at the end, never change (docs/output.md).
 */
#include "models/results/metrics.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sim/stats.h"

#define L GP_BETTER_LOWER
#define N GP_BETTER_NEITHER
#define H GP_BETTER_HIGHER
#define RUN GP_SHOW_RUN
#define REP GP_SHOW_REPORT
#define PLT GP_SHOW_PLOT
/* delta, up, down: a difference in the unit shown, said "raises"/"lowers" */
#define MORE NULL, "raises", "lowers"
#define LONGER NULL, "lengthens", "shortens"
/* a rate shown in %: its differences in percentage points */
#define POINTS "percentage points", "raises", "lowers"
/* group, sector, beside: not a part of a breakdown by sector (shown in
 * catalogue order), or a part of the acceptance rate's */
#define WHOLE NULL, 0, NULL
#define ACCEPTANCE(s) "acceptance_rate", GP_SECTOR_##s, NULL
/* a part of the breakdown by sector of quantile metric g */
#define TAIL(g, s) #g, GP_SECTOR_##s, NULL
/* beside: a whole metric that tables show right after the metric it qualifies */
#define BESIDE(m) NULL, 0, #m
#define S gp_summary_row
#define I32 GP_F_INT32
#define DBL GP_F_DOUBLE
static const gp_field summary_fields[] = {
    GP_FIELD(S, rep, GP_F_INT32, "1", "replication number, from 0"),
    GP_METRIC(S, proposals, I32, "proposals", "proposals submitted in the measured window",
              "proposals", "the number of proposals submitted", "proposals", 1, 1, N, RUN | REP,
              MORE, WHOLE),
    GP_METRIC(S, accepted, I32, "proposals", "of those, accepted",
              "accepted", "the number of proposals accepted", "proposals", 1, 1, H, RUN | REP,
              MORE, WHOLE),
    GP_METRIC(S, acceptance_rate, DBL, "1", "accepted / decided (NaN when none was decided)",
              "acceptance rate", "the acceptance rate", "%", 100, 1, H, RUN | REP | PLT, POINTS, WHOLE),
    GP_METRIC(S, mean_days_to_decision, DBL, "days", "mean time from submission to decision",
              "days to decision", "the mean time to a decision", "days", 1, 1, L,
              RUN | REP | PLT, LONGER, WHOLE),
    GP_METRIC(S, mean_days_to_gpu, DBL, "days",
              "mean time from submission to start on GPUs, over started projects",
              "days to GPU", "the mean time from submission to GPUs", "days", 1, 1, L,
              RUN | REP | PLT, LONGER, WHOLE),
    GP_METRIC(S, mean_days_in_queue, DBL, "days",
              "mean time from ready (accepted and onboarded) to start",
              "days in queue", "the mean wait for GPUs once ready", "days", 1, 1, L, REP | PLT,
              LONGER, WHOLE),
    GP_METRIC(S, utilization, DBL, "1", "busy GPU-time / installed GPU-time over the window",
              "utilization", "utilization", "%", 100, 1, H, RUN | REP | PLT, POINTS, WHOLE),
    GP_METRIC(S, idle_gpu_hours, DBL, "GPU-hours", "installed minus busy GPU-hours over the window",
              "idle GPU-hours", "idle GPU-hours", "M GPU-hours", 1e-6, 2, L, RUN | REP, MORE, WHOLE),
    GP_METRIC(S, gpu_hours_requested, DBL, "GPU-hours",
              "GPUs x duration asked for by proposals of the window",
              "GPU-hours requested", "the GPU-hours requested", "M GPU-hours", 1e-6, 1, N, 0,
              MORE, WHOLE),
    GP_METRIC(S, gpu_hours_granted, DBL, "GPU-hours",
              "GPUs x duration granted to accepted proposals of the window",
              "GPU-hours granted", "the GPU-hours granted", "M GPU-hours", 1e-6, 1, H,
              RUN | REP | PLT, MORE, BESIDE(acceptance_rate)),
    GP_METRIC(S, mean_queue_length, DBL, "projects",
              "time-average number of ready projects waiting for GPUs",
              "queue length", "the mean number of projects waiting for GPUs", "projects", 1, 1,
              L, 0, MORE, WHOLE),
    GP_METRIC(S, arrivals_per_day, DBL, "proposals/day", "proposals / window length",
              "arrivals per day", "the proposals submitted per day", "proposals/day", 1, 2, N, 0,
              MORE, WHOLE),
    GP_METRIC(S, mean_usable_gpus, DBL, "GPUs", "time-average government-usable GPUs online",
              "mean usable GPUs", "the mean number of government GPUs online and working",
              "GPUs", 1, 0, H, RUN, MORE, WHOLE),
    GP_METRIC(S, mean_allocated_gpus, DBL, "GPUs", "time-average GPUs held by projects",
              "mean allocated GPUs", "the mean number of GPUs held by projects", "GPUs", 1, 0, H,
              0, MORE, WHOLE),
    GP_METRIC(S, mean_busy_gpus, DBL, "GPUs",
              "time-average GPUs in real use (allocated x use fraction)",
              "mean busy GPUs", "the mean number of GPUs in real use", "GPUs", 1, 0, H, 0, MORE, WHOLE),
    GP_METRIC(S, installed_gpus_at_target, DBL, "GPUs",
              "GPUs online, all shares, at the start of the roadmap target date (NaN without a target)",
              "GPUs at target date", "the GPUs installed at the target date", "GPUs", 1, 0, H,
              RUN, MORE, WHOLE),
    GP_METRIC(S, gap_to_target, DBL, "GPUs", "roadmap target minus installed_gpus_at_target",
              "gap to target", "the gap to the roadmap target", "GPUs", 1, 0, L, RUN, MORE, WHOLE),
    GP_METRIC(S, started, I32, "proposals", "proposals of the window that got GPUs",
              "projects started", "the number of projects started on GPUs", "projects", 1, 1, H,
              REP | PLT, MORE, WHOLE),
    GP_METRIC(S, waiting_at_end, I32, "projects", "accepted projects still waiting at the end",
              "waiting at end", "the number of accepted projects still waiting at the end",
              "projects", 1, 1, L, REP, MORE, WHOLE),
    GP_METRIC(S, withdrawn, I32, "proposals", "proposals of the window that withdrew",
              "withdrawn", "the number of proposals withdrawn", "proposals", 1, 1, L, 0, MORE, WHOLE),
    GP_METRIC(S, mean_quality_accepted, DBL, "1", "mean hidden quality of accepted proposals",
              "quality accepted", "the mean quality of accepted projects", "0-1 scale", 1, 3, H,
              RUN | REP | PLT, "points on the 0-1 scale", "raises", "lowers", WHOLE),
    GP_METRIC(S, mean_quality_rejected, DBL, "1", "mean hidden quality of rejected proposals",
              "quality rejected", "the mean quality of rejected proposals", "0-1 scale", 1, 3, N,
              0, "points on the 0-1 scale", "raises", "lowers", WHOLE),
    GP_METRIC(S, subsidy_krw, DBL, "KRW",
              "market price of GPU-hours held in the window, less self-pay",
              "subsidy", "the subsidy", "bn KRW", 1e-9, 1, N, RUN | REP | PLT, MORE, WHOLE),
    GP_METRIC(S, selfpay_krw, DBL, "KRW", "self-pay collected for GPU-hours held in the window",
              "self-pay", "the self-pay collected", "bn KRW", 1e-9, 2, N, RUN | REP, MORE, WHOLE),
    GP_METRIC(S, installed_h100e_at_target, DBL, "H100-equivalents",
              "installed GPUs at the target date weighted by h100_equiv",
              "H100-eq. at target date", "the H100-equivalents installed at the target date",
              "H100-equivalents", 1, 0, H, 0, MORE, WHOLE),
    GP_METRIC(S, acceptance_rate_industry, DBL, "1", "accepted / decided, industry",
              "  industry", "the acceptance rate of industry", "%", 100, 1, H, RUN | REP, POINTS,
              ACCEPTANCE(INDUSTRY)),
    GP_METRIC(S, acceptance_rate_startup, DBL, "1", "accepted / decided, startups and youth companies",
              "  startup", "the acceptance rate of startups", "%", 100, 1, H, RUN | REP, POINTS,
              ACCEPTANCE(STARTUP)),
    GP_METRIC(S, acceptance_rate_academia, DBL, "1", "accepted / decided, academia",
              "  academia", "the acceptance rate of academia", "%", 100, 1, H, RUN | REP, POINTS,
              ACCEPTANCE(ACADEMIA)),
    GP_METRIC(S, acceptance_rate_research, DBL, "1", "accepted / decided, research institutes",
              "  research", "the acceptance rate of research institutes", "%", 100, 1, H,
              RUN | REP, POINTS, ACCEPTANCE(RESEARCH)),
    GP_METRIC(S, acceptance_rate_national, DBL, "1", "accepted / decided, national projects",
              "  national", "the acceptance rate of national AI projects", "%", 100, 1, H,
              RUN | REP, POINTS, ACCEPTANCE(NATIONAL)),
    GP_METRIC(S, failed_gpu_hours, DBL, "GPU-hours", "GPU-hours lost to failed nodes in the window",
              "failed GPU-hours", "the GPU-hours lost to failed nodes", "M GPU-hours", 1e-6, 2, L,
              0, MORE, WHOLE),
    /* ---- tails and equity (issue 19): computed in models/run/tails.c ---- */
    GP_METRIC(S, p50_days_to_decision, DBL, "days",
              "p50 (quantile 0.5) of days from submission to decision, over decided proposals of "
              "the window", "p50 days to decision", "the median of the time to a decision", "days",
              1, 1, L, 0, LONGER, WHOLE),
    GP_METRIC(S, p50_days_to_decision_industry, DBL, "days", "p50 of days to decision, industry",
              "  industry", "the median of the time to a decision of industry", "days", 1, 1, L, 0,
              LONGER, TAIL(p50_days_to_decision, INDUSTRY)),
    GP_METRIC(S, p50_days_to_decision_startup, DBL, "days",
              "p50 of days to decision, startups and youth companies", "  startup",
              "the median of the time to a decision of startups", "days", 1, 1, L, 0, LONGER,
              TAIL(p50_days_to_decision, STARTUP)),
    GP_METRIC(S, p50_days_to_decision_academia, DBL, "days", "p50 of days to decision, academia",
              "  academia", "the median of the time to a decision of academia", "days", 1, 1, L, 0,
              LONGER, TAIL(p50_days_to_decision, ACADEMIA)),
    GP_METRIC(S, p50_days_to_decision_research, DBL, "days",
              "p50 of days to decision, research institutes", "  research",
              "the median of the time to a decision of research institutes", "days", 1, 1, L, 0,
              LONGER, TAIL(p50_days_to_decision, RESEARCH)),
    GP_METRIC(S, p50_days_to_decision_national, DBL, "days",
              "p50 of days to decision, national projects", "  national",
              "the median of the time to a decision of national AI projects", "days", 1, 1, L, 0,
              LONGER, TAIL(p50_days_to_decision, NATIONAL)),
    GP_METRIC(S, p90_days_to_decision, DBL, "days",
              "p90 (quantile 0.9) of days from submission to decision, over decided proposals of "
              "the window", "p90 days to decision", "the 90th percentile of the time to a decision",
              "days", 1, 1, L, RUN | REP, LONGER, WHOLE),
    GP_METRIC(S, p90_days_to_decision_industry, DBL, "days", "p90 of days to decision, industry",
              "  industry", "the 90th percentile of the time to a decision of industry", "days", 1,
              1, L, 0, LONGER, TAIL(p90_days_to_decision, INDUSTRY)),
    GP_METRIC(S, p90_days_to_decision_startup, DBL, "days",
              "p90 of days to decision, startups and youth companies", "  startup",
              "the 90th percentile of the time to a decision of startups", "days", 1, 1, L, 0,
              LONGER, TAIL(p90_days_to_decision, STARTUP)),
    GP_METRIC(S, p90_days_to_decision_academia, DBL, "days", "p90 of days to decision, academia",
              "  academia", "the 90th percentile of the time to a decision of academia", "days", 1,
              1, L, 0, LONGER, TAIL(p90_days_to_decision, ACADEMIA)),
    GP_METRIC(S, p90_days_to_decision_research, DBL, "days",
              "p90 of days to decision, research institutes", "  research",
              "the 90th percentile of the time to a decision of research institutes", "days", 1, 1,
              L, 0, LONGER, TAIL(p90_days_to_decision, RESEARCH)),
    GP_METRIC(S, p90_days_to_decision_national, DBL, "days",
              "p90 of days to decision, national projects", "  national",
              "the 90th percentile of the time to a decision of national AI projects", "days", 1, 1,
              L, 0, LONGER, TAIL(p90_days_to_decision, NATIONAL)),
    GP_METRIC(S, p99_days_to_decision, DBL, "days",
              "p99 (quantile 0.99) of days from submission to decision, over decided proposals of "
              "the window", "p99 days to decision", "the 99th percentile of the time to a decision",
              "days", 1, 1, L, 0, LONGER, WHOLE),
    GP_METRIC(S, p99_days_to_decision_industry, DBL, "days", "p99 of days to decision, industry",
              "  industry", "the 99th percentile of the time to a decision of industry", "days", 1,
              1, L, 0, LONGER, TAIL(p99_days_to_decision, INDUSTRY)),
    GP_METRIC(S, p99_days_to_decision_startup, DBL, "days",
              "p99 of days to decision, startups and youth companies", "  startup",
              "the 99th percentile of the time to a decision of startups", "days", 1, 1, L, 0,
              LONGER, TAIL(p99_days_to_decision, STARTUP)),
    GP_METRIC(S, p99_days_to_decision_academia, DBL, "days", "p99 of days to decision, academia",
              "  academia", "the 99th percentile of the time to a decision of academia", "days", 1,
              1, L, 0, LONGER, TAIL(p99_days_to_decision, ACADEMIA)),
    GP_METRIC(S, p99_days_to_decision_research, DBL, "days",
              "p99 of days to decision, research institutes", "  research",
              "the 99th percentile of the time to a decision of research institutes", "days", 1, 1,
              L, 0, LONGER, TAIL(p99_days_to_decision, RESEARCH)),
    GP_METRIC(S, p99_days_to_decision_national, DBL, "days",
              "p99 of days to decision, national projects", "  national",
              "the 99th percentile of the time to a decision of national AI projects", "days", 1, 1,
              L, 0, LONGER, TAIL(p99_days_to_decision, NATIONAL)),
    GP_METRIC(S, p50_days_to_gpu, DBL, "days",
              "p50 (quantile 0.5) of days from submission to start on GPUs, over started proposals "
              "of the window", "p50 days to GPU", "the median of the time from submission to GPUs",
              "days", 1, 1, L, 0, LONGER, WHOLE),
    GP_METRIC(S, p50_days_to_gpu_industry, DBL, "days", "p50 of days to GPU, industry", "  industry",
              "the median of the time from submission to GPUs of industry", "days", 1, 1, L, 0,
              LONGER, TAIL(p50_days_to_gpu, INDUSTRY)),
    GP_METRIC(S, p50_days_to_gpu_startup, DBL, "days",
              "p50 of days to GPU, startups and youth companies", "  startup",
              "the median of the time from submission to GPUs of startups", "days", 1, 1, L, 0,
              LONGER, TAIL(p50_days_to_gpu, STARTUP)),
    GP_METRIC(S, p50_days_to_gpu_academia, DBL, "days", "p50 of days to GPU, academia", "  academia",
              "the median of the time from submission to GPUs of academia", "days", 1, 1, L, 0,
              LONGER, TAIL(p50_days_to_gpu, ACADEMIA)),
    GP_METRIC(S, p50_days_to_gpu_research, DBL, "days", "p50 of days to GPU, research institutes",
              "  research", "the median of the time from submission to GPUs of research institutes",
              "days", 1, 1, L, 0, LONGER, TAIL(p50_days_to_gpu, RESEARCH)),
    GP_METRIC(S, p50_days_to_gpu_national, DBL, "days", "p50 of days to GPU, national projects",
              "  national", "the median of the time from submission to GPUs of national AI projects",
              "days", 1, 1, L, 0, LONGER, TAIL(p50_days_to_gpu, NATIONAL)),
    GP_METRIC(S, p90_days_to_gpu, DBL, "days",
              "p90 (quantile 0.9) of days from submission to start on GPUs, over started proposals "
              "of the window", "p90 days to GPU",
              "the 90th percentile of the time from submission to GPUs", "days", 1, 1, L, RUN | REP,
              LONGER, WHOLE),
    GP_METRIC(S, p90_days_to_gpu_industry, DBL, "days", "p90 of days to GPU, industry", "  industry",
              "the 90th percentile of the time from submission to GPUs of industry", "days", 1, 1,
              L, 0, LONGER, TAIL(p90_days_to_gpu, INDUSTRY)),
    GP_METRIC(S, p90_days_to_gpu_startup, DBL, "days",
              "p90 of days to GPU, startups and youth companies", "  startup",
              "the 90th percentile of the time from submission to GPUs of startups", "days", 1, 1,
              L, 0, LONGER, TAIL(p90_days_to_gpu, STARTUP)),
    GP_METRIC(S, p90_days_to_gpu_academia, DBL, "days", "p90 of days to GPU, academia", "  academia",
              "the 90th percentile of the time from submission to GPUs of academia", "days", 1, 1,
              L, 0, LONGER, TAIL(p90_days_to_gpu, ACADEMIA)),
    GP_METRIC(S, p90_days_to_gpu_research, DBL, "days", "p90 of days to GPU, research institutes",
              "  research",
              "the 90th percentile of the time from submission to GPUs of research institutes",
              "days", 1, 1, L, 0, LONGER, TAIL(p90_days_to_gpu, RESEARCH)),
    GP_METRIC(S, p90_days_to_gpu_national, DBL, "days", "p90 of days to GPU, national projects",
              "  national",
              "the 90th percentile of the time from submission to GPUs of national AI projects",
              "days", 1, 1, L, 0, LONGER, TAIL(p90_days_to_gpu, NATIONAL)),
    GP_METRIC(S, p99_days_to_gpu, DBL, "days",
              "p99 (quantile 0.99) of days from submission to start on GPUs, over started "
              "proposals of the window", "p99 days to GPU",
              "the 99th percentile of the time from submission to GPUs", "days", 1, 1, L, 0, LONGER,
              WHOLE),
    GP_METRIC(S, p99_days_to_gpu_industry, DBL, "days", "p99 of days to GPU, industry", "  industry",
              "the 99th percentile of the time from submission to GPUs of industry", "days", 1, 1,
              L, 0, LONGER, TAIL(p99_days_to_gpu, INDUSTRY)),
    GP_METRIC(S, p99_days_to_gpu_startup, DBL, "days",
              "p99 of days to GPU, startups and youth companies", "  startup",
              "the 99th percentile of the time from submission to GPUs of startups", "days", 1, 1,
              L, 0, LONGER, TAIL(p99_days_to_gpu, STARTUP)),
    GP_METRIC(S, p99_days_to_gpu_academia, DBL, "days", "p99 of days to GPU, academia", "  academia",
              "the 99th percentile of the time from submission to GPUs of academia", "days", 1, 1,
              L, 0, LONGER, TAIL(p99_days_to_gpu, ACADEMIA)),
    GP_METRIC(S, p99_days_to_gpu_research, DBL, "days", "p99 of days to GPU, research institutes",
              "  research",
              "the 99th percentile of the time from submission to GPUs of research institutes",
              "days", 1, 1, L, 0, LONGER, TAIL(p99_days_to_gpu, RESEARCH)),
    GP_METRIC(S, p99_days_to_gpu_national, DBL, "days", "p99 of days to GPU, national projects",
              "  national",
              "the 99th percentile of the time from submission to GPUs of national AI projects",
              "days", 1, 1, L, 0, LONGER, TAIL(p99_days_to_gpu, NATIONAL)),
    GP_METRIC(S, worst_sector_days_to_gpu, DBL, "days",
              "largest of the sectors' mean days from submission to start on GPUs (sectors with a "
              "started proposal in the window)", "worst sector's days to GPU",
              "the mean time to GPUs of the worst-served sector", "days", 1, 1, L, RUN | REP,
              LONGER, WHOLE),
    GP_METRIC(S, gini_gpu_hours_by_org, DBL, "1",
              "Gini coefficient of GPU-hours granted by organisation, over organisations that "
              "applied in the window", "Gini of GPU-hours by org.",
              "the Gini coefficient of GPU-hours granted by organisation", "0-1 scale", 1, 3, L,
              REP, "points on the 0-1 scale", "raises", "lowers", WHOLE),
    GP_METRIC(S, hhi_gpu_hours_by_org, DBL, "1",
              "Herfindahl-Hirschman index (sum of squared shares) of GPU-hours granted by "
              "organisation", "HHI of GPU-hours by org.",
              "the concentration (HHI) of GPU-hours granted by organisation", "0-1 scale", 1, 3, L,
              REP, "points on the 0-1 scale", "raises", "lowers", WHOLE),
    GP_METRIC(S, capital_share_gpus_granted, DBL, "1",
              "GPUs granted to applicants of the capital region / all GPUs granted, proposals of "
              "the window", "capital region's share", "the capital region's share of GPUs granted",
              "%", 100, 1, N, REP, POINTS, WHOLE),
    /* ---- issue 17, item 2: the share of the request granted, beside acceptance (a policy
     * that accepts more by granting each less does not grant more) ---- */
    GP_METRIC(S, gpu_hours_granted_share, DBL, "1",
              "gpu_hours_granted / gpu_hours_requested (NaN when none was requested)",
              "share of request granted", "the share of the GPU-hours requested that is granted",
              "%", 100, 1, H, RUN | REP | PLT, POINTS, BESIDE(gpu_hours_granted)),
    /* ---- issue 21, item 5: power and electricity (NaN when no GPU type has a power_kw) ---- */
    GP_METRIC(S, energy_mwh, DBL, "MWh",
              "energy the usable GPUs draw in the window, PUE included (NaN without power_kw)",
              "energy", "the energy drawn", "GWh", 1e-3, 1, N, RUN | REP, MORE, WHOLE),
    GP_METRIC(S, electricity_cost_krw, DBL, "KRW",
              "energy_mwh at the electricity price of each moment (NaN without power_kw)",
              "electricity cost", "the electricity cost", "bn KRW", 1e-9, 1, N, RUN | REP, MORE,
              BESIDE(subsidy_krw)),
    /* ---- issue 21, item 4: what reclaim takes back (0 under a policy without one) ---- */
    GP_METRIC(S, gpu_hours_reclaimed, DBL, "GPU-hours",
              "GPU-hours of allocations reclaim (mid-term or calendar) took back: the units taken "
              "x the time left to each project's planned end, inside the window",
              "GPU-hours reclaimed", "the GPU-hours reclaimed", "M GPU-hours", 1e-6, 2, N,
              RUN | REP, MORE, WHOLE),
    /* ---- issue 21, item 3: returning applicants (models/run/returns.c) ---- */
    GP_METRIC(S, returning_share, DBL, "1",
              "proposals of the window from returning applicants (resubmissions and renewals) / "
              "all proposals of the window (NaN when none)",
              "returning applicants' share", "the share of proposals from returning applicants",
              "%", 100, 1, N, REP, POINTS, WHOLE),
    GP_METRIC(S, returning_acceptance_rate, DBL, "1",
              "accepted / decided among the window's proposals from returning applicants (NaN "
              "when none was decided)",
              "returning acceptance rate", "the acceptance rate of returning applicants", "%", 100,
              1, N, REP, POINTS, WHOLE),
    GP_METRIC(S, renewals_granted, DBL, "proposals",
              "renewals of the window accepted", "renewals granted",
              "the number of renewals granted", "proposals", 1, 1, N, REP, MORE, WHOLE),
};
#undef S
#undef I32
#undef DBL
#undef L
#undef N
#undef H
#undef RUN
#undef REP
#undef PLT
#undef MORE
#undef LONGER
#undef POINTS
#undef WHOLE
#undef ACCEPTANCE
#undef TAIL
#undef BESIDE

const char *const gp_sector_words[GP_NSECTORS] = {"industry", "startups", "academia",
                                                  "research institutes", "national AI projects"};

const gp_table_desc gp_summary_desc = {"summary", sizeof(gp_summary_row), summary_fields,
                                       (int)(sizeof summary_fields / sizeof summary_fields[0])};

const gp_field *gp_metric_find(const char *name) {
  for (size_t i = 0; i < sizeof summary_fields / sizeof summary_fields[0]; i++)
    if (summary_fields[i].view && strcmp(summary_fields[i].name, name) == 0) return &summary_fields[i];
  return NULL;
}

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

int gp_stat_index(const char *name) {
  stat_init();
  for (int k = 0; k < gp_stat_nmetrics; k++)
    if (strcmp(stat_names[k], name) == 0) return k;
  return -1;
}

/* Append metric K, then the metrics shown beside it, to ORDER[*n]. */
static void order_from(int k, int *order, int *n) {
  order[(*n)++] = k;
  for (int j = 0; j < gp_stat_nmetrics; j++) {
    const char *b = gp_stat_field(j)->view->beside;
    if (b && strcmp(b, stat_names[k]) == 0) order_from(j, order, n);
  }
}

int gp_stat_shown_order(int *order) {
  stat_init();
  int n = 0;
  for (int k = 0; k < gp_stat_nmetrics; k++) {
    const char *b = gp_stat_field(k)->view->beside;
    if (!b || gp_stat_index(b) < 0) order_from(k, order, &n);
  }
  return n;
}

int gp_stat_table_order(int *order, unsigned where) {
  int nm = gp_stat_count(), n = 0, all[NSUMMARY];
  gp_stat_shown_order(all);
#define IN(k) (!where || (gp_stat_field(k)->view->where & where))
  for (int i = 0; i < nm; i++) {
    int k = all[i], g;
    const gp_metric_view *v = gp_stat_field(k)->view;
    if (!IN(k) || (v->group && (g = gp_stat_index(v->group)) >= 0 && IN(g))) continue;
    order[n++] = k;
    for (int j = 0; j < nm; j++) {
      const gp_metric_view *part = gp_stat_field(j)->view;
      if (IN(j) && part->group && strcmp(part->group, stat_names[k]) == 0) order[n++] = j;
    }
  }
#undef IN
  return n;
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

void gp_stat_title(char *buf, size_t size, int k) {
  const gp_metric_view *v = gp_stat_field(k)->view;
  int whole = v->group ? gp_stat_index(v->group) : -1;
  int said = !v->shown[0] || strstr(v->label, v->shown) ||
             (whole >= 0 && strcmp(gp_stat_field(whole)->view->shown, v->shown) == 0);
  if (said) snprintf(buf, size, "%s", v->label);
  else snprintf(buf, size, "%s (%s)", v->label, v->shown);
}
