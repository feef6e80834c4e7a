/*
 * models/scenario/extends.c - "extends": a scenario file written as a patch
 * of another (see extends.h).
 *
 * The patch (the file's own tree, "extends" taken out) is merged onto its
 * base's resolved tree as RFC 7386 says: an object patches an object member
 * by member, a null member removes the base's, any other value replaces
 * the base's whole (arrays too).  One exception, read from the catalogue
 * (format.c): a LIST whose objects have a "name" key (gpu_types, pools,
 * roadmap.tranches, demand.streams, .calls, .designated, policies, a
 * source's gpu_types) is merged element by element by name:
 *   - an element whose name the base's list has patches that element;
 *   - an element with a new name is appended, or put "after" or "before"
 *     the element of that name (either key also moves a patched element);
 *   - {"name": "X", "remove": true} removes X.
 * "after", "before" and "remove" are the merge's own keys: they never reach
 * the resolved scenario.  Other lists (committees, assumptions, phases,
 * sweep, uncertain) are replaced whole.
 *
 * Invariant: nodes are moved between the trees, never copied nor freed
 * (what the merge takes out goes to a spare list the document keeps), and
 * each keeps its key string: its document's record still finds it, so an
 * error about any value of the result names its own FILE:LINE:COL.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "models/scenario/extends.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/format.h"
#include "models/scenario/json_int.h"

/* One merge of a patch (of document DOC) onto a base's tree. */
typedef struct merger {
  const gp_json *doc; /* the patch's document: its errors are located in it */
  cJSON *spare;       /* an array of the nodes taken out of either tree */
  gp_err *err;
} merger;

static int merge_object(merger *m, cJSON *base, cJSON *patch, const gp_format_object *fmt,
                        const char *path);
static int clean(merger *m, cJSON *obj, const gp_format_object *fmt, const char *path);

/* ---- moving nodes (cJSON's own helpers free or rename them) ---- */

/* Take NODE out of PARENT and keep it in the spare list. */
static void spare(merger *m, cJSON *parent, cJSON *node) {
  cJSON_DetachItemViaPointer(parent, node);
  cJSON_AddItemToArray(m->spare, node);
}

/* Link ITEM (detached) into PARENT before AT (at the end when AT is NULL);
 * ITEM's key, if any, is kept as it is. */
static void insert_before(cJSON *parent, cJSON *at, cJSON *item) {
  if (!at) {
    cJSON_AddItemToArray(parent, item); /* links any container; keeps item->string */
    return;
  }
  item->next = at;
  item->prev = at->prev; /* the last element when AT is the first */
  if (at == parent->child) parent->child = item;
  else at->prev->next = item;
  at->prev = item;
}

/* ---- the catalogue's view ---- */

static const gp_format_object *object_of(const gp_format_key *k) {
  return k && k->kind == GP_FORMAT_OBJECT ? k->of : NULL;
}

/* The format of the elements of K's list when they are named, else NULL. */
static const gp_format_object *named_of(const gp_format_key *k) {
  return k && k->kind == GP_FORMAT_LIST && k->of && gp_format_find(k->of, "name") ? k->of : NULL;
}

static const gp_format_key *find_key(const gp_format_object *fmt, const char *key) {
  return fmt && key ? gp_format_find(fmt, key) : NULL;
}

/* ---- named lists ---- */

static cJSON *find_named(cJSON *list, const char *name) {
  for (cJSON *e = list->child; e; e = e->next) {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name");
    if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) return e;
  }
  return NULL;
}

/* The element of LIST named by E's KEY ("after", "before"), or NULL with
 * ERR set; *AT is left NULL when E has no KEY. */
static int place(merger *m, cJSON *list, cJSON *e, const char *key, const char *path, cJSON **at) {
  cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
  if (!v) return 0;
  char p[GP_JSON_PATHMAX], d[GP_JSON_DESCMAX];
  gp_json_path_key(p, sizeof p, path, key);
  if (!cJSON_IsString(v) || !(*at = find_named(list, v->valuestring)))
    return gp_json_fail(m->doc, v, p, m->err, "expected the name of an element of the list, found %s",
                        gp_json_describe(v, d, sizeof d));
  return 0;
}

/* Element E of a patch's named list, at PATH, onto LIST; E is detached and
 * ends in LIST or in the spare list. */
static int merge_element(merger *m, cJSON *list, cJSON *e, const gp_format_object *fmt,
                         const char *path) {
  char p[GP_JSON_PATHMAX], d[GP_JSON_DESCMAX];
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
  if (!cJSON_IsObject(e) || !cJSON_IsString(name)) {
    cJSON_AddItemToArray(m->spare, e);
    if (cJSON_IsObject(e))
      return gp_json_fail(m->doc, e, path, m->err,
                          "expected an element with a \"name\" (the name of the element to patch, "
                          "add or remove), found none");
    return gp_json_fail(m->doc, e, path, m->err, "expected an object with a \"name\", found %s",
                        gp_json_describe(e, d, sizeof d));
  }
  cJSON *old = find_named(list, name->valuestring);
  cJSON *rm = cJSON_GetObjectItemCaseSensitive(e, "remove");
  cJSON *after = NULL, *before = NULL;
  int rc = 0;
  if (rm && !cJSON_IsTrue(rm))
    rc = gp_json_fail(m->doc, rm, gp_json_path_key(p, sizeof p, path, "remove"), m->err,
                      "expected true, found %s", gp_json_describe(rm, d, sizeof d));
  else if (rm && !old)
    rc = gp_json_fail(m->doc, name, gp_json_path_key(p, sizeof p, path, "name"), m->err,
                      "expected the name of an element of the base's list to remove, found %s",
                      gp_json_describe(name, d, sizeof d));
  else if (place(m, list, e, "after", path, &after) || place(m, list, e, "before", path, &before))
    rc = -1;
  else if (after && before)
    rc = gp_json_fail(m->doc, cJSON_GetObjectItemCaseSensitive(e, "before"),
                      gp_json_path_key(p, sizeof p, path, "before"), m->err,
                      "expected one of \"after\" and \"before\", found both");
  if (rc || rm) {
    if (!rc) spare(m, list, old);
    cJSON_AddItemToArray(m->spare, e);
    return rc;
  }
  /* The merge's own keys never reach the result. */
  static const char *const own[] = {"after", "before"};
  for (size_t i = 0; i < 2; i++) {
    cJSON *k = cJSON_GetObjectItemCaseSensitive(e, own[i]);
    if (k) spare(m, e, k);
  }
  cJSON *at = after ? after->next : before;
  if (old) {
    rc = merge_object(m, old, e, fmt, path);
    cJSON_AddItemToArray(m->spare, e); /* what is left of it */
    if (!rc && (after || before) && at != old) {
      cJSON_DetachItemViaPointer(list, old);
      insert_before(list, at, old);
    }
    return rc;
  }
  insert_before(list, at, e);
  return clean(m, e, fmt, path);
}

/* Merge the elements of PATCH (a named list at PATH) onto LIST, element by
 * element; LIST may be PATCH itself (a list that is new: its elements
 * merged onto it emptied). */
static int merge_named(merger *m, cJSON *list, cJSON *patch, const gp_format_object *fmt,
                       const char *path) {
  size_t n = 0;
  for (cJSON *e = patch->child; e; e = e->next) n++;
  if (n == 0) return 0;
  cJSON **elems = malloc(n * sizeof *elems);
  if (!elems) return GP_ERR_NOMEM(m->err);
  n = 0;
  while (patch->child) {
    cJSON *e = patch->child;
    cJSON_DetachItemViaPointer(patch, e);
    elems[n++] = e;
  }
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    if (rc) { /* after a failure, the rest only needs keeping */
      cJSON_AddItemToArray(m->spare, elems[i]);
      continue;
    }
    char p[GP_JSON_PATHMAX];
    rc = merge_element(m, list, elems[i], fmt, gp_json_path_index(p, sizeof p, path, (int)i));
  }
  free(elems);
  return rc;
}

/* ---- objects ---- */

/* A value that goes in whole (a replacement, a new element): what RFC 7386
 * makes of it merged onto nothing: its null members dropped, its named
 * lists merged onto an empty list (so their own keys are read too). */
static int clean(merger *m, cJSON *obj, const gp_format_object *fmt, const char *path) {
  if (!cJSON_IsObject(obj)) return 0;
  cJSON *next;
  for (cJSON *c = obj->child; c; c = next) {
    next = c->next;
    const gp_format_key *k = find_key(fmt, c->string);
    char p[GP_JSON_PATHMAX];
    gp_json_path_key(p, sizeof p, path, c->string ? c->string : "");
    int rc = 0;
    if (cJSON_IsNull(c)) spare(m, obj, c);
    else if (cJSON_IsObject(c)) rc = clean(m, c, object_of(k), p);
    else if (cJSON_IsArray(c) && named_of(k)) rc = merge_named(m, c, c, named_of(k), p);
    if (rc) return -1;
  }
  return 0;
}

/* Member C of the patch object PATCH onto the object BASE at PATH. */
static int merge_member(merger *m, cJSON *base, cJSON *patch, cJSON *c, const gp_format_object *fmt,
                        const char *path) {
  const gp_format_key *k = find_key(fmt, c->string);
  cJSON *old = cJSON_GetObjectItemCaseSensitive(base, c->string);
  char p[GP_JSON_PATHMAX];
  gp_json_path_key(p, sizeof p, path, c->string);
  if (cJSON_IsNull(c)) {
    if (old) spare(m, base, old);
    return 0; /* C stays in the patch's tree */
  }
  if (cJSON_IsObject(c) && cJSON_IsObject(old)) return merge_object(m, old, c, object_of(k), p);
  if (cJSON_IsArray(c) && cJSON_IsArray(old) && named_of(k))
    return merge_named(m, old, c, named_of(k), p);
  /* C goes in whole, where OLD was (or at the end). */
  cJSON_DetachItemViaPointer(patch, c);
  insert_before(base, old, c);
  if (old) spare(m, base, old);
  if (cJSON_IsArray(c) && named_of(k)) return merge_named(m, c, c, named_of(k), p);
  return clean(m, c, object_of(k), p);
}

static int merge_object(merger *m, cJSON *base, cJSON *patch, const gp_format_object *fmt,
                        const char *path) {
  cJSON *next;
  for (cJSON *c = patch->child; c; c = next) {
    next = c->next;
    if (!c->string) continue; /* never: an object's members have keys */
    if (merge_member(m, base, patch, c, fmt, path)) return -1;
  }
  return 0;
}

/* ---- chains ---- */

/* The path of "extends" value REL as seen from the file NAME: relative to
 * its directory unless absolute.  malloc'd, or NULL. */
static char *base_path(const char *name, const char *rel) {
  const char *slash = strrchr(name, '/');
  size_t dn = rel[0] == '/' || !slash ? 0 : (size_t)(slash - name) + 1;
  size_t n = strlen(rel);
  char *p = malloc(dn + n + 1);
  if (!p) return NULL;
  memcpy(p, name, dn);
  memcpy(p + dn, rel, n + 1);
  return p;
}

/* The chain of NAMES[0..N) and NEXT, "a -> b -> c", into BUF. */
static const char *chain_text(char *buf, size_t size, const char *const *names, int n,
                              const char *next) {
  size_t at = 0;
  buf[0] = '\0';
  for (int i = 0; i <= n && at + 8 < size; i++) {
    int w = snprintf(buf + at, size - at, "%s%s", i ? " -> " : "", i < n ? names[i] : next);
    if (w < 0 || (size_t)w >= size - at) {
      memcpy(buf + size - 4, "...", 4);
      break;
    }
    at += (size_t)w;
  }
  return buf;
}

/* DOC is file NAMES[DEPTH] of the chain, REAL[DEPTH] its real path. */
static int resolve(gp_json *doc, const char **names, char **real, int depth, gp_err *err) {
  cJSON *root = (cJSON *)gp_json_root(doc);
  cJSON *ext = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "extends") : NULL;
  if (!ext) return 0;
  char d[GP_JSON_DESCMAX], chain[GP_JSON_MSGMAX / 2];
  if (!cJSON_IsString(ext) || !ext->valuestring[0])
    return gp_json_fail(doc, ext, "extends", err, "expected the path of a scenario file, found %s",
                        gp_json_describe(ext, d, sizeof d));
  char *path = base_path(gp_json_name(doc), ext->valuestring);
  if (!path) return GP_ERR_NOMEM(err);
  char *rp = realpath(path, NULL);
  if (!rp) {
    int e = errno;
    gp_json_fail(doc, ext, "extends", err, "expected a scenario file that can be read, found %s (%s: %s)",
                 gp_json_describe(ext, d, sizeof d), path, strerror(e));
    if (e != ENOMEM) err->code = GP_EX_NOINPUT;
    free(path);
    return -1;
  }
  names[depth + 1] = path;
  for (int i = 0; i <= depth; i++)
    if (real[i] && strcmp(real[i], rp) == 0) {
      gp_json_fail(doc, ext, "extends", err, "expected a chain of \"extends\" without a cycle, found %s",
                   chain_text(chain, sizeof chain, names, depth + 1, path));
      free(rp);
      free(path);
      return -1;
    }
  if (depth + 1 >= GP_EXTENDS_MAX_FILES) {
    gp_json_fail(doc, ext, "extends", err, "expected at most %d files in a chain of \"extends\", found more",
                 GP_EXTENDS_MAX_FILES);
    free(rp);
    free(path);
    return -1;
  }
  real[depth + 1] = rp;
  gp_json *base = gp_json_load_file(path, err);
  if (!base && err->code == GP_EX_NOINPUT) { /* opened by realpath, yet not readable */
    char why[sizeof err->msg];
    snprintf(why, sizeof why, "%s", err->msg);
    gp_err_clear(err);
    gp_json_fail(doc, ext, "extends", err, "expected a scenario file that can be read, found %s (%s)",
                 gp_json_describe(ext, d, sizeof d), why);
    err->code = GP_EX_NOINPUT;
  }
  int rc = !base || resolve(base, names, real, depth + 1, err) ||
                   gp_json_expect_object(base, gp_json_root(base), "$", err)
               ? -1
               : 0;
  real[depth + 1] = NULL;
  free(rp);
  if (rc) {
    gp_json_free(base);
    free(path);
    return -1;
  }
  merger m = {doc, cJSON_CreateArray(), err};
  if (!m.spare) {
    gp_json_free(base);
    free(path);
    return GP_ERR_NOMEM(err);
  }
  spare(&m, root, ext);
  rc = merge_object(&m, (cJSON *)gp_json_root(base), root, &gp_format_root, "");
  free(path);
  if (rc) {
    cJSON_Delete(m.spare);
    gp_json_free(base);
    return -1;
  }
  return gp_json_adopt(doc, base, m.spare, err);
}

int gp_extends_resolve(gp_json *doc, int from_file, gp_err *err) {
  const cJSON *root = gp_json_root(doc);
  const cJSON *ext = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "extends") : NULL;
  if (!ext) return 0;
  if (!from_file) {
    char d[GP_JSON_DESCMAX];
    return gp_json_fail(doc, ext, "extends", err,
                        "expected no \"extends\" in a scenario given as text (it has no file to be "
                        "relative to), found %s",
                        gp_json_describe(ext, d, sizeof d));
  }
  const char *names[GP_EXTENDS_MAX_FILES + 1] = {gp_json_name(doc)};
  char *real[GP_EXTENDS_MAX_FILES + 1] = {realpath(gp_json_name(doc), NULL)};
  int rc = resolve(doc, names, real, 0, err);
  free(real[0]);
  return rc;
}
