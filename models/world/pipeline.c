/*
 * models/world/pipeline.c - the review pipeline's play (see pipeline.h).
 *
 * A proposal's path up to its committee: submitted (designated allocations
 * stop there) -> screened once its call closes (a stream's at once), passing
 * with probability screening_pass -> reviews_per_proposal review jobs, each
 * for one reviewer of a finite panel, first come first served -> an
 * interview for large requests, interview_slots_per_day a day -> its
 * committee.  A proposal that withdraws meanwhile has its queued jobs and
 * interview skipped.
 *
 * Invariant: the play schedules exactly the events a run's kernel scheduled
 * for the pipeline when runs played it themselves, in the same order, so the
 * recorded (time, scheduler, order) fix the same firing order; only
 * submissions, screenings, review completions and interview days are
 * recorded as entries (withdrawals are played to skip jobs, and recorded by
 * nothing: runs fire them as kernel events).
 */
#include "models/world/pipeline.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/world/world.h"
#include "sim/fifo.h"
#include "sim/interrupt.h"
#include "sim/sim.h"
#include "sim/vec.h"

/* A scheduled pipeline event: its argument and where it was scheduled. */
typedef struct psched {
  uint32_t arg;  /* proposal, or review job */
  int32_t par;   /* the pipeline event that scheduled it */
  int32_t ord;   /* its place among that event's pipeline schedules */
} psched;

/* A proposal while in review. */
typedef struct pprop {
  int8_t reviews_left;
  uint8_t withdrawn;
} pprop;

/* What a pipeline keeps from one play to the next (a worker redraws its
 * world for every replication: memory freed and allocated afresh came back
 * as page faults).  Where each event was scheduled (psched, 12 bytes an
 * event) is not kept: it is needed only while playing.  The kernel is kept
 * and reset (gp_sim_reset) rather than made afresh, its arrays with it. */
typedef struct gp_pipeline_keep {
  gp_sim *sim;                      /* the play's kernel; NULL until the first play */
  size_t cape, capeff, capreviewed; /* room of the pipeline's arrays */
  pprop *pp;                        /* per proposal (cappp) */
  size_t cappp;
  gp_fifo reviews, interviews;
} pkeep;

/* The play: its kernel, the panel and the interview queue, and the record. */
typedef struct player {
  const gp_scenario *s;
  const gp_wprop *props;
  const float *review_days; /* nreviews a proposal (gp_world.review_days) */
  uint32_t nreviews;
  size_t nprops;
  gp_pipeline *pl;
  pkeep *k;
  gp_sim *sim;
  gp_fifo *reviews;    /* review jobs waiting for a reviewer: id * GP_MAX_REVIEWS + k */
  int free_reviewers;  /* INT_MAX when unlimited */
  gp_fifo *interviews; /* proposals waiting for an interview */
  int interview_day_scheduled;
  psched *ps;          /* per scheduled pipeline event: its argument and scheduler */
  size_t nps, capps;
  pprop *pp;           /* per proposal */
  int32_t cur;         /* the pipeline event firing (-1: the start) */
  int32_t ctr;         /* pipeline events it has scheduled */
} player;

/* Room in the play's array V (capacity CAP) for NEED: 0, or -1 with the
 * play failed (out of memory). */
#define PLAY_RESERVE(r, v, cap, need)                                                          \
  (GP_VEC_RESERVE(v, cap, need, 4096) ? gp_sim_fail((r)->sim, GP_EX_OSERR, "out of memory") : 0)

/* Schedule FN(ARG) at T in the play; ENTRY: a pipeline event (recorded),
 * else a withdrawal (played, not recorded: runs fire it in their kernel). */
static void play_at(player *r, double t, gp_event_fn fn, uint32_t arg, int entry) {
  if (PLAY_RESERVE(r, r->ps, r->capps, r->nps + 1)) return;
  r->ps[r->nps] = (psched){arg, r->cur, r->ctr};
  if (entry) r->ctr++;
  gp_sim_at(r->sim, t, fn, r, r->nps++);
}

/* Pipeline event SLOT fires: record it.  Returns its argument. */
static uint32_t play_entry(player *r, uint64_t slot) {
  gp_pipeline *pl = r->pl;
  const psched *q = &r->ps[slot];
  if (pl->n >= INT32_MAX - 1 || pl->neff >= UINT32_MAX - 1) { /* indices are 32-bit */
    gp_sim_fail(r->sim, GP_EX_DATAERR, "more than 2^31 review events in one replication");
    return q->arg;
  }
  if (PLAY_RESERVE(r, pl->e, r->k->cape, pl->n + 2)) return q->arg; /* and the closing entry */
  pl->e[pl->n] = (gp_pentry){gp_sim_now(r->sim), q->par, q->ord, (uint32_t)pl->neff};
  r->cur = (int32_t)pl->n++;
  r->ctr = 0;
  return q->arg;
}

static void play_eff(player *r, int kind, uint32_t id) {
  gp_pipeline *pl = r->pl;
  if (PLAY_RESERVE(r, pl->eff, r->k->capeff, pl->neff + 1)) return;
  const gp_wprop *w = &r->props[id];
  if (kind == GP_PE_SUBMIT && !(w->withdraw_at < r->s->end) && !w->designated) kind = GP_PE_ARRIVE;
  pl->eff[pl->neff++] = (gp_peff){id, (int16_t)kind, w->origin, r->ctr};
}

static void play_interview_day(gp_sim *sim, void *ctx, uint64_t slot);
static void play_review_done(gp_sim *sim, void *ctx, uint64_t slot);

static void play_interviewed(player *r, uint32_t id) {
  play_eff(r, r->props[id].u_interview < r->s->review.interview_pass ? GP_PE_COMMITTEE : GP_PE_REJECT,
           id);
}

static void play_ask_interview(player *r, uint32_t id) {
  if (r->s->review.interview_slots <= 0) {
    play_interviewed(r, id);
    return;
  }
  if (gp_fifo_push(r->interviews, id)) {
    gp_sim_fail(r->sim, GP_EX_OSERR, "out of memory");
    return;
  }
  if (!r->interview_day_scheduled) {
    r->interview_day_scheduled = 1;
    play_at(r, floor(gp_sim_now(r->sim)) + 1, play_interview_day, 0, 1);
  }
}

/* One interview day: up to interview_slots proposals, in order. */
static void play_interview_day(gp_sim *sim, void *ctx, uint64_t slot) {
  player *r = ctx;
  play_entry(r, slot);
  r->interview_day_scheduled = 0;
  int slots = r->s->review.interview_slots;
  while (slots > 0 && r->interviews->n) {
    uint32_t id = gp_fifo_pop(r->interviews);
    if (r->pp[id].withdrawn) continue;
    slots--;
    play_interviewed(r, id);
  }
  if (r->interviews->n) {
    r->interview_day_scheduled = 1;
    play_at(r, gp_sim_now(sim) + 1, play_interview_day, 0, 1);
  }
}

/* Give waiting review jobs to free reviewers. */
static void play_dispatch(player *r) {
  while (r->free_reviewers > 0 && r->reviews->n) {
    uint32_t job = gp_fifo_pop(r->reviews), id = job / GP_MAX_REVIEWS;
    if (r->pp[id].withdrawn) continue;
    if (r->free_reviewers != INT_MAX) r->free_reviewers--;
    double days = r->review_days[(size_t)id * r->nreviews + job % GP_MAX_REVIEWS];
    play_at(r, gp_sim_now(r->sim) + days, play_review_done, job, 1);
  }
}

static void play_review_done(gp_sim *sim, void *ctx, uint64_t slot) {
  (void)sim;
  player *r = ctx;
  uint32_t id = play_entry(r, slot) / GP_MAX_REVIEWS;
  pprop *q = &r->pp[id];
  if (r->free_reviewers != INT_MAX) r->free_reviewers++;
  if (!q->withdrawn && --q->reviews_left == 0) {
    r->pl->reviewed[id] = 1;
    if (r->props[id].interview) play_ask_interview(r, id);
    else play_eff(r, GP_PE_COMMITTEE, id);
  }
  play_dispatch(r);
}

static void play_screened(gp_sim *sim, void *ctx, uint64_t slot) {
  (void)sim;
  player *r = ctx;
  uint32_t id = play_entry(r, slot);
  const gp_review *rv = &r->s->review;
  if (r->pp[id].withdrawn) return;
  if (r->props[id].u_screen >= rv->screening_pass) {
    play_eff(r, GP_PE_REJECT, id);
    return;
  }
  r->pp[id].reviews_left = (int8_t)rv->reviews;
  for (int k = 0; k < rv->reviews; k++)
    if (gp_fifo_push(r->reviews, id * GP_MAX_REVIEWS + (uint32_t)k)) {
      gp_sim_fail(r->sim, GP_EX_OSERR, "out of memory");
      return;
    }
  play_dispatch(r);
}

/* A proposal withdraws: its queued review jobs and interview are skipped
 * (the rest of the withdrawal is the run's). */
static void play_withdraw(gp_sim *sim, void *ctx, uint64_t slot) {
  (void)sim;
  player *r = ctx;
  r->pp[r->ps[slot].arg].withdrawn = 1;
}

/* Submissions are scheduled one ahead, so the event set holds one pending
 * submission rather than all of them. */
static void play_submit(gp_sim *sim, void *ctx, uint64_t slot) {
  player *r = ctx;
  const gp_scenario *s = r->s;
  uint32_t id = play_entry(r, slot);
  if (id + 1 < r->nprops) play_at(r, r->props[id + 1].submitted, play_submit, id + 1, 1);
  play_eff(r, GP_PE_SUBMIT, id);
  const gp_wprop *p = &r->props[id];
  if (p->withdraw_at < s->end) play_at(r, p->withdraw_at, play_withdraw, id, 0);
  if (p->designated) return;
  /* A call's proposals are screened once it closes; a stream's at once. */
  double t0 = gp_sim_now(sim);
  if (p->origin < s->ncalls && s->calls[p->origin].close > t0) t0 = s->calls[p->origin].close;
  play_at(r, t0 + p->screening_days, play_screened, id, 1);
}

int gp_pipeline_play(gp_pipeline *pl, const gp_scenario *s, int rep, const gp_wprop *props,
                     const float *review_days, size_t n, gp_err *err) {
  player r;
  memset(&r, 0, sizeof r);
  pl->n = pl->neff = 0;
  if (!pl->keep && !(pl->keep = calloc(1, sizeof *pl->keep))) return GP_ERR_NOMEM(err);
  pkeep *k = pl->keep;
  r.s = s;
  r.props = props;
  r.review_days = review_days;
  r.nreviews = (uint32_t)s->review.reviews;
  r.nprops = n;
  r.pl = pl;
  r.k = k;
  r.free_reviewers = s->review.reviewers > 0 ? s->review.reviewers : INT_MAX;
  r.cur = -1;
  r.reviews = &k->reviews;
  r.interviews = &k->interviews;
  gp_fifo_clear(r.reviews);
  gp_fifo_clear(r.interviews);
  int rc = 0, stopped = 0;
  /* Room for what a world usually needs, so that the arrays rarely grow
   * (each growth copies them): per proposal a submission, a screening and
   * its reviews (entries, and schedules with its withdrawal), a submission
   * and a decision (effects); at least the closing entry. */
  size_t per = (size_t)s->review.reviews + 2;
  if (GP_VEC_RESERVE(pl->reviewed, k->capreviewed, n + 1, 1) ||
      GP_VEC_RESERVE(k->pp, k->cappp, n + 1, 1) ||
      GP_VEC_RESERVE(pl->e, k->cape, per * n + 64, 4096) ||
      GP_VEC_RESERVE(pl->eff, k->capeff, 2 * n + 64, 4096) ||
      GP_VEC_RESERVE(r.ps, r.capps, (per + 1) * n + 64, 4096) ||
      (!k->sim && !(k->sim = gp_sim_new(256)))) {
    GP_ERR_NOMEM(err);
    rc = -1;
    goto done;
  }
  r.sim = k->sim;
  gp_sim_reset(r.sim); /* a fresh kernel: the last play's pending events dropped */
  r.pp = k->pp;
  memset(pl->reviewed, 0, n * sizeof *pl->reviewed);
  memset(r.pp, 0, n * sizeof *r.pp);
  if (n) play_at(&r, props[0].submitted, play_submit, 0, 1);
  /* In slices, as a run: a signal stops even a very large world's play
   * within a fraction of a second. */
  for (double t = 0; rc == 0 && !stopped && t < s->end;) {
    t = t + 30 < s->end ? t + 30 : s->end;
    rc = gp_sim_run_until(r.sim, t);
    stopped = gp_interrupted;
  }
  if (rc != 0) {
    const gp_err *e = gp_sim_error(r.sim);
    GP_ERR(err, e->code, "replication %d, review pipeline: %s", rep, e->msg);
  } else if (stopped) {
    GP_ERR(err, GP_EX_SIGNAL + stopped, "interrupted");
    rc = -1;
  }
done:
  free(r.ps);
  if (rc != 0) {
    pl->n = pl->neff = 0;
    return -1;
  }
  pl->e[pl->n] = (gp_pentry){HUGE_VAL, 0, 0, (uint32_t)pl->neff};
  return 0;
}

void gp_pipeline_free(gp_pipeline *pl) {
  if (!pl) return;
  free(pl->e);
  free(pl->eff);
  free(pl->reviewed);
  if (pl->keep) {
    free(pl->keep->pp);
    gp_sim_free(pl->keep->sim);
    gp_fifo_free(&pl->keep->reviews);
    gp_fifo_free(&pl->keep->interviews);
    free(pl->keep);
  }
  memset(pl, 0, sizeof *pl);
}
