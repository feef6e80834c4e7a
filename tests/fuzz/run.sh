#!/bin/sh
# tests/fuzz/run.sh - replay the crash reproducers, then fuzz each target.
#
#   sh tests/fuzz/run.sh DIR SECONDS [NAME...]
#
# DIR holds the libFuzzer programs fuzz_NAME (built by `make fuzz`); NAME is
# scenario, swf, csv or reader (default: every fuzz_* in DIR).  For each target:
#   1. every file tests/fuzz/crashes/NAME-* (inputs that once crashed or
#      broke the contract) runs once: each must pass now;
#   2. the target fuzzes for SECONDS seconds from its seeds (the shipped
#      files: scenarios/, tests/bad/, tests/traces/; for the reader, result
#      files written by $GPUPLAN from tests/fuzz/reader-seed.json, one plain
#      and one a sweep, and its reproducers) and its own growing corpus in
#      DIR/corpus/NAME (kept between runs, never committed).
# A crash, leak, hang (> 10 s on one input), an allocation over 2 GB or a
# broken contract leaves the input in DIR/artifacts/ and fails the target.
# libhdf5's own leaks on its error paths are suppressed (tests/lsan.supp).  Prints one PASS/FAIL line
# per target with its executions, like the other test scripts; exits 1 if
# any failed.  FUZZ_JOBS=K runs K targets at once (default 1).
#
# To look at one input: DIR/fuzz_NAME FILE runs it once and prints what the
# sanitizers or the contract checks say.  A reproducer worth keeping goes to
# tests/fuzz/crashes/NAME-WHAT.EXT (and, for scenarios, its exact error line
# to tests/bad/ once fixed).
set -u
dir=${1:?usage: run.sh DIR SECONDS [NAME...]}
secs=${2:?usage: run.sh DIR SECONDS [NAME...]}
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
names=$*
if [ -z "$names" ]; then
  for b in "$dir"/fuzz_*; do
    [ -x "$b" ] || continue
    case "$b" in *.d | *.o) continue ;; esac
    names="$names ${b##*/fuzz_}"
  done
fi
[ -n "$names" ] || { echo "FAIL: fuzz: no fuzz_* programs in $dir"; exit 1; }

seeds_of() {
  case "$1" in
  scenario) ls scenarios/*.json scenarios/*/*.json tests/bad/*.json 2>/dev/null ;;
  swf) ls tests/traces/*.swf 2>/dev/null ;;
  csv) ls tests/traces/*.csv 2>/dev/null ;;
  reader) ls tests/fuzz/crashes/reader-* 2>/dev/null ;;
  esac
}

# The reader's seeds are result files: written afresh, so that they follow
# the format (needs GPUPLAN, the release binary; `make fuzz` sets it).
reader_seeds() { # DIR
  s=tests/fuzz/reader-seed.json
  if [ -z "${GPUPLAN:-}" ] || [ ! -x "$GPUPLAN" ]; then
    echo "GPUPLAN is not set to a gpuplan binary: no result files to start from" >>"$dir/log.reader"
    return 1
  fi
  "$GPUPLAN" run "$s" -q -o "$1/plain.h5" >>"$dir/log.reader" 2>&1 &&
    "$GPUPLAN" run "$s" -q -o "$1/sweep.h5" --sweep "demand.streams[0].rate_per_day=0.1,0.3" \
      >>"$dir/log.reader" 2>&1
}

fuzz_one() { # NAME -> writes $dir/log.NAME, returns the status
  name=$1
  bin=$dir/fuzz_$name
  log=$dir/log.$name
  corpus=$dir/corpus/$name
  seeds=$dir/seeds/$name
  mkdir -p "$corpus" "$seeds" "$dir/artifacts"
  : >"$log"
  # 1. the reproducers: each runs once and must pass.
  for f in tests/fuzz/crashes/"$name"-*; do
    [ -f "$f" ] || continue
    if ! LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0" "$bin" "$f" >>"$log" 2>&1; then
      echo "reproducer $f fails again" >>"$log"
      return 1
    fi
  done
  # 2. fuzz from the shipped files and the corpus so far.
  for f in $(seeds_of "$name"); do cp "$f" "$seeds/"; done
  if [ "$name" = reader ]; then reader_seeds "$seeds" || return 1; fi
  dict=""
  [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
  # shellcheck disable=SC2086
  LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0" \
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$name-" $dict "$corpus" "$seeds" >>"$log" 2>&1
}

summary() { # NAME STATUS
  log=$dir/log.$1
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  n=$(ls "$dir/corpus/$1" 2>/dev/null | wc -l)
  if [ "$2" -eq 0 ]; then
    echo "PASS: fuzz $1: ${runs:-0} executions in $secs s, corpus $n inputs"
  else
    echo "FAIL: fuzz $1 (exit $2): see $log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz_[a-z]+: |reproducer )' "$log" | head -n 8 | sed 's/^/    /'
    ls "$dir"/artifacts/"$1"-* 2>/dev/null | sed 's/^/    input: /'
  fi
}

fail=0
jobs=${FUZZ_JOBS:-1}
set -- $names
while [ $# -gt 0 ]; do
  batch=""
  k=0
  while [ $# -gt 0 ] && [ "$k" -lt "$jobs" ]; do
    batch="$batch $1"
    shift
    k=$((k + 1))
  done
  for name in $batch; do
    (fuzz_one "$name"; echo $? >"$dir/status.$name") &
  done
  wait
  for name in $batch; do
    st=$(cat "$dir/status.$name" 2>/dev/null || echo 1)
    summary "$name" "$st"
    [ "$st" -eq 0 ] || fail=1
  done
done
exit $fail
