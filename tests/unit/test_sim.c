/* tests/unit/test_sim.c - the event kernel (the streams, statistics and sort: test_rng.c). */
#include <float.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <Random123/philox.h>

#include "sim/rng.h"
#include "sim/sim.h"
#include "sim/sort.h"
#include "sim/stats.h"
#include "tests/test.h"

/* A log of fired events: (time, arg). */
typedef struct fire_log {
  size_t n;
  double t[4096];
  uint64_t a[4096];
} fire_log;

static void record(gp_sim *s, void *ctx, uint64_t arg) {
  fire_log *log = ctx;
  log->t[log->n] = gp_sim_now(s);
  log->a[log->n] = arg;
  log->n++;
}

static void test_ordering(void) {
  static fire_log log;
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  ASSERT(s);
  double times[] = {5, 1, 3, 2, 4, 0.5, 10, 7};
  for (uint64_t i = 0; i < 8; i++) ASSERT(gp_sim_at(s, times[i], record, &log, i));
  ASSERT_EQ(gp_sim_pending(s), 8);
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(log.n, 8);
  for (size_t i = 1; i < log.n; i++) ASSERT(log.t[i - 1] < log.t[i]);
  ASSERT_DBL_EQ(log.t[0], 0.5);
  ASSERT_EQ(log.a[0], 5);
  ASSERT_DBL_EQ(gp_sim_now(s), 10);
  ASSERT_EQ(gp_sim_fired(s), 8);
  gp_sim_free(s);
}

static void test_ties_in_insertion_order(void) {
  static fire_log log;
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  /* 1000 events at 3 distinct times, interleaved: each time's events must
   * fire in the order they were scheduled, across heap growth. */
  for (uint64_t i = 0; i < 1000; i++) ASSERT(gp_sim_at(s, (double)(i % 3), record, &log, i));
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(log.n, 1000);
  size_t k = 0;
  for (uint64_t t = 0; t < 3; t++)
    for (uint64_t i = t; i < 1000; i += 3) {
      ASSERT_DBL_EQ(log.t[k], (double)t);
      ASSERT_EQ(log.a[k], i);
      k++;
    }
  gp_sim_free(s);
}

static void test_cancel(void) {
  static fire_log log;
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  gp_event_id ids[100];
  for (uint64_t i = 0; i < 100; i++) ids[i] = gp_sim_at(s, (double)i, record, &log, i);
  for (size_t i = 0; i < 100; i += 2) ASSERT_EQ(gp_sim_cancel(s, ids[i]), 1);
  ASSERT_EQ(gp_sim_cancel(s, ids[0]), 0); /* twice */
  ASSERT_EQ(gp_sim_cancel(s, 0), 0);      /* never valid */
  ASSERT_EQ(gp_sim_pending(s), 50);
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(log.n, 50);
  for (size_t i = 0; i < 50; i++) ASSERT_EQ(log.a[i], 2 * i + 1);
  /* A fired event's id is stale, even after its slot is reused. */
  ASSERT_EQ(gp_sim_cancel(s, ids[1]), 0);
  gp_event_id reuse = gp_sim_at(s, 200, record, &log, 999);
  ASSERT(reuse != ids[1]);
  ASSERT_EQ(gp_sim_cancel(s, ids[1]), 0);
  ASSERT_EQ(gp_sim_pending(s), 1);
  ASSERT_EQ(gp_sim_cancel(s, reuse), 1);
  ASSERT_EQ(gp_sim_pending(s), 0);
  gp_sim_free(s);
}

static void test_past_is_an_error(void) {
  static fire_log log;
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  ASSERT(gp_sim_at(s, 10, record, &log, 1));
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(gp_sim_at(s, 9.5, record, &log, 2), 0);
  ASSERT_EQ(gp_sim_error(s)->code, GP_EX_SOFTWARE);
  ASSERT_CONTAINS(gp_sim_error(s)->msg, "scheduled in the past");
  ASSERT_EQ(gp_sim_at(s, NAN, record, &log, 3), 0);
  ASSERT_EQ(gp_sim_run(s), -1);
  gp_sim_free(s);
}

/* run_until fires events <= t, leaves the clock at t, and can resume. */
static void test_run_until_and_step(void) {
  static fire_log log;
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  for (uint64_t i = 1; i <= 10; i++) gp_sim_at(s, (double)i, record, &log, i);
  ASSERT_EQ(gp_sim_run_until(s, 4), 0);
  ASSERT_EQ(log.n, 4);
  ASSERT_DBL_EQ(gp_sim_now(s), 4);
  ASSERT_EQ(gp_sim_run_until(s, 4.5), 0);
  ASSERT_EQ(log.n, 4);
  ASSERT_DBL_EQ(gp_sim_now(s), 4.5);
  ASSERT_DBL_EQ(gp_sim_next_time(s), 5);
  ASSERT_EQ(gp_sim_step(s), 1);
  ASSERT_EQ(log.n, 5);
  ASSERT_DBL_EQ(gp_sim_now(s), 5);
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(log.n, 10);
  ASSERT_EQ(gp_sim_step(s), 0);
  ASSERT(isinf(gp_sim_next_time(s)));
  gp_sim_free(s);
}

/* The hold model: each event schedules one more at now + Exp(1). */
typedef struct hold {
  gsl_rng *r;
  uint64_t left;
  double sum; /* sum of firing times: a fingerprint of the whole run */
} hold;

static void hold_ev(gp_sim *s, void *ctx, uint64_t arg) {
  hold *h = ctx;
  h->sum += gp_sim_now(s);
  if (h->left == 0) return;
  h->left--;
  gp_sim_after(s, gsl_ran_exponential(h->r, 1.0), hold_ev, h, arg);
}

static double hold_run(uint64_t seed, size_t n, uint64_t events) {
  gp_sim *s = gp_sim_new(n);
  hold h = {gp_rng_new(seed, 0, 0), events, 0};
  for (size_t i = 0; i < n; i++) gp_sim_after(s, gsl_ran_exponential(h.r, 1.0), hold_ev, &h, i);
  gp_sim_run(s);
  double sum = h.sum;
  gsl_rng_free(h.r);
  gp_sim_free(s);
  return sum;
}

static void test_determinism(void) {
  double a = hold_run(42, 1000, 100000), b = hold_run(42, 1000, 100000);
  double c = hold_run(43, 1000, 100000);
  ASSERT_DBL_EQ(a, b);
  ASSERT(a != c);
}

/* Cancelling at random positions keeps the heap consistent: a sweep of
 * random inserts and cancels fires the survivors in (time, seq) order. */
static void test_cancel_random(void) {
  gp_sim *s = gp_sim_new(0);
  static fire_log log;
  log.n = 0;
  gsl_rng *r = gp_rng_new(7, 0, 0);
  static gp_event_id ids[4000];
  static int cancelled[4000];
  for (uint64_t i = 0; i < 4000; i++) {
    ids[i] = gp_sim_at(s, (double)gsl_rng_uniform_int(r, 50), record, &log, i);
    cancelled[i] = 0;
  }
  size_t kept = 4000;
  for (int k = 0; k < 3000; k++) {
    size_t i = gsl_rng_uniform_int(r, 4000);
    int was = !cancelled[i];
    ASSERT_EQ(gp_sim_cancel(s, ids[i]), was);
    if (was) kept--;
    cancelled[i] = 1;
  }
  ASSERT_EQ(gp_sim_pending(s), kept);
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(log.n, kept);
  for (size_t i = 1; i < log.n; i++) {
    ASSERT(log.t[i - 1] <= log.t[i]);
    if (log.t[i - 1] == log.t[i]) ASSERT_LT(log.a[i - 1], log.a[i]);
    ASSERT(!cancelled[log.a[i]]);
  }
  gsl_rng_free(r);
  gp_sim_free(s);
}

/* ---- the ladder queue against a plain (time, seq) heap ----
 *
 * The same randomised model runs twice: on the kernel, and on a reference
 * binary heap ordered by (time, seq) with lazy cancellation.  Every event
 * records (time, arg) when it fires and every cancel its result; the two
 * traces must be identical.  The model's decisions come from its own
 * generator, so the runs stay in step exactly as long as the two queues
 * agree: the first difference is the first wrong pop. */

typedef struct ref_ent {
  double t;
  uint64_t seq;
  uint64_t arg;
} ref_ent;

typedef struct ref_q {
  ref_ent *h;
  size_t n, cap;
  uint64_t seq;
  unsigned char *state; /* by seq: 1 pending, 2 cancelled, 0 fired */
  size_t nstate;
} ref_q;

static int ref_less(const ref_ent *a, const ref_ent *b) {
  return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static uint64_t ref_at(ref_q *q, double t, uint64_t arg) {
  if (q->n == q->cap) {
    q->cap = q->cap ? 2 * q->cap : 1024;
    q->h = realloc(q->h, q->cap * sizeof *q->h);
  }
  if (q->seq == q->nstate) {
    q->nstate = q->nstate ? 2 * q->nstate : 1024;
    q->state = realloc(q->state, q->nstate);
  }
  ref_ent e = {t, q->seq, arg};
  q->state[q->seq] = 1;
  size_t i = q->n++;
  while (i > 0 && ref_less(&e, &q->h[(i - 1) / 2])) {
    q->h[i] = q->h[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  q->h[i] = e;
  return q->seq++;
}

static int ref_cancel(ref_q *q, uint64_t seq) {
  if (seq >= q->seq || q->state[seq] != 1) return 0;
  q->state[seq] = 2;
  return 1;
}

/* Pop the earliest pending entry into *E; 0 when none. */
static int ref_pop(ref_q *q, ref_ent *e) {
  while (q->n) {
    *e = q->h[0];
    ref_ent last = q->h[--q->n];
    size_t i = 0;
    for (;;) {
      size_t c = 2 * i + 1;
      if (c >= q->n) break;
      if (c + 1 < q->n && ref_less(&q->h[c + 1], &q->h[c])) c++;
      if (!ref_less(&q->h[c], &last)) break;
      q->h[i] = q->h[c];
      i = c;
    }
    if (q->n) q->h[i] = last;
    if (q->state[e->seq] == 1) {
      q->state[e->seq] = 0;
      return 1;
    }
  }
  return 0;
}

static double ref_peek(ref_q *q) {
  while (q->n && q->state[q->h[0].seq] != 1) {
    ref_ent e;
    ref_pop(q, &e); /* drops cancelled heads (and would pop a live one: not here) */
    if (q->state[e.seq] == 0) { /* it was live: put it back */
      q->state[e.seq] = 1;
      ref_ent x = e;
      size_t i = q->n++;
      while (i > 0 && ref_less(&x, &q->h[(i - 1) / 2])) {
        q->h[i] = q->h[(i - 1) / 2];
        i = (i - 1) / 2;
      }
      q->h[i] = x;
      break;
    }
  }
  return q->n ? q->h[0].t : INFINITY;
}

/* The randomised model; one instance per queue. */
enum { DIST_EXP, DIST_TIES, DIST_WIDE, DIST_MIXED };
#define MODEL_IDS 200000
typedef struct qmodel {
  gsl_rng *r;
  int dist;
  int use_ref;          /* 1: drive the reference heap; 0: the kernel */
  gp_sim *sim;
  ref_q ref;
  double now;           /* reference run's clock */
  uint64_t *ids;        /* [MODEL_IDS] id of the k-th scheduled event (ring) */
  uint64_t nids;
  double *trace;        /* (time, arg or cancel result) pairs */
  size_t ntrace, captrace;
  uint64_t budget;      /* events the model may still schedule from callbacks */
  int64_t live;         /* pending, as the model counts them */
} qmodel;

static void trace_add(qmodel *m, double a, double b) {
  if (m->ntrace + 2 > m->captrace) {
    m->captrace = m->captrace ? 2 * m->captrace : 1 << 16;
    m->trace = realloc(m->trace, m->captrace * sizeof *m->trace);
  }
  m->trace[m->ntrace++] = a;
  m->trace[m->ntrace++] = b;
}

static double model_delay(qmodel *m) {
  gsl_rng *r = m->r;
  int d = m->dist;
  if (d == DIST_MIXED) d = (int)gsl_rng_uniform_int(r, 3);
  switch (d) {
  case DIST_EXP:
    return gsl_ran_exponential(r, 1.0);
  case DIST_TIES: /* few distinct delays, 0 included: many equal times */
    return 0.5 * (double)gsl_rng_uniform_int(r, 4);
  default: { /* tiny to huge, and now and then never */
    double u = gsl_rng_uniform(r);
    if (u < 0.01) return INFINITY;
    if (u < 0.2) return 1e-12 * gsl_rng_uniform(r);
    if (u < 0.3) return 1e9 * gsl_rng_uniform(r);
    if (u < 0.35) return 0;
    return gsl_ran_exponential(r, 3.0);
  }
  }
}

static void model_ev(gp_sim *s, void *ctx, uint64_t arg);

static void model_schedule(qmodel *m, double t) {
  uint64_t k = m->nids++;
  uint64_t id = m->use_ref ? ref_at(&m->ref, t, k) : gp_sim_at(m->sim, t, model_ev, m, k);
  m->ids[k % MODEL_IDS] = id;
  m->live++;
}

/* What an event does when it fires at NOW: schedule 0 to 2 more (2 while
 * few are pending, so small populations live on), maybe cancel one
 * scheduled earlier (pending, fired or cancelled already). */
static void model_act(qmodel *m, double now) {
  double u = gsl_rng_uniform(m->r);
  m->live--;
  int more = m->live < 16 ? 2 : u < 0.1 ? 0 : u < 0.9 ? 1 : 2;
  for (int i = 0; i < more && m->budget > 0; i++, m->budget--) {
    double d = model_delay(m);
    model_schedule(m, now + d);
  }
  if (gsl_rng_uniform(m->r) < 0.15 && m->nids > 0) {
    uint64_t back = gsl_rng_uniform_int(m->r, m->nids < MODEL_IDS ? m->nids : MODEL_IDS);
    uint64_t k = m->nids - 1 - back;
    uint64_t id = m->ids[k % MODEL_IDS];
    int ok = m->use_ref ? ref_cancel(&m->ref, id) : gp_sim_cancel(m->sim, id);
    m->live -= ok;
    trace_add(m, -1, ok);
  }
}

static void model_ev(gp_sim *s, void *ctx, uint64_t arg) {
  qmodel *m = ctx;
  trace_add(m, gp_sim_now(s), (double)arg);
  model_act(m, gp_sim_now(s));
}

/* Run the model on one queue: START events, then slices of simulated time
 * with an outside event at the start of each (at exactly now). */
static void model_run(qmodel *m, int dist, int use_ref, uint64_t seed, size_t start,
                      uint64_t budget) {
  memset(m, 0, sizeof *m);
  m->r = gp_rng_new(seed, 0, 0);
  m->dist = dist;
  m->use_ref = use_ref;
  m->budget = budget;
  m->ids = calloc(MODEL_IDS, sizeof *m->ids);
  if (!use_ref) m->sim = gp_sim_new(0);
  for (size_t i = 0; i < start; i++) model_schedule(m, model_delay(m));
  for (double slice = 0;;) {
    double next;
    if (use_ref) {
      ref_ent e;
      while (ref_peek(&m->ref) <= slice && ref_pop(&m->ref, &e)) {
        m->now = e.t;
        trace_add(m, e.t, (double)e.arg);
        model_act(m, e.t);
      }
      if (slice > m->now) m->now = slice;
      next = ref_peek(&m->ref);
      trace_add(m, -2, next);
      if (isinf(next)) break;
      model_schedule(m, m->now); /* outside, at now */
    } else {
      gp_sim_run_until(m->sim, slice);
      next = gp_sim_next_time(m->sim);
      trace_add(m, -2, next);
      if (isinf(next)) break;
      model_schedule(m, gp_sim_now(m->sim));
    }
    /* The next slice, skipping long quiet stretches. */
    slice = next > slice + 7.25 ? next + 3.5 : slice + 7.25;
  }
  /* Whatever is left at infinity fires last, in scheduling order; its
   * callbacks still cancel, but schedule nothing. */
  m->budget = 0;
  if (use_ref) {
    ref_ent e;
    while (ref_pop(&m->ref, &e)) {
      trace_add(m, e.t, (double)e.arg);
      model_act(m, e.t);
    }
  } else {
    gp_sim_run(m->sim);
  }
}

static void model_free(qmodel *m) {
  gsl_rng_free(m->r);
  gp_sim_free(m->sim);
  free(m->ref.h);
  free(m->ref.state);
  free(m->ids);
  free(m->trace);
}

static void check_against_heap(int dist, uint64_t seed, size_t start, uint64_t budget) {
  static qmodel a, b;
  model_run(&a, dist, 0, seed, start, budget);
  /* The reference run: at infinity callbacks schedule nothing either. */
  model_run(&b, dist, 1, seed, start, budget);
  ASSERT_EQ(gp_sim_error(a.sim)->code, 0);
  size_t n = a.ntrace < b.ntrace ? a.ntrace : b.ntrace;
  size_t i = 0;
  while (i < n && (a.trace[i] == b.trace[i] || (isnan(a.trace[i]) && isnan(b.trace[i])))) i++;
  if (i < n || a.ntrace != b.ntrace)
    TEST_FAIL_("dist %d seed %llu: traces differ at %zu of %zu/%zu: %.17g vs %.17g", dist,
               (unsigned long long)seed, i, a.ntrace, b.ntrace, i < n ? a.trace[i] : NAN,
               i < n ? b.trace[i] : NAN);
  ASSERT_GT(a.ntrace, budget); /* the model did run: at least budget / 2 events */
  model_free(&a);
  model_free(&b);
}

static void test_same_order_as_heap(void) {
  for (uint64_t seed = 1; seed <= 3; seed++) {
    check_against_heap(DIST_EXP, seed, 5000, 150000);
    check_against_heap(DIST_TIES, seed, 3000, 150000);
    check_against_heap(DIST_WIDE, seed, 5000, 150000);
    check_against_heap(DIST_MIXED, seed, 20000, 200000);
  }
  /* Small populations: Top and Bottom only, rungs come and go. */
  check_against_heap(DIST_EXP, 9, 10, 20000);
  check_against_heap(DIST_TIES, 9, 3, 20000);
}

/* Equal times keep scheduling order across bucket boundaries: 20000 events
 * at 40 distinct times spread over a range cut into many buckets (and
 * scheduled in a shuffled order of times), plus cancels of every 7th. */
static void test_ties_across_buckets(void) {
  static fire_log log; /* 4096 entries: check the first 4096 only, then counts */
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  gsl_rng *r = gp_rng_new(11, 0, 0);
  enum { N = 20000, T = 40 };
  static gp_event_id ids[N];
  static double when[N];
  for (uint64_t i = 0; i < N; i++) {
    int k = (int)gsl_rng_uniform_int(r, T);
    when[i] = 1000.0 + k * (1.0 / 3.0); /* not exactly representable: rounding at edges */
    ids[i] = gp_sim_at(s, when[i], record, &log, i);
  }
  for (uint64_t i = 0; i < N; i += 7) ASSERT_EQ(gp_sim_cancel(s, ids[i]), 1);
  /* Fire in slices that stop in the middle of equal times' groups. */
  uint64_t last_arg = 0;
  double last_t = -1;
  size_t fired = 0;
  while (gp_sim_pending(s)) {
    log.n = 0;
    for (int k = 0; k < 4000 && gp_sim_step(s); k++) {
    }
    for (size_t j = 0; j < log.n; j++, fired++) {
      ASSERT(log.a[j] % 7 != 0);
      if (log.t[j] == last_t) ASSERT_LT(last_arg, log.a[j]);
      else ASSERT(log.t[j] > last_t);
      last_t = log.t[j];
      last_arg = log.a[j];
    }
  }
  ASSERT_EQ(fired, N - (N + 6) / 7);
  gsl_rng_free(r);
  gp_sim_free(s);
}

/* Cancel inside buckets at every depth: events spread over [0, 100) so that
 * they sit in Top, rungs and Bottom; cancel half, at random, from inside a
 * callback while the run is half way; the survivors fire in order and no
 * cancelled one fires. */
static int *cx_cancelled;
static double *cx_t;
static gp_event_id *cx_ids;
static size_t cx_n;
static double cx_last;
static size_t cx_fired;
static int cx_bad;

static void cx_fire(gp_sim *s, void *ctx, uint64_t arg) {
  (void)ctx;
  if (cx_cancelled[arg] || gp_sim_now(s) < cx_last) cx_bad++;
  cx_last = gp_sim_now(s);
  cx_fired++;
}

static void cx_massacre(gp_sim *s, void *ctx, uint64_t arg) {
  (void)arg;
  gsl_rng *r = ctx;
  for (size_t k = 0; k < cx_n / 2; k++) {
    size_t i = gsl_rng_uniform_int(r, cx_n);
    /* Pending iff not cancelled yet and still ahead (none is at 50). */
    int pending = !cx_cancelled[i] && cx_t[i] > gp_sim_now(s);
    if (gp_sim_cancel(s, cx_ids[i]) != pending) cx_bad++;
    if (pending) cx_cancelled[i] = 1;
  }
}

static void test_cancel_in_buckets(void) {
  cx_n = 100000;
  cx_cancelled = calloc(cx_n, sizeof *cx_cancelled);
  cx_ids = calloc(cx_n, sizeof *cx_ids);
  cx_t = calloc(cx_n, sizeof *cx_t);
  cx_last = 0;
  cx_fired = 0;
  cx_bad = 0;
  gsl_rng *r = gp_rng_new(5, 0, 0);
  gp_sim *s = gp_sim_new(0);
  for (size_t i = 0; i < cx_n; i++) {
    cx_t[i] = 100.0 * gsl_rng_uniform(r);
    cx_ids[i] = gp_sim_at(s, cx_t[i], cx_fire, NULL, i);
  }
  gp_sim_at(s, 50.0, cx_massacre, r, 0);
  ASSERT_EQ(gp_sim_run(s), 0);
  size_t ncancelled = 0;
  for (size_t i = 0; i < cx_n; i++) ncancelled += (size_t)cx_cancelled[i];
  ASSERT_GT(ncancelled, cx_n / 8);
  ASSERT_EQ(cx_bad, 0);
  ASSERT_EQ(cx_fired, cx_n - ncancelled);
  ASSERT_EQ(gp_sim_pending(s), 0);
  /* Every id is stale now. */
  for (size_t i = 0; i < cx_n; i += 97) ASSERT_EQ(gp_sim_cancel(s, cx_ids[i]), 0);
  gsl_rng_free(r);
  gp_sim_free(s);
  free(cx_cancelled);
  free(cx_t);
  free(cx_ids);
}

/* Many cancels of far-future events (more than the sweep threshold) while
 * the near future keeps running: pending counts stay right, nothing
 * cancelled fires. */
static size_t fx_fired;
static gp_event_id fx_far;
static int fx_far_fired;

static void fx_far_ev(gp_sim *s, void *ctx, uint64_t arg) {
  (void)s, (void)ctx, (void)arg;
  fx_far_fired++;
}

static void fx_tick(gp_sim *s, void *ctx, uint64_t arg) {
  (void)ctx;
  fx_fired++;
  /* A timeout pattern: re-arm a far timer, cancelling the previous one. */
  ASSERT_EQ(gp_sim_cancel(s, fx_far), 1);
  fx_far = gp_sim_after(s, 1e6, fx_far_ev, NULL, 0);
  if (arg > 0) gp_sim_after(s, 0.01, fx_tick, NULL, arg - 1);
}

static void test_cancel_sweeps(void) {
  fx_fired = 0;
  fx_far_fired = 0;
  gp_sim *s = gp_sim_new(0);
  for (int i = 0; i < 100; i++) gp_sim_at(s, 5e5 + i, fx_far_ev, NULL, 0); /* stay pending */
  fx_far = gp_sim_after(s, 1e6, fx_far_ev, NULL, 0);
  gp_sim_at(s, 0, fx_tick, NULL, 50000);
  ASSERT_EQ(gp_sim_run_until(s, 1000), 0);
  ASSERT_EQ(fx_fired, 50001);
  ASSERT_EQ(fx_far_fired, 0);
  ASSERT_EQ(gp_sim_pending(s), 101);
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(fx_far_fired, 101);
  gp_sim_free(s);
}

/* After a long quiet gap, an event scheduled at now fires first, before
 * events left far ahead and in the structures built long ago. */
static void test_now_after_gap(void) {
  static fire_log log;
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  for (uint64_t i = 0; i < 1000; i++) gp_sim_at(s, (double)i * 0.001, record, &log, i);
  for (uint64_t i = 0; i < 1000; i++) gp_sim_at(s, 1e7 + (double)i, record, &log, 1000 + i);
  ASSERT_EQ(gp_sim_run_until(s, 5e6), 0);
  ASSERT_EQ(log.n, 1000);
  ASSERT_DBL_EQ(gp_sim_now(s), 5e6);
  ASSERT_DBL_EQ(gp_sim_next_time(s), 1e7);
  ASSERT(gp_sim_at(s, 5e6, record, &log, 7777));
  ASSERT(gp_sim_at(s, 5e6, record, &log, 7778));
  ASSERT_DBL_EQ(gp_sim_next_time(s), 5e6);
  ASSERT_EQ(gp_sim_step(s), 1);
  ASSERT_EQ(log.a[1000], 7777);
  ASSERT_EQ(gp_sim_step(s), 1);
  ASSERT_EQ(log.a[1001], 7778);
  ASSERT_EQ(gp_sim_at(s, 4e6, record, &log, 1), 0); /* the past, after the gap */
  gp_sim_free(s);
}

/* Huge, tiny and degenerate spreads, infinity, and NaN / past rejected. */
static void test_extreme_times(void) {
  static fire_log log;
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  double big = 1e300, t9 = 1e9;
  double times[] = {INFINITY, big, 1e-300, 5e-324, 0, t9, nextafter(t9, 0), nextafter(t9, 2e9),
                    1e-290, nextafter(big, 0), DBL_MAX, INFINITY, 0, 1e-300};
  size_t nt = sizeof times / sizeof times[0];
  /* Each time 100 times over, shuffled by a fixed stride, so that buckets
   * overflow and rungs are cut over ranges from 1e-324 to 1e308. */
  for (uint64_t k = 0; k < 100 * nt; k++) {
    size_t j = (k * 7) % nt;
    ASSERT(gp_sim_at(s, times[j], record, &log, k));
  }
  ASSERT_EQ(gp_sim_at(s, NAN, record, &log, 0), 0);
  ASSERT_EQ(gp_sim_error(s)->code, GP_EX_SOFTWARE);
  ASSERT_EQ(gp_sim_pending(s), 100 * nt);
  gp_sim *ok = gp_sim_new(0); /* the same without the error, to run */
  log.n = 0;
  for (uint64_t k = 0; k < 100 * nt; k++) gp_sim_at(ok, times[(k * 7) % nt], record, &log, k);
  ASSERT_EQ(gp_sim_run(ok), 0);
  ASSERT_EQ(log.n, 100 * nt);
  for (size_t i = 1; i < log.n; i++) {
    ASSERT(log.t[i - 1] <= log.t[i]);
    if (log.t[i - 1] == log.t[i]) ASSERT_LT(log.a[i - 1], log.a[i]);
  }
  ASSERT(isinf(gp_sim_now(ok)));
  ASSERT(isinf(log.t[log.n - 1]));
  /* At infinity, nothing is in the past but NaN. */
  ASSERT(gp_sim_at(ok, INFINITY, record, &log, 0));
  ASSERT_EQ(gp_sim_at(ok, 1e308, record, &log, 0), 0);
  gp_sim_free(ok);
  /* Past and NaN delays. */
  gp_sim *p = gp_sim_new(0);
  ASSERT_EQ(gp_sim_after(p, -1e-300, record, &log, 0), 0);
  ASSERT_CONTAINS(gp_sim_error(p)->msg, "scheduled in the past");
  gp_sim_free(p);
  p = gp_sim_new(0);
  ASSERT_EQ(gp_sim_after(p, NAN, record, &log, 0), 0);
  ASSERT_EQ(gp_sim_at(p, -INFINITY, record, &log, 0), 0);
  ASSERT_EQ(gp_sim_pending(p), 0);
  ASSERT_EQ(gp_sim_run(p), -1);
  gp_sim_free(p);
  gp_sim_free(s);
}

/* Ties in a range too narrow to cut into buckets (three adjacent
 * subnormal times): the queue must sort them stably as they are. */
static void test_ties_in_a_tiny_range(void) {
  static fire_log log;
  log.n = 0;
  gp_sim *s = gp_sim_new(0);
  /* The first event fixes where the far future starts (time 0); the rest
   * all land there, in one list. */
  ASSERT(gp_sim_at(s, 0, record, &log, 0));
  double times[] = {1e-323, 5e-324, 1.5e-323};
  for (uint64_t i = 1; i < 3000; i++) ASSERT(gp_sim_at(s, times[(i * 7 + i / 5) % 3], record, &log, i));
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(log.n, 3000);
  for (size_t i = 1; i < log.n; i++) {
    ASSERT(log.t[i - 1] <= log.t[i]);
    if (log.t[i - 1] == log.t[i]) ASSERT_LT(log.a[i - 1], log.a[i]);
  }
  ASSERT_DBL_EQ(log.t[1], 5e-324);
  ASSERT_DBL_EQ(log.t[2999], 1.5e-323);
  gp_sim_free(s);
}

/* Growth to 10^6 pending, then a hold phase and a drain, in order. */
static double gr_last;
static int gr_bad;
static gsl_rng *gr_r;

static void gr_ev(gp_sim *s, void *ctx, uint64_t arg) {
  (void)ctx;
  if (gp_sim_now(s) < gr_last) gr_bad++;
  gr_last = gp_sim_now(s);
  if (arg) gp_sim_after(s, gsl_ran_exponential(gr_r, 1.0), gr_ev, NULL, arg - 1);
}

static void test_growth_to_a_million(void) {
  gr_last = 0;
  gr_bad = 0;
  gr_r = gp_rng_new(3, 0, 0);
  gp_sim *s = gp_sim_new(0);
  for (uint64_t i = 0; i < 1000000; i++)
    ASSERT(gp_sim_at(s, 10.0 * gsl_rng_uniform(gr_r), gr_ev, NULL, i % 3));
  ASSERT_EQ(gp_sim_pending(s), 1000000);
  ASSERT_EQ(gp_sim_run_until(s, 5), 0);
  ASSERT_EQ(gr_bad, 0);
  ASSERT_GT(gp_sim_pending(s), 500000);
  ASSERT_EQ(gp_sim_run(s), 0);
  ASSERT_EQ(gr_bad, 0);
  ASSERT_EQ(gp_sim_fired(s), 1999999); /* 10^6 + 333333 x 1 + 333333 x 2 */
  ASSERT_EQ(gp_sim_pending(s), 0);
  gsl_rng_free(gr_r);
  gp_sim_free(s);
}

/* ---- gp_sim_reset ---- */

/* A random schedule: each event logs itself, then schedules up to three
 * more (delays on a grid of quarter days, so many tie, now and then far
 * ahead), and now and then cancels an earlier event.  Its own generator
 * (xorshift) so that the schedule depends only on the seed and on the
 * order of firing. */
typedef struct rs_model {
  uint64_t x;          /* generator state */
  size_t budget;       /* events still to schedule */
  gp_event_id *ids;    /* [nsched] every id gp_sim_at returned, in order */
  size_t nsched, cap;
  double *ft;          /* [nfired] firing times */
  uint64_t *fa;        /* [nfired] firing args (= index into ids) */
  size_t nfired;
  int cancels_ok;      /* cancellations that returned 1 */
} rs_model;

static uint64_t rs_next(rs_model *m) {
  m->x ^= m->x << 13;
  m->x ^= m->x >> 7;
  m->x ^= m->x << 17;
  return m->x;
}

static void rs_ev(gp_sim *s, void *ctx, uint64_t arg);

static void rs_schedule(gp_sim *s, rs_model *m) {
  if (m->budget == 0 || m->nsched == m->cap) return;
  m->budget--;
  uint64_t u = rs_next(m);
  double dt = (double)(u % 16) / 4; /* ties */
  if (u % 97 == 0) dt += 1000 + (double)(u >> 40) / 4096; /* far ahead: Top, rungs */
  gp_event_id id = gp_sim_after(s, dt, rs_ev, m, m->nsched);
  m->ids[m->nsched++] = id;
}

static void rs_ev(gp_sim *s, void *ctx, uint64_t arg) {
  rs_model *m = ctx;
  m->ft[m->nfired] = gp_sim_now(s);
  m->fa[m->nfired] = arg;
  m->nfired++;
  uint64_t u = rs_next(m);
  for (uint64_t k = u % 4; k > 0; k--) rs_schedule(s, m);
  if (u % 5 == 0 && m->nsched > 0) m->cancels_ok += gp_sim_cancel(s, m->ids[(u >> 20) % m->nsched]);
}

static void rs_init(rs_model *m, uint64_t seed, size_t budget) {
  memset(m, 0, sizeof *m);
  m->x = seed;
  m->budget = budget;
  m->cap = budget + 64;
  m->ids = malloc(m->cap * sizeof *m->ids);
  m->ft = malloc(m->cap * sizeof *m->ft);
  m->fa = malloc(m->cap * sizeof *m->fa);
  ASSERT(m->ids && m->ft && m->fa);
}

static void rs_free(rs_model *m) {
  free(m->ids);
  free(m->ft);
  free(m->fa);
}

/* Play the schedule of SEED on S: 64 events at time 0 (ties), then run. */
static void rs_play(gp_sim *s, rs_model *m, uint64_t seed, size_t budget) {
  rs_init(m, seed, budget);
  for (int i = 0; i < 64; i++) rs_schedule(s, m);
  ASSERT_EQ(gp_sim_run(s), 0);
}

/* A kernel reset after another run fires the same schedule as a fresh one:
 * the same order, times and ids.  (Removing any line of gp_sim_reset that
 * the API can see, the clock, counts, slots, chunks, Bottom, Top's list or
 * the error, makes this fail or crash; Top's start and the rungs' count
 * only steer where pairs are filed, which the order does not show.) */
static void test_reset_is_fresh(void) {
  const size_t budget = 20000;
  rs_model a, b, heavy;
  /* On a fresh kernel. */
  gp_sim *fresh = gp_sim_new(0);
  ASSERT(fresh);
  rs_play(fresh, &a, 0x9e3779b97f4a7c15u, budget);
  ASSERT_EQ(a.nfired + (size_t)a.cancels_ok, a.nsched);
  ASSERT_GT(a.cancels_ok, 0);
  /* On a kernel after a different, heavier run left stopped half-way with
   * events pending (many cancelled, some far ahead) and an error
   * recorded. */
  gp_sim *used = gp_sim_new(0);
  ASSERT(used);
  rs_init(&heavy, 12345, 200000);
  for (int i = 0; i < 2000; i++) rs_schedule(used, &heavy);
  /* Past the first far-ahead events, so that Top has come down into rungs
   * and rungs hold buckets still to come. */
  while (gp_sim_now(used) < 1100) ASSERT_EQ(gp_sim_step(used), 1);
  for (size_t i = 0; i < heavy.nsched; i += 3) gp_sim_cancel(used, heavy.ids[i]);
  ASSERT_GT(gp_sim_pending(used), 1000);
  gp_event_id stale = heavy.ids[heavy.nsched - 1];
  gp_sim_stop(used);
  gp_sim_fail(used, GP_EX_SOFTWARE, "left behind");
  gp_sim_reset(used);
  ASSERT_EQ(gp_sim_error(used)->code, 0);
  ASSERT_DBL_EQ(gp_sim_now(used), 0);
  ASSERT_EQ(gp_sim_pending(used), 0);
  ASSERT_EQ(gp_sim_fired(used), 0);
  ASSERT(gp_sim_next_time(used) == INFINITY);
  ASSERT_EQ(gp_sim_cancel(used, stale), 0); /* no id of the old run is live */
  rs_play(used, &b, 0x9e3779b97f4a7c15u, budget);
  /* The same firing order, times and ids. */
  ASSERT_EQ(b.nsched, a.nsched);
  ASSERT_EQ(b.nfired, a.nfired);
  ASSERT_EQ(b.cancels_ok, a.cancels_ok);
  ASSERT(memcmp(a.ids, b.ids, a.nsched * sizeof *a.ids) == 0);
  ASSERT(memcmp(a.fa, b.fa, a.nfired * sizeof *a.fa) == 0);
  ASSERT(memcmp(a.ft, b.ft, a.nfired * sizeof *a.ft) == 0);
  ASSERT_EQ(gp_sim_fired(used), gp_sim_fired(fresh));
  ASSERT_DBL_EQ(gp_sim_now(used), gp_sim_now(fresh));
  /* A second reset after a run that ended normally: the same again. */
  rs_free(&b);
  gp_sim_reset(used);
  rs_play(used, &b, 0x9e3779b97f4a7c15u, budget);
  ASSERT(memcmp(a.ids, b.ids, a.nsched * sizeof *a.ids) == 0);
  ASSERT(memcmp(a.fa, b.fa, a.nfired * sizeof *a.fa) == 0);
  rs_free(&a);
  rs_free(&b);
  rs_free(&heavy);
  gp_sim_free(fresh);
  gp_sim_free(used);
}

int main(void) {
  RUN(test_ordering);
  RUN(test_ties_in_insertion_order);
  RUN(test_cancel);
  RUN(test_past_is_an_error);
  RUN(test_run_until_and_step);
  RUN(test_determinism);
  RUN(test_cancel_random);
  RUN(test_same_order_as_heap);
  RUN(test_ties_across_buckets);
  RUN(test_cancel_in_buckets);
  RUN(test_cancel_sweeps);
  RUN(test_now_after_gap);
  RUN(test_extreme_times);
  RUN(test_ties_in_a_tiny_range);
  RUN(test_growth_to_a_million);
  RUN(test_reset_is_fresh);
  TEST_EXIT();
}
