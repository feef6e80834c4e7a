/*
 * tests/unit/test_mmc.c - validation against queueing theory.
 *
 * Runs scenarios/validation/mmc.json through the gpuplan binary at two loads
 * (rho = 0.7 and 0.95; c = 8, mu = 1 per day; in the release suite only, main
 * says why), reads the summary table back
 * from the HDF5 file, and checks:
 *   - the mean wait (mean_days_to_gpu; no review delay, so it is the queueing
 *     delay) against Erlang C: the exact value must lie in the 99% Student-t
 *     confidence interval of the replication means;
 *   - Little's law, L = lambda W: lambda x W (both measured) must lie in the
 *     99% confidence interval of the time-average queue length L, and so must
 *     the Erlang C value of L;
 *   - the delay distribution's other end: the measured utilization against
 *     rho;
 *   - the tail of the wait (p50_days_to_gpu, p90_, p99_): the mean over
 *     replications of each replication's quantile against the exact quantile
 *     of P(Wq > t) = C e^{-(c mu - lambda) t}, t_q = ln(C / (1 - q)) /
 *     (c mu - lambda) (0 when 1 - q >= C), within the 95% Student-t interval
 *     of the replications' quantiles (an exact 0 must be an exact 0: more
 *     than half the customers do not wait at rho = 0.7).  A quantile of one
 *     replication's sample is biased by O(1/n); with about 112,000 customers
 *     a replication (55 measured years at 5.6 or 7.6 a day) the bias is far
 *     inside the interval, as it would not be with a few hundred.
 * Tolerances come from the confidence intervals; the seed is fixed.
 */
#include <gsl/gsl_cdf.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "models/results/h5in.h"
#include "sim/stats.h"
#include "tests/erlang.h"
#include "tests/test.h"

typedef struct row {
  int32_t rep;
  double mean_days_to_gpu, mean_days_in_queue, mean_queue_length, arrivals_per_day, utilization;
  double p50_days_to_gpu, p90_days_to_gpu, p99_days_to_gpu;
} row;

static const gp_field fields[] = {
    GP_FIELD(row, rep, GP_F_INT32, "", ""),
    GP_FIELD(row, mean_days_to_gpu, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, mean_days_in_queue, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, mean_queue_length, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, arrivals_per_day, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, utilization, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, p50_days_to_gpu, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, p90_days_to_gpu, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, p99_days_to_gpu, GP_F_DOUBLE, "", ""),
};
static const gp_table_desc desc = {"summary", sizeof(row), fields, 9};

static void erlang_c_known_answer(void) {
  /* c = 2, a = 1: C = (1/2 * 2) / (1 + 1 + 1) = 1/3. */
  ASSERT_NEAR(erlang_c(2, 1.0), 1.0 / 3.0, 1e-15);
  /* c = 1 reduces to M/M/1: C = rho. */
  ASSERT_NEAR(erlang_c(1, 0.7), 0.7, 1e-15);
}

/* The quantile Q of the wait in queue of M/M/c: P(Wq > t) = C e^{-(c mu -
 * lambda) t} for t > 0, and P(Wq = 0) = 1 - C. */
static double wait_quantile(int c, double lambda, double mu, double q) {
  double pc = erlang_c(c, lambda / mu);
  return 1 - q >= pc ? 0 : log(pc / (1 - q)) / (c * mu - lambda);
}

static void wait_quantile_known_answer(void) {
  /* M/M/1 (C = rho = 0.5, mu - lambda = 0.5): P(Wq > t) = 0.5 e^{-t/2}, so
   * the 0.9 quantile is 2 ln 5 and the median 0 (half do not wait). */
  ASSERT_NEAR(wait_quantile(1, 0.5, 1, 0.9), 2 * log(5.0), 1e-12);
  ASSERT_DBL_EQ(wait_quantile(1, 0.5, 1, 0.5), 0);
}

static double half99(const gp_ci *c) {
  return gsl_cdf_tdist_Pinv(0.995, (double)(c->n - 1)) * c->sd / sqrt((double)c->n);
}

static void check_load(double lambda) {
  const int c = 8;
  const double mu = 1.0;
  char out[512], cmd[1400];
  const char *bin = getenv("GPUPLAN"), *tmp = getenv("GP_TEST_TMP");
  ASSERT(bin);
  snprintf(out, sizeof out, "%s/mmc-%g.h5", tmp ? tmp : "/tmp", lambda);
  snprintf(cmd, sizeof cmd,
           "'%s' run scenarios/validation/mmc.json --quiet --set demand.streams[0].rate_per_day=%g "
           "-o '%s'",
           bin, lambda, out);
  ASSERT_EQ(system(cmd), 0);

  gp_err err;
  gp_err_clear(&err);
  gp_h5in *h = gp_h5in_open(out, &err);
  if (!h) TEST_FAIL_("%s", err.msg);
  size_t n = 0;
  row *rows = gp_h5in_table(h, "/policies/fcfs/summary", &desc, &n, &err);
  gp_h5in_close(h);
  unlink(out);
  if (!rows) TEST_FAIL_("%s", err.msg);
  ASSERT_GE(n, 30);

  double a = lambda / mu, rho = a / c;
  double wq = erlang_c(c, a) / (c * mu - lambda); /* mean wait, days */
  double lq = lambda * wq;                          /* mean queue length */
  gp_ci w = gp_stats_ci(&rows[0].mean_days_to_gpu, n, sizeof(row) / sizeof(double), 0.99);
  gp_ci l = gp_stats_ci(&rows[0].mean_queue_length, n, sizeof(row) / sizeof(double), 0.99);
  gp_ci u = gp_stats_ci(&rows[0].utilization, n, sizeof(row) / sizeof(double), 0.99);
  double lw = 0;
  for (size_t i = 0; i < n; i++) lw += rows[i].arrivals_per_day * rows[i].mean_days_in_queue;
  lw /= (double)n;
  printf("  rho=%.2f: Wq Erlang C %.5f, simulated %.5f ± %.5f (99%%); Lq %.5f, L %.5f ± %.5f, "
         "lambda*W %.5f; utilization %.5f ± %.5f\n",
         rho, wq, w.mean, half99(&w), lq, l.mean, half99(&l), lw, u.mean, half99(&u));
  ASSERT_NEAR(w.mean, wq, half99(&w));
  ASSERT_NEAR(l.mean, lq, half99(&l));
  ASSERT_NEAR(lw, l.mean, half99(&l));
  ASSERT_NEAR(u.mean, rho, half99(&u));
  /* The tail: each quantile's exact value in the 95% interval of the
   * replications' quantiles. */
  const double qs[3] = {0.5, 0.9, 0.99};
  const size_t at[3] = {offsetof(row, p50_days_to_gpu), offsetof(row, p90_days_to_gpu),
                        offsetof(row, p99_days_to_gpu)};
  for (int j = 0; j < 3; j++) {
    double exact = wait_quantile(c, lambda, mu, qs[j]);
    gp_ci t = gp_stats_ci((const double *)((const char *)rows + at[j]), n,
                          sizeof(row) / sizeof(double), 0.95);
    printf("  rho=%.2f: wait quantile %.2f exact %.5f, simulated %.5f ± %.5f (95%%)\n", rho, qs[j],
           exact, t.mean, t.half);
    ASSERT_EQ(t.n, n);
    if (exact == 0) {
      ASSERT_DBL_EQ(t.mean, 0);
      ASSERT_DBL_EQ(t.sd, 0);
    } else {
      ASSERT_NEAR(t.mean, exact, t.half);
    }
  }
  free(rows);
}

static void mmc_rho_070(void) { check_load(5.6); }
static void mmc_rho_095(void) { check_load(7.6); }

int main(void) {
  RUN(erlang_c_known_answer);
  RUN(wait_quantile_known_answer);
  /* Under the sanitizers (make check sets GP_SANITIZED) the two simulations
   * are the release suite's: their figures do not depend on the build, they
   * took 15 CPU seconds there, and the sanitized binary runs M/M/c in
   * tests/cli/test_terminal.sh and test_interrupt.sh. */
  const char *san = getenv("GP_SANITIZED");
  if (san && *san) {
    printf("# M/M/c simulations: the release suite's (GP_SANITIZED=%s)\n", san);
    TEST_EXIT();
  }
  RUN(mmc_rho_070);
  RUN(mmc_rho_095);
  TEST_EXIT();
}
