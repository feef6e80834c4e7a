/*
 * analysis/plot_script.c - the pieces of gnuplot scripts and data files that
 * the charts share (see plot_int.h): quoting text, titles, terminals, date
 * axes, panels, the roadmap target, data files and their numbers.
 *
 * Invariant: plot_put_strn is the only way text from the result file enters
 * a script (see plot_int.h); everything else written here is a constant or a
 * number.
 */
#include "analysis/plot_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/format.h"
#include "analysis/gnuplot.h"
#include "analysis/text.h"
#include "models/scenario/date.h"
#include "sim/stats.h"

const char *const plot_pol_color[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                      "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
const size_t plot_npol_color = sizeof plot_pol_color / sizeof plot_pol_color[0];

/* ---- text in scripts ---- */

/* Write S as a gnuplot single-quoted string: no substitution happens inside
 * one; a quote is doubled; control characters (which could end the command)
 * become spaces and invalid UTF-8 '?', so that SVG output stays valid XML.
 * At most MAXCHARS characters (0 = all); a longer text ends in "...". */
void plot_put_strn(FILE *g, const char *s, size_t maxchars) {
  const unsigned char *p = (const unsigned char *)s;
  fputc('\'', g);
  for (size_t k = 0; *p; k++) {
    if (maxchars && k == maxchars) {
      fputs("...", g);
      break;
    }
    size_t n = gp_utf8_len(p);
    if (n == 0)
      fputc('?', g), p++;
    else if (n > 1)
      fwrite(p, 1, n, g), p += n;
    else if (*p < 0x20 || *p == 0x7f)
      fputc(' ', g), p++;
    else if (*p == '\'')
      fputs("''", g), p++;
    else
      fputc(*p, g), p++;
  }
  fputc('\'', g);
}

void plot_put_str(FILE *g, const char *s) { plot_put_strn(g, s, 0); }

/* S cut to MAXCHARS characters, "..." appended when cut; malloc'd. */
char *plot_cut(const char *s, size_t maxchars) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t k = 0; *p && k < maxchars; k++) {
    size_t n = gp_utf8_len(p);
    p += n ? n : 1;
  }
  if (!*p) return strdup(s);
  return gp_strf("%.*s...", (int)(p - (const unsigned char *)s), s);
}

/* Characters of S as put_strn counts them. */
size_t plot_text_chars(const char *s) {
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; k++) {
    size_t n = gp_utf8_len(p);
    p += n ? n : 1;
  }
  return k;
}

/* "set title" and friends: CMD, then LINE1 (and LINE2 under it). */
void plot_put_title(FILE *g, const char *cmd, const char *line1, const char *line2) {
  fprintf(g, "%s ", cmd);
  plot_put_strn(g, line1, PLOT_TITLE_CHARS);
  if (line2) {
    fputs(" . \"\\n\" . ", g);
    plot_put_strn(g, line2, PLOT_TITLE_CHARS);
  }
  fputc('\n', g);
}

/* Seconds since 1970 of simulation time T: gnuplot's time coordinates. */
double plot_tsec(const plot_ctx *c, double t) { return ((double)c->r->epoch + t) * 86400.0; }

/* Simulation time T as "YYYY-MM-DDTHH:MM" (the scripts' timefmt). */
void plot_put_time(FILE *f, const plot_ctx *c, double t) {
  double day = floor(t);
  long min = lround((t - day) * 1440.0);
  if (min >= 1440) day += 1, min = 0;
  char d[32];
  gp_date_format(c->r->epoch + (long)day, d, sizeof d);
  fprintf(f, "%sT%02ld:%02ld", d, min / 60, min % 60);
}

/* Numbers for data files: NaN as the missing marker the scripts declare. */
void plot_put_num(FILE *f, double x) {
  if (isfinite(x))
    fprintf(f, " %.10g", x);
  else
    fputs(" NaN", f);
}

/* X rounded to an integer, with thousands separators: "52,000". */

int plot_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* ---- data files in the private directory ---- */

FILE *plot_tmp_open(plot_ctx *c, const char *name, gp_err *err) {
  char *p = gp_strf("%s/%s", c->tmp, name);
  if (!p) return GP_ERR_NOMEM(err), NULL;
  FILE *f = fopen(p, "w");
  if (!f) GP_ERR(err, GP_EX_IOERR, "%s: cannot write: %s", p, strerror(errno));
  free(p);
  return f;
}

int plot_tmp_close(plot_ctx *c, FILE *f, const char *name, gp_err *err) {
  int bad = ferror(f);
  int e = errno;
  if (fclose(f) != 0 && !bad) bad = 1, e = errno;
  if (bad) return GP_ERR(err, GP_EX_IOERR, "%s/%s: write error: %s", c->tmp, name, strerror(e));
  return 0;
}

/* ---- script pieces ---- */

/* Terminal, output and the settings every chart shares; W x H pixels. */
void plot_preamble(const plot_ctx *c, FILE *g, const char *chart, int w, int h) {
  fprintf(g, "# gpuplan plot: %s\n", chart);
  if (strcmp(c->ext, "png") == 0)
    fprintf(g,
            "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
            "  set terminal pngcairo size %d,%d noenhanced font 'sans,10'\n"
            "} else {\n"
            "  set terminal png truecolor size %d,%d noenhanced\n"
            "}\n",
            w, h, w, h);
  else if (strcmp(c->ext, "svg") == 0)
    fprintf(g, "set terminal svg size %d,%d noenhanced font 'sans,11' background '#ffffff'\n", w,
            h);
  else
    fprintf(g,
            "if (strstrt(GPVAL_TERMINALS, 'pdfcairo') == 0) {\n"
            "  print 'this gnuplot has no pdfcairo terminal'\n"
            "  exit status %d\n"
            "}\n"
            "set terminal pdfcairo size %.2fin,%.2fin noenhanced font 'sans,12'\n",
            GP_GNUPLOT_NO_TERMINAL, w / 100.0, h / 100.0);
  fprintf(g, "set output '%s.%s'\n", chart, c->ext);
  fputs("set encoding utf8\n"
        "set datafile missing 'NaN'\n"
        "set grid back lt 1 lw 1 lc rgb '#e4e4e4'\n"
        "set style fill transparent solid 0.2 noborder\n"
        "set key box lc rgb '#bbbbbb' opaque\n",
        g);
}

/* A date axis over the run, ticks on month boundaries, as many as fit a
 * plot WIDTH pixels wide. */
void plot_time_axis(const plot_ctx *c, FILE *g, int width) {
  double span = c->t1 - c->t0;
  double lo = c->t0, hi = c->t1 + 0.02 * span;
  fputs("set xdata time\n"
        "set timefmt '%Y-%m-%dT%H:%M'\n"
        "set format x '%Y-%m'\n"
        "set xlabel 'date (year-month)'\n",
        g);
  fprintf(g, "set xrange [%.0f:%.0f]\n", plot_tsec(c, lo), plot_tsec(c, hi));
  char d[32];
  int y, m, dd;
  gp_date_format(c->r->epoch + (long)floor(lo), d, sizeof d);
  if (sscanf(d, "%d-%d-%d", &y, &m, &dd) != 3) return;
  long months = (long)(span / 30.44) + 1;
  static const int steps[] = {1, 2, 3, 6, 12, 24, 60, 120, 240};
  int step = 240;
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
    if (months / steps[i] < width / 65) {
      step = steps[i];
      break;
    }
  long k = (long)y * 12 + (m - 1);
  if (dd > 1) k++;
  k = (k + step - 1) / step * step;
  fputs("set xtics (", g);
  for (int first = 1;; k += step) {
    snprintf(d, sizeof d, "%04ld-%02ld-01", k / 12, k % 12 + 1);
    long day;
    if (gp_date_parse(d, &day) != 0 || (double)(day - c->r->epoch) > hi) break;
    fprintf(g, "%s%.0f", first ? "" : ", ", (double)day * 86400.0);
    first = 0;
  }
  fputs(")\n", g);
}

/* An empty panel that says why. */
void plot_message_panel(FILE *g, const char *title, const char *msg) {
  plot_put_title(g, "set title", title, NULL);
  fputs("unset xdata\nunset key\nunset border\nunset tics\nunset xlabel\nunset ylabel\n"
        "unset arrow\nunset label\nset xrange [0:1]\nset yrange [0:1]\n",
        g);
  fputs("set label 1 ", g);
  plot_put_str(g, msg);
  fputs(" at graph 0.5, graph 0.5 center\nplot -1 notitle\n", g);
}

/* The vertical line and label of the roadmap target date. */
void plot_target_marker(const plot_ctx *c, FILE *g) {
  if (!isfinite(c->r->target_gpus)) return;
  double x = plot_tsec(c, c->r->target_t);
  fprintf(g, "set arrow 1 from %.0f, graph 0 to %.0f, graph 1 nohead dt 3 lw 1.5 lc rgb '%s'\n", x,
          x, PLOT_TARGET_COLOR);
  fprintf(g, "set label 1 'target date %s' at %.0f, graph 0.04 right offset -0.6,0 tc rgb '%s'\n",
          c->r->target_date, x, PLOT_TARGET_COLOR);
}

void plot_target_title(const plot_ctx *c, char *buf, size_t n, const char *note) {
  char num[32];
  gp_fmt_num(num, sizeof num, c->r->target_gpus, 0, 0);
  snprintf(buf, n, "roadmap target: %s GPUs by %s%s", num, c->r->target_date, note);
}

/* Per-sample mean and 95% CI of the mean of row-major M[nd x ns]. */
void plot_sample_ci(const double *m, size_t nd, size_t ns, size_t j, double *mean, double *lo,
                    double *hi) {
  gp_ci ci = gp_stats_ci(m + j, nd, ns, 0.95);
  *mean = ci.mean;
  double half = isfinite(ci.half) ? ci.half : 0;
  *lo = ci.mean - half;
  *hi = ci.mean + half;
}

/* Panel layout for N panels: columns, rows and the chart's pixel height. */
void plot_layout(size_t n, int *cols, int *rows, int *w, int *h) {
  *cols = n > 3 ? 2 : 1;
  *rows = (int)((n + (size_t)*cols - 1) / (size_t)*cols);
  *w = *cols == 1 ? 1000 : 1400;
  *h = *rows == 1 ? 600 : 110 + 320 * *rows;
}

/* Start a multiplot of ROWS x COLS panels on a W x H pixel chart: the
 * two-line title T1/T2 on top and, when KEY, a row under it for a legend
 * shared by the panels (shared_key); UNDER pixels below each panel for its
 * tic labels and x label, RIGHT pixels right of the last column.  Margins are fixed in pixels so
 * that the panels line up and no label runs into the next panel. */
void plot_multiplot(FILE *g, int rows, int cols, int w, int h, int key, int under, int right,
                    const char *order, const char *t1, const char *t2) {
  double top = 50.0 + (key ? 30.0 : 0) + 26.0; /* title, legend, panel title */
  double left = 85, bottom = under, sx = 100, sy = under + 26 + 6;
  fprintf(g, "set multiplot layout %d,%d %s margins %.4f,%.4f,%.4f,%.4f spacing %.4f,%.4f ", rows,
          cols, order, left / w, 1 - (double)right / w, bottom / h, 1 - top / h, sx / w, sy / h);
  plot_put_title(g, "title", t1, t2);
}

/* The legend of the first panel drawn, in the row plot_multiplot() left for it. */
void plot_shared_key(FILE *g, int h) {
  fprintf(g,
          "set key at screen 0.5, screen %.4f center top horizontal reverse Left samplen 2 "
          "nobox noopaque\n",
          1 - 50.0 / h);
}

size_t plot_max_detail(const plot_ctx *c) {
  size_t nd = 0;
  for (size_t i = 0; i < c->np; i++)
    if (c->pol[i].ns && c->pol[i].nd > nd) nd = c->pol[i].nd;
  return nd;
}

gp_stat_row *plot_stats(plot_ctx *c, int paired, gp_err *err) {
  return gp_reader_stats(c->r, paired, 0, err);
}
