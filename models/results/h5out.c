/*
 * models/results/h5out.c - the one HDF5 writer (see h5out.h).
 *
 * Invariants:
 *  - Every hid_t a function opens is closed before it returns, on every path;
 *    between calls only the file itself is open (gp_h5out_commit checks).
 *  - HDF5 clears its error stack on entry to every API call, so the detail of
 *    a failure is copied out (note()) at the failing call, before cleanup.
 *  - Output is a function of the content only: no object stores a timestamp
 *    (obj_track_times off on the file, groups and datasets), groups are
 *    created one level at a time with our own creation properties, and file
 *    types are little-endian and packed, so two runs that write the same
 *    things in the same order give byte-identical files.
 *  - Groups track link creation order, so readers list policies in the order
 *    they were written.
 */
#include "models/results/h5out.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

/* Datasets with more elements than this are chunked and compressed. */
#define H5OUT_SMALL 1024
/* At most this many elements per chunk (512 KiB of doubles). */
#define H5OUT_CHUNK 65536

struct gp_h5out {
  hid_t file;         /* open on tmp_path; -1 once closed */
  char *final_path;   /* the name the user gave; used in every message */
  char *tmp_path;     /* final_path + ".tmp-PID", renamed by commit */
  int fail_code;      /* GP_EX_* for the pending failure (IOERR or OSERR) */
  char detail[512];   /* why the last operation failed; "" = not yet known */
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

/* The innermost description on HDF5's error stack into BUF[512].  A system
 * call failure ("..., errno = 2, error message = '...'") becomes just
 * strerror(errno), which is what a user can act on. */
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

/* Record why the current operation failed, unless already recorded. */
static void note(gp_h5out *h) {
  if (h->detail[0]) return;
  h->fail_code = GP_EX_IOERR;
  h5_detail(h->detail);
}

static void note_oom(gp_h5out *h) {
  if (h->detail[0]) return;
  h->fail_code = GP_EX_OSERR;
  snprintf(h->detail, sizeof h->detail, "out of memory");
}

/* Start an operation: forget any earlier failure. */
static void begin(gp_h5out *h) {
  h->fail_code = GP_EX_IOERR;
  h->detail[0] = '\0';
}

/* The message for a failed write of PATH (or of attribute NAME on PATH). */
static int write_err(gp_h5out *h, const char *path, const char *attr, gp_err *err) {
  if (!h->detail[0]) snprintf(h->detail, sizeof h->detail, "HDF5 error");
  if (attr)
    return GP_ERR(err, h->fail_code, "%s: cannot write attribute %s of %s: %s", h->final_path, attr,
                  path, h->detail);
  return GP_ERR(err, h->fail_code, "%s: cannot write %s: %s", h->final_path, path, h->detail);
}

/* Close any kind of HDF5 id; negative ids are "never opened". */
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

/* ---- creation properties ---- */

/* Every object keeps its attributes in its header (compact storage, up to
 * this many), never in dense storage: the reader finds a string
 * attribute's heap IDs there (models/results/h5heap.h). */
#define H5OUT_MAX_COMPACT 65535
/* A header message holds at most 64 KiB, and a variable-length string takes
 * a 16-byte heap ID in it: a longer list would go to dense storage, which
 * the reader does not follow (models/results/h5heap.h).  So a list of more
 * strings (a scenario of thousands of demand sources or tranches) is
 * written with fixed-length strings, as format version 2 wrote every list:
 * libhdf5 reads those safely, wherever they are stored. */
#define H5OUT_MAX_STRINGS 4000

/* Groups: creation order tracked and indexed, no timestamps. */
static hid_t new_gcpl(gp_h5out *h) {
  hid_t p = H5Pcreate(H5P_GROUP_CREATE);
  if (p < 0) return -1;
  if (H5Pset_link_creation_order(p, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
      H5Pset_obj_track_times(p, 0) < 0 ||
      H5Pset_attr_phase_change(p, H5OUT_MAX_COMPACT, 0) < 0) {
    note(h);
    H5Pclose(p);
    return -1;
  }
  return p;
}

/* Datasets of RANK dims DIMS: no timestamps; chunked (CHUNK) with shuffle and
 * deflate when CHUNK is non-NULL, contiguous otherwise.  Deflate level 1:
 * after the shuffle, level 4 made the baseline's files 3% smaller and its 5
 * detailed replications 0.07 s slower to write (of 0.56 s; bench/README.md). */
static hid_t new_dcpl(gp_h5out *h, int rank, const hsize_t *chunk) {
  hid_t p = H5Pcreate(H5P_DATASET_CREATE);
  if (p < 0) return -1;
  if (H5Pset_obj_track_times(p, 0) < 0 ||
      H5Pset_attr_phase_change(p, H5OUT_MAX_COMPACT, 0) < 0 ||
      (chunk && (H5Pset_chunk(p, rank, chunk) < 0 || H5Pset_shuffle(p) < 0 ||
                 H5Pset_deflate(p, 1) < 0))) {
    note(h);
    H5Pclose(p);
    return -1;
  }
  return p;
}

/* The variable-length UTF-8 string type of every string attribute and of
 * gp_h5out_text: h5py reads it as str (a fixed-length one as bytes, which
 * pandas and json.loads do not take; issue 17, item 11). */
static hid_t str_type(gp_h5out *h) {
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return -1;
  if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
    note(h);
    H5Tclose(t);
    return -1;
  }
  return t;
}

/* ---- groups ---- */

/* Make sure group P exists (its parent does). */
static int ensure_group(gp_h5out *h, const char *p) {
  htri_t ex = H5Lexists(h->file, p, H5P_DEFAULT);
  if (ex < 0) {
    note(h);
    return -1;
  }
  if (ex > 0) {
    hid_t o = H5Oopen(h->file, p, H5P_DEFAULT);
    if (o < 0) {
      note(h);
      return -1;
    }
    H5I_type_t t = H5Iget_type(o);
    H5Oclose(o);
    if (t != H5I_GROUP) {
      snprintf(h->detail, sizeof h->detail, "%s exists and is not a group", p);
      return -1;
    }
    return 0;
  }
  hid_t gcpl = new_gcpl(h), g = -1;
  if (gcpl < 0 || (g = H5Gcreate2(h->file, p, H5P_DEFAULT, gcpl, H5P_DEFAULT)) < 0) {
    note(h);
    h5_close(gcpl);
    return -1;
  }
  H5Gclose(g);
  H5Pclose(gcpl);
  return 0;
}

/* Create the groups above PATH, and PATH itself when SELF. */
static int make_groups(gp_h5out *h, const char *path, int self) {
  char *p = strdup(path);
  if (!p) {
    note_oom(h);
    return -1;
  }
  int rc = 0;
  for (char *s = p + 1; p[0] && !rc; s++) { /* p[0]: the root or a name's start */
    char c = *s;
    if (c != '/' && c != '\0') continue;
    if ((c || self) && s[-1] != '/') {
      *s = '\0';
      rc = ensure_group(h, p);
      *s = c;
    }
    if (!c) break;
  }
  free(p);
  return rc;
}

/* The last component of PATH. */
static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* ---- attributes ---- */

/* Write attribute NAME on OBJ, replacing any attribute of that name. */
static int put_attr(gp_h5out *h, hid_t obj, const char *name, hid_t ftype, hid_t mtype,
                    hid_t space, const void *buf) {
  hid_t a = -1;
  htri_t ex = H5Aexists(obj, name);
  if (ex < 0 || (ex > 0 && H5Adelete(obj, name) < 0) ||
      (a = H5Acreate2(obj, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
      H5Awrite(a, mtype, buf) < 0) {
    note(h);
    h5_close(a);
    return -1;
  }
  H5Aclose(a);
  return 0;
}

static int put_attr_scalar(gp_h5out *h, hid_t obj, const char *name, hid_t ftype, hid_t mtype,
                           const void *buf) {
  hid_t sp = H5Screate(H5S_SCALAR);
  if (sp < 0) {
    note(h);
    return -1;
  }
  int rc = put_attr(h, obj, name, ftype, mtype, sp, buf);
  H5Sclose(sp);
  return rc;
}

/* A scalar UTF-8 string attribute. */
static int put_attr_string(gp_h5out *h, hid_t obj, const char *name, const char *value) {
  if (!value) value = "";
  hid_t t = str_type(h);
  if (t < 0) {
    note(h);
    return -1;
  }
  int rc = put_attr_scalar(h, obj, name, t, t, &value);
  H5Tclose(t);
  return rc;
}

/* A fixed-length, NUL-terminated UTF-8 string type of SIZE bytes. */
static hid_t fixed_str_type(gp_h5out *h, size_t size) {
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return -1;
  if (H5Tset_size(t, size) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0 ||
      H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
    note(h);
    H5Tclose(t);
    return -1;
  }
  return t;
}

/* A 1-D attribute of N UTF-8 strings (NULL counts as ""): variable-length,
 * or fixed-length beyond H5OUT_MAX_STRINGS of them. */
static int put_attr_strings(gp_h5out *h, hid_t obj, const char *name, const char *const *v,
                            size_t n) {
  int fixed = n > H5OUT_MAX_STRINGS;
  size_t w = 1;
  for (size_t i = 0; fixed && i < n; i++)
    if (v[i] && strlen(v[i]) + 1 > w) w = strlen(v[i]) + 1;
  void *buf = fixed ? calloc(n, w) : malloc((n ? n : 1) * sizeof(const char *));
  if (!buf) {
    note_oom(h);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    if (fixed && v[i]) memcpy((char *)buf + i * w, v[i], strlen(v[i]));
    if (!fixed) ((const char **)buf)[i] = v[i] ? v[i] : "";
  }
  hsize_t dim = n;
  hid_t t = fixed ? fixed_str_type(h, w) : str_type(h), sp = -1;
  int rc = -1;
  if (t < 0 || (sp = H5Screate_simple(1, &dim, NULL)) < 0)
    note(h);
  else
    rc = put_attr(h, obj, name, t, t, sp, buf);
  h5_close(sp);
  h5_close(t);
  free(buf);
  return rc;
}

/* Open the object at PATH and hand it to a setter. */
typedef int (*attr_fn)(gp_h5out *h, hid_t obj, const char *name, const void *value);

static int with_object(gp_h5out *h, const char *path, const char *name, attr_fn fn,
                       const void *value, gp_err *err) {
  if (!h) return GP_ERR(err, GP_EX_SOFTWARE, "gp_h5out: no file");
  begin(h);
  hid_t o = H5Oopen(h->file, path, H5P_DEFAULT);
  if (o < 0) {
    note(h);
    return write_err(h, path, name, err);
  }
  int rc = fn(h, o, name, value);
  H5Oclose(o);
  return rc ? write_err(h, path, name, err) : 0;
}

static int set_string(gp_h5out *h, hid_t obj, const char *name, const void *value) {
  return put_attr_string(h, obj, name, value);
}

static int set_double(gp_h5out *h, hid_t obj, const char *name, const void *value) {
  return put_attr_scalar(h, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, value);
}

static int set_int(gp_h5out *h, hid_t obj, const char *name, const void *value) {
  return put_attr_scalar(h, obj, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, value);
}

int gp_h5out_attr_string(gp_h5out *h, const char *path, const char *name, const char *value,
                         gp_err *err) {
  return with_object(h, path, name, set_string, value, err);
}

int gp_h5out_attr_double(gp_h5out *h, const char *path, const char *name, double value,
                         gp_err *err) {
  return with_object(h, path, name, set_double, &value, err);
}

int gp_h5out_attr_int(gp_h5out *h, const char *path, const char *name, long long value,
                      gp_err *err) {
  return with_object(h, path, name, set_int, &value, err);
}

typedef struct strings_arg {
  const char *const *v;
  size_t n;
} strings_arg;

static int set_strings(gp_h5out *h, hid_t obj, const char *name, const void *value) {
  const strings_arg *a = value;
  return put_attr_strings(h, obj, name, a->v, a->n);
}

int gp_h5out_attr_strings(gp_h5out *h, const char *path, const char *name,
                          const char *const *v, size_t n, gp_err *err) {
  strings_arg a = {v, n};
  return with_object(h, path, name, set_strings, &a, err);
}

/* ---- file ---- */

gp_h5out *gp_h5out_create(const char *final_path, gp_err *err) {
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  gp_h5out *h = calloc(1, sizeof *h);
  size_t len = strlen(final_path);
  if (!h || !(h->final_path = strdup(final_path)) || !(h->tmp_path = malloc(len + 32))) {
    if (h) free(h->final_path);
    free(h);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  h->file = -1;
  snprintf(h->tmp_path, len + 32, "%s.tmp-%ld", final_path, (long)getpid());
  begin(h);

  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fcpl < 0 || fapl < 0 ||
      H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
      H5Pset_obj_track_times(fcpl, 0) < 0 ||
      H5Pset_attr_phase_change(fcpl, H5OUT_MAX_COMPACT, 0) < 0 ||
      H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0 ||
      H5Pset_file_locking(fapl, 1, 1) < 0 ||
      (h->file = H5Fcreate(h->tmp_path, H5F_ACC_TRUNC, fcpl, fapl)) < 0)
    note(h);
  h5_close(fcpl);
  h5_close(fapl);
  if (h->file < 0) {
    GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", final_path, h->detail);
    free(h->tmp_path);
    free(h->final_path);
    free(h);
    return NULL;
  }
  return h;
}

/* Set when HDF5 failed to close a file (a write error while flushing): the
 * library keeps the half-closed file in its registry and its own atexit
 * teardown then crashes trying to close it again (HDF5 1.10).  The program
 * must leave without running that teardown; see gp_h5out_poisoned. */
static volatile int poisoned;

int gp_h5out_poisoned(void) { return poisoned; }

static void h5out_free(gp_h5out *h) {
  free(h->tmp_path);
  free(h->final_path);
  free(h);
}

int gp_h5out_commit(gp_h5out *h, gp_err *err) {
  if (!h) return GP_ERR(err, GP_EX_SOFTWARE, "gp_h5out_commit: no file");
  begin(h);
  int rc = 0;
  ssize_t open_objs = H5Fget_obj_count(h->file, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE |
                                                    H5F_OBJ_ATTR | H5F_OBJ_LOCAL);
  if (open_objs != 0)
    rc = GP_ERR(err, GP_EX_SOFTWARE, "%s: %zd HDF5 objects left open (a bug in gpuplan)",
                h->final_path, open_objs);
  if (H5Fflush(h->file, H5F_SCOPE_LOCAL) < 0) {
    note(h);
    rc = GP_ERR(err, GP_EX_IOERR, "%s: cannot write: %s", h->final_path, h->detail);
  }
  if (H5Fclose(h->file) < 0) {
    note(h);
    rc = GP_ERR(err, GP_EX_IOERR, "%s: cannot write: %s", h->final_path, h->detail);
    poisoned = 1;
  }
  h->file = -1;
  if (!rc && rename(h->tmp_path, h->final_path) != 0)
    rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: rename from %s: %s", h->final_path,
                h->tmp_path, strerror(errno));
  if (rc) unlink(h->tmp_path);
  h5out_free(h);
  return rc;
}

void gp_h5out_abort(gp_h5out *h) {
  if (!h) return;
  if (h->file >= 0 && H5Fclose(h->file) < 0) poisoned = 1;
  unlink(h->tmp_path);
  h5out_free(h);
}

int gp_h5out_group(gp_h5out *h, const char *path, gp_err *err) {
  if (!h) return GP_ERR(err, GP_EX_SOFTWARE, "gp_h5out: no file");
  begin(h);
  return make_groups(h, path, 1) ? write_err(h, path, NULL, err) : 0;
}

/* ---- datasets ---- */

/* Create dataset PATH (making its parent groups) of type FTYPE over SPACE with
 * DCPL and write BUF (MTYPE in memory) into it unless BUF is NULL.  UNITS, if
 * not NULL, becomes a "units" attribute.  Returns the open dataset, or -1 with
 * the failure noted. */
static hid_t put_dataset(gp_h5out *h, const char *path, hid_t ftype, hid_t mtype, hid_t space,
                         hid_t dcpl, const void *buf, const char *units) {
  if (make_groups(h, path, 0)) return -1;
  hid_t d = H5Dcreate2(h->file, path, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (d < 0 || (buf && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)) {
    note(h);
    h5_close(d);
    return -1;
  }
  if (units && put_attr_string(h, d, "units", units)) {
    H5Dclose(d);
    return -1;
  }
  return d;
}

/* An N-dimensional dataset of numbers: DIMS[RANK], chunked and compressed when
 * large.  Returns the open dataset or -1 (noted). */
static hid_t put_array(gp_h5out *h, const char *path, hid_t ftype, hid_t mtype, int rank,
                       const hsize_t *dims, const void *data, const char *units) {
  hsize_t n = 1, chunk[2];
  for (int i = 0; i < rank; i++) n *= dims[i];
  if (rank == 1) {
    chunk[0] = dims[0] < H5OUT_CHUNK ? dims[0] : H5OUT_CHUNK;
  } else {
    /* Whole rows when they fit, so reading one replication touches few chunks. */
    chunk[1] = dims[1] < H5OUT_CHUNK ? dims[1] : H5OUT_CHUNK;
    chunk[0] = H5OUT_CHUNK / chunk[1];
    if (chunk[0] > dims[0]) chunk[0] = dims[0];
    if (chunk[0] < 1) chunk[0] = 1;
  }
  hid_t sp = H5Screate_simple(rank, dims, NULL), dcpl = -1, d = -1;
  if (sp < 0 || (dcpl = new_dcpl(h, rank, n > H5OUT_SMALL ? chunk : NULL)) < 0)
    note(h);
  else
    d = put_dataset(h, path, ftype, mtype, sp, dcpl, n ? data : NULL, units);
  h5_close(dcpl);
  h5_close(sp);
  return d;
}

int gp_h5out_text(gp_h5out *h, const char *path, const char *text, gp_err *err) {
  if (!h) return GP_ERR(err, GP_EX_SOFTWARE, "gp_h5out: no file");
  begin(h);
  if (!text) text = "";
  hid_t t = str_type(h), sp = -1, dcpl = -1, d = -1;
  if (t < 0 || (sp = H5Screate(H5S_SCALAR)) < 0 || (dcpl = new_dcpl(h, 0, NULL)) < 0)
    note(h);
  else
    d = put_dataset(h, path, t, t, sp, dcpl, &text, NULL);
  h5_close(d);
  h5_close(dcpl);
  h5_close(sp);
  h5_close(t);
  return d < 0 ? write_err(h, path, NULL, err) : 0;
}

/* The HDF5 type of enum field F over integer type BASE. */
static hid_t enum_type(gp_h5out *h, const gp_field *f, hid_t base) {
  hid_t t = H5Tenum_create(base);
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

static size_t field_size(gp_field_type t) {
  switch (t) {
  case GP_F_INT32: return 4;
  case GP_F_INT64: return 8;
  case GP_F_DOUBLE: return 8;
  case GP_F_ENUM: return 1;
  }
  return 0;
}

/* The compound type of DESC: in memory (struct offsets and size, native types)
 * when !FILE, else packed in field order with little-endian types. */
static hid_t table_type(gp_h5out *h, const gp_table_desc *desc, int file) {
  size_t size = desc->row_size;
  if (file) {
    size = 0;
    for (int i = 0; i < desc->nfields; i++) size += field_size(desc->fields[i].type);
  }
  hid_t t = H5Tcreate(H5T_COMPOUND, size);
  if (t < 0) return -1;
  size_t off = 0;
  for (int i = 0; i < desc->nfields; i++) {
    const gp_field *f = &desc->fields[i];
    hid_t m = -1;
    int own = 0;
    switch (f->type) {
    case GP_F_INT32: m = file ? H5T_STD_I32LE : H5T_NATIVE_INT32; break;
    case GP_F_INT64: m = file ? H5T_STD_I64LE : H5T_NATIVE_INT64; break;
    case GP_F_DOUBLE: m = file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE; break;
    case GP_F_ENUM:
      m = enum_type(h, f, file ? H5T_STD_I8LE : H5T_NATIVE_INT8);
      own = 1;
      break;
    }
    herr_t rc = m < 0 ? -1 : H5Tinsert(t, f->name, file ? off : f->offset, m);
    if (rc < 0) note(h);
    if (own) h5_close(m);
    if (rc < 0) {
      H5Tclose(t);
      return -1;
    }
    off += field_size(f->type);
  }
  return t;
}

int gp_h5out_table(gp_h5out *h, const char *path, const gp_table_desc *desc, const void *rows,
                   size_t nrows, gp_err *err) {
  if (!h) return GP_ERR(err, GP_EX_SOFTWARE, "gp_h5out: no file");
  begin(h);
  if (desc->nfields < 1)
    return GP_ERR(err, GP_EX_SOFTWARE, "%s: cannot write %s: table %s has no fields",
                  h->final_path, path, desc->name);
  for (int i = 0; i < desc->nfields; i++) {
    const gp_field *f = &desc->fields[i];
    if (f->type == GP_F_ENUM && (f->enum_count < 0 || f->enum_count > 128 ||
                                 (f->enum_count > 0 && !f->enum_names)))
      return GP_ERR(err, GP_EX_SOFTWARE, "%s: cannot write %s: field %s: bad enum names",
                    h->final_path, path, f->name);
  }
  size_t nf = (size_t)desc->nfields;
  const char **strs = malloc(2 * nf * sizeof *strs);
  if (!strs) return GP_ERR_NOMEM(err);
  for (size_t i = 0; i < nf; i++) {
    strs[i] = desc->fields[i].unit;
    strs[nf + i] = desc->fields[i].doc;
  }

  hsize_t dim = nrows, chunk = nrows < H5OUT_CHUNK ? nrows : H5OUT_CHUNK;
  hid_t mt = table_type(h, desc, 0), ft = -1, sp = -1, dcpl = -1, d = -1;
  if (mt < 0 || (ft = table_type(h, desc, 1)) < 0 || (sp = H5Screate_simple(1, &dim, NULL)) < 0 ||
      (dcpl = new_dcpl(h, 1, nrows > H5OUT_SMALL ? &chunk : NULL)) < 0)
    note(h);
  else
    d = put_dataset(h, path, ft, mt, sp, dcpl, nrows ? rows : NULL, NULL);
  int rc = d < 0 || put_attr_strings(h, d, "units", strs, nf) ||
           put_attr_strings(h, d, "doc", strs + nf, nf);
  h5_close(d);
  h5_close(dcpl);
  h5_close(sp);
  h5_close(ft);
  h5_close(mt);
  free(strs);
  return rc ? write_err(h, path, NULL, err) : 0;
}

/* A 1-D dataset made a dimension scale named after its last component. */
static int put_scale(gp_h5out *h, const char *path, hid_t ftype, hid_t mtype, const void *v,
                     size_t n, const char *units, gp_err *err) {
  if (!h) return GP_ERR(err, GP_EX_SOFTWARE, "gp_h5out: no file");
  begin(h);
  hsize_t dim = n;
  hid_t d = put_array(h, path, ftype, mtype, 1, &dim, v, units ? units : "");
  int rc = d < 0;
  if (!rc && H5DSset_scale(d, base_name(path)) < 0) {
    note(h);
    rc = 1;
  }
  h5_close(d);
  return rc ? write_err(h, path, NULL, err) : 0;
}

int gp_h5out_scale(gp_h5out *h, const char *path, const double *v, size_t n, const char *units,
                   gp_err *err) {
  return put_scale(h, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v, n, units, err);
}

int gp_h5out_scale_int(gp_h5out *h, const char *path, const int *v, size_t n, const char *units,
                       gp_err *err) {
  return put_scale(h, path, H5T_STD_I32LE, H5T_NATIVE_INT, v, n, units, err);
}

/* Attach the scale at SCALE_PATH to dimension IDX of D. */
static int attach(gp_h5out *h, hid_t d, const char *scale_path, unsigned idx) {
  hid_t s = H5Dopen2(h->file, scale_path, H5P_DEFAULT);
  if (s < 0 || H5DSattach_scale(d, s, idx) < 0) {
    char why[sizeof h->detail];
    h5_detail(why);
    snprintf(h->detail, sizeof h->detail, "scale %.200s: %.280s", scale_path, why);
    h5_close(s);
    return -1;
  }
  H5Dclose(s);
  return 0;
}

int gp_h5out_matrix(gp_h5out *h, const char *path, const double *data, size_t rows, size_t cols,
                    const char *units, const char *row_scale, const char *col_scale,
                    gp_err *err) {
  if (!h) return GP_ERR(err, GP_EX_SOFTWARE, "gp_h5out: no file");
  begin(h);
  hsize_t dims[2] = {rows, cols};
  hid_t d = put_array(h, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims, data,
                      units ? units : "");
  int rc = d < 0 || (row_scale && attach(h, d, row_scale, 0)) ||
           (col_scale && attach(h, d, col_scale, 1));
  h5_close(d);
  return rc ? write_err(h, path, NULL, err) : 0;
}
