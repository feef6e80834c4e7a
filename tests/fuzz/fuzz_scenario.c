/*
 * tests/fuzz/fuzz_scenario.c - libFuzzer target for the scenario loader
 * (gp_scenario_parse: models/scenario/: the JSON reader, the format catalogue, every section).
 *
 * Besides crashes, leaks and undefined behaviour (the sanitizers), it checks
 * the loader's contract on every input and aborts when it is broken:
 *  - a refusal carries code 65 (bad data) or 71 (out of memory), never 70
 *    (the scanner and cJSON disagreeing) or anything else;
 *  - its message is one line and, for code 65, starts with the name given;
 *  - an accepted scenario's resolved JSON (what a result file stores as
 *    /scenario) loads again, unchanged in its counts.
 * Seeds: scenarios/ and tests/bad/ (*.json) (tests/fuzz/run.sh); keys in
 * tests/fuzz/scenario.dict.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz.json"

static void broken(const char *what, const gp_err *err) {
  fprintf(stderr, "fuzz_scenario: %s (code %d): %s\n", what, err->code, err->msg);
  abort();
}

static void check_refusal(const gp_err *err) {
  if (err->code != GP_EX_DATAERR && err->code != GP_EX_OSERR) broken("unexpected error code", err);
  if (strchr(err->msg, '\n')) broken("message of more than one line", err);
  if (err->code == GP_EX_DATAERR && strncmp(err->msg, NAME ":", sizeof NAME) != 0)
    broken("message without the file name", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gp_err err;
  gp_err_clear(&err);
  gp_scenario *s = gp_scenario_parse(NAME, (const char *)data, size, NULL, &err);
  if (!s) {
    check_refusal(&err);
    return 0;
  }
  if (err.code) broken("accepted with an error set", &err);
  char *text = gp_scenario_json(s);
  if (text) {
    gp_scenario *again = gp_scenario_parse("resolved.json", text, strlen(text), NULL, &err);
    if (!again) {
      if (err.code != GP_EX_OSERR) broken("resolved scenario refused", &err);
    } else if (again->ntranches != s->ntranches || again->ncalls != s->ncalls ||
               again->nstreams != s->nstreams || again->ndesignated != s->ndesignated ||
               again->npolicies != s->npolicies || again->replications != s->replications) {
      broken("resolved scenario differs", &err);
    }
    gp_scenario_free(again);
    free(text);
  }
  gp_scenario_free(s);
  return 0;
}
