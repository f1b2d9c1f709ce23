"""Headless play: a scenario played AI against AI with no window, for study and for tests.

Engine layer. ``simulate_one`` plays one seeded game and returns a JSON-ready summary: the
winner, turns, who holds the objectives, the casualties in the source's categories and by
coalition nation, civilians, aircraft and ships lost, the AI's thinking time per turn and the
final checksum, and the source's dated events set beside the game's (``game.history``) with
whether the run was historical: the source's winner, and every defining event on time.
``summarise`` sets several runs beside the historical outcome.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import statistics
import time
from pathlib import Path

from game.ai import ai_players, play_turn
from game.commands import Game
from game.hexmap import default_map
from game.history import date_words, historical, judge
from game.ledger import ledger_json, phase_table
from game.rules import default_rules
from game.saves import save_game
from game.scenario import load_scenario


def objectives(setup: dict) -> list[str]:
    out = []
    for cond in setup.get("victory", []):
        for c in cond.get("cities", []):
            if c not in out:
                out.append(c)
    return out


def simulate_one(
    scenario_path,
    seed: int,
    difficulty: str = "normal",
    turns: int | None = None,
    save: str | Path | None = None,
    progress=None,
    options: dict[str, bool] | None = None,
) -> dict:
    hexmap, rules = default_map(), default_rules()
    sc = load_scenario(scenario_path, hexmap, rules, options)
    game = Game(sc.setup, hexmap, rules, seed)
    # The game's own map: the scenario's terrain changes are painted on it.
    players = ai_players(sc, game, rules, difficulty)
    last_turn = sc.turns if turns is None else min(turns, sc.turns)
    per_turn: dict[int, float] = {}
    refused: list[str] = []
    t0 = time.perf_counter()
    while not game.state.over and game.state.turn <= last_turn:
        turn = game.state.turn
        stats = play_turn(game, players[game.state.active_side])
        per_turn[turn] = per_turn.get(turn, 0.0) + stats.seconds
        refused += stats.refused
        if progress is not None and game.state.turn != turn:
            progress(turn)
        if game.state.turn > last_turn or (game.state.turn == last_turn and game.state.over):
            break
    wall = time.perf_counter() - t0
    st = game.state
    table = phase_table(st, sc.setup)
    led = ledger_json(table)
    if save is not None:
        save_game(game, save)
    times = list(per_turn.values()) or [0.0]
    events = judge(sc.setup, st)
    return {
        "scenario": sc.id,
        "seed": seed,
        "difficulty": difficulty,
        # Every switch's setting, and those turned from the source's history.
        "options": dict(sc.settings),
        "departs_from_history": [o.id for o in sc.options if sc.settings[o.id] != o.default],
        "winner": st.winner,
        "result": st.result or ("unfinished" if not st.over else ""),
        # Turns played: a game stopped by --turns stands at the start of the next one.
        "turns": st.turn if st.over else st.turn - 1,
        "date": st.date.isoformat(),
        "objectives": {c: st.city_owner.get(c) for c in objectives(sc.setup)},
        "casualties": led,
        "civilians": sum(st.civilians.values()),
        "aircraft_lost": sum(v for f in st.equipment_lost.values() for k, v in f.items() if "aircraft" in k),
        "ships_lost": sum(f.get("warships", 0) for f in st.equipment_lost.values()),
        "ai_seconds_per_turn": {"median": round(statistics.median(times), 4), "max": round(max(times), 4)},
        "seconds": round(wall, 2),
        "refused": len(refused),
        "events": list(st.fired),
        "history": events,
        "historical": historical(sc.setup, st, events),
        "checksum": game.checksum(),
    }


def _run(args, progress=None):
    path, seed, difficulty, turns, save, options = args
    return simulate_one(path, seed, difficulty, turns, save, progress, options)


def simulate_many(
    scenario_path,
    seeds: list[int],
    difficulty: str = "normal",
    turns: int | None = None,
    jobs: int = 1,
    save=None,
    on_result=None,
    on_turn=None,
    options: dict[str, bool] | None = None,
) -> list[dict]:
    """Play the seeds; ``on_result`` hears of each finished game, ``on_turn`` of each turn
    played (in this process only: with several jobs, games report when they end)."""
    tasks = []
    for seed in seeds:
        target = None
        if save is not None:
            target = (
                Path(save)
                if len(seeds) == 1
                else Path(save).with_name(f"{Path(save).stem}-{seed}{Path(save).suffix}")
            )
        tasks.append((str(scenario_path), seed, difficulty, turns, target, options))
    results = []
    if jobs > 1 and len(tasks) > 1:
        with mp.get_context("fork").Pool(jobs) as pool:
            for res in pool.imap(_run, tasks):
                results.append(res)
                if on_result:
                    on_result(res)
    else:
        for t in tasks:
            res = _run(t, on_turn)
            results.append(res)
            if on_result:
                on_result(res)
    return results


def summarise(results: list[dict], history: dict) -> str:
    """The spread of several runs beside what happened in the source."""
    n = len(results)
    lines = []
    winners: dict[str, int] = {}
    for r in results:
        winners[str(r["winner"])] = winners.get(str(r["winner"]), 0) + 1
    lines.append(f"{n} run{'s' if n != 1 else ''} of {results[0]['scenario']}")
    lines.append(
        "winners: "
        + ", ".join(f"{w} {c}/{n}" for w, c in sorted(winners.items(), key=lambda x: -x[1]))
        + f"   (history: {history.get('winner') or 'no winner'})"
    )
    if "historical" in results[0] and (history.get("winner") or history.get("events")):
        lines += history_lines(results)
    if history.get("outcome"):
        lines.append(f"history: {history['outcome'].strip()}")
    objs = results[0]["objectives"]
    if objs:
        lines.append("objectives held at the end (share of runs):")
        for c in objs:
            owners: dict[str, int] = {}
            for r in results:
                o = str(r["objectives"][c])
                owners[o] = owners.get(o, 0) + 1
            lines.append(f"  {c:16s} " + ", ".join(f"{o} {k}/{n}" for o, k in owners.items()))
    hist = results[0]["casualties"].get("historical") or {}
    scale = hist.get("scale") or 1.0
    lines.append(
        "casualties (median, 10th-90th percentile over runs, beside the source"
        + (
            f": {hist.get('title', 'its figures')} x{scale:.3g}, the share of the war's "
            "days the scenario covers"
            if scale != 1.0
            else ""
        )
        + "):"
    )
    rows = results[0]["casualties"]["categories"]
    for i, cat in enumerate(rows):
        vals = sorted(r["casualties"]["categories"][i]["game"] for r in results)
        med = statistics.median(vals)
        lo = vals[int(0.1 * (n - 1))]
        hi = vals[int(0.9 * (n - 1))]
        fig = cat.get("expected")
        fig = None if fig is None else round(fig)
        lines.append(
            f"  {cat['label'][:44]:44s} {med:>9,.0f}  ({lo:,}-{hi:,})   source {fig:,}"
            if fig is not None
            else f"  {cat['label'][:44]:44s} {med:>9,.0f}  ({lo:,}-{hi:,})"
        )
    mil = sorted(r["casualties"]["military"]["game"] for r in results)
    fig = results[0]["casualties"]["military"].get("expected")
    fig = None if fig is None else round(fig)
    lines.append(
        f"  {'Military dead':44s} {statistics.median(mil):>9,.0f}  ({mil[0]:,}-{mil[-1]:,})"
        + (f"   source {fig:,}" if fig is not None else "")
    )

    def row(label: str, values) -> None:
        vals = sorted(values)
        lines.append(f"  {label:44s} {statistics.median(vals):>9,.0f}  ({vals[0]:,}-{vals[-1]:,})")

    causes = [r["casualties"].get("by_cause", {}) for r in results]
    flows = [r["casualties"].get("manpower", {}) for r in results]
    row("Captured (alive, not above)", (c.get("captured", 0) for c in causes))
    row("Deserted (alive, not above)", (c.get("deserted", 0) for c in causes))
    row("Wounded", (f.get("wounded", 0) for f in flows))
    row("  back in the line", (f.get("returned", 0) for f in flows))
    row("  lost to the war (alive, not above)", (c.get("wounded", 0) for c in causes))
    row("Shaken (out of the fight for a turn or two)", (f.get("shaken", 0) for f in flows))
    row(
        "Killed by air and naval strikes",
        (c.get("air strikes", 0) + c.get("naval strikes", 0) for c in causes),
    )
    lines.append(
        "by faction (median over runs): killed; wounded (back in the line); shaken "
        "(rallied); taken prisoner; deserted"
    )
    names: dict[str, str] = {}
    for r in results:
        for fid, f in r["casualties"]["factions"].items():
            names.setdefault(fid, f["name"])
    for fid, name in names.items():
        books = [r["casualties"]["factions"].get(fid, {}) for r in results]

        def med(get) -> int:
            return int(statistics.median(get(b) for b in books))  # noqa: B023 (used in this pass)

        k = med(lambda b: b.get("killed", 0))
        w = med(lambda b: b.get("manpower", {}).get("wounded", 0))
        back = med(lambda b: b.get("manpower", {}).get("returned", 0))
        sh = med(lambda b: b.get("manpower", {}).get("shaken", 0))
        rallied = med(lambda b: b.get("manpower", {}).get("rallied", 0))
        taken = med(lambda b: b.get("by_cause", {}).get("captured", 0))
        fled = med(lambda b: b.get("by_cause", {}).get("deserted", 0))
        if k or w or sh or taken or fled:
            lines.append(
                f"  {name[:30]:30s} {k:>8,}; {w:>8,} ({back:,}); {sh:>9,} ({rallied:,}); {taken:,}; {fled:,}"
            )
    civ = sorted(r["civilians"] for r in results)
    lines.append(f"  {'Civilians':44s} {statistics.median(civ):>9,.0f}  ({civ[0]:,}-{civ[-1]:,})")
    secs = [r["ai_seconds_per_turn"]["median"] for r in results]
    worst = max(r["ai_seconds_per_turn"]["max"] for r in results)
    lines.append(
        f"AI thinking per turn: median {statistics.median(secs):.3f} s, worst {worst:.3f} s; "
        f"a game took {statistics.median([r['seconds'] for r in results]):.1f} s"
    )
    return "\n".join(lines)


def history_lines(results: list[dict]) -> list[str]:
    """How many runs were historical, and each of the source's dated events beside the runs':
    how often on time, the game's median date with its 10th-90th percentile spread, and the
    source's date."""
    n = len(results)
    k = sum(bool(r["historical"]) for r in results)
    lines = [f"historical (winner and defining events on time): {k}/{n}"]
    width = min(56, max([len(row["what"]) for row in results[0]["history"]] + [10]))
    for i, row in enumerate(results[0]["history"]):
        rows = [r["history"][i] for r in results]
        on_time = sum(x["on_time"] for x in rows)
        seen = sorted(dt.date.fromisoformat(x["game"]).toordinal() for x in rows if x["game"])
        never = n - len(seen)
        if seen:
            m = len(seen)
            day = lambda o: date_words(dt.date.fromordinal(int(o)).isoformat())  # noqa: E731
            lo, hi = seen[int(0.1 * (m - 1))], seen[int(0.9 * (m - 1))]
            when = f"game {day(statistics.median_low(seen))}" + (
                f" ({day(lo)} - {day(hi)})" if hi > lo else ""
            )
            if never:
                when += f", never in {never}/{n}"
        else:
            when = "never in the game"
        lines.append(
            f"  {row['what'][:width]:{width}s}  on time {on_time}/{n}; {when}; source "
            f"{date_words(row['source'])}" + ("" if row["defining"] else " (not defining)")
        )
    return lines
