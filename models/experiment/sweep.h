/*
 * models/experiment/sweep.h - parameter sweeps: a grid of scenario variants.
 *
 * A sweep has dimensions, each a JSON path into the scenario and a list of
 * values (kept as JSON text).  Its points are the cartesian product, the last
 * dimension varying fastest.  Point k is the scenario with one "path=value"
 * override per dimension, applied like --set.
 *
 * Dimensions come from the scenario's "sweep" block,
 *     "sweep": [{"path": "review.reviewers", "values": [40, 60, 80]}]
 * and from --sweep on the command line, in one of three forms:
 *     --sweep review.reviewers=40:80:20     (from:to:step, inclusive)
 *     --sweep policies[0].selection=score,fcfs
 *     --sweep 'review=[{"reviewers": 40}, {"reviewers": 80, "reviews_per_proposal": 2}]'
 * A list's value is JSON when the whole of it is JSON, else a string (as
 * --set takes it); a JSON array holds any values, commas and colons
 * included.  A range is exact: its values are FROM + k STEP worked out in
 * decimal (1234567890123:1234567890125:1 is three seeds, 0:1:0.1 gives
 * 0.3, not 0.30000000000000004), and printed as such.
 *
 * Ownership: a gp_sweep owns copies of every path and value.
 */
#ifndef GP_SWEEP_H
#define GP_SWEEP_H

#include <stddef.h>

#include "models/scenario/scenario.h"
#include "sim/err.h"

#define GP_SWEEP_MAX_POINTS 100000

typedef struct gp_sweep_dim {
  char *path;
  char **values; /* JSON texts */
  int nvalues;
} gp_sweep_dim;

typedef struct gp_sweep {
  gp_sweep_dim *dims;
  int ndims;
} gp_sweep;

gp_sweep *gp_sweep_new(void);
void gp_sweep_free(gp_sweep *sw);
/* Append the dimensions of S's "sweep" block (validated by the loader). */
int gp_sweep_add_scenario(gp_sweep *sw, const gp_scenario *s, gp_err *err);
/* Append one --sweep PATH=FROM:TO:STEP, PATH=V1,V2,... or PATH=[JSON,...]
 * argument. */
int gp_sweep_add_arg(gp_sweep *sw, const char *arg, gp_err *err);
/* Number of points (1 when there are no dimensions). */
size_t gp_sweep_npoints(const gp_sweep *sw);
/* The "path=value" overrides of point K, one per dimension, into SETS
 * (ndims strings, each malloc'd; free with gp_sweep_free_sets). */
int gp_sweep_point(const gp_sweep *sw, size_t k, char **sets, gp_err *err);
void gp_sweep_free_sets(char **sets, int n);

#endif /* GP_SWEEP_H */
