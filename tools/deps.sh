#!/bin/sh
# tools/deps.sh build|test - make sure the Debian packages gpuplan needs are
# installed; install the missing ones with apt-get (through sudo when not
# root), or stop with the exact command to run.
#
#   build: compiler, pkg-config, GSL, HDF5, cJSON; gnuplot for charts at run time
#   test:  the above, plus HDF5 tools (h5diff) and Python's h5py/numpy for
#          checking output files, OpenMPI, Chromium (the report test),
#          valgrind, and clang with libFuzzer (make fuzz-smoke)
set -eu
mode=${1:-build}

build_pkgs="gcc make pkg-config libgsl-dev librandom123-dev libhdf5-dev libcjson-dev zlib1g-dev gnuplot-nox"
test_pkgs="valgrind clang libclang-rt-14-dev hdf5-tools python3 python3-h5py python3-numpy python3-jsonschema python3-pandas openmpi-bin libopenmpi-dev chromium fonts-dejavu-core"

missing=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian: we can only check that pkg-config finds the libraries.
  if pkg-config --exists gsl hdf5 libcjson zlib 2>/dev/null; then exit 0; fi
  echo "gpuplan: GSL, HDF5 and cJSON development files not found by pkg-config." >&2
  echo "gpuplan: on Debian/Ubuntu: apt-get install $build_pkgs" >&2
  exit 1
fi

pkgs=$build_pkgs
[ "$mode" = test ] && pkgs="$build_pkgs $test_pkgs"
for p in $pkgs; do have_pkg "$p" || missing="$missing $p"; done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
else
  echo "gpuplan: missing Debian packages:$missing" >&2
  echo "gpuplan: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "gpuplan: installing missing Debian packages:$missing" >&2
if ! { $sudo apt-get update -q >&2 && \
       DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing >&2; }; then
  echo "gpuplan: apt-get failed; run: sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
