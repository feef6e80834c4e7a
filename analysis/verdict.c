/*
 * analysis/verdict.c - what a paired difference says, alone or in a family
 * adjusted by Holm's method (see verdict.h).
 *
 * Invariant: after gp_verdict_holm, a row's verdict (its interval against
 * 0) and Holm's decision on it (its adjusted p-value against alpha) agree:
 * the interval is taken at the very level the decision used.
 */
#include "analysis/verdict.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

const char *const gp_verdict_names[] = {"na", "same", "ns", "up", "down"};

gp_verdict gp_verdict_of(const gp_stat_row *r) {
  if (!r || r->n == 0 || !isfinite(r->mean)) return GP_V_NA;
  if (r->mean == 0 && r->sd == 0) return GP_V_SAME;
  if (!isfinite(r->half_width)) return GP_V_NA;
  if (r->lo > 0) return GP_V_UP;
  if (r->hi < 0) return GP_V_DOWN;
  return GP_V_NS;
}

int gp_verdict_better(gp_verdict v, gp_better b) {
  int sign = v == GP_V_UP ? 1 : v == GP_V_DOWN ? -1 : 0;
  return sign * (int)b;
}

double gp_verdict_p(const gp_stat_row *r) {
  gp_verdict v = gp_verdict_of(r);
  if (v == GP_V_NA || v == GP_V_SAME || r->n < 2 || !isfinite(r->sd)) return NAN;
  if (r->sd == 0) return 0; /* the same non-zero difference in every replication */
  double t = r->mean / (r->sd / sqrt((double)r->n));
  return 2 * gsl_cdf_tdist_Q(fabs(t), (double)(r->n - 1));
}

/* An index into a family, by p-value (then index: a total order). */
typedef struct ranked {
  double p;
  size_t i;
} ranked;

static int by_p(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->p != y->p) return x->p < y->p ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

/* The finite p-values of P[0..m) in increasing order into *OUT (malloc'd);
 * returns how many, or -1 when out of memory. */
static long rank(const double *p, size_t m, ranked **out) {
  ranked *o = malloc((m ? m : 1) * sizeof *o);
  if (!o) return -1;
  size_t n = 0;
  for (size_t i = 0; i < m; i++)
    if (isfinite(p[i])) o[n++] = (ranked){p[i], i};
  qsort(o, n, sizeof *o, by_p);
  *out = o;
  return (long)n;
}

int gp_holm_adjust(const double *p, size_t m, double *adj) {
  ranked *o;
  long n = rank(p, m, &o);
  if (n < 0) return -1;
  for (size_t i = 0; i < m; i++) adj[i] = NAN;
  double run = 0;
  for (long j = 0; j < n; j++) {
    double a = (double)(n - j) * o[j].p;
    if (a > 1) a = 1;
    if (a > run) run = a;
    adj[o[j].i] = run;
  }
  free(o);
  return 0;
}

long gp_verdict_holm(gp_stat_row *const *r, size_t m, double alpha, double *adj) {
  double *p = malloc((m ? m : 1) * sizeof *p);
  if (!p) return -1;
  for (size_t i = 0; i < m; i++) p[i] = gp_verdict_p(r[i]);
  ranked *o;
  long n = rank(p, m, &o);
  if (n < 0 || (adj && gp_holm_adjust(p, m, adj))) {
    free(p);
    if (n >= 0) free(o);
    return -1;
  }
  /* Step j (from 0) tests at alpha / (n - j) while it rejects; the first
   * that does not sets the level of every later one. */
  double level = alpha / (double)n;
  for (long j = 0, stopped = 0; j < n; j++) {
    if (!stopped) {
      level = alpha / (double)(n - j);
      stopped = o[j].p > level;
    }
    gp_stat_row *x = r[o[j].i];
    double half = gsl_cdf_tdist_Qinv(level / 2, (double)(x->n - 1)) * x->sd / sqrt((double)x->n);
    x->half_width = half;
    x->lo = x->mean - half;
    x->hi = x->mean + half;
  }
  free(o);
  free(p);
  return n;
}
