/*
 * models/policy.c - the registry of allocation rules, and the first ones.
 *
 * To add a rule: define a gp_selection_type or gp_scheduling_type (in its own
 * file when it is more than a few lines) and add its address to the registry
 * arrays below.  Nothing else in gpuplan needs to change: scenarios name rules,
 * and the loader looks them up here.  models/README.md has the details.
 */
#include "models/policy.h"

#include <stdlib.h>
#include <string.h>

#include "models/run_int.h"

/* Budget rule shared by the rules below: the batch's proposals are taken in
 * the rule's order and awarded whole (all-or-nothing) while the call's budget
 * for their GPU type lasts.  The first request of a type that no longer fits
 * closes that type: nobody further down is funded from it, as when a
 * committee funds a ranked list from the top until the money runs out.
 * Requests larger than any tranche of the pool can never start and are
 * refused without closing anything. */
typedef struct award_state {
  unsigned char closed[GP_MAX_GPU_TYPES];
} award_state;

static void award_in_order(gp_run *run, gp_batch *b, gp_proj **order) {
  award_state st;
  memset(&st, 0, sizeof st);
  for (size_t i = 0; i < b->n; i++) {
    gp_proj *p = order[i];
    int g = p->w->gpu_type;
    long long *cap = &b->capacity[g];
    if (st.closed[g] || p->w->units > gp_run_max_units(run, p)) continue;
    if (*cap >= 0 && *cap < p->w->units) {
      st.closed[g] = 1;
      continue;
    }
    if (*cap >= 0) *cap -= p->w->units;
    p->accepted = 1;
  }
}

/* ---- selection: fcfs ----
 * In submission order while the budget lasts. */
static void fcfs_decide(gp_run *run, gp_batch *b) { award_in_order(run, b, b->p); }

/* ---- selection: score ----
 * By review score, best first (ties: earlier submission), while the budget
 * lasts. */
static int by_score(const void *a, const void *b) {
  const gp_proj *x = *(gp_proj *const *)a, *y = *(gp_proj *const *)b;
  if (x->w->score != y->w->score) return x->w->score > y->w->score ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static void score_decide(gp_run *run, gp_batch *b) {
  gp_proj **order = malloc(b->n * sizeof *order);
  if (!order) { /* no memory to sort: fall back to submission order */
    fcfs_decide(run, b);
    return;
  }
  memcpy(order, b->p, b->n * sizeof *order);
  qsort(order, b->n, sizeof *order, by_score);
  award_in_order(run, b, order);
  free(order);
}

static const gp_selection_type fcfs_selection = {
    "fcfs", "accept in submission order while the call's budget per GPU type lasts (all-or-nothing)",
    fcfs_decide};
static const gp_selection_type score_selection = {
    "score", "accept by review score, best first, while the call's budget per GPU type lasts (all-or-nothing)",
    score_decide};

/* ---- scheduling: fcfs ----
 * Strict first-come-first-served per pool: the project that became ready
 * first starts first, on the first tranche (in scenario order) of its GPU
 * type with room; while it cannot start, nobody behind it does. */
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
const gp_selection_type *const gp_selection_score = &score_selection;
const gp_scheduling_type *const gp_scheduling_fcfs = &fcfs_scheduling;

const gp_selection_type *const gp_selection_types[] = {&score_selection, &fcfs_selection, NULL};
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
