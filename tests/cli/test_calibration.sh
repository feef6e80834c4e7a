# tests/cli/test_calibration.sh - the baseline reproduces the first call's
# published outcome (newsis, asiatoday, 3 Mar 2026; docs in scenarios/README.md).
#
# Runs scenarios/baseline.json with its fixed seed, 20 replications, policy
# "score" (expert review: best score first), and compares the means over the
# replications of the first call (demand source 0 in /policies/score/calls)
# with the published figures, within the tolerances of the calibration issue:
#   proposals 514 +-5%, servers requested 1,714 +-10%, projects awarded 159
#   +-10%, servers awarded 528 +-10%, shares of awarded GPUs academia 62% /
#   industry incl. startups 30% / research 7% +-6 points, mean decision date
#   2026-03-03 +-7 days.
# Then checks that the decision date is not trivially the committee date: the
# baseline's panel decides every proposal at the 3 Mar committee, and a panel
# half its size makes decisions later (some miss the committee).
# Each PASS/FAIL line names the measured value and its target.
. tests/cli/lib.sh

base="scenarios/baseline.json"
run_args="--reps 20 --policy score --detail 0 -q"

expect_exit "calibration: baseline runs (20 replications, policy score)" 0 \
  "$GPUPLAN" run "$base" $run_args -o "$T/base.h5"

# metrics FILE.h5 -> "key value" lines for the first call (source 0)
metrics() {
  $PY - "$1" <<'EOF'
import datetime, json, sys
import h5py
import numpy as np
f = h5py.File(sys.argv[1], "r")
sc = json.loads(f["scenario"][()])
first = sc["demand"]["calls"][0]
c = f["/policies/score/calls"][()]
names = [n.decode() if isinstance(n, bytes) else str(n) for n in f["/policies/score/calls"].attrs["names"]]
r = c[c["call"] == 0]
epoch = datetime.date.fromisoformat(sc["epoch"])
committee = (datetime.date.fromisoformat(first["committees"][0]) - epoch).days
target = (datetime.date(2026, 3, 3) - epoch).days
aw = r["gpus_awarded"]
out = {
    "is_first_call": int(names[0] == first["name"] and first["open"] == "2025-12-22" and first["close"] == "2026-01-28"),
    "reps": len(r),
    "proposals": r["proposals"].mean(),
    "servers_requested": r["units_requested"].mean(),
    "projects": r["accepted"].mean(),
    "servers_awarded": r["units_awarded"].mean(),
    "academia": 100 * np.mean(r["gpus_awarded_academia"] / aw),
    "industry": 100 * np.mean((r["gpus_awarded_industry"] + r["gpus_awarded_startup"]) / aw),
    "research": 100 * np.mean(r["gpus_awarded_research"] / aw),
    "decision_offset": r["mean_decision"].mean() - target,
    "mean_decision": (epoch + datetime.timedelta(days=float(r["mean_decision"].mean()))).isoformat(),
    "last_after_committee": r["last_decision"].max() - committee,
    "late_reps": int(np.sum(r["last_decision"] > committee)),
    "returning": int(r["returning"].sum()) if "returning" in r.dtype.names else 0,
}
for k, v in out.items():
    print(k, round(v, 2) if isinstance(v, float) else v)
EOF
}

metrics "$T/base.h5" > "$T/m" 2>"$T/m.err" || sed 's/^/    /' "$T/m.err"
m() { awk -v k="$1" '$1 == k { print $2 }' "$T/m"; }

# within NAME VALUE TARGET TOL: |VALUE - TARGET| <= TOL
within() {
  check "$1" $PY -c 'import sys; v, t, tol = map(float, sys.argv[1:]); sys.exit(0 if abs(v - t) <= tol else 1)' \
    "${2:-nan}" "$3" "$4"
}

check "calibration: source 0 is the first call (22 Dec 2025 - 28 Jan 2026)" test "$(m is_first_call)" = 1
check "calibration: 20 replications measured ($(m reps))" test "$(m reps)" = 20
within "calibration: proposals $(m proposals) (target 514 +-5%)" "$(m proposals)" 514 25.7
within "calibration: servers requested $(m servers_requested) (target 1714 +-10%)" "$(m servers_requested)" 1714 171.4
within "calibration: projects awarded $(m projects) (target 159 +-10%)" "$(m projects)" 159 15.9
within "calibration: servers awarded $(m servers_awarded) (target 528 +-10%)" "$(m servers_awarded)" 528 52.8
within "calibration: academia share of awarded GPUs $(m academia)% (target 62 +-6 points)" "$(m academia)" 62 6
within "calibration: industry+startup share of awarded GPUs $(m industry)% (target 30 +-6 points)" "$(m industry)" 30 6
within "calibration: research share of awarded GPUs $(m research)% (target 7 +-6 points)" "$(m research)" 7 6
within "calibration: mean decision date $(m mean_decision) (target 2026-03-03 +-7 days)" "$(m decision_offset)" 0 7
check "calibration: the first call has no returning applicants ($(m returning) in 20 replications)" \
  test "$(m returning)" = 0
check "calibration: reviews and interviews finish before the committee (latest decision $(m last_after_committee) days after it, in $(m late_reps) replications)" \
  test "$(m late_reps)" = 0

# Half the panel: the same world (same seed), later decisions.
half=$($PY -c 'import json, sys; print(json.load(open(sys.argv[1]))["review"]["reviewers"] // 2)' "$base")
expect_exit "calibration: baseline with half the panel ($half reviewers) runs" 0 \
  "$GPUPLAN" run "$base" $run_args --set "review.reviewers=$half" -o "$T/half.h5"
metrics "$T/half.h5" > "$T/mh" 2>"$T/mh.err" || sed 's/^/    /' "$T/mh.err"
mh() { awk -v k="$1" '$1 == k { print $2 }' "$T/mh"; }
check "calibration: half the panel decides later (mean $(mh mean_decision) vs $(m mean_decision), at least 3 days)" \
  $PY -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) + 3 else 1)' \
  "$(mh decision_offset)" "$(m decision_offset)"
check "calibration: half the panel misses the committee ($(mh late_reps) of 20 replications have decisions after it)" \
  test "$(mh late_reps)" -ge 10
