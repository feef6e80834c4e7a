/*
 * sim/escape.h - text from input files made safe to print on a terminal or
 * into a log.
 *
 * Names in scenarios, traces and result files may hold any bytes.  Printed
 * raw, an ESC starts a terminal control sequence (colours, cursor moves, a
 * window title) and a CR returns to the start of the line, so a name could
 * forge an "ok" line or hide an error.  Every line gpuplan prints that holds
 * such text goes through gp_escape: each byte that would not print as
 * itself becomes a visible escape, in the style of the scenario loader's
 * quoted values (JSON's):
 *   \n \r \t             newline, carriage return, tab
 *   \u001b, \u007f ...   other C0 controls and DEL
 *   \u0085, \u009b ...   C1 controls (U+0080..U+009F, which some terminals obey)
 *   \u202e ...           bidirectional and line/paragraph controls (U+200E,
 *                        U+200F, U+2028..U+202E, U+2066..U+2069), which
 *                        reorder what the eye reads
 *   \xff ...             bytes that are not UTF-8
 * Everything else, including backslashes and valid UTF-8, is left as it is,
 * so text that needs no escape prints unchanged (and text a message has
 * already quoted is not quoted twice).  Knows nothing of GPUs.
 */
#ifndef GP_ESCAPE_H
#define GP_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* 1 when S (NUL-terminated; NULL counts as "") prints as it is. */
int gp_escape_clean(const char *s);

/* S escaped into DST (SIZE bytes, always NUL-terminated when SIZE > 0; cut
 * only between whole escapes).  Returns the length of the whole escaped
 * text, as snprintf does: the output was cut when it is >= SIZE. */
size_t gp_escape(char *dst, size_t size, const char *s);

/* S escaped, malloc'd; NULL when out of memory. */
char *gp_escape_dup(const char *s);

/* Write S escaped to F; returns what fputs returns. */
int gp_escape_fputs(const char *s, FILE *f);

/* Write text S of several lines to F, each line escaped and each '\n' that
 * ends one kept (for a printer's whole output); returns what fputs
 * returns. */
int gp_escape_lines(const char *s, FILE *f);

#endif /* GP_ESCAPE_H */
