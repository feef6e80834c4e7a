/* sim/sort.c - sorting records by a double key (see sort.h). */
#include "sim/sort.h"

#include <string.h>

static int before(const gp_keyed *x, const gp_keyed *y) {
  return x->key < y->key || (x->key == y->key && x->tie < y->tie);
}

/* Runs of 16 sorted by insertion, then merged bottom-up between A and TMP. */
void gp_sort_keyed(gp_keyed *a, gp_keyed *tmp, size_t n) {
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
