/*
 * tests/unit/test_mmc.c - validation against queueing theory.
 *
 * Runs scenarios/validation/mmc.json through the gpuplan binary at two loads
 * (rho = 0.7 and 0.95; c = 8, mu = 1 per day), reads the summary table back
 * from the HDF5 file, and checks:
 *   - the mean wait (mean_days_to_gpu; no review delay, so it is the queueing
 *     delay) against Erlang C: the exact value must lie in the 99% Student-t
 *     confidence interval of the replication means;
 *   - Little's law, L = lambda W: lambda x W (both measured) must lie in the
 *     99% confidence interval of the time-average queue length L, and so must
 *     the Erlang C value of L;
 *   - the delay distribution's other end: the measured utilization against
 *     rho.
 * Tolerances come from the confidence intervals; the seed is fixed.
 */
#include <gsl/gsl_cdf.h>
#include <stdint.h>
#include <unistd.h>

#include "models/results/h5in.h"
#include "sim/stats.h"
#include "tests/test.h"

typedef struct row {
  int32_t rep;
  double mean_days_to_gpu, mean_days_in_queue, mean_queue_length, arrivals_per_day, utilization;
} row;

static const gp_field fields[] = {
    GP_FIELD(row, rep, GP_F_INT32, "", ""),
    GP_FIELD(row, mean_days_to_gpu, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, mean_days_in_queue, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, mean_queue_length, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, arrivals_per_day, GP_F_DOUBLE, "", ""),
    GP_FIELD(row, utilization, GP_F_DOUBLE, "", ""),
};
static const gp_table_desc desc = {"summary", sizeof(row), fields, 6};

/* Erlang C: probability of waiting in M/M/c with offered load a = lambda/mu. */
static double erlang_c(int c, double a) {
  double term = 1, sum = 0; /* a^k / k! */
  for (int k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  double last = term * c / (c - a);
  return last / (sum + last);
}

static void erlang_c_known_answer(void) {
  /* c = 2, a = 1: C = (1/2 * 2) / (1 + 1 + 1) = 1/3. */
  ASSERT_NEAR(erlang_c(2, 1.0), 1.0 / 3.0, 1e-15);
  /* c = 1 reduces to M/M/1: C = rho. */
  ASSERT_NEAR(erlang_c(1, 0.7), 0.7, 1e-15);
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
  free(rows);
}

static void mmc_rho_070(void) { check_load(5.6); }
static void mmc_rho_095(void) { check_load(7.6); }

int main(void) {
  RUN(erlang_c_known_answer);
  RUN(mmc_rho_070);
  RUN(mmc_rho_095);
  TEST_EXIT();
}
