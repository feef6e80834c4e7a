/*
 * models/policy.c - the registry of allocation rules, and the first ones.
 *
 * To add a rule: define a gp_selection_type or gp_scheduling_type (in its own
 * file when it is more than a few lines) and add its address to the registry
 * array below.  Nothing else in gpuplan needs to change: scenarios name rules,
 * and the loader looks them up here.
 */
#include "models/policy.h"

#include <string.h>

#include "models/run_int.h"

/* ---- selection: fcfs ----
 * Accept in submission order every request that could ever fit the pool
 * (requests larger than any tranche are rejected: they would wait forever). */
static void fcfs_decide(gp_run *run, gp_proj **batch, size_t n) {
  for (size_t i = 0; i < n; i++)
    batch[i]->accepted = batch[i]->w->servers <= gp_run_max_servers(run, batch[i]);
}

static const gp_selection_type fcfs_selection = {
    "fcfs", "accept in submission order every request that fits the pool", fcfs_decide};

/* ---- scheduling: fcfs ----
 * Strict first-come-first-served per pool: the project that became ready
 * first starts first; while it cannot start, nobody behind it does. */
static void fcfs_schedule(gp_run *run, int pool) {
  gp_queue *q = &run->queues[pool];
  while (q->head) {
    int t = gp_run_fit(run, q->head);
    if (t < 0) break;
    gp_run_start(run, q->head, t);
  }
}

static const gp_scheduling_type fcfs_scheduling = {
    "fcfs", "start projects in the order they became ready; the first blocks the rest",
    fcfs_schedule};

const gp_selection_type *const gp_selection_fcfs = &fcfs_selection;
const gp_scheduling_type *const gp_scheduling_fcfs = &fcfs_scheduling;

const gp_selection_type *const gp_selection_types[] = {&fcfs_selection, NULL};
const gp_scheduling_type *const gp_scheduling_types[] = {&fcfs_scheduling, NULL};

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
