# tests/cli/test_select.sh - `gpuplan select` (issue 19, item 3): on the
# baseline it picks the policy that a plain run shows clearly best (the
# premise, a gap above delta, is checked, not assumed); threads 1 and 2
# write the same /select; the file holds what docs/output.md says; a metric
# no policy changes reaches the cap: exit 75 and guaranteed = 0; the usage
# errors exit 64 with their line.
. tests/cli/lib.sh
set -f
B=scenarios/baseline.json
P=fcfs,lottery,score-reclaim
M=mean_days_to_gpu

expect_exit "select, 1 thread" 0 "$GPUPLAN" select "$B" --policy $P --metric $M --minimize --delta 2 --threads 1 -o "$T/s1.h5"
check "it prints the selection and its cost" sh -c "grep -q '^selected: ' '$T/out' && grep -q '^cost: [0-9]* policy-replications' '$T/out'"
cp "$T/out" "$T/out1"
expect_exit "select, 2 threads" 0 "$GPUPLAN" select "$B" --policy $P --metric $M --minimize --delta 2 --threads 2 -q -o "$T/s2.h5"
check "threads 1 and 2 write the same /select (h5diff)" h5diff -q "$T/s1.h5" "$T/s2.h5"
check "-q prints nothing" test ! -s "$T/out"
expect_exit "a plain run of the same policies, 20 replications" 0 "$GPUPLAN" run "$B" --policy $P --reps 20 -q -o "$T/run.h5"

check "the selected policy is the one the run shows best by more than delta; the file is as documented" $PY - "$T/s1.h5" "$T/run.h5" docs/output.md <<'PYEOF'
import re, sys, h5py, numpy as np
s = lambda x: x.decode() if isinstance(x, bytes) else x
f, r = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
g = f["select"]
pols = [s(x) for x in g.attrs["policies"]]
assert pols == ["fcfs", "lottery", "score-reclaim"], pols
means = {}
for p in pols:
    st = r["stats"][p][()]
    names = [s(x) for x in r["stats"][p].attrs["metrics"]]
    means[p] = st["mean"][names.index("mean_days_to_gpu")]
order = sorted(pols, key=lambda p: means[p])
assert means[order[1]] - means[order[0]] > 2, ("premise: no policy clearly best", means)
assert s(g.attrs["selected"]) == order[0], (s(g.attrs["selected"]), means)
assert int(g.attrs["guaranteed"]) == 1
assert s(g.attrs["metric"]) == "mean_days_to_gpu" and s(g.attrs["direction"]) == "minimize"
assert float(g.attrs["delta"]) == 2 and float(g.attrs["pcs"]) == 0.95 and int(g.attrs["n0"]) == 10
k, n0, a = 3, 10, 0.05
assert abs(float(g.attrs["h2"]) - (n0 - 1) * ((2 * a / (k - 1)) ** (-2 / (n0 - 1)) - 1)) < 1e-9
t = g["eliminations"][()]
assert len(t) == 3
pe = h5py.check_enum_dtype(g["eliminations"].dtype["policy"])
name = {v: k for k, v in pe.items()}
assert name[t["policy"][-1]] == order[0] and t["eliminated_at"][-1] == int(g.attrs["reps"])
assert all(10 <= x <= int(g.attrs["reps"]) for x in t["eliminated_at"])
assert int(g.attrs["reps_total"]) == int(t["eliminated_at"].sum())
assert int(f.attrs["replications"]) == int(g.attrs["reps"]) and int(f.attrs["complete"]) == 1
assert "policies" not in f and f["scenario"][()]
# docs/output.md's /select section names every attribute and field.
doc = open(sys.argv[3], encoding="utf-8").read()
sec = doc[doc.index("## `/select`"):]
sec = sec[:sec.index("\n## ", 3)]
for a in list(g.attrs) + list(t.dtype.names):
    assert "`%s`" % a in sec, a
for a in f.attrs:
    assert "`%s`" % a in sec, a
PYEOF

# proposals is the world's: every policy has the same, none is ever
# eliminated, the cap is reached.
expect_exit "the cap reached: exit 75" 75 "$GPUPLAN" select "$B" --policy fcfs,score --metric proposals --maximize --delta 1 --n0 2 --max-reps 3 -o "$T/cap.h5"
check "... saying so" grep -q "NOT GUARANTEED" "$T/out"
check "... and the file says guaranteed = 0" $PY -c "
import sys, h5py
g = h5py.File('$T/cap.h5', 'r')['select']
assert int(g.attrs['guaranteed']) == 0 and int(g.attrs['reps']) == 3
assert list(g['eliminations'][()]['eliminated_at']) == [-1, 3]"

# SIGINT during the stages: nothing written, exit 130.
signal_case "SIGINT: exit 130" INT 2 130 "$GPUPLAN" select "$B" --metric $M --minimize --delta 0.01 --threads 1 -o "$T/int.h5"
check "... nothing written" test ! -e "$T/int.h5"

usage() {
  _u=$1 _line=$2
  shift 2
  expect_exit "$_u: exit 64" 64 "$GPUPLAN" select "$@"
  check "$_u: the line says so" grep -q "^gpuplan select: $_line" "$T/err"
}
usage "no --metric" "--metric: which metric" --minimize --delta 2
usage "an unknown metric" "--metric: no summary metric \"nope\"" --metric nope --minimize --delta 2
usage "no direction" "--minimize or --maximize" --metric $M --delta 2
usage "both directions" "--minimize and --maximize: one of them" --metric $M --minimize --maximize --delta 2
usage "no --delta" "--delta: the indifference zone" --metric $M --minimize
usage "--delta 0" "--delta: expected a number > 0" --metric $M --minimize --delta 0
usage "--pcs 1.5" "--pcs: expected a fraction" --metric $M --minimize --delta 2 --pcs 1.5
usage "--n0 1" "--n0: expected an integer" --metric $M --minimize --delta 2 --n0 1
usage "--max-reps below --n0" "--max-reps 5 is below the first stage --n0 10" --metric $M --minimize --delta 2 --max-reps 5
usage "one policy" "1 policy: select needs at least 2" --metric $M --minimize --delta 2 --policy fcfs
usage "two scenarios" "one scenario at a time" "$B" "$B" --metric $M --minimize --delta 2
expect_exit "an unknown policy: exit 64" 64 "$GPUPLAN" select --metric $M --minimize --delta 2 --policy fcfs,nope
check "... naming it" grep -q 'no policy "nope"' "$T/err"
expect_exit "a missing scenario: exit 66" 66 "$GPUPLAN" select "$T/none.json" --metric $M --minimize --delta 2
expect_exit "an output in a missing directory: exit 73" 73 "$GPUPLAN" select --metric $M --minimize --delta 2 -o "$T/no/such/s.h5"
rm -rf "$T"
