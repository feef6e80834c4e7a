#!/bin/sh
# tests/check_layers.sh [ROOT] - the layout rule of gpuplan's sources, checked.
#
# Every source folder has a layer (README.md, "Layout"); a file may include
# the headers of its own folder and of folders of a lower layer, never of a
# higher one or of another folder of the same layer.  A rule's file
# (models/rules/sel_*.c, sched_*.c) includes no project header but
# models/rules/rule.h.  No source file is longer than MAX_LINES lines and no
# folder holds more than MAX_SOURCES .c files.  tests/ and bench/ may include
# anything and are not checked.
#
# Prints one line per breach, "FILE:LINE: ...", and exits 1 if there is one;
# exits 0 quietly otherwise.  ROOT defaults to the repository holding this
# script.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
MAX_LINES=${MAX_LINES:-1000}
MAX_SOURCES=${MAX_SOURCES:-20}

# folder layer, lowest first
layers='sim 0
models/vocab 1
models/rules 2
models/scenario 3
models/results 4
models/world 5
models/run 6
models/replay 7
models/experiment 8
analysis 9
cli 10'

cd "$root" || exit 2
bad=0
breach() {
  echo "$1"
  bad=1
}

layer_of() { # folder -> layer, or empty when the folder has none
  printf '%s\n' "$layers" | awk -v d="$1" '$1 == d { print $2 }'
}

dirs=$(printf '%s\n' "$layers" | awk '{ print $1 }')
for d in $dirs; do
  [ -d "$d" ] || continue
  n=$(find "$d" -maxdepth 1 -name '*.c' | wc -l)
  [ "$n" -le "$MAX_SOURCES" ] || breach "$d: $n sources, more than $MAX_SOURCES"
done

# Every source folder must have a layer: a new folder is placed in the table
# above on purpose, not by accident.
for f in $(find sim models analysis cli -name '*.[ch]' | sort); do
  d=$(dirname "$f")
  [ -n "$(layer_of "$d")" ] || breach "$f: folder $d has no layer in tests/check_layers.sh"
done

for f in $(find sim models analysis cli -name '*.[ch]' | sort); do
  d=$(dirname "$f")
  mine=$(layer_of "$d")
  [ -n "$mine" ] || continue
  lines=$(wc -l <"$f")
  [ "$lines" -le "$MAX_LINES" ] || breach "$f: $lines lines, more than $MAX_LINES"
  rule_file=0
  case "$f" in models/rules/sel_*.c | models/rules/sched_*.c) rule_file=1 ;; esac
  # "LINE HEADER" for each #include "..." of the file
  grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
    sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' >"${TMPDIR:-/tmp}/layers.$$"
  while read -r ln inc; do
    idir=$(dirname "$inc")
    if [ "$rule_file" = 1 ] && [ "$inc" != models/rules/rule.h ]; then
      breach "$f:$ln: a rule includes $inc: a rule sees models/rules/rule.h only"
      continue
    fi
    [ "$idir" = "$d" ] && continue
    theirs=$(layer_of "$idir")
    if [ -z "$theirs" ]; then
      breach "$f:$ln: includes $inc, outside the layered folders"
    elif [ "$theirs" -ge "$mine" ]; then
      breach "$f:$ln: $d (layer $mine) includes $inc from $idir (layer $theirs): nothing includes upward"
    fi
  done <"${TMPDIR:-/tmp}/layers.$$"
  rm -f "${TMPDIR:-/tmp}/layers.$$"
done
exit $bad
