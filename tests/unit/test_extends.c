/*
 * tests/unit/test_extends.c - "extends" from the library's side
 * (models/scenario/extends.c): a text with no file behind it never opens
 * one (gp_scenario_parse refuses "extends" at its position, so the fuzzer
 * cannot make the loader read files), the text of a file read by the
 * caller resolves its chain from the file's directory
 * (gp_scenario_parse_file, the plan's way), the chain of files, and an
 * error in a base named by the base's own position.  The merge rules
 * themselves: tests/cli/test_overlays.sh.
 */
#include <stdlib.h>
#include <string.h>

#include "models/scenario/json.h"
#include "models/scenario/scenario.h"
#include "tests/test.h"

#define OVERLAY "{\"extends\": \"base.json\", \"name\": \"over\", \"seed\": 9}"

static void test_text_refuses_extends(void) {
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse("fuzz.json", OVERLAY, strlen(OVERLAY), NULL, &err);
  ASSERT(s == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  ASSERT_STR_EQ(err.msg, "fuzz.json:1:13: extends: expected no \"extends\" in a scenario given as text "
                         "(it has no file to be relative to), found \"base.json\"");
}

static void test_file_text_resolves(void) {
  gp_err err;
  gp_err_clear(&err);
  /* As if read from tests/overlays/over.json: base.json is its neighbour. */
  gp_scenario *s = gp_scenario_parse_file("tests/overlays/over.json", OVERLAY, strlen(OVERLAY), NULL, &err);
  ASSERT_STR_EQ(err.msg, "");
  ASSERT(s != NULL);
  ASSERT_STR_EQ(s->name, "over");
  ASSERT_EQ((long long)s->seed, 9);
  ASSERT_EQ(s->ntranches, 3);
  ASSERT_EQ(gp_scenario_nfiles(s), 2);
  ASSERT_STR_EQ(gp_scenario_file_at(s, 0), "tests/overlays/over.json");
  ASSERT_STR_EQ(gp_scenario_file_at(s, 1), "tests/overlays/base.json");
  char *json = gp_scenario_json(s);
  ASSERT(json != NULL);
  ASSERT(strstr(json, "extends") == NULL);
  /* The resolved text loads again as it is, with nothing to resolve. */
  gp_scenario *again = gp_scenario_parse("resolved.json", json, strlen(json), NULL, &err);
  ASSERT(again != NULL);
  ASSERT_EQ(again->ntranches, 3);
  gp_scenario_free(again);
  free(json);
  gp_scenario_free(s);
}

static void test_error_in_base(void) {
  gp_err err;
  gp_err_clear(&err);
  const char *text = "{\"extends\": \"base-bad-nodes.json\", \"name\": \"x\"}";
  gp_scenario *s = gp_scenario_parse_file("tests/overlays/x.json", text, strlen(text), NULL, &err);
  ASSERT(s == NULL);
  ASSERT_EQ(err.code, GP_EX_DATAERR);
  ASSERT_STR_EQ(err.msg, "tests/overlays/base-bad-nodes.json:8:63: roadmap.tranches[0].nodes: expected "
                         "an integer in [1, 10000000], found -3");
}

int main(void) {
  RUN(test_text_refuses_extends);
  RUN(test_file_text_resolves);
  RUN(test_error_in_base);
  TEST_EXIT();
}
