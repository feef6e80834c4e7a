/*
 * analysis/export.c - a result file as CSV files (see export.h).
 *
 * Invariants:
 *  - All reading is through analysis/h5in; everything that decides whether
 *    the file can be exported at all (opens, is gpuplan's, has the point, its
 *    epoch and scenario read) is checked before DIR is touched.
 *  - Each output goes to DIR/NAME.tmp-PID; the renames happen only after every
 *    file is complete, flushed, synced and closed.  Any failure before them
 *    removes every temporary, and DIR itself when this call created it, so
 *    DIR is either left as it was or holds a complete export.  (Only a rename
 *    failing halfway, within one directory we just wrote to, could mix old
 *    and new files; the message then names the file.)
 *  - Columns come from the field tables of models/results/results.c (gp_summary_desc,
 *    gp_call_desc, gp_stat_desc, gp_proposal_desc_init): a new field is a new
 *    column with no change here.
 *  - Cells: RFC 4180 quoting (a field with a comma, quote, CR, LF or an edge
 *    space is quoted, quotes doubled); numbers in the C locale ('.' decimal)
 *    as the shortest text that reads back to the same double; NaN as an empty
 *    cell; infinities as inf / -inf; enums as their names; lines end in LF.
 *  - Times (days since the epoch, -1 = never) of the calls, proposals and
 *    roadmap tables keep their numeric column and get a NAME_date column,
 *    the ISO date the time falls in, empty for never.  (The summary's
 *    "days" are durations: no dates.)
 */
#include "analysis/export.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "models/results/h5in.h"
#include "models/scenario/date.h"
#include "models/results/results.h"

enum { F_SUMMARY, F_STATS, F_COMPARE, F_CALLS, F_PROPOSALS, F_TIMESERIES, F_ROADMAP, F_SCENARIO,
       NFILES };
_Static_assert(NFILES == GP_EXPORT_NFILES, "export.h lists the files");

const char *const gp_export_files[NFILES] = {
    "summary.csv",    "stats.csv",   "compare.csv",  "calls.csv", "proposals.csv",
    "timeseries.csv", "roadmap.csv", "scenario.json"};

typedef struct xp {
  gp_h5in *h;
  const char *in;         /* input path: starts messages about its content */
  char *dir;              /* output directory, without trailing slashes */
  char base[48];          /* "" or "/points/K": where the result tree is */
  long epoch_day;         /* day number of the epoch (days since 1970-01-01) */
  char **pol;             /* policy names, in the file's order */
  size_t npol;
  char *scenario;         /* the stored scenario JSON */
  cJSON *json;            /* its parse */
  const char **gpu_names; /* gpu_types[i].name, pointing into json */
  int ngpu;
  FILE *f[NFILES];        /* open on tmp[i] while writing */
  char *tmp[NFILES];      /* DIR/NAME.tmp-PID; NULL once renamed or removed */
  char *final[NFILES];    /* DIR/NAME */
  long rows[NFILES];      /* data rows written */
  gp_err *err;
} xp;

/* ---- cells ---- */

static void csv_text(FILE *f, const char *s) {
  size_t n = strlen(s);
  if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static void csv_double(FILE *f, double v) {
  char b[40];
  if (isnan(v)) return;
  if (isinf(v)) {
    fputs(v > 0 ? "inf" : "-inf", f);
    return;
  }
  if (v == floor(v) && fabs(v) < 1e15) {
    snprintf(b, sizeof b, "%.0f", v);
  } else {
    /* The shortest of %.15g .. %.17g that reads back exactly. */
    for (int prec = 15; prec <= 17; prec++) {
      snprintf(b, sizeof b, "%.*g", prec, v);
      if (strtod(b, NULL) == v) break;
    }
  }
  /* Under a locale with a decimal comma printf writes ','; a CSV needs '.'. */
  for (char *c = b; *c; c++)
    if (*c == ',') *c = '.';
  fputs(b, f);
}

/* The ISO date time T (days since the epoch) falls in; nothing for never. */
static void csv_date(FILE *f, long epoch_day, double t) {
  char b[16];
  if (!(t >= 0) || !(t < 1e7)) return; /* -1 = never; NaN; absurd */
  gp_date_format(epoch_day + (long)floor(t), b, sizeof b);
  fputs(b, f);
}

/* One table cell of field FD of ROW. */
static void csv_field(FILE *f, const gp_field *fd, const void *row) {
  const unsigned char *p = (const unsigned char *)row + fd->offset;
  switch (fd->type) {
  case GP_F_INT32: {
    int32_t v;
    memcpy(&v, p, sizeof v);
    fprintf(f, "%ld", (long)v);
    break;
  }
  case GP_F_INT64: {
    int64_t v;
    memcpy(&v, p, sizeof v);
    fprintf(f, "%lld", (long long)v);
    break;
  }
  case GP_F_DOUBLE: {
    double v;
    memcpy(&v, p, sizeof v);
    csv_double(f, v);
    break;
  }
  case GP_F_ENUM: {
    int8_t v;
    memcpy(&v, p, sizeof v);
    if (v >= 0 && v < fd->enum_count) csv_text(f, fd->enum_names[v]);
    else fprintf(f, "%d", (int)v);
    break;
  }
  }
}

/* ---- tables of rows ---- */

/* How a described table becomes columns. */
typedef struct shape {
  int dated;       /* fields in "days" are times since the epoch: add NAME_date */
  int call_names;  /* add call_name after the field "call" */
  char **names;    /* the demand sources' names, by call index */
  size_t nnames;
} shape;

static int is_time(const shape *sh, const gp_field *fd) {
  return sh->dated && fd->type == GP_F_DOUBLE && strcmp(fd->unit, "days") == 0;
}

static int is_call(const shape *sh, const gp_field *fd) {
  return sh->call_names && strcmp(fd->name, "call") == 0 &&
         (fd->type == GP_F_INT32 || fd->type == GP_F_INT64);
}

/* The header of D's columns, every field with the extra ones; AFTER = 1 when
 * other columns come before them on the line. */
static void table_header(FILE *f, const gp_table_desc *d, const shape *sh, int after) {
  for (int i = 0; i < d->nfields; i++) {
    const gp_field *fd = &d->fields[i];
    fprintf(f, "%s%s", i || after ? "," : "", fd->name);
    if (is_time(sh, fd)) fprintf(f, ",%s_date", fd->name);
    if (is_call(sh, fd)) fputs(",call_name", f);
  }
  fputc('\n', f);
}

static void table_row(const xp *x, FILE *f, const gp_table_desc *d, const shape *sh,
                      const void *row, int after) {
  for (int i = 0; i < d->nfields; i++) {
    const gp_field *fd = &d->fields[i];
    if (i || after) fputc(',', f);
    csv_field(f, fd, row);
    if (is_time(sh, fd)) {
      fputc(',', f);
      csv_date(f, x->epoch_day, gp_field_get(fd, row));
    }
    if (is_call(sh, fd)) {
      fputc(',', f);
      double c = gp_field_get(fd, row);
      if (c >= 0 && c < (double)sh->nnames) csv_text(f, sh->names[(size_t)c]);
    }
  }
  fputc('\n', f);
}

/* A write error shows in the stream's error flag: stop at the table's end
 * rather than read the rest of the file for nothing. */
static int check_stream(xp *x, int k) {
  if (!ferror(x->f[k])) return 0;
  return GP_ERR(x->err, GP_EX_IOERR, "%s: cannot write: %s", x->final[k],
                strerror(errno ? errno : EIO));
}

/* The rows of table NAME (summary, calls, proposals) of every policy. */
static int write_policy_tables(xp *x, int k, const char *name, const gp_table_desc *d, int dated,
                               int call_names) {
  FILE *f = x->f[k];
  shape sh0 = {dated, call_names, NULL, 0};
  fputs("policy", f);
  table_header(f, d, &sh0, 1);
  for (size_t p = 0; p < x->npol; p++) {
    char path[600];
    size_t n = 0;
    shape sh = sh0;
    /* Demand-source names are the calls table's "names" attribute. */
    snprintf(path, sizeof path, "%s/policies/%s/calls", x->base, x->pol[p]);
    if (call_names && !(sh.names = gp_h5in_attr_strings(x->h, path, "names", &sh.nnames, x->err)))
      return -1;
    snprintf(path, sizeof path, "%s/policies/%s/%s", x->base, x->pol[p], name);
    unsigned char *rows = gp_h5in_table(x->h, path, d, &n, x->err);
    if (!rows) {
      gp_h5in_free_names(sh.names, sh.nnames);
      return -1;
    }
    for (size_t r = 0; r < n; r++) {
      csv_text(f, x->pol[p]);
      table_row(x, f, d, &sh, rows + r * d->row_size, 1);
    }
    x->rows[k] += (long)n;
    free(rows);
    gp_h5in_free_names(sh.names, sh.nnames);
    if (check_stream(x, k)) return -1;
  }
  return 0;
}

static int write_proposals(xp *x) {
  gp_field fields[GP_PROPOSAL_NFIELDS];
  gp_table_desc d;
  gp_proposal_desc_init(&d, fields, x->gpu_names, x->ngpu);
  return write_policy_tables(x, F_PROPOSALS, "proposals", &d, 1, 1);
}

/* ---- statistics ---- */

/* The unit of summary metric NAME ("" if this build does not know it). */
static const char *metric_unit(const char *name) {
  for (int i = 0; i < gp_summary_desc.nfields; i++)
    if (strcmp(gp_summary_desc.fields[i].name, name) == 0) return gp_summary_desc.fields[i].unit;
  return "";
}

/* The rows of statistics table PATH, each after the leading cells LEAD
 * (already quoted, with their trailing comma).  The metric enum is read
 * with the names of the table's own "metrics" attribute, so a file with
 * metrics this build does not know still exports. */
static int write_stat_table(xp *x, int k, const char *path, const char *lead) {
  FILE *f = x->f[k];
  size_t nm = 0, n = 0;
  char **metrics = gp_h5in_attr_strings(x->h, path, "metrics", &nm, x->err);
  if (!metrics) return -1;
  gp_stat_count(); /* completes gp_stat_desc */
  gp_field fields[16];
  gp_table_desc d = gp_stat_desc;
  int mi = -1;
  if (d.nfields > (int)(sizeof fields / sizeof fields[0])) {
    gp_h5in_free_names(metrics, nm);
    return GP_ERR(x->err, GP_EX_SOFTWARE, "export: statistics table has too many fields");
  }
  for (int i = 0; i < d.nfields; i++) {
    fields[i] = gp_stat_desc.fields[i];
    if (strcmp(fields[i].name, "metric") == 0 && fields[i].type == GP_F_ENUM) {
      fields[i].enum_names = (const char *const *)metrics;
      fields[i].enum_count = (int)nm;
      mi = i;
    }
  }
  d.fields = fields;
  unsigned char *rows = gp_h5in_table(x->h, path, &d, &n, x->err);
  if (!rows) {
    gp_h5in_free_names(metrics, nm);
    return -1;
  }
  for (size_t r = 0; r < n; r++) {
    const unsigned char *row = rows + r * d.row_size;
    fputs(lead, f);
    for (int i = 0; i < d.nfields; i++) {
      if (i) fputc(',', f);
      csv_field(f, &fields[i], row);
    }
    fputc(',', f);
    int m = mi >= 0 ? (int)gp_field_get(&fields[mi], row) : -1;
    csv_text(f, m >= 0 && (size_t)m < nm ? metric_unit(metrics[m]) : "");
    fputc('\n', f);
  }
  x->rows[k] += (long)n;
  free(rows);
  gp_h5in_free_names(metrics, nm);
  return check_stream(x, k);
}

static void stat_header(FILE *f, const char *lead) {
  gp_stat_count();
  fputs(lead, f);
  for (int i = 0; i < gp_stat_desc.nfields; i++)
    fprintf(f, "%s%s", i ? "," : "", gp_stat_desc.fields[i].name);
  fputs(",unit\n", f);
}

/* A quoted cell and a comma, as a string (malloc'd). */
static char *lead_cells(const char *a, const char *b) {
  char *buf = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&buf, &size);
  if (!m) return NULL;
  csv_text(m, a);
  fputc(',', m);
  if (b) {
    csv_text(m, b);
    fputc(',', m);
  }
  if (fclose(m) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

static int write_stats(xp *x) {
  stat_header(x->f[F_STATS], "policy,");
  for (size_t p = 0; p < x->npol; p++) {
    char path[600];
    snprintf(path, sizeof path, "%s/stats/%s", x->base, x->pol[p]);
    char *lead = lead_cells(x->pol[p], NULL);
    if (!lead) return GP_ERR_NOMEM(x->err);
    int rc = write_stat_table(x, F_STATS, path, lead);
    free(lead);
    if (rc) return -1;
  }
  return 0;
}

/* /compare/A__B in the file's order; A and B from the table's attributes
 * (a name may itself contain "__"). */
static int write_compare(xp *x) {
  stat_header(x->f[F_COMPARE], "a,b,");
  char group[64];
  snprintf(group, sizeof group, "%s/compare", x->base);
  if (!gp_h5in_exists(x->h, group)) return 0; /* one policy: nothing to compare */
  size_t n = 0;
  char **names = gp_h5in_list(x->h, group, &n, x->err);
  if (!names) return -1;
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", group, names[i]);
    char *a = gp_h5in_attr_string(x->h, path, "a", x->err);
    char *b = a ? gp_h5in_attr_string(x->h, path, "b", x->err) : NULL;
    char *lead = b ? lead_cells(a, b) : NULL;
    if (b && !lead) GP_ERR_NOMEM(x->err);
    rc = lead ? write_stat_table(x, F_COMPARE, path, lead) : -1;
    free(a), free(b), free(lead);
  }
  gp_h5in_free_names(names, n);
  return rc;
}

/* ---- time series ---- */

/* Rows of the [reps x samples] series PATH: policy P, series NAME, TRANCHE
 * ("" for a programme series). */
static int write_series(xp *x, size_t p, const char *path, const char *name, const char *tranche,
                        const double *rep, size_t nrep, const double *time, size_t ns) {
  FILE *f = x->f[F_TIMESERIES];
  size_t rows = 0, cols = 0;
  double *m = gp_h5in_matrix(x->h, path, &rows, &cols, x->err);
  if (!m) return -1;
  if (rows != nrep || (rows && cols != ns)) {
    free(m);
    return GP_ERR(x->err, GP_EX_DATAERR, "%s: %s: %zu x %zu values, expected %zu x %zu", x->in,
                  path, rows, cols, nrep, ns);
  }
  gp_err quiet; /* units are optional: no message when absent */
  gp_err_clear(&quiet);
  char *unit = gp_h5in_attr_string(x->h, path, "units", &quiet);
  for (size_t r = 0; r < nrep; r++)
    for (size_t i = 0; i < ns; i++) {
      csv_text(f, x->pol[p]);
      fputc(',', f);
      csv_double(f, rep[r]);
      fputc(',', f);
      csv_date(f, x->epoch_day, time[i]);
      fputc(',', f);
      csv_double(f, time[i]);
      fputc(',', f);
      csv_text(f, name);
      fputc(',', f);
      csv_text(f, tranche);
      fputc(',', f);
      csv_double(f, m[r * ns + i]);
      fputc(',', f);
      csv_text(f, unit ? unit : "");
      fputc('\n', f);
    }
  x->rows[F_TIMESERIES] += (long)(nrep * ns);
  free(unit);
  free(m);
  return check_stream(x, F_TIMESERIES);
}

static int write_policy_series(xp *x, size_t p) {
  char ts[600], path[1200];
  snprintf(ts, sizeof ts, "%s/policies/%s/timeseries", x->base, x->pol[p]);
  size_t nrep = 0, ns = 0, c = 0, n = 0, nt = 0;
  double *time = NULL, *rep = NULL;
  char **names = NULL, **tranches = NULL;
  int rc = -1;
  snprintf(path, sizeof path, "%s/time", ts);
  if (!(time = gp_h5in_matrix(x->h, path, &ns, &c, x->err))) goto done;
  snprintf(path, sizeof path, "%s/rep", ts);
  if (!(rep = gp_h5in_matrix(x->h, path, &nrep, &c, x->err))) goto done;
  if (!(names = gp_h5in_list(x->h, ts, &n, x->err))) goto done;
  rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    if (!strcmp(names[i], "time") || !strcmp(names[i], "rep") || !strcmp(names[i], "tranches"))
      continue;
    snprintf(path, sizeof path, "%s/%s", ts, names[i]);
    rc = write_series(x, p, path, names[i], "", rep, nrep, time, ns);
  }
  snprintf(path, sizeof path, "%s/tranches", ts);
  if (rc || !gp_h5in_exists(x->h, path)) goto done;
  if (!(tranches = gp_h5in_list(x->h, path, &nt, x->err))) {
    rc = -1;
    goto done;
  }
  for (size_t t = 0; t < nt && !rc; t++) {
    char tg[900];
    size_t nk = 0;
    snprintf(tg, sizeof tg, "%s/tranches/%s", ts, tranches[t]);
    char **kinds = gp_h5in_list(x->h, tg, &nk, x->err);
    if (!kinds) rc = -1;
    for (size_t k = 0; k < nk && !rc; k++) {
      snprintf(path, sizeof path, "%s/%s", tg, kinds[k]);
      rc = write_series(x, p, path, kinds[k], tranches[t], rep, nrep, time, ns);
    }
    gp_h5in_free_names(kinds, nk);
  }
done:
  free(time);
  free(rep);
  gp_h5in_free_names(names, n);
  gp_h5in_free_names(tranches, nt);
  return rc;
}

static int write_timeseries(xp *x) {
  fputs("policy,rep,date,day,series,tranche,value,unit\n", x->f[F_TIMESERIES]);
  for (size_t p = 0; p < x->npol; p++)
    if (write_policy_series(x, p)) return -1;
  return 0;
}

/* The roadmap as delivered, one row per replication (policy independent).
 * Files written before it existed have none: the header alone. */
static int write_roadmap(xp *x) {
  FILE *f = x->f[F_ROADMAP];
  shape sh = {1, 0, NULL, 0};
  char path[80];
  snprintf(path, sizeof path, "%s/roadmap", x->base);
  table_header(f, &gp_roadmap_desc, &sh, 0);
  if (!gp_h5in_exists(x->h, path)) return 0;
  size_t n = 0;
  unsigned char *rows = gp_h5in_table(x->h, path, &gp_roadmap_desc, &n, x->err);
  if (!rows) return -1;
  for (size_t r = 0; r < n; r++)
    table_row(x, f, &gp_roadmap_desc, &sh, rows + r * gp_roadmap_desc.row_size, 0);
  x->rows[F_ROADMAP] = (long)n;
  free(rows);
  return check_stream(x, F_ROADMAP);
}

static int write_scenario(xp *x) {
  fputs(x->scenario, x->f[F_SCENARIO]);
  x->rows[F_SCENARIO] = 1;
  return check_stream(x, F_SCENARIO);
}

/* ---- the input ---- */

/* Which tree to read: /points/POINT/ or the root (as compare --point). */
static int find_point(xp *x, long point) {
  double np = 0;
  x->base[0] = '\0';
  if (!gp_h5in_exists(x->h, "/points")) {
    if (point > 0)
      return GP_ERR(x->err, GP_EX_USAGE, "%s: no sweep points in this file (--point %ld)", x->in,
                    point);
  } else {
    if (gp_h5in_attr_double(x->h, "/", "points", &np, x->err)) return -1;
    if (point < 0) point = 0;
    if ((double)point >= np)
      return GP_ERR(x->err, GP_EX_USAGE, "%s: --point %ld: the file has points 0 to %.0f", x->in,
                    point, np - 1);
    snprintf(x->base, sizeof x->base, "/points/%ld", point);
  }
  char pols[80];
  snprintf(pols, sizeof pols, "%s/policies", x->base);
  if (!gp_h5in_exists(x->h, pols))
    return GP_ERR(x->err, GP_EX_DATAERR, "%s: %s not found", x->in, pols);
  return 0;
}

/* The point's tree, its policies, its scenario (the point's own in a sweep,
 * whose epoch and GPU types may differ from the base scenario's) and epoch. */
static int read_input(xp *x, long point) {
  if (find_point(x, point)) return -1;
  char path[80];
  snprintf(path, sizeof path, "%s/policies", x->base);
  if (!(x->pol = gp_h5in_list(x->h, path, &x->npol, x->err))) return -1;

  snprintf(path, sizeof path, "%s/scenario", x->base);
  if (!gp_h5in_exists(x->h, path)) snprintf(path, sizeof path, "/scenario");
  if (!(x->scenario = gp_h5in_text(x->h, path, x->err))) return -1;
  /* The proposal table's gpu_type enum is the scenario's gpu_types, in order. */
  const cJSON *g = NULL, *e = NULL;
  if (!(x->json = cJSON_Parse(x->scenario)) ||
      !cJSON_IsArray(g = cJSON_GetObjectItemCaseSensitive(x->json, "gpu_types")))
    return GP_ERR(x->err, GP_EX_DATAERR, "%s: %s: not a scenario with gpu_types", x->in, path);
  x->ngpu = cJSON_GetArraySize(g);
  if (!(x->gpu_names = calloc((size_t)(x->ngpu ? x->ngpu : 1), sizeof *x->gpu_names)))
    return GP_ERR_NOMEM(x->err);
  for (int i = 0; i < x->ngpu; i++) {
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(g, i), "name");
    if (!cJSON_IsString(name))
      return GP_ERR(x->err, GP_EX_DATAERR, "%s: %s: gpu_types[%d] has no name", x->in, path, i);
    x->gpu_names[i] = name->valuestring;
  }
  e = cJSON_GetObjectItemCaseSensitive(x->json, "epoch");
  if (cJSON_IsString(e) && gp_date_parse(e->valuestring, &x->epoch_day) == 0) return 0;
  /* Not in the scenario: the root attribute. */
  char *epoch = gp_h5in_attr_string(x->h, "/", "epoch", x->err);
  if (!epoch) return -1;
  int bad = gp_date_parse(epoch, &x->epoch_day);
  if (bad) GP_ERR(x->err, GP_EX_DATAERR, "%s: epoch \"%s\" is not a date YYYY-MM-DD", x->in, epoch);
  free(epoch);
  return bad ? -1 : 0;
}

/* ---- the output ---- */

/* Make DIR if missing; *CREATED = 1 when this call made it. */
static int make_dir(xp *x, int *created) {
  *created = 0;
  if (mkdir(x->dir, 0777) == 0) {
    *created = 1;
    return 0;
  }
  int e = errno;
  struct stat st;
  if (e == EEXIST && stat(x->dir, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
  return GP_ERR(x->err, GP_EX_CANTCREAT, "%s: cannot create directory: %s", x->dir,
                strerror(e == EEXIST ? ENOTDIR : e));
}

static int open_files(xp *x) {
  for (int k = 0; k < NFILES; k++) {
    size_t len = strlen(x->dir) + strlen(gp_export_files[k]) + 40;
    if (!(x->final[k] = malloc(len)) || !(x->tmp[k] = malloc(len))) return GP_ERR_NOMEM(x->err);
    snprintf(x->final[k], len, "%s/%s", x->dir, gp_export_files[k]);
    snprintf(x->tmp[k], len, "%s.tmp-%ld", x->final[k], (long)getpid());
    int fd = open(x->tmp[k], O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0 || !(x->f[k] = fdopen(fd, "w"))) {
      int e = errno;
      if (fd >= 0) close(fd);
      if (fd >= 0) unlink(x->tmp[k]);
      free(x->tmp[k]);
      x->tmp[k] = NULL;
      return GP_ERR(x->err, GP_EX_CANTCREAT, "%s: cannot create: %s", x->final[k], strerror(e));
    }
  }
  return 0;
}

/* Flush, sync and close file K; a failure is a write error. */
static int close_file(xp *x, int k) {
  FILE *f = x->f[k];
  x->f[k] = NULL;
  int e = 0;
  if (fflush(f) != 0 || ferror(f)) e = errno ? errno : EIO;
  else if (fsync(fileno(f)) != 0 && errno != EINVAL) e = errno; /* EINVAL: cannot sync here */
  if (fclose(f) != 0 && !e) e = errno;
  if (e) return GP_ERR(x->err, GP_EX_IOERR, "%s: cannot write: %s", x->final[k], strerror(e));
  return 0;
}

/* Remove what is left of a failed export. */
static void discard(xp *x, int created) {
  for (int k = 0; k < NFILES; k++) {
    if (x->f[k]) fclose(x->f[k]), x->f[k] = NULL;
    if (x->tmp[k]) unlink(x->tmp[k]);
  }
  if (created) rmdir(x->dir); /* only if empty: never anything but ours */
}

int gp_export_csv(const char *path, const char *dir, long point, long rows[NFILES], gp_err *err) {
  xp x;
  memset(&x, 0, sizeof x);
  x.in = path;
  x.err = err;
  int rc = -1, created = 0;
  if (!(x.dir = strdup(dir))) return GP_ERR_NOMEM(err);
  for (size_t n = strlen(x.dir); n > 1 && x.dir[n - 1] == '/'; n--) x.dir[n - 1] = '\0';
  if (!(x.h = gp_h5in_open(path, err)) || read_input(&x, point) || make_dir(&x, &created))
    goto done;
  if (open_files(&x) || write_policy_tables(&x, F_SUMMARY, "summary", &gp_summary_desc, 0, 0) ||
      write_stats(&x) || write_compare(&x) ||
      write_policy_tables(&x, F_CALLS, "calls", &gp_call_desc, 1, 1) || write_proposals(&x) ||
      write_timeseries(&x) || write_roadmap(&x) || write_scenario(&x))
    goto done;
  for (int k = 0; k < NFILES; k++)
    if (close_file(&x, k)) goto done;
  /* Every file is complete: now replace the old ones. */
  for (int k = 0; k < NFILES; k++) {
    if (rename(x.tmp[k], x.final[k]) != 0) {
      GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: rename from %s: %s", x.final[k], x.tmp[k],
             strerror(errno));
      goto done;
    }
    free(x.tmp[k]);
    x.tmp[k] = NULL;
  }
  if (rows) memcpy(rows, x.rows, sizeof x.rows);
  rc = 0;
done:
  if (rc) discard(&x, created);
  for (int k = 0; k < NFILES; k++) free(x.tmp[k]), free(x.final[k]);
  free(x.gpu_names);
  cJSON_Delete(x.json);
  free(x.scenario);
  gp_h5in_free_names(x.pol, x.npol);
  gp_h5in_close(x.h);
  free(x.dir);
  return rc;
}
