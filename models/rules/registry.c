/*
 * models/rules/registry.c - the registry of allocation rules (see
 * registry.h).
 *
 * One line per rule: a selection rule NAME is the gp_selection_type
 * gp_sel_NAME defined in sel_NAME.c, a scheduling rule the
 * gp_scheduling_type gp_sched_NAME in sched_NAME.c.  The lists' order is the
 * order `gpuplan policies` shows.
 */
#include "models/rules/registry.h"

#include <string.h>

#define SELECTION_RULES(X)                                                                    \
  X(score)                                                                                    \
  X(fcfs)                                                                                     \
  X(quota)                                                                                    \
  X(lottery)                                                                                  \
  X(proportional)                                                                             \
  X(org_cap)                                                                                  \
  X(regional)                                                                                 \
  /* (one line per rule, above this one) */

#define SCHEDULING_RULES(X)                                                                   \
  X(fcfs)                                                                                     \
  X(priority)                                                                                 \
  X(easy)                                                                                     \
  X(conservative)                                                                             \
  X(hetero)                                                                                   \
  /* (one line per rule, above this one) */

#define DECLARE_SELECTION(name) extern const gp_selection_type gp_sel_##name;
#define DECLARE_SCHEDULING(name) extern const gp_scheduling_type gp_sched_##name;
SELECTION_RULES(DECLARE_SELECTION)
SCHEDULING_RULES(DECLARE_SCHEDULING)

#define SELECTION_ADDRESS(name) &gp_sel_##name,
#define SCHEDULING_ADDRESS(name) &gp_sched_##name,
const gp_selection_type *const gp_selection_types[] = {SELECTION_RULES(SELECTION_ADDRESS) NULL};
const gp_scheduling_type *const gp_scheduling_types[] = {SCHEDULING_RULES(SCHEDULING_ADDRESS) NULL};

const gp_selection_type *const gp_selection_fcfs = &gp_sel_fcfs;
const gp_selection_type *const gp_selection_score = &gp_sel_score;
const gp_scheduling_type *const gp_scheduling_fcfs = &gp_sched_fcfs;

const gp_selection_type *gp_selection_find(const char *name) {
  for (int i = 0; gp_selection_types[i]; i++)
    if (strcmp(gp_selection_types[i]->name, name) == 0) return gp_selection_types[i];
  return NULL;
}

const gp_scheduling_type *gp_scheduling_find(const char *name) {
  for (int i = 0; gp_scheduling_types[i]; i++)
    if (strcmp(gp_scheduling_types[i]->name, name) == 0) return gp_scheduling_types[i];
  return NULL;
}
