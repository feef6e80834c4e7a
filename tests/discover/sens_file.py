#!/usr/bin/python3
"""tests/discover/sens_file.py OUT.h5 sobol|morris - write a file of
`gpuplan sensitivity` as docs/output.md ("/sensitivity") describes it, with
known indices, for the report's tests (tests/cli/test_report.sh): the
report reads the format, not the command, so its test does not wait for
the command.  Factors: the group "slip" (two paths) and the path
"demand.streams[s].rate_per_day"; metrics gap_to_target and
mean_days_to_gpu (the latter refused: NaN at a design point); policies
fcfs and lottery.  For gap_to_target the slip explains 71% (64-78%) of the
variance (ST 80%, 72-88%), the rate 12% (8-16%)."""
import json
import sys

import h5py
import numpy as np

out, method = sys.argv[1], sys.argv[2]
factors = ["slip", "demand.streams[s].rate_per_day"]
paths = ["roadmap.tranches[c].slip_days, roadmap.tranches[c].nodes", "demand.streams[s].rate_per_day"]
metrics = ["gap_to_target", "mean_days_to_gpu"]
policies = ["fcfs", "lottery"]
scenario = {"name": "sens-test", "description": "a synthetic file of gpuplan sensitivity",
            "epoch": "2026-01-01", "end": "2026-07-01", "seed": 3,
            "uncertain": [{"path": "roadmap.tranches[c].slip_days", "group": "slip",
                           "dist": {"dist": "uniform", "min": 0, "max": 90}, "note": "test"}]}
f = h5py.File(out, "w")
for k, v in {"gpuplan_version": "0.0.0", "scenario_name": "sens-test",
             "scenario_description": "a synthetic file of gpuplan sensitivity",
             "epoch": "2026-01-01", "time_unit": "days", "target_date": "2026-04-01"}.items():
    f.attrs[k] = v
for k, v in {"format_version": 3, "seed": 3, "replications": 4, "replications_requested": 4,
             "complete": 1, "detail_replications": 0}.items():
    f.attrs[k] = np.int64(v)
for k, v in {"end": 181.0, "measure_from": 0.0, "target_gpus": 8.0}.items():
    f.attrs[k] = np.float64(v)
f["scenario"] = json.dumps(scenario)
g = f.create_group("sensitivity")
g.attrs["method"] = method
g.attrs["reps"] = np.int64(4)
g.attrs["points"] = np.int64(16)
g.attrs["bootstrap"] = np.int64(1000)
g.attrs["level"] = np.float64(0.95)
g.attrs["factors"] = factors
g.attrs["factor_paths"] = paths
g.attrs["metrics"] = metrics
g.attrs["policies"] = policies
menum = h5py.enum_dtype({m: i for i, m in enumerate(metrics)}, basetype="i1")
fenum = h5py.enum_dtype({n: i for i, n in enumerate(factors)}, basetype="i1")
nan = float("nan")
if method == "sobol":
    dt = np.dtype([("metric", menum), ("factor", fenum)] +
                  [(n, "<f8") for n in ("S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi")])
    rows = [(0, 0, .71, .64, .78, .80, .72, .88), (0, 1, .12, .08, .16, .20, .15, .25),
            (1, 0) + (nan,) * 6, (1, 1) + (nan,) * 6]
else:
    dt = np.dtype([("metric", menum), ("factor", fenum)] +
                  [(n, "<f8") for n in ("mu_star", "mu_star_lo", "mu_star_hi", "mu", "sigma")])
    rows = [(0, 0, 6.0, 5.0, 7.0, 6.0, 1.0), (0, 1, 0.5, 0.2, 0.8, -0.1, 0.4),
            (1, 0) + (nan,) * 5, (1, 1) + (nan,) * 5]
for p in policies:
    t = g.create_dataset(f"{p}/{method}", data=np.array(rows, dtype=dt))
    if p == "fcfs":
        t.attrs["refused"] = ["mean_days_to_gpu: NaN at design point 3"]
f.close()
