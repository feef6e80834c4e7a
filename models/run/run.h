/*
 * models/run/run.h - one replication of one policy.
 *
 * A replication has two halves.  gp_world_new draws everything the world
 * does - when proposals arrive, what they ask for, how good they are, how
 * long review takes, when tranches really come online - from the RNG streams
 * of (seed, replication, source), independent of any policy.  gp_run_policy
 * then plays one policy against that world.  Every policy of replication r
 * sees the same world: common random numbers, so differences are paired.
 *
 * Ownership: a world and a run output are owned by the caller and freed with
 * their _free functions; both borrow the scenario, which must outlive them.
 */
#ifndef GP_RUN_H
#define GP_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "models/results/results.h"
#include "models/scenario/scenario.h"
#include "sim/err.h"

/* One proposal as the world makes it: everything about it that does not
 * depend on the policy, drawn before any policy runs. */
typedef struct gp_wprop {
  double submitted;      /* days */
  double screening_days; /* administrative screening */
  double score;          /* mean of the reviews: quality + noise */
  double onboard_days;   /* decision -> ready to start */
  double duration;       /* days held once started */
  double quality;        /* hidden true quality */
  double use;            /* fraction of the allocation really used */
  double withdraw_at;    /* absolute time it withdraws, days; HUGE_VAL = never */
  float review_days[GP_MAX_REVIEWS]; /* each reviewer's time on it */
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

typedef struct gp_world {
  int rep;
  gp_wprop *props;     /* sorted by submission time (ties: origin order) */
  size_t n;
  double *online;      /* per tranche: actual first-online time after slip, days */
} gp_world;

gp_world *gp_world_new(const gp_scenario *s, int rep, gp_err *err);

/* The roadmap as delivered in world W, whatever the policy: GPUs (all
 * shares) delivered and under agreement at time T, counting each tranche's
 * servers as they come online (after slip, over the ramp) and removing them
 * all at the agreement's end. */
double gp_world_installed_at(const gp_scenario *s, const gp_world *w, double t, double *h100e);
/* The first time installed GPUs reach s->target_gpus, or -1 if not by the
 * end of the scenario. */
double gp_world_target_reached(const gp_scenario *s, const gp_world *w);
void gp_world_free(gp_world *w);

typedef struct gp_run_out {
  gp_summary_row summary;
  gp_call_row *calls;     /* one row per demand source (gp_scenario_norigins) */
  gp_proposal_row *props; /* NULL unless DETAIL; one row per proposal of the world */
  size_t nprops;
  double *ts;             /* NULL unless DETAIL; gp_run_nseries x nsamples, series-major:
                           * GP_NTS programme series, then GP_NTTS per tranche */
  size_t nsamples;
  uint64_t events;        /* kernel events fired */
} gp_run_out;

/* Number of time-series samples a run of S produces (t = 0, dt, 2dt, ... <= end). */
size_t gp_run_nsamples(const gp_scenario *s);
/* Number of series: GP_NTS + GP_NTTS x tranches. */
size_t gp_run_nseries(const gp_scenario *s);
/* Play policy POLICY (index into s->policies) against W.  With DETAIL, fill
 * per-proposal rows and time series too. */
int gp_run_policy(const gp_scenario *s, const gp_world *w, int policy, int detail,
                  gp_run_out *out, gp_err *err);
void gp_run_out_free(gp_run_out *out);

/* A runner plays policies against worlds, one run at a time, keeping what
 * it allocated (projects, queues, per-tranche lists) from one run to the
 * next, and what a world's runs share (its node failures, which no policy
 * changes) from one policy to the next: one runner per thread.  It borrows
 * the scenario; each world must live while it is being played. */
typedef struct gp_runner gp_runner;

gp_runner *gp_runner_new(const gp_scenario *s);
/* gp_run_policy through R: the same results, without allocating afresh. */
int gp_runner_play(gp_runner *r, const gp_world *w, int policy, int detail, gp_run_out *out,
                   gp_err *err);
void gp_runner_free(gp_runner *r);

#endif /* GP_RUN_H */
