# tests/cli/test_broken_outputs.sh - compare, export, plot and report given
# a result file that is not one: not HDF5 at all, empty, truncated, an HDF5
# file gpuplan did not write, a gpuplan file with a table of the wrong shape,
# corrupted bytes, a corrupt global heap under /scenario (the reproducers
# tests/fuzz/crashes/reader-heap-*.h5: libhdf5 1.10.8 hung or crashed on
# them), a missing file, a directory, a FIFO.  Each must end, promptly, with
# one line on stderr that starts with the file's name, the documented exit
# status (65 bad data, 66 missing or not a regular file;
# models/results/h5in.h), and nothing written.
. tests/cli/lib.sh

S=$(mktemp -d "${GP_TEST_TMP:-/tmp}/broken.XXXXXX")
expect_exit "a small result file" 0 "$GPUPLAN" run scenarios/validation/mmc.json --reps 2 -q -o "$S/good.h5"
good=$S/good.h5
expect_exit "compare reads it" 0 "$GPUPLAN" compare "$good"
expect_exit "export reads it" 0 "$GPUPLAN" export "$good" -d "$S/csv-good"

# The inputs.
printf 'policy,mean\nfcfs,1\n' >"$S/text.h5"
: >"$S/empty.h5"
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000' >"$S/binary.h5"
head -c 2000 "$good" >"$S/truncated-head.h5"
head -c $(($(wc -c <"$good") / 2)) "$good" >"$S/truncated-half.h5"
$PY - "$S" "$good" <<'EOF'
import random, shutil, sys
import h5py, numpy as np
d, good = sys.argv[1], sys.argv[2]
with h5py.File(d + "/foreign.h5", "w") as f:  # an HDF5 file of someone else's
    f["x"] = np.arange(3.0)
    f.attrs["creator"] = "not gpuplan"
with h5py.File(d + "/version-only.h5", "w") as f:  # claims to be gpuplan's, holds nothing
    f.attrs["gpuplan_version"] = "0.1"
shutil.copy(good, d + "/flat-summary.h5")  # a table replaced by a plain matrix
with h5py.File(d + "/flat-summary.h5", "a") as f:
    p = next(iter(f["policies"]))
    del f["policies"][p]["summary"]
    f["policies"][p]["summary"] = np.zeros((2, 3))
data = open(good, "rb").read()
for seed in range(1, 7):  # bytes overwritten: in the headers, or anywhere
    r = random.Random(seed)
    b = bytearray(data)
    span = 65536 if seed % 2 else len(b)
    for _ in range(8):
        b[r.randrange(min(span, len(b)))] = r.randrange(256)
    open("%s/corrupt-%d.h5" % (d, seed), "wb").write(b)
EOF

# run_cmd CMD FILE TAG: the command on FILE, writing (if at all) under
# $S/out-TAG; killed after 60 s (a hang is a failure, not a stuck test).
run_cmd() {
  case $1 in
  compare) expect_exit "$1 $3: exit $4" "$4" timeout -s KILL 60 "$GPUPLAN" compare "$2" ;;
  export) expect_exit "$1 $3: exit $4" "$4" timeout -s KILL 60 "$GPUPLAN" export "$2" -d "$S/out-$3" ;;
  plot) expect_exit "$1 $3: exit $4" "$4" timeout -s KILL 60 "$GPUPLAN" plot "$2" -d "$S/out-$3" ;;
  report) expect_exit "$1 $3: exit $4" "$4" timeout -s KILL 60 "$GPUPLAN" report "$2" -o "$S/out-$3" ;;
  esac
}

# refused CMD FILE TAG CODE [EXACT-MESSAGE]: exit CODE, one line naming FILE
# (exactly EXACT-MESSAGE when given), nothing written.
refused() {
  run_cmd "$1" "$2" "$3" "$4"
  check "$1 $3: one line naming the file" sh -c "test \$(wc -l <'$T/err') -eq 1 && grep -q '^$2: ' '$T/err'"
  if [ $# -ge 5 ]; then
    check "$1 $3: message" test "$(cat "$T/err")" = "$5"
    [ "$(cat "$T/err")" = "$5" ] || echo "    got: $(cat "$T/err")"
  fi
  check "$1 $3: nothing written" test ! -e "$S/out-$3"
}

for cmd in compare export plot report; do
  for f in text empty binary; do
    refused $cmd "$S/$f.h5" "$f" 65 "$S/$f.h5: not an HDF5 file"
  done
  refused $cmd "$S/truncated-head.h5" truncated-head 65
  check "$cmd truncated-head: says truncated" grep -q "^$S/truncated-head.h5: cannot read: truncated file" "$T/err"
  refused $cmd "$S/truncated-half.h5" truncated-half 65
  check "$cmd truncated-half: says truncated" grep -q "^$S/truncated-half.h5: cannot read: truncated file" "$T/err"
  refused $cmd "$S/foreign.h5" foreign 65 "$S/foreign.h5: not a gpuplan result file (no gpuplan_version attribute)"
  refused $cmd "$S/version-only.h5" version-only 65
  refused $cmd "$S/flat-summary.h5" flat-summary 65
  refused $cmd "$S/missing.h5" missing 66 "$S/missing.h5: cannot open: No such file or directory"
  mkdir -p "$S/dir.h5"
  refused $cmd "$S/dir.h5" dir 66 "$S/dir.h5: cannot open: Is a directory"
  [ -p "$S/fifo.h5" ] || mkfifo "$S/fifo.h5"
  refused $cmd "$S/fifo.h5" fifo 66 "$S/fifo.h5: cannot open: a FIFO, not a regular file"
  for f in tests/fuzz/crashes/reader-heap-*.h5; do
    tag=$(basename "$f" .h5)
    refused $cmd "$f" "$tag" 65
    check "$cmd $tag: names /scenario or the table it could not read" grep -Eq "cannot read /(scenario|policies/a/summary): " "$T/err"
  done
  # Corrupted bytes may hit data nobody reads: success is fine, but a
  # failure is a clean one (65, one line), never a crash.
  for k in 1 2 3 4 5 6; do
    f=$S/corrupt-$k.h5
    case $cmd in
    compare) "$GPUPLAN" compare "$f" ;;
    export) "$GPUPLAN" export "$f" -d "$S/c-$k-$cmd" ;;
    plot) "$GPUPLAN" plot "$f" -d "$S/c-$k-$cmd" ;;
    report) "$GPUPLAN" report "$f" -o "$S/c-$k-$cmd" ;;
    esac >/dev/null 2>"$S/err"
    rc=$?
    check "$cmd corrupt-$k: exit 0 or 65" test "$rc" -eq 0 -o "$rc" -eq 65
    [ "$rc" -eq 0 ] || [ "$rc" -eq 65 ] || echo "    exit $rc: $(head -n 3 "$S/err")"
    [ "$rc" -eq 0 ] ||
      check "$cmd corrupt-$k: one line naming the file" sh -c "test \$(wc -l <'$S/err') -eq 1 && grep -q '^$f: ' '$S/err'"
  done
done
rm -rf "$S"
