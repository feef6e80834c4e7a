#!/usr/bin/python3
"""tests/check_docs.py FILE.h5 DOC.md [--csv DIR] - check that DOC.md (docs/output.md)
documents everything in a result file.

Names that vary are normalised to placeholders first: policies to P
(/policies/P, /stats/P), comparisons to A__B, tranches to NAME, sweep points
to K.  Then, for every group and dataset, the section of DOC.md whose heading
holds the longest backticked path that is a prefix of it (`/policies/P/summary`,
`/policies/P/timeseries`, ... and `/` for the root) must name the rest of the
path in backticks; every attribute must appear in backticks in that section;
every field of a table must have a row `| \\`field\\` | type | unit | meaning |`
there whose type and unit agree with the file; every enum value must appear
(the GPU types come from the scenario and are exempt; the statistics' metric
values must be summary fields).  With --csv DIR (a `gpuplan export` of the same
file), every column of every CSV file must be documented in the section whose
heading names the file.  The root attribute format_version must be an int64,
the latest version the section "Format versions" describes (**Version N**);
a field whose `doc` in the file says NaN stands for something ("NaN = never")
must say NaN in its row too, never "-1 =".  Prints every omission and exits 1
if there is one."""
import re
import sys

import h5py
import numpy as np

args = sys.argv[1:]
csv_dir = None
if "--csv" in args:
    i = args.index("--csv")
    csv_dir = args[i + 1]
    del args[i:i + 2]
if len(args) != 2:
    sys.exit(__doc__)
h5_path, doc_path = args
problems = []


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


# ---- the document: sections by heading ----
sections = []  # (heading text, body text)
with open(doc_path, encoding="utf-8") as fh:
    heading, body = "", []
    in_code = False
    for line in fh:
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and re.match(r"#{1,6} ", line):
            sections.append((heading, "".join(body)))
            heading, body = line.strip(), []
        else:
            body.append(line)
    sections.append((heading, "".join(body)))

# headings that document an HDF5 path: the backticked absolute path in them
path_sections = {}
for h, b in sections:
    for p in re.findall(r"`(/[^`]*)`", h):
        path_sections.setdefault(p.rstrip("/") or "/", []).append(b)


def section_for(path):
    """(documented prefix, remainder, body) for the longest documented prefix."""
    comps = path.strip("/").split("/") if path != "/" else []
    for n in range(len(comps), -1, -1):
        prefix = "/" + "/".join(comps[:n])
        if prefix in path_sections:
            return prefix, "/".join(comps[n:]), "\n".join(path_sections[prefix])
    return None, path, ""


def backticked(name, body):
    return ("`" + name + "`") in body


def table_row(name, body):
    """The cells of the markdown table row whose first cell is `name`."""
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and cells and cells[0] == "`" + name + "`":
            return cells
    return None


# ---- normalisation ----
def normalise(path):
    c = path.strip("/").split("/")
    out = []
    i = 0
    if len(c) >= 2 and c[0] == "points":
        out += ["points", "K"]
        i = 2
    while i < len(c):
        out.append(c[i])
        prev = c[i]
        i += 1
        if i < len(c):
            if prev in ("policies", "stats") and len(out) == (3 if out[0] == "points" else 1):
                out.append("P")
                i += 1
            elif prev == "compare" and len(out) == (3 if out[0] == "points" else 1):
                out.append("A__B")
                i += 1
            elif prev == "tranches" and len(out) >= 2 and out[-2] == "timeseries":
                out.append("NAME")
                i += 1
    return "/" + "/".join(out)


def swept(path):
    """The tree under /points/K is the root's: check it as such."""
    return re.sub(r"^/points/K(?=/)", "", path)


def type_name(dt):
    if h5py.check_enum_dtype(dt) is not None:
        return "enum"
    return {"i": "int", "u": "uint", "f": "float"}.get(dt.kind, dt.kind) + str(8 * dt.itemsize)


# ---- the file ----
f = h5py.File(h5_path, "r")
seen = set()
summary_fields = set()


def check_object(name, obj):
    raw = "/" + name if name else "/"
    norm = normalise(raw)
    key = (norm, tuple(sorted(obj.attrs)))
    if key in seen:
        return
    seen.add(key)
    if norm == "/points/K":
        if "/points/K" not in path_sections:
            problems.append("/points/K: no section documents it")
        return  # its attributes are the swept parameters: any names
    doc_path = swept(norm)
    prefix, rest, body = section_for(doc_path)
    if prefix is None:
        problems.append(f"{norm}: no section documents it or a group above it")
        return
    if rest and not backticked(rest, body):
        problems.append(f"{norm}: `{rest}` not named in the section of `{prefix}`")
    own_body = "\n".join(path_sections.get(doc_path, [])) or body
    for a in obj.attrs:
        if not backticked(a, own_body):
            problems.append(f"{norm}: attribute `{a}` not documented")
    if not isinstance(obj, h5py.Dataset):
        return
    dt = obj.dtype
    if dt.names:
        units = [text(u) for u in obj.attrs.get("units", [])]
        docs = [text(u) for u in obj.attrs.get("doc", [])]
        for k, field in enumerate(dt.names):
            row = table_row(field, own_body)
            if row is None:
                problems.append(f"{norm}: field `{field}` not documented (a table row `| \\`{field}\\` | ...`)")
                continue
            if len(row) < 4:
                problems.append(f"{norm}: field `{field}`: row needs | field | type | unit | meaning |")
                continue
            if k < len(docs) and "NaN =" in docs[k] and ("NaN" not in row[3] or "-1 =" in row[3]):
                problems.append(f"{norm}: field `{field}`: the file says {docs[k]!r}, the page {row[3]!r}")
            want_type = type_name(dt[field])
            if not row[1].startswith(want_type):
                problems.append(f"{norm}: field `{field}`: documented type {row[1]!r}, file has {want_type}")
            if k < len(units):
                unit = units[k] or "—"
                if row[2].strip("`") != unit:
                    problems.append(f"{norm}: field `{field}`: documented unit {row[2]!r}, file has {unit!r}")
            enum = h5py.check_enum_dtype(dt[field])
            if enum is None or field == "gpu_type":
                continue
            if field == "metric":
                for v in enum:
                    if v not in summary_fields:
                        problems.append(f"{norm}: metric `{v}` is not a documented summary field")
                continue
            for v in enum:
                if not backticked(v, own_body):
                    problems.append(f"{norm}: enum value `{v}` of `{field}` not documented")
    elif "units" in obj.attrs and rest:
        row = table_row(rest, body)
        if row is not None and text(obj.attrs["units"]) not in [c.strip("`") for c in row]:
            problems.append(f"{norm}: unit {text(obj.attrs['units'])!r} not in its row {row}")


# the summary's fields first: the statistics' metrics refer to them
for pol in (f["policies"] if "policies" in f else f["points/0/policies"]).values():
    summary_fields.update(pol["summary"].dtype.names)
    break
check_object("", f)
f.visititems(check_object)

# ---- the format version ----
versions_body = "\n".join(b for h, b in sections if h == "## Format versions")
versions = [int(v) for v in re.findall(r"\*\*Version (\d+)\*\*", versions_body)]
if not versions:
    problems.append("no section `## Format versions` describing **Version N**")
elif "format_version" not in f.attrs:
    problems.append("/: no root attribute format_version")
else:
    fv = f.attrs["format_version"]
    if f.attrs.get_id("format_version").dtype != np.dtype("<i8"):
        problems.append(f"/: format_version is {f.attrs.get_id('format_version').dtype}, not int64")
    if int(fv) != max(versions):
        problems.append(f"/: format_version {int(fv)}, the page's latest is {max(versions)}")

# ---- the CSV files ----
if csv_dir:
    import csv
    import os

    table_of = {"summary.csv": "/policies/P/summary", "calls.csv": "/policies/P/calls",
                "proposals.csv": "/policies/P/proposals", "stats.csv": "/stats/P",
                "compare.csv": "/compare/A__B", "roadmap.csv": "/roadmap"}
    pol0 = next(iter((f["policies"] if "policies" in f else f["points/0/policies"]).values()))
    fields_of = {"/policies/P/summary": pol0["summary"].dtype.names,
                 "/policies/P/calls": pol0["calls"].dtype.names,
                 "/policies/P/proposals": pol0["proposals"].dtype.names}
    top = f if "policies" in f else f["points/0"]
    if "roadmap" in top:
        fields_of["/roadmap"] = top["roadmap"].dtype.names
    st = top["stats"]
    fields_of["/stats/P"] = fields_of["/compare/A__B"] = next(iter(st.values())).dtype.names
    for name in sorted(os.listdir(csv_dir)):
        if not name.endswith(".csv"):
            continue
        bodies = [b for h, b in sections if ("`" + name + "`") in h]
        if not bodies:
            problems.append(f"{name}: no section with `{name}` in its heading")
            continue
        body = "\n".join(bodies)
        with open(os.path.join(csv_dir, name), newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        table = table_of.get(name)
        fields = fields_of.get(table, ())
        for col in header:
            if backticked(col, body):
                continue
            if table and backticked(table, body) and col in fields:
                continue
            if (col.endswith("_date") and col[:-5] in fields and backticked("NAME_date", body)):
                continue
            problems.append(f"{name}: column `{col}` not documented")

for p in problems:
    print(f"{doc_path}: {p}")
if problems:
    sys.exit(1)
print(f"{doc_path}: documents everything in {h5_path}" + (f" and {csv_dir}" if csv_dir else ""))
