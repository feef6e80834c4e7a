/*
 * analysis/compare.h - paired comparison of the policies in a result file.
 *
 * Every policy of replication r ran on the same world (common random
 * numbers), so policy differences are paired: the confidence interval of the
 * mean of (A_r - B_r) is usually much narrower than the difference of two
 * independent intervals.  With many metrics and policies, some unadjusted
 * 95% intervals exclude 0 by chance: by default the differences shown are
 * judged as one family, by Holm's method, and each metric with a better
 * direction gets a multiple comparison with the best (analysis/mcb.h).
 */
#ifndef GP_COMPARE_H
#define GP_COMPARE_H

#include <stdio.h>

#include "sim/err.h"

typedef struct gp_compare_opts {
  const char *baseline; /* policy to compare against; NULL = the first */
  int all;              /* 1: every summary metric; 0: those the catalogue shows in run (GP_SHOW_RUN) */
  int point;            /* sweep point; -1 = the default (0 when the file has points) */
  int unadjusted;       /* 1: each difference its own 95% interval; 0: Holm-adjusted over the
                           family of differences shown (analysis/verdict.h) */
  const char *policies; /* "A,B,...": only these policies and the baseline, in the table, the
                           family and the best per metric; NULL = every policy */
  int wide;             /* 1: one line per metric, however wide; 0: within 100 columns, the
                           policies in blocks */
} gp_compare_opts;

/* Print the comparison table of the file at PATH to F. */
int gp_compare_print(FILE *f, const char *path, const gp_compare_opts *o, gp_err *err);

#endif /* GP_COMPARE_H */
