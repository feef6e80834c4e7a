/*
 * models/run/review.c - the review pipeline played by the run itself: when
 * the world holds no record of it (models/world/pipeline.h), because the
 * scenario has returning applicants or the run is the only policy.
 *
 * A proposal's path to its committee, as the world's play has it:
 * submitted (designated allocations stop there) -> screened once its call
 * closes (a stream's at once), passing with probability screening_pass ->
 * reviews_per_proposal review jobs, each for one reviewer of a finite
 * panel, first come first served -> an interview for large requests,
 * interview_slots_per_day a day -> its committee.  A proposal that
 * withdraws meanwhile (lifecycle.c sets p->withdrawn) has its queued jobs
 * and interview skipped.
 *
 * Why the run plays it: a returning applicant (returns.c) exists only under
 * the policies that rejected or ended its predecessor, and its reviews take
 * reviewers and interview slots from everyone behind it, so the panel's
 * queue differs from policy to policy; and a single policy has nothing to
 * share a record with (recording costs memory and time for nothing).
 *
 * Invariant: the handlers below schedule their events in the order
 * pipeline.c's play does, and act on the run where the play records an
 * effect, so that a world played here and a world replayed from its record
 * give the same run bit for bit (tests/unit/test_run.c:
 * review_played_or_replayed); only returning proposals, which the record
 * cannot hold, make the two differ.
 */
#include <limits.h>
#include <math.h>

#include "models/run/run_int.h"

static void ev_interview_day(gp_sim *sim, void *ctx, uint64_t arg);
static void ev_review_done(gp_sim *sim, void *ctx, uint64_t arg);

static void nomem(gp_run *run) { gp_sim_fail(run->sim, GP_EX_OSERR, "out of memory"); }

/* P is reviewed, and interviewed where it must be: to its committee or
 * turned down. */
static void interviewed(gp_run *run, gp_proj *p) {
  if (p->w->u_interview < run->s->review.interview_pass) gp_life_to_committee(run, p, p->w->origin);
  else gp_life_decided(run, p, 0);
}

static void ask_interview(gp_run *run, gp_proj *p) {
  if (run->s->review.interview_slots <= 0) {
    interviewed(run, p);
    return;
  }
  if (gp_fifo_push(&run->interviews, (uint32_t)p->id)) {
    nomem(run);
    return;
  }
  if (!run->interview_day_scheduled) {
    run->interview_day_scheduled = 1;
    gp_ev_at(run, floor(run_now(run)) + 1, ev_interview_day, 0);
  }
}

/* One interview day: up to interview_slots proposals, in order. */
static void ev_interview_day(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  (void)arg;
  gp_run *run = ctx;
  run->interview_day_scheduled = 0;
  int slots = run->s->review.interview_slots;
  while (slots > 0 && run->interviews.n) {
    gp_proj *p = &run->projs[gp_fifo_pop(&run->interviews)];
    if (p->withdrawn) continue;
    slots--;
    interviewed(run, p);
  }
  if (run->interviews.n) {
    run->interview_day_scheduled = 1;
    gp_ev_at(run, run_now(run) + 1, ev_interview_day, 0);
  }
}

/* Give waiting review jobs to free reviewers. */
static void dispatch(gp_run *run) {
  while (run->free_reviewers > 0 && run->reviews.n) {
    uint32_t job = gp_fifo_pop(&run->reviews);
    const gp_proj *p = &run->projs[job / GP_MAX_REVIEWS];
    if (p->withdrawn) continue;
    if (run->free_reviewers != INT_MAX) run->free_reviewers--;
    double days = gp_world_review_days(run->w, (size_t)p->id, (int)(job % GP_MAX_REVIEWS));
    gp_ev_at(run, run_now(run) + days, ev_review_done, job);
  }
}

static void ev_review_done(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg / GP_MAX_REVIEWS];
  if (run->free_reviewers != INT_MAX) run->free_reviewers++;
  if (!p->withdrawn && --p->reviews_left == 0) {
    p->reviewed = 1;
    if (p->w->interview) ask_interview(run, p);
    else gp_life_to_committee(run, p, p->w->origin);
  }
  dispatch(run);
}

static void ev_screened(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  gp_proj *p = &run->projs[arg];
  const gp_review *rv = &run->s->review;
  if (p->withdrawn) return;
  if (p->w->u_screen >= rv->screening_pass) {
    gp_life_decided(run, p, 0);
    return;
  }
  p->reviews_left = (int8_t)rv->reviews;
  for (int k = 0; k < rv->reviews; k++)
    if (gp_fifo_push(&run->reviews, (uint32_t)arg * GP_MAX_REVIEWS + (uint32_t)k)) {
      nomem(run);
      return;
    }
  dispatch(run);
}

/* P is submitted now: counted as pending, its withdrawal scheduled (or, a
 * designation, decided), its screening scheduled. */
static void submitted(gp_run *run, gp_proj *p) {
  const gp_scenario *s = run->s;
  int o = p->w->origin;
  double now = run_now(run);
  run->origins[o].pending++;
  acc_add(&run->backlog, now, run->from, 1);
  gp_life_submitted(run, p);
  if (p->w->designated) return;
  /* A call's proposals are screened once it closes; a stream's at once. */
  double t0 = now;
  if (o < s->ncalls && s->calls[o].close > t0) t0 = s->calls[o].close;
  gp_ev_at(run, t0 + p->w->screening_days, ev_screened, (uint64_t)p->id);
}

/* The world's proposals submit one after the other, each scheduling the
 * next, so that the kernel holds one pending submission rather than all. */
static void ev_submit_world(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  if (arg + 1 < run->w->n) gp_ev_at(run, run->w->props[arg + 1].submitted, ev_submit_world, arg + 1);
  submitted(run, &run->projs[arg]);
}

static void ev_submit_returning(gp_sim *sim, void *ctx, uint64_t arg) {
  (void)sim;
  gp_run *run = ctx;
  submitted(run, &run->projs[arg]);
}

void gp_rev_start(gp_run *run) {
  const gp_scenario *s = run->s;
  gp_fifo_clear(&run->reviews);
  gp_fifo_clear(&run->interviews);
  run->free_reviewers = s->review.reviewers > 0 ? s->review.reviewers : INT_MAX;
  run->interview_day_scheduled = 0;
  /* A review job is the proposal's id x GP_MAX_REVIEWS + the review's place. */
  if (run->nprojs > UINT32_MAX / GP_MAX_REVIEWS) {
    gp_sim_fail(run->sim, GP_EX_DATAERR, "more than %u proposals in one replication",
                (unsigned)(UINT32_MAX / GP_MAX_REVIEWS));
    return;
  }
  if (run->w->n) gp_ev_at(run, run->w->props[0].submitted, ev_submit_world, 0);
}

void gp_rev_submit(gp_run *run, gp_proj *p, double t) {
  gp_ev_at(run, t, ev_submit_returning, (uint64_t)p->id);
}
