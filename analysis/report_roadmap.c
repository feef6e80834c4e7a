/*
 * analysis/report_roadmap.c - the roadmap section of the report (see
 * report_int.h): the target, the roadmap as planned (no slips, no ramps)
 * beside the roadmap as delivered (slips drawn), the gap at the target date
 * attributed by cause and by tranche, and the roadmap's metrics per policy.
 *
 * Invariants:
 *  - The sentence on the gap names the cause the file's figures give: a plan
 *    short of the target is said to be short as planned, never blamed on
 *    slips; slips and ramps are named only for what they add.
 *  - The parts of the gap (never planned, agreement ended, late, ramping)
 *    add up to target - mean GPUs delivered (models/experiment/delivery.h).
 */
#include "analysis/report_int.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "analysis/format.h"
#include "analysis/text.h"
#include "sim/stats.h"

/* "N GPUs" with thousands separators, rounded. */
static const char *gpus(char *buf, size_t size, double x) { return gp_fmt_num(buf, size, x, 0, 0); }

/* The card of the roadmap as planned. */
static void plan_card(report *c) {
  FILE *o = c->o;
  const gp_reader_plan *pl = &c->plan;
  char a[64], d[64];
  double target = c->r->target_gpus;
  fprintf(o,
          "<div class=\"card\" id=\"as-planned\"><div class=\"k\">As planned (no slips, no "
          "ramps)</div><div class=\"v\">%s GPUs on %s</div>",
          gpus(a, sizeof a, pl->planned_at_target), c->r->target_date);
  if (isfinite(pl->planned_reached)) {
    report_fmt_date(c, pl->planned_reached, d, sizeof d);
    fprintf(o, "<div class=\"small\">target reached as planned on <strong>%s</strong></div>", d);
  } else {
    fprintf(o,
            "<div class=\"small\">target reached as planned: <strong>never</strong>, the plan is "
            "%s GPUs short at its peak</div>",
            gpus(a, sizeof a, target - pl->planned_peak));
  }
  fputs("</div>\n", o);
}

/* The names of the tranches whose FIELD (offset into the row) is > 0, "a, b
 * and c". */
static void tranche_names(report *c, size_t off) {
  const gp_reader_plan *pl = &c->plan;
  size_t n = 0, k = 0;
  for (size_t i = 0; i < pl->n; i++) n += *(const double *)((const char *)&pl->rows[i] + off) > 0;
  for (size_t i = 0; i < pl->n; i++) {
    if (!(*(const double *)((const char *)&pl->rows[i] + off) > 0)) continue;
    fputs(k == 0 ? "" : k == n - 1 ? " and " : ", ", c->o);
    gp_html_text(c->o, pl->names[i]);
    k++;
  }
}

#define ROW_OFF(m) offsetof(gp_roadmap_tranche_row, m)

/* Why the target is missed (or met) at its date, in words: the plan first,
 * then what slips and ramps add. */
static void plan_sentence(report *c, double mean) {
  FILE *o = c->o;
  const gp_reader_plan *pl = &c->plan;
  char a[64], b[64];
  double target = c->r->target_gpus, short_by_plan = target - pl->planned_at_target;
  fputs(" <span id=\"gap-cause\"", o);
  if (short_by_plan > 0) {
    fputs(" data-cause=\"plan\">The plan itself is short: as planned, with no slip and no ramp, ", o);
    fprintf(o, "%s GPUs are under agreement on %s, <strong>%s below the target</strong>",
            gpus(a, sizeof a, pl->planned_at_target), c->r->target_date,
            gpus(b, sizeof b, short_by_plan));
    if (pl->ended > 0) {
      fprintf(o, " (%s GPUs planned before then are no longer under agreement: ",
              gpus(a, sizeof a, pl->ended));
      tranche_names(c, ROW_OFF(ended_by_target));
      fputc(')', o);
    }
    fputs(". ", o);
  } else {
    fprintf(o, " data-cause=\"%s\">As planned, with no slip and no ramp, %s GPUs are under "
            "agreement on %s, %s above the target",
            mean < target ? "delivery" : "none", gpus(a, sizeof a, pl->planned_at_target),
            c->r->target_date, gpus(b, sizeof b, -short_by_plan));
    fputs(mean < target ? "; it is missed once delivery slips are drawn. " : ". ", o);
  }
  if (pl->late > 0 || pl->ramping > 0) {
    fputs("Delivery adds to the gap on average ", o);
    if (pl->late > 0) {
      fprintf(o, "%s GPUs late (slipped past the date: ", gpus(a, sizeof a, pl->late));
      tranche_names(c, ROW_OFF(late_gpus));
      fputc(')', o);
    }
    if (pl->late > 0 && pl->ramping > 0) fputs(" and ", o);
    if (pl->ramping > 0) {
      fprintf(o, "%s GPUs still ramping up (online, not yet full: ", gpus(a, sizeof a, pl->ramping));
      tranche_names(c, ROW_OFF(ramping_gpus));
      fputc(')', o);
    }
    fputs(".", o);
  } else {
    fputs("No slip or ramp changes the figure at the date.", o);
  }
  fputs("</span>", o);
}

/* The gap at the target date by cause and by tranche. */
static void gap_table(report *c, double mean) {
  FILE *o = c->o;
  const gp_reader_plan *pl = &c->plan;
  char a[64];
  double target = c->r->target_gpus;
  fputs("<h3>The gap at the target date, by cause</h3>\n<div class=\"scroll\"><table "
        "id=\"gap-attribution\">\n<thead><tr><th>cause</th><th>GPUs<span class=\"unit\">mean "
        "over replications</span></th><th class=\"text\">tranches</th></tr></thead>\n<tbody>\n",
        o);
  struct {
    const char *id, *what;
    double v;
    size_t off;
  } parts[] = {
      {"never_planned", "never planned: short of the target by the plan (negative: the plan "
                        "has more before agreements end)",
       pl->never_planned, 0},
      {"agreement_ended", "agreement ended by the date", pl->ended, ROW_OFF(ended_by_target)},
      {"late", "late: slipped past the date", pl->late, ROW_OFF(late_gpus)},
      {"ramping", "ramping: online, not all servers yet", pl->ramping, ROW_OFF(ramping_gpus)},
  };
  for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
    fprintf(o, "<tr data-cause=\"%s\" data-gpus=\"%.17g\"><th scope=\"row\">%s</th><td>%s</td>"
            "<td class=\"text\">",
            parts[k].id, parts[k].v, parts[k].what,
            gp_fmt_num(a, sizeof a, parts[k].v, 0, k == 0));
    if (parts[k].off) tranche_names(c, parts[k].off);
    fputs("</td></tr>\n", o);
  }
  fprintf(o, "<tr class=\"total\" data-cause=\"gap\" data-gpus=\"%.17g\"><th scope=\"row\">gap: "
          "target " GP_FMT_MINUS " GPUs delivered</th><td>%s</td><td></td></tr>\n",
          target - mean, gp_fmt_num(a, sizeof a, target - mean, 0, 1));
  fputs("</tbody></table></div>\n", o);
  /* By tranche: every tranche with a part in the gap or in the plan. */
  fputs("<div class=\"scroll\"><table id=\"gap-tranches\">\n<thead><tr><th>tranche</th>"
        "<th>GPUs</th><th>planned online</th><th>agreement end</th><th>as planned at the "
        "date</th><th>ended</th><th>late<span class=\"unit\">mean</span></th><th>ramping<span "
        "class=\"unit\">mean</span></th><th>late in<span class=\"unit\">% of "
        "replications</span></th></tr></thead>\n<tbody>\n",
        o);
  for (size_t i = 0; i < pl->n; i++) {
    const gp_roadmap_tranche_row *t = &pl->rows[i];
    char d1[64], d2[64], x[5][64];
    report_fmt_date(c, t->planned_online, d1, sizeof d1);
    report_fmt_date(c, t->agreement_end, d2, sizeof d2);
    fputs("<tr><th scope=\"row\">", o);
    gp_html_text(o, pl->names[i]);
    fprintf(o, "</th><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
            "<td>%s</td></tr>\n",
            gpus(x[0], sizeof x[0], t->gpus), d1, d2, gpus(x[1], sizeof x[1], t->planned_at_target),
            gpus(x[2], sizeof x[2], t->ended_by_target), gpus(x[3], sizeof x[3], t->late_gpus),
            gpus(x[4], sizeof x[4], t->ramping_gpus),
            gp_fmt_num(a, sizeof a, 100 * t->late_share, 0, 0));
  }
  fputs("</tbody></table></div>\n<p class=\"small muted\">All shares (government and private) "
        "count. As planned: every tranche online in full on its planned date until its "
        "agreement ends. The causes add up to the gap: target " GP_FMT_MINUS " as planned = "
        "never planned + agreement ended; as planned " GP_FMT_MINUS " delivered = late + "
        "ramping.</p>\n",
        o);
}
/* ---- the section ---- */

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
  if (c->plan.has) plan_card(c);
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
    int d = gp_stats_decimals(ci.mean, ci.half);
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
          "reached, slips drawn</div>",
          o);
    static const char *const ql[3] = {"10% quantile", "median", "90% quantile"};
    for (int i = 0; i < 3; i++) {
      double t = c->risk[3 + i];
      if (t >= 0) { /* NaN: not reached by the end */
        report_fmt_date(c, t, d1, sizeof d1);
      } else if (c->plan.has && c->plan.q[i] >= 0) { /* after the end, from the tranches */
        char e[32];
        report_fmt_date(c, c->plan.q[i], e, sizeof e);
        snprintf(d1, sizeof d1, "%s (after the simulated end)", e);
      } else if (c->plan.has) {
        snprintf(d1, sizeof d1, "never");
      } else {
        snprintf(d1, sizeof d1, "not by the end (%s)", end);
      }
      fprintf(o, "<div>%s: <strong>%s</strong></div>", ql[i], d1);
    }
    fputs("</div>\n", o);
  }
  fputs("</div>\n", o);

  /* In words. */
  if (ci.n && isfinite(ci.mean)) {
    double gap = c->r->target_gpus - ci.mean;
    int d = gp_stats_decimals(gap, ci.half);
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
    if (c->plan.has)
      plan_sentence(c, ci.mean);
    if (c->has_risk)
      fprintf(o, " With delivery slips drawn, the target is reached on time in %zu of %zu "
              "replication%s.",
              reached, c->nroad, c->nroad == 1 ? "" : "s");
    fputs("</p>\n", o);
    if (c->plan.has) gap_table(c, ci.mean);
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

