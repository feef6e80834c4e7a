# tests/cli/test_bad.sh - every malformed scenario in tests/bad/ gets its
# exact one-line error FILE:LINE:COL: path: ..., exit 65, and `run` writes
# nothing.  tests/bad/NAME.expected holds the line, worked out by hand.
. tests/cli/lib.sh

n=0
for f in tests/bad/*.json; do
  name=${f%.json}
  n=$((n + 1))
  expect_exit "bad $f: validate exits 65" 65 "$GPUPLAN" validate "$f"
  check "bad $f: exact message" cmp -s "$T/err" "$name.expected"
  if ! cmp -s "$T/err" "$name.expected"; then
    echo "    got:      $(cat "$T/err")"
    echo "    expected: $(cat "$name.expected")"
  fi
  expect_exit "bad $f: run exits 65" 65 "$GPUPLAN" run "$f" -o "$T/out.h5"
  check "bad $f: run writes nothing" test -z "$(ls "$T" | grep -v -e '^out$' -e '^err$')"
done
check "at least 20 malformed scenarios" test "$n" -ge 20
