/* tests/unit/test_json.c - JSON documents with positions (models/scenario/json.c, json_scan.c). */
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/scenario/json.h"
#include "tests/test.h"

static gp_err err;

/* Parse TEXT (LEN bytes; strlen when LEN is 0) as "t.json". */
static gp_json *parse_n(const char *text, size_t len) {
  gp_err_clear(&err);
  return gp_json_parse("t.json", text, len ? len : strlen(text), &err);
}
static gp_json *parse(const char *text) { return parse_n(text, 0); }

/* The message parsing TEXT fails with ("" if it parses). */
static const char *parse_error_n(const char *text, size_t len) {
  gp_json *doc = parse_n(text, len);
  if (doc) {
    gp_json_free(doc);
    return "";
  }
  return err.msg;
}
static const char *parse_error(const char *text) { return parse_error_n(text, 0); }

static void test_positions(void) {
  const char *text = "{\n  \"a\": 1,\n  \"list\": [true, \"x\",\n    {\"k\": null}],\n\t\"b\": -2.50\n}\n";
  gp_json *doc = parse(text);
  ASSERT(doc);
  const cJSON *root = gp_json_root(doc);
  int line, col;
  gp_json_pos(doc, root, &line, &col);
  ASSERT_EQ(line, 1);
  ASSERT_EQ(col, 1);
  gp_json_pos(doc, cJSON_GetObjectItemCaseSensitive(root, "a"), &line, &col);
  ASSERT_EQ(line, 2);
  ASSERT_EQ(col, 8);
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "list");
  gp_json_pos(doc, list, &line, &col);
  ASSERT_EQ(line, 3);
  ASSERT_EQ(col, 11);
  gp_json_pos(doc, cJSON_GetArrayItem(list, 1), &line, &col);
  ASSERT_EQ(line, 3);
  ASSERT_EQ(col, 18);
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(list, 2), "k");
  gp_json_pos(doc, k, &line, &col);
  ASSERT_EQ(line, 4);
  ASSERT_EQ(col, 11);
  gp_json_pos(doc, cJSON_GetObjectItemCaseSensitive(root, "b"), &line, &col);
  ASSERT_EQ(line, 5); /* a tab counts as one column */
  ASSERT_EQ(col, 7);
  size_t len;
  ASSERT_STR_EQ(gp_json_text(doc, &len), text);
  ASSERT_EQ(len, strlen(text));
  ASSERT_STR_EQ(gp_json_name(doc), "t.json");
  gp_json_pos(doc, NULL, &line, &col);
  ASSERT_EQ(line, 0);
  ASSERT_EQ(col, 0);
  gp_json_free(doc);
  gp_json_free(NULL);
}

static void test_not_terminated(void) {
  /* The text need not be NUL-terminated: only LEN bytes are read. */
  const char buf[] = {'[', '1', ',', '2', ']', 'x'};
  gp_json *doc = parse_n(buf, 5);
  ASSERT(doc);
  ASSERT_EQ(cJSON_GetArraySize(gp_json_root(doc)), 2);
  gp_json_free(doc);
}

static void test_syntax_errors(void) {
  ASSERT_STR_EQ(parse_error("{\"a\": 1,}"), "t.json:1:9: $: expected valid JSON, found '}'");
  ASSERT_STR_EQ(parse_error("[1, 2,]"), "t.json:1:7: $[2]: expected valid JSON, found ']'");
  ASSERT_STR_EQ(parse_error("{\"a\": tru}"), "t.json:1:7: a: expected valid JSON, found 'tru'");
  ASSERT_STR_EQ(parse_error("{\"a\": {\"b\": [1 2]}}"), "t.json:1:16: a.b: expected valid JSON, found '2'");
  ASSERT_STR_EQ(parse_error("{\n  \"a\": 1\n  \"b\": 2\n}"), "t.json:3:3: $: expected valid JSON, found '\"'");
  ASSERT_STR_EQ(parse_error("{\"a\" 1}"), "t.json:1:6: a: expected valid JSON, found '1'");
  ASSERT_STR_EQ(parse_error("{\"a\": \"xyz"), "t.json:1:11: a: expected valid JSON, found end of file");
  ASSERT_STR_EQ(parse_error("[1"), "t.json:1:3: $: expected valid JSON, found end of file");
  ASSERT_STR_EQ(parse_error("{'a': 1}"), "t.json:1:2: $: expected valid JSON, found '''");
  ASSERT_STR_EQ(parse_error("[True]"), "t.json:1:2: $[0]: expected valid JSON, found 'True'");
  ASSERT_STR_EQ(parse_error("[nulls]"), "t.json:1:2: $[0]: expected valid JSON, found 'nulls'");
  ASSERT_STR_EQ(parse_error("{\xE2\x80\x9C" "a\xE2\x80\x9D: 1}"),
                "t.json:1:2: $: expected valid JSON, found '\xE2\x80\x9C'");
  ASSERT_STR_EQ(parse_error("{} x"), "t.json:1:4: $: expected end of file after the JSON value, found 'x'");
  ASSERT_STR_EQ(parse_error("{}}"), "t.json:1:3: $: expected end of file after the JSON value, found '}'");
  /* numbers: JSON's grammar, not strtod's */
  ASSERT_STR_EQ(parse_error("[01]"), "t.json:1:3: $: expected valid JSON, found '1'");
  ASSERT_STR_EQ(parse_error("[1.]"), "t.json:1:4: $[0]: expected valid JSON, found ']'");
  ASSERT_STR_EQ(parse_error("[.5]"), "t.json:1:2: $[0]: expected valid JSON, found '.'");
  ASSERT_STR_EQ(parse_error("[-]"), "t.json:1:3: $[0]: expected valid JSON, found ']'");
  ASSERT_STR_EQ(parse_error("[+1]"), "t.json:1:2: $[0]: expected valid JSON, found '+'");
  ASSERT_STR_EQ(parse_error("[1e+]"), "t.json:1:5: $[0]: expected valid JSON, found ']'");
  ASSERT_STR_EQ(parse_error("[0x10]"), "t.json:1:3: $: expected valid JSON, found 'x10'");
  ASSERT_STR_EQ(parse_error("[NaN]"), "t.json:1:2: $[0]: expected valid JSON, found 'NaN'");
  /* strings */
  ASSERT_STR_EQ(parse_error("[\"\\q\"]"), "t.json:1:3: $[0]: expected valid JSON, found '\\q'");
  ASSERT_STR_EQ(parse_error("[\"\\u12G4\"]"), "t.json:1:3: $[0]: expected valid JSON, found '\\u12G4'");
  ASSERT_STR_EQ(parse_error("[\"\\ud800x\"]"),
                "t.json:1:3: $[0]: expected valid JSON (a low surrogate after this one), found '\\ud800'");
  ASSERT_STR_EQ(parse_error("[\"\\udc00\"]"),
                "t.json:1:3: $[0]: expected valid JSON (a high surrogate before this one), found '\\udc00'");
  ASSERT_STR_EQ(parse_error("[\"\\u0000\"]"),
                "t.json:1:3: $[0]: expected a string without NUL characters, found '\\u0000'");
  ASSERT_STR_EQ(parse_error("[\"a\nb\"]"), "t.json:1:4: $[0]: expected valid JSON, found a line break");
  ASSERT_STR_EQ(parse_error("[\"a\tb\"]"), "t.json:1:4: $[0]: expected valid JSON, found a tab");
  ASSERT_STR_EQ(parse_error("{\"a\": {\"b\\\"c\": x}}"), "t.json:1:16: a.b\\\"c: expected valid JSON, found 'x'");
  /* valid escapes, surrogate pairs and UTF-8 pass */
  gp_json *doc = parse("[\"\\ud83d\\ude00 \\n\\/\", \"\xE2\x82\xAC \xED\x95\x9C \xF0\x9F\x98\x80\"]");
  ASSERT(doc);
  ASSERT_STR_EQ(cJSON_GetArrayItem(gp_json_root(doc), 0)->valuestring, "\xF0\x9F\x98\x80 \n/");
  ASSERT_STR_EQ(cJSON_GetArrayItem(gp_json_root(doc), 1)->valuestring, "\xE2\x82\xAC \xED\x95\x9C \xF0\x9F\x98\x80");
  gp_json_free(doc);
  ASSERT_EQ(err.code, 0);
}

static void test_invalid_utf8(void) {
  /* Result files claim UTF-8: a string that is not (issue 16, item 6) is
   * refused where its first bad byte stands, in values and keys alike. */
  ASSERT_STR_EQ(parse_error("[\"\xff\xfe\"]"), "t.json:1:3: $[0]: expected a string of valid UTF-8, found byte 0xFF");
  ASSERT_STR_EQ(parse_error("{\"name\": \"t\xff\"}"),
                "t.json:1:12: name: expected a string of valid UTF-8, found byte 0xFF");
  ASSERT_STR_EQ(parse_error("{\"a\": {\"k\xe9y\": 1}}"),
                "t.json:1:10: a: expected a string of valid UTF-8, found byte 0xE9");
  /* overlong forms, surrogates, beyond U+10FFFF, a sequence cut short */
  ASSERT_STR_EQ(parse_error("[\"\xC0\x80\"]"), "t.json:1:3: $[0]: expected a string of valid UTF-8, found byte 0xC0");
  ASSERT_STR_EQ(parse_error("[\"\xE0\x80\x80\"]"), "t.json:1:3: $[0]: expected a string of valid UTF-8, found byte 0xE0");
  ASSERT_STR_EQ(parse_error("[\"\xF0\x80\x80\x80\"]"),
                "t.json:1:3: $[0]: expected a string of valid UTF-8, found byte 0xF0");
  ASSERT_STR_EQ(parse_error("[\"\xED\xA0\x80\"]"), "t.json:1:3: $[0]: expected a string of valid UTF-8, found byte 0xED");
  ASSERT_STR_EQ(parse_error("[\"\xF4\x90\x80\x80\"]"),
                "t.json:1:3: $[0]: expected a string of valid UTF-8, found byte 0xF4");
  ASSERT_STR_EQ(parse_error("[\"ab\xE2\x82\"]"), "t.json:1:5: $[0]: expected a string of valid UTF-8, found byte 0xE2");
  ASSERT_STR_EQ(parse_error("[\"\x80\"]"), "t.json:1:3: $[0]: expected a string of valid UTF-8, found byte 0x80");
  ASSERT_EQ(err.code, GP_EX_DATAERR);
}

static void test_special_input(void) {
  ASSERT_STR_EQ(parse_error_n("", 0), "t.json:1:1: $: expected a JSON value, found end of file");
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  ASSERT_STR_EQ(parse_error("  \n\t\r\n "), "t.json:1:1: $: expected a JSON value, found end of file");
  ASSERT_STR_EQ(parse_error("\xEF\xBB\xBF{}"), "t.json:1:1: $: expected JSON text, found a UTF-8 byte-order mark");
  ASSERT_STR_EQ(parse_error_n("{\"a\": 1}\0", 9),
                "t.json:1:9: $: expected end of file after the JSON value, found a NUL byte");
  ASSERT_STR_EQ(parse_error_n("[\"a\0b\"]", 7), "t.json:1:4: $[0]: expected valid JSON, found a NUL byte");
  ASSERT_STR_EQ(parse_error_n("[1,\0]", 5), "t.json:1:4: $[1]: expected valid JSON, found a NUL byte");
  ASSERT_STR_EQ(parse_error("[\x01]"), "t.json:1:2: $[0]: expected valid JSON, found byte 0x01");
  ASSERT_STR_EQ(parse_error("{\"a\": 1e309}"), "t.json:1:7: a: expected a finite number, found 1e309");
  ASSERT_STR_EQ(parse_error("[0, [-1E400]]"), "t.json:1:6: $[1][0]: expected a finite number, found -1E400");
  ASSERT_STR_EQ(parse_error("[1e-400]"), ""); /* underflow to 0 is fine */
  char num[80];
  memset(num, '1', 70);
  num[0] = '[';
  num[70] = ']';
  num[71] = '\0';
  ASSERT_STR_EQ(parse_error(num),
                "t.json:1:2: $[0]: expected a number of at most 63 characters, found "
                "1111111111111111111111111111111111111111...");
  num[64] = ']'; /* 63 digits: still fine */
  num[65] = '\0';
  ASSERT_STR_EQ(parse_error(num), "");
}

static void test_duplicates(void) {
  ASSERT_STR_EQ(parse_error("{\"x\": 1, \"y\": {\"x\": 2}, \"x\": 3}"),
                "t.json:1:25: x: expected unique keys, found \"x\" a second time");
  ASSERT_STR_EQ(parse_error("{\"a\": [{\"k\": 1, \"k\": 2}]}"),
                "t.json:1:17: a[0].k: expected unique keys, found \"k\" a second time");
  /* the same key spelled with an escape is the same key */
  ASSERT_STR_EQ(parse_error("{\"ab\": 1, \"\\u0061b\": 2}"),
                "t.json:1:11: ab: expected unique keys, found \"ab\" a second time");
  /* the first duplicate in the text wins, whatever the nesting */
  ASSERT_STR_EQ(parse_error("{\"o\": {\"p\": 1, \"p\": 2}, \"o\": 3}"),
                "t.json:1:16: o.p: expected unique keys, found \"p\" a second time");
  /* a large object takes the sorting path */
  char big[4096];
  size_t at = (size_t)snprintf(big, sizeof big, "{");
  for (int i = 0; i < 40; i++) at += (size_t)snprintf(big + at, sizeof big - at, "\"k%d\": %d, ", i, i);
  int col = (int)at + 1;
  snprintf(big + at, sizeof big - at, "\"k7\": 0}");
  char want[128];
  snprintf(want, sizeof want, "t.json:1:%d: k7: expected unique keys, found \"k7\" a second time", col);
  ASSERT_STR_EQ(parse_error(big), want);
  big[at - 2] = '}';
  big[at - 1] = '\0';
  ASSERT_STR_EQ(parse_error(big), "");
}

static void test_depth(void) {
  enum { D = GP_JSON_MAX_DEPTH };
  char text[2 * (D + 1) + 1];
  for (int i = 0; i < D; i++) text[i] = '[', text[D + i] = ']';
  text[2 * D] = '\0';
  ASSERT_STR_EQ(parse_error(text), ""); /* exactly the limit */
  for (int i = 0; i <= D; i++) text[i] = '[', text[D + 1 + i] = ']';
  text[2 * D + 2] = '\0';
  char want[1024];
  int at = snprintf(want, sizeof want, "t.json:1:%d: $", D + 1);
  for (int i = 0; i < D; i++) at += snprintf(want + at, sizeof want - (size_t)at, "[0]");
  snprintf(want + at, sizeof want - (size_t)at,
           ": expected at most %d nested arrays and objects, found '[' at level %d", D, D + 1);
  ASSERT_STR_EQ(parse_error(text), want);
  /* Far too deep must fail cleanly, not overflow the stack. */
  size_t n = 1000000;
  char *deep = malloc(n + 1);
  ASSERT(deep);
  for (size_t i = 0; i < n; i++) deep[i] = i % 2 ? '[' : '{';
  deep[n] = '\0';
  const char *msg = parse_error(deep);
  free(deep);
  ASSERT_CONTAINS(msg, "t.json:1:2: $: expected valid JSON, found '['");
  deep = malloc(n + 1);
  ASSERT(deep);
  memset(deep, '[', n);
  deep[n] = '\0';
  msg = parse_error(deep);
  free(deep);
  ASSERT_CONTAINS(msg, "t.json:1:65: $[0]");
  ASSERT_CONTAINS(msg, "expected at most 64 nested arrays and objects");
}

static void test_describe(void) {
  gp_json *doc = parse("[0.10, 1e3, -0, \"short\", \"0123456789012345678901234567890123456789xyz\", true, false, "
                       "null, {}, [], \"q\\\"t\\n\"]");
  ASSERT(doc);
  const char *want[] = {"0.10",  "1e3",      "-0",      "\"short\"", "\"0123456789012345678901234567890123456789...\"",
                        "true",  "false",    "null",    "an object", "an array",
                        "\"q\\\"t\\n\""};
  char d[64];
  int i = 0;
  for (const cJSON *c = gp_json_root(doc)->child; c; c = c->next, i++)
    ASSERT_STR_EQ(gp_json_describe(c, d, sizeof d), want[i]);
  ASSERT_EQ(i, 11);
  /* A number made after loading has no literal: shortest round-trip form. */
  cJSON *n = cJSON_CreateNumber(2.5);
  ASSERT_STR_EQ(gp_json_describe(n, d, sizeof d), "2.5");
  cJSON_SetNumberValue(n, 0.1);
  ASSERT_STR_EQ(gp_json_describe(n, d, sizeof d), "0.1");
  cJSON_Delete(n);
  /* A multi-byte character is not cut in half. */
  cJSON *s = cJSON_CreateString("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xC3\xA9z");
  ASSERT_STR_EQ(gp_json_describe(s, d, sizeof d), "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"");
  cJSON_Delete(s);
  /* The literal does not change what cJSON prints. */
  char *printed = cJSON_PrintUnformatted(gp_json_root(doc));
  ASSERT(printed);
  ASSERT_CONTAINS(printed, "[0.1,1000,");
  cJSON_free(printed);
  gp_json_free(doc);
}

static void test_paths(void) {
  char b[64];
  ASSERT_STR_EQ(gp_json_path_key(b, sizeof b, "a.b", "c"), "a.b.c");
  ASSERT_STR_EQ(gp_json_path_key(b, sizeof b, "", "c"), "c");
  ASSERT_STR_EQ(gp_json_path_index(b, sizeof b, "a", 3), "a[3]");
  ASSERT_STR_EQ(gp_json_path_index(b, sizeof b, "", 3), "$[3]");
  char small[6];
  ASSERT_STR_EQ(gp_json_path_key(small, sizeof small, "abc", "def"), "abc.d");
}

static void test_root_and_type_errors(void) {
  gp_json *doc = parse("[1]");
  ASSERT(doc);
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_expect_object(doc, gp_json_root(doc), "", &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json:1:1: $: expected an object, found an array");
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_expect_array(doc, gp_json_root(doc), "", &err), 0);
  ASSERT_EQ(gp_json_expect_array(doc, gp_json_root(doc)->child, "$[0]", &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json:1:2: $[0]: expected an array, found 1");
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_fail(doc, gp_json_root(doc), NULL, &err, "custom %d", 7), -1);
  ASSERT_STR_EQ(err.msg, "t.json:1:1: $: custom 7");
  gp_json_free(doc);
}

static void test_reading(void) {
  const char *text = "{\"n\": 0.5, \"big\": 3, \"s\": \"abc\", \"i\": -3, \"f\": 2.5, \"b\": true,\n"
                     " \"e\": \"c\", \"empty\": \"\", \"lim\": 5, \"z\": 0, \"x\": 1e3, \"neg\": -1,\n"
                     " \"huge\": 9007199254740993, \"o\": {\"deep\": \"no\"}}";
  gp_json *doc = parse(text);
  ASSERT(doc);
  const cJSON *o = gp_json_root(doc);
  double x = -1;
  long long n = -1;
  int b = -1;
  const char *s = NULL;
  gp_err_clear(&err);
  /* good values */
  ASSERT_EQ(gp_json_number(doc, o, "", "n", 1, 0, 1, &x, &err), 0);
  ASSERT_DBL_EQ(x, 0.5);
  ASSERT_EQ(gp_json_int(doc, o, "", "x", 1, 0, 5000, &n, &err), 0);
  ASSERT_EQ(n, 1000);
  ASSERT_EQ(gp_json_int(doc, o, "", "huge", 1, 0, LLONG_MAX, &n, &err), 0);
  ASSERT_EQ(n, 9007199254740993LL); /* exact, past double's 53 bits */
  ASSERT_EQ(gp_json_bool(doc, o, "", "b", 1, &b, &err), 0);
  ASSERT_EQ(b, 1);
  ASSERT_EQ(gp_json_string(doc, o, "", "s", 1, 1, &s, &err), 0);
  ASSERT_STR_EQ(s, "abc");
  ASSERT_EQ(gp_json_string(doc, o, "", "empty", 1, 0, &s, &err), 0);
  ASSERT_STR_EQ(s, "");
  static const char *const ch[] = {"a", "b", "c", NULL};
  ASSERT_EQ(gp_json_enum(doc, o, "", "e", 1, ch, &b, &err), 0);
  ASSERT_EQ(b, 2);
  /* absent and optional: nothing stored */
  x = 42;
  ASSERT_EQ(gp_json_number(doc, o, "", "missing", 0, 0, 1, &x, &err), 0);
  ASSERT_DBL_EQ(x, 42);
  ASSERT_EQ(err.code, 0);

#define FAILS(call, want)                                                                          \
  do {                                                                                             \
    gp_err_clear(&err);                                                                            \
    ASSERT_EQ(call, -1);                                                                           \
    ASSERT_STR_EQ(err.msg, want);                                                                  \
    ASSERT_EQ(err.code, GP_EX_DATAERR);                                                            \
  } while (0)
  FAILS(gp_json_number(doc, o, "", "s", 1, 0, 1, &x, &err), "t.json:1:27: s: expected a number, found \"abc\"");
  FAILS(gp_json_number(doc, o, "", "big", 1, 0, 1, &x, &err),
        "t.json:1:19: big: expected a number in [0, 1], found 3");
  FAILS(gp_json_number(doc, o, "", "neg", 1, 0, HUGE_VAL, &x, &err),
        "t.json:2:60: neg: expected a number >= 0, found -1");
  FAILS(gp_json_number(doc, o, "", "lim", 1, -HUGE_VAL, 4.5, &x, &err),
        "t.json:2:32: lim: expected a number <= 4.5, found 5");
  FAILS(gp_json_number_ex(doc, o, "", "z", 1, 0, HUGE_VAL, GP_JSON_OPEN_MIN, &x, &err),
        "t.json:2:40: z: expected a number > 0, found 0");
  FAILS(gp_json_number_ex(doc, o, "", "z", 1, 0, 1, GP_JSON_OPEN_MIN, &x, &err),
        "t.json:2:40: z: expected a number in (0, 1], found 0");
  FAILS(gp_json_number_ex(doc, o, "", "lim", 1, 0, 5, GP_JSON_OPEN_MAX, &x, &err),
        "t.json:2:32: lim: expected a number in [0, 5), found 5");
  FAILS(gp_json_number(doc, o, "", "x", 1, 0, 1e-9, &x, &err),
        "t.json:2:48: x: expected a number in [0, 1e-09], found 1e3");
  FAILS(gp_json_int(doc, o, "", "i", 1, 1, LLONG_MAX, &n, &err), "t.json:1:39: i: expected an integer >= 1, found -3");
  FAILS(gp_json_int(doc, o, "", "f", 1, 1, 10, &n, &err), "t.json:1:48: f: expected an integer, found 2.5");
  FAILS(gp_json_int(doc, o, "", "big", 1, 4, 10, &n, &err), "t.json:1:19: big: expected an integer in [4, 10], found 3");
  FAILS(gp_json_int(doc, o, "", "big", 1, LLONG_MIN, 2, &n, &err), "t.json:1:19: big: expected an integer <= 2, found 3");
  FAILS(gp_json_int(doc, o, "", "b", 1, 1, 10, &n, &err), "t.json:1:58: b: expected an integer, found true");
  FAILS(gp_json_bool(doc, o, "", "n", 1, &b, &err), "t.json:1:7: n: expected true or false, found 0.5");
  FAILS(gp_json_string(doc, o, "", "n", 1, 0, &s, &err), "t.json:1:7: n: expected a string, found 0.5");
  FAILS(gp_json_string(doc, o, "", "empty", 1, 1, &s, &err),
        "t.json:2:21: empty: expected a non-empty string, found \"\"");
  static const char *const ab[] = {"a", "b", NULL};
  FAILS(gp_json_enum(doc, o, "", "e", 1, ab, &b, &err), "t.json:2:7: e: expected one of \"a\", \"b\", found \"c\"");
  FAILS(gp_json_enum(doc, o, "", "big", 1, ab, &b, &err), "t.json:1:19: big: expected one of \"a\", \"b\", found 3");
  FAILS(gp_json_number(doc, o, "", "missing", 1, 0, 1, &x, &err), "t.json:1:1: $: expected key \"missing\", found none");
  const cJSON *inner = cJSON_GetObjectItemCaseSensitive(o, "o");
  FAILS(gp_json_bool(doc, inner, "o", "deep", 1, &b, &err), "t.json:3:42: o.deep: expected true or false, found \"no\"");
  FAILS(gp_json_bool(doc, inner, "o", "gone", 1, &b, &err), "t.json:3:33: o: expected key \"gone\", found none");
  /* getters are case-sensitive */
  FAILS(gp_json_number(doc, o, "", "N", 1, 0, 1, &x, &err), "t.json:1:1: $: expected key \"N\", found none");
  gp_json_free(doc);
}

static void test_check_keys(void) {
  gp_json *doc = parse("{\"a\": 1,\n \"b\": {\"c\": 2,   \"typo\": 3},\n \"B\": 0}");
  ASSERT(doc);
  const cJSON *root = gp_json_root(doc);
  static const char *const top[] = {"a", "b", "B", NULL};
  static const char *const sub[] = {"c", "d", "note", NULL};
  static const char *const lower[] = {"a", "b", NULL};
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_check_keys(doc, root, "", top, &err), 0);
  ASSERT_EQ(gp_json_check_keys(doc, cJSON_GetObjectItemCaseSensitive(root, "b"), "b", sub, &err), -1);
  /* points at the key, not at its value */
  ASSERT_STR_EQ(err.msg, "t.json:2:18: b.typo: expected one of the keys c, d, note, found \"typo\"");
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_check_keys(doc, root, "", lower, &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json:3:2: B: expected one of the keys a, b, found \"B\"");
  gp_json_free(doc);
}

static void test_replaced_nodes(void) {
  gp_json *doc = parse("{\"a\": 1, \"b\": 2}");
  ASSERT(doc);
  cJSON *root = (cJSON *)gp_json_root(doc);
  cJSON *num = cJSON_CreateNumber(7);
  ASSERT(num);
  ASSERT(cJSON_ReplaceItemInObjectCaseSensitive(root, "a", num));
  int line = -1, col = -1;
  gp_json_pos(doc, num, &line, &col);
  ASSERT_EQ(line, 0);
  ASSERT_EQ(col, 0);
  double x;
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_number(doc, root, "", "a", 1, 0, 5, &x, &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json: a: expected a number in [0, 5], found 7");
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_number(doc, root, "", "b", 1, 3, 5, &x, &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json:1:15: b: expected a number in [3, 5], found 2");
  /* A node put in and marked (a --set value) is named by its mark, and so
   * is everything under it. */
  cJSON *obj = cJSON_CreateObject();
  ASSERT(obj && cJSON_AddStringToObject(obj, "c", "0,6"));
  ASSERT(cJSON_ReplaceItemInObjectCaseSensitive(root, "b", obj));
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_mark(doc, obj, "--set b={\"c\": \"0,6\"}", &err), 0);
  ASSERT_EQ(gp_json_mark(doc, num, "--set a=7", &err), 0);
  gp_json_pos(doc, num, &line, &col);
  ASSERT_EQ(line, 0);
  ASSERT_EQ(gp_json_number(doc, root, "", "a", 1, 0, 5, &x, &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json: --set a=7: a: expected a number in [0, 5], found 7");
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_number(doc, obj, "b", "c", 1, 0, 5, &x, &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json: --set b={\"c\": \"0,6\"}: b.c: expected a number, found \"0,6\" (a JSON "
                         "number has no thousands separator, and a '.' before its decimals)");
  gp_json_free(doc);
}

static void test_number_hints(void) {
  /* A number written as people write it, or in quotes, gets a hint; other
   * strings do not (issue 16, item 2). */
  gp_json *doc = parse("{\"a\": \"52,000\", \"b\": \"5\", \"c\": \"12abc\", \"d\": \"-1.5e3\", \"e\": true}");
  ASSERT(doc);
  const cJSON *r = gp_json_root(doc);
  ASSERT_CONTAINS(gp_json_number_hint(cJSON_GetObjectItemCaseSensitive(r, "a")), "no thousands separator");
  ASSERT_CONTAINS(gp_json_number_hint(cJSON_GetObjectItemCaseSensitive(r, "b")), "a number in quotes is a string");
  ASSERT_STR_EQ(gp_json_number_hint(cJSON_GetObjectItemCaseSensitive(r, "c")), "");
  ASSERT_CONTAINS(gp_json_number_hint(cJSON_GetObjectItemCaseSensitive(r, "d")), "a number in quotes");
  ASSERT_STR_EQ(gp_json_number_hint(cJSON_GetObjectItemCaseSensitive(r, "e")), "");
  long long n;
  gp_err_clear(&err);
  ASSERT_EQ(gp_json_int(doc, r, "", "a", 1, 0, 100000, &n, &err), -1);
  ASSERT_STR_EQ(err.msg, "t.json:1:7: a: expected an integer, found \"52,000\" (a JSON number has no thousands "
                         "separator, and a '.' before its decimals)");
  gp_json_free(doc);
}

static void test_load_file(void) {
  char dir[] = "/tmp/gp_test_json_XXXXXX";
  ASSERT(mkdtemp(dir));
  char path[256], want[512];
  snprintf(path, sizeof path, "%s/missing.json", dir);
  gp_err_clear(&err);
  ASSERT(!gp_json_load_file(path, &err));
  snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
  ASSERT_STR_EQ(err.msg, want);
  ASSERT_EQ(err.code, GP_EX_NOINPUT);
  gp_err_clear(&err);
  ASSERT(!gp_json_load_file(dir, &err));
  snprintf(want, sizeof want, "%s: cannot open: Is a directory", dir);
  ASSERT_STR_EQ(err.msg, want);
  ASSERT_EQ(err.code, GP_EX_NOINPUT);

  snprintf(path, sizeof path, "%s/s.json", dir);
  FILE *f = fopen(path, "w");
  ASSERT(f);
  fputs("{\"k\":\n  [1, 2,\n  ]}\n", f);
  fclose(f);
  gp_err_clear(&err);
  ASSERT(!gp_json_load_file(path, &err));
  snprintf(want, sizeof want, "%s:3:3: k[2]: expected valid JSON, found ']'", path);
  ASSERT_STR_EQ(err.msg, want);
  f = fopen(path, "w");
  ASSERT(f);
  fputs("{\"k\": [1, 2]}\n", f);
  fclose(f);
  gp_err_clear(&err);
  gp_json *doc = gp_json_load_file(path, &err);
  ASSERT(doc);
  ASSERT_STR_EQ(gp_json_name(doc), path);
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(gp_json_root(doc), "k")), 2);
  gp_json_free(doc);

  /* Too large: refused from its size alone (the file is sparse, never read). */
  int fd = open(path, O_WRONLY | O_TRUNC);
  ASSERT(fd >= 0);
  ASSERT_EQ(ftruncate(fd, (off_t)GP_JSON_MAX_BYTES + 1), 0);
  close(fd);
  gp_err_clear(&err);
  ASSERT(!gp_json_load_file(path, &err));
  snprintf(want, sizeof want, "%s:1:1: $: expected a file of at most %u bytes (64 MiB), found %u bytes", path,
           GP_JSON_MAX_BYTES, GP_JSON_MAX_BYTES + 1);
  ASSERT_STR_EQ(err.msg, want);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  unlink(path);
  rmdir(dir);
}

int main(void) {
  RUN(test_positions);
  RUN(test_not_terminated);
  RUN(test_syntax_errors);
  RUN(test_invalid_utf8);
  RUN(test_special_input);
  RUN(test_duplicates);
  RUN(test_depth);
  RUN(test_describe);
  RUN(test_paths);
  RUN(test_root_and_type_errors);
  RUN(test_reading);
  RUN(test_check_keys);
  RUN(test_replaced_nodes);
  RUN(test_number_hints);
  RUN(test_load_file);
  TEST_EXIT();
}
