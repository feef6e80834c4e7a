/* sim/rng.c - independent random-number streams (see rng.h): Philox4x32-10
 * as a gsl_rng_type.  Invariant: a stream's output depends only on its
 * (key, stream id) and on how many words it has handed out. */
#include "sim/rng.h"

#include <Random123/philox.h>

/* One stream: the block counter n (ctr words 0-1), the stream id (words
 * 2-3), the key, and the current output block with the index of the next
 * word to hand out (4 = block used up, make the next one). */
typedef struct philox_state {
  philox4x32_ctr_t ctr; /* (n low, n high, id low, id high) */
  philox4x32_key_t key; /* gp_rng_key_of(seed, rep), low word first */
  philox4x32_ctr_t out; /* block n - 1, the words being handed out */
  unsigned idx;         /* next word of out; 4 = none left */
} philox_state;

static void philox_point(philox_state *st, uint64_t key, uint64_t stream) {
  st->ctr.v[0] = 0;
  st->ctr.v[1] = 0;
  st->ctr.v[2] = (uint32_t)stream;
  st->ctr.v[3] = (uint32_t)(stream >> 32);
  st->key.v[0] = (uint32_t)key;
  st->key.v[1] = (uint32_t)(key >> 32);
  st->idx = 4;
}

/* The next block, out of line: three draws in four take the short path of
 * philox_next alone (gcc inlined the ten rounds into every caller and then
 * called philox_next out of line). */
static __attribute__((noinline)) uint32_t philox_refill(philox_state *st) {
  st->out = philox4x32(st->ctr, st->key);
  /* A 64-bit block counter: 2^64 blocks never run out in a simulation. */
  if (++st->ctr.v[0] == 0) st->ctr.v[1]++;
  st->idx = 1;
  return st->out.v[0];
}

static inline uint32_t philox_next(philox_state *st) {
  return st->idx < 4 ? st->out.v[st->idx++] : philox_refill(st);
}

static void philox_set(void *vstate, unsigned long s) {
  philox_point(vstate, gp_rng_key_of((uint64_t)s, 0), 0);
}
static unsigned long philox_get(void *vstate) { return philox_next(vstate); }
static double philox_get_double(void *vstate) { return philox_next(vstate) / 4294967296.0; }

static const gsl_rng_type philox_type = {"gpuplan-philox4x32-10", 0xffffffffUL, 0, sizeof(philox_state),
                                         philox_set, philox_get, philox_get_double};
const gsl_rng_type *const gp_rng_philox = &philox_type;

/* ==== streams ==== */

uint64_t gp_rng_mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t gp_rng_key_of(uint64_t seed, uint64_t rep) {
  uint64_t h = gp_rng_mix64(seed);
  return gp_rng_mix64(h ^ gp_rng_mix64(rep + 0x5851f42d4c957f2dULL));
}

gsl_rng *gp_rng_alloc(void) { return gsl_rng_alloc(gp_rng_philox); }

gsl_rng *gp_rng_new(uint64_t seed, uint64_t rep, uint64_t stream) {
  gsl_rng *r = gp_rng_alloc();
  if (r) gp_rng_reset(r, seed, rep, stream);
  return r;
}

void gp_rng_reset(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream) {
  philox_point(r->state, gp_rng_key_of(seed, rep), stream);
}

uint64_t gp_rng_name_id(const char *name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h ^= *p;
    h *= 0x100000001b3ULL;
  }
  return gp_rng_mix64(h);
}
