# tests/cli/test_compare.sh - statistics, common random numbers and the
# paired comparison, on the baseline scenario.
. tests/cli/lib.sh

expect_exit "baseline, 10 replications" 0 "$GPUPLAN_INPUT" run scenarios/baseline.json --reps 10 --detail 2 -q -o "$T/b.h5"

# Common random numbers: in each replication every policy saw the same world.
# (The world's proposals; a returning applicant comes back only under the
# policies that rejected or ended its previous proposal, and is then the
# same applicant under each: same id, same previous, sector and request.)
check "same proposals under every policy (submitted, sector, servers, quality)" $PY -c '
import h5py, numpy as np, sys
f = h5py.File(sys.argv[1])
pols = list(f["policies"])
assert len(pols) >= 2, pols
every = f["policies"][pols[0]]["proposals"][()]
ref = every[every["returning"] == 0]
assert len(ref) > 100
for p in pols[1:]:
    all_d = f["policies"][p]["proposals"][()]
    d = all_d[all_d["returning"] == 0]
    for k in ["rep", "id", "submitted", "sector", "servers", "quality"]:
        assert np.array_equal(ref[k], d[k], equal_nan=True), (p, k)
    back = {(int(r["rep"]), int(r["id"])): r for r in every[every["returning"] != 0]}
    both = 0
    for r in all_d[all_d["returning"] != 0]:
        q = back.get((int(r["rep"]), int(r["id"])))
        if q is None:
            continue
        both += 1
        for k in ["previous", "sector", "servers", "org"]:
            assert r[k] == q[k], (p, "returning", k)
    assert both > 0, (p, "no returning applicant under both policies")
' "$T/b.h5"

# /stats and /compare hold what the summaries say (known t quantile for n = 10).
check "/stats and /compare match the summaries" $PY -c '
import h5py, numpy as np, sys
f = h5py.File(sys.argv[1])
t9 = 2.2621571627409915   # Student t, 0.975 quantile, 9 degrees of freedom
pols = list(f["policies"])
for p in pols:
    st = f["stats"][p]
    names = list(st.attrs["metrics"])
    rows = st[()]
    s = f["policies"][p]["summary"][()]
    for r in rows:
        x = s[names[r["metric"]]].astype(float)
        x = x[~np.isnan(x)]
        assert r["n"] == len(x)
        if len(x) < 2: continue
        assert np.isclose(r["mean"], x.mean(), rtol=1e-12, atol=1e-9), (p, names[r["metric"]])
        assert np.isclose(r["sd"], x.std(ddof=1), rtol=1e-9, atol=1e-9)
        assert np.isclose(r["half_width"], t9 * x.std(ddof=1) / np.sqrt(10), rtol=1e-9, atol=1e-9)
a, b = pols[0], pols[1]
c = f["compare"][a + "__" + b]
names = list(c.attrs["metrics"])
sa, sb = f["policies"][a]["summary"][()], f["policies"][b]["summary"][()]
for r in c[()]:
    d = sa[names[r["metric"]]].astype(float) - sb[names[r["metric"]]].astype(float)
    d = d[~np.isnan(d)]
    if len(d) == 10:
        assert np.isclose(r["mean"], d.mean(), rtol=1e-12, atol=1e-9)
' "$T/b.h5"

# The paired interval for mean_days_to_gpu is narrower than the unpaired one
# (Welch: half-widths of two independent means combined).
check "paired CI narrower than unpaired for mean_days_to_gpu" $PY -c '
import h5py, numpy as np, sys
f = h5py.File(sys.argv[1])
a, b = list(f["policies"])[:2]
x = f["policies"][a]["summary"]["mean_days_to_gpu"]
y = f["policies"][b]["summary"]["mean_days_to_gpu"]
n = len(x)
paired = np.std(x - y, ddof=1) / np.sqrt(n)
unpaired = np.sqrt(np.var(x, ddof=1) / n + np.var(y, ddof=1) / n)
print("    standard error: paired %.4f, unpaired %.4f days" % (paired, unpaired))
assert paired < unpaired
' "$T/b.h5"

expect_exit "compare prints the table" 0 "$GPUPLAN" compare "$T/b.h5"
check "compare names the baseline" grep -q "differences against score are paired" "$T/out"
check "compare has a difference column" grep -q "fcfs - score" "$T/out"
check "compare row for days to GPU, titled as in run" grep -q "^days to GPU  " "$T/out"
# Family-wise error (issue 19, item 2): Holm by default, said in the header
# with the family's size; --unadjusted gives each its own 95% interval. Holm
# is never less strict: every * of the adjusted table is a * unadjusted, and
# here at least one unadjusted * does not survive. Then the best per metric.
cp "$T/out" "$T/holm"
check "compare says its differences are Holm-adjusted over the family shown" \
  grep -Eq "judged by Holm's method as one family: the [0-9]+ differences shown" "$T/holm"
# The stars are read off --wide tables: one line per metric, every difference on it.
expect_exit "compare --wide" 0 "$GPUPLAN" compare "$T/b.h5" --wide
cp "$T/out" "$T/holm-wide"
expect_exit "compare --unadjusted" 0 "$GPUPLAN" compare "$T/b.h5" --unadjusted --wide
check "--unadjusted says so" grep -q "with their 95% interval, unadjusted" "$T/out"
check "a Holm * is an unadjusted *, and some unadjusted * is not a Holm *" $PY -c '
import sys, re
def stars(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"(\s*\S.*?) {2,}", line)  # the title: cells are 2+ spaces apart
        if m and ("[" in line or "identical" in line):  # identical: 0 in every replication
            rows[m.group(1)] = [c.endswith("*") for c in re.findall(r"\[[^]]*\]\s?\*?|identical", line)]
    return rows
a, u = stars(sys.argv[1]), stars(sys.argv[2])
assert a.keys() == u.keys() and len(a) > 5, (a.keys(), u.keys())
extra = 0
for k in a:
    assert len(a[k]) == len(u[k]) == 6, (k, a[k], u[k])
    for x, y in zip(a[k], u[k]):
        assert y or not x, k
        extra += y and not x
assert extra > 0, "every unadjusted * survived Holm: the case shows nothing"
' "$T/holm-wide" "$T/out"
check "compare names the best per metric" grep -Eq "^  days to GPU \(lower is better\): (the best|may be the best): " "$T/holm"
check "a metric with no better direction gets no best" sh -c 'grep -q "^subsidy (bn KRW)  " "$1" && ! grep -q "^  subsidy (bn KRW) (" "$1"' sh "$T/holm"
# Issue 17, item 1: the roadmap as planned, from the scenario's tranches alone
# (those online by the target date and still under agreement: in full).
check "compare shows the roadmap as planned, summed from the scenario" $PY -c '
import json, sys
s = json.load(open("scenarios/baseline.json"))
t = s["roadmap"]["target"]
n = sum(x["nodes"] * x["gpus_per_node"] for x in s["roadmap"]["tranches"]
        if x["online"] <= t["date"] < x.get("end", "9999"))
d, g = t["date"], t["gpus"]
word = "short of" if n < g else "above"
want = f"roadmap as planned (no slip, no ramp): {n:,} GPUs on {d}, {abs(g - n):,} {word} {g:,};"
sys.exit(0 if want in open(sys.argv[1]).read() else 1)' "$T/out"
check "compare attributes the gap by cause" grep -q "^  = never planned .* + agreement ended .* + late .* + ramping " "$T/out"
# Issue 17, item 2: where acceptance is shown, what it buys: GPU-hours granted
# and the share of the request granted (proportional accepts twice as many
# proposals for the same GPU-hours).
check "compare shows GPU-hours granted" grep -q "^GPU-hours granted (M GPU-hours)  " "$T/out"
check "compare shows the share of the request granted" grep -q "^share of request granted (%)  " "$T/out"
check "the share granted is granted / requested" $PY -c '
import sys, h5py, numpy as np
s = h5py.File(sys.argv[1])["policies/score/summary"][()]
want = s["gpu_hours_granted"] / s["gpu_hours_requested"]
sys.exit(0 if np.allclose(s["gpu_hours_granted_share"], want, rtol=1e-12) else 1)' "$T/b.h5"
expect_exit "compare --baseline fcfs" 0 "$GPUPLAN" compare "$T/b.h5" --baseline fcfs --all
check "--baseline switches the difference" grep -q "score - fcfs" "$T/out"
cp "$T/out" "$T/all"
expect_exit "gpuplan metrics" 0 "$GPUPLAN" metrics
check "--all shows every metric, by its title in gpuplan metrics, in its order" $PY -c '
import re, sys
titles = [re.split(r" {2,}", l.rstrip("\n"))[1] for l in open(sys.argv[1], encoding="utf-8")][1:]
assert len(titles) > 60, len(titles)
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
first = next(i for i, l in enumerate(lines) if l.startswith("metric "))
block = lines[first + 1:lines.index("", first)]  # the first block of policies
rows = [re.match(r"(\s*\S.*?)(?: {2,}|$)", l).group(1).strip() for l in block]
want = [t.strip() for t in titles]
assert rows == want, [(a, b) for a, b in zip(rows, want) if a != b][:3] or (len(rows), len(want))
' "$T/out" "$T/all"
expect_exit "compare unknown baseline" 64 "$GPUPLAN" compare "$T/b.h5" --baseline nope
check "unknown baseline lists policies" grep -q 'no policy "nope" (the file has: score, fcfs, quota, lottery, proportional, hetero, score-reclaim)' "$T/err"
echo "not hdf5" > "$T/x.h5"
expect_exit "compare a non-HDF5 file" 65 "$GPUPLAN" compare "$T/x.h5"
check "non-HDF5 message" grep -q "x.h5: not an HDF5 file" "$T/err"
expect_exit "compare a missing file" 66 "$GPUPLAN" compare "$T/none.h5"

# One policy: nothing to compare, and the header says so (not "0 differences
# judged by Holm's method").
expect_exit "run a one-policy file" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 2 -q \
  --set end='"2001-01-01"' --set measure_from='"2000-06-01"' -o "$T/one.h5"
expect_exit "compare a one-policy file" 0 "$GPUPLAN" compare "$T/one.h5"
check "one policy: the header says there is nothing to compare" \
  sh -c "grep -q '^mean ± 95% half-width; one policy: no differences to compare\$' '$T/out' && ! grep -q Holm '$T/out'"
