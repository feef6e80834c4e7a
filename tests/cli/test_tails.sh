# tests/cli/test_tails.sh - the tail and equity metrics of the summary
# (issue 19, item 1; docs/output.md, /policies/P/summary), recomputed from
# the proposals of every detailed replication with numpy:
#   - p50, p90, p99 of days to decision and to GPU, overall and per sector
#     (numpy's default quantile, "linear", is GSL's definition: position
#     (n - 1) q of the sorted sample), NaN for an empty sample;
#   - the worst-served sector's mean days to GPU;
#   - Gini and HHI of GPU-hours granted by organisation (every organisation
#     that applied in the window, 0 for one granted nothing);
#   - the capital region's share of GPUs granted;
# on the baseline (every policy: the selection rules spread GPU-hours
# differently) and on tests/never/tiny.json (one sector: the others NaN; an
# overloaded queue: many never start).  With no proposal at all every one of
# them is NaN, and `compare` shows no value for it.  A result file written
# before the metrics existed (tests/never/v1.h5) reads them as NaN: compare
# --all shows "-" and its other rows are unchanged.
. tests/cli/lib.sh

CHECK='
import sys, json, datetime
import h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
sc = json.loads(f["scenario"][()])
day = lambda s: (datetime.date.fromisoformat(s) - datetime.date.fromisoformat(sc["epoch"])).days
frm = day(sc.get("measure_from", sc["epoch"]))
sectors = ["industry", "startup", "academia", "research", "national"]
def near(a, b, what):
    ok = (np.isnan(a) and np.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))
    assert ok, f"{what}: file {a!r}, recomputed {b!r}"
def q(x, p): return float(np.quantile(x, p)) if len(x) else float("nan")
nrows = 0
for name, g in f["policies"].items():
    s, pr = g["summary"][()], g["proposals"][()]
    for rep in sorted(set(pr["rep"])):
        row = s[s["rep"] == rep][0]
        p = pr[(pr["rep"] == rep) & (pr["submitted"] >= frm)]
        assert len(p) == row["proposals"], (len(p), row["proposals"])
        dec = p[~np.isnan(p["decided"])]
        st = p[~np.isnan(p["started"])]
        for what, sub, t in (("decision", dec, dec["decided"] - dec["submitted"]),
                             ("gpu", st, st["started"] - st["submitted"])):
            for pc in (50, 90, 99):
                near(row[f"p{pc}_days_to_{what}"], q(t, pc / 100), f"{name} rep {rep} p{pc} {what}")
                for k, sec in enumerate(sectors):
                    near(row[f"p{pc}_days_to_{what}_{sec}"], q(t[sub["sector"] == k], pc / 100),
                         f"{name} rep {rep} p{pc} {what} {sec}")
        wait = st["started"] - st["submitted"]
        means = [wait[st["sector"] == k].mean() for k in range(5) if (st["sector"] == k).any()]
        near(row["worst_sector_days_to_gpu"], max(means) if means else float("nan"), f"{name} worst")
        unit = np.where(p["servers"] > 0, p["gpus"] / np.maximum(p["servers"], 1), 0)
        gpus = p["granted"] * unit
        hours = gpus * p["months"] * (365.25 / 12) * 24
        orgs = np.unique(p["org"])
        x = np.sort(np.array([hours[p["org"] == o].sum() for o in orgs]))
        n = len(x)
        if n and x.sum() > 0:
            gini = ((2 * np.arange(1, n + 1) - n - 1) * x).sum() / (n * x.sum())
            hhi = ((x / x.sum()) ** 2).sum()
        else:
            gini = hhi = float("nan")
        near(row["gini_gpu_hours_by_org"], gini, f"{name} rep {rep} gini")
        near(row["hhi_gpu_hours_by_org"], hhi, f"{name} rep {rep} hhi")
        share = gpus[p["capital"] == 1].sum() / gpus.sum() if gpus.sum() > 0 else float("nan")
        near(row["capital_share_gpus_granted"], share, f"{name} rep {rep} capital share")
        if n > 1 and x.sum() > 0: assert 0 <= gini < 1 and 1 / n <= hhi + 1e-12 <= 1 + 1e-12
        nrows += 1
want = sys.argv[2]
if want == "sectors-nan":
    assert all(np.isnan(s[f"p90_days_to_gpu_{k}"]).all() for k in ("industry", "national"))
    assert not np.isnan(s["p90_days_to_gpu_academia"]).any()
if want == "all-nan":
    for fld in s.dtype.names:
        if fld.startswith("p") and "_days_to_" in fld or fld in ("worst_sector_days_to_gpu",
                "gini_gpu_hours_by_org", "hhi_gpu_hours_by_org", "capital_share_gpus_granted"):
            assert np.isnan(s[fld]).all(), fld
assert nrows >= (0 if want == "all-nan" else 1), nrows
'

expect_exit "run baseline, 2 detailed replications" 0 \
  "$GPUPLAN" run scenarios/baseline.json --reps 2 --detail 2 -q -o "$T/base.h5"
check "baseline: quantiles, worst sector, Gini, HHI, capital share recomputed from the proposals" \
  $PY -c "$CHECK" "$T/base.h5" any
expect_exit "run tiny (academia only, overloaded)" 0 "$GPUPLAN" run tests/never/tiny.json -q -o "$T/tiny.h5"
check "tiny: the same, and NaN for the sectors with no proposal" $PY -c "$CHECK" "$T/tiny.h5" sectors-nan
expect_exit "run tiny with no proposal in the window" 0 "$GPUPLAN" run tests/never/tiny.json -q \
  --set measure_from=2026-02-28 --set demand.streams[0].rate_per_day=0.001 -o "$T/none.h5"
check "no proposal: every tail and equity metric NaN" $PY -c "$CHECK" "$T/none.h5" all-nan
expect_exit "compare --all of the empty run" 0 "$GPUPLAN" compare "$T/none.h5" --all
check "compare shows no value for a NaN metric" \
  grep -Eq '^p90 days to GPU +- *$' "$T/out"

# A file older than the metrics: read as NaN, everything else as before.
expect_exit "compare --all of a version-1 file" 0 "$GPUPLAN" compare tests/never/v1.h5 --all
check "v1: the new metrics are shown without a value" \
  grep -Eq '^Gini of GPU-hours by org\. \(0-1 scale\) +- *$' "$T/out"
check "v1: the old metrics still have values" grep -Eq '^days to GPU +[0-9]' "$T/out"
rm -rf "$T"
