/*
 * models/run_int.h - the state of a run, shared by run.c and the rules in
 * policy.c (internal: not for the CLI or analysis).
 */
#ifndef GP_RUN_INT_H
#define GP_RUN_INT_H

#include "models/policy.h"
#include "models/run.h"
#include "sim/sim.h"

typedef struct gp_proj {
  const gp_wprop *w;
  int32_t id;           /* index in the world */
  int8_t outcome;       /* gp_outcome_names */
  int8_t accepted;      /* set by selection */
  int tranche;          /* where it runs; -1 before start */
  double decided, ready, started, finished; /* days; -1 = not yet */
  struct gp_proj *prev, *next; /* pool queue links while waiting */
} gp_proj;

typedef struct gp_tstate {
  int online_all;   /* nodes online, every share */
  int online;       /* government nodes online */
  int alloc;        /* government nodes held by projects */
  int ended;        /* 1 after the agreement's end: no new starts */
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

typedef struct gp_run {
  const gp_scenario *s;
  const gp_world *w;
  const gp_policy_spec *pol;
  gp_sim *sim;
  gp_proj *projs;      /* one per world proposal */
  gp_tstate *ts;       /* per tranche */
  gp_queue *queues;    /* per pool: ready projects waiting, in ready order */
  int *max_servers;    /* per pool x gpu type: largest government tranche */
  double from;         /* start of the measured window */
  gp_acc installed_all, usable, allocated, busy, queue;
  double at_target;    /* installed GPUs at the target date; NaN until then */
  double *samples;     /* GP_NTS x nsamples, or NULL */
  size_t nsamples, next_sample;
} gp_run;

/* For rules: can project P start now on some tranche of its pool?  Returns
 * the tranche or -1. */
int gp_run_fit(gp_run *run, const gp_proj *p);
/* Start P on tranche T now (removes it from its queue). */
void gp_run_start(gp_run *run, gp_proj *p, int t);
/* Largest request (servers) that a tranche of P's pool and type could ever hold. */
int gp_run_max_servers(const gp_run *run, const gp_proj *p);

#endif /* GP_RUN_INT_H */
