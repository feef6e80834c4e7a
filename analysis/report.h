/*
 * analysis/report.h - a result file as one self-contained HTML page.
 *
 * `gpuplan report FILE.h5 -o report.html [--point K]` writes a page that
 * opens offline (no external CSS, script, font or image; no JavaScript): the
 * scenario's name, description and assumptions, the run, the roadmap gap and
 * the risk of missing the target, the policy comparison (mean and 95%
 * half-width per policy; paired differences against the first policy with
 * their 95% intervals), plain-language verdicts on those differences judged
 * as one family by Holm's method (a significant change marked better or
 * worse by the metric's direction), the best policy per metric (Hsu's
 * multiple comparison with the best), and the charts of analysis/plot.h as
 * inline SVG.  Which
 * metrics, and how they are worded and scaled, is the metric catalogue's
 * (models/results/metrics.c, GP_SHOW_REPORT).
 *
 * Every string taken from the file is HTML-escaped; the SVGs gnuplot writes
 * are checked element by element against what gnuplot's svg terminal
 * produces (no script, no event handler, no external reference) before they
 * are inlined.  The page goes to a private directory beside the output and
 * is renamed onto it only when complete: on failure nothing is left behind.
 */
#ifndef GP_REPORT_H
#define GP_REPORT_H

#include "sim/err.h"

typedef struct gp_report_opts {
  const char *out; /* the page; NULL = gp_report_default_page of the file */
  int point;       /* sweep point; -1 = the default (0 when the file has points) */
} gp_report_opts;

/* The default page for result file PATH: PATH less ".h5", plus ".html"
 * (malloc'd; NULL when out of memory). */
char *gp_report_default_page(const char *path);

/* Write the report of the result file at PATH.  Codes: GP_EX_NOINPUT (cannot
 * open PATH), GP_EX_DATAERR (not a gpuplan result file, or malformed),
 * GP_EX_USAGE (no such point, or the page would overwrite PATH),
 * GP_EX_UNAVAILABLE (no gnuplot), GP_EX_CANTCREAT (cannot create the page),
 * GP_EX_IOERR (a write failed), GP_EX_SIGNAL + N (SIGINT or SIGTERM,
 * sim/interrupt.h: no page written). */
int gp_report_write(const char *path, const gp_report_opts *o, gp_err *err);

#endif /* GP_REPORT_H */
