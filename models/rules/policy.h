/*
 * models/rules/policy.h - the registry of allocation rules.
 *
 * A policy is a named pair {selection, scheduling}.  Each rule is a constant
 * table of function pointers, looked up by name from the registry, the way
 * gsl_rng_mt19937 names a gsl_rng_type.  Adding a rule is one file defining
 * its type plus one line in the registry arrays in policy.c.
 *
 *   selection:  who is accepted, given a batch of proposals a committee
 *               decides at once and the budget left in their call
 *   scheduling: when and on which servers accepted projects start
 */
#ifndef GP_POLICY_H
#define GP_POLICY_H

#include <stddef.h>

struct gp_run;
struct gp_proj;

/* What a committee decides: N undecided proposals of one source, in
 * submission order, and the units left in the source's budget per GPU type
 * (capacity[g] < 0: no budget limit).  The rule sets each proposal's
 * `accepted` and takes what it awards from `capacity`. */
typedef struct gp_batch {
  struct gp_proj **p;
  size_t n;
  long long *capacity;
} gp_batch;

/* A rule's numeric parameter, set in a scenario's policy under "params". */
typedef struct gp_param {
  const char *name;
  double def;        /* default */
  double min, max;   /* accepted range */
  const char *doc;
} gp_param;

#define GP_MAX_PARAMS 8

typedef struct gp_selection_type {
  const char *name;
  const char *doc;
  void (*decide)(struct gp_run *run, gp_batch *b);
  const gp_param *params; /* NULL-name terminated; NULL = none */
  /* 1 if decide takes batches best score first (gp_sorted_by with
   * gp_key_score): worlds of a scenario with such a policy rank their
   * proposals by score once, when they are made.  A speed-up only: without
   * the ranking a batch is sorted, to the same order. */
  int by_score;
} gp_selection_type;

typedef struct gp_scheduling_type {
  const char *name;
  const char *doc;
  /* Start what can start in pool POOL now (called after every arrival to the
   * pool's queue and every release or arrival of its capacity). */
  void (*schedule)(struct gp_run *run, int pool);
  const gp_param *params;
  /* 1 if what schedule starts depends only on the pool's queue and its
   * tranches' free units (not on the time, nor on running projects' ends or
   * failed servers): a run then skips the call after an event that changed
   * neither, as a repaired server going back to its project (a speed-up
   * that moves no result). 0 is always safe. */
  int capacity_only;
} gp_scheduling_type;

/* The value of parameter NAME of the run's policy (its default when the
 * scenario does not set it). */
double gp_policy_param(const struct gp_run *run, const char *name);

extern const gp_selection_type *const gp_selection_fcfs;
extern const gp_selection_type *const gp_selection_score;
extern const gp_selection_type gp_sel_quota, gp_sel_lottery, gp_sel_proportional, gp_sel_org_cap,
    gp_sel_regional;
extern const gp_scheduling_type *const gp_scheduling_fcfs;
extern const gp_scheduling_type gp_sched_priority, gp_sched_easy, gp_sched_conservative,
    gp_sched_hetero;

/* Look up a rule by name; NULL if unknown. */
const gp_selection_type *gp_selection_find(const char *name);
const gp_scheduling_type *gp_scheduling_find(const char *name);
/* The registry, NULL-terminated, for listing and for error messages. */
extern const gp_selection_type *const gp_selection_types[];
extern const gp_scheduling_type *const gp_scheduling_types[];

#endif /* GP_POLICY_H */
