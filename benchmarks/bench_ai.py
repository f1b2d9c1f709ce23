#!/usr/bin/env python3
"""AI benchmarks: win rates against weaker players, thinking time, and whole phases played.

Prints figures; asserts nothing. Usage:

    python benchmarks/bench_ai.py [--seeds N] [--scenario ID ...] [--jobs J]

* normal AI against a random-move player on each scenario: the share of seeded games the
  normal AI's side wins, playing each side in turn, with a 95% Wilson interval;
* normal AI against the easy AI, in pairs of games: for each seed and side, one game with the
  normal AI on that side and the easy AI on the others, and one the other way round. The
  normal AI beats the easy one in a pair when its side wins where the easy AI's did not (and
  loses it the other way); the table gives the pairs won, drawn and lost and each level's win
  rate on the same seats;
* seconds of AI thinking per turn (all AI sides of a turn together), median and worst;
* seconds to play each scenario through, AI against AI.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.ai import AIPlayer, RandomPlayer, play_turn  # noqa: E402
from game.commands import Game  # noqa: E402
from game.hexmap import HexMap  # noqa: E402
from game.rules import default_rules  # noqa: E402
from game.scenario import bundled_paths, find_scenario, load_scenario  # noqa: E402

MAP = HexMap.load()
RULES = default_rules()


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    z = 1.96
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def match(args):
    """One game: `level` (normal unless given) plays `hero`; the other sides are `foe` players."""
    path, seed, hero, foe = args[:4]
    level = args[4] if len(args) > 4 else "normal"
    sc = load_scenario(path, MAP, RULES)
    game = Game(sc.setup, MAP, RULES, seed)
    players = {}
    for s in sc.sides:
        sid = s["id"]
        if sid == hero:
            players[sid] = AIPlayer(sid, MAP, RULES, sc.setup["victory"], level)
        elif foe == "random":
            players[sid] = RandomPlayer(sid, MAP, RULES, seed)
        else:
            players[sid] = AIPlayer(sid, MAP, RULES, sc.setup["victory"], foe)
    per_turn: dict[int, float] = {}
    while not game.state.over:
        turn, side = game.state.turn, game.state.active_side
        st = play_turn(game, players[side])
        if side == hero:
            per_turn[turn] = per_turn.get(turn, 0.0) + st.seconds
    return game.state.winner == hero, game.state.winner, max(per_turn.values(), default=0.0)


def whole_game(path, seed):
    sc = load_scenario(path, MAP, RULES)
    game = Game(sc.setup, MAP, RULES, seed)
    players = {s["id"]: AIPlayer(s["id"], MAP, RULES, sc.setup["victory"]) for s in sc.sides}
    per_turn: dict[int, float] = {}
    t0 = time.perf_counter()
    while not game.state.over:
        turn = game.state.turn
        st = play_turn(game, players[game.state.active_side])
        per_turn[turn] = per_turn.get(turn, 0.0) + st.seconds
    return time.perf_counter() - t0, list(per_turn.values()), game.state.turn, len(game.state.units)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--scenario", nargs="*")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-matches", action="store_true")
    args = ap.parse_args()
    paths = [find_scenario(s) for s in args.scenario] if args.scenario else bundled_paths()
    for name, path in zip(args.scenario or [], paths):
        if path is None:
            ap.error(f"no scenario {name!r}: give a bundled scenario's id or a .toml file")
    print(f"{'scenario':28s} {'turns':>5s} {'units':>5s} {'game s':>7s} {'AI s/turn med':>13s} {'worst':>6s}")
    for path in paths:
        secs, turns, n_turns, n_units = whole_game(path, 1)
        print(f"{path.stem:28s} {n_turns:5d} {n_units:5d} {secs:7.1f} {statistics.median(turns):13.3f} "
              f"{max(turns):6.3f}")
    if args.skip_matches:
        return 0
    print()
    print(f"{'scenario':28s} {'normal vs random':16s} {'games':>5s} {'won':>5s} {'rate':>6s}  95% interval")
    with mp.get_context("fork").Pool(args.jobs) as pool:
        for path in paths:
            sides = [s["id"] for s in load_scenario(path, MAP, RULES).sides]
            tasks = [(path, seed, hero, "random") for seed in range(1, args.seeds + 1) for hero in sides]
            results = pool.map(match, tasks)
            won = sum(r[0] for r in results)
            lo, hi = wilson(won, len(results))
            print(f"{path.stem:28s} {'':16s} {len(results):5d} {won:5d} {won / len(results):6.1%}  "
                  f"{lo:.1%}-{hi:.1%}")
        print()
        print(f"{'scenario':28s} {'normal vs easy':14s} {'pairs':>5s} {'won':>4s} {'even':>4s} {'lost':>4s} "
              f"{'normal wins':>11s} {'easy wins':>9s}")
        for path in paths:
            sides = [s["id"] for s in load_scenario(path, MAP, RULES).sides]
            seats = [(seed, hero) for seed in range(1, args.seeds + 1) for hero in sides]
            strong = pool.map(match, [(path, seed, hero, "easy", "normal") for seed, hero in seats])
            weak = pool.map(match, [(path, seed, hero, "normal", "easy") for seed, hero in seats])
            won = sum(a[0] and not b[0] for a, b in zip(strong, weak))
            lost = sum(b[0] and not a[0] for a, b in zip(strong, weak))
            n = len(seats)
            print(f"{path.stem:28s} {'':14s} {n:5d} {won:4d} {n - won - lost:4d} {lost:4d} "
                  f"{sum(a[0] for a in strong) / n:11.1%} {sum(b[0] for b in weak) / n:9.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
