/*
 * models/scenario/date.c - calendar dates (see date.h).
 *
 * Day numbers and civil dates convert with Howard Hinnant's algorithms
 * ("chrono-Compatible Low-Level Date Algorithms"): the year is shifted to
 * start on 1 March, so the leap day is the last day of the shifted year and
 * month lengths follow the (153 m + 2) / 5 pattern; 400-year eras make the
 * arithmetic exact for negative day numbers too.
 *
 * Invariant: gp_date_parse accepts only strings that gp_date_format would
 * print, for years 1900-2199, so parse(format(d)) == d on that range.
 */
#include "models/scenario/date.h"

#include <math.h>
#include <stdio.h>

#define YEAR_MIN 1900
#define YEAR_MAX 2199

static long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);                              /* [0, 399] */
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;        /* [0, 365] */
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                  /* [0, 146096] */
  return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);                           /* [0, 146096] */
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
  unsigned mp = (5 * doy + 2) / 153;                                     /* [0, 11], 0 = March */
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (long)yoe + era * 400 + (*m <= 2);
}

static int is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(long y, unsigned m) {
  static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29u : len[m - 1];
}

/* N decimal digits at S, or -1. */
static long digits(const char *s, int n) {
  long v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int gp_date_parse(const char *s, long *day) {
  if (!s) return -1;
  /* Check the shape byte by byte: digits() stops at a NUL, so a short
   * string fails before anything past its end is read. */
  long y = digits(s, 4);
  if (y < 0 || s[4] != '-') return -1;
  long m = digits(s + 5, 2);
  if (m < 0 || s[7] != '-') return -1;
  long d = digits(s + 8, 2);
  if (d < 0 || s[10] != '\0') return -1;
  if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12) return -1;
  if (d < 1 || d > (long)days_in_month(y, (unsigned)m)) return -1;
  *day = days_from_civil(y, (unsigned)m, (unsigned)d);
  return 0;
}

void gp_date_format(long day, char *buf, size_t size) {
  long y;
  unsigned m, d;
  civil_from_days(day, &y, &m, &d);
  snprintf(buf, size, "%04ld-%02u-%02u", y, m, d);
}

void gp_date_format_time(double t, long epoch_day, char *buf, size_t size) {
  /* NaN, negative and infinite times never happen; so, for formatting,
   * does anything past ~27 000 years, which also keeps the cast defined. */
  if (!(t >= 0) || !(t < 1e7)) {
    snprintf(buf, size, "never");
    return;
  }
  gp_date_format(epoch_day + (long)floor(t), buf, size);
}
