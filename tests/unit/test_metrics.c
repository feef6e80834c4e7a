/*
 * tests/unit/test_metrics.c - the metric catalogue (models/results/metrics.c)
 * and what reads it: its rules, the documentation check (docs/output.md's
 * summary table agrees with the catalogue, row for row), verdicts
 * (analysis/verdict.c) and numbers for people (analysis/format.c).
 *
 * Run from the repository root (tests/run.sh does): it reads docs/output.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/format.h"
#include "analysis/verdict.h"
#include "models/results/metrics.h"
#include "sim/stats.h"
#include "tests/test.h"

#define DOC "docs/output.md"
#define MAX_FIELDS 256 /* summary fields check_doc can count */

/* ---- the catalogue's rules ---- */

static void test_catalogue(void) {
  int nm = gp_stat_count();
  ASSERT_GT(nm, 0);
  ASSERT_EQ(nm, gp_summary_desc.nfields - 1); /* every field but rep */
  for (int k = 0; k < nm; k++) {
    const gp_field *f = gp_stat_field(k);
    const gp_metric_view *v = f->view;
    ASSERT(v != NULL);
    ASSERT_STR_EQ(gp_stat_metric_names[k], f->name);
    ASSERT_EQ(gp_stat_index(f->name), k);
    ASSERT(gp_metric_find(f->name) == f);
    /* Every reader finds all it needs. */
    ASSERT(v->label && v->label[strspn(v->label, " ")]);
    ASSERT(v->phrase && v->phrase[0] && v->shown && v->shown[0]);
    ASSERT(v->up && v->up[0] && v->down && v->down[0]);
    ASSERT(isfinite(v->scale) && v->scale > 0);
    ASSERT(v->decimals >= 0 && v->decimals <= 6);
    ASSERT(v->better == GP_BETTER_LOWER || v->better == GP_BETTER_NEITHER ||
           v->better == GP_BETTER_HIGHER);
    ASSERT_EQ(v->where & ~(unsigned)(GP_SHOW_RUN | GP_SHOW_REPORT | GP_SHOW_PLOT), 0);
    /* A rate shown in % changes in percentage points, not in %. */
    if (strcmp(v->shown, "%") == 0) ASSERT(v->delta && strcmp(v->delta, "percentage points") == 0);
    if (!v->group) continue;
    /* A part of a breakdown by sector: named GROUP_SECTOR, its group a whole
     * metric shown the same way (the report words the parts with the
     * group's phrase, unit and scale). */
    ASSERT(v->sector >= 0 && v->sector < GP_NSECTORS);
    char name[128];
    snprintf(name, sizeof name, "%s_%s", v->group, gp_sector_names[v->sector]);
    ASSERT_STR_EQ(f->name, name);
    int g = gp_stat_index(v->group);
    ASSERT(g >= 0);
    const gp_metric_view *w = gp_stat_field(g)->view;
    ASSERT(w->group == NULL);
    ASSERT_STR_EQ(v->shown, w->shown);
    ASSERT_DBL_EQ(v->scale, w->scale);
    ASSERT_EQ(v->better, w->better);
    ASSERT((v->delta == NULL) == (w->delta == NULL));
    if (v->delta) ASSERT_STR_EQ(v->delta, w->delta);
  }
  ASSERT_EQ(gp_stat_index("rep"), -1);
  ASSERT_EQ(gp_stat_index("no_such_metric"), -1);
  for (int s = 0; s < GP_NSECTORS; s++) ASSERT(gp_sector_words[s] && gp_sector_words[s][0]);
}

/* ---- docs/output.md ---- */

/* The row docs/output.md must have for summary field F. */
static void expected_row(const gp_field *f, char *b, size_t n) {
  const char *type = f->type == GP_F_INT32 ? "int32" : f->type == GP_F_INT64 ? "int64" : "float64";
  const gp_metric_view *v = f->view;
  if (!v) {
    snprintf(b, n, "| `%s` | %s | %s | %s | — | — | — |", f->name, type, f->unit, f->doc);
    return;
  }
  char scale[48] = "";
  if (v->scale != 1) {
    char g[32], *e;
    snprintf(g, sizeof g, "%g", v->scale);
    if ((e = strstr(g, "e-0")) || (e = strstr(g, "e+0"))) memmove(e + 2, e + 3, strlen(e + 3) + 1);
    snprintf(scale, sizeof scale, " (x %s)", g);
  }
  const char *better = v->better == GP_BETTER_HIGHER  ? "higher"
                       : v->better == GP_BETTER_LOWER ? "lower"
                                                      : "neither";
  snprintf(b, n, "| `%s` | %s | %s | %s | %s | %s%s | %s |", f->name, type, f->unit, f->doc,
           v->label + strspn(v->label, " "), v->shown, scale, better);
}

/* The markdown table row LINE with each cell trimmed: "| a | b |". */
static void normalise(const char *line, char *out, size_t n) {
  size_t k = 0;
  const char *p = line + strspn(line, " ");
  if (*p == '|') p++;
  out[0] = '\0';
  while (*p && *p != '\n' && k + 4 < n) {
    size_t len = strcspn(p, "|\n");
    const char *a = p, *e = p + len;
    while (a < e && *a == ' ') a++;
    while (e > a && e[-1] == ' ') e--;
    k += (size_t)snprintf(out + k, n - k, "| %.*s ", (int)(e - a), a);
    p += len;
    if (*p == '|') p++;
    if (!*p || *p == '\n' || !p[strspn(p, " \n")]) break;
  }
  if (k + 2 < n) snprintf(out + k, n - k, "|");
}

/* Check the summary table of the document at PATH; returns the number of
 * rows missing, extra or wrong (each said on stderr), -1 if unreadable. */
static int check_doc(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[2048];
  int in = 0, found[MAX_FIELDS] = {0}, bad = 0;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "#", 1) == 0) in = strstr(line, "`/policies/P/summary`") != NULL;
    if (!in || strncmp(line, "| `", 3) != 0) continue;
    size_t len = strcspn(line + 3, "`");
    int i = 0;
    while (i < gp_summary_desc.nfields &&
           !(strlen(gp_summary_desc.fields[i].name) == len &&
             strncmp(gp_summary_desc.fields[i].name, line + 3, len) == 0))
      i++;
    if (i == gp_summary_desc.nfields) {
      fprintf(stderr, "  %s: a row for %.*s, which is not a summary field\n", path, (int)len,
              line + 3);
      bad++;
      continue;
    }
    char want[2048], got[2048], norm[2048];
    expected_row(&gp_summary_desc.fields[i], want, sizeof want);
    normalise(line, got, sizeof got);
    normalise(want, norm, sizeof norm);
    if (strcmp(got, norm) != 0) {
      fprintf(stderr, "  %s: the row of %s must read\n    %s\n  and reads\n    %s\n", path,
              gp_summary_desc.fields[i].name, norm, got);
      bad++;
    }
    found[i]++;
  }
  fclose(f);
  for (int i = 0; i < gp_summary_desc.nfields; i++)
    if (found[i] != 1) {
      char want[2048];
      expected_row(&gp_summary_desc.fields[i], want, sizeof want);
      fprintf(stderr, "  %s: %d rows of %s under `/policies/P/summary`; it needs one:\n    %s\n",
              path, found[i], gp_summary_desc.fields[i].name, want);
      bad++;
    }
  return bad;
}

static void test_docs_summary_table(void) {
  ASSERT_LE(gp_summary_desc.nfields, MAX_FIELDS);
  int bad = check_doc(DOC);
  if (bad < 0) TEST_FAIL_("cannot open %s: run from the repository root", DOC);
  ASSERT_EQ(bad, 0);
}

/* The check fails on a row that disagrees with the catalogue, a row
 * missing, and a row of no summary field. */
static void test_docs_check_fails(void) {
  FILE *in = fopen(DOC, "r");
  if (!in) TEST_FAIL_("cannot open %s: run from the repository root", DOC);
  char path[] = "/tmp/gp_test_metrics_XXXXXX";
  int fd = mkstemp(path);
  FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!out) {
    fclose(in);
    TEST_FAIL_("cannot write a temporary file");
  }
  char line[2048];
  while (fgets(line, sizeof line, in)) {
    if (strncmp(line, "| `mean_days_in_queue` |", 24) == 0) continue;
    if (strncmp(line, "| `mean_days_to_gpu` |", 22) == 0) {
      char *lower = strstr(line, "| lower |");
      if (lower) memcpy(lower, "| upper |", 9);
    }
    fputs(line, out);
    if (strncmp(line, "| `rep` |", 9) == 0) fputs("| `no_such_metric` | int32 | 1 | x |\n", out);
  }
  fclose(in);
  fclose(out);
  fprintf(stderr, "  (three problems expected:)\n");
  int bad = check_doc(path);
  remove(path);
  ASSERT_EQ(bad, 3);
}

/* ---- verdicts ---- */

static gp_stat_row diff(int n, double mean, double sd, double lo, double hi) {
  gp_stat_row r = {0, n, mean, sd, (hi - lo) / 2, lo, hi};
  return r;
}

static void test_verdicts(void) {
  gp_stat_row up = diff(5, 2, 1, 0.5, 3.5), down = diff(5, -2, 1, -3.5, -0.5);
  gp_stat_row ns = diff(5, 0.2, 1, -1, 1.4), same = diff(5, 0, 0, 0, 0);
  gp_stat_row none = diff(0, NAN, NAN, NAN, NAN), one = diff(1, 3, NAN, NAN, NAN);
  ASSERT_EQ(gp_verdict_of(&up), GP_V_UP);
  ASSERT_EQ(gp_verdict_of(&down), GP_V_DOWN);
  ASSERT_EQ(gp_verdict_of(&ns), GP_V_NS);
  ASSERT_EQ(gp_verdict_of(&same), GP_V_SAME);
  ASSERT_EQ(gp_verdict_of(&none), GP_V_NA);
  ASSERT_EQ(gp_verdict_of(&one), GP_V_NA);
  ASSERT_EQ(gp_verdict_of(NULL), GP_V_NA);
  ASSERT_STR_EQ(gp_verdict_names[GP_V_UP], "up");
  ASSERT_STR_EQ(gp_verdict_names[GP_V_SAME], "same");
  /* Fewer days is better, more acceptance is better, the subsidy neither. */
  const gp_metric_view *days = gp_metric_find("mean_days_to_gpu")->view;
  const gp_metric_view *rate = gp_metric_find("acceptance_rate")->view;
  const gp_metric_view *money = gp_metric_find("subsidy_krw")->view;
  ASSERT_EQ(gp_verdict_better(GP_V_DOWN, days->better), 1);
  ASSERT_EQ(gp_verdict_better(GP_V_UP, days->better), -1);
  ASSERT_EQ(gp_verdict_better(GP_V_UP, rate->better), 1);
  ASSERT_EQ(gp_verdict_better(GP_V_DOWN, rate->better), -1);
  ASSERT_EQ(gp_verdict_better(GP_V_UP, money->better), 0);
  ASSERT_EQ(gp_verdict_better(GP_V_NS, rate->better), 0);
  ASSERT_EQ(gp_verdict_better(GP_V_SAME, days->better), 0);
}

/* ---- numbers ---- */

static void test_format(void) {
  char b[64];
  ASSERT_STR_EQ(gp_fmt_num(b, sizeof b, 52000, 0, 0), "52,000");
  ASSERT_STR_EQ(gp_fmt_num(b, sizeof b, 1234567.891, 2, 0), "1,234,567.89");
  ASSERT_STR_EQ(gp_fmt_num(b, sizeof b, -1234.5, 1, 0), GP_FMT_MINUS "1,234.5");
  ASSERT_STR_EQ(gp_fmt_num(b, sizeof b, 3.25, 1, 1), "+3.2");
  ASSERT_STR_EQ(gp_fmt_num(b, sizeof b, -0.004, 2, 1), "0.00"); /* no sign on a rounded 0 */
  ASSERT_STR_EQ(gp_fmt_num(b, sizeof b, NAN, 2, 0), "n/a");
  ASSERT_STR_EQ(gp_fmt_num(b, sizeof b, 999, 0, 0), "999");
  /* Two significant digits of the spread; by magnitude without one. */
  ASSERT_EQ(gp_stats_decimals(123.4, 0.49), 2);
  ASSERT_EQ(gp_stats_decimals(123.4, 7.0), 1);
  ASSERT_EQ(gp_stats_decimals(123.4, 70), 0);
  ASSERT_EQ(gp_stats_decimals(123.4, 1e-9), 4);
  ASSERT_EQ(gp_stats_decimals(123.4, 0), 0);
  ASSERT_EQ(gp_stats_decimals(0.25, NAN), 3);
  ASSERT_EQ(gp_fmt_range_decimals(0, 0.4), 1);
  ASSERT_EQ(gp_fmt_nonzero_decimals(0.004, 1), 3);
  ASSERT_EQ(gp_fmt_nonzero_decimals(0, 1), 1);
  /* A metric's decimals: two significant digits of the spread, fewer than
   * the catalogue's too (issue 17, item 7); the catalogue's without one. */
  const gp_metric_view *days = gp_metric_find("mean_days_to_gpu")->view;
  ASSERT_EQ(gp_fmt_metric_decimals(days, 7.0), 1);
  ASSERT_EQ(gp_fmt_metric_decimals(days, 48.6), 0);
  ASSERT_EQ(gp_fmt_metric_decimals(days, 0.58), 2);
  ASSERT_EQ(gp_fmt_metric_decimals(days, 0.049), 3);
  ASSERT_EQ(gp_fmt_metric_decimals(days, 1e-12), 4);
  ASSERT_EQ(gp_fmt_metric_decimals(days, NAN), days->decimals);
}

/* A row's title: the label, the unit shown unless the label says it or it
 * is a part of a breakdown in its whole's unit (issue 17, item 7). */
static void test_titles(void) {
  char b[128];
  gp_stat_title(b, sizeof b, gp_stat_index("mean_days_to_gpu"));
  ASSERT_STR_EQ(b, "days to GPU");
  gp_stat_title(b, sizeof b, gp_stat_index("acceptance_rate"));
  ASSERT_STR_EQ(b, "acceptance rate (%)");
  gp_stat_title(b, sizeof b, gp_stat_index("acceptance_rate_industry"));
  ASSERT_STR_EQ(b, "  industry");
  gp_stat_title(b, sizeof b, gp_stat_index("subsidy_krw"));
  ASSERT_STR_EQ(b, "subsidy (bn KRW)");
}

/* Tables show a metric right after the one it qualifies (issue 17, item 2:
 * GPU-hours granted and the share of the request granted beside acceptance),
 * and every metric once. */
static void test_shown_order(void) {
  int nm = gp_stat_count(), order[256], seen[256] = {0};
  ASSERT(nm <= 256);
  ASSERT_EQ(gp_stat_shown_order(order), nm);
  for (int i = 0; i < nm; i++) {
    ASSERT(order[i] >= 0 && order[i] < nm);
    ASSERT_EQ(seen[order[i]]++, 0);
  }
  int at[3] = {-1, -1, -1};
  const char *names[3] = {"acceptance_rate", "gpu_hours_granted", "gpu_hours_granted_share"};
  for (int i = 0; i < nm; i++)
    for (int j = 0; j < 3; j++)
      if (order[i] == gp_stat_index(names[j])) at[j] = i;
  ASSERT(at[0] >= 0);
  ASSERT_EQ(at[1], at[0] + 1);
  ASSERT_EQ(at[2], at[1] + 1);
  /* A metric shown beside another names one that exists. */
  for (int k = 0; k < nm; k++) {
    const char *b = gp_stat_field(k)->view->beside;
    if (b) ASSERT(gp_stat_index(b) >= 0);
  }
}

int main(void) {
  RUN(test_catalogue);
  RUN(test_shown_order);
  RUN(test_titles);
  RUN(test_docs_summary_table);
  RUN(test_docs_check_fails);
  RUN(test_verdicts);
  RUN(test_format);
  TEST_EXIT();
}
