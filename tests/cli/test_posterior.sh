# tests/cli/test_posterior.sh - `gpuplan run --posterior FILE` (issue 20,
# item 3): each replication draws one particle of a calibration's posterior
# by its weight and plays every policy with its values at the unknowns'
# paths.
#
# The posterior files are made here: a tiny `gpuplan calibrate --method
# abc` of tests/calibration/small.json, whose particles and weights h5py
# then replaces by hand (no binary fixture).  One particle of weight 1:
# every replication draws it, and the run is the same as a plain run with
# its values given by --set (the same worlds, h5diff of /policies).  Two
# particles of weight 1/2: both drawn, in proportions within a binomial
# 99.9% interval.  The draws do not depend on the thread count; the file
# records where the values came from (name, CRC-32 of the file, its
# calibration); the refusals and their exit codes.
. tests/cli/lib.sh
S=tests/calibration/small.json

expect_exit "a tiny abc posterior of $S" 0 \
  "$GPUPLAN" calibrate "$S" --method abc --particles 10 --generations 1 --reps 1 -q -o "$T/abc.h5"

# posterior FILE ROWS WEIGHTS: replace the particles' values (rate, median per
# row) and weights of FILE (the abc file's shapes are kept: 10 x 2).
posterior() {
  $PY - "$@" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r+")
g = f["calibration/posterior"]
n = g["samples"].shape[0]
X = np.array([[2.0 + 0.5 * i, 1.5 + 0.25 * i] for i in range(n)])
w = np.array([float(x) for x in sys.argv[2].split(",")])
g["samples"][...] = X
g["weights"][...] = w.reshape(n, 1)
PYEOF
}
cp "$T/abc.h5" "$T/one.h5"
posterior "$T/one.h5" 0,0,0,0,0,0,0,1,0,0
cp "$T/abc.h5" "$T/two.h5"
posterior "$T/two.h5" 0,0,1,0,0,0,0,0,0,1

expect_exit "run --posterior, one particle of weight 1" 0 \
  "$GPUPLAN" run "$S" --posterior "$T/one.h5" --reps 12 --threads 1 -q -o "$T/one-run.h5"
check "every replication drew particle 7 and its values (5.5, 3.25); the file says where they came from" \
  $PY - "$T/one-run.h5" "$T/one.h5" <<'PYEOF'
import sys, zlib, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
p = f["posterior"]
s = lambda x: x.decode() if isinstance(x, bytes) else x
assert np.all(p["particle"][()][:, 0] == 7), p["particle"][()]
assert np.all(p["values"][()] == [5.5, 3.25]), p["values"][()]
assert list(p["rep"][()]) == list(range(12))
assert [s(x) for x in p.attrs["paths"]] == ["demand.streams[s].rate_per_day", "demand.streams[s].servers.median"]
assert s(p.attrs["file"]) == sys.argv[2] and s(f.attrs["posterior"]) == sys.argv[2], dict(p.attrs)
assert int(p.attrs["crc32"]) == zlib.crc32(open(sys.argv[2], "rb").read()), p.attrs["crc32"]
assert s(p.attrs["scenario_name"]) == "calibration-small" and s(p.attrs["policy"]) == "fcfs"
assert int(p.attrs["particles"]) == 10 and int(p.attrs["seed"]) == 11
assert "uncertain" not in f
PYEOF
expect_exit "the same values by --set, no posterior" 0 \
  "$GPUPLAN" run "$S" --set "demand.streams[s].rate_per_day=5.5" --set "demand.streams[s].servers.median=3.25" \
  --reps 12 -q -o "$T/set-run.h5"
check "... plays the same worlds: /policies equal (h5diff)" h5diff -q "$T/one-run.h5" "$T/set-run.h5" /policies /policies
expect_exit "the plain run" 0 "$GPUPLAN" run "$S" --reps 12 -q -o "$T/plain.h5"
check "... and not those of the scenario's own values (rate 4, median 2)" sh -c "! h5diff -q '$T/one-run.h5' '$T/plain.h5' /policies /policies"
check "docs/output.md documents /posterior and the root attribute posterior" $PY tests/check_docs.py "$T/one-run.h5" docs/output.md
check "the file keeps the HDF5 contract" $PY tests/check_contract.py "$T/one-run.h5"

expect_exit "run --posterior, two particles of weight 1/2, 1 thread" 0 \
  "$GPUPLAN" run "$S" --posterior "$T/two.h5" --reps 200 --threads 1 -q -o "$T/two1.h5"
expect_exit "... 2 threads" 0 \
  "$GPUPLAN" run "$S" --posterior "$T/two.h5" --reps 200 --threads 2 -q -o "$T/two2.h5"
check "threads 1 and 2 write the same file (h5diff)" h5diff -q "$T/two1.h5" "$T/two2.h5"
check "both particles drawn, each in 1/2 +- 3.3 binomial sd of 200 (99.9%), values and outputs follow them" \
  $PY - "$T/two1.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
k = f["posterior/particle"][()][:, 0]
v = f["posterior/values"][()]
assert set(k) == {2, 9}, set(k)
n, m = len(k), int(np.sum(k == 2))
assert abs(m / n - 0.5) <= 3.3 * np.sqrt(0.25 / n), (m, n)
assert np.all(v[k == 2] == [3.0, 2.0]) and np.all(v[k == 9] == [6.5, 3.75]), v
# The rate moves the proposals: particle 9's replications (6.5 a day) see more.
prop = f["policies/fcfs/summary"]["proposals"]
assert prop[k == 9].mean() > prop[k == 2].mean() * 1.5, (prop[k == 9].mean(), prop[k == 2].mean())
PYEOF
expect_exit "another seed" 0 "$GPUPLAN" run "$S" --posterior "$T/two.h5" --reps 200 --seed 5 -q -o "$T/two5.h5"
check "... draws other particles (the draw is keyed by the seed)" sh -c "! h5diff -q '$T/two1.h5' '$T/two5.h5' /posterior/particle /posterior/particle"

# --posterior with --uncertain: fine on other paths, refused on the same.
$PY - "$S" "$T/unc.json" "$T/clash.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["uncertain"] = [{"path": "roadmap.tranches[0].nodes", "dist": {"dist": "discrete", "values": [20, 40, 60], "weights": [1, 1, 1]},
                   "note": "test"}]
json.dump(d, open(sys.argv[2], "w"))
d["uncertain"] = [{"path": "demand.streams[0].rate_per_day", "dist": {"dist": "uniform", "min": 2, "max": 8},
                   "note": "test"}]
json.dump(d, open(sys.argv[3], "w"))
PYEOF
expect_exit "--posterior with --uncertain on another path" 0 \
  "$GPUPLAN" run "$T/unc.json" --uncertain --posterior "$T/one.h5" --reps 8 -q -o "$T/both.h5"
check "... both drawn: /uncertain and /posterior" $PY - "$T/both.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert np.all(f["posterior/particle"][()] == 7)
u = f["uncertain/values"][()][:, 0]
assert len(set(u)) > 1 and set(u) <= {20, 40, 60}, u
PYEOF
expect_exit "--posterior without --uncertain ignores the block" 0 \
  "$GPUPLAN" run "$T/unc.json" --posterior "$T/one.h5" --reps 4 -q -o "$T/nounc.h5"
check "... no /uncertain" $PY -c "import h5py, sys; f = h5py.File(sys.argv[1], 'r'); assert 'uncertain' not in f and 'posterior' in f" "$T/nounc.h5"

# Refusals.
expect_exit "--uncertain drawing a path of the posterior: exit 64" 64 \
  "$GPUPLAN" run "$T/clash.json" --uncertain --posterior "$T/one.h5" -q -o "$T/x.h5"
check "... saying both draw it" grep -q -- "--posterior $T/one.h5 and --uncertain both draw demand.streams\[s\].rate_per_day (uncertain\[0\])" "$T/err"
expect_exit "--set on a path of the posterior (another spelling): exit 64" 64 \
  "$GPUPLAN" run "$S" --posterior "$T/one.h5" --set "demand.streams[0].servers.median=3" -q -o "$T/x.h5"
check "... saying which" grep -q "draws demand.streams\[s\].servers.median, which --set demand.streams\[0\].servers.median=3 sets" "$T/err"
expect_exit "a sweep of a path of the posterior: exit 64" 64 \
  "$GPUPLAN" run "$S" --posterior "$T/one.h5" --sweep "demand.streams[s].rate_per_day=2,3" -q -o "$T/x.h5"
expect_exit "a --set elsewhere is a what-if on top of the posterior" 0 \
  "$GPUPLAN" run "$S" --posterior "$T/one.h5" --set "roadmap.tranches[0].nodes=20" --reps 2 -q -o "$T/x.h5"
expect_exit "a nelder-mead fit of the scenario" 0 \
  "$GPUPLAN" calibrate "$S" --starts 1 --reps 1 -q -o "$T/nm.h5"
expect_exit "a nelder-mead fit: exit 65" 65 "$GPUPLAN" run "$S" --posterior "$T/nm.h5" -q -o "$T/x.h5"
check "... saying it has no posterior and what to run" grep -q "nm.h5: a nelder-mead fit has no posterior, only a point estimate: run \`gpuplan calibrate SCENARIO --method abc\`" "$T/err"
expect_exit "a run file: exit 65" 65 "$GPUPLAN" run "$S" --posterior "$T/plain.h5" -q -o "$T/x.h5"
check "... saying it is no calibrate file" grep -q "plain.h5: not a file of \`gpuplan calibrate\` (no /calibration)" "$T/err"
expect_exit "a missing file: exit 66" 66 "$GPUPLAN" run "$S" --posterior "$T/none.h5" -q -o "$T/x.h5"
expect_exit "another scenario: exit 65" 65 "$GPUPLAN" run scenarios/validation/mmc.json --posterior "$T/one.h5" -q -o "$T/x.h5"
check "... naming both" grep -q "fitted on scenario \"calibration-small\", not \"mmc\"" "$T/err"
sed 's/"end": "2026-03-01"/"end": "2026-03-15"/' "$S" >"$T/later.json"
expect_exit "another version of the scenario: exit 65" 65 "$GPUPLAN" run "$T/later.json" --posterior "$T/one.h5" -q -o "$T/x.h5"
check "... saying what differs" grep -q "fitted on another version of scenario \"calibration-small\": end is \"2026-03-01\" there, \"2026-03-15\" here" "$T/err"
cp "$T/one.h5" "$T/badpath.h5"
$PY -c "import h5py, sys; g = h5py.File(sys.argv[1], 'r+')['calibration']; g.attrs['paths'] = ['demand.streams[s].rate_per_day', 'demand.streams[s].servers.mean']" "$T/badpath.h5"
expect_exit "a path the scenario does not have: exit 65" 65 "$GPUPLAN" run "$S" --posterior "$T/badpath.h5" -q -o "$T/x.h5"
check "... naming it" grep -q "its unknown demand.streams\[s\].servers.mean is no number of $S" "$T/err"
cp "$T/one.h5" "$T/zero.h5"
posterior "$T/zero.h5" 0,0,0,0,0,0,0,0,0,0
expect_exit "weights all 0: exit 65" 65 "$GPUPLAN" run "$S" --posterior "$T/zero.h5" -q -o "$T/x.h5"
check "... saying so" grep -q "/calibration/posterior/weights: every weight is 0" "$T/err"
expect_exit "--posterior without a file: exit 64" 64 "$GPUPLAN" run "$S" --posterior

# sensitivity --posterior: the unknowns as factors, each with its posterior's
# weighted marginal (two particles of weight 1/2: the lower value for a
# coordinate up to 1/2, the higher above).
expect_exit "sensitivity --posterior (morris, no uncertain block)" 0 \
  "$GPUPLAN" sensitivity "$S" --posterior "$T/two.h5" --method morris --trajectories 4 --reps 2 \
  --metric mean_days_to_gpu,acceptance_rate -q -o "$T/sens.h5"
check "... its factors are the unknowns, their values the marginals' quantiles at the design's coordinates" \
  $PY - "$T/sens.h5" "$T/two.h5" <<'PYEOF'
import sys, zlib, h5py, numpy as np
g = h5py.File(sys.argv[1], "r")["sensitivity"]
s = lambda x: x.decode() if isinstance(x, bytes) else x
paths = ["demand.streams[s].rate_per_day", "demand.streams[s].servers.median"]
assert [s(x) for x in g.attrs["factors"]] == paths, g.attrs["factors"]
assert [s(x) for x in g["values"].attrs["path"]] == paths
assert s(g.attrs["posterior"]) == sys.argv[2]
assert int(g.attrs["posterior_crc32"]) == zlib.crc32(open(sys.argv[2], "rb").read())
x, v = g["design"][()], g["values"][()]
lo, hi = np.array([3.0, 2.0]), np.array([6.5, 3.75])  # particles 2 and 9
assert np.array_equal(v, np.where(x <= 0.5, lo, hi)), (x, v)
assert len(set(v[:, 0])) == 2, v
PYEOF
check "docs/output.md documents the attributes it adds to /sensitivity" sh -c "grep -q '| \`posterior\` | string | \`--posterior FILE\` only' docs/output.md && grep -q '| \`posterior_crc32\` | int64 |' docs/output.md"
expect_exit "sensitivity --posterior with the block drawing a calibrated path: exit 64" 64 \
  "$GPUPLAN" sensitivity "$T/clash.json" --posterior "$T/one.h5" --method morris --trajectories 2 --reps 2 -q -o "$T/x.h5"
expect_exit "sensitivity --posterior of a nelder-mead fit: exit 65" 65 \
  "$GPUPLAN" sensitivity "$S" --posterior "$T/nm.h5" --method morris --trajectories 2 --reps 2 -q -o "$T/x.h5"
