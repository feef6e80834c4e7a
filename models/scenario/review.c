/*
 * models/scenario/review.c - "review" and "pricing": how the programme judges
 * proposals (screening, reviewers, interviews, committees, onboarding) and
 * what the projects it accepts pay (each sector's share of the market price)
 * and what electricity costs (KRW per kWh, optionally by year).
 *
 * Both blocks are optional: without them nothing is delayed, everything
 * passes, and everything is free.  Read before the demand, whose sources take
 * their default committee interval from "review".
 */
#include "models/scenario/loader_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/scenario/date.h"

static int load_review(gp_loader *L, const cJSON *root) {
  gp_review *r = &L->s->review;
  long long reviewers = 0, reviews = 1, slots = 0;
  gp_dist_constant(&r->screening_days, 0);
  gp_dist_constant(&r->review_days, 0);
  gp_dist_constant(&r->onboarding_days, 0);
  r->screening_pass = 1;
  r->interview_pass = 1;
  r->reviews = 1;
  const cJSON *rv = cJSON_GetObjectItemCaseSensitive(root, "review");
  if (!rv) return 0;
  if (gp_loader_object(L, rv, "review", &gp_format_review) ||
      gp_dist_read(L->doc, rv, "review", "screening_days", 0, 0, 3650, &r->screening_days,
                   L->err) ||
      gp_json_number(L->doc, rv, "review", "screening_pass", 0, 0, 1, &r->screening_pass, L->err) ||
      gp_json_int(L->doc, rv, "review", "reviewers", 0, 0, 1000000, &reviewers, L->err) ||
      gp_json_int(L->doc, rv, "review", "reviews_per_proposal", 0, 1, GP_MAX_REVIEWS, &reviews,
                  L->err) ||
      gp_dist_read(L->doc, rv, "review", "review_days", 0, 0, 3650, &r->review_days, L->err) ||
      gp_json_number(L->doc, rv, "review", "noise_sd", 0, 0, 1e6, &r->noise_sd, L->err) ||
      gp_json_int(L->doc, rv, "review", "interview_slots_per_day", 0, 0, 1000000, &slots, L->err) ||
      gp_json_number(L->doc, rv, "review", "interview_pass", 0, 0, 1, &r->interview_pass, L->err) ||
      gp_json_number(L->doc, rv, "review", "committee_every_days", 0, 0, 3650, &r->committee_every,
                     L->err) ||
      gp_dist_read(L->doc, rv, "review", "onboarding_days", 0, 0, 3650, &r->onboarding_days,
                   L->err))
    return -1;
  r->reviewers = (int)reviewers;
  r->reviews = (int)reviews;
  r->interview_slots = (int)slots;
  return 0;
}

/* "electricity_by_year": {"2027": 190, ...}: from 1 January of each year
 * on, its price (KRW per kWh); before the first year, the flat price. */
static int load_electricity(gp_loader *L, const cJSON *pr) {
  gp_scenario *s = L->s;
  s->nelectricity = 1;
  s->electricity_from[0] = -HUGE_VAL;
  s->electricity_krw[0] = 0;
  if (!pr) return 0;
  if (gp_json_number(L->doc, pr, "pricing", "electricity_krw_per_kwh", 0, 0, 1e5,
                     &s->electricity_krw[0], L->err))
    return -1;
  const cJSON *by = cJSON_GetObjectItemCaseSensitive(pr, "electricity_by_year");
  if (!by) return 0;
  const char *p = "pricing.electricity_by_year";
  if (gp_json_expect_object(L->doc, by, p, L->err)) return -1;
  for (const cJSON *it = by->child; it; it = it->next) {
    if (strcmp(it->string, "note") == 0) continue;
    char date[32];
    long day;
    size_t len = strlen(it->string);
    int digits = len == 4;
    for (size_t k = 0; digits && k < len; k++) digits = it->string[k] >= '0' && it->string[k] <= '9';
    snprintf(date, sizeof date, "%.4s-01-01", it->string);
    if (!digits || gp_date_parse(date, &day) != 0) {
      char q[GP_LOADER_PATHLEN];
      return gp_json_fail(L->doc, it, gp_json_path_key(q, sizeof q, p, it->string), L->err,
                          "expected a year YYYY in 1900-2199 as the key, found \"%s\"",
                          it->string);
    }
    double t = (double)(day - s->epoch_day), v;
    if (gp_json_number(L->doc, by, p, it->string, 1, 0, 1e5, &v, L->err)) return -1;
    /* Kept in order of the years (a key appears once: the JSON reader refuses repeats). */
    int k = s->nelectricity++;
    while (k > 1 && s->electricity_from[k - 1] > t) {
      s->electricity_from[k] = s->electricity_from[k - 1];
      s->electricity_krw[k] = s->electricity_krw[k - 1];
      k--;
    }
    s->electricity_from[k] = t;
    s->electricity_krw[k] = v;
  }
  return 0;
}

static int load_pricing(gp_loader *L, const cJSON *root) {
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(root, "pricing");
  for (int k = 0; k < GP_NSECTORS; k++) L->s->self_pay[k] = 0;
  if (pr && gp_loader_object(L, pr, "pricing", &gp_format_pricing)) return -1;
  if (load_electricity(L, pr)) return -1;
  if (!pr) return 0;
  const cJSON *sp = cJSON_GetObjectItemCaseSensitive(pr, "self_pay");
  if (!sp) return 0;
  if (gp_loader_object(L, sp, "pricing.self_pay", &gp_format_self_pay)) return -1;
  for (int k = 0; k < GP_NSECTORS; k++)
    if (gp_json_number(L->doc, sp, "pricing.self_pay", gp_sector_names[k], 0, 0, 1,
                       &L->s->self_pay[k], L->err))
      return -1;
  return 0;
}

int gp_review_load(gp_loader *L, const cJSON *root) {
  return load_review(L, root) || load_pricing(L, root) ? -1 : 0;
}
