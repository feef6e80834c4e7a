/*
 * tests/unit/test_h5.c - the HDF5 writer (models/results/h5out.c), the reader
 * (models/results/h5in.c) and gp_field_get (models/results/table.c).
 *
 * Every test writes under one mkdtemp directory in /tmp, removed at the end,
 * and checks that HDF5 holds exactly as many open ids after it as before, so
 * a handle leaked on any path (error paths included) fails the test.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "models/results/h5in.h"
#include "models/results/h5out.h"
#include "models/results/table.h"
#include "sim/err.h"
#include "tests/test.h"

/* ---- fixtures ---- */

static char tmp_dir[64]; /* "/tmp/gp_test_h5_XXXXXX" after mkdtemp */

/* A path under tmp_dir; each call returns a fresh buffer (kept till exit). */
static const char *tpath(const char *name) {
  static char bufs[32][256];
  static int next;
  char *b = bufs[next++ % 32];
  snprintf(b, sizeof bufs[0], "%s/%s", tmp_dir, name);
  return b;
}

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* The one temporary file that gp_h5out makes for FINAL. */
static const char *tmp_of(const char *final) {
  static char b[300];
  snprintf(b, sizeof b, "%s.tmp-%ld", final, (long)getpid());
  return b;
}

/* Whole contents of PATH (malloc'd), size in *N; NULL if unreadable. */
static unsigned char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *b = NULL;
  size_t cap = 0;
  *n = 0;
  for (;;) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 65536;
      unsigned char *nb = realloc(b, cap);
      if (!nb) break;
      b = nb;
    }
    size_t k = fread(b + *n, 1, cap - *n, f);
    *n += k;
    if (k == 0) break;
  }
  fclose(f);
  return b;
}

static int spit(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t k = fwrite(data, 1, n, f);
  return (fclose(f) == 0 && k == n) ? 0 : -1;
}

/* Leak check.  HDF5 numbers the ids of each kind in sequence, so the ids a
 * test made are those between a probe id taken before it and one taken
 * after; any of them still valid is a leak.  Files, groups, datasets and
 * attributes are also counted through H5Fget_obj_count. */
typedef struct id_mark {
  hid_t space, type, plist; /* probe ids (already closed) */
  ssize_t objs;             /* open file objects */
} id_mark;

static void id_mark_take(id_mark *m) {
  m->space = H5Screate(H5S_SCALAR);
  H5Sclose(m->space);
  m->type = H5Tcopy(H5T_NATIVE_INT);
  H5Tclose(m->type);
  m->plist = H5Pcreate(H5P_FILE_ACCESS);
  H5Pclose(m->plist);
  m->objs = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
}

/* Ids made between marks A and B and still open. */
static long id_leaks(const id_mark *a, const id_mark *b) {
  long n = 0;
  for (hid_t i = a->space + 1; i < b->space; i++) n += H5Iis_valid(i) > 0;
  for (hid_t i = a->type + 1; i < b->type; i++) n += H5Iis_valid(i) > 0;
  for (hid_t i = a->plist + 1; i < b->plist; i++) n += H5Iis_valid(i) > 0;
  return n + (long)(b->objs - a->objs);
}

#define ASSERT_NO_LEAKS(before)                                             \
  do {                                                                      \
    id_mark after_;                                                         \
    id_mark_take(&after_);                                                  \
    ASSERT_EQ(id_leaks(&(before), &after_), 0);                             \
  } while (0)

/* The row type of the table tests: every field type, and padding (after
 * `kind`) that the packed file type must drop. */
typedef struct trow {
  int32_t id;
  int8_t kind;
  double value;
  int64_t big;
  int32_t neg;
} trow;

static const char *const kind_names[] = {"alpha", "beta", "gamma"};
static const gp_field trow_fields[] = {
    GP_FIELD(trow, id, GP_F_INT32, "1", "row number"),
    GP_FIELD_ENUM(trow, kind, kind_names, 3, "what kind of row"),
    GP_FIELD_STAT(trow, value, GP_F_DOUBLE, "days", "a measured value"),
    GP_FIELD(trow, big, GP_F_INT64, "KRW", "a large amount"),
    GP_FIELD(trow, neg, GP_F_INT32, "GPUs", ""),
};
static const gp_table_desc trow_desc = {"trows", sizeof(trow), trow_fields, 5};

static void fill_rows(trow *r, size_t n) {
  for (size_t i = 0; i < n; i++) {
    r[i].id = (int32_t)i;
    r[i].kind = (int8_t)(i % 3);
    r[i].value = (double)i * 0.25 - 7.5;
    r[i].big = (int64_t)i * 1000000007LL + 5000000000LL;
    r[i].neg = -(int32_t)i;
  }
}

/* Writes a file with one of everything, the same bytes every time. */
static int write_sample(const char *final, gp_err *err) {
  static trow rows[5000];
  fill_rows(rows, 5000);
  double time[40], m[3 * 40], big[20 * 100];
  int reps[3] = {0, 1, 2};
  for (int i = 0; i < 40; i++) time[i] = 0.5 * i;
  for (int i = 0; i < 3 * 40; i++) m[i] = i * 1.5;
  for (int i = 0; i < 20 * 100; i++) big[i] = i % 17;
  gp_h5out *h = gp_h5out_create(final, err);
  if (!h) return -1;
  int rc = gp_h5out_attr_string(h, "/", "gpuplan_version", "0.1.0", err) ||
           gp_h5out_attr_int(h, "/", "seed", 42, err) ||
           gp_h5out_attr_double(h, "/", "end", 3650.0, err) ||
           gp_h5out_text(h, "/scenario", "{\"name\": \"s\u00e9oul\"}\n", err) ||
           gp_h5out_group(h, "/policies", err) ||
           gp_h5out_group(h, "/policies/fcfs", err) ||
           gp_h5out_attr_string(h, "/policies/fcfs", "selection", "fcfs", err) ||
           gp_h5out_table(h, "/policies/fcfs/summary", &trow_desc, rows, 5, err) ||
           gp_h5out_table(h, "/policies/fcfs/proposals", &trow_desc, rows, 5000, err) ||
           gp_h5out_table(h, "/policies/fcfs/empty", &trow_desc, NULL, 0, err) ||
           gp_h5out_scale(h, "/policies/fcfs/timeseries/time", time, 40, "days", err) ||
           gp_h5out_scale_int(h, "/policies/fcfs/timeseries/rep", reps, 3, "replication", err) ||
           gp_h5out_matrix(h, "/policies/fcfs/timeseries/busy", m, 3, 40, "GPUs",
                           "/policies/fcfs/timeseries/rep", "/policies/fcfs/timeseries/time", err) ||
           gp_h5out_matrix(h, "/policies/fcfs/timeseries/queue", m, 3, 40, "projects",
                           "/policies/fcfs/timeseries/rep", "/policies/fcfs/timeseries/time", err) ||
           gp_h5out_matrix(h, "/policies/easy/big", big, 20, 100, "1", NULL, NULL, err);
  if (rc) {
    gp_h5out_abort(h);
    return -1;
  }
  return gp_h5out_commit(h, err);
}

/* ---- table.c ---- */

static void test_field_get(void) {
  trow r = {7, 2, -1.25, 1LL << 40, -3};
  ASSERT_DBL_EQ(gp_field_get(&trow_fields[0], &r), 7.0);
  ASSERT_DBL_EQ(gp_field_get(&trow_fields[1], &r), 2.0);
  ASSERT_DBL_EQ(gp_field_get(&trow_fields[2], &r), -1.25);
  ASSERT_DBL_EQ(gp_field_get(&trow_fields[3], &r), 1099511627776.0);
  ASSERT_DBL_EQ(gp_field_get(&trow_fields[4], &r), -3.0);
}

/* ---- writer + reader ---- */

static void check_rows(const trow *got, size_t n) {
  for (size_t i = 0; i < n; i++) {
    ASSERT_EQ(got[i].id, (int32_t)i);
    ASSERT_EQ(got[i].kind, (int)(i % 3));
    ASSERT_DBL_EQ(got[i].value, (double)i * 0.25 - 7.5);
    ASSERT_EQ(got[i].big, (int64_t)i * 1000000007LL + 5000000000LL);
    ASSERT_EQ(got[i].neg, -(int32_t)i);
  }
}

/* Attribute NAME of dataset D as N strings joined by '|' (read by libhdf5:
 * the file is the test's own). */
static void attr_joined(hid_t d, const char *name, char *out, size_t outsz) {
  hid_t a = H5Aopen(d, name, H5P_DEFAULT), t = H5Aget_type(a), sp = H5Aget_space(a);
  ASSERT_GT(H5Tis_variable_str(t), 0);
  hssize_t n = H5Sget_simple_extent_npoints(sp);
  char **v = calloc((size_t)n, sizeof *v);
  hid_t mt = H5Tcopy(H5T_C_S1);
  H5Tset_size(mt, H5T_VARIABLE);
  H5Tset_cset(mt, H5T_CSET_UTF8);
  ASSERT_EQ(H5Aread(a, mt, v), 0);
  out[0] = '\0';
  for (hssize_t i = 0; i < n; i++) {
    if (i) strncat(out, "|", outsz - strlen(out) - 1);
    strncat(out, v[i], outsz - strlen(out) - 1);
    H5free_memory(v[i]);
  }
  free(v);
  H5Tclose(mt), H5Sclose(sp), H5Tclose(t), H5Aclose(a);
}

static void test_table_roundtrip(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("table.h5");
  ASSERT_EQ(write_sample(f, &err), 0);
  ASSERT_EQ(err.code, 0);

  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  size_t n = 99;
  trow *r = gp_h5in_table(in, "/policies/fcfs/summary", &trow_desc, &n, &err);
  ASSERT(r != NULL);
  ASSERT_EQ(n, 5);
  check_rows(r, n);
  free(r);
  r = gp_h5in_table(in, "/policies/fcfs/proposals", &trow_desc, &n, &err);
  ASSERT(r != NULL);
  ASSERT_EQ(n, 5000);
  check_rows(r, n);
  free(r);
  r = gp_h5in_table(in, "/policies/fcfs/empty", &trow_desc, &n, &err);
  ASSERT(r != NULL);
  ASSERT_EQ(n, 0);
  free(r);
  ASSERT_EQ(err.code, 0);

  /* A reader may ask for fewer fields, in another layout: matched by name. */
  typedef struct sub { double value; int8_t kind; } sub;
  static const gp_field sub_fields[] = {
      GP_FIELD(sub, value, GP_F_DOUBLE, "days", ""),
      GP_FIELD_ENUM(sub, kind, kind_names, 3, ""),
  };
  const gp_table_desc sub_desc = {"sub", sizeof(sub), sub_fields, 2};
  sub *s = gp_h5in_table(in, "/policies/fcfs/summary", &sub_desc, &n, &err);
  ASSERT(s != NULL);
  ASSERT_EQ(n, 5);
  ASSERT_DBL_EQ(s[4].value, 4 * 0.25 - 7.5);
  ASSERT_EQ(s[4].kind, 1);
  free(s);

  /* A field the file lacks, and an enum with a name the reader lacks. */
  static const gp_field miss_fields[] = {GP_FIELD(sub, value, GP_F_DOUBLE, "", ""),
                                         {"nope", 0, GP_F_INT32, "", "", NULL, 0, 0, NULL}};
  const gp_table_desc miss_desc = {"miss", sizeof(sub), miss_fields, 2};
  ASSERT(gp_h5in_table(in, "/policies/fcfs/summary", &miss_desc, &n, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  char want[512];
  snprintf(want, sizeof want, "%s: /policies/fcfs/summary: field nope missing", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  static const gp_field few_fields[] = {GP_FIELD_ENUM(sub, kind, kind_names, 2, "")};
  const gp_table_desc few_desc = {"few", sizeof(sub), few_fields, 1};
  ASSERT(gp_h5in_table(in, "/policies/fcfs/summary", &few_desc, &n, &err) == NULL);
  snprintf(want, sizeof want, "%s: /policies/fcfs/summary: field kind: enum value gamma unknown", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  ASSERT(gp_h5in_table(in, "/policies/fcfs/nothing", &trow_desc, &n, &err) == NULL);
  snprintf(want, sizeof want, "%s: /policies/fcfs/nothing not found", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_h5in_close(in);

  /* The file layout: packed, little-endian, enum members, unit/doc arrays. */
  hid_t fid = H5Fopen(f, H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t d = H5Dopen2(fid, "/policies/fcfs/summary", H5P_DEFAULT), t = H5Dget_type(d);
  ASSERT_EQ(H5Tget_size(t), 4 + 1 + 8 + 8 + 4);
  ASSERT_EQ(H5Tget_member_offset(t, 1), 4);
  ASSERT_EQ(H5Tget_member_class(t, 1), H5T_ENUM);
  hid_t et = H5Tget_member_type(t, 1);
  char ename[16];
  ASSERT_EQ(H5Tenum_nameof(et, &(int8_t){2}, ename, sizeof ename), 0);
  ASSERT_STR_EQ(ename, "gamma");
  hid_t it = H5Tget_member_type(t, 3);
  ASSERT(H5Tequal(it, H5T_STD_I64LE) > 0);
  char joined[512];
  attr_joined(d, "units", joined, sizeof joined);
  ASSERT_STR_EQ(joined, "1||days|KRW|GPUs");
  attr_joined(d, "doc", joined, sizeof joined);
  ASSERT_STR_EQ(joined, "row number|what kind of row|a measured value|a large amount|");
  hid_t dcpl = H5Dget_create_plist(d);
  ASSERT_EQ(H5Pget_layout(dcpl), H5D_CONTIGUOUS);
  H5Pclose(dcpl), H5Tclose(it), H5Tclose(et), H5Tclose(t), H5Dclose(d);
  d = H5Dopen2(fid, "/policies/fcfs/proposals", H5P_DEFAULT);
  dcpl = H5Dget_create_plist(d);
  hsize_t chunk = 0;
  ASSERT_EQ(H5Pget_layout(dcpl), H5D_CHUNKED);
  ASSERT_EQ(H5Pget_chunk(dcpl, 1, &chunk), 1);
  ASSERT_EQ(chunk, 5000);
  ASSERT_EQ(H5Pget_nfilters(dcpl), 2);
  H5Pclose(dcpl), H5Dclose(d), H5Fclose(fid);
  ASSERT_NO_LEAKS(before);
}

static void test_matrix_scales(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("matrix.h5");
  ASSERT_EQ(write_sample(f, &err), 0);
  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  size_t rows = 0, cols = 0;
  double *m = gp_h5in_matrix(in, "/policies/fcfs/timeseries/busy", &rows, &cols, &err);
  ASSERT(m != NULL);
  ASSERT_EQ(rows, 3);
  ASSERT_EQ(cols, 40);
  for (int i = 0; i < 120; i++) ASSERT_DBL_EQ(m[i], i * 1.5);
  free(m);
  m = gp_h5in_matrix(in, "/policies/easy/big", &rows, &cols, &err);
  ASSERT(m != NULL);
  ASSERT_EQ(rows, 20);
  ASSERT_EQ(cols, 100);
  for (int i = 0; i < 2000; i++) ASSERT_DBL_EQ(m[i], i % 17);
  free(m);
  /* 1-D, and an int32 scale read as doubles. */
  m = gp_h5in_matrix(in, "/policies/fcfs/timeseries/time", &rows, &cols, &err);
  ASSERT(m != NULL);
  ASSERT_EQ(rows, 40);
  ASSERT_EQ(cols, 1);
  ASSERT_DBL_EQ(m[39], 19.5);
  free(m);
  m = gp_h5in_matrix(in, "/policies/fcfs/timeseries/rep", &rows, &cols, &err);
  ASSERT(m != NULL);
  ASSERT_EQ(rows, 3);
  ASSERT_DBL_EQ(m[2], 2.0);
  free(m);
  char *u = gp_h5in_attr_string(in, "/policies/fcfs/timeseries/busy", "units", &err);
  ASSERT_STR_EQ(u, "GPUs");
  free(u);
  ASSERT(gp_h5in_matrix(in, "/policies/fcfs/summary", &rows, &cols, &err) == NULL);
  char want[512];
  snprintf(want, sizeof want, "%s: /policies/fcfs/summary: not a 1-D or 2-D array of numbers", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_h5in_close(in);

  hid_t fid = H5Fopen(f, H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t d = H5Dopen2(fid, "/policies/fcfs/timeseries/busy", H5P_DEFAULT);
  hid_t q = H5Dopen2(fid, "/policies/fcfs/timeseries/queue", H5P_DEFAULT);
  hid_t ts = H5Dopen2(fid, "/policies/fcfs/timeseries/time", H5P_DEFAULT);
  hid_t rs = H5Dopen2(fid, "/policies/fcfs/timeseries/rep", H5P_DEFAULT);
  ASSERT_EQ(H5DSis_scale(ts), 1);
  ASSERT_EQ(H5DSis_scale(rs), 1);
  ASSERT_EQ(H5DSis_attached(d, rs, 0), 1);
  ASSERT_EQ(H5DSis_attached(d, ts, 1), 1);
  ASSERT_EQ(H5DSis_attached(d, ts, 0), 0);
  ASSERT_EQ(H5DSis_attached(q, ts, 1), 1);
  char name[32];
  ASSERT_EQ(H5DSget_scale_name(ts, name, sizeof name), 4);
  ASSERT_STR_EQ(name, "time");
  H5Dclose(rs), H5Dclose(ts), H5Dclose(q), H5Dclose(d), H5Fclose(fid);
  ASSERT_NO_LEAKS(before);
}

/* Zero-length scales and matrices (a run without detailed replications). */
static void test_empty_matrix(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("empty.h5");
  double t[3] = {0, 1, 2};
  gp_h5out *h = gp_h5out_create(f, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "gpuplan_version", "x", &err), 0);
  ASSERT_EQ(gp_h5out_scale(h, "/ts/time", t, 3, "days", &err), 0);
  ASSERT_EQ(gp_h5out_scale_int(h, "/ts/rep", NULL, 0, "replication", &err), 0);
  ASSERT_EQ(gp_h5out_matrix(h, "/ts/busy", NULL, 0, 3, "GPUs", "/ts/rep", "/ts/time", &err), 0);
  ASSERT_EQ(gp_h5out_commit(h, &err), 0);
  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  size_t rows = 9, cols = 9;
  double *m = gp_h5in_matrix(in, "/ts/busy", &rows, &cols, &err);
  ASSERT(m != NULL);
  ASSERT_EQ(rows, 0);
  ASSERT_EQ(cols, 3);
  free(m);
  gp_h5in_close(in);
  ASSERT_EQ(err.code, 0);
  ASSERT_NO_LEAKS(before);
}

static void test_attrs_text(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("attrs.h5");
  const char *text = "{\n  \"name\": \"\xed\x95\x9c\xea\xb5\xad\"\n}\n"; /* UTF-8 */
  gp_h5out *h = gp_h5out_create(f, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "gpuplan_version", "0.0.1", &err), 0);
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "gpuplan_version", "1.2.3", &err), 0); /* replaced */
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "empty", "", &err), 0);
  ASSERT_EQ(gp_h5out_attr_double(h, "/", "end", 3652.5, &err), 0);
  ASSERT_EQ(gp_h5out_attr_int(h, "/", "seed", 1234567890123LL, &err), 0);
  ASSERT_EQ(gp_h5out_attr_int(h, "/", "seed", -5, &err), 0);
  ASSERT_EQ(gp_h5out_text(h, "/scenario", text, &err), 0);
  ASSERT_EQ(gp_h5out_text(h, "/a/b/blank", "", &err), 0);
  ASSERT_EQ(gp_h5out_attr_string(h, "/a/b", "who", "me", &err), 0);
  ASSERT_EQ(gp_h5out_commit(h, &err), 0);

  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  char *s = gp_h5in_attr_string(in, "/", "gpuplan_version", &err);
  ASSERT_STR_EQ(s, "1.2.3");
  free(s);
  s = gp_h5in_attr_string(in, "/", "empty", &err);
  ASSERT_STR_EQ(s, "");
  free(s);
  s = gp_h5in_attr_string(in, "/a/b", "who", &err);
  ASSERT_STR_EQ(s, "me");
  free(s);
  double v = 0;
  ASSERT_EQ(gp_h5in_attr_double(in, "/", "end", &v, &err), 0);
  ASSERT_DBL_EQ(v, 3652.5);
  ASSERT_EQ(gp_h5in_attr_double(in, "/", "seed", &v, &err), 0);
  ASSERT_DBL_EQ(v, -5.0);
  s = gp_h5in_text(in, "/scenario", &err);
  ASSERT_STR_EQ(s, text);
  free(s);
  s = gp_h5in_text(in, "/a/b/blank", &err);
  ASSERT_STR_EQ(s, "");
  free(s);
  ASSERT_EQ(err.code, 0);

  char want[512];
  ASSERT(gp_h5in_attr_string(in, "/", "missing", &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  snprintf(want, sizeof want, "%s: no attribute missing on /", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  ASSERT(gp_h5in_attr_string(in, "/", "end", &err) == NULL);
  snprintf(want, sizeof want, "%s: cannot read attribute end of /: not a scalar string", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  ASSERT_EQ(gp_h5in_attr_double(in, "/", "gpuplan_version", &v, &err), -1);
  snprintf(want, sizeof want,
           "%s: cannot read attribute gpuplan_version of /: not a scalar number", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  ASSERT(gp_h5in_text(in, "/nowhere/x", &err) == NULL);
  snprintf(want, sizeof want, "%s: /nowhere/x not found", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);

  ASSERT_EQ(gp_h5in_exists(in, "/"), 1);
  ASSERT_EQ(gp_h5in_exists(in, "/a/b"), 1);
  ASSERT_EQ(gp_h5in_exists(in, "/a/b/blank"), 1);
  ASSERT_EQ(gp_h5in_exists(in, "/a/c/blank"), 0);
  ASSERT_EQ(gp_h5in_exists(in, "/scenario/x"), 0);
  ASSERT_EQ(gp_h5in_exists(in, ""), 0);
  gp_h5in_close(in);
  ASSERT_NO_LEAKS(before);
}

static long find_bytes(const unsigned char *b, size_t n, const void *pat, size_t len);

/* Variable-length string attributes as h5py writes them (libhdf5's default
 * format: a version-1 object header) are read, from the file's bytes. */
static void test_vlen_attr(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("vlen.h5");
  hid_t fid = H5Fcreate(f, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  hid_t sp = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(fid, "gpuplan_version", t, sp, H5P_DEFAULT, H5P_DEFAULT);
  const char *val = "9.8.7-vlen";
  ASSERT_EQ(H5Awrite(a, t, &val), 0);
  H5Aclose(a), H5Sclose(sp);
  hsize_t three = 3;
  sp = H5Screate_simple(1, &three, NULL);
  a = H5Acreate2(fid, "names", t, sp, H5P_DEFAULT, H5P_DEFAULT);
  const char *vals[] = {"a", "", "\xed\x95\x9c"};
  ASSERT_EQ(H5Awrite(a, t, vals), 0);
  H5Aclose(a), H5Sclose(sp), H5Tclose(t);
  /* Groups without creation order: listed by name. */
  const char *names[] = {"zz", "aa", "mm"};
  for (int i = 0; i < 3; i++) H5Gclose(H5Gcreate2(fid, names[i], H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Fclose(fid);

  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  char *v = gp_h5in_attr_string(in, "/", "gpuplan_version", &err);
  ASSERT_STR_EQ(v, "9.8.7-vlen");
  free(v);
  size_t n = 0;
  char **l = gp_h5in_attr_strings(in, "/", "names", &n, &err);
  ASSERT(l != NULL);
  ASSERT_EQ(n, 3);
  ASSERT_STR_EQ(l[0], "a");
  ASSERT_STR_EQ(l[1], "");
  ASSERT_STR_EQ(l[2], "\xed\x95\x9c");
  gp_h5in_free_names(l, n);
  ASSERT_EQ(err.code, 0);
  l = gp_h5in_list(in, "/", &n, &err);
  ASSERT(l != NULL);
  ASSERT_EQ(n, 3);
  ASSERT_STR_EQ(l[0], "aa");
  ASSERT_STR_EQ(l[1], "mm");
  ASSERT_STR_EQ(l[2], "zz");
  gp_h5in_free_names(l, n);
  gp_h5in_close(in);
  ASSERT_NO_LEAKS(before);
}

/* gp_h5in_attr_string(PATH, NAME) on FILE fails with DATAERR and WHY. */
static void attr_refused(const char *file, const char *path, const char *name, const char *why) {
  gp_err err;
  gp_err_clear(&err);
  gp_h5in *in = gp_h5in_open(file, &err);
  ASSERT(in != NULL);
  ASSERT(gp_h5in_attr_string(in, path, name, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  char want[512];
  snprintf(want, sizeof want, "%s: cannot read attribute %s of %s: %s", file, name, path, why);
  ASSERT_STR_EQ(err.msg, want);
  gp_h5in_close(in);
}

/* String attributes (format version 3) are variable-length and read from
 * the file's bytes (h5heap.c): many on one object, long lists, all kept in
 * their object's header; a corrupt heap or dense storage is refused with a
 * reason, never handed to libhdf5's heap code. */
static void test_attr_heap(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("attrheap.h5");
  enum { NLIST = 4000, NATTR = 40 };
  static char bufs[NLIST][16];
  static const char *list[NLIST];
  for (int i = 0; i < NLIST; i++) {
    snprintf(bufs[i], sizeof bufs[i], "name-%d", i);
    list[i] = bufs[i];
  }
  gp_h5out *h = gp_h5out_create(f, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_group(h, "/g", &err), 0);
  ASSERT_EQ(gp_h5out_attr_int(h, "/", "gpuplan_version", 3, &err), 0); /* gp_h5in_open's check */
  for (int i = 0; i < NATTR; i++) { /* beyond libhdf5's 8 compact attributes */
    char k[16], v[16];
    snprintf(k, sizeof k, "a%d", i), snprintf(v, sizeof v, "value %d", i);
    ASSERT_EQ(gp_h5out_attr_string(h, "/", k, v, &err), 0);
    ASSERT_EQ(gp_h5out_attr_string(h, "/g", k, v, &err), 0);
  }
  ASSERT_EQ(gp_h5out_attr_strings(h, "/g", "list", list, NLIST, &err), 0);
  ASSERT_EQ(gp_h5out_attr_strings(h, "/g", "none", list, 0, &err), 0);
  ASSERT_EQ(gp_h5out_commit(h, &err), 0);
  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  for (int i = 0; i < NATTR; i++) {
    char k[16], v[16];
    snprintf(k, sizeof k, "a%d", i), snprintf(v, sizeof v, "value %d", i);
    char *s = gp_h5in_attr_string(in, i % 2 ? "/" : "/g", k, &err);
    ASSERT_STR_EQ(s, v);
    free(s);
  }
  size_t n = 0;
  char **l = gp_h5in_attr_strings(in, "/g", "list", &n, &err);
  ASSERT(l != NULL);
  ASSERT_EQ(n, NLIST);
  int same = 1;
  for (size_t i = 0; l && i < n; i++) same &= strcmp(l[i], list[i]) == 0;
  ASSERT(same);
  gp_h5in_free_names(l, n);
  l = gp_h5in_attr_strings(in, "/g", "none", &n, &err);
  ASSERT(l != NULL);
  ASSERT_EQ(n, 0);
  gp_h5in_free_names(l, n);
  ASSERT_EQ(err.code, 0);
  gp_h5in_close(in);

  /* Every global heap collection's signature broken: the strings are refused. */
  size_t size = 0;
  unsigned char *b = slurp(f, &size);
  ASSERT(b != NULL);
  int ncol = 0;
  for (long at; (at = find_bytes(b, size, "GCOL", 4)) >= 0; ncol++) memcpy(b + at, "XCOL", 4);
  ASSERT_GT(ncol, 0);
  const char *bad = tpath("attrheap-bad.h5");
  ASSERT_EQ(spit(bad, b, size), 0);
  free(b);
  attr_refused(bad, "/", "a1", "no global heap where its reference points");

  /* Dense attribute storage (another tool's choice): refused, named. */
  const char *dense = tpath("dense.h5");
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_attr_phase_change(fcpl, 0, 0);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18);
  hid_t fid = H5Fcreate(dense, H5F_ACC_TRUNC, fcpl, fapl);
  hid_t t = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
  H5Tset_size(t, H5T_VARIABLE);
  hid_t a = H5Acreate2(fid, "gpuplan_version", t, sp, H5P_DEFAULT, H5P_DEFAULT);
  const char *val = "dense";
  ASSERT_EQ(H5Awrite(a, t, &val), 0);
  H5Aclose(a), H5Sclose(sp), H5Tclose(t), H5Fclose(fid), H5Pclose(fcpl), H5Pclose(fapl);
  ASSERT_GT(H5Fis_hdf5(dense), 0);
  attr_refused(dense, "/", "gpuplan_version",
               "its attribute is not in its object header (not as gpuplan stores it)");

  /* A list longer than a header message holds (64 KiB of 16-byte heap
   * IDs) is written with fixed-length strings, read back the same. */
  enum { NBIG = NLIST + 100 };
  static char bigbufs[NBIG][16];
  static const char *big[NBIG];
  for (int i = 0; i < NBIG; i++) {
    snprintf(bigbufs[i], sizeof bigbufs[i], "t%d", i);
    big[i] = bigbufs[i];
  }
  const char *fb = tpath("big.h5");
  h = gp_h5out_create(fb, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "gpuplan_version", "x", &err), 0);
  ASSERT_EQ(gp_h5out_attr_strings(h, "/", "big", big, NBIG, &err), 0);
  ASSERT_EQ(gp_h5out_commit(h, &err), 0);
  hid_t bf = H5Fopen(fb, H5F_ACC_RDONLY, H5P_DEFAULT), ba = H5Aopen(bf, "big", H5P_DEFAULT);
  hid_t bt = H5Aget_type(ba);
  ASSERT_EQ(H5Tis_variable_str(bt), 0);
  H5Tclose(bt), H5Aclose(ba), H5Fclose(bf);
  in = gp_h5in_open(fb, &err);
  ASSERT(in != NULL);
  l = gp_h5in_attr_strings(in, "/", "big", &n, &err);
  ASSERT(l != NULL);
  ASSERT_EQ(n, NBIG);
  same = 1;
  for (size_t i = 0; l && i < n; i++) same &= strcmp(l[i], big[i]) == 0;
  ASSERT(same);
  gp_h5in_free_names(l, n);
  gp_h5in_close(in);
  ASSERT_EQ(err.code, 0);
  ASSERT_NO_LEAKS(before);
}

static void test_list_order(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("list.h5");
  gp_h5out *h = gp_h5out_create(f, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "gpuplan_version", "x", &err), 0);
  ASSERT_EQ(gp_h5out_group(h, "/policies/zeta", &err), 0);
  ASSERT_EQ(gp_h5out_group(h, "/policies/alpha", &err), 0);
  ASSERT_EQ(gp_h5out_group(h, "/policies/alpha", &err), 0); /* exists: fine */
  ASSERT_EQ(gp_h5out_text(h, "/policies/mid", "t", &err), 0);
  ASSERT_EQ(gp_h5out_group(h, "/empty", &err), 0);
  ASSERT_EQ(gp_h5out_commit(h, &err), 0);
  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  size_t n = 0;
  char **l = gp_h5in_list(in, "/policies", &n, &err);
  ASSERT(l != NULL);
  ASSERT_EQ(n, 3);
  ASSERT_STR_EQ(l[0], "zeta");
  ASSERT_STR_EQ(l[1], "alpha");
  ASSERT_STR_EQ(l[2], "mid");
  gp_h5in_free_names(l, n);
  l = gp_h5in_list(in, "/", &n, &err);
  ASSERT_EQ(n, 2);
  ASSERT_STR_EQ(l[0], "policies");
  ASSERT_STR_EQ(l[1], "empty");
  gp_h5in_free_names(l, n);
  l = gp_h5in_list(in, "/empty", &n, &err);
  ASSERT(l != NULL);
  ASSERT_EQ(n, 0);
  gp_h5in_free_names(l, n);
  ASSERT_EQ(err.code, 0);
  ASSERT(gp_h5in_list(in, "/nope", &n, &err) == NULL);
  char want[512];
  snprintf(want, sizeof want, "%s: /nope not found", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_h5in_close(in);
  ASSERT_NO_LEAKS(before);
}

/* Writer failures after creation: code IOERR, message names the object. */
static void test_write_errors(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("werr.h5");
  char want[512];
  gp_h5out *h = gp_h5out_create(f, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_text(h, "/scenario", "a", &err), 0);
  ASSERT_EQ(gp_h5out_text(h, "/scenario", "b", &err), -1);
  ASSERT_EQ(err.code, GP_EX_IOERR);
  snprintf(want, sizeof want, "%s: cannot write /scenario: ", f);
  ASSERT_EQ(strncmp(err.msg, want, strlen(want)), 0);
  ASSERT(!strstr(err.msg, "HDF5 error")); /* the detail came from HDF5's stack */
  gp_err_clear(&err);
  ASSERT_EQ(gp_h5out_group(h, "/scenario/x", &err), -1);
  snprintf(want, sizeof want, "%s: cannot write /scenario/x: /scenario exists and is not a group", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  ASSERT_EQ(gp_h5out_attr_int(h, "/missing", "n", 1, &err), -1);
  ASSERT_EQ(err.code, GP_EX_IOERR);
  snprintf(want, sizeof want, "%s: cannot write attribute n of /missing: ", f);
  ASSERT_EQ(strncmp(err.msg, want, strlen(want)), 0);
  ASSERT(!strstr(err.msg, "HDF5 error"));
  gp_err_clear(&err);
  double m[4] = {1, 2, 3, 4};
  ASSERT_EQ(gp_h5out_matrix(h, "/m", m, 2, 2, "1", "/no/scale", NULL, &err), -1);
  snprintf(want, sizeof want, "%s: cannot write /m: scale /no/scale: ", f);
  ASSERT_EQ(strncmp(err.msg, want, strlen(want)), 0);
  ASSERT(!strstr(err.msg, "HDF5 error"));
  gp_err_clear(&err);
  /* Duplicate enum names are refused by HDF5, not silently written. */
  static const char *const dup[] = {"x", "x"};
  static const gp_field dfields[] = {GP_FIELD_ENUM(trow, kind, dup, 2, "")};
  const gp_table_desc ddesc = {"d", sizeof(trow), dfields, 1};
  trow r = {0};
  ASSERT_EQ(gp_h5out_table(h, "/t", &ddesc, &r, 1, &err), -1);
  snprintf(want, sizeof want, "%s: cannot write /t: ", f);
  ASSERT_EQ(strncmp(err.msg, want, strlen(want)), 0);
  ASSERT(!strstr(err.msg, "HDF5 error"));
  gp_err_clear(&err);
  ASSERT_EQ(gp_h5out_text(h, "", "x", &err), -1);
  ASSERT_EQ(err.code, GP_EX_IOERR);
  gp_h5out_abort(h);
  ASSERT(!file_exists(f));
  ASSERT(!file_exists(tmp_of(f)));
  ASSERT_NO_LEAKS(before);
}

static void test_commit_abort(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("commit.h5");
  gp_h5out *h = gp_h5out_create(f, &err);
  ASSERT(h != NULL);
  ASSERT(file_exists(tmp_of(f)));
  ASSERT(!file_exists(f));
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "gpuplan_version", "x", &err), 0);
  ASSERT_EQ(gp_h5out_commit(h, &err), 0);
  ASSERT(file_exists(f));
  ASSERT(!file_exists(tmp_of(f)));

  const char *g = tpath("aborted.h5");
  h = gp_h5out_create(g, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_text(h, "/x", "y", &err), 0);
  gp_h5out_abort(h);
  gp_h5out_abort(NULL);
  ASSERT(!file_exists(g));
  ASSERT(!file_exists(tmp_of(g)));

  /* An existing result is untouched by an aborted run... */
  const char *k = tpath("keep.h5");
  ASSERT_EQ(spit(k, "old result", 10), 0);
  h = gp_h5out_create(k, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_text(h, "/x", "y", &err), 0);
  gp_h5out_abort(h);
  size_t n = 0;
  unsigned char *b = slurp(k, &n);
  ASSERT(b != NULL);
  ASSERT_EQ(n, 10);
  ASSERT_EQ(memcmp(b, "old result", 10), 0);
  free(b);
  ASSERT(!file_exists(tmp_of(k)));
  /* ...and replaced by a committed one. */
  h = gp_h5out_create(k, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "gpuplan_version", "x", &err), 0);
  ASSERT_EQ(gp_h5out_commit(h, &err), 0);
  ASSERT_GT(H5Fis_hdf5(k), 0);

  /* rename fails (the final name is a non-empty directory): CANTCREAT. */
  const char *dir = tpath("isdir.h5");
  ASSERT_EQ(mkdir(dir, 0700), 0);
  char inner[300];
  snprintf(inner, sizeof inner, "%s/inner", dir);
  ASSERT_EQ(spit(inner, "x", 1), 0);
  h = gp_h5out_create(dir, &err);
  ASSERT(h != NULL);
  ASSERT_EQ(gp_h5out_commit(h, &err), -1);
  ASSERT_EQ(err.code, GP_EX_CANTCREAT);
  char want[700];
  snprintf(want, sizeof want, "%s: cannot create: rename from %s: ", dir, tmp_of(dir));
  ASSERT_EQ(strncmp(err.msg, want, strlen(want)), 0);
  ASSERT(!file_exists(tmp_of(dir)));
  unlink(inner);
  rmdir(dir);
  ASSERT_NO_LEAKS(before);
}

static void test_create_nodir(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("no/such/dir/x.h5");
  ASSERT(gp_h5out_create(f, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_CANTCREAT);
  char want[512];
  snprintf(want, sizeof want, "%s: cannot create: No such file or directory", f);
  ASSERT_STR_EQ(err.msg, want);
  ASSERT_NO_LEAKS(before);
}

static void test_open_errors(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  char want[512];

  const char *missing = tpath("missing.h5");
  ASSERT(gp_h5in_open(missing, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_NOINPUT);
  snprintf(want, sizeof want, "%s: cannot open: No such file or directory", missing);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);

  const char *text = tpath("text.h5");
  ASSERT_EQ(spit(text, "{\"not\": \"hdf5\"}\n", 16), 0);
  ASSERT(gp_h5in_open(text, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  snprintf(want, sizeof want, "%s: not an HDF5 file", text);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);

  const char *empty = tpath("zero.h5");
  ASSERT_EQ(spit(empty, "", 0), 0);
  ASSERT(gp_h5in_open(empty, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  gp_err_clear(&err);

  /* Truncated copies of a valid file, at several lengths. */
  const char *good = tpath("good.h5");
  ASSERT_EQ(write_sample(good, &err), 0);
  size_t n = 0;
  unsigned char *b = slurp(good, &n);
  ASSERT(b != NULL);
  ASSERT_GT(n, 4096);
  const size_t cuts[] = {n / 2, n - 1, 2048, 100, 9};
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    const char *tr = tpath("truncated.h5");
    ASSERT_EQ(spit(tr, b, cuts[i]), 0);
    gp_h5in *in = gp_h5in_open(tr, &err);
    ASSERT(in == NULL);
    ASSERT_EQ(err.code, GP_EX_DATAERR);
    ASSERT_CONTAINS(err.msg, tr);
    gp_err_clear(&err);
  }
  free(b);

  const char *plain = tpath("plain.h5");
  hid_t fid = H5Fcreate(plain, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT(fid >= 0);
  H5Fclose(fid);
  ASSERT(gp_h5in_open(plain, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  snprintf(want, sizeof want, "%s: not a gpuplan result file (no gpuplan_version attribute)",
           plain);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);

  ASSERT(gp_h5in_open(tmp_dir, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_NOINPUT);
  snprintf(want, sizeof want, "%s: cannot open: Is a directory", tmp_dir);
  ASSERT_STR_EQ(err.msg, want);
  gp_h5in_close(NULL);
  ASSERT_NO_LEAKS(before);
}

/* Same content, written again a second later: the same bytes. */
static void test_deterministic(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *a = tpath("det_a.h5"), *b = tpath("det_b.h5");
  ASSERT_EQ(write_sample(a, &err), 0);
  time_t t0 = time(NULL);
  while (time(NULL) == t0) {
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, NULL);
  }
  ASSERT_EQ(write_sample(b, &err), 0);
  size_t na = 0, nb = 0;
  unsigned char *ba = slurp(a, &na), *bb = slurp(b, &nb);
  ASSERT(ba != NULL && bb != NULL);
  ASSERT_EQ(na, nb);
  size_t first = na;
  for (size_t i = 0; i < na; i++)
    if (ba[i] != bb[i]) {
      first = i;
      break;
    }
  ASSERT_EQ(first, na); /* offset of the first differing byte */
  free(ba);
  free(bb);
  ASSERT_NO_LEAKS(before);
}

/* ---- hostile files ---- */

/* Offset of the first PAT (LEN bytes) in B[N], or -1. */
static long find_bytes(const unsigned char *b, size_t n, const void *pat, size_t len) {
  for (size_t i = 0; i + len <= n; i++)
    if (memcmp(b + i, pat, len) == 0) return (long)i;
  return -1;
}

static void put_le(unsigned char *p, uint64_t v, int n) {
  for (int i = 0; i < n; i++) p[i] = (unsigned char)(v >> (8 * i));
}

/* gp_h5in_text on a copy of GOOD whose bytes at AT (N bytes) are set to V,
 * little-endian: refused with DATAERR and a message ending in WHY. */
static void text_refused(const char *good, long at, uint64_t v, int n, const char *why) {
  size_t size = 0;
  unsigned char *b = slurp(good, &size);
  ASSERT(b != NULL && at >= 0 && (size_t)at + (size_t)n <= size);
  put_le(b + at, v, n);
  const char *bad = tpath("heap-bad.h5");
  ASSERT_EQ(spit(bad, b, size), 0);
  free(b);
  gp_err err;
  gp_err_clear(&err);
  gp_h5in *in = gp_h5in_open(bad, &err);
  ASSERT(in != NULL);
  ASSERT(gp_h5in_text(in, "/scenario", &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  char want[512];
  snprintf(want, sizeof want, "%s: cannot read /scenario: %s", bad, why);
  ASSERT_STR_EQ(err.msg, want);
  gp_h5in_close(in);
}

/* /scenario is read from the file's bytes (models/results/h5heap.c): every
 * way its global heap can be wrong is refused with a reason, none reaches
 * libhdf5's heap code (which hangs or crashes on them). */
static void test_text_heap(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  const char *f = tpath("heap.h5");
  const char *text = "{\"name\": \"heap\", \"note\": \"0123456789abcdef\"}";
  size_t len = strlen(text);
  gp_h5out *h = gp_h5out_create(f, &err);
  ASSERT(h != NULL);
  /* The text first: the first object of the first collection (the
   * attribute's string follows it). */
  ASSERT_EQ(gp_h5out_text(h, "/scenario", text, &err), 0);
  ASSERT_EQ(gp_h5out_attr_string(h, "/", "gpuplan_version", "x", &err), 0);
  ASSERT_EQ(gp_h5out_commit(h, &err), 0);
  /* Where things are: the heap ID (H5Dget_offset) and the collection. */
  hid_t fid = H5Fopen(f, H5F_ACC_RDONLY, H5P_DEFAULT), d = H5Dopen2(fid, "/scenario", H5P_DEFAULT);
  long id = (long)H5Dget_offset(d);
  H5Dclose(d), H5Fclose(fid);
  size_t size = 0;
  unsigned char *b = slurp(f, &size);
  ASSERT(b != NULL);
  long gcol = find_bytes(b, size, "GCOL", 4);
  ASSERT_GT(gcol, 0);
  long obj = gcol + 16; /* the first object: our text */
  ASSERT_EQ((long)b[obj], 1);                       /* its index */
  ASSERT_EQ(memcmp(b + obj + 16, text, len), 0);    /* its bytes */
  free(b);
  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  char *t = gp_h5in_text(in, "/scenario", &err);
  ASSERT_STR_EQ(t, text);
  free(t);
  gp_h5in_close(in);

  text_refused(f, gcol + 8, 1ULL << 40, 8, "its global heap runs past the end of the file");
  text_refused(f, obj + 8, 1ULL << 40, 8, "its global heap holds an object larger than the heap");
  char why[128];
  snprintf(why, sizeof why, "its length (%zu bytes) is not its heap object's (%zu)", len, len + 1);
  text_refused(f, obj + 8, len + 1, 8, why);
  text_refused(f, id + 4, 0, 8, "no global heap where its reference points");
  text_refused(f, id + 4, 1ULL << 40, 8, "its global heap lies outside the file");
  text_refused(f, id + 12, 99, 4, "its global heap has no object 99");
  text_refused(f, gcol, 0x4c4f4358, 4, "no global heap where its reference points"); /* "XCOL" */
  text_refused(f, obj + 16 + 3, 0, 1, "its text holds a NUL byte");
  snprintf(why, sizeof why, "its length (2147483648 bytes) is not its heap object's (%zu)", len);
  text_refused(f, id, 1u << 31, 4, why);

  /* A file with a user block: HDF5's addresses count from its end. */
  const char *u = tpath("userblock.h5");
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_userblock(fcpl, 512);
  fid = H5Fcreate(u, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
  hid_t st = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
  H5Tset_size(st, 2);
  hid_t a = H5Acreate2(fid, "gpuplan_version", st, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, st, "x");
  H5Aclose(a);
  H5Tset_size(st, H5T_VARIABLE);
  d = H5Dcreate2(fid, "/scenario", st, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text);
  H5Dclose(d), H5Sclose(sp), H5Tclose(st), H5Fclose(fid), H5Pclose(fcpl);
  in = gp_h5in_open(u, &err);
  ASSERT(in != NULL);
  t = gp_h5in_text(in, "/scenario", &err);
  ASSERT_STR_EQ(t, text);
  free(t);
  gp_h5in_close(in);
  ASSERT_EQ(err.code, 0);
  ASSERT_NO_LEAKS(before);
}

/* What a hostile file may hold besides corrupt bytes: links to other
 * files, data in other files, filters gpuplan does not write, dimensions
 * its storage cannot hold, strings in a table.  Each is refused, named. */
static void test_hostile(void) {
  id_mark before;
  id_mark_take(&before);
  gp_err err;
  gp_err_clear(&err);
  char want[512];
  const char *f = tpath("hostile.h5");
  hid_t fid = H5Fcreate(f, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t st = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
  H5Tset_size(st, 2);
  hid_t a = H5Acreate2(fid, "gpuplan_version", st, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, st, "x");
  H5Aclose(a);
  H5Gclose(H5Gcreate2(fid, "/g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Lcreate_external("other.h5", "/x", fid, "/g/ext", H5P_DEFAULT, H5P_DEFAULT);
  H5Lcreate_soft("/g/ext/y", fid, "/soft", H5P_DEFAULT, H5P_DEFAULT);
  hsize_t dim = 4, big = 1000000000;
  hid_t sp4 = H5Screate_simple(1, &dim, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_external(dcpl, "data.bin", 0, 4 * sizeof(double));
  H5Dclose(H5Dcreate2(fid, "/elsewhere", H5T_NATIVE_DOUBLE, sp4, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  H5Pclose(dcpl);
  dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &dim);
  H5Pset_nbit(dcpl);
  double v[4] = {1, 2, 3, 4};
  hid_t d = H5Dcreate2(fid, "/nbit", H5T_NATIVE_DOUBLE, sp4, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  H5Dclose(d), H5Pclose(dcpl);
  hid_t spbig = H5Screate_simple(1, &big, NULL);
  dcpl = H5Pcreate(H5P_DATASET_CREATE);
  hsize_t chunk = 1024;
  H5Pset_chunk(dcpl, 1, &chunk);
  H5Dclose(H5Dcreate2(fid, "/huge", H5T_NATIVE_DOUBLE, spbig, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  H5Pclose(dcpl);
  dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_virtual(dcpl, sp4, "source.h5", "/d", sp4);
  H5Dclose(H5Dcreate2(fid, "/virtual", H5T_NATIVE_DOUBLE, sp4, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  H5Pclose(dcpl);
  hid_t ct = H5Tcreate(H5T_COMPOUND, sizeof(trow) + 16);
  H5Tinsert(ct, "id", HOFFSET(trow, id), H5T_NATIVE_INT32);
  H5Tset_size(st, 16);
  H5Tinsert(ct, "name", sizeof(trow), st);
  H5Dclose(H5Dcreate2(fid, "/strings", ct, sp4, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Tclose(ct), H5Sclose(spbig), H5Sclose(sp4), H5Sclose(sp), H5Tclose(st);
  H5Fclose(fid);

  gp_h5in *in = gp_h5in_open(f, &err);
  ASSERT(in != NULL);
  ASSERT_EQ(gp_h5in_exists(in, "/g"), 1);
  ASSERT_EQ(gp_h5in_exists(in, "/g/ext"), -1);
  ASSERT_EQ(gp_h5in_exists(in, "/g/ext/y"), -1);
  ASSERT_EQ(gp_h5in_has_attr(in, "/", "gpuplan_version"), 1);
  ASSERT_EQ(gp_h5in_has_attr(in, "/", "nothing"), 0);
  ASSERT_EQ(gp_h5in_has_attr(in, "/g/ext", "x"), -1);
  size_t n = 0, rows = 0, cols = 0;
  ASSERT(gp_h5in_list(in, "/g/ext", &n, &err) == NULL);
  snprintf(want, sizeof want, "%s: /g/ext is an external link; gpuplan follows none", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  /* A soft link through the external one: never followed, so not there. */
  ASSERT_EQ(gp_h5in_exists(in, "/soft"), 0);
  ASSERT(gp_h5in_matrix(in, "/soft", &rows, &cols, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  gp_err_clear(&err);
  static const struct {
    const char *path, *why;
  } refused[] = {
      {"/elsewhere", "cannot read /elsewhere: its data is in other files"},
      {"/nbit", "cannot read /nbit: compressed with filter 5, which gpuplan does not use"},
      {"/huge", "/huge: 8000000000 bytes of data claimed in 0 bytes of the file"},
      {"/virtual", "cannot read /virtual: a virtual dataset (its data is in other files)"},
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    ASSERT(gp_h5in_matrix(in, refused[i].path, &rows, &cols, &err) == NULL);
    ASSERT_EQ(err.code, GP_EX_DATAERR);
    snprintf(want, sizeof want, "%s: %s", f, refused[i].why);
    ASSERT_STR_EQ(err.msg, want);
    gp_err_clear(&err);
  }
  static const gp_field id_field[] = {GP_FIELD(trow, id, GP_F_INT32, "1", "")};
  const gp_table_desc id_desc = {"ids", sizeof(trow), id_field, 1};
  ASSERT(gp_h5in_table(in, "/strings", &id_desc, &n, &err) == NULL);
  snprintf(want, sizeof want, "%s: /strings: a table of more than numbers", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_h5in_close(in);

  /* Not a regular file: refused at once (a FIFO would block an open). */
  const char *fifo = tpath("fifo.h5");
  ASSERT_EQ(mkfifo(fifo, 0600), 0);
  gp_err_clear(&err);
  alarm(20); /* a blocked open fails the test instead of hanging it */
  ASSERT(gp_h5in_open(fifo, &err) == NULL);
  alarm(0);
  ASSERT_EQ(err.code, GP_EX_NOINPUT);
  snprintf(want, sizeof want, "%s: cannot open: a FIFO, not a regular file", fifo);
  ASSERT_STR_EQ(err.msg, want);
  gp_err_clear(&err);
  ASSERT(gp_h5in_open("/dev/null", &err) == NULL);
  ASSERT_STR_EQ(err.msg, "/dev/null: cannot open: a character device, not a regular file");
  ASSERT_NO_LEAKS(before);
}

/* ---- main ---- */

static void remove_tmp_dir(void) {
  DIR *d = opendir(tmp_dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp_dir, e->d_name);
    unlink(p);
  }
  closedir(d);
  rmdir(tmp_dir);
}

int main(void) {
  snprintf(tmp_dir, sizeof tmp_dir, "/tmp/gp_test_h5_XXXXXX");
  if (!mkdtemp(tmp_dir)) {
    perror("mkdtemp");
    return 1;
  }
  H5open();
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  RUN(test_field_get);
  RUN(test_table_roundtrip);
  RUN(test_matrix_scales);
  RUN(test_empty_matrix);
  RUN(test_attrs_text);
  RUN(test_vlen_attr);
  RUN(test_attr_heap);
  RUN(test_text_heap);
  RUN(test_hostile);
  RUN(test_list_order);
  RUN(test_write_errors);
  RUN(test_commit_abort);
  RUN(test_create_nodir);
  RUN(test_open_errors);
  RUN(test_deterministic);
  if (getenv("GP_TEST_KEEP")) printf("kept %s\n", tmp_dir);
  else remove_tmp_dir();
  TEST_EXIT();
}
