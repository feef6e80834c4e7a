/*
 * models/results/h5in.c - reading gpuplan result files (see h5in.h).
 *
 * Invariants:
 *  - Every hid_t a function opens is closed before it returns, on every path;
 *    between calls only the file is open.
 *  - HDF5 clears its error stack on entry to every API call, so the detail of
 *    a failure is copied out (note()) at the failing call, before cleanup.
 *  - Messages start with the file's path; problems with the file's content
 *    are GP_EX_DATAERR, running out of memory GP_EX_OSERR.
 *  - Functions that return arrays return a non-NULL pointer on success even
 *    when there are no elements, so NULL always means failure.
 */
#include "models/results/h5in.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

struct gp_h5in {
  hid_t file;        /* open read-only */
  char *path;        /* as given; starts every message */
  char detail[512];  /* why the last HDF5 call failed */
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

gp_h5in *gp_h5in_open(const char *path, gp_err *err) {
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  /* Ask the OS first: HDF5 would bury "no such file" under three layers. */
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  struct stat st;
  int isdir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
  close(fd);
  if (isdir) {
    GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(EISDIR));
    return NULL;
  }

  gp_h5in *h = calloc(1, sizeof *h);
  if (!h || !(h->path = strdup(path))) {
    free(h);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  h->file = -1;
  htri_t is = H5Fis_hdf5(path);
  if (is == 0) {
    GP_ERR(err, GP_EX_DATAERR, "%s: not an HDF5 file", path);
    gp_h5in_close(h);
    return NULL;
  }
  hid_t fapl = -1;
  if (is < 0 || (fapl = H5Pcreate(H5P_FILE_ACCESS)) < 0 || H5Pset_file_locking(fapl, 1, 1) < 0 ||
      (h->file = H5Fopen(path, H5F_ACC_RDONLY, fapl)) < 0) {
    note(h);
    h5_close(fapl);
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read: %s", path, h->detail);
    gp_h5in_close(h);
    return NULL;
  }
  H5Pclose(fapl);
  htri_t has = H5Aexists_by_name(h->file, "/", "gpuplan_version", H5P_DEFAULT);
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
  if (h->file >= 0) H5Fclose(h->file);
  free(h->path);
  free(h);
}

int gp_h5in_exists(gp_h5in *h, const char *path) {
  if (!h || !path || !path[0]) return 0;
  /* H5Lexists wants every component but the last to exist: walk down. */
  char *p = strdup(path);
  if (!p) return 0;
  int found = 1;
  for (char *s = p + 1; found; s++) { /* p[0]: the root or a name's start */
    char c = *s;
    if (c != '/' && c != '\0') continue;
    if (s[-1] != '/') {
      *s = '\0';
      found = H5Lexists(h->file, p, H5P_DEFAULT) > 0;
      *s = c;
    }
    if (!c) break;
  }
  /* The last link must also lead somewhere (not a dangling soft link). */
  if (found && strcmp(p, "/") != 0) found = H5Oexists_by_name(h->file, p, H5P_DEFAULT) > 0;
  free(p);
  return found;
}

/* ---- strings ---- */

/* The string value of attribute (ATTR) or dataset (!ATTR) OBJ, malloc'd; NULL
 * with h->detail set on failure (*OOM = 1 when out of memory). */
static char *read_string(gp_h5in *h, hid_t obj, int attr, int *oom) {
  char *out = NULL;
  hid_t t = -1, sp = -1, mt = -1;
  hssize_t npts = -1;
  if ((t = attr ? H5Aget_type(obj) : H5Dget_type(obj)) < 0 ||
      (sp = attr ? H5Aget_space(obj) : H5Dget_space(obj)) < 0 ||
      (npts = H5Sget_simple_extent_npoints(sp)) < 0) {
    note(h);
    goto done;
  }
  if (H5Tget_class(t) != H5T_STRING || npts != 1) {
    snprintf(h->detail, sizeof h->detail, "not a scalar string");
    goto done;
  }
  htri_t vl = H5Tis_variable_str(t);
  if (vl > 0) {
    char *s = NULL;
    if ((mt = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 ||
        H5Tset_cset(mt, H5Tget_cset(t)) < 0 ||
        (attr ? H5Aread(obj, mt, &s) : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s)) < 0) {
      note(h);
      goto done;
    }
    out = strdup(s ? s : "");
    if (s) H5free_memory(s);
    if (!out) *oom = 1;
  } else if (vl == 0) {
    size_t size = H5Tget_size(t);
    if (!(out = calloc(size + 1, 1))) {
      *oom = 1;
      goto done;
    }
    /* Read with the file's own type: the bytes as stored, no conversion. */
    if ((attr ? H5Aread(obj, t, out) : H5Dread(obj, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, out)) < 0) {
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
  h5_close(mt);
  h5_close(sp);
  h5_close(t);
  return out;
}

/* Open attribute NAME of object PATH, or -1 with the error reported. */
static hid_t open_attr(gp_h5in *h, const char *path, const char *name, gp_err *err) {
  if (!gp_h5in_exists(h, path)) {
    GP_ERR(err, GP_EX_DATAERR, "%s: %s not found", h->path, path);
    return -1;
  }
  htri_t ex = H5Aexists_by_name(h->file, path, name, H5P_DEFAULT);
  hid_t a = ex > 0 ? H5Aopen_by_name(h->file, path, name, H5P_DEFAULT, H5P_DEFAULT) : -1;
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
  char *s = read_string(h, a, 1, &oom);
  H5Aclose(a);
  if (oom) GP_ERR_NOMEM(err);
  else if (!s)
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read attribute %s of %s: %s", h->path, name, path,
           h->detail);
  return s;
}

/* The NPTS strings of string attribute A (fixed or variable length) into a
 * malloc'd array of malloc'd strings; NULL with h->detail set on failure
 * (*OOM = 1 when out of memory). */
static char **read_strings(gp_h5in *h, hid_t a, size_t npts, int *oom) {
  char **out = calloc(npts ? npts : 1, sizeof *out), *buf = NULL;
  char **vl = NULL;
  hid_t t = -1, mt = -1;
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
  if (isvl > 0) {
    if (!(vl = calloc(npts ? npts : 1, sizeof *vl))) {
      *oom = 1;
      goto done;
    }
    if ((mt = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 ||
        H5Tset_cset(mt, H5Tget_cset(t)) < 0 || H5Aread(a, mt, vl) < 0) {
      note(h);
      free(vl);
      vl = NULL;
      goto done;
    }
    ok = 1;
    for (size_t i = 0; i < npts; i++) {
      if (ok && !(out[i] = strdup(vl[i] ? vl[i] : ""))) ok = 0, *oom = 1;
      if (vl[i]) H5free_memory(vl[i]);
    }
  } else if (isvl == 0) {
    size_t w = H5Tget_size(t);
    if (!w || npts > SIZE_MAX / w - 1 || !(buf = calloc(npts * w + 1, 1))) {
      *oom = 1;
      goto done;
    }
    /* The file's own type: the bytes as stored; strings are not
     * necessarily terminated within their W bytes. */
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
  } else {
    note(h);
  }
done:
  free(vl);
  free(buf);
  h5_close(mt);
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
    v = read_strings(h, a, (size_t)npts, &oom);
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

/* Open dataset PATH, or -1 with the error reported. */
static hid_t open_dataset(gp_h5in *h, const char *path, gp_err *err) {
  if (!gp_h5in_exists(h, path)) {
    GP_ERR(err, GP_EX_DATAERR, "%s: %s not found", h->path, path);
    return -1;
  }
  hid_t d = H5Dopen2(h->file, path, H5P_DEFAULT);
  if (d < 0) {
    note(h);
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read %s: %s", h->path, path, h->detail);
  }
  return d;
}

char *gp_h5in_text(gp_h5in *h, const char *path, gp_err *err) {
  hid_t d = open_dataset(h, path, err);
  if (d < 0) return NULL;
  int oom = 0;
  char *s = read_string(h, d, 0, &oom);
  H5Dclose(d);
  if (oom) GP_ERR_NOMEM(err);
  else if (!s)
    GP_ERR(err, GP_EX_DATAERR, "%s: cannot read %s: %s", h->path, path, h->detail);
  return s;
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
  if (!gp_h5in_exists(h, path)) {
    GP_ERR(err, GP_EX_DATAERR, "%s: %s not found", h->path, path);
    return NULL;
  }
  name_list l = {NULL, 0, 0, 0};
  hid_t g = H5Gopen2(h->file, path, H5P_DEFAULT);
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
static hid_t mem_type(gp_h5in *h, const gp_table_desc *desc) {
  hid_t t = H5Tcreate(H5T_COMPOUND, desc->row_size);
  if (t < 0) return -1;
  for (int i = 0; i < desc->nfields; i++) {
    const gp_field *f = &desc->fields[i];
    hid_t m = -1;
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
static int check_fields(gp_h5in *h, hid_t ft, const gp_table_desc *desc, char *why, size_t sz) {
  for (int i = 0; i < desc->nfields; i++) {
    const gp_field *f = &desc->fields[i];
    int k = H5Tget_member_index(ft, f->name);
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

void *gp_h5in_table(gp_h5in *h, const char *path, const gp_table_desc *desc, size_t *nrows,
                    gp_err *err) {
  *nrows = 0;
  hid_t d = open_dataset(h, path, err);
  if (d < 0) return NULL;
  char why[600] = "";
  void *rows = NULL;
  int oom = 0;
  hid_t ft = H5Dget_type(d), sp = H5Dget_space(d), mt = -1;
  hsize_t dim = 0;
  if (ft < 0 || sp < 0) {
    note(h);
    snprintf(why, sizeof why, "%s", h->detail);
  } else if (H5Tget_class(ft) != H5T_COMPOUND || H5Sget_simple_extent_ndims(sp) != 1) {
    snprintf(why, sizeof why, "not a table");
  } else if (check_fields(h, ft, desc, why, sizeof why) == 0) {
    H5Sget_simple_extent_dims(sp, &dim, NULL);
    if (dim > SIZE_MAX / (desc->row_size ? desc->row_size : 1) ||
        !(rows = calloc(dim ? (size_t)dim : 1, desc->row_size ? desc->row_size : 1))) {
      oom = 1;
    } else if ((mt = mem_type(h, desc)) < 0 ||
               (dim && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)) {
      note(h);
      snprintf(why, sizeof why, "%s", h->detail);
      free(rows);
      rows = NULL;
    }
  }
  h5_close(mt);
  h5_close(sp);
  h5_close(ft);
  H5Dclose(d);
  if (oom) GP_ERR_NOMEM(err);
  else if (!rows) GP_ERR(err, GP_EX_DATAERR, "%s: %s: %s", h->path, path, why);
  else *nrows = (size_t)dim;
  return rows;
}

double *gp_h5in_matrix(gp_h5in *h, const char *path, size_t *rows, size_t *cols, gp_err *err) {
  *rows = *cols = 0;
  hid_t d = open_dataset(h, path, err);
  if (d < 0) return NULL;
  char why[600] = "";
  double *m = NULL;
  int oom = 0;
  hid_t ft = H5Dget_type(d), sp = H5Dget_space(d);
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
    if ((dims[1] && n / dims[1] != dims[0]) || n > SIZE_MAX / sizeof *m ||
        !(m = malloc((n ? (size_t)n : 1) * sizeof *m))) {
      oom = 1;
    } else if (n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m) < 0) {
      note(h);
      snprintf(why, sizeof why, "%s", h->detail);
      free(m);
      m = NULL;
    }
  }
  h5_close(sp);
  h5_close(ft);
  H5Dclose(d);
  if (oom) GP_ERR_NOMEM(err);
  else if (!m) GP_ERR(err, GP_EX_DATAERR, "%s: %s: %s", h->path, path, why);
  else *rows = (size_t)dims[0], *cols = (size_t)dims[1];
  return m;
}
