/*
 * analysis/report.c - a result file as one self-contained HTML page (see
 * report.h).
 *
 * Invariants:
 *  - Every string from the result file (names, description, assumptions,
 *    attribute values, paths) reaches the page only through put_text, which
 *    escapes & < > " ' and replaces control characters and invalid UTF-8;
 *    every other byte of the page is a constant of this file or a number it
 *    formatted.
 *  - Charts are gnuplot's SVG (drawn by gp_plot_write), inlined only after
 *    svg_inline has re-emitted them token by token: elements from a list of
 *    what gnuplot's svg terminal writes, no event-handler attribute, no
 *    reference but to an #id of the same chart, ids prefixed per chart so
 *    that charts do not collide, text and attribute values re-escaped, start
 *    and end tags balanced.  Anything else is refused, never copied.
 *  - Everything is written inside a private directory (mkdtemp) beside the
 *    output; the page is renamed onto the output once complete, flushed and
 *    synced; the directory and what is left in it are removed before
 *    gp_report_write returns, whatever happened.
 *  - Policy statistics are those of `gpuplan compare`: gp_stat_compute over
 *    the summaries, and of the paired differences policy - first policy.  A
 *    change is called significant exactly when its 95% interval excludes 0,
 *    and a verdict quotes that interval's bounds.
 */
#include "analysis/report.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "models/results/h5in.h"
#include "analysis/text.h"
#include "analysis/plot.h"
#include "models/scenario/date.h"
#include "models/results/results.h"
#include "sim/stats.h"
#include "sim/version.h"

#define MINUS "\xe2\x88\x92" /* U+2212 MINUS SIGN */
#define NDASH "\xe2\x80\x93" /* U+2013 EN DASH, for ranges */
#define PLUSMINUS "\xc2\xb1"
#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD, for what cannot be shown */

/* What the report needs of a proposal row (read by field name). */
typedef struct prop_row {
  int32_t rep;      /* replication number */
  int8_t sector;    /* gp_sector_names */
  double submitted; /* days since epoch */
  double started;   /* days since epoch; -1 = never */
} prop_row;

static const gp_field prop_fields[] = {
    GP_FIELD(prop_row, rep, GP_F_INT32, "1", "replication number"),
    GP_FIELD_ENUM(prop_row, sector, gp_sector_names, GP_NSECTORS, "applicant's sector"),
    GP_FIELD(prop_row, submitted, GP_F_DOUBLE, "days", "submission time, days since epoch"),
    GP_FIELD(prop_row, started, GP_F_DOUBLE, "days", "start on GPUs; -1 = never"),
};
static const gp_table_desc prop_desc = {"proposals", sizeof(prop_row), prop_fields,
                                        (int)(sizeof prop_fields / sizeof prop_fields[0])};

/* One policy of the file. */
typedef struct policy {
  char *name;      /* as in the file */
  char *selection; /* the group's rule attributes; NULL when not stored */
  char *scheduling;
  gp_summary_row *sum; /* one row per replication */
  prop_row *prop;      /* proposals of the detailed replications */
  size_t nprop;
  gp_stat_row *st;                   /* gp_stat_nmetrics rows: statistics over replications */
  gp_stat_row *diff;                 /* the same of the paired differences this - first policy */
  gp_stat_row ttg[GP_NSECTORS];      /* days to GPU per sector, over detailed replications */
  gp_stat_row ttg_diff[GP_NSECTORS]; /* its paired differences against the first policy */
  double *ttg_rep; /* nd x GP_NSECTORS: mean days to GPU per replication; NaN = none */
} policy;

typedef struct report {
  gp_h5in *h;
  const char *file;  /* the result file, as given */
  char base[48];     /* "" or "/points/K": where the result tree is */
  int point;         /* sweep point shown; -1 without a sweep */
  int npoints;       /* 0 = not a sweep */
  char *version;     /* gpuplan_version of the writer */
  char *name;        /* the scenario's name and description (the point's) */
  char *description; /* NULL = none */
  char *note;        /* the scenario's "note" (its sources); NULL = none */
  cJSON *scen;       /* the stored scenario */
  long epoch;        /* day number of the epoch */
  double seed;       /* root attributes; NaN when absent */
  double detail, end, measure_from;
  double target_gpus; /* NaN = no target */
  char target_date[16];
  char *target_note;  /* roadmap.target.note of the scenario; NULL = none */
  char **sweep_paths; /* sweeps: the swept paths, and this point's values (NULL = absent) */
  char **sweep_values;
  size_t nsweep;
  gp_roadmap_row *road; /* /roadmap, one row per replication */
  size_t nroad;
  int has_risk;   /* 1 when /roadmap has the risk attributes */
  double risk[6]; /* probability, its interval, date quantiles q10 q50 q90 */
  policy *pol;
  size_t np;
  size_t nreps;  /* replications (summary rows per policy) */
  size_t nd;     /* detailed replications */
  size_t nm;     /* gp_stat_nmetrics */
  char *priv;    /* private directory beside the output; NULL until made */
  char *page;    /* PRIV/report.html while written */
  char **charts; /* chart files in PRIV, in gp_plot_write's order */
  size_t ncharts;
  FILE *o; /* the page */
  gp_err *err;
} report;

/* ---- small helpers ---- */

/* S as HTML text or attribute value: & < > " ' escaped; tabs and line breaks
 * kept (HTML white space); other control characters and invalid UTF-8
 * shown as U+FFFD. */
static void put_text(FILE *o, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = gp_utf8_len(p);
    if (n > 1) {
      fwrite(p, 1, n, o);
      p += n;
      continue;
    }
    switch (*p) {
    case '&':
      fputs("&amp;", o);
      break;
    case '<':
      fputs("&lt;", o);
      break;
    case '>':
      fputs("&gt;", o);
      break;
    case '"':
      fputs("&quot;", o);
      break;
    case '\'':
      fputs("&#39;", o);
      break;
    case '\n':
    case '\t':
      fputc(*p, o);
      break;
    case '\r':
      fputc(' ', o);
      break;
    default:
      if (n == 0 || *p < 0x20 || *p == 0x7f)
        fputs(REPLACEMENT, o);
      else
        fputc(*p, o);
    }
    p++;
  }
}

/* X rounded to DEC decimals with thousands separators and a typographic
 * minus; "+" first when PLUS and X is positive after rounding; "n/a" when X
 * is not a number.  Returns BUF. */
static const char *fmt_num(char *buf, size_t size, double x, int dec, int plus) {
  if (!isfinite(x)) {
    snprintf(buf, size, "n/a");
    return buf;
  }
  char digits[64];
  snprintf(digits, sizeof digits, "%.*f", dec, fabs(x));
  int zero = digits[strspn(digits, "0.")] == '\0';
  const char *sign = zero ? "" : x < 0 ? MINUS : plus ? "+" : "";
  size_t k = (size_t)snprintf(buf, size, "%s", sign);
  size_t ip = strcspn(digits, ".");
  for (size_t i = 0; digits[i] && k + 2 < size; i++) {
    if (i > 0 && i < ip && (ip - i) % 3 == 0) buf[k++] = ',';
    buf[k++] = digits[i];
  }
  buf[k < size ? k : size - 1] = '\0';
  return buf;
}

/* Decimals that show a value to about two significant digits of SPREAD (a
 * half-width), or by the magnitude of X when SPREAD is unknown or 0. */
static int decimals(double x, double spread) {
  if (isfinite(spread) && spread > 0) {
    int d = 1 - (int)floor(log10(spread));
    return d < 0 ? 0 : d > 4 ? 4 : d;
  }
  double a = fabs(x);
  return !isfinite(a) || a >= 100 || a == 0 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
}

/* Decimals for the ends of a range [A, B]: its half-width to one
 * significant digit. */
static int range_decimals(double a, double b) {
  double w = (b - a) / 2;
  int d = w > 0 ? -(int)floor(log10(w)) : decimals(b, 0);
  return d < 0 ? 0 : d > 4 ? 4 : d;
}

/* D, or more decimals when X (not 0) would round to 0 with D: an end of an
 * interval must not read as 0 when the interval excludes it. */
static int nonzero_decimals(double x, int d) {
  while (d < 6 && x != 0 && fabs(x) * pow(10, d) < 0.5) d++;
  return d;
}

/* The date time T (days since the epoch) falls on, into BUF. */
static void fmt_date(const report *c, double t, char *buf, size_t size) {
  if (!isfinite(t) || t < 0 || t > 1e7) {
    snprintf(buf, size, "never");
    return;
  }
  gp_date_format(c->epoch + (long)floor(t), buf, size);
}

/* ---- statistics ---- */

/* The metrics of the comparison table, in its order. */
static const struct metric {
  const char *field;     /* summary field */
  const char *label;     /* row label */
  const char *unit;      /* unit of the numbers shown (after SCALE) */
  const char *dunit;     /* the same, for differences in sentences */
  double scale;          /* shown / stored */
  const char *what;      /* subject of a verdict */
  const char *up, *down; /* verbs for an increase, a decrease */
  int sector;            /* -1, or the sector of a per-sector acceptance rate */
} metrics[] = {
    {"proposals", "proposals submitted", "proposals", "proposals", 1,
     "the number of proposals submitted", "raises", "lowers", -1},
    {"accepted", "proposals accepted", "proposals", "proposals", 1,
     "the number of proposals accepted", "raises", "lowers", -1},
    {"acceptance_rate", "acceptance rate, all sectors", "%", "percentage points", 100,
     "the acceptance rate", "raises", "lowers", -1},
    {"acceptance_rate_industry", "acceptance rate, industry", "%", "percentage points", 100,
     "the acceptance rate", "raises", "lowers", GP_SECTOR_INDUSTRY},
    {"acceptance_rate_startup", "acceptance rate, startups", "%", "percentage points", 100,
     "the acceptance rate", "raises", "lowers", GP_SECTOR_STARTUP},
    {"acceptance_rate_academia", "acceptance rate, academia", "%", "percentage points", 100,
     "the acceptance rate", "raises", "lowers", GP_SECTOR_ACADEMIA},
    {"acceptance_rate_research", "acceptance rate, research institutes", "%", "percentage points",
     100, "the acceptance rate", "raises", "lowers", GP_SECTOR_RESEARCH},
    {"acceptance_rate_national", "acceptance rate, national AI projects", "%", "percentage points",
     100, "the acceptance rate", "raises", "lowers", GP_SECTOR_NATIONAL},
    {"mean_days_to_decision", "days from submission to decision", "days", "days", 1,
     "the mean time to a decision", "lengthens", "shortens", -1},
    {"mean_days_to_gpu", "days from submission to GPUs", "days", "days", 1,
     "the mean time from submission to GPUs", "lengthens", "shortens", -1},
    {"mean_days_in_queue", "days waiting for GPUs once ready", "days", "days", 1,
     "the mean wait for GPUs once ready", "lengthens", "shortens", -1},
    {"started", "projects started on GPUs", "projects", "projects", 1,
     "the number of projects started on GPUs", "raises", "lowers", -1},
    {"waiting_at_end", "accepted projects waiting at the end", "projects", "projects", 1,
     "the number of accepted projects still waiting at the end", "raises", "lowers", -1},
    {"utilization", "utilization (busy / installed GPU-time)", "%", "percentage points", 100,
     "utilization", "raises", "lowers", -1},
    {"idle_gpu_hours", "idle GPU-hours", "million GPU-hours", "million GPU-hours", 1e-6,
     "idle GPU-hours", "raises", "lowers", -1},
    {"mean_quality_accepted", "mean quality of accepted projects", "0" NDASH "1 scale",
     "on the 0" NDASH "1 quality scale", 1, "the mean quality of accepted projects", "raises",
     "lowers", -1},
    {"subsidy_krw", "subsidy (market price less self-pay)", "billion KRW", "billion KRW", 1e-9,
     "the subsidy", "raises", "lowers", -1},
    {"selfpay_krw", "self-pay collected", "billion KRW", "billion KRW", 1e-9,
     "the self-pay collected", "raises", "lowers", -1},
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

/* Names of the per-sector days to GPU (not summary metrics: computed here
 * from the detailed replications' proposals), for data-metric attributes. */
static const char *const ttg_ids[GP_NSECTORS] = {"days_to_gpu_industry", "days_to_gpu_startup",
                                                 "days_to_gpu_academia", "days_to_gpu_research",
                                                 "days_to_gpu_national"};

/* Sectors in sentences. */
static const char *const sector_words[GP_NSECTORS] = {
    "industry", "startups", "academia", "research institutes", "national AI projects"};

static int metric_index(const char *name) {
  gp_stat_count();
  for (int k = 0; k < gp_stat_nmetrics; k++)
    if (strcmp(gp_stat_metric_names[k], name) == 0) return k;
  return -1;
}

/* Statistics of the file's summaries for metric M of policy I (NULL when this
 * build does not know the metric). */
static const gp_stat_row *stat_of(const report *c, size_t i, const struct metric *m, int paired) {
  int k = metric_index(m->field);
  if (k < 0) return NULL;
  return paired ? &c->pol[i].diff[k] : &c->pol[i].st[k];
}

static gp_stat_row stat_row(gp_ci ci) {
  gp_stat_row r = {0, (int32_t)ci.n, ci.mean, ci.sd, ci.half, ci.mean - ci.half, ci.mean + ci.half};
  return r;
}

/* Days to GPU per detailed replication and sector, as the summary counts
 * them: proposals submitted in the measured window that started. */
static int ttg_compute(report *c, policy *p) {
  size_t nd = c->nd;
  p->ttg_rep = malloc((nd ? nd : 1) * GP_NSECTORS * sizeof *p->ttg_rep);
  double *sum = calloc((nd ? nd : 1) * GP_NSECTORS, sizeof *sum);
  size_t *n = calloc((nd ? nd : 1) * GP_NSECTORS, sizeof *n);
  if (!p->ttg_rep || !sum || !n) {
    free(sum), free(n);
    return GP_ERR_NOMEM(c->err);
  }
  double from = isfinite(c->measure_from) ? c->measure_from : -INFINITY;
  for (size_t i = 0; i < p->nprop; i++) {
    const prop_row *q = &p->prop[i];
    if (q->rep < 0 || (size_t)q->rep >= nd || q->sector < 0 || q->sector >= GP_NSECTORS) continue;
    if (q->submitted < from || q->started < 0 || q->started < q->submitted) continue;
    size_t k = (size_t)q->rep * GP_NSECTORS + (size_t)q->sector;
    sum[k] += q->started - q->submitted;
    n[k]++;
  }
  for (size_t k = 0; k < nd * GP_NSECTORS; k++) p->ttg_rep[k] = n[k] ? sum[k] / (double)n[k] : NAN;
  free(sum), free(n);
  for (int s = 0; s < GP_NSECTORS; s++)
    p->ttg[s] = stat_row(gp_stats_ci(p->ttg_rep + s, nd, GP_NSECTORS, 0.95));
  return 0;
}

static int ttg_pair(report *c, policy *p) {
  const policy *b = &c->pol[0];
  double *d = malloc((c->nd ? c->nd : 1) * sizeof *d);
  if (!d) return GP_ERR_NOMEM(c->err);
  for (int s = 0; s < GP_NSECTORS; s++) {
    size_t n = 0;
    for (size_t r = 0; r < c->nd; r++) {
      double x = p->ttg_rep[r * GP_NSECTORS + (size_t)s] - b->ttg_rep[r * GP_NSECTORS + (size_t)s];
      if (!isnan(x)) d[n++] = x;
    }
    p->ttg_diff[s] = stat_row(gp_stats_ci(d, n, 1, 0.95));
  }
  free(d);
  return 0;
}

/* ---- reading the file ---- */

/* String attribute NAME of object PATH; NULL when absent (an error only when
 * out of memory). */
static char *opt_string(report *c, const char *path, const char *name) {
  gp_err scratch;
  gp_err_clear(&scratch);
  char *s = gp_h5in_attr_string(c->h, path, name, &scratch);
  if (!s && scratch.code == GP_EX_OSERR) GP_ERR_NOMEM(c->err);
  return s;
}

static double opt_double(report *c, const char *path, const char *name) {
  gp_err scratch;
  gp_err_clear(&scratch);
  double x;
  return gp_h5in_attr_double(c->h, path, name, &x, &scratch) == 0 ? x : NAN;
}

/* A string of the scenario JSON, or NULL. */
static const char *json_string(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static int dup_opt(report *c, char **dst, const char *s) {
  if (!s) return 0;
  if (!(*dst = strdup(s))) return GP_ERR_NOMEM(c->err);
  return 0;
}

static int load_scenario(report *c) {
  char path[64];
  snprintf(path, sizeof path, "%s/scenario", c->base);
  char *text = gp_h5in_text(c->h, path, c->err);
  if (!text) return -1;
  c->scen = cJSON_Parse(text);
  free(text);
  if (!c->scen || !cJSON_IsObject(c->scen))
    return GP_ERR(c->err, GP_EX_DATAERR, "%s: %s is not a JSON object", c->file, path);
  const char *name = json_string(c->scen, "name");
  if (name) {
    if (dup_opt(c, &c->name, name)) return -1;
  } else if (!(c->name = gp_h5in_attr_string(c->h, "/", "scenario_name", c->err))) {
    return -1;
  }
  const char *desc = json_string(c->scen, "description");
  if (desc) {
    if (dup_opt(c, &c->description, desc)) return -1;
  } else {
    c->description = opt_string(c, "/", "scenario_description");
    if (c->err->code) return -1;
  }
  if (dup_opt(c, &c->note, json_string(c->scen, "note"))) return -1;
  const cJSON *road = cJSON_GetObjectItemCaseSensitive(c->scen, "roadmap");
  const cJSON *target = cJSON_GetObjectItemCaseSensitive(road, "target");
  return dup_opt(c, &c->target_note, json_string(target, "note"));
}

/* The sweep's paths and this point's value of each. */
static int load_sweep(report *c) {
  gp_err scratch;
  gp_err_clear(&scratch);
  c->sweep_paths = gp_h5in_attr_strings(c->h, "/", "sweep_paths", &c->nsweep, &scratch);
  if (!c->sweep_paths) {
    c->nsweep = 0;
    return scratch.code == GP_EX_OSERR ? GP_ERR_NOMEM(c->err) : 0;
  }
  c->sweep_values = calloc(c->nsweep ? c->nsweep : 1, sizeof *c->sweep_values);
  if (!c->sweep_values) return GP_ERR_NOMEM(c->err);
  for (size_t i = 0; i < c->nsweep; i++) {
    double x = opt_double(c, c->base, c->sweep_paths[i]);
    if (isfinite(x))
      c->sweep_values[i] = gp_strf("%.10g", x);
    else
      c->sweep_values[i] = opt_string(c, c->base, c->sweep_paths[i]);
    if (c->err->code || (isfinite(x) && !c->sweep_values[i])) return GP_ERR_NOMEM(c->err);
  }
  return 0;
}

static int load_policy(report *c, policy *p) {
  char *path = gp_strf("%s/policies/%s", c->base, p->name);
  if (!path) return GP_ERR_NOMEM(c->err);
  p->selection = opt_string(c, path, "selection");
  p->scheduling = opt_string(c, path, "scheduling");
  free(path);
  if (c->err->code) return -1;
  size_t n;
  if (!(path = gp_strf("%s/policies/%s/summary", c->base, p->name))) return GP_ERR_NOMEM(c->err);
  p->sum = gp_h5in_table(c->h, path, &gp_summary_desc, &n, c->err);
  free(path);
  if (!p->sum) return -1;
  if (p == c->pol) c->nreps = n;
  if (n != c->nreps)
    return GP_ERR(c->err, GP_EX_DATAERR, "%s: policy %s has %zu replications, %s has %zu", c->file,
                  p->name, n, c->pol[0].name, c->nreps);
  if (!(path = gp_strf("%s/policies/%s/proposals", c->base, p->name))) return GP_ERR_NOMEM(c->err);
  p->prop = gp_h5in_table(c->h, path, &prop_desc, &p->nprop, c->err);
  free(path);
  if (!p->prop) return -1;
  p->st = malloc(c->nm * sizeof *p->st);
  p->diff = malloc(c->nm * sizeof *p->diff);
  if (!p->st || !p->diff) return GP_ERR_NOMEM(c->err);
  gp_stat_compute(p->sum, NULL, c->nreps, p->st);
  gp_stat_compute(p->sum, c->pol[0].sum, c->nreps, p->diff);
  return 0;
}

static int load(report *c) {
  if (gp_h5in_exists(c->h, "/points")) {
    double n = opt_double(c, "/", "points");
    if (!(n >= 1 && n <= 1e6) || n != floor(n))
      return GP_ERR(c->err, GP_EX_DATAERR,
                    "%s: has /points but no count of points (root attribute points)", c->file);
    c->npoints = (int)n;
    if (c->point < 0) c->point = 0;
    if (c->point >= c->npoints)
      return GP_ERR(c->err, GP_EX_USAGE, "%s: --point %d: the sweep has points 0 to %d", c->file,
                    c->point, c->npoints - 1);
    snprintf(c->base, sizeof c->base, "/points/%d", c->point);
  } else {
    if (c->point > 0)
      return GP_ERR(c->err, GP_EX_USAGE, "%s: --point %d: the file is not a sweep (no points)",
                    c->file, c->point);
    c->point = -1;
    c->base[0] = '\0';
  }
  if (!(c->version = gp_h5in_attr_string(c->h, "/", "gpuplan_version", c->err))) return -1;
  char *epoch = gp_h5in_attr_string(c->h, "/", "epoch", c->err);
  if (!epoch) return -1;
  int bad = gp_date_parse(epoch, &c->epoch);
  if (bad)
    GP_ERR(c->err, GP_EX_DATAERR, "%s: epoch \"%.40s\" is not a YYYY-MM-DD date", c->file, epoch);
  free(epoch);
  if (bad) return -1;
  c->seed = opt_double(c, "/", "seed");
  c->detail = opt_double(c, "/", "detail_replications");
  c->end = opt_double(c, "/", "end");
  c->measure_from = opt_double(c, "/", "measure_from");
  c->target_gpus = opt_double(c, "/", "target_gpus");
  char *tdate = opt_string(c, "/", "target_date");
  long tday;
  if (tdate && gp_date_parse(tdate, &tday) == 0 && isfinite(c->target_gpus))
    gp_date_format(tday, c->target_date, sizeof c->target_date);
  else
    c->target_gpus = NAN;
  free(tdate);
  if (c->err->code || load_scenario(c) || load_sweep(c)) return -1;

  char path[96];
  snprintf(path, sizeof path, "%s/roadmap", c->base);
  c->road = gp_h5in_table(c->h, path, &gp_roadmap_desc, &c->nroad, c->err);
  if (!c->road) return -1;
  static const char *const risk_names[6] = {"probability_reached_by_target",
                                            "probability_ci95_lo",
                                            "probability_ci95_hi",
                                            "date_reached_q10",
                                            "date_reached_q50",
                                            "date_reached_q90"};
  c->has_risk = 1;
  for (int i = 0; i < 6; i++)
    if (!isfinite(c->risk[i] = opt_double(c, path, risk_names[i]))) c->has_risk = 0;

  snprintf(path, sizeof path, "%s/policies", c->base);
  char **names = gp_h5in_list(c->h, path, &c->np, c->err);
  if (!names) return -1;
  if (c->np == 0) {
    free(names);
    return GP_ERR(c->err, GP_EX_DATAERR, "%s: no policies in the file", c->file);
  }
  c->pol = calloc(c->np, sizeof *c->pol);
  if (!c->pol) {
    gp_h5in_free_names(names, c->np);
    c->np = 0;
    return GP_ERR_NOMEM(c->err);
  }
  for (size_t i = 0; i < c->np; i++) c->pol[i].name = names[i];
  free(names); /* the strings now belong to c->pol */
  c->nm = (size_t)gp_stat_count();
  for (size_t i = 0; i < c->np; i++)
    if (load_policy(c, &c->pol[i])) return -1;
  /* Detailed replications: the first detail_replications (older files: as
   * many as the proposals show). */
  size_t nd = 0;
  if (isfinite(c->detail) && c->detail >= 0) {
    nd = c->detail < (double)c->nreps ? (size_t)c->detail : c->nreps;
  } else {
    for (size_t i = 0; i < c->np; i++)
      for (size_t r = 0; r < c->pol[i].nprop; r++)
        if (c->pol[i].prop[r].rep >= 0 && (size_t)c->pol[i].prop[r].rep + 1 > nd)
          nd = (size_t)c->pol[i].prop[r].rep + 1;
    if (nd > c->nreps) nd = c->nreps;
  }
  c->nd = nd;
  for (size_t i = 0; i < c->np; i++)
    if (ttg_compute(c, &c->pol[i])) return -1;
  for (size_t i = 0; i < c->np; i++)
    if (ttg_pair(c, &c->pol[i])) return -1;
  return 0;
}

/* ---- inline SVG ---- */

/* Elements gnuplot's svg terminal writes (and harmless relatives). */
static const char *const svg_elements[] = {"svg",
                                           "g",
                                           "defs",
                                           "title",
                                           "desc",
                                           "path",
                                           "rect",
                                           "circle",
                                           "ellipse",
                                           "line",
                                           "polyline",
                                           "polygon",
                                           "text",
                                           "tspan",
                                           "use",
                                           "symbol",
                                           "clipPath",
                                           "mask",
                                           "marker",
                                           "pattern",
                                           "linearGradient",
                                           "radialGradient",
                                           "stop",
                                           "filter",
                                           "feFlood",
                                           "feComposite",
                                           "feOffset",
                                           "feGaussianBlur",
                                           "feMerge",
                                           "feMergeNode",
                                           "feBlend",
                                           "feColorMatrix",
                                           NULL};

static int svg_known(const char *name, size_t n) {
  for (int i = 0; svg_elements[i]; i++)
    if (strlen(svg_elements[i]) == n && memcmp(svg_elements[i], name, n) == 0) return i;
  return -1;
}

static int is_name_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '-' || ch == '_' || ch == ':' || ch == '.';
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* An XML character reference or one of XML's five entities at P (just past
 * '&'), ending before END: its length including ';', or 0. */
static size_t entity_len(const char *p, const char *end) {
  static const char *const named[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
  for (int i = 0; i < 5; i++) {
    size_t n = strlen(named[i]);
    if ((size_t)(end - p) >= n && memcmp(p, named[i], n) == 0) return n;
  }
  if (p >= end || *p != '#') return 0;
  const char *q = p + 1;
  int hex = q < end && (*q == 'x' || *q == 'X');
  if (hex) q++;
  const char *d = q;
  while (
      q < end && q - d < 8 &&
      ((*q >= '0' && *q <= '9') || (hex && ((*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F')))))
    q++;
  if (q == d || q >= end || *q != ';') return 0;
  unsigned long cp = strtoul(d, NULL, hex ? 16 : 10);
  if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
      (cp < 0x20 && cp != 9 && cp != 10 && cp != 13))
    return 0;
  return (size_t)(q + 1 - p);
}

/* Text or an attribute value of the SVG, re-escaped: references kept, any
 * other & < > " escaped, control characters and invalid UTF-8 replaced. */
static void svg_text(FILE *o, const char *p, const char *end) {
  while (p < end) {
    unsigned char ch = (unsigned char)*p;
    if (ch >= 0x80) {
      size_t n = (size_t)(end - p) >= 4 ? gp_utf8_len((const unsigned char *)p) : 0;
      if (n == 0 && (size_t)(end - p) < 4) {
        /* near the end: check on a terminated copy */
        unsigned char tmp[5] = {0};
        memcpy(tmp, p, (size_t)(end - p));
        n = gp_utf8_len(tmp);
      }
      if (n > 1) {
        fwrite(p, 1, n, o);
        p += n;
      } else {
        fputs(REPLACEMENT, o);
        p++;
      }
      continue;
    }
    size_t e;
    if (ch == '&' && (e = entity_len(p + 1, end)) > 0) {
      fwrite(p, 1, e + 1, o);
      p += e + 1;
      continue;
    }
    switch (ch) {
    case '&':
      fputs("&amp;", o);
      break;
    case '<':
      fputs("&lt;", o);
      break;
    case '>':
      fputs("&gt;", o);
      break;
    case '"':
      fputs("&quot;", o);
      break;
    case '\t':
    case '\n':
      fputc(ch, o);
      break;
    default:
      if (ch < 0x20 || ch == 0x7f)
        fputc(' ', o);
      else
        fputc(ch, o);
    }
    p++;
  }
}

/* 1 if [P, END) contains S, ignoring ASCII case. */
static int contains_nocase(const char *p, const char *end, const char *s) {
  size_t n = strlen(s);
  for (; (size_t)(end - p) >= n; p++) {
    size_t i = 0;
    while (i < n && (p[i] | 0x20) == (s[i] | 0x20)) i++;
    if (i == n) return 1;
  }
  return 0;
}

/* The ids of one chart so far: gnuplot repeats some in multiplots
 * ("gnuplot_plot_1a" once per panel), and a page must not. */
typedef struct svg_ids {
  char **v; /* ids as written, strdup'd */
  size_t n, cap;
} svg_ids;

static void svg_ids_free(svg_ids *ids) {
  for (size_t i = 0; i < ids->n; i++) free(ids->v[i]);
  free(ids->v);
}

/* How many times ID [P, END) was seen before this one (which is recorded),
 * or -1 when out of memory. */
static long svg_id_seen(svg_ids *ids, const char *p, const char *end) {
  size_t n = (size_t)(end - p);
  long seen = 0;
  for (size_t i = 0; i < ids->n; i++)
    if (strlen(ids->v[i]) == n && memcmp(ids->v[i], p, n) == 0) seen++;
  if (ids->n == ids->cap) {
    size_t cap = ids->cap ? 2 * ids->cap : 64;
    char **v = realloc(ids->v, cap * sizeof *v);
    if (!v) return -1;
    ids->v = v, ids->cap = cap;
  }
  char *s = malloc(n + 1);
  if (!s) return -1;
  memcpy(s, p, n);
  s[n] = '\0';
  ids->v[ids->n++] = s;
  return seen;
}

/* An attribute value, with references to ids ("#id", "url(#id)") given the
 * chart's PREFIX, and an id seen before given a suffix.  Returns 0, -1 when
 * the value refers outside the chart, -2 when out of memory. */
static int svg_value(FILE *o, const char *name, size_t nn, const char *p, const char *end,
                     const char *prefix, svg_ids *ids) {
  int is_id = nn == 2 && memcmp(name, "id", 2) == 0;
  int is_href = (nn == 4 && memcmp(name, "href", 4) == 0) ||
                (nn == 10 && memcmp(name, "xlink:href", 10) == 0);
  if (contains_nocase(p, end, "javascript:") || contains_nocase(p, end, "data:")) return -1;
  if (is_id) {
    long seen = svg_id_seen(ids, p, end);
    if (seen < 0) return -2;
    fputs(prefix, o);
    svg_text(o, p, end);
    if (seen) fprintf(o, "-dup%ld", seen);
    return 0;
  }
  if (is_href) {
    if (p >= end || *p != '#') return -1;
    fputc('#', o);
    fputs(prefix, o);
    p++;
  }
  /* url(...) anywhere (fill, clip-path, filter, style): only url(#id) */
  while (p < end) {
    const char *u = p;
    while (u + 4 <= end && memcmp(u, "url(", 4) != 0) u++;
    if (u + 4 > end) break;
    svg_text(o, p, u + 4);
    u += 4;
    while (u < end && (*u == ' ' || *u == '\'' || *u == '"')) u++;
    if (u >= end || *u != '#') return -1;
    fputc('#', o);
    fputs(prefix, o);
    p = u + 1;
  }
  svg_text(o, p, end);
  return 0;
}

/* svg_inline's work; -2 when out of memory. */
static int svg_copy(FILE *o, const char *svg, size_t len, const char *prefix, const char *label,
                    svg_ids *ids, char *why, size_t wsz) {
  enum { MAXDEPTH = 64 };
  int stack[MAXDEPTH], depth = 0, done = 0;
  const char *p = svg, *end = svg + len;
  while (p < end) {
    if (*p != '<') {
      const char *q = memchr(p, '<', (size_t)(end - p));
      if (!q) q = end;
      if (depth > 0) {
        svg_text(o, p, q);
      } else {
        for (const char *s = p; s < q; s++)
          if (!is_space(*s)) {
            snprintf(why, wsz, "text outside the <svg> element");
            return -1;
          }
      }
      p = q;
      continue;
    }
    size_t rest = (size_t)(end - p);
    if (rest >= 4 && memcmp(p, "<!--", 4) == 0) {
      const char *q = p + 4;
      while (q + 3 <= end && memcmp(q, "-->", 3) != 0) q++;
      if (q + 3 > end) return snprintf(why, wsz, "unterminated comment"), -1;
      p = q + 3;
      continue;
    }
    if (depth == 0 && !done && rest >= 2 && p[1] == '?') {
      const char *q = p + 2;
      while (q + 2 <= end && memcmp(q, "?>", 2) != 0) q++;
      if (q + 2 > end) return snprintf(why, wsz, "unterminated <?"), -1;
      p = q + 2;
      continue;
    }
    if (depth == 0 && !done && rest >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
      const char *q = p + 9;
      while (q < end && *q != '>' && *q != '[') q++;
      if (q >= end || *q != '>') return snprintf(why, wsz, "a DOCTYPE with declarations"), -1;
      p = q + 1;
      continue;
    }
    if (done) return snprintf(why, wsz, "markup after the </svg> end tag"), -1;
    int closing = rest >= 2 && p[1] == '/';
    const char *name = p + (closing ? 2 : 1), *q = name;
    while (q < end && is_name_char(*q)) q++;
    size_t nn = (size_t)(q - name);
    int el = nn ? svg_known(name, nn) : -1;
    if (el < 0) {
      snprintf(why, wsz, "element <%.*s>", (int)(nn < 40 ? nn : 40), nn ? name : p + 1);
      return -1;
    }
    if (closing) {
      while (q < end && is_space(*q)) q++;
      if (q >= end || *q != '>') return snprintf(why, wsz, "malformed end tag"), -1;
      if (depth == 0 || stack[depth - 1] != el)
        return snprintf(why, wsz, "end tag </%s> out of place", svg_elements[el]), -1;
      fprintf(o, "</%s>", svg_elements[el]);
      p = q + 1;
      if (--depth == 0) done = 1;
      continue;
    }
    if (depth == 0 && el != 0) return snprintf(why, wsz, "root element is not <svg>"), -1;
    fprintf(o, "<%s", svg_elements[el]);
    if (depth == 0) {
      fputs(" class=\"chart\" role=\"img\" aria-label=\"", o);
      put_text(o, label);
      fputc('"', o);
    }
    int selfclose = 0;
    for (;;) {
      while (q < end && is_space(*q)) q++;
      if (q >= end) return snprintf(why, wsz, "unterminated tag"), -1;
      if (*q == '>') {
        q++;
        break;
      }
      if (*q == '/' && q + 1 < end && q[1] == '>') {
        selfclose = 1;
        q += 2;
        break;
      }
      const char *an = q;
      while (q < end && is_name_char(*q)) q++;
      size_t anl = (size_t)(q - an);
      while (q < end && is_space(*q)) q++;
      if (!anl || q >= end || *q != '=') return snprintf(why, wsz, "malformed attribute"), -1;
      q++;
      while (q < end && is_space(*q)) q++;
      if (q >= end || (*q != '"' && *q != '\'')) return snprintf(why, wsz, "unquoted value"), -1;
      char quote = *q++;
      const char *v = q;
      while (q < end && *q != quote) q++;
      if (q >= end) return snprintf(why, wsz, "unterminated value"), -1;
      if (anl >= 2 && (an[0] | 0x20) == 'o' && (an[1] | 0x20) == 'n')
        return snprintf(why, wsz, "event handler %.*s", (int)(anl < 40 ? anl : 40), an), -1;
      /* The root's own class and role are ours. */
      int skip = depth == 0 && ((anl == 5 && memcmp(an, "class", 5) == 0) ||
                                (anl == 4 && memcmp(an, "role", 4) == 0));
      if (!skip) {
        fprintf(o, " %.*s=\"", (int)anl, an);
        int vr = svg_value(o, an, anl, v, q, prefix, ids);
        if (vr == -2) return snprintf(why, wsz, "out of memory"), -2;
        if (vr)
          return snprintf(why, wsz, "a reference outside the chart in %.*s",
                          (int)(anl < 40 ? anl : 40), an),
                 -1;
        fputc('"', o);
      }
      q++;
    }
    if (selfclose) {
      fputs("/>", o);
      if (depth == 0) done = 1;
    } else {
      fputc('>', o);
      if (depth == MAXDEPTH) return snprintf(why, wsz, "elements nested too deep"), -1;
      stack[depth++] = el;
    }
    p = q;
  }
  if (!done) return snprintf(why, wsz, depth ? "truncated" : "no <svg> element"), -1;
  return 0;
}

/* Copy the SVG document [SVG, SVG + LEN) into the page as an inline <svg>
 * element (see the invariants at the top), ids prefixed by PREFIX, the root
 * given the class "chart" and LABEL as its accessible name.  On refusal (-1;
 * -2 when out of memory), WHY says what was found. */
static int svg_inline(FILE *o, const char *svg, size_t len, const char *prefix, const char *label,
                      char *why, size_t wsz) {
  svg_ids ids = {NULL, 0, 0};
  int rc = svg_copy(o, svg, len, prefix, label, &ids, why, wsz);
  svg_ids_free(&ids);
  return rc;
}

/* ---- charts ---- */

/* Captions of the charts gp_plot_write draws, by file name; a chart not
 * listed here still goes in, captioned by its name. */
static const struct caption {
  const char *name;
  const char *text;
} captions[] = {
    {"capacity", "Government GPUs over time under each policy: installed (all shares), "
                 "government-usable, allocated to projects and busy, with the roadmap target."},
    {"queue", "Accepted projects waiting for GPUs, and proposals in review, over time."},
    {"time_to_gpu", "How long projects wait from submission to GPUs, by sector: the share of "
                    "started projects that started within a given number of days."},
    {"acceptance", "Acceptance rate by sector and policy, with 95% confidence intervals."},
    {"differences", "Paired differences against the first policy in key metrics, with 95% "
                    "intervals; a filled marker means the interval excludes 0."},
    {"h100e", "Installed capacity in H100-equivalents against the roadmap, median and 5" NDASH
              "95% band over the detailed replications."},
};

static const char *caption_of(const char *name) {
  for (size_t i = 0; i < sizeof captions / sizeof captions[0]; i++)
    if (strcmp(captions[i].name, name) == 0) return captions[i].text;
  return NULL;
}

/* Draw the charts into the private directory; their paths into c->charts. */
static int draw_charts(report *c) {
  char *list = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&list, &size);
  if (!m) return GP_ERR_NOMEM(c->err);
  gp_plot_opts po = {c->priv, "svg", c->point, m};
  int rc = gp_plot_write(c->file, &po, c->err);
  if (fclose(m) != 0 && !rc) rc = GP_ERR_NOMEM(c->err);
  if (rc) {
    free(list);
    return -1;
  }
  size_t n = 0;
  for (size_t i = 0; i < size; i++) n += list[i] == '\n';
  c->charts = calloc(n ? n : 1, sizeof *c->charts);
  if (!c->charts) {
    free(list);
    return GP_ERR_NOMEM(c->err);
  }
  for (char *s = list, *nl; s < list + size && (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
    *nl = '\0';
    if (!(c->charts[c->ncharts++] = strdup(s))) {
      free(list);
      return GP_ERR_NOMEM(c->err);
    }
  }
  free(list);
  return 0;
}

/* The contents of file PATH, malloc'd, with *LEN. */
static char *slurp(report *c, const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    GP_ERR(c->err, GP_EX_IOERR, "%s: cannot read: %s", path, strerror(errno));
    return NULL;
  }
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? 2 * cap : 1 << 16;
      char *b = realloc(buf, cap);
      if (!b) {
        free(buf);
        fclose(f);
        GP_ERR_NOMEM(c->err);
        return NULL;
      }
      buf = b;
    }
    size_t k = fread(buf + n, 1, cap - n, f);
    n += k;
    if (k == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    GP_ERR(c->err, GP_EX_IOERR, "%s: read error", path);
    return NULL;
  }
  *len = n;
  return buf;
}

/* ---- the page ---- */

static const char style[] =
    ":root{color-scheme:light}\n"
    "body{margin:0;background:#eef1f4;color:#1c2430;font:15px/1.5 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'DejaVu Sans','Liberation Sans',Arial,sans-serif}\n"
    "main{max-width:1200px;margin:0 auto;padding:28px 36px 40px;background:#fff}\n"
    "h1{font-size:30px;line-height:1.2;margin:2px 0 8px;overflow-wrap:anywhere}\n"
    "h2{font-size:22px;margin:34px 0 10px;padding-bottom:4px;border-bottom:2px solid #d5dbe3}\n"
    "h3{font-size:17px;margin:22px 0 6px;overflow-wrap:anywhere}\n"
    "p{margin:6px 0 10px}\n"
    ".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#5a6675;"
    "margin:0}\n"
    ".desc{white-space:pre-line;max-width:70em}\n"
    ".muted{color:#5a6675}\n"
    ".small{font-size:13px}\n"
    "nav{margin:14px 0 4px;padding:8px 0;border-top:1px solid #e2e6eb;"
    "border-bottom:1px solid #e2e6eb}\n"
    "nav a{margin-right:18px;color:#1a5fb4;text-decoration:none}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:14px;margin:12px 0}\n"
    ".card{flex:1 1 230px;border:1px solid #d5dbe3;border-radius:6px;padding:10px 14px;"
    "background:#f8f9fb}\n"
    ".card .k{font-size:13px;color:#5a6675}\n"
    ".card .v{font-size:21px;font-weight:650;margin:2px 0}\n"
    ".card strong{white-space:nowrap}\n"
    ".scroll{overflow-x:auto;margin:8px 0}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:13.5px}\n"
    "th,td{padding:4px 8px;border-bottom:1px solid #e2e6eb;text-align:right;"
    "vertical-align:top}\n"
    "th:first-child,td:first-child,th.text{text-align:left}\n"
    "thead th{background:#eef1f5;border-bottom:2px solid #c5cdd7;"
    "max-width:14em;overflow-wrap:anywhere}\n"
    "tbody th{font-weight:normal;min-width:14em;max-width:18em}\n"
    "td{white-space:nowrap}\n"
    "td.sig{background:#e3eefb;font-weight:650}\n"
    "td.same{color:#7a8592}\n"
    ".unit{display:block;color:#5a6675;font-size:12px}\n"
    ".ci{display:block;font-size:12px;font-weight:normal;color:#3b4653}\n"
    "td.text{text-align:left}\n"
    "ul.verdicts{margin:4px 0 12px;padding-left:22px}\n"
    "ul.verdicts li{margin:4px 0}\n"
    "ul.verdicts li.ns,ul.verdicts li.same,ul.verdicts li.na{color:#5a6675}\n"
    ".rules{font-size:13px;color:#5a6675;margin:0 0 4px}\n"
    "figure{margin:20px 0 30px}\n"
    "svg.chart{display:block;width:100%;height:auto;border:1px solid #e2e6eb}\n"
    "figcaption{font-size:14px;color:#3b4653;margin-top:6px}\n"
    "ol.assumptions li{margin:4px 0}\n"
    "dl.run{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px}\n"
    "dl.run dt{color:#5a6675}\n"
    "dl.run dd{margin:0;overflow-wrap:anywhere}\n"
    "footer{margin-top:36px;font-size:12px;color:#7a8592}\n"
    "@media print{body{background:#fff}main{padding:0}nav{display:none}"
    "figure{break-inside:avoid}}\n";

/* "score" or "the policy" shown as text. */
static void put_policy(report *c, size_t i) { put_text(c->o, c->pol[i].name); }

static void head(report *c) {
  FILE *o = c->o;
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"gpuplan report " GP_VERSION "\">\n"
        "<title>",
        o);
  put_text(o, c->name);
  if (c->npoints) fprintf(o, " (sweep point %d)", c->point);
  fputs(" " NDASH " gpuplan report</title>\n<style>\n", o);
  fputs(style, o);
  fputs("</style>\n</head>\n<body>\n<main>\n", o);
}

static void header(report *c) {
  FILE *o = c->o;
  char b[64];
  fputs("<header>\n<p class=\"kicker\">gpuplan report</p>\n<h1 id=\"scenario-name\">", o);
  put_text(o, c->name);
  fputs("</h1>\n", o);
  if (c->description && c->description[0]) {
    fputs("<p class=\"desc\" id=\"scenario-description\">", o);
    put_text(o, c->description);
    fputs("</p>\n", o);
  }
  if (c->npoints) {
    fprintf(o, "<p><strong>Sweep point %d</strong> (of 0 to %d)", c->point, c->npoints - 1);
    for (size_t i = 0; i < c->nsweep; i++) {
      fputs(i ? ", " : ": ", o);
      fputs("<code>", o);
      put_text(o, c->sweep_paths[i]);
      fputs("</code> = <code>", o);
      put_text(o, c->sweep_values[i] ? c->sweep_values[i] : "?");
      fputs("</code>", o);
    }
    fputs(".</p>\n", o);
  }
  fprintf(o, "<p class=\"muted\" id=\"run-line\">%zu replication%s", c->nreps,
          c->nreps == 1 ? "" : "s");
  if (c->nd) fprintf(o, " (%zu detailed)", c->nd);
  if (isfinite(c->seed)) fprintf(o, " &middot; seed %.0f", c->seed);
  gp_date_format(c->epoch, b, sizeof b);
  fprintf(o, " &middot; epoch %s", b);
  if (isfinite(c->end)) {
    fmt_date(c, c->end, b, sizeof b);
    fprintf(o, " &middot; simulated to %s", b);
  }
  fprintf(o, " &middot; %zu polic%s &middot; gpuplan ", c->np, c->np == 1 ? "y" : "ies");
  put_text(o, c->version);
  fputs("</p>\n", o);
  fputs("<nav><a href=\"#roadmap\">Roadmap</a><a href=\"#comparison\">Comparison</a>"
        "<a href=\"#verdicts\">Verdicts</a><a href=\"#charts\">Charts</a>"
        "<a href=\"#assumptions\">Assumptions</a><a href=\"#run\">Run</a></nav>\n</header>\n",
        o);
}

/* "mean ± half-width" of R times SCALE. */
static void put_mean(FILE *o, const gp_stat_row *r, double scale) {
  char a[64], b[64];
  if (r->n == 0 || !isfinite(r->mean)) {
    fputs("<td class=\"same\">n/a</td>", o);
    return;
  }
  int d = decimals(r->mean * scale, r->half_width * scale);
  if (!isfinite(r->half_width))
    fprintf(o, "<td>%s</td>", fmt_num(a, sizeof a, r->mean * scale, d, 0));
  else
    fprintf(o, "<td>%s " PLUSMINUS " %s</td>", fmt_num(a, sizeof a, r->mean * scale, d, 0),
            fmt_num(b, sizeof b, r->half_width * scale, d, 0));
}

/* ---- roadmap ---- */

static void roadmap(report *c) {
  FILE *o = c->o;
  char a[64], b[64], d1[64];
  fputs("<section id=\"roadmap\">\n<h2>Roadmap: gap and risk</h2>\n", o);
  if (!isfinite(c->target_gpus)) {
    fputs("<p>The scenario sets no roadmap target, so there is no gap or risk to report.</p>\n"
          "</section>\n",
          o);
    return;
  }
  /* Installed at the target date, over replications (the roadmap is part of
   * the world: the same under every policy). */
  double *inst = malloc((c->nroad ? c->nroad : 1) * sizeof *inst);
  gp_ci ci = {0, NAN, NAN, NAN};
  double lo = INFINITY, hi = -INFINITY;
  size_t reached = 0;
  if (inst) {
    for (size_t r = 0; r < c->nroad; r++) {
      inst[r] = c->road[r].installed_at_target;
      if (isfinite(inst[r])) lo = fmin(lo, inst[r]), hi = fmax(hi, inst[r]);
      reached += c->road[r].reached_by_target == 1;
    }
    ci = gp_stats_ci(inst, c->nroad, 1, 0.95);
    free(inst);
  }
  fputs("<div class=\"cards\">\n", o);
  fprintf(o,
          "<div class=\"card\" id=\"target\"><div class=\"k\">Target</div>"
          "<div class=\"v\">%s GPUs by %s</div>",
          fmt_num(a, sizeof a, c->target_gpus, 0, 0), c->target_date);
  if (c->target_note) {
    fputs("<div class=\"small muted\">", o);
    put_text(o, c->target_note);
    fputs("</div>", o);
  }
  fputs("</div>\n", o);
  if (c->has_risk) {
    fprintf(o,
            "<div class=\"card\" id=\"probability\"><div class=\"k\">Probability of reaching it "
            "on time</div><div class=\"v\">%s%%</div>",
            fmt_num(a, sizeof a, 100 * c->risk[0], 0, 0));
    fprintf(o, "<div class=\"small\">95%% interval %s" NDASH,
            fmt_num(a, sizeof a, 100 * c->risk[1], 0, 0));
    fprintf(o, "%s%% (Wilson); reached on time in %zu of %zu replication%s</div></div>\n",
            fmt_num(b, sizeof b, 100 * c->risk[2], 0, 0), reached, c->nroad,
            c->nroad == 1 ? "" : "s");
  }
  if (ci.n) {
    int d = decimals(ci.mean, ci.half);
    fprintf(o,
            "<div class=\"card\" id=\"installed\"><div class=\"k\">GPUs delivered by the target "
            "date</div><div class=\"v\">%s",
            fmt_num(a, sizeof a, ci.mean, d, 0));
    if (isfinite(ci.half)) fprintf(o, " " PLUSMINUS " %s", fmt_num(b, sizeof b, ci.half, d, 0));
    fprintf(o, "</div><div class=\"small\">mean and 95%% half-width; %s" NDASH,
            fmt_num(a, sizeof a, lo, 0, 0));
    fprintf(o, "%s across replications</div></div>\n", fmt_num(b, sizeof b, hi, 0, 0));
  }
  if (c->has_risk) {
    char end[32];
    fmt_date(c, c->end, end, sizeof end);
    fputs("<div class=\"card\" id=\"date-reached\"><div class=\"k\">Date the target is "
          "reached</div>",
          o);
    static const char *const ql[3] = {"10% quantile", "median", "90% quantile"};
    for (int i = 0; i < 3; i++) {
      double t = c->risk[3 + i];
      if (t >= 0)
        fmt_date(c, t, d1, sizeof d1);
      else
        snprintf(d1, sizeof d1, "not by the end (%s)", end);
      fprintf(o, "<div>%s: <strong>%s</strong></div>", ql[i], d1);
    }
    fputs("</div>\n", o);
  }
  fputs("</div>\n", o);

  /* In words. */
  if (ci.n && isfinite(ci.mean)) {
    double gap = c->target_gpus - ci.mean;
    int d = decimals(gap, ci.half);
    fputs("<p id=\"gap-verdict\">", o);
    if (isfinite(ci.half) && ci.mean + ci.half < c->target_gpus) {
      fprintf(o, "The roadmap falls short: by %s the GPUs delivered are on average ",
              c->target_date);
      fprintf(o, "<strong>%s GPUs below the target</strong> ", fmt_num(a, sizeof a, gap, d, 0));
      fprintf(o, "(95%% interval %s" NDASH, fmt_num(a, sizeof a, gap - ci.half, d, 0));
      fprintf(o, "%s GPUs short).", fmt_num(b, sizeof b, gap + ci.half, d, 0));
    } else if (isfinite(ci.half) && ci.mean - ci.half >= c->target_gpus) {
      fprintf(o,
              "The roadmap meets its target: by %s the GPUs delivered exceed it on average "
              "by <strong>%s GPUs</strong> ",
              c->target_date, fmt_num(a, sizeof a, -gap, d, 0));
      fprintf(o, "(95%% interval %s" NDASH, fmt_num(a, sizeof a, -gap - ci.half, d, 0));
      fprintf(o, "%s).", fmt_num(b, sizeof b, -gap + ci.half, d, 0));
    } else {
      fprintf(o,
              "Whether the GPUs delivered by %s reach the target is uncertain: the mean gap is "
              "%s GPUs",
              c->target_date, fmt_num(a, sizeof a, gap, d, 0));
      if (isfinite(ci.half)) fprintf(o, " " PLUSMINUS " %s", fmt_num(b, sizeof b, ci.half, d, 0));
      fputs(" (positive: short of the target).", o);
    }
    if (c->has_risk)
      fprintf(o,
              " The target is reached on time in %zu of %zu replication%s, once delivery "
              "slips are drawn.",
              reached, c->nroad, c->nroad == 1 ? "" : "s");
    fputs("</p>\n", o);
  }

  /* Per policy. */
  static const char *const cols[3] = {"installed_gpus_at_target", "gap_to_target",
                                      "installed_h100e_at_target"};
  int k[3];
  for (int j = 0; j < 3; j++) k[j] = metric_index(cols[j]);
  fputs("<div class=\"scroll\"><table id=\"roadmap-table\">\n<thead><tr><th>policy</th>"
        "<th>GPUs online at the target date</th><th>gap to the target (GPUs)</th>"
        "<th>H100-equivalents online at the target date</th></tr></thead>\n<tbody>\n",
        o);
  for (size_t i = 0; i < c->np; i++) {
    fputs("<tr><th scope=\"row\">", o);
    put_policy(c, i);
    fputs("</th>", o);
    for (int j = 0; j < 3; j++) {
      if (k[j] < 0)
        fputs("<td class=\"same\">n/a</td>", o);
      else
        put_mean(o, &c->pol[i].st[k[j]], 1);
    }
    fputs("</tr>\n", o);
  }
  fputs("</tbody></table></div>\n<p class=\"small muted\">Mean " PLUSMINUS
        " 95% half-width over replications. All shares (government and private) count; the "
        "roadmap is drawn once per replication, so it is normally the same under every "
        "policy.</p>\n</section>\n",
        o);
}

/* ---- verdicts ---- */

typedef enum { V_NA, V_SAME, V_NS, V_UP, V_DOWN } verdict;
static const char *const verdict_names[] = {"na", "same", "ns", "up", "down"};

static verdict classify(const gp_stat_row *r) {
  if (!r || r->n == 0 || !isfinite(r->mean)) return V_NA;
  if (r->mean == 0 && r->sd == 0) return V_SAME;
  if (!isfinite(r->half_width)) return V_NA;
  if (r->lo > 0) return V_UP;
  if (r->hi < 0) return V_DOWN;
  return V_NS;
}

/* The data-* attributes of a judged statistic, for readers that check it. */
static void put_data(FILE *o, const char *metric, const gp_stat_row *r, verdict v) {
  fprintf(o, " data-metric=\"%s\" data-verdict=\"%s\"", metric, verdict_names[v]);
  if (r && r->n)
    fprintf(o, " data-n=\"%d\" data-lo=\"%.17g\" data-hi=\"%.17g\"", (int)r->n, r->lo, r->hi);
}

/* "by A–B UNIT" for a significant interval of R times SCALE. */
static void put_by(FILE *o, const gp_stat_row *r, double scale, const char *unit) {
  char a[64], b[64];
  double x = fabs(r->lo * scale), y = fabs(r->hi * scale);
  if (x > y) {
    double t = x;
    x = y, y = t;
  }
  if (x == y) {
    int d = decimals(x, 0);
    fprintf(o, "by %s %s in every replication", fmt_num(a, sizeof a, x, d, 0), unit);
    return;
  }
  int d = range_decimals(0, y - x);
  fprintf(o, "by %s" NDASH "%s %s", fmt_num(a, sizeof a, x, nonzero_decimals(x, d), 0),
          fmt_num(b, sizeof b, y, d, 0), unit);
}

/* "−A to +B UNIT" for an interval that includes 0. */
static void put_range(FILE *o, const gp_stat_row *r, double scale, const char *unit) {
  char a[64], b[64];
  double x = r->lo * scale, y = r->hi * scale;
  int d = range_decimals(0, y - x);
  fprintf(o, "%s to %s %s", fmt_num(a, sizeof a, x, nonzero_decimals(x, d), 1),
          fmt_num(b, sizeof b, y, nonzero_decimals(y, d), 1), unit);
}

/* A list of sector words with CONJ before the last: "a, b or c". */
static void put_sectors(FILE *o, const int *s, int n, const char *conj, const char *const *ids,
                        const gp_stat_row *rows, verdict v) {
  for (int i = 0; i < n; i++) {
    fputs(i == 0 ? "" : i == n - 1 ? conj : ", ", o);
    fputs("<span", o);
    put_data(o, ids[s[i]], &rows[s[i]], v);
    fprintf(o, ">%s</span>", sector_words[s[i]]);
  }
}

/* One sentence over the sectors for policy I: ROWS[s] the paired statistics of
 * sector s, IDS[s] their metric names. */
static void sector_sentence(report *c, size_t i, const char *what, const char *up, const char *down,
                            const gp_stat_row rows[GP_NSECTORS], const char *const ids[GP_NSECTORS],
                            double scale, const char *unit, const char *tail) {
  FILE *o = c->o;
  int ups[GP_NSECTORS], downs[GP_NSECTORS], ns[GP_NSECTORS], na[GP_NSECTORS];
  int nu = 0, ndn = 0, nns = 0, nna = 0, nsame = 0;
  for (int s = 0; s < GP_NSECTORS; s++) {
    verdict v = classify(&rows[s]);
    if (v == V_UP)
      ups[nu++] = s;
    else if (v == V_DOWN)
      downs[ndn++] = s;
    else if (v == V_NA)
      na[nna++] = s;
    else
      ns[nns++] = s, nsame += v == V_SAME;
  }
  if (nu + ndn + nns == 0) return; /* nothing known: the table says n/a */
  fprintf(o, "<li class=\"%s\">", nu + ndn ? "sig" : nsame == nns ? "same" : "ns");
  put_policy(c, i);
  if (nu + ndn == 0 && nsame == nns) {
    fputs(": the same as ", o);
    put_policy(c, 0);
    fprintf(o, " in every replication in %s of every sector", what);
    for (int j = 0; j < nns; j++) {
      fputs("<span", o);
      put_data(o, ids[ns[j]], &rows[ns[j]], V_SAME);
      fputs("></span>", o);
    }
  } else if (nu + ndn == 0) {
    fprintf(o, ": no significant change in %s for any sector", what);
  } else {
    const char *sep = " ";
    int first = 1;
    for (int pass = 0; pass < 2; pass++) {
      int *list = pass ? downs : ups, n = pass ? ndn : nu;
      if (!n) continue;
      fprintf(o, "%s%s %s", sep, pass ? down : up, first ? what : "it");
      for (int j = 0; j < n; j++) {
        int s = list[j];
        fputs(j == 0 ? " " : j == n - 1 ? " and " : ", ", o);
        fputs("<span", o);
        put_data(o, ids[s], &rows[s], pass ? V_DOWN : V_UP);
        fprintf(o, ">for %s ", sector_words[s]);
        put_by(o, &rows[s], scale, unit);
        fputs("</span>", o);
      }
      sep = "; ";
      first = 0;
    }
    if (nns) {
      fputs("; no significant change for ", o);
      put_sectors(o, ns, nns, " or ", ids, rows, V_NS);
    }
  }
  if (nna) {
    fputs("; no data for ", o);
    put_sectors(o, na, nna, " or ", ids, rows, V_NA);
  }
  fprintf(o, "%s.</li>\n", tail ? tail : "");
}

/* The verdicts on policy I against the first. */
static void policy_verdicts(report *c, size_t i) {
  FILE *o = c->o;
  fputs("<h3>", o);
  put_policy(c, i);
  fputs(" against ", o);
  put_policy(c, 0);
  fputs("</h3>\n", o);
  if (c->pol[i].selection || c->pol[i].scheduling) {
    fputs("<p class=\"rules\">selection rule <code>", o);
    put_text(o, c->pol[i].selection ? c->pol[i].selection : "?");
    fputs("</code>, scheduling rule <code>", o);
    put_text(o, c->pol[i].scheduling ? c->pol[i].scheduling : "?");
    fputs("</code></p>\n", o);
  }
  fputs("<ul class=\"verdicts\" data-policy=\"", o);
  put_policy(c, i);
  fputs("\">\n", o);
  /* The order of the sentences; -1: acceptance by sector, -2: time to GPU by
   * sector. */
  static const char *const order[] = {"acceptance_rate",    "(acceptance by sector)",
                                      "mean_days_to_gpu",   "(time to GPU by sector)",
                                      "mean_days_in_queue", "mean_days_to_decision",
                                      "accepted",           "started",
                                      "waiting_at_end",     "utilization",
                                      "idle_gpu_hours",     "mean_quality_accepted",
                                      "subsidy_krw",        "selfpay_krw",
                                      "proposals",          NULL};
  const struct metric *ns[NMETRICS], *same[NMETRICS], *na[NMETRICS];
  size_t nns = 0, nsame = 0, nna = 0;
  for (int j = 0; order[j]; j++) {
    if (strcmp(order[j], "(acceptance by sector)") == 0) {
      gp_stat_row rows[GP_NSECTORS];
      const char *ids[GP_NSECTORS];
      int have = 1;
      for (size_t m = 0; m < NMETRICS; m++) {
        if (metrics[m].sector < 0) continue;
        const gp_stat_row *r = stat_of(c, i, &metrics[m], 1);
        if (!r)
          have = 0;
        else
          rows[metrics[m].sector] = *r, ids[metrics[m].sector] = metrics[m].field;
      }
      if (have)
        sector_sentence(c, i, "the acceptance rate", "raises", "lowers", rows, ids, 100,
                        "percentage points", NULL);
      continue;
    }
    if (strcmp(order[j], "(time to GPU by sector)") == 0) {
      if (c->nd < 2) continue;
      char *tail = gp_strf(" (from the %zu detailed replications)", c->nd);
      sector_sentence(c, i, "the time from submission to GPUs", "lengthens", "shortens",
                      c->pol[i].ttg_diff, ttg_ids, 1, "days", tail ? tail : "");
      free(tail);
      continue;
    }
    const struct metric *m = NULL;
    for (size_t k = 0; k < NMETRICS; k++)
      if (strcmp(metrics[k].field, order[j]) == 0) m = &metrics[k];
    if (!m) continue;
    const gp_stat_row *r = stat_of(c, i, m, 1);
    verdict v = classify(r);
    if (v == V_UP || v == V_DOWN) {
      fputs("<li class=\"sig\"", o);
      put_data(o, m->field, r, v);
      fputc('>', o);
      put_policy(c, i);
      fprintf(o, " %s %s ", v == V_UP ? m->up : m->down, m->what);
      put_by(o, r, m->scale, m->dunit);
      fputs(".</li>\n", o);
    } else if (v == V_NS) {
      ns[nns++] = m;
    } else if (v == V_SAME) {
      same[nsame++] = m;
    } else if (r) {
      na[nna++] = m;
    }
  }
  if (nns) {
    fputs("<li class=\"ns\">", o);
    put_policy(c, i);
    fputs(": no significant change in ", o);
    for (size_t j = 0; j < nns; j++) {
      fputs(j == 0 ? "" : j == nns - 1 ? " or " : "; ", o);
      const gp_stat_row *r = stat_of(c, i, ns[j], 1);
      fputs("<span", o);
      put_data(o, ns[j]->field, r, V_NS);
      fprintf(o, ">%s (", ns[j]->what);
      put_range(o, r, ns[j]->scale, ns[j]->dunit);
      fputs(")</span>", o);
    }
    fputs(".</li>\n", o);
  }
  if (nsame) {
    fputs("<li class=\"same\">", o);
    put_policy(c, i);
    fputs(": the same as ", o);
    put_policy(c, 0);
    fputs(" in every replication in ", o);
    for (size_t j = 0; j < nsame; j++) {
      fputs(j == 0 ? "" : j == nsame - 1 ? " and " : ", ", o);
      fputs("<span", o);
      put_data(o, same[j]->field, stat_of(c, i, same[j], 1), V_SAME);
      fprintf(o, ">%s</span>", same[j]->what);
    }
    fputs(".</li>\n", o);
  }
  if (nna) {
    fputs("<li class=\"na\">", o);
    put_policy(c, i);
    fputs(": too few replications with a value to judge ", o);
    for (size_t j = 0; j < nna; j++) {
      fputs(j == 0 ? "" : j == nna - 1 ? " or " : ", ", o);
      fputs("<span", o);
      put_data(o, na[j]->field, stat_of(c, i, na[j], 1), V_NA);
      fprintf(o, ">%s</span>", na[j]->what);
    }
    fputs(".</li>\n", o);
  }
  fputs("</ul>\n", o);
}

static void verdicts(report *c) {
  FILE *o = c->o;
  fputs("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n", o);
  if (c->np < 2) {
    fputs("<p>The file holds one policy, ", o);
    put_policy(c, 0);
    fputs(": there is nothing to compare it with.</p>\n</section>\n", o);
    return;
  }
  fputs("<p>Each policy against <strong>", o);
  put_policy(c, 0);
  fprintf(o,
          "</strong>, the first of the scenario. Every policy of a replication faced the same "
          "world (the same proposals, review noise, delivery slips and failures), so the "
          "differences are paired, replication by replication, over %zu replication%s. A "
          "change is called <em>significant</em> when the 95%% confidence interval of the "
          "mean paired difference excludes 0; the numbers quoted are that interval's bounds. "
          "Rates change in percentage points, money in billion KRW.",
          c->nreps, c->nreps == 1 ? "" : "s");
  if (c->nreps < 2)
    fputs(" With fewer than 2 replications no interval can be computed: run more (--reps).", o);
  fputs("</p>\n", o);
  for (size_t i = 1; i < c->np; i++) policy_verdicts(c, i);
  fputs("</section>\n", o);
}

/* ---- comparison tables ---- */

/* "+m [lo, hi]" of a paired difference. */
static void put_diff(FILE *o, const gp_stat_row *r, double scale) {
  char a[64], b[64], d3[64];
  verdict v = classify(r);
  if (v == V_NA && (!r || r->n == 0 || !isfinite(r->mean))) {
    fputs("<td class=\"same\">n/a</td>", o);
    return;
  }
  if (v == V_SAME) {
    fputs("<td class=\"same\">identical</td>", o);
    return;
  }
  int d = decimals(r->mean * scale, r->half_width * scale);
  if (!isfinite(r->half_width)) {
    fprintf(o, "<td>%s</td>", fmt_num(a, sizeof a, r->mean * scale, d, 1));
    return;
  }
  double lo = r->lo * scale, hi = r->hi * scale;
  fprintf(o, "<td%s>%s<span class=\"ci\">[%s, %s]</span></td>",
          v == V_UP || v == V_DOWN ? " class=\"sig\"" : "",
          fmt_num(a, sizeof a, r->mean * scale, d, 1),
          fmt_num(b, sizeof b, lo, nonzero_decimals(lo, d), 1),
          fmt_num(d3, sizeof d3, hi, nonzero_decimals(hi, d), 1));
}

static void row_label(FILE *o, const char *metric, const char *label, const char *unit) {
  fprintf(o, "<tr data-metric=\"%s\"><th scope=\"row\">%s<span class=\"unit\">%s</span></th>",
          metric, label, unit);
}

static void comparison(report *c) {
  FILE *o = c->o;
  fputs("<section id=\"comparison\">\n<h2>Policy comparison</h2>\n", o);
  fprintf(o, "<h3>Mean " PLUSMINUS " 95%% half-width over %zu replication%s</h3>\n", c->nreps,
          c->nreps == 1 ? "" : "s");
  fputs("<div class=\"scroll\"><table id=\"means\">\n<thead><tr><th>metric</th>", o);
  for (size_t i = 0; i < c->np; i++) {
    fputs("<th scope=\"col\" class=\"policy\">", o);
    put_policy(c, i);
    fputs("</th>", o);
  }
  fputs("</tr></thead>\n<tbody>\n", o);
  for (size_t m = 0; m < NMETRICS; m++) {
    if (metric_index(metrics[m].field) < 0) continue;
    row_label(o, metrics[m].field, metrics[m].label, metrics[m].unit);
    for (size_t i = 0; i < c->np; i++) put_mean(o, stat_of(c, i, &metrics[m], 0), metrics[m].scale);
    fputs("</tr>\n", o);
  }
  if (c->nd)
    for (int s = 0; s < GP_NSECTORS; s++) {
      char label[96];
      snprintf(label, sizeof label, "days to GPUs, %s&nbsp;&dagger;", sector_words[s]);
      row_label(o, ttg_ids[s], label, "days");
      for (size_t i = 0; i < c->np; i++) put_mean(o, &c->pol[i].ttg[s], 1);
      fputs("</tr>\n", o);
    }
  fputs("</tbody></table></div>\n", o);
  if (c->np > 1) {
    fputs("<h3>Paired difference against ", o);
    put_policy(c, 0);
    fputs(", with its 95% interval</h3>\n", o);
    fputs("<div class=\"scroll\"><table id=\"differences\">\n<thead><tr><th>metric</th>", o);
    for (size_t i = 1; i < c->np; i++) {
      fputs("<th scope=\"col\" class=\"policy\">", o);
      put_policy(c, i);
      fputs(" " MINUS " ", o);
      put_policy(c, 0);
      fputs("</th>", o);
    }
    fputs("</tr></thead>\n<tbody>\n", o);
    for (size_t m = 0; m < NMETRICS; m++) {
      if (metric_index(metrics[m].field) < 0) continue;
      row_label(o, metrics[m].field, metrics[m].label,
                strcmp(metrics[m].unit, "%") == 0 ? "percentage points" : metrics[m].unit);
      for (size_t i = 1; i < c->np; i++)
        put_diff(o, stat_of(c, i, &metrics[m], 1), metrics[m].scale);
      fputs("</tr>\n", o);
    }
    if (c->nd)
      for (int s = 0; s < GP_NSECTORS; s++) {
        char label[96];
        snprintf(label, sizeof label, "days to GPUs, %s&nbsp;&dagger;", sector_words[s]);
        row_label(o, ttg_ids[s], label, "days");
        for (size_t i = 1; i < c->np; i++) put_diff(o, &c->pol[i].ttg_diff[s], 1);
        fputs("</tr>\n", o);
      }
    fputs("</tbody></table></div>\n<p class=\"small muted\">Shaded and bold: the 95% interval of "
          "the paired difference excludes 0. &ldquo;identical&rdquo;: the same in every "
          "replication.",
          o);
  } else {
    fputs("<p class=\"small muted\">", o);
  }
  if (c->nd)
    fprintf(o,
            " &dagger; From the %zu detailed replication%s only (per-proposal rows): mean "
            "over replications of the mean days from submission to GPUs of the sector's "
            "started projects.",
            c->nd, c->nd == 1 ? "" : "s");
  fputs(" Rates are shown in %, their differences in percentage points; money in billion KRW "
        "(market price of GPU-hours held, less self-pay, for the subsidy).</p>\n</section>\n",
        o);
}

/* ---- charts, assumptions, run ---- */

static int charts(report *c) {
  FILE *o = c->o;
  fputs("<section id=\"charts\">\n<h2>Charts</h2>\n", o);
  if (c->nd == 0)
    fputs("<p class=\"muted\">The file has no detailed replications: the charts over time say "
          "so (run with --detail K).</p>\n",
          o);
  for (size_t k = 0; k < c->ncharts; k++) {
    const char *path = c->charts[k];
    const char *slash = strrchr(path, '/');
    char name[64];
    snprintf(name, sizeof name, "%s", slash ? slash + 1 : path);
    name[strcspn(name, ".")] = '\0';
    size_t len = 0;
    char *svg = slurp(c, path, &len);
    if (!svg) return -1;
    const char *cap = caption_of(name);
    char prefix[80], why[128];
    snprintf(prefix, sizeof prefix, "chart-%zu-", k);
    fputs("<figure id=\"chart-", o);
    put_text(o, name);
    fputs("\">\n", o);
    int rc = svg_inline(o, svg, len, prefix, cap ? cap : name, why, sizeof why);
    free(svg);
    if (rc == -2) return GP_ERR_NOMEM(c->err);
    if (rc)
      return GP_ERR(c->err, GP_EX_SOFTWARE,
                    "%s: gnuplot's SVG of chart %s has %s; not put in the report", c->file, name,
                    why);
    fputs("\n<figcaption>", o);
    put_text(o, cap ? cap : name);
    fputs("</figcaption>\n</figure>\n", o);
  }
  fputs("</section>\n", o);
  return 0;
}

static void assumptions(report *c) {
  FILE *o = c->o;
  fputs("<section id=\"assumptions\">\n<h2>Assumptions</h2>\n", o);
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(c->scen, "assumptions");
  int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
  if (n == 0) {
    fputs("<p>The scenario lists no assumptions.</p>\n", o);
  } else {
    fprintf(o,
            "<p>What the scenario takes as given (%d, from its <code>assumptions</code>):</p>\n"
            "<ol class=\"assumptions\">\n",
            n);
    const cJSON *it;
    cJSON_ArrayForEach(it, a) {
      fputs("<li>", o);
      if (cJSON_IsString(it) && it->valuestring) {
        put_text(o, it->valuestring);
      } else {
        char *s = cJSON_PrintUnformatted(it);
        put_text(o, s ? s : "?");
        free(s);
      }
      fputs("</li>\n", o);
    }
    fputs("</ol>\n", o);
  }
  if (c->note) {
    fputs("<p class=\"small muted\" id=\"scenario-note\">Note: ", o);
    put_text(o, c->note);
    fputs("</p>\n", o);
  }
  fputs("</section>\n", o);
}

static void run_section(report *c) {
  FILE *o = c->o;
  char b[64];
  fputs("<section id=\"run\">\n<h2>Run</h2>\n<dl class=\"run\">\n<dt>result file</dt><dd><code>",
        o);
  put_text(o, c->file);
  fputs("</code>", o);
  if (c->npoints) fprintf(o, ", sweep point %d of 0 to %d", c->point, c->npoints - 1);
  fputs("</dd>\n<dt>written by</dt><dd>gpuplan ", o);
  put_text(o, c->version);
  fprintf(o, "</dd>\n<dt>replications</dt><dd>%zu; ", c->nreps);
  if (c->nd)
    fprintf(o, "the first %zu detailed (per-proposal rows and time series)", c->nd);
  else
    fputs("none detailed (no per-proposal rows or time series)", o);
  fputs("</dd>\n", o);
  if (isfinite(c->seed))
    fprintf(o,
            "<dt>seed</dt><dd>%.0f (replication r of every policy uses streams seeded from "
            "the seed and r)</dd>\n",
            c->seed);
  gp_date_format(c->epoch, b, sizeof b);
  fprintf(o, "<dt>epoch</dt><dd>%s (time 0; times are days since then)</dd>\n", b);
  if (isfinite(c->end)) {
    char m[32];
    fmt_date(c, c->end, b, sizeof b);
    fmt_date(c, isfinite(c->measure_from) ? c->measure_from : 0, m, sizeof m);
    fprintf(o, "<dt>simulated period</dt><dd>to %s (day %.0f); statistics measured from %s</dd>\n",
            b, c->end, m);
  }
  fputs("</dl>\n<div class=\"scroll\"><table id=\"policies\">\n<thead><tr><th>policy</th>"
        "<th class=\"text\">selection rule</th><th class=\"text\">scheduling "
        "rule</th></tr></thead>\n<tbody>\n",
        o);
  for (size_t i = 0; i < c->np; i++) {
    fputs("<tr><th scope=\"row\">", o);
    put_policy(c, i);
    fputs("</th><td class=\"text\"><code>", o);
    put_text(o, c->pol[i].selection ? c->pol[i].selection : "?");
    fputs("</code></td><td class=\"text\"><code>", o);
    put_text(o, c->pol[i].scheduling ? c->pol[i].scheduling : "?");
    fputs("</code></td></tr>\n", o);
  }
  fputs("</tbody></table></div>\n<p class=\"small muted\">The rules: <code>gpuplan "
        "policies</code>. The data behind every number here: <code>gpuplan export</code> "
        "(CSV) and <code>gpuplan compare</code>; the file's layout: docs/output.md.</p>\n"
        "</section>\n",
        o);
}

static void footer(report *c) {
  fputs("<footer>Written by gpuplan " GP_VERSION " (<code>gpuplan report</code>) from <code>",
        c->o);
  put_text(c->o, c->file);
  fputs("</code>. This page is self-contained: no scripts, no external files.</footer>\n"
        "</main>\n</body>\n</html>\n",
        c->o);
}

/* ---- files ---- */

/* Remove the private directory and what is in it (all of it ours). */
static void priv_remove(report *c) {
  if (!c->priv) return;
  DIR *d = opendir(c->priv);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      char *p = gp_strf("%s/%s", c->priv, e->d_name);
      if (p) unlink(p);
      free(p);
    }
    closedir(d);
  }
  rmdir(c->priv);
}

/* The private directory beside OUT. */
static int priv_make(report *c, const char *out) {
  struct stat st;
  if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
    return GP_ERR(c->err, GP_EX_CANTCREAT, "%s: is a directory", out);
  size_t n = strlen(out);
  if (n == 0 || out[n - 1] == '/')
    return GP_ERR(c->err, GP_EX_CANTCREAT, "%s: not a file name", out);
  const char *slash = strrchr(out, '/');
  char *dir = slash ? gp_strf("%.*s", (int)(slash == out ? 1 : slash - out), out) : strdup(".");
  if (!dir) return GP_ERR_NOMEM(c->err);
  char *tmpl = gp_strf("%s/.gpuplan-report-XXXXXX", dir);
  if (!tmpl) {
    free(dir);
    return GP_ERR_NOMEM(c->err);
  }
  if (!mkdtemp(tmpl)) {
    GP_ERR(c->err, GP_EX_CANTCREAT, "%s: cannot create the report in %s: %s", out, dir,
           strerror(errno));
    free(tmpl);
    free(dir);
    return -1;
  }
  free(dir);
  c->priv = tmpl;
  return 0;
}

static int write_page(report *c, const char *out) {
  if (!(c->page = gp_strf("%s/report.html", c->priv))) return GP_ERR_NOMEM(c->err);
  if (!(c->o = fopen(c->page, "w")))
    return GP_ERR(c->err, GP_EX_CANTCREAT, "%s: cannot create: %s", c->page, strerror(errno));
  head(c);
  header(c);
  roadmap(c);
  comparison(c);
  verdicts(c);
  int rc = charts(c);
  if (!rc) {
    assumptions(c);
    run_section(c);
    footer(c);
  }
  int bad = ferror(c->o) || fflush(c->o) != 0 || fsync(fileno(c->o)) != 0;
  int e = errno;
  if (fclose(c->o) != 0 && !bad) bad = 1, e = errno;
  c->o = NULL;
  if (rc) return -1;
  if (bad) return GP_ERR(c->err, GP_EX_IOERR, "%s: write error: %s", out, strerror(e));
  if (rename(c->page, out) != 0)
    return GP_ERR(c->err, GP_EX_CANTCREAT, "%s: cannot create: %s", out, strerror(errno));
  return 0;
}

static void report_free(report *c) {
  for (size_t i = 0; i < c->np; i++) {
    policy *p = &c->pol[i];
    free(p->name);
    free(p->selection);
    free(p->scheduling);
    free(p->sum);
    free(p->prop);
    free(p->st);
    free(p->diff);
    free(p->ttg_rep);
  }
  free(c->pol);
  for (size_t k = 0; k < c->ncharts; k++) free(c->charts[k]);
  free(c->charts);
  if (c->sweep_values)
    for (size_t i = 0; i < c->nsweep; i++) free(c->sweep_values[i]);
  free(c->sweep_values);
  gp_h5in_free_names(c->sweep_paths, c->nsweep);
  cJSON_Delete(c->scen);
  free(c->version);
  free(c->name);
  free(c->description);
  free(c->note);
  free(c->target_note);
  free(c->road);
  free(c->page);
  free(c->priv);
  gp_h5in_close(c->h);
}

int gp_report_write(const char *path, const gp_report_opts *o, gp_err *err) {
  report c;
  memset(&c, 0, sizeof c);
  c.file = path;
  c.point = o->point;
  c.err = err;
  char *out = NULL;
  if (o->out) {
    out = strdup(o->out);
  } else {
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".h5") == 0) n -= 3;
    out = gp_strf("%.*s.html", (int)n, path);
  }
  if (!out) return GP_ERR_NOMEM(err);
  int rc = -1;
  if (!(c.h = gp_h5in_open(path, err)) || load(&c)) goto done;
  struct stat si, so;
  if (stat(path, &si) == 0 && stat(out, &so) == 0 && si.st_dev == so.st_dev &&
      si.st_ino == so.st_ino) {
    GP_ERR(err, GP_EX_USAGE, "%s: the report would overwrite the result file", out);
    goto done;
  }
  if (priv_make(&c, out) || draw_charts(&c) || write_page(&c, out)) goto done;
  rc = 0;
done:
  if (c.o) fclose(c.o);
  priv_remove(&c);
  report_free(&c);
  free(out);
  return rc;
}
