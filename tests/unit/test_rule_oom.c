/*
 * tests/unit/test_rule_oom.c - a rule that cannot get memory fails the run
 * with an error; it never decides otherwise.
 *
 * This file defines gp_rule_alloc itself: the linker then takes it instead
 * of the library's (models/run/alloc.c, alone in its file for this reason),
 * so every rule's scratch allocation goes through the counter below, and
 * the test makes the k-th fail, for every k a run makes, under every rule
 * that allocates.  Each such run must stop with GP_EX_OSERR and "out of
 * memory", naming the replication and policy; with no failure the same runs
 * succeed.  With the failure left unrecorded, each rule must still give up
 * (the run then fails with GP_EX_SOFTWARE): no rule falls back to another
 * decision.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/rule.h"
#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "tests/test.h"

static long alloc_calls; /* gp_rule_alloc calls so far */
static long fail_at = -1; /* the call (from 0) that fails; -1 = none */
static int quiet;         /* 1: fail without recording the error (a probe: see below) */

void *gp_rule_alloc(gp_run *run, size_t n, size_t size) {
  if (alloc_calls++ == fail_at) {
    if (!quiet) gp_rule_fail(run, GP_EX_OSERR, "out of memory");
    return NULL;
  }
  if (size && n > SIZE_MAX / size) return NULL;
  return malloc(n * size + 1);
}

/* One call with a budget of 6 servers and committees on days 15 and 22
 * (two sittings: rules allocate at each); two tranches of the pool, so the
 * backfilling rules have profiles to build. */
static gp_scenario *scenario(void) {
  const char *text =
      "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
      " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
      " \"roadmap\": {\"tranches\": ["
      "   {\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\", \"nodes\": 3, \"gpus_per_node\": 8,"
      "    \"online\": \"2026-01-01\"},"
      "   {\"name\": \"b\", \"gpu_type\": \"G\", \"pool\": \"p\", \"nodes\": 2, \"gpus_per_node\": 8,"
      "    \"online\": \"2026-01-01\"}]},"
      " \"demand\": {\"calls\": [{\"name\": \"c\", \"pool\": \"p\", \"gpu_type\": \"G\","
      "   \"open\": \"2026-01-01\", \"close\": \"2026-01-11\", \"proposals\": 0, \"servers\": 1,"
      "   \"months\": 1, \"sector_mix\": {\"academia\": 1}, \"capacity\": {\"G\": 6},"
      "   \"committees\": [\"2026-01-16\", \"2026-01-23\"]}]},"
      " \"policies\": ["
      "   {\"name\": \"score\", \"selection\": \"score\"},"
      "   {\"name\": \"quota\", \"selection\": \"quota\"},"
      "   {\"name\": \"lottery\", \"selection\": \"lottery\"},"
      "   {\"name\": \"proportional\", \"selection\": \"proportional\"},"
      "   {\"name\": \"org_cap\", \"selection\": \"org_cap\", \"params\": {\"max_share\": 0.5}},"
      "   {\"name\": \"regional\", \"selection\": \"regional\"},"
      "   {\"name\": \"conservative\", \"selection\": \"fcfs\", \"scheduling\": \"conservative\"}]}";
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

/* Eight proposals of 1-3 servers, four reviewed by each sitting. */
static gp_world *world(const gp_scenario *s) {
  gp_wprop props[8];
  float rd[8]; /* each proposal's one review, days */
  for (int i = 0; i < 8; i++) {
    gp_wprop *p = &props[i];
    memset(p, 0, sizeof *p);
    p->submitted = 1 + i;
    p->units = 1 + i % 3;
    p->duration = 20 + 5 * i;
    p->score = p->quality = 0.9 - 0.1 * i;
    p->use = 1;
    p->sector = (int8_t)(i % GP_NSECTORS);
    p->org = i % 3;
    p->capital = (int8_t)(i % 2);
    rd[i] = i < 4 ? 1 : 10;
    p->withdraw_at = HUGE_VAL;
  }
  double online[2] = {0, 0};
  gp_err err;
  gp_err_clear(&err);
  gp_world *w = gp_world_make(s, 0, props, rd, 8, online, &err);
  if (!w) fprintf(stderr, "  %s\n", err.msg);
  return w;
}

static void every_allocation_failure_fails_the_run(void) {
  gp_scenario *s = scenario();
  ASSERT(s);
  gp_world *w = world(s);
  ASSERT(w);
  for (int pol = 0; pol < s->npolicies; pol++) {
    gp_run_out out;
    gp_err err;
    gp_err_clear(&err);
    alloc_calls = 0;
    fail_at = -1;
    if (gp_run_policy(s, w, pol, 1, &out, &err) != 0) TEST_FAIL_("%s", err.msg);
    long total = alloc_calls;
    int accepted = out.summary.accepted;
    gp_run_out_free(&out);
    ASSERT_GE(total, 2); /* a rule that allocates, at each sitting or more */
    ASSERT_GT(accepted, 0);
    for (long k = 0; k < total; k++) {
      gp_err_clear(&err);
      alloc_calls = 0;
      fail_at = k;
      ASSERT_EQ(gp_run_policy(s, w, pol, 1, &out, &err), -1);
      ASSERT_EQ(err.code, GP_EX_OSERR);
      ASSERT_CONTAINS(err.msg, "out of memory");
      char where[128];
      snprintf(where, sizeof where, "replication 0, policy %s: ", s->policies[pol].name);
      ASSERT_CONTAINS(err.msg, where);
      ASSERT(out.calls == NULL && out.props == NULL && out.ts == NULL); /* nothing returned */
      /* The same failure unrecorded (breaking gp_rule_alloc's contract, to
       * see what the rule does with NULL): the rule must give up (return
       * -1), not decide some other way, so the run still fails. */
      gp_err_clear(&err);
      alloc_calls = 0;
      quiet = 1;
      int rc = gp_run_policy(s, w, pol, 1, &out, &err);
      quiet = 0;
      ASSERT_EQ(rc, -1);
      ASSERT_EQ(err.code, GP_EX_SOFTWARE);
      ASSERT_CONTAINS(err.msg, "failed without saying why");
    }
  }
  fail_at = -1;
  gp_world_free(w);
  gp_scenario_free(s);
}

/* A rule that fails without recording why still fails the run. */
static int mute_decide(gp_run *run, gp_batch *b) {
  (void)run;
  (void)b;
  return -1;
}

static int mute_schedule(gp_run *run, int pool) {
  (void)run;
  (void)pool;
  return -1;
}

static void a_silent_failure_is_an_error(void) {
  static const gp_selection_type mute_sel = {"mute", "fails", mute_decide, NULL, 0};
  static const gp_scheduling_type mute_sched = {"mute", "fails", mute_schedule, NULL, 0, NULL};
  gp_scenario *s = scenario();
  ASSERT(s);
  gp_world *w = world(s);
  ASSERT(w);
  gp_run_out out;
  gp_err err;
  s->policies[0].selection = &mute_sel;
  gp_err_clear(&err);
  ASSERT_EQ(gp_run_policy(s, w, 0, 0, &out, &err), -1);
  ASSERT_EQ(err.code, GP_EX_SOFTWARE);
  ASSERT_CONTAINS(err.msg, "selection rule mute failed without saying why");
  s->policies[1].scheduling = &mute_sched;
  gp_err_clear(&err);
  ASSERT_EQ(gp_run_policy(s, w, 1, 0, &out, &err), -1);
  ASSERT_EQ(err.code, GP_EX_SOFTWARE);
  ASSERT_CONTAINS(err.msg, "scheduling rule mute failed without saying why");
  gp_world_free(w);
  gp_scenario_free(s);
}

int main(void) {
  RUN(every_allocation_failure_fails_the_run);
  RUN(a_silent_failure_is_an_error);
  TEST_EXIT();
}
