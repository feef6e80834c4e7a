/*
 * analysis/kpi.c - programme statistics per demand source (see kpi.h):
 * the columns, their summary over replications, the text and CSV layouts.
 *
 * The columns and the blocks of the text layout are declared once, in
 * gp_kpi_cols[] and gp_kpi_blocks[]; the CSV header, the text headers, the
 * report's table and docs/output.md's table of columns follow them.
 *
 * Invariant: a NaN figure (no value) is printed as "n/a" in text and HTML
 * and as an empty cell in CSV; nothing here prints a 0 it did not compute;
 * text from the file reaches HTML only through gp_html_text.
 */
#include "analysis/kpi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/format.h"
#include "analysis/text.h"
#include "sim/escape.h"
#include "sim/stats.h"

#define OFF(m) offsetof(gp_call_row, m)
#define NONE GP_KPI_NONE
/* A count or amount of the row; a rate NUM / DEN; a fixed amount. */
#define FIELD(name, unit, doc, head, block, m) {name, unit, doc, head, block, 1, 0, OFF(m), NONE, NONE, NONE}
#define RATE(name, doc, head, block, n, d) {name, "1", doc, head, block, 1, 1, OFF(n), NONE, OFF(d), NONE}

const char *const gp_kpi_blocks[] = {
    "Demand and awards (PRACE: call statistics; INCITE: requests and awards)",
    "Success rate by sector, % of proposals accepted (INCITE: success rate)",
    "By region, % (the capital region and the rest)",
    "Rejections by stage, withdrawals, days from submission to decision",
    "GPUs granted by sector (PRACE, INCITE: allocations by field)",
};
const int gp_kpi_nblocks = (int)(sizeof gp_kpi_blocks / sizeof gp_kpi_blocks[0]);

const gp_kpi_col gp_kpi_cols[] = {
    FIELD("proposals", "proposals", "proposals submitted", "proposals", 0, proposals),
    FIELD("units_requested", "units", "servers (GPUs in per-GPU pools) asked for", "units asked", 0,
          units_requested),
    {"units_offered", "units", "the call's budget over its GPU types (fixed by the scenario; none for streams, designations and calls without a budget)",
     "offered", 0, 0, 0, OFF(units_offered), NONE, NONE, NONE},
    FIELD("oversubscription", "1", "units asked / units offered", "oversub.", 0, oversubscription),
    FIELD("accepted", "proposals", "proposals accepted", "accepted", 0, accepted),
    FIELD("units_awarded", "units", "servers (GPUs in per-GPU pools) awarded", "awarded", 0,
          units_awarded),
    RATE("success_rate", "accepted / proposals submitted", "all", 1, accepted, proposals),
    RATE("success_rate_industry", "the same, industry", "industry", 1, accepted_industry,
         proposals_industry),
    RATE("success_rate_startup", "the same, startups and youth companies", "startup", 1,
         accepted_startup, proposals_startup),
    RATE("success_rate_academia", "the same, academia", "academia", 1, accepted_academia,
         proposals_academia),
    RATE("success_rate_research", "the same, research institutes", "research", 1,
         accepted_research, proposals_research),
    RATE("success_rate_national", "the same, national projects", "national", 1, accepted_national,
         proposals_national),
    RATE("capital_share_proposals", "proposals from the capital region / proposals",
         "cap. share", 2, proposals_capital, proposals),
    RATE("success_rate_capital", "accepted / proposals, capital region", "capital", 2,
         accepted_capital, proposals_capital),
    {"success_rate_other", "1", "accepted / proposals, outside the capital region", "elsewhere", 2,
     1, 1, OFF(accepted), OFF(accepted_capital), OFF(proposals), OFF(proposals_capital)},
    FIELD("rejected_screening", "proposals", "rejected at administrative screening", "screening",
          3, rejected_screening),
    FIELD("rejected_interview", "proposals", "found unsuitable at the suitability interview",
          "interview", 3, rejected_interview),
    FIELD("rejected_committee", "proposals", "not selected by a committee", "committee", 3,
          rejected_committee),
    FIELD("withdrawn", "proposals", "withdrawn, at any stage", "withdrawn", 3, withdrawn),
    FIELD("p50_days_to_decision", "days", "median days from submission to decision",
          "p50 days", 3, p50_days_to_decision),
    FIELD("p90_days_to_decision", "days", "90% quantile of days from submission to decision",
          "p90 days", 3, p90_days_to_decision),
    FIELD("gpus_awarded", "GPUs", "GPUs awarded", "all", 4, gpus_awarded),
    FIELD("gpus_awarded_industry", "GPUs", "GPUs awarded to industry", "industry", 4,
          gpus_awarded_industry),
    FIELD("gpus_awarded_startup", "GPUs", "GPUs awarded to startups and youth companies",
          "startup", 4, gpus_awarded_startup),
    FIELD("gpus_awarded_academia", "GPUs", "GPUs awarded to academia", "academia", 4,
          gpus_awarded_academia),
    FIELD("gpus_awarded_research", "GPUs", "GPUs awarded to research institutes", "research", 4,
          gpus_awarded_research),
    FIELD("gpus_awarded_national", "GPUs", "GPUs awarded to national projects", "national", 4,
          gpus_awarded_national),
};
const int gp_kpi_ncols = (int)(sizeof gp_kpi_cols / sizeof gp_kpi_cols[0]);
#undef FIELD
#undef RATE

/* The field of the calls table at offset AT, or NULL (GP_KPI_NONE). */
static const gp_field *field_at(size_t at) {
  for (int i = 0; at != NONE && i < gp_call_desc.nfields; i++)
    if (gp_call_desc.fields[i].offset == at) return &gp_call_desc.fields[i];
  return NULL;
}

/* A column's four terms, resolved once: num, num_less, den, den_less. */
typedef struct terms {
  const gp_field *f[4];
} terms;

static terms col_terms(const gp_kpi_col *c) {
  return (terms){{field_at(c->num), field_at(c->num_less), field_at(c->den), field_at(c->den_less)}};
}

static double term(const gp_field *f, const gp_call_row *row) { return f ? gp_field_get(f, row) : 0; }

/* A column's value in ROW; NaN when it has none (a rate over nothing). */
static double col_value(const terms *t, const gp_call_row *row) {
  double num = term(t->f[0], row) - term(t->f[1], row);
  if (!t->f[2]) return num;
  double den = term(t->f[2], row) - term(t->f[3], row);
  return den > 0 ? num / den : NAN;
}

const char *gp_kpi_missing(const gp_call_row *rows, size_t n) {
  /* The counts of the programme statistics: never NaN in a file that has
   * them (the quantiles and the budget may be). */
  static const char *const counts[] = {
      "proposals_industry", "proposals_startup", "proposals_academia", "proposals_research",
      "proposals_national", "accepted_industry", "accepted_startup",   "accepted_academia",
      "accepted_research",  "accepted_national", "proposals_capital",  "accepted_capital",
      "rejected_screening", "rejected_interview", "rejected_committee"};
  for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
    const gp_field *f = NULL;
    for (int i = 0; i < gp_call_desc.nfields && !f; i++)
      if (strcmp(gp_call_desc.fields[i].name, counts[k]) == 0) f = &gp_call_desc.fields[i];
    size_t nan = 0;
    for (size_t i = 0; f && i < n; i++) nan += isnan(gp_field_get(f, &rows[i])) != 0;
    if (!f || (n && nan == n)) return counts[k];
  }
  return NULL;
}

void gp_kpi_free(gp_kpi *k) {
  for (size_t i = 0; k->rows && i < k->n; i++) {
    free(k->rows[i].name);
    free(k->rows[i].fig);
  }
  free(k->rows);
  free(k->policy);
  memset(k, 0, sizeof *k);
}

int gp_kpi_from_rows(gp_kpi *k, const char *policy, const gp_call_row *rows, size_t nrows,
                     char *const *names, size_t nnames, size_t ncalls, size_t nstreams,
                     gp_err *err) {
  memset(k, 0, sizeof *k);
  size_t nc = (size_t)gp_kpi_ncols;
  gp_welford *w = calloc(nnames * nc + 1, sizeof *w);
  size_t *count = calloc(nnames + 1, sizeof *count);
  k->policy = strdup(policy);
  k->rows = calloc(nnames + 1, sizeof *k->rows);
  int rc = 0;
  if (!w || !count || !k->policy || !k->rows) {
    rc = GP_ERR_NOMEM(err);
    goto done;
  }
  k->n = nnames;
  for (size_t j = 0; j < nnames; j++) {
    gp_kpi_row *row = &k->rows[j];
    row->kind = j < ncalls ? "call" : j < ncalls + nstreams ? "stream" : "designation";
    if (!(row->name = strdup(names[j])) || !(row->fig = calloc(nc, sizeof *row->fig))) {
      rc = GP_ERR_NOMEM(err);
      goto done;
    }
  }
  terms t[64];
  _Static_assert(sizeof gp_kpi_cols / sizeof gp_kpi_cols[0] <= 64, "room for the columns' terms");
  for (size_t c = 0; c < nc; c++) t[c] = col_terms(&gp_kpi_cols[c]);
  for (size_t i = 0; i < nrows; i++) {
    const gp_call_row *row = &rows[i];
    if (row->call < 0 || (size_t)row->call >= nnames) {
      rc = GP_ERR(err, GP_EX_DATAERR, "policy %s: a calls row names demand source %d of %zu",
                  policy, (int)row->call, nnames);
      goto done;
    }
    count[row->call]++;
    for (size_t c = 0; c < nc; c++)
      gp_welford_add(&w[(size_t)row->call * nc + c], col_value(&t[c], row));
  }
  for (size_t j = 0; j < nnames; j++) {
    if (count[j] > k->nreps) k->nreps = count[j];
    for (size_t c = 0; c < nc; c++) {
      gp_ci ci = gp_welford_ci(&w[j * nc + c], 0.95);
      gp_kpi_fig *f = &k->rows[j].fig[c];
      f->n = ci.n;
      f->mean = ci.mean;
      f->lo = f->hi = NAN;
      if (gp_kpi_cols[c].random && isfinite(ci.half)) {
        f->lo = ci.mean - ci.half;
        f->hi = ci.mean + ci.half;
      }
    }
  }
done:
  free(w);
  free(count);
  if (rc) gp_kpi_free(k);
  return rc;
}

/* The size of array KEY of the scenario's demand (0 when absent). */
static size_t demand_count(const cJSON *scenario, const char *key) {
  const cJSON *d = cJSON_GetObjectItemCaseSensitive(scenario, "demand");
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(d, key);
  return cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
}

int gp_kpi_read(gp_reader *r, size_t pol, int lenient, gp_kpi *k, gp_err *err) {
  memset(k, 0, sizeof *k);
  size_t n = 0, nn = 0;
  gp_call_row *rows = gp_reader_table(r, pol, "calls", &gp_call_desc, &n, err);
  if (!rows) return -1;
  int rc = 0;
  char **names = NULL;
  const char *missing = gp_kpi_missing(rows, n);
  if (missing && lenient) {
    k->missing = missing;
  } else if (missing) {
    rc = GP_ERR(err, GP_EX_DATAERR,
                "%s: policy %s: the calls table has no field %s (the file was written by "
                "gpuplan %s, before the programme statistics); run its scenario again with "
                "this gpuplan",
                r->path, r->pol[pol].name, missing, r->version ? r->version : "(unknown)");
  } else if (!(names = gp_reader_call_names(r, pol, &nn, err))) {
    rc = -1;
  } else {
    size_t ncalls = demand_count(r->scenario, "calls");
    size_t nstreams = demand_count(r->scenario, "streams");
    if (ncalls + nstreams > nn)
      rc = GP_ERR(err, GP_EX_DATAERR,
                  "%s: policy %s: the calls table names %zu demand sources, its scenario has "
                  "%zu calls and %zu streams",
                  r->path, r->pol[pol].name, nn, ncalls, nstreams);
    else
      rc = gp_kpi_from_rows(k, r->pol[pol].name, rows, n, names, nn, ncalls, nstreams, err);
  }
  if (names) gp_h5in_free_names(names, nn);
  free(rows);
  return rc ? -1 : 0;
}

/* ---- text ---- */

const char *gp_kpi_cell(char *buf, size_t size, int col, const gp_kpi_fig *f) {
  const gp_kpi_col *c = &gp_kpi_cols[col];
  double scale = c->percent ? 100 : 1;
  if (isnan(f->mean)) return snprintf(buf, size, "n/a"), buf;
  double mean = f->mean * scale, half = isnan(f->lo) ? NAN : (f->hi - f->lo) / 2 * scale;
  int d = gp_stats_decimals(mean, half > 0 ? half : NAN);
  if (!c->percent && !(half > 0) && mean == floor(mean)) d = 0; /* a whole count */
  char m[48], h[48];
  gp_fmt_num(m, sizeof m, mean, d, 0);
  if (!(half > 0)) return snprintf(buf, size, "%s", m), buf;
  gp_fmt_num(h, sizeof h, half, d, 0);
  snprintf(buf, size, "%s \xc2\xb1%s", m, h);
  return buf;
}

/* S escaped and cut to at most W characters (a cut one ends in "~"). */
static void name_cell(char *buf, size_t size, const char *s, size_t w) {
  char e[256];
  gp_escape(e, sizeof e, s);
  size_t chars = 0, i = 0;
  for (; e[i]; i++) {
    if (((unsigned char)e[i] & 0xc0) == 0x80) continue;
    if (chars == w) break;
    chars++;
  }
  if (e[i] && w > 0) { /* cut: the last character becomes "~" */
    size_t j = i;
    do j--; while (j > 0 && ((unsigned char)e[j] & 0xc0) == 0x80);
    e[j] = '~';
    e[j + 1] = '\0';
  } else {
    e[i] = '\0';
  }
  snprintf(buf, size, "%s", e);
}

static void pad(FILE *f, size_t n) {
  while (n-- > 0) fputc(' ', f);
}

/* Columns S takes on a terminal: its characters (S is valid UTF-8 here:
 * escaped names, formatted numbers), one column each. */
static size_t width_of(const char *s) {
  size_t w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xc0) != 0x80;
  return w;
}

void gp_kpi_text(FILE *f, const gp_kpi *k, int width) {
  char buf[256];
  if (width < 60) width = 60;
  char *pol = gp_escape_dup(k->policy);
  fprintf(f, "Programme statistics of policy %s\n", pol ? pol : "?");
  fprintf(f, "Mean over %zu replication%s \xc2\xb1 the 95%% interval's half-width (where random); "
          "n/a: no value\n", k->nreps, k->nreps == 1 ? "" : "s");
  free(pol);
  size_t namew = 6; /* "source" */
  for (size_t j = 0; j < k->n; j++) {
    name_cell(buf, sizeof buf, k->rows[j].name, 60);
    if (width_of(buf) > namew) namew = width_of(buf);
  }
  for (int b = 0; b < gp_kpi_nblocks; b++) {
    size_t colw[32] = {0}, rest = b == 0 ? 2 + 11 : 0; /* block 0: the kind */
    int cols[32], nb = 0;
    for (int c = 0; c < gp_kpi_ncols && nb < 32; c++)
      if (gp_kpi_cols[c].block == b) cols[nb++] = c;
    for (int i = 0; i < nb; i++) {
      colw[i] = width_of(gp_kpi_cols[cols[i]].head);
      for (size_t j = 0; j < k->n; j++) {
        size_t w = width_of(gp_kpi_cell(buf, sizeof buf, cols[i], &k->rows[j].fig[cols[i]]));
        if (w > colw[i]) colw[i] = w;
      }
      rest += 2 + colw[i];
    }
    size_t nw = namew;
    if (nw + rest > (size_t)width) nw = (size_t)width > rest + 8 ? (size_t)width - rest : 8;
    fprintf(f, "\n%s\n", gp_kpi_blocks[b]);
    fputs("source", f);
    pad(f, nw - 6);
    if (b == 0) fputs("  kind       ", f);
    for (int i = 0; i < nb; i++) {
      const char *h = gp_kpi_cols[cols[i]].head;
      pad(f, 2 + colw[i] - width_of(h));
      fputs(h, f);
    }
    fputc('\n', f);
    for (size_t j = 0; j < k->n; j++) {
      name_cell(buf, sizeof buf, k->rows[j].name, nw);
      fputs(buf, f);
      pad(f, nw - width_of(buf));
      if (b == 0) fprintf(f, "  %-11s", k->rows[j].kind);
      for (int i = 0; i < nb; i++) {
        gp_kpi_cell(buf, sizeof buf, cols[i], &k->rows[j].fig[cols[i]]);
        pad(f, 2 + colw[i] - width_of(buf));
        fputs(buf, f);
      }
      fputc('\n', f);
    }
  }
}

/* ---- HTML (the report's "Programme statistics") ---- */

void gp_kpi_html(FILE *o, const gp_kpi *k) {
  char buf[256];
  for (int b = 0; b < gp_kpi_nblocks; b++) {
    fputs("<h3>", o);
    gp_html_text(o, gp_kpi_blocks[b]);
    fprintf(o, "</h3>\n<div class=\"scroll\"><table id=\"kpi-%d\">\n<thead><tr><th>source</th>"
            "<th class=\"text\">kind</th>", b);
    for (int i = 0; i < gp_kpi_ncols; i++) {
      if (gp_kpi_cols[i].block != b) continue;
      fputs("<th>", o);
      gp_html_text(o, gp_kpi_cols[i].head);
      fputs("</th>", o);
    }
    fputs("</tr></thead>\n<tbody>\n", o);
    for (size_t j = 0; j < k->n; j++) {
      fputs("<tr><th scope=\"row\">", o);
      gp_html_text(o, k->rows[j].name);
      fprintf(o, "</th><td class=\"text\">%s</td>", k->rows[j].kind);
      for (int i = 0; i < gp_kpi_ncols; i++) {
        if (gp_kpi_cols[i].block != b) continue;
        fprintf(o, "<td data-kpi=\"%s\">", gp_kpi_cols[i].name);
        gp_html_text(o, gp_kpi_cell(buf, sizeof buf, i, &k->rows[j].fig[i]));
        fputs("</td>", o);
      }
      fputs("</tr>\n", o);
    }
    fputs("</tbody></table></div>\n", o);
  }
}

/* ---- CSV ---- */

void gp_kpi_csv(FILE *f, const gp_kpi *k, size_t nk) {
  fputs("policy,source,kind,replications", f);
  for (int c = 0; c < gp_kpi_ncols; c++) {
    const char *n = gp_kpi_cols[c].name;
    fprintf(f, ",%s", n);
    if (gp_kpi_cols[c].random) fprintf(f, ",%s_lo,%s_hi", n, n);
  }
  fputc('\n', f);
  for (size_t p = 0; p < nk; p++)
    for (size_t j = 0; j < k[p].n; j++) {
      gp_csv_text(f, k[p].policy);
      fputc(',', f);
      gp_csv_text(f, k[p].rows[j].name);
      fprintf(f, ",%s,%zu", k[p].rows[j].kind, k[p].nreps);
      for (int c = 0; c < gp_kpi_ncols; c++) {
        const gp_kpi_fig *g = &k[p].rows[j].fig[c];
        fputc(',', f);
        gp_csv_number(f, g->mean);
        if (!gp_kpi_cols[c].random) continue;
        fputc(',', f);
        gp_csv_number(f, g->lo);
        fputc(',', f);
        gp_csv_number(f, g->hi);
      }
      fputc('\n', f);
    }
}

void gp_kpi_write(FILE *f, const gp_kpi *k, size_t nk, int csv, int width) {
  if (csv) {
    gp_kpi_csv(f, k, nk);
    return;
  }
  for (size_t p = 0; p < nk; p++) {
    if (p) fputc('\n', f);
    gp_kpi_text(f, &k[p], width);
  }
}

/* What gp_kpi_file writes: its arguments but PATH and ERR. */
typedef struct kpi_out {
  const gp_kpi *k;
  size_t nk;
  int csv, width;
} kpi_out;

static void write_kpi(FILE *f, const void *ctx) {
  const kpi_out *o = ctx;
  gp_kpi_write(f, o->k, o->nk, o->csv, o->width);
}

int gp_kpi_file(const char *path, const gp_kpi *k, size_t nk, int csv, int width, gp_err *err) {
  kpi_out o = {k, nk, csv, width};
  return gp_write_file(path, write_kpi, &o, err);
}
