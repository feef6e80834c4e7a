#!/bin/sh
# tools/same-output.sh REV - does the gpuplan of this tree write the same
# result files as revision REV?  For changes that must not move a sample
# path (speed work): builds REV in a temporary git worktree, runs both
# binaries on the cases below (5 replications, all kept in detail, 2
# threads) and compares each pair of files with `h5diff` (every dataset and
# attribute).  Prints one line per differing case and a total; exits 1 if
# any case differs.  Needs hdf5-tools (tools/deps.sh test).  A REV that
# writes an older format version (docs/output.md, "Format versions") is
# compared with tools/same-as-old.py instead (python3-h5py), which undoes
# the changes of format: version 1's -1 for never, fixed-length strings.
# A case's file under scenarios/ is run by REV's binary as REV has it (a
# variant that is an overlay here may be a full copy there, which REV's
# loader reads), from REV's tree by the same relative path, so that the
# files attribute of /scenario names the same files.  H5DIFF_EXTRA adds options to h5diff, for a change of the
# file's layout made on purpose: e.g. H5DIFF_EXTRA="--exclude-attribute
# /scenario" leaves out the attributes of /scenario (its text still counts).
#
# The cases: the baseline (all its policies), its variants, withdrawals
# raised from 3% to 60%, review settings that make events fall on the same
# whole days (constant review and screening times, daily or immediate
# committees, tiny panels, no interview slots), and the M/M/c scenario.
set -eu
[ $# -eq 1 ] || { echo "usage: tools/same-output.sh REV" >&2; exit 64; }
rev=$1
command -v h5diff >/dev/null || { echo "same-output: h5diff not found (apt-get install hdf5-tools)" >&2; exit 69; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX")
trap 'git worktree remove --force "$tmp/ref" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT INT TERM
git worktree add --detach "$tmp/ref" "$rev" >/dev/null 2>&1 ||
  { echo "same-output: cannot check out $rev" >&2; exit 65; }
echo "same-output: building $rev and this tree" >&2
make -s -C "$tmp/ref" all >/dev/null
make -s all >/dev/null

b=scenarios/baseline.json
n=0 bad=0
while read -r sc args; do
  [ -n "$sc" ] || continue
  n=$((n + 1))
  for side in ref new; do
    dir=.
    # REV runs in its own tree, on its own copy of a scenarios/ file, by
    # the same relative path: /scenario's attribute files names the same.
    if [ "$side" = ref ]; then
      case $sc in scenarios/*) [ -f "$tmp/ref/$sc" ] && dir=$tmp/ref ;; esac
    fi
    bin=$PWD/gpuplan
    [ "$side" = ref ] && bin=$tmp/ref/gpuplan
    # Withdrawals raised in each side's own baseline (a key this tree's
    # baseline gained, such as "calibration", is unknown to an older REV).
    base=scenarios/baseline.json
    [ "$side" = ref ] && base=$tmp/ref/scenarios/baseline.json
    sed 's/"withdraw_probability": 0.03/"withdraw_probability": 0.6/' "$base" >"$tmp/withdraw.json"
    # shellcheck disable=SC2086 # args are words
    (cd "$dir" && "$bin" run "$sc" --reps 5 --detail 5 --threads 2 -q -o "$tmp/$side.h5" $args)
  done
  if [ "$(h5dump -a /format_version "$tmp/ref.h5" 2>/dev/null | sed -n 's/^ *(0): //p')" = \
       "$(h5dump -a /format_version "$tmp/new.h5" 2>/dev/null | sed -n 's/^ *(0): //p')" ]; then
    # shellcheck disable=SC2086 # options are words
    cmp_files() { h5diff -q ${H5DIFF_EXTRA:-} "$1" "$2" >/dev/null 2>&1; }
  else
    cmp_files() { /usr/bin/python3 tools/same-as-old.py "$1" "$2" >/dev/null 2>&1; }
  fi
  if ! cmp_files "$tmp/ref.h5" "$tmp/new.h5"; then
    bad=$((bad + 1))
    echo "differs: $sc $args"
  fi
done <<EOF
$b
scenarios/variants/centre-late.json
scenarios/variants/demand-high.json
scenarios/variants/small-panel.json
$tmp/withdraw.json
$tmp/withdraw.json --set review.reviewers=3 --set review.review_days=1
$tmp/withdraw.json --set review.interview_slots_per_day=2 --set review.committee_every_days=0
$b --set review.committee_every_days=0
$b --set review.interview_slots_per_day=0
$b --set review.reviewers=0
$b --set review.reviewers=5
$b --set review.review_days=1 --set review.screening_days=7
$b --set review.review_days=1 --set review.screening_days=7 --set review.committee_every_days=0
$b --set review.review_days=2 --set review.screening_days=0 --set review.reviewers=3 --set review.interview_slots_per_day=1
$b --set review.onboarding_days=0 --set review.review_days=1 --set review.screening_days=1
$b --set review.onboarding_days=0 --set review.review_days=0 --set review.screening_days=0 --set review.committee_every_days=0 --set review.interview_slots_per_day=0
$b --set review.onboarding_days=0 --set review.review_days=0 --set review.screening_days=0 --set review.committee_every_days=0
$b --set review.onboarding_days=1 --set review.review_days=0 --set review.screening_days=0 --set review.committee_every_days=1 --set review.reviewers=2
$b --set review.interview_pass=1 --set review.screening_pass=1
$b --set review.reviews_per_proposal=1 --set review.reviewers=1
scenarios/validation/mmc.json
EOF
echo "same-output: $n cases, $((n - bad)) the same as $rev, $bad different"
[ "$bad" -eq 0 ]
