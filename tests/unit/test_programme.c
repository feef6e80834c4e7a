/*
 * tests/unit/test_programme.c - the programme model's mechanics on worlds
 * built by hand, each with a schedule worked out in the comments: the review
 * panel's queue, committee sittings, interviews, the two selection rules and
 * their budgets, withdrawals, designated allocations, the supply date, money,
 * and node failures (with known answers, through a runner reused across
 * worlds and policies).
 *
 * The scenario: epoch 2026-01-01 (day 0), end day 100; one pool of 10
 * servers x 8 GPUs online from day 0; one call open days 0-10 with a budget
 * of 5 servers and committees on day 15, then every 7 days; one reviewer,
 * one review per proposal, one interview slot a day; price 1,000 KRW per
 * GPU-hour; industry pays 10%.
 */
#include <math.h>
#include <string.h>

#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "tests/test.h"

/* REVIEWERS: panel size (0 = unlimited); CAPACITY: the call's budget. */
static gp_scenario *scenario(int reviewers, int capacity, const char *call_extra,
                             const char *review_extra, const char *tranche_extra) {
  char text[4096];
  snprintf(text, sizeof text,
           "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
           " \"gpu_types\": [{\"name\": \"G\", \"price_krw_per_gpu_hour\": 1000}],"
           " \"pools\": [{\"name\": \"p\"}],"
           " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
           "   \"nodes\": 10, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"%s}]},"
           " \"review\": {\"reviewers\": %d, \"reviews_per_proposal\": 1, \"review_days\": 2,"
           "   \"interview_slots_per_day\": 1%s},"
           " \"pricing\": {\"self_pay\": {\"industry\": 0.1}},"
           " \"demand\": {\"calls\": [{\"name\": \"c\", \"pool\": \"p\", \"gpu_type\": \"G\","
           "   \"open\": \"2026-01-01\", \"close\": \"2026-01-11\", \"proposals\": 0, \"servers\": 1,"
           "   \"months\": 1, \"sector_mix\": {\"academia\": 1}, \"capacity\": {\"G\": %d},"
           "   \"committees\": [\"2026-01-16\"], \"committee_every_days\": 7%s}],"
           "   \"designated\": [{\"name\": \"d\", \"pool\": \"p\", \"gpu_type\": \"G\", \"sector\": \"national\","
           "   \"servers\": 2, \"start\": \"2026-03-02\", \"phases\": [{\"teams\": 2, \"days\": 10}, {\"teams\": 1, \"days\": 5}]}]},"
           " \"policies\": [{\"name\": \"score\", \"selection\": \"score\"}, {\"name\": \"fcfs\", \"selection\": \"fcfs\"}],"
           " \"output\": {\"sample_every_days\": 1}}",
           tranche_extra, reviewers, review_extra, capacity, call_extra);
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

/* A call proposal submitted at T for UNITS servers held DAYS, with review
 * SCORE (each reviewer's time is 2 days: run). */
static gp_wprop prop(double t, int units, double days, double score) {
  gp_wprop p;
  memset(&p, 0, sizeof p);
  p.submitted = t;
  p.units = units;
  p.duration = days;
  p.score = score;
  p.quality = score;
  p.use = 1;
  p.sector = 2; /* academia */
  p.withdraw_at = HUGE_VAL;
  return p;
}

static void run(const gp_scenario *s, gp_wprop *props, size_t n, int policy, gp_run_out *out) {
  double online[1] = {0};
  gp_err err;
  gp_err_clear(&err);
  float rd[8]; /* each proposal's one review: 2 days */
  ASSERT(n <= 8 && s->review.reviews == 1);
  for (size_t i = 0; i < n; i++) rd[i] = 2;
  gp_world *w = gp_world_make(s, 0, props, rd, n, online, &err);
  if (!w || gp_run_policy(s, w, policy, 1, out, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_world_free(w);
}

/* One reviewer, 2 days a review, all screened at the close (day 10):
 * reviews end on days 12, 14, 16.  The committee of day 15 decides the first
 * two; the third waits for the next sitting, 7 days later: day 22.  Onboarding
 * is 0, so each starts on its decision day. */
static void panel_queue_and_committees(void) {
  gp_scenario *s = scenario(1, 5, "", "", "");
  ASSERT(s);
  gp_wprop props[3] = {prop(1, 1, 30, 0.5), prop(2, 1, 30, 0.5), prop(3, 1, 30, 0.5)};
  gp_run_out out;
  run(s, props, 3, 0, &out);
  ASSERT_DBL_EQ(out.props[0].decided, 15);
  ASSERT_DBL_EQ(out.props[1].decided, 15);
  ASSERT_DBL_EQ(out.props[2].decided, 22);
  ASSERT_DBL_EQ(out.props[2].started, 22);
  ASSERT_EQ(out.calls[0].proposals, 3);
  ASSERT_EQ(out.calls[0].accepted, 3);
  ASSERT_DBL_EQ(out.calls[0].first_decision, 15);
  ASSERT_DBL_EQ(out.calls[0].last_decision, 22);
  ASSERT_NEAR(out.calls[0].mean_decision, (15 + 15 + 22) / 3.0, 1e-12);
  ASSERT_NEAR(out.calls[0].oversubscription, 3.0 / 5.0, 1e-12);
  /* Scores are known once reviewed. */
  ASSERT_DBL_EQ(out.props[0].score, 0.5);
  /* Backlog: 3 in review from day 3 to day 15, then 1 until day 22. */
  size_t n = out.nsamples;
  ASSERT_DBL_EQ(out.ts[GP_TS_BACKLOG * n + 14], 3);
  ASSERT_DBL_EQ(out.ts[GP_TS_BACKLOG * n + 16], 1);
  ASSERT_DBL_EQ(out.ts[GP_TS_BACKLOG * n + 22], 0);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Budget 5 servers.  Submitted in order D(1 server, score .6), C(2, .7),
 * B(3, .8), A(3, .9).  score: A (5 -> 2); B does not fit, which closes the
 * budget: C and D are not funded although C would fit.  fcfs: D (5 -> 4),
 * C (4 -> 2); B does not fit and closes it, so A is not funded either. */
static void selection_rules_and_budget(void) {
  gp_scenario *s = scenario(0, 5, "", "", "");
  ASSERT(s);
  gp_wprop props[4] = {prop(1, 1, 30, 0.6), prop(2, 2, 30, 0.7), prop(3, 3, 30, 0.8),
                       prop(4, 3, 30, 0.9)};
  gp_run_out out;
  run(s, props, 4, 0, &out); /* score */
  int want_score[4] = {GP_OUT_REJECTED, GP_OUT_REJECTED, GP_OUT_REJECTED, GP_OUT_FINISHED};
  for (int i = 0; i < 4; i++) ASSERT_EQ(out.props[i].outcome, want_score[i]);
  ASSERT_DBL_EQ(out.calls[0].units_awarded, 3);
  ASSERT_DBL_EQ(out.calls[0].gpus_awarded_academia, 24);
  ASSERT_NEAR(out.summary.mean_quality_accepted, 0.9, 1e-12);
  ASSERT_NEAR(out.summary.mean_quality_rejected, (0.8 + 0.7 + 0.6) / 3, 1e-12);
  gp_run_out_free(&out);
  run(s, props, 4, 1, &out); /* fcfs */
  int want_fcfs[4] = {GP_OUT_FINISHED, GP_OUT_FINISHED, GP_OUT_REJECTED, GP_OUT_REJECTED};
  for (int i = 0; i < 4; i++) ASSERT_EQ(out.props[i].outcome, want_fcfs[i]);
  ASSERT_DBL_EQ(out.calls[0].units_awarded, 3);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Unlimited reviewers: four large proposals are all reviewed on day 12.  One
 * interview slot a day, from day 13: #0 on day 13 (the committee of day 15
 * will decide it); #1 on day 14, where it fails (u_interview above
 * interview_pass) and is rejected at once; #2 on day 15, just after that
 * committee sat, so a second sitting the same day decides it; #3 on day 16,
 * decided at the next sitting, day 22. */
static void interviews(void) {
  gp_scenario *s = scenario(0, 5, "", ", \"interview_pass\": 0.5", "");
  ASSERT(s);
  gp_wprop props[4] = {prop(1, 1, 30, 0.5), prop(2, 1, 30, 0.5), prop(3, 1, 30, 0.5),
                       prop(4, 1, 30, 0.5)};
  for (int i = 0; i < 4; i++) props[i].interview = 1;
  props[1].u_interview = 0.9f;
  gp_run_out out;
  run(s, props, 4, 0, &out);
  ASSERT_DBL_EQ(out.props[0].decided, 15);
  ASSERT_EQ(out.props[1].outcome, GP_OUT_REJECTED);
  ASSERT_DBL_EQ(out.props[1].decided, 14);
  ASSERT_DBL_EQ(out.props[2].decided, 15);
  ASSERT_DBL_EQ(out.props[3].decided, 22); /* interviewed on day 16 */
  ASSERT_EQ(out.calls[0].interviewed, 4);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Screening: a proposal whose u_screen is not below screening_pass is
 * rejected when its screening ends (close + screening days = 10 + 3). */
static void screening(void) {
  gp_scenario *s = scenario(1, 5, "", ", \"screening_pass\": 0.5, \"screening_days\": 3", "");
  ASSERT(s);
  gp_wprop props[2] = {prop(1, 1, 30, 0.5), prop(2, 1, 30, 0.5)};
  for (int i = 0; i < 2; i++) props[i].screening_days = 3;
  props[1].u_screen = 0.7f;
  gp_run_out out;
  run(s, props, 2, 0, &out);
  ASSERT_EQ(out.props[1].outcome, GP_OUT_REJECTED);
  ASSERT_DBL_EQ(out.props[1].decided, 13);
  ASSERT(isnan(out.props[1].score));
  ASSERT_DBL_EQ(out.props[0].decided, 15);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Withdrawal at each stage: #0 in review (day 11), #1 while running (day 20:
 * it started on day 15 and releases its 5 servers), #2 never (it waits for
 * #1's servers: 10 servers, #1 holds 5, #2 asks 6 -> starts on day 20). */
static void withdrawals(void) {
  gp_scenario *s = scenario(0, 100, "", "", "");
  ASSERT(s);
  gp_wprop props[3] = {prop(1, 1, 30, 0.5), prop(2, 5, 30, 0.5), prop(3, 6, 30, 0.5)};
  props[0].withdraw_at = 11;
  props[1].withdraw_at = 20;
  gp_run_out out;
  run(s, props, 3, 1, &out);
  ASSERT_EQ(out.props[0].outcome, GP_OUT_WITHDRAWN);
  ASSERT(isnan(out.props[0].decided)); /* never: NaN in the rows */
  ASSERT_EQ(out.props[1].outcome, GP_OUT_WITHDRAWN);
  ASSERT_DBL_EQ(out.props[1].started, 15);
  ASSERT_DBL_EQ(out.props[1].finished, 20);
  ASSERT_DBL_EQ(out.props[2].started, 20);
  ASSERT_EQ(out.calls[0].withdrawn, 2);
  ASSERT_EQ(out.summary.withdrawn, 2);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* supply_from: accepted on day 15, but the GPUs are supplied from day 40. */
static void supply_date(void) {
  gp_scenario *s = scenario(0, 5, ", \"supply_from\": \"2026-02-10\"", "", "");
  ASSERT(s);
  gp_wprop props[1] = {prop(1, 1, 30, 0.5)};
  gp_run_out out;
  run(s, props, 1, 0, &out);
  ASSERT_DBL_EQ(out.props[0].decided, 15);
  ASSERT_DBL_EQ(out.props[0].started, 40);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Designated: 2 teams from day 60 for 10 days, then 1 team for 5 days;
 * 2 servers each, no review.  Money: one industry project of 1 server
 * (8 GPUs) for 10 days at 1,000 KRW per GPU-hour costs 1,920,000 KRW, of
 * which industry pays 10%; national teams pay nothing: (2 x 2 x 10 + 1 x 2
 * x 5) server-days x 8 GPUs x 24 h x 1,000 KRW = 9,600,000 KRW of subsidy. */
static void designated_and_money(void) {
  gp_scenario *s = scenario(0, 5, "", "", "");
  ASSERT(s);
  /* The world as gp_world_new makes it: the call's proposal, then the
   * designated teams (origin 1) at their phase starts. */
  gp_wprop props[4] = {prop(1, 1, 10, 0.5), prop(60, 2, 10, NAN), prop(60, 2, 10, NAN),
                       prop(70, 2, 5, NAN)};
  props[0].sector = 0; /* industry */
  for (int i = 1; i < 4; i++) {
    props[i].origin = 1;
    props[i].designated = 1;
    props[i].sector = 4;
  }
  gp_run_out out;
  run(s, props, 4, 0, &out);
  for (int i = 1; i < 4; i++) {
    ASSERT_DBL_EQ(out.props[i].decided, out.props[i].submitted);
    ASSERT_DBL_EQ(out.props[i].started, out.props[i].submitted);
    ASSERT_EQ(out.props[i].outcome, GP_OUT_FINISHED);
  }
  ASSERT_EQ(out.calls[1].accepted, 3);
  ASSERT_NEAR(out.summary.selfpay_krw, 192000, 1e-6);
  ASSERT_NEAR(out.summary.subsidy_krw, 1728000 + 9600000, 1e-6);
  ASSERT(isnan(out.calls[1].oversubscription));
  gp_run_out_free(&out);
  /* gp_world_new makes the same teams from the scenario. */
  gp_err err;
  gp_err_clear(&err);
  gp_world *w = gp_world_new(s, 0, &err);
  ASSERT(w);
  ASSERT_EQ(w->n, 3); /* the call expects 0 proposals */
  ASSERT_DBL_EQ(w->props[0].submitted, 60);
  ASSERT_DBL_EQ(w->props[2].submitted, 70);
  ASSERT_DBL_EQ(w->props[2].duration, 5);
  ASSERT_EQ(w->props[2].units, 2);
  gp_world_free(w);
  gp_scenario_free(s);
}

/* Failures never break conservation: at every sample usable <= installed,
 * busy <= allocated <= usable + failed held servers; GPU-hours are lost; the
 * run is reproducible; with failures the busy GPU-time is lower. */
static void failures(void) {
  gp_scenario *s = scenario(0, 1000, "", "", ", \"failures\": {\"mtbf_days\": 20, \"repair_days\": 3}");
  gp_scenario *s0 = scenario(0, 1000, "", "", "");
  ASSERT(s && s0);
  gp_wprop props[8];
  for (int i = 0; i < 8; i++) props[i] = prop(1 + i, 1 + i % 3, 40, 0.5);
  gp_run_out a, b, c;
  run(s, props, 8, 1, &a);
  run(s, props, 8, 1, &b);
  run(s0, props, 8, 1, &c);
  size_t n = a.nsamples;
  for (size_t k = 0; k < n; k++) {
    ASSERT(a.ts[GP_TS_USABLE * n + k] <= a.ts[GP_TS_INSTALLED * n + k]);
    ASSERT(a.ts[GP_TS_BUSY * n + k] <= a.ts[GP_TS_ALLOCATED * n + k] + 1e-9);
    ASSERT(a.ts[GP_TS_USABLE * n + k] >= 0);
  }
  /* 10 nodes x 100 days / 20 days between failures: about 50 failures of 3
   * days x 8 GPUs: ~28,800 GPU-hours; at least one must have happened. */
  ASSERT_GT(a.summary.failed_gpu_hours, 0);
  ASSERT_DBL_EQ(a.summary.failed_gpu_hours, b.summary.failed_gpu_hours);
  ASSERT_DBL_EQ(a.summary.mean_busy_gpus, b.summary.mean_busy_gpus);
  ASSERT_DBL_EQ(c.summary.failed_gpu_hours, 0);
  ASSERT(a.summary.mean_usable_gpus < c.summary.mean_usable_gpus);
  gp_run_out_free(&a);
  gp_run_out_free(&b);
  gp_run_out_free(&c);
  gp_scenario_free(s);
  gp_scenario_free(s0);
}

/* Failures with a ramp (batches on days 3.5-23.5), a first-online date
 * off the day grid and an agreement ending on day 78 (repairs after it).
 * Until issue 22 the figures were those of the failure process as it was
 * when every run drew its own failures (cancelling and redrawing the next
 * one at every batch, failure and repair), on the MT19937 streams: drawing
 * them once per world reproduced them exactly, which established that the
 * world's draw is the runs' process.  That in-run process is gone from the
 * code, so on the Philox streams (issue 22) the figures are those of the
 * same world draw (models/world/failures.c unchanged but for the stream),
 * pinned at the switch: a change to the failure process's sample paths
 * must be made on purpose (tools/same-output.sh shows the same on files). */
static void failures_known_answer(void) {
  gp_scenario *s = scenario(0, 1000, "", "",
                            ", \"ramp_days\": 20, \"end\": \"2026-03-20\", \"failures\": {\"mtbf_days\": 5,"
                            " \"repair_days\": {\"dist\": \"exponential\", \"mean\": 4, \"max_value\": 30}}");
  ASSERT(s);
  gp_wprop props[8];
  float rd[8];
  for (int i = 0; i < 8; i++) {
    props[i] = prop(1 + i, 1 + i % 3, 40, 0.5);
    rd[i] = 2;
  }
  double online[1] = {3.5};
  const double failed[2] = {62036.830939764892, 50587.360421383804};
  const double busy[2] = {29.774875961263579, 32.765495674689006};
  const double usable[2] = {54.314316973509264, 54.801608982418763};
  const int events[2] = {296, 299};
  gp_runner *r = gp_runner_new(s);
  ASSERT(r);
  gp_err err;
  gp_err_clear(&err);
  /* One runner, worlds 0, 1, 0, each against fcfs, then score: the same as
   * a fresh run each time. */
  for (int i = 0; i < 3; i++) {
    int rep = i % 2;
    gp_world *w = gp_world_make(s, rep, props, rd, 8, online, &err);
    if (!w) TEST_FAIL_("%s", err.msg);
    ASSERT_GT(w->fails.nfails, 0);
    for (int pol = 1; pol >= 0; pol--) {
      gp_run_out a, b;
      if (gp_runner_play(r, w, pol, 1, &a, &err) != 0) TEST_FAIL_("%s", err.msg);
      if (gp_run_policy(s, w, pol, 1, &b, &err) != 0) TEST_FAIL_("%s", err.msg);
      ASSERT(memcmp(&a.summary, &b.summary, sizeof a.summary) == 0);
      ASSERT(memcmp(a.ts, b.ts, gp_run_nseries(s) * a.nsamples * sizeof *a.ts) == 0);
      ASSERT(memcmp(a.props, b.props, a.nprops * sizeof *a.props) == 0);
      ASSERT_EQ(a.events, b.events);
      if (pol == 1) {
        ASSERT_DBL_EQ(a.summary.failed_gpu_hours, failed[rep]);
        ASSERT_DBL_EQ(a.summary.mean_busy_gpus, busy[rep]);
        ASSERT_DBL_EQ(a.summary.mean_usable_gpus, usable[rep]);
        ASSERT_EQ(a.events, events[rep]);
        ASSERT_EQ(a.summary.started, 8);
      }
      gp_run_out_free(&a);
      gp_run_out_free(&b);
    }
    gp_world_free(w);
  }
  gp_runner_free(r);
  gp_runner_free(NULL);
  gp_scenario_free(s);
}

int main(void) {
  RUN(panel_queue_and_committees);
  RUN(selection_rules_and_budget);
  RUN(interviews);
  RUN(screening);
  RUN(withdrawals);
  RUN(supply_date);
  RUN(designated_and_money);
  RUN(failures);
  RUN(failures_known_answer);
  TEST_EXIT();
}
