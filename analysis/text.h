/*
 * analysis/text.h - small text helpers shared by the commands that write
 * text for people (plot, report).
 */
#ifndef GP_TEXT_H
#define GP_TEXT_H

#include <stddef.h>

/* printf into a new malloc'd string; NULL when out of memory. */
char *gp_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Length of the valid UTF-8 sequence at P that is printable text, or 0 (an
 * invalid byte, an overlong form, a surrogate, or a C1 control character).
 * P must be NUL-terminated. */
size_t gp_utf8_len(const unsigned char *p);

#endif /* GP_TEXT_H */
