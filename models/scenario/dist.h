/*
 * models/scenario/dist.h - random quantities read from a scenario, sampled with GSL.
 *
 * A random quantity in a scenario is an object with a "dist" key:
 *   {"dist": "constant",    "value": v}
 *   {"dist": "exponential", "mean": m}                      m > 0
 *   {"dist": "lognormal",   "median": m, "sigma": s}        m > 0, s >= 0
 *   {"dist": "normal",      "mean": m, "sd": s}             s >= 0
 *   {"dist": "uniform",     "min": a, "max": b}             a <= b
 *   {"dist": "triangular",  "min": a, "mode": c, "max": b}  a <= c <= b, a < b
 *   {"dist": "beta",        "a": a, "b": b}                 a, b > 0; on [0, 1]
 *   {"dist": "gamma",       "shape": k, "scale": t}         k, t > 0
 *   {"dist": "discrete",    "values": [...], "weights": [...]}  weights >= 0, sum > 0
 * Every kind also takes an optional "note" (a string, kept for documentation)
 * and optional "min_value"/"max_value" that clamp each draw (the
 * caller's own caps are applied on top).  A plain number is accepted as shorthand
 * for {"dist": "constant", "value": n}.
 *
 * A gp_dist is read-only after loading, so many threads may sample one
 * concurrently, each with its own gsl_rng.
 */
#ifndef GP_DIST_H
#define GP_DIST_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "models/scenario/json.h"

typedef enum gp_dist_kind {
  GP_DIST_CONSTANT,
  GP_DIST_EXPONENTIAL,
  GP_DIST_LOGNORMAL,
  GP_DIST_NORMAL,
  GP_DIST_UNIFORM,
  GP_DIST_TRIANGULAR,
  GP_DIST_BETA,
  GP_DIST_GAMMA,
  GP_DIST_DISCRETE
} gp_dist_kind;

/* What a scenario writes: the kinds' names ("dist": NAME), indexed by
 * gp_dist_kind; the keys every kind takes; each kind's parameter keys, in the
 * order of gp_dist.p (discrete: "values", "weights").  All NULL-terminated. */
#define GP_DIST_MAX_PARAMS 3
extern const char *const gp_dist_kind_names[];
extern const char *const gp_dist_common_keys[];
const char *const *gp_dist_kind_params(gp_dist_kind kind);

typedef struct gp_dist {
  gp_dist_kind kind;
  double p[GP_DIST_MAX_PARAMS]; /* parameters in the order listed above */
  double lo, hi;           /* clamp; -HUGE_VAL / HUGE_VAL when absent */
  size_t n;                /* discrete: number of values */
  double *values;          /* discrete: owned */
  double *weights;         /* discrete: owned, as given */
  gsl_ran_discrete_t *table; /* discrete: owned, Walker alias table */
  double log_median;       /* lognormal: log(p[0]), taken once when read rather than at
                            * every draw; 0 for any other kind */
} gp_dist;

/* Initialise D to the constant V (owns nothing; gp_dist_free is still fine). */
void gp_dist_constant(gp_dist *d, double v);
/* Read the random quantity at OBJ[KEY] (see gp_json_number for PATH/REQUIRED).
 * When absent and not required, D is left untouched.  Requires also that
 * every possible value lies in [MIN, MAX] (checked on the support: e.g. an
 * exponential needs MIN <= 0; a normal needs MIN = -inf unless clamped). */
int gp_dist_read(const gp_json *doc, const cJSON *obj, const char *path, const char *key,
                 int required, double min, double max, gp_dist *d, gp_err *err);
double gp_dist_sample(const gp_dist *d, gsl_rng *r);
/* The U-quantile (inverse CDF) of D, clamped, for U in [0, 1]: Q(0) and
 * Q(1) are the ends of its support (possibly infinite), Q(0.5) its median;
 * a discrete quantity's smallest value V with P(X <= V) >= U.  NaN for a
 * kind without a computable inverse (gp_dist_has_quantile). */
double gp_dist_quantile(const gp_dist *d, double u);
int gp_dist_has_quantile(gp_dist_kind kind);
/* Expected value before clamping (for documentation and sanity checks). */
double gp_dist_mean(const gp_dist *d);
/* Release what D owns; D becomes constant 0.  Accepts NULL. */
void gp_dist_free(gp_dist *d);
/* Deep copy (discrete arrays and table are duplicated). */
int gp_dist_copy(gp_dist *dst, const gp_dist *src, gp_err *err);

#endif /* GP_DIST_H */
