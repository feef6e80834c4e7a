/*
 * models/results/h5heap.c - a variable-length string read straight from an
 * HDF5 file's global heap (see h5heap.h).
 *
 * Invariants:
 *  - Every offset is checked against the file's size before it is read, in
 *    arithmetic that cannot overflow (a length is compared with what remains
 *    of the file, never added to an offset first).
 *  - The walk over a collection's objects advances by at least one object
 *    header per step and stops at the collection's end: it ends for any
 *    input.
 *  - Nothing is allocated but the string returned, and at most as many
 *    bytes as the file holds.
 */
#include "models/results/h5heap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A collection's header: "GCOL", version, 3 reserved bytes, its size. */
#define GCOL_FIXED 8
/* An object's header: index (2), reference count (2), reserved (4), size. */
#define OBJ_FIXED 8

/* N little-endian bytes at P (N <= 8). */
static uint64_t le(const unsigned char *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = n; i > 0; i--) v = v << 8 | p[i - 1];
  return v;
}

/* Read N bytes at offset AT into BUF; -1 when they are not all in the file. */
static int read_at(const gp_h5heap_file *f, void *buf, size_t n, uint64_t at) {
  if (at > f->size || n > f->size - at) return -1;
  unsigned char *p = buf;
  while (n > 0) {
    ssize_t k = pread(f->fd, p, n, (off_t)at);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    p += k, at += (uint64_t)k, n -= (size_t)k;
  }
  return 0;
}

char *gp_h5heap_string(const gp_h5heap_file *f, uint64_t id_at, size_t id_len, size_t *len,
                       char *why, size_t why_size, int *oom) {
  *len = 0;
  unsigned sa = f->sizeof_addr, ss = f->sizeof_size;
  unsigned char id[4 + 8 + 4], hdr[GCOL_FIXED + 8];
  if (sa < 2 || sa > 8 || ss < 2 || ss > 8) {
    snprintf(why, why_size, "addresses of %u bytes and lengths of %u bytes are not HDF5's", sa, ss);
    return NULL;
  }
  if (id_len != 4 + sa + 4) {
    snprintf(why, why_size, "its heap reference has %zu bytes, not %u", id_len, 4 + sa + 4);
    return NULL;
  }
  if (read_at(f, id, id_len, id_at)) {
    snprintf(why, why_size, "its heap reference lies outside the file");
    return NULL;
  }
  uint64_t n = le(id, 4), addr = le(id + 4, sa), index = le(id + 4 + sa, 4);
  if (n == 0) { /* "" (or a null string): nothing in the heap to read */
    char *s = calloc(1, 1);
    if (!s) *oom = 1;
    return s;
  }
  /* The collection: its header, then its size against what the file holds. */
  uint64_t at = f->base + addr, hsize = GCOL_FIXED + ss, osize = OBJ_FIXED + ss;
  if (addr > f->size || read_at(f, hdr, hsize, at)) {
    snprintf(why, why_size, "its global heap lies outside the file");
    return NULL;
  }
  if (memcmp(hdr, "GCOL", 4) != 0 || hdr[4] != 1) {
    snprintf(why, why_size, "no global heap where its reference points");
    return NULL;
  }
  uint64_t csize = le(hdr + GCOL_FIXED, ss);
  if (csize < hsize || csize > f->size - at) {
    snprintf(why, why_size, "its global heap runs past the end of the file");
    return NULL;
  }
  /* The objects, up to the free space (index 0) or the collection's end. */
  uint64_t p = hsize;
  while (csize - p >= osize) {
    unsigned char o[OBJ_FIXED + 8];
    if (read_at(f, o, osize, at + p)) break;
    uint64_t oi = le(o, 2), olen = le(o + OBJ_FIXED, ss), room = csize - p - osize;
    if (oi == 0) break;
    if (olen > room) {
      snprintf(why, why_size, "its global heap holds an object larger than the heap");
      return NULL;
    }
    if (oi == index) {
      if (olen != n) {
        snprintf(why, why_size, "its length (%llu bytes) is not its heap object's (%llu)",
                 (unsigned long long)n, (unsigned long long)olen);
        return NULL;
      }
      char *s = malloc((size_t)n + 1);
      if (!s) {
        *oom = 1;
        return NULL;
      }
      if (read_at(f, s, (size_t)n, at + p + osize)) {
        free(s);
        snprintf(why, why_size, "its text lies outside the file");
        return NULL;
      }
      s[n] = '\0';
      if (memchr(s, '\0', (size_t)n)) {
        free(s);
        snprintf(why, why_size, "its text holds a NUL byte");
        return NULL;
      }
      *len = (size_t)n;
      return s;
    }
    uint64_t step = (olen + 7) / 8 * 8; /* data padded to 8 bytes */
    p += osize + (step < room ? step : room);
  }
  snprintf(why, why_size, "its global heap has no object %llu", (unsigned long long)index);
  return NULL;
}
