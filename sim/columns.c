/*
 * sim/columns.c - display widths and blocks of columns (see columns.h).
 *
 * Invariant: every block but one whose single column is too wide fits MAX
 * columns with the label; blocks keep the columns' order.
 */
#include "sim/columns.h"

int gp_columns_of(const char *s) {
  int n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80; /* not a continuation byte */
  return n;
}

void gp_columns_right(FILE *f, int width, const char *s) {
  for (int n = gp_columns_of(s); n < width; n++) fputc(' ', f);
  fputs(s, f);
}

void gp_columns_left(FILE *f, int width, const char *s) {
  fputs(s, f);
  for (int n = gp_columns_of(s); n < width; n++) fputc(' ', f);
}

int gp_columns_blocks(const int *width, int n, int label, int max, int *first) {
  int nb = 0, used = 0;
  for (int k = 0; k < n; k++) {
    int w = GP_COLUMNS_GAP + width[k];
    if (k == 0 || label + used + w > max) {
      first[nb++] = k;
      used = 0;
    }
    used += w;
  }
  first[nb] = n;
  return nb;
}

int gp_columns_fit(int width, int label, int max) {
  int n = (max - label) / (width + GP_COLUMNS_GAP);
  return n < 1 ? 1 : n;
}
