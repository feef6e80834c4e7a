/* sim/err.c - error context (see err.h). */
#include "sim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void gp_err_clear(gp_err *e) {
  if (!e) return;
  e->code = 0;
  e->src = NULL;
  e->src_line = 0;
  e->msg[0] = '\0';
}

int gp_err_set(gp_err *e, const char *src, int line, int code, const char *fmt, ...) {
  if (!e || e->code != 0) return -1; /* first error wins */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  va_end(ap);
  /* Keep the promise of one line: fold any newline that slipped in. */
  for (char *p = e->msg; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  e->code = code ? code : GP_EX_SOFTWARE;
  e->src = src;
  e->src_line = line;
  return -1;
}
