/*
 * sim/prim.c - PRIM peeling, the significance rule that chooses a box, and
 * pasting (see prim.h for the method and the rules).
 *
 * Invariant: every box of the trajectory holds at least MIN_MASS of the
 * points and is nested in the one before; the trajectory and the chosen
 * box are functions of (X, Y, options) alone (no random draws; ties go to
 * the lowest dimension, lower side first).
 */
#include "sim/prim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>

#include "sim/vec.h"

void gp_prim_free(gp_prim *p) {
  if (!p) return;
  free(p->step);
  free(p->lo);
  free(p->hi);
  free(p->box_lo);
  free(p->box_hi);
  free(p);
}

static int inside(const double *xi, const double *lo, const double *hi, size_t k) {
  for (size_t j = 0; j < k; j++)
    if (xi[j] < lo[j] || xi[j] > hi[j]) return 0;
  return 1;
}

/* The working state of one run. */
typedef struct prim_run {
  const double *x, *y;
  size_t n, k, ones; /* ones: points where the condition holds */
  double *v;         /* n: scratch for sorted values */
  size_t *idx, nin;  /* the points in the current peeling box */
} prim_run;

/* The bound a peel of side SIDE (-1 low, +1 high) of dimension J would
 * set, removing about M of the box's points, whose values of J are sorted
 * in V (C of them): 0 and *T, or -1 when no peel removes anything (every
 * box point has the same value there). */
static int peel_bound(const double *v, size_t c, int side, size_t m, double *t) {
  if (c < 2) return -1;
  if (m > c - 1) m = c - 1;
  if (side < 0) {
    size_t i = m;
    if (v[i] == v[0]) /* ties at the bottom go as a whole */
      while (i < c && v[i] == v[0]) i++;
    if (i == c) return -1;
    *t = v[i]; /* keep x >= t */
  } else {
    size_t i = c - 1 - m;
    if (v[i] == v[c - 1])
      while (i > 0 && v[i] == v[c - 1]) i--;
    if (v[i] == v[c - 1]) return -1;
    *t = v[i]; /* keep x <= t */
  }
  return 0;
}

/* Points and condition points of the peeling box that a peel of side
 * SIDE of dimension J at T keeps. */
static void count_kept(const prim_run *w, size_t j, int side, double t, size_t *nin,
                       size_t *ones) {
  size_t a = 0, b = 0;
  for (size_t q = 0; q < w->nin; q++) {
    size_t i = w->idx[q];
    double u = w->x[i * w->k + j];
    if (side < 0 ? u >= t : u <= t) {
      a++;
      b += w->y[i] != 0;
    }
  }
  *nin = a;
  *ones = b;
}

/* Points and condition points in the box LO/HI. */
static void count_box(const prim_run *w, const double *lo, const double *hi,
                      size_t *nin, size_t *ones) {
  size_t a = 0, b = 0;
  for (size_t i = 0; i < w->n; i++)
    if (inside(w->x + i * w->k, lo, hi, w->k)) {
      a++;
      b += w->y[i] != 0;
    }
  *nin = a;
  *ones = b;
}

static gp_prim_step make_step(const prim_run *w, size_t nin, size_t ones, int dim,
                              int side, double p) {
  gp_prim_step s;
  s.coverage = (double)ones / (double)w->ones;
  s.density = nin ? (double)ones / (double)nin : NAN;
  s.mass = (double)nin / (double)w->n;
  s.n_in = nin;
  s.dim = dim;
  s.side = side;
  s.p_value = p;
  return s;
}

static int check_input(const double *x, const double *y, size_t n, size_t k,
                       const gp_prim_opts *o, gp_err *e) {
  if (n == 0) return GP_ERR(e, GP_EX_USAGE, "PRIM: no points (need at least 1)");
  if (k == 0) return GP_ERR(e, GP_EX_USAGE, "PRIM: no dimensions (need at least 1)");
  if (!(o->alpha > 0 && o->alpha < 0.5))
    return GP_ERR(e, GP_EX_USAGE, "PRIM: alpha: expected a number in (0, 0.5), found %g", o->alpha);
  if (!(o->min_mass > 0 && o->min_mass <= 1))
    return GP_ERR(e, GP_EX_USAGE, "PRIM: minimum mass: expected a number in (0, 1], found %g",
                  o->min_mass);
  if (!(o->sig > 0 && o->sig < 1))
    return GP_ERR(e, GP_EX_USAGE, "PRIM: significance: expected a number in (0, 1), found %g",
                  o->sig);
  if (n > 0xffffffffu) return GP_ERR(e, GP_EX_USAGE, "PRIM: %zu points: too many", n);
  size_t ones = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < k; j++)
      if (!isfinite(x[i * k + j]))
        return GP_ERR(e, GP_EX_DATAERR,
                      "PRIM: point %zu, dimension %zu: expected a finite number, found %g", i, j,
                      x[i * k + j]);
    if (y[i] != 0 && y[i] != 1)
      return GP_ERR(e, GP_EX_DATAERR, "PRIM: point %zu: condition expected 0 or 1, found %g", i,
                    y[i]);
    ones += y[i] != 0;
  }
  if (ones == 0)
    return GP_ERR(e, GP_EX_DATAERR,
                  "PRIM: the condition holds at none of the %zu points: no box to find", n);
  return 0;
}

/* Widen the box LO/HI (NIN points, ONES of them condition points) one
 * side at a time by about ALPHA of its points while that raises the
 * density most; *LAST gets the last paste.  A side widened past every
 * point becomes unrestricted. */
static void paste(prim_run *w, double alpha, double *lo, double *hi, gp_prim_step *last) {
  size_t nin, ones;
  count_box(w, lo, hi, &nin, &ones);
  for (;;) {
    double best_d = (double)ones / (double)nin, best_t = 0;
    size_t best_n = 0, best_o = 0, best_j = 0;
    int best_side = 0;
    size_t m = (size_t)floor(alpha * (double)nin);
    if (m < 1) m = 1;
    for (size_t j = 0; j < w->k; j++)
      for (int side = -1; side <= 1; side += 2) {
        /* The values beyond this side of points inside on the other dimensions. */
        double keep = side < 0 ? lo[j] : hi[j];
        if (side < 0) lo[j] = -INFINITY; else hi[j] = INFINITY;
        size_t c = 0;
        for (size_t i = 0; i < w->n; i++) {
          const double *xi = w->x + i * w->k;
          if ((side < 0 ? xi[j] < keep : xi[j] > keep) && inside(xi, lo, hi, w->k))
            w->v[c++] = xi[j];
        }
        if (side < 0) lo[j] = keep; else hi[j] = keep;
        if (c == 0) continue;
        gsl_sort(w->v, 1, c);
        size_t mm = m < c ? m : c;
        int all = mm == c;
        double t = side < 0 ? w->v[c - mm] : w->v[mm - 1];
        if (all) t = side < 0 ? -INFINITY : INFINITY;
        double save = keep;
        if (side < 0) lo[j] = t; else hi[j] = t;
        size_t a, b;
        count_box(w, lo, hi, &a, &b);
        if (side < 0) lo[j] = save; else hi[j] = save;
        double dens = (double)b / (double)a;
        if (dens > best_d) {
          best_d = dens;
          best_t = t;
          best_n = a;
          best_o = b;
          best_j = j;
          best_side = side;
        }
      }
    if (best_side == 0) return;
    if (best_side < 0) lo[best_j] = best_t; else hi[best_j] = best_t;
    nin = best_n;
    ones = best_o;
    *last = make_step(w, nin, ones, (int)best_j, best_side, NAN);
  }
}

gp_prim *gp_prim_run(const double *x, const double *y, size_t n, size_t k,
                     const gp_prim_opts *opts, gp_err *e) {
  static const gp_prim_opts defaults = GP_PRIM_OPTS_DEFAULT;
  const gp_prim_opts *o = opts ? opts : &defaults;
  if (check_input(x, y, n, k, o, e)) return NULL;
  prim_run w = {x, y, n, k, 0, NULL, NULL, n};
  for (size_t i = 0; i < n; i++) w.ones += y[i] != 0;
  gp_prim *p = calloc(1, sizeof *p);
  size_t cap_s = 0, cap_b = 0, cap_h = 0;
  double *lo = malloc(2 * k * sizeof *lo), *hi = lo ? lo + k : NULL;
  w.v = malloc(n * sizeof *w.v);
  w.idx = malloc(n * sizeof *w.idx);
  if (!p || !lo || !w.v || !w.idx) goto nomem;
  for (size_t i = 0; i < n; i++) w.idx[i] = i;
  p->n = n;
  p->k = k;
  for (size_t j = 0; j < k; j++) {
    lo[j] = -INFINITY;
    hi[j] = INFINITY;
  }
  size_t nin = n, ones = w.ones;
  gp_prim_step st = make_step(&w, nin, ones, -1, 0, NAN);
  for (;;) {
    if (GP_VEC_RESERVE(p->step, cap_s, p->nsteps + 1, 64) ||
        GP_VEC_RESERVE(p->lo, cap_b, (p->nsteps + 1) * k, 64 * k) ||
        GP_VEC_RESERVE(p->hi, cap_h, (p->nsteps + 1) * k, 64 * k))
      goto nomem;
    p->step[p->nsteps] = st;
    memcpy(p->lo + p->nsteps * k, lo, k * sizeof *lo);
    memcpy(p->hi + p->nsteps * k, hi, k * sizeof *hi);
    p->nsteps++;

    /* The 2K candidate peels; keep the one leaving the highest density. */
    size_t m = (size_t)floor(o->alpha * (double)nin);
    if (m < 1) m = 1;
    double best_d = -1, best_t = 0;
    size_t best_j = 0, best_n = 0, best_o = 0;
    int best_side = 0;
    for (size_t j = 0; j < k; j++) {
      for (size_t q = 0; q < w.nin; q++) w.v[q] = x[w.idx[q] * k + j];
      gsl_sort(w.v, 1, w.nin);
      for (int side = -1; side <= 1; side += 2) {
        double t;
        if (peel_bound(w.v, w.nin, side, m, &t)) continue;
        size_t a, b;
        count_kept(&w, j, side, t, &a, &b);
        if (a == 0 || (double)a < o->min_mass * (double)n) continue;
        double dens = (double)b / (double)a;
        if (dens > best_d) {
          best_d = dens;
          best_t = t;
          best_j = j;
          best_side = side;
          best_n = a;
          best_o = b;
        }
      }
    }
    if (best_side == 0) break;
    /* The removed slab's condition count against the box that remains,
     * corrected for having kept the best of 2K peels (prim.h). */
    double pv = gsl_cdf_binomial_P((unsigned)(ones - best_o), (double)best_o / (double)best_n,
                                   (unsigned)(nin - best_n)) * (double)(2 * k);
    if (pv > 1) pv = 1;
    if (best_side < 0) lo[best_j] = best_t; else hi[best_j] = best_t;
    size_t kept = 0;
    for (size_t q = 0; q < w.nin; q++) {
      double u = x[w.idx[q] * k + best_j];
      if (best_side < 0 ? u >= best_t : u <= best_t) w.idx[kept++] = w.idx[q];
    }
    w.nin = kept;
    nin = best_n;
    ones = best_o;
    st = make_step(&w, nin, ones, (int)best_j, best_side, pv);
  }

  p->chosen = 0;
  while (p->chosen + 1 < p->nsteps && p->step[p->chosen + 1].p_value < o->sig) p->chosen++;
  p->box = p->step[p->chosen];
  p->box_lo = malloc(k * sizeof *p->box_lo);
  p->box_hi = malloc(k * sizeof *p->box_hi);
  if (!p->box_lo || !p->box_hi) goto nomem;
  memcpy(p->box_lo, p->lo + p->chosen * k, k * sizeof *lo);
  memcpy(p->box_hi, p->hi + p->chosen * k, k * sizeof *hi);
  p->pasted = o->paste != 0;
  if (p->pasted) paste(&w, o->alpha, p->box_lo, p->box_hi, &p->box);
  free(lo);
  free(w.v);
  free(w.idx);
  return p;
nomem:
  free(lo);
  free(w.v);
  free(w.idx);
  gp_prim_free(p);
  GP_ERR_NOMEM(e);
  return NULL;
}

size_t gp_prim_best(const gp_prim *p, double min_coverage) {
  size_t best = 0;
  for (size_t s = 1; s < p->nsteps; s++)
    if (p->step[s].coverage >= min_coverage && p->step[s].density > p->step[best].density)
      best = s;
  return best;
}
