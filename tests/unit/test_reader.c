/*
 * tests/unit/test_reader.c - the result reader (analysis/reader.c) on small
 * files written here with models/results/h5out: the sweep point and its
 * errors, the scenario and root attributes, policies and summaries,
 * statistics recomputed and as stored, tables, the roadmap, time series;
 * format versions (a version-1 file's -1 read as never, NaN; a later
 * version refused); an unreadable optional attribute; the stop flag (SIGINT/SIGTERM) through
 * the reader, compare, export and plot.
 *
 * Files go to a mkdtemp directory in /tmp, removed at the end.
 */
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "analysis/export.h"
#include "analysis/plot.h"
#include "analysis/reader.h"
#include "models/results/h5out.h"
#include "models/scenario/date.h"
#include "sim/interrupt.h"
#include "tests/test.h"

static char tmp_dir[64];
#define MAX_METRICS 128 /* summary metrics (gp_stat_row.metric is an int8_t) */

static const char *tpath(const char *name) {
  static char bufs[16][256];
  static int next;
  char *b = bufs[next++ % 16];
  snprintf(b, sizeof bufs[0], "%s/%s", tmp_dir, name);
  return b;
}

#define SCENARIO                                                                                   \
  "{\"name\": \"tiny\", \"description\": \"a test\", \"epoch\": \"2026-01-01\", \"note\": "        \
  "\"n\", \"gpu_types\": [{\"name\": \"A\"}, {\"name\": \"B\"}]}"

/* What a file holds: NREPS summary rows for each of two policies (the
 * second with NREPS2), and the tree under BASE. */
typedef struct spec {
  int npoints;   /* 0: no sweep; else the root attribute points (-1: none) */
  int nreps2;    /* replications of the second policy */
  int policies;  /* 0: an empty /policies group */
  int series_ok; /* 0: a series of the wrong shape */
  int bad_seed;  /* 1: the root attribute seed is a string */
  double format; /* the root attribute format_version; 0: none (a version-1 file) */
} spec;

enum { NREPS = 4, NSAMPLES = 3, NDETAIL = 2 };

/* Summary rows: acceptance_rate r/10 (+0.05 for policy 1), proposals 100+r. */
static void fill_summary(gp_summary_row *s, int n, int pol) {
  memset(s, 0, (size_t)n * sizeof *s);
  for (int r = 0; r < n; r++) {
    s[r].rep = r;
    s[r].proposals = 100 + r;
    s[r].acceptance_rate = r / 10.0 + 0.05 * pol;
    s[r].mean_days_to_gpu = 30 + r - 2 * pol;
  }
}

static int write_tree(gp_h5out *h, const char *base, const spec *sp, gp_err *err) {
  char path[600];
  static const char *const pol[2] = {"first", "second"};
  gp_summary_row sum[8];
  snprintf(path, sizeof path, "%s/policies", base);
  if (gp_h5out_group(h, path, err)) return -1;
  snprintf(path, sizeof path, "%s/scenario", base);
  if (base[0] && gp_h5out_text(h, path, SCENARIO, err)) return -1; /* a point's own */
  for (int p = 0; p < 2 * sp->policies; p++) {
    int n = p ? sp->nreps2 : NREPS;
    fill_summary(sum, n, p);
    snprintf(path, sizeof path, "%s/policies/%s", base, pol[p]);
    if (gp_h5out_group(h, path, err) || gp_h5out_attr_string(h, path, "selection", "score", err))
      return -1;
    snprintf(path, sizeof path, "%s/policies/%s/summary", base, pol[p]);
    if (gp_h5out_table(h, path, &gp_summary_desc, sum, (size_t)n, err)) return -1;
    /* Proposals: two per detailed replication. */
    gp_field pf[GP_PROPOSAL_NFIELDS];
    gp_table_desc pd;
    static const char *const gpus[2] = {"A", "B"};
    gp_proposal_desc_init(&pd, pf, gpus, 2);
    gp_proposal_row pr[2 * NDETAIL];
    memset(pr, 0, sizeof pr);
    for (int i = 0; i < 2 * NDETAIL; i++) {
      pr[i].rep = i / 2, pr[i].id = i, pr[i].sector = (int8_t)(i % GP_NSECTORS);
      pr[i].gpu_type = (int8_t)(i % 2), pr[i].submitted = i, pr[i].decided = i + 1;
      pr[i].started = i % 2 ? -1 : i + 5, pr[i].finished = -1, pr[i].score = NAN;
    }
    snprintf(path, sizeof path, "%s/policies/%s/proposals", base, pol[p]);
    if (gp_h5out_table(h, path, &pd, pr, 2 * NDETAIL, err)) return -1;
    gp_call_row calls[1];
    memset(calls, 0, sizeof calls);
    calls[0].first_decision = calls[0].mean_decision = calls[0].last_decision = -1; /* v1: none */
    snprintf(path, sizeof path, "%s/policies/%s/calls", base, pol[p]);
    static const char *const names[1] = {"first call"};
    if (gp_h5out_table(h, path, &gp_call_desc, calls, 1, err) ||
        gp_h5out_attr_strings(h, path, "names", names, 1, err))
      return -1;
    /* Time series: the scales, one programme series, one tranche's. */
    double time[NSAMPLES] = {0, 7, 14}, v[NDETAIL * NSAMPLES];
    int rep[NDETAIL] = {0, 1};
    for (int i = 0; i < NDETAIL * NSAMPLES; i++) v[i] = 10 * p + i;
    char ts[256], t[300], r[300];
    snprintf(ts, sizeof ts, "%s/policies/%s/timeseries", base, pol[p]);
    snprintf(t, sizeof t, "%s/time", ts);
    snprintf(r, sizeof r, "%s/rep", ts);
    snprintf(path, sizeof path, "%s/installed_gpus", ts);
    if (gp_h5out_scale(h, t, time, NSAMPLES, "days since epoch", err) ||
        gp_h5out_scale_int(h, r, rep, NDETAIL, "replication", err) ||
        gp_h5out_matrix(h, path, v, NDETAIL, sp->series_ok ? NSAMPLES : 2, "GPUs", r,
                        sp->series_ok ? t : NULL, err))
      return -1;
    snprintf(path, sizeof path, "%s/tranches/T 1/busy_gpus", ts);
    if (gp_h5out_matrix(h, path, v, NDETAIL, NSAMPLES, "GPUs", r, t, err)) return -1;
    /* Statistics as stored. */
    gp_stat_row st[MAX_METRICS];
    int nm = gp_stat_count();
    ASSERT_LE(nm, MAX_METRICS);
    gp_stat_compute(sum, NULL, (size_t)n, st);
    snprintf(path, sizeof path, "%s/stats/%s", base, pol[p]);
    if (gp_h5out_table(h, path, &gp_stat_desc, st, (size_t)nm, err) ||
        gp_h5out_attr_strings(h, path, "metrics", gp_stat_metric_names, (size_t)nm, err))
      return -1;
  }
  if (sp->policies) {
    gp_stat_row st[MAX_METRICS];
    int nm = gp_stat_count();
    ASSERT_LE(nm, MAX_METRICS);
    memset(st, 0, sizeof st);
    for (int k = 0; k < nm; k++) st[k].metric = (int8_t)k;
    snprintf(path, sizeof path, "%s/compare/first__second", base);
    if (gp_h5out_table(h, path, &gp_stat_desc, st, (size_t)nm, err) ||
        gp_h5out_attr_strings(h, path, "metrics", gp_stat_metric_names, (size_t)nm, err) ||
        gp_h5out_attr_string(h, path, "a", "first", err) ||
        gp_h5out_attr_string(h, path, "b", "second", err))
      return -1;
  }
  gp_roadmap_row road[2] = {{0, 90, 150, 300, 1}, {1, 80, 140, -1, 0}};
  snprintf(path, sizeof path, "%s/roadmap", base);
  return gp_h5out_table(h, path, &gp_roadmap_desc, road, 2, err) ||
                 gp_h5out_attr_double(h, path, "probability_reached_by_target", 0.5, err) ||
                 gp_h5out_attr_double(h, path, "date_reached_q10", 300, err) ||
                 gp_h5out_attr_double(h, path, "date_reached_q50", -1, err)
             ? -1
             : 0;
}

/* Write a result file NAME as SP says. */
static const char *make_file(const char *name, const spec *sp) {
  const char *path = tpath(name);
  gp_err err;
  gp_err_clear(&err);
  gp_h5out *h = gp_h5out_create(path, &err);
  int rc = !h || gp_h5out_attr_string(h, "/", "gpuplan_version", "test", &err) ||
           gp_h5out_attr_string(h, "/", "scenario_name", "root name", &err) ||
           gp_h5out_attr_string(h, "/", "epoch", "2025-01-01", &err) ||
           (sp->bad_seed ? gp_h5out_attr_string(h, "/", "seed", "seven", &err)
                         : gp_h5out_attr_int(h, "/", "seed", 7, &err)) ||
           gp_h5out_attr_int(h, "/", "detail_replications", NDETAIL, &err) ||
           gp_h5out_attr_double(h, "/", "end", 300, &err) ||
           gp_h5out_attr_double(h, "/", "target_gpus", 100, &err) ||
           gp_h5out_attr_string(h, "/", "target_date", "2026-12-31", &err) ||
           gp_h5out_text(h, "/scenario", SCENARIO, &err);
  if (!rc && sp->format != 0)
    rc = sp->format == floor(sp->format)
             ? gp_h5out_attr_int(h, "/", "format_version", (long long)sp->format, &err)
             : gp_h5out_attr_double(h, "/", "format_version", sp->format, &err);
  if (!rc && sp->npoints == 0) rc = write_tree(h, "", sp, &err);
  if (!rc && sp->npoints) {
    if (sp->npoints > 0) rc = gp_h5out_attr_int(h, "/", "points", sp->npoints, &err);
    static const char *const paths[1] = {"review.reviewers"};
    if (!rc) rc = gp_h5out_attr_strings(h, "/", "sweep_paths", paths, 1, &err);
    for (int k = 0; k < (sp->npoints > 0 ? sp->npoints : 1) && !rc; k++) {
      char base[32];
      snprintf(base, sizeof base, "/points/%d", k);
      rc = write_tree(h, base, sp, &err) ||
           gp_h5out_attr_double(h, base, "review.reviewers", 40 + 20 * k, &err);
    }
  }
  if (rc) {
    gp_h5out_abort(h);
    fprintf(stderr, "  fixture: %s\n", err.msg);
    return NULL;
  }
  return gp_h5out_commit(h, &err) == 0 ? path : NULL;
}

static const spec plain = {0, NREPS, 1, 1, 0, 0};

/* ---- the point ---- */

static void test_open_plain(void) {
  const char *f = make_file("plain.h5", &plain);
  ASSERT(f);
  gp_err err;
  gp_err_clear(&err);
  gp_reader *r = gp_reader_open(f, -1, &err);
  ASSERT(r != NULL);
  ASSERT_STR_EQ(r->base, "");
  ASSERT_EQ(r->point, -1);
  ASSERT_EQ(r->npoints, 0);
  ASSERT_STR_EQ(r->version, "test");
  /* The scenario's name and epoch, not the root attributes'. */
  ASSERT_STR_EQ(r->name, "tiny");
  ASSERT_STR_EQ(r->description, "a test");
  long day;
  ASSERT_EQ(gp_date_parse("2026-01-01", &day), 0);
  ASSERT_EQ(r->epoch, day);
  ASSERT_DBL_EQ(r->seed, 7);
  ASSERT_DBL_EQ(r->detail, NDETAIL);
  ASSERT(isnan(r->measure_from));
  ASSERT_DBL_EQ(r->target_gpus, 100);
  ASSERT_DBL_EQ(r->target_t, 364);
  ASSERT_STR_EQ(r->target_date, "2026-12-31");
  ASSERT_EQ(r->np, 2);
  ASSERT_EQ(r->nreps, NREPS);
  ASSERT_STR_EQ(r->pol[0].name, "first");
  ASSERT_STR_EQ(r->pol[1].selection, "score");
  ASSERT(r->pol[1].scheduling == NULL);
  ASSERT_DBL_EQ(r->pol[1].sum[3].acceptance_rate, 0.35);
  ASSERT_EQ(gp_reader_policy_index(r, "second"), 1);
  ASSERT_EQ(gp_reader_policy_index(r, "third"), -1);
  gp_reader_close(r);
  /* Point 0 is the root; any other is a usage error. */
  r = gp_reader_open(f, 0, &err);
  ASSERT(r != NULL && r->base[0] == '\0');
  gp_reader_close(r);
  ASSERT(gp_reader_open(f, 1, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_USAGE);
  char want[512];
  snprintf(want, sizeof want, "%s: --point 1: the file is not a sweep (no points)", f);
  ASSERT_STR_EQ(err.msg, want);
}

static void test_open_sweep(void) {
  spec sp = plain;
  sp.npoints = 2;
  const char *f = make_file("sweep.h5", &sp);
  ASSERT(f);
  gp_err err;
  gp_err_clear(&err);
  gp_reader *r = gp_reader_open(f, -1, &err);
  ASSERT(r != NULL);
  ASSERT_STR_EQ(r->base, "/points/0");
  ASSERT_EQ(r->point, 0);
  ASSERT_EQ(r->npoints, 2);
  ASSERT_EQ(r->nsweep, 1);
  ASSERT_STR_EQ(r->sweep_paths[0], "review.reviewers");
  ASSERT_STR_EQ(r->sweep_values[0], "40");
  gp_reader_close(r);
  r = gp_reader_open(f, 1, &err);
  ASSERT(r != NULL);
  ASSERT_STR_EQ(r->base, "/points/1");
  ASSERT_STR_EQ(r->sweep_values[0], "60");
  gp_reader_close(r);
  ASSERT(gp_reader_open(f, 2, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_USAGE);
  char want[512];
  snprintf(want, sizeof want, "%s: --point 2: the sweep has points 0 to 1", f);
  ASSERT_STR_EQ(err.msg, want);
  /* /points without its count: not a file gpuplan wrote. */
  sp.npoints = -1;
  f = make_file("sweep-nocount.h5", &sp);
  ASSERT(f);
  gp_err_clear(&err);
  ASSERT(gp_reader_open(f, 0, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  ASSERT_CONTAINS(err.msg, "has /points but no count of points");
}

static void test_open_errors(void) {
  gp_err err;
  gp_err_clear(&err);
  ASSERT(gp_reader_open(tpath("none.h5"), -1, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_NOINPUT);
  spec sp = plain;
  sp.nreps2 = NREPS - 1;
  const char *f = make_file("short.h5", &sp);
  ASSERT(f);
  gp_err_clear(&err);
  ASSERT(gp_reader_open(f, -1, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  char want[512];
  snprintf(want, sizeof want, "%s: policy second has 3 replications, first has 4", f);
  ASSERT_STR_EQ(err.msg, want);
  sp = plain;
  sp.policies = 0;
  f = make_file("empty.h5", &sp);
  ASSERT(f);
  gp_err_clear(&err);
  ASSERT(gp_reader_open(f, -1, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  snprintf(want, sizeof want, "%s: no policies in the file", f);
  ASSERT_STR_EQ(err.msg, want);
}

/* ---- format versions ---- */

/* A version-1 file (no format_version) has -1 for never: read as NaN, in
 * every table and the roadmap's quantiles; version 2 is read as stored;
 * any other version is refused with one line. */
static void test_format_versions(void) {
  gp_err err;
  gp_err_clear(&err);
  const char *f = make_file("v1.h5", &plain);
  gp_reader *r = f ? gp_reader_open(f, -1, &err) : NULL;
  ASSERT(r != NULL);
  ASSERT_EQ(r->format, 1);
  gp_table_desc d;
  gp_field fields[GP_PROPOSAL_NFIELDS];
  size_t n = 0;
  ASSERT_EQ(gp_reader_proposal_desc(r, &d, fields, &err), 0);
  gp_proposal_row *pr = gp_reader_table(r, 0, "proposals", &d, &n, &err);
  ASSERT(pr && n == 2 * NDETAIL);
  ASSERT_DBL_EQ(pr[0].submitted, 0); /* a time, not a never-time: as stored */
  ASSERT_DBL_EQ(pr[0].decided, 1);
  ASSERT_DBL_EQ(pr[0].started, 5);
  ASSERT(isnan(pr[0].finished));
  ASSERT(isnan(pr[1].started));
  free(pr);
  gp_call_row *c = gp_reader_table(r, 0, "calls", &gp_call_desc, &n, &err);
  ASSERT(c && n == 1);
  ASSERT(isnan(c[0].first_decision) && isnan(c[0].mean_decision) && isnan(c[0].last_decision));
  ASSERT_DBL_EQ(c[0].units_requested, 0);
  free(c);
  gp_roadmap_row *road = NULL;
  double risk[6];
  ASSERT_EQ(gp_reader_roadmap(r, &road, &n, risk, &err), 0);
  ASSERT(road && n == 2);
  ASSERT_DBL_EQ(road[0].date_reached, 300);
  ASSERT(isnan(road[1].date_reached));
  ASSERT_DBL_EQ(risk[3], 300);
  ASSERT(isnan(risk[4]) && isnan(risk[5]));
  free(road);
  gp_reader_close(r);
  /* Version 2: as stored (a -1 there is not converted). */
  spec sp = plain;
  sp.format = 2;
  f = make_file("v2.h5", &sp);
  r = f ? gp_reader_open(f, -1, &err) : NULL;
  ASSERT(r != NULL);
  ASSERT_EQ(r->format, 2);
  gp_reader_start *p = gp_reader_starts(r, 0, &n, &err);
  ASSERT(p && n == 2 * NDETAIL);
  ASSERT_DBL_EQ(p[3].started, -1);
  free(p);
  ASSERT_EQ(gp_reader_roadmap(r, &road, &n, risk, &err), 0);
  ASSERT_DBL_EQ(risk[4], -1);
  free(road);
  gp_reader_close(r);
  /* Later versions, and what is no version, are refused. */
  const double bad[] = {GP_FORMAT_VERSION + 1, 1.5, -1};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sp.format = bad[i];
    char name[32], want[600];
    snprintf(name, sizeof name, "bad-version-%zu.h5", i);
    f = make_file(name, &sp);
    ASSERT(f);
    gp_err_clear(&err);
    ASSERT(gp_reader_open(f, -1, &err) == NULL);
    ASSERT_EQ(err.code, GP_EX_DATAERR);
    snprintf(want, sizeof want, "%s: format_version %g: this gpuplan reads format versions 1 to %d "
             "(docs/output.md, \"Format versions\")", f, bad[i], GP_FORMAT_VERSION);
    ASSERT_STR_EQ(err.msg, want);
  }
}

/* ---- what is read on demand ---- */

static void test_stats(void) {
  const char *f = make_file("stats.h5", &plain);
  gp_err err;
  gp_err_clear(&err);
  gp_reader *r = f ? gp_reader_open(f, -1, &err) : NULL;
  ASSERT(r != NULL);
  size_t nm = (size_t)gp_stat_count();
  int k = gp_stat_index("acceptance_rate");
  gp_stat_row *st = gp_reader_stats(r, 0, 0, &err), *d = gp_reader_stats(r, 1, 0, &err);
  ASSERT(st && d);
  ASSERT_NEAR(st[nm + (size_t)k].mean, 0.2, 1e-12); /* (0.05+0.15+0.25+0.35)/4 */
  ASSERT_NEAR(d[nm + (size_t)k].mean, 0.05, 1e-12);
  ASSERT_NEAR(d[nm + (size_t)k].sd, 0, 1e-12);
  ASSERT_EQ(d[(size_t)k].n, NREPS); /* policy 0 against itself */
  ASSERT_DBL_EQ(d[(size_t)k].mean, 0);
  free(st);
  free(d);
  /* As stored: the metric names are the table's own. */
  gp_stored_stats s;
  ASSERT_EQ(gp_reader_policy_stats(r, 1, &s, &err), 0);
  ASSERT_STR_EQ(s.a, "second");
  ASSERT(s.b == NULL);
  ASSERT_EQ(s.n, nm);
  ASSERT_STR_EQ(s.metrics[s.rows[k].metric], "acceptance_rate");
  gp_stored_stats_free(&s);
  size_t np = 0;
  char **pairs = gp_reader_pairs(r, &np, &err);
  ASSERT(pairs && np == 1);
  ASSERT_EQ(gp_reader_pair_stats(r, pairs[0], &s, &err), 0);
  ASSERT_STR_EQ(s.a, "first");
  ASSERT_STR_EQ(s.b, "second");
  gp_stored_stats_free(&s);
  gp_h5in_free_names(pairs, np);
  gp_reader_close(r);
}

static void test_tables(void) {
  const char *f = make_file("tables.h5", &plain);
  gp_err err;
  gp_err_clear(&err);
  gp_reader *r = f ? gp_reader_open(f, -1, &err) : NULL;
  ASSERT(r != NULL);
  size_t n = 0;
  gp_reader_start *p = gp_reader_starts(r, 0, &n, &err);
  ASSERT(p != NULL);
  ASSERT_EQ(n, 2 * NDETAIL);
  ASSERT_EQ(p[3].rep, 1);
  ASSERT_EQ(p[3].sector, 3);
  ASSERT_DBL_EQ(p[2].started, 7);
  ASSERT(isnan(p[3].started)); /* -1 in this version-1 file: never */
  free(p);
  gp_table_desc d;
  gp_field fields[GP_PROPOSAL_NFIELDS];
  ASSERT_EQ(gp_reader_proposal_desc(r, &d, fields, &err), 0);
  gp_proposal_row *pr = gp_reader_table(r, 1, "proposals", &d, &n, &err);
  ASSERT(pr != NULL);
  ASSERT_EQ(pr[1].gpu_type, 1);
  free(pr);
  char **names = gp_reader_call_names(r, 0, &n, &err);
  ASSERT(names && n == 1);
  ASSERT_STR_EQ(names[0], "first call");
  gp_h5in_free_names(names, n);
  /* The roadmap and its risk (only the probability stored here). */
  gp_roadmap_row *road = NULL;
  double risk[6];
  ASSERT_EQ(gp_reader_roadmap(r, &road, &n, risk, &err), 0);
  ASSERT(road && n == 2);
  ASSERT_DBL_EQ(road[1].installed_at_target, 80);
  ASSERT_DBL_EQ(risk[0], 0.5);
  ASSERT(isnan(risk[1]));
  free(road);
  ASSERT(gp_reader_table(r, 0, "nothing", &gp_call_desc, &n, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  char want[512];
  snprintf(want, sizeof want, "%s: /policies/first/nothing not found", f);
  ASSERT_STR_EQ(err.msg, want);
  gp_reader_close(r);
}

static void test_series(void) {
  const char *f = make_file("series.h5", &plain);
  gp_err err;
  gp_err_clear(&err);
  gp_reader *r = f ? gp_reader_open(f, -1, &err) : NULL;
  ASSERT(r != NULL);
  gp_reader_series ts;
  ASSERT_EQ(gp_reader_series_open(r, 1, &ts, &err), 0);
  ASSERT_EQ(ts.ns, NSAMPLES);
  ASSERT_EQ(ts.nrep, NDETAIL);
  ASSERT_DBL_EQ(ts.time[2], 14);
  ASSERT_EQ(ts.n, 2); /* the programme's, then the tranche's */
  ASSERT_STR_EQ(ts.name[0], "installed_gpus");
  ASSERT(ts.tranche[0] == NULL);
  ASSERT_STR_EQ(ts.name[1], "busy_gpus");
  ASSERT_STR_EQ(ts.tranche[1], "T 1");
  ASSERT_EQ(gp_reader_series_find(&ts, "installed_gpus"), 0);
  ASSERT_EQ(gp_reader_series_find(&ts, "busy_gpus"), -1); /* a tranche's only */
  char *unit = NULL;
  double *v = gp_reader_series_read(r, 1, &ts, 1, &unit, &err);
  ASSERT(v != NULL);
  ASSERT_DBL_EQ(v[5], 15);
  ASSERT_STR_EQ(unit, "GPUs");
  free(v);
  free(unit);
  gp_reader_series_free(&ts);
  gp_reader_close(r);
  /* A series of the wrong shape is refused, with its path. */
  spec sp = plain;
  sp.series_ok = 0;
  f = make_file("bad-series.h5", &sp);
  r = f ? gp_reader_open(f, -1, &err) : NULL;
  ASSERT(r != NULL);
  ASSERT_EQ(gp_reader_series_open(r, 0, &ts, &err), 0);
  ASSERT(gp_reader_series_read(r, 0, &ts, 0, NULL, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  ASSERT_CONTAINS(err.msg,
                  "/policies/first/timeseries/installed_gpus: 2 x 2 values, expected 2 x 3");
  gp_reader_series_free(&ts);
  gp_reader_close(r);
}

/* An optional attribute that is there but unreadable is an error, never
 * silently absent (a seed of "seven" used to read as no seed). */
static void test_bad_optional(void) {
  const spec sp = {0, NREPS, 1, 1, 1, 0};
  const char *f = make_file("badseed.h5", &sp);
  ASSERT(f);
  gp_err err;
  gp_err_clear(&err);
  ASSERT(gp_reader_open(f, -1, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  char want[512];
  snprintf(want, sizeof want, "%s: cannot read attribute seed of /: not a scalar number", f);
  ASSERT_STR_EQ(err.msg, want);
}

/* After SIGINT or SIGTERM (the stop flag of sim/interrupt.h) every read
 * stops with GP_EX_SIGNAL + N, and compare, export and plot write
 * nothing. */
static void test_interrupted(void) {
  const char *f = make_file("stop.h5", &plain);
  ASSERT(f);
  gp_err err;
  gp_err_clear(&err);
  char want[512];
  snprintf(want, sizeof want, "%s: interrupted by signal %d", f, SIGTERM);
  /* an open reader: the next read stops */
  gp_reader *r = gp_reader_open(f, -1, &err);
  ASSERT(r != NULL);
  gp_interrupted = SIGTERM;
  size_t n = 0;
  ASSERT(gp_reader_table(r, 0, "summary", &gp_summary_desc, &n, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_SIGNAL + SIGTERM);
  ASSERT_STR_EQ(err.msg, want);
  gp_reader_close(r);
  gp_err_clear(&err);
  ASSERT(gp_reader_open(f, -1, &err) == NULL);
  ASSERT_EQ(err.code, GP_EX_SIGNAL + SIGTERM);
  gp_err_clear(&err);
  /* compare prints nothing */
  char *buf = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&buf, &size);
  gp_compare_opts co = {NULL, 0, -1, 0, NULL, 0};
  ASSERT_EQ(gp_compare_print(m, f, &co, &err), -1);
  fclose(m);
  ASSERT_EQ(err.code, GP_EX_SIGNAL + SIGTERM);
  ASSERT_EQ(size, 0);
  free(buf);
  gp_err_clear(&err);
  /* export and plot make nothing */
  const char *dir = tpath("stop-csv");
  ASSERT_EQ(gp_export_csv(f, dir, -1, NULL, &err), -1);
  ASSERT_EQ(err.code, GP_EX_SIGNAL + SIGTERM);
  ASSERT_EQ(access(dir, F_OK), -1);
  gp_err_clear(&err);
  gp_plot_opts po = {tpath("stop-charts"), "svg", -1, NULL};
  ASSERT_EQ(gp_plot_write(f, &po, &err), -1);
  ASSERT_EQ(err.code, GP_EX_SIGNAL + SIGTERM);
  ASSERT_EQ(access(po.dir, F_OK), -1);
  gp_interrupted = 0;
  /* and all is well again */
  gp_err_clear(&err);
  r = gp_reader_open(f, -1, &err);
  ASSERT(r != NULL);
  gp_reader_close(r);
}

static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    unlink(p);
  }
  closedir(d);
  rmdir(dir);
}

int main(void) {
  snprintf(tmp_dir, sizeof tmp_dir, "/tmp/gp_test_reader_XXXXXX");
  if (!mkdtemp(tmp_dir)) {
    perror("mkdtemp");
    return 1;
  }
  RUN(test_open_plain);
  RUN(test_open_sweep);
  RUN(test_open_errors);
  RUN(test_format_versions);
  RUN(test_stats);
  RUN(test_tables);
  RUN(test_series);
  RUN(test_bad_optional);
  RUN(test_interrupted);
  remove_tree(tmp_dir);
  TEST_EXIT();
}
