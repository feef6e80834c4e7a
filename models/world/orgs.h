/*
 * models/world/orgs.h - a world's proposals grouped by organisation.
 *
 * The Gini and Herfindahl-Hirschman indices of GPU-hours granted by
 * organisation (models/run/tails.c) add up each organisation's grants.
 * Which proposals belong to which organisation does not depend on the
 * policy, so the grouping is made once with the world rather than sorted
 * again in every policy's run (it was one of a run's four sorts of the
 * world's proposals).
 *
 * Invariants: places run by organisation id ascending, and within an
 * organisation by proposal index ascending (the order of sorting by (org,
 * index)); each place holds its proposal's index, with GP_ORGS_FIRST set on
 * the first place of each organisation.
 */
#ifndef GP_ORGS_H
#define GP_ORGS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

struct gp_wprop;

/* Set on a place that starts an organisation's group. */
#define GP_ORGS_FIRST ((uint32_t)1 << 31)

typedef struct gp_orgs {
  uint32_t *by_org; /* per place (a world's n of them): the proposal's index, | GP_ORGS_FIRST
                     * when the place starts its organisation's group */
  size_t cap;       /* by_org's room, kept when the world is redrawn */
} gp_orgs;

/* Group the N proposals PROPS into OG (zeroed, or grouped before: its array
 * is reused), sorting in SCRATCH (the caller's scratch: room for 2 N 8-byte
 * records, models/world/wsort.h).  Returns 0, or -1 with ERR set: out of memory, or 2^31
 * proposals or more (an index must leave GP_ORGS_FIRST's bit free). */
int gp_orgs_make(gp_orgs *og, const struct gp_wprop *props, size_t n, uint64_t *scratch,
                 gp_err *err);
/* Free OG's array (OG is then empty). */
void gp_orgs_free(gp_orgs *og);

#endif /* GP_ORGS_H */
