#!/bin/sh
# tools/test-total.sh - add up the counts of several runs of tests/run.sh.
#
#   sh tools/test-total.sh LABEL LOG...
#
# Each LOG is the output of one run of tests/run.sh, whose last count line
# is "N passed, N failed" (make test's two lanes each run part of a suite).
# Prints "LABEL: N passed, N failed" over all of them ("N passed, N failed"
# when LABEL is empty).  Exit status 1 when a test failed, when a LOG is
# missing or has no count line (its run did not end), or when no test
# passed at all: a suite that ran nothing has not passed.
set -u
[ $# -ge 2 ] || { echo "usage: sh tools/test-total.sh LABEL LOG..." >&2; exit 2; }
label=$1
shift
pass=0
fail=0
rc=0
for log in "$@"; do
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -n 1)
  if [ -z "$line" ]; then
    echo "FAIL: $log: no line \"N passed, N failed\" (the run did not end)"
    rc=1
    continue
  fi
  set -- $line
  pass=$((pass + $1))
  fail=$((fail + $3))
done
[ "$fail" -eq 0 ] || rc=1
[ "$pass" -gt 0 ] || { echo "FAIL: ${label:-the suites}: no test ran"; rc=1; }
echo "${label:+$label: }$pass passed, $fail failed"
exit $rc
