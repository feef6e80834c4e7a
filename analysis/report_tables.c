/*
 * analysis/report_tables.c - the roadmap section and the comparison tables
 * of the report (see report_int.h): rows, labels, units and scales from the
 * metric catalogue, in the order of c->rows.
 */
#include "analysis/report_int.h"

#include <math.h>
#include <stdlib.h>

#include "analysis/format.h"
#include "analysis/text.h"
#include "analysis/verdict.h"
#include "sim/stats.h"

/* ---- roadmap ---- */

void report_roadmap(report *c) {
  FILE *o = c->o;
  char a[64], b[64], d1[64];
  fputs("<section id=\"roadmap\">\n<h2>Roadmap: gap and risk</h2>\n", o);
  if (!isfinite(c->r->target_gpus)) {
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
          gp_fmt_num(a, sizeof a, c->r->target_gpus, 0, 0), c->r->target_date);
  if (c->target_note) {
    fputs("<div class=\"small muted\">", o);
    gp_html_text(o, c->target_note);
    fputs("</div>", o);
  }
  fputs("</div>\n", o);
  if (c->has_risk) {
    fprintf(o,
            "<div class=\"card\" id=\"probability\"><div class=\"k\">Probability of reaching it "
            "on time</div><div class=\"v\">%s%%</div>",
            gp_fmt_num(a, sizeof a, 100 * c->risk[0], 0, 0));
    fprintf(o, "<div class=\"small\">95%% interval %s" REPORT_NDASH,
            gp_fmt_num(a, sizeof a, 100 * c->risk[1], 0, 0));
    fprintf(o, "%s%% (Wilson); reached on time in %zu of %zu replication%s</div></div>\n",
            gp_fmt_num(b, sizeof b, 100 * c->risk[2], 0, 0), reached, c->nroad,
            c->nroad == 1 ? "" : "s");
  }
  if (ci.n) {
    int d = gp_fmt_decimals(ci.mean, ci.half);
    fprintf(o,
            "<div class=\"card\" id=\"installed\"><div class=\"k\">GPUs delivered by the target "
            "date</div><div class=\"v\">%s",
            gp_fmt_num(a, sizeof a, ci.mean, d, 0));
    if (isfinite(ci.half))
      fprintf(o, " " REPORT_PLUSMINUS " %s", gp_fmt_num(b, sizeof b, ci.half, d, 0));
    fprintf(o, "</div><div class=\"small\">mean and 95%% half-width; %s" REPORT_NDASH,
            gp_fmt_num(a, sizeof a, lo, 0, 0));
    fprintf(o, "%s across replications</div></div>\n", gp_fmt_num(b, sizeof b, hi, 0, 0));
  }
  if (c->has_risk) {
    char end[32];
    report_fmt_date(c, c->r->end, end, sizeof end);
    fputs("<div class=\"card\" id=\"date-reached\"><div class=\"k\">Date the target is "
          "reached</div>",
          o);
    static const char *const ql[3] = {"10% quantile", "median", "90% quantile"};
    for (int i = 0; i < 3; i++) {
      double t = c->risk[3 + i];
      if (t >= 0) /* NaN: not reached */
        report_fmt_date(c, t, d1, sizeof d1);
      else
        snprintf(d1, sizeof d1, "not by the end (%s)", end);
      fprintf(o, "<div>%s: <strong>%s</strong></div>", ql[i], d1);
    }
    fputs("</div>\n", o);
  }
  fputs("</div>\n", o);

  /* In words. */
  if (ci.n && isfinite(ci.mean)) {
    double gap = c->r->target_gpus - ci.mean;
    int d = gp_fmt_decimals(gap, ci.half);
    fputs("<p id=\"gap-verdict\">", o);
    if (isfinite(ci.half) && ci.mean + ci.half < c->r->target_gpus) {
      fprintf(o, "The roadmap falls short: by %s the GPUs delivered are on average ",
              c->r->target_date);
      fprintf(o, "<strong>%s GPUs below the target</strong> ", gp_fmt_num(a, sizeof a, gap, d, 0));
      fprintf(o, "(95%% interval %s" REPORT_NDASH, gp_fmt_num(a, sizeof a, gap - ci.half, d, 0));
      fprintf(o, "%s GPUs short).", gp_fmt_num(b, sizeof b, gap + ci.half, d, 0));
    } else if (isfinite(ci.half) && ci.mean - ci.half >= c->r->target_gpus) {
      fprintf(o,
              "The roadmap meets its target: by %s the GPUs delivered exceed it on average "
              "by <strong>%s GPUs</strong> ",
              c->r->target_date, gp_fmt_num(a, sizeof a, -gap, d, 0));
      fprintf(o, "(95%% interval %s" REPORT_NDASH, gp_fmt_num(a, sizeof a, -gap - ci.half, d, 0));
      fprintf(o, "%s).", gp_fmt_num(b, sizeof b, -gap + ci.half, d, 0));
    } else {
      fprintf(o,
              "Whether the GPUs delivered by %s reach the target is uncertain: the mean gap is "
              "%s GPUs",
              c->r->target_date, gp_fmt_num(a, sizeof a, gap, d, 0));
      if (isfinite(ci.half))
        fprintf(o, " " REPORT_PLUSMINUS " %s", gp_fmt_num(b, sizeof b, ci.half, d, 0));
      fputs(" (positive: short of the target).", o);
    }
    if (c->has_risk)
      fprintf(o,
              " The target is reached on time in %zu of %zu replication%s, once delivery "
              "slips are drawn.",
              reached, c->nroad, c->nroad == 1 ? "" : "s");
    fputs("</p>\n", o);
  }

  /* Per policy: the roadmap's summary metrics, as the catalogue shows them. */
  static const char *const cols[3] = {"installed_gpus_at_target", "gap_to_target",
                                      "installed_h100e_at_target"};
  int k[3];
  fputs("<div class=\"scroll\"><table id=\"roadmap-table\">\n<thead><tr><th>policy</th>", o);
  for (int j = 0; j < 3; j++) {
    k[j] = gp_stat_index(cols[j]);
    const gp_metric_view *v = k[j] >= 0 ? gp_stat_field(k[j])->view : NULL;
    fputs("<th>", o);
    gp_html_text(o, v ? v->label : cols[j]);
    if (v) {
      fputs("<span class=\"unit\">", o);
      gp_html_text(o, v->shown);
      fputs("</span>", o);
    }
    fputs("</th>", o);
  }
  fputs("</tr></thead>\n<tbody>\n", o);
  for (size_t i = 0; i < c->r->np; i++) {
    fputs("<tr><th scope=\"row\">", o);
    report_put_policy(c, i);
    fputs("</th>", o);
    for (int j = 0; j < 3; j++) {
      if (k[j] < 0)
        fputs("<td class=\"same\">n/a</td>", o);
      else
        report_put_mean(o, &c->pol[i].st[k[j]], gp_stat_field(k[j])->view->scale);
    }
    fputs("</tr>\n", o);
  }
  fputs("</tbody></table></div>\n<p class=\"small muted\">Mean " REPORT_PLUSMINUS
        " 95% half-width over replications. All shares (government and private) count; the "
        "roadmap is drawn once per replication, so it is normally the same under every "
        "policy.</p>\n</section>\n",
        o);
}

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
  double lo = r->lo * scale, hi = r->hi * scale;
  fprintf(o, "<td%s>%s<span class=\"ci\">[%s, %s]</span></td>",
          verdict == GP_V_UP || verdict == GP_V_DOWN ? better > 0   ? " class=\"sig better\""
                                                       : better < 0 ? " class=\"sig worse\""
                                                                    : " class=\"sig\""
                                                     : "",
          gp_fmt_num(a, sizeof a, r->mean * scale, d, 1),
          gp_fmt_num(b, sizeof b, lo, gp_fmt_nonzero_decimals(lo, d), 1),
          gp_fmt_num(d3, sizeof d3, hi, gp_fmt_nonzero_decimals(hi, d), 1));
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
    fputs("</tbody></table></div>\n<p class=\"small muted\">Shaded and bold: the 95% interval of "
          "the paired difference excludes 0; green when the change is for the better, red when "
          "for the worse (by each metric's direction: fewer days waited is better, more "
          "acceptance is better; the subsidy is neither). &ldquo;identical&rdquo;: the same in "
          "every replication.",
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
