# tests/cli/test_terminal.sh - what the terminal and the command line say
# (issue 17, items 4, 8 and 9): the run header and the result file name the
# overrides and the seed, and compare and the report repeat them; progress
# on stderr whenever it is a terminal; every --help ends with its exit
# statuses; --max-reps alone refused; a sweep prints one table across its
# points within 100 columns; --point takes a point's label; plot, report and
# `make demo` agree on where they write.  Item 6: run's and compare's tables
# within 100 columns (policies in blocks) for 7 and 9 policies, --wide the
# one wide table with the same numbers, compare --policy, and compare shows
# the rows run shows.
. tests/cli/lib.sh

S=scenarios/validation/mmc.json
small="--reps 2 --detail 0"

# ---- item 4: overrides and seed, in the header, the file, compare, the report
expect_exit "run with --set and --seed" 0 "$GPUPLAN" run $small --set review.reviewers=60 \
  --set demand.streams[0].rate_per_day=0.6 --seed 7 -o "$T/rate.h5" --policy score,fcfs
check "run header: the scenario, every --set and the seed" grep -q \
  '^baseline (built-in) with review.reviewers=60, demand.streams\[0\].rate_per_day=0.6, seed 7$' "$T/out"
check "the file stores the overrides as given (root attribute overrides)" $PY -c '
import sys, h5py
f = h5py.File(sys.argv[1], "r")
o = [x.decode() if isinstance(x, bytes) else x for x in f.attrs["overrides"]]
assert o == ["review.reviewers=60", "demand.streams[0].rate_per_day=0.6"], o
assert int(f.attrs["seed"]) == 7
' "$T/rate.h5"
expect_exit "compare it" 0 "$GPUPLAN" compare "$T/rate.h5"
check "compare's first line: the overrides and the seed" sh -c "head -n 1 '$T/out' | grep -q '^baseline with review.reviewers=60, demand.streams\[0\].rate_per_day=0.6, seed 7: 2 replications'"
expect_exit "report it" 0 "$GPUPLAN" report "$T/rate.h5" -o "$T/rate.html"
check "the report header: the overrides and the seed" grep -q \
  '<p id="run-title"><strong>baseline with review.reviewers=60, demand.streams\[0\].rate_per_day=0.6, seed 7</strong></p>' "$T/rate.html"

expect_exit "run without --set" 0 "$GPUPLAN" run "$S" --reps 2 --seed 3 -o "$T/plain.h5"
check "run header: no overrides, the file and the seed" grep -q "^mmc ($S), no overrides, seed 3$" "$T/out"
check "the file: overrides an empty list" $PY -c '
import sys, h5py
f = h5py.File(sys.argv[1], "r")
assert len(f.attrs["overrides"]) == 0, f.attrs["overrides"]
' "$T/plain.h5"
expect_exit "compare it" 0 "$GPUPLAN" compare "$T/plain.h5"
check "compare: no overrides, seed 3" sh -c "head -n 1 '$T/out' | grep -q '^mmc, no overrides, seed 3: 2 replications'"

# The README's sequence: no --set run writes over the demo's file.
check "README: every --set run of 'Using it' has its own -o" $PY -c '
import re
t = open("README.md").read()
block = t.split("## Using it", 1)[1].split("```", 2)[1]
runs = [l for l in block.splitlines() if " run " in l and "--set" in l]
assert runs, "no --set run in the README"
for l in runs:
    m = re.search(r"-o (\S+)", l)
    assert m and m.group(1) != "out/baseline.h5", l
'

# ---- item 8: progress, help, --max-reps, messages, policies
# script(1) gives the command a terminal; stdout goes to a pipe, as in
# `run | tee log`: the progress still shows on stderr.
if command -v script >/dev/null; then
  script -qec "'$GPUPLAN' run '$S' --reps 4 -o '$T/p.h5' | cat >'$T/piped'" /dev/null >"$T/tty" 2>&1
  check "progress on stderr with stdout a pipe (run | tee)" grep -q "replications 4/4" "$T/tty"
  check "the table still on stdout" grep -q "^metric " "$T/piped"
  script -qec "'$GPUPLAN' run '$S' --reps 4 --precision 0.001 --max-reps 12 -o '$T/pp.h5' | cat >/dev/null" /dev/null >"$T/tty" 2>&1
  check "--precision: progress shows the worst precision and the cap" grep -q "worst precision [0-9.]* (target 0.001, cap 12)" "$T/tty"
else
  echo "PASS: progress on a terminal (skipped: no script(1))"
fi
"$GPUPLAN" run "$S" --reps 2 -o "$T/q.h5" >/dev/null 2>"$T/err"
check "no progress when stderr is not a terminal" test ! -s "$T/err"

for c in run validate show diff policies compare export plot report replay; do
  "$GPUPLAN" "$c" --help >"$T/help" 2>&1
  check "$c --help: an exit-status section" grep -q "^Exit status:$" "$T/help"
  check "$c --help: 0 and 64 in it" sh -c "grep -q '^  0 ' '$T/help' && grep -q '^  64 ' '$T/help'"
  check "$c --help: no %%" sh -c "! grep -q '%%' '$T/help'"
done
"$GPUPLAN" --help >"$T/help"
check "gpuplan --help: every status" sh -c "for s in 0 64 65 66 69 73 74 130/143; do grep -q \"^  \$s \" '$T/help' || exit 1; done"
"$GPUPLAN" plot --help >"$T/help"
check "plot --help: 69 gnuplot missing" grep -q "^  69 .*gnuplot missing" "$T/help"
"$GPUPLAN" validate --help >"$T/help"
check "validate --help: no 69 (not its status)" sh -c "! grep -q '^  69 ' '$T/help'"
"$GPUPLAN" diff --help >"$T/help"
check "diff --help: 1 different" grep -q "^  1 .*differ" "$T/help"

expect_exit "--max-reps without --precision: refused" 64 "$GPUPLAN" run "$S" --max-reps 50 -o "$T/m.h5"
check "... in one line and the hint" sh -c "test \$(wc -l <'$T/err') -eq 2 && grep -q '^gpuplan run: --max-reps caps --precision, which is not given$' '$T/err'"
check "... nothing written" test ! -e "$T/m.h5"

expect_exit "--policy unknown, no sweep" 64 "$GPUPLAN" run "$S" --policy nosuch -o "$T/n.h5"
check "no stray (sweep point 0:) without a sweep" sh -c "grep -q 'no policy \"nosuch\"' '$T/err' && ! grep -q 'sweep point' '$T/err'"
expect_exit "--policy unknown in a sweep" 64 "$GPUPLAN" run "$S" --policy nosuch --sweep seed=1,2 -o "$T/n.h5"
check "a sweep's failing point is named" grep -q '(sweep point 0: seed=1)$' "$T/err"

expect_exit "policies" 0 "$GPUPLAN" policies
check "policies lists the reclaim rule and its settings" sh -c "grep -q '^  reclaim ' '$T/out' && grep -q 'at = 0.5 (0 to 1)' '$T/out' && grep -q 'below_use = 0.1' '$T/out' && grep -q 'take = 0.5' '$T/out'"

# ---- item 6: run's and compare's tables within 100 columns
# The tables' lines: run's after "mean ± ..." (its first lines name the
# scenario with every --set, and the result file: any length), compare's
# from its table to the best per metric (the lines before and after are
# its header and sentences).
TABLES='
import re, sys
def run_table(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    at = [i for i, l in enumerate(lines) if l.startswith("mean ± 95% confidence")]
    assert len(at) == 1, at
    lines = lines[at[0] + 1:]
    end = [i for i, l in enumerate(lines) if l.startswith("target GPUs")]
    return lines[:end[0] if end else len(lines)]
def compare_table(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    first = min(i for i, l in enumerate(lines) if l.startswith("metric ") or l.startswith("  #"))
    end = [i for i, l in enumerate(lines) if l.startswith("best policy per metric")]
    return lines[first:end[0] if end else len(lines)]
def cells(lines, names=None):
    """(row, column heading) -> cell, read off every block (a line that starts with
    metric heads one); columns are 2 or more spaces apart, a cell has single spaces.
    NAMES: the headings, for --wide, whose long names may run together."""
    out, heads = {}, None
    for l in lines:
        if not l.strip():
            heads = None
            continue
        parts = re.split(r" {2,}", l.strip())
        if l.startswith("metric"):
            heads = names or parts[1:]
            continue
        if heads is None:
            continue
        assert len(parts) == len(heads) + 1, (l, heads)
        for h, c in zip(heads, parts[1:]):
            assert (parts[0], h) not in out, (parts[0], h)
            out[parts[0], h] = c
    return out
'
WIDTH='
lines = {"run": run_table, "compare": compare_table}[sys.argv[3]](sys.argv[1])
wide = [l for l in lines if len(l) > 100]   # characters: "±" is one column
assert not wide, wide
assert sum(l.startswith("metric") for l in lines) >= int(sys.argv[2]), "blocks"
'
expect_exit "run the baseline (7 policies)" 0 "$GPUPLAN" run scenarios/baseline.json $small -o "$T/b7.h5"
cp "$T/out" "$T/run7"
check "run, 7 policies: every table line within 100 columns, in 2 blocks or more" \
  $PY -c "$TABLES$WIDTH" "$T/run7" 2 run
check "run: the roadmap risk in two lines within 100 columns" sh -c \
  "grep -q '^roadmap risk: P(target reached by 2028-12-31) = [0-9.]* (95% CI [0-9.-]*);\$' '$T/run7' && grep -q '^  date reached' '$T/run7'"
# Issue 17, item 1: "never" only for a plan that never adds up to the target,
# with its shortfall (the baseline's tranches peak below 52,000); otherwise
# the dates, past the simulated end too.
check "run: the baseline's plan never reaches its target, and says by how much" $PY -c '
import re, sys
m = re.search(r"^  date reached: never: the roadmap as planned peaks at ([0-9]+) GPUs, ([0-9]+) short$",
              open(sys.argv[1], encoding="utf-8").read(), re.M)
assert m and int(m.group(1)) + int(m.group(2)) == 52000 and int(m.group(2)) > 0, m
' "$T/run7"
expect_exit "run with a target the plan reaches" 0 "$GPUPLAN" run scenarios/baseline.json $small --policy score --set roadmap.target.gpus=40000 -o "$T/t40.h5"
check "... the dates the target is reached, in order, however late" $PY -c '
import re, sys
m = re.search(r"^  date reached, after the simulated end too: 10% (\S+), median (\S+), 90% (\S+)$",
              open(sys.argv[1], encoding="utf-8").read(), re.M)
assert m and "never" not in m.groups() and list(m.groups()) == sorted(m.groups()), m and m.groups()
' "$T/out"
expect_exit "run --wide" 0 "$GPUPLAN" run scenarios/baseline.json $small --wide -o "$T/b7w.h5"
cp "$T/out" "$T/run7w"
check "run --wide: the old layout, one line per metric, every policy on it" sh -c \
  "test \$(grep -c '^proposals ' '$T/run7w') -eq 1 && grep -q '^metric  *score  *fcfs  *quota  *lottery  *proportional  *hetero  *score-reclaim\$' '$T/run7w' && test \$(grep -c '^proposals ' '$T/run7') -ge 2"
check "run: the same numbers in blocks and --wide" $PY -c "$TABLES"'
a, b = cells(run_table(sys.argv[1])), cells(run_table(sys.argv[2]))
assert a == b, set(a.items()) ^ set(b.items())
assert len(a) == 7 * 26, len(a)  # 23 rows, then energy, electricity cost, GPU-hours reclaimed (issue 21)
' "$T/run7" "$T/run7w"

expect_exit "compare the baseline (7 policies)" 0 "$GPUPLAN" compare "$T/b7.h5"
cp "$T/out" "$T/cmp7"
check "compare, 7 policies: every table line within 100 columns, in 2 blocks or more" \
  $PY -c "$TABLES$WIDTH" "$T/cmp7" 2 compare
expect_exit "compare --wide" 0 "$GPUPLAN" compare "$T/b7.h5" --wide
cp "$T/out" "$T/cmp7w"
check "compare --wide: one line per metric, every policy and every difference on it" sh -c \
  "test \$(grep -c '^proposals ' '$T/cmp7w') -eq 1 && grep -q '^metric  *score  *fcfs .* score-reclaim  *fcfs - score .* score-reclaim - score\$' '$T/cmp7w'"
check "compare: the same numbers in blocks and --wide; a policy and its difference side by side" $PY -c "$TABLES"'
a, b = cells(compare_table(sys.argv[1])), cells(compare_table(sys.argv[2]))
assert a == b, set(a.items()) ^ set(b.items())
lines = compare_table(sys.argv[1])
for l in lines:
    if l.startswith("metric"):
        heads = re.split(r" {2,}", l.strip())[1:]
        for i, h in enumerate(heads):
            if " - " in h:
                assert heads[i - 1] == h.split(" - ")[0], heads
' "$T/cmp7" "$T/cmp7w"
check "compare shows the rows run shows, titled as run titles them (issue 17, item 7), in run's order" $PY -c "$TABLES"'
run = [k[0] for k in cells(run_table(sys.argv[1]))]
cmp = [k[0] for k in cells(compare_table(sys.argv[2]))]
run = list(dict.fromkeys(run)); cmp = list(dict.fromkeys(cmp))
assert run == cmp, (run, cmp)
j = run.index("acceptance rate (%)")
assert run[j + 1:j + 6] == ["industry", "startup", "academia", "research", "national"], run
assert "GPU-hours granted (M GPU-hours)" in run, run
' "$T/run7" "$T/cmp7"
check "a difference that is 0 in every replication reads identical, and only such" $PY -c "$TABLES"'
import h5py
c = cells(compare_table(sys.argv[1]))
f = h5py.File(sys.argv[2])
ident = {k for k, v in c.items() if v == "identical"}
def same(name):
    return (f["policies/score/summary"][name] == f["policies/fcfs/summary"][name]).all()
# The roadmap is the world'"'"'s (the same under every policy); the accepted
# differ; the proposals too once returning applicants come back under the
# policies that rejected or ran their predecessors only (the baseline).
assert same("installed_gpus_at_target") and not same("accepted")
for title, name in (("GPUs at target date", "installed_gpus_at_target"),
                    ("accepted (proposals)", "accepted"), ("proposals", "proposals")):
    assert ((title, "fcfs - score") in ident) == same(name), (title, sorted(ident))
' "$T/cmp7" "$T/b7.h5"

# ---- item 7: one vocabulary: gpuplan metrics names each metric's title
expect_exit "metrics" 0 "$GPUPLAN" metrics
cp "$T/out" "$T/metrics"
expect_exit "metrics --run" 0 "$GPUPLAN" metrics --run
cp "$T/out" "$T/metrics-run"
expect_exit "metrics with an argument" 64 "$GPUPLAN" metrics extra
check "metrics: every summary metric of a result file once, within 100 columns, a title each" $PY -c '
import re, sys, h5py
rows = [re.split(r" {2,}", l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")]
assert rows[0] == ["name", "title", "unit shown", "better"], rows[0]
names = [r[0] for r in rows[1:]]
f = h5py.File(sys.argv[3])
m = [x.decode() if isinstance(x, bytes) else x for x in f["stats/score"].attrs["metrics"]]
assert sorted(names) == sorted(m), set(names) ^ set(m)
assert all(len(r) == 4 and r[1].strip() and r[3] in ("lower", "higher", "-") for r in rows[1:])
assert max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")) <= 100
run = [r[0] for r in (re.split(r" {2,}", l.rstrip("\n")) for l in open(sys.argv[2], encoding="utf-8"))][1:]
assert 10 < len(run) < len(names) and all(n in names for n in run), run
' "$T/metrics" "$T/metrics-run" "$T/b7.h5"

# Nine policies, one of them named longer than a column.
long=score-with-a-policy-name-far-longer-than-a-column
P9='[{"name":"score","selection":"score"},{"name":"fcfs","selection":"fcfs"},{"name":"quota","selection":"quota"},{"name":"lottery","selection":"lottery"},{"name":"proportional","selection":"proportional"},{"name":"score-easy","selection":"score","scheduling":"easy"},{"name":"fcfs-easy","selection":"fcfs","scheduling":"easy"},{"name":"lottery-conservative","selection":"lottery","scheduling":"conservative"},{"name":"'$long'","selection":"score","scheduling":"hetero"}]'
expect_exit "run 9 policies" 0 "$GPUPLAN" run scenarios/baseline.json $small --set "policies=$P9" -o "$T/b9.h5"
cp "$T/out" "$T/run9"
check "run, 9 policies: every table line within 100 columns, in 3 blocks or more" \
  $PY -c "$TABLES$WIDTH" "$T/run9" 3 run
check "run: the long name as #8 in the table, in full once above it" sh -c \
  "test \$(grep -c -- '$long' '$T/run9') -eq 2 && grep -q '^  #8: $long\$' '$T/run9' && grep -q '^metric .*  #8\$' '$T/run9'"
expect_exit "run 9 policies --wide" 0 "$GPUPLAN" run scenarios/baseline.json $small --set "policies=$P9" --wide -o "$T/b9w.h5"
check "run, 9 policies: the same numbers in --wide (the long name in full there)" $PY -c "$TABLES"'
names = ["score", "fcfs", "quota", "lottery", "proportional", "score-easy", "fcfs-easy",
         "lottery-conservative", "#8"]
a, b = cells(run_table(sys.argv[1])), cells(run_table(sys.argv[2]), names)
assert a == b, set(a.items()) ^ set(b.items())
assert len(a) == 9 * 26, len(a)
' "$T/run9" "$T/out"
expect_exit "compare 9 policies" 0 "$GPUPLAN" compare "$T/b9.h5"
cp "$T/out" "$T/cmp9"
check "compare, 9 policies: every table line within 100 columns, in 4 blocks or more" \
  $PY -c "$TABLES$WIDTH" "$T/cmp9" 4 compare
check "compare: the long names as #P in the table, each in full once above it" $PY -c "$TABLES"'
lines = compare_table(sys.argv[1])
assert lines[:2] == ["  #7: lottery-conservative", "  #8: " + sys.argv[2]], lines[:3]
assert sum(sys.argv[2] in l for l in lines) == 1 and sum("lottery-conservative" in l for l in lines) == 1
heads = {h for (r, h) in cells(lines)}
assert {"#7", "#7 - score", "#8", "#8 - score"} <= heads, heads
' "$T/cmp9" "$long"
expect_exit "compare 9 policies --wide" 0 "$GPUPLAN" compare "$T/b9.h5" --wide
check "compare, 9 policies: the same numbers in --wide" $PY -c "$TABLES"'
names = ["score", "fcfs", "quota", "lottery", "proportional", "score-easy", "fcfs-easy", "#7", "#8"]
names += [n + " - score" for n in names[1:]]
a, b = cells(compare_table(sys.argv[1])), cells(compare_table(sys.argv[2]), names)
assert a == b, set(a.items()) ^ set(b.items())
assert len(a) == (9 + 8) * 26, len(a)
' "$T/cmp9" "$T/out"

# compare --policy: those policies and the baseline, in the table and the family.
expect_exit "compare --policy fcfs,lottery" 0 "$GPUPLAN" compare "$T/b7.h5" --policy fcfs,lottery
cp "$T/out" "$T/sel"
check "--policy: the header says 3 of 7 shown" grep -q '^baseline, no overrides, seed 20260303: 2 replications, 7 policies, 3 shown (--policy) (' "$T/sel"
check "--policy: those policies and the baseline in the table and the best per metric" $PY -c "$TABLES"'
t = open(sys.argv[1], encoding="utf-8").read()
assert "(each metric shown x each --policy policy against score)" in t.replace("\n", " "), t[:600]
heads = {h for (r, h) in cells(compare_table(sys.argv[1]))}
assert heads == {"score", "fcfs", "lottery", "fcfs - score", "lottery - score"}, heads
best = [l for l in t.splitlines() if "(higher is better)" in l or "(lower is better)" in l]
assert best and all("quota" not in l and "proportional" not in l for l in best), best
' "$T/sel"
"$GPUPLAN" compare "$T/b7.h5" --policy fcfs >"$T/sel1"
"$GPUPLAN" compare "$T/b7.h5" --policy lottery >"$T/sel2"
check "--policy: Holm's family is the differences of those policies (fcfs,lottery = fcfs + lottery)" $PY -c '
import re, sys
def family(path):
    t = open(path, encoding="utf-8").read()
    return int(re.search(r"the (\d+) differences shown that", t).group(1))
assert family(sys.argv[1]) == family(sys.argv[2]) + family(sys.argv[3]) > 0
assert family(sys.argv[4]) > family(sys.argv[1])
' "$T/sel" "$T/sel1" "$T/sel2" "$T/cmp7"
check "--policy: the same means and differences as the whole table (intervals: Holm over fewer)" $PY -c "$TABLES"'
a, b = cells(compare_table(sys.argv[1])), cells(compare_table(sys.argv[2]))
assert a
def mean(c):  # the number before " ±" or " [", and its decimals (a difference gets
    if c == "identical":  # as many as its interval needs: Holm over fewer, fewer)
        return 0.0, 9
    x = c.split(" ")[0]
    return float(x), len(x.split(".")[1]) if "." in x else 0
for k, v in a.items():
    (x, d), (y, e) = mean(v), mean(b[k])
    assert abs(x - y) <= 0.5 * 10 ** -min(d, e) + 1e-9, (k, v, b[k])
' "$T/sel" "$T/cmp7"
expect_exit "compare --policy with --baseline" 0 "$GPUPLAN" compare "$T/b7.h5" --policy quota --baseline fcfs
check "--policy: the baseline shown too" grep -q '^metric  *fcfs  *quota  *quota - fcfs$' "$T/out"
expect_exit "compare --policy with an unknown name" 64 "$GPUPLAN" compare "$T/b7.h5" --policy fcfs,nosuch
check "... the exact line, listing the file's policies" grep -qx "$T/b7.h5: --policy: no policy \"nosuch\" (the file has: score, fcfs, quota, lottery, proportional, hetero, score-reclaim)" "$T/err"

# ---- item 9: one table across a sweep's points, --point by label, places
# (3 points fit 100 columns whatever the widths of the cells, which depend
# on the intervals' decimals: the 9-point sweep below checks the blocks)
expect_exit "a sweep of 3 points" 0 "$GPUPLAN" run $small --policy score,fcfs \
  --sweep review.reviewers=40:80:20 -o "$T/sw.h5"
check "one table: one block per policy, a column per point" sh -c "test \$(grep -c '^policy score  *40  *60  *80$' '$T/out') -eq 1 && test \$(grep -c '^policy fcfs  *40  *60  *80$' '$T/out') -eq 1"
check "no table per point" sh -c "! grep -q '^point:' '$T/out' && ! grep -q '^metric ' '$T/out'"
check "the roadmap across the points" grep -q '^roadmap (every policy)  *40  *60  *80$' "$T/out"
check "the header names the sweep" grep -q '^swept over review.reviewers (3 points' "$T/out"
# Every line but the one that names the result file (a path of any length).
check "every line within 100 columns" $PY -c '
import sys
w = max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8") if "results in" not in l)
assert w <= 100, w
' "$T/out"
expect_exit "a sweep of 9 points" 0 "$GPUPLAN" run $small --policy score \
  --sweep review.reviewers=20:100:10 -o "$T/sw9.h5"
check "9 points: in blocks, every line within 100 columns" $PY -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert max(len(l) for l in lines if "results in" not in l) <= 100
heads = [l for l in lines if l.startswith("policy score")]
assert len(heads) >= 2, heads
cols = sum(len(h.split()) - 2 for h in heads)
assert cols == 9, heads
' "$T/out"

expect_exit "a sweep of 9 points --wide" 0 "$GPUPLAN" run $small --policy score --wide \
  --sweep review.reviewers=20:100:10 -o "$T/sw9w.h5"
check "--wide: a sweep's points in one block" $PY -c '
import sys
heads = [l for l in open(sys.argv[1], encoding="utf-8") if l.startswith("policy score")]
assert len(heads) == 1 and len(heads[0].split()) - 2 == 9, heads
' "$T/out"

expect_exit "compare --point 2" 0 "$GPUPLAN" compare "$T/sw.h5" --point 2
mv "$T/out" "$T/by-index"
expect_exit "compare --point review.reviewers=80" 0 "$GPUPLAN" compare "$T/sw.h5" --point review.reviewers=80
check "the label reads the same point as its index" cmp -s "$T/out" "$T/by-index"
check "compare's first line names the point" sh -c "head -n 1 '$T/out' | grep -q ' at review.reviewers=80, seed '"
expect_exit "compare --point with a label no point has" 64 "$GPUPLAN" compare "$T/sw.h5" --point review.reviewers=81
check "... a located error listing the labels" grep -q "^$T/sw.h5: --point review.reviewers=81: no sweep point has that label (the points: 0 review.reviewers=40; 1 review.reviewers=60; 2 review.reviewers=80)$" "$T/err"
expect_exit "export --point by label" 0 "$GPUPLAN" export "$T/sw.h5" -d "$T/csv" --point review.reviewers=60
expect_exit "--point with a label on a file without a sweep" 64 "$GPUPLAN" compare "$T/plain.h5" --point a=1
check "... says the file is not a sweep" grep -q "plain.h5: --point a=1: the file is not a sweep" "$T/err"

# Where plot and report write by default: beside their input, as run's
# default puts it in out/; `make demo` uses those defaults.
mkdir -p "$T/o"
cp "$T/plain.h5" "$T/o/mmc.h5"
expect_exit "report, default page" 0 "$GPUPLAN" report "$T/o/mmc.h5"
check "report writes FILE.html beside FILE.h5" sh -c "test \"\$(cat '$T/out')\" = '$T/o/mmc.html' && test -s '$T/o/mmc.html'"
check "make demo: run, plot and report with their defaults" sh -c "
  make -n demo 2>/dev/null | grep -q '^\./gpuplan run$' &&
  make -n demo 2>/dev/null | grep -q '^\./gpuplan plot out/baseline.h5 ' &&
  make -n demo 2>/dev/null | grep -q '^\./gpuplan report out/baseline.h5 ' &&
  ! make -n demo 2>/dev/null | grep -q 'gpuplan.* -[od] '"
"$GPUPLAN" plot --help >"$T/help"
check "plot --help says where by default" grep -q "out/baseline.h5 gives out/baseline-charts/" "$T/help"
"$GPUPLAN" report --help >"$T/help"
check "report --help says where by default" grep -q "out/baseline.h5 gives out/baseline.html" "$T/help"

rm -rf "$T"
