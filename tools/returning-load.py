#!/usr/bin/python3
"""tools/returning-load.py FILE.h5 [POLICY] - how much of the review panel's
work do returning applicants bring, in a result file (scenarios/README.md,
Returning applicants: they queue for the same panel as everyone)?

For each demand source that has proposals, per replication on average over
the detailed replications (`/policies/P/proposals`): its proposals, those of
returning applicants (`returning` != new) and their share; the proposals
fully reviewed (`score` not NaN), new and returning; the reviewer-days the
returning ones add to those the source's own proposals take from the
panel, as a fraction; and what that is in days of the whole panel
(reviewer-days / `review.reviewers`).  Reviewer-days are counted in
expectation: every review of a new or a returning proposal draws its time
from the same `review.review_days`, so the ratio of reviewed proposals is
the ratio of reviewer-days (a withdrawn proposal's partial reviews are not
counted).  With POLICY, that policy only; else every policy of the file.
Needs python3-h5py (run with /usr/bin/python3).  Exit 1 when the file has no
per-proposal rows (run with --detail)."""
import json
import sys

import h5py
import numpy as np


def text(x):
    return x.decode() if isinstance(x, (bytes, np.bytes_)) else x


def mean_days(d):
    """Mean of a random quantity of the scenario format (scenarios/README.md,
    Random quantities): a plain number, or a dist with a closed-form mean and
    no clamp."""
    if isinstance(d, (int, float)):
        return float(d)
    if "min_value" in d or "max_value" in d:
        raise SystemExit("returning-load: review_days: a clamped dist (no closed-form mean)")
    means = {"constant": lambda: d["value"], "exponential": lambda: d["mean"],
             "normal": lambda: d["mean"], "uniform": lambda: (d["min"] + d["max"]) / 2,
             "triangular": lambda: (d["min"] + d["mode"] + d["max"]) / 3,
             "lognormal": lambda: d["median"] * np.exp(d["sigma"] ** 2 / 2),
             "gamma": lambda: d["shape"] * d["scale"],
             "discrete": lambda: np.average(d["values"], weights=d["weights"])}
    if d["dist"] not in means:
        raise SystemExit(f"returning-load: review_days: no mean for dist {d['dist']!r}")
    return float(means[d["dist"]]())


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit("usage: tools/returning-load.py FILE.h5 [POLICY]")
    f = h5py.File(sys.argv[1], "r")
    s = json.loads(text(f["scenario"][()]))
    d = s["demand"]
    names = [x["name"] for k in ("calls", "streams", "designated") for x in d.get(k, [])]
    rv = s["review"]
    per_review, reviews, panel = mean_days(rv["review_days"]), rv["reviews_per_proposal"], rv["reviewers"]
    print(f"panel: {panel or 'unlimited'} reviewers, {reviews} reviews a proposal, "
          f"{per_review:.3f} reviewer-days a review on average")
    pols = [sys.argv[2]] if len(sys.argv) == 3 else list(f["policies"].keys())
    for pol in pols:
        p = f[f"policies/{pol}/proposals"][()]
        nrep = len(np.unique(p["rep"]))
        if not nrep:
            print(f"{pol}: no per-proposal rows", file=sys.stderr)
            sys.exit(1)
        ret, rev = p["returning"] != 0, ~np.isnan(p["score"])
        print(f"\npolicy {pol}, {nrep} replications (per replication)")
        print(f"{'source':26s} {'proposals':>9s} {'returning':>9s} {'share':>6s} "
              f"{'reviewed':>8s} {'returning':>9s} {'load':>6s} {'panel days':>10s}")
        all_new = all_ret = 0.0
        for o, name in enumerate(names):
            m = p["call"] == o
            n = m.sum() / nrep
            if not n:
                continue
            r = (m & ret).sum() / nrep
            a, b = (m & rev & ~ret).sum() / nrep, (m & rev & ret).sum() / nrep
            all_new, all_ret = all_new + a, all_ret + b
            load = f"+{100 * b / a:.0f}%" if a else "-"
            days = f"{b * reviews * per_review / panel:.1f}" if panel else "-"
            print(f"{name[:26]:26s} {n:9.1f} {r:9.1f} {100 * r / n:5.0f}% "
                  f"{a:8.1f} {b:9.1f} {load:>6s} {days:>10s}")
        if all_new:
            print(f"{'all':26s} {'':9s} {'':9s} {'':6s} {all_new:8.1f} {all_ret:9.1f} "
                  f"{'+%.0f%%' % (100 * all_ret / all_new):>6s}")


main()
