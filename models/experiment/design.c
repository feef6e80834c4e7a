/*
 * models/experiment/design.c - the outer level of a two-level run (see
 * design.h): a design's points, the factors' values, each replication's
 * scenario, and the plan that carries a design on every point.
 *
 * Invariants: the points are computed on one thread, before any
 * replication (gp_design_new, gp_design_reserve), and only read after; a
 * replication's values are a function of its number, the factors and (for
 * lhs) the seed, never of a schedule.
 */
#include "models/experiment/design.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/uncertain.h"
#include "sim/rng.h"

const char *const gp_design_kind_names[] = {"sobol", "lhs", NULL};

struct gp_design {
  gp_design_kind kind;
  const gp_scenario *s; /* the point's scenario, its factors (borrowed) */
  char *text;           /* s without its "uncertain" and "sweep" blocks, JSON; owned */
  size_t len;
  int dims;             /* coordinates: s->uncertain_dims */
  int npoints;          /* replications the points cover */
  double *u;            /* [npoints][dims], in (0, 1); owned */
};

gp_design_kind gp_design_kind_of(const gp_design *d) { return d->kind; }

void gp_design_free(gp_design *d) {
  if (!d) return;
  free(d->text);
  free(d->u);
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

int gp_design_reserve(gp_design *d, int nreps, gp_err *err) {
  if (nreps <= d->npoints) return 0;
  if (d->kind == GP_DESIGN_LHS && d->npoints > 0)
    return GP_ERR(err, GP_EX_USAGE,
                  "--design lhs: a Latin hypercube of %d points cannot grow to %d replications "
                  "(--precision needs --design sobol)",
                  d->npoints, nreps);
  double *u = malloc((size_t)nreps * (size_t)d->dims * sizeof *u);
  if (!u) return GP_ERR_NOMEM(err);
  if ((d->kind == GP_DESIGN_SOBOL ? sobol : lhs)(d, nreps, u, err)) {
    free(u);
    return -1;
  }
  free(d->u);
  d->u = u;
  d->npoints = nreps;
  return 0;
}

gp_design *gp_design_new(const gp_scenario *s, gp_design_kind kind, gp_err *err) {
  if (s->nuncertain == 0) {
    GP_ERR(err, GP_EX_USAGE, "--uncertain: %s has no \"uncertain\" block (scenarios/README.md)",
           s->file);
    return NULL;
  }
  if (kind == GP_DESIGN_SOBOL && s->uncertain_dims > GP_DESIGN_SOBOL_MAX_DIMS) {
    GP_ERR(err, GP_EX_USAGE,
           "--design sobol: at most %d independent factors (a group counts once), found %d: "
           "use --design lhs, or group factors",
           GP_DESIGN_SOBOL_MAX_DIMS, s->uncertain_dims);
    return NULL;
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
      return NULL;
    }
  gp_design *d = calloc(1, sizeof *d);
  if (!d) {
    GP_ERR_NOMEM(err);
    return NULL;
  }
  d->kind = kind;
  d->s = s;
  d->dims = s->uncertain_dims;
  if (!(d->text = gp_uncertain_text(s, &d->len, err)) ||
      gp_design_reserve(d, s->replications, err)) {
    gp_design_free(d);
    return NULL;
  }
  return d;
}

void gp_design_values(const gp_design *d, int rep, double *values) {
  const double *u = d->u + (size_t)rep * (size_t)d->dims;
  for (int i = 0; i < d->s->nuncertain; i++)
    values[i] = gp_uncertain_value(&d->s->uncertain[i], u[d->s->uncertain[i].dim]);
}

gp_scenario *gp_design_scenario(const gp_design *d, int rep, gp_err *err) {
  const gp_scenario *s = d->s;
  if (rep < 0 || rep >= d->npoints) {
    GP_ERR(err, GP_EX_SOFTWARE, "design: replication %d beyond its %d points", rep, d->npoints);
    return NULL;
  }
  double *v = malloc((size_t)s->nuncertain * sizeof *v);
  if (!v) {
    GP_ERR_NOMEM(err);
    return NULL;
  }
  gp_design_values(d, rep, v);
  gp_scenario *t = NULL;
  for (int i = 0; i < s->nuncertain; i++)
    if (isnan(v[i])) {
      GP_ERR(err, GP_EX_SOFTWARE, "replication %d: no value for uncertain[%d] (%s)", rep, i,
             s->uncertain[i].path);
      free(v);
      return NULL;
    }
  gp_err e;
  gp_err_clear(&e);
  if (!(t = gp_uncertain_apply(s, d->text, d->len, v, &e))) {
    /* Each value alone was checked at load: say which draw clashed. */
    if (e.code == GP_EX_DATAERR)
      GP_ERR(err, e.code, "replication %d: its uncertain values do not make a valid scenario: %s",
             rep, e.msg);
    else
      *err = e;
  }
  free(v);
  return t;
}

gp_plan *gp_design_plan(const gp_plan_spec *spec, gp_design_kind kind, gp_err *err) {
  gp_plan *pl = gp_plan_load(spec, err);
  if (!pl) return NULL;
  for (int k = 0; k < pl->npoints; k++) {
    gp_plan_point *pt = &pl->points[k];
    if (!(pt->design = gp_design_new(pt->s, kind, err))) {
      gp_plan_free(pl);
      return NULL;
    }
  }
  return pl;
}
