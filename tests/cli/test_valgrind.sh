# tests/cli/test_valgrind.sh - every subcommand of the release binary under
# valgrind's memcheck: no invalid read or write, no use of an uninitialised
# value, no definitely or indirectly lost block, on the normal paths (a
# small run of the baseline with all its policies, M/M/c on two threads, a
# trace replay, compare, export, report, kpi, plot, show of an overlay, diff; a
# two-level run, discover and its report; the report of a sensitivity file; a
# selection on two threads, to its cap: exit 75) and
# on error paths (a broken scenario, an overlay broken in its base, a cycle
# of overlays, a broken trace, a corrupt result file).  The summary line of
# each run is kept in $T so a failure shows what valgrind found.
#
# Skipped (no PASS or FAIL) when the binary under test is a sanitizer build:
# ASan and valgrind cannot share a process; the release suite runs it.
. tests/cli/lib.sh

if [ -n "${GP_SANITIZED:-}" ]; then
  echo "# valgrind: skipped under the sanitizers (the release suite runs it)"
  exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
  echo "FAIL: valgrind: not installed (apt-get install valgrind)"
  exit 0
fi

S=$T/vg
mkdir -p "$S"

# vg NAME CODE ARGS...: gpuplan ARGS under memcheck exits CODE (99 is
# valgrind's own: an error or a leak) and valgrind reports nothing.
vg() {
  _n=$1
  _c=$2
  shift 2
  expect_exit "valgrind: $_n: exit $_c, no memory error, no leak" "$_c" \
    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    --log-file="$S/$_n.log" "$GPUPLAN" "$@"
  check "valgrind: $_n: log empty" test ! -s "$S/$_n.log"
  [ -s "$S/$_n.log" ] && head -n 20 "$S/$_n.log" | sed 's/^/    /'
  return 0
}

# Two lanes at once (memcheck runs a program on one core); each lane has
# its own scratch files ($T) and prints its lines when done.
(
  T=$S/lane-a
  mkdir -p "$T"
  vg baseline 0 run --reps 1 --threads 1 -q -o "$S/baseline.h5"
  vg compare 0 compare "$S/baseline.h5"
  vg report 0 report "$S/baseline.h5" -o "$S/report.html"
  vg kpi 0 kpi "$S/baseline.h5" --format csv -o "$S/kpi.csv"
  vg kpi-old-file 65 kpi tests/never/v1.h5
  vg validate-broken 65 validate tests/bad/nan.json
  vg show-overlay 0 show scenarios/variants/small-panel.json
  vg diff-variant 1 diff scenarios/baseline.json scenarios/variants/demand-high.json
  vg show-bad-base 65 show tests/overlays/bad-in-base.json
  vg show-cycle 65 show tests/overlays/bad-cycle.json
  vg select-two-threads 75 select tests/uncertain/small.json --metric mean_days_to_gpu --minimize \
    --delta 0.5 --n0 3 --max-reps 8 --threads 2 -o "$S/select.h5"
) >"$S/lane-a.out" 2>&1 &
(
  T=$S/lane-b
  mkdir -p "$T"
  # (three years of M/M/c, not sixty: the same code paths, a twentieth of the time)
  vg mmc-two-threads 0 run scenarios/validation/mmc.json --reps 3 --threads 2 -q \
    --set end='"2003-01-01"' --set measure_from='"2001-01-01"' -o "$S/mmc.h5"
  vg export 0 export "$S/mmc.h5" -d "$S/csv"
  vg plot 0 plot "$S/mmc.h5" -d "$S/charts"
  vg replay 0 replay tests/traces/small.swf --policy easy -o "$S/replay.h5"
  vg replay-broken 65 replay tests/traces/unsorted.swf --policy fcfs -o "$S/replay-bad.h5"
  printf 'not a result file\n' >"$S/text.h5"
  vg compare-broken 65 compare "$S/text.h5"
  vg uncertain 0 run tests/discover/slip.json --uncertain --reps 64 -q -o "$S/u.h5"
  vg discover 0 discover "$S/u.h5" --csv "$S/traj.csv"
  vg report-uncertain 0 report "$S/u.h5" -o "$S/u.html"
  $PY tests/discover/sens_file.py "$S/sens.h5" sobol
  vg report-sensitivity 0 report "$S/sens.h5" -o "$S/sens.html"
) >"$S/lane-b.out" 2>&1
wait
cat "$S/lane-a.out" "$S/lane-b.out"
