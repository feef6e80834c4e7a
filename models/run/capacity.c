/*
 * models/run/capacity.c - the run's capacity: tranches' node batches and
 * agreement ends, node failures and repairs, projects starting, releasing
 * their units and being reclaimed, and reservations for the backfilling
 * rules.
 *
 * Invariants (with run_int.h's): a tranche's running[] holds its started,
 * unreleased projects, p->run_index their positions; work[] weighs each
 * position by its project's working units (units - failed); while
 * run->byend_kept, byend[] holds the same projects by scheduled end.  A
 * failure that hits a held node charges that project (p->failed) until it is
 * repaired or the project leaves, when the node counts as down.  Every
 * change of usable or busy GPUs is told to the power meter (power.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/run/run_int.h"
#include "sim/vec.h"

static void ev_finish(gp_sim *sim, void *ctx, uint64_t arg);
static void ev_reclaim(gp_sim *sim, void *ctx, uint64_t arg);

/* A tranche's running projects:
 * running[] in the order they started, except that a project leaving is
 * replaced by the last one (swap-remove); work[] weighs each position by its
 * project's working units (for failures); byend[] holds the same projects by
 * planned end (proj_end), ties in running order, as a stable sort of
 * running[] would (for reservations). */

/* First of the N first positions of byend whose (end, running position)
 * is not below (E, I). */
static size_t byend_lower(const gp_tstate *st, size_t n, double e, size_t i) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const gp_proj *q = st->byend[mid];
    double eq = proj_end(q);
    if (eq < e || (eq == e && q->run_index < i)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Insert P (its run_index set) into byend, which holds N projects. */
static void byend_insert(gp_tstate *st, gp_proj *p, size_t n) {
  size_t k = byend_lower(st, n, proj_end(p), p->run_index);
  memmove(st->byend + k + 1, st->byend + k, (n - k) * sizeof *st->byend);
  st->byend[k] = p;
}

/* Remove P from byend, which holds N projects. */
static void byend_remove(gp_tstate *st, const gp_proj *p, size_t n) {
  size_t k = byend_lower(st, n, proj_end(p), p->run_index);
  memmove(st->byend + k, st->byend + k + 1, (n - k - 1) * sizeof *st->byend);
}

static int cmp_byend(const void *a, const void *b) {
  const gp_proj *x = *(gp_proj *const *)a, *y = *(gp_proj *const *)b;
  double ex = proj_end(x), ey = proj_end(y);
  if (ex != ey) return ex < ey ? -1 : 1;
  return (x->run_index > y->run_index) - (x->run_index < y->run_index);
}

/* Tranche T's busy GPUs change by D at NOW: its count, the run's
 * accumulator and the power meter together, so that none is told alone. */
static void busy_add(gp_run *run, int t, double now, double d) {
  run->ts[t].busy += d;
  acc_add(&run->busy, now, run->from, d);
  gp_power_change(run, t, 0, d);
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
  p->run_index = (uint32_t)n;
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
    last->run_index = (uint32_t)i;
    if (run->byend_kept) byend_insert(st, last, n - 2);
  }
  st->running[i] = last;
  st->nrunning = last_i;
}

void gp_cap_start(gp_run *run, gp_proj *p, int t, int32_t units, double hold) {
  double now = run_now(run);
  gp_tstate *st = &run->ts[t];
  queue_remove(&run->queues[proj_pool(run, p)], p);
  gp_ev_unwake(run, p);
  acc_add(&run->queue, now, run->from, -1);
  run->nstarted++;
  p->units = units;
  p->plan = proj_plan(p, hold);
  st->alloc += p->units;
  double gpus = (double)p->units * unit_gpus(run, t);
  acc_add(&run->allocated, now, run->from, gpus);
  busy_add(run, t, now, gpus * p->w->use);
  p->tranche = (int16_t)t;
  p->started = now;
  p->gpuh_since = now;
  p->outcome = GP_OUT_RUNNING;
  if (running_add(run, st, p)) {
    gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
    return;
  }
  gp_ev_at(run, now + hold, ev_finish, (uint64_t)p->id);
  if (run->pol->reclaim_at > 0)
    gp_ev_at(run, now + hold * run->pol->reclaim_at, ev_reclaim, (uint64_t)p->id);
}

double gp_cap_reservation(gp_run *run, const gp_proj *p, int *tranche, long long *spare) {
  if (!run->byend_kept) byend_start(run);
  double best = HUGE_VAL;
  *tranche = -1;
  *spare = 0;
  for (int t = 0; t < run->s->ntranches; t++) {
    if (!tranche_serves(run, p, t, -1)) continue;
    const gp_tstate *st = &run->ts[t];
    long long avail = free_units(run, t);
    double when = HUGE_VAL;
    if (avail >= p->units) {
      when = run_now(run);
    } else {
      /* A project's failed servers are down when it ends; count what it
       * frees.  Every project planned to end at the reservation time frees
       * its units then: all of them count toward the spare, whatever order
       * equal ends are kept in. */
      for (size_t i = 0; i < st->nrunning; i++) {
        const gp_proj *q = st->byend[i];
        double e = proj_end(q);
        if (avail >= p->units && e != when) break;
        avail += q->units - q->failed;
        if (avail >= p->units && when == HUGE_VAL) when = e;
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

/* Is a project of POOL planned to end now still running?  Its release comes
 * at this same instant and will call the rule.  byend (kept from the start
 * for the rules that are not capacity_only) holds each tranche's earliest
 * planned end first. */
static int release_due(const gp_run *run, int pool) {
  double now = run_now(run);
  for (int t = 0; t < run->s->ntranches; t++) {
    const gp_tstate *st = &run->ts[t];
    if (st->nrunning && run->s->tranches[t].pool == pool && proj_end(st->byend[0]) <= now)
      return 1;
  }
  return 0;
}

void gp_cap_schedule(gp_run *run, int pool) {
  /* A project planned to end now holds nothing now: the rule is asked once
   * every such project has ended, so that what it decides at an instant
   * cannot depend on the order in which simultaneous ends are handled.
   * (Rules that are capacity_only decide the same either way.) */
  if (!run->pol->scheduling->capacity_only && release_due(run, pool)) return;
  if (run->pol->scheduling->schedule(run, pool) != 0 && !gp_sim_error(run->sim)->code)
    gp_sim_fail(run->sim, GP_EX_SOFTWARE, "scheduling rule %s failed without saying why",
                run->pol->scheduling->name);
}

static void set_usable(gp_run *run, int t, double dgpus) {
  double now = run_now(run);
  acc_add(&run->usable, now, run->from, dgpus);
  gp_power_change(run, t, dgpus, 0);
  run->usable_h100e += dgpus * run->s->gpu_types[run->s->tranches[t].gpu_type].h100_equiv;
}

static void set_installed(gp_run *run, int t, double dgpus) {
  acc_add(&run->installed_all, run_now(run), run->from, dgpus);
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
  pool_changed(run, tr->pool);
  gp_cap_schedule(run, tr->pool);
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
  pool_changed(run, tr->pool);
  /* No failure is left to fire: the world's stop at the agreement's end. */
}

/* Nodes that can fail: online, not already down. */
static int working_nodes(const gp_tstate *st) { return st->online - st->down - st->failed_held; }

/* Failure K of the world's list: a node of its tranche T goes down, free or
 * held as the failure's uniform falls among the nodes that can fail (held
 * ones weighted by each project's working units). */
void gp_cap_fail(gp_run *run, size_t k, int t, double u) {
  gp_tstate *st = &run->ts[t];
  const gp_tranche *tr = &run->s->tranches[t];
  double gpn = tr->gpus_per_node, now = run_now(run);
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
    busy_add(run, t, now, -(gpn * p->w->use));
    acc_add(&run->failed, now, run->from, gpn);
    who = (uint32_t)p->id + 1;
  }
  run->fail_who[k] = who;
  pool_changed(run, tr->pool);
}

/* The node of failure K (of tranche T) is repaired: back to its project if
 * that still runs there, else free (or gone, after the agreement's end). */
void gp_cap_repair(gp_run *run, size_t k, int t) {
  uint32_t who = run->fail_who[k];
  gp_tstate *st = &run->ts[t];
  const gp_tranche *tr = &run->s->tranches[t];
  double gpn = tr->gpus_per_node, now = run_now(run);
  acc_add(&run->failed, now, run->from, -gpn);
  pool_changed(run, tr->pool);
  gp_proj *p = who ? &run->projs[who - 1] : NULL;
  if (p && p->tranche == t && p->finished < 0 && p->failed > 0) {
    p->failed--;
    gp_sumtree_add(&st->work, p->run_index, 1);
    st->failed_held--;
    busy_add(run, t, now, gpn * p->w->use);
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
  gp_cap_schedule(run, tr->pool);
}

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

int gp_cap_take(gp_run *run, gp_proj *p, double take) {
  int t = p->tranche;
  gp_tstate *st = &run->ts[t];
  int working = p->units - p->failed;
  int k = (int)floor(working * take + 1e-9);
  if (k >= p->units) k = p->units - 1; /* a project keeps at least one unit */
  if (k <= 0) return 0;
  double now = run_now(run), ug = unit_gpus(run, t);
  gp_out_accrue(run, p, now);
  p->units -= k;
  gp_sumtree_add(&st->work, p->run_index, -k);
  /* what it forfeits: those units to its planned end, counted in the window */
  double a = now > run->from ? now : run->from;
  double b = proj_end(p) < run->s->end ? proj_end(p) : run->s->end;
  if (b > a) run->reclaimed_gpuh += (double)k * ug * (b - a) * 24;
  st->alloc -= k;
  acc_add(&run->allocated, now, run->from, -(double)k * ug);
  busy_add(run, t, now, -((double)k * ug * p->w->use));
  leave_if_ended(run, t);
  return k;
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
  if (gp_cap_take(run, p, pol->reclaim_take) == 0) return;
  pool_changed(run, run->s->tranches[t].pool);
  gp_cap_schedule(run, run->s->tranches[t].pool);
}

/* P gives its units back now (finished or withdrawn). */
void gp_cap_release(gp_run *run, gp_proj *p, int outcome) {
  int t = p->tranche;
  const gp_tranche *tr = &run->s->tranches[t];
  gp_tstate *st = &run->ts[t];
  double now = run_now(run), ug = unit_gpus(run, t);
  double gpus = (double)p->units * ug;
  gp_out_accrue(run, p, now);
  running_remove(run, st, p);
  st->alloc -= p->units;
  acc_add(&run->allocated, now, run->from, -gpus);
  double busy = (gpus - p->failed * (double)tr->gpus_per_node) * p->w->use;
  busy_add(run, t, now, -busy);
  if (p->failed) { /* its failed servers stay down until repaired */
    st->down += p->failed;
    st->failed_held -= p->failed;
    set_usable(run, t, -(double)p->failed * tr->gpus_per_node);
    p->failed = 0;
  }
  leave_if_ended(run, t);
  if (now < proj_end(p)) pool_changed(run, tr->pool); /* before its planned end */
  p->finished = now;
  p->outcome = (int8_t)outcome;
  gp_cap_schedule(run, tr->pool);
}

static void ev_finish(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  if (p->finished >= 0) return; /* withdrew earlier */
  gp_cap_release(run, p, GP_OUT_FINISHED);
  gp_ret_finished(run, p);
}

void gp_cap_schedule_tranche(gp_run *run, int t) {
  const gp_tranche *tr = &run->s->tranches[t];
  double t0 = run->w->online[t];
  if (t0 > run->s->end) return;
  int batches = gp_world_batches(tr), done = 0;
  for (int b = 0; b < batches; b++) {
    int upto;
    double when = gp_world_batch_at(tr, t0, batches, b, &upto);
    if (upto > done && when <= run->s->end)
      gp_ev_at(run, when, ev_nodes, (uint64_t)t | (uint64_t)(upto - done) << 24);
    done = upto;
  }
  if (tr->end <= run->s->end)
    gp_ev_at(run, tr->end > t0 ? tr->end : t0, ev_tranche_end, (uint64_t)t);
}

