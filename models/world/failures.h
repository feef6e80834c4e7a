/*
 * models/world/failures.h - a world's node failures and repairs, drawn once.
 *
 * Before a tranche's agreement ends, nothing about its failures depends on
 * the policy: nodes that can fail are the online ones less those under
 * repair, and a policy only decides whether a failed node was held (and by
 * whom), never how many are down.  After the end nothing is drawn.  So every
 * failure (its time, its uniform that picks the node, its repair time) is
 * drawn when the world is made, and every run replays the list in time
 * order (models/run/: capacity.c), deciding only whom each failure hits.
 *
 * Invariants: moments are in time order (ties: the lower tranche first, and
 * within a tranche the order drawn); failures are numbered 0, 1, ... tranche
 * by tranche in time order, and a failure's repair comes after it.
 */
#ifndef GP_FAILURES_H
#define GP_FAILURES_H

#include <stddef.h>
#include <stdint.h>

#include "models/scenario/scenario.h"
#include "sim/err.h"

/* A failure or a repair, in the order a run meets them: everything a run
 * needs, so that it reads them in sequence (a list of failures looked up
 * from each moment was a cache miss at every one). */
typedef struct gp_moment {
  double t;      /* days */
  double u;      /* a failure: uniform on [0, nodes that could fail at t), which node */
  uint64_t code; /* failure index << 15 | tranche << 1 | 1 for its repair */
} gp_moment;

#define GP_MOMENT_CODE(k, t, repair) ((uint64_t)(k) << 15 | (uint64_t)(t) << 1 | (repair))
#define GP_MOMENT_REPAIR(code) ((int)((code) & 1))
#define GP_MOMENT_TRANCHE(code) ((int)((code) >> 1 & 0x3fff))
#define GP_MOMENT_FAILURE(code) ((size_t)((code) >> 15))
_Static_assert(GP_MAX_TRANCHES <= 0x3fff + 1, "a tranche index must fit in 14 bits");

typedef struct gp_failures {
  gp_moment *m;  /* every failure and repair of the world, in time order */
  size_t n;
  size_t nfails; /* failures among them (each has its repair, unless after the end) */
  struct gp_failures_keep *keep; /* the draw's own arrays, kept for the next draw
                                  * (failures.c) */
} gp_failures;

/* Draw the failures of replication REP of S, whose tranches first come
 * online at ONLINE[t] (after slip), into F (zeroed, or drawn before: its
 * arrays are reused).  Returns 0, or -1 with ERR set (out of memory; F then
 * holds no failure). */
int gp_failures_draw(gp_failures *f, const gp_scenario *s, int rep, const double *online,
                     gp_err *err);
/* F set to the N moments M (NFAILS failures among them), a draw kept by a
 * world cache (wcache.h), its arrays reused as gp_failures_draw reuses
 * them.  Returns 0, or -1 with ERR set (out of memory; F then holds no
 * failure). */
int gp_failures_set(gp_failures *f, const gp_moment *m, size_t n, size_t nfails, gp_err *err);
/* Free F's list (F is then empty). */
void gp_failures_free(gp_failures *f);

#endif /* GP_FAILURES_H */
