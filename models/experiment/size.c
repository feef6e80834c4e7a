/*
 * models/experiment/size.c - the sizing procedure (see size.h): the search
 * over an evaluator, then the evaluator of a scenario, each candidate a
 * point of measure.h with the knob put in by gp_uncertain_apply; and what
 * it leaves, the /size file and the console report (at the end).
 *
 * Invariants: a (value, replications) pair is evaluated at most once (the
 * rows are a cache, searched before every evaluation); the bracket (bad,
 * good) always holds a value evaluated as failing and one evaluated as
 * meeting the target, at the replication count of the current stage; the
 * decisions read only the evaluations, which every MPI rank has alike.
 */
#include "models/experiment/size.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/experiment/writer.h"
#include "models/results/h5out.h"
#include "models/results/metrics.h"
#include "models/scenario/uncertain.h"
#include "sim/escape.h"
#include "sim/par.h"

const char *const gp_size_op_names[] = {"<=", ">=", NULL};
const char *const gp_size_status_names[] = {"found", "already_met", "not_met", NULL};

#define TAG_SIZE 0x737a

void gp_size_answer_free(gp_size_answer *a) {
  if (!a) return;
  free(a->evals);
  a->evals = NULL;
  a->nevals = a->cap = 0;
}

/* ---- the search ---- */

typedef struct search {
  const gp_size_search *sp;
  gp_size_eval_fn *eval;
  void *ctx;
  gp_size_answer *a;
  const char *knob, *metric;
} search;

/* The row of X at N replications, or -1. */
static int find(const search *st, double x, int n) {
  for (int i = 0; i < st->a->nevals; i++)
    if (st->a->evals[i].value == x && st->a->evals[i].reps == n) return i;
  return -1;
}

/* Evaluate the NX values X at N replications (those not yet evaluated, as
 * one batch, so that they run in parallel) and put their rows in ROWS. */
static int evaluate(search *st, const double *x, int nx, int n, int *rows, gp_err *err) {
  gp_size_answer *a = st->a;
  double todo[2];
  int ntodo = 0;
  for (int i = 0; i < nx; i++) {
    rows[i] = find(st, x[i], n);
    if (rows[i] < 0 && !(ntodo == 1 && todo[0] == x[i])) todo[ntodo++] = x[i];
  }
  if (ntodo == 0) return 0;
  if (a->nevals + ntodo > a->cap) {
    int cap = a->cap ? 2 * a->cap : 16;
    gp_size_eval *e = realloc(a->evals, (size_t)cap * sizeof *e);
    if (!e) return GP_ERR_NOMEM(err);
    a->evals = e;
    a->cap = cap;
  }
  double *y = malloc((size_t)ntodo * (size_t)n * sizeof *y);
  if (!y) return GP_ERR_NOMEM(err);
  if (st->eval(st->ctx, todo, ntodo, n, y, err)) {
    free(y);
    return -1;
  }
  double t = gsl_cdf_tdist_Pinv(st->sp->confidence, (double)(n - 1));
  for (int i = 0; i < ntodo; i++) {
    const double *v = y + (size_t)i * (size_t)n;
    double sum = 0, ss = 0;
    for (int r = 0; r < n; r++) {
      if (isnan(v[r])) {
        free(y);
        return GP_ERR(err, GP_EX_DATAERR,
                      "size: %s is NaN in replication %d at %s = %.17g (a mean over nothing): "
                      "choose a metric every replication defines",
                      st->metric, r, st->knob, todo[i]);
      }
      sum += v[r];
    }
    double mean = sum / n;
    for (int r = 0; r < n; r++) ss += (v[r] - mean) * (v[r] - mean);
    double half = t * sqrt(ss / (n - 1) / n);
    gp_size_eval *e = &a->evals[a->nevals++];
    *e = (gp_size_eval){todo[i], n, mean, mean - half, mean + half, 0};
    e->meets = st->sp->op == GP_SIZE_LE ? e->hi <= st->sp->target : e->lo >= st->sp->target;
  }
  free(y);
  for (int i = 0; i < nx; i++) rows[i] = find(st, x[i], n);
  return 0;
}

static int meets(const search *st, int row) { return st->a->evals[row].meets; }

/* The value halfway between A and B (integers: a whole value strictly
 * between them, when there is one). */
static double middle(const search *st, double a, double b) {
  double m = a + (b - a) / 2;
  return st->sp->integer ? floor(m) : m;
}

/* Bisect (*BAD, *GOOD) at N replications until they are adjacent. */
static int bisect(search *st, double *bad, double *good, int n, gp_err *err) {
  while (fabs(*good - *bad) > st->a->tol) {
    double m = middle(st, *bad, *good);
    if (m == *bad || m == *good) break; /* reals: no double between them */
    int row;
    if (evaluate(st, &m, 1, n, &row, err)) return -1;
    if (meets(st, row)) *good = m;
    else *bad = m;
  }
  return 0;
}

/* The values evaluated at K replications strictly beyond FROM toward END
 * (and END itself, last), nearest first, into OUT (room for nevals + 1). */
static int beyond(const search *st, double from, double end, int k, double *out) {
  int n = 0;
  double dir = end > from ? 1 : -1;
  for (int i = 0; i < st->a->nevals; i++) {
    const gp_size_eval *e = &st->a->evals[i];
    if (e->reps == k && (e->value - from) * dir > 0 && (end - e->value) * dir > 0) {
      int j = n++;
      for (; j > 0 && fabs(out[j - 1] - from) > fabs(e->value - from); j--) out[j] = out[j - 1];
      out[j] = e->value;
    }
  }
  out[n++] = end;
  return n;
}

/* Walk from FROM toward END through the values BEYOND gives, at N
 * replications, until one's verdict is WANT: *FOUND gets it, *LAST the
 * value before it (FROM at first).  0 with *FOUND NaN when none is. */
static int walk(search *st, double from, double end, int want, int n, double *found,
                double *last, gp_err *err) {
  double *cand = malloc((size_t)(st->a->nevals + 1) * sizeof *cand);
  if (!cand) return GP_ERR_NOMEM(err);
  int nc = beyond(st, from, end, st->sp->reps, cand), rc = 0;
  *found = NAN;
  *last = from;
  for (int i = 0; i < nc && isnan(*found); i++) {
    int row;
    if ((rc = evaluate(st, &cand[i], 1, n, &row, err))) break;
    if (meets(st, row) == want) *found = cand[i];
    else *last = cand[i];
  }
  free(cand);
  return rc;
}

/* The first pair of evaluated means, at one replication count, that goes
 * against the direction, into the warning. */
static void check_monotone(search *st) {
  gp_size_answer *a = st->a;
  a->monotone = 1;
  a->warning[0] = '\0';
  if (a->direction == 0) return;
  for (int i = 0; i < a->nevals && a->monotone; i++)
    for (int j = 0; j < a->nevals && a->monotone; j++) {
      const gp_size_eval *p = &a->evals[i], *q = &a->evals[j];
      if (p->reps != q->reps || !(p->value < q->value)) continue;
      if ((q->mean - p->mean) * a->direction < 0) {
        a->monotone = 0;
        snprintf(a->warning, sizeof a->warning,
                 "the evaluated means are not monotone: %s is %.6g at %s = %.10g but %.6g at "
                 "%.10g (%d replications)",
                 st->metric, p->mean, st->knob, p->value, q->mean, q->value, p->reps);
      }
    }
}

static int check_search(const gp_size_search *sp, gp_err *err) {
  if (!(sp->lo < sp->hi) || !isfinite(sp->lo) || !isfinite(sp->hi))
    return GP_ERR(err, GP_EX_USAGE, "size: --range: expected LO < HI, found %g:%g", sp->lo,
                  sp->hi);
  if (sp->integer && (sp->lo != floor(sp->lo) || sp->hi != floor(sp->hi)))
    return GP_ERR(err, GP_EX_USAGE,
                  "size: --range: with --integer, expected whole numbers, found %g:%g", sp->lo,
                  sp->hi);
  if (!sp->integer && sp->tol > 0 && !(sp->tol < sp->hi - sp->lo))
    return GP_ERR(err, GP_EX_USAGE, "size: --tol: expected less than HI - LO = %g, found %g",
                  sp->hi - sp->lo, sp->tol);
  if (!(sp->confidence > 0 && sp->confidence < 1))
    return GP_ERR(err, GP_EX_USAGE, "size: --confidence: expected a fraction in (0, 1), found %g",
                  sp->confidence);
  if (sp->reps < 2 || (sp->confirm_reps && sp->confirm_reps < sp->reps))
    return GP_ERR(err, GP_EX_USAGE,
                  "size: --reps: expected at least 2 (and a confirmation of at least as many), "
                  "found %d",
                  sp->reps);
  if (!isfinite(sp->target))
    return GP_ERR(err, GP_EX_USAGE, "size: --target: expected a finite number");
  return 0;
}

int gp_size_search_run(const gp_size_search *sp, gp_size_eval_fn *eval, void *ctx,
                       gp_size_answer *a, gp_err *err) {
  memset(a, 0, sizeof *a);
  a->answer = a->neighbour = NAN;
  a->answer_row = a->neighbour_row = a->edge_row = -1;
  a->monotone = 1;
  if (check_search(sp, err)) return -1;
  search st = {sp, eval, ctx, a, sp->knob ? sp->knob : "the knob",
               sp->metric ? sp->metric : "the metric"};
  int k = sp->reps, n = sp->confirm_reps ? sp->confirm_reps : 4 * sp->reps;
  if (n / 4 != sp->reps && !sp->confirm_reps) n = sp->reps; /* 4K overflows: no more */
  a->confirm_reps = n;
  a->tol = sp->integer ? 1 : sp->tol > 0 ? sp->tol : (sp->hi - sp->lo) / 100;
  double ends[2] = {sp->lo, sp->hi};
  int er[2];
  if (evaluate(&st, ends, 2, k, er, err)) return -1;
  const gp_size_eval *L = &a->evals[er[0]], *H = &a->evals[er[1]];
  a->direction = H->mean < L->mean ? -1 : H->mean > L->mean ? 1 : 0;
  /* The end that meets the target is the far one; the means decide when
   * neither or both do (a "<=" target on a decreasing metric is met
   * toward hi). */
  if (L->meets != H->meets) a->toward_hi = H->meets;
  else a->toward_hi = sp->op == GP_SIZE_LE ? a->direction <= 0 : a->direction >= 0;
  double near = a->toward_hi ? sp->lo : sp->hi, far = a->toward_hi ? sp->hi : sp->lo;
  int near_row = a->toward_hi ? er[0] : er[1], far_row = a->toward_hi ? er[1] : er[0];
  if (meets(&st, near_row)) {
    a->status = GP_SIZE_ALREADY_MET;
    a->edge_row = near_row;
  } else if (!meets(&st, far_row)) {
    a->status = GP_SIZE_NOT_MET;
    a->edge_row = far_row;
  } else {
    double bad = near, good = far;
    int cr[2];
    if (bisect(&st, &bad, &good, k, err)) return -1;
    double pair[2] = {good, bad};
    if (evaluate(&st, pair, 2, n, cr, err)) return -1;
    if (!meets(&st, cr[0]) || meets(&st, cr[1])) {
      double found, last;
      a->rebisected = 1;
      if (meets(&st, cr[1])) { /* the neighbour meets it: the answer lies nearer */
        if (walk(&st, bad, near, 0, n, &found, &last, err)) return -1;
        if (isnan(found)) {
          a->status = GP_SIZE_ALREADY_MET;
          a->edge_row = find(&st, near, n);
        }
        bad = found;
        good = last;
      } else { /* the answer fails: it lies farther */
        if (walk(&st, good, far, 1, n, &found, &last, err)) return -1;
        if (isnan(found)) {
          a->status = GP_SIZE_NOT_MET;
          a->edge_row = find(&st, far, n);
        }
        good = found;
        bad = last;
      }
      if (a->status == GP_SIZE_FOUND && bisect(&st, &bad, &good, n, err)) return -1;
    }
    if (a->status == GP_SIZE_FOUND) {
      a->answer = good;
      a->neighbour = bad;
      a->answer_row = find(&st, good, n);
      a->neighbour_row = find(&st, bad, n);
    }
  }
  check_monotone(&st);
  return 0;
}

/* ---- a scenario's evaluator ---- */

void gp_size_free(gp_size *r) {
  if (!r) return;
  gp_size_answer_free(&r->answer);
  gp_plan_free(r->plan);
  free(r);
}

/* What the evaluator needs: the scenario's text (gp_uncertain_text) and a
 * one-factor view of the scenario whose factor is the knob, so that
 * gp_uncertain_apply puts a candidate in as --set does. */
typedef struct scen_ctx {
  gp_size *r;
  const gp_size_spec *spec;
  char *text;
  size_t len;
  gp_uncertain knob;
  gp_scenario view;  /* *r->s with uncertain = &knob: borrowed fields only */
  const double *x;   /* the batch being evaluated */
} scen_ctx;

static gp_scenario *make_point(void *ctx, int k, gp_err *err) {
  const scen_ctx *sc = ctx;
  gp_err e;
  gp_err_clear(&e);
  gp_scenario *t = gp_uncertain_apply(&sc->view, sc->text, sc->len, &sc->x[k], &e);
  if (!t && e.code == GP_EX_DATAERR)
    GP_ERR(err, e.code, "size: %s = %.17g does not make a valid scenario%s: %s", sc->r->knob,
           sc->x[k], sc->spec->search.integer || sc->x[k] == floor(sc->x[k]) ? "" :
           " (a whole-number knob needs --integer)", e.msg);
  else if (!t)
    *err = e;
  return t;
}

/* Rank 0's Y (N doubles) on every rank: every rank takes the decisions. */
static int share(double *y, size_t n, gp_err *err) {
  int size = gp_par_size();
  if (size == 1) return 0;
  int rc = 0;
  if (gp_par_rank() == 0) {
    for (int dst = 1; dst < size && !rc; dst++)
      if (gp_par_send(y, n * sizeof *y, dst, TAG_SIZE))
        rc = GP_ERR(err, GP_EX_SOFTWARE, "size: rank 0 could not send the metric to rank %d",
                    dst);
  } else if (gp_par_recv(y, n * sizeof *y, 0, TAG_SIZE)) {
    rc = GP_ERR(err, GP_EX_SOFTWARE, "size: rank %d could not receive the metric",
                gp_par_rank());
  }
  if (gp_par_max(rc ? GP_EX_SOFTWARE : 0) && !rc)
    rc = GP_ERR(err, GP_EX_SOFTWARE, "size: another MPI rank failed");
  return rc;
}

static int eval_scenario(void *ctx, const double *x, int nx, int nreps, double *y, gp_err *err) {
  scen_ctx *sc = ctx;
  gp_size *r = sc->r;
  sc->x = x;
  gp_measure_spec ms = {.npoints = nx,
                        .nreps = nreps,
                        .npol = 1,
                        .metrics = &r->metric,
                        .nmetrics = 1,
                        .point = make_point,
                        .ctx = sc,
                        .threads = sc->spec->threads,
                        .progress = sc->spec->progress,
                        .progress_ctx = sc->spec->progress_ctx};
  double *m = gp_measure_run(&ms, err);
  if (!m && (gp_par_rank() == 0 || err->code)) return -1;
  size_t n = (size_t)nx * (size_t)nreps;
  if (m) memcpy(y, m, n * sizeof *y); /* point k, policy 0, replication r: k * nreps + r */
  free(m);
  r->policy_reps += (long long)n;
  return share(y, n, err);
}

/* The scenario, one policy, the knob's value; usage errors for what the
 * procedure cannot take. */
static int load(gp_size *r, const gp_size_spec *sp, gp_err *err) {
  if (sp->policy && strchr(sp->policy, ','))
    return GP_ERR(err, GP_EX_USAGE, "size: --policy: one policy, found \"%s\"", sp->policy);
  gp_plan_spec ps = {sp->path, GP_OVERRIDES_NONE, NULL, 0, sp->policy};
  ps.ov.seed = sp->seed;
  ps.ov.detail = 0;
  ps.ov.sets = sp->sets;
  ps.ov.nsets = sp->nsets;
  if (!(r->plan = gp_plan_load(&ps, err))) return -1;
  gp_scenario *s = r->plan->points[0].s;
  if (r->plan->npoints != 1 || r->plan->points[0].nsets)
    return GP_ERR(err, GP_EX_USAGE,
                  "size: %s has a \"sweep\" block: size varies one value of one scenario",
                  s->file);
  if (!sp->policy && s->npolicies > 1 && gp_scenario_select_policies(s, s->policies[0].name, err))
    return -1;
  r->s = s;
  r->policy = s->policies[0].name;
  r->policy_given = sp->policy != NULL;
  r->seed = s->seed;
  r->knob = sp->knob;
  r->metric = sp->metric;
  for (int i = 0; i < sp->nsets; i++) {
    size_t len = strlen(sp->knob);
    if (strncmp(sp->sets[i], sp->knob, len) == 0 && sp->sets[i][len] == '=')
      return GP_ERR(err, GP_EX_USAGE, "size: --set %s: the knob's value is the procedure's",
                    sp->sets[i]);
  }
  if (gp_uncertain_number(s, sp->knob, "--knob", &r->knob_value, err)) {
    if (strncmp(err->msg, "--knob", 6) == 0) { /* not located in a file: say whose */
      gp_err e = *err;
      gp_err_clear(err);
      GP_ERR(err, e.code, "size: %s", e.msg);
    }
    return -1;
  }
  return 0;
}

int gp_size_run(const gp_size_spec *sp, gp_size **out, gp_err *err) {
  *out = NULL;
  gp_stat_count();
  if (sp->metric < 0 || sp->metric >= gp_stat_nmetrics || !sp->knob)
    return GP_ERR(err, GP_EX_SOFTWARE, "size: no metric %d or no knob", sp->metric);
  gp_size *r = calloc(1, sizeof *r);
  if (!r) return GP_ERR_NOMEM(err);
  r->answer.evals = NULL;
  scen_ctx sc;
  memset(&sc, 0, sizeof sc);
  sc.r = r;
  sc.spec = sp;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int rc = load(r, sp, err);
  if (!rc && !(sc.text = gp_uncertain_text(r->s, &sc.len, err))) rc = -1;
  if (!rc) {
    sc.knob.path = sp->knob;
    sc.knob.note = "--knob";
    sc.knob.group = "";
    sc.view = *r->s;
    sc.view.uncertain = &sc.knob;
    sc.view.nuncertain = 1;
    sc.view.uncertain_dims = 1;
    r->search = sp->search;
    r->search.knob = sp->knob;
    r->search.metric = gp_stat_metric_names[sp->metric];
    rc = gp_size_search_run(&r->search, eval_scenario, &sc, &r->answer, err);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  r->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  free(sc.text);
  if (rc) {
    gp_size_free(r);
    return -1;
  }
  r->search.tol = r->answer.tol;
  r->search.confirm_reps = r->answer.confirm_reps;
  *out = r;
  return 0;
}

/* ---- what it leaves: the /size file (docs/output.md) and the console report ----
 *
 * Invariant: the file is written from the gp_size alone (no clock, no
 * thread count), so it is byte-identical under any number of threads or
 * MPI ranks; the evaluations' rows are in the order they were made. */

typedef struct eval_row {
  double value;
  int32_t reps;
  double mean, lo, hi;
  int32_t meets;
} eval_row;

static const char *direction_name(int d) {
  return d < 0 ? "decreasing" : d > 0 ? "increasing" : "flat";
}

static int write_group(gp_h5out *h, const gp_size *r, gp_err *err) {
  const gp_size_answer *a = &r->answer;
  const gp_size_search *sp = &r->search;
  const char *g = "/size", *unit = gp_stat_field(r->metric)->unit;
  const gp_field f[] = {
      GP_FIELD(eval_row, value, GP_F_DOUBLE, "the knob's", "the knob's value"),
      GP_FIELD(eval_row, reps, GP_F_INT32, "", "replications 0..reps-1 (the same worlds at "
                                                "every value)"),
      GP_FIELD(eval_row, mean, GP_F_DOUBLE, unit, "the metric's mean over the replications"),
      GP_FIELD(eval_row, lo, GP_F_DOUBLE, unit,
               "mean - t s / sqrt(reps): the one-sided lower bound at the confidence"),
      GP_FIELD(eval_row, hi, GP_F_DOUBLE, unit,
               "mean + t s / sqrt(reps): the one-sided upper bound at the confidence"),
      GP_FIELD(eval_row, meets, GP_F_INT32, "",
               "1: the bound on the target's side meets it (hi <= X for <=, lo >= X for >=)"),
  };
  gp_table_desc d = {"evaluations", sizeof(eval_row), f, (int)(sizeof f / sizeof f[0])};
  eval_row *rows = calloc((size_t)(a->nevals ? a->nevals : 1), sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  for (int i = 0; i < a->nevals; i++) {
    const gp_size_eval *e = &a->evals[i];
    rows[i] = (eval_row){e->value, e->reps, e->mean, e->lo, e->hi, e->meets};
  }
  int rc = gp_h5out_group(h, g, err) ||
           gp_h5out_attr_string(h, g, "status", gp_size_status_names[a->status], err) ||
           gp_h5out_attr_double(h, g, "answer", a->answer, err) ||
           gp_h5out_attr_double(h, g, "neighbour", a->neighbour, err) ||
           gp_h5out_attr_string(h, g, "knob", r->knob, err) ||
           gp_h5out_attr_double(h, g, "knob_value", r->knob_value, err) ||
           gp_h5out_attr_double(h, g, "range_lo", sp->lo, err) ||
           gp_h5out_attr_double(h, g, "range_hi", sp->hi, err) ||
           gp_h5out_attr_int(h, g, "integer", sp->integer, err) ||
           gp_h5out_attr_double(h, g, "tol", a->tol, err) ||
           gp_h5out_attr_string(h, g, "metric", gp_stat_metric_names[r->metric], err) ||
           gp_h5out_attr_string(h, g, "op", gp_size_op_names[sp->op], err) ||
           gp_h5out_attr_double(h, g, "target", sp->target, err) ||
           gp_h5out_attr_double(h, g, "confidence", sp->confidence, err) ||
           gp_h5out_attr_int(h, g, "reps", sp->reps, err) ||
           gp_h5out_attr_int(h, g, "confirm_reps", a->confirm_reps, err) ||
           gp_h5out_attr_string(h, g, "direction", direction_name(a->direction), err) ||
           gp_h5out_attr_string(h, g, "toward", a->toward_hi ? "hi" : "lo", err) ||
           gp_h5out_attr_string(h, g, "policy", r->policy, err) ||
           gp_h5out_attr_int(h, g, "rebisected", a->rebisected, err) ||
           gp_h5out_attr_string(h, g, "warning", a->warning, err) ||
           gp_h5out_table(h, "/size/evaluations", &d, rows, (size_t)a->nevals, err);
  free(rows);
  return rc ? -1 : 0;
}

int gp_size_write(const char *path, const gp_size *r, gp_err *err) {
  gp_h5out *h = gp_h5out_create(path, err);
  if (!h) return -1;
  if (gp_writer_root(h, r->plan, r->search.reps, 0, 1, r->search.reps, err) ||
      write_group(h, r, err)) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}

/* "KNOB = V: METRIC MEAN, C bounds [LO, HI], N replications". */
static void eval_line(FILE *f, const gp_size *r, const gp_size_eval *e) {
  fputs("  ", f);
  gp_escape_fputs(r->knob, f);
  fprintf(f, " = %.10g: mean %.6g, %g%% bounds [%.6g, %.6g], %d replications: %s\n", e->value,
          e->mean, 100 * r->search.confidence, e->lo, e->hi, e->reps,
          e->meets ? "meets the target" : "does not meet it");
}

void gp_size_summary(FILE *f, const gp_size *r, const char *path) {
  const gp_size_answer *a = &r->answer;
  const gp_size_search *sp = &r->search;
  const char *metric = gp_stat_metric_names[r->metric];
  fputs("size: ", f);
  gp_escape_fputs(r->knob, f);
  const char *unit = gp_stat_field(r->metric)->unit;
  fprintf(f, " in [%.10g, %.10g]%s (%.10g in the scenario); target %s %s %.10g (%s%s) with "
             "confidence %g; policy ",
          sp->lo, sp->hi, sp->integer ? ", whole values" : "", r->knob_value, metric,
          gp_size_op_names[sp->op], sp->target, strcmp(unit, "1") == 0 ? "a fraction" : "in ",
          strcmp(unit, "1") == 0 ? "" : unit, sp->confidence);
  gp_escape_fputs(r->policy, f);
  fprintf(f, "%s; seed %llu\n", r->policy_given ? "" : " (the scenario's first; --policy to choose)",
          (unsigned long long)r->seed);
  fprintf(f, "%s is %s from %.10g to %.10g (%d replications): the %s value that meets the target\n",
          metric, direction_name(a->direction), sp->lo, sp->hi, sp->reps,
          a->toward_hi ? "smallest" : "largest");
  if (a->status == GP_SIZE_FOUND) {
    fputs("\nanswer: ", f);
    gp_escape_fputs(r->knob, f);
    fprintf(f, " = %.10g\n", a->answer);
    eval_line(f, r, &a->evals[a->answer_row]);
    eval_line(f, r, &a->evals[a->neighbour_row]);
    if (a->rebisected)
      fprintf(f, "(the confirmation with %d replications disagreed with the bisection with %d: "
                 "searched again at %d)\n",
              a->confirm_reps, sp->reps, a->confirm_reps);
  } else {
    const gp_size_eval *e = &a->evals[a->edge_row];
    fprintf(f, "\nno answer in the range: %s at ",
            a->status == GP_SIZE_ALREADY_MET ? "already met" : "not met even");
    gp_escape_fputs(r->knob, f);
    fprintf(f, " = %.10g (%s)\n", e->value,
            e->value == sp->lo ? "LO" : "HI");
    eval_line(f, r, e);
  }
  fprintf(f, "\nevaluations, in order (%d; %lld policy-replications in %.1f s):\n", a->nevals,
          r->policy_reps, r->seconds);
  for (int i = 0; i < a->nevals; i++) eval_line(f, r, &a->evals[i]);
  if (a->warning[0]) fprintf(f, "\nwarning: %s\n", a->warning);
  if (path) {
    fputs("\nwritten to ", f);
    gp_escape_fputs(path, f);
    fputc('\n', f);
  }
}
