/*
 * tests/unit/test_sens_morris.c - Morris trajectories and elementary
 * effects (sim/morris.h): a linear function's coefficients recovered
 * exactly, Ishigami's mu* against its exact values on the grid, groups,
 * the trajectories' structure, Campolongo's selection against a brute-force
 * search, determinism, and the refusals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/err.h"
#include "sim/morris.h"
#include "sim/sens.h"
#include "tests/test.h"

#define PI 3.14159265358979323846

static const double lin_c[6] = {1, -2, 3, 0.5, -5, 0.25}; /* distinct |c_i| */

static double linear(const double *u, void *ctx) {
  (void)ctx;
  double s = 0;
  for (size_t i = 0; i < 6; i++) s += lin_c[i] * u[i];
  return s;
}

static double ishigami(const double *u, void *ctx) {
  (void)ctx;
  double x1 = -PI + 2 * PI * u[0], x2 = -PI + 2 * PI * u[1], x3 = -PI + 2 * PI * u[2];
  return sin(x1) + 7 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

/* A linear function's elementary effect is the same everywhere: f(u +
 * delta e_i) - f(u) = c_i delta at every u, so EE_i = c_i at every step of
 * every trajectory, mu = c_i, mu* = |c_i|, sigma = 0 and mu*'s interval is
 * the point; only the rounding of f and of the subtraction remains (a few
 * ulps of sum |c_i| = 11.75).  On both grids. */
static void linear_recovered(void) {
  gp_err e;
  gp_err_clear(&e);
  for (int grid = 0; grid < 2; grid++) {
    gp_morris_opts o = GP_MORRIS_OPTS_DEFAULT;
    o.grid = grid ? GP_MORRIS_ENDS : GP_MORRIS_CENTRED;
    gp_morris *m = gp_morris_new(10, 6, NULL, &o, 3, &e);
    ASSERT(m != NULL);
    ASSERT_EQ(m->npoints, 10 * 7);
    double *y = malloc(m->npoints * sizeof *y);
    gp_sens_eval(m->x, m->npoints, m->d, linear, NULL, y);
    gp_morris_index ix[6];
    ASSERT_EQ(gp_morris_estimate(m, y, 1, 100, 0.95, 9, ix, &e), 0);
    for (size_t i = 0; i < 6; i++) {
      ASSERT_NEAR(ix[i].mu, lin_c[i], 1e-12);
      ASSERT_NEAR(ix[i].mu_star, fabs(lin_c[i]), 1e-12);
      ASSERT_NEAR(ix[i].sigma, 0, 1e-12);
      ASSERT_NEAR(ix[i].mu_star_lo, fabs(lin_c[i]), 1e-12);
      ASSERT_NEAR(ix[i].mu_star_hi, fabs(lin_c[i]), 1e-12);
    }
    free(y);
    gp_morris_free(m);
  }
}

/* The exact mu* of Ishigami on a grid: a move of factor i leaves a level l
 * of the lower half for l + p/2 while every other factor sits at any of
 * the p levels, all equally likely and independent (a start level is
 * uniform on its half and the direction on its sign); so mu*_i is the mean
 * of |f(after) - f(before)| / delta over those (p/2) p^2 cases. */
static void ishigami_exact(gp_morris_grid grid, size_t p, double *mu_star) {
  double delta = grid == GP_MORRIS_ENDS ? (double)p / (2.0 * (double)(p - 1)) : 0.5;
  for (size_t i = 0; i < 3; i++) {
    double sum = 0;
    size_t cases = 0;
    for (size_t a = 0; a < p; a++)
      for (size_t b = 0; b < p; b++)
        for (size_t c = 0; c < p; c++) {
          size_t l[3] = {a, b, c};
          if (l[i] >= p / 2) continue;
          double u[3], v[3];
          for (size_t f = 0; f < 3; f++) {
            size_t lv = l[f] + (f == i ? p / 2 : 0);
            u[f] = grid == GP_MORRIS_ENDS ? (double)l[f] / (double)(p - 1)
                                          : ((double)l[f] + 0.5) / (double)p;
            v[f] = grid == GP_MORRIS_ENDS ? (double)lv / (double)(p - 1)
                                          : ((double)lv + 0.5) / (double)p;
          }
          sum += fabs(ishigami(v, NULL) - ishigami(u, NULL)) / delta;
          cases++;
        }
    mu_star[i] = sum / (double)cases;
  }
}

/* Ishigami on Morris' grid (p = 4): the exact mu* are 7.70, 7.875, 6.25
 * (x2 > x1 > x3).  With R = 40,000
 * trajectories each exact value lies in its interval and the intervals are
 * disjoint, so the estimates' order is the exact order.  On the centred
 * grid delta = 1/2 of the range is a whole period of sin^2 x2: x2 has no
 * effect there at all (morris.h says so). */
static void ishigami_order(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_morris_opts o = {4, GP_MORRIS_ENDS, 0};
  gp_morris *m = gp_morris_new(40000, 3, NULL, &o, 1, &e);
  ASSERT(m != NULL);
  double *y = malloc(m->npoints * sizeof *y);
  gp_sens_eval(m->x, m->npoints, m->d, ishigami, NULL, y);
  gp_morris_index ix[3];
  ASSERT_EQ(gp_morris_estimate(m, y, 1, 200, 0.95, 2, ix, &e), 0);
  double exact[3];
  ishigami_exact(GP_MORRIS_ENDS, 4, exact);
  ASSERT_NEAR(exact[1], 7.875, 1e-9); /* 7 (3/4) / (2/3): sin^2 goes 0 <-> 3/4 */
  /* (x2's |EE| is 7.875 at every step, so its interval is a point, up to
   * rounding.) */
  for (size_t i = 0; i < 3; i++) {
    ASSERT(ix[i].mu_star_lo - 1e-9 <= exact[i] && exact[i] <= ix[i].mu_star_hi + 1e-9);
    ASSERT(ix[i].sigma > 0);
  }
  ASSERT(exact[1] > exact[0] && exact[0] > exact[2]);
  ASSERT(ix[1].mu_star_lo > ix[0].mu_star_hi);
  ASSERT(ix[0].mu_star_lo > ix[2].mu_star_hi);
  free(y);
  gp_morris_free(m);

  o.grid = GP_MORRIS_CENTRED;
  m = gp_morris_new(2000, 3, NULL, &o, 1, &e);
  ASSERT(m != NULL);
  y = malloc(m->npoints * sizeof *y);
  gp_sens_eval(m->x, m->npoints, m->d, ishigami, NULL, y);
  ASSERT_EQ(gp_morris_estimate(m, y, 1, 200, 0.95, 2, ix, &e), 0);
  ishigami_exact(GP_MORRIS_CENTRED, 4, exact);
  ASSERT_NEAR(exact[1], 0, 1e-9);
  ASSERT_NEAR(ix[1].mu_star, 0, 1e-9);
  /* (x3's |EE| is constant on this grid too: x3^4 takes two values.) */
  ASSERT(ix[0].mu_star_lo <= exact[0] && exact[0] <= ix[0].mu_star_hi);
  ASSERT_NEAR(ix[2].mu_star_lo, exact[2], 1e-9);
  ASSERT_NEAR(ix[2].mu_star_hi, exact[2], 1e-9);
  free(y);
  gp_morris_free(m);
}

/* Every trajectory: grid values only; from one point to the next exactly
 * the factors of the moved group change, each by dir * delta; every group
 * moves once.  Then groups: factors 0 and 4 move together, so the group's
 * EE of the linear function is c_0 + c_4 = -4 exactly. */
static void trajectories_and_groups(void) {
  gp_err e;
  gp_err_clear(&e);
  size_t group[6] = {0, 1, 2, 3, 0, 4};
  for (int grid = 0; grid < 2; grid++) {
    gp_morris_opts o = {6, grid ? GP_MORRIS_ENDS : GP_MORRIS_CENTRED, 0};
    gp_morris *m = gp_morris_new(25, 6, group, &o, 8, &e);
    ASSERT(m != NULL);
    ASSERT_EQ(m->g, 5);
    ASSERT_EQ(m->npoints, 25 * 6);
    for (size_t t = 0; t < m->r; t++) {
      size_t seen[5] = {0};
      for (size_t s = 0; s <= m->g; s++)
        for (size_t f = 0; f < 6; f++) {
          double u = m->x[(t * 6 + s) * 6 + f];
          double l = grid ? u * 5 : u * 6 - 0.5;
          ASSERT(u >= 0 && u <= 1 && (grid || (u > 0 && u < 1)));
          ASSERT_NEAR(l, round(l), 1e-9);
        }
      for (size_t s = 0; s < m->g; s++) {
        size_t gi = m->moved[t * m->g + s];
        ASSERT_LT(gi, 5);
        seen[gi]++;
        const double *a = m->x + (t * 6 + s) * 6, *b = a + 6;
        for (size_t f = 0; f < 6; f++) {
          if (group[f] == gi)
            ASSERT_NEAR(b[f] - a[f], m->dir[t * m->g + gi] * m->delta, 1e-12);
          else
            ASSERT_DBL_EQ(b[f], a[f]);
        }
      }
      for (size_t gi = 0; gi < 5; gi++) ASSERT_EQ(seen[gi], 1);
    }
    double *y = malloc(m->npoints * sizeof *y);
    gp_sens_eval(m->x, m->npoints, m->d, linear, NULL, y);
    gp_morris_index ix[5];
    ASSERT_EQ(gp_morris_estimate(m, y, 1, 50, 0.95, 1, ix, &e), 0);
    ASSERT_NEAR(ix[0].mu, lin_c[0] + lin_c[4], 1e-12);
    ASSERT_NEAR(ix[0].mu_star, fabs(lin_c[0] + lin_c[4]), 1e-12);
    ASSERT_NEAR(ix[4].mu, lin_c[5], 1e-12);
    free(y);
    gp_morris_free(m);
  }
}

/* Campolongo's distance, written again here from the paper's formula. */
static double dist(const double *a, const double *b, size_t np, size_t d) {
  double s = 0;
  for (size_t i = 0; i < np; i++)
    for (size_t j = 0; j < np; j++) {
      double q = 0;
      for (size_t f = 0; f < d; f++) q += (a[i * d + f] - b[j * d + f]) * (a[i * d + f] - b[j * d + f]);
      s += sqrt(q);
    }
  return s;
}

/* The selection from a pool of 12 (495 subsets of 4: the exhaustive
 * search) keeps the subset a brute force over the plain design of the same
 * 12 trajectories (the same stream draws them in the same order) finds
 * best; from a pool of 40 (91,390 subsets: the greedy search) it keeps 4
 * of the pool spread wider than the pool's first 4 (the plain design). */
static void campolongo_selection(void) {
  gp_err e;
  gp_err_clear(&e);
  size_t d = 4, np = 5, per = np * d;
  gp_morris_opts plain = {4, GP_MORRIS_CENTRED, 0}, sel = {4, GP_MORRIS_CENTRED, 12};
  gp_morris *pool = gp_morris_new(12, d, NULL, &plain, 77, &e);
  gp_morris *best = gp_morris_new(4, d, NULL, &sel, 77, &e);
  ASSERT(pool && best);
  double top = -1;
  size_t arg[4] = {0};
  for (size_t a = 0; a < 12; a++)
    for (size_t b = a + 1; b < 12; b++)
      for (size_t c = b + 1; c < 12; c++)
        for (size_t q = c + 1; q < 12; q++) {
          size_t ix[4] = {a, b, c, q};
          double s = 0;
          for (size_t i = 0; i < 4; i++)
            for (size_t j = i + 1; j < 4; j++) {
              double u = dist(pool->x + ix[i] * per, pool->x + ix[j] * per, np, d);
              s += u * u;
            }
          if (s > top) {
            top = s;
            memcpy(arg, ix, sizeof arg);
          }
        }
  for (size_t i = 0; i < 4; i++)
    ASSERT_EQ(memcmp(best->x + i * per, pool->x + arg[i] * per, per * sizeof(double)), 0);
  ASSERT_NEAR(gp_morris_spread(best), top, 1e-9 * top);
  gp_morris_free(pool);
  gp_morris_free(best);

  gp_morris_opts big = {4, GP_MORRIS_CENTRED, 40};
  gp_morris *first = gp_morris_new(4, d, NULL, &plain, 78, &e);
  gp_morris *greedy = gp_morris_new(4, d, NULL, &big, 78, &e);
  ASSERT(first && greedy);
  ASSERT(gp_morris_spread(greedy) > gp_morris_spread(first));
  gp_morris_free(first);
  gp_morris_free(greedy);
}

static void determinism(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_morris_opts o = {4, GP_MORRIS_CENTRED, 20};
  gp_morris *a = gp_morris_new(5, 6, NULL, &o, 4, &e), *b = gp_morris_new(5, 6, NULL, &o, 4, &e),
            *c = gp_morris_new(5, 6, NULL, &o, 5, &e);
  ASSERT(a && b && c);
  size_t bytes = a->npoints * a->d * sizeof *a->x;
  ASSERT_EQ(memcmp(a->x, b->x, bytes), 0);
  ASSERT_EQ(memcmp(a->moved, b->moved, a->r * a->g * sizeof *a->moved), 0);
  ASSERT_EQ(memcmp(a->dir, b->dir, a->r * a->g), 0);
  ASSERT(memcmp(a->x, c->x, bytes) != 0);
  double *y = malloc(a->npoints * sizeof *y);
  gp_sens_eval(a->x, a->npoints, a->d, ishigami, NULL, y);
  gp_morris_index i1[6], i2[6];
  ASSERT_EQ(gp_morris_estimate(a, y, 1, 100, 0.95, 6, i1, &e), 0);
  ASSERT_EQ(gp_morris_estimate(a, y, 1, 100, 0.95, 6, i2, &e), 0);
  ASSERT_EQ(memcmp(i1, i2, sizeof i1), 0);
  free(y);
  gp_morris_free(a);
  gp_morris_free(b);
  gp_morris_free(c);
  gp_morris_free(NULL);
}

static void refusals(void) {
  gp_err e;
  gp_err_clear(&e);
  ASSERT(gp_morris_new(0, 3, NULL, NULL, 1, &e) == NULL);
  ASSERT_EQ(e.code, GP_EX_USAGE);
  ASSERT_CONTAINS(e.msg, "trajectories: expected at least 1, found 0");
  gp_err_clear(&e);
  ASSERT(gp_morris_new(4, 0, NULL, NULL, 1, &e) == NULL);
  ASSERT_CONTAINS(e.msg, "no factors");
  gp_err_clear(&e);
  gp_morris_opts o = {3, GP_MORRIS_CENTRED, 0};
  ASSERT(gp_morris_new(4, 3, NULL, &o, 1, &e) == NULL);
  ASSERT_CONTAINS(e.msg, "levels: expected an even number from 2 to 2^20, found 3");
  gp_err_clear(&e);
  o.levels = 4;
  o.pool = 2;
  ASSERT(gp_morris_new(4, 3, NULL, &o, 1, &e) == NULL);
  ASSERT_CONTAINS(e.msg, "a pool of 2 trajectories cannot give 4");
  gp_err_clear(&e);
  gp_morris *m = gp_morris_new(3, 3, NULL, NULL, 1, &e);
  ASSERT(m != NULL);
  double *y = malloc(m->npoints * sizeof *y);
  gp_sens_eval(m->x, m->npoints, m->d, ishigami, NULL, y);
  y[5] = NAN;
  gp_morris_index ix[3];
  ASSERT_EQ(gp_morris_estimate(m, y, 1, 10, 0.95, 1, ix, &e), -1);
  ASSERT_EQ(e.code, GP_EX_DATAERR);
  ASSERT_CONTAINS(e.msg, "output of design point 5 is nan");
  gp_err_clear(&e);
  y[5] = 0;
  ASSERT_EQ(gp_morris_estimate(m, y, 1, 0, 0.95, 1, ix, &e), -1);
  ASSERT_CONTAINS(e.msg, "bootstrap samples");
  /* One trajectory: sigma unknown (NaN), never 0. */
  gp_morris *one = gp_morris_new(1, 3, NULL, NULL, 1, &e);
  ASSERT(one != NULL);
  gp_sens_eval(one->x, one->npoints, one->d, ishigami, NULL, y);
  gp_err_clear(&e);
  ASSERT_EQ(gp_morris_estimate(one, y, 1, 10, 0.95, 1, ix, &e), 0);
  ASSERT(isnan(ix[0].sigma));
  free(y);
  gp_morris_free(m);
  gp_morris_free(one);
}

int main(void) {
  RUN(linear_recovered);
  RUN(ishigami_order);
  RUN(trajectories_and_groups);
  RUN(campolongo_selection);
  RUN(determinism);
  RUN(refusals);
  TEST_EXIT();
}
