/*
 * models/run/run.c - one policy-replication (see run.h).
 *
 * A proposal's path: submitted -> (calls: after the call closes) screening ->
 * R reviews by a finite panel (FIFO) -> suitability interview for large
 * requests (limited slots a day) -> the committee of its call or stream, which
 * decides a batch with the policy's selection rule and the call's budget ->
 * onboarding -> ready in its pool's queue -> started by the scheduling rule on
 * one tranche -> holds its units for its duration -> released.  A proposal
 * may withdraw at any point; designated allocations skip review and
 * selection.
 *
 * Invariants kept by every event handler:
 *   - per tranche: 0 <= alloc <= online units, down + failed_held <= online,
 *     and after the agreement's end free working servers are gone at once and
 *     the rest leave as they are released or repaired;
 *   - the accumulators hold the current value of what they measure, so
 *     installed >= usable >= allocated - failed >= busy at every instant;
 *   - a project is in its pool's queue iff it is ready, not started and not
 *     withdrawn; origins[o].pending counts its undecided, present proposals.
 *
 * The world (models/world/) holds what no policy changes: its failures and
 * repairs, which runs replay between kernel events, and its review pipeline
 * (submission to committee), played once and replayed by each run in the
 * order one kernel would have fired it (see models/world/pipeline.h).
 */
#include "models/run/run_int.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/interrupt.h"
#include "sim/rng.h"
#include "sim/sort.h"
#include "sim/vec.h"

/* ==== accumulators and small containers ==== */

static void acc_add(gp_acc *a, double now, double from, double dv) {
  double lo = a->last > from ? a->last : from;
  if (now > lo) a->area += a->value * (now - lo);
  a->last = now;
  a->value += dv;
}

static int ptr_push(gp_proj ***v, size_t *n, size_t *cap, gp_proj *p) {
  if (GP_VEC_RESERVE(*v, *cap, *n + 1, 64)) return -1;
  (*v)[(*n)++] = p;
  return 0;
}

/* ==== kernel events and the review pipeline's replay ====
 * A run's kernel holds the policy's events, the committees and the
 * withdrawals; the review pipeline (submission, screening, reviews,
 * interviews) is played once per world (play_pipeline, in the runner) and
 * each run replays its events between kernel events.  Events at equal times
 * fire in (time, seq) order, seq the order of scheduling: so a pipeline event
 * and a kernel event at the same time fire in the order of the moments they
 * were scheduled, which is where their schedulers fired, and so on.  Every
 * event therefore records where it was scheduled: in pipeline event h (the
 * o-th of its pipeline schedules and the kernel events after them), or in a
 * kernel event fired after pipeline event h (o = INT_MAX).  Pipeline event E
 * goes before kernel event P of the same time iff E's scheduling came first:
 * E.par < P.h, or the same handler and E.ord < P.o. */

/* A kernel event: its callback and argument, and where it was scheduled. */
typedef struct gp_kev {
  gp_event_fn fn;
  uint64_t arg;   /* while free: the next free record */
  long h;
  int o;
} gp_kev;

static void ev_kernel(gp_sim *sim, void *ctx, uint64_t arg);

/* Schedule FN(ARG) at T in RUN's kernel, through ev_kernel. */
static void run_at(gp_run *run, double t, gp_event_fn fn, uint64_t arg) {
  if (run->kev_free == UINT32_MAX) {
    size_t old = run->capkev; /* all in use: the new ones become the free list */
    if (old >= UINT32_MAX / 2 || GP_VEC_RESERVE(run->kev, run->capkev, old + 1, 1024)) {
      gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
      return;
    }
    for (size_t i = old; i < run->capkev; i++)
      run->kev[i].arg = i + 1 < run->capkev ? i + 1 : UINT32_MAX;
    run->kev_free = (uint32_t)old;
  }
  uint32_t k = run->kev_free;
  gp_kev *e = &run->kev[k];
  run->kev_free = (uint32_t)e->arg;
  *e = (gp_kev){fn, arg, run->cur_h, run->cur_o};
  if (!gp_sim_at(run->sim, t, ev_kernel, run, k)) { /* the error is recorded */
    e->arg = run->kev_free;
    run->kev_free = k;
  }
}

/* ==== helpers for rules ==== */

int gp_run_unit_gpus(const gp_run *run, int t) {
  const gp_tranche *tr = &run->s->tranches[t];
  return run->s->pools[tr->pool].unit == GP_UNIT_GPU ? 1 : tr->gpus_per_node;
}

static int units_per_node(const gp_run *run, int t) {
  const gp_tranche *tr = &run->s->tranches[t];
  return run->s->pools[tr->pool].unit == GP_UNIT_GPU ? tr->gpus_per_node : 1;
}

int gp_run_pool(const gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  int o = p->w->origin;
  if (o < s->ncalls) return s->calls[o].pool;
  o -= s->ncalls;
  if (o < s->nstreams) return s->streams[o].pool;
  return s->designated[o - s->nstreams].pool;
}

int gp_run_max_units(const gp_run *run, const gp_proj *p) {
  return run->max_units[gp_run_pool(run, p) * run->s->ngpu_types + p->w->gpu_type];
}

int gp_run_proj_unit_gpus(const gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  if (p->tranche >= 0) return gp_run_unit_gpus(run, p->tranche);
  return run->first_unit_gpus[gp_run_pool(run, p) * s->ngpu_types + p->w->gpu_type];
}

long long gp_run_free_units(const gp_run *run, int t) {
  const gp_tstate *st = &run->ts[t];
  return (long long)(st->online - st->down) * units_per_node(run, t) - st->alloc;
}

int gp_run_fit(gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  int pool = gp_run_pool(run, p);
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tranche *tr = &s->tranches[t];
    if (tr->pool == pool && tr->gpu_type == p->w->gpu_type && !run->ts[t].ended &&
        gp_run_free_units(run, t) >= p->units)
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

static double now_of(gp_run *run) { return gp_sim_now(run->sim); }

static void ev_reclaim(gp_sim *sim, void *ctx, uint64_t arg);
static double window_hours(double a, double b, double from, double end);

/* Add P's GPU-hours since it last changed size, up to NOW, inside the window. */
static void accrue(gp_run *run, gp_proj *p, double now) {
  double gpus = (double)p->units * gp_run_unit_gpus(run, p->tranche);
  p->gpuh += gpus * window_hours(p->gpuh_since, now, run->from, run->s->end);
  p->gpuh_since = now;
}

/* ==== a tranche's running projects ====
 * running[] in the order they started, except that a project leaving is
 * replaced by the last one (swap-remove); work[] weighs each position by its
 * project's working units (for failures); byend[] holds the same projects by
 * scheduled end (start + hold), ties in running order, as a stable sort of
 * running[] would (for reservations). */

static double end_of(const gp_proj *p) { return p->started + p->hold; }

/* First of the N first positions of byend whose (end, running position)
 * is not below (E, I). */
static size_t byend_lower(const gp_tstate *st, size_t n, double e, size_t i) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const gp_proj *q = st->byend[mid];
    double eq = end_of(q);
    if (eq < e || (eq == e && q->run_index < i)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Insert P (its run_index set) into byend, which holds N projects. */
static void byend_insert(gp_tstate *st, gp_proj *p, size_t n) {
  size_t k = byend_lower(st, n, end_of(p), p->run_index);
  memmove(st->byend + k + 1, st->byend + k, (n - k) * sizeof *st->byend);
  st->byend[k] = p;
}

/* Remove P from byend, which holds N projects. */
static void byend_remove(gp_tstate *st, const gp_proj *p, size_t n) {
  size_t k = byend_lower(st, n, end_of(p), p->run_index);
  memmove(st->byend + k, st->byend + k + 1, (n - k - 1) * sizeof *st->byend);
}

static int cmp_byend(const void *a, const void *b) {
  const gp_proj *x = *(gp_proj *const *)a, *y = *(gp_proj *const *)b;
  double ex = end_of(x), ey = end_of(y);
  if (ex != ey) return ex < ey ? -1 : 1;
  return (x->run_index > y->run_index) - (x->run_index < y->run_index);
}

/* byend is kept only in runs whose rule asks for reservations: the first
 * ask sorts every tranche's running projects, later starts and ends keep
 * the order. */
static void byend_start(gp_run *run) {
  for (int t = 0; t < run->s->ntranches; t++) {
    gp_tstate *st = &run->ts[t];
    if (!st->nrunning) continue;
    memcpy(st->byend, st->running, st->nrunning * sizeof *st->byend);
    qsort(st->byend, st->nrunning, sizeof *st->byend, cmp_byend);
  }
  run->byend_kept = 1;
}

static int running_add(gp_run *run, gp_tstate *st, gp_proj *p) {
  if (st->nrunning == st->caprunning) { /* running, byend and work grow together */
    size_t cap = st->caprunning, capb = st->caprunning;
    if (GP_VEC_RESERVE(st->running, cap, cap + 1, 64) ||
        GP_VEC_RESERVE(st->byend, capb, cap, 64) || gp_sumtree_reserve(&st->work, cap))
      return -1;
    st->caprunning = cap;
  }
  size_t n = st->nrunning;
  p->run_index = n;
  st->running[n] = p;
  gp_sumtree_add(&st->work, n, p->units - p->failed);
  if (run->byend_kept) byend_insert(st, p, n);
  st->nrunning = n + 1;
  return 0;
}

static void running_remove(gp_run *run, gp_tstate *st, gp_proj *p) {
  size_t i = p->run_index, n = st->nrunning, last_i = n - 1;
  gp_proj *last = st->running[last_i];
  gp_sumtree_add(&st->work, i, -(long long)(p->units - p->failed));
  if (run->byend_kept) byend_remove(st, p, n);
  if (i != last_i) { /* the last one moves to P's position */
    long long wl = last->units - last->failed;
    gp_sumtree_add(&st->work, last_i, -wl);
    gp_sumtree_add(&st->work, i, wl);
    if (run->byend_kept) byend_remove(st, last, n - 1);
    last->run_index = i;
    if (run->byend_kept) byend_insert(st, last, n - 2);
  }
  st->running[i] = last;
  st->nrunning = last_i;
}

void gp_run_start_as(gp_run *run, gp_proj *p, int t, int32_t units, double hold) {
  double now = now_of(run);
  gp_tstate *st = &run->ts[t];
  queue_remove(&run->queues[gp_run_pool(run, p)], p);
  acc_add(&run->queue, now, run->from, -1);
  p->units = units;
  p->hold = hold;
  st->alloc += p->units;
  double gpus = (double)p->units * gp_run_unit_gpus(run, t);
  acc_add(&run->allocated, now, run->from, gpus);
  acc_add(&run->busy, now, run->from, gpus * p->w->use);
  st->busy += gpus * p->w->use;
  p->tranche = t;
  p->started = now;
  p->gpuh_since = now;
  p->outcome = GP_OUT_RUNNING;
  if (running_add(run, st, p)) {
    gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
    return;
  }
  run_at(run, now + p->hold, ev_finish, (uint64_t)p->id);
  if (run->pol->reclaim_at > 0)
    run_at(run, now + p->hold * run->pol->reclaim_at, ev_reclaim, (uint64_t)p->id);
}

void gp_run_start(gp_run *run, gp_proj *p, int t) { gp_run_start_as(run, p, t, p->units, p->w->duration); }

int gp_run_tranche_serves(const gp_run *run, const gp_proj *p, int t, int type) {
  const gp_tranche *tr = &run->s->tranches[t];
  return tr->pool == gp_run_pool(run, p) && tr->gpu_type == (type < 0 ? p->w->gpu_type : type) &&
         !run->ts[t].ended;
}

double gp_run_reservation(gp_run *run, const gp_proj *p, int *tranche, long long *spare) {
  if (!run->byend_kept) byend_start(run);
  double best = HUGE_VAL;
  *tranche = -1;
  *spare = 0;
  for (int t = 0; t < run->s->ntranches; t++) {
    if (!gp_run_tranche_serves(run, p, t, -1)) continue;
    const gp_tstate *st = &run->ts[t];
    long long avail = gp_run_free_units(run, t);
    double when = HUGE_VAL;
    if (avail >= p->units) {
      when = now_of(run);
    } else {
      /* A project's failed servers are down when it ends; count what it frees. */
      for (size_t i = 0; i < st->nrunning && avail < p->units; i++) {
        const gp_proj *q = st->byend[i];
        avail += q->units - q->failed;
        if (avail >= p->units) when = end_of(q);
      }
    }
    if (when < best) {
      best = when;
      *tranche = t;
      *spare = avail - p->units;
    }
  }
  return best;
}

/* ==== capacity: nodes, ends, failures ==== */

static void schedule_pool(gp_run *run, int pool) { run->pol->scheduling->schedule(run, pool); }

static void set_usable(gp_run *run, int t, double dgpus) {
  double now = now_of(run);
  acc_add(&run->usable, now, run->from, dgpus);
  run->usable_h100e += dgpus * run->s->gpu_types[run->s->tranches[t].gpu_type].h100_equiv;
}

static void set_installed(gp_run *run, int t, double dgpus) {
  acc_add(&run->installed_all, now_of(run), run->from, dgpus);
  run->installed_h100e += dgpus * run->s->gpu_types[run->s->tranches[t].gpu_type].h100_equiv;
}

static void ev_nodes(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  int t = (int)(arg & 0xffffff);
  int all = (int)(arg >> 24);
  const gp_tranche *tr = &run->s->tranches[t];
  gp_tstate *st = &run->ts[t];
  if (st->ended) return;
  int new_all = st->online_all + all;
  /* Government nodes follow the overall ramp in proportion, rounded so that
   * the last batch brings exactly gov_nodes. */
  int new_gov = (int)((long long)new_all * tr->gov_nodes / tr->nodes);
  int dgov = new_gov - st->online;
  st->online_all = new_all;
  st->online = new_gov;
  set_installed(run, t, (double)all * tr->gpus_per_node);
  set_usable(run, t, (double)dgov * tr->gpus_per_node);
  schedule_pool(run, tr->pool);
}

static void ev_tranche_end(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  int t = (int)arg;
  const gp_tranche *tr = &run->s->tranches[t];
  gp_tstate *st = &run->ts[t];
  int upn = units_per_node(run, t);
  st->ended = 1;
  /* Free working servers leave now; held and failed ones when released or repaired. */
  int held_nodes = (int)((st->alloc + upn - 1) / upn);
  int staying = held_nodes + st->down;
  if (staying > st->online) staying = st->online;
  int leaving_gov = st->online - staying;
  int leaving_all = st->online_all - staying;
  set_installed(run, t, -(double)leaving_all * tr->gpus_per_node);
  set_usable(run, t, -(double)leaving_gov * tr->gpus_per_node);
  st->online = st->online_all = staying;
  /* No failure is left to fire: the world's stop at the agreement's end. */
}

/* Nodes that can fail: online, not already down. */
static int working_nodes(const gp_tstate *st) { return st->online - st->down - st->failed_held; }

/* Failure K of the world's list: a node of its tranche T goes down, free or
 * held as the failure's uniform falls among the nodes that can fail (held
 * ones weighted by each project's working units). */
static void node_fails(gp_run *run, size_t k, int t, double u) {
  gp_tstate *st = &run->ts[t];
  const gp_tranche *tr = &run->s->tranches[t];
  double gpn = tr->gpus_per_node, now = now_of(run);
  int n = working_nodes(st);
  long long held_working = st->alloc - st->failed_held;
  uint32_t who = 0; /* 0: a free node; otherwise project id + 1 */
  if (u < (double)(n - held_working) || st->nrunning == 0) {
    st->down++;
    set_usable(run, t, -gpn);
    acc_add(&run->failed, now, run->from, gpn);
  } else {
    /* A held server: the project weighted by its working servers (the
     * first whose cumulative working units in running order exceed x). */
    double x = u - (double)(n - held_working);
    size_t i = gp_sumtree_find(&st->work, x, st->nrunning);
    gp_proj *p = st->running[i < st->nrunning ? i : st->nrunning - 1];
    p->failed++;
    gp_sumtree_add(&st->work, p->run_index, -1);
    st->failed_held++;
    st->busy -= gpn * p->w->use;
    acc_add(&run->busy, now, run->from, -gpn * p->w->use);
    acc_add(&run->failed, now, run->from, gpn);
    who = (uint32_t)p->id + 1;
  }
  run->fail_who[k] = who;
}

/* The node of failure K (of tranche T) is repaired: back to its project if
 * that still runs there, else free (or gone, after the agreement's end). */
static void node_repaired(gp_run *run, size_t k, int t) {
  uint32_t who = run->fail_who[k];
  gp_tstate *st = &run->ts[t];
  const gp_tranche *tr = &run->s->tranches[t];
  double gpn = tr->gpus_per_node, now = now_of(run);
  acc_add(&run->failed, now, run->from, -gpn);
  gp_proj *p = who ? &run->projs[who - 1] : NULL;
  if (p && p->tranche == t && p->finished < 0 && p->failed > 0) {
    p->failed--;
    gp_sumtree_add(&st->work, p->run_index, 1);
    st->failed_held--;
    st->busy += gpn * p->w->use;
    acc_add(&run->busy, now, run->from, gpn * p->w->use);
    /* Free units and queues are as they were: a rule that looks at nothing
     * else would start nothing. */
    if (run->pol->scheduling->capacity_only) return;
  } else { /* a down node (or one whose project has left) comes back */
    st->down--;
    if (st->ended) { /* the agreement is over: it leaves instead */
      st->online--;
      st->online_all--;
      set_installed(run, t, -gpn);
    } else {
      set_usable(run, t, gpn);
    }
  }
  schedule_pool(run, tr->pool);
}

/* ==== projects ==== */

/* After units come back on a tranche past its agreement's end, the servers
 * no longer held leave (failed ones when repaired). */
static void leave_if_ended(gp_run *run, int t) {
  const gp_tranche *tr = &run->s->tranches[t];
  gp_tstate *st = &run->ts[t];
  if (!st->ended) return;
  int upn = units_per_node(run, t);
  int held_after = (int)((st->alloc + upn - 1) / upn);
  int keep = held_after + st->down;
  int leaving = st->online - keep;
  if (leaving > 0) {
    st->online -= leaving;
    st->online_all -= leaving;
    set_usable(run, t, -(double)leaving * tr->gpus_per_node);
    set_installed(run, t, -(double)leaving * tr->gpus_per_node);
  }
}

/* Reclaim (INCITE/ALCC-style): part way into its allocation, a project using
 * less than below_use of what it holds loses take of its working units,
 * which go back to the pool. */
static void ev_reclaim(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  const gp_policy_spec *pol = run->pol;
  if (p->finished >= 0 || p->tranche < 0 || !(p->w->use < pol->reclaim_below)) return;
  int t = p->tranche;
  gp_tstate *st = &run->ts[t];
  int working = p->units - p->failed;
  int k = (int)floor(working * pol->reclaim_take + 1e-9);
  if (k >= p->units) k = p->units - 1; /* a project keeps at least one unit */
  if (k <= 0) return;
  double now = now_of(run), ug = gp_run_unit_gpus(run, t);
  accrue(run, p, now);
  p->units -= k;
  gp_sumtree_add(&st->work, p->run_index, -k);
  p->reclaimed += k;
  st->alloc -= k;
  acc_add(&run->allocated, now, run->from, -(double)k * ug);
  acc_add(&run->busy, now, run->from, -(double)k * ug * p->w->use);
  st->busy -= (double)k * ug * p->w->use;
  leave_if_ended(run, t);
  schedule_pool(run, run->s->tranches[t].pool);
}

/* P gives its units back now (finished or withdrawn). */
static void release(gp_run *run, gp_proj *p, int outcome) {
  int t = p->tranche;
  const gp_tranche *tr = &run->s->tranches[t];
  gp_tstate *st = &run->ts[t];
  double now = now_of(run), ug = gp_run_unit_gpus(run, t);
  double gpus = (double)p->units * ug;
  accrue(run, p, now);
  running_remove(run, st, p);
  st->alloc -= p->units;
  acc_add(&run->allocated, now, run->from, -gpus);
  double busy = (gpus - p->failed * (double)tr->gpus_per_node) * p->w->use;
  st->busy -= busy;
  acc_add(&run->busy, now, run->from, -busy);
  if (p->failed) { /* its failed servers stay down until repaired */
    st->down += p->failed;
    st->failed_held -= p->failed;
    set_usable(run, t, -(double)p->failed * tr->gpus_per_node);
    p->failed = 0;
  }
  leave_if_ended(run, t);
  p->finished = now;
  p->outcome = (int8_t)outcome;
  schedule_pool(run, tr->pool);
}

static void ev_finish(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  if (p->finished >= 0) return; /* withdrew earlier */
  release(run, p, GP_OUT_FINISHED);
}

static void ev_ready(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  if (p->withdrawn) return;
  int pool = gp_run_pool(run, p);
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

static void decided(gp_run *run, gp_proj *p, int accepted) {
  double now = now_of(run);
  p->decided = now;
  p->accepted = (int8_t)accepted;
  if (!accepted) p->units = 0;
  else if (p->units <= 0) p->units = p->w->units; /* designations, all-or-nothing rules */
  p->awarded = p->units;
  run->origins[p->w->origin].pending--;
  acc_add(&run->backlog, now, run->from, -1);
  if (!accepted) {
    p->outcome = GP_OUT_REJECTED;
    return;
  }
  double ready = now + p->w->onboard_days;
  int o = p->w->origin;
  if (o < run->s->ncalls && ready < run->s->calls[o].supply_from) ready = run->s->calls[o].supply_from;
  run_at(run, ready, ev_ready, (uint64_t)p->id);
}

/* The committee of origin O decides everything it has been handed. */
static void committee(gp_run *run, int o) {
  gp_origin *og = &run->origins[o];
  size_t n = 0;
  for (size_t i = 0; i < og->nready; i++) /* withdrawn ones have left the pile */
    if (!og->ready[i]->withdrawn) og->ready[n++] = og->ready[i];
  og->nready = 0;
  if (n == 0) return;
  /* A call's budget lasts its whole life; a stream's is per sitting. */
  if (o >= run->s->ncalls && o < run->s->ncalls + run->s->nstreams)
    memcpy(og->capacity, run->s->streams[o - run->s->ncalls].capacity, sizeof og->capacity);
  for (size_t i = 0; i < n; i++) {
    og->ready[i]->accepted = 0;
    og->ready[i]->units = 0;
  }
  gp_batch b = {og->ready, n, og->capacity};
  run->pol->selection->decide(run, &b);
  for (size_t i = 0; i < n; i++) decided(run, og->ready[i], og->ready[i]->accepted);
}

/* When does origin O's committee next sit, at NOW or later?  Calls: their
 * listed dates, then every committee_every days after the last (or after the
 * close); streams: every committee_every days from their start. */
static double next_committee(gp_run *run, int o, double now) {
  const gp_scenario *s = run->s;
  gp_origin *og = &run->origins[o];
  if (o < s->ncalls) {
    const gp_call *c = &s->calls[o];
    while (og->next_committee < c->ncommittees && c->committees[og->next_committee] < now)
      og->next_committee++;
    if (og->next_committee < c->ncommittees) return c->committees[og->next_committee];
    double base = c->ncommittees ? c->committees[c->ncommittees - 1] : c->close;
    double k = ceil((now - base) / c->committee_every);
    if (k < 1) k = 1;
    return base + k * c->committee_every;
  }
  const gp_stream *st = &s->streams[o - s->ncalls];
  double k = ceil((now - st->start) / st->committee_every);
  if (k < 1) k = 1;
  return st->start + k * st->committee_every;
}

/* Committees sit on demand: the first proposal handed to an origin's
 * committee schedules its next sitting; the sitting decides the whole pile. */
static void ev_committee(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  run->origins[arg].committee_scheduled = 0;
  committee(run, (int)arg);
}

/* P, of origin O, is reviewed (and interviewed if needed): hand it to its
 * committee. */
static void to_committee(gp_run *run, gp_proj *p, int o) {
  gp_origin *og = &run->origins[o];
  if (ptr_push(&og->ready, &og->nready, &og->capready, p)) {
    gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
    return;
  }
  int immediate = o >= run->s->ncalls && run->s->streams[o - run->s->ncalls].committee_every <= 0;
  if (immediate) {
    committee(run, o);
  } else if (!og->committee_scheduled) {
    double t = next_committee(run, o, now_of(run));
    if (t <= run->s->end) {
      og->committee_scheduled = 1;
      run_at(run, t, ev_committee, (uint64_t)o);
    }
  }
}

static void ev_withdraw(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  if (p->withdrawn || p->outcome == GP_OUT_REJECTED || p->finished >= 0) return;
  double now = now_of(run);
  p->withdrawn = 1;
  if (p->started >= 0) {
    release(run, p, GP_OUT_WITHDRAWN);
    return;
  }
  if (p->decided < 0) { /* still in review: its queued jobs will be skipped */
    run->origins[p->w->origin].pending--;
    acc_add(&run->backlog, now, run->from, -1);
  } else if (p->ready >= 0) { /* waiting for servers: those behind may start */
    int pool = gp_run_pool(run, p);
    queue_remove(&run->queues[pool], p);
    acc_add(&run->queue, now, run->from, -1);
    p->outcome = GP_OUT_WITHDRAWN;
    schedule_pool(run, pool);
    return;
  }
  p->outcome = GP_OUT_WITHDRAWN;
}

/* Pipeline event K of the world's review pipeline: its effects on the run. */
static void replay_entry(gp_run *run, size_t k) {
  const gp_pentry *e = &run->pipe[k];
  const gp_peff *f = run->peff + e->eff, *end = run->peff + e[1].eff;
  double now = now_of(run);
  run->cur_h = (long)k;
  for (; f < end; f++) {
    gp_proj *p = &run->projs[f->id];
    run->cur_o = f->o;
    switch (f->kind) {
    case GP_PE_SUBMIT:
    case GP_PE_ARRIVE:
      run->origins[f->origin].pending++;
      acc_add(&run->backlog, now, run->from, 1);
      if (f->kind == GP_PE_ARRIVE) break;
      if (p->w->withdraw_at < run->s->end) run_at(run, p->w->withdraw_at, ev_withdraw, f->id);
      if (p->w->designated) decided(run, p, 1);
      break;
    case GP_PE_REJECT:
      decided(run, p, 0);
      break;
    default:
      to_committee(run, p, f->origin);
      break;
    }
  }
}

/* Does pipeline event E go before a kernel event scheduled at (H, O)? */
static int pipe_first(const gp_pentry *e, long h, int o) { return e->par < h || (e->par == h && e->ord < o); }

/* Every kernel event of a run: first the pipeline events of this time that
 * were scheduled before it, then it. */
static void ev_kernel(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  gp_kev e = run->kev[arg];
  run->kev[arg].arg = run->kev_free;
  run->kev_free = (uint32_t)arg;
  double now = gp_sim_now(sim);
  while (run->pipe_next < run->npipe && run->pipe[run->pipe_next].t == now &&
         pipe_first(&run->pipe[run->pipe_next], e.h, e.o))
    replay_entry(run, run->pipe_next++);
  run->cur_h = (long)run->pipe_next - 1;
  run->cur_o = INT_MAX;
  e.fn(sim, run, e.arg);
}

static void ev_target(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  (void)arg;
  gp_run *run = ctx;
  run->at_target = run->installed_all.value;
  run->at_target_h100e = run->installed_h100e;
}

static void ev_sample(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  const gp_scenario *s = run->s;
  size_t k = (size_t)arg, n = run->nsamples;
  double *x = run->samples;
  x[GP_TS_INSTALLED * n + k] = run->installed_all.value;
  x[GP_TS_USABLE * n + k] = run->usable.value;
  x[GP_TS_ALLOCATED * n + k] = run->allocated.value;
  x[GP_TS_BUSY * n + k] = run->busy.value;
  x[GP_TS_QUEUE * n + k] = run->queue.value;
  x[GP_TS_BACKLOG * n + k] = run->backlog.value;
  x[GP_TS_INSTALLED_H100E * n + k] = run->installed_h100e;
  x[GP_TS_USABLE_H100E * n + k] = run->usable_h100e;
  for (int t = 0; t < s->ntranches; t++) {
    double *y = x + (GP_NTS + (size_t)t * GP_NTTS) * n;
    y[GP_TTS_INSTALLED * n + k] = (double)run->ts[t].online_all * s->tranches[t].gpus_per_node;
    y[GP_TTS_ALLOCATED * n + k] = (double)run->ts[t].alloc * gp_run_unit_gpus(run, t);
    y[GP_TTS_BUSY * n + k] = run->ts[t].busy;
  }
  if (k + 1 < n) run_at(run, (double)(k + 1) * s->sample_every, ev_sample, k + 1);
}

/* ==== a run ==== */

size_t gp_run_nsamples(const gp_scenario *s) {
  return (size_t)floor(s->end / s->sample_every + 1e-9) + 1;
}

size_t gp_run_nseries(const gp_scenario *s) {
  return GP_NTS + (size_t)GP_NTTS * (size_t)s->ntranches;
}

static void schedule_tranche(gp_run *run, int t) {
  const gp_tranche *tr = &run->s->tranches[t];
  double t0 = run->w->online[t];
  if (t0 > run->s->end) return;
  int batches = gp_world_batches(tr), done = 0;
  for (int b = 0; b < batches; b++) {
    int upto;
    double when = gp_world_batch_at(tr, t0, batches, b, &upto);
    if (upto > done && when <= run->s->end)
      run_at(run, when, ev_nodes, (uint64_t)t | (uint64_t)(upto - done) << 24);
    done = upto;
  }
  if (tr->end <= run->s->end)
    run_at(run, tr->end > t0 ? tr->end : t0, ev_tranche_end, (uint64_t)t);
}

/* Hours of [a, b) inside the window [from, end]. */
static double window_hours(double a, double b, double from, double end) {
  if (a < from) a = from;
  if (b > end) b = end;
  return b > a ? (b - a) * 24 : 0;
}

static double mean_or_nan(double sum, int n) { return n ? sum / n : NAN; }

static void summarise(gp_run *run, gp_run_out *out) {
  const gp_scenario *s = run->s;
  double end = s->end, from = run->from, win = end - from;
  gp_summary_row *r = &out->summary;
  memset(r, 0, sizeof *r);
  r->rep = run->w->rep;
  gp_acc *accs[] = {&run->installed_all, &run->usable, &run->allocated, &run->busy,
                    &run->queue,         &run->backlog, &run->failed};
  for (size_t i = 0; i < sizeof accs / sizeof accs[0]; i++) acc_add(accs[i], end, from, 0);
  int dec = 0, dec_sector[GP_NSECTORS] = {0}, acc_sector[GP_NSECTORS] = {0}, nrej = 0, n_qa = 0;
  double sum_dec = 0, sum_gpu = 0, sum_queue = 0, sum_qa = 0, sum_qr = 0;
  for (size_t i = 0; i < run->w->n; i++) {
    const gp_proj *p = &run->projs[i];
    const gp_wprop *w = p->w;
    double ug = gp_run_proj_unit_gpus(run, p), gpus = (double)w->units * ug, granted = (double)p->awarded * ug;
    /* Money: GPU-hours held inside the window, at the market price of the
     * GPUs it ran on. */
    if (p->started >= 0) {
      if (p->finished < 0) accrue(run, (gp_proj *)p, end);
      int g = s->tranches[p->tranche].gpu_type;
      double cost = p->gpuh * s->gpu_types[g].price_krw_per_hour;
      int o = w->origin;
      double share = o < s->ncalls && s->calls[o].free_of_charge ? 0 : s->self_pay[w->sector];
      r->selfpay_krw += cost * share;
      r->subsidy_krw += cost * (1 - share);
    }
    if (w->submitted < from) continue;
    r->proposals++;
    r->gpu_hours_requested += gpus * w->duration * 24;
    r->withdrawn += p->outcome == GP_OUT_WITHDRAWN;
    if (p->decided >= 0) {
      dec++;
      dec_sector[w->sector]++;
      sum_dec += p->decided - w->submitted;
      if (p->accepted) {
        r->accepted++;
        acc_sector[w->sector]++;
        r->gpu_hours_granted += granted * w->duration * 24;
        if (!w->designated) {
          sum_qa += w->quality;
          n_qa++;
        }
      } else {
        nrej++;
        sum_qr += w->quality;
      }
    }
    if (p->started >= 0) {
      r->started++;
      sum_gpu += p->started - w->submitted;
      sum_queue += p->started - p->ready;
    }
  }
  for (int pl = 0; pl < s->npools; pl++) r->waiting_at_end += run->queues[pl].n;
  r->acceptance_rate = mean_or_nan(r->accepted, dec);
  double *rate[GP_NSECTORS] = {&r->acceptance_rate_industry, &r->acceptance_rate_startup,
                               &r->acceptance_rate_academia, &r->acceptance_rate_research,
                               &r->acceptance_rate_national};
  for (int k = 0; k < GP_NSECTORS; k++) *rate[k] = mean_or_nan(acc_sector[k], dec_sector[k]);
  r->mean_days_to_decision = mean_or_nan(sum_dec, dec);
  r->mean_days_to_gpu = mean_or_nan(sum_gpu, r->started);
  r->mean_days_in_queue = mean_or_nan(sum_queue, r->started);
  r->mean_quality_accepted = mean_or_nan(sum_qa, n_qa);
  r->mean_quality_rejected = mean_or_nan(sum_qr, nrej);
  r->mean_usable_gpus = run->usable.area / win;
  r->mean_allocated_gpus = run->allocated.area / win;
  r->mean_busy_gpus = run->busy.area / win;
  r->utilization = run->usable.area > 0 ? run->busy.area / run->usable.area : NAN;
  r->idle_gpu_hours = (run->usable.area - run->busy.area) * 24;
  r->failed_gpu_hours = run->failed.area * 24;
  r->mean_queue_length = run->queue.area / win;
  r->arrivals_per_day = r->proposals / win;
  r->installed_gpus_at_target = s->target_gpus > 0 ? run->at_target : NAN;
  r->installed_h100e_at_target = s->target_gpus > 0 ? run->at_target_h100e : NAN;
  r->gap_to_target = s->target_gpus > 0 ? s->target_gpus - run->at_target : NAN;
}

static void summarise_origins(gp_run *run, gp_run_out *out) {
  const gp_scenario *s = run->s;
  int no = gp_scenario_norigins(s);
  for (int o = 0; o < no; o++) {
    gp_call_row *c = &out->calls[o];
    memset(c, 0, sizeof *c);
    c->rep = run->w->rep;
    c->call = o;
    c->first_decision = c->last_decision = -1;
  }
  for (size_t i = 0; i < run->w->n; i++) {
    const gp_proj *p = &run->projs[i];
    gp_call_row *c = &out->calls[p->w->origin];
    double ug = gp_run_proj_unit_gpus(run, p), gpus = (double)p->w->units * ug, granted = (double)p->awarded * ug;
    c->proposals++;
    c->units_requested += p->w->units;
    c->gpus_requested += gpus;
    c->interviewed += p->w->interview && p->reviewed;
    c->withdrawn += p->outcome == GP_OUT_WITHDRAWN;
    if (p->decided < 0) continue;
    if (p->accepted) {
      double *by_sector = &c->gpus_awarded_industry; /* five fields in sector order */
      c->accepted++;
      c->units_awarded += p->awarded;
      c->gpus_awarded += granted;
      by_sector[p->w->sector] += granted;
    } else {
      c->rejected++;
    }
    if (c->first_decision < 0 || p->decided < c->first_decision) c->first_decision = p->decided;
    if (p->decided > c->last_decision) c->last_decision = p->decided;
    c->mean_decision += p->decided; /* a sum until the loop below */
  }
  for (int o = 0; o < no; o++) {
    gp_call_row *c = &out->calls[o];
    int ndec = c->accepted + c->rejected;
    c->mean_decision = ndec ? c->mean_decision / ndec : -1;
    /* Oversubscription needs a budget for every type the call asks for. */
    double offered = 0;
    int limited = o < s->ncalls;
    for (int k = 0; limited && k < s->calls[o].a.ntypes; k++) {
      long long cap = s->calls[o].capacity[s->calls[o].a.type[k]];
      if (cap < 0) limited = 0;
      else offered += (double)cap;
    }
    c->oversubscription = limited && offered > 0 ? c->units_requested / offered : NAN;
  }
}

static int fill_detail(gp_run *run, gp_run_out *out) {
  out->props = malloc((run->w->n ? run->w->n : 1) * sizeof *out->props);
  if (!out->props) return -1;
  out->nprops = run->w->n;
  for (size_t i = 0; i < run->w->n; i++) {
    const gp_proj *p = &run->projs[i];
    gp_proposal_row *row = &out->props[i];
    memset(row, 0, sizeof *row);
    row->rep = run->w->rep;
    row->id = p->id;
    row->call = p->w->origin;
    row->sector = p->w->sector;
    row->gpu_type = p->w->gpu_type;
    row->outcome = p->outcome;
    row->capital = p->w->capital;
    row->org = p->w->org;
    row->servers = p->w->units;
    row->gpus = p->w->units * gp_run_proj_unit_gpus(run, p);
    row->granted = p->awarded;
    row->months = p->w->duration / GP_DAYS_PER_MONTH;
    row->quality = p->w->quality;
    row->score = p->reviewed ? p->w->score : NAN;
    row->submitted = p->w->submitted;
    row->decided = p->decided;
    row->started = p->started;
    row->finished = p->finished;
  }
  return 0;
}

/* ==== the runner: a run's arrays, kept; a world's failures, shared ==== */

struct gp_runner {
  const gp_scenario *s;
  gp_run run;          /* its arrays persist; the rest is reset by run_reset */
  size_t capprojs;
  uint32_t *fail_who;  /* per failure of the world played (capfails): who it hit */
  size_t capfails;
  uint64_t *rank_bits; /* one bit per place of a world's ranking (caprank words), all 0 */
  size_t caprank;
};

void gp_runner_free(gp_runner *r) {
  if (!r) return;
  gp_run *run = &r->run;
  gp_sim_free(run->sim);
  gsl_rng_free(run->policy_rng);
  for (int t = 0; run->ts && t < r->s->ntranches; t++) {
    free(run->ts[t].running);
    free(run->ts[t].byend);
    gp_sumtree_free(&run->ts[t].work);
  }
  for (int o = 0; run->origins && o < gp_scenario_norigins(r->s); o++) free(run->origins[o].ready);
  free(run->projs);
  free(run->ts);
  free(run->queues);
  free(run->origins);
  free(run->max_units);
  free(run->first_unit_gpus);
  free(run->samples);
  free(r->fail_who);
  free(r->rank_bits);
  free(run->kev);
  free(r);
}

gp_runner *gp_runner_new(const gp_scenario *s) {
  gp_runner *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  gp_run *run = &r->run;
  int no = gp_scenario_norigins(s);
  r->s = run->s = s;
  run->ts = calloc((size_t)(s->ntranches ? s->ntranches : 1), sizeof *run->ts);
  run->queues = calloc((size_t)(s->npools ? s->npools : 1), sizeof *run->queues);
  run->origins = calloc((size_t)(no ? no : 1), sizeof *run->origins);
  size_t nmax = (size_t)s->npools * (size_t)s->ngpu_types;
  run->max_units = calloc(nmax ? nmax : 1, sizeof *run->max_units);
  run->first_unit_gpus = malloc((nmax ? nmax : 1) * sizeof *run->first_unit_gpus);
  run->policy_rng = gp_rng_alloc();
  if (!run->ts || !run->queues || !run->origins || !run->max_units || !run->first_unit_gpus ||
      !run->policy_rng) {
    gp_runner_free(r);
    return NULL;
  }
  for (size_t i = 0; i < nmax; i++) run->first_unit_gpus[i] = 0;
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tranche *tr = &s->tranches[t];
    size_t pt = (size_t)tr->pool * (size_t)s->ngpu_types + (size_t)tr->gpu_type;
    int units = tr->gov_nodes * units_per_node(run, t);
    if (units > run->max_units[pt]) run->max_units[pt] = units;
    if (!run->first_unit_gpus[pt]) run->first_unit_gpus[pt] = gp_run_unit_gpus(run, t);
  }
  for (size_t i = 0; i < nmax; i++)
    if (!run->first_unit_gpus[i]) run->first_unit_gpus[i] = 1;
  return r;
}

/* Everything of R's run as a fresh one for POLICY against W: the arrays
 * kept, their contents as calloc left them in a new run. */
static int run_reset(gp_runner *r, const gp_world *w, int policy, int detail) {
  gp_run *run = &r->run;
  const gp_scenario *s = r->s;
  int no = gp_scenario_norigins(s);
  if (GP_VEC_RESERVE(r->fail_who, r->capfails, w->fails.nfails, 1024)) return -1;
  run->rank_bits = NULL;
  if (w->ranking.made) { /* zeroed as they grow; batches leave them 0 */
    size_t words = w->n / 64 + 1, old = r->caprank;
    if (GP_VEC_RESERVE(r->rank_bits, r->caprank, words, 64)) return -1;
    if (r->caprank > old) memset(r->rank_bits + old, 0, (r->caprank - old) * sizeof *r->rank_bits);
    run->rank_bits = r->rank_bits;
  }
  if (w->n > r->capprojs || !run->projs) {
    gp_proj *np = realloc(run->projs, (w->n ? w->n : 1) * sizeof *np);
    if (!np) return -1;
    run->projs = np;
    r->capprojs = w->n ? w->n : 1;
  }
  gp_sim_free(run->sim);
  run->sim = gp_sim_new(256);
  free(run->samples);
  run->samples = NULL;
  run->nsamples = 0;
  if (detail) {
    run->nsamples = gp_run_nsamples(s);
    run->samples = calloc(gp_run_nseries(s) * run->nsamples, sizeof *run->samples);
  }
  if (!run->sim || (detail && !run->samples)) return -1;
  run->w = w;
  run->pol = &s->policies[policy];
  run->from = s->measure_from;
  run->at_target = run->at_target_h100e = NAN;
  run->byend_kept = 0;
  run->pipe = w->pipe.e;
  run->peff = w->pipe.eff;
  run->npipe = w->pipe.n;
  run->pipe_next = 0;
  run->cur_h = -1; /* the start: the policy's first events, then the first submission */
  run->cur_o = 0;
  run->kev_free = run->capkev ? 0 : UINT32_MAX;
  for (size_t i = 0; i < run->capkev; i++) run->kev[i].arg = i + 1 < run->capkev ? i + 1 : UINT32_MAX;
  gp_acc *accs[] = {&run->installed_all, &run->usable, &run->allocated, &run->busy,
                    &run->queue,         &run->backlog, &run->failed};
  for (size_t i = 0; i < sizeof accs / sizeof accs[0]; i++) memset(accs[i], 0, sizeof *accs[i]);
  run->installed_h100e = run->usable_h100e = 0;
  run->fail_who = r->fail_who;
  gp_rng_reset(run->policy_rng, s->seed, (uint64_t)w->rep, gp_world_stream(GP_SRC_POLICY, run->pol->key));
  for (int t = 0; t < s->ntranches; t++) {
    gp_tstate *st = &run->ts[t];
    gp_tstate keep = *st;
    memset(st, 0, sizeof *st);
    st->running = keep.running;
    st->byend = keep.byend;
    st->caprunning = keep.caprunning;
    st->work = keep.work;
    gp_sumtree_clear(&st->work);
  }
  memset(run->queues, 0, (size_t)s->npools * sizeof *run->queues);
  for (int o = 0; o < no; o++) {
    gp_origin *og = &run->origins[o];
    og->nready = 0;
    og->pending = og->next_committee = og->committee_scheduled = 0;
    for (int g = 0; g < GP_MAX_GPU_TYPES; g++)
      og->capacity[g] = o < s->ncalls ? s->calls[o].capacity[g]
                        : o < s->ncalls + s->nstreams ? s->streams[o - s->ncalls].capacity[g]
                                                      : -1;
  }
  for (size_t i = 0; i < w->n; i++) {
    gp_proj *p = &run->projs[i];
    memset(p, 0, sizeof *p);
    p->w = &w->props[i];
    p->id = (int32_t)i;
    p->tranche = -1;
    p->decided = p->ready = p->started = p->finished = -1;
    p->outcome = GP_OUT_IN_REVIEW;
    p->reviewed = (int8_t)w->pipe.reviewed[i];
  }
  return 0;
}

int gp_runner_play(gp_runner *r, const gp_world *w, int policy, int detail, gp_run_out *out,
                   gp_err *err) {
  const gp_scenario *s = r->s;
  gp_run *run = &r->run;
  memset(out, 0, sizeof *out);
  int rc = -1, no = gp_scenario_norigins(s);
  out->calls = calloc((size_t)(no ? no : 1), sizeof *out->calls);
  if (!out->calls) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  if (run_reset(r, w, policy, detail) != 0) {
    GP_ERR_NOMEM(err);
    goto done;
  }
  /* The order of scheduling at time 0 fixes the order of same-time events:
   * tranches, then the target probe, then samples, then proposals (the
   * pipeline's first event, scheduled by -1 after these: cur_h = -1,
   * cur_o = 0). */
  for (int t = 0; t < s->ntranches; t++) schedule_tranche(run, t);
  if (s->target_gpus > 0 && s->target_date <= s->end && s->target_date >= 0)
    run_at(run, s->target_date, ev_target, 0);
  if (detail) run_at(run, 0, ev_sample, 0);
  /* Run in slices of simulated time, so that a signal stops a long
   * replication within a fraction of a second.  The world's failures and
   * repairs are no kernel events: each is played once the kernel has fired
   * everything up to its time (their times are continuous draws, which no
   * other event's time equals).  Nor are the pipeline's events: each is
   * replayed once the kernel has fired everything before its time, and at
   * its time everything scheduled before it (ev_kernel). */
  const gp_moment *mo = w->fails.m;
  const gp_pentry *pe = run->pipe;
  size_t m = 0, nm = w->fails.n;
  for (double t = 0; t < s->end;) {
    t = t + 30 < s->end ? t + 30 : s->end;
    for (;;) {
      double tk = gp_sim_next_time(run->sim), te = pe[run->pipe_next].t,
             tf = m < nm ? mo[m].t : HUGE_VAL;
      if (tk <= te && tk <= tf) {
        if (tk > t || !gp_sim_step(run->sim)) break;
      } else if (te <= tf) {
        if (te > t) break;
        /* Most pipeline events do nothing to the run (a review of three
         * done, a screening passed): they are only counted, as many in a
         * row as come before anything else (nothing changes tk or tf). */
        if (pe[run->pipe_next].eff == pe[run->pipe_next + 1].eff) {
          size_t j = run->pipe_next + 1;
          /* (the closing entry, at infinity, stops the scan before its eff is compared) */
          while (pe[j].t <= t && pe[j].t < tk && pe[j].t <= tf && pe[j].eff == pe[j + 1].eff) j++;
          run->pipe_next = j;
          continue;
        }
        if (gp_sim_run_until(run->sim, te) != 0) break;
        replay_entry(run, run->pipe_next++);
      } else {
        if (tf > t || gp_sim_run_until(run->sim, tf) != 0) break;
        run->cur_h = (long)run->pipe_next - 1;
        run->cur_o = INT_MAX;
        uint64_t code = mo[m].code;
        if (GP_MOMENT_REPAIR(code)) node_repaired(run, GP_MOMENT_FAILURE(code), GP_MOMENT_TRANCHE(code));
        else node_fails(run, GP_MOMENT_FAILURE(code), GP_MOMENT_TRANCHE(code), mo[m].u);
        m++;
      }
    }
    if (gp_sim_run_until(run->sim, t) != 0) {
      const gp_err *e = gp_sim_error(run->sim);
      GP_ERR(err, e->code, "replication %d, policy %s: %s", w->rep, run->pol->name, e->msg);
      goto done;
    }
    if (gp_interrupted) {
      GP_ERR(err, GP_EX_SIGNAL + gp_interrupted, "interrupted");
      goto done;
    }
  }
  summarise(run, out);
  summarise_origins(run, out);
  if (detail) {
    if (fill_detail(run, out) != 0) {
      GP_ERR_NOMEM(err);
      goto done;
    }
    out->ts = run->samples;
    out->nsamples = run->nsamples;
    run->samples = NULL;
  }
  /* kernel events, pipeline events, failures and repairs */
  out->events = gp_sim_fired(run->sim) + run->pipe_next + m;
  rc = 0;
done:
  if (rc != 0) gp_run_out_free(out);
  /* The kernel's pending events point into this run: drop them now. */
  gp_sim_free(run->sim);
  run->sim = NULL;
  return rc;
}

int gp_run_policy(const gp_scenario *s, const gp_world *w, int policy, int detail,
                  gp_run_out *out, gp_err *err) {
  gp_runner *r = gp_runner_new(s);
  if (!r) {
    memset(out, 0, sizeof *out);
    return GP_ERR_NOMEM(err);
  }
  int rc = gp_runner_play(r, w, policy, detail, out, err);
  gp_runner_free(r);
  return rc;
}

void gp_run_out_free(gp_run_out *out) {
  if (!out) return;
  free(out->props);
  free(out->ts);
  free(out->calls);
  out->props = NULL;
  out->ts = NULL;
  out->calls = NULL;
}
