/*
 * tests/unit/test_calendar.c - calendar reclaim (issue 21, item 4) on tiny
 * worlds worked out by hand: on a fixed date, each running project whose use
 * of its allocation so far is under a tier's below_use loses the tier's share
 * of its working units; the others lose nothing.  Projects are designated
 * allocations, ready when submitted; the time series are sampled daily.
 */
#include <math.h>
#include <string.h>

#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "tests/test.h"

/* One pool, tranche "h" of 8 servers of 8 GPUs from the epoch 2026-01-01 to
 * 2026-04-11 (day 100), samples every day, the policies POLICIES. */
static gp_scenario *scenario(const char *policies) {
  char text[4096];
  snprintf(text, sizeof text,
           "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
           " \"gpu_types\": [{\"name\": \"H\"}], \"pools\": [{\"name\": \"p\"}],"
           " \"roadmap\": {\"tranches\": [{\"name\": \"h\", \"gpu_type\": \"H\", \"pool\": \"p\","
           "   \"nodes\": 8, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}]},"
           " \"demand\": {\"designated\": [{\"name\": \"d\", \"pool\": \"p\", \"gpu_type\": \"H\","
           "   \"sector\": \"national\", \"servers\": 1, \"start\": \"2026-04-10\","
           "   \"phases\": [{\"teams\": 0, \"days\": 1}]}]},"
           " \"output\": {\"sample_every_days\": 1},"
           " \"policies\": [%s]}",
           policies);
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

static gp_wprop job(int units, double days, double use) {
  gp_wprop p;
  memset(&p, 0, sizeof p);
  p.units = units;
  p.duration = days;
  p.use = use;
  p.sector = 4;
  p.designated = 1;
  p.withdraw_at = HUGE_VAL;
  return p;
}

/* Allocated GPUs on day DAY when the N projects PROPS play POLICY (DAY -1:
 * the summary's GPU-hours reclaimed). */
static double allocated_on(const gp_scenario *s, const gp_wprop *props, size_t n, int policy,
                           int day) {
  double online[1] = {0};
  gp_run_out out;
  gp_err err;
  gp_err_clear(&err);
  gp_world *w = gp_world_make(s, 0, props, NULL, n, online, &err);
  if (!w || gp_run_policy(s, w, policy, 1, &out, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_world_free(w);
  double v = day >= 0 ? out.ts[GP_TS_ALLOCATED * out.nsamples + (size_t)day]
                     : out.summary.gpu_hours_reclaimed;
  gp_run_out_free(&out);
  return v;
}

/* The summary's GPU-hours reclaimed when the N projects PROPS play POLICY. */
static double reclaimed(const gp_scenario *s, const gp_wprop *props, size_t n, int policy) {
  return allocated_on(s, props, n, policy, -1);
}

/* On 2026-01-11 (day 10) two tiers: under 6% of the allocation used, lose
 * 75% of the working servers; under 10%, lose 50%.  Each project holds its
 * servers from day 0 for 40 days, so by day 10 it has used use x 10/40:
 *   A: 4 servers, use 0.2 -> 5%: the first tier, floor(4 x 0.75) = 3 lost;
 *   B: 2 servers, use 0.3 -> 7.5%: the second, floor(2 x 0.5) = 1 lost;
 *   C: 2 servers, use 0.8 -> 20%: above both, none lost. */
static void tiers_on_a_date(void) {
  gp_scenario *s = scenario(
      "{\"name\": \"cal\", \"reclaim\": {\"calendar\": ["
      " {\"date\": \"2026-01-11\", \"below_use\": 0.1, \"take\": 0.5},"
      " {\"date\": \"2026-01-11\", \"below_use\": 0.06, \"take\": 0.75}]}},"
      " {\"name\": \"none\"}");
  ASSERT(s);
  ASSERT_EQ(s->policies[0].ncalendar, 2);
  ASSERT_DBL_EQ(s->policies[0].reclaim_at, 0); /* no mid-term check unless "at" is written */
  gp_wprop a = job(4, 40, 0.2), b = job(2, 40, 0.3), c = job(2, 40, 0.8);
  gp_wprop all[3] = {a, b, c};
  /* Alone, each loses what its tier says: 8 GPUs a server. */
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 0, 9), 32);
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 0, 11), 8);
  ASSERT_DBL_EQ(allocated_on(s, &b, 1, 0, 11), 8);
  ASSERT_DBL_EQ(allocated_on(s, &c, 1, 0, 11), 16);
  /* Together: 1 + 1 + 2 servers left; the policy without reclaim keeps 8. */
  ASSERT_DBL_EQ(allocated_on(s, all, 3, 0, 11), 32);
  ASSERT_DBL_EQ(allocated_on(s, all, 3, 1, 11), 64);
  /* They keep what is left to their planned end (day 40). */
  ASSERT_DBL_EQ(allocated_on(s, all, 3, 0, 39), 32);
  ASSERT_DBL_EQ(allocated_on(s, all, 3, 0, 41), 0);
  /* The summary counts what they forfeit: 3 + 1 servers of 8 GPUs for the
   * 30 days left of their 40, 4 x 8 x 30 x 24 = 23,040 GPU-hours; the
   * policy without reclaim, none. */
  ASSERT_DBL_EQ(reclaimed(s, all, 3, 0), 23040);
  ASSERT_DBL_EQ(reclaimed(s, all, 3, 1), 0);
  gp_scenario_free(s);
}

/* A second date counts the allocation as it stands: A (4 servers, 40 days,
 * use 0.2) loses 2 on day 10 (5% < 10%, take 0.5); on day 20 it has held
 * 4 x 10 + 2 x 10 = 60 server-days, and its allocation is 60 + 2 x 20 = 100:
 * use 0.2 x 60 / 100 = 12%, under 15%: it loses floor(2 x 0.5) = 1. */
static void second_date(void) {
  gp_scenario *s = scenario(
      "{\"name\": \"cal\", \"reclaim\": {\"calendar\": ["
      " {\"date\": \"2026-01-21\", \"below_use\": 0.15, \"take\": 0.5},"
      " {\"date\": \"2026-01-11\", \"below_use\": 0.1, \"take\": 0.5}]}},"
      " {\"name\": \"cal-high\", \"reclaim\": {\"calendar\": ["
      " {\"date\": \"2026-01-21\", \"below_use\": 0.11, \"take\": 0.5},"
      " {\"date\": \"2026-01-11\", \"below_use\": 0.1, \"take\": 0.5}]}}");
  ASSERT(s);
  ASSERT_DBL_EQ(s->policies[0].calendar[0].at, 10); /* sorted by date */
  gp_wprop a = job(4, 40, 0.2);
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 0, 15), 16);
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 0, 21), 8);
  /* 12% is not under 11%: nothing more is taken. */
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 1, 21), 16);
  /* Reclaimed: 2 servers x 8 GPUs for 30 days, then 1 for 20 days. */
  ASSERT_DBL_EQ(reclaimed(s, &a, 1, 0), (2 * 8 * 30 + 1 * 8 * 20) * 24);
  ASSERT_DBL_EQ(reclaimed(s, &a, 1, 1), 2 * 8 * 30 * 24);
  gp_scenario_free(s);
}

/* A project keeps at least one unit, and a take of 0 takes nothing. */
static void keeps_one(void) {
  gp_scenario *s = scenario(
      "{\"name\": \"all\", \"reclaim\": {\"calendar\": ["
      " {\"date\": \"2026-01-11\", \"below_use\": 1, \"take\": 1}]}},"
      " {\"name\": \"zero\", \"reclaim\": {\"calendar\": ["
      " {\"date\": \"2026-01-11\", \"below_use\": 1, \"take\": 0}]}}");
  ASSERT(s);
  gp_wprop a = job(4, 40, 0.2);
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 0, 11), 8);
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 1, 11), 32);
  gp_scenario_free(s);
}

/* min_days: A (4 servers from day 0, use 0.2: 5% on day 10) is checked by
 * a tier of min_days 10 and not by one of 11. */
static void min_days(void) {
  gp_scenario *s = scenario(
      "{\"name\": \"ten\", \"reclaim\": {\"calendar\": ["
      " {\"date\": \"2026-01-11\", \"below_use\": 0.1, \"take\": 0.5, \"min_days\": 10}]}},"
      " {\"name\": \"eleven\", \"reclaim\": {\"calendar\": ["
      " {\"date\": \"2026-01-11\", \"below_use\": 0.1, \"take\": 0.5, \"min_days\": 11}]}}");
  ASSERT(s);
  gp_wprop a = job(4, 40, 0.2);
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 0, 11), 16);
  ASSERT_DBL_EQ(allocated_on(s, &a, 1, 1, 11), 32);
  gp_scenario_free(s);
}

/* The loader: a repeated tier is refused, "at" keeps the mid-term check. */
static void loader(void) {
  gp_err err;
  gp_err_clear(&err);
  const char *bad = "{\"name\": \"x\", \"reclaim\": {\"calendar\": ["
                    " {\"date\": \"2026-01-11\", \"below_use\": 0.1, \"take\": 0.5},"
                    " {\"date\": \"2026-01-11\", \"below_use\": 0.1, \"take\": 0.2}]}}";
  ASSERT(!scenario(bad));
  gp_scenario *s = scenario("{\"name\": \"x\", \"reclaim\": {\"at\": 0.25, \"calendar\": ["
                            " {\"date\": \"2026-01-11\", \"below_use\": 0.1, \"take\": 0.5}]}}");
  ASSERT(s);
  ASSERT_DBL_EQ(s->policies[0].reclaim_at, 0.25);
  gp_scenario_free(s);
  s = scenario("{\"name\": \"x\", \"reclaim\": {\"take\": 0.25}}");
  ASSERT(s);
  ASSERT_DBL_EQ(s->policies[0].reclaim_at, 0.5); /* without a calendar, as before */
  ASSERT_EQ(s->policies[0].ncalendar, 0);
  gp_scenario_free(s);
}

int main(void) {
  RUN(tiers_on_a_date);
  RUN(second_date);
  RUN(keeps_one);
  RUN(min_days);
  RUN(loader);
  TEST_EXIT();
}
