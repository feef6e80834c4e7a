/*
 * tests/unit/test_replay.c - trace replay (models/replay/replay.c) and its readers
 * (models/replay/swf.c).
 *
 * Schedules worked out by hand on small traces, with exact start times under
 * fcfs, easy and conservative; the skip rules; exact reader messages
 * (FILE:LINE:COL); and properties on random traces (fixed seeds), each
 * checked from the output schedule alone, independently of the scheduler's
 * internals: GPUs in use never exceed N, EASY never starts the first waiting
 * job later than the reservation it had when it reached the head of the
 * queue, conservative never starts a job later than its first reservation,
 * and with exact estimates fcfs and conservative start every job at the
 * earliest time their definition allows.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "models/replay/replay.h"
#include "models/replay/swf.h"
#include "sim/err.h"
#include "tests/test.h"

/* ---- helpers ---- */

static gp_trace *csv_trace(const char *text) {
  gp_err err;
  gp_err_clear(&err);
  gp_trace *t = gp_jobs_csv_parse("t.csv", text, strlen(text), &err);
  if (!t) fprintf(stderr, "  %s\n", err.msg);
  return t;
}

static gp_trace *swf_trace(const char *text) {
  gp_err err;
  gp_err_clear(&err);
  gp_trace *t = gp_swf_parse("t.swf", text, strlen(text), &err);
  if (!t) fprintf(stderr, "  %s\n", err.msg);
  return t;
}

/* The message a reader gives for TEXT ("" when it accepts it). */
static const char *csv_error(const char *text, int *code) {
  static gp_err err;
  gp_err_clear(&err);
  gp_trace *t = gp_jobs_csv_parse("t.csv", text, strlen(text), &err);
  gp_trace_free(t);
  *code = err.code;
  return t ? "" : err.msg;
}

static const char *swf_error(const char *text, int *code) {
  static gp_err err;
  gp_err_clear(&err);
  gp_trace *t = gp_swf_parse("t.swf", text, strlen(text), &err);
  gp_trace_free(t);
  *code = err.code;
  return t ? "" : err.msg;
}

/* Replay or fail the test. */
static void run(const gp_trace *t, int gpus, int per_node, gp_replay_rule rule,
                gp_replay_result *r) {
  gp_replay_opts o = {gpus, per_node, rule, NULL, NULL};
  gp_err err;
  gp_err_clear(&err);
  if (gp_replay_run(t, &o, r, &err) != 0) TEST_FAIL_("%s: %s", gp_replay_rule_names[rule], err.msg);
}

/* Replay the CSV TEXT on N GPUs under each rule; compare start times. */
static void expect_starts(const char *text, int gpus, size_t n, const double *fcfs,
                          const double *easy, const double *cons) {
  gp_trace *t = csv_trace(text);
  ASSERT(t);
  const double *want[GP_REPLAY_NRULES] = {fcfs, easy, cons};
  for (int k = 0; k < GP_REPLAY_NRULES; k++) {
    gp_replay_result r;
    run(t, gpus, 1, (gp_replay_rule)k, &r);
    ASSERT_EQ(r.njobs, n);
    for (size_t i = 0; i < n; i++) {
      if (r.jobs[i].start != want[k][i])
        TEST_FAIL_("%s: job %lld starts at %g, expected %g", gp_replay_rule_names[k],
                   (long long)r.jobs[i].id, r.jobs[i].start, want[k][i]);
      ASSERT_DBL_EQ(r.jobs[i].finish, r.jobs[i].start + r.jobs[i].runtime);
      ASSERT_DBL_EQ(r.jobs[i].wait, r.jobs[i].start - r.jobs[i].submit);
    }
    gp_replay_result_free(&r);
  }
  gp_trace_free(t);
}

/* ---- schedules worked out by hand ---- */

/* 4 GPUs.  id,submit,runtime,estimate,gpus:
 *   1: 0,10,10,2   starts 0 everywhere (2 GPUs left).
 *   2: 1,5,5,4     needs all 4: the first waiting job.  Its reservation is
 *                  10, when job 1 is expected to end; nothing is spare then
 *                  (extra = 4 - 4 = 0).
 *   3: 2,9,9,1     fits now, but 2 + 9 = 11 > 10 and it would need a spare
 *                  GPU at 10: it cannot backfill (it would delay job 2).
 *   4: 3,7,7,1     fits now and 3 + 7 = 10 <= 10: EASY backfills it at 3;
 *                  it ends exactly at job 2's reservation.
 *   5: 4,2,2,2     does not fit now (1 GPU free after job 4).
 * At 10 jobs 1 and 4 end (in start order); job 2 starts at 10 and runs to
 * 15.  Job 3 is then first, reserved at 15; job 5 cannot backfill (no GPU
 * free).  At 15 job 3 starts (to 24) and job 5 fits beside it.
 * fcfs: 1 at 0, 2 at 10, 3 and 4 and 5 all wait for 15 (job 4 waits behind
 * job 3 although a GPU is free from 2 to 10).
 * conservative: reservations at submission: 1 [0,10), 2 [10,15), 3 [15,24)
 * (the hole before 10 is too short), 4 [3,10) (fits the hole), 5 [15,17);
 * every job ends at its estimate, so nothing moves: the same as EASY. */
static const char trace_a[] =
    "id,submit,runtime,estimate,gpus\n"
    "1,0,10,10,2\n2,1,5,5,4\n3,2,9,9,1\n4,3,7,7,1\n5,4,2,2,2\n";

static void easy_backfill_keeps_reservation(void) {
  const double fcfs[] = {0, 10, 15, 15, 15}, easy[] = {0, 10, 15, 3, 15};
  expect_starts(trace_a, 4, 5, fcfs, easy, easy);
}

/* The figures of trace A under EASY, by hand.  Waits 0, 9, 13, 0, 11:
 * mean 33/5.  Bounded slowdowns max(1, (wait + run) / max(run, 10)):
 * 10/10 = 1, 14/10 = 1.4, 22/10 = 2.2, 7/10 -> 1, 13/10 = 1.3: mean 6.9/5.
 * Busy GPU-seconds 2x10 + 4x5 + 1x9 + 1x7 + 2x2 = 60 over 4 GPUs x 24 s
 * (first submit 0, last finish 24: job 3, 15 + 9). */
static void figures_by_hand(void) {
  gp_trace *t = csv_trace(trace_a);
  ASSERT(t);
  gp_replay_result r;
  run(t, 4, 1, GP_REPLAY_EASY, &r);
  ASSERT_NEAR(r.mean_wait, 33.0 / 5, 1e-12);
  ASSERT_NEAR(r.mean_bounded_slowdown, 6.9 / 5, 1e-12);
  ASSERT_NEAR(r.utilization, 60.0 / 96, 1e-12);
  ASSERT_DBL_EQ(r.makespan, 24);
  ASSERT_DBL_EQ(r.max_wait, 13);
  ASSERT_DBL_EQ(r.first_submit, 0);
  ASSERT_DBL_EQ(r.last_finish, 24);
  /* EASY reservations: job 2 got 10 at time 1, job 3 got 15 at time 10;
   * jobs that never waited at the head have none (NaN). */
  const double easy_res[] = {NAN, 10, 15, NAN, NAN};
  for (int i = 0; i < 5; i++)
    if (!(isnan(easy_res[i]) ? isnan(r.jobs[i].reserved) : r.jobs[i].reserved == easy_res[i]))
      TEST_FAIL_("easy: job %d reserved %g, expected %g", i + 1, r.jobs[i].reserved, easy_res[i]);
  gp_replay_result_free(&r);
  run(t, 4, 1, GP_REPLAY_CONSERVATIVE, &r);
  const double cons_res[] = {0, 10, 15, 3, 15};
  for (int i = 0; i < 5; i++) ASSERT_DBL_EQ(r.jobs[i].reserved, cons_res[i]);
  gp_replay_result_free(&r);
  run(t, 4, 1, GP_REPLAY_FCFS, &r);
  for (int i = 0; i < 5; i++) ASSERT(isnan(r.jobs[i].reserved)); /* none */
  gp_replay_result_free(&r);
  gp_trace_free(t);
}

/* Conservative protects every waiting job; EASY only the first.  4 GPUs:
 *   1: 0,10,10,3   runs 0-10 (1 GPU free).
 *   2: 1,10,10,2   first waiting job, reserved at 10; then 4 - 2 = 2 GPUs
 *                  are spare.
 *   3: 2,10,10,4   second waiting job.
 *   4: 3,20,20,1   fits now; runs past 10 but uses a spare GPU: EASY
 *                  backfills it at 3 (to 23).  Job 3 then waits for job 4:
 *                  job 2 runs 10-20, job 3 starts at 23.
 * conservative: 1 [0,10), 2 [10,20), 3 [20,30) (needs all 4), and job 4
 * cannot have [3,23) since it overlaps job 3's slot: it gets [30,50).
 * fcfs: 0, 10, 20, 30. */
static void conservative_vs_easy(void) {
  const char *text = "id,submit,runtime,estimate,gpus\n"
                     "1,0,10,10,3\n2,1,10,10,2\n3,2,10,10,4\n4,3,20,20,1\n";
  const double fcfs[] = {0, 10, 20, 30}, easy[] = {0, 10, 23, 3}, cons[] = {0, 10, 20, 30};
  expect_starts(text, 4, 4, fcfs, easy, cons);
}

/* Same-instant order: every submission at t, then every completion at t.
 * 4 GPUs:
 *   1: 0,10,100,2  asks for 100 s but ends at 10.
 *   2: 1,10,10,4   first waiting job; reserved at 100 (job 1's estimate).
 *   3: 10,50,50,2  submitted at 10, the instant job 1 ends.
 * Submission first: in job 3's pass job 1 still holds its GPUs until 100 as
 * far as the scheduler knows, 2 GPUs are free and 10 + 50 <= 100: EASY
 * backfills job 3 at 10.  Then job 1's completion: job 2 needs 4 GPUs, gets
 * them when job 3 ends at 60.  (Completion first would have started job 2
 * at 10 and job 3 at 20.)
 * fcfs: job 3 queues behind job 2; job 1's completion starts job 2 at 10,
 * job 3 at 20.
 * conservative: job 3 is reserved [10,60) at submission and starts; job 1's
 * early end frees [10,100) and compression moves job 2 from 100 to 60. */
static void submissions_before_completions(void) {
  const char *text = "id,submit,runtime,estimate,gpus\n"
                     "1,0,10,100,2\n2,1,10,10,4\n3,10,50,50,2\n";
  const double fcfs[] = {0, 10, 20}, easy[] = {0, 60, 10}, cons[] = {0, 60, 10};
  expect_starts(text, 4, 3, fcfs, easy, cons);
  gp_trace *t = csv_trace(text);
  ASSERT(t);
  gp_replay_result r;
  run(t, 4, 1, GP_REPLAY_CONSERVATIVE, &r);
  ASSERT_DBL_EQ(r.jobs[1].reserved, 100); /* first promise; it started earlier */
  gp_replay_result_free(&r);
  gp_trace_free(t);
}

/* Conservative compression is one pass in queue order, so a job can keep a
 * reservation that nothing happens at; a wake-up event must start it.
 * 2 GPUs, all submitted at 0:
 *   1: 0,1,10,1    runs 0-1 but was expected until 10.
 *   2: 0,5,5,1     runs 0-5.
 *   3: 0,10,10,2   needs both GPUs: reserved [10,20).
 *   4: 0,5,5,1     reserved [5,10), beside job 1's expected run.
 * At 1 job 1 ends early; compression re-places job 3 first: GPUs are free
 * for it only from 10 (job 4's slot [5,10) still stands), so it keeps 10;
 * then job 4 moves to 1 (runs 1-6).  From 6 the cluster is idle, but job 3
 * starts at its reservation, 10, where no job ends: only its wake-up fires.
 * easy and fcfs: job 3 starts at 5 when job 2 ends (both GPUs free); job 4
 * cannot backfill at 1 (1 + 5 > 5 and nothing is spare) and runs 15-20. */
static void conservative_wakeup(void) {
  const char *text = "id,submit,runtime,estimate,gpus\n"
                     "1,0,1,10,1\n2,0,5,5,1\n3,0,10,10,2\n4,0,5,5,1\n";
  const double fcfs[] = {0, 0, 5, 15}, cons[] = {0, 0, 10, 1};
  expect_starts(text, 2, 4, fcfs, fcfs, cons);
  gp_trace *t = csv_trace(text);
  ASSERT(t);
  gp_replay_result r;
  run(t, 2, 1, GP_REPLAY_CONSERVATIVE, &r);
  ASSERT_DBL_EQ(r.jobs[2].reserved, 10);
  ASSERT_DBL_EQ(r.jobs[3].reserved, 5);
  gp_replay_result_free(&r);
  gp_trace_free(t);
}

/* Several submissions at one instant queue in file order, and a job
 * submitted at the instant GPUs free up starts at that instant.  2 GPUs:
 *   1: 0,10,10,2;  2: 10,5,5,1;  3: 10,5,5,2;  4: 10,5,5,1.
 * At 10: submissions 2, 3, 4 (nothing free), then job 1's completion: fcfs
 * starts 2, then 3 does not fit and 4 waits behind it; 3 starts at 15 and 4
 * at 20.  EASY: 3 is first, reserved at 15; 4 fits now and 10 + 5 <= 15:
 * backfilled at 10.  Conservative: reservations 2 [10,15), 3 [15,20),
 * 4 [10,15) (beside 2): the same as EASY. */
static void same_instant_file_order(void) {
  const char *text = "id,submit,runtime,estimate,gpus\n"
                     "1,0,10,10,2\n2,10,5,5,1\n3,10,5,5,2\n4,10,5,5,1\n";
  const double fcfs[] = {0, 10, 15, 20}, easy[] = {0, 10, 15, 10};
  expect_starts(text, 2, 4, fcfs, easy, easy);
}

/* A job planned to end now holds nothing now: the rule is asked once every
 * job planned to end at an instant has ended, so the schedule cannot depend
 * on the order simultaneous ends are handled (issue 16, item 5: on KTH an
 * independent EASY started a job 15 s earlier).  4 GPUs:
 *   A: 0,10,10,1 and B: 0,10,10,3 run 0-10 (nothing free).
 *   H: 1,10,10,2; H2: 2,10,10,2; Y: 3,100,100,1 wait.
 * At 10 both end.  Asked once both have ended: H starts (2 left), H2 starts
 * (0 left), Y is first, reserved at 20, and starts then.  Asked between
 * the two ends, as before the fix, the answer depended on their order: A
 * first left 1 GPU free and B due at 10, so H was reserved at 10 with 2
 * spare and Y backfilled on a spare GPU at 10; H then started, and H2
 * waited until 20.  B first started H at once and H2 at 10, as above.
 * fcfs and conservative: the same schedule (H 10, H2 10, Y 20). */
static void simultaneous_ends_any_order(void) {
  const char *a_first = "id,submit,runtime,estimate,gpus\n"
                        "1,0,10,10,1\n2,0,10,10,3\n3,1,10,10,2\n4,2,10,10,2\n5,3,100,100,1\n";
  const char *b_first = "id,submit,runtime,estimate,gpus\n"
                        "2,0,10,10,3\n1,0,10,10,1\n3,1,10,10,2\n4,2,10,10,2\n5,3,100,100,1\n";
  const double want[] = {0, 0, 10, 10, 20};
  expect_starts(a_first, 4, 5, want, want, want);
  expect_starts(b_first, 4, 5, want, want, want);
}

/* A job that runs longer than it asked keeps running: its estimate is
 * raised to its run time.  SWF, 2 processors (MaxProcs):
 *   1: submit 0, run 20, asked 10, 1 proc -> estimate 20; runs 0-20.
 *   2: submit 1, run 10, asked 10, 2 procs -> first waiting; reserved at 20
 *      (with the raised estimate; 10 with the trace's, which job 1 overruns).
 *   3: submit 2, run 15, asked 15, 1 proc -> 2 + 15 = 17 <= 20: EASY and
 *      conservative backfill it at 2.  fcfs: 30.
 *   4: submit 3, run 5, asked -1, 1 proc -> no estimate: its run time (5);
 *      free only at 17 (job 3 ends): EASY cannot backfill at 17 since
 *      17 + 5 > 20 and nothing is spare; it starts at 30 after job 2.
 *      Conservative: [17, 20) is too short, [20,30) is job 2's: 30.
 *      fcfs: behind job 3 (30-45), 1 GPU free: 30. */
static void estimate_raised_to_runtime(void) {
  const char *text = "; MaxProcs: 2\n"
                     "1 0 -1 20 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n"
                     "2 1 -1 10 2 -1 -1 2 10 -1 1 1 1 -1 -1 -1 -1 -1\n"
                     "3 2 -1 15 1 -1 -1 1 15 -1 1 1 1 -1 -1 -1 -1 -1\n"
                     "4 3 -1 5 -1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n";
  gp_trace *t = swf_trace(text);
  ASSERT(t);
  ASSERT_EQ(t->max_procs, 2);
  const double want[3][4] = {{0, 20, 30, 30}, {0, 20, 2, 30}, {0, 20, 2, 30}};
  for (int k = 0; k < GP_REPLAY_NRULES; k++) {
    gp_replay_result r;
    run(t, 2, 1, (gp_replay_rule)k, &r);
    ASSERT_EQ(r.njobs, 4);
    for (int i = 0; i < 4; i++)
      if (r.jobs[i].start != want[k][i])
        TEST_FAIL_("%s: job %d starts at %g, expected %g", gp_replay_rule_names[k], i + 1,
                   r.jobs[i].start, want[k][i]);
    ASSERT_DBL_EQ(r.jobs[0].estimate, 20);
    ASSERT_DBL_EQ(r.jobs[0].trace_estimate, 10);
    ASSERT_DBL_EQ(r.jobs[0].finish, 20);
    ASSERT_DBL_EQ(r.jobs[3].estimate, 5);
    ASSERT(isnan(r.jobs[3].trace_estimate)); /* the trace's -1: none */
    ASSERT_EQ(r.jobs[3].trace_gpus, 1); /* field 8, as field 5 is -1 */
    ASSERT_EQ(r.estimates_raised, 1);
    ASSERT_EQ(r.estimates_missing, 1);
    if (k == GP_REPLAY_EASY) ASSERT_DBL_EQ(r.jobs[1].reserved, 20);
    gp_replay_result_free(&r);
  }
  gp_trace_free(t);
}

/* Whole nodes: 8 GPUs as 2 nodes of 4.  Jobs asking 1, 5, 9 and 1 GPUs
 * hold 4, 8, (12: skipped, too big) and 4.  fcfs: job 1 on one node at 0;
 * job 2 needs both nodes: 10; job 4 behind it: 20 although 3 GPUs of job 1's
 * node are idle (rounded up, nodes are not shared). */
static void whole_nodes(void) {
  gp_trace *t = csv_trace("id,submit,runtime,estimate,gpus\n"
                          "1,0,10,,1\n2,0,10,,5\n3,0,10,,9\n4,1,10,,1\n");
  ASSERT(t);
  gp_replay_result r;
  run(t, 8, 4, GP_REPLAY_FCFS, &r);
  ASSERT_EQ(r.njobs, 3);
  ASSERT_EQ(r.nskip[GP_SKIP_TOO_BIG], 1);
  ASSERT_EQ(r.skipped[0].id, 3);
  ASSERT_EQ(r.jobs[0].gpus, 4);
  ASSERT_EQ(r.jobs[1].gpus, 8);
  ASSERT_EQ(r.jobs[1].trace_gpus, 5);
  ASSERT_EQ(r.jobs[2].gpus, 4);
  ASSERT_DBL_EQ(r.jobs[0].start, 0);
  ASSERT_DBL_EQ(r.jobs[1].start, 10);
  ASSERT_DBL_EQ(r.jobs[2].start, 20);
  /* Busy GPU-seconds count held GPUs: (4 + 8 + 4) x 10 over 8 x 30. */
  ASSERT_NEAR(r.utilization, 160.0 / 240, 1e-12);
  gp_replay_result_free(&r);
  gp_replay_opts bad = {10, 4, GP_REPLAY_FCFS, NULL, NULL};
  gp_err err;
  gp_err_clear(&err);
  ASSERT_EQ(gp_replay_run(t, &bad, &r, &err), -1);
  ASSERT_EQ(err.code, GP_EX_USAGE);
  ASSERT_STR_EQ(err.msg, "replay: 10 GPUs are not a whole number of 4-GPU nodes");
  gp_trace_free(t);
}

/* ---- skip rules ---- */

/* One SWF line per rule, tried in order (docs/replay.md):
 *   2: status 2 (partial execution)       -> partial
 *   3: status 5, run time -1              -> cancelled
 *   4: status 5, run time 50              -> replayed (cancelled while running)
 *   5: run time 0                         -> no_runtime
 *   6: run time -1, status 1              -> no_runtime
 *   7: fields 5 and 8 both -1             -> no_gpus
 *   8: field 5 is 0, field 8 is 0         -> no_gpus
 *   9: 5 processors on a 4-GPU cluster    -> too_big
 *  10: field 5 -1, field 8 = 4            -> replayed with 4 GPUs */
static void skip_rules(void) {
  gp_trace *t = swf_trace(
      "; MaxProcs: 4\n"
      "1 0 -1 10 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n"
      "2 0 -1 10 1 -1 -1 1 10 -1 2 1 1 -1 -1 -1 -1 -1\n"
      "3 0 -1 -1 -1 -1 -1 2 10 -1 5 1 1 -1 -1 -1 -1 -1\n"
      "4 0 -1 50 2 -1 -1 2 60 -1 5 1 1 -1 -1 -1 -1 -1\n"
      "5 1 -1 0 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n"
      "6 1 -1 -1 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n"
      "7 2 -1 10 -1 -1 -1 -1 10 -1 1 1 1 -1 -1 -1 -1 -1\n"
      "8 2 -1 10 0 -1 -1 0 10 -1 0 1 1 -1 -1 -1 -1 -1\n"
      "9 3 -1 10 5 -1 -1 5 10 -1 1 1 1 -1 -1 -1 -1 -1\n"
      "10 3 -1 10 -1 -1 -1 4 10 -1 1 1 1 -1 -1 -1 -1 -1\n");
  ASSERT(t);
  ASSERT_EQ(t->njobs, 10);
  gp_replay_result r;
  run(t, 4, 1, GP_REPLAY_EASY, &r);
  ASSERT_EQ(r.njobs, 3);
  ASSERT_EQ(r.jobs[0].id, 1);
  ASSERT_EQ(r.jobs[1].id, 4);
  ASSERT_EQ(r.jobs[2].id, 10);
  ASSERT_EQ(r.jobs[2].gpus, 4);
  ASSERT_EQ(r.nskipped, 7);
  const int64_t ids[7] = {2, 3, 5, 6, 7, 8, 9};
  const int reasons[7] = {GP_SKIP_PARTIAL,    GP_SKIP_CANCELLED, GP_SKIP_NO_RUNTIME,
                          GP_SKIP_NO_RUNTIME, GP_SKIP_NO_GPUS,   GP_SKIP_NO_GPUS,
                          GP_SKIP_TOO_BIG};
  for (int i = 0; i < 7; i++) {
    ASSERT_EQ(r.skipped[i].id, ids[i]);
    ASSERT_EQ(r.skipped[i].reason, reasons[i]);
    ASSERT_EQ(r.skipped[i].line, ids[i] + 1);
  }
  const long long counts[GP_NSKIP] = {1, 1, 2, 2, 1};
  for (int k = 0; k < GP_NSKIP; k++) ASSERT_EQ(r.nskip[k], counts[k]);
  gp_replay_result_free(&r);
  gp_trace_free(t);
}

/* ---- readers ---- */

static void swf_reads_fields(void) {
  gp_trace *t =
      swf_trace("\xEF\xBB\xBF; Version: 2.2\n"
                ";  MaxNodes: 64\n"
                "; MaxProcs:\t128\r\n"
                "\n"
                "  7  12.5  3  100  -1  -1  -1  16  3600  -1  0  1  1  -1  -1  -1  -1  -1\r\n"
                "8\t12.5\t0\t5\t2\t1\t1\t2\t-1\t1\t5\t2\t2\t3\t1\t1\t7\t10");
  ASSERT(t);
  ASSERT_EQ(t->format, GP_TRACE_SWF);
  ASSERT_EQ(t->max_nodes, 64);
  ASSERT_EQ(t->max_procs, 128);
  ASSERT_EQ(t->njobs, 2);
  const gp_trace_job *a = &t->jobs[0], *b = &t->jobs[1];
  ASSERT_EQ(a->id, 7);
  ASSERT_EQ(a->line, 5);
  ASSERT_DBL_EQ(a->submit, 12.5);
  ASSERT_DBL_EQ(a->runtime, 100);
  ASSERT_EQ(a->procs, 16); /* field 5 is -1: field 8 */
  ASSERT_DBL_EQ(a->estimate, 3600);
  ASSERT_EQ(a->status, 0);
  ASSERT_EQ(b->id, 8);
  ASSERT_EQ(b->line, 6);
  ASSERT_EQ(b->procs, 2);
  ASSERT_DBL_EQ(b->estimate, -1);
  ASSERT_EQ(b->status, 5);
  gp_trace_free(t);
}

static void swf_errors(void) {
  static const char *const cases[][2] = {
      {"1 0 -1 10 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1\n",
       "t.swf:1:44: job line: expected 18 whitespace-separated fields, found 17"},
      {"1 0 -1 10 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1 9 9\n",
       "t.swf:1:48: job line: expected 18 whitespace-separated fields, found 20"},
      {"; MaxProcs: 4\n1 0 -1 1O 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:2:8: run time (field 4): expected a number, found \"1O\""},
      {"1 -5 -1 10 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:1:3: submit time (field 2): expected a time >= 0, found -5"},
      {"1 100 -1 10 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n"
       "2 99 -1 10 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:2:3: submit time (field 2): expected a time >= 100 (the submit time on line 1: jobs "
       "must be sorted by submit time), found 99"},
      {"1 0 -1 -2 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:1:8: run time (field 4): expected a time >= 0, or -1 for unknown, found -2"},
      {"1 0 -1 10 2.5 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:1:11: allocated processors (field 5): expected an integer >= 0, or -1 for unknown "
       "(at most 2147483647), found 2.5"},
      {"1 0 -1 10 1 -1 -1 1 10 -1 7 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:1:27: status (field 11): expected an integer in -1..5 (-1 unknown, 0 failed, 1 "
       "completed, 2-4 partial executions, 5 cancelled), found 7"},
      {"1 0 -1 10 1 -1 -1 1 1e999 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:1:21: requested time (field 9): expected a finite number, found 1e999"},
      {"1 0 -1 10 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 x -1\n",
       "t.swf:1:42: preceding job (field 17): expected a number, found \"x\""},
      /* A ';' inside a job line is not a comment. */
      {"1 0 -1 10 1 -1 -1 1 10 -1 1 1 1 ; -1 -1 -1 -1 -1\n",
       "t.swf:1:33: executable number (field 14): expected a number, found \";\""},
      {"; MaxProcs: lots\n", "t.swf:1:13: MaxProcs: expected a number, found \"lots\""},
      {"; MaxNodes: 0\n", "t.swf:1:13: MaxNodes: expected an integer in [1, 2147483647], found 0"},
      {"; MaxProcs: 4\n; MaxProcs: 8\n",
       "t.swf:2:13: MaxProcs: expected one value, found 8 here and 4 on line 1"},
      /* Times beyond 1e12 s would make the replay's figures inf or NaN. */
      {"1 1e300 -1 10 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:1:3: submit time (field 2): expected a time of at most 1e12 s (about 31,700 "
       "years), found 1e300"},
      {"1 0 -1 2e12 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:1:8: run time (field 4): expected a time of at most 1e12 s (about 31,700 years), "
       "found 2e12"},
      {"1 0 -1 10 1 -1 -1 1 1000000000001 -1 1 1 1 -1 -1 -1 -1 -1\n",
       "t.swf:1:21: requested time (field 9): expected a time of at most 1e12 s (about 31,700 "
       "years), found 1000000000001"},
      /* A lone CR ends a line: the error is on line 2, not inside line 1. */
      {"; MaxProcs: 4\r1 0 -1 1O 1 -1 -1 1 10 -1 1 1 1 -1 -1 -1 -1 -1\r",
       "t.swf:2:8: run time (field 4): expected a number, found \"1O\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int code;
    const char *msg = swf_error(cases[i][0], &code);
    ASSERT_STR_EQ(msg, cases[i][1]);
    ASSERT_EQ(code, GP_EX_DATAERR);
  }
}

/* LF, CRLF and a lone CR all end an SWF line (a CR-only file was read as
 * one comment line: 0 jobs). */
static void swf_line_endings(void) {
  static const char *const texts[] = {
      "; MaxProcs: 4\r1 0 -1 10 2 -1 -1 2 10 -1 1 1 1 -1 -1 -1 -1 -1\r"
      "2 5 -1 3 1 -1 -1 1 4 -1 1 1 1 -1 -1 -1 -1 -1\r",
      "; MaxProcs: 4\r\n1 0 -1 10 2 -1 -1 2 10 -1 1 1 1 -1 -1 -1 -1 -1\r\n"
      "2 5 -1 3 1 -1 -1 1 4 -1 1 1 1 -1 -1 -1 -1 -1",
      "; MaxProcs: 4\n1 0 -1 10 2 -1 -1 2 10 -1 1 1 1 -1 -1 -1 -1 -1\r"
      "2 5 -1 3 1 -1 -1 1 4 -1 1 1 1 -1 -1 -1 -1 -1\n",
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    gp_trace *t = swf_trace(texts[i]);
    ASSERT(t != NULL);
    ASSERT_EQ(t->max_procs, 4);
    ASSERT_EQ(t->njobs, 2);
    ASSERT_EQ(t->jobs[0].line, 2);
    ASSERT_EQ(t->jobs[1].line, 3);
    ASSERT_EQ(t->jobs[1].id, 2);
    ASSERT_EQ(t->jobs[1].submit, 5);
    gp_trace_free(t);
  }
}

static void csv_reads_rfc4180(void) {
  /* Columns in any order; quoted fields with "" and a line break; CRLF;
   * an empty estimate; a blank line; spaces around numbers. */
  gp_trace *t = csv_trace("\xEF\xBB\xBFgpus,\"id\",submit,estimate,runtime\r\n"
                          "2,\"1\",0,,30\r\n"
                          "\r\n"
                          " 4 ,\"2\",\" 5\",60,40\r\n"
                          "1,3,5,\"7\",7");
  ASSERT(t);
  ASSERT_EQ(t->format, GP_TRACE_CSV);
  ASSERT_EQ(t->njobs, 3);
  ASSERT_EQ(t->jobs[0].id, 1);
  ASSERT_EQ(t->jobs[0].procs, 2);
  ASSERT_DBL_EQ(t->jobs[0].runtime, 30);
  ASSERT_DBL_EQ(t->jobs[0].estimate, -1);
  ASSERT_EQ(t->jobs[1].line, 4);
  ASSERT_EQ(t->jobs[1].procs, 4);
  ASSERT_DBL_EQ(t->jobs[1].submit, 5);
  ASSERT_DBL_EQ(t->jobs[1].estimate, 60);
  ASSERT_EQ(t->jobs[2].line, 5);
  ASSERT_DBL_EQ(t->jobs[2].estimate, 7);
  ASSERT_EQ(t->jobs[2].status, -1);
  gp_trace_free(t);
}

static void csv_errors(void) {
  static const char *const cases[][2] = {
      {"", "t.csv:1:1: header: expected a header row (id,submit,runtime,estimate,gpus), found the "
           "end of the file"},
      {"id,submit,runtime,gpus,user\n",
       "t.csv:1:24: header: expected a column name id, submit, runtime, estimate or gpus, found "
       "\"user\""},
      {"id,submit,runtime,id,gpus\n",
       "t.csv:1:19: header: expected each column once, found \"id\" again (first in column 1)"},
      {"id,submit,runtime\n",
       "t.csv:1:1: header: expected the columns id, submit, runtime and gpus (estimate is "
       "optional), found no \"gpus\""},
      {"id,submit,runtime,gpus\n1,0,10\n",
       "t.csv:2:7: expected 4 fields as in the header, found 3"},
      {"id,submit,runtime,gpus\n1,0,10,1,5\n",
       "t.csv:2:10: expected 4 fields as in the header, found 5"},
      {"id,submit,runtime,gpus\n1,ten,10,1\n",
       "t.csv:2:3: submit: expected a number, found \"ten\""},
      {"id,submit,runtime,gpus\n1,-1,10,1\n",
       "t.csv:2:3: submit: expected a time >= 0 in seconds, found -1"},
      {"id,submit,runtime,gpus\n1,50,10,1\n2,40,10,1\n",
       "t.csv:3:3: submit: expected a time >= 50 (the submit time on line 2: jobs must be sorted "
       "by submit time), found 40"},
      {"id,submit,runtime,gpus\n1,0,0,1\n",
       "t.csv:2:5: runtime: expected a duration > 0 in seconds, found 0"},
      {"id,submit,runtime,estimate,gpus\n1,0,5,-1,1\n",
       "t.csv:2:7: estimate: expected a duration > 0 in seconds (or nothing), found -1"},
      {"id,submit,runtime,gpus\n1,0,5,0\n",
       "t.csv:2:7: gpus: expected an integer in [1, 2147483647], found 0"},
      {"id,submit,runtime,gpus\n1,1e300,5,1\n",
       "t.csv:2:3: submit: expected a time of at most 1e12 s (about 31,700 years), found 1e300"},
      {"id,submit,runtime,estimate,gpus\n1,0,5,2e12,1\n",
       "t.csv:2:7: estimate: expected a time of at most 1e12 s (about 31,700 years), found 2e12"},
      {"id,submit,runtime,gpus\n1,0,5,1.5\n",
       "t.csv:2:7: gpus: expected an integer in [1, 2147483647], found 1.5"},
      {"id,submit,runtime,gpus\n1,0,5,\"2\nx\"\n",
       "t.csv:2:7: gpus: expected a number, found \"2\\x0Ax\""},
      {"id,submit,runtime,gpus\n\"1\n\",0,5,\"2\n",
       "t.csv:3:7: expected a closing '\"' for the quoted field that starts here, found the end of "
       "the file"},
      {"id,submit,runtime,gpus\n\"1\"x,0,5,2\n",
       "t.csv:2:4: expected ',' or the end of the line after a quoted field, found \"x\""},
      {"id,submit,runtime,gpus\n1,0,5 \"s\",2\n",
       "t.csv:2:7: expected no '\"' inside an unquoted field (quote the whole field and double the "
       "'\"'), found '\"'"},
      {"id,submit,runtime,gpus\n\"a,\nb\",0,5,2\n1,0,\"x\n\",2\n",
       "t.csv:2:1: id: expected a number, found \"a,\\x0Ab\""},
      {"id,submit,runtime,gpus\n1,0,5,2\n\"2\",0,\"\n5\"\n",
       "t.csv:4:3: expected 4 fields as in the header, found 3"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int code;
    ASSERT_STR_EQ(csv_error(cases[i][0], &code), cases[i][1]);
    ASSERT_EQ(code, GP_EX_DATAERR);
  }
}

/* Files: plain, gzip, truncated gzip, missing. */
static void reads_files(void) {
  char dir[] = "/tmp/gp_test_replay_XXXXXX";
  ASSERT(mkdtemp(dir));
  char plain[128], gz[128], cut[128], none[128];
  snprintf(plain, sizeof plain, "%s/t.swf", dir);
  snprintf(gz, sizeof gz, "%s/t.swf.gz", dir);
  snprintf(cut, sizeof cut, "%s/cut.swf.gz", dir);
  snprintf(none, sizeof none, "%s/none.swf", dir);
  /* 2000 jobs, so that the compressed stream is long enough to cut. */
  size_t cap = 2000 * 80 + 64, len = 0;
  char *text = malloc(cap);
  ASSERT(text);
  len += (size_t)snprintf(text + len, cap - len, "; MaxProcs: 8\n");
  for (int i = 1; i <= 2000; i++)
    len += (size_t)snprintf(text + len, cap - len,
                            "%d %d -1 %d %d -1 -1 %d %d -1 1 1 1 -1 -1 -1 -1 -1\n", i, i * 7,
                            10 + i % 97, 1 + i % 8, 1 + i % 8, 20 + i % 89);
  FILE *f = fopen(plain, "w");
  ASSERT(f);
  fwrite(text, 1, len, f);
  fclose(f);
  gzFile z = gzopen(gz, "wb");
  ASSERT(z);
  ASSERT_EQ(gzwrite(z, text, (unsigned)len), (int)len);
  gzclose(z);
  /* The first half of the compressed file. */
  f = fopen(gz, "rb");
  ASSERT(f);
  unsigned char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  ASSERT_LT(n, sizeof buf);
  f = fopen(cut, "wb");
  ASSERT(f);
  fwrite(buf, 1, n / 2, f);
  fclose(f);

  gp_err err;
  gp_err_clear(&err);
  gp_trace *a = gp_trace_read(plain, &err), *b = gp_trace_read(gz, &err);
  ASSERT(a && b);
  ASSERT_EQ(a->njobs, 2000);
  ASSERT_EQ(b->njobs, 2000);
  ASSERT(memcmp(a->jobs, b->jobs, 2000 * sizeof *a->jobs) == 0);
  ASSERT_EQ(b->max_procs, 8);
  gp_trace_free(a);
  gp_trace_free(b);

  gp_trace *c = gp_trace_read(cut, &err);
  ASSERT(!c);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  char want[512];
  snprintf(want, sizeof want,
           "%s: truncated gzip file: unexpected end of compressed data after line ", cut);
  ASSERT(strncmp(err.msg, want, strlen(want)) == 0);
  gp_err_clear(&err);
  ASSERT(!gp_trace_read(none, &err));
  ASSERT_EQ(err.code, GP_EX_NOINPUT);
  snprintf(want, sizeof want, "%s: cannot open: No such file or directory", none);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  ASSERT(!gp_trace_read(dir, &err));
  ASSERT_EQ(err.code, GP_EX_NOINPUT);

  unlink(plain);
  unlink(gz);
  unlink(cut);
  rmdir(dir);
  free(text);
}

/* ---- properties on random traces ---- */

static uint64_t rng_state;
static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}
static int rnd_int(int lo, int hi) { return lo + (int)(rnd() % (uint64_t)(hi - lo + 1)); }

/* N jobs on a cluster of G GPUs: integer times on a coarse grid (so that
 * submissions and completions often share an instant), sizes skewed small,
 * estimates exact (EXACT) or anywhere from below the run time to 4x it,
 * sometimes missing. */
static gp_trace *random_trace(size_t n, int g, int exact) {
  gp_trace *t = calloc(1, sizeof *t);
  t->name = strdup("random");
  t->jobs = calloc(n, sizeof *t->jobs);
  t->njobs = n;
  t->max_procs = t->max_nodes = -1;
  double now = 0;
  for (size_t i = 0; i < n; i++) {
    gp_trace_job *j = &t->jobs[i];
    now += 5 * rnd_int(0, 3);
    j->id = (int64_t)i + 1;
    j->line = (int32_t)i + 1;
    j->submit = now;
    j->runtime = 5 * rnd_int(1, 12);
    int r = rnd_int(0, 9);
    j->procs = r < 5 ? rnd_int(1, 2) : r < 8 ? rnd_int(1, g / 2) : rnd_int(1, g);
    if (exact) j->estimate = j->runtime;
    else {
      int e = rnd_int(0, 9);
      j->estimate = e == 0   ? -1
                    : e == 1 ? j->runtime - 5
                             : j->runtime + 5 * rnd_int(0, 3 * (int)j->runtime / 5);
    }
    j->status = 1;
  }
  return t;
}

/* GPUs in use never exceed G: at equal times, finishes come before starts
 * (a job holds its GPUs over [start, finish)). */
static int cmp_ev(const void *a, const void *b) {
  const double *x = a, *y = b;
  return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1];
}

static void check_capacity(const gp_replay_result *r, int g) {
  size_t n = r->njobs;
  double *ev = malloc(4 * n * sizeof *ev);
  ASSERT(ev);
  for (size_t i = 0; i < n; i++) {
    const gp_replay_row *w = &r->jobs[i];
    ASSERT(w->start >= w->submit);
    ASSERT_DBL_EQ(w->finish, w->start + w->runtime);
    ev[4 * i] = w->start, ev[4 * i + 1] = w->gpus;
    ev[4 * i + 2] = w->finish, ev[4 * i + 3] = -w->gpus;
  }
  qsort(ev, 2 * n, 2 * sizeof *ev, cmp_ev);
  double used = 0, peak = 0;
  for (size_t k = 0; k < 2 * n; k++) {
    used += ev[2 * k + 1];
    peak = fmax(peak, used);
    if (used > g) {
      double at = ev[2 * k];
      free(ev);
      TEST_FAIL_("%g GPUs in use at t=%g on a %d-GPU cluster", used, at, g);
    }
  }
  free(ev);
  ASSERT_GT(peak, g / 2); /* the trace did load the cluster */
}

/* EASY: job j reaches the head of the queue at h = max(submit, starts of
 * all jobs before it).  From the schedule alone, its reservation then is the
 * earliest t >= h at which the jobs running at h (start <= h < finish) that
 * are still expected to run (start + estimate > t) leave it room.  It must
 * start by then.  Returns how many jobs had to wait at the head. */
static size_t check_easy_head(const gp_replay_result *r, int g) {
  size_t waited = 0;
  double before = 0; /* latest start among earlier jobs */
  for (size_t j = 0; j < r->njobs; j++) {
    const gp_replay_row *x = &r->jobs[j];
    double h = fmax(x->submit, before);
    before = fmax(before, x->start);
    if (x->start == h) continue;
    waited++;
    double res = INFINITY;
    /* candidate times: h and every expected end after it */
    for (size_t c = 0; c <= r->njobs; c++) {
      double t = h;
      if (c < r->njobs) {
        const gp_replay_row *y = &r->jobs[c];
        if (!(y->start <= h && h < y->finish)) continue;
        t = y->start + y->estimate;
      }
      if (t < h || t >= res) continue;
      long long used = 0;
      for (size_t i = 0; i < r->njobs; i++) {
        const gp_replay_row *y = &r->jobs[i];
        if (i != j && y->start <= h && h < y->finish && y->start + y->estimate > t) used += y->gpus;
      }
      if (used + x->gpus <= g) res = t;
    }
    if (!(x->start <= res))
      TEST_FAIL_("easy: job %lld reached the head at %g with reservation %g but started at %g",
                 (long long)x->id, h, res, x->start);
    if (x->reserved >= 0) ASSERT(x->start <= x->reserved);
  }
  return waited;
}

/* GPUs used over [a, b) by jobs 0..j-1 (intervals [start, finish)) at its
 * busiest; only starts inside the window and a itself matter. */
static long long peak_before(const gp_replay_result *r, size_t j, double a, double b) {
  long long peak = 0;
  for (size_t c = 0; c <= j; c++) {
    double t = c == j ? a : r->jobs[c].start;
    if (t < a || t >= b) continue;
    long long used = 0;
    for (size_t i = 0; i < j; i++)
      if (r->jobs[i].start <= t && t < r->jobs[i].finish) used += r->jobs[i].gpus;
    if (used > peak) peak = used;
  }
  return peak;
}

/* Exact estimates, conservative: nothing ever ends early, so each job's
 * first reservation is final: the earliest t >= submit such that it fits
 * beside the jobs before it over [t, t + runtime).  Candidates: submit and
 * the finishes of earlier jobs. */
static void check_conservative_exact(const gp_replay_result *r, int g) {
  for (size_t j = 0; j < r->njobs; j++) {
    const gp_replay_row *x = &r->jobs[j];
    double best = INFINITY;
    for (size_t c = 0; c <= j; c++) {
      double t = c == j ? x->submit : r->jobs[c].finish;
      if (t < x->submit || t >= best) continue;
      if (peak_before(r, j, t, t + x->runtime) + x->gpus <= g) best = t;
    }
    if (x->start != best)
      TEST_FAIL_("conservative: job %lld starts at %g, earliest fit %g", (long long)x->id,
                 x->start, best);
    ASSERT_DBL_EQ(x->reserved, x->start);
  }
}

/* fcfs: each job starts at the earliest t >= max(submit, previous start)
 * with room beside the jobs before it at t. */
static void check_fcfs(const gp_replay_result *r, int g) {
  double prev = 0;
  for (size_t j = 0; j < r->njobs; j++) {
    const gp_replay_row *x = &r->jobs[j];
    double lo = fmax(x->submit, prev), best = INFINITY;
    for (size_t c = 0; c <= j; c++) {
      double t = c == j ? lo : r->jobs[c].finish;
      if (t < lo || t >= best) continue;
      long long used = 0;
      for (size_t i = 0; i < j; i++)
        if (r->jobs[i].start <= t && t < r->jobs[i].finish) used += r->jobs[i].gpus;
      if (used + x->gpus <= g) best = t;
    }
    if (x->start != best)
      TEST_FAIL_("fcfs: job %lld starts at %g, expected %g", (long long)x->id, x->start, best);
    prev = x->start;
  }
}

static void random_properties(void) {
  const int g = 16;
  size_t easy_waited = 0, easy_better = 0;
  for (int seed = 1; seed <= 40; seed++) {
    rng_state = (uint64_t)seed * UINT64_C(0x9E3779B97F4A7C15);
    int exact = seed % 2;
    gp_trace *t = random_trace(250, g, exact);
    gp_replay_result r[GP_REPLAY_NRULES];
    for (int k = 0; k < GP_REPLAY_NRULES; k++) {
      run(t, g, 1, (gp_replay_rule)k, &r[k]);
      ASSERT_EQ(r[k].njobs, 250);
      check_capacity(&r[k], g);
    }
    check_fcfs(&r[GP_REPLAY_FCFS], g);
    easy_waited += check_easy_head(&r[GP_REPLAY_EASY], g);
    for (size_t i = 0; i < 250; i++) {
      const gp_replay_row *x = &r[GP_REPLAY_CONSERVATIVE].jobs[i];
      ASSERT(x->reserved >= x->submit);
      if (!(x->start <= x->reserved))
        TEST_FAIL_("conservative (seed %d): job %lld reserved at %g, started at %g", seed,
                   (long long)x->id, x->reserved, x->start);
    }
    if (exact) check_conservative_exact(&r[GP_REPLAY_CONSERVATIVE], g);
    easy_better += r[GP_REPLAY_EASY].mean_wait < r[GP_REPLAY_FCFS].mean_wait;
    for (int k = 0; k < GP_REPLAY_NRULES; k++) gp_replay_result_free(&r[k]);
    gp_trace_free(t);
  }
  ASSERT_GT(easy_waited, 400); /* the head-of-queue check had work to do */
  ASSERT_GE(easy_better, 35);  /* backfilling helps on nearly every trace */
}

/* The same trace replays to the same schedule. */
static void repeatable(void) {
  rng_state = 12345;
  gp_trace *t = random_trace(300, 8, 0);
  for (int k = 0; k < GP_REPLAY_NRULES; k++) {
    gp_replay_result a, b;
    run(t, 8, 1, (gp_replay_rule)k, &a);
    run(t, 8, 1, (gp_replay_rule)k, &b);
    ASSERT(memcmp(a.jobs, b.jobs, a.njobs * sizeof *a.jobs) == 0);
    gp_replay_result_free(&a);
    gp_replay_result_free(&b);
  }
  gp_trace_free(t);
}

/* A replay told of its progress (cli/replay.c's line): called now and then,
 * its time and its count of started jobs never going back, the count at most
 * the jobs replayed and, at the last call, more than none; and the schedule
 * is the one a replay without it makes. */
typedef struct seen {
  int calls;
  double now;
  size_t started;
  int back; /* 1 once a call went back in time or in count */
} seen;

static void saw(void *ctx, double now, size_t started) {
  seen *v = ctx;
  v->back |= now < v->now || started < v->started;
  v->calls++;
  v->now = now;
  v->started = started;
}

static void progress_told(void) {
  rng_state = 777;
  gp_trace *t = random_trace(2000, 16, 0);
  for (int k = 0; k < GP_REPLAY_NRULES; k++) {
    seen v = {0, -1, 0, 0};
    gp_replay_opts o = {16, 1, (gp_replay_rule)k, saw, &v};
    gp_replay_result a, b;
    gp_err err;
    gp_err_clear(&err);
    if (gp_replay_run(t, &o, &a, &err) != 0) TEST_FAIL_("%s", err.msg);
    run(t, 16, 1, (gp_replay_rule)k, &b);
    ASSERT_EQ(a.njobs, b.njobs);
    ASSERT(memcmp(a.jobs, b.jobs, a.njobs * sizeof *a.jobs) == 0);
    ASSERT_GT(v.calls, 2000 / 64); /* every 64 events: a submission and an end a job at least */
    ASSERT(!v.back);
    ASSERT_GT(v.started, 0);
    ASSERT(v.started <= a.njobs);
    ASSERT(v.now <= a.first_submit + a.makespan);
    gp_replay_result_free(&a);
    gp_replay_result_free(&b);
  }
  gp_trace_free(t);
}

int main(void) {
  RUN(easy_backfill_keeps_reservation);
  RUN(figures_by_hand);
  RUN(conservative_vs_easy);
  RUN(submissions_before_completions);
  RUN(conservative_wakeup);
  RUN(same_instant_file_order);
  RUN(simultaneous_ends_any_order);
  RUN(estimate_raised_to_runtime);
  RUN(whole_nodes);
  RUN(skip_rules);
  RUN(swf_reads_fields);
  RUN(swf_errors);
  RUN(swf_line_endings);
  RUN(csv_reads_rfc4180);
  RUN(csv_errors);
  RUN(reads_files);
  RUN(random_properties);
  RUN(repeatable);
  RUN(progress_told);
  TEST_EXIT();
}
