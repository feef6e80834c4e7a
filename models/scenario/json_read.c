/*
 * models/scenario/json_read.c - typed reading of a JSON document's values,
 * each checked before it is stored (see json.h: the reading helpers).
 *
 * Invariant: a reader stores nothing unless the value is valid; on a bad
 * value it fails with one located message naming PATH.KEY (json.c's
 * gp_json_fail), and a value a caller put in (gp_json_mark) by its mark.
 */
#include "models/scenario/json.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/json_int.h"

const char *gp_json_number_hint(const cJSON *v) {
  if (!cJSON_IsString(v) || !v->valuestring || !v->valuestring[0]) return "";
  const char *s = v->valuestring;
  size_t n = strlen(s), digits = 0, commas = 0, other = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9') digits++;
    else if (s[i] == ',') commas++;
    else if (s[i] != '.' && !(i == 0 && (s[i] == '-' || s[i] == '+'))) other++;
  }
  if (digits && commas && !other)
    return " (a JSON number has no thousands separator, and a '.' before its decimals)";
  gp_json_scan sc = {.rec = NULL};
  int number = (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && gp_json_scan_text(s, n, &sc) == 0;
  free(sc.rec);
  return number ? " (a number in quotes is a string: write it without them)" : "";
}

int gp_json_check_keys(const gp_json *doc, const cJSON *obj, const char *path, const char *const *allowed,
                       gp_err *err) {
  if (!cJSON_IsObject(obj)) return 0;
  for (const cJSON *c = obj->child; c; c = c->next) {
    const char *k = c->string ? c->string : "";
    int ok = 0;
    for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, k) == 0;
    if (ok) continue;
    char list[GP_JSON_MSGMAX / 2], p[GP_JSON_PATHMAX], q[GP_JSON_DESCMAX];
    size_t at = 0;
    list[0] = '\0';
    for (const char *const *a = allowed; *a; a++)
      if (gp_json_list_add(list, sizeof list, &at, *a, 0)) break;
    return gp_json_fail_key(doc, c, gp_json_path_key(p, sizeof p, path, k), err, "expected one of the keys %s, found %s",
                    list, gp_json_quote(q, sizeof q, k, strlen(k)));
  }
  return 0;
}

int gp_json_expect_object(const gp_json *doc, const cJSON *node, const char *path, gp_err *err) {
  char d[GP_JSON_DESCMAX];
  if (cJSON_IsObject(node)) return 0;
  return gp_json_fail(doc, node, path, err, "expected an object, found %s", gp_json_describe(node, d, sizeof d));
}

int gp_json_expect_array(const gp_json *doc, const cJSON *node, const char *path, gp_err *err) {
  char d[GP_JSON_DESCMAX];
  if (cJSON_IsArray(node)) return 0;
  return gp_json_fail(doc, node, path, err, "expected an array, found %s", gp_json_describe(node, d, sizeof d));
}

/* The member KEY of OBJ, or NULL.  Absent and required: fails (returns NULL
 * with *rc = -1). */
static const cJSON *member(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                           int *rc, gp_err *err) {
  const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
  *rc = 0;
  if (!v && required) *rc = gp_json_fail(doc, obj, path, err, "expected key \"%s\", found none", key);
  return v;
}

/* "a number in [0, 1]", "a number > 0", "a number" ... into BUF. */
static const char *range_text(char *buf, size_t size, const char *noun, double min, double max, unsigned open) {
  const char *lo = open & GP_JSON_OPEN_MIN ? "(" : "[", *hi = open & GP_JSON_OPEN_MAX ? ")" : "]";
  int has_lo = min > -HUGE_VAL, has_hi = max < HUGE_VAL;
  if (has_lo && has_hi) snprintf(buf, size, "%s in %s%g, %g%s", noun, lo, min, max, hi);
  else if (has_lo) snprintf(buf, size, "%s %s %g", noun, open & GP_JSON_OPEN_MIN ? ">" : ">=", min);
  else if (has_hi) snprintf(buf, size, "%s %s %g", noun, open & GP_JSON_OPEN_MAX ? "<" : "<=", max);
  else snprintf(buf, size, "%s", noun);
  return buf;
}

int gp_json_number_ex(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                      double min, double max, unsigned open, double *out, gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  char p[GP_JSON_PATHMAX], d[GP_JSON_DESCMAX], r[GP_JSON_DESCMAX * 2];
  gp_json_path_key(p, sizeof p, path, key);
  if (!cJSON_IsNumber(v))
    return gp_json_fail(doc, v, p, err, "expected a number, found %s%s", gp_json_describe(v, d, sizeof d),
                        gp_json_number_hint(v));
  double x = v->valuedouble;
  if (!isfinite(x))
    return gp_json_fail(doc, v, p, err, "expected a finite number, found %s", gp_json_describe(v, d, sizeof d));
  int below = open & GP_JSON_OPEN_MIN ? !(x > min) : !(x >= min);
  int above = open & GP_JSON_OPEN_MAX ? !(x < max) : !(x <= max);
  if (below || above)
    return gp_json_fail(doc, v, p, err, "expected %s, found %s", range_text(r, sizeof r, "a number", min, max, open),
                        gp_json_describe(v, d, sizeof d));
  *out = x;
  return 0;
}

int gp_json_number(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                   double min, double max, double *out, gp_err *err) {
  return gp_json_number_ex(doc, obj, path, key, required, min, max, 0, out, err);
}

int gp_json_int(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                long long min, long long max, long long *out, gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  char p[GP_JSON_PATHMAX], d[GP_JSON_DESCMAX], r[GP_JSON_DESCMAX * 2];
  gp_json_path_key(p, sizeof p, path, key);
  gp_json_describe(v, d, sizeof d);
  if (!cJSON_IsNumber(v))
    return gp_json_fail(doc, v, p, err, "expected an integer, found %s%s", d, gp_json_number_hint(v));
  double x = v->valuedouble;
  if (!isfinite(x) || x != floor(x)) return gp_json_fail(doc, v, p, err, "expected an integer, found %s", d);
  long long n;
  int overflow = 0;
  const char *lit = v->valuestring;
  if (lit && strspn(lit + (lit[0] == '-'), "0123456789") == strlen(lit + (lit[0] == '-'))) {
    /* An integer literal: read it exactly, past double's 53 bits. */
    errno = 0;
    n = strtoll(lit, NULL, 10);
    overflow = errno == ERANGE;
  } else if (x >= -9223372036854775808.0 && x < 9223372036854775808.0) {
    n = (long long)x;
  } else {
    n = x < 0 ? LLONG_MIN : LLONG_MAX;
    overflow = 1;
  }
  if (overflow || n < min || n > max) {
    int has_lo = min > LLONG_MIN, has_hi = max < LLONG_MAX;
    if (has_lo && has_hi) snprintf(r, sizeof r, "an integer in [%lld, %lld]", min, max);
    else if (has_lo) snprintf(r, sizeof r, "an integer >= %lld", min);
    else if (has_hi) snprintf(r, sizeof r, "an integer <= %lld", max);
    else snprintf(r, sizeof r, "a 64-bit integer");
    return gp_json_fail(doc, v, p, err, "expected %s, found %s", r, d);
  }
  *out = n;
  return 0;
}

int gp_json_bool(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required, int *out,
                 gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  char p[GP_JSON_PATHMAX], d[GP_JSON_DESCMAX];
  if (!cJSON_IsBool(v))
    return gp_json_fail(doc, v, gp_json_path_key(p, sizeof p, path, key), err, "expected true or false, found %s",
                        gp_json_describe(v, d, sizeof d));
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return 0;
}

int gp_json_string(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                   int nonempty, const char **out, gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  char p[GP_JSON_PATHMAX], d[GP_JSON_DESCMAX];
  /* A command-line value that reads as JSON is JSON (overrides.c). */
  const char *hint = !cJSON_IsString(v) && gp_json_origin(doc, v) && !cJSON_IsObject(v) && !cJSON_IsArray(v)
                         ? " (a value that reads as JSON is JSON: put a string in quotes, '\"...\"')"
                         : "";
  if (!cJSON_IsString(v) || !v->valuestring || (nonempty && !v->valuestring[0]))
    return gp_json_fail(doc, v, gp_json_path_key(p, sizeof p, path, key), err, "expected a %sstring, found %s%s",
                        nonempty ? "non-empty " : "", gp_json_describe(v, d, sizeof d), hint);
  *out = v->valuestring;
  return 0;
}

int gp_json_enum(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                 const char *const *choices, int *out, gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  if (cJSON_IsString(v) && v->valuestring)
    for (int i = 0; choices[i]; i++)
      if (strcmp(choices[i], v->valuestring) == 0) {
        *out = i;
        return 0;
      }
  char list[GP_JSON_MSGMAX / 2], p[GP_JSON_PATHMAX], d[GP_JSON_DESCMAX];
  size_t at = 0;
  list[0] = '\0';
  for (int i = 0; choices[i]; i++)
    if (gp_json_list_add(list, sizeof list, &at, choices[i], 1)) break;
  return gp_json_fail(doc, v, gp_json_path_key(p, sizeof p, path, key), err, "expected one of %s, found %s", list,
                      gp_json_describe(v, d, sizeof d));
}
