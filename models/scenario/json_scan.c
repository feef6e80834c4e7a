/*
 * models/scenario/json_scan.c - step 1 of loading a JSON document: a strict
 * scanner that records where every value starts (see json_int.h).
 *
 * It reads the text once and stops at the first byte that is not JSON (so
 * the position is exact).  It refuses a byte-order mark, NUL bytes, raw
 * control characters in strings, strings that are not valid UTF-8 (the
 * result file stores them as UTF-8), lone surrogates, numbers longer than cJSON
 * reads, nesting deeper than GP_JSON_MAX_DEPTH and more than
 * GP_JSON_MAX_VALUES values, and records, in document order, the offset of
 * every value (and of the key of every object member).  It runs before
 * cJSON, so deep input cannot exhaust the stack: it recurses at most
 * GP_JSON_MAX_DEPTH levels.
 *
 * Invariant: on success there is one record per value, in the order a
 * pre-order walk of cJSON's tree meets them.
 */
#include "models/scenario/json_int.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUMMAX 63 /* cJSON 1.7 reads at most 63 bytes of a number */

/* RFC 3629: no overlong forms (C0, C1, E0 80-9F, F0 80-8F), no surrogates
 * (ED A0-BF), nothing above U+10FFFF (F4 90-BF, F5-FF). */
size_t gp_json_scan_utf8(const unsigned char *s, size_t n) {
  size_t k;
  unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
  if (n == 0) return 0;
  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF)
    k = 2;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF)
    k = 3;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4)
    k = 4;
  else
    return 0;
  if (s[0] == 0xE0) lo = 0xA0;
  if (s[0] == 0xED) hi = 0x9F;
  if (s[0] == 0xF0) lo = 0x90;
  if (s[0] == 0xF4) hi = 0x8F;
  if (k > n || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < k; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return k;
}

typedef struct scanner {
  const char *s;    /* text */
  size_t n, i;      /* its length; current offset */
  int depth;        /* open arrays and objects */
  gp_json_rec *rec; /* one per value, document order */
  size_t nrec, cap;
  char path[GP_JSON_PATHMAX];
  size_t plen;
  /* the first error */
  int failed; /* 0, or a GP_EX_* code */
  size_t err_off;
  char err_path[GP_JSON_PATHMAX];
  char err_msg[GP_JSON_MSGMAX];
} scanner;

static int scan_fail(scanner *sc, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int scan_fail(scanner *sc, size_t off, const char *fmt, ...) {
  if (sc->failed) return -1;
  sc->failed = GP_EX_DATAERR;
  sc->err_off = off;
  snprintf(sc->err_path, sizeof sc->err_path, "%s", sc->plen ? sc->path : "$");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sc->err_msg, sizeof sc->err_msg, fmt, ap);
  va_end(ap);
  return -1;
}

static int is_word(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const char *gp_json_scan_describe(const char *text, size_t len, size_t off, char *buf,
                                  size_t size) {
  const scanner at = {.s = text, .n = len}, *sc = &at;
  if (off >= sc->n) return "end of file";
  unsigned char c = (unsigned char)sc->s[off];
  if (c == 0) return "a NUL byte";
  if (c == '\n') return "a line break";
  if (c == '\r') return "a carriage return";
  if (c == '\t') return "a tab";
  if (is_word(c)) {
    size_t k = 0;
    while (off + k < sc->n && is_word((unsigned char)sc->s[off + k]) && k < 20) k++;
    snprintf(buf, size, "'%.*s%s'", (int)k, sc->s + off,
             off + k < sc->n && is_word((unsigned char)sc->s[off + k]) ? "..." : "");
    return buf;
  }
  if (c >= 0x20 && c < 0x7F) {
    snprintf(buf, size, "'%c'", c);
    return buf;
  }
  size_t k = c >= 0x80 ? gp_json_scan_utf8((const unsigned char *)sc->s + off, sc->n - off) : 0;
  if (k > 1)
    snprintf(buf, size, "'%.*s'", (int)k, sc->s + off);
  else
    snprintf(buf, size, "byte 0x%02X", c);
  return buf;
}

static int unexpected(scanner *sc, size_t off) {
  char d[GP_JSON_DESCMAX];
  return scan_fail(sc, off, "expected valid JSON, found %s",
                   gp_json_scan_describe(sc->s, sc->n, off, d, sizeof d));
}

static void skip_ws(scanner *sc) {
  while (sc->i < sc->n) {
    char c = sc->s[sc->i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    sc->i++;
  }
}

/* Extend the path by ".key" (raw text from the document) or "[index]";
 * returns the old length for path_pop. */
static size_t path_push_key(scanner *sc, const char *key, size_t n) {
  size_t old = sc->plen;
  int w = snprintf(sc->path + old, sizeof sc->path - old, "%s%.*s", old ? "." : "",
                   n > INT_MAX ? INT_MAX : (int)n, key);
  if (w > 0) sc->plen = old + (size_t)w < sizeof sc->path ? old + (size_t)w : sizeof sc->path - 1;
  return old;
}

static size_t path_push_index(scanner *sc, size_t index) {
  size_t old = sc->plen;
  int w = snprintf(sc->path + old, sizeof sc->path - old, "%s[%zu]", old ? "" : "$", index);
  if (w > 0) sc->plen = old + (size_t)w < sizeof sc->path ? old + (size_t)w : sizeof sc->path - 1;
  return old;
}

static void path_pop(scanner *sc, size_t old) {
  sc->plen = old;
  sc->path[old] = '\0';
}

static int hex4(const char *s, unsigned *out) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = s[k];
    unsigned d;
    if (c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return -1;
    v = v * 16 + d;
  }
  *out = v;
  return 0;
}

/* A string starting at the '"' at sc->i; leaves sc->i after the closing quote. */
static int scan_string(scanner *sc) {
  size_t i = sc->i + 1;
  for (;;) {
    if (i >= sc->n) return unexpected(sc, i);
    unsigned char c = (unsigned char)sc->s[i];
    if (c == '"') break;
    if (c < 0x20) return unexpected(sc, i);
    if (c >= 0x80) { /* files that claim UTF-8 get only UTF-8 (h5py decodes it) */
      size_t k = gp_json_scan_utf8((const unsigned char *)sc->s + i, sc->n - i);
      if (k == 0) return scan_fail(sc, i, "expected a string of valid UTF-8, found byte 0x%02X", c);
      i += k;
      continue;
    }
    if (c != '\\') {
      i++;
      continue;
    }
    if (i + 1 >= sc->n) return unexpected(sc, i + 1);
    char e = sc->s[i + 1];
    if (strchr("\"\\/bfnrt", e) && e) {
      i += 2;
      continue;
    }
    if (e != 'u') {
      if ((unsigned char)e < 0x20 || (unsigned char)e >= 0x7F) return unexpected(sc, i + 1);
      return scan_fail(sc, i, "expected valid JSON, found '\\%c'", e);
    }
    size_t avail = sc->n - i; /* the escape, as far as it goes, for messages */
    int show = avail < 6 ? (int)avail : 6;
    unsigned u, u2;
    if (avail < 6 || hex4(sc->s + i + 2, &u) != 0)
      return scan_fail(sc, i, "expected valid JSON, found '%.*s'", show, sc->s + i);
    if (u == 0)
      return scan_fail(sc, i, "expected a string without NUL characters, found '\\u0000'");
    if (u >= 0xDC00 && u <= 0xDFFF)
      return scan_fail(
          sc, i, "expected valid JSON (a high surrogate before this one), found '%.6s'", sc->s + i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (avail < 12 || sc->s[i + 6] != '\\' || sc->s[i + 7] != 'u' ||
          hex4(sc->s + i + 8, &u2) != 0 || u2 < 0xDC00 || u2 > 0xDFFF)
        return scan_fail(
            sc, i, "expected valid JSON (a low surrogate after this one), found '%.6s'", sc->s + i);
      i += 12;
    } else {
      i += 6;
    }
  }
  sc->i = i + 1;
  return 0;
}

static int scan_number(scanner *sc) {
  size_t start = sc->i, i = sc->i;
  const char *s = sc->s;
#define DIGIT(k) ((k) < sc->n && s[k] >= '0' && s[k] <= '9')
  if (i < sc->n && s[i] == '-') i++;
  if (i < sc->n && s[i] == '0')
    i++;
  else if (DIGIT(i))
    while (DIGIT(i)) i++;
  else
    return unexpected(sc, i);
  if (i < sc->n && s[i] == '.') {
    i++;
    if (!DIGIT(i)) return unexpected(sc, i);
    while (DIGIT(i)) i++;
  }
  if (i < sc->n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < sc->n && (s[i] == '+' || s[i] == '-')) i++;
    if (!DIGIT(i)) return unexpected(sc, i);
    while (DIGIT(i)) i++;
  }
#undef DIGIT
  if (i - start > NUMMAX)
    return scan_fail(sc, start, "expected a number of at most %d characters, found %.*s...", NUMMAX,
                     GP_JSON_CUT, s + start);
  sc->rec[sc->nrec - 1].len = i - start;
  sc->i = i;
  return 0;
}

static int scan_value(scanner *sc, size_t key_off);

static int scan_open(scanner *sc) {
  if (++sc->depth > GP_JSON_MAX_DEPTH)
    return scan_fail(sc, sc->i,
                     "expected at most %d nested arrays and objects, found '%c' at level %d",
                     GP_JSON_MAX_DEPTH, sc->s[sc->i], sc->depth);
  sc->i++;
  skip_ws(sc);
  return 0;
}

static int scan_object(scanner *sc) {
  if (scan_open(sc)) return -1;
  if (sc->i < sc->n && sc->s[sc->i] == '}') goto done;
  for (;;) {
    if (sc->i >= sc->n || sc->s[sc->i] != '"') return unexpected(sc, sc->i);
    size_t key_off = sc->i;
    if (scan_string(sc)) return -1;
    size_t old = path_push_key(sc, sc->s + key_off + 1, sc->i - key_off - 2);
    skip_ws(sc);
    if (sc->i >= sc->n || sc->s[sc->i] != ':') return unexpected(sc, sc->i);
    sc->i++;
    skip_ws(sc);
    if (scan_value(sc, key_off)) return -1;
    path_pop(sc, old);
    skip_ws(sc);
    if (sc->i < sc->n && sc->s[sc->i] == ',') {
      sc->i++;
      skip_ws(sc);
      continue;
    }
    if (sc->i < sc->n && sc->s[sc->i] == '}') break;
    return unexpected(sc, sc->i);
  }
done:
  sc->i++;
  sc->depth--;
  return 0;
}

static int scan_array(scanner *sc) {
  if (scan_open(sc)) return -1;
  if (sc->i < sc->n && sc->s[sc->i] == ']') goto done;
  for (size_t index = 0;; index++) {
    size_t old = path_push_index(sc, index);
    if (scan_value(sc, GP_JSON_NOPOS)) return -1;
    path_pop(sc, old);
    skip_ws(sc);
    if (sc->i < sc->n && sc->s[sc->i] == ',') {
      sc->i++;
      skip_ws(sc);
      continue;
    }
    if (sc->i < sc->n && sc->s[sc->i] == ']') break;
    return unexpected(sc, sc->i);
  }
done:
  sc->i++;
  sc->depth--;
  return 0;
}

/* The value at sc->i (whitespace already skipped). */
static int scan_value(scanner *sc, size_t key_off) {
  if (sc->i >= sc->n) return unexpected(sc, sc->i);
  /* A cap on values, not only bytes: 60 MB of "0," took a minute and 5 GB. */
  if (sc->nrec >= GP_JSON_MAX_VALUES)
    return scan_fail(sc, sc->i, "expected at most %u values in the document, found more",
                     GP_JSON_MAX_VALUES);
  if (sc->nrec == sc->cap) {
    size_t cap = sc->cap ? 2 * sc->cap : 64;
    gp_json_rec *r = realloc(sc->rec, cap * sizeof *r);
    if (!r) {
      sc->failed = GP_EX_OSERR;
      return -1;
    }
    sc->rec = r;
    sc->cap = cap;
  }
  gp_json_rec *r = &sc->rec[sc->nrec++];
  memset(r, 0, sizeof *r);
  r->off = sc->i;
  r->key_off = key_off;
  char c = sc->s[sc->i];
  switch (c) {
  case '{':
    return scan_object(sc);
  case '[':
    return scan_array(sc);
  case '"':
    if (scan_string(sc)) return -1;
    sc->rec[sc->nrec - 1].len = sc->i - sc->rec[sc->nrec - 1].off;
    return 0;
  default:
    break;
  }
  if (c == '-' || (c >= '0' && c <= '9')) return scan_number(sc);
  size_t k = 0;
  while (sc->i + k < sc->n && is_word((unsigned char)sc->s[sc->i + k])) k++;
  if ((k == 4 && memcmp(sc->s + sc->i, "true", 4) == 0) ||
      (k == 5 && memcmp(sc->s + sc->i, "false", 5) == 0) ||
      (k == 4 && memcmp(sc->s + sc->i, "null", 4) == 0)) {
    r->len = k;
    sc->i += k;
    return 0;
  }
  return unexpected(sc, sc->i);
}

static int scan_document(scanner *sc) {
  if (sc->n >= 3 && memcmp(sc->s, "\xEF\xBB\xBF", 3) == 0)
    return scan_fail(sc, 0, "expected JSON text, found a UTF-8 byte-order mark");
  skip_ws(sc);
  if (sc->i >= sc->n) return scan_fail(sc, 0, "expected a JSON value, found end of file");
  if (scan_value(sc, GP_JSON_NOPOS)) return -1;
  skip_ws(sc);
  if (sc->i < sc->n) {
    char d[GP_JSON_DESCMAX];
    return scan_fail(sc, sc->i, "expected end of file after the JSON value, found %s",
                     gp_json_scan_describe(sc->s, sc->n, sc->i, d, sizeof d));
  }
  return 0;
}

int gp_json_scan_text(const char *text, size_t len, gp_json_scan *out) {
  scanner *sc = calloc(1, sizeof *sc); /* ~2 KiB of buffers: keep them off the stack */
  memset(out, 0, sizeof *out);
  if (!sc) {
    out->failed = GP_EX_OSERR;
    return -1;
  }
  sc->s = text;
  sc->n = len;
  int rc = scan_document(sc);
  out->rec = sc->rec;
  out->nrec = sc->nrec;
  out->failed = rc != 0 ? (sc->failed ? sc->failed : GP_EX_DATAERR) : 0;
  out->err_off = sc->err_off;
  memcpy(out->err_path, sc->err_path, sizeof out->err_path);
  memcpy(out->err_msg, sc->err_msg, sizeof out->err_msg);
  free(sc);
  return rc != 0 ? -1 : 0;
}
