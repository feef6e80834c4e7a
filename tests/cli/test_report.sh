# tests/cli/test_report.sh - `gpuplan report`: one self-contained HTML page
# per result file, checked the way a reader sees it: rendered by headless
# Chromium (a screenshot that is not blank, and the DOM it builds), against
# the numbers of the result file (tests/check_report.py); names from the file
# shown as text, never as markup; no address outside the page; at 1024 and
# 1400 px with nine policies, no sideways scroll of the page (wide tables
# scroll in their own box, first column sticky); exit codes.  Needs gnuplot (gnuplot-nox) and
# Chromium (Debian package chromium).
. tests/cli/lib.sh

CHECK="$PY tests/check_report.py"

# chrome OUT ARGS... : headless Chromium, offline, its own profile in $T.
CHROME=$(command -v chromium || command -v chromium-browser || true)
chrome() {
  _out=$1
  shift
  "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$T/chrome" \
    "$@" >"$_out" 2>"$T/chrome.err"
}

# Under the sanitizers Chromium would render the very pages the release
# suite renders: there, when the release binary is at hand
# ($GPUPLAN_RELEASE, which make check passes), the sanitized binary must
# write the same bytes as the release binary (same_page), and the checks on
# what Chromium rendered (rendered NAME CMD...) are left to the release
# suite.  Chromium takes a third of this script's time.
RENDER=1
if [ -n "${GP_SANITIZED:-}" ] && [ -x "${GPUPLAN_RELEASE:-}" ]; then
  RENDER=""
  echo "# report: Chromium's checks are the release suite's; here each page is the release binary's"
fi
rendered() {
  if [ -n "$RENDER" ]; then check "$@"; fi
  return 0
}
# same_page NAME H5 HTML: under the sanitizers, HTML (the page of H5 the
# sanitized binary wrote) is byte for byte the release binary's page.
same_page() {
  if [ -z "$RENDER" ]; then
    check "$1: the same page as the release binary's" sh -c \
      "'$GPUPLAN_RELEASE' report '$2' -o '$T/release.html' >/dev/null && cmp '$T/release.html' '$3'"
  fi
  return 0
}

expect_exit "baseline, 6 replications, 3 detailed" 0 "$GPUPLAN_INPUT" run --reps 6 --detail 3 -q -o "$T/b.h5"

expect_exit "report --help exits 0" 0 "$GPUPLAN" report --help
check "report --help shows usage" grep -q "^usage: gpuplan report FILE.h5" "$T/out"
check "report --help: nothing on stderr" test ! -s "$T/err"

mkdir "$T/r"
expect_exit "report into -o FILE" 0 "$GPUPLAN" report "$T/b.h5" -o "$T/r/report.html"
check "report prints the page's path" test "$(cat "$T/out")" = "$T/r/report.html"
check "no temporary files left beside the page" test "$(ls -A "$T/r")" = "report.html"
check "the page is self-contained: no script, no external reference, inline style, an SVG per chart" \
  $CHECK static "$T/r/report.html"
check "the page names the scenario and its assumptions" \
  grep -q '<h1 id="scenario-name">baseline</h1>' "$T/r/report.html"
check "the page states the roadmap target" grep -q '52,000 GPUs by 2028-12-31' "$T/r/report.html"
check "the page names no address outside it (issue 17, item 10)" $CHECK offline "$T/r/report.html" "$T/b.h5"
check "default output: FILE less .h5, plus .html" sh -c \
  "'$GPUPLAN' report '$T/b.h5' >/dev/null && test -s '$T/b.html'"

same_page "baseline" "$T/b.h5" "$T/r/report.html"
if [ -n "$RENDER" ] && [ -z "$CHROME" ]; then
  echo "FAIL: chromium not installed: apt-get install chromium (the rendering checks need it)"
else
  # Rendered: Chromium exits 0 and writes a screenshot that is not blank.
  rendered "chromium renders the page (exit 0)" chrome "$T/shot.log" \
    --screenshot="$T/report.png" --window-size=1280,4000 "file://$T/r/report.html"
  rendered "screenshot: a 1280 x 4000 PNG with text and tables, not blank" \
    $CHECK png "$T/report.png" 1280 4000
  # The DOM Chromium built: every policy in the comparison table, verdicts
  # that quote the file's paired intervals, no script.
  rendered "chromium dumps the DOM (exit 0)" chrome "$T/dom.html" --dump-dom "file://$T/r/report.html"
  rendered "DOM: tables and verdicts agree with the file's statistics; nothing runs" \
    $CHECK dom "$T/dom.html" "$T/b.h5"
  rendered "DOM: fcfs lowers the quality of accepted projects (a verdict in words)" \
    grep -Eq 'fcfs lowers the mean quality of accepted projects by 0\.[0-9]+–0\.[0-9]+ points on the 0-1 scale\.' "$T/dom.html"
  rendered "DOM: proportional raises the acceptance rate, in percentage points" \
    grep -Eq 'proportional raises the acceptance rate by [0-9.]+–[0-9.]+ percentage points\.' "$T/dom.html"

  # Nine policies in a 1024 px window (issue 17, item 10): the page never
  # scrolls sideways; wide tables scroll in their own box, their first
  # column sticks.  A copy of the page with a measuring script at its end
  # (check_report.py probe; the page itself has none) is laid out by
  # Chromium at each width and reports what it measured into its DOM.
  mkdir "$T/n"
  expect_exit "nine policies (tests/cli/nine-policies.json)" 0 "$GPUPLAN_INPUT" run \
    tests/cli/nine-policies.json --reps 3 --detail 2 -q -o "$T/n/nine.h5"
  expect_exit "report on nine policies" 0 "$GPUPLAN" report "$T/n/nine.h5" -o "$T/n/nine.html"
  same_page "nine policies" "$T/n/nine.h5" "$T/n/nine.html"
  check "nine policies: the page is self-contained" $CHECK static "$T/n/nine.html"
  check "nine policies: no address outside the page" $CHECK offline "$T/n/nine.html" "$T/n/nine.h5"
  check "nine policies: the measuring copy" $CHECK probe "$T/n/nine.html" "$T/n/probe.html"
  for w in 1024 1400; do
    rendered "nine policies at $w px: chromium lays out the page (exit 0)" chrome "$T/n/fit-$w.html" \
      --window-size=$w,900 --dump-dom "file://$T/n/probe.html"
    rendered "nine policies at $w px: no sideways scroll of the page; wide tables scroll in their box, first column sticky" \
      $CHECK fit "$T/n/fit-$w.html" $w
    rendered "nine policies at $w px: a screenshot (exit 0)" chrome "$T/n/shot-$w.log" \
      --screenshot="$T/n/nine-$w.png" --window-size=$w,3000 "file://$T/n/nine.html"
    rendered "nine policies at $w px: a $w x 3000 PNG, not blank" $CHECK png "$T/n/nine-$w.png" $w 3000
  done
  rendered "nine policies: the DOM's numbers check out" chrome "$T/n/dom.html" --dump-dom "file://$T/n/nine.html"
  rendered "nine policies: tables and verdicts agree with the file" $CHECK dom "$T/n/dom.html" "$T/n/nine.h5"

  # Names and text from the file that look like markup stay text.  Policy
  # names cannot hold '/', so the policy's <script> is left open; the
  # scenario's description and assumptions close theirs.
  pol=$(printf '%s\n%s' "<script>alert(1)<b>\"q\" 'x' &amp; <img src=x onerror=alert(5)>" "end")
  mkdir "$T/h"
  expect_exit "run with names that look like HTML" 0 "$GPUPLAN" run --reps 3 --detail 2 -q \
    -o "$T/h/h.h5" --set "policies[0].name=$pol" --set "name=<script>alert(2)" \
    --set "description=<img src=x onerror=alert(3)> & \"quotes\"
</p></script><script>alert(3)</script>" \
    --set "assumptions[0]=</li><script>alert(4)</script>" \
    --set "policies[1].note=source: https://example.org/plan?a=1&b=<2> (a URL the user wrote)"
  expect_exit "report on it" 0 "$GPUPLAN" report "$T/h/h.h5" -o "$T/h/h.html"
  same_page "hostile names" "$T/h/h.h5" "$T/h/h.html"
  check "hostile names: the page is still self-contained" $CHECK static "$T/h/h.html"
  rendered "hostile names: chromium dumps the DOM" chrome "$T/h/dom.html" --dump-dom "file://$T/h/h.html"
  rendered "hostile names: shown exactly as text (title, h1, tables, assumptions, charts)" \
    $CHECK hostile "$T/h/dom.html" "$T/h/h.h5"
  rendered "hostile names: no <script> or <img> element in the DOM" \
    sh -c "! grep -Eqi '<(script|img)[ >]' '$T/h/dom.html'"
  rendered "hostile names: the policy's <script> is in the DOM as escaped text" \
    grep -q '&lt;script&gt;alert(1)&lt;b&gt;"q" '"'"'x'"'"' &amp;amp; &lt;img src=x onerror=alert(5)&gt;' "$T/h/dom.html"
  rendered "hostile names: the page's numbers still check out" $CHECK dom "$T/h/dom.html" "$T/h/h.h5"
  # Addresses: the user's own (a policy's note) are shown as text, never as
  # a link; the page adds none of its own (issue 17, item 10).
  check "a URL in a policy's note: shown as text" \
    grep -q 'source: https://example.org/plan?a=1&amp;b=&lt;2&gt; (a URL the user wrote)' "$T/h/h.html"
  check "a URL in a policy's note: the page names no other address" $CHECK offline "$T/h/h.html" "$T/h/h.h5"
  sed 's#</footer>#https://cdn.example.com/x.css</footer>#' "$T/h/h.html" >"$T/h/cdn.html"
  check "an address the user did not write is found" sh -c "! $CHECK offline '$T/h/cdn.html' '$T/h/h.h5' >/dev/null"
fi

# A two-level run (issue 18): the section "What drives the answer" names the
# factor that decides the target (tests/discover/slip.json: the slip), with
# the shares of the file's replications, and the drivers chart; a plain run
# has neither.
check "a plain run: no section What drives the answer, no drivers chart" \
  $CHECK drivers "$T/r/report.html" "$T/b.h5"
expect_exit "run --uncertain (tests/discover/slip.json)" 0 "$GPUPLAN" run tests/discover/slip.json \
  --uncertain --reps 128 -q -o "$T/u.h5"
expect_exit "report on it" 0 "$GPUPLAN" report "$T/u.h5" -o "$T/u.html"
same_page "two-level" "$T/u.h5" "$T/u.html"
check "two-level: the page is self-contained, an SVG per chart" $CHECK static "$T/u.html"
check "two-level: What drives the answer names the slip, with the file's shares; the drivers chart" \
  $CHECK drivers "$T/u.html" "$T/u.h5" "roadmap.tranches[c].slip_days"
check "two-level: ... which a check of another factor fails" \
  sh -c "! $CHECK drivers '$T/u.html' '$T/u.h5' 'demand.streams[s].rate_per_day' >/dev/null"
if [ -n "$CHROME" ]; then
  rendered "two-level: chromium dumps the DOM" chrome "$T/u-dom.html" --dump-dom "file://$T/u.html"
  rendered "two-level: the DOM's section as written" $CHECK drivers "$T/u-dom.html" "$T/u.h5" "roadmap.tranches[c].slip_days"
fi

# A file of `gpuplan sensitivity` (no /policies; written here by
# tests/discover/sens_file.py as docs/output.md describes it): the report
# says what drives each metric from its indices, with the tornado chart.
for m in sobol morris; do
  check "sensitivity file ($m): written" $PY tests/discover/sens_file.py "$T/s-$m.h5" $m
  expect_exit "report on it ($m)" 0 "$GPUPLAN" report "$T/s-$m.h5" -o "$T/s-$m.html"
  check "$m: the page is self-contained, the tornado chart, its sections" $CHECK static "$T/s-$m.html"
  check "$m: What drives the answer states the file's indices" $CHECK sens "$T/s-$m.html" "$T/s-$m.h5"
done
check "sobol: the sentence of issue 18" grep -q 'slip</code> explains 71% (64–78%) of the variance of the gap to the roadmap target; <code class="factor">demand.streams\[s\].rate_per_day</code> 12% (8–16%)' "$T/s-sobol.html"
expect_exit "compare refuses a sensitivity file: exit 65" 65 "$GPUPLAN" compare "$T/s-sobol.h5"
check "... saying which commands read it" grep -qx "$T/s-sobol.h5: a file of gpuplan sensitivity (no /policies): gpuplan report and gpuplan plot read it" "$T/err"
expect_exit "plot draws its tornado" 0 "$GPUPLAN" plot "$T/s-morris.h5" -d "$T/s-charts"
check "... and nothing else" test "$(cat "$T/out")" = "$T/s-charts/tornado.png"

# A file of `gpuplan calibrate` (issue 20, item 2): the section Calibration
# holds its fit, estimate and (abc) generations as the file has them, the
# posterior's pair plots; a run on that posterior says where its values
# came from in one line.
C=tests/calibration/small.json
expect_exit "calibrate --method abc (tiny)" 0 "$GPUPLAN" calibrate "$C" --method abc --particles 12 --generations 2 --reps 2 -q -o "$T/c-abc.h5"
expect_exit "calibrate nelder-mead (tiny)" 0 "$GPUPLAN" calibrate "$C" --starts 1 --reps 2 -q -o "$T/c-nm.h5"
for m in abc nm; do
  expect_exit "report on the calibrate file ($m)" 0 "$GPUPLAN" report "$T/c-$m.h5" -o "$T/c-$m.html"
  check "$m: the page is self-contained, the posterior chart, its sections" $CHECK static "$T/c-$m.html"
  check "$m: Calibration states the file's fit, estimate and generations" $CHECK calib "$T/c-$m.html" "$T/c-$m.h5"
done
expect_exit "plot draws the posterior of a calibrate file" 0 "$GPUPLAN" plot "$T/c-abc.h5" -d "$T/c-charts"
check "... and nothing else" test "$(cat "$T/out")" = "$T/c-charts/posterior.png"
expect_exit "compare refuses a calibrate file: exit 65" 65 "$GPUPLAN" compare "$T/c-abc.h5"
check "... saying which commands read it" grep -qx "$T/c-abc.h5: a file of gpuplan calibrate (no /policies): gpuplan report and gpuplan plot read it" "$T/err"
expect_exit "run on its posterior" 0 "$GPUPLAN" run "$C" --posterior "$T/c-abc.h5" --reps 4 -q -o "$T/c-run.h5"
expect_exit "report on that run" 0 "$GPUPLAN" report "$T/c-run.h5" -o "$T/c-run.html"
check "... says in one line where its values came from (paths, file, CRC-32)" $CHECK posterior "$T/c-run.html" "$T/c-run.h5"
check "... and has no Calibration section" sh -c "! grep -q 'id=\"calibration\"' '$T/c-run.html'"

# One policy: nothing to compare, and no table of differences.
expect_exit "run one policy" 0 "$GPUPLAN_INPUT" run --reps 3 --detail 0 -q --policy score -o "$T/one.h5"
expect_exit "report with one policy and no detailed replications" 0 "$GPUPLAN" report "$T/one.h5" -o "$T/one.html"
check "one policy: says there is nothing to compare" grep -q 'nothing to compare it with' "$T/one.html"
check "one policy: no table of differences" sh -c "! grep -q 'id=\"differences\"' '$T/one.html'"
check "one policy: still every chart, self-contained" $CHECK static "$T/one.html"

# A sweep: --point picks the point; the point and its values are named.
check "make a two-point sweep file" $PY -c '
import h5py, sys
import numpy as np
src = h5py.File(sys.argv[1], "r")
dst = h5py.File(sys.argv[2], "w")
for k, v in src.attrs.items():
    dst.attrs[k] = v
dst.attrs["points"] = 2
dst.attrs["sweep_paths"] = np.array([b"review.reviewers"])  # fixed-length, as gpuplan writes
src.copy(src["scenario"], dst, name="scenario")
for i in range(2):
    g = dst.create_group("points/%d" % i)
    g.attrs["review.reviewers"] = 40.0 + 20 * i
    for name in src:
        src.copy(src[name], g, name=name)
' "$T/b.h5" "$T/sweep.h5"
expect_exit "report --point 1 of a sweep" 0 "$GPUPLAN" report "$T/sweep.h5" --point 1 -o "$T/sw1.html"
check "sweep: the point and its value are named" \
  grep -q 'Sweep point 1</strong> (of 0 to 1): <code>review.reviewers</code> = <code>60</code>' "$T/sw1.html"
expect_exit "report --point 2 of a two-point sweep: exit 64" 64 "$GPUPLAN" report "$T/sweep.h5" --point 2 -o "$T/sw2.html"
check "--point out of range: says so" grep -q 'the sweep has points 0 to 1' "$T/err"

# Errors: one line on stderr, the documented code, nothing left behind.
expect_exit "missing file: exit 66" 66 "$GPUPLAN" report "$T/none.h5" -o "$T/x.html"
check "missing file: one line" test "$(wc -l <"$T/err")" -eq 1
echo "not hdf5" >"$T/x.h5"
expect_exit "not an HDF5 file: exit 65" 65 "$GPUPLAN" report "$T/x.h5" -o "$T/x.html"
check "not HDF5: message" grep -q "x.h5: not an HDF5 file" "$T/err"
$PY -c 'import h5py, sys; h5py.File(sys.argv[1], "w").create_dataset("x", data=[1])' "$T/other.h5"
expect_exit "HDF5 file gpuplan did not write: exit 65" 65 "$GPUPLAN" report "$T/other.h5" -o "$T/x.html"
: >"$T/afile"
expect_exit "output under a regular file: exit 73" 73 "$GPUPLAN" report "$T/b.h5" -o "$T/afile/r.html"
check "unwritable output: one line" test "$(wc -l <"$T/err")" -eq 1
expect_exit "output is a directory: exit 73" 73 "$GPUPLAN" report "$T/b.h5" -o "$T/r"
mkdir "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
  expect_exit "output in a read-only directory: exit 73" 73 "$GPUPLAN" report "$T/b.h5" -o "$T/ro/r.html"
fi
mkdir "$T/nobin" "$T/ng"
expect_exit "no gnuplot on PATH: exit 69" 69 env PATH="$T/nobin" "$GPUPLAN" report "$T/b.h5" -o "$T/ng/r.html"
check "no gnuplot: says how to install it, in one line" \
  sh -c "grep -q 'apt-get install gnuplot-nox' '$T/err' && test \$(wc -l <'$T/err') -eq 1"
check "no gnuplot: nothing left in the output directory" test -z "$(ls -A "$T/ng")"
expect_exit "no file: exit 64" 64 "$GPUPLAN" report
expect_exit "unknown option: exit 64" 64 "$GPUPLAN" report "$T/b.h5" --format pdf
expect_exit "--point 1 of a file without points: exit 64" 64 "$GPUPLAN" report "$T/b.h5" --point 1 -o "$T/x.html"
expect_exit "-o the result file itself: exit 64" 64 "$GPUPLAN" report "$T/b.h5" -o "$T/b.h5"
check "the result file is untouched" $PY -c 'import h5py, sys; h5py.File(sys.argv[1], "r")["policies"]' "$T/b.h5"
check "no error left a page behind" test ! -e "$T/x.html"

# The page's place is checked before the input is read (issue 16, item 7).
expect_exit "-o a directory, before a missing input: 73" 73 "$GPUPLAN" report "$T/missing.h5" -o "$T/r"
check "-o a directory: says so" grep -q "^$T/r: is a directory$" "$T/err"
expect_exit "-o under a missing directory, before a missing input: 73" 73 "$GPUPLAN" report "$T/missing.h5" -o "$T/no/such/r.html"
check "-o under a missing directory: says so" grep -q "^$T/no/such/r.html: cannot create: No such file or directory$" "$T/err"
# SIGINT while gnuplot draws the charts: exit 130 within 2 s, no page, no
# private directory left (issue 16, item 8).
G=$(command -v gnuplot)
printf '#!/bin/sh\nsleep 30\nexec "%s" "$@"\n' "$G" >"$T/slow.sh"
chmod +x "$T/slow.sh"
mkdir "$T/sig"
signal_case "report stops on SIGINT: exit 130" INT 1 130 env GPUPLAN_GNUPLOT="$T/slow.sh" "$GPUPLAN" report "$T/b.h5" -o "$T/sig/r.html"
check "report stopped: nothing left" test -z "$(ls -A "$T/sig")"
