/*
 * models/experiment/select.h - ranking and selection: the best of k systems
 * by Kim and Nelson's (2001) fully sequential procedure KN, valid under
 * common random numbers (`gpuplan select`).
 *
 * A first stage of n0 replications of every system gives each pair's
 * variance of differences S2_il; then one replication at a time for the
 * surviving systems only, each screened against every other survivor,
 * until one remains.  With an indifference zone delta, the selected system
 * is the best with probability at least pcs whenever the best is at least
 * delta better than the others (and is within delta of the best otherwise).
 *
 * The values come from a sampler callback (the scenario's policies through
 * measure.h in gp_select_plan; synthetic normals in the unit test), asked
 * for a batch of replications of the survivors at a time.  Invariant: the
 * eliminations are decided replication by replication, in order, from the
 * values alone, so the result (selected, each elimination's count, mean and
 * best competitor, the cost) does not depend on the batch size, nor on the
 * threads or MPI ranks the sampler uses; only `sampled` (values drawn past
 * an elimination inside a batch) does.
 *
 * Ownership: gp_select_result's rows are malloc'd (gp_select_result_free).
 */
#ifndef GP_SELECT_H
#define GP_SELECT_H

#include "models/experiment/plan.h"
#include "sim/err.h"

#define GP_SELECT_N0 10          /* first-stage replications when n0 is 0 */
#define GP_SELECT_PCS 0.95       /* when pcs is 0 */
#define GP_SELECT_MAX_REPS 1000  /* when max_reps is 0 */

/* Replications FIRST..FIRST+N-1 of the NSYS systems SYS (indices in
 * 0..k-1, increasing) into X: X[j * N + r] is system SYS[j]'s value on
 * replication FIRST + r.  Replication r must give system i the same value
 * whatever batch or companions it is asked with.  0, or -1 with ERR set. */
typedef int gp_select_sample_fn(void *ctx, int first, int n, const int *sys, int nsys, double *x,
                                gp_err *err);
/* After each screened replication: REPS replications of the survivors so
 * far, SURVIVORS of K left, COST system-replications used, SECONDS since
 * the start. */
typedef void gp_select_progress_fn(void *ctx, int reps, int survivors, int k, long long cost,
                                   double seconds);

typedef struct gp_select_spec {
  int k;                         /* systems, >= 2 */
  int n0;                        /* first stage, >= 2; 0 = GP_SELECT_N0 */
  double delta;                  /* indifference zone, the metric's unit, > 0 */
  double pcs;                    /* probability of correct selection, in (1/k, 1); 0 = GP_SELECT_PCS */
  int maximize;                  /* 1: larger is better; 0: smaller */
  int max_reps;                  /* cap on a system's replications, >= n0; 0 = GP_SELECT_MAX_REPS */
  int batch;                     /* replications per sampler call after the first stage; <= 0 = 1 */
  gp_select_sample_fn *sample;
  void *ctx;
  gp_select_progress_fn *progress; /* NULL = none */
  void *progress_ctx;
} gp_select_spec;

/* One system's fate. */
typedef struct gp_select_row {
  int system;       /* 0..k-1 */
  int at;           /* replications it had when eliminated (the selected: the final count);
                     * -1 = never: still in when the cap was reached */
  double mean;      /* its mean then, the metric's unit */
  int best;         /* the best other survivor then (by mean); -1 = none */
  double best_mean; /* that one's mean then */
} gp_select_row;

typedef struct gp_select_result {
  int k;
  int selected;      /* the system chosen: the last survivor, or (cap) the best mean */
  int guaranteed;    /* 1 = one survivor left; 0 = the cap was reached with several */
  int reps;          /* replications of the last survivors (the final count) */
  long long cost;    /* system-replications the procedure used (sum of every row's count) */
  long long sampled; /* system-replications drawn (>= cost: a batch runs past eliminations) */
  double eta, h2;    /* the procedure's constants */
  int n0, max_reps;
  double pcs;
  gp_select_row *rows; /* k: eliminated systems in order of elimination (ties by index), then
                        * the survivors at the cap (if any), the selected last */
} gp_select_result;

/* KN's eta = ((2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1) / 2 (Kim and Nelson
 * 2001, with c = 1); h2 = 2 eta (n0 - 1). */
double gp_select_eta(int k, int n0, double alpha);

/* Run KN on SP into OUT.  0, or -1 with ERR set (bad spec: GP_EX_USAGE; a
 * NaN value: GP_EX_DATAERR; the sampler's errors as they are).  Reaching
 * the cap is not an error: OUT->guaranteed says so. */
int gp_select_kn(const gp_select_spec *sp, gp_select_result *out, gp_err *err);
void gp_select_result_free(gp_select_result *r);

/* KN over the policies of PLAN's single point, on summary METRIC (a
 * gp_stat_index value): SP's k is the point's policy count and its sample
 * and ctx are set here (replication r of each surviving policy through
 * measure.h, on THREADS threads per rank, MPI ranks too; every rank gets
 * the values and decides alike, only rank 0's OUT is meant to be shown). */
int gp_select_plan(const gp_plan *plan, int metric, int threads, gp_select_spec *sp,
                   gp_select_result *out, gp_err *err);

#endif /* GP_SELECT_H */
