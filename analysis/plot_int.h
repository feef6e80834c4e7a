/*
 * analysis/plot_int.h - what the files of `gpuplan plot` share: the data of
 * one plot (plot_ctx), the pieces of gnuplot scripts and data files
 * (analysis/plot_script.c), and the drawing functions of the chart table
 * (analysis/charts.def; drawn in analysis/chart_time.c, chart_stats.c).
 *
 * Invariants every drawing function keeps:
 *  - Text from the result file (scenario, policy names) enters a script only
 *    through plot_put_strn: a single-quoted gnuplot string, where gnuplot
 *    performs no backquote or macro substitution; quotes are doubled,
 *    control characters and invalid UTF-8 replaced.  Every other token of a
 *    script is a constant or a number, and file names in scripts are fixed
 *    relative names (gnuplot runs inside the private directory).
 *  - gnuplot gives up on a plot command whose every point is undefined, so a
 *    plot command is only written when it has at least one point; otherwise
 *    the panel says in words why it is empty.
 */
#ifndef GP_PLOT_INT_H
#define GP_PLOT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/plot.h"
#include "analysis/reader.h"

/* One policy's data, as read from the file. */
typedef struct plot_policy {
  const char *name;          /* as in the file (the reader's string) */
  char *shown;               /* cut to PLOT_NAME_CHARS characters, for titles and legends */
  const gp_summary_row *sum; /* the reader's: one row per replication */
  double *time;              /* sample times, days since the epoch */
  size_t ns;                 /* samples */
  double *ts[GP_NTS];        /* the programme's series, nd x ns, row-major */
  size_t nd;                 /* detailed replications */
  gp_reader_start *prop;     /* proposals of the detailed replications */
  size_t nprop;
} plot_policy;

typedef struct plot_ctx {
  gp_reader *r;     /* the result file, at the point drawn */
  char *label;      /* scenario name, and the point: starts every title */
  plot_policy *pol; /* r->np of them */
  size_t np;
  size_t nreps;    /* replications in the summaries */
  double t0, t1;   /* time axis, days since the epoch */
  const char *ext; /* "png", "svg" or "pdf" */
  char *dir;       /* output directory */
  char *tmp;       /* private directory inside DIR; NULL until made */
  char *gnuplot;   /* absolute path of the program */
} plot_ctx;

/* The drawing functions of the chart table: write the script of chart NAME
 * (its data files beside it, through plot_tmp_open) to G. */
#define GP_CHART(name, what, caption, needs) int chart_##name(plot_ctx *c, FILE *g, gp_err *err);
#include "analysis/charts.def"
#undef GP_CHART

/* Colours: a qualitative palette for policies (no red: red is the roadmap
 * target's). */
extern const char *const plot_pol_color[];
extern const size_t plot_npol_color;
#define PLOT_TARGET_COLOR "#d62728"

/* Names in legends are cut to PLOT_LEGEND_CHARS characters, elsewhere to
 * PLOT_NAME_CHARS; a title line to PLOT_TITLE_CHARS. */
#define PLOT_LEGEND_CHARS 24
#define PLOT_NAME_CHARS 60
#define PLOT_TITLE_CHARS 160

#define PLOT_NO_DETAIL "no detailed replications in the file (run with --detail K, K >= 1)"

/* ---- text in scripts ---- */

/* S as a gnuplot single-quoted string, at most MAXCHARS characters (0 = all;
 * a longer text ends in "..."). */
void plot_put_strn(FILE *g, const char *s, size_t maxchars);
void plot_put_str(FILE *g, const char *s);
/* S cut to MAXCHARS characters, "..." appended when cut; malloc'd. */
char *plot_cut(const char *s, size_t maxchars);
/* Characters of S as plot_put_strn counts them. */
size_t plot_text_chars(const char *s);
/* "set title" and friends: CMD, then LINE1 (and LINE2 under it). */
void plot_put_title(FILE *g, const char *cmd, const char *line1, const char *line2);

/* ---- data files ---- */

/* Open (close) data file NAME of the private directory. */
FILE *plot_tmp_open(plot_ctx *c, const char *name, gp_err *err);
int plot_tmp_close(plot_ctx *c, FILE *f, const char *name, gp_err *err);
/* Seconds since 1970 of simulation time T: gnuplot's time coordinates. */
double plot_tsec(const plot_ctx *c, double t);
/* Simulation time T as "YYYY-MM-DDTHH:MM" (the scripts' timefmt). */
void plot_put_time(FILE *f, const plot_ctx *c, double t);
/* A number for a data file; NaN as the missing marker the scripts declare. */
void plot_put_num(FILE *f, double x);
/* qsort's comparison of doubles. */
int plot_cmp_double(const void *a, const void *b);
/* Per-sample mean and 95% CI of the mean of row-major M[nd x ns]. */
void plot_sample_ci(const double *m, size_t nd, size_t ns, size_t j, double *mean, double *lo,
                    double *hi);
/* Statistics of every policy's summaries: np x gp_stat_count() rows; with
 * PAIRED, of the paired differences against the first policy. */
gp_stat_row *plot_stats(plot_ctx *c, int paired, gp_err *err);
/* The most detailed replications of any policy with samples. */
size_t plot_max_detail(const plot_ctx *c);

/* ---- script pieces ---- */

/* Terminal, output and the settings every chart shares; W x H pixels. */
void plot_preamble(const plot_ctx *c, FILE *g, const char *chart, int w, int h);
/* A date axis over the run, ticks on month boundaries, as many as fit a
 * plot WIDTH pixels wide. */
void plot_time_axis(const plot_ctx *c, FILE *g, int width);
/* An empty panel that says why. */
void plot_message_panel(FILE *g, const char *title, const char *msg);
/* The vertical line and label of the roadmap target date. */
void plot_target_marker(const plot_ctx *c, FILE *g);
/* "roadmap target: N GPUs by DATE" and NOTE. */
void plot_target_title(const plot_ctx *c, char *buf, size_t n, const char *note);
/* Panel layout for N panels: columns, rows and the chart's pixel size. */
void plot_layout(size_t n, int *cols, int *rows, int *w, int *h);
/* Start a multiplot (see plot_script.c). */
void plot_multiplot(FILE *g, int rows, int cols, int w, int h, int key, int under, int right,
                    const char *order, const char *t1, const char *t2);
/* The legend of the first panel drawn, in the row plot_multiplot left for it. */
void plot_shared_key(FILE *g, int h);

#endif /* GP_PLOT_INT_H */
