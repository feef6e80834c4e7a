/*
 * models/scenario/overrides.c - command-line changes to a scenario (--set,
 * --reps, --seed, --detail), applied to the JSON tree before validation, so
 * that an overridden value is checked exactly like one written in the file.
 *
 * A changed node has no position in the file: errors about it name the path
 * without FILE:LINE:COL (json.h keeps positions only for parsed nodes).
 */
#include "models/scenario/loader_int.h"

#include <stdlib.h>
#include <string.h>

/* Apply "a.b[2].c=value" to the tree.  VALUE is JSON when it parses as JSON
 * (numbers, true, objects...), otherwise a string. */
static int apply_set(cJSON *root, const char *set, gp_err *err) {
  const char *eq = strchr(set, '=');
  if (!eq || eq == set) return GP_ERR(err, GP_EX_USAGE, "--set %s: expected json.path=value", set);
  char path[GP_LOADER_PATHLEN];
  size_t plen = (size_t)(eq - set);
  if (plen >= sizeof path) return GP_ERR(err, GP_EX_USAGE, "--set: path too long");
  memcpy(path, set, plen);
  path[plen] = '\0';
  cJSON *val = cJSON_Parse(eq + 1);
  if (!val) val = cJSON_CreateString(eq + 1);
  if (!val) return GP_ERR_NOMEM(err);
  cJSON *cur = root;
  char *p = path;
  while (*p) {
    char key[GP_LOADER_PATHLEN];
    long index = -1;
    size_t k = 0;
    if (*p == '[') {
      char *end;
      index = strtol(p + 1, &end, 10);
      if (end == p + 1 || *end != ']' || index < 0) goto bad;
      p = end + 1;
    } else {
      while (*p && *p != '.' && *p != '[') key[k++] = *p++;
      key[k] = '\0';
      if (k == 0) goto bad;
    }
    int last = (*p == '\0');
    if (*p == '.') p++;
    if (index >= 0) {
      if (!cJSON_IsArray(cur) || index >= cJSON_GetArraySize(cur)) goto missing;
      if (last) {
        cJSON_ReplaceItemInArray(cur, (int)index, val);
        return 0;
      }
      cur = cJSON_GetArrayItem(cur, (int)index);
    } else {
      if (!cJSON_IsObject(cur)) goto missing;
      cJSON *next = cJSON_GetObjectItemCaseSensitive(cur, key);
      if (last) {
        if (next)
          cJSON_ReplaceItemInObjectCaseSensitive(cur, key, val);
        else
          cJSON_AddItemToObject(cur, key, val);
        return 0;
      }
      if (!next) goto missing;
      cur = next;
    }
  }
bad:
  cJSON_Delete(val);
  return GP_ERR(err, GP_EX_USAGE, "--set %s: expected a path like roadmap.tranches[0].nodes", set);
missing:
  cJSON_Delete(val);
  return GP_ERR(err, GP_EX_USAGE, "--set %s: the scenario has nothing at that path to change", set);
}

int gp_overrides_apply(gp_json *doc, const gp_overrides *ov, gp_err *err) {
  cJSON *root = (cJSON *)gp_json_root(doc);
  if (!cJSON_IsObject(root)) return 0; /* validation will say so */
  for (int i = 0; i < ov->nsets; i++)
    if (apply_set(root, ov->sets[i], err)) return -1;
  struct {
    const char *key;
    long long v;
  } nums[] = {{"replications", ov->reps}, {"seed", ov->seed}};
  for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
    if (nums[i].v < 0) continue;
    cJSON *num = cJSON_CreateNumber((double)nums[i].v);
    if (!num) return GP_ERR_NOMEM(err);
    if (cJSON_GetObjectItemCaseSensitive(root, nums[i].key))
      cJSON_ReplaceItemInObjectCaseSensitive(root, nums[i].key, num);
    else
      cJSON_AddItemToObject(root, nums[i].key, num);
  }
  if (ov->detail >= -1) {
    cJSON *out = cJSON_GetObjectItemCaseSensitive(root, "output");
    if (!out) out = cJSON_AddObjectToObject(root, "output");
    if (!out) return GP_ERR_NOMEM(err);
    if (cJSON_IsObject(out)) {
      cJSON *num = cJSON_CreateNumber((double)ov->detail);
      if (!num) return GP_ERR_NOMEM(err);
      if (cJSON_GetObjectItemCaseSensitive(out, "detail_replications"))
        cJSON_ReplaceItemInObjectCaseSensitive(out, "detail_replications", num);
      else
        cJSON_AddItemToObject(out, "detail_replications", num);
    }
  }
  return 0;
}
