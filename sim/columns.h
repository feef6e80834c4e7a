/*
 * sim/columns.h - tables on a terminal: how many columns a text takes and
 * how columns of a table split into blocks that fit a width.
 *
 * A table here is a label column (the row titles) and columns of cells.
 * When all of them do not fit the width, the columns go into blocks, each
 * printed as a table of its own under the same label column: block b holds
 * columns first[b] .. first[b+1]-1, as many as fit beside the label (each
 * column takes its width plus GP_COLUMNS_GAP), and never none (a column
 * wider than the width alone gets a block of its own).  Widths are display
 * columns of UTF-8 text, one per character ("±" is one).  Knows nothing of
 * GPUs.
 */
#ifndef GP_COLUMNS_H
#define GP_COLUMNS_H

#include <stdio.h>

#define GP_COLUMNS_GAP 2 /* spaces before each column */

/* Display columns of the UTF-8 text S: one per character. */
int gp_columns_of(const char *s);

/* Write S to F right-aligned in WIDTH columns (as it is when wider). */
void gp_columns_right(FILE *f, int width, const char *s);

/* Write S to F left-aligned in WIDTH columns (as it is when wider). */
void gp_columns_left(FILE *f, int width, const char *s);

/* Split N columns of widths WIDTH[0..n) beside a label column LABEL wide
 * into blocks within MAX columns: FIRST[0..nblocks] (N + 1 entries at most)
 * gets each block's first column, FIRST[nblocks] = N.  Returns nblocks
 * (0 when N is 0). */
int gp_columns_blocks(const int *width, int n, int label, int max, int *first);

/* How many columns of WIDTH fit in a block beside LABEL within MAX: what
 * gp_columns_blocks gives columns all of that width (at least 1). */
int gp_columns_fit(int width, int label, int max);

#endif /* GP_COLUMNS_H */
