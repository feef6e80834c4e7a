# tests/cli/test_kpi.sh - programme statistics (issue 19, item 5):
# /policies/P/calls' new fields add up (sectors to proposals and accepted,
# stages to rejected, the capital region within the whole, the quantiles in
# order), `gpuplan kpi` as text (every line within 100 columns, every
# source in every block) and as CSV (read back with pandas: the documented
# header, one row per policy x source, the means and intervals recomputed
# from the calls table), the report's section, and bad input with its exit
# status (a file written before the fields: 65, naming the field).  The
# figures of a call worked out by hand: tests/unit/test_kpi.c.
. tests/cli/lib.sh

base="scenarios/baseline.json"
expect_exit "run the baseline (3 replications, policies score and fcfs)" 0 \
  "$GPUPLAN" run "$base" --reps 3 --policy score,fcfs --detail 0 -q -o "$T/base.h5"

check "calls: sectors sum to proposals and accepted, stages to rejected; every stage occurs" $PY -c '
import sys
import h5py, numpy as np, pandas as pd
f = h5py.File(sys.argv[1], "r")
sectors = ["industry", "startup", "academia", "research", "national"]
stages = {"screening": 0, "interview": 0, "committee": 0}
for name, g in f["policies"].items():
    c = pd.DataFrame(g["calls"][()])
    assert len(c) == 3 * len(g["calls"].attrs["names"]), len(c)
    for what in ["proposals", "accepted"]:
        s = sum(c[f"{what}_{k}"] for k in sectors)
        assert (s == c[what]).all(), (name, what)
    st = c.rejected_screening + c.rejected_interview + c.rejected_committee
    assert (st == c.rejected).all(), name
    for k in stages:
        stages[k] += c[f"rejected_{k}"].sum()
    assert (c.accepted_capital <= c.proposals_capital).all()
    assert (c.proposals_capital <= c.proposals).all()
    assert (c.accepted_capital <= c.accepted).all()
    dec = c[c.accepted + c.rejected > 0]
    assert (dec.p50_days_to_decision <= dec.p90_days_to_decision).all()
    assert (dec.p50_days_to_decision >= 0).all()
    assert c[c.accepted + c.rejected == 0].p50_days_to_decision.isna().all()
    calls = c[c.call == 0]
    assert (calls.units_offered > 0).all()
    r = calls.units_requested / calls.units_offered
    assert np.allclose(r, calls.oversubscription), name
assert all(v > 0 for v in stages.values()), stages
' "$T/base.h5"

expect_exit "kpi: text" 0 "$GPUPLAN" kpi "$T/base.h5"
cp "$T/out" "$T/kpi.txt"
check "kpi text: within 100 columns, five blocks per policy, every source in each" $PY -c '
import sys
import h5py
f = h5py.File(sys.argv[1], "r")
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
assert all(len(l) <= 100 for l in lines), max(lines, key=len)
text = lambda x: x.decode() if isinstance(x, bytes) else x
n = len(f["policies/score/calls"].attrs["names"])
heads = [i for i, l in enumerate(lines) if l.startswith("source")]
assert len(heads) == 5 * len(f["policies"]), len(heads)
for i in heads:
    body = lines[i + 1:i + 1 + n]
    assert len(body) == n and all(l.strip() for l in body), lines[i:i + n + 1]
assert sum(l.startswith("Programme statistics of policy") for l in lines) == 2
assert not any(" 0 \u00b1" in l for l in lines)
' "$T/base.h5" "$T/kpi.txt"

expect_exit "kpi --policy score -o kpi.csv" 0 "$GPUPLAN" kpi "$T/base.h5" --policy score -o "$T/kpi.csv"
check "kpi -o: nothing on stdout, no temporary file left" sh -c '[ ! -s "$1/out" ] && [ -z "$(ls "$1" | grep tmp-)" ]' sh "$T"
check "kpi CSV read back with pandas: header, rows, means and intervals" $PY -c '
import math, sys
import h5py, numpy as np, pandas as pd
f = h5py.File(sys.argv[1], "r")
k = pd.read_csv(sys.argv[2], keep_default_na=True)
text = lambda x: x.decode() if isinstance(x, bytes) else x
names = [text(x) for x in f["policies/score/calls"].attrs["names"]]
assert list(k.columns[:4]) == ["policy", "source", "kind", "replications"], list(k.columns[:6])
assert len(k) == len(names) and list(k.source) == names, (len(k), len(names))
assert (k.policy == "score").all() and (k.replications == 3).all()
assert "units_offered_lo" not in k.columns and "proposals_lo" in k.columns
for x in ["success_rate", "rejected_committee", "p90_days_to_decision", "gpus_awarded_academia"]:
    assert {x, x + "_lo", x + "_hi"} <= set(k.columns), x
sc = __import__("json").loads(f["scenario"][()])
ncalls, nstreams = len(sc["demand"].get("calls", [])), len(sc["demand"].get("streams", []))
kinds = ["call"] * ncalls + ["stream"] * nstreams + ["designation"] * (len(names) - ncalls - nstreams)
assert list(k.kind) == kinds
c = pd.DataFrame(f["policies/score/calls"][()])
t = 4.302652729911275  # t(0.975, 2)
for j in range(len(names)):
    r = c[c.call == j]
    p = r.proposals.astype(float)
    row = k.iloc[j]
    assert math.isclose(row.proposals, p.mean(), rel_tol=1e-12), (j, row.proposals, p.mean())
    h = t * p.std(ddof=1) / math.sqrt(3)
    assert math.isclose(row.proposals_lo, p.mean() - h, rel_tol=1e-9, abs_tol=1e-9)
    rate = (r.accepted / r.proposals.where(r.proposals > 0)).dropna()
    if len(rate):
        assert math.isclose(row.success_rate, rate.mean(), rel_tol=1e-12)
    else:
        assert math.isnan(row.success_rate)  # no value: an empty cell, never 0
    assert math.isclose(row.rejected_screening, r.rejected_screening.mean(), abs_tol=1e-12)
    if j < ncalls and (r.units_offered > 0).all():
        assert row.units_offered == r.units_offered.iloc[0]
    if j >= ncalls:
        assert math.isnan(row.units_offered) and math.isnan(row.oversubscription)
' "$T/base.h5" "$T/kpi.csv"

expect_exit "kpi --format csv to stdout" 0 "$GPUPLAN" kpi "$T/base.h5" --format csv --policy fcfs
check "kpi --format csv: one header line and a row per source" sh -c \
  '[ "$(head -n 1 "$1/out" | cut -d, -f1-4)" = "policy,source,kind,replications" ] && [ "$(grep -c "^fcfs," "$1/out")" -ge 5 ]' sh "$T"

if command -v gnuplot >/dev/null 2>&1; then
  expect_exit "report with the programme statistics" 0 "$GPUPLAN" report "$T/base.h5" -o "$T/base.html"
  check "report: section Programme statistics, a cell per source and column" $PY -c '
import sys, re
page = open(sys.argv[1], encoding="utf-8").read()
sec = page[page.index("<section id=\"programme\">"):]
sec = sec[:sec.index("</section>")]
assert "<h2>Programme statistics</h2>" in sec
assert sec.count("<table id=\"kpi-") == 5
assert "data-kpi=\"rejected_interview\"" in sec and "data-kpi=\"p90_days_to_decision\"" in sec
assert "href=\"#programme\"" in page
' "$T/base.html"
fi

# ---- bad input ----
expect_exit "kpi: no file (64)" 64 "$GPUPLAN" kpi
expect_exit "kpi: missing file (66)" 66 "$GPUPLAN" kpi "$T/nothing.h5"
printf 'not hdf5\n' >"$T/junk.h5"
expect_exit "kpi: not a result file (65)" 65 "$GPUPLAN" kpi "$T/junk.h5"
expect_exit "kpi: --format xml (64)" 64 "$GPUPLAN" kpi "$T/base.h5" --format xml
check "kpi --format xml: says what it expects" grep -q "expected csv or text" "$T/err"
expect_exit "kpi: no such policy (64)" 64 "$GPUPLAN" kpi "$T/base.h5" --policy nope
check "kpi --policy nope: lists the file's policies" grep -q "the file has: score, fcfs" "$T/err"
expect_exit "kpi: -o in a missing directory (73)" 73 "$GPUPLAN" kpi "$T/base.h5" -o "$T/no/such/k.csv"
expect_exit "kpi: -o the result file (64)" 64 "$GPUPLAN" kpi "$T/base.h5" -o "$T/base.h5"
expect_exit "kpi: a file written before the fields (65)" 65 "$GPUPLAN" kpi tests/never/v1.h5
check "kpi on an old file: names the missing field and the gpuplan that wrote it" \
  grep -q "no field proposals_industry (the file was written by gpuplan .*, before" "$T/err"
expect_exit "kpi: --point 3 of a file without a sweep (64)" 64 "$GPUPLAN" kpi "$T/base.h5" --point 3
