/*
 * models/scenario/scenario.c - load, override and validate a scenario (see scenario.h).
 *
 * Everything is checked here, before time 0: types, ranges, unknown keys,
 * dates and their order, names that must be unique, references between
 * sections (a tranche's pool, a stream's GPU type), and last whether a run
 * fits in the machine's memory (models/experiment/budget.h).  A run never meets a
 * value it has to second-guess.  Every error names FILE:LINE:COL and the
 * JSON path of the offending value.
 */
#include "models/scenario/scenario.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/budget.h"
#include "models/scenario/date.h"
#include "models/scenario/format.h"
#include "models/rules/policy.h"
#include "sim/rng.h"

#define PATHLEN 256
/* Longest lists a scenario may have (and GP_MAX_TRANCHES, scenario.h).
 * Real programmes have dozens; the caps keep the checks between lists
 * (names, references) fast on any file that fits GP_JSON_MAX_BYTES, and
 * 3 x MAX_SOURCES demand sources fit the int16 origin of a world's proposal
 * (run.h). */
#define MAX_POOLS 1000
#define MAX_SOURCES 10000 /* of each of calls, streams, designations */
#define MAX_POLICIES 1000

typedef struct loader {
  const gp_json *doc;
  gp_scenario *s;
  gp_err *err;
  uint32_t *served; /* per pool: bit g set when a tranche of the pool has GPU type g; owned */
} loader;

/* ---- small readers on top of models/scenario/json.h ---- */

/* A date string at OBJ[KEY] -> days since the epoch.  Absent and optional:
 * leaves *OUT alone. */
static int read_date(loader *L, const cJSON *obj, const char *path, const char *key, int required,
                     double *out) {
  const char *str = NULL;
  if (gp_json_string(L->doc, obj, path, key, required, 1, &str, L->err) != 0) return -1;
  if (!str) return 0;
  long day;
  if (gp_date_parse(str, &day) != 0) {
    char p[PATHLEN], d[64];
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(obj, key);
    return gp_json_fail(L->doc, node, gp_json_path_key(p, sizeof p, path, key), L->err,
                        "expected a date YYYY-MM-DD between 1900-01-01 and 2199-12-31, found %s",
                        gp_json_describe(node, d, sizeof d));
  }
  *out = (double)(day - L->s->epoch_day);
  return 0;
}

/* Fail at OBJ[KEY] (or OBJ when KEY is absent) with a message. */
static int fail_at(loader *L, const cJSON *obj, const char *path, const char *key, const char *msg) {
  char p[PATHLEN], d[64];
  const cJSON *node = key ? cJSON_GetObjectItemCaseSensitive(obj, key) : obj;
  if (!node) node = obj;
  return gp_json_fail(L->doc, node, key ? gp_json_path_key(p, sizeof p, path, key) : path, L->err,
                      "%s, found %s", msg, gp_json_describe(node, d, sizeof d));
}

static int int_field(loader *L, const cJSON *obj, const char *path, const char *key, int required,
                     long long min, long long max, int *out) {
  long long v = *out;
  if (gp_json_int(L->doc, obj, path, key, required, min, max, &v, L->err) != 0) return -1;
  *out = (int)v;
  return 0;
}

/* Index of the string at OBJ[KEY] among NAMES (each `stride` bytes apart,
 * first member a const char *). */
static int name_ref(loader *L, const cJSON *obj, const char *path, const char *key, int required,
                    const void *base, size_t stride, int n, const char *what, int *out) {
  const char *str = NULL;
  if (gp_json_string(L->doc, obj, path, key, required, 1, &str, L->err) != 0) return -1;
  if (!str) return 0;
  for (int i = 0; i < n; i++) {
    const char *name = *(const char *const *)((const char *)base + (size_t)i * stride);
    if (strcmp(name, str) == 0) {
      *out = i;
      return 0;
    }
  }
  char msg[512];
  int len = snprintf(msg, sizeof msg, "expected the name of one of the %s (", what);
  for (int i = 0; i < n && len > 0 && (size_t)len < sizeof msg - 40; i++) {
    const char *name = *(const char *const *)((const char *)base + (size_t)i * stride);
    len += snprintf(msg + len, sizeof msg - (size_t)len, "%s\"%s\"", i ? ", " : "", name);
  }
  if (len > 0 && (size_t)len < sizeof msg - 2) snprintf(msg + len, sizeof msg - (size_t)len, ")");
  return fail_at(L, obj, path, key, msg);
}

/* Fail if the NAME at index I repeats an earlier one. */
static int unique_name(loader *L, const cJSON *obj, const char *path, const void *base,
                       size_t stride, int i) {
  const char *name = *(const char *const *)((const char *)base + (size_t)i * stride);
  for (int j = 0; j < i; j++) {
    const char *other = *(const char *const *)((const char *)base + (size_t)j * stride);
    if (strcmp(name, other) == 0) {
      char msg[300];
      snprintf(msg, sizeof msg, "expected a unique name (entry %d already has it)", j);
      return fail_at(L, obj, path, "name", msg);
    }
  }
  return 0;
}

/* The array at ROOT[KEY], required and non-empty when MIN_N > 0, with at
 * most MAX_N entries when MAX_N > 0.  Callers walk its elements through
 * ->next: cJSON_GetArrayItem(a, i) starts from the first element every
 * time, quadratic on long arrays (0.5 MB of "assumptions" took minutes). */
static const cJSON *array_field(loader *L, const cJSON *obj, const char *path, const char *key,
                                int min_n, int max_n, int *n) {
  char p[PATHLEN], d[64];
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
  *n = 0;
  if (!a) {
    if (min_n == 0) return NULL;
    gp_json_fail(L->doc, obj, path[0] ? path : "$", L->err, "expected key \"%s\", found none", key);
    return NULL;
  }
  gp_json_path_key(p, sizeof p, path, key);
  if (gp_json_expect_array(L->doc, a, p, L->err) != 0) return NULL;
  *n = cJSON_GetArraySize(a);
  if (*n < min_n) {
    gp_json_fail(L->doc, a, p, L->err, "expected at least %d entr%s, found %s", min_n,
                 min_n == 1 ? "y" : "ies", gp_json_describe(a, d, sizeof d));
    return NULL;
  }
  if (max_n > 0 && *n > max_n) {
    gp_json_fail(L->doc, a, p, L->err, "expected at most %d entries, found %d", max_n, *n);
    *n = 0;
    return NULL;
  }
  return a;
}

/* ---- sections ---- */

static int load_gpu_types(loader *L, const cJSON *root) {
  int n;
  const cJSON *a = array_field(L, root, "", "gpu_types", 1, 0, &n);
  if (!a) return -1;
  if (n > GP_MAX_GPU_TYPES) return fail_at(L, root, "", "gpu_types", "expected at most 32 GPU types");
  L->s->gpu_types = calloc((size_t)n, sizeof *L->s->gpu_types);
  if (!L->s->gpu_types) return GP_ERR_NOMEM(L->err);
  L->s->ngpu_types = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[PATHLEN];
    gp_json_path_index(p, sizeof p, "gpu_types", i);
    gp_gpu_type *g = &L->s->gpu_types[i];
    g->h100_equiv = 1.0;
    if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_gpu_type, L->err) ||
        gp_json_string(L->doc, o, p, "name", 1, 1, &g->name, L->err) ||
        gp_json_number(L->doc, o, p, "h100_equiv", 0, 0.01, 1000, &g->h100_equiv, L->err) ||
        gp_json_number(L->doc, o, p, "price_krw_per_gpu_hour", 0, 0, 1e9, &g->price_krw_per_hour, L->err) ||
        unique_name(L, o, p, L->s->gpu_types, sizeof *g, i))
      return -1;
  }
  return 0;
}

static int load_pools(loader *L, const cJSON *root) {
  int n;
  const cJSON *a = array_field(L, root, "", "pools", 1, MAX_POOLS, &n);
  if (!a) return -1;
  L->s->pools = calloc((size_t)n, sizeof *L->s->pools);
  if (!L->s->pools) return GP_ERR_NOMEM(L->err);
  L->s->npools = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[PATHLEN];
    gp_json_path_index(p, sizeof p, "pools", i);
    gp_pool *pl = &L->s->pools[i];
    int unit = GP_UNIT_SERVER;
    if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_pool, L->err) ||
        gp_json_string(L->doc, o, p, "name", 1, 1, &pl->name, L->err) ||
        unique_name(L, o, p, L->s->pools, sizeof *pl, i) ||
        gp_json_enum(L->doc, o, p, "unit", 0, gp_format_units, &unit, L->err))
      return -1;
    pl->unit = (gp_unit)unit;
  }
  return 0;
}

static int load_failures(loader *L, const cJSON *o, const char *path, gp_tranche *t) {
  char p[PATHLEN];
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "failures");
  gp_dist_constant(&t->repair_days, 1);
  if (!f) return 0;
  gp_json_path_key(p, sizeof p, path, "failures");
  if (gp_json_expect_object(L->doc, f, p, L->err) || gp_format_check(L->doc, f, p, &gp_format_failures, L->err) ||
      gp_json_number_ex(L->doc, f, p, "mtbf_days", 1, 0, 1e9, GP_JSON_OPEN_MIN, &t->mtbf_days, L->err) ||
      gp_dist_read(L->doc, f, p, "repair_days", 1, 0, 3650, &t->repair_days, L->err))
    return -1;
  return 0;
}

static int load_roadmap(loader *L, const cJSON *root) {
  gp_scenario *s = L->s;
  const cJSON *rm = cJSON_GetObjectItemCaseSensitive(root, "roadmap");
  if (!rm) return gp_json_fail(L->doc, root, "$", L->err, "expected key \"roadmap\", found none");
  if (gp_json_expect_object(L->doc, rm, "roadmap", L->err) ||
      gp_format_check(L->doc, rm, "roadmap", &gp_format_roadmap, L->err))
    return -1;
  const cJSON *tg = cJSON_GetObjectItemCaseSensitive(rm, "target");
  if (tg) {
    if (gp_json_expect_object(L->doc, tg, "roadmap.target", L->err) ||
        gp_format_check(L->doc, tg, "roadmap.target", &gp_format_target, L->err) ||
        gp_json_number(L->doc, tg, "roadmap.target", "gpus", 1, 1, 1e9, &s->target_gpus, L->err) ||
        read_date(L, tg, "roadmap.target", "date", 1, &s->target_date))
      return -1;
  }
  int n;
  const cJSON *a = array_field(L, rm, "roadmap", "tranches", 1, GP_MAX_TRANCHES, &n);
  if (!a) return -1;
  s->tranches = calloc((size_t)n, sizeof *s->tranches);
  if (!s->tranches) return GP_ERR_NOMEM(L->err);
  s->ntranches = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[PATHLEN];
    gp_json_path_index(p, sizeof p, "roadmap.tranches", i);
    gp_tranche *t = &s->tranches[i];
    t->provider = "";
    t->gov_nodes = -1;
    t->end = HUGE_VAL;
    gp_dist_constant(&t->slip, 0);
    if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_tranche, L->err) ||
        gp_json_string(L->doc, o, p, "name", 1, 1, &t->name, L->err) ||
        unique_name(L, o, p, s->tranches, sizeof *t, i) ||
        gp_json_string(L->doc, o, p, "provider", 0, 0, &t->provider, L->err) ||
        name_ref(L, o, p, "gpu_type", 1, s->gpu_types, sizeof *s->gpu_types, s->ngpu_types,
                 "gpu_types", &t->gpu_type) ||
        name_ref(L, o, p, "pool", 1, s->pools, sizeof *s->pools, s->npools, "pools", &t->pool) ||
        int_field(L, o, p, "nodes", 1, 1, 10000000, &t->nodes) ||
        int_field(L, o, p, "government_nodes", 0, 0, 10000000, &t->gov_nodes) ||
        int_field(L, o, p, "gpus_per_node", 1, 1, 1024, &t->gpus_per_node) ||
        read_date(L, o, p, "online", 1, &t->online) ||
        gp_dist_read(L->doc, o, p, "slip_days", 0, 0, 36500, &t->slip, L->err) ||
        gp_json_number(L->doc, o, p, "ramp_days", 0, 0, 3650, &t->ramp_days, L->err) ||
        read_date(L, o, p, "end", 0, &t->end) || load_failures(L, o, p, t))
      return -1;
    if (strchr(t->name, '/') || strcmp(t->name, ".") == 0 || strcmp(t->name, "..") == 0)
      return fail_at(L, o, p, "name", "expected a name without '/' that is not \".\" or \"..\"");
    if (t->gov_nodes < 0) t->gov_nodes = t->nodes;
    if (t->gov_nodes > t->nodes) {
      char msg[128];
      snprintf(msg, sizeof msg, "expected at most \"nodes\" (%d)", t->nodes);
      return fail_at(L, o, p, "government_nodes", msg);
    }
    if (t->end <= t->online) return fail_at(L, o, p, "end", "expected a date after \"online\"");
    if (t->mtbf_days > 0 && s->pools[t->pool].unit != GP_UNIT_SERVER)
      return fail_at(L, o, p, "failures", "expected failures only on tranches of a pool with \"unit\": \"server\"");
    t->key = gp_rng_name_id(t->name);
  }
  if (!(L->served = calloc((size_t)s->npools, sizeof *L->served))) return GP_ERR_NOMEM(L->err);
  for (int i = 0; i < n; i++) L->served[s->tranches[i].pool] |= 1u << s->tranches[i].gpu_type;
  return 0;
}

static int load_sector_mix(loader *L, const cJSON *o, const char *path, const char *key, double *w) {
  char p[PATHLEN];
  const cJSON *mix = cJSON_GetObjectItemCaseSensitive(o, key);
  gp_json_path_key(p, sizeof p, path, key);
  if (!mix) return gp_json_fail(L->doc, o, path, L->err, "expected key \"%s\", found none", key);
  if (gp_json_expect_object(L->doc, mix, p, L->err) || gp_format_check(L->doc, mix, p, &gp_format_sector_mix, L->err))
    return -1;
  double sum = 0;
  for (int k = 0; k < GP_NSECTORS; k++) {
    w[k] = 0;
    if (gp_json_number(L->doc, mix, p, gp_sector_names[k], 0, 0, 1e9, &w[k], L->err)) return -1;
    sum += w[k];
  }
  if (!(sum > 0))
    return gp_json_fail(L->doc, mix, p, L->err,
                        "expected a positive weight for at least one sector, found none");
  return 0;
}

static int max_units_default(void) { return 1000000; }

/* One entry of a call's "gpu_types" (or a stream's single "gpu_type"): the
 * type, its share of proposals, its cap and interview threshold. */
static int load_type_entry(loader *L, const cJSON *o, const char *p, gp_applicants *a, int k) {
  double share = 1;
  a->max_units[k] = max_units_default();
  a->interview_from[k] = 0;
  if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_type_entry, L->err) ||
      name_ref(L, o, p, "name", 1, L->s->gpu_types, sizeof *L->s->gpu_types, L->s->ngpu_types,
               "gpu_types", &a->type[k]) ||
      gp_json_number(L->doc, o, p, "share", 0, 0, 1e9, &share, L->err) ||
      int_field(L, o, p, "max_units", 0, 1, 1000000, &a->max_units[k]) ||
      int_field(L, o, p, "interview_from", 0, 0, 1000000, &a->interview_from[k]))
    return -1;
  a->type_weight[k] = share;
  for (int j = 0; j < k; j++)
    if (a->type[j] == a->type[k]) return fail_at(L, o, p, "name", "expected each GPU type once");
  return 0;
}

/* The GPU types a source asks for: "gpu_types": [{name, share, max_units,
 * interview_from}] or, for one type, "gpu_type": "B200". Each must be
 * provided by some tranche of POOL. */
static int load_types(loader *L, const cJSON *o, const char *path, int pool, gp_applicants *a) {
  char p[PATHLEN];
  const cJSON *one = cJSON_GetObjectItemCaseSensitive(o, "gpu_type");
  const cJSON *many = cJSON_GetObjectItemCaseSensitive(o, "gpu_types");
  if (one && many)
    return fail_at(L, o, path, "gpu_types", "expected either \"gpu_type\" or \"gpu_types\", not both");
  if (one) {
    a->ntypes = 1;
    a->type_weight[0] = 1;
    a->max_units[0] = max_units_default();
    a->interview_from[0] = 0;
    if (name_ref(L, o, path, "gpu_type", 1, L->s->gpu_types, sizeof *L->s->gpu_types,
                 L->s->ngpu_types, "gpu_types", &a->type[0]) ||
        int_field(L, o, path, "max_units", 0, 1, 1000000, &a->max_units[0]) ||
        int_field(L, o, path, "interview_from", 0, 0, 1000000, &a->interview_from[0]))
      return -1;
  } else {
    /* With several types, caps and interview thresholds belong to each type. */
    static const char *const per_type[] = {"max_units", "interview_from", NULL};
    for (int i = 0; per_type[i]; i++)
      if (cJSON_GetObjectItemCaseSensitive(o, per_type[i]) && many)
        return fail_at(L, o, path, per_type[i],
                       "expected this key inside each \"gpu_types\" entry when \"gpu_types\" is given");
    int n;
    const cJSON *arr = array_field(L, o, path, "gpu_types", 1, 0, &n);
    if (!arr) {
      if (!L->err->code)
        gp_json_fail(L->doc, o, path, L->err, "expected key \"gpu_type\" or \"gpu_types\", found none");
      return -1;
    }
    if (n > GP_MAX_GPU_TYPES) return fail_at(L, o, path, "gpu_types", "expected at most 32 entries");
    a->ntypes = n;
    gp_json_path_key(p, sizeof p, path, "gpu_types");
    double sum = 0;
    for (int k = 0; k < n; k++) {
      char q[PATHLEN];
      if (load_type_entry(L, cJSON_GetArrayItem(arr, k), gp_json_path_index(q, sizeof q, p, k), a, k))
        return -1;
      sum += a->type_weight[k];
    }
    if (!(sum > 0)) return fail_at(L, o, path, "gpu_types", "expected a positive share for at least one type");
  }
  for (int k = 0; k < a->ntypes; k++) {
    if (!(L->served[pool] >> a->type[k] & 1u)) {
      char msg[256];
      snprintf(msg, sizeof msg, "expected GPU types that some tranche of pool \"%s\" provides (\"%s\" is not)",
               L->s->pools[pool].name, L->s->gpu_types[a->type[k]].name);
      return fail_at(L, o, path, one ? "gpu_type" : "gpu_types", msg);
    }
  }
  return 0;
}

static int load_applicants(loader *L, const cJSON *o, const char *path, int pool, gp_applicants *a,
                           double max_days) {
  long long orgs = 100;
  a->capital_share = 0.5;
  a->duration_unit = 1;
  a->max_days = max_days;
  gp_dist_constant(&a->units, 1);
  gp_dist_constant(&a->duration, 1);
  gp_dist_constant(&a->quality, 0.5);
  gp_dist_constant(&a->use_fraction, 1);
  const char *unit_key = L->s->pools[pool].unit == GP_UNIT_GPU ? "gpus" : "servers";
  const char *wrong_key = L->s->pools[pool].unit == GP_UNIT_GPU ? "servers" : "gpus";
  if (cJSON_GetObjectItemCaseSensitive(o, wrong_key)) {
    char msg[160];
    snprintf(msg, sizeof msg, "expected \"%s\": pool \"%s\" allocates %s", unit_key,
             L->s->pools[pool].name, L->s->pools[pool].unit == GP_UNIT_GPU ? "single GPUs" : "whole servers");
    return fail_at(L, o, path, wrong_key, msg);
  }
  const cJSON *days = cJSON_GetObjectItemCaseSensitive(o, "duration_days");
  const cJSON *months = cJSON_GetObjectItemCaseSensitive(o, "months");
  if (days && months)
    return fail_at(L, o, path, "months", "expected either \"duration_days\" or \"months\", not both");
  if (!days && !months)
    return gp_json_fail(L->doc, o, path, L->err, "expected key \"months\" or \"duration_days\", found none");
  if (months) a->duration_unit = GP_DAYS_PER_MONTH;
  if (load_types(L, o, path, pool, a) || load_sector_mix(L, o, path, "sector_mix", a->sector_weights) ||
      gp_dist_read(L->doc, o, path, unit_key, 1, 1, HUGE_VAL, &a->units, L->err) ||
      gp_dist_read(L->doc, o, path, months ? "months" : "duration_days", 1, 0, HUGE_VAL, &a->duration, L->err) ||
      gp_dist_read(L->doc, o, path, "quality", 0, -HUGE_VAL, HUGE_VAL, &a->quality, L->err) ||
      gp_dist_read(L->doc, o, path, "use_fraction", 0, 0, 1, &a->use_fraction, L->err) ||
      gp_json_number(L->doc, o, path, "withdraw_probability", 0, 0, 1, &a->withdraw_probability, L->err) ||
      gp_json_int(L->doc, o, path, "organisations", 0, 1, 10000000, &orgs, L->err) ||
      gp_json_number(L->doc, o, path, "capital_share", 0, 0, 1, &a->capital_share, L->err))
    return -1;
  a->organisations = (int)orgs;
  return 0;
}

/* "capacity": {"H200": 287, "B200": 255} in units, for types the source asks for. */
static int load_capacity(loader *L, const cJSON *o, const char *path, const gp_applicants *a,
                         long long *cap) {
  char p[PATHLEN];
  for (int g = 0; g < GP_MAX_GPU_TYPES; g++) cap[g] = -1;
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "capacity");
  if (!c) return 0;
  gp_json_path_key(p, sizeof p, path, "capacity");
  if (gp_json_expect_object(L->doc, c, p, L->err)) return -1;
  for (const cJSON *it = c->child; it; it = it->next) {
    if (strcmp(it->string, "note") == 0) continue;
    int g = -1;
    for (int k = 0; k < a->ntypes; k++)
      if (strcmp(L->s->gpu_types[a->type[k]].name, it->string) == 0) g = a->type[k];
    if (g < 0) {
      char q[PATHLEN], d[64];
      return gp_json_fail(L->doc, it, gp_json_path_key(q, sizeof q, p, it->string), L->err,
                          "expected the name of a GPU type this source asks for, found \"%s\"%s",
                          it->string, gp_json_describe(it, d, sizeof d) ? "" : "");
    }
    if (gp_json_int(L->doc, c, p, it->string, 1, 0, 1000000000, &cap[g], L->err)) return -1;
  }
  return 0;
}

static int load_streams(loader *L, const cJSON *dm) {
  gp_scenario *s = L->s;
  int n;
  const cJSON *a = array_field(L, dm, "demand", "streams", 0, MAX_SOURCES, &n);
  if (L->err->code) return -1;
  if (n == 0) return 0;
  s->streams = calloc((size_t)n, sizeof *s->streams);
  if (!s->streams) return GP_ERR_NOMEM(L->err);
  s->nstreams = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[PATHLEN];
    gp_json_path_index(p, sizeof p, "demand.streams", i);
    gp_stream *st = &s->streams[i];
    st->start = 0;
    st->end = s->end;
    st->committee_every = s->review.committee_every;
    if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_stream, L->err) ||
        gp_json_string(L->doc, o, p, "name", 1, 1, &st->name, L->err) ||
        unique_name(L, o, p, s->streams, sizeof *st, i) ||
        name_ref(L, o, p, "pool", 1, s->pools, sizeof *s->pools, s->npools, "pools", &st->pool) ||
        read_date(L, o, p, "start", 0, &st->start) || read_date(L, o, p, "end", 0, &st->end) ||
        gp_json_number(L->doc, o, p, "rate_per_day", 1, 0, 1e7, &st->rate_per_day, L->err) ||
        gp_json_number(L->doc, o, p, "growth_per_year", 0, -0.99, 100, &st->growth_per_year, L->err) ||
        gp_json_number(L->doc, o, p, "committee_every_days", 0, 0, 3650, &st->committee_every, L->err) ||
        load_applicants(L, o, p, st->pool, &st->a, HUGE_VAL) || load_capacity(L, o, p, &st->a, st->capacity))
      return -1;
    if (st->start < 0) return fail_at(L, o, p, "start", "expected a date on or after the epoch");
    if (st->end <= st->start) return fail_at(L, o, p, "end", "expected a date after \"start\"");
    if (st->end > s->end) return fail_at(L, o, p, "end", "expected a date on or before the scenario's \"end\"");
    st->key = gp_rng_name_id(st->name);
  }
  return 0;
}

static int load_committees(loader *L, const cJSON *o, const char *path, gp_call *c) {
  char p[PATHLEN];
  int n;
  const cJSON *a = array_field(L, o, path, "committees", 0, 0, &n);
  if (L->err->code) return -1;
  if (n == 0) return 0;
  c->committees = calloc((size_t)n, sizeof *c->committees);
  if (!c->committees) return GP_ERR_NOMEM(L->err);
  c->ncommittees = n;
  gp_json_path_key(p, sizeof p, path, "committees");
  const cJSON *it = a->child;
  for (int k = 0; k < n; k++, it = it->next) {
    char q[PATHLEN], d[64];
    long day;
    if (!cJSON_IsString(it) || gp_date_parse(it->valuestring, &day) != 0)
      return gp_json_fail(L->doc, it, gp_json_path_index(q, sizeof q, p, k), L->err,
                          "expected a date YYYY-MM-DD, found %s", gp_json_describe(it, d, sizeof d));
    c->committees[k] = (double)(day - L->s->epoch_day);
    if (c->committees[k] < c->close || (k > 0 && c->committees[k] <= c->committees[k - 1]))
      return gp_json_fail(L->doc, it, gp_json_path_index(q, sizeof q, p, k), L->err,
                          "expected dates after \"close\", in increasing order, found %s",
                          gp_json_describe(it, d, sizeof d));
  }
  return 0;
}

static int load_calls(loader *L, const cJSON *dm) {
  gp_scenario *s = L->s;
  int n;
  const cJSON *a = array_field(L, dm, "demand", "calls", 0, MAX_SOURCES, &n);
  if (L->err->code) return -1;
  if (n == 0) return 0;
  s->calls = calloc((size_t)n, sizeof *s->calls);
  if (!s->calls) return GP_ERR_NOMEM(L->err);
  s->ncalls = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[PATHLEN];
    gp_json_path_index(p, sizeof p, "demand.calls", i);
    gp_call *c = &s->calls[i];
    double max_months = HUGE_VAL;
    c->committee_every = s->review.committee_every > 0 ? s->review.committee_every : 14;
    c->supply_from = 0;
    if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_call, L->err) ||
        gp_json_string(L->doc, o, p, "name", 1, 1, &c->name, L->err) ||
        unique_name(L, o, p, s->calls, sizeof *c, i) ||
        name_ref(L, o, p, "pool", 1, s->pools, sizeof *s->pools, s->npools, "pools", &c->pool) ||
        read_date(L, o, p, "open", 1, &c->open) || read_date(L, o, p, "close", 1, &c->close) ||
        gp_json_number(L->doc, o, p, "proposals", 1, 0, 1e8, &c->proposals, L->err) ||
        gp_json_number(L->doc, o, p, "pile_up", 0, 0, 100, &c->pile_up, L->err) ||
        gp_json_number(L->doc, o, p, "max_months", 0, 0.01, 1200, &max_months, L->err) ||
        gp_json_number_ex(L->doc, o, p, "committee_every_days", 0, 0, 3650, GP_JSON_OPEN_MIN,
                          &c->committee_every, L->err) ||
        read_date(L, o, p, "supply_from", 0, &c->supply_from) ||
        gp_json_bool(L->doc, o, p, "free_of_charge", 0, &c->free_of_charge, L->err))
      return -1;
    if (c->open < 0) return fail_at(L, o, p, "open", "expected a date on or after the epoch");
    if (c->close <= c->open) return fail_at(L, o, p, "close", "expected a date after \"open\"");
    if (c->close > s->end) return fail_at(L, o, p, "close", "expected a date on or before the scenario's \"end\"");
    if (load_applicants(L, o, p, c->pool, &c->a, max_months * GP_DAYS_PER_MONTH) ||
        load_capacity(L, o, p, &c->a, c->capacity) || load_committees(L, o, p, c))
      return -1;
    c->key = gp_rng_name_id(c->name);
  }
  return 0;
}

static int load_designated(loader *L, const cJSON *dm) {
  /* gp_json_enum wants a NULL-terminated list; gp_sector_names has none. */
  const char *sectors[GP_NSECTORS + 1];
  for (int k = 0; k < GP_NSECTORS; k++) sectors[k] = gp_sector_names[k];
  sectors[GP_NSECTORS] = NULL;
  gp_scenario *s = L->s;
  int n;
  const cJSON *a = array_field(L, dm, "demand", "designated", 0, MAX_SOURCES, &n);
  if (L->err->code) return -1;
  if (n == 0) return 0;
  s->designated = calloc((size_t)n, sizeof *s->designated);
  if (!s->designated) return GP_ERR_NOMEM(L->err);
  s->ndesignated = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[PATHLEN], q[PATHLEN];
    gp_json_path_index(p, sizeof p, "demand.designated", i);
    gp_designated *d = &s->designated[i];
    gp_dist_constant(&d->use_fraction, 1);
    if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_designated, L->err) ||
        gp_json_string(L->doc, o, p, "name", 1, 1, &d->name, L->err) ||
        unique_name(L, o, p, s->designated, sizeof *d, i) ||
        name_ref(L, o, p, "pool", 1, s->pools, sizeof *s->pools, s->npools, "pools", &d->pool) ||
        name_ref(L, o, p, "gpu_type", 1, s->gpu_types, sizeof *s->gpu_types, s->ngpu_types,
                 "gpu_types", &d->gpu_type) ||
        gp_json_enum(L->doc, o, p, "sector", 1, sectors, &d->sector, L->err) ||
        int_field(L, o, p, s->pools[d->pool].unit == GP_UNIT_GPU ? "gpus" : "servers", 1, 1, 10000000,
                  &d->units) ||
        read_date(L, o, p, "start", 1, &d->start) ||
        gp_dist_read(L->doc, o, p, "use_fraction", 0, 0, 1, &d->use_fraction, L->err))
      return -1;
    if (!(L->served[d->pool] >> d->gpu_type & 1u))
      return fail_at(L, o, p, "gpu_type", "expected a GPU type that some tranche of the pool provides");
    const cJSON *ph = array_field(L, o, p, "phases", 1, 0, &d->nphases);
    if (!ph) return -1;
    if (d->nphases > GP_MAX_PHASES) return fail_at(L, o, p, "phases", "expected at most 16 phases");
    gp_json_path_key(q, sizeof q, p, "phases");
    const cJSON *e = ph->child;
    for (int k = 0; k < d->nphases; k++, e = e->next) {
      char r[PATHLEN];
      gp_json_path_index(r, sizeof r, q, k);
      if (gp_json_expect_object(L->doc, e, r, L->err) || gp_format_check(L->doc, e, r, &gp_format_phase, L->err) ||
          int_field(L, e, r, "teams", 1, 0, 100000, &d->teams[k]) ||
          gp_json_number_ex(L->doc, e, r, "days", 1, 0, 36500, GP_JSON_OPEN_MIN, &d->days[k], L->err))
        return -1;
    }
  }
  return 0;
}

static int load_demand(loader *L, const cJSON *root) {
  const cJSON *dm = cJSON_GetObjectItemCaseSensitive(root, "demand");
  if (!dm) return gp_json_fail(L->doc, root, "$", L->err, "expected key \"demand\", found none");
  if (gp_json_expect_object(L->doc, dm, "demand", L->err) ||
      gp_format_check(L->doc, dm, "demand", &gp_format_demand, L->err) || load_streams(L, dm) ||
      load_calls(L, dm) || load_designated(L, dm))
    return -1;
  if (L->s->nstreams + L->s->ncalls + L->s->ndesignated == 0)
    return gp_json_fail(L->doc, dm, "demand", L->err,
                        "expected at least one of \"streams\", \"calls\", \"designated\", found none");
  return 0;
}

static int load_review(loader *L, const cJSON *root) {
  gp_review *r = &L->s->review;
  long long reviewers = 0, reviews = 1, slots = 0;
  gp_dist_constant(&r->screening_days, 0);
  gp_dist_constant(&r->review_days, 0);
  gp_dist_constant(&r->onboarding_days, 0);
  r->screening_pass = 1;
  r->interview_pass = 1;
  r->reviews = 1;
  const cJSON *rv = cJSON_GetObjectItemCaseSensitive(root, "review");
  if (!rv) return 0;
  if (gp_json_expect_object(L->doc, rv, "review", L->err) ||
      gp_format_check(L->doc, rv, "review", &gp_format_review, L->err) ||
      gp_dist_read(L->doc, rv, "review", "screening_days", 0, 0, 3650, &r->screening_days, L->err) ||
      gp_json_number(L->doc, rv, "review", "screening_pass", 0, 0, 1, &r->screening_pass, L->err) ||
      gp_json_int(L->doc, rv, "review", "reviewers", 0, 0, 1000000, &reviewers, L->err) ||
      gp_json_int(L->doc, rv, "review", "reviews_per_proposal", 0, 1, GP_MAX_REVIEWS, &reviews, L->err) ||
      gp_dist_read(L->doc, rv, "review", "review_days", 0, 0, 3650, &r->review_days, L->err) ||
      gp_json_number(L->doc, rv, "review", "noise_sd", 0, 0, 1e6, &r->noise_sd, L->err) ||
      gp_json_int(L->doc, rv, "review", "interview_slots_per_day", 0, 0, 1000000, &slots, L->err) ||
      gp_json_number(L->doc, rv, "review", "interview_pass", 0, 0, 1, &r->interview_pass, L->err) ||
      gp_json_number(L->doc, rv, "review", "committee_every_days", 0, 0, 3650, &r->committee_every, L->err) ||
      gp_dist_read(L->doc, rv, "review", "onboarding_days", 0, 0, 3650, &r->onboarding_days, L->err))
    return -1;
  r->reviewers = (int)reviewers;
  r->reviews = (int)reviews;
  r->interview_slots = (int)slots;
  return 0;
}

static int load_pricing(loader *L, const cJSON *root) {
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(root, "pricing");
  for (int k = 0; k < GP_NSECTORS; k++) L->s->self_pay[k] = 0;
  if (!pr) return 0;
  if (gp_json_expect_object(L->doc, pr, "pricing", L->err) ||
      gp_format_check(L->doc, pr, "pricing", &gp_format_pricing, L->err))
    return -1;
  const cJSON *sp = cJSON_GetObjectItemCaseSensitive(pr, "self_pay");
  if (!sp) return 0;
  if (gp_json_expect_object(L->doc, sp, "pricing.self_pay", L->err) ||
      gp_format_check(L->doc, sp, "pricing.self_pay", &gp_format_self_pay, L->err))
    return -1;
  for (int k = 0; k < GP_NSECTORS; k++)
    if (gp_json_number(L->doc, sp, "pricing.self_pay", gp_sector_names[k], 0, 0, 1, &L->s->self_pay[k], L->err))
      return -1;
  return 0;
}

/* "params": {name: number}: every name must be a parameter of the policy's
 * selection or scheduling rule, within its range. */
static int load_params(loader *L, const cJSON *o, const char *path, gp_policy_spec *ps) {
  char p[PATHLEN];
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(o, "params");
  if (!pr) return 0;
  gp_json_path_key(p, sizeof p, path, "params");
  if (gp_json_expect_object(L->doc, pr, p, L->err)) return -1;
  const gp_param *lists[2] = {ps->selection->params, ps->scheduling->params};
  for (const cJSON *it = pr->child; it; it = it->next) {
    if (strcmp(it->string, "note") == 0) continue;
    const gp_param *found = NULL;
    for (int l = 0; l < 2 && !found; l++)
      for (const gp_param *q = lists[l]; q && q->name && !found; q++)
        if (strcmp(q->name, it->string) == 0) found = q;
    if (!found) {
      char msg[512], q2[PATHLEN];
      int len = snprintf(msg, sizeof msg, "expected a parameter of rules \"%s\" and \"%s\" (",
                         ps->selection->name, ps->scheduling->name);
      int k = 0;
      for (int l = 0; l < 2; l++)
        for (const gp_param *q = lists[l]; q && q->name && len < (int)sizeof msg - 40; q++)
          len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%s", k++ ? ", " : "", q->name);
      snprintf(msg + len, sizeof msg - (size_t)len, "%s), found \"%s\"", k ? "" : "none", it->string);
      return gp_json_fail(L->doc, it, gp_json_path_key(q2, sizeof q2, p, it->string), L->err, "%s", msg);
    }
    if (ps->nparams >= 16) return fail_at(L, o, path, "params", "expected at most 16 parameters");
    double v;
    if (gp_json_number(L->doc, pr, p, it->string, 1, found->min, found->max, &v, L->err)) return -1;
    ps->param_names[ps->nparams] = found->name;
    ps->param_values[ps->nparams++] = v;
  }
  return 0;
}

/* "reclaim": {"at": 0.5, "below_use": 0.1, "take": 0.5} */
static int load_reclaim(loader *L, const cJSON *o, const char *path, gp_policy_spec *ps) {
  char p[PATHLEN];
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "reclaim");
  if (!r) return 0;
  gp_json_path_key(p, sizeof p, path, "reclaim");
  ps->reclaim_at = 0.5;
  ps->reclaim_below = 0.1;
  ps->reclaim_take = 0.5;
  return gp_json_expect_object(L->doc, r, p, L->err) || gp_format_check(L->doc, r, p, &gp_format_reclaim, L->err) ||
                 gp_json_number_ex(L->doc, r, p, "at", 0, 0, 1, GP_JSON_OPEN_MIN | GP_JSON_OPEN_MAX,
                                   &ps->reclaim_at, L->err) ||
                 gp_json_number(L->doc, r, p, "below_use", 0, 0, 1, &ps->reclaim_below, L->err) ||
                 gp_json_number(L->doc, r, p, "take", 0, 0, 1, &ps->reclaim_take, L->err)
             ? -1
             : 0;
}

static int load_policies(loader *L, const cJSON *root) {
  gp_scenario *s = L->s;
  int n;
  const cJSON *a = array_field(L, root, "", "policies", 0, MAX_POLICIES, &n);
  if (L->err->code) return -1;
  if (!a || n == 0) { /* default: one first-come-first-served policy */
    s->policies = calloc(1, sizeof *s->policies);
    if (!s->policies) return GP_ERR_NOMEM(L->err);
    s->policies[0].name = "fcfs";
    s->policies[0].key = gp_rng_name_id("fcfs");
    s->policies[0].selection = gp_selection_fcfs;
    s->policies[0].scheduling = gp_scheduling_fcfs;
    s->npolicies = 1;
    return 0;
  }
  s->policies = calloc((size_t)n, sizeof *s->policies);
  if (!s->policies) return GP_ERR_NOMEM(L->err);
  s->npolicies = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[PATHLEN], msg[512];
    gp_json_path_index(p, sizeof p, "policies", i);
    gp_policy_spec *ps = &s->policies[i];
    const char *sel = "fcfs", *sch = "fcfs";
    if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_policy, L->err) ||
        gp_json_string(L->doc, o, p, "name", 1, 1, &ps->name, L->err) ||
        unique_name(L, o, p, s->policies, sizeof *ps, i) ||
        gp_json_string(L->doc, o, p, "selection", 0, 1, &sel, L->err) ||
        gp_json_string(L->doc, o, p, "scheduling", 0, 1, &sch, L->err))
      return -1;
    /* Policy names become HDF5 group names: no '/' and not "." */
    if (strchr(ps->name, '/') || strcmp(ps->name, ".") == 0 || strcmp(ps->name, "..") == 0)
      return fail_at(L, o, p, "name", "expected a name without '/' that is not \".\" or \"..\"");
    ps->selection = gp_selection_find(sel);
    if (!ps->selection) {
      int len = snprintf(msg, sizeof msg, "expected a selection rule (");
      for (int k = 0; gp_selection_types[k]; k++)
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s\"%s\"", k ? ", " : "",
                        gp_selection_types[k]->name);
      snprintf(msg + len, sizeof msg - (size_t)len, ")");
      return fail_at(L, o, p, "selection", msg);
    }
    ps->scheduling = gp_scheduling_find(sch);
    if (!ps->scheduling) {
      int len = snprintf(msg, sizeof msg, "expected a scheduling rule (");
      for (int k = 0; gp_scheduling_types[k]; k++)
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s\"%s\"", k ? ", " : "",
                        gp_scheduling_types[k]->name);
      snprintf(msg + len, sizeof msg - (size_t)len, ")");
      return fail_at(L, o, p, "scheduling", msg);
    }
    if (load_params(L, o, p, ps) || load_reclaim(L, o, p, ps)) return -1;
    ps->key = gp_rng_name_id(ps->name);
  }
  return 0;
}

static int load_output(loader *L, const cJSON *root) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "output");
  if (!o) return 0;
  return gp_json_expect_object(L->doc, o, "output", L->err) ||
                 gp_format_check(L->doc, o, "output", &gp_format_output, L->err) ||
                 int_field(L, o, "output", "detail_replications", 0, -1, 100000000, &L->s->detail_reps) ||
                 gp_json_number(L->doc, o, "output", "sample_every_days", 0, 0.01, 3650,
                                &L->s->sample_every, L->err)
             ? -1
             : 0;
}

/* "sweep": [{"path": "a.b", "values": [scalars...]}]: checked here, turned
 * into points by models/experiment/sweep.c. */
static int load_sweep(loader *L, const cJSON *root) {
  int n;
  const cJSON *a = array_field(L, root, "", "sweep", 0, 0, &n);
  if (L->err->code) return -1;
  const cJSON *o = a ? a->child : NULL;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[PATHLEN], q[PATHLEN];
    const char *path;
    int nv;
    gp_json_path_index(p, sizeof p, "sweep", i);
    if (gp_json_expect_object(L->doc, o, p, L->err) || gp_format_check(L->doc, o, p, &gp_format_sweep, L->err) ||
        gp_json_string(L->doc, o, p, "path", 1, 1, &path, L->err))
      return -1;
    const cJSON *vals = array_field(L, o, p, "values", 1, 0, &nv);
    if (!vals) return -1;
    gp_json_path_key(q, sizeof q, p, "values");
    const cJSON *v = vals->child;
    for (int k = 0; k < nv; k++, v = v->next) {
      if (cJSON_IsObject(v) || cJSON_IsArray(v) || cJSON_IsNull(v)) {
        char r[PATHLEN], d[64];
        return gp_json_fail(L->doc, v, gp_json_path_index(r, sizeof r, q, k), L->err,
                            "expected a number, string or boolean, found %s",
                            gp_json_describe(v, d, sizeof d));
      }
    }
  }
  return 0;
}

static int load_root(loader *L) {
  gp_scenario *s = L->s;
  const cJSON *root = gp_json_root(L->doc);
  if (gp_json_expect_object(L->doc, root, "$", L->err) ||
      gp_format_check(L->doc, root, "", &gp_format_root, L->err) ||
      gp_json_string(L->doc, root, "", "name", 1, 1, &s->name, L->err) ||
      gp_json_string(L->doc, root, "", "description", 0, 0, &s->description, L->err))
    return -1;
  if (strchr(s->name, '/')) return fail_at(L, root, "", "name", "expected a name without '/'");
  /* The epoch first: every other date is read against it. */
  const char *epoch = NULL;
  if (gp_json_string(L->doc, root, "", "epoch", 1, 1, &epoch, L->err)) return -1;
  if (gp_date_parse(epoch, &s->epoch_day) != 0)
    return fail_at(L, root, "", "epoch", "expected a date YYYY-MM-DD between 1900-01-01 and 2199-12-31");
  if (read_date(L, root, "", "end", 1, &s->end)) return -1;
  if (s->end <= 0) return fail_at(L, root, "", "end", "expected a date after \"epoch\"");
  if (s->end > 365.25 * 100) return fail_at(L, root, "", "end", "expected at most 100 years after \"epoch\"");
  s->measure_from = 0;
  if (read_date(L, root, "", "measure_from", 0, &s->measure_from)) return -1;
  if (s->measure_from < 0 || s->measure_from >= s->end)
    return fail_at(L, root, "", "measure_from", "expected a date from \"epoch\" up to before \"end\"");
  long long seed = 1, reps = 10;
  if (gp_json_int(L->doc, root, "", "seed", 0, 0, (long long)1 << 53, &seed, L->err) ||
      gp_json_int(L->doc, root, "", "replications", 0, 1, 1000000, &reps, L->err))
    return -1;
  s->seed = (uint64_t)seed;
  s->replications = (int)reps;
  const cJSON *as = cJSON_GetObjectItemCaseSensitive(root, "assumptions");
  if (as) {
    if (gp_json_expect_array(L->doc, as, "assumptions", L->err)) return -1;
    int i = 0;
    for (const cJSON *it = as->child; it; it = it->next, i++) {
      if (!cJSON_IsString(it)) {
        char p[PATHLEN], d[64];
        return gp_json_fail(L->doc, it, gp_json_path_index(p, sizeof p, "assumptions", i), L->err,
                            "expected a string, found %s", gp_json_describe(it, d, sizeof d));
      }
    }
  }
  if (load_sweep(L, root)) return -1;
  s->sample_every = 7;
  s->detail_reps = 10;
  /* Review before demand: streams and calls take their default committee
   * interval from it. */
  return load_output(L, root) || load_gpu_types(L, root) || load_pools(L, root) ||
                 load_roadmap(L, root) || load_review(L, root) || load_pricing(L, root) ||
                 load_demand(L, root) || load_policies(L, root)
             ? -1
             : 0;
}

/* ---- command-line overrides ---- */

/* Apply "a.b[2].c=value" to the tree.  VALUE is JSON when it parses as JSON
 * (numbers, true, objects...), otherwise a string. */
static int apply_set(cJSON *root, const char *set, gp_err *err) {
  const char *eq = strchr(set, '=');
  if (!eq || eq == set)
    return GP_ERR(err, GP_EX_USAGE, "--set %s: expected json.path=value", set);
  char path[PATHLEN];
  size_t plen = (size_t)(eq - set);
  if (plen >= sizeof path) return GP_ERR(err, GP_EX_USAGE, "--set: path too long");
  memcpy(path, set, plen);
  path[plen] = '\0';
  cJSON *val = cJSON_Parse(eq + 1);
  if (!val) val = cJSON_CreateString(eq + 1);
  if (!val) return GP_ERR_NOMEM(err);
  cJSON *cur = root;
  char *p = path;
  while (*p) {
    char key[PATHLEN];
    long index = -1;
    size_t k = 0;
    if (*p == '[') {
      char *end;
      index = strtol(p + 1, &end, 10);
      if (end == p + 1 || *end != ']' || index < 0) goto bad;
      p = end + 1;
    } else {
      while (*p && *p != '.' && *p != '[') key[k++] = *p++;
      key[k] = '\0';
      if (k == 0) goto bad;
    }
    int last = (*p == '\0');
    if (*p == '.') p++;
    if (index >= 0) {
      if (!cJSON_IsArray(cur) || index >= cJSON_GetArraySize(cur)) goto missing;
      if (last) {
        cJSON_ReplaceItemInArray(cur, (int)index, val);
        return 0;
      }
      cur = cJSON_GetArrayItem(cur, (int)index);
    } else {
      if (!cJSON_IsObject(cur)) goto missing;
      cJSON *next = cJSON_GetObjectItemCaseSensitive(cur, key);
      if (last) {
        if (next) cJSON_ReplaceItemInObjectCaseSensitive(cur, key, val);
        else cJSON_AddItemToObject(cur, key, val);
        return 0;
      }
      if (!next) goto missing;
      cur = next;
    }
  }
bad:
  cJSON_Delete(val);
  return GP_ERR(err, GP_EX_USAGE, "--set %s: expected a path like roadmap.tranches[0].nodes", set);
missing:
  cJSON_Delete(val);
  return GP_ERR(err, GP_EX_USAGE, "--set %s: the scenario has nothing at that path to change", set);
}

static int apply_overrides(gp_json *doc, const gp_overrides *ov, gp_err *err) {
  cJSON *root = (cJSON *)gp_json_root(doc);
  if (!cJSON_IsObject(root)) return 0; /* validation will say so */
  for (int i = 0; i < ov->nsets; i++)
    if (apply_set(root, ov->sets[i], err)) return -1;
  struct {
    const char *key;
    long long v;
  } nums[] = {{"replications", ov->reps}, {"seed", ov->seed}};
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
    if (nums[i].v < 0) continue;
    cJSON *num = cJSON_CreateNumber((double)nums[i].v);
    if (!num) return GP_ERR_NOMEM(err);
    if (cJSON_GetObjectItemCaseSensitive(root, nums[i].key))
      cJSON_ReplaceItemInObjectCaseSensitive(root, nums[i].key, num);
    else
      cJSON_AddItemToObject(root, nums[i].key, num);
  }
  if (ov->detail >= -1) {
    cJSON *out = cJSON_GetObjectItemCaseSensitive(root, "output");
    if (!out) out = cJSON_AddObjectToObject(root, "output");
    if (!out) return GP_ERR_NOMEM(err);
    if (cJSON_IsObject(out)) {
      cJSON *num = cJSON_CreateNumber((double)ov->detail);
      if (!num) return GP_ERR_NOMEM(err);
      if (cJSON_GetObjectItemCaseSensitive(out, "detail_replications"))
        cJSON_ReplaceItemInObjectCaseSensitive(out, "detail_replications", num);
      else
        cJSON_AddItemToObject(out, "detail_replications", num);
    }
  }
  return 0;
}

/* ---- public ---- */

static gp_scenario *finish(gp_json *doc, const gp_overrides *ov, gp_err *err) {
  if (!doc) return NULL;
  gp_scenario *s = calloc(1, sizeof *s);
  if (!s) {
    gp_json_free(doc);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  s->doc = doc;
  s->file = gp_json_name(doc);
  s->description = "";
  loader L = {doc, s, err, NULL};
  int rc = (ov && apply_overrides(doc, ov, err)) || load_root(&L) ? -1 : 0;
  free(L.served);
  /* A scenario that cannot run in this machine's memory is refused now,
   * not hours into a run (models/experiment/budget.h).  One thread: the loader does not
   * know --threads, and must not refuse what a run on fewer threads fits. */
  if (rc == 0) rc = gp_budget_check(s, 1, gp_budget_machine_bytes(), err);
  if (rc) {
    gp_scenario_free(s);
    return NULL;
  }
  return s;
}

gp_scenario *gp_scenario_load(const char *path, const gp_overrides *ov, gp_err *err) {
  return finish(gp_json_load_file(path, err), ov, err);
}

gp_scenario *gp_scenario_parse(const char *name, const char *text, size_t len,
                               const gp_overrides *ov, gp_err *err) {
  return finish(gp_json_parse(name, text, len, err), ov, err);
}

static void applicants_free(gp_applicants *a) {
  gp_dist_free(&a->units);
  gp_dist_free(&a->duration);
  gp_dist_free(&a->quality);
  gp_dist_free(&a->use_fraction);
}

void gp_scenario_free(gp_scenario *s) {
  if (!s) return;
  for (int i = 0; i < s->ntranches; i++) {
    gp_dist_free(&s->tranches[i].slip);
    gp_dist_free(&s->tranches[i].repair_days);
  }
  for (int i = 0; i < s->nstreams; i++) applicants_free(&s->streams[i].a);
  for (int i = 0; i < s->ncalls; i++) {
    applicants_free(&s->calls[i].a);
    free(s->calls[i].committees);
  }
  for (int i = 0; i < s->ndesignated; i++) gp_dist_free(&s->designated[i].use_fraction);
  gp_dist_free(&s->review.screening_days);
  gp_dist_free(&s->review.review_days);
  gp_dist_free(&s->review.onboarding_days);
  free(s->gpu_types);
  free(s->pools);
  free(s->tranches);
  free(s->streams);
  free(s->calls);
  free(s->designated);
  free(s->policies);
  gp_json_free(s->doc);
  free(s);
}

int gp_scenario_norigins(const gp_scenario *s) { return s->ncalls + s->nstreams + s->ndesignated; }

const char *gp_scenario_origin_name(const gp_scenario *s, int o) {
  if (o < s->ncalls) return s->calls[o].name;
  o -= s->ncalls;
  if (o < s->nstreams) return s->streams[o].name;
  o -= s->nstreams;
  return o < s->ndesignated ? s->designated[o].name : "?";
}

char *gp_scenario_json(const gp_scenario *s) { return cJSON_Print(gp_json_root(s->doc)); }

int gp_scenario_select_policies(gp_scenario *s, const char *names, gp_err *err) {
  int keep = 0;
  char buf[1024];
  if (strlen(names) >= sizeof buf) return GP_ERR(err, GP_EX_USAGE, "--policy: list too long");
  strcpy(buf, names);
  gp_policy_spec *sel = calloc((size_t)s->npolicies, sizeof *sel);
  if (!sel) return GP_ERR_NOMEM(err);
  for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    int found = -1;
    for (int i = 0; i < s->npolicies; i++)
      if (strcmp(s->policies[i].name, tok) == 0) found = i;
    if (found < 0) {
      char list[512];
      int len = 0;
      list[0] = '\0';
      for (int i = 0; i < s->npolicies && (size_t)len < sizeof list - 64; i++)
        len += snprintf(list + len, sizeof list - (size_t)len, "%s%s", i ? ", " : "", s->policies[i].name);
      free(sel);
      return GP_ERR(err, GP_EX_USAGE, "--policy: no policy \"%s\" in %s (it has: %s)", tok, s->file, list);
    }
    for (int j = 0; j < keep; j++)
      if (sel[j].name == s->policies[found].name) found = -1;
    if (found >= 0 && keep < s->npolicies) sel[keep++] = s->policies[found];
  }
  if (keep == 0) {
    free(sel);
    return GP_ERR(err, GP_EX_USAGE, "--policy: expected at least one policy name");
  }
  free(s->policies);
  s->policies = sel;
  s->npolicies = keep;
  return 0;
}
