# tests/cli/test_plot.sh - `gpuplan plot`: the six charts of a result file
# drawn by gnuplot (PNG, SVG), its exit codes, sweep points, and names from
# the file shown as text and never run.  Needs gnuplot (gnuplot-nox).
. tests/cli/lib.sh

CHARTS="capacity queue time_to_gpu acceptance differences h100e"

# The first line of each chart's title (scenario "baseline").
title_of() {
  case $1 in
  capacity) echo "baseline: government GPUs over time; the roadmap is the same under every policy" ;;
  queue) echo "baseline: waiting projects and review backlog" ;;
  time_to_gpu) echo "baseline: time from submission to GPUs, by sector" ;;
  acceptance) echo "baseline: acceptance rate by sector and policy" ;;
  differences) echo "baseline: paired differences between policies (policy - score)" ;;
  h100e) echo "baseline: installed capacity in H100-equivalents vs the roadmap" ;;
  esac
}

# svg_has FILE TEXT...: FILE is well-formed SVG of some size, and each TEXT
# is inside one of its <text> elements.
svg_has() {
  $PY -c '
import sys, xml.etree.ElementTree as ET
path, want = sys.argv[1], sys.argv[2:]
d = open(path, encoding="utf-8").read()
assert "<svg" in d, "no <svg"
assert len(d) > 10000, len(d)
texts = ["".join(e.itertext()) for e in ET.parse(path).iter() if e.tag.split("}")[-1] == "text"]
for w in want:
    assert any(w in t for t in texts), (w, texts[:8])
' "$@"
}

# png_ok FILE: PNG signature, at least 1000 x 600 pixels, not a near-empty image.
png_ok() {
  $PY -c '
import sys, struct
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", d[:8]
w, h = struct.unpack(">II", d[16:24])
assert w >= 1000 and h >= 600, (w, h)
assert len(d) > 15000, len(d)
' "$1"
}

expect_exit "baseline, 5 replications, 5 detailed" 0 "$GPUPLAN_INPUT" run --reps 5 --detail 5 -q -o "$T/b.h5"

expect_exit "plot --help exits 0" 0 "$GPUPLAN" plot --help
check "plot --help shows usage" grep -q "^usage: gpuplan plot FILE.h5" "$T/out"
check "plot --help names the package" grep -q "apt-get install gnuplot-nox" "$T/out"

# PNG, the default, into the default directory: FILE without .h5, plus -charts.
expect_exit "plot png into the default directory" 0 "$GPUPLAN" plot "$T/b.h5"
check "plot prints the path of every chart" test "$(grep -c "^$T/b-charts/.*\.png$" "$T/out")" -eq 6
for c in $CHARTS; do
  check "$c.png: a PNG, 1000 x 600 or more, not empty" png_ok "$T/b-charts/$c.png"
done
check "no temporary files left in the chart directory" test "$(ls -A "$T/b-charts" | wc -l)" -eq 6

# SVG into -d DIR: every chart has its title, the time charts dated axes.
expect_exit "plot svg into -d DIR" 0 "$GPUPLAN" plot "$T/b.h5" -d "$T/svg" --format svg
for c in $CHARTS; do
  check "$c.svg: SVG with its title" svg_has "$T/svg/$c.svg" "$(title_of $c)"
done
check "capacity.svg: axis labels, legend, target line and date" svg_has "$T/svg/capacity.svg" \
  "date (year-month)" "GPUs" "government-usable" "score" "fcfs" \
  "roadmap target: 52,000 GPUs by 2028-12-31" "target date 2028-12-31" "2027-01"
check "capacity.svg: the roadmap once, not a panel per policy (issue 17, item 10)" \
  svg_has "$T/svg/capacity.svg" "the roadmap is the same under every policy" \
  "as run under policy score" "GPUs allocated to projects (solid) and busy (dashed), by policy"
check "capacity.svg: no panel per policy" sh -c "! grep -q '>policy fcfs<' '$T/svg/capacity.svg'"
check "time_to_gpu.svg: sectors in the legend, units on the axis" svg_has "$T/svg/time_to_gpu.svg" \
  "days from submission to start on GPUs" "industry:" "academia:"
check "acceptance.svg: policies in the legend" svg_has "$T/svg/acceptance.svg" \
  "score" "fcfs" "all sectors" "accepted / decided proposals (%)"
check "differences.svg: a panel per metric, units" svg_has "$T/svg/differences.svg" \
  "days to GPU (less is better)" "days" "percentage points" "excludes 0"
check "h100e.svg: the target in H100-equivalents, at the planned mix (issue 17, item 10)" \
  svg_has "$T/svg/h100e.svg" "H100-equivalents at the planned mix" "roadmap target: 52,000 GPUs by 2028-12-31 = "
check "h100e.svg: no target line in GPUs" sh -c "! grep -q 'a count of GPUs' '$T/svg/h100e.svg'"
check "time_to_gpu.svg: started counted in projects" svg_has "$T/svg/time_to_gpu.svg" "projects started"

# gnuplot missing: 69, with the package to install; nothing created.
mkdir "$T/nobin"
expect_exit "no gnuplot on PATH: exit 69" 69 env PATH="$T/nobin" "$GPUPLAN" plot "$T/b.h5" -d "$T/x1"
check "no gnuplot: says how to install it" grep -q "apt-get install gnuplot-nox" "$T/err"
check "no gnuplot: one line" test "$(wc -l <"$T/err")" -eq 1
check "no gnuplot: no directory made" test ! -e "$T/x1"
expect_exit "GPUPLAN_GNUPLOT=/nonexistent: exit 69" 69 env GPUPLAN_GNUPLOT=/nonexistent "$GPUPLAN" plot "$T/b.h5" -d "$T/x2"
check "GPUPLAN_GNUPLOT: says how to install it" grep -q "apt-get install gnuplot-nox" "$T/err"

# Bad input and usage.
echo "not hdf5" >"$T/x.h5"
expect_exit "plot a non-HDF5 file: exit 65" 65 "$GPUPLAN" plot "$T/x.h5"
check "non-HDF5 message" grep -q "x.h5: not an HDF5 file" "$T/err"
$PY -c 'import h5py, sys; h5py.File(sys.argv[1], "w").create_dataset("x", data=[1])' "$T/other.h5"
expect_exit "plot an HDF5 file gpuplan did not write: exit 65" 65 "$GPUPLAN" plot "$T/other.h5"
expect_exit "plot a missing file: exit 66" 66 "$GPUPLAN" plot "$T/none.h5"
expect_exit "plot without a file: exit 64" 64 "$GPUPLAN" plot
expect_exit "plot --format gif: exit 64" 64 "$GPUPLAN" plot "$T/b.h5" --format gif
expect_exit "plot --point 1 of a file without points: exit 64" 64 "$GPUPLAN" plot "$T/b.h5" --point 1
check "--point message" grep -q "the file is not a sweep" "$T/err"
: >"$T/afile"
expect_exit "plot -d under a regular file: exit 73" 73 "$GPUPLAN" plot "$T/b.h5" -d "$T/afile/charts"

# A sweep: the same tree under /points/K, root attribute "points".
check "make a two-point sweep file" $PY -c '
import h5py, sys
src = h5py.File(sys.argv[1], "r")
dst = h5py.File(sys.argv[2], "w")
for k, v in src.attrs.items():
    dst.attrs[k] = v
dst.attrs["points"] = 2
for i in range(2):
    g = dst.create_group("points/%d" % i)
    for name in src:
        src.copy(src[name], g, name=name)
' "$T/b.h5" "$T/sweep.h5"
expect_exit "plot a sweep, default point 0" 0 "$GPUPLAN" plot "$T/sweep.h5" -d "$T/sw0" --format svg
check "point 0 named in the title" svg_has "$T/sw0/acceptance.svg" "baseline, sweep point 0 (0 to 1)"
expect_exit "plot a sweep, --point 1" 0 "$GPUPLAN" plot "$T/sweep.h5" -d "$T/sw1" --format svg --point 1
check "point 1 named in the title" svg_has "$T/sw1/capacity.svg" "baseline, sweep point 1 (0 to 1)"
expect_exit "plot a sweep, --point 2: exit 64" 64 "$GPUPLAN" plot "$T/sweep.h5" --point 2
check "--point out of range message" grep -q "the sweep has points 0 to 1" "$T/err"

# A policy named with quotes, backquotes, $(...), a backslash, @ and a
# newline: plotted as text, nothing run.  Names may not hold '/', so the
# commands write to $PWNED, set in the environment gnuplot inherits.
name=$(printf '%s\n%s' "it's \"q\" \`touch \$PWNED\` \$(touch \$PWNED) \\ @x" "end")
mkdir "$T/w"
expect_exit "run with a hostile policy name" 0 "$GPUPLAN" run --reps 3 --detail 2 -q -o "$T/w/n.h5" \
  --set "policies[0].name=$name"
expect_exit "plot it (svg)" 0 env PWNED="$T/w/pwned" "$GPUPLAN" plot "$T/w/n.h5" -d "$T/w/svg" --format svg
expect_exit "plot it (png)" 0 env PWNED="$T/w/pwned" "$GPUPLAN" plot "$T/w/n.h5" -d "$T/w/png"
check "no command from the name ran" test -z "$(find "$T" -name pwned)"
check "the name is text in the SVG (newline shown as a space)" svg_has "$T/w/svg/capacity.svg" \
  "policy $(printf '%s' "$name" | tr '\n' ' ')"

# All or nothing (issue 16, item 8).  A gnuplot that fails on the fourth
# chart: no chart reaches DIR, the directories plot made are gone, and so is
# its private directory.
G=$(command -v gnuplot)
cat >"$T/fail4.sh" <<EOF2
#!/bin/sh
case "\$1" in acceptance.gp) echo "cannot draw" >&2; exit 1 ;; esac
exec "$G" "\$@"
EOF2
chmod +x "$T/fail4.sh"
expect_exit "gnuplot failing on the 4th chart: exit 70" 70 env GPUPLAN_GNUPLOT="$T/fail4.sh" "$GPUPLAN" plot "$T/b.h5" -d "$T/f4/a/b"
check "failed plot: no directory left (it made them)" test ! -e "$T/f4"
mkdir "$T/f5" && echo precious >"$T/f5/capacity.png"
expect_exit "the same into an existing directory: exit 70" 70 env GPUPLAN_GNUPLOT="$T/fail4.sh" "$GPUPLAN" plot "$T/b.h5" -d "$T/f5"
check "failed plot: the directory as it was" sh -c "test \"\$(ls -A '$T/f5')\" = capacity.png && grep -q precious '$T/f5/capacity.png'"
# A reader that goes away (SIGPIPE on the list): the charts are all there and
# nothing private is left behind.
"$GPUPLAN" plot "$T/b.h5" -d "$T/pipe" | true
check "closed pipe: all six charts" test "$(ls "$T/pipe" | grep -c '\.png$')" -eq 6
check "closed pipe: no private directory left" test -z "$(ls -A "$T/pipe" | grep gpuplan-plot)"
# SIGTERM while gnuplot draws: exit 143 within 2 s, nothing written,
# gnuplot (and what it started) killed.
cat >"$T/slow.sh" <<EOF2
#!/bin/sh
echo \$\$ >"$T/slow.pid"
sleep 30
exec "$G" "\$@"
EOF2
chmod +x "$T/slow.sh"
signal_case "plot stops on SIGTERM while gnuplot runs: exit 143" TERM "file:$T/slow.pid" 143 env GPUPLAN_GNUPLOT="$T/slow.sh" "$GPUPLAN" plot "$T/b.h5" -d "$T/slow"
check "plot stopped: nothing written" test ! -e "$T/slow"
check "plot stopped: gnuplot is gone" sh -c "! kill -0 \$(cat '$T/slow.pid') 2>/dev/null"
check "plot stopped: says so in one line" sh -c "test \$(wc -l <'$T/err') -eq 1 && grep -q '^interrupted by signal 15; nothing written$' '$T/err'"
# The output place is checked before the input is read (issue 16, item 7).
: >"$T/afile"
expect_exit "-d under a file, before a missing input: 73" 73 "$GPUPLAN" plot "$T/missing.h5" -d "$T/afile/charts"
check "-d under a file: says so" grep -q "^$T/afile/charts: cannot create directory: Not a directory$" "$T/err"
