/*
 * models/scenario/json_int.h - what json.c and json_scan.c share (internal to
 * models/scenario/).
 *
 * Loading a document is three steps (json.c's header describes them): the
 * strict scanner of json_scan.c (step 1) reads the text once and records
 * where every value starts; cJSON builds the tree (step 2); json.c binds the
 * records to the tree's nodes (step 3).  json_read.c reads typed values off
 * the tree, failing through json.c.
 */
#ifndef GP_JSON_INT_H
#define GP_JSON_INT_H

#include <stddef.h>
#include <stdint.h>

#include "models/scenario/json.h"

#define GP_JSON_NOPOS SIZE_MAX
#define GP_JSON_PATHMAX 512 /* bytes of a JSON path in a message, NUL included */
#define GP_JSON_MSGMAX 768  /* bytes of the message after "FILE:LINE:COL: PATH: " */
#define GP_JSON_DESCMAX 64  /* bytes for a "found ..." description */
#define GP_JSON_CUT 40      /* strings and literals are quoted up to this many bytes */

/* Where one value of the text stands. */
typedef struct gp_json_rec {
  const cJSON *node;  /* filled in by the bind step */
  const char *string; /* node->string when bound (member key; NULL otherwise) */
  int type;           /* node->type when bound */
  size_t off;         /* byte offset of the value's first character */
  size_t len;         /* bytes of a scalar's source text; 0 for containers */
  size_t key_off;     /* byte offset of the member's key (its '"'); GP_JSON_NOPOS if none */
} gp_json_rec;

/* What the scanner found: a record per value, or the first error. */
typedef struct gp_json_scan {
  gp_json_rec *rec; /* one per value, in document order; malloc'd, the caller frees it */
  size_t nrec;
  int failed;     /* 0, GP_EX_DATAERR (err_* say where and what) or GP_EX_OSERR */
  size_t err_off; /* byte offset of the error */
  char err_path[GP_JSON_PATHMAX];
  char err_msg[GP_JSON_MSGMAX];
} gp_json_scan;

/* Scan TEXT (LEN bytes) into OUT; 0, or -1 with OUT->failed set (OUT->rec
 * may still hold records to free). */
int gp_json_scan_text(const char *text, size_t len, gp_json_scan *out);
/* What is at byte OFF of TEXT, for "found ...": a word, a character, a byte,
 * or "end of file"; written into BUF when it needs to be. */
const char *gp_json_scan_describe(const char *text, size_t len, size_t off, char *buf, size_t size);
/* Length of the valid UTF-8 sequence at S (N bytes available), or 0. */
size_t gp_json_scan_utf8(const unsigned char *s, size_t n);

/* What json.c lends json_read.c (the typed readers): */
/* The label NODE was marked with (gp_json_mark), or NULL. */
const char *gp_json_origin(const gp_json *doc, const cJSON *node);
/* Fail at the key of the object member NODE (at its value when the key's
 * position is unknown), as gp_json_fail does. */
int gp_json_fail_key(const gp_json *doc, const cJSON *node, const char *path, gp_err *err,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* SRC (N bytes) quoted for "found ..." into BUF, cut at GP_JSON_CUT bytes. */
const char *gp_json_quote(char *buf, size_t size, const char *src, size_t n);
/* Append ", " (unless first) and a quoted or bare WORD to the list in BUF;
 * once it is full, end it with ", ..." and return -1. */
int gp_json_list_add(char *buf, size_t size, size_t *at, const char *word, int quoted);

/* What extends.c needs of a document: */
/* DOC takes BASE, whose tree already holds DOC's merged in (extends.c):
 * BASE's tree becomes DOC's; what is left of DOC's own tree and SPARE (the
 * nodes the merge took out, or NULL) are kept until gp_json_free, so no
 * node is freed while records may name it; BASE's text and records stay,
 * so errors about its nodes still say BASE's FILE:LINE:COL.  Takes BASE
 * and SPARE, even on failure (-1, out of memory). */
int gp_json_adopt(gp_json *doc, gp_json *base, cJSON *spare, gp_err *err);
/* The files DOC's tree came from besides its own: its base, the base's
 * base, ... (nearest first). */
size_t gp_json_nbases(const gp_json *doc);
const char *gp_json_base_name(const gp_json *doc, size_t i);
/* Which file's text holds NODE: 0 for DOC's own, I + 1 for its base I
 * (the order of gp_json_base_name); -1 for a node an override put in, or
 * one of no text. */
long gp_json_file_index(const gp_json *doc, const cJSON *node);

#endif /* GP_JSON_INT_H */
