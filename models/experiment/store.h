/*
 * models/experiment/store.h - the results of one point of a plan, in memory,
 * until the writer puts them in the file.
 *
 * Every result has a slot indexed by (policy, replication), never a place
 * in a shared list, so what is stored does not depend on which thread or
 * rank computed what, or when: the file is the same whatever their number,
 * and a precision-driven run's the same as a plain run of as many
 * replications (detail included).
 * Arrays are sized once for cap_reps replications (more than the first
 * batch when a precision target may add batches); a replication's detail
 * (per-proposal rows, time series) is kept for the first detail_cap
 * replications only.
 *
 * Ownership: a store owns its arrays and the detail runs' buffers;
 * gp_store_free releases them.  It borrows its scenario.
 */
#ifndef GP_STORE_H
#define GP_STORE_H

#include <stddef.h>

#include "models/results/results.h"
#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "sim/err.h"

struct gp_design;

typedef struct gp_store {
  const gp_scenario *s;     /* the point's scenario (borrowed) */
  int npol;                 /* policies, s->npolicies */
  int cap_reps;             /* replications the arrays hold */
  int nreps;                /* replications 0..nreps-1 run (not all of them ok after a failure) */
  int detail_cap;           /* replications 0..detail_cap-1 keep their detail: the detail array's
                             * stride; of cap_reps, not of the first batch, so that a precision
                             * run keeps as many as a plain run of as many replications */
  int ndetail;              /* of those, the ones run: min(detail_cap, nreps), what the file gets */
  size_t norigins;          /* demand sources: call rows per policy-replication */
  size_t nsamples;          /* time-series samples of a detailed run */
  gp_summary_row *summary;  /* [policy][rep < cap_reps] */
  gp_call_row *calls;       /* [policy][rep < cap_reps][origin] */
  gp_run_out *detail;       /* [policy][rep < detail_cap]; zeroed until run */
  gp_roadmap_row *roadmap;  /* [rep < cap_reps] */
  double *online;           /* [rep < cap_reps][tranche]: first-online times, slips drawn, days */
  unsigned char *rep_ok;    /* [rep < cap_reps]: 1 once every policy's results of rep are here */
  const struct gp_design *design; /* NULL, or the point's two-level design: replication r plays
                             * gp_design_scenario(design, r) (borrowed; reserved for cap_reps) */
} gp_store;

/* Size ST for scenario S and CAP_REPS replications (>= s->replications).
 * On failure ST is still safe to pass to gp_store_free. */
int gp_store_init(gp_store *st, const gp_scenario *s, int cap_reps, gp_err *err);
void gp_store_free(gp_store *st);

static inline gp_summary_row *gp_store_summary(const gp_store *st, int p, int rep) {
  return st->summary + (size_t)p * (size_t)st->cap_reps + (size_t)rep;
}
/* The norigins call rows of policy P, replication REP. */
static inline gp_call_row *gp_store_calls(const gp_store *st, int p, int rep) {
  return st->calls + ((size_t)p * (size_t)st->cap_reps + (size_t)rep) * st->norigins;
}
/* The detail of policy P, replication REP < detail_cap. */
static inline gp_run_out *gp_store_detail(const gp_store *st, int p, int rep) {
  return st->detail + (size_t)p * (size_t)st->detail_cap + (size_t)rep;
}

/* Replications 0..NREPS-1 have been run (not all of them ok after a
 * failure or an interrupt): nreps and ndetail follow. */
void gp_store_ran(gp_store *st, int nreps);

/* Keep only the replications 0..n-1 that all finished (after an interrupt:
 * a later one that finished before an earlier one is dropped, so that the
 * store holds what a run of n replications would have).  Returns n. */
int gp_store_keep_complete(gp_store *st);

/* The roadmap risk over the stored replications: the probability of
 * reaching the target by its date, with a 95% Wilson interval, and
 * quantiles of the date it is reached. */
typedef struct gp_store_risk {
  double p, lo, hi;     /* probability and its 95% interval; NaN without replications */
  double q10, q50, q90; /* quantiles of the date reached, days; NaN = not by the end */
  double ever[3];       /* the same at 10, 50, 90% with no cap at the simulated end (the
                         * tranches' draws alone, as gp_store_plan's q10..q90); NaN = never */
  double planned_peak;  /* the most GPUs under agreement at once as planned */
} gp_store_risk;
void gp_store_roadmap_risk(const gp_store *st, gp_store_risk *r);

/* The first-online times of replication REP's s->ntranches tranches. */
static inline double *gp_store_online(const gp_store *st, int rep) {
  return st->online + (size_t)rep * (size_t)st->s->ntranches;
}

/* The roadmap as planned beside the roadmap as delivered (delivery.h), over
 * the stored replications, when the scenario has a target: /roadmap's plan
 * attributes and the rows of /roadmap_tranches. */
typedef struct gp_store_plan {
  double planned_at_target; /* GPUs under agreement at the target date as planned */
  double planned_reached;   /* date the target is reached as planned, days; NaN = never */
  double planned_peak;      /* the most GPUs ever under agreement at once as planned */
  double never_planned;     /* target - GPUs planned online by the date (ends ignored); < 0: more */
  double ended;             /* GPUs planned online by the date whose agreement ended by then */
  double late, ramping;     /* means over replications, GPUs (sums of the tranches' rows) */
  double q10, q50, q90;     /* quantiles of the date reached with no cap at the simulated end,
                             * days; NaN = never */
} gp_store_plan;
/* Fill PL and ROWS[s->ntranches].  Returns -1 with ERR set when out of
 * memory. */
int gp_store_roadmap_plan(const gp_store *st, gp_store_plan *pl, gp_roadmap_tranche_row *rows,
                          gp_err *err);

/* The summary metrics whose precision a precision target controls. */
extern const char *const gp_store_precision_metrics[];
/* The largest relative 95% half-width (half-width / |mean|) of those
 * metrics over the policies (a metric whose mean is 0 or NaN does not
 * count); HUGE_VAL with fewer than 2 replications. */
double gp_store_precision(const gp_store *st);

#endif /* GP_STORE_H */
