/*
 * models/experiment/experiment.c - run every policy x replication, write results (see
 * experiment.h).
 *
 * Workers take replication numbers from a shared counter; a replication's
 * results go to slots indexed by (policy, replication), never to a shared
 * list, so the output does not depend on which thread ran what or when.
 */
#include "models/experiment/experiment.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "models/scenario/date.h"
#include "models/results/h5out.h"
#include "models/rules/registry.h"
#include "models/run/run.h"
#include "sim/interrupt.h"
#include "sim/par.h"
#include "sim/stats.h"
#include "sim/version.h"

/* One sweep point's results; arrays are sized for cap_reps replications. */
typedef struct exp_state {
  const gp_scenario *s;
  int nreps, cap_reps, npol, ndetail;
  size_t nsamples;
  gp_summary_row *summary;  /* [policy][rep], rep < cap_reps */
  gp_call_row *calls;       /* [policy][rep][origin] */
  gp_run_out *detail;       /* [policy][rep < ndetail] */
  gp_roadmap_row *roadmap;  /* [rep] */
  /* The work queue of the batch being run: replications [next_rep, end_rep). */
  pthread_mutex_t *lock;
  int next_rep, end_rep;    /* guarded by lock */
  int *done, *total;        /* progress over the whole experiment; guarded by lock */
  int failed;               /* guarded by lock */
  gp_err err;               /* first failure; guarded by lock */
  int progress;
  struct timespec t0;
  int rank, size;           /* this process among the MPI ranks (0 of 1 without MPI) */
  unsigned char *rep_ok;    /* [rep]: 1 once computed here */
} exp_state;

static double elapsed(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* One updating line on a terminal: replications done, rate, time left. */
static void show_progress(const exp_state *x, int final) {
  double dt = elapsed(&x->t0);
  double rate = dt > 0 ? *x->done / dt : 0;
  double left = rate > 0 ? (*x->total - *x->done) / rate : 0;
  fprintf(stderr, "\r  replications %d/%d  %.1f/s  %.0f s left   ", *x->done, *x->total, rate,
          left);
  if (final) fputc('\n', stderr);
  fflush(stderr);
}

/* The roadmap row of replication REP from its world. */
static void roadmap_row(const gp_scenario *s, const gp_world *w, int rep, gp_roadmap_row *rr) {
  int target = s->target_gpus > 0;
  rr->rep = rep;
  rr->installed_at_target = target ? gp_world_installed_at(s, w, s->target_date, &rr->h100e_at_target) : NAN;
  if (!target) rr->h100e_at_target = NAN;
  rr->date_reached = gp_world_target_reached(s, w);
  rr->reached_by_target = rr->date_reached >= 0 && rr->date_reached <= s->target_date;
}

/* Take replications of this rank from the batch until none is left.  One
 * runner and one world per worker keep their arrays from one
 * policy-replication to the next. */
static void *worker(void *arg) {
  exp_state *x = arg;
  gp_runner *runner = gp_runner_new(x->s);
  gp_world *w = NULL;
  for (;;) {
    pthread_mutex_lock(x->lock);
    int rep = x->failed || gp_interrupted ? x->end_rep : x->next_rep++;
    pthread_mutex_unlock(x->lock);
    if (rep >= x->end_rep) break;
    if (rep % x->size != x->rank) continue; /* another rank's */
    gp_err err;
    gp_err_clear(&err);
    w = runner ? gp_world_renew(w, x->s, rep, &err) : NULL;
    if (!runner) GP_ERR_NOMEM(&err);
    if (w) roadmap_row(x->s, w, rep, &x->roadmap[rep]);
    for (int p = 0; w && p < x->npol && !err.code; p++) {
      int detail = rep < x->ndetail;
      gp_run_out out;
      if (gp_runner_play(runner, w, p, detail, &out, &err) != 0) break;
      size_t pr = (size_t)p * (size_t)x->cap_reps + (size_t)rep, no = (size_t)gp_scenario_norigins(x->s);
      x->summary[pr] = out.summary;
      if (no) memcpy(x->calls + pr * no, out.calls, no * sizeof *out.calls);
      if (detail) x->detail[(size_t)p * (size_t)x->ndetail + (size_t)rep] = out;
      else gp_run_out_free(&out);
    }
    pthread_mutex_lock(x->lock);
    /* A replication cut short by a signal is not a failure: it is dropped. */
    if (err.code && err.code < GP_EX_SIGNAL && !x->failed) {
      x->failed = 1;
      x->err = err;
    }
    x->rep_ok[rep] = !err.code;
    (*x->done)++;
    if (x->progress) show_progress(x, 0);
    pthread_mutex_unlock(x->lock);
  }
  gp_world_free(w);
  gp_runner_free(runner);
  return NULL;
}

/* ---- ranks (MPI) ----
 * Replication r belongs to rank r mod size.  After each batch, every other
 * rank sends rank 0 what it computed, replication by replication in order:
 * a status (with the error message when it failed), then the summary,
 * per-call and roadmap rows, then, for detailed replications, each policy's
 * proposal rows and time series.  Rank 0 then knows everything a
 * single-process run would, and writes the same file. */

enum { TAG_STATUS = 1, TAG_ROWS, TAG_DETAIL };

typedef struct rep_status {
  int32_t failed;
  int32_t code;
  char msg[sizeof(((gp_err *)0)->msg)];
} rep_status;

static int send_rep(exp_state *x, int rep) {
  size_t no = (size_t)gp_scenario_norigins(x->s), ns = gp_run_nseries(x->s) * x->nsamples;
  rep_status st;
  memset(&st, 0, sizeof st);
  st.failed = !x->rep_ok[rep];
  if (st.failed) {
    st.code = x->err.code ? x->err.code : GP_EX_SOFTWARE;
    snprintf(st.msg, sizeof st.msg, "rank %d: %.900s", x->rank, x->err.code ? x->err.msg : "not run");
  }
  if (gp_par_send(&st, sizeof st, 0, TAG_STATUS)) return -1;
  if (st.failed) return 0;
  for (int p = 0; p < x->npol; p++) {
    size_t pr = (size_t)p * (size_t)x->cap_reps + (size_t)rep;
    if (gp_par_send(&x->summary[pr], sizeof x->summary[pr], 0, TAG_ROWS) ||
        (no && gp_par_send(x->calls + pr * no, no * sizeof *x->calls, 0, TAG_ROWS)))
      return -1;
  }
  if (gp_par_send(&x->roadmap[rep], sizeof x->roadmap[rep], 0, TAG_ROWS)) return -1;
  for (int p = 0; rep < x->ndetail && p < x->npol; p++) {
    gp_run_out *o = &x->detail[(size_t)p * (size_t)x->ndetail + (size_t)rep];
    uint64_t n = o->nprops;
    if (gp_par_send(&n, sizeof n, 0, TAG_DETAIL) ||
        (n && gp_par_send(o->props, n * sizeof *o->props, 0, TAG_DETAIL)) ||
        gp_par_send(o->ts, ns * sizeof *o->ts, 0, TAG_DETAIL))
      return -1;
    gp_run_out_free(o); /* rank 0 has it now */
  }
  return 0;
}

static int recv_rep(exp_state *x, int rep, int from, gp_err *err) {
  size_t no = (size_t)gp_scenario_norigins(x->s), ns = gp_run_nseries(x->s) * x->nsamples;
  rep_status st;
  if (gp_par_recv(&st, sizeof st, from, TAG_STATUS))
    return GP_ERR(err, GP_EX_SOFTWARE, "MPI: lost contact with rank %d", from);
  if (st.failed) {
    st.msg[sizeof st.msg - 1] = '\0';
    return GP_ERR(err, st.code, "%s", st.msg);
  }
  for (int p = 0; p < x->npol; p++) {
    size_t pr = (size_t)p * (size_t)x->cap_reps + (size_t)rep;
    if (gp_par_recv(&x->summary[pr], sizeof x->summary[pr], from, TAG_ROWS) ||
        (no && gp_par_recv(x->calls + pr * no, no * sizeof *x->calls, from, TAG_ROWS)))
      return GP_ERR(err, GP_EX_SOFTWARE, "MPI: lost contact with rank %d", from);
  }
  if (gp_par_recv(&x->roadmap[rep], sizeof x->roadmap[rep], from, TAG_ROWS))
    return GP_ERR(err, GP_EX_SOFTWARE, "MPI: lost contact with rank %d", from);
  for (int p = 0; rep < x->ndetail && p < x->npol; p++) {
    gp_run_out *o = &x->detail[(size_t)p * (size_t)x->ndetail + (size_t)rep];
    uint64_t n;
    memset(o, 0, sizeof *o);
    if (gp_par_recv(&n, sizeof n, from, TAG_DETAIL))
      return GP_ERR(err, GP_EX_SOFTWARE, "MPI: lost contact with rank %d", from);
    o->nprops = (size_t)n;
    o->nsamples = x->nsamples;
    o->props = malloc((n ? n : 1) * sizeof *o->props);
    o->ts = malloc((ns ? ns : 1) * sizeof *o->ts);
    if (!o->props || !o->ts) return GP_ERR_NOMEM(err);
    if ((n && gp_par_recv(o->props, n * sizeof *o->props, from, TAG_DETAIL)) ||
        gp_par_recv(o->ts, ns * sizeof *o->ts, from, TAG_DETAIL))
      return GP_ERR(err, GP_EX_SOFTWARE, "MPI: lost contact with rank %d", from);
  }
  return 0;
}

/* Bring replications [from, to) to rank 0.  Returns 0 on every rank when
 * every replication succeeded; -1 on every rank otherwise (rank 0 has the
 * message in X->err). */
static int gather(exp_state *x, int from, int to) {
  if (x->size == 1) return x->failed ? -1 : 0;
  int bad = 0;
  for (int rep = from; rep < to; rep++) {
    int owner = rep % x->size;
    if (owner == 0) continue;
    if (x->rank == owner) bad |= send_rep(x, rep) != 0;
    else if (x->rank == 0 && !bad) {
      gp_err e;
      gp_err_clear(&e);
      if (recv_rep(x, rep, owner, &e)) {
        bad = 1;
        if (!x->failed) x->err = e;
        x->failed = 1;
      }
    }
  }
  /* Rank 0 reads every message even after a failure, so nobody blocks;
   * then everybody learns whether the batch failed. */
  return gp_par_max(x->failed || bad) ? -1 : 0;
}

/* ---- output ---- */

static int write_policy(gp_h5out *h, const char *prefix, const exp_state *x, int p, gp_err *err) {
  const gp_scenario *s = x->s;
  const gp_policy_spec *ps = &s->policies[p];
  char base[512], path[600], tpath[600], rpath[600];
  snprintf(base, sizeof base, "%s/policies/%s", prefix, ps->name);
  if (gp_h5out_group(h, base, err) ||
      gp_h5out_attr_string(h, base, "selection", ps->selection->name, err) ||
      gp_h5out_attr_string(h, base, "scheduling", ps->scheduling->name, err))
    return -1;
  snprintf(path, sizeof path, "%s/summary", base);
  if (gp_h5out_table(h, path, &gp_summary_desc, x->summary + (size_t)p * (size_t)x->cap_reps,
                     (size_t)x->nreps, err))
    return -1;

  /* Per-proposal rows of the detailed replications, in replication order. */
  size_t nrows = 0;
  for (int r = 0; r < x->ndetail; r++) nrows += x->detail[(size_t)p * (size_t)x->ndetail + (size_t)r].nprops;
  gp_proposal_row *rows = malloc((nrows ? nrows : 1) * sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  size_t k = 0;
  for (int r = 0; r < x->ndetail; r++) {
    const gp_run_out *o = &x->detail[(size_t)p * (size_t)x->ndetail + (size_t)r];
    if (o->nprops) memcpy(rows + k, o->props, o->nprops * sizeof *rows);
    k += o->nprops;
  }
  const char *gpu_names[GP_MAX_GPU_TYPES];
  for (int g = 0; g < s->ngpu_types; g++) gpu_names[g] = s->gpu_types[g].name;
  gp_field fields[GP_PROPOSAL_NFIELDS];
  gp_table_desc pdesc;
  gp_proposal_desc_init(&pdesc, fields, gpu_names, s->ngpu_types);
  snprintf(path, sizeof path, "%s/proposals", base);
  int rc = gp_h5out_table(h, path, &pdesc, rows, nrows, err);
  free(rows);
  if (rc) return -1;

  /* Demand sources: one row per (replication, source), all replications. */
  size_t no = (size_t)gp_scenario_norigins(s);
  gp_call_row *crows = malloc((no ? no : 1) * (size_t)x->nreps * sizeof *crows);
  if (!crows) return GP_ERR_NOMEM(err);
  for (int r = 0; r < x->nreps; r++)
    memcpy(crows + (size_t)r * no, x->calls + ((size_t)p * (size_t)x->cap_reps + (size_t)r) * no,
           no * sizeof *crows);
  snprintf(path, sizeof path, "%s/calls", base);
  rc = gp_h5out_table(h, path, &gp_call_desc, crows, no * (size_t)x->nreps, err);
  free(crows);
  const char **names = malloc((no ? no : 1) * sizeof *names);
  if (!names) return GP_ERR_NOMEM(err);
  for (size_t o = 0; o < no; o++) names[o] = gp_scenario_origin_name(s, (int)o);
  if (!rc) rc = gp_h5out_attr_strings(h, path, "names", names, no, err);
  free(names);
  if (rc) return -1;

  /* Time series: time and replication scales, one [reps x samples] matrix
   * per series; per-tranche series under timeseries/tranches/NAME/. */
  size_t ns = x->nsamples, nd = (size_t)x->ndetail, nser = gp_run_nseries(s);
  double *time = malloc(ns * sizeof *time);
  int *reps = malloc((nd ? nd : 1) * sizeof *reps);
  double *m = malloc((nd ? nd : 1) * ns * sizeof *m);
  if (!time || !reps || !m) {
    free(time), free(reps), free(m);
    return GP_ERR_NOMEM(err);
  }
  for (size_t i = 0; i < ns; i++) time[i] = (double)i * s->sample_every;
  for (size_t r = 0; r < nd; r++) reps[r] = (int)r;
  snprintf(tpath, sizeof tpath, "%s/timeseries/time", base);
  snprintf(rpath, sizeof rpath, "%s/timeseries/rep", base);
  rc = gp_h5out_scale(h, tpath, time, ns, "days since epoch", err) ||
       gp_h5out_scale_int(h, rpath, reps, nd, "replication", err);
  for (size_t v = 0; v < nser && !rc; v++) {
    for (size_t r = 0; r < nd; r++)
      memcpy(m + r * ns, x->detail[(size_t)p * nd + r].ts + v * ns, ns * sizeof *m);
    const char *units;
    if (v < GP_NTS) {
      snprintf(path, sizeof path, "%s/timeseries/%s", base, gp_ts_names[v]);
      units = gp_ts_units[v];
    } else {
      size_t t = (v - GP_NTS) / GP_NTTS, kind = (v - GP_NTS) % GP_NTTS;
      snprintf(path, sizeof path, "%s/timeseries/tranches/%s/%s", base, s->tranches[t].name,
               gp_tts_names[kind]);
      units = "GPUs";
    }
    rc = gp_h5out_matrix(h, path, m, nd, ns, units, rpath, tpath, err);
    if (!rc && v < GP_NTS) rc = gp_h5out_attr_string(h, path, "doc", gp_ts_docs[v], err);
  }
  free(time), free(reps), free(m);
  return rc ? -1 : 0;
}

/* /stats/P for every policy; /compare/A__B (paired differences A - B) for
 * every pair, A before B in scenario order. */
static int write_stats(gp_h5out *h, const char *prefix, const exp_state *x, gp_err *err) {
  const gp_scenario *s = x->s;
  int nm = gp_stat_count(), rc = 0;
  gp_stat_row *rows = malloc((size_t)nm * sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  char path[600];
  for (int a = 0; a < x->npol && !rc; a++) {
    const gp_summary_row *sa = x->summary + (size_t)a * (size_t)x->cap_reps;
    gp_stat_compute(sa, NULL, (size_t)x->nreps, rows);
    snprintf(path, sizeof path, "%s/stats/%s", prefix, s->policies[a].name);
    rc = gp_h5out_table(h, path, &gp_stat_desc, rows, (size_t)nm, err) ||
         gp_h5out_attr_strings(h, path, "metrics", gp_stat_metric_names, (size_t)nm, err);
    for (int b = a + 1; b < x->npol && !rc; b++) {
      gp_stat_compute(sa, x->summary + (size_t)b * (size_t)x->cap_reps, (size_t)x->nreps, rows);
      snprintf(path, sizeof path, "%s/compare/%s__%s", prefix, s->policies[a].name,
               s->policies[b].name);
      rc = gp_h5out_table(h, path, &gp_stat_desc, rows, (size_t)nm, err) ||
           gp_h5out_attr_strings(h, path, "metrics", gp_stat_metric_names, (size_t)nm, err) ||
           gp_h5out_attr_string(h, path, "a", s->policies[a].name, err) ||
           gp_h5out_attr_string(h, path, "b", s->policies[b].name, err);
    }
  }
  free(rows);
  return rc ? -1 : 0;
}

/* The roadmap table and its risk summary: the probability of reaching the
 * target by its date (with a 95% Wilson interval) and quantiles of the date
 * it is reached. */
typedef struct roadmap_risk {
  double p, lo, hi;       /* probability and its 95% interval */
  double q10, q50, q90;   /* quantiles of the date reached, days; -1 = not by the end */
} roadmap_risk;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void risk_of(const exp_state *x, roadmap_risk *r) {
  int n = x->nreps, k = 0;
  double *d = malloc((size_t)(n ? n : 1) * sizeof *d);
  for (int i = 0; i < n; i++) k += x->roadmap[i].reached_by_target;
  double z = 1.959963984540054, p = n ? (double)k / n : NAN;
  double den = 1 + z * z / n, mid = (p + z * z / (2.0 * n)) / den;
  double half = z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / den;
  r->p = p;
  r->lo = mid - half;
  r->hi = mid + half;
  r->q10 = r->q50 = r->q90 = -1;
  if (!d) return;
  /* "Never" sorts last, so a quantile that falls on it is never. */
  for (int i = 0; i < n; i++) d[i] = x->roadmap[i].date_reached < 0 ? HUGE_VAL : x->roadmap[i].date_reached;
  qsort(d, (size_t)n, sizeof *d, cmp_double);
  double *q[3] = {&r->q10, &r->q50, &r->q90};
  double at[3] = {0.1, 0.5, 0.9};
  for (int j = 0; j < 3 && n > 0; j++) {
    double v = d[(int)floor(at[j] * (n - 1) + 0.5)];
    *q[j] = isinf(v) ? -1 : v;
  }
  free(d);
}

static int write_roadmap(gp_h5out *h, const char *prefix, const exp_state *x, gp_err *err) {
  const gp_scenario *s = x->s;
  char path[600];
  snprintf(path, sizeof path, "%s/roadmap", prefix);
  if (gp_h5out_table(h, path, &gp_roadmap_desc, x->roadmap, (size_t)x->nreps, err)) return -1;
  if (!(s->target_gpus > 0)) return 0;
  roadmap_risk r;
  risk_of(x, &r);
  return gp_h5out_attr_double(h, path, "probability_reached_by_target", r.p, err) ||
                 gp_h5out_attr_double(h, path, "probability_ci95_lo", r.lo, err) ||
                 gp_h5out_attr_double(h, path, "probability_ci95_hi", r.hi, err) ||
                 gp_h5out_attr_double(h, path, "date_reached_q10", r.q10, err) ||
                 gp_h5out_attr_double(h, path, "date_reached_q50", r.q50, err) ||
                 gp_h5out_attr_double(h, path, "date_reached_q90", r.q90, err)
             ? -1
             : 0;
}

/* Everything of one point under PREFIX ("" or "/points/K"). */
static int write_point(gp_h5out *h, const char *prefix, const exp_state *x, gp_err *err) {
  char path[600];
  snprintf(path, sizeof path, "%s/policies", prefix);
  int rc = gp_h5out_group(h, path, err);
  for (int p = 0; p < x->npol && !rc; p++) rc = write_policy(h, prefix, x, p, err);
  if (!rc) rc = write_stats(h, prefix, x, err);
  if (!rc) rc = write_roadmap(h, prefix, x, err);
  return rc ? -1 : 0;
}

static int write_file(const gp_scenario *base, const gp_exp_point *pts, const exp_state *xs,
                      int npts, int complete, int requested, const char *out_path, gp_err *err) {
  char epoch[16], target[16];
  gp_date_format(base->epoch_day, epoch, sizeof epoch);
  gp_h5out *h = gp_h5out_create(out_path, err);
  if (!h) return -1;
  char *json = gp_scenario_json(base);
  if (!json) {
    gp_h5out_abort(h);
    return GP_ERR_NOMEM(err);
  }
  int swept = npts > 1 || pts[0].nsets > 0;
  int rc = gp_h5out_attr_string(h, "/", "gpuplan_version", GP_VERSION, err) ||
           gp_h5out_attr_string(h, "/", "scenario_name", base->name, err) ||
           gp_h5out_attr_string(h, "/", "scenario_description", base->description, err) ||
           gp_h5out_attr_int(h, "/", "seed", (long long)base->seed, err) ||
           gp_h5out_attr_int(h, "/", "replications", xs[0].nreps, err) ||
           gp_h5out_attr_int(h, "/", "detail_replications", xs[0].ndetail, err) ||
           gp_h5out_attr_string(h, "/", "epoch", epoch, err) ||
           gp_h5out_attr_string(h, "/", "time_unit", "days", err) ||
           gp_h5out_attr_double(h, "/", "end", base->end, err) ||
           gp_h5out_attr_double(h, "/", "measure_from", base->measure_from, err) ||
           gp_h5out_attr_int(h, "/", "complete", complete, err) ||
           gp_h5out_attr_int(h, "/", "replications_requested", requested, err) ||
           gp_h5out_text(h, "/scenario", json, err);
  free(json);
  if (!rc && base->target_gpus > 0) {
    gp_date_format_time(base->target_date, base->epoch_day, target, sizeof target);
    rc = gp_h5out_attr_double(h, "/", "target_gpus", base->target_gpus, err) ||
         gp_h5out_attr_string(h, "/", "target_date", target, err);
  }
  if (!rc && !swept) rc = write_point(h, "", &xs[0], err);
  if (!rc && swept) {
    const char **paths = calloc((size_t)(pts[0].nsets ? pts[0].nsets : 1), sizeof *paths);
    char (*names)[256] = calloc((size_t)(pts[0].nsets ? pts[0].nsets : 1), sizeof *names);
    rc = !paths || !names ? GP_ERR_NOMEM(err) : 0;
    for (int d = 0; d < pts[0].nsets && !rc; d++) {
      const char *eq = strchr(pts[0].sets[d], '=');
      snprintf(names[d], sizeof names[d], "%.*s", (int)(eq - pts[0].sets[d]), pts[0].sets[d]);
      paths[d] = names[d];
    }
    if (!rc) rc = gp_h5out_attr_int(h, "/", "points", npts, err) ||
                  gp_h5out_attr_strings(h, "/", "sweep_paths", paths, (size_t)pts[0].nsets, err);
    free(paths);
    free(names);
    for (int k = 0; k < npts && !rc; k++) {
      char prefix[64];
      snprintf(prefix, sizeof prefix, "/points/%d", k);
      rc = gp_h5out_group(h, prefix, err);
      /* Each swept value as an attribute named by its path: the JSON text,
       * and the number itself when it is one. */
      for (int d = 0; d < pts[k].nsets && !rc; d++) {
        const char *set = pts[k].sets[d], *eq = strchr(set, '=');
        char name[300];
        snprintf(name, sizeof name, "%.*s", (int)(eq - set), set);
        char *end;
        double v = strtod(eq + 1, &end);
        rc = *end == '\0' && end != eq + 1 ? gp_h5out_attr_double(h, prefix, name, v, err)
                                            : gp_h5out_attr_string(h, prefix, name, eq + 1, err);
      }
      char *pj = rc ? NULL : gp_scenario_json(pts[k].s);
      char spath[96];
      snprintf(spath, sizeof spath, "%s/scenario", prefix);
      if (!rc) rc = pj ? gp_h5out_text(h, spath, pj, err) : GP_ERR_NOMEM(err);
      free(pj);
      if (!rc) rc = write_point(h, prefix, &xs[k], err);
    }
  }
  if (rc) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}

/* ---- summary table ---- */

static const gp_field *summary_field(const char *name) {
  for (int i = 0; i < gp_summary_desc.nfields; i++)
    if (strcmp(gp_summary_desc.fields[i].name, name) == 0) return &gp_summary_desc.fields[i];
  return NULL;
}

/* "mean ± half" of summary field F of policy P, scaled, in FMT. */
static void format_ci(char *buf, size_t size, const exp_state *x, int p, const gp_field *f,
                      double scale, int decimals) {
  gp_welford w = {0, 0, 0};
  for (int r = 0; r < x->nreps; r++)
    gp_welford_add(&w, scale * gp_field_get(f, &x->summary[(size_t)p * (size_t)x->cap_reps + (size_t)r]));
  gp_ci c = gp_welford_ci(&w, 0.95);
  if (isnan(c.half)) snprintf(buf, size, "%.*f", decimals, c.mean);
  else snprintf(buf, size, "%.*f ± %.*f", decimals, c.mean, decimals, c.half);
}

static void print_point(FILE *f, const exp_state *x, const gp_exp_point *pt) {
  const gp_scenario *s = x->s;
  static const struct {
    const char *label, *field;
    double scale;
    int decimals;
  } rows[] = {
      {"proposals", "proposals", 1, 1},
      {"accepted", "accepted", 1, 1},
      {"acceptance rate (%)", "acceptance_rate", 100, 1},
      {"  industry", "acceptance_rate_industry", 100, 1},
      {"  startup", "acceptance_rate_startup", 100, 1},
      {"  academia", "acceptance_rate_academia", 100, 1},
      {"  research", "acceptance_rate_research", 100, 1},
      {"  national", "acceptance_rate_national", 100, 1},
      {"days to decision", "mean_days_to_decision", 1, 1},
      {"days to GPU", "mean_days_to_gpu", 1, 1},
      {"utilization (%)", "utilization", 100, 1},
      {"idle GPU-hours (M)", "idle_gpu_hours", 1e-6, 2},
      {"subsidy (bn KRW)", "subsidy_krw", 1e-9, 1},
      {"self-pay (bn KRW)", "selfpay_krw", 1e-9, 2},
      {"quality accepted", "mean_quality_accepted", 1, 3},
      {"mean usable GPUs", "mean_usable_gpus", 1, 0},
      {"GPUs at target date", "installed_gpus_at_target", 1, 0},
      {"gap to target", "gap_to_target", 1, 0},
  };
  if (pt->nsets) {
    fprintf(f, "\npoint:");
    for (int d = 0; d < pt->nsets; d++) fprintf(f, " %s", pt->sets[d]);
    fputc('\n', f);
  }
  fprintf(f, "%s%-22s", pt->nsets ? "" : "\n", "metric");
  for (int p = 0; p < x->npol; p++) fprintf(f, " %22s", s->policies[p].name);
  fputc('\n', f);
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const gp_field *fld = summary_field(rows[i].field);
    if (!fld) continue;
    /* Leave out rows with no number in any policy (no target, a sector that never applies). */
    int any = 0;
    for (int p = 0; p < x->npol; p++)
      for (int r = 0; r < x->nreps && !any; r++)
        any = !isnan(gp_field_get(fld, &x->summary[(size_t)p * (size_t)x->cap_reps + (size_t)r]));
    if (!any) continue;
    fprintf(f, "%-22s", rows[i].label);
    for (int p = 0; p < x->npol; p++) {
      char b[64];
      format_ci(b, sizeof b, x, p, fld, rows[i].scale, rows[i].decimals);
      fprintf(f, " %22s", b);
    }
    fputc('\n', f);
  }
  if (s->target_gpus > 0) {
    char d[16], q[3][16];
    roadmap_risk r;
    risk_of(x, &r);
    gp_date_format_time(s->target_date, s->epoch_day, d, sizeof d);
    gp_date_format_time(r.q10, s->epoch_day, q[0], sizeof q[0]);
    gp_date_format_time(r.q50, s->epoch_day, q[1], sizeof q[1]);
    gp_date_format_time(r.q90, s->epoch_day, q[2], sizeof q[2]);
    fprintf(f, "%-22s %22.0f  (roadmap target, %s)\n", "target GPUs", s->target_gpus, d);
    fprintf(f, "roadmap risk: P(target reached by %s) = %.2f (95%% CI %.2f-%.2f); date reached: "
               "10%% %s, median %s, 90%% %s\n",
            d, r.p, r.lo, r.hi, q[0], q[1], q[2]);
  }
}

static void print_summary(FILE *f, const exp_state *xs, const gp_exp_point *pts, int npts,
                          const char *out_path, double secs) {
  const exp_state *x = &xs[0];
  fprintf(f, "\n%s: %d replication%s x %d polic%s", x->s->name, x->nreps, x->nreps == 1 ? "" : "s",
          x->npol, x->npol == 1 ? "y" : "ies");
  if (npts > 1 || pts[0].nsets) fprintf(f, " x %d sweep point%s", npts, npts == 1 ? "" : "s");
  fprintf(f, ", %.1f s, results in %s\n", secs, out_path);
  fprintf(f, "mean ± 95%% confidence half-width over replications\n");
  for (int k = 0; k < npts; k++) print_point(f, &xs[k], &pts[k]);
}

const char *const gp_precision_metrics[] = {"mean_days_to_gpu", "acceptance_rate", "utilization",
                                            NULL};

/* The largest relative half-width of the precision metrics over policies
 * (metrics whose mean is 0 or NaN do not count). */
static double worst_precision(const exp_state *x) {
  double worst = 0;
  for (int m = 0; gp_precision_metrics[m]; m++) {
    const gp_field *f = summary_field(gp_precision_metrics[m]);
    for (int p = 0; f && p < x->npol; p++) {
      gp_welford w = {0, 0, 0};
      for (int r = 0; r < x->nreps; r++)
        gp_welford_add(&w, gp_field_get(f, &x->summary[(size_t)p * (size_t)x->cap_reps + (size_t)r]));
      gp_ci c = gp_welford_ci(&w, 0.95);
      if (c.n < 2) return HUGE_VAL;
      if (isnan(c.mean) || c.mean == 0) continue;
      double rel = c.half / fabs(c.mean);
      if (rel > worst) worst = rel;
    }
  }
  return worst;
}

static int point_init(exp_state *x, const gp_scenario *s, int cap, pthread_mutex_t *lock, int *done,
                      int *total, const gp_exp_opts *o, const struct timespec *t0) {
  memset(x, 0, sizeof *x);
  x->s = s;
  x->cap_reps = cap;
  x->npol = s->npolicies;
  x->ndetail = s->detail_reps < 0 || s->detail_reps > s->replications ? s->replications : s->detail_reps;
  x->nsamples = gp_run_nsamples(s);
  x->progress = o->progress && gp_par_size() == 1;
  x->lock = lock;
  x->done = done;
  x->total = total;
  x->t0 = *t0;
  x->rank = gp_par_rank();
  x->size = gp_par_size();
  gp_err_clear(&x->err);
  size_t no = (size_t)gp_scenario_norigins(s);
  x->rep_ok = calloc((size_t)cap, 1);
  x->summary = calloc((size_t)x->npol * (size_t)cap, sizeof *x->summary);
  x->detail = calloc((size_t)x->npol * (size_t)(x->ndetail ? x->ndetail : 1), sizeof *x->detail);
  x->calls = calloc((size_t)x->npol * (size_t)cap * (no ? no : 1), sizeof *x->calls);
  x->roadmap = calloc((size_t)cap, sizeof *x->roadmap);
  return x->summary && x->detail && x->calls && x->roadmap && x->rep_ok ? 0 : -1;
}

static void point_free(exp_state *x) {
  if (x->detail)
    for (size_t i = 0; i < (size_t)x->npol * (size_t)x->ndetail; i++) gp_run_out_free(&x->detail[i]);
  free(x->detail);
  free(x->summary);
  free(x->calls);
  free(x->roadmap);
  free(x->rep_ok);
}

/* Run replications [from, to) of point X on NTH threads of every rank, and
 * gather them on rank 0. */
static int run_batch(exp_state *x, int from, int to, int nth) {
  x->next_rep = from;
  x->end_rep = to;
  if (nth > to - from) nth = to - from;
  pthread_t *th = calloc((size_t)(nth > 0 ? nth : 1), sizeof *th);
  int started = 0;
  if (th)
    for (; started < nth; started++)
      if (pthread_create(&th[started], NULL, worker, x) != 0) break;
  if (started == 0) worker(x); /* no threads to be had: run here */
  for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
  free(th);
  x->nreps = to;
  return gather(x, from, to);
}

int gp_experiment_run(const gp_scenario *base, const gp_exp_point *pts, int npts,
                      const gp_exp_opts *o, gp_err *err) {
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pthread_mutex_t lock;
  pthread_mutex_init(&lock, NULL);
  int done = 0, total = 0, rc = 0, inited = 0;
  int nth = o->threads;
  if (nth <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    nth = n > 0 ? (int)n : 1;
  }
  exp_state *xs = calloc((size_t)npts, sizeof *xs);
  if (!xs) rc = GP_ERR_NOMEM(err);
  for (int k = 0; k < npts && !rc; k++) {
    const gp_scenario *s = pts[k].s;
    int first = s->replications;
    int cap = o->precision > 0 && o->max_reps > first ? o->max_reps : first;
    if (point_init(&xs[k], s, cap, &lock, &done, &total, o, &t0)) {
      rc = GP_ERR_NOMEM(err);
      break;
    }
    inited = k + 1;
    total += first;
  }
  /* Points in turn; within a point, replications in parallel.  With a
   * precision target, more batches of the first batch's size follow until
   * the target or max_reps is reached; each replication's seeds depend only
   * on its number, so the result equals a run of that many replications. */
  for (int k = 0; k < npts && !rc && !gp_interrupted; k++) {
    exp_state *x = &xs[k];
    int batch = x->s->replications;
    rc = run_batch(x, 0, batch, nth);
    /* Rank 0 has every replication: it decides whether to go on, for all. */
    while (!rc && !gp_interrupted && o->precision > 0 && x->nreps < x->cap_reps &&
           gp_par_bcast(x->rank == 0 && worst_precision(x) > o->precision)) {
      int to = x->nreps + batch < x->cap_reps ? x->nreps + batch : x->cap_reps;
      pthread_mutex_lock(&lock);
      total += to - x->nreps;
      pthread_mutex_unlock(&lock);
      rc = run_batch(x, x->nreps, to, nth);
    }
    if (rc) *err = x->err;
  }
  if (o->progress && !rc && gp_par_size() == 1) show_progress(&xs[0], 1);
  if (!rc && o->precision > 0 && o->summary && gp_par_rank() == 0)
    for (int k = 0; k < npts; k++) {
      double w = worst_precision(&xs[k]);
      fprintf(o->summary, "%s%d replications: largest relative 95%% half-width %.4f (target %.4f)%s\n",
              k == 0 ? "\n" : "", xs[k].nreps, w, o->precision,
              w > o->precision ? ", not reached: raise --max-reps" : "");
    }
  /* A signal: keep what is complete.  In each point the replications
   * 0..k-1 that all finished (a later one that finished before an earlier
   * one is dropped, so that the file is what a run of k replications would
   * have written); points not reached are left out. */
  int complete = 1, requested = npts > 0 ? xs[0].s->replications : 0, written = npts;
  if (!rc && gp_interrupted) {
    complete = 0;
    written = 0;
    for (int k = 0; k < npts; k++) {
      int n = 0;
      while (n < xs[k].nreps && xs[k].rep_ok[n]) n++;
      xs[k].nreps = n;
      if (xs[k].ndetail > n) xs[k].ndetail = n;
      if (n == 0) break;
      written = k + 1;
    }
    int signo = (int)gp_interrupted;
    if (written == 0) {
      rc = GP_ERR(err, GP_EX_SIGNAL + signo, "interrupted by signal %d before any replication finished; "
                  "nothing written", signo);
    } else if (gp_par_rank() == 0) {
      rc = write_file(base, pts, xs, written, 0, requested, o->out_path, err);
      if (!rc)
        rc = GP_ERR(err, GP_EX_SIGNAL + signo,
                    "interrupted by signal %d: wrote %d of %d replications%s to %s (complete = false)",
                    signo, xs[0].nreps, requested, written < npts ? " of the first points" : "",
                    o->out_path);
    }
  }
  /* Only rank 0 writes and reports; the others are done. */
  if (!rc && complete && gp_par_rank() == 0)
    rc = write_file(base, pts, xs, npts, 1, requested, o->out_path, err);
  if (!rc && complete && o->summary && gp_par_rank() == 0)
    print_summary(o->summary, xs, pts, npts, o->out_path, elapsed(&t0));
  for (int k = 0; k < inited; k++) point_free(&xs[k]);
  free(xs);
  pthread_mutex_destroy(&lock);
  return rc;
}
