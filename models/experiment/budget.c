/*
 * models/experiment/budget.c - the memory a run needs, estimated up front (see
 * budget.h).
 *
 * Invariant: the estimate only adds up what a run holds at once - sizes of
 * the structs it keeps (sizeof where they are exported; the constants below
 * where they are the run's own), times how many it keeps - so it never
 * exceeds what a run needs for them; tests/unit/test_budget.c measures runs
 * of several kinds against it, both ways (issue 16, item 10: 239 bytes a
 * proposal were counted where a run held 339, and node failures not at
 * all).  Every count is a double, so absurd scenarios give huge (or
 * infinite) estimates rather than wrapped integers.
 */
#include "models/experiment/budget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "models/rules/rule.h"
#include "models/run/run.h"
#include "models/world/world.h"
#include "sim/par.h"

#define PATHLEN 256

/* What a replication in flight holds besides a proposal's records in the
 * world (gp_wprop) and in the run (gp_runner_proposal_bytes): the world's
 * record of the review pipeline (models/world/pipeline.h), when it makes
 * one (gp_world_records_pipeline; else each run plays the pipeline, holding
 * little more than a pending event for some proposals), keeps an entry per event
 * (submission, screening, each review of a proposal that passes screening
 * and does not withdraw), an effect for its submission and one for its
 * outcome (handed to its committee or turned down, unless it withdraws),
 * and a flag; the world groups every proposal by organisation
 * (models/world/orgs.h: a place per proposal); a proposal that will
 * withdraw has a pending kernel event in every run (its record, gp_kev, is
 * the run's own: WITHDRAWAL_BYTES); its reviewers' times are the world's
 * (REVIEW_BYTES: gp_world.review_days); when
 * a policy ranks by score the world keeps the ranking (models/world/
 * ranking.h: a place and a proposal per proposal); a node failure is two
 * moments (models/world/failures.h: it and its repair) and who it hit (in
 * the runner).  Counted so as never to exceed what a run holds (a floor);
 * tests/unit/test_budget.c measures runs of each kind. */
#define PIPE_ENTRY_BYTES ((double)sizeof(gp_pentry))
#define PIPE_EFFECT_BYTES ((double)sizeof(gp_peff))
#define FLAG_BYTES 1.0 /* gp_pipeline.reviewed */
#define ORGS_BYTES ((double)sizeof(uint32_t)) /* gp_orgs.by_org */
#define REVIEW_BYTES(s) ((double)(s)->review.reviews * sizeof(float)) /* gp_world.review_days */
#define WITHDRAWAL_BYTES 24.0
#define RANKING_BYTES (2.0 * sizeof(uint32_t))
#define FAILURE_BYTES (2.0 * sizeof(gp_moment) + sizeof(uint32_t))

double gp_budget_source_proposals(const gp_scenario *s, int o) {
  if (o < 0) return 0;
  if (o < s->ncalls) return s->calls[o].proposals;
  o -= s->ncalls;
  if (o < s->nstreams) {
    /* The integral of rate x (1 + g)^((t - start) / 365) over [start, end]
     * (models/world/world.c draws arrivals from this intensity). */
    const gp_stream *st = &s->streams[o];
    double days = st->end - st->start, g = st->growth_per_year;
    if (g == 0) return st->rate_per_day * days;
    double lb = log1p(g) / 365.0;
    return st->rate_per_day * expm1(lb * days) / lb;
  }
  o -= s->nstreams;
  if (o < s->ndesignated) {
    const gp_designated *d = &s->designated[o];
    double n = 0, t = d->start;
    for (int ph = 0; ph < d->nphases; ph++) {
      if (t < s->end) n += d->teams[ph];
      t += d->days[ph];
    }
    return n;
  }
  return 0;
}

/* 1 when a policy of S ranks proposals by score: the world then keeps the
 * ranking (models/world/world.c). */
static int ranks_by_score(const gp_scenario *s) {
  for (int p = 0; p < s->npolicies; p++)
    if (s->policies[p].selection->by_score) return 1;
  return 0;
}

double gp_budget_proposal_bytes(const gp_scenario *s, int o) {
  double bytes =
      (double)(sizeof(gp_wprop) + gp_runner_proposal_bytes()) + REVIEW_BYTES(s) + ORGS_BYTES;
  const gp_applicants *a = gp_scenario_origin_applicants(s, o);
  if (!a) return bytes; /* a designation: no review, no withdrawal, no ranking */
  double stays = 1 - a->withdraw_probability;
  if (gp_world_records_pipeline(s))
    bytes += (2 + s->review.screening_pass * stays * s->review.reviews) * PIPE_ENTRY_BYTES +
             (1 + stays) * PIPE_EFFECT_BYTES + FLAG_BYTES;
  bytes += a->withdraw_probability * WITHDRAWAL_BYTES;
  if (ranks_by_score(s)) bytes += RANKING_BYTES;
  return bytes;
}

double gp_budget_tranche_failures(const gp_scenario *s, int t) {
  const gp_tranche *tr = &s->tranches[t];
  if (!(tr->mtbf_days > 0)) return 0;
  /* Node-days under agreement, nodes coming online over the ramp after the
   * slip; each node fails once per cycle of MTBF and repair. */
  double from = tr->online + gp_dist_mean(&tr->slip) + tr->ramp_days / 2;
  double until = tr->end < s->end ? tr->end : s->end;
  double days = until > from ? until - from : 0;
  return tr->gov_nodes * days / (tr->mtbf_days + gp_dist_mean(&tr->repair_days));
}

double gp_budget_failure_bytes(void) { return FAILURE_BYTES; }

void gp_budget_estimate_reps(const gp_scenario *s, int threads, int reps, gp_budget *b) {
  memset(b, 0, sizeof *b);
  b->top_kind = b->top_index = b->top_tranche = -1;
  int no = gp_scenario_norigins(s);
  double prop_bytes = 0;
  for (int o = 0; o < no; o++) {
    double n = gp_budget_source_proposals(s, o);
    b->proposals += n;
    prop_bytes += n * gp_budget_proposal_bytes(s, o);
    if (b->top_index < 0 || n > b->top_proposals) {
      b->top_proposals = n;
      b->top_kind = o < s->ncalls                 ? GP_ORIGIN_CALL
                    : o < s->ncalls + s->nstreams ? GP_ORIGIN_STREAM
                                                  : GP_ORIGIN_DESIGNATED;
      b->top_index = b->top_kind == GP_ORIGIN_CALL     ? o
                     : b->top_kind == GP_ORIGIN_STREAM ? o - s->ncalls
                                                       : o - s->ncalls - s->nstreams;
    }
  }
  for (int t = 0; t < s->ntranches; t++) {
    double f = gp_budget_tranche_failures(s, t);
    b->failures += f;
    if (f > 0 && (b->top_tranche < 0 || f > b->top_failures)) {
      b->top_tranche = t;
      b->top_failures = f;
    }
  }
  if (reps < s->replications) reps = s->replications;
  if (reps < 1) reps = 1;
  b->reps = reps;
  b->threads = threads > 0 ? threads : gp_par_cores();
  if (b->threads > reps) b->threads = reps;
  b->detail_reps = s->detail_reps < 0 || s->detail_reps > reps ? reps : s->detail_reps;
  double pol = s->npolicies > 0 ? s->npolicies : 1, det = b->detail_reps;
  double series = (double)gp_run_nseries(s) * (double)gp_run_nsamples(s) * sizeof(double);
  b->failure_bytes = b->threads * b->failures * FAILURE_BYTES;
  b->work_bytes = b->threads * (prop_bytes + (det > 0 ? series : 0)) + b->failure_bytes;
  b->rows_bytes = det * pol * b->proposals * (double)sizeof(gp_proposal_row);
  b->series_bytes = det * pol * series;
  b->summary_bytes =
      reps * pol * ((double)sizeof(gp_summary_row) + no * (double)sizeof(gp_call_row)) +
      reps * ((double)sizeof(gp_roadmap_row) + s->ntranches * (double)sizeof(double)) + det * pol * (double)sizeof(gp_run_out);
  b->total_bytes = b->work_bytes + b->rows_bytes + b->series_bytes + b->summary_bytes;
}

void gp_budget_estimate(const gp_scenario *s, int threads, gp_budget *b) {
  gp_budget_estimate_reps(s, threads, s->replications, b);
}

double gp_budget_machine_bytes(void) {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0 ? (double)pages * (double)size : 0;
}

const char *gp_budget_format(char *buf, size_t size, double bytes) {
  static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (!(bytes < 1e300)) {
    snprintf(buf, size, "more than 1e+300 bytes");
    return buf;
  }
  int k = 0;
  while (bytes >= 1024 && k < 6) {
    bytes /= 1024;
    k++;
  }
  if (k == 0)
    snprintf(buf, size, "%.0f bytes", bytes);
  else if (bytes < 1e4)
    snprintf(buf, size, "%.1f %s", bytes, units[k]);
  else
    snprintf(buf, size, "%.3g %s", bytes, units[k]);
  return buf;
}

/* The member KEY of OBJ (NULL when OBJ is not an object or lacks it). */
static const cJSON *member(const cJSON *obj, const char *key) {
  return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

/* The key that sets how many proposals the source B->top_* expects: a
 * call's "proposals", a stream's "rate_per_day" (its "growth_per_year" when
 * growth multiplies the count more than tenfold), a designation's "phases". */
static const cJSON *source_key(const gp_scenario *s, const gp_budget *b, char *path, size_t size) {
  static const char *const lists[] = {"calls", "streams", "designated"};
  const cJSON *src = cJSON_GetArrayItem(
      member(member(gp_json_root(s->doc), "demand"), lists[b->top_kind]), b->top_index);
  const char *key = "proposals";
  if (b->top_kind == GP_ORIGIN_STREAM) {
    const gp_stream *st = &s->streams[b->top_index];
    double flat = st->rate_per_day * (st->end - st->start);
    key = member(src, "growth_per_year") && b->top_proposals > 10 * flat ? "growth_per_year"
                                                                         : "rate_per_day";
  } else if (b->top_kind == GP_ORIGIN_DESIGNATED) {
    key = "phases";
  }
  snprintf(path, size, "demand.%s[%d].%s", lists[b->top_kind], b->top_index, key);
  return member(src, key);
}

/* The first of KEYS (paths of at most two levels, "a.b") present in the
 * scenario; its path goes to PATH.  NULL (and PATH "$") when none is. */
static const cJSON *first_key(const gp_scenario *s, const char *const *keys, char *path,
                              size_t size) {
  const cJSON *root = gp_json_root(s->doc);
  for (int i = 0; keys[i]; i++) {
    char first[64];
    const char *dot = strchr(keys[i], '.');
    size_t n = dot ? (size_t)(dot - keys[i]) : strlen(keys[i]);
    snprintf(first, sizeof first, "%.*s", (int)n, keys[i]);
    const cJSON *v = member(root, first);
    if (v && dot) v = member(v, dot + 1);
    if (v) {
      snprintf(path, size, "%s", keys[i]);
      return v;
    }
  }
  snprintf(path, size, "$");
  return NULL;
}

/* The key of tranche B->top_tranche that sets its failures: its MTBF. */
static const cJSON *failure_key(const gp_scenario *s, const gp_budget *b, char *path,
                                size_t size) {
  const cJSON *tr = cJSON_GetArrayItem(member(member(gp_json_root(s->doc), "roadmap"), "tranches"),
                                       b->top_tranche);
  snprintf(path, size, "roadmap.tranches[%d].failures.mtbf_days", b->top_tranche);
  return member(member(tr, "failures"), "mtbf_days");
}

/* Fail for S, whose run B describes, needing NEED bytes where MEMORY are
 * (TOO_MANY: too many proposals, whatever the memory), at the key most
 * responsible; MORE ("" or "; ...") ends the parenthesis. */
static int refuse(const gp_scenario *s, const gp_budget *b, double need_bytes, double memory,
                  int too_many, const char *more, gp_err *err) {
  char path[PATHLEN], found[64], need[48], have[48], part[48], msg[640];
  const cJSON *node = NULL;
  double share = b->proposals > 0 ? 100 * b->top_proposals / b->proposals : 0;
  if (!(share <= 100)) share = 100; /* infinite counts */
  gp_budget_format(need, sizeof need, need_bytes);
  gp_budget_format(have, sizeof have, memory);
  double by_proposals = b->work_bytes - b->failure_bytes + b->rows_bytes;
  double by_failures = b->failure_bytes;
  if (!too_many && b->top_tranche >= 0 && by_failures >= by_proposals &&
      by_failures >= b->series_bytes && by_failures >= b->summary_bytes) {
    node = failure_key(s, b, path, sizeof path);
    double fshare = b->failures > 0 ? 100 * b->top_failures / b->failures : 0;
    snprintf(msg, sizeof msg,
             "expected a scenario whose run fits in this machine's memory (%s; a run needs about "
             "%s, %s of it for %.3g node failures per replication, %.0f%% of them from here%s)",
             have, need, gp_budget_format(part, sizeof part, by_failures), b->failures,
             fshare <= 100 ? fshare : 100, more);
  } else if (too_many || (b->top_index >= 0 && by_proposals >= b->series_bytes &&
                          by_proposals >= b->summary_bytes)) {
    node = source_key(s, b, path, sizeof path);
    if (too_many)
      snprintf(msg, sizeof msg,
               "expected at most %g proposals per replication in all (a run numbers them with "
               "32-bit ids; "
               "this scenario expects %.3g, %.0f%% of them from here)",
               GP_BUDGET_MAX_PROPOSALS, b->proposals, share);
    else
      snprintf(msg, sizeof msg,
               "expected a scenario whose run fits in this machine's memory (%s; a run needs about "
               "%s for "
               "%.3g proposals per replication, %.0f%% of them from here, with %d of %d "
               "replications detailed%s)",
               have, need, b->proposals, share, b->detail_reps, b->reps, more);
  } else if (b->series_bytes >= b->summary_bytes) {
    static const char *const keys[] = {"output.sample_every_days", "output.detail_replications",
                                       "replications", NULL};
    node = first_key(s, keys, path, sizeof path);
    snprintf(
        msg, sizeof msg,
        "expected a scenario whose run fits in this machine's memory (%s; a run needs about %s, %s "
        "of it "
        "for time series of %zu samples x %zu series x %d detailed replications x %d policies%s)",
        have, need, gp_budget_format(part, sizeof part, b->series_bytes), gp_run_nsamples(s),
        gp_run_nseries(s), b->detail_reps, s->npolicies, more);
  } else {
    static const char *const keys[] = {"replications", NULL};
    node = first_key(s, keys, path, sizeof path);
    snprintf(msg, sizeof msg,
             "expected a scenario whose run fits in this machine's memory (%s; a run needs about "
             "%s, %s of it "
             "for summary rows of %d replications x %d policies x %d demand sources%s)",
             have, need, gp_budget_format(part, sizeof part, b->summary_bytes), b->reps,
             s->npolicies, gp_scenario_norigins(s), more);
  }
  if (!node) node = gp_json_root(s->doc);
  return gp_json_fail(s->doc, node, path, err, "%s, found %s", msg,
                      gp_json_describe(node, found, sizeof found));
}

int gp_budget_check(const gp_scenario *s, int threads, double memory, gp_err *err) {
  gp_budget b;
  gp_budget_estimate(s, threads, &b);
  int too_many = !(b.proposals <= GP_BUDGET_MAX_PROPOSALS);
  int too_big = memory > 0 && !(b.total_bytes <= memory);
  if (!too_many && !too_big) return 0;
  return refuse(s, &b, b.total_bytes, memory, too_many, "", err);
}

int gp_budget_check_plan(const gp_plan *pl, int threads, int cap_reps, double memory,
                         gp_err *err) {
  /* Points run in turn: the most work of any at once; their results all
   * stay until the file is written. */
  double work = 0, kept = 0, worst = -1;
  int blame = -1;
  for (int k = 0; k < pl->npoints; k++) {
    const gp_scenario *s = pl->points[k].s;
    gp_budget b;
    gp_budget_estimate_reps(s, threads, cap_reps, &b);
    if (!(b.proposals <= GP_BUDGET_MAX_PROPOSALS)) return refuse(s, &b, b.total_bytes, memory, 1, "", err);
    if (b.work_bytes > work || !(b.work_bytes <= work)) work = b.work_bytes;
    kept += b.rows_bytes + b.series_bytes + b.summary_bytes;
    if (!(b.total_bytes <= worst)) {
      worst = b.total_bytes;
      blame = k;
    }
  }
  double need = work + kept;
  if (blame < 0 || memory <= 0 || need <= memory) return 0;
  const gp_scenario *s = pl->points[blame].s;
  gp_budget b;
  gp_budget_estimate_reps(s, threads, cap_reps, &b);
  char more[160] = "", each[48];
  if (pl->npoints > 1)
    snprintf(more, sizeof more,
             "; %d sweep points, whose results all stay in memory until the file is written: "
             "this one needs %s",
             pl->npoints, gp_budget_format(each, sizeof each, b.total_bytes));
  return refuse(s, &b, need, memory, 0, more, err);
}

/* ---- issues 18, 22: the world cache of a design's workers ---- */

/* Bytes the cache keeps of source O's return draws per proposal of it
 * (models/world/world.c's draw_returns; 0 when its applicants never
 * return): the proposal's record and its expected candidates, each a
 * proposal and a record.  A proposal returns as a candidate, and that one
 * again, while a uniform falls under its pool's largest probabilities
 * (q = 1 - (1 - resubmit)(1 - renew)), at most once per call of its pool
 * closing after it was submitted: q + q^2 + ... + q^calls candidates, calls
 * those closing after the source opens (a bound: later proposals have
 * fewer). */
static double wcache_return_bytes(const gp_scenario *s, int o) {
  const gp_applicants *a = gp_scenario_origin_applicants(s, o);
  if (!a || !(a->resubmit_probability > 0 || a->renew_probability > 0)) return 0;
  int pool = gp_scenario_origin_pool(s, o), calls = 0;
  double from = o < s->ncalls ? s->calls[o].open : s->streams[o - s->ncalls].start;
  for (int c = 0; c < s->ncalls; c++) calls += s->calls[c].pool == pool && s->calls[c].close > from;
  double pres, pren;
  gp_scenario_pool_returns(s, pool, &pres, &pren);
  double q = 1 - (1 - pres) * (1 - pren), cand = 0, qd = 1;
  for (int d = 0; d < calls; d++) cand += (qd *= q);
  return (double)sizeof(gp_wreturn) +
         cand * ((double)(sizeof(gp_wprop) + sizeof(gp_wreturn)) + REVIEW_BYTES(s));
}

double gp_budget_wcache_bytes(const gp_scenario *s, int reps) {
  double bytes = 0, fails = 0;
  for (int o = 0; o < gp_scenario_norigins(s); o++)
    bytes += gp_budget_source_proposals(s, o) *
             ((double)sizeof(gp_wprop) + REVIEW_BYTES(s) + wcache_return_bytes(s, o));
  for (int t = 0; t < s->ntranches; t++) fails += gp_budget_tranche_failures(s, t);
  /* A failure and its repair: two moments (failures.h). */
  return reps * (bytes + fails * 2.0 * (double)sizeof(gp_moment) +
                 3.0 * s->ntranches * (double)sizeof(double));
}
