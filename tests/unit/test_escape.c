/*
 * tests/unit/test_escape.c - sim/escape.c: text made safe to print.
 *
 * Known answers for every class of byte the header names (C0 controls,
 * DEL, C1 controls, bidirectional controls, bytes that are not UTF-8, and
 * what is left alone), the snprintf-like contract of gp_escape when the
 * output is cut, and the line-wise printer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/escape.h"
#include "tests/test.h"

/* gp_escape_dup(IN) == WANT, and gp_escape_clean agrees with it. */
static void check(const char *in, const char *want) {
  char *got = gp_escape_dup(in);
  ASSERT_STR_EQ(got, want);
  ASSERT_EQ(gp_escape_clean(in), strcmp(in, want) == 0);
  free(got);
}

static void test_known_answers(void) {
  check("", "");
  check("plain name", "plain name");
  check("a\\b \"q\" 'x' /", "a\\b \"q\" 'x' /"); /* backslashes and quotes are left alone */
  check("\xed\x95\x9c\xea\xb5\xad \xc3\xa9 \xf0\x9f\x98\x80", "\xed\x95\x9c\xea\xb5\xad \xc3\xa9 \xf0\x9f\x98\x80");
  /* the repro: an ESC colour sequence, a CR and a forged "ok" */
  check("\x1b[31mRED\x1b[0m\r\nfake: ok", "\\u001b[31mRED\\u001b[0m\\r\\nfake: ok");
  check("\t", "\\t");
  check("\x01\x07\x08\x0b\x0c\x1f", "\\u0001\\u0007\\u0008\\u000b\\u000c\\u001f");
  check("\x7f", "\\u007f");
  check("\xc2\x85\xc2\x9b", "\\u0085\\u009b");               /* C1: NEL, CSI */
  check("\xc2\xa0", "\xc2\xa0");                             /* U+00A0 prints */
  check("a\xe2\x80\xae" "b", "a\\u202eb");                      /* RIGHT-TO-LEFT OVERRIDE */
  check("\xe2\x80\x8e\xe2\x80\x8f", "\\u200e\\u200f");
  check("\xe2\x80\xa8\xe2\x81\xa6\xe2\x81\xa9", "\\u2028\\u2066\\u2069");
  check("\xe2\x80\x8d", "\xe2\x80\x8d");                     /* ZWJ is not a control here */
  /* not UTF-8: stray continuation, truncated, overlong, surrogate, too big */
  check("\xff", "\\xff");
  check("a\x80" "b", "a\\x80b");
  check("\xe2\x80", "\\xe2\\x80");
  check("\xc0\xaf", "\\xc0\\xaf");
  check("\xed\xa0\x80", "\\xed\\xa0\\x80");
  check("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
  ASSERT_EQ(gp_escape_clean(NULL), 1);
}

static void test_cut(void) {
  const char *in = "ab\x1b" "cd";
  ASSERT_EQ(gp_escape(NULL, 0, in), strlen("ab\\u001bcd"));
  char b[16];
  ASSERT_EQ(gp_escape(b, sizeof b, in), 10);
  ASSERT_STR_EQ(b, "ab\\u001bcd");
  /* cut between whole escapes, never inside one, always terminated */
  ASSERT_EQ(gp_escape(b, 5, in), 10);
  ASSERT_STR_EQ(b, "ab");
  ASSERT_EQ(gp_escape(b, 9, in), 10);
  ASSERT_STR_EQ(b, "ab\\u001b");
  ASSERT_EQ(gp_escape(b, 1, in), 10);
  ASSERT_STR_EQ(b, "");
  /* a multi-byte character is one piece too */
  ASSERT_EQ(gp_escape(b, 3, "a\xc3\xa9"), 3);
  ASSERT_STR_EQ(b, "a");
}

static void test_printers(void) {
  char *buf = NULL;
  size_t size = 0;
  FILE *m = open_memstream(&buf, &size);
  ASSERT(m != NULL);
  gp_escape_fputs("x\ry", m);
  fputc('|', m);
  gp_escape_lines("one\x1b\ntwo\r\n\nlast", m);
  fclose(m);
  ASSERT_STR_EQ(buf, "x\\ry|one\\u001b\ntwo\\r\n\nlast");
  free(buf);
  /* long text through gp_escape_fputs: not cut */
  char big[2000];
  memset(big, '\x1b', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  buf = NULL;
  m = open_memstream(&buf, &size);
  gp_escape_fputs(big, m);
  fclose(m);
  ASSERT_EQ(strlen(buf), 6 * (sizeof big - 1));
  free(buf);
}

int main(void) {
  RUN(test_known_answers);
  RUN(test_cut);
  RUN(test_printers);
  TEST_EXIT();
}
