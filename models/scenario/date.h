/*
 * models/scenario/date.h - calendar dates.
 *
 * gpuplan's clock counts days (a double) since the scenario's epoch, an ISO
 * date at 00:00 (no time zones: a date is a civil date in Korea Standard Time).
 * Dates are proleptic Gregorian, years 1900-2199.  A day number here is the
 * count of days since 1970-01-01, which may be negative.
 */
#ifndef GP_DATE_H
#define GP_DATE_H

#include <stddef.h>

/* Parse exactly "YYYY-MM-DD" (leading zeros required, a real date: 2026-02-30
 * fails).  Returns 0 and stores the day number, or -1. */
int gp_date_parse(const char *s, long *day);
/* Day number -> "YYYY-MM-DD" in BUF (>= 11 bytes). */
void gp_date_format(long day, char *buf, size_t size);
/* A simulation time (days since EPOCH_DAY) -> "YYYY-MM-DD" of the day it falls
 * in; negative times (never) give "never". */
void gp_date_format_time(double t, long epoch_day, char *buf, size_t size);

#endif /* GP_DATE_H */
