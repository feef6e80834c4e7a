#!/bin/sh
# tests/run.sh - run every test and count.
#
# Runs the unit-test programs in $BUILD/tests/ and the scripts tests/cli/*.sh.
# Each prints one "PASS: name" or "FAIL: name" line per test; this script
# prints them, the output of failing programs, and a last line
# "N passed, N failed".  Exit status 0 only when nothing failed.
#
# Environment: GPUPLAN (the binary under test), BUILD (its build directory);
# GP_TEST_CLAIMS, when set, a directory shared by several runs of this
# script over the same suite (make test's two lanes): a test runs in the run
# that first makes its entry there (mkdir is atomic), so each test runs
# once, and each run counts the tests it ran.
set -u
: "${GPUPLAN:?set GPUPLAN to the gpuplan binary}"
: "${BUILD:?set BUILD to the build directory}"
export GPUPLAN BUILD
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export TMPDIR="${TMPDIR:-/tmp}"
work=$(mktemp -d "$TMPDIR/gpuplan-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
export GP_TEST_TMP="$work"

# A claims directory that is not there would make every claim fail, and
# this run would pass having run nothing.
if [ -n "${GP_TEST_CLAIMS:-}" ] && [ ! -d "$GP_TEST_CLAIMS" ]; then
  echo "FAIL: GP_TEST_CLAIMS=$GP_TEST_CLAIMS is not a directory"
  echo "0 passed, 1 failed"
  exit 1
fi

pass=0
fail=0
crashed=""

run_one() { # name command...
  name=$1
  shift
  if [ -n "${GP_TEST_CLAIMS:-}" ] && ! mkdir "$GP_TEST_CLAIMS/$name" 2>/dev/null; then
    return 0 # another run took it
  fi
  log="$work/log.$$"
  start=$(date +%s)
  "$@" >"$log" 2>&1
  rc=$?
  p=$(grep -c '^PASS: ' "$log")
  f=$(grep -c '^FAIL: ' "$log")
  grep -E '^(PASS|FAIL): ' "$log"
  if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
    echo "---- output of $name (exit $rc) ----"
    grep -vE '^PASS: ' "$log" | head -n 60
    echo "----"
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "FAIL: $name (exited $rc)"
  fi
  pass=$((pass + p))
  fail=$((fail + f))
  echo "# $name: $(( $(date +%s) - start )) s"
}

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  case "$t" in *.d|*.o) continue ;; esac
  run_one "$(basename "$t")" "$t"
done
for t in tests/cli/*.sh; do
  run_one "$(basename "$t")" sh "$t"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
