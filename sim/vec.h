/*
 * sim/vec.h - growable arrays: one helper for every "double the capacity
 * when full" realloc.
 *
 * An array here is a plain `T *v` with a `size_t cap` (elements it has room
 * for) kept by its owner, which also keeps the count in use.  To push:
 *
 *     if (GP_VEC_RESERVE(v, cap, n + 1, 64)) return -1;  (out of memory)
 *     v[n++] = x;
 *
 * Invariants: the capacity only grows, doubling from FIRST (or from the
 * current capacity) until it holds NEED, so pushes cost amortised O(1); on
 * failure the array and its capacity are unchanged (no element is lost).
 */
#ifndef GP_VEC_H
#define GP_VEC_H

#include <stddef.h>

/* Grow the array whose pointer is at ARRAYP (a `T **`, passed as void *),
 * of *CAP elements of SIZE bytes, to at least NEED elements: capacity FIRST
 * if it was 0, doubled until it holds NEED.  Returns 0, or -1 when out of
 * memory or when the size would overflow (nothing changed). */
int gp_vec_grow(void *arrayp, size_t *cap, size_t size, size_t need, size_t first);

/* Make room in ARRAY (an lvalue `T *`) with capacity CAP (an lvalue size_t)
 * for NEED elements; 0 or -1 as gp_vec_grow.  The test is inline: most
 * calls find the room there. */
#define GP_VEC_RESERVE(array, cap, need, first)                                               \
  ((size_t)(need) <= (cap) ? 0 : gp_vec_grow(&(array), &(cap), sizeof *(array), (need), (first)))

#endif /* GP_VEC_H */
