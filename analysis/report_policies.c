/*
 * analysis/report_policies.c - what the policies are and what they trade
 * (issue 17, item 3; see report_int.h): each policy's rules with their
 * parameters, its reclaim rule and the scenario's note for it, from the
 * scenario stored in the file and the rule registry (models/rules/); and one
 * line per policy against the first: what it improves, what it costs, what
 * it leaves unchanged.
 *
 * Invariants:
 *  - A rule's description and its parameters' defaults come from the
 *    registry, never from a list here; a value the scenario gives is shown
 *    as given, a default is marked as such.
 *  - "Improves" and "costs" follow the verdict of analysis/verdict.h (the
 *    same significance decision as the verdicts and the differences table)
 *    and the metric's direction in the catalogue; a metric with no better
 *    direction that changes significantly is said to change, not to improve
 *    or cost.  Each metric named carries data-metric and data-verdict.
 */
#include "analysis/report_int.h"

#include <string.h>

#include "analysis/text.h"
#include "analysis/verdict.h"
#include "models/rules/registry.h"

/* The object of the scenario's policies[] named NAME, or NULL. */
static const cJSON *policy_json(const report *c, const char *name) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(c->r->scenario, "policies"), *p;
  cJSON_ArrayForEach(p, a) {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(p, "name");
    if (cJSON_IsString(n) && n->valuestring && strcmp(n->valuestring, name) == 0) return p;
  }
  return NULL;
}

/* "name = value" for each parameter of PARAMS, from PJ (the policy's
 * "params") or the default. */
static void put_params(FILE *o, const gp_param *params, const cJSON *pj) {
  char a[64];
  if (!params || !params[0].name) return;
  fputs("<ul class=\"params\">", o);
  for (const gp_param *p = params; p->name; p++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(pj, p->name);
    int given = cJSON_IsNumber(v);
    double x = given ? v->valuedouble : p->def;
    fputs("<li><code>", o);
    gp_html_text(o, p->name);
    snprintf(a, sizeof a, "%g", x);
    fprintf(o, "</code> = %s%s: ", a, given ? "" : " (default)");
    gp_html_text(o, p->doc);
    fputs("</li>", o);
  }
  fputs("</ul>", o);
}

/* A number of the reclaim object, or its default. */
static double reclaim_num(const cJSON *r, const char *key, double def) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);
  return cJSON_IsNumber(v) ? v->valuedouble : def;
}

/* A calendar reclaim (issue 21, item 4): each date's tiers in one clause. */
static void put_calendar(FILE *o, const cJSON *cal) {
  fputs("on fixed dates, a project that has used under a share of its allocation loses a share "
        "of its working servers (it keeps at least one unit): ",
        o);
  const cJSON *prev = NULL;
  for (const cJSON *e = cal->child; e; e = e->next) {
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "date");
    const char *date = cJSON_IsString(d) && d->valuestring ? d->valuestring : "?";
    const cJSON *pd = prev ? cJSON_GetObjectItemCaseSensitive(prev, "date") : NULL;
    int same = pd && cJSON_IsString(pd) && pd->valuestring && strcmp(pd->valuestring, date) == 0;
    if (!same) {
      fputs(prev ? "; " : "", o);
      gp_html_text(o, date);
      fputs(": ", o);
    } else {
      fputs(", ", o);
    }
    double min_days = reclaim_num(e, "min_days", 0);
    fprintf(o, "under %g%% loses %g%%", 100 * reclaim_num(e, "below_use", 0),
            100 * reclaim_num(e, "take", 0));
    if (min_days > 0) fprintf(o, " (after %g days)", min_days);
    prev = e;
  }
}

void report_policies(report *c) {
  FILE *o = c->o;
  fputs("<section id=\"policies-described\">\n<h2>The policies</h2>\n<p>Each policy is a "
        "selection rule (who is accepted), a scheduling rule (when and where accepted projects "
        "start) and, optionally, a reclaim rule; every policy plays against the same "
        "worlds.</p>\n<div class=\"scroll\"><table id=\"policy-rules\">\n<thead><tr><th>policy"
        "</th><th class=\"text\">selection</th><th class=\"text\">scheduling</th><th "
        "class=\"text\">reclaim</th><th class=\"text\">the scenario's note</th></tr></thead>\n"
        "<tbody>\n",
        o);
  for (size_t i = 0; i < c->r->np; i++) {
    const gp_reader_policy *rp = &c->r->pol[i];
    const cJSON *pj = policy_json(c, rp->name);
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(pj, "params");
    const gp_selection_type *sel = rp->selection ? gp_selection_find(rp->selection) : NULL;
    const gp_scheduling_type *sch = rp->scheduling ? gp_scheduling_find(rp->scheduling) : NULL;
    fputs("<tr data-policy=\"", o);
    report_put_policy(c, i);
    fputs("\"><th scope=\"row\">", o);
    report_put_policy(c, i);
    fputs("</th><td class=\"text\"><code>", o);
    gp_html_text(o, rp->selection ? rp->selection : "?");
    fputs("</code>", o);
    if (sel) {
      fputs(": ", o);
      gp_html_text(o, sel->doc);
      put_params(o, sel->params, params);
    }
    fputs("</td><td class=\"text\"><code>", o);
    gp_html_text(o, rp->scheduling ? rp->scheduling : "?");
    fputs("</code>", o);
    if (sch) {
      fputs(": ", o);
      gp_html_text(o, sch->doc);
      put_params(o, sch->params, params);
    }
    fputs("</td><td class=\"text\">", o);
    const cJSON *rc = cJSON_GetObjectItemCaseSensitive(pj, "reclaim");
    if (cJSON_IsObject(rc)) {
      const cJSON *cal = cJSON_GetObjectItemCaseSensitive(rc, "calendar");
      if (!cJSON_IsArray(cal) || cJSON_GetObjectItemCaseSensitive(rc, "at")) {
        double at = reclaim_num(rc, "at", 0.5), below = reclaim_num(rc, "below_use", 0.1),
               take = reclaim_num(rc, "take", 0.5);
        fprintf(o,
                "at %g%% of a project's time, a project using under %g%% of its GPUs loses %g%% "
                "of its working servers (it keeps at least one unit)",
                100 * at, 100 * below, 100 * take);
        if (cJSON_IsArray(cal)) fputs("; ", o);
      }
      if (cJSON_IsArray(cal)) put_calendar(o, cal);
    } else {
      fputs("none", o);
    }
    fputs("</td><td class=\"text\">", o);
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(pj, "note");
    if (cJSON_IsString(note) && note->valuestring) gp_html_text(o, note->valuestring);
    fputs("</td></tr>\n", o);
  }
  fputs("</tbody></table></div>\n<p class=\"small muted\">Rules and their parameters: "
        "<code>gpuplan policies</code>; the policies as run: the scenario stored in the result "
        "file (<code>/scenario</code>).</p>\n</section>\n",
        o);
}

/* ---- what each policy trades against the first ---- */

/* The kinds of a whole metric's change, in the order the line names them. */
enum { T_BETTER, T_WORSE, T_CHANGED, T_SAME, T_NKINDS };

static int kind_of(gp_verdict v, gp_better b) {
  if (v == GP_V_UP || v == GP_V_DOWN) {
    int better = gp_verdict_better(v, b);
    return better > 0 ? T_BETTER : better < 0 ? T_WORSE : T_CHANGED;
  }
  return v == GP_V_NS || v == GP_V_SAME ? T_SAME : -1; /* no data: not named */
}

void report_tradeoffs(report *c) {
  FILE *o = c->o;
  static const char *const lead[T_NKINDS] = {"improves ", "costs ", "changes ",
                                             "leaves unchanged "};
  static const char *const cls[T_NKINDS] = {"better", "worse", "changed", "same"};
  fputs("<ul id=\"trade-offs\">\n", o);
  for (size_t i = 1; i < c->r->np; i++) {
    fputs("<li data-policy=\"", o);
    report_put_policy(c, i);
    fputs("\"><strong>", o);
    report_put_policy(c, i);
    fputs("</strong> against ", o);
    report_put_policy(c, 0);
    fputs(": ", o);
    int said = 0;
    for (int k = 0; k < T_NKINDS; k++) {
      size_t n = 0, j = 0;
      for (size_t m = 0; m < c->nrows; m++) {
        const report_row *row = &c->rows[m];
        n += row->sector < 0 &&
             kind_of(gp_verdict_of(report_stat(c, i, row, 1)), report_view(row)->better) == k;
      }
      if (!n) continue;
      fprintf(o, "%s<span class=\"trade %s\">%s", said ? "; " : "", cls[k], lead[k]);
      for (size_t m = 0; m < c->nrows; m++) {
        const report_row *row = &c->rows[m];
        gp_verdict v = gp_verdict_of(report_stat(c, i, row, 1));
        if (row->sector >= 0 || kind_of(v, report_view(row)->better) != k) continue;
        fputs(j == 0 ? "" : j == n - 1 ? " and " : ", ", o);
        fprintf(o, "<span data-metric=\"%s\" data-verdict=\"%s\">", row->id, gp_verdict_names[v]);
        gp_html_text(o, report_label(row));
        fputs("</span>", o);
        j++;
      }
      fputs("</span>", o);
      said = 1;
    }
    fputs(said ? ".</li>\n" : "too few replications to judge.</li>\n", o);
  }
  fputs("</ul>\n<p class=\"small muted\">Improves and costs: a paired difference whose 95% "
        "interval excludes 0, better or worse by the metric's direction; changes: such a "
        "difference in a quantity with no better direction (the subsidy); leaves unchanged: "
        "the interval includes 0, or the same in every replication.</p>\n",
        o);
}
