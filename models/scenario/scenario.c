/*
 * models/scenario/scenario.c - load, override and validate a scenario (see
 * scenario.h): the public entry points, and the top level of the format
 * (name, dates, seed, replications, assumptions, "output", "sweep"; the
 * "uncertain" block is uncertain.c's).
 *
 * Everything is checked before time 0: types, ranges, unknown keys (against
 * the catalogue, format.h), dates and their order, names that must be unique,
 * references between sections (a tranche's pool, a stream's GPU type).
 * Whether a run fits in the machine's memory is the plan's to check
 * (models/experiment/budget.h): the loader knows nothing of runs.
 * A run never meets a value it has to second-guess.  Every error names
 * FILE:LINE:COL and the JSON path of the offending value.  The sections are
 * read by the files listed in loader_int.h, in the order load_root calls them.
 */
#include "models/scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/calibration.h"
#include "models/scenario/date.h"
#include "models/scenario/extends.h"
#include "models/scenario/json_int.h"
#include "models/scenario/loader_int.h"

static int load_output(gp_loader *L, const cJSON *root) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "output");
  if (!o) return 0;
  return gp_loader_object(L, o, "output", &gp_format_output) ||
                 gp_loader_int(L, o, "output", "detail_replications", 0, -1, 100000000,
                               &L->s->detail_reps) ||
                 gp_json_number(L->doc, o, "output", "sample_every_days", 0, 0.01, 3650,
                                &L->s->sample_every, L->err)
             ? -1
             : 0;
}

/* "sweep": [{"path": "a.b", "values": [JSON values...]}]: checked here,
 * turned into points by models/experiment/sweep.c.  A value may be any JSON
 * but null (an object replaces a whole section, as --set does). */
static int load_sweep(gp_loader *L, const cJSON *root) {
  int n;
  const cJSON *a = gp_loader_array(L, root, "", "sweep", 0, 0, &n);
  if (L->err->code) return -1;
  const cJSON *o = a ? a->child : NULL;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN], q[GP_LOADER_PATHLEN];
    const char *path;
    int nv;
    gp_json_path_index(p, sizeof p, "sweep", i);
    if (gp_loader_object(L, o, p, &gp_format_sweep) ||
        gp_json_string(L->doc, o, p, "path", 1, 1, &path, L->err))
      return -1;
    if (strlen(path) >= GP_LOADER_PATHLEN) {
      char msg[96];
      snprintf(msg, sizeof msg, "expected a path of at most %d bytes", GP_LOADER_PATHLEN - 1);
      return gp_loader_fail(L, o, p, "path", msg);
    }
    const cJSON *vals = gp_loader_array(L, o, p, "values", 1, 0, &nv);
    if (!vals) return -1;
    gp_json_path_key(q, sizeof q, p, "values");
    const cJSON *v = vals->child;
    for (int k = 0; k < nv; k++, v = v->next) {
      if (cJSON_IsNull(v)) {
        char r[GP_LOADER_PATHLEN], d[64];
        return gp_json_fail(L->doc, v, gp_json_path_index(r, sizeof r, q, k), L->err,
                            "expected a number, string, boolean, object or array, found %s",
                            gp_json_describe(v, d, sizeof d));
      }
    }
  }
  return 0;
}

static int load_root(gp_loader *L) {
  gp_scenario *s = L->s;
  const cJSON *root = gp_json_root(L->doc);
  if (gp_json_expect_object(L->doc, root, "$", L->err) ||
      gp_format_check(L->doc, root, "", &gp_format_root, L->err) ||
      gp_loader_name(L, root, "", &s->name) ||
      gp_json_string(L->doc, root, "", "description", 0, 0, &s->description, L->err))
    return -1;
  if (strchr(s->name, '/'))
    return gp_loader_fail(L, root, "", "name", "expected a name without '/'");
  /* The epoch first: every other date is read against it. */
  const char *epoch = NULL;
  if (gp_json_string(L->doc, root, "", "epoch", 1, 1, &epoch, L->err)) return -1;
  if (gp_date_parse(epoch, &s->epoch_day) != 0)
    return gp_loader_fail(L, root, "", "epoch",
                          "expected a date YYYY-MM-DD between 1900-01-01 and 2199-12-31");
  if (gp_loader_date(L, root, "", "end", 1, &s->end)) return -1;
  if (s->end <= 0) return gp_loader_fail(L, root, "", "end", "expected a date after \"epoch\"");
  if (s->end > 365.25 * 100)
    return gp_loader_fail(L, root, "", "end", "expected at most 100 years after \"epoch\"");
  s->measure_from = 0;
  if (gp_loader_date(L, root, "", "measure_from", 0, &s->measure_from)) return -1;
  if (s->measure_from < 0 || s->measure_from >= s->end)
    return gp_loader_fail(L, root, "", "measure_from",
                          "expected a date from \"epoch\" up to before \"end\"");
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
        char p[GP_LOADER_PATHLEN], d[64];
        return gp_json_fail(L->doc, it, gp_json_path_index(p, sizeof p, "assumptions", i), L->err,
                            "expected a string, found %s", gp_json_describe(it, d, sizeof d));
      }
    }
  }
  if (load_sweep(L, root)) return -1;
  s->sample_every = 7;
  s->detail_reps = 10;
  /* Review before demand: streams and calls take their default committee
   * interval from it.  "uncertain" last: its factors are checked by loading
   * the rest, which must be valid first. */
  return load_output(L, root) || gp_roadmap_load(L, root) || gp_review_load(L, root) ||
                 gp_demand_load(L, root) || gp_policies_load(L, root) ||
                 gp_uncertain_load(L, root) || gp_calibration_load(L, root)
             ? -1
             : 0;
}

/* ---- public ---- */

/* DOC (of a file when FROM_FILE) resolved, overridden and validated. */
static gp_scenario *finish(gp_json *doc, int from_file, const gp_overrides *ov, gp_err *err) {
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
  gp_loader L = {doc, s, err, NULL};
  int rc = gp_extends_resolve(doc, from_file, err) || (ov && gp_overrides_apply(doc, ov, err)) ||
                   load_root(&L)
               ? -1
               : 0;
  free(L.served);
  if (rc) {
    gp_scenario_free(s);
    return NULL;
  }
  return s;
}

gp_scenario *gp_scenario_load(const char *path, const gp_overrides *ov, gp_err *err) {
  return finish(gp_json_load_file(path, err), 1, ov, err);
}

gp_scenario *gp_scenario_parse_file(const char *path, const char *text, size_t len,
                                    const gp_overrides *ov, gp_err *err) {
  return finish(gp_json_parse(path, text, len, err), 1, ov, err);
}

gp_scenario *gp_scenario_parse(const char *name, const char *text, size_t len,
                               const gp_overrides *ov, gp_err *err) {
  return finish(gp_json_parse(name, text, len, err), 0, ov, err);
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
  for (int i = 0; i < s->nuncertain; i++) {
    gp_dist_free(&s->uncertain[i].dist);
    free(s->uncertain[i].dist_json);
  }
  free(s->uncertain);
  gp_calibration_free(s->calibration);
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

void gp_scenario_pool_returns(const gp_scenario *s, int pool, double *resubmit, double *renew) {
  *resubmit = *renew = 0;
  for (int o = 0; o < s->ncalls + s->nstreams; o++) {
    const gp_applicants *a = gp_scenario_origin_applicants(s, o);
    if (gp_scenario_origin_pool(s, o) != pool) continue;
    if (a->resubmit_probability > *resubmit) *resubmit = a->resubmit_probability;
    if (a->renew_probability > *renew) *renew = a->renew_probability;
  }
}

char *gp_scenario_json(const gp_scenario *s) { return cJSON_Print(gp_json_root(s->doc)); }

int gp_scenario_nfiles(const gp_scenario *s) { return 1 + (int)gp_json_nbases(s->doc); }

const char *gp_scenario_file_at(const gp_scenario *s, int i) {
  return i == 0 ? s->file : gp_json_base_name(s->doc, (size_t)(i - 1));
}

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
        len += snprintf(list + len, sizeof list - (size_t)len, "%s%s", i ? ", " : "",
                        s->policies[i].name);
      free(sel);
      return GP_ERR(err, GP_EX_USAGE, "--policy: no policy \"%s\" in %s (it has: %s)", tok, s->file,
                    list);
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
