/*
 * models/run/alloc.c - the rules' scratch memory (gp_rule_alloc,
 * models/rules/rule.h): an allocation that fails the run with an error
 * instead of leaving a rule to make another decision.
 *
 * Alone in its file on purpose: a test (tests/unit/test_rule_oom.c) links
 * its own gp_rule_alloc in place of this one, to fail chosen allocations,
 * with no hook in the library.  Keep nothing else in this file.
 */
#include <stdint.h>
#include <stdlib.h>

#include "models/rules/rule.h"

void *gp_rule_alloc(gp_run *run, size_t n, size_t size) {
  size_t bytes = n * size;
  void *p = size && n > SIZE_MAX / size ? NULL : malloc(bytes ? bytes : 1);
  if (!p) gp_rule_fail(run, GP_EX_OSERR, "out of memory");
  return p;
}
