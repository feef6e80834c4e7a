/*
 * models/run/access.c - the run's side of the rules' door
 * (models/rules/rule.h): what a rule may ask of a run and do to it, and the
 * helpers every selection rule shares (award in order, sort a batch).
 *
 * The helpers live here, beside the run's state, rather than in
 * models/rules/: they run for every proposal of every committee, and here
 * they read the fields directly instead of through a call per field.
 *
 * Invariant: a rule changes a run only through gp_proj_accept (selection)
 * and gp_rule_start / gp_rule_start_as (scheduling); the rest reads.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/run/run_int.h"
#include "sim/sort.h"
#include "sim/vec.h"

/* ---- the run ---- */

double gp_rule_now(const gp_run *run) { return run_now(run); }

double gp_rule_param(const gp_run *run, const char *name) {
  const gp_policy_spec *ps = run->pol;
  for (int i = 0; i < ps->nparams; i++)
    if (strcmp(ps->param_names[i], name) == 0) return ps->param_values[i];
  const gp_param *lists[2] = {ps->selection->params, ps->scheduling->params};
  for (int l = 0; l < 2; l++)
    for (const gp_param *q = lists[l]; q && q->name; q++)
      if (strcmp(q->name, name) == 0) return q->def;
  return NAN; /* a rule asked for a parameter it does not declare: a bug */
}

gsl_rng *gp_rule_rng(gp_run *run) { return run->policy_rng; }

void **gp_rule_state(gp_run *run) { return &run->rule_state; }
size_t gp_rule_nprojects(const gp_run *run) { return run->nprojs; }
int gp_rule_npools(const gp_run *run) { return run->s->npools; }

int gp_rule_fail(gp_run *run, int code, const char *fmt, ...) {
  char msg[sizeof ((gp_err *)0)->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return gp_sim_fail(run->sim, code, "%s", msg);
}

/* ---- selection ---- */

long long gp_rule_call_budget(const gp_run *run, int origin, int g) {
  if (origin < 0 || origin >= run->s->ncalls || g < 0 || g >= GP_MAX_GPU_TYPES) return -1;
  return run->s->calls[origin].capacity[g];
}

long long gp_rule_org_units(const gp_run *run, int origin, int32_t org) {
  long long u = 0;
  for (size_t i = 0; i < run->nprojs; i++) { /* a candidate that never came is undecided */
    const gp_proj *q = &run->projs[i];
    if (q->w->origin == origin && q->w->org == org && q->accepted && q->decided >= 0) u += q->units;
  }
  return u;
}

int gp_rule_max_units(const gp_run *run, const gp_proj *p) {
  return run->max_units[proj_pool(run, p) * run->s->ngpu_types + p->w->gpu_type];
}

void gp_rule_award(gp_run *run, gp_batch *b, gp_proj **order, size_t n) {
  unsigned char closed[GP_MAX_GPU_TYPES] = {0};
  for (size_t i = 0; i < n; i++) {
    gp_proj *p = order[i];
    int g = p->w->gpu_type;
    long long *cap = &b->capacity[g];
    if (p->accepted || closed[g] || p->w->units > gp_rule_max_units(run, p)) continue;
    if (*cap >= 0 && *cap < p->w->units) {
      closed[g] = 1;
      continue;
    }
    if (*cap >= 0) *cap -= p->w->units;
    p->accepted = 1;
    p->units = p->w->units;
  }
}

int gp_rule_sort(gp_run *run, const gp_batch *b, double (*key)(const gp_run *run, const gp_proj *p),
                 gp_proj **order) {
  gp_keyed *k = gp_rule_alloc(run, 2 * (b->n ? b->n : 1), sizeof *k);
  if (!k) return -1;
  /* Best first, ties by id: ascending -key (negation is exact). */
  for (size_t i = 0; i < b->n; i++) k[i] = (gp_keyed){-key(run, b->p[i]), b->p[i]->id, b->p[i]};
  gp_sort_keyed(k, k + b->n, b->n);
  for (size_t i = 0; i < b->n; i++) order[i] = k[i].p;
  free(k);
  return 0;
}

static double key_score(const gp_run *run, const gp_proj *p) {
  (void)run;
  return p->w->score;
}

/* Batch B in score order from the world's ranking: mark each member's place,
 * then read the marks in order (the bits are left 0).  Returning proposals
 * (ids >= n: their scores are the run's, so they have no place) are sorted
 * apart, few as they are, and merged in by (-score, id), the order of the
 * ranking and of gp_rule_sort.  Returns 0; 1, nothing done, when a member
 * of the world has no place (a NaN score) or a returning one a NaN score;
 * -1 when out of memory (the run failed). */
static int by_rank(const gp_batch *b, gp_run *run, gp_proj **order) {
  const gp_ranking *rk = &run->w->ranking;
  uint64_t *bits = run->rank_bits;
  size_t lo = SIZE_MAX, hi = 0, nr = 0, n = b->n;
  for (size_t i = 0; i < n; i++) {
    if ((size_t)b->p[i]->id >= run->w->n) {
      nr++;
      continue;
    }
    uint32_t r = rk->rank[b->p[i]->id];
    if (r == UINT32_MAX) {
      for (size_t j = 0; j < i; j++)
        if ((size_t)b->p[j]->id < run->w->n) bits[rk->rank[b->p[j]->id] / 64] = 0;
      return 1;
    }
    bits[r / 64] |= (uint64_t)1 << (r % 64);
    if (r / 64 < lo) lo = r / 64;
    if (r / 64 > hi) hi = r / 64;
  }
  gp_keyed *k = NULL;
  if (nr) { /* the returning ones, sorted, before the marks are read */
    k = gp_rule_alloc(run, 2 * nr, sizeof *k);
    size_t m = 0;
    for (size_t i = 0; k && i < n; i++)
      if ((size_t)b->p[i]->id >= run->w->n) {
        if (isnan(b->p[i]->w->score)) break;
        k[m++] = (gp_keyed){-b->p[i]->w->score, b->p[i]->id, b->p[i]};
      }
    if (!k || m < nr) {
      for (size_t wi = lo; wi <= hi; wi++) bits[wi] = 0;
      free(k);
      return k ? 1 : -1;
    }
    gp_sort_keyed(k, k + nr, nr);
  }
  /* The world's members in rank order, after room for the returning ones,
   * then merged forward (the merge never overtakes what it reads). */
  size_t j = nr;
  for (size_t wi = lo; wi <= hi && j < n; wi++) {
    uint64_t x = bits[wi];
    bits[wi] = 0;
    for (; x; x &= x - 1)
      order[j++] = &run->projs[rk->by_rank[wi * 64 + (size_t)__builtin_ctzll(x)]];
  }
  if (nr) {
    size_t i = nr, r = 0, o = 0;
    while (r < nr) {
      /* a world member's id is below every returning one's: it goes first on a tie */
      if (i < n && -order[i]->w->score <= k[r].key) order[o++] = order[i++];
      else order[o++] = k[r++].p;
    }
    free(k);
  }
  return 0;
}

int gp_rule_by_score(gp_run *run, const gp_batch *b, gp_proj **order) {
  /* Read the batch off the world's ranking (made once for every policy
   * that ranks by score) rather than sort it. */
  if (run->rank_bits && b->n > 0) {
    int rc = by_rank(b, run, order);
    if (rc <= 0) return rc;
  }
  return gp_rule_sort(run, b, key_score, order);
}

/* ---- tranches and the queue ---- */

int gp_rule_ntranches(const gp_run *run) { return run->s->ntranches; }
int gp_rule_tranche_pool(const gp_run *run, int t) { return run->s->tranches[t].pool; }
int gp_rule_tranche_type(const gp_run *run, int t) { return run->s->tranches[t].gpu_type; }
int gp_rule_tranche_ended(const gp_run *run, int t) { return run->ts[t].ended; }
double gp_rule_type_speed(const gp_run *run, int g) { return run->s->gpu_types[g].h100_equiv; }
int gp_rule_unit_gpus(const gp_run *run, int t) { return unit_gpus(run, t); }
int gp_rule_proj_unit_gpus(const gp_run *run, const gp_proj *p) { return proj_unit_gpus(run, p); }
long long gp_rule_free_units(const gp_run *run, int t) { return free_units(run, t); }

int gp_rule_serves(const gp_run *run, const gp_proj *p, int t, int type) {
  return tranche_serves(run, p, t, type);
}

int gp_rule_fit(const gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  int pool = proj_pool(run, p);
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tranche *tr = &s->tranches[t];
    if (tr->pool == pool && tr->gpu_type == p->w->gpu_type && !run->ts[t].ended &&
        free_units(run, t) >= p->units)
      return t;
  }
  return -1;
}

double gp_rule_reservation(gp_run *run, const gp_proj *p, int *tranche, long long *spare) {
  return gp_cap_reservation(run, p, tranche, spare);
}

size_t gp_rule_nrunning(const gp_run *run, int t) { return run->ts[t].nrunning; }
const gp_proj *gp_rule_running(const gp_run *run, int t, size_t i) { return run->ts[t].running[i]; }

double gp_rule_release(const gp_run *run, int t, size_t i, long long *frees) {
  const gp_proj *p = run->ts[t].running[i];
  *frees = p->units - p->failed;
  return proj_end(p);
}
gp_proj *gp_rule_queue(const gp_run *run, int pool) { return run->queues[pool].head; }

uint64_t gp_rule_changes(const gp_run *run, int pool) { return run->changes[pool]; }

void gp_rule_promise(gp_run *run, gp_proj *p, double t) {
  if (!run->promised_on) { /* the first promise of the run: every project without one */
    if (GP_VEC_RESERVE(run->promised, run->cappromised, run->nprojs, 1024)) {
      gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
      return;
    }
    for (size_t i = 0; i < run->nprojs; i++) run->promised[i] = -1;
    run->promised_on = 1;
  }
  if (run->promised[p->id] < 0) run->promised[p->id] = t;
}

int gp_rule_wake(gp_run *run, gp_proj *p, double t) { return gp_ev_wake(run, p, t); }

void gp_rule_start(gp_run *run, gp_proj *p, int t) { gp_cap_start(run, p, t, p->units, p->w->duration); }

void gp_rule_start_as(gp_run *run, gp_proj *p, int t, int32_t units, double hold) {
  gp_cap_start(run, p, t, units, hold);
}
