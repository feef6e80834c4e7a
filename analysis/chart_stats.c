/*
 * analysis/chart_stats.c - the charts of statistics (see plot_int.h and the
 * chart table analysis/charts.def): time to GPUs by sector, acceptance by
 * sector, and the paired differences between policies.  Which metrics the
 * last two show, and how they are labelled and scaled, is the metric
 * catalogue's (models/results/metrics.c).  Then the charts of what drives
 * the answer:
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
 * Invariant: names from the file (policies, factors) reach a script only
 * through plot_put_strn.
 */
#include "analysis/plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/discover.h"
#include "analysis/format.h"
#include "analysis/text.h"
#include "models/results/metrics.h"

/* ---- time to GPUs by sector ---- */

#define ECDF_POINTS 2000

int chart_time_to_gpu(plot_ctx *c, FILE *g, gp_err *err) {
  static const char *const color[GP_NSECTORS] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd",
                                                 "#d62728"};
  int cols, rows, w, h;
  plot_layout(c->np, &cols, &rows, &w, &h);
  plot_preamble(c, g, "time_to_gpu", w, h);
  char *t1 = gp_strf("%s: time from submission to GPUs, by sector", c->label);
  char *t2 = gp_strf("empirical distribution over started projects, pooled over %zu detailed "
                     "replications; sectors with none started left out",
                     plot_max_detail(c));
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  plot_multiplot(g, rows, cols, w, h, 0, 55, 25, "rowsfirst", t1, t2);
  free(t1), free(t2);

  size_t maxn = 0;
  for (size_t i = 0; i < c->np; i++) maxn = c->pol[i].nprop > maxn ? c->pol[i].nprop : maxn;
  double *x = malloc((maxn ? maxn : 1) * sizeof *x);
  if (!x) return GP_ERR_NOMEM(err);
  /* counts[i][s]: started projects of policy i, sector s */
  size_t(*counts)[GP_NSECTORS] = calloc(c->np, sizeof *counts);
  if (!counts) {
    free(x);
    return GP_ERR_NOMEM(err);
  }
  double xmax = 0;
  int rc = 0;
  for (size_t i = 0; i < c->np && !rc; i++) {
    plot_policy *p = &c->pol[i];
    for (int s = 0; s < GP_NSECTORS && !rc; s++) {
      size_t n = 0;
      for (size_t r = 0; r < p->nprop; r++) {
        const gp_reader_start *q = &p->prop[r];
        if (q->sector == s && q->started >= 0 && q->started >= q->submitted) /* NaN: never */
          x[n++] = q->started - q->submitted;
      }
      counts[i][s] = n;
      if (!n) continue;
      qsort(x, n, sizeof *x, plot_cmp_double);
      xmax = fmax(xmax, x[n - 1]);
      char name[64];
      snprintf(name, sizeof name, "ttg-%zu-%d.dat", i, s);
      FILE *f = plot_tmp_open(c, name, err);
      if (!f) {
        rc = -1;
        break;
      }
      fprintf(f, "%.10g 0\n", x[0]);
      size_t m = n < ECDF_POINTS ? n : ECDF_POINTS;
      for (size_t k = 0; k < m; k++) {
        size_t idx = (size_t)((double)(k + 1) * (double)n / (double)m) - 1;
        fprintf(f, "%.10g %.10g\n", x[idx], 100.0 * (double)(idx + 1) / (double)n);
      }
      rc = plot_tmp_close(c, f, name, err);
    }
  }
  free(x);
  if (rc) {
    free(counts);
    return -1;
  }
  fprintf(g, "set xrange [0:%.0f]\nset yrange [0:100]\nset ytics 0,25,100\n",
          xmax > 0 ? ceil(xmax * 1.02) : 1);
  fputs("set xlabel 'days from submission to start on GPUs'\n"
        "set ylabel 'started projects (cumulative %)'\n"
        "set key inside right bottom vertical\n",
        g);
  for (size_t i = 0; i < c->np; i++) {
    size_t total = 0;
    for (int s = 0; s < GP_NSECTORS; s++) total += counts[i][s];
    char *pt = gp_strf("policy %s", c->pol[i].shown);
    if (!pt) {
      free(counts);
      return GP_ERR_NOMEM(err);
    }
    if (!total) {
      plot_message_panel(g, pt,
                         c->pol[i].nprop ? "no project of the detailed replications got GPUs"
                                         : PLOT_NO_DETAIL);
      free(pt);
      /* message_panel unsets what the next panels need */
      fprintf(g,
              "set border\nset tics\nset key\nset xrange [0:%.0f]\nset yrange [0:100]\n"
              "set xlabel 'days from submission to start on GPUs'\n"
              "set ylabel 'started projects (cumulative %%)'\nset key inside right bottom\n",
              xmax > 0 ? ceil(xmax * 1.02) : 1);
      continue;
    }
    fputs("set title ", g);
    plot_put_strn(g, pt, PLOT_TITLE_CHARS);
    fputc('\n', g);
    free(pt);
    fputs("plot ", g);
    int first = 1;
    for (int s = 0; s < GP_NSECTORS; s++) {
      if (!counts[i][s]) continue;
      char num[32];
      gp_fmt_num(num, sizeof num, (double)counts[i][s], 0, 0);
      fprintf(g,
              "%s'ttg-%zu-%d.dat' using 1:2 with steps lw 2 lc rgb '%s' "
              "title '%s: %s projects started'",
              first ? "" : ", \\\n  ", i, s, color[s], gp_sector_names[s], num);
      first = 0;
    }
    fputc('\n', g);
  }
  free(counts);
  fputs("unset multiplot\n", g);
  return 0;
}

/* ---- acceptance by sector ---- */

int chart_acceptance(plot_ctx *c, FILE *g, gp_err *err) {
  enum { NCAT = GP_NSECTORS + 1 };
  plot_preamble(c, g, "acceptance", 1000, 600);
  gp_stat_row *st = plot_stats(c, 0, err);
  if (!st) return -1;
  size_t nm = (size_t)gp_stat_count();
  /* The acceptance rate, then its parts by sector (the catalogue's breakdown
   * of acceptance_rate) at 1 + their sector. */
  int idx[NCAT];
  for (int k = 0; k < NCAT; k++) idx[k] = -1;
  idx[0] = gp_stat_index("acceptance_rate");
  for (size_t k = 0; k < nm; k++) {
    const gp_metric_view *v = gp_stat_field((int)k)->view;
    if (v->group && strcmp(v->group, "acceptance_rate") == 0 && v->sector >= 0 &&
        v->sector < GP_NSECTORS)
      idx[1 + v->sector] = (int)k;
  }
  const gp_metric_view *rate = idx[0] >= 0 ? gp_stat_field(idx[0])->view : NULL;
  double scale = rate ? rate->scale : 100;
  double width = fmin(0.16, 0.7 / (double)c->np);
  int any = 0;
  double ytop = 0; /* highest interval end, % */
  int rc = 0;
  for (size_t i = 0; i < c->np && !rc; i++) {
    char name[64];
    snprintf(name, sizeof name, "acceptance-%zu.dat", i);
    FILE *f = plot_tmp_open(c, name, err);
    if (!f) {
      rc = -1;
      break;
    }
    double off = ((double)i - (double)(c->np - 1) / 2.0) * width;
    for (int k = 0; k < NCAT; k++) {
      if (idx[k] < 0) continue;
      const gp_stat_row *r = &st[i * nm + (size_t)idx[k]];
      if (r->n == 0 || !isfinite(r->mean)) continue;
      double half = isfinite(r->half_width) ? r->half_width : 0;
      fprintf(f, "%.4f", k + off);
      plot_put_num(f, scale * r->mean);
      plot_put_num(f, scale * fmax(0, r->mean - half));
      plot_put_num(f, scale * fmin(1, r->mean + half));
      fputc('\n', f);
      ytop = fmax(ytop, scale * fmin(1, r->mean + half));
      any = 1;
    }
    rc = plot_tmp_close(c, f, name, err);
  }
  free(st);
  if (rc) return -1;
  char *t1 = gp_strf("%s: acceptance rate by sector and policy", c->label);
  char *t2 =
      gp_strf("mean over %zu replications with its 95%% confidence interval (Student t)", c->nreps);
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  plot_put_title(g, "set title", t1, t2);
  free(t1), free(t2);
  if (!any) {
    plot_message_panel(g, "acceptance", "no proposal was decided in any replication");
    return 0;
  }
  fprintf(g, "set xrange [-0.6:5.6]\nset yrange [0:%.0f]\nset ytics 0,%d,100\n",
          fmin(100, 10 * ceil(ytop / 10 + 0.5)), ytop > 50 ? 10 : 5);
  fputs("set xlabel 'applicant sector'\n", g);
  char *ylabel = gp_strf("accepted / decided proposals (%s)", rate ? rate->shown : "%");
  if (!ylabel) return GP_ERR_NOMEM(err);
  plot_put_title(g, "set ylabel", ylabel, NULL);
  free(ylabel);
  fputs("set key outside right top vertical title 'policy'\n"
        "set grid noxtics ytics\n",
        g);
  fputs("set xtics ('all sectors' 0", g);
  for (int s = 0; s < GP_NSECTORS; s++) fprintf(g, ", '%s' %d", gp_sector_names[s], s + 1);
  fputs(")\n", g);
  fputs("set arrow 1 from 0.5, graph 0 to 0.5, graph 1 nohead lc rgb '#999999'\n", g);
  fputs("plot ", g);
  for (size_t i = 0; i < c->np; i++) {
    fprintf(
        g,
        "%s'acceptance-%zu.dat' using 1:2:3:4 with yerrorbars pt 7 ps 1.3 lw 2 lc rgb '%s' title ",
        i ? ", \\\n  " : "", i, plot_pol_color[i % plot_npol_color]);
    plot_put_strn(g, c->pol[i].shown, PLOT_LEGEND_CHARS);
  }
  fputc('\n', g);
  return 0;
}
/* ---- differences ---- */

/* The metrics the catalogue shows here (GP_SHOW_PLOT) with at least one
 * difference to show: their K into KEEP, the range of their intervals (as
 * shown) into LO and HI; returns how many. */
static size_t diff_metrics(const plot_ctx *c, const gp_stat_row *st, int *keep, double *lo,
                           double *hi) {
  size_t nm = (size_t)gp_stat_count(), nk = 0;
  for (size_t k = 0; k < nm; k++) {
    const gp_metric_view *v = gp_stat_field((int)k)->view;
    if (!(v->where & GP_SHOW_PLOT)) continue;
    lo[nk] = 0, hi[nk] = 0;
    int any = 0;
    for (size_t i = 1; i < c->np; i++) {
      const gp_stat_row *r = &st[i * nm + k];
      if (r->n == 0 || !isfinite(r->mean)) continue;
      any = 1;
      double a = isfinite(r->lo) ? r->lo : r->mean, b = isfinite(r->hi) ? r->hi : r->mean;
      lo[nk] = fmin(lo[nk], a * v->scale);
      hi[nk] = fmax(hi[nk], b * v->scale);
    }
    if (any) keep[nk++] = (int)k;
  }
  return nk;
}

/* The data file of metric K's panel: one line per comparison. */
static int diff_data(plot_ctx *c, const gp_stat_row *st, int k, size_t j, gp_err *err) {
  size_t nm = (size_t)gp_stat_count();
  double scale = gp_stat_field(k)->view->scale;
  char name[64];
  snprintf(name, sizeof name, "diff-%zu.dat", j);
  FILE *f = plot_tmp_open(c, name, err);
  if (!f) return -1;
  for (size_t i = 1; i < c->np; i++) {
    const gp_stat_row *r = &st[i * nm + (size_t)k];
    if (r->n == 0 || !isfinite(r->mean)) continue;
    double a = isfinite(r->lo) ? r->lo : r->mean, b = isfinite(r->hi) ? r->hi : r->mean;
    int sig = isfinite(r->half_width) && (r->lo > 0 || r->hi < 0);
    fprintf(f, "%zu", i - 1);
    plot_put_num(f, r->mean * scale), plot_put_num(f, a * scale), plot_put_num(f, b * scale);
    fprintf(f, " %d\n", sig);
  }
  return plot_tmp_close(c, f, name, err);
}

/* The panel of metric K: its label, which way is better, its unit of
 * differences; the range of the intervals LO to HI. */
static int diff_panel(FILE *g, int k, size_t j, double lo, double hi, gp_err *err) {
  const gp_metric_view *v = gp_stat_field(k)->view;
  const char *better = v->better == GP_BETTER_HIGHER  ? " (more is better)"
                       : v->better == GP_BETTER_LOWER ? " (less is better)"
                                                      : "";
  char *title = gp_strf("%s%s", v->label, better);
  if (!title) return GP_ERR_NOMEM(err);
  double span = hi - lo;
  if (!(span > 0)) span = 1;
  fprintf(g, "set yrange [%.6g:%.6g]\n", lo - 0.12 * span, hi + 0.12 * span);
  plot_put_title(g, "set title", title, NULL);
  plot_put_title(g, "set ylabel", v->delta ? v->delta : v->shown, NULL);
  free(title);
  fprintf(g,
          "plot 'diff-%zu.dat' using 1:($5 > 0 ? $2 : NaN):3:4 with yerrorbars pt 7 ps 1.5 lw 2 "
          "lc rgb '#1f77b4' notitle, \\\n"
          "  'diff-%zu.dat' using 1:($5 > 0 ? NaN : $2):3:4 with yerrorbars pt 6 ps 1.5 lw 2 "
          "lc rgb '#1f77b4' notitle\n",
          j, j);
  return 0;
}

int chart_differences(plot_ctx *c, FILE *g, gp_err *err) {
  size_t nc = c->np - 1; /* comparisons: policy i against policy 0 */
  char *t1 =
      gp_strf("%s: paired differences between policies (policy - %s)", c->label, c->pol[0].shown);
  char *t2 = gp_strf("mean difference over %zu replications (same world per replication) with its "
                     "95%% confidence interval; filled: the interval excludes 0",
                     c->nreps);
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  if (nc == 0) {
    plot_preamble(c, g, "differences", 1000, 600);
    char *msg = gp_strf("one policy (%s) in the file: no differences to show", c->pol[0].shown);
    if (msg) plot_message_panel(g, t1, msg);
    free(msg);
    free(t1), free(t2);
    return msg ? 0 : GP_ERR_NOMEM(err);
  }
  size_t nm = (size_t)gp_stat_count();
  gp_stat_row *st = plot_stats(c, 1, err);
  int *keep = malloc(nm * sizeof *keep);
  double *lo = malloc(nm * sizeof *lo), *hi = malloc(nm * sizeof *hi);
  int rc = -1;
  if (!st || !keep || !lo || !hi) {
    if (st) GP_ERR_NOMEM(err);
    goto done;
  }
  size_t nk = diff_metrics(c, st, keep, lo, hi);
  /* A panel per metric, and the last cell for the legend. */
  size_t cells = nk + 1;
  int cols = cells <= 4 ? (int)cells : cells <= 9 ? 3 : 4;
  int rows = (int)((cells + (size_t)cols - 1) / (size_t)cols);
  int under = nc > 2 ? 85 : 40; /* slanted tic labels need more room */
  int h = (rows == 1 ? 420 : 80 + 250 * rows) + rows * (under - 40);
  plot_preamble(c, g, "differences", 1000, h);
  plot_multiplot(g, rows, cols, 1000, h, 0, under, 25, "rowsfirst", t1, t2);
  if (nk == 0) {
    plot_message_panel(g, "differences", "no metric has a value in every replication");
    fputs("unset multiplot\n", g);
    rc = 0;
    goto done;
  }
  for (size_t j = 0; j < nk; j++)
    if (diff_data(c, st, keep[j], j, err)) goto done;
  fprintf(g, "set xrange [-0.6:%.1f]\nunset key\nset grid noxtics ytics\n", (double)nc - 0.4);
  fputs("set xtics (", g);
  for (size_t i = 1; i < c->np; i++) {
    /* "A - B" when there is room; the title says "policy - B" anyway */
    char *tic =
        nc > 2 ? strdup(c->pol[i].shown) : gp_strf("%s - %s", c->pol[i].shown, c->pol[0].shown);
    if (!tic) {
      GP_ERR_NOMEM(err);
      goto done;
    }
    fputs(i > 1 ? ", " : "", g);
    plot_put_strn(g, tic, nc > 2 ? 14 : 28);
    fprintf(g, " %zu", i - 1);
    free(tic);
  }
  fprintf(g, ")%s\n", nc > 2 ? " rotate by 30 right" : "");
  fputs("set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb '#666666'\n", g);
  for (size_t j = 0; j < nk; j++)
    if (diff_panel(g, keep[j], j, lo[j], hi[j], err)) goto done;
  /* The legend cell (keyentry: legend lines without data). */
  fputs("unset title\nunset border\nunset tics\nunset xlabel\nunset ylabel\nunset arrow\n"
        "unset grid\nset xrange [0:1]\nset yrange [0:1]\n"
        "set key center center vertical reverse Left samplen 2 box lc rgb '#bbbbbb' width 1\n"
        "set key title 'mean difference, 95% interval:' left\n",
        g);
  fputs("plot keyentry with yerrorbars pt 7 ps 1.5 lw 2 lc rgb '#1f77b4' "
        "title 'excludes 0', \\\n"
        "  keyentry with yerrorbars pt 6 ps 1.5 lw 2 lc rgb '#1f77b4' "
        "title 'includes 0', \\\n"
        "  -1 notitle\n"
        "unset multiplot\n",
        g);
  rc = 0;
done:
  free(t1), free(t2);
  free(st), free(keep), free(lo), free(hi);
  return rc;
}

/* ---- drivers ---- */

#define DRIVERS_MAX 2
#define MISSED_COLOR PLOT_TARGET_COLOR
#define MET_COLOR "#1f77b4"

/* One panel: the metric against factor F, the points where the condition
 * holds in red; the box's bounds on F dashed. */
static int drivers_panel(plot_ctx *c, FILE *g, const gp_discover *d, size_t f, size_t idx,
                 const gp_metric_view *v, gp_err *err) {
  char name[48]; /* "drivers-" and any size_t */
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
      const double edge[2] = {a, b};
      for (int e = 0, n = 1; e < 2; e++)
        if (isfinite(edge[e]))
          fprintf(g, "set arrow %d from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lw 1.5 "
                     "lc rgb '#555555'\n", n++, edge[e], edge[e]);
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
