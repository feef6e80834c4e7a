/*
 * bench/hold.c - the classic hold model through the kernel's public API.
 *
 *     bench/hold DIST N [EVENTS]
 *
 * N events are pending all the time: each one, when it fires, schedules one
 * more at now + X, X drawn from DIST:
 *   exp      exponential, mean 1
 *   unif     uniform on [0, 2]
 *   bimodal  uniform on [0, 0.2] with probability 0.9, else on [8.6, 9.6] (mean 1)
 * The first 10^6 events after the N are scheduled are timed on their own
 * (warm-up: the queue sizes itself), then EVENTS more (default 2 x 10^7)
 * give the steady-state rate.  Prints, one line each,
 *     hold-DIST N events/s ns/event peak_rss_mib          (steady state)
 *     hold-DIST-first1M N events/s ns/event peak_rss_mib  (the first 10^6 events)
 * and a comment line with the resident memory per pending event.  The
 * checksum (sum of firing times) makes the work observable and lets two
 * kernels be compared for identical order.
 */
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "sim/sim.h"

typedef struct hold {
  bench_rng r;
  int dist;   /* 0 exp, 1 unif, 2 bimodal */
  double sum; /* sum of firing times */
} hold;

static double draw(hold *h) {
  switch (h->dist) {
  case 0:
    return bench_exp(&h->r, 1.0);
  case 1:
    return 2.0 * bench_unif(&h->r);
  default:
    return bench_unif(&h->r) < 0.9 ? 0.2 * bench_unif(&h->r) : 8.6 + bench_unif(&h->r);
  }
}

static void hold_ev(gp_sim *s, void *ctx, uint64_t arg) {
  hold *h = ctx;
  h->sum += gp_sim_now(s);
  gp_sim_after(s, draw(h), hold_ev, h, arg);
}

int main(int argc, char **argv) {
  static const char *names[] = {"exp", "unif", "bimodal"};
  if (argc < 3) {
    fprintf(stderr, "usage: %s exp|unif|bimodal N [EVENTS]\n", argv[0]);
    return 64;
  }
  hold h;
  memset(&h, 0, sizeof h);
  h.dist = -1;
  for (int i = 0; i < 3; i++)
    if (strcmp(argv[1], names[i]) == 0) h.dist = i;
  size_t n = strtoul(argv[2], NULL, 10);
  uint64_t events = argc > 3 ? strtoull(argv[3], NULL, 10) : 20000000u;
  if (h.dist < 0 || n == 0) {
    fprintf(stderr, "%s: bad arguments\n", argv[0]);
    return 64;
  }
  bench_rng_seed(&h.r, 20260301u + n);
  double rss0 = bench_rss_mib();
  gp_sim *s = gp_sim_new(n);
  if (!s) return 71;
  for (size_t i = 0; i < n; i++) gp_sim_at(s, draw(&h), hold_ev, &h, i);
  const uint64_t warm = 1000000;
  double t0 = bench_now();
  for (uint64_t i = 0; i < warm; i++) gp_sim_step(s);
  double t1 = bench_now();
  for (uint64_t i = 0; i < events; i++) gp_sim_step(s);
  double t2 = bench_now();
  if (gp_sim_pending(s) != n || gp_sim_error(s)->code) {
    fprintf(stderr, "%s: the kernel lost events (%zu pending)\n", argv[0], gp_sim_pending(s));
    return 70;
  }
  double rss1 = bench_rss_mib();
  char name[64];
  snprintf(name, sizeof name, "hold-%s", names[h.dist]);
  bench_line(name, (double)n, (double)events, t2 - t1);
  snprintf(name, sizeof name, "hold-%s-first1M", names[h.dist]);
  bench_line(name, (double)n, (double)warm, t1 - t0);
  printf("# hold-%s %zu: %.1f bytes per pending event (resident %.1f MiB before, %.1f after), "
         "checksum %.17g\n",
         names[h.dist], n, (rss1 - rss0) * 1048576.0 / (double)n, rss0, rss1, h.sum);
  gp_sim_free(s);
  return 0;
}
