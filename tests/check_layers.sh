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

dirs=$(printf '%s\n' "$layers" | awk '{ print $1 }')
for d in $dirs; do
  [ -d "$d" ] || continue
  n=$(find "$d" -maxdepth 1 -name '*.c' | wc -l)
  [ "$n" -le "$MAX_SOURCES" ] || breach "$d: $n sources, more than $MAX_SOURCES"
done

# One awk pass over every source (a shell loop of greps took 9 s): every
# source folder has a layer (a new folder is placed in the table above on
# purpose, not by accident); no file is longer than MAX_LINES; each
# #include "..." is of the file's own folder or of a lower layer, and a
# rule's file includes models/rules/rule.h only.
# shellcheck disable=SC2046 # the file names are words (no spaces in the tree)
printf '%s\n' "$layers" | awk -v maxl="$MAX_LINES" '
  function dir(p) { if (p !~ /\//) return "."; sub(/\/[^\/]*$/, "", p); return p }
  function say(m) { print m; bad = 1 }
  function done_file() { if (f != "" && mine != "" && n > maxl) say(f ": " n " lines, more than " maxl) }
  FILENAME == "-" { layer[$1] = $2; next }
  FNR == 1 {
    done_file()
    f = FILENAME; d = dir(f); mine = (d in layer) ? layer[d] : ""
    rule = f ~ /^models\/rules\/(sel|sched)_[^\/]*\.c$/
    if (mine == "") say(f ": folder " d " has no layer in tests/check_layers.sh")
  }
  { n = FNR }
  mine != "" && /^[[:space:]]*#[[:space:]]*include[[:space:]]*"/ {
    inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc); idir = dir(inc)
    if (rule && inc != "models/rules/rule.h") {
      say(f ":" FNR ": a rule includes " inc ": a rule sees models/rules/rule.h only"); next
    }
    if (idir == d) next
    if (!(idir in layer)) say(f ":" FNR ": includes " inc ", outside the layered folders")
    else if (layer[idir] + 0 >= mine + 0)
      say(f ":" FNR ": " d " (layer " mine ") includes " inc " from " idir " (layer " layer[idir] "): nothing includes upward")
  }
  END { done_file(); exit bad }
' - $(find sim models analysis cli -name '*.[ch]' | sort) || bad=1
exit $bad
