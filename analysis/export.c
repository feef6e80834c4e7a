/*
 * analysis/export.c - a result file as CSV files (see export.h).
 *
 * Invariants:
 *  - All reading is through analysis/reader; everything that decides whether
 *    the file can be exported at all (opens, is gpuplan's, has the point, its
 *    policies, scenario, epoch and GPU types read) is checked before DIR is
 *    touched.
 *  - Each output goes to DIR/NAME.tmp-PID; the renames happen only after every
 *    file is complete, flushed, synced and closed.  Any failure before them
 *    removes every temporary, and DIR itself when this call created it, so
 *    DIR is either left as it was or holds a complete export.  (Only a rename
 *    failing halfway, within one directory we just wrote to, could mix old
 *    and new files; the message then names the file.)
 *  - Columns come from the field tables of models/results (gp_summary_desc,
 *    gp_call_desc, gp_stat_desc, the proposal table's): a new field is a new
 *    column with no change here.  A statistic's unit is its field's, from the
 *    metric catalogue; the CSV files hold values as stored, never scaled.
 *  - Cells: RFC 4180 quoting (a field with a comma, quote, CR, LF or an edge
 *    space is quoted, quotes doubled); numbers in the C locale ('.' decimal)
 *    as the shortest text that reads back to the same double; NaN as an empty
 *    cell; infinities as inf / -inf; enums as their names; lines end in LF.
 *  - A text cell a spreadsheet would take for a formula (one that starts
 *    with =, +, -, @, a tab or a CR: OWASP's "CSV injection") is written
 *    with a leading ' so that it shows as text; number cells never are.
 *  - SIGINT and SIGTERM (sim/interrupt.h) are honoured between tables and
 *    every few thousand rows: the export stops as on any failure, nothing
 *    written, and returns GP_EX_SIGNAL + N.
 *  - Times (days since the epoch, NaN = never, read so from a version-1
 *    file's -1 by the reader) of the calls, proposals and roadmap tables
 *    keep their numeric column, empty for never as every NaN, and get a
 *    NAME_date column, the ISO date the time falls in, empty for never.  (The summary's
 *    "days" are durations: no dates; nor a field named "..days..", such as
 *    the calls' p90_days_to_decision.)
 *  - Every header cell is written by header_cell, which also describes the
 *    column in csv-metadata.json (W3C's Metadata Vocabulary for Tabular
 *    Data, CSVW): its name, datatype, unit (schema:unitText, the field's
 *    unit) and meaning (dc:description, the field's doc line).  The units
 *    live there and in the HDF5 file, not in the header cells, so that a
 *    script's df["mean_days_to_gpu"] keeps working (issue 17, item 7).
 */
#include "analysis/export.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/reader.h"
#include "analysis/text.h"
#include "models/scenario/date.h"
#include "sim/interrupt.h"

enum { F_SUMMARY, F_STATS, F_COMPARE, F_CALLS, F_PROPOSALS, F_TIMESERIES, F_ROADMAP,
       F_ROADMAP_TRANCHES, F_SCENARIO, F_METADATA, NFILES };
_Static_assert(NFILES == GP_EXPORT_NFILES, "export.h lists the files");

const char *const gp_export_files[NFILES] = {
    "summary.csv",    "stats.csv",   "compare.csv",  "calls.csv", "proposals.csv",
    "timeseries.csv", "roadmap.csv", "roadmap_tranches.csv", "scenario.json",
    "csv-metadata.json"};

typedef struct xp {
  gp_reader *r;           /* the result file, at the point exported */
  gp_table_desc prop;     /* the proposal table (its GPU types are the scenario's) */
  gp_field prop_fields[GP_PROPOSAL_NFIELDS];
  char *dir;              /* output directory, without trailing slashes */
  FILE *f[NFILES];        /* open on tmp[i] while writing */
  char *tmp[NFILES];      /* DIR/NAME.tmp-PID; NULL once renamed or removed */
  char *final[NFILES];    /* DIR/NAME */
  long rows[NFILES];      /* data rows written */
  cJSON *meta;            /* csv-metadata.json being built */
  cJSON *cols;            /* the columns of the table whose header is being written */
  int nomem;              /* a cJSON allocation failed */
  gp_err *err;
} xp;

/* ---- cells ---- */

/* The ISO date time T (days since the epoch) falls in; nothing for never. */
static void csv_date(FILE *f, long epoch_day, double t) {
  char b[16];
  if (!(t >= 0) || !(t < 1e7)) return; /* NaN = never; absurd */
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
    gp_csv_number(f, v);
    break;
  }
  case GP_F_ENUM: {
    int8_t v;
    memcpy(&v, p, sizeof v);
    if (v >= 0 && v < fd->enum_count) gp_csv_text(f, fd->enum_names[v]);
    else fprintf(f, "%d", (int)v);
    break;
  }
  }
}

/* ---- header cells and their description ---- */

static const char *datatype_of(const gp_field *fd) {
  switch (fd->type) {
  case GP_F_INT32:
  case GP_F_INT64: return "integer";
  case GP_F_DOUBLE: return "double";
  case GP_F_ENUM: return "string";
  }
  return "string";
}

/* Start the description of file K's columns (DESC: what a row is). */
static void begin_columns(xp *x, int k, const char *desc) {
  cJSON *t = cJSON_CreateObject(), *schema = cJSON_CreateObject();
  x->cols = cJSON_CreateArray();
  if (!t || !schema || !x->cols || !cJSON_AddStringToObject(t, "url", gp_export_files[k]) ||
      !cJSON_AddStringToObject(t, "dc:description", desc)) {
    cJSON_Delete(t);
    cJSON_Delete(schema);
    cJSON_Delete(x->cols);
    x->cols = NULL;
    x->nomem = 1;
    return;
  }
  cJSON_AddItemToObject(schema, "columns", x->cols);
  cJSON_AddItemToObject(t, "tableSchema", schema);
  cJSON_AddItemToArray(cJSON_GetObjectItem(x->meta, "tables"), t);
}

/* Header cell NAME on F (after a comma unless FIRST), described as DATATYPE
 * in UNIT ("" = none: a label, or a unit given row by row), meaning DOC. */
static void header_cell(xp *x, FILE *f, int first, const char *name, const char *datatype,
                        const char *unit, const char *doc) {
  fprintf(f, "%s%s", first ? "" : ",", name);
  if (!x->cols) return;
  cJSON *c = cJSON_CreateObject();
  if (!c || !cJSON_AddStringToObject(c, "name", name) ||
      !cJSON_AddStringToObject(c, "titles", name) ||
      !cJSON_AddStringToObject(c, "datatype", datatype) ||
      (unit && *unit && !cJSON_AddStringToObject(c, "schema:unitText", unit)) ||
      (doc && *doc && !cJSON_AddStringToObject(c, "dc:description", doc))) {
    cJSON_Delete(c);
    x->nomem = 1;
    return;
  }
  cJSON_AddItemToArray(x->cols, c);
}

/* ---- tables of rows ---- */

/* How a described table becomes columns. */
typedef struct shape {
  int dated;       /* fields in "days" are times since the epoch (is_time): add NAME_date */
  int call_names;  /* add call_name after the field "call" */
  char **names;    /* the demand sources' names, by call index */
  size_t nnames;
} shape;

/* A field in "days" named "..days.." (p90_days_to_decision) is a number of
 * days, not a time since the epoch. */
static int is_time(const shape *sh, const gp_field *fd) {
  return sh->dated && fd->type == GP_F_DOUBLE && strcmp(fd->unit, "days") == 0 &&
         !strstr(fd->name, "days");
}

static int is_call(const shape *sh, const gp_field *fd) {
  return sh->call_names && strcmp(fd->name, "call") == 0 &&
         (fd->type == GP_F_INT32 || fd->type == GP_F_INT64);
}

/* The header of D's columns, every field with the extra ones; AFTER = 1 when
 * other columns come before them on the line. */
static void table_header(xp *x, FILE *f, const gp_table_desc *d, const shape *sh, int after) {
  for (int i = 0; i < d->nfields; i++) {
    const gp_field *fd = &d->fields[i];
    header_cell(x, f, !i && !after, fd->name, datatype_of(fd), fd->unit, fd->doc);
    if (is_time(sh, fd)) {
      char date[128];
      snprintf(date, sizeof date, "%s_date", fd->name);
      header_cell(x, f, 0, date, "date", "", "the ISO date the time falls in; empty for never");
    }
    if (is_call(sh, fd))
      header_cell(x, f, 0, "call_name", "string", "", "the demand source's name");
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
      csv_date(f, x->r->epoch, gp_field_get(fd, row));
    }
    if (is_call(sh, fd)) {
      fputc(',', f);
      double c = gp_field_get(fd, row);
      if (c >= 0 && c < (double)sh->nnames) gp_csv_text(f, sh->names[(size_t)c]);
    }
  }
  fputc('\n', f);
}

/* GP_EX_SIGNAL + N once signal N asked the command to stop. */
static int stopped(xp *x) {
  int sig = (int)gp_interrupted;
  return sig ? GP_ERR(x->err, GP_EX_SIGNAL + sig, "interrupted by signal %d; nothing written", sig)
             : 0;
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
  char desc[96];
  snprintf(desc, sizeof desc, "/policies/P/%s of every policy, the policy first", name);
  begin_columns(x, k, desc);
  header_cell(x, f, 1, "policy", "string", "", "the policy");
  table_header(x, f, d, &sh0, 1);
  for (size_t p = 0; p < x->r->np; p++) {
    size_t n = 0;
    shape sh = sh0;
    if (call_names && !(sh.names = gp_reader_call_names(x->r, p, &sh.nnames, x->err))) return -1;
    unsigned char *rows = gp_reader_table(x->r, p, name, d, &n, x->err);
    if (!rows) {
      gp_h5in_free_names(sh.names, sh.nnames);
      return -1;
    }
    int rc = 0;
    for (size_t r = 0; r < n && !rc; r++) {
      if (r % 4096 == 0) rc = stopped(x);
      gp_csv_text(f, x->r->pol[p].name);
      table_row(x, f, d, &sh, rows + r * d->row_size, 1);
    }
    x->rows[k] += (long)n;
    free(rows);
    gp_h5in_free_names(sh.names, sh.nnames);
    if (rc || check_stream(x, k)) return -1;
  }
  return 0;
}

/* ---- statistics ---- */

/* The rows of statistics table S, each after the leading cells LEAD (already
 * quoted, with their trailing comma), and the metric's unit. */
static int write_stat_table(xp *x, int k, const gp_stored_stats *s, const char *lead) {
  FILE *f = x->f[k];
  int mi = -1;
  for (int i = 0; i < gp_stat_desc.nfields; i++)
    if (gp_stat_desc.fields[i].type == GP_F_ENUM) mi = i;
  for (size_t r = 0; r < s->n; r++) {
    const gp_stat_row *row = &s->rows[r];
    fputs(lead, f);
    for (int i = 0; i < gp_stat_desc.nfields; i++) {
      if (i) fputc(',', f);
      if (i == mi && row->metric >= 0 && (size_t)row->metric < s->nmetrics) {
        gp_csv_text(f, s->metrics[row->metric]);
      } else if (i == mi) {
        fprintf(f, "%d", (int)row->metric);
      } else {
        csv_field(f, &gp_stat_desc.fields[i], row);
      }
    }
    fputc(',', f);
    const gp_field *m = row->metric >= 0 && (size_t)row->metric < s->nmetrics
                            ? gp_metric_find(s->metrics[row->metric]) : NULL;
    gp_csv_text(f, m ? m->unit : ""); /* "" for a metric this build does not know */
    fputc('\n', f);
  }
  x->rows[k] += (long)s->n;
  return check_stream(x, k);
}

/* The header of a statistics file: the lead columns LEAD (NLEAD names,
 * described by LEAD_DOC), the statistics' fields (in the row's unit), unit. */
static void stat_header(xp *x, FILE *f, const char *const *lead, const char *const *lead_doc,
                        int nlead) {
  gp_stat_count(); /* completes gp_stat_desc */
  for (int i = 0; i < nlead; i++) header_cell(x, f, !i, lead[i], "string", "", lead_doc[i]);
  for (int i = 0; i < gp_stat_desc.nfields; i++) {
    const gp_field *fd = &gp_stat_desc.fields[i];
    /* The values are in the metric's unit, given row by row. */
    int row_unit = fd->type == GP_F_DOUBLE && strcmp(fd->unit, "1") != 0 && *fd->unit;
    header_cell(x, f, 0, fd->name, datatype_of(fd), row_unit ? "" : fd->unit, fd->doc);
  }
  header_cell(x, f, 0, "unit", "string", "", "the unit of the row's values (the metric's)");
  fputc('\n', f);
}

/* A quoted cell and a comma, as a string (malloc'd). */
static char *lead_cells(const char *a, const char *b) {
  char *buf = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&buf, &size);
  if (!m) return NULL;
  gp_csv_text(m, a);
  fputc(',', m);
  if (b) {
    gp_csv_text(m, b);
    fputc(',', m);
  }
  if (fclose(m) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

static int write_stats(xp *x) {
  static const char *const cols[] = {"policy"}, *const doc[] = {"the policy"};
  begin_columns(x, F_STATS, "/policies/P/stats of every policy: one row per metric");
  stat_header(x, x->f[F_STATS], cols, doc, 1);
  for (size_t p = 0; p < x->r->np; p++) {
    gp_stored_stats s;
    if (gp_reader_policy_stats(x->r, p, &s, x->err)) return -1;
    char *lead = lead_cells(s.a, NULL);
    int rc = lead ? write_stat_table(x, F_STATS, &s, lead) : GP_ERR_NOMEM(x->err);
    free(lead);
    gp_stored_stats_free(&s);
    if (rc) return -1;
  }
  return 0;
}

/* -X, with 0 for 0 (no "-0" cell). */
static double minus(double x) { return x == 0 ? 0 : -x; }

/* /compare/A__B in the file's order, each as `policy` B `against` A: the
 * statistics of B - A, the sign of the difference that compare, the report
 * and the charts show (the policy minus the one it is compared against;
 * issue 17, item 7: the file's A - B read the other way round). */
static int write_compare(xp *x) {
  static const char *const cols[] = {"policy", "against"};
  static const char *const doc[] = {"the policy", "the policy it is compared against"};
  begin_columns(x, F_COMPARE, "/compare/A__B: the statistics of policy - against, paired by "
                              "replication; one row per metric");
  stat_header(x, x->f[F_COMPARE], cols, doc, 2);
  size_t n = 0;
  char **pairs = gp_reader_pairs(x->r, &n, x->err);
  if (!pairs) return -1;
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    gp_stored_stats s;
    if ((rc = gp_reader_pair_stats(x->r, pairs[i], &s, x->err)) != 0) break;
    for (size_t k = 0; k < s.n; k++) {
      gp_stat_row *row = &s.rows[k];
      double lo = row->lo;
      row->mean = minus(row->mean);
      row->lo = minus(row->hi);
      row->hi = minus(lo);
    }
    char *lead = lead_cells(s.b, s.a);
    rc = lead ? write_stat_table(x, F_COMPARE, &s, lead) : GP_ERR_NOMEM(x->err);
    free(lead);
    gp_stored_stats_free(&s);
  }
  gp_h5in_free_names(pairs, n);
  return rc;
}

/* ---- time series ---- */

/* Rows of series I of policy P (nrep x ns values M). */
static int write_series(xp *x, size_t p, const gp_reader_series *ts, size_t i, const double *m,
                        const char *unit) {
  FILE *f = x->f[F_TIMESERIES];
  for (size_t r = 0; r < ts->nrep; r++)
    for (size_t j = 0; j < ts->ns; j++) {
      gp_csv_text(f, x->r->pol[p].name);
      fputc(',', f);
      gp_csv_number(f, ts->rep[r]);
      fputc(',', f);
      csv_date(f, x->r->epoch, ts->time[j]);
      fputc(',', f);
      gp_csv_number(f, ts->time[j]);
      fputc(',', f);
      gp_csv_text(f, ts->name[i]);
      fputc(',', f);
      gp_csv_text(f, ts->tranche[i] ? ts->tranche[i] : "");
      fputc(',', f);
      gp_csv_number(f, m[r * ts->ns + j]);
      fputc(',', f);
      gp_csv_text(f, unit ? unit : "");
      fputc('\n', f);
    }
  x->rows[F_TIMESERIES] += (long)(ts->nrep * ts->ns);
  return check_stream(x, F_TIMESERIES);
}

static int write_timeseries(xp *x) {
  FILE *f = x->f[F_TIMESERIES];
  begin_columns(x, F_TIMESERIES, "/policies/P/timeseries, one row per policy, replication, "
                                 "sample time and series");
  header_cell(x, f, 1, "policy", "string", "", "the policy");
  header_cell(x, f, 0, "rep", "integer", "", "the replication");
  header_cell(x, f, 0, "date", "date", "", "the ISO date of the sample");
  header_cell(x, f, 0, "day", "double", "days", "the sample time, days since the epoch");
  header_cell(x, f, 0, "series", "string", "", "the series' name");
  header_cell(x, f, 0, "tranche", "string", "", "the tranche of a per-tranche series; empty for others");
  header_cell(x, f, 0, "value", "double", "", "the value, in the row's unit");
  header_cell(x, f, 0, "unit", "string", "", "the series' unit");
  fputc('\n', f);
  for (size_t p = 0; p < x->r->np; p++) {
    gp_reader_series ts;
    if (gp_reader_series_open(x->r, p, &ts, x->err)) return -1;
    int rc = 0;
    for (size_t i = 0; i < ts.n && !rc; i++) {
      if ((rc = stopped(x)) != 0) break;
      char *unit = NULL;
      double *m = gp_reader_series_read(x->r, p, &ts, i, &unit, x->err);
      rc = m ? write_series(x, p, &ts, i, m, unit) : -1;
      free(m);
      free(unit);
    }
    gp_reader_series_free(&ts);
    if (rc) return -1;
  }
  return 0;
}

/* The roadmap as delivered, one row per replication (policy independent).
 * Files written before it existed have none: the header alone. */
static int write_roadmap(xp *x) {
  FILE *f = x->f[F_ROADMAP];
  shape sh = {1, 0, NULL, 0};
  begin_columns(x, F_ROADMAP, "/roadmap: the roadmap as delivered, one row per replication");
  table_header(x, f, &gp_roadmap_desc, &sh, 0);
  gp_roadmap_row *rows = NULL;
  size_t n = 0;
  if (gp_reader_roadmap(x->r, &rows, &n, NULL, x->err)) return -1;
  for (size_t r = 0; r < n; r++) table_row(x, f, &gp_roadmap_desc, &sh, &rows[r], 0);
  x->rows[F_ROADMAP] = (long)n;
  free(rows);
  return check_stream(x, F_ROADMAP);
}

/* The gap at the target date by tranche (issue 17, item 1), the tranche's
 * name first.  Files written before it existed, or without a target, have
 * none: the header alone. */
static int write_roadmap_tranches(xp *x) {
  FILE *f = x->f[F_ROADMAP_TRANCHES];
  shape sh = {1, 0, NULL, 0};
  begin_columns(x, F_ROADMAP_TRANCHES, "/roadmap/tranches: the gap at the target date by tranche");
  header_cell(x, f, 1, "tranche_name", "string", "", "the tranche");
  table_header(x, f, &gp_roadmap_tranche_desc, &sh, 1);
  gp_reader_plan pl;
  if (gp_reader_roadmap_plan(x->r, &pl, x->err)) return -1;
  for (size_t i = 0; i < pl.n; i++) {
    gp_csv_text(f, pl.names[i]);
    table_row(x, f, &gp_roadmap_tranche_desc, &sh, &pl.rows[i], 1);
  }
  x->rows[F_ROADMAP_TRANCHES] = (long)pl.n;
  gp_reader_plan_free(&pl);
  return check_stream(x, F_ROADMAP_TRANCHES);
}

static int write_scenario(xp *x) {
  fputs(x->r->scenario_text, x->f[F_SCENARIO]);
  x->rows[F_SCENARIO] = 1;
  return check_stream(x, F_SCENARIO);
}

/* The table group's top: context and description; the tables follow as
 * written.  Nothing in it depends on where the result file is, so that the
 * same data export to the same files (test_never compares whole exports). */
static int begin_metadata(xp *x) {
  cJSON *ctx = cJSON_CreateArray(), *lang = cJSON_CreateObject();
  x->meta = cJSON_CreateObject();
  if (!ctx || !lang || !x->meta) {
    cJSON_Delete(ctx);
    cJSON_Delete(lang);
    return GP_ERR_NOMEM(x->err);
  }
  /* The context names the vocabulary; nothing is fetched from it. */
  cJSON_AddItemToArray(ctx, cJSON_CreateString("http://www.w3.org/ns/csvw"));
  cJSON_AddStringToObject(lang, "@language", "en");
  cJSON_AddItemToArray(ctx, lang);
  cJSON_AddItemToObject(x->meta, "@context", ctx);
  cJSON_AddStringToObject(x->meta, "dc:description",
                          "gpuplan export: the columns of each CSV file, their units "
                          "(schema:unitText) and meanings; an empty cell is no value (NaN)");
  cJSON_AddItemToObject(x->meta, "tables", cJSON_CreateArray());
  if (!cJSON_GetObjectItem(x->meta, "tables")) return GP_ERR_NOMEM(x->err);
  return 0;
}

static int write_metadata(xp *x) {
  char *text = x->nomem ? NULL : cJSON_Print(x->meta);
  if (!text) return GP_ERR_NOMEM(x->err);
  fputs(text, x->f[F_METADATA]);
  fputc('\n', x->f[F_METADATA]);
  free(text);
  x->rows[F_METADATA] = 1;
  return check_stream(x, F_METADATA);
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
  x.err = err;
  int rc = -1, created = 0;
  if (!(x.dir = strdup(dir))) return GP_ERR_NOMEM(err);
  for (size_t n = strlen(x.dir); n > 1 && x.dir[n - 1] == '/'; n--) x.dir[n - 1] = '\0';
  if (!(x.r = gp_reader_open(path, point > INT_MAX ? INT_MAX : (int)point, err)) ||
      gp_reader_proposal_desc(x.r, &x.prop, x.prop_fields, err) || begin_metadata(&x) ||
      make_dir(&x, &created))
    goto done;
  if (open_files(&x) || write_policy_tables(&x, F_SUMMARY, "summary", &gp_summary_desc, 0, 0) ||
      write_stats(&x) || write_compare(&x) ||
      write_policy_tables(&x, F_CALLS, "calls", &gp_call_desc, 1, 1) ||
      write_policy_tables(&x, F_PROPOSALS, "proposals", &x.prop, 1, 1) ||
      write_timeseries(&x) || write_roadmap(&x) || write_roadmap_tranches(&x) ||
      write_scenario(&x) || write_metadata(&x))
    goto done;
  for (int k = 0; k < NFILES; k++)
    if (close_file(&x, k)) goto done;
  if (stopped(&x)) goto done;
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
  gp_reader_close(x.r);
  cJSON_Delete(x.meta);
  free(x.dir);
  return rc;
}
