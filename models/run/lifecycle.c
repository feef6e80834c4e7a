/*
 * models/run/lifecycle.c - a proposal's life in a run, from submission to
 * the queue: committees decide their piles with the policy's selection rule
 * and the source's budget, accepted projects onboard and join their pool's
 * queue, and any proposal may withdraw.
 *
 * Committees sit on demand: the first proposal handed to an origin's
 * committee schedules its next sitting; the sitting decides the whole pile.
 * A call's budget lasts its whole life; a stream's is per sitting.
 *
 * Invariant: origins[o].pending counts o's submitted proposals that are
 * neither decided nor withdrawn; the backlog accumulator sums them.
 */
#include <math.h>
#include <string.h>

#include "models/run/run_int.h"
#include "sim/vec.h"

static void ev_withdraw(gp_sim *sim, void *ctx, uint64_t arg);

static int ptr_push(gp_proj ***v, size_t *n, size_t *cap, gp_proj *p) {
  if (GP_VEC_RESERVE(*v, *cap, *n + 1, 64)) return -1;
  (*v)[(*n)++] = p;
  return 0;
}

void gp_life_submitted(gp_run *run, gp_proj *p) {
  if (p->w->withdraw_at < run->s->end) gp_ev_at(run, p->w->withdraw_at, ev_withdraw, (uint64_t)p->id);
  if (p->w->designated) gp_life_decided(run, p, 1);
}

static void ev_ready(gp_sim *sim, void *ctx, uint64_t arg) {
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  if (p->withdrawn) return;
  int pool = proj_pool(run, p);
  gp_queue *q = &run->queues[pool];
  p->ready = gp_sim_now(sim);
  p->outcome = GP_OUT_WAITING;
  p->qprev = proj_link(q->tail);
  p->qnext = 0;
  if (q->tail) q->tail->qnext = proj_link(p);
  else q->head = p;
  q->tail = p;
  q->n++;
  acc_add(&run->queue, p->ready, run->from, 1);
  gp_cap_schedule(run, pool);
}

void gp_life_jobs(gp_run *run) {
  for (size_t i = 0; i < run->w->n; i++) {
    gp_proj *p = &run->projs[i];
    p->decided = p->w->submitted;
    p->accepted = 1;
    p->units = p->awarded = p->w->units;
    if (p->w->submitted <= run->s->end) gp_ev_at(run, p->w->submitted, ev_ready, (uint64_t)p->id);
  }
}

void gp_life_decided(gp_run *run, gp_proj *p, int accepted) {
  double now = run_now(run);
  p->decided = now;
  p->accepted = (int8_t)accepted;
  if (!accepted) p->units = 0;
  else if (p->units <= 0) p->units = p->w->units; /* designations, all-or-nothing rules */
  p->awarded = p->units;
  run->origins[p->w->origin].pending--;
  acc_add(&run->backlog, now, run->from, -1);
  if (!accepted) {
    p->outcome = GP_OUT_REJECTED;
    gp_ret_rejected(run, p);
    return;
  }
  double ready = now + p->w->onboard_days;
  int o = p->w->origin;
  if (o < run->s->ncalls && ready < run->s->calls[o].supply_from) ready = run->s->calls[o].supply_from;
  gp_ev_at(run, ready, ev_ready, (uint64_t)p->id);
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
  if (run->pol->selection->decide(run, &b) != 0) { /* the run stops: no decision stands */
    if (!gp_sim_error(run->sim)->code)
      gp_sim_fail(run->sim, GP_EX_SOFTWARE, "selection rule %s failed without saying why",
                  run->pol->selection->name);
    return;
  }
  for (size_t i = 0; i < n; i++) gp_life_decided(run, og->ready[i], og->ready[i]->accepted);
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

void gp_life_to_committee(gp_run *run, gp_proj *p, int o) {
  gp_origin *og = &run->origins[o];
  if (ptr_push(&og->ready, &og->nready, &og->capready, p)) {
    gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
    return;
  }
  int immediate = o >= run->s->ncalls && run->s->streams[o - run->s->ncalls].committee_every <= 0;
  if (immediate) {
    committee(run, o);
  } else if (!og->committee_scheduled) {
    double t = next_committee(run, o, run_now(run));
    if (t <= run->s->end) {
      og->committee_scheduled = 1;
      gp_ev_at(run, t, ev_committee, (uint64_t)o);
    }
  }
}

static void ev_withdraw(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  if (p->withdrawn || p->outcome == GP_OUT_REJECTED || p->finished >= 0) return;
  double now = run_now(run);
  p->withdrawn = 1;
  if (p->started >= 0) {
    gp_cap_release(run, p, GP_OUT_WITHDRAWN);
    return;
  }
  if (p->decided < 0) { /* still in review: its queued jobs will be skipped */
    run->origins[p->w->origin].pending--;
    acc_add(&run->backlog, now, run->from, -1);
  } else if (p->ready >= 0) { /* waiting for servers: those behind may start */
    int pool = proj_pool(run, p);
    queue_remove(&run->queues[pool], p);
    gp_ev_unwake(run, p);
    acc_add(&run->queue, now, run->from, -1);
    p->outcome = GP_OUT_WITHDRAWN;
    pool_changed(run, pool);
    gp_cap_schedule(run, pool);
    return;
  }
  p->outcome = GP_OUT_WITHDRAWN;
}

