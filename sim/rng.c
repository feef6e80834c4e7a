/* sim/rng.c - independent random-number streams (see rng.h). */
#include "sim/rng.h"

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

gsl_rng *gp_rng_new(uint64_t seed, uint64_t rep, uint64_t stream) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
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
