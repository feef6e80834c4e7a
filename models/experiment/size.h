/*
 * models/experiment/size.h - `gpuplan size`: the smallest (or largest) value
 * of one scenario number, the knob, at which a summary metric meets a
 * target with a given confidence (issue 19, item 4).
 *
 * A candidate x "meets the target with confidence c" when the one-sided
 * c-level Student-t bound of the metric's mean over its n replications is
 * on the target's side: mean + t_{c,n-1} s / sqrt(n) <= X for "<=", mean -
 * t_{c,n-1} s / sqrt(n) >= X for ">=".  The procedure (gp_size_search_run,
 * written against an evaluator callback so that its decisions can be
 * tested on a synthetic metric): evaluate both ends of the range with K
 * replications; the end that meets the target says which way the answer
 * lies (the means at the ends name the direction when neither or both
 * meet); refuse to bisect when the near end already meets it or the far
 * end does not (status "already_met" / "not_met"); bisect, integers down
 * to adjacent values, reals to tol; then evaluate the answer and its
 * neighbour again with more replications (4K by default) and, when that
 * disagrees, walk outward through the values already evaluated and bisect
 * again at the higher count.  Every evaluation at one replication count
 * plays the same worlds (replication r's seeds do not depend on the knob:
 * common random numbers, measure.h), so comparisons between candidates are
 * paired and the means move smoothly with the knob.
 *
 * Invariant: the result is a function of the scenario, the seed and the
 * options, never of the threads or MPI ranks (every rank gets the metric
 * values from rank 0 and takes the same decisions; only rank 0 writes).
 * Ownership: gp_size_free and gp_size_answer_free release what they hold.
 */
#ifndef GP_SIZE_H
#define GP_SIZE_H

#include <stdio.h>

#include <stdint.h>

#include "models/experiment/measure.h"
#include "models/experiment/plan.h"
#include "sim/err.h"

typedef enum gp_size_op { GP_SIZE_LE = 0, GP_SIZE_GE } gp_size_op;
/* "<=", ">=", indexed by the op. */
extern const char *const gp_size_op_names[];

typedef enum gp_size_status {
  GP_SIZE_FOUND = 0,   /* the answer lies inside the range */
  GP_SIZE_ALREADY_MET, /* the near end of the range already meets the target */
  GP_SIZE_NOT_MET      /* the far end of the range does not meet it */
} gp_size_status;
/* "found", "already_met", "not_met", indexed by the status. */
extern const char *const gp_size_status_names[];

/* The metric's value in replications 0..NREPS-1 at each of the NX knob
 * values X, into Y[i * NREPS + r].  0, or -1 with ERR set. */
typedef int gp_size_eval_fn(void *ctx, const double *x, int nx, int nreps, double *y,
                            gp_err *err);

/* The decision problem. */
typedef struct gp_size_search {
  double lo, hi;       /* the knob's range, lo < hi */
  int integer;         /* 1: whole values only (lo and hi whole) */
  double tol;          /* reals: bisect until the bracket is at most this wide; <= 0 = (hi - lo)
                        * / 100; integers: 1 */
  gp_size_op op;
  double target;       /* X of "METRIC<=X" */
  double confidence;   /* c, in (0, 1) */
  int reps;            /* K replications per candidate, >= 2 */
  int confirm_reps;    /* replications of the confirmation, >= K; 0 = 4K */
  const char *knob;    /* names in messages; NULL = "the knob" */
  const char *metric;  /* NULL = "the metric" */
} gp_size_search;

/* One evaluation: a row of /size/evaluations. */
typedef struct gp_size_eval {
  double value;        /* the knob's value */
  int reps;            /* replications 0..reps-1 */
  double mean;         /* the metric's mean over them */
  double lo, hi;       /* mean -/+ t_{c,reps-1} s / sqrt(reps): the one-sided c-level bounds */
  int meets;           /* 1: the bound on the target's side is on its right side */
} gp_size_eval;

typedef struct gp_size_answer {
  gp_size_status status;
  int direction;       /* the metric's mean from lo to hi (K replications): -1 decreases, 0 flat,
                        * +1 increases */
  int toward_hi;       /* 1: the target is met toward hi, the answer is the smallest value that
                        * meets it; 0: toward lo, the largest */
  double tol;          /* the bracket's width at the end (1 for integers) */
  int confirm_reps;    /* the confirmation's replications */
  double answer;       /* the value found; NaN unless status is found */
  double neighbour;    /* the value beside it (toward the near end) that does not meet the
                        * target; NaN unless found */
  int answer_row, neighbour_row; /* their final evaluations in evals; -1 = none */
  int edge_row;        /* already_met: the near end's final evaluation; not_met: the far end's;
                        * -1 when found */
  int rebisected;      /* 1: the confirmation disagreed and the search went on at confirm_reps */
  int monotone;        /* 0: evaluated means (at one replication count) go against direction */
  char warning[320];   /* the first such pair, "" when monotone */
  gp_size_eval *evals; /* nevals evaluations, in the order they were made */
  int nevals, cap;
} gp_size_answer;

/* Run SP's procedure with the evaluator EVAL (CTX passed through) into
 * *OUT (cleared first; gp_size_answer_free it, also after a failure).
 * Usage errors (GP_EX_USAGE) for a bad range, tolerance, confidence or
 * count; GP_EX_DATAERR when the metric is NaN in a replication (a mean
 * over nothing); the evaluator's errors as they are. */
int gp_size_search_run(const gp_size_search *sp, gp_size_eval_fn *eval, void *ctx,
                       gp_size_answer *out, gp_err *err);
void gp_size_answer_free(gp_size_answer *a);

/* `gpuplan size` on a scenario. */
typedef struct gp_size_spec {
  const char *path;           /* scenario file; NULL = the built-in baseline */
  long long seed;             /* -1 = the scenario's */
  const char *const *sets;    /* --set PATH=VALUE, nsets of them, before the knob */
  int nsets;
  const char *policy;         /* one policy's name; NULL = the scenario's first */
  const char *knob;           /* the --set path of a number the scenario writes */
  int metric;                 /* a summary metric, gp_stat_index value */
  gp_size_search search;      /* knob and metric (the names) are filled in by gp_size_run */
  int threads;                /* per rank; <= 0 = as many as cores */
  gp_measure_progress_fn *progress; /* NULL = none; per evaluation batch */
  void *progress_ctx;
} gp_size_spec;

typedef struct gp_size {
  gp_plan *plan;              /* the scenario as loaded, with --set and the one policy */
  const gp_scenario *s;       /* plan->points[0].s */
  const char *knob;           /* spec's, borrowed */
  double knob_value;          /* the knob's value in the scenario as loaded */
  int metric;
  const char *policy;         /* s->policies[0].name */
  int policy_given;           /* 0: the scenario's first policy, by default */
  uint64_t seed;              /* the scenario's, after --seed */
  gp_size_search search;      /* as run (tol and confirm_reps resolved) */
  gp_size_answer answer;
  double seconds;             /* wall time of the procedure */
  long long policy_reps;      /* policy-replications played */
} gp_size;

/* Load the scenario, check the knob (gp_uncertain_number) and run the
 * procedure, each candidate a point of measure.h with the knob put in
 * through gp_uncertain_apply.  *OUT on every rank (every rank decides
 * alike), NULL on failure.  Usage errors: a sweep, a --set of the knob,
 * --policy naming several policies or none the scenario has. */
int gp_size_run(const gp_size_spec *spec, gp_size **out, gp_err *err);
void gp_size_free(gp_size *r);

/* What it leaves (the only code that knows the layout of /size; the root
 * attributes and /scenario are the run file's, gp_writer_root).  Write R's
 * file at PATH (through a temporary file renamed when complete). */
int gp_size_write(const char *path, const gp_size *r, gp_err *err);
/* The question, the direction, the answer with its mean and bounds and its
 * neighbour's (or why there is none), every evaluation, the warnings, and
 * where the file went (PATH; NULL = no file), to F. */
void gp_size_summary(FILE *f, const gp_size *r, const char *path);

#endif /* GP_SIZE_H */
