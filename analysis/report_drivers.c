/*
 * analysis/report_drivers.c - the report's section "What drives the
 * answer" (issue 18):
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
 * Their charts (analysis/chart_drivers.c) are in the Charts section.
 *
 * Invariants: a file with neither gets no section at all; every factor
 * name reaches the page through gp_html_text; the numbers of a box are
 * those `gpuplan discover FILE` prints; a metric without indices (NaN: the
 * file's `refused`) is said to have none, never shown as a number.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/discover.h"
#include "analysis/format.h"
#include "analysis/report_int.h"
#include "analysis/text.h"
#include "models/results/metrics.h"

/* ---- a two-level file ---- */

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

/* ---- a file of gpuplan sensitivity ---- */

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
    int d = gp_fmt_decimals(mu, fabs(mu) / 10);
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
