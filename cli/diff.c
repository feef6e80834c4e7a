/*
 * cli/diff.c - `gpuplan diff`: the differences between two resolved
 * scenarios, as the --set arguments that turn the first into the second.
 *
 * Both files are resolved as `show` resolves them ("extends" merged,
 * checked); the trees are then walked together in the first one's order:
 *   - an object's member in both: compared; only in A: PATH=null (the
 *     merge-patch way to remove it); only in B: PATH=VALUE, after A's;
 *   - arrays of the same length: element by element, PATH[I] (--set
 *     addresses list elements by index); of different lengths: the whole
 *     array, PATH=[...];
 *   - anything else that differs (type or value; 771 and 771.0 are equal):
 *     PATH=VALUE, VALUE as compact JSON (a string quoted), which is what
 *     --set reads back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "models/scenario/scenario.h"

const char gp_cmd_diff_usage[] =
    "usage: gpuplan diff A B\n"
    "\n"
    "Compare two scenarios as `gpuplan show` resolves them and print, one per line in\n"
    "A's document order, the PATH=VALUE settings that make A into B: the form --set\n"
    "takes (VALUE is compact JSON).  A list element is PATH[I] (by index, as --set\n"
    "addresses it); a list whose length differs is printed whole; a key A has and B\n"
    "has not is PATH=null, as an overlay (\"extends\") removes it.\n";

static const struct option options[] = {{NULL, 0, NULL, 0}};

#define PATHMAX 1024

/* Print PATH=VALUE (VALUE: V as compact JSON, or null when V is NULL). */
static int put(const char *path, const cJSON *v) {
  char *text = v ? cJSON_PrintUnformatted(v) : NULL;
  if (v && !text) return -1;
  printf("%s=%s\n", path, text ? text : "null");
  free(text);
  return 0;
}

static int same_scalar(const cJSON *a, const cJSON *b) {
  if ((a->type & 0xFF) != (b->type & 0xFF)) return 0;
  if (cJSON_IsNumber(a)) return a->valuedouble == b->valuedouble;
  if (cJSON_IsString(a)) return strcmp(a->valuestring, b->valuestring) == 0;
  return 1; /* true, false, null */
}

/* Print A -> B at PATH; add the number of lines to *N.  -1 out of memory. */
static int walk(const char *path, const cJSON *a, const cJSON *b, int *n) {
  char p[PATHMAX];
  if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
    for (const cJSON *c = a->child; c; c = c->next) {
      snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", c->string);
      const cJSON *d = cJSON_GetObjectItemCaseSensitive(b, c->string);
      if (!d) {
        (*n)++;
        if (put(p, NULL)) return -1;
      } else if (walk(p, c, d, n))
        return -1;
    }
    for (const cJSON *d = b->child; d; d = d->next)
      if (!cJSON_GetObjectItemCaseSensitive(a, d->string)) {
        snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", d->string);
        (*n)++;
        if (put(p, d)) return -1;
      }
    return 0;
  }
  if (cJSON_IsArray(a) && cJSON_IsArray(b) && cJSON_GetArraySize(a) == cJSON_GetArraySize(b)) {
    int i = 0;
    for (const cJSON *c = a->child, *d = b->child; c && d; c = c->next, d = d->next, i++) {
      snprintf(p, sizeof p, "%s[%d]", path, i);
      if (walk(p, c, d, n)) return -1;
    }
    return 0;
  }
  int containers = (cJSON_IsObject(a) || cJSON_IsArray(a)) && (a->type & 0xFF) == (b->type & 0xFF);
  if (!containers && same_scalar(a, b)) return 0;
  (*n)++;
  return put(path, b);
}

int gp_cmd_diff(int argc, char **argv) {
  if (gp_cli_getopt("diff", argc, argv, "", options) != -1) return GP_EX_USAGE;
  if (argc - optind != 2) return gp_cli_usage_error("diff", "expected two scenario files");
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *a = gp_scenario_load(argv[optind], NULL, &err);
  gp_scenario *b = a ? gp_scenario_load(argv[optind + 1], NULL, &err) : NULL;
  int rc, n = 0;
  if (!b) rc = gp_cli_fail(&err);
  else {
    /* The resolved trees, as `show` prints them. */
    char *ta = gp_scenario_json(a), *tb = gp_scenario_json(b);
    cJSON *ja = ta ? cJSON_Parse(ta) : NULL, *jb = tb ? cJSON_Parse(tb) : NULL;
    if (!ja || !jb || walk("", ja, jb, &n)) {
      GP_ERR_NOMEM(&err);
      rc = gp_cli_fail(&err);
    } else
      rc = n ? 1 : 0;
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    free(ta);
    free(tb);
  }
  gp_scenario_free(a);
  gp_scenario_free(b);
  return rc;
}
