/*
 * models/rules/rule.h - the rules' door: everything an allocation rule sees.
 *
 * A policy is a named pair {selection, scheduling}.  Each rule is a constant
 * table of function pointers (gp_selection_type, gp_scheduling_type), looked
 * up by name in the registry (registry.h), the way gsl_rng_mt19937 names a
 * gsl_rng_type.  A rule's .c file includes this header and no other header
 * of gpuplan's models: the run (gp_run) and its projects (gp_proj) are
 * opaque, and a rule reads and acts on them through the functions below,
 * implemented by the run (models/run/access.c, models/run/proj.c).
 *
 *   selection:  who is accepted, given a batch of proposals a committee
 *               decides at once and the budget left in their source
 *   scheduling: when and on which tranche accepted projects start
 *
 * Contract:
 *   - Rules are deterministic given what they can see.  A rule that draws
 *     random numbers (a lottery) draws from gp_rule_rng, the policy's own
 *     stream seeded from (seed, replication, policy), never from the
 *     world's, so every policy sees the same world (common random numbers).
 *   - A rule that cannot do its job (no memory for its scratch arrays)
 *     fails the run: gp_rule_alloc and the helpers below record the error,
 *     and decide or schedule returns -1.  It never makes a different
 *     decision instead.
 *   - Times are days since the scenario's epoch; units are the pool's
 *     allocation units (servers, or GPUs in a per-GPU pool).
 *   - Planned and actual times: a rule plans with gp_proj_length (a waiting
 *     project's planned holding time) and gp_proj_end (a running project's
 *     planned end).  In programme runs plans are exact; a world that knows
 *     only estimates (trace replay) supplies estimates here, while projects
 *     still end when they really do.
 *
 * Ownership: gp_proj pointers a rule is handed stay valid for the whole run;
 * memory from gp_rule_alloc is the rule's, freed with free().
 */
#ifndef GP_RULE_H
#define GP_RULE_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/vocab/vocab.h"
#include "sim/err.h"

typedef struct gp_run gp_run;   /* one policy-replication (opaque) */
typedef struct gp_proj gp_proj; /* a proposal in that run, from submission to its end (opaque) */

/* What a committee decides: N undecided proposals of one source, in
 * submission order, and the units left in the source's budget per GPU type
 * (capacity[g] < 0: no budget limit; GP_MAX_GPU_TYPES entries).  The rule
 * accepts proposals with gp_proj_accept and takes what it awards from
 * capacity. */
typedef struct gp_batch {
  gp_proj **p;
  size_t n;
  long long *capacity;
} gp_batch;

/* A rule's numeric parameter, set in a scenario's policy under "params". */
typedef struct gp_param {
  const char *name;
  double def;        /* default */
  double min, max;   /* accepted range */
  const char *doc;
} gp_param;

#define GP_MAX_PARAMS 8

typedef struct gp_selection_type {
  const char *name;
  const char *doc;
  /* Decide batch B: 0, or -1 when the rule could not (the error recorded
   * with gp_rule_fail; the run then stops). */
  int (*decide)(gp_run *run, gp_batch *b);
  const gp_param *params; /* NULL-name terminated; NULL = none */
  /* 1 if decide takes batches best score first (gp_rule_by_score): worlds
   * of a scenario with such a policy rank their proposals by score once,
   * when they are made.  A speed-up only: without the ranking a batch is
   * sorted, to the same order. */
  int by_score;
} gp_selection_type;

typedef struct gp_scheduling_type {
  const char *name;
  const char *doc;
  /* Start what can start in pool POOL now (called after every arrival to the
   * pool's queue and every release or arrival of its capacity): 0, or -1
   * as decide. */
  int (*schedule)(gp_run *run, int pool);
  const gp_param *params;
  /* 1 if what schedule starts depends only on the pool's queue and its
   * tranches' free units (not on the time, nor on running projects' ends or
   * failed servers): a run then skips the call after an event that changed
   * neither, as a repaired server going back to its project (a speed-up
   * that moves no result). 0 is always safe. */
  int capacity_only;
  /* Frees what the rule kept in *gp_rule_state over a run (called by the
   * run at its end when that is not NULL); NULL for a rule that keeps
   * nothing between calls. */
  void (*state_free)(void *state);
} gp_scheduling_type;

/* ---- the run ---- */

/* The run's clock, days. */
double gp_rule_now(const gp_run *run);
/* The value of parameter NAME of the run's policy (its default when the
 * scenario does not set it; NaN if neither of the policy's rules declares
 * it: a bug). */
double gp_rule_param(const gp_run *run, const char *name);
/* The policy's own random stream (a lottery's draws). */
gsl_rng *gp_rule_rng(gp_run *run);
/* Stop the run with an error (CODE: GP_EX_*; the first error recorded
 * wins).  Returns -1, for `return gp_rule_fail(...)`. */
int gp_rule_fail(gp_run *run, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* N elements of SIZE bytes of scratch memory, freed with free(); NULL, with
 * the run failed ("out of memory"), when there is none or N x SIZE
 * overflows.  N = 0 gives a valid pointer. */
void *gp_rule_alloc(gp_run *run, size_t n, size_t size);
/* The scheduling rule's own state over one run: a slot, NULL at the run's
 * start, where a rule that remembers between calls (conservative
 * backfilling's reservations) keeps what it allocated; the run hands it to
 * the rule type's state_free at its end. */
void **gp_rule_state(gp_run *run);
/* Proposals in the run's world: ids are 0 .. gp_rule_nprojects - 1. */
size_t gp_rule_nprojects(const gp_run *run);
/* Pools of the run's scenario: 0 .. gp_rule_npools - 1. */
int gp_rule_npools(const gp_run *run);

/* ---- selection ---- */

/* Units call ORIGIN offers of GPU type G over its whole life; -1 = no
 * limit, or ORIGIN is no call (a stream's budget is per sitting: the
 * batch's capacity; designations have none). */
long long gp_rule_call_budget(const gp_run *run, int origin, int g);
/* Units held by awards to organisation ORG from source ORIGIN decided so far
 * (earlier sittings; reclaimed units no longer count). */
long long gp_rule_org_units(const gp_run *run, int origin, int32_t org);
/* Largest request (units) that a tranche of P's pool and type could ever
 * hold: a larger one can never start. */
int gp_rule_max_units(const gp_run *run, const gp_proj *p);

/* Award ORDER[0..n) in turn, all-or-nothing, while the batch's budget for
 * each one's GPU type lasts; the first request of a type that does not fit
 * closes that type.  Requests larger than gp_rule_max_units are refused
 * without closing anything.  Proposals already accepted are skipped. */
void gp_rule_award(gp_run *run, gp_batch *b, gp_proj **order, size_t n);
/* The batch's proposals into ORDER (b->n of them) by KEY descending, ties
 * by earlier submission.  Returns 0, or -1 with the run failed. */
int gp_rule_sort(gp_run *run, const gp_batch *b, double (*key)(const gp_run *run, const gp_proj *p),
                 gp_proj **order);
/* The same by review score, read off the world's ranking when it has one
 * (see gp_selection_type.by_score). */
int gp_rule_by_score(gp_run *run, const gp_batch *b, gp_proj **order);

/* ---- tranches and the queue (scheduling) ---- */

int gp_rule_ntranches(const gp_run *run);
/* Tranche T's pool and GPU type, and 1 once its agreement has ended (it
 * starts nothing more). */
int gp_rule_tranche_pool(const gp_run *run, int t);
int gp_rule_tranche_type(const gp_run *run, int t);
int gp_rule_tranche_ended(const gp_run *run, int t);
/* Throughput of GPU type G relative to one H100 (h100_equiv). */
double gp_rule_type_speed(const gp_run *run, int g);
/* GPUs one allocation unit of tranche T stands for. */
int gp_rule_unit_gpus(const gp_run *run, int t);
/* GPUs per unit for P: of the tranche it runs on, else of the first tranche
 * of its pool and type. */
int gp_rule_proj_unit_gpus(const gp_run *run, const gp_proj *p);
/* Working units of tranche T held by no one. */
long long gp_rule_free_units(const gp_run *run, int t);
/* Can tranche T take P (its pool, GPU type TYPE, not ended)?  TYPE -1 =
 * P's own. */
int gp_rule_serves(const gp_run *run, const gp_proj *p, int t, int type);
/* The first tranche (in scenario order) of P's pool and type where P fits
 * now, or -1. */
int gp_rule_fit(const gp_run *run, const gp_proj *p);
/* When could P start on a tranche of its own type, counting only the
 * running projects' planned ends?  Returns the time (HUGE_VAL if never) and
 * sets *TRANCHE and *SPARE: the tranche and the units left over there at
 * that time (every project planned to end then counts, whatever the order
 * of equal ends). */
double gp_rule_reservation(gp_run *run, const gp_proj *p, int *tranche, long long *spare);
/* The projects running on tranche T: how many, and the I-th (an order
 * with no meaning beyond the run's). */
size_t gp_rule_nrunning(const gp_run *run, int t);
const gp_proj *gp_rule_running(const gp_run *run, int t, size_t i);
/* The same project's planned end (gp_proj_end), and in *FREES the units it
 * frees then (gp_proj_working): one call for what a backfilling profile
 * reads of every running project at every pass. */
double gp_rule_release(const gp_run *run, int t, size_t i, long long *frees);
/* The first project waiting in POOL's queue (ready order), or NULL; the
 * next ones through gp_proj_next. */
gp_proj *gp_rule_queue(const gp_run *run, int pool);
/* How many times POOL's capacity has changed otherwise than by the rule's
 * own starts and by projects ending when planned: a project released early
 * (it ended before its planned end, withdrew or was reclaimed), a waiting
 * project withdrew, nodes came online, failed or were repaired, an
 * agreement ended.  A rule that keeps plans between calls remakes them when
 * this moves. */
uint64_t gp_rule_changes(const gp_run *run, int pool);
/* The start time the rule promises P (its reservation).  The run keeps the
 * first promise of each project; a replayed trace reports it (`reserved`). */
void gp_rule_promise(gp_run *run, gp_proj *p, double t);
/* Call the pool's scheduling rule again at T, for P's reservation, replacing
 * P's earlier wake-up (one at the same T is kept, with its place among
 * events of that time); T <= now cancels it.  P's wake-up is cancelled when
 * it starts or leaves the queue.  Returns 0, or -1 with the run failed. */
int gp_rule_wake(gp_run *run, gp_proj *p, double t);
/* Start P now on tranche T (it leaves its queue; gp_proj_next of P is then
 * NULL: read it before). */
void gp_rule_start(gp_run *run, gp_proj *p, int t);
/* The same on a tranche of another GPU type, with UNITS units held for HOLD
 * days (heterogeneity-aware substitution). */
void gp_rule_start_as(gp_run *run, gp_proj *p, int t, int32_t units, double hold);

/* ---- a proposal ---- */

int32_t gp_proj_id(const gp_proj *p);          /* its index in the world: submission order */
int32_t gp_proj_request(const gp_proj *p);     /* units asked for */
int32_t gp_proj_units(const gp_proj *p);       /* units granted (held, once running); 0 = none */
double gp_proj_score(const gp_proj *p);        /* review score; NaN for designations */
int gp_proj_sector(const gp_proj *p);          /* GP_SECTOR_* */
int32_t gp_proj_org(const gp_proj *p);         /* organisation id */
int gp_proj_origin(const gp_proj *p);          /* its source: calls, streams, designations */
int gp_proj_capital(const gp_proj *p);         /* 1 = from the capital region */
int gp_proj_gpu_type(const gp_proj *p);        /* GPU type asked for */
double gp_proj_length(const gp_proj *p);       /* planned days held once started, on its type */
double gp_proj_end(const gp_proj *p);          /* running: planned end, days */
int32_t gp_proj_working(const gp_proj *p);     /* running: units held and not under repair */
int gp_proj_accepted(const gp_proj *p);        /* 1 once accepted by its committee */
/* Accept P with UNITS units (its request, or part of it). */
void gp_proj_accept(gp_proj *p, int32_t units);
/* The next project in P's pool's queue (ready order), or NULL. */
gp_proj *gp_proj_next(const gp_proj *p);

/* ---- a profile of free units (backfilling rules; models/rules/profile.c) ---- */

/* A step function f(t) of units over the times from -inf on: step i holds
 * f from its start to the next step's start (the last to +inf), adjacent
 * steps never equal.  Steps are kept in chunks of at most 64, each with an
 * index of its levels that lets the earliest fit pass it in one look; every
 * fit answered is the one a scan of every step gives, the same double.
 * Memory comes from gp_rule_alloc on RUN (plain malloc when RUN is NULL,
 * outside a run: tests); an operation without memory returns -1 with the
 * run failed and leaves a profile that can still be freed. */
typedef struct gp_profile gp_profile;

/* An empty profile (gp_profile_reset makes its first step), or NULL. */
gp_profile *gp_profile_new(gp_run *run);
void gp_profile_free(gp_profile *p);
/* One step: F units from -inf to +inf.  0, or -1 without memory. */
int gp_profile_reset(gp_profile *p, long long f);
/* A step F from T on, T after the last step's start (building a profile in
 * time order; F differs from the last step's).  0, or -1 without memory. */
int gp_profile_push(gp_profile *p, double t, long long f);
/* Steps held (0 before the first reset); F at time X. */
size_t gp_profile_steps(const gp_profile *p);
long long gp_profile_at(const gp_profile *p, double x);
/* Add D units over [A, B) (nothing when !(A < B)).  0, or -1 without
 * memory. */
int gp_profile_add(gp_profile *p, double a, double b, long long d);
/* Forget the past: the step holding NOW becomes the first, from -inf. */
void gp_profile_trim(gp_profile *p, double now);
/* Earliest t >= NOW with at least U units over [t, t + D) (NOW or a step's
 * end; HUGE_VAL when there is none): a scan that moves t to the end of each
 * step below U and answers t at the first step at or above U that ends at
 * or after t + D. */
double gp_profile_fit(gp_profile *p, double now, long long u, double d);

#endif /* GP_RULE_H */
