/*
 * models/experiment/sweep.c - parameter sweeps (see sweep.h).
 *
 * Invariant: a dimension's values are JSON texts, applied as "path=value"
 * exactly as they are printed and stored; a range's values are distinct
 * (worked out in decimal, or refused when only doubles could hold them and
 * two would print the same: issue 16, item 6, where %.12g made
 * seed=1234567890123:1234567890125:1 three identical points).
 */
#include "models/experiment/sweep.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gp_sweep *gp_sweep_new(void) { return calloc(1, sizeof(gp_sweep)); }

void gp_sweep_free(gp_sweep *sw) {
  if (!sw) return;
  for (int d = 0; d < sw->ndims; d++) {
    free(sw->dims[d].path);
    for (int i = 0; i < sw->dims[d].nvalues; i++) free(sw->dims[d].values[i]);
    free(sw->dims[d].values);
  }
  free(sw->dims);
  free(sw);
}

static char *dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

static void free_values(char **v, int n) {
  for (int i = 0; v && i < n; i++) free(v[i]);
  free(v);
}

/* Add a dimension; takes ownership of VALUES (and frees it on failure). */
static int add_dim(gp_sweep *sw, const char *path, char **values, int n, gp_err *err) {
  gp_sweep_dim *nd = realloc(sw->dims, (size_t)(sw->ndims + 1) * sizeof *nd);
  char *p = dup(path);
  if (!nd || !p) {
    if (nd) sw->dims = nd;
    free(p);
    free_values(values, n);
    return GP_ERR_NOMEM(err);
  }
  sw->dims = nd;
  sw->dims[sw->ndims++] = (gp_sweep_dim){p, values, n};
  if (gp_sweep_npoints(sw) > GP_SWEEP_MAX_POINTS)
    return GP_ERR(err, GP_EX_USAGE, "sweep: more than %d points", GP_SWEEP_MAX_POINTS);
  return 0;
}

/* The elements of the JSON array A as JSON texts (malloc'd, *N of them). */
static char **array_texts(const cJSON *a, int *n, gp_err *err) {
  *n = cJSON_GetArraySize(a);
  char **v = calloc((size_t)(*n ? *n : 1), sizeof *v);
  if (!v) {
    GP_ERR_NOMEM(err);
    return NULL;
  }
  int i = 0;
  for (const cJSON *it = a->child; it; it = it->next, i++)
    if (!(v[i] = cJSON_PrintUnformatted(it))) {
      free_values(v, i);
      GP_ERR_NOMEM(err);
      return NULL;
    }
  return v;
}

int gp_sweep_add_scenario(gp_sweep *sw, const gp_scenario *s, gp_err *err) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(gp_json_root(s->doc), "sweep");
  if (!a) return 0;
  for (const cJSON *dim = a->child; dim; dim = dim->next) {
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(dim, "path");
    int n;
    char **v = array_texts(cJSON_GetObjectItemCaseSensitive(dim, "values"), &n, err);
    if (!v || add_dim(sw, path->valuestring, v, n, err)) return -1;
  }
  return 0;
}

/* ---- ranges ---- */

/* A number M x 10^E, M of at most 18 digits. */
typedef struct dec {
  long long m;
  int e;
} dec;

/* The JSON number literal S (N bytes) as a dec: 0; 1 when its exponent is
 * beyond +-300; 2 when it has more than 18 significant digits (more than a
 * double tells apart: refused); -1 when it is no JSON number. */
static int dec_parse(const char *s, size_t n, dec *d) {
  unsigned long long m = 0;
  int digits = 0, big = 0;
  long e = 0;
  size_t i = 0;
#define DIGIT(k) ((k) < n && s[k] >= '0' && s[k] <= '9')
#define PUSH(c)                                                                                    \
  do {                                                                                             \
    if (m || (c) != '0') {                                                                         \
      if (digits < 18) m = m * 10 + (unsigned)((c) - '0'), digits++;                               \
      else big = 1;                                                                                \
    }                                                                                              \
  } while (0)
  int neg = i < n && s[i] == '-';
  if (neg) i++;
  size_t start = i;
  if (i < n && s[i] == '0') i++;
  else
    while (DIGIT(i)) i++;
  if (i == start) return -1;
  for (size_t k = start; k < i; k++) PUSH(s[k]);
  if (i < n && s[i] == '.') {
    size_t f = ++i;
    for (; DIGIT(i); i++) {
      PUSH(s[i]);
      e--;
    }
    if (i == f) return -1;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    int eneg = i < n && (s[i] == '+' || s[i] == '-') ? s[i++] == '-' : 0;
    size_t f = i;
    long x = 0;
    for (; DIGIT(i); i++) x = x < 100000 ? x * 10 + (s[i] - '0') : x;
    if (i == f) return -1;
    e += eneg ? -x : x;
  }
#undef DIGIT
#undef PUSH
  if (i != n) return -1;
  if (big) return 2;
  if (e < -300 || e > 300) return 1;
  d->m = neg ? -(long long)m : (long long)m;
  d->e = (int)e;
  return 0;
}

/* D with exponent E <= d->e; -1 when its M would not fit. */
static int dec_scale(dec *d, int e) {
  for (; d->e > e; d->e--) {
    if (d->m > LLONG_MAX / 10 || d->m < LLONG_MIN / 10) return -1;
    d->m *= 10;
  }
  return 0;
}

/* V x 10^E as JSON number text into BUF (64 bytes): plain digits, with a
 * point when E < 0 ("0.3", "-1.25", "0.005"), trailing zeros of the
 * fraction left out; an exponent only when the plain form would be long. */
static void dec_text(long long v, int e, char *buf, size_t size) {
  static const char zeros[] = "000000000000000000000"; /* 21 */
  char dg[32];
  unsigned long long a = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
  if (a == 0) {
    snprintf(buf, size, "0");
    return;
  }
  int nd = snprintf(dg, sizeof dg, "%llu", a);
  const char *sign = v < 0 ? "-" : "";
  while (dg[nd - 1] == '0') {
    dg[--nd] = '\0';
    e++;
  }
  if (e >= 0 && nd + e <= 21) /* an integer: its digits, then E zeros */
    snprintf(buf, size, "%s%s%.*s", sign, dg, e, zeros);
  else if (e < 0 && nd > -e) /* a point among the digits */
    snprintf(buf, size, "%s%.*s.%s", sign, nd + e, dg, dg + nd + e);
  else if (e < 0 && -e - nd <= 20) /* 0.00ddd */
    snprintf(buf, size, "%s0.%.*s%s", sign, -e - nd, zeros, dg);
  else
    snprintf(buf, size, "%s%se%d", sign, dg, e);
}

/* The values FROM, FROM + STEP, ... <= TO of the range SPEC (FROM:TO:STEP)
 * as texts into *V (*N of them); LABEL names the argument in messages. */
static int range_values(const char *label, const char *spec, char ***v, int *n, gp_err *err) {
  const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
  const char *lit[3] = {spec, c1 ? c1 + 1 : NULL, c2 ? c2 + 1 : NULL};
  size_t len[3] = {c1 ? (size_t)(c1 - spec) : 0, c2 ? (size_t)(c2 - c1 - 1) : 0,
                   c2 ? strlen(c2 + 1) : 0};
  dec d[3];
  int bad = !c2 || strchr(c2 + 1, ':'), exact = 1;
  double x[3] = {0, 0, 0};
  for (int k = 0; k < 3 && !bad; k++) {
    int r = dec_parse(lit[k], len[k], &d[k]);
    if (r == 2)
      return GP_ERR(err, GP_EX_USAGE,
                    "%s: expected FROM, TO and STEP of at most 18 significant digits, found %.*s",
                    label, (int)len[k], lit[k]);
    bad = r < 0;
    if (r > 0) exact = 0;
    x[k] = strtod(lit[k], NULL);
  }
  if (bad || !isfinite(x[0]) || !isfinite(x[1]) || !isfinite(x[2]) || !(x[2] > 0) ||
      x[1] < x[0])
    return GP_ERR(err, GP_EX_USAGE,
                  "%s: expected FROM:TO:STEP with FROM <= TO and STEP > 0 (a list of values "
                  "with ':' or ',' in them goes in a JSON array: PATH=[...])",
                  label);
  if (exact) { /* in decimal: a common exponent, integer steps */
    int e = d[0].e < d[1].e ? d[0].e : d[1].e;
    if (d[2].e < e) e = d[2].e;
    for (int k = 0; k < 3 && exact; k++)
      if (dec_scale(&d[k], e)) exact = 0;
    if (exact) {
      unsigned long long span = (unsigned long long)d[1].m - (unsigned long long)d[0].m;
      unsigned long long count = span / (unsigned long long)d[2].m + 1;
      if (count > GP_SWEEP_MAX_POINTS)
        return GP_ERR(err, GP_EX_USAGE, "%s: more than %d values", label, GP_SWEEP_MAX_POINTS);
      *n = (int)count;
      if (!(*v = calloc(count, sizeof **v))) return GP_ERR_NOMEM(err);
      for (int i = 0; i < *n; i++) {
        char buf[64];
        dec_text(d[0].m + (long long)i * d[2].m, e, buf, sizeof buf);
        if (!((*v)[i] = dup(buf))) {
          free_values(*v, i);
          return GP_ERR_NOMEM(err);
        }
      }
      return 0;
    }
  }
  /* Beyond 18 digits: doubles, each printed in as few digits as read back
   * the same; two values that print the same are refused. */
  double count = floor((x[1] - x[0]) / x[2] + 1e-9) + 1;
  if (count > GP_SWEEP_MAX_POINTS)
    return GP_ERR(err, GP_EX_USAGE, "%s: more than %d values", label, GP_SWEEP_MAX_POINTS);
  *n = (int)count;
  if (!(*v = calloc((size_t)*n, sizeof **v))) return GP_ERR_NOMEM(err);
  for (int i = 0; i < *n; i++) {
    double y = x[0] + x[2] * i;
    char buf[64];
    for (int p = 1; p <= 17; p++) {
      snprintf(buf, sizeof buf, "%.*g", p, y);
      if (strtod(buf, NULL) == y) break;
    }
    if (!((*v)[i] = dup(buf)) || (i > 0 && strcmp((*v)[i], (*v)[i - 1]) == 0)) {
      int same = (*v)[i] != NULL;
      free_values(*v, i + 1);
      return same ? GP_ERR(err, GP_EX_USAGE,
                           "%s: expected a STEP that changes the value, found %s twice", label, buf)
                  : GP_ERR_NOMEM(err);
    }
  }
  return 0;
}

/* ---- lists ---- */

/* The values of the comma-separated list SPEC, each JSON when the whole of
 * it is JSON, else a string (as --set takes a value). */
static int list_values(const char *label, const char *spec, char ***v, int *n, gp_err *err) {
  *n = 1;
  for (const char *p = strchr(spec, ','); p; p = strchr(p + 1, ',')) ++*n;
  if (!(*v = calloc((size_t)*n, sizeof **v))) return GP_ERR_NOMEM(err);
  const char *p = spec;
  for (int i = 0; i < *n; i++) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    if (len == 0) {
      free_values(*v, i);
      return GP_ERR(err, GP_EX_USAGE, "%s: empty value", label);
    }
    gp_err perr;
    gp_err_clear(&perr);
    gp_json *doc = gp_json_parse(label, p, len, &perr);
    cJSON *s = NULL;
    if (!doc && perr.code == GP_EX_DATAERR) { /* not JSON: the text is a string */
      char *item = malloc(len + 1);
      if (item) {
        memcpy(item, p, len);
        item[len] = '\0';
        s = cJSON_CreateString(item);
        free(item);
      }
    }
    (*v)[i] = doc ? cJSON_PrintUnformatted(gp_json_root(doc)) : s ? cJSON_PrintUnformatted(s) : NULL;
    gp_json_free(doc);
    cJSON_Delete(s);
    if (!(*v)[i]) {
      free_values(*v, i);
      return GP_ERR_NOMEM(err);
    }
    p = c ? c + 1 : p + len;
  }
  return 0;
}

/* The values of SPEC, a JSON array: any JSON but null. */
static int array_values(const char *label, const char *spec, char ***v, int *n, gp_err *err) {
  gp_json *doc = gp_json_parse(label, spec, strlen(spec), err);
  if (!doc) {
    err->code = GP_EX_USAGE;
    return -1;
  }
  const cJSON *a = gp_json_root(doc);
  int rc = 0;
  if (!cJSON_IsArray(a) || !a->child)
    rc = GP_ERR(err, GP_EX_USAGE, "%s: expected a JSON array of at least one value", label);
  for (const cJSON *it = rc ? NULL : a->child; it && !rc; it = it->next)
    if (cJSON_IsNull(it)) rc = GP_ERR(err, GP_EX_USAGE, "%s: expected values, found null", label);
  if (!rc && !(*v = array_texts(a, n, err))) rc = -1;
  gp_json_free(doc);
  return rc;
}

int gp_sweep_add_arg(gp_sweep *sw, const char *arg, gp_err *err) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1])
    return GP_ERR(err, GP_EX_USAGE,
                  "--sweep %s: expected PATH=FROM:TO:STEP, PATH=V1,V2,... or PATH=[JSON values]",
                  arg);
  size_t plen = (size_t)(eq - arg);
  char *path = malloc(plen + 1), *label = malloc(strlen(arg) + 16);
  if (!path || !label) {
    free(path);
    free(label);
    return GP_ERR_NOMEM(err);
  }
  memcpy(path, arg, plen);
  path[plen] = '\0';
  snprintf(label, strlen(arg) + 16, "--sweep %s", arg);
  const char *spec = eq + 1;
  size_t ws = strspn(spec, " \t\n\r");
  char **v = NULL;
  int n = 0;
  int rc = spec[ws] == '[' ? array_values(label, spec, &v, &n, err)
           : strchr(spec, ':') ? range_values(label, spec, &v, &n, err)
                               : list_values(label, spec, &v, &n, err);
  if (!rc) rc = add_dim(sw, path, v, n, err);
  free(path);
  free(label);
  return rc ? -1 : 0;
}

size_t gp_sweep_npoints(const gp_sweep *sw) {
  size_t n = 1;
  for (int d = 0; d < sw->ndims; d++) {
    n *= (size_t)sw->dims[d].nvalues;
    if (n > GP_SWEEP_MAX_POINTS) return n;
  }
  return n;
}

int gp_sweep_point(const gp_sweep *sw, size_t k, char **sets, gp_err *err) {
  for (int d = sw->ndims; d-- > 0;) {
    const gp_sweep_dim *dim = &sw->dims[d];
    size_t i = k % (size_t)dim->nvalues;
    k /= (size_t)dim->nvalues;
    size_t len = strlen(dim->path) + strlen(dim->values[i]) + 2;
    sets[d] = malloc(len);
    if (!sets[d]) {
      for (int e = d + 1; e < sw->ndims; e++) free(sets[e]);
      return GP_ERR_NOMEM(err);
    }
    snprintf(sets[d], len, "%s=%s", dim->path, dim->values[i]);
  }
  return 0;
}

void gp_sweep_free_sets(char **sets, int n) {
  for (int i = 0; i < n; i++) free(sets[i]);
}
