/*
 * tests/unit/test_measure.c - points run in memory (models/experiment/
 * measure.h): the matrix equals the runs played one by one, does not depend
 * on the number of threads, gives every point the same random numbers
 * (common random numbers), works over a gp_plan, and a failing point fails
 * the run with its message.  One point's replications cut into blocks
 * (fewer points than threads) give the same matrix under 1, 2, 3 or 5
 * threads, and first_rep = 5 gives replications 5.. of a run from 0.
 * The measure's runs are lean (gp_runner_set_lean) unless a metric is one
 * of the tail and equity metrics: a lean run's summary is the full run's
 * in every field but those, which are NaN, and a tail metric's matrix is
 * the runs played one by one.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/measure.h"
#include "models/experiment/plan.h"
#include "models/results/metrics.h"
#include "models/run/run.h"
#include "sim/err.h"
#include "tests/test.h"

#define SMALL "tests/uncertain/small.json"
#define NPTS 5
#define NREPS 3

/* Point k: the small scenario; point FAIL_AT (if >= 0) fails. */
typedef struct ctx {
  int fail_at;
} ctx;

static gp_scenario *point(void *c, int k, gp_err *err) {
  if (k == ((ctx *)c)->fail_at) {
    GP_ERR(err, GP_EX_DATAERR, "point %d: made to fail", k);
    return NULL;
  }
  return gp_scenario_load(SMALL, NULL, err);
}

static int metrics[3];

static void spec_of(gp_measure_spec *sp, ctx *c, int threads) {
  gp_stat_count();
  metrics[0] = gp_stat_index("proposals");
  metrics[1] = gp_stat_index("mean_days_to_gpu");
  metrics[2] = gp_stat_index("subsidy_krw");
  memset(sp, 0, sizeof *sp);
  sp->npoints = NPTS;
  sp->nreps = NREPS;
  sp->npol = 2;
  sp->metrics = metrics;
  sp->nmetrics = 3;
  sp->point = point;
  sp->ctx = c;
  sp->threads = threads;
}

/* Point 0 of Y (spec SP over the small scenario) holds each metric of the
 * runs played one by one (gp_run_policy), bit for bit; returns how many of
 * those values are numbers. */
static int as_played(const gp_measure_spec *sp, const double *y) {
  gp_err e;
  gp_err_clear(&e);
  gp_scenario *s = gp_scenario_load(SMALL, NULL, &e);
  ASSERT(s != NULL);
  ASSERT_EQ(s->npolicies, 2);
  int numbers = 0;
  for (int r = 0; r < NREPS; r++) {
    gp_world *w = gp_world_new(s, r, &e);
    ASSERT(w != NULL);
    for (int p = 0; p < 2; p++) {
      gp_run_out out;
      ASSERT_EQ(gp_run_policy(s, w, p, 0, &out, &e), 0);
      for (int m = 0; m < sp->nmetrics; m++) {
        const gp_field *f = gp_stat_field(sp->metrics[m]);
        double want = gp_field_get(f, &out.summary), got = y[gp_measure_at(sp, 0, p, r, m)];
        if (memcmp(&got, &want, sizeof got) != 0)
          TEST_FAIL_("%s, policy %d, replication %d: %.17g, played %.17g", f->name, p, r, got, want);
        numbers += !isnan(want);
      }
      gp_run_out_free(&out);
    }
    gp_world_free(w);
  }
  gp_scenario_free(s);
  return numbers;
}

static void same_as_played(void) {
  ctx c = {-1};
  gp_measure_spec sp;
  spec_of(&sp, &c, 1);
  gp_err e;
  gp_err_clear(&e);
  ASSERT(metrics[0] >= 0 && metrics[1] >= 0 && metrics[2] >= 0);
  double *y = gp_measure_run(&sp, &e);
  ASSERT(y != NULL);
  ASSERT_EQ(as_played(&sp, y), 3 * 2 * NREPS);
  /* Common random numbers: the same scenario at every point, the same
   * values; replications differ. */
  for (int k = 1; k < NPTS; k++)
    for (int p = 0; p < 2; p++)
      for (int r = 0; r < NREPS; r++)
        for (int m = 0; m < 3; m++)
          ASSERT(memcmp(&y[gp_measure_at(&sp, k, p, r, m)], &y[gp_measure_at(&sp, 0, p, r, m)],
                        sizeof(double)) == 0);
  ASSERT(y[gp_measure_at(&sp, 0, 0, 0, 0)] != y[gp_measure_at(&sp, 0, 0, 1, 0)] ||
         y[gp_measure_at(&sp, 0, 0, 0, 2)] != y[gp_measure_at(&sp, 0, 0, 1, 2)]);
  free(y);
}

static void threads_alike(void) {
  ctx c = {-1};
  gp_measure_spec a, b;
  spec_of(&a, &c, 1);
  spec_of(&b, &c, 3);
  gp_err e;
  gp_err_clear(&e);
  double *ya = gp_measure_run(&a, &e), *yb = gp_measure_run(&b, &e);
  ASSERT(ya != NULL && yb != NULL);
  ASSERT(memcmp(ya, yb, (size_t)NPTS * 2 * NREPS * 3 * sizeof *ya) == 0);
  free(ya);
  free(yb);
}

/* Progress: called once per point, then once final, with the count of
 * policy-replications. */
static int calls, finals, bad_total;
static long long last_reps;
static void progress(void *c, int done, int total, long long reps, double seconds, int final) {
  (void)c;
  (void)done;
  (void)seconds;
  /* No ASSERT here: it would jump out of a worker thread. */
  bad_total += total != NPTS;
  calls++;
  finals += final;
  last_reps = reps;
}

static void over_a_plan_with_progress(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_scenario *base = gp_scenario_load(SMALL, NULL, &e);
  gp_plan *pl = gp_plan_new(base, &e);
  ASSERT(pl != NULL);
  for (int k = 0; k < NPTS; k++) ASSERT_EQ(gp_plan_add(pl, gp_scenario_load(SMALL, NULL, &e), NULL, 0, &e), 0);
  ctx c = {-1};
  gp_measure_spec sp, ref;
  spec_of(&sp, &c, 2);
  spec_of(&ref, &c, 2);
  gp_measure_plan(&sp, pl);
  ASSERT_EQ(sp.npoints, NPTS);
  ASSERT_EQ(sp.npol, 2);
  sp.progress = progress;
  double *y = gp_measure_run(&sp, &e), *yr = gp_measure_run(&ref, &e);
  ASSERT(y != NULL && yr != NULL);
  ASSERT(memcmp(y, yr, (size_t)NPTS * 2 * NREPS * 3 * sizeof *y) == 0);
  ASSERT_EQ(calls, NPTS + 1);
  ASSERT_EQ(finals, 1);
  ASSERT_EQ(bad_total, 0);
  ASSERT_EQ(last_reps, (long long)NPTS * NREPS * 2);
  /* The plan's scenarios are still there (borrowed, not freed). */
  ASSERT_EQ(pl->points[NPTS - 1].s->npolicies, 2);
  free(y);
  free(yr);
  gp_plan_free(pl);
}

/* One point, more threads than points: its replications are split over the
 * threads, and the matrix does not move. */
static void one_point_split(void) {
  ctx c = {-1};
  const int nreps = 7, threads[] = {1, 2, 3, 5};
  double *y[4];
  gp_measure_spec sp;
  gp_err e;
  gp_err_clear(&e);
  for (int t = 0; t < 4; t++) {
    spec_of(&sp, &c, threads[t]);
    sp.npoints = 1;
    sp.nreps = nreps;
    y[t] = gp_measure_run(&sp, &e);
    ASSERT(y[t] != NULL);
  }
  size_t n = (size_t)2 * (size_t)nreps * 3;
  for (size_t i = 0; i < n; i++) ASSERT(!isnan(y[0][i]));
  for (int t = 1; t < 4; t++) ASSERT(memcmp(y[0], y[t], n * sizeof *y[0]) == 0);
  for (int t = 0; t < 4; t++) free(y[t]);
}

/* first_rep = 5, 3 replications: replications 5, 6, 7 of a run of 8 from
 * 0, whatever the threads. */
static void from_a_replication(void) {
  ctx c = {-1};
  gp_measure_spec all, part;
  spec_of(&all, &c, 1);
  all.npoints = 2;
  all.nreps = 8;
  gp_err e;
  gp_err_clear(&e);
  double *ya = gp_measure_run(&all, &e);
  ASSERT(ya != NULL);
  for (int threads = 1; threads <= 3; threads++) {
    spec_of(&part, &c, threads);
    part.npoints = 2;
    part.nreps = 3;
    part.first_rep = 5;
    double *yp = gp_measure_run(&part, &e);
    ASSERT(yp != NULL);
    for (int k = 0; k < 2; k++)
      for (int p = 0; p < 2; p++)
        for (int r = 0; r < 3; r++)
          for (int m = 0; m < 3; m++)
            ASSERT(memcmp(&yp[gp_measure_at(&part, k, p, r, m)],
                          &ya[gp_measure_at(&all, k, p, 5 + r, m)], sizeof(double)) == 0);
    /* ... and not replications 0, 1, 2. */
    ASSERT(memcmp(&yp[gp_measure_at(&part, 0, 0, 0, 0)], &ya[gp_measure_at(&all, 0, 0, 0, 0)],
                  3 * 3 * sizeof(double)) != 0);
    free(yp);
  }
  part.first_rep = -1;
  ASSERT(gp_measure_run(&part, &e) == NULL);
  ASSERT_EQ(e.code, GP_EX_SOFTWARE);
  free(ya);
}

/* A lean runner's summary is the full runner's, bit for bit, in every field
 * but those gp_run_lean_omits names, which are NaN (a field tails.c
 * computes and the list forgot would differ here); it refuses detail. */
static void lean_runs_fill_what_they_say(void) {
  gp_err e;
  gp_err_clear(&e);
  gp_scenario *s = gp_scenario_load(SMALL, NULL, &e);
  ASSERT(s != NULL);
  gp_runner *full = gp_runner_new(s), *lean = gp_runner_new(s);
  ASSERT(full != NULL && lean != NULL);
  gp_runner_set_lean(lean, 1);
  int omitted = 0, computed = 0;
  for (int r = 0; r < NREPS; r++) {
    gp_world *w = gp_world_new(s, r, &e);
    ASSERT(w != NULL);
    for (int p = 0; p < s->npolicies; p++) {
      gp_run_out a, b;
      ASSERT_EQ(gp_runner_play(full, w, p, 0, &a, &e), 0);
      ASSERT_EQ(gp_runner_play(lean, w, p, 0, &b, &e), 0);
      ASSERT_EQ(a.events, b.events);
      /* (so that the comparison below is not of NaN with NaN alone) */
      ASSERT(!isnan(a.summary.p90_days_to_decision) && !isnan(a.summary.p90_days_to_gpu));
      for (int f = 0; f < gp_summary_desc.nfields; f++) {
        const gp_field *fd = &gp_summary_desc.fields[f];
        double x = gp_field_get(fd, &a.summary), y = gp_field_get(fd, &b.summary);
        if (gp_run_lean_omits(fd->offset)) {
          if (!isnan(y)) TEST_FAIL_("%s: %g in a lean run, not NaN", fd->name, y);
          omitted++;
          computed += !isnan(x);
        } else if (memcmp(&x, &y, sizeof x) != 0) {
          TEST_FAIL_("%s: %.17g in the full run, %.17g in the lean one", fd->name, x, y);
        }
      }
      gp_run_out_free(&a);
      gp_run_out_free(&b);
    }
    gp_world_free(w);
  }
  /* Six quantile fields (whole and five sectors) x 6, worst sector, capital
   * share, Gini, HHI. */
  ASSERT_EQ(omitted, 40 * NREPS * s->npolicies);
  ASSERT_GT(computed, 0);
  ASSERT(gp_run_lean_omits(offsetof(gp_summary_row, p90_days_to_gpu_academia)));
  ASSERT(!gp_run_lean_omits(offsetof(gp_summary_row, mean_days_to_gpu)));
  gp_world *w = gp_world_new(s, 0, &e);
  ASSERT(w != NULL);
  gp_run_out o;
  gp_err_clear(&e);
  ASSERT_EQ(gp_runner_play(lean, w, 0, 1, &o, &e), -1);
  ASSERT_EQ(e.code, GP_EX_SOFTWARE);
  gp_run_out_free(&o);
  gp_world_free(w);
  gp_runner_free(full);
  gp_runner_free(lean);
  gp_scenario_free(s);
}

/* A tail metric: the runs are full, and the matrix is theirs. */
static void tail_metric_as_played(void) {
  ctx c = {-1};
  gp_measure_spec sp;
  spec_of(&sp, &c, 2);
  metrics[1] = gp_stat_index("p90_days_to_gpu");
  metrics[2] = gp_stat_index("gini_gpu_hours_by_org");
  ASSERT(metrics[1] >= 0 && metrics[2] >= 0);
  sp.npoints = 1;
  gp_err e;
  gp_err_clear(&e);
  double *y = gp_measure_run(&sp, &e);
  ASSERT(y != NULL);
  ASSERT_GT(as_played(&sp, y), 2 * NREPS); /* proposals, and some of the tail metrics */
  free(y);
}

static void failing_point(void) {
  ctx c = {3};
  gp_measure_spec sp;
  spec_of(&sp, &c, 2);
  gp_err e;
  gp_err_clear(&e);
  ASSERT(gp_measure_run(&sp, &e) == NULL);
  ASSERT_EQ(e.code, GP_EX_DATAERR);
  ASSERT(strstr(e.msg, "point 3: made to fail") != NULL);
  /* A policy count the points do not have. */
  c.fail_at = -1;
  sp.npol = 3;
  gp_err_clear(&e);
  ASSERT(gp_measure_run(&sp, &e) == NULL);
  ASSERT_EQ(e.code, GP_EX_SOFTWARE);
}

int main(void) {
  RUN(same_as_played);
  RUN(threads_alike);
  RUN(over_a_plan_with_progress);
  RUN(one_point_split);
  RUN(from_a_replication);
  RUN(lean_runs_fill_what_they_say);
  RUN(tail_metric_as_played);
  RUN(failing_point);
  TEST_EXIT();
}
