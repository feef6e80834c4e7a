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

# signal_case NAME SIG DELAY CODE CMD... : run CMD in the background (stdout
# and stderr to $T/out, $T/err), send it SIG after DELAY seconds, and expect
# it to end with exit CODE within 2 s of the signal.  A CMD that ended
# before DELAY had nothing to interrupt: that passes, saying so (the input
# is then too small for this machine and should grow).  DELAY may be
# file:PATH: the signal goes as soon as PATH exists (at most 60 s), for a
# stage that a slow build (the sanitizers') reaches late.
signal_case() {
  _name=$1 _sig=$2 _delay=$3 _want=$4
  shift 4
  rm -f "$T/rc" "$T/pid"
  (sh -c 'echo $$ >"$0"; exec "$@"' "$T/pid" "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc") &
  case $_delay in
  file:*)
    _i=0
    while [ ! -e "${_delay#file:}" ] && [ ! -f "$T/rc" ] && [ "$_i" -lt 600 ]; do
      sleep 0.1
      _i=$((_i + 1))
    done
    ;;
  *) sleep "$_delay" ;;
  esac
  if [ -f "$T/rc" ]; then
    wait
    echo "PASS: $_name (it ended within $_delay s: nothing to interrupt)"
    return
  fi
  kill -s "$_sig" "$(cat "$T/pid")"
  _i=0
  while [ ! -f "$T/rc" ] && [ "$_i" -lt 20 ]; do
    sleep 0.1
    _i=$((_i + 1))
  done
  if [ ! -f "$T/rc" ]; then
    kill -s KILL "$(cat "$T/pid")" 2>/dev/null
    wait
    echo "FAIL: $_name: still running 2 s after SIG$_sig"
    return
  fi
  wait
  _got=$(cat "$T/rc")
  if [ "$_got" -eq "$_want" ]; then
    echo "PASS: $_name"
  else
    echo "FAIL: $_name: exit $_got, expected $_want"
    sed 's/^/    /' "$T/err" | head -n 5
  fi
}

# caught PID SIGNUM: wait (at most 30 s) until process PID catches signal
# SIGNUM (bit SIGNUM-1 of SigCgt in /proc/PID/status).  A background job of
# a non-interactive shell starts with SIGINT ignored: a SIGINT sent before
# the program installs its handler is lost, and the program runs on to its
# end.  Fails if PID is gone or never catches it.
caught() {
  _i=0
  while [ "$_i" -lt 300 ]; do
    _m=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
    [ -n "$_m" ] || return 1
    _m=${_m#"${_m%????????}"} # its last 8 hex digits: signals 1 to 32
    [ $((0x$_m >> ($2 - 1) & 1)) -eq 1 ] && return 0
    sleep 0.05
    _i=$((_i + 1))
  done
  return 1
}

# $GPUPLAN_INPUT makes the result files that a test then reads with the
# command under test (export, plot, report, compare, ...).  Under the
# sanitizers it is the release binary when make check passes one
# ($GPUPLAN_RELEASE): such a run is the release suite's to check, and the
# sanitizers' time goes to the commands under test; runs whose own output is
# checked (and any run of an unusual kind) stay with $GPUPLAN.
GPUPLAN_INPUT=$GPUPLAN
if [ -n "${GP_SANITIZED:-}" ] && [ -x "${GPUPLAN_RELEASE:-}" ]; then
  GPUPLAN_INPUT=$GPUPLAN_RELEASE
fi
