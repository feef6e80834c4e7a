/* sim/par.c - MPI, or its absence (see par.h). */
#include "sim/par.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

int gp_par_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 && n < 1 << 20 ? (int)n : 1;
}

void gp_par_threads(int n, void *(*fn)(void *), void *arg) {
  pthread_t *th = calloc((size_t)(n > 0 ? n : 1), sizeof *th);
  int started = 0;
  if (th)
    for (; started < n; started++)
      if (pthread_create(&th[started], NULL, fn, arg) != 0) break;
  if (started == 0) fn(arg); /* no threads to be had: run here */
  for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
  free(th);
}

#ifdef GP_MPI
#include <limits.h>
#include <mpi.h>

static int started;

int gp_par_init(int *argc, char ***argv) {
  int provided;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return -1;
  started = 1;
  return 0;
}

void gp_par_finalize(void) {
  if (started) MPI_Finalize();
  started = 0;
}

int gp_par_rank(void) {
  int r = 0;
  if (started) MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int gp_par_size(void) {
  int n = 1;
  if (started) MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

/* Large buffers go in pieces of at most INT_MAX bytes (MPI counts are int). */
int gp_par_send(const void *buf, size_t n, int dest, int tag) {
  const char *p = buf;
  do {
    int k = n > INT_MAX ? INT_MAX : (int)n;
    if (MPI_Send(p, k, MPI_BYTE, dest, tag, MPI_COMM_WORLD) != MPI_SUCCESS) return -1;
    p += k;
    n -= (size_t)k;
  } while (n > 0);
  return 0;
}

int gp_par_recv(void *buf, size_t n, int src, int tag) {
  char *p = buf;
  do {
    int k = n > INT_MAX ? INT_MAX : (int)n;
    if (MPI_Recv(p, k, MPI_BYTE, src, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
      return -1;
    p += k;
    n -= (size_t)k;
  } while (n > 0);
  return 0;
}

int gp_par_max(int v) {
  int out = v;
  if (started) MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

int gp_par_bcast(int v) {
  if (started) MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return v;
}

void gp_par_abort(int code) {
  if (started) MPI_Abort(MPI_COMM_WORLD, code);
  exit(code);
}

#else /* one process */

int gp_par_init(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  return 0;
}
void gp_par_finalize(void) {}
int gp_par_rank(void) { return 0; }
int gp_par_size(void) { return 1; }
int gp_par_send(const void *buf, size_t n, int dest, int tag) {
  (void)buf, (void)n, (void)dest, (void)tag;
  return -1; /* there is nobody to send to */
}
int gp_par_recv(void *buf, size_t n, int src, int tag) {
  (void)buf, (void)n, (void)src, (void)tag;
  return -1;
}
int gp_par_max(int v) { return v; }
int gp_par_bcast(int v) { return v; }
void gp_par_abort(int code) { exit(code); }

#endif
