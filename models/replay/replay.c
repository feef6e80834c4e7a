/*
 * models/replay/replay.c - trace replay on one cluster of N GPUs (see replay.h,
 * docs/replay.md): fcfs, EASY and conservative backfilling on the event
 * kernel, the result file, and the `gpuplan replay` command.
 *
 * Events and the order of one instant.  Events are a job's submission, a
 * job's completion and (conservative only) a wake-up at a waiting job's
 * reservation; each is followed by one scheduling pass.  The kernel fires
 * equal times in scheduling order (seq), so:
 *   - every submission is scheduled before the run starts, in file order;
 *     their seqs are therefore below the seq of every completion and
 *     wake-up, which are scheduled during the run (a completion when its job
 *     starts, a wake-up when a reservation is made or moved);
 *   - hence at any instant t, all submissions at t fire first (in file
 *     order), then the completions and wake-ups at t, in the order they were
 *     scheduled (completions: the order their jobs started).
 * This is exact, not a tie-break on time: no epsilon is involved.  It means
 * a job submitted at t does not see GPUs released at t in its own pass, but
 * the completion's pass at the same t starts it (its start time is still t).
 * Where a wake-up falls among the completions of its instant changes no
 * start time: a job reserved at t starts at t in whichever pass of the
 * instant first finds its GPUs free, and by the last one they are (every job
 * running past t was counted in the profile when the reservation was made).
 *
 * Why wake-ups: compression is a single pass in queue order, so a job can be
 * left with a reservation at the end of a slot that a later job then
 * vacated; no completion need happen at that time, so an explicit event
 * starts it.  A job's wake-up is cancelled (gp_sim_cancel) when its
 * reservation moves or it starts.
 *
 * Invariants (checked; a violation stops the run with GP_EX_SOFTWARE):
 *   - 0 <= free GPUs <= N at every pass: GPUs in use never exceed N;
 *   - every running job ends at or before start + estimate (estimates are
 *     raised to the run time before the replay), so a running job's expected
 *     end start + estimate is >= now;
 *   - conservative: the profile is the step function of GPUs free over
 *     [now, inf) once every running job holds its GPUs over [start, start +
 *     estimate) and every waiting job over [reservation, reservation +
 *     estimate); it never goes below 0; a waiting job's reservation is >= now
 *     and never moves later (compression re-places each job with its own
 *     slot freed, so its old slot is always a candidate);
 *   - at the end every job has started and finished, the queue is empty and
 *     the profile is N everywhere.
 * The run fires one event at a time and stops between two when the stop
 * flag (sim/interrupt.h) is set.
 */
#include "models/replay/replay.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/results/h5out.h"
#include "sim/interrupt.h"
#include "sim/sim.h"
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
    GP_FIELD(R, trace_estimate, GP_F_DOUBLE, "s", "requested time the trace gives (SWF field 9); -1 = none"),
    GP_FIELD(R, reserved, GP_F_DOUBLE, "s", "first reservation promised (easy: on reaching the head of the queue without starting; conservative: on submission); -1 = none"),
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

/* ---- the profile of free GPUs (conservative backfilling) ----
 * Breakpoints t[0] < t[1] < ... < t[n-1]: f[i] GPUs are free over
 * [t[i], t[i+1]) (the last to infinity, where f = N).  t[0] is -inf, so every
 * time falls in a segment.  Adjacent segments never have equal f. */

typedef struct profile {
  double *t;
  long long *f;
  size_t n, cap;
  long long total; /* N */
} profile;

static int prof_init(profile *p, long long total) {
  p->cap = 64;
  p->t = malloc(p->cap * sizeof *p->t);
  p->f = malloc(p->cap * sizeof *p->f);
  if (!p->t || !p->f) return -1;
  p->t[0] = -INFINITY;
  p->f[0] = total;
  p->n = 1;
  p->total = total;
  return 0;
}

static void prof_free(profile *p) {
  free(p->t);
  free(p->f);
}

/* Last i with t[i] <= x. */
static size_t prof_find(const profile *p, double x) {
  size_t lo = 0, hi = p->n; /* t[lo] <= x < t[hi] (t[n] = inf) */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->t[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* A breakpoint at X; its index, or (size_t)-1 when out of memory. */
static size_t prof_split(profile *p, double x) {
  size_t i = prof_find(p, x);
  if (p->t[i] == x) return i;
  if (p->n == p->cap) {
    size_t ncap = 2 * p->cap;
    double *nt = realloc(p->t, ncap * sizeof *nt);
    if (!nt) return (size_t)-1;
    p->t = nt;
    long long *nf = realloc(p->f, ncap * sizeof *nf);
    if (!nf) return (size_t)-1;
    p->f = nf;
    p->cap = ncap;
  }
  memmove(p->t + i + 2, p->t + i + 1, (p->n - i - 1) * sizeof *p->t);
  memmove(p->f + i + 2, p->f + i + 1, (p->n - i - 1) * sizeof *p->f);
  p->t[i + 1] = x;
  p->f[i + 1] = p->f[i];
  p->n++;
  return i + 1;
}

static void prof_remove(profile *p, size_t i) {
  memmove(p->t + i, p->t + i + 1, (p->n - i - 1) * sizeof *p->t);
  memmove(p->f + i, p->f + i + 1, (p->n - i - 1) * sizeof *p->f);
  p->n--;
}

/* Add D (negative: take) GPUs over [A, B).  0; -1 out of memory; -2 when
 * the free count would leave [0, N] (a bug). */
static int prof_change(profile *p, double a, double b, long long d) {
  if (!(a < b)) return 0;
  size_t i0 = prof_split(p, a);
  if (i0 == (size_t)-1) return -1;
  size_t i1 = prof_split(p, b);
  if (i1 == (size_t)-1) return -1;
  int bad = 0;
  for (size_t i = i0; i < i1; i++) {
    p->f[i] += d;
    if (p->f[i] < 0 || p->f[i] > p->total) bad = 1;
  }
  if (i1 < p->n && p->f[i1] == p->f[i1 - 1]) prof_remove(p, i1);
  if (i0 > 0 && p->f[i0] == p->f[i0 - 1]) prof_remove(p, i0);
  return bad ? -2 : 0;
}

/* Forget the past: the segment holding NOW becomes the first. */
static void prof_trim(profile *p, double now) {
  size_t k = prof_find(p, now);
  if (k == 0) return;
  memmove(p->t, p->t + k, (p->n - k) * sizeof *p->t);
  memmove(p->f, p->f + k, (p->n - k) * sizeof *p->f);
  p->n -= k;
  p->t[0] = -INFINITY;
}

/* Earliest t >= NOW with at least G GPUs free over [t, t + D); NaN if none
 * (impossible while the last segment is N >= G). */
static double prof_fit(const profile *p, double now, long long g, double d) {
  double cand = now;
  for (size_t i = prof_find(p, now); i < p->n; i++) {
    double end = i + 1 < p->n ? p->t[i + 1] : INFINITY;
    if (p->f[i] < g) {
      cand = end;
      continue;
    }
    if (end >= cand + d) return cand;
  }
  return NAN;
}

/* ---- the replay ---- */

typedef struct replay {
  gp_sim *sim;
  gp_replay_row *rows; /* the result's jobs */
  size_t n;
  gp_replay_rule rule;
  long long total;     /* N */
  long long free;      /* GPUs free now */
  uint32_t *q;         /* waiting jobs, submission order, in q[qb..qe) */
  size_t qb, qe;
  uint32_t *run;       /* running jobs, by expected end (start + estimate), then start order */
  size_t nrun;
  double *res;         /* conservative: current reservation of each waiting job */
  gp_event_id *wake;   /* conservative: the pending wake-up at res[j] (0 = none) */
  profile prof;
  size_t done;         /* completions so far */
} replay;

static double exp_end(const replay *r, uint32_t j) {
  return r->rows[j].start + r->rows[j].estimate;
}

static void bug(replay *r, const char *what, uint32_t j) {
  gp_sim_fail(r->sim, GP_EX_SOFTWARE, "internal error in replay (%s): job %lld at t=%.17g, "
              "%lld of %lld GPUs free", what, (long long)r->rows[j].id, gp_sim_now(r->sim),
              r->free, r->total);
}

static void ev_end(gp_sim *sim, void *ctx, uint64_t arg);
static void ev_wake(gp_sim *sim, void *ctx, uint64_t arg);

static int start_job(replay *r, uint32_t j) {
  gp_replay_row *w = &r->rows[j];
  double now = gp_sim_now(r->sim);
  w->start = now;
  w->finish = now + w->runtime;
  w->wait = now - w->submit;
  r->free -= w->gpus;
  if (r->free < 0) {
    bug(r, "more GPUs in use than the cluster has", j);
    return -1;
  }
  /* Insert after every running job with an expected end <= this one's. */
  double e = exp_end(r, j);
  size_t lo = 0, hi = r->nrun;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (exp_end(r, r->run[mid]) <= e) lo = mid + 1;
    else hi = mid;
  }
  memmove(r->run + lo + 1, r->run + lo, (r->nrun - lo) * sizeof *r->run);
  r->run[lo] = j;
  r->nrun++;
  return gp_sim_at(r->sim, w->finish, ev_end, r, j) ? 0 : -1;
}

/* EASY: the time the head job H can start given the running jobs' expected
 * ends, and the GPUs that will then be spare beyond H's (*EXTRA). */
static double shadow_time(const replay *r, uint32_t h, long long *extra) {
  long long avail = r->free, g = r->rows[h].gpus;
  for (size_t i = 0; i < r->nrun; i++) {
    avail += r->rows[r->run[i]].gpus;
    double e = exp_end(r, r->run[i]);
    if (i + 1 < r->nrun && exp_end(r, r->run[i + 1]) == e) continue; /* all that end at e */
    if (avail >= g) {
      *extra = avail - g;
      return e;
    }
  }
  *extra = 0;
  return NAN; /* unreachable: g <= N */
}

static int pass_fcfs_easy(replay *r) {
  while (r->qb < r->qe && r->rows[r->q[r->qb]].gpus <= r->free)
    if (start_job(r, r->q[r->qb++])) return -1;
  if (r->rule != GP_REPLAY_EASY || r->qb == r->qe) return 0;
  uint32_t h = r->q[r->qb];
  int want_reservation = r->rows[h].reserved < 0;
  if (!want_reservation && (r->free == 0 || r->qe - r->qb < 2)) return 0;
  long long extra;
  double shadow = shadow_time(r, h, &extra);
  if (isnan(shadow)) {
    bug(r, "no reservation for the first waiting job", h);
    return -1;
  }
  if (want_reservation) r->rows[h].reserved = shadow;
  double now = gp_sim_now(r->sim);
  size_t w = r->qb + 1;
  for (size_t i = r->qb + 1; i < r->qe; i++) {
    uint32_t j = r->q[i];
    const gp_replay_row *x = &r->rows[j];
    int by_time = now + x->estimate <= shadow, by_room = x->gpus <= extra;
    if (x->gpus <= r->free && (by_time || by_room)) {
      if (!by_time) extra -= x->gpus;
      if (start_job(r, j)) return -1;
    } else {
      r->q[w++] = j;
    }
  }
  r->qe = w;
  return 0;
}

static int prof_fail(replay *r, int rc, uint32_t j) {
  if (rc == -1) return gp_sim_fail(r->sim, GP_EX_OSERR, "out of memory");
  bug(r, "the free-GPU profile left [0, N]", j);
  return -1;
}

/* Conservative: give job J the earliest slot in the profile, and a wake-up
 * event at its start when that is later than now. */
static int reserve(replay *r, uint32_t j) {
  gp_replay_row *w = &r->rows[j];
  double now = gp_sim_now(r->sim);
  double t = prof_fit(&r->prof, now, w->gpus, w->estimate);
  if (isnan(t)) {
    bug(r, "no slot in the profile", j);
    return -1;
  }
  int rc = prof_change(&r->prof, t, t + w->estimate, -(long long)w->gpus);
  if (rc) return prof_fail(r, rc, j);
  if (r->wake[j] && r->res[j] == t) return 0; /* same slot, same wake-up */
  if (r->wake[j]) gp_sim_cancel(r->sim, r->wake[j]);
  r->wake[j] = 0;
  r->res[j] = t;
  if (w->reserved < 0) w->reserved = t;
  if (t > now && !(r->wake[j] = gp_sim_at(r->sim, t, ev_wake, r, j))) return -1;
  return 0;
}

/* Conservative, after a job ended early: every waiting job in order gives
 * up its slot and takes the earliest one, never later than the old one. */
static int compress(replay *r) {
  for (size_t i = r->qb; i < r->qe; i++) {
    uint32_t j = r->q[i];
    gp_replay_row *w = &r->rows[j];
    double old = r->res[j];
    int rc = prof_change(&r->prof, old, old + w->estimate, w->gpus);
    if (rc) return prof_fail(r, rc, j);
    if (reserve(r, j)) return -1;
    if (r->res[j] > old) {
      bug(r, "a reservation moved later", j);
      return -1;
    }
  }
  return 0;
}

static int pass_conservative(replay *r) {
  double now = gp_sim_now(r->sim);
  prof_trim(&r->prof, now);
  size_t w = r->qb;
  for (size_t i = r->qb; i < r->qe; i++) {
    uint32_t j = r->q[i];
    if (r->res[j] < now) {
      bug(r, "a reservation passed without the job starting", j);
      return -1;
    }
    if (r->res[j] == now && r->rows[j].gpus <= r->free) {
      if (r->wake[j]) gp_sim_cancel(r->sim, r->wake[j]);
      r->wake[j] = 0;
      if (start_job(r, j)) return -1;
    } else {
      r->q[w++] = j;
    }
  }
  r->qe = w;
  return 0;
}

static void pass(replay *r) {
  if (r->rule == GP_REPLAY_CONSERVATIVE) pass_conservative(r);
  else pass_fcfs_easy(r);
}

static void ev_submit(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  replay *r = ctx;
  uint32_t j = (uint32_t)arg;
  r->q[r->qe++] = j;
  if (r->rule == GP_REPLAY_CONSERVATIVE && reserve(r, j)) return;
  pass(r);
}

/* Conservative: a waiting job's reservation has come. */
static void ev_wake(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  replay *r = ctx;
  r->wake[arg] = 0;
  pass(r);
}

static void ev_end(gp_sim *sim, void *ctx, uint64_t arg) {
  replay *r = ctx;
  uint32_t j = (uint32_t)arg;
  gp_replay_row *w = &r->rows[j];
  double now = gp_sim_now(sim), e = exp_end(r, j);
  if (now > e) {
    bug(r, "a job ran past its estimate", j);
    return;
  }
  /* Leave the running list: find the first with this expected end. */
  size_t lo = 0, hi = r->nrun;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (exp_end(r, r->run[mid]) < e) lo = mid + 1;
    else hi = mid;
  }
  while (lo < r->nrun && r->run[lo] != j) lo++;
  if (lo == r->nrun) {
    bug(r, "a finished job was not running", j);
    return;
  }
  memmove(r->run + lo, r->run + lo + 1, (r->nrun - lo - 1) * sizeof *r->run);
  r->nrun--;
  r->free += w->gpus;
  r->done++;
  if (r->rule == GP_REPLAY_CONSERVATIVE && now < e) {
    int rc = prof_change(&r->prof, now, e, w->gpus);
    if (rc) {
      prof_fail(r, rc, j);
      return;
    }
    if (compress(r)) return;
  }
  pass(r);
}

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

int gp_replay_run(const gp_trace *t, const gp_replay_opts *o, gp_replay_result *out, gp_err *err) {
  memset(out, 0, sizeof *out);
  if (o->gpus < 1 || o->gpus_per_node < 1 || o->gpus % o->gpus_per_node != 0)
    return GP_ERR(err, GP_EX_USAGE, "replay: %d GPUs are not a whole number of %d-GPU nodes",
                  o->gpus, o->gpus_per_node);
  if ((unsigned)o->rule >= GP_REPLAY_NRULES)
    return GP_ERR(err, GP_EX_USAGE, "replay: unknown rule %d", (int)o->rule);
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
    w->trace_estimate = tj->estimate;
    w->estimate = tj->estimate;
    if (tj->estimate < 0) {
      w->estimate = tj->runtime;
      out->estimates_missing++;
    } else if (tj->estimate < tj->runtime) {
      w->estimate = tj->runtime;
      out->estimates_raised++;
    }
    w->start = w->finish = w->wait = -1;
    w->reserved = -1;
  }

  replay r;
  memset(&r, 0, sizeof r);
  r.rows = out->jobs;
  r.n = out->njobs;
  r.rule = o->rule;
  r.total = r.free = o->gpus;
  r.sim = gp_sim_new(r.n + 16);
  r.q = malloc((r.n ? r.n : 1) * sizeof *r.q);
  r.run = malloc((r.n ? r.n : 1) * sizeof *r.run);
  r.res = malloc((r.n ? r.n : 1) * sizeof *r.res);
  r.wake = calloc(r.n ? r.n : 1, sizeof *r.wake);
  int rc = -1;
  if (!r.sim || !r.q || !r.run || !r.res || !r.wake || prof_init(&r.prof, r.total)) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  for (size_t i = 0; i < r.n; i++)
    if (!gp_sim_at(r.sim, r.rows[i].submit, ev_submit, &r, i)) break;
  /* One event at a time (as gp_sim_run fires them), looking at the stop
   * flag between two: a pass of conservative backfilling over thousands
   * of waiting jobs is the longest wait for a signal. */
  while (!gp_interrupted && gp_sim_step(r.sim)) continue;
  if (gp_sim_error(r.sim)->code) {
    const gp_err *e = gp_sim_error(r.sim);
    GP_ERR(err, e->code, "%s", e->msg);
    goto done;
  }
  if (gp_interrupted) {
    int sig = (int)gp_interrupted;
    GP_ERR(err, GP_EX_SIGNAL + sig, "interrupted by signal %d; nothing written", sig);
    goto done;
  }
  if (r.done != r.n || r.qb != r.qe || r.nrun != 0 || r.free != r.total ||
      (r.rule == GP_REPLAY_CONSERVATIVE && (r.prof.n != 1 || r.prof.f[0] != r.total))) {
    GP_ERR(err, GP_EX_SOFTWARE, "internal error in replay: %zu of %zu jobs finished, %zu waiting, "
           "%zu running", r.done, r.n, r.qe - r.qb, r.nrun);
    goto done;
  }
  summarise(out, r.total);
  rc = 0;
done:
  gp_sim_free(r.sim);
  free(r.q);
  free(r.run);
  free(r.res);
  free(r.wake);
  prof_free(&r.prof);
  if (rc) gp_replay_result_free(out);
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
