/*
 * models/experiment/plan.h - the plan of an experiment: points x policies x
 * replications.
 *
 * A point is one fully resolved scenario (its policies, its replications);
 * the plan is the list of points to run, plus the base scenario the result
 * file describes at its root.  `gpuplan run` builds its plan with
 * gp_plan_load from a scenario (a file, or the built-in baseline), the
 * command-line overrides, the sweep (the scenario's "sweep" block, then
 * --sweep) and the --policy selection: one point per sweep point.  Other
 * plans (designs over uncertain values, selection, sizing, calibration)
 * are built with gp_plan_new and gp_plan_add, a point at a time; the
 * workers, the writer and the console summary take any plan.
 *
 * gp_plan_load reads the scenario file once and parses every point from
 * that text, so a pipe or /dev/stdin serves a whole sweep.
 *
 * Points with overrides of their own ("path=value" strings, the sweep's)
 * make a swept plan: its results go to /points/K, one group per point, with
 * the values as attributes; a plan of one point without them writes its
 * tree at the root.  Every point of a plan has the same overrides' paths,
 * in the same order (the file's "sweep_paths" attribute lists them once).
 *
 * Ownership: a plan owns its base scenario, every point's scenario, design
 * and override strings; gp_plan_free releases them.
 */
#ifndef GP_PLAN_H
#define GP_PLAN_H

#include "models/scenario/scenario.h"
#include "sim/err.h"

struct gp_design;

typedef struct gp_plan_point {
  gp_scenario *s; /* the point's scenario: replications, detail, policies to run */
  char **sets;    /* its own "path=value" overrides, malloc'd; NULL when nsets is 0 */
  int nsets;      /* 0 for a point that is not one of a sweep */
  struct gp_design *design; /* NULL: every replication plays s; else replication r plays
                             * its own scenario, s with r's uncertain values (a two-level
                             * run, design.h); owned */
} gp_plan_point;

typedef struct gp_plan {
  gp_scenario *base;     /* the scenario as given: the file's root attributes and /scenario */
  char *input;           /* the scenario file it was read from, malloc'd; NULL = none (the
                          * built-in baseline, a plan built by gp_plan_new) */
  char **sets;           /* the "path=value" overrides every point shares (--set), as given,
                          * malloc'd; the file's root attribute "overrides"; NULL when nsets 0 */
  int nsets;
  gp_plan_point *points; /* npoints of them, in the order of /points/K */
  int npoints;
  int cap;               /* points allocated */
} gp_plan;

/* What `gpuplan run` asks for. */
typedef struct gp_plan_spec {
  const char *path;            /* scenario file; NULL = the built-in baseline */
  gp_overrides ov;             /* --reps, --seed, --detail and --set, on every point */
  const char *const *sweeps;   /* --sweep PATH=FROM:TO:STEP or PATH=V1,V2,..., nsweeps of them */
  int nsweeps;
  const char *policies;        /* --policy: names, comma-separated; NULL = every policy */
} gp_plan_spec;

/* The name of the built-in baseline in messages. */
#define GP_PLAN_BUILTIN_NAME "<built-in baseline>"

/* An empty plan over BASE, which it takes (and frees on failure). */
gp_plan *gp_plan_new(gp_scenario *base, gp_err *err);
/* Append a point: scenario S and its NSETS overrides SETS (an array of
 * malloc'd strings, itself malloc'd; NULL when NSETS is 0).  Takes S and
 * SETS, also when it fails. */
int gp_plan_add(gp_plan *pl, gp_scenario *s, char **sets, int nsets, gp_err *err);
void gp_plan_free(gp_plan *pl);
/* Record the NSETS overrides SETS (copied) that every point of PL shares,
 * as they were given (gp_plan_load records --set's). */
int gp_plan_set_overrides(gp_plan *pl, const char *const *sets, int nsets, gp_err *err);

/* The plan of SPEC: the base scenario loaded with SPEC's overrides, then one
 * point per sweep point, each loaded with the base overrides plus its own
 * and SPEC's policies selected.  A failing sweep point's message names it
 * ("... (sweep point K: path=value)").  NULL on failure, with ERR set. */
gp_plan *gp_plan_load(const gp_plan_spec *spec, gp_err *err);

/* 1 when the results go to /points/K (several points, or points with
 * overrides of their own); 0 for one plain point at the root. */
int gp_plan_swept(const gp_plan *pl);

#endif /* GP_PLAN_H */
