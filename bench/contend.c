/*
 * bench/contend.c - a trace of N contended jobs, for the backfilling rules.
 *
 *     bench/contend N OUT.swf
 *
 * Writes N jobs in the Standard Workload Format on a 64-processor machine
 * (one GPU a processor under `gpuplan replay`): job i is submitted at second
 * i, asks for 1-64 processors and runs 1-10,000 s, with an estimate of twice
 * its run time (so every job ends early and conservative backfilling
 * compresses its schedule at every end).  All are submitted within N
 * seconds and the machine needs about 2,500 s a job: the queue holds nearly
 * every job for the whole replay.  Seed fixed (MT19937, seed 1): the same
 * N gives the same file.  The reproducer contend4000.swf of issue 16 has this shape.
 */
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 3 || atol(argv[1]) < 1) {
    fprintf(stderr, "usage: %s N OUT.swf\n", argv[0]);
    return 64;
  }
  long n = atol(argv[1]);
  FILE *f = fopen(argv[2], "w");
  if (!f) {
    perror(argv[2]);
    return 73;
  }
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!r) return 71;
  gsl_rng_set(r, 1);
  fprintf(f, "; MaxProcs: 64\n");
  for (long i = 1; i <= n; i++) {
    unsigned long run = 1 + gsl_rng_uniform_int(r, 10000), procs = 1 + gsl_rng_uniform_int(r, 64);
    fprintf(f, "%ld %ld -1 %lu %lu -1 -1 %lu %lu -1 1 -1 -1 -1 -1 -1 -1 -1\n", i, i, run, procs,
            procs, 2 * run);
  }
  gsl_rng_free(r);
  if (fclose(f)) {
    perror(argv[2]);
    return 74;
  }
  return 0;
}
