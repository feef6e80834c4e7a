/*
 * tests/unit/test_format.c - the scenario format's descriptions agree: the
 * catalogue the loader checks keys against (models/scenario/format.c), the
 * JSON Schema (scenarios/schema.json), the documentation (scenarios/README.md),
 * the rule registry (models/rules/registry.h), the sectors (models/vocab/vocab.h)
 * and the random quantities (models/scenario/dist.c).
 *
 *  - schema: every object of the catalogue, walked from the root, is an object
 *    of the schema with exactly its keys, `additionalProperties: false`, the
 *    keys the loader requires as `required`, and each key's type (a date, a
 *    random quantity, an enum equal to its C table, ...);
 *  - README: every key is named in backticks in its object's section, every
 *    rule and rule parameter in the policies' section, every distribution and
 *    its parameters in "Random quantities";
 *  - loader: on a scenario holding every object, leaving out a required key
 *    is refused with "expected key", leaving out an optional one is not, and a
 *    value of the wrong type under any key is refused (the loader reads every
 *    key the catalogue lists); no file of the loader keeps a key list of its own.
 *
 * Each check prints every disagreement it finds, one line each, then fails.
 * Run from the top of the repository (tests/run.sh does).
 */
#include <dirent.h>
#include <stdarg.h>

#include "models/rules/registry.h"
#include "models/scenario/dist.h"
#include "models/scenario/format.h"
#include "models/scenario/scenario.h"
#include "models/vocab/vocab.h"
#include "tests/test.h"

#define SCHEMA "scenarios/schema.json"
#define README "scenarios/README.md"
#define PATHMAX 256
#define MAXNAMES 64

static int problems;

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void problem(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("  ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  problems++;
}

/* The whole file PATH, NUL-terminated and malloc'd; NULL if unreadable. */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  for (size_t got; buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0;) {
    len += got;
    if (len + 1 == cap) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb) free(buf);
      buf = nb;
    }
  }
  fclose(f);
  if (buf) buf[len] = '\0';
  return buf;
}

static const char *join(char *buf, const char *path, const char *key) {
  snprintf(buf, PATHMAX, "%s%s%s", path, path[0] ? "." : "", key);
  return buf;
}

/* The description of F's key K: a SHARED key's is in its group. */
static const gp_format_key *resolved(const gp_format_object *f, const gp_format_key *k) {
  const gp_format_key *r = gp_format_find(f, k->name);
  return r ? r : k;
}

/* ---- name lists ---- */

typedef struct names {
  const char *v[MAXNAMES];
  int n;
} names;

static void add(names *s, const char *name) {
  if (s->n < MAXNAMES) s->v[s->n++] = name;
}

static int has(const names *s, const char *name) {
  for (int i = 0; i < s->n; i++)
    if (strcmp(s->v[i], name) == 0) return 1;
  return 0;
}

/* The strings of the JSON array A (others are problems). */
static names json_names(const cJSON *a, const char *what) {
  names s = {{NULL}, 0};
  const cJSON *it;
  cJSON_ArrayForEach(it, a) {
    if (cJSON_IsString(it))
      add(&s, it->valuestring);
    else
      problem("%s: a value that is not a string", what);
  }
  return s;
}

/* WANT (the C side) and GOT (the document) hold the same names. */
static void same_names(const char *what, const names *want, const char *want_src, const names *got,
                       const char *got_src) {
  for (int i = 0; i < want->n; i++)
    if (!has(got, want->v[i]))
      problem("%s: \"%s\" is in %s but not in %s", what, want->v[i], want_src, got_src);
  for (int i = 0; i < got->n; i++)
    if (!has(want, got->v[i]))
      problem("%s: \"%s\" is in %s but not in %s", what, got->v[i], got_src, want_src);
}

static names c_names(const char *const *list, int n) { /* n < 0: NULL-terminated */
  names s = {{NULL}, 0};
  for (int i = 0; n < 0 ? list[i] != NULL : i < n; i++) add(&s, list[i]);
  return s;
}

static names selection_names(void) {
  names s = {{NULL}, 0};
  for (int i = 0; gp_selection_types[i]; i++) add(&s, gp_selection_types[i]->name);
  return s;
}

static names scheduling_names(void) {
  names s = {{NULL}, 0};
  for (int i = 0; gp_scheduling_types[i]; i++) add(&s, gp_scheduling_types[i]->name);
  return s;
}

/* ---- the catalogue on its own ---- */

static void test_catalogue(void) {
  problems = 0;
  /* The sector objects list the sectors of vocab.h, in its order, then note. */
  const gp_format_object *sectored[] = {&gp_format_sector_mix, &gp_format_self_pay};
  for (int i = 0; i < 2; i++) {
    const gp_format_key *k = sectored[i]->keys;
    for (int s = 0; s < GP_NSECTORS; s++, k++)
      if (!k->name || strcmp(k->name, gp_sector_names[s]) != 0)
        problem("format.c: %s keys: expected sector \"%s\" at %d, found \"%s\"", sectored[i]->doc,
                gp_sector_names[s], s, k->name ? k->name : "(end)");
      else if (k->kind != GP_FORMAT_NUMBER)
        problem("format.c: sector key \"%s\" is not a number", k->name);
    if (!k->name || strcmp(k->name, "note") != 0 || k[1].name)
      problem("format.c: %s: expected the sectors and \"note\", nothing else", sectored[i]->doc);
  }
  /* Every SHARED key is described in its group. */
  const gp_format_object *sources[] = {&gp_format_call, &gp_format_stream};
  for (int i = 0; i < 2; i++)
    for (const gp_format_key *k = sources[i]->keys; k->name; k++)
      if (k->kind == GP_FORMAT_SHARED && (!k->of || !gp_format_find(k->of, k->name) ||
                                          gp_format_find(k->of, k->name)->kind == GP_FORMAT_SHARED))
        problem("format.c: %s: shared key \"%s\" is not described in its group", sources[i]->doc,
                k->name);
  /* Each applicant key is shared by both kinds of source. */
  for (const gp_format_key *k = gp_format_applicants.keys; k->name; k++)
    for (int i = 0; i < 2; i++) {
      const gp_format_key *own = NULL;
      for (const gp_format_key *c = sources[i]->keys; c->name && !own; c++)
        if (strcmp(c->name, k->name) == 0) own = c;
      if (!own || own->kind != GP_FORMAT_SHARED)
        problem("format.c: %s does not take the applicant key \"%s\"", sources[i]->doc, k->name);
    }
  ASSERT_EQ(problems, 0);
}

/* No file of the loader keeps a key list of its own: unknown keys are
 * checked against the catalogue (dist.c checks a random quantity's keys
 * against its own tables, which test_random_quantities reads). */
static void test_one_key_list(void) {
  problems = 0;
  DIR *d = opendir("models/scenario");
  ASSERT(d);
  int files = 0;
  for (struct dirent *e; (e = readdir(d));) {
    size_t n = strlen(e->d_name);
    if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0) continue;
    files++;
    if (strcmp(e->d_name, "format.c") == 0 || strcmp(e->d_name, "dist.c") == 0 ||
        strcmp(e->d_name, "json_read.c") == 0) /* where it is defined */
      continue;
    char path[PATHMAX];
    snprintf(path, sizeof path, "models/scenario/%s", e->d_name);
    char *text = slurp(path);
    if (!text)
      problem("%s: cannot read", path);
    else if (strstr(text, "gp_json_check_keys("))
      problem("%s: calls gp_json_check_keys with a key list of its own; use gp_format_check", path);
    free(text);
  }
  closedir(d);
  ASSERT_GT(files, 5);
  ASSERT_EQ(problems, 0);
}

/* ---- the catalogue against scenarios/schema.json ---- */

static cJSON *schema;

/* NODE with every "$ref": "#/$defs/NAME" followed. */
static const cJSON *resolve(const cJSON *node) {
  for (int hops = 0; hops < 8 && node; hops++) {
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(node, "$ref");
    if (!cJSON_IsString(ref)) return node;
    const char *prefix = "#/$defs/";
    const cJSON *target = NULL;
    if (strncmp(ref->valuestring, prefix, strlen(prefix)) == 0)
      target = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(schema, "$defs"),
                                                ref->valuestring + strlen(prefix));
    if (!target) {
      problem("schema.json: unresolved $ref \"%s\"", ref->valuestring);
      return NULL;
    }
    node = target;
  }
  return node;
}

static const char *str_member(const cJSON *node, const char *key) {
  const cJSON *v = node ? cJSON_GetObjectItemCaseSensitive(node, key) : NULL;
  return cJSON_IsString(v) ? v->valuestring : "";
}

static void expect_type(const cJSON *prop, const char *type, const char *path) {
  const char *got = str_member(resolve(prop), "type");
  if (strcmp(got, type) != 0)
    problem("schema.json: %s: expected type \"%s\", found \"%s\"", path, type, got);
}

static void expect_ref(const cJSON *prop, const char *def, const char *path) {
  char want[64];
  snprintf(want, sizeof want, "#/$defs/%s", def);
  if (strcmp(str_member(prop, "$ref"), want) != 0)
    problem("schema.json: %s: expected {\"$ref\": \"%s\"}, found \"%s\"", path, want,
            str_member(prop, "$ref"));
}

static void expect_enum(const cJSON *prop, const names *want, const char *want_src,
                        const char *path) {
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(resolve(prop), "enum");
  char what[PATHMAX + 16];
  snprintf(what, sizeof what, "%s (enum)", path);
  if (!cJSON_IsArray(e)) {
    problem("schema.json: %s: expected an \"enum\" of %s", path, want_src);
    return;
  }
  names got = json_names(e, what);
  same_names(what, want, want_src, &got, "schema.json");
}

static void check_object(const gp_format_object *f, const cJSON *node, const char *path);

static void check_key(const gp_format_key *k, const cJSON *prop, const char *path) {
  char sub[PATHMAX + 8];
  const cJSON *r = resolve(prop);
  if (!r) return;
  switch (k->kind) {
  case GP_FORMAT_STRING:
  case GP_FORMAT_NOTE:
    expect_type(prop, "string", path);
    break;
  case GP_FORMAT_NUMBER:
    expect_type(prop, "number", path);
    break;
  case GP_FORMAT_INTEGER:
    expect_type(prop, "integer", path);
    break;
  case GP_FORMAT_BOOL:
    expect_type(prop, "boolean", path);
    break;
  case GP_FORMAT_DATE:
    expect_ref(prop, "date", path);
    break;
  case GP_FORMAT_RANDOM:
    expect_ref(prop, "random", path);
    break;
  case GP_FORMAT_ENUM: {
    names want = c_names(k->choices, -1);
    expect_enum(prop, &want, "format.c", path);
    break;
  }
  case GP_FORMAT_SECTOR: {
    names want = c_names(gp_sector_names, GP_NSECTORS);
    expect_enum(prop, &want, "gp_sector_names (vocab.h)", path);
    break;
  }
  case GP_FORMAT_SELECTION: {
    names want = selection_names();
    expect_enum(prop, &want, "gp_selection_types[] (the registry)", path);
    break;
  }
  case GP_FORMAT_SCHEDULING: {
    names want = scheduling_names();
    expect_enum(prop, &want, "gp_scheduling_types[] (the registry)", path);
    break;
  }
  case GP_FORMAT_OBJECT:
    check_object(k->of, prop, path);
    break;
  case GP_FORMAT_LIST:
    expect_type(prop, "array", path);
    snprintf(sub, sizeof sub, "%s[]", path);
    check_object(k->of, cJSON_GetObjectItemCaseSensitive(r, "items"), sub);
    break;
  case GP_FORMAT_MAP: {
    expect_type(prop, "object", path);
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r, "additionalProperties")))
      problem("schema.json: %s: expected \"additionalProperties\" to describe the values", path);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "properties"), *p;
    int n = 0;
    cJSON_ArrayForEach(p, props) {
      n++;
      if (strcmp(p->string, "note") != 0)
        problem("schema.json: %s: expected only \"note\" among its properties, found \"%s\"", path,
                p->string);
    }
    if (n == 0) problem("schema.json: %s: expected \"note\" among its properties", path);
    break;
  }
  case GP_FORMAT_DATES:
    expect_type(prop, "array", path);
    expect_ref(cJSON_GetObjectItemCaseSensitive(r, "items"), "date", path);
    break;
  case GP_FORMAT_STRINGS:
    expect_type(prop, "array", path);
    expect_type(cJSON_GetObjectItemCaseSensitive(r, "items"), "string", path);
    break;
  case GP_FORMAT_VALUES: {
    expect_type(prop, "array", path);
    const cJSON *types =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "items"), "type");
    static const char *const values[] = {"number", "string", "boolean", "object", "array"};
    names want = c_names(values, 5), got = json_names(types, path);
    if (!cJSON_IsArray(types))
      problem("schema.json: %s: expected items of types number, string, boolean, object, array",
              path);
    else
      same_names(path, &want, "the loader", &got, "schema.json");
    break;
  }
  case GP_FORMAT_SHARED:
    problem("%s: a shared key not resolved", path);
    break;
  }
}

/* The applicant keys' group G against the schema M that calls and streams mix in. */
static void check_group(const gp_format_object *g, const cJSON *m, const char *path) {
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(m, "properties"), *p;
  names want = {{NULL}, 0}, got = {{NULL}, 0}, req_want = {{NULL}, 0};
  for (const gp_format_key *k = g->keys; k->name; k++) {
    add(&want, k->name);
    if (k->flags & GP_FORMAT_REQUIRED) add(&req_want, k->name);
  }
  cJSON_ArrayForEach(p, props) add(&got, p->string);
  char what[PATHMAX + 32];
  snprintf(what, sizeof what, "%s (keys of %s)", path, g->doc);
  same_names(what, &want, "format.c", &got, "schema.json");
  names req_got = json_names(cJSON_GetObjectItemCaseSensitive(m, "required"), what);
  snprintf(what, sizeof what, "%s (required keys of %s)", path, g->doc);
  same_names(what, &req_want, "format.c", &req_got, "schema.json");
}

static void check_object(const gp_format_object *f, const cJSON *node, const char *path) {
  const char *where = path[0] ? path : "$";
  const cJSON *o = resolve(node);
  if (!o) return;
  if (strcmp(str_member(o, "type"), "object") != 0)
    problem("schema.json: %s: expected \"type\": \"object\"", where);
  if (!cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "additionalProperties")))
    problem("schema.json: %s: expected \"additionalProperties\": false (unknown keys are errors)",
            where);
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(o, "properties"), *p;
  if (!cJSON_IsObject(props)) {
    problem("schema.json: %s: expected \"properties\"", where);
    return;
  }
  /* Schemas mixed in with "allOf": [{"$ref": ...}] (the applicant keys). */
  const cJSON *mix[4];
  int nmix = 0;
  const cJSON *all = cJSON_GetObjectItemCaseSensitive(o, "allOf");
  cJSON_ArrayForEach(p, all) if (cJSON_GetObjectItemCaseSensitive(p, "$ref") && nmix < 4)
      mix[nmix++] = resolve(p);
  const gp_format_object *group = NULL;
  for (const gp_format_key *k = f->keys; k->name; k++)
    if (k->kind == GP_FORMAT_SHARED) group = k->of;
  if (group) {
    if (nmix != 1 || !mix[0])
      problem("schema.json: %s: expected \"allOf\": [{\"$ref\"}] to %s", where, group->doc);
    else
      check_group(group, mix[0], where);
  }

  names want = {{NULL}, 0}, got = {{NULL}, 0}, req_want = {{NULL}, 0}, req_got = {{NULL}, 0};
  for (const gp_format_key *k = f->keys; k->name; k++) {
    add(&want, k->name);
    if (resolved(f, k)->flags & GP_FORMAT_REQUIRED) add(&req_want, k->name);
  }
  cJSON_ArrayForEach(p, props) add(&got, p->string);
  char what[PATHMAX + 32];
  snprintf(what, sizeof what, "%s (keys)", where);
  same_names(what, &want, "format.c", &got, "schema.json");
  snprintf(what, sizeof what, "%s (required keys)", where);
  req_got = json_names(cJSON_GetObjectItemCaseSensitive(o, "required"), what);
  for (int i = 0; i < nmix; i++) {
    names more = json_names(cJSON_GetObjectItemCaseSensitive(mix[i], "required"), what);
    for (int j = 0; j < more.n; j++)
      if (!has(&req_got, more.v[j])) add(&req_got, more.v[j]);
  }
  same_names(what, &req_want, "format.c", &req_got, "schema.json");

  for (const gp_format_key *k = f->keys; k->name; k++) {
    char sub[PATHMAX];
    const cJSON *prop = cJSON_GetObjectItemCaseSensitive(props, k->name);
    for (int i = 0; i < nmix && cJSON_IsTrue(prop); i++)
      prop = cJSON_GetObjectItemCaseSensitive(
          cJSON_GetObjectItemCaseSensitive(mix[i], "properties"), k->name);
    if (prop && !cJSON_IsTrue(prop)) check_key(resolved(f, k), prop, join(sub, path, k->name));
  }
}

static void test_schema(void) {
  problems = 0;
  char *text = slurp(SCHEMA);
  ASSERT(text);
  schema = cJSON_Parse(text);
  free(text);
  ASSERT(schema);
  check_object(&gp_format_root, schema, "");
  cJSON_Delete(schema);
  schema = NULL;
  ASSERT_EQ(problems, 0);
}

/* $defs/random: a number, or one object per kind of dist.c with its keys. */
static void test_random_quantities(void) {
  problems = 0;
  char *text = slurp(SCHEMA);
  ASSERT(text);
  schema = cJSON_Parse(text);
  free(text);
  ASSERT(schema);
  const cJSON *r =
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(schema, "$defs"), "random");
  const cJSON *alt;
  names kinds = {{NULL}, 0};
  int plain = 0;
  cJSON_ArrayForEach(alt, cJSON_GetObjectItemCaseSensitive(r, "oneOf")) {
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(alt, "properties");
    const char *kind = str_member(cJSON_GetObjectItemCaseSensitive(props, "dist"), "const");
    if (!props) {
      plain += strcmp(str_member(alt, "type"), "number") == 0;
      continue;
    }
    add(&kinds, kind);
    int k = 0;
    while (gp_dist_kind_names[k] && strcmp(gp_dist_kind_names[k], kind) != 0) k++;
    if (!gp_dist_kind_names[k]) continue; /* reported below */
    names want = c_names(gp_dist_common_keys, -1), got = {{NULL}, 0};
    names req_want = {{NULL}, 0};
    add(&req_want, "dist");
    for (const char *const *q = gp_dist_kind_params((gp_dist_kind)k); *q; q++) {
      add(&want, *q);
      add(&req_want, *q);
    }
    const cJSON *p;
    cJSON_ArrayForEach(p, props) add(&got, p->string);
    char what[96];
    snprintf(what, sizeof what, "$defs/random, dist \"%s\" (keys)", kind);
    same_names(what, &want, "dist.c", &got, "schema.json");
    snprintf(what, sizeof what, "$defs/random, dist \"%s\" (required keys)", kind);
    names req_got = json_names(cJSON_GetObjectItemCaseSensitive(alt, "required"), what);
    same_names(what, &req_want, "dist.c", &req_got, "schema.json");
    if (!cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(alt, "additionalProperties")))
      problem("schema.json: %s: expected \"additionalProperties\": false", what);
  }
  names want = c_names(gp_dist_kind_names, -1);
  same_names("$defs/random (dist names)", &want, "gp_dist_kind_names (dist.c)", &kinds,
             "schema.json");
  if (plain != 1)
    problem("schema.json: $defs/random: expected one alternative {\"type\": \"number\"}");
  cJSON_Delete(schema);
  schema = NULL;
  ASSERT_EQ(problems, 0);
}

/* ---- the catalogue against scenarios/README.md ---- */

typedef struct section {
  const char *heading; /* the heading line, without the #s */
  size_t hlen;
  const char *body; /* up to the next heading */
  size_t blen;
} section;

static section sections[256];
static int nsections;
static char *readme;

static void split_readme(void) {
  nsections = 0;
  int fence = 0;
  for (char *line = readme; *line;) {
    char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    if (strncmp(line, "```", 3) == 0) fence = !fence;
    if (!fence && line[0] == '#' && nsections < 256) {
      section *s = &sections[nsections++];
      const char *h = line;
      while (*h == '#') h++;
      s->heading = h;
      s->hlen = len - (size_t)(h - line);
      s->body = end ? end + 1 : line + len;
      s->blen = 0;
    } else if (nsections > 0) {
      sections[nsections - 1].blen =
          (size_t)((end ? end + 1 : line + len) - sections[nsections - 1].body);
    }
    line = end ? end + 1 : line + len;
  }
}

static int contains(const char *text, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(text + i, needle, n) == 0) return 1;
  return 0;
}

/* The section whose heading holds DOC (exactly one). */
static const section *section_of(const char *doc) {
  const section *found = NULL;
  int n = 0;
  for (int i = 0; i < nsections; i++)
    if (contains(sections[i].heading, sections[i].hlen, doc)) {
      found = &sections[i];
      n++;
    }
  if (n != 1) problem("README.md: expected one heading with %s, found %d", doc, n);
  return n == 1 ? found : NULL;
}

/* NAME in backticks: `name`, `name[]` or `"name"`. */
static int documents(const section *s, const char *name) {
  char a[PATHMAX], b[PATHMAX], c[PATHMAX];
  snprintf(a, sizeof a, "`%s`", name);
  snprintf(b, sizeof b, "`%s[]`", name);
  snprintf(c, sizeof c, "`\"%s\"`", name);
  return s && (contains(s->body, s->blen, a) || contains(s->body, s->blen, b) ||
               contains(s->body, s->blen, c));
}

static void readme_object(const gp_format_object *f, const char *path) {
  for (const gp_format_key *k = f->keys; k->name; k++) {
    const gp_format_key *r = resolved(f, k);
    const gp_format_object *home = k->kind == GP_FORMAT_SHARED ? k->of : f;
    char sub[PATHMAX];
    join(sub, path, k->name);
    if (r->kind == GP_FORMAT_NOTE) continue; /* one rule for every object: test_readme */
    const section *s = section_of(home->doc);
    if (s && !documents(s, k->name))
      problem("README.md: section \"%.*s\": key %s is not documented (`%s`)", (int)s->hlen,
              s->heading, sub, k->name);
    if (r->kind == GP_FORMAT_OBJECT || r->kind == GP_FORMAT_LIST) {
      if (r->kind == GP_FORMAT_LIST) strncat(sub, "[]", sizeof sub - strlen(sub) - 1);
      readme_object(r->of, sub);
    }
  }
}

static void readme_params(const section *s, const char *rule, const gp_param *params) {
  for (const gp_param *q = params; q && q->name; q++)
    if (!documents(s, q->name))
      problem("README.md: parameter `%s` of rule \"%s\" is not documented", q->name, rule);
}

static void test_readme(void) {
  problems = 0;
  readme = slurp(README);
  ASSERT(readme);
  split_readme();
  readme_object(&gp_format_root, "");
  /* "note": one rule says every object may carry one. */
  const section *rules = section_of("Rules that hold everywhere");
  if (rules && !documents(rules, "note"))
    problem("README.md: `note` is not in \"Rules that hold everywhere\"");
  /* Every rule and every rule parameter, where policies are documented. */
  const section *pol = section_of(gp_format_policy.doc);
  for (int i = 0; pol && gp_selection_types[i]; i++) {
    if (!documents(pol, gp_selection_types[i]->name))
      problem("README.md: selection rule `%s` is not documented", gp_selection_types[i]->name);
    readme_params(pol, gp_selection_types[i]->name, gp_selection_types[i]->params);
  }
  for (int i = 0; pol && gp_scheduling_types[i]; i++) {
    if (!documents(pol, gp_scheduling_types[i]->name))
      problem("README.md: scheduling rule `%s` is not documented", gp_scheduling_types[i]->name);
    readme_params(pol, gp_scheduling_types[i]->name, gp_scheduling_types[i]->params);
  }
  /* Every distribution, its parameters and the keys all of them take. */
  const section *rq = section_of("Random quantities");
  for (int k = 0; rq && gp_dist_kind_names[k]; k++) {
    if (!documents(rq, gp_dist_kind_names[k]))
      problem("README.md: distribution `%s` is not documented", gp_dist_kind_names[k]);
    for (const char *const *q = gp_dist_kind_params((gp_dist_kind)k); *q; q++)
      if (!documents(rq, *q))
        problem("README.md: `%s` of distribution %s is not documented", *q, gp_dist_kind_names[k]);
  }
  for (int i = 0; rq && gp_dist_common_keys[i]; i++)
    if (!documents(rq, gp_dist_common_keys[i]))
      problem("README.md: `%s` of random quantities is not documented", gp_dist_common_keys[i]);
  free(readme);
  readme = NULL;
  ASSERT_EQ(problems, 0);
}

/* ---- the catalogue against the loader ---- */

/* A scenario with every object of the format and most of its keys (the
 * first entry of each list is the one probed). */
#define FULL "tests/unit/format-full.json"

static cJSON *doc; /* the parsed scenario, changed and restored by each probe */
static gp_err err;
static const gp_format_object *visited[64];
static int nvisited;

/* Load DOC as it stands; 0 if the loader accepts it (ERR says why not). */
static int load(void) {
  char *text = cJSON_PrintUnformatted(doc);
  if (!text) return -1;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse(FULL, text, strlen(text), NULL, &err);
  free(text);
  gp_scenario_free(s);
  return s ? 0 : -1;
}

/* A value the key's kind does not allow. */
static cJSON *wrong_value(gp_format_kind kind) {
  switch (kind) {
  case GP_FORMAT_NUMBER:
  case GP_FORMAT_INTEGER:
  case GP_FORMAT_BOOL:
  case GP_FORMAT_RANDOM:
    return cJSON_CreateString("not a number");
  default:
    return cJSON_CreateNumber(7);
  }
}

static void probe_object(const gp_format_object *f, cJSON *o, const char *path) {
  int seen = 0;
  for (int i = 0; i < nvisited; i++) seen |= visited[i] == f;
  if (!seen && nvisited < 64) visited[nvisited++] = f;
  for (const gp_format_key *k = f->keys; k->name; k++) {
    const gp_format_key *r = resolved(f, k);
    char sub[PATHMAX], want[PATHMAX + 32];
    join(sub, path, k->name);
    if (r->kind == GP_FORMAT_NOTE) continue; /* kept, never read */
    /* Left out (then put back, last: the order of keys changes no verdict). */
    cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(o, k->name);
    if (item) {
      int rc = load();
      if (r->flags & GP_FORMAT_REQUIRED) {
        snprintf(want, sizeof want, "expected key \"%s\"", k->name);
        if (rc == 0)
          problem("loader: accepts %s left out, which format.c says is required", sub);
        else if (!strstr(err.msg, want))
          problem("loader: %s left out: expected \"%s\", found: %s", sub, want, err.msg);
      } else if (!(r->flags & GP_FORMAT_ONE_OF) && rc != 0 &&
                 !strstr(err.msg, ": calibration.")) {
        /* (The calibration block names a call and a whole-number path: without
         * the calls, or "integer", it is refused at the block, rightly.) */
        problem("loader: refuses %s left out, which format.c says is optional: %s", sub, err.msg);
      }
      cJSON_AddItemToObject(o, k->name, item);
    }
    /* A value of the wrong type: refused, so the loader reads the key. */
    cJSON *keep = item ? cJSON_Duplicate(item, 1) : NULL;
    if (item)
      cJSON_ReplaceItemInObjectCaseSensitive(o, k->name, wrong_value(r->kind));
    else
      cJSON_AddItemToObject(o, k->name, wrong_value(r->kind));
    if (load() == 0)
      problem("loader: ignores %s (accepts a value of the wrong type: it never reads the key)",
              sub);
    else if (!strstr(err.msg, k->name))
      problem("loader: %s of the wrong type: the error does not name it: %s", sub, err.msg);
    if (keep)
      cJSON_ReplaceItemInObjectCaseSensitive(o, k->name, keep);
    else
      cJSON_DeleteItemFromObjectCaseSensitive(o, k->name);
    /* What the key holds. */
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k->name);
    if (r->kind == GP_FORMAT_OBJECT && cJSON_IsObject(v)) probe_object(r->of, v, sub);
    if (r->kind == GP_FORMAT_LIST && cJSON_IsArray(v) && cJSON_IsObject(v->child)) {
      strncat(sub, "[0]", sizeof sub - strlen(sub) - 1);
      probe_object(r->of, v->child, sub);
    }
  }
}

/* Every object reachable from the root (the path of its first use in ALL_PATH). */
static int nall;
static const gp_format_object *all[64];
static char all_path[64][PATHMAX];

static void reachable(const gp_format_object *f, const char *path) {
  for (int i = 0; i < nall; i++)
    if (all[i] == f) return;
  if (nall == 64) return;
  all[nall] = f;
  snprintf(all_path[nall++], PATHMAX, "%s", path[0] ? path : "$");
  for (const gp_format_key *k = f->keys; k->name; k++) {
    const gp_format_key *r = resolved(f, k);
    char sub[PATHMAX];
    join(sub, path, k->name);
    if (r->kind == GP_FORMAT_LIST) strncat(sub, "[]", sizeof sub - strlen(sub) - 1);
    if (r->kind == GP_FORMAT_OBJECT || r->kind == GP_FORMAT_LIST) reachable(r->of, sub);
  }
}

static void test_loader(void) {
  problems = 0;
  nvisited = 0;
  char *text = slurp(FULL);
  ASSERT(text);
  doc = cJSON_Parse(text);
  free(text);
  ASSERT(doc);
  if (load() != 0) {
    problem("loader: refuses the full scenario: %s", err.msg);
  } else {
    probe_object(&gp_format_root, doc, "");
    ASSERT_EQ(load(), 0); /* every probe put back what it changed */
  }
  nall = 0;
  reachable(&gp_format_root, "");
  for (int i = 0; i < nall; i++) {
    int seen = 0;
    for (int j = 0; j < nvisited; j++) seen |= visited[j] == all[i];
    if (!seen) problem("test_format.c: the full scenario has no %s to probe", all_path[i]);
  }
  cJSON_Delete(doc);
  doc = NULL;
  ASSERT_EQ(problems, 0);
}

int main(void) {
  RUN(test_catalogue);
  RUN(test_one_key_list);
  RUN(test_schema);
  RUN(test_random_quantities);
  RUN(test_readme);
  RUN(test_loader);
  TEST_EXIT();
}
