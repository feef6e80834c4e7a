/*
 * sim/sumtree.h - a sum tree of non-negative integer weights over positions
 * [0, cap), with 8-way nodes: point updates and "first position whose prefix
 * sum exceeds x", each in log8(cap) + 1 steps of fixed length, with no branch
 * that depends on the weights (a Fenwick tree's descent took one coin-flip
 * branch per level, and its update a loop of varying length: both
 * mispredicted).
 *
 * Invariants: cap is 0 or a power of two (at least 64); positions never set
 * weigh 0; every level-l entry is the exact sum of its 8 entries of level
 * l - 1 (sums are integers, so exact), and the padding of each level is 0.
 *
 * Ownership: a gp_sumtree is a value the caller embeds, zeroed to start
 * (an empty tree), and frees with gp_sumtree_free.
 */
#ifndef GP_SUMTREE_H
#define GP_SUMTREE_H

#include <stddef.h>

#define GP_SUMTREE_MAX_LEVELS 24
typedef struct gp_sumtree {
  long long *t; /* level 0: the cap weights; level l: sums of 8 entries of level l-1;
                 * each level padded with zeros to a multiple of 8; 64-byte aligned */
  size_t cap;   /* positions; 0 or a power of two */
  int levels;   /* the last (top) level has at most 8 entries */
  size_t off[GP_SUMTREE_MAX_LEVELS]; /* where each level starts in t */
} gp_sumtree;

/* Make room for positions [0, n), keeping the weights.  Returns 0, or -1
 * when out of memory (the tree is unchanged). */
int gp_sumtree_reserve(gp_sumtree *f, size_t n);
/* Every weight back to 0 (the room stays). */
void gp_sumtree_clear(gp_sumtree *f);
/* Add D to the weight of position I (< cap).  Inline: a run's failures,
 * repairs and starts call it in their hot path. */
static inline void gp_sumtree_add(gp_sumtree *f, size_t i, long long d) {
  for (int l = 0; l < f->levels; l++) f->t[f->off[l] + (i >> (3 * l))] += d;
}
/* Sum of the weights of positions [0, i), i <= cap. */
long long gp_sumtree_prefix(const gp_sumtree *f, size_t i);
/* Among positions [0, N) (N <= cap; positions from N on weigh 0), the
 * first position i whose inclusive prefix sum (weights of [0, i]) is
 * greater than X, i.e. the pick of a cumulative scan `c += w[i]; if (x < c)`;
 * N if there is none. */
size_t gp_sumtree_find(const gp_sumtree *f, double x, size_t n);
/* Free the weights; F is an empty tree again. */
void gp_sumtree_free(gp_sumtree *f);

#endif /* GP_SUMTREE_H */
