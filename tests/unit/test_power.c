/*
 * tests/unit/test_power.c - power and electricity (issue 21, item 5):
 * energy = power x time on a tiny world worked out by hand, and its cost at
 * a price that changes on 1 January.
 */
#include <math.h>
#include <string.h>

#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "tests/test.h"

/* 2026-12-22 to 2027-01-11 (20 days): tranche "h", 2 servers of 8 GPUs of
 * type H, online from the epoch; GPU_TYPE and PRICING as given. */
static gp_scenario *scenario(const char *gpu_type, const char *tranche_extra, const char *pricing) {
  char text[4096];
  snprintf(text, sizeof text,
           "{\"name\": \"t\", \"epoch\": \"2026-12-22\", \"end\": \"2027-01-11\","
           " \"gpu_types\": [{\"name\": \"H\"%s}], \"pools\": [{\"name\": \"p\"}],"
           " \"roadmap\": {\"tranches\": [{\"name\": \"h\", \"gpu_type\": \"H\", \"pool\": \"p\","
           "   \"nodes\": 2, \"gpus_per_node\": 8, \"online\": \"2026-12-22\"%s}]},"
           " \"demand\": {\"designated\": [{\"name\": \"d\", \"pool\": \"p\", \"gpu_type\": \"H\","
           "   \"sector\": \"national\", \"servers\": 1, \"start\": \"2027-01-10\","
           "   \"phases\": [{\"teams\": 0, \"days\": 1}]}]},"
           " \"output\": {\"sample_every_days\": 1}%s}",
           gpu_type, tranche_extra, pricing);
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

/* One project on 1 server (8 GPUs) from day 0 to the end, busy at USE. */
static void play(const gp_scenario *s, double use, gp_run_out *out) {
  gp_wprop p;
  memset(&p, 0, sizeof p);
  p.units = 1;
  p.duration = 20;
  p.use = use;
  p.sector = 4;
  p.designated = 1;
  p.withdraw_at = HUGE_VAL;
  double online[1] = {0};
  gp_err err;
  gp_err_clear(&err);
  gp_world *w = gp_world_make(s, 0, &p, NULL, 1, online, &err);
  if (!w || gp_run_policy(s, w, 0, 1, out, &err) != 0) TEST_FAIL_("%s", err.msg);
  gp_world_free(w);
}

/* 16 usable GPUs, 4 busy (8 x 0.5): IT power 1.5 kW x (0.2 x 16 + 0.8 x 4)
 * = 9.6 kW, x PUE 1.25 = 12 kW for 20 days (480 h): 5,760 kWh = 5.76 MWh.
 * Price 100 KRW/kWh to 2026-12-31, 200 from 2027-01-01 (day 10): 12 x 240 x
 * 100 + 12 x 240 x 200 = 864,000 KRW. */
static void energy_is_power_times_time(void) {
  gp_scenario *s = scenario(", \"power_kw\": 1.5, \"idle_power_share\": 0.2", ", \"pue\": 1.25",
                            ", \"pricing\": {\"electricity_krw_per_kwh\": 100,"
                            " \"electricity_by_year\": {\"2027\": 200}}");
  ASSERT(s);
  ASSERT_EQ(s->has_power, 1);
  gp_run_out out;
  play(s, 0.5, &out);
  ASSERT_NEAR(out.summary.energy_mwh, 5.76, 1e-12);
  ASSERT_NEAR(out.summary.electricity_cost_krw, 864000, 1e-6);
  size_t n = out.nsamples;
  ASSERT_NEAR(out.ts[GP_TS_POWER_MW * n + 5], 0.012, 1e-15);
  ASSERT_NEAR(out.ts[GP_TS_ENERGY_MWH * n + 5], 12 * 5 * 24 / 1000.0, 1e-12);
  ASSERT_NEAR(out.ts[GP_TS_ENERGY_MWH * n + 20], 5.76, 1e-12);
  gp_run_out_free(&out);
  /* Idle GPUs only (use 0): 1.5 x 0.2 x 16 x 1.25 = 6 kW. */
  play(s, 0, &out);
  ASSERT_NEAR(out.summary.energy_mwh, 6 * 480 / 1000.0, 1e-12);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Defaults: idle share 0.3, PUE 1, no price (cost 0). */
static void defaults(void) {
  gp_scenario *s = scenario(", \"power_kw\": 1", "", "");
  ASSERT(s);
  ASSERT_DBL_EQ(s->gpu_types[0].idle_power_share, GP_IDLE_POWER_SHARE);
  ASSERT_DBL_EQ(s->tranches[0].pue, 1);
  gp_run_out out;
  play(s, 1, &out);
  /* 8 busy at 1 kW + 8 idle at 0.3 kW = 10.4 kW for 480 h */
  ASSERT_NEAR(out.summary.energy_mwh, 10.4 * 480 / 1000, 1e-12);
  ASSERT_DBL_EQ(out.summary.electricity_cost_krw, 0);
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* Without a power_kw nothing is computed: NaN, never a made-up zero. */
static void absent(void) {
  gp_scenario *s = scenario("", "", "");
  ASSERT(s);
  ASSERT_EQ(s->has_power, 0);
  gp_run_out out;
  play(s, 1, &out);
  ASSERT(isnan(out.summary.energy_mwh));
  ASSERT(isnan(out.summary.electricity_cost_krw));
  ASSERT(isnan(out.ts[GP_TS_POWER_MW * out.nsamples]));
  gp_run_out_free(&out);
  gp_scenario_free(s);
}

/* The loader: a year that is no year is refused. */
static void bad_year(void) {
  ASSERT(!scenario(", \"power_kw\": 1", "",
                   ", \"pricing\": {\"electricity_by_year\": {\"27\": 100}}"));
  ASSERT(!scenario(", \"power_kw\": 1", ", \"pue\": 0.9", ""));
}

int main(void) {
  RUN(energy_is_power_times_time);
  RUN(defaults);
  RUN(absent);
  RUN(bad_year);
  TEST_EXIT();
}
