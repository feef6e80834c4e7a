# tests/cli/test_uncertain.sh - two-level runs (`gpuplan run --uncertain`,
# issue 18): the values each replication draws lie in their factors'
# supports and follow their distributions; grouped factors move together;
# every policy of a replication plays the same world; a factor moves what
# it should and nothing else; the file does not depend on threads, ranks
# or (Sobol') on how many replications a precision target added; the
# usage errors.  The malformed blocks are in tests/bad/uncertain-*.json
# (test_bad.sh); the scenario is tests/uncertain/small.json.
. tests/cli/lib.sh
S=tests/uncertain/small.json

expect_exit "--uncertain --reps 64, 1 thread" 0 "$GPUPLAN" run "$S" --uncertain --reps 64 --threads 1 -q -o "$T/u1.h5"
expect_exit "--uncertain --reps 64, 2 threads" 0 "$GPUPLAN" run "$S" --uncertain --reps 64 --threads 2 -q -o "$T/u2.h5"
check "threads 1 and 2 write the same file (h5diff)" h5diff -q "$T/u1.h5" "$T/u2.h5"
check "docs/output.md documents /uncertain" $PY tests/check_docs.py "$T/u1.h5" docs/output.md
check "the file keeps the HDF5 contract" $PY tests/check_contract.py "$T/u1.h5"

# What /uncertain holds, against the scenario's factors (tests/uncertain/small.json):
#   0 rate uniform(2, 8); 1 nodes discrete {6: 1, 8: 2, 10: 1}; 2 slip mode
#   triangular(0, 10, 30), group g; 3 withdrawals beta(2, 20), group g;
#   4 price normal(1000, 100) clamped to [500, 1500].
check "/uncertain: the factors, their values in their supports, distributions as drawn" $PY - "$T/u1.h5" <<'EOF'
import sys, h5py, numpy as np
from math import sqrt
f = h5py.File(sys.argv[1], "r")
u = f["uncertain"]
s = lambda a: list(a)  # str: format version 3
assert u.attrs["design"] == "sobol", u.attrs["design"]
assert s(u.attrs["path"]) == ["demand.streams[0].rate_per_day", "roadmap.tranches[0].nodes",
    "roadmap.tranches[0].slip_days.mode", "demand.streams[0].withdraw_probability",
    "gpu_types[0].price_krw_per_gpu_hour"], s(u.attrs["path"])
assert s(u.attrs["group"]) == ["", "", "g", "g", ""], s(u.attrs["group"])
assert s(u.attrs["note"])[1] == "test: a discrete factor on an integer key"
assert s(u.attrs["dist"])[0] == '{"dist":"uniform","min":2,"max":8}', s(u.attrs["dist"])[0]
assert int(u.attrs["coordinates"]) == 4
X = u["values"][()]
n = X.shape[0]
assert X.shape == (64, 5) and X.dtype == np.float64, (X.shape, X.dtype)
assert list(u["rep"][()]) == list(range(64))
rate, nodes, mode, wd, price = X.T
assert np.all((rate >= 2) & (rate <= 8)), rate
assert set(nodes) <= {6, 8, 10}, set(nodes)
assert np.all((mode >= 0) & (mode <= 30)) and np.all((wd >= 0) & (wd <= 1)) and np.all((price >= 500) & (price <= 1500))
# Replication 0 is the design's centre: every factor's median.
assert rate[0] == 5 and nodes[0] == 8 and abs(price[0] - 1000) < 1e-9, X[0]
# Uniform: the mean within a 95% interval of 5 (sd (8 - 2) / sqrt(12)).
assert abs(rate.mean() - 5) < 1.96 * 6 / sqrt(12) / sqrt(n), rate.mean()
# Uniform: its empirical CDF at the quartiles within 2/n of theirs (a
# Sobol' sample of 64 points is that even).
for q in (0.25, 0.5, 0.75):
    assert abs(np.mean(rate <= 2 + 6 * q) - q) <= 2 / n, (q, np.mean(rate <= 2 + 6 * q))
# Discrete: frequencies 1/4, 1/2, 1/4 within 95% binomial intervals.
for v, p in ((6, .25), (8, .5), (10, .25)):
    assert abs(np.mean(nodes == v) - p) < 1.96 * sqrt(p * (1 - p) / n), (v, np.mean(nodes == v))
# Normal: mean and sd.
assert abs(price.mean() - 1000) < 1.96 * 100 / sqrt(n), price.mean()
assert 70 < price.std() < 130, price.std()
# One group, one draw: the slip's mode and the withdrawals rank alike.
assert np.array_equal(np.argsort(mode, kind="stable"), np.argsort(wd, kind="stable"))
# Independent coordinates do not.
assert not np.array_equal(np.argsort(rate, kind="stable"), np.argsort(price, kind="stable"))
EOF

check "every policy of a replication plays the same world; the rate moves the proposals" $PY - "$T/u1.h5" <<'EOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
a = f["policies/fcfs/summary"][()]
b = f["policies/lottery/summary"][()]
# The proposals a world makes do not depend on the policy.
assert np.array_equal(a["proposals"], b["proposals"]), (a["proposals"], b["proposals"])
rate = f["uncertain/values"][:, 0]
r = np.corrcoef(rate, a["proposals"])[0, 1]
assert r > 0.95, r
EOF

# A factor no waiting time depends on (the price): each replication's
# waiting times are those of the plain run, the subsidy is not.
P=tests/uncertain/price-only.json
expect_exit "price only, --uncertain" 0 "$GPUPLAN" run "$P" --uncertain --reps 16 -q -o "$T/p1.h5"
expect_exit "price only, plain" 0 "$GPUPLAN" run "$P" --reps 16 -q -o "$T/p0.h5"
check "the price moves the subsidy, not the time to GPU" $PY - "$T/p1.h5" "$T/p0.h5" <<'EOF'
import sys, h5py, numpy as np
u, p = (h5py.File(x, "r") for x in sys.argv[1:3])
assert list(u["uncertain"].attrs["path"]) == ["gpu_types[0].price_krw_per_gpu_hour"]
for pol in ("fcfs", "lottery"):
    a, b = u["policies/%s/summary" % pol][()], p["policies/%s/summary" % pol][()]
    for k in ("proposals", "accepted", "mean_days_to_gpu", "utilization"):
        assert a[k].tobytes() == b[k].tobytes(), (pol, k)
    price = u["uncertain/values"][:, 0]
    # The plain run's price is 1000: the subsidy scales with the price drawn.
    ratio = a["subsidy_krw"] / b["subsidy_krw"]
    assert np.allclose(ratio, price / 1000), (ratio, price)
EOF

# Latin hypercube: one value in each of n equal slices of every coordinate.
expect_exit "--design lhs" 0 "$GPUPLAN" run "$S" --uncertain --design lhs --reps 20 -q -o "$T/l.h5"
check "lhs: one value per slice of the rate's range; the design named" $PY - "$T/l.h5" <<'EOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert f["uncertain"].attrs["design"] == "lhs"
rate = f["uncertain/values"][:, 0]
assert sorted(np.floor((rate - 2) / 6 * 20).astype(int)) == list(range(20)), rate
EOF

# A precision target adds replications: the Sobol' points do not depend on
# how many there are, so the file holds what a plain run of as many holds.
expect_exit "--uncertain --precision" 0 "$GPUPLAN" run "$S" --uncertain --reps 4 --precision 0.000001 --max-reps 12 -q -o "$T/pr.h5"
expect_exit "--uncertain --reps 12" 0 "$GPUPLAN" run "$S" --uncertain --reps 12 -q -o "$T/p12.h5"
check "precision-driven two-level run = a plain one of as many replications" $PY - "$T/pr.h5" "$T/p12.h5" <<'EOF'
import sys, h5py, numpy as np
a, b = (h5py.File(x, "r") for x in sys.argv[1:3])
assert np.array_equal(a["uncertain/values"][()], b["uncertain/values"][()])
for pol in ("fcfs", "lottery"):
    # Bit for bit (NaN for never included).
    assert a["policies/%s/summary" % pol][()].tobytes() == b["policies/%s/summary" % pol][()].tobytes()
EOF

# A sweep: every point draws the same values, under /points/K/uncertain.
expect_exit "--uncertain --sweep" 0 "$GPUPLAN" run "$S" --uncertain --reps 6 --sweep roadmap.tranches[0].gpus_per_node=1,2 -q -o "$T/sw.h5"
check "sweep: /points/K/uncertain, the same values at every point" $PY - "$T/sw.h5" <<'EOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert "uncertain" not in f
assert np.array_equal(f["points/0/uncertain/values"][()], f["points/1/uncertain/values"][()])
EOF
check "docs/output.md documents /points/K/uncertain" $PY tests/check_docs.py "$T/sw.h5" docs/output.md

# Usage errors (exit 64) and the plain run, which ignores the block.
expect_exit "--uncertain without a block: usage error" 64 "$GPUPLAN" run scenarios/validation/mmc.json --uncertain -q -o "$T/x.h5"
check "... which says so" grep -q 'has no "uncertain" block' "$T/err"
expect_exit "--design without --uncertain: usage error" 64 "$GPUPLAN" run "$S" --design lhs -q -o "$T/x.h5"
expect_exit "--design other: usage error" 64 "$GPUPLAN" run "$S" --uncertain --design halton -q -o "$T/x.h5"
expect_exit "--design lhs --precision: usage error" 64 "$GPUPLAN" run "$S" --uncertain --design lhs --precision 0.1 -q -o "$T/x.h5"
check "... which says why" grep -q 'cannot grow' "$T/err"
expect_exit "--set of a factor's path: usage error" 64 "$GPUPLAN" run "$S" --uncertain --set demand.streams[0].rate_per_day=3 -q -o "$T/x.h5"
expect_exit "a sweep of a factor's path: usage error" 64 "$GPUPLAN" run "$S" --uncertain --sweep demand.streams[0].rate_per_day=3,4 -q -o "$T/x.h5"
expect_exit "an overlay's own value of an inherited factor: usage error" 64 "$GPUPLAN" run scenarios/variants/demand-high.json --uncertain -q -o "$T/x.h5"
check "... naming the overlay and the path" grep -q 'demand-high.json sets demand.calls\[super6-2027-h1\].proposals' "$T/err"
check "usage errors write nothing" test ! -e "$T/x.h5"
expect_exit "a plain run ignores the block" 0 "$GPUPLAN" run "$S" --reps 2 -q -o "$T/plain.h5"
check "... and has no /uncertain" $PY -c "import h5py, sys; sys.exit('uncertain' in h5py.File('$T/plain.h5', 'r'))"

# The baseline's block loads, and runs.
expect_exit "the baseline's uncertain block, 3 replications of one policy" 0 "$GPUPLAN" run scenarios/baseline.json --uncertain --policy score --reps 3 --detail 0 -q -o "$T/b.h5"
check "baseline: its factors and their notes in /uncertain" $PY - "$T/b.h5" <<'EOF'
import sys, h5py
u = h5py.File(sys.argv[1], "r")["uncertain"]
paths = list(u.attrs["path"])
assert "roadmap.tranches[national-ai-centre].slip_days.mode" in paths and "review.noise_sd" in paths, paths
assert all(len(x) > 20 for x in u.attrs["note"]), "a factor without its source"
assert u["values"].shape == (3, len(paths))
EOF
# docs/output.md's example of /uncertain (its ```py block) runs on that file.
$PY - "$T/ex.py" <<'EOF'
import re, sys
doc = open("docs/output.md", encoding="utf-8").read()
open(sys.argv[1], "w").write(re.findall(r"```py\n(.*?)```", doc, re.S)[0])
EOF
check "docs/output.md's /uncertain example runs" sh -c "sed 's|out/baseline.h5|$T/b.h5|' '$T/ex.py' | $PY - >'$T/ex.out' && test -s '$T/ex.out'"

# MPI: ranks share the replications; rank 0 writes the same file.
if [ -n "${GPUPLAN_MPI:-}" ] && [ -x "${GPUPLAN_MPI:-}" ] && command -v mpirun >/dev/null; then
  MPIRUN="mpirun --oversubscribe -np 2"
  [ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
  expect_exit "--uncertain under mpirun -np 2" 0 $MPIRUN "$GPUPLAN_MPI" run "$S" --uncertain --reps 64 --threads 1 -q -o "$T/mpi.h5"
  check "MPI and single-process two-level files are identical (h5diff)" h5diff -q "$T/mpi.h5" "$T/u1.h5"
fi
rm -rf "$T"
