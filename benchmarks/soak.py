#!/usr/bin/env python3
"""Soak: seeded AI games over every bundled scenario, checked after every command.

Prints figures; asserts nothing. Usage:

    python benchmarks/soak.py [--games N] [--jobs J] [--turns T] [--seed S] [--timeout SECONDS]
                              [--difficulty easy|normal|hard] [--scenario ID ...]

Game K plays the bundled scenarios (``scenarios/*.toml`` and ``scenarios/examples/*.toml``)
in rotation, scenario K modulo their number, with seed S + K, AI against AI on every side (no
clock, so a game is the same on any machine), for the first T turns (default 4). Checked:

* after every command, that every faction's casualty books balance: the people who came (at
  the start, arrived, transferred in) are all accounted for, fit, wounded and shaken in its
  units, lost by every cause, withdrawn or transferred out (``balance`` of
  ``tests/test_casualties.py``, the suite's own check), with no unit below zero;
* after every turn, the rules' invariants of ``tests/test_determinism.py``: no unit off the
  map, on terrain it may not enter, in a country its faction may not enter, no two sides'
  ground units in one hex, no stack over the limit;
* that no command the AI gave was refused, and that nothing raised an exception.

Prints the games, turns and commands played, the time a game of each scenario took (and so
how long 1,000 games take with these jobs), and every failure with its scenario, seed, turn
and side, grouped. A game over ``--timeout`` seconds (default 900) is stopped and counted.

Exit status 0 whatever the games did (this prints figures); 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pool  # noqa: E402
from fuzzing import SCENARIO_FILES, where_in_game  # noqa: E402
from test_casualties import balance  # noqa: E402  (the suite's check of the books)
from test_determinism import check_invariants  # noqa: E402  (the suite's rules invariants)

from game.ai import AIPlayer, play_turn  # noqa: E402
from game.commands import Game  # noqa: E402
from game.hexmap import HexMap  # noqa: E402
from game.rules import default_rules  # noqa: E402
from game.scenario import load_scenario  # noqa: E402

CTX: dict = {}


def play_game(task, report) -> dict:
    k, path, seed = task
    hexmap, rules = CTX["map"], CTX["rules"]
    res = {"game": k, "scenario": Path(path).stem, "seed": seed, "turns": 0, "commands": 0,
           "refused": [], "books": None, "invariant": None, "error": None, "seconds": 0.0}
    t0, c0 = time.perf_counter(), time.process_time()
    where = {"turn": 0, "side": "", "command": 0, "kind": "set-up"}
    try:
        sc = load_scenario(path, hexmap, rules)
        game = Game(sc.setup, hexmap, rules, seed)
        players = {s["id"]: AIPlayer(s["id"], game.hexmap, rules, sc.setup["victory"],
                                     CTX["difficulty"], budget_s=None,
                                     plans=sc.setup.get("plans")) for s in sc.sides}
        execute = game.execute

        def checked(cmd, undoable=True):
            out = execute(cmd, undoable)
            res["commands"] += 1
            where.update(turn=game.state.turn, command=res["commands"], kind=cmd.kind)
            if res["books"] is None:
                try:
                    bad = balance(game.state)
                except AssertionError as exc:  # a unit below zero
                    bad = {"units": str(exc)}
                if bad:
                    res["books"] = {"turn": where["turn"], "side": where["side"],
                                    "command": res["commands"], "kind": cmd.kind,
                                    "came_vs_accounted": {f: list(v) if isinstance(v, tuple)
                                                          else v for f, v in bad.items()}}
            return out

        game.execute = checked
        bad = balance(game.state)
        if bad:
            res["books"] = {"turn": 0, "side": "", "command": 0, "kind": "at the start",
                            "came_vs_accounted": {f: list(v) for f, v in bad.items()}}
        last = min(CTX["turns"], sc.turns)
        while not game.state.over and game.state.turn <= last:
            where["side"] = side = game.state.active_side
            turn = game.state.turn
            stats = play_turn(game, players[side])
            res["refused"] += [{"turn": turn, "side": side, "reason": r} for r in stats.refused]
            if res["invariant"] is None:
                try:
                    check_invariants(game)
                except AssertionError as exc:
                    res["invariant"] = {"turn": turn, "side": side, "what": str(exc)}
            res["turns"] = turn
            report(dict(res, seconds=time.perf_counter() - t0))
    except Exception as exc:  # noqa: BLE001 - what the soak is for
        res["error"] = {"turn": where["turn"], "side": where["side"], "command": where["command"],
                        "kind": where["kind"], "what": f"{type(exc).__name__}: {str(exc)[:200]}",
                        "where": where_in_game(exc),
                        "trace": "".join(traceback.format_exception(exc))[-3000:]}
    res["seconds"] = time.perf_counter() - t0
    res["cpu"] = time.process_time() - c0
    return res


def scenario_files(names: list[str] | None) -> list[Path]:
    if not names:
        return list(SCENARIO_FILES)
    out = []
    for n in names:
        found = [p for p in SCENARIO_FILES if n in (p.stem, p.name, str(p))]
        if not found:
            raise SystemExit(f"soak: no bundled scenario {n!r} (one of "
                             f"{', '.join(p.stem for p in SCENARIO_FILES)})")
        out += found
    return out


def report_lines(results: list[dict], files: list[Path], jobs: int, wall: float) -> list[str]:
    n = len(results)
    turns = sum(r["turns"] for r in results)
    commands = sum(r["commands"] for r in results)
    lines = [f"soak: {n} games, {turns} turns, {commands:,} commands, {CTX['turns']} turns a "
             f"game at most, {jobs} job{'s' if jobs != 1 else ''}, {wall:.0f} s"]
    failed = {"exception": [r for r in results if r["error"]],
              "refused": [r for r in results if r["refused"]],
              "books": [r for r in results if r["books"]],
              "invariant": [r for r in results if r["invariant"]],
              "timed out": [r for r in results if r.get("timed_out")]}
    lines.append(f"games with an exception: {len(failed['exception'])}; with AI commands "
                 f"refused: {len(failed['refused'])} ({sum(len(r['refused']) for r in results)} "
                 f"commands); with books that do not balance: {len(failed['books'])}; breaking "
                 f"a rules invariant: {len(failed['invariant'])}; timed out: "
                 f"{len(failed['timed out'])}")
    by_sc: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for r in results:
        if not r.get("timed_out") and "cpu" in r:
            by_sc[r["scenario"]].append((r["seconds"], r["cpu"]))
    lines.append("a game of each scenario: seconds of processor time (and of the clock, which "
                 "counts the wait for a busy machine's processor), mean over its games:")
    for p in files:
        got = by_sc.get(p.stem)
        if got:
            lines.append(f"  {p.stem:32s} {statistics.mean(c for _, c in got):7.1f}  "
                         f"({statistics.mean(w for w, _ in got):.1f})  {len(got)} games")
    means = [statistics.mean(c for _, c in by_sc[p.stem]) for p in files if by_sc.get(p.stem)]
    if means:
        per_game = statistics.mean(means)
        lines.append(f"so 1,000 games in rotation take about {1000 * per_game / jobs / 60:.0f} "
                     f"minutes with {jobs} job{'s' if jobs != 1 else ''}, each with a processor "
                     f"of its own")
    groups: dict[tuple, list] = defaultdict(list)
    for r in failed["exception"]:
        e = r["error"]
        groups[("exception", e["what"].split(":")[0], e["where"])].append((r, e))
    for r in failed["books"]:
        groups[("books", r["scenario"], "")].append((r, r["books"]))
    for r in failed["invariant"]:
        what = re.sub(r"\d+|'[^']*'|\([^)]*\)", "_", r["invariant"]["what"].split(" ", 1)[-1])
        groups[("invariant", what[:60], "")].append((r, r["invariant"]))
    for r in failed["refused"]:
        for x in r["refused"][:1]:
            groups[("refused", x["reason"].split(":")[0], "")].append((r, x))
    for r in failed["timed out"]:
        groups[("timed out", r["scenario"], "")].append((r, {"turn": r["turns"], "side": ""}))
    if groups:
        lines.append("failures (count, what; then up to 5 games: scenario, seed, turn, side):")
        for key, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"  {len(items):5d}  {' '.join(k for k in key if k)}")
            for r, x in items[:5]:
                detail = x.get("what") or x.get("reason") or x.get("came_vs_accounted") or ""
                lines.append(f"         {r['scenario']} seed {r['seed']} turn {x.get('turn')} "
                             f"{x.get('side', '')}: {str(detail)[:140]}")
    else:
        lines.append("failures: none")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--games", type=int, default=24)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--turns", type=int, default=4, help="turns a game at most")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds a game may take")
    ap.add_argument("--difficulty", default="normal", choices=("easy", "normal", "hard"))
    ap.add_argument("--scenario", nargs="*", help="bundled scenarios to play (default: all)")
    args = ap.parse_args(argv)
    if args.games < 1 or args.jobs < 1 or args.turns < 1 or args.timeout <= 0:
        ap.error("--games, --jobs and --turns must be 1 or more, --timeout more than 0")
    files = scenario_files(args.scenario)
    CTX.update(map=HexMap.load(), rules=default_rules(), turns=args.turns,
               difficulty=args.difficulty)
    tasks = [(k, str(files[k % len(files)]), args.seed + k) for k in range(args.games)]
    t0 = time.perf_counter()
    results = []
    step = max(1, len(tasks) // 10)
    for (k, path, seed), res, seconds in pool.run(tasks, play_game, args.jobs, args.timeout):
        if isinstance(res, tuple):
            status, part = res
            res = dict(part) if part else {"game": k, "scenario": Path(path).stem, "seed": seed,
                                           "turns": 0, "commands": 0, "refused": [],
                                           "books": None, "invariant": None, "error": None}
            res["seconds"] = seconds
            if status == pool.TIMED_OUT:
                res["timed_out"] = True
            else:
                res["error"] = {"turn": res["turns"], "side": "", "what": "the process died",
                                "where": "", "command": 0, "kind": ""}
        results.append(res)
        if len(results) % step == 0:
            print(f"  ... {len(results)}/{len(tasks)} games, {time.perf_counter() - t0:.0f} s",
                  file=sys.stderr, flush=True)
    wall = time.perf_counter() - t0
    results.sort(key=lambda r: r["game"])
    print("\n".join(report_lines(results, files, args.jobs, wall)))
    traces = Counter()
    for r in results:
        if r["error"] and r["error"].get("trace") and traces[r["error"]["where"]] == 0:
            traces[r["error"]["where"]] += 1
            print(f"\n{r['scenario']} seed {r['seed']}:\n{r['error']['trace']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
