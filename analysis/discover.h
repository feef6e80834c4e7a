/*
 * analysis/discover.h - scenario discovery on a two-level result file
 * (`gpuplan discover`, the report's "What drives the answer"): PRIM
 * (sim/prim.h) over the values the replications drew for the uncertain
 * factors (/uncertain), for a condition on one policy's summary metrics.
 *
 * The points are the replications where every metric of the condition has
 * a value (NaN rows are left out and counted).  The dimensions are the
 * design's coordinates, not the factors: the factors of one group were
 * drawn from one coordinate through their nondecreasing inverse CDFs, so
 * they order the replications alike and peeling one peels them all.  Each
 * coordinate is represented by its first factor's values; a box's bounds
 * on every factor of a group are the least and greatest value that factor
 * took inside the box's slab of that coordinate (exact on the data, in the
 * factor's own unit).
 *
 * Invariant: every bound handed out or printed is a value of the factor it
 * names, in that factor's unit, or -INFINITY / +INFINITY for "unrestricted".
 */
#ifndef GP_DISCOVER_H
#define GP_DISCOVER_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/reader.h"
#include "sim/err.h"
#include "sim/prim.h"

/* The default condition: the target is missed by its date (gap_to_target =
 * target - GPUs installed at the target date, > 0 when short of it). */
#define GP_DISCOVER_DEFAULT_WHEN "gap_to_target>0"

/* Fewer replications with a value than this: no discovery (GP_EX_DATAERR). */
#define GP_DISCOVER_MIN_REPS 10

/* One condition METRIC OP X. */
typedef struct gp_discover_cond {
  int k;       /* the summary metric, gp_stat_field(k) */
  char op[3];  /* ">", "<", ">=" or "<=" */
  double x;    /* the threshold, in the metric's stored unit */
} gp_discover_cond;

/* Parse "METRIC>X" (spaces allowed around the operator) into *C.  A usage
 * error (GP_EX_USAGE) names what was expected; for an unknown metric C->k
 * is then -1 (the CLI lists the catalogue: gp_cli_metric_error). */
int gp_discover_parse(const char *s, gp_discover_cond *c, gp_err *err);

typedef struct gp_discover_opts {
  const char *policy;           /* the policy whose replications count; NULL = the first */
  const gp_discover_cond *when; /* all of them hold (and); NULL with nwhen 0 = the default */
  size_t nwhen;
  double alpha;    /* PRIM's peel share; 0 = its default */
  double min_mass; /* PRIM's smallest box; 0 = its default */
} gp_discover_opts;

typedef struct gp_discover {
  gp_reader_uncertain u;   /* the factors and their values, all replications */
  gp_discover_cond *when;  /* the condition (copied; the default when none was given) */
  size_t nwhen;
  size_t pol;              /* the policy */
  int same;                /* 1: the condition holds in the same replications under every policy */
  size_t k;                /* PRIM's dimensions: the design's coordinates */
  size_t *dim_factor;      /* k: the first factor of each coordinate */
  size_t *factor_dim;      /* u.nf: the coordinate of each factor */
  size_t n;                /* points: replications with a value of every metric of the condition */
  size_t nan;              /* replications left out (a metric without a value) */
  size_t *rep;             /* n: the replication of each point */
  double *x;               /* n x k: coordinate j's representative's value */
  double *y;               /* n: 1 where the condition holds, else 0 */
  double *v;               /* n: the value of the condition's first metric */
  size_t cases;            /* points where it holds */
  gp_prim *prim;           /* NULL when CASES is 0 or N (nothing to discover) */
  gp_prim_opts popts;      /* the options PRIM ran with */
} gp_discover;

/* Discovery on the open file R at its point.  GP_EX_DATAERR for a file
 * without /uncertain ("not a two-level run"), or with fewer than
 * GP_DISCOVER_MIN_REPS points; GP_EX_USAGE for an unknown policy or an
 * option out of range. */
int gp_discover_run(gp_reader *r, const gp_discover_opts *o, gp_discover *d, gp_err *err);
void gp_discover_free(gp_discover *d);

/* Factor F's bounds in box LO, HI (PRIM's, over the coordinates): into
 * *FLO, *FHI (infinite on a side left unrestricted).  1 when its
 * coordinate is restricted on either side, else 0. */
int gp_discover_bounds(const gp_discover *d, const double *lo, const double *hi, size_t f,
                       double *flo, double *fhi);

/* Up to MAX factors that drive the condition, most first: the coordinates
 * the chosen box restricts, in the order the trajectory first peeled them,
 * then those whose representative's values are the most correlated
 * (|Spearman|) with the condition's first metric.  Into OUT (factor indices); their count. */
size_t gp_discover_top(const gp_discover *d, size_t *out, size_t max);

/* The condition in words of the catalogue ("gap_to_target > 0"): into BUF. */
void gp_discover_when_text(const gp_discover *d, char *buf, size_t size);

/* What `gpuplan discover` prints: the condition, the base rate, the box,
 * its coverage, density and mass, and the peeling trajectory. */
int gp_discover_print(FILE *o, const gp_reader *r, const gp_discover *d, gp_err *err);
/* The peeling trajectory as CSV at PATH (a temporary name, renamed once
 * complete). */
int gp_discover_csv(const char *path, const gp_discover *d, gp_err *err);

#endif /* GP_DISCOVER_H */
