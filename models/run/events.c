/*
 * models/run/events.c - a run's kernel events, and the world's review
 * pipeline replayed between them.
 *
 * A run's kernel holds the policy's events, the committees and the
 * withdrawals; the review pipeline (submission, screening, reviews,
 * interviews) was played once, when the world was made
 * (models/world/pipeline.h), and each run replays its events between kernel
 * events; when the world made no record (world.h: pipe_recorded), the run
 * plays the pipeline in its kernel (review.c) and there is nothing to
 * replay.  Events at equal times fire in (time, seq) order, seq the order of
 * scheduling: so a pipeline event and a kernel event at the same time fire in
 * the order of the moments they were scheduled, which is where their
 * schedulers fired, and so on.  Every kernel event therefore records where
 * it was scheduled: in pipeline event h (the o-th of its pipeline schedules
 * and the kernel events after them), or in a kernel event fired after
 * pipeline event h (o = INT_MAX).  Pipeline event E goes before kernel event
 * P of the same time iff E's scheduling came first: E.par < P.h, or the same
 * handler and E.ord < P.o.
 *
 * With nothing to replay (the run plays the pipeline itself, or a trace's
 * jobs go to their queues: npipe 0), no pipeline event can come between
 * kernel events, so the records would order nothing: events then go to the
 * kernel as they are (ev_direct), in the same order, which fires them as the
 * records would have (the same calls to gp_sim_at, so the same (time, seq)).
 * A handle (gp_ev_at) is then the kernel's event id; otherwise the record's
 * index + 1.
 *
 * Invariant: with a pipeline to replay, every kernel event goes through
 * ev_kernel with a record from run->kev; a record is on the free list iff
 * no pending event holds it.
 */
#include <limits.h>
#include <string.h>

#include "models/run/run_int.h"
#include "sim/vec.h"

static void ev_kernel(gp_sim *sim, void *ctx, uint64_t arg);

void gp_ev_reset(gp_run *run) {
  run->pipe = run->w->pipe.e;
  run->peff = run->w->pipe.eff;
  run->npipe = run->w->pipe.n;
  run->pipe_next = 0;
  run->cur_h = -1; /* the start: the policy's first events, then the first submission */
  run->cur_o = 0;
  run->ev_direct = run->npipe == 0;
  run->kev_free = run->capkev ? 0 : UINT32_MAX;
  for (size_t i = 0; i < run->capkev; i++) run->kev[i].arg = i + 1 < run->capkev ? i + 1 : UINT32_MAX;
}

gp_event_id gp_ev_record(gp_run *run, double t, gp_event_fn fn, uint64_t arg) {
  if (run->kev_free == UINT32_MAX) {
    size_t old = run->capkev; /* all in use: the new ones become the free list */
    if (old >= UINT32_MAX / 2 || GP_VEC_RESERVE(run->kev, run->capkev, old + 1, 1024)) {
      gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
      return 0;
    }
    for (size_t i = old; i < run->capkev; i++)
      run->kev[i].arg = i + 1 < run->capkev ? i + 1 : UINT32_MAX;
    run->kev_free = (uint32_t)old;
  }
  uint32_t k = run->kev_free;
  gp_kev *e = &run->kev[k];
  run->kev_free = (uint32_t)e->arg;
  *e = (gp_kev){fn, arg, run->cur_h, run->cur_o, 0};
  if (!(e->id = gp_sim_at(run->sim, t, ev_kernel, run, k))) { /* the error is recorded */
    e->arg = run->kev_free;
    run->kev_free = k;
    return 0;
  }
  return (gp_event_id)k + 1;
}

void gp_ev_cancel(gp_run *run, gp_event_id h) {
  if (run->ev_direct) {
    gp_sim_cancel(run->sim, h);
    return;
  }
  uint32_t k = (uint32_t)(h - 1);
  if (!gp_sim_cancel(run->sim, run->kev[k].id)) return; /* fired: the record is free already */
  run->kev[k].arg = run->kev_free;
  run->kev_free = k;
}

/* A project's wake-up: its pool's scheduling rule, called again. */
static void ev_wake(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  run->wake[arg] = 0;
  gp_cap_schedule(run, proj_pool(run, p));
}

int gp_ev_wake(gp_run *run, gp_proj *p, double t) {
  if (!run->wake_on) { /* the first wake-up of the run: every project without one */
    if (GP_VEC_RESERVE(run->wake, run->capwake, run->nprojs, 1024) ||
        GP_VEC_RESERVE(run->wake_at, run->capwake_at, run->nprojs, 1024))
      return gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory");
    memset(run->wake, 0, run->nprojs * sizeof *run->wake);
    run->wake_on = 1;
  }
  gp_event_id *w = &run->wake[p->id];
  if (*w && run->wake_at[p->id] == t && t > run_now(run))
    return 0; /* the same time: the same event, in its place among that time's events */
  gp_ev_unwake(run, p);
  if (!(t > run_now(run)) || t > run->s->end) return 0;
  gp_event_id h = gp_ev_at(run, t, ev_wake, (uint64_t)p->id);
  if (!h) return -1;
  *w = h;
  run->wake_at[p->id] = t;
  return 0;
}

void gp_ev_unwake(gp_run *run, gp_proj *p) {
  if (!run->wake_on || !run->wake[p->id]) return;
  gp_ev_cancel(run, run->wake[p->id]);
  run->wake[p->id] = 0;
}

void gp_ev_replay(gp_run *run, size_t k) {
  const gp_pentry *e = &run->pipe[k];
  const gp_peff *f = run->peff + e->eff, *end = run->peff + e[1].eff;
  double now = run_now(run);
  run->cur_h = (long)k;
  for (; f < end; f++) {
    gp_proj *p = &run->projs[f->id];
    run->cur_o = f->o;
    switch (f->kind) {
    case GP_PE_SUBMIT:
    case GP_PE_ARRIVE:
      run->origins[f->origin].pending++;
      acc_add(&run->backlog, now, run->from, 1);
      if (f->kind == GP_PE_SUBMIT) gp_life_submitted(run, p);
      break;
    case GP_PE_REJECT:
      gp_life_decided(run, p, 0);
      break;
    default:
      gp_life_to_committee(run, p, f->origin);
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
    gp_ev_replay(run, run->pipe_next++);
  gp_ev_outside(run);
  e.fn(sim, run, e.arg);
}
