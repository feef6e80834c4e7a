# tests/cli/lib.sh - helpers for the command-line tests (sourced).
#
#   check NAME CONDITION...   run CONDITION (a command); print PASS/FAIL NAME
#   expect_exit NAME CODE CMD...   run CMD, compare its exit status
# Scratch files go to $T, a fresh directory under $GP_TEST_TMP.
set -u
: "${GPUPLAN:?}"
T=$(mktemp -d "${GP_TEST_TMP:-/tmp}/cli.XXXXXX")
PY=/usr/bin/python3

check() {
  _name=$1
  shift
  if "$@"; then echo "PASS: $_name"; else echo "FAIL: $_name"; fi
}

# expect_exit NAME CODE CMD... : stdout/stderr of CMD go to $T/out and $T/err
expect_exit() {
  _name=$1
  _want=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  _got=$?
  if [ "$_got" -eq "$_want" ]; then
    echo "PASS: $_name"
  else
    echo "FAIL: $_name: exit $_got, expected $_want"
    sed 's/^/    /' "$T/err" | head -n 5
  fi
}
