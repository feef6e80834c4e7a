/*
 * models/rules/profile.c - step functions of free units with range add and
 * an earliest fit that skips chunks (gp_profile, models/rules/rule.h): the
 * profiles of backfilling rules.
 *
 * Invariants: the steps, in time order, are spread over chunks c[0..nc),
 * each holding 1..CH of them; c[0]->t[0] is -inf; starts increase strictly.
 * A chunk's index (state IDX_OK) describes its own steps only, never its
 * neighbours' (a run that reaches the chunk's end is marked with NaN and
 * resolved at the query), so a change to a chunk stales its index alone.
 *
 * The fit is the scan of backfilling (cand = now; a step below U moves cand
 * to its end; a step at or above U whose end is >= cand + D answers cand),
 * with whole chunks passed over when their index shows that no check in
 * them can succeed: the comparisons that answer are the scan's own, on the
 * same doubles.  Only the longest inner run is compared otherwise than the
 * scan does (its length against D, with a margin far above rounding): it
 * only sends the chunk to the scan.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/rule.h"

#define CH 64  /* steps a chunk holds at most */
#define LV 128 /* levels a chunk's index covers: one with more is always scanned */

#define STALE_LOOKS 4 /* a chunk changed often is scanned, not indexed again at every change */

enum { IDX_STALE, IDX_OK, IDX_NONE };

typedef struct chunk {
  int n;              /* steps held */
  int state;          /* IDX_*: the index below is stale, valid, or not kept (too many levels) */
  int looks;          /* fits that scanned it while stale: it is indexed at the STALE_LOOKS-th */
  long long lo, hi;   /* least and greatest f (IDX_OK) */
  struct chunk *next; /* in the spare list */
  double t[CH];       /* step starts, increasing */
  long long f[CH];    /* units free over each step */
  /* For level v in (lo, hi], at [v - lo - 1] (IDX_OK): */
  double pre[LV];  /* start of the first step below v */
  double suf[LV];  /* end of the last step below v; NaN = the chunk's end */
  double best[LV]; /* longest run at or above v between two steps below v; -inf = none */
} chunk;

struct gp_profile {
  gp_run *run; /* where allocations are recorded; NULL = plain malloc */
  chunk **c; /* the chunks in time order */
  double *t0; /* t0[k] = c[k]->t[0], kept apart for the searches */
  size_t nc, cap;
  chunk *spare; /* chunks no longer used, for reuse */
};

static void *alloc(gp_run *run, size_t n, size_t size) {
  return run ? gp_rule_alloc(run, n, size) : malloc(n * size);
}

gp_profile *gp_profile_new(gp_run *run) {
  gp_profile *p = alloc(run, 1, sizeof *p);
  if (!p) return NULL;
  memset(p, 0, sizeof *p);
  p->run = run;
  return p;
}

void gp_profile_free(gp_profile *p) {
  if (!p) return;
  for (size_t k = 0; k < p->nc; k++) free(p->c[k]);
  while (p->spare) {
    chunk *c = p->spare;
    p->spare = c->next;
    free(c);
  }
  free(p->c);
  free(p->t0);
  free(p);
}

/* ---- chunks ---- */

static void stale(chunk *c) {
  c->state = IDX_STALE;
  c->looks = 0;
}

static chunk *chunk_get(gp_profile *p) {
  chunk *c = p->spare;
  if (c) p->spare = c->next;
  else if (!(c = alloc(p->run, 1, sizeof *c))) return NULL;
  c->n = 0;
  stale(c);
  return c;
}

static void chunk_put(gp_profile *p, chunk *c) {
  c->next = p->spare;
  p->spare = c;
}

/* Room for one more chunk pointer.  0, or -1 without memory. */
static int chunks_room(gp_profile *p) {
  if (p->nc < p->cap) return 0;
  size_t cap = p->cap ? 2 * p->cap : 16;
  chunk **c = alloc(p->run, cap, sizeof *c);
  if (!c) return -1;
  double *t0 = alloc(p->run, cap, sizeof *t0);
  if (!t0) {
    free(c);
    return -1;
  }
  if (p->nc) memcpy(c, p->c, p->nc * sizeof *c);
  if (p->nc) memcpy(t0, p->t0, p->nc * sizeof *t0);
  free(p->c);
  free(p->t0);
  p->c = c;
  p->t0 = t0;
  p->cap = cap;
  return 0;
}

/* Insert chunk C (its first step made) at K. */
static void chunks_insert(gp_profile *p, size_t k, chunk *c) {
  memmove(p->c + k + 1, p->c + k, (p->nc - k) * sizeof *p->c);
  memmove(p->t0 + k + 1, p->t0 + k, (p->nc - k) * sizeof *p->t0);
  p->c[k] = c;
  p->t0[k] = c->t[0];
  p->nc++;
}

static void chunks_remove(gp_profile *p, size_t k) {
  chunk_put(p, p->c[k]);
  memmove(p->c + k, p->c + k + 1, (p->nc - k - 1) * sizeof *p->c);
  memmove(p->t0 + k, p->t0 + k + 1, (p->nc - k - 1) * sizeof *p->t0);
  p->nc--;
}

/* Where step X lives: the last step with t <= X (there is one: -inf). */
static void find(const gp_profile *p, double x, size_t *kp, int *ip) {
  size_t lo = 0, hi = p->nc; /* t0[lo] <= x < t0[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->t0[mid] <= x) lo = mid;
    else hi = mid;
  }
  const chunk *c = p->c[lo];
  int a = 0, b = c->n;
  while (b - a > 1) {
    int mid = a + (b - a) / 2;
    if (c->t[mid] <= x) a = mid;
    else b = mid;
  }
  *kp = lo;
  *ip = a;
}

/* ---- building ---- */

int gp_profile_reset(gp_profile *p, long long f) {
  while (p->nc) chunks_remove(p, p->nc - 1);
  chunk *c;
  if (chunks_room(p) || !(c = chunk_get(p))) return -1;
  c->t[0] = -INFINITY;
  c->f[0] = f;
  c->n = 1;
  chunks_insert(p, 0, c);
  return 0;
}

int gp_profile_push(gp_profile *p, double t, long long f) {
  chunk *c = p->c[p->nc - 1];
  if (c->n >= CH * 3 / 4) { /* room left in each for insertions */
    if (chunks_room(p) || !(c = chunk_get(p))) return -1;
    c->t[0] = t;
    chunks_insert(p, p->nc, c);
  }
  c->t[c->n] = t;
  c->f[c->n++] = f;
  stale(c);
  return 0;
}

size_t gp_profile_steps(const gp_profile *p) {
  size_t n = 0;
  for (size_t k = 0; k < p->nc; k++) n += (size_t)p->c[k]->n;
  return n;
}

long long gp_profile_at(const gp_profile *p, double x) {
  size_t k;
  int i;
  find(p, x, &k, &i);
  return p->c[k]->f[i];
}

/* ---- changes ---- */

/* A step (X, F) after the step at (*KP, *IP), which then point to it (a
 * full chunk gives its second half to a new one).  0, or -1 without
 * memory. */
static int insert_after(gp_profile *p, size_t *kp, int *ip, double x, long long f) {
  size_t k = *kp;
  int i = *ip;
  chunk *c = p->c[k];
  if (c->n == CH) {
    chunk *h;
    if (chunks_room(p) || !(h = chunk_get(p))) return -1;
    h->n = CH / 2;
    memcpy(h->t, c->t + CH / 2, CH / 2 * sizeof *h->t);
    memcpy(h->f, c->f + CH / 2, CH / 2 * sizeof *h->f);
    c->n = CH / 2;
    stale(c);
    chunks_insert(p, k + 1, h);
    if (i >= CH / 2) c = h, i -= CH / 2, k++;
  }
  memmove(c->t + i + 2, c->t + i + 1, (size_t)(c->n - i - 1) * sizeof *c->t);
  memmove(c->f + i + 2, c->f + i + 1, (size_t)(c->n - i - 1) * sizeof *c->f);
  c->t[i + 1] = x;
  c->f[i + 1] = f;
  c->n++;
  stale(c);
  *kp = k;
  *ip = i + 1;
  return 0;
}

/* Merge chunk K + 1 into K when both fit in half a chunk. */
static void merge_next(gp_profile *p, size_t k) {
  if (k + 1 >= p->nc) return;
  chunk *a = p->c[k], *b = p->c[k + 1];
  if (a->n + b->n > CH / 2) return;
  memcpy(a->t + a->n, b->t, (size_t)b->n * sizeof *a->t);
  memcpy(a->f + a->n, b->f, (size_t)b->n * sizeof *a->f);
  a->n += b->n;
  stale(a);
  chunks_remove(p, k + 1);
}

/* The step starting at X goes when it holds what the step before it holds. */
static void join(gp_profile *p, double x) {
  size_t k;
  int i;
  find(p, x, &k, &i);
  chunk *c = p->c[k];
  if (c->t[i] != x || (k == 0 && i == 0)) return;
  long long before = i ? c->f[i - 1] : p->c[k - 1]->f[p->c[k - 1]->n - 1];
  if (before != c->f[i]) return;
  memmove(c->t + i, c->t + i + 1, (size_t)(c->n - i - 1) * sizeof *c->t);
  memmove(c->f + i, c->f + i + 1, (size_t)(c->n - i - 1) * sizeof *c->f);
  c->n--;
  stale(c);
  if (!c->n) {
    chunks_remove(p, k);
    return;
  }
  p->t0[k] = c->t[0];
  merge_next(p, k);
  if (k) merge_next(p, k - 1);
}

int gp_profile_add(gp_profile *p, double a, double b, long long d) {
  if (!(a < b) || !d) return 0;
  size_t k;
  int i;
  find(p, a, &k, &i);
  /* Joins to look for: at A when A is a start already and the step before
   * it will hold what it holds; at B likewise. */
  int join_a = 0, join_b = 0;
  if (p->c[k]->t[i] != a) {
    if (insert_after(p, &k, &i, a, p->c[k]->f[i])) return -1;
  } else if (k || i) {
    long long before = i ? p->c[k]->f[i - 1] : p->c[k - 1]->f[p->c[k - 1]->n - 1];
    join_a = before == p->c[k]->f[i] + d;
  }
  for (;;) { /* (k, i): a step from A on, before B */
    chunk *c = p->c[k];
    c->f[i] += d;
    stale(c);
    size_t k2 = k;
    int i2 = i + 1;
    if (i2 == c->n) k2++, i2 = 0;
    if (k2 == p->nc) { /* the last step: to +inf */
      if (b < INFINITY && insert_after(p, &k, &i, b, c->f[i] - d)) return -1;
      break;
    }
    if (p->c[k2]->t[i2] > b) { /* this step holds B: split there */
      if (insert_after(p, &k, &i, b, c->f[i] - d)) return -1;
      break;
    }
    if (p->c[k2]->t[i2] == b) {
      join_b = p->c[k2]->f[i2] == c->f[i];
      break;
    }
    k = k2;
    i = i2;
  }
  if (join_b) join(p, b);
  if (join_a) join(p, a);
  return 0;
}

void gp_profile_trim(gp_profile *p, double now) {
  size_t k;
  int i;
  find(p, now, &k, &i);
  if (!k && !i) return;
  for (size_t j = 0; j < k; j++) chunk_put(p, p->c[j]);
  memmove(p->c, p->c + k, (p->nc - k) * sizeof *p->c);
  memmove(p->t0, p->t0 + k, (p->nc - k) * sizeof *p->t0);
  p->nc -= k;
  chunk *c = p->c[0];
  memmove(c->t, c->t + i, (size_t)(c->n - i) * sizeof *c->t);
  memmove(c->f, c->f + i, (size_t)(c->n - i) * sizeof *c->f);
  c->n -= i;
  c->t[0] = -INFINITY;
  p->t0[0] = -INFINITY;
  stale(c);
}

/* ---- the index and the fit ---- */

static void chunk_index(chunk *c) {
  int m = c->n;
  long long lo = c->f[0], hi = c->f[0];
  for (int i = 1; i < m; i++) {
    if (c->f[i] < lo) lo = c->f[i];
    if (c->f[i] > hi) hi = c->f[i];
  }
  c->lo = lo;
  c->hi = hi;
  if (hi - lo > LV) {
    c->state = IDX_NONE;
    return;
  }
  /* pre: a step below every level in (f[i], least f before it]. */
  long long m0 = hi;
  for (int i = 0; i < m && m0 > lo; i++)
    if (c->f[i] < m0) {
      for (long long v = c->f[i] + 1; v <= m0; v++) c->pre[v - lo - 1] = c->t[i];
      m0 = c->f[i];
    }
  m0 = hi;
  for (int i = m - 1; i >= 0 && m0 > lo; i--)
    if (c->f[i] < m0) {
      double end = i + 1 < m ? c->t[i + 1] : NAN;
      for (long long v = c->f[i] + 1; v <= m0; v++) c->suf[v - lo - 1] = end;
      m0 = c->f[i];
    }
  /* best: each step's widest surrounding of steps at or above it (nearest
   * smaller on each side), when both sides are in the chunk, is a run at
   * its level and every lower one. */
  int left[CH], right[CH], stack[CH], sp = 0;
  for (int i = 0; i < m; i++) {
    while (sp && c->f[stack[sp - 1]] >= c->f[i]) sp--;
    left[i] = sp ? stack[sp - 1] : -1;
    stack[sp++] = i;
  }
  sp = 0;
  for (int i = m - 1; i >= 0; i--) {
    while (sp && c->f[stack[sp - 1]] >= c->f[i]) sp--;
    right[i] = sp ? stack[sp - 1] : m;
    stack[sp++] = i;
  }
  for (long long v = lo + 1; v <= hi; v++) c->best[v - lo - 1] = -INFINITY;
  for (int i = 0; i < m; i++)
    if (left[i] >= 0 && right[i] < m) {
      double len = c->t[right[i]] - c->t[left[i] + 1];
      double *b = &c->best[c->f[i] - lo - 1];
      if (len > *b) *b = len;
    }
  for (long long v = hi - 1; v > lo; v--)
    if (c->best[v - lo] > c->best[v - lo - 1]) c->best[v - lo - 1] = c->best[v - lo];
  c->state = IDX_OK;
}

double gp_profile_fit(gp_profile *p, double now, long long u, double d) {
  size_t k;
  int i;
  find(p, now, &k, &i);
  double cand = now;
  int inrun = 0;          /* the last step looked at is at or above U: cand starts its run */
  int skip = d > 0;       /* the index assumes a window of positive length */
  for (;;) {
    /* The scan, over chunk K from step I. */
    chunk *c = p->c[k];
    double end_c = k + 1 < p->nc ? p->t0[k + 1] : INFINITY;
    if (!i && inrun && c->t[0] >= cand + d) return cand; /* a run from skipped chunks */
    for (; i < c->n; i++) {
      double end = i + 1 < c->n ? c->t[i + 1] : end_c;
      if (c->f[i] < u) {
        cand = end;
        inrun = 0;
        continue;
      }
      inrun = 1;
      if (end >= cand + d) return cand;
    }
    /* Then whole chunks while the index shows no check in them succeeds. */
    for (k++; k < p->nc; k++) {
      c = p->c[k];
      if (!skip || k + 1 == p->nc) break;
      if (c->state == IDX_STALE) {
        if (++c->looks < STALE_LOOKS) break;
        chunk_index(c);
      }
      if (c->state != IDX_OK) break;
      double s = p->t0[k], e = p->t0[k + 1];
      if (inrun && s >= cand + d) return cand; /* the check at the run's last step */
      if (u <= c->lo) {
        if (e >= cand + d) return cand;
        inrun = 1;
        continue;
      }
      if (u > c->hi) {
        cand = e;
        inrun = 0;
        continue;
      }
      size_t v = (size_t)(u - c->lo - 1);
      if (c->pre[v] > s && c->pre[v] >= cand + d) return cand;
      if (c->best[v] >= d - 1e-9 * (fabs(s) + fabs(e) + d)) break; /* a run inside may fit */
      inrun = !isnan(c->suf[v]);
      cand = inrun ? c->suf[v] : e;
    }
    if (k >= p->nc) return HUGE_VAL;
    i = 0;
  }
}
