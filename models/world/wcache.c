/*
 * models/world/wcache.c - the cache of world draws (see wcache.h).
 *
 * Invariant: a slot's blocks, online times and failures were drawn for the
 * global key the slot holds; a block is used only when its own item equals
 * the scenario's item of the same index.  A slot whose global key moves is
 * emptied before anything is kept in it again.
 */
#include "models/world/wcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "models/world/world.h"

/* One demand source's proposals as drawn, and their return draws. */
typedef struct block {
  cJSON *item; /* its item of the scenario, a copy (owned); NULL = nothing kept */
  gp_wprop *p; /* n proposals, room for cap */
  size_t n, cap;
  float *rd;   /* their reviewers' times, the slot's nreviews each (gp_world.review_days),
                * room for caprd floats */
  size_t caprd;
  /* Its return draws (valid when has_ret; dropped whenever item moves):
   * the records of its np proposals in submission order, then of its nc
   * candidates (next relative to the first candidate), under rkey. */
  int has_ret;
  double *rkey; /* nrkey values world.c's draw_returns reads besides the source */
  size_t nrkey, caprkey;
  gp_wreturn *r; /* np + nc records, room for capr */
  size_t np, nc, capr;
  gp_wprop *c; /* the nc candidates, room for capc */
  size_t capc;
  float *crd;  /* their reviewers' times, room for capcrd floats */
  size_t capcrd;
} block;

struct gp_wcache_rep {
  int rep; /* -1 = a free slot */
  uint64_t seed;
  double end; /* days */
  int ncalls, nstreams, ndesignated, ntranches;
  int nreviews;  /* reviews per proposal: review times kept a proposal */
  int room;      /* tranches online and planned have room for */
  cJSON *global; /* the tree without the sources' items and the tranches' slips (null in
                  * their place); owned */
  cJSON *slips;  /* an array of the tranches' slip_days (null when absent), what the online
                  * times read besides the global key; owned */
  block *src;    /* per origin (calls, streams, designations) */
  int nsrc;
  double *planned; /* per tranche its planned online time and its end, days: what
                    * a scenario may change after loading (cluster.c), outside
                    * its tree */
  double *online;  /* ntranches; valid when has_online */
  int has_online, has_failures;
  gp_moment *m; /* failures and repairs kept: nm of them, room for capm */
  size_t nm, capm, nfails;
  unsigned long long used; /* when last handed out: the least recent is reused first */
  gp_wcache_stats *st;     /* its cache's */
};

struct gp_wcache {
  gp_wcache_rep *e;
  int ne;
  unsigned long long clock;
  gp_wcache_stats st;
};

static const char *const demand_lists[] = {"calls", "streams", "designated"};

/* Is NAME (a member of "demand") one of the source lists? */
static int is_source_list(const char *name) {
  for (int i = 0; i < 3; i++)
    if (name && strcmp(name, demand_lists[i]) == 0) return 1;
  return 0;
}

/* A and B are the same JSON value, exactly: same types, numbers equal as
 * doubles (cJSON_Compare would take a and the next double up for equal),
 * same strings, objects with the same members in the same order (another
 * order only costs a miss). */
static int json_same(const cJSON *a, const cJSON *b) {
  if ((a->type & 0xff) != (b->type & 0xff)) return 0;
  if (cJSON_IsNumber(a)) return a->valuedouble == b->valuedouble;
  if (cJSON_IsString(a) || cJSON_IsRaw(a))
    return a->valuestring && b->valuestring ? strcmp(a->valuestring, b->valuestring) == 0
                                            : a->valuestring == b->valuestring;
  if (!cJSON_IsArray(a) && !cJSON_IsObject(a)) return 1; /* null, true, false */
  const cJSON *x = a->child, *y = b->child;
  for (; x && y; x = x->next, y = y->next) {
    if (cJSON_IsObject(a) && (!x->string || !y->string || strcmp(x->string, y->string) != 0))
      return 0;
    if (!json_same(x, y)) return 0;
  }
  return !x && !y;
}

/* Is X (a member of DOC's root) the roadmap's tranches' list, whose
 * items' slip_days the global key leaves out? */
static const cJSON *tranches_of(const cJSON *x) {
  if (!x->string || strcmp(x->string, "roadmap") != 0 || !cJSON_IsObject(x)) return NULL;
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(x, "tranches");
  return cJSON_IsArray(t) ? t : NULL;
}

static int is_slip(const cJSON *m) { return m->string && strcmp(m->string, "slip_days") == 0; }

/* A and B (objects or not) the same but for the members slip_days of each
 * item of their lists "tranches" (B a global key's roadmap). */
static int roadmap_same(const cJSON *a, const cJSON *b) {
  if (!cJSON_IsObject(a) || !cJSON_IsObject(b)) return json_same(a, b);
  const cJSON *x = a->child, *y = b->child;
  for (; x && y; x = x->next, y = y->next) {
    if (!x->string || !y->string || strcmp(x->string, y->string) != 0) return 0;
    if (strcmp(x->string, "tranches") != 0 || !cJSON_IsArray(x)) {
      if (!json_same(x, y)) return 0;
      continue;
    }
    if (!cJSON_IsArray(y) || cJSON_GetArraySize(x) != cJSON_GetArraySize(y)) return 0;
    for (const cJSON *u = x->child, *v = y->child; u && v; u = u->next, v = v->next) {
      if (!cJSON_IsObject(u) || !cJSON_IsObject(v)) {
        if (!json_same(u, v)) return 0;
        continue;
      }
      const cJSON *m = u->child, *n = v->child;
      for (; m && n; m = m->next, n = n->next) {
        if (!m->string || !n->string || strcmp(m->string, n->string) != 0) return 0;
        if (!is_slip(m) && !json_same(m, n)) return 0;
      }
      if (m || n) return 0;
    }
  }
  return !x && !y;
}

/* DOC's root and KEY (a global key) agree everywhere but in the sources'
 * items, of which only the counts must agree. */
static int global_same(const cJSON *doc, const cJSON *key) {
  if (!cJSON_IsObject(doc) || !cJSON_IsObject(key)) return 0;
  const cJSON *x = doc->child, *y = key->child;
  for (; x && y; x = x->next, y = y->next) {
    if (!x->string || !y->string || strcmp(x->string, y->string) != 0) return 0;
    if (tranches_of(x)) {
      if (!roadmap_same(x, y)) return 0;
      continue;
    }
    if (strcmp(x->string, "demand") != 0 || !cJSON_IsObject(x)) {
      if (!json_same(x, y)) return 0;
      continue;
    }
    if (!cJSON_IsObject(y)) return 0;
    const cJSON *u = x->child, *v = y->child;
    for (; u && v; u = u->next, v = v->next) {
      if (!u->string || !v->string || strcmp(u->string, v->string) != 0) return 0;
      if (is_source_list(u->string) && cJSON_IsArray(u)) {
        if (!cJSON_IsArray(v) || cJSON_GetArraySize(u) != cJSON_GetArraySize(v)) return 0;
      } else if (!json_same(u, v)) {
        return 0;
      }
    }
    if (u || v) return 0;
  }
  return !x && !y;
}

/* A copy of DOC with null for every source's item and every tranche's
 * slip_days (NULL out of memory). */
static cJSON *global_key(const cJSON *doc) {
  cJSON *k = cJSON_Duplicate(doc, 1);
  if (!k) return NULL;
  for (cJSON *x = k->child; x; x = x->next) {
    const cJSON *tr = tranches_of(x);
    for (cJSON *t = tr ? tr->child : NULL; t; t = t->next) {
      if (!cJSON_IsObject(t) || !cJSON_GetObjectItemCaseSensitive(t, "slip_days")) continue;
      cJSON *null = cJSON_CreateNull(); /* (named slip_days by the replacement) */
      if (!null || !cJSON_ReplaceItemInObjectCaseSensitive(t, "slip_days", null)) {
        cJSON_Delete(null);
        cJSON_Delete(k);
        return NULL;
      }
    }
    if (!x->string || strcmp(x->string, "demand") != 0 || !cJSON_IsObject(x)) continue;
    for (cJSON *u = x->child; u; u = u->next) {
      if (!is_source_list(u->string) || !cJSON_IsArray(u)) continue;
      for (cJSON *it = u->child, *next; it; it = next) {
        next = it->next;
        cJSON *null = cJSON_CreateNull();
        if (!null) {
          cJSON_Delete(k);
          return NULL;
        }
        cJSON_ReplaceItemViaPointer(u, it, null);
      }
    }
  }
  return k;
}

/* The array of DOC's tranches' slip_days (null where absent), NULL out of
 * memory. */
static cJSON *slips_of(const cJSON *doc) {
  cJSON *a = cJSON_CreateArray();
  const cJSON *tr = NULL;
  for (const cJSON *x = doc->child; x && !tr; x = x->next) tr = tranches_of(x);
  for (const cJSON *t = tr ? tr->child : NULL; a && t; t = t->next) {
    const cJSON *m = cJSON_IsObject(t) ? cJSON_GetObjectItemCaseSensitive(t, "slip_days") : NULL;
    cJSON *c = m ? cJSON_Duplicate(m, 1) : cJSON_CreateNull();
    if (!c || !cJSON_AddItemToArray(a, c)) {
      cJSON_Delete(c);
      cJSON_Delete(a);
      a = NULL;
    }
  }
  return a;
}

/* Source ORIGIN's item in S's tree, or NULL. */
static const cJSON *source_item(const gp_scenario *s, int origin) {
  int list = 0, i = origin;
  if (i >= s->ncalls) {
    i -= s->ncalls;
    list = 1;
    if (i >= s->nstreams) {
      i -= s->nstreams;
      list = 2;
    }
  }
  const cJSON *dm = cJSON_GetObjectItemCaseSensitive(gp_json_root(s->doc), "demand");
  return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(dm, demand_lists[list]), i);
}

/* E's online times and failures dropped (drawn again by the next world). */
static void drop_online(gp_wcache_rep *e) {
  e->has_online = e->has_failures = 0;
  e->nm = e->nfails = 0;
}

static void slot_empty(gp_wcache_rep *e) {
  for (int i = 0; i < e->nsrc; i++) {
    cJSON_Delete(e->src[i].item);
    e->src[i].item = NULL;
    e->src[i].n = 0;
    e->src[i].has_ret = 0;
  }
  cJSON_Delete(e->global);
  e->global = NULL;
  cJSON_Delete(e->slips);
  e->slips = NULL;
  drop_online(e);
  e->rep = -1;
}

static void slot_free(gp_wcache_rep *e) {
  slot_empty(e);
  for (int i = 0; i < e->nsrc; i++) {
    free(e->src[i].p);
    free(e->src[i].rd);
    free(e->src[i].rkey);
    free(e->src[i].r);
    free(e->src[i].c);
    free(e->src[i].crd);
  }
  free(e->src);
  free(e->online);
  free(e->planned);
  free(e->m);
  gp_wcache_stats *st = e->st;
  memset(e, 0, sizeof *e);
  e->rep = -1;
  e->st = st;
}

gp_wcache *gp_wcache_new(int reps) {
  if (reps < 1) return NULL;
  gp_wcache *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  if (!(c->e = calloc((size_t)reps, sizeof *c->e))) {
    free(c);
    return NULL;
  }
  c->ne = reps;
  for (int i = 0; i < reps; i++) {
    c->e[i].rep = -1;
    c->e[i].st = &c->st;
  }
  return c;
}

void gp_wcache_free(gp_wcache *c) {
  if (!c) return;
  for (int i = 0; i < c->ne; i++) slot_free(&c->e[i]);
  free(c->e);
  free(c);
}

static size_t json_bytes(const cJSON *x) {
  size_t b = 0;
  for (; x; x = x->next) {
    b += sizeof *x + (x->string ? strlen(x->string) + 1 : 0) +
         (x->valuestring ? strlen(x->valuestring) + 1 : 0) + json_bytes(x->child);
  }
  return b;
}

size_t gp_wcache_bytes(const gp_wcache *c) {
  size_t b = sizeof *c + (size_t)c->ne * sizeof *c->e;
  for (int i = 0; i < c->ne; i++) {
    const gp_wcache_rep *e = &c->e[i];
    if (e->global) b += json_bytes(e->global);
    if (e->slips) b += json_bytes(e->slips);
    b += (size_t)e->nsrc * sizeof *e->src + 3 * (size_t)e->room * sizeof *e->online +
         e->capm * sizeof *e->m;
    for (int k = 0; k < e->nsrc; k++) {
      const block *x = &e->src[k];
      b += x->cap * sizeof *x->p + x->caprd * sizeof *x->rd + x->caprkey * sizeof *x->rkey +
           x->capr * sizeof *x->r + x->capc * sizeof *x->c + x->capcrd * sizeof *x->crd;
      if (e->src[k].item) b += json_bytes(e->src[k].item);
    }
  }
  return b;
}

void gp_wcache_stats_get(const gp_wcache *c, gp_wcache_stats *st) { *st = c->st; }

/* Does slot E hold S's global key for replication REP? */
static int slot_matches(const gp_wcache_rep *e, const gp_scenario *s, int rep) {
  if (!(e->rep == rep && e->global && e->seed == s->seed && e->end == s->end &&
        e->ncalls == s->ncalls && e->nstreams == s->nstreams && e->ndesignated == s->ndesignated &&
        e->ntranches == s->ntranches && e->nreviews == s->review.reviews))
    return 0;
  for (int t = 0; t < s->ntranches; t++)
    if (e->planned[2 * t] != s->tranches[t].online || e->planned[2 * t + 1] != s->tranches[t].end)
      return 0;
  return global_same(gp_json_root(s->doc), e->global);
}

gp_wcache_rep *gp_wcache_rep_of(gp_wcache *c, const gp_scenario *s, int rep, gp_err *err) {
  if (!cJSON_IsObject(gp_json_root(s->doc))) /* its keys are its tree: nothing to key on */
    return GP_ERR(err, GP_EX_SOFTWARE, "wcache: a scenario without its JSON tree"), NULL;
  gp_wcache_rep *e = NULL;
  for (int i = 0; i < c->ne && !e; i++)
    if (c->e[i].rep == rep) e = &c->e[i];
  if (e && slot_matches(e, s, rep)) {
    e->used = ++c->clock;
    c->st.global_hits++;
    cJSON *slips = slips_of(gp_json_root(s->doc));
    if (!slips) return GP_ERR_NOMEM(err), NULL;
    if (e->slips && json_same(slips, e->slips)) {
      cJSON_Delete(slips);
    } else { /* a slip moved: the online times and the failures go */
      c->st.online_misses++;
      cJSON_Delete(e->slips);
      e->slips = slips;
      drop_online(e);
    }
    return e;
  }
  c->st.global_misses++;
  if (!e) { /* a free slot, else the least recently used */
    e = &c->e[0];
    for (int i = 1; i < c->ne; i++)
      if (c->e[i].rep < 0 ? e->rep >= 0 || c->e[i].used < e->used
                          : e->rep >= 0 && c->e[i].used < e->used)
        e = &c->e[i];
  }
  slot_empty(e);
  int nsrc = gp_scenario_norigins(s);
  if (nsrc > e->nsrc) {
    block *b = realloc(e->src, (size_t)nsrc * sizeof *b);
    if (!b) return GP_ERR_NOMEM(err), NULL;
    memset(b + e->nsrc, 0, (size_t)(nsrc - e->nsrc) * sizeof *b);
    e->src = b;
    e->nsrc = nsrc;
  }
  if (s->ntranches > e->room || !e->online) {
    size_t nt = (size_t)(s->ntranches ? s->ntranches : 1);
    double *o = realloc(e->online, nt * sizeof *o),
           *pl = o ? realloc(e->planned, 2 * nt * sizeof *pl) : NULL;
    if (o) e->online = o;
    if (pl) e->planned = pl;
    if (!o || !pl) return GP_ERR_NOMEM(err), NULL;
    e->room = (int)nt;
  }
  for (int t = 0; t < s->ntranches; t++) {
    e->planned[2 * t] = s->tranches[t].online;
    e->planned[2 * t + 1] = s->tranches[t].end;
  }
  if (!(e->global = global_key(gp_json_root(s->doc))) || !(e->slips = slips_of(gp_json_root(s->doc))))
    return slot_empty(e), GP_ERR_NOMEM(err), NULL;
  e->rep = rep;
  e->seed = s->seed;
  e->end = s->end;
  e->ncalls = s->ncalls;
  e->nstreams = s->nstreams;
  e->ndesignated = s->ndesignated;
  e->ntranches = s->ntranches;
  e->nreviews = s->review.reviews;
  e->used = ++c->clock;
  return e;
}

const gp_wprop *gp_wcache_source(gp_wcache_rep *e, const gp_scenario *s, int origin,
                                 const float **rd, size_t *n) {
  const block *b = origin < e->nsrc ? &e->src[origin] : NULL;
  const cJSON *item = source_item(s, origin);
  if (b && b->item && item && json_same(b->item, item)) {
    e->st->hits++;
    *n = b->n;
    *rd = b->rd;
    return b->p;
  }
  e->st->misses++;
  return NULL;
}

/* Room for N elements of SIZE bytes in the array at ARRAYP (a `T **`) of
 * *CAP: exactly N when it grows (a slot's blocks are refilled with about
 * the same counts, and a cache's memory is counted: budget.c), -1 when out
 * of memory. */
static int room(void *arrayp, size_t *cap, size_t n, size_t size) {
  if (n <= *cap && *(void **)arrayp) return 0;
  if (n > SIZE_MAX / size) return -1;
  void *p = realloc(*(void **)arrayp, (n ? n : 1) * size);
  if (!p) return -1;
  *(void **)arrayp = p;
  *cap = n ? n : 1;
  return 0;
}

int gp_wcache_put_source(gp_wcache_rep *e, const gp_scenario *s, int origin, const gp_wprop *p,
                         const float *rd, size_t n, gp_err *err) {
  if (origin >= e->nsrc) return GP_ERR(err, GP_EX_SOFTWARE, "wcache: no source %d", origin);
  block *b = &e->src[origin];
  cJSON_Delete(b->item);
  b->item = NULL;
  b->n = 0;
  b->has_ret = 0; /* drawn from the proposals it held */
  const cJSON *item = source_item(s, origin);
  if (!item) return GP_ERR(err, GP_EX_SOFTWARE, "wcache: source %d has no item", origin);
  size_t nrd = n * (size_t)e->nreviews;
  if (n > SIZE_MAX / ((size_t)e->nreviews + 1) || room(&b->p, &b->cap, n, sizeof *b->p) ||
      room(&b->rd, &b->caprd, nrd, sizeof *b->rd) || !(b->item = cJSON_Duplicate(item, 1)))
    return GP_ERR_NOMEM(err);
  if (n) {
    memcpy(b->p, p, n * sizeof *p);
    memcpy(b->rd, rd, nrd * sizeof *rd);
  }
  b->n = n;
  return 0;
}

const double *gp_wcache_online(const gp_wcache_rep *e) { return e->has_online ? e->online : NULL; }

int gp_wcache_put_online(gp_wcache_rep *e, const double *online, int n, gp_err *err) {
  if (n != e->ntranches)
    return GP_ERR(err, GP_EX_SOFTWARE, "wcache: %d tranches, not %d", n, e->ntranches);
  if (n) memcpy(e->online, online, (size_t)n * sizeof *online);
  e->has_online = 1;
  return 0;
}

int gp_wcache_failures(const gp_wcache_rep *e, const gp_moment **m, size_t *n, size_t *nfails) {
  if (!e->has_failures) return 0;
  *m = e->m;
  *n = e->nm;
  *nfails = e->nfails;
  return 1;
}

int gp_wcache_put_failures(gp_wcache_rep *e, const gp_failures *f, gp_err *err) {
  e->has_failures = 0;
  if (room(&e->m, &e->capm, f->n, sizeof *e->m)) return GP_ERR_NOMEM(err);
  if (f->n) memcpy(e->m, f->m, f->n * sizeof *f->m);
  e->nm = f->n;
  e->nfails = f->nfails;
  e->has_failures = 1;
  return 0;
}

/* Source ORIGIN's block, once gp_wcache_source or gp_wcache_put_source
 * made it hold the scenario's item (the caller's order), or NULL. */
static block *block_of(gp_wcache_rep *e, int origin) {
  return origin >= 0 && origin < e->nsrc && e->src[origin].item ? &e->src[origin] : NULL;
}

const gp_wreturn *gp_wcache_returns(gp_wcache_rep *e, int origin, const double *key, size_t nkey,
                                    size_t *np, const gp_wprop **cand, const float **crd,
                                    size_t *nc) {
  block *b = block_of(e, origin);
  if (b && b->has_ret && b->nrkey == nkey &&
      (nkey == 0 || memcmp(b->rkey, key, nkey * sizeof *key) == 0)) {
    e->st->ret_hits++;
    *np = b->np;
    *nc = b->nc;
    *cand = b->c;
    *crd = b->crd;
    return b->r;
  }
  e->st->ret_misses++;
  return NULL;
}

int gp_wcache_put_returns(gp_wcache_rep *e, int origin, const double *key, size_t nkey,
                          const gp_wreturn *ret, const uint32_t *at, size_t np, size_t first,
                          const gp_wprop *cand, const float *crd, size_t nc, gp_err *err) {
  block *b = block_of(e, origin);
  if (!b) return GP_ERR(err, GP_EX_SOFTWARE, "wcache: source %d's returns without it", origin);
  b->has_ret = 0;
  if (np + nc < np || room(&b->rkey, &b->caprkey, nkey, sizeof *b->rkey) ||
      room(&b->r, &b->capr, np + nc, sizeof *b->r) || room(&b->c, &b->capc, nc, sizeof *b->c) ||
      nc > SIZE_MAX / ((size_t)e->nreviews + 1) ||
      room(&b->crd, &b->capcrd, nc * (size_t)e->nreviews, sizeof *b->crd))
    return GP_ERR_NOMEM(err);
  if (nkey) memcpy(b->rkey, key, nkey * sizeof *key);
  b->nrkey = nkey;
  for (size_t j = 0; j < np + nc; j++) {
    gp_wreturn x = ret[j < np ? at[j] : first + (j - np)];
    if (x.next >= 0) x.next = (int32_t)((size_t)x.next - first);
    b->r[j] = x;
  }
  if (nc) {
    memcpy(b->c, cand, nc * sizeof *cand);
    memcpy(b->crd, crd, nc * (size_t)e->nreviews * sizeof *crd);
  }
  b->np = np;
  b->nc = nc;
  b->has_ret = 1;
  return 0;
}
