/*
 * models/replay/replay.c - trace replay on one cluster of N GPUs (see
 * replay.h, docs/replay.md): the jobs to replay, their schedule under the
 * programme's own scheduling rules (fcfs, easy, conservative of
 * models/rules/), the figures and the result file.
 *
 * There is no second scheduler here.  A trace becomes a scenario of one
 * cluster (gp_scenario_cluster: one pool, one tranche of N/K nodes of K
 * GPUs, one policy naming the rule) and a world of jobs (gp_world_jobs:
 * each job a designated proposal of whole nodes, accepted and queued at its
 * submission, planned with its estimate, held for its run time); the
 * runner (models/run/) plays that policy against that world on the event
 * kernel, exactly as it plays a programme's, and the per-proposal rows give
 * each job's start and finish, the rule's promises its reservation.  Times
 * stay in the trace's seconds.
 *
 * The order of one instant (the kernel fires equal times in the order they
 * were scheduled): every job's arrival is scheduled when the run starts, so
 * at any instant t all arrivals at t come first, in file order, then the
 * completions and wake-ups at t in the order they were scheduled
 * (completions: the order their jobs started).  Each is followed by a call
 * of the rule.  A job submitted at t therefore does not see GPUs released at
 * t in its own call, but the completion's call at the same t starts it.
 *
 * Checked after the run (a breach is an internal error, GP_EX_SOFTWARE):
 * every job started and finished, at its start plus its run time.
 */
#include "models/replay/replay.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/results/h5out.h"
#include "models/results/results.h"
#include "models/run/run.h"
#include "models/scenario/scenario.h"
#include "models/world/world.h"
#include "sim/version.h"

#define BSLD_THRESHOLD 10.0 /* s: bounded slowdown counts shorter run times as this */

const char *const gp_replay_rule_names[GP_REPLAY_NRULES] = {"fcfs", "easy", "conservative"};
const char *const gp_skip_names[GP_NSKIP] = {"partial", "cancelled", "no_runtime", "no_gpus",
                                             "too_big"};

#define R gp_replay_row
static const gp_field job_fields[] = {
    GP_FIELD(R, id, GP_F_INT64, "1", "job number in the trace (SWF field 1, CSV id)"),
    GP_FIELD(R, line, GP_F_INT32, "1", "line of the trace file the job is on"),
    GP_FIELD(R, gpus, GP_F_INT32, "GPUs", "GPUs held: trace_gpus rounded up to whole nodes"),
    GP_FIELD(R, trace_gpus, GP_F_INT32, "GPUs", "processors the trace gives (SWF field 5, or 8 when 5 is not positive; CSV gpus)"),
    GP_FIELD(R, submit, GP_F_DOUBLE, "s", "submit time, seconds since the trace's start"),
    GP_FIELD(R, start, GP_F_DOUBLE, "s", "start time in the replay"),
    GP_FIELD(R, finish, GP_F_DOUBLE, "s", "finish time: start + runtime"),
    GP_FIELD(R, wait, GP_F_DOUBLE, "s", "start - submit"),
    GP_FIELD(R, runtime, GP_F_DOUBLE, "s", "run time (SWF field 4)"),
    GP_FIELD(R, estimate, GP_F_DOUBLE, "s", "estimate the scheduler used: trace_estimate, raised to runtime when below it or missing"),
    GP_FIELD(R, trace_estimate, GP_F_DOUBLE, "s", "requested time the trace gives (SWF field 9); NaN = none"),
    GP_FIELD(R, reserved, GP_F_DOUBLE, "s", "first reservation promised (easy: on reaching the head of the queue without starting; conservative: on submission); NaN = none"),
};
#undef R
const gp_table_desc gp_replay_jobs_desc = {"jobs", sizeof(gp_replay_row), job_fields,
                                           (int)(sizeof job_fields / sizeof job_fields[0])};

#define K gp_replay_skip
static const gp_field skip_fields[] = {
    GP_FIELD(K, id, GP_F_INT64, "1", "job number in the trace"),
    GP_FIELD(K, line, GP_F_INT32, "1", "line of the trace file the job is on"),
    GP_FIELD_ENUM(K, reason, gp_skip_names, GP_NSKIP, "why it is not replayed (docs/replay.md)"),
};
#undef K
const gp_table_desc gp_replay_skipped_desc = {"skipped", sizeof(gp_replay_skip), skip_fields,
                                              (int)(sizeof skip_fields / sizeof skip_fields[0])};

/* ---- choosing the jobs ---- */

static int skip_reason(const gp_trace_job *tj, const gp_replay_opts *o, long long *gpus) {
  if (tj->status >= GP_SWF_PARTIAL && tj->status <= GP_SWF_LAST_PARTIAL_FAILED)
    return GP_SKIP_PARTIAL;
  if (tj->status == GP_SWF_CANCELLED && tj->runtime <= 0) return GP_SKIP_CANCELLED;
  if (tj->runtime <= 0) return GP_SKIP_NO_RUNTIME;
  if (tj->procs <= 0) return GP_SKIP_NO_GPUS;
  long long k = o->gpus_per_node;
  *gpus = (tj->procs + k - 1) / k * k;
  if (*gpus > o->gpus) return GP_SKIP_TOO_BIG;
  return -1;
}

void gp_replay_result_free(gp_replay_result *r) {
  if (!r) return;
  free(r->jobs);
  free(r->skipped);
  r->jobs = NULL;
  r->skipped = NULL;
  r->njobs = r->nskipped = 0;
}

static void summarise(gp_replay_result *out, long long total) {
  size_t n = out->njobs;
  out->mean_wait = out->mean_bounded_slowdown = out->max_wait = out->utilization = NAN;
  out->first_submit = out->last_finish = NAN;
  out->makespan = 0;
  if (n == 0) return;
  double wait = 0, bsld = 0, busy = 0, maxw = 0, first = INFINITY, last = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    const gp_replay_row *w = &out->jobs[i];
    wait += w->wait;
    double s = (w->wait + w->runtime) / fmax(w->runtime, BSLD_THRESHOLD);
    bsld += s > 1 ? s : 1;
    busy += (double)w->gpus * w->runtime;
    maxw = fmax(maxw, w->wait);
    first = fmin(first, w->submit);
    last = fmax(last, w->finish);
  }
  out->mean_wait = wait / (double)n;
  out->mean_bounded_slowdown = bsld / (double)n;
  out->max_wait = maxw;
  out->first_submit = first;
  out->last_finish = last;
  out->makespan = last - first;
  out->utilization = busy / ((double)total * out->makespan);
}

/* Largest cluster a scenario holds: nodes and GPUs per node (the format's
 * limits, models/scenario/roadmap.c). */
#define MAX_NODES 10000000
#define MAX_GPUS_PER_NODE 1024

/* Schedule OUT's jobs (rows filled, start and the rest NaN) under O's rule:
 * the cluster's scenario, a world of the jobs, one run.  0, or -1 with ERR
 * set. */
static int schedule_jobs(const gp_replay_opts *o, gp_replay_result *out, gp_err *err) {
  size_t n = out->njobs;
  int k = o->gpus_per_node;
  /* The run's horizon: every job has finished by then whatever the rule
   * (one after another after the last submission, each for its estimate). */
  double end = 1;
  for (size_t i = 0; i < n; i++) end += out->jobs[i].estimate;
  if (n) end += out->jobs[n - 1].submit;
  gp_wprop *props = malloc((n ? n : 1) * sizeof *props);
  if (!props) return GP_ERR_NOMEM(err);
  for (size_t i = 0; i < n; i++) {
    const gp_replay_row *j = &out->jobs[i];
    gp_wprop *p = &props[i];
    memset(p, 0, sizeof *p);
    p->submitted = j->submit;
    p->duration = j->runtime;
    p->estimate = j->estimate;
    p->units = j->gpus / k;
    p->use = 1;
    p->quality = p->score = NAN;
    p->withdraw_at = HUGE_VAL;
    p->sector = GP_SECTOR_RESEARCH;
    p->designated = 1;
  }
  gp_scenario *s = gp_scenario_cluster(o->gpus / k, k, gp_replay_rule_names[o->rule], end, err);
  gp_world *w = s ? gp_world_jobs(s, props, n, err) : NULL;
  free(props);
  gp_run_out ro;
  memset(&ro, 0, sizeof ro); /* (freed below whatever happened) */
  gp_runner *runner = w ? gp_runner_new(s) : NULL;
  if (w && !runner) GP_ERR_NOMEM(err);
  if (runner) gp_runner_set_progress(runner, o->progress, o->progress_ctx);
  int rc = runner ? gp_runner_play(runner, w, 0, 1, &ro, err) : -1;
  gp_runner_free(runner);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    gp_replay_row *j = &out->jobs[i];
    const gp_proposal_row *p = &ro.props[i];
    if (!(p->started >= 0) || p->finished != p->started + j->runtime) {
      rc = GP_ERR(err, GP_EX_SOFTWARE, "internal error in replay: job %lld started at %.17g and "
                  "finished at %.17g (run time %.17g)", (long long)j->id, p->started,
                  p->finished, j->runtime);
      break;
    }
    j->start = p->started;
    j->finish = p->finished;
    j->wait = j->start - j->submit;
    j->reserved = ro.promised ? ro.promised[i] : NAN; /* NaN = none */
  }
  gp_run_out_free(&ro);
  gp_world_free(w);
  gp_scenario_free(s);
  return rc;
}

int gp_replay_run(const gp_trace *t, const gp_replay_opts *o, gp_replay_result *out, gp_err *err) {
  memset(out, 0, sizeof *out);
  if (o->gpus < 1 || o->gpus_per_node < 1 || o->gpus % o->gpus_per_node != 0)
    return GP_ERR(err, GP_EX_USAGE, "replay: %d GPUs are not a whole number of %d-GPU nodes",
                  o->gpus, o->gpus_per_node);
  if ((unsigned)o->rule >= GP_REPLAY_NRULES)
    return GP_ERR(err, GP_EX_USAGE, "replay: unknown rule %d", (int)o->rule);
  if (o->gpus / o->gpus_per_node > MAX_NODES || o->gpus_per_node > MAX_GPUS_PER_NODE)
    return GP_ERR(err, GP_EX_USAGE, "replay: %d GPUs as %d-GPU nodes: expected at most %d nodes "
                  "of at most %d GPUs", o->gpus, o->gpus_per_node, MAX_NODES, MAX_GPUS_PER_NODE);
  if (t->njobs >= UINT32_MAX)
    return GP_ERR(err, GP_EX_DATAERR, "%s: expected fewer than %u jobs, found %zu", t->name,
                  UINT32_MAX, t->njobs);
  out->jobs = malloc((t->njobs ? t->njobs : 1) * sizeof *out->jobs);
  out->skipped = malloc((t->njobs ? t->njobs : 1) * sizeof *out->skipped);
  if (!out->jobs || !out->skipped) {
    gp_replay_result_free(out);
    return GP_ERR_NOMEM(err);
  }
  for (size_t i = 0; i < t->njobs; i++) {
    const gp_trace_job *tj = &t->jobs[i];
    long long gpus = 0;
    int why = skip_reason(tj, o, &gpus);
    if (why >= 0) {
      gp_replay_skip *s = &out->skipped[out->nskipped++];
      memset(s, 0, sizeof *s);
      s->id = tj->id;
      s->line = tj->line;
      s->reason = (int8_t)why;
      out->nskip[why]++;
      continue;
    }
    gp_replay_row *w = &out->jobs[out->njobs++];
    memset(w, 0, sizeof *w);
    w->id = tj->id;
    w->line = tj->line;
    w->gpus = (int32_t)gpus;
    w->trace_gpus = tj->procs;
    w->submit = tj->submit;
    w->runtime = tj->runtime;
    w->trace_estimate = tj->estimate >= 0 ? tj->estimate : NAN; /* the trace's -1 = none */
    w->estimate = tj->estimate;
    if (tj->estimate < 0) {
      w->estimate = tj->runtime;
      out->estimates_missing++;
    } else if (tj->estimate < tj->runtime) {
      w->estimate = tj->runtime;
      out->estimates_raised++;
    }
    w->start = w->finish = w->wait = w->reserved = NAN;
  }

  int rc = schedule_jobs(o, out, err);
  if (rc == 0) summarise(out, o->gpus);
  else gp_replay_result_free(out);
  return rc;
}

/* ---- output ---- */

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

void gp_replay_print(FILE *f, const gp_trace *t, const gp_replay_opts *o,
                     const gp_replay_result *r) {
  fprintf(f, "trace                  %s (%s)\n", base_name(t->name),
          t->format == GP_TRACE_CSV ? "CSV" : "SWF");
  fprintf(f, "policy                 %s on %d GPU%s, %d GPU%s per node\n",
          gp_replay_rule_names[o->rule], o->gpus, o->gpus == 1 ? "" : "s", o->gpus_per_node,
          o->gpus_per_node == 1 ? "" : "s");
  fprintf(f, "jobs                   %zu in the trace, %zu replayed, %zu skipped\n", t->njobs,
          r->njobs, r->nskipped);
  fprintf(f, "skipped                ");
  for (int k = 0; k < GP_NSKIP; k++)
    fprintf(f, "%s%s %lld", k ? ", " : "", gp_skip_names[k], r->nskip[k]);
  fputc('\n', f);
  fprintf(f, "estimates              %lld raised to the run time, %lld missing (run time used)\n",
          r->estimates_raised, r->estimates_missing);
  if (r->njobs == 0) {
    fprintf(f, "no jobs to replay\n");
    return;
  }
  fprintf(f, "mean wait              %.1f s (%.2f h)\n", r->mean_wait, r->mean_wait / 3600);
  fprintf(f, "max wait               %.0f s (%.2f h)\n", r->max_wait, r->max_wait / 3600);
  fprintf(f, "mean bounded slowdown  %.3f (run times under %.0f s count as %.0f s)\n",
          r->mean_bounded_slowdown, BSLD_THRESHOLD, BSLD_THRESHOLD);
  fprintf(f, "utilization            %.4f (GPU-seconds busy / (%d GPU%s x makespan))\n",
          r->utilization, o->gpus, o->gpus == 1 ? "" : "s");
  fprintf(f,
          "makespan               %.0f s (%.2f days, first submit %.0f s to last finish %.0f s)\n",
          r->makespan, r->makespan / 86400, r->first_submit, r->last_finish);
}

int gp_replay_write(const char *path, const gp_trace *t, const gp_replay_opts *o,
                    const gp_replay_result *r, gp_err *err) {
  gp_h5out *h = gp_h5out_create(path, err);
  if (!h) return -1;
  char name[64];
  int bad = gp_h5out_attr_string(h, "/", "gpuplan_version", GP_VERSION, err) ||
            gp_h5out_attr_int(h, "/", "format_version", GP_FORMAT_VERSION, err) ||
            gp_h5out_attr_string(h, "/", "trace", base_name(t->name), err) ||
            gp_h5out_attr_string(h, "/", "trace_format", t->format == GP_TRACE_CSV ? "csv" : "swf",
                                 err) ||
            gp_h5out_attr_string(h, "/", "policy", gp_replay_rule_names[o->rule], err) ||
            gp_h5out_attr_string(h, "/", "time_unit", "s", err) ||
            gp_h5out_attr_int(h, "/", "gpus", o->gpus, err) ||
            gp_h5out_attr_int(h, "/", "gpus_per_node", o->gpus_per_node, err) ||
            gp_h5out_attr_int(h, "/", "jobs_in_trace", (long long)t->njobs, err) ||
            gp_h5out_attr_int(h, "/", "jobs_replayed", (long long)r->njobs, err) ||
            gp_h5out_attr_int(h, "/", "jobs_skipped", (long long)r->nskipped, err);
  for (int k = 0; k < GP_NSKIP && !bad; k++) {
    snprintf(name, sizeof name, "skipped_%s", gp_skip_names[k]);
    bad = gp_h5out_attr_int(h, "/", name, r->nskip[k], err);
  }
  bad = bad || gp_h5out_attr_int(h, "/", "estimates_raised", r->estimates_raised, err) ||
        gp_h5out_attr_int(h, "/", "estimates_missing", r->estimates_missing, err) ||
        gp_h5out_attr_double(h, "/", "mean_wait", r->mean_wait, err) ||
        gp_h5out_attr_double(h, "/", "max_wait", r->max_wait, err) ||
        gp_h5out_attr_double(h, "/", "mean_bounded_slowdown", r->mean_bounded_slowdown, err) ||
        gp_h5out_attr_double(h, "/", "bounded_slowdown_threshold", BSLD_THRESHOLD, err) ||
        gp_h5out_attr_double(h, "/", "utilization", r->utilization, err) ||
        gp_h5out_attr_double(h, "/", "makespan", r->makespan, err) ||
        gp_h5out_attr_double(h, "/", "first_submit", r->first_submit, err) ||
        gp_h5out_attr_double(h, "/", "last_finish", r->last_finish, err) ||
        gp_h5out_table(h, "/jobs", &gp_replay_jobs_desc, r->jobs, r->njobs, err) ||
        gp_h5out_table(h, "/skipped", &gp_replay_skipped_desc, r->skipped, r->nskipped, err);
  if (bad) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}
