/*
 * sim/rng.h - independent random-number streams.
 *
 * Every stochastic source of a model (arrivals, request sizes, review noise,
 * delivery slips, failures, a policy's lottery, ...) draws from its own
 * stream, identified by (scenario seed, replication, stream id) alone.  A
 * stream's draws therefore never depend on how many draws other streams
 * made, and replication r of two policies sees the same world: the basis of
 * common random numbers and paired comparisons.
 *
 * The generator is counter-based: Philox4x32-10 (Salmon, Moraes, Dror and
 * Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3", through
 * Random123's header), wrapped as a gsl_rng_type so that GSL's
 * distributions draw from it like from any gsl_rng.  Output block n of a
 * stream is philox4x32(counter = (n, stream id), key = k(seed, rep)): the
 * stream id fills the counter's upper 64 bits as it is, and the key is the
 * seed and replication mixed with SplitMix64 (Steele, Lea and Flood 2014).
 * So there is no seeding cost (a reset writes six words), streams of one
 * (seed, rep) with different ids are distinct by construction, and two
 * distinct (seed, rep) pairs share a key with probability 2^-64.  A stream
 * holds 2^66 32-bit words.  gsl_rng_get returns 32 bits ([0, 2^32 - 1]);
 * gsl_rng_uniform returns one word over 2^32, in [0, 1), as GSL's MT19937
 * does.  Never gsl_rng_env_setup(): results must not depend on the
 * environment.
 */
#ifndef GP_RNG_H
#define GP_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* Philox4x32-10 streams (see above).  gsl_rng_set(r, s) selects the stream
 * (seed s, rep 0, id 0), so that plain GSL code can use the type too. */
extern const gsl_rng_type *const gp_rng_philox;
/* A generator of that type, on stream (0, 0, 0) until gp_rng_reset, or
 * NULL when out of memory. */
gsl_rng *gp_rng_alloc(void);
/* The 64-bit Philox key of replication REP of SEED (stream ids go into the
 * counter: they need no mixing). */
uint64_t gp_rng_key_of(uint64_t seed, uint64_t rep);
/* A new generator for that stream, or NULL when out of memory. */
gsl_rng *gp_rng_new(uint64_t seed, uint64_t rep, uint64_t stream);
/* Point R (of type gp_rng_philox) at the start of that stream: no
 * allocation, no seeding work. */
void gp_rng_reset(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream);
/* SplitMix64 finaliser, exposed for tests and for hashing names into ids. */
uint64_t gp_rng_mix64(uint64_t x);
/* A stable 64-bit id for a name (FNV-1a then mixed), for per-name streams. */
uint64_t gp_rng_name_id(const char *name);

#endif /* GP_RNG_H */
