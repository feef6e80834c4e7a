/*
 * models/scenario/calibration.c - the "calibration" block (see
 * calibration.h): reading and checking unknowns and targets, and the
 * scenario of one set of the unknowns' values.
 *
 * An unknown's box is checked the way uncertain.c checks a factor: the rest
 * of the scenario (without "calibration", "uncertain" and "sweep") is loaded
 * again with the unknown put in through the --set path at min, at max and at
 * an inside value, and a refusal becomes an error at the unknown's "min",
 * "max" or "integer", quoting the loader's reason.  Values are written with
 * 17 significant digits, which read back as the very double.
 *
 * Invariant: a loaded block has at least one unknown and one target; its
 * unknowns name distinct numbers of the modelled world, each with min < max;
 * its targets name existing demand sources and have sd > 0.
 */
#include "models/scenario/calibration.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/json_int.h"
#include "models/scenario/loader_int.h"
#include "models/scenario/uncertain.h"

/* The name the probes' scenario goes by in their messages. */
#define PROBE "calibration"
/* Where an unknown is tried inside its box: 1 - 1/phi, not a whole number. */
#define INSIDE 0.38196601125010515

/* The keys of the top level that are the run's, not the modelled world's. */

double gp_calibration_value(const gp_cal_unknown *u, double x) {
  x = fmin(fmax(x, 0), 1);
  double v = u->has_prior ? gp_dist_quantile(&u->prior, x) : u->min + x * (u->max - u->min);
  v = fmin(fmax(v, u->min), u->max);
  return u->integer ? nearbyint(v) : v;
}

char *gp_calibration_text(const gp_scenario *s, size_t *len, gp_err *err) {
  char *text = gp_uncertain_probe_text(gp_json_root(s->doc), len);
  if (!text) GP_ERR_NOMEM(err);
  return text;
}

/* Load TEXT with unknown U at X; fail at O[KEY] (O at path P) with the
 * loader's reason when it refuses X. */
static int probe(gp_loader *L, const char *text, size_t len, const cJSON *o, const char *p,
                 const gp_cal_unknown *u, double x, const char *key) {
  char pk[GP_LOADER_PATHLEN];
  gp_err e;
  int rc = gp_uncertain_probe_load(PROBE, text, len, u->path, x, &e);
  if (rc <= 0) {
    if (rc) *L->err = e;
    return rc;
  }
  const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, key);
  return gp_json_fail(L->doc, at ? at : o, at ? gp_json_path_key(pk, sizeof pk, p, key) : p,
                      L->err, "expected values the scenario accepts at %s, found %.17g, which it "
                      "refuses (%s)%s",
                      u->path, x, gp_uncertain_probe_reason(e.msg, PROBE),
                      !u->integer && x != nearbyint(x)
                          ? "; a whole-number value needs \"integer\": true"
                          : "");
}

/* U->path (of unknown I, at O, path P) names a number of the world the
 * scenario writes, and no earlier unknown's. */
static int check_path(gp_loader *L, const cJSON *o, const char *p, const gp_cal_unknown *u, int i,
                      const struct gp_calibration *c) {
  const cJSON *target = gp_uncertain_path(L, o, p, u->path, "review.reviewers", "fit");
  if (!target) return -1;
  int where;
  for (int j = 0; j < i; j++)
    if (gp_uncertain_node(gp_json_root(L->doc), c->unknowns[j].path, &where) == target) {
      char msg[96];
      snprintf(msg, sizeof msg, "expected a value no other unknown names (unknowns[%d] does)", j);
      return gp_loader_fail(L, o, p, "path", msg);
    }
  return 0;
}

/* Unknown I at O (path P): its keys, its path, its box, its prior. */
static int load_unknown(gp_loader *L, const cJSON *o, const char *p, int i,
                        struct gp_calibration *c, const char *text, size_t len) {
  gp_cal_unknown *u = &c->unknowns[i];
  u->note = "";
  if (gp_loader_object(L, o, p, &gp_format_cal_unknown) ||
      gp_json_string(L->doc, o, p, "path", 1, 1, &u->path, L->err) ||
      check_path(L, o, p, u, i, c) ||
      gp_json_number(L->doc, o, p, "min", 1, -1e300, 1e300, &u->min, L->err) ||
      gp_json_number(L->doc, o, p, "max", 1, -1e300, 1e300, &u->max, L->err) ||
      gp_json_bool(L->doc, o, p, "integer", 0, &u->integer, L->err) ||
      gp_json_string(L->doc, o, p, "note", 0, 0, &u->note, L->err))
    return -1;
  if (!(u->min < u->max))
    return gp_loader_fail(L, o, p, "max", "expected a number above \"min\"");
  if (u->integer && !(ceil(u->min) < floor(u->max) + 0.5 && ceil(u->min) < u->max))
    return gp_loader_fail(L, o, p, "max", "expected at least two whole numbers in [min, max]");
  if (cJSON_GetObjectItemCaseSensitive(o, "prior")) {
    if (gp_dist_read(L->doc, o, p, "prior", 1, u->min, u->max, &u->prior, L->err)) return -1;
    u->has_prior = 1;
    if (!gp_dist_has_quantile(u->prior.kind))
      return gp_loader_fail(L, o, p, "prior", "expected a distribution with an inverse CDF");
    if (!(gp_dist_quantile(&u->prior, 0) < gp_dist_quantile(&u->prior, 1)))
      return gp_loader_fail(L, o, p, "prior", "expected a distribution that varies");
  }
  return probe(L, text, len, o, p, u, gp_calibration_value(u, 0), "min") ||
                 probe(L, text, len, o, p, u, gp_calibration_value(u, 1), "max") ||
                 probe(L, text, len, o, p, u, gp_calibration_value(u, INSIDE), "integer")
             ? -1
             : 0;
}

/* Target I at O (path P): its keys, its source. */
static int load_target(gp_loader *L, const cJSON *o, const char *p, gp_cal_target *t) {
  const gp_scenario *s = L->s;
  if (gp_loader_object(L, o, p, &gp_format_cal_target) ||
      gp_json_string(L->doc, o, p, "source", 1, 1, &t->source, L->err) ||
      gp_json_string(L->doc, o, p, "metric", 1, 1, &t->metric, L->err) ||
      gp_json_number(L->doc, o, p, "value", 1, -1e300, 1e300, &t->value, L->err) ||
      gp_json_number_ex(L->doc, o, p, "sd", 1, 0, 1e300, GP_JSON_OPEN_MIN, &t->sd, L->err) ||
      gp_json_string(L->doc, o, p, "note", 1, 1, &t->note, L->err))
    return -1;
  t->origin = -1;
  int n = gp_scenario_norigins(s);
  for (int k = 0; k < n && t->origin < 0; k++)
    if (strcmp(gp_scenario_origin_name(s, k), t->source) == 0) t->origin = k;
  if (t->origin >= 0) return 0;
  char msg[512];
  size_t at = 0;
  msg[0] = '\0';
  at += (size_t)snprintf(msg, sizeof msg, "expected the name of a call, stream or designation (");
  for (int k = 0; k < n && at < sizeof msg - 40; k++)
    at += (size_t)snprintf(msg + at, sizeof msg - at, "%s%s", k ? ", " : "",
                           gp_scenario_origin_name(s, k));
  snprintf(msg + at, sizeof msg - at, "%s)", at >= sizeof msg - 40 ? ", ..." : "");
  return gp_loader_fail(L, o, p, "source", msg);
}

int gp_calibration_load(gp_loader *L, const cJSON *root) {
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(root, "calibration");
  if (!b) return 0;
  if (gp_loader_object(L, b, "calibration", &gp_format_calibration)) return -1;
  struct gp_calibration *c = calloc(1, sizeof *c);
  if (!c) return GP_ERR_NOMEM(L->err);
  L->s->calibration = c;
  int nu, nt;
  const cJSON *au = gp_loader_array(L, b, "calibration", "unknowns", 1, GP_CALIBRATION_MAX, &nu);
  if (!au) return -1;
  const cJSON *at = gp_loader_array(L, b, "calibration", "targets", 1, GP_CALIBRATION_MAX, &nt);
  if (!at) return -1;
  c->unknowns = calloc((size_t)nu, sizeof *c->unknowns);
  c->targets = calloc((size_t)nt, sizeof *c->targets);
  if (!c->unknowns || !c->targets) return GP_ERR_NOMEM(L->err);
  for (int i = 0; i < nu; i++) gp_dist_constant(&c->unknowns[i].prior, 0);
  c->nunknowns = nu;
  c->ntargets = nt;
  const cJSON *o = at->child;
  for (int i = 0; i < nt; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN];
    if (load_target(L, o, gp_json_path_index(p, sizeof p, "calibration.targets", i),
                    &c->targets[i]))
      return -1;
  }
  size_t len = 0;
  char *text = gp_uncertain_probe_text(root, &len);
  if (!text) return GP_ERR_NOMEM(L->err);
  int rc = 0;
  o = au->child;
  for (int i = 0; i < nu && !rc; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN];
    rc = load_unknown(L, o, gp_json_path_index(p, sizeof p, "calibration.unknowns", i), i, c, text,
                      len);
  }
  free(text);
  return rc;
}

gp_scenario *gp_calibration_apply(const gp_scenario *s, const char *text, size_t len,
                                  const double *values, int policy, long long seed, gp_err *err) {
  const struct gp_calibration *c = s->calibration;
  if (!c || policy < 0 || policy >= s->npolicies) {
    GP_ERR(err, GP_EX_SOFTWARE, "calibration: no block, or no policy %d", policy);
    return NULL;
  }
  int n = c->nunknowns;
  char **sets = calloc((size_t)n, sizeof *sets);
  int rc = sets ? 0 : GP_ERR_NOMEM(err);
  for (int i = 0; i < n && !rc; i++) {
    size_t size = strlen(c->unknowns[i].path) + 40;
    if (!(sets[i] = malloc(size))) rc = GP_ERR_NOMEM(err);
    else snprintf(sets[i], size, "%s=%.17g", c->unknowns[i].path, values[i]);
  }
  gp_scenario *t = NULL;
  if (!rc) {
    gp_overrides ov = GP_OVERRIDES_NONE;
    ov.sets = (const char *const *)sets;
    ov.nsets = n;
    ov.seed = seed; /* through the loader: whatever it derives from the seed follows */
    t = gp_scenario_parse(s->file, text, len, &ov, err);
  }
  /* Only POLICY, found by name (the text lists every policy of the file). */
  int found = -1;
  for (int j = 0; t && j < t->npolicies && found < 0; j++)
    if (strcmp(t->policies[j].name, s->policies[policy].name) == 0) found = j;
  if (t && found < 0) {
    GP_ERR(err, GP_EX_SOFTWARE, "calibration: policy %s lost", s->policies[policy].name);
    gp_scenario_free(t);
    t = NULL;
  }
  if (t) {
    t->policies[0] = t->policies[found];
    t->npolicies = 1;
  }
  for (int i = 0; sets && i < n; i++) free(sets[i]);
  free(sets);
  return t;
}

int gp_calibration_check_metrics(const gp_scenario *s, gp_calibration_metric_fn *ok, void *ctx,
                                 const char *expected, gp_err *err) {
  const struct gp_calibration *c = s->calibration;
  if (!c) return 0;
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(gp_json_root(s->doc), "calibration");
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, "targets");
  o = o ? o->child : NULL;
  for (int i = 0; i < c->ntargets; i++, o = o ? o->next : NULL) {
    if (ok(ctx, c->targets[i].metric)) continue;
    char p[GP_LOADER_PATHLEN], pk[GP_LOADER_PATHLEN];
    gp_json_path_index(p, sizeof p, "calibration.targets", i);
    const cJSON *at = o ? cJSON_GetObjectItemCaseSensitive(o, "metric") : NULL;
    return gp_json_fail(s->doc, at ? at : b, gp_json_path_key(pk, sizeof pk, p, "metric"), err,
                        "expected %s, found \"%s\"", expected, c->targets[i].metric);
  }
  return 0;
}

void gp_calibration_free(struct gp_calibration *c) {
  if (!c) return;
  for (int i = 0; c->unknowns && i < c->nunknowns; i++) gp_dist_free(&c->unknowns[i].prior);
  free(c->unknowns);
  free(c->targets);
  free(c);
}
