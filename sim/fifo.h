/*
 * sim/fifo.h - a first-in first-out queue of 32-bit ids (a ring buffer).
 *
 * Invariants: the n ids in the queue are v[(head + i) % cap] for i in
 * [0, n), oldest first; cap is 0 or a power of two; growth keeps the order.
 *
 * Ownership: a gp_fifo is a value the caller embeds, zeroed to start (an
 * empty queue), and frees with gp_fifo_free.  Push and pop are inline: the
 * review pipeline moves every review job through one.
 */
#ifndef GP_FIFO_H
#define GP_FIFO_H

#include <stddef.h>
#include <stdint.h>

typedef struct gp_fifo {
  uint32_t *v;
  size_t head, n, cap; /* ring buffer: the oldest at head, n in use of cap */
} gp_fifo;

/* Double F's room (256 to start), keeping its ids in order.  Returns 0, or
 * -1 when out of memory (F unchanged). */
int gp_fifo_grow(gp_fifo *f);

/* Append V.  Returns 0, or -1 when out of memory (F unchanged). */
static inline int gp_fifo_push(gp_fifo *f, uint32_t v) {
  if (f->n == f->cap && gp_fifo_grow(f)) return -1;
  f->v[(f->head + f->n) % f->cap] = v;
  f->n++;
  return 0;
}

/* Remove and return the oldest id (F must not be empty). */
static inline uint32_t gp_fifo_pop(gp_fifo *f) {
  uint32_t v = f->v[f->head];
  f->head = (f->head + 1) % f->cap;
  f->n--;
  return v;
}

/* Empty F, keeping its room. */
static inline void gp_fifo_clear(gp_fifo *f) { f->head = f->n = 0; }

void gp_fifo_free(gp_fifo *f);

#endif /* GP_FIFO_H */
