/*
 * models/scenario/review.c - "review" and "pricing": how the programme judges
 * proposals (screening, reviewers, interviews, committees, onboarding) and
 * what the projects it accepts pay (each sector's share of the market price).
 *
 * Both blocks are optional: without them nothing is delayed, everything
 * passes, and everything is free.  Read before the demand, whose sources take
 * their default committee interval from "review".
 */
#include "models/scenario/loader_int.h"

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

static int load_pricing(gp_loader *L, const cJSON *root) {
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(root, "pricing");
  for (int k = 0; k < GP_NSECTORS; k++) L->s->self_pay[k] = 0;
  if (!pr) return 0;
  if (gp_loader_object(L, pr, "pricing", &gp_format_pricing)) return -1;
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
