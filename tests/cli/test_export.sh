# tests/cli/test_export.sh - gpuplan export (CSV files from a result file),
# docs/output.md against a fresh result file, and the documented examples.
. tests/cli/lib.sh

expect_exit "baseline for export" 0 "$GPUPLAN_INPUT" run scenarios/baseline.json --reps 3 --detail 1 -q -o "$T/b.h5"
expect_exit "export --help exits 0" 0 "$GPUPLAN" export --help
check "export --help shows usage" grep -q "^usage: gpuplan export FILE.h5 -d DIR" "$T/out"
expect_exit "export the baseline" 0 "$GPUPLAN" export "$T/b.h5" -d "$T/csv"
check "export lists what it wrote" sh -c "grep -Eq '^$T/csv/summary.csv: [0-9]+ rows$' '$T/out' &&
  grep -q '^$T/csv/roadmap.csv: 3 rows$' '$T/out' && grep -q '^$T/csv/scenario.json$' '$T/out'"
for f in summary stats compare calls proposals timeseries roadmap roadmap_tranches; do
  check "$f.csv: a header row" sh -c "head -n 1 '$T/csv/$f.csv' | grep -Eq '^[a-z_][a-z0-9_]*(,[a-z_][a-z0-9_]*)+$'"
done
check "no temporary files left" test -z "$(ls -a "$T/csv" | grep tmp)"

# verify.py H5 DIR [POINT] WHAT: the CSV files against the HDF5 tables they come from.
cat >"$T/verify.py" <<'EOF'
import csv, datetime, functools, json, math, os, re, sys
import h5py
import numpy as np

path, d, point, what = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
f = h5py.File(path, "r")
root = f["points"][point] if "points" in f else f
epoch = datetime.date.fromisoformat(json.loads(root["scenario"][()])["epoch"])
text = lambda x: x.decode() if isinstance(x, bytes) else str(x)

def read(name):
    with open(os.path.join(d, name), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]

def iso(days):
    return "" if not days >= 0 else (epoch + datetime.timedelta(days=math.floor(days))).isoformat()  # NaN: never

def same(cell, v, dt):
    enum = h5py.check_enum_dtype(dt)
    if enum is not None:
        return cell == {k: n for n, k in enum.items()}[int(v)]
    if dt.kind in "iu":
        return int(cell) == int(v)
    return cell == "" if math.isnan(v) else float(cell) == float(v)

def columns(ds, call_names, dated):
    """The documented columns of a table: fields, call_name after call, NAME_date after times
    (a field in days whose name has "days" in it, p90_days_to_decision, is a duration: no date)."""
    units = [text(u) for u in ds.attrs["units"]]
    cols = []
    for name, unit in zip(ds.dtype.names, units):
        cols.append(name)
        if call_names and name == "call": cols.append("call_name")
        if dated and unit == "days" and ds.dtype[name].kind == "f" and "days" not in name:
            cols.append(name + "_date")
    return cols

problems = []

@functools.lru_cache(maxsize=None)
def load(name):
    """A CSV file as its header, its number of rows and its columns (by name)."""
    with open(os.path.join(d, name), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], len(rows) - 1, dict(zip(rows[0], columns_of(rows, name)))

def columns_of(rows, name):
    """The body of CSV file NAME as numpy arrays of its cells (strings), one per column."""
    n = len(rows[0])
    bad = [i for i, r in enumerate(rows[1:], 1) if len(r) != n]
    if bad:
        problems.append(f"{name} row {bad[0]}: {len(rows[bad[0]])} cells, the header {n}")
    body = list(zip(*rows[1:])) if len(rows) > 1 else [()] * n
    return [np.array(c, dtype=object) for c in body]

def mismatches(cells, vals, dt):
    """Indices of the rows where the CSV cells do not hold the HDF5 values VALS (of type DT):
    an enum by its name, an integer as written, a float read back exactly, NaN as an empty cell."""
    enum = h5py.check_enum_dtype(dt)
    if enum is not None:
        name = {k: n for n, k in enum.items()}
        return np.nonzero(cells != np.array([name[int(v)] for v in vals], dtype=object))[0]
    try:
        if dt.kind in "iu":
            return np.nonzero(cells.astype(np.int64) != vals.astype(np.int64))[0]
        v = vals.astype(np.float64)
        empty = cells == ""
        got = np.where(empty, "nan", cells).astype(np.float64)
        return np.nonzero(~np.where(np.isnan(v), empty, got == v))[0]
    except ValueError:  # a cell that is not a number: the first such row
        conv = int if dt.kind in "iu" else float
        for i, c in enumerate(cells):
            try:
                conv(c if c != "" or conv is int else "nan")
            except ValueError:
                return np.array([i])
        raise

def isos(vals):
    """The ISO dates of days VALS from the epoch, "" for never (NaN)."""
    v = vals.astype(np.float64)
    out = np.full(len(v), "", dtype=object)
    if np.isinf(v).any():
        problems.append("an infinite day")
    ok = (v >= 0) & np.isfinite(v)
    days = np.floor(v[ok]).astype(np.int64).astype("timedelta64[D]")
    out[ok] = (np.datetime64(epoch.isoformat()) + days).astype(str).astype(object)
    return out

def table(csv_name, tables, call_names, dated, lead):
    """tables: [(lead values, dataset, call names)]"""
    header, nrows, col = load(csv_name)
    ds0 = tables[0][1] if tables else None
    if ds0 is not None and header != lead + columns(ds0, call_names, dated):
        problems.append(f"{csv_name}: header {header}")
    want = sum(len(ds) for _, ds, _ in tables)
    if nrows != want:
        problems.append(f"{csv_name}: {nrows} rows, HDF5 has {want}")
    if what != "values" or nrows != want:
        return
    at = 0
    for lv, ds, names in tables:
        recs = ds[()]
        part = slice(at, at + len(recs))
        def report(c, idx, got, want):
            i = at + int(idx[0]) + 1
            problems.append(f"{csv_name} row {i}: {c} {got[idx[0]]!r} != {want[idx[0]]!r} "
                            f"({len(idx)} rows differ)")
        for c, v in zip(lead, lv):
            idx = np.nonzero(col[c][part] != v)[0]
            if len(idx): report(c, idx, col[c][part], np.full(len(recs), v, dtype=object))
        for name in ds.dtype.names:
            idx = mismatches(col[name][part], recs[name], ds.dtype[name])
            if len(idx): report(name, idx, col[name][part], recs[name])
            if name + "_date" in col:
                want_d = isos(recs[name])
                idx = np.nonzero(col[name + "_date"][part] != want_d)[0]
                if len(idx): report(name + "_date", idx, col[name + "_date"][part], want_d)
        if call_names:
            want_n = np.array(names, dtype=object)[recs["call"]]
            idx = np.nonzero(col["call_name"][part] != want_n)[0]
            if len(idx): report("call_name", idx, col["call_name"][part], want_n)
        at += len(recs)
        if len(problems) > 10: return

pols = list(root["policies"])
names = {p: [text(n) for n in root["policies"][p]["calls"].attrs["names"]] for p in pols}
table("summary.csv", [([p], root["policies"][p]["summary"], None) for p in pols], False, False, ["policy"])
table("calls.csv", [([p], root["policies"][p]["calls"], names[p]) for p in pols], True, True, ["policy"])
table("proposals.csv", [([p], root["policies"][p]["proposals"], names[p]) for p in pols], True, True, ["policy"])
table("roadmap.csv", [([], root["roadmap"], None)], False, True, [])
# The gap by tranche (issue 17, item 1): its fields after the tranche's name.
if "roadmap_tranches" in root:
    rt = root["roadmap_tranches"]
    header, rows = read("roadmap_tranches.csv")
    if header != ["tranche_name"] + columns(rt, False, True):
        problems.append(f"roadmap_tranches.csv: header {header}")
    tn = [text(n) for n in rt.attrs["names"]]
    if [r["tranche_name"] for r in rows] != tn:
        problems.append(f"roadmap_tranches.csv: names {[r['tranche_name'] for r in rows]}")
    for rec, row in zip(rt[()], rows):
        for name in rt.dtype.names:
            if what == "values" and not same(row[name], rec[name], rt.dtype[name]):
                problems.append(f"roadmap_tranches.csv: {name} {row[name]!r} != {rec[name]!r}")
elif "target_gpus" in f.attrs:
    problems.append("no /roadmap_tranches in a file with a target")

# statistics: the metric enum names come from the table's "metrics" attribute
# compare.csv: policy B against A, the statistics of B - A (the file holds A - B)
for csv_name, group, lead in [("stats.csv", "stats", ["policy"]), ("compare.csv", "compare", ["policy", "against"])]:
    header, rows = read(csv_name)
    tabs = list(root[group].items()) if group in root else []
    if header != lead + ["metric", "n", "mean", "sd", "half_width", "lo", "hi", "unit"]:
        problems.append(f"{csv_name}: header {header}")
    want = sum(len(t) for _, t in tabs)
    if len(rows) != want:
        problems.append(f"{csv_name}: {len(rows)} rows, HDF5 has {want}")
    if what != "values": continue
    got = {tuple(r[c] for c in lead) + (r["metric"],): r for r in rows}
    for name, t in tabs:
        key = (name,) if group == "stats" else (text(t.attrs["b"]), text(t.attrs["a"]))
        metrics = [text(m) for m in t.attrs["metrics"]]
        for rec in t[()]:
            r = got.get(key + (metrics[rec["metric"]],))
            if r is None:
                problems.append(f"{csv_name}: no row for {key} {metrics[rec['metric']]}"); continue
            flip = {"mean": "mean", "lo": "hi", "hi": "lo"} if group == "compare" else {}
            for c in ["n", "mean", "sd", "half_width", "lo", "hi"]:
                want = -rec[flip[c]] if c in flip else rec[c]
                if not same(r[c], want, t.dtype[c]):
                    problems.append(f"{csv_name}: {key} {r['metric']} {c} {r[c]!r} != {want!r}")

# time series: long format, one row per (policy, series, tranche, rep, sample)
header, rows = read("timeseries.csv")
if header != ["policy", "rep", "date", "day", "series", "tranche", "value", "unit"]:
    problems.append(f"timeseries.csv: header {header}")
want = {}
for p in pols:
    ts = root["policies"][p]["timeseries"]
    series = [(k, "", ts[k]) for k in ts if k not in ("time", "rep", "tranches")]
    series += [(k, t, ts["tranches"][t][k]) for t in ts["tranches"] for k in ts["tranches"][t]]
    reps, days = [str(r) for r in ts["rep"][()].tolist()], ts["time"][()].tolist()
    for k, t, ds in series:
        m, unit = ds[()].tolist(), text(ds.attrs["units"])
        for i, r in enumerate(reps):
            for j, day in enumerate(days):
                want[(p, k, t, r, day)] = (m[i][j], unit)
if len(rows) != len(want):
    problems.append(f"timeseries.csv: {len(rows)} rows, HDF5 has {len(want)}")
if what == "values":
    for r in rows:
        v = want.get((r["policy"], r["series"], r["tranche"], r["rep"], float(r["day"])))
        if v is None or float(r["value"]) != v[0] or r["unit"] != v[1] or r["date"] != iso(float(r["day"])):
            problems.append(f"timeseries.csv: {r}")
            if len(problems) > 10: break

if what == "dates":
    # every date column holds ISO dates or nothing
    for name in ["proposals.csv", "calls.csv", "timeseries.csv", "roadmap.csv"]:
        header, _, col = load(name)
        cols = [c for c in header if c == "date" or c.endswith("_date")]
        if not cols: problems.append(f"{name}: no date column")
        for c in cols:
            for x in sorted(set(col[c])):
                if x and not re.fullmatch(r"\d{4}-\d\d-\d\d", x):
                    problems.append(f"{name}: {c} {x!r}")
    col = load("proposals.csv")[2]
    never = col["started"] == ""
    if not never.any() or (never != (col["started_date"] == "")).any():
        problems.append("proposals.csv: started_date is not empty exactly when started is (never)")

for p in problems[:10]:
    print("   ", p)
sys.exit(1 if problems else 0)
EOF

check "row counts and every cell match the HDF5 tables" $PY "$T/verify.py" "$T/b.h5" "$T/csv" 0 values
check "ISO dates, empty for never" $PY "$T/verify.py" "$T/b.h5" "$T/csv" 0 dates
check "scenario.json is the stored scenario" $PY -c '
import h5py, sys
stored = h5py.File(sys.argv[1])["scenario"][()]
assert open(sys.argv[2], "rb").read() == stored, "differs"
' "$T/b.h5" "$T/csv/scenario.json"
check "csv-metadata.json: every CSV file, its columns as in its header, units and meanings from the HDF5 tables" $PY - "$T/b.h5" "$T/csv" <<'PYEOF'
import csv, json, os, sys
import h5py
f = h5py.File(sys.argv[1], "r")
d = sys.argv[2]
text = lambda x: x.decode() if isinstance(x, bytes) else str(x)
m = json.load(open(os.path.join(d, "csv-metadata.json")))
assert "http://www.w3.org/ns/csvw" in m["@context"], m["@context"]
tables = {t["url"]: t for t in m["tables"]}
csvs = sorted(n for n in os.listdir(d) if n.endswith(".csv"))
assert sorted(tables) == csvs, (sorted(tables), csvs)
p0 = next(iter(f["policies"]))
h5 = {"summary.csv": f["policies"][p0]["summary"], "calls.csv": f["policies"][p0]["calls"],
      "proposals.csv": f["policies"][p0]["proposals"], "roadmap.csv": f["roadmap"]}
for name, t in tables.items():
    header = next(csv.reader(open(os.path.join(d, name), newline="")))
    cols = t["tableSchema"]["columns"]
    assert [c["name"] for c in cols] == header, (name, header)
    assert all(c["titles"] == c["name"] and c["datatype"] in ("string", "integer", "double", "date")
               for c in cols), name
    if name in h5:
        ds = h5[name]
        units = dict(zip(ds.dtype.names, [text(u) for u in ds.attrs["units"]]))
        for c in cols:
            if c["name"] in units:
                assert c.get("schema:unitText", "") == units[c["name"]], (name, c, units[c["name"]])
                assert c.get("dc:description"), (name, c)
                kind = ds.dtype[c["name"]].kind
                want = "string" if h5py.check_enum_dtype(ds.dtype[c["name"]]) is not None else {"i": "integer", "u": "integer", "f": "double"}.get(kind, "string")
                assert c["datatype"] == want, (name, c, kind)
            elif c["name"].endswith("_date"):
                assert c["datatype"] == "date" and "schema:unitText" not in c, c
    if name in ("stats.csv", "compare.csv", "timeseries.csv"):
        by = {c["name"]: c for c in cols}
        assert "unit" in by and "schema:unitText" not in by["value" if name == "timeseries.csv" else "mean"], by
# the summary's metrics carry the units the console and the report show
s = {c["name"]: c for c in tables["summary.csv"]["tableSchema"]["columns"]}
assert s["mean_days_to_decision"]["schema:unitText"] == "days", s["mean_days_to_decision"]
PYEOF
check "NaN is an empty cell" $PY -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert any(r["score"] == "" for r in rows), "no empty score"
assert not any("nan" in v.lower() for r in rows for v in r.values()), "nan spelled out"
' "$T/csv/proposals.csv"

# Names with a comma, a quote and a newline: RFC 4180 quoting.
expect_exit "policy named with a comma and a quote" 0 "$GPUPLAN" run scenarios/baseline.json --reps 2 --detail 1 -q \
  --set 'policies[0].name="a,\"b"' --set 'policies[1].name="c\nd"' -o "$T/q.h5"
expect_exit "export it" 0 "$GPUPLAN" export "$T/q.h5" -d "$T/q"
check "quoted as RFC 4180 says" grep -q '^"a,""b",0,' "$T/q/summary.csv"
check "quoted names read back exactly" $PY -c '
import csv, sys
d = sys.argv[1]
pol = [r["policy"] for r in csv.DictReader(open(d + "/summary.csv", newline=""))]
assert pol[:4] == ["a,\"b"] * 2 + ["c\nd"] * 2, pol
cmp = list(csv.DictReader(open(d + "/compare.csv", newline="")))
assert ("c\nd", "a,\"b") in {(r["policy"], r["against"]) for r in cmp}, cmp[0]
ts = {r["policy"] for r in csv.DictReader(open(d + "/timeseries.csv", newline=""))}
assert {"a,\"b", "c\nd"} <= ts, ts
' "$T/q"
check "row counts and cells match with odd names" $PY "$T/verify.py" "$T/q.h5" "$T/q" 0 values

# A parameter sweep: --point selects /points/K.
expect_exit "a small sweep" 0 "$GPUPLAN_INPUT" run scenarios/baseline.json --reps 2 --detail 1 -q \
  --sweep review.reviewers=40:80:40 -o "$T/sw.h5"
expect_exit "export point 1" 0 "$GPUPLAN" export "$T/sw.h5" -d "$T/sw1" --point 1
check "point 1's tables" $PY "$T/verify.py" "$T/sw.h5" "$T/sw1" 1 values
expect_exit "export the default point" 0 "$GPUPLAN" export "$T/sw.h5" -d "$T/sw0"
check "the default point is 0" $PY "$T/verify.py" "$T/sw.h5" "$T/sw0" 0 counts
check "points differ" sh -c "! cmp -s '$T/sw0/summary.csv' '$T/sw1/summary.csv'"

# Errors: exit status, one line naming the file, nothing left behind.
expect_exit "missing file: 66" 66 "$GPUPLAN" export "$T/none.h5" -d "$T/e1"
check "missing file: message" grep -q "^$T/none.h5: cannot open: No such file or directory$" "$T/err"
check "missing file: no directory made" test ! -e "$T/e1"
echo "not hdf5" >"$T/x.h5"
expect_exit "not HDF5: 65" 65 "$GPUPLAN" export "$T/x.h5" -d "$T/e1"
check "not HDF5: message" grep -q "^$T/x.h5: not an HDF5 file$" "$T/err"
check "not HDF5: no directory made" test ! -e "$T/e1"
$PY -c 'import h5py, sys; h5py.File(sys.argv[1], "w").attrs["x"] = 1' "$T/other.h5"
expect_exit "HDF5 but not gpuplan's: 65" 65 "$GPUPLAN" export "$T/other.h5" -d "$T/e1"
check "not gpuplan's: message" grep -q "not a gpuplan result file" "$T/err"
expect_exit "--point on a file without a sweep: 64" 64 "$GPUPLAN" export "$T/b.h5" -d "$T/e1" --point 1
check "--point without a sweep: message" grep -q "^$T/b.h5: --point 1: the file is not a sweep (no points)$" "$T/err"
expect_exit "--point out of range: 64" 64 "$GPUPLAN" export "$T/sw.h5" -d "$T/e1" --point 2
check "--point out of range: message" grep -q "^$T/sw.h5: --point 2: the sweep has points 0 to 1$" "$T/err"
check "--point errors: no directory made" test ! -e "$T/e1"
expect_exit "--point not a number: 64" 64 "$GPUPLAN" export "$T/b.h5" -d "$T/e1" --point x
expect_exit "no -d: 64" 64 "$GPUPLAN" export "$T/b.h5"
check "no -d: says so" grep -q "expected -d DIR" "$T/err"
expect_exit "unknown option: 64" 64 "$GPUPLAN" export "$T/b.h5" -d "$T/e1" --frobnicate
expect_exit "no file: 64" 64 "$GPUPLAN" export -d "$T/e1"
expect_exit "parent of DIR missing: 73" 73 "$GPUPLAN" export "$T/b.h5" -d "$T/no/such"
check "parent missing: message" grep -q "^$T/no/such: cannot create directory: No such file or directory$" "$T/err"
expect_exit "DIR is a file: 73" 73 "$GPUPLAN" export "$T/b.h5" -d "$T/x.h5"

# A table broken halfway through the export: 65, and no file of it left.
cp "$T/b.h5" "$T/broken.h5"
$PY -c 'import h5py, sys; del h5py.File(sys.argv[1], "a")["policies/fcfs/proposals"]' "$T/broken.h5"
expect_exit "broken table: 65" 65 "$GPUPLAN" export "$T/broken.h5" -d "$T/e2"
check "broken table: names it" grep -q "^$T/broken.h5: /policies/fcfs/proposals not found$" "$T/err"
check "broken table: the directory it made is gone" test ! -e "$T/e2"
mkdir "$T/e3" && echo precious >"$T/e3/summary.csv"
expect_exit "broken table into an existing directory: 65" 65 "$GPUPLAN" export "$T/broken.h5" -d "$T/e3"
check "broken table: existing files untouched, no temporaries" \
  sh -c "test \"\$(ls -A '$T/e3')\" = summary.csv && grep -q precious '$T/e3/summary.csv'"

# A write error (file size limit; SIGXFSZ ignored, so write() fails with EFBIG): 74.
(trap '' XFSZ; ulimit -f 64; "$GPUPLAN" export "$T/b.h5" -d "$T/e3" >"$T/out" 2>"$T/err"; echo $? >"$T/rc")
check "write error: 74" test "$(cat "$T/rc")" = 74
check "write error: one line naming the file" sh -c "test \$(wc -l < '$T/err') -eq 1 && grep -q ': cannot write: File too large$' '$T/err'"
check "write error: existing files untouched, no temporaries" \
  sh -c "test \"\$(ls -A '$T/e3')\" = summary.csv && grep -q precious '$T/e3/summary.csv'"
expect_exit "export over an earlier export" 0 "$GPUPLAN" export "$T/b.h5" -d "$T/e3"
check "the earlier file replaced" sh -c "! grep -q precious '$T/e3/summary.csv'"

# docs/output.md documents everything in a fresh file (several policies) and its CSV files.
check "docs/output.md documents the file and the CSV files" $PY tests/check_docs.py "$T/b.h5" docs/output.md --csv "$T/csv"
check "docs/output.md documents a sweep" $PY tests/check_docs.py "$T/sw.h5" docs/output.md --csv "$T/sw1"
sed 's/^| `mean_days_in_queue` |.*//' docs/output.md >"$T/less.md"
check "check_docs.py catches an undocumented field" sh -c \
  "if $PY tests/check_docs.py '$T/b.h5' '$T/less.md' >'$T/cd.out'; then exit 1; fi
   grep -q 'field .mean_days_in_queue. not documented' '$T/cd.out'"

# The examples in docs/output.md: the Python one is tests/examples/read_results.py.
cat >"$T/blocks.py" <<'EOF'
import re, sys
doc = open("docs/output.md", encoding="utf-8").read()
blocks = re.findall(r"```" + sys.argv[1] + r"\n(.*?)```", doc, re.S)
k = int(sys.argv[2]) if len(sys.argv) > 2 else 0
sys.stdout.write(blocks[k] if len(blocks) > k else "")
EOF
check "Python example in docs/output.md is tests/examples/read_results.py" sh -c \
  "$PY '$T/blocks.py' python 1 | cmp -s - tests/examples/read_results.py"
# The short one (issue 17, item 11): every policy's summary in one DataFrame,
# enum fields by name, strings as str (format version 3), on the first try.
$PY "$T/blocks.py" python 0 | sed "s|out/baseline.h5|$T/b.h5|" >"$T/short.py"
cat >>"$T/short.py" <<EOF
with h5py.File("$T/b.h5", "r") as f:
    nrep = int(f.attrs["replications"])
    names = list(f["policies"])
    stats = frame(f["stats"][names[0]])
    strs = [f.attrs[k] for k in ("scenario_name", "epoch", "target_date", "time_unit")]
    assert all(isinstance(v, str) for v in strs), strs
    assert all(isinstance(u, str) for u in f["policies"][names[0]]["summary"].attrs["units"])
assert list(summaries.columns[:2]) == ["policy", "rep"], summaries.columns
assert sorted(summaries.policy.unique()) == sorted(names), summaries.policy.unique()
assert len(summaries) == len(names) * nrep, len(summaries)
assert stats.metric.map(type).eq(str).all() and "accepted" in set(stats.metric), stats.metric
EOF
check "the short Python example: every summary in one DataFrame, enums by name" sh -c \
  "$PY -W error '$T/short.py' >'$T/short.out' && grep -q acceptance_rate '$T/short.out'"
check "Python example runs (h5py, pandas)" sh -c \
  "$PY -W error tests/examples/read_results.py '$T/b.h5' >'$T/ex.out' && grep -q '^score: acceptance' '$T/ex.out'"
check "Python example runs on a sweep point" sh -c \
  "$PY -W error tests/examples/read_results.py '$T/sw.h5' 1 >'$T/ex.out' && grep -q '^point 1 ' '$T/ex.out'"
$PY "$T/blocks.py" gnuplot | sed "s|out/csv/|$T/csv/|g" >"$T/plot.gp"
check "gnuplot example plots the export" sh -c \
  "gnuplot -e 'set terminal dumb 80 25' '$T/plot.gp' >'$T/plot.txt' 2>'$T/plot.err' && test ! -s '$T/plot.err' && grep -q installed '$T/plot.txt'"

# The output place is checked before the input is read (issue 16, item 7):
# a missing input behind a bad -d is a 73, not a 66 after reading.
expect_exit "bad -d before a missing input: 73" 73 "$GPUPLAN" export "$T/missing.h5" -d "$T/x.h5"
check "bad -d: says so" grep -q "^$T/x.h5: exists and is not a directory$" "$T/err"
expect_exit "missing parent before a missing input: 73" 73 "$GPUPLAN" export "$T/missing.h5" -d "$T/no/such"
check "missing parent: message" grep -q "^$T/no/such: cannot create directory: No such file or directory$" "$T/err"
check "the checks leave nothing behind" test -z "$(ls -A "$T" | grep gpuplan-probe)"

# CSV injection (OWASP): text cells that begin with =, +, -, @, a tab or a CR
# get a leading '; numbers are left alone (issue 16, item 12).
expect_exit "run with formula-like policy names" 0 "$GPUPLAN" run scenarios/baseline.json --reps 2 --detail 1 -q \
  -o "$T/inj.h5" \
  --set 'policies[0].name="=HYPERLINK(\"x\",\"y\")"' --set 'policies[1].name="+cmd"' \
  --set 'policies[2].name="-2+3"' --set 'policies[3].name="@SUM(1)"' \
  --set 'policies[4].name="\tt"' --set 'policies[5].name="\rr"'
expect_exit "export it" 0 "$GPUPLAN" export "$T/inj.h5" -d "$T/inj"
check "formula-like names start with ', numbers do not" $PY - "$T/inj" <<'EOF2'
import csv, os, sys
d = sys.argv[1]
want = {"'=HYPERLINK(\"x\",\"y\")", "'+cmd", "'-2+3", "'@SUM(1)", "'\tt", "'\rr", "score-reclaim"}
for name in ("summary.csv", "calls.csv", "proposals.csv", "stats.csv", "timeseries.csv"):
    with open(os.path.join(d, name), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head, rows = rows[0], rows[1:]
    got = {r[0] for r in rows}
    assert got == want, (name, got)
    for r in rows:
        for col, cell in zip(head[1:], r[1:]):
            if cell[:1] in ("'", "=", "+", "@", "\t", "\r"):
                raise SystemExit("%s: %s = %r" % (name, col, cell))
            if cell[:1] == "-":  # a negative number, as a number
                float(cell)
EOF2

# SIGTERM in the middle of a large export: exit 143 within 2 s, nothing
# written, no directory made (issue 16, item 8).
expect_exit "a large result file" 0 "$GPUPLAN_INPUT" run scenarios/baseline.json --reps 8 --detail 8 -q -o "$T/big.h5"
signal_case "export stops on SIGTERM: exit 143" TERM 1 143 "$GPUPLAN" export "$T/big.h5" -d "$T/big"
check "export stopped: nothing written" test ! -e "$T/big"
check "export stopped: says so in one line" sh -c "test \$(wc -l <'$T/err') -eq 1 && grep -q '^interrupted by signal 15; nothing written$' '$T/err'"
