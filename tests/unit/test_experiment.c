/*
 * tests/unit/test_experiment.c - the experiment stage (models/experiment/):
 * the plan `gpuplan run` builds (sweep points, overrides, --policy, a
 * failing point named; --sweep values: exact ranges, lists, JSON arrays),
 * progress through the callback, an interrupt that
 * keeps the detailed replications of every policy (issue 16, item 1), and
 * the console summary read off the metric catalogue.
 *
 * Runs from the repository's root (tests/run.sh does): it reads
 * scenarios/validation/mmc.json, shortened to a year and a half.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/experiment/experiment.h"
#include "models/experiment/plan.h"
#include "models/experiment/sweep.h"
#include "models/results/h5in.h"
#include "models/results/results.h"
#include "models/rules/registry.h"
#include "sim/interrupt.h"
#include "tests/test.h"

#define MMC "scenarios/validation/mmc.json"
/* Two policies that decide differently (fcfs and score selection), one
 * year and a half, so that a run takes milliseconds. */
static const char *const short_mmc[] = {
    "end=\"2001-07-01\"", "measure_from=\"2000-07-01\"",
    "policies=[{\"name\": \"a\", \"selection\": \"fcfs\", \"scheduling\": \"fcfs\"},"
    " {\"name\": \"b\", \"selection\": \"score\", \"scheduling\": \"easy\"}]"};

static gp_err err;

static gp_plan_spec mmc_spec(long long reps, long long detail) {
  gp_plan_spec sp = {MMC, GP_OVERRIDES_NONE, NULL, 0, NULL};
  sp.ov.reps = reps;
  sp.ov.detail = detail;
  sp.ov.sets = short_mmc;
  sp.ov.nsets = 3;
  return sp;
}

static void test_plan_sweep(void) {
  const char *sweeps[] = {"policies[0].selection=fcfs,score", "seed=1:3:1"};
  gp_plan_spec sp = mmc_spec(2, -2);
  sp.sweeps = sweeps;
  sp.nsweeps = 2;
  gp_err_clear(&err);
  gp_plan *pl = gp_plan_load(&sp, &err);
  if (!pl) TEST_FAIL_("%s", err.msg);
  /* The cartesian product, the last dimension fastest; each point has its
   * own values and the base overrides. */
  ASSERT_EQ(pl->npoints, 6);
  ASSERT(gp_plan_swept(pl));
  ASSERT_EQ(pl->base->replications, 2);
  ASSERT_STR_EQ(pl->base->policies[0].selection->name, "fcfs");
  for (int k = 0; k < 6; k++) {
    ASSERT_EQ(pl->points[k].nsets, 2);
    ASSERT_EQ(pl->points[k].s->replications, 2);
    ASSERT_EQ(pl->points[k].s->npolicies, 2);
    ASSERT_STR_EQ(pl->points[k].s->policies[0].selection->name, k < 3 ? "fcfs" : "score");
    ASSERT_EQ(pl->points[k].s->seed, 1 + k % 3);
  }
  ASSERT_STR_EQ(pl->points[4].sets[0], "policies[0].selection=\"score\"");
  ASSERT_STR_EQ(pl->points[4].sets[1], "seed=2");
  gp_plan_free(pl);
}

/* The values of --sweep ARG, space-separated, or "error CODE". */
static const char *sweep_values(const char *arg) {
  static char out[1024];
  gp_sweep *sw = gp_sweep_new();
  gp_err_clear(&err);
  if (!sw || gp_sweep_add_arg(sw, arg, &err)) {
    snprintf(out, sizeof out, "error %d", err.code);
  } else {
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0; i < sw->dims[0].nvalues && at < sizeof out; i++)
      at += (size_t)snprintf(out + at, sizeof out - at, "%s%s", i ? " " : "", sw->dims[0].values[i]);
  }
  gp_sweep_free(sw);
  return out;
}

static void test_sweep_values(void) {
  /* Ranges are exact: worked out in decimal, printed as such (issue 16,
   * item 6: %.12g made these seeds three identical points). */
  ASSERT_STR_EQ(sweep_values("seed=1234567890123:1234567890125:1"),
                "1234567890123 1234567890124 1234567890125");
  ASSERT_STR_EQ(sweep_values("x=0:0.5:0.1"), "0 0.1 0.2 0.3 0.4 0.5");
  ASSERT_STR_EQ(sweep_values("x=-1.5:-0.5:0.25"), "-1.5 -1.25 -1 -0.75 -0.5");
  ASSERT_STR_EQ(sweep_values("x=1e6:3e6:1e6"), "1000000 2000000 3000000");
  ASSERT_STR_EQ(sweep_values("x=0.001:0.0025:0.0005"), "0.001 0.0015 0.002 0.0025");
  ASSERT_STR_EQ(sweep_values("x=1e-30:3e-30:1e-30"), "1e-30 2e-30 3e-30");
  ASSERT_STR_EQ(sweep_values("x=5:5:1"), "5");
  ASSERT_STR_EQ(sweep_values("x=1:2.5:1"), "1 2"); /* TO need not be reached */
  /* Lists: JSON when the whole value is, else a string; a JSON array holds
   * anything but null, ',' and ':' included. */
  ASSERT_STR_EQ(sweep_values("x=40,true,fcfs,\"a\",2026-03-01,0x10"),
                "40 true \"fcfs\" \"a\" \"2026-03-01\" \"0x10\"");
  ASSERT_STR_EQ(sweep_values("x=[{\"a\": 1}, \"b:c, d\", [1, 2], 3]"), "{\"a\":1} \"b:c, d\" [1,2] 3");
  /* Refused, as usage errors. */
  ASSERT_STR_EQ(sweep_values("x=1:2"), "error 64");
  ASSERT_STR_EQ(sweep_values("x=2:1:1"), "error 64");
  ASSERT_STR_EQ(sweep_values("x=1:2:0"), "error 64");
  ASSERT_STR_EQ(sweep_values("x=0x1:2:1"), "error 64");
  ASSERT_STR_EQ(sweep_values("x=a:b,c"), "error 64");
  ASSERT_CONTAINS(err.msg, "goes in a JSON array");
  ASSERT_STR_EQ(sweep_values("x=12345678901234567890:12345678901234567892:1"), "error 64");
  ASSERT_CONTAINS(err.msg, "at most 18 significant digits");
  ASSERT_STR_EQ(sweep_values("x=[1, null]"), "error 64");
  ASSERT_STR_EQ(sweep_values("x=[]"), "error 64");
  ASSERT_STR_EQ(sweep_values("x=[1,"), "error 64");
  ASSERT_STR_EQ(sweep_values("x=1,,2"), "error 64");
  ASSERT_STR_EQ(sweep_values("x=0:1000000:1"), "error 64"); /* more than GP_SWEEP_MAX_POINTS */
}

static void test_plan_builtin_and_policies(void) {
  gp_plan_spec sp = {NULL, GP_OVERRIDES_NONE, NULL, 0, "fcfs,score"};
  gp_err_clear(&err);
  gp_plan *pl = gp_plan_load(&sp, &err);
  if (!pl) TEST_FAIL_("%s", err.msg);
  /* One plain point: the tree at the root; --policy selects in the point
   * only (the base keeps every policy for /scenario). */
  ASSERT_EQ(pl->npoints, 1);
  ASSERT(!gp_plan_swept(pl));
  ASSERT_EQ(pl->points[0].nsets, 0);
  ASSERT_STR_EQ(pl->base->name, "baseline");
  ASSERT_EQ(pl->points[0].s->npolicies, 2);
  ASSERT_STR_EQ(pl->points[0].s->policies[0].name, "fcfs");
  ASSERT_GT(pl->base->npolicies, 2);
  gp_plan_free(pl);
}

static void test_plan_errors(void) {
  const char *bad[] = {"review.reviewers=5,-1"};
  gp_plan_spec sp = {NULL, GP_OVERRIDES_NONE, bad, 1, NULL};
  gp_err_clear(&err);
  ASSERT(gp_plan_load(&sp, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  ASSERT_CONTAINS(err.msg, "(sweep point 1: review.reviewers=-1)");

  gp_plan_spec unknown = {NULL, GP_OVERRIDES_NONE, NULL, 0, "nope"};
  gp_err_clear(&err);
  ASSERT(gp_plan_load(&unknown, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_USAGE);
  ASSERT_CONTAINS(err.msg, "no policy \"nope\"");

  gp_plan_spec missing = {"tests/no-such-scenario.json", GP_OVERRIDES_NONE, NULL, 0, NULL};
  gp_err_clear(&err);
  ASSERT(gp_plan_load(&missing, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_NOINPUT);
}

/* Progress seen by the callback; with STOP_AT > 0 it raises the interrupt
 * once that many replications are done. */
typedef struct seen {
  int calls, finals, last_done, last_total, stop_at, backwards;
} seen;

static void on_progress(void *ctx, const gp_workers_status *st) {
  seen *s = ctx;
  int done = st->done, total = st->total, final = st->final;
  s->calls++;
  s->finals += final;
  if (done < s->last_done) s->backwards = 1;
  s->last_done = done;
  s->last_total = total;
  if (s->stop_at && done == s->stop_at) gp_interrupted = SIGINT;
}

static char tmp_dir[64];

static const char *tmp_path(const char *name) {
  static char bufs[4][128];
  static int next;
  char *b = bufs[next++ % 4];
  snprintf(b, sizeof bufs[0], "%s/%s", tmp_dir, name);
  return b;
}

static void test_progress(void) {
  gp_plan_spec sp = mmc_spec(5, 1);
  gp_err_clear(&err);
  gp_plan *pl = gp_plan_load(&sp, &err);
  if (!pl) TEST_FAIL_("%s", err.msg);
  seen s = {0, 0, 0, 0, 0, 0};
  gp_experiment_opts o = {tmp_path("progress.h5"), 2, 0, 0, NULL, on_progress, &s, 0};
  int rc = gp_experiment_run(pl, &o, &err);
  gp_plan_free(pl);
  if (rc) TEST_FAIL_("%s", err.msg);
  /* Once per replication, then once more, final, with everything done. */
  ASSERT_EQ(s.calls, 6);
  ASSERT_EQ(s.finals, 1);
  ASSERT_EQ(s.last_done, 5);
  ASSERT_EQ(s.last_total, 5);
  ASSERT(!s.backwards);
}

/* The proposal rows of policy P in the file at PATH (malloc'd). */
static gp_proposal_row *proposals(const char *path, const char *p, size_t *n) {
  char dpath[64];
  snprintf(dpath, sizeof dpath, "/policies/%s/proposals", p);
  const char *gpu[] = {"GPU"};
  gp_field fields[GP_PROPOSAL_NFIELDS];
  gp_table_desc d;
  gp_proposal_desc_init(&d, fields, gpu, 1);
  gp_h5in *h = gp_h5in_open(path, &err);
  gp_proposal_row *rows = h ? gp_h5in_table(h, dpath, &d, n, &err) : NULL;
  gp_h5in_close(h);
  return rows;
}

static void test_interrupt_keeps_every_policy(void) {
  /* One thread, 4 replications all detailed; the interrupt comes when the
   * first is done: the file holds replication 0 of both policies, exactly
   * as a complete run of one replication writes it.  (With the detail
   * array indexed by the lowered count, policy b read policy a's slot of
   * replication 1, never run: no rows, or a crash.) */
  gp_plan_spec sp = mmc_spec(4, -1);
  gp_err_clear(&err);
  gp_plan *pl = gp_plan_load(&sp, &err);
  if (!pl) TEST_FAIL_("%s", err.msg);
  seen s = {0, 0, 0, 0, 1, 0};
  gp_experiment_opts o = {tmp_path("cut.h5"), 1, 0, 0, NULL, on_progress, &s, 0};
  int rc = gp_experiment_run(pl, &o, &err);
  gp_interrupted = 0;
  gp_plan_free(pl);
  ASSERT_EQ(rc, -1);
  ASSERT_EQ(err.code, GP_EX_SIGNAL + SIGINT);
  ASSERT_CONTAINS(err.msg, "wrote 1 of 4 replications");

  sp = mmc_spec(1, -1);
  gp_err_clear(&err);
  pl = gp_plan_load(&sp, &err);
  if (!pl) TEST_FAIL_("%s", err.msg);
  gp_experiment_opts full = {tmp_path("one.h5"), 1, 0, 0, NULL, NULL, NULL, 0};
  rc = gp_experiment_run(pl, &full, &err);
  gp_plan_free(pl);
  if (rc) TEST_FAIL_("%s", err.msg);
  for (int p = 0; p < 2; p++) {
    size_t n_cut = 0, n_one = 0;
    gp_err_clear(&err);
    gp_proposal_row *cut = proposals(tmp_path("cut.h5"), p ? "b" : "a", &n_cut);
    gp_proposal_row *one = proposals(tmp_path("one.h5"), p ? "b" : "a", &n_one);
    int same = cut && one && n_cut == n_one && memcmp(cut, one, n_cut * sizeof *cut) == 0;
    free(cut);
    free(one);
    if (err.code) TEST_FAIL_("%s", err.msg);
    ASSERT_GT(n_one, 100);
    ASSERT_EQ(n_cut, n_one);
    ASSERT(same);
  }
}

/* Root attribute NAME of the file at PATH (NaN when it cannot be read). */
static double root_attr(const char *path, const char *name) {
  gp_err e;
  gp_err_clear(&e);
  gp_h5in *h = gp_h5in_open(path, &e);
  double v = NAN;
  if (h && gp_h5in_attr_double(h, "/", name, &v, &e)) v = NAN;
  gp_h5in_close(h);
  return v;
}

/* Summary rows of policy "a" under PREFIX ("" or "/points/K") in PATH. */
static size_t summary_rows(const char *path, const char *prefix) {
  char dpath[64];
  snprintf(dpath, sizeof dpath, "%s/policies/a/summary", prefix);
  gp_err e;
  gp_err_clear(&e);
  gp_h5in *h = gp_h5in_open(path, &e);
  size_t n = 0;
  void *rows = h ? gp_h5in_table(h, dpath, &gp_summary_desc, &n, &e) : NULL;
  free(rows);
  gp_h5in_close(h);
  return rows ? n : 0;
}

static void test_interrupt_counts_agree(void) {
  /* A precision run interrupted after 7 replications, batches of 2, at most
   * 40: the message and the file say the same, 7 of up to 40 (issue 16,
   * item 6: "wrote 7 of 2 replications", and 2 requested in the file). */
  gp_plan_spec sp = mmc_spec(2, -1);
  gp_err_clear(&err);
  gp_plan *pl = gp_plan_load(&sp, &err);
  if (!pl) TEST_FAIL_("%s", err.msg);
  seen s = {0, 0, 0, 0, 7, 0};
  gp_experiment_opts o = {tmp_path("prec-cut.h5"), 1, 1e-9, 40, NULL, on_progress, &s, 0};
  int rc = gp_experiment_run(pl, &o, &err);
  gp_interrupted = 0;
  gp_plan_free(pl);
  ASSERT_EQ(rc, -1);
  ASSERT_EQ(err.code, GP_EX_SIGNAL + SIGINT);
  ASSERT_CONTAINS(err.msg, "wrote 7 of up to 40 replications to ");
  ASSERT_DBL_EQ(root_attr(tmp_path("prec-cut.h5"), "replications"), 7);
  ASSERT_DBL_EQ(root_attr(tmp_path("prec-cut.h5"), "replications_requested"), 40);
  ASSERT_DBL_EQ(root_attr(tmp_path("prec-cut.h5"), "detail_replications"), 7);
  ASSERT_DBL_EQ(root_attr(tmp_path("prec-cut.h5"), "complete"), 0);
  ASSERT_EQ(summary_rows(tmp_path("prec-cut.h5"), ""), 7);

  /* A sweep of two points of 3 replications, interrupted after 4: point 0
   * whole, point 1 with 1; the message names both counts, the file holds
   * them (the root's replications the fewest). */
  const char *sweeps[] = {"seed=1,2"};
  sp = mmc_spec(3, -1);
  sp.sweeps = sweeps;
  sp.nsweeps = 1;
  gp_err_clear(&err);
  pl = gp_plan_load(&sp, &err);
  if (!pl) TEST_FAIL_("%s", err.msg);
  seen s2 = {0, 0, 0, 0, 4, 0};
  gp_experiment_opts o2 = {tmp_path("sweep-cut.h5"), 1, 0, 0, NULL, on_progress, &s2, 0};
  rc = gp_experiment_run(pl, &o2, &err);
  gp_interrupted = 0;
  gp_plan_free(pl);
  ASSERT_EQ(rc, -1);
  ASSERT_CONTAINS(err.msg, "wrote 2 of 2 sweep points, the last with 1 of 3 replications, to ");
  ASSERT_DBL_EQ(root_attr(tmp_path("sweep-cut.h5"), "points"), 2);
  ASSERT_DBL_EQ(root_attr(tmp_path("sweep-cut.h5"), "replications"), 1);
  ASSERT_DBL_EQ(root_attr(tmp_path("sweep-cut.h5"), "detail_replications"), 3);
  ASSERT_DBL_EQ(root_attr(tmp_path("sweep-cut.h5"), "replications_requested"), 3);
  ASSERT_EQ(summary_rows(tmp_path("sweep-cut.h5"), "/points/0"), 3);
  ASSERT_EQ(summary_rows(tmp_path("sweep-cut.h5"), "/points/1"), 1);
}

/* The line of TEXT that starts with LABEL followed by two spaces (a row of
 * the table), as an offset; -1 when none. */
static long row_at(const char *text, const char *label) {
  size_t n = strlen(label);
  for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
    if (strncmp(p, label, n) == 0 && p[n] == ' ' && p[n + 1] == ' ') return (long)(p - text);
  return -1;
}

static void test_console_reads_the_catalogue(void) {
  gp_plan_spec sp = mmc_spec(3, 0);
  gp_err_clear(&err);
  gp_plan *pl = gp_plan_load(&sp, &err);
  if (!pl) TEST_FAIL_("%s", err.msg);
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  ASSERT(f != NULL);
  gp_experiment_opts o = {tmp_path("console.h5"), 2, 0, 0, f, NULL, NULL, 0};
  int rc = gp_experiment_run(pl, &o, &err);
  fclose(f);
  gp_plan_free(pl);
  if (rc) {
    free(text);
    TEST_FAIL_("%s", err.msg);
  }
  /* Every metric the catalogue shows in `run` with a number here has its
   * row, in catalogue order, the sector rates under the acceptance rate;
   * the sectors that never apply (mmc is all academia) and the target
   * rows (no target) are left out; nothing else is shown. */
  long acc = row_at(text, "acceptance rate (%)"), acad = row_at(text, "  academia"),
       dec = row_at(text, "days to decision"), gpu = row_at(text, "days to GPU"),
       sub = row_at(text, "subsidy (bn KRW)");
  long ind = row_at(text, "  industry"), gap = row_at(text, "gap to target (GPUs)"),
       queue = row_at(text, "days in queue (days)");
  int rows = 0;
  for (const char *p = strstr(text, "\nmetric "); p && (p = strchr(p + 1, '\n')) && p[1];) rows++;
  free(text);
  ASSERT_GE(acc, 0);
  ASSERT_GT(acad, acc);
  ASSERT_GT(dec, acad);
  ASSERT_GT(gpu, dec);
  ASSERT_GT(sub, gpu);
  ASSERT_EQ(ind, -1);
  ASSERT_EQ(gap, -1);
  ASSERT_EQ(queue, -1); /* not a GP_SHOW_RUN metric */
  int expect = 0;
  for (int i = 0; i < gp_summary_desc.nfields; i++) {
    const gp_field *fd = &gp_summary_desc.fields[i];
    if (!fd->view || !(fd->view->where & GP_SHOW_RUN)) continue;
    expect++;
  }
  /* Shown in run: 18 metrics, GPU-hours granted and the share granted
   * (issue 17), and 3 of the tails (p90 of days to decision and to GPU, the
   * worst sector's days to GPU: issue 19); here 4 sectors and 2 target rows
   * have no number. */
  ASSERT_EQ(expect, 23);
  ASSERT_EQ(rows, expect - 6);
}

int main(void) {
  snprintf(tmp_dir, sizeof tmp_dir, "/tmp/gp_test_experiment_XXXXXX");
  if (!mkdtemp(tmp_dir)) {
    perror("mkdtemp");
    return 1;
  }
  RUN(test_plan_sweep);
  RUN(test_sweep_values);
  RUN(test_plan_builtin_and_policies);
  RUN(test_plan_errors);
  RUN(test_progress);
  RUN(test_interrupt_keeps_every_policy);
  RUN(test_interrupt_counts_agree);
  RUN(test_console_reads_the_catalogue);
  const char *files[] = {"progress.h5", "cut.h5", "one.h5", "console.h5", "prec-cut.h5", "sweep-cut.h5"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) unlink(tmp_path(files[i]));
  rmdir(tmp_dir);
  TEST_EXIT();
}
