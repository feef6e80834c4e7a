/*
 * models/scenario/dist.c - random quantities read from a scenario (see dist.h).
 *
 * Reading checks everything a run would otherwise trip over: the kind, its
 * keys, each parameter's domain, and that every value the quantity can take
 * (its support, narrowed by "min_value"/"max_value") lies within the range
 * the caller allows.  A discrete quantity gets its Walker alias table here,
 * so sampling allocates nothing.
 *
 * The names a scenario writes (kinds, their parameters, the keys all kinds
 * take) are the tables below; tests/unit/test_format.c holds
 * scenarios/schema.json and scenarios/README.md to them.
 *
 * Invariant: a gp_dist that gp_dist_read or gp_dist_copy filled has valid
 * parameters, lo <= hi, and for GP_DIST_DISCRETE n > 0 with values, weights
 * and table all allocated; any other kind owns nothing (its pointers are
 * NULL).  A lognormal's log_median is log(p[0]) (nothing writes p after
 * gp_dist_read: a quantity that changes is read again).
 */
#include "models/scenario/dist.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATHLEN 512

const char *const gp_dist_kind_names[] = {"constant", "exponential", "lognormal", "normal", "uniform",
                                          "triangular", "beta", "gamma", "discrete", NULL};
const char *const gp_dist_common_keys[] = {"dist", "note", "min_value", "max_value", NULL};
/* Parameter keys per kind, in the order of gp_dist.p (discrete: the arrays). */
static const char *const kind_params[][GP_DIST_MAX_PARAMS + 1] = {
    [GP_DIST_CONSTANT] = {"value"},          [GP_DIST_EXPONENTIAL] = {"mean"},
    [GP_DIST_LOGNORMAL] = {"median", "sigma"}, [GP_DIST_NORMAL] = {"mean", "sd"},
    [GP_DIST_UNIFORM] = {"min", "max"},      [GP_DIST_TRIANGULAR] = {"min", "mode", "max"},
    [GP_DIST_BETA] = {"a", "b"},             [GP_DIST_GAMMA] = {"shape", "scale"},
    [GP_DIST_DISCRETE] = {"values", "weights"},
};

const char *const *gp_dist_kind_params(gp_dist_kind kind) { return kind_params[kind]; }

void gp_dist_constant(gp_dist *d, double v) {
  memset(d, 0, sizeof *d);
  d->kind = GP_DIST_CONSTANT;
  d->p[0] = v;
  d->lo = -HUGE_VAL;
  d->hi = HUGE_VAL;
}

void gp_dist_free(gp_dist *d) {
  if (!d) return;
  free(d->values);
  free(d->weights);
  if (d->table) gsl_ran_discrete_free(d->table);
  gp_dist_constant(d, 0);
}

int gp_dist_copy(gp_dist *dst, const gp_dist *src, gp_err *err) {
  gp_dist t = *src;
  t.values = t.weights = NULL;
  t.table = NULL;
  if (src->kind == GP_DIST_DISCRETE && src->n > 0) {
    t.values = malloc(src->n * sizeof *t.values);
    t.weights = malloc(src->n * sizeof *t.weights);
    if (t.values && t.weights) {
      memcpy(t.values, src->values, src->n * sizeof *t.values);
      memcpy(t.weights, src->weights, src->n * sizeof *t.weights);
      /* The alias table is a function of the weights alone. */
      t.table = gsl_ran_discrete_preproc(src->n, t.weights);
    }
    if (!t.table) {
      gp_dist_free(&t);
      gp_dist_constant(dst, 0);
      return GP_ERR_NOMEM(err);
    }
  }
  *dst = t;
  return 0;
}

static double clamp(const gp_dist *d, double x) {
  if (x < d->lo) x = d->lo;
  if (x > d->hi) x = d->hi;
  return x;
}

/* Inverse CDF of the triangular distribution on [a, b] with mode c (a < b). */
static double triangular(double u, double a, double c, double b) {
  double fc = (c - a) / (b - a);
  if (u < fc) return a + sqrt(u * (b - a) * (c - a));
  return b - sqrt((1 - u) * (b - a) * (b - c));
}

double gp_dist_sample(const gp_dist *d, gsl_rng *r) {
  const double *p = d->p;
  double x;
  switch (d->kind) {
  case GP_DIST_CONSTANT: x = p[0]; break;
  case GP_DIST_EXPONENTIAL: x = gsl_ran_exponential(r, p[0]); break;
  case GP_DIST_LOGNORMAL: x = gsl_ran_lognormal(r, d->log_median, p[1]); break;
  case GP_DIST_NORMAL: x = p[0] + gsl_ran_gaussian(r, p[1]); break;
  case GP_DIST_UNIFORM: x = gsl_ran_flat(r, p[0], p[1]); break;
  case GP_DIST_TRIANGULAR: x = triangular(gsl_rng_uniform(r), p[0], p[1], p[2]); break;
  case GP_DIST_BETA: x = gsl_ran_beta(r, p[0], p[1]); break;
  case GP_DIST_GAMMA: x = gsl_ran_gamma(r, p[0], p[1]); break;
  case GP_DIST_DISCRETE: x = d->values[gsl_ran_discrete(r, d->table)]; break;
  default: x = 0; break;
  }
  return clamp(d, x);
}

int gp_dist_has_quantile(gp_dist_kind kind) {
  switch (kind) {
  case GP_DIST_CONSTANT:
  case GP_DIST_EXPONENTIAL:
  case GP_DIST_LOGNORMAL:
  case GP_DIST_NORMAL:
  case GP_DIST_UNIFORM:
  case GP_DIST_TRIANGULAR:
  case GP_DIST_BETA:
  case GP_DIST_GAMMA:
  case GP_DIST_DISCRETE: return 1;
  }
  return 0;
}

/* The smallest value V of discrete D with P(X <= V) >= U: quadratic in the
 * number of values, but it allocates nothing and the lists are short. */
static double discrete_quantile(const gp_dist *d, double u) {
  double total = 0, best = HUGE_VAL;
  for (size_t i = 0; i < d->n; i++) total += d->weights[i];
  for (size_t i = 0; i < d->n; i++) {
    if (!(d->weights[i] > 0) || d->values[i] >= best) continue;
    double below = 0; /* P(X <= values[i]) x total */
    for (size_t j = 0; j < d->n; j++)
      if (d->values[j] <= d->values[i]) below += d->weights[j];
    if (below >= u * total) best = d->values[i];
  }
  return best;
}

double gp_dist_quantile(const gp_dist *d, double u) {
  const double *p = d->p;
  double x;
  switch (d->kind) {
  case GP_DIST_CONSTANT: x = p[0]; break;
  case GP_DIST_EXPONENTIAL: x = gsl_cdf_exponential_Pinv(u, p[0]); break;
  case GP_DIST_LOGNORMAL: x = p[1] > 0 ? gsl_cdf_lognormal_Pinv(u, log(p[0]), p[1]) : p[0]; break;
  case GP_DIST_NORMAL: x = p[1] > 0 ? p[0] + gsl_cdf_gaussian_Pinv(u, p[1]) : p[0]; break;
  case GP_DIST_UNIFORM: x = u >= 1 ? p[1] : p[0] + u * (p[1] - p[0]); break;
  case GP_DIST_TRIANGULAR: x = triangular(u, p[0], p[1], p[2]); break;
  case GP_DIST_BETA: x = gsl_cdf_beta_Pinv(u, p[0], p[1]); break;
  case GP_DIST_GAMMA: x = gsl_cdf_gamma_Pinv(u, p[0], p[1]); break;
  case GP_DIST_DISCRETE: x = discrete_quantile(d, u); break;
  default: return NAN;
  }
  return isnan(x) ? x : clamp(d, x);
}

double gp_dist_mean(const gp_dist *d) {
  const double *p = d->p;
  switch (d->kind) {
  case GP_DIST_CONSTANT: return p[0];
  case GP_DIST_EXPONENTIAL: return p[0];
  case GP_DIST_LOGNORMAL: return p[0] * exp(p[1] * p[1] / 2);
  case GP_DIST_NORMAL: return p[0];
  case GP_DIST_UNIFORM: return (p[0] + p[1]) / 2;
  case GP_DIST_TRIANGULAR: return (p[0] + p[1] + p[2]) / 3;
  case GP_DIST_BETA: return p[0] / (p[0] + p[1]);
  case GP_DIST_GAMMA: return p[0] * p[1];
  case GP_DIST_DISCRETE: {
    double sw = 0, swv = 0;
    for (size_t i = 0; i < d->n; i++) {
      sw += d->weights[i];
      swv += d->weights[i] * d->values[i];
    }
    return swv / sw;
  }
  }
  return 0;
}

/* ---- reading ---- */

/* The article for a kind name ("a uniform", "an exponential"). */
static const char *an(const char *word) { return word[0] && strchr("aeio", word[0]) ? "an" : "a"; }

/* "a number in [1, 32]", "a number >= 1", ... */
static const char *range_text(char *buf, size_t size, double min, double max) {
  if (min > -HUGE_VAL && max < HUGE_VAL) snprintf(buf, size, "a number in [%g, %g]", min, max);
  else if (min > -HUGE_VAL) snprintf(buf, size, "a number >= %g", min);
  else if (max < HUGE_VAL) snprintf(buf, size, "a number <= %g", max);
  else snprintf(buf, size, "a number");
  return buf;
}

/* Fail at OBJ[KEY] (path PATH.KEY) with "expected MSG, found <it>". */
static int fail_member(const gp_json *doc, const cJSON *obj, const char *path, const char *key, gp_err *err,
                       const char *msg) {
  char p[PATHLEN], d[64];
  const cJSON *node = cJSON_GetObjectItemCaseSensitive(obj, key);
  return gp_json_fail(doc, node ? node : obj, node ? gp_json_path_key(p, sizeof p, path, key) : path, err,
                      "expected %s, found %s", msg, gp_json_describe(node ? node : obj, d, sizeof d));
}

/* The "values" and "weights" arrays of a discrete quantity at O (path P). */
static int read_discrete(const gp_json *doc, const cJSON *o, const char *p, gp_dist *t, gp_err *err) {
  char pv[PATHLEN], pw[PATHLEN], pe[PATHLEN], d[64];
  const cJSON *vals = cJSON_GetObjectItemCaseSensitive(o, "values");
  const cJSON *wts = cJSON_GetObjectItemCaseSensitive(o, "weights");
  gp_json_path_key(pv, sizeof pv, p, "values");
  gp_json_path_key(pw, sizeof pw, p, "weights");
  if (!vals) return gp_json_fail(doc, o, p, err, "expected key \"values\", found none");
  if (gp_json_expect_array(doc, vals, pv, err)) return -1;
  int n = cJSON_GetArraySize(vals);
  if (n == 0) return gp_json_fail(doc, vals, pv, err, "expected at least one value, found an empty array");
  if (!wts) return gp_json_fail(doc, o, p, err, "expected key \"weights\", found none");
  if (gp_json_expect_array(doc, wts, pw, err)) return -1;
  int nw = cJSON_GetArraySize(wts);
  if (nw != n)
    return gp_json_fail(doc, wts, pw, err, "expected %d weight%s (one per value), found %d", n, n == 1 ? "" : "s",
                        nw);
  t->n = (size_t)n;
  if (!(t->values = malloc(t->n * sizeof *t->values)) || !(t->weights = malloc(t->n * sizeof *t->weights)))
    return GP_ERR_NOMEM(err);
  const cJSON *v = vals->child, *w = wts->child;
  double sum = 0;
  for (int i = 0; i < n; i++, v = v->next, w = w->next) {
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
      return gp_json_fail(doc, v, gp_json_path_index(pe, sizeof pe, pv, i), err, "expected a number, found %s%s",
                          gp_json_describe(v, d, sizeof d), gp_json_number_hint(v));
    if (!cJSON_IsNumber(w) || !(w->valuedouble >= 0) || !isfinite(w->valuedouble))
      return gp_json_fail(doc, w, gp_json_path_index(pe, sizeof pe, pw, i), err,
                          "expected a number >= 0, found %s", gp_json_describe(w, d, sizeof d));
    t->values[i] = v->valuedouble;
    t->weights[i] = w->valuedouble;
    sum += w->valuedouble;
  }
  if (!(sum > 0)) return gp_json_fail(doc, wts, pw, err, "expected weights with a positive sum, found all zero");
  if (!isfinite(sum)) return gp_json_fail(doc, wts, pw, err, "expected weights with a finite sum, found an overflow");
  if (!(t->table = gsl_ran_discrete_preproc(t->n, t->weights))) return GP_ERR_NOMEM(err);
  return 0;
}

/* The parameters of kind T->kind at O (path P), with their domains. */
static int read_params(const gp_json *doc, const cJSON *o, const char *p, gp_dist *t, gp_err *err) {
  const double inf = HUGE_VAL;
  double *x = t->p;
  const char *const *k = kind_params[t->kind];
  char msg[160];
  switch (t->kind) {
  case GP_DIST_CONSTANT:
  case GP_DIST_NORMAL:
    if (gp_json_number(doc, o, p, k[0], 1, -inf, inf, &x[0], err)) return -1;
    if (t->kind == GP_DIST_NORMAL && gp_json_number(doc, o, p, k[1], 1, 0, inf, &x[1], err)) return -1;
    return 0;
  case GP_DIST_EXPONENTIAL:
    return gp_json_number_ex(doc, o, p, k[0], 1, 0, inf, GP_JSON_OPEN_MIN, &x[0], err);
  case GP_DIST_LOGNORMAL:
    return gp_json_number_ex(doc, o, p, k[0], 1, 0, inf, GP_JSON_OPEN_MIN, &x[0], err) ||
                   gp_json_number(doc, o, p, k[1], 1, 0, inf, &x[1], err)
               ? -1
               : 0;
  case GP_DIST_BETA:
  case GP_DIST_GAMMA:
    return gp_json_number_ex(doc, o, p, k[0], 1, 0, inf, GP_JSON_OPEN_MIN, &x[0], err) ||
                   gp_json_number_ex(doc, o, p, k[1], 1, 0, inf, GP_JSON_OPEN_MIN, &x[1], err)
               ? -1
               : 0;
  case GP_DIST_UNIFORM:
    if (gp_json_number(doc, o, p, "min", 1, -inf, inf, &x[0], err) ||
        gp_json_number(doc, o, p, "max", 1, -inf, inf, &x[1], err))
      return -1;
    if (x[1] < x[0]) {
      snprintf(msg, sizeof msg, "a number >= \"min\" (%g)", x[0]);
      return fail_member(doc, o, p, "max", err, msg);
    }
    return 0;
  case GP_DIST_TRIANGULAR:
    if (gp_json_number(doc, o, p, "min", 1, -inf, inf, &x[0], err) ||
        gp_json_number(doc, o, p, "mode", 1, -inf, inf, &x[1], err) ||
        gp_json_number(doc, o, p, "max", 1, -inf, inf, &x[2], err))
      return -1;
    if (!(x[2] > x[0])) {
      snprintf(msg, sizeof msg, "a number > \"min\" (%g)", x[0]);
      return fail_member(doc, o, p, "max", err, msg);
    }
    if (x[1] < x[0] || x[1] > x[2]) {
      snprintf(msg, sizeof msg, "a number between \"min\" and \"max\" (%g and %g)", x[0], x[2]);
      return fail_member(doc, o, p, "mode", err, msg);
    }
    return 0;
  case GP_DIST_DISCRETE: return read_discrete(doc, o, p, t, err);
  }
  return GP_ERR(err, GP_EX_SOFTWARE, "%s: unknown distribution kind %d", p, (int)t->kind);
}

/* The smallest and largest values T can take before clamping (infima and
 * suprema: a lognormal's lower end is 0). */
static void support(const gp_dist *t, double *lo, double *hi) {
  const double *x = t->p;
  *lo = -HUGE_VAL;
  *hi = HUGE_VAL;
  switch (t->kind) {
  case GP_DIST_CONSTANT: *lo = *hi = x[0]; break;
  case GP_DIST_EXPONENTIAL:
  case GP_DIST_GAMMA: *lo = 0; break;
  case GP_DIST_LOGNORMAL:
    if (x[1] > 0) *lo = 0;
    else *lo = *hi = x[0];
    break;
  case GP_DIST_NORMAL:
    if (x[1] == 0) *lo = *hi = x[0];
    break;
  case GP_DIST_UNIFORM: *lo = x[0], *hi = x[1]; break;
  case GP_DIST_TRIANGULAR: *lo = x[0], *hi = x[2]; break;
  case GP_DIST_BETA: *lo = 0, *hi = 1; break;
  case GP_DIST_DISCRETE:
    *lo = HUGE_VAL, *hi = -HUGE_VAL;
    for (size_t i = 0; i < t->n; i++)
      if (t->weights[i] > 0) {
        if (t->values[i] < *lo) *lo = t->values[i];
        if (t->values[i] > *hi) *hi = t->values[i];
      }
    break;
  }
}

/* Check that every value T can take, after clamping, lies in [MIN, MAX].
 * Blame the most specific culprit: a clamp, a value, a bound parameter, or
 * else the distribution as a whole. */
static int check_range(const gp_json *doc, const cJSON *o, const char *p, const gp_dist *t, double min, double max,
                       gp_err *err) {
  char r[96], msg[160];
  range_text(r, sizeof r, min, max);
  if (t->lo > max) return fail_member(doc, o, p, "min_value", err, r);
  if (t->hi < min) return fail_member(doc, o, p, "max_value", err, r);
  double slo, shi;
  support(t, &slo, &shi);
  for (int side = 0; side < 2; side++) {
    double e = clamp(t, side == 0 ? slo : shi);
    int bad = side == 0 ? e < min : e > max;
    if (!bad) continue;
    double bound = side == 0 ? min : max;
    const char *clampkey = side == 0 ? "min_value" : "max_value";
    if ((side == 0 ? t->lo > -HUGE_VAL : t->hi < HUGE_VAL)) return fail_member(doc, o, p, clampkey, err, r);
    if (t->kind == GP_DIST_CONSTANT) return fail_member(doc, o, p, "value", err, r);
    if (t->kind == GP_DIST_UNIFORM || t->kind == GP_DIST_TRIANGULAR)
      return fail_member(doc, o, p, side == 0 ? "min" : "max", err, r);
    if (t->kind == GP_DIST_DISCRETE) {
      const cJSON *vals = cJSON_GetObjectItemCaseSensitive(o, "values");
      char pv[PATHLEN], pe[PATHLEN], d[64];
      gp_json_path_key(pv, sizeof pv, p, "values");
      int i = 0;
      for (const cJSON *v = vals ? vals->child : NULL; v; v = v->next, i++) {
        double c = clamp(t, v->valuedouble);
        if (t->weights[i] > 0 && (side == 0 ? c < min : c > max))
          return gp_json_fail(doc, v, gp_json_path_index(pe, sizeof pe, pv, i), err, "expected %s, found %s", r,
                              gp_json_describe(v, d, sizeof d));
      }
    }
    const char *kind = gp_dist_kind_names[t->kind];
    snprintf(msg, sizeof msg, "values %s %g", side == 0 ? ">=" : "<=", bound);
    char d2[32];
    snprintf(d2, sizeof d2, "%g", bound);
    return gp_json_fail(doc, o, p, err, "expected %s, found %s %s distribution that can go %s %s (add \"%s\")", msg,
                        an(kind), kind, side == 0 ? "below" : "above", d2, clampkey);
  }
  return 0;
}

/* On success D is overwritten, not released first: callers hold a default in
 * it (gp_dist_constant), which owns nothing.  On failure D is untouched. */
int gp_dist_read(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required, double min,
                 double max, gp_dist *d, gp_err *err) {
  const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
  if (!v) {
    if (!required) return 0;
    return gp_json_fail(doc, obj, path, err, "expected key \"%s\", found none", key);
  }
  char p[PATHLEN], dd[64];
  gp_json_path_key(p, sizeof p, path, key);
  if (cJSON_IsNumber(v)) { /* shorthand for a constant */
    double x;
    if (gp_json_number(doc, obj, path, key, 1, min, max, &x, err)) return -1;
    gp_dist_constant(d, x);
    return 0;
  }
  if (!cJSON_IsObject(v))
    return gp_json_fail(doc, v, p, err, "expected a number or an object with a \"dist\" key, found %s%s",
                        gp_json_describe(v, dd, sizeof dd), gp_json_number_hint(v));
  int kind = 0;
  if (gp_json_enum(doc, v, p, "dist", 1, gp_dist_kind_names, &kind, err)) return -1;
  /* The keys every kind takes, then the kind's parameters. */
  const char *allowed[16] = {NULL};
  int na = 0;
  for (int i = 0; gp_dist_common_keys[i] && na < 15 - GP_DIST_MAX_PARAMS; i++)
    allowed[na++] = gp_dist_common_keys[i];
  for (int i = 0; kind_params[kind][i]; i++) allowed[na++] = kind_params[kind][i];
  const char *note = NULL;
  gp_dist t;
  gp_dist_constant(&t, 0);
  t.kind = (gp_dist_kind)kind;
  if (gp_json_check_keys(doc, v, p, allowed, err) || gp_json_string(doc, v, p, "note", 0, 0, &note, err) ||
      gp_json_number(doc, v, p, "min_value", 0, -HUGE_VAL, HUGE_VAL, &t.lo, err) ||
      gp_json_number(doc, v, p, "max_value", 0, -HUGE_VAL, HUGE_VAL, &t.hi, err))
    return -1;
  if (t.hi < t.lo) {
    char msg[96];
    snprintf(msg, sizeof msg, "a number >= \"min_value\" (%g)", t.lo);
    return fail_member(doc, v, p, "max_value", err, msg);
  }
  if (read_params(doc, v, p, &t, err) || check_range(doc, v, p, &t, min, max, err)) {
    gp_dist_free(&t);
    return -1;
  }
  if (t.kind == GP_DIST_LOGNORMAL) t.log_median = log(t.p[0]);
  *d = t;
  return 0;
}
