/*
 * analysis/reader.c - a result file, opened once at one point (see reader.h).
 *
 * Invariants:
 *  - Every path inside the file is built here, from r->base and names read
 *    from the file.  Policy and tranche names may hold any character but
 *    '/', so paths are built on the heap (gp_strf), never cut short.
 *  - gp_reader_open reads everything a command cannot do without before the
 *    command writes anything, so that refusing a file leaves nothing behind.
 *  - Optional attributes (seed, target, rule names, units, ...) read as NaN
 *    or NULL when absent; one that is there but cannot be read (a string
 *    where a number belongs, a variable-length string, a corrupt one) is an
 *    error, never silently taken as absent.
 *  - A version-1 file's "never" (-1) is NaN by the time any table or
 *    attribute leaves this file (v1_never): no command sees the difference.
 *  - What decides how much is read or drawn is bounded before use: the
 *    count of sweep points, replications equal across policies, series of
 *    the listed shape, sample times finite and within 10^7 days of the
 *    epoch (every date computed from them is representable).
 */
#include "analysis/reader.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/text.h"
#include "models/scenario/date.h"

/* ---- attributes ---- */

/* String attribute NAME of object PATH; NULL when absent, or with ERR set
 * when it is there but cannot be read. */
static char *opt_string(gp_reader *r, const char *path, const char *name, gp_err *err) {
  if (!gp_h5in_has_attr(r->h, path, name)) return NULL;
  return gp_h5in_attr_string(r->h, path, name, err);
}

/* Number attribute NAME of object PATH; NaN when absent, or with ERR set
 * when it is there but not a number. */
static double opt_double(gp_reader *r, const char *path, const char *name, gp_err *err) {
  double x;
  if (!gp_h5in_has_attr(r->h, path, name)) return NAN;
  return gp_h5in_attr_double(r->h, path, name, &x, err) == 0 ? x : NAN;
}

static int dup_to(char **dst, const char *s, gp_err *err) {
  if (!s) return 0;
  if (!(*dst = strdup(s))) return GP_ERR_NOMEM(err);
  return 0;
}

/* A string member of a JSON object, or NULL. */
static const char *json_string(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* ---- opening ---- */

/* Where the point's tree is: the root, or /points/POINT. */
static int resolve_point(gp_reader *r, int point, gp_err *err) {
  r->base[0] = '\0';
  if (!gp_h5in_exists(r->h, "/points")) {
    if (point > 0)
      return GP_ERR(err, GP_EX_USAGE, "%s: --point %d: the file is not a sweep (no points)",
                    r->path, point);
    r->point = -1;
    return 0;
  }
  double n = opt_double(r, "/", "points", err);
  if (err->code) return -1;
  if (!(n >= 1 && n <= 1e6) || n != floor(n))
    return GP_ERR(err, GP_EX_DATAERR,
                  "%s: has /points but no count of points (root attribute points)", r->path);
  r->npoints = (int)n;
  r->point = point < 0 ? 0 : point;
  if (r->point >= r->npoints)
    return GP_ERR(err, GP_EX_USAGE, "%s: --point %d: the sweep has points 0 to %d", r->path,
                  r->point, r->npoints - 1);
  snprintf(r->base, sizeof r->base, "/points/%d", r->point);
  return 0;
}

/* Whether the point has /uncertain (a two-level run). */
static int find_uncertain(gp_reader *r, gp_err *err) {
  char *path = gp_strf("%s/uncertain", r->base);
  if (!path) return GP_ERR_NOMEM(err);
  r->uncertain = gp_h5in_exists(r->h, path) == 1;
  free(path);
  return 0;
}

/* The point's scenario (a sweep point's own: its epoch and GPU types may
 * differ from the base scenario's), its name, description and epoch. */
static int read_scenario(gp_reader *r, gp_err *err) {
  char *path = gp_strf("%s/scenario", r->base);
  if (path && r->base[0] && !gp_h5in_exists(r->h, path)) {
    free(path);
    path = strdup("/scenario");
  }
  if (!path) return GP_ERR_NOMEM(err);
  int rc = -1;
  if (!(r->scenario_text = gp_h5in_text(r->h, path, err))) goto done;
  r->scenario = cJSON_Parse(r->scenario_text);
  if (!r->scenario || !cJSON_IsObject(r->scenario)) {
    GP_ERR(err, GP_EX_DATAERR, "%s: %s is not a JSON object", r->path, path);
    goto done;
  }
  const char *name = json_string(r->scenario, "name");
  if (name ? dup_to(&r->name, name, err) != 0
           : !(r->name = gp_h5in_attr_string(r->h, "/", "scenario_name", err)))
    goto done;
  const char *desc = json_string(r->scenario, "description");
  if (desc ? dup_to(&r->description, desc, err) != 0
           : (!(r->description = opt_string(r, "/", "scenario_description", err)) && err->code))
    goto done;
  const char *epoch = json_string(r->scenario, "epoch");
  if (epoch && gp_date_parse(epoch, &r->epoch) == 0) {
    rc = 0;
    goto done;
  }
  char *root = gp_h5in_attr_string(r->h, "/", "epoch", err);
  if (!root) goto done;
  if (gp_date_parse(root, &r->epoch) != 0)
    GP_ERR(err, GP_EX_DATAERR, "%s: epoch \"%.40s\" is not a YYYY-MM-DD date", r->path, root);
  else
    rc = 0;
  free(root);
done:
  free(path);
  return rc;
}

/* ---- format versions ---- */

/* The file's format version: 1 without the attribute; one this gpuplan
 * does not read is refused. */
static int read_format(gp_reader *r, gp_err *err) {
  double v = opt_double(r, "/", "format_version", err);
  if (err->code) return -1;
  if (isnan(v)) {
    r->format = 1;
    return 0;
  }
  if (!(v >= GP_FORMAT_VERSION_MIN && v <= GP_FORMAT_VERSION) || v != floor(v))
    return GP_ERR(err, GP_EX_DATAERR,
                  "%s: format_version %.10g: this gpuplan reads format versions %d to %d "
                  "(docs/output.md, \"Format versions\")",
                  r->path, v, GP_FORMAT_VERSION_MIN, GP_FORMAT_VERSION);
  r->format = (int)v;
  return 0;
}

/* Times that may be never, -1 in version 1, by table: NaN from here on. */
static const char *const never_fields[] = {"decided",       "started",       "finished",
                                           "first_decision", "mean_decision", "last_decision",
                                           "date_reached",   NULL};

static double v1_time(double t) { return t < 0 ? NAN : t; }

/* In a version-1 file, the never-times of N rows of DESC (table NAME: the
 * proposals, calls or roadmap; any other is left alone) become NaN. */
static void v1_never(const gp_reader *r, const char *name, const gp_table_desc *desc, void *rows,
                     size_t n) {
  if (r->format != 1 || !rows ||
      (strcmp(name, "proposals") && strcmp(name, "calls") && strcmp(name, "roadmap")))
    return;
  for (int i = 0; i < desc->nfields; i++) {
    const gp_field *fd = &desc->fields[i];
    int never = 0;
    for (const char *const *k = never_fields; *k && !never; k++) never = strcmp(fd->name, *k) == 0;
    if (!never || fd->type != GP_F_DOUBLE) continue;
    for (size_t j = 0; j < n; j++) {
      unsigned char *p = (unsigned char *)rows + j * desc->row_size + fd->offset;
      double t;
      memcpy(&t, p, sizeof t);
      t = v1_time(t);
      memcpy(p, &t, sizeof t);
    }
  }
}

/* The run's root attributes, and the target date against the epoch. */
static int read_root(gp_reader *r, gp_err *err) {
  if (!(r->version = gp_h5in_attr_string(r->h, "/", "gpuplan_version", err))) return -1;
  if (read_format(r, err)) return -1;
  r->seed = opt_double(r, "/", "seed", err);
  r->detail = opt_double(r, "/", "detail_replications", err);
  r->complete = opt_double(r, "/", "complete", err);
  r->requested = opt_double(r, "/", "replications_requested", err);
  r->end = opt_double(r, "/", "end", err);
  r->measure_from = opt_double(r, "/", "measure_from", err);
  r->target_gpus = opt_double(r, "/", "target_gpus", err);
  r->target_t = NAN;
  char *tdate = opt_string(r, "/", "target_date", err);
  long tday;
  if (tdate && gp_date_parse(tdate, &tday) == 0 && isfinite(r->target_gpus)) {
    r->target_t = (double)(tday - r->epoch);
    gp_date_format(tday, r->target_date, sizeof r->target_date);
  } else {
    r->target_gpus = NAN;
  }
  free(tdate);
  return err->code ? -1 : 0;
}

/* The run's --set overrides (root attribute "overrides"), when it says. */
static int read_overrides(gp_reader *r, gp_err *err) {
  if (!gp_h5in_has_attr(r->h, "/", "overrides")) return 0;
  r->overrides = gp_h5in_attr_strings(r->h, "/", "overrides", &r->noverrides, err);
  return r->overrides ? 0 : -1;
}

/* The values of sweep point BASE ("/points/K") of the NPATHS PATHS (a
 * number or a string) as text into VALUES; NULL for a path the point has
 * no value of. */
static int point_values(gp_h5in *h, const char *base, char *const *paths, size_t npaths,
                        char **values, gp_err *err) {
  for (size_t i = 0; i < npaths; i++) {
    const char *name = paths[i];
    if (!gp_h5in_has_attr(h, base, name)) continue;
    gp_err scratch;
    gp_err_clear(&scratch);
    double x;
    if (gp_h5in_attr_double(h, base, name, &x, &scratch) == 0) {
      if (!(values[i] = gp_strf("%.10g", x))) return GP_ERR_NOMEM(err);
    } else if (!(values[i] = gp_h5in_attr_string(h, base, name, err))) {
      return -1;
    }
  }
  return 0;
}

/* A sweep's paths and this point's value of each, as text. */
static int read_sweep(gp_reader *r, gp_err *err) {
  if (!r->npoints || !gp_h5in_has_attr(r->h, "/", "sweep_paths")) return 0;
  r->sweep_paths = gp_h5in_attr_strings(r->h, "/", "sweep_paths", &r->nsweep, err);
  if (!r->sweep_paths) return -1;
  r->sweep_values = calloc(r->nsweep ? r->nsweep : 1, sizeof *r->sweep_values);
  if (!r->sweep_values) return GP_ERR_NOMEM(err);
  return point_values(r->h, r->base, r->sweep_paths, r->nsweep, r->sweep_values, err);
}

/* "path=value" of each of N paths joined by ", " (malloc'd); a value the
 * point does not have is "?". */
static char *label_of(char *const *paths, char *const *values, size_t n) {
  char *s = gp_strf("%s", "");
  for (size_t i = 0; i < n && s; i++) {
    char *t = gp_strf("%s%s%s=%s", s, i ? ", " : "", paths[i], values[i] ? values[i] : "?");
    free(s);
    s = t;
  }
  return s;
}

char *gp_reader_title(const gp_reader *r) {
  char *s = gp_strf("%s", r->name ? r->name : "?");
  if (s && r->overrides && r->noverrides == 0) {
    char *t = gp_strf("%s, no overrides", s);
    free(s);
    s = t;
  }
  for (size_t i = 0; s && r->overrides && i < r->noverrides; i++) {
    char *t = gp_strf("%s%s%s", s, i ? ", " : " with ", r->overrides[i]);
    free(s);
    s = t;
  }
  if (s && r->nsweep) {
    char *label = label_of(r->sweep_paths, r->sweep_values, r->nsweep);
    char *t = label ? gp_strf("%s at %s", s, label) : NULL;
    free(label);
    free(s);
    s = t;
  }
  if (s && isfinite(r->seed)) {
    char *t = gp_strf("%s, seed %.0f", s, r->seed);
    free(s);
    s = t;
  }
  return s;
}

/* The labels of the NPOINTS points of the open file H (NPOINTS malloc'd
 * strings into LABELS). */
static int point_labels(gp_h5in *h, int npoints, char **labels, gp_err *err) {
  size_t np = 0;
  char **paths = gp_h5in_has_attr(h, "/", "sweep_paths")
                     ? gp_h5in_attr_strings(h, "/", "sweep_paths", &np, err)
                     : NULL;
  if (!paths && err->code) return -1;
  char **values = calloc(np ? np : 1, sizeof *values);
  int rc = values ? 0 : GP_ERR_NOMEM(err);
  for (int k = 0; k < npoints && !rc; k++) {
    char base[32];
    snprintf(base, sizeof base, "/points/%d", k);
    rc = point_values(h, base, paths, np, values, err);
    if (!rc && !(labels[k] = label_of(paths, values, np))) rc = GP_ERR_NOMEM(err);
    for (size_t i = 0; i < np && values; i++) {
      free(values[i]);
      values[i] = NULL;
    }
  }
  free(values);
  gp_h5in_free_names(paths, np);
  return rc ? -1 : 0;
}

/* LABEL equal to the point's label, or to it without the blanks after its
 * commas ("a=1,b=2" for "a=1, b=2"). */
static int same_label(const char *label, const char *point) {
  if (strcmp(label, point) == 0) return 1;
  for (; *label && *point; label++, point++) {
    if (*point == ',' && *label == ',' && point[1] == ' ') point++;
    else if (*point != *label) return 0;
  }
  return *label == *point;
}

int gp_reader_find_point(const char *path, const char *label, int *point, gp_err *err) {
  gp_h5in *h = gp_h5in_open(path, err);
  if (!h) return -1;
  gp_reader tmp = {.path = path, .h = h};
  char **labels = NULL;
  int rc = 0;
  double n = gp_h5in_exists(h, "/points") ? opt_double(&tmp, "/", "points", err) : NAN;
  if (err->code) rc = -1;
  else if (!(n >= 1 && n <= 1e6))
    rc = GP_ERR(err, GP_EX_USAGE, "%s: --point %s: the file is not a sweep (no points)", path,
                label);
  else if (!(labels = calloc((size_t)n, sizeof *labels)))
    rc = GP_ERR_NOMEM(err);
  else
    rc = point_labels(h, (int)n, labels, err);
  int found = -1;
  for (int k = 0; !rc && k < (int)n && found < 0; k++)
    if (same_label(label, labels[k])) found = k;
  if (!rc && found < 0) {
    /* The message lists the labels, as many as fit. */
    char list[sizeof err->msg / 2] = "";
    size_t used = 0;
    for (int k = 0; k < (int)n && used < sizeof list; k++)
      used += (size_t)snprintf(list + used, sizeof list - used, "%s%d %s", k ? "; " : "", k,
                               labels[k]);
    rc = GP_ERR(err, GP_EX_USAGE, "%s: --point %s: no sweep point has that label (the points: %s)",
                path, label, list);
  }
  if (!rc) *point = found;
  for (int k = 0; labels && k < (int)n; k++) free(labels[k]);
  free(labels);
  gp_h5in_close(h);
  return rc ? -1 : 0;
}

/* The policies, their rule names and summaries, as many replications each;
 * a file of `gpuplan sensitivity` has none (read when ANY). */
static int read_policies(gp_reader *r, int any, gp_err *err) {
  char *path = gp_strf("%s/policies", r->base);
  if (!path) return GP_ERR_NOMEM(err);
  int sens = 0, calib = 0;
  if (!gp_h5in_exists(r->h, path) && ((sens = gp_h5in_exists(r->h, "/sensitivity") == 1) ||
                                      (calib = gp_h5in_exists(r->h, "/calibration") == 1))) {
    free(path);
    if (!any)
      return GP_ERR(err, GP_EX_DATAERR,
                    "%s: a file of gpuplan %s (no /policies): gpuplan report and "
                    "gpuplan plot read it",
                    r->path, sens ? "sensitivity" : "calibrate");
    double n = opt_double(r, "/", "replications", err);
    r->sens = sens;
    r->calib = calib;
    r->nreps = n >= 0 && n < 1e12 ? (size_t)n : 0;
    return err->code ? -1 : 0;
  }
  size_t np = 0;
  char **names = gp_h5in_list(r->h, path, &np, err);
  free(path);
  if (!names) return -1;
  if (np == 0) {
    free(names);
    return GP_ERR(err, GP_EX_DATAERR, "%s: no policies in the file", r->path);
  }
  if (!(r->pol = calloc(np, sizeof *r->pol))) {
    gp_h5in_free_names(names, np);
    return GP_ERR_NOMEM(err);
  }
  r->np = np;
  for (size_t i = 0; i < np; i++) r->pol[i].name = names[i];
  free(names); /* the strings now belong to r->pol */
  for (size_t i = 0; i < np; i++) {
    gp_reader_policy *p = &r->pol[i];
    if (!(path = gp_strf("%s/policies/%s", r->base, p->name))) return GP_ERR_NOMEM(err);
    p->selection = opt_string(r, path, "selection", err);
    p->scheduling = opt_string(r, path, "scheduling", err);
    free(path);
    if (err->code) return -1;
    size_t n = 0;
    if (!(p->sum = gp_reader_table(r, i, "summary", &gp_summary_desc, &n, err))) return -1;
    if (i == 0) r->nreps = n;
    if (n != r->nreps)
      return GP_ERR(err, GP_EX_DATAERR, "%s: policy %s has %zu replications, %s has %zu", r->path,
                    p->name, n, r->pol[0].name, r->nreps);
  }
  return 0;
}

static gp_reader *open_file(const char *path, int point, int any, gp_err *err) {
  gp_reader *r = calloc(1, sizeof *r);
  if (!r) return GP_ERR_NOMEM(err), NULL;
  r->path = path;
  if (!(r->h = gp_h5in_open(path, err)) || resolve_point(r, point, err) ||
      find_uncertain(r, err) || read_scenario(r, err) || read_root(r, err) ||
      read_overrides(r, err) || read_sweep(r, err) || read_policies(r, any, err)) {
    gp_reader_close(r);
    return NULL;
  }
  return r;
}

gp_reader *gp_reader_open(const char *path, int point, gp_err *err) {
  return open_file(path, point, 0, err);
}

gp_reader *gp_reader_open_any(const char *path, int point, gp_err *err) {
  return open_file(path, point, 1, err);
}

void gp_reader_close(gp_reader *r) {
  if (!r) return;
  for (size_t i = 0; i < r->np; i++) {
    free(r->pol[i].name);
    free(r->pol[i].selection);
    free(r->pol[i].scheduling);
    free(r->pol[i].sum);
  }
  free(r->pol);
  if (r->sweep_values)
    for (size_t i = 0; i < r->nsweep; i++) free(r->sweep_values[i]);
  free(r->sweep_values);
  gp_h5in_free_names(r->sweep_paths, r->nsweep);
  gp_h5in_free_names(r->overrides, r->noverrides);
  free(r->gpu_names);
  cJSON_Delete(r->scenario);
  free(r->scenario_text);
  free(r->name);
  free(r->description);
  free(r->version);
  gp_h5in_close(r->h);
  free(r);
}

int gp_reader_policy_index(const gp_reader *r, const char *name) {
  for (size_t i = 0; i < r->np; i++)
    if (strcmp(r->pol[i].name, name) == 0) return (int)i;
  return -1;
}

gp_stat_row *gp_reader_stats(const gp_reader *r, int paired, size_t base, gp_err *err) {
  size_t nm = (size_t)gp_stat_count();
  gp_stat_row *st = malloc(r->np * nm * sizeof *st);
  if (!st) return GP_ERR_NOMEM(err), NULL;
  for (size_t p = 0; p < r->np; p++)
    gp_stat_compute(r->pol[p].sum, paired ? r->pol[base].sum : NULL, r->nreps, st + p * nm);
  return st;
}

/* ---- policy tables ---- */

/* Is table NAME at PATH (proposals) of a file written before returning
 * applicants (issue 21, item 3) were modelled?  Nobody returned in it.  (The
 * calls table's returning counts are doubles: such a file reads them NaN.) */
static int before_returning(gp_reader *r, const char *path, const char *name) {
  return strcmp(name, "proposals") == 0 &&
         gp_h5in_exists(r->h, path) == 1 && !gp_h5in_has_field(r->h, path, "returning");
}

/* Such a table read without its returning applicants' fields, which then
 * say so: no returning proposal (returning 0: new) and no previous one
 * (-1). */
static void *table_before_returning(gp_reader *r, const char *path, const gp_table_desc *desc,
                                    size_t *n, gp_err *err) {
  static const char *const added[] = {"returning", "previous"};
  gp_field *kept = malloc((size_t)(desc->nfields ? desc->nfields : 1) * sizeof *kept);
  if (!kept) return *n = 0, GP_ERR_NOMEM(err), NULL;
  gp_table_desc d = *desc;
  d.nfields = 0;
  const gp_field *previous = NULL;
  for (int i = 0; i < desc->nfields; i++) {
    int skip = 0;
    for (size_t k = 0; k < sizeof added / sizeof added[0]; k++)
      skip |= strcmp(desc->fields[i].name, added[k]) == 0;
    if (!skip) kept[d.nfields++] = desc->fields[i];
    else if (strcmp(desc->fields[i].name, "previous") == 0) previous = &desc->fields[i];
  }
  d.fields = kept;
  void *rows = gp_h5in_table(r->h, path, &d, n, err); /* calloc'd: the rest 0 */
  free(kept);
  for (size_t j = 0; rows && previous && j < *n; j++) {
    int64_t none = -1;
    memcpy((char *)rows + j * desc->row_size + previous->offset, &none, sizeof none);
  }
  return rows;
}

void *gp_reader_table(gp_reader *r, size_t pol, const char *name, const gp_table_desc *desc,
                      size_t *n, gp_err *err) {
  *n = 0;
  char *path = gp_strf("%s/policies/%s/%s", r->base, r->pol[pol].name, name);
  if (!path) return GP_ERR_NOMEM(err), NULL;
  /* A summary metric or a (double) calls field added after the file was
   * written reads as NaN (no data); the returning applicants' fields of the
   * proposal table as none (returns.c); any other field the file lacks is an
   * error. */
  void *rows = desc == &gp_summary_desc || desc == &gp_call_desc
                   ? gp_h5in_table_nan(r->h, path, desc, n, err)
               : before_returning(r, path, name) ? table_before_returning(r, path, desc, n, err)
                                                 : gp_h5in_table(r->h, path, desc, n, err);
  free(path);
  v1_never(r, name, desc, rows, *n);
  return rows;
}

int gp_reader_proposal_desc(gp_reader *r, gp_table_desc *desc, gp_field *fields, gp_err *err) {
  if (!r->gpu_names) {
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(r->scenario, "gpu_types");
    if (!cJSON_IsArray(g))
      return GP_ERR(err, GP_EX_DATAERR, "%s: %s/scenario: not a scenario with gpu_types", r->path,
                    r->base);
    int n = cJSON_GetArraySize(g);
    if (!(r->gpu_names = calloc((size_t)(n ? n : 1), sizeof *r->gpu_names)))
      return GP_ERR_NOMEM(err);
    for (int i = 0; i < n; i++) {
      const char *name = json_string(cJSON_GetArrayItem(g, i), "name");
      if (!name) {
        free(r->gpu_names);
        r->gpu_names = NULL;
        return GP_ERR(err, GP_EX_DATAERR, "%s: %s/scenario: gpu_types[%d] has no name", r->path,
                      r->base, i);
      }
      r->gpu_names[i] = name;
    }
    r->ngpu = n;
  }
  gp_proposal_desc_init(desc, fields, r->gpu_names, r->ngpu);
  return 0;
}

static const gp_field start_fields[] = {
    GP_FIELD(gp_reader_start, rep, GP_F_INT32, "1", "replication number"),
    GP_FIELD_ENUM(gp_reader_start, sector, gp_sector_names, GP_NSECTORS, "applicant's sector"),
    GP_FIELD(gp_reader_start, submitted, GP_F_DOUBLE, "days", "submission time, days since epoch"),
    GP_FIELD(gp_reader_start, started, GP_F_DOUBLE, "days", "start on GPUs; NaN = never"),
};
static const gp_table_desc start_desc = {"proposals", sizeof(gp_reader_start), start_fields,
                                         (int)(sizeof start_fields / sizeof start_fields[0])};

gp_reader_start *gp_reader_starts(gp_reader *r, size_t pol, size_t *n, gp_err *err) {
  return gp_reader_table(r, pol, "proposals", &start_desc, n, err);
}

char **gp_reader_call_names(gp_reader *r, size_t pol, size_t *n, gp_err *err) {
  *n = 0;
  char *path = gp_strf("%s/policies/%s/calls", r->base, r->pol[pol].name);
  if (!path) return GP_ERR_NOMEM(err), NULL;
  char **names = gp_h5in_attr_strings(r->h, path, "names", n, err);
  free(path);
  return names;
}

/* ---- statistics as stored ---- */

void gp_stored_stats_free(gp_stored_stats *s) {
  if (!s) return;
  free(s->a);
  free(s->b);
  gp_h5in_free_names(s->metrics, s->nmetrics);
  free(s->rows);
  memset(s, 0, sizeof *s);
}

/* The statistics table at PATH into *S, its metric enum named by the
 * table's own "metrics" attribute. */
static int read_stats(gp_reader *r, const char *path, gp_stored_stats *s, gp_err *err) {
  if (!(s->metrics = gp_h5in_attr_strings(r->h, path, "metrics", &s->nmetrics, err))) return -1;
  gp_stat_count(); /* completes gp_stat_desc */
  gp_field fields[16];
  gp_table_desc d = gp_stat_desc;
  if (d.nfields > (int)(sizeof fields / sizeof fields[0]))
    return GP_ERR(err, GP_EX_SOFTWARE, "reader: the statistics table has too many fields");
  for (int i = 0; i < d.nfields; i++) {
    fields[i] = gp_stat_desc.fields[i];
    if (fields[i].type == GP_F_ENUM && strcmp(fields[i].name, "metric") == 0) {
      fields[i].enum_names = (const char *const *)s->metrics;
      fields[i].enum_count = (int)s->nmetrics;
    }
  }
  d.fields = fields;
  s->rows = gp_h5in_table(r->h, path, &d, &s->n, err);
  return s->rows ? 0 : -1;
}

int gp_reader_policy_stats(gp_reader *r, size_t pol, gp_stored_stats *s, gp_err *err) {
  memset(s, 0, sizeof *s);
  char *path = gp_strf("%s/stats/%s", r->base, r->pol[pol].name);
  int rc =
      !path || !(s->a = strdup(r->pol[pol].name)) ? GP_ERR_NOMEM(err) : read_stats(r, path, s, err);
  free(path);
  if (rc) gp_stored_stats_free(s);
  return rc;
}

char **gp_reader_pairs(gp_reader *r, size_t *n, gp_err *err) {
  *n = 0;
  char *group = gp_strf("%s/compare", r->base);
  if (!group) return GP_ERR_NOMEM(err), NULL;
  char **names = NULL;
  if (gp_h5in_exists(r->h, group))
    names = gp_h5in_list(r->h, group, n, err);
  else if (!(names = calloc(1, sizeof *names))) /* one policy: nothing to compare */
    GP_ERR_NOMEM(err);
  free(group);
  return names;
}

/* A and B come from the table's attributes: a policy's name may itself
 * contain "__". */
int gp_reader_pair_stats(gp_reader *r, const char *pair, gp_stored_stats *s, gp_err *err) {
  memset(s, 0, sizeof *s);
  char *path = gp_strf("%s/compare/%s", r->base, pair);
  if (!path) return GP_ERR_NOMEM(err);
  int rc = !(s->a = gp_h5in_attr_string(r->h, path, "a", err)) ||
                   !(s->b = gp_h5in_attr_string(r->h, path, "b", err))
               ? -1
               : read_stats(r, path, s, err);
  free(path);
  if (rc) gp_stored_stats_free(s);
  return rc;
}

/* ---- the roadmap ---- */

int gp_reader_roadmap(gp_reader *r, gp_roadmap_row **rows, size_t *n, double risk[6], gp_err *err) {
  static const char *const risk_names[6] = {"probability_reached_by_target",
                                            "probability_ci95_lo",
                                            "probability_ci95_hi",
                                            "date_reached_q10",
                                            "date_reached_q50",
                                            "date_reached_q90"};
  *rows = NULL;
  *n = 0;
  for (int i = 0; risk && i < 6; i++) risk[i] = NAN;
  char *path = gp_strf("%s/roadmap", r->base);
  if (!path) return GP_ERR_NOMEM(err);
  int rc = 0;
  if (gp_h5in_exists(r->h, path)) { /* files written before it existed have none */
    if (!(*rows = gp_h5in_table(r->h, path, &gp_roadmap_desc, n, err))) rc = -1;
    v1_never(r, "roadmap", &gp_roadmap_desc, *rows, *n);
    for (int i = 0; !rc && risk && i < 6; i++) {
      risk[i] = opt_double(r, path, risk_names[i], err);
      if (i >= 3 && r->format == 1) risk[i] = v1_time(risk[i]);
    }
    if (err->code) rc = -1;
  }
  free(path);
  return rc;
}

int gp_reader_roadmap_plan(gp_reader *r, gp_reader_plan *pl, gp_err *err) {
  memset(pl, 0, sizeof *pl);
  char *path = gp_strf("%s/roadmap", r->base), *tpath = gp_strf("%s/roadmap_tranches", r->base);
  int rc = 0;
  if (!path || !tpath) {
    rc = GP_ERR_NOMEM(err);
  } else if (gp_h5in_exists(r->h, tpath)) { /* files written before it existed have none */
    double *at[] = {&pl->planned_at_target, &pl->planned_reached, &pl->planned_peak,
                    &pl->never_planned, &pl->ended, &pl->late, &pl->ramping,
                    &pl->q[0], &pl->q[1], &pl->q[2]};
    static const char *const names[] = {
        "planned_gpus_at_target", "planned_date_reached", "planned_gpus_peak",
        "gap_never_planned", "gap_agreement_ended", "gap_late", "gap_ramping",
        "date_reached_ever_q10", "date_reached_ever_q50", "date_reached_ever_q90"};
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !rc; i++)
      if (gp_h5in_attr_double(r->h, path, names[i], at[i], err)) rc = -1;
    size_t nn = 0;
    if (!rc && !(pl->rows = gp_h5in_table(r->h, tpath, &gp_roadmap_tranche_desc, &pl->n, err)))
      rc = -1;
    if (!rc && !(pl->names = gp_h5in_attr_strings(r->h, tpath, "names", &nn, err))) rc = -1;
    if (!rc && nn != pl->n)
      rc = GP_ERR(err, GP_EX_DATAERR, "%s: %s: %zu names for %zu tranches", r->path, tpath, nn,
                  pl->n);
    for (size_t i = 0; !rc && i < pl->n; i++)
      if (pl->rows[i].tranche != (int32_t)i)
        rc = GP_ERR(err, GP_EX_DATAERR, "%s: %s: row %zu is of tranche %d", r->path, tpath, i,
                    (int)pl->rows[i].tranche);
    if (rc) {
      if (pl->names) gp_h5in_free_names(pl->names, nn);
      pl->names = NULL;
      free(pl->rows);
      pl->rows = NULL;
      pl->n = 0;
    } else {
      pl->has = 1;
    }
  }
  free(path);
  free(tpath);
  return rc;
}

void gp_reader_plan_free(gp_reader_plan *pl) {
  if (!pl) return;
  if (pl->names) gp_h5in_free_names(pl->names, pl->n);
  free(pl->rows);
  memset(pl, 0, sizeof *pl);
}

/* ---- the uncertain factors ---- */

void gp_reader_uncertain_free(gp_reader_uncertain *u) {
  if (!u) return;
  gp_h5in_free_names(u->path, u->nf);
  gp_h5in_free_names(u->note, u->nf);
  gp_h5in_free_names(u->group, u->nf);
  free(u->value);
  memset(u, 0, sizeof *u);
}

int gp_reader_uncertain_read(gp_reader *r, gp_reader_uncertain *u, gp_err *err) {
  memset(u, 0, sizeof *u);
  char *base = gp_strf("%s/uncertain", r->base);
  char *vpath = gp_strf("%s/uncertain/values", r->base);
  int rc = !base || !vpath ? GP_ERR_NOMEM(err) : 0;
  if (!rc && gp_h5in_exists(r->h, base) == 1) {
    size_t nn = 0, ng = 0, rows = 0, cols = 0;
    if (!(u->path = gp_h5in_attr_strings(r->h, base, "path", &u->nf, err)) ||
        !(u->note = gp_h5in_attr_strings(r->h, base, "note", &nn, err)) ||
        !(u->group = gp_h5in_attr_strings(r->h, base, "group", &ng, err)) ||
        !(u->value = gp_h5in_matrix(r->h, vpath, &rows, &cols, err)))
      rc = -1;
    else if (nn != u->nf || ng != u->nf || u->nf == 0 || cols != u->nf || rows != r->nreps)
      rc = GP_ERR(err, GP_EX_DATAERR,
                  "%s: %s: %zu x %zu values for %zu factors (notes %zu, groups %zu) and %zu "
                  "replications",
                  r->path, vpath, rows, cols, u->nf, nn, ng, r->nreps);
    u->nreps = rows;
    if (rc) {
      /* the names arrays may be of different lengths: free each by its own */
      gp_h5in_free_names(u->note, nn);
      gp_h5in_free_names(u->group, ng);
      u->note = u->group = NULL;
      gp_reader_uncertain_free(u);
    }
  }
  free(base);
  free(vpath);
  return rc ? -1 : 0;
}

/* ---- a file of gpuplan sensitivity ---- */

#define SENS_FIELD(m, name) {name, offsetof(gp_reader_sens_row, m), GP_F_DOUBLE, "1", "", NULL, 0, 0, NULL}
static const gp_field sens_sobol_fields[] = {
    {"metric", offsetof(gp_reader_sens_row, metric), GP_F_ENUM, "", "", NULL, 0, 0, NULL},
    {"factor", offsetof(gp_reader_sens_row, factor), GP_F_ENUM, "", "", NULL, 0, 0, NULL},
    SENS_FIELD(s1, "S1"), SENS_FIELD(s1_lo, "S1_lo"), SENS_FIELD(s1_hi, "S1_hi"),
    SENS_FIELD(st, "ST"), SENS_FIELD(st_lo, "ST_lo"), SENS_FIELD(st_hi, "ST_hi"),
};
static const gp_field sens_morris_fields[] = {
    {"metric", offsetof(gp_reader_sens_row, metric), GP_F_ENUM, "", "", NULL, 0, 0, NULL},
    {"factor", offsetof(gp_reader_sens_row, factor), GP_F_ENUM, "", "", NULL, 0, 0, NULL},
    SENS_FIELD(mu_star, "mu_star"), SENS_FIELD(mu_star_lo, "mu_star_lo"),
    SENS_FIELD(mu_star_hi, "mu_star_hi"), SENS_FIELD(mu, "mu"), SENS_FIELD(sigma, "sigma"),
};
#define SENS_NFIELDS(a) ((int)(sizeof a / sizeof a[0]))

void gp_reader_sens_free(gp_reader_sens *s) {
  if (!s) return;
  free(s->method);
  gp_h5in_free_names(s->factors, s->nf);
  gp_h5in_free_names(s->factor_paths, s->nf);
  gp_h5in_free_names(s->metrics, s->nm);
  for (size_t p = 0; s->rows && p < s->np; p++) free(s->rows[p]);
  gp_h5in_free_names(s->policies, s->np);
  free(s->rows);
  free(s->n);
  memset(s, 0, sizeof *s);
}

int gp_reader_sensitivity(gp_reader *r, gp_reader_sens *s, gp_err *err) {
  memset(s, 0, sizeof *s);
  if (gp_h5in_exists(r->h, "/sensitivity") != 1) return 0;
  const char *g = "/sensitivity";
  size_t nfp = 0;
  int rc = !(s->method = gp_h5in_attr_string(r->h, g, "method", err)) ||
           !(s->factors = gp_h5in_attr_strings(r->h, g, "factors", &s->nf, err)) ||
           !(s->factor_paths = gp_h5in_attr_strings(r->h, g, "factor_paths", &nfp, err)) ||
           !(s->metrics = gp_h5in_attr_strings(r->h, g, "metrics", &s->nm, err)) ||
           !(s->policies = gp_h5in_attr_strings(r->h, g, "policies", &s->np, err));
  if (!rc && nfp != s->nf)
    rc = GP_ERR(err, GP_EX_DATAERR, "%s: /sensitivity: %zu factors and %zu factor_paths",
                r->path, s->nf, nfp);
  int sobol = s->method && strcmp(s->method, "sobol") == 0;
  if (!rc && !sobol && strcmp(s->method, "morris") != 0)
    rc = GP_ERR(err, GP_EX_DATAERR, "%s: /sensitivity: method \"%.40s\" (sobol or morris)",
                r->path, s->method);
  if (!rc) {
    s->reps = opt_double(r, g, "reps", err);
    s->level = opt_double(r, g, "level", err);
    rc = err->code != 0;
  }
  if (!rc && (!(s->rows = calloc(s->np ? s->np : 1, sizeof *s->rows)) ||
              !(s->n = calloc(s->np ? s->np : 1, sizeof *s->n))))
    rc = GP_ERR_NOMEM(err);
  gp_field fields[8];
  const gp_field *src = sobol ? sens_sobol_fields : sens_morris_fields;
  int nfields = sobol ? SENS_NFIELDS(sens_sobol_fields) : SENS_NFIELDS(sens_morris_fields);
  for (int i = 0; i < nfields; i++) fields[i] = src[i];
  fields[0].enum_names = (const char *const *)s->metrics, fields[0].enum_count = (int)s->nm;
  fields[1].enum_names = (const char *const *)s->factors, fields[1].enum_count = (int)s->nf;
  gp_table_desc d = {s->method, sizeof(gp_reader_sens_row), fields, nfields};
  for (size_t p = 0; p < s->np && !rc; p++) {
    char *path = gp_strf("/sensitivity/%s/%s", s->policies[p], s->method);
    if (!path) {
      rc = GP_ERR_NOMEM(err);
      break;
    }
    s->rows[p] = gp_h5in_table_nan(r->h, path, &d, &s->n[p], err);
    free(path);
    if (!s->rows[p]) rc = -1;
    for (size_t i = 0; !rc && i < s->n[p]; i++) {
      gp_reader_sens_row *x = &s->rows[p][i];
      if (x->metric < 0 || (size_t)x->metric >= s->nm || x->factor < 0 || (size_t)x->factor >= s->nf)
        rc = GP_ERR(err, GP_EX_DATAERR, "%s: /sensitivity/%s/%s: row %zu: metric or factor out of "
                    "range", r->path, s->policies[p], s->method, i);
      if (sobol) x->mu_star = x->mu_star_lo = x->mu_star_hi = x->mu = x->sigma = NAN;
      else x->s1 = x->s1_lo = x->s1_hi = x->st = x->st_lo = x->st_hi = NAN;
    }
  }
  if (rc) gp_reader_sens_free(s);
  return rc ? -1 : 0;
}

/* ---- a run on a calibration's posterior ---- */

void gp_reader_post_free(gp_reader_post *p) {
  free(p->file);
  free(p->policy);
  gp_h5in_free_names(p->paths, p->nu);
  memset(p, 0, sizeof *p);
}

int gp_reader_posterior(gp_reader *r, gp_reader_post *p, gp_err *err) {
  memset(p, 0, sizeof *p);
  char *g = gp_strf("%s/posterior", r->base);
  if (!g) return GP_ERR_NOMEM(err);
  int rc = gp_h5in_exists(r->h, g) == 1 &&
           (!(p->file = gp_h5in_attr_string(r->h, g, "file", err)) ||
            !(p->policy = gp_h5in_attr_string(r->h, g, "policy", err)) ||
            !(p->paths = gp_h5in_attr_strings(r->h, g, "paths", &p->nu, err)) ||
            gp_h5in_attr_double(r->h, g, "crc32", &p->crc32, err) ||
            gp_h5in_attr_double(r->h, g, "particles", &p->particles, err));
  free(g);
  if (rc) gp_reader_post_free(p);
  return rc ? -1 : 0;
}

/* ---- time series ---- */

void gp_reader_series_free(gp_reader_series *ts) {
  if (!ts) return;
  free(ts->time);
  free(ts->rep);
  for (size_t i = 0; i < ts->n; i++) free(ts->name[i]), free(ts->tranche[i]);
  free(ts->name);
  free(ts->tranche);
  memset(ts, 0, sizeof *ts);
}

/* Append series NAME (of TRANCHE, NULL for the programme's) to TS. */
static int series_add(gp_reader_series *ts, size_t *cap, const char *name, const char *tranche,
                      gp_err *err) {
  if (ts->n == *cap) {
    size_t c = *cap ? 2 * *cap : 16;
    char **a = realloc(ts->name, c * sizeof *a);
    if (a) ts->name = a;
    char **b = a ? realloc(ts->tranche, c * sizeof *b) : NULL;
    if (b) ts->tranche = b;
    if (!a || !b) return GP_ERR_NOMEM(err);
    *cap = c;
  }
  ts->name[ts->n] = strdup(name);
  ts->tranche[ts->n] = tranche ? strdup(tranche) : NULL;
  if (!ts->name[ts->n] || (tranche && !ts->tranche[ts->n])) {
    free(ts->name[ts->n]);
    free(ts->tranche[ts->n]);
    return GP_ERR_NOMEM(err);
  }
  ts->n++;
  return 0;
}

/* The names of group GROUP (listed by the file) as series of TRANCHE, all
 * but SKIP_SCALES' time, rep and tranches. */
static int series_list(gp_reader *r, gp_reader_series *ts, size_t *cap, const char *group,
                       const char *tranche, int skip_scales, gp_err *err) {
  size_t n = 0;
  char **names = gp_h5in_list(r->h, group, &n, err);
  if (!names) return -1;
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    if (skip_scales &&
        (!strcmp(names[i], "time") || !strcmp(names[i], "rep") || !strcmp(names[i], "tranches")))
      continue;
    rc = series_add(ts, cap, names[i], tranche, err);
  }
  gp_h5in_free_names(names, n);
  return rc;
}

int gp_reader_series_open(gp_reader *r, size_t pol, gp_reader_series *ts, gp_err *err) {
  memset(ts, 0, sizeof *ts);
  const char *pname = r->pol[pol].name;
  char *group = gp_strf("%s/policies/%s/timeseries", r->base, pname);
  char *time = group ? gp_strf("%s/time", group) : NULL;
  char *rep = time ? gp_strf("%s/rep", group) : NULL;
  char *tranches = rep ? gp_strf("%s/tranches", group) : NULL;
  size_t cols = 0, cap = 0, nt = 0;
  char **tnames = NULL;
  int rc = -1;
  if (!tranches) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (!(ts->time = gp_h5in_matrix(r->h, time, &ts->ns, &cols, err))) goto done;
  if (cols != 1) {
    GP_ERR(err, GP_EX_DATAERR, "%s: policy %s: timeseries/time is not a vector", r->path, pname);
    goto done;
  }
  for (size_t i = 0; i < ts->ns; i++)
    if (!(fabs(ts->time[i]) <= 1e7)) {
      GP_ERR(err, GP_EX_DATAERR, "%s: policy %s: timeseries/time: sample time %g out of range",
             r->path, pname, ts->time[i]);
      goto done;
    }
  if (!(ts->rep = gp_h5in_matrix(r->h, rep, &ts->nrep, &cols, err))) goto done;
  if (series_list(r, ts, &cap, group, NULL, 1, err)) goto done;
  rc = 0;
  if (!gp_h5in_exists(r->h, tranches)) goto done;
  if (!(tnames = gp_h5in_list(r->h, tranches, &nt, err))) rc = -1;
  for (size_t t = 0; t < nt && !rc; t++) {
    char *tg = gp_strf("%s/%s", tranches, tnames[t]);
    rc = tg ? series_list(r, ts, &cap, tg, tnames[t], 0, err) : GP_ERR_NOMEM(err);
    free(tg);
  }
done:
  gp_h5in_free_names(tnames, nt);
  free(group), free(time), free(rep), free(tranches);
  if (rc) gp_reader_series_free(ts);
  return rc;
}

double *gp_reader_series_read(gp_reader *r, size_t pol, const gp_reader_series *ts, size_t i,
                              char **unit, gp_err *err) {
  if (unit) *unit = NULL;
  char *path = ts->tranche[i] ? gp_strf("%s/policies/%s/timeseries/tranches/%s/%s", r->base,
                                        r->pol[pol].name, ts->tranche[i], ts->name[i])
                              : gp_strf("%s/policies/%s/timeseries/%s", r->base, r->pol[pol].name,
                                        ts->name[i]);
  if (!path) return GP_ERR_NOMEM(err), NULL;
  size_t rows = 0, cols = 0;
  double *m = gp_h5in_matrix(r->h, path, &rows, &cols, err);
  if (m && (rows != ts->nrep || (rows && cols != ts->ns))) {
    GP_ERR(err, GP_EX_DATAERR, "%s: %s: %zu x %zu values, expected %zu x %zu", r->path, path, rows,
           cols, ts->nrep, ts->ns);
    free(m);
    m = NULL;
  }
  if (m && unit && !(*unit = opt_string(r, path, "units", err)) && err->code) {
    free(m);
    m = NULL;
  }
  free(path);
  return m;
}

int gp_reader_series_find(const gp_reader_series *ts, const char *name) {
  for (size_t i = 0; i < ts->n; i++)
    if (!ts->tranche[i] && strcmp(ts->name[i], name) == 0) return (int)i;
  return -1;
}
