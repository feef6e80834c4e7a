/*
 * models/scenario/format.c - the catalogue of the scenario format (see format.h).
 *
 * One table per object of the format.  To add a key: a line here, in the
 * place its error message should name it; then the line of the loader that
 * reads it.  tests/unit/test_format.c then demands it in scenarios/schema.json
 * and scenarios/README.md.
 *
 * Invariant: each object lists its keys in the order of the loader's
 * "expected one of the keys ..." messages (tests/bad/ checks some of them).
 */
#include "models/scenario/format.h"

#include <stddef.h>
#include <string.h>

#define END                                                                                        \
  { NULL, GP_FORMAT_NOTE, 0, NULL, NULL }
#define KEY(name, kind, flags)                                                                     \
  { name, GP_FORMAT_##kind, flags, NULL, NULL }
#define SUB(name, kind, flags, of)                                                                 \
  { name, GP_FORMAT_##kind, flags, &gp_format_##of, NULL }
#define SHARED(name)                                                                               \
  { name, GP_FORMAT_SHARED, 0, &gp_format_applicants, NULL }
#define NOTE KEY("note", NOTE, 0)
#define REQ GP_FORMAT_REQUIRED
#define ONE GP_FORMAT_ONE_OF

const char *const gp_format_units[] = {"server", "gpu", NULL};

/* ---- the top level ---- */

static const gp_format_key root_keys[] = {
    KEY("name", STRING, REQ),
    KEY("description", STRING, 0),
    KEY("extends", STRING, 0),
    KEY("epoch", DATE, REQ),
    KEY("end", DATE, REQ),
    KEY("measure_from", DATE, 0),
    KEY("seed", INTEGER, 0),
    KEY("replications", INTEGER, 0),
    SUB("gpu_types", LIST, REQ, gpu_type),
    SUB("pools", LIST, REQ, pool),
    SUB("roadmap", OBJECT, REQ, roadmap),
    SUB("demand", OBJECT, REQ, demand),
    SUB("review", OBJECT, 0, review),
    SUB("pricing", OBJECT, 0, pricing),
    SUB("policies", LIST, 0, policy),
    SUB("output", OBJECT, 0, output),
    SUB("sweep", LIST, 0, sweep),
    SUB("uncertain", LIST, 0, uncertain),
    SUB("calibration", OBJECT, 0, calibration),
    NOTE,
    KEY("assumptions", STRINGS, 0),
    END,
};
const gp_format_object gp_format_root = {"Top level", root_keys};

/* ---- supply: GPU types, pools, the roadmap ---- */

static const gp_format_key gpu_type_keys[] = {
    KEY("name", STRING, REQ),
    KEY("h100_equiv", NUMBER, 0),
    KEY("price_krw_per_gpu_hour", NUMBER, 0),
    KEY("power_kw", NUMBER, 0),
    KEY("idle_power_share", NUMBER, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_gpu_type = {"`gpu_types[]`", gpu_type_keys};

static const gp_format_key pool_keys[] = {
    KEY("name", STRING, REQ),
    {"unit", GP_FORMAT_ENUM, 0, NULL, gp_format_units},
    NOTE,
    END,
};
const gp_format_object gp_format_pool = {"`pools[]`", pool_keys};

static const gp_format_key roadmap_keys[] = {
    SUB("tranches", LIST, REQ, tranche),
    SUB("target", OBJECT, 0, target),
    NOTE,
    END,
};
const gp_format_object gp_format_roadmap = {"`roadmap`", roadmap_keys};

static const gp_format_key target_keys[] = {
    KEY("gpus", NUMBER, REQ),
    KEY("date", DATE, REQ),
    NOTE,
    END,
};
const gp_format_object gp_format_target = {"`roadmap`", target_keys};

static const gp_format_key tranche_keys[] = {
    KEY("name", STRING, REQ),
    KEY("provider", STRING, 0),
    KEY("gpu_type", STRING, REQ),
    KEY("pool", STRING, REQ),
    KEY("nodes", INTEGER, REQ),
    KEY("government_nodes", INTEGER, 0),
    KEY("gpus_per_node", INTEGER, REQ),
    KEY("online", DATE, REQ),
    KEY("slip_days", RANDOM, 0),
    KEY("ramp_days", NUMBER, 0),
    KEY("end", DATE, 0),
    SUB("failures", OBJECT, 0, failures),
    KEY("pue", NUMBER, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_tranche = {"`roadmap`", tranche_keys};

static const gp_format_key failures_keys[] = {
    KEY("mtbf_days", NUMBER, REQ),
    KEY("repair_days", RANDOM, REQ),
    NOTE,
    END,
};
const gp_format_object gp_format_failures = {"`roadmap`", failures_keys};

/* ---- demand ---- */

static const gp_format_key demand_keys[] = {
    SUB("streams", LIST, 0, stream),
    SUB("calls", LIST, 0, call),
    SUB("designated", LIST, 0, designated),
    NOTE,
    END,
};
const gp_format_object gp_format_demand = {"`demand`", demand_keys};

/* What the proposals of a call or a stream look like: keys both take. */
static const gp_format_key applicant_keys[] = {
    KEY("gpu_type", STRING, ONE),
    SUB("gpu_types", LIST, ONE, type_entry),
    KEY("max_units", INTEGER, 0),
    KEY("interview_from", INTEGER, 0),
    SUB("sector_mix", OBJECT, REQ, sector_mix),
    KEY("servers", RANDOM, ONE),
    KEY("gpus", RANDOM, ONE),
    KEY("duration_days", RANDOM, ONE),
    KEY("months", RANDOM, ONE),
    KEY("quality", RANDOM, 0),
    KEY("use_fraction", RANDOM, 0),
    KEY("withdraw_probability", NUMBER, 0),
    KEY("organisations", INTEGER, 0),
    KEY("capital_share", NUMBER, 0),
    SUB("resubmit", OBJECT, 0, resubmit),
    SUB("renew", OBJECT, 0, renew),
    END,
};
const gp_format_object gp_format_applicants = {"the applicants", applicant_keys};

static const gp_format_key type_entry_keys[] = {
    KEY("name", STRING, REQ),
    KEY("share", NUMBER, 0),
    KEY("max_units", INTEGER, 0),
    KEY("interview_from", INTEGER, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_type_entry = {"the applicants", type_entry_keys};

/* Returning applicants (issue 21, item 3). */
static const gp_format_key resubmit_keys[] = {
    KEY("probability", NUMBER, REQ),
    KEY("improvement", NUMBER, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_resubmit = {"Returning applicants", resubmit_keys};

static const gp_format_key renew_keys[] = {
    KEY("probability", NUMBER, REQ),
    KEY("improvement", NUMBER, 0),
    KEY("max_renewals", INTEGER, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_renew = {"Returning applicants", renew_keys};

/* The sectors of models/vocab/vocab.h, in its order (test_format.c checks). */
static const gp_format_key sector_mix_keys[] = {
    KEY("industry", NUMBER, 0),
    KEY("startup", NUMBER, 0),
    KEY("academia", NUMBER, 0),
    KEY("research", NUMBER, 0),
    KEY("national", NUMBER, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_sector_mix = {"the applicants", sector_mix_keys};

/* The GPU types asked for, then the applicant keys, in both kinds of source. */
#define TYPE_KEYS                                                                                  \
  SHARED("gpu_type"), SHARED("gpu_types"), SHARED("max_units"), SHARED("interview_from")
#define APPLICANT_KEYS                                                                             \
  SHARED("sector_mix"), SHARED("servers"), SHARED("gpus"), SHARED("duration_days"),                \
      SHARED("months"), SHARED("quality"), SHARED("use_fraction"), SHARED("withdraw_probability"), \
      SHARED("organisations"), SHARED("capital_share"), SHARED("resubmit"), SHARED("renew")

static const gp_format_key stream_keys[] = {
    KEY("name", STRING, REQ),
    KEY("pool", STRING, REQ),
    TYPE_KEYS,
    KEY("start", DATE, 0),
    KEY("end", DATE, 0),
    KEY("rate_per_day", NUMBER, REQ),
    KEY("growth_per_year", NUMBER, 0),
    KEY("capacity", MAP, 0),
    KEY("committee_every_days", NUMBER, 0),
    APPLICANT_KEYS,
    NOTE,
    END,
};
const gp_format_object gp_format_stream = {"`streams[]`", stream_keys};

static const gp_format_key call_keys[] = {
    KEY("name", STRING, REQ),
    KEY("pool", STRING, REQ),
    TYPE_KEYS,
    KEY("open", DATE, REQ),
    KEY("close", DATE, REQ),
    KEY("proposals", NUMBER, REQ),
    KEY("pile_up", NUMBER, 0),
    KEY("capacity", MAP, 0),
    KEY("committees", DATES, 0),
    KEY("committee_every_days", NUMBER, 0),
    KEY("supply_from", DATE, 0),
    KEY("max_months", NUMBER, 0),
    KEY("free_of_charge", BOOL, 0),
    APPLICANT_KEYS,
    NOTE,
    END,
};
const gp_format_object gp_format_call = {"`calls[]`", call_keys};

static const gp_format_key designated_keys[] = {
    KEY("name", STRING, REQ),
    KEY("pool", STRING, REQ),
    KEY("gpu_type", STRING, REQ),
    KEY("sector", SECTOR, REQ),
    KEY("servers", INTEGER, ONE),
    KEY("gpus", INTEGER, ONE),
    KEY("start", DATE, REQ),
    SUB("phases", LIST, REQ, phase),
    KEY("use_fraction", RANDOM, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_designated = {"`designated[]`", designated_keys};

static const gp_format_key phase_keys[] = {
    KEY("teams", INTEGER, REQ),
    KEY("days", NUMBER, REQ),
    NOTE,
    END,
};
const gp_format_object gp_format_phase = {"`designated[]`", phase_keys};

/* ---- the review process and prices ---- */

static const gp_format_key review_keys[] = {
    KEY("screening_days", RANDOM, 0),
    KEY("screening_pass", NUMBER, 0),
    KEY("reviewers", INTEGER, 0),
    KEY("reviews_per_proposal", INTEGER, 0),
    KEY("review_days", RANDOM, 0),
    KEY("noise_sd", NUMBER, 0),
    KEY("interview_slots_per_day", INTEGER, 0),
    KEY("interview_pass", NUMBER, 0),
    KEY("committee_every_days", NUMBER, 0),
    KEY("onboarding_days", RANDOM, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_review = {"`review`", review_keys};

static const gp_format_key pricing_keys[] = {
    SUB("self_pay", OBJECT, 0, self_pay),
    KEY("electricity_krw_per_kwh", NUMBER, 0),
    KEY("electricity_by_year", MAP, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_pricing = {"`pricing`", pricing_keys};

/* The sectors again (test_format.c checks). */
static const gp_format_key self_pay_keys[] = {
    KEY("industry", NUMBER, 0),
    KEY("startup", NUMBER, 0),
    KEY("academia", NUMBER, 0),
    KEY("research", NUMBER, 0),
    KEY("national", NUMBER, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_self_pay = {"`pricing`", self_pay_keys};

/* ---- policies, output, sweeps ---- */

static const gp_format_key policy_keys[] = {
    KEY("name", STRING, REQ),
    KEY("selection", SELECTION, 0),
    KEY("scheduling", SCHEDULING, 0),
    KEY("params", MAP, 0),
    SUB("reclaim", OBJECT, 0, reclaim),
    NOTE,
    END,
};
const gp_format_object gp_format_policy = {"`policies[]`", policy_keys};

static const gp_format_key reclaim_keys[] = {
    KEY("at", NUMBER, 0), KEY("below_use", NUMBER, 0), KEY("take", NUMBER, 0),
    SUB("calendar", LIST, 0, reclaim_date), NOTE, END,
};
const gp_format_object gp_format_reclaim = {"`policies[]`", reclaim_keys};

static const gp_format_key reclaim_date_keys[] = {
    KEY("date", DATE, REQ),     KEY("below_use", NUMBER, REQ), KEY("take", NUMBER, REQ),
    KEY("min_days", NUMBER, 0), NOTE,                          END,
};
const gp_format_object gp_format_reclaim_date = {"`reclaim.calendar[]`", reclaim_date_keys};

static const gp_format_key output_keys[] = {
    KEY("detail_replications", INTEGER, 0),
    KEY("sample_every_days", NUMBER, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_output = {"`output`", output_keys};

static const gp_format_key sweep_keys[] = {
    KEY("path", STRING, REQ),
    KEY("values", VALUES, REQ),
    NOTE,
    END,
};
const gp_format_object gp_format_sweep = {"`sweep[]`", sweep_keys};

static const gp_format_key uncertain_keys[] = {
    KEY("path", STRING, REQ),
    KEY("dist", RANDOM, REQ),
    KEY("note", STRING, REQ),
    KEY("group", STRING, 0),
    END,
};
const gp_format_object gp_format_uncertain = {"`uncertain[]`", uncertain_keys};

/* ---- calibration (models/scenario/calibration.c) ---- */

static const gp_format_key calibration_keys[] = {
    SUB("unknowns", LIST, REQ, cal_unknown),
    SUB("targets", LIST, REQ, cal_target),
    NOTE,
    END,
};
const gp_format_object gp_format_calibration = {"`calibration`", calibration_keys};

static const gp_format_key cal_unknown_keys[] = {
    KEY("path", STRING, REQ),
    KEY("min", NUMBER, REQ),
    KEY("max", NUMBER, REQ),
    KEY("integer", BOOL, 0),
    KEY("prior", RANDOM, 0),
    NOTE,
    END,
};
const gp_format_object gp_format_cal_unknown = {"`calibration.unknowns[]`", cal_unknown_keys};

static const gp_format_key cal_target_keys[] = {
    KEY("source", STRING, REQ),
    KEY("metric", STRING, REQ),
    KEY("value", NUMBER, REQ),
    KEY("sd", NUMBER, REQ),
    KEY("note", STRING, REQ),
    END,
};
const gp_format_object gp_format_cal_target = {"`calibration.targets[]`", cal_target_keys};

/* ---- use ---- */

int gp_format_check(const gp_json *doc, const cJSON *obj, const char *path,
                    const gp_format_object *format, gp_err *err) {
  const char *names[GP_FORMAT_MAX_KEYS + 1];
  int n = 0;
  for (const gp_format_key *k = format->keys; k->name; k++) {
    if (n == GP_FORMAT_MAX_KEYS)
      return GP_ERR(err, GP_EX_SOFTWARE, "%s: more than %d keys in the format", path,
                    GP_FORMAT_MAX_KEYS);
    names[n++] = k->name;
  }
  names[n] = NULL;
  return gp_json_check_keys(doc, obj, path, names, err);
}

const gp_format_key *gp_format_find(const gp_format_object *format, const char *name) {
  for (const gp_format_key *k = format->keys; k->name; k++)
    if (strcmp(k->name, name) == 0)
      return k->kind == GP_FORMAT_SHARED ? gp_format_find(k->of, name) : k;
  return NULL;
}
