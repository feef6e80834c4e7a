/*
 * tests/unit/test_profile.c - the backfilling profile (gp_profile,
 * models/rules/profile.c) against a naive one: a sorted array of steps
 * changed by splitting and merging, and an earliest fit that scans every
 * step (the profile of conservative backfilling before chunks and their
 * index).  Random step functions and queries, fixed seeds: times on a
 * coarse grid (many equal times and ends) and in days (sums that round),
 * values spanning more levels than a chunk indexes, lengths 0 and tiny;
 * every fit must be the same double, every value the same.
 */
#include <gsl/gsl_rng.h>

#include "models/rules/rule.h"
#include "tests/test.h"

/* ---- the naive profile ---- */

typedef struct ref {
  double t[20000];
  long long f[20000];
  size_t n;
} ref;

static size_t ref_find(const ref *p, double x) {
  size_t i = 0;
  while (i + 1 < p->n && p->t[i + 1] <= x) i++;
  return i;
}

static size_t ref_split(ref *p, double x) {
  size_t i = ref_find(p, x);
  if (p->t[i] == x) return i;
  memmove(p->t + i + 2, p->t + i + 1, (p->n - i - 1) * sizeof *p->t);
  memmove(p->f + i + 2, p->f + i + 1, (p->n - i - 1) * sizeof *p->f);
  p->t[i + 1] = x;
  p->f[i + 1] = p->f[i];
  p->n++;
  return i + 1;
}

static void ref_remove(ref *p, size_t i) {
  memmove(p->t + i, p->t + i + 1, (p->n - i - 1) * sizeof *p->t);
  memmove(p->f + i, p->f + i + 1, (p->n - i - 1) * sizeof *p->f);
  p->n--;
}

static void ref_add(ref *p, double a, double b, long long d) {
  if (!(a < b)) return;
  size_t i0 = ref_split(p, a);
  size_t i1 = isinf(b) ? p->n : ref_split(p, b);
  for (size_t i = i0; i < i1; i++) p->f[i] += d;
  if (i1 < p->n && p->f[i1] == p->f[i1 - 1]) ref_remove(p, i1);
  if (i0 > 0 && p->f[i0] == p->f[i0 - 1]) ref_remove(p, i0);
}

static void ref_trim(ref *p, double now) {
  size_t k = ref_find(p, now);
  if (!k) return;
  memmove(p->t, p->t + k, (p->n - k) * sizeof *p->t);
  memmove(p->f, p->f + k, (p->n - k) * sizeof *p->f);
  p->n -= k;
  p->t[0] = -INFINITY;
}

static double ref_fit(const ref *p, double now, long long u, double d) {
  double cand = now;
  for (size_t i = ref_find(p, now); i < p->n; i++) {
    double end = i + 1 < p->n ? p->t[i + 1] : INFINITY;
    if (p->f[i] < u) {
      cand = end;
      continue;
    }
    if (end >= cand + d) return cand;
  }
  return HUGE_VAL;
}

/* ---- random cases ---- */

static ref R;

/* A time: on a grid of 1 (many equal ones) or in days of whole seconds. */
static double rtime(gsl_rng *r, double lo, double span, int days) {
  double x = lo + floor(gsl_rng_uniform(r) * span);
  return days ? x / 86400.0 : x;
}

static double rlen(gsl_rng *r, double span, int days) {
  double u = gsl_rng_uniform(r);
  if (u < 0.03) return 0;
  if (u < 0.06) return 1e-12;
  double x = 1 + floor(gsl_rng_uniform(r) * span);
  return days ? x / 86400.0 : x;
}

/* SEED: OPS changes over about SPAN time units on CAP units, a fit query
 * after each, the present moving forward now and then (trimmed). */
static void one(unsigned long seed, int ops, double span, long long cap, int days) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  gp_profile *p = gp_profile_new(NULL);
  ASSERT(p);
  ASSERT_EQ(gp_profile_reset(p, cap), 0);
  R.t[0] = -INFINITY;
  R.f[0] = cap;
  R.n = 1;
  double now = 0, t0 = 0;
  for (int k = 0; k < ops; k++) {
    double a = rtime(r, t0, span, days), b = a + rlen(r, span / 20, days);
    /* take units where there are enough (a reservation), or give some back */
    long long d = 1 + (long long)gsl_rng_uniform_int(r, (unsigned long)cap);
    if (gsl_rng_uniform(r) < 0.3) {
      if (gsl_rng_uniform(r) < 0.05) b = INFINITY;
      ASSERT_EQ(gp_profile_add(p, a, b, d), 0);
      ref_add(&R, a, b, d);
    } else {
      ASSERT_EQ(gp_profile_add(p, a, b, -d), 0);
      ref_add(&R, a, b, -d);
    }
    if (R.n > 19000) break;
    long long u = 1 + (long long)gsl_rng_uniform_int(r, (unsigned long)(cap + cap / 4 + 1));
    double len = rlen(r, span / 10, days);
    double q = gsl_rng_uniform(r) < 0.5 ? now : rtime(r, t0, span, days);
    if (q < now) q = now;
    double got = gp_profile_fit(p, q, u, len), want = ref_fit(&R, q, u, len);
    if (!(got == want))
      TEST_FAIL_("seed %lu op %d: fit(now %.17g, u %lld, d %.17g) = %.17g, a scan gives %.17g", seed,
                 k, q, u, len, got, want);
    if (gsl_rng_uniform(r) < 0.02) {
      now = rtime(r, now, span / 50, days);
      if (now > t0) t0 = now;
      gp_profile_trim(p, now);
      ref_trim(&R, now);
    }
    if (k % 97 == 0) {
      for (int j = 0; j < 20; j++) {
        double x = rtime(r, now, span, days);
        ASSERT_EQ(gp_profile_at(p, x), R.f[ref_find(&R, x)]);
      }
    }
  }
  gp_profile_free(p);
  gsl_rng_free(r);
}

/* Fits on profiles of a few steps to thousands (several chunks, chunks
 * split and merged), capacities of 4, 64 and 1,000 units (more levels than
 * a chunk indexes). */
static void fits_match_a_scan(void) {
  for (unsigned long seed = 1; seed <= 40; seed++) {
    one(seed, 3000, 2000, 4, (int)(seed & 1));
    one(100 + seed, 3000, 20000, 64, (int)(seed & 1));
    one(200 + seed, 1500, 5000, 1000, (int)(seed & 1));
  }
}

/* A profile built in time order (push), then changed and asked. */
static void pushed_profile(void) {
  gp_profile *p = gp_profile_new(NULL);
  ASSERT(p);
  ASSERT_EQ(gp_profile_reset(p, 3), 0);
  R.t[0] = -INFINITY;
  R.f[0] = 3;
  R.n = 1;
  for (int i = 1; i <= 500; i++) {
    long long f = (i * 7) % 9;
    if (f == R.f[R.n - 1]) continue;
    ASSERT_EQ(gp_profile_push(p, i, f), 0);
    R.t[R.n] = i;
    R.f[R.n++] = f;
  }
  ASSERT_EQ(gp_profile_steps(p), R.n);
  for (long long u = 0; u <= 9; u++)
    for (double d = 0; d <= 5; d += 0.5)
      for (double now = 0; now < 510; now += 3.5) ASSERT_DBL_EQ(gp_profile_fit(p, now, u, d), ref_fit(&R, now, u, d));
  ASSERT_DBL_EQ(gp_profile_fit(p, 0, 10, 1), HUGE_VAL);
  gp_profile_free(p);
}

int main(void) {
  RUN(fits_match_a_scan);
  RUN(pushed_profile);
  TEST_EXIT();
}
