/*
 * models/run/run.h - one replication of one policy.
 *
 * A replication has two halves.  gp_world_new (models/world/world.h) makes
 * everything no policy changes: proposals, slips, the review pipeline's
 * play, failures.  gp_run_policy then plays one policy against that world.
 * Every policy of replication r sees the same world: common random numbers,
 * so differences are paired.
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
#include "models/world/world.h"
#include "sim/err.h"

typedef struct gp_run_out {
  gp_summary_row summary;
  gp_call_row *calls;     /* one row per demand source (gp_scenario_norigins) */
  gp_proposal_row *props; /* NULL unless DETAIL; one row per proposal of the world */
  size_t nprops;
  double *ts;             /* NULL unless DETAIL; gp_run_nseries x nsamples, series-major:
                           * GP_NTS programme series, then GP_NTTS per tranche */
  size_t nsamples;
  double *promised;       /* NULL unless DETAIL in a world of jobs (trace replay) whose rule
                           * promised starts: per proposal, the first start its rule promised
                           * it (gp_rule_promise); NaN = none */
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
 * next: one runner per thread.  It borrows the scenario; each world must
 * live while it is being played. */
typedef struct gp_runner gp_runner;

gp_runner *gp_runner_new(const gp_scenario *s);
/* How far a run has come: its time NOW (the world's unit: days, or seconds
 * for a replayed trace) and the projects STARTED so far. */
typedef void gp_run_progress_fn(void *ctx, double now, size_t started);
/* R's runs call FN(CTX, ...) every 64 events (FN NULL: never), for a
 * progress line on a long run; the results do not change. */
void gp_runner_set_progress(gp_runner *r, gp_run_progress_fn *fn, void *ctx);
/* With ON, R's runs fill of a gp_run_out the summary row alone, and of it
 * every field but those gp_run_lean_omits names (NaN there): the calls rows
 * stay zero and the tail and equity metrics (tails.c) are not computed, for
 * a caller that reads a few fields of the summary (a design's measure,
 * models/experiment/measure.c).  The runs themselves do not change; DETAIL
 * is refused (-1) while ON. */
void gp_runner_set_lean(gp_runner *r, int on);
/* 1 if a lean run leaves NaN in the gp_summary_row field at byte OFFSET. */
int gp_run_lean_omits(size_t offset);
/* gp_run_policy through R: the same results, without allocating afresh. */
int gp_runner_play(gp_runner *r, const gp_world *w, int policy, int detail, gp_run_out *out,
                   gp_err *err);
void gp_runner_free(gp_runner *r);
/* Bytes a runner keeps per proposal of the world it plays whatever the
 * run (its record of the proposal's life; not the scratch of the summary's
 * quantiles, touched only for proposals decided or started), for memory
 * estimates, which are floors. */
size_t gp_runner_proposal_bytes(void);

#endif /* GP_RUN_H */
