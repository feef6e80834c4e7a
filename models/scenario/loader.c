/*
 * models/scenario/loader.c - the small readers every section of the loader
 * uses (see loader_int.h): dates, integers, names (their length), references
 * to names, unique names, arrays, objects checked against the format
 * catalogue.
 *
 * Each reader validates before it stores: on an error it leaves *OUT alone
 * and sets L->err to the one-line FILE:LINE:COL: path: message.
 */
#include "models/scenario/loader_int.h"

#include <stdio.h>
#include <string.h>

#include "models/scenario/date.h"

int gp_loader_date(gp_loader *L, const cJSON *obj, const char *path, const char *key, int required,
                   double *out) {
  const char *str = NULL;
  if (gp_json_string(L->doc, obj, path, key, required, 1, &str, L->err) != 0) return -1;
  if (!str) return 0;
  long day;
  if (gp_date_parse(str, &day) != 0) {
    char p[GP_LOADER_PATHLEN], d[64];
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(obj, key);
    return gp_json_fail(L->doc, node, gp_json_path_key(p, sizeof p, path, key), L->err,
                        "expected a date YYYY-MM-DD between 1900-01-01 and 2199-12-31, found %s",
                        gp_json_describe(node, d, sizeof d));
  }
  *out = (double)(day - L->s->epoch_day);
  return 0;
}

int gp_loader_fail(gp_loader *L, const cJSON *obj, const char *path, const char *key,
                   const char *msg) {
  char p[GP_LOADER_PATHLEN], d[64];
  const cJSON *node = key ? cJSON_GetObjectItemCaseSensitive(obj, key) : obj;
  if (!node) node = obj;
  return gp_json_fail(L->doc, node, key ? gp_json_path_key(p, sizeof p, path, key) : path, L->err,
                      "%s, found %s", msg, gp_json_describe(node, d, sizeof d));
}

int gp_loader_int(gp_loader *L, const cJSON *obj, const char *path, const char *key, int required,
                  long long min, long long max, int *out) {
  long long v = *out;
  if (gp_json_int(L->doc, obj, path, key, required, min, max, &v, L->err) != 0) return -1;
  *out = (int)v;
  return 0;
}

int gp_loader_ref(gp_loader *L, const cJSON *obj, const char *path, const char *key, int required,
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
  return gp_loader_fail(L, obj, path, key, msg);
}

int gp_loader_name(gp_loader *L, const cJSON *obj, const char *path, const char **out) {
  const char *name = NULL;
  if (gp_json_string(L->doc, obj, path, "name", 1, 1, &name, L->err)) return -1;
  size_t n = strlen(name);
  if (n > GP_NAME_MAX) {
    char msg[96];
    snprintf(msg, sizeof msg, "expected a name of at most %d bytes (this one has %zu)", GP_NAME_MAX,
             n);
    return gp_loader_fail(L, obj, path, "name", msg);
  }
  *out = name;
  return 0;
}

int gp_loader_unique(gp_loader *L, const cJSON *obj, const char *path, const void *base,
                     size_t stride, int i) {
  const char *name = *(const char *const *)((const char *)base + (size_t)i * stride);
  for (int j = 0; j < i; j++) {
    const char *other = *(const char *const *)((const char *)base + (size_t)j * stride);
    if (strcmp(name, other) == 0) {
      char msg[300];
      snprintf(msg, sizeof msg, "expected a unique name (entry %d already has it)", j);
      return gp_loader_fail(L, obj, path, "name", msg);
    }
  }
  return 0;
}

/* (0.5 MB of "assumptions" walked with cJSON_GetArrayItem took minutes.) */
const cJSON *gp_loader_array(gp_loader *L, const cJSON *obj, const char *path, const char *key,
                             int min_n, int max_n, int *n) {
  char p[GP_LOADER_PATHLEN], d[64];
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

int gp_loader_unit_key(gp_loader *L, const cJSON *o, const char *path, int pool, const char **key) {
  const gp_pool *pl = &L->s->pools[pool];
  const char *wrong = pl->unit == GP_UNIT_GPU ? "servers" : "gpus";
  *key = pl->unit == GP_UNIT_GPU ? "gpus" : "servers";
  if (!cJSON_GetObjectItemCaseSensitive(o, wrong)) return 0;
  char msg[160];
  snprintf(msg, sizeof msg, "expected \"%s\": pool \"%s\" allocates %s", *key, pl->name,
           pl->unit == GP_UNIT_GPU ? "single GPUs" : "whole servers");
  return gp_loader_fail(L, o, path, wrong, msg);
}

int gp_loader_object(gp_loader *L, const cJSON *obj, const char *path,
                     const gp_format_object *format) {
  return gp_json_expect_object(L->doc, obj, path, L->err) ||
                 gp_format_check(L->doc, obj, path, format, L->err)
             ? -1
             : 0;
}
