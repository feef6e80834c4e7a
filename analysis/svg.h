/*
 * analysis/svg.h - gnuplot's SVG charts, made safe to inline in an HTML page.
 */
#ifndef GP_SVG_H
#define GP_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Copy the SVG document [SVG, SVG + LEN) to O as an inline <svg> element:
 * elements from a list of what gnuplot's svg terminal writes, no event
 * handler, no reference outside the chart, ids prefixed by PREFIX (and made
 * unique), text and values re-escaped, the root given the class "chart" and
 * LABEL as its accessible name.  Returns 0; -1 when the document is refused,
 * WHY[WSZ] saying what was found; -2 when out of memory.  On refusal part of
 * the element may have been written: the caller discards the page. */
int gp_svg_inline(FILE *o, const char *svg, size_t len, const char *prefix, const char *label,
                  char *why, size_t wsz);

#endif /* GP_SVG_H */
