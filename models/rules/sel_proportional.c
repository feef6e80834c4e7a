/*
 * models/rules/sel_proportional.c - partial grants in proportion.
 *
 * For each GPU type: when the requests that could ever fit the pool ask for
 * more than the budget, every request is scaled by budget / demand and
 * rounded down to whole units; the units left by rounding go, one each, to
 * the largest remainders (ties: better score).  A grant below min_units is
 * not useful and becomes a rejection, its units go back to the others in
 * the same way.  Within budget, everyone gets what they asked.  No grant
 * exceeds its request.
 */
#include <math.h>
#include <stdlib.h>

#include "models/rules/rule.h"

static const gp_param params[] = {
    {"min_units", 1, 1, 1000000, "smallest useful grant (servers, or GPUs in per-GPU pools)"},
    {NULL, 0, 0, 0, NULL}};

/* A request and its grant (the proposal's score and id copied in: the sort
 * below compares them often). */
typedef struct share {
  gp_proj *p;
  int32_t ask;   /* its request, units */
  int32_t id;
  double score;
  double exact;  /* request x factor */
  long long got; /* units granted so far */
} share;

static int by_remainder(const void *a, const void *b) {
  const share *x = a, *y = b;
  double rx = x->exact - (double)x->got, ry = y->exact - (double)y->got;
  if (rx != ry) return rx > ry ? -1 : 1;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static int decide(gp_run *run, gp_batch *b) {
  share *sh = gp_rule_alloc(run, b->n, sizeof *sh);
  if (!sh) return -1;
  long long min_units = (long long)gp_rule_param(run, "min_units");
  uint32_t present = 0; /* the GPU types asked for: the others have nothing to share */
  _Static_assert(GP_MAX_GPU_TYPES <= 32, "a type's bit must fit in 32 bits");
  for (size_t i = 0; i < b->n; i++) present |= (uint32_t)1 << gp_proj_gpu_type(b->p[i]);
  for (int g = 0; g < GP_MAX_GPU_TYPES; g++) {
    if (!(present >> g & 1)) continue;
    size_t n = 0;
    double demand = 0;
    for (size_t i = 0; i < b->n; i++) {
      gp_proj *p = b->p[i];
      if (gp_proj_gpu_type(p) != g) continue;
      int32_t want = gp_proj_request(p);
      if (want > gp_rule_max_units(run, p)) continue;
      sh[n++] = (share){p, want, gp_proj_id(p), gp_proj_score(p), (double)want, 0};
      demand += want;
    }
    if (n == 0) continue;
    long long budget = b->capacity[g];
    if (budget < 0 || demand <= (double)budget) { /* everyone in full */
      for (size_t i = 0; i < n; i++) sh[i].got = sh[i].ask;
    } else {
      /* Scale, drop grants below the minimum, and scale again among the
       * rest until every grant is useful (at most n rounds). */
      size_t live = n;
      for (;;) {
        double d = 0;
        for (size_t i = 0; i < live; i++) d += sh[i].ask;
        double f = (double)budget / d;
        long long used = 0;
        for (size_t i = 0; i < live; i++) {
          sh[i].exact = f < 1 ? sh[i].ask * f : sh[i].ask;
          sh[i].got = (long long)floor(sh[i].exact + 1e-9);
          used += sh[i].got;
        }
        qsort(sh, live, sizeof *sh, by_remainder);
        for (size_t i = 0; i < live && used < budget; i++)
          if (sh[i].got < sh[i].ask) sh[i].got++, used++;
        size_t k = 0;
        for (size_t i = 0; i < live; i++)
          if (sh[i].got >= min_units) sh[k++] = sh[i];
        if (k == live || k == 0) {
          live = k;
          break;
        }
        live = k;
      }
      for (size_t i = live; i < n; i++) sh[i].got = 0;
      n = live;
    }
    for (size_t i = 0; i < n; i++) {
      if (sh[i].got <= 0) continue;
      gp_proj_accept(sh[i].p, (int32_t)sh[i].got);
      if (budget >= 0) b->capacity[g] -= sh[i].got;
    }
  }
  free(sh);
  return 0;
}

const gp_selection_type gp_sel_proportional = {
    "proportional", "partial grants: every request scaled by budget / demand, whole units, a useful minimum",
    decide, params, 0};
