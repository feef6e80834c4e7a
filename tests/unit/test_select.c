/*
 * tests/unit/test_select.c - Kim and Nelson's procedure (models/experiment/
 * select.h) on synthetic normal "policies" with known means: its constants
 * by hand, the probability of correct selection in the least-favourable
 * configuration over 500 macro-replications (not significantly below the
 * nominal), eliminations that save replications, a result that does not
 * depend on the batch size, maximising as minimising the negation, the cap,
 * bad specs, and the sampler over a scenario's policies (the values of
 * measure.h's run of every policy).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/measure.h"
#include "models/experiment/plan.h"
#include "models/experiment/select.h"
#include "models/results/metrics.h"
#include "models/scenario/scenario.h"
#include "sim/err.h"
#include "tests/test.h"

#define K 7

/* System i on replication r: mu[i] + sigma (sqrt(rho) Z0 + sqrt(1 - rho)
 * Z_i), the Z's drawn from a generator seeded by (seed, r) alone: common
 * random numbers (rho > 0), and a value that does not depend on the batch
 * or the companions it is asked with. */
typedef struct normals {
  double mu[K], sigma, rho, sign;
  unsigned long seed;
  gsl_rng *g;
  long long calls;
} normals;

static int sample(void *ctx, int first, int n, const int *sys, int nsys, double *x, gp_err *err) {
  (void)err;
  normals *nm = ctx;
  nm->calls++;
  for (int r = 0; r < n; r++) {
    gsl_rng_set(nm->g, nm->seed * 1000003UL + (unsigned long)(first + r));
    double z0 = gsl_ran_ugaussian(nm->g), z[K];
    for (int i = 0; i < K; i++) z[i] = gsl_ran_ugaussian(nm->g);
    for (int j = 0; j < nsys; j++) {
      int i = sys[j];
      x[(size_t)j * (size_t)n + (size_t)r] =
          nm->sign * (nm->mu[i] + nm->sigma * (sqrt(nm->rho) * z0 + sqrt(1 - nm->rho) * z[i]));
    }
  }
  return 0;
}

/* The slippage configuration: system BEST has mean 0, the others DELTA
 * (smaller is better). */
static void slippage(normals *nm, int best, double delta) {
  for (int i = 0; i < K; i++) nm->mu[i] = i == best ? 0 : delta;
  nm->sigma = 2;
  nm->rho = 0.5; /* Var(X_i - X_l) = 2 sigma^2 (1 - rho) = 4 */
  nm->sign = 1;
}

static void spec_of(gp_select_spec *sp, normals *nm, double delta, int batch) {
  memset(sp, 0, sizeof *sp);
  sp->k = K;
  sp->delta = delta;
  sp->batch = batch;
  sp->sample = sample;
  sp->ctx = nm;
}

/* eta and h2 by hand: k = 2, n0 = 3, alpha = 0.25: (2 * 0.25 / 1)^(-2/2) =
 * 2, eta = 1/2, h2 = 2 eta 2 = 2; k = 3, n0 = 5, alpha = 0.1: 0.1^(-1/2) =
 * sqrt(10), eta = (sqrt(10) - 1) / 2, h2 = 4 (sqrt(10) - 1) = 8.6491. */
static void constants(void) {
  ASSERT_NEAR(gp_select_eta(2, 3, 0.25), 0.5, 1e-12);
  ASSERT_NEAR(gp_select_eta(3, 5, 0.1), (sqrt(10) - 1) / 2, 1e-12);
  normals nm;
  memset(&nm, 0, sizeof nm);
  nm.g = gsl_rng_alloc(gsl_rng_mt19937);
  slippage(&nm, 0, 1);
  gp_select_spec sp;
  spec_of(&sp, &nm, 1, 1);
  sp.k = 3;
  sp.n0 = 5;
  sp.pcs = 0.9;
  gp_select_result res;
  gp_err e;
  gp_err_clear(&e);
  ASSERT_EQ(gp_select_kn(&sp, &res, &e), 0);
  ASSERT_NEAR(res.h2, 4 * (sqrt(10) - 1), 1e-12);
  ASSERT_EQ(res.n0, 5);
  ASSERT_EQ(res.max_reps, GP_SELECT_MAX_REPS);
  gp_select_result_free(&res);
  gsl_rng_free(nm.g);
}

/* 500 macro-replications of the slippage configuration, k = 7, delta = 1,
 * pcs = 0.95: the 99% Wilson upper bound of the empirical PCS is at least
 * 0.95, and the eliminations save replications (the mean cost is below
 * every system run to the final count). */
static void pcs_slippage(void) {
  const int macro = 500;
  const double z = 2.5758293035489; /* two-sided 99% */
  normals nm;
  memset(&nm, 0, sizeof nm);
  nm.g = gsl_rng_alloc(gsl_rng_mt19937);
  int correct = 0, eliminated_early = 0;
  double cost = 0, full = 0;
  for (int m = 0; m < macro; m++) {
    int best = m % K; /* the best's index moves: no index is favoured */
    slippage(&nm, best, 1);
    nm.seed = 20261207UL + (unsigned long)m;
    gp_select_spec sp;
    spec_of(&sp, &nm, 1, 4);
    gp_select_result res;
    gp_err e;
    gp_err_clear(&e);
    ASSERT_EQ(gp_select_kn(&sp, &res, &e), 0);
    ASSERT_EQ(res.guaranteed, 1);
    correct += res.selected == best;
    cost += (double)res.cost;
    full += (double)K * res.reps;
    ASSERT_EQ(res.rows[K - 1].system, res.selected);
    ASSERT_EQ(res.rows[K - 1].at, res.reps);
    eliminated_early += res.rows[0].at < res.reps;
    ASSERT(res.sampled >= res.cost);
    gp_select_result_free(&res);
  }
  double n = macro, p = correct / n;
  double hi = (p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) /
              (1 + z * z / n);
  printf("  PCS %d/%d = %.3f (99%% upper bound %.4f), mean cost %.1f of %.1f\n", correct, macro,
         p, hi, cost / macro, full / macro);
  ASSERT(hi >= 0.95);
  ASSERT(cost < full);
  ASSERT_GT(eliminated_early, macro / 2);
  gsl_rng_free(nm.g);
}

/* The same selection, counts, means and cost whatever the batch; the
 * negated values maximised give the same too. */
static void batch_free(void) {
  normals nm;
  memset(&nm, 0, sizeof nm);
  nm.g = gsl_rng_alloc(gsl_rng_mt19937);
  for (int seed = 1; seed <= 20; seed++) {
    slippage(&nm, seed % K, 1);
    nm.mu[(seed + 3) % K] = 0.4; /* a near competitor */
    nm.seed = (unsigned long)seed;
    gp_select_result ref, res;
    gp_select_spec sp;
    gp_err e;
    gp_err_clear(&e);
    spec_of(&sp, &nm, 1, 1);
    ASSERT_EQ(gp_select_kn(&sp, &ref, &e), 0);
    const int batches[] = {2, 3, 7, 50};
    for (int b = 0; b < 5; b++) {
      nm.sign = b == 4 ? -1 : 1;
      spec_of(&sp, &nm, 1, b == 4 ? 5 : batches[b]);
      sp.maximize = b == 4;
      ASSERT_EQ(gp_select_kn(&sp, &res, &e), 0);
      ASSERT_EQ(res.selected, ref.selected);
      ASSERT_EQ(res.reps, ref.reps);
      ASSERT(res.cost == ref.cost);
      for (int j = 0; j < K; j++) {
        ASSERT_EQ(res.rows[j].system, ref.rows[j].system);
        ASSERT_EQ(res.rows[j].at, ref.rows[j].at);
        ASSERT_EQ(res.rows[j].best, ref.rows[j].best);
        ASSERT_NEAR(res.rows[j].mean, nm.sign * ref.rows[j].mean, 1e-9);
      }
      gp_select_result_free(&res);
    }
    gp_select_result_free(&ref);
  }
  gsl_rng_free(nm.g);
}

/* Equal means and a tiny delta: the cap is reached, the selection is not
 * guaranteed and the survivors say so (at = -1). */
static void the_cap(void) {
  normals nm;
  memset(&nm, 0, sizeof nm);
  nm.g = gsl_rng_alloc(gsl_rng_mt19937);
  slippage(&nm, 0, 0);
  nm.seed = 3;
  gp_select_spec sp;
  spec_of(&sp, &nm, 1e-6, 8);
  sp.max_reps = 30;
  gp_select_result res;
  gp_err e;
  gp_err_clear(&e);
  ASSERT_EQ(gp_select_kn(&sp, &res, &e), 0);
  ASSERT_EQ(res.guaranteed, 0);
  ASSERT_EQ(res.reps, 30);
  ASSERT(res.sampled >= res.cost);
  int open = 0;
  for (int j = 0; j < K; j++) open += res.rows[j].at == -1;
  ASSERT_GT(open, 0);
  ASSERT_EQ(res.rows[K - 1].system, res.selected);
  gp_select_result_free(&res);
  gsl_rng_free(nm.g);
}

static void bad_specs(void) {
  normals nm;
  memset(&nm, 0, sizeof nm);
  gp_select_spec sp;
  gp_select_result res;
  gp_err e;
  spec_of(&sp, &nm, 1, 1);
  sp.k = 1;
  gp_err_clear(&e);
  ASSERT_EQ(gp_select_kn(&sp, &res, &e), -1);
  ASSERT_EQ(e.code, GP_EX_USAGE);
  spec_of(&sp, &nm, 1, 1);
  sp.pcs = 0.1; /* below 1/k */
  gp_err_clear(&e);
  ASSERT_EQ(gp_select_kn(&sp, &res, &e), -1);
  ASSERT(strstr(e.msg, "pcs") != NULL);
  spec_of(&sp, &nm, 0, 1);
  gp_err_clear(&e);
  ASSERT_EQ(gp_select_kn(&sp, &res, &e), -1);
  ASSERT(strstr(e.msg, "delta") != NULL);
  spec_of(&sp, &nm, 1, 1);
  sp.n0 = 20;
  sp.max_reps = 10;
  gp_err_clear(&e);
  ASSERT_EQ(gp_select_kn(&sp, &res, &e), -1);
  ASSERT(strstr(e.msg, "max_reps") != NULL);
}

/* Over a scenario: the means KN reports after its first stage are the
 * means of measure.h's run of every policy (a policy played alone sees the
 * world it sees among the others), under 1 or 2 threads. */
static void over_a_scenario(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_plan_spec ps = {"tests/uncertain/small.json", GP_OVERRIDES_NONE, NULL, 0, NULL};
  gp_plan *pl = gp_plan_load(&ps, &e);
  ASSERT(pl != NULL);
  gp_stat_count();
  int metric = gp_stat_index("mean_days_to_gpu");
  ASSERT(metric >= 0);
  gp_measure_spec ms;
  memset(&ms, 0, sizeof ms);
  ms.nreps = 4;
  ms.metrics = &metric;
  ms.nmetrics = 1;
  ms.threads = 1;
  gp_measure_plan(&ms, pl);
  double *y = gp_measure_run(&ms, &e);
  ASSERT(y != NULL);
  for (int threads = 1; threads <= 2; threads++) {
    gp_select_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.n0 = 4;
    sp.max_reps = 4;
    sp.delta = 1e9; /* W = 0 at once */
    gp_select_result res;
    ASSERT_EQ(gp_select_plan(pl, metric, threads, &sp, &res, &e), 0);
    ASSERT_EQ(res.k, 2);
    ASSERT_EQ(res.reps, 4);
    for (int j = 0; j < 2; j++) {
      int p = res.rows[j].system;
      double sum = 0;
      for (int r = 0; r < 4; r++) sum += y[gp_measure_at(&ms, 0, p, r, 0)];
      ASSERT_NEAR(res.rows[j].mean, sum / 4, 1e-9 * fabs(sum));
    }
    gp_select_result_free(&res);
  }
  /* A policy played alone (as a survivor is) gets the values it gets among
   * the others. */
  gp_plan_spec alone = {"tests/uncertain/small.json", GP_OVERRIDES_NONE, NULL, 0, "lottery"};
  gp_plan *pa = gp_plan_load(&alone, &e);
  ASSERT(pa != NULL);
  gp_measure_spec ma = ms;
  gp_measure_plan(&ma, pa);
  ASSERT_EQ(ma.npol, 1);
  double *ya = gp_measure_run(&ma, &e);
  ASSERT(ya != NULL);
  for (int r = 0; r < 4; r++)
    ASSERT(memcmp(&ya[gp_measure_at(&ma, 0, 0, r, 0)], &y[gp_measure_at(&ms, 0, 1, r, 0)],
                  sizeof(double)) == 0);
  free(ya);
  gp_plan_free(pa);
  free(y);
  gp_plan_free(pl);
}

int main(void) {
  RUN(constants);
  RUN(pcs_slippage);
  RUN(batch_free);
  RUN(the_cap);
  RUN(bad_specs);
  RUN(over_a_scenario);
  TEST_EXIT();
}
