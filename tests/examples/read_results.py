#!/usr/bin/python3
"""Read a gpuplan result file with h5py and pandas (docs/output.md shows this file).

    /usr/bin/python3 tests/examples/read_results.py out/baseline.h5 [POINT]

Needs the Debian packages python3-h5py and python3-pandas."""
import json
import sys

import h5py
import pandas as pd


def text(x):
    """Strings are str from format version 3; versions 1 and 2 stored fixed-length ones (bytes)."""
    return x.decode() if isinstance(x, bytes) else str(x)


f = h5py.File(sys.argv[1], "r")
# Since format version 2 NaN means never; version 1 (no format_version) had -1.
version = int(f.attrs.get("format_version", 1))
if version > 3:
    sys.exit(f"{sys.argv[1]}: format_version {version}: this script reads versions 1 to 3")
# A parameter sweep keeps one tree per point under /points/K; otherwise the tree is at the root.
if "points" in f:
    k = sys.argv[2] if len(sys.argv) > 2 else "0"
    root = f["points"][k]
    print("point", k, {name: root.attrs[name] for name in root.attrs})
else:
    root = f
epoch = pd.Timestamp(json.loads(root["scenario"][()])["epoch"])


def dates(days):
    """Days since the epoch -> dates; NaN (never) -> NaT."""
    days = pd.Series(days, dtype=float)
    return (epoch + pd.to_timedelta(days.fillna(0), unit="D")).where(days.notna())


print(text(f.attrs["scenario_name"]), "- epoch", epoch.date(), "-",
      int(f.attrs["replications"]), "replications")

# One row per replication; units and meanings in the table's attributes.
for policy, g in root["policies"].items():
    summary = pd.DataFrame(g["summary"][()])
    units = dict(zip(summary.columns, map(text, g["summary"].attrs["units"])))
    print(f"{policy}: acceptance {summary.acceptance_rate.mean():.1%}, "
          f"{summary.mean_days_to_gpu.mean():.0f} {units['mean_days_to_gpu']} to GPU")

# The rest for one policy: the first.
policy = next(iter(root["policies"]))
g = root["policies"][policy]

# Statistics: metric is an HDF5 enum; its names are the "metrics" attribute.
st = root["stats"][policy]
stats = pd.DataFrame(st[()])
stats["metric"] = [text(st.attrs["metrics"][i]) for i in stats["metric"]]
print(stats.set_index("metric").loc[["accepted", "utilization"], ["mean", "half_width"]])

# Proposals: enums to their names, times to dates, call indices to names.
pr = g["proposals"]
props = pd.DataFrame(pr[()])
if version < 2:  # a version-1 file: -1 meant never
    for col in ["decided", "started", "finished"]:
        props.loc[props[col] < 0, col] = float("nan")
for col in ["sector", "gpu_type", "outcome"]:
    names = {v: k for k, v in h5py.check_enum_dtype(pr.dtype[col]).items()}
    props[col] = props[col].map(names)
props["call"] = props["call"].map(dict(enumerate(map(text, g["calls"].attrs["names"]))))
props["started_date"] = dates(props["started"])
# NaN (never) is left out: the mean over the proposals that started.
print(f"{policy}: {(props.started - props.submitted).mean():.1f} days from submission to GPUs")
print(props.groupby("sector")["outcome"].value_counts().unstack(fill_value=0))

# Time series: [replications x samples], with "time" (days) and "rep" as scales.
ts = g["timeseries"]
when = pd.DatetimeIndex(dates(ts["time"][()]))
installed = pd.DataFrame(ts["installed_gpus"][()].T, index=when,
                         columns=[f"rep {r}" for r in ts["rep"][()]])
per_tranche = {name: t["installed_gpus"][()].mean(axis=0) for name, t in ts["tranches"].items()}
print(installed.resample("Q").last().head(8))  # at the end of each quarter
print(pd.DataFrame(per_tranche, index=when).iloc[-1].sort_values(ascending=False).head(5))
