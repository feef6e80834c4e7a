#!/usr/bin/python3
"""Check a `gpuplan report` page (tests/cli/test_report.sh runs this).

    check_report.py static PAGE.html
        the page as written: self-contained (no script, no external reference),
        inline <style>, one inline <svg> per chart of `gpuplan plot`, sections present
    check_report.py dom DOM.html RESULT.h5
        the DOM Chromium built from the page (--dump-dom), against the result
        file: the comparison tables hold every policy and the numbers of the
        file's statistics (the differences' unadjusted 95% intervals); every
        verdict agrees with the Holm-adjusted interval it quotes, recomputed
        here from the paired statistics (/compare for summary metrics; from the
        proposals for the per-sector days to GPU) over the family of every
        difference the verdicts judge; the best policy per metric (Hsu's MCB)
        recomputed from the summaries; no script element, no event handler
    check_report.py hostile DOM.html RESULT.h5
        names, description and assumptions from the file are text in the DOM,
        exactly as stored, and nothing they contain became an element
    check_report.py drivers PAGE.html RESULT.h5 [FACTOR]
        a two-level file (with /uncertain): the section "What drives the
        answer" names FACTOR as the box's one restricted factor, and its
        density, coverage and mass are those of the file's replications
        inside the bound it states; the chart of the drivers is there.  A
        file without /uncertain: neither the section nor the chart
    check_report.py sens PAGE.html RESULT.h5
        a file of `gpuplan sensitivity` (tests/discover/sens_file.py): the
        section "What drives the answer" states, per metric of the first
        policy, the factors by S1 with their percentages and intervals and the
        largest ST (sobol), or by mu* (morris), as the file holds them; "no
        indices" for a metric without; the tornado chart; no policy sections
    check_report.py calib PAGE.html RESULT.h5
        a file of `gpuplan calibrate`: the section "Calibration" holds the fit
        table (each target of the file's /calibration/fit in order: source,
        metric, published value, sd, simulated mean and interval, z, and the
        flag on exactly the rows with |z| > 2), the estimate table (each path
        with its value and 95% interval from /calibration/estimate) and, for
        abc, one row per generation with its ESS, and the chart of the
        posterior; no policy sections
    check_report.py posterior PAGE.html RESULT.h5
        a file of `gpuplan run --posterior FILE`: one line names the paths,
        FILE and its CRC-32 as /posterior records them; a file without
        /posterior: no such line
    check_report.py png SCREENSHOT.png WIDTH HEIGHT
        a PNG of that size that is not blank (decoded with zlib)
    check_report.py probe PAGE.html COPY.html
        writes a copy of the page with a script at its end that measures the
        layout Chromium gave it and writes what it saw into the DOM (the page
        itself has no script: only this copy, in the test's directory, runs
        one); load the copy with --dump-dom at a given --window-size
    check_report.py fit DOM.html WIDTH
        the DOM of that copy: the window was WIDTH px wide; the page does not
        scroll sideways (the document's scrollWidth <= its clientWidth); every
        element wider than the window is inside a scroll box (div.scroll) that
        fits it; in every box that scrolls, the first cell of each row stays
        at the box's left edge once the box is scrolled to its end (a sticky
        column); with WIDTH <= 1024 and more than 4 policies, table#means does
        scroll in its box (so the sticky column was tried)
    check_report.py offline PAGE.html RESULT.h5
        no address outside the page (http://, https://, //host) anywhere in
        it, but inside text the user wrote (the scenario stored in the file:
        its name, description, assumptions, notes; policy names; overrides),
        which the page shows as text, never as a link

Needs python3-h5py and python3-numpy.  Prints nothing and exits 0 when the
check passes; otherwise prints what failed and exits 1."""
import json
import math
import os
import re
import struct
import sys
import zlib
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
MINUS = "\u2212"
failures = []


def fail(msg):
    failures.append(msg)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag=None, **attrs):
        for n in self.iter():
            if (tag is None or n.tag == tag) and all(n.attrs.get(k) == v for k, v in attrs.items()):
                yield n

    def find(self, tag=None, **attrs):
        return next(self.find_all(tag, **attrs), None)


class Tree(HTMLParser):
    """A DOM of well-nested HTML (Chromium's serialization, or our page)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#document", [], None)
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def number(s):
    """A number as the page prints it: thousands separators, a typographic minus."""
    return float(s.replace(",", "").replace(MINUS, "-").replace("+", ""))


def decimals(s):
    return len(s.split(".")[1]) if "." in s else 0


def close_to(shown, value, what):
    """SHOWN (text) is VALUE rounded to the decimals SHOWN has."""
    if not math.isfinite(value):
        if shown != "n/a":
            fail(f"{what}: shows {shown!r}, expected n/a")
        return
    tol = 0.5 * 10 ** -decimals(shown) + 1e-9 * abs(value)
    if abs(number(shown) - value) > tol:
        fail(f"{what}: shows {shown}, file has {value!r}")


# The page's units (the metric catalogue's, models/results/metrics.c) and the
# factor from the stored unit; any other unit is shown as stored.
SCALE = {"%": 100, "percentage points": 100, "bn KRW": 1e-9, "M GPU-hours": 1e-6, "GWh": 1e-3}
# The units a verdict's sentence quotes a difference in: every scaled unit
# but "%" (a difference of shares is in percentage points), then those shown
# as stored.  Built from SCALE so that a unit added there is read here too.
SENTENCE_UNITS = "|".join(re.escape(u) for u in [u for u in SCALE if u != "%"] +
                          ["days", "proposals", "projects", "points on the 0-1 scale"])
# The charts of `gpuplan plot` (analysis/charts.def); the report shows each
# one, and may show more.
CHARTS = ["capacity", "queue", "time_to_gpu", "acceptance", "differences", "h100e"]
# Student t, 0.975 quantile, by degrees of freedom.
T975 = [math.nan, 12.7062047, 4.3026527, 3.1824463, 2.7764451, 2.5705818, 2.4469119, 2.3646243,
        2.3060041, 2.2621572, 2.2281389, 2.2009852, 2.1788128, 2.1603687, 2.1447867, 2.1314495,
        2.1199053, 2.1098155, 2.1009220, 2.0930241, 2.0859634]
SECTORS = ["industry", "startup", "academia", "research", "national"]


# ---- Student's t, without scipy: the regularized incomplete beta function
# by its continued fraction (Lentz), and its inverse by bisection ----

def _betacf(a, b, x):
    tiny, c, d = 1e-300, 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + num * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return h


def _betai(a, b, x):
    if x <= 0 or x >= 1:
        return 0.0 if x <= 0 else 1.0
    bt = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) +
                  b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return bt * _betacf(a, b, x) / a
    return 1 - bt * _betacf(b, a, 1 - x) / b


def t_two_sided(t, df):
    """P(|T| > |t|) for Student's t with DF degrees of freedom."""
    return _betai(df / 2, 0.5, df / (df + t * t))


def t_upper(p, df):
    """The t with P(T > t) = P (0 < P < 1/2)."""
    lo, hi = 0.0, 1.0
    while t_two_sided(hi, df) > 2 * p:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_two_sided(mid, df) > 2 * p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def holm(family, alpha=0.05):
    """FAMILY: key -> (n, mean, sd, lo, hi).  Returns key -> (lo, hi) at the
    level of the Holm step that judged it, for those that can be tested
    (n >= 2, not the same in every replication), and their number."""
    p = {}
    for key, (n, mean, sd, lo, hi) in family.items():
        if n < 2 or not math.isfinite(mean) or not math.isfinite(sd) or (mean == 0 and sd == 0):
            continue
        p[key] = 0.0 if sd == 0 else t_two_sided(mean / (sd / math.sqrt(n)), n - 1)
    order = sorted(p, key=lambda k: p[k])
    m, out, stopped, level = len(order), {}, False, 0.0
    for j, key in enumerate(order):
        if not stopped:
            level = alpha / (m - j)
            stopped = p[key] > level
        n, mean, sd = family[key][:3]
        half = t_upper(level / 2, n - 1) * sd / math.sqrt(n) if sd > 0 else 0.0
        out[key] = (mean - half, mean + half)
    return out, m


# ---- static ----

def check_static(path):
    page = open(path, encoding="utf-8").read()
    tree = Tree(page).root
    low = page.lower()
    for bad in ("<script", "<link", "<iframe", "<object", "<embed", "<img", "<foreignobject",
                "@import"):
        if bad in low:
            fail(f"page contains {bad}")
    for n in tree.iter():
        for k, v in n.attrs.items():
            if k.startswith("on"):
                fail(f"<{n.tag}> has an event handler {k}")
            if k in ("src", "srcset", "action", "formaction", "poster", "data"):
                fail(f"<{n.tag}> has {k}={v!r}")
            if k.endswith("href") and not (v or "").startswith("#"):
                fail(f"<{n.tag}> refers outside the page: {k}={v!r}")
            for m in re.finditer(r"url\(\s*['\"]?([^)'\"]*)", v or ""):
                if not m.group(1).startswith("#"):
                    fail(f"<{n.tag}> {k}: url({m.group(1)}) outside the page")
    for style in tree.find_all("style"):
        if "url(" in style.text():
            fail("the style sheet loads something: url(")
    if not re.search(r"<style>[^<]{200,}</style>", page):
        fail("no inline <style>")
    sens = tree.find("p", id="sens-what") is not None
    calib = tree.find("p", id="calib-what") is not None
    check_charts(tree, ["tornado"] if sens else ["posterior"] if calib else CHARTS)
    ids = [n.attrs["id"] for n in tree.iter() if "id" in n.attrs]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        fail(f"ids used twice: {sorted(dup)[:5]}")
    for section in (("drivers",) if sens else ("calibration",) if calib else
                    ("roadmap", "comparison", "verdicts")) + \
            ("charts", "assumptions", "run"):
        if not tree.find("section", id=section):
            fail(f"no section #{section}")
    # Every link of the navigation leads to a section of the page.
    for a in tree.find_all("a"):
        href = a.attrs.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            fail(f"link {href} leads nowhere")


def check_charts(tree, charts=CHARTS):
    """One <figure id="chart-NAME"> per chart, each holding one <svg>; no
    <svg> elsewhere."""
    figures = {n.attrs.get("id", "")[6:]: n for n in tree.find_all("figure")
               if n.attrs.get("id", "").startswith("chart-")}
    missing = [c for c in charts if c not in figures]
    if missing:
        fail(f"no figure for the charts {missing}")
    for name, fig in figures.items():
        n = len(list(fig.find_all("svg")))
        if n != 1:
            fail(f"figure chart-{name} holds {n} <svg> elements, expected 1")
    svgs = len(list(tree.find_all("svg")))
    if svgs != len(figures):
        fail(f"{svgs} <svg> elements for {len(figures)} charts")


# ---- dom ----

def policies_of(f):
    return list(f["policies"])


def compare_rows(f, first, other):
    """metric -> (n, mean, sd, lo, hi) of the paired difference OTHER - FIRST."""
    for name, ds in f["compare"].items():
        if text(ds.attrs["a"]) == first and text(ds.attrs["b"]) == other:
            names = [text(m) for m in ds.attrs["metrics"]]
            return {names[r["metric"]]: (int(r["n"]), -float(r["mean"]), float(r["sd"]),
                                         -float(r["hi"]), -float(r["lo"])) for r in ds[()]}
    fail(f"no /compare group for {first} and {other}")
    return {}


def stats_rows(f, policy):
    ds = f["stats"][policy]
    names = [text(m) for m in ds.attrs["metrics"]]
    return {names[r["metric"]]: (float(r["mean"]), float(r["half_width"])) for r in ds[()]}


def ttg_pairs(f, first, other):
    """days_to_gpu_SECTOR -> (n, mean, sd, lo, hi) of the paired difference OTHER - FIRST,
    over the detailed replications: mean days from submission to GPUs per
    replication and sector, proposals submitted in the measured window."""
    import numpy as np
    nd = min(int(f.attrs["detail_replications"]), int(f.attrs["replications"]))
    start = float(f.attrs["measure_from"])

    def per_rep(policy):
        p = f["policies"][policy]["proposals"][()]
        ok = (p["submitted"] >= start) & (p["started"] >= 0) & (p["started"] >= p["submitted"])
        out = np.full((nd, 5), np.nan)
        for r in range(nd):
            for s in range(5):
                sel = ok & (p["rep"] == r) & (p["sector"] == s)
                if sel.any():
                    out[r, s] = (p["started"][sel] - p["submitted"][sel]).mean()
        return out

    a, b = per_rep(other), per_rep(first)
    res = {}
    for s, name in enumerate(SECTORS):
        d = (a[:, s] - b[:, s])
        d = d[~np.isnan(d)]
        n = len(d)
        if n < 2:
            res["days_to_gpu_" + name] = (n, d.mean() if n else math.nan, math.nan, math.nan,
                                          math.nan)
            continue
        m, sd = d.mean(), d.std(ddof=1)
        half = t_upper(0.025, n - 1) * sd / math.sqrt(n)
        res["days_to_gpu_" + name] = (n, m, sd, m - half, m + half)
    return res


def expected_verdict(n, mean, sd, lo, hi):
    if n == 0 or not math.isfinite(mean):
        return "na"
    if mean == 0 and sd == 0:
        return "same"
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "na"
    return "up" if lo > 0 else "down" if hi < 0 else "ns"


def check_best(f, tree, pols):
    """The best policy per metric: each policy's MCB interval recomputed from
    the summaries (paired differences, Bonferroni over the k - 1 others,
    one-sided), and what the sentence calls it."""
    import numpy as np
    sec = tree.find("section", id="best")
    if len(pols) < 2:
        return
    if not sec:
        fail("no section#best")
        return
    k = len(pols)
    seen = 0
    for li in sec.find_all("li"):
        m = li.attrs.get("data-metric")
        sign = {"lower": 1, "higher": -1}.get(li.attrs.get("data-better"))
        if sign is None:
            fail(f"best {m}: data-better {li.attrs.get('data-better')!r}")
            continue
        x = {p: f["policies"][p]["summary"][m].astype(float) for p in pols}
        for span in li.find_all("span"):
            i = span.attrs.get("data-policy")
            ups, downs = [], []
            for j in pols:
                if j == i:
                    continue
                d = sign * (x[i] - x[j])
                d = d[~np.isnan(d)]
                n = len(d)
                w = t_upper(0.05 / (k - 1), n - 1) * d.std(ddof=1) / math.sqrt(n)
                ups.append(d.mean() + w)
                downs.append(d.mean() - w)
            lo, hi = min(0.0, max(downs)), max(0.0, max(ups))
            for key, want in (("data-lo", lo), ("data-hi", hi)):
                got = float(span.attrs.get(key, "nan"))
                if not abs(got - want) <= 1e-8 * max(1.0, abs(want)):
                    fail(f"best {m} {i}: {key} {got}, expected {want}")
            want = "best" if hi == 0 else "not" if lo == 0 else "may"
            if span.attrs.get("data-mcb") != want:
                fail(f"best {m} {i}: {span.attrs.get('data-mcb')}, expected {want}")
            words = {"best": " is the best", "may": " of the best", "not": " is not the best"}
            if words[want] not in span.text():
                fail(f"best {m} {i}: {span.text()!r}")
            seen += 1
    if seen == 0:
        fail("section#best judges no policy")


def check_dom(dom_path, h5_path):
    import h5py
    f = h5py.File(h5_path, "r")
    tree = Tree(open(dom_path, encoding="utf-8").read()).root
    check_safe(tree)
    pols = policies_of(f)
    first = pols[0]

    # The table of means: every policy, in order, and the file's numbers.
    means = tree.find("table", id="means")
    if not means:
        fail("no table#means")
        return
    heads = [th.text() for th in means.find("thead").find_all("th")][1:]
    if heads != pols:
        fail(f"table#means columns {heads}, file has {pols}")
    stats = {p: stats_rows(f, p) for p in pols}
    for tr in means.find_all("tr"):
        m = tr.attrs.get("data-metric")
        if not m or m.startswith("days_to_gpu_"):
            continue
        unit = tr.find("span").text()
        k = SCALE.get(unit, 1)
        for p, td in zip(pols, tr.find_all("td")):
            mean, half = stats[p][m]
            shown = td.text().split(" \u00b1 ")
            close_to(shown[0], mean * k, f"means {m} {p}")
            if len(shown) == 2:
                close_to(shown[1], half * k, f"means {m} {p} half-width")

    # The table of differences, and the verdicts.
    diffs = tree.find("table", id="differences")
    if len(pols) > 1 and not diffs:
        fail("no table#differences")
    cmp = {p: compare_rows(f, first, p) for p in pols[1:]}
    if diffs:
        heads = [th.text() for th in diffs.find("thead").find_all("th")][1:]
        want = [f"{p} {MINUS} {first}" for p in pols[1:]]
        if heads != want:
            fail(f"table#differences columns {heads}, expected {want}")
        for tr in diffs.find_all("tr"):
            m = tr.attrs.get("data-metric")
            if not m or m.startswith("days_to_gpu_"):
                continue
            k = SCALE.get(tr.find("span").text(), 1)
            for p, td in zip(pols[1:], tr.find_all("td")):
                n, mean, sd, lo, hi = cmp[p][m]
                t = td.text()
                if t == "identical":
                    if not (mean == 0 and sd == 0):
                        fail(f"differences {m} {p}: 'identical' but mean {mean} sd {sd}")
                    continue
                mm = re.fullmatch(r"(\S+)\[(\S+), (\S+)\](better|worse|changed|n\.s\.)", t)
                if not mm:
                    fail(f"differences {m} {p}: {t!r} (value [lo, hi] and its word)")
                    continue
                close_to(mm.group(1), mean * k, f"differences {m} {p}")
                close_to(mm.group(2), lo * k, f"differences {m} {p} lo")
                close_to(mm.group(3), hi * k, f"differences {m} {p} hi")
                sig = "sig" in td.attrs.get("class", "")
                if sig != (lo > 0 or hi < 0):
                    fail(f"differences {m} {p}: shaded={sig} for [{lo}, {hi}]")
                # Not by colour alone: the word agrees with the class and the
                # catalogue's direction (issue 17, item 3).
                want = judged_word(lo, hi, DIRECTION.get(m))
                if mm.group(4) != want:
                    fail(f"differences {m} {p}: says {mm.group(4)!r}, expected {want!r}")
                if want in ("better", "worse") and want not in td.attrs.get("class", ""):
                    fail(f"differences {m} {p}: {want} but class {td.attrs.get('class')!r}")
    if diffs and not tree.find(id="diff-legend"):
        fail("no legend (#diff-legend) under table#differences")
    check_tradeoffs(tree, pols, cmp)
    check_policy_rules(tree, f, pols)

    section = tree.find("section", id="verdicts")
    lists = list(section.find_all("ul")) if section else []
    if [u.attrs.get("data-policy") for u in lists] != pols[1:]:
        fail(f"verdict lists for {[u.attrs.get('data-policy') for u in lists]}, expected {pols[1:]}")
    # Every statistic the verdicts judge, by (policy, metric): the family.
    family, nodes = {}, []
    for ul in lists:
        p = ul.attrs.get("data-policy")
        ttg = ttg_pairs(f, first, p) if p in cmp else {}
        for n_ in ul.find_all():
            m = n_.attrs.get("data-metric")
            if not m:
                continue
            if m in cmp.get(p, {}):
                family[(p, m)] = cmp[p][m]
            elif m in ttg:
                family[(p, m)] = ttg[m]
            else:
                fail(f"verdict on unknown metric {m}")
                continue
            nodes.append((p, m, n_))
    adjusted, size = holm(family)
    if section and section.attrs.get("data-family") != str(size):
        fail(f"verdicts: family of {section.attrs.get('data-family')}, recomputed {size}")
    judged = 0
    for p, m, n_ in nodes:
        judged += 1
        n, mean, sd, lo, hi = family[(p, m)]
        if (p, m) in adjusted:
            lo, hi = adjusted[(p, m)]
        v = n_.attrs.get("data-verdict")
        if v != expected_verdict(n, mean, sd, lo, hi):
            fail(f"{p} {m}: verdict {v}, Holm interval [{lo}, {hi}]")
        if v in ("up", "down", "ns"):
            tol = 1e-9 * max(1.0, abs(lo) + abs(hi))
            for key, want in (("data-lo", lo), ("data-hi", hi)):
                got = float(n_.attrs.get(key, "nan"))
                if not abs(got - want) <= tol:
                    fail(f"{p} {m}: {key} {got}, expected {want}")
        if v in ("up", "down"):
            # The sentence quotes the interval, in the metric's unit.
            s = n_.text()
            mm = re.search(r"by ([\d.,]+)(?:\u2013([\d.,]+))? (" + SENTENCE_UNITS + ")", s)
            if not mm:
                fail(f"{p} {m}: no 'by A\u2013B unit' in {s!r}")
                continue
            k = SCALE.get(mm.group(3), 1)
            a, b = sorted((abs(lo) * k, abs(hi) * k))
            close_to(mm.group(1), a, f"{p} {m} sentence, lower bound")
            close_to(mm.group(2) or mm.group(1), b, f"{p} {m} sentence, upper bound")
            verbs = ("raises", "lengthens") if v == "up" else ("lowers", "shortens")
            if not any(w in (s if n_.tag == "li" else n_.parent.text()) for w in verbs):
                fail(f"{p} {m}: {v} but the sentence says {s!r}")
    if len(pols) > 1 and size == 0:
        fail("no verdict was tested")
    check_best(f, tree, pols)
    if len(pols) > 1 and judged == 0:
        fail("no verdict carries its interval")

    # The roadmap's risk, as the file has it.
    prob = tree.find(id="probability")
    if "probability_reached_by_target" in f["roadmap"].attrs and prob:
        shown = re.search(r"([\d.]+)%", prob.text()).group(1)
        close_to(shown, 100 * float(f["roadmap"].attrs["probability_reached_by_target"]),
                 "probability of reaching the target")
    elif "target_gpus" in f.attrs:
        fail("no #probability card")
    check_plan(tree, f)
    check_charts(tree.find("section", id="charts") or tree)
    check_chart_words(tree, f)


def check_chart_words(tree, f):
    """What the charts say (issue 17, item 10): the H100-equivalent chart's
    target in H100-equivalents, the target GPUs at the mix of GPU types
    planned for the target date (recomputed from /roadmap_tranches and the
    stored scenario); projects started counted in projects."""
    fig = tree.find("figure", id="chart-h100e")
    words = " ".join(t.text() for t in fig.find_all("text")) if fig else ""
    if "target_gpus" in f.attrs and "roadmap_tranches" in f:
        scen = json.loads(f["scenario"][()])
        eq = {g["name"]: g.get("h100_equiv", 1.0) for g in scen["gpu_types"]}
        rows = f["roadmap_tranches"][()]
        tr = scen["roadmap"]["tranches"]
        h = sum(r["planned_at_target"] * eq[tr[r["tranche"]]["gpu_type"]] for r in rows)
        g = sum(r["planned_at_target"] for r in rows)
        mm = re.search(r"roadmap target: ([\d,]+) GPUs by (\S+) = ([\d,]+) H100-equivalents "
                       r"at the planned mix \(([\d.]+) per GPU\)", words)
        if not mm:
            fail(f"h100e chart: no target in H100-equivalents in {words[:300]!r}")
        else:
            close_to(mm.group(1), float(f.attrs["target_gpus"]), "h100e chart: target GPUs")
            close_to(mm.group(3), float(f.attrs["target_gpus"]) * h / g, "h100e chart: target H100e")
            close_to(mm.group(4), h / g, "h100e chart: H100e per GPU")
        if "target line: GPUs" in words or "a count of GPUs" in words:
            fail("h100e chart: the target line is still in GPUs")
    fig = tree.find("figure", id="chart-differences")
    if fig and len(policies_of(f)) > 1:
        texts = [t.text().strip() for t in fig.find_all("text")]
        if not any(t.startswith("projects started") for t in texts):
            fail("differences chart: no panel for projects started")
        if any(("started" in t and ("proposals" in t or "GPUs" in t)) for t in texts):
            fail("differences chart: projects started counted in proposals or GPUs")
    check_capacity_chart(tree, f)
    fig = tree.find("figure", id="chart-time_to_gpu")
    counts = [t.text() for t in fig.find_all("text") if "started" in t.text()] if fig else []
    legend = [t for t in counts if re.match(r"\w+: [\d,]+ ", t)]
    if fig and (not legend or not all(re.fullmatch(r"\w+: [\d,]+ projects started", t)
                                      for t in legend)):
        fail(f"time_to_gpu chart: counts of started not said in projects: {legend[:3]!r}")


def directions():
    """Each summary metric's better direction, from docs/output.md's summary
    table (which tests/unit/test_metrics.c holds to the catalogue)."""
    out = {}
    for line in open(os.path.join(os.path.dirname(__file__), "..", "docs", "output.md"),
                     encoding="utf-8"):
        mm = re.match(r"\| `(\w+)` \| \w+ \|.*\| (higher|lower|neither) \|$", line.strip())
        if mm:
            out[mm.group(1)] = mm.group(2)
    return out


DIRECTION = directions()


def judged_word(lo, hi, direction):
    if not (lo > 0 or hi < 0):
        return "n.s."
    if direction not in ("higher", "lower"):
        return "changed"
    return "better" if (lo > 0) == (direction == "higher") else "worse"


def check_tradeoffs(tree, pols, cmp):
    """The comparison opens with one line per policy: improves, costs, changes,
    leaves unchanged, each metric where its interval and direction put it."""
    ul = tree.find("ul", id="trade-offs")
    if len(pols) < 2:
        return
    if not ul:
        fail("no ul#trade-offs")
        return
    lines = ul.find_all("li")
    if [li.attrs.get("data-policy") for li in lines] != pols[1:]:
        fail(f"trade-offs for {[li.attrs.get('data-policy') for li in lines]}, expected {pols[1:]}")
    for li in lines:
        p = li.attrs.get("data-policy")
        named = 0
        for kind in ("better", "worse", "changed", "same"):
            for part in li.find_all("span"):
                if kind not in part.attrs.get("class", "").split():
                    continue
                for sp in part.find_all("span"):
                    m = sp.attrs.get("data-metric")
                    if not m or p not in cmp or m not in cmp[p]:
                        continue
                    named += 1
                    n, mean, sd, lo, hi = cmp[p][m]
                    w = judged_word(lo, hi, DIRECTION.get(m))
                    got = {"n.s.": "same"}.get(w, w)
                    if got != kind:
                        fail(f"trade-offs {p}: {m} under {kind!r}, its interval says {w!r}")
        if not named:
            fail(f"trade-offs {p}: names no metric")


def check_capacity_chart(tree, f):
    """The roadmap does not depend on the policy: when every policy's mean
    installed and government-usable GPUs agree to within 1% of the target,
    the capacity chart draws it once (not a panel per policy) and says by how
    much the others differ, recomputed here from the time series."""
    import numpy as np
    pols = [p for p in policies_of(f) if "timeseries" in f["policies"][p]]
    fig = tree.find("figure", id="chart-capacity")
    if len(pols) < 2 or not fig or "target_gpus" not in f.attrs:
        return
    ts = {p: f["policies"][p]["timeseries"] for p in pols}
    spread = 0.0
    for p in pols[1:]:
        for k in ("installed_gpus", "usable_gpus"):
            a, b = ts[pols[0]][k][()], ts[p][k][()]
            spread = max(spread, float(np.nanmax(np.abs(a.mean(axis=0) - b.mean(axis=0)))))
    if spread >= 0.01 * float(f.attrs["target_gpus"]):
        return  # may be either form: the chart's own rule uses the axis
    texts = [t.text() for t in fig.find_all("text")]
    words = " ".join(texts)
    if "the roadmap is the same under every policy" not in words:
        fail(f"capacity chart: the roadmap (spread {spread:.0f} GPUs) not drawn once")
    panels = [t for t in texts if t.startswith("policy ")]
    if panels:
        fail(f"capacity chart: a panel per policy {panels[:3]!r}")
    mm = re.search(r"differ by at most (\d+) GPUs", words)
    if spread > 0 and (not mm or int(mm.group(1)) != math.ceil(spread - 1e-9)):
        fail(f"capacity chart: says {mm and mm.group(0)!r}, the series differ by {spread}")
    if spread == 0 and "identical under every policy" not in words:
        fail("capacity chart: identical roadmaps not said so")


def check_policy_rules(tree, f, pols):
    """Each policy described: its rules and the scenario's note for it."""
    import json
    table = tree.find("table", id="policy-rules")
    if not table:
        fail("no table#policy-rules")
        return
    rows = {tr.attrs.get("data-policy"): tr for tr in table.find_all("tr") if tr.attrs.get("data-policy")}
    if list(rows) != pols:
        fail(f"policy-rules rows {list(rows)}, expected {pols}")
    scen = json.loads(f["scenario"][()])
    for pj in scen.get("policies", []):
        tr = rows.get(pj["name"])
        if tr is None:
            continue
        t = tr.text()
        sel = f["policies"][pj["name"]].attrs.get("selection")
        sel = sel.decode() if isinstance(sel, bytes) else sel
        if sel and sel not in t:
            fail(f"policy-rules {pj['name']}: no selection rule {sel!r}")
        if pj.get("note") and " ".join(pj["note"].split()) not in " ".join(t.split()):
            fail(f"policy-rules {pj['name']}: the scenario's note is missing")
        for k, v in pj.get("params", {}).items():
            if f"{k} = {v:g}" not in t:
                fail(f"policy-rules {pj['name']}: no parameter {k} = {v:g}")
        if "reclaim" in pj and "loses" not in t:
            fail(f"policy-rules {pj['name']}: reclaim not described")


def check_plan(tree, f):
    """The roadmap as planned beside the roadmap as delivered (issue 17, item
    1): the card, the cause the sentence names, the gap by cause adding up to
    the file's mean gap."""
    if "target_gpus" not in f.attrs:
        return
    a = f["roadmap"].attrs
    for k in ("planned_gpus_at_target", "gap_never_planned", "gap_agreement_ended",
              "gap_late", "gap_ramping"):
        if k not in a:
            fail(f"/roadmap has no attribute {k}")
            return
    target = float(f.attrs["target_gpus"])
    planned = float(a["planned_gpus_at_target"])
    card = tree.find(id="as-planned")
    if not card:
        fail("no #as-planned card")
    else:
        close_to(re.search(r"([\d,]+) GPUs on", card.text()).group(1), planned, "GPUs as planned")
    cause = tree.find(id="gap-cause")
    mean = float(f["roadmap"]["installed_at_target"].mean())
    want = "plan" if planned < target else "delivery" if mean < target else "none"
    if not cause or cause.attrs.get("data-cause") != want:
        fail(f"#gap-cause says {cause and cause.attrs.get('data-cause')}, the file says {want}")
    if cause and planned < target and "slips are drawn" in cause.text():
        fail("a plan short of the target is blamed on slips")
    table = tree.find("table", id="gap-attribution")
    if not table:
        fail("no table#gap-attribution")
        return
    parts = {tr.attrs["data-cause"]: float(tr.attrs["data-gpus"])
             for tr in table.find_all("tr") if "data-cause" in tr.attrs}
    for k, attr in (("never_planned", "gap_never_planned"), ("agreement_ended",
                    "gap_agreement_ended"), ("late", "gap_late"), ("ramping", "gap_ramping")):
        if abs(parts.get(k, float("nan")) - float(a[attr])) > 1e-6 * max(1, target):
            fail(f"gap-attribution {k}: {parts.get(k)}, the file says {a[attr]}")
    total = sum(parts.get(k, 0) for k in ("never_planned", "agreement_ended", "late", "ramping"))
    if not abs(total - (target - mean)) <= 1e-6 * target:
        fail(f"the gap's parts add up to {total}, the file's mean gap is {target - mean}")
    if not abs(parts.get("gap", float("nan")) - (target - mean)) <= 1e-6 * target:
        fail(f"the gap row says {parts.get('gap')}, the file's mean gap is {target - mean}")


def check_safe(tree):
    """Nothing in the DOM runs or loads anything."""
    for n in tree.iter():
        if n.tag in ("script", "iframe", "object", "embed", "img", "link", "foreignobject"):
            fail(f"a <{n.tag}> element in the DOM")
        for k, v in n.attrs.items():
            if k.startswith("on"):
                fail(f"<{n.tag}> has {k}={v!r}")
            if k in ("src", "srcset") or (k.endswith("href") and not (v or "").startswith("#")):
                fail(f"<{n.tag}> has {k}={v!r}")


# ---- hostile ----

def check_hostile(dom_path, h5_path):
    import h5py
    f = h5py.File(h5_path, "r")
    tree = Tree(open(dom_path, encoding="utf-8").read()).root
    check_safe(tree)
    scen = json.loads(f["scenario"][()])
    pols = policies_of(f)
    h1 = tree.find("h1")
    if not h1 or h1.text() != scen["name"]:
        fail(f"h1 {h1 and h1.text()!r}, scenario name {scen['name']!r}")
    title = tree.find("title")
    if not title or not title.text().startswith(scen["name"]):
        fail(f"title {title and title.text()!r}")
    desc = tree.find(id="scenario-description")
    if not desc or desc.text() != scen["description"]:
        fail(f"description {desc and desc.text()!r}, file has {scen['description']!r}")
    items = [li.text() for li in tree.find("ol").find_all("li")]
    if items != scen["assumptions"]:
        fail(f"assumptions differ: {items[:2]!r} vs {scen['assumptions'][:2]!r}")
    heads = [th.text() for th in tree.find("table", id="means").find("thead").find_all("th")][1:]
    if heads != pols:
        fail(f"table#means columns {heads!r}, file has {pols!r}")
    rows = [tr.find("th").text() for tr in tree.find("table", id="policies").find_all("tr")][1:]
    if rows != pols:
        fail(f"table#policies rows {rows!r}, file has {pols!r}")
    # The charts show the names as text too (gnuplot's SVG, re-escaped).
    texts = [t.text() for t in tree.find("section", id="charts").find_all("text")]
    one_line = pols[0].replace("\n", " ")[:40]  # charts cut long names
    if not any(one_line in t for t in texts):
        fail(f"no chart text holds the policy name {one_line!r}")


# ---- png ----

def check_png(path, width, height):
    d = open(path, "rb").read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG")
        return
    pos, idat, ihdr = 8, [], None
    while pos + 8 <= len(d):
        n, kind = struct.unpack(">I4s", d[pos:pos + 8])
        body = d[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    w, h, depth, ctype, _, _, interlace = ihdr
    if (w, h) != (width, height):
        fail(f"{w} x {h} pixels, expected {width} x {height}")
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail(f"PNG type {depth}/{ctype}/{interlace} not decoded here")
        return
    raw = zlib.decompress(b"".join(idat))
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    prev = bytearray(stride)
    colors_top, colors_bottom = set(), set()
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ft == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ft == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif ft == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if y % 4 == 0:
            seen = colors_top if y < h // 2 else colors_bottom
            for x in range(0, stride, bpp * 3):
                seen.add(bytes(line[x:x + 3]))
    # Text and tables give hundreds of shades (anti-aliasing); a blank or
    # failed page a handful.
    if len(colors_top) < 50:
        fail(f"top half of the screenshot has {len(colors_top)} colours: blank?")
    if len(colors_bottom) < 20:
        fail(f"bottom half of the screenshot has {len(colors_bottom)} colours: blank?")


# ---- drivers ----

def check_drivers(path, h5, factor):
    import h5py
    import numpy as np
    tree = Tree(open(path, encoding="utf-8").read()).root
    sec = tree.find("section", id="drivers")
    fig = tree.find("figure", id="chart-drivers")
    f = h5py.File(h5, "r")
    if "uncertain" not in f:
        if sec:
            fail("a section #drivers for a file without /uncertain")
        if fig:
            fail("a chart of the drivers for a file without /uncertain")
        return
    if not sec:
        return fail("no section #drivers for a two-level file")
    if not fig:
        fail("no figure #chart-drivers for a two-level file")
    if sec.find("h2").text() != "What drives the answer":
        fail(f"section #drivers: heading {sec.find('h2').text()!r}")
    box = sec.find("p", id="drivers-box")
    if not box:
        return fail("no paragraph #drivers-box")
    names = [c.text() for c in box.find_all("code")]
    if names != [factor]:
        return fail(f"the box names {names}, expected [{factor!r}]")
    text = box.text()
    m = re.search(re.escape(factor) + r" is at least ([0-9.]+): ([0-9.]+)% of the misses fall "
                  r"there, in ([0-9.]+)% of the worlds drawn", text)
    d = re.search(r"missed in ([0-9.]+)% of the worlds where", text)
    if not m or not d:
        return fail(f"#drivers-box does not read as expected: {text!r}")
    paths = [p.decode() if isinstance(p, bytes) else p for p in f["uncertain"].attrs["path"]]
    x = f["uncertain/values"][:, paths.index(factor)]
    pol = list(f["policies"])[0]
    y = f["policies"][pol]["summary"]["gap_to_target"] > 0
    # The bound is printed to 4 significant digits: the box is every value
    # at or above the first the file holds at or above it, less rounding.
    lo = float(m.group(1))
    inb = x >= lo * (1 - 5e-4)
    got = (float(d.group(1)), float(m.group(2)), float(m.group(3)))
    want = (100 * y[inb].mean(), 100 * y[inb].sum() / y.sum(), 100 * inb.mean())
    for g, w, what in zip(got, want, ("density", "coverage", "mass")):
        if abs(g - w) > 0.51:
            fail(f"#drivers-box: {what} {g}%, the file's replications give {w:.2f}%")


# ---- sens ----

def check_sens(path, h5):
    import h5py
    import numpy as np
    tree = Tree(open(path, encoding="utf-8").read()).root
    for sid in ("roadmap", "comparison", "verdicts"):
        if tree.find("section", id=sid):
            fail(f"a sensitivity file's page has a section #{sid}")
    if not tree.find("figure", id="chart-tornado"):
        fail("no figure #chart-tornado")
    ul = tree.find("ul", id="sens-metrics")
    if not ul:
        return fail("no list #sens-metrics")
    items = list(ul.find_all("li"))
    g = h5py.File(h5, "r")["sensitivity"]
    s = lambda a: [x.decode() if isinstance(x, bytes) else x for x in a]
    metrics, factors, pols = s(g.attrs["metrics"]), s(g.attrs["factors"]), s(g.attrs["policies"])
    method = g.attrs["method"]
    method = method.decode() if isinstance(method, bytes) else method
    t = g[f"{pols[0]}/{method}"][()]
    if len(items) != len(metrics):
        return fail(f"{len(items)} items for {len(metrics)} metrics")
    pct = lambda x: f"{100 * x:.0f}%"
    for m, li in enumerate(items):
        rows = t[t["metric"] == m]
        text = li.text()
        key = "S1" if method == "sobol" else "mu_star"
        if not np.isfinite(rows[key]).any():
            if not text.startswith("No "):
                fail(f"metric {metrics[m]}: no indices, but the page says {text!r}")
            continue
        order = rows[np.argsort(-rows[key], kind="stable")]
        names = [c.text() for c in li.find_all("code")]
        want = [factors[i] for i in order["factor"]]
        if names[:len(want)] != want:
            fail(f"metric {metrics[m]}: factors {names}, by {key} {want}")
        if method == "sobol":
            top = order[0]
            w = f"{factors[top['factor']]} explains {pct(top['S1'])} ({100 * top['S1_lo']:.0f}–{pct(top['S1_hi'])})"
            if w not in text:
                fail(f"metric {metrics[m]}: {w!r} not in {text!r}")
            st = rows[np.argmax(rows["ST"])]
            w = f"{factors[st['factor']]} accounts for {pct(st['ST'])} ({100 * st['ST_lo']:.0f}–{pct(st['ST_hi'])})"
            if w not in text:
                fail(f"metric {metrics[m]}: {w!r} not in {text!r}")
        elif "mu*" not in text:
            fail(f"metric {metrics[m]}: no mu* in {text!r}")


# ---- calib ----

def cells(row):
    return [c.text().strip() for c in row.find_all("td")]


def shown_close(shown, value, what):
    """A number the page shows in 4 significant digits (%.4g), or n/a / ∞."""
    import numpy as np
    if not np.isfinite(value):
        if shown not in ("n/a", "∞", "−∞"):
            fail(f"{what}: shows {shown!r}, file has {value!r}")
        return
    try:
        got = float(shown.replace(MINUS, "-"))
    except ValueError:
        return fail(f"{what}: shows {shown!r}, file has {value!r}")
    if abs(got - value) > 5e-4 * abs(value) + 1e-12:
        fail(f"{what}: shows {shown}, file has {value!r}")


def interval_close(shown, lo, hi, what):
    parts = shown.split(" – ")
    if len(parts) != 2:
        return fail(f"{what}: interval {shown!r}")
    shown_close(parts[0], lo, what + " lo")
    shown_close(parts[1], hi, what + " hi")


def check_calib(path, h5):
    import h5py
    import numpy as np
    tree = Tree(open(path, encoding="utf-8").read()).root
    for sid in ("roadmap", "comparison", "verdicts", "drivers"):
        if tree.find("section", id=sid):
            fail(f"a calibrate file's page has a section #{sid}")
    f = h5py.File(h5, "r")
    g = f["calibration"]
    method = text(g.attrs["method"])
    fig = tree.find("figure", id="chart-posterior")
    if method == "abc" and not fig:
        fail("no figure #chart-posterior")
    if method == "abc" and fig and len(g.attrs["paths"]) == 2:
        # One scatter; a point per particle of positive weight (gnuplot
        # clips those on the frame), sized by weight: not all alike.
        w = g["posterior/weights"][()][:, 0]
        pts = [n for n in fig.find_all("use") if "transform" in n.attrs and "scale(" in n.attrs["transform"]]
        scales = {re.search(r"scale\(([^)]*)\)", n.attrs["transform"]).group(1) for n in pts}
        if not 1 <= len(pts) <= int((w > 0).sum()):
            fail(f"posterior chart: {len(pts)} points for {(w > 0).sum()} particles of positive weight")
        if len(set(w[w > 0])) > 1 and len(scales) < 2:
            fail(f"posterior chart: every point the same size ({scales}) for different weights")
    targets = json.loads(text(f["scenario"][()]))["calibration"]["targets"]
    fit = g["fit"][()]
    table = tree.find("table", id="calib-fit")
    if not table:
        return fail("no table #calib-fit")
    rows = list(table.find("tbody").find_all("tr"))
    if len(rows) != len(fit):
        return fail(f"{len(rows)} rows in #calib-fit for {len(fit)} targets")
    for t, (tr, x) in enumerate(zip(rows, fit)):
        c = cells(tr)
        what = f"fit row {t}"
        if c[0] != targets[t]["source"] or c[1] != targets[t]["metric"]:
            fail(f"{what}: {c[:2]}, the block's target {targets[t]['source']}, {targets[t]['metric']}")
        shown_close(c[2], x["value"], what + " published")
        shown_close(c[3], x["sd"], what + " sd")
        shown_close(c[4], x["mean"], what + " simulated")
        interval_close(c[5], x["lo"], x["hi"], what)
        if abs(float(c[6].replace(MINUS, "-")) - x["residual"]) > 0.0051:
            fail(f"{what}: z {c[6]}, file {x['residual']}")
        flagged = "|z| > 2" in c[7]
        if flagged != (abs(x["residual"]) > 2) or (tr.attrs.get("class") == "flag") != flagged:
            fail(f"{what}: flagged {flagged} with z = {x['residual']}")
    est = g["estimate"][()]
    paths = [text(p) for p in g.attrs["paths"]]
    table = tree.find("table", id="calib-estimate")
    if not table:
        return fail("no table #calib-estimate")
    rows = list(table.find("tbody").find_all("tr"))
    if len(rows) != len(est):
        return fail(f"{len(rows)} rows in #calib-estimate for {len(est)} unknowns")
    how = {v: k for k, v in h5py.check_enum_dtype(est.dtype["interval"]).items()}
    for i, (tr, x) in enumerate(zip(rows, est)):
        c = cells(tr)
        if c[0] != paths[i]:
            fail(f"estimate row {i}: path {c[0]!r}, file {paths[i]!r}")
        shown_close(c[1], x["value"], f"estimate {paths[i]}")
        interval_close(c[2], x["lo"], x["hi"], f"estimate {paths[i]}")
        interval_close(c[3], x["min"], x["max"], f"box {paths[i]}")
        if not c[4].lower().startswith({"sandwich": "sandwich", "conditional": "conditional",
                                        "box": "the whole box", "posterior": "posterior"}[how[x["interval"]]]):
            fail(f"estimate row {i}: interval from {c[4]!r}, file {how[x['interval']]}")
    table = tree.find("table", id="calib-generations")
    if method != "abc":
        if table:
            fail("a nelder-mead page has a table of generations")
        return
    if not table:
        return fail("no table #calib-generations")
    gen = g["generations"][()]
    rows = list(table.find("tbody").find_all("tr"))
    if len(rows) != len(gen):
        return fail(f"{len(rows)} generations on the page, {len(gen)} in the file")
    for tr, x in zip(rows, gen):
        c = cells(tr)
        if int(c[0]) != x["generation"] or int(c[2]) != x["simulations"] or \
                abs(float(c[4]) - x["ess"]) > 0.051:
            fail(f"generation {c}: file {x}")


def check_posterior_line(path, h5):
    import h5py
    tree = Tree(open(path, encoding="utf-8").read()).root
    p = tree.find("p", id="posterior-line")
    f = h5py.File(h5, "r")
    if "posterior" not in f:
        if p:
            fail("a posterior line for a file without /posterior")
        return
    if not p:
        return fail("no line #posterior-line")
    g = f["posterior"]
    words = p.text()
    for s in [text(x) for x in g.attrs["paths"]] + [text(g.attrs["file"]), f"CRC-32 {int(g.attrs['crc32']):08x}"]:
        if s not in words:
            fail(f"#posterior-line: no {s!r} in {words!r}")


# ---- the page at a given width (issue 17, item 10) ----

# Measures the layout and writes it into <body data-fit="JSON">.  Runs only
# in the test's copy of the page.
PROBE = """<script>
(function () {
  var d = document.documentElement, cw = d.clientWidth, out = [], stuck = [], scrolled = [];
  document.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > cw + 0.5 && !(e.parentElement && e.parentElement.closest(".scroll")))
      out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + " right " + Math.round(r.right));
  });
  document.querySelectorAll(".scroll").forEach(function (box) {
    var t = box.querySelector("table"), name = t && t.id ? t.id : "?";
    if (box.scrollWidth <= box.clientWidth) return;
    scrolled.push(name);
    box.scrollLeft = box.scrollWidth;
    var left = box.getBoundingClientRect().left;
    box.querySelectorAll("tr").forEach(function (tr, i) {
      var c = tr.firstElementChild;
      if (c && Math.abs(c.getBoundingClientRect().left - left) > 1)
        stuck.push(name + " row " + i + " first cell at " +
                   Math.round(c.getBoundingClientRect().left - left) + " px");
    });
    box.scrollLeft = 0;
  });
  document.body.setAttribute("data-fit", JSON.stringify({
    inner: window.innerWidth, client: cw, scroll: d.scrollWidth,
    outside: out.slice(0, 20), unstuck: stuck.slice(0, 20), scrolled: scrolled}));
})();
</script>"""


def write_probe(page, copy):
    text = open(page, encoding="utf-8").read()
    if text.count("</body>") != 1:
        fail("the page has no single </body>")
        return
    open(copy, "w", encoding="utf-8").write(text.replace("</body>", PROBE + "</body>"))


def check_fit(dom_path, width):
    tree = Tree(open(dom_path, encoding="utf-8").read()).root
    body = tree.find("body")
    if not body or "data-fit" not in body.attrs:
        fail("the probe did not run (no body[data-fit])")
        return
    m = json.loads(body.attrs["data-fit"])
    if m["inner"] != width:
        fail(f"the window is {m['inner']} px wide, expected {width}")
    if m["scroll"] > m["client"]:
        fail(f"at {width} px the page scrolls sideways: {m['scroll']} px of content in "
             f"{m['client']} px")
    for e in m["outside"]:
        fail(f"at {width} px, outside any scroll box, beyond the window: {e}")
    for e in m["unstuck"]:
        fail(f"at {width} px, scrolled to its end: {e} (the first column should stay)")
    heads = len(list(tree.find("table", id="means").find("thead").find_all("th"))) - 1 \
        if tree.find("table", id="means") else 0
    if width <= 1024 and heads > 4 and "means" not in m["scrolled"]:
        fail(f"at {width} px with {heads} policies table#means does not scroll in its box")


def check_offline(page_path, h5_path):
    import h5py
    f = h5py.File(h5_path, "r")
    page = open(page_path, encoding="utf-8").read()
    # What the user wrote: every string of the stored scenario, the
    # policies' names, the root's string attributes (overrides, names).
    user = []

    def walk(x):
        if isinstance(x, str):
            user.append(x)
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(k), walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(json.loads(f["scenario"][()]))
    user += list(f["policies"])
    for v in f.attrs.values():
        if isinstance(v, (str, bytes)):
            user.append(text(v))
        elif hasattr(v, "__iter__"):
            user += [text(x) for x in v if isinstance(x, (str, bytes))]
    # Shown as the page shows text: HTML-escaped, whitespace as is.
    from html import escape
    shown = [escape(u, quote=False) for u in user] + [escape(u) for u in user]
    for mm in re.finditer(r"(?i)(?:https?:)?//[a-z0-9][-a-z0-9.]*\.[a-z]{2,}[^\s<>\"']*", page):
        url = mm.group(0)
        if not any(url in u for u in shown):
            fail(f"the page names an address outside it: {url!r} "
                 f"(…{page[max(0, mm.start() - 60):mm.start()]!r})")


def main():
    mode = sys.argv[1]
    if mode == "static":
        check_static(sys.argv[2])
    elif mode == "dom":
        check_dom(sys.argv[2], sys.argv[3])
    elif mode == "hostile":
        check_hostile(sys.argv[2], sys.argv[3])
    elif mode == "drivers":
        check_drivers(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif mode == "sens":
        check_sens(sys.argv[2], sys.argv[3])
    elif mode == "calib":
        check_calib(sys.argv[2], sys.argv[3])
    elif mode == "posterior":
        check_posterior_line(sys.argv[2], sys.argv[3])
    elif mode == "probe":
        write_probe(sys.argv[2], sys.argv[3])
    elif mode == "fit":
        check_fit(sys.argv[2], int(sys.argv[3]))
    elif mode == "offline":
        check_offline(sys.argv[2], sys.argv[3])
    elif mode == "png":
        check_png(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode}")
    for msg in failures[:20]:
        print(msg)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
