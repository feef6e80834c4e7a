/* tests/unit/test_dist.c - random quantities (models/scenario/dist.c). */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "models/scenario/dist.h"
#include "tests/test.h"

#define NDRAWS 200000

static gp_err err;

/* Read {"x": TEXT} as the quantity "demand.x" allowed in [MIN, MAX]. */
static int read_dist(const char *text, double min, double max, gp_dist *d) {
  char buf[1024];
  snprintf(buf, sizeof buf, "{\"x\": %s}", text);
  gp_err_clear(&err);
  gp_json *doc = gp_json_parse("t.json", buf, strlen(buf), &err);
  if (!doc) return -2;
  int rc = gp_dist_read(doc, gp_json_root(doc), "demand", "x", 1, min, max, d, &err);
  gp_json_free(doc);
  return rc;
}

/* Mean and standard deviation of NDRAWS samples, checking each lies in [lo, hi]. */
static int sample_stats(const gp_dist *d, gsl_rng *r, double lo, double hi, double *mean, double *sd) {
  double m = 0, s2 = 0; /* Welford */
  for (int i = 1; i <= NDRAWS; i++) {
    double x = gp_dist_sample(d, r);
    if (!(x >= lo && x <= hi)) return -1;
    double dm = x - m;
    m += dm / i;
    s2 += dm * (x - m);
  }
  *mean = m;
  *sd = sqrt(s2 / (NDRAWS - 1));
  return 0;
}

static void test_sample_means(void) {
  static const struct {
    const char *text;
    double lo, hi;    /* support */
    double mean;      /* analytic mean, known answer */
  } k[] = {
      {"{\"dist\": \"exponential\", \"mean\": 2}", 0, HUGE_VAL, 2},
      {"{\"dist\": \"lognormal\", \"median\": 2.5, \"sigma\": 0.8}", 0, HUGE_VAL, 3.442819410839893},
      {"{\"dist\": \"normal\", \"mean\": -1, \"sd\": 3}", -HUGE_VAL, HUGE_VAL, -1},
      {"{\"dist\": \"uniform\", \"min\": 60, \"max\": 365}", 60, 365, 212.5},
      {"{\"dist\": \"triangular\", \"min\": 0, \"mode\": 30, \"max\": 180}", 0, 180, 70},
      {"{\"dist\": \"triangular\", \"min\": 0, \"mode\": 0, \"max\": 30}", 0, 30, 10},
      {"{\"dist\": \"triangular\", \"min\": 2, \"mode\": 5, \"max\": 5}", 2, 5, 4},
      {"{\"dist\": \"beta\", \"a\": 8, \"b\": 2}", 0, 1, 0.8},
      {"{\"dist\": \"gamma\", \"shape\": 2.5, \"scale\": 1.5}", 0, HUGE_VAL, 3.75},
      {"{\"dist\": \"discrete\", \"values\": [64, 96, 128], \"weights\": [1, 2, 1]}", 64, 128, 96},
      {"{\"dist\": \"discrete\", \"values\": [1, 10], \"weights\": [3, 1]}", 1, 10, 3.25},
  };
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  ASSERT(r);
  for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
    gp_dist d;
    gp_dist_constant(&d, 0);
    if (read_dist(k[i].text, -HUGE_VAL, HUGE_VAL, &d) != 0) TEST_FAIL_("%s: %s", k[i].text, err.msg);
    ASSERT_NEAR(gp_dist_mean(&d), k[i].mean, 1e-12 * fabs(k[i].mean));
    gsl_rng_set(r, 20260201);
    double m, sd;
    int rc = sample_stats(&d, r, k[i].lo, k[i].hi, &m, &sd);
    gp_dist_free(&d);
    if (rc != 0) TEST_FAIL_("%s: a draw fell outside its support", k[i].text);
    /* The sample mean is within 4 standard errors of the true mean (fails by
     * chance about once in 16 000 runs; the seed is fixed, so it never flakes). */
    double se = sd / sqrt((double)NDRAWS);
    if (!(fabs(m - k[i].mean) <= 4 * se))
      TEST_FAIL_("%s: sample mean %.6g, expected %.6g +- %.3g", k[i].text, m, k[i].mean, 4 * se);
    if (!(sd > 0)) TEST_FAIL_("%s: no spread", k[i].text);
  }
  gsl_rng_free(r);
}

static void test_constant(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  ASSERT(r);
  gp_dist d;
  gp_dist_constant(&d, 0);
  ASSERT_EQ(read_dist("3.5", -HUGE_VAL, HUGE_VAL, &d), 0);
  ASSERT_EQ(d.kind, GP_DIST_CONSTANT);
  for (int i = 0; i < 10; i++) ASSERT_DBL_EQ(gp_dist_sample(&d, r), 3.5);
  ASSERT_DBL_EQ(gp_dist_mean(&d), 3.5);
  ASSERT_EQ(read_dist("{\"dist\": \"constant\", \"value\": -2, \"note\": \"why\"}", -HUGE_VAL, HUGE_VAL, &d), 0);
  ASSERT_DBL_EQ(gp_dist_sample(&d, r), -2);
  /* a clamp may lift a constant into range */
  ASSERT_EQ(read_dist("{\"dist\": \"constant\", \"value\": 0, \"min_value\": 1}", 1, 10, &d), 0);
  ASSERT_DBL_EQ(gp_dist_sample(&d, r), 1);
  /* degenerate spreads are constants in disguise */
  ASSERT_EQ(read_dist("{\"dist\": \"normal\", \"mean\": 4, \"sd\": 0}", 1, 10, &d), 0);
  ASSERT_DBL_EQ(gp_dist_sample(&d, r), 4);
  ASSERT_EQ(read_dist("{\"dist\": \"lognormal\", \"median\": 4, \"sigma\": 0}", 1, 10, &d), 0);
  ASSERT_NEAR(gp_dist_sample(&d, r), 4, 1e-12);
  gp_dist_constant(&d, 7);
  ASSERT_DBL_EQ(gp_dist_mean(&d), 7);
  ASSERT(isinf(d.lo) && d.lo < 0 && isinf(d.hi) && d.hi > 0);
  gsl_rng_free(r);
}

static void test_triangular_shape(void) {
  /* P(X < mode) = (mode - min) / (max - min) = 1/6; P(X < 90) = 1 - 90^2 / (180 * 150) = 0.7. */
  gp_dist d;
  gp_dist_constant(&d, 0);
  ASSERT_EQ(read_dist("{\"dist\": \"triangular\", \"min\": 0, \"mode\": 30, \"max\": 180}", 0, 180, &d), 0);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  ASSERT(r);
  gsl_rng_set(r, 7);
  long below_mode = 0, below_90 = 0;
  for (int i = 0; i < NDRAWS; i++) {
    double x = gp_dist_sample(&d, r);
    below_mode += x < 30;
    below_90 += x < 90;
  }
  gsl_rng_free(r);
  const double p1 = 1.0 / 6, p2 = 0.7;
  ASSERT_NEAR((double)below_mode / NDRAWS, p1, 4 * sqrt(p1 * (1 - p1) / NDRAWS));
  ASSERT_NEAR((double)below_90 / NDRAWS, p2, 4 * sqrt(p2 * (1 - p2) / NDRAWS));
}

static void test_discrete_frequencies(void) {
  gp_dist d;
  gp_dist_constant(&d, 0);
  ASSERT_EQ(read_dist("{\"dist\": \"discrete\", \"values\": [1, 2, 3, 99], \"weights\": [1, 2, 1, 0]}", 1, 3, &d),
            0); /* 99 has weight 0: outside [1, 3] but never drawn */
  ASSERT_EQ(d.n, 4);
  ASSERT_DBL_EQ(gp_dist_mean(&d), 2);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  ASSERT(r);
  gsl_rng_set(r, 99);
  long count[4] = {0};
  for (int i = 0; i < NDRAWS; i++) {
    double x = gp_dist_sample(&d, r);
    if (x == 1) count[0]++;
    else if (x == 2) count[1]++;
    else if (x == 3) count[2]++;
    else count[3]++;
  }
  gsl_rng_free(r);
  const double p[3] = {0.25, 0.5, 0.25};
  for (int i = 0; i < 3; i++)
    ASSERT_NEAR((double)count[i] / NDRAWS, p[i], 4 * sqrt(p[i] * (1 - p[i]) / NDRAWS));
  ASSERT_EQ(count[3], 0);
  gp_dist_free(&d);
}

static void test_clamp(void) {
  gp_dist d;
  gp_dist_constant(&d, 0);
  ASSERT_EQ(read_dist("{\"dist\": \"lognormal\", \"median\": 2.5, \"sigma\": 0.8, \"min_value\": 1, "
                      "\"max_value\": 8}", 1, 1e6, &d), 0);
  ASSERT_DBL_EQ(d.lo, 1);
  ASSERT_DBL_EQ(d.hi, 8);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  ASSERT(r);
  gsl_rng_set(r, 1);
  long at_lo = 0, at_hi = 0;
  for (int i = 0; i < NDRAWS; i++) {
    double x = gp_dist_sample(&d, r);
    if (!(x >= 1 && x <= 8)) TEST_FAIL_("draw %g outside [1, 8]", x);
    at_lo += x == 1;
    at_hi += x == 8;
  }
  gsl_rng_free(r);
  /* P(X <= 1) = Phi(log(1 / 2.5) / 0.8) = 0.126029; P(X >= 8) = 1 - Phi(log(8 / 2.5) / 0.8) = 0.072982 */
  const double plo = 0.126029, phi = 0.072982;
  ASSERT_NEAR((double)at_lo / NDRAWS, plo, 4 * sqrt(plo * (1 - plo) / NDRAWS));
  ASSERT_NEAR((double)at_hi / NDRAWS, phi, 4 * sqrt(phi * (1 - phi) / NDRAWS));
  /* the analytic mean ignores the clamp */
  ASSERT_NEAR(gp_dist_mean(&d), 2.5 * exp(0.32), 1e-12);
}

static void test_read_errors(void) {
  static const struct {
    const char *text;
    double min, max;
    const char *msg;
  } k[] = {
    {"{\"dist\": \"exponential\", \"mean\": 0}", -HUGE_VAL, HUGE_VAL, "t.json:1:39: demand.x.mean: expected a number > 0, found 0"},
    {"{\"dist\": \"normal\", \"mean\": 1, \"sd\": 1, \"median\": 2}", -HUGE_VAL, HUGE_VAL, "t.json:1:46: demand.x.median: expected one of the keys dist, note, min_value, max_value, mean, sd, found \"median\""},
    {"{\"dist\": \"uniform\", \"min\": 1}", -HUGE_VAL, HUGE_VAL, "t.json:1:7: demand.x: expected key \"max\", found none"},
    {"{\"mean\": 1}", -HUGE_VAL, HUGE_VAL, "t.json:1:7: demand.x: expected key \"dist\", found none"},
    {"{\"dist\": \"poisson\", \"mean\": 1}", -HUGE_VAL, HUGE_VAL, "t.json:1:16: demand.x.dist: expected one of \"constant\", \"exponential\", \"lognormal\", \"normal\", \"uniform\", \"triangular\", \"beta\", \"gamma\", \"discrete\", found \"poisson\""},
    {"{\"dist\": \"Normal\", \"mean\": 1}", -HUGE_VAL, HUGE_VAL, "t.json:1:16: demand.x.dist: expected one of \"constant\", \"exponential\", \"lognormal\", \"normal\", \"uniform\", \"triangular\", \"beta\", \"gamma\", \"discrete\", found \"Normal\""},
    {"\"3\"", -HUGE_VAL, HUGE_VAL, "t.json:1:7: demand.x: expected a number or an object with a \"dist\" key, found \"3\" (a number in quotes is a "
       "string: write it without them)"},
    {"[1, 2]", -HUGE_VAL, HUGE_VAL, "t.json:1:7: demand.x: expected a number or an object with a \"dist\" key, found an array"},
    {"0", 1, 1000000.0, "t.json:1:7: demand.x: expected a number in [1, 1e+06], found 0"},
    {"{\"dist\": \"exponential\", \"mean\": 3}", 1, 1000000.0, "t.json:1:7: demand.x: expected values >= 1, found an exponential distribution that can go below 1 (add \"min_value\")"},
    {"{\"dist\": \"exponential\", \"mean\": 1}", 1e-09, 36500, "t.json:1:7: demand.x: expected values >= 1e-09, found an exponential distribution that can go below 1e-09 (add \"min_value\")"},
    {"{\"dist\": \"exponential\", \"mean\": 1}", 0, 36500, "t.json:1:7: demand.x: expected values <= 36500, found an exponential distribution that can go above 36500 (add \"max_value\")"},
    {"{\"dist\": \"lognormal\", \"median\": 2, \"sigma\": 1, \"min_value\": 1}", 1, 1000000.0, "t.json:1:7: demand.x: expected values <= 1e+06, found a lognormal distribution that can go above 1e+06 (add \"max_value\")"},
    {"{\"dist\": \"normal\", \"mean\": 5, \"sd\": 1}", 0, HUGE_VAL, "t.json:1:7: demand.x: expected values >= 0, found a normal distribution that can go below 0 (add \"min_value\")"},
    {"{\"dist\": \"gamma\", \"shape\": 2, \"scale\": 1}", 1, 1000000.0, "t.json:1:7: demand.x: expected values >= 1, found a gamma distribution that can go below 1 (add \"min_value\")"},
    {"{\"dist\": \"beta\", \"a\": 2, \"b\": 2}", 0, 0.5, "t.json:1:7: demand.x: expected values <= 0.5, found a beta distribution that can go above 0.5 (add \"max_value\")"},
    {"{\"dist\": \"exponential\", \"mean\": 3, \"min_value\": 0.5}", 1, 1000000.0, "t.json:1:55: demand.x.min_value: expected a number in [1, 1e+06], found 0.5"},
    {"{\"dist\": \"exponential\", \"mean\": 3, \"min_value\": 2e6}", 1, 1000000.0, "t.json:1:55: demand.x.min_value: expected a number in [1, 1e+06], found 2e6"},
    {"{\"dist\": \"uniform\", \"min\": 0, \"max\": 5, \"max_value\": 0.5}", 1, 1000000.0, "t.json:1:60: demand.x.max_value: expected a number in [1, 1e+06], found 0.5"},
    {"{\"dist\": \"uniform\", \"min\": 0, \"max\": 5}", 1, 1000000.0, "t.json:1:34: demand.x.min: expected a number in [1, 1e+06], found 0"},
    {"{\"dist\": \"triangular\", \"min\": 1, \"mode\": 2, \"max\": 2e6}", 1, 1000000.0, "t.json:1:58: demand.x.max: expected a number in [1, 1e+06], found 2e6"},
    {"{\"dist\": \"uniform\", \"min\": 5, \"max\": 2}", -HUGE_VAL, HUGE_VAL, "t.json:1:44: demand.x.max: expected a number >= \"min\" (5), found 2"},
    {"{\"dist\": \"triangular\", \"min\": 0, \"mode\": 40, \"max\": 30}", -HUGE_VAL, HUGE_VAL, "t.json:1:48: demand.x.mode: expected a number between \"min\" and \"max\" (0 and 30), found 40"},
    {"{\"dist\": \"triangular\", \"min\": 3, \"mode\": 3, \"max\": 3}", -HUGE_VAL, HUGE_VAL, "t.json:1:58: demand.x.max: expected a number > \"min\" (3), found 3"},
    {"{\"dist\": \"beta\", \"a\": 0, \"b\": 1}", -HUGE_VAL, HUGE_VAL, "t.json:1:29: demand.x.a: expected a number > 0, found 0"},
    {"{\"dist\": \"gamma\", \"shape\": 1, \"scale\": -1}", -HUGE_VAL, HUGE_VAL, "t.json:1:46: demand.x.scale: expected a number > 0, found -1"},
    {"{\"dist\": \"lognormal\", \"median\": 1, \"sigma\": -0.1}", -HUGE_VAL, HUGE_VAL, "t.json:1:51: demand.x.sigma: expected a number >= 0, found -0.1"},
    {"{\"dist\": \"lognormal\", \"median\": 0, \"sigma\": 1}", -HUGE_VAL, HUGE_VAL, "t.json:1:39: demand.x.median: expected a number > 0, found 0"},
    {"{\"dist\": \"normal\", \"mean\": 0, \"sd\": \"1\"}", -HUGE_VAL, HUGE_VAL, "t.json:1:43: demand.x.sd: expected a number, found \"1\" (a number in quotes is a string: write it without them)"},
    {"{\"dist\": \"constant\", \"value\": 7, \"min_value\": 3, \"max_value\": 2}", -HUGE_VAL, HUGE_VAL, "t.json:1:69: demand.x.max_value: expected a number >= \"min_value\" (3), found 2"},
    {"{\"dist\": \"constant\", \"value\": 7, \"note\": 3}", -HUGE_VAL, HUGE_VAL, "t.json:1:48: demand.x.note: expected a string, found 3"},
    {"{\"dist\": \"constant\", \"value\": 0}", 1, 1000000.0, "t.json:1:37: demand.x.value: expected a number in [1, 1e+06], found 0"},
    {"{\"dist\": \"discrete\", \"values\": [1, 2, 3], \"weights\": [1, 1]}", -HUGE_VAL, HUGE_VAL, "t.json:1:60: demand.x.weights: expected 3 weights (one per value), found 2"},
    {"{\"dist\": \"discrete\", \"values\": [], \"weights\": []}", -HUGE_VAL, HUGE_VAL, "t.json:1:38: demand.x.values: expected at least one value, found an empty array"},
    {"{\"dist\": \"discrete\", \"values\": [1, 2], \"weights\": [1, -1]}", -HUGE_VAL, HUGE_VAL, "t.json:1:61: demand.x.weights[1]: expected a number >= 0, found -1"},
    {"{\"dist\": \"discrete\", \"values\": [1, 2], \"weights\": [0, 0]}", -HUGE_VAL, HUGE_VAL, "t.json:1:57: demand.x.weights: expected weights with a positive sum, found all zero"},
    {"{\"dist\": \"discrete\", \"values\": [\"a\", 2], \"weights\": [1, 1]}", -HUGE_VAL, HUGE_VAL, "t.json:1:39: demand.x.values[0]: expected a number, found \"a\""},
    {"{\"dist\": \"discrete\", \"values\": [1, 2]}", -HUGE_VAL, HUGE_VAL, "t.json:1:7: demand.x: expected key \"weights\", found none"},
    {"{\"dist\": \"discrete\", \"values\": 3, \"weights\": [1]}", -HUGE_VAL, HUGE_VAL, "t.json:1:38: demand.x.values: expected an array, found 3"},
    {"{\"dist\": \"discrete\", \"values\": [5, 0], \"weights\": [1, 1]}", 1, 1000000.0, "t.json:1:42: demand.x.values[1]: expected a number in [1, 1e+06], found 0"},
    {"{\"dist\": \"discrete\", \"values\": [5, 0], \"weights\": [1, 1], \"mean\": 3}", 1, 1000000.0, "t.json:1:65: demand.x.mean: expected one of the keys dist, note, min_value, max_value, values, weights, found \"mean\""},
  };
  for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
    gp_dist d;
    gp_dist_constant(&d, 123);
    int rc = read_dist(k[i].text, k[i].min, k[i].max, &d);
    if (rc != -1) TEST_FAIL_("%s: accepted (rc %d)", k[i].text, rc);
    if (strcmp(err.msg, k[i].msg) != 0)
      TEST_FAIL_("%s:\n    got:      \"%s\"\n    expected: \"%s\"", k[i].text, err.msg, k[i].msg);
    ASSERT_EQ(err.code, GP_EX_DATAERR);
    /* a failed read leaves D as it was and owns nothing */
    ASSERT_EQ(d.kind, GP_DIST_CONSTANT);
    ASSERT_DBL_EQ(d.p[0], 123);
    ASSERT(d.values == NULL && d.table == NULL);
  }
}

static void test_absent(void) {
  const char *text = "{\"a\": 1}";
  gp_err_clear(&err);
  gp_json *doc = gp_json_parse("t.json", text, strlen(text), &err);
  ASSERT(doc);
  gp_dist d;
  gp_dist_constant(&d, 7);
  ASSERT_EQ(gp_dist_read(doc, gp_json_root(doc), "demand", "x", 0, 0, 10, &d, &err), 0);
  ASSERT_DBL_EQ(d.p[0], 7); /* untouched */
  ASSERT_EQ(err.code, 0);
  ASSERT_EQ(gp_dist_read(doc, gp_json_root(doc), "demand", "x", 1, 0, 10, &d, &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json:1:1: demand: expected key \"x\", found none");
  gp_json_free(doc);
}

static void test_copy_free(void) {
  gp_dist a, b, c;
  gp_dist_constant(&a, 0);
  ASSERT_EQ(read_dist("{\"dist\": \"discrete\", \"values\": [5, 6], \"weights\": [1, 3]}", 0, 10, &a), 0);
  ASSERT(a.table && a.values && a.weights);
  gp_err_clear(&err);
  ASSERT_EQ(gp_dist_copy(&b, &a, &err), 0);
  ASSERT(b.values != a.values && b.weights != a.weights && b.table != a.table);
  gsl_rng *r1 = gsl_rng_alloc(gsl_rng_mt19937), *r2 = gsl_rng_alloc(gsl_rng_mt19937);
  ASSERT(r1 && r2);
  double xa[100];
  for (int i = 0; i < 100; i++) xa[i] = gp_dist_sample(&a, r1);
  gp_dist_free(&a); /* the copy does not share anything with the original */
  ASSERT_EQ(a.kind, GP_DIST_CONSTANT);
  ASSERT(a.values == NULL && a.table == NULL);
  gp_dist_free(&a); /* freeing twice is harmless */
  for (int i = 0; i < 100; i++) ASSERT_DBL_EQ(gp_dist_sample(&b, r2), xa[i]);
  ASSERT_DBL_EQ(gp_dist_mean(&b), 5.75);
  ASSERT_EQ(gp_dist_copy(&c, &b, &err), 0);
  gp_dist_free(&b);
  ASSERT_DBL_EQ(gp_dist_mean(&c), 5.75);
  gp_dist_free(&c);
  gp_dist n;
  ASSERT_EQ(read_dist("{\"dist\": \"gamma\", \"shape\": 2, \"scale\": 3, \"max_value\": 50}", 0, 100, &n), 0);
  ASSERT_EQ(gp_dist_copy(&c, &n, &err), 0);
  ASSERT_EQ(c.kind, GP_DIST_GAMMA);
  ASSERT_DBL_EQ(c.p[1], 3);
  ASSERT_DBL_EQ(c.hi, 50);
  gp_dist_free(&c);
  gp_dist_free(NULL);
  gsl_rng_free(r1);
  gsl_rng_free(r2);
}

/* Quantiles (the inverse CDFs an "uncertain" factor is drawn through):
 * known answers, the ends of the supports, clamps, and F(Q(u)) = u for the
 * kinds GSL inverts iteratively. */
static void test_quantile(void) {
  gp_dist d;
  for (int k = 0; gp_dist_kind_names[k]; k++) ASSERT(gp_dist_has_quantile((gp_dist_kind)k));
  ASSERT_EQ(read_dist("{\"dist\": \"uniform\", \"min\": 2, \"max\": 8}", -HUGE_VAL, HUGE_VAL, &d), 0);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0), 2);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0.25), 3.5);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 1), 8);
  gp_dist_free(&d);
  ASSERT_EQ(read_dist("{\"dist\": \"triangular\", \"min\": 0, \"mode\": 0, \"max\": 30}", 0, 30, &d), 0);
  ASSERT_NEAR(gp_dist_quantile(&d, 0.5), 30 - sqrt(0.5 * 900), 1e-12); /* F(x) = 1 - (1 - x/30)^2 */
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 1), 30);
  gp_dist_free(&d);
  ASSERT_EQ(read_dist("{\"dist\": \"normal\", \"mean\": 10, \"sd\": 2}", -HUGE_VAL, HUGE_VAL, &d), 0);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0.5), 10);
  ASSERT_NEAR(gp_dist_quantile(&d, 0.975), 10 + 2 * 1.959963984540054, 1e-9);
  ASSERT(isinf(gp_dist_quantile(&d, 0)) && gp_dist_quantile(&d, 0) < 0);
  gp_dist_free(&d);
  ASSERT_EQ(read_dist("{\"dist\": \"normal\", \"mean\": 10, \"sd\": 2, \"min_value\": 5, \"max_value\": 12}",
                      -HUGE_VAL, HUGE_VAL, &d), 0);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0), 5);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0.99), 12);
  gp_dist_free(&d);
  ASSERT_EQ(read_dist("{\"dist\": \"exponential\", \"mean\": 3}", 0, HUGE_VAL, &d), 0);
  ASSERT_NEAR(gp_dist_quantile(&d, 0.5), 3 * log(2), 1e-12);
  gp_dist_free(&d);
  ASSERT_EQ(read_dist("{\"dist\": \"lognormal\", \"median\": 4, \"sigma\": 0.5}", 0, HUGE_VAL, &d), 0);
  ASSERT_NEAR(gp_dist_quantile(&d, 0.5), 4, 1e-12);
  gp_dist_free(&d);
  ASSERT_EQ(read_dist("{\"dist\": \"beta\", \"a\": 8, \"b\": 2}", 0, 1, &d), 0);
  for (double u = 0.05; u < 1; u += 0.1) ASSERT_NEAR(gsl_cdf_beta_P(gp_dist_quantile(&d, u), 8, 2), u, 1e-9);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0), 0);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 1), 1);
  gp_dist_free(&d);
  ASSERT_EQ(read_dist("{\"dist\": \"gamma\", \"shape\": 2, \"scale\": 3}", 0, HUGE_VAL, &d), 0);
  for (double u = 0.05; u < 1; u += 0.1) ASSERT_NEAR(gsl_cdf_gamma_P(gp_dist_quantile(&d, u), 2, 3), u, 1e-9);
  gp_dist_free(&d);
  /* Discrete, values out of order: P(X <= 1) = 0.25, P(X <= 5) = 0.75. */
  ASSERT_EQ(read_dist("{\"dist\": \"discrete\", \"values\": [5, 1, 9, 0], \"weights\": [2, 1, 1, 0]}",
                      -HUGE_VAL, HUGE_VAL, &d), 0);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0), 1); /* 0 has no weight: not a value it takes */
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0.25), 1);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0.26), 5);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0.75), 5);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 0.76), 9);
  ASSERT_DBL_EQ(gp_dist_quantile(&d, 1), 9);
  gp_dist_free(&d);
}

int main(void) {
  gsl_set_error_handler_off();
  RUN(test_sample_means);
  RUN(test_constant);
  RUN(test_triangular_shape);
  RUN(test_discrete_frequencies);
  RUN(test_clamp);
  RUN(test_read_errors);
  RUN(test_absent);
  RUN(test_copy_free);
  RUN(test_quantile);
  TEST_EXIT();
}
