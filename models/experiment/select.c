/*
 * models/experiment/select.c - Kim and Nelson's fully sequential selection
 * of the best system (see select.h), and its sampler over a plan's
 * policies.
 *
 * Internally smaller is better: a maximised metric's values are negated
 * (v = sign * x), means are reported on the metric's own scale.  After
 * replication r, survivor i is eliminated when some other survivor l has
 * vbar_i(r) > vbar_l(r) + W_il(r), W_il(r) = max(0, delta / (2r) (h2 S2_il /
 * delta^2 - r)), every survivor judged against the set as it was before
 * replication r's eliminations (Kim and Nelson 2001, step "Screening").
 *
 * Invariant: the replication count r only grows one at a time and every
 * decision reads the sums up to r, never a value beyond it, so the batch
 * a value came in cannot change a decision.
 */
#include "models/experiment/select.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/experiment/measure.h"
#include "models/results/metrics.h"
#include "sim/par.h"

#define TAG_SELECT 0x736c

double gp_select_eta(int k, int n0, double alpha) {
  return 0.5 * (pow(2.0 * alpha / (double)(k - 1), -2.0 / (double)(n0 - 1)) - 1.0);
}

void gp_select_result_free(gp_select_result *r) {
  if (!r) return;
  free(r->rows);
  r->rows = NULL;
}

typedef struct kn {
  const gp_select_spec *sp;
  gp_select_result *out;
  double sign;     /* +1 minimise, -1 maximise: v = sign * x */
  double *sum;     /* k: sum of x over the replications so far */
  double *s2;      /* k x k: S2_il */
  int *alive;      /* k: 1 = survivor */
  int *elim;       /* k: scratch, eliminated at this replication */
  int nalive, nrows;
  struct timespec t0;
} kn;

static double kn_seconds(const kn *c) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - c->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - c->t0.tv_nsec);
}

/* The best survivor other than I (by its sum: all have the same count; ties:
 * the lower index), or -1. */
static int best_other(const kn *c, int i) {
  int best = -1;
  for (int l = 0; l < c->sp->k; l++)
    if (l != i && c->alive[l] && (best < 0 || c->sign * c->sum[l] < c->sign * c->sum[best]))
      best = l;
  return best;
}

static void add_row(kn *c, int i, int at, int r) {
  int b = best_other(c, i);
  c->out->rows[c->nrows++] = (gp_select_row){i, at, c->sum[i] / r, b, b >= 0 ? c->sum[b] / r : NAN};
}

/* Screen the survivors after replication R: every survivor against the set
 * as it stands, then the eliminated out, in index order. */
static void screen(kn *c, int r) {
  const gp_select_spec *sp = c->sp;
  int k = sp->k, nelim = 0;
  double d = sp->delta, h2 = c->out->h2;
  for (int i = 0; i < k; i++) {
    c->elim[i] = 0;
    if (!c->alive[i]) continue;
    double vi = c->sign * c->sum[i] / r;
    for (int l = 0; l < k && !c->elim[i]; l++) {
      if (l == i || !c->alive[l]) continue;
      double w = d / (2.0 * r) * (h2 * c->s2[(size_t)i * (size_t)k + (size_t)l] / (d * d) - r);
      if (w < 0) w = 0;
      if (vi > c->sign * c->sum[l] / r + w) c->elim[i] = 1;
    }
    nelim += c->elim[i];
  }
  if (!nelim) return;
  /* Rows before anyone leaves: each one's best competitor is from the set
   * that judged it. */
  for (int i = 0; i < k; i++)
    if (c->elim[i]) add_row(c, i, r, r);
  for (int i = 0; i < k; i++)
    if (c->elim[i]) {
      c->alive[i] = 0;
      c->nalive--;
    }
}

static int check_values(const double *x, int n, const int *sys, int nsys, int first, gp_err *err) {
  for (int j = 0; j < nsys; j++)
    for (int r = 0; r < n; r++)
      if (!isfinite(x[(size_t)j * (size_t)n + (size_t)r]))
        return GP_ERR(err, GP_EX_DATAERR, "select: system %d has no finite value on replication %d",
                      sys[j], first + r);
  return 0;
}

static int check_spec(const gp_select_spec *sp, gp_err *err) {
  if (sp->k < 2) return GP_ERR(err, GP_EX_USAGE, "select: %d system(s): it needs at least 2", sp->k);
  if (sp->n0 < 2) return GP_ERR(err, GP_EX_USAGE, "select: n0 = %d: it needs at least 2", sp->n0);
  if (!(sp->delta > 0) || !isfinite(sp->delta))
    return GP_ERR(err, GP_EX_USAGE, "select: delta = %g: expected a number > 0", sp->delta);
  if (!(sp->pcs > 1.0 / sp->k && sp->pcs < 1))
    return GP_ERR(err, GP_EX_USAGE, "select: pcs = %g: expected a probability in (1/%d, 1)",
                  sp->pcs, sp->k);
  if (sp->max_reps < sp->n0)
    return GP_ERR(err, GP_EX_USAGE, "select: max_reps = %d is below n0 = %d", sp->max_reps,
                  sp->n0);
  if (!sp->sample) return GP_ERR(err, GP_EX_SOFTWARE, "select: no sampler");
  return 0;
}

/* The first stage's N0 values of every system (X, k x n0) into the sums
 * and S2_il, the sample variance of x_i - x_l (divisor n0 - 1). */
static void first_stage(kn *c, const double *x, int n0) {
  int k = c->sp->k;
  for (int i = 0; i < k; i++) {
    c->sum[i] = 0;
    for (int r = 0; r < n0; r++) c->sum[i] += x[(size_t)i * (size_t)n0 + (size_t)r];
  }
  for (int i = 0; i < k; i++)
    for (int l = 0; l < k; l++) {
      double md = (c->sum[i] - c->sum[l]) / n0, ss = 0;
      for (int r = 0; r < n0; r++) {
        double dv = x[(size_t)i * (size_t)n0 + (size_t)r] - x[(size_t)l * (size_t)n0 + (size_t)r] - md;
        ss += dv * dv;
      }
      c->s2[(size_t)i * (size_t)k + (size_t)l] = ss / (n0 - 1);
    }
}

static int run_kn(kn *c, gp_err *err) {
  const gp_select_spec *sp = c->sp;
  gp_select_result *out = c->out;
  int k = sp->k, n0 = sp->n0, batch = sp->batch > 0 ? sp->batch : 1;
  int cap = batch > n0 ? batch : n0;
  double *x = malloc((size_t)k * (size_t)cap * sizeof *x);
  int *sys = malloc((size_t)k * sizeof *sys);
  if (!x || !sys) {
    free(x);
    free(sys);
    return GP_ERR_NOMEM(err);
  }
  for (int i = 0; i < k; i++) sys[i] = i;
  int rc = sp->sample(sp->ctx, 0, n0, sys, k, x, err) || check_values(x, n0, sys, k, 0, err);
  int r = n0, bn = 0, bpos = 0, nsys = 0;
  if (!rc) {
    out->sampled = (long long)k * n0;
    first_stage(c, x, n0);
    screen(c, r);
  }
  while (!rc && c->nalive > 1 && r < sp->max_reps) {
    if (bpos == bn) { /* the next batch, for the survivors as they are now */
      bn = sp->max_reps - r < batch ? sp->max_reps - r : batch;
      nsys = 0;
      for (int i = 0; i < k; i++)
        if (c->alive[i]) sys[nsys++] = i;
      if (sp->sample(sp->ctx, r, bn, sys, nsys, x, err) ||
          check_values(x, bn, sys, nsys, r, err)) {
        rc = -1;
        break;
      }
      out->sampled += (long long)nsys * bn;
      bpos = 0;
    }
    for (int j = 0; j < nsys; j++)
      if (c->alive[sys[j]]) c->sum[sys[j]] += x[(size_t)j * (size_t)bn + (size_t)bpos];
    bpos++;
    r++;
    screen(c, r);
    if (sp->progress) {
      long long cost = (long long)c->nalive * r;
      for (int j = 0; j < c->nrows; j++) cost += out->rows[j].at;
      sp->progress(sp->progress_ctx, r, c->nalive, k, cost, kn_seconds(c));
    }
  }
  free(x);
  free(sys);
  if (rc) return -1;
  out->reps = r;
  out->guaranteed = c->nalive == 1;
  /* The selected: the last survivor, or at the cap the best mean of those
   * left (ties: the lower index). */
  int sel = -1;
  for (int i = 0; i < k; i++)
    if (c->alive[i] && (sel < 0 || c->sign * c->sum[i] < c->sign * c->sum[sel])) sel = i;
  out->selected = sel;
  for (int i = 0; i < k; i++)
    if (c->alive[i] && i != sel) add_row(c, i, -1, r);
  if (c->nalive == 1) {
    /* Its competitor: the best of those the last screening removed. */
    int b = -1;
    for (int j = 0; j < c->nrows; j++)
      if (c->out->rows[j].at == r &&
          (b < 0 || c->sign * c->out->rows[j].mean < c->sign * c->out->rows[b].mean))
        b = j;
    c->out->rows[c->nrows++] = (gp_select_row){sel, r, c->sum[sel] / r, b >= 0 ? out->rows[b].system : -1,
                                               b >= 0 ? out->rows[b].mean : NAN};
  } else {
    add_row(c, sel, r, r);
  }
  out->cost = 0;
  for (int j = 0; j < k; j++) out->cost += out->rows[j].at >= 0 ? out->rows[j].at : r;
  return 0;
}

int gp_select_kn(const gp_select_spec *sp0, gp_select_result *out, gp_err *err) {
  memset(out, 0, sizeof *out);
  gp_select_spec sp = *sp0;
  if (sp.n0 == 0) sp.n0 = GP_SELECT_N0;
  if (sp.pcs == 0) sp.pcs = GP_SELECT_PCS;
  if (sp.max_reps == 0) sp.max_reps = GP_SELECT_MAX_REPS;
  if (check_spec(&sp, err)) return -1;
  out->k = sp.k;
  out->n0 = sp.n0;
  out->max_reps = sp.max_reps;
  out->pcs = sp.pcs;
  out->eta = gp_select_eta(sp.k, sp.n0, 1 - sp.pcs);
  out->h2 = 2 * out->eta * (sp.n0 - 1);
  out->selected = -1;
  kn c;
  memset(&c, 0, sizeof c);
  c.sp = &sp;
  c.out = out;
  c.sign = sp.maximize ? -1 : 1;
  c.nalive = sp.k;
  clock_gettime(CLOCK_MONOTONIC, &c.t0);
  size_t k = (size_t)sp.k;
  c.sum = calloc(k, sizeof *c.sum);
  c.s2 = calloc(k * k, sizeof *c.s2);
  c.alive = malloc(k * sizeof *c.alive);
  c.elim = calloc(k, sizeof *c.elim);
  out->rows = calloc(k, sizeof *out->rows);
  int rc = !c.sum || !c.s2 || !c.alive || !c.elim || !out->rows ? GP_ERR_NOMEM(err) : 0;
  if (!rc) {
    for (int i = 0; i < sp.k; i++) c.alive[i] = 1;
    rc = run_kn(&c, err);
  }
  free(c.sum);
  free(c.s2);
  free(c.alive);
  free(c.elim);
  if (rc) gp_select_result_free(out);
  return rc ? -1 : 0;
}

/* ---- the sampler over a plan's policies ---- */

typedef struct plan_sampler {
  const gp_scenario *s; /* the plan's point 0 */
  int metric, threads;
  gp_scenario view;     /* S with only the asked policies (a shallow copy: borrows everything) */
  gp_policy_spec *pol;  /* the view's policies */
} plan_sampler;

static gp_scenario *view_point(void *ctx, int k, gp_err *err) {
  (void)k;
  (void)err;
  return &((plan_sampler *)ctx)->view;
}

static void view_release(void *ctx, int k, gp_scenario *s) {
  (void)ctx;
  (void)k;
  (void)s; /* the sampler's */
}

/* Rank 0's X to every other rank, so that every rank decides alike. */
static int share(double *x, size_t n, gp_err *err) {
  int rank = gp_par_rank(), size = gp_par_size();
  if (size == 1) return 0;
  if (rank != 0)
    return gp_par_recv(x, n * sizeof *x, 0, TAG_SELECT)
               ? GP_ERR(err, GP_EX_SOFTWARE, "rank %d: could not receive the values", rank)
               : 0;
  for (int dst = 1; dst < size; dst++)
    if (gp_par_send(x, n * sizeof *x, dst, TAG_SELECT))
      return GP_ERR(err, GP_EX_SOFTWARE, "rank 0: could not send the values to rank %d", dst);
  return 0;
}

static int plan_sample(void *ctx, int first, int n, const int *sys, int nsys, double *x,
                       gp_err *err) {
  plan_sampler *ps = ctx;
  ps->view = *ps->s;
  for (int j = 0; j < nsys; j++) ps->pol[j] = ps->s->policies[sys[j]];
  ps->view.policies = ps->pol;
  ps->view.npolicies = nsys;
  gp_measure_spec ms;
  memset(&ms, 0, sizeof ms);
  ms.npoints = 1;
  ms.nreps = n;
  ms.npol = nsys;
  ms.metrics = &ps->metric;
  ms.nmetrics = 1;
  ms.point = view_point;
  ms.release = view_release;
  ms.ctx = ps;
  ms.threads = ps->threads;
  ms.first_rep = first;
  double *y = gp_measure_run(&ms, err);
  if (!y && err->code) return -1;
  size_t nv = (size_t)nsys * (size_t)n;
  if (y) /* rank 0: one point, one metric: the matrix is X's layout */
    memcpy(x, y, nv * sizeof *x);
  free(y);
  if (share(x, nv, err)) return -1;
  for (int j = 0; j < nsys; j++)
    for (int r = 0; r < n; r++)
      if (isnan(x[(size_t)j * (size_t)n + (size_t)r]))
        return GP_ERR(err, GP_EX_DATAERR,
                      "policy %s: %s is undefined (NaN) on replication %d; select needs a "
                      "value on every replication (choose another metric)",
                      ps->s->policies[sys[j]].name, gp_stat_metric_names[ps->metric], first + r);
  return 0;
}

int gp_select_plan(const gp_plan *plan, int metric, int threads, gp_select_spec *sp,
                   gp_select_result *out, gp_err *err) {
  memset(out, 0, sizeof *out);
  if (plan->npoints != 1)
    return GP_ERR(err, GP_EX_USAGE, "select: a scenario without a sweep (it has %d points)",
                  plan->npoints);
  gp_stat_count();
  if (metric < 0 || metric >= gp_stat_nmetrics)
    return GP_ERR(err, GP_EX_SOFTWARE, "select: no summary metric %d", metric);
  plan_sampler ps;
  memset(&ps, 0, sizeof ps);
  ps.s = plan->points[0].s;
  ps.metric = metric;
  ps.threads = threads;
  ps.pol = malloc((size_t)(ps.s->npolicies > 0 ? ps.s->npolicies : 1) * sizeof *ps.pol);
  if (!ps.pol) return GP_ERR_NOMEM(err);
  sp->k = ps.s->npolicies;
  sp->sample = plan_sample;
  sp->ctx = &ps;
  int rc = gp_select_kn(sp, out, err);
  sp->sample = NULL;
  sp->ctx = NULL;
  free(ps.pol);
  return rc;
}
