/*
 * sim/sim.c - the discrete-event kernel (see sim.h).
 *
 * The pending-event set is a ladder queue (W. T. Tang, R. S. M. Goh and
 * I. L.-J. Thng, "Ladder queue: an O(1) priority queue structure for
 * large-scale discrete event simulation", ACM TOMACS 15(3), 2005): an
 * unsorted Top for the far future, rungs of buckets that cut time into ever
 * finer slices, and a short sorted Bottom from which events fire.  An event
 * is copied a small, bounded number of times between scheduling and firing,
 * whatever the number pending, so both are O(1) amortised.
 *
 * Layout, for the cache: the ladder holds (time, slot) pairs by value, 16 to
 * a 192-byte chunk, and Top and every bucket are FIFO lists of chunks, so
 * moving a bucket down reads whole chunks rather than one scattered node per
 * event.  The slot indexes the payload (callback, context, argument: 24
 * bytes) and the generation (4 bytes), touched when the event is scheduled
 * and when it fires (prefetched when its bucket comes down).  A pending
 * event therefore costs 12 + 28 bytes, plus its share of part-filled chunks
 * and bucket headers (a few bytes: a rung made from Top has one bucket per
 * DENS events).
 *
 * Differences from the paper: a rung spans the actual time range of what it
 * receives (each bucket tracks its bounds), so wide, narrow and lopsided
 * spreads all split evenly; a rung made from the last bucket of the finest
 * rung replaces it, so the ladder does not deepen when events keep landing
 * past a rung's end; short buckets are sorted by rank (no data-dependent
 * branches); cancelling is lazy; and equal times keep their scheduling
 * order without a stored sequence number:
 *   - containers fire in the order Bottom, rung nr-1 (buckets cur..nb-1),
 *     ..., rung 0, Top, and every event in an earlier container (or bucket)
 *     is earlier in (time, seq) than every event in a later one;
 *   - a new event (the latest seq) goes where place(t) says: Top if
 *     t >= top_start, else the first rung j (from 0) with
 *     x = (t - start_j) * inv_j >= cur_j, bucket min(floor x, nb_j - 1),
 *     else Bottom after every event of time <= t.  place is monotone in t
 *     (subtracting a constant and multiplying by a positive one are monotone
 *     in floating point), so events in earlier containers have times <= t
 *     and those in later ones times > t; a rung made from a list maps it
 *     with the same formula, so this holds after every move;
 *   - Top and buckets are FIFO, so equal times stay in scheduling order
 *     however they are split, and Bottom is sorted stably.
 *
 * Cancelling makes the slot's generation odd; the pair stays where it is
 * and is dropped when it reaches Bottom's head, or by a sweep once dead
 * pairs outnumber live ones (and the buckets left), so garbage stays in
 * proportion.  Bottom's head is live whenever anything is pending, so the
 * next event's time is always at hand.
 *
 * Invariants:
 *   - every pending, or cancelled but still listed, event has exactly one
 *     pair: in Top, in a bucket at or after its rung's cur, or in
 *     Bottom[bh, bn);
 *   - a list's lo <= every time in it, and hi >= every finite time in it;
 *   - gen[slot] is even while its event is pending and odd otherwise, and
 *     grows by one at each change, so an id (gen, slot) is live exactly while
 *     its event is pending; a slot is free only when no pair refers to it;
 *   - n > 0 implies bh < bn and Bottom's head is pending;
 *   - now never decreases.
 */
#include "sim/sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
/* Pairs per chunk (a power of 2). */
#define CHUNK 16
/* Chunks per allocated block (12 KiB: small enough to come from, and go
 * back to, the allocator's heap, so a run after a run reuses warm memory). */
#define BLOCK_SHIFT 6
#define BLOCK (1u << BLOCK_SHIFT)
/* A rung made from a long list (Top, or a bucket of more than SHORT pairs)
 * has one bucket per DENS pairs: few buckets, so few part-filled chunks and
 * headers.  One made from a short list (most buckets) has one per
 * DENS_CHILD: short buckets, cheap to sort, and little waste in all since
 * the list was short.  (Tuned on bench/hold: DENS 32 to 512 and DENS_CHILD
 * 4 to 16 are within 15%; memory grows below DENS 64.) */
#define DENS 128
#define DENS_CHILD 8
#define SHORT 4096
/* A bucket of at most THRES pairs is sorted into Bottom; a larger one is cut
 * into a new rung. */
#define THRES 24
/* Bottom grown past this by insertions in its middle becomes a rung. */
#define BOTTOM_MAX 256
/* Deepest ladder; past it, a bucket is sorted into Bottom whatever its size. */
#define MAX_RUNGS 24
/* Dead pairs are swept out once there are more than this many. */
#define PURGE_MIN 4096
/* Bottom is created with room for 2 * BOTTOM_MAX pairs and never shrinks,
 * so a short bucket always fits without a check. */
_Static_assert(2 * BOTTOM_MAX >= THRES, "Bottom must hold a short bucket");

/* CHUNK pairs of (time: double, model units; slot: uint32) packed at 12
 * bytes each, so that appending one touches one cache line (rarely two). */
typedef struct chunk {
  unsigned char e[CHUNK * 12];
} chunk;

/* A FIFO list of pairs in chunks, all full but the tail. */
typedef struct plist {
  chunk *tailp;        /* the tail chunk's address (saves a lookup per append) */
  uint32_t head, tail; /* chunks; meaningless when count is 0 */
  uint32_t count;      /* pairs */
  uint32_t unused;
  double lo;           /* <= every time listed; +inf when empty */
  double hi;           /* >= every finite time listed; -inf when none */
} plist;

typedef struct rung {
  double start;  /* lower edge of bucket 0, model units */
  double inv;    /* buckets per model time unit (> 0, finite) */
  plist *b;      /* [nb] buckets, of cap allocated */
  uint32_t nb;
  uint32_t cur;  /* first bucket not yet moved down; nb = exhausted */
  uint32_t cap;
} rung;

typedef struct bent {
  double t;      /* model units */
  uint32_t slot;
  uint32_t unused;
} bent;

typedef struct evpay {
  gp_event_fn fn;
  void *ctx;
  uint64_t arg;  /* while the slot is free: the next free slot */
} evpay;

struct gp_sim {
  double now;       /* model time units */
  uint64_t fired;   /* events fired so far */
  size_t n;         /* pending (live) events */
  size_t ndead;     /* cancelled events whose pair is still listed */
  /* Payload slots. */
  evpay *pay;       /* [cap] */
  uint32_t *gen;    /* [cap] */
  uint32_t cap;     /* slots allocated */
  uint32_t hwm;     /* slots ever handed out; those past it are untouched */
  uint32_t free;    /* free list; NIL = empty */
  /* Chunks. */
  chunk **blk;      /* [nblk] blocks of BLOCK chunks */
  uint32_t *cnext;  /* [blkcap * BLOCK] next chunk in a list or on the free list */
  uint32_t nblk, blkcap; /* blocks allocated, and room in blk */
  uint32_t chwm;    /* chunks ever handed out */
  uint32_t cfree;   /* free list; NIL = empty */
  size_t ncfree;
  /* Top: pairs at or after top_start, in scheduling order. */
  plist top;
  double top_start; /* -inf until Top first comes down */
  int top_inf;      /* 1 if Top holds a pair at +inf */
  /* Rungs, coarsest (0) to finest (nr - 1). */
  rung rungs[MAX_RUNGS];
  int nr;
  /* Bottom: sorted pairs bot[bh, bn), bcap allocated. */
  bent *bot;
  size_t bh, bn, bcap;
  int stopped;
  gp_err err;
};

/* ---- chunks and lists ---- */

static inline chunk *chunk_at(const gp_sim *s, uint32_t c) {
  return &s->blk[c >> BLOCK_SHIFT][c & (BLOCK - 1)];
}

static inline double ck_t(const chunk *c, uint32_t j) {
  double t;
  memcpy(&t, c->e + 12 * j, sizeof t);
  return t;
}

static inline uint32_t ck_slot(const chunk *c, uint32_t j) {
  uint32_t v;
  memcpy(&v, c->e + 12 * j + 8, sizeof v);
  return v;
}

static inline void ck_set(chunk *c, uint32_t j, double t, uint32_t slot) {
  memcpy(c->e + 12 * j, &t, sizeof t);
  memcpy(c->e + 12 * j + 8, &slot, sizeof slot);
}

/* Make sure K chunks can be had without allocating. */
static int chunks_reserve(gp_sim *s, size_t k) {
  while (s->ncfree + ((size_t)s->nblk * BLOCK - s->chwm) < k) {
    if (s->nblk >= (NIL >> BLOCK_SHIFT) - 1) return -1;
    if (s->nblk == s->blkcap) { /* the block table and links grow by doubling */
      uint32_t ncap = s->blkcap ? 2 * s->blkcap : 16;
      chunk **nb = realloc(s->blk, ncap * sizeof *nb);
      if (!nb) return -1;
      s->blk = nb;
      uint32_t *nx = realloc(s->cnext, (size_t)ncap * BLOCK * sizeof *nx);
      if (!nx) return -1;
      s->cnext = nx;
      s->blkcap = ncap;
    }
    chunk *b = aligned_alloc(64, BLOCK * sizeof *b);
    if (!b) return -1;
    s->blk[s->nblk++] = b;
  }
  return 0;
}

static inline uint32_t chunk_get(gp_sim *s) {
  uint32_t c = s->cfree;
  if (c != NIL) {
    s->cfree = s->cnext[c];
    s->ncfree--;
    return c;
  }
  if (s->chwm == s->nblk * BLOCK && chunks_reserve(s, 1) != 0) return NIL;
  return s->chwm++;
}

static inline void chunk_put(gp_sim *s, uint32_t c) {
  s->cnext[c] = s->cfree;
  s->cfree = c;
  s->ncfree++;
}

static inline void plist_clear(plist *l) {
  l->count = 0;
  l->lo = INFINITY;
  l->hi = -INFINITY;
}

/* Append (T, SLOT) to L; -1 when a chunk was needed and none could be had. */
static inline int plist_push(gp_sim *s, plist *l, double t, uint32_t slot) {
  uint32_t pos = l->count & (CHUNK - 1);
  if (pos == 0) {
    uint32_t c = chunk_get(s);
    if (c == NIL) return -1;
    s->cnext[c] = NIL;
    if (l->count == 0) l->head = c;
    else s->cnext[l->tail] = c;
    l->tail = c;
    l->tailp = chunk_at(s, c);
  }
  ck_set(l->tailp, pos, t, slot);
  l->count++;
  if (t < l->lo) l->lo = t;
  if (t > l->hi && t < INFINITY) l->hi = t;
  return 0;
}

/* Start loading every chunk of L. */
static void plist_prefetch(const gp_sim *s, const plist *l) {
  uint32_t c = l->head;
  for (uint32_t left = l->count;;) {
    const chunk *ch = chunk_at(s, c);
    __builtin_prefetch(ch->e);
    __builtin_prefetch(ch->e + 64);
    __builtin_prefetch(ch->e + 128);
    if (left <= CHUNK) return;
    left -= CHUNK;
    c = s->cnext[c];
  }
}

/* Drop dead pairs from L, freeing their slots and the chunks left over; the
 * survivors keep their order (and L its bounds). */
static void plist_sweep(gp_sim *s, plist *l) {
  if (l->count == 0) return;
  uint32_t rc = l->head, wc = l->head, r = 0, w = 0, kept = 0;
  for (uint32_t left = l->count; left > 0; left--) {
    if (r == CHUNK) {
      rc = s->cnext[rc];
      r = 0;
    }
    const chunk *ch = chunk_at(s, rc);
    double t = ck_t(ch, r);
    uint32_t sl = ck_slot(ch, r);
    r++;
    if (s->gen[sl] & 1) {
      s->pay[sl].arg = s->free;
      s->free = sl;
      s->ndead--;
      continue;
    }
    if (w == CHUNK) {
      wc = s->cnext[wc];
      w = 0;
    }
    ck_set(chunk_at(s, wc), w, t, sl);
    w++;
    kept++;
  }
  uint32_t nchunks = (l->count + CHUNK - 1) / CHUNK, keep = (kept + CHUNK - 1) / CHUNK;
  uint32_t c = keep ? s->cnext[wc] : l->head;
  for (uint32_t k = keep; k < nchunks; k++) {
    uint32_t nx = s->cnext[c];
    chunk_put(s, c);
    c = nx;
  }
  if (keep) {
    s->cnext[wc] = NIL;
    l->tail = wc;
    l->tailp = chunk_at(s, wc);
    l->count = kept;
  } else {
    plist_clear(l);
  }
}

/* ---- payload slots ---- */

static int slots_grow(gp_sim *s, size_t want) {
  size_t ncap = s->cap ? s->cap : 256;
  while (ncap < want && ncap < NIL) ncap *= 2;
  if (ncap > NIL - 1) ncap = NIL - 1; /* slot + 1 must fit an id's low half */
  if (ncap <= s->cap) return -1;
  evpay *p = realloc(s->pay, ncap * sizeof *p);
  if (!p) return -1;
  s->pay = p;
  uint32_t *g = realloc(s->gen, ncap * sizeof *g);
  if (!g) return -1;
  s->gen = g;
  s->cap = (uint32_t)ncap;
  return 0;
}

static inline void slot_free(gp_sim *s, uint32_t i) {
  s->pay[i].arg = s->free;
  s->free = i;
}

/* ---- Bottom ---- */

static int bottom_reserve(gp_sim *s, size_t more) {
  if (s->bn + more <= s->bcap) return 0;
  if (s->bh > 0) { /* slide down first */
    memmove(s->bot, s->bot + s->bh, (s->bn - s->bh) * sizeof *s->bot);
    s->bn -= s->bh;
    s->bh = 0;
    if (s->bn + more <= s->bcap) return 0;
  }
  size_t ncap = s->bcap ? s->bcap : 2 * BOTTOM_MAX;
  while (ncap < s->bn + more) ncap *= 2;
  bent *b = realloc(s->bot, ncap * sizeof *b);
  if (!b) return -1;
  s->bot = b;
  s->bcap = ncap;
  return 0;
}

/* Sort the short list L (count <= THRES) into the empty Bottom by rank: a
 * pair's place is the number of pairs before it in (time, list order),
 * counted without branches, so random times cost no mispredicted jumps.
 * Frees L's chunks. */
static void plist_rank_down(gp_sim *s, plist *l) {
  double t[THRES];
  uint32_t sl[THRES], k = l->count, c = l->head;
  for (uint32_t i = 0; i < k; i += CHUNK) {
    const chunk *ch = chunk_at(s, c);
    uint32_t m = k - i < CHUNK ? k - i : CHUNK;
    for (uint32_t j = 0; j < m; j++) {
      t[i + j] = ck_t(ch, j);
      sl[i + j] = ck_slot(ch, j);
    }
    uint32_t nx = s->cnext[c];
    chunk_put(s, c);
    c = nx;
  }
  bent *b = s->bot;
  for (uint32_t i = 0; i < k; i++) {
    double ti = t[i];
    uint32_t r = 0;
    for (uint32_t j = 0; j < i; j++) r += t[j] <= ti;
    for (uint32_t j = i + 1; j < k; j++) r += t[j] < ti;
    b[r].t = ti;
    b[r].slot = sl[i];
    __builtin_prefetch(&s->pay[sl[i]]);
    __builtin_prefetch(&s->gen[sl[i]]);
  }
  s->bh = 0;
  s->bn = k;
  plist_clear(l);
}

/* Copy L's pairs to the end of Bottom (capacity reserved), only the finite
 * times (WHICH 0), only the infinite ones (1), or all (2); free L's chunks
 * unless WHICH is 0. */
static void plist_to_bottom(gp_sim *s, plist *l, int which) {
  bent *out = s->bot + s->bn;
  uint32_t c = l->head;
  for (uint32_t left = l->count; left > 0;) {
    const chunk *ch = chunk_at(s, c);
    uint32_t k = left < CHUNK ? left : CHUNK;
    for (uint32_t j = 0; j < k; j++) {
      double t = ck_t(ch, j);
      if (which == 2 || (which == 0) == (t < INFINITY)) {
        out->t = t;
        out->slot = ck_slot(ch, j);
        out++;
      }
    }
    left -= k;
    uint32_t nx = s->cnext[c];
    if (which != 0) chunk_put(s, c);
    c = nx;
  }
  s->bn = (size_t)(out - s->bot);
}

/* Stable insertion sort of a[lo, hi). */
static void isort_range(bent *a, size_t lo, size_t hi) {
  for (size_t i = lo + 1; i < hi; i++) {
    bent e = a[i];
    size_t j = i;
    while (j > lo && a[j - 1].t > e.t) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = e;
  }
}

/* Stable insertion sort of bot[from, bn). */
static void bottom_isort(gp_sim *s, size_t from) { isort_range(s->bot, from, s->bn); }

/* Stable merge sort of bot[from, bn); insertion sort if short of memory. */
static void bottom_msort(gp_sim *s, size_t from) {
  size_t n = s->bn - from;
  bent *a = s->bot + from, *tmp = malloc(n * sizeof *tmp);
  if (!tmp) {
    bottom_isort(s, from);
    return;
  }
  for (size_t i = 0; i < n; i += 16) /* runs of 16 by insertion */
    isort_range(a, i, i + 16 < n ? i + 16 : n);
  bent *src = a, *dst = tmp;
  for (size_t w = 16; w < n; w *= 2) {
    for (size_t i = 0; i < n; i += 2 * w) {
      size_t mid = i + w < n ? i + w : n, end = i + 2 * w < n ? i + 2 * w : n;
      size_t x = i, y = mid, o = i;
      while (x < mid && y < end) dst[o++] = src[y].t < src[x].t ? src[y++] : src[x++];
      while (x < mid) dst[o++] = src[x++];
      while (y < end) dst[o++] = src[y++];
    }
    bent *sw = src;
    src = dst;
    dst = sw;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
  free(tmp);
}

/* Sort L (count > 0) into the empty Bottom and free its chunks.  Returns -1,
 * leaving L alone, when memory is short. */
static int plist_sort_down(gp_sim *s, plist *l) {
  s->bh = s->bn = 0;
  if (l->count <= THRES) {
    plist_rank_down(s, l);
    return 0;
  }
  if (bottom_reserve(s, l->count) != 0) return -1;
  if (!(l->lo < l->hi)) { /* at most one finite time: finite pairs, then infinite ones */
    plist_to_bottom(s, l, 0);
    plist_to_bottom(s, l, 1);
  } else {
    plist_to_bottom(s, l, 2);
    bottom_msort(s, 0);
  }
  plist_clear(l);
  return 0;
}

/* ---- rungs ---- */

/* Make R an empty rung for COUNT pairs over the finite range [LO, HI],
 * LO < HI, with EXTRA chunks more than moving a list into it needs.  Returns -1, having changed nothing that matters, when the range
 * cannot be cut or memory is short. */
static int rung_init(gp_sim *s, rung *r, size_t count, double lo, double hi, size_t extra) {
  size_t nb = count / (count <= SHORT ? DENS_CHILD : DENS);
  if (nb < 2) nb = 2;
  if (nb > NIL / 4) nb = NIL / 4;
  double inv = (double)nb / (hi - lo);
  if (!(inv > 0) || !isfinite(inv)) return -1;
  if (chunks_reserve(s, nb + 2 + extra) != 0) return -1;
  if (r->cap < nb) {
    plist *b = realloc(r->b, nb * sizeof *b);
    if (!b) return -1;
    r->b = b;
    r->cap = (uint32_t)nb;
  }
  for (size_t i = 0; i < nb; i++) plist_clear(&r->b[i]);
  r->start = lo;
  r->inv = inv;
  r->nb = (uint32_t)nb;
  r->cur = 0;
  return 0;
}

/* The bucket of the fresh rung R for time T >= its start. */
static inline uint32_t rung_bucket(const rung *r, double t) {
  double x = (t - r->start) * r->inv;
  return x < (double)r->nb ? (x >= 1 ? (uint32_t)x : 0) : r->nb - 1;
}

/* Move L into the fresh rung R (chunks reserved by rung_init), freeing L's
 * chunks as they empty; with PREFETCH, start loading the payloads too. */
static void plist_to_rung(gp_sim *s, plist *l, rung *r, int prefetch) {
  uint32_t c = l->head;
  for (uint32_t left = l->count; left > 0;) {
    const chunk *ch = chunk_at(s, c);
    uint32_t k = left < CHUNK ? left : CHUNK;
    uint32_t nx = s->cnext[c];
    if (left > k) __builtin_prefetch(chunk_at(s, nx));
    for (uint32_t j = 0; j < k; j++) {
      double t = ck_t(ch, j);
      uint32_t sl = ck_slot(ch, j);
      if (prefetch) { /* these fire soon */
        __builtin_prefetch(&s->pay[sl]);
        __builtin_prefetch(&s->gen[sl]);
      }
      plist_push(s, &r->b[rung_bucket(r, t)], t, sl);
    }
    left -= k;
    chunk_put(s, c);
    c = nx;
  }
  plist_clear(l);
}

/* ---- moving pairs down the ladder ---- */

/* Fill the empty Bottom with the next pairs.  Each turn of the loop takes the
 * next bucket of the finest rung (or Top) and sorts it into Bottom, or cuts
 * it into a new rung and goes on with that.  Returns -1 when out of memory
 * (nothing lost; Bottom stays empty). */
static int refill(gp_sim *s) {
  s->bh = s->bn = 0;
  for (;;) {
    if (s->nr > 0) {
      rung *r = &s->rungs[s->nr - 1];
      uint32_t b = r->cur, nb = r->nb;
      while (b < nb && r->b[b].count == 0) b++;
      r->cur = b;
      if (b == nb) {
        s->nr--;
        continue;
      }
      plist l = r->b[b];
      /* The next bucket comes down soon: start loading it. */
      if (b + 1 < nb && r->b[b + 1].count) plist_prefetch(s, &r->b[b + 1]);
      int last = b + 1 == nb;
      if (l.count > THRES && l.lo < l.hi && (last || s->nr < MAX_RUNGS)) {
        /* The last bucket's rung replaces its parent, which it empties. */
        rung *c = last ? r : &s->rungs[s->nr];
        if (rung_init(s, c, l.count, l.lo, l.hi, 0) == 0) {
          if (!last) {
            plist_clear(&r->b[b]);
            r->cur = b + 1;
            s->nr++;
          }
          plist_to_rung(s, &l, c, l.count <= SHORT);
          continue;
        }
      }
      if (plist_sort_down(s, &l) != 0) return -1;
      plist_clear(&r->b[b]);
      r->cur = b + 1;
      return 0;
    }
    if (s->top.count == 0) return 0;
    /* Everything below Top is gone: Top becomes rung 0, or Bottom. */
    plist l = s->top;
    double start = s->top_inf ? INFINITY : l.hi;
    if (l.count > THRES && l.lo < l.hi &&
        rung_init(s, &s->rungs[0], l.count, l.lo, l.hi, 0) == 0) {
      plist_to_rung(s, &l, &s->rungs[0], 0);
      s->nr = 1;
    } else if (plist_sort_down(s, &l) != 0) {
      return -1;
    }
    plist_clear(&s->top);
    s->top_start = start;
    s->top_inf = 0;
    if (s->bn > 0) return 0;
  }
}

/* Restore "Bottom's head is pending" after a change. */
static void settle(gp_sim *s) {
  while (s->n > 0) {
    if (s->bh == s->bn) {
      if (refill(s) != 0) {
        gp_sim_fail(s, GP_EX_OSERR, "out of memory with %zu events pending", s->n);
        return;
      }
      if (s->bh == s->bn) return; /* cannot happen: n counts listed pairs */
      continue;
    }
    uint32_t sl = s->bot[s->bh].slot;
    if (!(s->gen[sl] & 1)) return;
    s->bh++;
    slot_free(s, sl);
    s->ndead--;
  }
}

/* Drop every dead pair (amortised against the cancels that made them). */
static void purge(gp_sim *s) {
  size_t w = s->bh;
  for (size_t i = s->bh; i < s->bn; i++) {
    uint32_t sl = s->bot[i].slot;
    if (s->gen[sl] & 1) {
      slot_free(s, sl);
      s->ndead--;
    } else {
      s->bot[w++] = s->bot[i];
    }
  }
  s->bn = w;
  plist_sweep(s, &s->top);
  for (int j = 0; j < s->nr; j++) {
    rung *r = &s->rungs[j];
    for (uint32_t b = r->cur; b < r->nb; b++)
      if (r->b[b].count) plist_sweep(s, &r->b[b]);
  }
}

static size_t buckets_left(const gp_sim *s) {
  size_t b = 0;
  for (int j = 0; j < s->nr; j++) b += s->rungs[j].nb - s->rungs[j].cur;
  return b;
}

/* Bottom has grown long by insertions: make it a rung of its own. */
static void bottom_to_rung(gp_sim *s) {
  size_t count = s->bn - s->bh;
  double lo = s->bot[s->bh].t, hi = lo;
  for (size_t i = s->bn; i-- > s->bh;)
    if (s->bot[i].t < INFINITY) {
      hi = s->bot[i].t;
      break;
    }
  if (!(lo < hi) || s->nr >= MAX_RUNGS) return;
  rung *r = &s->rungs[s->nr];
  if (rung_init(s, r, count, lo, hi, count / CHUNK + 1) != 0) return;
  for (size_t i = s->bh; i < s->bn; i++)
    plist_push(s, &r->b[rung_bucket(r, s->bot[i].t)], s->bot[i].t, s->bot[i].slot);
  s->nr++;
  s->bh = s->bn = 0;
}

/* Insert (T, I) into Bottom after every pair of time <= T. */
static int bottom_insert(gp_sim *s, double t, uint32_t i) {
  if (s->bn == s->bcap && bottom_reserve(s, 1) != 0) return -1;
  bent *b = s->bot;
  size_t lo = s->bh, hi = s->bn; /* find the first pair of time > t */
  if (hi > lo && b[hi - 1].t <= t) {
    lo = hi;
  } else {
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (b[mid].t <= t) lo = mid + 1;
      else hi = mid;
    }
  }
  if (lo < s->bn) memmove(b + lo + 1, b + lo, (s->bn - lo) * sizeof *b);
  b[lo].t = t;
  b[lo].slot = i;
  s->bn++;
  if (lo + 1 < s->bn && s->bn - s->bh > BOTTOM_MAX) bottom_to_rung(s);
  return 0;
}

/* Put the pair (T, I) where place(t) says (see the top). */
static int place(gp_sim *s, double t, uint32_t i) {
  if (t >= s->top_start) {
    if (plist_push(s, &s->top, t, i) != 0) return -1;
    if (!(t < INFINITY)) s->top_inf = 1;
    return 0;
  }
  for (int j = 0; j < s->nr; j++) {
    rung *r = &s->rungs[j];
    double x = (t - r->start) * r->inv;
    if (x >= (double)r->cur && r->cur < r->nb) {
      uint32_t b = x < (double)r->nb ? (uint32_t)x : r->nb - 1;
      return plist_push(s, &r->b[b], t, i);
    }
  }
  return bottom_insert(s, t, i);
}

/* ---- the public API ---- */

gp_sim *gp_sim_new(size_t hint) {
  gp_sim *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  gp_err_clear(&s->err);
  s->free = s->cfree = NIL;
  plist_clear(&s->top);
  s->top_start = -INFINITY;
  if (slots_grow(s, hint) != 0 || bottom_reserve(s, 2 * BOTTOM_MAX) != 0) {
    gp_sim_free(s);
    return NULL;
  }
  return s;
}

void gp_sim_free(gp_sim *s) {
  if (!s) return;
  free(s->pay);
  free(s->gen);
  for (uint32_t b = 0; b < s->nblk; b++) free(s->blk[b]);
  free(s->blk);
  free(s->cnext);
  for (int j = 0; j < MAX_RUNGS; j++) free(s->rungs[j].b);
  free(s->bot);
  free(s);
}

void gp_sim_reset(gp_sim *s) {
  /* Generations up to the high-water mark back to what a fresh kernel's
   * would be (gp_sim_at gives a slot past hwm generation 1 before using
   * it, so those past it need nothing), so that no stale id is live. */
  if (s->hwm) memset(s->gen, 0, (size_t)s->hwm * sizeof *s->gen);
  s->now = 0;
  s->fired = 0;
  s->n = s->ndead = 0;
  s->hwm = 0;
  s->free = NIL;
  /* Every chunk back to unused, handed out from 0 again as by a fresh
   * kernel; the blocks and link table stay allocated. */
  s->chwm = 0;
  s->cfree = NIL;
  s->ncfree = 0;
  plist_clear(&s->top);
  s->top_start = -INFINITY;
  s->top_inf = 0;
  for (int j = 0; j < MAX_RUNGS; j++) { /* the bucket arrays are kept (cap) */
    s->rungs[j].nb = s->rungs[j].cur = 0;
    s->rungs[j].start = s->rungs[j].inv = 0;
  }
  s->nr = 0;
  s->bh = s->bn = 0;
  s->stopped = 0;
  gp_err_clear(&s->err);
}

double gp_sim_now(const gp_sim *s) { return s->now; }
double gp_sim_next_time(const gp_sim *s) {
  return s->n && s->bh < s->bn ? s->bot[s->bh].t : INFINITY;
}
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
  uint32_t i = s->free;
  int fresh = i == NIL;
  if (fresh) {
    if (s->hwm == s->cap && slots_grow(s, (size_t)s->cap + 1) != 0) goto nomem;
    i = s->hwm;
    s->gen[i] = 1;
  }
  if (place(s, t, i) != 0) goto nomem;
  if (fresh) s->hwm++;
  else s->free = (uint32_t)s->pay[i].arg;
  evpay *p = &s->pay[i];
  p->fn = fn;
  p->ctx = ctx;
  p->arg = arg;
  uint32_t gen = ++s->gen[i];
  s->n++;
  if (s->bh == s->bn || (s->gen[s->bot[s->bh].slot] & 1)) settle(s);
  return (uint64_t)gen << 32 | (uint64_t)(i + 1);
nomem:
  gp_sim_fail(s, GP_EX_OSERR, "out of memory with %zu events pending", s->n);
  return 0;
}

gp_event_id gp_sim_after(gp_sim *s, double dt, gp_event_fn fn, void *ctx, uint64_t arg) {
  if (!(dt >= 0)) {
    gp_sim_fail(s, GP_EX_SOFTWARE, "event scheduled in the past: delay %.17g at now=%.17g", dt,
                s->now);
    return 0;
  }
  return gp_sim_at(s, s->now + dt, fn, ctx, arg);
}

int gp_sim_cancel(gp_sim *s, gp_event_id id) {
  uint32_t lo = (uint32_t)(id & 0xffffffffu);
  if (lo == 0 || lo > s->hwm) return 0;
  uint32_t i = lo - 1;
  if (s->gen[i] != (uint32_t)(id >> 32) || (s->gen[i] & 1)) return 0;
  s->gen[i]++;
  s->n--;
  s->ndead++;
  if (s->bh < s->bn && s->bot[s->bh].slot == i) {
    settle(s);
  } else if (s->ndead > PURGE_MIN && s->ndead > s->n && s->ndead > buckets_left(s) / 8) {
    purge(s);
    settle(s);
  }
  return 1;
}

/* Fire Bottom's head; the caller checked that one is pending. */
static void fire_next(gp_sim *s) {
  bent e = s->bot[s->bh++];
  evpay p = s->pay[e.slot];
  s->gen[e.slot]++;
  slot_free(s, e.slot);
  s->now = e.t;
  s->n--;
  s->fired++;
  if (s->bh == s->bn || (s->gen[s->bot[s->bh].slot] & 1)) settle(s);
  p.fn(s, p.ctx, p.arg);
}

int gp_sim_step(gp_sim *s) {
  if (s->err.code || s->n == 0 || s->bh == s->bn) return 0;
  s->stopped = 0;
  fire_next(s);
  return 1;
}

int gp_sim_run_until(gp_sim *s, double t) {
  s->stopped = 0;
  while (!s->stopped && s->n && s->bh < s->bn && s->bot[s->bh].t <= t) fire_next(s);
  if (s->err.code) return -1;
  if (!s->stopped && t > s->now) s->now = t;
  return 0;
}

int gp_sim_run(gp_sim *s) {
  s->stopped = 0;
  while (!s->stopped && s->n && s->bh < s->bn) fire_next(s);
  return s->err.code ? -1 : 0;
}

void gp_sim_stop(gp_sim *s) { s->stopped = 1; }
