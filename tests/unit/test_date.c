/* tests/unit/test_date.c - calendar dates (models/scenario/date.c). */
#include "models/scenario/date.h"
#include "tests/test.h"

static long parsed(const char *s) {
  long d = -999999;
  if (gp_date_parse(s, &d) != 0) return -999999;
  return d;
}

static void test_known_answers(void) {
  ASSERT_EQ(parsed("1970-01-01"), 0);
  ASSERT_EQ(parsed("1970-01-02"), 1);
  ASSERT_EQ(parsed("1969-12-31"), -1);
  ASSERT_EQ(parsed("2000-03-01"), 11017);
  ASSERT_EQ(parsed("2026-02-01"), 20485);
  ASSERT_EQ(parsed("2024-02-29"), 19782);
  ASSERT_EQ(parsed("1900-01-01"), -25567);
  ASSERT_EQ(parsed("2199-12-31"), 84005);
  char buf[16];
  gp_date_format(0, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "1970-01-01");
  gp_date_format(11017, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "2000-03-01");
  gp_date_format(11016, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "2000-02-29");
  gp_date_format(-25567, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "1900-01-01");
}

static void test_rejects(void) {
  long d = 12345;
  const char *bad[] = {"2026-02-29", "2026-02-30", "2026-2-01",  "2026-02-01x", "2026-02-1",  "1900-02-29",
                       "2100-02-29", "2026-13-01", "2026-00-10", "2026-01-00",  "2026-04-31", "1899-12-31",
                       "2200-01-01", "",           "2026",       "2026-02",     "2026/02/01", " 2026-02-01",
                       "2026-02-01 ", "+026-02-01", "2026-0a-01", "20260201",   "2026--02-01"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (gp_date_parse(bad[i], &d) != -1) TEST_FAIL_("accepted \"%s\"", bad[i]);
  }
  ASSERT_EQ(gp_date_parse(NULL, &d), -1);
  ASSERT_EQ(d, 12345); /* untouched on failure */
  ASSERT_EQ(parsed("2000-02-29"), 11016); /* 400-year rule */
  ASSERT_EQ(parsed("2199-02-28") + 1, parsed("2199-03-01"));
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Every string YYYY-MM-DD with DD up to 31, in order: exactly the real dates
 * parse, to consecutive day numbers, and print back the same. */
static void test_every_day(void) {
  static const int mlen[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  long expect = parsed("1900-01-01"), count = 0;
  char s[16], back[16];
  for (int y = 1900; y <= 2199; y++)
    for (int m = 1; m <= 12; m++)
      for (int d = 1; d <= 31; d++) {
        snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
        int real = d <= mlen[m - 1] + (m == 2 && leap(y));
        long day;
        int rc = gp_date_parse(s, &day);
        if (!real) {
          if (rc != -1) TEST_FAIL_("accepted %s", s);
          continue;
        }
        if (rc != 0) TEST_FAIL_("rejected %s", s);
        if (day != expect) TEST_FAIL_("%s: day %ld, expected %ld", s, day, expect);
        gp_date_format(day, back, sizeof back);
        if (strcmp(back, s) != 0) TEST_FAIL_("%s printed back as %s", s, back);
        expect++;
        count++;
      }
  ASSERT_EQ(count, 300 * 365 + 73); /* 73 leap days: 1904..2196 step 4, less 2100 */
  ASSERT_EQ(expect - 1, parsed("2199-12-31"));
}

static void test_format_time(void) {
  long epoch = parsed("2026-02-01");
  char buf[16];
  gp_date_format_time(0, epoch, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "2026-02-01");
  gp_date_format_time(0.999, epoch, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "2026-02-01");
  gp_date_format_time(1.0, epoch, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "2026-02-02");
  gp_date_format_time(28.5, epoch, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "2026-03-01");
  gp_date_format_time(-0.5, epoch, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "never");
  gp_date_format_time(-1, epoch, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "never");
  gp_date_format_time(HUGE_VAL, epoch, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "never");
  gp_date_format_time(NAN, epoch, buf, sizeof buf);
  ASSERT_STR_EQ(buf, "never");
}

int main(void) {
  RUN(test_known_answers);
  RUN(test_rejects);
  RUN(test_every_day);
  RUN(test_format_time);
  TEST_EXIT();
}
