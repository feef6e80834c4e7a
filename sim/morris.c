/*
 * sim/morris.c - Morris trajectories, Campolongo's selection and the
 * elementary-effect measures (see morris.h for the methods and the grid).
 *
 * Invariant: a design is a function of (R, D, groups, p, pool, SEED) alone
 * and the measures of (design, outputs, NBOOT, LEVEL, SEED) alone: the
 * design and the bootstrap draw from their own streams (sim/rng.h).
 */
#include "sim/morris.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/rng.h"
#include "sim/sens.h"

/* Stream ids (sim/rng.h), distinct from each other and from Sobol's. */
#define MORRIS_DESIGN_STREAM 0x3022150001ULL
#define MORRIS_BOOT_STREAM 0x3022150002ULL
/* Above this many subsets of the pool, the selection is greedy. */
#define MORRIS_EXACT_MAX 20000.0

void gp_morris_free(gp_morris *m) {
  if (!m) return;
  free(m->group);
  free(m->x);
  free(m->moved);
  free(m->dir);
  free(m);
}

/* One trajectory into X ((G + 1) x D), MOVED (G) and DIR (G): directions
 * per group, start levels on the side of the grid they leave, a random
 * order of the groups.  LV (D) and ORDER (G) are scratch. */
static void draw_trajectory(gsl_rng *r, const gp_morris *m, size_t *lv,
                            size_t *order, double *x, size_t *moved,
                            signed char *dir) {
  size_t d = m->d, g = m->g, p = m->levels, half = p / 2;
  for (size_t i = 0; i < g; i++) dir[i] = gsl_rng_uniform_int(r, 2) ? 1 : -1;
  for (size_t f = 0; f < d; f++)
    lv[f] = (size_t)gsl_rng_uniform_int(r, (unsigned long)half) +
            (dir[m->group[f]] < 0 ? half : 0);
  for (size_t i = 0; i < g; i++) order[i] = i;
  gsl_ran_shuffle(r, order, g, sizeof *order);
  for (size_t s = 0; s <= g; s++) {
    if (s > 0) {
      size_t i = order[s - 1];
      moved[s - 1] = i;
      for (size_t f = 0; f < d; f++)
        if (m->group[f] == i) lv[f] = dir[i] > 0 ? lv[f] + half : lv[f] - half;
    }
    for (size_t f = 0; f < d; f++)
      x[s * d + f] = m->grid == GP_MORRIS_ENDS ? (double)lv[f] / (double)(p - 1)
                                               : ((double)lv[f] + 0.5) / (double)p;
  }
}

/* Campolongo's distance between trajectories A and B (G + 1 points of D). */
static double traj_distance(const double *a, const double *b, size_t g, size_t d) {
  double sum = 0;
  for (size_t i = 0; i <= g; i++)
    for (size_t j = 0; j <= g; j++) {
      double s2 = 0;
      for (size_t f = 0; f < d; f++) {
        double u = a[i * d + f] - b[j * d + f];
        s2 += u * u;
      }
      sum += sqrt(s2);
    }
  return sum;
}

/* Keep R of the M trajectories whose squared distances are D2 (M x M):
 * KEEP[t] = 1 for the kept ones (see morris.h for the search). */
static void select_spread(const double *d2, size_t mm, size_t r, char *keep,
                          size_t *idx) {
  double subsets = 1;
  for (size_t i = 0; i < r && subsets <= MORRIS_EXACT_MAX; i++)
    subsets = subsets * (double)(mm - i) / (double)(i + 1);
  memset(keep, 0, mm);
  if (subsets <= MORRIS_EXACT_MAX) {
    /* Every R-subset in lexicographic order; the first best wins. */
    double best = -1;
    for (size_t i = 0; i < r; i++) idx[i] = i;
    for (;;) {
      double sum = 0;
      for (size_t a = 0; a < r; a++)
        for (size_t b = a + 1; b < r; b++) sum += d2[idx[a] * mm + idx[b]];
      if (sum > best) {
        best = sum;
        memset(keep, 0, mm);
        for (size_t a = 0; a < r; a++) keep[idx[a]] = 1;
      }
      size_t i = r;
      while (i > 0 && idx[i - 1] == mm - r + i - 1) i--;
      if (i == 0) break;
      idx[i - 1]++;
      for (size_t j = i; j < r; j++) idx[j] = idx[j - 1] + 1;
    }
    return;
  }
  /* Backward elimination: drop the trajectory whose squared distances to
   * the others still kept add least (the first such), until R are left.
   * O(M^3) additions: 10^6 for a pool of 100. */
  memset(keep, 1, mm);
  for (size_t left = mm; left > r; left--) {
    size_t worst = mm;
    double worst_c = INFINITY;
    for (size_t t = 0; t < mm; t++) {
      if (!keep[t]) continue;
      double c = 0;
      for (size_t s = 0; s < mm; s++)
        if (keep[s] && s != t) c += d2[t * mm + s];
      if (c < worst_c) {
        worst_c = c;
        worst = t;
      }
    }
    keep[worst] = 0;
  }
}

gp_morris *gp_morris_new(size_t r, size_t d, const size_t *group,
                         const gp_morris_opts *o, uint64_t seed, gp_err *e) {
  static const gp_morris_opts defaults = GP_MORRIS_OPTS_DEFAULT;
  if (!o) o = &defaults;
  size_t g, levels = o->levels, pool = o->pool;
  if (r == 0) {
    GP_ERR(e, GP_EX_USAGE, "Morris design: trajectories: expected at least 1, found 0");
    return NULL;
  }
  if (gp_sens_groups(group, d, &g, e)) return NULL;
  if (levels == 0 || levels % 2 || levels > 1u << 20) {
    GP_ERR(e, GP_EX_USAGE,
           "Morris design: levels: expected an even number from 2 to 2^20, found %zu", levels);
    return NULL;
  }
  if (o->grid != GP_MORRIS_CENTRED && o->grid != GP_MORRIS_ENDS) {
    GP_ERR(e, GP_EX_USAGE, "Morris design: unknown grid %d", (int)o->grid);
    return NULL;
  }
  if (pool != 0 && pool < r) {
    GP_ERR(e, GP_EX_USAGE,
           "Morris design: a pool of %zu trajectories cannot give %zu: expected 0 (no "
           "selection) or at least %zu",
           pool, r, r);
    return NULL;
  }
  size_t mm = pool ? pool : r, per = (g + 1) * d;
  if (mm > SIZE_MAX / per / sizeof(double) / 2 || (pool && mm > SIZE_MAX / mm / sizeof(double))) {
    GP_ERR(e, GP_EX_USAGE, "Morris design of %zu trajectories and %zu factors: too large", mm, d);
    return NULL;
  }
  gp_morris *m = calloc(1, sizeof *m);
  gsl_rng *rng = gp_rng_new(seed, 0, MORRIS_DESIGN_STREAM);
  size_t *lv = malloc((d + g + r) * sizeof *lv); /* levels, order, subset */
  double *px = malloc(mm * per * sizeof *px);
  size_t *pmoved = malloc(mm * g * sizeof *pmoved);
  signed char *pdir = malloc(mm * g);
  double *d2 = pool ? malloc(mm * mm * sizeof *d2) : NULL;
  char *keep = malloc(mm);
  if (m) {
    m->group = malloc(d * sizeof *m->group);
    m->x = malloc(r * per * sizeof *m->x);
    m->moved = malloc(r * g * sizeof *m->moved);
    m->dir = malloc(r * g);
  }
  int ok = m && rng && lv && px && pmoved && pdir && (!pool || d2) && keep && m->group &&
           m->x && m->moved && m->dir;
  if (ok) {
    m->r = r;
    m->d = d;
    m->g = g;
    m->levels = levels;
    m->grid = o->grid;
    m->delta = o->grid == GP_MORRIS_ENDS ? (double)levels / (2.0 * (double)(levels - 1)) : 0.5;
    m->npoints = r * (g + 1);
    for (size_t f = 0; f < d; f++) m->group[f] = group ? group[f] : f;
    for (size_t t = 0; t < mm; t++)
      draw_trajectory(rng, m, lv, lv + d, px + t * per, pmoved + t * g, pdir + t * g);
    if (pool) {
      for (size_t a = 0; a < mm; a++) {
        d2[a * mm + a] = 0;
        for (size_t b = a + 1; b < mm; b++) {
          double u = traj_distance(px + a * per, px + b * per, g, d);
          d2[a * mm + b] = d2[b * mm + a] = u * u;
        }
      }
      select_spread(d2, mm, r, keep, lv + d + g);
    } else {
      memset(keep, 1, mm);
    }
    size_t k = 0;
    for (size_t t = 0; t < mm; t++) {
      if (!keep[t]) continue;
      memcpy(m->x + k * per, px + t * per, per * sizeof *px);
      memcpy(m->moved + k * g, pmoved + t * g, g * sizeof *pmoved);
      memcpy(m->dir + k * g, pdir + t * g, g);
      k++;
    }
  }
  gsl_rng_free(rng);
  free(lv);
  free(px);
  free(pmoved);
  free(pdir);
  free(d2);
  free(keep);
  if (!ok) {
    gp_morris_free(m);
    GP_ERR_NOMEM(e);
    return NULL;
  }
  return m;
}

double gp_morris_spread(const gp_morris *m) {
  size_t per = (m->g + 1) * m->d;
  double sum = 0;
  for (size_t a = 0; a < m->r; a++)
    for (size_t b = a + 1; b < m->r; b++) {
      double u = traj_distance(m->x + a * per, m->x + b * per, m->g, m->d);
      sum += u * u;
    }
  return sum;
}

int gp_morris_effects(const gp_morris *m, const double *y, size_t stride,
                      double *ee, gp_err *e) {
  if (stride == 0) return GP_ERR(e, GP_EX_USAGE, "Morris measures: output stride 0");
  if (gp_sens_check_outputs(y, m->npoints, stride, "Morris measures", e)) return -1;
  size_t g = m->g;
  for (size_t t = 0; t < m->r; t++)
    for (size_t s = 0; s < g; s++) {
      size_t i = m->moved[t * g + s], p = t * (g + 1) + s;
      ee[t * g + i] = (y[(p + 1) * stride] - y[p * stride]) / (m->delta * (double)m->dir[t * g + i]);
    }
  return 0;
}

int gp_morris_estimate(const gp_morris *m, const double *y, size_t stride,
                       size_t nboot, double level, uint64_t seed,
                       gp_morris_index *out, gp_err *e) {
  if (gp_sens_check_boot(nboot, level, e)) return -1;
  size_t r = m->r, g = m->g;
  if (nboot > SIZE_MAX / g / sizeof(double))
    return GP_ERR(e, GP_EX_USAGE, "Morris measures: %zu bootstrap samples: too many", nboot);
  double *ee = malloc(r * g * sizeof *ee), *bs = malloc(g * nboot * sizeof *bs);
  gsl_rng *rng = gp_rng_new(seed, 0, MORRIS_BOOT_STREAM);
  if (!ee || !bs || !rng) {
    free(ee);
    free(bs);
    gsl_rng_free(rng);
    return GP_ERR_NOMEM(e);
  }
  int rc = gp_morris_effects(m, y, stride, ee, e);
  if (rc == 0) {
    for (size_t i = 0; i < g; i++) {
      double s = 0, sa = 0;
      for (size_t t = 0; t < r; t++) {
        s += ee[t * g + i];
        sa += fabs(ee[t * g + i]);
      }
      out[i].mu = s / (double)r;
      out[i].mu_star = sa / (double)r;
      double ss = 0;
      for (size_t t = 0; t < r; t++) {
        double u = ee[t * g + i] - out[i].mu;
        ss += u * u;
      }
      out[i].sigma = r > 1 ? sqrt(ss / (double)(r - 1)) : NAN;
    }
    /* One resample of the trajectories serves every group (b-major draws). */
    for (size_t b = 0; b < nboot; b++) {
      for (size_t i = 0; i < g; i++) bs[i * nboot + b] = 0;
      for (size_t t = 0; t < r; t++) {
        size_t u = (size_t)gsl_rng_uniform_int(rng, (unsigned long)r);
        for (size_t i = 0; i < g; i++) bs[i * nboot + b] += fabs(ee[u * g + i]);
      }
      for (size_t i = 0; i < g; i++) bs[i * nboot + b] /= (double)r;
    }
    for (size_t i = 0; i < g; i++)
      gp_sens_percentile(bs + i * nboot, nboot, level, &out[i].mu_star_lo, &out[i].mu_star_hi);
  }
  free(ee);
  free(bs);
  gsl_rng_free(rng);
  return rc;
}
