/*
 * models/experiment/store.c - the results of one point, in memory (see
 * store.h), and the statistics read off them before they are written: the
 * roadmap risk, the roadmap as planned beside it, and the precision reached.
 *
 * Invariant: the detail array's stride is detail_cap, fixed at init; the
 * count of detailed replications the file gets (ndetail) may drop after an
 * interrupt, the stride never does (issue 16, item 1: indexing with the
 * lowered count read other policies' slots).
 */
#include "models/experiment/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/experiment/delivery.h"
#include "sim/stats.h"

int gp_store_init(gp_store *st, const gp_scenario *s, int cap_reps, gp_err *err) {
  memset(st, 0, sizeof *st);
  st->s = s;
  st->cap_reps = cap_reps;
  st->npol = s->npolicies;
  /* Of all it may run (issue 16, item 6: capped by the first batch, a
   * precision run kept fewer detailed replications than a plain run). */
  st->detail_cap = s->detail_reps < 0 || s->detail_reps > cap_reps ? cap_reps : s->detail_reps;
  st->ndetail = 0;
  st->norigins = (size_t)gp_scenario_norigins(s);
  st->nsamples = gp_run_nsamples(s);
  size_t npol = (size_t)st->npol, cap = (size_t)cap_reps;
  st->rep_ok = calloc(cap, 1);
  st->summary = calloc(npol * cap, sizeof *st->summary);
  st->detail = calloc(npol * (size_t)(st->detail_cap ? st->detail_cap : 1), sizeof *st->detail);
  st->calls = calloc(npol * cap * (st->norigins ? st->norigins : 1), sizeof *st->calls);
  st->roadmap = calloc(cap, sizeof *st->roadmap);
  st->online = calloc(cap * (size_t)(s->ntranches ? s->ntranches : 1), sizeof *st->online);
  if (!st->summary || !st->detail || !st->calls || !st->roadmap || !st->online || !st->rep_ok) {
    gp_store_free(st);
    return GP_ERR_NOMEM(err);
  }
  return 0;
}

void gp_store_free(gp_store *st) {
  if (st->detail)
    for (int p = 0; p < st->npol; p++)
      for (int r = 0; r < st->detail_cap; r++) gp_run_out_free(gp_store_detail(st, p, r));
  free(st->detail);
  free(st->summary);
  free(st->calls);
  free(st->roadmap);
  free(st->online);
  free(st->rep_ok);
  st->detail = NULL;
  st->summary = NULL;
  st->calls = NULL;
  st->roadmap = NULL;
  st->online = NULL;
  st->rep_ok = NULL;
}

void gp_store_ran(gp_store *st, int nreps) {
  st->nreps = nreps;
  st->ndetail = nreps < st->detail_cap ? nreps : st->detail_cap;
}

int gp_store_keep_complete(gp_store *st) {
  int n = 0;
  while (n < st->nreps && st->rep_ok[n]) n++;
  st->nreps = n;
  if (st->ndetail > n) st->ndetail = n;
  return n;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The quantiles at 10%, 50% and 90% of D[0..n) (sorted in place; "never"
 * as HUGE_VAL sorts last, so a quantile that falls on it is never: NaN). */
static void quantiles(double *d, int n, double *q10, double *q50, double *q90) {
  qsort(d, (size_t)n, sizeof *d, cmp_double);
  double *q[3] = {q10, q50, q90};
  double at[3] = {0.1, 0.5, 0.9};
  for (int j = 0; j < 3; j++) {
    double v = n > 0 ? d[(int)floor(at[j] * (n - 1) + 0.5)] : HUGE_VAL;
    *q[j] = isinf(v) ? NAN : v;
  }
}

/* The quantiles of the date each replication reaches the target with no
 * cap at the simulated end (its tranches' draws alone) into Q[3], using
 * D[st->nreps] as scratch. */
static void reached_ever(const gp_store *st, double *d, double q[3]) {
  for (int r = 0; r < st->nreps; r++) {
    double x = gp_delivery_reached(st->s, gp_store_online(st, r), 1);
    d[r] = x >= 0 ? x : HUGE_VAL;
  }
  quantiles(d, st->nreps, &q[0], &q[1], &q[2]);
}

void gp_store_roadmap_risk(const gp_store *st, gp_store_risk *r) {
  int n = st->nreps, k = 0;
  double *d = malloc((size_t)(n ? n : 1) * sizeof *d);
  for (int i = 0; i < n; i++) k += st->roadmap[i].reached_by_target;
  double z = 1.959963984540054, p = n ? (double)k / n : NAN;
  double den = 1 + z * z / n, mid = (p + z * z / (2.0 * n)) / den;
  double half = z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / den;
  r->p = p;
  r->lo = mid - half;
  r->hi = mid + half;
  r->q10 = r->q50 = r->q90 = r->ever[0] = r->ever[1] = r->ever[2] = NAN;
  r->planned_peak = gp_delivery_peak(st->s, NULL, 0);
  if (!d) return;
  reached_ever(st, d, r->ever);
  /* "Never" sorts last, so a quantile that falls on it is never. */
  for (int i = 0; i < n; i++)
    d[i] = !(st->roadmap[i].date_reached >= 0) ? HUGE_VAL : st->roadmap[i].date_reached;
  qsort(d, (size_t)n, sizeof *d, cmp_double);
  double *q[3] = {&r->q10, &r->q50, &r->q90};
  double at[3] = {0.1, 0.5, 0.9};
  for (int j = 0; j < 3 && n > 0; j++) {
    double v = d[(int)floor(at[j] * (n - 1) + 0.5)];
    *q[j] = isinf(v) ? NAN : v;
  }
  free(d);
}

int gp_store_roadmap_plan(const gp_store *st, gp_store_plan *pl, gp_roadmap_tranche_row *rows,
                          gp_err *err) {
  const gp_scenario *s = st->s;
  int n = st->nreps;
  double *d = malloc((size_t)(n ? n : 1) * sizeof *d);
  if (!d) return GP_ERR_NOMEM(err);
  double t = gp_delivery_reached(s, NULL, 0);
  pl->planned_at_target = gp_delivery_installed(s, NULL, 0, s->target_date);
  pl->planned_reached = t >= 0 ? t : NAN;
  pl->planned_peak = gp_delivery_peak(s, NULL, 0);
  pl->never_planned = s->target_gpus;
  pl->ended = pl->late = pl->ramping = 0;
  for (int i = 0; i < s->ntranches; i++) {
    const gp_tranche *tr = &s->tranches[i];
    gp_roadmap_tranche_row *row = &rows[i];
    gp_delivery_gap g;
    memset(row, 0, sizeof *row);
    row->tranche = i;
    row->planned_online = tr->online;
    row->agreement_end = isinf(tr->end) ? NAN : tr->end;
    for (int r = 0; r < n; r++) {
      gp_delivery_tranche(s, i, gp_store_online(st, r)[i], &g);
      row->late_gpus += g.late;
      row->ramping_gpus += g.ramping;
      row->late_share += g.late > 0;
    }
    gp_delivery_tranche(s, i, tr->online, &g); /* the plan's own figures */
    row->gpus = g.gpus;
    row->planned_at_target = g.planned_at_target;
    row->ended_by_target = g.ended;
    if (n) row->late_gpus /= n, row->ramping_gpus /= n, row->late_share /= n;
    else row->late_gpus = row->ramping_gpus = row->late_share = NAN;
    pl->never_planned -= g.planned_at_target + g.ended;
    pl->ended += g.ended;
    pl->late += row->late_gpus;
    pl->ramping += row->ramping_gpus;
  }
  double q[3];
  reached_ever(st, d, q);
  pl->q10 = q[0], pl->q50 = q[1], pl->q90 = q[2];
  free(d);
  return 0;
}

const char *const gp_store_precision_metrics[] = {"mean_days_to_gpu", "acceptance_rate",
                                                  "utilization", NULL};

static const gp_field *summary_field(const char *name) {
  for (int i = 0; i < gp_summary_desc.nfields; i++)
    if (strcmp(gp_summary_desc.fields[i].name, name) == 0) return &gp_summary_desc.fields[i];
  return NULL;
}

double gp_store_precision(const gp_store *st) {
  double worst = 0;
  for (int m = 0; gp_store_precision_metrics[m]; m++) {
    const gp_field *f = summary_field(gp_store_precision_metrics[m]);
    for (int p = 0; f && p < st->npol; p++) {
      gp_welford w = {0, 0, 0};
      for (int r = 0; r < st->nreps; r++) gp_welford_add(&w, gp_field_get(f, gp_store_summary(st, p, r)));
      gp_ci c = gp_welford_ci(&w, 0.95);
      if (c.n < 2) return HUGE_VAL;
      if (isnan(c.mean) || c.mean == 0) continue;
      double rel = c.half / fabs(c.mean);
      if (rel > worst) worst = rel;
    }
  }
  return worst;
}
