/*
 * models/world/orgs.c - grouping a world's proposals by organisation (see
 * orgs.h).
 */
#include "models/world/orgs.h"

#include <stdlib.h>
#include <string.h>

#include "models/world/world.h"
#include "models/world/wsort.h"
#include "sim/vec.h"

int gp_orgs_make(gp_orgs *og, const gp_wprop *props, size_t n, uint64_t *scratch, gp_err *err) {
  if (n >= GP_ORGS_FIRST)
    return GP_ERR(err, GP_EX_DATAERR, "%zu proposals in a world: at most 2^31 - 1", n);
  if (GP_VEC_RESERVE(og->by_org, og->cap, n + 1, 1)) return GP_ERR_NOMEM(err);
  uint64_t *a = scratch, *tmp = a + n;
  for (size_t i = 0; i < n; i++) a[i] = gp_wsort_record(gp_wsort_int(props[i].org), (uint32_t)i);
  gp_wsort_prefix(a, tmp, n); /* by org (all 32 bits), ties by index */
  for (size_t r = 0; r < n; r++)
    og->by_org[r] = (uint32_t)a[r] | (r == 0 || a[r] >> 32 != a[r - 1] >> 32 ? GP_ORGS_FIRST : 0);
  return 0;
}

void gp_orgs_free(gp_orgs *og) {
  if (!og) return;
  free(og->by_org);
  memset(og, 0, sizeof *og);
}
