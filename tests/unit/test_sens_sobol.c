/*
 * tests/unit/test_sens_sobol.c - Saltelli's design and the Sobol indices
 * (sim/sobol.h) against analytic answers: the Ishigami function and
 * Sobol's g-function, each analytic index inside its bootstrap interval and
 * each interval no wider than the asymptotic (delta-method) interval
 * allows; groups; determinism; and the refusals (N = 0, D = 0, too many
 * dimensions for the Sobol sequence, a NaN output, a constant output).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/err.h"
#include "sim/sens.h"
#include "sim/sobol.h"
#include "tests/test.h"

#define NBOOT 1000
#define PI 3.14159265358979323846
#define LEVEL 0.95

/* Ishigami (a = 7, b = 0.1) on [-pi, pi)^3, from unit coordinates. */
static double ishigami(const double *u, void *ctx) {
  (void)ctx;
  double x1 = -PI + 2 * PI * u[0], x2 = -PI + 2 * PI * u[1],
         x3 = -PI + 2 * PI * u[2];
  return sin(x1) + 7 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

/* Its analytic indices (Ishigami & Homma 1990; Saltelli et al. 2008). */
static void ishigami_indices(double *s1, double *st) {
  double a = 7, b = 0.1, p4 = pow(PI, 4), p8 = p4 * p4;
  double v1 = 0.5 * (1 + b * p4 / 5) * (1 + b * p4 / 5), v2 = a * a / 8,
         v13 = b * b * p8 * (1.0 / 18 - 1.0 / 50);
  double v = v1 + v2 + v13;
  s1[0] = v1 / v;
  s1[1] = v2 / v;
  s1[2] = 0;
  st[0] = (v1 + v13) / v;
  st[1] = v2 / v;
  st[2] = v13 / v;
}

static const double g_a[6] = {0, 1, 4.5, 9, 99, 99};

/* Sobol's g-function: prod (|4u - 2| + a_i) / (1 + a_i), of the first
 * *CTX factors (NULL: all 6). */
static double gfun(const double *u, void *ctx) {
  size_t d = ctx ? *(const size_t *)ctx : 6;
  double p = 1;
  for (size_t i = 0; i < d; i++) p *= (fabs(4 * u[i] - 2) + g_a[i]) / (1 + g_a[i]);
  return p;
}

/* Its analytic indices from the product formula: V_i = 1 / (3 (1 + a_i)^2),
 * V = prod (1 + V_i) - 1, S1_i = V_i / V, ST_i = V_i prod_{j != i} (1 + V_j) / V. */
static void gfun_indices(double *s1, double *st) {
  double vi[6], prod = 1;
  for (size_t i = 0; i < 6; i++) {
    vi[i] = 1 / (3 * (1 + g_a[i]) * (1 + g_a[i]));
    prod *= 1 + vi[i];
  }
  double v = prod - 1;
  for (size_t i = 0; i < 6; i++) {
    s1[i] = vi[i] / v;
    st[i] = vi[i] * prod / (1 + vi[i]) / v;
  }
}

/* The asymptotic half-width 1.96 se of an index S = mean(u) / mean(w) by
 * the delta method, se = sd(u - S w) / (sqrt(N) V), with u the estimator's
 * term of each base row and w = ((f(A) - c)^2 + (f(B) - c)^2) / 2 the
 * term of V.  Computed here, apart from sim/sobol.c: the bootstrap interval
 * estimates the same spread, so its width must be close to 2 of these. */
static void clt_half(const gp_saltelli *s, const double *y, size_t i, double *h1,
                     double *ht) {
  size_t n = s->n, per = s->g + 2;
  double c = 0;
  for (size_t j = 0; j < n; j++) c += y[j * per] + y[j * per + per - 1];
  c /= 2.0 * (double)n;
  double su = 0, sv = 0, sw = 0;
  for (size_t j = 0; j < n; j++) {
    double fa = y[j * per] - c, fb = y[j * per + per - 1] - c, fab = y[j * per + 1 + i] - c;
    su += fb * (fab - fa);
    sv += (fa - fab) * (fa - fab) / 2;
    sw += (fa * fa + fb * fb) / 2;
  }
  double v = sw / (double)n, m1 = su / (double)n / v, mt = sv / (double)n / v;
  double q1 = 0, qt = 0, mu1 = 0, mut = 0;
  for (size_t pass = 0; pass < 2; pass++)
    for (size_t j = 0; j < n; j++) {
      double fa = y[j * per] - c, fb = y[j * per + per - 1] - c, fab = y[j * per + 1 + i] - c;
      double w = (fa * fa + fb * fb) / 2;
      double z1 = fb * (fab - fa) - m1 * w, zt = (fa - fab) * (fa - fab) / 2 - mt * w;
      if (pass == 0) {
        mu1 += z1 / (double)n;
        mut += zt / (double)n;
      } else {
        q1 += (z1 - mu1) * (z1 - mu1);
        qt += (zt - mut) * (zt - mut);
      }
    }
  *h1 = 1.96 * sqrt(q1 / (double)(n - 1)) / sqrt((double)n) / v;
  *ht = 1.96 * sqrt(qt / (double)(n - 1)) / sqrt((double)n) / v;
}

/* Each analytic index inside its interval, the estimate inside too, and
 * each interval's width within [0.8, 1.25] of 2 asymptotic half-widths:
 * with NBOOT = 1000 each percentile end has a Monte Carlo error of about
 * 0.085 sd (sqrt(.025 .975 / 1000) / phi(1.96)), so the width is known to
 * about 3%; the rest of the margin is the skewness of a ratio estimator
 * at N = 2048. */
static void check_indices(const gp_saltelli *s, const double *y, const gp_sobol_index *ix,
                          const double *s1, const double *st) {
  for (size_t i = 0; i < s->g; i++) {
    double h1, ht;
    clt_half(s, y, i, &h1, &ht);
    if (!(ix[i].s1_lo <= s1[i] && s1[i] <= ix[i].s1_hi && ix[i].st_lo <= st[i] &&
          st[i] <= ix[i].st_hi))
      fprintf(stderr, "  group %zu: S1 %.4f [%.4f, %.4f] (true %.4f), ST %.4f [%.4f, %.4f] (true %.4f)\n",
              i, ix[i].s1, ix[i].s1_lo, ix[i].s1_hi, s1[i], ix[i].st, ix[i].st_lo, ix[i].st_hi,
              st[i]);
    ASSERT(ix[i].s1_lo <= s1[i] && s1[i] <= ix[i].s1_hi);
    ASSERT(ix[i].st_lo <= st[i] && st[i] <= ix[i].st_hi);
    ASSERT(ix[i].s1_lo <= ix[i].s1 && ix[i].s1 <= ix[i].s1_hi);
    ASSERT(ix[i].st_lo <= ix[i].st && ix[i].st <= ix[i].st_hi);
    if (h1 > 1e-6) {
      ASSERT_NEAR((ix[i].s1_hi - ix[i].s1_lo) / (2 * h1), 1.0, 0.25);
    } else {
      ASSERT(ix[i].s1_hi - ix[i].s1_lo <= 1e-5);
    }
    if (ht > 1e-6) {
      ASSERT_NEAR((ix[i].st_hi - ix[i].st_lo) / (2 * ht), 1.0, 0.25);
    } else {
      ASSERT(ix[i].st_hi - ix[i].st_lo <= 1e-5);
    }
  }
}

static void ishigami_recovered(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_saltelli *s = gp_saltelli_new(2048, 3, NULL, GP_QRNG_SOBOL, 0, &e);
  ASSERT(s != NULL);
  ASSERT_EQ(s->npoints, 2048 * 5);
  double *y = malloc(s->npoints * sizeof *y);
  gp_sens_eval(s->x, s->npoints, s->d, ishigami, NULL, y);
  gp_sobol_index ix[3];
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, NBOOT, LEVEL, 42, ix, &e), 0);
  double s1[3], st[3];
  ishigami_indices(s1, st);
  /* The published values (a = 7, b = 0.1), to the digits quoted. */
  ASSERT_NEAR(s1[0], 0.314, 5e-4);
  ASSERT_NEAR(s1[1], 0.442, 5e-4);
  ASSERT_NEAR(st[0], 0.558, 5e-4);
  ASSERT_NEAR(st[2], 0.244, 5e-4);
  check_indices(s, y, ix, s1, st);
  free(y);
  gp_saltelli_free(s);
}

static void gfunction_recovered(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_saltelli *s = gp_saltelli_new(2048, 6, NULL, GP_QRNG_SOBOL, 0, &e);
  ASSERT(s != NULL);
  double *y = malloc(s->npoints * sizeof *y);
  gp_sens_eval(s->x, s->npoints, s->d, gfun, NULL, y);
  gp_sobol_index ix[6];
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, NBOOT, LEVEL, 7, ix, &e), 0);
  double s1[6], st[6];
  gfun_indices(s1, st);
  check_indices(s, y, ix, s1, st);
  /* The order the a_i set: the two a = 99 factors are all but inert. */
  for (size_t i = 0; i + 1 < 4; i++) ASSERT(ix[i].st > ix[i + 1].st);
  ASSERT(ix[4].st_hi < 0.01 && ix[5].st_hi < 0.01);
  free(y);
  gp_saltelli_free(s);
}

/* The Halton sequence is a design too (and the only one past 20 factors). */
static void ishigami_halton(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_saltelli *s = gp_saltelli_new(2048, 3, NULL, GP_QRNG_HALTON, 1, &e);
  ASSERT(s != NULL);
  double *y = malloc(s->npoints * sizeof *y);
  gp_sens_eval(s->x, s->npoints, s->d, ishigami, NULL, y);
  gp_sobol_index ix[3];
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, NBOOT, LEVEL, 3, ix, &e), 0);
  double s1[3], st[3];
  ishigami_indices(s1, st);
  check_indices(s, y, ix, s1, st);
  free(y);
  gp_saltelli_free(s);
}

/* Groups: x1 and x3 move together, x2 alone.  The group {x1, x3} has
 * S1 = ST = (V1 + V13) / V (= ST1 of the ungrouped problem) and x2 keeps
 * S2; the AB matrices take both columns of a group from B. */
static void groups_of_factors(void) {
  gp_err e;
  gp_err_clear(&e);
  size_t group[3] = {0, 1, 0};
  gp_saltelli *s = gp_saltelli_new(2048, 3, group, GP_QRNG_SOBOL, 0, &e);
  ASSERT(s != NULL);
  ASSERT_EQ(s->g, 2);
  ASSERT_EQ(s->npoints, 2048 * 4);
  for (size_t j = 0; j < 8; j++) {
    const double *a = s->x + j * 4 * 3, *ab0 = a + 3, *ab1 = a + 6, *b = a + 9;
    ASSERT_DBL_EQ(ab0[0], b[0]);
    ASSERT_DBL_EQ(ab0[1], a[1]);
    ASSERT_DBL_EQ(ab0[2], b[2]);
    ASSERT_DBL_EQ(ab1[0], a[0]);
    ASSERT_DBL_EQ(ab1[1], b[1]);
    ASSERT_DBL_EQ(ab1[2], a[2]);
  }
  double *y = malloc(s->npoints * sizeof *y);
  gp_sens_eval(s->x, s->npoints, s->d, ishigami, NULL, y);
  gp_sobol_index ix[2];
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, NBOOT, LEVEL, 5, ix, &e), 0);
  double s1[3], st[3];
  ishigami_indices(s1, st);
  double gs1[2] = {st[0], s1[1]}, gst[2] = {st[0], st[1]};
  check_indices(s, y, ix, gs1, gst);
  free(y);
  gp_saltelli_free(s);
}

/* The design: every coordinate in [0, 1), A and B the halves of the
 * sequence's points, AB_i = A but column i; the same arguments give the
 * same bytes, and so does the estimate with the same seed (another seed
 * moves the intervals, never the estimates). */
static void design_and_determinism(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_saltelli *s = gp_saltelli_new(64, 4, NULL, GP_QRNG_SOBOL, 0, &e);
  gp_saltelli *t = gp_saltelli_new(64, 4, NULL, GP_QRNG_SOBOL, 0, &e);
  gp_saltelli *u = gp_saltelli_new(64, 4, NULL, GP_QRNG_SOBOL, 1, &e);
  ASSERT(s && t && u);
  for (size_t p = 0; p < s->npoints * s->d; p++) ASSERT(s->x[p] >= 0 && s->x[p] < 1);
  ASSERT_EQ(memcmp(s->x, t->x, s->npoints * s->d * sizeof *s->x), 0);
  ASSERT(memcmp(s->x, u->x, s->npoints * s->d * sizeof *s->x) != 0);
  /* Skipping one point starts where the plain design's second row did. */
  ASSERT_EQ(memcmp(s->x + 6 * 4, u->x, 4 * sizeof *s->x), 0);
  for (size_t j = 0; j < 64; j++) {
    const double *a = s->x + j * 6 * 4, *b = a + 5 * 4;
    for (size_t i = 0; i < 4; i++)
      for (size_t f = 0; f < 4; f++) ASSERT_DBL_EQ(a[(1 + i) * 4 + f], f == i ? b[f] : a[f]);
  }
  ASSERT_DBL_EQ(s->x[0], 0.5); /* GSL's Sobol sequence starts at 0.5, not 0 */
  double *y = malloc(s->npoints * sizeof *y);
  size_t four = 4;
  gp_sens_eval(s->x, s->npoints, s->d, gfun, &four, y);
  gp_sobol_index i1[4], i2[4], i3[4];
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, 200, LEVEL, 11, i1, &e), 0);
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, 200, LEVEL, 11, i2, &e), 0);
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, 200, LEVEL, 12, i3, &e), 0);
  ASSERT_EQ(memcmp(i1, i2, sizeof i1), 0);
  ASSERT_DBL_EQ(i1[0].s1, i3[0].s1);
  ASSERT_DBL_EQ(i1[0].st, i3[0].st);
  ASSERT(i1[0].s1_lo != i3[0].s1_lo || i1[0].s1_hi != i3[0].s1_hi);
  /* A stride reads one column of a points x metrics table. */
  double *y2 = malloc(2 * s->npoints * sizeof *y2);
  for (size_t p = 0; p < s->npoints; p++) {
    y2[2 * p] = -1;
    y2[2 * p + 1] = y[p];
  }
  ASSERT_EQ(gp_sobol_estimate(s, y2 + 1, 2, 200, LEVEL, 11, i3, &e), 0);
  ASSERT_EQ(memcmp(i1, i3, sizeof i1), 0);
  free(y2);
  free(y);
  gp_saltelli_free(s);
  gp_saltelli_free(t);
  gp_saltelli_free(u);
  gp_saltelli_free(NULL);
}

static double constant(const double *u, void *ctx) {
  (void)u;
  (void)ctx;
  return 3;
}

/* Each refusal: no crash, NULL or -1, the documented code and message. */
static void refusals(void) {
  gp_err e;
  gp_err_clear(&e);
  ASSERT(gp_saltelli_new(0, 3, NULL, GP_QRNG_SOBOL, 0, &e) == NULL);
  ASSERT_EQ(e.code, GP_EX_USAGE);
  ASSERT_CONTAINS(e.msg, "base samples: expected at least 1, found 0");
  gp_err_clear(&e);
  ASSERT(gp_saltelli_new(8, 0, NULL, GP_QRNG_SOBOL, 0, &e) == NULL);
  ASSERT_EQ(e.code, GP_EX_USAGE);
  ASSERT_CONTAINS(e.msg, "no factors");
  gp_err_clear(&e);
  ASSERT(gp_saltelli_new(8, 21, NULL, GP_QRNG_SOBOL, 0, &e) == NULL);
  ASSERT_EQ(e.code, GP_EX_USAGE);
  ASSERT_CONTAINS(e.msg, "21 factors: needs 42 quasi-random dimensions, gsl_qrng_sobol has 40");
  gp_saltelli *h = gp_saltelli_new(8, 21, NULL, GP_QRNG_HALTON, 0, &e);
  ASSERT(h != NULL); /* the explicit choice past 20 factors */
  gp_saltelli_free(h);
  gp_saltelli *s20 = gp_saltelli_new(8, 20, NULL, GP_QRNG_SOBOL, 0, &e);
  ASSERT(s20 != NULL);
  gp_saltelli_free(s20);
  gp_err_clear(&e);
  size_t gap[3] = {0, 2, 0};
  ASSERT(gp_saltelli_new(8, 3, gap, GP_QRNG_SOBOL, 0, &e) == NULL);
  ASSERT_CONTAINS(e.msg, "group 1 has no factor");
  gp_err_clear(&e);
  size_t big[2] = {0, 5};
  ASSERT(gp_saltelli_new(8, 2, big, GP_QRNG_SOBOL, 0, &e) == NULL);
  ASSERT_CONTAINS(e.msg, "factor 1: group 5");

  gp_err_clear(&e);
  gp_saltelli *s = gp_saltelli_new(16, 3, NULL, GP_QRNG_SOBOL, 0, &e);
  ASSERT(s != NULL);
  double *y = malloc(s->npoints * sizeof *y);
  gp_sens_eval(s->x, s->npoints, s->d, ishigami, NULL, y);
  gp_sobol_index ix[3];
  y[7] = NAN;
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, 10, LEVEL, 1, ix, &e), -1);
  ASSERT_EQ(e.code, GP_EX_DATAERR);
  ASSERT_CONTAINS(e.msg, "output of design point 7 is nan");
  gp_err_clear(&e);
  y[7] = INFINITY;
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, 10, LEVEL, 1, ix, &e), -1);
  ASSERT_EQ(e.code, GP_EX_DATAERR);
  y[7] = 0;
  gp_err_clear(&e);
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, 0, LEVEL, 1, ix, &e), -1);
  ASSERT_CONTAINS(e.msg, "bootstrap samples: expected at least 1");
  gp_err_clear(&e);
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, 10, 1.0, 1, ix, &e), -1);
  ASSERT_CONTAINS(e.msg, "confidence level");
  /* A constant output: V = 0, every index undefined (NaN), not 0. */
  gp_err_clear(&e);
  gp_sens_eval(s->x, s->npoints, s->d, constant, NULL, y);
  ASSERT_EQ(gp_sobol_estimate(s, y, 1, 10, LEVEL, 1, ix, &e), 0);
  for (size_t i = 0; i < 3; i++) ASSERT(isnan(ix[i].s1) && isnan(ix[i].st_hi));
  free(y);
  gp_saltelli_free(s);
}

int main(void) {
  RUN(ishigami_recovered);
  RUN(gfunction_recovered);
  RUN(ishigami_halton);
  RUN(groups_of_factors);
  RUN(design_and_determinism);
  RUN(refusals);
  TEST_EXIT();
}
