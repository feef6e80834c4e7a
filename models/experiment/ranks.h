/*
 * models/experiment/ranks.h - the MPI ranks of an experiment: every rank
 * runs its share of the replications, rank 0 gathers them all.
 *
 * Replication r of a point belongs to rank r mod size.  After each batch
 * every other rank sends rank 0 what it computed, replication by
 * replication in order: a status (with the error message when it failed),
 * then the summary, per-call and roadmap rows, then, for detailed
 * replications, each policy's proposal rows and time series.  Rank 0 then
 * holds everything a single-process run would, and writes the same file.
 * Without MPI (one rank) there is nothing to send.
 */
#ifndef GP_RANKS_H
#define GP_RANKS_H

#include "models/experiment/store.h"
#include "sim/err.h"

/* Bring replications [FROM, TO) of ST to rank 0.  *FAILED and ERR are this
 * rank's state of the batch on entry (1 and its first error when one of its
 * replications failed); on rank 0 they gain the first failure received.
 * Returns 0 on every rank when every replication succeeded on every rank,
 * -1 on every rank otherwise (rank 0 has the message in ERR). */
int gp_ranks_gather(gp_store *st, int from, int to, int *failed, gp_err *err);

#endif /* GP_RANKS_H */
