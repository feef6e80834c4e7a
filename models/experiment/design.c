/*
 * models/experiment/design.c - the outer level of a two-level run (see
 * design.h): a design's points, the factors' values, each replication's
 * scenario, and the plan that carries a design on every point.
 *
 * Invariants: the points and the posterior's draws are computed on one
 * thread, before any replication (gp_design_new, gp_design_reserve), and
 * only read after; a replication's values are a function of its number,
 * the factors and (for lhs, and the posterior's draw) the seed, never of a
 * schedule.
 */
#include "models/experiment/design.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/calibout.h"
#include "models/scenario/json.h"
#include "models/scenario/uncertain.h"
#include "sim/rng.h"

const char *const gp_design_kind_names[] = {"sobol", "lhs", NULL};

struct gp_design {
  gp_design_kind kind;
  const gp_scenario *s; /* the point's scenario, its factors (borrowed) */
  char *text;           /* s without its "uncertain" and "sweep" blocks, JSON; owned */
  size_t len;
  int uncertain;        /* 1: replications draw s's "uncertain" factors (--uncertain) */
  int dims;             /* coordinates: s->uncertain_dims; 0 without uncertain */
  int npoints;          /* replications the points cover */
  double *u;            /* [npoints][dims], in (0, 1); owned; NULL when dims is 0 */
  gp_calibout_posterior *post; /* NULL, or the posterior replications draw from; owned */
  double *cum;          /* [post->n]: cumulative weights, 1 from the last positive one on */
  int *particle;        /* [npoints]: the particle replication r drew; NULL without post */
};

gp_design_kind gp_design_kind_of(const gp_design *d) { return d->kind; }

void gp_design_free(gp_design *d) {
  if (!d) return;
  free(d->text);
  free(d->u);
  gp_calibout_posterior_free(d->post);
  free(d->cum);
  free(d->particle);
  free(d);
}

/* Points 1..n of the Sobol' sequence into U: GSL's generator starts at
 * point 1, (1/2, ..., 1/2), never returning point 0 (all zeros). */
static int sobol(gp_design *d, int n, double *u, gp_err *err) {
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)d->dims);
  if (!q) return GP_ERR_NOMEM(err);
  int rc = 0;
  for (int r = 0; r < n && !rc; r++) rc = gsl_qrng_get(q, u + (size_t)r * (size_t)d->dims);
  gsl_qrng_free(q);
  return rc ? GP_ERR(err, GP_EX_SOFTWARE, "--design sobol: GSL could not draw point %d", n) : 0;
}

/* A Latin hypercube of N points into U: coordinate j of point i is
 * (perm_j(i) + V) / N, V uniform on (0, 1), drawn coordinate by
 * coordinate from the scenario seed's own stream. */
static int lhs(gp_design *d, int n, double *u, gp_err *err) {
  gsl_rng *r = gp_rng_new(d->s->seed, 0, gp_rng_name_id("uncertain/lhs"));
  size_t *perm = malloc((size_t)n * sizeof *perm);
  if (!r || !perm) {
    gsl_rng_free(r);
    free(perm);
    return GP_ERR_NOMEM(err);
  }
  for (int j = 0; j < d->dims; j++) {
    for (int i = 0; i < n; i++) perm[i] = (size_t)i;
    gsl_ran_shuffle(r, perm, (size_t)n, sizeof *perm);
    for (int i = 0; i < n; i++)
      u[(size_t)i * (size_t)d->dims + (size_t)j] = ((double)perm[i] + gsl_rng_uniform_pos(r)) / n;
  }
  gsl_rng_free(r);
  free(perm);
  return 0;
}

/* Replications FROM..N-1's particles into P: replication r draws one
 * uniform of its own stream (the seed, r, "posterior") and takes the first
 * particle whose cumulative weight is above it, so its draw depends on the
 * seed and r alone. */
static int draw_particles(const gp_design *d, int from, int n, int *p, gp_err *err) {
  gsl_rng *r = gp_rng_alloc();
  if (!r) return GP_ERR_NOMEM(err);
  uint64_t stream = gp_rng_name_id("posterior");
  for (int rep = from; rep < n; rep++) {
    gp_rng_reset(r, d->s->seed, (uint64_t)rep, stream);
    double u = gsl_rng_uniform(r);
    size_t lo = 0, hi = d->post->n - 1; /* cum[hi] = 1 > u */
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (d->cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    p[rep] = (int)lo;
  }
  gsl_rng_free(r);
  return 0;
}

int gp_design_reserve(gp_design *d, int nreps, gp_err *err) {
  if (nreps <= d->npoints) return 0;
  if (d->uncertain && d->kind == GP_DESIGN_LHS && d->npoints > 0)
    return GP_ERR(err, GP_EX_USAGE,
                  "--design lhs: a Latin hypercube of %d points cannot grow to %d replications "
                  "(--precision needs --design sobol)",
                  d->npoints, nreps);
  double *u = NULL;
  int *p = NULL;
  if (d->dims > 0 && !(u = malloc((size_t)nreps * (size_t)d->dims * sizeof *u)))
    return GP_ERR_NOMEM(err);
  if (d->post && !(p = malloc((size_t)nreps * sizeof *p))) {
    free(u);
    return GP_ERR_NOMEM(err);
  }
  if ((u && (d->kind == GP_DESIGN_SOBOL ? sobol : lhs)(d, nreps, u, err)) ||
      (p && draw_particles(d, d->npoints, nreps, p, err))) {
    free(u);
    free(p);
    return -1;
  }
  if (p && d->npoints > 0) memcpy(p, d->particle, (size_t)d->npoints * sizeof *p);
  if (u) {
    free(d->u);
    d->u = u;
  }
  if (p) {
    free(d->particle);
    d->particle = p;
  }
  d->npoints = nreps;
  return 0;
}

/* A design on S: its factors when UNCERTAIN (by KIND), POST's particles
 * when POST is not NULL (taken, freed on failure). */
static gp_design *design_new(const gp_scenario *s, int uncertain, gp_design_kind kind,
                             gp_calibout_posterior *post, gp_err *err) {
  gp_design *d = calloc(1, sizeof *d);
  if (!d) {
    gp_calibout_posterior_free(post);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  d->kind = kind;
  d->s = s;
  d->uncertain = uncertain;
  d->dims = uncertain ? s->uncertain_dims : 0;
  d->post = post;
  if (post) {
    if (!(d->cum = malloc(post->n * sizeof *d->cum))) {
      GP_ERR_NOMEM(err);
      gp_design_free(d);
      return NULL;
    }
    double c = 0;
    size_t last = 0;
    for (size_t i = 0; i < post->n; i++) {
      d->cum[i] = c += post->weights[i];
      if (post->weights[i] > 0) last = i;
    }
    /* A uniform below 1 always lands on a particle of positive weight. */
    for (size_t i = last; i < post->n; i++) d->cum[i] = 1;
  }
  if (!(d->text = gp_uncertain_text(s, &d->len, err)) ||
      gp_design_reserve(d, s->replications, err)) {
    gp_design_free(d);
    return NULL;
  }
  return d;
}

/* S's factors can be drawn by KIND, and nothing else sets them. */
static int uncertain_ok(const gp_scenario *s, gp_design_kind kind, gp_err *err) {
  if (s->nuncertain == 0)
    return GP_ERR(err, GP_EX_USAGE,
                  "--uncertain: %s has no \"uncertain\" block (scenarios/README.md)", s->file);
  if (kind == GP_DESIGN_SOBOL && s->uncertain_dims > GP_DESIGN_SOBOL_MAX_DIMS) {
    GP_ERR(err, GP_EX_USAGE,
           "--design sobol: at most %d independent factors (a group counts once), found %d: "
           "use --design lhs, or group factors",
           GP_DESIGN_SOBOL_MAX_DIMS, s->uncertain_dims);
    return -1;
  }
  for (int i = 0; i < s->nuncertain; i++)
    if (s->uncertain[i].set_by) {
      const char *by = s->uncertain[i].set_by;
      int file = strncmp(by, "--set ", 6) != 0 && strncmp(by, "sweep ", 6) != 0;
      GP_ERR(err, GP_EX_USAGE,
             "--uncertain: %s sets %s, a value the \"uncertain\" block draws: the draws would "
             "replace it%s",
             by, s->uncertain[i].path,
             file ? " (give the overlay an \"uncertain\" block of its own, or \"uncertain\": null)"
                  : "");
      return -1;
    }
  return 0;
}

gp_design *gp_design_new(const gp_scenario *s, gp_design_kind kind, gp_err *err) {
  if (uncertain_ok(s, kind, err)) return NULL;
  return design_new(s, 1, kind, NULL, err);
}

void gp_design_values(const gp_design *d, int rep, double *values) {
  const double *u = d->u + (size_t)rep * (size_t)d->dims;
  for (int i = 0; i < d->s->nuncertain; i++)
    values[i] = gp_uncertain_value(&d->s->uncertain[i], u[d->s->uncertain[i].dim]);
}

int gp_design_has_uncertain(const gp_design *d) { return d->uncertain; }

const gp_calibout_posterior *gp_design_posterior(const gp_design *d) { return d->post; }

int gp_design_posterior_values(const gp_design *d, int rep, double *values) {
  int k = d->particle[rep];
  memcpy(values, d->post->samples + (size_t)k * d->post->nu, d->post->nu * sizeof *values);
  return k;
}

gp_scenario *gp_design_scenario(const gp_design *d, int rep, gp_err *err) {
  const gp_scenario *s = d->s;
  if (rep < 0 || rep >= d->npoints) {
    GP_ERR(err, GP_EX_SOFTWARE, "design: replication %d beyond its %d points", rep, d->npoints);
    return NULL;
  }
  /* The factors' values first, then the posterior's. */
  int nf = d->uncertain ? s->nuncertain : 0, n = nf + (d->post ? (int)d->post->nu : 0);
  double *v = malloc((size_t)(n ? n : 1) * sizeof *v);
  const char **paths = malloc((size_t)(n ? n : 1) * sizeof *paths);
  if (!v || !paths) {
    free(v);
    free(paths);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  if (d->uncertain) gp_design_values(d, rep, v);
  for (int i = 0; i < nf; i++) paths[i] = s->uncertain[i].path;
  if (d->post) {
    gp_design_posterior_values(d, rep, v + nf);
    for (int i = nf; i < n; i++) paths[i] = d->post->paths[i - nf];
  }
  gp_scenario *t = NULL;
  int bad = 0;
  for (int i = 0; i < nf && !bad; i++)
    if (isnan(v[i]))
      bad = GP_ERR(err, GP_EX_SOFTWARE, "replication %d: no value for uncertain[%d] (%s)", rep, i,
                   s->uncertain[i].path);
  gp_err e;
  gp_err_clear(&e);
  if (!bad && !(t = gp_uncertain_apply_paths(s, d->text, d->len, paths, v, n, &e))) {
    /* Each value alone was checked at load: say which draw clashed. */
    if (e.code == GP_EX_DATAERR && d->post && !d->uncertain)
      GP_ERR(err, e.code,
             "replication %d: particle %d of the posterior (%s) does not make a valid scenario: %s",
             rep, d->particle[rep], d->post->file, e.msg);
    else if (e.code == GP_EX_DATAERR)
      GP_ERR(err, e.code, "replication %d: its uncertain values do not make a valid scenario: %s",
             rep, e.msg);
    else
      *err = e;
  }
  free(v);
  free(paths);
  return t;
}

/* ---- a posterior on a point: the checks of `run --posterior` ---- */

/* The "path" of the override SET ("path=value") into BUF. */
static const char *set_path(char *buf, size_t size, const char *set) {
  const char *eq = strchr(set, '=');
  size_t n = eq ? (size_t)(eq - set) : strlen(set);
  if (n >= size) n = size - 1;
  memcpy(buf, set, n);
  buf[n] = '\0';
  return buf;
}

/* Does an override of SETS (N) write the node X of ROOT?  Its text, or NULL. */
static const char *set_of_node(const cJSON *root, const cJSON *x, const char *const *sets, int n) {
  for (int i = 0; i < n; i++) {
    char p[512];
    int where;
    if (gp_uncertain_node(root, set_path(p, sizeof p, sets[i]), &where) == x) return sets[i];
  }
  return NULL;
}

/* Keys of the top level a posterior's scenario may differ in: the run's,
 * the blocks that vary values, the policies run, the description. */
static const char *const free_keys[] = {"seed",      "replications", "output",   "calibration",
                                        "uncertain", "sweep",        "policies", "description",
                                        NULL};

typedef struct same_ctx {
  const cJSON *const *skip; /* nodes of A that may differ: the posterior's paths, overrides' */
  int nskip;
  char path[512];           /* where the first difference is */
  const cJSON *a, *b;       /* the values there (either may be NULL: absent) */
} same_ctx;

static int skipped(const same_ctx *c, const cJSON *x) {
  for (int i = 0; i < c->nskip; i++)
    if (c->skip[i] == x) return 1;
  return 0;
}

/* 0 when A and B are the same (outside C's nodes), else 1 with the first
 * difference in C, at the JSON path PATH (LEN bytes of C->path). */
static int differ(same_ctx *c, const cJSON *a, const cJSON *b, size_t len, int top) {
  if (skipped(c, a)) return 0;
  int obj = cJSON_IsObject(a) && cJSON_IsObject(b), arr = cJSON_IsArray(a) && cJSON_IsArray(b);
  if (arr && cJSON_GetArraySize(a) == cJSON_GetArraySize(b)) {
    int i = 0;
    for (const cJSON *x = a->child, *y = b->child; x; x = x->next, y = y->next, i++) {
      snprintf(c->path + len, sizeof c->path - len, "[%d]", i);
      if (differ(c, x, y, strlen(c->path), 0)) return 1;
    }
    c->path[len] = '\0';
    return 0;
  }
  if (obj) {
    for (int pass = 0; pass < 2; pass++)
      for (const cJSON *x = (pass ? b : a)->child; x; x = x->next) {
        int free_key = 0;
        for (int k = 0; top && free_keys[k] && !free_key; k++)
          free_key = strcmp(x->string, free_keys[k]) == 0;
        if (free_key) continue;
        const cJSON *y = cJSON_GetObjectItemCaseSensitive(pass ? a : b, x->string);
        snprintf(c->path + len, sizeof c->path - len, "%s%s", len ? "." : "", x->string);
        if (pass == 0 && differ(c, x, y, strlen(c->path), 0)) return 1;
        if (pass == 1 && !y) { /* only in B */
          c->a = NULL;
          c->b = x;
          return 1;
        }
      }
    c->path[len] = '\0';
    return 0;
  }
  if (a && b && cJSON_Compare(a, b, 1)) return 0;
  c->a = a;
  c->b = b;
  return 1;
}

/* V as short compact JSON into BUF ("nothing" when V is NULL). */
static const char *shown(const cJSON *v, char *buf, size_t size) {
  char *t = v ? cJSON_PrintUnformatted(v) : NULL;
  snprintf(buf, size, "%s", v ? (t ? t : "?") : "nothing");
  if (strlen(buf) > 60) strcpy(buf + 57, "...");
  free(t);
  return buf;
}

int gp_design_posterior_check(const gp_plan *pl, const gp_plan_point *pt, int uncertain,
                              const gp_calibout_posterior *post, gp_err *err) {
  const gp_scenario *s = pt->s;
  const cJSON *root = gp_json_root(s->doc);
  const char *f = post->file;
  if (strcmp(post->scenario_name, s->name) != 0)
    return GP_ERR(err, GP_EX_DATAERR,
                  "--posterior %s: fitted on scenario \"%s\", not \"%s\": calibrate this "
                  "scenario (gpuplan calibrate SCENARIO --method abc)",
                  f, post->scenario_name, s->name);
  const cJSON **skip = calloc(post->nu + (size_t)pl->nsets + (size_t)pt->nsets + 1, sizeof *skip);
  if (!skip) return GP_ERR_NOMEM(err);
  int nskip = 0, rc = 0;
  for (size_t i = 0; i < post->nu && !rc; i++) {
    const char *p = post->paths[i];
    double v;
    gp_err e;
    gp_err_clear(&e);
    if (gp_uncertain_number(s, p, "--posterior", &v, &e)) {
      rc = GP_ERR(err, GP_EX_DATAERR, "--posterior %s: its unknown %s is no number of %s: %s", f,
                  p, s->file, e.msg);
      break;
    }
    int where;
    const cJSON *x = gp_uncertain_node(root, p, &where);
    const char *by = set_of_node(root, x, (const char *const *)pl->sets, pl->nsets);
    const char *how = "--set ";
    if (!by) {
      by = set_of_node(root, x, (const char *const *)pt->sets, pt->nsets);
      how = "sweep ";
    }
    if (by)
      rc = GP_ERR(err, GP_EX_USAGE,
                  "--posterior %s draws %s, which %s%s sets: the draws would replace it", f, p,
                  how, by);
    for (int j = 0; uncertain && j < s->nuncertain && !rc; j++)
      if (gp_uncertain_node(root, s->uncertain[j].path, &where) == x)
        rc = GP_ERR(err, GP_EX_USAGE,
                    "--posterior %s and --uncertain both draw %s (uncertain[%d]): give it one "
                    "source (drop --uncertain, or that factor with \"uncertain\": null in an "
                    "overlay)",
                    f, p, j);
    skip[nskip++] = x;
  }
  for (int i = 0; i < pl->nsets + pt->nsets && !rc; i++) {
    char p[512];
    int where;
    const char *set = i < pl->nsets ? pl->sets[i] : pt->sets[i - pl->nsets];
    skip[nskip++] = gp_uncertain_node(root, set_path(p, sizeof p, set), &where);
  }
  cJSON *there = rc ? NULL : cJSON_Parse(post->scenario);
  if (!rc && !there)
    rc = GP_ERR(err, GP_EX_DATAERR, "--posterior %s: its /scenario is not JSON", f);
  same_ctx c = {skip, nskip, "", NULL, NULL};
  if (!rc && differ(&c, root, there, 0, 1)) {
    char b1[64], b2[64];
    rc = GP_ERR(err, GP_EX_DATAERR,
                "--posterior %s: fitted on another version of scenario \"%s\": %s is %s there, "
                "%s here (gpuplan diff shows all; --set what-ifs on top of it are fine)",
                f, s->name, c.path, shown(c.b, b1, sizeof b1), shown(c.a, b2, sizeof b2));
  }
  cJSON_Delete(there);
  free(skip);
  return rc;
}

gp_plan *gp_design_plan_posterior(const gp_plan_spec *spec, int uncertain, gp_design_kind kind,
                                  const char *posterior, gp_err *err) {
  gp_plan *pl = gp_plan_load(spec, err);
  if (!pl) return NULL;
  for (int k = 0; k < pl->npoints; k++) {
    gp_plan_point *pt = &pl->points[k];
    gp_calibout_posterior *post = NULL;
    if (!uncertain && !posterior) continue;
    if (posterior && (gp_calibout_read(posterior, &post, err) ||
                      gp_design_posterior_check(pl, pt, uncertain, post, err))) {
      gp_calibout_posterior_free(post);
      gp_plan_free(pl);
      return NULL;
    }
    if (uncertain && uncertain_ok(pt->s, kind, err)) {
      gp_calibout_posterior_free(post);
      gp_plan_free(pl);
      return NULL;
    }
    if (!(pt->design = design_new(pt->s, uncertain, kind, post, err))) { /* takes post */
      gp_plan_free(pl);
      return NULL;
    }
  }
  return pl;
}

gp_plan *gp_design_plan(const gp_plan_spec *spec, gp_design_kind kind, gp_err *err) {
  return gp_design_plan_posterior(spec, 1, kind, NULL, err);
}
