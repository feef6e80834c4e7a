/*
 * analysis/report_tables.c - the comparison tables of the report (see
 * report_int.h): rows, labels, units and scales from the metric catalogue,
 * in the order of c->rows.
 */
#include "analysis/report_int.h"

#include <math.h>
#include <stdlib.h>

#include "analysis/format.h"
#include "analysis/text.h"
#include "analysis/verdict.h"
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
  int d = gp_fmt_decimals(r->mean * scale, r->half_width * scale);
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
