/*
 * sim/par.h - processes across nodes (MPI), or one process without it;
 * and the threads of one process (how many cores, a team run to the end).
 *
 * Built with `make MPI=1` (GP_MPI defined, linked against OpenMPI) these
 * wrap MPI; otherwise the program is the only rank and every call is a
 * no-op.  The experiment runner uses them to split the grid of replications
 * across ranks and gather the results on rank 0, which writes the one file.
 * Messages are raw bytes: every rank runs the same binary on the same kind of
 * machine, so struct layouts agree.
 */
#ifndef GP_PAR_H
#define GP_PAR_H

#include <stddef.h>

/* Call once at the start of main (before threads), and gp_par_finalize at
 * the end.  Returns 0, or -1 when MPI cannot start. */
int gp_par_init(int *argc, char ***argv);
void gp_par_finalize(void);
int gp_par_rank(void);
int gp_par_size(void);
/* Blocking point-to-point transfer of N bytes with a tag. */
int gp_par_send(const void *buf, size_t n, int dest, int tag);
int gp_par_recv(void *buf, size_t n, int src, int tag);
/* The maximum of V over all ranks (every rank gets it). */
int gp_par_max(int v);
/* Rank 0's value of V, on every rank. */
int gp_par_bcast(int v);
/* Stop every rank at once (after an error that leaves the others waiting). */
void gp_par_abort(int code);

/* Threads within a rank. */
/* The cores this process sees (sysconf), at least 1: the default thread count. */
int gp_par_cores(void);
/* Run FN(ARG) on N threads (N >= 1) and wait for them all; when no thread
 * can be started, FN runs once in the caller's thread. */
void gp_par_threads(int n, void *(*fn)(void *), void *arg);

#endif /* GP_PAR_H */
