/*
 * models/scenario/uncertain.c - the "uncertain" block (see uncertain.h):
 * reading and checking its factors, and a replication's scenario.
 *
 * A factor's range is never repeated here: the loader's own checks decide.
 * The rest of the scenario (without the block) is loaded again with the
 * factors' values put in through the --set path (gp_overrides_walk finds
 * them, as --set does), at the lower and upper ends of their supports and
 * at one value inside (a continuous distribution on an integer key fails
 * there), or at each of its values for a discrete one: all factors
 * together first (check_all: a few loads however many factors), each alone
 * only to find the culprit.  A refusal becomes an error at the factor's
 * "dist", quoting the loader's reason.  Values are written in digits that
 * read back exactly, so the scenario loaded holds the very double drawn.
 *
 * Invariant: a loaded block's factors name distinct numbers the scenario
 * writes, none of the run's own (seed, replications, output), each with a
 * distribution that varies and has an inverse CDF; s->uncertain_dims counts
 * their groups, every ungrouped factor a group of its own.
 */
#include "models/scenario/uncertain.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/json_int.h"
#include "models/scenario/loader_int.h"

/* The name the probes' scenario goes by (it never reaches a message whole). */
#define PROBE "uncertain"
/* Where a continuous factor is tried inside its support: 1 - 1/phi, an
 * irrational fraction, so that the value is not a whole number. */
#define INSIDE 0.38196601125010515

/* The keys of the top level that are the run's, not the modelled world's. */
static const char *const run_keys[] = {"seed", "replications", "output", NULL};

double gp_uncertain_value(const gp_uncertain *f, double u) { return gp_dist_quantile(&f->dist, u); }

/* "PATH=X" into BUF, X in the fewest digits that read back as X exactly
 * (an infinite X as the largest double: JSON has no infinity). */
static void set_of(char *buf, size_t size, const char *path, double x) {
  if (isinf(x)) x = copysign(DBL_MAX, x);
  int n = snprintf(buf, size, "%s=", path);
  if (n < 0 || (size_t)n >= size) return;
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf + n, size - (size_t)n, "%.*g", prec, x);
    if (strtod(buf + n, NULL) == x) break;
  }
}

char *gp_uncertain_probe_text(const cJSON *root, size_t *len) {
  cJSON *copy = cJSON_Duplicate(root, 1);
  if (!copy) return NULL;
  cJSON_DeleteItemFromObjectCaseSensitive(copy, "uncertain");
  cJSON_DeleteItemFromObjectCaseSensitive(copy, "sweep");
  cJSON_DeleteItemFromObjectCaseSensitive(copy, "calibration"); /* never re-checked per probe */
  char *text = cJSON_PrintUnformatted(copy);
  cJSON_Delete(copy);
  if (text) *len = strlen(text);
  return text;
}

char *gp_uncertain_text(const gp_scenario *s, size_t *len, gp_err *err) {
  char *text = gp_uncertain_probe_text(gp_json_root(s->doc), len);
  if (!text) GP_ERR_NOMEM(err);
  return text;
}

const char *gp_uncertain_probe_reason(const char *msg, const char *probe) {
  const char *m = msg;
  if (strncmp(m, probe, strlen(probe)) == 0) m += strlen(probe);
  const char *q = strncmp(m, ": --set ", 8) == 0 ? strstr(m + 8, ": ") : NULL;
  if (q) return q + 2;
  if (m[0] == ':' && m[1] >= '0' && m[1] <= '9') { /* :LINE:COL: of the probe's text */
    q = m + 1;
    while (*q >= '0' && *q <= '9') q++;
    if (*q == ':') q++;
    while (*q >= '0' && *q <= '9') q++;
    m = q;
  }
  return strncmp(m, ": ", 2) == 0 ? m + 2 : msg;
}

int gp_uncertain_probe_load(const char *probe, const char *text, size_t len, const char *path,
                            double x, gp_err *e) {
  char set[GP_LOADER_PATHLEN + 40];
  set_of(set, sizeof set, path, x);
  const char *sets[1] = {set};
  gp_overrides ov = GP_OVERRIDES_NONE;
  ov.sets = sets;
  ov.nsets = 1;
  gp_err_clear(e);
  gp_scenario *t = gp_scenario_parse(probe, text, len, &ov, e);
  if (t) {
    gp_scenario_free(t);
    return 0;
  }
  return e->code == GP_EX_DATAERR ? 1 : -1; /* else out of memory: not the value's fault */
}

/* Load TEXT with factor F at X; fail at O's "dist" (path P) with the
 * loader's reason when it refuses X (WHAT: "lower end", "value", ...). */
static int probe(gp_loader *L, const char *text, size_t len, const cJSON *o, const char *p,
                 const gp_uncertain *f, double x, const char *what) {
  char xs[32], pd[GP_LOADER_PATHLEN];
  gp_err e;
  int rc = gp_uncertain_probe_load(PROBE, text, len, f->path, x, &e);
  if (rc <= 0) {
    if (rc) *L->err = e;
    return rc;
  }
  if (isinf(x)) snprintf(xs, sizeof xs, "%s", x < 0 ? "-inf" : "inf");
  else snprintf(xs, sizeof xs, "%g", x);
  const char *kind = gp_dist_kind_names[f->dist.kind];
  return gp_json_fail(L->doc, cJSON_GetObjectItemCaseSensitive(o, "dist"),
                      gp_json_path_key(pd, sizeof pd, p, "dist"), L->err,
                      "expected values the scenario accepts at %s, found a%s %s distribution whose "
                      "%s %s it refuses (%s)",
                      f->path, strchr("aeio", kind[0]) ? "n" : "", kind, what, xs, gp_uncertain_probe_reason(e.msg, PROBE));
}

/* Every value F's draws can take is one the loader accepts (see the top). */
static int check_values(gp_loader *L, const char *text, size_t len, const cJSON *o, const char *p,
                        const gp_uncertain *f) {
  const gp_dist *d = &f->dist;
  if (d->kind == GP_DIST_DISCRETE) {
    for (size_t i = 0; i < d->n; i++)
      if (d->weights[i] > 0 &&
          probe(L, text, len, o, p, f, fmin(fmax(d->values[i], d->lo), d->hi), "value"))
        return -1;
    return 0;
  }
  return probe(L, text, len, o, p, f, gp_dist_quantile(d, 0), "lower end") ||
                 probe(L, text, len, o, p, f, gp_dist_quantile(d, 1), "upper end") ||
                 probe(L, text, len, o, p, f, gp_dist_quantile(d, INSIDE), "value")
             ? -1
             : 0;
}

const cJSON *gp_uncertain_node(const cJSON *root, const char *path, int *where) {
  char key[GP_LOADER_PATHLEN];
  cJSON *parent = NULL;
  long index = -1;
  *where = gp_overrides_walk((cJSON *)root, path, &parent, key, &index);
  if (*where) return NULL;
  return index >= 0 ? cJSON_GetArrayItem(parent, (int)index)
                    : cJSON_GetObjectItemCaseSensitive(parent, key);
}

/* 1 when PATH begins with one of the run's own keys (seed, replications,
 * output), which no factor, unknown or knob may name. */
static int run_key(const char *path) {
  size_t first = strcspn(path, ".[");
  for (int k = 0; run_keys[k]; k++)
    if (strlen(run_keys[k]) == first && strncmp(path, run_keys[k], first) == 0) return 1;
  return 0;
}

const cJSON *gp_uncertain_path(gp_loader *L, const cJSON *o, const char *p, const char *path,
                               const char *example, const char *verb) {
  char msg[GP_LOADER_PATHLEN + 160], d[64], pp[GP_LOADER_PATHLEN];
  if (strlen(path) >= GP_LOADER_PATHLEN) {
    snprintf(msg, sizeof msg, "expected a path of at most %d bytes", GP_LOADER_PATHLEN - 1);
    gp_loader_fail(L, o, p, "path", msg);
    return NULL;
  }
  int where;
  const cJSON *target = gp_uncertain_node(gp_json_root(L->doc), path, &where);
  if (where == 1) {
    snprintf(msg, sizeof msg, "expected a path like %s", example);
    gp_loader_fail(L, o, p, "path", msg);
    return NULL;
  }
  if (!target) {
    snprintf(msg, sizeof msg,
             "expected the path of a number the scenario writes (write out a default to %s it)",
             verb);
    gp_loader_fail(L, o, p, "path", msg);
    return NULL;
  }
  if (!cJSON_IsNumber(target)) {
    gp_json_fail(L->doc, cJSON_GetObjectItemCaseSensitive(o, "path"),
                 gp_json_path_key(pp, sizeof pp, p, "path"), L->err,
                 "expected the path of a number, found \"%s\", which holds %s", path,
                 gp_json_describe(target, d, sizeof d));
    return NULL;
  }
  if (run_key(path)) {
    gp_loader_fail(L, o, p, "path",
                   "expected a value of the modelled world (seed, replications and output are "
                   "the run's)");
    return NULL;
  }
  return target;
}

/* F->path (of factor I, at O, path P) names a number the scenario writes,
 * of the world, and no earlier factor's. */
static int check_path(gp_loader *L, const cJSON *o, const char *p, gp_uncertain *f, int i) {
  const cJSON *target = gp_uncertain_path(L, o, p, f->path, "roadmap.tranches[0].nodes", "vary");
  if (!target) return -1;
  /* A value an override put in, or an overlay of the file that holds the
   * block (the block inherited): recorded, for a two-level run to refuse. */
  long vf = gp_json_file_index(L->doc, target), bf = gp_json_file_index(L->doc, o);
  f->set_by = gp_json_origin(L->doc, target);
  if (!f->set_by && vf >= 0 && bf >= 0 && vf < bf)
    f->set_by = vf == 0 ? gp_json_name(L->doc) : gp_json_base_name(L->doc, (size_t)vf - 1);
  /* The same value, however written (an index or a name). */
  int where;
  for (int j = 0; j < i; j++)
    if (gp_uncertain_node(gp_json_root(L->doc), L->s->uncertain[j].path, &where) == target) {
      char msg[96];
      snprintf(msg, sizeof msg, "expected a value no other factor draws (uncertain[%d] draws it)", j);
      return gp_loader_fail(L, o, p, "path", msg);
    }
  return 0;
}

/* Factor I at O (path P): its keys, its path, its distribution. */
static int load_factor(gp_loader *L, const cJSON *o, const char *p, int i) {
  gp_scenario *s = L->s;
  gp_uncertain *f = &s->uncertain[i];
  f->group = "";
  if (gp_loader_object(L, o, p, &gp_format_uncertain) ||
      gp_json_string(L->doc, o, p, "path", 1, 1, &f->path, L->err) ||
      gp_dist_read(L->doc, o, p, "dist", 1, -HUGE_VAL, HUGE_VAL, &f->dist, L->err) ||
      gp_json_string(L->doc, o, p, "note", 1, 1, &f->note, L->err) ||
      gp_json_string(L->doc, o, p, "group", 0, 1, &f->group, L->err) || check_path(L, o, p, f, i))
    return -1;
  const cJSON *dn = cJSON_GetObjectItemCaseSensitive(o, "dist");
  double lo = gp_dist_quantile(&f->dist, 0), hi = gp_dist_quantile(&f->dist, 1);
  if (!gp_dist_has_quantile(f->dist.kind))
    return gp_loader_fail(L, o, p, "dist", "expected a distribution with an inverse CDF");
  if (!(lo < hi))
    return gp_loader_fail(L, o, p, "dist",
                          "expected a distribution that varies (a fixed value belongs in the "
                          "scenario)");
  if (!(f->dist_json = cJSON_PrintUnformatted(dn))) return GP_ERR_NOMEM(L->err);
  f->dim = -1;
  for (int j = 0; j < i && f->group[0]; j++)
    if (strcmp(s->uncertain[j].group, f->group) == 0) f->dim = s->uncertain[j].dim;
  if (f->dim < 0) f->dim = s->uncertain_dims++;
  return 0;
}

/* The value factor F takes in joint probe K (see check_all). */
static double probe_value(const gp_uncertain *f, int k) {
  const gp_dist *d = &f->dist;
  if (k < 2) return gp_dist_quantile(d, k);
  if (d->kind != GP_DIST_DISCRETE) return gp_dist_quantile(d, INSIDE);
  size_t last = 0;
  for (size_t i = 0, seen = 0; i < d->n; i++)
    if (d->weights[i] > 0) {
      last = i;
      if ((int)seen++ == k - 2) break;
    }
  return fmin(fmax(d->values[last], d->lo), d->hi);
}

/* Load TEXT with every factor of S at its value of joint probe K; 0, or
 * -1 with E set. */
static int joint(const gp_scenario *s, const char *text, size_t len, int k, gp_err *e) {
  int n = s->nuncertain, rc = 0;
  char **sets = calloc((size_t)n, sizeof *sets);
  if (!sets) return GP_ERR_NOMEM(e);
  for (int i = 0; i < n && !rc; i++) {
    size_t size = strlen(s->uncertain[i].path) + 32;
    double x = probe_value(&s->uncertain[i], k);
    if (!(sets[i] = malloc(size))) rc = GP_ERR_NOMEM(e);
    else set_of(sets[i], size, s->uncertain[i].path, x);
  }
  if (!rc) {
    gp_overrides ov = GP_OVERRIDES_NONE;
    ov.sets = (const char *const *)sets;
    ov.nsets = n;
    gp_scenario *t = gp_scenario_parse(PROBE, text, len, &ov, e);
    rc = t ? 0 : -1;
    gp_scenario_free(t);
  }
  for (int i = 0; i < n; i++) free(sets[i]);
  free(sets);
  return rc;
}

/* Every factor's values are ones the loader accepts.  Tried together
 * first, a few loads for any number of factors: all at their lower ends,
 * all at their upper ends, then all inside (a discrete factor at each of
 * its values in turn).  Only when one of those fails is each factor tried
 * alone, to blame the first that fails so; when none does, their values
 * clash together, which the block at A is blamed for. */
static int check_all(gp_loader *L, const cJSON *a, const char *text, size_t len) {
  const gp_scenario *s = L->s;
  int nprobes = 3;
  for (int i = 0; i < s->nuncertain; i++) {
    const gp_dist *d = &s->uncertain[i].dist;
    int nv = 0;
    for (size_t j = 0; d->kind == GP_DIST_DISCRETE && j < d->n; j++) nv += d->weights[j] > 0;
    if (nv + 2 > nprobes) nprobes = nv + 2;
  }
  for (int k = 0; k < nprobes; k++) {
    gp_err e;
    gp_err_clear(&e);
    if (joint(s, text, len, k, &e) == 0) continue;
    if (e.code != GP_EX_DATAERR) {
      *L->err = e;
      return -1;
    }
    const cJSON *o = a->child;
    for (int i = 0; i < s->nuncertain; i++, o = o->next) {
      char p[GP_LOADER_PATHLEN];
      if (check_values(L, text, len, o, gp_json_path_index(p, sizeof p, "uncertain", i),
                       &s->uncertain[i]))
        return -1;
    }
    return gp_json_fail(L->doc, a, "uncertain", L->err,
                        "expected factors whose values the scenario accepts together, found %s it "
                        "refuses (%s)",
                        k == 0 ? "lower ends" : k == 1 ? "upper ends" : "values inside their ranges",
                        gp_uncertain_probe_reason(e.msg, PROBE));
  }
  return 0;
}

int gp_uncertain_load(gp_loader *L, const cJSON *root) {
  int n;
  const cJSON *a = gp_loader_array(L, root, "", "uncertain", 0, GP_UNCERTAIN_MAX, &n);
  if (L->err->code) return -1;
  if (!a || n == 0) return 0;
  gp_scenario *s = L->s;
  if (!(s->uncertain = calloc((size_t)n, sizeof *s->uncertain))) return GP_ERR_NOMEM(L->err);
  for (int i = 0; i < n; i++) gp_dist_constant(&s->uncertain[i].dist, 0);
  s->nuncertain = n;
  size_t len = 0;
  char *text = gp_uncertain_probe_text(root, &len);
  if (!text) return GP_ERR_NOMEM(L->err);
  const cJSON *o = a->child;
  int rc = 0;
  for (int i = 0; i < n && !rc; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN];
    rc = load_factor(L, o, gp_json_path_index(p, sizeof p, "uncertain", i), i);
  }
  if (!rc) rc = check_all(L, a, text, len);
  free(text);
  return rc;
}

/* T's policies made S's: the same names in S's order (S may run a
 * selection of them, --policy). */
static int same_policies(gp_scenario *t, const gp_scenario *s, gp_err *err) {
  gp_policy_spec *sel = calloc((size_t)(s->npolicies ? s->npolicies : 1), sizeof *sel);
  if (!sel) return GP_ERR_NOMEM(err);
  for (int i = 0; i < s->npolicies; i++) {
    int found = -1;
    for (int j = 0; j < t->npolicies && found < 0; j++)
      if (strcmp(t->policies[j].name, s->policies[i].name) == 0) found = j;
    if (found < 0) {
      free(sel);
      return GP_ERR(err, GP_EX_SOFTWARE, "uncertain: policy %s lost", s->policies[i].name);
    }
    sel[i] = t->policies[found];
  }
  free(t->policies);
  t->policies = sel;
  t->npolicies = s->npolicies;
  return 0;
}

gp_scenario *gp_uncertain_apply(const gp_scenario *s, const char *text, size_t len,
                                const double *values, gp_err *err) {
  int n = s->nuncertain;
  char **sets = calloc((size_t)(n ? n : 1), sizeof *sets);
  int rc = sets ? 0 : GP_ERR_NOMEM(err);
  for (int i = 0; i < n && !rc; i++) {
    size_t size = strlen(s->uncertain[i].path) + 32;
    if (!(sets[i] = malloc(size))) rc = GP_ERR_NOMEM(err);
    else set_of(sets[i], size, s->uncertain[i].path, values[i]);
  }
  gp_scenario *t = NULL;
  if (!rc) {
    gp_overrides ov = GP_OVERRIDES_NONE;
    ov.sets = (const char *const *)sets;
    ov.nsets = n;
    t = gp_scenario_parse(s->file, text, len, &ov, err);
  }
  if (t && same_policies(t, s, err)) {
    gp_scenario_free(t);
    t = NULL;
  }
  for (int i = 0; sets && i < n; i++) free(sets[i]);
  free(sets);
  return t;
}

int gp_uncertain_number(const gp_scenario *s, const char *path, const char *opt, double *value,
                        gp_err *err) {
  char d[64];
  if (strlen(path) >= GP_LOADER_PATHLEN)
    return GP_ERR(err, GP_EX_USAGE, "%s: expected a path of at most %d bytes", opt,
                  GP_LOADER_PATHLEN - 1);
  int where;
  const cJSON *target = gp_uncertain_node(gp_json_root(s->doc), path, &where);
  if (where == 1)
    return GP_ERR(err, GP_EX_USAGE, "%s %s: expected a path like roadmap.tranches[0].nodes", opt,
                  path);
  if (!target)
    return GP_ERR(err, GP_EX_USAGE,
                  "%s %s: the scenario writes nothing at that path (write out a default to vary "
                  "it)",
                  opt, path);
  if (run_key(path))
    return GP_ERR(err, GP_EX_USAGE,
                    "%s %s: expected a value of the modelled world (seed, replications and output "
                    "are the run's)",
                    opt, path);
  if (!cJSON_IsNumber(target)) {
    gp_json_fail(s->doc, target, path, err, "expected a number for %s, found %s", opt,
                 gp_json_describe(target, d, sizeof d));
    err->code = GP_EX_USAGE;
    return -1;
  }
  *value = target->valuedouble;
  return 0;
}
