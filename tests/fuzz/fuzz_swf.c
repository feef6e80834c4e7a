/*
 * tests/fuzz/fuzz_swf.c - libFuzzer target for the Standard Workload Format
 * reader (gp_swf_parse, models/replay/swf.c).
 *
 * Besides the sanitizers' findings it aborts when the reader breaks its
 * contract (models/replay/swf.h): a refusal must carry code 65 or 71 and a one-line
 * message starting with the name given; an accepted trace must keep the
 * invariants the header states (submit >= 0, non-decreasing, finite; runtime
 * and estimate >= 0 or -1; procs >= 0 or -1; status in -1..5; lines
 * increasing).  Seeds: tests/traces/ (.swf) (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>

#include "models/replay/swf.h"
#include "tests/fuzz/fuzz_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gp_err err;
  gp_err_clear(&err);
  gp_trace *t = gp_swf_parse(FUZZ_TRACE_NAME, (const char *)data, size, &err);
  fuzz_trace_check("fuzz_swf", t, &err, GP_TRACE_SWF);
  gp_trace_free(t);
  return 0;
}
