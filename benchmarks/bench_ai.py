#!/usr/bin/env python3
"""AI benchmarks: win rates against weaker players, thinking time, and whole phases played.

Prints figures; asserts nothing. Usage:

    python benchmarks/bench_ai.py [--seeds N] [--easy-seeds M] [--hard-seeds H] [--scenario ID ...]
                                  [--jobs J] [--skip-matches]

* the normal AI against a random-move player and against the easy AI, seat by seat, in pairs of
  games that differ only in who plays that seat. For each seed, one game has the normal AI on
  every side; for each side, another has the rival (random or easy) in that side's seat and
  the normal AI on the others. The normal AI beats its rival on the pair when its side ends
  the game better placed: it won where the rival did not, or lost where the rival drew or won,
  or, with the same result, held its side's objective towns for a larger share of the game (a
  town held at the start of each turn and at the end counts once each time, as victory points
  do in a delaying action: a garrison that holds Raqqa for nine turns before it falls has done
  better than one that loses it in two). It is a share of the turns the game lasted, not a
  count, because the other seats decide how long a game lasts: a side that keeps its towns to
  the end of an eight-turn game has held them no worse than one that keeps them to the end of
  eighteen. With those level, the side that keeps a larger share of the people left standing
  does better. So the figure is decided by the seat's own
  play, not by what two weak players on the other seats do to each other. The table gives the
  pairs won, level and lost, the share won with a 95% Wilson interval, and how often each
  player won the game outright from that seat. The same pairs are played against the hard AI,
  which should play at least as well as the normal one: there the normal AI's share of pairs
  won ought to be a half or less;
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
from game.victory import _held as held_by  # noqa: E402  (how victory counts towns held)

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


def players_for(sc, seed: int, seats: dict[str, str]) -> dict:
    """A player for every side: the level `seats` names for it ("random" for a random-move
    player), the normal AI where it names none."""
    players = {}
    for s in sc.sides:
        sid = s["id"]
        level = seats.get(sid, "normal")
        if level == "random":
            players[sid] = RandomPlayer(sid, MAP, RULES, seed)
        else:
            players[sid] = AIPlayer(sid, MAP, RULES, sc.setup["victory"], level, budget_s=None,
                                    plans=sc.setup.get("plans"))
    return players


def objective_towns(setup: dict, side: str) -> list[str]:
    """The towns `side`'s own victory conditions name, each once."""
    return list(dict.fromkeys(c for cond in setup.get("victory", []) if cond["side"] == side
                              for c in cond.get("cities", [])))


def score(state, setup: dict, side: str, town_turns: int, looks: int) -> tuple:
    """How well `side` ended a game, best first when sorted high to low: won (1), drawn (0) or
    lost (-1); then the share of the game it held the towns its own victory conditions name
    (`town_turns` of the `looks` counted by `match`, each look at every such town); then its
    share of the people left standing."""
    outcome = 1 if state.winner == side else (0 if state.winner is None else -1)
    own = sum(u.personnel for u in state.units.values() if state.factions[u.faction].side == side)
    total = sum(u.personnel for u in state.units.values())
    return (outcome, round(town_turns / looks, 6) if looks else 0.0,
            round(own / total, 6) if total else 0.0)


def match(args):
    """One game with the players `seats` gives (normal AI elsewhere); returns every side's
    score and, for each side, its worst turn of thinking in seconds."""
    path, seed, seats = args
    sc = load_scenario(path, MAP, RULES)
    game = Game(sc.setup, MAP, RULES, seed)
    players = players_for(sc, seed, dict(seats))
    sides = [s["id"] for s in sc.sides]
    towns = {sid: objective_towns(sc.setup, sid) for sid in sides}
    held = dict.fromkeys(sides, 0)
    looks = 0
    worst: dict[str, float] = {}
    turn = None
    while not game.state.over:
        if game.state.turn != turn:
            turn = game.state.turn
            looks += 1
            for sid in sides:
                held[sid] += held_by(game.state, sid, towns[sid])
        side = game.state.active_side
        st = play_turn(game, players[side])
        worst[side] = max(worst.get(side, 0.0), st.seconds)
    looks += 1
    for sid in sides:
        held[sid] += held_by(game.state, sid, towns[sid])
    return {sid: score(game.state, sc.setup, sid, held[sid], looks * len(towns[sid]))
            for sid in sides}, worst


def paired(pool, path, seeds: int, rival: str, base: list):
    """For every seed and seat: the game where the normal AI plays every side, against the game
    where `rival` takes that one seat and the normal AI keeps the others. The seat's normal AI
    beats its rival on the pair when it ends the game better placed (by `score`). `base` holds
    the all-normal games' results, seed 1 first. Returns the pairs won, level and lost, and the
    seats' win counts for each player."""
    sides = [s["id"] for s in load_scenario(path, MAP, RULES).sides]
    tasks = [(path, seed, ((seat, rival),)) for seed in range(1, seeds + 1) for seat in sides]
    other = pool.map(match, tasks)
    won = even = lost = normal_wins = rival_wins = 0
    for (path_, seed, seats), (scores, _) in zip(tasks, other):
        seat = seats[0][0]
        mine, theirs = base[seed - 1][0][seat], scores[seat]
        won += mine > theirs
        lost += mine < theirs
        even += mine == theirs
        normal_wins += mine[0] == 1
        rival_wins += theirs[0] == 1
    return won, even, lost, normal_wins, rival_wins


def whole_game(path, seed):
    sc = load_scenario(path, MAP, RULES)
    game = Game(sc.setup, MAP, RULES, seed)
    players = {s["id"]: AIPlayer(s["id"], MAP, RULES, sc.setup["victory"], budget_s=None,
                                 plans=sc.setup.get("plans"))
               for s in sc.sides}
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
    ap.add_argument("--easy-seeds", type=int, default=10)
    ap.add_argument("--hard-seeds", type=int, default=0)
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
    print(f"{'scenario':28s} {'against':8s} {'pairs':>5s} {'won':>4s} {'even':>4s} {'lost':>4s} "
          f"{'beats':>6s}  95% interval  {'normal wins':>11s} {'rival wins':>10s}")
    with mp.get_context("fork").Pool(args.jobs) as pool:
        for path in paths:
            most = max(args.seeds, args.easy_seeds, args.hard_seeds)
            base = pool.map(match, [(path, seed, ()) for seed in range(1, most + 1)])
            for rival, seeds in (("random", args.seeds), ("easy", args.easy_seeds),
                                 ("hard", args.hard_seeds)):
                if seeds < 1:
                    continue
                won, even, lost, nw, rw = paired(pool, path, seeds, rival, base)
                n = won + even + lost
                lo, hi = wilson(won, n)
                print(f"{path.stem:28s} {rival:8s} {n:5d} {won:4d} {even:4d} {lost:4d} {won / n:6.1%}  "
                      f"{lo:5.1%}-{hi:5.1%}  {nw / n:11.1%} {rw / n:10.1%}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
