/*
 * sim/heap.h - a binary min-heap of (key, value) pairs.
 *
 * Invariant: v[0, n) is a heap by key (no child's key below its parent's),
 * so v[0] holds a smallest key.  Items with equal keys come out in an order
 * fixed by the sequence of pushes and pops (repeatable), not necessarily
 * the order of pushing: callers that need ties broken put the tie-break in
 * the key, or have none (the failure draws' repair times are continuous).
 *
 * Ownership: a gp_heap is a value the caller embeds, zeroed to start (an
 * empty heap), and frees with gp_heap_free.
 */
#ifndef GP_HEAP_H
#define GP_HEAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct gp_heap_item {
  double key;
  uint64_t val;
} gp_heap_item;

typedef struct gp_heap {
  gp_heap_item *v; /* the heap; the top at v[0] */
  size_t n, cap;
} gp_heap;

/* Add (KEY, VAL).  Returns 0, or -1 when out of memory (H unchanged). */
int gp_heap_push(gp_heap *h, double key, uint64_t val);
/* Remove the top item (H must not be empty). */
void gp_heap_pop(gp_heap *h);
/* The top item: a smallest key (H must not be empty). */
static inline const gp_heap_item *gp_heap_top(const gp_heap *h) { return &h->v[0]; }
/* Empty H, keeping its room. */
static inline void gp_heap_clear(gp_heap *h) { h->n = 0; }
void gp_heap_free(gp_heap *h);

#endif /* GP_HEAP_H */
