/*
 * models/experiment/plan.c - the plan of an experiment (see plan.h).
 *
 * Invariants: every point of a plan holds a loaded, validated scenario; a
 * plan that could not load one of its points is never returned; the
 * scenario file is read once, and every point parsed from that text (issue
 * 16, item 12: it was read again per point, so a pipe or /dev/stdin gave
 * the second point nothing).
 */
#include "models/experiment/plan.h"

#include <stdlib.h>
#include <string.h>

#include "models/experiment/budget.h"
#include "models/experiment/design.h"
#include "models/experiment/sweep.h"

/* The built-in baseline (scenarios/baseline.json, embedded at build time by
 * tools/embed.sh). */
extern const char gp_builtin_scenario[];
extern const unsigned long gp_builtin_scenario_len;

gp_plan *gp_plan_new(gp_scenario *base, gp_err *err) {
  gp_plan *pl = calloc(1, sizeof *pl);
  if (!pl) {
    gp_scenario_free(base);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  pl->base = base;
  return pl;
}

static void free_sets(char **sets, int nsets) {
  if (sets) gp_sweep_free_sets(sets, nsets);
  free(sets);
}

int gp_plan_add(gp_plan *pl, gp_scenario *s, char **sets, int nsets, gp_err *err) {
  if (pl->npoints == pl->cap) {
    int cap = pl->cap ? 2 * pl->cap : 4;
    gp_plan_point *p = realloc(pl->points, (size_t)cap * sizeof *p);
    if (!p) {
      gp_scenario_free(s);
      free_sets(sets, nsets);
      return GP_ERR_NOMEM(err);
    }
    pl->points = p;
    pl->cap = cap;
  }
  pl->points[pl->npoints++] = (gp_plan_point){s, sets, nsets, NULL};
  return 0;
}

int gp_plan_set_overrides(gp_plan *pl, const char *const *sets, int nsets, gp_err *err) {
  char **own = nsets > 0 ? calloc((size_t)nsets, sizeof *own) : NULL;
  if (nsets > 0 && !own) return GP_ERR_NOMEM(err);
  for (int i = 0; i < nsets; i++)
    if (!(own[i] = strdup(sets[i]))) {
      free_sets(own, i);
      return GP_ERR_NOMEM(err);
    }
  free_sets(pl->sets, pl->nsets);
  pl->sets = own;
  pl->nsets = nsets > 0 ? nsets : 0;
  return 0;
}

void gp_plan_free(gp_plan *pl) {
  if (!pl) return;
  free(pl->input);
  free_sets(pl->sets, pl->nsets);
  for (int k = 0; k < pl->npoints; k++) {
    gp_scenario_free(pl->points[k].s);
    free_sets(pl->points[k].sets, pl->points[k].nsets);
    gp_design_free(pl->points[k].design);
  }
  free(pl->points);
  gp_scenario_free(pl->base);
  free(pl);
}

int gp_plan_swept(const gp_plan *pl) {
  return pl->npoints > 1 || (pl->npoints == 1 && pl->points[0].nsets > 0);
}

/* The text of the scenario, read once: its name in messages, its bytes. */
typedef struct source {
  const char *name;
  const char *text;
  size_t len;
  int file; /* the text of the file NAME (its "extends" is read), not the built-in one */
} source;

/* The scenario of SRC with overrides OV, refused when a run of it cannot
 * fit in this machine's memory: now, not hours into the run.  One thread:
 * the plan does not know --threads, and must not refuse what a run on fewer
 * threads fits. */
static gp_scenario *load(const source *src, const gp_overrides *ov, gp_err *err) {
  gp_scenario *s = src->file ? gp_scenario_parse_file(src->name, src->text, src->len, ov, err)
                             : gp_scenario_parse(src->name, src->text, src->len, ov, err);
  if (s && gp_budget_check(s, 1, gp_budget_machine_bytes(), err)) {
    gp_scenario_free(s);
    return NULL;
  }
  return s;
}

/* Point K of sweep SW: the scenario loaded with the base overrides plus the
 * point's own (SETS has room for both; its first ov.nsets are the base's),
 * its policies selected, appended to PL. */
static int add_point(gp_plan *pl, const gp_plan_spec *spec, const source *src,
                     const gp_sweep *sw, size_t k, const char **sets, gp_err *err) {
  char **own = calloc((size_t)(sw->ndims ? sw->ndims : 1), sizeof *own);
  if (!own) return GP_ERR_NOMEM(err);
  if (gp_sweep_point(sw, k, own, err)) {
    free(own);
    return -1;
  }
  for (int d = 0; d < sw->ndims; d++) sets[spec->ov.nsets + d] = own[d];
  gp_overrides pov = spec->ov;
  pov.sets = sets;
  pov.nsets = spec->ov.nsets + sw->ndims;
  pov.nswept = sw->ndims;
  gp_scenario *s = load(src, &pov, err);
  if (!s || (spec->policies && gp_scenario_select_policies(s, spec->policies, err))) {
    gp_err e = *err;
    gp_err_clear(err);
    /* Say which point failed, keeping the first line's position; a plan
     * without a sweep has one point, which needs no name. */
    if (sw->ndims) GP_ERR(err, e.code, "%s (sweep point %zu: %s)", e.msg, k, own[0]);
    else *err = e;
    gp_scenario_free(s);
    free_sets(own, sw->ndims);
    return -1;
  }
  if (!sw->ndims) {
    free(own);
    own = NULL;
  }
  return gp_plan_add(pl, s, own, sw->ndims, err);
}

gp_plan *gp_plan_load(const gp_plan_spec *spec, gp_err *err) {
  source src = {GP_PLAN_BUILTIN_NAME, gp_builtin_scenario, (size_t)gp_builtin_scenario_len, 0};
  char *text = NULL;
  if (spec->path) {
    if (!(text = gp_json_read_file(spec->path, &src.len, err))) return NULL;
    src.name = spec->path;
    src.text = text;
    src.file = 1;
  }
  gp_scenario *base = load(&src, &spec->ov, err);
  gp_plan *pl = base ? gp_plan_new(base, err) : NULL;
  if (!pl) {
    free(text);
    return NULL;
  }
  if ((spec->path && !(pl->input = strdup(spec->path))) ||
      gp_plan_set_overrides(pl, spec->ov.sets, spec->ov.nsets, err)) {
    free(text);
    gp_plan_free(pl);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  gp_sweep *sw = gp_sweep_new();
  const char **sets = NULL;
  int rc = !sw ? GP_ERR_NOMEM(err) : gp_sweep_add_scenario(sw, base, err);
  for (int i = 0; i < spec->nsweeps && !rc; i++) rc = gp_sweep_add_arg(sw, spec->sweeps[i], err);
  size_t npts = rc ? 0 : gp_sweep_npoints(sw);
  if (!rc && npts > GP_SWEEP_MAX_POINTS)
    rc = GP_ERR(err, GP_EX_USAGE, "sweep: more than %d points", GP_SWEEP_MAX_POINTS);
  if (!rc) {
    sets = calloc((size_t)(spec->ov.nsets + sw->ndims + 1), sizeof *sets);
    if (!sets) rc = GP_ERR_NOMEM(err);
  }
  for (int i = 0; !rc && i < spec->ov.nsets; i++) sets[i] = spec->ov.sets[i];
  for (size_t k = 0; k < npts && !rc; k++) rc = add_point(pl, spec, &src, sw, k, sets, err);
  /* Every point fits; together too?  (Their results all stay in memory.) */
  if (!rc) rc = gp_budget_check_plan(pl, 1, 0, gp_budget_machine_bytes(), err);
  free(sets);
  free(text);
  gp_sweep_free(sw);
  if (rc) {
    gp_plan_free(pl);
    return NULL;
  }
  return pl;
}
