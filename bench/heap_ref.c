/*
 * bench/heap_ref.c - the kernel as it was before the ladder queue: the same
 * public API (sim/sim.h) over a binary heap of (time, seq, slot).  Kept only
 * to measure against: `make bench` links bench/hold.c with it into
 * hold-heap, so the two kernels run the identical hold model and their
 * checksums must agree.  Not part of the library.
 *
 * What follows is sim/sim.c of commit eda16c3, unchanged.
 */
/*
 * sim/sim.c - the discrete-event kernel (see sim.h).
 *
 * The pending-event set is a binary min-heap of (time, seq, slot) entries
 * stored by value, so comparisons touch only the heap array.  The slot
 * indexes the event pool, which holds the callback and the entry's current
 * heap position (for O(log n) cancellation).  Free pool slots form a stack.
 *
 * Invariants:
 *   - heap[i] <= heap[2i+1], heap[2i+2] in (time, seq) order;
 *   - pool[heap[i].slot].pos == i for every pending event;
 *   - a slot's gen changes every time it is freed, so stale ids never match;
 *   - now never decreases.
 */
#include "sim/sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct heap_ent {
  double time;
  uint64_t seq;
  uint32_t slot;
} heap_ent;

typedef struct pool_ent {
  gp_event_fn fn;
  void *ctx;
  uint64_t arg;
  uint32_t pos; /* index in heap while pending; UINT32_MAX when free */
  uint32_t gen; /* bumped on free; id = gen << 32 | slot */
} pool_ent;

struct gp_sim {
  double now;       /* model time units */
  uint64_t seq;     /* next sequence number */
  uint64_t fired;   /* events fired so far */
  heap_ent *heap;
  size_t n, cap;    /* pending events, capacity of heap and pool */
  pool_ent *pool;
  uint32_t *free_slots; /* stack of free pool slots */
  size_t nfree;
  int stopped;
  gp_err err;
};

#define NO_POS UINT32_MAX

static inline int ent_less(const heap_ent *a, const heap_ent *b) {
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void sift_up(gp_sim *s, size_t i) {
  heap_ent e = s->heap[i];
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!ent_less(&e, &s->heap[p])) break;
    s->heap[i] = s->heap[p];
    s->pool[s->heap[i].slot].pos = (uint32_t)i;
    i = p;
  }
  s->heap[i] = e;
  s->pool[e.slot].pos = (uint32_t)i;
}

static void sift_down(gp_sim *s, size_t i) {
  heap_ent e = s->heap[i];
  size_t n = s->n;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && ent_less(&s->heap[c + 1], &s->heap[c])) c++;
    if (!ent_less(&s->heap[c], &e)) break;
    s->heap[i] = s->heap[c];
    s->pool[s->heap[i].slot].pos = (uint32_t)i;
    i = c;
  }
  s->heap[i] = e;
  s->pool[e.slot].pos = (uint32_t)i;
}

static int grow(gp_sim *s) {
  size_t ncap = s->cap ? s->cap * 2 : 256;
  if (ncap >= NO_POS) return -1;
  heap_ent *h = realloc(s->heap, ncap * sizeof *h);
  if (!h) return -1;
  s->heap = h;
  pool_ent *p = realloc(s->pool, ncap * sizeof *p);
  if (!p) return -1;
  s->pool = p;
  uint32_t *f = realloc(s->free_slots, ncap * sizeof *f);
  if (!f) return -1;
  s->free_slots = f;
  /* New slots are pushed so that the lowest index is handed out first. */
  for (size_t i = ncap; i-- > s->cap;) {
    s->pool[i].pos = NO_POS;
    s->pool[i].gen = 1;
    s->free_slots[s->nfree++] = (uint32_t)i;
  }
  s->cap = ncap;
  return 0;
}

gp_sim *gp_sim_new(size_t hint) {
  gp_sim *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  gp_err_clear(&s->err);
  while (s->cap < hint || s->cap == 0) {
    if (grow(s) != 0) {
      gp_sim_free(s);
      return NULL;
    }
  }
  return s;
}

void gp_sim_free(gp_sim *s) {
  if (!s) return;
  free(s->heap);
  free(s->pool);
  free(s->free_slots);
  free(s);
}

double gp_sim_now(const gp_sim *s) { return s->now; }
double gp_sim_next_time(const gp_sim *s) { return s->n ? s->heap[0].time : INFINITY; }
size_t gp_sim_pending(const gp_sim *s) { return s->n; }
uint64_t gp_sim_fired(const gp_sim *s) { return s->fired; }
const gp_err *gp_sim_error(const gp_sim *s) { return &s->err; }

int gp_sim_fail(gp_sim *s, int code, const char *fmt, ...) {
  if (s->err.code == 0) {
    char buf[sizeof s->err.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    gp_err_set(&s->err, __FILE__, __LINE__, code, "%s", buf);
  }
  s->stopped = 1;
  return -1;
}

gp_event_id gp_sim_at(gp_sim *s, double t, gp_event_fn fn, void *ctx, uint64_t arg) {
  if (!(t >= s->now)) { /* also catches NaN */
    gp_sim_fail(s, GP_EX_SOFTWARE, "event scheduled in the past: at t=%.17g while now=%.17g", t,
                s->now);
    return 0;
  }
  if (s->nfree == 0 && grow(s) != 0) {
    gp_sim_fail(s, GP_EX_OSERR, "out of memory with %zu events pending", s->n);
    return 0;
  }
  uint32_t slot = s->free_slots[--s->nfree];
  pool_ent *p = &s->pool[slot];
  p->fn = fn;
  p->ctx = ctx;
  p->arg = arg;
  size_t i = s->n++;
  s->heap[i].time = t;
  s->heap[i].seq = s->seq++;
  s->heap[i].slot = slot;
  sift_up(s, i);
  return (uint64_t)p->gen << 32 | slot;
}

gp_event_id gp_sim_after(gp_sim *s, double dt, gp_event_fn fn, void *ctx, uint64_t arg) {
  if (!(dt >= 0)) {
    gp_sim_fail(s, GP_EX_SOFTWARE, "event scheduled in the past: delay %.17g at now=%.17g", dt,
                s->now);
    return 0;
  }
  return gp_sim_at(s, s->now + dt, fn, ctx, arg);
}

static void release(gp_sim *s, uint32_t slot) {
  s->pool[slot].pos = NO_POS;
  s->pool[slot].gen++;
  if (s->pool[slot].gen == 0) s->pool[slot].gen = 1;
  s->free_slots[s->nfree++] = slot;
}

/* Remove the heap entry at position I. */
static void heap_remove(gp_sim *s, size_t i) {
  size_t last = --s->n;
  if (i == last) return;
  s->heap[i] = s->heap[last];
  s->pool[s->heap[i].slot].pos = (uint32_t)i;
  if (i > 0 && ent_less(&s->heap[i], &s->heap[(i - 1) / 2]))
    sift_up(s, i);
  else
    sift_down(s, i);
}

int gp_sim_cancel(gp_sim *s, gp_event_id id) {
  uint32_t slot = (uint32_t)(id & 0xffffffffu);
  uint32_t gen = (uint32_t)(id >> 32);
  if (id == 0 || slot >= s->cap) return 0;
  pool_ent *p = &s->pool[slot];
  if (p->gen != gen || p->pos == NO_POS) return 0;
  heap_remove(s, p->pos);
  release(s, slot);
  return 1;
}

/* Pop and fire the earliest event; the caller checked that one is pending. */
static void fire_next(gp_sim *s) {
  heap_ent top = s->heap[0];
  pool_ent p = s->pool[top.slot];
  heap_remove(s, 0);
  release(s, top.slot);
  s->now = top.time;
  s->fired++;
  p.fn(s, p.ctx, p.arg);
}

int gp_sim_step(gp_sim *s) {
  if (s->err.code || s->n == 0) return 0;
  s->stopped = 0;
  fire_next(s);
  return 1;
}

int gp_sim_run_until(gp_sim *s, double t) {
  s->stopped = 0;
  while (!s->stopped && s->n && s->heap[0].time <= t) fire_next(s);
  if (s->err.code) return -1;
  if (!s->stopped && t > s->now) s->now = t;
  return 0;
}

int gp_sim_run(gp_sim *s) {
  s->stopped = 0;
  while (!s->stopped && s->n) fire_next(s);
  return s->err.code ? -1 : 0;
}

void gp_sim_stop(gp_sim *s) { s->stopped = 1; }
