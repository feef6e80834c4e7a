/*
 * models/results/h5heap.h - a variable-length string read straight from an
 * HDF5 file's bytes, without libhdf5's global-heap code.
 *
 * Why: libhdf5 1.10.8 hangs or crashes (H5HG_read under H5T__conv_vlen) when
 * it reads a variable-length string whose global heap is corrupt, and a
 * result file may come from anyone.  gpuplan stores /scenario as a scalar
 * variable-length string in a contiguous dataset, whose raw data is one heap
 * ID: a 4-byte length, the address of a global heap collection (sizeof_addr
 * bytes) and a 4-byte object index, all little-endian.  This module follows
 * that ID through the file format (HDF5 File Format Specification, version
 * 1 global heap: "GCOL", version 1, collection size, then objects of index,
 * reference count, reserved, size and data padded to 8 bytes, ending at
 * index 0, the free space) with pread on a descriptor of the file, checking
 * every length and address against the file's size before using it.  It
 * reads at most the collection's object headers and the string itself; it
 * loops at most once per 16 bytes of the collection.
 *
 * String attributes (format version 3) are variable-length too, and their
 * heap IDs sit in the attribute's message in its object's header, which
 * gpuplan keeps compact (every attribute in the header, never in dense
 * storage).  gp_h5heap_attr_strings finds that message by walking the
 * object header: version 2 as gpuplan writes it ("OHDR", its flags and
 * optional fields, chunk 0's size, messages of type, size, flags and an
 * optional creation order; continuation messages lead to "OCHK" chunks) or
 * version 1 as libhdf5's default and h5py write it (a 16-byte prefix,
 * messages of type, size, flags and 3 reserved bytes; continuations lead to
 * bare runs of messages), and reads each ID's string as above.  Checksums are not verified here: libhdf5 verified them when the
 * caller opened the attribute; every length is checked against its chunk.
 *
 * The module knows nothing of HDF5's API: the caller (models/results/h5in.c)
 * supplies the descriptor, the file's size, its base address (the user
 * block's size) and the two sizes from the file's creation properties.
 */
#ifndef GP_H5HEAP_H
#define GP_H5HEAP_H

#include <stddef.h>
#include <stdint.h>

/* Where and how the file stores things. */
typedef struct gp_h5heap_file {
  int fd;               /* open for reading: a regular file */
  uint64_t size;        /* its size in bytes */
  uint64_t base;        /* HDF5's addresses count from here (the user block's size) */
  unsigned sizeof_addr; /* bytes of an address (2..8) */
  unsigned sizeof_size; /* bytes of a length (2..8) */
} gp_h5heap_file;

/* The string whose heap ID is the ID_LEN bytes at file offset ID_AT
 * (absolute, as H5Dget_offset gives it).  Returns it malloc'd and
 * NUL-terminated with its length in *LEN, or NULL with a reason in WHY (a
 * phrase: "its global heap lies outside the file") and *OOM = 1 when out of
 * memory.  An empty string (length 0) is "" without a look at the heap.  A
 * string holding a NUL byte is refused: no caller could see past it. */
char *gp_h5heap_string(const gp_h5heap_file *f, uint64_t id_at, size_t id_len, size_t *len,
                       char *why, size_t why_size, int *oom);

/* The strings of attribute NAME (a scalar or a 1-D variable-length UTF-8
 * string attribute) of the object whose header is at address OH (relative
 * to the file's base, as libhdf5 gives it).  Returns a malloc'd array of *N
 * malloc'd strings (free each, then the array), or NULL with a reason in WHY
 * (a phrase: "its attribute is not in its object header") and *OOM = 1 when
 * out of memory. */
char **gp_h5heap_attr_strings(const gp_h5heap_file *f, uint64_t oh, const char *name, size_t *n,
                              char *why, size_t why_size, int *oom);

#endif /* GP_H5HEAP_H */
