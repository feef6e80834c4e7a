/*
 * analysis/report_drivers.c - the report's section "What drives the
 * answer" (issue 18), on a two-level file only: the box of uncertain values
 * where the target is missed (scenario discovery, analysis/discover.h, with
 * its default options on the first policy), in words.  The chart of the
 * same discovery (chart_drivers, analysis/chart_discover.c) is in the
 * Charts section.
 *
 * Invariants: a file without /uncertain gets no section at all; every
 * factor name reaches the page through gp_html_text; the numbers said are
 * those `gpuplan discover FILE` prints.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/discover.h"
#include "analysis/format.h"
#include "analysis/report_int.h"
#include "analysis/text.h"

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
