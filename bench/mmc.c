/*
 * bench/mmc.c - M/M/c written directly on the kernel: c = 8 servers,
 * service rate 1, arrival rate 7.2 (rho = 0.9), 10^6 customers.
 *
 *     bench/mmc [CUSTOMERS]
 *
 * Two event kinds, arrival (which schedules the next arrival) and departure,
 * and a FIFO ring of waiting customers' arrival times.  Prints
 *     mmc-kernel CUSTOMERS model_events/s ns/event peak_rss_mib
 * and a comment line comparing the mean wait with Erlang C, so the numbers
 * are known to come from a correct model.
 */
#include <stdlib.h>

#include "bench/bench.h"
#include "sim/sim.h"
#include "tests/erlang.h"

enum { C = 8 };
static const double LAMBDA = 7.2, MU = 1.0;

typedef struct mmc {
  bench_rng r;
  uint64_t left; /* arrivals still to come */
  int busy;      /* servers busy */
  double *q;     /* ring of waiting customers' arrival times */
  size_t qh, qn, qcap;
  double wait_sum; /* sum of waits in queue */
  uint64_t served;
} mmc;

static void depart(gp_sim *s, void *ctx, uint64_t arg);

static void start(gp_sim *s, mmc *m, double arrived) {
  m->wait_sum += gp_sim_now(s) - arrived;
  m->served++;
  gp_sim_after(s, bench_exp(&m->r, 1.0 / MU), depart, m, 0);
}

static void arrive(gp_sim *s, void *ctx, uint64_t arg) {
  mmc *m = ctx;
  (void)arg;
  if (--m->left) gp_sim_after(s, bench_exp(&m->r, 1.0 / LAMBDA), arrive, m, 0);
  if (m->busy < C) {
    m->busy++;
    start(s, m, gp_sim_now(s));
    return;
  }
  if (m->qn == m->qcap) { /* grow the ring, unrolling it */
    size_t ncap = m->qcap ? 2 * m->qcap : 1024;
    double *nq = malloc(ncap * sizeof *nq);
    if (!nq) abort();
    for (size_t i = 0; i < m->qn; i++) nq[i] = m->q[(m->qh + i) % m->qcap];
    free(m->q);
    m->q = nq;
    m->qh = 0;
    m->qcap = ncap;
  }
  m->q[(m->qh + m->qn++) % m->qcap] = gp_sim_now(s);
}

static void depart(gp_sim *s, void *ctx, uint64_t arg) {
  mmc *m = ctx;
  (void)arg;
  if (m->qn == 0) {
    m->busy--;
    return;
  }
  double arrived = m->q[m->qh];
  m->qh = (m->qh + 1) % m->qcap;
  m->qn--;
  start(s, m, arrived);
}

int main(int argc, char **argv) {
  uint64_t customers = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000u;
  if (customers == 0) return 64;
  mmc m = {.left = customers};
  bench_rng_seed(&m.r, 8675309u);
  gp_sim *s = gp_sim_new(0);
  if (!s) return 71;
  gp_sim_after(s, bench_exp(&m.r, 1.0 / LAMBDA), arrive, &m, 0);
  double t0 = bench_now();
  int rc = gp_sim_run(s);
  double t1 = bench_now();
  if (rc != 0 || m.served != customers) {
    fprintf(stderr, "%s: run failed (%llu served)\n", argv[0], (unsigned long long)m.served);
    return 70;
  }
  bench_line("mmc-kernel", (double)customers, (double)gp_sim_fired(s), t1 - t0);
  double a = LAMBDA / MU, wq = erlang_c(C, a) / (C * MU - LAMBDA);
  printf("# mmc-kernel: %llu events, %.0f customers/s; mean wait %.4f (Erlang C %.4f)\n",
         (unsigned long long)gp_sim_fired(s), (double)customers / (t1 - t0),
         m.wait_sum / (double)m.served, wq);
  gp_sim_free(s);
  free(m.q);
  return 0;
}
