/*
 * tests/unit/test_holm.c - family-wise error control of verdicts
 * (analysis/verdict.c: Holm's method) and the multiple comparison with the
 * best (analysis/mcb.c), on hand-worked and synthetic cases:
 *   - Holm on a family of four p-values worked by hand (exact adjusted
 *     p-values and rejections);
 *   - p-values of the paired t test from rows of known t statistics;
 *   - a family where one difference is significant alone (its 95% interval
 *     excludes 0) and not after Holm's adjustment over 20, and the interval
 *     agrees with the decision at every step;
 *   - MCB on three policies whose means are far apart (a known best), in
 *     both directions, and on identical policies.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mcb.h"
#include "analysis/verdict.h"
#include "tests/test.h"

/* A paired difference over N replications whose t statistic is T (sd 1):
 * statistics as gp_stat_compute leaves them, with the 95% interval. */
static gp_stat_row row_t(double t, int n) {
  gp_stat_row r = {0, n, t / sqrt((double)n), 1, 0, 0, 0};
  r.half_width = gsl_cdf_tdist_Qinv(0.025, n - 1) / sqrt((double)n);
  r.lo = r.mean - r.half_width;
  r.hi = r.mean + r.half_width;
  return r;
}

/* A row whose two-sided p-value is P. */
static gp_stat_row row_p(double p, int n) { return row_t(gsl_cdf_tdist_Qinv(p / 2, n - 1), n); }

static void test_holm_by_hand(void) {
  /* m = 4, alpha = 0.05; in order 0.005 <= 0.05/4 (reject), 0.01 <= 0.05/3
   * (reject), 0.03 > 0.05/2 (stop: keep it and 0.04).  Adjusted: 4 x 0.005
   * = 0.02; 3 x 0.01 = 0.03; 2 x 0.03 = 0.06; max(0.06, 1 x 0.04) = 0.06. */
  const double p[5] = {0.01, 0.04, 0.03, 0.005, NAN};
  double adj[5];
  ASSERT_EQ(gp_holm_adjust(p, 5, adj), 0);
  ASSERT_NEAR(adj[0], 0.03, 1e-15);
  ASSERT_NEAR(adj[1], 0.06, 1e-15);
  ASSERT_NEAR(adj[2], 0.06, 1e-15);
  ASSERT_NEAR(adj[3], 0.02, 1e-15);
  ASSERT(isnan(adj[4])); /* not in the family: m = 4 */
  /* Capped at 1. */
  const double q[2] = {0.7, 0.9};
  ASSERT_EQ(gp_holm_adjust(q, 2, adj), 0);
  ASSERT_DBL_EQ(adj[0], 1);
  ASSERT_DBL_EQ(adj[1], 1);

  /* The same family as paired differences: the verdicts Holm's rejections,
   * the adjusted p-values the same. */
  gp_stat_row rows[4], *fam[4];
  for (int i = 0; i < 4; i++) rows[i] = row_p(p[i], 12), fam[i] = &rows[i];
  for (int i = 0; i < 4; i++) ASSERT_NEAR(gp_verdict_p(&rows[i]), p[i], 1e-12);
  ASSERT_EQ(gp_verdict_holm(fam, 4, 0.05, adj), 4);
  ASSERT_NEAR(adj[0], 0.03, 1e-12);
  ASSERT_NEAR(adj[3], 0.02, 1e-12);
  ASSERT_EQ(gp_verdict_of(&rows[0]), GP_V_UP);
  ASSERT_EQ(gp_verdict_of(&rows[3]), GP_V_UP);
  ASSERT_EQ(gp_verdict_of(&rows[1]), GP_V_NS);
  ASSERT_EQ(gp_verdict_of(&rows[2]), GP_V_NS);
  /* Each interval at its step's level: 0.005 at 0.05/4, 0.01 at 0.05/3,
   * 0.03 and 0.04 both at 0.05/2 (the step that stopped). */
  const double level[4] = {0.05 / 3, 0.05 / 2, 0.05 / 2, 0.05 / 4};
  for (int i = 0; i < 4; i++)
    ASSERT_NEAR(rows[i].half_width, gsl_cdf_tdist_Qinv(level[i] / 2, 11) / sqrt(12.0), 1e-12);
}

static void test_p_values(void) {
  gp_stat_row r = row_t(2.2621571627409915, 10); /* t(0.975, 9): p = 0.05 */
  ASSERT_NEAR(gp_verdict_p(&r), 0.05, 1e-10);
  r = row_t(-2.2621571627409915, 10);
  ASSERT_NEAR(gp_verdict_p(&r), 0.05, 1e-10);
  /* The same non-zero difference every time: p = 0, significant. */
  gp_stat_row c = {0, 5, 3.0, 0, 0, 3.0, 3.0};
  ASSERT_DBL_EQ(gp_verdict_p(&c), 0);
  /* Identical, one replication, no value: not tested. */
  gp_stat_row same = {0, 5, 0, 0, 0, 0, 0}, one = {0, 1, 2, NAN, NAN, NAN, NAN},
              none = {0, 0, NAN, NAN, NAN, NAN, NAN};
  ASSERT(isnan(gp_verdict_p(&same)));
  ASSERT(isnan(gp_verdict_p(&one)));
  ASSERT(isnan(gp_verdict_p(&none)));
  /* Out of the family: untouched, and m counts only the tested. */
  gp_stat_row keep = same, *fam[3] = {&same, &one, &c};
  ASSERT_EQ(gp_verdict_holm(fam, 3, 0.05, NULL), 1);
  ASSERT_EQ(memcmp(&same, &keep, sizeof keep), 0);
  ASSERT_EQ(gp_verdict_of(&c), GP_V_UP);
}

static void test_unadjusted_significant_holm_not(void) {
  /* One difference with p = 0.01 among 19 with p = 0.5: alone its 95%
   * interval excludes 0; after Holm over 20 (0.01 > 0.05 / 20) it does not. */
  gp_stat_row rows[20], *fam[20];
  for (int i = 0; i < 20; i++) rows[i] = row_p(i == 7 ? 0.01 : 0.5, 30), fam[i] = &rows[i];
  ASSERT_EQ(gp_verdict_of(&rows[7]), GP_V_UP);
  ASSERT(rows[7].lo > 0);
  double adj[20];
  ASSERT_EQ(gp_verdict_holm(fam, 20, 0.05, adj), 20);
  ASSERT_NEAR(adj[7], 0.2, 1e-12);
  ASSERT_EQ(gp_verdict_of(&rows[7]), GP_V_NS);
  ASSERT(rows[7].lo < 0 && rows[7].hi > 0);
  for (int i = 0; i < 20; i++) ASSERT_EQ(gp_verdict_of(&rows[i]), GP_V_NS);
  /* With p = 0.001 it survives (0.001 <= 0.05 / 20), the others do not. */
  for (int i = 0; i < 20; i++) rows[i] = row_p(i == 7 ? 0.001 : 0.5, 30);
  ASSERT_EQ(gp_verdict_holm(fam, 20, 0.05, adj), 20);
  ASSERT_EQ(gp_verdict_of(&rows[7]), GP_V_UP);
  ASSERT_EQ(gp_verdict_of(&rows[0]), GP_V_NS);
  ASSERT_NEAR(adj[7], 0.02, 1e-12);
}

/* ---- multiple comparison with the best ---- */

enum { NREP = 20 };

/* Three policies on metric FIELD (a double of gp_summary_row): means 10,
 * 20, 30 plus common noise and a little of their own. */
static void three(gp_summary_row s[3][NREP], size_t field, double mult) {
  memset(s, 0, sizeof(gp_summary_row) * 3 * NREP);
  for (int r = 0; r < NREP; r++) {
    double common = 5 * sin(r * 1.7), own[3] = {cos(r * 2.3), sin(r * 0.9), cos(r * 1.1)};
    for (int p = 0; p < 3; p++)
      *(double *)((char *)&s[p][r] + field) = mult * (10.0 * (p + 1) + common + 0.5 * own[p]);
  }
}

static void test_mcb_known_best(void) {
  static gp_summary_row s[3][NREP];
  const gp_summary_row *sum[3] = {s[0], s[1], s[2]};
  gp_mcb m[3];
  /* Days to GPU, lower is better: policy 0 (mean 10) is the best. */
  int k = gp_stat_index("mean_days_to_gpu");
  ASSERT(k >= 0);
  three(s, offsetof(gp_summary_row, mean_days_to_gpu), 1);
  ASSERT_EQ(gp_mcb_metric(sum, 3, NREP, k, 0.05, m), 0);
  ASSERT_EQ(gp_mcb_status(&m[0]), 1);
  ASSERT_DBL_EQ(m[0].hi, 0);
  ASSERT(m[0].lo < -9 && m[0].lo > -11); /* about 10 better than the next */
  ASSERT_EQ(gp_mcb_status(&m[1]), -1);
  ASSERT_EQ(gp_mcb_status(&m[2]), -1);
  ASSERT_DBL_EQ(m[1].lo, 0);
  ASSERT(m[1].hi > 10 && m[1].hi < 11); /* about 10 worse than the best */
  ASSERT(m[2].hi > 20 && m[2].hi < 21);
  ASSERT_EQ(m[0].n, NREP);
  /* Acceptance, higher is better: policy 2 (0.30) is the best. */
  k = gp_stat_index("acceptance_rate");
  three(s, offsetof(gp_summary_row, acceptance_rate), 0.01);
  ASSERT_EQ(gp_mcb_metric(sum, 3, NREP, k, 0.05, m), 0);
  ASSERT_EQ(gp_mcb_status(&m[2]), 1);
  ASSERT_EQ(gp_mcb_status(&m[1]), -1);
  ASSERT(m[1].hi > 0.1 && m[1].hi < 0.11);
  /* No better direction: nothing to compare. */
  ASSERT_EQ(gp_mcb_metric(sum, 3, NREP, gp_stat_index("subsidy_krw"), 0.05, m), -1);
}

static void test_mcb_close_and_same(void) {
  static gp_summary_row s[3][NREP];
  const gp_summary_row *sum[3] = {s[0], s[1], s[2]};
  gp_mcb m[3];
  int k = gp_stat_index("mean_days_to_gpu");
  /* Two policies 0.01 apart with noise of 0.5: neither is shown the best;
   * each may be, within a little of the other; the third is not. */
  three(s, offsetof(gp_summary_row, mean_days_to_gpu), 1);
  for (int r = 0; r < NREP; r++)
    s[1][r].mean_days_to_gpu = s[0][r].mean_days_to_gpu + 0.01 + 0.5 * sin(r * 3.1);
  ASSERT_EQ(gp_mcb_metric(sum, 3, NREP, k, 0.05, m), 0);
  ASSERT_EQ(gp_mcb_status(&m[0]), 0);
  ASSERT_EQ(gp_mcb_status(&m[1]), 0);
  ASSERT_EQ(gp_mcb_status(&m[2]), -1);
  ASSERT(m[0].lo < 0 && m[0].hi > 0 && m[0].hi < 1);
  /* Identical policies: every interval [0, 0]. */
  for (int p = 1; p < 3; p++) memcpy(s[p], s[0], sizeof s[0]);
  ASSERT_EQ(gp_mcb_metric(sum, 3, NREP, k, 0.05, m), 0);
  for (int p = 0; p < 3; p++) ASSERT(m[p].lo == 0 && m[p].hi == 0);
  /* One replication: no interval. */
  ASSERT_EQ(gp_mcb_metric(sum, 3, 1, k, 0.05, m), 0);
  ASSERT_EQ(gp_mcb_status(&m[0]), -2);
}

int main(void) {
  RUN(test_holm_by_hand);
  RUN(test_p_values);
  RUN(test_unadjusted_significant_holm_not);
  RUN(test_mcb_known_best);
  RUN(test_mcb_close_and_same);
  TEST_EXIT();
}
