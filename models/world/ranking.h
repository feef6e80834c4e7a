/*
 * models/world/ranking.h - a world's proposals ranked by review score.
 *
 * Selection rules that take proposals best score first (score, quota,
 * lottery, org_cap: their type says so, gp_selection_type.by_score) read
 * each committee's batch off this ranking instead of sorting it
 * (models/run/: helpers.c), for every policy of the world.  The world makes
 * it when it is made, and only when one of the scenario's policies ranks by
 * score.
 *
 * Invariants: places run best score first, ties by lower index (earlier
 * submission), -0 and 0 equal: the order of sorting by (-score, index).
 * Proposals whose score is NaN (designated allocations) have no place.
 */
#ifndef GP_RANKING_H
#define GP_RANKING_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

struct gp_wprop;

typedef struct gp_ranking {
  uint32_t *rank;    /* per proposal: its place; UINT32_MAX when its score is NaN */
  uint32_t *by_rank; /* per place: the proposal */
  size_t n;          /* proposals ranked (places in use) */
  int made;          /* 1 when the world has a ranking (rank and by_rank are set) */
  size_t cap;        /* room of rank and by_rank, kept when the world is redrawn */
} gp_ranking;

/* Rank the N proposals PROPS into RK (zeroed, or ranked before: its arrays
 * are reused), sorting in SCRATCH (the caller's scratch: room for 3 N 8-byte
 * records, models/world/wsort.h).  Returns 0, or -1 with ERR set (out of memory; RK then
 * ranks nothing).  From 2^32 - 1 proposals on, places do not
 * fit 32 bits: no ranking is made (rk->made = 0; runs then sort). */
int gp_ranking_make(gp_ranking *rk, const struct gp_wprop *props, size_t n, uint64_t *scratch,
                    gp_err *err);
/* Free RK's arrays (RK is then empty). */
void gp_ranking_free(gp_ranking *rk);

#endif /* GP_RANKING_H */
