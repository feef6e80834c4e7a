/*
 * analysis/report_kpi.c - the report's "Programme statistics" (issue 19,
 * item 5; see report_int.h): the first policy's statistics per demand
 * source as `gpuplan kpi` prints them (analysis/kpi.h), one table per
 * block of its text layout, each naming the published table it follows.
 *
 * Invariants: the cells are gp_kpi_cell's, the text of `gpuplan kpi`
 * (the same rounding, "n/a" for no value, never a 0 for missing data); a
 * file written before the statistics existed gets a sentence saying so,
 * not a table.
 */
#include "analysis/report_int.h"

#include "analysis/kpi.h"
#include "analysis/text.h"

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
  char buf[256];
  for (int b = 0; b < gp_kpi_nblocks; b++) {
    fprintf(o, "<h3>");
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
    for (size_t j = 0; j < k.n; j++) {
      fputs("<tr><th scope=\"row\">", o);
      gp_html_text(o, k.rows[j].name);
      fprintf(o, "</th><td class=\"text\">%s</td>", k.rows[j].kind);
      for (int i = 0; i < gp_kpi_ncols; i++) {
        if (gp_kpi_cols[i].block != b) continue;
        fprintf(o, "<td data-kpi=\"%s\">", gp_kpi_cols[i].name);
        gp_html_text(o, gp_kpi_cell(buf, sizeof buf, i, &k.rows[j].fig[i]));
        fputs("</td>", o);
      }
      fputs("</tr>\n", o);
    }
    fputs("</tbody></table></div>\n", o);
  }
  fputs("</section>\n", o);
  gp_kpi_free(&k);
  return 0;
}
