/*
 * models/world/world.h - a replication's world: everything no policy
 * changes.
 *
 * gp_world_new draws, from the RNG streams of (seed, replication, source),
 * when proposals arrive, what they ask for, how good they are, how long
 * review takes, when tranches really come online; then, still independent of
 * any policy, it plays the review pipeline (pipeline.h) when its record
 * serves several policies alike (pipe_recorded), draws the node failures
 * (failures.h), groups the proposals by organisation (orgs.h) and, when a
 * policy needs it, ranks them by score (ranking.h).  Runs (models/run/)
 * only read a world: every policy of replication r sees the same one
 * (common random numbers, so differences between policies are paired).
 *
 * Ownership: a world is owned by its caller and freed with gp_world_free; it
 * borrows the scenario, which must outlive it.  A world is read-only once
 * made, so threads may share it.
 */
#ifndef GP_WORLD_H
#define GP_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "models/scenario/scenario.h"
#include "models/world/failures.h"
#include "models/world/orgs.h"
#include "models/world/pipeline.h"
#include "models/world/ranking.h"
#include "sim/err.h"

/* One proposal as the world makes it: everything about it that does not
 * depend on the policy, drawn before any policy runs. */
typedef struct gp_wprop { /* (its reviewers' times are the world's review_days) */
  double submitted;      /* days */
  double screening_days; /* administrative screening */
  double score;          /* mean of the reviews: quality + noise; NaN for designations */
  double onboard_days;   /* decision -> ready to start */
  double duration;       /* days held once started */
  double quality;        /* hidden true quality */
  double use;            /* fraction of the allocation really used */
  double withdraw_at;    /* absolute time it withdraws, days; HUGE_VAL = never */
  double estimate;       /* days a scheduling rule plans with (a replayed trace's requested
                          * time, >= duration); 0 = the duration: exact plans, as in every
                          * world the programme draws */
  float u_screen;        /* uniform: passes screening iff < screening_pass */
  float u_interview;     /* uniform: found suitable iff < interview_pass */
  int32_t units;         /* allocation units asked for (servers, or GPUs) */
  int32_t org;           /* organisation id, unique across sectors */
  int16_t origin;        /* calls, then streams, then designations (gp_scenario_origin_name) */
  int8_t sector;
  int8_t gpu_type;
  int8_t capital;        /* 1 = capital region */
  int8_t interview;      /* 1 = large request: suitability interview */
  int8_t designated;     /* 1 = allocated by designation: no review, no selection */
} gp_wprop;

/* What a proposal would do were it turned down or finished (issue 21, item
 * 3), drawn by the world from a stream of its own (GP_SRC_RETURN, keyed by
 * the proposal's source) so that no other draw moves; the run decides
 * whether it happens (models/run/returns.c). */
typedef struct gp_wreturn {
  double u_resubmit; /* uniform: resubmits once rejected iff < its source's resubmit.probability */
  double u_renew;    /* uniform: applies for renewal once finished iff < renew.probability */
  double u_submit;   /* (a candidate) uniform: where in what is left of its call's window it
                     * submits, piled up as the call's proposals are */
  int32_t next;     /* its candidate (the proposal it would return as): an index >= n into
                     * props; -1 = it cannot return */
  int32_t prev;     /* (a candidate) the proposal or candidate whose `next` it is; -1 = none
                     * (a proposal of the world) */
} gp_wreturn;

typedef struct gp_world {
  int rep;
  gp_wprop *props;     /* sorted by submission time (ties: origin order) */
  size_t n;
  float *review_days;  /* each reviewer's time on each proposal and candidate, days: those
                        * of props[i] at review_days[i * nreviews .. (i + 1) * nreviews),
                        * (gp_world_review_days); out of gp_wprop, which the run reads
                        * often, and sized by the scenario's reviews per proposal rather
                        * than GP_MAX_REVIEWS (issue 22: a million-proposal world's memory) */
  int nreviews;        /* s->review.reviews */
  size_t caprd;        /* review_days' room (floats), kept when the world is redrawn */
  double *online;      /* per tranche: actual first-online time after slip, days */
  gp_pipeline pipe;    /* the review pipeline's record (pipe_recorded), else empty */
  gp_failures fails;   /* node failures and repairs */
  gp_ranking ranking;  /* by score; made only if a policy of the scenario ranks by score */
  gp_orgs orgs;        /* the proposals grouped by organisation */
  size_t cap;          /* props' room, kept when the world is redrawn */
  /* Returning applicants: candidates props[n .. n + nret) (drawn review
   * times, screening and interview uniforms, onboarding; `score` holds the
   * mean of its reviews' noise, the run sets the rest when it returns), and
   * per proposal and candidate its return draws.  ret is NULL (nret 0)
   * when no source of the scenario returns. */
  gp_wreturn *ret;     /* n + nret entries */
  size_t nret;
  size_t capret;       /* ret's room, kept when the world is redrawn */
  int pipe_recorded;   /* 1: the review pipeline was played once, into pipe, and every run
                        * replays the record; 0: every run plays it itself (models/run/
                        * review.c), as the panel's queue depends on the policy (returning
                        * applicants: ret != NULL) or only one policy runs (a record would
                        * cost memory and time for nothing) */
  uint64_t *keys;      /* scratch of the world's sorts (sort_world, gp_orgs_make,
                        * gp_ranking_make): room for capkeys of wsort.h's 8-byte records,
                        * 3 per proposal and candidate; kept when the world is redrawn
                        * (allocated afresh for each draw, its pages came back as page
                        * faults: issue 22) unless larger than world.c's KEYS_KEEP_MAX;
                        * NULL when not kept */
  size_t capkeys;
  int direct;          /* 1: a trace's jobs (gp_world_jobs): each proposal is accepted and
                        * joins its pool's queue at its submission, no review, no committee;
                        * 0: the programme's path through the pipeline */
} gp_world;

/* 1 when worlds of S record the review pipeline for their runs to replay
 * (gp_world.pipe_recorded): several policies, none with returning
 * applicants. */
int gp_world_records_pipeline(const gp_scenario *s);
/* Draw replication REP's world of S.  Returns NULL with ERR set: out of
 * memory, or the pipeline's play failed or was interrupted by a signal
 * (code GP_EX_SIGNAL + the signal). */
gp_world *gp_world_new(const gp_scenario *s, int rep, gp_err *err);
/* Replication REP of S drawn into W (made from S), its arrays reused; a new
 * world if W is NULL.  Returns W, or NULL with ERR set and W freed.  A worker
 * that draws one world after another keeps one this way: freed and
 * allocated afresh, a large world's arrays went back to the system and came
 * back as page faults (the 120,000-proposal worlds of
 * scenarios/validation/mmc.json took 5 times as long to make). */
gp_world *gp_world_renew(gp_world *w, const gp_scenario *s, int rep, gp_err *err);
/* The same through the cache C (models/world/wcache.h; NULL = none): the
 * demand sources, online times and failures C holds for REP under S's keys
 * are copied, the rest drawn and kept in C; returns, the sort, the
 * pipeline, orgs and ranking are made as gp_world_renew makes them.  The
 * world is byte for byte gp_world_renew's. */
struct gp_wcache;
gp_world *gp_world_renew_cached(gp_world *w, const gp_scenario *s, int rep, struct gp_wcache *c,
                                gp_err *err);
/* A world of the N proposals PROPS (copied; in submission order, as
 * gp_world_new sorts them), their reviewers' times REVIEW_DAYS (copied,
 * s->review.reviews a proposal, as gp_world.review_days; NULL: every
 * review takes no time), whose tranches first come online at ONLINE
 * (copied; s->ntranches of them): the rest of it (returning applicants'
 * draws, pipeline, failures, ranking) made as gp_world_new makes it.  For
 * worlds built by hand (tests). */
gp_world *gp_world_make(const gp_scenario *s, int rep, const gp_wprop *props,
                        const float *review_days, size_t n, const double *online, gp_err *err);
/* A world of jobs for trace replay: the N proposals PROPS (copied; in
 * submission order; designated, their estimates in `estimate`), each
 * accepted and ready at its submission (direct); tranches online as S
 * plans, no slip; no pipeline, no failures, no ranking. */
gp_world *gp_world_jobs(const gp_scenario *s, const gp_wprop *props, size_t n, gp_err *err);
void gp_world_free(gp_world *w);
/* Reviewer K's time on proposal or candidate ID of W, days. */
static inline double gp_world_review_days(const gp_world *w, size_t id, int k) {
  return (double)w->review_days[id * (size_t)w->nreviews + (size_t)k];
}

/* The roadmap as delivered in world W, whatever the policy: GPUs (all
 * shares) delivered and under agreement at time T, counting each tranche's
 * servers as they come online (after slip, over the ramp) and removing them
 * all at the agreement's end. */
double gp_world_installed_at(const gp_scenario *s, const gp_world *w, double t, double *h100e);
/* The first time installed GPUs reach s->target_gpus, or -1 if not by the
 * end of the scenario. */
double gp_world_target_reached(const gp_scenario *s, const gp_world *w);
/* The same from first-online times alone (what the two above use, and the
 * roadmap as planned: models/experiment/delivery.h): servers of TR online
 * at X when it first comes online at T0, in its ramp's batches when RAMPS,
 * else all at once; the GPUs under agreement at T with tranche i first
 * online at ONLINE[i] (NULL: its planned date); the first time they reach
 * the target, not after UNTIL (INFINITY: ever), -1 when never. */
int gp_world_nodes_at(const gp_tranche *tr, double t0, int ramps, double x);
double gp_world_installed_from(const gp_scenario *s, const double *online, int ramps, double t,
                               double *h100e);
double gp_world_reached_from(const gp_scenario *s, const double *online, int ramps, double until);

/* Node batches of tranche TR: all at once, or in equal steps at most a day
 * apart over the ramp (the first at t0, the last at t0 + ramp_days). */
int gp_world_batches(const gp_tranche *tr);
/* Batch B (of BATCHES) of TR first online at T0: its time, and in *UPTO the
 * nodes online after it. */
double gp_world_batch_at(const gp_tranche *tr, double t0, int batches, int b, int *upto);

/* Sources of randomness.  A stream is seeded from (seed, replication,
 * gp_world_stream(source, key)), the key naming the call, stream, tranche,
 * designation or policy; the numbers are part of every sample path: never
 * renumber them. */
enum { GP_SRC_ARRIVAL = 1, GP_SRC_SECTOR, GP_SRC_UNITS, GP_SRC_DURATION, GP_SRC_QUALITY,
       GP_SRC_USE, GP_SRC_REVIEW, GP_SRC_ONBOARD, GP_SRC_SLIP, GP_SRC_COUNT, GP_SRC_TYPE,
       GP_SRC_ORG, GP_SRC_WITHDRAW, GP_SRC_FAILURE, GP_SRC_POLICY, GP_SRC_RETURN, GP_NSRC };
uint64_t gp_world_stream(int src, uint64_t key);

#endif /* GP_WORLD_H */
