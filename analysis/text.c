/* analysis/text.c - text people read: small string helpers (see text.h),
 * and numbers for people (format.h; format.c until analysis/ reached its
 * 20 sources). */
#include "analysis/text.h"
#include "analysis/format.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/err.h"
#include "sim/stats.h"

char *gp_strf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (!s) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

size_t gp_utf8_len(const unsigned char *p) {
  if (p[0] < 0x80) return 1;
  size_t n;
  unsigned min;
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2, min = 0x80;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    n = 3, min = 0x800;
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    n = 4, min = 0x10000;
  else
    return 0;
  unsigned cp = p[0] & (0x7fu >> n);
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
    return 0;
  return n;
}

void gp_html_text(FILE *o, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = gp_utf8_len(p);
    if (n > 1) {
      fwrite(p, 1, n, o);
      p += n;
      continue;
    }
    switch (*p) {
    case '&':
      fputs("&amp;", o);
      break;
    case '<':
      fputs("&lt;", o);
      break;
    case '>':
      fputs("&gt;", o);
      break;
    case '"':
      fputs("&quot;", o);
      break;
    case '\'':
      fputs("&#39;", o);
      break;
    case '\n':
    case '\t':
      fputc(*p, o);
      break;
    case '\r':
      fputc(' ', o);
      break;
    default:
      if (n == 0 || *p < 0x20 || *p == 0x7f)
        fputs(GP_REPLACEMENT, o);
      else
        fputc(*p, o);
    }
    p++;
  }
}

/* ---- numbers for people (format.h) ---- */

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

/* ---- CSV cells and one-file outputs (text.h) ---- */

void gp_csv_text(FILE *f, const char *s) {
  size_t n = strlen(s);
  int formula = n && strchr("=+-@\t\r", s[0]) != NULL; /* strchr finds the NUL too */
  const char *lead = formula ? "'" : "";
  if (!strpbrk(s, ",\"\r\n") && !(n && ((!formula && s[0] == ' ') || s[n - 1] == ' '))) {
    fputs(lead, f);
    fputs(s, f);
    return;
  }
  fputc('"', f);
  fputs(lead, f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

void gp_csv_number(FILE *f, double v) {
  char b[40];
  if (isnan(v)) return;
  if (isinf(v)) {
    fputs(v > 0 ? "inf" : "-inf", f);
    return;
  }
  if (v == floor(v) && fabs(v) < 1e15) {
    snprintf(b, sizeof b, "%.0f", v);
  } else {
    /* The shortest of %.15g .. %.17g that reads back exactly. */
    for (int prec = 15; prec <= 17; prec++) {
      snprintf(b, sizeof b, "%.*g", prec, v);
      if (strtod(b, NULL) == v) break;
    }
  }
  /* Under a locale with a decimal comma printf writes ','; a CSV needs '.'. */
  for (char *c = b; *c; c++)
    if (*c == ',') *c = '.';
  fputs(b, f);
}

int gp_write_file(const char *path, void (*write)(FILE *f, const void *ctx), const void *ctx,
                  gp_err *err) {
  char *tmp = gp_strf("%s.tmp-%ld", path, (long)getpid());
  if (!tmp) return GP_ERR_NOMEM(err);
  FILE *f = fopen(tmp, "w");
  if (!f) {
    GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", path, strerror(errno));
    free(tmp);
    return -1;
  }
  write(f, ctx);
  int bad = ferror(f) != 0;
  if (fclose(f) != 0) bad = 1;
  int rc = 0;
  if (bad)
    rc = GP_ERR(err, GP_EX_IOERR, "%s: write error", path);
  else if (rename(tmp, path) != 0)
    rc = GP_ERR(err, GP_EX_CANTCREAT, "%s: cannot create: %s", path, strerror(errno));
  if (rc) unlink(tmp);
  free(tmp);
  return rc;
}
