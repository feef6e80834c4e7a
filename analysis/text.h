/*
 * analysis/text.h - small text helpers shared by the commands that write
 * text for people (plot, report): strings, UTF-8, HTML text; and the cells
 * of every CSV file (export, kpi, discover) and the all-or-nothing write of
 * a one-file output.
 */
#ifndef GP_TEXT_H
#define GP_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "sim/err.h"

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

/* A CSV text cell as docs/output.md's "All CSV files" says: quoted (RFC
 * 4180) when it holds a comma, a quote, a line break or an edge space; a
 * leading ' when it begins like a formula (=, +, -, @, tab, CR). */
void gp_csv_text(FILE *f, const char *s);
/* A CSV number cell: the shortest text that reads back to V, "." as the
 * decimal point whatever the locale; inf, -inf; nothing for NaN. */
void gp_csv_number(FILE *f, double v);

/* Write PATH all or nothing: WRITE(F, CTX) into PATH.tmp-PID, which is
 * renamed to PATH once every byte went out and removed otherwise.  0, or
 * -1 with ERR set: GP_EX_CANTCREAT (cannot create or rename), GP_EX_IOERR (a
 * write failed), GP_EX_OSERR (out of memory). */
int gp_write_file(const char *path, void (*write)(FILE *f, const void *ctx), const void *ctx,
                  gp_err *err);

#endif /* GP_TEXT_H */
