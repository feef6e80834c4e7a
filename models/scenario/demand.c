/*
 * models/scenario/demand.c - "demand": rolling streams, calls for proposals
 * and designated allocations, each a list of demand sources.
 *
 * Read after the roadmap and the review: sources name pools and GPU types,
 * and take their default committee interval from "review".  Their order in
 * the file is their origin index (calls, then streams, then designations:
 * gp_scenario_origin_name).
 */
#include "models/scenario/loader_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/date.h"
#include "sim/rng.h"

static int load_streams(gp_loader *L, const cJSON *dm) {
  gp_scenario *s = L->s;
  int n;
  const cJSON *a = gp_loader_array(L, dm, "demand", "streams", 0, GP_LOADER_MAX_SOURCES, &n);
  if (L->err->code) return -1;
  if (n == 0) return 0;
  s->streams = calloc((size_t)n, sizeof *s->streams);
  if (!s->streams) return GP_ERR_NOMEM(L->err);
  s->nstreams = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN];
    gp_json_path_index(p, sizeof p, "demand.streams", i);
    gp_stream *st = &s->streams[i];
    st->start = 0;
    st->end = s->end;
    st->committee_every = s->review.committee_every;
    if (gp_loader_object(L, o, p, &gp_format_stream) ||
        gp_loader_name(L, o, p, &st->name) ||
        gp_loader_unique(L, o, p, s->streams, sizeof *st, i) ||
        gp_loader_ref(L, o, p, "pool", 1, s->pools, sizeof *s->pools, s->npools, "pools",
                      &st->pool) ||
        gp_loader_date(L, o, p, "start", 0, &st->start) ||
        gp_loader_date(L, o, p, "end", 0, &st->end) ||
        gp_json_number(L->doc, o, p, "rate_per_day", 1, 0, 1e7, &st->rate_per_day, L->err) ||
        gp_json_number(L->doc, o, p, "growth_per_year", 0, -0.99, 100, &st->growth_per_year,
                       L->err) ||
        gp_json_number(L->doc, o, p, "committee_every_days", 0, 0, 3650, &st->committee_every,
                       L->err) ||
        gp_applicants_load(L, o, p, st->pool, &st->a, HUGE_VAL) ||
        gp_applicants_capacity(L, o, p, &st->a, st->capacity))
      return -1;
    if (st->start < 0)
      return gp_loader_fail(L, o, p, "start", "expected a date on or after the epoch");
    if (st->end <= st->start)
      return gp_loader_fail(L, o, p, "end", "expected a date after \"start\"");
    if (st->end > s->end)
      return gp_loader_fail(L, o, p, "end", "expected a date on or before the scenario's \"end\"");
    st->key = gp_rng_name_id(st->name);
  }
  return 0;
}

static int load_committees(gp_loader *L, const cJSON *o, const char *path, gp_call *c) {
  char p[GP_LOADER_PATHLEN];
  int n;
  const cJSON *a = gp_loader_array(L, o, path, "committees", 0, 0, &n);
  if (L->err->code) return -1;
  if (n == 0) return 0;
  c->committees = calloc((size_t)n, sizeof *c->committees);
  if (!c->committees) return GP_ERR_NOMEM(L->err);
  c->ncommittees = n;
  gp_json_path_key(p, sizeof p, path, "committees");
  const cJSON *it = a->child;
  for (int k = 0; k < n; k++, it = it->next) {
    char q[GP_LOADER_PATHLEN], d[64];
    long day;
    if (!cJSON_IsString(it) || gp_date_parse(it->valuestring, &day) != 0)
      return gp_json_fail(L->doc, it, gp_json_path_index(q, sizeof q, p, k), L->err,
                          "expected a date YYYY-MM-DD, found %s",
                          gp_json_describe(it, d, sizeof d));
    c->committees[k] = (double)(day - L->s->epoch_day);
    if (c->committees[k] < c->close || (k > 0 && c->committees[k] <= c->committees[k - 1]))
      return gp_json_fail(L->doc, it, gp_json_path_index(q, sizeof q, p, k), L->err,
                          "expected dates after \"close\", in increasing order, found %s",
                          gp_json_describe(it, d, sizeof d));
  }
  return 0;
}

static int load_calls(gp_loader *L, const cJSON *dm) {
  gp_scenario *s = L->s;
  int n;
  const cJSON *a = gp_loader_array(L, dm, "demand", "calls", 0, GP_LOADER_MAX_SOURCES, &n);
  if (L->err->code) return -1;
  if (n == 0) return 0;
  s->calls = calloc((size_t)n, sizeof *s->calls);
  if (!s->calls) return GP_ERR_NOMEM(L->err);
  s->ncalls = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN];
    gp_json_path_index(p, sizeof p, "demand.calls", i);
    gp_call *c = &s->calls[i];
    double max_months = HUGE_VAL;
    c->committee_every = s->review.committee_every > 0 ? s->review.committee_every : 14;
    c->supply_from = 0;
    if (gp_loader_object(L, o, p, &gp_format_call) ||
        gp_loader_name(L, o, p, &c->name) ||
        gp_loader_unique(L, o, p, s->calls, sizeof *c, i) ||
        gp_loader_ref(L, o, p, "pool", 1, s->pools, sizeof *s->pools, s->npools, "pools",
                      &c->pool) ||
        gp_loader_date(L, o, p, "open", 1, &c->open) ||
        gp_loader_date(L, o, p, "close", 1, &c->close) ||
        gp_json_number(L->doc, o, p, "proposals", 1, 0, 1e8, &c->proposals, L->err) ||
        gp_json_number(L->doc, o, p, "pile_up", 0, 0, 100, &c->pile_up, L->err) ||
        gp_json_number(L->doc, o, p, "max_months", 0, 0.01, 1200, &max_months, L->err) ||
        gp_json_number_ex(L->doc, o, p, "committee_every_days", 0, 0, 3650, GP_JSON_OPEN_MIN,
                          &c->committee_every, L->err) ||
        gp_loader_date(L, o, p, "supply_from", 0, &c->supply_from) ||
        gp_json_bool(L->doc, o, p, "free_of_charge", 0, &c->free_of_charge, L->err))
      return -1;
    if (c->open < 0)
      return gp_loader_fail(L, o, p, "open", "expected a date on or after the epoch");
    if (c->close <= c->open)
      return gp_loader_fail(L, o, p, "close", "expected a date after \"open\"");
    if (c->close > s->end)
      return gp_loader_fail(L, o, p, "close",
                            "expected a date on or before the scenario's \"end\"");
    if (gp_applicants_load(L, o, p, c->pool, &c->a, max_months * GP_DAYS_PER_MONTH) ||
        gp_applicants_capacity(L, o, p, &c->a, c->capacity) || load_committees(L, o, p, c))
      return -1;
    c->key = gp_rng_name_id(c->name);
  }
  return 0;
}

static int load_designated(gp_loader *L, const cJSON *dm) {
  /* gp_json_enum wants a NULL-terminated list; gp_sector_names has none. */
  const char *sectors[GP_NSECTORS + 1];
  for (int k = 0; k < GP_NSECTORS; k++) sectors[k] = gp_sector_names[k];
  sectors[GP_NSECTORS] = NULL;
  gp_scenario *s = L->s;
  int n;
  const cJSON *a = gp_loader_array(L, dm, "demand", "designated", 0, GP_LOADER_MAX_SOURCES, &n);
  if (L->err->code) return -1;
  if (n == 0) return 0;
  s->designated = calloc((size_t)n, sizeof *s->designated);
  if (!s->designated) return GP_ERR_NOMEM(L->err);
  s->ndesignated = n;
  const cJSON *o = a->child;
  for (int i = 0; i < n; i++, o = o->next) {
    char p[GP_LOADER_PATHLEN], q[GP_LOADER_PATHLEN];
    gp_json_path_index(p, sizeof p, "demand.designated", i);
    gp_designated *d = &s->designated[i];
    const char *unit_key;
    gp_dist_constant(&d->use_fraction, 1);
    if (gp_loader_object(L, o, p, &gp_format_designated) ||
        gp_loader_name(L, o, p, &d->name) ||
        gp_loader_unique(L, o, p, s->designated, sizeof *d, i) ||
        gp_loader_ref(L, o, p, "pool", 1, s->pools, sizeof *s->pools, s->npools, "pools",
                      &d->pool) ||
        gp_loader_ref(L, o, p, "gpu_type", 1, s->gpu_types, sizeof *s->gpu_types, s->ngpu_types,
                      "gpu_types", &d->gpu_type) ||
        gp_json_enum(L->doc, o, p, "sector", 1, sectors, &d->sector, L->err) ||
        gp_loader_unit_key(L, o, p, d->pool, &unit_key) ||
        gp_loader_int(L, o, p, unit_key, 1, 1, 10000000, &d->units) ||
        gp_loader_date(L, o, p, "start", 1, &d->start) ||
        gp_dist_read(L->doc, o, p, "use_fraction", 0, 0, 1, &d->use_fraction, L->err))
      return -1;
    if (!(L->served[d->pool] >> d->gpu_type & 1u))
      return gp_loader_fail(L, o, p, "gpu_type",
                            "expected a GPU type that some tranche of the pool provides");
    const cJSON *ph = gp_loader_array(L, o, p, "phases", 1, 0, &d->nphases);
    if (!ph) return -1;
    if (d->nphases > GP_MAX_PHASES)
      return gp_loader_fail(L, o, p, "phases", "expected at most 16 phases");
    gp_json_path_key(q, sizeof q, p, "phases");
    const cJSON *e = ph->child;
    for (int k = 0; k < d->nphases; k++, e = e->next) {
      char r[GP_LOADER_PATHLEN];
      gp_json_path_index(r, sizeof r, q, k);
      if (gp_loader_object(L, e, r, &gp_format_phase) ||
          gp_loader_int(L, e, r, "teams", 1, 0, 100000, &d->teams[k]) ||
          gp_json_number_ex(L->doc, e, r, "days", 1, 0, 36500, GP_JSON_OPEN_MIN, &d->days[k],
                            L->err))
        return -1;
    }
  }
  return 0;
}

int gp_demand_load(gp_loader *L, const cJSON *root) {
  const cJSON *dm = cJSON_GetObjectItemCaseSensitive(root, "demand");
  if (!dm) return gp_json_fail(L->doc, root, "$", L->err, "expected key \"demand\", found none");
  if (gp_loader_object(L, dm, "demand", &gp_format_demand) || load_streams(L, dm) ||
      load_calls(L, dm) || load_designated(L, dm))
    return -1;
  if (L->s->nstreams + L->s->ncalls + L->s->ndesignated == 0)
    return gp_json_fail(
        L->doc, dm, "demand", L->err,
        "expected at least one of \"streams\", \"calls\", \"designated\", found none");
  return 0;
}
