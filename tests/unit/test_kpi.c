/*
 * tests/unit/test_kpi.c - the programme statistics (issue 19, item 5) on a
 * call worked out by hand: the run's per-source row (models/run/out.c,
 * tails.c) and gpuplan kpi's figures from it (analysis/kpi.c), asserted
 * exactly; and the mean and interval of a figure that varies.
 *
 * The scenario: epoch 2026-01-01 (day 0); one pool of 10 servers x 8 GPUs;
 * one call open days 0-10 with a budget of 3 servers, a committee on day 15;
 * screening at the close (0 days), screening_pass 0.5; unlimited reviewers,
 * 2 days a review; interviews at once (no slot limit), interview_pass 0.5;
 * policy fcfs (first come, first funded while the budget lasts).
 *
 * Seven proposals of 1 server each, submitted on days 1 to 7:
 *   #0 academia, capital   reviewed day 12, committee day 15: funded (budget 3 -> 2)
 *   #1 industry            u_screen 0.7: rejected at screening on day 10
 *   #2 industry, capital   interviewed, u_interview 0.9: rejected on day 12
 *   #3 research            interviewed, found suitable: committee, funded (2 -> 1)
 *   #4 startup, capital    committee, funded (1 -> 0)
 *   #5 academia            committee: the budget is spent, rejected
 *   #6 academia            withdraws on day 9, in review: never decided
 * Days to decision of the six decided: 14, 8, 9, 11, 10, 9; sorted 8 9 9 10
 * 11 14: p50 at position 2.5 = 9.5, p90 at 4.5 = 12.5.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "analysis/kpi.h"
#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "tests/test.h"

static gp_scenario *scenario(void) {
  const char *text =
      "{\"name\": \"kpi\", \"epoch\": \"2026-01-01\", \"end\": \"2026-04-11\","
      " \"gpu_types\": [{\"name\": \"G\"}], \"pools\": [{\"name\": \"p\"}],"
      " \"roadmap\": {\"tranches\": [{\"name\": \"a\", \"gpu_type\": \"G\", \"pool\": \"p\","
      "   \"nodes\": 10, \"gpus_per_node\": 8, \"online\": \"2026-01-01\"}]},"
      " \"review\": {\"reviewers\": 0, \"reviews_per_proposal\": 1, \"review_days\": 2,"
      "   \"screening_pass\": 0.5, \"interview_pass\": 0.5},"
      " \"demand\": {\"calls\": [{\"name\": \"c\", \"pool\": \"p\", \"gpu_type\": \"G\","
      "   \"open\": \"2026-01-01\", \"close\": \"2026-01-11\", \"proposals\": 0, \"servers\": 1,"
      "   \"months\": 1, \"sector_mix\": {\"academia\": 1}, \"capacity\": {\"G\": 3},"
      "   \"committees\": [\"2026-01-16\"], \"committee_every_days\": 7}]},"
      " \"policies\": [{\"name\": \"fcfs\", \"selection\": \"fcfs\"}]}";
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("test", text, strlen(text), NULL, &err);
  if (!s) fprintf(stderr, "  %s\n", err.msg);
  return s;
}

static gp_wprop prop(double t, int sector, int capital) {
  gp_wprop p;
  memset(&p, 0, sizeof p);
  p.submitted = t;
  p.units = 1;
  p.duration = 30;
  p.score = p.quality = 0.5;
  p.use = 1;
  p.sector = (int8_t)sector;
  p.capital = (int8_t)capital;
  p.withdraw_at = HUGE_VAL;
  return p;
}

/* Replication REP of the hand-worked call: its calls row into *ROW. */
static void run_call(const gp_scenario *s, int rep, gp_call_row *row) {
  gp_wprop props[7] = {prop(1, GP_SECTOR_ACADEMIA, 1), prop(2, GP_SECTOR_INDUSTRY, 0),
                       prop(3, GP_SECTOR_INDUSTRY, 1), prop(4, GP_SECTOR_RESEARCH, 0),
                       prop(5, GP_SECTOR_STARTUP, 1),  prop(6, GP_SECTOR_ACADEMIA, 0),
                       prop(7, GP_SECTOR_ACADEMIA, 0)};
  props[1].u_screen = 0.7f;
  props[2].interview = props[3].interview = 1;
  props[2].u_interview = 0.9f;
  props[6].withdraw_at = 9;
  double online[1] = {0};
  gp_err err;
  gp_err_clear(&err);
  const float rd[7] = {2, 2, 2, 2, 2, 2, 2}; /* each one review's time */
  gp_world *w = gp_world_make(s, rep, props, rd, 7, online, &err);
  gp_run_out out;
  if (!w || gp_run_policy(s, w, 0, 1, &out, &err) != 0) TEST_FAIL_("%s", err.msg);
  static const int want[7] = {GP_OUT_FINISHED, GP_OUT_REJECTED, GP_OUT_REJECTED, GP_OUT_FINISHED,
                              GP_OUT_FINISHED, GP_OUT_REJECTED, GP_OUT_WITHDRAWN};
  for (int i = 0; i < 7; i++) ASSERT_EQ(out.props[i].outcome, want[i]);
  *row = out.calls[0];
  gp_run_out_free(&out);
  gp_world_free(w);
}

static void calls_row(void) {
  gp_scenario *s = scenario();
  ASSERT(s);
  gp_call_row c;
  run_call(s, 0, &c);
  ASSERT_EQ(c.proposals, 7);
  ASSERT_EQ(c.accepted, 3);
  ASSERT_EQ(c.rejected, 3);
  ASSERT_EQ(c.withdrawn, 1);
  ASSERT_EQ(c.interviewed, 2);
  ASSERT_DBL_EQ(c.proposals_industry, 2);
  ASSERT_DBL_EQ(c.proposals_startup, 1);
  ASSERT_DBL_EQ(c.proposals_academia, 3);
  ASSERT_DBL_EQ(c.proposals_research, 1);
  ASSERT_DBL_EQ(c.proposals_national, 0);
  ASSERT_DBL_EQ(c.accepted_industry, 0);
  ASSERT_DBL_EQ(c.accepted_startup, 1);
  ASSERT_DBL_EQ(c.accepted_academia, 1);
  ASSERT_DBL_EQ(c.accepted_research, 1);
  ASSERT_DBL_EQ(c.accepted_national, 0);
  ASSERT_DBL_EQ(c.proposals_capital, 3);
  ASSERT_DBL_EQ(c.accepted_capital, 2);
  ASSERT_DBL_EQ(c.rejected_screening, 1);
  ASSERT_DBL_EQ(c.rejected_interview, 1);
  ASSERT_DBL_EQ(c.rejected_committee, 1);
  ASSERT_DBL_EQ(c.units_offered, 3);
  ASSERT_NEAR(c.oversubscription, 7.0 / 3.0, 1e-12);
  ASSERT_DBL_EQ(c.p50_days_to_decision, 9.5);
  ASSERT_DBL_EQ(c.p90_days_to_decision, 12.5);
  gp_scenario_free(s);
}

/* The column named NAME's figure of source J. */
static const gp_kpi_fig *fig(const gp_kpi *k, size_t j, const char *name) {
  for (int c = 0; c < gp_kpi_ncols; c++)
    if (strcmp(gp_kpi_cols[c].name, name) == 0) return &k->rows[j].fig[c];
  TEST_FAIL_("no column %s", name);
  return NULL;
}

/* Two replications of the same world: every figure is the hand-worked
 * value, its interval of width 0; a rate over no proposals has no value. */
static void kpi_figures(void) {
  gp_scenario *s = scenario();
  ASSERT(s);
  gp_call_row rows[2];
  run_call(s, 0, &rows[0]);
  run_call(s, 1, &rows[1]);
  char *names[1] = {"c"};
  gp_kpi k;
  gp_err err;
  gp_err_clear(&err);
  ASSERT_EQ(gp_kpi_from_rows(&k, "fcfs", rows, 2, names, 1, 1, 0, &err), 0);
  ASSERT_EQ(k.n, 1);
  ASSERT_EQ(k.nreps, 2);
  ASSERT(strcmp(k.rows[0].kind, "call") == 0);
  struct {
    const char *name;
    double want;
  } exact[] = {{"proposals", 7},
               {"units_requested", 7},
               {"units_offered", 3},
               {"oversubscription", 7.0 / 3.0},
               {"accepted", 3},
               {"units_awarded", 3},
               {"success_rate", 3.0 / 7.0},
               {"success_rate_industry", 0},
               {"success_rate_startup", 1},
               {"success_rate_academia", 1.0 / 3.0},
               {"success_rate_research", 1},
               {"capital_share_proposals", 3.0 / 7.0},
               {"success_rate_capital", 2.0 / 3.0},
               {"success_rate_other", 1.0 / 4.0},
               {"rejected_screening", 1},
               {"rejected_interview", 1},
               {"rejected_committee", 1},
               {"withdrawn", 1},
               {"p50_days_to_decision", 9.5},
               {"p90_days_to_decision", 12.5},
               {"gpus_awarded", 24},
               {"gpus_awarded_industry", 0},
               {"gpus_awarded_startup", 8},
               {"gpus_awarded_academia", 8},
               {"gpus_awarded_research", 8},
               {"gpus_awarded_national", 0}};
  for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
    const gp_kpi_fig *f = fig(&k, 0, exact[i].name);
    ASSERT_NEAR(f->mean, exact[i].want, 1e-12);
    ASSERT_EQ(f->n, 2);
  }
  const gp_kpi_fig *p = fig(&k, 0, "proposals");
  ASSERT_DBL_EQ(p->lo, 7);
  ASSERT_DBL_EQ(p->hi, 7);
  ASSERT(isnan(fig(&k, 0, "units_offered")->lo)); /* fixed: no interval */
  const gp_kpi_fig *national = fig(&k, 0, "success_rate_national");
  ASSERT(isnan(national->mean) && national->n == 0); /* no proposals: no value, not 0 */
  char buf[64];
  ASSERT(strcmp(gp_kpi_cell(buf, sizeof buf, 0, p), "7") == 0);
  for (int c = 0; c < gp_kpi_ncols; c++)
    if (strcmp(gp_kpi_cols[c].name, "success_rate_national") == 0)
      ASSERT(strcmp(gp_kpi_cell(buf, sizeof buf, c, national), "n/a") == 0);
  gp_kpi_free(&k);
  gp_scenario_free(s);
}

/* A figure that varies: proposals 10 and 14 -> mean 12, sd 2 sqrt 2, half-
 * width t(0.975, 1) x 2; a file without the new fields is named. */
static void interval_and_missing(void) {
  gp_call_row rows[2];
  memset(rows, 0, sizeof rows);
  rows[0].proposals = 10;
  rows[1].proposals = 14;
  rows[1].rep = 1;
  char *names[1] = {"s"};
  gp_kpi k;
  gp_err err;
  gp_err_clear(&err);
  ASSERT(gp_kpi_missing(rows, 2) == NULL);
  ASSERT_EQ(gp_kpi_from_rows(&k, "p", rows, 2, names, 1, 0, 1, &err), 0);
  ASSERT(strcmp(k.rows[0].kind, "stream") == 0);
  const gp_kpi_fig *f = fig(&k, 0, "proposals");
  double half = gsl_cdf_tdist_Pinv(0.975, 1) * 2;
  ASSERT_DBL_EQ(f->mean, 12);
  ASSERT_NEAR(f->lo, 12 - half, 1e-9);
  ASSERT_NEAR(f->hi, 12 + half, 1e-9);
  gp_kpi_free(&k);
  rows[0].proposals_industry = rows[1].proposals_industry = NAN; /* as the reader gives it */
  ASSERT(gp_kpi_missing(rows, 2) && strcmp(gp_kpi_missing(rows, 2), "proposals_industry") == 0);
  rows[1].call = 3; /* no such source */
  ASSERT_EQ(gp_kpi_from_rows(&k, "p", rows, 2, names, 1, 0, 1, &err), -1);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
}

int main(void) {
  RUN(calls_row);
  RUN(kpi_figures);
  RUN(interval_and_missing);
  TEST_EXIT();
}
