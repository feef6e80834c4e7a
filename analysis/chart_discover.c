/*
 * analysis/chart_discover.c - the chart of a two-level run (see plot_int.h
 * and the chart table analysis/charts.def): the gap to the target in each
 * replication against the one or two uncertain factors that drive it
 * (analysis/discover.h: those the box of scenario discovery restricts, else
 * the most correlated), one panel each, the box's bounds dashed.
 *
 * Invariant: the factors and bounds are those the report's section "What
 * drives the answer" names (the same discovery, default options, first
 * policy), so that the words and the chart agree.
 */
#include "analysis/plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/discover.h"
#include "analysis/text.h"
#include "models/results/metrics.h"

#define DRIVERS_MAX 2
#define MISSED_COLOR PLOT_TARGET_COLOR
#define MET_COLOR "#1f77b4"

/* One panel: the metric against factor F, the points where the condition
 * holds in red; the box's bounds on F dashed. */
static int panel(plot_ctx *c, FILE *g, const gp_discover *d, size_t f, size_t idx,
                 const gp_metric_view *v, gp_err *err) {
  char name[32];
  snprintf(name, sizeof name, "drivers-%zu.dat", idx);
  FILE *dat = plot_tmp_open(c, name, err);
  if (!dat) return -1;
  double xmin = INFINITY, xmax = -INFINITY;
  for (size_t i = 0; i < d->n; i++) {
    double x = d->u.value[d->rep[i] * d->u.nf + f];
    xmin = fmin(xmin, x), xmax = fmax(xmax, x);
    fprintf(dat, "%.10g ", x);
    plot_put_num(dat, d->v[i] * v->scale);
    fprintf(dat, " %d\n", d->y[i] > 0);
  }
  if (plot_tmp_close(c, dat, name, err)) return -1;
  double pad = xmax > xmin ? 0.03 * (xmax - xmin) : 1;
  fprintf(g, "unset arrow\nunset label\nset xrange [%.10g:%.10g]\n", xmin - pad, xmax + pad);
  if (d->prim) {
    double a, b;
    if (gp_discover_bounds(d, d->prim->box_lo, d->prim->box_hi, f, &a, &b)) {
      int n = 1;
      if (isfinite(a))
        fprintf(g, "set arrow %d from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lw 1.5 lc rgb '#555555'\n",
                n++, a, a);
      if (isfinite(b))
        fprintf(g, "set arrow %d from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lw 1.5 lc rgb '#555555'\n",
                n++, b, b);
    }
  }
  fputs("set xlabel ", g);
  plot_put_strn(g, d->u.path[f], PLOT_NAME_CHARS);
  fputs("\nset ylabel ", g);
  char *yl = gp_strf("%s (%s)", v->label, v->shown);
  if (!yl) return GP_ERR_NOMEM(err);
  plot_put_str(g, yl);
  free(yl);
  fprintf(g,
          "\nset key below horizontal\n"
          "plot 0 notitle lc rgb '#999999' dt 3, \\\n"
          "  '%s' using 1:($3 > 0 ? $2 : NaN) with points pt 7 ps 0.6 lc rgb '%s' title 'target missed', \\\n"
          "  '%s' using 1:($3 > 0 ? NaN : $2) with points pt 7 ps 0.6 lc rgb '%s' title 'target met'\n",
          name, MISSED_COLOR, name, MET_COLOR);
  return 0;
}

int chart_drivers(plot_ctx *c, FILE *g, gp_err *err) {
  gp_discover d;
  gp_discover_opts o = {NULL, NULL, 0, 0, 0};
  gp_err e;
  gp_err_clear(&e);
  char *t1 = gp_strf("%s: what drives the gap to the target", c->label);
  if (!t1) return GP_ERR_NOMEM(err);
  int rc = 0;
  if (gp_discover_run(c->r, &o, &d, &e)) {
    if (e.code != GP_EX_DATAERR) {
      *err = e;
      rc = -1;
    } else { /* too few replications, no target: the panel says so */
      plot_preamble(c, g, "drivers", 1000, 600);
      plot_message_panel(g, t1, e.msg);
    }
    gp_discover_free(&d);
    free(t1);
    return rc;
  }
  size_t top[DRIVERS_MAX];
  size_t nt = gp_discover_top(&d, top, DRIVERS_MAX);
  const gp_metric_view *v = gp_stat_field(d.when[0].k)->view;
  int w = nt > 1 ? 1400 : 1000, h = 600;
  plot_preamble(c, g, "drivers", w, h);
  char *pol = plot_cut(c->r->pol[d.pol].name, PLOT_NAME_CHARS);
  char *t2 = pol ? gp_strf("policy %s, %zu replications; the target is missed in %zu of them", pol,
                           d.n, d.cases)
                 : NULL;
  if (!t2) rc = GP_ERR_NOMEM(err);
  if (!rc) plot_multiplot(g, 1, (int)nt, w, h, 0, 85, 25, "rowsfirst", t1, t2);
  for (size_t i = 0; i < nt && !rc; i++) rc = panel(c, g, &d, top[i], i, v, err);
  if (!rc) fputs("unset multiplot\n", g);
  free(pol);
  free(t1);
  free(t2);
  gp_discover_free(&d);
  return rc;
}
