/*
 * sim/sobol.c - Saltelli's design and the Saltelli 2010 / Jansen 1999
 * estimators of Sobol indices with percentile bootstrap intervals (see
 * sobol.h for the methods and the point order).
 *
 * Invariant: a design is a function of (N, D, groups, sequence, skip) alone
 * and an estimate of (design, outputs, NBOOT, LEVEL, SEED) alone; the
 * bootstrap draws from its own stream (sim/rng.h), so the same seed gives the
 * same intervals bit for bit.
 */
#include "sim/sobol.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

#include "sim/rng.h"
#include "sim/sens.h"

/* The bootstrap's stream id (sim/rng.h): distinct from Morris' (sim/morris.c). */
#define SOBOL_BOOT_STREAM 0x50b01b007ULL

static const gsl_qrng_type *qrng_type(gp_qrng q) {
  switch (q) {
  case GP_QRNG_SOBOL: return gsl_qrng_sobol;
  case GP_QRNG_HALTON: return gsl_qrng_halton;
  case GP_QRNG_REVERSEHALTON: return gsl_qrng_reversehalton;
  }
  return NULL;
}

void gp_saltelli_free(gp_saltelli *s) {
  if (!s) return;
  free(s->group);
  free(s->x);
  free(s);
}

gp_saltelli *gp_saltelli_new(size_t n, size_t d, const size_t *group,
                             gp_qrng qrng, size_t skip, gp_err *e) {
  size_t g;
  if (n == 0) {
    GP_ERR(e, GP_EX_USAGE, "Saltelli design: base samples: expected at least 1, found 0");
    return NULL;
  }
  if (gp_sens_groups(group, d, &g, e)) return NULL;
  const gsl_qrng_type *t = qrng_type(qrng);
  if (!t) {
    GP_ERR(e, GP_EX_USAGE, "Saltelli design: unknown quasi-random sequence %d", (int)qrng);
    return NULL;
  }
  if (d > t->max_dimension / 2) {
    GP_ERR(e, GP_EX_USAGE,
           "Saltelli design of %zu factors: needs %zu quasi-random dimensions, "
           "gsl_qrng_%s has %u (at most %u factors); choose the Halton sequence "
           "(up to %u factors) explicitly",
           d, 2 * d, t->name, t->max_dimension, t->max_dimension / 2,
           gsl_qrng_halton->max_dimension / 2);
    return NULL;
  }
  size_t per = g + 2;
  if (n > SIZE_MAX / per / d / sizeof(double)) {
    GP_ERR(e, GP_EX_USAGE, "Saltelli design of %zu base samples and %zu factors: too large", n, d);
    return NULL;
  }
  gp_saltelli *s = calloc(1, sizeof *s);
  double *ab = malloc(2 * d * sizeof *ab);
  gsl_qrng *q = gsl_qrng_alloc(t, (unsigned)(2 * d));
  if (s) {
    s->group = malloc(d * sizeof *s->group);
    s->x = malloc(n * per * d * sizeof *s->x);
  }
  if (!s || !ab || !q || !s->group || !s->x) {
    gp_saltelli_free(s);
    free(ab);
    gsl_qrng_free(q);
    GP_ERR_NOMEM(e);
    return NULL;
  }
  s->n = n;
  s->d = d;
  s->g = g;
  s->npoints = n * per;
  for (size_t i = 0; i < d; i++) s->group[i] = group ? group[i] : i;
  for (size_t j = 0; j < skip; j++) gsl_qrng_get(q, ab);
  for (size_t j = 0; j < n; j++) {
    gsl_qrng_get(q, ab);
    const double *a = ab, *b = ab + d;
    double *row = s->x + j * per * d;
    memcpy(row, a, d * sizeof *row);
    for (size_t i = 0; i < g; i++) {
      double *p = row + (1 + i) * d;
      for (size_t f = 0; f < d; f++) p[f] = s->group[f] == i ? b[f] : a[f];
    }
    memcpy(row + (per - 1) * d, b, d * sizeof *row);
  }
  free(ab);
  gsl_qrng_free(q);
  return s;
}

/* The sums of one (re)sample: V from f(A) and f(B), and per group the sums
 * of the Saltelli and Jansen terms.  Y is centred (its C subtracted). */
typedef struct sums {
  double sa, saa, sb, sbb; /* sums of f(A), f(A)^2, f(B), f(B)^2 */
} sums;

static void add_row(const gp_saltelli *s, const double *y, size_t stride,
                    double c, size_t j, sums *m, double *s1, double *st) {
  size_t per = s->g + 2, p0 = j * per;
  double fa = y[p0 * stride] - c, fb = y[(p0 + per - 1) * stride] - c;
  m->sa += fa;
  m->saa += fa * fa;
  m->sb += fb;
  m->sbb += fb * fb;
  for (size_t i = 0; i < s->g; i++) {
    double fab = y[(p0 + 1 + i) * stride] - c;
    s1[i] += fb * (fab - fa);
    st[i] += (fa - fab) * (fa - fab);
  }
}

/* V of the 2N values of f(A) and f(B) (divisor 2N). */
static double variance(const sums *m, size_t n) {
  double nn = 2.0 * (double)n, mean = (m->sa + m->sb) / nn;
  double v = (m->saa + m->sbb) / nn - mean * mean;
  return v > 0 ? v : 0;
}

int gp_sobol_estimate(const gp_saltelli *s, const double *y, size_t stride,
                      size_t nboot, double level, uint64_t seed,
                      gp_sobol_index *out, gp_err *e) {
  if (stride == 0) return GP_ERR(e, GP_EX_USAGE, "Sobol indices: output stride 0");
  if (gp_sens_check_boot(nboot, level, e)) return -1;
  if (gp_sens_check_outputs(y, s->npoints, stride, "Sobol indices", e)) return -1;
  size_t n = s->n, g = s->g, per = g + 2;
  double c = 0;
  for (size_t j = 0; j < n; j++) c += y[j * per * stride] + y[(j * per + per - 1) * stride];
  c /= 2.0 * (double)n;

  if (nboot > SIZE_MAX / 2 / g / sizeof(double))
    return GP_ERR(e, GP_EX_USAGE, "Sobol indices: %zu bootstrap samples: too many", nboot);
  double *s1 = calloc(2 * g, sizeof *s1), *st = s1 ? s1 + g : NULL;
  /* The bootstrap's estimates, group-major: S1 of group i at i * nboot. */
  double *b1 = malloc(2 * g * nboot * sizeof *b1), *bt = b1 ? b1 + g * nboot : NULL;
  gsl_rng *r = gp_rng_new(seed, 0, SOBOL_BOOT_STREAM);
  if (!s1 || !b1 || !r) {
    free(s1);
    free(b1);
    gsl_rng_free(r);
    return GP_ERR_NOMEM(e);
  }
  sums m = {0, 0, 0, 0};
  for (size_t j = 0; j < n; j++) add_row(s, y, stride, c, j, &m, s1, st);
  double v = variance(&m, n);
  for (size_t i = 0; i < g; i++) {
    out[i].s1 = v > 0 ? s1[i] / (double)n / v : NAN;
    out[i].st = v > 0 ? st[i] / (2.0 * (double)n) / v : NAN;
  }

  size_t kept = 0; /* resamples with V > 0 */
  for (size_t b = 0; b < nboot; b++) {
    sums mb = {0, 0, 0, 0};
    memset(s1, 0, 2 * g * sizeof *s1);
    for (size_t j = 0; j < n; j++)
      add_row(s, y, stride, c, (size_t)gsl_rng_uniform_int(r, (unsigned long)n), &mb, s1, st);
    double vb = variance(&mb, n);
    if (!(vb > 0)) continue;
    for (size_t i = 0; i < g; i++) {
      b1[i * nboot + kept] = s1[i] / (double)n / vb;
      bt[i * nboot + kept] = st[i] / (2.0 * (double)n) / vb;
    }
    kept++;
  }
  for (size_t i = 0; i < g; i++) {
    if (kept == 0) {
      out[i].s1_lo = out[i].s1_hi = out[i].st_lo = out[i].st_hi = NAN;
      continue;
    }
    gp_sens_percentile(b1 + i * nboot, kept, level, &out[i].s1_lo, &out[i].s1_hi);
    gp_sens_percentile(bt + i * nboot, kept, level, &out[i].st_lo, &out[i].st_hi);
  }
  free(s1);
  free(b1);
  gsl_rng_free(r);
  return 0;
}
