/*
 * analysis/reader.h - a result file, opened once at one point: what compare,
 * export, plot and report read of it.
 *
 * gp_reader_open opens the file (models/results/h5in.h: HDF5, and
 * gpuplan's), resolves the sweep point, and reads what every command needs:
 * the root attributes, the point's scenario (name, description, epoch), and
 * the policies with their rule names and summaries.  The rest (proposals,
 * calls, time series, statistics as stored, the roadmap) is read on demand by
 * the functions below.  Nothing outside this file builds a path inside the
 * result file: a new group the analysis commands read is a new function here.
 *
 * Format versions (docs/output.md, "Format versions"): the root attribute
 * format_version says which; a file without it is version 1, where -1 meant
 * never in the times since the epoch that may be never (the proposals'
 * decided, started and finished, the calls' first, mean and last decision,
 * the roadmap's date_reached and its quantiles).  Everything here hands
 * them out as version 2 has them, NaN for never: a version-1 file's are
 * converted as they are read.  A version above GP_FORMAT_VERSION (or not a
 * whole number >= 1) is refused, GP_EX_DATAERR.
 *
 * The point: a file without a sweep has its tree at the root and only point
 * 0; a sweep has one tree per point under /points/K (root attribute
 * "points").  POINT < 0 asks for the default, 0.  Asking for a point the file
 * does not have is GP_EX_USAGE.
 *
 * Errors start with the file's path.  Codes: GP_EX_NOINPUT (cannot open the
 * file), GP_EX_DATAERR (not a gpuplan result file, or something in it is
 * missing or malformed), GP_EX_USAGE (no such point), GP_EX_OSERR (out of
 * memory).  The reader owns everything it hands out as const or as a member
 * of gp_reader; what a function returns malloc'd, the caller frees.
 */
#ifndef GP_READER_H
#define GP_READER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "models/results/h5in.h"
#include "models/results/results.h"
#include "sim/err.h"

/* One policy of the point. */
typedef struct gp_reader_policy {
  char *name;      /* as in the file */
  char *selection; /* the rule names stored on its group; NULL when absent */
  char *scheduling;
  gp_summary_row *sum; /* nreps rows, in replication order */
} gp_reader_policy;

typedef struct gp_reader {
  const char *path; /* the file, as given: starts every message */
  char base[32];    /* "" or "/points/K": where the point's tree is */
  int point;        /* the point read; -1 for a file without a sweep */
  int npoints;      /* 0 = not a sweep */
  char *version;    /* gpuplan_version of the writer */
  int format;       /* format_version: 1 (none in the file) to GP_FORMAT_VERSION */
  /* Root attributes (of the base scenario, in a sweep). */
  double seed;          /* NaN when absent */
  double detail;        /* detail_replications; NaN when absent */
  double complete;      /* 1 a finished run, 0 one a signal stopped (the file holds the
                         * replications finished by then); NaN when absent */
  double requested;     /* replications_requested; NaN when absent */
  double end;           /* end of the simulated period, days since the epoch; NaN = absent */
  double measure_from;  /* start of the measured window, days; NaN = absent */
  double target_gpus;   /* the roadmap target; NaN = none (or no valid target_date) */
  double target_t;      /* its date, days since the epoch; NaN = none */
  char target_date[16]; /* its date, YYYY-MM-DD; "" = none */
  char **overrides;     /* the run's --set "path=value" strings, as given; NULL when the */
  size_t noverrides;    /* file does not say (written before the attribute existed) */
  char **sweep_paths;   /* a sweep's paths, and this point's value of each as text */
  char **sweep_values;  /* (NULL when the point has none); nsweep of each */
  size_t nsweep;
  /* The point's scenario (the root's /scenario when the point has none). */
  char *scenario_text;    /* the JSON, as stored */
  cJSON *scenario;        /* its parse: a JSON object */
  char *name;             /* its name (else the root's scenario_name) */
  char *description;      /* its description (else scenario_description); NULL = none */
  long epoch;             /* its epoch (else the root's), days since 1970-01-01 */
  const char **gpu_names; /* its gpu_types' names (into scenario), once gp_reader_proposal_desc */
  int ngpu;               /* has asked for them; NULL and 0 before */
  /* The policies, in the file's order: at least one, each with nreps
   * summary rows. */
  gp_reader_policy *pol;
  size_t np;
  size_t nreps;
  int uncertain; /* 1: the point has /uncertain (a two-level run, gp_reader_uncertain_read) */
  int sens;      /* 1: a file of `gpuplan sensitivity` (/sensitivity, no /policies: np = 0,
                  * nreps its root "replications"); only gp_reader_open_any opens one */
  gp_h5in *h;    /* the open file: the reader's own */
} gp_reader;

/* Open the result file at PATH at sweep point POINT (< 0: the default).  A
 * file of `gpuplan sensitivity` is refused (GP_EX_DATAERR, saying which
 * commands read it). */
gp_reader *gp_reader_open(const char *path, int point, gp_err *err);
/* The same, but a file of `gpuplan sensitivity` opens too (r->sens = 1, no
 * policies): for the commands that read it (report, plot). */
gp_reader *gp_reader_open_any(const char *path, int point, gp_err *err);
/* Close it and free all it holds; NULL is fine. */
void gp_reader_close(gp_reader *r);

/* What the file is, in one line for a header (malloc'd, NULL when out of
 * memory; names not escaped): the scenario's name, the overrides ("with
 * A=1, B=2", or ", no overrides"; nothing when the file does not say), the
 * sweep point's values ("at review.reviewers=80"), the seed:
 * "baseline with demand.streams[0].rate_per_day=0.6, seed 7". */
char *gp_reader_title(const gp_reader *r);

/* The sweep point of the file at PATH labelled LABEL ("review.reviewers=80",
 * its values as "path=value" joined by ", "; as the run and gp_reader_title
 * show them) into *POINT.  GP_EX_USAGE, the message listing the labels, when
 * none is. */
int gp_reader_find_point(const char *path, const char *label, int *point, gp_err *err);

/* The index of the policy named NAME, or -1. */
int gp_reader_policy_index(const gp_reader *r, const char *name);

/* Statistics over the replications of every policy's summary (as /stats and
 * /compare hold them, recomputed): np x gp_stat_count() rows, row
 * p * gp_stat_count() + k for policy p and metric k.  With PAIRED, of the
 * paired differences policy p - policy BASE.  malloc'd. */
gp_stat_row *gp_reader_stats(const gp_reader *r, int paired, size_t base, gp_err *err);

/* Table NAME ("summary", "calls" or "proposals") of policy POL, read by the
 * field names of DESC (file fields it does not name are left out): a malloc'd
 * array of *N rows of DESC->row_size bytes.  A double field of the summary
 * or calls table that the file lacks (added after it was written) reads as
 * NaN in every row; any other missing field is GP_EX_DATAERR. */
void *gp_reader_table(gp_reader *r, size_t pol, const char *name, const gp_table_desc *desc,
                      size_t *n, gp_err *err);
/* The description of the whole proposal table: its gpu_type enum names are
 * the point's scenario's gpu_types (pointing into r->scenario).  FIELDS has
 * GP_PROPOSAL_NFIELDS entries. */
int gp_reader_proposal_desc(gp_reader *r, gp_table_desc *desc, gp_field *fields, gp_err *err);

/* What the charts and the report need of a proposal row. */
typedef struct gp_reader_start {
  int32_t rep;      /* replication number (a detailed one) */
  int8_t sector;    /* GP_SECTOR_* */
  double submitted; /* days since the epoch */
  double started;   /* days since the epoch; NaN = never */
} gp_reader_start;
/* Those rows of policy POL's proposals; malloc'd, *N of them. */
gp_reader_start *gp_reader_starts(gp_reader *r, size_t pol, size_t *n, gp_err *err);

/* The names of policy POL's demand sources by call index (the calls table's
 * attribute "names"): *N malloc'd strings; free with gp_h5in_free_names. */
char **gp_reader_call_names(gp_reader *r, size_t pol, size_t *n, gp_err *err);

/* A statistics table as stored: /stats/P or /compare/A__B.  Its metric enum
 * is read with the table's own "metrics" names, so that a file with metrics
 * this build does not know still reads: metrics[rows[i].metric]. */
typedef struct gp_stored_stats {
  char *a;        /* the policy; for a pair, A of A - B */
  char *b;        /* for a pair, B; NULL for /stats/P */
  char **metrics; /* the metric enum's names, by value */
  size_t nmetrics;
  gp_stat_row *rows;
  size_t n;
} gp_stored_stats;
/* /stats/P of policy POL into *S. */
int gp_reader_policy_stats(gp_reader *r, size_t pol, gp_stored_stats *s, gp_err *err);
/* The pairs of /compare, in the file's order (none, *N = 0, with one
 * policy): malloc'd names to pass to gp_reader_pair_stats; free with
 * gp_h5in_free_names. */
char **gp_reader_pairs(gp_reader *r, size_t *n, gp_err *err);
int gp_reader_pair_stats(gp_reader *r, const char *pair, gp_stored_stats *s, gp_err *err);
void gp_stored_stats_free(gp_stored_stats *s);

/* The roadmap as delivered, one row per replication: *ROWS malloc'd (NULL
 * and *N = 0 for a file written before it existed).  RISK (when not NULL)
 * gets the probability of reaching the target on time, its 95% interval,
 * and the 10%, 50% and 90% quantiles of the date it is reached (NaN =
 * never), each NaN when the file does not say (gpuplan writes all six or
 * none). */
int gp_reader_roadmap(gp_reader *r, gp_roadmap_row **rows, size_t *n, double risk[6], gp_err *err);

/* A two-level run's factors (/uncertain, docs/output.md) and the values
 * each replication drew: the rows line up with every policy's summary. */
typedef struct gp_reader_uncertain {
  char **path;   /* each factor's scenario path, as --set takes it */
  char **note;   /* its source or reason */
  char **group;  /* its group; "" when it moves on its own */
  size_t nf;     /* factors; 0 = the file has no /uncertain (not a two-level run) */
  double *value; /* nreps x nf, row-major: factor j in replication i, in its path's unit */
  size_t nreps;  /* rows of VALUE: the point's replications */
} gp_reader_uncertain;
/* The point's /uncertain into *U (all zero when the file has none).  A
 * VALUE of another shape than replications x factors is GP_EX_DATAERR. */
int gp_reader_uncertain_read(gp_reader *r, gp_reader_uncertain *u, gp_err *err);
void gp_reader_uncertain_free(gp_reader_uncertain *u);

/* A file of `gpuplan sensitivity` (docs/output.md, /sensitivity): one row
 * of /sensitivity/P/sobol or /sensitivity/P/morris. */
typedef struct gp_reader_sens_row {
  int8_t metric;                  /* index into gp_reader_sens.metrics */
  int8_t factor;                  /* index into gp_reader_sens.factors */
  double s1, s1_lo, s1_hi;        /* sobol: first-order index and its interval; NaN for morris */
  double st, st_lo, st_hi;        /* sobol: total index and its interval */
  double mu_star, mu_star_lo, mu_star_hi; /* morris: mean |elementary effect|, metric per unit
                                           * range, and its interval; NaN for sobol */
  double mu, sigma;               /* morris: mean effect and its standard deviation */
} gp_reader_sens_row;

typedef struct gp_reader_sens {
  char *method;         /* "sobol" or "morris"; NULL = the file has no /sensitivity */
  char **factors;       /* a group's name or an ungrouped factor's path, nf of them */
  char **factor_paths;  /* per factor, the paths it moves, joined by ", " */
  size_t nf;
  char **metrics;       /* catalogue names, nm of them */
  size_t nm;
  char **policies;      /* np of them, each with its table */
  size_t np;
  double reps;          /* replications per design point; NaN = absent */
  double level;         /* the intervals' level (0.95); NaN = absent */
  gp_reader_sens_row **rows; /* np tables of n[p] rows */
  size_t *n;
} gp_reader_sens;
/* /sensitivity into *S (all zero when the file has none). */
int gp_reader_sensitivity(gp_reader *r, gp_reader_sens *s, gp_err *err);
void gp_reader_sens_free(gp_reader_sens *s);
/* The roadmap as planned beside the roadmap as delivered (issue 17, item
 * 1; docs/output.md, /roadmap and /roadmap_tranches): absent (has = 0) in
 * files written before it existed or without a target. */
typedef struct gp_reader_plan {
  int has;                  /* 1 when the file holds it */
  double planned_at_target; /* GPUs under agreement at the target date as planned */
  double planned_reached;   /* date the target is reached as planned, days; NaN = never */
  double planned_peak;      /* the most GPUs ever under agreement at once as planned */
  double never_planned;     /* the gap's parts at the target date, GPUs: short by the plan */
  double ended;             /* agreement ended by the date */
  double late, ramping;     /* slipped past the date; online but ramping (means) */
  double q[3];              /* date reached with no cap at the end: 10%, 50%, 90%; NaN = never */
  gp_roadmap_tranche_row *rows; /* one per tranche, malloc'd */
  char **names;             /* their names, malloc'd (gp_h5in_free_names) */
  size_t n;
} gp_reader_plan;
int gp_reader_roadmap_plan(gp_reader *r, gp_reader_plan *pl, gp_err *err);
void gp_reader_plan_free(gp_reader_plan *pl);

/* The time series of one policy (its detailed replications). */
typedef struct gp_reader_series {
  double *time; /* sample times, days since the epoch */
  size_t ns;
  double *rep; /* replication number of each row */
  size_t nrep;
  char **name;    /* series i: its name ("installed_gpus", ...) */
  char **tranche; /* and its tranche; NULL for the programme's series */
  size_t n;       /* the programme's series in the file's order, then each tranche's */
} gp_reader_series;
/* The sample times, replications and names of policy POL's series. */
int gp_reader_series_open(gp_reader *r, size_t pol, gp_reader_series *ts, gp_err *err);
/* The values of series I, nrep x ns row-major, malloc'd; *UNIT (when UNIT is
 * not NULL) its stored unit, malloc'd, NULL when it has none. */
double *gp_reader_series_read(gp_reader *r, size_t pol, const gp_reader_series *ts, size_t i,
                              char **unit, gp_err *err);
/* The index of the programme's series NAME, or -1. */
int gp_reader_series_find(const gp_reader_series *ts, const char *name);
void gp_reader_series_free(gp_reader_series *ts);

#endif /* GP_READER_H */
