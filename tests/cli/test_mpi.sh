# tests/cli/test_mpi.sh - the MPI build splits replications across ranks and
# rank 0 writes the same file as a single process.  $GPUPLAN_MPI is the
# binary built with `make MPI=1` (make test builds it).
. tests/cli/lib.sh
: "${GPUPLAN_MPI:?set GPUPLAN_MPI to the MPI build of gpuplan}"

# As root, Open MPI wants --allow-run-as-root; two ranks on a 2-core machine
# (or fewer cores) need --oversubscribe.
MPIRUN="mpirun --oversubscribe -np 2"
[ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"

expect_exit "MPI build says so" 0 "$GPUPLAN_MPI" --version
check "MPI build version line" grep -q "(MPI)" "$T/out"

expect_exit "baseline under mpirun -np 2" 0 $MPIRUN "$GPUPLAN_MPI" run scenarios/baseline.json \
  --reps 5 --detail 3 --threads 1 -o "$T/mpi.h5"
check "one summary table, from rank 0" test "$(grep -c '^mean ± 95% confidence half-width' "$T/out")" -eq 1
expect_exit "the same in one process" 0 "$GPUPLAN" run scenarios/baseline.json --reps 5 --detail 3 -q -o "$T/one.h5"
check "MPI and single-process files are identical (h5diff)" h5diff -q "$T/mpi.h5" "$T/one.h5"

# Under the sanitizers the MPI binary is still the release build (make check
# builds it without them), so the runs below would repeat the release
# suite's mpirun runs; the sanitized binary runs sweeps with --precision,
# select and size in test_experiments.sh, test_select.sh and test_size.sh.
if [ -n "${GP_SANITIZED:-}" ]; then
  echo "# mpi: the checks below are the release suite's (the MPI binary is its build)"
  exit 0
fi

expect_exit "sweep with precision under mpirun" 0 $MPIRUN "$GPUPLAN_MPI" run scenarios/baseline.json \
  --reps 3 --detail 1 --threads 1 --sweep review.reviewers=40,80 --precision 0.05 --max-reps 9 -q -o "$T/mpi2.h5"
expect_exit "the same in one process" 0 "$GPUPLAN" run scenarios/baseline.json \
  --reps 3 --detail 1 --sweep review.reviewers=40,80 --precision 0.05 --max-reps 9 -q -o "$T/one2.h5"
check "sweep + precision: MPI and single-process identical (h5diff)" h5diff -q "$T/mpi2.h5" "$T/one2.h5"

# gpuplan select: a stage's replications split over the ranks (measure.h's
# units), every rank deciding alike from rank 0's values; one file.
expect_exit "select under mpirun -np 2" 0 $MPIRUN "$GPUPLAN_MPI" select scenarios/baseline.json \
  --policy fcfs,hetero,score-reclaim --metric mean_days_to_gpu --minimize --delta 1 --n0 4 --threads 1 -o "$T/mpis.h5"
check "select: one set of lines, from rank 0" test "$(grep -c '^selected: ' "$T/out")" -eq 1
expect_exit "the same in one process" 0 "$GPUPLAN" select scenarios/baseline.json \
  --policy fcfs,hetero,score-reclaim --metric mean_days_to_gpu --minimize --delta 1 --n0 4 -q -o "$T/ones.h5"
check "select: MPI and single-process identical (h5diff)" h5diff -q "$T/mpis.h5" "$T/ones.h5"

printf '{"name": "x", "epoch": "2026-02-30"}\n' > "$T/bad.json"
expect_exit "bad scenario under mpirun exits 65" 65 $MPIRUN "$GPUPLAN_MPI" run "$T/bad.json" -o "$T/bad.h5"
check "bad scenario: one line, not one per rank" test "$(grep -c 'expected a date' "$T/err")" -eq 1
check "bad scenario: nothing written" test ! -e "$T/bad.h5"

# gpuplan size under mpirun (issue 19, item 4): every rank takes the same
# decisions on rank 0's values; the file is the single process's.
SIZE_ARGS="scenarios/validation/mmc.json --knob roadmap.tranches[0].nodes --range 6:16 --integer --target mean_days_to_gpu<=0.07 --reps 4 --threads 1 -q"
# shellcheck disable=SC2086
expect_exit "size under mpirun" 0 $MPIRUN "$GPUPLAN_MPI" size $SIZE_ARGS --set end=\"2004-01-01\" --set measure_from=\"2001-01-01\" -o "$T/size-mpi.h5"
# shellcheck disable=SC2086
expect_exit "size in one process" 0 "$GPUPLAN" size $SIZE_ARGS --set end=\"2004-01-01\" --set measure_from=\"2001-01-01\" -o "$T/size-one.h5"
check "size: MPI and single-process files are identical (h5diff)" h5diff -q "$T/size-mpi.h5" "$T/size-one.h5"
