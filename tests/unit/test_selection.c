/*
 * tests/unit/test_selection.c - each selection rule's defining property, on
 * committees whose decisions are worked out by hand.  One call with a budget
 * of CAP servers of one GPU type, unlimited reviewers, committee on day 15;
 * every proposal is reviewed by then.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/rule.h"
#include "models/run/run_int.h"
#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "tests/test.h"

static gp_scenario *scenario(int cap, const char *policies) {
  char text[4096];
  snprintf(text, sizeof text,
           "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
           " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
           " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
           "   \"nodes\": 100, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}]},"
           " \"demand\": {\"calls\": [{\"name\": \"c\", \"pool\": \"p\", \"gpu_type\": \"G\","
           "   \"open\": \"2026-01-01\", \"close\": \"2026-01-11\", \"proposals\": 0, \"servers\": 1,"
           "   \"months\": 1, \"sector_mix\": {\"academia\": 1}, \"capacity\": {\"G\": %d},"
           "   \"committees\": [\"2026-01-16\"]}]},"
           " \"policies\": [%s]}",
           cap, policies);
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

static gp_wprop prop(double t, int units, double score, int sector) {
  gp_wprop p;
  memset(&p, 0, sizeof p);
  p.submitted = t;
  p.units = units;
  p.duration = 30;
  p.score = p.quality = score;
  p.use = 1;
  p.sector = (int8_t)sector;
  p.capital = 1;
  p.withdraw_at = HUGE_VAL;
  return p;
}

/* Units granted to each proposal under policy POLICY, into GOT. */
static void grants(const gp_scenario *s, gp_wprop *props, size_t n, int policy, int rep, int *got) {
  double online[1] = {0};
  gp_run_out out;
  gp_err err;
  gp_err_clear(&err);
  gp_world *w = gp_world_make(s, rep, props, NULL, n, online, &err);
  if (!w || gp_run_policy(s, w, policy, 1, &out, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_world_free(w);
  for (size_t i = 0; i < n; i++) {
    got[i] = out.props[i].granted;
    ASSERT_DBL_EQ(out.props[i].decided, 15);
    ASSERT_EQ(out.props[i].granted > 0, out.props[i].outcome != GP_OUT_REJECTED);
  }
  gp_run_out_free(&out);
}

/* Budget 10: national 5, industry 3, academia/research 2.
 * national: N1(4, .9) fits 5 -> 1 left; N2(4, .5) does not.
 * industry: I1(3, .8) fits 3 -> 0; I2(2, .7) does not.
 * academia: A3(1, .95) fits 2 -> 1 left; A1(2, .6) does not.
 * Unused: 1 + 1 = 2.  redistribute = 1: by score overall, A3, N1, I1 are in;
 * I2 (2) fits the 2 left.  redistribute = 0: I2 stays out, 2 unused. */
static void quota(void) {
  gp_scenario *s = scenario(10, "{\"name\": \"q\", \"selection\": \"quota\"},"
                                " {\"name\": \"hold\", \"selection\": \"quota\", \"params\": {\"redistribute\": 0}}");
  ASSERT(s);
  gp_wprop props[6] = {prop(1, 4, .9, GP_SECTOR_NATIONAL), prop(2, 4, .5, GP_SECTOR_NATIONAL),
                       prop(3, 3, .8, GP_SECTOR_INDUSTRY), prop(4, 2, .7, GP_SECTOR_STARTUP),
                       prop(5, 1, .95, GP_SECTOR_ACADEMIA), prop(6, 2, .6, GP_SECTOR_RESEARCH)};
  int got[6];
  grants(s, props, 6, 0, 0, got);
  int want[6] = {4, 0, 3, 2, 1, 0};
  for (int i = 0; i < 6; i++) ASSERT_EQ(got[i], want[i]);
  grants(s, props, 6, 1, 0, got);
  int hold[6] = {4, 0, 3, 0, 1, 0};
  for (int i = 0; i < 6; i++) ASSERT_EQ(got[i], hold[i]);
  gp_scenario_free(s);
}

/* Eight 1-server proposals, budget 5, top 25% (2) funded, bottom 25% (2)
 * rejected, the middle 4 drawn: exactly 3 of them win.  The same
 * replication draws the same; over replications every middle proposal
 * sometimes wins and sometimes loses; the top and bottom never change. */
static void lottery(void) {
  gp_scenario *s = scenario(5, "{\"name\": \"l\", \"selection\": \"lottery\"}");
  ASSERT(s);
  gp_wprop props[8];
  for (int i = 0; i < 8; i++) props[i] = prop(1 + i, 1, 0.9 - 0.1 * i, GP_SECTOR_ACADEMIA);
  int wins[8] = {0}, got[8], again[8];
  for (int rep = 0; rep < 40; rep++) {
    grants(s, props, 8, 0, rep, got);
    grants(s, props, 8, 0, rep, again);
    int mid = 0;
    for (int i = 0; i < 8; i++) {
      ASSERT_EQ(got[i], again[i]);
      wins[i] += got[i] > 0;
      if (i >= 2 && i < 6) mid += got[i] > 0;
    }
    ASSERT_EQ(got[0] + got[1], 2);
    ASSERT_EQ(got[6] + got[7], 0);
    ASSERT_EQ(mid, 3);
  }
  for (int i = 2; i < 6; i++) {
    ASSERT_GT(wins[i], 0);
    ASSERT_LT(wins[i], 40);
  }
  gp_scenario_free(s);
}

/* Budget 10.  Requests 5 (.9), 5 (.8), 1 (.7): demand 11, factor 10/11:
 * exact 4.55, 4.55, 0.91 -> floors 4, 4, 0 (8 used); the 2 left go to the
 * largest remainders, 0.91 then the tie at 0.55 broken by score: 5, 4, 1.
 * With min_units 2 the 1 is not useful: dropped, the other two share 10
 * for 10 asked: 5 and 5. */
static void proportional(void) {
  gp_scenario *s = scenario(10, "{\"name\": \"p\", \"selection\": \"proportional\"},"
                                " {\"name\": \"p2\", \"selection\": \"proportional\", \"params\": {\"min_units\": 2}}");
  ASSERT(s);
  gp_wprop props[3] = {prop(1, 5, .9, 2), prop(2, 5, .8, 2), prop(3, 1, .7, 2)};
  int got[3];
  grants(s, props, 3, 0, 0, got);
  ASSERT_EQ(got[0], 5);
  ASSERT_EQ(got[1], 4);
  ASSERT_EQ(got[2], 1);
  grants(s, props, 3, 1, 0, got);
  ASSERT_EQ(got[0], 5);
  ASSERT_EQ(got[1], 5);
  ASSERT_EQ(got[2], 0);
  gp_scenario_free(s);
}

/* Budget 10, max_share 0.3: at most 3 servers per organisation.  Org 1 asks
 * 2 (.9) and 2 (.8); org 2 asks 2 (.7).  By score: 2 for org 1; its second
 * request would make 4 > 3: skipped (the budget stays open); org 2 gets 2. */
static void org_cap(void) {
  gp_scenario *s = scenario(10, "{\"name\": \"o\", \"selection\": \"org_cap\", \"params\": {\"max_share\": 0.3}}");
  ASSERT(s);
  gp_wprop props[3] = {prop(1, 2, .9, 2), prop(2, 2, .8, 2), prop(3, 2, .7, 2)};
  props[0].org = props[1].org = 1;
  props[2].org = 2;
  int got[3];
  grants(s, props, 3, 0, 0, got);
  ASSERT_EQ(got[0], 2);
  ASSERT_EQ(got[1], 0);
  ASSERT_EQ(got[2], 2);
  gp_scenario_free(s);
}

/* Budget 4, two requests of 3: a capital applicant scored .8 and one from
 * outside the capital scored .7.  score funds the first; regional with a
 * bonus of .2 ranks the second at .9 and funds it instead. */
static void regional(void) {
  gp_scenario *s = scenario(4, "{\"name\": \"s\", \"selection\": \"score\"},"
                               " {\"name\": \"r\", \"selection\": \"regional\", \"params\": {\"bonus\": 0.2}}");
  ASSERT(s);
  gp_wprop props[2] = {prop(1, 3, .8, 2), prop(2, 3, .7, 2)};
  props[1].capital = 0;
  int got[2];
  grants(s, props, 2, 0, 0, got);
  ASSERT_EQ(got[0], 3);
  ASSERT_EQ(got[1], 0);
  grants(s, props, 2, 1, 0, got);
  ASSERT_EQ(got[0], 0);
  ASSERT_EQ(got[1], 3);
  gp_scenario_free(s);
}

/* Parameters are checked at load: unknown names and out-of-range values. */
static void params_checked(void) {
  gp_err err;
  gp_err_clear(&err);
  const char *bad[] = {"{\"name\": \"q\", \"selection\": \"quota\", \"params\": {\"nationl\": 0.5}}",
                       "{\"name\": \"q\", \"selection\": \"lottery\", \"params\": {\"accept_top\": 2}}"};
  const char *want[] = {"policies[0].params.nationl: expected a parameter of rules \"quota\" and \"fcfs\" "
                        "(national, industry, academia_research, redistribute), found \"nationl\"",
                        "policies[0].params.accept_top: expected a number in [0, 1], found 2"};
  for (int i = 0; i < 2; i++) {
    char text[4096];
    snprintf(text, sizeof text,
             "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
             " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
             " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
             "   \"nodes\": 1, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}]},"
             " \"demand\": {\"designated\": [{\"name\": \"d\", \"pool\": \"p\", \"gpu_type\": \"G\","
             "   \"sector\": \"national\", \"servers\": 1, \"start\": \"2026-01-02\","
             "   \"phases\": [{\"teams\": 1, \"days\": 1}]}]},"
             " \"policies\": [%s]}",
             bad[i]);
    gp_err_clear(&err);
    ASSERT(gp_scenario_parse("t.json", text, strlen(text), NULL, &err) == NULL);
    ASSERT_EQ(err.code, GP_EX_DATAERR);
    ASSERT_CONTAINS(err.msg, want[i]);
  }
}

/* The world ranks its proposals by score when a policy of the scenario
 * ranks by score (and only then), and committees read batches off that
 * ranking: the order must be the sort's, best score first, ties by index,
 * for any subset, with -0 and 0 equal; a batch holding a NaN score falls
 * back to the sort (which keeps such a member where the merge leaves it);
 * without a ranking, the sort gives the same order. */
static int before_ref(const gp_proj *x, const gp_proj *y) {
  return x->w->score > y->w->score || (x->w->score == y->w->score && x->id < y->id);
}

static void score_ranking(void) {
  enum { N = 300 };
  gp_wprop props[N];
  static gp_proj projs[N];
  unsigned long long x = 99;
  for (int i = 0; i < N; i++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    /* scores in 8 levels: many ties */
    props[i] = prop(i, 1, (double)((x >> 40) % 8) / 4, GP_SECTOR_ACADEMIA);
  }
  props[7].score = -0.0;
  props[8].score = 0.0;
  props[9].score = NAN;
  gp_scenario *s = scenario(10, "{\"name\": \"q\", \"selection\": \"quota\"}");
  gp_scenario *s_fcfs = scenario(10, "{\"name\": \"f\", \"selection\": \"fcfs\"}");
  ASSERT(s && s_fcfs);
  gp_err err;
  gp_err_clear(&err);
  double online[1] = {0};
  gp_world *w = gp_world_make(s, 3, props, NULL, N, online, &err);
  gp_world *wf = gp_world_make(s_fcfs, 3, props, NULL, N, online, &err);
  ASSERT(w && wf);
  ASSERT(w->ranking.made);
  ASSERT(!wf->ranking.made); /* no policy ranks by score: no ranking */
  const gp_ranking *rk = &w->ranking;
  ASSERT_EQ(rk->n, N - 1);
  ASSERT_EQ(rk->rank[9], UINT32_MAX);
  ASSERT_EQ(rk->rank[7] + 1, rk->rank[8]); /* -0 == 0: by index */
  for (size_t i = 0; i < N; i++)
    if (i != 9) ASSERT_EQ(rk->by_rank[rk->rank[i]], i);
  uint64_t bits[N / 64 + 1];
  memset(bits, 0, sizeof bits);
  gp_run run, runf;
  memset(&run, 0, sizeof run);
  run.w = w;
  run.projs = projs;
  run.rank_bits = bits;
  runf = run;
  runf.w = wf;
  runf.rank_bits = NULL;
  for (int i = 0; i < N; i++) {
    memset(&projs[i], 0, sizeof projs[i]);
    projs[i].w = &props[i];
    projs[i].id = i;
  }
  gp_proj *p[N];
  for (int round = 0; round < 40; round++) {
    /* a random subset (round 0: all but the NaN), in submission order */
    size_t n = 0;
    for (int i = 0; i < N; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      if (i != 9 && (round == 0 || (x >> 33) % 3 == 0)) p[n++] = &projs[i];
    }
    gp_batch b = {p, n, NULL};
    gp_proj *got[N], *sorted[N];
    ASSERT_EQ(gp_rule_by_score(&run, &b, got), 0);
    ASSERT_EQ(gp_rule_by_score(&runf, &b, sorted), 0);
    for (size_t i = 1; i < n; i++) ASSERT(before_ref(got[i - 1], got[i]));
    for (size_t i = 0; i < n; i++) ASSERT(got[i]->w == &props[got[i]->id]);
    for (size_t i = 0; i < n; i++) ASSERT(got[i] == sorted[i]);
    for (size_t k = 0; k < N / 64 + 1; k++) ASSERT_EQ(bits[k], 0);
  }
  /* With the NaN member: the sort, and every other member in order. */
  p[0] = &projs[9];
  p[1] = &projs[4];
  p[2] = &projs[8];
  p[3] = &projs[7];
  gp_batch b = {p, 4, NULL};
  gp_proj *got[4];
  ASSERT_EQ(gp_rule_by_score(&run, &b, got), 0);
  size_t k = 0;
  for (size_t i = 0; i < 4; i++)
    if (got[i]->id != 9) p[k++] = got[i];
  ASSERT_EQ(k, 3);
  for (size_t i = 1; i < 3; i++) ASSERT(before_ref(p[i - 1], p[i]));
  for (size_t j = 0; j < N / 64 + 1; j++) ASSERT_EQ(bits[j], 0);
  gp_world_free(w);
  gp_world_free(wf);
  gp_scenario_free(s);
  gp_scenario_free(s_fcfs);
}

int main(void) {
  RUN(score_ranking);
  RUN(quota);
  RUN(lottery);
  RUN(proportional);
  RUN(org_cap);
  RUN(regional);
  RUN(params_checked);
  TEST_EXIT();
}
