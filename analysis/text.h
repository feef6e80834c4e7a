/*
 * analysis/text.h - small text helpers shared by the commands that write
 * text for people (plot, report): strings, UTF-8, HTML text.
 */
#ifndef GP_TEXT_H
#define GP_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* U+FFFD REPLACEMENT CHARACTER, as UTF-8: what cannot be shown. */
#define GP_REPLACEMENT "\xef\xbf\xbd"

/* printf into a new malloc'd string; NULL when out of memory. */
char *gp_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Length of the valid UTF-8 sequence at P that is printable text, or 0 (an
 * invalid byte, an overlong form, a surrogate, or a C1 control character).
 * P must be NUL-terminated. */
size_t gp_utf8_len(const unsigned char *p);

/* S as HTML text or attribute value to O: & < > " ' escaped; tabs and line
 * breaks kept (HTML white space); other control characters and invalid
 * UTF-8 shown as U+FFFD.  The only way text from a result file reaches a
 * page. */
void gp_html_text(FILE *o, const char *s);

#endif /* GP_TEXT_H */
