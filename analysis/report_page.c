/*
 * analysis/report_page.c - the page around the numbers (see report_int.h):
 * its style sheet, head, header, assumptions, run and footer, and the small
 * pieces every section uses.
 */
#include "analysis/report_int.h"

#include <math.h>
#include <stdlib.h>

#include "analysis/format.h"
#include "analysis/text.h"
#include "models/scenario/date.h"
#include "sim/stats.h"
#include "sim/version.h"

/* The date time T (days since the epoch) falls on, into BUF. */
void report_fmt_date(const report *c, double t, char *buf, size_t size) {
  if (!isfinite(t) || t < 0 || t > 1e7) {
    snprintf(buf, size, "never");
    return;
  }
  gp_date_format(c->r->epoch + (long)floor(t), buf, size);
}

static const char style[] =
    ":root{color-scheme:light}\n"
    "body{margin:0;background:#eef1f4;color:#1c2430;font:15px/1.5 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'DejaVu Sans','Liberation Sans',Arial,sans-serif}\n"
    "main{max-width:1200px;margin:0 auto;padding:28px 36px 40px;background:#fff}\n"
    "h1{font-size:30px;line-height:1.2;margin:2px 0 8px;overflow-wrap:anywhere}\n"
    "h2{font-size:22px;margin:34px 0 10px;padding-bottom:4px;border-bottom:2px solid #d5dbe3}\n"
    "h3{font-size:17px;margin:22px 0 6px;overflow-wrap:anywhere}\n"
    "p{margin:6px 0 10px}\n"
    ".incomplete{background:#fdecea;border:1px solid #c0392b;color:#7b241c;padding:8px 12px;"
    "border-radius:4px}\n"
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
    /* A wide table scrolls in its own box, never the page (issue 17, item
     * 10: 9 policies in a 1024 px window); its first column (the metric,
     * the policy) stays in view, opaque over the cells that pass under it. */
    ".scroll{overflow-x:auto;max-width:100%;margin:8px 0}\n"
    ".scroll tr>:first-child{position:sticky;left:0;z-index:1;background:#fff;"
    "box-shadow:inset -1px 0 #d5dbe3}\n"
    ".scroll thead tr>:first-child{background:#eef1f5}\n"
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
    "td.sig.better{background:#dff1e3}\n"
    "td.sig.worse{background:#fbe4e1}\n"
    "td.ns{color:#5a6675}\n"
    ".mk{display:block;font-size:11px;font-weight:600;letter-spacing:.02em}\n"
    "td.sig.better .mk,.key.better{color:#17602a}\n"
    "td.sig.worse .mk,.key.worse{color:#9b2317}\n"
    ".key{display:inline-block;font-weight:600;padding:0 5px;border-radius:6px}\n"
    ".key.better{background:#dff1e3}\n"
    ".key.worse{background:#fbe4e1}\n"
    ".key.changed{background:#e3eefb}\n"
    ".key.ns{color:#5a6675;border:1px solid #d5dbe3}\n"
    "ul.params{margin:2px 0 0;padding-left:18px;font-size:12.5px;color:#3b4653}\n"
    "#policy-rules td{white-space:normal;min-width:12em;vertical-align:top}\n"
    "#trade-offs li{margin:3px 0}\n"
    ".trade.better{color:#17602a}\n"
    ".trade.worse{color:#9b2317}\n"
    "tbody th.part{padding-left:26px}\n"
    ".tag{display:inline-block;font-size:11.5px;font-weight:600;padding:0 6px;margin-left:6px;"
    "border-radius:8px}\n"
    ".tag.better{background:#dff1e3;color:#17602a}\n"
    ".tag.worse{background:#fbe4e1;color:#9b2317}\n"
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

void report_put_policy(report *c, size_t i) { gp_html_text(c->o, c->r->pol[i].name); }

void report_head(report *c) {
  FILE *o = c->o;
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"gpuplan report " GP_VERSION "\">\n"
        "<title>",
        o);
  gp_html_text(o, c->r->name);
  if (c->r->npoints) fprintf(o, " (sweep point %d)", c->r->point);
  fputs(" " REPORT_NDASH " gpuplan report</title>\n<style>\n", o);
  fputs(style, o);
  fputs("</style>\n</head>\n<body>\n<main>\n", o);
}

void report_header(report *c) {
  FILE *o = c->o;
  char b[64];
  fputs("<header>\n", o);
  /* An interrupted run says so before anything else (issue 17, item 5). */
  if (c->r->complete == 0) {
    fprintf(o, "<p class=\"incomplete\" id=\"incomplete\" role=\"alert\"><strong>Incomplete run."
               "</strong> It was interrupted before it finished (complete = false): every figure "
               "below is from the %zu replication%s it finished",
            c->r->nreps, c->r->nreps == 1 ? "" : "s");
    if (isfinite(c->r->requested)) fprintf(o, " of %.0f requested", c->r->requested);
    fputs(".</p>\n", o);
  }
  fputs("<p class=\"kicker\">gpuplan report</p>\n<h1 id=\"scenario-name\">", o);
  gp_html_text(o, c->r->name);
  fputs("</h1>\n", o);
  /* What the file is, overrides and seed included (issue 17, item 4): a
   * --set run is not mistaken for the scenario as written. */
  char *title = gp_reader_title(c->r);
  fputs("<p id=\"run-title\"><strong>", o);
  gp_html_text(o, title ? title : c->r->name);
  fputs("</strong></p>\n", o);
  free(title);
  if (c->r->description && c->r->description[0]) {
    fputs("<p class=\"desc\" id=\"scenario-description\">", o);
    gp_html_text(o, c->r->description);
    fputs("</p>\n", o);
  }
  if (c->r->npoints) {
    fprintf(o, "<p><strong>Sweep point %d</strong> (of 0 to %d)", c->r->point, c->r->npoints - 1);
    for (size_t i = 0; i < c->r->nsweep; i++) {
      fputs(i ? ", " : ": ", o);
      fputs("<code>", o);
      gp_html_text(o, c->r->sweep_paths[i]);
      fputs("</code> = <code>", o);
      gp_html_text(o, c->r->sweep_values[i] ? c->r->sweep_values[i] : "?");
      fputs("</code>", o);
    }
    fputs(".</p>\n", o);
  }
  fprintf(o, "<p class=\"muted\" id=\"run-line\">%zu replication%s", c->r->nreps,
          c->r->nreps == 1 ? "" : "s");
  if (c->nd) fprintf(o, " (%zu detailed)", c->nd);
  if (isfinite(c->r->seed)) fprintf(o, " &middot; seed %.0f", c->r->seed);
  gp_date_format(c->r->epoch, b, sizeof b);
  fprintf(o, " &middot; epoch %s", b);
  if (isfinite(c->r->end)) {
    report_fmt_date(c, c->r->end, b, sizeof b);
    fprintf(o, " &middot; simulated to %s", b);
  }
  if (c->r->sens)
    fputs(" per design point &middot; a sensitivity analysis (gpuplan sensitivity) &middot; "
          "gpuplan ",
          o);
  else
    fprintf(o, " &middot; %zu polic%s &middot; gpuplan ", c->r->np, c->r->np == 1 ? "y" : "ies");
  gp_html_text(o, c->r->version);
  fputs("</p>\n", o);
  fputs("<nav>", o);
  if (!c->r->sens)
    fputs("<a href=\"#roadmap\">Roadmap</a><a href=\"#comparison\">Comparison</a>"
          "<a href=\"#verdicts\">Verdicts</a><a href=\"#programme\">Programme</a>",
          o);
  if (c->r->sens || c->r->uncertain) fputs("<a href=\"#drivers\">What drives the answer</a>", o);
  fputs("<a href=\"#charts\">Charts</a><a href=\"#assumptions\">Assumptions</a>"
        "<a href=\"#run\">Run</a></nav>\n</header>\n",
        o);
}

/* "mean ± half-width" of R times SCALE. */
void report_put_mean(FILE *o, const gp_stat_row *r, double scale) {
  char a[64], b[64];
  if (r->n == 0 || !isfinite(r->mean)) {
    fputs("<td class=\"same\">n/a</td>", o);
    return;
  }
  int d = gp_stats_decimals(r->mean * scale, r->half_width * scale);
  if (!isfinite(r->half_width))
    fprintf(o, "<td>%s</td>", gp_fmt_num(a, sizeof a, r->mean * scale, d, 0));
  else
    fprintf(o, "<td>%s " REPORT_PLUSMINUS " %s</td>",
            gp_fmt_num(a, sizeof a, r->mean * scale, d, 0),
            gp_fmt_num(b, sizeof b, r->half_width * scale, d, 0));
}

void report_assumptions(report *c) {
  FILE *o = c->o;
  fputs("<section id=\"assumptions\">\n<h2>Assumptions</h2>\n", o);
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(c->r->scenario, "assumptions");
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
        gp_html_text(o, it->valuestring);
      } else {
        char *s = cJSON_PrintUnformatted(it);
        gp_html_text(o, s ? s : "?");
        free(s);
      }
      fputs("</li>\n", o);
    }
    fputs("</ol>\n", o);
  }
  if (c->note) {
    fputs("<p class=\"small muted\" id=\"scenario-note\">Note: ", o);
    gp_html_text(o, c->note);
    fputs("</p>\n", o);
  }
  fputs("</section>\n", o);
}

void report_run(report *c) {
  FILE *o = c->o;
  char b[64];
  fputs("<section id=\"run\">\n<h2>Run</h2>\n<dl class=\"run\">\n<dt>result file</dt><dd><code>",
        o);
  gp_html_text(o, c->file);
  fputs("</code>", o);
  if (c->r->npoints) fprintf(o, ", sweep point %d of 0 to %d", c->r->point, c->r->npoints - 1);
  fputs("</dd>\n<dt>written by</dt><dd>gpuplan ", o);
  gp_html_text(o, c->r->version);
  fprintf(o, "</dd>\n<dt>replications</dt><dd>%zu; ", c->r->nreps);
  if (c->nd)
    fprintf(o, "the first %zu detailed (per-proposal rows and time series)", c->nd);
  else
    fputs("none detailed (no per-proposal rows or time series)", o);
  fputs("</dd>\n", o);
  if (isfinite(c->r->seed))
    fprintf(o,
            "<dt>seed</dt><dd>%.0f (replication r of every policy uses streams seeded from "
            "the seed and r)</dd>\n",
            c->r->seed);
  gp_date_format(c->r->epoch, b, sizeof b);
  fprintf(o, "<dt>epoch</dt><dd>%s (time 0; times are days since then)</dd>\n", b);
  if (isfinite(c->r->end)) {
    char m[32];
    report_fmt_date(c, c->r->end, b, sizeof b);
    report_fmt_date(c, isfinite(c->r->measure_from) ? c->r->measure_from : 0, m, sizeof m);
    fprintf(o, "<dt>simulated period</dt><dd>to %s (day %.0f); statistics measured from %s</dd>\n",
            b, c->r->end, m);
  }
  fputs("</dl>\n<div class=\"scroll\"><table id=\"policies\">\n<thead><tr><th>policy</th>"
        "<th class=\"text\">selection rule</th><th class=\"text\">scheduling "
        "rule</th></tr></thead>\n<tbody>\n",
        o);
  for (size_t i = 0; i < c->r->np; i++) {
    fputs("<tr><th scope=\"row\">", o);
    report_put_policy(c, i);
    fputs("</th><td class=\"text\"><code>", o);
    gp_html_text(o, c->r->pol[i].selection ? c->r->pol[i].selection : "?");
    fputs("</code></td><td class=\"text\"><code>", o);
    gp_html_text(o, c->r->pol[i].scheduling ? c->r->pol[i].scheduling : "?");
    fputs("</code></td></tr>\n", o);
  }
  fputs("</tbody></table></div>\n<p class=\"small muted\">The rules: <code>gpuplan "
        "policies</code>. The data behind every number here: <code>gpuplan export</code> "
        "(CSV) and <code>gpuplan compare</code>; the file's layout: docs/output.md.</p>\n"
        "</section>\n",
        o);
}

void report_footer(report *c) {
  fputs("<footer>Written by gpuplan " GP_VERSION " (<code>gpuplan report</code>) from <code>",
        c->o);
  gp_html_text(c->o, c->file);
  fputs("</code>. This page is self-contained: no scripts, no external files.</footer>\n"
        "</main>\n</body>\n</html>\n",
        c->o);
}
