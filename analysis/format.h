/*
 * analysis/format.h - numbers for people: how many decimals, thousands
 * separators, signs.  Shared by compare, plot and report, so that a number
 * shows the same wherever it appears.  Implemented in text.c (with the
 * other text people read), keeping analysis/ within 20 sources.
 */
#ifndef GP_FORMAT_H
#define GP_FORMAT_H

#include <stddef.h>

#include "models/results/table.h"

/* U+2212 MINUS SIGN, as UTF-8: the sign gp_fmt_num writes. */
#define GP_FMT_MINUS "\xe2\x88\x92"

/* X rounded to DEC decimals, with thousands separators and a typographic
 * minus; "+" first when PLUS and X is positive after rounding; no sign when
 * it rounds to 0; "n/a" when X is not a number.  Returns BUF. */
const char *gp_fmt_num(char *buf, size_t size, double x, int dec, int plus);

/* Decimals for the ends of a range [A, B]: its half-width to one significant
 * digit; 0 to 4. */
int gp_fmt_range_decimals(double a, double b);

/* D, or more decimals when X (not 0) would round to 0 with D: the end of an
 * interval that excludes 0 must not read as 0.  At most 6. */
int gp_fmt_nonzero_decimals(double x, int d);

/* Decimals for metric V's numbers in a fixed-format table: two significant
 * digits of SPREAD (a half-width, as shown: the row's narrowest), as
 * gp_stats_decimals; the catalogue's when there is no interval (SPREAD 0 or
 * unknown).  Decimals for the means of a row (run and compare) and for its
 * differences come from here. */
int gp_fmt_metric_decimals(const gp_metric_view *v, double spread);

#endif /* GP_FORMAT_H */
