#!/usr/bin/python3
"""tools/same-as-old.py OLD.h5 NEW.h5 - is NEW (this gpuplan's format
version) the file OLD (an older format version) once the changes of format
are undone?  For changes of format (docs/output.md, "Format versions"): the
same run, the same sample paths.

Every group, dataset and attribute of the two files is compared, values bit
for bit (NaN equal to NaN), with these differences allowed and nothing else:
  - the root attribute format_version: NEW's is 3; OLD's is 2, or absent
    (version 1);
  - string attributes are compared as text: version 3 stores them as
    variable-length strings (h5py: str), versions 1 and 2 as fixed-length
    ones (bytes);
  - against version 1 only: in the fields that may be never (proposals
    decided, started, finished; calls first_, mean_, last_decision; roadmap
    date_reached and its attributes date_reached_q10/q50/q90; a replay's
    jobs reserved and trace_estimate) NEW's NaN is OLD's -1 (and no other
    value differs); the `doc` attribute of those tables, where "-1 = "
    became "NaN = ".
Works on `gpuplan run` files (sweeps too) and `gpuplan replay` files.
Prints one line per difference (at most 20) and a summary; exit 1 on any
difference.  Needs python3-h5py (run with /usr/bin/python3)."""
import sys

import h5py
import numpy as np

NEVER_FIELDS = {"decided", "started", "finished", "first_decision", "mean_decision",
                "last_decision", "date_reached", "reserved", "trace_estimate"}
NEVER_ATTRS = {"date_reached_q10", "date_reached_q50", "date_reached_q90"}

NEW_VERSION = 3
problems = []
counts = {"datasets": 0, "attributes": 0, "never": 0}
old_version = 1  # set from OLD's root attribute below


def text(x):
    """A string attribute as text, whichever way it was stored."""
    if isinstance(x, (bytes, np.bytes_)):
        return x.decode()
    if isinstance(x, str):
        return x
    if isinstance(x, np.ndarray) and x.dtype.kind in "OSU":
        return [text(v) for v in x.tolist()]
    return None


def differ(msg):
    problems.append(msg)


def as_v1(x):
    """A never-time as version 1 wrote it: NaN -> -1."""
    x = np.array(x, dtype=float, copy=True)
    counts["never"] += int(np.isnan(x).sum())
    x[np.isnan(x)] = -1
    return x


def same_array(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def same_value(a, b):
    ta, tb = text(a), text(b)
    if ta is not None or tb is not None:
        return ta == tb
    return same_array(a, b)


def refs(obj, a):
    """Dimension-scale bookkeeping (object references) as the names they
    point to: references cannot be compared across files."""
    f = obj.file
    if a.dtype.names:  # REFERENCE_LIST: (dataset, dimension) pairs
        return sorted((f[r].name, int(d)) for r, d in a)
    return [[f[r].name for r in dim] for dim in a]  # DIMENSION_LIST


def compare_attrs(path, old, new):
    keys_old, keys_new = set(old.attrs), set(new.attrs)
    if path == "/":
        keys_new.discard("format_version")
        keys_old.discard("format_version")
        if "format_version" not in new.attrs or int(new.attrs["format_version"]) != NEW_VERSION:
            differ(f"/: NEW has no format_version {NEW_VERSION}")
    for k in sorted(keys_old ^ keys_new):
        differ(f"{path}: attribute {k} only in {'OLD' if k in keys_old else 'NEW'}")
    for k in sorted(keys_old & keys_new):
        counts["attributes"] += 1
        a, b = old.attrs[k], new.attrs[k]
        if k in NEVER_ATTRS and old_version == 1:
            b = as_v1(b)
        if k in ("DIMENSION_LIST", "REFERENCE_LIST"):
            if refs(old, a) != refs(new, b):
                differ(f"{path}: attribute {k}: the scales differ")
            continue
        if k == "doc" and old_version == 1:
            a, b = text(a), text(b)
            a, b = [a] if isinstance(a, str) else a, [b] if isinstance(b, str) else b
            a = [x.replace("-1 = ", "NaN = ") for x in a]
            if not (len(a) == len(b) and all(x == y for x, y in zip(a, b))):
                differ(f"{path}: doc differs beyond -1 -> NaN")
            continue
        if not same_value(a, b):
            differ(f"{path}: attribute {k}: {str(a)[:80]} vs {str(b)[:80]}")


def compare_dataset(path, a, b):
    counts["datasets"] += 1
    if a.dtype != b.dtype or a.shape != b.shape:
        differ(f"{path}: {a.dtype} {a.shape} vs {b.dtype} {b.shape}")
        return
    x, y = a[()], b[()]
    if a.dtype.names:
        y = y.copy()
        for name in a.dtype.names:
            if name in NEVER_FIELDS and a.dtype[name].kind == "f" and old_version == 1:
                if np.isnan(x[name]).any() and path != "/jobs":
                    differ(f"{path}: OLD has NaN in {name}")
                y[name] = as_v1(y[name])
            if not same_array(x[name], y[name]):
                n = int(np.sum(~((x[name] == y[name]) | (np.isnan(x[name]) & np.isnan(y[name]))))
                           if x[name].dtype.kind == "f" else np.sum(x[name] != y[name]))
                differ(f"{path}: field {name}: {n} values differ")
    elif a.dtype.kind in "OSU":
        if not (x == y if np.ndim(x) == 0 else np.array_equal(x, y)):
            differ(f"{path}: text differs")
    elif not same_array(x, y):
        differ(f"{path}: values differ")


def walk(path, old, new):
    compare_attrs(path, old, new)
    if isinstance(old, h5py.Dataset):
        if not isinstance(new, h5py.Dataset):
            differ(f"{path}: a dataset in OLD only")
        else:
            compare_dataset(path, old, new)
        return
    names_old, names_new = set(old), set(new)
    for k in sorted(names_old ^ names_new):
        differ(f"{path.rstrip('/')}/{k}: only in {'OLD' if k in names_old else 'NEW'}")
    for k in sorted(names_old & names_new):
        walk(f"{path.rstrip('/')}/{k}", old[k], new[k])


if len(sys.argv) != 3:
    sys.exit(__doc__)
with h5py.File(sys.argv[1], "r") as fo, h5py.File(sys.argv[2], "r") as fn:
    old_version = int(fo.attrs.get("format_version", 1))
    if old_version >= NEW_VERSION:
        sys.exit(f"{sys.argv[1]}: has format_version {old_version}: not an older file (use h5diff)")
    walk("/", fo, fn)
for p in problems[:20]:
    print("differs:", p)
print(f"same-as-old (version {old_version}): {counts['datasets']} datasets, {counts['attributes']} attributes compared; "
      f"{counts['never']} never values NaN in NEW where OLD has -1; {len(problems)} differences")
sys.exit(1 if problems else 0)
