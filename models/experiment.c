/*
 * models/experiment.c - run every policy x replication, write results (see
 * experiment.h).
 *
 * Workers take replication numbers from a shared counter; a replication's
 * results go to slots indexed by (policy, replication), never to a shared
 * list, so the output does not depend on which thread ran what or when.
 */
#include "models/experiment.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "models/date.h"
#include "models/h5out.h"
#include "models/policy.h"
#include "models/run.h"
#include "sim/stats.h"
#include "sim/version.h"

typedef struct exp_state {
  const gp_scenario *s;
  int nreps, npol, ndetail;
  size_t nsamples;
  gp_summary_row *summary;  /* [policy][rep] */
  gp_call_row *calls;       /* [policy][rep][origin] */
  gp_run_out *detail;       /* [policy][rep < ndetail] */
  pthread_mutex_t lock;
  int next_rep;             /* guarded by lock */
  int done;                 /* replications finished; guarded by lock */
  int failed;               /* guarded by lock */
  gp_err err;               /* first failure; guarded by lock */
  uint64_t events;          /* guarded by lock */
  int progress;
  struct timespec t0;
} exp_state;

static double elapsed(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void show_progress(exp_state *x, int final) {
  double dt = elapsed(&x->t0);
  double rate = dt > 0 ? x->done / dt : 0;
  double left = rate > 0 ? (x->nreps - x->done) / rate : 0;
  fprintf(stderr, "\r  replications %d/%d  %.1f/s  %.0f s left   ", x->done, x->nreps, rate, left);
  if (final) fputc('\n', stderr);
  fflush(stderr);
}

static void *worker(void *arg) {
  exp_state *x = arg;
  for (;;) {
    pthread_mutex_lock(&x->lock);
    int rep = x->failed ? x->nreps : x->next_rep++;
    pthread_mutex_unlock(&x->lock);
    if (rep >= x->nreps) return NULL;
    gp_err err;
    gp_err_clear(&err);
    uint64_t events = 0;
    gp_world *w = gp_world_new(x->s, rep, &err);
    for (int p = 0; w && p < x->npol && !err.code; p++) {
      int detail = rep < x->ndetail;
      gp_run_out out;
      if (gp_run_policy(x->s, w, p, detail, &out, &err) != 0) break;
      size_t pr = (size_t)p * (size_t)x->nreps + (size_t)rep, no = (size_t)gp_scenario_norigins(x->s);
      x->summary[pr] = out.summary;
      if (no) memcpy(x->calls + pr * no, out.calls, no * sizeof *out.calls);
      events += out.events;
      if (detail) x->detail[(size_t)p * (size_t)x->ndetail + (size_t)rep] = out;
      else gp_run_out_free(&out);
    }
    gp_world_free(w);
    pthread_mutex_lock(&x->lock);
    if (err.code && !x->failed) {
      x->failed = 1;
      x->err = err;
    }
    x->done++;
    x->events += events;
    if (x->progress) show_progress(x, 0);
    pthread_mutex_unlock(&x->lock);
  }
}

/* ---- output ---- */

static int write_policy(gp_h5out *h, const exp_state *x, int p, gp_err *err) {
  const gp_scenario *s = x->s;
  const gp_policy_spec *ps = &s->policies[p];
  char base[512], path[600], tpath[600], rpath[600];
  snprintf(base, sizeof base, "/policies/%s", ps->name);
  if (gp_h5out_group(h, base, err) ||
      gp_h5out_attr_string(h, base, "selection", ps->selection->name, err) ||
      gp_h5out_attr_string(h, base, "scheduling", ps->scheduling->name, err))
    return -1;
  snprintf(path, sizeof path, "%s/summary", base);
  if (gp_h5out_table(h, path, &gp_summary_desc, x->summary + (size_t)p * (size_t)x->nreps,
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
    memcpy(crows + (size_t)r * no, x->calls + ((size_t)p * (size_t)x->nreps + (size_t)r) * no,
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
static int write_stats(gp_h5out *h, const exp_state *x, gp_err *err) {
  const gp_scenario *s = x->s;
  int nm = gp_stat_count(), rc = 0;
  gp_stat_row *rows = malloc((size_t)nm * sizeof *rows);
  if (!rows) return GP_ERR_NOMEM(err);
  char path[600];
  for (int a = 0; a < x->npol && !rc; a++) {
    const gp_summary_row *sa = x->summary + (size_t)a * (size_t)x->nreps;
    gp_stat_compute(sa, NULL, (size_t)x->nreps, rows);
    snprintf(path, sizeof path, "/stats/%s", s->policies[a].name);
    rc = gp_h5out_table(h, path, &gp_stat_desc, rows, (size_t)nm, err) ||
         gp_h5out_attr_strings(h, path, "metrics", gp_stat_metric_names, (size_t)nm, err);
    for (int b = a + 1; b < x->npol && !rc; b++) {
      gp_stat_compute(sa, x->summary + (size_t)b * (size_t)x->nreps, (size_t)x->nreps, rows);
      snprintf(path, sizeof path, "/compare/%s__%s", s->policies[a].name, s->policies[b].name);
      rc = gp_h5out_table(h, path, &gp_stat_desc, rows, (size_t)nm, err) ||
           gp_h5out_attr_strings(h, path, "metrics", gp_stat_metric_names, (size_t)nm, err) ||
           gp_h5out_attr_string(h, path, "a", s->policies[a].name, err) ||
           gp_h5out_attr_string(h, path, "b", s->policies[b].name, err);
    }
  }
  free(rows);
  return rc ? -1 : 0;
}

static int write_file(const exp_state *x, const char *out_path, gp_err *err) {
  const gp_scenario *s = x->s;
  char epoch[16], target[16];
  gp_date_format(s->epoch_day, epoch, sizeof epoch);
  gp_h5out *h = gp_h5out_create(out_path, err);
  if (!h) return -1;
  char *json = gp_scenario_json(s);
  if (!json) {
    gp_h5out_abort(h);
    return GP_ERR_NOMEM(err);
  }
  int rc = gp_h5out_attr_string(h, "/", "gpuplan_version", GP_VERSION, err) ||
           gp_h5out_attr_string(h, "/", "scenario_name", s->name, err) ||
           gp_h5out_attr_string(h, "/", "scenario_description", s->description, err) ||
           gp_h5out_attr_int(h, "/", "seed", (long long)s->seed, err) ||
           gp_h5out_attr_int(h, "/", "replications", x->nreps, err) ||
           gp_h5out_attr_int(h, "/", "detail_replications", x->ndetail, err) ||
           gp_h5out_attr_string(h, "/", "epoch", epoch, err) ||
           gp_h5out_attr_string(h, "/", "time_unit", "days", err) ||
           gp_h5out_attr_double(h, "/", "end", s->end, err) ||
           gp_h5out_attr_double(h, "/", "measure_from", s->measure_from, err) ||
           gp_h5out_text(h, "/scenario", json, err);
  free(json);
  if (!rc && s->target_gpus > 0) {
    gp_date_format_time(s->target_date, s->epoch_day, target, sizeof target);
    rc = gp_h5out_attr_double(h, "/", "target_gpus", s->target_gpus, err) ||
         gp_h5out_attr_string(h, "/", "target_date", target, err);
  }
  if (!rc) rc = gp_h5out_group(h, "/policies", err);

  for (int p = 0; p < x->npol && !rc; p++) rc = write_policy(h, x, p, err);
  if (!rc) rc = write_stats(h, x, err);
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
    gp_welford_add(&w, scale * gp_field_get(f, &x->summary[(size_t)p * (size_t)x->nreps + (size_t)r]));
  gp_ci c = gp_welford_ci(&w, 0.95);
  if (isnan(c.half)) snprintf(buf, size, "%.*f", decimals, c.mean);
  else snprintf(buf, size, "%.*f ± %.*f", decimals, c.mean, decimals, c.half);
}

static void print_summary(FILE *f, const exp_state *x, const char *out_path, double secs) {
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
  fprintf(f, "\n%s: %d replication%s x %d polic%s, %.1f s, results in %s\n", s->name, x->nreps,
          x->nreps == 1 ? "" : "s", x->npol, x->npol == 1 ? "y" : "ies", secs, out_path);
  fprintf(f, "mean ± 95%% confidence half-width over replications\n\n%-22s", "metric");
  for (int p = 0; p < x->npol; p++) fprintf(f, " %22s", s->policies[p].name);
  fputc('\n', f);
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const gp_field *fld = summary_field(rows[i].field);
    if (!fld) continue;
    /* Leave out rows with no number in any policy (no target, a sector that never applies). */
    int any = 0;
    for (int p = 0; p < x->npol; p++)
      for (int r = 0; r < x->nreps && !any; r++)
        any = !isnan(gp_field_get(fld, &x->summary[(size_t)p * (size_t)x->nreps + (size_t)r]));
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
    char d[16];
    gp_date_format_time(s->target_date, s->epoch_day, d, sizeof d);
    fprintf(f, "%-22s %22.0f  (roadmap target, %s)\n", "target GPUs", s->target_gpus, d);
  }
}

int gp_experiment_run(const gp_scenario *s, const gp_exp_opts *o, gp_err *err) {
  exp_state x;
  memset(&x, 0, sizeof x);
  x.s = s;
  x.nreps = s->replications;
  x.npol = s->npolicies;
  x.ndetail = s->detail_reps < 0 || s->detail_reps > x.nreps ? x.nreps : s->detail_reps;
  x.nsamples = gp_run_nsamples(s);
  x.progress = o->progress;
  gp_err_clear(&x.err);
  clock_gettime(CLOCK_MONOTONIC, &x.t0);
  x.summary = calloc((size_t)x.npol * (size_t)x.nreps, sizeof *x.summary);
  x.detail = calloc((size_t)x.npol * (size_t)(x.ndetail ? x.ndetail : 1), sizeof *x.detail);
  x.calls = calloc((size_t)x.npol * (size_t)x.nreps * (size_t)(gp_scenario_norigins(s) + 1),
                   sizeof *x.calls);
  if (!x.summary || !x.detail || !x.calls) {
    free(x.summary), free(x.detail), free(x.calls);
    return GP_ERR_NOMEM(err);
  }
  pthread_mutex_init(&x.lock, NULL);
  int nth = o->threads;
  if (nth <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    nth = n > 0 ? (int)n : 1;
  }
  if (nth > x.nreps) nth = x.nreps;
  pthread_t *th = calloc((size_t)nth, sizeof *th);
  int started = 0;
  if (th)
    for (; started < nth; started++)
      if (pthread_create(&th[started], NULL, worker, &x) != 0) break;
  if (started == 0) worker(&x); /* no threads to be had: run here */
  for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
  free(th);
  if (x.progress) show_progress(&x, 1);
  int rc = 0;
  if (x.failed) {
    *err = x.err;
    rc = -1;
  }
  if (!rc) rc = write_file(&x, o->out_path, err);
  if (!rc && o->summary) print_summary(o->summary, &x, o->out_path, elapsed(&x.t0));
  for (size_t i = 0; i < (size_t)x.npol * (size_t)x.ndetail; i++) gp_run_out_free(&x.detail[i]);
  free(x.detail);
  free(x.summary);
  free(x.calls);
  pthread_mutex_destroy(&x.lock);
  return rc;
}
