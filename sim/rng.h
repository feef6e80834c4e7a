/*
 * sim/rng.h - independent random-number streams.
 *
 * Every stochastic source of a model (arrivals, request sizes, review noise,
 * delivery slips, failures, a policy's lottery, ...) draws from its own GSL
 * generator, seeded from (scenario seed, replication, stream id) alone.  A
 * stream's draws therefore never depend on how many draws other streams made,
 * and replication r of two policies sees the same world: the basis of common
 * random numbers and paired comparisons.
 *
 * The generator is MT19937, GSL's gsl_rng_mt19937 draw for draw (the same
 * seeding and outputs) in a faster implementation of our own (sim/rng.c);
 * GSL's distributions draw from it like any gsl_rng.  Its seed is a 32-bit
 * value: the three keys are mixed with SplitMix64 (Steele, Lea & Flood
 * 2014) and folded to 32 bits, so two distinct (seed, rep, stream) triples
 * share a sequence with probability 2^-32 per pair.  Never
 * gsl_rng_env_setup(): results must not depend on the environment.
 */
#ifndef GP_RNG_H
#define GP_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* MT19937 with GSL's seeding and outputs (see above). */
extern const gsl_rng_type *const gp_rng_mt19937;
/* An unseeded generator of that type (seed it with gp_rng_reset), or NULL
 * when out of memory. */
gsl_rng *gp_rng_alloc(void);
/* The 32-bit MT19937 seed of stream STREAM in replication REP of SEED. */
unsigned long gp_rng_seed_of(uint64_t seed, uint64_t rep, uint64_t stream);
/* A new generator for that stream, or NULL when out of memory. */
gsl_rng *gp_rng_new(uint64_t seed, uint64_t rep, uint64_t stream);
/* Reseed R in place for that stream (no allocation). */
void gp_rng_reset(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream);
/* SplitMix64 finaliser, exposed for tests and for hashing names into ids. */
uint64_t gp_rng_mix64(uint64_t x);
/* A stable 64-bit id for a name (FNV-1a then mixed), for per-name streams. */
uint64_t gp_rng_name_id(const char *name);

#endif /* GP_RNG_H */
