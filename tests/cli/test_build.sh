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
make -s MPI=1 gpuplan >/dev/null 2>"$T/err"
check "make MPI=1 puts the MPI build in ./gpuplan" sh -c './gpuplan --version | grep -q "(MPI)"'
make -s CC="$cc" gpuplan >/dev/null 2>>"$T/err"
check "make puts the plain build back" sh -c './gpuplan --version | grep -qv "(MPI)"'
check "./gpuplan is the release build" cmp -s ./gpuplan "$BUILD/gpuplan"
rm -rf "$T"
