/*
 * models/results/h5in.c - reading gpuplan result files (see h5in.h).
 *
 * Invariants:
 *  - Every hid_t a function opens is closed before it returns, on every path;
 *    between calls only the file and its access property lists are open.
 *  - HDF5 clears its error stack on entry to every API call, so the detail of
 *    a failure is copied out (note()) at the failing call, before cleanup.
 *  - Messages start with the file's path; problems with the file's content
 *    are GP_EX_DATAERR, running out of memory GP_EX_OSERR.
 *  - Functions that return arrays return a non-NULL pointer on success even
 *    when there are no elements, so NULL always means failure.
 *  - A result file may come from anyone, and libhdf5 1.10 trusts what it
 *    reads.  So: only a regular file is opened (never a FIFO or a device,
 *    and HDF5 must open the very file that was checked); no external link is
 *    followed and no dataset whose data lies in another file, in a virtual
 *    layout or behind a filter gpuplan does not write is read; every read is
 *    sized from the file's own storage first (plausible()), so a forged
 *    dimension is refused instead of allocated; variable-length strings (the
 *    /scenario dataset; string attributes since format version 3) are read
 *    from the file's bytes by models/results/h5heap.c, never by libhdf5's
 *    global-heap code, which hangs or crashes on a corrupt heap; fixed-length
 *    ones (versions 1 and 2) by libhdf5.  Nothing here waits on anything but
 *    the file's own bytes.
 *  - Every read looks at the stop flag first (sim/interrupt.h): after
 *    SIGINT or SIGTERM it fails with GP_EX_SIGNAL + N, so that a command
 *    reading a large file stops between two reads.
 */
#include "models/results/h5in.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "models/results/h5heap.h"
#include "sim/interrupt.h"

/* The most deflate can inflate: 1032 bytes out per byte in, and some slack. */
#define H5IN_INFLATE 1100

struct gp_h5in {
  hid_t file;         /* open read-only */
  hid_t lapl;         /* link access for every call by name: external links are */
  hid_t dapl, gapl;   /* never traversed (the same for datasets and groups) */
  gp_h5heap_file raw; /* the same file through our own descriptor: its size, */
                      /* base address and sizes, for the global heap */
  char *path;         /* as given; starts every message */
  char detail[512];   /* why the last HDF5 call failed */
};

/* ---- HDF5 errors ---- */

/* H5Ewalk2 callback: keep the most specific entry (n == 0, walking upward). */
static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data) {
  char *buf = data;
  if (n != 0) return 0;
  if (e->desc && e->desc[0]) {
    snprintf(buf, 512, "%s", e->desc);
  } else {
    char msg[256];
    if (H5Eget_msg(e->min_num, NULL, msg, sizeof msg) > 0) snprintf(buf, 512, "%s", msg);
  }
  return 0;
}

/* The innermost description on HDF5's error stack into BUF[512]; a failed
 * system call is reported as strerror(errno). */
static void h5_detail(char *buf) {
  buf[0] = '\0';
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_cb, buf);
  const char *e = strstr(buf, "errno = ");
  if (e) {
    int no = atoi(e + 8);
    if (no > 0) snprintf(buf, 512, "%s", strerror(no));
  }
  if (!buf[0]) snprintf(buf, 512, "HDF5 error");
}

static void note(gp_h5in *h) { h5_detail(h->detail); }

static void h5_close(hid_t id) {
  if (id < 0) return;
  switch (H5Iget_type(id)) {
  case H5I_FILE: H5Fclose(id); break;
  case H5I_GROUP: H5Gclose(id); break;
  case H5I_DATASET: H5Dclose(id); break;
  case H5I_ATTR: H5Aclose(id); break;
  case H5I_DATATYPE: H5Tclose(id); break;
  case H5I_DATASPACE: H5Sclose(id); break;
  case H5I_GENPROP_LST: H5Pclose(id); break;
  default: break;
  }
}

/* ---- file ---- */

/* External links lead to other files: never followed (H5Pset_elink_cb). */
static herr_t no_external(const char *parent_file, const char *parent_group,
                          const char *child_file, const char *child_object, unsigned *flags,
                          hid_t fapl, void *data) {
  (void)parent_file, (void)parent_group, (void)child_file, (void)child_object;
  (void)flags, (void)fapl, (void)data;
  return -1;
}

/* An access property list of CLASS that refuses external links. */
static hid_t no_external_pl(hid_t cls) {
  hid_t p = H5Pcreate(cls);
  if (p >= 0 && H5Pset_elink_cb(p, no_external, NULL) < 0) {
    H5Pclose(p);
    p = -1;
  }
  return p;
}

static const char *file_kind(mode_t m) {
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

/* Open PATH for our own reads: a regular file (O_NONBLOCK: opening a FIFO
 * must not wait for a writer).  Fills *ST; -1 with ERR set otherwise. */
static int open_regular(const char *path, struct stat *st, gp_err *err) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
  if (fstat(fd, st) != 0) {
    int e = errno;
    close(fd);
    return GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(e));
  }
  if (!S_ISREG(st->st_mode)) {
    close(fd);
    if (S_ISDIR(st->st_mode))
      return GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(EISDIR));
    return GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s, not a regular file", path,
                  file_kind(st->st_mode));
  }
  return fd;
}

/* After H5Fopen: the file HDF5 opened is the one checked (a rename in
 * between could have put a FIFO there), and its sizes and base address. */
static int file_layout(gp_h5in *h, const struct stat *st) {
  void *vh = NULL;
  struct stat now;
  if (H5Fget_vfd_handle(h->file, H5P_DEFAULT, &vh) < 0 || !vh ||
      fstat(*(const int *)vh, &now) != 0 || now.st_dev != st->st_dev ||
      now.st_ino != st->st_ino) {
    snprintf(h->detail, sizeof h->detail, "the file changed while it was being opened");
    return -1;
  }
  hid_t fcpl = H5Fget_create_plist(h->file);
  size_t sa = 0, ss = 0;
  hsize_t ub = 0;
  int rc = fcpl < 0 || H5Pget_sizes(fcpl, &sa, &ss) < 0 || H5Pget_userblock(fcpl, &ub) < 0;
  if (rc) note(h);
  h5_close(fcpl);
  if (rc) return -1;
  h->raw.sizeof_addr = (unsigned)sa;
  h->raw.sizeof_size = (unsigned)ss;
  h->raw.base = ub;
  return 0;
}

gp_h5in *gp_h5in_open(const char *path, gp_err *err) {
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  /* Ask the OS first: HDF5 would bury "no such file" under three layers,
   * and would wait forever on a FIFO. */
  struct stat st;
  int fd = open_regular(path, &st, err);
  if (fd < 0) return NULL;
  gp_h5in *h = calloc(1, sizeof *h);
  if (!h || !(h->path = strdup(path))) {
    free(h);
    close(fd);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  h->file = h->lapl = h->dapl = h->gapl = -1;
  h->raw.fd = fd;
  h->raw.size = (uint64_t)st.st_size;
  htri_t is = H5Fis_hdf5(path);
  if (is == 0) {
    GP_ERR(err, GP_EX_DATAERR, "%s: not an HDF5 file", path);
    gp_h5in_close(h);
    return NULL;
  }
  hid_t fapl = -1;
  if (is < 0 || (fapl = H5Pcreate(H5P_FILE_ACCESS)) < 0 || H5Pset_file_locking(fapl, 1, 1) < 0 ||
      (h->file = H5Fopen(path, H5F_ACC_RDONLY, fapl)) < 0 ||
      (h->lapl = no_external_pl(H5P_LINK_ACCESS)) < 0 ||
      (h->dapl = no_external_pl(H5P_DATASET_ACCESS)) < 0 ||
      (h->gapl = no_external_pl(H5P_GROUP_ACCESS)) < 0) {
    note(h);
    h5_close(fapl);
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read: %s", path, h->detail);
    gp_h5in_close(h);
    return NULL;
  }
  H5Pclose(fapl);
  if (file_layout(h, &st)) {
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read: %s", path, h->detail);
    gp_h5in_close(h);
    return NULL;
  }
  htri_t has = H5Aexists_by_name(h->file, "/", "gpuplan_version", h->lapl);
  if (has <= 0) {
    if (has < 0) {
      note(h);
      GP_ERR(err, GP_EX_DATAERR, "%s: cannot read: %s", path, h->detail);
    } else {
      GP_ERR(err, GP_EX_DATAERR, "%s: not a gpuplan result file (no gpuplan_version attribute)",
             path);
    }
    gp_h5in_close(h);
    return NULL;
  }
  return h;
}

void gp_h5in_close(gp_h5in *h) {
  if (!h) return;
  h5_close(h->lapl);
  h5_close(h->dapl);
  h5_close(h->gapl);
  if (h->file >= 0) H5Fclose(h->file);
  if (h->raw.fd >= 0) close(h->raw.fd);
  free(h->path);
  free(h);
}

/* 1 when PATH leads to an object, 0 when it does not, -1 when a link on
 * the way is one gpuplan does not follow (external or user-defined; the
 * reason in h->detail).  H5Lexists wants every component but the last to
 * exist, and each link is checked before it is followed: walk down. */
static int locate(gp_h5in *h, const char *path) {
  if (!path || !path[0]) return 0;
  char *p = strdup(path);
  if (!p) return 0;
  int found = 1;
  for (char *s = p + 1; found == 1; s++) { /* p[0]: the root or a name's start */
    char c = *s;
    if (c != '/' && c != '\0') continue;
    if (s[-1] != '/') {
      *s = '\0';
      H5L_info_t li;
      if (H5Lexists(h->file, p, h->lapl) <= 0 || H5Lget_info(h->file, p, &li, h->lapl) < 0) {
        found = 0;
      } else if (li.type != H5L_TYPE_HARD && li.type != H5L_TYPE_SOFT) {
        snprintf(h->detail, sizeof h->detail, "%.200s is %s link; gpuplan follows none", p,
                 li.type == H5L_TYPE_EXTERNAL ? "an external" : "a user-defined");
        found = -1;
      }
      *s = c;
    }
    if (!c) break;
  }
  /* The last link must also lead somewhere (not a dangling soft link). */
  if (found == 1 && strcmp(p, "/") != 0) found = H5Oexists_by_name(h->file, p, h->lapl) > 0;
  free(p);
  return found;
}

int gp_h5in_exists(gp_h5in *h, const char *path) { return h ? locate(h, path) : 0; }

int gp_h5in_has_attr(gp_h5in *h, const char *path, const char *name) {
  int found = h ? locate(h, path) : 0;
  if (found != 1) return found;
  htri_t e = H5Aexists_by_name(h->file, path, name, h->lapl);
  return e < 0 ? -1 : e > 0;
}

int gp_h5in_has_field(gp_h5in *h, const char *path, const char *name) {
  if (!h || locate(h, path) != 1) return 0;
  hid_t d = H5Dopen2(h->file, path, h->dapl), t = d < 0 ? -1 : H5Dget_type(d);
  int has = t >= 0 && H5Tget_class(t) == H5T_COMPOUND && H5Tget_member_index(t, name) >= 0;
  h5_close(t);
  h5_close(d);
  return has;
}

/* 0 when PATH leads to an object; else -1 with ERR set ("not found", or
 * the link that is not followed). */
static int must_exist(gp_h5in *h, const char *path, gp_err *err) {
  int sig = (int)gp_interrupted; /* every read starts here: the place to stop */
  if (sig) return GP_ERR(err, GP_EX_SIGNAL + sig, "%s: interrupted by signal %d", h->path, sig);
  int found = locate(h, path);
  if (found == 1) return 0;
  if (found < 0) return GP_ERR(err, GP_EX_DATAERR, "%s: %s", h->path, h->detail);
  return GP_ERR(err, GP_EX_DATAERR, "%s: %s not found", h->path, path);
}

/* 0 when NEED bytes of data are what STORED bytes in the file can hold
 * (FACTOR times as many when compressed), so that a forged dimension is
 * refused rather than allocated; else -1 with h->detail set. */
static int plausible(gp_h5in *h, uint64_t need, uint64_t stored, unsigned factor) {
  uint64_t cap = stored < h->raw.size ? stored : h->raw.size;
  if (need == 0 || (cap > 0 && (need - 1) / factor < cap)) return 0;
  snprintf(h->detail, sizeof h->detail, "%llu bytes of data claimed in %llu bytes of the file",
           (unsigned long long)need, (unsigned long long)cap);
  return -1;
}

/* N elements of SIZE bytes, as bytes; UINT64_MAX when that overflows. */
static uint64_t bytes_of(uint64_t n, size_t size) {
  return size && n > UINT64_MAX / size ? UINT64_MAX : n * size;
}

/* ---- strings ---- */

/* The address of the header of the object at PATH; -1 with h->detail set. */
static int header_addr(gp_h5in *h, const char *path, uint64_t *addr) {
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info;
  haddr_t a = HADDR_UNDEF;
  if (H5Oget_info_by_name3(h->file, path, &info, H5O_INFO_BASIC, h->lapl) < 0 ||
      H5VLnative_token_to_addr(h->file, info.token, &a) < 0) {
#else
  H5O_info_t info;
  if (H5Oget_info_by_name2(h->file, path, &info, H5O_INFO_BASIC, h->lapl) < 0) {
#endif
    note(h);
    return -1;
  }
#if H5_VERSION_GE(1, 12, 0)
  *addr = a;
#else
  *addr = info.addr;
#endif
  return 0;
}

/* The NPTS variable-length strings of attribute NAME of PATH, read from the
 * file's bytes (h5heap.h); NULL with h->detail set. */
static char **read_vlen_strings(gp_h5in *h, const char *path, const char *name, size_t npts,
                                int *oom) {
  uint64_t oh;
  size_t n = 0;
  if (header_addr(h, path, &oh)) return NULL;
  char **v = gp_h5heap_attr_strings(&h->raw, oh, name, &n, h->detail, sizeof h->detail, oom);
  if (v && n != npts) {
    snprintf(h->detail, sizeof h->detail, "its header holds %zu strings, its dataspace %zu", n,
             npts);
    gp_h5in_free_names(v, n);
    v = NULL;
  }
  return v;
}

/* The string value of scalar string attribute NAME (handle A) of PATH,
 * malloc'd; NULL with h->detail set on failure (*OOM = 1 when out of
 * memory). */
static char *read_attr_string(gp_h5in *h, hid_t a, const char *path, const char *name, int *oom) {
  char *out = NULL;
  hid_t t = -1, sp = -1;
  hssize_t npts = -1;
  if ((t = H5Aget_type(a)) < 0 || (sp = H5Aget_space(a)) < 0 ||
      (npts = H5Sget_simple_extent_npoints(sp)) < 0) {
    note(h);
    goto done;
  }
  htri_t vl = H5Tget_class(t) == H5T_STRING ? H5Tis_variable_str(t) : 0;
  size_t size = H5Tget_size(t);
  if (H5Tget_class(t) != H5T_STRING || npts != 1) {
    snprintf(h->detail, sizeof h->detail, "not a scalar string");
  } else if (vl < 0) {
    note(h);
  } else if (vl > 0) {
    char **v = read_vlen_strings(h, path, name, 1, oom);
    if (v) {
      out = v[0];
      free(v);
    }
  } else if (plausible(h, size, h->raw.size, 1) == 0) {
    if (!(out = calloc(size + 1, 1))) {
      *oom = 1;
      goto done;
    }
    /* Read with the file's own type: the bytes as stored, no conversion. */
    if (H5Aread(a, t, out) < 0) {
      note(h);
      free(out);
      out = NULL;
      goto done;
    }
    if (H5Tget_strpad(t) == H5T_STR_SPACEPAD)
      for (size_t n = strlen(out); n > 0 && out[n - 1] == ' '; n--) out[n - 1] = '\0';
  }
done:
  h5_close(sp);
  h5_close(t);
  return out;
}

/* Open attribute NAME of object PATH, or -1 with the error reported. */
static hid_t open_attr(gp_h5in *h, const char *path, const char *name, gp_err *err) {
  if (must_exist(h, path, err)) return -1;
  htri_t ex = H5Aexists_by_name(h->file, path, name, h->lapl);
  hid_t a = ex > 0 ? H5Aopen_by_name(h->file, path, name, H5P_DEFAULT, h->lapl) : -1;
  if (ex == 0) {
    GP_ERR(err, GP_EX_DATAERR, "%s: no attribute %s on %s", h->path, name, path);
  } else if (a < 0) {
    note(h);
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read attribute %s of %s: %s", h->path, name, path,
           h->detail);
  }
  return a;
}

char *gp_h5in_attr_string(gp_h5in *h, const char *path, const char *name, gp_err *err) {
  hid_t a = open_attr(h, path, name, err);
  if (a < 0) return NULL;
  int oom = 0;
  char *s = read_attr_string(h, a, path, name, &oom);
  H5Aclose(a);
  if (oom) GP_ERR_NOMEM(err);
  else if (!s)
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read attribute %s of %s: %s", h->path, name, path,
           h->detail);
  return s;
}

/* The NPTS strings of attribute NAME (handle A) of PATH into a malloc'd
 * array of malloc'd strings; NULL with h->detail set on failure (*OOM = 1
 * when out of memory). */
static char **read_strings(gp_h5in *h, hid_t a, const char *path, const char *name, size_t npts,
                           int *oom) {
  char **out = calloc(npts ? npts : 1, sizeof *out), *buf = NULL;
  hid_t t = -1;
  int ok = 0;
  if (!out) {
    *oom = 1;
    return NULL;
  }
  if ((t = H5Aget_type(a)) < 0) {
    note(h);
    goto done;
  }
  if (H5Tget_class(t) != H5T_STRING) {
    snprintf(h->detail, sizeof h->detail, "not strings");
    goto done;
  }
  htri_t isvl = H5Tis_variable_str(t);
  size_t w = H5Tget_size(t);
  if (isvl < 0) {
    note(h);
    goto done;
  }
  if (isvl > 0) {
    h5_close(t);
    free(out);
    return read_vlen_strings(h, path, name, npts, oom);
  }
  if (!w || plausible(h, bytes_of(npts, w), h->raw.size, 1)) {
    if (!w) snprintf(h->detail, sizeof h->detail, "strings of no size");
    goto done;
  }
  if (!(buf = calloc(npts * w + 1, 1))) {
    *oom = 1;
    goto done;
  }
  /* The file's own type: the bytes as stored; strings are not necessarily
   * terminated within their W bytes. */
  if (H5Aread(a, t, buf) < 0) {
    note(h);
    goto done;
  }
  ok = 1;
  for (size_t i = 0; i < npts && ok; i++) {
    const char *s = buf + i * w;
    size_t len = 0;
    while (len < w && s[len]) len++;
    if (H5Tget_strpad(t) == H5T_STR_SPACEPAD)
      while (len > 0 && s[len - 1] == ' ') len--;
    if (!(out[i] = malloc(len + 1))) ok = 0, *oom = 1;
    else memcpy(out[i], s, len), out[i][len] = '\0';
  }
done:
  free(buf);
  h5_close(t);
  if (!ok) {
    gp_h5in_free_names(out, npts);
    return NULL;
  }
  return out;
}

char **gp_h5in_attr_strings(gp_h5in *h, const char *path, const char *name, size_t *n,
                            gp_err *err) {
  *n = 0;
  hid_t a = open_attr(h, path, name, err);
  if (a < 0) return NULL;
  int oom = 0, rank = -1;
  hssize_t npts = -1;
  char **v = NULL;
  hid_t sp = H5Aget_space(a);
  if (sp < 0 || (rank = H5Sget_simple_extent_ndims(sp)) < 0 ||
      (npts = H5Sget_simple_extent_npoints(sp)) < 0)
    note(h);
  else if (rank > 1)
    snprintf(h->detail, sizeof h->detail, "not a list of strings");
  else
    v = read_strings(h, a, path, name, (size_t)npts, &oom);
  h5_close(sp);
  H5Aclose(a);
  if (oom) GP_ERR_NOMEM(err);
  else if (!v)
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read attribute %s of %s: %s", h->path, name, path,
           h->detail);
  else *n = (size_t)npts;
  return v;
}

int gp_h5in_attr_double(gp_h5in *h, const char *path, const char *name, double *out,
                        gp_err *err) {
  hid_t a = open_attr(h, path, name, err);
  if (a < 0) return -1;
  int rc = -1;
  hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
  H5T_class_t c = t < 0 ? H5T_NO_CLASS : H5Tget_class(t);
  if (t < 0 || sp < 0) {
    note(h);
  } else if ((c != H5T_INTEGER && c != H5T_FLOAT) || H5Sget_simple_extent_npoints(sp) != 1) {
    snprintf(h->detail, sizeof h->detail, "not a scalar number");
  } else if (H5Aread(a, H5T_NATIVE_DOUBLE, out) < 0) {
    note(h);
  } else {
    rc = 0;
  }
  h5_close(sp);
  h5_close(t);
  H5Aclose(a);
  if (rc)
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read attribute %s of %s: %s", h->path, name, path,
           h->detail);
  return rc;
}

/* ---- datasets ---- */

/* How a dataset's data is stored: bytes in the file, and how much larger
 * they may read (H5IN_INFLATE when deflated, else 1). */
typedef struct stored {
  uint64_t bytes;
  unsigned factor;
} stored;

/* 1 for the filters gpuplan's writer uses (and fletcher32, a checksum). */
static int known_filter(H5Z_filter_t f) {
  return f == H5Z_FILTER_DEFLATE || f == H5Z_FILTER_SHUFFLE || f == H5Z_FILTER_FLETCHER32;
}

/* Every chunk of chunked dataset D lies within the file. */
static int chunks_in_file(gp_h5in *h, hid_t d) {
  hid_t sp = H5Dget_space(d);
  hsize_t n = 0;
  int rc = 0;
  if (sp < 0 || H5Dget_num_chunks(d, sp, &n) < 0) {
    note(h);
    rc = -1;
  }
  for (hsize_t i = 0; i < n && !rc; i++) {
    haddr_t addr = HADDR_UNDEF;
    hsize_t size = 0;
    if (H5Dget_chunk_info(d, sp, i, NULL, NULL, &addr, &size) < 0) {
      note(h);
      rc = -1;
    } else if (addr == HADDR_UNDEF || addr > h->raw.size - h->raw.base ||
               size > h->raw.size - h->raw.base - addr) {
      snprintf(h->detail, sizeof h->detail, "a chunk of its data lies outside the file");
      rc = -1;
    }
  }
  h5_close(sp);
  return rc;
}

/* Check that D's data is stored in this file, in a way gpuplan reads: not
 * in external files or a virtual layout, with known filters, its chunks
 * within the file; *S gets how much is stored.  -1 with h->detail set. */
static int check_storage(gp_h5in *h, hid_t d, stored *s) {
  hid_t dcpl = H5Dget_create_plist(d);
  if (dcpl < 0) {
    note(h);
    return -1;
  }
  int rc = -1, nf = -1;
  H5D_layout_t lay = H5Pget_layout(dcpl);
  s->bytes = H5Dget_storage_size(d);
  s->factor = 1;
  if (lay != H5D_CONTIGUOUS && lay != H5D_CHUNKED && lay != H5D_COMPACT) {
    if (lay < 0) note(h);
    else snprintf(h->detail, sizeof h->detail, "a virtual dataset (its data is in other files)");
  } else if (H5Pget_external_count(dcpl) != 0) {
    snprintf(h->detail, sizeof h->detail, "its data is in other files");
  } else if ((nf = H5Pget_nfilters(dcpl)) < 0) {
    note(h);
  } else {
    rc = 0;
    for (int i = 0; i < nf && !rc; i++) {
      unsigned flags = 0, config = 0;
      size_t ncd = 0;
      H5Z_filter_t f = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, NULL, 0, NULL, &config);
      if (!known_filter(f)) {
        snprintf(h->detail, sizeof h->detail, "compressed with filter %d, which gpuplan does not use",
                 (int)f);
        rc = -1;
      }
      if (f == H5Z_FILTER_DEFLATE) s->factor = H5IN_INFLATE;
    }
    if (!rc && lay == H5D_CHUNKED) rc = chunks_in_file(h, d);
  }
  H5Pclose(dcpl);
  return rc;
}

/* Open dataset PATH and check its storage (*S), or -1 with the error
 * reported. */
static hid_t open_dataset(gp_h5in *h, const char *path, stored *s, gp_err *err) {
  if (must_exist(h, path, err)) return -1;
  hid_t d = H5Dopen2(h->file, path, h->dapl);
  if (d < 0) {
    note(h);
  } else if (check_storage(h, d, s)) {
    H5Dclose(d);
    d = -1;
  }
  if (d < 0) GP_ERR(err, GP_EX_DATAERR, "%s: cannot read %s: %s", h->path, path, h->detail);
  return d;
}

/* The text of scalar string dataset D, malloc'd; NULL with h->detail set
 * on failure (*OOM = 1 when out of memory).  A variable-length string is
 * read from the file's bytes (h5heap.h), a fixed-length one as stored. */
static char *read_text(gp_h5in *h, hid_t d, const stored *s, int *oom) {
  char *out = NULL;
  hid_t t = -1, sp = -1, dcpl = -1;
  hssize_t npts = -1;
  if ((t = H5Dget_type(d)) < 0 || (sp = H5Dget_space(d)) < 0 ||
      (npts = H5Sget_simple_extent_npoints(sp)) < 0) {
    note(h);
    goto done;
  }
  htri_t vl = H5Tget_class(t) == H5T_STRING ? H5Tis_variable_str(t) : 0;
  if (H5Tget_class(t) != H5T_STRING || npts != 1) {
    snprintf(h->detail, sizeof h->detail, "not a scalar string");
  } else if (vl > 0) {
    haddr_t at = H5Dget_offset(d);
    if ((dcpl = H5Dget_create_plist(d)) < 0) {
      note(h);
    } else if (H5Pget_layout(dcpl) != H5D_CONTIGUOUS || at == HADDR_UNDEF) {
      snprintf(h->detail, sizeof h->detail, "text not stored as gpuplan stores it (contiguous)");
    } else {
      size_t len = 0;
      out = gp_h5heap_string(&h->raw, at, (size_t)s->bytes, &len, h->detail, sizeof h->detail, oom);
    }
  } else if (vl == 0) {
    size_t size = H5Tget_size(t);
    if (plausible(h, size, s->bytes, s->factor)) goto done;
    if (!(out = calloc(size + 1, 1))) {
      *oom = 1;
      goto done;
    }
    /* Read with the file's own type: the bytes as stored, no conversion. */
    if (H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
      note(h);
      free(out);
      out = NULL;
      goto done;
    }
    if (H5Tget_strpad(t) == H5T_STR_SPACEPAD)
      for (size_t n = strlen(out); n > 0 && out[n - 1] == ' '; n--) out[n - 1] = '\0';
  } else {
    note(h);
  }
done:
  h5_close(dcpl);
  h5_close(sp);
  h5_close(t);
  return out;
}

char *gp_h5in_text(gp_h5in *h, const char *path, gp_err *err) {
  stored s;
  hid_t d = open_dataset(h, path, &s, err);
  if (d < 0) return NULL;
  int oom = 0;
  char *txt = read_text(h, d, &s, &oom);
  H5Dclose(d);
  if (oom) GP_ERR_NOMEM(err);
  else if (!txt)
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read %s: %s", h->path, path, h->detail);
  return txt;
}

/* ---- groups ---- */

typedef struct name_list {
  char **v;    /* names so far, strdup'd */
  size_t n;    /* used */
  size_t cap;  /* allocated */
  int oom;     /* 1 once an allocation failed */
} name_list;

static herr_t list_cb(hid_t g, const char *name, const H5L_info_t *info, void *data) {
  (void)g, (void)info;
  name_list *l = data;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v) {
      l->oom = 1;
      return -1;
    }
    l->v = v, l->cap = cap;
  }
  if (!(l->v[l->n] = strdup(name))) {
    l->oom = 1;
    return -1;
  }
  l->n++;
  return 0;
}

void gp_h5in_free_names(char **names, size_t n) {
  if (!names) return;
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}

char **gp_h5in_list(gp_h5in *h, const char *path, size_t *n, gp_err *err) {
  *n = 0;
  if (must_exist(h, path, err)) return NULL;
  name_list l = {NULL, 0, 0, 0};
  hid_t g = H5Gopen2(h->file, path, h->gapl);
  herr_t rc = -1;
  if (g >= 0) {
    rc = H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, NULL, list_cb, &l);
    if (rc < 0 && !l.oom) {
      /* Creation order not tracked (a file from another writer): by name. */
      gp_h5in_free_names(l.v, l.n);
      l.v = NULL, l.n = l.cap = 0;
      rc = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, list_cb, &l);
    }
  }
  if (rc < 0 && !l.oom) note(h);
  h5_close(g);
  if (!l.oom && rc >= 0 && !l.v && !(l.v = malloc(sizeof *l.v))) l.oom = 1;
  if (l.oom || rc < 0) {
    gp_h5in_free_names(l.v, l.n);
    if (l.oom) GP_ERR_NOMEM(err);
    else GP_ERR(err, GP_EX_DATAERR, "%s: cannot list %s: %s", h->path, path, h->detail);
    return NULL;
  }
  *n = l.n;
  return l.v;
}

/* ---- tables ---- */

/* A transfer property list whose conversion buffers hold N elements of
 * SIZE bytes (at least one, at most HDF5's default of 1 MiB): HDF5 would
 * otherwise allocate and clear two 1 MiB buffers for every read that
 * converts, however small.  -1 when HDF5 refuses (noted). */
static hid_t xfer_for(gp_h5in *h, uint64_t n, size_t size) {
  uint64_t want = bytes_of(n ? n : 1, size);
  if (want > 1 << 20) want = 1 << 20;
  if (want < size) want = size;
  hid_t x = H5Pcreate(H5P_DATASET_XFER);
  if (x >= 0 && H5Pset_buffer(x, (size_t)want, NULL, NULL) < 0) {
    H5Pclose(x);
    x = -1;
  }
  if (x < 0) note(h);
  return x;
}

/* The HDF5 type of enum field F over native int8 (same names as the writer). */
static hid_t enum_type(gp_h5in *h, const gp_field *f) {
  hid_t t = H5Tenum_create(H5T_NATIVE_INT8);
  if (t < 0) return -1;
  for (int i = 0; i < f->enum_count; i++) {
    int8_t v = (int8_t)i;
    if (H5Tenum_insert(t, f->enum_names[i], &v) < 0) {
      note(h);
      H5Tclose(t);
      return -1;
    }
  }
  return t;
}

/* The in-memory compound type of DESC (struct offsets, native types). */
static hid_t mem_type(gp_h5in *h, const gp_table_desc *desc, const unsigned char *absent) {
  hid_t t = H5Tcreate(H5T_COMPOUND, desc->row_size);
  if (t < 0) return -1;
  for (int i = 0; i < desc->nfields; i++) {
    const gp_field *f = &desc->fields[i];
    hid_t m = -1;
    if (absent && absent[i]) continue;
    switch (f->type) {
    case GP_F_INT32: m = H5T_NATIVE_INT32; break;
    case GP_F_INT64: m = H5T_NATIVE_INT64; break;
    case GP_F_DOUBLE: m = H5T_NATIVE_DOUBLE; break;
    case GP_F_ENUM: m = enum_type(h, f); break;
    }
    herr_t rc = m < 0 ? -1 : H5Tinsert(t, f->name, f->offset, m);
    if (rc < 0 && m >= 0) note(h);
    if (f->type == GP_F_ENUM) h5_close(m);
    if (rc < 0) {
      H5Tclose(t);
      return -1;
    }
  }
  return t;
}

/* 1 if NAME is one of F's enum names. */
static int enum_has(const gp_field *f, const char *name) {
  for (int i = 0; i < f->enum_count; i++)
    if (strcmp(f->enum_names[i], name) == 0) return 1;
  return 0;
}

/* Check that every field of DESC is in file type FT with a convertible type;
 * on a mismatch write the reason to WHY and return -1. */
static int check_fields(gp_h5in *h, hid_t ft, const gp_table_desc *desc, unsigned char *absent,
                        char *why, size_t sz) {
  for (int i = 0; i < desc->nfields; i++) {
    const gp_field *f = &desc->fields[i];
    int k = H5Tget_member_index(ft, f->name);
    if (k < 0 && absent && f->type == GP_F_DOUBLE) {
      absent[i] = 1;
      continue;
    }
    if (k < 0) {
      snprintf(why, sz, "field %s missing", f->name);
      return -1;
    }
    H5T_class_t c = H5Tget_member_class(ft, (unsigned)k);
    if (f->type != GP_F_ENUM && c != H5T_INTEGER && c != H5T_FLOAT) {
      snprintf(why, sz, "field %s is not a number", f->name);
      return -1;
    }
    if (f->type != GP_F_ENUM) continue;
    if (c != H5T_ENUM) {
      snprintf(why, sz, "field %s is not an enum", f->name);
      return -1;
    }
    /* A stored name we do not know would silently read as -1: refuse. */
    hid_t mt = H5Tget_member_type(ft, (unsigned)k);
    int nm = mt < 0 ? -1 : H5Tget_nmembers(mt), bad = nm < 0;
    for (int j = 0; j < nm && !bad; j++) {
      char *name = H5Tget_member_name(mt, (unsigned)j);
      if (!name || !enum_has(f, name)) {
        snprintf(why, sz, "field %s: enum value %s unknown", f->name, name ? name : "?");
        bad = 1;
      }
      if (name) H5free_memory(name);
    }
    if (nm < 0) {
      note(h);
      snprintf(why, sz, "field %s: %s", f->name, h->detail);
    }
    h5_close(mt);
    if (bad) return -1;
  }
  return 0;
}

/* 1 when type T holds strings, variable-length data or references: a table
 * of numbers never does, and reading them would touch the global heap. */
static int holds_pointers(hid_t t) {
  return H5Tdetect_class(t, H5T_STRING) != 0 || H5Tdetect_class(t, H5T_VLEN) != 0 ||
         H5Tdetect_class(t, H5T_REFERENCE) != 0;
}

/* gp_h5in_table and gp_h5in_table_nan: with ABSENT (desc->nfields flags,
 * all 0), a double field missing in the file is flagged there and read as
 * NaN. */
static void *table(gp_h5in *h, const char *path, const gp_table_desc *desc, unsigned char *absent,
                   size_t *nrows, gp_err *err) {
  *nrows = 0;
  stored s;
  hid_t d = open_dataset(h, path, &s, err);
  if (d < 0) return NULL;
  char why[600] = "";
  void *rows = NULL;
  int oom = 0;
  hid_t ft = H5Dget_type(d), sp = H5Dget_space(d), mt = -1, xf = -1;
  hsize_t dim = 0;
  if (ft < 0 || sp < 0) {
    note(h);
    snprintf(why, sizeof why, "%s", h->detail);
  } else if (H5Tget_class(ft) != H5T_COMPOUND || H5Sget_simple_extent_ndims(sp) != 1) {
    snprintf(why, sizeof why, "not a table");
  } else if (holds_pointers(ft)) {
    snprintf(why, sizeof why, "a table of more than numbers");
  } else if (check_fields(h, ft, desc, absent, why, sizeof why) == 0) {
    H5Sget_simple_extent_dims(sp, &dim, NULL);
    if (plausible(h, bytes_of(dim, H5Tget_size(ft)), s.bytes, s.factor)) {
      snprintf(why, sizeof why, "%s", h->detail);
    } else if (dim > SIZE_MAX / (desc->row_size ? desc->row_size : 1) ||
        !(rows = calloc(dim ? (size_t)dim : 1, desc->row_size ? desc->row_size : 1))) {
      oom = 1;
    } else if ((mt = mem_type(h, desc, absent)) < 0 ||
               (xf = xfer_for(h, dim, H5Tget_size(ft) > desc->row_size ? H5Tget_size(ft)
                                                                        : desc->row_size)) < 0 ||
               (dim && H5Dread(d, mt, H5S_ALL, H5S_ALL, xf, rows) < 0)) {
      note(h);
      snprintf(why, sizeof why, "%s", h->detail);
      free(rows);
      rows = NULL;
    }
  }
  h5_close(xf);
  h5_close(mt);
  h5_close(sp);
  h5_close(ft);
  H5Dclose(d);
  if (oom) GP_ERR_NOMEM(err);
  else if (!rows) GP_ERR(err, GP_EX_DATAERR, "%s: %s: %s", h->path, path, why);
  else *nrows = (size_t)dim;
  for (int i = 0; rows && absent && i < desc->nfields; i++)
    for (size_t j = 0; absent[i] && j < *nrows; j++)
      *(double *)((char *)rows + j * desc->row_size + desc->fields[i].offset) = NAN;
  return rows;
}

void *gp_h5in_table(gp_h5in *h, const char *path, const gp_table_desc *desc, size_t *nrows,
                    gp_err *err) {
  return table(h, path, desc, NULL, nrows, err);
}

void *gp_h5in_table_nan(gp_h5in *h, const char *path, const gp_table_desc *desc, size_t *nrows,
                        gp_err *err) {
  unsigned char *absent = calloc(desc->nfields > 0 ? (size_t)desc->nfields : 1, 1);
  if (!absent) return *nrows = 0, GP_ERR_NOMEM(err), NULL;
  void *rows = table(h, path, desc, absent, nrows, err);
  free(absent);
  return rows;
}

double *gp_h5in_matrix(gp_h5in *h, const char *path, size_t *rows, size_t *cols, gp_err *err) {
  *rows = *cols = 0;
  stored s;
  hid_t d = open_dataset(h, path, &s, err);
  if (d < 0) return NULL;
  char why[600] = "";
  double *m = NULL;
  int oom = 0;
  hid_t ft = H5Dget_type(d), sp = H5Dget_space(d), xf = -1;
  hsize_t dims[2] = {0, 1};
  int rank = sp < 0 ? -1 : H5Sget_simple_extent_ndims(sp);
  H5T_class_t c = ft < 0 ? H5T_NO_CLASS : H5Tget_class(ft);
  if (ft < 0 || rank < 0) {
    note(h);
    snprintf(why, sizeof why, "%s", h->detail);
  } else if ((c != H5T_FLOAT && c != H5T_INTEGER) || rank < 1 || rank > 2) {
    snprintf(why, sizeof why, "not a 1-D or 2-D array of numbers");
  } else {
    H5Sget_simple_extent_dims(sp, dims, NULL);
    hsize_t n = dims[0] * dims[1];
    if (dims[1] && n / dims[1] != dims[0]) n = UINT64_MAX;
    if (plausible(h, bytes_of(n, H5Tget_size(ft)), s.bytes, s.factor)) {
      snprintf(why, sizeof why, "%s", h->detail);
    } else if (n > SIZE_MAX / sizeof *m ||
        !(m = malloc((n ? (size_t)n : 1) * sizeof *m))) {
      oom = 1;
    } else if (n && ((xf = xfer_for(h, n, sizeof *m > H5Tget_size(ft) ? sizeof *m
                                                                       : H5Tget_size(ft))) < 0 ||
                     H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, xf, m) < 0)) {
      note(h);
      snprintf(why, sizeof why, "%s", h->detail);
      free(m);
      m = NULL;
    }
  }
  h5_close(xf);
  h5_close(sp);
  h5_close(ft);
  H5Dclose(d);
  if (oom) GP_ERR_NOMEM(err);
  else if (!m) GP_ERR(err, GP_EX_DATAERR, "%s: %s: %s", h->path, path, why);
  else *rows = (size_t)dims[0], *cols = (size_t)dims[1];
  return m;
}
