# tests/cli/test_returning.sh - returning applicants (issue 21, item 3;
# scenarios/README.md, Returning applicants; docs/output.md) on the baseline,
# which assumes them: every detailed replication of two policies, checked
# against the proposals table with numpy:
#   - the summary's returning_share, returning_acceptance_rate and
#     renewals_granted recomputed from the proposals of the window;
#   - the calls rows' returning and returning_accepted recomputed per source;
#   - every returning proposal follows its `previous` as the model says: a
#     resubmission follows a rejected proposal, a renewal a finished one,
#     both submitted after that and within the window of a call of the same
#     pool; the same organisation, sector, GPU type and request; the quality
#     plus the improvement of the source it left; renewals at most
#     max_renewals along a line;
#   - the first call has none, and some later call has some;
# and that with every probability set to 0 nobody returns (the metrics 0 and
# NaN) while the world's own proposals are those of the run with returns.
. tests/cli/lib.sh

base="scenarios/baseline.json"
expect_exit "returning: baseline runs (3 replications, policies score and fcfs)" 0 \
  "$GPUPLAN" run "$base" --reps 3 -q --policy score,fcfs -o "$T/on.h5"

# The baseline with every resubmit/renew probability 0 (as if absent).
offs=$($PY - "$base" <<'EOF'
import json, sys
sc = json.load(open(sys.argv[1]))
for i, c in enumerate(sc["demand"].get("calls", [])):
    for k in ("resubmit", "renew"):
        if k in c:
            print(f"--set demand.calls[{i}].{k}.probability=0")
EOF
)
# shellcheck disable=SC2086 # offs are words
expect_exit "returning: baseline with every probability 0 runs" 0 \
  "$GPUPLAN" run "$base" --reps 3 -q --policy score,fcfs $offs -o "$T/off.h5"

check "returning: the metrics are their definitions" $PY - "$T/on.h5" "$T/off.h5" <<'EOF'
import json, sys
import h5py
import numpy as np

ok = True
def fail(msg):
    global ok
    ok = False
    print("    " + msg)

def near(a, b, what):
    if (np.isnan(a) and np.isnan(b)) or abs(a - b) <= 1e-12 * max(1, abs(b)):
        return
    fail(f"{what}: {a} vs {b}")

f = h5py.File(sys.argv[1], "r")
sc = json.loads(f["scenario"][()])
epoch = np.datetime64(sc["epoch"])
day = lambda d: float((np.datetime64(d) - epoch) / np.timedelta64(1, "D"))
calls = sc["demand"]["calls"]
names = [n.decode() if isinstance(n, bytes) else str(n) for n in f["/policies/score/calls"].attrs["names"]]
frm = day(sc["measure_from"]) if "measure_from" in sc else 0.0
RES, REN = 1, 2
seen_returning = 0
for pol in ("score", "fcfs"):
    g = f["policies"][pol]
    props, summ, crow = g["proposals"][()], g["summary"][()], g["calls"][()]
    for rep in np.unique(props["rep"]):
        p = props[props["rep"] == rep]
        s = summ[summ["rep"] == rep][0]
        byid = {int(r["id"]): r for r in p}
        win = p[p["submitted"] >= frm]
        ret = win[win["returning"] != 0]
        dec = ret[~np.isnan(ret["decided"])]
        acc = dec[dec["granted"] > 0]
        near(s["returning_share"], len(ret) / len(win) if len(win) else np.nan, f"{pol} rep {rep} returning_share")
        near(s["returning_acceptance_rate"], len(acc) / len(dec) if len(dec) else np.nan,
             f"{pol} rep {rep} returning_acceptance_rate")
        if s["renewals_granted"] != int(np.sum(acc["returning"] == REN)):
            fail(f"{pol} rep {rep} renewals_granted {s['renewals_granted']}")
        c = crow[crow["rep"] == rep]
        for o in range(len(names)):
            mine = p[(p["call"] == o) & (p["returning"] != 0)]
            row = c[c["call"] == o][0]
            if row["returning"] != len(mine) or row["returning_accepted"] != int(np.sum(mine["granted"] > 0)):
                fail(f"{pol} rep {rep} calls row {names[o]}: {row['returning']}/{row['returning_accepted']}")
            if o == 0 and len(mine):
                fail("the first call has returning applicants")
        seen_returning += len(p[p["returning"] != 0])
        for r in p[p["returning"] != 0]:
            q = byid.get(int(r["previous"]))
            if q is None:
                fail(f"{pol} rep {rep} id {r['id']}: previous {r['previous']} is not a proposal")
                continue
            src = calls[q["call"]] if q["call"] < len(calls) else None
            for k in ("org", "sector", "gpu_type", "servers", "capital", "months"):
                if r[k] != q[k]:
                    fail(f"{pol} rep {rep} id {r['id']}: {k} differs from its previous")
            c_new = calls[r["call"]]
            if not (day(c_new["open"]) <= r["submitted"] < day(c_new["close"])):
                fail(f"{pol} rep {rep} id {r['id']}: submitted outside its call's window")
            if r["returning"] == RES:
                ok_prev = q["outcome"] == 1 and q["decided"] <= r["submitted"]
                impr = (src or {}).get("resubmit", {}).get("improvement", 0)
            else:
                ok_prev = q["outcome"] == 4 and q["finished"] <= r["submitted"]
                impr = (src or {}).get("renew", {}).get("improvement", 0)
            if not ok_prev:
                fail(f"{pol} rep {rep} id {r['id']}: its previous was not rejected/finished before")
            near(r["quality"], q["quality"] + impr, f"{pol} rep {rep} id {r['id']} quality")
            pool = c_new["pool"]
            if src is not None and src["pool"] != pool:
                fail(f"{pol} rep {rep} id {r['id']}: another pool")
            # renewals along the line
            n, x = 0, r
            while x is not None and x["returning"] != 0:
                n += x["returning"] == REN
                x = byid.get(int(x["previous"]))
            most = calls[byid[int(r["previous"])]["call"]].get("renew", {}).get("max_renewals", 10**9)
            if r["returning"] == REN and n > most:
                fail(f"{pol} rep {rep} id {r['id']}: {n} renewals in its line")
if seen_returning == 0:
    fail("nobody returned in the baseline")

# Probabilities 0: nobody returns; the world's proposals are the same.
o = h5py.File(sys.argv[2], "r")
for pol in ("score", "fcfs"):
    s = o["policies"][pol]["summary"][()]
    if not (np.all(s["returning_share"] == 0) and np.all(np.isnan(s["returning_acceptance_rate"]))
            and np.all(s["renewals_granted"] == 0)):
        fail(f"{pol}: returns with every probability 0")
    a, b = o["policies"][pol]["proposals"][()], f["policies"][pol]["proposals"][()]
    if np.any(a["returning"] != 0):
        fail(f"{pol}: returning rows with every probability 0")
    bw = b[b["returning"] == 0]
    for k in ("rep", "id", "call", "sector", "org", "servers", "quality", "submitted"):
        if not np.array_equal(a[k], bw[k], equal_nan=a[k].dtype.kind == "f"):
            fail(f"{pol}: the world's proposals differ in {k} with returns on")
sys.exit(0 if ok else 1)
EOF

check "returning: the report shows the returning applicants' metrics" sh -c \
  "'$GPUPLAN' report '$T/on.h5' -o '$T/on.html' >/dev/null 2>&1 && grep -q 'returning applicants' '$T/on.html'"
