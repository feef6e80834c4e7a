/*
 * models/scenario/policies.c - "policies": the allocation policies a scenario
 * compares, each a selection and a scheduling rule named in the registry
 * (models/rules/registry.h), the rules' parameters and an optional reclaim.
 *
 * A rule name or parameter the registry does not know is an error whose
 * message lists what it knows; without "policies" a scenario has one policy,
 * "fcfs" (selection and scheduling fcfs).
 */
#include "models/scenario/loader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/rules/registry.h"
#include "sim/rng.h"

/* "params": {name: number}: every name must be a parameter of the policy's
 * selection or scheduling rule, within its range. */
static int load_params(gp_loader *L, const cJSON *o, const char *path, gp_policy_spec *ps) {
  char p[GP_LOADER_PATHLEN];
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(o, "params");
  if (!pr) return 0;
  gp_json_path_key(p, sizeof p, path, "params");
  if (gp_json_expect_object(L->doc, pr, p, L->err)) return -1;
  const gp_param *lists[2] = {ps->selection->params, ps->scheduling->params};
  for (const cJSON *it = pr->child; it; it = it->next) {
    if (strcmp(it->string, "note") == 0) continue;
    const gp_param *found = NULL;
    for (int l = 0; l < 2 && !found; l++)
      for (const gp_param *q = lists[l]; q && q->name && !found; q++)
        if (strcmp(q->name, it->string) == 0) found = q;
    if (!found) {
      char msg[512], q2[GP_LOADER_PATHLEN];
      int len = snprintf(msg, sizeof msg, "expected a parameter of rules \"%s\" and \"%s\" (",
                         ps->selection->name, ps->scheduling->name);
      int k = 0;
      for (int l = 0; l < 2; l++)
        for (const gp_param *q = lists[l]; q && q->name && len < (int)sizeof msg - 40; q++)
          len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%s", k++ ? ", " : "", q->name);
      snprintf(msg + len, sizeof msg - (size_t)len, "%s), found \"%s\"", k ? "" : "none",
               it->string);
      return gp_json_fail(L->doc, it, gp_json_path_key(q2, sizeof q2, p, it->string), L->err, "%s",
                          msg);
    }
    if (ps->nparams >= 16)
      return gp_loader_fail(L, o, path, "params", "expected at most 16 parameters");
    double v;
    if (gp_json_number(L->doc, pr, p, it->string, 1, found->min, found->max, &v, L->err)) return -1;
    ps->param_names[ps->nparams] = found->name;
    ps->param_values[ps->nparams++] = v;
  }
  return 0;
}

/* The reclaim rule's settings, in the order of gp_format_reclaim. */
static const gp_param reclaim_params[] = {
    {"at", 0.5, 0, 1, "when a project's use is checked, as a fraction of its time (not 0 or 1)"},
    {"below_use", 0.1, 0, 1, "a project using less than this fraction of its GPUs loses units"},
    {"take", 0.5, 0, 1, "the share of its working units it loses; it keeps at least one"},
    {NULL, 0, 0, 0, NULL},
};
enum { RECLAIM_AT, RECLAIM_BELOW, RECLAIM_TAKE };

const gp_param *gp_reclaim_params(void) { return reclaim_params; }

/* Calendar reclaim (issue 21, item 4): "calendar": [{"date", "below_use",
 * "take"}, ...], kept by date, a date's tiers by below_use; a date's tiers
 * must not repeat a below_use (which would apply is unclear). */
static int cmp_reclaim_date(const void *a, const void *b) {
  const gp_reclaim_date *x = a, *y = b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  return (x->below > y->below) - (x->below < y->below);
}

static int load_calendar(gp_loader *L, const cJSON *r, const char *path, gp_policy_spec *ps) {
  int n;
  if (!cJSON_GetObjectItemCaseSensitive(r, "calendar")) return 0;
  const cJSON *a = gp_loader_array(L, r, path, "calendar", 1, GP_MAX_RECLAIM_DATES, &n);
  if (!a) return -1;
  char p[GP_LOADER_PATHLEN], cp[GP_LOADER_PATHLEN];
  gp_json_path_key(cp, sizeof cp, path, "calendar");
  const cJSON *e = a->child;
  for (int i = 0; i < n; i++, e = e->next) {
    gp_json_path_index(p, sizeof p, cp, i);
    gp_reclaim_date *d = &ps->calendar[i];
    if (gp_loader_object(L, e, p, &gp_format_reclaim_date) ||
        gp_loader_date(L, e, p, "date", 1, &d->at) ||
        gp_json_number(L->doc, e, p, "below_use", 1, 0, 1, &d->below, L->err) ||
        gp_json_number(L->doc, e, p, "take", 1, 0, 1, &d->take, L->err) ||
        gp_json_number(L->doc, e, p, "min_days", 0, 0, 36500, &d->min_days, L->err))
      return -1;
    for (int k = 0; k < i; k++)
      if (ps->calendar[k].at == d->at && ps->calendar[k].below == d->below)
        return gp_loader_fail(L, e, p, "below_use",
                              "expected a below_use that no other tier of the same date has");
  }
  ps->ncalendar = n;
  qsort(ps->calendar, (size_t)n, sizeof *ps->calendar, cmp_reclaim_date);
  return 0;
}

/* "reclaim": {"at": 0.5, "below_use": 0.1, "take": 0.5, "calendar": [...]}.
 * With a calendar, the check at a fraction of a project's time is made only
 * when "at" is written. */
static int load_reclaim(gp_loader *L, const cJSON *o, const char *path, gp_policy_spec *ps) {
  char p[GP_LOADER_PATHLEN];
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "reclaim");
  if (!r) return 0;
  gp_json_path_key(p, sizeof p, path, "reclaim");
  const gp_param *at = &reclaim_params[RECLAIM_AT], *below = &reclaim_params[RECLAIM_BELOW],
                 *take = &reclaim_params[RECLAIM_TAKE];
  int calendar = cJSON_GetObjectItemCaseSensitive(r, "calendar") != NULL,
      at_given = cJSON_GetObjectItemCaseSensitive(r, "at") != NULL;
  ps->reclaim_at = calendar && !at_given ? 0 : at->def;
  ps->reclaim_below = below->def;
  ps->reclaim_take = take->def;
  return gp_loader_object(L, r, p, &gp_format_reclaim) || load_calendar(L, r, p, ps) ||
                 gp_json_number_ex(L->doc, r, p, at->name, 0, at->min, at->max,
                                   GP_JSON_OPEN_MIN | GP_JSON_OPEN_MAX, &ps->reclaim_at, L->err) ||
                 gp_json_number(L->doc, r, p, below->name, 0, below->min, below->max,
                                &ps->reclaim_below, L->err) ||
                 gp_json_number(L->doc, r, p, take->name, 0, take->min, take->max,
                                &ps->reclaim_take, L->err)
             ? -1
             : 0;
}

int gp_policies_load(gp_loader *L, const cJSON *root) {
  gp_scenario *s = L->s;
  int n;
  const cJSON *a = gp_loader_array(L, root, "", "policies", 0, GP_LOADER_MAX_POLICIES, &n);
  if (L->err->code) return -1;
  if (!a || n == 0) { /* default: one first-come-first-served policy */
    s->policies = calloc(1, sizeof *s->policies);
    if (!s->policies) return GP_ERR_NOMEM(L->err);
    s->policies[0].name = "fcfs";
    s->policies[0].key = gp_rng_name_id("fcfs");
    s->policies[0].selection = gp_selection_fcfs;
    s->policies[0].scheduling = gp_scheduling_fcfs;
    s->npolicies = 1;
    return 0;
  }
  s->policies = calloc((size_t)n, sizeof *s->policies);
  if (!s->policies) return GP_ERR_NOMEM(L->err);
  s->npolicies = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN], msg[512];
    gp_json_path_index(p, sizeof p, "policies", i);
    gp_policy_spec *ps = &s->policies[i];
    const char *sel = "fcfs", *sch = "fcfs";
    if (gp_loader_object(L, o, p, &gp_format_policy) ||
        gp_loader_name(L, o, p, &ps->name) ||
        gp_loader_unique(L, o, p, s->policies, sizeof *ps, i) ||
        gp_json_string(L->doc, o, p, "selection", 0, 1, &sel, L->err) ||
        gp_json_string(L->doc, o, p, "scheduling", 0, 1, &sch, L->err))
      return -1;
    /* Policy names become HDF5 group names: no '/' and not "."; and the
     * pair A, B names /compare/A__B, which must tell the pair apart: with
     * no "__" in a name and none starting or ending with '_', the first
     * "__" of A__B is where A ends (else "a_" and "b" would collide with
     * "a" and "_b"). */
    size_t nl = strlen(ps->name);
    if (strchr(ps->name, '/') || strcmp(ps->name, ".") == 0 || strcmp(ps->name, "..") == 0)
      return gp_loader_fail(L, o, p, "name",
                            "expected a name without '/' that is not \".\" or \"..\"");
    if (strstr(ps->name, "__") || ps->name[0] == '_' || ps->name[nl - 1] == '_')
      return gp_loader_fail(L, o, p, "name",
                            "expected a name without \"__\" that neither starts nor ends with '_' "
                            "(the file compares policies A and B under A__B)");
    ps->selection = gp_selection_find(sel);
    if (!ps->selection) {
      int len = snprintf(msg, sizeof msg, "expected a selection rule (");
      for (int k = 0; gp_selection_types[k]; k++)
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s\"%s\"", k ? ", " : "",
                        gp_selection_types[k]->name);
      snprintf(msg + len, sizeof msg - (size_t)len, ")");
      return gp_loader_fail(L, o, p, "selection", msg);
    }
    ps->scheduling = gp_scheduling_find(sch);
    if (!ps->scheduling) {
      int len = snprintf(msg, sizeof msg, "expected a scheduling rule (");
      for (int k = 0; gp_scheduling_types[k]; k++)
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s\"%s\"", k ? ", " : "",
                        gp_scheduling_types[k]->name);
      snprintf(msg + len, sizeof msg - (size_t)len, ")");
      return gp_loader_fail(L, o, p, "scheduling", msg);
    }
    if (load_params(L, o, p, ps) || load_reclaim(L, o, p, ps)) return -1;
    ps->key = gp_rng_name_id(ps->name);
  }
  return 0;
}
