/*
 * models/world/orgs.c - grouping a world's proposals by organisation (see
 * orgs.h).
 */
#include "models/world/orgs.h"

#include <stdlib.h>
#include <string.h>

#include "models/world/world.h"
#include "sim/sort.h"
#include "sim/vec.h"

int gp_orgs_make(gp_orgs *og, const gp_wprop *props, size_t n, gp_keyed *k, gp_err *err) {
  if (n >= GP_ORGS_FIRST)
    return GP_ERR(err, GP_EX_DATAERR, "%zu proposals in a world: at most 2^31 - 1", n);
  if (GP_VEC_RESERVE(og->by_org, og->cap, n + 1, 1)) return GP_ERR_NOMEM(err);
  for (size_t i = 0; i < n; i++) k[i] = (gp_keyed){(double)props[i].org, (int64_t)i, NULL};
  gp_sort_keyed(k, k + n, n); /* by org, ties by index */
  for (size_t r = 0; r < n; r++)
    og->by_org[r] = (uint32_t)k[r].tie | (r == 0 || k[r].key != k[r - 1].key ? GP_ORGS_FIRST : 0);
  return 0;
}

void gp_orgs_free(gp_orgs *og) {
  if (!og) return;
  free(og->by_org);
  memset(og, 0, sizeof *og);
}
