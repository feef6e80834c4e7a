/*
 * models/scenario/json.c - JSON documents that remember where every value came from
 * (see json.h).
 *
 * Loading runs in three steps:
 *   1. scan:  our own strict scanner reads the text once.  It stops at the
 *             first byte that is not JSON (so the position is exact), refuses
 *             a byte-order mark, NUL bytes, raw control characters in strings,
 *             nesting deeper than GP_JSON_MAX_DEPTH and more than
 *             GP_JSON_MAX_VALUES values, and records, in
 *             document order, the offset of every value (and of the key of
 *             every object member).  It runs before cJSON, so deep input
 *             cannot exhaust the stack.
 *   2. parse: cJSON builds the tree from the same text.
 *   3. bind:  a pre-order walk of the tree meets the values in the order the
 *             scanner recorded them (cJSON keeps members and elements in
 *             document order, duplicates included), so the k-th node visited
 *             owns the k-th record.  The walk also rejects duplicate keys and
 *             numbers that overflowed to infinity, and hangs each number's
 *             source literal on the node (valuestring, freed by cJSON_Delete)
 *             so messages can quote it as written.
 *
 * Invariant: after loading, doc->pos holds exactly one record per node of the
 * tree as parsed, sorted by node address.  A record also remembers the node's
 * type and key pointer: nodes that callers later swap in (command-line
 * overrides) are simply unknown, and a new node that happens to reuse a freed
 * node's address is not mistaken for it.
 */
#include "models/scenario/json.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOPOS SIZE_MAX
#define PATHMAX 512    /* bytes of a JSON path in a message, NUL included */
#define MSGMAX 768     /* bytes of the message after "FILE:LINE:COL: PATH: " */
#define DESCMAX 64     /* bytes for a "found ..." description */
#define CUT 40         /* strings and literals are quoted up to this many bytes */
#define NUMMAX 63      /* cJSON 1.7 reads at most 63 bytes of a number */

typedef struct pos_rec {
  const cJSON *node;  /* filled in by the bind step */
  const char *string; /* node->string when bound (member key; NULL otherwise) */
  int type;           /* node->type when bound */
  size_t off;         /* byte offset of the value's first character */
  size_t len;         /* bytes of a scalar's source text; 0 for containers */
  size_t key_off;     /* byte offset of the member's key (its '"'); NOPOS if none */
} pos_rec;

struct gp_json {
  char *name;   /* file name for messages; owned */
  char *text;   /* copy of the text, NUL-terminated; owned */
  size_t len;   /* bytes of text, NUL excluded */
  cJSON *root;  /* owned */
  pos_rec *pos; /* one per node, sorted by node address; owned */
  size_t npos;
};

/* ---- small text helpers ---- */

static void line_col(const char *text, size_t len, size_t off, int *line, int *col) {
  size_t l = 1, start = 0;
  if (off > len) off = len;
  for (size_t i = 0; i < off; i++)
    if (text[i] == '\n') {
      l++;
      start = i + 1;
    }
  *line = l > INT_MAX ? INT_MAX : (int)l;
  *col = off - start + 1 > INT_MAX ? INT_MAX : (int)(off - start + 1);
}

/* Length of the valid UTF-8 sequence at S (N bytes available), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  size_t k;
  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) k = 2;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF) k = 3;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4) k = 4;
  else return 0;
  if (k > n) return 0;
  for (size_t i = 1; i < k; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return k;
}

/* Append SRC (N bytes) to BUF as the inside of a quoted string: escape
 * quotes, backslashes and control bytes, stop after CUT source bytes (at a
 * character boundary) and add "...".  Returns the new length. */
static size_t put_quoted(char *buf, size_t size, size_t at, const char *src, size_t n) {
  size_t i = 0;
  while (i < n && at + 8 < size) {
    unsigned char c = (unsigned char)src[i];
    size_t k = c >= 0x80 ? utf8_seq((const unsigned char *)src + i, n - i) : 1;
    if (k == 0) k = 1;
    if (i + k > CUT) {
      memcpy(buf + at, "...", 3);
      at += 3;
      break;
    }
    if (c == '"' || c == '\\') {
      buf[at++] = '\\';
      buf[at++] = (char)c;
    } else if (c == '\n') {
      memcpy(buf + at, "\\n", 2);
      at += 2;
    } else if (c == '\t') {
      memcpy(buf + at, "\\t", 2);
      at += 2;
    } else if (c < 0x20 || c == 0x7F) {
      at += (size_t)snprintf(buf + at, size - at, "\\u%04x", c);
    } else {
      memcpy(buf + at, src + i, k);
      at += k;
    }
    i += k;
  }
  buf[at] = '\0';
  return at;
}

static const char *quote(char *buf, size_t size, const char *src, size_t n) {
  if (size < 16) {
    if (size) buf[0] = '\0';
    return buf;
  }
  buf[0] = '"';
  size_t at = put_quoted(buf, size - 1, 1, src, n);
  buf[at++] = '"';
  buf[at] = '\0';
  return buf;
}

static void number_text(double v, char *buf, size_t size) {
  snprintf(buf, size, "%.15g", v);
  if (strtod(buf, NULL) != v) snprintf(buf, size, "%.17g", v);
}

const char *gp_json_describe(const cJSON *node, char *buf, size_t size) {
  if (!buf || size == 0) return buf;
  buf[0] = '\0';
  if (!node) snprintf(buf, size, "nothing");
  else if (cJSON_IsNumber(node)) {
    if (node->valuestring) { /* the source literal, hung here by bind() */
      size_t n = strlen(node->valuestring);
      if (n <= CUT) snprintf(buf, size, "%s", node->valuestring);
      else snprintf(buf, size, "%.*s...", CUT, node->valuestring);
    } else {
      number_text(node->valuedouble, buf, size);
    }
  } else if (cJSON_IsString(node)) {
    const char *s = node->valuestring ? node->valuestring : "";
    quote(buf, size, s, strlen(s));
  } else if (cJSON_IsTrue(node)) snprintf(buf, size, "true");
  else if (cJSON_IsFalse(node)) snprintf(buf, size, "false");
  else if (cJSON_IsNull(node)) snprintf(buf, size, "null");
  else if (cJSON_IsObject(node)) snprintf(buf, size, "an object");
  else if (cJSON_IsArray(node)) snprintf(buf, size, "an array");
  else snprintf(buf, size, "an unknown value");
  return buf;
}

/* Copy A, SEP and B into BUF, cutting at SIZE (paths in messages may be cut). */
static const char *join3(char *buf, size_t size, const char *a, const char *sep, const char *b) {
  const char *parts[3] = {a, sep, b};
  size_t at = 0;
  if (size == 0) return buf;
  for (int i = 0; i < 3; i++) {
    size_t n = strlen(parts[i]);
    if (n > size - 1 - at) n = size - 1 - at;
    memcpy(buf + at, parts[i], n);
    at += n;
  }
  buf[at] = '\0';
  return buf;
}

const char *gp_json_path_key(char *buf, size_t size, const char *path, const char *key) {
  if (!path || !path[0]) return join3(buf, size, "", "", key);
  return join3(buf, size, path, ".", key);
}

const char *gp_json_path_index(char *buf, size_t size, const char *path, int index) {
  char ix[32];
  snprintf(ix, sizeof ix, "[%d]", index);
  return join3(buf, size, path && path[0] ? path : "$", "", ix);
}

/* Append ", " (unless first) and a quoted or bare WORD to the list in BUF;
 * once it is full, end it with ", ..." and return -1. */
static int list_add(char *buf, size_t size, size_t *at, const char *word, int quoted) {
  size_t n = strlen(word) + (quoted ? 2 : 0) + (*at ? 2 : 0);
  if (*at + n + 6 >= size) {
    if (*at + 6 < size) memcpy(buf + *at, ", ...", 6);
    return -1;
  }
  *at += (size_t)snprintf(buf + *at, size - *at, "%s%s%s%s", *at ? ", " : "", quoted ? "\"" : "", word,
                          quoted ? "\"" : "");
  return 0;
}

/* ---- the scanner (step 1) ---- */

typedef struct scanner {
  const char *s;   /* text */
  size_t n, i;     /* its length; current offset */
  int depth;       /* open arrays and objects */
  pos_rec *rec;    /* one per value, document order */
  size_t nrec, cap;
  char path[PATHMAX];
  size_t plen;
  /* the first error */
  int failed;      /* 0, or a GP_EX_* code */
  size_t err_off;
  char err_path[PATHMAX];
  char err_msg[MSGMAX];
} scanner;

static int scan_fail(scanner *sc, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
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

/* What is at OFF, for "found ...": a word, a character, or a byte. */
static const char *describe_at(const scanner *sc, size_t off, char *buf, size_t size) {
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
  size_t k = c >= 0x80 ? utf8_seq((const unsigned char *)sc->s + off, sc->n - off) : 0;
  if (k > 1) snprintf(buf, size, "'%.*s'", (int)k, sc->s + off);
  else snprintf(buf, size, "byte 0x%02X", c);
  return buf;
}

static int unexpected(scanner *sc, size_t off) {
  char d[DESCMAX];
  return scan_fail(sc, off, "expected valid JSON, found %s", describe_at(sc, off, d, sizeof d));
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
    if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
    else return -1;
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
      return scan_fail(sc, i, "expected valid JSON (a high surrogate before this one), found '%.6s'",
                       sc->s + i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (avail < 12 || sc->s[i + 6] != '\\' || sc->s[i + 7] != 'u' ||
          hex4(sc->s + i + 8, &u2) != 0 || u2 < 0xDC00 || u2 > 0xDFFF)
        return scan_fail(sc, i, "expected valid JSON (a low surrogate after this one), found '%.6s'",
                         sc->s + i);
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
  if (i < sc->n && s[i] == '0') i++;
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
    return scan_fail(sc, start, "expected a number of at most %d characters, found %.*s...", NUMMAX, CUT,
                     s + start);
  sc->rec[sc->nrec - 1].len = i - start;
  sc->i = i;
  return 0;
}

static int scan_value(scanner *sc, size_t key_off);

static int scan_open(scanner *sc) {
  if (++sc->depth > GP_JSON_MAX_DEPTH)
    return scan_fail(sc, sc->i, "expected at most %d nested arrays and objects, found '%c' at level %d",
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
    if (scan_value(sc, NOPOS)) return -1;
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
    return scan_fail(sc, sc->i, "expected at most %u values in the document, found more", GP_JSON_MAX_VALUES);
  if (sc->nrec == sc->cap) {
    size_t cap = sc->cap ? 2 * sc->cap : 64;
    pos_rec *r = realloc(sc->rec, cap * sizeof *r);
    if (!r) {
      sc->failed = GP_EX_OSERR;
      return -1;
    }
    sc->rec = r;
    sc->cap = cap;
  }
  pos_rec *r = &sc->rec[sc->nrec++];
  memset(r, 0, sizeof *r);
  r->off = sc->i;
  r->key_off = key_off;
  char c = sc->s[sc->i];
  switch (c) {
  case '{': return scan_object(sc);
  case '[': return scan_array(sc);
  case '"':
    if (scan_string(sc)) return -1;
    sc->rec[sc->nrec - 1].len = sc->i - sc->rec[sc->nrec - 1].off;
    return 0;
  default: break;
  }
  if (c == '-' || (c >= '0' && c <= '9')) return scan_number(sc);
  size_t k = 0;
  while (sc->i + k < sc->n && is_word((unsigned char)sc->s[sc->i + k])) k++;
  if ((k == 4 && memcmp(sc->s + sc->i, "true", 4) == 0) || (k == 5 && memcmp(sc->s + sc->i, "false", 5) == 0) ||
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
  if (scan_value(sc, NOPOS)) return -1;
  skip_ws(sc);
  if (sc->i < sc->n) {
    char d[DESCMAX];
    return scan_fail(sc, sc->i, "expected end of file after the JSON value, found %s",
                     describe_at(sc, sc->i, d, sizeof d));
  }
  return 0;
}

/* ---- binding records to nodes (step 3) ---- */

typedef struct binder {
  const char *text;
  pos_rec *rec;
  size_t nrec, next;
  int nomem, mismatch;
  char path[PATHMAX];
  size_t plen;
  /* the earliest semantic error found so far */
  size_t err_off; /* NOPOS = none */
  char err_path[PATHMAX];
  char err_msg[MSGMAX];
} binder;

static void bind_fail(binder *b, size_t off, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void bind_fail(binder *b, size_t off, const char *path, const char *fmt, ...) {
  if (b->err_off != NOPOS && b->err_off <= off) return; /* report the first in the text */
  b->err_off = off;
  snprintf(b->err_path, sizeof b->err_path, "%s", path[0] ? path : "$");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->err_msg, sizeof b->err_msg, fmt, ap);
  va_end(ap);
}

/* An object member's key and where it stands, for the duplicate check. */
typedef struct keyed {
  const char *name;
  size_t off; /* key offset */
} keyed;

static int cmp_keyed(const void *pa, const void *pb) {
  const keyed *a = pa, *b = pb;
  int c = strcmp(a->name, b->name);
  if (c) return c;
  return a->off < b->off ? -1 : a->off > b->off;
}

static void check_duplicates(binder *b, keyed *k, size_t n) {
  size_t best = NOPOS;
  const char *name = NULL;
  if (n <= 32) {
    for (size_t j = 1; j < n; j++)
      for (size_t i = 0; i < j; i++)
        if (strcmp(k[i].name, k[j].name) == 0 && k[j].off < best) {
          best = k[j].off;
          name = k[j].name;
        }
  } else {
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t j = 1; j < n; j++)
      if (strcmp(k[j - 1].name, k[j].name) == 0 && k[j].off < best) {
        best = k[j].off;
        name = k[j].name;
      }
  }
  if (!name) return;
  char p[PATHMAX], q[DESCMAX];
  gp_json_path_key(p, sizeof p, b->path, name);
  bind_fail(b, best, p, "expected unique keys, found %s a second time", quote(q, sizeof q, name, strlen(name)));
}

static void bind_node(binder *b, cJSON *node) {
  if (b->nomem || b->mismatch) return;
  if (b->next >= b->nrec) {
    b->mismatch = 1;
    return;
  }
  pos_rec *r = &b->rec[b->next++];
  r->node = node;
  r->string = node->string;
  r->type = node->type;
  if (cJSON_IsNumber(node)) {
    if (node->valuestring == NULL && r->len > 0) {
      char *lit = cJSON_malloc(r->len + 1);
      if (!lit) {
        b->nomem = 1;
        return;
      }
      memcpy(lit, b->text + r->off, r->len);
      lit[r->len] = '\0';
      node->valuestring = lit;
    }
    if (!isfinite(node->valuedouble)) {
      char d[DESCMAX];
      bind_fail(b, r->off, b->path, "expected a finite number, found %s", gp_json_describe(node, d, sizeof d));
    }
    return;
  }
  if (!cJSON_IsObject(node) && !cJSON_IsArray(node)) return;
  int is_obj = cJSON_IsObject(node);
  size_t n = 0;
  for (cJSON *c = node->child; c; c = c->next) n++;
  keyed *keys = NULL;
  if (is_obj && n > 1 && !(keys = malloc(n * sizeof *keys))) {
    b->nomem = 1;
    return;
  }
  size_t i = 0;
  for (cJSON *c = node->child; c; c = c->next, i++) {
    size_t idx = b->next, old = b->plen;
    if (is_obj) snprintf(b->path + old, sizeof b->path - old, "%s%s", old ? "." : "", c->string ? c->string : "");
    else snprintf(b->path + old, sizeof b->path - old, "%s[%zu]", old ? "" : "$", i);
    b->plen = strlen(b->path);
    bind_node(b, c);
    b->plen = old;
    b->path[old] = '\0';
    if (b->nomem || b->mismatch) break;
    if (keys) {
      keys[i].name = c->string ? c->string : "";
      keys[i].off = b->rec[idx].key_off;
    }
  }
  if (keys && !b->nomem && !b->mismatch) check_duplicates(b, keys, n);
  free(keys);
}

static int cmp_rec(const void *pa, const void *pb) {
  uintptr_t a = (uintptr_t)((const pos_rec *)pa)->node, b = (uintptr_t)((const pos_rec *)pb)->node;
  return a < b ? -1 : a > b;
}

static const pos_rec *find_rec(const gp_json *doc, const cJSON *node) {
  if (!doc || !node || !doc->pos) return NULL;
  size_t lo = 0, hi = doc->npos;
  uintptr_t key = (uintptr_t)node;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uintptr_t m = (uintptr_t)doc->pos[mid].node;
    if (m == key) {
      const pos_rec *r = &doc->pos[mid];
      return r->type == node->type && r->string == node->string ? r : NULL;
    }
    if (m < key) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* ---- documents ---- */

void gp_json_free(gp_json *doc) {
  if (!doc) return;
  cJSON_Delete(doc->root);
  free(doc->pos);
  free(doc->text);
  free(doc->name);
  free(doc);
}

static int doc_error(const char *name, const char *text, size_t len, size_t off, const char *path,
                     const char *msg, gp_err *err) {
  int line, col;
  line_col(text, len, off, &line, &col);
  return GP_ERR(err, GP_EX_DATAERR, "%s:%d:%d: %s: %s", name, line, col, path, msg);
}

gp_json *gp_json_parse(const char *name, const char *text, size_t len, gp_err *err) {
  if (!name) name = "(json)";
  if (!text) len = 0;
  if (len > GP_JSON_MAX_BYTES) {
    GP_ERR(err, GP_EX_DATAERR, "%s:1:1: $: expected at most %u bytes of JSON (%u MiB), found %zu bytes", name,
           GP_JSON_MAX_BYTES, GP_JSON_MAX_BYTES >> 20, len);
    return NULL;
  }
  gp_json *doc = calloc(1, sizeof *doc);
  if (!doc) goto nomem;
  size_t nlen = strlen(name);
  if (!(doc->name = malloc(nlen + 1)) || !(doc->text = malloc(len + 1))) goto nomem;
  memcpy(doc->name, name, nlen + 1);
  if (len) memcpy(doc->text, text, len);
  doc->text[len] = '\0';
  doc->len = len;

  scanner *sc = calloc(1, sizeof *sc); /* ~2 KiB of buffers: keep them off the stack */
  if (!sc) goto nomem;
  sc->s = doc->text;
  sc->n = len;
  if (scan_document(sc) != 0) {
    if (sc->failed == GP_EX_OSERR) GP_ERR_NOMEM(err);
    else doc_error(doc->name, doc->text, len, sc->err_off, sc->err_path, sc->err_msg, err);
    free(sc->rec);
    free(sc);
    gp_json_free(doc);
    return NULL;
  }
  doc->pos = sc->rec;
  doc->npos = sc->nrec;
  free(sc);

  const char *end = NULL;
  /* The length counts the NUL: cJSON's "null-terminated" check looks at it. */
  doc->root = cJSON_ParseWithLengthOpts(doc->text, len + 1, &end, 1);
  if (!doc->root) {
    /* The scanner accepted what cJSON refused: only running out of memory
     * should get here, but say where cJSON stopped in case it is not. */
    size_t off = end && end >= doc->text && end <= doc->text + len ? (size_t)(end - doc->text) : 0;
    scanner tmp = {.s = doc->text, .n = len};
    char d[DESCMAX], msg[MSGMAX];
    snprintf(msg, sizeof msg, "expected valid JSON, found %s", describe_at(&tmp, off, d, sizeof d));
    doc_error(doc->name, doc->text, len, off, "$", msg, err);
    gp_json_free(doc);
    return NULL;
  }

  binder *b = calloc(1, sizeof *b);
  if (!b) goto nomem;
  b->text = doc->text;
  b->rec = doc->pos;
  b->nrec = doc->npos;
  b->err_off = NOPOS;
  bind_node(b, doc->root);
  if (b->nomem) {
    free(b);
    goto nomem;
  }
  if (b->mismatch || b->next != b->nrec) {
    GP_ERR(err, GP_EX_SOFTWARE, "%s: internal error: the JSON scanner and cJSON disagree", doc->name);
    free(b);
    gp_json_free(doc);
    return NULL;
  }
  if (b->err_off != NOPOS) {
    doc_error(doc->name, doc->text, len, b->err_off, b->err_path, b->err_msg, err);
    free(b);
    gp_json_free(doc);
    return NULL;
  }
  free(b);
  qsort(doc->pos, doc->npos, sizeof *doc->pos, cmp_rec);
  return doc;

nomem:
  gp_json_free(doc);
  GP_ERR_NOMEM(err);
  return NULL;
}

gp_json *gp_json_load_file(const char *path, gp_err *err) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
    close(fd);
    return NULL;
  }
  if (S_ISDIR(st.st_mode)) {
    GP_ERR(err, GP_EX_NOINPUT, "%s: cannot open: %s", path, strerror(EISDIR));
    close(fd);
    return NULL;
  }
  if (S_ISREG(st.st_mode) && st.st_size > (off_t)GP_JSON_MAX_BYTES) {
    GP_ERR(err, GP_EX_DATAERR, "%s:1:1: $: expected a file of at most %u bytes (%u MiB), found %lld bytes", path,
           GP_JSON_MAX_BYTES, GP_JSON_MAX_BYTES >> 20, (long long)st.st_size);
    close(fd);
    return NULL;
  }
  /* Read to the end rather than trusting st_size: pipes report 0, and a
   * file may grow while we read it. */
  size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, len = 0;
  char *buf = malloc(cap);
  if (!buf) {
    close(fd);
    GP_ERR_NOMEM(err);
    return NULL;
  }
  for (;;) {
    if (len == cap) {
      if (cap > GP_JSON_MAX_BYTES) break;
      size_t ncap = 2 * cap > (size_t)GP_JSON_MAX_BYTES + 1 ? (size_t)GP_JSON_MAX_BYTES + 1 : 2 * cap;
      char *nb = realloc(buf, ncap);
      if (!nb) {
        free(buf);
        close(fd);
        GP_ERR_NOMEM(err);
        return NULL;
      }
      buf = nb;
      cap = ncap;
    }
    ssize_t got = read(fd, buf + len, cap - len);
    if (got < 0) {
      if (errno == EINTR) continue;
      GP_ERR(err, GP_EX_IOERR, "%s: cannot read: %s", path, strerror(errno));
      free(buf);
      close(fd);
      return NULL;
    }
    if (got == 0) break;
    len += (size_t)got;
  }
  close(fd);
  if (len > GP_JSON_MAX_BYTES) {
    GP_ERR(err, GP_EX_DATAERR, "%s:1:1: $: expected a file of at most %u bytes (%u MiB), found more", path,
           GP_JSON_MAX_BYTES, GP_JSON_MAX_BYTES >> 20);
    free(buf);
    return NULL;
  }
  gp_json *doc = gp_json_parse(path, buf, len, err);
  free(buf);
  return doc;
}

const cJSON *gp_json_root(const gp_json *doc) { return doc ? doc->root : NULL; }
const char *gp_json_name(const gp_json *doc) { return doc ? doc->name : NULL; }

const char *gp_json_text(const gp_json *doc, size_t *len) {
  if (len) *len = doc ? doc->len : 0;
  return doc ? doc->text : NULL;
}

void gp_json_pos(const gp_json *doc, const cJSON *node, int *line, int *col) {
  const pos_rec *r = find_rec(doc, node);
  int l = 0, c = 0;
  if (r) line_col(doc->text, doc->len, r->off, &l, &c);
  if (line) *line = l;
  if (col) *col = c;
}

/* ---- failing with a position ---- */

static int fail_off(const gp_json *doc, size_t off, const char *path, gp_err *err, const char *fmt,
                    va_list ap) __attribute__((format(printf, 5, 0)));
static int fail_off(const gp_json *doc, size_t off, const char *path, gp_err *err, const char *fmt,
                    va_list ap) {
  char msg[MSGMAX];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (!path || !path[0]) path = "$";
  const char *name = doc && doc->name ? doc->name : "(json)";
  if (off == NOPOS || !doc) return GP_ERR(err, GP_EX_DATAERR, "%s: %s: %s", name, path, msg);
  return doc_error(name, doc->text, doc->len, off, path, msg, err);
}

int gp_json_fail(const gp_json *doc, const cJSON *node, const char *path, gp_err *err, const char *fmt, ...) {
  const pos_rec *r = find_rec(doc, node);
  va_list ap;
  va_start(ap, fmt);
  int rc = fail_off(doc, r ? r->off : NOPOS, path, err, fmt, ap);
  va_end(ap);
  return rc;
}

/* Fail at the key of the object member NODE (at its value when the key's
 * position is unknown). */
static int fail_key(const gp_json *doc, const cJSON *node, const char *path, gp_err *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail_key(const gp_json *doc, const cJSON *node, const char *path, gp_err *err, const char *fmt, ...) {
  const pos_rec *r = find_rec(doc, node);
  size_t off = r ? (r->key_off != NOPOS ? r->key_off : r->off) : NOPOS;
  va_list ap;
  va_start(ap, fmt);
  int rc = fail_off(doc, off, path, err, fmt, ap);
  va_end(ap);
  return rc;
}

/* ---- reading helpers ---- */

int gp_json_check_keys(const gp_json *doc, const cJSON *obj, const char *path, const char *const *allowed,
                       gp_err *err) {
  if (!cJSON_IsObject(obj)) return 0;
  for (const cJSON *c = obj->child; c; c = c->next) {
    const char *k = c->string ? c->string : "";
    int ok = 0;
    for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, k) == 0;
    if (ok) continue;
    char list[MSGMAX / 2], p[PATHMAX], q[DESCMAX];
    size_t at = 0;
    list[0] = '\0';
    for (const char *const *a = allowed; *a; a++)
      if (list_add(list, sizeof list, &at, *a, 0)) break;
    return fail_key(doc, c, gp_json_path_key(p, sizeof p, path, k), err, "expected one of the keys %s, found %s",
                    list, quote(q, sizeof q, k, strlen(k)));
  }
  return 0;
}

int gp_json_expect_object(const gp_json *doc, const cJSON *node, const char *path, gp_err *err) {
  char d[DESCMAX];
  if (cJSON_IsObject(node)) return 0;
  return gp_json_fail(doc, node, path, err, "expected an object, found %s", gp_json_describe(node, d, sizeof d));
}

int gp_json_expect_array(const gp_json *doc, const cJSON *node, const char *path, gp_err *err) {
  char d[DESCMAX];
  if (cJSON_IsArray(node)) return 0;
  return gp_json_fail(doc, node, path, err, "expected an array, found %s", gp_json_describe(node, d, sizeof d));
}

/* The member KEY of OBJ, or NULL.  Absent and required: fails (returns NULL
 * with *rc = -1). */
static const cJSON *member(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                           int *rc, gp_err *err) {
  const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
  *rc = 0;
  if (!v && required) *rc = gp_json_fail(doc, obj, path, err, "expected key \"%s\", found none", key);
  return v;
}

/* "a number in [0, 1]", "a number > 0", "a number" ... into BUF. */
static const char *range_text(char *buf, size_t size, const char *noun, double min, double max, unsigned open) {
  const char *lo = open & GP_JSON_OPEN_MIN ? "(" : "[", *hi = open & GP_JSON_OPEN_MAX ? ")" : "]";
  int has_lo = min > -HUGE_VAL, has_hi = max < HUGE_VAL;
  if (has_lo && has_hi) snprintf(buf, size, "%s in %s%g, %g%s", noun, lo, min, max, hi);
  else if (has_lo) snprintf(buf, size, "%s %s %g", noun, open & GP_JSON_OPEN_MIN ? ">" : ">=", min);
  else if (has_hi) snprintf(buf, size, "%s %s %g", noun, open & GP_JSON_OPEN_MAX ? "<" : "<=", max);
  else snprintf(buf, size, "%s", noun);
  return buf;
}

int gp_json_number_ex(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                      double min, double max, unsigned open, double *out, gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  char p[PATHMAX], d[DESCMAX], r[DESCMAX * 2];
  gp_json_path_key(p, sizeof p, path, key);
  if (!cJSON_IsNumber(v))
    return gp_json_fail(doc, v, p, err, "expected a number, found %s", gp_json_describe(v, d, sizeof d));
  double x = v->valuedouble;
  if (!isfinite(x))
    return gp_json_fail(doc, v, p, err, "expected a finite number, found %s", gp_json_describe(v, d, sizeof d));
  int below = open & GP_JSON_OPEN_MIN ? !(x > min) : !(x >= min);
  int above = open & GP_JSON_OPEN_MAX ? !(x < max) : !(x <= max);
  if (below || above)
    return gp_json_fail(doc, v, p, err, "expected %s, found %s", range_text(r, sizeof r, "a number", min, max, open),
                        gp_json_describe(v, d, sizeof d));
  *out = x;
  return 0;
}

int gp_json_number(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                   double min, double max, double *out, gp_err *err) {
  return gp_json_number_ex(doc, obj, path, key, required, min, max, 0, out, err);
}

int gp_json_int(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                long long min, long long max, long long *out, gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  char p[PATHMAX], d[DESCMAX], r[DESCMAX * 2];
  gp_json_path_key(p, sizeof p, path, key);
  gp_json_describe(v, d, sizeof d);
  if (!cJSON_IsNumber(v)) return gp_json_fail(doc, v, p, err, "expected an integer, found %s", d);
  double x = v->valuedouble;
  if (!isfinite(x) || x != floor(x)) return gp_json_fail(doc, v, p, err, "expected an integer, found %s", d);
  long long n;
  int overflow = 0;
  const char *lit = v->valuestring;
  if (lit && strspn(lit + (lit[0] == '-'), "0123456789") == strlen(lit + (lit[0] == '-'))) {
    /* An integer literal: read it exactly, past double's 53 bits. */
    errno = 0;
    n = strtoll(lit, NULL, 10);
    overflow = errno == ERANGE;
  } else if (x >= -9223372036854775808.0 && x < 9223372036854775808.0) {
    n = (long long)x;
  } else {
    n = x < 0 ? LLONG_MIN : LLONG_MAX;
    overflow = 1;
  }
  if (overflow || n < min || n > max) {
    int has_lo = min > LLONG_MIN, has_hi = max < LLONG_MAX;
    if (has_lo && has_hi) snprintf(r, sizeof r, "an integer in [%lld, %lld]", min, max);
    else if (has_lo) snprintf(r, sizeof r, "an integer >= %lld", min);
    else if (has_hi) snprintf(r, sizeof r, "an integer <= %lld", max);
    else snprintf(r, sizeof r, "a 64-bit integer");
    return gp_json_fail(doc, v, p, err, "expected %s, found %s", r, d);
  }
  *out = n;
  return 0;
}

int gp_json_bool(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required, int *out,
                 gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  char p[PATHMAX], d[DESCMAX];
  if (!cJSON_IsBool(v))
    return gp_json_fail(doc, v, gp_json_path_key(p, sizeof p, path, key), err, "expected true or false, found %s",
                        gp_json_describe(v, d, sizeof d));
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return 0;
}

int gp_json_string(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                   int nonempty, const char **out, gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  char p[PATHMAX], d[DESCMAX];
  if (!cJSON_IsString(v) || !v->valuestring || (nonempty && !v->valuestring[0]))
    return gp_json_fail(doc, v, gp_json_path_key(p, sizeof p, path, key), err, "expected a %sstring, found %s",
                        nonempty ? "non-empty " : "", gp_json_describe(v, d, sizeof d));
  *out = v->valuestring;
  return 0;
}

int gp_json_enum(const gp_json *doc, const cJSON *obj, const char *path, const char *key, int required,
                 const char *const *choices, int *out, gp_err *err) {
  int rc;
  const cJSON *v = member(doc, obj, path, key, required, &rc, err);
  if (!v) return rc;
  if (cJSON_IsString(v) && v->valuestring)
    for (int i = 0; choices[i]; i++)
      if (strcmp(choices[i], v->valuestring) == 0) {
        *out = i;
        return 0;
      }
  char list[MSGMAX / 2], p[PATHMAX], d[DESCMAX];
  size_t at = 0;
  list[0] = '\0';
  for (int i = 0; choices[i]; i++)
    if (list_add(list, sizeof list, &at, choices[i], 1)) break;
  return gp_json_fail(doc, v, gp_json_path_key(p, sizeof p, path, key), err, "expected one of %s, found %s", list,
                      gp_json_describe(v, d, sizeof d));
}
