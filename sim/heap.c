/*
 * sim/heap.c - the binary min-heap (see heap.h): sift up on push, sift down
 * on pop, moving a hole rather than swapping.
 */
#include "sim/heap.h"

#include <stdlib.h>
#include <string.h>

#include "sim/vec.h"

int gp_heap_push(gp_heap *h, double key, uint64_t val) {
  if (GP_VEC_RESERVE(h->v, h->cap, h->n + 1, 256)) return -1;
  gp_heap_item *v = h->v;
  size_t i = h->n++;
  for (; i > 0 && v[(i - 1) / 2].key > key; i = (i - 1) / 2) v[i] = v[(i - 1) / 2];
  v[i] = (gp_heap_item){key, val};
  return 0;
}

void gp_heap_pop(gp_heap *h) {
  gp_heap_item *v = h->v, x = v[--h->n];
  size_t n = h->n, i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && v[c + 1].key < v[c].key) c++;
    if (!(v[c].key < x.key)) break;
    v[i] = v[c];
    i = c;
  }
  if (n) v[i] = x;
}

void gp_heap_free(gp_heap *h) {
  free(h->v);
  memset(h, 0, sizeof *h);
}
