/*
 * models/world/ranking.c - ranking a world's proposals by score (see
 * ranking.h).
 */
#include "models/world/ranking.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/world/world.h"
#include "sim/sort.h"

int gp_ranking_make(gp_ranking *rk, const gp_wprop *props, size_t n, gp_err *err) {
  memset(rk, 0, sizeof *rk);
  if (n >= UINT32_MAX) return 0; /* places are 32-bit */
  size_t cap = n ? n : 1;
  rk->rank = malloc(cap * sizeof *rk->rank);
  rk->by_rank = malloc(cap * sizeof *rk->by_rank);
  gp_keyed *k = malloc(2 * cap * sizeof *k);
  if (!rk->rank || !rk->by_rank || !k) {
    free(k);
    gp_ranking_free(rk);
    return GP_ERR_NOMEM(err);
  }
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    double score = props[i].score;
    rk->rank[i] = UINT32_MAX;
    if (!isnan(score)) k[m++] = (gp_keyed){-score, (int64_t)i, NULL};
  }
  gp_sort_keyed(k, k + m, m); /* best first, ties by index: a batch sort's order */
  for (size_t r = 0; r < m; r++) {
    rk->rank[k[r].tie] = (uint32_t)r;
    rk->by_rank[r] = (uint32_t)k[r].tie;
  }
  free(k);
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
