/*
 * analysis/chart_time.c - the charts over time (see plot_int.h and the chart
 * table analysis/charts.def): government GPUs, the queue and the review
 * backlog, and installed H100-equivalents against the roadmap, from the
 * time series of the detailed replications.
 */
#include "analysis/plot_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis/format.h"
#include "analysis/text.h"

/* ---- government GPUs ---- */

enum { CAP_NS = 4 };
static const int cap_series[CAP_NS] = {GP_TS_INSTALLED, GP_TS_USABLE, GP_TS_ALLOCATED,
                                       GP_TS_BUSY};
static const char *const cap_label[CAP_NS] = {"installed (all shares)", "government-usable",
                                              "allocated to projects", "busy (in use)"};
static const char *const cap_color[CAP_NS] = {"#444444", "#1f77b4", "#ff7f0e", "#2ca02c"};

/* The data file of policy I: per sample, mean, lo and hi of each series;
 * the highest interval end into *YMAX. */
static int capacity_data(plot_ctx *c, size_t i, double *ymax, gp_err *err) {
  plot_policy *p = &c->pol[i];
  char name[64];
  snprintf(name, sizeof name, "capacity-%zu.dat", i);
  FILE *f = plot_tmp_open(c, name, err);
  if (!f) return -1;
  for (size_t j = 0; j < p->ns && p->nd; j++) {
    plot_put_time(f, c, p->time[j]);
    for (int s = 0; s < CAP_NS; s++) {
      double mean, lo, hi;
      plot_sample_ci(p->ts[cap_series[s]], p->nd, p->ns, j, &mean, &lo, &hi);
      plot_put_num(f, mean), plot_put_num(f, lo), plot_put_num(f, hi);
      if (isfinite(hi)) *ymax = fmax(*ymax, hi);
    }
    fputc('\n', f);
  }
  return plot_tmp_close(c, f, name, err);
}

/* The largest difference, at any sample, between the mean installed or
 * government-usable GPUs of policy REF and of any other policy with data;
 * -1 when their samples are not at the same times (or a series has a gap
 * where another has a value). */
static double capacity_spread(const plot_ctx *c, size_t ref) {
  const plot_policy *a = &c->pol[ref];
  double d = 0;
  for (size_t i = 0; i < c->np; i++) {
    const plot_policy *b = &c->pol[i];
    if (i == ref || !b->nd || !b->ns) continue;
    if (b->ns != a->ns || memcmp(a->time, b->time, a->ns * sizeof *a->time) != 0) return -1;
    for (int s = 0; s < 2; s++)
      for (size_t j = 0; j < a->ns; j++) {
        double ma, mb, lo, hi;
        plot_sample_ci(a->ts[cap_series[s]], a->nd, a->ns, j, &ma, &lo, &hi);
        plot_sample_ci(b->ts[cap_series[s]], b->nd, b->ns, j, &mb, &lo, &hi);
        if (isfinite(ma) != isfinite(mb)) return -1;
        if (isfinite(ma)) d = fmax(d, fabs(ma - mb));
      }
  }
  return d;
}

/* Axes, target line and label of a panel of GPUs up to YMAX, WIDTH pixels. */
static void capacity_axes(plot_ctx *c, FILE *g, int width, double ymax, const char *tl) {
  /* Every panel sets its axes: a message panel before it unset them. */
  fputs("set border\nset tics\n", g);
  plot_time_axis(c, g, width);
  fprintf(g, "set ylabel 'GPUs'\nset format y '%%.0f'\nset yrange [0:%.0f]\n",
          ymax > 0 ? ymax * 1.1 : 1);
  plot_target_marker(c, g);
  /* The target line is labelled where it is drawn: a long legend entry
   * would not fit the legend's single row. */
  if (isfinite(c->r->target_gpus)) {
    fputs("set label 2 ", g);
    plot_put_str(g, tl);
    fprintf(g, " at graph 0.01, first %.0f left offset 0,0.7 tc rgb '%s'\n", c->r->target_gpus,
            PLOT_TARGET_COLOR);
  }
}

static void capacity_target_line(const plot_ctx *c, FILE *g) {
  if (isfinite(c->r->target_gpus))
    fprintf(g, ", \\\n  %.0f with lines dt 2 lw 2 lc rgb '%s' notitle", c->r->target_gpus,
            PLOT_TARGET_COLOR);
}

/* The policies share the roadmap: one panel of it (installed and
 * government-usable, from policy REF), and under it one panel of what each
 * policy does with it (allocated and busy). */
static int capacity_shared(plot_ctx *c, FILE *g, size_t ref, double spread, double ymax,
                           const char *tl, gp_err *err) {
  size_t longest = 6;
  for (size_t i = 0; i < c->np; i++) {
    size_t n = plot_text_chars(c->pol[i].shown);
    if (n > longest) longest = n;
  }
  if (longest > PLOT_LEGEND_CHARS) longest = PLOT_LEGEND_CHARS + 3;
  int w = 1000, h = 820, right = 80 + 7 * (int)longest;
  plot_preamble(c, g, "capacity", w, h);
  char sp[64];
  if (spread > 0)
    snprintf(sp, sizeof sp, "the policies' means differ by at most %.0f GPUs", ceil(spread));
  else
    snprintf(sp, sizeof sp, "identical under every policy");
  char *t1 = gp_strf("%s: government GPUs over time; the roadmap is the same under every policy",
                     c->label);
  char *t2 = gp_strf("lines: mean over %zu detailed replications; shaded (the roadmap): its 95%% "
                     "confidence interval (Student t); roadmap: %s",
                     plot_max_detail(c), sp);
  char *t3 = gp_strf("the roadmap: GPUs installed and government-usable, as run under policy %s",
                     c->pol[ref].shown);
  if (!t1 || !t2 || !t3) {
    free(t1), free(t2), free(t3);
    return GP_ERR_NOMEM(err);
  }
  plot_multiplot(g, 2, 1, w, h, 0, 55, right, "columnsfirst", t1, t2);
  plot_put_title(g, "set title", t3, NULL);
  free(t1), free(t2), free(t3);
  int width = w - 85 - right;
  capacity_axes(c, g, width, ymax, tl);
  fputs("set key outside right top vertical reverse Left samplen 3\n", g);
  fputs("plot ", g);
  for (int s = 0; s < 2; s++)
    fprintf(g, "'capacity-%zu.dat' using 1:%d:%d with filledcurves lc rgb '%s' notitle, \\\n  ",
            ref, 3 + 3 * s, 4 + 3 * s, cap_color[s]);
  for (int s = 0; s < 2; s++)
    fprintf(g, "%s'capacity-%zu.dat' using 1:%d with lines lw 2 lc rgb '%s' title '%s'",
            s ? ", \\\n  " : "", ref, 2 + 3 * s, cap_color[s], cap_label[s]);
  capacity_target_line(c, g);
  fputc('\n', g);
  /* What each policy does with it: lines only, bands of many policies pile
   * up into mud; the same colour per policy, busy dashed. */
  fputs("unset label\nunset arrow\n", g);
  plot_put_title(g, "set title",
                 "GPUs allocated to projects (solid) and busy (dashed), by policy", NULL);
  plot_target_marker(c, g);
  fputs("set yrange [0:*]\n"
        "set key outside right top vertical reverse Left samplen 3 title 'policy' left\n"
        "plot ",
        g);
  int first = 1;
  for (size_t i = 0; i < c->np; i++) {
    if (!c->pol[i].nd || !c->pol[i].ns) continue;
    const char *col = plot_pol_color[i % plot_npol_color];
    fprintf(g, "%s'capacity-%zu.dat' using 1:8 with lines lw 2 lc rgb '%s' title ",
            first ? "" : ", \\\n  ", i, col);
    plot_put_strn(g, c->pol[i].shown, PLOT_LEGEND_CHARS);
    fprintf(g, ", \\\n  'capacity-%zu.dat' using 1:11 with lines lw 1.5 dt 2 lc rgb '%s' notitle",
            i, col);
    first = 0;
  }
  fputs("\nunset multiplot\n", g);
  return 0;
}

/* A panel per policy: their roadmaps differ (or only one has data). */
static int capacity_each(plot_ctx *c, FILE *g, double spread, double ymax, const char *tl,
                         gp_err *err) {
  int cols, rows, w, h;
  plot_layout(c->np, &cols, &rows, &w, &h);
  plot_preamble(c, g, "capacity", w, h);
  char sp[64] = "";
  if (spread > 0)
    snprintf(sp, sizeof sp, "; their roadmaps differ by up to %.0f GPUs", ceil(spread));
  else if (spread < 0)
    snprintf(sp, sizeof sp, "; their samples are at different times");
  char *t1 = gp_strf("%s: government GPUs over time, by policy", c->label);
  char *t2 = gp_strf("lines: mean over %zu detailed replications; shaded: its 95%% confidence "
                     "interval (Student t)%s",
                     plot_max_detail(c), sp);
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  plot_multiplot(g, rows, cols, w, h, 1, 55, 25, "rowsfirst", t1, t2);
  free(t1), free(t2);
  int keyed = 0;
  for (size_t i = 0; i < c->np; i++) {
    plot_policy *p = &c->pol[i];
    char *pt = gp_strf("policy %s", p->shown);
    if (!pt) return GP_ERR_NOMEM(err);
    if (!p->nd || !p->ns) {
      plot_message_panel(g, pt, PLOT_NO_DETAIL);
      free(pt);
      continue;
    }
    fputs("set title ", g);
    plot_put_strn(g, pt, PLOT_TITLE_CHARS);
    fputc('\n', g);
    free(pt);
    capacity_axes(c, g, (w - 110 - (cols - 1) * 100) / cols, ymax, tl);
    if (keyed)
      fputs("unset key\n", g);
    else
      plot_shared_key(g, h), keyed = 1;
    fputs("plot ", g);
    for (int s = 0; s < CAP_NS; s++)
      fprintf(g, "'capacity-%zu.dat' using 1:%d:%d with filledcurves lc rgb '%s' notitle, \\\n  ",
              i, 3 + 3 * s, 4 + 3 * s, cap_color[s]);
    for (int s = 0; s < CAP_NS; s++)
      fprintf(g, "%s'capacity-%zu.dat' using 1:%d with lines lw 2 lc rgb '%s' title '%s'",
              s ? ", \\\n  " : "", i, 2 + 3 * s, cap_color[s], cap_label[s]);
    capacity_target_line(c, g);
    fputc('\n', g);
  }
  fputs("unset multiplot\n", g);
  return 0;
}

/* The roadmap does not depend on the policy (issue 17, item 10): when every
 * policy's mean installed and government-usable GPUs agree to within 1% of
 * the axis (under a line's width; failures and repairs may differ a little
 * between policies), it is drawn once, and what the policies do with it in
 * a panel beside; otherwise a panel per policy. */
int chart_capacity(plot_ctx *c, FILE *g, gp_err *err) {
  double ymax = isfinite(c->r->target_gpus) ? c->r->target_gpus : 0;
  for (size_t i = 0; i < c->np; i++)
    if (capacity_data(c, i, &ymax, err)) return -1;
  char tl[160];
  plot_target_title(c, tl, sizeof tl, "");
  size_t ref = 0, with = 0;
  for (size_t i = c->np; i-- > 0;)
    if (c->pol[i].nd && c->pol[i].ns) ref = i, with++;
  double spread = with >= 2 ? capacity_spread(c, ref) : 0; /* 0: nothing to compare */
  if (with >= 2 && spread >= 0 && spread <= 0.01 * ymax * 1.1)
    return capacity_shared(c, g, ref, spread, ymax, tl, err);
  return capacity_each(c, g, spread, ymax, tl, err);
}
/* ---- the queue and the review backlog ---- */

int chart_queue(plot_ctx *c, FILE *g, gp_err *err) {
  plot_preamble(c, g, "queue", 1000, 700);
  char *t1 = gp_strf("%s: waiting projects and review backlog", c->label);
  /* Bands of more than three policies pile up into mud: lines only. */
  int bands = c->np <= 3;
  char *t2 = gp_strf("lines: mean over %zu detailed replications%s", plot_max_detail(c),
                     bands ? "; shaded: its 95% confidence interval (Student t)"
                           : " (95% bands left out with more than 3 policies)");
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  /* The legend goes right of the panels, as wide as the longest name. */
  size_t longest = 6;
  for (size_t i = 0; i < c->np; i++) {
    size_t n = plot_text_chars(c->pol[i].shown);
    if (n > longest) longest = n;
  }
  if (longest > PLOT_LEGEND_CHARS) longest = PLOT_LEGEND_CHARS + 3;
  int right = 80 + 7 * (int)longest;
  plot_multiplot(g, 2, 1, 1000, 700, 0, 55, right, "columnsfirst", t1, t2);
  free(t1), free(t2);
  for (size_t i = 0; i < c->np; i++) {
    plot_policy *p = &c->pol[i];
    char name[64];
    snprintf(name, sizeof name, "queue-%zu.dat", i);
    FILE *f = plot_tmp_open(c, name, err);
    if (!f) return -1;
    for (size_t j = 0; j < p->ns && p->nd; j++) {
      plot_put_time(f, c, p->time[j]);
      static const int v[] = {GP_TS_QUEUE, GP_TS_BACKLOG};
      for (int s = 0; s < 2; s++) {
        double mean, lo, hi;
        plot_sample_ci(p->ts[v[s]], p->nd, p->ns, j, &mean, &lo, &hi);
        plot_put_num(f, mean), plot_put_num(f, lo > 0 ? lo : 0), plot_put_num(f, hi);
      }
      fputc('\n', f);
    }
    if (plot_tmp_close(c, f, name, err)) return -1;
  }
  plot_time_axis(c, g, 1000 - 85 - right);
  fputs("set yrange [0:*]\nset format y '%.0f'\n", g);
  static const char *const title[] = {
      "accepted projects ready and waiting for GPUs (queue_length)",
      "proposals submitted and not yet decided (backlog, in review)"};
  static const char *const ylabel[] = {"projects waiting", "proposals in review"};
  for (int s = 0; s < 2; s++) {
    plot_put_title(g, "set title", title[s], NULL);
    fprintf(g, "set ylabel '%s'\n", ylabel[s]);
    if (s == 0)
      fputs("set key outside right top vertical reverse Left samplen 3 title 'policy' left\n", g);
    else
      fputs("unset key\n", g);
    fputs("plot ", g);
    int first = 1;
    for (size_t i = 0; i < c->np; i++) {
      if (!c->pol[i].nd || !c->pol[i].ns) continue;
      const char *col = plot_pol_color[i % plot_npol_color];
      fputs(first ? "" : ", \\\n  ", g);
      if (bands)
        fprintf(g, "'queue-%zu.dat' using 1:%d:%d with filledcurves lc rgb '%s' notitle, \\\n  ", i,
                3 + 3 * s, 4 + 3 * s, col);
      /* dashes tell apart the policies whose lines coincide */
      fprintf(g, "'queue-%zu.dat' using 1:%d with lines lw 2 dt %zu lc rgb '%s' title ", i,
              2 + 3 * s, i % 5 + 1, col);
      plot_put_strn(g, c->pol[i].shown, PLOT_LEGEND_CHARS);
      first = 0;
    }
    fputc('\n', g);
  }
  fputs("unset multiplot\n", g);
  return 0;
}
/* ---- H100-equivalents against the roadmap ---- */

/* Quantiles Q[nq] over replications of sample J of M[nd x ns]; BUF[nd]. */
static void sample_quantiles(const double *m, size_t nd, size_t ns, size_t j, double *buf,
                             const double *q, double *out, int nq) {
  size_t n = 0;
  for (size_t r = 0; r < nd; r++)
    if (isfinite(m[r * ns + j])) buf[n++] = m[r * ns + j];
  if (n) gsl_sort(buf, 1, n);
  for (int k = 0; k < nq; k++)
    out[k] = n ? gsl_stats_quantile_from_sorted_data(buf, 1, n, q[k]) : NAN;
}

static int same_series(const plot_policy *a, const plot_policy *b, int v) {
  if (a->nd != b->nd || a->ns != b->ns) return 0;
  if (memcmp(a->time, b->time, a->ns * sizeof *a->time) != 0) return 0;
  return memcmp(a->ts[v], b->ts[v], a->nd * a->ns * sizeof *a->ts[v]) == 0;
}

/* H100-equivalents of the GPUs under agreement at the target date as
 * planned (no slips): each tranche's planned_at_target times its GPU type's
 * h100_equiv, from the scenario stored in the file; into *H100E and *GPUS.
 * Returns 0, or 1 when the file does not hold the roadmap as planned (files
 * written before it existed), -1 on an error. */
static int planned_mix(plot_ctx *c, double *h100e, double *gpus, gp_err *err) {
  gp_reader_plan pl;
  if (gp_reader_roadmap_plan(c->r, &pl, err)) return -1;
  if (!pl.has) return 1;
  const cJSON *rm = cJSON_GetObjectItemCaseSensitive(c->r->scenario, "roadmap");
  const cJSON *tr = cJSON_GetObjectItemCaseSensitive(rm, "tranches");
  const cJSON *types = cJSON_GetObjectItemCaseSensitive(c->r->scenario, "gpu_types");
  *h100e = 0, *gpus = 0;
  int rc = 0;
  for (size_t i = 0; i < pl.n && !rc; i++) {
    const cJSON *t = cJSON_GetArrayItem(tr, (int)pl.rows[i].tranche);
    const cJSON *ty = cJSON_GetObjectItemCaseSensitive(t, "gpu_type");
    const cJSON *eq = NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, types) {
      const cJSON *nm = cJSON_GetObjectItemCaseSensitive(it, "name");
      if (cJSON_IsString(ty) && cJSON_IsString(nm) && strcmp(nm->valuestring, ty->valuestring) == 0)
        eq = cJSON_GetObjectItemCaseSensitive(it, "h100_equiv"), ty = NULL;
    }
    if (ty) /* no such type: the stored scenario is not one gpuplan wrote */
      rc = GP_ERR(err, GP_EX_DATAERR, "%s: the stored scenario's roadmap.tranches[%d] has no "
                  "gpu_type of its gpu_types", c->r->path, (int)pl.rows[i].tranche);
    double k = cJSON_IsNumber(eq) ? eq->valuedouble : 1.0; /* the format's default */
    *h100e += pl.rows[i].planned_at_target * k;
    *gpus += pl.rows[i].planned_at_target;
  }
  gp_reader_plan_free(&pl);
  return rc;
}

int chart_h100e(plot_ctx *c, FILE *g, gp_err *err) {
  plot_preamble(c, g, "h100e", 1000, 600);
  size_t nd = plot_max_detail(c);
  /* The target counts GPUs; on this axis it is drawn in H100-equivalents,
   * at the mix of GPU types planned for the target date (issue 17, item
   * 10).  Without the plan, or with nothing planned by the date, there is no
   * mix: no target line, and the subtitle says why. */
  double target = NAN, per_gpu = NAN, mix_h = 0, mix_g = 0;
  const char *why = "";
  if (isfinite(c->r->target_gpus)) {
    int m = planned_mix(c, &mix_h, &mix_g, err);
    if (m < 0) return -1;
    if (m == 1)
      why = "; no target line: the file does not hold the roadmap as planned";
    else if (!(mix_g > 0))
      why = "; no target line: no GPU is planned by the target date, so no mix to convert at";
    else
      per_gpu = mix_h / mix_g, target = c->r->target_gpus * per_gpu;
  }
  char *t1 = gp_strf("%s: installed capacity in H100-equivalents vs the roadmap", c->label);
  char *t2 = gp_strf("line: median of %zu detailed replications; shaded: 5-95%% of them (delivery "
                     "slips)%s%s",
                     nd, isfinite(target) ? "; the target in H100-equivalents at the planned mix"
                                          : "",
                     why);
  if (!t1 || !t2) {
    free(t1), free(t2);
    return GP_ERR_NOMEM(err);
  }
  plot_put_title(g, "set title", t1, t2);
  free(t1), free(t2);
  /* The roadmap is part of the world, so every policy usually has the same
   * installed series: then it is drawn once. */
  int same = 1;
  for (size_t i = 1; i < c->np; i++)
    if (!same_series(&c->pol[0], &c->pol[i], GP_TS_INSTALLED_H100E)) same = 0;
  size_t nshow = same ? 1 : c->np;
  double *buf = malloc(nd * sizeof *buf);
  if (!buf) return GP_ERR_NOMEM(err);
  static const double q[] = {0.5, 0.05, 0.95};
  double ymax = isfinite(target) ? target : 0;
  int rc = 0;
  for (size_t i = 0; i < nshow && !rc; i++) {
    plot_policy *p = &c->pol[i];
    char name[64];
    snprintf(name, sizeof name, "h100e-%zu.dat", i);
    FILE *f = plot_tmp_open(c, name, err);
    if (!f) {
      rc = -1;
      break;
    }
    for (size_t j = 0; j < p->ns && p->nd; j++) {
      double h[3], gpus[1];
      sample_quantiles(p->ts[GP_TS_INSTALLED_H100E], p->nd, p->ns, j, buf, q, h, 3);
      sample_quantiles(p->ts[GP_TS_INSTALLED], p->nd, p->ns, j, buf, q, gpus, 1);
      plot_put_time(f, c, p->time[j]);
      plot_put_num(f, h[0]), plot_put_num(f, h[1]), plot_put_num(f, h[2]), plot_put_num(f, gpus[0]);
      fputc('\n', f);
      if (isfinite(h[2])) ymax = fmax(ymax, h[2]);
    }
    rc = plot_tmp_close(c, f, name, err);
  }
  free(buf);
  if (rc) return -1;
  plot_time_axis(c, g, 890);
  fprintf(g,
          "set ylabel 'H100-equivalents'\nset format y '%%.0f'\n"
          "set yrange [0:%.0f]\nset key inside left top vertical reverse Left\n",
          ymax > 0 ? ymax * 1.25 : 1);
  plot_target_marker(c, g);
  /* The band of the first policy with data; only the medians of the others,
   * so that near-identical bands do not pile up. */
  size_t first = 0;
  while (first + 1 < nshow && !(c->pol[first].nd && c->pol[first].ns)) first++;
  const char *col0 = same ? "#1f77b4" : plot_pol_color[first % plot_npol_color];
  char *bt = same ? gp_strf("5-95%% of replications")
                  : gp_strf("5-95%% of replications, policy %s", c->pol[first].shown);
  char *lt = same ? gp_strf("installed H100-equivalents, median (same under every policy)")
                  : gp_strf("installed H100-equivalents, median, policy %s", c->pol[first].shown);
  if (!lt || !bt) {
    free(lt), free(bt);
    return GP_ERR_NOMEM(err);
  }
  fprintf(g, "plot 'h100e-%zu.dat' using 1:3:4 with filledcurves lc rgb '%s' title ", first, col0);
  plot_put_strn(g, bt, PLOT_TITLE_CHARS);
  fprintf(g, ", \\\n  'h100e-%zu.dat' using 1:2 with lines lw 2 lc rgb '%s' title ", first, col0);
  plot_put_strn(g, lt, PLOT_TITLE_CHARS);
  free(lt), free(bt);
  for (size_t i = first + 1; i < nshow; i++) {
    if (!c->pol[i].nd || !c->pol[i].ns) continue;
    char *mt = gp_strf("median, policy %s", c->pol[i].shown);
    if (!mt) return GP_ERR_NOMEM(err);
    fprintf(g, ", \\\n  'h100e-%zu.dat' using 1:2 with lines lw 2 dt 2 lc rgb '%s' title ", i,
            plot_pol_color[i % plot_npol_color]);
    plot_put_strn(g, mt, PLOT_TITLE_CHARS);
    free(mt);
  }
  fprintf(g,
          ", \\\n  'h100e-%zu.dat' using 1:5 with lines lw 1.5 dt 3 lc rgb '#444444' "
          "title 'installed GPUs (median), for comparison'",
          first);
  if (isfinite(target)) {
    char tl[240], note[120], h[32];
    gp_fmt_num(h, sizeof h, target, 0, 0);
    snprintf(note, sizeof note, " = %s H100-equivalents at the planned mix (%.2f per GPU)", h,
             per_gpu);
    plot_target_title(c, tl, sizeof tl, note);
    fprintf(g, ", \\\n  %.10g with lines dt 2 lw 2 lc rgb '%s' title ", target, PLOT_TARGET_COLOR);
    plot_put_str(g, tl);
  }
  fputc('\n', g);
  return 0;
}
