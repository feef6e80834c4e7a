/*
 * models/scenario/json.h - JSON documents that remember where every value came from.
 *
 * cJSON builds the tree; a second, independent pass over the same text
 * records the byte offset of every value, so any later validation error can
 * say FILE:LINE:COL.  The pass also rejects what cJSON would accept silently:
 * duplicate keys in an object, a UTF-8 byte-order mark, NUL bytes, strings
 * that are not valid UTF-8 (RFC 3629: no overlong forms, no surrogates), nesting
 * deeper than GP_JSON_MAX_DEPTH, more than GP_JSON_MAX_VALUES values, and
 * numbers that overflow to infinity.
 *
 * Every error message has the one-line form
 *     FILE:LINE:COL: json.path: expected ..., found ...
 * (LINE and COL count from 1; COL counts bytes) and code GP_EX_DATAERR, or
 * GP_EX_NOINPUT when the file cannot be opened.
 *
 * Ownership: a gp_json owns its cJSON tree, its text copy and its file name.
 * Pointers to nodes stay valid until gp_json_free.
 */
#ifndef GP_JSON_H
#define GP_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "sim/err.h"

#define GP_JSON_MAX_DEPTH 64
#define GP_JSON_MAX_BYTES (64u * 1024u * 1024u) /* refuse larger files up front */
#define GP_JSON_MAX_VALUES 1000000u /* values in one document: each costs ~110 bytes parsed */

typedef struct gp_json gp_json;

/* Parse TEXT (LEN bytes, need not be NUL-terminated); NAME is used in messages. */
gp_json *gp_json_parse(const char *name, const char *text, size_t len, gp_err *err);
/* Read and parse a file; "-" is not special. */
gp_json *gp_json_load_file(const char *path, gp_err *err);
/* The bytes of the file at PATH (at most GP_JSON_MAX_BYTES; a pipe or
 * /dev/stdin is read to its end, once), malloc'd, their number in *LEN;
 * NULL with ERR set as gp_json_load_file sets it. */
char *gp_json_read_file(const char *path, size_t *len, gp_err *err);
void gp_json_free(gp_json *doc);

const cJSON *gp_json_root(const gp_json *doc);
const char *gp_json_name(const gp_json *doc);
/* The original text (NUL-terminated copy) and its length. */
const char *gp_json_text(const gp_json *doc, size_t *len);
/* 1-based line and column of NODE's first character; 0,0 if unknown. */
void gp_json_pos(const gp_json *doc, const cJSON *node, int *line, int *col);

/* Remember that NODE and every node under it, which the caller put into
 * DOC's tree (command-line overrides), came from LABEL ("--set a.b=5"):
 * errors about them say "NAME: LABEL: PATH: MESSAGE", as they have no line
 * and column.  Returns 0, or -1 when out of memory. */
int gp_json_mark(gp_json *doc, const cJSON *node, const char *label, gp_err *err);
/* Take DOC's tree: the caller owns it (and frees it with cJSON_Delete);
 * DOC is left without one, to be freed. */
cJSON *gp_json_detach(gp_json *doc);

/* Set ERR to "NAME:LINE:COL: PATH: MESSAGE" (position of NODE; for a marked
 * node "NAME: LABEL: PATH: MESSAGE") and return -1. */
int gp_json_fail(const gp_json *doc, const cJSON *node, const char *path, gp_err *err,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A short description of NODE for "found ..." in messages: the literal text for
 * numbers, strings (quoted, cut at 40 bytes), true/false/null; "an object" or
 * "an array" otherwise.  Writes into BUF and returns it. */
const char *gp_json_describe(const cJSON *node, char *buf, size_t size);

/*
 * Reading helpers.  Each takes the object OBJ found at PATH, the KEY to read,
 * and whether the key is REQUIRED.  When the key is absent and not required
 * they store nothing and return 0 (the caller has set the default already);
 * when present they validate and store; on a bad value they fail with a
 * message naming PATH.KEY and return -1.  Absent-and-required fails at OBJ's
 * position with "expected key \"KEY\", found none".
 */
/* Unknown keys are errors: fail on the first member of OBJ not in ALLOWED
 * (a NULL-terminated list), with "expected one of the keys a, b, c, found \"x\"". */
int gp_json_check_keys(const gp_json *doc, const cJSON *obj, const char *path,
                       const char *const *allowed, gp_err *err);
/* Fail unless NODE is an object / array. */
int gp_json_expect_object(const gp_json *doc, const cJSON *node, const char *path, gp_err *err);
int gp_json_expect_array(const gp_json *doc, const cJSON *node, const char *path, gp_err *err);

/* For a string V found where a number was expected: a hint (" (...)") when
 * it is a number written as people do (52,000 or 0,6), or one in quotes;
 * "" otherwise. */
const char *gp_json_number_hint(const cJSON *v);

/* A finite number in [min, max]. */
int gp_json_number(const gp_json *doc, const cJSON *obj, const char *path, const char *key,
                   int required, double min, double max, double *out, gp_err *err);
/* The same, where OPEN (a mask of the flags below) excludes a bound itself:
 * GP_JSON_OPEN_MIN asks for "> min", GP_JSON_OPEN_MAX for "< max". */
enum { GP_JSON_OPEN_MIN = 1u, GP_JSON_OPEN_MAX = 2u };
int gp_json_number_ex(const gp_json *doc, const cJSON *obj, const char *path, const char *key,
                      int required, double min, double max, unsigned open, double *out,
                      gp_err *err);
/* An integer (a number with no fractional part) in [min, max]. */
int gp_json_int(const gp_json *doc, const cJSON *obj, const char *path, const char *key,
                int required, long long min, long long max, long long *out, gp_err *err);
int gp_json_bool(const gp_json *doc, const cJSON *obj, const char *path, const char *key,
                 int required, int *out, gp_err *err);
/* A string; *OUT points into the document (valid until gp_json_free).  When
 * NONEMPTY, "" is rejected. */
int gp_json_string(const gp_json *doc, const cJSON *obj, const char *path, const char *key,
                   int required, int nonempty, const char **out, gp_err *err);
/* A string that must be one of CHOICES (NULL-terminated); stores its index. */
int gp_json_enum(const gp_json *doc, const cJSON *obj, const char *path, const char *key,
                 int required, const char *const *choices, int *out, gp_err *err);

/* Join PATH and KEY ("a.b" + "c" -> "a.b.c"; "" + "c" -> "c") or PATH and
 * index ("a" + 3 -> "a[3]") into BUF; returns BUF. */
const char *gp_json_path_key(char *buf, size_t size, const char *path, const char *key);
const char *gp_json_path_index(char *buf, size_t size, const char *path, int index);

#endif /* GP_JSON_H */
