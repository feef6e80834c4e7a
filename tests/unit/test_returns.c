/*
 * tests/unit/test_returns.c - returning applicants (issue 21, item 3;
 * models/run/returns.c), on worlds worked out by hand: calls c1, c2, c3 of
 * one pool (windows Jan 1-11, Feb 1-11, Mar 1-11 2026: days 0-10, 31-41,
 * 59-69; committees on days 15, 46, 74), one review of one day, no noise,
 * no interviews, everyone passes screening, onboarding at once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "models/world/world.h"
#include "tests/test.h"

/* C1 is c1's extra keys ("resubmit": ..., "renew": ...), C23 c2's and c3's;
 * CAP c1's budget. */
static gp_scenario *scenario(int cap, const char *c1, const char *c23) {
  char text[8192];
  snprintf(text, sizeof text,
           "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-06-30\","
           " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
           " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
           "   \"nodes\": 100, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}]},"
           " \"review\": {\"screening_days\": 0, \"screening_pass\": 1, \"reviewers\": 0,"
           "   \"reviews_per_proposal\": 1, \"review_days\": 1, \"noise_sd\": 0,"
           "   \"interview_slots_per_day\": 0, \"onboarding_days\": 0},"
           " \"demand\": {\"calls\": ["
           "  {\"name\": \"c1\", \"pool\": \"p\", \"gpu_type\": \"G\", \"open\": \"2026-01-01\","
           "   \"close\": \"2026-01-11\", \"proposals\": 0, \"servers\": 1, \"duration_days\": 10,"
           "   \"sector_mix\": {\"academia\": 1}, \"capacity\": {\"G\": %d},"
           "   \"committees\": [\"2026-01-16\"]%s},"
           "  {\"name\": \"c2\", \"pool\": \"p\", \"gpu_type\": \"G\", \"open\": \"2026-02-01\","
           "   \"close\": \"2026-02-11\", \"proposals\": 0, \"servers\": 1, \"duration_days\": 10,"
           "   \"sector_mix\": {\"academia\": 1}, \"committees\": [\"2026-02-16\"]%s},"
           "  {\"name\": \"c3\", \"pool\": \"p\", \"gpu_type\": \"G\", \"open\": \"2026-03-01\","
           "   \"close\": \"2026-03-11\", \"proposals\": 0, \"servers\": 1, \"duration_days\": 10,"
           "   \"sector_mix\": {\"academia\": 1}, \"committees\": [\"2026-03-16\"]%s}]},"
           " \"policies\": [{\"name\": \"score\", \"selection\": \"score\"}]}",
           cap, c1, c23, c23);
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

/* A proposal of c1 submitted on day T asking for 1 server for 10 days. */
static gp_wprop prop(double t, double quality, int32_t org) {
  gp_wprop p;
  memset(&p, 0, sizeof p);
  p.submitted = t;
  p.units = 1;
  p.duration = 10;
  p.score = p.quality = quality;
  p.use = 1;
  p.sector = GP_SECTOR_ACADEMIA;
  p.org = org;
  p.withdraw_at = HUGE_VAL;
  return p;
}

/* Policy 0 of S on a world of the N proposals PROPS (at most 8), each
 * review of which takes DAYS, replication REP. */
static void play(const gp_scenario *s, const gp_wprop *props, size_t n, float days, int rep,
                 gp_run_out *out) {
  double online[1] = {0};
  float rd[8];
  ASSERT(n <= 8 && s->review.reviews == 1);
  for (size_t i = 0; i < n; i++) rd[i] = days;
  gp_err err;
  gp_err_clear(&err);
  gp_world *w = gp_world_make(s, rep, props, rd, n, online, &err);
  if (!w || gp_run_policy(s, w, 0, 1, out, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_world_free(w);
}

/* Budget 2 in c1: proposals of quality .9, .8 and .5 (ids 0-2); the score
 * rule funds the first two on day 15 and rejects id 2.  With probability 1
 * it resubmits to c2 (the call of the pool closing first after day 15): id
 * 9 (the world draws for each proposal a line of 3 candidates, one per call
 * still to close, since every source of the pool might take it back: ids
 * 3-5, 6-8, then 9 for id 2's first), previous 2, quality .5 +
 * .1 and score the same (no noise), submitted within c2's window (days
 * 31-41), screened at its close (41), reviewed on 42, accepted by c2's
 * committee on day 46 (no budget).  With probability 0 nobody returns. */
static void resubmission(void) {
  gp_wprop props[3] = {prop(1, .9, 1), prop(2, .8, 2), prop(3, .5, 3)};
  for (int on = 0; on <= 1; on++) {
    gp_scenario *s =
        scenario(2, on ? ", \"resubmit\": {\"probability\": 1, \"improvement\": 0.1}"
                       : ", \"resubmit\": {\"probability\": 0, \"improvement\": 0.1}",
                 "");
    ASSERT(s);
    for (int rep = 0; rep < 5; rep++) {
      gp_run_out out;
      play(s, props, 3, 1, rep, &out);
      ASSERT_EQ(out.props[2].outcome, GP_OUT_REJECTED);
      ASSERT_DBL_EQ(out.props[2].decided, 15);
      ASSERT_EQ((int)out.nprops, on ? 4 : 3);
      for (int i = 0; i < 3; i++) {
        ASSERT_EQ(out.props[i].returning, GP_RET_NEW);
        ASSERT_EQ(out.props[i].previous, -1);
      }
      ASSERT_EQ(out.calls[1].proposals, on);
      ASSERT_EQ(out.calls[1].returning, on);
      ASSERT_EQ(out.calls[1].returning_accepted, on);
      ASSERT_EQ(out.calls[0].returning, 0);
      ASSERT_EQ(out.summary.proposals, 3 + on);
      ASSERT_DBL_EQ(out.summary.renewals_granted, 0);
      if (on) {
        const gp_proposal_row *r = &out.props[3];
        ASSERT_EQ(r->id, 9);
        ASSERT_EQ(r->returning, GP_RET_RESUBMISSION);
        ASSERT_EQ(r->previous, 2);
        ASSERT_EQ(r->call, 1);
        ASSERT_EQ(r->org, 3);
        ASSERT_NEAR(r->quality, 0.6, 1e-12);
        ASSERT_NEAR(r->score, 0.6, 1e-12);
        ASSERT(r->submitted >= 31 && r->submitted < 41);
        ASSERT_DBL_EQ(r->decided, 46);
        ASSERT_EQ(r->granted, 1);
        ASSERT_DBL_EQ(r->started, 46);
        ASSERT_DBL_EQ(r->finished, 56);
        ASSERT_DBL_EQ(out.summary.returning_share, 0.25);
        ASSERT_DBL_EQ(out.summary.returning_acceptance_rate, 1);
        ASSERT_EQ(out.summary.accepted, 3);
      } else {
        ASSERT_DBL_EQ(out.summary.returning_share, 0);
        ASSERT(isnan(out.summary.returning_acceptance_rate));
        ASSERT_EQ(out.summary.accepted, 2);
      }
      gp_run_out_free(&out);
    }
    gp_scenario_free(s);
  }
}

/* A returning proposal queues for the panel behind the call's own
 * (models/run/review.c).  Two reviewers, every review 2 days.  c1 as in
 * resubmission(): ids 0-2 screened on day 10, reviewed 10-12, 10-12 and
 * 12-14, decided on day 15; id 2 is rejected and resubmits to c2, within its
 * window (after day 31).  c2's own four proposals A-D, submitted on day 31,
 * are screened before it on day 41 (their screenings were scheduled first):
 * reviews A, B 41-43, C, D 43-45, then the resubmission 45-47, after c2's
 * committee of day 46: it waits for the next sitting, 14 days later, on day
 * 60 (the default interval of a call's sittings after its listed ones).
 * Reviewed beside the queue, as before, it would have been decided on 46.
 * With an unlimited panel everyone is reviewed 41-43 and decided on 46. */
static void returning_queues_for_the_panel(void) {
  gp_wprop props[7] = {prop(1, .9, 1),  prop(2, .8, 2),  prop(3, .5, 3), prop(31, .7, 4),
                       prop(31, .7, 5), prop(31, .7, 6), prop(31, .7, 7)};
  for (int i = 0; i < 7; i++) props[i].origin = i < 3 ? 0 : 1; /* reviews of 2 days: play */
  for (int panel = 0; panel <= 2; panel += 2) {
    gp_scenario *s = scenario(2, ", \"resubmit\": {\"probability\": 1}", "");
    ASSERT(s);
    s->review.reviewers = panel; /* 0 = unlimited */
    gp_dist_constant(&s->review.review_days, 2); /* the candidates' draws */
    for (int rep = 0; rep < 5; rep++) {
      gp_run_out out;
      play(s, props, 7, 2, rep, &out);
      ASSERT_EQ((int)out.nprops, 8);
      for (int i = 0; i < 3; i++) ASSERT_DBL_EQ(out.props[i].decided, 15);
      ASSERT_EQ(out.props[2].outcome, GP_OUT_REJECTED);
      for (int i = 3; i < 7; i++) {
        ASSERT_DBL_EQ(out.props[i].decided, 46);
        ASSERT_EQ(out.props[i].granted, 1);
      }
      const gp_proposal_row *r = &out.props[7];
      ASSERT_EQ(r->returning, GP_RET_RESUBMISSION);
      ASSERT_EQ(r->previous, 2);
      ASSERT(r->submitted > 31 && r->submitted < 41);
      ASSERT_DBL_EQ(r->decided, panel ? 60 : 46);
      ASSERT_EQ(r->granted, 1);
      gp_run_out_free(&out);
    }
    gp_scenario_free(s);
  }
}

/* One proposal of c1, accepted on day 15, runs days 15-25 and applies for
 * renewal to c2 (closing first after day 25): accepted on 46, runs 46-56;
 * with max_renewals 1 that is its line's last (c2's own limit), with 2 it
 * renews once more, to c3 (decided on 74).  Renewals keep the quality (no
 * improvement here); resubmission is off, so nobody else returns. */
static void renewal(void) {
  gp_wprop props[1] = {prop(1, .7, 9)};
  for (int most = 1; most <= 2; most++) {
    char keys[128];
    snprintf(keys, sizeof keys, ", \"renew\": {\"probability\": 1, \"max_renewals\": %d}", most);
    gp_scenario *s = scenario(10, keys, keys);
    ASSERT(s);
    gp_run_out out;
    play(s, props, 1, 1, 0, &out);
    ASSERT_EQ((int)out.nprops, 1 + most);
    ASSERT_DBL_EQ(out.props[0].finished, 25);
    ASSERT_EQ(out.props[0].outcome, GP_OUT_FINISHED);
    for (int k = 1; k <= most; k++) {
      const gp_proposal_row *r = &out.props[k];
      ASSERT_EQ(r->returning, GP_RET_RENEWAL);
      ASSERT_EQ(r->previous, out.props[k - 1].id);
      ASSERT_EQ(r->call, k);
      ASSERT_EQ(r->org, 9);
      ASSERT_NEAR(r->quality, 0.7, 1e-12);
      ASSERT_DBL_EQ(r->decided, k == 1 ? 46 : 74);
      ASSERT_EQ(out.calls[k].returning_accepted, 1);
    }
    ASSERT_DBL_EQ(out.summary.renewals_granted, most);
    ASSERT_DBL_EQ(out.summary.returning_share, (double)most / (1 + most));
    ASSERT_DBL_EQ(out.summary.returning_acceptance_rate, 1);
    gp_run_out_free(&out);
    gp_scenario_free(s);
  }
}

/* The last call of the pool: a proposal rejected by c3 has no call to come
 * back to.  Budget 0 in c1 rejects everything; with resubmission certain
 * everywhere, a line of 3 proposals (c1, c2, c3), the last rejected for
 * good when c2 and c3 also have no budget. */
static void last_call(void) {
  const char *c = ", \"resubmit\": {\"probability\": 1}, \"capacity\": {\"G\": 0}";
  gp_scenario *s = scenario(0, ", \"resubmit\": {\"probability\": 1}", c);
  ASSERT(s);
  gp_wprop props[1] = {prop(1, .7, 9)};
  gp_run_out out;
  play(s, props, 1, 1, 0, &out);
  ASSERT_EQ((int)out.nprops, 3);
  for (int k = 0; k < 3; k++) {
    ASSERT_EQ(out.props[k].outcome, GP_OUT_REJECTED);
    ASSERT_EQ(out.props[k].call, k);
    ASSERT_EQ(out.props[k].returning, k ? GP_RET_RESUBMISSION : GP_RET_NEW);
  }
  ASSERT_DBL_EQ(out.summary.returning_share, 2.0 / 3);
  ASSERT_DBL_EQ(out.summary.returning_acceptance_rate, 0);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Common random numbers: turning returns on draws from a stream of its
 * own, so every proposal the world drew is the same, draw for draw, and
 * the pipeline plays the same; and the candidates are the same under every
 * policy (the world is made once). */
static void draws_unmoved(void) {
  const char *calls =
      "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-12-31\", \"seed\": 7,"
      " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
      " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
      "   \"nodes\": 100, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}]},"
      " \"review\": {\"reviewers\": 5},"
      " \"demand\": {\"calls\": ["
      "  {\"name\": \"c1\", \"pool\": \"p\", \"gpu_type\": \"G\", \"open\": \"2026-01-01\","
      "   \"close\": \"2026-01-31\", \"proposals\": 200, \"servers\": 2, \"months\": 3,"
      "   \"sector_mix\": {\"academia\": 1}, \"capacity\": {\"G\": 30}";
  const char *rest =
      "},"
      "  {\"name\": \"c2\", \"pool\": \"p\", \"gpu_type\": \"G\", \"open\": \"2026-06-01\","
      "   \"close\": \"2026-06-30\", \"proposals\": 100, \"servers\": 2, \"months\": 3,"
      "   \"sector_mix\": {\"academia\": 1}, \"capacity\": {\"G\": 30}}],"
      "  \"streams\": [{\"name\": \"s\", \"pool\": \"p\", \"gpu_type\": \"G\", \"rate_per_day\": 0.5,"
      "   \"servers\": 1, \"months\": 1, \"sector_mix\": {\"industry\": 1}}]}}";
  char text[4096];
  gp_err err;
  gp_err_clear(&err);
  snprintf(text, sizeof text, "%s%s%s", calls, "", rest);
  gp_scenario *off = gp_scenario_parse("off", text, strlen(text), NULL, &err);
  snprintf(text, sizeof text, "%s%s%s", calls,
           ", \"resubmit\": {\"probability\": 0.5, \"improvement\": 0.05},"
           " \"renew\": {\"probability\": 0.5}",
           rest);
  gp_scenario *on = gp_scenario_parse("on", text, strlen(text), NULL, &err);
  ASSERT(off && on);
  for (int rep = 0; rep < 3; rep++) {
    gp_world *a = gp_world_new(off, rep, &err), *b = gp_world_new(on, rep, &err);
    ASSERT(a && b);
    ASSERT_EQ(a->n, b->n);
    ASSERT(a->n > 100);
    ASSERT(!a->ret && a->nret == 0);
    ASSERT(b->ret && b->nret > 0);
    ASSERT(memcmp(a->props, b->props, a->n * sizeof *a->props) == 0);
    ASSERT(memcmp(a->online, b->online, (size_t)on->ntranches * sizeof *a->online) == 0);
    ASSERT_EQ(a->fails.n, b->fails.n);
    /* a stream's proposals and c2's (no resubmit keys) never return */
    for (size_t i = 0; i < b->n; i++)
      if (b->props[i].origin != 0) ASSERT_EQ(b->ret[i].next, -1);
    gp_world_free(a);
    gp_world_free(b);
  }
  gp_scenario_free(off);
  gp_scenario_free(on);
}

int main(void) {
  RUN(resubmission);
  RUN(returning_queues_for_the_panel);
  RUN(renewal);
  RUN(last_call);
  RUN(draws_unmoved);
  TEST_EXIT();
}
