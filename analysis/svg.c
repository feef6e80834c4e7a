/*
 * analysis/svg.c - gnuplot's SVG, made safe to inline in a page (see svg.h).
 *
 * Invariant: the output is re-emitted token by token, never copied: elements
 * from a list of what gnuplot's svg terminal writes, no event-handler
 * attribute, no reference but to an #id of the same chart, ids prefixed per
 * chart (and made unique within it), text and attribute values re-escaped,
 * start and end tags balanced.  Anything else is refused.
 */
#include "analysis/svg.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/text.h"

/* Elements gnuplot's svg terminal writes (and harmless relatives). */
static const char *const svg_elements[] = {"svg",
                                           "g",
                                           "defs",
                                           "title",
                                           "desc",
                                           "path",
                                           "rect",
                                           "circle",
                                           "ellipse",
                                           "line",
                                           "polyline",
                                           "polygon",
                                           "text",
                                           "tspan",
                                           "use",
                                           "symbol",
                                           "clipPath",
                                           "mask",
                                           "marker",
                                           "pattern",
                                           "linearGradient",
                                           "radialGradient",
                                           "stop",
                                           "filter",
                                           "feFlood",
                                           "feComposite",
                                           "feOffset",
                                           "feGaussianBlur",
                                           "feMerge",
                                           "feMergeNode",
                                           "feBlend",
                                           "feColorMatrix",
                                           NULL};

static int svg_known(const char *name, size_t n) {
  for (int i = 0; svg_elements[i]; i++)
    if (strlen(svg_elements[i]) == n && memcmp(svg_elements[i], name, n) == 0) return i;
  return -1;
}

static int is_name_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '-' || ch == '_' || ch == ':' || ch == '.';
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* An XML character reference or one of XML's five entities at P (just past
 * '&'), ending before END: its length including ';', or 0. */
static size_t entity_len(const char *p, const char *end) {
  static const char *const named[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
  for (int i = 0; i < 5; i++) {
    size_t n = strlen(named[i]);
    if ((size_t)(end - p) >= n && memcmp(p, named[i], n) == 0) return n;
  }
  if (p >= end || *p != '#') return 0;
  const char *q = p + 1;
  int hex = q < end && (*q == 'x' || *q == 'X');
  if (hex) q++;
  const char *d = q;
  while (
      q < end && q - d < 8 &&
      ((*q >= '0' && *q <= '9') || (hex && ((*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F')))))
    q++;
  if (q == d || q >= end || *q != ';') return 0;
  unsigned long cp = strtoul(d, NULL, hex ? 16 : 10);
  if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
      (cp < 0x20 && cp != 9 && cp != 10 && cp != 13))
    return 0;
  return (size_t)(q + 1 - p);
}

/* Text or an attribute value of the SVG, re-escaped: references kept, any
 * other & < > " escaped, control characters and invalid UTF-8 replaced. */
static void svg_text(FILE *o, const char *p, const char *end) {
  while (p < end) {
    unsigned char ch = (unsigned char)*p;
    if (ch >= 0x80) {
      size_t n = (size_t)(end - p) >= 4 ? gp_utf8_len((const unsigned char *)p) : 0;
      if (n == 0 && (size_t)(end - p) < 4) {
        /* near the end: check on a terminated copy */
        unsigned char tmp[5] = {0};
        memcpy(tmp, p, (size_t)(end - p));
        n = gp_utf8_len(tmp);
      }
      if (n > 1) {
        fwrite(p, 1, n, o);
        p += n;
      } else {
        fputs(GP_REPLACEMENT, o);
        p++;
      }
      continue;
    }
    size_t e;
    if (ch == '&' && (e = entity_len(p + 1, end)) > 0) {
      fwrite(p, 1, e + 1, o);
      p += e + 1;
      continue;
    }
    switch (ch) {
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
    case '\t':
    case '\n':
      fputc(ch, o);
      break;
    default:
      if (ch < 0x20 || ch == 0x7f)
        fputc(' ', o);
      else
        fputc(ch, o);
    }
    p++;
  }
}

/* 1 if [P, END) contains S, ignoring ASCII case. */
static int contains_nocase(const char *p, const char *end, const char *s) {
  size_t n = strlen(s);
  for (; (size_t)(end - p) >= n; p++) {
    size_t i = 0;
    while (i < n && (p[i] | 0x20) == (s[i] | 0x20)) i++;
    if (i == n) return 1;
  }
  return 0;
}

/* The ids of one chart so far: gnuplot repeats some in multiplots
 * ("gnuplot_plot_1a" once per panel), and a page must not. */
typedef struct svg_ids {
  char **v; /* ids as written, strdup'd */
  size_t n, cap;
} svg_ids;

static void svg_ids_free(svg_ids *ids) {
  for (size_t i = 0; i < ids->n; i++) free(ids->v[i]);
  free(ids->v);
}

/* How many times ID [P, END) was seen before this one (which is recorded),
 * or -1 when out of memory. */
static long svg_id_seen(svg_ids *ids, const char *p, const char *end) {
  size_t n = (size_t)(end - p);
  long seen = 0;
  for (size_t i = 0; i < ids->n; i++)
    if (strlen(ids->v[i]) == n && memcmp(ids->v[i], p, n) == 0) seen++;
  if (ids->n == ids->cap) {
    size_t cap = ids->cap ? 2 * ids->cap : 64;
    char **v = realloc(ids->v, cap * sizeof *v);
    if (!v) return -1;
    ids->v = v, ids->cap = cap;
  }
  char *s = malloc(n + 1);
  if (!s) return -1;
  memcpy(s, p, n);
  s[n] = '\0';
  ids->v[ids->n++] = s;
  return seen;
}

/* An attribute value, with references to ids ("#id", "url(#id)") given the
 * chart's PREFIX, and an id seen before given a suffix.  Returns 0, -1 when
 * the value refers outside the chart, -2 when out of memory. */
static int svg_value(FILE *o, const char *name, size_t nn, const char *p, const char *end,
                     const char *prefix, svg_ids *ids) {
  int is_id = nn == 2 && memcmp(name, "id", 2) == 0;
  int is_href = (nn == 4 && memcmp(name, "href", 4) == 0) ||
                (nn == 10 && memcmp(name, "xlink:href", 10) == 0);
  if (contains_nocase(p, end, "javascript:") || contains_nocase(p, end, "data:")) return -1;
  if (is_id) {
    long seen = svg_id_seen(ids, p, end);
    if (seen < 0) return -2;
    fputs(prefix, o);
    svg_text(o, p, end);
    if (seen) fprintf(o, "-dup%ld", seen);
    return 0;
  }
  if (is_href) {
    if (p >= end || *p != '#') return -1;
    fputc('#', o);
    fputs(prefix, o);
    p++;
  }
  /* url(...) anywhere (fill, clip-path, filter, style): only url(#id) */
  while (p < end) {
    const char *u = p;
    while (u + 4 <= end && memcmp(u, "url(", 4) != 0) u++;
    if (u + 4 > end) break;
    svg_text(o, p, u + 4);
    u += 4;
    while (u < end && (*u == ' ' || *u == '\'' || *u == '"')) u++;
    if (u >= end || *u != '#') return -1;
    fputc('#', o);
    fputs(prefix, o);
    p = u + 1;
  }
  svg_text(o, p, end);
  return 0;
}

/* svg_inline's work; -2 when out of memory. */
static int svg_copy(FILE *o, const char *svg, size_t len, const char *prefix, const char *label,
                    svg_ids *ids, char *why, size_t wsz) {
  enum { MAXDEPTH = 64 };
  int stack[MAXDEPTH], depth = 0, done = 0;
  const char *p = svg, *end = svg + len;
  while (p < end) {
    if (*p != '<') {
      const char *q = memchr(p, '<', (size_t)(end - p));
      if (!q) q = end;
      if (depth > 0) {
        svg_text(o, p, q);
      } else {
        for (const char *s = p; s < q; s++)
          if (!is_space(*s)) {
            snprintf(why, wsz, "text outside the <svg> element");
            return -1;
          }
      }
      p = q;
      continue;
    }
    size_t rest = (size_t)(end - p);
    if (rest >= 4 && memcmp(p, "<!--", 4) == 0) {
      const char *q = p + 4;
      while (q + 3 <= end && memcmp(q, "-->", 3) != 0) q++;
      if (q + 3 > end) return snprintf(why, wsz, "unterminated comment"), -1;
      p = q + 3;
      continue;
    }
    if (depth == 0 && !done && rest >= 2 && p[1] == '?') {
      const char *q = p + 2;
      while (q + 2 <= end && memcmp(q, "?>", 2) != 0) q++;
      if (q + 2 > end) return snprintf(why, wsz, "unterminated <?"), -1;
      p = q + 2;
      continue;
    }
    if (depth == 0 && !done && rest >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
      const char *q = p + 9;
      while (q < end && *q != '>' && *q != '[') q++;
      if (q >= end || *q != '>') return snprintf(why, wsz, "a DOCTYPE with declarations"), -1;
      p = q + 1;
      continue;
    }
    if (done) return snprintf(why, wsz, "markup after the </svg> end tag"), -1;
    int closing = rest >= 2 && p[1] == '/';
    const char *name = p + (closing ? 2 : 1), *q = name;
    while (q < end && is_name_char(*q)) q++;
    size_t nn = (size_t)(q - name);
    int el = nn ? svg_known(name, nn) : -1;
    if (el < 0) {
      snprintf(why, wsz, "element <%.*s>", (int)(nn < 40 ? nn : 40), nn ? name : p + 1);
      return -1;
    }
    if (closing) {
      while (q < end && is_space(*q)) q++;
      if (q >= end || *q != '>') return snprintf(why, wsz, "malformed end tag"), -1;
      if (depth == 0 || stack[depth - 1] != el)
        return snprintf(why, wsz, "end tag </%s> out of place", svg_elements[el]), -1;
      fprintf(o, "</%s>", svg_elements[el]);
      p = q + 1;
      if (--depth == 0) done = 1;
      continue;
    }
    if (depth == 0 && el != 0) return snprintf(why, wsz, "root element is not <svg>"), -1;
    fprintf(o, "<%s", svg_elements[el]);
    if (depth == 0) {
      fputs(" class=\"chart\" role=\"img\" aria-label=\"", o);
      gp_html_text(o, label);
      fputc('"', o);
    }
    int selfclose = 0;
    for (;;) {
      while (q < end && is_space(*q)) q++;
      if (q >= end) return snprintf(why, wsz, "unterminated tag"), -1;
      if (*q == '>') {
        q++;
        break;
      }
      if (*q == '/' && q + 1 < end && q[1] == '>') {
        selfclose = 1;
        q += 2;
        break;
      }
      const char *an = q;
      while (q < end && is_name_char(*q)) q++;
      size_t anl = (size_t)(q - an);
      while (q < end && is_space(*q)) q++;
      if (!anl || q >= end || *q != '=') return snprintf(why, wsz, "malformed attribute"), -1;
      q++;
      while (q < end && is_space(*q)) q++;
      if (q >= end || (*q != '"' && *q != '\'')) return snprintf(why, wsz, "unquoted value"), -1;
      char quote = *q++;
      const char *v = q;
      while (q < end && *q != quote) q++;
      if (q >= end) return snprintf(why, wsz, "unterminated value"), -1;
      if (anl >= 2 && (an[0] | 0x20) == 'o' && (an[1] | 0x20) == 'n')
        return snprintf(why, wsz, "event handler %.*s", (int)(anl < 40 ? anl : 40), an), -1;
      /* The root's own class and role are ours.  Namespace declarations
       * go: the HTML parser puts <svg> in its namespace without them, and
       * the page then names no address outside itself (issue 17, item 10). */
      int skip = (depth == 0 && ((anl == 5 && memcmp(an, "class", 5) == 0) ||
                                 (anl == 4 && memcmp(an, "role", 4) == 0))) ||
                 (anl == 5 && memcmp(an, "xmlns", 5) == 0) ||
                 (anl > 6 && memcmp(an, "xmlns:", 6) == 0);
      if (!skip) {
        fprintf(o, " %.*s=\"", (int)anl, an);
        int vr = svg_value(o, an, anl, v, q, prefix, ids);
        if (vr == -2) return snprintf(why, wsz, "out of memory"), -2;
        if (vr)
          return snprintf(why, wsz, "a reference outside the chart in %.*s",
                          (int)(anl < 40 ? anl : 40), an),
                 -1;
        fputc('"', o);
      }
      q++;
    }
    if (selfclose) {
      fputs("/>", o);
      if (depth == 0) done = 1;
    } else {
      fputc('>', o);
      if (depth == MAXDEPTH) return snprintf(why, wsz, "elements nested too deep"), -1;
      stack[depth++] = el;
    }
    p = q;
  }
  if (!done) return snprintf(why, wsz, depth ? "truncated" : "no <svg> element"), -1;
  return 0;
}

int gp_svg_inline(FILE *o, const char *svg, size_t len, const char *prefix, const char *label,
                  char *why, size_t wsz) {
  svg_ids ids = {NULL, 0, 0};
  int rc = svg_copy(o, svg, len, prefix, label, &ids, why, wsz);
  svg_ids_free(&ids);
  return rc;
}
