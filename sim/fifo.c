/*
 * sim/fifo.c - the FIFO of ids (see fifo.h): growth and freeing; push and
 * pop are inline in the header.
 */
#include "sim/fifo.h"

#include <stdlib.h>
#include <string.h>

int gp_fifo_grow(gp_fifo *f) {
  size_t ncap = f->cap ? f->cap * 2 : 256;
  if (ncap > SIZE_MAX / sizeof *f->v) return -1;
  uint32_t *nv = malloc(ncap * sizeof *nv);
  if (!nv) return -1;
  for (size_t i = 0; i < f->n; i++) nv[i] = f->v[(f->head + i) % f->cap];
  free(f->v);
  f->v = nv;
  f->head = 0;
  f->cap = ncap;
  return 0;
}

void gp_fifo_free(gp_fifo *f) {
  free(f->v);
  memset(f, 0, sizeof *f);
}
