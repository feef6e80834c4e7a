/*
 * models/scenario/format.h - the scenario format in one place: every object a
 * scenario file may hold, its keys, their kinds, and which are required.
 *
 * The loader checks unknown keys against this catalogue (gp_format_check);
 * tests/unit/test_format.c checks that scenarios/schema.json and
 * scenarios/README.md describe exactly these objects and keys, and that the
 * loader reads every key listed here and requires the ones marked required.
 * A key's range, default and meaning stay with the line of the loader that
 * reads it (and in the README): the catalogue holds what is checked against
 * the documents, nothing the loader would have to look up.
 *
 * Invariant: an object's keys are listed in the order the loader's "expected
 * one of the keys ..." message names them; the list ends with a NULL name.
 * Random quantities ({"dist": ...}) have their own keys in dist.c
 * (gp_dist_kind_names, gp_dist_kind_params).
 */
#ifndef GP_FORMAT_H
#define GP_FORMAT_H

#include "models/scenario/json.h"
#include "sim/err.h"

/* What a key holds (what the schema must say its type is). */
typedef enum gp_format_kind {
  GP_FORMAT_STRING,     /* a string: a name, or the name of an entry of another list */
  GP_FORMAT_NUMBER,     /* a finite number */
  GP_FORMAT_INTEGER,    /* a number without a fractional part */
  GP_FORMAT_BOOL,       /* true or false */
  GP_FORMAT_DATE,       /* "YYYY-MM-DD" */
  GP_FORMAT_RANDOM,     /* a random quantity: a number or {"dist": ...} (dist.h) */
  GP_FORMAT_ENUM,       /* one of the strings `choices` */
  GP_FORMAT_SECTOR,     /* one of gp_sector_names (models/vocab/vocab.h) */
  GP_FORMAT_SELECTION,  /* the name of a selection rule of the registry (models/rules/registry.h) */
  GP_FORMAT_SCHEDULING, /* the name of a scheduling rule of the registry */
  GP_FORMAT_OBJECT,     /* an object of the format `of` */
  GP_FORMAT_LIST,       /* an array of objects of the format `of` */
  GP_FORMAT_MAP,        /* an object of numbers keyed by names the scenario or a rule defines
                         * (GPU types, rule parameters), plus "note" */
  GP_FORMAT_DATES,      /* an array of dates */
  GP_FORMAT_STRINGS,    /* an array of strings */
  GP_FORMAT_VALUES,     /* an array of JSON values but null (a sweep's) */
  GP_FORMAT_NOTE,       /* a string kept with the scenario and never interpreted */
  GP_FORMAT_SHARED      /* described by the key of the same name in `of` (gp_format_applicants) */
} gp_format_kind;

enum {
  GP_FORMAT_REQUIRED = 1u, /* the loader refuses the object without it */
  GP_FORMAT_ONE_OF = 2u    /* one of a pair is required: gpu_type / gpu_types, servers / gpus
                            * (by the pool's unit), duration_days / months */
};

struct gp_format_object;

typedef struct gp_format_key {
  const char *name;                  /* NULL ends a list */
  gp_format_kind kind;
  unsigned flags;                    /* GP_FORMAT_REQUIRED, GP_FORMAT_ONE_OF */
  const struct gp_format_object *of; /* OBJECT, LIST: the members' format; SHARED: where described */
  const char *const *choices;        /* ENUM: NULL-terminated; NULL otherwise */
} gp_format_key;

typedef struct gp_format_object {
  const char *doc;           /* heading of the scenarios/README.md section that documents the keys */
  const gp_format_key *keys; /* in message order, ending with a NULL name */
} gp_format_object;

/* The most keys an object may have (the largest, a call, has 29). */
#define GP_FORMAT_MAX_KEYS 48

/* The objects of the format, from the document's root down.  Keys shared by
 * calls and streams (the applicants) are described once, in
 * gp_format_applicants, and listed as GP_FORMAT_SHARED in both. */
extern const gp_format_object gp_format_root, gp_format_gpu_type, gp_format_pool,
    gp_format_roadmap, gp_format_target, gp_format_tranche, gp_format_failures, gp_format_demand,
    gp_format_applicants, gp_format_type_entry, gp_format_sector_mix, gp_format_stream,
    gp_format_call, gp_format_designated, gp_format_phase, gp_format_review, gp_format_pricing,
    gp_format_self_pay, gp_format_policy, gp_format_reclaim, gp_format_reclaim_date,
    gp_format_output, gp_format_sweep,
    gp_format_uncertain, gp_format_calibration, gp_format_cal_unknown, gp_format_cal_target,
    gp_format_resubmit, gp_format_renew;

/* pools[].unit, indexed by gp_unit (scenario.h); NULL-terminated. */
extern const char *const gp_format_units[];

/* Unknown keys are errors: fail on the first member of OBJ (at PATH) that
 * FORMAT does not list, with gp_json_check_keys' message. */
int gp_format_check(const gp_json *doc, const cJSON *obj, const char *path,
                    const gp_format_object *format, gp_err *err);

/* The key NAME of FORMAT, a SHARED key resolved to its description; NULL if
 * FORMAT has no such key. */
const gp_format_key *gp_format_find(const gp_format_object *format, const char *name);

#endif /* GP_FORMAT_H */
