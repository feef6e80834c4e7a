#!/usr/bin/python3
"""tests/check_contract.py FILE.h5 - check a result file against the HDF5
contract of the foundation issue (names that must not change without a
migration note).  Exits non-zero with a message on the first breach."""
import json
import sys

import h5py
import numpy as np

path = sys.argv[1]
f = h5py.File(path, "r")

def fail(msg):
    sys.exit(f"{path}: {msg}")

def s(x):
    return x.decode() if isinstance(x, bytes) else str(x)

for a in ["gpuplan_version", "scenario_name", "seed", "replications", "epoch", "time_unit"]:
    if a not in f.attrs:
        fail(f"root attribute {a} missing")
if s(f.attrs["time_unit"]) != "days":
    fail("time_unit is not days")
if int(f.attrs.get("format_version", 1)) != 3:
    fail("format_version is not 3 (docs/output.md, Format versions)")
reps = int(f.attrs["replications"])
scenario = json.loads(f["scenario"][()])
if scenario["name"] != s(f.attrs["scenario_name"]):
    fail("/scenario and scenario_name disagree")

summary_fields = ["rep", "proposals", "accepted", "acceptance_rate", "mean_days_to_decision",
                  "mean_days_to_gpu", "utilization", "idle_gpu_hours", "gpu_hours_requested",
                  "gpu_hours_granted"]
proposal_fields = ["rep", "id", "call", "sector", "gpu_type", "servers", "gpus", "months",
                   "quality", "score", "submitted", "decided", "started", "finished", "outcome"]
series = ["installed_gpus", "allocated_gpus", "busy_gpus", "queue_length", "usable_gpus",
          "backlog", "installed_h100e", "usable_h100e"]
call_fields = ["rep", "call", "proposals", "accepted", "units_requested", "gpus_awarded",
               "first_decision", "mean_decision"]

if len(f["policies"]) < 1:
    fail("no policies")
for name, g in f["policies"].items():
    sm = g["summary"]
    for k in summary_fields:
        if k not in sm.dtype.names:
            fail(f"{name}/summary lacks {k}")
    if sm.shape != (reps,):
        fail(f"{name}/summary has {sm.shape} rows, expected {reps}")
    if list(sm["rep"]) != list(range(reps)):
        fail(f"{name}/summary reps are not 0..{reps - 1}")
    pr = g["proposals"]
    for k in proposal_fields:
        if k not in pr.dtype.names:
            fail(f"{name}/proposals lacks {k}")
    for k in ["outcome", "sector"]:
        if h5py.check_enum_dtype(pr.dtype[k]) is None:
            fail(f"{name}/proposals.{k} is not an HDF5 enum")
    rows = pr[()]
    # times: NaN for never (no negative time), otherwise ordered
    # submitted <= decided <= started <= finished
    for k in ["submitted", "decided", "started", "finished"]:
        if np.any(rows[k] < 0):
            fail(f"{name}/proposals: a negative {k} (never is NaN)")
    for a, b in [("submitted", "decided"), ("decided", "started"), ("started", "finished")]:
        both = ~np.isnan(rows[a]) & ~np.isnan(rows[b])
        if np.any(rows[b][both] < rows[a][both]):
            fail(f"{name}/proposals: {b} before {a}")
    ts = g["timeseries"]
    t = ts["time"]
    if s(t.attrs["units"]) != "days since epoch":
        fail("timeseries/time units")
    for k in series:
        d = ts[k]
        if d.ndim != 2 or d.shape[1] != t.shape[0]:
            fail(f"{name}/timeseries/{k} shape {d.shape} vs time {t.shape}")
        if "units" not in d.attrs:
            fail(f"{name}/timeseries/{k} has no units")
        if len(d.dims[1]) != 1 or d.dims[1][0].name != t.name:
            fail(f"{name}/timeseries/{k}: time is not attached as its dimension scale")
    inst, usable = ts["installed_gpus"][()], ts["usable_gpus"][()]
    alloc, busy = ts["allocated_gpus"][()], ts["busy_gpus"][()]
    if np.any(usable > inst + 1e-9) or np.any(busy > alloc + 1e-9):
        fail(f"{name}: capacity not conserved (busy <= allocated, usable <= installed)")
    # per-tranche series add up to the programme's
    tr = ts["tranches"]
    tot = sum(tr[t]["installed_gpus"][()] for t in tr)
    if not np.allclose(tot, inst):
        fail(f"{name}: tranche installed_gpus do not add up to installed_gpus")
    tot = sum(tr[t]["allocated_gpus"][()] for t in tr)
    if not np.allclose(tot, alloc):
        fail(f"{name}: tranche allocated_gpus do not add up to allocated_gpus")
    calls = g["calls"]
    for k in call_fields:
        if k not in calls.dtype.names:
            fail(f"{name}/calls lacks {k}")
    names = [s(x) for x in calls.attrs["names"]]
    if calls.shape[0] != reps * len(names):
        fail(f"{name}/calls has {calls.shape[0]} rows, expected {reps} x {len(names)}")
    c = calls[()]
    if np.any(c["accepted"] > c["proposals"]):
        fail(f"{name}/calls: more accepted than proposed")
    # proposals of replication 0 agree with the calls table
    r0 = rows[rows["rep"] == 0]
    for i in range(len(names)):
        n = int(np.sum(r0["call"] == i))
        row = c[(c["rep"] == 0) & (c["call"] == i)]
        if len(r0) and int(row["proposals"][0]) != n:
            fail(f"{name}: calls table says {int(row['proposals'][0])} proposals for {names[i]}, proposals table {n}")
print(f"{path}: contract ok")
