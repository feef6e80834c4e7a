#!/bin/sh
# bench/run.sh - run every benchmark case; `make bench-run` calls it.
#
# Prints one line per case,
#     name size events/s ns/event peak_rss_mib
# ("events" are what the case counts: kernel events, policy-replications,
# proposals; see bench/README.md), the median of RUNS runs (by events/s),
# and '#' comment lines with what the numbers mean.  Seeds and sizes are
# fixed, so a line can be compared with the same line of an earlier build.
#
# Environment:
#   BUILD        build directory holding bench/ programs (set by make)
#   GPUPLAN      the gpuplan binary (set by make)
#   RUNS         runs per case for the median (default 5)
#   BENCH_CLOCK  cpu: time single-threaded library cases on the process's CPU
#                clock instead of the wall clock (for a machine shared with
#                other work; end-to-end and threaded cases are always wall)
#   BENCH_FULL   1: also the baseline's 4 x 1000 (3-4 minutes more) and the
#                x1000 scaling case without failures (about a minute more)
set -eu
set -f # scenario paths like demand.streams[0] are not globs
: "${BUILD:?set BUILD to the build directory}"
: "${GPUPLAN:?set GPUPLAN to the gpuplan binary}"
RUNS=${RUNS:-5}
FULL=${BENCH_FULL:-0}
B=$BUILD/bench
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gpuplan-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# median N CMD...: run CMD N times; print, per case name, the line with the
# median events/s, then the comment lines of the first run.
median() {
  _runs=$1
  shift
  : >"$tmp/lines"
  : >"$tmp/notes"
  _i=0
  while [ "$_i" -lt "$_runs" ]; do
    "$@" >"$tmp/out"
    grep -v '^#' "$tmp/out" >>"$tmp/lines" || true
    [ "$_i" -eq 0 ] && { grep '^#' "$tmp/out" >>"$tmp/notes" || true; }
    _i=$((_i + 1))
  done
  # Keep the order in which cases first appear; middle line by rate.
  awk '!seen[$1]++ { print $1 }' "$tmp/lines" >"$tmp/names"
  while read -r _name; do
    awk -v k="$_name" '$1 == k' "$tmp/lines" | sort -k3,3g |
      awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'
  done <"$tmp/names"
  cat "$tmp/notes"
}

echo "# gpuplan benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')," \
  "clock ${BENCH_CLOCK:-wall}, median of $RUNS"

echo "# -- kernel: hold model, N pending, 10^7 events after a 10^6-event warm-up"
for n in 1000 100000 1000000; do
  for d in exp unif bimodal; do
    median "$RUNS" "$B/hold" "$d" "$n" 10000000
  done
done
echo "# -- kernel before the ladder queue (binary heap, bench/heap_ref.c), same model"
for n in 1000 100000 1000000; do
  median "$RUNS" "$B/hold-heap" exp "$n" 5000000 | sed 's/^hold-/heap-hold-/; s/^# hold-/# heap-hold-/'
done

echo "# -- M/M/c, c = 8, rho = 0.9, 10^6 customers"
median "$RUNS" "$B/mmc" 1000000
# The same as a gpuplan scenario: 100 years (the longest a scenario may run)
# at 28.8 arrivals a day and a mean service of 6 hours (rho = 0.9), about
# 1.05 million customers; through the library (events = kernel events) ...
mmc_sets="--set end=\"2099-12-31\" --set demand.streams[0].rate_per_day=28.8"
mmc_dur='demand.streams[0].duration_days={"dist":"exponential","mean":0.25}'
# shellcheck disable=SC2086
median "$RUNS" "$B/programme" mmc-gpuplan scenarios/validation/mmc.json --reps 1 \
  $mmc_sets --set "$mmc_dur"
# ... and end to end through the binary (events = customers; HDF5 included).
# shellcheck disable=SC2086
median "$RUNS" "$B/timecmd" mmc-gpuplan-binary 1052449 1052449 -- "$GPUPLAN" run \
  scenarios/validation/mmc.json --reps 1 --detail 0 --threads 1 -q -o "$tmp/mmc.h5" \
  $mmc_sets --set "$mmc_dur"

echo "# -- baseline scenario, 4 policies (score, fcfs, quota, lottery)"
pols=score,fcfs,quota,lottery
median "$RUNS" "$B/programme" baseline-lib scenarios/baseline.json --reps 20 --policy "$pols"
# ... and its lean runs (no tail and equity metrics), as the decision layer's
# runs are when their metrics allow: the difference is what those metrics cost.
median "$RUNS" "$B/programme" baseline-lib-lean scenarios/baseline.json --reps 20 --policy "$pols" \
  --lean
for reps in 100 $([ "$FULL" = 1 ] && echo 1000); do
  n=$((4 * reps))
  median "$RUNS" "$B/timecmd" "baseline-r$reps-t1" "$n" "$n" -- "$GPUPLAN" run \
    scenarios/baseline.json --reps "$reps" --policy "$pols" --threads 1 -q -o "$tmp/b.h5"
  median "$RUNS" "$B/timecmd" "baseline-r$reps-tall" "$n" "$n" -- "$GPUPLAN" run \
    scenarios/baseline.json --reps "$reps" --policy "$pols" -q -o "$tmp/b.h5"
done

echo "# -- sensitivity (issue 18's target: under 30 s on 2 cores): Morris on bench/sensitivity20.json,"
echo "#    20 factors x 10 trajectories = 210 points x 20 replications of policy score (events are"
echo "#    policy-replications); one run, all cores"
"$B/timecmd" morris-20x10x20 4200 4200 -- "$GPUPLAN" sensitivity bench/sensitivity20.json \
  --method morris --trajectories 10 --reps 20 --policy score -q -o "$tmp/sens.h5"

echo "# -- sizing (issue 19 item 4, issue 22 item 3): gpuplan size on the baseline, the fewest"
echo "#    reviewers (20:400) for p90_days_to_decision <= 90, 10 replications a candidate, policy"
echo "#    score, all cores, once; events are sizing questions (1), see the '#' line for the time"
"$B/timecmd" size-reviewers 1 1 -- "$GPUPLAN" size scenarios/baseline.json --knob review.reviewers \
  --range 20:400 --integer --target 'p90_days_to_decision<=90' --reps 10 --policy score -q \
  -o "$tmp/size.h5"
echo "# -- selection (issue 22, item 3): Kim-Nelson among the baseline's 7 policies on"
echo "#    mean_days_to_gpu, delta 0.25 days (a sequential run: stages after n0 = 10); events are"
echo "#    the policy-replications it used (/select's reps_total, read after the run); once, all cores"
"$B/timecmd" select-7 7 1 -- "$GPUPLAN" select scenarios/baseline.json --metric mean_days_to_gpu \
  --minimize --delta 0.25 -q -o "$tmp/sel.h5" >"$tmp/sel.line"
cost=$(h5dump -a /select/reps_total "$tmp/sel.h5" | awk '/\(0\):/ { print $2 }')
# timecmd counted 1 unit: rescale its rate and time per unit to the cost.
awk -v c="$cost" '/^#/ { print; next } { printf "%s %s %.4g %.4g %s\n", $1, $2, $3 * c, $4 / c, $5 }' "$tmp/sel.line"

echo "# -- scaling: the baseline x K (bench/scale), 1 replication, policy score, no detail"
for k in 1 10 100 1000; do
  "$B/scale" "$k" scenarios/baseline.json "$tmp/x$k.json"
  "$B/scale" "$k" scenarios/baseline.json "$tmp/x$k-nofail.json" --no-failures
done
# Events are proposals, nominally K x 10,316 (the baseline's mean).
# (x1000 without failures, a minute more, only with BENCH_FULL=1: it keeps the
# whole run within 5 minutes.)
for k in 1 10 100 1000; do
  for v in "" -nofail; do
    [ "$k$v" = 1000-nofail ] && [ "$FULL" != 1 ] && continue
    runs=$RUNS
    [ "$k" -ge 100 ] && runs=1
    median "$runs" "$B/timecmd" "scale-x$k$v" "$k" $((k * 10316)) -- "$GPUPLAN" run \
      "$tmp/x$k$v.json" --reps 1 --detail 0 --policy score --threads 1 -q -o "$tmp/s.h5"
  done
done

echo "# -- contended jobs (bench/contend): N jobs on 64 GPUs, every one ends at half its estimate;"
echo "#    gpuplan replay under easy and conservative backfilling (events are jobs)"
# 10,000 jobs under conservative take minutes: only with BENCH_FULL=1.
for n in 1000 4000 $([ "$FULL" = 1 ] && echo 10000); do
  "$B/contend" "$n" "$tmp/contend$n.swf"
  for pol in easy conservative; do
    runs=$RUNS
    [ "$n" -ge 4000 ] && [ "$pol" = conservative ] && runs=1
    median "$runs" "$B/timecmd" "contend-$pol" "$n" "$n" -- "$GPUPLAN" replay "$tmp/contend$n.swf" \
      --policy "$pol" -o "$tmp/c.h5"
  done
done
