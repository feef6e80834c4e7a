# tests/cli/test_build.sh - ./gpuplan is the variant last asked for: `make`
# after `make MPI=1` puts the plain build back (it kept the newer MPI copy,
# and single-process runs went through MPI).  Runs make on this tree; the
# release and MPI builds exist already (make check built them), so it only
# copies.  Not under the sanitizers: their suite runs at the same time.
. tests/cli/lib.sh

b=$(basename "${BUILD:?}")
case "$b" in
*-release) cc=${b%-release} ;;
*)
  echo "PASS: ./gpuplan follows the variant (checked by the release suite, not $b)"
  exit 0
  ;;
esac
# The MPI build compiles only the Makefile's MPI_SRC with mpicc and takes
# every other object from the plain build: no other file may depend on MPI.
mpi_src=$(sed -n 's/^MPI_SRC *:= *//p' Makefile)
check "only MPI_SRC ($mpi_src) test GP_MPI or include mpi.h" sh -c "
  test -n '$mpi_src' &&
  test \"\$(grep -rlE '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif).*GP_MPI|#[[:space:]]*include[[:space:]]*<mpi.h>' \
    sim models analysis cli | sort | tr '\n' ' ')\" = \"\$(echo $mpi_src | tr ' ' '\n' | sort | tr '\n' ' ')\""
make -s MPI=1 gpuplan >/dev/null 2>"$T/err"
check "make MPI=1 puts the MPI build in ./gpuplan" sh -c './gpuplan --version | grep -q "(MPI)"'
make -s CC="$cc" gpuplan >/dev/null 2>>"$T/err"
check "make puts the plain build back" sh -c './gpuplan --version | grep -qv "(MPI)"'
check "./gpuplan is the release build" cmp -s ./gpuplan "$BUILD/gpuplan"

# make test's last count line adds up the lanes' runs of tests/run.sh, and
# fails a suite that ran nothing (CI read the lane's empty share, "0 passed,
# 0 failed", as the suite's count).
printf 'PASS: a\n5 passed, 0 failed\n' >"$T/l5"
printf '0 passed, 0 failed\n' >"$T/l0"
printf 'PASS: a\n' >"$T/cut"
printf '2 passed, 1 failed\n' >"$T/f1"
check "test-total: two lanes add up" sh -c "
  sh tools/test-total.sh '' '$T/l5' '$T/l0' '$T/l5' >'$T/out' && test \"\$(cat '$T/out')\" = '10 passed, 0 failed'"
check "test-total: the label leads" sh -c "
  sh tools/test-total.sh release '$T/l5' | grep -qx 'release: 5 passed, 0 failed'"
check "test-total: no test ran: fails" sh -c "
  ! sh tools/test-total.sh x '$T/l0' '$T/l0' >'$T/out' && grep -q 'FAIL: x: no test ran' '$T/out'"
check "test-total: a run that did not end: fails, naming it" sh -c "
  ! sh tools/test-total.sh x '$T/l5' '$T/cut' >'$T/out' && grep -q 'FAIL: $T/cut: no line' '$T/out'"
check "test-total: a failed test: fails" sh -c "
  ! sh tools/test-total.sh x '$T/l5' '$T/f1' >'$T/out' && grep -qx 'x: 7 passed, 1 failed' '$T/out'"
rm -rf "$T"
