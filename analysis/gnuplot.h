/*
 * analysis/gnuplot.h - running gnuplot: finding the program, running it on a
 * script, and saying in one line why it failed.
 *
 * gnuplot is $GPUPLAN_GNUPLOT when that is set (a path, or a name looked up
 * on PATH), else "gnuplot" on PATH; missing, it is GP_EX_UNAVAILABLE with the
 * command that installs it.
 */
#ifndef GP_GNUPLOT_H
#define GP_GNUPLOT_H

#include "sim/err.h"

#define GP_GNUPLOT_INSTALL "apt-get install gnuplot-nox"
/* The exit status a script gives when this gnuplot lacks the terminal its
 * format needs (the scripts test for it and exit with it). */
#define GP_GNUPLOT_NO_TERMINAL 3

/* The absolute path of the gnuplot program (malloc'd), or NULL and ERR. */
char *gp_gnuplot_find(gp_err *err);

/* Run GNUPLOT on the script DIR/CHART.gp inside DIR (its log: DIR/CHART.log),
 * which writes a chart in format EXT (named in messages).  Codes:
 * GP_EX_UNAVAILABLE (gnuplot cannot run, or lacks the terminal),
 * GP_EX_CANTCREAT (cannot run in DIR), GP_EX_OSERR (cannot start it),
 * GP_EX_SOFTWARE (gnuplot refused the script: the line of its log that says
 * why is in the message), GP_EX_SIGNAL + N (signal N asked to stop: gnuplot
 * was killed). */
int gp_gnuplot_run(const char *gnuplot, const char *dir, const char *chart, const char *ext,
                   gp_err *err);

#endif /* GP_GNUPLOT_H */
