/*
 * models/scenario/loader_int.h - what the files of the scenario loader share
 * (internal to models/scenario/).
 *
 * The loader reads one section of the format per file, in this order (each
 * may look up what the ones before it built):
 *   scenario.c    the top level, output and sweep; the public entry points
 *   roadmap.c     gpu_types, pools, roadmap (tranches and their failures)
 *   review.c      review and pricing
 *   demand.c      demand: streams, calls, designations
 *   applicants.c  what a call's or a stream's proposals look like
 *   policies.c    policies: rules, their parameters, reclaim
 *   uncertain.c   uncertain: factors, each checked by loading the rest at its ends
 *   calibration.c calibration: unknowns (checked as uncertain's factors) and targets
 *   overrides.c   --set, --reps, --seed, --detail, applied to the tree first
 * Every function here returns 0, or -1 with the error in L->err; each checks
 * unknown keys against the catalogue (format.h) before it reads.
 */
#ifndef GP_LOADER_INT_H
#define GP_LOADER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "models/scenario/format.h"
#include "models/scenario/scenario.h"

#define GP_LOADER_PATHLEN 256
/* Longest lists a scenario may have (and GP_MAX_TRANCHES, scenario.h).
 * Real programmes have dozens; the caps keep the checks between lists
 * (names, references) fast on any file that fits GP_JSON_MAX_BYTES, and
 * 3 x GP_LOADER_MAX_SOURCES demand sources fit the int16 origin of a world's
 * proposal (models/run/run.h). */
#define GP_LOADER_MAX_POOLS 1000
#define GP_LOADER_MAX_SOURCES 10000 /* of each of calls, streams, designations */
#define GP_LOADER_MAX_POLICIES 1000

typedef struct gp_loader {
  const gp_json *doc;
  gp_scenario *s; /* being filled */
  gp_err *err;
  uint32_t *served; /* per pool: bit g set when a tranche of the pool has GPU type g; owned;
                     * NULL until the roadmap is read */
} gp_loader;

/* ---- small readers on top of json.h (loader.c) ---- */

/* A date string at OBJ[KEY] -> days since the epoch.  Absent and optional:
 * leaves *OUT alone. */
int gp_loader_date(gp_loader *L, const cJSON *obj, const char *path, const char *key, int required,
                   double *out);
/* Fail at OBJ[KEY] (or OBJ when KEY is NULL or absent) with "MSG, found <it>". */
int gp_loader_fail(gp_loader *L, const cJSON *obj, const char *path, const char *key,
                   const char *msg);
/* gp_json_int into an int. */
int gp_loader_int(gp_loader *L, const cJSON *obj, const char *path, const char *key, int required,
                  long long min, long long max, int *out);
/* Index of the string at OBJ[KEY] among the N names at BASE (each STRIDE
 * bytes apart, first member a const char *); WHAT names the list in messages. */
int gp_loader_ref(gp_loader *L, const cJSON *obj, const char *path, const char *key, int required,
                  const void *base, size_t stride, int n, const char *what, int *out);
/* The required, non-empty "name" of OBJ, of at most GP_NAME_MAX bytes. */
int gp_loader_name(gp_loader *L, const cJSON *obj, const char *path, const char **out);
/* Fail if the name of entry I (names as in gp_loader_ref) repeats an earlier one. */
int gp_loader_unique(gp_loader *L, const cJSON *obj, const char *path, const void *base,
                     size_t stride, int i);
/* The array at OBJ[KEY], required and non-empty when MIN_N > 0, with at most
 * MAX_N entries when MAX_N > 0; NULL when absent or on error (L->err says
 * which).  Walk its elements through ->next: cJSON_GetArrayItem(a, i) starts
 * from the first element every time, quadratic on long arrays. */
const cJSON *gp_loader_array(gp_loader *L, const cJSON *obj, const char *path, const char *key,
                             int min_n, int max_n, int *n);
/* The key of a request's size in POOL: "servers", or "gpus" in a pool with
 * "unit": "gpu".  Fails at the other key when O has it (it would go unread). */
int gp_loader_unit_key(gp_loader *L, const cJSON *o, const char *path, int pool, const char **key);
/* OBJ is an object (at PATH) with no key FORMAT does not list. */
int gp_loader_object(gp_loader *L, const cJSON *obj, const char *path,
                     const gp_format_object *format);

/* ---- the sections ---- */

int gp_roadmap_load(gp_loader *L, const cJSON *root);  /* gpu_types, pools, roadmap */
int gp_review_load(gp_loader *L, const cJSON *root);   /* review, pricing */
int gp_demand_load(gp_loader *L, const cJSON *root);   /* demand (after review and roadmap) */
int gp_policies_load(gp_loader *L, const cJSON *root); /* policies */
int gp_uncertain_load(gp_loader *L, const cJSON *root); /* uncertain (after the rest) */
int gp_calibration_load(gp_loader *L, const cJSON *root); /* calibration (last) */

/* The applicant keys of the call or stream O at PATH, in POOL; MAX_DAYS caps
 * durations (HUGE_VAL = none). */
int gp_applicants_load(gp_loader *L, const cJSON *o, const char *path, int pool, gp_applicants *a,
                       double max_days);
/* O's "capacity": {"H200": 287, ...} in units, for types A asks for; -1 = no limit. */
int gp_applicants_capacity(gp_loader *L, const cJSON *o, const char *path, const gp_applicants *a,
                           long long *cap);

/* Walk PATH ("a.b[2].c", --set's syntax; "[NAME]" is the element of an
 * array whose "name" is NAME) from ROOT: the container of its
 * last step in *PARENT, and that step: KEY (GP_LOADER_PATHLEN bytes) with
 * *INDEX = -1, or *INDEX >= 0 of an array, whose element then exists (an
 * object's member KEY may be missing).  0; 1 when PATH is malformed; 2 when
 * nothing is at one of its steps.  Both --set and the "uncertain" factors
 * (uncertain.c) find their values through it. */
int gp_overrides_walk(cJSON *root, const char *path, cJSON **parent, char *key, long *index);
/* Apply OV to DOC's tree (before validation). */
int gp_overrides_apply(gp_json *doc, const gp_overrides *ov, gp_err *err);

#endif /* GP_LOADER_INT_H */
