# tests/cli/test_discover.sh - `gpuplan discover` (issue 18, item 4): on a
# two-level file whose condition one factor decides (tests/discover/
# slip.json: the target is missed exactly when the slip exceeds 31 days),
# PRIM's box restricts that factor alone, with its bound within one peel of
# 31 days; the coverage, density and mass agree with the values in the
# file; --when, --policy, --csv; the usage and data errors with their lines.
. tests/cli/lib.sh
S=tests/discover/slip.json
N=256
expect_exit "run --uncertain --reps $N" 0 "$GPUPLAN_INPUT" run "$S" --uncertain --reps $N -q -o "$T/s.h5"
expect_exit "discover, the default condition" 0 "$GPUPLAN" discover "$T/s.h5" --csv "$T/traj.csv"
cp "$T/out" "$T/disc.out"
check "the condition and its base rate" grep -Eq '^condition: gap_to_target > 0 in [0-9]+ of 256 replications \(base rate [0-9.]+%\)$' "$T/disc.out"
check "the roadmap does not depend on the policy: said" grep -q '^policy: fcfs (the condition holds in the same replications under every policy)$' "$T/disc.out"
check "the box restricts the slip, and nothing else" sh -c "grep -q '^  roadmap.tranches\[c\].slip_days  >= ' '$T/disc.out' && grep -q '^  (1 other factor unrestricted)$' '$T/disc.out' && ! grep -q '^  demand' '$T/disc.out'"

# The bound: PRIM's box holds every point at or above it, so its lower bound
# is the first slip peeled to past 31 days: within one peel (alpha of the
# box's points; at most alpha x 90 days on a uniform design) plus the
# design's spacing (2 x 90 / N) of 31.  The reported shares are those of
# the file's values inside the box.
check "the bound within alpha x range + 2 range / n of 31 days; coverage, density, mass as in the file" $PY - "$T/s.h5" "$T/disc.out" "$T/traj.csv" <<'PYEOF'
import sys, re, csv, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
out = open(sys.argv[2]).read()
paths = [p.decode() if isinstance(p, bytes) else p for p in f["uncertain"].attrs["path"]]
slip = f["uncertain/values"][:, paths.index("roadmap.tranches[c].slip_days")]
gap = f["policies/fcfs/summary"]["gap_to_target"]
y = gap > 0
n, alpha = len(y), 0.05
# The scenario's own truth: missed exactly past 31 days.
assert np.array_equal(y, slip > 31), "the test scenario does not decide as documented"
lo = float(re.search(r"^  roadmap\.tranches\[c\]\.slip_days  >= (\S+)$", out, re.M).group(1))
tol = alpha * 90 + 2 * 90 / n
assert 31 - 1e-9 <= lo + tol and lo <= 31 + tol, (lo, tol)
inb = slip >= lo
cov, den, mass = y[inb].sum() / y.sum(), y[inb].mean(), inb.mean()
m = re.search(r"^coverage +([0-9.]+)%  density +([0-9.]+)%  mass +([0-9.]+)%  \((\d+) replications in the box\)$", out, re.M)
assert m, out
for got, want in zip(m.groups()[:3], (cov, den, mass)):
    assert abs(float(got) - 100 * want) < 0.051, (got, want)
assert int(m.group(4)) == inb.sum(), (m.group(4), inb.sum())
# The density is 1 inside the box: no miss below 31 days can be in it.
assert den == 1.0, den
# The trajectory: CSV rows in step order, the chosen one marked once and
# matching the box; masses fall; every peel's bound is a value of the slip
# (the rate is never peeled before the chosen box).
rows = list(csv.DictReader(open(sys.argv[3])))
assert [int(r["step"]) for r in rows] == list(range(len(rows)))
chosen = [r for r in rows if r["chosen"] == "1"]
assert len(chosen) == 1 and abs(float(chosen[0]["density"]) - den) < 1e-12, chosen
masses = [float(r["mass"]) for r in rows]
assert all(a >= b for a, b in zip(masses, masses[1:])), masses
k = int(chosen[0]["step"])
for r in rows[1:k + 1]:
    assert r["factor"] == "roadmap.tranches[c].slip_days" and r["side"] == "lower", r
    assert float(r["bound"]) in set(slip.tolist()), r
PYEOF

# Another condition, another policy: the proposals follow the rate.
expect_exit "--when proposals>X --policy lottery" 0 "$GPUPLAN" discover "$T/s.h5" --when 'proposals > 363' --policy lottery
check "... the box restricts the rate from below" grep -q '^  demand.streams\[s\].rate_per_day  >= ' "$T/out"
check "... and names the policy" grep -q '^policy: lottery' "$T/out"
expect_exit "--alpha 0.1 --min-mass 0.2" 0 "$GPUPLAN" discover "$T/s.h5" --alpha 0.1 --min-mass 0.2
check "... says so" grep -q 'PRIM, alpha 0.1, minimum mass 0.2' "$T/out"
expect_exit "a condition no replication meets: exit 0" 0 "$GPUPLAN" discover "$T/s.h5" --when 'gap_to_target>100'
check "... says so" grep -q '^the condition holds in no replication: no box to find$' "$T/out"
expect_exit "a condition every replication meets: exit 0" 0 "$GPUPLAN" discover "$T/s.h5" --when 'gap_to_target>=-100'
check "... says so" grep -q '^the condition holds in every replication: no box to find$' "$T/out"

# Usage errors (64), with their lines.
expect_exit "no file" 64 "$GPUPLAN" discover
expect_exit "bad syntax" 64 "$GPUPLAN" discover "$T/s.h5" --when 'proposals=3'
check "... its line" grep -qx 'gpuplan discover: --when "proposals=3": expected METRIC>X, METRIC<X, METRIC>=X or METRIC<=X' "$T/err"
expect_exit "no number" 64 "$GPUPLAN" discover "$T/s.h5" --when 'proposals>lots'
check "... its line" grep -qx 'gpuplan discover: --when "proposals>lots": expected a number after >' "$T/err"
expect_exit "an unknown metric" 64 "$GPUPLAN" discover "$T/s.h5" --when 'gpus>3'
check "... its line, then the metrics" sh -c "head -n 1 '$T/err' | grep -qx 'gpuplan discover: --when \"gpus>3\": unknown metric \"gpus\"; the summary metrics:' && grep -q '^  proposals, accepted, ' '$T/err' && grep -q 'gap_to_target' '$T/err' && tail -n 1 '$T/err' | grep -qx \"Try 'gpuplan discover --help'.\""
expect_exit "--alpha 0.5" 64 "$GPUPLAN" discover "$T/s.h5" --alpha 0.5
check "... its line" grep -qx 'gpuplan discover: --alpha: expected a fraction below 0.5, found "0.5"' "$T/err"
expect_exit "--min-mass 0" 64 "$GPUPLAN" discover "$T/s.h5" --min-mass 0
expect_exit "an unknown policy" 64 "$GPUPLAN" discover "$T/s.h5" --policy nope
check "... its line" grep -qx "$T/s.h5: no policy \"nope\"" "$T/err"

# Data errors (65): not a two-level run; too few replications; no value.
expect_exit "a plain run" 0 "$GPUPLAN" run "$S" --reps 4 -q -o "$T/plain.h5"
expect_exit "discover on it: exit 65" 65 "$GPUPLAN" discover "$T/plain.h5"
check "... one line that says why" sh -c "test \$(wc -l <'$T/err') -eq 1 && grep -qx '$T/plain.h5: not a two-level run (no /uncertain): run the scenario with --uncertain' '$T/err'"
expect_exit "run --uncertain --reps 8" 0 "$GPUPLAN" run "$S" --uncertain --reps 8 -q -o "$T/few.h5"
expect_exit "discover on 8 replications: exit 65" 65 "$GPUPLAN" discover "$T/few.h5"
check "... says too few" grep -q 'too few to discover anything (at least 10' "$T/err"
expect_exit "tests/uncertain/small.json, no target" 0 "$GPUPLAN" run tests/uncertain/small.json --uncertain --reps 16 -q -o "$T/nt.h5"
expect_exit "no target: exit 65" 65 "$GPUPLAN" discover "$T/nt.h5"
check "... says the metric has no value" grep -q 'no replication has a value of its metrics' "$T/err"
expect_exit "no such file: exit 66" 66 "$GPUPLAN" discover "$T/none.h5"
expect_exit "--csv into a missing directory: exit 73" 73 "$GPUPLAN" discover "$T/s.h5" --csv "$T/no/dir.csv"
# The drivers chart: drawn for a two-level file, not for a plain one.
expect_exit "plot the two-level file" 0 "$GPUPLAN" plot "$T/s.h5" -d "$T/charts" --format svg
check "... seven charts, the drivers among them" sh -c "test \$(wc -l <'$T/out') -eq 7 && grep -qx '$T/charts/drivers.svg' '$T/out'"
check "... which plots the slip" grep -q 'roadmap.tranches\[c\].slip_days' "$T/charts/drivers.svg"
expect_exit "plot the plain file" 0 "$GPUPLAN" plot "$T/plain.h5" -d "$T/charts-plain" --format svg
check "... six charts, no drivers" sh -c "test \$(wc -l <'$T/out') -eq 6 && test ! -e '$T/charts-plain/drivers.svg'"
rm -rf "$T"
