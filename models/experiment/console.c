/*
 * models/experiment/console.c - the summary of a run, for a person at a
 * terminal (see console.h).
 *
 * Invariant: every number shown is the catalogue's metric times its scale,
 * with its decimals; the statistics are those of /stats (mean and 95%
 * Student-t half-width over the replications with a value).  Names from the
 * scenario (and the command line) are printed escaped (sim/escape.h).  Every
 * line of a table fits TABLE_COLUMNS (columns in blocks, sim/columns.h)
 * unless --wide asked for one line per metric; a block never splits a cell.
 */
#include "models/experiment/console.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/results/metrics.h"
#include "models/scenario/date.h"
#include "sim/columns.h"
#include "sim/escape.h"
#include "sim/stats.h"

#define LABEL_WIDTH 22 /* at least: the width of the tables before the catalogue */
#define CELL_WIDTH 22
#define TABLE_COLUMNS 100  /* a sweep's table fits this many columns (issue 17, item 6) */
#define SWEEP_HEAD 63      /* bytes of a point's column heading, at most */
#define SWEEP_HEAD_SHOWN 24 /* columns of a heading; a longer one is "#K", listed above */
#define NAME_SHOWN 24       /* columns of a policy's heading; a longer name is "#P", listed above */

/* Name S, escaped, right-aligned in WIDTH columns (0: as it is). */
static void put_name(FILE *f, int width, const char *s) {
  char b[256], *d = gp_escape(b, sizeof b, s) < sizeof b ? NULL : gp_escape_dup(s);
  fprintf(f, "%*s", width, d ? d : b);
  free(d);
}


/* The shown metrics in display order into ROWS (summary field indices);
 * returns their number.  The order is the catalogue's table order
 * (gp_stat_table_order), the one `compare` shows too. */
static int row_order(int *rows) {
  int order[sizeof(gp_summary_row)];
  int n = gp_stat_table_order(order, GP_SHOW_RUN);
  for (int i = 0; i < n; i++) rows[i] = (int)(gp_stat_field(order[i]) - gp_summary_desc.fields);
  return n;
}

/* The row's title (gp_stat_title) of summary field I. */
static void row_label(char *buf, size_t size, int i) {
  gp_stat_title(buf, size, gp_stat_index(gp_summary_desc.fields[i].name));
}

/* Policy P's mean and 95% half-width of field F over the replications, in
 * the unit shown (scaled). */
static gp_ci ci_of(const gp_store *st, int p, const gp_field *f) {
  double scale = f->view->scale;
  gp_welford w = {0, 0, 0};
  for (int r = 0; r < st->nreps; r++) gp_welford_add(&w, scale * gp_field_get(f, gp_store_summary(st, p, r)));
  return gp_welford_ci(&w, 0.95);
}

/* "mean ± half" with D decimals. */
static void format_ci(char *buf, size_t size, gp_ci c, int d) {
  if (isnan(c.half)) snprintf(buf, size, "%.*f", d, c.mean);
  else snprintf(buf, size, "%.*f ± %.*f", d, c.mean, d, c.half);
}

/* The decimals of a row of metric F (issue 17, item 7: precision from the
 * interval): two significant digits of the narrowest half-width among its
 * cells, gp_stats_decimals, as compare and the report; the catalogue's
 * when no cell has one.  The cells: policy NAME (NULL = every policy) at
 * each of the N stores. */
static int row_decimals(const gp_store *stores, int n, const char *name, const gp_field *f) {
  double narrowest = INFINITY;
  for (int k = 0; k < n; k++)
    for (int p = 0; p < stores[k].npol; p++) {
      if (name && strcmp(stores[k].s->policies[p].name, name) != 0) continue;
      double h = ci_of(&stores[k], p, f).half;
      if (h > 0 && h < narrowest) narrowest = h;
    }
  return isfinite(narrowest) ? gp_stats_decimals(0, narrowest) : f->view->decimals;
}

/* 1 when field F has a number in some replication of some policy. */
static int has_value(const gp_store *st, const gp_field *f) {
  for (int p = 0; p < st->npol; p++)
    for (int r = 0; r < st->nreps; r++)
      if (!isnan(gp_field_get(f, gp_store_summary(st, p, r)))) return 1;
  return 0;
}

/* The target, the probability of reaching it by its date, and when it is
 * reached with the slips drawn, after the simulated end too (issue 17, item
 * 1: "never" said only of a plan that never adds up to the target, and then
 * by how much it falls short). */
static void print_risk(FILE *f, const gp_store *st, int width, int wide) {
  const gp_scenario *s = st->s;
  char d[16], q[3][16];
  gp_store_risk r;
  gp_store_roadmap_risk(st, &r);
  gp_date_format_time(s->target_date, s->epoch_day, d, sizeof d);
  for (int j = 0; j < 3; j++) gp_date_format_time(r.ever[j], s->epoch_day, q[j], sizeof q[j]);
  fprintf(f, "%-*s %*.0f  (roadmap target, %s)\n", width, "target GPUs", CELL_WIDTH,
          s->target_gpus, d);
  /* Two lines within TABLE_COLUMNS; one with --wide. */
  fprintf(f, "roadmap risk: P(target reached by %s) = %.2f (95%% CI %.2f-%.2f);%s", d, r.p, r.lo,
          r.hi, wide ? " " : "\n  ");
  if (r.planned_peak < s->target_gpus)
    fprintf(f, "date reached: never: the roadmap as planned peaks at %.0f GPUs, %.0f short\n",
            r.planned_peak, s->target_gpus - r.planned_peak);
  else
    fprintf(f, "date reached, after the simulated end too: 10%% %s, median %s, 90%% %s\n", q[0],
            q[1], q[2]);
}

/* The rows of a table: the shown metrics in order, and the label width. */
typedef struct rows {
  int idx[sizeof(gp_summary_row)]; /* each field has its own offset in a row: fewer than its bytes */
  int n;
  int width; /* of the label column */
} rows;

static void rows_init(rows *r) {
  char label[128];
  r->n = row_order(r->idx);
  r->width = LABEL_WIDTH;
  for (int k = 0; k < r->n; k++) {
    row_label(label, sizeof label, r->idx[k]);
    if ((int)strlen(label) > r->width) r->width = (int)strlen(label);
  }
}

/* The table of a run without a sweep, as one line per metric (--wide):
 * metrics x policies, every policy a column of CELL_WIDTH. */
static void print_point_wide(FILE *f, const gp_store *st) {
  const gp_scenario *s = st->s;
  rows rw;
  rows_init(&rw);
  char label[128];
  fprintf(f, "\n%-*s", rw.width, "metric");
  for (int p = 0; p < st->npol; p++) fputc(' ', f), put_name(f, CELL_WIDTH, s->policies[p].name);
  fputc('\n', f);
  for (int k = 0; k < rw.n; k++) {
    const gp_field *fld = &gp_summary_desc.fields[rw.idx[k]];
    if (!has_value(st, fld)) continue;
    row_label(label, sizeof label, rw.idx[k]);
    fprintf(f, "%-*s", rw.width, label);
    int d = row_decimals(st, 1, NULL, fld);
    for (int p = 0; p < st->npol; p++) {
      char b[64];
      format_ci(b, sizeof b, ci_of(st, p, fld), d);
      fprintf(f, " %*s", CELL_WIDTH, b);
    }
    fputc('\n', f);
  }
  if (s->target_gpus > 0) print_risk(f, st, rw.width, 1);
}

/* A policy's heading: its name, escaped, or "#P" when that is longer than
 * NAME_SHOWN columns (the name is listed above the table then). */
typedef char head_buf[SWEEP_HEAD + 1];

static int policy_head(head_buf h, const char *name, int p) {
  if (gp_escape(h, sizeof(head_buf), name) < sizeof(head_buf) && gp_columns_of(h) <= NAME_SHOWN)
    return 0;
  snprintf(h, sizeof(head_buf), "#%d", p);
  return 1;
}

/* The table of a run without a sweep: metrics x policies, the policies in
 * blocks within TABLE_COLUMNS (issue 17, item 6: 7 policies took 183), each
 * block under the metric column.  Returns -1 (ERR set) out of memory. */
static int print_point(FILE *f, const gp_store *st, gp_err *err) {
  const gp_scenario *s = st->s;
  int np = st->npol;
  rows rw;
  rows_init(&rw);
  head_buf *head = malloc((size_t)np * sizeof *head);
  int *width = malloc((size_t)np * sizeof *width), *first = malloc((size_t)(np + 1) * sizeof *first);
  if (!head || !width || !first) {
    free(head), free(width), free(first);
    return GP_ERR_NOMEM(err);
  }
  int legend = 0;
  char b[64], label[128];
  for (int p = 0; p < np; p++) {
    legend |= policy_head(head[p], s->policies[p].name, p);
    width[p] = gp_columns_of(head[p]);
    for (int k = 0; k < rw.n; k++) {
      const gp_field *fld = &gp_summary_desc.fields[rw.idx[k]];
      format_ci(b, sizeof b, ci_of(st, p, fld), row_decimals(st, 1, NULL, fld));
      if (gp_columns_of(b) > width[p]) width[p] = gp_columns_of(b);
    }
  }
  for (int p = 0; legend && p < np; p++)
    if (head[p][0] == '#') {
      fprintf(f, "  #%d: ", p);
      gp_escape_fputs(s->policies[p].name, f);
      fputc('\n', f);
    }
  int nb = gp_columns_blocks(width, np, rw.width, TABLE_COLUMNS, first);
  for (int bl = 0; bl < nb; bl++) {
    fputc('\n', f);
    gp_columns_left(f, rw.width, "metric");
    for (int p = first[bl]; p < first[bl + 1]; p++) {
      fputs("  ", f);
      gp_columns_right(f, width[p], head[p]);
    }
    fputc('\n', f);
    for (int k = 0; k < rw.n; k++) {
      const gp_field *fld = &gp_summary_desc.fields[rw.idx[k]];
      if (!has_value(st, fld)) continue;
      row_label(label, sizeof label, rw.idx[k]);
      gp_columns_left(f, rw.width, label);
      int d = row_decimals(st, 1, NULL, fld);
      for (int p = first[bl]; p < first[bl + 1]; p++) {
        format_ci(b, sizeof b, ci_of(st, p, fld), d);
        fputs("  ", f);
        gp_columns_right(f, width[p], b);
      }
      fputc('\n', f);
    }
  }
  if (s->target_gpus > 0) fputc('\n', f), print_risk(f, st, rw.width, 0);
  free(head), free(width), free(first);
  return 0;
}

/* ---- a sweep: one table across its points ---- */

/* The heading of point PT's column: its values ("40", or "40, fcfs" for
 * two dimensions), escaped, into BUF; 0, or -1 when it does not fit. */
static int point_head(char *buf, size_t size, const gp_plan_point *pt) {
  size_t used = 0;
  buf[0] = '\0';
  for (int d = 0; d < pt->nsets; d++) {
    const char *eq = strchr(pt->sets[d], '=');
    char v[SWEEP_HEAD + 1];
    if (gp_escape(v, sizeof v, eq ? eq + 1 : pt->sets[d]) >= sizeof v) return -1;
    int n = snprintf(buf + used, size - used, "%s%s", d ? ", " : "", v);
    if (n < 0 || (size_t)n >= size - used) return -1;
    used += (size_t)n;
  }
  return 0;
}

/* The policy of point K named NAME, or -1 (a sweep of "policies" may
 * change them). */
static int policy_at(const gp_store *st, const char *name) {
  for (int p = 0; p < st->npol; p++)
    if (strcmp(st->s->policies[p].name, name) == 0) return p;
  return -1;
}

/* The table layout of a sweep: columns of points, in blocks that fit
 * TABLE_COLUMNS with the label column. */
typedef struct sweep_cols {
  int legend;    /* 1: the headings are "#K" (some point's values are too long), the points
                  * listed above the table; 0: each heading is its point's values */
  int cell;      /* the columns of a cell */
  int per_block; /* points per block */
} sweep_cols;

/* The heading of point K's column into BUF (SWEEP_HEAD + 1 bytes). */
static void head_of(char *buf, const sweep_cols *c, const gp_plan *plan, int k) {
  if (c->legend || point_head(buf, SWEEP_HEAD + 1, &plan->points[k]))
    snprintf(buf, SWEEP_HEAD + 1, "#%d", k);
}

/* The cell of policy NAME at point K for metric FLD with D decimals, into
 * BUF ("-" when the point has no such policy or no value). */
static void sweep_cell(char *buf, size_t size, const gp_store *st, const char *name,
                       const gp_field *fld, int d) {
  int p = policy_at(st, name);
  if (p < 0 || !has_value(st, fld)) snprintf(buf, size, "-");
  else format_ci(buf, size, ci_of(st, p, fld), d);
}

/* The roadmap's cell of point K in row R of risk_labels. */
static void risk_cell(char *buf, size_t size, const gp_store *st, int r) {
  const gp_scenario *s = st->s;
  gp_store_risk risk;
  if (!(s->target_gpus > 0)) {
    snprintf(buf, size, "-");
    return;
  }
  gp_store_roadmap_risk(st, &risk);
  switch (r) {
  case 0: snprintf(buf, size, "%.0f", s->target_gpus); break;
  case 1: gp_date_format_time(s->target_date, s->epoch_day, buf, size); break;
  case 2: snprintf(buf, size, "%.2f", risk.p); break;
  case 3: snprintf(buf, size, "%.2f-%.2f", risk.lo, risk.hi); break;
  default: gp_date_format_time(risk.ever[1], s->epoch_day, buf, size); break;
  }
}

static const char *const risk_labels[] = {"target GPUs", "target date", "P(target reached by then)",
                                          "  95% CI", "date reached, median"};
#define NRISK (int)(sizeof risk_labels / sizeof risk_labels[0])

static void sweep_layout(sweep_cols *c, const gp_plan *plan, const gp_store *stores,
                         const rows *rw, int wide) {
  char b[64], head[SWEEP_HEAD + 1];
  c->cell = 0;
  c->legend = 0;
  for (int k = 0; k < plan->npoints; k++) {
    if (point_head(head, sizeof head, &plan->points[k]) || gp_columns_of(head) > SWEEP_HEAD_SHOWN)
      c->legend = 1;
    const gp_store *st = &stores[k];
    for (int p = 0; p < stores[0].npol; p++)
      for (int i = 0; i < rw->n; i++) {
        const char *name = stores[0].s->policies[p].name;
        const gp_field *fld = &gp_summary_desc.fields[rw->idx[i]];
        sweep_cell(b, sizeof b, st, name, fld, row_decimals(stores, plan->npoints, name, fld));
        if (gp_columns_of(b) > c->cell) c->cell = gp_columns_of(b);
      }
    for (int r = 0; r < NRISK; r++) {
      risk_cell(b, sizeof b, st, r);
      if (gp_columns_of(b) > c->cell) c->cell = gp_columns_of(b);
    }
  }
  /* Headings all of values, or all of point numbers (the legend lists
   * the points then): never a mix. */
  for (int k = 0; k < plan->npoints; k++) {
    head_of(head, c, plan, k);
    if (gp_columns_of(head) > c->cell) c->cell = gp_columns_of(head);
  }
  c->per_block = wide ? plan->npoints : gp_columns_fit(c->cell, rw->width, TABLE_COLUMNS);
}

/* The heading line of a block: TITLE, then points [K0, K1). */
static void block_head(FILE *f, const sweep_cols *c, const gp_plan *plan, int width,
                       const char *title, int k0, int k1) {
  char head[SWEEP_HEAD + 1];
  fputc('\n', f);
  int n = gp_columns_of(title);
  gp_escape_fputs(title, f);
  for (; n < width; n++) fputc(' ', f);
  for (int k = k0; k < k1; k++) {
    head_of(head, c, plan, k);
    fputs("  ", f);
    gp_columns_right(f, c->cell, head);
  }
  fputc('\n', f);
}

/* One table across the points of a sweep (issue 17, item 9: it printed a
 * table per point): for each policy, its metrics (rows) at every point
 * (columns, in blocks within TABLE_COLUMNS); then the roadmap at every
 * point. */
static void print_sweep(FILE *f, const gp_plan *plan, const gp_store *stores, int wide) {
  rows rw;
  rows_init(&rw);
  for (int r = 0; r < NRISK; r++)
    if (rw.width < (int)strlen(risk_labels[r])) rw.width = (int)strlen(risk_labels[r]);
  sweep_cols c;
  sweep_layout(&c, plan, stores, &rw, wide);
  if (c.legend)
    for (int k = 0; k < plan->npoints; k++) {
      fprintf(f, "  #%d:", k);
      for (int d = 0; d < plan->points[k].nsets; d++)
        fputc(' ', f), gp_escape_fputs(plan->points[k].sets[d], f);
      fputc('\n', f);
    }
  char b[64], label[160];
  const gp_scenario *s0 = stores[0].s;
  for (int p = 0; p < stores[0].npol; p++) {
    const char *name = s0->policies[p].name;
    for (int k0 = 0; k0 < plan->npoints; k0 += c.per_block) {
      int k1 = k0 + c.per_block < plan->npoints ? k0 + c.per_block : plan->npoints;
      char title[GP_NAME_MAX + 16];
      snprintf(title, sizeof title, "policy %s", name);
      block_head(f, &c, plan, rw.width, title, k0, k1);
      for (int i = 0; i < rw.n; i++) {
        const gp_field *fld = &gp_summary_desc.fields[rw.idx[i]];
        int any = 0;
        for (int k = 0; k < plan->npoints && !any; k++) any = has_value(&stores[k], fld);
        if (!any) continue;
        row_label(label, sizeof label, rw.idx[i]);
        fprintf(f, "%-*s", rw.width, label);
        int d = row_decimals(stores, plan->npoints, name, fld);
        for (int k = k0; k < k1; k++) {
          sweep_cell(b, sizeof b, &stores[k], name, fld, d);
          fputs("  ", f);
          gp_columns_right(f, c.cell, b);
        }
        fputc('\n', f);
      }
    }
  }
  int target = 0;
  for (int k = 0; k < plan->npoints; k++) target |= stores[k].s->target_gpus > 0;
  for (int k0 = 0; target && k0 < plan->npoints; k0 += c.per_block) {
    int k1 = k0 + c.per_block < plan->npoints ? k0 + c.per_block : plan->npoints;
    block_head(f, &c, plan, rw.width, "roadmap (every policy)", k0, k1);
    for (int r = 0; r < NRISK; r++) {
      fprintf(f, "%-*s", rw.width, risk_labels[r]);
      for (int k = k0; k < k1; k++) {
        risk_cell(b, sizeof b, &stores[k], r);
        fputs("  ", f);
        gp_columns_right(f, c.cell, b);
      }
      fputc('\n', f);
    }
  }
}

/* What was run: the scenario, its file, the overrides, the sweep and the
 * seed (issue 17, item 4: a --set run's header said only "baseline"). */
static void print_title(FILE *f, const gp_plan *plan) {
  const gp_scenario *b = plan->base;
  gp_escape_fputs(b->name, f);
  fputs(" (", f);
  gp_escape_fputs(plan->input ? plan->input : "built-in", f);
  fputc(')', f);
  if (plan->nsets == 0) fputs(", no overrides", f);
  for (int i = 0; i < plan->nsets; i++) {
    fputs(i ? ", " : " with ", f);
    gp_escape_fputs(plan->sets[i], f);
  }
  fprintf(f, ", seed %llu\n", (unsigned long long)b->seed);
  if (gp_plan_swept(plan)) {
    fputs("swept over", f);
    const gp_plan_point *p0 = &plan->points[0];
    for (int d = 0; d < p0->nsets; d++) {
      const char *eq = strchr(p0->sets[d], '=');
      fputs(d ? ", " : " ", f);
      char path[256];
      snprintf(path, sizeof path, "%.*s", eq ? (int)(eq - p0->sets[d]) : 255, p0->sets[d]);
      gp_escape_fputs(path, f);
    }
    fprintf(f, " (%d point%s: the columns of the table)\n", plan->npoints,
            plan->npoints == 1 ? "" : "s");
  }
}

int gp_console_summary(FILE *f, const gp_plan *plan, const gp_store *stores, const char *out_path,
                       double seconds, int wide, gp_err *err) {
  const gp_store *st = &stores[0];
  fputc('\n', f);
  print_title(f, plan);
  fprintf(f, "%d replication%s x %d polic%s", st->nreps, st->nreps == 1 ? "" : "s", st->npol,
          st->npol == 1 ? "y" : "ies");
  if (gp_plan_swept(plan))
    fprintf(f, " x %d sweep point%s", plan->npoints, plan->npoints == 1 ? "" : "s");
  fprintf(f, ", %.1f s, results in ", seconds);
  gp_escape_fputs(out_path, f);
  fputc('\n', f);
  fprintf(f, "mean ± 95%% confidence half-width over replications\n");
  if (gp_plan_swept(plan)) print_sweep(f, plan, stores, wide);
  else if (wide) print_point_wide(f, st);
  else return print_point(f, st, err);
  return 0;
}

void gp_console_precision(FILE *f, const gp_store *stores, int npoints, double target) {
  for (int k = 0; k < npoints; k++) {
    double w = gp_store_precision(&stores[k]);
    fprintf(f, "%s%d replications: largest relative 95%% half-width %.4f (target %.4f)%s\n",
            k == 0 ? "\n" : "", stores[k].nreps, w, target,
            w > target ? ", not reached: raise --max-reps" : "");
  }
}
