/*
 * models/world/world.c - drawing a world: proposals, slips, the roadmap as
 * delivered (see world.h).
 *
 * The world draws from one stream per (source, call/stream/tranche name), so
 * adding a call leaves the others' draws alone.  Its proposals are sorted by
 * (submission time, origin), ties in the order drawn; everything else about
 * the world (the pipeline's play, failures, the grouping by organisation,
 * ranking) is made from them once they are, by world_finish.
 */
#include "models/world/world.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/rules/rule.h"
#include "models/world/wcache.h"
#include "models/world/wsort.h"
#include "sim/rng.h"
#include "sim/vec.h"

typedef struct wgen {
  const gp_scenario *s;
  gp_world *w;
  gsl_rng *r[GP_NSRC];
} wgen;

/* Room in W for proposals and candidates up to N, with their review times. */
static int props_reserve(gp_world *w, size_t n) {
  size_t r = (size_t)w->nreviews;
  if (n > SIZE_MAX / r) return -1;
  return GP_VEC_RESERVE(w->props, w->cap, n, 1024) ||
         GP_VEC_RESERVE(w->review_days, w->caprd, n * r, 1024 * r);
}

/* The N proposals P and their reviewers' times RD (w->nreviews a
 * proposal; NULL: every review takes no time) into W from proposal AT on,
 * room reserved. */
static void props_put(gp_world *w, size_t at, const gp_wprop *p, const float *rd, size_t n) {
  size_t r = (size_t)w->nreviews;
  if (!n) return;
  memcpy(w->props + at, p, n * sizeof *p);
  if (rd) memcpy(w->review_days + at * r, rd, n * r * sizeof *rd);
  else memset(w->review_days + at * r, 0, n * r * sizeof *rd);
}

/* Append proposal P, its reviewers' times RD (w->nreviews of them). */
static int push_prop(wgen *g, const gp_wprop *p, const float *rd) {
  gp_world *w = g->w;
  if (props_reserve(w, w->n + 1)) return -1;
  props_put(w, w->n++, p, rd, 1);
  return 0;
}

static int pick(gsl_rng *r, const double *w, int n) {
  double sum = 0, c = 0;
  for (int i = 0; i < n; i++) sum += w[i];
  double u = gsl_rng_uniform(r) * sum;
  int last = 0;
  for (int i = 0; i < n; i++) {
    if (w[i] <= 0) continue;
    last = i;
    c += w[i];
    if (u < c) return i;
  }
  return last;
}

/* Zipf(1) organisation index in [0, n): a few organisations apply often. */
static int zipf(gsl_rng *r, int n) {
  double hn = log((double)n) + 0.5772156649 + 1.0 / (2.0 * n); /* harmonic number H_n */
  double u = gsl_rng_uniform(r) * hn;
  int k = (int)floor(exp(u - 0.5772156649)); /* inverse of H_k ~ ln k + gamma */
  return k < 1 ? 0 : k >= n ? n - 1 : k - 1;
}

/* Everything about one proposal of applicants A, drawn from the source's
 * streams (seeded by the caller): P, and its reviewers' times in RD. */
static void draw_proposal(wgen *g, const gp_applicants *a, double t, int origin, gp_wprop *p,
                          float *rd) {
  const gp_scenario *s = g->s;
  gsl_rng **r = g->r;
  memset(p, 0, sizeof *p);
  p->submitted = t;
  p->origin = (int16_t)origin;
  p->sector = (int8_t)pick(r[GP_SRC_SECTOR], a->sector_weights, GP_NSECTORS);
  int k = pick(r[GP_SRC_TYPE], a->type_weight, a->ntypes);
  p->gpu_type = (int8_t)a->type[k];
  double u = floor(gp_dist_sample(&a->units, r[GP_SRC_UNITS]) + 0.5);
  if (u < 1) u = 1;
  if (u > a->max_units[k]) u = a->max_units[k];
  p->units = (int32_t)u;
  p->interview = a->interview_from[k] > 0 && p->units >= a->interview_from[k];
  double d = gp_dist_sample(&a->duration, r[GP_SRC_DURATION]) * a->duration_unit;
  p->duration = d < a->max_days ? d : a->max_days;
  p->quality = gp_dist_sample(&a->quality, r[GP_SRC_QUALITY]);
  p->use = gp_dist_sample(&a->use_fraction, r[GP_SRC_USE]);
  p->org = p->sector * 10000000 + zipf(r[GP_SRC_ORG], a->organisations);
  p->capital = gsl_rng_uniform(r[GP_SRC_ORG]) < a->capital_share;
  /* Review: screening time, each reviewer's time, the noisy scores. */
  const gp_review *rv = &s->review;
  p->screening_days = gp_dist_sample(&rv->screening_days, r[GP_SRC_REVIEW]);
  double sum = 0;
  for (int i = 0; i < rv->reviews; i++) {
    rd[i] = (float)gp_dist_sample(&rv->review_days, r[GP_SRC_REVIEW]);
    sum += p->quality + (rv->noise_sd > 0 ? gsl_ran_gaussian(r[GP_SRC_REVIEW], rv->noise_sd) : 0);
  }
  p->score = sum / rv->reviews;
  p->u_screen = (float)gsl_rng_uniform(r[GP_SRC_REVIEW]);
  p->u_interview = (float)gsl_rng_uniform(r[GP_SRC_REVIEW]);
  p->onboard_days = gp_dist_sample(&rv->onboarding_days, r[GP_SRC_ONBOARD]);
  /* A withdrawing proposal leaves at a uniform time within its natural life:
   * from submission to half a year plus its duration later. */
  p->withdraw_at = HUGE_VAL;
  if (a->withdraw_probability > 0 && gsl_rng_uniform(r[GP_SRC_WITHDRAW]) < a->withdraw_probability)
    p->withdraw_at = t + gsl_rng_uniform_pos(r[GP_SRC_WITHDRAW]) * (182.625 + p->duration);
}

/* The streams a call, a stream and a designated project draw from (the
 * others are not reset: a designated project uses one of the 15 streams;
 * a reset is cheap since the streams are counter-based, but a stream left
 * alone cannot be drawn from by mistake). */
#define B(src) (1u << (src))
#define DRAW_STREAMS                                                                          \
  (B(GP_SRC_ARRIVAL) | B(GP_SRC_SECTOR) | B(GP_SRC_UNITS) | B(GP_SRC_DURATION) | B(GP_SRC_QUALITY) |      \
   B(GP_SRC_USE) | B(GP_SRC_REVIEW) | B(GP_SRC_ONBOARD) | B(GP_SRC_TYPE) | B(GP_SRC_ORG) | B(GP_SRC_WITHDRAW))
enum { CALL_STREAMS = DRAW_STREAMS | B(GP_SRC_COUNT), STREAM_STREAMS = DRAW_STREAMS,
       DESIGNATED_STREAMS = B(GP_SRC_USE) };
#undef B
#undef DRAW_STREAMS

static void seed_source(wgen *g, int rep, uint64_t key, unsigned streams) {
  for (int i = 1; i < GP_NSRC; i++)
    if (streams & 1u << i) gp_rng_reset(g->r[i], g->s->seed, (uint64_t)rep, gp_world_stream(i, key));
}

/* Time after START at which cumulative intensity LAMBDA is used up, for a
 * rate r * (1+g)^((t-start)/365) (closed form). */
static double arrival_time(const gp_stream *st, double lambda) {
  if (st->growth_per_year == 0) return st->start + lambda / st->rate_per_day;
  double lb = log1p(st->growth_per_year) / 365.0; /* per-day log growth */
  double x = 1 + lambda * lb / st->rate_per_day;
  if (x <= 0) return HUGE_VAL; /* a shrinking stream that has run dry */
  return st->start + log(x) / lb;
}

static int gen_stream(wgen *g, int rep, int k) {
  const gp_stream *st = &g->s->streams[k];
  seed_source(g, rep, st->key, STREAM_STREAMS);
  if (st->rate_per_day <= 0) return 0;
  double lambda = 0;
  for (;;) {
    lambda += gsl_ran_exponential(g->r[GP_SRC_ARRIVAL], 1.0);
    double t = arrival_time(st, lambda);
    if (!(t < st->end)) return 0;
    gp_wprop p;
    float rd[GP_MAX_REVIEWS];
    draw_proposal(g, &st->a, t, g->s->ncalls + k, &p, rd);
    if (push_prop(g, &p, rd)) return -1;
  }
}

/* A call: Poisson(proposals) submissions over [open, close), piling up toward
 * the deadline with density (1 + a) x^a on the fraction x of the window. */
static int gen_call(wgen *g, int rep, int k) {
  const gp_call *c = &g->s->calls[k];
  seed_source(g, rep, c->key, CALL_STREAMS);
  unsigned n = gsl_ran_poisson(g->r[GP_SRC_COUNT], c->proposals);
  for (unsigned i = 0; i < n; i++) {
    double x = pow(gsl_rng_uniform(g->r[GP_SRC_ARRIVAL]), 1.0 / (1.0 + c->pile_up));
    gp_wprop p;
    float rd[GP_MAX_REVIEWS];
    draw_proposal(g, &c->a, c->open + x * (c->close - c->open), k, &p, rd);
    if (push_prop(g, &p, rd)) return -1;
  }
  return 0;
}

static int gen_designated(wgen *g, int rep, int k) {
  const gp_scenario *s = g->s;
  const gp_designated *d = &s->designated[k];
  seed_source(g, rep, gp_rng_name_id(d->name), DESIGNATED_STREAMS);
  static const float no_review[GP_MAX_REVIEWS]; /* (a designation is not reviewed) */
  double t = d->start;
  for (int ph = 0; ph < d->nphases; ph++) {
    for (int i = 0; i < d->teams[ph]; i++) {
      gp_wprop p;
      memset(&p, 0, sizeof p);
      p.submitted = t;
      p.origin = (int16_t)(s->ncalls + s->nstreams + k);
      p.sector = (int8_t)d->sector;
      p.gpu_type = (int8_t)d->gpu_type;
      p.units = d->units;
      p.duration = d->days[ph];
      p.quality = NAN;
      p.score = NAN;
      p.use = gp_dist_sample(&d->use_fraction, g->r[GP_SRC_USE]);
      p.org = p.sector * 10000000 + i;
      p.withdraw_at = HUGE_VAL;
      p.designated = 1;
      if (t < s->end && push_prop(g, &p, no_review)) return -1;
    }
    t += d->days[ph];
  }
  return 0;
}

/* Room in W's sort scratch for sorting N records: 3 N (the records, the
 * radix sort's second buffer, the full keys by index). */
static int keys_reserve(gp_world *w, size_t n) {
  return GP_VEC_RESERVE(w->keys, w->capkeys, 3 * (n ? n : 1), 1024);
}

/* A sort scratch larger than this is freed once the world is made rather
 * than kept for the next draw: it would stay allocated while the world's
 * runs play (at 48 bytes a proposal, the scratch of gp_sort_keyed before
 * wsort.h, it raised the peak memory of a million-proposal world by 14%:
 * scenarios/validation/mmc.json at bench/run.sh's rate, 358 -> 407 MB).
 * Now 24 bytes a proposal: the baseline's 10,000 need 0.24 MB. */
#define KEYS_KEEP_MAX ((size_t)16 << 20)

static void keys_trim(gp_world *w) {
  if (w->capkeys * sizeof *w->keys <= KEYS_KEEP_MAX) return;
  free(w->keys);
  w->keys = NULL;
  w->capkeys = 0;
}

/* Order W's proposals by (submitted, origin), stably (ties by the order
 * drawn), which, drawn source by source in origin order, is the order of
 * (submitted, index): sort 8-byte records (wsort.h), then move each
 * proposal once, following the cycles of the permutation.  Returns 0, or
 * -1 with ERR set. */
static int sort_world(gp_world *w, gp_err *err) {
  size_t n = w->n;
  if (n >= UINT32_MAX)
    return GP_ERR(err, GP_EX_DATAERR, "%zu proposals in a world: at most 2^32 - 2", n);
  if (keys_reserve(w, n)) return GP_ERR_NOMEM(err);
  /* Records in A, the times' bits by index in FULL. */
  uint64_t *a = w->keys, *tmp = a + n, *full = tmp + n;
  for (size_t i = 0; i < n; i++) {
    if (i && w->props[i].origin < w->props[i - 1].origin)
      return GP_ERR(err, GP_EX_SOFTWARE, "world: proposal %zu drawn out of origin order", i);
    full[i] = gp_wsort_bits(w->props[i].submitted);
    a[i] = gp_wsort_record((uint32_t)(full[i] >> 32), (uint32_t)i);
  }
  gp_wsort_prefix(a, tmp, n);
  gp_wsort_full(a, n, full);
  /* Position i takes the proposal at (uint32_t)a[i]; DONE marks i as done
   * (no record holds it: indices stay below 2^32 - 1). */
  const uint64_t done = UINT64_MAX;
  size_t r = (size_t)w->nreviews;
  float *rd = w->review_days, first_rd[GP_MAX_REVIEWS];
  for (size_t i = 0; i < n; i++) {
    if (a[i] == done) continue;
    gp_wprop first = w->props[i];
    memcpy(first_rd, rd + i * r, r * sizeof *rd);
    size_t j = i;
    for (;;) {
      size_t from = (uint32_t)a[j];
      a[j] = done;
      if (from == i) break;
      w->props[j] = w->props[from];
      memcpy(rd + j * r, rd + from * r, r * sizeof *rd);
      j = from;
    }
    w->props[j] = first;
    memcpy(rd + j * r, first_rd, r * sizeof *rd);
  }
  return 0;
}

/* ---- returning applicants (issue 21, item 3) ---- */

/* Does any source of S let its applicants return? */
static int any_returns(const gp_scenario *s) {
  for (int o = 0; o < s->ncalls + s->nstreams; o++) {
    const gp_applicants *a = gp_scenario_origin_applicants(s, o);
    if (a->resubmit_probability > 0 || a->renew_probability > 0) return 1;
  }
  return 0;
}

int gp_world_records_pipeline(const gp_scenario *s) { return s->npolicies > 1 && !any_returns(s); }

/* Room for return record N (ret[N]). */
static int ret_reserve(gp_world *w, size_t n) {
  return GP_VEC_RESERVE(w->ret, w->capret, n + 1, 1024);
}

/* Draw proposal I's return uniforms and, while it could return (some source
 * of its pool would take it back: the largest probabilities of the pool's
 * sources bound the run's) to one of the DEPTH calls of its pool still to
 * close, its candidates, one after the other: a returning proposal may
 * return again.  Draws from R only. */
static int draw_line(gp_world *w, const gp_scenario *s, gsl_rng *r, size_t i, double pres,
                     double pren, int depth) {
  const gp_review *rv = &s->review;
  size_t at = i;
  for (int d = 0;; d++) {
    gp_wreturn *x = &w->ret[at];
    x->u_resubmit = gsl_rng_uniform(r);
    x->u_renew = gsl_rng_uniform(r);
    x->next = -1;
    if (d >= depth || !(x->u_resubmit < pres || x->u_renew < pren)) return 0;
    if (w->n + w->nret >= INT32_MAX - 1) return 0; /* ids are 32-bit: no further line */
    gp_wprop c;
    memset(&c, 0, sizeof c);
    c.origin = w->props[i].origin;
    c.org = w->props[i].org; /* the chain's organisation: the world's grouping (orgs.h) */
    c.submitted = NAN;
    c.quality = NAN;
    c.withdraw_at = HUGE_VAL;
    double u_submit = gsl_rng_uniform(r);
    c.screening_days = gp_dist_sample(&rv->screening_days, r);
    size_t id = w->n + w->nret;
    if (props_reserve(w, id + 1) || ret_reserve(w, id)) return -1;
    float *rd = w->review_days + id * (size_t)w->nreviews;
    double noise = 0;
    for (int k = 0; k < rv->reviews; k++) {
      rd[k] = (float)gp_dist_sample(&rv->review_days, r);
      noise += rv->noise_sd > 0 ? gsl_ran_gaussian(r, rv->noise_sd) : 0;
    }
    c.score = noise / rv->reviews;
    c.u_screen = (float)gsl_rng_uniform(r);
    c.u_interview = (float)gsl_rng_uniform(r);
    c.onboard_days = gp_dist_sample(&rv->onboarding_days, r);
    w->props[id] = c;
    w->nret++;
    w->ret[at].next = (int32_t)id;
    w->ret[id].u_submit = u_submit;
    at = id;
  }
}

/* Source O's return draws copied from the cache slot E into W when kept
 * under KEY (NKEY values) for its NP proposals W->props[AT[0 .. NP)]: 1
 * when copied, 0 when they must be drawn, -1 when out of memory. */
static int returns_copied(gp_world *w, gp_wcache_rep *e, int o, const double *key, size_t nkey,
                          const uint32_t *at, size_t np) {
  size_t kept, nc;
  const gp_wprop *cand;
  const float *crd;
  const gp_wreturn *r = gp_wcache_returns(e, o, key, nkey, &kept, &cand, &crd, &nc);
  size_t base = w->n + w->nret;
  /* (a line drawn next to INT32_MAX ids is cut short: such draws are made) */
  if (!r || kept != np || base + nc >= INT32_MAX - 1) return 0;
  if (props_reserve(w, base + nc) || GP_VEC_RESERVE(w->ret, w->capret, base + nc, 1024))
    return -1;
  for (size_t j = 0; j < np + nc; j++) {
    gp_wreturn x = r[j];
    if (x.next >= 0) x.next = (int32_t)(base + (size_t)x.next);
    w->ret[j < np ? at[j] : base + (j - np)] = x;
  }
  props_put(w, base, cand, crd, nc);
  w->nret += nc;
  return 1;
}

/* Every proposal's return draws, source by source from the source's own
 * stream in submission order (so a source's draws do not depend on the
 * others'), after the proposals are sorted; through the cache slot E when
 * not NULL (a source's draws copied when its proposals, its pool's largest
 * probabilities and its pool's calls' closing dates are those it drew
 * them for).  Candidates go after the n proposals in props, source by
 * source.  Returns 0, or -1 when out of memory (ERR set). */
static int draw_returns(gp_world *w, const gp_scenario *s, int rep, gp_wcache_rep *e,
                        gp_err *err) {
  w->nret = 0;
  if (!any_returns(s)) { /* (a world redrawn for a scenario without them: ret NULL, as said) */
    free(w->ret);
    w->ret = NULL;
    w->capret = 0;
    return 0;
  }
  /* The proposals of each source in submission order, bucketed once (a
   * scan of all of them per source was 4% of a Morris run): by source o,
   * at[first[o]] .. at[first[o + 1] - 1]. */
  int nsrc = s->ncalls + s->nstreams;
  size_t n = w->n;
  gsl_rng *r = gp_rng_alloc();
  size_t *first = calloc((size_t)nsrc + 2, sizeof *first);
  uint32_t *at = n <= UINT32_MAX ? malloc((n ? n : 1) * sizeof *at) : NULL;
  double *key = malloc((3 + (size_t)s->ncalls) * sizeof *key); /* pool, pres, pren, closes */
  int rc = -1;
  if (!r || !first || !at || !key || ret_reserve(w, n)) goto done;
  for (size_t i = 0; i < n; i++) {
    w->ret[i] = (gp_wreturn){1, 1, 1, -1, -1};
    int o = w->props[i].origin;
    if (o < nsrc && !w->props[i].designated) first[o + 2]++;
  }
  for (int o = 0; o < nsrc; o++) first[o + 2] += first[o + 1];
  for (size_t i = 0; i < n; i++) {
    int o = w->props[i].origin;
    if (o < nsrc && !w->props[i].designated) at[first[o + 1]++] = (uint32_t)i;
  }
  /* (now first[o] .. first[o + 1] is source o's range) */
  for (int o = 0; o < nsrc; o++) {
    const gp_applicants *a = gp_scenario_origin_applicants(s, o);
    if (!(a->resubmit_probability > 0 || a->renew_probability > 0))
      continue; /* they never return: their records say so */
    int pool = gp_scenario_origin_pool(s, o);
    double pres, pren; /* the largest of the pool's sources */
    gp_scenario_pool_returns(s, pool, &pres, &pren);
    size_t nkey = 3, np = first[o + 1] - first[o], base = w->n + w->nret;
    key[0] = pool;
    key[1] = pres;
    key[2] = pren;
    for (int c = 0; c < s->ncalls; c++)
      if (s->calls[c].pool == pool) key[nkey++] = s->calls[c].close;
    int copied = e ? returns_copied(w, e, o, key, nkey, at + first[o], np) : 0;
    if (copied < 0) goto done;
    if (copied) continue;
    gp_rng_reset(r, s->seed, (uint64_t)rep,
                 gp_world_stream(GP_SRC_RETURN, o < s->ncalls ? s->calls[o].key
                                                              : s->streams[o - s->ncalls].key));
    for (size_t j = first[o]; j < first[o + 1]; j++) {
      size_t i = at[j];
      int depth = 0; /* calls of the pool that close after it was submitted */
      for (int c = 3; c < (int)nkey; c++) depth += key[c] > w->props[i].submitted;
      if (draw_line(w, s, r, i, pres, pren, depth)) goto done;
    }
    if (e && w->n + w->nret < INT32_MAX - 1 && /* (no line cut short) */
        gp_wcache_put_returns(e, o, key, nkey, w->ret, at + first[o], np, base,
                              w->props + base, w->review_days + base * (size_t)w->nreviews,
                              w->n + w->nret - base, err)) {
      rc = -2;
      goto done;
    }
  }
  /* Each candidate's predecessor, whether its line was drawn or copied. */
  for (size_t i = 0; i < w->n + w->nret; i++) w->ret[i].prev = -1;
  for (size_t i = 0; i < w->n + w->nret; i++)
    if (w->ret[i].next >= 0) w->ret[w->ret[i].next].prev = (int32_t)i;
  rc = 0;
done:
  if (rc == -1) GP_ERR_NOMEM(err);
  gsl_rng_free(r);
  free(first);
  free(at);
  free(key);
  return rc ? -1 : 0;
}

/* W's failures: copied from the cache slot E when it holds them, else
 * drawn (and kept in E, if any). */
static int world_failures(gp_world *w, const gp_scenario *s, gp_wcache_rep *e, gp_err *err) {
  const gp_moment *m;
  size_t n, nfails;
  if (e && gp_wcache_failures(e, &m, &n, &nfails))
    return gp_failures_set(&w->fails, m, n, nfails, err);
  if (gp_failures_draw(&w->fails, s, w->rep, w->online, err)) return -1;
  return e ? gp_wcache_put_failures(e, &w->fails, err) : 0;
}

/* The policy-independent rest of W, once its proposals and online times
 * are set: the pipeline's play (when its record serves several policies
 * and none of them changes it: no returning applicants), the failure
 * draws, the grouping by organisation, the ranking by score if a policy of
 * S ranks by score.  Returns 0, or -1 with ERR set. */
static int world_finish(gp_world *w, const gp_scenario *s, gp_wcache_rep *e, gp_err *err) {
  w->pipe_recorded = gp_world_records_pipeline(s);
  if (gp_pipeline_play(&w->pipe, s, w->rep, w->props, w->review_days,
                       w->pipe_recorded ? w->n : 0, err) ||
      world_failures(w, s, e, err))
    return -1;
  /* (the scratch reserved only now: a large one is not held during the
   * pipeline's play and the failure draws, as before it was kept) */
  if (keys_reserve(w, w->n + w->nret)) return GP_ERR_NOMEM(err);
  if (gp_orgs_make(&w->orgs, w->props, w->n + w->nret, w->keys, err)) return -1;
  int by_score = 0;
  for (int i = 0; i < s->npolicies; i++) by_score |= s->policies[i].selection->by_score;
  w->ranking.made = 0;
  int rc = by_score ? gp_ranking_make(&w->ranking, w->props, w->n, w->keys, err) : 0;
  keys_trim(w);
  return rc;
}

static gp_world *world_alloc(const gp_scenario *s, int rep) {
  gp_world *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->rep = rep;
  w->nreviews = s->review.reviews;
  w->online = calloc((size_t)(s->ntranches ? s->ntranches : 1), sizeof *w->online);
  if (!w->online) {
    free(w);
    return NULL;
  }
  return w;
}

/* Demand source O (calls, then streams, then designations) drawn and
 * appended to W's proposals. */
static int gen_source(wgen *g, int rep, int o) {
  const gp_scenario *s = g->s;
  if (o < s->ncalls) return gen_call(g, rep, o);
  o -= s->ncalls;
  return o < s->nstreams ? gen_stream(g, rep, o) : gen_designated(g, rep, o - s->nstreams);
}

/* Demand source O's proposals appended to W: copied from the cache slot E
 * when its key is S's, else drawn (and kept in E, if any). */
static int world_source(wgen *g, gp_wcache_rep *e, int rep, int o, gp_err *err) {
  gp_world *w = g->w;
  size_t n0 = w->n, n, r = (size_t)w->nreviews;
  const float *rd;
  const gp_wprop *p = e ? gp_wcache_source(e, g->s, o, &rd, &n) : NULL;
  if (p) {
    if (props_reserve(w, n0 + n)) return GP_ERR_NOMEM(err);
    props_put(w, n0, p, rd, n);
    w->n = n0 + n;
    return 0;
  }
  if (gen_source(g, rep, o)) return GP_ERR_NOMEM(err);
  return e ? gp_wcache_put_source(e, g->s, o, w->props + n0, w->review_days + n0 * r, w->n - n0,
                                  err)
           : 0;
}

/* Draw replication REP of S into W (made from S), reusing its arrays,
 * through the cache C when not NULL (wcache.h: the same world).  Returns
 * 0, or -1 with ERR set. */
static int world_draw(gp_world *w, const gp_scenario *s, int rep, gp_wcache *c, gp_err *err) {
  wgen g;
  memset(&g, 0, sizeof g);
  g.s = s;
  g.w = w;
  w->rep = rep;
  w->n = 0;
  w->nreviews = s->review.reviews;
  int rc = -1;
  gp_wcache_rep *e = c ? gp_wcache_rep_of(c, s, rep, err) : NULL;
  if (c && !e) return -1;
  for (int i = 1; i < GP_NSRC; i++)
    if (!(g.r[i] = gp_rng_alloc())) goto nomem;
  const double *online = e ? gp_wcache_online(e) : NULL;
  if (online) {
    if (s->ntranches) memcpy(w->online, online, (size_t)s->ntranches * sizeof *online);
  } else {
    for (int t = 0; t < s->ntranches; t++) {
      const gp_tranche *tr = &s->tranches[t];
      gp_rng_reset(g.r[GP_SRC_SLIP], s->seed, (uint64_t)rep, gp_world_stream(GP_SRC_SLIP, tr->key));
      w->online[t] = tr->online + gp_dist_sample(&tr->slip, g.r[GP_SRC_SLIP]);
    }
    if (e && gp_wcache_put_online(e, w->online, s->ntranches, err)) goto done;
  }
  for (int o = 0; o < gp_scenario_norigins(s); o++)
    if (world_source(&g, e, rep, o, err)) goto done;
  if (sort_world(w, err)) goto done;
  keys_trim(w); /* a large scratch is not held through the draws below */
  if (draw_returns(w, s, rep, e, err)) goto done;
  rc = 0;
  goto done;
nomem:
  GP_ERR_NOMEM(err);
done:
  for (int i = 1; i < GP_NSRC; i++) gsl_rng_free(g.r[i]);
  return rc ? -1 : world_finish(w, s, e, err);
}

gp_world *gp_world_new(const gp_scenario *s, int rep, gp_err *err) {
  return gp_world_renew(NULL, s, rep, err);
}

gp_world *gp_world_renew(gp_world *w, const gp_scenario *s, int rep, gp_err *err) {
  return gp_world_renew_cached(w, s, rep, NULL, err);
}

gp_world *gp_world_renew_cached(gp_world *w, const gp_scenario *s, int rep, gp_wcache *c,
                                gp_err *err) {
  if (!w && !(w = world_alloc(s, rep))) {
    GP_ERR_NOMEM(err);
    return NULL;
  }
  if (world_draw(w, s, rep, c, err)) {
    gp_world_free(w);
    return NULL;
  }
  return w;
}

/* A world of replication REP holding a copy of the N proposals PROPS and
 * of their review times RD (NULL: 0) (its online times still to set), or
 * NULL with ERR set. */
static gp_world *world_of(const gp_scenario *s, int rep, const gp_wprop *props, const float *rd,
                          size_t n, gp_err *err) {
  gp_world *w = world_alloc(s, rep);
  if (!w || props_reserve(w, n ? n : 1)) {
    gp_world_free(w);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  props_put(w, 0, props, rd, n);
  w->n = n;
  return w;
}

gp_world *gp_world_make(const gp_scenario *s, int rep, const gp_wprop *props,
                        const float *review_days, size_t n, const double *online, gp_err *err) {
  gp_world *w = world_of(s, rep, props, review_days, n, err);
  if (!w) return NULL;
  if (s->ntranches) memcpy(w->online, online, (size_t)s->ntranches * sizeof *online);
  if (draw_returns(w, s, rep, NULL, err)) {
    gp_world_free(w);
    return NULL;
  }
  if (world_finish(w, s, NULL, err)) {
    gp_world_free(w);
    return NULL;
  }
  return w;
}

gp_world *gp_world_jobs(const gp_scenario *s, const gp_wprop *props, size_t n, gp_err *err) {
  gp_world *w = world_of(s, 0, props, NULL, n, err);
  if (!w) return NULL;
  w->direct = 1;
  w->pipe_recorded = 1; /* (an empty record: jobs go to their queues at once) */
  for (int t = 0; t < s->ntranches; t++) w->online[t] = s->tranches[t].online;
  /* An empty record of the pipeline (its closing entry), and the failures
   * the scenario draws (none for a cluster scenario). */
  if (gp_pipeline_play(&w->pipe, s, 0, w->props, w->review_days, 0, err) ||
      gp_failures_draw(&w->fails, s, 0, w->online, err)) {
    gp_world_free(w);
    return NULL;
  }
  if (keys_reserve(w, w->n + w->nret)) {
    gp_world_free(w);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  if (gp_orgs_make(&w->orgs, w->props, w->n + w->nret, w->keys, err)) {
    gp_world_free(w);
    return NULL;
  }
  keys_trim(w);
  return w;
}

/* Servers of tranche T online at time X after its first-online time T0:
 * all at once, or in equal steps at most a day apart over the ramp (the
 * same batches as a run schedules: gp_world_batch_at). */
int gp_world_nodes_at(const gp_tranche *tr, double t0, int ramps, double x) {
  if (x < t0) return 0;
  int batches = ramps ? gp_world_batches(tr) : 1;
  if (batches <= 1) return tr->nodes;
  int k = (int)floor((x - t0) * (batches - 1) / tr->ramp_days + 1e-9); /* last batch index reached */
  if (k >= batches - 1) return tr->nodes;
  return (int)((long long)tr->nodes * (k + 1) / batches);
}

double gp_world_installed_from(const gp_scenario *s, const double *online, int ramps, double t,
                               double *h100e) {
  double gpus = 0, eq = 0;
  for (int i = 0; i < s->ntranches; i++) {
    const gp_tranche *tr = &s->tranches[i];
    if (t >= tr->end) continue;
    double t0 = online ? online[i] : tr->online;
    double g = (double)gp_world_nodes_at(tr, t0, ramps, t) * tr->gpus_per_node;
    gpus += g;
    if (h100e) eq += g * s->gpu_types[tr->gpu_type].h100_equiv;
  }
  if (h100e) *h100e = eq;
  return gpus;
}

double gp_world_reached_from(const gp_scenario *s, const double *online, int ramps, double until) {
  if (!(s->target_gpus > 0)) return -1;
  /* GPUs under agreement go up only at batch times (and down at agreement
   * ends): the first batch time at which they reach the target. */
  double best = -1;
  for (int i = 0; i < s->ntranches; i++) {
    const gp_tranche *tr = &s->tranches[i];
    int batches = ramps ? gp_world_batches(tr) : 1;
    for (int k = 0; k < batches; k++) {
      int upto;
      double t = gp_world_batch_at(tr, online ? online[i] : tr->online, batches, k, &upto);
      if (t > until || (best >= 0 && t >= best)) break;
      if (gp_world_installed_from(s, online, ramps, t, NULL) >= s->target_gpus) best = t;
    }
  }
  return best;
}

double gp_world_installed_at(const gp_scenario *s, const gp_world *w, double t, double *h100e) {
  return gp_world_installed_from(s, w->online, 1, t, h100e);
}

double gp_world_target_reached(const gp_scenario *s, const gp_world *w) {
  return gp_world_reached_from(s, w->online, 1, s->end);
}

void gp_world_free(gp_world *w) {
  if (!w) return;
  gp_pipeline_free(&w->pipe);
  gp_failures_free(&w->fails);
  gp_ranking_free(&w->ranking);
  free(w->ret);
  gp_orgs_free(&w->orgs);
  free(w->keys);
  free(w->props);
  free(w->review_days);
  free(w->online);
  free(w);
}

int gp_world_batches(const gp_tranche *tr) {
  if (!(tr->ramp_days > 0)) return 1;
  double b = ceil(tr->ramp_days) + 1;
  return b < tr->nodes ? (int)b : tr->nodes;
}

double gp_world_batch_at(const gp_tranche *tr, double t0, int batches, int b, int *upto) {
  *upto = (int)((long long)tr->nodes * (b + 1) / batches);
  return t0 + (batches > 1 ? tr->ramp_days * b / (batches - 1) : 0);
}

uint64_t gp_world_stream(int src, uint64_t key) { return gp_rng_mix64(key ^ (uint64_t)src << 56); }

