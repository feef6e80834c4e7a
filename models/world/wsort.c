/*
 * models/world/wsort.c - the world's sorts on 8-byte records (see
 * wsort.h).
 *
 * Invariant: gp_wsort_prefix is stable (each pass is), so records that
 * come in index order leave in (prefix, index) order; gp_wsort_full only
 * reorders records within a run of one prefix.
 */
#include "models/world/wsort.h"

#include <string.h>

enum { WIDE = 11, WIDE_FROM = 2048 };

void gp_wsort_prefix(uint64_t *a, uint64_t *tmp, size_t n) {
  const int width = n >= WIDE_FROM ? WIDE : 8, passes = (32 + width - 1) / width;
  const size_t radix = (size_t)1 << width, mask = radix - 1;
  size_t count[4 << WIDE]; /* passes x radix */
  memset(count, 0, (size_t)passes * radix * sizeof *count);
  for (size_t i = 0; i < n; i++) {
    uint64_t u = a[i] >> 32;
    for (int d = 0; d < passes; d++) count[(size_t)d * radix + ((u >> (width * d)) & mask)]++;
  }
  uint64_t *src = a, *dst = tmp;
  for (int d = 0; d < passes; d++) {
    size_t *c = count + (size_t)d * radix, sum = 0;
    int one = 0;
    for (size_t v = 0; v < radix; v++) {
      size_t k = c[v];
      one |= k == n;
      c[v] = sum;
      sum += k;
    }
    if (one) continue; /* every record has this digit */
    int shift = 32 + width * d;
    for (size_t i = 0; i < n; i++) dst[c[(src[i] >> shift) & mask]++] = src[i];
    uint64_t *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}

void gp_wsort_full(uint64_t *a, size_t n, const uint64_t *full) {
  for (size_t lo = 0, hi; lo < n; lo = hi) {
    for (hi = lo + 1; hi < n && a[hi] >> 32 == a[lo] >> 32; hi++) {}
    for (size_t i = lo + 1; i < hi; i++) { /* (in index order: only the key can move one) */
      uint64_t v = a[i];
      uint64_t kv = full[(uint32_t)v];
      size_t j = i;
      for (; j > lo && kv < full[(uint32_t)a[j - 1]]; j--) a[j] = a[j - 1];
      a[j] = v;
    }
  }
}
