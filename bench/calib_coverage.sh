#!/bin/sh
# bench/calib_coverage.sh - the coverage of `gpuplan calibrate --method
# abc` (issue 20, validation): TRIALS (default 20) synthetic trials on
# tests/calibration/small.json.  Trial i draws the truth of the two
# unknowns uniformly in their boxes (Python's random, seed i), runs gpuplan
# once at the truth (one replication, seed 1000 + i: one realisation, as a
# published figure is), makes those figures the targets (sd 3% of each),
# and fits them by ABC-SMC (seed 2000 + i, --reps 1).  A trial covers when
# both unknowns' 95% intervals hold the truth; the series passes when at
# least 90% of the unknowns' intervals do.  Prints one line per trial and
# the totals; exits 1 when the series fails.  Not part of `make test`
# (several minutes): `make calib-coverage`, or
#   GPUPLAN=./gpuplan TRIALS=20 PARTICLES=200 GENERATIONS=6 sh bench/calib_coverage.sh
set -eu
G=${GPUPLAN:-./gpuplan}
N=${TRIALS:-20}
P=${PARTICLES:-200}
GEN=${GENERATIONS:-6}
S=tests/calibration/small.json
T=$(mktemp -d "${TMPDIR:-/tmp}/calib-coverage.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
PY=/usr/bin/python3
covered=0 total=0
i=1
while [ "$i" -le "$N" ]; do
  set -- $($PY -c "import random; r = random.Random($i); print(r.uniform(2, 8), r.uniform(1.5, 4))")
  rate=$1 median=$2
  "$G" run "$S" --set "demand.streams[s].rate_per_day=$rate" --set "demand.streams[s].servers.median=$median" \
    --seed $((1000 + i)) --reps 1 -q -o "$T/truth.h5"
  $PY - "$T/truth.h5" "$S" "$T/syn.json" <<'PYEOF'
import json, sys, h5py
c = h5py.File(sys.argv[1], "r")["/policies/fcfs/calls"][()]
d = json.load(open(sys.argv[2]))
for t in d["calibration"]["targets"]:
    v = float(c[t["metric"]].mean())
    t["value"], t["sd"] = v, max(0.03 * v, 1.0)
json.dump(d, open(sys.argv[3], "w"))
PYEOF
  "$G" calibrate "$T/syn.json" --method abc --reps 1 --particles "$P" --generations "$GEN" \
    --seed $((2000 + i)) -q -o "$T/abc.h5"
  n=$($PY - "$T/abc.h5" "$rate" "$median" <<'PYEOF'
import sys, h5py
e = h5py.File(sys.argv[1], "r")["/calibration/estimate"][()]
truth = [float(sys.argv[2]), float(sys.argv[3])]
hits = [int(r["lo"] <= t <= r["hi"]) for r, t in zip(e, truth)]
print(sum(hits), " ".join("%.3f [%.3f, %.3f]" % (r["value"], r["lo"], r["hi"]) for r in e))
PYEOF
)
  echo "trial $i: truth $rate $median: covered ${n%% *} of 2: ${n#* }"
  covered=$((covered + ${n%% *}))
  total=$((total + 2))
  i=$((i + 1))
done
echo "abc coverage: $covered of $total intervals hold the truth"
[ $((covered * 10)) -ge $((total * 9)) ]
