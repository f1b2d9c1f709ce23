#!/usr/bin/env python3
"""History benchmark: whole phases played AI against AI, their losses beside the source.

Prints figures; asserts nothing. Usage:

    python benchmarks/bench_history.py [--seed S] [--runs N] [--jobs J] [--scenario ID ...]

For each scenario (the eight phases by default; add ``campaign`` for the whole war), N seeded
games from seed S, and per scenario:

* how often a game is historical: it ends with the winner the source gives AND each of the
  source's defining dated events (``[[history.events]]``) happens within its window; how often
  the winner alone is the source's; and, for each defining event, how often it is on time;
* the dead against the scenario's ``[history]`` figures (median of the runs, and their ratio:
  the target is within x2), and how many categories are within x2;
* the prisoners and deserters against the dead (the target: no more than the dead, but for the
  2014 offensive, where an army's collapse is the story);
* the wounded (and how many came back), the shaken (and how many rallied);
* air and naval strikes' share of the jihadists' dead (ISIS and al-Qaeda) and of the civilians'.

Tune on some seeds, then measure on seeds never looked at: say which were which.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.scenario import find_scenario  # noqa: E402
from game.simulate import simulate_many  # noqa: E402

PHASES = ("2014-isis-offensive", "2014-new-role", "2014-no-fly-zone", "2015-invasion",
          "2015-raqqa", "2017-pro-assad-offensive", "2018-withdrawal", "2021-fall-of-damascus")
JIHADISTS = ("isis", "al_qaeda")
STRIKES = ("air strikes", "naval strikes")


def _history(path) -> dict:
    from game.scenario import load_scenario

    return load_scenario(path).history


def figures(results: list[dict], history: dict) -> dict:
    """The figures of one scenario's runs (medians over the runs)."""
    med = statistics.median
    out = {"runs": len(results)}
    out["historical_winner"] = sum(str(r["winner"]) == str(history.get("winner"))
                                   for r in results) / len(results)
    out["historical"] = sum(bool(r["historical"]) for r in results) / len(results)
    out["events_on_time"] = [
        (row["what"], sum(r["history"][i]["on_time"] for r in results) / len(results))
        for i, row in enumerate(results[0]["history"]) if row["defining"]]
    mil = results[0]["casualties"]["military"]
    out["killed"] = med(r["casualties"]["military"]["game"] for r in results)
    out["killed_source"] = mil.get("expected")
    out["killed_ratio"] = (out["killed"] / out["killed_source"]) if out["killed_source"] else None
    within = []
    for r in results:
        rows = [c for c in r["casualties"]["categories"] if c.get("expected")]
        within.append(sum(0.5 <= c["game"] / c["expected"] <= 2.0 for c in rows) / max(len(rows), 1))
    out["categories_within_x2"] = med(within)
    out["categories"] = len([c for c in results[0]["casualties"]["categories"] if c.get("expected")])
    cd = [r["casualties"]["by_cause"].get("captured", 0) + r["casualties"]["by_cause"].get("deserted", 0)
          for r in results]
    out["captured_deserted"] = med(cd)
    out["missing_over_killed"] = med(c / max(r["casualties"]["military"]["game"], 1)
                                     for c, r in zip(cd, results))
    flows = [r["casualties"].get("manpower", {}) for r in results]
    out["wounded"] = med(f.get("wounded", 0) for f in flows)
    out["returned"] = med(f.get("returned", 0) for f in flows)
    out["shaken"] = med(f.get("shaken", 0) for f in flows)
    out["rallied"] = med(f.get("rallied", 0) for f in flows)
    jk = js = ck = cs = 0
    for r in results:
        fac = r["casualties"]["factions"]
        for f in JIHADISTS:
            if f in fac:
                jk += fac[f]["killed"]
                js += sum(fac[f]["by_cause"].get(c, 0) for c in STRIKES)
        civ = r["casualties"]["civilians"]
        ck += civ["game"]
        cs += sum(civ.get("by_cause", {}).get(c, 0) for c in STRIKES)
    out["strikes_share_jihadist_killed"] = js / jk if jk else None
    out["strikes_share_civilians"] = cs / ck if ck else None
    out["civilians"] = med(r["civilians"] for r in results)
    out["civilians_source"] = results[0]["casualties"]["civilians"].get("expected")
    return out


def _fmt(x, pct=False) -> str:
    if x is None:
        return "-"
    return f"{x * 100:.1f}%" if pct else (f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scenario", nargs="*", default=list(PHASES))
    args = ap.parse_args(argv)
    seeds = list(range(args.seed, args.seed + args.runs))
    print(f"seeds {seeds[0]}-{seeds[-1]}, {args.runs} run(s) a scenario")
    for sid in args.scenario:
        path = find_scenario(sid)
        results = simulate_many(path, seeds, jobs=args.jobs)
        f = figures(results, _history(path))
        print(f"\n{sid}: historical (winner and events on time) {_fmt(f['historical'], True)}; "
              f"the source's winner {_fmt(f['historical_winner'], True)}")
        for what, share in f["events_on_time"]:
            print(f"  on time {_fmt(share, True)}: {what}")
        print(f"  killed {_fmt(f['killed'])} against {_fmt(f['killed_source'])}: "
              f"x{_fmt(f['killed_ratio'])}; categories within x2: "
              f"{_fmt(f['categories_within_x2'], True)} of {f['categories']}")
        print(f"  captured and deserted {_fmt(f['captured_deserted'])}: "
              f"x{_fmt(f['missing_over_killed'])} the killed")
        print(f"  wounded {_fmt(f['wounded'])} ({_fmt(f['returned'])} back), shaken "
              f"{_fmt(f['shaken'])} ({_fmt(f['rallied'])} rallied)")
        print(f"  strikes: {_fmt(f['strikes_share_jihadist_killed'], True)} of the jihadists' "
              f"killed, {_fmt(f['strikes_share_civilians'], True)} of the civilians "
              f"({_fmt(f['civilians'])} against {_fmt(f['civilians_source'])})")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
