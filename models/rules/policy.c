/*
 * models/rules/policy.c - the registry of allocation rules, and the first ones.
 *
 * To add a rule: define a gp_selection_type or gp_scheduling_type (in its own
 * file when it is more than a few lines) and add its address to the registry
 * arrays below.  Nothing else in gpuplan needs to change: scenarios name rules,
 * and the loader looks them up here.  models/README.md has the details.
 */
#include "models/rules/policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/policy_int.h"
#include "sim/sort.h"

/* Budget rule shared by the rules: see policy_int.h. */
void gp_award_in_order(gp_run *run, gp_batch *b, gp_proj **order, size_t n) {
  unsigned char closed[GP_MAX_GPU_TYPES] = {0};
  for (size_t i = 0; i < n; i++) {
    gp_proj *p = order[i];
    int g = p->w->gpu_type;
    long long *cap = &b->capacity[g];
    if (p->accepted || closed[g] || p->w->units > gp_run_max_units(run, p)) continue;
    if (*cap >= 0 && *cap < p->w->units) {
      closed[g] = 1;
      continue;
    }
    if (*cap >= 0) *cap -= p->w->units;
    p->accepted = 1;
    p->units = p->w->units;
  }
}

double gp_key_score(const gp_run *run, const gp_proj *p) {
  (void)run;
  return p->w->score;
}

/* Batch B in score order from the world's ranking: mark each member's place,
 * then read the marks in order (the bits are left 0).  Returns 0, or -1 when
 * a member has no place (a NaN score). */
static int by_score_rank(gp_batch *b, const gp_run *run, gp_proj **order) {
  const gp_ranking *rk = &run->w->ranking;
  uint64_t *bits = run->rank_bits;
  size_t lo = SIZE_MAX, hi = 0;
  for (size_t i = 0; i < b->n; i++) {
    uint32_t r = rk->rank[b->p[i]->id];
    if (r == UINT32_MAX) {
      for (size_t j = 0; j < i; j++) bits[rk->rank[b->p[j]->id] / 64] = 0;
      return -1;
    }
    bits[r / 64] |= (uint64_t)1 << (r % 64);
    if (r / 64 < lo) lo = r / 64;
    if (r / 64 > hi) hi = r / 64;
  }
  size_t j = 0;
  for (size_t wi = lo; wi <= hi && j < b->n; wi++) {
    uint64_t x = bits[wi];
    bits[wi] = 0;
    for (; x; x &= x - 1)
      order[j++] = &run->projs[rk->by_rank[wi * 64 + (size_t)__builtin_ctzll(x)]];
  }
  return 0;
}

gp_proj **gp_sorted_by(gp_batch *b, double (*key)(const gp_run *run, const gp_proj *p),
                       const gp_run *run) {
  /* By score: read the batch off the world's ranking (made once for every
   * policy that ranks by score) rather than sort it. */
  if (key == gp_key_score && run->rank_bits && b->n > 0) {
    gp_proj **order = malloc(b->n * sizeof *order);
    if (order && by_score_rank(b, run, order) == 0) return order;
    free(order);
  }
  size_t n = b->n ? b->n : 1;
  gp_keyed *k = malloc(2 * n * sizeof *k);
  gp_proj **order = malloc(n * sizeof *order);
  if (!k || !order) {
    free(k);
    free(order);
    return NULL;
  }
  /* Best first, ties by id: ascending -key (negation is exact). */
  for (size_t i = 0; i < b->n; i++) k[i] = (gp_keyed){-key(run, b->p[i]), b->p[i]->id, b->p[i]};
  gp_sort_keyed(k, k + n, b->n);
  for (size_t i = 0; i < b->n; i++) order[i] = k[i].p;
  free(k);
  return order;
}

double gp_policy_param(const gp_run *run, const char *name) {
  const gp_policy_spec *ps = run->pol;
  for (int i = 0; i < ps->nparams; i++)
    if (strcmp(ps->param_names[i], name) == 0) return ps->param_values[i];
  const gp_param *lists[2] = {ps->selection->params, ps->scheduling->params};
  for (int l = 0; l < 2; l++)
    for (const gp_param *q = lists[l]; q && q->name; q++)
      if (strcmp(q->name, name) == 0) return q->def;
  return NAN; /* a rule asked for a parameter it does not declare: a bug */
}

/* ---- selection: fcfs ----
 * In submission order while the budget lasts. */
static void fcfs_decide(gp_run *run, gp_batch *b) { gp_award_in_order(run, b, b->p, b->n); }

/* ---- selection: score ----
 * By review score, best first (ties: earlier submission), while the budget
 * lasts. */
static void score_decide(gp_run *run, gp_batch *b) {
  gp_proj **order = gp_sorted_by(b, gp_key_score, run);
  if (!order) { /* no memory to sort: submission order */
    fcfs_decide(run, b);
    return;
  }
  gp_award_in_order(run, b, order, b->n);
  free(order);
}

static const gp_selection_type fcfs_selection = {
    "fcfs", "accept in submission order while the call's budget per GPU type lasts (all-or-nothing)",
    fcfs_decide, NULL, 0};
static const gp_selection_type score_selection = {
    "score", "accept by review score, best first, while the call's budget per GPU type lasts (all-or-nothing)",
    score_decide, NULL, 1};

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
    fcfs_schedule, NULL, 1};

const gp_selection_type *const gp_selection_fcfs = &fcfs_selection;
const gp_selection_type *const gp_selection_score = &score_selection;
const gp_scheduling_type *const gp_scheduling_fcfs = &fcfs_scheduling;

const gp_selection_type *const gp_selection_types[] = {
    &score_selection, &fcfs_selection, &gp_sel_quota, &gp_sel_lottery, &gp_sel_proportional,
    &gp_sel_org_cap, &gp_sel_regional, NULL};
const gp_scheduling_type *const gp_scheduling_types[] = {
    &fcfs_scheduling, &gp_sched_priority, &gp_sched_easy, &gp_sched_conservative, &gp_sched_hetero,
    NULL};

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
