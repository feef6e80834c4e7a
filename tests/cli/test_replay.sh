# tests/cli/test_replay.sh - `gpuplan replay`: hand-written traces with known
# schedules, the two real traces of the Parallel Workloads Archive under every
# rule, the result file, and every error with its exact message and exit
# status (nothing written on error).
. tests/cli/lib.sh

TR=tests/traces
REAL=tests/traces/pwa

# value KEY: the first number after KEY on a summary line of $T/out
value() { awk -v k="$1" 'index($0, k) == 1 { s = substr($0, length(k) + 1); split(s, a, " "); print a[1]; exit }' "$T/out"; }

# ---- small.swf: the schedules worked out in tests/unit/test_replay.c ----
for p in fcfs easy conservative; do
  expect_exit "small.swf under $p" 0 "$GPUPLAN" replay $TR/small.swf --policy $p
  case $p in fcfs) w=9.0 b=1.560 ;; *) w=6.6 b=1.380 ;; esac
  check "small.swf $p: mean wait $w s" test "$(value 'mean wait')" = "$w"
  check "small.swf $p: bounded slowdown $b" test "$(value 'mean bounded slowdown')" = "$b"
  check "small.swf $p: utilization 60/96" test "$(value 'utilization')" = "0.6250"
  check "small.swf $p: makespan 24 s" test "$(value 'makespan')" = "24"
  check "small.swf $p: 4 GPUs from MaxProcs" grep -q "^policy  *$p on 4 GPUs, 1 GPU per node$" "$T/out"
  check "small.swf $p: counts" grep -q "^jobs  *8 in the trace, 5 replayed, 3 skipped$" "$T/out"
  check "small.swf $p: skip reasons" \
    grep -q "^skipped  *partial 0, cancelled 1, no_runtime 1, no_gpus 0, too_big 1$" "$T/out"
done

# The same jobs as CSV (quoted header and cells, CRLF, an empty estimate),
# as TRACE and through --jobs-csv.
expect_exit "small.csv as TRACE" 0 "$GPUPLAN" replay $TR/small.csv --policy easy --gpus 4
check "small.csv: mean wait 6.6 s" test "$(value 'mean wait')" = "6.6"
check "small.csv: one missing estimate" grep -q "^estimates  *0 raised to the run time, 1 missing" "$T/out"
cp $TR/small.csv "$T/jobs.txt"
expect_exit "--jobs-csv with another suffix" 0 "$GPUPLAN" replay --jobs-csv "$T/jobs.txt" --policy fcfs --gpus 4
check "--jobs-csv: mean wait 9.0 s" test "$(value 'mean wait')" = "9.0"

# Whole nodes: 4 GPUs as 2 nodes of 2: job 3 and job 4 (1 GPU each) hold a
# node each; the schedule changes (job 4 can no longer share job 3's node).
expect_exit "--gpus-per-node 2" 0 "$GPUPLAN" replay $TR/small.swf --policy easy --gpus-per-node 2
check "--gpus-per-node 2 shown" grep -q "^policy  *easy on 4 GPUs, 2 GPUs per node$" "$T/out"

# ---- the result file ----
expect_exit "small.swf -o" 0 "$GPUPLAN" replay $TR/small.swf --policy easy -o "$T/small.h5"
check "result file: rows, starts, attributes" $PY -c '
import h5py, sys
f = h5py.File(sys.argv[1])
j = f["jobs"][()]
assert list(j["id"]) == [1, 2, 3, 4, 5], j["id"]
assert list(j["start"]) == [0, 10, 15, 3, 15], j["start"]
assert list(j["finish"]) == [10, 15, 24, 10, 17], j["finish"]
assert list(j["wait"]) == [0, 9, 13, 0, 11]
assert list(j["gpus"]) == [2, 4, 1, 1, 2]
import math
res = list(j["reserved"])  # NaN = none
assert [None if math.isnan(x) else x for x in res] == [None, 10, 15, None, None], res
s = f["skipped"][()]
assert list(s["id"]) == [6, 7, 8] and list(s["line"]) == [18, 19, 20], s
names = h5py.check_enum_dtype(f["skipped"].dtype["reason"])
byval = {v: k for k, v in names.items()}
assert [byval[r] for r in s["reason"]] == ["no_runtime", "cancelled", "too_big"]
a = f.attrs
assert a["trace"] == "small.swf" and a["policy"] == "easy" and a["trace_format"] == "swf"  # str: version 3
assert a["gpus"] == 4 and a["gpus_per_node"] == 1
assert a["jobs_in_trace"] == 8 and a["jobs_replayed"] == 5 and a["jobs_skipped"] == 3
assert abs(a["mean_wait"] - 6.6) < 1e-12 and abs(a["mean_bounded_slowdown"] - 1.38) < 1e-12
assert a["utilization"] == 0.625 and a["makespan"] == 24
assert list(f["jobs"].attrs["units"][:1]) == ["1"]
' "$T/small.h5"

# docs/replay.md names every attribute and field the file holds.
check "docs/replay.md documents the result file" $PY -c '
import h5py, re, sys
doc = open("docs/replay.md", encoding="utf-8").read()
f = h5py.File(sys.argv[1])
names = list(f.attrs) + ["/jobs", "/skipped"]
for t in ["jobs", "skipped"]:
    names += list(f[t].dtype.names) + list(f[t].attrs)
names += list(h5py.check_enum_dtype(f["skipped"].dtype["reason"]))
missing = [n for n in names if "`" + n + "`" not in doc]
assert not missing, missing
' "$T/small.h5"

# ---- the two real traces, every rule ----
for tr in KTH-SP2-1996-2.1-cln NASA-iPSC-1993-3.1-cln; do
  for p in fcfs easy conservative; do
    t0=$(date +%s.%N)
    expect_exit "$tr under $p" 0 "$GPUPLAN" replay "$REAL/$tr.swf.gz" --policy $p -o "$T/$tr-$p.h5"
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    echo "    $tr $p: $(sed -n 's/^jobs  *//p' "$T/out"); mean wait $(value 'mean wait') s;" \
      "bounded slowdown $(value 'mean bounded slowdown'); utilization $(value 'utilization');" \
      "$secs s (with the HDF5 file)"
    eval "wait_$p=\$(value 'mean wait')"
  done
  check "$tr: EASY mean wait ($wait_easy s) below FCFS ($wait_fcfs s)" \
    awk -v e="$wait_easy" -v f="$wait_fcfs" 'BEGIN { exit !(e < f) }'
  check "$tr: GPUs in use never exceed the cluster, every rule" $PY -c '
import h5py, numpy as np, sys
for p in sys.argv[1:]:
    f = h5py.File(p)
    j = f["jobs"][()]
    t = np.concatenate([j["start"], j["finish"]])
    d = np.concatenate([j["gpus"], -j["gpus"]])
    o = np.lexsort((d, t))          # at equal times, releases first
    assert np.cumsum(d[o]).max() <= f.attrs["gpus"], p
    assert (j["start"] >= j["submit"]).all() and (j["finish"] == j["start"] + j["runtime"]).all()
' "$T/$tr-fcfs.h5" "$T/$tr-easy.h5" "$T/$tr-conservative.h5"
done
expect_exit "KTH counts" 0 "$GPUPLAN" replay "$REAL/KTH-SP2-1996-2.1-cln.swf.gz" --policy easy
check "KTH: 28476 jobs, 28467 replayed, 9 skipped" grep -q "^jobs  *28476 in the trace, 28467 replayed, 9 skipped$" "$T/out"
check "KTH: 8 without run time, 1 without processors" \
  grep -q "^skipped  *partial 0, cancelled 0, no_runtime 8, no_gpus 1, too_big 0$" "$T/out"
check "KTH: 475 estimates raised" grep -q "^estimates  *475 raised to the run time, 0 missing" "$T/out"
check "KTH: 100 GPUs (MaxProcs)" grep -q "^policy  *easy on 100 GPUs" "$T/out"
expect_exit "NASA counts" 0 "$GPUPLAN" replay "$REAL/NASA-iPSC-1993-3.1-cln.swf.gz" --policy fcfs
check "NASA: 18239 jobs, 18066 replayed, 173 skipped" grep -q "^jobs  *18239 in the trace, 18066 replayed, 173 skipped$" "$T/out"
check "NASA: no estimates (run time used)" grep -q "^estimates  *0 raised to the run time, 18066 missing" "$T/out"
expect_exit "KTH on 64 GPUs skips the larger jobs" 0 "$GPUPLAN" replay "$REAL/KTH-SP2-1996-2.1-cln.swf.gz" --policy easy --gpus 64
check "KTH on 64 GPUs: too_big counted" awk '/^skipped/ { exit !($NF > 0) }' "$T/out"

# ---- errors: exact message, exit status, nothing written ----
# err_case NAME CODE MESSAGE ARGS...: replay ARGS -o $T/e.h5 must exit CODE,
# print exactly MESSAGE on stderr and write no file.
err_case() {
  _n=$1 _c=$2 _m=$3
  shift 3
  expect_exit "$_n: exit $_c" "$_c" "$GPUPLAN" replay "$@" -o "$T/e.h5"
  check "$_n: message" test "$(head -n 1 "$T/err")" = "$_m"
  if [ "$(head -n 1 "$T/err")" != "$_m" ]; then echo "    got:      $(head -n 1 "$T/err")"; echo "    expected: $_m"; fi
  check "$_n: nothing written" test -z "$(ls "$T" | grep '^e\.h5')"
}
err_case "unsorted submit times" 65 \
  "$TR/unsorted.swf:4:3: submit time (field 2): expected a time >= 30 (the submit time on line 3: jobs must be sorted by submit time), found 20" \
  $TR/unsorted.swf --policy easy
err_case "negative submit time" 65 \
  "$TR/negative.swf:2:3: submit time (field 2): expected a time >= 0, found -60" \
  $TR/negative.swf --policy fcfs
err_case "non-numeric field" 65 \
  "$TR/non-numeric.swf:3:11: allocated processors (field 5): expected a number, found \"two\"" \
  $TR/non-numeric.swf --policy conservative
err_case "short job line" 65 \
  "$TR/short-line.swf:2:30: job line: expected 18 whitespace-separated fields, found 12" \
  $TR/short-line.swf --policy easy
err_case "CSV: unterminated quote" 65 \
  "$TR/bad-quote.csv:3:3: expected a closing '\"' for the quoted field that starts here, found the end of the file" \
  $TR/bad-quote.csv --policy easy --gpus 4
err_case "CSV: non-numeric cell" 65 \
  "$TR/non-numeric.csv:3:3: submit: expected a number, found \"abc\\\"d\"" \
  $TR/non-numeric.csv --policy easy --gpus 4
err_case "CSV: unsorted" 65 \
  "$TR/unsorted.csv:3:3: submit: expected a time >= 100 (the submit time on line 2: jobs must be sorted by submit time), found 50" \
  --jobs-csv $TR/unsorted.csv --policy easy --gpus 4

# Truncated gzip: without its 8-byte trailer (all lines decode, the stream
# never ends), and cut in the middle of the KTH trace.
gzip -nc $TR/small.swf > "$T/full.swf.gz"
head -c $(( $(wc -c < "$T/full.swf.gz") - 8 )) "$T/full.swf.gz" > "$T/cut.swf.gz"
err_case "gzip without its trailer" 65 \
  "$T/cut.swf.gz: truncated gzip file: unexpected end of compressed data after line 20" \
  "$T/cut.swf.gz" --policy easy
head -c 200000 "$REAL/KTH-SP2-1996-2.1-cln.swf.gz" > "$T/kth-cut.swf.gz"
expect_exit "KTH cut in half: exit 65" 65 "$GPUPLAN" replay "$T/kth-cut.swf.gz" --policy easy -o "$T/e.h5"
check "KTH cut in half: message" grep -q "^$T/kth-cut.swf.gz: truncated gzip file: unexpected end of compressed data after line [0-9]*\$" "$T/err"
check "KTH cut in half: nothing written" test ! -e "$T/e.h5"
rm -f "$T/full.swf.gz" "$T/cut.swf.gz" "$T/kth-cut.swf.gz"

err_case "missing trace" 66 "$T/none.swf: cannot open: No such file or directory" "$T/none.swf" --policy easy
err_case "no cluster size" 64 \
  "gpuplan replay: $TR/no-size.swf: the header gives no MaxProcs or MaxNodes; give --gpus N" \
  $TR/no-size.swf --policy easy
err_case "CSV without --gpus" 64 \
  "gpuplan replay: $TR/small.csv: a CSV list gives no cluster size; give --gpus N" \
  $TR/small.csv --policy easy
err_case "no --policy" 64 "gpuplan replay: --policy is required: fcfs, easy or conservative" $TR/small.swf
err_case "unknown policy" 64 \
  "gpuplan replay: --policy: expected fcfs, easy or conservative, found \"sjf\"" $TR/small.swf --policy sjf
err_case "bad --gpus" 64 \
  "gpuplan replay: --gpus: expected an integer in [1, 2147483647], found \"0\"" $TR/small.swf --policy easy --gpus 0
err_case "nodes do not divide the cluster" 64 \
  "gpuplan replay: --gpus-per-node 3: 4 GPUs (MaxProcs) are not a whole number of 3-GPU nodes" \
  $TR/small.swf --policy easy --gpus-per-node 3
err_case "TRACE and --jobs-csv" 64 "gpuplan replay: give TRACE or --jobs-csv FILE, not both" \
  $TR/small.swf --jobs-csv $TR/small.csv --policy easy
err_case "no trace" 64 "gpuplan replay: expected a trace file (or --jobs-csv FILE)" --policy easy
err_case "unknown option" 64 "gpuplan replay: unknown option --fast" $TR/small.swf --policy easy --fast
expect_exit "cannot create the output" 73 "$GPUPLAN" replay $TR/small.swf --policy easy -o "$T/no/such/dir/r.h5"
check "cannot create: names the file" grep -q "^$T/no/such/dir/r.h5: " "$T/err"
if [ -w /dev/full ]; then
  "$GPUPLAN" replay $TR/small.swf --policy easy >/dev/full 2>"$T/err"
  check "summary to a full disk: exit 74" test $? -eq 74
fi
expect_exit "--help" 0 "$GPUPLAN" replay --help
check "--help prints usage to stdout" grep -q "^usage: gpuplan replay TRACE" "$T/out"
check "--help prints nothing on stderr" test ! -s "$T/err"

# Reproducers of the reliability issue: a submit time of 1e300 gave
# utilization inf and exit 0; CR-only line endings read as one comment (0 jobs).
err_case "submit time 1e300" 65 \
  "$TR/big-submit.swf:2:8: submit time (field 2): expected a time of at most 1e12 s (about 31,700 years), found 1e300" \
  $TR/big-submit.swf --policy easy
expect_exit "CR-only line endings" 0 "$GPUPLAN" replay $TR/cr-only.swf --policy fcfs
check "CR-only: both jobs replayed" grep -q "^jobs  *2 in the trace, 2 replayed, 0 skipped" "$T/out"

# ---- stopping, and where the output goes (issue 16, items 7, 8, 12) ----
# 4,000 contended jobs (a job a second, up to 64 of 64 GPUs, run times up to
# 10,000 s, estimates twice the run time): conservative backfilling took
# about 14 s and ignored SIGTERM.  It must stop within 2 s, writing nothing.
awk 'BEGIN { x = 12345; print "; MaxProcs: 64"
  for (i = 1; i <= 4000; i++) {
    x = (x * 16807) % 2147483647; r = 1 + x % 10000
    x = (x * 16807) % 2147483647; p = 1 + x % 64
    print i, i, -1, r, p, -1, -1, p, 2 * r, -1, 1, -1, -1, -1, -1, -1, -1, -1 } }' >"$T/contend.swf"
signal_case "replay stops on SIGTERM: exit 143" TERM 0.5 143 \
  "$GPUPLAN" replay "$T/contend.swf" --policy conservative -o "$T/contend.h5"
check "replay stopped: nothing written" test -z "$(ls "$T" | grep '^contend\.h5')"
check "replay stopped: says so in one line" sh -c "test \$(wc -l <'$T/err') -eq 1 && grep -q '^interrupted by signal 15; nothing written$' '$T/err'"
# A replay that takes more than a second shows a progress line on a terminal
# (script(1) gives it one; stopped once the line is there, at most 60 s in:
# a loaded machine, under the sanitizers, may take seconds to start), none
# with -q (run as long again, and 2 s more); on a pipe there is none (the
# one line above).
if command -v script >/dev/null; then
  script -qec "echo \$\$ >'$T/tty.pid'; exec timeout -s TERM 60 '$GPUPLAN' replay '$T/contend.swf' --policy conservative" \
    /dev/null >"$T/tty" 2>&1 &
  spid=$!
  t0=$(date +%s)
  i=0
  while [ "$i" -lt 600 ] && ! grep -q "so far" "$T/tty" && kill -0 "$spid" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
  done
  kill -TERM "$(cat "$T/tty.pid")" 2>/dev/null
  wait "$spid"
  took=$(($(date +%s) - t0 + 2))
  check "replay: a progress line on a terminal" grep -q "started [0-9]* of the trace's 4000 jobs, at trace time [0-9]* s; [0-9]* s so far" "$T/tty"
  script -qec "timeout -s TERM $took '$GPUPLAN' replay '$T/contend.swf' --policy conservative -q" /dev/null >"$T/tty" 2>&1
  check "replay -q: no progress line" sh -c "! grep -q 'so far' '$T/tty'"
else
  echo "PASS: replay's progress on a terminal (skipped: no script(1))"
fi
# -o naming the trace is refused, the trace untouched; a bad -o is found
# before the trace is read.
cp $TR/small.swf "$T/t.swf"
expect_exit "-o the trace itself: exit 64" 64 "$GPUPLAN" replay "$T/t.swf" --policy easy -o "$T/t.swf"
check "-o the trace: says so" grep -q "^gpuplan replay: -o $T/t.swf would overwrite the trace$" "$T/err"
check "-o the trace: the trace untouched" cmp -s $TR/small.swf "$T/t.swf"
ln -s t.swf "$T/link.swf"
expect_exit "-o a link to the trace: exit 64" 64 "$GPUPLAN" replay "$T/t.swf" --policy easy -o "$T/link.swf"
check "-o a link to the trace: the trace untouched" cmp -s $TR/small.swf "$T/t.swf"
mkdir "$T/odir"
expect_exit "-o a directory, before a missing trace: 73" 73 "$GPUPLAN" replay "$T/missing.swf" --policy easy -o "$T/odir"
check "-o a directory: says so" grep -q "^$T/odir: is a directory$" "$T/err"
expect_exit "-o '': exit 64" 64 "$GPUPLAN" replay "$T/t.swf" --policy easy -o ''
# A trace whose name holds ESC and CR: printed escaped.
cp $TR/small.swf "$T/$(printf 'x\033[31m\rok')"
expect_exit "a trace named with ESC and CR" 0 "$GPUPLAN" replay "$T/$(printf 'x\033[31m\rok')" --policy easy
check "its name is printed escaped" sh -c "grep -q 'x\\\\u001b\\[31m\\\\rok' '$T/out' && ! grep -q \"\$(printf '\\033')\" '$T/out' && ! grep -q \"\$(printf '\\r')\" '$T/out'"
