# tests/cli/test_overlays.sh - scenario overlays ("extends"), `gpuplan show`
# and `gpuplan diff` (scenarios/README.md, Overlays), on the fixtures of
# tests/overlays/:
#   base.json    a small complete scenario;
#   patch.json   an overlay of it using every rule of the merge (an object
#                patched, null removing a key, a named element patched,
#                one removed, one appended, one put after another, one
#                before, plain lists replaced whole);
#   full.json    the same scenario written out in full, by hand;
#   chain.json   an overlay of patch.json; sub/up.json one in a directory;
#   bad-*.json   one broken overlay each, its exact one-line error in
#                bad-*.expected (located in the file that holds the value).
. tests/cli/lib.sh
D=tests/overlays

# json_equal A B: the two files hold equal JSON values.
json_equal() {
  $PY -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' "$1" "$2"
}

expect_exit "overlays: show base.json" 0 "$GPUPLAN" show "$D/base.json"
cp "$T/out" "$T/base.json"
check "overlays: show of a plain file is its JSON" json_equal "$T/base.json" "$D/base.json"
expect_exit "overlays: show patch.json" 0 "$GPUPLAN" show "$D/patch.json"
cp "$T/out" "$T/patch.json"
expect_exit "overlays: show full.json" 0 "$GPUPLAN" show "$D/full.json"
cp "$T/out" "$T/full.json"
check "overlays: show of the overlay = show of the equivalent full file (same bytes)" cmp -s "$T/patch.json" "$T/full.json"

# Each rule, on the resolved patch.json.
check "overlays: the merge's rules, one by one" $PY - "$T/patch.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
assert "extends" not in s
assert s["name"] == "patched"                                   # a value replaced
assert "description" not in s                                   # null removes a key
assert s["review"] == {"reviewers": 20, "reviews_per_proposal": 2}  # object patched, note removed
assert s["assumptions"] == ["only this one"]                    # a plain list replaced whole
t = s["roadmap"]["tranches"]
assert [x["name"] for x in t] == ["b", "e", "c", "d"], t        # a removed, e after b, d appended
assert t[0]["nodes"] == 16 and t[0]["online"] == "2026-03-01"   # a named element patched
assert "after" not in t[1] and "note" not in t[1]               # the merge's keys never reach it
c = s["demand"]["calls"][0]
assert c["committees"] == ["2026-05-01"] and c["proposals"] == 40
assert c["sector_mix"] == {"research": 1}
assert [p["name"] for p in s["policies"]] == ["easy", "fcfs"]  # "before"
assert "before" not in s["policies"][0]
PYEOF

# A chain of three files, and a base named from a subdirectory.
expect_exit "overlays: show chain.json (chain -> patch -> base)" 0 "$GPUPLAN" show "$D/chain.json"
check "overlays: the chain's last overlay wins, the rest kept" $PY -c '
import json, sys
s, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert s["name"] == "chained" and s["roadmap"]["tranches"][2] == dict(p["roadmap"]["tranches"][2], nodes=5)
s["name"], s["roadmap"]["tranches"][2]["nodes"] = p["name"], 2
assert s == p
' "$T/out" "$T/patch.json"
expect_exit "overlays: a base relative to the overlay's directory" 0 "$GPUPLAN" show "$D/sub/up.json"
check "overlays: ../base.json found from sub/" $PY -c '
import json, sys; s = json.load(open(sys.argv[1])); assert s["name"] == "up" and s["seed"] == 8, s' "$T/out"

# --set applies to the resolved scenario (after the chain).
expect_exit "overlays: show --set after extends" 0 "$GPUPLAN" show "$D/patch.json" \
  --set review.reviewers=7 --set 'roadmap.tranches[1].nodes=9'
check "overlays: --set changes the merged values" $PY -c '
import json, sys; s = json.load(open(sys.argv[1]))
assert s["review"]["reviewers"] == 7 and s["roadmap"]["tranches"][1] ["name"] == "e" and s["roadmap"]["tranches"][1]["nodes"] == 9, s' "$T/out"
expect_exit "overlays: a --set value is checked as one in the file" 65 "$GPUPLAN" show "$D/patch.json" --set review.reviewers=-2
check "overlays: --set error names the overlay and the argument" \
  grep -qx "$D/patch.json: --set review.reviewers=-2: review.reviewers: expected an integer in \[0, 1000000\], found -2" "$T/err"

# diff: the differences as --set lines; 0 same, 1 different.
expect_exit "overlays: diff of a file and itself: exit 0" 0 "$GPUPLAN" diff "$D/patch.json" "$D/full.json"
check "overlays: ... and prints nothing" test ! -s "$T/out"
expect_exit "overlays: diff base chain: exit 1" 1 "$GPUPLAN" diff "$D/patch.json" "$D/chain.json"
check "overlays: diff lists exactly the chain's changes" test "$(cat "$T/out")" = 'name="chained"
roadmap.tranches[2].nodes=5'
expect_exit "overlays: diff base patch: exit 1" 1 "$GPUPLAN" diff "$D/base.json" "$D/patch.json"
check "overlays: diff says removals as null, lists of another length whole, in document order" $PY - "$T/out" <<'PYEOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
paths = [l.split("=", 1)[0] for l in lines]
assert paths == ["name", "description", "assumptions", "roadmap.tranches",
                 "demand.calls[0].committees", "demand.calls[0].sector_mix.academia",
                 "demand.calls[0].sector_mix.research", "review.reviewers", "review.note",
                 "policies"], paths
v = dict(l.split("=", 1) for l in lines)
assert v["description"] == "null" and v["review.note"] == "null"
assert json.loads(v["roadmap.tranches"])[1]["name"] == "e"
assert json.loads(v["review.reviewers"]) == 20
PYEOF
# diff's lines are --set arguments: applied to A they give B (lists of equal length).
expect_exit "overlays: diff base sub/up.json: exit 1" 1 "$GPUPLAN" diff "$D/base.json" "$D/sub/up.json"
# apply_diff: show base.json with each line of $T/out as --set, into $T/a.json.
apply_diff() {
  set --
  while IFS= read -r line; do set -- "$@" --set "$line"; done <"$T/out"
  "$GPUPLAN" show "$D/base.json" "$@" >"$T/a.json"
}
apply_diff
"$GPUPLAN" show "$D/sub/up.json" >"$T/b.json"
check "overlays: diff's output, given to --set, turns A into B" cmp -s "$T/a.json" "$T/b.json"
expect_exit "overlays: diff with one file: usage" 64 "$GPUPLAN" diff "$D/base.json"
expect_exit "overlays: diff of a bad file: 65" 65 "$GPUPLAN" diff "$D/base.json" "$D/bad-in-overlay.json"
expect_exit "overlays: diff of a missing file: 66" 66 "$GPUPLAN" diff "$D/base.json" "$T/nope.json"

# Broken overlays: one line each, located in the file that holds the value.
n=0
for f in "$D"/bad-*.json; do
  n=$((n + 1))
  want=65
  case $f in *missing-base*) want=66 ;; esac
  expect_exit "overlays: $f: validate exits $want" "$want" "$GPUPLAN" validate "$f"
  check "overlays: $f: exact message" test "$(cat "$T/err")" = "$(cat "${f%.json}.expected")"
  expect_exit "overlays: $f: show exits $want" "$want" "$GPUPLAN" show "$f"
  check "overlays: $f: show prints nothing" test ! -s "$T/out"
done
check "overlays: at least 10 broken overlays" test "$n" -ge 10

# More than 16 files in a chain.
mkdir "$T/deep"
cp "$D/base.json" "$T/deep/f0.json"
for i in $(seq 1 16); do
  printf '{"extends": "f%d.json", "seed": %d}\n' $((i - 1)) "$i" >"$T/deep/f$i.json"
done
expect_exit "overlays: a chain of 16 files is read" 0 "$GPUPLAN" show "$T/deep/f15.json"
expect_exit "overlays: a chain of 17 files is refused" 65 "$GPUPLAN" show "$T/deep/f16.json"
check "overlays: ... at the extends that makes it too long" \
  grep -qx "$T/deep/f1.json:1:13: extends: expected at most 16 files in a chain of \"extends\", found more" "$T/err"

# The result file keeps the chain of files and the resolved scenario.
expect_exit "overlays: run chain.json" 0 "$GPUPLAN" run "$D/chain.json" --reps 2 -q -o "$T/chain.h5"
"$GPUPLAN" show "$D/chain.json" >"$T/chain.json"
check "overlays: /scenario is the resolved scenario and its files attribute the chain" $PY - "$T/chain.h5" "$T/chain.json" <<'PYEOF'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
text = f["scenario"][()]
text = text.decode() if isinstance(text, bytes) else text
assert text + "\n" == open(sys.argv[2]).read()
files = [x.decode() if isinstance(x, bytes) else x for x in f["scenario"].attrs["files"]]
assert files == ["tests/overlays/chain.json", "tests/overlays/patch.json", "tests/overlays/base.json"], files
PYEOF

# The README's example of an overlay resolves (its base made absolute).
awk '/^## Overlays/{f=1} f&&/^```json/{g=1;next} g&&/^```/{exit} g' scenarios/README.md |
  sed "s#\"\.\./baseline\.json\"#\"$PWD/scenarios/baseline.json\"#" >"$T/example.json"
check "overlays: the README's example has at most 12 lines" test "$(wc -l <"$T/example.json")" -le 12
expect_exit "overlays: the README's example validates" 0 "$GPUPLAN" validate "$T/example.json"
