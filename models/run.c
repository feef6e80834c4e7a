/*
 * models/run.c - world generation and one policy-replication (see run.h).
 *
 * Invariants kept by every event handler:
 *   - per tranche: 0 <= alloc <= online <= gov_nodes, and after the
 *     agreement's end online == alloc (free servers leave at once, held ones
 *     when their project ends);
 *   - the accumulators always hold the current value of what they measure,
 *     so installed >= allocated >= busy at every instant;
 *   - a project is in its pool's queue iff it is ready and not started.
 *
 * RNG streams (see sim/rng.h): one per (source, demand stream or tranche),
 * keyed by name, so that adding a stream or tranche leaves the others' draws
 * alone.
 */
#include "models/run_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

#define DAYS_PER_MONTH (365.25 / 12)

/* Sources of randomness; a stream id is mix(source, key). */
enum { SRC_ARRIVAL = 1, SRC_SECTOR, SRC_SERVERS, SRC_DURATION, SRC_QUALITY, SRC_USE, SRC_REVIEW,
       SRC_ONBOARD, SRC_SLIP };

static uint64_t stream_id(int src, uint64_t key) { return gp_rng_mix64(key ^ (uint64_t)src << 56); }

/* ---- the world ---- */

/* Time of the next arrival after cumulative intensity LAMBDA has been used:
 * rate r * (1+g)^((t-start)/365) integrates in closed form. */
static double arrival_time(const gp_stream *st, double lambda) {
  if (st->growth_per_year == 0) return st->start + lambda / st->rate_per_day;
  double lb = log1p(st->growth_per_year) / 365.0; /* per-day log growth */
  double x = 1 + lambda * lb / st->rate_per_day;
  if (x <= 0) return HUGE_VAL; /* a shrinking stream that has run dry */
  return st->start + log(x) / lb;
}

static int cmp_submitted(const void *a, const void *b) {
  const gp_wprop *x = a, *y = b;
  if (x->submitted != y->submitted) return x->submitted < y->submitted ? -1 : 1;
  return (x->stream > y->stream) - (x->stream < y->stream);
}

static int push_prop(gp_world *w, size_t *cap, const gp_wprop *p) {
  if (w->n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 1024;
    gp_wprop *np = realloc(w->props, ncap * sizeof *np);
    if (!np) return -1;
    w->props = np;
    *cap = ncap;
  }
  w->props[w->n++] = *p;
  return 0;
}

gp_world *gp_world_new(const gp_scenario *s, int rep, gp_err *err) {
  gp_world *w = calloc(1, sizeof *w);
  enum { NR = 8 };
  gsl_rng *r[NR] = {0};
  if (!w) goto nomem;
  w->rep = rep;
  w->online = calloc((size_t)s->ntranches, sizeof *w->online);
  for (int i = 0; i < NR; i++)
    if (!(r[i] = gsl_rng_alloc(gsl_rng_mt19937))) goto nomem;
  if (!w->online) goto nomem;
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tranche *tr = &s->tranches[t];
    gp_rng_reset(r[0], s->seed, (uint64_t)rep, stream_id(SRC_SLIP, gp_rng_name_id(tr->name)));
    w->online[t] = tr->online + gp_dist_sample(&tr->slip, r[0]);
  }
  size_t cap = 0;
  for (int k = 0; k < s->nstreams; k++) {
    const gp_stream *st = &s->streams[k];
    static const int src[NR] = {SRC_ARRIVAL, SRC_SECTOR, SRC_SERVERS, SRC_DURATION,
                                SRC_QUALITY, SRC_USE,    SRC_REVIEW,  SRC_ONBOARD};
    for (int i = 0; i < NR; i++)
      gp_rng_reset(r[i], s->seed, (uint64_t)rep, stream_id(src[i], st->stream_key));
    double wsum = 0;
    for (int j = 0; j < GP_NSECTORS; j++) wsum += st->sector_weights[j];
    if (st->rate_per_day <= 0) continue;
    double lambda = 0;
    for (;;) {
      lambda += gsl_ran_exponential(r[0], 1.0);
      double t = arrival_time(st, lambda);
      if (!(t < st->end)) break;
      gp_wprop p;
      memset(&p, 0, sizeof p);
      p.submitted = t;
      double u = gsl_rng_uniform(r[1]) * wsum, c = 0;
      p.sector = GP_NSECTORS - 1;
      for (int j = 0; j < GP_NSECTORS; j++) {
        c += st->sector_weights[j];
        if (u < c && st->sector_weights[j] > 0) {
          p.sector = (int8_t)j;
          break;
        }
      }
      double sv = floor(gp_dist_sample(&st->servers, r[2]) + 0.5);
      p.servers = (int32_t)(sv < 1 ? 1 : sv > 1e6 ? 1e6 : sv);
      p.duration = gp_dist_sample(&st->duration_days, r[3]);
      p.quality = gp_dist_sample(&st->quality, r[4]);
      p.use = gp_dist_sample(&st->use_fraction, r[5]);
      p.review_days = gp_dist_sample(&s->review_days, r[6]);
      p.onboard_days = gp_dist_sample(&s->onboarding_days, r[7]);
      p.stream = (int16_t)k;
      p.gpu_type = (int8_t)st->gpu_type;
      if (push_prop(w, &cap, &p) != 0) goto nomem;
    }
  }
  qsort(w->props, w->n, sizeof *w->props, cmp_submitted);
  for (int i = 0; i < NR; i++) gsl_rng_free(r[i]);
  return w;
nomem:
  for (int i = 0; i < NR; i++) gsl_rng_free(r[i]);
  gp_world_free(w);
  GP_ERR_NOMEM(err);
  return NULL;
}

void gp_world_free(gp_world *w) {
  if (!w) return;
  free(w->props);
  free(w->online);
  free(w);
}

/* ---- accumulators ---- */

static void acc_set(gp_acc *a, double now, double from, double v) {
  double lo = a->last > from ? a->last : from;
  if (now > lo) a->area += a->value * (now - lo);
  a->last = now;
  a->value = v;
}

static void acc_add(gp_acc *a, double now, double from, double dv) {
  acc_set(a, now, from, a->value + dv);
}

/* ---- helpers for rules ---- */

static int gpn(const gp_run *run, int t) { return run->s->tranches[t].gpus_per_node; }

/* GPUs per allocation unit for P: those of the tranche it ran on, else of the
 * first tranche of its pool and GPU type (the loader guarantees one exists). */
static int gpus_per_server(const gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  if (p->tranche >= 0) return gpn(run, p->tranche);
  int pool = s->streams[p->w->stream].pool;
  for (int t = 0; t < s->ntranches; t++)
    if (s->tranches[t].pool == pool && s->tranches[t].gpu_type == p->w->gpu_type) return gpn(run, t);
  return 1;
}

int gp_run_max_servers(const gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  int pool = s->streams[p->w->stream].pool;
  return run->max_servers[pool * s->ngpu_types + p->w->gpu_type];
}

int gp_run_fit(gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  int pool = s->streams[p->w->stream].pool;
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tranche *tr = &s->tranches[t];
    const gp_tstate *st = &run->ts[t];
    if (tr->pool == pool && tr->gpu_type == p->w->gpu_type && !st->ended &&
        st->online - st->alloc >= p->w->servers)
      return t;
  }
  return -1;
}

static void ev_finish(gp_sim *sim, void *ctx, uint64_t arg);

static void queue_remove(gp_queue *q, gp_proj *p) {
  if (p->prev) p->prev->next = p->next;
  else q->head = p->next;
  if (p->next) p->next->prev = p->prev;
  else q->tail = p->prev;
  p->prev = p->next = NULL;
  q->n--;
}

void gp_run_start(gp_run *run, gp_proj *p, int t) {
  double now = gp_sim_now(run->sim);
  int pool = run->s->tranches[t].pool;
  queue_remove(&run->queues[pool], p);
  acc_add(&run->queue, now, run->from, -1);
  run->ts[t].alloc += p->w->servers;
  double gpus = (double)p->w->servers * gpn(run, t);
  acc_add(&run->allocated, now, run->from, gpus);
  acc_add(&run->busy, now, run->from, gpus * p->w->use);
  p->tranche = t;
  p->started = now;
  p->outcome = GP_OUT_RUNNING;
  gp_sim_after(run->sim, p->w->duration, ev_finish, run, (uint64_t)p->id);
}

/* ---- events ---- */

static void schedule_pool(gp_run *run, int pool) { run->pol->scheduling->schedule(run, pool); }

static void ev_nodes(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  int t = (int)(arg & 0xffffff);
  int all = (int)(arg >> 24);
  const gp_tranche *tr = &run->s->tranches[t];
  gp_tstate *st = &run->ts[t];
  if (st->ended) return;
  double now = gp_sim_now(sim);
  int new_all = st->online_all + all;
  /* Government nodes follow the overall ramp in proportion, rounded so
   * that the last batch brings exactly gov_nodes. */
  int new_gov = (int)((long long)new_all * tr->gov_nodes / tr->nodes);
  int dgov = new_gov - st->online;
  st->online_all = new_all;
  st->online = new_gov;
  acc_add(&run->installed_all, now, run->from, (double)all * tr->gpus_per_node);
  acc_add(&run->usable, now, run->from, (double)dgov * tr->gpus_per_node);
  schedule_pool(run, tr->pool);
}

static void ev_tranche_end(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  int t = (int)arg;
  const gp_tranche *tr = &run->s->tranches[t];
  gp_tstate *st = &run->ts[t];
  double now = gp_sim_now(sim);
  st->ended = 1;
  /* Free servers leave now; held ones leave when their projects end. */
  int free_gov = st->online - st->alloc;
  int leaving_all = st->online_all - st->alloc;
  acc_add(&run->installed_all, now, run->from, -(double)leaving_all * tr->gpus_per_node);
  acc_add(&run->usable, now, run->from, -(double)free_gov * tr->gpus_per_node);
  st->online = st->alloc;
  st->online_all = st->alloc;
}

static void ev_finish(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  int t = p->tranche;
  const gp_tranche *tr = &run->s->tranches[t];
  gp_tstate *st = &run->ts[t];
  double now = gp_sim_now(sim);
  double gpus = (double)p->w->servers * tr->gpus_per_node;
  st->alloc -= p->w->servers;
  acc_add(&run->allocated, now, run->from, -gpus);
  acc_add(&run->busy, now, run->from, -gpus * p->w->use);
  if (st->ended) { /* the servers leave with the agreement */
    st->online -= p->w->servers;
    st->online_all -= p->w->servers;
    acc_add(&run->usable, now, run->from, -gpus);
    acc_add(&run->installed_all, now, run->from, -gpus);
  }
  p->finished = now;
  p->outcome = GP_OUT_FINISHED;
  schedule_pool(run, tr->pool);
}

static void ev_ready(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  int pool = run->s->streams[p->w->stream].pool;
  gp_queue *q = &run->queues[pool];
  p->ready = gp_sim_now(sim);
  p->outcome = GP_OUT_WAITING;
  p->prev = q->tail;
  p->next = NULL;
  if (q->tail) q->tail->next = p;
  else q->head = p;
  q->tail = p;
  q->n++;
  acc_add(&run->queue, p->ready, run->from, 1);
  schedule_pool(run, pool);
}

static void ev_decide(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  p->decided = gp_sim_now(sim);
  /* Rolling intake decides each proposal on its own: a batch of one. */
  run->pol->selection->decide(run, &p, 1);
  if (p->accepted)
    gp_sim_after(sim, p->w->onboard_days, ev_ready, run, arg);
  else
    p->outcome = GP_OUT_REJECTED;
}

/* Submissions are scheduled one ahead, so the event set holds one pending
 * submission rather than all of them. */
static void ev_submit(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  if (arg + 1 < run->w->n) gp_sim_at(sim, run->w->props[arg + 1].submitted, ev_submit, run, arg + 1);
  gp_sim_after(sim, run->projs[arg].w->review_days, ev_decide, run, arg);
}

static void ev_target(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  (void)arg;
  gp_run *run = ctx;
  run->at_target = run->installed_all.value;
}

static void ev_sample(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  size_t k = (size_t)arg, n = run->nsamples;
  double *x = run->samples;
  x[GP_TS_INSTALLED * n + k] = run->installed_all.value;
  x[GP_TS_USABLE * n + k] = run->usable.value;
  x[GP_TS_ALLOCATED * n + k] = run->allocated.value;
  x[GP_TS_BUSY * n + k] = run->busy.value;
  x[GP_TS_QUEUE * n + k] = run->queue.value;
  if (k + 1 < n) gp_sim_at(sim, (double)(k + 1) * run->s->sample_every, ev_sample, run, k + 1);
}

/* ---- a run ---- */

size_t gp_run_nsamples(const gp_scenario *s) {
  return (size_t)floor(s->end / s->sample_every + 1e-9) + 1;
}

/* Schedule node batches for tranche T: all at once, or evenly over the ramp. */
static void schedule_tranche(gp_run *run, int t) {
  const gp_tranche *tr = &run->s->tranches[t];
  double t0 = run->w->online[t];
  if (t0 >= run->s->end) return;
  /* Over a ramp, servers arrive in equal steps at most a day apart: the
   * first at t0, the last at t0 + ramp_days. */
  int batches = 1;
  if (tr->ramp_days > 0) {
    double b = ceil(tr->ramp_days) + 1;
    batches = b < tr->nodes ? (int)b : tr->nodes;
  }
  int done = 0;
  for (int b = 0; b < batches; b++) {
    int upto = (int)((long long)tr->nodes * (b + 1) / batches);
    double when = t0 + (batches > 1 ? tr->ramp_days * b / (batches - 1) : 0);
    if (upto > done && when <= run->s->end)
      gp_sim_at(run->sim, when, ev_nodes, run, (uint64_t)t | (uint64_t)(upto - done) << 24);
    done = upto;
  }
  if (tr->end < run->s->end)
    gp_sim_at(run->sim, tr->end > t0 ? tr->end : t0, ev_tranche_end, run, (uint64_t)t);
}

static void summarise(gp_run *run, gp_run_out *out) {
  const gp_scenario *s = run->s;
  double end = s->end, from = run->from, win = end - from;
  gp_summary_row *r = &out->summary;
  memset(r, 0, sizeof *r);
  r->rep = run->w->rep;
  acc_add(&run->installed_all, end, from, 0);
  acc_add(&run->usable, end, from, 0);
  acc_add(&run->allocated, end, from, 0);
  acc_add(&run->busy, end, from, 0);
  acc_add(&run->queue, end, from, 0);
  int decided = 0;
  double sum_dec = 0, sum_gpu = 0, sum_queue = 0;
  for (size_t i = 0; i < run->w->n; i++) {
    const gp_proj *p = &run->projs[i];
    if (p->w->submitted < from) continue;
    int gpus_per = gpus_per_server(run, p);
    double gpu_hours = (double)p->w->servers * gpus_per * p->w->duration * 24;
    r->proposals++;
    r->gpu_hours_requested += gpu_hours;
    if (p->decided >= 0) {
      decided++;
      sum_dec += p->decided - p->w->submitted;
    }
    if (p->accepted) {
      r->accepted++;
      r->gpu_hours_granted += gpu_hours;
    }
    if (p->started >= 0) {
      r->started++;
      sum_gpu += p->started - p->w->submitted;
      sum_queue += p->started - p->ready;
    }
  }
  for (int pl = 0; pl < s->npools; pl++) r->waiting_at_end += run->queues[pl].n;
  r->acceptance_rate = decided ? (double)r->accepted / decided : NAN;
  r->mean_days_to_decision = decided ? sum_dec / decided : NAN;
  r->mean_days_to_gpu = r->started ? sum_gpu / r->started : NAN;
  r->mean_days_in_queue = r->started ? sum_queue / r->started : NAN;
  r->mean_usable_gpus = run->usable.area / win;
  r->mean_allocated_gpus = run->allocated.area / win;
  r->mean_busy_gpus = run->busy.area / win;
  r->utilization = run->usable.area > 0 ? run->busy.area / run->usable.area : NAN;
  r->idle_gpu_hours = (run->usable.area - run->busy.area) * 24;
  r->mean_queue_length = run->queue.area / win;
  r->arrivals_per_day = r->proposals / win;
  r->installed_gpus_at_target = s->target_gpus > 0 ? run->at_target : NAN;
  r->gap_to_target = s->target_gpus > 0 ? s->target_gpus - run->at_target : NAN;
}

static int fill_detail(gp_run *run, gp_run_out *out) {
  out->props = malloc((run->w->n ? run->w->n : 1) * sizeof *out->props);
  if (!out->props) return -1;
  out->nprops = run->w->n;
  for (size_t i = 0; i < run->w->n; i++) {
    const gp_proj *p = &run->projs[i];
    gp_proposal_row *row = &out->props[i];
    int gpus_per = gpus_per_server(run, p);
    row->rep = run->w->rep;
    row->id = p->id;
    row->call = p->w->stream;
    row->sector = p->w->sector;
    row->gpu_type = p->w->gpu_type;
    row->outcome = p->outcome;
    row->servers = p->w->servers;
    row->gpus = p->w->servers * gpus_per;
    row->months = p->w->duration / DAYS_PER_MONTH;
    row->quality = p->w->quality;
    row->score = NAN;
    row->submitted = p->w->submitted;
    row->decided = p->decided;
    row->started = p->started;
    row->finished = p->finished;
  }
  return 0;
}

int gp_run_policy(const gp_scenario *s, const gp_world *w, int policy, int detail,
                  gp_run_out *out, gp_err *err) {
  memset(out, 0, sizeof *out);
  gp_run run;
  memset(&run, 0, sizeof run);
  run.s = s;
  run.w = w;
  run.pol = &s->policies[policy];
  run.from = s->measure_from;
  run.at_target = NAN;
  run.sim = gp_sim_new(256);
  run.projs = calloc(w->n ? w->n : 1, sizeof *run.projs);
  run.ts = calloc((size_t)s->ntranches, sizeof *run.ts);
  run.queues = calloc((size_t)s->npools, sizeof *run.queues);
  run.max_servers = calloc((size_t)(s->npools * s->ngpu_types), sizeof *run.max_servers);
  if (detail) {
    run.nsamples = gp_run_nsamples(s);
    run.samples = calloc(GP_NTS * run.nsamples, sizeof *run.samples);
  }
  int rc = -1;
  if (!run.sim || !run.projs || !run.ts || !run.queues || !run.max_servers ||
      (detail && !run.samples)) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  for (int t = 0; t < s->ntranches; t++) {
    int *m = &run.max_servers[s->tranches[t].pool * s->ngpu_types + s->tranches[t].gpu_type];
    if (s->tranches[t].gov_nodes > *m) *m = s->tranches[t].gov_nodes;
  }
  /* Scheduling order at time 0 fixes the order of same-time events:
   * tranches, then the target probe, then samples, then proposals. */
  for (int t = 0; t < s->ntranches; t++) schedule_tranche(&run, t);
  if (s->target_gpus > 0 && s->target_date <= s->end && s->target_date >= 0)
    gp_sim_at(run.sim, s->target_date, ev_target, &run, 0);
  if (detail) gp_sim_at(run.sim, 0, ev_sample, &run, 0);
  for (size_t i = 0; i < w->n; i++) {
    gp_proj *p = &run.projs[i];
    p->w = &w->props[i];
    p->id = (int32_t)i;
    p->tranche = -1;
    p->decided = p->ready = p->started = p->finished = -1;
    p->outcome = GP_OUT_IN_REVIEW;
  }
  if (w->n) gp_sim_at(run.sim, w->props[0].submitted, ev_submit, &run, 0);
  if (gp_sim_run_until(run.sim, s->end) != 0) {
    const gp_err *e = gp_sim_error(run.sim);
    GP_ERR(err, e->code, "replication %d, policy %s: %s", w->rep, run.pol->name, e->msg);
    goto done;
  }
  summarise(&run, out);
  if (detail) {
    if (fill_detail(&run, out) != 0) {
      GP_ERR_NOMEM(err);
      goto done;
    }
    out->ts = run.samples;
    out->nsamples = run.nsamples;
    run.samples = NULL;
  }
  out->events = gp_sim_fired(run.sim);
  rc = 0;
done:
  if (rc != 0) gp_run_out_free(out);
  gp_sim_free(run.sim);
  free(run.projs);
  free(run.ts);
  free(run.queues);
  free(run.max_servers);
  free(run.samples);
  return rc;
}

void gp_run_out_free(gp_run_out *out) {
  if (!out) return;
  free(out->props);
  free(out->ts);
  out->props = NULL;
  out->ts = NULL;
}
