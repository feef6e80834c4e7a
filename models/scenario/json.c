/*
 * models/scenario/json.c - JSON documents that remember where every value came from
 * (see json.h).
 *
 * Loading runs in three steps:
 *   1. scan:  our own strict scanner (json_scan.c) reads the text once,
 *             stops at the first byte that is not JSON, and records the
 *             offset of every value (and of the key of every object member),
 *             in document order.  It runs before cJSON, so deep input cannot
 *             exhaust the stack.
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

#include "models/scenario/json_int.h"

/* A node a caller put into the tree (gp_json_mark), and where it came from. */
typedef struct gp_json_markrec {
  const cJSON *node;
  int type;           /* node->type when marked */
  const char *string; /* node->string when marked */
  const char *label;  /* "--set a.b=5": one of the document's labels */
} gp_json_markrec;

struct gp_json {
  char *name;       /* file name for messages; owned */
  char *text;       /* copy of the text, NUL-terminated; owned */
  size_t len;       /* bytes of text, NUL excluded */
  cJSON *root;      /* owned */
  gp_json_rec *pos; /* one per node, sorted by node address; owned */
  size_t npos;
  gp_json_markrec *orig; /* marked nodes, in the order marked; owned */
  size_t norig, caporig;
  char **labels;        /* the marks' labels; owned */
  size_t nlabels;
  /* An "extends" chain (gp_json_adopt): the bases whose nodes the tree
   * holds, nearest first, each with its name, text and records (its tree
   * taken); and trees kept whole until the end, so that no node a record
   * names is freed and its address reused. */
  gp_json **bases; /* owned */
  size_t nbases;
  cJSON **kept; /* owned */
  size_t nkept;
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

/* Append SRC (N bytes) to BUF as the inside of a quoted string: escape
 * quotes, backslashes and control bytes, stop after GP_JSON_CUT source bytes (at a
 * character boundary) and add "...".  Returns the new length. */
static size_t put_quoted(char *buf, size_t size, size_t at, const char *src, size_t n) {
  size_t i = 0;
  while (i < n && at + 8 < size) {
    unsigned char c = (unsigned char)src[i];
    size_t k = c >= 0x80 ? gp_json_scan_utf8((const unsigned char *)src + i, n - i) : 1;
    if (k == 0) k = 1;
    if (i + k > GP_JSON_CUT) {
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

const char *gp_json_quote(char *buf, size_t size, const char *src, size_t n) {
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
      if (n <= GP_JSON_CUT) snprintf(buf, size, "%s", node->valuestring);
      else snprintf(buf, size, "%.*s...", GP_JSON_CUT, node->valuestring);
    } else {
      number_text(node->valuedouble, buf, size);
    }
  } else if (cJSON_IsString(node)) {
    const char *s = node->valuestring ? node->valuestring : "";
    gp_json_quote(buf, size, s, strlen(s));
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

int gp_json_list_add(char *buf, size_t size, size_t *at, const char *word, int quoted) {
  size_t n = strlen(word) + (quoted ? 2 : 0) + (*at ? 2 : 0);
  if (*at + n + 6 >= size) {
    if (*at + 6 < size) memcpy(buf + *at, ", ...", 6);
    return -1;
  }
  *at += (size_t)snprintf(buf + *at, size - *at, "%s%s%s%s", *at ? ", " : "", quoted ? "\"" : "", word,
                          quoted ? "\"" : "");
  return 0;
}

/* ---- binding records to nodes (step 3) ---- */

typedef struct binder {
  const char *text;
  gp_json_rec *rec;
  size_t nrec, next;
  int nomem, mismatch;
  char path[GP_JSON_PATHMAX];
  size_t plen;
  /* the earliest semantic error found so far */
  size_t err_off; /* GP_JSON_NOPOS = none */
  char err_path[GP_JSON_PATHMAX];
  char err_msg[GP_JSON_MSGMAX];
} binder;

static void bind_fail(binder *b, size_t off, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void bind_fail(binder *b, size_t off, const char *path, const char *fmt, ...) {
  if (b->err_off != GP_JSON_NOPOS && b->err_off <= off) return; /* report the first in the text */
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
  size_t best = GP_JSON_NOPOS;
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
  char p[GP_JSON_PATHMAX], q[GP_JSON_DESCMAX];
  gp_json_path_key(p, sizeof p, b->path, name);
  bind_fail(b, best, p, "expected unique keys, found %s a second time", gp_json_quote(q, sizeof q, name, strlen(name)));
}

static void bind_node(binder *b, cJSON *node) {
  if (b->nomem || b->mismatch) return;
  if (b->next >= b->nrec) {
    b->mismatch = 1;
    return;
  }
  gp_json_rec *r = &b->rec[b->next++];
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
      char d[GP_JSON_DESCMAX];
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
  uintptr_t a = (uintptr_t)((const gp_json_rec *)pa)->node, b = (uintptr_t)((const gp_json_rec *)pb)->node;
  return a < b ? -1 : a > b;
}

static const gp_json_rec *find_own(const gp_json *doc, const cJSON *node) {
  if (!doc || !node || !doc->pos) return NULL;
  size_t lo = 0, hi = doc->npos;
  uintptr_t key = (uintptr_t)node;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uintptr_t m = (uintptr_t)doc->pos[mid].node;
    if (m == key) {
      const gp_json_rec *r = &doc->pos[mid];
      return r->type == node->type && r->string == node->string ? r : NULL;
    }
    if (m < key) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

/* NODE's record and, in *IN, the document whose text it is in: DOC's own
 * or a base's (an "extends" chain keeps each node's file). */
static const gp_json_rec *find_rec_in(const gp_json *doc, const cJSON *node, const gp_json **in) {
  *in = doc;
  const gp_json_rec *r = find_own(doc, node);
  for (size_t i = 0; !r && doc && i < doc->nbases; i++)
    if ((r = find_own(doc->bases[i], node))) *in = doc->bases[i];
  return r;
}

long gp_json_file_index(const gp_json *doc, const cJSON *node) {
  if (!doc || !node || gp_json_origin(doc, node)) return -1;
  if (find_own(doc, node)) return 0;
  for (size_t i = 0; i < doc->nbases; i++)
    if (find_own(doc->bases[i], node)) return (long)i + 1;
  return -1;
}

/* The latest mark of a live node of NODE's address, type and key wins: a
 * node freed by a later override may have left its address to a new one,
 * which is marked after it. */
const char *gp_json_origin(const gp_json *doc, const cJSON *node) {
  if (!doc || !node) return NULL;
  for (size_t i = doc->norig; i-- > 0;) {
    const gp_json_markrec *o = &doc->orig[i];
    if (o->node == node) return o->type == node->type && o->string == node->string ? o->label : NULL;
  }
  return NULL;
}

static int mark_node(gp_json *doc, const cJSON *node, const char *label) {
  if (doc->norig == doc->caporig) {
    size_t cap = doc->caporig ? 2 * doc->caporig : 16;
    gp_json_markrec *o = realloc(doc->orig, cap * sizeof *o);
    if (!o) return -1;
    doc->orig = o;
    doc->caporig = cap;
  }
  doc->orig[doc->norig++] = (gp_json_markrec){node, node->type, node->string, label};
  /* A value put in is a document of at most GP_JSON_MAX_DEPTH levels. */
  for (const cJSON *c = node->child; c; c = c->next)
    if (mark_node(doc, c, label)) return -1;
  return 0;
}

int gp_json_mark(gp_json *doc, const cJSON *node, const char *label, gp_err *err) {
  size_t n = strlen(label);
  char *copy = malloc(n + 1);
  char **labels = realloc(doc->labels, (doc->nlabels + 1) * sizeof *labels);
  if (labels) doc->labels = labels;
  if (!copy || !labels) {
    free(copy);
    return GP_ERR_NOMEM(err);
  }
  memcpy(copy, label, n + 1);
  doc->labels[doc->nlabels++] = copy;
  return mark_node(doc, node, copy) ? GP_ERR_NOMEM(err) : 0;
}

cJSON *gp_json_detach(gp_json *doc) {
  cJSON *root = doc->root;
  doc->root = NULL;
  free(doc->pos); /* records of nodes the document no longer has */
  doc->pos = NULL;
  doc->npos = 0;
  return root;
}

/* ---- documents ---- */

void gp_json_free(gp_json *doc) {
  if (!doc) return;
  cJSON_Delete(doc->root);
  for (size_t i = 0; i < doc->nkept; i++) cJSON_Delete(doc->kept[i]);
  free(doc->kept);
  for (size_t i = 0; i < doc->nbases; i++) gp_json_free(doc->bases[i]);
  free(doc->bases);
  for (size_t i = 0; i < doc->nlabels; i++) free(doc->labels[i]);
  free(doc->labels);
  free(doc->orig);
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

  gp_json_scan *sc = calloc(1, sizeof *sc); /* ~1.3 KiB of messages: keep them off the stack */
  if (!sc) goto nomem;
  if (gp_json_scan_text(doc->text, len, sc) != 0) {
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
    char d[GP_JSON_DESCMAX], msg[GP_JSON_MSGMAX];
    snprintf(msg, sizeof msg, "expected valid JSON, found %s",
             gp_json_scan_describe(doc->text, len, off, d, sizeof d));
    doc_error(doc->name, doc->text, len, off, "$", msg, err);
    gp_json_free(doc);
    return NULL;
  }

  binder *b = calloc(1, sizeof *b);
  if (!b) goto nomem;
  b->text = doc->text;
  b->rec = doc->pos;
  b->nrec = doc->npos;
  b->err_off = GP_JSON_NOPOS;
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
  if (b->err_off != GP_JSON_NOPOS) {
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

char *gp_json_read_file(const char *path, size_t *len_out, gp_err *err) {
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
  *len_out = len;
  return buf;
}

gp_json *gp_json_load_file(const char *path, gp_err *err) {
  size_t len;
  char *buf = gp_json_read_file(path, &len, err);
  if (!buf) return NULL;
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
  const gp_json *in = doc;
  const gp_json_rec *r = gp_json_origin(doc, node) ? NULL : find_rec_in(doc, node, &in);
  int l = 0, c = 0;
  if (r) line_col(in->text, in->len, r->off, &l, &c);
  if (line) *line = l;
  if (col) *col = c;
}

/* ---- failing with a position ---- */

/* "NAME:LINE:COL: PATH: MSG" at byte OFF; "NAME: LABEL: PATH: MSG" for a
 * node a caller put in (LABEL says where it came from: "--set a.b=5"); or
 * "NAME: PATH: MSG" when neither is known. */
static int fail_off(const gp_json *doc, size_t off, const char *label, const char *path, gp_err *err,
                    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
static int fail_off(const gp_json *doc, size_t off, const char *label, const char *path, gp_err *err,
                    const char *fmt, va_list ap) {
  char msg[GP_JSON_MSGMAX];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (!path || !path[0]) path = "$";
  const char *name = doc && doc->name ? doc->name : "(json)";
  if (label) return GP_ERR(err, GP_EX_DATAERR, "%s: %s: %s: %s", name, label, path, msg);
  if (off == GP_JSON_NOPOS || !doc) return GP_ERR(err, GP_EX_DATAERR, "%s: %s: %s", name, path, msg);
  return doc_error(name, doc->text, doc->len, off, path, msg, err);
}

int gp_json_fail(const gp_json *doc, const cJSON *node, const char *path, gp_err *err, const char *fmt, ...) {
  const char *label = gp_json_origin(doc, node);
  const gp_json *in = doc;
  const gp_json_rec *r = label ? NULL : find_rec_in(doc, node, &in);
  va_list ap;
  va_start(ap, fmt);
  int rc = fail_off(r ? in : doc, r ? r->off : GP_JSON_NOPOS, label, path, err, fmt, ap);
  va_end(ap);
  return rc;
}

int gp_json_fail_key(const gp_json *doc, const cJSON *node, const char *path, gp_err *err, const char *fmt, ...) {
  const char *label = gp_json_origin(doc, node);
  const gp_json *in = doc;
  const gp_json_rec *r = label ? NULL : find_rec_in(doc, node, &in);
  size_t off = r ? (r->key_off != GP_JSON_NOPOS ? r->key_off : r->off) : GP_JSON_NOPOS;
  va_list ap;
  va_start(ap, fmt);
  int rc = fail_off(r ? in : doc, off, label, path, err, fmt, ap);
  va_end(ap);
  return rc;
}

/* ---- "extends" chains (extends.c merges the trees) ---- */

static int grow(void **arr, size_t n, size_t more, size_t size) {
  void *a = realloc(*arr, (n + more) * size);
  if (!a) return -1;
  *arr = a;
  return 0;
}

int gp_json_adopt(gp_json *doc, gp_json *base, cJSON *spare, gp_err *err) {
  if (grow((void **)&doc->bases, doc->nbases, 1 + base->nbases, sizeof *doc->bases) ||
      grow((void **)&doc->kept, doc->nkept, 2 + base->nkept, sizeof *doc->kept)) {
    cJSON_Delete(spare);
    gp_json_free(base);
    return GP_ERR_NOMEM(err);
  }
  /* DOC's own tree, what is left of it once merged, is kept whole. */
  if (doc->root) doc->kept[doc->nkept++] = doc->root;
  if (spare) doc->kept[doc->nkept++] = spare;
  doc->root = base->root;
  base->root = NULL;
  if (base->nkept) memcpy(doc->kept + doc->nkept, base->kept, base->nkept * sizeof *base->kept);
  doc->nkept += base->nkept;
  base->nkept = 0;
  doc->bases[doc->nbases++] = base;
  if (base->nbases) memcpy(doc->bases + doc->nbases, base->bases, base->nbases * sizeof *base->bases);
  doc->nbases += base->nbases;
  base->nbases = 0;
  return 0;
}

size_t gp_json_nbases(const gp_json *doc) { return doc ? doc->nbases : 0; }

const char *gp_json_base_name(const gp_json *doc, size_t i) {
  return doc && i < doc->nbases ? doc->bases[i]->name : NULL;
}
