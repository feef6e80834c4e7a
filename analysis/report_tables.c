/*
 * analysis/report_tables.c - the comparison tables of the report (see
 * report_int.h): rows, labels, units and scales from the metric catalogue,
 * in the order of c->rows.  Then the section "What drives the answer"
 * (issue 18):
 *
 *  - on a two-level file (/uncertain): the box of uncertain values where
 *    the target is missed (scenario discovery, analysis/discover.h, with
 *    its default options on the first policy), in words;
 *  - on a file of `gpuplan sensitivity` (/sensitivity, no policies): per
 *    metric of the first policy, Sobol' "the centre's slip explains 71%
 *    (64-78%) of the variance of the gap; demand growth 12% (...)" from the
 *    first-order indices S1, then what the total indices ST add (the share
 *    a factor accounts for with its interactions); or Morris' factors by
 *    mu*, with its interval, and sigma.
 *
 * Its charts (drivers, tornado: analysis/chart_stats.c) are in the Charts
 * section.  Invariants: a file with neither gets no such section; every
 * factor name reaches the page through gp_html_text; the numbers of a box
 * are those `gpuplan discover FILE` prints; a metric without indices (NaN:
 * the file's `refused`) is said to have none, never shown as a number.
 *
 * Last, the section "Programme statistics" (issue 19, item 5): the first
 * policy's tables of `gpuplan kpi` (analysis/kpi.h writes them).
 */
#include "analysis/report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/discover.h"
#include "analysis/format.h"
#include "analysis/kpi.h"
#include "analysis/text.h"
#include "analysis/verdict.h"
#include "models/results/metrics.h"
#include "sim/stats.h"

/* ---- comparison tables ---- */

/* "+m [lo, hi]" of a paired difference of metric V, shaded when significant
 * and coloured by whether the change is better or worse. */
static void put_diff(FILE *o, const gp_stat_row *r, const gp_metric_view *v) {
  char a[64], b[64], d3[64];
  double scale = v->scale;
  gp_verdict verdict = gp_verdict_of(r);
  if (verdict == GP_V_NA && (!r || r->n == 0 || !isfinite(r->mean))) {
    fputs("<td class=\"same\">n/a</td>", o);
    return;
  }
  if (verdict == GP_V_SAME) {
    fputs("<td class=\"same\">identical</td>", o);
    return;
  }
  int d = gp_stats_decimals(r->mean * scale, r->half_width * scale);
  if (!isfinite(r->half_width)) {
    fprintf(o, "<td>%s</td>", gp_fmt_num(a, sizeof a, r->mean * scale, d, 1));
    return;
  }
  int better = gp_verdict_better(verdict, v->better);
  int sig = verdict == GP_V_UP || verdict == GP_V_DOWN;
  double lo = r->lo * scale, hi = r->hi * scale;
  /* Not by colour alone: a word says what the colour does (issue 17, item 3). */
  const char *cls = !sig ? " class=\"ns\""
                    : better > 0 ? " class=\"sig better\""
                    : better < 0 ? " class=\"sig worse\""
                                 : " class=\"sig\"";
  const char *mark = !sig ? "n.s." : better > 0 ? "better" : better < 0 ? "worse" : "changed";
  fprintf(o, "<td%s>%s<span class=\"ci\">[%s, %s]</span><span class=\"mk\">%s</span></td>",
          cls, gp_fmt_num(a, sizeof a, r->mean * scale, d, 1),
          gp_fmt_num(b, sizeof b, lo, gp_fmt_nonzero_decimals(lo, d), 1),
          gp_fmt_num(d3, sizeof d3, hi, gp_fmt_nonzero_decimals(hi, d), 1), mark);
}

/* The head of ROW: its label (a part indented under its whole, days to GPUs
 * by sector marked as computed from the detailed replications) and UNIT. */
static void row_label(FILE *o, const report_row *row, const char *unit) {
  fprintf(o, "<tr data-metric=\"%s\"><th scope=\"row\"%s>", row->id,
          row->sector >= 0 ? " class=\"part\"" : "");
  gp_html_text(o, report_label(row));
  if (row->ttg) fputs("&nbsp;&dagger;", o);
  fputs("<span class=\"unit\">", o);
  gp_html_text(o, unit);
  fputs("</span></th>", o);
}

/* The unit of ROW's differences. */
static const char *delta_unit(const report_row *row) {
  const gp_metric_view *v = report_view(row);
  return v->delta ? v->delta : v->shown;
}

void report_comparison(report *c) {
  FILE *o = c->o;
  size_t np = c->r->np;
  fputs("<section id=\"comparison\">\n<h2>Policy comparison</h2>\n", o);
  if (np > 1) report_tradeoffs(c);
  fprintf(o, "<h3>Mean " REPORT_PLUSMINUS " 95%% half-width over %zu replication%s</h3>\n",
          c->r->nreps, c->r->nreps == 1 ? "" : "s");
  fputs("<div class=\"scroll\"><table id=\"means\">\n<thead><tr><th>metric</th>", o);
  for (size_t i = 0; i < np; i++) {
    fputs("<th scope=\"col\" class=\"policy\">", o);
    report_put_policy(c, i);
    fputs("</th>", o);
  }
  fputs("</tr></thead>\n<tbody>\n", o);
  for (size_t m = 0; m < c->nrows; m++) {
    const report_row *row = &c->rows[m];
    row_label(o, row, report_view(row)->shown);
    for (size_t i = 0; i < np; i++)
      report_put_mean(o, report_stat(c, i, row, 0), row->ttg ? 1 : report_view(row)->scale);
    fputs("</tr>\n", o);
  }
  fputs("</tbody></table></div>\n", o);
  if (np > 1) {
    fputs("<h3>Paired difference against ", o);
    report_put_policy(c, 0);
    fputs(", with its 95% interval</h3>\n", o);
    fputs("<div class=\"scroll\"><table id=\"differences\">\n<thead><tr><th>metric</th>", o);
    for (size_t i = 1; i < np; i++) {
      fputs("<th scope=\"col\" class=\"policy\">", o);
      report_put_policy(c, i);
      fputs(" " GP_FMT_MINUS " ", o);
      report_put_policy(c, 0);
      fputs("</th>", o);
    }
    fputs("</tr></thead>\n<tbody>\n", o);
    for (size_t m = 0; m < c->nrows; m++) {
      const report_row *row = &c->rows[m];
      row_label(o, row, delta_unit(row));
      for (size_t i = 1; i < np; i++) put_diff(o, report_stat(c, i, row, 1), report_view(row));
      fputs("</tr>\n", o);
    }
    fputs("</tbody></table></div>\n<p class=\"small muted legend\" id=\"diff-legend\">"
          "<span class=\"key better\">better</span> the 95% interval of the paired difference "
          "excludes 0 and the change is for the better by the metric's direction (fewer days "
          "waited, more acceptance); <span class=\"key worse\">worse</span> excludes 0, for "
          "the worse; <span class=\"key changed\">changed</span> excludes 0 in a quantity with "
          "no better direction (the subsidy); <span class=\"key ns\">n.s.</span> the interval "
          "includes 0: no significant change; &ldquo;identical&rdquo;: the same in every "
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
  fputs(" Each metric's unit is under its name; differences of rates are in percentage "
        "points.</p>\n</section>\n",
        o);
}

/* ---- what drives the answer: a two-level file ---- */

/* A share as a whole percentage ("83%"), or with a decimal near 0 or 100. */
static void put_pct(FILE *o, double x) {
  double p = 100 * x;
  int d = (p > 0 && p < 1) || (p > 99 && p < 100) ? 1 : 0;
  char b[32];
  fprintf(o, "%s%%", gp_fmt_num(b, sizeof b, p, d, 0));
}

/* Factor F's bounds in words: "is at least A", "is at most B", "lies
 * between A and B". */
static void put_factor(FILE *o, const gp_discover *d, size_t f, double a, double b) {
  fputs("<code class=\"factor\">", o);
  gp_html_text(o, d->u.path[f]);
  fputs("</code>", o);
  if (isfinite(a) && isfinite(b))
    fprintf(o, " lies between %.4g and %.4g", a, b);
  else if (isfinite(a))
    fprintf(o, " is at least %.4g", a);
  else
    fprintf(o, " is at most %.4g", b);
}

/* The box in words. */
static void put_box(FILE *o, const gp_reader *r, const gp_discover *d) {
  const gp_prim *p = d->prim;
  size_t nrestr = 0, nfree = 0;
  for (size_t f = 0; f < d->u.nf; f++) {
    double a, b;
    if (gp_discover_bounds(d, p->box_lo, p->box_hi, f, &a, &b))
      nrestr++;
    else
      nfree++;
  }
  if (!nrestr) {
    fputs("<p id=\"drivers-box\">No region of the assumptions stands out: scenario discovery "
          "restricts none of them (the misses are spread over the ranges assumed).</p>\n",
          o);
    return;
  }
  fputs("<p id=\"drivers-box\">The target is missed in <strong>", o);
  put_pct(o, p->box.density);
  fputs("</strong> of the worlds where ", o);
  size_t k = 0;
  for (size_t f = 0; f < d->u.nf; f++) {
    double a, b;
    if (!gp_discover_bounds(d, p->box_lo, p->box_hi, f, &a, &b)) continue;
    if (k) fputs(k + 1 == nrestr ? " and " : ", ", o);
    put_factor(o, d, f, a, b);
    k++;
  }
  fputs(": <strong>", o);
  put_pct(o, p->box.coverage);
  fputs("</strong> of the misses fall there, in ", o);
  put_pct(o, p->box.mass);
  fputs(" of the worlds drawn (elsewhere it is missed in ", o);
  size_t out = d->n - p->box.n_in;
  double missed_out = (double)d->cases - p->box.density * (double)p->box.n_in;
  if (out)
    put_pct(o, missed_out / (double)out);
  else
    fputs("none", o);
  if (nfree)
    fprintf(o, " of them). The box leaves the other %zu assumption%s free.", nfree,
            nfree == 1 ? "" : "s");
  else
    fputs(" of them).", o);
  if (r->np > 1)
    fputs(d->same ? " The roadmap does not depend on the policy: the same worlds miss the "
                    "target under every policy."
                  : " (Under the first policy; the worlds that miss the target differ between "
                    "policies.)",
          o);
  fputs("</p>\n", o);
}

int report_drivers(report *c) {
  if (!c->r->uncertain) return 0;
  FILE *o = c->o;
  gp_discover d;
  gp_discover_opts opts = {NULL, NULL, 0, 0, 0};
  gp_err e;
  gp_err_clear(&e);
  int rc = gp_discover_run(c->r, &opts, &d, &e);
  if (rc && e.code != GP_EX_DATAERR) {
    *c->err = e;
    gp_discover_free(&d);
    return -1;
  }
  fputs("<section id=\"drivers\">\n<h2>What drives the answer</h2>\n", o);
  if (rc) {
    fputs("<p class=\"muted\" id=\"drivers-none\">Scenario discovery is not possible on this "
          "file: ",
          o);
    gp_html_text(o, e.msg);
    fputs(".</p>\n</section>\n", o);
    gp_discover_free(&d);
    return 0;
  }
  fprintf(o,
          "<p id=\"drivers-base\">Each of the %zu replications drew the scenario's %zu uncertain "
          "assumption%s (a world); the target is missed by its date in <strong>%zu</strong> of "
          "them (",
          d.n, d.u.nf, d.u.nf == 1 ? "" : "s", d.cases);
  put_pct(o, (double)d.cases / (double)d.n);
  fputs(").</p>\n", o);
  if (!d.prim)
    fprintf(o,
            "<p id=\"drivers-box\">It is %s in every world drawn: within the ranges assumed, "
            "%s.</p>\n",
            d.cases ? "missed" : "met",
            d.cases ? "no combination of the uncertain assumptions meets it"
                    : "no combination of the uncertain assumptions misses it");
  else
    put_box(o, c->r, &d);
  fputs("<p class=\"muted\">Scenario discovery by PRIM (Friedman and Fisher 1999) over the "
        "values the replications drew; <code>gpuplan discover</code> prints the peeling "
        "trajectory and takes other conditions. The chart \xe2\x80\x9cwhat drives the gap to the "
        "target\xe2\x80\x9d below plots each world.</p>\n</section>\n",
        o);
  gp_discover_free(&d);
  return 0;
}

/* ---- what drives the answer: a file of gpuplan sensitivity ---- */

/* Factors shown in a sentence, most first. */
#define SENS_SHOWN 4

/* A share as a percentage, whole ("71%"); below 1% with a decimal. */
static void put_share(FILE *o, double x) {
  char b[32];
  double p = 100 * x;
  fputs(gp_fmt_num(b, sizeof b, p, fabs(p) < 1 ? 1 : 0, 0), o);
  fputc('%', o);
}

/* "(64–78%)" */
static void put_share_ci(FILE *o, double lo, double hi) {
  char a[32], b[32];
  if (!isfinite(lo) || !isfinite(hi)) return;
  fprintf(o, " (%s" REPORT_NDASH "%s%%)", gp_fmt_num(a, sizeof a, 100 * lo, 0, 0),
          gp_fmt_num(b, sizeof b, 100 * hi, 0, 0));
}

static void put_sens_factor(FILE *o, const gp_reader_sens *s, int f) {
  fputs("<code class=\"factor\">", o);
  gp_html_text(o, s->factors[f]);
  fputs("</code>", o);
}

/* KEY of a row: S1, ST or mu*. */
enum { BY_S1, BY_ST, BY_MU };
static double key_of(const gp_reader_sens_row *x, int by) {
  double v = by == BY_S1 ? x->s1 : by == BY_ST ? x->st : x->mu_star;
  return isfinite(v) ? v : -INFINITY;
}

/* The rows of metric M, sorted by KEY, most first: into ROW, their count. */
static size_t rows_of(const gp_reader_sens *s, size_t m, int by, const gp_reader_sens_row **row) {
  size_t n = 0;
  for (size_t i = 0; i < s->n[0]; i++)
    if ((size_t)s->rows[0][i].metric == m && n < s->nf) row[n++] = &s->rows[0][i];
  for (size_t i = 1; i < n; i++) /* insertion sort: a few factors, stable */
    for (size_t j = i; j > 0 && key_of(row[j], by) > key_of(row[j - 1], by); j--) {
      const gp_reader_sens_row *t = row[j];
      row[j] = row[j - 1], row[j - 1] = t;
    }
  return n;
}

static void sobol_metric(FILE *o, const gp_reader_sens *s, size_t m, const gp_metric_view *v,
                         const gp_reader_sens_row **row) {
  size_t n = rows_of(s, m, BY_S1, row);
  fputs("<li>", o);
  if (!n || !isfinite(row[0]->s1)) {
    fputs("No indices for ", o);
    gp_html_text(o, v ? v->phrase : s->metrics[m]);
    fputs(": the metric has no value at some design point.</li>\n", o);
    return;
  }
  for (size_t k = 0; k < n && k < SENS_SHOWN; k++) {
    if (k) fputs("; ", o);
    put_sens_factor(o, s, row[k]->factor);
    if (!k) fputs(" explains ", o);
    else fputc(' ', o);
    put_share(o, row[k]->s1);
    put_share_ci(o, row[k]->s1_lo, row[k]->s1_hi);
    if (!k) {
      fputs(" of the variance of ", o);
      gp_html_text(o, v ? v->phrase : s->metrics[m]);
    }
  }
  if (n > SENS_SHOWN) fprintf(o, "; %zu other%s less", n - SENS_SHOWN, n - SENS_SHOWN == 1 ? "" : "s");
  fputs(". ", o);
  /* What ST adds: the factor whose total exceeds its first-order index most. */
  const gp_reader_sens_row *top = row[0];
  size_t nt = rows_of(s, m, BY_ST, row);
  const gp_reader_sens_row *most = nt ? row[0] : top;
  double sum = 0;
  for (size_t k = 0; k < nt; k++)
    if (isfinite(row[k]->s1)) sum += row[k]->s1;
  fputs("With its interactions (total index ST), ", o);
  put_sens_factor(o, s, most->factor);
  fputs(" accounts for ", o);
  put_share(o, most->st);
  put_share_ci(o, most->st_lo, most->st_hi);
  fputs(" of it; the first-order indices add up to ", o);
  put_share(o, sum);
  fputs(sum < 0.9 ? ", the rest is interactions.</li>\n" : ".</li>\n", o);
}

static void morris_metric(FILE *o, const gp_reader_sens *s, size_t m, const gp_metric_view *v,
                          const gp_reader_sens_row **row) {
  size_t n = rows_of(s, m, BY_MU, row);
  fputs("<li>", o);
  if (!n || !isfinite(row[0]->mu_star)) {
    fputs("No effects for ", o);
    gp_html_text(o, v ? v->phrase : s->metrics[m]);
    fputs(": the metric has no value at some design point.</li>\n", o);
    return;
  }
  double scale = v ? v->scale : 1;
  const char *unit = v ? v->shown : "";
  char a[32], b[32], c[32];
  fputs("For ", o);
  gp_html_text(o, v ? v->phrase : s->metrics[m]);
  fputs(", the factors by mu*: ", o);
  for (size_t k = 0; k < n && k < SENS_SHOWN; k++) {
    if (k) fputs(k + 1 == (n < SENS_SHOWN ? n : SENS_SHOWN) ? ", then " : ", ", o);
    put_sens_factor(o, s, row[k]->factor);
    double mu = row[k]->mu_star * scale;
    int d = gp_stats_decimals(mu, fabs(mu) / 10);
    fprintf(o, " (mu* %s", gp_fmt_num(a, sizeof a, mu, d, 0));
    if (isfinite(row[k]->mu_star_lo))
      fprintf(o, ", %s" REPORT_NDASH "%s", gp_fmt_num(b, sizeof b, row[k]->mu_star_lo * scale, d, 0),
              gp_fmt_num(c, sizeof c, row[k]->mu_star_hi * scale, d, 0));
    fprintf(o, " %s; sigma %s)", unit, gp_fmt_num(a, sizeof a, row[k]->sigma * scale, d, 0));
  }
  fputs(". Effects are per move across a factor's range; a sigma near mu* means the effect "
        "depends on the other factors.</li>\n",
        o);
}

int report_sensitivity(report *c) {
  FILE *o = c->o;
  const gp_reader_sens *s = &c->sens;
  fputs("<section id=\"drivers\">\n<h2>What drives the answer</h2>\n", o);
  if (!s->method || !s->np || !s->nf) {
    fputs("<p class=\"muted\">The file holds no sensitivity indices.</p>\n</section>\n", o);
    return 0;
  }
  int sobol = strcmp(s->method, "sobol") == 0;
  fprintf(o, "<p id=\"sens-what\">%s over the scenario's %zu uncertain factor%s, %.0f "
             "replications per design point, for policy ",
          sobol ? "Sobol' indices (Saltelli 2010, Jansen)" : "Morris screening (elementary effects)",
          s->nf, s->nf == 1 ? "" : "s", s->reps);
  gp_html_text(o, s->policies[0]);
  fputs(s->np > 1 ? " (the first; the file has the others too); intervals at 95%.</p>\n"
                  : "; intervals at 95%.</p>\n",
        o);
  const gp_reader_sens_row **row = calloc(s->nf, sizeof *row);
  if (!row) return GP_ERR_NOMEM(c->err);
  fputs("<ul id=\"sens-metrics\">\n", o);
  for (size_t m = 0; m < s->nm; m++) {
    const gp_field *fd = gp_metric_find(s->metrics[m]);
    const gp_metric_view *v = fd ? fd->view : NULL;
    if (sobol)
      sobol_metric(o, s, m, v, row);
    else
      morris_metric(o, s, m, v, row);
  }
  fputs("</ul>\n</section>\n", o);
  free(row);
  return 0;
}

/* ---- a file of gpuplan calibrate ---- */

/* A number in 4 significant digits (HTML-safe: digits, '.', 'e', '-',
 * "inf", "nan"). */
static void calib_num(FILE *o, double x) {
  if (isnan(x)) fputs("n/a", o);
  else if (isinf(x)) fputs(x > 0 ? "&infin;" : "&minus;&infin;", o);
  else fprintf(o, "%.4g", x);
}

static void calib_cell(FILE *o, double x) {
  fputs("<td>", o);
  calib_num(o, x);
  fputs("</td>", o);
}

static void calib_interval(FILE *o, double lo, double hi) {
  fputs("<td>", o);
  calib_num(o, lo);
  fputs(" " REPORT_NDASH " ", o);
  calib_num(o, hi);
  fputs("</td>", o);
}

/* How an estimate's interval was made, in words (gp_calibrate_interval). */
static const char *const calib_how[] = {
    "sandwich: 1.96 sd from A^-1 B A^-1 (the targets' sd and the Monte Carlo error)",
    "conditional: this unknown alone, the others held at the estimate (A singular)",
    "the whole box: the targets do not pin it down",
    "posterior: weighted 2.5% and 97.5% quantiles",
};

static void calib_fit(FILE *o, const gp_calibout_posterior *k) {
  fputs("<h3>Fit to the published figures</h3>\n<div class=\"scroll\"><table id=\"calib-fit\">\n"
        "<thead><tr><th class=\"text\">source</th><th class=\"text\">metric</th>"
        "<th>published</th><th>sd</th><th>simulated</th><th>95% interval</th><th>z</th>"
        "<th class=\"text\"></th></tr></thead>\n<tbody>\n",
        o);
  int flagged = 0;
  for (size_t t = 0; t < k->nt; t++) {
    const gp_calibout_fit *f = &k->fit[t];
    int flag = fabs(f->residual) > 2;
    flagged += flag;
    fprintf(o, "<tr%s><td class=\"text\"><code>", flag ? " class=\"flag\"" : "");
    gp_html_text(o, f->source);
    fputs("</code></td><td class=\"text\"><code>", o);
    gp_html_text(o, f->metric);
    fputs("</code></td>", o);
    calib_cell(o, f->value);
    calib_cell(o, f->sd);
    calib_cell(o, f->mean);
    calib_interval(o, f->lo, f->hi);
    if (isfinite(f->residual)) fprintf(o, "<td>%.2f</td>", f->residual);
    else fputs("<td>n/a</td>", o);
    fputs(flag ? "<td class=\"text\"><strong>|z| &gt; 2</strong></td></tr>\n"
               : "<td class=\"text\"></td></tr>\n",
          o);
  }
  fprintf(o, "</tbody></table></div>\n<p class=\"small muted\" id=\"calib-fit-note\">Simulated "
             "at the estimate, the mean over %.0f replications (common random numbers) and its "
             "95%% interval; z = (simulated &minus; published) / sd. ",
          k->fit_reps);
  if (flagged)
    fprintf(o, "<strong>%d of %zu</strong> figure%s off by more than 2 sd (|z| &gt; 2): the "
               "model misses %s by more than its stated uncertainty.</p>\n",
            flagged, k->nt, k->nt == 1 ? " is" : "s are", flagged == 1 ? "it" : "them");
  else
    fputs("Every figure is within 2 sd (|z| &le; 2).</p>\n", o);
}

static void calib_estimate(FILE *o, const gp_calibout_posterior *k) {
  fputs("<h3>Estimate</h3>\n<div class=\"scroll\"><table id=\"calib-estimate\">\n"
        "<thead><tr><th class=\"text\">path</th><th>value</th><th>95% interval</th>"
        "<th>box searched</th><th class=\"text\">interval from</th></tr></thead>\n<tbody>\n",
        o);
  for (size_t i = 0; i < k->nu; i++) {
    const gp_calibout_est *e = &k->est[i];
    fputs("<tr><td class=\"text\"><code>", o);
    gp_html_text(o, k->paths[i]);
    fputs("</code></td>", o);
    calib_cell(o, e->value);
    calib_interval(o, e->lo, e->hi);
    calib_interval(o, e->min, e->max);
    int h = e->interval >= 0 && e->interval < 4 ? e->interval : -1;
    fputs("<td class=\"text\">", o);
    gp_html_text(o, h >= 0 ? calib_how[h] : "?");
    fputs("</td></tr>\n", o);
  }
  fputs("</tbody></table></div>\n", o);
}

static void calib_generations(FILE *o, const gp_calibout_posterior *k) {
  fputs("<h3>Generations</h3>\n<div class=\"scroll\"><table id=\"calib-generations\">\n"
        "<thead><tr><th>generation</th><th>tolerance</th><th>simulations</th>"
        "<th>acceptance</th><th>ESS</th></tr></thead>\n<tbody>\n",
        o);
  for (size_t g = 0; g < k->ngen; g++) {
    const gp_calibout_gen *x = &k->gen[g];
    fprintf(o, "<tr><td>%d</td>", (int)x->generation);
    calib_cell(o, x->tolerance);
    fprintf(o, "<td>%lld</td><td>%.3f</td><td>%.1f</td></tr>\n", (long long)x->simulations,
            x->acceptance, x->ess);
  }
  fprintf(o, "</tbody></table></div>\n<p class=\"small muted\">Each generation accepts the "
             "simulations within its tolerance (the median distance of the one before); ESS "
             "is the effective sample size 1 / &sum; w&sup2; of its %zu particles' weights. "
             "The last generation is the posterior: its pair plots are among the charts.</p>\n",
          k->n);
}

void report_calibration(report *c) {
  FILE *o = c->o;
  const gp_calibout_posterior *k = c->calib;
  fputs("<section id=\"calibration\">\n<h2>Calibration</h2>\n", o);
  if (!k) {
    fputs("<p class=\"muted\">The file holds no calibration.</p>\n</section>\n", o);
    return;
  }
  int abc = strcmp(k->method, "abc") == 0;
  fprintf(o, "<p id=\"calib-what\">%s of the scenario's %zu unknown%s to its %zu published "
             "figure%s, policy ",
          abc ? "A posterior sample (ABC-SMC)" : "A point fit (Nelder-Mead)", k->nu,
          k->nu == 1 ? "" : "s", k->nt, k->nt == 1 ? "" : "s");
  gp_html_text(o, k->policy);
  fprintf(o, ", %.0f replication%s per evaluation, %.0f evaluations; objective "
             "&sum; z&sup2; = ",
          k->reps, k->reps == 1 ? "" : "s", k->evaluations);
  calib_num(o, k->objective);
  fputs(" at the estimate.</p>\n", o);
  calib_fit(o, k);
  calib_estimate(o, k);
  if (abc) calib_generations(o, k);
  fputs("</section>\n", o);
}

/* ---- the programme statistics (issue 19, item 5) ---- */

/* The first policy's statistics per demand source as `gpuplan kpi` prints
 * them (analysis/kpi.h: the same cells), one table per block of its text
 * layout; a file written before they existed gets a sentence saying so,
 * not a table. */
int report_kpi(report *c) {
  FILE *o = c->o;
  gp_kpi k;
  if (gp_kpi_read(c->r, 0, 1, &k, c->err) != 0) return -1;
  fputs("<section id=\"programme\">\n<h2>Programme statistics</h2>\n<p>Per demand source, as "
        "programmes publish them in their yearly tables, for policy <strong>",
        o);
  report_put_policy(c, 0);
  if (k.missing) {
    fputs("</strong>: this file was written by gpuplan ", o);
    gp_html_text(o, c->r->version ? c->r->version : "(unknown)");
    fputs(" before they existed (its calls table has no field <code>", o);
    gp_html_text(o, k.missing);
    fputs("</code>); run its scenario again to see them.</p>\n</section>\n", o);
    gp_kpi_free(&k);
    return 0;
  }
  fprintf(o, "</strong>: the mean over %zu replication%s, " REPORT_PLUSMINUS " the 95%% "
          "interval's half-width where the figure is random; success rates are accepted / "
          "proposals submitted.",
          k.nreps, k.nreps == 1 ? "" : "s");
  if (c->r->np > 1) fputs(" The other policies: <code>gpuplan kpi FILE --policy P</code>.", o);
  fputs("</p>\n", o);
  gp_kpi_html(o, &k);
  fputs("</section>\n", o);
  gp_kpi_free(&k);
  return 0;
}
