/*
 * models/scenario/calibration.h - the "calibration" block of a scenario: the
 * values `gpuplan calibrate` fits (unknowns) and the published figures it
 * fits them to (targets).
 *
 * An unknown names a number the scenario writes, by its --set path, with the
 * box [min, max] it is searched in, whether it is a whole number, and
 * optionally a prior (a random quantity of the format, dist.h, whose support
 * lies in the box; uniform on the box when absent).  The loader has loaded
 * the rest of the scenario with each unknown at both ends of its box and at
 * an inside value: a value of the box is one the loader accepts alone.
 * A target names a demand source (call, stream or designation), a metric of
 * that source's row of /policies/P/calls, the figure and its standard
 * deviation.  The metric is checked by the layer that knows the row
 * (gp_calibration_check_metrics, called by models/experiment/calibrate.c):
 * the scenario layer sits below the result format.
 *
 * Ownership: everything belongs to the scenario (gp_scenario_free); strings
 * point into its document.
 */
#ifndef GP_CALIBRATION_H
#define GP_CALIBRATION_H

#include <stddef.h>

#include "models/scenario/dist.h"
#include "models/scenario/scenario.h"
#include "sim/err.h"

/* Most unknowns and targets a block may have. */
#define GP_CALIBRATION_MAX 100

typedef struct gp_cal_unknown {
  const char *path; /* in --set's syntax: a number the scenario writes */
  double min, max;  /* the box searched, in the value's own unit; min < max */
  int integer;      /* 1: whole numbers only (rounded inside the objective) */
  int has_prior;    /* 0: uniform on [min, max] */
  gp_dist prior;    /* with has_prior: support inside [min, max], an inverse CDF */
  const char *note; /* "" when not given */
} gp_cal_unknown;

typedef struct gp_cal_target {
  const char *source; /* a call, stream or designation name */
  int origin;         /* its origin index (gp_scenario_origin_name) */
  const char *metric; /* a numeric field of the calls row, or share_gpus_<sector> */
  double value;       /* the published figure, in the metric's unit */
  double sd;          /* > 0: its standard deviation (rounding, reporting, model error) */
  const char *note;   /* where the figure comes from, never empty */
} gp_cal_target;

struct gp_calibration {
  gp_cal_unknown *unknowns;
  int nunknowns;
  gp_cal_target *targets;
  int ntargets;
};

/* The value of unknown U at the coordinate X in [0, 1] of the unit cube:
 * the prior's X-quantile (min + X (max - min) without a prior), rounded to
 * the nearest whole number for an integer unknown. */
double gp_calibration_value(const gp_cal_unknown *u, double x);

/* The scenario TEXT (gp_calibration_text of S) with every unknown of S set
 * to VALUES[i], loaded and validated (with the seed SEED; -1 = TEXT's),
 * running only S's policy POLICY (an index of s->policies).  NULL with ERR
 * set. */
gp_scenario *gp_calibration_apply(const gp_scenario *s, const char *text, size_t len,
                                  const double *values, int policy, long long seed, gp_err *err);
/* S's resolved scenario as JSON without its "calibration", "uncertain" and
 * "sweep" blocks (malloc'd, *LEN bytes). */
char *gp_calibration_text(const gp_scenario *s, size_t *len, gp_err *err);

/* Is NAME a metric a target may name?  CTX is the checker's. */
typedef int gp_calibration_metric_fn(void *ctx, const char *name);
/* Every target's metric passes OK; else a located error at the first that
 * does not: "expected EXPECTED, found \"NAME\"". */
int gp_calibration_check_metrics(const gp_scenario *s, gp_calibration_metric_fn *ok, void *ctx,
                                 const char *expected, gp_err *err);

void gp_calibration_free(struct gp_calibration *c);

#endif /* GP_CALIBRATION_H */
