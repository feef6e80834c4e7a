/*
 * models/rules/registry.h - the registry of allocation rules: names to rule
 * types (the tables of rule.h).
 *
 * Scenarios name rules; the scenario loader (models/scenario/, a layer
 * above) looks the names up here and checks a policy's parameters against
 * the types' `params`; `gpuplan policies` lists the registry.  To add a rule,
 * add one line to the lists in registry.c (models/rules/README.md).
 */
#ifndef GP_REGISTRY_H
#define GP_REGISTRY_H

#include "models/rules/rule.h"

/* Every rule, NULL-terminated, in the order `gpuplan policies` lists them
 * and error messages offer them. */
extern const gp_selection_type *const gp_selection_types[];
extern const gp_scheduling_type *const gp_scheduling_types[];

/* The defaults of a policy that names no rule. */
extern const gp_selection_type *const gp_selection_fcfs;
extern const gp_selection_type *const gp_selection_score;
extern const gp_scheduling_type *const gp_scheduling_fcfs;

/* Look up a rule by name; NULL if unknown. */
const gp_selection_type *gp_selection_find(const char *name);
const gp_scheduling_type *gp_scheduling_find(const char *name);

#endif /* GP_REGISTRY_H */
