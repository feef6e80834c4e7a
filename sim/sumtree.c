/*
 * sim/sumtree.c - the 8-way sum tree (see sumtree.h).
 *
 * Invariant kept by every function: each level-l entry equals the sum of its
 * 8 entries of level l - 1, and entries past a level's end are 0.
 */
#include "sim/sumtree.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int gp_sumtree_reserve(gp_sumtree *f, size_t n) {
  if (n <= f->cap) return 0;
  size_t ncap = f->cap ? f->cap : 64;
  while (ncap < n) ncap *= 2;
  size_t off[GP_SUMTREE_MAX_LEVELS], total = 0, size = ncap;
  int levels = 0;
  for (;;) { /* (a power of two up to 2^63 needs at most 22 levels) */
    off[levels++] = total;
    total += (size + 7) / 8 * 8;
    if (size <= 8) break;
    size = (size + 7) / 8;
  }
  long long *nt = aligned_alloc(64, total * sizeof *nt); /* total is a multiple of 8 */
  if (!nt) return -1;
  memset(nt, 0, total * sizeof *nt);
  if (f->cap) memcpy(nt, f->t, f->cap * sizeof *nt);
  size = ncap; /* the sums, level by level */
  for (int l = 1; l < levels; l++) {
    size_t up = (size + 7) / 8;
    for (size_t k = 0; k < size; k++) nt[off[l] + k / 8] += nt[off[l - 1] + k];
    size = up;
  }
  free(f->t);
  f->t = nt;
  f->cap = ncap;
  f->levels = levels;
  memcpy(f->off, off, sizeof off);
  return 0;
}

void gp_sumtree_clear(gp_sumtree *f) {
  if (f->cap) memset(f->t, 0, (f->off[f->levels - 1] + 8) * sizeof *f->t);
}

long long gp_sumtree_prefix(const gp_sumtree *f, size_t i) {
  /* At each level, the entries before I's own in its node of 8; at the top
   * (one node), all entries before I's. */
  long long sum = 0;
  for (int l = 0; l < f->levels; l++) {
    size_t at = i >> (3 * l), from = l == f->levels - 1 ? 0 : at & ~(size_t)7;
    for (size_t k = from; k < at; k++) sum += f->t[f->off[l] + k];
  }
  return sum;
}

size_t gp_sumtree_find(const gp_sumtree *f, double x, size_t n) {
  if (n == 0 || !(x >= 0)) return 0;
  /* For an integer s below 2^53, (double)s <= x iff s <= floor(x): compare
   * integers. */
  long long xi = x < 0x1p62 ? (long long)x : LLONG_MAX;
  /* From the top down: in the node reached, count the entries whose sums so
   * far stay <= x (sums only grow, so they are the first ones), go down into
   * the next.  At the top (one node, padded with zeros), all 8 stay within
   * x iff the total does: then no position is picked.  Below the top, the
   * node's sum exceeds x, so some entry does. */
  size_t pos = 0;
  long long acc = 0;
  for (int l = f->levels - 1; l >= 0; l--) {
    const long long *c = f->t + f->off[l] + pos * 8;
    long long s = acc, taken = 0;
    size_t k = 0;
    /* The 8 entries unrolled by hand (gcc -O2 kept the loop, whose counter
     * was a third of a failure's pick). */
#define ENTRY(j)                                                          \
  do {                                                                    \
    s += c[j];                                                            \
    long long in = -(long long)(s <= xi); /* all ones while within x */   \
    k -= (size_t)in;                                                      \
    taken += c[j] & in;                                                   \
  } while (0)
    ENTRY(0); ENTRY(1); ENTRY(2); ENTRY(3); ENTRY(4); ENTRY(5); ENTRY(6); ENTRY(7);
#undef ENTRY
    if (l == f->levels - 1 && k == 8) return n; /* the total is <= x */
    acc += taken;
    pos = pos * 8 + k;
  }
  return pos < n ? pos : n;
}

void gp_sumtree_free(gp_sumtree *f) {
  free(f->t);
  memset(f, 0, sizeof *f);
}
