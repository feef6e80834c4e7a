/*
 * tests/unit/test_columns.c - sim/columns.c: display widths and blocks of
 * columns within a width.
 *
 * Known answers: "±" and Hangul take one column each; columns split into
 * blocks in order, each block within the width with the label column, none
 * empty, a column too wide alone in its own block; equal widths give
 * gp_columns_fit per block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/columns.h"
#include "tests/test.h"

static void test_width(void) {
  ASSERT_EQ(gp_columns_of(""), 0);
  ASSERT_EQ(gp_columns_of("31.7 ± 0.6"), 10);
  ASSERT_EQ(gp_columns_of("\xed\x95\x9c\xea\xb5\xad"), 2); /* two Hangul syllables */
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  ASSERT(f != NULL);
  gp_columns_right(f, 6, "±1");
  gp_columns_left(f, 4, "ab");
  gp_columns_right(f, 1, "wider");
  fclose(f);
  ASSERT_STR_EQ(text, "    ±1ab  wider");
  free(text);
}

static void test_blocks(void) {
  int first[8];
  memset(first, -1, sizeof first);
  /* label 30, max 100: 70 columns left; each column takes 2 + its width */
  int w[] = {20, 20, 20, 30, 66, 10, 90};
  int nb = gp_columns_blocks(w, 7, 30, 100, first);
  ASSERT_EQ(nb, 5);
  ASSERT_EQ(first[0], 0); /* 22 + 22 + 22 = 66 <= 70; 66 + 32 is not */
  ASSERT_EQ(first[1], 3); /* 32; 32 + 68 = 100 > 70 */
  ASSERT_EQ(first[2], 4); /* 68; 68 + 12 = 80 > 70 */
  ASSERT_EQ(first[3], 5); /* 12; 12 + 92 > 70 */
  ASSERT_EQ(first[4], 6); /* 92 alone, too wide: a block of its own */
  ASSERT_EQ(first[5], 7);
  for (int b = 0; b < nb; b++) {
    int used = 30;
    ASSERT_LT(first[b], first[b + 1]);
    for (int k = first[b]; k < first[b + 1]; k++) used += GP_COLUMNS_GAP + w[k];
    if (first[b + 1] - first[b] > 1) ASSERT_LE(used, 100);
  }
  ASSERT_EQ(gp_columns_blocks(w, 0, 30, 100, first), 0);
  ASSERT_EQ(first[0], 0);
  /* equal widths: every block but the last holds gp_columns_fit */
  int e[7] = {14, 14, 14, 14, 14, 14, 14};
  nb = gp_columns_blocks(e, 7, 36, 100, first);
  ASSERT_EQ(gp_columns_fit(14, 36, 100), 4);
  ASSERT_EQ(nb, 2);
  ASSERT_EQ(first[1], 4);
  ASSERT_EQ(gp_columns_fit(200, 36, 100), 1);
}

int main(void) {
  RUN(test_width);
  RUN(test_blocks);
  TEST_EXIT();
}
