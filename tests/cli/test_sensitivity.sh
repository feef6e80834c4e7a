# tests/cli/test_sensitivity.sh - `gpuplan sensitivity` (issue 18, item 3):
# a factor that cannot move a metric gets exactly 0; a metric that depends
# on one factor only gets S1 near 1 for it and 0 for the others; Morris
# ranks alike; a NaN metric is refused, not estimated on fewer points; the
# file does not depend on the number of threads; SIGINT writes nothing; the
# usage errors, with their lines.  The scenario is tests/uncertain/small.json
# (factors: rate, nodes, group g = slip mode + withdrawals, price).
. tests/cli/lib.sh
S=tests/uncertain/small.json
M=mean_days_to_gpu,subsidy_krw,proposals,gap_to_target

expect_exit "sobol, 1 thread" 0 "$GPUPLAN" sensitivity "$S" --samples 16 --reps 4 --metric $M --threads 1 -o "$T/s1.h5"
check "the table names the command's factors" grep -q "demand.streams\[0\].rate_per_day" "$T/out"
expect_exit "sobol, 2 threads" 0 "$GPUPLAN" sensitivity "$S" --samples 16 --reps 4 --metric $M --threads 2 -q -o "$T/s2.h5"
check "threads 1 and 2 write the same file (h5diff)" h5diff -q "$T/s1.h5" "$T/s2.h5"

check "sobol: a price cannot move waiting times (ST exactly 0, outputs equal bit for bit across its values), proposals depend on the rate alone, a NaN metric is refused" $PY - "$T/s1.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["sensitivity"]
s = lambda a: [x.decode() if isinstance(x, bytes) else x for x in a]
for a in ("gpuplan_version", "scenario_name", "seed", "epoch", "time_unit", "end", "measure_from"):
    assert a in f.attrs, a
assert f.attrs["format_version"] == 3 and f.attrs["complete"] == 1 and f.attrs["detail_replications"] == 0
assert "policies" not in f and f["scenario"][()]
assert g.attrs["method"] == "sobol" and int(g.attrs["samples"]) == 16 and int(g.attrs["reps"]) == 4
factors = s(g.attrs["factors"])
assert factors == ["demand.streams[0].rate_per_day", "roadmap.tranches[0].nodes", "g",
                   "gpu_types[0].price_krw_per_gpu_hour"], factors
assert s(g.attrs["factor_paths"])[2] == "roadmap.tranches[0].slip_days.mode, demand.streams[0].withdraw_probability"
metrics = s(g.attrs["metrics"])
assert metrics == ["mean_days_to_gpu", "subsidy_krw", "proposals", "gap_to_target"], metrics
assert int(g.attrs["points"]) == 16 * (4 + 2) and f.attrs["replications"] == 4
D = g["design"][()]
assert D.shape == (96, 4) and np.all((D > 0) & (D < 1))
V = g["values"][()]
assert V.shape == (96, 5) and np.all((V[:, 0] >= 2) & (V[:, 0] <= 8))
for pol in s(g.attrs["policies"]):
    t = g[pol + "/sobol"][()]
    assert len(t) == 4 * 4
    row = lambda m, i: t[(t["metric"] == metrics.index(m)) & (t["factor"] == i)][0]
    price = factors.index("gpu_types[0].price_krw_per_gpu_hour")
    rate = 0
    # Saltelli's AB_price points differ from A only in the price: the waiting
    # times must come out bit for bit the same, hence ST exactly 0.
    Y = g[pol + "/outputs"][()]
    G = 4
    for j in range(16):
        a, ab = j * (G + 2), j * (G + 2) + 1 + price
        assert Y[a, 0] == Y[ab, 0], (j, Y[a, 0], Y[ab, 0])
        assert Y[a, 2] == Y[ab, 2]
    assert row("mean_days_to_gpu", price)["ST"] == 0, row("mean_days_to_gpu", price)
    # ... while it moves the subsidy.
    assert row("subsidy_krw", price)["ST_lo"] > 0, row("subsidy_krw", price)
    # The number of proposals depends on the rate alone: S1 near 1 (inside
    # its interval), the others exactly 0.
    r = row("proposals", rate)
    assert r["S1_lo"] <= 1 <= r["S1_hi"] and r["S1"] > 0.5 and r["ST"] > 0.5, r
    for i in range(1, 4):
        assert row("proposals", i)["ST"] == 0 and row("proposals", i)["S1"] == 0, (i, row("proposals", i))
    # No roadmap target: the gap is NaN everywhere, refused with a note.
    assert all(np.isnan(row("gap_to_target", i)["ST"]) for i in range(4))
    notes = s(g[pol + "/sobol"].attrs["refused"])
    assert len(notes) == 1 and notes[0].startswith("gap_to_target: no indices: NaN at design point 0"), notes
PYEOF

expect_exit "morris" 0 "$GPUPLAN" sensitivity "$S" --method morris --trajectories 8 --reps 4 --metric proposals,mean_days_to_gpu -q -o "$T/m.h5"
check "morris: the rate alone moves the proposals (mu* > 0 with an interval above 0, the others exactly 0)" $PY - "$T/m.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["sensitivity"]
assert g.attrs["method"] == "morris" and int(g.attrs["trajectories"]) == 8 and int(g.attrs["levels"]) == 4
assert int(g.attrs["points"]) == 8 * 5
t = g["fcfs/morris"][()]
p = t[t["metric"] == 0]
assert p["mu_star_lo"][0] > 0 and np.all(p["mu_star"][1:] == 0), p
# Morris's mu* is per unit range: about the rate's range (6/day) x the window's days.
assert p["mu"][0] > 0
PYEOF

# Interrupted: nothing written, one line, 130.
signal_case "SIGINT: exit 130" INT 1 130 "$GPUPLAN" sensitivity bench/sensitivity20.json --method morris --reps 20 --policy score -q -o "$T/int.h5"
check "SIGINT: nothing written" test ! -e "$T/int.h5"
check "SIGINT: one line" test "$(cat "$T/err")" = "interrupted by signal 2; nothing written"

# Usage errors, with their lines.
usage() { # NAME LINE ARGS...: exit 64, the first line of stderr is LINE
  _n=$1 _l=$2
  shift 2
  expect_exit "$_n: usage error" 64 "$GPUPLAN" sensitivity "$@" -q -o "$T/x.h5"
  check "$_n: the line says so" test "$(head -n 1 "$T/err")" = "$_l"
}
usage "no uncertain block" "sensitivity: scenarios/validation/mmc.json has no \"uncertain\" block: nothing to vary (scenarios/README.md)" scenarios/validation/mmc.json
usage "--samples 1" 'gpuplan sensitivity: --samples: expected an integer in [2, 1000000], found "1"' "$S" --samples 1
usage "--trajectories 1" 'gpuplan sensitivity: --trajectories: expected an integer in [2, 100000], found "1"' "$S" --method morris --trajectories 1
usage "--reps 1" 'gpuplan sensitivity: --reps: expected an integer in [2, 1000000], found "1"' "$S" --reps 1
usage "--levels 3" 'gpuplan sensitivity: --levels: expected an even number, found 3' "$S" --method morris --levels 3
usage "--method other" 'gpuplan sensitivity: --method: expected sobol or morris, found "fast"' "$S" --method fast
usage "--samples with morris" 'gpuplan sensitivity: --samples: only with --method sobol' "$S" --method morris --samples 8
expect_exit "an unknown metric: usage error" 64 "$GPUPLAN" sensitivity "$S" --metric days -q -o "$T/x.h5"
check "an unknown metric: its line, then the whole catalogue" sh -c "head -n 1 '$T/err' | grep -qx 'gpuplan sensitivity: --metric: no summary metric \"days\"; the summary metrics:' && grep -q '^  proposals, accepted, acceptance_rate, ' '$T/err' && grep -q 'mean_days_to_gpu' '$T/err' && grep -q 'renewals_granted\$' '$T/err' && tail -n 1 '$T/err' | grep -qx \"Try 'gpuplan sensitivity --help'.\""
# 21 factors: the baseline's block with one more group split.
$PY - "$T/many.json" "$PWD/bench/sensitivity20.json" <<'PYEOF'
import sys, json
s = json.load(open(sys.argv[2]))
s["extends"] = sys.argv[2].replace("bench/sensitivity20.json", "scenarios/baseline.json")
for x in s["uncertain"]:
    if x.get("group") == "use-iar" and "iar-2028" in x["path"]:
        x["group"] = "use-iar-2028"
json.dump(s, open(sys.argv[1], "w"))
PYEOF
usage "sobol with 21 factors" "sensitivity: --method sobol takes at most 20 factors (a group counts once), found 21: use --method morris, or group factors" "$T/many.json"
rm -rf "$T"
