/*
 * tests/fuzz/fuzz_csv.c - libFuzzer target for the CSV job-list reader
 * (gp_jobs_csv_parse, models/replay/swf.c).
 *
 * The same contract checks as fuzz_swf.c (tests/fuzz/fuzz_trace.h); CSV
 * rows also have status -1 and no header sizes.  Seeds: tests/traces/ (.csv)
 * (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>

#include "models/replay/swf.h"
#include "tests/fuzz/fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gp_err err;
  gp_err_clear(&err);
  gp_trace *t = gp_jobs_csv_parse(FUZZ_TRACE_NAME, (const char *)data, size, &err);
  fuzz_trace_check("fuzz_csv", t, &err, GP_TRACE_CSV);
  gp_trace_free(t);
  return 0;
}
