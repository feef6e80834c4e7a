/*
 * analysis/report_int.h - what the files of `gpuplan report` share: the
 * report being written (read by analysis/reader, with its statistics), its
 * rows of metrics in page order, and the sections of the page.
 *
 *   report.c           reading, the rows, the charts, the files, the command
 *   report_page.c      the page around the numbers: head, header, charts,
 *                      assumptions, run, footer
 *   report_roadmap.c   the roadmap: as planned, as delivered, the gap by cause
 *   report_policies.c  what the policies are and what each trades against the first
 *   report_tables.c    the comparison tables; what drives the answer:
 *                      two-level files, and files of gpuplan sensitivity
 *                      (no policies, so only the header, this section, the
 *                      charts, the assumptions and the run)
 *   report_verdicts.c  the verdicts in words
 *   (report_tables.c also writes the programme statistics: report_kpi)
 *
 * Invariants every section keeps:
 *  - Every string from the result file reaches the page only through
 *    gp_html_text (analysis/text.h); every other byte of the page is a
 *    constant, a number formatted here, or a word of the metric catalogue.
 *  - Policy statistics are those of `gpuplan compare` (gp_reader_stats).
 *    The tables show each difference's own 95% interval; the verdicts judge
 *    every difference they speak of as one family, by Holm's method at 5%
 *    familywise (report_holm, analysis/verdict.h): a change is called
 *    significant exactly when its Holm interval excludes 0, and a verdict
 *    quotes that interval's bounds.
 */
#ifndef GP_REPORT_INT_H
#define GP_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/reader.h"
#include "analysis/report.h"

#define REPORT_NDASH "\xe2\x80\x93" /* U+2013 EN DASH, for ranges */
#define REPORT_PLUSMINUS "\xc2\xb1"

/* The summary metric whose breakdown by sector the report computes itself,
 * from the proposals of the detailed replications: days to GPUs. */
#define REPORT_TTG "mean_days_to_gpu"

/* A row of the comparison tables and a subject of verdicts, in page order:
 * each summary metric the catalogue shows in the report (GP_SHOW_REPORT),
 * followed by the parts of its breakdown by sector; REPORT_TTG followed by
 * the days to GPUs of each sector. */
typedef struct report_row {
  int k;       /* the metric (gp_stat_field(k)); for days to GPUs by sector, REPORT_TTG's */
  int sector;  /* a part of a breakdown: its sector (GP_SECTOR_*); -1 for a whole metric */
  int ttg;     /* 1: the days to GPUs of SECTOR (not a summary metric) */
  char id[64]; /* its name in data-metric attributes: the field, or days_to_gpu_SECTOR */
} report_row;

/* What the report computes of one policy. */
typedef struct report_policy {
  gp_stat_row *st;       /* gp_stat_count() rows: statistics over replications */
  gp_stat_row *diff;     /* the same of the paired differences this - first policy */
  gp_reader_start *prop; /* proposals of the detailed replications */
  size_t nprop;
  gp_stat_row ttg[GP_NSECTORS];      /* days to GPUs per sector, over detailed replications */
  gp_stat_row ttg_diff[GP_NSECTORS]; /* its paired differences against the first policy */
  double *ttg_rep; /* nd x GP_NSECTORS: mean days to GPUs per replication; NaN = none */
} report_policy;

typedef struct report {
  gp_reader *r;            /* the result file, at the point reported */
  const char *file;        /* the result file, as given */
  report_policy *pol;      /* r->np of them */
  gp_stat_row *stats;      /* r->np x gp_stat_count(): pol[i].st point into it */
  gp_stat_row *diffs;      /* the same of the paired differences: pol[i].diff */
  size_t nd;               /* detailed replications */
  const char *note;        /* the scenario's "note" (its sources); NULL = none */
  const char *target_note; /* roadmap.target.note of the scenario; NULL = none */
  gp_roadmap_row *road;    /* the roadmap as delivered, one row per replication */
  size_t nroad;
  gp_reader_plan plan; /* the roadmap as planned and the gap by cause; plan.has = 0 if absent */
  int has_risk;     /* 1 when the file has the risk of missing the target */
  double risk[6];   /* probability, its interval, date quantiles q10 q50 q90 */
  report_row *rows; /* the metrics, in page order */
  size_t nrows;
  gp_stat_row *holm; /* np x nrows: the paired differences of the verdicts, Holm-adjusted
                      * over all of them (policy i's of row m at i * nrows + m; the
                      * first policy's unused) */
  long family;       /* how many of them Holm's family holds (those that can be tested) */
  gp_reader_sens sens; /* a file of `gpuplan sensitivity` (c->r->sens): its indices */
  char *priv; /* private directory beside the output; NULL until made */
  char *page; /* PRIV/report.html while written */
  FILE *o;    /* the page */
  gp_err *err;
} report;

/* How ROW is shown: its metric's view (REPORT_TTG's for days to GPUs). */
const gp_metric_view *report_view(const report_row *row);
/* Statistics of ROW for policy I: over replications, or (PAIRED) of the
 * paired differences against the first policy. */
const gp_stat_row *report_stat(const report *c, size_t i, const report_row *row, int paired);
/* A row's label in tables: the catalogue's (a part's without its indent),
 * or the sector's name for days to GPUs. */
const char *report_label(const report_row *row);

/* Holm's adjustment of every difference the verdicts judge (c->holm,
 * c->family); 0, or -1 (c->err set). */
int report_holm(report *c);

/* Policy I's name, as text. */
void report_put_policy(report *c, size_t i);
/* The date time T (days since the epoch) falls on, or "never". */
void report_fmt_date(const report *c, double t, char *buf, size_t size);
/* A table cell "mean ± half-width" of R times SCALE. */
void report_put_mean(FILE *o, const gp_stat_row *r, double scale);

/* The sections, in page order. */
void report_head(report *c);
void report_header(report *c);
void report_roadmap(report *c);
void report_policies(report *c);
void report_comparison(report *c);
/* One line per policy against the first: what it improves, costs, changes
 * and leaves unchanged (the comparison's first lines). */
void report_tradeoffs(report *c);
void report_verdicts(report *c);
/* The first policy's programme statistics (analysis/kpi.h; in
 * report_tables.c); 0, or -1 (c->err set). */
int report_kpi(report *c);
/* On a two-level file only (else nothing): the box of scenario discovery
 * in words (analysis/report_tables.c); 0, or -1 (c->err set). */
int report_drivers(report *c);
/* A file of `gpuplan sensitivity`: the same section from its indices
 * (analysis/report_tables.c); 0, or -1 (c->err set). */
int report_sensitivity(report *c);
int report_charts(report *c);
void report_assumptions(report *c);
void report_run(report *c);
void report_footer(report *c);

#endif /* GP_REPORT_INT_H */
