/*
 * models/run/run_int.h - the state of a run, shared by the files of
 * models/run/ and by no one else (rules see a run through
 * models/rules/rule.h, where gp_run and gp_proj are opaque; the experiment
 * through run.h).
 *
 * Files and their prefixes (each file one):
 *   runner.c    gp_runner_*  a run's arrays kept from run to run; the play loop
 *   events.c    gp_ev_*      kernel events with where they were scheduled; the
 *                            review pipeline's replay between them
 *   capacity.c  gp_cap_*     nodes, ends, failures, repairs, starts, releases,
 *                            reclaim, reservations
 *   lifecycle.c gp_life_*    a proposal's life in the run: submitted, decided by
 *                            its committee, ready, withdrawn
 *   out.c       gp_out_*     money, samples, summaries, per-proposal rows
 *   tails.c     gp_tail_*    the summary's quantiles and equity metrics
 *   power.c     gp_power_*   the power meter: MW drawn, MWh and their cost
 *   calendar.c  gp_cal_*     calendar reclaim: checks of use on fixed dates
 *   returns.c   gp_ret_*     returning applicants: resubmissions and renewals
 *   review.c    gp_rev_*     the review pipeline played by the run, when the world
 *                            holds no record of it
 *   access.c    gp_rule_*    the run's side of the rules' door (models/rules/rule.h):
 *                            what a rule may ask of a run and do to it, and the
 *                            helpers selection rules share
 *   alloc.c     gp_rule_alloc  the rules' scratch memory, alone (a test replaces it)
 *   proj.c      gp_proj_*    a proposal as a rule sees it (rule.h)
 *   run.c       gp_run_*     the public entry points (run.h)
 * The static inline helpers at the end of this header are the hot paths
 * several files share.
 *
 * Invariants kept by every event handler:
 *   - per tranche: 0 <= alloc <= online units, down + failed_held <= online,
 *     and after the agreement's end free working servers are gone at once and
 *     the rest leave as they are released or repaired;
 *   - the accumulators hold the current value of what they measure, so
 *     installed >= usable >= allocated - failed >= busy at every instant;
 *   - a project is in its pool's queue iff it is ready, not started and not
 *     withdrawn; origins[o].pending counts its undecided, present proposals.
 */
#ifndef GP_RUN_INT_H
#define GP_RUN_INT_H

#include <limits.h>

#include <gsl/gsl_rng.h>

#include "models/rules/rule.h"
#include "models/run/run.h"
#include "sim/fifo.h"
#include "sim/sim.h"
#include "sim/sort.h"
#include "sim/sumtree.h"

/* A proposal's life in one run.  Times in days; -1 = not (yet). */
typedef struct gp_proj {
  const gp_wprop *w;
  int32_t id;           /* index in the world, and in the run's projs */
  int32_t units;        /* units granted (the request unless a rule grants part); 0 = none */
  int32_t awarded;      /* units the committee granted (units may shrink under reclaim) */
  int failed;           /* its servers that are down for repair */
  union { /* (one record: a project waits in its pool's queue or runs, never both) */
    uint32_t run_index; /* running: position in its tranche's running list */
    uint32_t qprev;     /* waiting: pool queue links, the neighbour's id + 1, 0 = none */
  };                    /* (queue_remove, gp_proj_next) */
  uint32_t qnext;
  int16_t tranche;      /* where it runs; -1 before start (GP_MAX_TRANCHES fits) */
  int8_t outcome;       /* gp_outcome_names */
  int8_t accepted;      /* set by selection */
  int8_t withdrawn;     /* it left; pending events ignore it */
  int8_t reviewed;      /* 1 once every review is in: its score is known */
  int8_t returning;     /* GP_RET_*: new, or (a candidate of the world, ids >= w->n) the
                         * resubmission or renewal it returned as; a candidate still GP_RET_NEW
                         * never came (proj_absent); the proposal it follows: proj_previous */
  int8_t reviews_left;  /* its review jobs not yet done (review.c; 0 before screening) */
  double plan;          /* days the rules expect it to hold its units once started
                         * (proj_plan): the days it holds them (its duration, or less on
                         * faster GPUs under substitution), or the world's estimate of them */
  double gpuh;          /* GPU-hours held inside the measured window, up to gpuh_since */
  double gpuh_since;    /* days */
  double held;          /* GPU-days held since its start, up to gpuh_since (calendar reclaim) */
  double decided, ready, started, finished;
} gp_proj;
_Static_assert(GP_MAX_TRANCHES <= INT16_MAX, "a tranche's index fits gp_proj's tranche");

typedef struct gp_tstate {
  int online_all;   /* nodes online, every share */
  int online;       /* government nodes online (working or down) */
  long long alloc;  /* units held by projects */
  int down;         /* unheld government nodes under repair */
  int failed_held;  /* held nodes under repair */
  int ended;        /* 1 after the agreement's end: no new starts */
  double busy;      /* GPUs in real use */
  int cal_taken;    /* units the current calendar check took here (calendar.c) */
  gp_proj **running; /* projects on the tranche (for failures), p->run_index = position */
  size_t nrunning, caprunning;
  gp_sumtree work;   /* per position of running: its working units (units - failed) */
  gp_proj **byend;   /* the same nrunning projects by scheduled end (started + hold),
                      * ties by position in running, while run->byend_kept */
} gp_tstate;

/* The power meter (power.c): the programme's electric power, a
 * piecewise-constant quantity, and its integrals over [from, end]. */
typedef struct gp_meter {
  double kw;     /* facility power drawn now, kW (IT power x PUE) */
  double last;   /* days: time of the last change */
  double kwh;    /* energy over [from, last], kWh */
  double krw;    /* its cost at the electricity price of each moment, KRW */
  int step;      /* the price step (scenario's electricity_from) of last */
} gp_meter;

/* A time integral of a piecewise-constant quantity over [from, end]. */
typedef struct gp_acc {
  double value;  /* current value */
  double last;   /* time of the last change */
  double area;   /* integral over [from, last] */
} gp_acc;

typedef struct gp_queue {
  gp_proj *head, *tail;
  int n;
} gp_queue;

/* Per demand source: its committee's pile and its budget. */
typedef struct gp_origin {
  gp_proj **ready;      /* reviewed, waiting for the committee */
  size_t nready, capready;
  long long capacity[GP_MAX_GPU_TYPES]; /* units left per GPU type; < 0 = no limit */
  int pending;          /* submitted, not decided, not withdrawn */
  int next_committee;   /* index of the next listed committee date */
  int committee_scheduled; /* 1 while a committee event is pending */
} gp_origin;

/* A kernel event: its callback and argument, and where it was scheduled
 * (events.c). */
typedef struct gp_kev {
  gp_event_fn fn;
  uint64_t arg;   /* while free: the next free record */
  long h;
  int o;
  gp_event_id id; /* the kernel's id of its event, for cancelling */
} gp_kev;

typedef struct gp_run {
  const gp_scenario *s;
  const gp_world *w;
  const gp_policy_spec *pol;
  gp_sim *sim;
  gp_proj *projs;      /* one per world proposal, then one per candidate of its returning
                        * applicants (nprojs in all) */
  size_t nprojs;       /* w->n + w->nret */
  gp_wprop *rprops;    /* per candidate (w->nret): the proposal as it returned (returns.c) */
  gp_tstate *ts;       /* per tranche */
  gp_queue *queues;    /* per pool: ready projects waiting, in ready order */
  gp_origin *origins;  /* per demand source */
  int *max_units;      /* per pool x GPU type: largest government tranche, in units */
  int *first_unit_gpus; /* per pool x GPU type: GPUs per unit of its first tranche (1: none) */
  /* The world's review pipeline (models/world/pipeline.h), replayed: its
   * events in firing order, their effects on the run, the next to replay. */
  const gp_pentry *pipe;
  const gp_peff *peff;
  size_t npipe, pipe_next;
  /* The review pipeline played by the run itself (review.c), when the
   * world holds no record of it (w->pipe_recorded 0). */
  gp_fifo reviews;     /* review jobs waiting for a reviewer: id * GP_MAX_REVIEWS + k */
  gp_fifo interviews;  /* proposals waiting for an interview */
  int free_reviewers;  /* INT_MAX when the panel is unlimited */
  int interview_day_scheduled;
  /* Every kernel event goes through the records of events.c, saying where
   * it was scheduled: during pipeline event cur_h, after cur_o of its
   * pipeline schedules (INT_MAX: by a kernel event fired after pipeline
   * event cur_h). */
  gp_kev *kev;
  size_t capkev;
  uint32_t kev_free;   /* free list of kev; UINT32_MAX = empty */
  int ev_direct;       /* 1 when there is no pipeline to replay (npipe 0): events go
                        * straight to the kernel, without a record (events.c) */
  long cur_h;
  int cur_o;
  int byend_kept;      /* 1 once a reservation was asked for: ts[].byend kept in order */
  double from;         /* start of the measured window */
  gp_acc installed_all, usable, allocated, busy, queue, backlog, failed;
  double installed_h100e, usable_h100e; /* current values */
  double at_target, at_target_h100e;    /* at the target date; NaN until then */
  gp_meter power;      /* used only when the scenario has_power */
  size_t nstarted;     /* projects started so far (a progress line's count) */
  double reclaimed_gpuh; /* GPU-hours of allocations reclaim took back (units taken x the
                          * time left to the project's planned end), inside the window */
  gsl_rng *policy_rng; /* the policy's own draws (a lottery): never the world's */
  uint64_t *rank_bits; /* one bit per place of the world's ranking by score, all 0 between
                        * batches (access.c: gp_rule_by_score); NULL when the world has none */
  uint32_t *fail_who;   /* per failure of the world, once it fired: the project hit + 1;
                         * 0 = a free node */
  double *samples;     /* nseries x nsamples, or NULL */
  size_t nsamples;
  /* The scheduling rule's part (access.c, events.c): its state over the
   * run, the first start promised to each project, each project's pending
   * wake-up, and per pool the capacity changes a rule's plans must follow.
   * promised and wake are filled only once a rule uses them (_on). */
  void *rule_state;    /* the rule's (gp_rule_state); freed at the run's end */
  double *promised;    /* per project: the first start promised; -1 = none */
  size_t cappromised;
  int promised_on;
  gp_event_id *wake;   /* per project: its wake-up's handle (gp_ev_at); 0 = none */
  double *wake_at;     /* per project with a wake-up: its time */
  size_t capwake, capwake_at;
  int wake_on;
  uint64_t *changes;   /* per pool: gp_rule_changes */
  /* tails.c's scratch, kept from run to run: room for two values and two
   * codes per proposal of the world, and three counters per demand source. */
  double *tailx;
  size_t captailx;
  uint32_t *tailc;
  size_t captailc;
  size_t *tailo;
  size_t captailo;
} gp_run;

/* ---- events.c: kernel events and the pipeline's replay ---- */

/* Back to time 0: no event record in use, the pipeline's replay at its
 * start. */
void gp_ev_reset(gp_run *run);
/* gp_ev_at with a pipeline to replay: the event through a record. */
gp_event_id gp_ev_record(gp_run *run, double t, gp_event_fn fn, uint64_t arg);
/* Schedule FN(ARG) at T in RUN's kernel, recording where.  Returns the
 * event's handle (for gp_ev_cancel), or 0 when the run failed (the error
 * recorded in its kernel).  Inline: a run schedules about one event for
 * each it fires, and without a pipeline to replay this is one call. */
static inline gp_event_id gp_ev_at(gp_run *run, double t, gp_event_fn fn, uint64_t arg) {
  if (run->ev_direct) return gp_sim_at(run->sim, t, fn, run, arg); /* 0: the error is recorded */
  return gp_ev_record(run, t, fn, arg);
}
/* Cancel the pending event of handle H (from gp_ev_at). */
void gp_ev_cancel(gp_run *run, gp_event_id h);
/* P's wake-up (gp_rule_wake): at T > now its pool's rule is called again;
 * one already at T is kept; T <= now cancels it.  0, or -1 (run failed). */
int gp_ev_wake(gp_run *run, gp_proj *p, double t);
/* Cancel P's wake-up, if it has one (it starts or leaves the queue). */
void gp_ev_unwake(gp_run *run, gp_proj *p);
/* Replay pipeline event K of the world: its effects on the run. */
void gp_ev_replay(gp_run *run, size_t k);
/* Mark what comes next as scheduled by a kernel event (not by the
 * pipeline): failures and repairs, which the play loop fires itself. */
static inline void gp_ev_outside(gp_run *run) {
  run->cur_h = (long)run->pipe_next - 1;
  run->cur_o = INT_MAX;
}

/* ---- capacity.c: tranches, failures, starts, releases ---- */

/* Schedule tranche T's node batches and its agreement's end (at time 0). */
void gp_cap_schedule_tranche(gp_run *run, int t);
/* Failure K of the world (tranche T, uniform U) fires / is repaired. */
void gp_cap_fail(gp_run *run, size_t k, int t, double u);
void gp_cap_repair(gp_run *run, size_t k, int t);
/* Start P on tranche T now with UNITS units held for HOLD days (removes it
 * from its queue). */
void gp_cap_start(gp_run *run, gp_proj *p, int t, int32_t units, double hold);
/* P gives its units back now, with OUTCOME (finished or withdrawn). */
void gp_cap_release(gp_run *run, gp_proj *p, int outcome);
/* P, running, loses the share TAKE of its working units (rounded down; it
 * keeps at least one), which go back to its tranche; the rule is not
 * called.  Returns the units taken. */
int gp_cap_take(gp_run *run, gp_proj *p, double take);
/* Let the policy's scheduling rule start what it can in POOL. */
void gp_cap_schedule(gp_run *run, int pool);
/* When could P start on a tranche of its own type, counting only the
 * running projects' planned ends (proj_end)?  Returns the time (HUGE_VAL if
 * never) and sets *TRANCHE and *SPARE: the tranche and the units left over
 * there at that time, every project planned to end then counted. */
double gp_cap_reservation(gp_run *run, const gp_proj *p, int *tranche, long long *spare);

/* ---- lifecycle.c: a proposal's life ---- */

/* P was submitted (and counted in its origin's pending and the backlog):
 * schedule its withdrawal, decide it if designated. */
void gp_life_submitted(gp_run *run, gp_proj *p);
/* A world of jobs (direct): every proposal accepted as it asks and
 * scheduled to join its pool's queue at its submission, in submission
 * order, before anything else of that time that the run schedules later (so
 * a job submitted when another ends is queued before that end is handled). */
void gp_life_jobs(gp_run *run);
/* The committee (or screening, or the interview) decides P. */
void gp_life_decided(gp_run *run, gp_proj *p, int accepted);
/* P, of origin O, is reviewed (and interviewed if needed): hand it to its
 * committee. */
void gp_life_to_committee(gp_run *run, gp_proj *p, int o);

/* ---- returns.c: returning applicants (issue 21, item 3) ---- */

/* P was just rejected / just finished: its applicant may come back to the
 * next call of its pool (world.h: gp_wreturn). */
void gp_ret_rejected(gp_run *run, gp_proj *p);
void gp_ret_finished(gp_run *run, gp_proj *p);

/* ---- review.c: the review pipeline played by the run ---- */

/* Start the play (at time 0, after everything else the run schedules
 * then): the panel free, the world's first submission scheduled. */
void gp_rev_start(gp_run *run);
/* P (a returning applicant's proposal) submits at T: from then on it goes
 * the world's proposals' way, through the same panel. */
void gp_rev_submit(gp_run *run, gp_proj *p, double t);

/* ---- out.c: what a run reports ---- */

/* Add P's GPU-hours since it last changed size, up to NOW, inside the window. */
void gp_out_accrue(gp_run *run, gp_proj *p, double now);
/* Schedule the target-date probe and (with samples) the sampling (at time 0,
 * after the tranches). */
void gp_out_schedule(gp_run *run);
/* The run's summary and per-source rows into OUT, and with DETAIL its
 * per-proposal rows and time series; with LEAN the summary alone, its tail
 * and equity metrics NaN (gp_runner_set_lean; DETAIL then refused).
 * Returns 0, or -1 when out of memory. */
int gp_out_fill(gp_run *run, gp_run_out *out, int detail, int lean);

/* ---- power.c: the power meter (issue 21, item 5) ---- */

/* Tranche T's usable GPUs change by DUSABLE and its busy GPUs by DBUSY now. */
void gp_power_add(gp_run *run, int t, double dusable, double dbusy);
/* Energy (kWh) up to NOW without moving the meter (samples). */
double gp_power_kwh_at(const gp_run *run, double now);
/* Bring the meter to NOW (the run's end). */
void gp_power_to(gp_run *run, double now);

/* ---- calendar.c: calendar reclaim (issue 21, item 4) ---- */

/* Schedule the policy's calendar checks (at time 0, after the samples). */
void gp_cal_schedule(gp_run *run);

/* ---- tails.c: tail and equity metrics ---- */

/* The tail and equity metrics of R (quantiles, worst sector, Gini, HHI,
 * capital share) from the run's records, and each demand source's p50 and
 * p90 of days from submission to decision (every decided proposal of the
 * source, as the calls rows count them; NaN when none) into
 * CALLS[gp_scenario_norigins].  Returns 0, or -1 when out of memory. */
int gp_tail_fill(gp_run *run, gp_summary_row *r, gp_call_row *calls);
/* 1 if gp_tail_fill computes the gp_summary_row field at byte OFFSET. */
int gp_tail_field(size_t offset);
/* R's fields that gp_tail_fill computes, NaN (a lean run's). */
void gp_tail_lean(gp_summary_row *r);

/* ---- shared hot paths (static: each file its copy, inlined) ---- */

static inline double run_now(const gp_run *run) { return gp_sim_now(run->sim); }

/* The accumulator A changes by DV at NOW; its area counts from FROM. */
static inline void acc_add(gp_acc *a, double now, double from, double dv) {
  double lo = a->last > from ? a->last : from;
  if (now > lo) a->area += a->value * (now - lo);
  a->last = now;
  a->value += dv;
}

/* The power meter hears of a change of usable or busy GPUs of tranche T. */
static inline void gp_power_change(gp_run *run, int t, double dusable, double dbusy) {
  if (run->s->has_power) gp_power_add(run, t, dusable, dbusy);
}

/* Is P a candidate of the world's returning applicants that never came? */
static inline int proj_absent(const gp_run *run, const gp_proj *p) {
  return p->returning == GP_RET_NEW && (size_t)p->id >= run->w->n;
}

/* Pool of proposal P (from its origin). */
static inline int proj_pool(const gp_run *run, const gp_proj *p) {
  const gp_scenario *s = run->s;
  int o = p->w->origin;
  if (o < s->ncalls) return s->calls[o].pool;
  o -= s->ncalls;
  if (o < s->nstreams) return s->streams[o].pool;
  return s->designated[o - s->nstreams].pool;
}

/* GPUs one allocation unit of tranche T stands for: servers hold
 * gpus_per_node GPUs, per-GPU pools 1. */
static inline int unit_gpus(const gp_run *run, int t) {
  const gp_tranche *tr = &run->s->tranches[t];
  return run->s->pools[tr->pool].unit == GP_UNIT_GPU ? 1 : tr->gpus_per_node;
}

/* Allocation units one node of tranche T holds. */
static inline int units_per_node(const gp_run *run, int t) {
  const gp_tranche *tr = &run->s->tranches[t];
  return run->s->pools[tr->pool].unit == GP_UNIT_GPU ? tr->gpus_per_node : 1;
}

/* GPUs per unit for P: of the tranche it runs or ran on, else of the first
 * tranche of its pool and requested type (the loader guarantees one). */
static inline int proj_unit_gpus(const gp_run *run, const gp_proj *p) {
  if (p->tranche >= 0) return unit_gpus(run, p->tranche);
  return run->first_unit_gpus[proj_pool(run, p) * run->s->ngpu_types + p->w->gpu_type];
}

/* Working units of tranche T not held by anyone. */
static inline long long free_units(const gp_run *run, int t) {
  const gp_tstate *st = &run->ts[t];
  return (long long)(st->online - st->down) * units_per_node(run, t) - st->alloc;
}

/* Can tranche T take P (its pool, GPU type TYPE, not ended)?  TYPE -1 =
 * P's own. */
static inline int tranche_serves(const gp_run *run, const gp_proj *p, int t, int type) {
  const gp_tranche *tr = &run->s->tranches[t];
  return tr->pool == proj_pool(run, p) && tr->gpu_type == (type < 0 ? p->w->gpu_type : type) &&
         !run->ts[t].ended;
}

/* The days a waiting project P is planned to hold its units on its own GPU
 * type: the world's estimate when it has one (a replayed trace), else its
 * duration (exact, as in the programme). */
static inline double proj_length(const gp_proj *p) {
  return p->w->estimate > 0 ? p->w->estimate : p->w->duration;
}

/* The days P, starting now to hold its units for HOLD days, is planned to
 * hold them: HOLD itself when plans are exact; with an estimate, the
 * estimate, scaled as HOLD is to the duration (substitution on faster
 * GPUs). */
static inline double proj_plan(const gp_proj *p, double hold) {
  const gp_wprop *w = p->w;
  if (!(w->estimate > 0)) return hold;
  return hold == w->duration ? w->estimate : w->estimate * (hold / w->duration);
}

/* A running project's planned end, days: its start plus the time it was
 * planned to hold its units (exact in a programme run; its end may come
 * earlier when the world's times are estimates). */
static inline double proj_end(const gp_proj *p) { return p->started + p->plan; }

/* POOL's capacity changed otherwise than by a start or a planned end
 * (gp_rule_changes). */
static inline void pool_changed(gp_run *run, int pool) { run->changes[pool]++; }

/* The proposal P follows in its line (it returned as its resubmission or
 * renewal: the world's candidate after it), -1 when none. */
static inline int32_t proj_previous(const gp_run *run, const gp_proj *p) {
  return p->returning != GP_RET_NEW ? run->w->ret[p->id].prev : -1;
}

/* The project a queue link of P names (gp_proj.qprev, qnext), or NULL: ids
 * are indices in the run's projs, so P - its id is projs. */
static inline gp_proj *proj_linked(const gp_proj *p, uint32_t link) {
  return link ? (gp_proj *)(p - p->id) + (link - 1) : NULL;
}
/* The link that names P (NULL: none). */
static inline uint32_t proj_link(const gp_proj *p) { return p ? (uint32_t)p->id + 1 : 0; }

/* Take P out of queue Q. */
static inline void queue_remove(gp_queue *q, gp_proj *p) {
  gp_proj *prev = proj_linked(p, p->qprev), *next = proj_linked(p, p->qnext);
  if (prev) prev->qnext = p->qnext;
  else q->head = next;
  if (next) next->qprev = p->qprev;
  else q->tail = prev;
  p->qprev = p->qnext = 0;
  q->n--;
}

#endif /* GP_RUN_INT_H */
