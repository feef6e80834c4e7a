# tests/cli/test_never.sh - never is NaN (format version 2, issue 16 item 3;
# docs/output.md "Format versions").
#
# A fresh run of tests/never/tiny.json (8 GPUs, overloaded: many proposals
# never start; a roadmap target never reached): format_version 3 (NaN where
# the run never got there since version 2), and the pandas expression
# (p.started - p.submitted).mean() is the mean over the started proposals,
# in the HDF5 file and in export's proposals.csv (empty cells) alike;
# replay's reserved is NaN where a job had none.
# tests/never/v1.h5 is the same scenario run by the gpuplan of 1d13cfb
# (version 1: -1 for never, no format_version): report, compare, plot and
# export read it as they read the version-2 file made from it (-1 -> NaN,
# format_version 2), figure for figure.  A file of format_version 4 is
# refused, exit 65, in one line.
. tests/cli/lib.sh

V1=tests/never/v1.h5

# ---- a fresh run ----
expect_exit "run tests/never/tiny.json" 0 "$GPUPLAN" run tests/never/tiny.json -q -o "$T/run.h5"
check "run: format_version 3, never is NaN (since 2), the issue's mean is over started proposals" $PY -c '
import sys
import h5py, numpy as np, pandas as pd
f = h5py.File(sys.argv[1], "r")
assert f.attrs.get_id("format_version").dtype == np.dtype("<i8"), "format_version not int64"
assert int(f.attrs["format_version"]) == 3, f.attrs["format_version"]
for name, g in f["policies"].items():
    p = pd.DataFrame(g["proposals"][()])
    for c in ["decided", "started", "finished"]:
        assert not (p[c] < 0).any(), f"{name}: {c} has negative times"
    never = p.started.isna()
    assert never.sum() > 10 and (~never).sum() > 10, never.sum()
    mean = (p.started - p.submitted).mean()
    over = (p.started[~never] - p.submitted[~never]).sum() / (~never).sum()
    assert abs(mean - over) < 1e-9 * over and mean > 0, (mean, over)
    assert p.finished[never].isna().all()
    c = pd.DataFrame(g["calls"][()])
    for k in ["first_decision", "mean_decision", "last_decision"]:
        assert not (c[k] < 0).any(), k
r = f["roadmap"]
assert np.isnan(r["date_reached"]).all() and not r["reached_by_target"].any()
for q in ["date_reached_q10", "date_reached_q50", "date_reached_q90"]:
    assert np.isnan(r.attrs[q]), q
' "$T/run.h5"

expect_exit "export the fresh run" 0 "$GPUPLAN" export "$T/run.h5" -d "$T/csv"
check "export: never is an empty cell; read_csv gives the same mean" $PY -c '
import sys
import h5py, pandas as pd
f = h5py.File(sys.argv[1], "r")
csv = pd.read_csv(sys.argv[2] + "/proposals.csv", keep_default_na=False, dtype=str)
assert (csv.started == "").sum() > 10 and not (csv.started == "-1").any()
assert ((csv.started == "") == (csv.started_date == "")).all()
p = pd.read_csv(sys.argv[2] + "/proposals.csv")
for name, g in f["policies"].items():
    h = pd.DataFrame(g["proposals"][()])
    q = p[p.policy == name]
    assert q.started.isna().sum() == h.started.isna().sum()
    a, b = (q.started - q.submitted).mean(), (h.started - h.submitted).mean()
    assert abs(a - b) < 1e-9 * b, (a, b)
road = pd.read_csv(sys.argv[2] + "/roadmap.csv", keep_default_na=False, dtype=str)
assert (road.date_reached == "").all() and (road.date_reached_date == "").all()
' "$T/run.h5" "$T/csv"

expect_exit "replay small.swf --policy easy -o" 0 "$GPUPLAN" replay tests/traces/small.swf --policy easy -o "$T/replay.h5"
check "replay: format_version 3, reserved NaN where none" $PY -c '
import sys, math
import h5py
f = h5py.File(sys.argv[1], "r")
assert int(f.attrs["format_version"]) == 3
res = [None if math.isnan(x) else x for x in f["jobs"]["reserved"]]
assert res == [None, 10, 15, None, None], res
' "$T/replay.h5"

# ---- a version-1 file and the version-2 file made from it ----
mkdir -p "$T/v1" "$T/v2" "$T/v3"
cp "$V1" "$T/v1/tiny.h5"
cp "$V1" "$T/v2/tiny.h5"
check "the fixture is a version-1 file with -1 for never" $PY -c '
import sys
import h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert "format_version" not in f.attrs
s = f["policies/easy/proposals"]["started"]
assert (s == -1).sum() > 10 and not np.isnan(s).any()
assert (f["roadmap"]["date_reached"] == -1).all()
' "$V1"
check "make the version-2 file: -1 -> NaN, format_version 2" $PY -c '
import sys
import h5py, numpy as np
f = h5py.File(sys.argv[1], "r+")
never = {"proposals": ["decided", "started", "finished"],
         "calls": ["first_decision", "mean_decision", "last_decision"]}
for g in f["policies"].values():
    for table, fields in never.items():
        x = g[table][()]
        for k in fields:
            x[k][x[k] < 0] = np.nan
        g[table][...] = x
x = f["roadmap"][()]
x["date_reached"][x["date_reached"] < 0] = np.nan
f["roadmap"][...] = x
for q in ["date_reached_q10", "date_reached_q50", "date_reached_q90"]:
    if f["roadmap"].attrs[q] < 0:
        f["roadmap"].attrs[q] = np.nan
f.attrs["format_version"] = np.int64(2)
' "$T/v2/tiny.h5"

for v in v1 v2; do
  expect_exit "compare the $v file" 0 "$GPUPLAN" compare "$T/$v/tiny.h5"
  sed "s|$T/$v/||" "$T/out" >"$T/compare-$v.txt"
  expect_exit "report on the $v file" 0 "$GPUPLAN" report "$T/$v/tiny.h5" -o "$T/$v/r.html"
  sed "s|$T/$v/||g" "$T/$v/r.html" >"$T/$v/report.html" # the page names its file
  expect_exit "export the $v file" 0 "$GPUPLAN" export "$T/$v/tiny.h5" -d "$T/$v/csv"
  expect_exit "plot the $v file" 0 "$GPUPLAN" plot "$T/$v/tiny.h5" -d "$T/$v/plot" --format svg
done
check "compare: the same from version 1 and version 2" cmp -s "$T/compare-v1.txt" "$T/compare-v2.txt"
check "report: the same from version 1 and version 2" cmp -s "$T/v1/report.html" "$T/v2/report.html"
check "report: the target not reached by the end" grep -q "not by the end" "$T/v1/report.html"
check "export: the same CSV files from version 1 and version 2" diff -r "$T/v1/csv" "$T/v2/csv"
check "export of version 1: never is an empty cell" sh -c "! grep -q ',-1,' '$T/v1/csv/proposals.csv'"
check "plot: the same charts from version 1 and version 2" diff -r "$T/v1/plot" "$T/v2/plot"
check "export of a file before returning applicants: every proposal new, previous -1; the calls' counts empty (NaN)" $PY -c '
import sys, pandas as pd
p = pd.read_csv(sys.argv[1] + "/proposals.csv")
c = pd.read_csv(sys.argv[1] + "/calls.csv")
assert len(p) and (p["returning"] == "new").all() and (p["previous"] == -1).all()
assert len(c) and c["returning"].isna().all() and c["returning_accepted"].isna().all()
' "$T/v1/csv"

# ---- a later version is refused ----
cp "$T/v2/tiny.h5" "$T/v3/tiny.h5"
$PY -c '
import sys
import h5py, numpy as np
with h5py.File(sys.argv[1], "r+") as f:
    f.attrs["format_version"] = np.int64(4)
' "$T/v3/tiny.h5"
want="$T/v3/tiny.h5: format_version 4: this gpuplan reads format versions 1 to 3 (docs/output.md, \"Format versions\")"
for cmd in compare report export plot; do
  case $cmd in
    compare) set -- ;;
    report) set -- -o "$T/v3/r.html" ;;
    export) set -- -d "$T/v3/csv" ;;
    plot) set -- -d "$T/v3/plot" --format svg ;;
  esac
  expect_exit "$cmd refuses format_version 4: exit 65" 65 "$GPUPLAN" $cmd "$T/v3/tiny.h5" "$@"
  check "$cmd refuses format_version 4 in one line naming the versions" sh -c \
    "test \$(wc -l <'$T/err') -eq 1 && grep -qxF '$want' '$T/err'"
done
check "nothing written for the refused file" sh -c "! ls '$T/v3' | grep -qv '^tiny.h5\$'"
