# tests/cli/test_calendar.sh - calendar reclaim and power on the shipped
# scenarios (issue 21, items 4 and 5):
#   - scenarios/policies/incite.json and alcc.json are overlays of the
#     baseline that add one policy each (gpuplan diff lists nothing else),
#     validate, run against `score`, and reclaim: played on the same worlds,
#     the calendar policy holds fewer GPU-hours than `score` in some
#     replication (projects lose servers), its gpu_hours_reclaimed is above
#     0 (score's is 0), and the report names it in its policy table and
#     shows the GPU-hours reclaimed;
#   - the baseline meters power: in every detailed replication energy_mwh of
#     the summary is the last sample of the energy_mwh series plus what the
#     time after it can add (the series are sampled, the summary exact), the
#     series never falls, the electricity cost is energy x the flat price
#     (exact power x time is test_power.c's, by hand), and the report and the
#     run table show both; without power_kw (the baseline with every GPU
#     type's power_kw removed) the metrics are NaN and the run table leaves
#     them out.
. tests/cli/lib.sh

args="--reps 3 --detail 3 --threads 2 -q"
for v in incite alcc; do
  f=scenarios/policies/$v.json
  expect_exit "calendar: $v validates" 0 "$GPUPLAN" validate "$f"
  "$GPUPLAN" diff scenarios/baseline.json "$f" >"$T/diff" 2>"$T/diff.err"
  check "calendar: $v differs from the baseline only by its policy (and its name)" $PY -c '
import sys
lines = [l.split("=")[0] for l in open(sys.argv[1]) if l.strip()]
assert lines, "no difference"
bad = [l for l in lines if l not in ("name", "description", "policies") and not l.startswith("policies[7]")]
assert not bad, bad
' "$T/diff"
  expect_exit "calendar: $v runs against score" 0 "$GPUPLAN" run "$f" --policy "score,$v-reclaim" $args -o "$T/$v.h5"
  check "calendar: $v-reclaim plays as score on the same worlds up to its first date, then takes servers back" $PY -c '
import sys, json, datetime, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
sc = json.loads(f["scenario"][()])
pol = [p for p in sc["policies"] if p["name"] == sys.argv[2]][0]
first = min((datetime.date.fromisoformat(c["date"]) - datetime.date.fromisoformat(sc["epoch"])).days
            for c in pol["reclaim"]["calendar"])
t = f["policies/score/timeseries/allocated_gpus"][()]
u = f["policies/" + sys.argv[2] + "/timeseries/allocated_gpus"][()]
# before the first check date the two policies are the same, sample for sample
day = f["policies/score/timeseries/time"][()]
early = day < first
assert np.array_equal(t[:, early], u[:, early]), "the policies differ before the first check"
assert not np.array_equal(t, u), "nothing was reclaimed"
# the summary counts it: nothing under score, something under the calendar
a = f["policies/score/summary"]["gpu_hours_reclaimed"]
b = f["policies/" + sys.argv[2] + "/summary"]["gpu_hours_reclaimed"]
assert np.all(a == 0), a
assert np.all(b >= 0) and b.sum() > 0, b
' "$T/$v.h5" "$v-reclaim"
  expect_exit "calendar: $v report" 0 "$GPUPLAN" report "$T/$v.h5" -o "$T/$v.html"
  check "calendar: the report describes $v-reclaim's dates" grep -q "on fixed dates, a project that has used under a share of its allocation" "$T/$v.html"
  check "calendar: the report shows the GPU-hours reclaimed" grep -q "GPU-hours reclaimed" "$T/$v.html"
done

expect_exit "power: the baseline runs" 0 "$GPUPLAN" run --policy score $args -o "$T/base.h5"
check "power: energy_mwh = the series integrated, cost = energy x the flat price" $PY -c '
import sys, json, datetime, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
sc = json.loads(f["scenario"][()])
price = sc["pricing"]["electricity_krw_per_kwh"]
assert "electricity_by_year" not in sc["pricing"]
g = f["policies/score"]
s, t = g["summary"][()], g["timeseries/time"][()]
pw, en = g["timeseries/power_mw"][()], g["timeseries/energy_mwh"][()]
end = (datetime.date.fromisoformat(sc["end"]) - datetime.date.fromisoformat(sc["epoch"])).days
for r in range(pw.shape[0]):
    row = s[s["rep"] == r][0]
    assert row["energy_mwh"] > 0
    # after the last sample the power changes little: at most twice its largest sample
    extra = row["energy_mwh"] - en[r, -1]
    assert -1e-9 * en[r, -1] <= extra <= 2 * pw[r].max() * (end - t[-1]) * 24 + 1e-9, (extra, end - t[-1])
    assert abs(row["electricity_cost_krw"] - row["energy_mwh"] * 1000 * price) <= 1e-9 * row["electricity_cost_krw"]
    d = np.diff(en[r])
    assert np.all(d >= -1e-9), "energy falls"
' "$T/base.h5"
"$GPUPLAN" run --policy score --reps 2 --threads 2 -o "$T/base2.h5" >"$T/table" 2>&1
check "power: the run table shows the energy and the electricity cost" sh -c "grep -q '^ *energy' '$T/table' && grep -q 'electricity cost' '$T/table'"
expect_exit "power: report" 0 "$GPUPLAN" report "$T/base.h5" -o "$T/base.html"
check "power: the report shows the electricity cost" grep -q "electricity cost" "$T/base.html"

# Without power_kw: NaN, left out of the run table.
$PY -c '
import json, sys
d = json.load(open("scenarios/baseline.json"))
for g in d["gpu_types"]: g.pop("power_kw", None)
json.dump(d, open(sys.argv[1], "w"))
' "$T/nopower.json"
"$GPUPLAN" run "$T/nopower.json" --policy score --reps 2 --threads 2 -o "$T/nopower.h5" >"$T/table2" 2>&1
check "power: without power_kw the run table has no energy row" sh -c "! grep -q 'electricity cost' '$T/table2'"
check "power: without power_kw the metrics and series are NaN" $PY -c '
import sys, h5py, numpy as np
g = h5py.File(sys.argv[1], "r")["policies/score"]
s = g["summary"][()]
assert np.all(np.isnan(s["energy_mwh"])) and np.all(np.isnan(s["electricity_cost_krw"]))
assert np.all(np.isnan(g["timeseries/power_mw"][()]))
' "$T/nopower.h5"
rm -rf "$T"
