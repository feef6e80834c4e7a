/*
 * models/experiment/writer.c - the result file of an experiment (see
 * writer.h, docs/output.md).
 *
 * Invariants: everything is read from the stores in (policy, replication)
 * order, so the file does not depend on threads or ranks; rows of the
 * detailed replications come in replication order; no name or path is ever
 * cut: names are at most GP_NAME_MAX bytes (the loader refuses longer ones),
 * the buffers hold the longest path they make (checked when compiled), and
 * a path that still did not fit would fail the write (issue 16, item 4: a
 * 559-byte tranche name stored its series as "inst", "allo", "busy").
 */
#include "models/experiment/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/experiment/design.h"
#include "models/results/h5out.h"
#include "models/rules/registry.h"
#include "models/scenario/date.h"
#include "sim/version.h"

/* Bytes of the longest path the writer makes: a point's prefix
 * ("/points/" and an int), two names and the longest fixed parts
 * ("/compare/" + "__", or "/policies/" + "/timeseries/tranches/" + a series). */
#define PATHMAX (2 * GP_NAME_MAX + 128)
_Static_assert(sizeof "/points/-2147483648/policies//timeseries/tranches//installed_gpus" - 1 +
                       2 * GP_NAME_MAX < PATHMAX,
               "a tranche's series path must fit");
_Static_assert(sizeof "/points/-2147483648/compare/__" - 1 + 2 * GP_NAME_MAX < PATHMAX,
               "a comparison's path must fit");

/* Print FMT into BUF (PATHMAX bytes); a path that does not fit fails,
 * never cut (it would name another object, or collide with one). */
static int pathf(char *buf, gp_err *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int pathf(char *buf, gp_err *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, PATHMAX, fmt, ap);
  va_end(ap);
  if (n < 0 || n >= PATHMAX)
    return GP_ERR(err, GP_EX_SOFTWARE, "result file: a path of more than %d bytes (%.60s...)",
                  PATHMAX - 1, buf);
  return 0;
}

static int write_policy(gp_h5out *h, const char *prefix, const gp_store *st, int p, gp_err *err) {
  const gp_scenario *s = st->s;
  const gp_policy_spec *ps = &s->policies[p];
  char base[PATHMAX], path[PATHMAX], tpath[PATHMAX], rpath[PATHMAX];
  if (pathf(base, err, "%s/policies/%s", prefix, ps->name) || gp_h5out_group(h, base, err) ||
      gp_h5out_attr_string(h, base, "selection", ps->selection->name, err) ||
      gp_h5out_attr_string(h, base, "scheduling", ps->scheduling->name, err))
    return -1;
  if (pathf(path, err, "%s/summary", base) ||
      gp_h5out_table(h, path, &gp_summary_desc, gp_store_summary(st, p, 0), (size_t)st->nreps, err))
    return -1;

  /* Per-proposal rows of the detailed replications, in replication order. */
  size_t nrows = 0;
  for (int r = 0; r < st->ndetail; r++) nrows += gp_store_detail(st, p, r)->nprops;
  gp_proposal_row *rows = malloc((nrows ? nrows : 1) * sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  size_t k = 0;
  for (int r = 0; r < st->ndetail; r++) {
    const gp_run_out *o = gp_store_detail(st, p, r);
    if (o->nprops) memcpy(rows + k, o->props, o->nprops * sizeof *rows);
    k += o->nprops;
  }
  const char *gpu_names[GP_MAX_GPU_TYPES];
  for (int g = 0; g < s->ngpu_types; g++) gpu_names[g] = s->gpu_types[g].name;
  gp_field fields[GP_PROPOSAL_NFIELDS];
  gp_table_desc pdesc;
  gp_proposal_desc_init(&pdesc, fields, gpu_names, s->ngpu_types);
  int rc = pathf(path, err, "%s/proposals", base) || gp_h5out_table(h, path, &pdesc, rows, nrows, err);
  free(rows);
  if (rc) return -1;

  /* Demand sources: one row per (replication, source), all replications. */
  size_t no = st->norigins;
  gp_call_row *crows = malloc((no ? no : 1) * (size_t)st->nreps * sizeof *crows);
  if (!crows) return GP_ERR_NOMEM(err);
  for (int r = 0; r < st->nreps; r++)
    memcpy(crows + (size_t)r * no, gp_store_calls(st, p, r), no * sizeof *crows);
  rc = pathf(path, err, "%s/calls", base) ||
       gp_h5out_table(h, path, &gp_call_desc, crows, no * (size_t)st->nreps, err);
  free(crows);
  const char **names = malloc((no ? no : 1) * sizeof *names);
  if (!names) return GP_ERR_NOMEM(err);
  for (size_t o = 0; o < no; o++) names[o] = gp_scenario_origin_name(s, (int)o);
  if (!rc) rc = gp_h5out_attr_strings(h, path, "names", names, no, err);
  free(names);
  if (rc) return -1;

  /* Time series: time and replication scales, one [reps x samples] matrix
   * per series; per-tranche series under timeseries/tranches/NAME/. */
  size_t ns = st->nsamples, nd = (size_t)st->ndetail, nser = gp_run_nseries(s);
  double *time = malloc(ns * sizeof *time);
  int *reps = malloc((nd ? nd : 1) * sizeof *reps);
  double *m = malloc((nd ? nd : 1) * ns * sizeof *m);
  if (!time || !reps || !m) {
    free(time), free(reps), free(m);
    return GP_ERR_NOMEM(err);
  }
  for (size_t i = 0; i < ns; i++) time[i] = (double)i * s->sample_every;
  for (size_t r = 0; r < nd; r++) reps[r] = (int)r;
  rc = pathf(tpath, err, "%s/timeseries/time", base) || pathf(rpath, err, "%s/timeseries/rep", base) ||
       gp_h5out_scale(h, tpath, time, ns, "days since epoch", err) ||
       gp_h5out_scale_int(h, rpath, reps, nd, "replication", err);
  for (size_t v = 0; v < nser && !rc; v++) {
    for (size_t r = 0; r < nd; r++)
      memcpy(m + r * ns, gp_store_detail(st, p, (int)r)->ts + v * ns, ns * sizeof *m);
    const char *units;
    if (v < GP_NTS) {
      rc = pathf(path, err, "%s/timeseries/%s", base, gp_ts_names[v]);
      units = gp_ts_units[v];
    } else {
      size_t t = (v - GP_NTS) / GP_NTTS, kind = (v - GP_NTS) % GP_NTTS;
      rc = pathf(path, err, "%s/timeseries/tranches/%s/%s", base, s->tranches[t].name,
                 gp_tts_names[kind]);
      units = "GPUs";
    }
    if (!rc) rc = gp_h5out_matrix(h, path, m, nd, ns, units, rpath, tpath, err);
    if (!rc && v < GP_NTS) rc = gp_h5out_attr_string(h, path, "doc", gp_ts_docs[v], err);
  }
  free(time), free(reps), free(m);
  return rc ? -1 : 0;
}

/* /stats/P for every policy; /compare/A__B (paired differences A - B) for
 * every pair A before B in the scenario's order. */
static int write_stats(gp_h5out *h, const char *prefix, const gp_store *st, gp_err *err) {
  const gp_scenario *s = st->s;
  int nm = gp_stat_count(), rc = 0;
  gp_stat_row *rows = malloc((size_t)nm * sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  char path[PATHMAX];
  for (int a = 0; a < st->npol && !rc; a++) {
    const gp_summary_row *sa = gp_store_summary(st, a, 0);
    gp_stat_compute(sa, NULL, (size_t)st->nreps, rows);
    rc = pathf(path, err, "%s/stats/%s", prefix, s->policies[a].name) ||
         gp_h5out_table(h, path, &gp_stat_desc, rows, (size_t)nm, err) ||
         gp_h5out_attr_strings(h, path, "metrics", gp_stat_metric_names, (size_t)nm, err);
    for (int b = a + 1; b < st->npol && !rc; b++) {
      gp_stat_compute(sa, gp_store_summary(st, b, 0), (size_t)st->nreps, rows);
      rc = pathf(path, err, "%s/compare/%s__%s", prefix, s->policies[a].name,
                 s->policies[b].name) ||
           gp_h5out_table(h, path, &gp_stat_desc, rows, (size_t)nm, err) ||
           gp_h5out_attr_strings(h, path, "metrics", gp_stat_metric_names, (size_t)nm, err) ||
           gp_h5out_attr_string(h, path, "a", s->policies[a].name, err) ||
           gp_h5out_attr_string(h, path, "b", s->policies[b].name, err);
    }
  }
  free(rows);
  return rc ? -1 : 0;
}

/* The roadmap as planned beside it (issue 17, item 1): attributes of
 * /roadmap (at PATH) and the gap by tranche, /roadmap_tranches. */
static int write_plan(gp_h5out *h, const char *prefix, const char *path, const gp_store *st,
                      gp_err *err) {
  const gp_scenario *s = st->s;
  gp_store_plan pl;
  gp_roadmap_tranche_row *rows = malloc((size_t)s->ntranches * sizeof *rows);
  const char **names = malloc((size_t)s->ntranches * sizeof *names);
  char tpath[PATHMAX];
  int rc = !rows || !names ? GP_ERR_NOMEM(err) : gp_store_roadmap_plan(st, &pl, rows, err);
  for (int i = 0; !rc && i < s->ntranches; i++) names[i] = s->tranches[i].name;
  if (!rc)
    rc = gp_h5out_attr_double(h, path, "planned_gpus_at_target", pl.planned_at_target, err) ||
         gp_h5out_attr_double(h, path, "planned_date_reached", pl.planned_reached, err) ||
         gp_h5out_attr_double(h, path, "planned_gpus_peak", pl.planned_peak, err) ||
         gp_h5out_attr_double(h, path, "gap_never_planned", pl.never_planned, err) ||
         gp_h5out_attr_double(h, path, "gap_agreement_ended", pl.ended, err) ||
         gp_h5out_attr_double(h, path, "gap_late", pl.late, err) ||
         gp_h5out_attr_double(h, path, "gap_ramping", pl.ramping, err) ||
         gp_h5out_attr_double(h, path, "date_reached_ever_q10", pl.q10, err) ||
         gp_h5out_attr_double(h, path, "date_reached_ever_q50", pl.q50, err) ||
         gp_h5out_attr_double(h, path, "date_reached_ever_q90", pl.q90, err) ||
         pathf(tpath, err, "%s/roadmap_tranches", prefix) ||
         gp_h5out_table(h, tpath, &gp_roadmap_tranche_desc, rows, (size_t)s->ntranches, err) ||
         gp_h5out_attr_strings(h, tpath, "names", names, (size_t)s->ntranches, err);
  free(rows);
  free(names);
  return rc ? -1 : 0;
}

/* The roadmap table and, with a target, its risk and its plan as
 * attributes. */
static int write_roadmap(gp_h5out *h, const char *prefix, const gp_store *st, gp_err *err) {
  char path[PATHMAX];
  if (pathf(path, err, "%s/roadmap", prefix) ||
      gp_h5out_table(h, path, &gp_roadmap_desc, st->roadmap, (size_t)st->nreps, err)) return -1;
  if (!(st->s->target_gpus > 0)) return 0;
  gp_store_risk r;
  gp_store_roadmap_risk(st, &r);
  if (gp_h5out_attr_double(h, path, "probability_reached_by_target", r.p, err) ||
      gp_h5out_attr_double(h, path, "probability_ci95_lo", r.lo, err) ||
      gp_h5out_attr_double(h, path, "probability_ci95_hi", r.hi, err) ||
      gp_h5out_attr_double(h, path, "date_reached_q10", r.q10, err) ||
      gp_h5out_attr_double(h, path, "date_reached_q50", r.q50, err) ||
      gp_h5out_attr_double(h, path, "date_reached_q90", r.q90, err))
    return -1;
  return write_plan(h, prefix, path, st, err);
}

/* A two-level run's factors and the values each replication drew, under
 * PREFIX/uncertain: replications x factors, so that any summary metric can
 * be regressed on them. */
static int write_uncertain(gp_h5out *h, const char *prefix, const gp_store *st, gp_err *err) {
  const gp_scenario *s = st->s;
  size_t nf = (size_t)s->nuncertain, nr = (size_t)st->nreps;
  char base[PATHMAX], rpath[PATHMAX], vpath[PATHMAX];
  const char **col = malloc(4 * nf * sizeof *col);
  double *v = malloc((nr ? nr : 1) * nf * sizeof *v);
  int *reps = malloc((nr ? nr : 1) * sizeof *reps);
  int rc = !col || !v || !reps ? GP_ERR_NOMEM(err) : 0;
  for (size_t i = 0; i < nf && !rc; i++) {
    col[i] = s->uncertain[i].path;
    col[nf + i] = s->uncertain[i].dist_json;
    col[2 * nf + i] = s->uncertain[i].note;
    col[3 * nf + i] = s->uncertain[i].group;
  }
  for (size_t r = 0; r < nr && !rc; r++) {
    reps[r] = (int)r;
    gp_design_values(st->design, (int)r, v + r * nf);
  }
  if (!rc)
    rc = pathf(base, err, "%s/uncertain", prefix) || pathf(rpath, err, "%s/rep", base) ||
         pathf(vpath, err, "%s/values", base) || gp_h5out_group(h, base, err) ||
         gp_h5out_attr_string(h, base, "design",
                              gp_design_kind_names[gp_design_kind_of(st->design)], err) ||
         gp_h5out_attr_int(h, base, "coordinates", s->uncertain_dims, err) ||
         gp_h5out_attr_strings(h, base, "path", col, nf, err) ||
         gp_h5out_attr_strings(h, base, "dist", col + nf, nf, err) ||
         gp_h5out_attr_strings(h, base, "note", col + 2 * nf, nf, err) ||
         gp_h5out_attr_strings(h, base, "group", col + 3 * nf, nf, err) ||
         gp_h5out_scale_int(h, rpath, reps, nr, "replication", err) ||
         gp_h5out_matrix(h, vpath, v, nr, nf, "the unit of each factor's path", rpath, NULL, err);
  free(col);
  free(v);
  free(reps);
  return rc ? -1 : 0;
}

/* A run on a calibration's posterior (run --posterior): where the values
 * came from, and the particle and values each replication drew, under
 * PREFIX/posterior. */
static int write_posterior(gp_h5out *h, const char *prefix, const gp_store *st, gp_err *err) {
  const gp_calibout_posterior *p = gp_design_posterior(st->design);
  size_t nu = p->nu, nr = (size_t)st->nreps;
  char base[PATHMAX], rpath[PATHMAX], vpath[PATHMAX], kpath[PATHMAX];
  double *v = malloc((nr ? nr : 1) * nu * sizeof *v), *k = malloc((nr ? nr : 1) * sizeof *k);
  int *reps = malloc((nr ? nr : 1) * sizeof *reps);
  int rc = !v || !k || !reps ? GP_ERR_NOMEM(err) : 0;
  for (size_t r = 0; r < nr && !rc; r++) {
    reps[r] = (int)r;
    k[r] = gp_design_posterior_values(st->design, (int)r, v + r * nu);
  }
  if (!rc)
    rc = pathf(base, err, "%s/posterior", prefix) || pathf(rpath, err, "%s/rep", base) ||
         pathf(vpath, err, "%s/values", base) || pathf(kpath, err, "%s/particle", base) ||
         gp_h5out_group(h, base, err) || gp_h5out_attr_string(h, base, "file", p->file, err) ||
         gp_h5out_attr_int(h, base, "crc32", (long long)p->crc32, err) ||
         gp_h5out_attr_string(h, base, "scenario_name", p->scenario_name, err) ||
         gp_h5out_attr_string(h, base, "policy", p->policy, err) ||
         gp_h5out_attr_int(h, base, "seed", p->seed, err) ||
         gp_h5out_attr_int(h, base, "particles", (long long)p->n, err) ||
         gp_h5out_attr_strings(h, base, "paths", (const char *const *)p->paths, nu, err) ||
         gp_h5out_scale_int(h, rpath, reps, nr, "replication", err) ||
         gp_h5out_matrix(h, kpath, k, nr, 1, "1", rpath, NULL, err) ||
         gp_h5out_matrix(h, vpath, v, nr, nu, "the unit of each path", rpath, NULL, err);
  free(v);
  free(k);
  free(reps);
  return rc ? -1 : 0;
}

/* Everything of one point under PREFIX ("" or "/points/K"). */
static int write_point(gp_h5out *h, const char *prefix, const gp_store *st, gp_err *err) {
  char path[PATHMAX];
  int rc = pathf(path, err, "%s/policies", prefix) || gp_h5out_group(h, path, err);
  for (int p = 0; p < st->npol && !rc; p++) rc = write_policy(h, prefix, st, p, err);
  if (!rc) rc = write_stats(h, prefix, st, err);
  if (!rc) rc = write_roadmap(h, prefix, st, err);
  if (!rc && st->design && gp_design_has_uncertain(st->design))
    rc = write_uncertain(h, prefix, st, err);
  if (!rc && st->design && gp_design_posterior(st->design)) rc = write_posterior(h, prefix, st, err);
  return rc ? -1 : 0;
}

/* The root of a swept file: the number of points and the swept paths. */
/* The path of a "path=value" override, malloc'd (whole: never cut). */
static char *set_path(const char *set) {
  const char *eq = strchr(set, '=');
  size_t n = eq ? (size_t)(eq - set) : strlen(set);
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, set, n);
    p[n] = '\0';
  }
  return p;
}

static int write_sweep_paths(gp_h5out *h, const gp_plan_point *pt, int npts, gp_err *err) {
  char **paths = calloc((size_t)(pt->nsets ? pt->nsets : 1), sizeof *paths);
  int rc = !paths ? GP_ERR_NOMEM(err) : 0;
  for (int d = 0; d < pt->nsets && !rc; d++)
    if (!(paths[d] = set_path(pt->sets[d]))) rc = GP_ERR_NOMEM(err);
  if (!rc)
    rc = gp_h5out_attr_int(h, "/", "points", npts, err) ||
         gp_h5out_attr_strings(h, "/", "sweep_paths", (const char *const *)paths,
                               (size_t)pt->nsets, err);
  for (int d = 0; paths && d < pt->nsets; d++) free(paths[d]);
  free(paths);
  return rc ? -1 : 0;
}

/* Point K of a swept file: /points/K with each value as an attribute named
 * by its path (the number itself when it is one, else the JSON text), the
 * point's scenario, then its tree. */
static int write_swept_point(gp_h5out *h, int k, const gp_plan_point *pt, const gp_store *st,
                             gp_err *err) {
  char prefix[64], spath[96];
  snprintf(prefix, sizeof prefix, "/points/%d", k);
  int rc = gp_h5out_group(h, prefix, err);
  for (int d = 0; d < pt->nsets && !rc; d++) {
    const char *set = pt->sets[d], *eq = strchr(set, '=');
    char *name = set_path(set), *end;
    if (!name) {
      rc = GP_ERR_NOMEM(err);
      break;
    }
    double v = strtod(eq + 1, &end);
    rc = *end == '\0' && end != eq + 1 ? gp_h5out_attr_double(h, prefix, name, v, err)
                                        : gp_h5out_attr_string(h, prefix, name, eq + 1, err);
    free(name);
  }
  char *pj = rc ? NULL : gp_scenario_json(pt->s);
  snprintf(spath, sizeof spath, "%s/scenario", prefix);
  if (!rc) rc = pj ? gp_h5out_text(h, spath, pj, err) : GP_ERR_NOMEM(err);
  free(pj);
  if (!rc) rc = write_point(h, prefix, st, err);
  return rc ? -1 : 0;
}

/* The attribute "files" of /scenario: the files S was read from, its own
 * then its "extends" chain (one name for a file that extends nothing). */
static int write_files(gp_h5out *h, const gp_scenario *s, gp_err *err) {
  int n = gp_scenario_nfiles(s);
  const char **files = malloc((size_t)n * sizeof *files);
  if (!files) return GP_ERR_NOMEM(err);
  for (int i = 0; i < n; i++) files[i] = gp_scenario_file_at(s, i);
  int rc = gp_h5out_attr_strings(h, "/scenario", "files", files, (size_t)n, err);
  free(files);
  return rc;
}

int gp_writer_check(const char *path, const char *input, gp_err *err) {
  if (!path || !path[0]) return GP_ERR(err, GP_EX_CANTCREAT, "\"\": cannot create: no file name");
  size_t n = strlen(path);
  if (path[n - 1] == '/')
    return GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: a directory's name, not a file's", path);
  struct stat so, si;
  if (stat(path, &so) == 0) {
    if (S_ISDIR(so.st_mode))
      return GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", path, strerror(EISDIR));
    if (input && stat(input, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
      return GP_ERR(err, GP_EX_USAGE, "%s: the run would overwrite its scenario", path);
    /* The file is renamed onto PATH: never onto a device or a pipe. */
    if (!S_ISREG(so.st_mode))
      return GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: not a regular file", path);
  }
  /* Its directory, made when missing (one level, as out/ is). */
  const char *slash = strrchr(path, '/');
  if (slash && slash != path) {
    size_t dn = (size_t)(slash - path);
    char *dir = malloc(dn + 1);
    if (!dir) return GP_ERR_NOMEM(err);
    memcpy(dir, path, dn);
    dir[dn] = '\0';
    int rc = 0;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
      rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create directory %s: %s", path, dir,
                  strerror(errno));
    free(dir);
    if (rc) return -1;
  }
  /* The temporary file the writer will make (gp_h5out_create's name). */
  char *tmp = malloc(n + 32);
  if (!tmp) return GP_ERR_NOMEM(err);
  snprintf(tmp, n + 32, "%s.tmp-%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT, 0666);
  int rc = fd < 0 ? GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", path, strerror(errno)) : 0;
  if (fd >= 0) {
    close(fd);
    unlink(tmp);
  }
  free(tmp);
  return rc;
}

void gp_writer_counts(const gp_store *stores, int npoints, int *reps, int *detail) {
  *reps = npoints > 0 ? stores[0].nreps : 0;
  *detail = npoints > 0 ? stores[0].ndetail : 0;
  for (int k = 1; k < npoints; k++) {
    if (stores[k].nreps < *reps) *reps = stores[k].nreps;
    if (stores[k].ndetail > *detail) *detail = stores[k].ndetail;
  }
}

int gp_writer_root(gp_h5out *h, const gp_plan *plan, int nreps, int ndetail, int complete,
                   int requested, gp_err *err) {
  const gp_scenario *base = plan->base;
  char epoch[16], target[16];
  gp_date_format(base->epoch_day, epoch, sizeof epoch);
  char *json = gp_scenario_json(base);
  if (!json) return GP_ERR_NOMEM(err);
  int rc = gp_h5out_attr_string(h, "/", "gpuplan_version", GP_VERSION, err) ||
           gp_h5out_attr_int(h, "/", "format_version", GP_FORMAT_VERSION, err) ||
           gp_h5out_attr_string(h, "/", "scenario_name", base->name, err) ||
           gp_h5out_attr_string(h, "/", "scenario_description", base->description, err) ||
           gp_h5out_attr_int(h, "/", "seed", (long long)base->seed, err) ||
           gp_h5out_attr_strings(h, "/", "overrides", (const char *const *)plan->sets,
                                 (size_t)plan->nsets, err) ||
           gp_h5out_attr_int(h, "/", "replications", nreps, err) ||
           gp_h5out_attr_int(h, "/", "detail_replications", ndetail, err) ||
           gp_h5out_attr_string(h, "/", "epoch", epoch, err) ||
           gp_h5out_attr_string(h, "/", "time_unit", "days", err) ||
           gp_h5out_attr_double(h, "/", "end", base->end, err) ||
           gp_h5out_attr_double(h, "/", "measure_from", base->measure_from, err) ||
           gp_h5out_attr_int(h, "/", "complete", complete, err) ||
           gp_h5out_attr_int(h, "/", "replications_requested", requested, err) ||
           gp_h5out_text(h, "/scenario", json, err) || write_files(h, base, err);
  free(json);
  if (!rc && base->target_gpus > 0) {
    gp_date_format_time(base->target_date, base->epoch_day, target, sizeof target);
    rc = gp_h5out_attr_double(h, "/", "target_gpus", base->target_gpus, err) ||
         gp_h5out_attr_string(h, "/", "target_date", target, err);
  }
  return rc ? -1 : 0;
}

int gp_writer_write(const char *path, const gp_plan *plan, const gp_store *stores, int npts,
                    int complete, int requested, gp_err *err) {
  int nreps, ndetail;
  gp_writer_counts(stores, npts, &nreps, &ndetail);
  gp_h5out *h = gp_h5out_create(path, err);
  if (!h) return -1;
  int rc = gp_writer_root(h, plan, nreps, ndetail, complete, requested, err);
  /* One line for a reader (the report): the values came from a posterior. */
  const gp_calibout_posterior *post =
      plan->points[0].design ? gp_design_posterior(plan->points[0].design) : NULL;
  if (!rc && post) rc = gp_h5out_attr_string(h, "/", "posterior", post->file, err);
  if (!gp_plan_swept(plan)) {
    if (!rc) rc = write_point(h, "", &stores[0], err);
  } else {
    if (!rc) rc = write_sweep_paths(h, &plan->points[0], npts, err);
    for (int k = 0; k < npts && !rc; k++) rc = write_swept_point(h, k, &plan->points[k], &stores[k], err);
  }
  if (rc) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}
