/* tests/unit/test_wcache.c - the world cache (models/world/wcache.c): a
 * world renewed through a cache primed on one scenario is, for every
 * perturbation of a value a draw could read, byte for byte the world drawn
 * afresh, and the cache copies what it should (a demand-only change draws
 * exactly one source again, a tranche's slip only the online times and
 * failures, anything else everything again).  A key that forgets a part of
 * the scenario fails here. */
#include <cjson/cJSON.h>

#include "models/scenario/uncertain.h"
#include "models/world/wcache.h"
#include "models/world/world.h"
#include "tests/test.h"

#define REP 2

/* A and B hold the same draws: proposals and candidates, their reviewers'
 * times, their return draws and lines, online times, failures, the grouping
 * by organisation. */
static void same_world(const gp_world *a, const gp_world *b, int ntranches, const char *what) {
  size_t all = a->n + a->nret;
  if (a->n != b->n || a->nret != b->nret)
    TEST_FAIL_("%s: %zu + %zu proposals, not %zu + %zu", what, a->n, a->nret, b->n, b->nret);
  if (memcmp(a->props, b->props, all * sizeof *a->props) != 0)
    TEST_FAIL_("%s: proposals differ", what);
  ASSERT_EQ(a->nreviews, b->nreviews);
  if (memcmp(a->review_days, b->review_days, all * (size_t)a->nreviews * sizeof *a->review_days))
    TEST_FAIL_("%s: reviewers' times differ", what);
  if ((a->ret == NULL) != (b->ret == NULL)) TEST_FAIL_("%s: return draws differ", what);
  for (size_t i = 0; a->ret && i < all; i++) { /* field by field: doubles by their bits */
    const gp_wreturn *x = &a->ret[i], *y = &b->ret[i];
    if (memcmp(&x->u_resubmit, &y->u_resubmit, sizeof x->u_resubmit) ||
        memcmp(&x->u_renew, &y->u_renew, sizeof x->u_renew) || x->next != y->next ||
        memcmp(&x->u_submit, &y->u_submit, sizeof x->u_submit) || x->prev != y->prev)
      TEST_FAIL_("%s: return draws of %zu differ", what, i);
  }
  if (memcmp(a->online, b->online, (size_t)ntranches * sizeof *a->online) != 0)
    TEST_FAIL_("%s: online times differ", what);
  if (a->fails.n != b->fails.n || a->fails.nfails != b->fails.nfails ||
      (a->fails.n && memcmp(a->fails.m, b->fails.m, a->fails.n * sizeof *a->fails.m) != 0))
    TEST_FAIL_("%s: failures differ", what);
  if (all && memcmp(a->orgs.by_org, b->orgs.by_org, all * sizeof *a->orgs.by_org) != 0)
    TEST_FAIL_("%s: organisations differ", what);
  ASSERT_EQ(a->pipe_recorded, b->pipe_recorded);
  ASSERT_EQ(a->ranking.made, b->ranking.made);
}

typedef struct probe {
  gp_wcache *c;
  gp_world *w; /* renewed through c */
  const gp_scenario *base;
  int tried, checked, one_source, global, slip;
  long long ret_hits, ret_misses; /* returning sources' draws copied, drawn (renewed on the
                                   * perturbed scenarios) */
} probe;

/* What a perturbation moves: anything (everything drawn again), one
 * source's item only (that source drawn again, the online times and
 * failures copied), a tranche's slip only (the online times and failures
 * drawn again, every source copied). */
enum { GLOBAL, DEMAND, SLIP };

/* The kind of perturbation of the value at --set path PATH. */
static int kind_of(const char *path) {
  return strstr(path, ".slip_days") ? SLIP : strncmp(path, "demand.", 7) == 0 ? DEMAND : GLOBAL;
}

/* Renew through P's cache primed on P->base, then on S (a perturbation
 * named WHAT, of kind KIND): the world must be S's fresh one, drawn again
 * as KIND says. */
static void check(probe *p, const gp_scenario *s, const char *what, int kind) {
  gp_err err;
  gp_err_clear(&err);
  if (!(p->w = gp_world_renew_cached(p->w, p->base, REP, p->c, &err))) TEST_FAIL_("%s", err.msg);
  gp_wcache_stats a, b;
  gp_wcache_stats_get(p->c, &a);
  if (!(p->w = gp_world_renew_cached(p->w, s, REP, p->c, &err))) TEST_FAIL_("%s", err.msg);
  gp_wcache_stats_get(p->c, &b);
  gp_world *fresh = gp_world_new(s, REP, &err);
  if (!fresh) TEST_FAIL_("%s", err.msg);
  same_world(p->w, fresh, s->ntranches, what);
  gp_world_free(fresh);
  long long hits = b.hits - a.hits, misses = b.misses - a.misses;
  p->ret_hits += b.ret_hits - a.ret_hits;
  p->ret_misses += b.ret_misses - a.ret_misses;
  int norig = gp_scenario_norigins(s);
  long long online = b.online_misses - a.online_misses;
  if (kind == DEMAND) {
    if (b.global_hits - a.global_hits != 1 || online != 0 || misses != 1 || hits != norig - 1)
      TEST_FAIL_("%s: %lld hits, %lld misses, %lld global hits: expected %d, 1, 1", what, hits,
                 misses, b.global_hits - a.global_hits, norig - 1);
    p->one_source++;
  } else if (kind == SLIP) {
    if (b.global_hits - a.global_hits != 1 || online != 1 || misses != 0 || hits != norig)
      TEST_FAIL_("%s: %lld hits, %lld misses, %lld online times drawn: expected %d, 0, 1", what,
                 hits, misses, online, norig);
    p->slip++;
  } else {
    if (b.global_misses - a.global_misses != 1 || hits != 0 || misses != norig)
      TEST_FAIL_("%s: %lld hits, %lld misses: expected everything drawn again", what, hits, misses);
    p->global++;
  }
  p->checked++;
}

/* Every numeric leaf under X (at --set path PATH) perturbed in turn: an
 * integer up by one, anything else by 10%; perturbations the loader
 * refuses are skipped. */
static void perturb_leaves(probe *p, const char *file, const cJSON *x, const char *path) {
  char sub[512];
  if (cJSON_IsObject(x) || cJSON_IsArray(x)) {
    int i = 0;
    for (const cJSON *y = x->child; y; y = y->next, i++) {
      if (cJSON_IsObject(x))
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", y->string);
      else
        snprintf(sub, sizeof sub, "%s[%d]", path, i);
      perturb_leaves(p, file, y, sub);
    }
    return;
  }
  if (!cJSON_IsNumber(x)) return;
  double v = x->valuedouble, nv = v == floor(v) ? v + 1 : v * 1.1;
  char set[600];
  snprintf(set, sizeof set, "%s=%.17g", path, nv);
  const char *sets[] = {set};
  gp_overrides ov = GP_OVERRIDES_NONE;
  ov.sets = sets;
  ov.nsets = 1;
  gp_err err;
  gp_err_clear(&err);
  p->tried++;
  gp_scenario *s = gp_scenario_load(file, &ov, &err);
  if (!s) return; /* the loader refuses it */
  check(p, s, set, kind_of(path));
  gp_scenario_free(s);
}

static const cJSON *at(const cJSON *root, const char *path) {
  int where = 0;
  const cJSON *x = gp_uncertain_node(root, path, &where);
  if (!x) TEST_FAIL_("no %s in the baseline", path);
  return x;
}

static void cached_world_is_the_fresh_world(void) {
  gp_err err;
  gp_err_clear(&err);
  const char *file = "scenarios/baseline.json";
  gp_scenario *base = gp_scenario_load(file, NULL, &err);
  if (!base) TEST_FAIL_("%s", err.msg);
  probe p = {gp_wcache_new(1), NULL, base, 0, 0, 0, 0, 0, 0, 0};
  ASSERT(p.c);
  const cJSON *root = gp_json_root(base->doc);
  static const char *const demand[] = {"demand.calls[0]", "demand.streams[0]",
                                       "demand.designated[0]"};
  for (int i = 0; i < 3; i++) perturb_leaves(&p, file, at(root, demand[i]), demand[i]);
  int one = p.one_source;
  static const char *const global[] = {"review", "roadmap.tranches[0]", "seed"};
  for (int i = 0; i < 3; i++) perturb_leaves(&p, file, at(root, global[i]), global[i]);
  /* The end, a date, later (earlier would cut sources short: refused). */
  const char *later[] = {"end=\"2029-06-30\""};
  gp_overrides ov = GP_OVERRIDES_NONE;
  ov.sets = later;
  ov.nsets = 1;
  gp_scenario *s = gp_scenario_load(file, &ov, &err);
  if (!s) TEST_FAIL_("%s", err.msg);
  check(&p, s, later[0], GLOBAL);
  gp_scenario_free(s);
  /* What another source's return draws read of this one (the pool's
   * largest probabilities, its calls' closing dates): moved, the other
   * sources of its pool draw their returns again. */
  const char *pool_moves[] = {"demand.calls[0].close=\"2026-02-28\"",
                              "demand.calls[0].resubmit.probability=0.9",
                              "demand.calls[0].renew.probability=0.9"};
  for (int i = 0; i < 3; i++) {
    ov.sets = pool_moves + i;
    s = gp_scenario_load(file, &ov, &err);
    if (!s) TEST_FAIL_("%s: %s", pool_moves[i], err.msg);
    long long drawn = p.ret_misses;
    check(&p, s, pool_moves[i], DEMAND);
    ASSERT_GT(p.ret_misses - drawn, 1);
    gp_scenario_free(s);
  }
  /* Enough of them were loaded and checked, of both kinds, and every
   * global one drew some failures. */
  ASSERT_GE(one, 30);
  ASSERT_GE(p.global, 20);
  ASSERT_GE(p.slip, 2); /* the first tranche's slip_days' parameters */
  ASSERT_GT(p.w->fails.nfails, 0);
  gp_world_free(p.w);
  gp_wcache_free(p.c);
  gp_scenario_free(base);
}

/* The 34 factors of bench/sensitivity20.json, each moved alone from the
 * middle of its range to its 90% quantile, as a Morris step moves them. */
static void cached_world_across_sensitivity_factors(void) {
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s20 = gp_scenario_load("bench/sensitivity20.json", NULL, &err);
  if (!s20) TEST_FAIL_("%s", err.msg);
  ASSERT_EQ(s20->nuncertain, 34);
  size_t len;
  char *text = gp_uncertain_text(s20, &len, &err);
  if (!text) TEST_FAIL_("%s", err.msg);
  double mid[34], step[34];
  for (int i = 0; i < 34; i++) mid[i] = gp_uncertain_value(&s20->uncertain[i], 0.5);
  gp_scenario *base = gp_uncertain_apply(s20, text, len, mid, &err);
  if (!base) TEST_FAIL_("%s", err.msg);
  probe p = {gp_wcache_new(1), NULL, base, 0, 0, 0, 0, 0, 0, 0};
  ASSERT(p.c);
  for (int i = 0; i < 34; i++) {
    memcpy(step, mid, sizeof step);
    step[i] = gp_uncertain_value(&s20->uncertain[i], 0.9);
    gp_scenario *s = gp_uncertain_apply(s20, text, len, step, &err);
    if (!s) TEST_FAIL_("%s", err.msg);
    const char *path = s20->uncertain[i].path;
    check(&p, s, path, kind_of(path));
    gp_scenario_free(s);
  }
  ASSERT_EQ(p.one_source, 32); /* all but the centre's slip and the review noise */
  ASSERT_EQ(p.slip, 1);
  ASSERT_EQ(p.global, 1);
  /* No factor moves a pool's probabilities or dates: a demand step draws
   * the returns of its own source again at most, a global step all. */
  int returning = 0;
  for (int o = 0; o < base->ncalls + base->nstreams; o++) {
    const gp_applicants *a = o < base->ncalls ? &base->calls[o].a
                                              : &base->streams[o - base->ncalls].a;
    returning += a->resubmit_probability > 0 || a->renew_probability > 0;
  }
  ASSERT_GT(returning, 1);
  ASSERT_EQ(p.ret_hits + p.ret_misses, 34LL * returning);
  ASSERT_LE(p.ret_misses, 32 + (long long)returning);
  gp_world_free(p.w);
  gp_wcache_free(p.c);
  gp_scenario_free(base);
  free(text);
  gp_scenario_free(s20);
}

/* Replications are kept apart, at most as many as asked, the least
 * recently used dropped first; a replication kept is copied whole. */
static void replications_kept_apart(void) {
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_load("scenarios/baseline.json", NULL, &err);
  if (!s) TEST_FAIL_("%s", err.msg);
  gp_wcache *c = gp_wcache_new(2);
  ASSERT(c);
  gp_world *w = NULL;
  int reps[] = {0, 1, 0, 1, 2, 0, 1};
  int global_hit[] = {0, 0, 1, 1, 0, 0, 0}; /* 2 drops 0 (least recent), 0 drops 1 */
  for (int i = 0; i < 7; i++) {
    gp_wcache_stats a, b;
    gp_wcache_stats_get(c, &a);
    if (!(w = gp_world_renew_cached(w, s, reps[i], c, &err))) TEST_FAIL_("%s", err.msg);
    gp_wcache_stats_get(c, &b);
    ASSERT_EQ(b.global_hits - a.global_hits, global_hit[i]);
    ASSERT_EQ(b.hits - a.hits, global_hit[i] ? gp_scenario_norigins(s) : 0);
    gp_world *fresh = gp_world_new(s, reps[i], &err);
    if (!fresh) TEST_FAIL_("%s", err.msg);
    same_world(w, fresh, s->ntranches, "replication");
    gp_world_free(fresh);
  }
  ASSERT_GT(gp_wcache_bytes(c), 2 * w->n * sizeof *w->props);
  gp_world_free(w);
  gp_wcache_free(c);
  gp_scenario_free(s);
}

int main(void) {
  RUN(cached_world_is_the_fresh_world);
  RUN(cached_world_across_sensitivity_factors);
  RUN(replications_kept_apart);
  TEST_EXIT();
}
