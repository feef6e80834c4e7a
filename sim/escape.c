/*
 * sim/escape.c - text made safe to print (see escape.h).
 *
 * Invariant: the input is read one UTF-8 sequence at a time; a sequence
 * that is valid (shortest form, no surrogates, at most U+10FFFF) and not a
 * control is copied, anything else is replaced by its escape, so the output
 * holds no byte below 0x20, no DEL and only valid UTF-8 without controls.
 */
#include "sim/escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at S (1..4) and its code point in
 * *CP; 0 when the bytes at S are not one. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp) {
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (n == 0 || c > 0xF4) return 0;
  uint32_t v = c & (0x3F >> (n - 1));
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
    v = v << 6 | (s[i] & 0x3F);
  }
  static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < least[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

/* 1 for the code points that must not reach a terminal as they are. */
static int is_control(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The escape of code point CP (a control) into OUT[8]; its length. */
static size_t escape_cp(uint32_t cp, char out[8]) {
  switch (cp) {
  case '\n': memcpy(out, "\\n", 3); return 2;
  case '\r': memcpy(out, "\\r", 3); return 2;
  case '\t': memcpy(out, "\\t", 3); return 2;
  default: break;
  }
  static const char hex[] = "0123456789abcdef";
  out[0] = '\\', out[1] = 'u';
  for (int i = 0; i < 4; i++) out[2 + i] = hex[(cp >> (12 - 4 * i)) & 0xF];
  out[6] = '\0';
  return 6;
}

int gp_escape_clean(const char *s) {
  if (!s) return 1;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    uint32_t cp;
    size_t n = utf8_seq(p, &cp);
    if (n == 0 || is_control(cp)) return 0;
    p += n;
  }
  return 1;
}

size_t gp_escape(char *dst, size_t size, const char *s) {
  size_t len = 0;     /* of the whole escaped text */
  size_t written = 0; /* into DST, in whole pieces */
  int full = 0;       /* once a piece did not fit, nothing more is written */
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while (*p) {
    uint32_t cp;
    char esc[8];
    const char *piece = (const char *)p;
    size_t n = utf8_seq(p, &cp), k;
    if (n == 0) { /* not UTF-8: this one byte */
      static const char hex[] = "0123456789abcdef";
      esc[0] = '\\', esc[1] = 'x', esc[2] = hex[*p >> 4], esc[3] = hex[*p & 0xF], esc[4] = '\0';
      piece = esc, k = 4, n = 1;
    } else if (is_control(cp)) {
      k = escape_cp(cp, esc);
      piece = esc;
    } else {
      k = n;
    }
    if (!full && written + k < size) {
      memcpy(dst + written, piece, k);
      written += k;
    } else {
      full = 1;
    }
    len += k;
    p += n;
  }
  if (size > 0) dst[written] = '\0';
  return len;
}

char *gp_escape_dup(const char *s) {
  size_t n = gp_escape(NULL, 0, s);
  char *d = malloc(n + 1);
  if (d) gp_escape(d, n + 1, s);
  return d;
}

int gp_escape_fputs(const char *s, FILE *f) {
  if (gp_escape_clean(s)) return fputs(s ? s : "", f);
  char buf[512];
  size_t n = gp_escape(buf, sizeof buf, s);
  if (n < sizeof buf) return fputs(buf, f);
  char *d = gp_escape_dup(s);
  if (!d) return EOF;
  int rc = fputs(d, f);
  free(d);
  return rc;
}

int gp_escape_lines(const char *s, FILE *f) {
  if (!s) return 0;
  char *copy = strdup(s);
  if (!copy) return EOF;
  int rc = 0;
  for (char *line = copy; *line && rc != EOF;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    rc = gp_escape_fputs(line, f);
    if (nl && rc != EOF) rc = fputc('\n', f) == EOF ? EOF : rc;
    line = nl ? nl + 1 : line + strlen(line);
  }
  free(copy);
  return rc;
}
