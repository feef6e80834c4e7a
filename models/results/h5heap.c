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

/* ---- attributes in a version-2 object header ---- */

/* At most this many chunks (chunk 0 and its continuations): a loop of
 * continuation messages ends here. */
#define OH_MAX_CHUNKS 64
/* At most this many bytes of header read in all: gpuplan's largest header
 * (a table's doc and units attributes, with their IDs) is a few KiB. */
#define OH_MAX_BYTES (16u << 20)
/* Header message types (HDF5 File Format Specification, IV.A.2). */
#define MSG_ATTRIBUTE 0x0C
#define MSG_CONTINUATION 0x10

typedef struct oh_chunk {
  uint64_t at;  /* file offset of its first message */
  uint64_t len; /* bytes of messages (gap included, checksum excluded) */
} oh_chunk;

typedef struct oh_walk {
  const gp_h5heap_file *f;
  unsigned version; /* of the header: 1 or 2 */
  oh_chunk chunk[OH_MAX_CHUNKS];
  int nchunks;
  uint64_t bytes; /* read so far */
  char *why;
  size_t why_size;
} oh_walk;

/* Queue a continuation chunk at address ADDR of LEN bytes: in a version-2
 * header "OCHK", messages, a 4-byte checksum; in version 1 messages only. */
static int push_chunk(oh_walk *w, uint64_t addr, uint64_t len) {
  const gp_h5heap_file *f = w->f;
  unsigned char sig[4];
  if (w->nchunks == OH_MAX_CHUNKS) {
    snprintf(w->why, w->why_size, "its object header has more than %d chunks", OH_MAX_CHUNKS);
    return -1;
  }
  int v2 = w->version == 2;
  if (addr > f->size - f->base || len < (v2 ? 8u : 0u) ||
      (v2 && (read_at(f, sig, 4, f->base + addr) || memcmp(sig, "OCHK", 4) != 0))) {
    snprintf(w->why, w->why_size, "its object header continues where there is no chunk");
    return -1;
  }
  w->chunk[w->nchunks++] = v2 ? (oh_chunk){f->base + addr + 4, len - 8}
                              : (oh_chunk){f->base + addr, len};
  return 0;
}

/* Attribute message D (SIZE bytes, at file offset AT): when it is NAME, its
 * strings into *OUT and *N (1 found, 0 another name, -1 refused). */
static int attr_message(oh_walk *w, const unsigned char *d, uint64_t size, uint64_t at,
                        const char *name, char ***out, size_t *n, int *oom) {
  const gp_h5heap_file *f = w->f;
  if (size < 8) goto bad;
  unsigned ver = d[0], flags = d[1];
  uint64_t nsz = le(d + 2, 2), tsz = le(d + 4, 2), ssz = le(d + 6, 2), off = ver == 3 ? 9 : 8;
  if (ver < 1 || ver > 3) goto bad;
  /* Version 1 pads the name, datatype and dataspace to 8 bytes. */
  uint64_t pn = ver == 1 ? (nsz + 7) / 8 * 8 : nsz, pt = ver == 1 ? (tsz + 7) / 8 * 8 : tsz,
           ps = ver == 1 ? (ssz + 7) / 8 * 8 : ssz;
  if (off > size || pn > size - off || pt > size - off - pn || ps > size - off - pn - pt)
    goto bad;
  size_t want = strlen(name) + 1;
  if (nsz != want || memcmp(d + off, name, want) != 0) return 0;
  if (ver > 1 && (flags & 3)) {
    snprintf(w->why, w->why_size, "its datatype or dataspace is shared, not as gpuplan stores it");
    return -1;
  }
  const unsigned char *t = d + off + pn, *s = t + pt, *data = s + ps;
  uint64_t dlen = size - off - pn - pt - ps;
  /* Datatype: class 9 (variable-length), type 1 (string). */
  if (tsz < 8 || (t[0] & 0x0F) != 9 || (t[1] & 0x0F) != 1) {
    snprintf(w->why, w->why_size, "it is not a variable-length string");
    return -1;
  }
  /* Dataspace, version 1 (dimensions at byte 8) or 2 (at 4; type 2 null). */
  if (ssz < 4 || (s[0] != 1 && s[0] != 2)) goto bad;
  unsigned rank = s[1], dims_at = s[0] == 1 ? 8 : 4;
  if (rank > 1 || dims_at + (uint64_t)rank * f->sizeof_size > ssz) {
    snprintf(w->why, w->why_size, "it is not a scalar or a list");
    return -1;
  }
  uint64_t count = s[0] == 2 && s[3] == 2 ? 0 : rank ? le(s + dims_at, f->sizeof_size) : 1;
  size_t idlen = 4 + f->sizeof_addr + 4;
  if (count > dlen / idlen) {
    snprintf(w->why, w->why_size, "it holds fewer strings than its dataspace says");
    return -1;
  }
  char **v = calloc(count ? (size_t)count : 1, sizeof *v);
  if (!v) {
    *oom = 1;
    return -1;
  }
  uint64_t data_at = at + (uint64_t)(data - d);
  for (uint64_t i = 0; i < count; i++) {
    size_t len = 0;
    if (!(v[i] = gp_h5heap_string(f, data_at + i * idlen, idlen, &len, w->why, w->why_size, oom))) {
      for (uint64_t j = 0; j < i; j++) free(v[j]);
      free(v);
      return -1;
    }
  }
  *out = v;
  *n = (size_t)count;
  return 1;
bad:
  snprintf(w->why, w->why_size, "its attribute message is malformed");
  return -1;
}

/* Walk the messages of chunk C, each after a header of MH bytes (version 2:
 * type (1), size (2), flags (1) [, creation order (2)]; version 1: type (2),
 * size (2), flags (1), reserved (3)); 1 when NAME was found, 0 not in it,
 * -1 refused. */
static int walk_chunk(oh_walk *w, oh_chunk c, unsigned mh, const char *name, char ***out,
                      size_t *n, int *oom) {
  if (c.len > OH_MAX_BYTES - w->bytes) {
    snprintf(w->why, w->why_size, "its object header is larger than %u bytes", OH_MAX_BYTES);
    return -1;
  }
  w->bytes += c.len;
  unsigned char *buf = malloc(c.len ? (size_t)c.len : 1);
  if (!buf) {
    *oom = 1;
    return -1;
  }
  if (read_at(w->f, buf, (size_t)c.len, c.at)) {
    free(buf);
    snprintf(w->why, w->why_size, "its object header runs past the end of the file");
    return -1;
  }
  int rc = 0;
  unsigned sa = w->f->sizeof_addr, ss = w->f->sizeof_size;
  for (uint64_t q = 0; rc == 0 && c.len - q >= mh;) {
    unsigned type = w->version == 2 ? buf[q] : (unsigned)le(buf + q, 2);
    uint64_t size = le(buf + q + (w->version == 2 ? 1 : 2), 2);
    q += mh;
    if (size > c.len - q) {
      snprintf(w->why, w->why_size, "a message of its object header runs past its chunk");
      rc = -1;
    } else if (type == MSG_CONTINUATION) {
      if (size < (uint64_t)sa + ss) {
        snprintf(w->why, w->why_size, "a continuation message is too short");
        rc = -1;
      } else if (push_chunk(w, le(buf + q, sa), le(buf + q + sa, ss))) {
        rc = -1;
      }
    } else if (type == MSG_ATTRIBUTE) {
      rc = attr_message(w, buf + q, size, c.at + q, name, out, n, oom);
    }
    q += size;
  }
  free(buf);
  return rc;
}

char **gp_h5heap_attr_strings(const gp_h5heap_file *f, uint64_t oh, const char *name, size_t *n,
                              char *why, size_t why_size, int *oom) {
  *n = 0;
  unsigned char pre[16];
  oh_walk w = {.f = f, .why = why, .why_size = why_size};
  if (f->sizeof_addr < 2 || f->sizeof_addr > 8 || f->sizeof_size < 2 || f->sizeof_size > 8) {
    snprintf(why, why_size, "addresses of %u bytes and lengths of %u bytes are not HDF5's",
             f->sizeof_addr, f->sizeof_size);
    return NULL;
  }
  uint64_t at = f->base + oh;
  unsigned mh;
  if (f->base > f->size || oh > f->size - f->base || read_at(f, pre, 16, at)) {
    snprintf(why, why_size, "its object header runs past the end of the file");
    return NULL;
  }
  if (memcmp(pre, "OHDR", 4) == 0 && pre[4] == 2) {
    /* "OHDR", 2, flags [, 4 times] [, 2 phase-change values], chunk 0's size. */
    unsigned flags = pre[5], width = 1u << (flags & 3);
    uint64_t p = at + 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
    unsigned char sz[8];
    if (read_at(f, sz, width, p)) {
      snprintf(why, why_size, "its object header runs past the end of the file");
      return NULL;
    }
    w.version = 2;
    w.chunk[w.nchunks++] = (oh_chunk){p + width, le(sz, width)};
    mh = 4 + (flags & 0x04 ? 2 : 0);
  } else if (pre[0] == 1) {
    /* 1, reserved, messages (2), references (4), chunk 0's size (4), padding (4). */
    w.version = 1;
    w.chunk[w.nchunks++] = (oh_chunk){at + 16, le(pre + 8, 4)};
    mh = 8;
  } else {
    snprintf(why, why_size, "its object header is of no version gpuplan reads");
    return NULL;
  }
  char **out = NULL;
  for (int i = 0; i < w.nchunks; i++) {
    int rc = walk_chunk(&w, w.chunk[i], mh, name, &out, n, oom);
    if (rc > 0) return out;
    if (rc < 0) return NULL;
  }
  snprintf(why, why_size, "its attribute is not in its object header (not as gpuplan stores it)");
  return NULL;
}
