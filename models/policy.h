/*
 * models/policy.h - the registry of allocation rules.
 *
 * A policy is a named pair {selection, scheduling}.  Each rule is a constant
 * table of function pointers, looked up by name from the registry, the way
 * gsl_rng_mt19937 names a gsl_rng_type.  Adding a rule is one file defining
 * its type plus one line in the registry array in policy.c.
 *
 *   selection:  who is accepted, given a batch of proposals to decide at once
 *   scheduling: when and on which servers accepted projects start
 */
#ifndef GP_POLICY_H
#define GP_POLICY_H

#include <stddef.h>

struct gp_run;
struct gp_proj;

typedef struct gp_selection_type {
  const char *name;
  const char *doc;
  /* Decide the N proposals in BATCH (in submission order): set each one's
   * accepted flag.  Capacity questions are asked of RUN. */
  void (*decide)(struct gp_run *run, struct gp_proj **batch, size_t n);
} gp_selection_type;

typedef struct gp_scheduling_type {
  const char *name;
  const char *doc;
  /* Start what can start in pool POOL now (called after every arrival to the
   * pool's queue and every release of its servers). */
  void (*schedule)(struct gp_run *run, int pool);
} gp_scheduling_type;

extern const gp_selection_type *const gp_selection_fcfs;
extern const gp_scheduling_type *const gp_scheduling_fcfs;

/* Look up a rule by name; NULL if unknown. */
const gp_selection_type *gp_selection_find(const char *name);
const gp_scheduling_type *gp_scheduling_find(const char *name);
/* The registry, NULL-terminated, for listing and for error messages. */
extern const gp_selection_type *const gp_selection_types[];
extern const gp_scheduling_type *const gp_scheduling_types[];

#endif /* GP_POLICY_H */
