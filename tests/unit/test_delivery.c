/*
 * tests/unit/test_delivery.c - the roadmap as planned beside the roadmap as
 * delivered (models/experiment/delivery.c) and the gap at the target date by
 * cause over replications (gp_store_roadmap_plan), on a roadmap small enough
 * to work out by hand (issue 17, item 1).
 *
 * The roadmap: A, 10 servers x 8 GPUs, planned online on day 100, no ramp,
 * no end; B, 4 x 8, planned day 200, ramp 4 days (4 batches of one server,
 * on days t0, t0 + 4/3, t0 + 8/3, t0 + 4); C, 5 x 8, planned day 50, agreement
 * ending on day 150.  The target date is day 202; the simulated end day 205.
 *   As planned on day 202: A 80 + B 32 = 112 (C has ended); planned online by
 *   then: 152.  The most ever at once, as planned: 120 (A + C, days 100-150).
 *   Target 150: 38 short as planned, of which C's 40 ended and -2 never
 *   planned; never reached as planned (120 < 150).
 *   Replication 0, slips A 110 days, B 1 day: A online on day 210 (late, 80),
 *   B on 201, one batch by 202 (8 GPUs; 24 ramping): delivered 8, gap 142 =
 *   -2 + 40 + 80 + 24.  Replication 1, no slips: B's two batches by 202 (16;
 *   16 ramping): delivered 96.  Means: late 40, ramping 20, gap 98.
 *   Target 100: reached as planned on day 100 (A + C = 120); replication 0 on
 *   day 210 (A + B = 112, after the simulated end), replication 1 on day 100.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/delivery.h"
#include "models/experiment/store.h"
#include "tests/test.h"

static gp_tranche tr[3];
static gp_scenario sc;

static void setup(double target) {
  memset(tr, 0, sizeof tr);
  memset(&sc, 0, sizeof sc);
  tr[0] = (gp_tranche){.name = "A", .nodes = 10, .gov_nodes = 10, .gpus_per_node = 8,
                       .online = 100, .ramp_days = 0, .end = HUGE_VAL};
  tr[1] = (gp_tranche){.name = "B", .nodes = 4, .gov_nodes = 4, .gpus_per_node = 8,
                       .online = 200, .ramp_days = 4, .end = HUGE_VAL};
  tr[2] = (gp_tranche){.name = "C", .nodes = 5, .gov_nodes = 5, .gpus_per_node = 8,
                       .online = 50, .ramp_days = 0, .end = 150};
  sc.tranches = tr;
  sc.ntranches = 3;
  sc.target_gpus = target;
  sc.target_date = 202;
  sc.end = 205;
}

static double online[6] = {210, 201, 50, 100, 200, 50}; /* replications 0 and 1 */

static void test_planned(void) {
  setup(150);
  ASSERT_DBL_EQ(gp_delivery_installed(&sc, NULL, 0, 202), 112);
  ASSERT_DBL_EQ(gp_delivery_installed(&sc, NULL, 0, 100), 120);
  ASSERT_DBL_EQ(gp_delivery_installed(&sc, NULL, 0, 150), 80); /* C's agreement ends */
  ASSERT_DBL_EQ(gp_delivery_peak(&sc, NULL, 0), 120);
  ASSERT_DBL_EQ(gp_delivery_reached(&sc, NULL, 0), -1);
  setup(100);
  ASSERT_DBL_EQ(gp_delivery_reached(&sc, NULL, 0), 100);
}

static void test_delivered(void) {
  setup(150);
  ASSERT_DBL_EQ(gp_delivery_installed(&sc, online, 1, 202), 8);
  ASSERT_DBL_EQ(gp_delivery_installed(&sc, online + 3, 1, 202), 96);
  gp_delivery_gap g;
  gp_delivery_tranche(&sc, 0, 210, &g);
  ASSERT_DBL_EQ(g.planned_at_target, 80);
  ASSERT_DBL_EQ(g.late, 80);
  ASSERT_DBL_EQ(g.ramping, 0);
  ASSERT_DBL_EQ(g.ended, 0);
  gp_delivery_tranche(&sc, 1, 201, &g);
  ASSERT_DBL_EQ(g.planned_at_target, 32);
  ASSERT_DBL_EQ(g.late, 0);
  ASSERT_DBL_EQ(g.ramping, 24);
  gp_delivery_tranche(&sc, 2, 50, &g);
  ASSERT_DBL_EQ(g.planned_at_target, 0);
  ASSERT_DBL_EQ(g.ended, 40);
  setup(100); /* no cap at the simulated end (day 205) */
  ASSERT_DBL_EQ(gp_delivery_reached(&sc, online, 1), 210);
  ASSERT_DBL_EQ(gp_delivery_reached(&sc, online + 3, 1), 100);
}

static void store_plan(double target, gp_store_plan *pl, gp_roadmap_tranche_row *rows) {
  setup(target);
  gp_store st;
  memset(&st, 0, sizeof st);
  st.s = &sc;
  st.nreps = 2;
  st.online = online;
  gp_err err;
  gp_err_clear(&err);
  ASSERT_EQ(gp_store_roadmap_plan(&st, pl, rows, &err), 0);
}

static void test_store_plan(void) {
  gp_store_plan pl;
  gp_roadmap_tranche_row rows[3];
  store_plan(150, &pl, rows);
  ASSERT_DBL_EQ(pl.planned_at_target, 112);
  ASSERT(isnan(pl.planned_reached));
  ASSERT_DBL_EQ(pl.planned_peak, 120);
  ASSERT_DBL_EQ(pl.never_planned, -2);
  ASSERT_DBL_EQ(pl.ended, 40);
  ASSERT_DBL_EQ(pl.late, 40);
  ASSERT_DBL_EQ(pl.ramping, 20);
  /* The parts add up to the mean gap: 150 - (8 + 96) / 2 = 98. */
  ASSERT_DBL_EQ(pl.never_planned + pl.ended + pl.late + pl.ramping, 98);
  ASSERT(isnan(pl.q10) && isnan(pl.q50) && isnan(pl.q90));
  ASSERT_DBL_EQ(rows[0].late_share, 0.5);
  ASSERT_DBL_EQ(rows[0].late_gpus, 40);
  ASSERT_DBL_EQ(rows[1].ramping_gpus, 20);
  ASSERT_DBL_EQ(rows[1].late_share, 0);
  ASSERT_DBL_EQ(rows[2].ended_by_target, 40);
  ASSERT_DBL_EQ(rows[2].planned_online, 50);
  ASSERT(isnan(rows[0].agreement_end));
  ASSERT_DBL_EQ(rows[2].agreement_end, 150);
  store_plan(100, &pl, rows);
  ASSERT_DBL_EQ(pl.planned_reached, 100);
  ASSERT_DBL_EQ(pl.never_planned, -52);
  ASSERT_DBL_EQ(pl.q10, 100);
  ASSERT_DBL_EQ(pl.q90, 210);
}

int main(void) {
  RUN(test_planned);
  RUN(test_delivered);
  RUN(test_store_plan);
  TEST_EXIT();
}
