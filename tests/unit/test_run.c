/*
 * tests/unit/test_run.c - the programme model on worlds whose schedule can be
 * worked out by hand, and the independence of its random streams.
 */
#include <math.h>
#include <string.h>

#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "models/world/failures.h"
#include "sim/interrupt.h"
#include "tests/test.h"

/* One pool "p" with one tranche of NODES single-GPU servers online at ONLINE,
 * one stream; the world is replaced by hand in each test. */
static gp_scenario *scenario(const char *extra_tranche_keys, int nodes) {
  char text[2048];
  snprintf(text, sizeof text,
           "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
           " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
           " \"roadmap\": {\"target\": {\"gpus\": 10, \"date\": \"2026-01-21\"},"
           "   \"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
           "   \"nodes\": %d, \"gpus_per_node\": 1, \"online\": \"2026-01-01\"%s}]},"
           " \"demand\": {\"streams\": [{\"name\": \"s\", \"pool\": \"p\", \"gpu_type\": \"G\","
           "   \"rate_per_day\": 0, \"sector_mix\": {\"academia\": 1}, \"servers\": 1,"
           "   \"duration_days\": 1}]},"
           " \"output\": {\"sample_every_days\": 1}}",
           nodes, extra_tranche_keys);
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

static gp_wprop prop(double t, int servers, double days, double use) {
  gp_wprop p;
  memset(&p, 0, sizeof p);
  p.submitted = t;
  p.units = servers;
  p.duration = days;
  p.use = use;
  p.sector = 2;
  p.withdraw_at = HUGE_VAL;
  return p;
}

/* Policy 0 of S with detail on a world of the N proposals PROPS
 * (replication 0; the tranche first online at ONLINE[0]). */
static gp_run_out play_by_hand(const gp_scenario *s, gp_wprop *props, size_t n, double *online) {
  gp_run_out out;
  gp_err err;
  gp_err_clear(&err);
  gp_world *w = gp_world_make(s, 0, props, NULL, n, online, &err);
  if (!w || gp_run_policy(s, w, 0, 1, &out, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_world_free(w);
  return out;
}

/* Two servers; requests (t, servers, days): (0,1,10) (1,2,5) (2,1,3).
 * Strict FCFS: #0 starts at 0; #1 needs both servers and waits for #0 to end
 * at 10, runs 10-15; #2 waits behind #1 although a server is free, runs 15-18. */
static void fcfs_schedule_by_hand(void) {
  gp_scenario *s = scenario("", 2);
  ASSERT(s);
  gp_wprop props[3] = {prop(0, 1, 10, 1), prop(1, 2, 5, 0.5), prop(2, 1, 3, 1)};
  double online[1] = {0};
  gp_run_out out = play_by_hand(s, props, 3, online);
  ASSERT_EQ(out.nprops, 3);
  double start[3] = {0, 10, 15}, finish[3] = {10, 15, 18};
  for (int i = 0; i < 3; i++) {
    ASSERT_DBL_EQ(out.props[i].started, start[i]);
    ASSERT_DBL_EQ(out.props[i].finished, finish[i]);
    ASSERT_EQ(out.props[i].outcome, GP_OUT_FINISHED);
  }
  const gp_summary_row *r = &out.summary;
  ASSERT_EQ(r->proposals, 3);
  ASSERT_EQ(r->accepted, 3);
  ASSERT_DBL_EQ(r->mean_days_to_gpu, (0 + 9 + 13) / 3.0);
  /* GPU-days busy: 10 + 2 x 5 x 0.5 + 3 = 18 over 100 days x 2 GPUs. */
  ASSERT_NEAR(r->utilization, 18.0 / 200.0, 1e-12);
  ASSERT_NEAR(r->idle_gpu_hours, (200.0 - 18.0) * 24, 1e-9);
  ASSERT_NEAR(r->gpu_hours_requested, (10 + 10 + 3) * 24.0, 1e-9);
  /* Queue: #1 waits 1-10, #2 waits 2-15: 9 + 13 = 22 project-days. */
  ASSERT_NEAR(r->mean_queue_length, 22.0 / 100.0, 1e-12);
  /* Samples at whole days: at t=12, #1 holds both servers (busy 1), none wait. */
  size_t n = out.nsamples;
  ASSERT_EQ(n, 101);
  ASSERT_DBL_EQ(out.ts[GP_TS_ALLOCATED * n + 12], 2);
  ASSERT_DBL_EQ(out.ts[GP_TS_BUSY * n + 12], 1);
  ASSERT_DBL_EQ(out.ts[GP_TS_QUEUE * n + 12], 1);
  ASSERT_DBL_EQ(out.ts[GP_TS_QUEUE * n + 5], 2);
  ASSERT_DBL_EQ(out.summary.installed_gpus_at_target, 2);
  ASSERT_DBL_EQ(out.summary.gap_to_target, 8);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* A withdrawal from the queue lets the next project start at once.  Two
 * servers; (0,1,10) runs; (1,2,5) waits for both and withdraws on day 4;
 * (2,1,3), strictly behind it, then fits on the free server: 4-7, not at
 * day 10 when the next scheduling event would come. */
static void fcfs_withdrawal_unblocks_the_queue(void) {
  gp_scenario *s = scenario("", 2);
  ASSERT(s);
  gp_wprop props[3] = {prop(0, 1, 10, 1), prop(1, 2, 5, 1), prop(2, 1, 3, 1)};
  props[1].withdraw_at = 4;
  double online[1] = {0};
  gp_run_out out = play_by_hand(s, props, 3, online);
  ASSERT_EQ(out.nprops, 3);
  ASSERT_EQ(out.props[1].outcome, GP_OUT_WITHDRAWN);
  ASSERT(isnan(out.props[1].started)); /* never */
  ASSERT_DBL_EQ(out.props[2].started, 4);
  ASSERT_DBL_EQ(out.props[2].finished, 7);
  ASSERT_DBL_EQ(out.props[0].finished, 10);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Servers that arrive late, over a ramp, and leave at the agreement's end.
 * 4 nodes ramping over 3 days from day 10 (one node at 10, 11, 12, 13); the
 * agreement ends on day 30.  A 3-server request at day 0 starts at day 12,
 * runs 30 days past the end (it keeps its servers), and the tranche is empty
 * afterwards: a 1-server request at day 31 is never served. */
static void ramp_and_end(void) {
  gp_scenario *s = scenario(", \"ramp_days\": 3, \"end\": \"2026-01-31\"", 4);
  ASSERT(s);
  gp_wprop props[2] = {prop(0, 3, 30, 1), prop(31, 1, 1, 1)};
  double online[1] = {10};
  gp_run_out out = play_by_hand(s, props, 2, online);
  size_t n = out.nsamples;
  ASSERT_DBL_EQ(out.ts[GP_TS_INSTALLED * n + 9], 0);
  ASSERT_DBL_EQ(out.ts[GP_TS_INSTALLED * n + 10], 1);
  ASSERT_DBL_EQ(out.ts[GP_TS_INSTALLED * n + 11], 2);
  ASSERT_DBL_EQ(out.ts[GP_TS_INSTALLED * n + 13], 4);
  ASSERT_DBL_EQ(out.props[0].started, 12);
  ASSERT_DBL_EQ(out.props[0].finished, 42);
  /* After the end (day 30) only the 3 held servers remain; after 42, none. */
  ASSERT_DBL_EQ(out.ts[GP_TS_INSTALLED * n + 35], 3);
  ASSERT_DBL_EQ(out.ts[GP_TS_INSTALLED * n + 43], 0);
  ASSERT(isnan(out.props[1].started)); /* never */
  ASSERT_EQ(out.props[1].outcome, GP_OUT_WAITING);
  ASSERT_EQ(out.summary.waiting_at_end, 1);
  /* At the target date (day 20) all 4 nodes were installed. */
  ASSERT_DBL_EQ(out.summary.installed_gpus_at_target, 4);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* A request larger than any tranche is rejected, not queued forever. */
static void too_large_is_rejected(void) {
  gp_scenario *s = scenario("", 2);
  ASSERT(s);
  gp_wprop props[2] = {prop(0, 3, 1, 1), prop(1, 1, 1, 1)};
  double online[1] = {0};
  gp_run_out out = play_by_hand(s, props, 2, online);
  ASSERT_EQ(out.props[0].outcome, GP_OUT_REJECTED);
  ASSERT_DBL_EQ(out.props[1].started, 1);
  ASSERT_EQ(out.summary.accepted, 1);
  ASSERT_NEAR(out.summary.acceptance_rate, 0.5, 0);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Worlds: the same (seed, rep) gives the same world; a stream's proposals do
 * not change when another stream is added before it. */
#define TWO_STREAMS_HEAD                                                                 \
  "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2027-01-01\", \"seed\": 5,"                \
  " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"                          \
  " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","           \
  "   \"nodes\": 4, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}]},"                          \
  " \"demand\": {\"streams\": ["
#define TWO_STREAMS_TAIL                                                                 \
  "{\"name\": \"s\", \"pool\": \"p\", \"gpu_type\": \"G\","                                       \
  "   \"rate_per_day\": 2, \"growth_per_year\": 0.5, \"sector_mix\": {\"academia\": 1, \"industry\": 1}," \
  "   \"servers\": {\"dist\": \"uniform\", \"min\": 1, \"max\": 4},"                                \
  "   \"duration_days\": {\"dist\": \"exponential\", \"mean\": 30}}]}}"

static gp_world *world(const char *other, int rep, gp_scenario **sp) {
  char text[4096];
  snprintf(text, sizeof text, "%s%s%s", TWO_STREAMS_HEAD, other, TWO_STREAMS_TAIL);
  gp_err err;
  gp_err_clear(&err);
  *sp = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!*sp) fprintf(stderr, "  %s\n", err.msg);
  return *sp ? gp_world_new(*sp, rep, &err) : NULL;
}

static void worlds_are_reproducible_and_independent(void) {
  gp_scenario *s1, *s2, *s3;
  gp_world *a = world("", 0, &s1), *b = world("", 0, &s2);
  gp_world *c = world("{\"name\": \"other\", \"pool\": \"p\", \"gpu_type\": \"G\", \"rate_per_day\": 3,"
                      " \"sector_mix\": {\"industry\": 1}, \"servers\": 2, \"duration_days\": 5},",
                      0, &s3);
  ASSERT(a && b && c);
  ASSERT_GT(a->n, 500);
  ASSERT_EQ(a->n, b->n);
  ASSERT(memcmp(a->props, b->props, a->n * sizeof *a->props) == 0);
  /* Stream "s" is index 0 in a, index 1 in c: its proposals are the same. */
  size_t k = 0;
  for (size_t i = 0; i < c->n; i++) {
    if (c->props[i].origin != 1) continue;
    ASSERT(k < a->n);
    ASSERT_DBL_EQ(c->props[i].submitted, a->props[k].submitted);
    ASSERT_EQ(c->props[i].units, a->props[k].units);
    ASSERT_DBL_EQ(c->props[i].duration, a->props[k].duration);
    ASSERT_EQ(c->props[i].sector, a->props[k].sector);
    k++;
  }
  ASSERT_EQ(k, a->n);
  /* Growth of 50% a year: rate 2 x 1.5^(t/365).  Arrivals in each half-year
   * are Poisson with mean 2 x 365 x (1.5^b - 1.5^a) / ln 1.5: 404.9 and 496.0
   * (365 each without growth).  Each count must lie within 4 Poisson
   * standard deviations of its mean. */
  double m1 = 730 * (sqrt(1.5) - 1) / log(1.5), m2 = 730 * (1.5 - sqrt(1.5)) / log(1.5);
  size_t first = 0;
  for (size_t i = 0; i < a->n; i++) first += a->props[i].submitted < 182.5;
  ASSERT_NEAR((double)first, m1, 4 * sqrt(m1));
  ASSERT_NEAR((double)(a->n - first), m2, 4 * sqrt(m2));
  gp_scenario *s4;
  gp_world *d = world("", 1, &s4);
  ASSERT(d);
  ASSERT(d->n != a->n || memcmp(d->props, a->props, a->n * sizeof *a->props) != 0);
  gp_world_free(a);
  gp_world_free(b);
  gp_world_free(c);
  gp_world_free(d);
  gp_scenario_free(s1);
  gp_scenario_free(s2);
  gp_scenario_free(s3);
  gp_scenario_free(s4);
}

/* A world redrawn in place (gp_world_renew, as a worker keeps one) is the
 * world gp_world_new draws, array for array: proposals, online times, the
 * pipeline's record, the failures, the ranking; through replications 0, 1,
 * 0 of the baseline (failures, and policies that rank by score), then of a
 * variant with more demand (the arrays grow) and back. */
static void same_world(const gp_world *a, const gp_world *b, int ntranches) {
  ASSERT_EQ(a->rep, b->rep);
  ASSERT_EQ(a->n, b->n);
  ASSERT(memcmp(a->props, b->props, a->n * sizeof *a->props) == 0);
  ASSERT(memcmp(a->online, b->online, (size_t)ntranches * sizeof *a->online) == 0);
  ASSERT_EQ(a->pipe_recorded, b->pipe_recorded);
  ASSERT_EQ(a->pipe.n, b->pipe.n);
  ASSERT_EQ(a->pipe.neff, b->pipe.neff);
  for (size_t k = 0; k <= a->pipe.n; k++) { /* field by field: gp_pentry has padding */
    const gp_pentry *x = &a->pipe.e[k], *y = &b->pipe.e[k];
    ASSERT(x->t == y->t && x->par == y->par && x->ord == y->ord && x->eff == y->eff);
  }
  ASSERT(memcmp(a->pipe.eff, b->pipe.eff, a->pipe.neff * sizeof *a->pipe.eff) == 0);
  if (a->pipe_recorded) ASSERT(memcmp(a->pipe.reviewed, b->pipe.reviewed, a->n) == 0);
  else ASSERT_EQ(a->pipe.n, 0); /* runs play the pipeline: no record */
  ASSERT_EQ(a->nret, b->nret);
  ASSERT_EQ(a->fails.n, b->fails.n);
  ASSERT_EQ(a->fails.nfails, b->fails.nfails);
  ASSERT(memcmp(a->fails.m, b->fails.m, a->fails.n * sizeof *a->fails.m) == 0);
  ASSERT_EQ(a->ranking.made, b->ranking.made);
  if (a->ranking.made) {
    ASSERT_EQ(a->ranking.n, b->ranking.n);
    ASSERT(memcmp(a->ranking.rank, b->ranking.rank, a->n * sizeof *a->ranking.rank) == 0);
    ASSERT(memcmp(a->ranking.by_rank, b->ranking.by_rank, a->ranking.n * sizeof *a->ranking.by_rank) == 0);
  }
}

/* S without returning applicants: the review pipeline is then the same
 * under every policy, and worlds of several policies record it. */
static void no_returns(gp_scenario *s) {
  for (int c = 0; c < s->ncalls; c++) s->calls[c].a.resubmit_probability = s->calls[c].a.renew_probability = 0;
  for (int k = 0; k < s->nstreams; k++)
    s->streams[k].a.resubmit_probability = s->streams[k].a.renew_probability = 0;
}

static void renewed_world_is_a_new_world(void) {
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *base = gp_scenario_load("scenarios/baseline.json", NULL, &err);
  if (!base) TEST_FAIL_("%s", err.msg);
  const char *more[] = {"demand.streams[0].rate_per_day=40"};
  gp_overrides ov = GP_OVERRIDES_NONE;
  ov.sets = more;
  ov.nsets = 1;
  gp_scenario *big = gp_scenario_load("scenarios/baseline.json", &ov, &err);
  if (!big) TEST_FAIL_("%s", err.msg);
  gp_scenario *nor = gp_scenario_load("scenarios/baseline.json", NULL, &err);
  if (!nor) TEST_FAIL_("%s", err.msg);
  no_returns(nor);
  gp_world *kept = NULL;
  /* recorded pipelines (nor), then played ones (base), then recorded again */
  const gp_scenario *seq[] = {nor, nor, base, big, base, nor};
  int reps[] = {0, 1, 0, 1, 0, 1};
  size_t grown = 0;
  for (int i = 0; i < 6; i++) {
    const gp_scenario *s = seq[i];
    kept = gp_world_renew(kept, s, reps[i], &err);
    gp_world *fresh = gp_world_new(s, reps[i], &err);
    if (!kept || !fresh) TEST_FAIL_("%s", err.msg);
    ASSERT_GT(fresh->fails.nfails, 0);
    ASSERT(fresh->ranking.made);
    same_world(kept, fresh, s->ntranches);
    ASSERT_EQ(kept->pipe_recorded, s == nor);
    if (s == big) grown = kept->n;
    gp_world_free(fresh);
  }
  ASSERT_GT(grown, 2 * kept->n); /* the big world needed more room than the others */
  gp_world_free(kept);
  gp_scenario_free(base);
  gp_scenario_free(big);
  gp_scenario_free(nor);
}

/* A stream's budget is per committee sitting: capacity 2 servers a sitting,
 * sittings every 10 days.  Six requests on days 1-6 -> the day-10 sitting
 * accepts 2 (in submission order: fcfs); three on days 11-13 -> the day-20
 * sitting accepts 2 more.  A call's budget would have run out after the
 * first sitting. */
static void stream_budget_per_sitting(void) {
  gp_err err;
  gp_err_clear(&err);
  const char *text =
      "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
      " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
      " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
      "   \"nodes\": 10, \"gpus_per_node\": 1, \"online\": \"2026-01-01\"}]},"
      " \"demand\": {\"streams\": [{\"name\": \"s\", \"pool\": \"p\", \"gpu_type\": \"G\","
      "   \"rate_per_day\": 0, \"sector_mix\": {\"academia\": 1}, \"servers\": 1,"
      "   \"duration_days\": 1, \"capacity\": {\"G\": 2}, \"committee_every_days\": 10}]},"
      " \"policies\": [{\"name\": \"fcfs\", \"selection\": \"fcfs\"}]}";
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) TEST_FAIL_("%s", err.msg);
  gp_wprop props[9];
  double days[9] = {1, 2, 3, 4, 5, 6, 11, 12, 13};
  for (int i = 0; i < 9; i++) props[i] = prop(days[i], 1, 1, 1);
  double online[1] = {0};
  gp_world *w = gp_world_make(s, 0, props, NULL, 9, online, &err);
  gp_run_out out;
  if (!w || gp_run_policy(s, w, 0, 1, &out, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_world_free(w);
  int accepted[9] = {1, 1, 0, 0, 0, 0, 1, 1, 0};
  for (int i = 0; i < 9; i++) {
    ASSERT_EQ(out.props[i].outcome != GP_OUT_REJECTED, accepted[i]);
    ASSERT_DBL_EQ(out.props[i].decided, i < 6 ? 10 : 20);
  }
  ASSERT_EQ(out.calls[0].accepted, 4);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* A runner playing the baseline's policies against worlds 0, 1, 0 (so that
 * it starts over when the world changes back) gives what a fresh run gives,
 * proposal by proposal: on the baseline, whose returning applicants make
 * every run play the review pipeline itself, and on the baseline without
 * them, whose worlds record the pipeline for every run to replay.  With a
 * record, the pipeline's outcomes (who was reviewed, who was turned down by
 * screening or interview, who withdrew in review, and when) are the same
 * under every policy; with returning applicants, the policies that bring
 * more of them back load the panel more, and the outcomes may differ. */
static void runner_replays_the_pipeline(void) {
  gp_err err;
  gp_err_clear(&err);
  for (int recorded = 0; recorded < 2; recorded++) {
    gp_scenario *s = gp_scenario_load("scenarios/baseline.json", NULL, &err);
    if (!s) TEST_FAIL_("%s", err.msg);
    if (recorded) no_returns(s);
    gp_world *w[2] = {gp_world_new(s, 0, &err), gp_world_new(s, 1, &err)};
    ASSERT(w[0] && w[1]);
    ASSERT_EQ(w[0]->pipe_recorded, recorded);
    ASSERT_GT(s->npolicies, 2);
    gp_runner *r = gp_runner_new(s);
    ASSERT(r);
    for (int i = 0; i < 3; i++) {
      const gp_world *wd = w[i % 2];
      gp_run_out first;
      memset(&first, 0, sizeof first);
      for (int pol = 0; pol < s->npolicies; pol++) {
        gp_run_out a, b;
        if (gp_runner_play(r, wd, pol, 1, &a, &err) != 0) TEST_FAIL_("%s", err.msg);
        if (gp_run_policy(s, wd, pol, 1, &b, &err) != 0) TEST_FAIL_("%s", err.msg);
        /* the world's proposals, then (the baseline) the returning applicants
         * that came under this policy (scenarios/README.md, Returning
         * applicants) */
        if (recorded) ASSERT_EQ(a.nprops, wd->n);
        else ASSERT_GT(a.nprops, wd->n);
        ASSERT_EQ(a.nprops, b.nprops);
        ASSERT(memcmp(&a.summary, &b.summary, sizeof a.summary) == 0);
        ASSERT(memcmp(a.props, b.props, a.nprops * sizeof *a.props) == 0);
        ASSERT(memcmp(a.ts, b.ts, gp_run_nseries(s) * a.nsamples * sizeof *a.ts) == 0);
        ASSERT_EQ(a.events, b.events);
        ASSERT_GT(a.events, 5 * wd->n);
        int reviewed = 0, screened_out = 0;
        for (size_t k = 0; k < a.nprops; k++) {
          const gp_proposal_row *x = &a.props[k];
          ASSERT_EQ(x->returning != GP_RET_NEW, k >= wd->n);
          reviewed += !isnan(x->score);
          screened_out += x->outcome == GP_OUT_REJECTED && isnan(x->score);
          if (pol == 0 || !recorded) continue;
          const gp_proposal_row *y = &first.props[k];
          /* Reviewed or not, under every policy. */
          ASSERT_EQ(isnan(x->score), isnan(y->score));
          /* Turned down before any committee (not reviewed), or withdrawn
           * before a decision: the same proposals at the same times. */
          if (isnan(y->score) && y->outcome == GP_OUT_REJECTED) {
            ASSERT_EQ(x->outcome, GP_OUT_REJECTED);
            ASSERT_DBL_EQ(x->decided, y->decided);
          }
          if (isnan(y->decided)) ASSERT(isnan(x->decided));
        }
        ASSERT_GT(reviewed, (int)wd->n / 2);
        ASSERT_GT(screened_out, 0);
        gp_run_out_free(&b);
        if (pol == 0) first = a;
        else gp_run_out_free(&a);
      }
      gp_run_out_free(&first);
    }
    gp_runner_free(r);
    gp_world_free(w[0]);
    gp_world_free(w[1]);
    gp_scenario_free(s);
  }
}

/* Policy POL of S (its npolicies policies) against the world of the N
 * proposals PROPS of replication REP, twice: alone (a world of one policy
 * keeps no record of the review pipeline: the run plays it) and among all
 * (the world records it: the run replays the record).  The two runs are the
 * same bit for bit (review.c's invariant). */
static void played_is_replayed(gp_scenario *s, int pol, int rep, const gp_wprop *props,
                               const float *rd, size_t n, const double *online) {
  gp_err err;
  gp_err_clear(&err);
  int np = s->npolicies;
  gp_world *all =
      props ? gp_world_make(s, rep, props, rd, n, online, &err) : gp_world_new(s, rep, &err);
  if (!all) TEST_FAIL_("%s", err.msg);
  ASSERT(all->pipe_recorded);
  gp_run_out a, b;
  if (gp_run_policy(s, all, pol, 1, &b, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_policy_spec keep = s->policies[0]; /* POL alone */
  s->policies[0] = s->policies[pol];
  s->policies[pol] = keep;
  s->npolicies = 1;
  gp_world *one =
      props ? gp_world_make(s, rep, props, rd, n, online, &err) : gp_world_new(s, rep, &err);
  int rc = one ? gp_run_policy(s, one, 0, 1, &a, &err) : -1;
  s->npolicies = np;
  s->policies[pol] = s->policies[0];
  s->policies[0] = keep;
  if (rc != 0) TEST_FAIL_("%s", err.msg);
  ASSERT(!one->pipe_recorded);
  ASSERT_EQ(a.nprops, b.nprops);
  ASSERT(memcmp(&a.summary, &b.summary, sizeof a.summary) == 0);
  ASSERT(memcmp(a.props, b.props, a.nprops * sizeof *a.props) == 0);
  ASSERT(memcmp(a.ts, b.ts, gp_run_nseries(s) * a.nsamples * sizeof *a.ts) == 0);
  ASSERT_EQ(a.events, b.events);
  ASSERT_GT(a.summary.accepted, 0);
  gp_run_out_free(&a);
  gp_run_out_free(&b);
  gp_world_free(one);
  gp_world_free(all);
}

/* A run that plays the review pipeline itself gives, bit for bit, the run
 * that replays the world's record of it: every policy of the baseline
 * without returning applicants, replications 0 and 1; then a world made by
 * hand where every time is a whole number of days (submissions, screening,
 * reviews, withdrawals, interview days, committees), with a small panel and
 * one interview a day, so that events of the same time abound and must fire
 * in the same order. */
static void review_played_or_replayed(void) {
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_load("scenarios/baseline.json", NULL, &err);
  if (!s) TEST_FAIL_("%s", err.msg);
  no_returns(s);
  ASSERT_GT(s->npolicies, 2);
  for (int rep = 0; rep < 2; rep++)
    for (int pol = 0; pol < s->npolicies; pol++)
      played_is_replayed(s, pol, rep, NULL, NULL, 0, NULL);
  gp_scenario_free(s);

  const char *text =
      "{\"name\": \"ties\", \"epoch\": \"2026-01-01\", \"end\": \"2026-05-01\","
      " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
      " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
      "   \"nodes\": 6, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}]},"
      " \"review\": {\"screening_days\": 2, \"screening_pass\": 0.8, \"reviewers\": 12,"
      "   \"reviews_per_proposal\": 2, \"review_days\": 1, \"interview_slots_per_day\": 1,"
      "   \"interview_pass\": 0.7, \"onboarding_days\": 1},"
      " \"demand\": {\"calls\": ["
      "  {\"name\": \"c1\", \"pool\": \"p\", \"gpu_type\": \"G\", \"open\": \"2026-01-01\","
      "   \"close\": \"2026-01-11\", \"proposals\": 0, \"servers\": 1, \"duration_days\": 5,"
      "   \"sector_mix\": {\"academia\": 1}, \"capacity\": {\"G\": 12},"
      "   \"committees\": [\"2026-01-16\", \"2026-01-20\"], \"committee_every_days\": 3},"
      "  {\"name\": \"c2\", \"pool\": \"p\", \"gpu_type\": \"G\", \"open\": \"2026-01-05\","
      "   \"close\": \"2026-01-31\", \"proposals\": 0, \"servers\": 1, \"duration_days\": 5,"
      "   \"sector_mix\": {\"academia\": 1}, \"committees\": [\"2026-02-03\"],"
      "   \"committee_every_days\": 2}]},"
      " \"policies\": [{\"name\": \"fcfs\"}, {\"name\": \"score\", \"selection\": \"score\"},"
      "   {\"name\": \"lottery\", \"selection\": \"lottery\"}]}";
  s = gp_scenario_parse("ties", text, strlen(text), NULL, &err);
  if (!s) TEST_FAIL_("%s", err.msg);
  enum { N = 240 };
  static gp_wprop props[N];
  static float rd[2 * N]; /* review_days: 2 reviews a proposal */
  uint32_t x = 12345; /* a fixed LCG: the same world every time */
#define NEXT() (x = x * 1664525u + 1013904223u, x >> 8)
  for (int i = 0; i < N; i++) {
    gp_wprop *p = &props[i];
    memset(p, 0, sizeof *p);
    p->origin = (int16_t)(i % 2);
    p->submitted = p->origin ? 4 + i / 10 : i / 24; /* in order, many on each day */
    p->screening_days = 2;
    p->units = 1 + (int32_t)(NEXT() % 3);
    p->duration = 1 + (double)(NEXT() % 6);
    p->quality = p->score = (double)(NEXT() % 100) / 100;
    p->use = 1;
    p->sector = 2;
    p->org = (int32_t)(NEXT() % 40);
    p->onboard_days = (double)(NEXT() % 2);
    rd[2 * i] = (float)(1 + NEXT() % 3); /* its two reviewers' times */
    rd[2 * i + 1] = (float)(1 + NEXT() % 3);
    p->u_screen = (float)(NEXT() % 100) / 100.0f;
    p->u_interview = (float)(NEXT() % 100) / 100.0f;
    p->interview = NEXT() % 3 == 0;
    p->withdraw_at = NEXT() % 5 < 2 ? p->submitted + (double)(NEXT() % 30) : HUGE_VAL;
  }
#undef NEXT
  for (int i = 1; i < N; i++) /* in submission order, as a world holds them (stable) */
    for (int j = i; j > 0 && props[j - 1].submitted > props[j].submitted; j--) {
      gp_wprop t = props[j];
      props[j] = props[j - 1];
      props[j - 1] = t;
      for (int k = 0; k < 2; k++) {
        float d = rd[2 * j + k];
        rd[2 * j + k] = rd[2 * (j - 1) + k];
        rd[2 * (j - 1) + k] = d;
      }
    }
  double online[1] = {0};
  for (int rep = 0; rep < 3; rep++)
    for (int pol = 0; pol < s->npolicies; pol++)
      played_is_replayed(s, pol, rep, props, rd, N, online);
  gp_scenario_free(s);
}

/* A signal stops the draw of a failure storm (issue 16, item 8: a world
 * took 9.4 s to stop on one): 2,000 nodes failing every 2 days over 100 days
 * make about 100,000 failures, more than the 65,536 between two looks at the
 * stop flag.  With the flag clear they are drawn; with it set the draw fails
 * with exit 128 + the signal and "interrupted". */
static void signal_stops_failure_draw(void) {
  gp_scenario *s = scenario(", \"failures\": {\"mtbf_days\": 2, \"repair_days\": 1}", 2000);
  ASSERT(s);
  double online[1] = {0};
  gp_failures f;
  memset(&f, 0, sizeof f);
  gp_err err;
  gp_err_clear(&err);
  if (gp_failures_draw(&f, s, 0, online, &err) != 0) TEST_FAIL_("%s", err.msg);
  ASSERT_GT(f.nfails, 65536);
  gp_interrupted = SIGINT;
  gp_err_clear(&err);
  int rc = gp_failures_draw(&f, s, 0, online, &err);
  gp_interrupted = 0;
  ASSERT_EQ(rc, -1);
  ASSERT_EQ(err.code, GP_EX_SIGNAL + SIGINT);
  ASSERT_CONTAINS(err.msg, "interrupted");
  gp_failures_free(&f);
  gp_scenario_free(s);
}

/* A world's failures drawn again are the same, also when the list is over
 * the size whose merge buffer is freed after each draw (failures.c,
 * SPARE_KEEP_MAX: 16 MiB, about 700,000 moments): 12,000 nodes failing every
 * 2 days make about 400,000 failures and as many repairs (19 MB of moments).
 * Drawn for replication 0, then 1, then 0 again, in one gp_failures and in
 * a fresh one. */
static void large_failure_lists_redraw_the_same(void) {
  gp_scenario *s = scenario(", \"failures\": {\"mtbf_days\": 2, \"repair_days\": 1}", 12000);
  ASSERT(s);
  double online[1] = {0};
  gp_failures f, g;
  memset(&f, 0, sizeof f);
  memset(&g, 0, sizeof g);
  gp_err err;
  gp_err_clear(&err);
  if (gp_failures_draw(&f, s, 0, online, &err) != 0) TEST_FAIL_("%s", err.msg);
  size_t n0 = f.n;
  ASSERT_GT(n0 * sizeof *f.m, (size_t)16 << 20);
  gp_moment *first = malloc(n0 * sizeof *first);
  ASSERT(first);
  memcpy(first, f.m, n0 * sizeof *first);
  if (gp_failures_draw(&f, s, 1, online, &err) != 0) TEST_FAIL_("%s", err.msg);
  ASSERT(f.n != n0 || memcmp(f.m, first, n0 * sizeof *first) != 0);
  if (gp_failures_draw(&f, s, 0, online, &err) != 0) TEST_FAIL_("%s", err.msg);
  ASSERT_EQ(f.n, n0);
  ASSERT(memcmp(f.m, first, n0 * sizeof *first) == 0);
  if (gp_failures_draw(&g, s, 0, online, &err) != 0) TEST_FAIL_("%s", err.msg);
  ASSERT_EQ(g.n, n0);
  ASSERT(memcmp(g.m, first, n0 * sizeof *first) == 0);
  free(first);
  gp_failures_free(&f);
  gp_failures_free(&g);
  gp_scenario_free(s);
}

int main(void) {
  RUN(stream_budget_per_sitting);
  RUN(fcfs_schedule_by_hand);
  RUN(fcfs_withdrawal_unblocks_the_queue);
  RUN(ramp_and_end);
  RUN(too_large_is_rejected);
  RUN(worlds_are_reproducible_and_independent);
  RUN(renewed_world_is_a_new_world);
  RUN(runner_replays_the_pipeline);
  RUN(review_played_or_replayed);
  RUN(signal_stops_failure_draw);
  RUN(large_failure_lists_redraw_the_same);
  TEST_EXIT();
}
