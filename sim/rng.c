/* sim/rng.c - independent random-number streams (see rng.h). */
#include "sim/rng.h"

/* ==== MT19937, as GSL's gsl_rng_mt19937 ====
 * Matsumoto and Nishimura (1998), with GSL's seeding (Knuth's multiplier
 * 1812433253; seed 0 means 4357) and GSL's conversion to [0, 1) (the 32-bit
 * output over 2^32): every draw equals GSL's, which tests/unit/test_sim.c
 * checks against gsl_rng_mt19937 over millions of draws and many seeds.
 * It exists for speed alone: GSL regenerates the state with a branch on
 * each word's low bit, which a processor mispredicts half the time, and
 * keeps 32-bit words in 64-bit longs.  Here the 624 words are regenerated
 * without a branch, four at a time where the recurrence allows (a word
 * depends on its successor and on the word 397 places on, or 227 back). */

enum { MT_N = 624, MT_M = 397 };

typedef struct mt_state {
  uint32_t mt[MT_N];
  int mti;
} mt_state;

static void mt_seed(void *vstate, unsigned long s) {
  mt_state *st = vstate;
  if (s == 0) s = 4357;
  st->mt[0] = (uint32_t)(s & 0xffffffffUL);
  for (int i = 1; i < MT_N; i++)
    st->mt[i] = 1812433253u * (st->mt[i - 1] ^ (st->mt[i - 1] >> 30)) + (uint32_t)i;
  st->mti = MT_N;
}

/* Word K of the next state from words A (= mt[k]), B (= mt[k + 1]) and C
 * (= mt[k + M], or the already-new mt[k + M - N]). */
static inline uint32_t mt_word(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t y = (a & 0x80000000u) | (b & 0x7fffffffu);
  return c ^ (y >> 1) ^ (0x9908b0dfu & (0u - (y & 1u)));
}

static void mt_twist(uint32_t *mt) {
  int k = 0;
  /* Four words at a time: each group reads words after it (not yet
   * rewritten) or at least 227 before it (already rewritten). */
  for (; k + 4 <= MT_N - MT_M; k += 4)
    for (int j = 0; j < 4; j++) mt[k + j] = mt_word(mt[k + j], mt[k + j + 1], mt[k + j + MT_M]);
  for (; k < MT_N - MT_M; k++) mt[k] = mt_word(mt[k], mt[k + 1], mt[k + MT_M]);
  for (; k + 4 <= MT_N - 1; k += 4)
    for (int j = 0; j < 4; j++)
      mt[k + j] = mt_word(mt[k + j], mt[k + j + 1], mt[k + j + MT_M - MT_N]);
  for (; k < MT_N - 1; k++) mt[k] = mt_word(mt[k], mt[k + 1], mt[k + MT_M - MT_N]);
  mt[MT_N - 1] = mt_word(mt[MT_N - 1], mt[0], mt[MT_M - 1]);
}

static inline uint32_t mt_next(mt_state *st) {
  if (st->mti >= MT_N) {
    mt_twist(st->mt);
    st->mti = 0;
  }
  uint32_t y = st->mt[st->mti++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

static unsigned long mt_get(void *vstate) { return mt_next(vstate); }
static double mt_get_double(void *vstate) { return mt_next(vstate) / 4294967296.0; }

static const gsl_rng_type mt_type = {
    "gpuplan-mt19937", 0xffffffffUL, 0, sizeof(mt_state), mt_seed, mt_get, mt_get_double};
const gsl_rng_type *const gp_rng_mt19937 = &mt_type;

/* ==== streams ==== */

uint64_t gp_rng_mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

unsigned long gp_rng_seed_of(uint64_t seed, uint64_t rep, uint64_t stream) {
  uint64_t h = gp_rng_mix64(seed);
  h = gp_rng_mix64(h ^ gp_rng_mix64(rep + 0x5851f42d4c957f2dULL));
  h = gp_rng_mix64(h ^ gp_rng_mix64(stream + 0x14057b7ef767814fULL));
  unsigned long s = (unsigned long)((h ^ (h >> 32)) & 0xffffffffULL);
  return s ? s : 4357; /* MT19937 treats 0 as "default"; keep it explicit */
}

gsl_rng *gp_rng_alloc(void) { return gsl_rng_alloc(gp_rng_mt19937); }

gsl_rng *gp_rng_new(uint64_t seed, uint64_t rep, uint64_t stream) {
  gsl_rng *r = gp_rng_alloc();
  if (r) gsl_rng_set(r, gp_rng_seed_of(seed, rep, stream));
  return r;
}

void gp_rng_reset(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream) {
  gsl_rng_set(r, gp_rng_seed_of(seed, rep, stream));
}

uint64_t gp_rng_name_id(const char *name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h ^= *p;
    h *= 0x100000001b3ULL;
  }
  return gp_rng_mix64(h);
}
