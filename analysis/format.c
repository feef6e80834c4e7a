/* analysis/format.c - numbers for people (see format.h). */
#include "analysis/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/stats.h"

const char *gp_fmt_num(char *buf, size_t size, double x, int dec, int plus) {
  if (!isfinite(x)) {
    snprintf(buf, size, "n/a");
    return buf;
  }
  char digits[64];
  snprintf(digits, sizeof digits, "%.*f", dec, fabs(x));
  int zero = digits[strspn(digits, "0.")] == '\0';
  const char *sign = zero ? "" : x < 0 ? GP_FMT_MINUS : plus ? "+" : "";
  size_t k = (size_t)snprintf(buf, size, "%s", sign);
  size_t ip = strcspn(digits, ".");
  for (size_t i = 0; digits[i] && k + 2 < size; i++) {
    if (i > 0 && i < ip && (ip - i) % 3 == 0) buf[k++] = ',';
    buf[k++] = digits[i];
  }
  buf[k < size ? k : size - 1] = '\0';
  return buf;
}

int gp_fmt_range_decimals(double a, double b) {
  double w = (b - a) / 2;
  int d = w > 0 ? -(int)floor(log10(w)) : gp_stats_decimals(b, 0);
  return d < 0 ? 0 : d > 4 ? 4 : d;
}

int gp_fmt_nonzero_decimals(double x, int d) {
  while (d < 6 && x != 0 && fabs(x) * pow(10, d) < 0.5) d++;
  return d;
}

int gp_fmt_metric_decimals(const gp_metric_view *v, double spread) {
  return isfinite(spread) && spread > 0 ? gp_stats_decimals(0, spread) : v->decimals;
}
