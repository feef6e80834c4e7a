/*
 * models/scenario/applicants.c - what the proposals of a call or a stream look
 * like (gp_applicants): the GPU types asked for ("gpu_type", or "gpu_types"
 * with shares, caps and interview thresholds), the sector mix, request sizes
 * and durations, quality, use, withdrawals, organisations; and the source's
 * "capacity" per GPU type.
 *
 * Every GPU type a source asks for must be provided by some tranche of the
 * source's pool (L->served, built with the roadmap).
 */
#include "models/scenario/loader_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int load_sector_mix(gp_loader *L, const cJSON *o, const char *path, const char *key,
                           double *w) {
  char p[GP_LOADER_PATHLEN];
  const cJSON *mix = cJSON_GetObjectItemCaseSensitive(o, key);
  gp_json_path_key(p, sizeof p, path, key);
  if (!mix) return gp_json_fail(L->doc, o, path, L->err, "expected key \"%s\", found none", key);
  if (gp_loader_object(L, mix, p, &gp_format_sector_mix)) return -1;
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

/* "resubmit": {probability, improvement} and "renew": {probability,
 * improvement, max_renewals}; absent, nobody returns. */
static int load_returning(gp_loader *L, const cJSON *o, const char *path, gp_applicants *a) {
  char p[GP_LOADER_PATHLEN];
  a->resubmit_probability = a->resubmit_improvement = 0;
  a->renew_probability = a->renew_improvement = 0;
  a->max_renewals = INT_MAX;
  const cJSON *rs = cJSON_GetObjectItemCaseSensitive(o, "resubmit");
  if (rs) {
    gp_json_path_key(p, sizeof p, path, "resubmit");
    if (gp_loader_object(L, rs, p, &gp_format_resubmit) ||
        gp_json_number(L->doc, rs, p, "probability", 1, 0, 1, &a->resubmit_probability, L->err) ||
        gp_json_number(L->doc, rs, p, "improvement", 0, -1e6, 1e6, &a->resubmit_improvement,
                       L->err))
      return -1;
  }
  const cJSON *rn = cJSON_GetObjectItemCaseSensitive(o, "renew");
  if (rn) {
    int most = -1;
    gp_json_path_key(p, sizeof p, path, "renew");
    if (gp_loader_object(L, rn, p, &gp_format_renew) ||
        gp_json_number(L->doc, rn, p, "probability", 1, 0, 1, &a->renew_probability, L->err) ||
        gp_json_number(L->doc, rn, p, "improvement", 0, -1e6, 1e6, &a->renew_improvement, L->err) ||
        gp_loader_int(L, rn, p, "max_renewals", 0, 0, 100, &most))
      return -1;
    if (most >= 0) a->max_renewals = most;
  }
  return 0;
}

static int max_units_default(void) { return 1000000; }

/* One entry of a call's "gpu_types" (or a stream's single "gpu_type"): the
 * type, its share of proposals, its cap and interview threshold. */
static int load_type_entry(gp_loader *L, const cJSON *o, const char *p, gp_applicants *a, int k) {
  double share = 1;
  a->max_units[k] = max_units_default();
  a->interview_from[k] = 0;
  if (gp_loader_object(L, o, p, &gp_format_type_entry) ||
      gp_loader_ref(L, o, p, "name", 1, L->s->gpu_types, sizeof *L->s->gpu_types, L->s->ngpu_types,
                    "gpu_types", &a->type[k]) ||
      gp_json_number(L->doc, o, p, "share", 0, 0, 1e9, &share, L->err) ||
      gp_loader_int(L, o, p, "max_units", 0, 1, 1000000, &a->max_units[k]) ||
      gp_loader_int(L, o, p, "interview_from", 0, 0, 1000000, &a->interview_from[k]))
    return -1;
  a->type_weight[k] = share;
  for (int j = 0; j < k; j++)
    if (a->type[j] == a->type[k])
      return gp_loader_fail(L, o, p, "name", "expected each GPU type once");
  return 0;
}

/* The GPU types a source asks for: "gpu_types": [{name, share, max_units,
 * interview_from}] or, for one type, "gpu_type": "B200". Each must be
 * provided by some tranche of POOL. */
static int load_types(gp_loader *L, const cJSON *o, const char *path, int pool, gp_applicants *a) {
  char p[GP_LOADER_PATHLEN];
  const cJSON *one = cJSON_GetObjectItemCaseSensitive(o, "gpu_type");
  const cJSON *many = cJSON_GetObjectItemCaseSensitive(o, "gpu_types");
  if (one && many)
    return gp_loader_fail(L, o, path, "gpu_types",
                          "expected either \"gpu_type\" or \"gpu_types\", not both");
  if (one) {
    a->ntypes = 1;
    a->type_weight[0] = 1;
    a->max_units[0] = max_units_default();
    a->interview_from[0] = 0;
    if (gp_loader_ref(L, o, path, "gpu_type", 1, L->s->gpu_types, sizeof *L->s->gpu_types,
                      L->s->ngpu_types, "gpu_types", &a->type[0]) ||
        gp_loader_int(L, o, path, "max_units", 0, 1, 1000000, &a->max_units[0]) ||
        gp_loader_int(L, o, path, "interview_from", 0, 0, 1000000, &a->interview_from[0]))
      return -1;
  } else {
    /* With several types, caps and interview thresholds belong to each type. */
    static const char *const per_type[] = {"max_units", "interview_from", NULL};
    for (int i = 0; per_type[i]; i++)
      if (cJSON_GetObjectItemCaseSensitive(o, per_type[i]) && many)
        return gp_loader_fail(
            L, o, path, per_type[i],
            "expected this key inside each \"gpu_types\" entry when \"gpu_types\" is given");
    int n;
    const cJSON *arr = gp_loader_array(L, o, path, "gpu_types", 1, 0, &n);
    if (!arr) {
      if (!L->err->code)
        gp_json_fail(L->doc, o, path, L->err,
                     "expected key \"gpu_type\" or \"gpu_types\", found none");
      return -1;
    }
    if (n > GP_MAX_GPU_TYPES)
      return gp_loader_fail(L, o, path, "gpu_types", "expected at most 32 entries");
    a->ntypes = n;
    gp_json_path_key(p, sizeof p, path, "gpu_types");
    double sum = 0;
    for (int k = 0; k < n; k++) {
      char q[GP_LOADER_PATHLEN];
      if (load_type_entry(L, cJSON_GetArrayItem(arr, k), gp_json_path_index(q, sizeof q, p, k), a,
                          k))
        return -1;
      sum += a->type_weight[k];
    }
    if (!(sum > 0))
      return gp_loader_fail(L, o, path, "gpu_types",
                            "expected a positive share for at least one type");
  }
  for (int k = 0; k < a->ntypes; k++) {
    if (!(L->served[pool] >> a->type[k] & 1u)) {
      char msg[256];
      snprintf(msg, sizeof msg,
               "expected GPU types that some tranche of pool \"%s\" provides (\"%s\" is not)",
               L->s->pools[pool].name, L->s->gpu_types[a->type[k]].name);
      return gp_loader_fail(L, o, path, one ? "gpu_type" : "gpu_types", msg);
    }
  }
  return 0;
}

int gp_applicants_load(gp_loader *L, const cJSON *o, const char *path, int pool, gp_applicants *a,
                       double max_days) {
  long long orgs = 100;
  a->capital_share = 0.5;
  a->duration_unit = 1;
  a->max_days = max_days;
  gp_dist_constant(&a->units, 1);
  gp_dist_constant(&a->duration, 1);
  gp_dist_constant(&a->quality, 0.5);
  gp_dist_constant(&a->use_fraction, 1);
  const char *unit_key;
  if (gp_loader_unit_key(L, o, path, pool, &unit_key)) return -1;
  const cJSON *days = cJSON_GetObjectItemCaseSensitive(o, "duration_days");
  const cJSON *months = cJSON_GetObjectItemCaseSensitive(o, "months");
  if (days && months)
    return gp_loader_fail(L, o, path, "months",
                          "expected either \"duration_days\" or \"months\", not both");
  if (!days && !months)
    return gp_json_fail(L->doc, o, path, L->err,
                        "expected key \"months\" or \"duration_days\", found none");
  if (months) a->duration_unit = GP_DAYS_PER_MONTH;
  if (load_types(L, o, path, pool, a) ||
      load_sector_mix(L, o, path, "sector_mix", a->sector_weights) ||
      gp_dist_read(L->doc, o, path, unit_key, 1, 1, HUGE_VAL, &a->units, L->err) ||
      gp_dist_read(L->doc, o, path, months ? "months" : "duration_days", 1, 0, HUGE_VAL,
                   &a->duration, L->err) ||
      gp_dist_read(L->doc, o, path, "quality", 0, -HUGE_VAL, HUGE_VAL, &a->quality, L->err) ||
      gp_dist_read(L->doc, o, path, "use_fraction", 0, 0, 1, &a->use_fraction, L->err) ||
      gp_json_number(L->doc, o, path, "withdraw_probability", 0, 0, 1, &a->withdraw_probability,
                     L->err) ||
      gp_json_int(L->doc, o, path, "organisations", 0, 1, 10000000, &orgs, L->err) ||
      gp_json_number(L->doc, o, path, "capital_share", 0, 0, 1, &a->capital_share, L->err))
    return -1;
  a->organisations = (int)orgs;
  return load_returning(L, o, path, a);
}

/* "capacity": {"H200": 287, "B200": 255} in units, for types the source asks for. */
int gp_applicants_capacity(gp_loader *L, const cJSON *o, const char *path, const gp_applicants *a,
                           long long *cap) {
  char p[GP_LOADER_PATHLEN];
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
      char q[GP_LOADER_PATHLEN], d[64];
      return gp_json_fail(L->doc, it, gp_json_path_key(q, sizeof q, p, it->string), L->err,
                          "expected the name of a GPU type this source asks for, found \"%s\"%s",
                          it->string, gp_json_describe(it, d, sizeof d) ? "" : "");
    }
    if (gp_json_int(L->doc, c, p, it->string, 1, 0, 1000000000, &cap[g], L->err)) return -1;
  }
  return 0;
}
