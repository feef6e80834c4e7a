/* models/experiment/sweep.c - parameter sweeps (see sweep.h). */
#include "models/experiment/sweep.h"

#include <errno.h>
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

/* Add a dimension; takes ownership of VALUES (and frees it on failure). */
static int add_dim(gp_sweep *sw, const char *path, char **values, int n, gp_err *err) {
  gp_sweep_dim *nd = realloc(sw->dims, (size_t)(sw->ndims + 1) * sizeof *nd);
  char *p = dup(path);
  if (!nd || !p) {
    if (nd) sw->dims = nd;
    free(p);
    for (int i = 0; i < n; i++) free(values[i]);
    free(values);
    return GP_ERR_NOMEM(err);
  }
  sw->dims = nd;
  sw->dims[sw->ndims++] = (gp_sweep_dim){p, values, n};
  if (gp_sweep_npoints(sw) > GP_SWEEP_MAX_POINTS)
    return GP_ERR(err, GP_EX_USAGE, "sweep: more than %d points", GP_SWEEP_MAX_POINTS);
  return 0;
}

int gp_sweep_add_scenario(gp_sweep *sw, const gp_scenario *s, gp_err *err) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(gp_json_root(s->doc), "sweep");
  if (!a) return 0;
  for (const cJSON *dim = a->child; dim; dim = dim->next) {
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(dim, "path");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(dim, "values");
    int n = cJSON_GetArraySize(vals);
    char **v = calloc((size_t)n, sizeof *v);
    if (!v) return GP_ERR_NOMEM(err);
    int i = 0;
    for (const cJSON *it = vals->child; it; it = it->next, i++)
      if (!(v[i] = cJSON_PrintUnformatted(it))) {
        for (int j = 0; j < i; j++) free(v[j]);
        free(v);
        return GP_ERR_NOMEM(err);
      }
    if (add_dim(sw, path->valuestring, v, n, err)) return -1;
  }
  return 0;
}

/* A number as JSON text, without noise from binary fractions (0.1 steps). */
static char *num_text(double x) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.12g", x);
  return dup(buf);
}

int gp_sweep_add_arg(gp_sweep *sw, const char *arg, gp_err *err) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1])
    return GP_ERR(err, GP_EX_USAGE, "--sweep %s: expected PATH=FROM:TO:STEP or PATH=V1,V2,...", arg);
  char path[512];
  size_t plen = (size_t)(eq - arg);
  if (plen >= sizeof path) return GP_ERR(err, GP_EX_USAGE, "--sweep: path too long");
  memcpy(path, arg, plen);
  path[plen] = '\0';
  const char *spec = eq + 1;
  char **v = NULL;
  int n = 0;
  if (strchr(spec, ':')) {
    char *end;
    errno = 0;
    double from = strtod(spec, &end), to = 0, step = 0;
    int ok = end != spec && *end == ':';
    if (ok) {
      const char *q = end + 1;
      to = strtod(q, &end);
      ok = end != q && *end == ':';
      if (ok) {
        q = end + 1;
        step = strtod(q, &end);
        ok = end != q && *end == '\0';
      }
    }
    if (!ok || errno || !isfinite(from) || !isfinite(to) || !(step > 0) || to < from)
      return GP_ERR(err, GP_EX_USAGE,
                    "--sweep %s: expected FROM:TO:STEP with FROM <= TO and STEP > 0", arg);
    double count = floor((to - from) / step + 1e-9) + 1;
    if (count > GP_SWEEP_MAX_POINTS)
      return GP_ERR(err, GP_EX_USAGE, "--sweep %s: more than %d values", arg, GP_SWEEP_MAX_POINTS);
    n = (int)count;
    v = calloc((size_t)n, sizeof *v);
    if (!v) return GP_ERR_NOMEM(err);
    for (int i = 0; i < n; i++)
      if (!(v[i] = num_text(from + step * i))) {
        for (int j = 0; j < i; j++) free(v[j]);
        free(v);
        return GP_ERR_NOMEM(err);
      }
  } else {
    for (const char *p = spec;; n++) { /* count commas */
      p = strchr(p, ',');
      if (!p) break;
      p++;
    }
    n++;
    v = calloc((size_t)n, sizeof *v);
    if (!v) return GP_ERR_NOMEM(err);
    const char *p = spec;
    for (int i = 0; i < n; i++) {
      const char *c = strchr(p, ',');
      size_t len = c ? (size_t)(c - p) : strlen(p);
      char *item = malloc(len + 1);
      if (!item) {
        for (int j = 0; j < i; j++) free(v[j]);
        free(v);
        return GP_ERR_NOMEM(err);
      }
      memcpy(item, p, len);
      item[len] = '\0';
      /* JSON if it parses (numbers, true, quoted strings), else a string. */
      cJSON *j = cJSON_Parse(item);
      if (!j) j = cJSON_CreateString(item);
      free(item);
      v[i] = j ? cJSON_PrintUnformatted(j) : NULL;
      cJSON_Delete(j);
      if (!v[i] || len == 0) {
        for (int k = 0; k <= i; k++) free(v[k]);
        free(v);
        return len == 0 ? GP_ERR(err, GP_EX_USAGE, "--sweep %s: empty value", arg) : GP_ERR_NOMEM(err);
      }
      p = c ? c + 1 : p + len;
    }
  }
  return add_dim(sw, path, v, n, err);
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
