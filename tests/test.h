/*
 * tests/test.h - a small unit-test harness (after libuv's test/task.h).
 *
 * Each test file defines `static void test_xxx(void)` functions and a main
 * that calls RUN(test_xxx) for each.  Assertions print both sides on failure
 * and abandon the current test (not the whole program).  Every test prints one
 * line, `PASS: file:name` or `FAIL: file:name`, which tests/run.sh counts.
 */
#ifndef GP_TEST_H
#define GP_TEST_H

#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf test_jmp_;
static int test_failed_;
static int test_fail_count_;
static int test_pass_count_;

#define TEST_FAIL_(...)                                                     \
  do {                                                                      \
    fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                       \
    fprintf(stderr, __VA_ARGS__);                                           \
    fputc('\n', stderr);                                                    \
    test_failed_ = 1;                                                       \
    longjmp(test_jmp_, 1);                                                  \
  } while (0)

#define ASSERT(c)                                                           \
  do {                                                                      \
    if (!(c)) TEST_FAIL_("assertion failed: %s", #c);                       \
  } while (0)

#define ASSERT_INT_OP_(a, op, b)                                            \
  do {                                                                      \
    long long a_ = (long long)(a), b_ = (long long)(b);                     \
    if (!(a_ op b_))                                                        \
      TEST_FAIL_("%s %s %s: %lld vs %lld", #a, #op, #b, a_, b_);            \
  } while (0)
#define ASSERT_EQ(a, b) ASSERT_INT_OP_(a, ==, b)
#define ASSERT_NE(a, b) ASSERT_INT_OP_(a, !=, b)
#define ASSERT_LT(a, b) ASSERT_INT_OP_(a, <, b)
#define ASSERT_LE(a, b) ASSERT_INT_OP_(a, <=, b)
#define ASSERT_GT(a, b) ASSERT_INT_OP_(a, >, b)
#define ASSERT_GE(a, b) ASSERT_INT_OP_(a, >=, b)

#define ASSERT_DBL_EQ(a, b)                                                 \
  do {                                                                      \
    double a_ = (a), b_ = (b);                                              \
    if (!(a_ == b_)) TEST_FAIL_("%s == %s: %.17g vs %.17g", #a, #b, a_, b_);\
  } while (0)

/* |a - b| <= tol */
#define ASSERT_NEAR(a, b, tol)                                              \
  do {                                                                      \
    double a_ = (a), b_ = (b), t_ = (tol);                                  \
    if (!(fabs(a_ - b_) <= t_))                                             \
      TEST_FAIL_("|%s - %s| <= %g: %.17g vs %.17g (diff %.3g)", #a, #b, t_, \
                 a_, b_, fabs(a_ - b_));                                    \
  } while (0)

#define ASSERT_STR_EQ(a, b)                                                 \
  do {                                                                      \
    const char *a_ = (a), *b_ = (b);                                        \
    if (!a_ || !b_ || strcmp(a_, b_) != 0)                                  \
      TEST_FAIL_("%s == %s:\n    got:      \"%s\"\n    expected: \"%s\"",   \
                 #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");           \
  } while (0)

#define ASSERT_CONTAINS(hay, needle)                                        \
  do {                                                                      \
    const char *h_ = (hay), *n_ = (needle);                                 \
    if (!h_ || !strstr(h_, n_))                                             \
      TEST_FAIL_("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
  } while (0)

#define RUN(fn)                                                             \
  do {                                                                      \
    test_failed_ = 0;                                                       \
    if (setjmp(test_jmp_) == 0) fn();                                       \
    if (test_failed_) {                                                     \
      test_fail_count_++;                                                   \
      printf("FAIL: %s:%s\n", test_file_name_(__FILE__), #fn);              \
    } else {                                                                \
      test_pass_count_++;                                                   \
      printf("PASS: %s:%s\n", test_file_name_(__FILE__), #fn);              \
    }                                                                       \
    fflush(stdout);                                                         \
  } while (0)

#define TEST_EXIT() return test_fail_count_ ? 1 : 0

static inline const char *test_file_name_(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

#endif /* GP_TEST_H */
