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

/* The inverse of key_bits for every key but -0 (which comes back as 0). */
static double key_of_bits(uint64_t u) {
  u = u >> 63 ? u & ~((uint64_t)1 << 63) : ~u;
  double k;
  memcpy(&k, &u, sizeof k);
  return k;
}

/* What a record's key field holds once a pass has replaced the key by its
 * key_bits. */
static uint64_t held_bits(const gp_keyed *x) {
  uint64_t u;
  memcpy(&u, &x->key, sizeof u);
  return u;
}

/* Digits of RADIX_WIDE bits from 2,048 records on (6 passes instead of 8:
 * the 6 x 2,048 counters cost less than two passes over that many
 * records), of 8 bits below. */
enum { RADIX_WIDE = 11, RADIX_WIDE_FROM = 2048, RADIX_MAX_COUNTS = 6 << RADIX_WIDE };

/* Where each digit value's records go in a pass, from the digit's counts
 * C[0, RADIX) over N records, into POS; 1 when one value has them all (the
 * pass would move nothing). */
static int digit_starts(const size_t *c, size_t radix, size_t n, size_t *pos) {
  size_t sum = 0;
  int one = 0;
  for (size_t v = 0; v < radix; v++) {
    one |= c[v] == n;
    pos[v] = sum;
    sum += c[v];
  }
  return one;
}

/* Least-significant-digit radix sort of A[0, N) by key, each pass stable,
 * skipping digits that all keys share: with the ties ascending in A to begin
 * with, the result is in (key, tie) order.  The first pass that moves the
 * records replaces each key by its key_bits (later passes read the digits
 * straight from it) and the keys are put back at the end: bit for bit, as
 * key_of_bits inverts key_bits on every key but -0, so with a -0 among the
 * keys every pass computes key_bits instead. */
static void radix_keyed(gp_keyed *a, gp_keyed *tmp, size_t n) {
  const int width = n >= RADIX_WIDE_FROM ? RADIX_WIDE : 8, passes = (64 + width - 1) / width;
  const size_t radix = (size_t)1 << width, mask = radix - 1;
  size_t count[RADIX_MAX_COUNTS];
  memset(count, 0, (size_t)passes * radix * sizeof *count);
  int negzero = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t raw;
    memcpy(&raw, &a[i].key, sizeof raw);
    negzero |= raw == (uint64_t)1 << 63;
    uint64_t u = key_bits(a[i].key);
    for (int d = 0; d < passes; d++) count[(size_t)d * radix + ((u >> (width * d)) & mask)]++;
  }
  gp_keyed *src = a, *dst = tmp;
  int held = 0; /* the keys of src are key_bits */
  for (int d = 0; d < passes; d++) {
    size_t pos[1 << RADIX_WIDE];
    if (digit_starts(count + (size_t)d * radix, radix, n, pos)) continue; /* every key has it */
    int shift = width * d;
    if (held) {
      for (size_t i = 0; i < n; i++) dst[pos[(held_bits(&src[i]) >> shift) & mask]++] = src[i];
    } else if (negzero) {
      for (size_t i = 0; i < n; i++) dst[pos[(key_bits(src[i].key) >> shift) & mask]++] = src[i];
    } else {
      for (size_t i = 0; i < n; i++) {
        gp_keyed x = src[i];
        uint64_t u = key_bits(x.key);
        memcpy(&x.key, &u, sizeof u);
        dst[pos[(u >> shift) & mask]++] = x;
      }
      held = 1;
    }
    gp_keyed *t = src;
    src = dst;
    dst = t;
  }
  if (held)
    for (size_t i = 0; i < n; i++) a[i] = (gp_keyed){key_of_bits(held_bits(&src[i])), src[i].tie, src[i].p};
  else if (src != a)
    memcpy(a, src, n * sizeof *a);
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

/* Stable LSD radix sort of A[0, N) (CODE, unless NULL, moving with it) by
 * bits [LO, HI) of each value's key_bits, in digits of 11 bits from 2,048
 * values on, of 8 below, skipping digits that all values share; each pass
 * reads its digit from the value it moves. */
static void radix_bits(double *a, uint32_t *code, double *tmp, uint32_t *tmpc, size_t n, int lo,
                       int hi) {
  const int width = n >= RADIX_WIDE_FROM ? RADIX_WIDE : 8, passes = (hi - lo + width - 1) / width;
  const size_t radix = (size_t)1 << width;
  int shifts[8]; /* passes <= 64 / 8 */
  uint64_t masks[8];
  for (int d = 0; d < passes; d++) {
    shifts[d] = lo + width * d;
    int bits = hi - shifts[d] < width ? hi - shifts[d] : width;
    masks[d] = ((uint64_t)1 << bits) - 1;
  }
  size_t count[RADIX_MAX_COUNTS];
  memset(count, 0, (size_t)passes * radix * sizeof *count);
  for (size_t i = 0; i < n; i++) {
    uint64_t u = key_bits(a[i]);
    for (int d = 0; d < passes; d++) count[(size_t)d * radix + ((u >> shifts[d]) & masks[d])]++;
  }
  double *src = a, *dst = tmp;
  uint32_t *srcc = code, *dstc = tmpc;
  for (int d = 0; d < passes; d++) {
    size_t pos[1 << RADIX_WIDE];
    if (digit_starts(count + (size_t)d * radix, radix, n, pos)) continue; /* every value has it */
    int shift = shifts[d];
    uint64_t mask = masks[d];
    if (code) {
      for (size_t i = 0; i < n; i++) {
        size_t k = pos[(key_bits(src[i]) >> shift) & mask]++;
        dst[k] = src[i];
        dstc[k] = srcc[i];
      }
    } else {
      for (size_t i = 0; i < n; i++) dst[pos[(key_bits(src[i]) >> shift) & mask]++] = src[i];
    }
    double *t = src;
    src = dst;
    dst = t;
    uint32_t *tc = srcc;
    srcc = dstc;
    dstc = tc;
  }
  if (src != a) {
    memcpy(a, src, n * sizeof *a);
    if (code) memcpy(code, srcc, n * sizeof *code);
  }
}

/* Stable insertion sort of A[0, N) by value, CODE (unless NULL) moving
 * with it. */
static void insertion_doubles(double *a, uint32_t *code, size_t n) {
  for (size_t i = 1; i < n; i++) {
    double v = a[i];
    if (!(v < a[i - 1])) continue;
    uint32_t c = code ? code[i] : 0;
    size_t j = i;
    for (; j > 0 && v < a[j - 1]; j--) {
      a[j] = a[j - 1];
      if (code) code[j] = code[j - 1];
    }
    a[j] = v;
    if (code) code[j] = c;
  }
}

/* By the high 32 bits of key_bits first (3 passes of 11 bits, or 4 of 8,
 * instead of 6 or 8 for all 64: values a day apart differ in their low
 * bits), which leaves only values sharing those bits (within about 1e-6
 * of each other) to be put in order: by insertion in short runs, by the low
 * 32 bits in long ones.  Below 64 values, insertion alone. */
void gp_sort_doubles(double *a, uint32_t *code, double *tmp, uint32_t *tmpc, size_t n) {
  if (n < 64) {
    insertion_doubles(a, code, n);
    return;
  }
  radix_bits(a, code, tmp, tmpc, n, 32, 64);
  for (size_t i = 0; i < n;) {
    uint64_t high = key_bits(a[i]) >> 32;
    size_t j = i + 1;
    while (j < n && key_bits(a[j]) >> 32 == high) j++;
    if (j - i > 32) radix_bits(a + i, code ? code + i : NULL, tmp, tmpc, j - i, 0, 32);
    else if (j - i > 1) insertion_doubles(a + i, code ? code + i : NULL, j - i);
    i = j;
  }
}
