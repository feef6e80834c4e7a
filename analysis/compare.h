/*
 * analysis/compare.h - paired comparison of the policies in a result file.
 *
 * Every policy of replication r ran on the same world (common random
 * numbers), so policy differences are paired: the confidence interval of the
 * mean of (A_r - B_r) is usually much narrower than the difference of two
 * independent intervals.
 */
#ifndef GP_COMPARE_H
#define GP_COMPARE_H

#include <stdio.h>

#include "sim/err.h"

typedef struct gp_compare_opts {
  const char *baseline; /* policy to compare against; NULL = the first */
  int all;              /* 1: every summary metric; 0: those the catalogue shows in run (GP_SHOW_RUN) */
  int point;            /* sweep point; -1 = the default (0 when the file has points) */
} gp_compare_opts;

/* Print the comparison table of the file at PATH to F. */
int gp_compare_print(FILE *f, const char *path, const gp_compare_opts *o, gp_err *err);

#endif /* GP_COMPARE_H */
