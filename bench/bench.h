/*
 * bench/bench.h - what the benchmark programs share: a clock, peak memory,
 * a small fast random generator, and the one-line report.
 *
 * Every benchmark prints one line per case:
 *     name size events_per_s ns_per_event peak_rss_mib
 * (for whole runs, "events" are what the case counts: policy-replications,
 * customers, ...), and may print comment lines starting with '#'.  Seeds and
 * sizes are fixed, so a line can be compared with the same line of an
 * earlier build.
 */
#ifndef GP_BENCH_H
#define GP_BENCH_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Seconds on the monotonic clock, or on this process's CPU clock when the
 * environment says BENCH_CLOCK=cpu (for single-threaded cases on a machine
 * shared with other work: CPU time is what the wall time would be if the
 * machine were quiet, give or take the caches). */
static inline double bench_now(void) {
  static int cpu = -1;
  if (cpu < 0) {
    const char *e = getenv("BENCH_CLOCK");
    cpu = e && strcmp(e, "cpu") == 0;
  }
  struct timespec t;
  clock_gettime(cpu ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Peak resident memory of this process so far, MiB. */
static inline double bench_peak_rss_mib(void) {
  struct rusage u;
  if (getrusage(RUSAGE_SELF, &u) != 0) return -1;
  return (double)u.ru_maxrss / 1024.0; /* Linux: KiB */
}

/* Current resident memory, MiB (from /proc/self/statm; -1 if unknown). */
static inline double bench_rss_mib(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return -1;
  unsigned long size = 0, res = 0;
  int ok = fscanf(f, "%lu %lu", &size, &res) == 2;
  fclose(f);
  return ok ? (double)res * 4096.0 / (1024.0 * 1024.0) : -1;
}

/* xoshiro256** (Blackman and Vigna 2018), seeded with SplitMix64: a few
 * nanoseconds a draw, so the benchmarks time the kernel, not the RNG. */
typedef struct bench_rng {
  uint64_t s[4];
} bench_rng;

static inline uint64_t bench_splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static inline void bench_rng_seed(bench_rng *r, uint64_t seed) {
  for (int i = 0; i < 4; i++) r->s[i] = bench_splitmix(&seed);
}

static inline uint64_t bench_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t bench_next(bench_rng *r) {
  uint64_t *s = r->s, res = bench_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = bench_rotl(s[3], 45);
  return res;
}

/* Uniform on (0, 1]: never 0, so -log(u) is finite. */
static inline double bench_unif(bench_rng *r) {
  return (double)((bench_next(r) >> 11) + 1) * (1.0 / 9007199254740992.0);
}

static inline double bench_exp(bench_rng *r, double mean) { return -mean * log(bench_unif(r)); }

/* The report line; EVENTS in SECS. */
static inline void bench_line(const char *name, double size, double events, double secs) {
  double rate = secs > 0 ? events / secs : 0;
  printf("%s %.0f %.0f %.1f %.1f\n", name, size, rate, rate > 0 ? 1e9 / rate : 0,
         bench_peak_rss_mib());
  fflush(stdout);
}

#endif /* GP_BENCH_H */
