/*
 * models/world/pipeline.h - the review pipeline of a world, played once.
 *
 * Used when several policies run and no applicant returns (world.h:
 * pipe_recorded); otherwise each run plays the pipeline itself
 * (models/run/review.c, the same events in the same order), since a
 * returning applicant joins the panel's queue only under the policies that
 * brought it back.  Without returning applicants, nothing from submission
 * to the committee depends on the policy:
 * screening, the reviewer panel's first-come-first-served queue, interview
 * slots and days act only on proposals still in review, whose withdrawal
 * times are the world's, and the committee is where the policy first acts.
 * So the pipeline is played alone, once, when the world is made, in a kernel
 * of its own (the same events, scheduled in the same order as a run's kernel
 * would, so firing in the same order), and each event is recorded with where
 * it was scheduled and what it does to a run: a proposal submitted, turned
 * down (screening, interview) or handed to its committee.  Every run
 * replays the record between its own kernel events (models/run/: events.c)
 * in the order one kernel would have fired them; withdrawals and committees
 * stay events of the run, as their effects depend on the run's state.
 *
 * Where an event was scheduled orders it against a run's kernel events of
 * the same time: events at equal times fire in the order they were
 * scheduled, which is the order in which their schedulers fired, and so on.
 * An entry records its scheduler (par, a pipeline event, -1 = the run's
 * start) and how many pipeline events that scheduler had scheduled before it
 * (ord); an effect records the same count at the moment of the effect (o),
 * which is where the kernel events the run schedules in reply stand.
 *
 * Invariants: entries are in firing order (times never decrease); the
 * effects of entry k are eff[e[k].eff, e[k + 1].eff), and e[n] is a closing
 * entry at time +inf whose eff is neff, so that e[k + 1] always exists.
 */
#ifndef GP_PIPELINE_H
#define GP_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "models/scenario/scenario.h"
#include "sim/err.h"

struct gp_wprop;

/* One event of the review pipeline, in firing order. */
typedef struct gp_pentry {
  double t;       /* days */
  int32_t par;    /* the pipeline event that scheduled it (-1: the run's start) */
  int32_t ord;    /* the pipeline events its scheduler scheduled before it */
  uint32_t eff;   /* its effects: eff[eff, next entry's eff) */
} gp_pentry;

/* What an effect does to a run.  GP_PE_ARRIVE is a submission with nothing
 * more to it (no withdrawal before the end, not designated): the run need
 * not read the proposal. */
enum { GP_PE_SUBMIT, GP_PE_ARRIVE, GP_PE_REJECT, GP_PE_COMMITTEE };

typedef struct gp_peff {
  uint32_t id;    /* the proposal */
  int16_t kind;   /* GP_PE_* */
  int16_t origin; /* the proposal's (here, not read from the proposal: cache misses) */
  int32_t o;      /* pipeline schedules its event made before this effect */
} gp_peff;

typedef struct gp_pipeline {
  gp_pentry *e;      /* n entries in firing order, then the closing entry */
  size_t n;
  gp_peff *eff;      /* neff effects, entry by entry */
  size_t neff;
  uint8_t *reviewed; /* per proposal: 1 once every review is in (its score is known) */
  struct gp_pipeline_keep *keep; /* the arrays' room and the play's own arrays, kept for
                                  * the next play (pipeline.c) */
} gp_pipeline;

/* Play the pipeline of the N proposals PROPS (in submission order), their
 * reviewers' times REVIEW_DAYS (s->review.reviews a proposal, as
 * gp_world.review_days), of replication REP of S into PL (zeroed, or played
 * before: its arrays are reused).  Returns 0, or -1 with ERR set (out of
 * memory, too many events, or interrupted by a signal: code GP_EX_SIGNAL +
 * the signal); PL then holds no play. */
int gp_pipeline_play(gp_pipeline *pl, const gp_scenario *s, int rep, const struct gp_wprop *props,
                     const float *review_days, size_t n, gp_err *err);
/* Free PL's arrays (PL is then empty). */
void gp_pipeline_free(gp_pipeline *pl);

#endif /* GP_PIPELINE_H */
