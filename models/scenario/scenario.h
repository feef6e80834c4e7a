/*
 * models/scenario/scenario.h - a scenario, validated and with its defaults filled in.
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

#include "models/scenario/dist.h"
#include "models/scenario/json.h"
#include "models/vocab/vocab.h"
#include "sim/err.h"

#define GP_MAX_REVIEWS 8    /* reviews per proposal */
#define GP_MAX_PHASES 16    /* phases of a designated allocation */
#define GP_MAX_TRANCHES 10000 /* tranches of a roadmap (14 bits in a run's failure list) */
#define GP_DAYS_PER_MONTH (365.25 / 12)
/* Bytes (UTF-8) of any "name" in a scenario.  Names become HDF5 group and
 * attribute names, parts of paths (/points/K/compare/A__B, .../tranches/T/
 * busy_gpus) and the default result file out/NAME.h5 (within a file
 * system's 255-byte names): the loader refuses longer ones, so that nothing
 * downstream ever cuts one (issue 16, item 4). */
#define GP_NAME_MAX 128
#define GP_IDLE_POWER_SHARE 0.3 /* default gpu_types[].idle_power_share (scenarios/README.md) */
#define GP_MAX_PRICE_STEPS 301 /* electricity prices: one, plus one per year of 1900-2199 */

/* What a pool hands out: whole servers, or single GPUs (the leasing
 * programme's industry track). */
typedef enum gp_unit { GP_UNIT_SERVER, GP_UNIT_GPU } gp_unit;

typedef struct gp_gpu_type {
  const char *name;         /* "H200" */
  double h100_equiv;        /* training throughput relative to one H100 */
  double price_krw_per_hour; /* market price of one GPU-hour, KRW; 0 = unknown */
  /* ---- issue 21, item 5: power ---- */
  double power_kw;          /* electric power of one busy GPU, its server's share included, kW;
                             * 0 = unknown (no energy is computed for the scenario) */
  double idle_power_share;  /* an idle GPU draws this share of power_kw */
} gp_gpu_type;

typedef struct gp_pool {
  const char *name;  /* "iar" (industry/academia/research), "national", ... */
  gp_unit unit;      /* allocation unit of every tranche in the pool */
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
  double ramp_days;     /* nodes come online in daily steps over this many days; 0 = at once */
  double end;           /* agreement end, days; HUGE_VAL = never */
  double mtbf_days;     /* mean days between failures of one node; 0 = no failures */
  gp_dist repair_days;  /* time to repair a failed node, days */
  uint64_t key;         /* RNG key from the name */
  double pue;           /* power usage effectiveness of its data centre: facility / IT power, >= 1 */
} gp_tranche;

/* What the proposals of a call or a rolling stream look like. */
typedef struct gp_applicants {
  double sector_weights[GP_NSECTORS]; /* relative, sum > 0; 0 = not eligible */
  int ntypes;                          /* GPU types asked for */
  int type[GP_MAX_GPU_TYPES];          /* index into gpu_types */
  double type_weight[GP_MAX_GPU_TYPES]; /* relative share of proposals asking for it */
  int max_units[GP_MAX_GPU_TYPES];     /* per-project cap, in the pool's units */
  int interview_from[GP_MAX_GPU_TYPES]; /* requests of at least this many units are interviewed; 0 = never */
  gp_dist units;          /* units asked for (servers, or GPUs in a per-GPU pool), >= 1 */
  gp_dist duration;       /* time asked for, in duration_unit */
  double duration_unit;   /* days per unit of `duration`: 1, or 365.25/12 for months */
  double max_days;        /* cap on the duration, days; HUGE_VAL = none */
  gp_dist quality;        /* hidden true quality */
  gp_dist use_fraction;   /* share of the allocation really used, [0, 1] */
  double withdraw_probability; /* chance a proposal withdraws at some point */
  int organisations;      /* applicant organisations per sector (Zipf-weighted) */
  double capital_share;   /* share of applicants in the capital region */
  /* Returning applicants (issue 21, item 3): a rejected proposal of this
   * source resubmits, and a finished project applies for renewal, to the
   * next call of the pool (models/run/returns.c); 0 = never. */
  double resubmit_probability; /* [0, 1] */
  double resubmit_improvement; /* added to the quality of the resubmission */
  double renew_probability;    /* [0, 1] */
  double renew_improvement;    /* added to the quality of the renewal */
  int max_renewals;            /* renewals of one line of projects at most; INT_MAX = no limit */
} gp_applicants;

/* A call for proposals: a window, a budget, and a committee that decides. */
typedef struct gp_call {
  const char *name;
  int pool;
  double open, close;      /* days */
  double proposals;        /* expected number of proposals (Poisson) */
  double pile_up;          /* >= 0: density of submissions ~ x^pile_up over the window; 0 = even */
  gp_applicants a;
  long long capacity[GP_MAX_GPU_TYPES]; /* units offered per GPU type; -1 = no limit */
  double *committees;      /* committee dates, days, ascending; owned */
  int ncommittees;
  double committee_every;  /* after the last date, a committee every this many days */
  double supply_from;      /* projects start no earlier than this, days */
  int free_of_charge;      /* 1: no self-pay (the beta test) */
  uint64_t key;            /* RNG key from the name */
} gp_call;

/* Rolling intake: a Poisson stream of proposals between start and end,
 * decided by a committee every committee_every days. */
typedef struct gp_stream {
  const char *name;
  int pool;
  double start, end;       /* days */
  double rate_per_day;     /* proposals per day at start */
  double growth_per_year;  /* rate multiplies by (1 + g) per 365 days */
  gp_applicants a;
  long long capacity[GP_MAX_GPU_TYPES]; /* units each committee may award; -1 = no limit */
  double committee_every;  /* days; 0 = decide each proposal as soon as it is reviewed */
  uint64_t key;
} gp_stream;

/* Allocations made by designation, outside calls and review: national
 * projects such as the sovereign foundation-model teams, re-judged in phases
 * (teams eliminated between phases). */
typedef struct gp_designated {
  const char *name;
  int pool, gpu_type, sector;
  int units;              /* per team */
  double start;           /* days */
  int nphases;
  int teams[GP_MAX_PHASES];
  double days[GP_MAX_PHASES];
  gp_dist use_fraction;
} gp_designated;

typedef struct gp_review {
  gp_dist screening_days;   /* administrative screening, days */
  double screening_pass;    /* probability a proposal passes screening */
  int reviewers;            /* panel size; 0 = unlimited (no queueing for reviewers) */
  int reviews;              /* reviews per proposal, 1..GP_MAX_REVIEWS */
  gp_dist review_days;      /* one reviewer's time for one review, days */
  double noise_sd;          /* a review scores quality + N(0, noise_sd) */
  int interview_slots;      /* suitability interviews per day; 0 = unlimited */
  double interview_pass;    /* probability an interviewed proposal is found suitable */
  double committee_every;   /* default committee interval for streams, days */
  gp_dist onboarding_days;  /* decision -> ready to start, days */
} gp_review;

struct gp_selection_type;
struct gp_scheduling_type;

/* One tier of a calendar reclaim: on date `at`, a running project that has
 * used less than below_use of its allocation loses take of its working
 * units (of a date's tiers, the one with the lowest below_use it is under). */
#define GP_MAX_RECLAIM_DATES 32
typedef struct gp_reclaim_date {
  double at;     /* days since the epoch */
  double below;  /* share of its allocation's GPU-hours used by then, [0, 1] */
  double take;   /* share of its working units it loses, [0, 1] */
  double min_days; /* only projects that have held their units this many days are checked */
} gp_reclaim_date;

typedef struct gp_policy_spec {
  const char *name;
  const struct gp_selection_type *selection;
  const struct gp_scheduling_type *scheduling;
  const char *param_names[16]; /* parameters set in the scenario (the rest take defaults) */
  double param_values[16];
  int nparams;
  uint64_t key;                /* RNG key for the policy's own draws (a lottery) */
  double reclaim_at;           /* reclaim check at this fraction of a project's time; 0 = never */
  double reclaim_below;        /* ... of projects using less than this fraction of their GPUs */
  double reclaim_take;         /* ... which lose this share of their working units */
  /* ---- issue 21, item 4: calendar reclaim ("reclaim": {"calendar": [...]}) ---- */
  int ncalendar;               /* checks on fixed dates; 0 = none */
  gp_reclaim_date calendar[GP_MAX_RECLAIM_DATES]; /* by date, then below_use ascending */
} gp_policy_spec;

/* A factor of the "uncertain" block: a value of the scenario a two-level
 * run draws once per replication (models/scenario/uncertain.h). */
typedef struct gp_uncertain {
  const char *path;  /* in --set's syntax, e.g. "demand.streams[0].growth_per_year": a number
                      * the scenario writes */
  gp_dist dist;      /* its distribution, clamps included: every value of it was loaded once */
  char *dist_json;   /* the distribution as written, compact JSON; owned */
  const char *note;  /* its source or reason, never empty */
  const char *group; /* factors of one group move together; "" = on its own */
  int dim;           /* the coordinate of the design that drives it: one per group and per
                      * ungrouped factor, numbered in order of first appearance */
  const char *set_by; /* what else writes the value at path: an override ("--set PATH=VALUE",
                       * "sweep PATH=VALUE") or an overlay of the file that holds the block; a
                       * two-level run would silently replace it, and refuses (design.c);
                       * NULL when only the block's file or its bases write it */
} gp_uncertain;
/* The settings of a policy's "reclaim" object, as gp_param rows (name,
 * default, range, meaning; models/rules/rule.h), NULL-name terminated: the
 * loader takes its defaults and ranges from them ("at" is strictly inside
 * its range), `gpuplan policies` lists them. */
const struct gp_param *gp_reclaim_params(void);

/* Where a proposal came from: a call, a stream or a designation. */
typedef enum gp_origin_kind { GP_ORIGIN_CALL, GP_ORIGIN_STREAM, GP_ORIGIN_DESIGNATED } gp_origin_kind;

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
  gp_review review;
  double self_pay[GP_NSECTORS]; /* share of the market price the sector pays */
  /* ---- issue 21, item 5: electricity ---- */
  int has_power;           /* 1 when some GPU type has a power_kw: energy is computed */
  int nelectricity;        /* price steps, >= 1 with has_power */
  double electricity_from[GP_MAX_PRICE_STEPS];  /* days; step 0 from -infinity, ascending */
  double electricity_krw[GP_MAX_PRICE_STEPS];   /* KRW per kWh from that time on */

  gp_gpu_type *gpu_types;
  int ngpu_types;
  gp_pool *pools;
  int npools;
  gp_tranche *tranches;
  int ntranches;
  gp_call *calls;
  int ncalls;
  gp_stream *streams;
  int nstreams;
  gp_designated *designated;
  int ndesignated;
  gp_policy_spec *policies;
  int npolicies;
  gp_uncertain *uncertain; /* the "uncertain" block, in file order; NULL when absent */
  int nuncertain;
  int uncertain_dims;      /* coordinates its factors need (groups count once) */
  /* The "calibration" block (models/scenario/calibration.h); NULL when absent. */
  struct gp_calibration *calibration;
} gp_scenario;

/* The origin index of a demand source in the proposal table's "call" column:
 * calls first, then streams, then designations, in file order. */
int gp_scenario_norigins(const gp_scenario *s);
const char *gp_scenario_origin_name(const gp_scenario *s, int origin);
/* The applicants of origin O: a call's or a stream's; NULL for a
 * designation (no review, no return). */
static inline const gp_applicants *gp_scenario_origin_applicants(const gp_scenario *s, int o) {
  if (o < s->ncalls) return &s->calls[o].a;
  o -= s->ncalls;
  return o < s->nstreams ? &s->streams[o].a : NULL;
}
/* The pool of origin O (a call, a stream or a designation). */
static inline int gp_scenario_origin_pool(const gp_scenario *s, int o) {
  if (o < s->ncalls) return s->calls[o].pool;
  o -= s->ncalls;
  return o < s->nstreams ? s->streams[o].pool : s->designated[o - s->nstreams].pool;
}
/* The largest resubmit and renew probabilities among POOL's calls and
 * streams into *RESUBMIT and *RENEW (0 when none lets its applicants
 * return): what bounds a return to the pool, whoever's source takes it
 * back (models/world/world.c draws the return uniforms against them). */
void gp_scenario_pool_returns(const gp_scenario *s, int pool, double *resubmit, double *renew);

/* Command-line changes applied to the JSON tree before validation. */
typedef struct gp_overrides {
  long long reps;          /* -1 = keep */
  long long seed;          /* -1 = keep */
  long long detail;        /* -2 = keep; -1 = all */
  const char *const *sets; /* "json.path=value" strings, nsets of them: VALUE is JSON when the
                            * whole of it is JSON, else a string (scenarios/README.md) */
  int nsets;
  int nswept;              /* the last nswept of sets are a sweep point's values (messages say
                            * "sweep PATH=VALUE" rather than "--set PATH=VALUE") */
} gp_overrides;

#define GP_OVERRIDES_NONE {-1, -1, -2, NULL, 0, 0}

/* Load the file PATH; its "extends" chain is resolved before the overrides
 * are applied (scenarios/README.md, "Overlays"). */
gp_scenario *gp_scenario_load(const char *path, const gp_overrides *ov, gp_err *err);
/* The same from TEXT (LEN bytes), the contents of the file PATH read by the
 * caller: "extends" is relative to PATH's directory, and the bases are read. */
gp_scenario *gp_scenario_parse_file(const char *path, const char *text, size_t len,
                                    const gp_overrides *ov, gp_err *err);
/* From TEXT with no file behind it (NAME used in messages only): "extends"
 * is refused at its position, so that such a text never makes the loader
 * open a file (the fuzzer's, a built-in scenario). */
gp_scenario *gp_scenario_parse(const char *name, const char *text, size_t len,
                               const gp_overrides *ov, gp_err *err);
void gp_scenario_free(gp_scenario *s);

/* The scenario of one cluster, for trace replay (models/replay/): one GPU
 * type, one pool of whole nodes, one tranche of NODES x GPUS_PER_NODE GPUs
 * online from time 0 for ever, no failures, a designated source for the
 * jobs, and one policy named after the scheduling rule SCHEDULING that
 * schedules with it.  Times are in the trace's unit (seconds) over
 * [0, END].  NULL with ERR set (the loader's message: a rule the registry
 * does not know, nodes beyond the format's limits). */
gp_scenario *gp_scenario_cluster(int nodes, int gpus_per_node, const char *scheduling, double end,
                                 gp_err *err);

/* The resolved scenario as JSON text (after "extends" and overrides), malloc'd. */
char *gp_scenario_json(const gp_scenario *s);
/* The files the scenario was read from: 1 + the length of its "extends"
 * chain; file 0 is S->file, file I + 1 the base of file I, as each names
 * it (relative to the directory of the file that extends it, joined). */
int gp_scenario_nfiles(const gp_scenario *s);
const char *gp_scenario_file_at(const gp_scenario *s, int i);
/* Keep only the named policies (comma-separated); unknown names are errors. */
int gp_scenario_select_policies(gp_scenario *s, const char *names, gp_err *err);

#endif /* GP_SCENARIO_H */
