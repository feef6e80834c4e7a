# tests/cli/test_cli.sh - the command line end to end: help, version, exit
# codes, output files, the HDF5 contract, determinism; standard output that
# cannot be written, names with control characters printed escaped, a
# signal to validate.
. tests/cli/lib.sh

expect_exit "version exits 0" 0 "$GPUPLAN" --version
check "version names gpuplan" grep -Eq '^gpuplan [0-9]+\.[0-9]+\.[0-9]+$' "$T/out"
expect_exit "no command is a usage error" 64 "$GPUPLAN"
expect_exit "unknown command is a usage error" 64 "$GPUPLAN" frobnicate
for c in run validate show diff policies; do
  expect_exit "$c --help exits 0" 0 "$GPUPLAN" $c --help
  check "$c --help shows usage" grep -q "^usage: gpuplan $c" "$T/out"
done
expect_exit "top-level --help exits 0" 0 "$GPUPLAN" --help
check "top-level help lists run" grep -q "^  run " "$T/out"
expect_exit "unknown run option" 64 "$GPUPLAN" run --frobnicate
check "unknown option named" grep -q "unknown option --frobnicate" "$T/err"
expect_exit "--reps needs a number" 64 "$GPUPLAN" run --reps many
check "--reps message" grep -q -- '--reps: expected an integer in \[1, 1000000\], found "many"' "$T/err"

expect_exit "policies lists rules" 0 "$GPUPLAN" policies
check "policies names fcfs" grep -q "^  fcfs " "$T/out"

# validate: the shipped scenarios are good
expect_exit "validate shipped scenarios" 0 "$GPUPLAN" validate scenarios/baseline.json scenarios/validation/mmc.json
check "validate says ok" grep -q "^scenarios/baseline.json: ok" "$T/out"

# the shipped scenarios also satisfy the JSON Schema
check "shipped scenarios match schema.json" $PY -c '
import json, sys, glob, jsonschema, subprocess
schema = json.load(open("scenarios/schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
files = glob.glob("scenarios/*.json") + glob.glob("scenarios/*/*.json")
files = [f for f in files if not f.endswith("schema.json")]
assert len(files) >= 2, files
for f in files:
    s = json.load(open(f))
    if "extends" in s:  # an overlay: the schema describes its resolved form
        s = json.loads(subprocess.run([sys.argv[1], "show", f], check=True, capture_output=True).stdout)
    v.validate(s)
' "$GPUPLAN"

# missing input: 66, nothing written
expect_exit "missing scenario exits 66" 66 "$GPUPLAN" run "$T/nope.json" -o "$T/nope.h5"
check "missing scenario message" grep -q "nope.json: cannot open" "$T/err"
check "missing scenario writes nothing" test ! -e "$T/nope.h5"

# a bad scenario: 65, one line, nothing written, an existing file untouched
printf '{"name": "x", "epoch": "2026-02-30"}\n' > "$T/bad.json"
echo "precious" > "$T/keep.h5"
expect_exit "bad scenario exits 65" 65 "$GPUPLAN" run "$T/bad.json" -o "$T/keep.h5"
check "bad scenario: one line" test "$(wc -l < "$T/err")" -eq 1
check "bad scenario: file:line:col: path" grep -q "^$T/bad.json:1:24: epoch: expected a date" "$T/err"
check "bad scenario: existing output untouched" grep -q precious "$T/keep.h5"
check "bad scenario: no temporary left" test -z "$(ls "$T" | grep tmp)"

# unwritable output: 73
expect_exit "output in missing directory exits 73" 73 \
  "$GPUPLAN" run scenarios/validation/mmc.json --reps 2 --set end=\"2001-01-01\" --set measure_from=\"2000-06-01\" -q -o "$T/no/such/dir/x.h5"

# a small run end to end, then the HDF5 contract
small="--reps 3 --set end=\"2002-01-01\" --set measure_from=\"2000-07-01\" -q"
expect_exit "small run exits 0" 0 "$GPUPLAN" run scenarios/validation/mmc.json $small -o "$T/a.h5"
check "run writes its file" test -s "$T/a.h5"
check "HDF5 contract" $PY tests/check_contract.py "$T/a.h5"

# determinism: same seed, any thread count -> identical datasets
expect_exit "same run, 1 thread" 0 "$GPUPLAN" run scenarios/validation/mmc.json $small --threads 1 -o "$T/b.h5"
expect_exit "same run, 2 threads" 0 "$GPUPLAN" run scenarios/validation/mmc.json $small --threads 2 -o "$T/c.h5"
check "identical across runs (h5diff)" h5diff -q "$T/a.h5" "$T/b.h5"
check "identical across thread counts (h5diff)" h5diff -q "$T/b.h5" "$T/c.h5"
expect_exit "other seed" 0 "$GPUPLAN" run scenarios/validation/mmc.json $small --seed 99 -o "$T/d.h5"
check "another seed gives other results" sh -c "! h5diff -q '$T/a.h5' '$T/d.h5' /policies/fcfs/summary /policies/fcfs/summary"

# --policy picks policies; an unknown one is a usage error
expect_exit "unknown --policy" 64 "$GPUPLAN" run scenarios/validation/mmc.json $small --policy nope -o "$T/e.h5"
check "unknown --policy lists the scenario's" grep -q 'no policy "nope" in scenarios/validation/mmc.json (it has: fcfs)' "$T/err"

# the built-in scenario is the shipped baseline
expect_exit "built-in baseline runs" 0 "$GPUPLAN" run --reps 2 -o "$T/base.h5"
check "summary table printed" grep -q "^days to GPU" "$T/out"
check "built-in scenario is scenarios/baseline.json" $PY -c '
import h5py, json, sys
with h5py.File(sys.argv[1]) as f:
    stored = json.loads(f["scenario"][()])
shipped = json.load(open("scenarios/baseline.json"))
shipped["replications"] = 2
assert stored == shipped, "stored scenario differs from scenarios/baseline.json"
assert f is not None
' "$T/base.h5"

# The command table: every command `gpuplan --help` lists has the same help
# under `gpuplan help CMD`, `gpuplan CMD --help` and `-h` anywhere among its
# arguments; an unknown command is a usage error in either form.
"$GPUPLAN" --help >"$T/help"
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z]*\).*/\1/p' "$T/help")
check "--help lists the commands" test "$(echo $cmds)" = "run validate show diff policies metrics compare export plot report discover replay sensitivity calibrate size kpi select"
for c in $cmds; do
  "$GPUPLAN" help "$c" >"$T/h1"
  "$GPUPLAN" "$c" --help >"$T/h2"
  "$GPUPLAN" "$c" --frobnicate -h >"$T/h3"
  check "help $c: the same text three ways" sh -c "grep -q '^usage: gpuplan $c' '$T/h1' && cmp -s '$T/h1' '$T/h2' && cmp -s '$T/h1' '$T/h3'"
done
expect_exit "help of an unknown command" 64 "$GPUPLAN" help frobnicate
check "help of an unknown command: says so" grep -q 'unknown command "frobnicate"' "$T/err"

# Options through getopt_long: the usage error's two lines; --opt=value;
# options after the operand; a missing value; an option that takes none;
# an ambiguous abbreviation.
expect_exit "unknown option: two lines" 64 "$GPUPLAN" run --frobnicate
check "unknown option: the hint" sh -c "test \$(wc -l <'$T/err') -eq 2 && sed -n 2p '$T/err' | grep -qx \"Try 'gpuplan run --help'.\""
expect_exit "--opt=value and options after the scenario" 0 "$GPUPLAN" run scenarios/validation/mmc.json \
  --reps=2 --set end=\"2001-01-01\" --set=measure_from=\"2000-06-01\" -q -o "$T/eq.h5"
check "--reps=2 taken" $PY -c 'import h5py,sys; assert int(h5py.File(sys.argv[1]).attrs["replications"]) == 2' "$T/eq.h5"
expect_exit "a missing value" 64 "$GPUPLAN" run --reps
check "a missing value: named" grep -q "^gpuplan run: --reps needs a value$" "$T/err"
expect_exit "a value for an option that takes none" 64 "$GPUPLAN" compare --all=yes x.h5
check "a value for --all: named" grep -q "^gpuplan compare: --all takes no value$" "$T/err"
expect_exit "an ambiguous abbreviation" 64 "$GPUPLAN" run --s 1
check "an ambiguous abbreviation: the candidates" grep -q "ambiguous option --s (--seed, --set, --sweep)" "$T/err"
expect_exit "two scenarios" 64 "$GPUPLAN" run a.json -q b.json
check "two scenarios: the second named" grep -q "one scenario at a time (also got b.json)" "$T/err"

# Standard output that cannot be written is an I/O error (exit 74), in
# every command, not a silent success.
if [ -w /dev/full ]; then
  "$GPUPLAN" policies >/dev/full 2>"$T/err"
  check "policies to a full disk: exit 74" test $? -eq 74
  check "policies to a full disk: says so" grep -q "^gpuplan policies: standard output: " "$T/err"
  "$GPUPLAN" validate scenarios/baseline.json >/dev/full 2>"$T/err"
  check "validate to a full disk: exit 74" test $? -eq 74
fi

# ...in each command that prints (issue 16, item 12; compare > /dev/full
# exited 0).
if [ -w /dev/full ]; then
  "$GPUPLAN" run scenarios/validation/mmc.json --reps 2 --set end=\"2001-01-01\" --set measure_from=\"2000-06-01\" -q -o "$T/full.h5"
  for cmd in "compare $T/full.h5" "compare $T/full.h5 --all" "export $T/full.h5 -d $T/full-csv" \
    "kpi $T/full.h5" "kpi $T/full.h5 --format csv" \
    "replay tests/traces/small.swf --policy easy" "--help" "--version" "help compare"; do
    # shellcheck disable=SC2086
    "$GPUPLAN" $cmd >/dev/full 2>"$T/err"
    check "$cmd > /dev/full: exit 74" test $? -eq 74
  done
fi

# Control characters in names never reach the terminal raw (issue 16, item
# 12): a scenario named ESC[31m RED ESC[0m CR LF "fake: ok" (the
# reproducer), through validate, run's summary and compare; a file name with
# ESC in an error.
esc=$(printf '\033')
cr=$(printf '\r')
expect_exit "validate a scenario named with ESC and CR" 0 "$GPUPLAN" validate tests/cli/esc-in-name.json
check "validate: no ESC or CR printed" sh -c "! grep -q '$esc' '$T/out' && ! grep -q '$cr' '$T/out'"
check "validate: the name escaped on its one line" grep -q '^tests/cli/esc-in-name.json: ok ("\\u001b\[31mRED\\u001b\[0m\\r\\nfake: ok": ' "$T/out"
expect_exit "run it" 0 "$GPUPLAN" run tests/cli/esc-in-name.json --reps 2 -o "$T/esc.h5"
check "run: no ESC or CR in the summary" sh -c "! grep -q '$esc' '$T/out' && ! grep -q '$cr' '$T/out'"
check "run: the name escaped" grep -q '^\\u001b\[31mRED\\u001b\[0m\\r\\nfake: ok (tests/cli/esc-in-name.json), no overrides, seed' "$T/out"
expect_exit "compare it" 0 "$GPUPLAN" compare "$T/esc.h5"
check "compare: no ESC or CR" sh -c "! grep -q '$esc' '$T/out' && ! grep -q '$cr' '$T/out'"
check "compare: the name escaped" grep -q '^\\u001b\[31mRED\\u001b\[0m\\r\\nfake: ok, no overrides, seed [0-9]*: 2 replications' "$T/out"
expect_exit "a missing file named with ESC: exit 66" 66 "$GPUPLAN" validate "$T/x${esc}y.json"
check "the error line: escaped" sh -c "! grep -q '$esc' '$T/err' && grep -q 'x\\\\u001by.json: cannot open' '$T/err'"
expect_exit "an unknown command with CR: exit 64" 64 "$GPUPLAN" "bad${cr}cmd"
check "unknown command: escaped" sh -c "! grep -q '$cr' '$T/err' && grep -q 'unknown command \"bad\\\\rcmd\"' '$T/err'"

# validate stops on SIGTERM (issue 16, item 8): a FIFO nobody writes keeps it
# waiting; the signal ends it with 143 within 2 s.
mkfifo "$T/fifo.json"
signal_case "validate stops on SIGTERM: exit 143" TERM 0.5 143 "$GPUPLAN" validate "$T/fifo.json"
