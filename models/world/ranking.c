/*
 * models/world/ranking.c - ranking a world's proposals by score (see
 * ranking.h).
 */
#include "models/world/ranking.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/world/world.h"
#include "models/world/wsort.h"
#include "sim/vec.h"

int gp_ranking_make(gp_ranking *rk, const gp_wprop *props, size_t n, uint64_t *scratch,
                    gp_err *err) {
  rk->made = 0;
  rk->n = 0;
  if (n >= UINT32_MAX) return 0; /* places are 32-bit */
  size_t capr = rk->cap, capb = rk->cap; /* room recorded only once both have it */
  if (GP_VEC_RESERVE(rk->rank, capr, n + 1, 1) || GP_VEC_RESERVE(rk->by_rank, capb, n + 1, 1))
    return GP_ERR_NOMEM(err);
  rk->cap = capr < capb ? capr : capb;
  /* Records (-score's prefix, index) in A, -score's bits by index in FULL. */
  uint64_t *a = scratch, *tmp = a + n, *full = tmp + n;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    double score = props[i].score;
    rk->rank[i] = UINT32_MAX;
    if (isnan(score)) continue;
    full[i] = gp_wsort_bits(-score);
    a[m++] = gp_wsort_record((uint32_t)(full[i] >> 32), (uint32_t)i);
  }
  gp_wsort_prefix(a, tmp, m); /* best first, ties by index: a batch sort's order */
  gp_wsort_full(a, m, full);
  for (size_t r = 0; r < m; r++) {
    rk->rank[(uint32_t)a[r]] = (uint32_t)r;
    rk->by_rank[r] = (uint32_t)a[r];
  }
  rk->n = m;
  rk->made = 1;
  return 0;
}

void gp_ranking_free(gp_ranking *rk) {
  if (!rk) return;
  free(rk->rank);
  free(rk->by_rank);
  memset(rk, 0, sizeof *rk);
}
