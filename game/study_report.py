"""A study's report: ``DIR/report.md`` with its charts (PNG, drawn with matplotlib), read from
the records the study streamed to ``DIR/results.jsonl`` (``game.study``) and nothing else, so
``mesopotamia study --report DIR`` makes it again at any time, from a study finished or not.

Client layer. What the report gives:

* who wins, each side's share with its 95% Wilson interval, and how many runs went as history
  did (the source's winner, every defining event on time);
* each of the source's dated events: how often it happened, the median date and the 10th-90th
  percentile of its dates beside the source's date and the window the scenario allows;
* losses by category (the killed of each of the source's categories, wounded, captured or
  deserted, civilians, aircraft, ships): median and 10th-90th percentile per run beside the
  source's figure for the phase where it gives one;
* where the runs disagree most: the winner, the events that happen in some runs and not in
  others or whose dates spread widest, the losses that vary most, each with the seeds at its
  ends, to play again with ``mesopotamia simulate SCENARIO --seed N``.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from game.compare import plain_number, short_day, shortened, wilson
from game.study import PLAN_FILE, REPORT_FILE, StudyError, need_study_extra, read_results

CHARTS = ("wins.png", "events.png", "losses.png")


def _quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of ``values``, linear between order statistics; 0 for none."""
    return float(np.percentile(values, 100 * q)) if len(values) else 0.0


# -- the figures -----------------------------------------------------------------------------------


def summarise(records: list[dict], plan: dict) -> dict:
    """The report's figures from the records (JSON-ready)."""
    n = len(records)
    if n == 0:
        raise StudyError("no finished runs to report on")
    names = plan.get("sides") or {}
    sides: list[str] = []
    for r in records:
        w = r["winner"]
        if w is not None and w not in sides:
            sides.append(w)
    wins = []
    for side in sides + [None]:
        k = sum(1 for r in records if r["winner"] == side)
        low, high = wilson(k, n)
        wins.append(
            {
                "side": side,
                "name": names.get(side, side) if side else None,
                "count": k,
                "share": k / n,
                "low": low,
                "high": high,
            }
        )
    k_hist = sum(1 for r in records if r["historical"])
    low, high = wilson(k_hist, n)
    historical = {"count": k_hist, "share": k_hist / n, "low": low, "high": high}

    events = []
    order: dict[str, dict] = {}
    for r in records:
        for e in r["events"]:
            order.setdefault(e.get("id") or e["what"], e)
    for key, e in order.items():
        rows = [(r["seed"], x) for r in records for x in r["events"] if (x.get("id") or x["what"]) == key]
        dated = [(seed, dt.date.fromisoformat(x["game"]).toordinal()) for seed, x in rows if x["game"]]
        days = [d for _, d in dated]
        events.append(
            {
                "id": key,
                "what": e["what"],
                "source": e["source"],
                "window": e.get("window"),
                "defining": e["defining"],
                "happened": len(dated),
                "runs": len(rows),
                "on_time": sum(1 for _, x in rows if x["on_time"]),
                "dates": {str(seed): dt.date.fromordinal(d).isoformat() for seed, d in dated},
                "median": dt.date.fromordinal(round(statistics.median(days))).isoformat() if days else None,
                "p10": dt.date.fromordinal(round(_quantile(days, 0.1))).isoformat() if days else None,
                "p90": dt.date.fromordinal(round(_quantile(days, 0.9))).isoformat() if days else None,
                "spread_days": (_quantile(days, 0.9) - _quantile(days, 0.1)) if days else 0.0,
            }
        )

    losses = []
    labels: dict[str, tuple[str, float | None]] = {}
    for r in records:
        for x in r["losses"]:
            if x["id"] not in labels or labels[x["id"]][1] is None:
                labels[x["id"]] = (x["label"], x.get("source"))
    for key, (label, src) in labels.items():
        by_seed = {r["seed"]: next((x["game"] for x in r["losses"] if x["id"] == key), 0) for r in records}
        vals = list(by_seed.values())
        if not any(vals) and not src:
            continue  # nothing lost in any run, and no figure to set it against
        median = statistics.median(vals)
        mean = statistics.fmean(vals)
        lo_seed = min(by_seed, key=lambda s: (by_seed[s], s))
        hi_seed = max(by_seed, key=lambda s: (by_seed[s], -s))
        losses.append(
            {
                "id": key,
                "label": label,
                "source": src,
                "median": median,
                "mean": mean,
                "p10": _quantile(vals, 0.1),
                "p90": _quantile(vals, 0.9),
                "min": {"seed": lo_seed, "value": by_seed[lo_seed]},
                "max": {"seed": hi_seed, "value": by_seed[hi_seed]},
                "ratio": (median / src) if src else None,
                # How far the runs disagree: the 10th-90th percentile range over the median.
                "spread": ((_quantile(vals, 0.9) - _quantile(vals, 0.1)) / median) if median else 0.0,
                "values": {str(s): v for s, v in by_seed.items()},
            }
        )
    return {
        "scenario": plan.get("scenario") or records[0]["scenario"],
        "runs": n,
        "planned": len(plan.get("seeds") or []) or n,
        "seeds": sorted(r["seed"] for r in records),
        "options": plan.get("options") or records[0]["options"],
        "difficulty": plan.get("difficulty") or records[0]["difficulty"],
        "turns": plan.get("turns"),
        "wins": wins,
        "historical": historical,
        "events": events,
        "losses": losses,
        "disagreements": _disagreements(records, wins, events, losses),
    }


def _disagreements(
    records: list[dict], wins: list[dict], events: list[dict], losses: list[dict]
) -> list[str]:
    """Where the runs part ways, most first: lines of Markdown naming seeds to play again."""
    out = []
    n = len(records)
    split = [w for w in wins if 0 < w["count"] < n]
    if split:
        parts = ", ".join(f"{w['name'] or 'no winner'} {w['count']}/{n}" for w in split)
        named = {w["side"]: w["name"] or "no winner" for w in wins}
        seeds: dict = {}
        for r in records:
            seeds.setdefault(r["winner"], r["seed"])
        ex = "; ".join(f"{named.get(w, w)}: seed {s}" for w, s in seeds.items())
        out.append(f"**Who wins** is not settled: {parts} (for example {ex}).")
    for e in events:
        if 0 < e["happened"] < e["runs"]:
            missing = [r["seed"] for r in records if str(r["seed"]) not in e["dates"]][:3]
            out.append(
                f"**{e['what']}** happened in {e['happened']} of {e['runs']} runs; not in seeds "
                + ", ".join(map(str, missing))
                + ("..." if e["runs"] - e["happened"] > 3 else "")
                + "."
            )
    spread = sorted((e for e in events if e["happened"] >= 2), key=lambda e: -e["spread_days"])
    for e in spread[:3]:
        if e["spread_days"] >= 28:
            first = min(e["dates"].items(), key=lambda kv: kv[1])
            last = max(e["dates"].items(), key=lambda kv: kv[1])
            out.append(
                f"**{e['what']}**: its dates spread over {e['spread_days'] / 30.4:.0f} months (10th-90th "
                f"percentile), from {short_day(first[1])} (seed {first[0]}) to {short_day(last[1])} (seed {last[0]})."
            )
    varied = sorted((x for x in losses if x["median"] >= 10), key=lambda x: -x["spread"])
    for x in varied[:4]:
        if x["spread"] >= 0.5:
            out.append(
                f"**{x['label']}**: from {plain_number(x['min']['value'])} (seed {x['min']['seed']}) "
                f"to {plain_number(x['max']['value'])} (seed {x['max']['seed']}), median {plain_number(x['median'])}."
            )
    return out


# -- the charts ------------------------------------------------------------------------------------


def _pyplot():
    try:
        # The study extra, kept out of the game's own needs: the charts are drawn only here.
        import matplotlib

        matplotlib.use("Agg")  # files only, never a window
        import matplotlib.pyplot as plt  # (after the backend is chosen)
    except ImportError:
        raise need_study_extra("the study's report") from None
    return plt


def draw_charts(s: dict, out: Path) -> list[str]:
    """The report's charts in ``out``; their file names."""
    plt = _pyplot()
    made = []
    # Who wins: shares with their intervals.
    wins = s["wins"] + [{"side": "history", "name": "as in history", **s["historical"]}]
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(wins) + 1.4))
    names = [str(w["name"] or "no winner") for w in wins]
    shares = [100 * w["share"] for w in wins]
    errs = [[100 * (w["share"] - w["low"]) for w in wins], [100 * (w["high"] - w["share"]) for w in wins]]
    ax.barh(names, shares, xerr=errs, color="#c45634", ecolor="#222", capsize=4)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel("share of the runs, % (line: 95% Wilson interval)")
    ax.set_title(f"Who wins: {s['scenario']}, {s['runs']} runs")
    fig.tight_layout()
    fig.savefig(out / "wins.png", dpi=100)
    plt.close(fig)
    made.append("wins.png")

    events = [e for e in s["events"] if e["runs"]]
    if events:
        fig, ax = plt.subplots(figsize=(10, 0.55 * len(events) + 2.2))
        for i, e in enumerate(events):
            days = [dt.date.fromisoformat(d) for d in e["dates"].values()]
            if e.get("window"):
                w0, w1 = (dt.date.fromisoformat(x) for x in e["window"])
                ax.plot([w0, w1], [i, i], color="#9fb38a", linewidth=8, solid_capstyle="butt", zorder=1)
            ax.scatter(days, [i] * len(days), s=14, color="#c45634", alpha=0.6, zorder=2)
            ax.scatter(
                [dt.date.fromisoformat(e["source"])], [i], marker="|", s=300, color="#466ea0", zorder=3
            )
        ax.set_yticks(range(len(events)))
        ax.set_yticklabels([f"{shortened(e['what'], 48)} ({e['happened']}/{e['runs']})" for e in events])
        ax.invert_yaxis()
        ax.set_title(
            "The source's dated events\neach run's date (dots), the source's (blue), the scenario's window (green)",
            fontsize=10,
        )
        fig.autofmt_xdate()
        fig.tight_layout()
        fig.savefig(out / "events.png", dpi=100)
        plt.close(fig)
        made.append("events.png")

    losses = s["losses"]
    if losses:
        fig, ax = plt.subplots(figsize=(10, 0.45 * len(losses) + 1.6))
        for i, x in enumerate(losses):
            vals = [max(v, 1) for v in x["values"].values()]
            ax.plot([max(x["p10"], 1), max(x["p90"], 1)], [i, i], color="#c45634", linewidth=6, alpha=0.5)
            ax.scatter(vals, [i] * len(vals), s=8, color="#7a2a14", alpha=0.5)
            ax.scatter([max(x["median"], 1)], [i], marker="D", s=30, color="#7a2a14")
            if x["source"]:
                ax.scatter([x["source"]], [i], marker="|", s=300, color="#466ea0")
        ax.set_xscale("log")
        ax.set_yticks(range(len(losses)))
        ax.set_yticklabels([shortened(x["label"].removeprefix("Killed: "), 44) for x in losses])
        ax.invert_yaxis()
        ax.set_xlabel("per run, log scale")
        ax.set_title(
            "Losses by category\neach run (dots), median (diamond), 10th-90th percentile (bar), the source (blue)",
            fontsize=10,
        )
        fig.tight_layout()
        fig.savefig(out / "losses.png", dpi=100)
        plt.close(fig)
        made.append("losses.png")
    return made


# -- the page --------------------------------------------------------------------------------------


def report_text(s: dict, charts: list[str]) -> str:
    sw = [k for k, v in s["options"].items() if v]
    lines = [
        f"# Study: {s['scenario']}",
        "",
        f"{s['runs']} runs"
        + (f" of {s['planned']} planned" if s["planned"] != s["runs"] else "")
        + f", seeds {s['seeds'][0]}-{s['seeds'][-1]}, difficulty {s['difficulty']}"
        + (f", {s['turns']} turns each" if s["turns"] else ", each to its end")
        + (f"; switches on: {', '.join(sw)}" if sw else "; history's setting (no switch turned)")
        + ". Intervals are 95%, by Wilson's score method.",
        "",
        "## Who wins",
        "",
        "| side | runs | share | 95% interval |",
        "|---|---:|---:|---|",
    ]
    for w in s["wins"]:
        lines.append(
            f"| {w['name'] or 'no winner (a draw, or not over)'} | {w['count']} | {100 * w['share']:.0f}% "
            f"| {100 * w['low']:.0f}-{100 * w['high']:.0f}% |"
        )
    h = s["historical"]
    lines += [
        f"| as in history (the source's winner, every defining event on time) | {h['count']} | "
        f"{100 * h['share']:.0f}% | {100 * h['low']:.0f}-{100 * h['high']:.0f}% |",
        "",
    ]
    if "wins.png" in charts:
        lines += ["![Who wins](wins.png)", ""]
    if s["events"]:
        lines += [
            "## The source's dated events",
            "",
            "| event | happened | on time | median | 10th-90th percentile | source |",
            "|---|---:|---:|---|---|---|",
        ]
        for e in s["events"]:
            mark = "" if e["defining"] else " (fixed date)"
            if e["median"]:
                med, rng = short_day(e["median"]), f"{short_day(e['p10'])} - {short_day(e['p90'])}"
            else:
                med, rng = "never", "-"
            lines.append(
                f"| {e['what']}{mark} | {e['happened']}/{e['runs']} | {e['on_time']}/{e['runs']} | {med} "
                f"| {rng} | {short_day(e['source'])} |"
            )
        lines.append("")
        if "events.png" in charts:
            lines += ["![The dated events](events.png)", ""]
    lines += [
        "## Losses by category",
        "",
        "Per run; the source's figure is its dead for the phase, as the casualty ledger sets every game against.",
        "",
        "| losses | median | 10th-90th percentile | mean | source | median / source |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for x in s["losses"]:
        src = plain_number(x["source"]) if x["source"] else "-"
        ratio = f"{x['ratio']:.2f}" if x["ratio"] is not None else "-"
        lines.append(
            f"| {x['label']} | {plain_number(x['median'])} | {plain_number(x['p10'])} - {plain_number(x['p90'])} "
            f"| {plain_number(x['mean'])} | {src} | {ratio} |"
        )
    lines.append("")
    if "losses.png" in charts:
        lines += ["![Losses by category](losses.png)", ""]
    lines += ["## Where the runs disagree most", ""]
    if s["disagreements"]:
        lines += [f"- {d}" for d in s["disagreements"]]
        lines += [
            "",
            f"Play a seed again with `mesopotamia simulate {s['scenario']} --seed N`"
            + "".join(f" --option {k}=on" for k in sw)
            + (f" --turns {s['turns']}" if s["turns"] else "")
            + " (add `--save FILE` to watch it with `mesopotamia play --load FILE`).",
        ]
    else:
        lines.append(
            "Nowhere worth a line: every run had the same winner and events, and losses within half their median."
        )
    lines.append("")
    return "\n".join(lines)


def write_report(out: Path) -> Path:
    """``out/report.md`` and its charts, from the records in ``out``."""
    out = Path(out)
    plan_path = out / PLAN_FILE
    if not plan_path.exists():
        raise StudyError(f"{out}: no study here (no {PLAN_FILE})")
    try:
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StudyError(f"{plan_path}: cannot be read ({exc})") from None
    s = summarise(read_results(out), plan)
    charts = draw_charts(s, out)
    (out / "summary.json").write_text(json.dumps(s, indent=1) + "\n", encoding="utf-8")
    path = out / REPORT_FILE
    path.write_text(report_text(s, charts), encoding="utf-8")
    return path


__all__ = ["CHARTS", "draw_charts", "report_text", "summarise", "write_report"]
