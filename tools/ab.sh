#!/bin/sh
# tools/ab.sh - is build B faster than build A?  A paired comparison for a
# noisy machine.
#
#   tools/ab.sh [-n PAIRS] A B [PROGRAMME ARGS...]     (PAIRS even, >= 4; default 8)
#
# A and B are two builds of bench/programme (e.g. build/cc-release/bench/
# programme of two worktrees; `make bench` builds it).  Each pair runs A and
# B at the same time, one per core (taskset), swapping cores every pair, so
# that both see the same moment of the machine: on the 2-core VM of
# bench/README.md the wall clock of one program wandered by 30% from one
# minute to the next, while the two halves of a pair stayed within about 2%
# of each other.  Each side's time is the CPU time programme reports for its
# world generation and runs (BENCH_CLOCK=cpu).  The two cores need not be
# equally fast (on that VM one was 4% slower), so pairs come in couples, A on
# core 0 then A on core 1, and a couple's ratio is the geometric mean of its
# two pairs' B/A.  Prints one line per pair, then the mean of the couples'
# ratios with an approximate 95% interval (mean +- t * sd / sqrt(couples));
# an A/A comparison shows the noise.
#
# Default arguments: the baseline, 4 policies x 50 replications.  Needs two
# cores and taskset (util-linux).
set -eu
pairs=8
if [ "${1:-}" = -n ]; then
  [ $# -ge 2 ] || { echo "usage: tools/ab.sh [-n PAIRS] A B [ARGS...]" >&2; exit 64; }
  pairs=$2
  shift 2
fi
[ $# -ge 2 ] || { echo "usage: tools/ab.sh [-n PAIRS] A B [ARGS...]" >&2; exit 64; }
case $pairs in
'' | *[!0-9]*) bad=1 ;;
*) bad=$(((pairs < 4) || (pairs % 2))) ;;
esac
[ "$bad" = 0 ] || { echo "ab: PAIRS must be an even integer >= 4, not '$pairs'" >&2; exit 64; }
a=$1 b=$2
shift 2
for x in "$a" "$b"; do
  [ -x "$x" ] || { echo "ab: $x: not an executable (make bench builds bench/programme)" >&2; exit 66; }
done
command -v taskset >/dev/null || { echo "ab: taskset not found (apt-get install util-linux)" >&2; exit 69; }
[ $# -gt 0 ] || set -- baseline-lib scenarios/baseline.json --reps 50 --policy score,fcfs,quota,lottery
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ab.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# seconds FILE: world + runs seconds from programme's '# NAME: ... world W s, runs R s' line
seconds() {
  sed -n 's/.*world \([0-9.]*\) s, runs \([0-9.]*\) s.*/\1 \2/p' "$1" | awk '{ print $1 + $2; exit }'
}

i=1
while [ "$i" -le "$pairs" ]; do
  ca=$((i % 2)) cb=$(((i + 1) % 2))
  BENCH_CLOCK=cpu taskset -c "$ca" "$a" "$@" >"$tmp/a" &
  pa=$!
  BENCH_CLOCK=cpu taskset -c "$cb" "$b" "$@" >"$tmp/b" &
  pb=$!
  wait "$pa" || { echo "ab: $a failed" >&2; exit 70; }
  wait "$pb" || { echo "ab: $b failed" >&2; exit 70; }
  ta=$(seconds "$tmp/a") tb=$(seconds "$tmp/b")
  if [ -z "$ta" ] || [ -z "$tb" ]; then
    echo "ab: no timing line in programme's output" >&2
    exit 70
  fi
  echo "$ta $tb" >>"$tmp/pairs"
  i=$((i + 1))
done
awk '
  { printf "pair %d (A on core %d): A %.3f s, B %.3f s, B/A %.3f\n", NR, NR % 2, $1, $2, $2 / $1
    r[NR] = $2 / $1; sa += $1; sb += $2 }
  END {
    n = NR / 2
    for (k = 1; k <= n; k++) { c[k] = sqrt(r[2 * k - 1] * r[2 * k]); s += c[k] }
    m = s / n
    for (k = 1; k <= n; k++) v += (c[k] - m) ^ 2
    sd = sqrt(v / (n - 1))
    # two-sided 95% t quantiles for n - 1 = 1..10 degrees of freedom, then 2
    split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23", tq, " ")
    t = n - 1 <= 10 ? tq[n - 1] : 2
    printf "A %.3f s, B %.3f s (means); B/A %.3f +- %.3f (95%%, %d couples of pairs)\n", sa / NR, sb / NR, m, t * sd / sqrt(n), n
  }' "$tmp/pairs"
