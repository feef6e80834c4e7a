# tests/cli/test_variants.sh - the variants of the baseline in scenarios/variants/.
#
# Each variant is an overlay of scenarios/baseline.json ("extends", under 80
# lines) with one change:
#   centre-late   the national AI computing centre a year late
#   demand-high   every call's proposals and every stream's rate x1.5
#   small-panel   half the review panel
# Checks that each validates, that its resolved scenario (`gpuplan show`)
# differs from the baseline only where it says
# (notes, description and assumptions aside), runs (3 replications, -q), and
# that `gpuplan diff` lists exactly those differences, and that each run
# moves its metric the expected way against the baseline run with the same
# seed (means over replications, policy "score"):
#   centre-late: fewer GPUs installed at the roadmap target date;
#   demand-high: lower acceptance rate;
#   small-panel: later mean decision date of the first call (source 0).
. tests/cli/lib.sh

base="scenarios/baseline.json"
vdir="scenarios/variants"
args="--reps 3 -q --policy score"

expect_exit "variants: baseline runs (3 replications)" 0 "$GPUPLAN" run "$base" $args -o "$T/baseline.h5"

# diff_paths VARIANT: prints the JSON paths where VARIANT differs from the
# baseline, ignoring "note", the root "name", "description" and "assumptions".
diff_paths() {
  $PY - "$base" "$1" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ROOT_FREE = {"name", "description", "assumptions"}
def walk(x, y, path):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            if k == "note" or (path == "" and k in ROOT_FREE):
                continue
            walk(x.get(k), y.get(k), f"{path}.{k}" if path else k)
    elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, f"{path}[{i}]")
    elif x != y:
        print(path, json.dumps(x), json.dumps(y))
walk(a, b, "")
EOF
}

# mean FILE.h5 WHAT: a mean over replications of policy "score"
mean() {
  $PY - "$1" "$2" <<'EOF'
import sys
import h5py
import numpy as np
f = h5py.File(sys.argv[1], "r")
what = sys.argv[2]
if what == "first_call_decision":
    c = f["/policies/score/calls"][()]
    print("%.6g" % c[c["call"] == 0]["mean_decision"].mean())
else:
    print("%.6g" % np.nanmean(f["/policies/score/summary"][what]))
EOF
}

# less NAME A B: A < B (numbers)
less() {
  check "$1" $PY -c 'import sys; a, b = map(float, sys.argv[1:]); sys.exit(0 if a < b else 1)' "${2:-nan}" "${3:-nan}"
}

# diff_lines A B: the paths of `gpuplan diff A B` (exit 1: they differ),
# without note, the root name, description and assumptions, as diff_paths.
diff_lines() {
  "$GPUPLAN" diff "$1" "$2" >"$T/gpdiff" 2>"$T/gpdiff.err"
  test $? -eq 1 || echo "exit status not 1"
  sed 's/=.*//' "$T/gpdiff" | grep -v -E '(^|\.)note$|^(name|description|assumptions)$'
}

for v in centre-late demand-high small-panel; do
  f="$vdir/$v.json"
  expect_exit "variants: $v validates" 0 "$GPUPLAN" validate "$f"
  check "variants: $v is an overlay of the baseline under 80 lines" \
    $PY -c 'import json, sys; assert json.load(open(sys.argv[1]))["extends"] == "../baseline.json"' "$f"
  check "variants: $v has under 80 lines" test "$(wc -l <"$f")" -lt 80
  expect_exit "variants: $v shows" 0 "$GPUPLAN" show "$f"
  cp "$T/out" "$T/$v.resolved.json"
  check "variants: $v is named $v and says what changed" $PY -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["name"] == sys.argv[2], s["name"]
assert s["description"].startswith("Variant of baseline"), s["description"][:40]
assert "extends" not in s
' "$T/$v.resolved.json" "$v"
  diff_paths "$T/$v.resolved.json" > "$T/$v.diff"
  diff_lines "$base" "$f" > "$T/$v.gpdiff"
  check "variants: gpuplan diff baseline $v lists exactly its changes" \
    test "$(cut -d' ' -f1 "$T/$v.diff" | sort)" = "$(sort "$T/$v.gpdiff")"
  expect_exit "variants: $v runs (3 replications)" 0 "$GPUPLAN" run "$f" $args -o "$T/$v.h5"
done

# centre-late: only the centre's online date moves, by a year
check "variants: centre-late changes only the centre's online date" $PY -c '
import json, sys
base = json.load(open(sys.argv[1]))
lines = [l.split(" ", 2) for l in open(sys.argv[2]).read().splitlines()]
names = [t["name"] for t in base["roadmap"]["tranches"]]
i = names.index("national-ai-centre")
assert [l[0] for l in lines] == [f"roadmap.tranches[{i}].online"], lines
old, new = json.loads(lines[0][1]), json.loads(lines[0][2])
assert int(new[:4]) == int(old[:4]) + 1 and new[4:] == old[4:], (old, new)
' "$base" "$T/centre-late.diff"
b=$(mean "$T/baseline.h5" installed_gpus_at_target)
x=$(mean "$T/centre-late.h5" installed_gpus_at_target)
less "variants: centre-late installs fewer GPUs by the target date ($x vs $b)" "$x" "$b"

# demand-high: every call's proposals and every stream's rate x1.5, nothing else
check "variants: demand-high multiplies every call's proposals and stream's rate by 1.5, nothing else" $PY -c '
import json, re, sys
base = json.load(open(sys.argv[1]))
lines = [l.split(" ", 2) for l in open(sys.argv[2]).read().splitlines()]
want = {f"demand.calls[{i}].proposals" for i in range(len(base["demand"]["calls"]))}
want |= {f"demand.streams[{i}].rate_per_day" for i in range(len(base["demand"].get("streams", [])))}
got = {l[0] for l in lines}
assert got == want, sorted(got ^ want)
for path, old, new in lines:
    old, new = float(old), float(new)
    assert abs(new - 1.5 * old) <= 1e-6 * max(1, old), (path, old, new)
' "$base" "$T/demand-high.diff"
b=$(mean "$T/baseline.h5" acceptance_rate)
x=$(mean "$T/demand-high.h5" acceptance_rate)
less "variants: demand-high accepts a smaller share ($x vs $b)" "$x" "$b"

# small-panel: only the panel, halved
check "variants: small-panel halves the review panel, nothing else" $PY -c '
import json, sys
base = json.load(open(sys.argv[1]))
lines = [l.split(" ", 2) for l in open(sys.argv[2]).read().splitlines()]
assert [l[0] for l in lines] == ["review.reviewers"], lines
assert int(lines[0][2]) == base["review"]["reviewers"] // 2, lines
' "$base" "$T/small-panel.diff"
b=$(mean "$T/baseline.h5" first_call_decision)
x=$(mean "$T/small-panel.h5" first_call_decision)
less "variants: small-panel decides the first call later (day $b vs $x)" "$b" "$x"
