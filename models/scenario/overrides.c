/*
 * models/scenario/overrides.c - command-line changes to a scenario (--set,
 * --reps, --seed, --detail, a sweep point's values), applied to the JSON
 * tree before validation, so that an overridden value is checked exactly
 * like one written in the file.
 *
 * A --set VALUE is JSON when the whole of it is JSON (5, true, "x",
 * {"a": 1}), otherwise the text as a string: 2026-03-01 is a date, 0,6 and
 * 52,000 are strings the loader then refuses where a number is expected
 * (issue 16, item 2: the longest JSON prefix was taken, so 0,6 read as 0,
 * 52,000 as 52 and 12abc as 12).  Every node put in is marked with the
 * argument it came from (gp_json_mark), so an error about it reads
 * "FILE: --set PATH=VALUE: json.path: expected ..., found ...".
 */
#include "models/scenario/json_int.h"
#include "models/scenario/loader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of the override LABEL ("--set PATH=VALUE"), whose VALUE is
 * TEXT: the JSON it is when all of it is JSON, else the string.  NULL with
 * ERR set when it is JSON the loader would refuse in a file (a duplicate
 * key, a number that overflows) or a string that is not UTF-8. */
static cJSON *set_value(const char *label, const char *text, gp_err *err) {
  size_t len = strlen(text);
  gp_json_scan sc = {.rec = NULL};
  int json = gp_json_scan_text(text, len, &sc) == 0, nomem = sc.failed == GP_EX_OSERR;
  free(sc.rec);
  if (nomem) {
    GP_ERR_NOMEM(err);
    return NULL;
  }
  if (json) {
    gp_json *doc = gp_json_parse(label, text, len, err);
    cJSON *v = doc ? gp_json_detach(doc) : NULL;
    gp_json_free(doc);
    return v;
  }
  for (size_t i = 0; i < len;) {
    size_t k = gp_json_scan_utf8((const unsigned char *)text + i, len - i);
    if (k == 0) {
      GP_ERR(err, GP_EX_DATAERR, "%s: expected a value of valid UTF-8, found byte 0x%02X", label,
             (unsigned char)text[i]);
      return NULL;
    }
    i += k;
  }
  cJSON *v = cJSON_CreateString(text);
  if (!v) GP_ERR_NOMEM(err);
  return v;
}

/* Put VAL at KEY of object OBJ (replacing what is there) or at INDEX of
 * array OBJ, and mark it with LABEL.  Takes VAL. */
static int put(gp_json *doc, cJSON *obj, const char *key, long index, cJSON *val,
               const char *label, gp_err *err) {
  if (index >= 0)
    cJSON_ReplaceItemInArray(obj, (int)index, val);
  else if (cJSON_GetObjectItemCaseSensitive(obj, key))
    cJSON_ReplaceItemInObjectCaseSensitive(obj, key, val);
  else
    cJSON_AddItemToObject(obj, key, val);
  /* Marked once in the tree: its key (an object's member) is set. */
  return gp_json_mark(doc, val, label, err);
}

int gp_overrides_walk(cJSON *root, const char *path, cJSON **parent, char *key, long *index) {
  cJSON *cur = root;
  const char *p = path;
  if (!*p) return 1;
  while (*p) {
    size_t k = 0;
    *index = -1;
    if (*p == '[') {
      char *end;
      *index = strtol(p + 1, &end, 10);
      if (end == p + 1 || *end != ']' || *index < 0) {
        /* [NAME]: the element whose "name" is NAME, wherever it stands. */
        const char *close = strchr(p + 1, ']');
        size_t n = close ? (size_t)(close - p - 1) : 0;
        if (n == 0) return 1;
        if (!cJSON_IsArray(cur)) return 2;
        *index = -1;
        long i = 0;
        for (const cJSON *e = cur->child; e && *index < 0; e = e->next, i++) {
          const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
          if (cJSON_IsString(name) && strlen(name->valuestring) == n &&
              memcmp(name->valuestring, p + 1, n) == 0)
            *index = i;
        }
        if (*index < 0) return 2;
        end = (char *)close;
      }
      p = end + 1;
    } else {
      while (*p && *p != '.' && *p != '[' && k < GP_LOADER_PATHLEN - 1) key[k++] = *p++;
      key[k] = '\0';
      if (k == 0 || (*p && *p != '.' && *p != '[')) return 1;
    }
    int last = (*p == '\0');
    if (*p == '.') p++;
    if (*index >= 0) {
      if (!cJSON_IsArray(cur) || *index >= cJSON_GetArraySize(cur)) return 2;
      if (last) break;
      cur = cJSON_GetArrayItem(cur, (int)*index);
    } else {
      if (!cJSON_IsObject(cur)) return 2;
      if (last) break;
      cJSON *next = cJSON_GetObjectItemCaseSensitive(cur, key);
      if (!next) return 2;
      cur = next;
    }
  }
  *parent = cur;
  return 0;
}

/* Apply "a.b[2].c=value" (SET; LABEL names it in messages) to DOC's tree. */
static int apply_set(gp_json *doc, const char *set, const char *label, gp_err *err) {
  cJSON *root = (cJSON *)gp_json_root(doc);
  const char *eq = strchr(set, '=');
  if (!eq || eq == set) return GP_ERR(err, GP_EX_USAGE, "%s: expected json.path=value", label);
  char path[GP_LOADER_PATHLEN], key[GP_LOADER_PATHLEN];
  size_t plen = (size_t)(eq - set);
  if (plen >= sizeof path)
    return GP_ERR(err, GP_EX_USAGE, "%.*s...: expected a path of at most %zu bytes", 40, label,
                  sizeof path - 1);
  memcpy(path, set, plen);
  path[plen] = '\0';
  cJSON *val = set_value(label, eq + 1, err);
  if (!val) return -1;
  cJSON *parent;
  long index;
  int where = gp_overrides_walk(root, path, &parent, key, &index);
  if (where) {
    cJSON_Delete(val);
    return where == 1
               ? GP_ERR(err, GP_EX_USAGE, "%s: expected a path like roadmap.tranches[0].nodes", label)
               : GP_ERR(err, GP_EX_USAGE, "%s: the scenario has nothing at that path to change",
                        label);
  }
  return put(doc, parent, index >= 0 ? NULL : key, index, val, label, err);
}

/* ROOT[KEY] = V (a number), marked with LABEL. */
static int put_number(gp_json *doc, cJSON *obj, const char *key, double v, const char *label,
                      gp_err *err) {
  cJSON *num = cJSON_CreateNumber(v);
  if (!num) return GP_ERR_NOMEM(err);
  return put(doc, obj, key, -1, num, label, err);
}

int gp_overrides_apply(gp_json *doc, const gp_overrides *ov, gp_err *err) {
  cJSON *root = (cJSON *)gp_json_root(doc);
  if (!cJSON_IsObject(root)) return 0; /* validation will say so */
  for (int i = 0; i < ov->nsets; i++) {
    /* "--set PATH=VALUE", or "sweep PATH=VALUE" for a sweep point's own. */
    const char *what = i >= ov->nsets - ov->nswept ? "sweep" : "--set";
    size_t n = strlen(what) + strlen(ov->sets[i]) + 2;
    char *label = malloc(n);
    if (!label) return GP_ERR_NOMEM(err);
    snprintf(label, n, "%s %s", what, ov->sets[i]);
    int rc = apply_set(doc, ov->sets[i], label, err);
    free(label);
    if (rc) return -1;
  }
  char label[64];
  if (ov->reps >= 0) {
    snprintf(label, sizeof label, "--reps %lld", ov->reps);
    if (put_number(doc, root, "replications", (double)ov->reps, label, err)) return -1;
  }
  if (ov->seed >= 0) {
    snprintf(label, sizeof label, "--seed %lld", ov->seed);
    if (put_number(doc, root, "seed", (double)ov->seed, label, err)) return -1;
  }
  if (ov->detail >= -1) {
    cJSON *out = cJSON_GetObjectItemCaseSensitive(root, "output");
    if (!out) out = cJSON_AddObjectToObject(root, "output");
    if (!out) return GP_ERR_NOMEM(err);
    snprintf(label, sizeof label, "--detail %lld", ov->detail);
    if (cJSON_IsObject(out) &&
        put_number(doc, out, "detail_replications", (double)ov->detail, label, err))
      return -1;
  }
  return 0;
}
