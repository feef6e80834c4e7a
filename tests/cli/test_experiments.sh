# tests/cli/test_experiments.sh - sweeps, precision-driven runs, roadmap
# risk, and thread-count independence of it all.
. tests/cli/lib.sh

# A sweep over the review panel size: one group per point, values as attributes.
expect_exit "sweep over the review panel" 0 "$GPUPLAN" run scenarios/baseline.json --reps 4 --detail 0 -q \
  --sweep review.reviewers=30:90:30 -o "$T/sw.h5"
check "sweep: 3 points with their values, more reviewers decide sooner" $PY -c '
import h5py, numpy as np, sys
f = h5py.File(sys.argv[1])
assert f.attrs["points"] == 3
assert list(f.attrs["sweep_paths"]) == ["review.reviewers"]
vals, dec = [], []
for k in range(3):
    g = f["points"][str(k)]
    vals.append(g.attrs["review.reviewers"])
    s = g["policies"]["score"]["summary"][()]
    dec.append(s["mean_days_to_decision"].mean())
    assert "stats" in g and "compare" in g and "roadmap" in g and "scenario" in g
print("    reviewers", vals, "-> mean days to decision", [round(d, 1) for d in dec])
assert vals == [30, 60, 90], vals
assert dec[0] > dec[1] >= dec[2], dec
' "$T/sw.h5"
expect_exit "compare a sweep point" 0 "$GPUPLAN" compare "$T/sw.h5" --point 2
check "compare names the point" grep -q "points/2" "$T/out"
expect_exit "compare a point out of range" 64 "$GPUPLAN" compare "$T/sw.h5" --point 3
expect_exit "sweep with a list of strings" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 2 -q \
  --set end=\"2003-01-01\" --set measure_from=\"2002-01-01\" --sweep 'policies[0].selection=fcfs,score' -o "$T/sel.h5"
check "string values stored as text" $PY -c '
import h5py, sys
f = h5py.File(sys.argv[1])
v = [f["points"][str(k)].attrs["policies[0].selection"] for k in range(2)]
assert [x.decode() if isinstance(x, bytes) else x for x in v] == ["\"fcfs\"", "\"score\""], v
' "$T/sel.h5"
expect_exit "bad --sweep spec" 64 "$GPUPLAN" run --sweep review.reviewers=10:5:1 -o "$T/x.h5"
check "bad --sweep says what is expected" grep -q "expected FROM:TO:STEP with FROM <= TO and STEP > 0" "$T/err"
expect_exit "--sweep of a key the format does not have" 65 "$GPUPLAN" run --sweep review.nope=1,2 -o "$T/x.h5"
check "unknown swept key named" grep -q 'review.nope: expected one of the keys' "$T/err"
expect_exit "--sweep into a missing section" 64 "$GPUPLAN" run --sweep nope.reviewers=1,2 -o "$T/x.h5"
expect_exit "--sweep value the scenario rejects" 65 "$GPUPLAN" run --sweep review.reviewers=-1,5 -o "$T/x.h5"
check "the rejected point is named" grep -q "sweep point 0: review.reviewers=-1" "$T/err"
check "nothing written on error" test ! -e "$T/x.h5"

# Sweeps are independent of the thread count too.
expect_exit "sweep on 1 thread" 0 "$GPUPLAN" run scenarios/baseline.json --reps 3 --detail 1 -q \
  --sweep review.reviewers=40,80 --threads 1 -o "$T/t1.h5"
expect_exit "sweep on 2 threads" 0 "$GPUPLAN" run scenarios/baseline.json --reps 3 --detail 1 -q \
  --sweep review.reviewers=40,80 --threads 2 -o "$T/t2.h5"
check "sweep identical on 1 and 2 threads (h5diff)" h5diff -q "$T/t1.h5" "$T/t2.h5"

# Precision: batches of 4 until the key metrics are within 3% or 40 replications;
# the result is the same as a plain run of that many replications.  (Two of
# the baseline's seven policies: the rule takes the worst of them.)
expect_exit "precision-driven run" 0 "$GPUPLAN" run scenarios/baseline.json --reps 4 --detail 0 \
  --policy score,fcfs --precision 0.03 --max-reps 40 -o "$T/p.h5"
check "precision run reports its precision" grep -q "largest relative 95% half-width" "$T/out"
n=$($PY -c 'import h5py,sys; print(int(h5py.File(sys.argv[1]).attrs["replications"]))' "$T/p.h5")
check "precision run: reached the target or the cap (n=$n)" $PY -c '
import h5py, numpy as np, sys
f = h5py.File(sys.argv[1])
n = int(f.attrs["replications"])
worst = 0
for p in f["policies"]:
    s = f["policies"][p]["summary"][()]
    assert len(s) == n
    for m in ["mean_days_to_gpu", "acceptance_rate", "utilization"]:
        x = s[m][~np.isnan(s[m])]
        t = {4: 3.182446, 8: 2.364624, 12: 2.200985, 16: 2.131450, 20: 2.093024, 24: 2.068658,
             28: 2.051831, 32: 2.039513, 36: 2.030108, 40: 2.022691}[len(x)]
        worst = max(worst, t * x.std(ddof=1) / np.sqrt(len(x)) / abs(x.mean()))
print("    n = %d, largest relative half-width %.4f" % (n, worst))
assert n % 4 == 0 and 4 <= n <= 40
assert worst <= 0.03 or n == 40
' "$T/p.h5"
expect_exit "plain run with the same number of replications" 0 "$GPUPLAN" run scenarios/baseline.json \
  --reps "$n" --detail 0 --policy score,fcfs -q -o "$T/plain.h5"
check "precision run equals a plain run of as many replications" \
  h5diff -q "$T/p.h5" "$T/plain.h5" /policies/score/summary /policies/score/summary
expect_exit "bad --precision" 64 "$GPUPLAN" run --precision 2 -o "$T/x.h5"
# ... detail included (issue 16, item 6: the detailed replications were
# capped by the first batch, 4 here, where a plain run of 12 keeps 10).
prec_mmc="--detail 10 -q --set end=\"2001-01-01\" --set measure_from=\"2000-06-01\""
# shellcheck disable=SC2086 # words
expect_exit "precision run never precise enough: 12 replications" 0 "$GPUPLAN" run scenarios/validation/mmc.json \
  --reps 4 --precision 1e-9 --max-reps 12 $prec_mmc -o "$T/pd.h5"
# shellcheck disable=SC2086
expect_exit "plain run of 12 replications" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 12 $prec_mmc -o "$T/pd12.h5"
check "precision run keeps as many detailed replications as the plain run, the same ones" sh -c "
  $PY -c 'import h5py, sys; f = h5py.File(sys.argv[1]); a = f.attrs
assert (a[\"replications\"], a[\"detail_replications\"], a[\"replications_requested\"]) == (12, 10, 12), dict(a)' '$T/pd.h5' &&
  h5diff -q '$T/pd.h5' '$T/pd12.h5' /policies /policies"

# Roadmap risk: the probability and the dates agree with the per-replication rows
# (the roadmap is the world's: one policy is enough).
expect_exit "roadmap with a reachable target" 0 "$GPUPLAN" run scenarios/baseline.json --reps 20 --detail 0 -q \
  --policy score --set roadmap.target.gpus=40000 -o "$T/r.h5"
check "roadmap risk: probability, interval and dates consistent" $PY -c '
import h5py, numpy as np, sys, datetime
f = h5py.File(sys.argv[1])
r = f["roadmap"]
rows = r[()]
epoch = datetime.date.fromisoformat(f.attrs["epoch"])
target = (datetime.date.fromisoformat(f.attrs["target_date"]) - epoch).days
p = r.attrs["probability_reached_by_target"]
assert np.isclose(p, rows["reached_by_target"].mean())
assert r.attrs["probability_ci95_lo"] <= p <= r.attrs["probability_ci95_hi"]
reached = rows["date_reached"] >= 0
assert np.all(rows["reached_by_target"] == (reached & (rows["date_reached"] <= target)))
# reaching it means having at least the target installed on the target date
assert np.all(rows["installed_at_target"][rows["reached_by_target"] == 1] >= 40000)
print("    P(40,000 GPUs by %s) = %.2f" % (f.attrs["target_date"], p))
assert 0 < p <= 1
' "$T/r.h5"
check "summary prints the roadmap risk" sh -c "'$GPUPLAN' run scenarios/baseline.json --reps 3 --detail 0 -o '$T/r2.h5' | grep -q 'roadmap risk: P(target reached by 2028-12-31)'"

# --detail: the first K replications keep rows, -1 keeps all; statistics use all.
expect_exit "run with --detail -1" 0 "$GPUPLAN" run scenarios/baseline.json --reps 7 --detail -1 -q \
  --policy score -o "$T/dall.h5"
expect_exit "run with --detail 2" 0 "$GPUPLAN" run scenarios/baseline.json --reps 7 --detail 2 -q \
  --policy score -o "$T/d2.h5"
check "--detail -1 keeps rows of every replication, --detail 2 of the first 2" $PY -c '
import h5py, numpy as np, sys
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
assert a.attrs["detail_replications"] == 7 and b.attrs["detail_replications"] == 2
ra, rb = a["policies/score/proposals"]["rep"], b["policies/score/proposals"]["rep"]
assert sorted(set(ra.tolist())) == list(range(7)), sorted(set(ra.tolist()))
assert sorted(set(rb.tolist())) == [0, 1]
assert a["policies/score/proposals"][ra < 2].tobytes() == b["policies/score/proposals"][()].tobytes()
assert list(a["policies/score/timeseries/rep"][()]) == list(range(7))
assert list(b["policies/score/timeseries/rep"][()]) == [0, 1]
assert a["policies/score/summary"][()].tobytes() == b["policies/score/summary"][()].tobytes()
' "$T/dall.h5" "$T/d2.h5"
expect_exit "--detail -2 is refused" 64 "$GPUPLAN" run --detail -2 -o "$T/x.h5"

# Names are never cut (issue 16, item 4): at the limit, 128 bytes, two
# policies that differ in their last byte and a tranche keep their whole
# names in every path of the file, and export reads it; one byte more is
# refused before anything runs.
long=$($PY -c 'print("P" * 127)')
tname=$(PYTHONIOENCODING=utf-8 $PY -c 'print("\u314e" * 42 + "tt")') # 42 x 3 + 2 = 128 bytes of UTF-8
expect_exit "names of 128 bytes run" 0 "$GPUPLAN" run tests/bad/name-too-long.json --reps 2 -q \
  --set "policies=[{\"name\": \"${long}a\"}, {\"name\": \"${long}b\", \"selection\": \"score\"}]" \
  --set "roadmap.tranches[0].name=$tname" -o "$T/long.h5"
check "names of 128 bytes: whole in every path" $PY -c '
import h5py, sys
f = h5py.File(sys.argv[1])
a, b, t = "P" * 127 + "a", "P" * 127 + "b", "\u314e" * 42 + "tt"
assert sorted(f["policies"]) == [a, b], list(f["policies"])
assert sorted(f["stats"]) == [a, b]
assert list(f["compare"]) == [a + "__" + b]
for p in (a, b):
    assert sorted(f["policies"][p]["timeseries"]["tranches"]) == [t]
    assert sorted(f["policies"][p]["timeseries"]["tranches"][t]) == ["allocated_gpus", "busy_gpus", "installed_gpus"]
' "$T/long.h5"
expect_exit "names of 128 bytes: export reads the file" 0 "$GPUPLAN" export "$T/long.h5" -d "$T/long-csv"
expect_exit "a policy name of 129 bytes is refused" 65 "$GPUPLAN" run tests/bad/name-too-long.json --reps 2 -q \
  --set "policies=[{\"name\": \"${long}ab\"}, {\"name\": \"${long}ac\"}]" -o "$T/long129.h5"
check "a name of 129 bytes: the limit named" grep -q 'policies\[0\].name: expected a name of at most 128 bytes (this one has 129)' "$T/err"
check "a name of 129 bytes: nothing written" test ! -e "$T/long129.h5"
expect_exit "a tranche name of 129 bytes is refused" 65 "$GPUPLAN" run tests/bad/name-too-long.json -q \
  --set "roadmap.tranches[0].name=${long}ab" --policy fcfs2 -o "$T/long129.h5"
check "a tranche name of 129 bytes: the limit named" grep -q 'roadmap.tranches\[0\].name: expected a name of at most 128 bytes' "$T/err"

# --set and --sweep values (issue 16, item 2): JSON when the whole value is
# JSON, else a string, which the loader then checks where it goes, with an
# error naming the value; numbers written as people do get a hint.
for v in 'demand.streams[0].rate_per_day=0,6' 'roadmap.target.gpus=52,000' \
  'demand.streams[0].rate_per_day=12abc' 'demand.streams[0].rate_per_day=1.5.3' 'review.reviewers=0x10'; do
  expect_exit "--set $v is refused" 65 "$GPUPLAN" run scenarios/baseline.json --reps 1 -q --set "$v" -o "$T/x.h5"
  check "--set $v: one line naming the value" sh -c "test \$(wc -l < '$T/err') -eq 1 &&
    grep -qF -- 'scenarios/baseline.json: --set $v: ${v%%=*}: expected ' '$T/err' && grep -qF -- 'found \"${v#*=}\"' '$T/err'"
done
check "nothing written for a refused --set" test ! -e "$T/x.h5"
"$GPUPLAN" run scenarios/baseline.json -q --set 'roadmap.target.gpus=52,000' -o "$T/x.h5" 2>"$T/err"
check "52,000: the hint says JSON numbers have no thousands separator" grep -q "no thousands separator" "$T/err"
expect_exit "--set bare dates are strings" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 2 -q \
  --set end=2001-01-01 --set measure_from=2000-06-01 --set 'roadmap.tranches[0].online=2000-03-01' -o "$T/dates.h5"
check "--set bare dates: the scenario run has them" $PY -c '
import h5py, json, sys
s = json.loads(h5py.File(sys.argv[1])["scenario"][()])
assert (s["end"], s["measure_from"], s["roadmap"]["tranches"][0]["online"]) == ("2001-01-01", "2000-06-01", "2000-03-01"), s
' "$T/dates.h5"
expect_exit "--set a number where a string goes" 65 "$GPUPLAN" run scenarios/validation/mmc.json -q \
  --set 'policies[0].name=2026' -o "$T/x.h5"
check "--set a number where a string goes: quote it, says the hint" grep -qF "found 2026 (a value that reads as JSON is JSON: put a string in quotes" "$T/err"
expect_exit "--set a JSON object with a key twice" 65 "$GPUPLAN" run scenarios/validation/mmc.json -q \
  --set 'review={"reviewers": 1, "reviewers": 2}' -o "$T/x.h5"
check "--set a key twice: located in the value" grep -qF -- '--set review={"reviewers": 1, "reviewers": 2}:1:18: reviewers: expected unique keys' "$T/err"
expect_exit "--sweep a list of dates" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 1 -q \
  --set end=2001-01-01 --set measure_from=2000-06-01 --sweep 'roadmap.tranches[0].online=2000-01-01,2000-03-01' -o "$T/sd.h5"

# --sweep: a JSON array holds values with ',' and ':' (objects too); a
# range is exact (issue 16, item 6: %.12g ran seed=1234567890123:... as
# three identical points).
expect_exit "--sweep a JSON array of objects" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 1 -q \
  --set end='"2001-01-01"' --set measure_from='"2000-06-01"' \
  --sweep 'review=[{"reviewers": 1}, {"reviewers": 2, "reviews_per_proposal": 2}]' \
  --sweep 'description=["a: b, c", "d"]' -o "$T/sj.h5"
check "--sweep a JSON array: 4 points, each its own values" $PY -c '
import h5py, json, sys
f = h5py.File(sys.argv[1])
assert f.attrs["points"] == 4
want = [({"reviewers": 1}, "a: b, c"), ({"reviewers": 1}, "d"),
        ({"reviewers": 2, "reviews_per_proposal": 2}, "a: b, c"), ({"reviewers": 2, "reviews_per_proposal": 2}, "d")]
for k, (rv, d) in enumerate(want):
    g = f["points"][str(k)]
    s = json.loads(g["scenario"][()])
    assert s["review"] == rv and s["description"] == d, (k, s["review"], s["description"])
    a = g.attrs["review"]
    assert json.loads(a.decode() if isinstance(a, bytes) else a) == rv
' "$T/sj.h5"
expect_exit "--sweep an exact range of seeds" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 1 --detail 0 \
  --set end='"2001-01-01"' --set measure_from='"2000-06-01"' --sweep 'seed=1234567890123:1234567890125:1' -o "$T/seeds.h5"
check "--sweep seeds: printed exactly (the columns of the one table)" grep -q "  1234567890123  *1234567890124  *1234567890125$" "$T/out"
check "--sweep seeds: three different seeds, stored exactly, three different runs" $PY -c '
import h5py, json, sys
f = h5py.File(sys.argv[1])
seeds = [int(f["points"][str(k)].attrs["seed"]) for k in range(3)]
assert seeds == [1234567890123, 1234567890124, 1234567890125], seeds
assert [json.loads(f["points"][str(k)]["scenario"][()])["seed"] for k in range(3)] == seeds
rows = [f["points"][str(k)]["policies"]["fcfs"]["summary"][()].tobytes() for k in range(3)]
assert len(set(rows)) == 3
' "$T/seeds.h5"
expect_exit "--sweep a decimal range" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 1 --detail 0 -q \
  --set end='"2001-01-01"' --set measure_from='"2000-06-01"' --sweep 'demand.streams[0].rate_per_day=0.1:0.3:0.1' -o "$T/dec.h5"
check "--sweep 0.1:0.3:0.1: the values are 0.1, 0.2, 0.3" $PY -c '
import h5py, json, sys
f = h5py.File(sys.argv[1])
v = [json.loads(f["points"][str(k)]["scenario"][()])["demand"]["streams"][0]["rate_per_day"] for k in range(3)]
assert v == [0.1, 0.2, 0.3], v
' "$T/dec.h5"
expect_exit "--sweep a list with a ':' outside a JSON array" 64 "$GPUPLAN" run --sweep 'description=a:b,c' -o "$T/x.h5"
check "--sweep ':' outside an array: the message says where it goes" grep -qF "goes in a JSON array: PATH=[...]" "$T/err"
expect_exit "--sweep a range beyond 18 digits" 64 "$GPUPLAN" run --sweep 'seed=12345678901234567890:12345678901234567892:1' -o "$T/x.h5"

# The scenario is read once (issue 16, item 12): from standard input or a
# pipe, a sweep's every point has it, and the file equals one from the file.
small="--reps 1 --detail 0 -q --sweep demand.streams[0].rate_per_day=20,40"
# shellcheck disable=SC2086 # words
expect_exit "a sweep from a file" 0 "$GPUPLAN" run tests/repro/sigint-detail-two.json $small -o "$T/file.h5"
# shellcheck disable=SC2086
expect_exit "a sweep from /dev/stdin" 0 sh -c "'$GPUPLAN' run /dev/stdin $small -o '$T/stdin.h5' < tests/repro/sigint-detail-two.json"
# shellcheck disable=SC2086
expect_exit "a sweep from a pipe" 0 sh -c "cat tests/repro/sigint-detail-two.json | '$GPUPLAN' run /dev/stdin $small -o '$T/pipe.h5'"
check "a sweep from stdin and a pipe: the same results as from the file" sh -c "
  h5diff -q '$T/file.h5' '$T/stdin.h5' /points /points && h5diff -q '$T/file.h5' '$T/pipe.h5' /points /points"
expect_exit "--set a string that is not UTF-8" 65 "$GPUPLAN" run scenarios/validation/mmc.json -q \
  --set "description=$(printf 'a\377b')" -o "$T/x.h5"
check "--set a string that is not UTF-8: the byte named" grep -q "expected a value of valid UTF-8, found byte 0xFF" "$T/err"
