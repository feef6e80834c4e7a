/*
 * tests/unit/test_scheduling.c - the scheduling rules and reclaim on worlds
 * whose schedules are worked out by hand.  Projects are designated
 * allocations (no review): each is ready the moment it is submitted.
 */
#include <string.h>

#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "tests/test.h"

/* One pool; tranche "h" of H_NODES servers of type H (1 H100-equivalent)
 * and, when B_NODES > 0, tranche "b" of type B (2 H100-equivalents). */
static gp_scenario *scenario(int h_nodes, int b_nodes, const char *policies) {
  char text[4096], btr[256] = "";
  if (b_nodes)
    snprintf(btr, sizeof btr,
             ", {\"name\": \"b\", \"gpu_type\": \"B\", \"pool\": \"p\", \"nodes\": %d, \"gpus_per_node\": 8,"
             " \"online\": \"2026-01-01\"}",
             b_nodes);
  snprintf(text, sizeof text,
           "{\"name\": \"t\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
           " \"gpu_types\": [{\"name\": \"H\", \"h100_equiv\": 1}, {\"name\": \"B\", \"h100_equiv\": 2}],"
           " \"pools\": [{\"name\": \"p\"}],"
           " \"roadmap\": {\"tranches\": [{\"name\": \"h\", \"gpu_type\": \"H\", \"pool\": \"p\","
           "   \"nodes\": %d, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}%s]},"
           " \"demand\": {\"designated\": [{\"name\": \"d\", \"pool\": \"p\", \"gpu_type\": \"H\","
           "   \"sector\": \"national\", \"servers\": 1, \"start\": \"2026-04-10\","
           "   \"phases\": [{\"teams\": 0, \"days\": 1}]}]},"
           " \"policies\": [%s]}",
           h_nodes, btr, policies);
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

static gp_wprop job(double t, int units, double days, double score) {
  gp_wprop p;
  memset(&p, 0, sizeof p);
  p.submitted = t;
  p.units = units;
  p.duration = days;
  p.score = score;
  p.use = 1;
  p.sector = 4;
  p.designated = 1;
  p.withdraw_at = HUGE_VAL;
  return p;
}

static void starts(const gp_scenario *s, gp_wprop *props, size_t n, int policy, double *start,
                   double *finish) {
  double online[2] = {0, 0};
  gp_run_out out;
  gp_err err;
  gp_err_clear(&err);
  gp_world *w = gp_world_make(s, 0, props, NULL, n, online, &err);
  if (!w || gp_run_policy(s, w, policy, 1, &out, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_world_free(w);
  for (size_t i = 0; i < n; i++) {
    start[i] = out.props[i].started;
    if (finish) finish[i] = out.props[i].finished;
  }
  gp_run_out_free(&out);
}

/* 4 servers.  J0 (t 0, 3 servers, 10 days), J1 (1, 2, 10), J2 (2, 4, 10),
 * J3 (3, 1, 25).
 * fcfs: J0 at 0; J1 waits for J0 (10); J2 waits behind J1, then for J1's end
 *   (20); J3 behind J2 until J2 ends (30).
 * easy: J1's reservation is 10 with 2 servers spare.  J2 cannot start.  J3
 *   fits now and, though it runs past 10, uses only spare servers: it starts
 *   at 3 and runs to 28.  At 10 J1 starts; J2 needs all 4, free at 28.
 * conservative: J1 reserved [10, 20), J2 [20, 30); J3 for 25 days from 3
 *   would cut into J2's reservation, so it is reserved after it: 30. */
static void fcfs_easy_conservative(void) {
  gp_scenario *s = scenario(4, 0,
                            "{\"name\": \"f\", \"scheduling\": \"fcfs\"},"
                            " {\"name\": \"e\", \"scheduling\": \"easy\"},"
                            " {\"name\": \"c\", \"scheduling\": \"conservative\"}");
  ASSERT(s);
  gp_wprop props[4] = {job(0, 3, 10, 0), job(1, 2, 10, 0), job(2, 4, 10, 0), job(3, 1, 25, 0)};
  double st[4];
  double want[3][4] = {{0, 10, 20, 30}, {0, 10, 28, 3}, {0, 10, 20, 30}};
  for (int pol = 0; pol < 3; pol++) {
    starts(s, props, 4, pol, st, NULL);
    for (int i = 0; i < 4; i++) ASSERT_DBL_EQ(st[i], want[pol][i]);
  }
  gp_scenario_free(s);
}

/* A backfill that ends exactly at the reservation is allowed (easy): 4
 * servers; J0 (0, 4, 10); J1 (1, 4, 5) reserved at 10; nothing is free
 * before 10 so nothing backfills; then J2 (2, 1, 8) must wait: it fits only
 * from 10, but J1 takes all 4 at 10, so J2 starts at 15.  With J0 of 3
 * servers instead, J2 fits at 2 and ends exactly at 10: it backfills. */
static void easy_backfill_to_the_reservation(void) {
  gp_scenario *s = scenario(4, 0, "{\"name\": \"e\", \"scheduling\": \"easy\"}");
  ASSERT(s);
  gp_wprop a[3] = {job(0, 4, 10, 0), job(1, 4, 5, 0), job(2, 1, 8, 0)};
  double st[3];
  starts(s, a, 3, 0, st, NULL);
  ASSERT_DBL_EQ(st[1], 10);
  ASSERT_DBL_EQ(st[2], 15);
  gp_wprop b[3] = {job(0, 3, 10, 0), job(1, 4, 5, 0), job(2, 1, 8, 0)};
  starts(s, b, 3, 0, st, NULL);
  ASSERT_DBL_EQ(st[2], 2);
  ASSERT_DBL_EQ(st[1], 10);
  gp_scenario_free(s);
}

/* priority: J0 (0, 3, 10, score .5) starts; J1 (1, 2, 5, .6) waits; J2 (2,
 * 1, 5, .9) has the best score and fits: it starts at 2 while J1 waits for
 * J0's end (10).  fcfs keeps ready order: J1 blocks J2; both start at 10. */
static void priority(void) {
  gp_scenario *s = scenario(4, 0,
                            "{\"name\": \"p\", \"scheduling\": \"priority\"},"
                            " {\"name\": \"f\", \"scheduling\": \"fcfs\"}");
  ASSERT(s);
  gp_wprop props[3] = {job(0, 3, 10, .5), job(1, 2, 5, .6), job(2, 1, 5, .9)};
  double st[3];
  starts(s, props, 3, 0, st, NULL);
  ASSERT_DBL_EQ(st[1], 10);
  ASSERT_DBL_EQ(st[2], 2);
  starts(s, props, 3, 1, st, NULL);
  ASSERT_DBL_EQ(st[1], 10);
  ASSERT_DBL_EQ(st[2], 10);
  gp_scenario_free(s);
}

/* hetero: 2 H servers and 2 B servers (twice as fast).  J0 (0, 2 H, 10 days)
 * takes both H servers; J1 (1, 2 H, 10 days) would wait until 10, so it is
 * offered B now: 2 servers (same GPUs) for 10 / 2 = 5 days: 1 to 6.  fcfs
 * makes it wait for H: 10 to 20. */
static void hetero(void) {
  gp_scenario *s = scenario(2, 2,
                            "{\"name\": \"h\", \"scheduling\": \"hetero\"},"
                            " {\"name\": \"f\", \"scheduling\": \"fcfs\"}");
  ASSERT(s);
  gp_wprop props[2] = {job(0, 2, 10, 0), job(1, 2, 10, 0)};
  double st[2], fin[2];
  starts(s, props, 2, 0, st, fin);
  ASSERT_DBL_EQ(st[1], 1);
  ASSERT_DBL_EQ(fin[1], 6);
  starts(s, props, 2, 1, st, fin);
  ASSERT_DBL_EQ(st[1], 10);
  ASSERT_DBL_EQ(fin[1], 20);
  gp_scenario_free(s);
}

/* Reclaim at mid-term: J0 (0, 4 servers, 20 days) uses 5% of them; at day 10
 * it loses half (2 servers, below 10% use); J1 (1, 2, 5) was waiting and
 * starts at 10.  J0 keeps running on 2 to day 20.  Without reclaim J1 waits
 * until 20. */
static void reclaim(void) {
  gp_scenario *s = scenario(4, 0,
                            "{\"name\": \"r\", \"reclaim\": {\"at\": 0.5, \"below_use\": 0.1, \"take\": 0.5}},"
                            " {\"name\": \"f\"}");
  ASSERT(s);
  gp_wprop props[2] = {job(0, 4, 20, 0), job(1, 2, 5, 0)};
  props[0].use = 0.05;
  double st[2], fin[2];
  starts(s, props, 2, 0, st, fin);
  ASSERT_DBL_EQ(st[1], 10);
  ASSERT_DBL_EQ(fin[0], 20);
  starts(s, props, 2, 1, st, fin);
  ASSERT_DBL_EQ(st[1], 20);
  /* A project using 50% is left alone. */
  props[0].use = 0.5;
  starts(s, props, 2, 0, st, fin);
  ASSERT_DBL_EQ(st[1], 20);
  gp_scenario_free(s);
}

int main(void) {
  RUN(fcfs_easy_conservative);
  RUN(easy_backfill_to_the_reservation);
  RUN(priority);
  RUN(hetero);
  RUN(reclaim);
  TEST_EXIT();
}
