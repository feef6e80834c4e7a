# tests/cli/test_size.sh - `gpuplan size` (issue 19, item 4) end to end: the
# file (/size and its evaluations agree with the report, with the target and
# with each other; the root attributes; docs/output.md documents it), the
# same file under 1 and 2 threads, exit 1 with the file written when the
# range holds no answer (either end), the usage errors with their lines (a
# knob that is not a number: located in the scenario file), SIGINT.  The
# answer itself is checked against Erlang C in tests/unit/test_size.c.
. tests/cli/lib.sh
M=scenarios/validation/mmc.json
C='roadmap.tranches[0].nodes'
SHORT='--set end="2004-01-01" --set measure_from="2001-01-01"'

# shellcheck disable=SC2086
expect_exit "M/M/c, 1 thread" 0 "$GPUPLAN" size $M --knob "$C" --range 6:16 --integer --target 'mean_days_to_gpu<=0.07' --reps 4 $SHORT --threads 1 -o "$T/s1.h5"
cp "$T/out" "$T/report1"
check "the report gives the answer and the direction" sh -c "grep -q '^answer: roadmap.tranches\[0\].nodes = ' '$T/out' && grep -q 'decreasing from 6 to 16 (4 replications): the smallest value' '$T/out' && grep -q \"policy fcfs (the scenario's first\" '$T/out'"
# shellcheck disable=SC2086
expect_exit "M/M/c, 2 threads" 0 "$GPUPLAN" size $M --knob "$C" --range 6:16 --integer --target 'mean_days_to_gpu<=0.07' --reps 4 $SHORT --threads 2 -q -o "$T/s2.h5"
check "threads 1 and 2 write the same file (h5diff)" h5diff -q "$T/s1.h5" "$T/s2.h5"
check "-q prints nothing" test ! -s "$T/out"
check "docs/output.md documents every attribute and field of /size" $PY - "$T/s1.h5" docs/output.md <<'PYEOF'
import sys, h5py
doc = open(sys.argv[2]).read()
sec = doc[doc.index("## `/size` (`gpuplan size`)"):]
sec = sec[:sec.index("\n## ", 1)]
g = h5py.File(sys.argv[1], "r")["size"]
names = list(g.attrs) + list(g["evaluations"].dtype.names)
missing = [n for n in names if "`%s`" % n not in sec]
assert not missing, missing
PYEOF

check "/size: the answer meets the target at the confirmation's count, its neighbour does not, every row's verdict is its bound's, the report says the same" $PY - "$T/s1.h5" "$T/report1" <<'PYEOF'
import sys, h5py, math
f = h5py.File(sys.argv[1], "r")
s = lambda x: x.decode() if isinstance(x, bytes) else x
g = f["size"]
a = {k: s(v) for k, v in g.attrs.items()}
assert f.attrs["format_version"] == 3 and f.attrs["complete"] == 1 and int(f.attrs["replications"]) == 4
assert "policies" not in f and f["scenario"][()]
assert a["status"] == "found" and a["knob"] == "roadmap.tranches[0].nodes" and a["op"] == "<="
assert a["metric"] == "mean_days_to_gpu" and a["target"] == 0.07 and a["confidence"] == 0.95
assert a["reps"] == 4 and a["confirm_reps"] == 16 and a["integer"] == 1 and a["tol"] == 1
assert a["direction"] == "decreasing" and a["toward"] == "hi" and a["policy"] == "fcfs"
assert a["knob_value"] == 8 and a["range_lo"] == 6 and a["range_hi"] == 16
assert a["neighbour"] == a["answer"] - 1
e = g["evaluations"][()]
assert list(e.dtype.names) == ["value", "reps", "mean", "lo", "hi", "meets"], e.dtype.names
assert e[0]["value"] == 6 and e[1]["value"] == 16 and e[0]["reps"] == e[1]["reps"] == 4
for r in e:
    assert r["lo"] <= r["mean"] <= r["hi"]
    assert r["meets"] == (r["hi"] <= 0.07), r
fin = {(r["value"], r["reps"]): r for r in e}
assert fin[(a["answer"], 16)]["meets"] == 1 and fin[(a["neighbour"], 16)]["meets"] == 0
assert len(fin) == len(e), "a value evaluated twice at one count"
out = open(sys.argv[2]).read()
assert "answer: roadmap.tranches[0].nodes = %d\n" % a["answer"] in out
assert "evaluations, in order (%d;" % len(e) in out
PYEOF

# No answer in the range: exit 1, said, the file written.
# shellcheck disable=SC2086
expect_exit "not met even at HI: exit 1" 1 "$GPUPLAN" size $M --knob "$C" --range 6:7 --integer --target 'mean_days_to_gpu<=0.07' --reps 3 $SHORT -o "$T/no.h5"
check "not met: said, with HI's value" grep -q '^no answer in the range: not met even at roadmap.tranches\[0\].nodes = 7 (HI)$' "$T/out"
# shellcheck disable=SC2086
expect_exit "already met at LO: exit 1" 1 "$GPUPLAN" size $M --knob "$C" --range 12:16 --integer --target 'mean_days_to_gpu<=0.07' --reps 3 $SHORT -o "$T/already.h5"
check "already met: said, with LO's value" grep -q '^no answer in the range: already met at roadmap.tranches\[0\].nodes = 12 (LO)$' "$T/out"
check "no answer: status and NaN answer in the files" $PY - "$T/no.h5" "$T/already.h5" <<'PYEOF'
import sys, h5py, math
s = lambda x: x.decode() if isinstance(x, bytes) else x
for path, status in zip(sys.argv[1:], ["not_met", "already_met"]):
    g = h5py.File(path, "r")["size"]
    assert s(g.attrs["status"]) == status, (path, g.attrs["status"])
    assert math.isnan(g.attrs["answer"]) and math.isnan(g.attrs["neighbour"])
    assert len(g["evaluations"]) == 2
PYEOF
# A real knob, a >= target on an increasing metric: the smallest arrival rate
# at which utilization is at least 60% (c = 8: about 4.8 a day).
# shellcheck disable=SC2086
expect_exit "a real knob, >=" 0 "$GPUPLAN" size $M --knob 'demand.streams[0].rate_per_day' --range 2:7.5 --target 'utilization>=0.6' --reps 3 --tol 0.05 $SHORT -q -o "$T/real.h5"
check "a real knob: the bracket is at most --tol wide and straddles 4.8" $PY - "$T/real.h5" <<'PYEOF'
import sys, h5py
g = h5py.File(sys.argv[1], "r")["size"]
a, n = g.attrs["answer"], g.attrs["neighbour"]
assert 0 < a - n <= 0.05 and g.attrs["integer"] == 0 and abs(g.attrs["tol"] - 0.05) < 1e-12
assert (g.attrs["direction"].decode() if isinstance(g.attrs["direction"], bytes) else g.attrs["direction"]) == "increasing"
assert 4.5 < a < 5.1, a
PYEOF

# Usage errors, with their lines.
usage() { # NAME LINE ARGS...: exit 64, the first line of stderr is LINE
  _n=$1 _l=$2
  shift 2
  expect_exit "$_n: usage error" 64 "$GPUPLAN" size "$@" -q -o "$T/x.h5"
  check "$_n: the line says so" test "$(head -n 1 "$T/err")" = "$_l"
}
K="--knob $C"
usage "no --knob" 'gpuplan size: --knob PATH is required' $M --range 6:9 --target 'mean_days_to_gpu<=1'
usage "no --range" 'gpuplan size: --range LO:HI is required' $M $K --target 'mean_days_to_gpu<=1'
usage "no --target" "gpuplan size: --target 'METRIC<=X' is required" $M $K --range 6:9
usage "--range 6" 'gpuplan size: --range: expected LO:HI, found "6"' $M $K --range 6 --target 'mean_days_to_gpu<=1'
usage "--range 9:6" 'gpuplan size: --range: expected LO < HI, found "9:6"' $M $K --range 9:6 --target 'mean_days_to_gpu<=1'
usage "--range a:6" 'gpuplan size: --range: expected two numbers LO:HI, found "a:6"' $M $K --range a:6 --target 'mean_days_to_gpu<=1'
usage "--integer, 6.5:9" 'gpuplan size: --range: with --integer, expected whole numbers, found 6.5:9' $M $K --integer --range 6.5:9 --target 'mean_days_to_gpu<=1'
usage "--target without an operator" 'gpuplan size: --target: expected METRIC<=X or METRIC>=X, found "mean_days_to_gpu<1"' $M $K --range 6:9 --target 'mean_days_to_gpu<1'
usage "--target without a number" 'gpuplan size: --target: expected a number after <=, found "soon"' $M $K --range 6:9 --target 'mean_days_to_gpu<=soon'
usage "--confidence 1" 'gpuplan size: --confidence: expected a fraction in (0, 1), found "1"' $M $K --range 6:9 --target 'mean_days_to_gpu<=1' --confidence 1
usage "--reps 1" 'gpuplan size: --reps: expected an integer in [2, 1000000], found "1"' $M $K --range 6:9 --target 'mean_days_to_gpu<=1' --reps 1
usage "--confirm below --reps" 'gpuplan size: --confirm: expected at least --reps (10), found 5' $M $K --range 6:9 --target 'mean_days_to_gpu<=1' --confirm 5
usage "--tol with --integer" 'gpuplan size: --tol: only without --integer (integers bisect to 1)' $M $K --integer --range 6:9 --target 'mean_days_to_gpu<=1' --tol 0.5
usage "--tol too wide" 'gpuplan size: --tol: expected less than HI - LO = 3, found 3' $M $K --range 6:9 --target 'mean_days_to_gpu<=1' --tol 3
usage "two scenarios" 'gpuplan size: one scenario at a time (also got x.json)' $M x.json $K --range 6:9 --target 'mean_days_to_gpu<=1'
usage "two policies" 'size: --policy: one policy, found "fcfs,score"' $K --range 60:90 --target 'mean_days_to_gpu<=1' --policy fcfs,score
usage "a knob that is a string: located" 'scenarios/validation/mmc.json:2:11: name: expected a number for --knob, found "mmc"' $M --knob name --range 6:9 --target 'mean_days_to_gpu<=1'
usage "a knob that is an object: located" 'scenarios/validation/mmc.json:13:7: roadmap.tranches[0]: expected a number for --knob, found an object' $M --knob 'roadmap.tranches[0]' --range 6:9 --target 'mean_days_to_gpu<=1'
usage "a knob with nothing there" 'size: --knob review.nothing: the scenario writes nothing at that path (write out a default to vary it)' $M --knob review.nothing --range 6:9 --target 'mean_days_to_gpu<=1'
usage "a knob --set also sets" "size: --set $C=9: the knob's value is the procedure's" $M $K --set "$C=9" --range 6:9 --target 'mean_days_to_gpu<=1'
expect_exit "an unknown metric: usage error" 64 "$GPUPLAN" size $M $K --range 6:9 --target 'days<=1' -q -o "$T/x.h5"
check "an unknown metric: its line, then the catalogue" sh -c "head -n 1 '$T/err' | grep -qx 'gpuplan size: --target: no summary metric \"days\"; the summary metrics:' && grep -q 'mean_days_to_gpu' '$T/err'"
check "no file after a usage error" test ! -e "$T/x.h5"
expect_exit "a value the scenario refuses: exit 65, said" 65 "$GPUPLAN" size $M $K --range 6.5:9 --target 'mean_days_to_gpu<=1' -q -o "$T/x.h5"
check "a value the scenario refuses: the hint" grep -q '^size: roadmap.tranches\[0\].nodes = 6.5 does not make a valid scenario (a whole-number knob needs --integer): ' "$T/err"

# Interrupted: nothing written, one line, 130.
signal_case "SIGINT: exit 130" INT 1 130 "$GPUPLAN" size $K $M --range 6:40 --integer --target 'mean_days_to_gpu<=0.001' --reps 200 --threads 1 -q -o "$T/int.h5"
check "SIGINT: nothing written" test ! -e "$T/int.h5"
check "SIGINT: one line" test "$(cat "$T/err")" = "interrupted by signal 2; nothing written"
