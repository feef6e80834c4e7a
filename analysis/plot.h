/*
 * analysis/plot.h - charts of a result file, drawn by gnuplot.
 *
 * gp_plot_write reads a result file (or one point of a parameter sweep) and
 * writes the charts of the chart table (analysis/charts.def: capacity,
 * queue, time_to_gpu, acceptance, differences, h100e) into a directory, each
 * as DIR/NAME.EXT.  gnuplot runs as a child process on a script and data
 * files that gpuplan writes into a private temporary directory inside DIR;
 * every name read from the result file reaches gnuplot only inside a
 * single-quoted string with quotes doubled and control characters replaced,
 * so names are shown as text and never interpreted (no backquote or macro
 * substitution).  Charts are renamed into DIR only once gnuplot has
 * finished them all: DIR gets every chart or none.
 *
 * gnuplot is $GPUPLAN_GNUPLOT when that is set (a path, or a name looked up on
 * PATH), else "gnuplot" on PATH; missing, it is GP_EX_UNAVAILABLE with the
 * command that installs it (analysis/gnuplot.h).
 */
#ifndef GP_PLOT_H
#define GP_PLOT_H

#include <stdio.h>

#include "analysis/reader.h"
#include "sim/err.h"

/* How to install gnuplot, for messages and the command's help. */
#define GP_PLOT_INSTALL_HINT "apt-get install gnuplot-nox"

typedef struct gp_plot_opts {
  const char *dir;    /* output directory; NULL = gp_plot_default_dir of the file */
  const char *format; /* "png", "svg" or "pdf"; NULL = "png" */
  int point;          /* sweep point; -1 = the default (0 when the file has points) */
  FILE *list;         /* each chart's path (escaped) is printed here once all are in
                         place; NULL = quiet */
} gp_plot_opts;

/* The default output directory for result file PATH: PATH less ".h5", plus
 * "-charts" (malloc'd; NULL when out of memory). */
char *gp_plot_default_dir(const char *path);

/* Draw the charts of the result file at PATH: all of them, or (on any
 * failure, or SIGINT/SIGTERM through sim/interrupt.h) none.  Codes:
 * GP_EX_NOINPUT (cannot open), GP_EX_DATAERR (not a gpuplan file),
 * GP_EX_USAGE (bad format or point), GP_EX_UNAVAILABLE (no gnuplot),
 * GP_EX_CANTCREAT (cannot create the directory), GP_EX_IOERR (write error),
 * GP_EX_SOFTWARE (gnuplot refused a script: a bug here), GP_EX_SIGNAL + N
 * (stopped by signal N). */
int gp_plot_write(const char *path, const gp_plot_opts *o, gp_err *err);
/* The same for a file already open at its point (O->point is not used); the
 * default directory is the reader's path less ".h5", plus "-charts". */
int gp_plot_draw(gp_reader *r, const gp_plot_opts *o, gp_err *err);

/* What a chart is drawn from (the last column of analysis/charts.def). */
enum {
  GP_CHART_ALL = 0,      /* every replication's summaries: always drawn */
  GP_CHART_DETAIL = 1,   /* the detailed replications: without any, it says so instead */
  GP_CHART_UNCERTAIN = 2, /* a two-level run's /uncertain: drawn only for such a file */
  GP_CHART_SENSITIVITY = 3, /* a file of `gpuplan sensitivity`: drawn for such a file, and
                             * the only charts drawn for it (it has no policies) */
  GP_CHART_CALIBRATION = 4  /* a file of `gpuplan calibrate`: the same */
};

/* The charts drawn, in order: one line of analysis/charts.def each. */
typedef struct gp_chart {
  const char *name;    /* file name, less the extension */
  const char *what;    /* what it shows, in a few words */
  const char *caption; /* a sentence on it, for the report */
  int needs;           /* GP_CHART_*: what it is drawn from */
} gp_chart;
extern const gp_chart gp_plot_charts[];
extern const size_t gp_plot_ncharts;
/* 1 when chart K is drawn for the file R (at its point), else 0: a chart
 * of a two-level run is left out of other files' plots and reports; a file
 * of `gpuplan sensitivity` gets its own charts and no other. */
int gp_plot_chart_drawn(const gp_reader *r, size_t k);

#endif /* GP_PLOT_H */
