/*
 * sim/sort.h - sorting by a double key, the run's hot sorts: records
 * (gp_sort_keyed: the committees' ranking by score) and plain doubles with
 * an optional code each (gp_sort_doubles: the samples of the tail metrics,
 * models/run/tails.c).  (The world's sorts are models/world/wsort.h's.)
 *
 * Through qsort's callback these sorts were a tenth of a baseline
 * replication.  gp_sort_keyed compares inline.  Records are ordered
 * by (key, tie) ascending; callers make tie unique (an index), so the order
 * is total and equals that of any correct sort, stable or not.  Keys must not
 * be NaN.
 */
#ifndef GP_SORT_H
#define GP_SORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct gp_keyed {
  double key;
  int64_t tie;
  void *p;  /* the caller's */
} gp_keyed;

/* Sort A[0, N) by (key, tie), using TMP[0, N) as scratch.  From 512 records
 * whose ties are already ascending (records in index order), a radix sort by
 * key: no comparison to mispredict (the merge's were about 4% of a
 * baseline policy-replication, in the world's two sorts of 10,000). */
void gp_sort_keyed(gp_keyed *a, gp_keyed *tmp, size_t n);

/* Sort the N doubles A ascending, using TMP[0, N) as scratch (the tail
 * metrics' samples); CODE[0, N), unless NULL, moves with A (TMPC[0, N) its
 * scratch): each value's group.  Stable; -0 and +0 are equal (each keeps
 * its place among them); no NaN. */
void gp_sort_doubles(double *a, uint32_t *code, double *tmp, uint32_t *tmpc, size_t n);

#endif /* GP_SORT_H */
