# tests/cli/test_interrupt.sh - results survive interruption: an existing
# result file stays intact until the new one is complete; SIGINT / SIGTERM
# mid-run write the replications finished so far, marked complete = false,
# and exit 130 / 143; a full disk gives exit 74 and leaves nothing behind; a
# bad -o is refused before anything runs (issue 16, item 7); SIGINT before
# the detailed replications are done writes each policy's own rows (issue
# 16, item 1).
. tests/cli/lib.sh

# A long run interrupted once at least one replication has finished: 2 s
# in, or (on a loaded machine, under the sanitizers, where none may have
# finished by then: "nothing written") again with 4, 8 and 16 s.
long_run() { # SIGNAL EXPECTED-EXIT
  sig=$1
  want=$2
  for delay in 2 4 8 16; do
    echo "the old result" > "$T/res.h5"
    "$GPUPLAN" run scenarios/baseline.json --reps 2000 --detail 2 --threads 2 -q -o "$T/res.h5" \
      > "$T/out" 2> "$T/err" &
    pid=$!
    sleep "$delay"
    check "$sig: the old file is intact while the run goes on" grep -q "the old result" "$T/res.h5"
    t0=$(date +%s.%N)
    kill -"$sig" "$pid"
    wait "$pid"
    got=$?
    t1=$(date +%s.%N)
    echo "    stopped $(echo "$t1 - $t0" | bc 2>/dev/null || echo "?") s after SIG$sig, $delay s in"
    grep -q "wrote [1-9][0-9]* of 2000" "$T/err" && break
  done
  check "$sig: exit $want" test "$got" -eq "$want"
  check "$sig: one line says what was kept" grep -q "interrupted by signal .*: wrote [0-9]* of 2000 replications to .*res.h5 (complete = false)" "$T/err"
  check "$sig: the file holds the finished replications, marked incomplete" $PY -c '
import h5py, sys
f = h5py.File(sys.argv[1])
n = int(f.attrs["replications"])
assert int(f.attrs["complete"]) == 0
assert int(f.attrs["replications_requested"]) == 2000
assert 0 < n < 2000, n
for p in f["policies"]:
    s = f["policies"][p]["summary"][()]
    assert list(s["rep"]) == list(range(n)), (p, len(s))
    assert f["policies"][p]["calls"].shape[0] % n == 0
print("    kept %d replications" % n)
' "$T/res.h5"
  check "$sig: no temporary file left" sh -c "! ls '$T' | grep -q 'res.h5.tmp'"
  # compare and the report say so first (issue 17, item 5: shown as complete)
  "$GPUPLAN" compare "$T/res.h5" >"$T/cmp" 2>&1
  check "$sig: compare's first line says the run is incomplete" sh -c "head -n 1 '$T/cmp' | grep -q '^INCOMPLETE RUN: .*res.h5 was interrupted (complete = false): the figures below are from the [0-9]* replications\{0,1\} it finished of 2000 requested\.\$'"
  "$GPUPLAN" report "$T/res.h5" -o "$T/res.html" >/dev/null 2>&1
  check "$sig: the report opens with a banner saying so" sh -c "grep -q '<header>' '$T/res.html' && sed -n '/<header>/{n;p;q}' '$T/res.html' | grep -q '^<p class=\"incomplete\" id=\"incomplete\" role=\"alert\"><strong>Incomplete run.</strong> It was interrupted before it finished (complete = false): every figure below is from the [0-9]* replications\{0,1\} it finished of 2000 requested.</p>\$'"
}
long_run INT 130
long_run TERM 143

check "a complete run says complete = 1" sh -c "'$GPUPLAN' run scenarios/validation/mmc.json --reps 2 --set end='\"2001-01-01\"' --set measure_from='\"2000-06-01\"' -q -o '$T/ok.h5' && $PY -c 'import h5py,sys; f=h5py.File(sys.argv[1]); assert int(f.attrs[\"complete\"]) == 1 and int(f.attrs[\"replications_requested\"]) == 2' '$T/ok.h5'"
check "a complete run: compare says nothing of an interruption" sh -c "'$GPUPLAN' compare '$T/ok.h5' >'$T/cmp-ok' && ! grep -qi 'incomplete' '$T/cmp-ok'"
check "a complete run: no banner in the report" sh -c "'$GPUPLAN' report '$T/ok.h5' -o '$T/ok.html' >/dev/null && ! grep -q 'id=\"incomplete\"' '$T/ok.html'"

# A full disk: the file size limit stands in for it (SIGXFSZ ignored, so
# writes fail with EFBIG as they would with ENOSPC).
echo "the old result" > "$T/full.h5"
sh -c "trap '' XFSZ; ulimit -f 64; exec '$GPUPLAN' run scenarios/baseline.json --reps 3 -q -o '$T/full.h5'" > "$T/out" 2> "$T/err"
got=$?
check "disk full: exit 74" test "$got" -eq 74
check "disk full: one line naming the file" sh -c "test \$(wc -l < '$T/err') -eq 1 && grep -q 'full.h5' '$T/err'"
check "disk full: the old file intact" grep -q "the old result" "$T/full.h5"
check "disk full: no temporary left" sh -c "! ls '$T' | grep -q 'full.h5.tmp'"

# A bad -o is found before the first replication (issue 16, item 7: after
# the simulation, every result lost): a run of 2000 replications, minutes
# long, stops at once with exit 73 (64 for its own scenario) and one line.
bad_output() { # NAME CODE OUTPUT
  t0=$(date +%s)
  expect_exit "-o $1: exit $2" "$2" timeout 30 "$GPUPLAN" run "${4:-scenarios/baseline.json}" --reps 2000 -q -o "$3"
  check "-o $1: refused within seconds" test $(($(date +%s) - t0)) -lt 10
  check "-o $1: one line naming it" sh -c "test \$(wc -l < '$T/err') -eq 1 && grep -qF -- '$3' '$T/err'"
}
mkdir "$T/dir"
bad_output "an existing directory" 73 "$T/dir"
bad_output "a directory's name" 73 "$T/dir/"
bad_output "in a directory whose parent is missing" 73 "$T/no/such/x.h5"
bad_output "where no file can be made" 73 /proc/gpuplan-test.h5
bad_output "an empty name" 73 ""
# Not a device such as /dev/null: a binary without the check renames its
# file onto whatever -o names (as root, replacing the device).
mkfifo "$T/fifo"
bad_output "a pipe" 73 "$T/fifo"
check "-o a pipe: still a pipe" test -p "$T/fifo"
if [ "$(id -u)" -ne 0 ]; then # root writes anywhere
  mkdir "$T/ro" && chmod 555 "$T/ro"
  bad_output "in a read-only directory" 73 "$T/ro/x.h5"
fi
cp scenarios/baseline.json "$T/s.json"
bad_output "its own scenario" 64 "$T/s.json" "$T/s.json"
check "-o its own scenario: the scenario intact" cmp -s scenarios/baseline.json "$T/s.json"
expect_exit "-o in a missing directory: made, as out/ is" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 1 -q \
  --set end=\"2001-01-01\" --set measure_from=\"2000-06-01\" -o "$T/made/x.h5"
check "-o in a missing directory: the file is there" test -s "$T/made/x.h5"
check "no temporary file left by the checks" sh -c "! find '$T' -name '*.tmp-*' | grep -q ."

# SIGINT before the detailed replications have finished (issue 16, item 1:
# the detail array was then indexed with the lowered count, so the run
# crashed, leaving its temporary file, or wrote the second policy's proposal
# rows from the first policy's slots, for replications the file said it did
# not have).  Whatever each interrupted run writes must be what a complete
# run has for the replications it says it holds, policy by policy.  The
# delays span 0.1 to 3.2 s, so that on a fast machine and a slow one some
# runs stop after the first replications and before the tenth (a run that
# was over before its signal must be the complete file), counted from the
# moment the run catches SIGINT.  (Under the sanitizers the complete run is
# the release binary's: the two write the same file.)
"$GPUPLAN_INPUT" run tests/repro/sigint-detail-two.json -q --threads 2 -o "$T/whole.h5" >"$T/out" 2>"$T/err"
check "sigint-detail-two: a complete run for reference" test -s "$T/whole.h5"
: >"$T/kept"
for delay in 0.10 0.15 0.20 0.30 0.45 0.70 1.0 1.5 2.2 3.2; do
  rm -f "$T/cut.h5"
  "$GPUPLAN" run tests/repro/sigint-detail-two.json -q --threads 2 -o "$T/cut.h5" >"$T/out" 2>"$T/err" &
  pid=$!
  caught "$pid" 2 # DELAY counts from then (lib.sh)
  sleep "$delay"
  kill -INT "$pid"
  wait "$pid"
  got=$?
  check "SIGINT after $delay s: no temporary file left" sh -c "! ls '$T' | grep -q 'cut.h5.tmp'"
  if [ "$got" -eq 0 ]; then # a fast machine: the run was over
    check "SIGINT after $delay s: finished first, the complete file" h5diff -q "$T/whole.h5" "$T/cut.h5"
    continue
  fi
  check "SIGINT after $delay s: exit 130" test "$got" -eq 130
  if [ ! -e "$T/cut.h5" ]; then
    check "SIGINT after $delay s: nothing written, and it says so" grep -q "before any replication finished; nothing written" "$T/err"
    continue
  fi
  check "SIGINT after $delay s: the file holds what a complete run has, policy by policy" $PY -c '
import h5py, numpy as np, sys
whole, cut = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
a = cut.attrs
n, d = int(a["replications"]), int(a["detail_replications"])
assert int(a["complete"]) == 0 and int(a["replications_requested"]) == 40, dict(a)
assert 1 <= n <= 40 and d == min(10, n), (n, d)
assert sorted(cut["policies"]) == ["fcfs", "score"]
for p in ("score", "fcfs"):
    c, w = cut["policies"][p], whole["policies"][p]
    s = c["summary"][()]
    assert list(s["rep"]) == list(range(n)), (p, list(s["rep"]))
    assert s.tobytes() == w["summary"][:n].tobytes(), p
    rows, wrows = c["proposals"][()], w["proposals"][()]
    assert set(rows["rep"].tolist()) <= set(range(d)), (p, sorted(set(rows["rep"].tolist())))
    assert rows.tobytes() == wrows[wrows["rep"] < d].tobytes(), p
    assert list(c["timeseries/rep"][()]) == list(range(d)), p
    for name, ds in c["timeseries"].items():
        if isinstance(ds, h5py.Dataset) and ds.ndim == 2:
            assert np.array_equal(ds[()], w["timeseries"][name][:d], equal_nan=True), (p, name)
print("    kept %d replications, %d detailed" % (n, d))
open(sys.argv[3], "a").write("%d\n" % n)
' "$T/whole.h5" "$T/cut.h5" "$T/kept"
  # Once a run stopped between the first and the tenth replication and this
  # one past the tenth, a longer delay would only stop a run later again.
  if grep -qx '[1-9]' "$T/kept" && [ "$(tail -n 1 "$T/kept")" -ge 10 ]; then break; fi
done
check "some run stopped between the first and the tenth replication (the case of the issue)" \
  grep -qx '[1-9]' "$T/kept"
