"""Two settings of a scenario set side by side: history and one switch turned from it.

Engine layer, pure (no pygame). ``simulate --compare ID`` plays the historical setting and the
switch ``ID`` turned from its default on the same seeds; ``compare`` reads the two lists of runs
(``game.simulate.simulate_one`` results) and measures, for each arm:

- how often each side wins (and how often no side does), with a 95% Wilson score interval for
  each share and Newcombe's hybrid score interval (his method 10, for two independent
  proportions) for the difference;
- for each of the source's dated events (``[history]``, judged by ``game.history.judge``) how
  often it happened and its median date (the lower median: a date some run saw);
- the losses by category (military killed, wounded, captured or deserted, civilians killed,
  aircraft and ships lost, then the killed of each of the source's categories): the mean per
  run, the difference of the means and its 95% Welch t interval.

Differences are the switch's arm less history's. Nothing here draws on chance: the intervals
are formulas. ``compare_lines`` says the comparison as a table; ``game.ui.charts`` draws it.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile

METHODS = {
    "share": "Wilson score interval, 95%",
    "share_difference": "Newcombe's hybrid score interval (method 10, independent samples), 95%",
    "mean_difference": "Welch's t interval for the difference of two means, 95%",
    "event_date": "median date over the runs that saw the event (the lower median)",
}


# -- the statistics -----------------------------------------------------------------------------


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the share ``k / n``."""
    if n <= 0:
        raise ValueError("a share needs at least one run")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float]:
    """Newcombe's hybrid score interval of ``k2/n2 - k1/n1`` (two independent shares), built
    from each share's Wilson interval."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p2 - p1
    return d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)


def welch(a: list[float], b: list[float], level: float = 0.95) -> dict:
    """The difference of the means ``mean(b) - mean(a)``, and its Welch t interval: ``{"difference",
    "low", "high", "df"}``; with fewer than two values in an arm, no interval (``low``, ``high``
    and ``df`` None); with no spread in either arm, the interval is the difference itself."""
    d = statistics.fmean(b) - statistics.fmean(a)
    if len(a) < 2 or len(b) < 2:
        return {"difference": d, "low": None, "high": None, "df": None}
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return {"difference": d, "low": d, "high": d, "df": None}
    df = (va + vb) ** 2 / (va * va / (len(a) - 1) + vb * vb / (len(b) - 1))
    half = t_quantile(0.5 + level / 2, df) * se
    return {"difference": d, "low": d - half, "high": d + half, "df": df}


def t_quantile(p: float, df: float) -> float:
    """Student's t distribution's ``p`` quantile for ``df`` degrees of freedom (any real df > 0),
    by bisection on its distribution function."""
    if not 0 < p < 1 or df <= 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        lo, hi = hi, hi * 2
    for _ in range(100):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12 * max(1.0, hi):
            break
    return (lo + hi) / 2


def t_cdf(t: float, df: float) -> float:
    """Student's t distribution function: 1 - I_x(df/2, 1/2) / 2 for t >= 0, x = df/(df + t^2)."""
    tail = 0.5 * _betainc(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t >= 0 else tail


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b), by its continued fraction (Lentz)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1) / (a + b + 2):
        return 1 - _betainc(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    f = d
    for m in range(1, 500):
        for num in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + num * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + num / c
            c = c if abs(c) > tiny else tiny
            f *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return front * f / a


# -- the two arms -------------------------------------------------------------------------------


def loss_rows(run: dict) -> list[tuple[str, str, int, float | None]]:
    """(key, label, value, source) of a run's losses: the totals, then the killed of each of the
    source's categories (from the run's ``casualties``, ``game.ledger.ledger_json``); ``source``
    is the source's figure for the scenario's phase where it gives one (the killed), else None."""
    c = run["casualties"]
    causes = c.get("by_cause", {})
    rows: list[tuple[str, str, int, float | None]] = [
        ("military_killed", "Military killed", c["military"]["game"], c["military"].get("expected")),
        ("wounded", "Wounded", c.get("manpower", {}).get("wounded", 0), None),
        (
            "captured_or_deserted",
            "Captured or deserted",
            causes.get("captured", 0) + causes.get("deserted", 0),
            None,
        ),
        ("civilians", "Civilians killed", run["civilians"], c.get("civilians", {}).get("expected")),
        ("aircraft_lost", "Aircraft lost", run["aircraft_lost"], None),
        ("ships_lost", "Ships lost", run["ships_lost"], None),
    ]
    for row in c.get("categories", []) + c.get("other", []):
        rows.append((f"killed:{row['id']}", f"Killed: {row['label']}", row["game"], row.get("expected")))
    return rows


def run_summary(run: dict) -> dict:
    """What the comparison keeps of one run."""
    return {
        "seed": run["seed"],
        "options": run["options"],
        "winner": run["winner"],
        "result": run["result"],
        "turns": run["turns"],
        "date": run["date"],
        "historical": run["historical"],
        "events": {_event_key(e): e["game"] for e in run["history"]},
        "losses": {key: value for key, _, value, _ in loss_rows(run)},
        "checksum": run["checksum"],
    }


def _event_key(e: dict) -> str:
    return e.get("id") or e["what"]


def compare(history: list[dict], switched: list[dict], sides: list[dict], option) -> dict:
    """The two arms set side by side: ``history`` and ``switched`` are the runs of each, on the
    same seeds; ``sides`` the scenario's sides (``id``, ``name``); ``option`` the switch turned
    (``game.scenario.options.Option``)."""
    n_a, n_b = len(history), len(switched)
    intervals = min(n_a, n_b) >= 2
    arms = {
        "history": {"options": history[0]["options"], "runs": [run_summary(r) for r in history]},
        "switched": {"options": switched[0]["options"], "runs": [run_summary(r) for r in switched]},
    }

    def share(k: int, n: int) -> dict:
        out: dict = {"count": k, "runs": n, "share": k / n}
        if intervals:
            out["low"], out["high"] = wilson(k, n)
        return out

    def shares(label: str, key: str | None, test) -> dict:
        ka = sum(bool(test(r)) for r in history)
        kb = sum(bool(test(r)) for r in switched)
        difference: dict = {"share": kb / n_b - ka / n_a}
        if intervals:
            difference["low"], difference["high"] = newcombe(ka, n_a, kb, n_b)
        return {
            "label": label,
            "side": key,
            "history": share(ka, n_a),
            "switched": share(kb, n_b),
            "difference": difference,
        }

    wins = [shares(s.get("name") or s["id"], s["id"], lambda r, s=s: r["winner"] == s["id"]) for s in sides]
    wins.append(shares("No winner (a draw, or not over)", None, lambda r: r["winner"] is None))
    known = {s["id"] for s in sides}
    others = sorted({str(r["winner"]) for r in history + switched if r["winner"] is not None} - known)
    for w in others:
        wins.insert(-1, shares(w, w, lambda r, w=w: str(r["winner"]) == w))
    historical = shares("Historical (source's winner, events on time)", None, lambda r: r["historical"])

    events = []
    order: dict[str, dict] = {}
    for r in history[:1] + switched[:1]:
        for e in r["history"]:
            order.setdefault(_event_key(e), e)
    for key, e in order.items():
        row: dict = {"id": key, "what": e["what"], "source": e["source"], "defining": e["defining"]}
        for name, runs in (("history", history), ("switched", switched)):
            dates = [x["game"] for r in runs for x in r["history"] if _event_key(x) == key]
            if not any(_event_key(x) == key for x in runs[0]["history"]):
                row[name] = None  # the setting drops the event: not measured
                continue
            seen = sorted(dt.date.fromisoformat(d) for d in dates if d)
            row[name] = {
                "happened": len(seen),
                "runs": len(runs),
                "median": seen[(len(seen) - 1) // 2].isoformat() if seen else None,
            }
        events.append(row)

    losses = []
    labels: dict[str, str] = {}
    sources: dict[str, float | None] = {}
    for r in history + switched:
        for key, label, _, src in loss_rows(r):
            labels.setdefault(key, label)
            if sources.get(key) is None:
                sources[key] = src
    books_a = [arms["history"]["runs"][i]["losses"] for i in range(n_a)]
    books_b = [arms["switched"]["runs"][i]["losses"] for i in range(n_b)]
    for key, label in labels.items():
        a = [book.get(key, 0) for book in books_a]
        b = [book.get(key, 0) for book in books_b]
        losses.append(
            {
                "id": key,
                "label": label,
                # The source's figure for the phase (the dead only), to set both arms against.
                "source": sources.get(key),
                "history": statistics.fmean(a),
                "switched": statistics.fmean(b),
                "difference": welch(a, b),
            }
        )
    return {
        "scenario": history[0]["scenario"],
        "switch": option.to_dict(),
        "seeds": [r["seed"] for r in history],
        "difficulty": history[0]["difficulty"],
        "runs": n_a,
        "intervals": intervals,
        "methods": METHODS,
        "arms": arms,
        "wins": wins,
        "historical": historical,
        "events": events,
        "losses": losses,
    }


# -- in words -----------------------------------------------------------------------------------


def arm_names(comparison: dict) -> tuple[str, str]:
    """The two columns' headings: the switch as history has it, and turned."""
    sw = comparison["switch"]
    words = {True: "on", False: "off"}
    return f"{sw['id']} {words[sw['default']]} (history)", f"{sw['id']} {words[not sw['default']]}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _share_cell(s: dict) -> str:
    text = f"{s['count']}/{s['runs']} {_pct(s['share']):>4s}"
    if "low" in s:
        text += f" ({_pct(s['low'])}-{_pct(s['high'])})"
    return text


def _points(x: float) -> str:
    return f"{100 * x:+.0f}"


def _share_difference(d: dict) -> str:
    text = f"{_points(d['share'])} pts"
    if "low" in d:
        text += f" ({_points(d['low'])} to {_points(d['high'])})"
    return text


def plain_number(x: float) -> str:
    """A figure as people read it: whole with thousands marked, one decimal under ten."""
    return f"{x:,.0f}" if abs(x) >= 10 or x == int(x) else f"{x:,.1f}"


def _signed(x: float) -> str:
    return ("+" if x > 0 else "-" if x < 0 else "\u00b1") + plain_number(abs(x))


def short_day(iso: str) -> str:
    """An ISO date as "21 Sep 2015"."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


def compare_lines(comparison: dict, title: str = "") -> str:
    """The comparison as a table: the two arms side by side and the difference."""
    c = comparison
    a_name, b_name = arm_names(c)
    seeds = c["seeds"]
    n = c["runs"]
    seed_words = f"seed {seeds[0]}" if n == 1 else f"seeds {seeds[0]}-{seeds[-1]}"
    label_w, col_w, src_w = 48, 24, 10
    lines = [
        f'{title or c["scenario"]}: history beside "{c["switch"]["title"]}"',
        f"{n} run{'s' if n != 1 else ''} of each setting on the same {seed_words}, difficulty "
        f"{c['difficulty']}; differences are the switch's arm less history's",
    ]
    if not c["intervals"]:
        lines.append(
            "one run of each: no intervals (they need --runs 2 or more); what one pair of games shows:"
        )

    def head(section: str, diff: str) -> None:
        lines.append("")
        lines.append(
            f"{section[:label_w]:{label_w}s} {a_name[:col_w]:>{col_w}s} {b_name[:col_w]:>{col_w}s}  {diff}"
        )

    def row(label: str, a: str, b: str, d: str, src: str | None = None) -> None:
        middle = "" if src is None else f" {src:>{src_w}s}"
        lines.append(
            f"  {shortened(label, label_w - 2):{label_w - 2}s} {a:>{col_w}s} {b:>{col_w}s}{middle}  {d}"
        )

    head("Wins (share, 95% interval)", "difference, share points")
    for w in c["wins"] + [c["historical"]]:
        row(
            w["label"],
            _share_cell(w["history"]),
            _share_cell(w["switched"]),
            _share_difference(w["difference"]),
        )
    if c["events"]:
        head("Dated events (happened; median date)", "source's date")
        for e in c["events"]:
            cells = []
            for name in ("history", "switched"):
                x = e[name]
                if x is None:
                    cells.append("dropped by the switch")
                elif x["median"] is None:
                    cells.append(f"0/{x['runs']}; never")
                else:
                    cells.append(f"{x['happened']}/{x['runs']}; {short_day(x['median'])}")
            row(e["what"] + ("" if e["defining"] else " *"), cells[0], cells[1], short_day(e["source"]))
        if any(not e["defining"] for e in c["events"]):
            lines.append("  * not defining: it comes on the scenario's fixed date, shown beside the game")
    lines.append("")
    lines.append(
        f"{'Losses (mean per run)'[:label_w]:{label_w}s} {a_name[:col_w]:>{col_w}s} "
        f"{b_name[:col_w]:>{col_w}s} {'source':>{src_w}s}  difference (95% interval)"
    )
    said_killed = False
    for x in c["losses"]:
        label = x["label"]
        if x["id"].startswith("killed:"):
            if not (x["history"] or x["switched"]):
                continue
            if not said_killed:
                lines.append("  Killed, by the source's categories:")
                said_killed = True
            label = "  " + label.removeprefix("Killed: ")
        d = x["difference"]
        diff = _signed(d["difference"])
        if d["low"] is not None:
            diff += (
                f" ({_signed(d['low'])} to {_signed(d['high'])})" if d["high"] > d["low"] else " (no spread)"
            )
        src = x.get("source")
        row(
            label,
            plain_number(x["history"]),
            plain_number(x["switched"]),
            diff,
            "-" if src is None else plain_number(src),
        )
    lines.append(
        "  source: the source's dead for this phase, as the ledger sets every game against them; "
        "- where it gives none"
    )
    lines.append("")
    if c["intervals"]:
        lines.append(
            "Intervals, 95%: shares by Wilson's score interval, their differences by Newcombe's hybrid\n"
            "score method (as for independent samples); the losses' differences by Welch's t interval."
        )
    return "\n".join(lines)


def shortened(text: str, width: int) -> str:
    """``text``, cut to ``width`` characters with an ellipsis where it is longer."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


__all__ = [
    "METHODS",
    "arm_names",
    "compare",
    "compare_lines",
    "loss_rows",
    "newcombe",
    "plain_number",
    "short_day",
    "shortened",
    "run_summary",
    "t_cdf",
    "t_quantile",
    "welch",
    "wilson",
]
