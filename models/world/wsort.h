/*
 * models/world/wsort.h - the world's three sorts (proposals by submission
 * time, by organisation, by score) on 8-byte records.
 *
 * A record is a 32-bit key prefix above a 32-bit index: an LSD radix sort
 * moves 8 bytes instead of gp_sort_keyed's 24 (sim/sort.h) and reads at
 * most 32 key bits, in three passes of 11 bits (four of 8 below 2,048
 * records).  A key that is exactly 32 bits (an organisation id) is then
 * sorted; a double key (a time, a score) has its records with the same
 * prefix put in (key, index) order by insertion, a few at most.
 *
 * Invariant: the order is that of gp_sort_keyed on (key, index) records:
 * ascending key, ties by ascending index (-0 and +0 equal; no NaN).
 */
#ifndef GP_WSORT_H
#define GP_WSORT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A record: PREFIX above INDEX. */
static inline uint64_t gp_wsort_record(uint32_t prefix, uint32_t index) {
  return (uint64_t)prefix << 32 | index;
}
/* The 64 bits of double X in an unsigned order (-0 as +0; X not NaN). */
static inline uint64_t gp_wsort_bits(double x) {
  x += 0.0; /* -0 + 0 = +0 */
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}
/* A 32-bit signed key in an unsigned order. */
static inline uint32_t gp_wsort_int(int32_t x) { return (uint32_t)x ^ (uint32_t)1 << 31; }

/* Sort the N records A by prefix, stably, with TMP (room for N) as
 * scratch: with the indices ascending in A to begin with, the result is in
 * (prefix, index) order. */
void gp_wsort_prefix(uint64_t *a, uint64_t *tmp, size_t n);
/* Then, for a 64-bit key whose high half is each record's prefix (FULL[i]
 * the key of index i): the records sharing a prefix put in (key, index)
 * order. */
void gp_wsort_full(uint64_t *a, size_t n, const uint64_t *full);

#endif /* GP_WSORT_H */
