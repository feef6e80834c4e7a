/* sim/sort.c - sorting records by a double key (see sort.h). */
#include "sim/sort.h"

#include <string.h>

static int before(const gp_keyed *x, const gp_keyed *y) {
  return x->key < y->key || (x->key == y->key && x->tie < y->tie);
}

/* Key K as an unsigned integer in the same order (-0 as 0: they compare
 * equal). */
static uint64_t key_bits(double k) {
  k += 0.0; /* -0 + 0 = +0 */
  uint64_t u;
  memcpy(&u, &k, sizeof u);
  return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

/* Least-significant-digit radix sort of A[0, N) by key, a byte a pass, each
 * pass stable, skipping bytes that all keys share: with the ties ascending
 * in A to begin with, the result is in (key, tie) order. */
static void radix_keyed(gp_keyed *a, gp_keyed *tmp, size_t n) {
  size_t count[8][256];
  memset(count, 0, sizeof count);
  for (size_t i = 0; i < n; i++) {
    uint64_t u = key_bits(a[i].key);
    for (int d = 0; d < 8; d++) count[d][(u >> (8 * d)) & 255]++;
  }
  gp_keyed *src = a, *dst = tmp;
  for (int d = 0; d < 8; d++) {
    size_t at[256], sum = 0;
    int one = 0;
    for (int v = 0; v < 256; v++) {
      one |= count[d][v] == n;
      at[v] = sum;
      sum += count[d][v];
    }
    if (one) continue; /* every key has this byte */
    for (size_t i = 0; i < n; i++) dst[at[(key_bits(src[i].key) >> (8 * d)) & 255]++] = src[i];
    gp_keyed *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}

/* Large inputs whose ties are already ascending (the world's proposals, in
 * index order) by radix; otherwise runs of 16 sorted by insertion, then
 * merged bottom-up between A and TMP. */
void gp_sort_keyed(gp_keyed *a, gp_keyed *tmp, size_t n) {
  if (n >= 512) {
    size_t i = 1;
    while (i < n && a[i - 1].tie < a[i].tie) i++;
    if (i == n) {
      radix_keyed(a, tmp, n);
      return;
    }
  }
  for (size_t lo = 0; lo < n; lo += 16) {
    size_t hi = lo + 16 < n ? lo + 16 : n;
    for (size_t i = lo + 1; i < hi; i++) {
      gp_keyed v = a[i];
      size_t j = i;
      for (; j > lo && before(&v, &a[j - 1]); j--) a[j] = a[j - 1];
      a[j] = v;
    }
  }
  gp_keyed *src = a, *dst = tmp;
  for (size_t w = 16; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) dst[k++] = before(&src[j], &src[i]) ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    gp_keyed *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}
