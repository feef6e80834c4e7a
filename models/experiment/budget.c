/*
 * models/experiment/budget.c - the memory a run needs, estimated up front (see
 * budget.h).
 *
 * Invariant: the estimate only adds up sizes of structs a run really keeps
 * (sizeof, not guesses), so it never exceeds what a run allocates for them;
 * every count is a double, so absurd scenarios give huge (or infinite)
 * estimates rather than wrapped integers.
 */
#include "models/experiment/budget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "models/run/run.h"

#define PATHLEN 256

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

static int default_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 && n < 1 << 20 ? (int)n : 1;
}

void gp_budget_estimate(const gp_scenario *s, int threads, gp_budget *b) {
  memset(b, 0, sizeof *b);
  b->top_kind = b->top_index = -1;
  int no = gp_scenario_norigins(s);
  for (int o = 0; o < no; o++) {
    double n = gp_budget_source_proposals(s, o);
    b->proposals += n;
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
  int reps = s->replications > 0 ? s->replications : 1;
  b->threads = threads > 0 ? threads : default_threads();
  if (b->threads > reps) b->threads = reps;
  b->detail_reps = s->detail_reps < 0 || s->detail_reps > reps ? reps : s->detail_reps;
  double pol = s->npolicies > 0 ? s->npolicies : 1, det = b->detail_reps;
  double series = (double)gp_run_nseries(s) * (double)gp_run_nsamples(s) * sizeof(double);
  b->work_bytes = b->threads * (b->proposals * (double)(sizeof(gp_wprop) + gp_runner_proposal_bytes()) +
                                (det > 0 ? series : 0));
  b->rows_bytes = det * pol * b->proposals * (double)sizeof(gp_proposal_row);
  b->series_bytes = det * pol * series;
  b->summary_bytes =
      reps * pol * ((double)sizeof(gp_summary_row) + no * (double)sizeof(gp_call_row)) +
      reps * (double)sizeof(gp_roadmap_row);
  b->total_bytes = b->work_bytes + b->rows_bytes + b->series_bytes + b->summary_bytes;
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

int gp_budget_check(const gp_scenario *s, int threads, double memory, gp_err *err) {
  gp_budget b;
  gp_budget_estimate(s, threads, &b);
  int too_many = !(b.proposals <= GP_BUDGET_MAX_PROPOSALS);
  int too_big = memory > 0 && !(b.total_bytes <= memory);
  if (!too_many && !too_big) return 0;
  char path[PATHLEN], found[64], need[48], have[48], part[48], msg[512];
  const cJSON *node = NULL;
  double share = b.proposals > 0 ? 100 * b.top_proposals / b.proposals : 0;
  if (!(share <= 100)) share = 100; /* infinite counts */
  gp_budget_format(need, sizeof need, b.total_bytes);
  gp_budget_format(have, sizeof have, memory);
  double by_proposals = b.work_bytes + b.rows_bytes;
  if (too_many ||
      (b.top_index >= 0 && by_proposals >= b.series_bytes && by_proposals >= b.summary_bytes)) {
    node = source_key(s, &b, path, sizeof path);
    if (too_many)
      snprintf(msg, sizeof msg,
               "expected at most %g proposals per replication in all (a run numbers them with "
               "32-bit ids; "
               "this scenario expects %.3g, %.0f%% of them from here)",
               GP_BUDGET_MAX_PROPOSALS, b.proposals, share);
    else
      snprintf(msg, sizeof msg,
               "expected a scenario whose run fits in this machine's memory (%s; a run needs about "
               "%s for "
               "%.3g proposals per replication, %.0f%% of them from here, with %d of %d "
               "replications detailed)",
               have, need, b.proposals, share, b.detail_reps, s->replications);
  } else if (b.series_bytes >= b.summary_bytes) {
    static const char *const keys[] = {"output.sample_every_days", "output.detail_replications",
                                       "replications", NULL};
    node = first_key(s, keys, path, sizeof path);
    snprintf(
        msg, sizeof msg,
        "expected a scenario whose run fits in this machine's memory (%s; a run needs about %s, %s "
        "of it "
        "for time series of %zu samples x %zu series x %d detailed replications x %d policies)",
        have, need, gp_budget_format(part, sizeof part, b.series_bytes), gp_run_nsamples(s),
        gp_run_nseries(s), b.detail_reps, s->npolicies);
  } else {
    static const char *const keys[] = {"replications", NULL};
    node = first_key(s, keys, path, sizeof path);
    snprintf(msg, sizeof msg,
             "expected a scenario whose run fits in this machine's memory (%s; a run needs about "
             "%s, %s of it "
             "for summary rows of %d replications x %d policies x %d demand sources)",
             have, need, gp_budget_format(part, sizeof part, b.summary_bytes), s->replications,
             s->npolicies, gp_scenario_norigins(s));
  }
  if (!node) node = gp_json_root(s->doc);
  return gp_json_fail(s->doc, node, path, err, "%s, found %s", msg,
                      gp_json_describe(node, found, sizeof found));
}
