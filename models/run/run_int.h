/*
 * models/run/run_int.h - the state of a run, shared by run.c and the rules in
 * policy.c (internal: not for the CLI or analysis).
 */
#ifndef GP_RUN_INT_H
#define GP_RUN_INT_H

#include <gsl/gsl_rng.h>

#include "models/rules/policy.h"
#include "models/run/run.h"
#include "sim/sim.h"
#include "sim/sumtree.h"

/* A proposal's life in one run.  Times in days; -1 = not (yet). */
typedef struct gp_proj {
  const gp_wprop *w;
  int32_t id;           /* index in the world */
  int8_t outcome;       /* gp_outcome_names */
  int8_t accepted;      /* set by selection */
  int8_t withdrawn;     /* it left; pending events ignore it */
  int8_t reviewed;      /* 1 once every review is in: its score is known */
  int32_t units;        /* units granted (the request unless a rule grants part); 0 = none */
  double hold;          /* days it holds its units once started (its duration, or less on
                         * faster GPUs under substitution) */
  int32_t awarded;      /* units the committee granted (units may shrink under reclaim) */
  int reclaimed;        /* units taken back while running */
  double gpuh;          /* GPU-hours held inside the measured window, up to gpuh_since */
  double gpuh_since;    /* days */
  int tranche;          /* where it runs; -1 before start */
  int failed;           /* its servers that are down for repair */
  size_t run_index;     /* position in its tranche's running list */
  double decided, ready, started, finished;
  struct gp_proj *prev, *next; /* pool queue links while waiting */
} gp_proj;

typedef struct gp_tstate {
  int online_all;   /* nodes online, every share */
  int online;       /* government nodes online (working or down) */
  long long alloc;  /* units held by projects */
  int down;         /* unheld government nodes under repair */
  int failed_held;  /* held nodes under repair */
  int ended;        /* 1 after the agreement's end: no new starts */
  double busy;      /* GPUs in real use */
  gp_proj **running; /* projects on the tranche (for failures), p->run_index = position */
  size_t nrunning, caprunning;
  gp_sumtree work;   /* per position of running: its working units (units - failed) */
  gp_proj **byend;   /* the same nrunning projects by scheduled end (started + hold),
                      * ties by position in running, while run->byend_kept */
} gp_tstate;

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

typedef struct gp_run {
  const gp_scenario *s;
  const gp_world *w;
  const gp_policy_spec *pol;
  gp_sim *sim;
  gp_proj *projs;      /* one per world proposal */
  gp_tstate *ts;       /* per tranche */
  gp_queue *queues;    /* per pool: ready projects waiting, in ready order */
  gp_origin *origins;  /* per demand source */
  int *max_units;      /* per pool x GPU type: largest government tranche, in units */
  int *first_unit_gpus; /* per pool x GPU type: GPUs per unit of its first tranche (1: none) */
  /* The world's review pipeline, played once (see run.c: play_pipeline), and
   * replayed: its events in firing order, their effects on the run, the next
   * to replay. */
  const gp_pentry *pipe;
  const gp_peff *peff;
  size_t npipe, pipe_next;
  /* Every kernel event goes through ev_kernel with a record (run.c: run_at)
   * saying where it was scheduled: during pipeline event cur_h, after cur_o
   * of its pipeline schedules (INT_MAX: by a kernel event fired after
   * pipeline event cur_h). */
  struct gp_kev *kev;
  size_t capkev;
  uint32_t kev_free;   /* free list of kev; UINT32_MAX = empty */
  long cur_h;
  int cur_o;
  int byend_kept;      /* 1 once a reservation was asked for: ts[].byend kept in order */
  double from;         /* start of the measured window */
  gp_acc installed_all, usable, allocated, busy, queue, backlog, failed;
  double installed_h100e, usable_h100e; /* current values */
  double at_target, at_target_h100e;    /* at the target date; NaN until then */
  gsl_rng *policy_rng; /* the policy's own draws (a lottery): never the world's */
  uint64_t *rank_bits; /* one bit per place of the world's ranking by score, all 0 between
                        * batches (policy.c: gp_sorted_by); NULL when the world has none */
  uint32_t *fail_who;   /* per failure of the world, once it fired: the project hit + 1;
                         * 0 = a free node */
  double *samples;     /* nseries x nsamples, or NULL */
  size_t nsamples;
} gp_run;

/* Units of tranche T one GPU-count unit represents: servers hold
 * gpus_per_node GPUs, per-GPU pools 1. */
int gp_run_unit_gpus(const gp_run *run, int t);
/* GPUs per unit for project P: of the tranche it runs or ran on, else of
 * the first tranche of its pool and requested type (the loader guarantees
 * one exists). */
int gp_run_proj_unit_gpus(const gp_run *run, const gp_proj *p);
/* For rules: can project P start now on some tranche of its pool?  Returns
 * the tranche or -1. */
int gp_run_fit(gp_run *run, const gp_proj *p);
/* Start P on tranche T now (removes it from its queue). */
void gp_run_start(gp_run *run, gp_proj *p, int t);
/* The same on a tranche of another GPU type, with UNITS units held for HOLD
 * days (heterogeneity-aware substitution). */
void gp_run_start_as(gp_run *run, gp_proj *p, int t, int32_t units, double hold);
/* Working units of tranche T not held by anyone. */
long long gp_run_free_units(const gp_run *run, int t);
/* Can tranche T take P (its pool, a type, not ended)?  TYPE -1 = P's own. */
int gp_run_tranche_serves(const gp_run *run, const gp_proj *p, int t, int type);

/* When could P start on a tranche of its own type, counting only the
 * running projects' scheduled ends (start + hold)?  Returns the time
 * (HUGE_VAL if never) and sets *TRANCHE and *SPARE: the tranche and the
 * units left over there at that time. */
double gp_run_reservation(gp_run *run, const gp_proj *p, int *tranche, long long *spare);
/* Largest request (units) that a tranche of P's pool and type could ever hold. */
int gp_run_max_units(const gp_run *run, const gp_proj *p);
/* Pool of proposal P. */
int gp_run_pool(const gp_run *run, const gp_proj *p);

#endif /* GP_RUN_INT_H */
