/*
 * models/results/metrics.h - the metric catalogue: one row of summary
 * metrics per policy-replication, and statistics over replications.
 *
 * Every summary metric is declared once, in models/results/metrics.c, with
 * its field (name, type, unit, meaning) and how people see it (label,
 * phrase, unit shown, scale, decimals, which way is better, where it is
 * shown, the unit of its differences, the verbs for a rise and a fall, and
 * the breakdown by sector it is a part of): the HDF5 writer, /stats,
 * /compare, CSV export, the console table, `compare`, `report`, `plot` and
 * the documentation check (tests/unit/test_metrics.c) all read that one
 * table.  To add a metric: a member of gp_summary_row, one GP_METRIC line in
 * metrics.c, its computation in the run (models/run/), and its row in
 * docs/output.md (the check says what the row must be).
 */
#ifndef GP_METRICS_H
#define GP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "models/results/table.h"
#include "models/vocab/vocab.h"

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
  /* Tails and equity (issue 19; models/run/tails.c).  Quantiles are over the
   * window's decided (days_to_decision) or started (days_to_gpu) proposals,
   * gsl_stats_quantile_from_sorted_data; NaN when there is none.  Each whole
   * is followed by its five parts by sector, in GP_SECTOR_* order. */
  double p50_days_to_decision; /* days */
  double p50_days_to_decision_industry, p50_days_to_decision_startup, p50_days_to_decision_academia,
      p50_days_to_decision_research, p50_days_to_decision_national;
  double p90_days_to_decision; /* days */
  double p90_days_to_decision_industry, p90_days_to_decision_startup, p90_days_to_decision_academia,
      p90_days_to_decision_research, p90_days_to_decision_national;
  double p99_days_to_decision; /* days */
  double p99_days_to_decision_industry, p99_days_to_decision_startup, p99_days_to_decision_academia,
      p99_days_to_decision_research, p99_days_to_decision_national;
  double p50_days_to_gpu; /* days */
  double p50_days_to_gpu_industry, p50_days_to_gpu_startup, p50_days_to_gpu_academia,
      p50_days_to_gpu_research, p50_days_to_gpu_national;
  double p90_days_to_gpu; /* days */
  double p90_days_to_gpu_industry, p90_days_to_gpu_startup, p90_days_to_gpu_academia,
      p90_days_to_gpu_research, p90_days_to_gpu_national;
  double p99_days_to_gpu; /* days */
  double p99_days_to_gpu_industry, p99_days_to_gpu_startup, p99_days_to_gpu_academia,
      p99_days_to_gpu_research, p99_days_to_gpu_national;
  double worst_sector_days_to_gpu;   /* largest mean days to GPU of a sector; NaN = none started */
  double gini_gpu_hours_by_org;      /* Gini of GPU-hours granted by applicant organisation, 0-1 */
  double hhi_gpu_hours_by_org;       /* Herfindahl-Hirschman index of the same, 0-1 */
  double capital_share_gpus_granted; /* GPUs granted to the capital region / all granted, 0-1 */
  /* ---- issue 17, item 2: what acceptance buys ---- */
  double gpu_hours_granted_share; /* gpu_hours_granted / gpu_hours_requested; NaN = none asked */
  /* ---- issue 21, item 5: power and electricity; NaN when no GPU type has a power_kw ---- */
  double energy_mwh;            /* MWh the usable GPUs draw in the window, PUE included */
  double electricity_cost_krw;  /* KRW: that energy at the electricity price of each moment */
  /* ---- issue 21, item 4: reclaim; 0 under a policy without one ---- */
  double gpu_hours_reclaimed;   /* GPU-hours of allocations taken back, inside the window */
  /* ---- issue 21, item 3: returning applicants (models/run/returns.c) ---- */
  double returning_share;           /* proposals of the window from returning applicants / all */
  double returning_acceptance_rate; /* accepted / decided among those; NaN when none decided */
  double renewals_granted;          /* renewals of the window accepted (a count; a double so that a
                                     * file written before it reads as NaN) */
} gp_summary_row;

/* The summary table: rep, then every metric in catalogue order. */
extern const gp_table_desc gp_summary_desc;

/* The summary field named NAME, or NULL. */
const gp_field *gp_metric_find(const char *name);

/* Sectors in sentences ("research institutes"), by GP_SECTOR_*: how the
 * parts of a breakdown by sector (gp_metric_view.group) are named in words. */
extern const char *const gp_sector_words[GP_NSECTORS];

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
/* The summary field of metric K (its view is never NULL). */
const gp_field *gp_stat_field(int k);
/* The K of the metric named NAME, or -1 when it is not a summary metric. */
int gp_stat_index(const char *name);
/* The metrics in the order tables show them into ORDER[gp_stat_count()]:
 * catalogue order, each metric followed by those shown beside it
 * (gp_metric_view.beside).  Returns gp_stat_count(). */
int gp_stat_shown_order(int *order);
/* The metrics a table shows, in its order, into ORDER[gp_stat_count()]:
 * those whose view has a bit of WHERE (GP_SHOW_*; 0 = every metric), in
 * gp_stat_shown_order, each part of a breakdown (gp_metric_view.group)
 * whose whole is shown right after the whole, before what is shown beside
 * it.  `run`'s summary and `compare` share it, so that they show the same
 * rows in the same order.  Returns their number. */
int gp_stat_table_order(int *order, unsigned where);
/* Metric K's row title in a table (run, compare): its label, then the unit
 * shown in parentheses unless the label says it, it has none, or it is a
 * part of a breakdown shown in its whole's unit ("  industry" under
 * "acceptance rate (%)").  The one vocabulary of the tables (issue 17, item
 * 7); `gpuplan metrics` lists each title beside the metric's name. */
void gp_stat_title(char *buf, size_t size, int k);
#endif /* GP_METRICS_H */
