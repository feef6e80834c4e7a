/*
 * sim/vec.c - growable arrays (see vec.h).
 *
 * The array's pointer is read and written through memcpy, so one function
 * serves arrays of every type without a cast between T ** and void **.
 */
#include "sim/vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int gp_vec_grow(void *arrayp, size_t *cap, size_t size, size_t need, size_t first) {
  if (need <= *cap) return 0;
  size_t ncap = *cap ? *cap : first ? first : 1;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) return -1;
    ncap *= 2;
  }
  if (size && ncap > SIZE_MAX / size) return -1;
  void *v;
  memcpy(&v, arrayp, sizeof v);
  void *nv = realloc(v, ncap * size);
  if (!nv) return -1;
  memcpy(arrayp, &nv, sizeof nv);
  *cap = ncap;
  return 0;
}
