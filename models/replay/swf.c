/*
 * models/replay/swf.c - Standard Workload Format and CSV job readers (see swf.h).
 *
 * A file is read whole into memory through zlib (gzread is transparent on
 * files that are not gzip, so .swf and .swf.gz take the same path), then
 * parsed from memory; the parsers are exposed on their own so that tests can
 * feed text directly.  Reading everything first keeps one error per file and
 * no partial result: a truncated or corrupt gzip stream is reported before
 * any line is looked at.  Traces of the Parallel Workloads Archive are at most
 * a few hundred MB uncompressed; larger inputs are refused (MAX_BYTES).
 *
 * Why zlib and not `gzip -dc` through popen: zlib tells a truncated stream
 * (gzerror: Z_BUF_ERROR) from a clean end without parsing gzip's messages or
 * exit statuses, needs no shell quoting of file names and no child process,
 * and is already a dependency of HDF5 (libhdf5-dev depends on zlib1g-dev).
 *
 * Positions: LINE counts lines from 1; COL is the byte offset in the line from
 * 1 (a tab counts one), after a UTF-8 byte-order mark on the first line.  An
 * SWF line ends at LF, CRLF or a lone CR (old Mac files), so a file with
 * CR-only line endings is read line by line, never as one long comment.
 */
#include "models/replay/swf.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

/* Largest uncompressed input: below 2^31 bytes, so that a line number (one
 * '\n' at least per line) always fits the int32 of gp_trace_job.line. */
#define MAX_BYTES ((size_t)INT32_MAX)
#define NUMMAX 64                   /* longest number token we convert */
#define SWF_FIELDS 18

/* ---- reading a whole (possibly gzip) file ---- */

/* Lines ended in S[0..n): LF, CRLF and a lone CR each end one. */
static size_t count_lines(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'));
  return k;
}

static char *read_all(const char *path, size_t *len, gp_err *err) {
  struct stat st;
  if (stat(path, &st) != 0) {
    GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  if (S_ISDIR(st.st_mode)) {
    GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(EISDIR));
    return NULL;
  }
  errno = 0;
  gzFile gz = gzopen(path, "rb");
  if (!gz) {
    if (errno) GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    else GP_ERR_NOMEM(err);
    return NULL;
  }
  gzbuffer(gz, 1 << 17);
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  if (!buf) goto nomem;
  for (;;) {
    if (cap - n < (1 << 16)) {
      if (cap >= MAX_BYTES) {
        GP_ERR(err, GP_EX_DATAERR,
               "%s: expected a trace of at most %zu bytes uncompressed, found more", path,
               MAX_BYTES);
        goto fail;
      }
      char *nb = realloc(buf, 2 * cap);
      if (!nb) goto nomem;
      buf = nb;
      cap *= 2;
    }
    unsigned want = (unsigned)(cap - n > (1u << 30) ? (1u << 30) : cap - n);
    int got = gzread(gz, buf + n, want);
    if (got <= 0) break;
    n += (size_t)got;
  }
  int zerr = Z_OK;
  const char *zmsg = gzerror(gz, &zerr);
  if (zerr == Z_BUF_ERROR) {
    GP_ERR(err, GP_EX_DATAERR,
           "%s: truncated gzip file: unexpected end of compressed data after line %zu", path,
           count_lines(buf, n));
    goto fail;
  }
  if (zerr == Z_ERRNO) {
    GP_ERR(err, GP_EX_IOERR, "%s: cannot read: %s", path, strerror(errno));
    goto fail;
  }
  if (zerr == Z_MEM_ERROR) goto nomem;
  if (zerr != Z_OK) {
    /* zlib's message is "PATH: what"; keep the what. */
    size_t pl = strlen(path);
    if (zmsg && strncmp(zmsg, path, pl) == 0 && strncmp(zmsg + pl, ": ", 2) == 0) zmsg += pl + 2;
    GP_ERR(err, GP_EX_DATAERR, "%s: corrupt gzip data after line %zu: %s", path,
           count_lines(buf, n), zmsg && *zmsg ? zmsg : "zlib error");
    goto fail;
  }
  gzclose(gz);
  *len = n;
  return buf;
nomem:
  GP_ERR_NOMEM(err);
fail:
  free(buf);
  gzclose(gz);
  return NULL;
}

/* ---- shared: positions, messages, numbers, the job list ---- */

typedef struct parser {
  const char *name;   /* for messages */
  const char *s;      /* the text */
  size_t n;
  size_t line_start;  /* offset of the current line's first byte */
  int line;           /* current line, from 1 */
  gp_err *err;
  gp_trace *t;        /* being built */
  size_t cap;         /* capacity of t->jobs */
} parser;

static int col_of(const parser *p, size_t off) {
  size_t c = off - p->line_start + 1;
  return c > INT_MAX ? INT_MAX : (int)c;
}

static int fail_at(parser *p, int line, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(parser *p, int line, size_t off, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return GP_ERR(p->err, GP_EX_DATAERR, "%s:%d:%d: %s", p->name, line, col_of(p, off), msg);
}

/* TOK[0..N) as it should appear after "found": numbers as they are, other
 * text in double quotes (at most 24 bytes, bytes outside printable ASCII
 * as \xNN), nothing as "an empty field". */
static const char *describe(const char *tok, size_t n, int is_number, char *buf, size_t size) {
  if (n == 0) return "an empty field";
  size_t k = 0, shown = n > 24 ? 24 : n;
  if (!is_number) buf[k++] = '"';
  for (size_t i = 0; i < shown && k + 8 < size; i++) {
    unsigned char c = (unsigned char)tok[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') buf[k++] = (char)c;
    else k += (size_t)snprintf(buf + k, size - k, c == '"' || c == '\\' ? "\\%c" : "\\x%02X", c);
  }
  if (shown < n && k + 4 < size) buf[k++] = '.', buf[k++] = '.', buf[k++] = '.';
  if (!is_number) buf[k++] = '"';
  buf[k] = '\0';
  return buf;
}

/* Every time and duration of a trace is at most GP_TRACE_MAX_TIME seconds:
 * beyond it sums of times lose whole seconds, and a value such as 1e300
 * would make the replay's figures infinite.  0, or -1 with the error set. */
static int time_bounded(parser *p, int line, size_t off, const char *what, double v,
                        const char *tok, size_t n) {
  char d[64];
  if (v <= GP_TRACE_MAX_TIME) return 0;
  return fail_at(p, line, off, "%s: expected a time of at most 1e12 s (about 31,700 years), "
                 "found %s", what, describe(tok, n, 1, d, sizeof d));
}

/* Strict decimal syntax: -?(digits[.digits*]|.digits)([eE][+-]?digits)?;
 * returns 1 and the value when TOK[0..N) is such a number and finite. */
static int is_decimal(const char *t, size_t n) {
  size_t i = 0, d = 0;
  if (i < n && t[i] == '-') i++;
  while (i < n && t[i] >= '0' && t[i] <= '9') i++, d++;
  if (i < n && t[i] == '.') {
    i++;
    while (i < n && t[i] >= '0' && t[i] <= '9') i++, d++;
  }
  if (d == 0) return 0;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    i++;
    if (i < n && (t[i] == '+' || t[i] == '-')) i++;
    size_t e = 0;
    while (i < n && t[i] >= '0' && t[i] <= '9') i++, e++;
    if (e == 0) return 0;
  }
  return i == n;
}

/* Parse TOK as a number.  0 ok; -1 with the error set (WHAT names the field). */
static int number(parser *p, int line, size_t off, const char *what, const char *tok, size_t n,
                  double *out) {
  char d[64];
  if (!is_decimal(tok, n)) {
    return fail_at(p, line, off, "%s: expected a number, found %s", what,
                   describe(tok, n, 0, d, sizeof d));
  }
  if (n >= NUMMAX)
    return fail_at(p, line, off, "%s: expected a number of at most %d characters, found %s", what,
                   NUMMAX - 1, describe(tok, n, 1, d, sizeof d));
  char b[NUMMAX];
  memcpy(b, tok, n);
  b[n] = '\0';
  double v = strtod(b, NULL);
  if (!isfinite(v))
    return fail_at(p, line, off, "%s: expected a finite number, found %s", what, b);
  *out = v;
  return 0;
}

/* A number that must be an integer in [LO, HI]. */
static int integer(parser *p, int line, size_t off, const char *what, const char *tok, size_t n,
                   double lo, double hi, const char *range, int64_t *out) {
  double v;
  if (number(p, line, off, what, tok, n, &v)) return -1;
  char d[64];
  if (v != floor(v))
    return fail_at(p, line, off, "%s: expected an integer%s, found %s", what, range,
                   describe(tok, n, 1, d, sizeof d));
  if (v < lo || v > hi)
    return fail_at(p, line, off, "%s: expected an integer%s, found %s", what, range,
                   describe(tok, n, 1, d, sizeof d));
  *out = (int64_t)v;
  return 0;
}

static gp_trace_job *push_job(parser *p) {
  gp_trace *t = p->t;
  if (t->njobs == p->cap) {
    size_t ncap = p->cap ? 2 * p->cap : 1024;
    gp_trace_job *nj = realloc(t->jobs, ncap * sizeof *nj);
    if (!nj) {
      GP_ERR_NOMEM(p->err);
      return NULL;
    }
    t->jobs = nj;
    p->cap = ncap;
  }
  gp_trace_job *j = &t->jobs[t->njobs++];
  memset(j, 0, sizeof *j);
  j->line = p->line;
  return j;
}

static gp_trace *trace_new(const char *name, gp_trace_format format, gp_err *err) {
  gp_trace *t = calloc(1, sizeof *t);
  if (t) t->name = strdup(name);
  if (!t || !t->name) {
    free(t);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  t->format = format;
  t->max_procs = -1;
  t->max_nodes = -1;
  return t;
}

void gp_trace_free(gp_trace *t) {
  if (!t) return;
  free(t->name);
  free(t->jobs);
  free(t);
}

/* Skip a UTF-8 byte-order mark. */
static size_t skip_bom(const char *s, size_t n) {
  return n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
                 (unsigned char)s[2] == 0xBF
             ? 3
             : 0;
}

/* Submit times must not go back: line PREV_LINE had PREV. */
static int check_order(parser *p, int line, size_t off, const char *what, double v, double prev,
                       int prev_line, const char *tok, size_t n) {
  if (prev_line == 0 || v >= prev) return 0;
  char d[64], pv[32];
  snprintf(pv, sizeof pv, "%.17g", prev);
  return fail_at(p, line, off, "%s: expected a time >= %s (the submit time on line %d: jobs "
                 "must be sorted by submit time), found %s", what, pv, prev_line,
                 describe(tok, n, 1, d, sizeof d));
}

/* ---- SWF ---- */

static const char *const swf_names[SWF_FIELDS + 1] = {
    "",                          "job number (field 1)",       "submit time (field 2)",
    "wait time (field 3)",       "run time (field 4)",         "allocated processors (field 5)",
    "average CPU time (field 6)", "used memory (field 7)",     "requested processors (field 8)",
    "requested time (field 9)",  "requested memory (field 10)", "status (field 11)",
    "user id (field 12)",        "group id (field 13)",        "executable number (field 14)",
    "queue number (field 15)",   "partition number (field 16)", "preceding job (field 17)",
    "think time (field 18)"};

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* "; MaxProcs: 100" and "; MaxNodes: 100".  S..E is the line after ';'. */
static int swf_header(parser *p, size_t s, size_t e, int *procs_line, int *nodes_line) {
  while (s < e && is_space(p->s[s])) s++;
  static const char *const keys[2] = {"MaxProcs:", "MaxNodes:"};
  for (int k = 0; k < 2; k++) {
    size_t kl = strlen(keys[k]);
    if (e - s < kl || memcmp(p->s + s, keys[k], kl) != 0) continue;
    size_t v = s + kl;
    while (v < e && is_space(p->s[v])) v++;
    size_t ve = v;
    while (ve < e && !is_space(p->s[ve])) ve++;
    char what[16];
    snprintf(what, sizeof what, "%.*s", (int)kl - 1, keys[k]);
    int64_t x;
    if (integer(p, p->line, v, what, p->s + v, ve - v, 1, (double)INT32_MAX,
                " in [1, 2147483647]", &x))
      return -1;
    long long *dst = k == 0 ? &p->t->max_procs : &p->t->max_nodes;
    int *where = k == 0 ? procs_line : nodes_line;
    if (*where && *dst != x)
      return fail_at(p, p->line, v, "%s: expected one value, found %lld here and %lld on line %d",
                     what, (long long)x, *dst, *where);
    *dst = x;
    *where = p->line;
  }
  return 0;
}

/* One job line [S, E): 18 numbers. */
static int swf_job(parser *p, size_t s, size_t e, double *prev, int *prev_line) {
  size_t start[SWF_FIELDS + 1], len[SWF_FIELDS + 1];
  int nf = 0;
  size_t i = s, extra = 0;
  for (;;) {
    while (i < e && is_space(p->s[i])) i++;
    if (i >= e) break;
    size_t b = i;
    while (i < e && !is_space(p->s[i])) i++;
    if (nf < SWF_FIELDS) {
      nf++;
      start[nf] = b;
      len[nf] = i - b;
    } else {
      if (!extra) extra = b;
      nf++;
    }
  }
  /* A word that is no number says more than a field count: report it first. */
  for (int f = 1; f <= nf && f <= SWF_FIELDS; f++) {
    double ignored;
    if (!is_decimal(p->s + start[f], len[f]))
      return number(p, p->line, start[f], swf_names[f], p->s + start[f], len[f], &ignored);
  }
  if (nf != SWF_FIELDS) {
    size_t at = nf > SWF_FIELDS ? extra : e;
    while (nf < SWF_FIELDS && at > s && is_space(p->s[at - 1])) at--;
    return fail_at(p, p->line, nf < SWF_FIELDS ? at : extra,
                   "job line: expected %d whitespace-separated fields, found %d", SWF_FIELDS, nf);
  }
  gp_trace_job *j = push_job(p);
  if (!j) return -1;
  double v[SWF_FIELDS + 1];
  for (int f = 1; f <= SWF_FIELDS; f++) {
    const char *tok = p->s + start[f];
    size_t n = len[f], off = start[f];
    const char *what = swf_names[f];
    int64_t x;
    switch (f) {
    case 1: /* job number */
      if (integer(p, p->line, off, what, tok, n, -9007199254740992.0, 9007199254740992.0, "", &x))
        return -1;
      j->id = x;
      break;
    case 2: /* submit */
      if (number(p, p->line, off, what, tok, n, &v[f])) return -1;
      if (v[f] < 0) {
        char d[64];
        return fail_at(p, p->line, off, "%s: expected a time >= 0, found %s", what,
                       describe(tok, n, 1, d, sizeof d));
      }
      if (time_bounded(p, p->line, off, what, v[f], tok, n) ||
          check_order(p, p->line, off, what, v[f], *prev, *prev_line, tok, n))
        return -1;
      j->submit = v[f];
      break;
    case 4: /* run time */
    case 9: /* requested time */
      if (number(p, p->line, off, what, tok, n, &v[f])) return -1;
      if (v[f] < 0 && v[f] != -1) {
        char d[64];
        return fail_at(p, p->line, off, "%s: expected a time >= 0, or -1 for unknown, found %s",
                       what, describe(tok, n, 1, d, sizeof d));
      }
      if (time_bounded(p, p->line, off, what, v[f], tok, n)) return -1;
      if (f == 4) j->runtime = v[f];
      else j->estimate = v[f];
      break;
    case 5:
    case 8: /* processors */
      if (integer(p, p->line, off, what, tok, n, -1, (double)INT32_MAX,
                  " >= 0, or -1 for unknown (at most 2147483647)", &x))
        return -1;
      v[f] = (double)x;
      break;
    case 11:
      if (integer(p, p->line, off, what, tok, n, -1, 5, " in -1..5 (-1 unknown, 0 failed, "
                  "1 completed, 2-4 partial executions, 5 cancelled)", &x))
        return -1;
      j->status = (int32_t)x;
      break;
    default:
      if (number(p, p->line, off, what, tok, n, &v[f])) return -1;
    }
  }
  /* Allocated processors when the log has them, else requested ones. */
  j->procs = v[5] > 0 ? (int32_t)v[5] : v[8] > 0 ? (int32_t)v[8] : v[5] == 0 || v[8] == 0 ? 0 : -1;
  *prev = j->submit;
  *prev_line = p->line;
  return 0;
}

gp_trace *gp_swf_parse(const char *name, const char *text, size_t len, gp_err *err) {
  parser p = {name, text, len, 0, 0, err, NULL, 0};
  p.t = trace_new(name, GP_TRACE_SWF, err);
  if (!p.t) return NULL;
  size_t pos = skip_bom(text, len);
  p.line_start = pos;
  double prev = 0;
  int prev_line = 0, procs_line = 0, nodes_line = 0;
  while (pos < len) {
    p.line++;
    p.line_start = p.line == 1 ? p.line_start : pos;
    size_t e = pos; /* the line ends at LF, CR (+ LF) or the end */
    while (e < len && text[e] != '\n' && text[e] != '\r') e++;
    size_t i = pos;
    while (i < e && is_space(text[i])) i++;
    int rc = 0;
    if (i < e && text[i] == ';') rc = swf_header(&p, i + 1, e, &procs_line, &nodes_line);
    else if (i < e) rc = swf_job(&p, i, e, &prev, &prev_line);
    if (rc) {
      gp_trace_free(p.t);
      return NULL;
    }
    pos = e + 1 + (e + 1 < len && text[e] == '\r' && text[e + 1] == '\n');
  }
  return p.t;
}

gp_trace *gp_swf_read(const char *path, gp_err *err) {
  size_t n;
  char *buf = read_all(path, &n, err);
  if (!buf) return NULL;
  gp_trace *t = gp_swf_parse(path, buf, n, err);
  free(buf);
  return t;
}

/* ---- CSV (RFC 4180) ---- */

enum { COL_ID, COL_SUBMIT, COL_RUNTIME, COL_ESTIMATE, COL_GPUS, NCOLS };
static const char *const col_names[NCOLS] = {"id", "submit", "runtime", "estimate", "gpus"};

typedef struct csv_field {
  size_t off;     /* offset of its first byte (the quote, when quoted) */
  int line;       /* line it starts on */
  size_t lstart;  /* that line's start offset, for the column */
  size_t end;     /* offset just past it (before the ',' or line end) */
  int end_line;   /* the line END is on (a quoted field may span lines) */
  size_t end_lstart;
  size_t beg, len; /* its text in the unquoted buffer */
  int quoted;
} csv_field;

typedef struct csv {
  parser *p;
  size_t pos;
  csv_field *f;   /* fields of the current record */
  size_t nf, fcap;
  char *txt;      /* unquoted text of the record's fields */
  size_t tlen, tcap;
} csv;

static int csv_putc(csv *c, char ch) {
  if (c->tlen == c->tcap) {
    size_t ncap = c->tcap ? 2 * c->tcap : 256;
    char *nt = realloc(c->txt, ncap);
    if (!nt) return GP_ERR_NOMEM(c->p->err);
    c->txt = nt;
    c->tcap = ncap;
  }
  c->txt[c->tlen++] = ch;
  return 0;
}

static int csv_fail(csv *c, const csv_field *f, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int csv_fail(csv *c, const csv_field *f, size_t off, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  parser *p = c->p;
  size_t keep = p->line_start;
  int line = p->line;
  if (f) p->line_start = f->lstart, line = f->line;
  int rc = fail_at(p, line, off, "%s", msg);
  p->line_start = keep;
  return rc;
}

/* Read one record into c->f.  1 = a record, 0 = end of text, -1 = error. */
static int csv_record(csv *c) {
  parser *p = c->p;
  const char *s = p->s;
  size_t n = p->n;
  c->nf = 0;
  c->tlen = 0;
  if (c->pos >= n) return 0;
  for (;;) {
    if (c->nf == c->fcap) {
      size_t ncap = c->fcap ? 2 * c->fcap : 8;
      csv_field *nf = realloc(c->f, ncap * sizeof *nf);
      if (!nf) return GP_ERR_NOMEM(p->err);
      c->f = nf;
      c->fcap = ncap;
    }
    csv_field *f = &c->f[c->nf++];
    f->off = c->pos;
    f->line = p->line;
    f->lstart = p->line_start;
    f->beg = c->tlen;
    f->quoted = c->pos < n && s[c->pos] == '"';
    if (f->quoted) {
      c->pos++;
      for (;;) {
        if (c->pos >= n)
          return csv_fail(c, f, f->off, "%s", "expected a closing '\"' for the quoted field "
                          "that starts here, found the end of the file");
        char ch = s[c->pos];
        if (ch == '"') {
          if (c->pos + 1 < n && s[c->pos + 1] == '"') {
            if (csv_putc(c, '"')) return -1;
            c->pos += 2;
            continue;
          }
          c->pos++;
          break;
        }
        if (ch == '\n') {
          p->line++;
          p->line_start = c->pos + 1;
        }
        if (csv_putc(c, ch)) return -1;
        c->pos++;
      }
      if (c->pos < n && s[c->pos] != ',' && s[c->pos] != '\n' &&
          !(s[c->pos] == '\r' && c->pos + 1 < n && s[c->pos + 1] == '\n') &&
          !(s[c->pos] == '\r' && c->pos + 1 == n)) {
        char d[64];
        return csv_fail(c, NULL, c->pos,
                        "expected ',' or the end of the line after a quoted field, found %s",
                        describe(s + c->pos, 1, 0, d, sizeof d));
      }
    } else {
      while (c->pos < n && s[c->pos] != ',' && s[c->pos] != '\n' &&
             !(s[c->pos] == '\r' && (c->pos + 1 == n || s[c->pos + 1] == '\n'))) {
        if (s[c->pos] == '"')
          return csv_fail(c, NULL, c->pos, "%s", "expected no '\"' inside an unquoted field "
                          "(quote the whole field and double the '\"'), found '\"'");
        if (csv_putc(c, s[c->pos])) return -1;
        c->pos++;
      }
    }
    f->len = c->tlen - f->beg;
    f->end = c->pos;
    f->end_line = p->line;
    f->end_lstart = p->line_start;
    if (c->pos < n && s[c->pos] == ',') {
      c->pos++;
      continue;
    }
    /* End of record: CRLF, LF, or the end of the text. */
    if (c->pos < n && s[c->pos] == '\r') c->pos++;
    if (c->pos < n && s[c->pos] == '\n') {
      c->pos++;
      p->line++;
      p->line_start = c->pos;
    }
    return 1;
  }
}

/* Trim ASCII spaces and tabs around a value. */
static const char *trimmed(const csv *c, const csv_field *f, size_t *n, size_t *lead) {
  const char *t = c->txt ? c->txt + f->beg : ""; /* no text yet: every field is empty */
  size_t a = 0, b = f->len;
  while (a < b && (t[a] == ' ' || t[a] == '\t')) a++;
  while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t')) b--;
  *n = b - a;
  *lead = f->quoted ? 0 : a;
  return t + a;
}

/* A record that is one empty (or blank) unquoted field: a blank line. */
static int blank_record(const csv *c) {
  if (c->nf != 1 || c->f[0].quoted) return 0;
  size_t n, lead;
  trimmed(c, &c->f[0], &n, &lead);
  return n == 0;
}

static int csv_header(csv *c, int *col_of_field, int *field_of_col) {
  for (int k = 0; k < NCOLS; k++) field_of_col[k] = -1;
  for (size_t i = 0; i < c->nf; i++) {
    size_t n, lead;
    const csv_field *f = &c->f[i];
    const char *name = trimmed(c, f, &n, &lead);
    int k = 0;
    while (k < NCOLS && !(strlen(col_names[k]) == n && memcmp(col_names[k], name, n) == 0)) k++;
    char d[64];
    if (k == NCOLS)
      return csv_fail(c, f, f->off + lead, "header: expected a column name id, submit, runtime, "
                      "estimate or gpus, found %s", describe(name, n, 0, d, sizeof d));
    if (field_of_col[k] >= 0)
      return csv_fail(c, f, f->off + lead, "header: expected each column once, found \"%s\" "
                      "again (first in column %d)", col_names[k], field_of_col[k] + 1);
    field_of_col[k] = (int)i;
    col_of_field[i] = k;
  }
  for (int k = 0; k < NCOLS; k++)
    if (field_of_col[k] < 0 && k != COL_ESTIMATE)
      return csv_fail(c, &c->f[0], c->f[0].off, "header: expected the columns id, submit, "
                      "runtime and gpus (estimate is optional), found no \"%s\"", col_names[k]);
  return 0;
}

static int csv_row(csv *c, const int *col_of_field, size_t ncols, double *prev, int *prev_line) {
  parser *p = c->p;
  const csv_field *last = &c->f[c->nf - 1];
  if (c->nf != ncols) {
    /* Point at the first extra field, or just after the last one. */
    if (c->nf > ncols)
      return csv_fail(c, &c->f[ncols], c->f[ncols].off,
                      "expected %zu fields as in the header, found %zu", ncols, c->nf);
    size_t keep = p->line_start;
    p->line_start = last->end_lstart;
    int rc = fail_at(p, last->end_line, last->end,
                     "expected %zu fields as in the header, found %zu", ncols, c->nf);
    p->line_start = keep;
    return rc;
  }
  int line_before = p->line;
  p->line = c->f[0].line; /* the job's line is where its record starts */
  gp_trace_job *j = push_job(p);
  p->line = line_before;
  if (!j) return -1;
  j->status = GP_SWF_UNKNOWN;
  j->estimate = -1;
  for (size_t i = 0; i < c->nf; i++) {
    const csv_field *f = &c->f[i];
    int k = col_of_field[i];
    size_t n, lead;
    const char *v = trimmed(c, f, &n, &lead);
    size_t keep = p->line_start;
    p->line_start = f->lstart;
    size_t off = f->off + lead;
    double x = 0;
    int64_t ix = 0;
    int rc = 0;
    char d[64];
    switch (k) {
    case COL_ID:
      rc = integer(p, f->line, off, "id", v, n, -9007199254740992.0, 9007199254740992.0, "", &ix);
      j->id = ix;
      break;
    case COL_SUBMIT:
      rc = number(p, f->line, off, "submit", v, n, &x);
      if (!rc && x < 0)
        rc = fail_at(p, f->line, off, "submit: expected a time >= 0 in seconds, found %s",
                     describe(v, n, 1, d, sizeof d));
      if (!rc) rc = time_bounded(p, f->line, off, "submit", x, v, n);
      if (!rc) rc = check_order(p, f->line, off, "submit", x, *prev, *prev_line, v, n);
      j->submit = x;
      break;
    case COL_RUNTIME:
    case COL_ESTIMATE:
      if (k == COL_ESTIMATE && n == 0) break; /* empty: the run time */
      rc = number(p, f->line, off, col_names[k], v, n, &x);
      if (!rc && !(x > 0))
        rc = fail_at(p, f->line, off, "%s: expected a duration > 0 in seconds%s, found %s",
                     col_names[k], k == COL_ESTIMATE ? " (or nothing)" : "",
                     describe(v, n, 1, d, sizeof d));
      if (!rc) rc = time_bounded(p, f->line, off, col_names[k], x, v, n);
      if (k == COL_RUNTIME) j->runtime = x;
      else j->estimate = x;
      break;
    default: /* COL_GPUS */
      rc = integer(p, f->line, off, "gpus", v, n, 1, (double)INT32_MAX, " in [1, 2147483647]", &ix);
      j->procs = (int32_t)ix;
    }
    p->line_start = keep;
    if (rc) return -1;
  }
  *prev = j->submit;
  *prev_line = j->line;
  return 0;
}

gp_trace *gp_jobs_csv_parse(const char *name, const char *text, size_t len, gp_err *err) {
  parser p = {name, text, len, 0, 1, err, NULL, 0};
  p.t = trace_new(name, GP_TRACE_CSV, err);
  if (!p.t) return NULL;
  csv c = {&p, skip_bom(text, len), NULL, 0, 0, NULL, 0, 0};
  p.line_start = c.pos;
  int col_of_field[NCOLS], field_of_col[NCOLS], rc, have_header = 0;
  size_t ncols = 0;
  double prev = 0;
  int prev_line = 0;
  while ((rc = csv_record(&c)) == 1) {
    if (blank_record(&c)) continue;
    if (!have_header) {
      /* csv_header stops at the first unknown or repeated name, so with more
       * than NCOLS fields it fails before writing col_of_field[NCOLS]. */
      if (csv_header(&c, col_of_field, field_of_col)) {
        rc = -1;
        break;
      }
      ncols = c.nf;
      have_header = 1;
      continue;
    }
    if (csv_row(&c, col_of_field, ncols, &prev, &prev_line)) {
      rc = -1;
      break;
    }
  }
  if (rc == 0 && !have_header)
    rc = fail_at(&p, p.line, c.pos, "%s", "header: expected a header row (id,submit,runtime,"
                 "estimate,gpus), found the end of the file");
  free(c.f);
  free(c.txt);
  if (rc) {
    gp_trace_free(p.t);
    return NULL;
  }
  return p.t;
}

gp_trace *gp_jobs_csv_read(const char *path, gp_err *err) {
  size_t n;
  char *buf = read_all(path, &n, err);
  if (!buf) return NULL;
  gp_trace *t = gp_jobs_csv_parse(path, buf, n, err);
  free(buf);
  return t;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

gp_trace *gp_trace_read(const char *path, gp_err *err) {
  if (ends_with(path, ".csv") || ends_with(path, ".csv.gz")) return gp_jobs_csv_read(path, err);
  return gp_swf_read(path, err);
}
