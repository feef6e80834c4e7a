# tests/cli/test_bad.sh - every malformed scenario in tests/bad/ gets its
# exact one-line error FILE:LINE:COL: path: ..., exit 65, and `run` writes
# nothing.  tests/bad/NAME.expected holds the line, worked out by hand; in it
# @MEMORY@ stands for this machine's physical memory as gpuplan prints it and
# @SIZE@ for any size ("9.2 PiB"), so that the memory estimate's test does
# not depend on the machine or on the size of the structs it counts.
# Inputs too big to commit (a 100 MiB file, 10,001 tranches, a million
# values) are made here in a scratch directory; a missing file and a
# directory exit 66.
. tests/cli/lib.sh

# The physical memory formatted like gp_budget_format (models/experiment/budget.c).
MEMORY=$(awk -v b="$(($(getconf _PHYS_PAGES) * $(getconf PAGE_SIZE)))" 'BEGIN {
  split("bytes KiB MiB GiB TiB PiB EiB", u, " "); k = 1
  while (b >= 1024 && k < 7) { b /= 1024; k++ }
  if (k == 1) printf "%.0f bytes", b; else if (b < 1e4) printf "%.1f %s", b, u[k]; else printf "%.3g %s", b, u[k]
}')

# same_line GOT EXPECTED: the one line GOT equals EXPECTED, @SIZE@ matching a size.
same_line() {
  $PY - "$1" "$2" <<'EOF'
import re, sys
got, want = (open(f, encoding="utf-8", errors="surrogateescape").read() for f in sys.argv[1:3])
pattern = re.escape(want).replace(re.escape("@SIZE@"), r"[0-9.e+]+ (bytes|[KMGTPE]iB)")
sys.exit(0 if got.count("\n") == 1 and re.fullmatch(pattern, got) else 1)
EOF
}

# bad_case FILE EXPECTED-LINE: validate and run FILE.
bad_case() {
  printf '%s\n' "$2" >"$S/expected"
  expect_exit "bad $1: validate exits 65" 65 "$GPUPLAN" validate "$1"
  if same_line "$T/err" "$S/expected"; then
    echo "PASS: bad $1: exact message"
  else
    echo "FAIL: bad $1: exact message"
    echo "    got:      $(cat "$T/err")"
    echo "    expected: $2"
  fi
  expect_exit "bad $1: run exits 65" 65 "$GPUPLAN" run "$1" -o "$T/out.h5"
  check "bad $1: run writes nothing" test -z "$(ls -A "$T" | grep -v -e '^out$' -e '^err$')"
}

S=$(mktemp -d "${GP_TEST_TMP:-/tmp}/bad.XXXXXX")
n=0
for f in tests/bad/*.json; do
  name=${f%.json}
  n=$((n + 1))
  bad_case "$f" "$(sed "s/@MEMORY@/$MEMORY/" "$name.expected")"
done
check "at least 40 malformed scenarios in tests/bad" test "$n" -ge 40

# A 100 MiB file is refused before it is read.
big=$S/huge.json
head -c 104857600 /dev/zero | tr '\0' ' ' >"$big"
bad_case "$big" "$big:1:1: \$: expected a file of at most 67108864 bytes (64 MiB), found 104857600 bytes"
rm -f "$big"

# 10,001 tranches: one more than a scenario may list.
many=$S/many-tranches.json
$PY - "$many" <<'EOF'
import sys
t = ',\n'.join('{"name": "t%d", "gpu_type": "B200", "pool": "iar", "nodes": 1, "gpus_per_node": 8, '
               '"online": "2026-02-01"}' % i for i in range(10001))
open(sys.argv[1], "w").write('''{"name": "many", "epoch": "2026-01-01", "end": "2027-01-01",
"gpu_types": [{"name": "B200"}], "pools": [{"name": "iar"}],
"roadmap": {"tranches": [
%s]},
"demand": {"streams": [{"name": "s1", "pool": "iar", "gpu_type": "B200", "rate_per_day": 1,
  "sector_mix": {"academia": 1}, "servers": 2, "duration_days": 30}]}}
''' % t)
EOF
bad_case "$many" "$many:3:25: roadmap.tranches: expected at most 10000 entries, found 10001"

# A million and one values (3 MB): refused at the value that is one too many.
vals=$S/many-values.json
$PY - "$vals" <<'EOF'
import sys
open(sys.argv[1], "w").write('{"name": "x",\n"note": [' + '0,' * 1000000 + '0]}\n')
EOF
bad_case "$vals" "$vals:2:2000004: note[999997]: expected at most 1000000 values in the document, found more"

# Missing input: 66, "cannot open", nothing written.
expect_exit "missing scenario: validate exits 66" 66 "$GPUPLAN" validate "$S/no-such.json"
check "missing scenario: message" test "$(cat "$T/err")" = "$S/no-such.json: cannot open: No such file or directory"
expect_exit "missing scenario: run exits 66" 66 "$GPUPLAN" run "$S/no-such.json" -o "$T/out.h5"
check "missing scenario: run writes nothing" test -z "$(ls -A "$T" | grep -v -e '^out$' -e '^err$')"
expect_exit "directory as scenario: validate exits 66" 66 "$GPUPLAN" validate "$S"
check "directory as scenario: message" test "$(cat "$T/err")" = "$S: cannot open: Is a directory"

# Inputs that once crashed the loader under the sanitizers (tests/fuzz/):
# refused cleanly, one line, exit 65.
for f in tests/fuzz/crashes/scenario-*; do
  [ -f "$f" ] || continue
  expect_exit "fuzz reproducer $f: validate exits 65" 65 "$GPUPLAN" validate "$f"
  check "fuzz reproducer $f: one line" test "$(wc -l <"$T/err")" -eq 1
done
rm -rf "$S"
