/* tests/unit/test_wsort.c - the world's 8-byte-record sorts
 * (models/world/wsort.h) and the sort of plain doubles (sim/sort.h, the
 * tail metrics') give gp_sort_keyed's (key, index) order: on double keys
 * with many equal prefixes and equal keys, -0 and +0, negatives, values
 * that differ only in their low bits, and on 32-bit signed keys, below and
 * above the sizes where the methods change (insertion below 64, digits
 * widened from 2,048). */
#include "models/world/wsort.h"
#include "sim/sort.h"
#include "tests/test.h"

/* Sort KEY[0, N) both ways and compare the orders. */
static void same_order(const double *key, size_t n, int exact32, const char *what) {
  gp_keyed *k = malloc((2 * n + 2) * sizeof *k);
  uint64_t *a = malloc((3 * n + 3) * sizeof *a), *tmp = a + n, *full = tmp + n;
  ASSERT(k && a);
  for (size_t i = 0; i < n; i++) {
    k[i] = (gp_keyed){key[i], (int64_t)i, NULL};
    if (exact32) {
      a[i] = gp_wsort_record(gp_wsort_int((int32_t)key[i]), (uint32_t)i);
    } else {
      full[i] = gp_wsort_bits(key[i]);
      a[i] = gp_wsort_record((uint32_t)(full[i] >> 32), (uint32_t)i);
    }
  }
  gp_sort_keyed(k, k + n, n);
  /* The doubles: the keys of that order, bit for bit (-0 and +0 where
   * they were, stable), alone and with codes (each its index) moving with
   * them. */
  double *d = malloc((2 * n + 2) * sizeof *d);
  uint32_t *c = malloc((2 * n + 2) * sizeof *c);
  ASSERT(d && c);
  for (int with = 0; with < 2; with++) {
    for (size_t i = 0; i < n; i++) {
      d[i] = key[i];
      c[i] = (uint32_t)i;
    }
    gp_sort_doubles(d, with ? c : NULL, d + n, with ? c + n : NULL, n);
    for (size_t r = 0; r < n; r++) {
      if (memcmp(&d[r], &k[r].key, sizeof d[r]) != 0)
        TEST_FAIL_("%s, n = %zu: doubles place %zu holds %.17g, not %.17g", what, n, r, d[r],
                   k[r].key);
      if (with && c[r] != (uint32_t)k[r].tie)
        TEST_FAIL_("%s, n = %zu: doubles place %zu holds code %u, not %lld", what, n, r,
                   (unsigned)c[r], (long long)k[r].tie);
    }
  }
  free(d);
  free(c);
  gp_wsort_prefix(a, tmp, n);
  if (!exact32) gp_wsort_full(a, n, full);
  for (size_t r = 0; r < n; r++)
    if ((uint32_t)a[r] != (uint32_t)k[r].tie)
      TEST_FAIL_("%s, n = %zu: place %zu holds %u, not %lld", what, n, r, (unsigned)(uint32_t)a[r],
                 (long long)k[r].tie);
  free(k);
  free(a);
}

static double uniform(uint64_t *x) { /* splitmix64 */
  uint64_t z = (*x += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}

static void wsort_is_keyed_order(void) {
  static const size_t sizes[] = {0, 1, 2, 17, 63, 64, 600, 2047, 2048, 9000};
  uint64_t x = 42;
  for (size_t t = 0; t < sizeof sizes / sizeof *sizes; t++) {
    size_t n = sizes[t];
    double *key = malloc((n + 1) * sizeof *key);
    ASSERT(key);
    /* Times: continuous, some equal (a designation's teams), some one
     * rounding apart (the same 32-bit prefix). */
    for (size_t i = 0; i < n; i++) {
      double u = uniform(&x);
      key[i] = u < 0.1 ? 365.0 : u < 0.2 ? nextafter(365.0, 1e9) : 1500 * uniform(&x);
    }
    same_order(key, n, 0, "times");
    /* Scores: either sign, zeros of both signs, ties. */
    for (size_t i = 0; i < n; i++) {
      double u = uniform(&x);
      key[i] = u < 0.05 ? 0.0 : u < 0.1 ? -0.0 : u < 0.2 ? -2.5 : 10 * uniform(&x) - 5;
    }
    same_order(key, n, 0, "scores");
    /* Values within 1e-7 of each other, most distinct: their 32 high key
     * bits alike (gp_sort_doubles orders them by the low 32), some equal. */
    for (size_t i = 0; i < n; i++)
      key[i] = 1000.0 + floor(uniform(&x) * (uniform(&x) < 0.5 ? 10 : 1e6)) * 1e-13;
    same_order(key, n, 0, "near values");
    /* Organisation ids: 32-bit, negative too, few distinct. */
    for (size_t i = 0; i < n; i++)
      key[i] = (double)((int32_t)(uniform(&x) * 8) * 10000000 + (int32_t)(uniform(&x) * 50) -
                        (uniform(&x) < 0.1 ? 2000000000 : 0));
    same_order(key, n, 1, "organisations");
    free(key);
  }
}

int main(void) {
  RUN(wsort_is_keyed_order);
  TEST_EXIT();
}
