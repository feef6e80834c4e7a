/*
 * analysis/compare.c - paired comparison of the policies in a result file
 * (see compare.h).
 *
 * Statistics are recomputed from the summaries (gp_reader_stats), so the
 * table is the same as the file's /stats and /compare groups by
 * construction.  Which metrics are shown (GP_SHOW_RUN; every one with
 * --all), their unit and scale come from the metric catalogue
 * (models/results/metrics.c); a row is titled as in run's table
 * (gp_stat_title: one vocabulary; `gpuplan metrics` gives each title's
 * field name, as in the file and the CSV export).  Names from the file are
 * printed escaped (sim/escape.h).  A row's means and its differences each
 * take their decimals from the row's narrowest interval (two significant
 * digits), so that no interval reads as [+0.0, +0.0] unless it is; a
 * difference that is exactly 0 in every replication reads "identical".
 *
 * Family-wise error (issue 19): unless --unadjusted, the differences shown
 * (every metric shown x every policy against the baseline) are one family,
 * judged by Holm's step-down method at 5% (gp_verdict_holm): a * and an
 * interval that excludes 0 mean the same as before, for the family as a
 * whole.  After the table, each metric shown with a better direction gets
 * Hsu's multiple comparison with the best (gp_mcb_metric), in words.
 */
#include "analysis/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/format.h"
#include "analysis/mcb.h"
#include "analysis/reader.h"
#include "analysis/verdict.h"
#include "models/results/metrics.h"
#include "models/scenario/date.h"
#include "sim/columns.h"
#include "sim/escape.h"
#include "sim/interrupt.h"

static void cell_ci(char *b, size_t n, const gp_stat_row *r, double k, int d) {
  if (r->n == 0)
    snprintf(b, n, "-");
  else if (isnan(r->half_width))
    snprintf(b, n, "%.*f", d, r->mean * k);
  else
    snprintf(b, n, "%.*f ± %.*f", d, r->mean * k, d, r->half_width * k);
}

static void cell_diff(char *b, size_t n, const gp_stat_row *r, double k, int d) {
  if (r->n == 0)
    snprintf(b, n, "-");
  else if (r->mean == 0 && (r->n == 1 || r->sd == 0))
    snprintf(b, n, "identical");
  else if (isnan(r->half_width))
    snprintf(b, n, "%+.*f", d, r->mean * k);
  else {
    int sig = r->lo > 0 || r->hi < 0;
    snprintf(b, n, "%+.*f [%+.*f, %+.*f]%s", d, r->mean * k, d, r->lo * k, d, r->hi * k,
             sig ? " *" : "");
  }
}

/* The decimals of a row of means or differences: as many as the narrowest
 * interval of the row needs to show two significant digits; the
 * catalogue's without one (gp_fmt_metric_decimals).  BASE: a policy left
 * out (the baseline, for differences), or np. */
static int diff_decimals(const gp_stat_row *rows, size_t stride, size_t np, size_t base,
                         const gp_metric_view *v) {
  double narrowest = INFINITY;
  for (size_t p = 0; p < np; p++) {
    double h = fabs(rows[p * stride].half_width * v->scale);
    if (p != base && rows[p * stride].n && h > 0 && h < narrowest) narrowest = h;
  }
  return gp_fmt_metric_decimals(v, isfinite(narrowest) ? narrowest : 0);
}

/* A date of the file, or "never". */
static const char *date_of(const gp_reader *r, double t, char *b, size_t n) {
  if (!(t >= 0) || !isfinite(t)) return "never";
  gp_date_format(r->epoch + (long)floor(t), b, n);
  return b;
}

/* After the table: the roadmap as planned beside the roadmap as delivered,
 * and the gap at the target date by cause (issue 17, item 1); nothing for a
 * file without them. */
static int print_plan(FILE *f, gp_reader *r, gp_err *err) {
  gp_reader_plan pl;
  if (gp_reader_roadmap_plan(r, &pl, err)) return -1;
  if (!pl.has || !isfinite(r->target_gpus)) {
    gp_reader_plan_free(&pl);
    return 0;
  }
  char a[64], b[64], c[64], d[64], e[64];
  double target = r->target_gpus, short_by = target - pl.planned_at_target;
  fprintf(f, "\nroadmap as planned (no slip, no ramp): %s GPUs on %s, %s %s %s;\n",
          gp_fmt_num(a, sizeof a, pl.planned_at_target, 0, 0), r->target_date,
          gp_fmt_num(b, sizeof b, fabs(short_by), 0, 0), short_by > 0 ? "short of" : "above",
          gp_fmt_num(c, sizeof c, target, 0, 0));
  if (isfinite(pl.planned_reached))
    fprintf(f, "  target reached as planned on %s\n", date_of(r, pl.planned_reached, d, sizeof d));
  else
    fprintf(f, "  never reached as planned (the plan peaks %s GPUs short)\n",
            gp_fmt_num(d, sizeof d, target - pl.planned_peak, 0, 0));
  double gap = pl.never_planned + pl.ended + pl.late + pl.ramping;
  fprintf(f, "gap at %s, mean with slips drawn: %s GPUs\n  = never planned %s + agreement ended %s",
          r->target_date, gp_fmt_num(a, sizeof a, gap, 0, 0),
          gp_fmt_num(b, sizeof b, pl.never_planned, 0, 0), gp_fmt_num(c, sizeof c, pl.ended, 0, 0));
  fprintf(f, " + late %s + ramping %s\n", gp_fmt_num(d, sizeof d, pl.late, 0, 0),
          gp_fmt_num(e, sizeof e, pl.ramping, 0, 0));
  fprintf(f, "date reached with slips (after the simulated end too): 10%% %s, median %s, 90%% %s\n",
          date_of(r, pl.q[0], a, sizeof a), date_of(r, pl.q[1], b, sizeof b),
          date_of(r, pl.q[2], c, sizeof c));
  gp_reader_plan_free(&pl);
  return 0;
}

static int shown(const gp_field *f, int all) { return all || (f->view->where & GP_SHOW_RUN); }

/* Holm's adjustment of the differences shown (DIFF: np x nm; the policies
 * SEL[0..nsel), BASE's row left out), in place.  Returns the family's size,
 * or -1 (ERR set). */
static long holm(gp_stat_row *diff, const size_t *sel, size_t nsel, int nm, size_t base, int all,
                 gp_err *err) {
  gp_stat_row **fam = malloc((nsel * (size_t)nm + 1) * sizeof *fam);
  if (!fam) return GP_ERR_NOMEM(err), -1;
  size_t m = 0;
  for (int k = 0; k < nm; k++)
    for (size_t i = 0; i < nsel; i++)
      if (sel[i] != base && shown(gp_stat_field(k), all))
        fam[m++] = &diff[sel[i] * (size_t)nm + (size_t)k];
  long tested = gp_verdict_holm(fam, m, 0.05, NULL);
  free(fam);
  if (tested < 0) GP_ERR_NOMEM(err);
  return tested;
}

/* Multiple comparison with the best of the metrics shown that have a better
 * direction, one line each: "the best: P; may be the best: Q (within X
 * UNIT of the best), ...; not the best: R (within Y UNIT), ...", or that
 * every policy gave the same in every replication. */
static int print_best(FILE *f, gp_reader *r, char **all_names, const size_t *sel, size_t np,
                      int all, gp_err *err) {
  gp_mcb *m = malloc(np * sizeof *m);
  const gp_summary_row **sum = malloc(np * sizeof *sum);
  char **name = malloc(np * sizeof *name);
  if (!m || !sum || !name) {
    free(m), free(sum), free(name);
    return GP_ERR_NOMEM(err);
  }
  for (size_t p = 0; p < np; p++) sum[p] = r->pol[sel[p]].sum, name[p] = all_names[sel[p]];
  fprintf(f,
          "\nbest policy per metric (Hsu's multiple comparison with the best, on the paired\n"
          "differences, 95%% simultaneous for each metric): how much worse than the best of the\n"
          "others each policy may be\n");
  static const char *const head[] = {"the best: ", "may be the best: ", "not the best: "};
  for (int k = 0; k < gp_stat_count(); k++) {
    const gp_field *fd = gp_stat_field(k);
    const gp_metric_view *v = fd->view;
    if (!shown(fd, all) || gp_mcb_metric(sum, np, r->nreps, k, 0.05, m)) continue;
    const char *unit = v->delta ? v->delta : v->shown;
    char title[128];
    gp_stat_title(title, sizeof title, k);
    fprintf(f, "  %s (%s is better): ", title,
            v->better == GP_BETTER_LOWER ? "lower" : "higher");
    size_t same = 0, none = 0;
    for (size_t p = 0; p < np; p++) {
      same += m[p].lo == 0 && m[p].hi == 0;
      none += gp_mcb_status(&m[p]) == -2;
    }
    if (none) {
      fputs("too few replications with a value\n", f);
      continue;
    }
    if (same == np) {
      fputs("the same under every policy in every replication\n", f);
      continue;
    }
    const char *sep = "";
    for (int g = 0; g < 3; g++) { /* 1 the best, 0 may be, -1 not */
      int said = 0;
      for (size_t p = 0; p < np; p++) {
        if (gp_mcb_status(&m[p]) != 1 - g) continue;
        fprintf(f, "%s%s%s", said ? ", " : sep, said ? "" : head[g], name[p]);
        if (g) {
          char num[64];
          double hi = m[p].hi * v->scale;
          gp_fmt_num(num, sizeof num, hi, gp_fmt_nonzero_decimals(hi, v->decimals), 0);
          fprintf(f, " (within %s%s%s)", num, said ? "" : " ", said ? "" : unit);
        }
        said = 1;
        sep = "; ";
      }
    }
    fputc('\n', f);
  }
  free(m), free(sum), free(name);
  return 0;
}

/* What the table shows: the policies chosen and the metrics, in order. */
typedef struct table {
  const gp_stat_row *stats, *diff; /* np x nm each, by policy then metric */
  char **name;                     /* the policies' names, escaped */
  const size_t *sel;               /* the policies shown, in file order (the baseline among them) */
  size_t nsel, base;
  size_t np; /* the file's policies */
  int nm;
  const int *rows; /* the metrics shown, in table order (gp_stat_table_order) */
  int nrows;
} table;

static const gp_stat_row *stat_at(const gp_stat_row *a, const table *t, size_t p, int k) {
  return &a[p * (size_t)t->nm + (size_t)k];
}

/* The cells of policy P in metric K's row: mean ± half-width, and (but for
 * the baseline) the difference against the baseline with its interval. */
static void cells(char *ci, char *df, size_t n, const table *t, size_t p, int k) {
  const gp_metric_view *v = gp_stat_field(k)->view;
  int dm = diff_decimals(t->stats + k, (size_t)t->nm, t->np, t->np, v);
  cell_ci(ci, n, stat_at(t->stats, t, p, k), v->scale, dm);
  df[0] = '\0';
  if (p != t->base) {
    /* Decimals from every policy of the file: a difference reads the same
     * whichever policies --policy shows. */
    int dd = diff_decimals(t->diff + k, (size_t)t->nm, t->np, t->base, v);
    cell_diff(df, n, stat_at(t->diff, t, p, k), v->scale, dd);
  }
}

/* The table as one line per metric, however wide (--wide): every policy's
 * mean ± half-width, then every difference. */
static void print_wide(FILE *f, const table *t) {
  int width = 30;
  char title[128], ci[96], df[96];
  for (int i = 0; i < t->nrows; i++) {
    gp_stat_title(title, sizeof title, t->rows[i]);
    if ((int)strlen(title) + 1 > width) width = (int)strlen(title) + 1;
  }
  fprintf(f, "%-*s", width, "metric");
  for (size_t i = 0; i < t->nsel; i++) fprintf(f, " %22s", t->name[t->sel[i]]);
  for (size_t i = 0; i < t->nsel; i++)
    if (t->sel[i] != t->base) {
      char head[128];
      snprintf(head, sizeof head, "%s - %s", t->name[t->sel[i]], t->name[t->base]);
      fprintf(f, " %34s", head);
    }
  fputc('\n', f);
  for (int i = 0; i < t->nrows; i++) {
    int k = t->rows[i];
    gp_stat_title(title, sizeof title, k);
    fprintf(f, "%-*s", width, title);
    for (size_t j = 0; j < t->nsel; j++) {
      cells(ci, df, sizeof ci, t, t->sel[j], k);
      fprintf(f, " %22s", ci);
    }
    for (size_t j = 0; j < t->nsel; j++)
      if (t->sel[j] != t->base) {
        cells(ci, df, sizeof ci, t, t->sel[j], k);
        fprintf(f, " %34s", df);
      }
    fputc('\n', f);
  }
}

#define TABLE_COLUMNS 100 /* the table fits this many columns (issue 17, item 6) */
#define NAME_SHOWN 16     /* columns of a policy's heading; a longer name is "#P", listed above */

/* The heading of policy P: its name (escaped), or "#P" when longer than
 * NAME_SHOWN columns. */
static const char *head_of(char *b, size_t n, const table *t, size_t p) {
  if (gp_columns_of(t->name[p]) <= NAME_SHOWN) return t->name[p];
  snprintf(b, n, "#%zu", p);
  return b;
}

/* The table within TABLE_COLUMNS: the policies in blocks under the metric
 * column, each policy's mean ± half-width beside its difference against the
 * baseline.  Returns -1 (ERR set) out of memory. */
static int print_blocks(FILE *f, const table *t, gp_err *err) {
  size_t n = t->nsel;
  int *ci_w = calloc(n, sizeof *ci_w), *df_w = calloc(n, sizeof *df_w);
  int *w = calloc(n, sizeof *w), *first = calloc(n + 1, sizeof *first);
  if (!ci_w || !df_w || !w || !first) {
    free(ci_w), free(df_w), free(w), free(first);
    return GP_ERR_NOMEM(err);
  }
  char title[128], ci[96], df[96], h[32], hb[32], dh[160];
  int width = gp_columns_of("metric");
  for (int i = 0; i < t->nrows; i++) {
    gp_stat_title(title, sizeof title, t->rows[i]);
    if (gp_columns_of(title) > width) width = gp_columns_of(title);
  }
  int legend = 0;
  for (size_t j = 0; j < n; j++) {
    size_t p = t->sel[j];
    const char *hd = head_of(h, sizeof h, t, p);
    legend |= hd == h;
    ci_w[j] = gp_columns_of(hd);
    if (p != t->base) {
      snprintf(dh, sizeof dh, "%s - %s", hd, head_of(hb, sizeof hb, t, t->base));
      df_w[j] = gp_columns_of(dh);
    }
    for (int i = 0; i < t->nrows; i++) {
      cells(ci, df, sizeof ci, t, p, t->rows[i]);
      if (gp_columns_of(ci) > ci_w[j]) ci_w[j] = gp_columns_of(ci);
      if (gp_columns_of(df) > df_w[j]) df_w[j] = gp_columns_of(df);
    }
    w[j] = ci_w[j] + (p != t->base ? GP_COLUMNS_GAP + df_w[j] : 0);
  }
  legend |= head_of(hb, sizeof hb, t, t->base) == hb;
  for (size_t j = 0; legend && j < n; j++)
    if (head_of(h, sizeof h, t, t->sel[j]) == h) fprintf(f, "  %s: %s\n", h, t->name[t->sel[j]]);
  if (legend) fputc('\n', f);
  int nb = gp_columns_blocks(w, (int)n, width, TABLE_COLUMNS, first);
  for (int b = 0; b < nb; b++) {
    if (b) fputc('\n', f);
    gp_columns_left(f, width, "metric");
    for (int j = first[b]; j < first[b + 1]; j++) {
      size_t p = t->sel[j];
      const char *hd = head_of(h, sizeof h, t, p);
      fputs("  ", f);
      gp_columns_right(f, ci_w[j], hd);
      if (p == t->base) continue;
      snprintf(dh, sizeof dh, "%s - %s", hd, head_of(hb, sizeof hb, t, t->base));
      fputs("  ", f);
      gp_columns_right(f, df_w[j], dh);
    }
    fputc('\n', f);
    for (int i = 0; i < t->nrows; i++) {
      int k = t->rows[i];
      gp_stat_title(title, sizeof title, k);
      gp_columns_left(f, width, title);
      for (int j = first[b]; j < first[b + 1]; j++) {
        cells(ci, df, sizeof ci, t, t->sel[j], k);
        fputs("  ", f);
        gp_columns_right(f, ci_w[j], ci);
        if (t->sel[j] == t->base) continue;
        fputs("  ", f);
        gp_columns_right(f, df_w[j], df);
      }
      fputc('\n', f);
    }
  }
  free(ci_w), free(df_w), free(w), free(first);
  return 0;
}

/* The file's policies, "a, b, c", into B (N bytes, at least 64). */
static const char *policy_list(char *b, size_t n, const gp_reader *r) {
  b[0] = '\0';
  for (size_t i = 0, len = 0; i < r->np && len < n - 64; i++)
    len += (size_t)snprintf(b + len, n - len, "%s%s", i ? ", " : "", r->pol[i].name);
  return b;
}

/* The policies --policy LIST names (NULL: all), and the baseline, into
 * SEL in file order; their number into *NSEL.  An unknown name is a usage
 * error that lists the file's policies. */
static int choose(gp_reader *r, const char *path, const char *list, size_t base, size_t *sel,
                  size_t *nsel, gp_err *err) {
  size_t np = r->np;
  char *want = calloc(np, 1);
  if (!want) return GP_ERR_NOMEM(err);
  want[base] = 1;
  for (const char *s = list; s && *s;) {
    size_t len = strcspn(s, ",");
    size_t p = 0;
    while (p < np && !(strlen(r->pol[p].name) == len && strncmp(r->pol[p].name, s, len) == 0)) p++;
    if (p == np) {
      char names[512];
      GP_ERR(err, GP_EX_USAGE, "%s: --policy: no policy \"%.*s\" (the file has: %s)", path,
             (int)len, s, policy_list(names, sizeof names, r));
      free(want);
      return -1;
    }
    want[p] = 1;
    s += len + (s[len] == ',');
  }
  *nsel = 0;
  for (size_t p = 0; p < np; p++)
    if (want[p] || !list) sel[(*nsel)++] = p;
  free(want);
  return 0;
}

int gp_compare_print(FILE *f, const char *path, const gp_compare_opts *o, gp_err *err) {
  gp_reader *r = gp_reader_open(path, o->point, err);
  if (!r) return -1;
  int rc = -1, nm = gp_stat_count();
  gp_stat_row *stats = NULL, *diff = NULL;
  int *order = NULL;
  size_t base = 0, np = r->np, nsel = 0, *sel = NULL;
  char **name = NULL; /* the policies' names, escaped; then the file's title and its path */
  if (o->baseline) {
    int b = gp_reader_policy_index(r, o->baseline);
    if (b < 0) {
      char list[512];
      GP_ERR(err, GP_EX_USAGE, "%s: no policy \"%s\" (the file has: %s)", path, o->baseline,
             policy_list(list, sizeof list, r));
      goto done;
    }
    base = (size_t)b;
  }
  if (!(sel = malloc((np ? np : 1) * sizeof *sel))) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (choose(r, path, o->policies, base, sel, &nsel, err)) goto done;
  if (!(stats = gp_reader_stats(r, 0, 0, err)) || !(diff = gp_reader_stats(r, 1, base, err)))
    goto done;
  if (gp_interrupted) { /* SIGINT or SIGTERM while reading: print nothing */
    GP_ERR(err, GP_EX_SIGNAL + gp_interrupted, "interrupted by signal %d", (int)gp_interrupted);
    goto done;
  }
  /* Names from the file, and its path, are printed escaped (sim/escape.h). */
  if (!(name = calloc(np + 2, sizeof *name))) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  /* The first line says what the file is: its scenario, the overrides,
   * the sweep point and the seed (issue 17, item 4). */
  char *what = gp_reader_title(r);
  for (size_t p = 0; what && p < np + 2; p++)
    if (!(name[p] = gp_escape_dup(p < np ? r->pol[p].name : p == np ? what : path))) break;
  if (!what || !name[np + 1]) {
    free(what);
    GP_ERR_NOMEM(err);
    goto done;
  }
  free(what);

  const char *prefix = r->base;
  /* An interrupted run says so first (issue 17, item 5): its figures are
   * those of the replications it finished, fewer than it was asked for. */
  if (r->complete == 0) {
    fprintf(f,
            "INCOMPLETE RUN: %s was interrupted (complete = false): the figures below are from "
            "the %zu replication%s it finished",
            name[np + 1], r->nreps, r->nreps == 1 ? "" : "s");
    if (isfinite(r->requested)) fprintf(f, " of %.0f requested", r->requested);
    fputs(".\n", f);
  }
  fprintf(f, "%s: %zu replication%s, %zu polic%s", name[np], r->nreps, r->nreps == 1 ? "" : "s",
          np, np == 1 ? "y" : "ies");
  if (nsel < np) fprintf(f, ", %zu shown (--policy)", nsel);
  fprintf(f, " (%s%s%s)\n", name[np + 1], prefix[0] ? ", " : "", prefix[0] ? prefix + 1 : "");
  long family = 0;
  if (!o->unadjusted && nsel > 1 &&
      (family = holm(diff, sel, nsel, nm, base, o->all, err)) < 0)
    goto done;
  if (nsel == 1)
    fprintf(f, "mean ± 95%% half-width; one policy: no differences to compare\n\n");
  else if (o->unadjusted)
    fprintf(f,
            "mean ± 95%% half-width; differences against %s are paired (same world in each\n"
            "replication), with their 95%% interval, unadjusted: each alone has a 5%% chance of a\n"
            "false alarm; * = the interval excludes 0\n\n",
            name[base]);
  else
    fprintf(f,
            "mean ± 95%% half-width; differences against %s are paired (same world in each\n"
            "replication), judged by Holm's method as one family: the %ld differences shown that\n"
            "can be tested (each metric shown x each %spolicy against %s), 5%% familywise; each\n"
            "interval at the level of the Holm step that judged it; * = significant after the\n"
            "adjustment (--unadjusted: each its own 95%% interval)\n\n",
            name[base], family, nsel < np ? "--policy " : "", name[base]);
  /* Tables' order: what qualifies a metric right after it (GPU-hours granted
   * after acceptance, issue 17, item 2), the parts of a breakdown right after
   * their whole: the same rows, in the same order, as run's summary. */
  if (!(order = malloc((size_t)(nm ? nm : 1) * sizeof *order))) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  table t = {stats, diff, name, sel, nsel, base, np, nm, order,
             gp_stat_table_order(order, o->all ? 0 : GP_SHOW_RUN)};
  if (o->wide) print_wide(f, &t);
  else if (print_blocks(f, &t, err)) goto done;
  if (nsel > 1 && print_best(f, r, name, sel, nsel, o->all, err)) goto done;
  if (print_plan(f, r, err)) goto done;
  rc = 0;
done:
  for (size_t p = 0; name && p < np + 2; p++) free(name[p]);
  free(name);
  free(stats);
  free(diff);
  free(order);
  free(sel);
  gp_reader_close(r);
  return rc;
}
