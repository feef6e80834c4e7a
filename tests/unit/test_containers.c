/*
 * tests/unit/test_containers.c - the generic containers of sim/: the sum
 * tree (against a cumulative scan), the FIFO of ids (against an array, across
 * wrap-around and growth), the growable-array helper (contents kept,
 * capacities doubled, overflow refused) and the min-heap (against a sort).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fifo.h"
#include "sim/heap.h"
#include "sim/sumtree.h"
#include "sim/vec.h"
#include "tests/test.h"

/* The sum tree that picks the project a failed node belongs to: known
 * answers on four weights, then against a cumulative scan (the pick it
 * replaces) over 200 positions with zeros, across growth (64 positions, 2
 * levels; 256, 3 levels), updates, clearing and every count in use. */
static long long fen_w[200];

static size_t scan_pick(size_t n, double x, size_t none) {
  long long c = 0;
  for (size_t i = 0; i < n; i++) {
    c += fen_w[i];
    if (x < (double)c) return i;
  }
  return none;
}

static void sumtree_matches_a_scan(void) {
  gp_sumtree f;
  memset(&f, 0, sizeof f);
  ASSERT_EQ(gp_sumtree_reserve(&f, 4), 0);
  ASSERT_EQ(f.cap, 64);
  long long w4[4] = {3, 0, 2, 5};
  for (size_t i = 0; i < 4; i++) gp_sumtree_add(&f, i, w4[i]);
  ASSERT_EQ(gp_sumtree_prefix(&f, 0), 0);
  ASSERT_EQ(gp_sumtree_prefix(&f, 2), 3);
  ASSERT_EQ(gp_sumtree_prefix(&f, 4), 10);
  ASSERT_EQ(gp_sumtree_find(&f, 0, 4), 0);
  ASSERT_EQ(gp_sumtree_find(&f, 2.999, 4), 0);
  ASSERT_EQ(gp_sumtree_find(&f, 3, 4), 2); /* position 1 weighs nothing */
  ASSERT_EQ(gp_sumtree_find(&f, 4.5, 4), 2);
  ASSERT_EQ(gp_sumtree_find(&f, 5, 4), 3);
  ASSERT_EQ(gp_sumtree_find(&f, 9.999, 4), 3);
  ASSERT_EQ(gp_sumtree_find(&f, 10, 4), 4); /* past the total: none */
  ASSERT_EQ(gp_sumtree_find(&f, -1, 4), 0);
  ASSERT_EQ(gp_sumtree_find(&f, 1, 0), 0);
  gp_sumtree_add(&f, 0, -3);
  ASSERT_EQ(gp_sumtree_find(&f, 0, 4), 2);
  gp_sumtree_free(&f);
  /* Every position in use (N = cap): the descent stays inside the tree. */
  ASSERT_EQ(gp_sumtree_reserve(&f, 64), 0);
  ASSERT_EQ(f.cap, 64);
  for (size_t i = 0; i < 64; i++) gp_sumtree_add(&f, i, 1);
  ASSERT_EQ(gp_sumtree_find(&f, 63.5, 64), 63);
  ASSERT_EQ(gp_sumtree_find(&f, 64, 64), 64);
  ASSERT_EQ(gp_sumtree_find(&f, 1e300, 64), 64);
  gp_sumtree_free(&f);
  ASSERT(f.t == NULL && f.cap == 0 && f.levels == 0);
  ASSERT_EQ(gp_sumtree_reserve(&f, 64), 0);
  ASSERT_EQ(f.levels, 2); /* 64 weights, 8 sums */
  gp_sumtree_add(&f, 63, 5);
  ASSERT_EQ(gp_sumtree_prefix(&f, 64), 5); /* the whole top level */
  ASSERT_EQ(gp_sumtree_prefix(&f, 63), 0);
  gp_sumtree_clear(&f);
  ASSERT_EQ(gp_sumtree_prefix(&f, 64), 0);
  ASSERT_EQ(gp_sumtree_find(&f, 0, 64), 64);
  gp_sumtree_free(&f);

  /* Weights 0-9 from a fixed LCG, a third of them 0; 50 positions, then
   * growth to 200 (weights kept), then updates. */
  unsigned long long x = 12345;
  for (size_t i = 0; i < 200; i++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    fen_w[i] = (x >> 33) % 3 == 0 ? 0 : (long long)((x >> 40) % 10);
  }
  ASSERT_EQ(gp_sumtree_reserve(&f, 50), 0);
  for (size_t i = 0; i < 50; i++) gp_sumtree_add(&f, i, fen_w[i]);
  ASSERT_EQ(gp_sumtree_reserve(&f, 200), 0);
  ASSERT_EQ(f.cap, 256);
  long long total = 0;
  for (size_t i = 0; i < 50; i++) total += fen_w[i];
  ASSERT_EQ(gp_sumtree_prefix(&f, 50), total);
  ASSERT_EQ(gp_sumtree_prefix(&f, 256), total);
  for (double u = 0; u < (double)total + 2; u += 0.25)
    ASSERT_EQ(gp_sumtree_find(&f, u, 50), scan_pick(50, u, 50));
  for (size_t i = 50; i < 200; i++) gp_sumtree_add(&f, i, fen_w[i]);
  for (size_t i = 0; i < 200; i += 7) { /* as failures, repairs and reclaims do */
    long long d = fen_w[i] > 0 ? -1 : 2;
    fen_w[i] += d;
    gp_sumtree_add(&f, i, d);
  }
  /* 256 positions: 256 weights, 32 sums, 4 at the top (padded to 8, which
   * stay 0). */
  ASSERT_EQ(f.levels, 3);
  for (size_t k = 4; k < 8; k++) ASSERT_EQ(f.t[f.off[2] + k], 0);
  ASSERT_EQ(f.t[f.off[2]] + f.t[f.off[2] + 1] + f.t[f.off[2] + 2] + f.t[f.off[2] + 3],
            gp_sumtree_prefix(&f, 256));
  total = 0;
  for (size_t i = 0; i < 200; i++) {
    ASSERT_EQ(gp_sumtree_prefix(&f, i), total);
    total += fen_w[i];
  }
  for (double u = 0; u < (double)total + 2; u += 0.5)
    ASSERT_EQ(gp_sumtree_find(&f, u, 200), scan_pick(200, u, 200));
  /* Every count of positions in use, as a tranche's running list grows and
   * shrinks (the weights past it set to 0 first). */
  for (size_t n = 200; n-- > 1;) {
    gp_sumtree_add(&f, n, -fen_w[n]);
    fen_w[n] = 0;
    total = 0;
    for (size_t i = 0; i < n; i++) total += fen_w[i];
    for (double u = 0; u < (double)total + 2; u += 1.5)
      ASSERT_EQ(gp_sumtree_find(&f, u, n), scan_pick(n, u, n));
  }
  gp_sumtree_free(&f);
}

/* The FIFO gives ids back in the order pushed, across wrap-around (pops
 * move head past the end of the ring) and growth with head inside the
 * ring (the ids must be copied out in ring order). */
static void fifo_keeps_order(void) {
  gp_fifo f;
  memset(&f, 0, sizeof f);
  ASSERT_EQ(f.n, 0);
  enum { N = 5000 };
  static uint32_t ref[N];
  size_t rhead = 0, rn = 0;
  unsigned long long x = 7;
  uint32_t next = 0;
  for (int step = 0; step < 20000; step++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    /* Push a little more often than pop, so that the queue grows through
     * several capacities while wrapping. */
    if ((x >> 33) % 5 < 3 || rn == 0) {
      if (rhead + rn == N) { /* compact the reference */
        memmove(ref, ref + rhead, rn * sizeof *ref);
        rhead = 0;
      }
      ASSERT(rhead + rn < N);
      ref[rhead + rn++] = next;
      ASSERT_EQ(gp_fifo_push(&f, next), 0);
      next++;
    } else {
      ASSERT_EQ(gp_fifo_pop(&f), ref[rhead]);
      rhead++;
      rn--;
    }
    ASSERT_EQ(f.n, rn);
  }
  ASSERT_GT(f.cap, 256); /* it grew */
  ASSERT_EQ(f.cap & (f.cap - 1), 0);
  while (rn) {
    ASSERT_EQ(gp_fifo_pop(&f), ref[rhead++]);
    rn--;
  }
  ASSERT_EQ(f.n, 0);
  size_t cap = f.cap;
  gp_fifo_clear(&f);
  ASSERT_EQ(f.cap, cap);
  ASSERT_EQ(gp_fifo_push(&f, 42), 0);
  ASSERT_EQ(gp_fifo_pop(&f), 42);
  gp_fifo_free(&f);
  ASSERT(f.v == NULL && f.cap == 0 && f.n == 0);
}

/* GP_VEC_RESERVE: room from FIRST, doubled until it holds what is needed,
 * contents kept; no call when there is room; sizes that overflow refused
 * with the array unchanged. */
static void vec_grows_and_keeps(void) {
  double *v = NULL;
  size_t cap = 0, n = 0;
  ASSERT_EQ(GP_VEC_RESERVE(v, cap, n, 64), 0);
  ASSERT(v == NULL); /* nothing needed: nothing allocated */
  for (int i = 0; i < 1000; i++) {
    ASSERT_EQ(GP_VEC_RESERVE(v, cap, n + 1, 64), 0);
    v[n++] = i * 0.5;
  }
  ASSERT_EQ(cap, 1024); /* 64, 128, ..., 1024 */
  for (int i = 0; i < 1000; i++) ASSERT_DBL_EQ(v[i], i * 0.5);
  double *before = v;
  ASSERT_EQ(GP_VEC_RESERVE(v, cap, 1024, 64), 0);
  ASSERT(v == before); /* room enough: untouched */
  ASSERT_EQ(GP_VEC_RESERVE(v, cap, 5000, 64), 0); /* several doublings at once */
  ASSERT_EQ(cap, 8192);
  for (int i = 0; i < 1000; i++) ASSERT_DBL_EQ(v[i], i * 0.5);
  before = v;
  ASSERT_EQ(GP_VEC_RESERVE(v, cap, SIZE_MAX / 4, 64), -1); /* bytes overflow */
  ASSERT_EQ(GP_VEC_RESERVE(v, cap, SIZE_MAX, 64), -1);     /* count overflows */
  ASSERT(v == before);
  ASSERT_EQ(cap, 8192);
  free(v);
  /* A first capacity of 0 still makes room. */
  int *w = NULL;
  size_t wcap = 0;
  ASSERT_EQ(GP_VEC_RESERVE(w, wcap, 3, 0), 0);
  ASSERT_GE(wcap, 3);
  w[2] = 1;
  free(w);
}

/* The heap pops keys in ascending order, whatever the order of pushes and
 * with pops between them, as a sort would; equal keys all come out. */
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void heap_pops_in_order(void) {
  gp_heap h;
  memset(&h, 0, sizeof h);
  enum { N = 3000 };
  static double keys[N], got[N];
  size_t ngot = 0, pushed = 0;
  unsigned long long x = 11;
  /* Pushes with a pop after every third: the popped key must be the least
   * of those in the heap. */
  static double live[N];
  size_t nlive = 0;
  for (size_t i = 0; i < N; i++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    keys[i] = (double)((x >> 33) % 500) / 8; /* many ties */
    ASSERT_EQ(gp_heap_push(&h, keys[i], i), 0);
    live[nlive++] = keys[i];
    pushed++;
    if (i % 3 == 2) {
      double least = live[0];
      size_t at = 0;
      for (size_t k = 1; k < nlive; k++)
        if (live[k] < least) least = live[k], at = k;
      ASSERT_DBL_EQ(gp_heap_top(&h)->key, least);
      ASSERT_DBL_EQ(keys[gp_heap_top(&h)->val], least); /* the value travels with its key */
      got[ngot++] = least;
      gp_heap_pop(&h);
      live[at] = live[--nlive];
    }
    ASSERT_EQ(h.n, nlive);
  }
  while (h.n) {
    double k = gp_heap_top(&h)->key;
    gp_heap_pop(&h);
    if (h.n) ASSERT(k <= gp_heap_top(&h)->key);
    got[ngot++] = k;
  }
  ASSERT_EQ(ngot, pushed);
  /* Everything pushed came out once: the same multiset as the keys. */
  qsort(keys, N, sizeof *keys, cmp_double);
  qsort(got, N, sizeof *got, cmp_double);
  for (size_t i = 0; i < N; i++) ASSERT_DBL_EQ(got[i], keys[i]);
  size_t cap = h.cap;
  gp_heap_clear(&h);
  ASSERT_EQ(h.n, 0);
  ASSERT_EQ(h.cap, cap);
  gp_heap_free(&h);
  ASSERT(h.v == NULL && h.cap == 0);
}

int main(void) {
  RUN(sumtree_matches_a_scan);
  RUN(fifo_keeps_order);
  RUN(vec_grows_and_keeps);
  RUN(heap_pops_in_order);
  TEST_EXIT();
}
