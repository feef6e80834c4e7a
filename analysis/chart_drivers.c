/*
 * analysis/chart_drivers.c - the charts of what drives the answer (see
 * plot_int.h and the chart table analysis/charts.def):
 *
 *  - drivers, a two-level run's: the gap to the target in each replication
 *    against the one or two uncertain factors that drive it
 *    (analysis/discover.h: those the box of scenario discovery restricts,
 *    else the most correlated), one panel each, the box's bounds dashed.
 *    The factors and bounds are those the report's section "What drives
 *    the answer" names (the same discovery, default options, first policy),
 *    so that the words and the chart agree.
 *  - tornado, a file of `gpuplan sensitivity`'s: per metric, for the first
 *    policy, one bar per factor, largest at the top: Sobol' total index
 *    with its interval and the first-order index as a dot, or Morris' mu*
 *    with its interval (in the metric's shown unit per unit of the
 *    factor's range).
 *
 * Invariant: factor names reach a script only through plot_put_strn.
 */
#include "analysis/plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/discover.h"
#include "analysis/text.h"
#include "models/results/metrics.h"

/* ---- drivers ---- */

#define DRIVERS_MAX 2
#define MISSED_COLOR PLOT_TARGET_COLOR
#define MET_COLOR "#1f77b4"

/* One panel: the metric against factor F, the points where the condition
 * holds in red; the box's bounds on F dashed. */
static int drivers_panel(plot_ctx *c, FILE *g, const gp_discover *d, size_t f, size_t idx,
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
  for (size_t i = 0; i < nt && !rc; i++) rc = drivers_panel(c, g, &d, top[i], i, v, err);
  if (!rc) fputs("unset multiplot\n", g);
  free(pol);
  free(t1);
  free(t2);
  gp_discover_free(&d);
  return rc;
}

/* ---- tornado ---- */

#define TORNADO_NAME_CHARS 36

/* The value a bar shows of row X: ST (sobol) or mu* (morris). */
static double bar(const gp_reader_sens_row *x, int sobol) { return sobol ? x->st : x->mu_star; }

static const gp_reader_sens_row *const *sort_rows; /* qsort's context: no reentrancy needed */
static int sort_sobol;
static int cmp_bar(const void *a, const void *b) {
  double x = bar(sort_rows[*(const size_t *)a], sort_sobol);
  double y = bar(sort_rows[*(const size_t *)b], sort_sobol);
  if (isnan(x)) x = -INFINITY;
  if (isnan(y)) y = -INFINITY;
  return x < y ? -1 : x > y ? 1 : 0; /* ascending: gnuplot draws y = 0 at the bottom */
}

/* The panel of metric M. */
static int tornado_panel(plot_ctx *c, FILE *g, const gp_reader_sens *s, size_t m, gp_err *err) {
  int sobol = strcmp(s->method, "sobol") == 0;
  const gp_reader_sens_row **row = calloc(s->nf ? s->nf : 1, sizeof *row);
  size_t *ord = calloc(s->nf ? s->nf : 1, sizeof *ord);
  if (!row || !ord) {
    free(row), free(ord);
    return GP_ERR_NOMEM(err);
  }
  size_t n = 0;
  for (size_t i = 0; i < s->n[0]; i++)
    if ((size_t)s->rows[0][i].metric == m) row[n] = &s->rows[0][i], ord[n] = n, n++;
  sort_rows = row, sort_sobol = sobol;
  qsort(ord, n, sizeof *ord, cmp_bar);
  const gp_field *fd = gp_metric_find(s->metrics[m]);
  const gp_metric_view *v = fd ? fd->view : NULL;
  double scale = !sobol && v ? v->scale : 1;
  char name[48];
  snprintf(name, sizeof name, "tornado-%zu.dat", m);
  FILE *dat = plot_tmp_open(c, name, err);
  int rc = dat ? 0 : -1, any = 0;
  double xmax = 0;
  for (size_t k = 0; k < n && !rc; k++) {
    const gp_reader_sens_row *x = row[ord[k]];
    double b = bar(x, sobol) * scale, lo = (sobol ? x->st_lo : x->mu_star_lo) * scale,
           hi = (sobol ? x->st_hi : x->mu_star_hi) * scale, s1 = sobol ? x->s1 : NAN;
    any |= isfinite(b);
    if (isfinite(hi)) xmax = fmax(xmax, hi);
    if (isfinite(b)) xmax = fmax(xmax, b);
    fprintf(dat, "%zu ", k);
    plot_put_num(dat, b);
    fputc(' ', dat);
    plot_put_num(dat, lo);
    fputc(' ', dat);
    plot_put_num(dat, hi);
    fputc(' ', dat);
    plot_put_num(dat, s1);
    fputc('\n', dat);
  }
  if (dat && plot_tmp_close(c, dat, name, err)) rc = -1;
  if (!rc) {
    fputs("set title ", g);
    plot_put_strn(g, v ? v->label : s->metrics[m], PLOT_NAME_CHARS);
    fputc('\n', g);
    if (!any) {
      fputs("unset ytics\nunset xlabel\nunset key\nset xrange [0:1]\nset yrange [0:1]\n"
            "set label 1 'no indices: the metric has no value at some design point' at graph "
            "0.5, graph 0.5 center\nplot -1 notitle\nunset label 1\nset key bottom right\n",
            g);
    } else {
      fputs("set ytics (", g);
      for (size_t k = 0; k < n; k++) {
        if (k) fputs(", ", g);
        plot_put_strn(g, s->factors[row[ord[k]]->factor], TORNADO_NAME_CHARS);
        fprintf(g, " %zu", k);
      }
      fprintf(g, ")\nset yrange [-0.6:%.1f]\n", (double)n - 0.4);
      if (sobol)
        fprintf(g, "set xrange [0:%.3g]\nset xlabel 'share of the variance'\n",
                fmax(1.0, xmax * 1.05));
      else {
        fprintf(g, "set xrange [0:%.6g]\nset xlabel ", xmax > 0 ? xmax * 1.05 : 1);
        char *xl = gp_strf("mu* (%s per range of the factor)", v ? v->shown : "metric");
        if (!xl) {
          free(row), free(ord);
          return GP_ERR_NOMEM(err);
        }
        plot_put_str(g, xl);
        free(xl);
        fputc('\n', g);
      }
      fprintf(g,
              "plot '%s' using (0):1:(0):2:($1-0.32):($1+0.32) with boxxyerror fs solid 0.55 "
              "lc rgb '#1f77b4' title '%s', \\\n"
              "  '' using 2:1:3:4 with xerrorbars pt -1 lw 1.2 lc rgb '#333333' title '95%% "
              "interval'%s\n",
              name, sobol ? "total (ST)" : "mu*",
              sobol ? ", \\\n  '' using 5:1 with points pt 7 ps 0.9 lc rgb '#ff7f0e' title "
                      "'first-order (S1)'"
                    : "");
    }
  }
  free(row);
  free(ord);
  return rc;
}

int chart_tornado(plot_ctx *c, FILE *g, gp_err *err) {
  gp_reader_sens s;
  if (gp_reader_sensitivity(c->r, &s, err)) return -1;
  char *t1 = gp_strf("%s: which uncertain assumptions move each metric", c->label);
  char *pol = s.np ? plot_cut(s.policies[0], PLOT_NAME_CHARS) : NULL;
  char *t2 = pol ? gp_strf("%s indices, policy %s, %.0f replications per design point",
                           strcmp(s.method, "sobol") == 0 ? "Sobol'" : "Morris", pol, s.reps)
                 : NULL;
  int rc = 0;
  if (!t1 || (s.np && !t2)) {
    rc = GP_ERR_NOMEM(err);
  } else if (!s.np || !s.nm || !s.nf) {
    plot_preamble(c, g, "tornado", 1000, 600);
    plot_message_panel(g, t1, "no indices in the file");
  } else {
    int cols = s.nm > 1 ? 2 : 1, rows = (int)((s.nm + 1) / (size_t)cols);
    int w = cols == 1 ? 1000 : 1400, h = 80 + rows * (int)(60 + 26 * s.nf);
    if (h < 400) h = 400;
    plot_preamble(c, g, "tornado", w, h);
    plot_multiplot(g, rows, cols, w, h, 0, 60, 25, "rowsfirst", t1, t2);
    fputs("set key bottom right\nset lmargin 30\nset grid noytics\n", g);
    for (size_t m = 0; m < s.nm && !rc; m++) rc = tornado_panel(c, g, &s, m, err);
    if (!rc) fputs("unset multiplot\n", g);
  }
  free(t1);
  free(t2);
  free(pol);
  gp_reader_sens_free(&s);
  return rc;
}
