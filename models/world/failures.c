/*
 * models/world/failures.c - drawing a world's node failures (see
 * failures.h).
 *
 * Failures were once drawn during each run: a tranche's next failure at rate
 * (nodes that can fail) / MTBF, redrawn at every batch, failure and repair;
 * at a failure a uniform picks the node and a repair time is drawn.  The
 * same draws, from the same stream (one per tranche) in the same order, are
 * made here once per world, replaying the tranche's batches, its end and the
 * repairs in time order (at equal times in the run's order: batches, then
 * the end, then failures and repairs): the same sample paths as drawing them
 * in each run, without the cancelled and redrawn events.
 */
#include "models/world/failures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/world/world.h"
#include "sim/heap.h"
#include "sim/interrupt.h"
#include "sim/rng.h"
#include "sim/vec.h"

/* The draw: per tranche in turn its failures and repairs in time order
 * (seg), then all merged (into moments, or seg: the merge alternates). */
typedef struct drawer {
  const gp_scenario *s;
  int rep;
  gp_moment *seg, *moments;
  size_t n, cap;       /* moments in seg; room in seg and in moments */
  size_t *seg_first;   /* per tranche + 1: tranche t's are seg[seg_first[t], seg_first[t+1]) */
  size_t nfails;
  gp_heap *repairs;    /* pending repairs while drawing: (time, failure) */
  gsl_rng *rng;
} drawer;

static int moment_push(drawer *d, double t, double u, uint64_t code) {
  if (d->n == d->cap) { /* seg and moments grow together */
    size_t cap = d->cap, capm = d->cap;
    if (GP_VEC_RESERVE(d->seg, cap, cap + 1, 2048) || GP_VEC_RESERVE(d->moments, capm, cap, 2048))
      return -1;
    d->cap = cap;
  }
  d->seg[d->n++] = (gp_moment){t, u, code};
  return 0;
}

/* The failures of tranche T first online at T0, numbered after those drawn
 * so far (d->nfails), with their repairs, appended to d->seg in time order.
 * 0; -1 out of memory; -2 when a signal set the stop flag (looked at every
 * 65,536 failures: a storm of millions stops within a fraction of a
 * second). */
static int tranche_failures(drawer *d, int t, double t0) {
  const gp_scenario *s = d->s;
  const gp_tranche *tr = &s->tranches[t];
  if (!(tr->mtbf_days > 0) || t0 > s->end) return 0;
  gsl_rng *rng = d->rng;
  gp_rng_reset(rng, s->seed, (uint64_t)d->rep, gp_world_stream(GP_SRC_FAILURE, tr->key));
  double tend = tr->end <= s->end ? (tr->end > t0 ? tr->end : t0) : HUGE_VAL;
  int batches = gp_world_batches(tr), b = 0, done = 0, online_all = 0, online = 0, repairing = 0;
  int ended = 0;
  double next = HUGE_VAL; /* the pending failure */
  gp_heap *rep = d->repairs;
  gp_heap_clear(rep);
  for (;;) {
    /* The next batch a run schedules (models/run/: capacity.c). */
    double tb = HUGE_VAL;
    int add = 0;
    while (!ended && b < batches && tb == HUGE_VAL) {
      int upto;
      double when = gp_world_batch_at(tr, t0, batches, b, &upto);
      if (upto > done && when <= s->end) {
        tb = when;
        add = upto - done;
      }
      done = upto;
      b++;
    }
    for (int batch = 0; !batch;) {
      double trep = rep->n ? gp_heap_top(rep)->key : HUGE_VAL, now;
      if (tb <= tend && tb <= next && tb <= trep) {
        if (tb > s->end) return 0;
        now = tb;
        batch = 1; /* then fetch the next one */
        online_all += add;
        online = (int)((long long)online_all * tr->gov_nodes / tr->nodes);
      } else if (tend <= next && tend <= trep) {
        /* The end: no more failures; repairs still come in. */
        ended = 1;
        tb = tend = next = HUGE_VAL;
        continue;
      } else if (next <= trep) {
        if (next > s->end) return 0;
        now = next;
        double u = gsl_rng_uniform(rng) * (online - repairing);
        double repair = gp_dist_sample(&tr->repair_days, rng);
        size_t k = d->nfails++;
        if ((k & 0xffff) == 0xffff && gp_interrupted) return -2;
        if (moment_push(d, now, u, GP_MOMENT_CODE(k, t, 0)) || gp_heap_push(rep, now + repair, k))
          return -1;
        repairing++;
      } else {
        if (trep > s->end) return 0;
        now = trep;
        if (moment_push(d, now, 0, GP_MOMENT_CODE(gp_heap_top(rep)->val, t, 1))) return -1;
        gp_heap_pop(rep);
        repairing--;
      }
      if (ended) continue;
      /* A new draw at every batch, failure and repair, as the runs did. */
      int n = online - repairing;
      next = n > 0 ? now + gsl_ran_exponential(rng, tr->mtbf_days / n) : HUGE_VAL;
    }
  }
}

/* Merge the tranches' lists pairwise, rounds of stable two-way merges
 * between seg and moments (at equal times the left list first, so the lower
 * tranche first, and each list keeps its order).  Returns the merged list
 * (seg or moments). */
static gp_moment *merge(drawer *d, size_t nseg) {
  size_t *bd = d->seg_first;
  gp_moment *src = d->seg, *dst = d->moments;
  while (nseg > 1) {
    size_t out = 0;
    for (size_t i = 0; i < nseg; i += 2) {
      size_t lo = bd[i], mid = bd[i + 1], hi = i + 2 <= nseg ? bd[i + 2] : mid;
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi) dst[k++] = src[b].t < src[a].t ? src[b++] : src[a++];
      while (a < mid) dst[k++] = src[a++];
      while (b < hi) dst[k++] = src[b++];
      bd[out++] = lo;
    }
    bd[out] = bd[nseg];
    nseg = out;
    gp_moment *tmp = src;
    src = dst;
    dst = tmp;
  }
  return src;
}

/* A merge buffer larger than this is freed once the world is drawn rather
 * than kept for the next draw: it would stay allocated while the world's
 * runs play (the x1000 scaling case's tens of millions of 24-byte
 * moments).  The baseline's need about 1.3 MB. */
#define SPARE_KEEP_MAX ((size_t)16 << 20)

/* What F keeps from one draw to the next (a worker redraws its world for
 * every replication): the second buffer of the merge (unless large), the
 * tranches' bounds, the heap of pending repairs, the generator. */
typedef struct gp_failures_keep {
  size_t cap;       /* room in f->m */
  gp_moment *spare; /* the merge's other buffer, room for capspare moments */
  size_t capspare;
  size_t *seg_first;
  size_t capseg;
  gp_heap repairs;
  gsl_rng *rng;
} fkeep;

int gp_failures_draw(gp_failures *f, const gp_scenario *s, int rep, const double *online,
                     gp_err *err) {
  f->n = f->nfails = 0;
  int any = 0;
  for (int t = 0; t < s->ntranches; t++) any |= s->tranches[t].mtbf_days > 0;
  if (!any) return 0;
  if (!f->keep && !(f->keep = calloc(1, sizeof *f->keep))) return GP_ERR_NOMEM(err);
  fkeep *k = f->keep;
  size_t nt = (size_t)s->ntranches;
  if (!k->rng && !(k->rng = gp_rng_alloc())) return GP_ERR_NOMEM(err);
  if (GP_VEC_RESERVE(k->seg_first, k->capseg, nt + 1, 16)) return GP_ERR_NOMEM(err);
  drawer d;
  memset(&d, 0, sizeof d);
  d.s = s;
  d.rep = rep;
  d.seg = f->m;
  d.moments = k->spare;
  d.seg_first = k->seg_first;
  d.repairs = &k->repairs;
  d.rng = k->rng;
  /* Room for about the failures and repairs expected, so that the lists
   * rarely grow (each growth copies them): a tranche's government nodes
   * fail at 1 / MTBF each while online. */
  double expect = 64;
  for (int t = 0; t < s->ntranches; t++) {
    const gp_tranche *tr = &s->tranches[t];
    double to = tr->end < s->end ? tr->end : s->end;
    if (tr->mtbf_days > 0 && to > online[t]) expect += 2.0 * tr->gov_nodes * (to - online[t]) / tr->mtbf_days;
  }
  size_t room = expect < 1e8 ? (size_t)(expect * 1.25) : (size_t)1e8;
  size_t caps = k->cap, capm = k->capspare;
  int rc = -1, stopped = 0;
  int grown = !GP_VEC_RESERVE(d.seg, caps, room, 2048) &&
              !GP_VEC_RESERVE(d.moments, capm, room, 2048);
  d.cap = caps < capm ? caps : capm; /* room in both */
  if (!grown) goto done;
  for (int t = 0; t < s->ntranches; t++) {
    d.seg_first[t] = d.n;
    int r = tranche_failures(&d, t, online[t]);
    if (r == -2) {
      stopped = 1;
      GP_ERR(err, GP_EX_SIGNAL + (int)gp_interrupted, "interrupted");
      goto done;
    }
    if (r) goto done;
  }
  d.seg_first[nt] = d.n;
  rc = 0;
done:
  /* The result in f->m, the other buffer kept (after an error, both)
   * unless larger than SPARE_KEEP_MAX. */
  f->m = rc == 0 ? merge(&d, nt) : d.seg;
  k->spare = f->m == d.seg ? d.moments : d.seg;
  k->cap = k->capspare = d.cap;
  if (k->capspare * sizeof *k->spare > SPARE_KEEP_MAX) {
    free(k->spare);
    k->spare = NULL;
    k->capspare = 0;
  }
  if (rc != 0) return stopped ? -1 : GP_ERR_NOMEM(err);
  f->n = d.n;
  f->nfails = d.nfails;
  return 0;
}

int gp_failures_set(gp_failures *f, const gp_moment *m, size_t n, size_t nfails, gp_err *err) {
  f->n = f->nfails = 0;
  if (!n) return 0;
  if (!f->keep && !(f->keep = calloc(1, sizeof *f->keep))) return GP_ERR_NOMEM(err);
  fkeep *k = f->keep;
  size_t caps = k->cap;
  int rc = GP_VEC_RESERVE(f->m, caps, n, 2048);
  k->cap = caps;
  if (rc) return GP_ERR_NOMEM(err);
  memcpy(f->m, m, n * sizeof *m);
  f->n = n;
  f->nfails = nfails;
  return 0;
}

void gp_failures_free(gp_failures *f) {
  if (!f) return;
  free(f->m);
  if (f->keep) {
    free(f->keep->spare);
    free(f->keep->seg_first);
    gp_heap_free(&f->keep->repairs);
    gsl_rng_free(f->keep->rng);
    free(f->keep);
  }
  memset(f, 0, sizeof *f);
}
