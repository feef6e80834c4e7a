/*
 * analysis/compare.c - paired comparison of the policies in a result file
 * (see compare.h).
 *
 * Statistics are recomputed from the summaries (gp_reader_stats), so the
 * table is the same as the file's /stats and /compare groups by
 * construction.  Which metrics are shown (GP_SHOW_RUN; every one with
 * --all), their unit, scale and decimals come from the metric catalogue
 * (models/results/metrics.c); a row is named by the metric's field name, as
 * in the file and the CSV export.  Names from the file are printed escaped
 * (sim/escape.h).  Differences get more decimals than the
 * catalogue's when their interval needs them, so that no interval reads as
 * [+0.0, +0.0] unless it is.
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
#include "models/scenario/date.h"
#include "sim/escape.h"
#include "sim/interrupt.h"

/* The row title: the field, and the unit shown when it is not the field's
 * own (a rate in %, money in bn KRW). */
static void title_of(char *b, size_t n, const gp_field *f) {
  const gp_metric_view *v = f->view;
  if (v->scale != 1 || strcmp(v->shown, f->unit) != 0)
    snprintf(b, n, "%s (%s)", f->name, v->shown);
  else
    snprintf(b, n, "%s", f->name);
}

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
  else if (isnan(r->half_width))
    snprintf(b, n, "%+.*f", d, r->mean * k);
  else {
    int sig = r->lo > 0 || r->hi < 0;
    snprintf(b, n, "%+.*f [%+.*f, %+.*f]%s", d, r->mean * k, d, r->lo * k, d, r->hi * k,
             sig ? " *" : "");
  }
}

/* The decimals of a row of differences: the catalogue's, or as many as the
 * narrowest interval of the row needs to show two significant digits. */
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

/* Holm's adjustment of the differences shown (DIFF: np x nm, BASE's row
 * left out), in place.  Returns the family's size, or -1 (ERR set). */
static long holm(gp_stat_row *diff, size_t np, int nm, size_t base, int all, gp_err *err) {
  gp_stat_row **fam = malloc((np * (size_t)nm + 1) * sizeof *fam);
  if (!fam) return GP_ERR_NOMEM(err), -1;
  size_t m = 0;
  for (int k = 0; k < nm; k++)
    for (size_t p = 0; p < np; p++)
      if (p != base && shown(gp_stat_field(k), all)) fam[m++] = &diff[p * (size_t)nm + (size_t)k];
  long tested = gp_verdict_holm(fam, m, 0.05, NULL);
  free(fam);
  if (tested < 0) GP_ERR_NOMEM(err);
  return tested;
}

/* Multiple comparison with the best of the metrics shown that have a better
 * direction, one line each: "the best: P; may be the best: Q (within X
 * UNIT of the best), ...; not the best: R (within Y UNIT), ...", or that
 * every policy gave the same in every replication. */
static int print_best(FILE *f, gp_reader *r, char **name, int all, gp_err *err) {
  size_t np = r->np;
  gp_mcb *m = malloc(np * sizeof *m);
  const gp_summary_row **sum = malloc(np * sizeof *sum);
  if (!m || !sum) {
    free(m), free(sum);
    return GP_ERR_NOMEM(err);
  }
  for (size_t p = 0; p < np; p++) sum[p] = r->pol[p].sum;
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
    fprintf(f, "  %s (%s is better): ", fd->name,
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
  free(m), free(sum);
  return 0;
}

int gp_compare_print(FILE *f, const char *path, const gp_compare_opts *o, gp_err *err) {
  gp_reader *r = gp_reader_open(path, o->point, err);
  if (!r) return -1;
  int rc = -1, nm = gp_stat_count();
  gp_stat_row *stats = NULL, *diff = NULL;
  int *order = NULL;
  size_t base = 0, np = r->np;
  char **name = NULL; /* the policies' names, escaped; then the file's title and its path */
  if (o->baseline) {
    int b = gp_reader_policy_index(r, o->baseline);
    if (b < 0) {
      char list[512] = "";
      for (size_t i = 0, len = 0; i < np && len < sizeof list - 64; i++)
        len +=
            (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", r->pol[i].name);
      GP_ERR(err, GP_EX_USAGE, "%s: no policy \"%s\" (the file has: %s)", path, o->baseline, list);
      goto done;
    }
    base = (size_t)b;
  }
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
  fprintf(f, "%s: %zu replication%s, %zu polic%s (%s%s%s)\n", name[np], r->nreps,
          r->nreps == 1 ? "" : "s", np, np == 1 ? "y" : "ies", name[np + 1], prefix[0] ? ", " : "",
          prefix[0] ? prefix + 1 : "");
  long family = 0;
  if (!o->unadjusted && np > 1 && (family = holm(diff, np, nm, base, o->all, err)) < 0) goto done;
  if (np == 1)
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
            "can be tested (each metric shown x each policy against %s), 5%% familywise; each\n"
            "interval at the level of the Holm step that judged it; * = significant after the\n"
            "adjustment (--unadjusted: each its own 95%% interval)\n\n",
            name[base], family, name[base]);
  int width = 30;
  for (int k = 0; k < nm; k++) {
    char title[128];
    title_of(title, sizeof title, gp_stat_field(k));
    if (shown(gp_stat_field(k), o->all) && (int)strlen(title) + 1 > width)
      width = (int)strlen(title) + 1;
  }
  fprintf(f, "%-*s", width, "metric");
  for (size_t p = 0; p < np; p++) fprintf(f, " %22s", name[p]);
  for (size_t p = 0; p < np; p++)
    if (p != base) {
      char head[128];
      snprintf(head, sizeof head, "%s - %s", name[p], name[base]);
      fprintf(f, " %34s", head);
    }
  fputc('\n', f);
  /* Tables' order: what qualifies a metric right after it (GPU-hours granted
   * after acceptance, issue 17, item 2). */
  if (!(order = malloc((size_t)(nm ? nm : 1) * sizeof *order))) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  gp_stat_shown_order(order);
  for (int i = 0; i < nm; i++) {
    int k = order[i];
    const gp_field *fd = gp_stat_field(k);
    if (!shown(fd, o->all)) continue;
    char title[128];
    title_of(title, sizeof title, fd);
    fprintf(f, "%-*s", width, title);
    const gp_metric_view *v = fd->view;
    int dd = diff_decimals(diff + k, (size_t)nm, np, base, v);
    for (size_t p = 0; p < np; p++) {
      char b[64];
      cell_ci(b, sizeof b, &stats[p * (size_t)nm + (size_t)k], v->scale, v->decimals);
      fprintf(f, " %22s", b);
    }
    for (size_t p = 0; p < np; p++)
      if (p != base) {
        char b[96];
        cell_diff(b, sizeof b, &diff[p * (size_t)nm + (size_t)k], v->scale, dd);
        fprintf(f, " %34s", b);
      }
    fputc('\n', f);
  }
  if (np > 1 && print_best(f, r, name, o->all, err)) goto done;
  if (print_plan(f, r, err)) goto done;
  rc = 0;
done:
  for (size_t p = 0; name && p < np + 2; p++) free(name[p]);
  free(name);
  free(stats);
  free(diff);
  free(order);
  gp_reader_close(r);
  return rc;
}
