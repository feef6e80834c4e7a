/*
 * models/scenario/roadmap.c - the supply side of a scenario: "gpu_types",
 * "pools" and "roadmap" (its target and tranches, with their node failures).
 *
 * Read first, since everything after refers to them: GPU types and pools by
 * name, and L->served (which GPU types each pool's tranches provide) checks
 * that demand asks only for what some tranche of its pool provides.
 */
#include "models/scenario/loader_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

static int load_gpu_types(gp_loader *L, const cJSON *root) {
  int n;
  const cJSON *a = gp_loader_array(L, root, "", "gpu_types", 1, 0, &n);
  if (!a) return -1;
  if (n > GP_MAX_GPU_TYPES)
    return gp_loader_fail(L, root, "", "gpu_types", "expected at most 32 GPU types");
  L->s->gpu_types = calloc((size_t)n, sizeof *L->s->gpu_types);
  if (!L->s->gpu_types) return GP_ERR_NOMEM(L->err);
  L->s->ngpu_types = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN];
    gp_json_path_index(p, sizeof p, "gpu_types", i);
    gp_gpu_type *g = &L->s->gpu_types[i];
    g->h100_equiv = 1.0;
    g->idle_power_share = GP_IDLE_POWER_SHARE;
    if (gp_loader_object(L, o, p, &gp_format_gpu_type) ||
        gp_loader_name(L, o, p, &g->name) ||
        gp_json_number(L->doc, o, p, "h100_equiv", 0, 0.01, 1000, &g->h100_equiv, L->err) ||
        gp_json_number(L->doc, o, p, "price_krw_per_gpu_hour", 0, 0, 1e9, &g->price_krw_per_hour,
                       L->err) ||
        gp_json_number(L->doc, o, p, "power_kw", 0, 0, 100, &g->power_kw, L->err) ||
        gp_json_number(L->doc, o, p, "idle_power_share", 0, 0, 1, &g->idle_power_share, L->err) ||
        gp_loader_unique(L, o, p, L->s->gpu_types, sizeof *g, i))
      return -1;
    if (g->power_kw > 0) L->s->has_power = 1;
  }
  return 0;
}

static int load_pools(gp_loader *L, const cJSON *root) {

  int n;
  const cJSON *a = gp_loader_array(L, root, "", "pools", 1, GP_LOADER_MAX_POOLS, &n);
  if (!a) return -1;
  L->s->pools = calloc((size_t)n, sizeof *L->s->pools);
  if (!L->s->pools) return GP_ERR_NOMEM(L->err);
  L->s->npools = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN];
    gp_json_path_index(p, sizeof p, "pools", i);
    gp_pool *pl = &L->s->pools[i];
    int unit = GP_UNIT_SERVER;
    if (gp_loader_object(L, o, p, &gp_format_pool) ||
        gp_loader_name(L, o, p, &pl->name) ||
        gp_loader_unique(L, o, p, L->s->pools, sizeof *pl, i) ||
        gp_json_enum(L->doc, o, p, "unit", 0, gp_format_units, &unit, L->err))
      return -1;
    pl->unit = (gp_unit)unit;
  }
  return 0;
}

static int load_failures(gp_loader *L, const cJSON *o, const char *path, gp_tranche *t) {
  char p[GP_LOADER_PATHLEN];
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "failures");
  gp_dist_constant(&t->repair_days, 1);
  if (!f) return 0;
  gp_json_path_key(p, sizeof p, path, "failures");
  if (gp_loader_object(L, f, p, &gp_format_failures) ||
      gp_json_number_ex(L->doc, f, p, "mtbf_days", 1, 0, 1e9, GP_JSON_OPEN_MIN, &t->mtbf_days,
                        L->err) ||
      gp_dist_read(L->doc, f, p, "repair_days", 1, 0, 3650, &t->repair_days, L->err))
    return -1;
  return 0;
}

static int load_roadmap(gp_loader *L, const cJSON *root) {
  gp_scenario *s = L->s;
  const cJSON *rm = cJSON_GetObjectItemCaseSensitive(root, "roadmap");
  if (!rm) return gp_json_fail(L->doc, root, "$", L->err, "expected key \"roadmap\", found none");
  if (gp_loader_object(L, rm, "roadmap", &gp_format_roadmap)) return -1;
  const cJSON *tg = cJSON_GetObjectItemCaseSensitive(rm, "target");
  if (tg) {
    if (gp_loader_object(L, tg, "roadmap.target", &gp_format_target) ||
        gp_json_number(L->doc, tg, "roadmap.target", "gpus", 1, 1, 1e9, &s->target_gpus, L->err) ||
        gp_loader_date(L, tg, "roadmap.target", "date", 1, &s->target_date))
      return -1;
    /* A time before the epoch reads as "never" in the file and the report. */
    if (s->target_date < 0)
      return gp_loader_fail(L, tg, "roadmap.target", "date", "expected a date from \"epoch\" on");
  }
  int n;
  const cJSON *a = gp_loader_array(L, rm, "roadmap", "tranches", 1, GP_MAX_TRANCHES, &n);
  if (!a) return -1;
  s->tranches = calloc((size_t)n, sizeof *s->tranches);
  if (!s->tranches) return GP_ERR_NOMEM(L->err);
  s->ntranches = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN];
    gp_json_path_index(p, sizeof p, "roadmap.tranches", i);
    gp_tranche *t = &s->tranches[i];
    t->provider = "";
    t->gov_nodes = -1;
    t->end = HUGE_VAL;
    t->pue = 1;
    gp_dist_constant(&t->slip, 0);
    if (gp_loader_object(L, o, p, &gp_format_tranche) ||
        gp_loader_name(L, o, p, &t->name) ||
        gp_loader_unique(L, o, p, s->tranches, sizeof *t, i) ||
        gp_json_string(L->doc, o, p, "provider", 0, 0, &t->provider, L->err) ||
        gp_loader_ref(L, o, p, "gpu_type", 1, s->gpu_types, sizeof *s->gpu_types, s->ngpu_types,
                      "gpu_types", &t->gpu_type) ||
        gp_loader_ref(L, o, p, "pool", 1, s->pools, sizeof *s->pools, s->npools, "pools",
                      &t->pool) ||
        gp_loader_int(L, o, p, "nodes", 1, 1, 10000000, &t->nodes) ||
        gp_loader_int(L, o, p, "government_nodes", 0, 0, 10000000, &t->gov_nodes) ||
        gp_loader_int(L, o, p, "gpus_per_node", 1, 1, 1024, &t->gpus_per_node) ||
        gp_loader_date(L, o, p, "online", 1, &t->online) ||
        gp_dist_read(L->doc, o, p, "slip_days", 0, 0, 36500, &t->slip, L->err) ||
        gp_json_number(L->doc, o, p, "ramp_days", 0, 0, 3650, &t->ramp_days, L->err) ||
        gp_loader_date(L, o, p, "end", 0, &t->end) || load_failures(L, o, p, t) ||
        gp_json_number(L->doc, o, p, "pue", 0, 1, 5, &t->pue, L->err))
      return -1;
    if (strchr(t->name, '/') || strcmp(t->name, ".") == 0 || strcmp(t->name, "..") == 0)
      return gp_loader_fail(L, o, p, "name",
                            "expected a name without '/' that is not \".\" or \"..\"");
    if (t->gov_nodes < 0) t->gov_nodes = t->nodes;
    if (t->gov_nodes > t->nodes) {
      char msg[128];
      snprintf(msg, sizeof msg, "expected at most \"nodes\" (%d)", t->nodes);
      return gp_loader_fail(L, o, p, "government_nodes", msg);
    }
    if (t->end <= t->online)
      return gp_loader_fail(L, o, p, "end", "expected a date after \"online\"");
    if (t->mtbf_days > 0 && s->pools[t->pool].unit != GP_UNIT_SERVER)
      return gp_loader_fail(
          L, o, p, "failures",
          "expected failures only on tranches of a pool with \"unit\": \"server\"");
    t->key = gp_rng_name_id(t->name);
  }
  if (!(L->served = calloc((size_t)s->npools, sizeof *L->served))) return GP_ERR_NOMEM(L->err);
  for (int i = 0; i < n; i++) L->served[s->tranches[i].pool] |= 1u << s->tranches[i].gpu_type;
  return 0;
}

int gp_roadmap_load(gp_loader *L, const cJSON *root) {
  return load_gpu_types(L, root) || load_pools(L, root) || load_roadmap(L, root) ? -1 : 0;
}
