/*
 * models/experiment/console.c - the summary of a run, for a person at a
 * terminal (see console.h).
 *
 * Invariant: every number shown is the catalogue's metric times its scale,
 * with its decimals; the statistics are those of /stats (mean and 95%
 * Student-t half-width over the replications with a value).  Names from the
 * scenario (and the command line) are printed escaped (sim/escape.h).
 */
#include "models/experiment/console.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/date.h"
#include "sim/escape.h"
#include "sim/stats.h"

#define LABEL_WIDTH 22 /* at least: the width of the tables before the catalogue */
#define CELL_WIDTH 22

/* Name S, escaped, right-aligned in WIDTH columns (0: as it is). */
static void put_name(FILE *f, int width, const char *s) {
  char b[256], *d = gp_escape(b, sizeof b, s) < sizeof b ? NULL : gp_escape_dup(s);
  fprintf(f, "%*s", width, d ? d : b);
  free(d);
}

static int shown(const gp_field *f) { return f->view && (f->view->where & GP_SHOW_RUN); }

/* The shown metric that metric I is a sub-row of: the one with the longest
 * name N such that I's name starts with N and "_"; -1 when none. */
static int parent_of(int i) {
  const char *name = gp_summary_desc.fields[i].name;
  int best = -1;
  size_t best_len = 0;
  for (int j = 0; j < gp_summary_desc.nfields; j++) {
    const gp_field *f = &gp_summary_desc.fields[j];
    size_t n = strlen(f->name);
    if (j != i && shown(f) && n > best_len && strncmp(name, f->name, n) == 0 && name[n] == '_') {
      best = j;
      best_len = n;
    }
  }
  return best;
}

/* Append metric I, then its sub-rows, to ROWS[*n]. */
static void order_from(int i, int *rows, int *n) {
  rows[(*n)++] = i;
  for (int j = 0; j < gp_summary_desc.nfields; j++)
    if (shown(&gp_summary_desc.fields[j]) && parent_of(j) == i) order_from(j, rows, n);
}

/* The shown metrics in display order into ROWS; returns their number. */
static int row_order(int *rows) {
  int n = 0;
  for (int i = 0; i < gp_summary_desc.nfields; i++)
    if (shown(&gp_summary_desc.fields[i]) && parent_of(i) < 0) order_from(i, rows, &n);
  return n;
}

/* The row's label: the catalogue's, with the unit shown in parentheses
 * unless the label already says it or the row is a sub-row in its
 * parent's unit. */
static void row_label(char *buf, size_t size, int i) {
  const gp_metric_view *v = gp_summary_desc.fields[i].view;
  int p = parent_of(i);
  int said = !v->shown[0] || strstr(v->label, v->shown) ||
             (p >= 0 && strcmp(gp_summary_desc.fields[p].view->shown, v->shown) == 0);
  if (said) snprintf(buf, size, "%s", v->label);
  else snprintf(buf, size, "%s (%s)", v->label, v->shown);
}

/* "mean ± half" of field F of policy P, scaled, with the metric's decimals. */
static void format_ci(char *buf, size_t size, const gp_store *st, int p, const gp_field *f) {
  double scale = f->view->scale;
  int decimals = f->view->decimals;
  gp_welford w = {0, 0, 0};
  for (int r = 0; r < st->nreps; r++) gp_welford_add(&w, scale * gp_field_get(f, gp_store_summary(st, p, r)));
  gp_ci c = gp_welford_ci(&w, 0.95);
  if (isnan(c.half)) snprintf(buf, size, "%.*f", decimals, c.mean);
  else snprintf(buf, size, "%.*f ± %.*f", decimals, c.mean, decimals, c.half);
}

/* 1 when field F has a number in some replication of some policy. */
static int has_value(const gp_store *st, const gp_field *f) {
  for (int p = 0; p < st->npol; p++)
    for (int r = 0; r < st->nreps; r++)
      if (!isnan(gp_field_get(f, gp_store_summary(st, p, r)))) return 1;
  return 0;
}

static void print_risk(FILE *f, const gp_store *st, int width) {
  const gp_scenario *s = st->s;
  char d[16], q[3][16];
  gp_store_risk r;
  gp_store_roadmap_risk(st, &r);
  gp_date_format_time(s->target_date, s->epoch_day, d, sizeof d);
  gp_date_format_time(r.q10, s->epoch_day, q[0], sizeof q[0]);
  gp_date_format_time(r.q50, s->epoch_day, q[1], sizeof q[1]);
  gp_date_format_time(r.q90, s->epoch_day, q[2], sizeof q[2]);
  fprintf(f, "%-*s %*.0f  (roadmap target, %s)\n", width, "target GPUs", CELL_WIDTH,
          s->target_gpus, d);
  fprintf(f, "roadmap risk: P(target reached by %s) = %.2f (95%% CI %.2f-%.2f); date reached: "
             "10%% %s, median %s, 90%% %s\n",
          d, r.p, r.lo, r.hi, q[0], q[1], q[2]);
}

static void print_point(FILE *f, const gp_store *st, const gp_plan_point *pt) {
  const gp_scenario *s = st->s;
  int rows[sizeof(gp_summary_row)]; /* each field has its own offset in a row: fewer than its bytes */
  int nrows = row_order(rows), width = LABEL_WIDTH;
  char label[128];
  for (int k = 0; k < nrows; k++) {
    row_label(label, sizeof label, rows[k]);
    if ((int)strlen(label) > width) width = (int)strlen(label);
  }
  if (pt->nsets) {
    fprintf(f, "\npoint:");
    for (int d = 0; d < pt->nsets; d++) fputc(' ', f), gp_escape_fputs(pt->sets[d], f);
    fputc('\n', f);
  }
  fprintf(f, "%s%-*s", pt->nsets ? "" : "\n", width, "metric");
  for (int p = 0; p < st->npol; p++) fputc(' ', f), put_name(f, CELL_WIDTH, s->policies[p].name);
  fputc('\n', f);
  for (int k = 0; k < nrows; k++) {
    const gp_field *fld = &gp_summary_desc.fields[rows[k]];
    if (!has_value(st, fld)) continue;
    row_label(label, sizeof label, rows[k]);
    fprintf(f, "%-*s", width, label);
    for (int p = 0; p < st->npol; p++) {
      char b[64];
      format_ci(b, sizeof b, st, p, fld);
      fprintf(f, " %*s", CELL_WIDTH, b);
    }
    fputc('\n', f);
  }
  if (s->target_gpus > 0) print_risk(f, st, width);
}

void gp_console_summary(FILE *f, const gp_plan *plan, const gp_store *stores, const char *out_path,
                        double seconds) {
  const gp_store *st = &stores[0];
  fputc('\n', f);
  gp_escape_fputs(st->s->name, f);
  fprintf(f, ": %d replication%s x %d polic%s", st->nreps, st->nreps == 1 ? "" : "s", st->npol,
          st->npol == 1 ? "y" : "ies");
  if (gp_plan_swept(plan))
    fprintf(f, " x %d sweep point%s", plan->npoints, plan->npoints == 1 ? "" : "s");
  fprintf(f, ", %.1f s, results in ", seconds);
  gp_escape_fputs(out_path, f);
  fputc('\n', f);
  fprintf(f, "mean ± 95%% confidence half-width over replications\n");
  for (int k = 0; k < plan->npoints; k++) print_point(f, &stores[k], &plan->points[k]);
}

void gp_console_precision(FILE *f, const gp_store *stores, int npoints, double target) {
  for (int k = 0; k < npoints; k++) {
    double w = gp_store_precision(&stores[k]);
    fprintf(f, "%s%d replications: largest relative 95%% half-width %.4f (target %.4f)%s\n",
            k == 0 ? "\n" : "", stores[k].nreps, w, target,
            w > target ? ", not reached: raise --max-reps" : "");
  }
}
