/*
 * analysis/report_verdicts.c - the verdicts of the report in words (see
 * report_int.h): each policy against the first, metric by metric in the
 * order of c->rows, a breakdown by sector in one sentence after the metric
 * it breaks down.
 *
 * Invariants:
 *  - Every difference judged here is judged in one family, by Holm's method
 *    at 5% familywise (report_holm): the intervals quoted are those at the
 *    level Holm's step judged each at, wider than the table's 95% intervals.
 *  - A sentence says "raises"/"lowers" (the metric's verbs, from the
 *    catalogue) exactly when the verdict is up/down (analysis/verdict.h), and
 *    quotes the interval's bounds in the unit of the metric's differences.
 *  - Every judged statistic carries data-metric, data-verdict, data-n,
 *    data-lo and data-hi, so that a reader (tests/check_report.py) can check
 *    the words against the file.
 *  - A significant change is tagged better or worse by the metric's
 *    direction; a metric with no better direction gets no tag.
 */
#include "analysis/report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/format.h"
#include "analysis/mcb.h"
#include "analysis/text.h"
#include "analysis/verdict.h"
#include "sim/stats.h"

/* The Holm-adjusted paired difference of ROW for policy I (c->holm). */
static const gp_stat_row *judged(const report *c, size_t i, const report_row *row) {
  return &c->holm[i * c->nrows + (size_t)(row - c->rows)];
}

int report_holm(report *c) {
  size_t np = c->r->np, n = np * c->nrows;
  c->holm = malloc((n ? n : 1) * sizeof *c->holm);
  gp_stat_row **fam = malloc((n ? n : 1) * sizeof *fam);
  if (!c->holm || !fam) {
    free(fam);
    return GP_ERR_NOMEM(c->err);
  }
  size_t m = 0;
  for (size_t i = 1; i < np; i++)
    for (size_t k = 0; k < c->nrows; k++) {
      gp_stat_row *x = &c->holm[i * c->nrows + k];
      *x = *report_stat(c, i, &c->rows[k], 1);
      fam[m++] = x;
    }
  c->family = gp_verdict_holm(fam, m, 0.05, NULL);
  free(fam);
  return c->family < 0 ? GP_ERR_NOMEM(c->err) : 0;
}

/* The data-* attributes of a judged statistic, for readers that check it. */
static void put_data(FILE *o, const char *metric, const gp_stat_row *r, gp_verdict v) {
  fprintf(o, " data-metric=\"%s\" data-verdict=\"%s\"", metric, gp_verdict_names[v]);
  if (r && r->n)
    fprintf(o, " data-n=\"%d\" data-lo=\"%.17g\" data-hi=\"%.17g\"", (int)r->n, r->lo, r->hi);
}

/* The tag of a significant change V of a metric whose direction is B. */
static void put_tag(FILE *o, gp_verdict v, gp_better b) {
  int better = gp_verdict_better(v, b);
  if (better > 0) fputs(" <span class=\"tag better\">better</span>", o);
  if (better < 0) fputs(" <span class=\"tag worse\">worse</span>", o);
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
    int d = gp_stats_decimals(x, 0);
    fprintf(o, "by %s ", gp_fmt_num(a, sizeof a, x, d, 0));
    gp_html_text(o, unit);
    fputs(" in every replication", o);
    return;
  }
  int d = gp_fmt_range_decimals(0, y - x);
  fprintf(o, "by %s" REPORT_NDASH "%s ",
          gp_fmt_num(a, sizeof a, x, gp_fmt_nonzero_decimals(x, d), 0),
          gp_fmt_num(b, sizeof b, y, d, 0));
  gp_html_text(o, unit);
}

/* "−A to +B UNIT" for an interval that includes 0. */
static void put_range(FILE *o, const gp_stat_row *r, double scale, const char *unit) {
  char a[64], b[64];
  double x = r->lo * scale, y = r->hi * scale;
  int d = gp_fmt_range_decimals(0, y - x);
  fprintf(o, "%s to %s ", gp_fmt_num(a, sizeof a, x, gp_fmt_nonzero_decimals(x, d), 1),
          gp_fmt_num(b, sizeof b, y, gp_fmt_nonzero_decimals(y, d), 1));
  gp_html_text(o, unit);
}

/* The unit of a metric's differences. */
static const char *delta(const gp_metric_view *v) { return v->delta ? v->delta : v->shown; }

/* ---- a breakdown by sector ---- */

/* The parts of one breakdown, for one policy: part j is sector sector[j],
 * named id[j], with paired statistics st[j] and verdict v[j]. */
typedef struct parts {
  int n;
  int sector[GP_NSECTORS];
  const char *id[GP_NSECTORS];
  const gp_stat_row *st[GP_NSECTORS];
  gp_verdict v[GP_NSECTORS];
} parts;

/* The sectors of parts LIST[0..n) in words with CONJ before the last: "a,
 * b or c", each carrying its data. */
static void put_sectors(FILE *o, const parts *p, const int *list, int n, const char *conj) {
  for (int i = 0; i < n; i++) {
    int j = list[i];
    fputs(i == 0 ? "" : i == n - 1 ? conj : ", ", o);
    fputs("<span", o);
    put_data(o, p->id[j], p->st[j], p->v[j]);
    fprintf(o, ">%s</span>", gp_sector_words[p->sector[j]]);
  }
}

/* One sentence over the parts P of the breakdown of WHOLE (its phrase,
 * verbs, unit, scale and direction) for policy I; TAIL before the period. */
static void sector_sentence(report *c, size_t i, const gp_metric_view *whole, const parts *p,
                            const char *tail) {
  FILE *o = c->o;
  int ups[GP_NSECTORS], downs[GP_NSECTORS], ns[GP_NSECTORS], na[GP_NSECTORS];
  int nu = 0, ndn = 0, nns = 0, nna = 0, nsame = 0;
  for (int j = 0; j < p->n; j++) {
    gp_verdict v = p->v[j];
    if (v == GP_V_UP)
      ups[nu++] = j;
    else if (v == GP_V_DOWN)
      downs[ndn++] = j;
    else if (v == GP_V_NA)
      na[nna++] = j;
    else
      ns[nns++] = j, nsame += v == GP_V_SAME;
  }
  if (nu + ndn + nns == 0) return; /* nothing known: the table says n/a */
  fprintf(o, "<li class=\"%s\">", nu + ndn ? "sig" : nsame == nns ? "same" : "ns");
  report_put_policy(c, i);
  if (nu + ndn == 0 && nsame == nns) {
    fputs(": the same as ", o);
    report_put_policy(c, 0);
    fputs(" in every replication in ", o);
    gp_html_text(o, whole->phrase);
    fputs(" of every sector", o);
    for (int j = 0; j < nns; j++) {
      fputs("<span", o);
      put_data(o, p->id[ns[j]], p->st[ns[j]], GP_V_SAME);
      fputs("></span>", o);
    }
  } else if (nu + ndn == 0) {
    fputs(": no significant change in ", o);
    gp_html_text(o, whole->phrase);
    fputs(" for any sector", o);
    for (int j = 0; j < nns; j++) {
      fputs("<span", o);
      put_data(o, p->id[ns[j]], p->st[ns[j]], p->v[ns[j]]);
      fputs("></span>", o);
    }
  } else {
    const char *sep = " ";
    int first = 1;
    for (int pass = 0; pass < 2; pass++) {
      int *list = pass ? downs : ups, n = pass ? ndn : nu;
      if (!n) continue;
      fprintf(o, "%s%s ", sep, pass ? whole->down : whole->up);
      if (first)
        gp_html_text(o, whole->phrase);
      else
        fputs("it", o);
      for (int k = 0; k < n; k++) {
        int j = list[k];
        fputs(k == 0 ? " " : k == n - 1 ? " and " : ", ", o);
        fputs("<span", o);
        put_data(o, p->id[j], p->st[j], p->v[j]);
        fprintf(o, ">for %s ", gp_sector_words[p->sector[j]]);
        put_by(o, p->st[j], whole->scale, delta(whole));
        fputs("</span>", o);
      }
      put_tag(o, pass ? GP_V_DOWN : GP_V_UP, whole->better);
      sep = "; ";
      first = 0;
    }
    if (nns) {
      fputs("; no significant change for ", o);
      put_sectors(o, p, ns, nns, " or ");
    }
  }
  if (nna) {
    fputs("; no data for ", o);
    put_sectors(o, p, na, nna, " or ");
  }
  fprintf(o, "%s.</li>\n", tail ? tail : "");
}

/* The parts of one breakdown from row M of c->rows on (of a catalogue
 * group, or days to GPUs by sector when TTG) into P, for policy I; returns
 * the index of the row after them. */
static size_t collect_parts(const report *c, size_t i, size_t m, int ttg, parts *p) {
  p->n = 0;
  const char *group = report_view(&c->rows[m])->group;
  for (; m < c->nrows && c->rows[m].sector >= 0 && c->rows[m].ttg == ttg; m++) {
    const report_row *row = &c->rows[m];
    const char *g = report_view(row)->group;
    if (!ttg && (!g || !group || strcmp(g, group) != 0)) break; /* another breakdown */
    if (p->n == GP_NSECTORS) continue;
    p->sector[p->n] = row->sector;
    p->id[p->n] = row->id;
    p->st[p->n] = judged(c, i, row);
    p->v[p->n] = gp_verdict_of(p->st[p->n]);
    p->n++;
  }
  return m;
}

/* ---- one policy ---- */

/* The sentence on whole metric ROW for policy I when its change is
 * significant (the others go in the lists of list_verdicts). */
static void whole_verdict(report *c, size_t i, const report_row *row) {
  FILE *o = c->o;
  const gp_metric_view *v = report_view(row);
  const gp_stat_row *r = judged(c, i, row);
  gp_verdict verdict = gp_verdict_of(r);
  if (verdict != GP_V_UP && verdict != GP_V_DOWN) return;
  fputs("<li class=\"sig\"", o);
  put_data(o, row->id, r, verdict);
  fputc('>', o);
  report_put_policy(c, i);
  fprintf(o, " %s ", verdict == GP_V_UP ? v->up : v->down);
  gp_html_text(o, v->phrase);
  fputc(' ', o);
  put_by(o, r, v->scale, delta(v));
  fputc('.', o);
  put_tag(o, verdict, v->better);
  fputs("</li>\n", o);
}

/* One sentence listing the whole metrics whose verdict for policy I is
 * KIND (no significant change, the same in every replication, too few
 * replications). */
static void list_verdicts(report *c, size_t i, gp_verdict kind) {
  FILE *o = c->o;
  size_t n = 0, j = 0;
  for (size_t m = 0; m < c->nrows; m++)
    n += c->rows[m].sector < 0 && gp_verdict_of(judged(c, i, &c->rows[m])) == kind;
  if (!n) return;
  static const char *const cls[] = {"na", "same", "ns"};
  fprintf(o, "<li class=\"%s\">", cls[kind]);
  report_put_policy(c, i);
  if (kind == GP_V_NS) {
    fputs(": no significant change in ", o);
  } else if (kind == GP_V_SAME) {
    fputs(": the same as ", o);
    report_put_policy(c, 0);
    fputs(" in every replication in ", o);
  } else {
    fputs(": too few replications with a value to judge ", o);
  }
  const char *last = kind == GP_V_SAME ? " and " : " or ";
  const char *sep = kind == GP_V_NS ? "; " : ", ";
  for (size_t m = 0; m < c->nrows; m++) {
    const report_row *row = &c->rows[m];
    const gp_stat_row *r = judged(c, i, row);
    if (row->sector >= 0 || gp_verdict_of(r) != kind) continue;
    const gp_metric_view *v = report_view(row);
    fputs(j == 0 ? "" : j == n - 1 ? last : sep, o);
    j++;
    fputs("<span", o);
    put_data(o, row->id, r, kind);
    fputc('>', o);
    gp_html_text(o, v->phrase);
    if (kind == GP_V_NS) {
      fputs(" (", o);
      put_range(o, r, v->scale, delta(v));
      fputc(')', o);
    }
    fputs("</span>", o);
  }
  fputs(".</li>\n", o);
}

/* The view of the metric that ROW (a part) breaks down, or ROW's own. */
static const gp_metric_view *whole_of(const report_row *row) {
  const gp_metric_view *v = report_view(row);
  int g = !row->ttg && v->group ? gp_stat_index(v->group) : -1;
  return g >= 0 ? gp_stat_field(g)->view : v;
}

/* The verdicts on policy I against the first. */
static void policy_verdicts(report *c, size_t i) {
  FILE *o = c->o;
  const gp_reader_policy *rp = &c->r->pol[i];
  fputs("<h3>", o);
  report_put_policy(c, i);
  fputs(" against ", o);
  report_put_policy(c, 0);
  fputs("</h3>\n", o);
  if (rp->selection || rp->scheduling) {
    fputs("<p class=\"rules\">selection rule <code>", o);
    gp_html_text(o, rp->selection ? rp->selection : "?");
    fputs("</code>, scheduling rule <code>", o);
    gp_html_text(o, rp->scheduling ? rp->scheduling : "?");
    fputs("</code></p>\n", o);
  }
  fputs("<ul class=\"verdicts\" data-policy=\"", o);
  report_put_policy(c, i);
  fputs("\">\n", o);
  for (size_t m = 0; m < c->nrows;) {
    const report_row *row = &c->rows[m];
    if (row->sector < 0) whole_verdict(c, i, row), m++;
    /* The breakdowns after it (or without their whole shown). */
    while (m < c->nrows && c->rows[m].sector >= 0) {
      parts ps;
      int ttg = c->rows[m].ttg;
      const gp_metric_view *whole = whole_of(&c->rows[m]);
      m = collect_parts(c, i, m, ttg, &ps);
      if (!ttg) {
        sector_sentence(c, i, whole, &ps, NULL);
      } else if (c->nd >= 2) {
        char *tail = gp_strf(" (from the %zu detailed replications)", c->nd);
        sector_sentence(c, i, whole, &ps, tail ? tail : "");
        free(tail);
      }
    }
  }
  list_verdicts(c, i, GP_V_NS);
  list_verdicts(c, i, GP_V_SAME);
  list_verdicts(c, i, GP_V_NA);
  fputs("</ul>\n", o);
}

/* ---- the best policy per metric ---- */

/* Hsu's multiple comparison with the best (analysis/mcb.h) of every whole
 * metric of the page with a better direction, one sentence each; each
 * policy's clause carries data-policy, data-mcb (best, may, not) and its
 * interval's bounds (data-lo, data-hi, stored unit). */
static void report_best(report *c) {
  FILE *o = c->o;
  size_t np = c->r->np;
  if (np < 2) return;
  gp_mcb *m = malloc(np * sizeof *m);
  const gp_summary_row **sum = malloc(np * sizeof *sum);
  if (!m || !sum) { /* the section is a summary of the verdicts: left out, said */
    free(m), free(sum);
    fputs("<section id=\"best\">\n<h2>Best policy per metric</h2>\n<p>Not computed: out of "
          "memory.</p>\n</section>\n",
          o);
    return;
  }
  for (size_t p = 0; p < np; p++) sum[p] = c->r->pol[p].sum;
  fputs("<section id=\"best\">\n<h2>Best policy per metric</h2>\n<p>For each metric with a "
        "better direction, which policy is the best and how far from it each other policy may "
        "be: Hsu's multiple comparison with the best, on the paired differences (common random "
        "numbers), with 95% confidence for all the policies of a metric at once. <em>The "
        "best</em>: no other policy is better; <em>within X of the best</em>: it may be the "
        "best, and is at most X worse than the best of the others; <em>not the best</em>: "
        "another policy is better, by at most the amount given.</p>\n<ul class=\"best\">\n",
        o);
  static const char *const mcb_name[] = {"not", "may", "best"};
  for (size_t k = 0; k < c->nrows; k++) {
    const report_row *row = &c->rows[k];
    const gp_metric_view *v = report_view(row);
    if (row->sector >= 0 || row->ttg || gp_mcb_metric(sum, np, c->r->nreps, row->k, 0.05, m))
      continue;
    int none = 0, same = 1;
    for (size_t p = 0; p < np; p++) {
      none |= gp_mcb_status(&m[p]) == -2;
      same &= m[p].lo == 0 && m[p].hi == 0;
    }
    fprintf(o, "<li data-metric=\"%s\" data-better=\"%s\">On ", row->id,
            v->better == GP_BETTER_LOWER ? "lower" : "higher");
    gp_html_text(o, v->phrase);
    if (none) {
      fputs(": too few replications with a value to tell.</li>\n", o);
      continue;
    }
    if (same) {
      fputs(": every policy gave the same in every replication.</li>\n", o);
      continue;
    }
    fputc(':', o);
    int first = 1;
    for (int st = 1; st >= -1; st--)
      for (size_t p = 0; p < np; p++) {
        if (gp_mcb_status(&m[p]) != st) continue;
        fprintf(o, "%s<span data-policy=\"", first ? " " : "; ");
        report_put_policy(c, p);
        fprintf(o, "\" data-mcb=\"%s\" data-lo=\"%.17g\" data-hi=\"%.17g\">", mcb_name[st + 1],
                m[p].lo, m[p].hi);
        report_put_policy(c, p);
        if (st == 1) {
          fputs(" is the best", o);
        } else {
          char a[64];
          double hi = m[p].hi * v->scale;
          fprintf(
              o, st == 0 ? " is within %s " : " is not the best (within %s ",
              gp_fmt_num(a, sizeof a, hi, gp_fmt_nonzero_decimals(hi, gp_stats_decimals(hi, 0)), 0));
          gp_html_text(o, delta(v));
          fputs(st == 0 ? " of the best" : " of it)", o);
        }
        fputs("</span>", o);
        first = 0;
      }
    fputs(".</li>\n", o);
  }
  fputs("</ul>\n</section>\n", o);
  free(m), free(sum);
}

void report_verdicts(report *c) {
  FILE *o = c->o;
  fprintf(o, "<section id=\"verdicts\" data-family=\"%ld\">\n<h2>Verdicts</h2>\n", c->family);
  if (c->r->np < 2) {
    fputs("<p>The file holds one policy, ", o);
    report_put_policy(c, 0);
    fputs(": there is nothing to compare it with.</p>\n</section>\n", o);
    return;
  }
  fputs("<p>Each policy against <strong>", o);
  report_put_policy(c, 0);
  fprintf(o,
          "</strong>, the first of the scenario. Every policy of a replication faced the same "
          "world (the same proposals, review noise, delivery slips and failures), so the "
          "differences are paired, replication by replication, over %zu replication%s. The "
          "verdicts below are <em>Holm-adjusted</em>: every difference they judge (each metric "
          "and sector below, for each policy against the first: a family of %ld that can be "
          "tested) is judged as one family by Holm's step-down method, so that the chance of "
          "even one false alarm among them is at most 5%%. A change is called "
          "<em>significant</em> when Holm's method rejects &ldquo;no change&rdquo;; the numbers "
          "quoted are the bounds of its interval at the level Holm's step judged it at, in the "
          "unit of the metric's differences. They are wider than the unadjusted 95%% intervals "
          "of the table above, which judge each difference alone. A significant change "
          "is marked <span class=\"tag better\">better</span> or <span class=\"tag "
          "worse\">worse</span> by the metric's direction; quantities with no better "
          "direction, such as the subsidy, are not marked.",
          c->r->nreps, c->r->nreps == 1 ? "" : "s", c->family);
  if (c->r->nreps < 2)
    fputs(" With fewer than 2 replications no interval can be computed: run more (--reps).", o);
  fputs("</p>\n", o);
  for (size_t i = 1; i < c->r->np; i++) policy_verdicts(c, i);
  fputs("</section>\n", o);
  report_best(c);
}
