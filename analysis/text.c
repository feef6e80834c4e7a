/* analysis/text.c - small text helpers (see text.h). */
#include "analysis/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
