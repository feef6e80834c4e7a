/*
 * models/world/wcache.h - a worker's cache of world draws, reused from one
 * design point to the next (issues 18 and 22).
 *
 * A design (Morris, Sobol, selection, sizing) runs many scenarios that
 * differ in a few values, each for the same replications.  Every demand
 * source (a call, a stream, a designation) draws its proposals from streams
 * of its own, keyed by (seed, replication, source), and the failures and
 * online times from the roadmap's: a source whose inputs did not move draws
 * exactly what it drew before, so gp_world_renew_cached copies it.
 *
 * Keys, conservative by construction (nothing a draw reads is left out):
 *   global  the scenario's whole JSON tree (gp_json_root of s->doc: resolved
 *           and overridden) with the ITEMS of demand.calls, demand.streams
 *           and demand.designated left out (their counts kept) and each
 *           roadmap tranche's slip_days (read by the online times only), with the
 *           seed, the end, the replication and the sources' and tranches'
 *           counts; when it moves, everything of that replication is drawn
 *           again;
 *   source  the global key plus the source's own item and its index;
 *   online times and failures: the global key and the tranches'
 *           slip_days (they read the roadmap, the end and the seed, never
 *           the demand); a slip moved draws them again, not the sources;
 *   returns a source's key plus what its return draws read of the other
 *           sources: its pool's largest resubmit and renew probabilities
 *           and its pool's calls' closing dates.
 * Values compare exactly (json_same in wcache.c), not with cJSON_Compare,
 * which takes numbers one rounding apart for equal.
 *
 * Invariant: a world renewed through a cache is byte for byte the world
 * gp_world_renew draws (tests/unit/test_wcache.c perturbs every value a
 * source reads and checks it).  Ownership: a cache is one worker's (not
 * thread-safe); it owns copies of everything it keeps and borrows nothing.
 */
#ifndef GP_WCACHE_H
#define GP_WCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "models/scenario/scenario.h"
#include "models/world/failures.h"
#include "sim/err.h"

typedef struct gp_wcache gp_wcache;
struct gp_wprop;
struct gp_wreturn;

/* What the cache did so far. */
typedef struct gp_wcache_stats {
  long long hits, misses;               /* demand sources copied, drawn (and kept) */
  long long global_hits, global_misses; /* worlds whose online times and failures were copied,
                                         * drawn (a new replication or a moved global key) */
  long long ret_hits, ret_misses;       /* returning sources whose return draws were copied,
                                         * drawn */
  long long online_misses;              /* global hits whose online times and failures were
                                         * drawn again (a tranche's slip moved) */
} gp_wcache_stats;

/* A cache keeping the draws of at most REPS replications (>= 1; the least
 * recently used goes first), or NULL when out of memory. */
gp_wcache *gp_wcache_new(int reps);
void gp_wcache_free(gp_wcache *c);
/* Bytes C holds now (its copies of proposals, failures and JSON keys). */
size_t gp_wcache_bytes(const gp_wcache *c);
void gp_wcache_stats_get(const gp_wcache *c, gp_wcache_stats *st);

/* ---- for world.c: one replication's slot ---- */
typedef struct gp_wcache_rep gp_wcache_rep;
/* The slot of replication REP of S: the one kept for REP if its global key
 * is S's (a global hit; without its online times and failures if a slip
 * moved), else one emptied and keyed for S.  NULL with ERR
 * set when out of memory. */
gp_wcache_rep *gp_wcache_rep_of(gp_wcache *c, const gp_scenario *s, int rep, gp_err *err);
/* Source ORIGIN's proposals as drawn (before the sort) when its key is S's,
 * N of them in *N, their reviewers' times in *RD (s->review.reviews a
 * proposal, as gp_world.review_days); NULL (a miss) otherwise.  Counts the
 * hit or miss. */
const struct gp_wprop *gp_wcache_source(gp_wcache_rep *e, const gp_scenario *s, int origin,
                                        const float **rd, size_t *n);
/* Keep source ORIGIN's N proposals P and their reviewers' times RD, keyed
 * by its item in S.  0, or -1 when out of memory (with ERR set). */
int gp_wcache_put_source(gp_wcache_rep *e, const gp_scenario *s, int origin,
                         const struct gp_wprop *p, const float *rd, size_t n, gp_err *err);
/* The tranches' online times kept (s->ntranches of them), or NULL. */
const double *gp_wcache_online(const gp_wcache_rep *e);
int gp_wcache_put_online(gp_wcache_rep *e, const double *online, int n, gp_err *err);
/* The failures kept: 1 with their moments in *M (*N of them, *NFAILS
 * failures), or 0 when none are kept. */
int gp_wcache_failures(const gp_wcache_rep *e, const gp_moment **m, size_t *n, size_t *nfails);
int gp_wcache_put_failures(gp_wcache_rep *e, const gp_failures *f, gp_err *err);
/* Source ORIGIN's return draws (world.c's draw_returns), once the source's
 * proposals were found or kept for this world: kept under KEY (NKEY values
 * they read besides the source's proposals and the global key: its pool's
 * largest probabilities and calls' closing dates), NULL otherwise (a
 * miss).  The records of its *NP proposals in submission order, then of its
 * *NC candidates (*CAND, their reviewers' times *CRD), `next` counted from
 * the first candidate. */
const struct gp_wreturn *gp_wcache_returns(gp_wcache_rep *e, int origin, const double *key,
                                           size_t nkey, size_t *np,
                                           const struct gp_wprop **cand, const float **crd,
                                           size_t *nc);
/* Keep them: the records RET[AT[0 .. NP)] of its proposals and RET[FIRST ..
 * FIRST + NC) of its candidates CAND (proposals FIRST .. of the world),
 * their reviewers' times CRD.  0, or -1 with ERR set. */
int gp_wcache_put_returns(gp_wcache_rep *e, int origin, const double *key, size_t nkey,
                          const struct gp_wreturn *ret, const uint32_t *at, size_t np,
                          size_t first, const struct gp_wprop *cand, const float *crd,
                          size_t nc, gp_err *err);

#endif /* GP_WCACHE_H */
