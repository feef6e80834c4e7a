/*
 * models/scenario.h - a scenario, validated and with its defaults filled in.
 *
 * gp_scenario_load reads a scenario file (format: scenarios/README.md, schema:
 * scenarios/schema.json), applies command-line overrides to the JSON tree,
 * validates every value before time 0, and builds this struct.  All times are
 * days since the epoch (doubles); dates in the file are ISO strings.
 *
 * Ownership: the scenario owns its JSON document; every `const char *` below
 * points into it and lives as long as the scenario.  A loaded scenario is
 * read-only, so many runs (threads) may share it.
 */
#ifndef GP_SCENARIO_H
#define GP_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "models/dist.h"
#include "models/json.h"
#include "models/results.h"
#include "sim/err.h"

#define GP_MAX_GPU_TYPES 32 /* stored as int8 in the proposal table */

typedef struct gp_gpu_type {
  const char *name;    /* "H200" */
  double h100_equiv;   /* training throughput relative to one H100 */
} gp_gpu_type;

typedef struct gp_pool {
  const char *name;    /* "iar" (industry/academia/research), "national", ... */
} gp_pool;

typedef struct gp_tranche {
  const char *name;
  const char *provider; /* "" when not given */
  int gpu_type;         /* index into gpu_types */
  int pool;             /* index into pools */
  int nodes;            /* servers built */
  int gov_nodes;        /* of those, the government's share (<= nodes) */
  int gpus_per_node;
  double online;        /* planned date the first nodes come online, days */
  gp_dist slip;         /* delivery slip added to online, days (>= 0) */
  double ramp_days;     /* nodes come online evenly over this many days; 0 = all at once */
  double end;           /* agreement end, days; HUGE_VAL = never */
} gp_tranche;

/* Rolling intake: a Poisson stream of proposals between start and end. */
typedef struct gp_stream {
  const char *name;
  int pool;              /* pool whose servers it asks for */
  int gpu_type;          /* GPU type asked for */
  double start, end;     /* days */
  double rate_per_day;   /* proposals per day at start */
  double growth_per_year; /* rate multiplies by (1 + g) per 365 days */
  double sector_weights[GP_NSECTORS]; /* relative, sum > 0 */
  gp_dist servers;       /* allocation units per proposal, >= 1 */
  gp_dist duration_days; /* days held, > 0 */
  gp_dist quality;       /* hidden true quality */
  gp_dist use_fraction;  /* share of the allocation really used, [0, 1] */
  uint64_t stream_key;   /* RNG key from the name, so streams are independent */
} gp_stream;

struct gp_selection_type;
struct gp_scheduling_type;

typedef struct gp_policy_spec {
  const char *name;
  const struct gp_selection_type *selection;
  const struct gp_scheduling_type *scheduling;
} gp_policy_spec;

typedef struct gp_scenario {
  gp_json *doc;            /* owned */
  const char *file;        /* as given on the command line */
  const char *name;
  const char *description; /* "" when not given */
  long epoch_day;          /* day number of the epoch (date.h) */
  double end;              /* end of the simulated period, days */
  double measure_from;     /* statistics cover [measure_from, end], days */
  uint64_t seed;
  int replications;
  double sample_every;     /* time-series interval, days */
  int detail_reps;         /* replications with per-proposal rows and time series; -1 = all */
  double target_gpus;      /* roadmap target; 0 = none */
  double target_date;      /* days */
  gp_dist review_days;     /* submission -> decision, days */
  gp_dist onboarding_days; /* decision -> ready to start, days */

  gp_gpu_type *gpu_types;
  int ngpu_types;
  gp_pool *pools;
  int npools;
  gp_tranche *tranches;
  int ntranches;
  gp_stream *streams;
  int nstreams;
  gp_policy_spec *policies;
  int npolicies;
} gp_scenario;

/* Command-line changes applied to the JSON tree before validation. */
typedef struct gp_overrides {
  long long reps;          /* -1 = keep */
  long long seed;          /* -1 = keep */
  long long detail;        /* -2 = keep; -1 = all */
  const char *const *sets; /* "json.path=value" strings, nsets of them */
  int nsets;
} gp_overrides;

#define GP_OVERRIDES_NONE {-1, -1, -2, NULL, 0}

/* Load from a file, or from TEXT when non-NULL (NAME used in messages). */
gp_scenario *gp_scenario_load(const char *path, const gp_overrides *ov, gp_err *err);
gp_scenario *gp_scenario_parse(const char *name, const char *text, size_t len,
                               const gp_overrides *ov, gp_err *err);
void gp_scenario_free(gp_scenario *s);

/* The resolved scenario as JSON text (after overrides), malloc'd. */
char *gp_scenario_json(const gp_scenario *s);
/* Keep only the named policies (comma-separated); unknown names are errors. */
int gp_scenario_select_policies(gp_scenario *s, const char *names, gp_err *err);

#endif /* GP_SCENARIO_H */
