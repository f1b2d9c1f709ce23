"""Benchmarks: named timings of the engine's hot paths, each beside its target.

Engine layer (no pygame); run by ``mesopotamia bench``. Each figure is timed several times and
reported as median and max in milliseconds, with the first (cold) run apart, the number of
runs and the target, so a reader can compare at a glance (``target_max``, where there is one,
holds the worst run). Figures whose code is not written yet are reported with ``median: null``
and a note instead of failing. A figure measured against a floor, the least the same work costs
(scipy's own search on the same graph, a bare blit), carries ``floor_ms``, ``floor_what`` and
``ratio``. ``peak_rss_mb`` is memory, in megabytes, of a campaign played in a child process.

The figures run on a big game built here, on the real map: about 300 units of 15 factions on
three sides, spread over Iraq and Syria around the towns each faction held, each on a land hex
its type may enter (``bench_setup``, ``bench_game``). Later figures (combat, AI, fog) should use
the same game: add a function ``_figure_xxx(ctx, quick) -> dict`` and list it in ``FIGURES``.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from game import supply as supply_module
from game.ai import AIPlayer, play_turn
from game.air import AirMission, air_range
from game.combat import preview_attack, resolve_attack
from game.commands import Context, Game
from game.hexgrid import Hex, hex_range
from game.hexmap import DESERT, STEPPE, HexMap, default_map
from game.movement import (
    WAR_ZONE,
    allowed_countries,
    cost_array,
    map_graph,
    movement_range,
    obstacles_for,
)
from game.rules import Rules, default_rules
from game.saves import load_game, save_game
from game.scenario import bundled_paths, find_scenario, load_scenario
from game.scenario.validate import build
from game.simulate import simulate_one
from game.state import Unit
from game.supply import supply_maps
from game.visibility import side_view, visible_units

BENCH_SEED = 2014

# faction id -> (side, bases, number of units, unit type mix, anchor towns)
_FACTIONS = {
    "isis": (
        "jihadist",
        [],
        60,
        ["militia", "militia", "militia", "infantry", "mechanized", "artillery", "headquarters"],
        [
            "raqqa",
            "deir-ez-zor",
            "mosul",
            "fallujah",
            "ramadi",
            "al-qaim",
            "tabqa",
            "mayadin",
            "abu-kamal",
            "hit",
            "palmyra",
            "tal-afar",
        ],
    ),
    "hts": (
        "jihadist",
        [],
        15,
        ["militia", "militia", "infantry", "mechanized"],
        ["idlib", "jisr-al-shughur"],
    ),
    "hurras": ("jihadist", [], 8, ["militia"], ["jisr-al-shughur", "idlib"]),
    "iraq": (
        "baathist",
        [],
        40,
        [
            "infantry",
            "infantry",
            "mechanized",
            "armour",
            "artillery",
            "headquarters",
            "special_forces",
            "air_wing",
        ],
        ["baghdad", "samarra", "tikrit", "baiji", "kut", "basra", "najaf", "haditha"],
    ),
    "pmf": (
        "baathist",
        [],
        25,
        ["militia", "militia", "infantry", "mechanized"],
        ["karbala", "hillah", "baqubah", "tuz-khurmatu", "diwaniyah"],
    ),
    "assad": (
        "baathist",
        [],
        45,
        [
            "infantry",
            "infantry",
            "mechanized",
            "armour",
            "artillery",
            "air_defence",
            "headquarters",
            "air_wing",
        ],
        ["damascus", "homs", "hama", "latakia", "aleppo", "daraa", "suwayda", "salamiyah"],
    ),
    "hezbollah": (
        "baathist",
        ["LBN"],
        10,
        ["infantry", "militia", "special_forces"],
        ["qusayr", "quneitra", "douma"],
    ),
    "iran": (
        "baathist",
        ["IRN"],
        8,
        ["special_forces", "militia", "artillery"],
        ["khanaqin", "amarah", "salamiyah"],
    ),
    "russia": (
        "baathist",
        [],
        8,
        ["air_wing", "special_forces", "artillery", "air_defence"],
        ["latakia", "tartus", "palmyra"],
    ),
    "kurds": (
        "coalition",
        [],
        30,
        ["infantry", "infantry", "militia", "artillery", "headquarters"],
        ["erbil", "duhok", "sulaymaniyah", "kirkuk", "zakho", "halabja", "sinjar"],
    ),
    "sdf": (
        "coalition",
        [],
        25,
        ["infantry", "militia", "militia", "mechanized"],
        ["hasakah", "qamishli", "kobani", "manbij", "tal-abyad", "ras-al-ain"],
    ),
    "us": (
        "coalition",
        ["TUR", "KWT", "JOR"],
        10,
        ["special_forces", "air_wing", "artillery", "mechanized"],
        ["erbil", "hasakah", "rutba", "kuwait-city"],
    ),
    "france": ("coalition", ["JOR"], 4, ["special_forces", "air_wing"], ["erbil", "amman"]),
    "turkey": (
        "coalition",
        ["TUR"],
        8,
        ["armour", "mechanized", "infantry", "artillery"],
        ["azaz", "jarabulus", "al-bab", "gaziantep"],
    ),
    "fsa": ("coalition", [], 4, ["militia"], ["azaz", "al-bab"]),
}
_SIDES = [("jihadist", "Jihadists"), ("baathist", "Ba'athists"), ("coalition", "Coalition")]
_PERSONNEL = {
    "militia": 1500,
    "infantry": 4000,
    "mechanized": 2500,
    "armour": 2000,
    "artillery": 800,
    "headquarters": 300,
    "special_forces": 300,
    "air_defence": 500,
    "air_wing": 1500,
    "naval_group": 2000,
}
# What an air wing or a naval group cannot do without.
_EQUIPMENT = {"air_wing": {"combat aircraft": 20}, "naval_group": {"warships": 4}}


def bench_setup(hexmap: HexMap, rules: Rules | None = None, seed: int = BENCH_SEED) -> dict:
    """A setup of about 300 units of 15 factions on three sides, on the real map."""
    rules = rules or default_rules()
    rng = np.random.default_rng(seed)
    jihadists = [f for f, spec in _FACTIONS.items() if spec[0] == "jihadist"]
    others = [f for f in _FACTIONS if f not in jihadists]
    at_war = [[j, o] for j in jihadists for o in others]
    at_war += [[b, "fsa"] for b in ("assad", "hezbollah", "iran", "russia")]
    at_war += [["assad", "sdf"], ["turkey", "pmf"]]
    cities: dict[str, str] = {}
    for fid, (_, _, _, _, anchors) in _FACTIONS.items():
        for cid in anchors:
            city = hexmap.find_city(cid)
            if city is not None and city.id not in cities and city.country in WAR_ZONE:
                cities[city.id] = fid
    taken: set[Hex] = set()
    flying: set[Hex] = set()  # air wings stand at air bases, one to a hex, beside ground units
    units = []
    for fid, (side, bases, count, mix, anchors) in _FACTIONS.items():
        allowed = set(WAR_ZONE) | set(bases)
        centres = [hexmap.city_by_id(a).hex for a in anchors]
        # An air wing's bases: the towns its side holds, and the countries it may base in.
        towns = {hexmap.city_by_id(c).hex for c, f in cities.items() if _FACTIONS[f][0] == side}

        def at_base(h: Hex, towns=towns, bases=bases) -> bool:
            return h in towns or hexmap.country_at(h) in bases

        for k in range(count):
            type_id = mix[k % len(mix)]
            ut = rules.unit_type(type_id)
            if ut.category == "air":
                h = _free_hex(hexmap, centres[k % len(centres)], ut, allowed, flying, rng, at_base)
                flying.add(h)
            else:
                h = _free_hex(hexmap, centres[k % len(centres)], ut, allowed, taken | flying, rng)
                taken.add(h)
            unit = {
                "id": f"{fid}-{k + 1:03d}",
                "type": type_id,
                "faction": fid,
                "hex": [h.q, h.r],
                "personnel": _PERSONNEL.get(type_id, 1000),
            }
            if type_id in _EQUIPMENT:
                unit["equipment"] = dict(_EQUIPMENT[type_id])
            units.append(unit)
    return {
        "id": "bench-300",
        "title": "Benchmark: 300 units across Iraq and Syria",
        "start_date": "2016-01-01",
        "turn_days": 7,
        "turns": 50,
        "sides": [{"id": s, "name": n} for s, n in _SIDES],
        "factions": [
            {"id": f, "name": f, "side": spec[0], "bases": list(spec[1]), "supply_crossings": list(spec[1])}
            for f, spec in _FACTIONS.items()
        ],
        "at_war": at_war,
        "cities": cities,
        "units": units,
    }


def _free_hex(hexmap: HexMap, centre: Hex, ut, allowed, taken: set[Hex], rng, base=None) -> Hex:
    """The nearest free hex around a town the unit may stand on (and, given ``base``, one it
    may be based at), picked at random per ring."""
    for radius in range(0, 40):
        ring = [h for h in hex_range(centre, radius) if centre.distance(h) == radius]
        order = rng.permutation(len(ring))
        for i in order:
            h = ring[int(i)]
            if h in taken or not hexmap.in_bounds(h):
                continue
            if hexmap.terrain_at(h) not in ut.enters:
                continue
            country = hexmap.country_at(h)
            if country is None or (ut.is_ground and country not in allowed):
                continue  # every unit on land; ground units where their faction may go
            if base is not None and not base(h):
                continue
            return h
    raise ValueError(f"no free hex near {centre}")


def crowded(
    data: dict, hexmap: HexMap, rules: Rules | None = None, copies: int = 3, seed: int = BENCH_SEED
) -> dict:
    """A scenario's data (as read from its file) with each of its ground units at the start
    given ``copies`` copies: same faction, type, personnel and equipment, new ids, each on the
    nearest free hex around it (picked at random per ring, from ``seed``) that its type may
    stand on: a hex its faction may enter, no other side's unit there, no more of its side's
    ground units than the stack limit. The war of a scenario made bigger, for ``ai_turn_ms_4x``."""
    rules = rules or default_rules()
    scenario, problems = build(data, hexmap, rules)
    if scenario is None or problems:
        raise ValueError(f"the scenario has problems: {problems[0].text if problems else 'none built'}")
    setup = scenario.setup
    rng = np.random.default_rng(seed)
    limit = rules.movement["stack_limit"]
    side_of = {f["id"]: f["side"] for f in setup["factions"]}
    bases = {f["id"]: allowed_countries(f.get("bases", ())) for f in setup["factions"]}
    units = setup["units"]  # in the file's order, each with its hex
    ids = {u["id"] for u in units if "id" in u}
    held: dict[Hex, str] = {}  # hex -> the side standing there
    ground: dict[Hex, int] = {}  # hex -> ground units there
    for u in units:
        h = Hex(*u["hex"])
        held[h] = side_of[u["faction"]]
        if rules.unit_type(u["type"]).is_ground:
            ground[h] = ground.get(h, 0) + 1
    added = []
    serial = 0
    for u in units:
        ut = rules.unit_type(u["type"])
        if not ut.is_ground:
            continue
        side, home = side_of[u["faction"]], Hex(*u["hex"])
        for _ in range(copies):
            h = _room_near(hexmap, home, ut, bases[u["faction"]], side, held, ground, limit, rng)
            held[h] = side
            ground[h] = ground.get(h, 0) + 1
            # Not the form of the ids the game gives units that come without one.
            serial += 1
            while f"{u['faction']}-x{serial:03d}" in ids:
                serial += 1
            uid = f"{u['faction']}-x{serial:03d}"
            ids.add(uid)
            added.append(
                {
                    "id": uid,
                    "type": u["type"],
                    "faction": u["faction"],
                    "place": [h.q, h.r],
                    "personnel": u["personnel"],
                    "equipment": dict(u.get("equipment", {})),
                }
            )
    out = copy.deepcopy(data)
    out["units"] = list(out.get("units", [])) + added
    return out


def _room_near(hexmap: HexMap, home: Hex, ut, allowed, side, held, ground, limit, rng) -> Hex:
    """The nearest hex around ``home`` (not ``home`` itself) where a copy of a ground unit of
    ``side`` may stand at the start, picked at random per ring."""
    for radius in range(1, 40):
        ring = [h for h in hex_range(home, radius) if home.distance(h) == radius]
        for i in rng.permutation(len(ring)):
            h = ring[int(i)]
            if not hexmap.in_bounds(h) or hexmap.terrain_at(h) not in ut.enters:
                continue
            if hexmap.country_at(h) not in allowed:
                continue
            if held.get(h, side) != side or ground.get(h, 0) >= limit:
                continue
            return h
    raise ValueError(f"no room near {home.q},{home.r}")


def bench_game(hexmap: HexMap, rules: Rules | None = None, seed: int = BENCH_SEED):
    """The benchmark game at its start: the first side to move, its supply traced."""
    rules = rules or default_rules()
    return Game(bench_setup(hexmap, rules, seed), hexmap, rules, seed)


def open_country_hex(hexmap: HexMap, radius: int = 10) -> Hex:
    """A desert or steppe hex of Iraq or Syria with no road, river or rough ground within
    ``radius`` hexes (or as near to that as the map allows), nearest the middle of the war zone."""
    g = map_graph(hexmap)
    zone = g.country_mask(WAR_ZONE)
    open_ = zone & np.isin(g.terrain, (DESERT, STEPPE)) & ~g.road.any(axis=1) & ~g.river.any(axis=1)
    depth = np.where(open_, 0, -1)
    inside = open_.copy()
    nbr = np.where(g.nbr >= 0, g.nbr, 0)
    for d in range(1, radius + 1):
        inside = inside & np.where(g.nbr >= 0, inside[nbr], False).all(axis=1)
        depth[inside] = d
    best = depth.max()
    candidates = np.flatnonzero(depth == best)
    mid_q, mid_r = float(np.mean(g.q[zone])), float(np.mean(g.r[zone]))
    dq, dr = g.q[candidates] - mid_q, g.r[candidates] - mid_r
    dist = np.maximum(np.maximum(np.abs(dq), np.abs(dr)), np.abs(dq + dr))
    return g.hex(int(candidates[int(np.argmin(dist))]))


# -- timing ------------------------------------------------------------------------------------


def _time(fn: Callable[[], object], runs: int, warm: bool = True) -> dict:
    t0 = time.perf_counter()
    fn()
    first = (time.perf_counter() - t0) * 1000
    times = [] if warm else [first]
    for _ in range(runs - (0 if warm else 1)):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "median": round(statistics.median(times), 4),
        "max": round(max(times), 4),
        "first": round(first, 4),
        "runs": len(times),
    }


def _figure(
    timing: dict | None,
    target: float | None,
    what: str,
    target_max: float | None = None,
    floor: tuple[float, str] | None = None,
    **extra,
) -> dict:
    """A figure: its timing beside its target (on the median; ``target_max`` on the worst run
    too), and, given ``floor`` (milliseconds, what was timed), the floor it is measured against
    and the ratio of the median to it."""
    out: dict = {"median": None, "max": None, "first": None, "runs": 0}
    if timing:
        out.update(timing)
    out["target"] = target
    if target_max is not None:
        out["target_max"] = target_max
    ok = None if target is None or out["median"] is None else out["median"] < target
    if ok is not None and target_max is not None:
        ok = ok and out["max"] < target_max
    out["ok"] = ok
    out["what"] = what
    if floor is not None:
        floor_ms, floor_what = floor
        out["floor_ms"] = round(floor_ms, 4)
        out["floor_what"] = floor_what
        out["ratio"] = None if out["median"] is None or floor_ms <= 0 else round(out["median"] / floor_ms, 2)
    out.update(extra)
    return out


class _Context:
    """What the figures share: the map, rules and the 300-unit game, built once."""

    def __init__(self):
        self.hexmap = default_map()
        self.rules = default_rules()
        self.game = bench_game(self.hexmap, self.rules)


def _figure_map_load(ctx: _Context, quick: bool) -> dict:
    t = _time(HexMap.load, 2 if quick else 8, warm=False)
    return _figure(t, None, "read the map asset from disk (HexMap.load)")


def _figure_movement_range(ctx: _Context, quick: bool) -> dict:
    graph = map_graph(ctx.hexmap)
    state = ctx.game.state
    ut = ctx.rules.unit_type("mechanized")
    h = open_country_hex(ctx.hexmap)
    faction = "iraq"
    probe = Unit(id="probe", type=ut.id, faction=faction, hex=h, personnel=2500, moves_left=ut.movement)
    others = [u for u in state.units.values() if u.hex != h]
    obs = obstacles_for(graph, ctx.rules, probe, others, state.at_war_with, state.side_of)
    bases = state.factions[faction].bases
    reach = movement_range(graph, ctx.rules, probe, obs, bases)
    runs = 40 if quick else 400
    t = _time(lambda: movement_range(graph, ctx.rules, probe, obs, bases), runs)
    # The floor: scipy's C Dijkstra from the same hex within the same points, over a graph
    # of the same costs (the movement code's own table for the kind of mover), no obstacles.
    cost = cost_array(graph, ctx.rules, ut, bases)
    step = np.isfinite(cost)
    matrix = csr_matrix((cost[step], (np.nonzero(step)[0], graph.nbr[step])), shape=(graph.n, graph.n))
    start = graph.index(h)
    floor = _time(lambda: dijkstra(matrix, directed=True, indices=start, limit=ut.movement), runs)
    return _figure(
        t,
        0.15,
        f"one mechanized unit's range, {ut.movement:g} MP in open country at {h.q},{h.r}",
        floor=(floor["median"], "scipy's dijkstra from the same hex, limit the same points, same costs"),
        hexes=len(reach),
    )


def _figure_supply(ctx: _Context, quick: bool) -> dict:
    state = ctx.game.state
    what = f"supply_maps for all {len(state.factions)} factions of a {len(state.units)}-unit game"
    runs = 3 if quick else 20
    t = _time(lambda: supply_maps(state, ctx.hexmap, ctx.rules), runs)
    search, calls = _supply_searches(state, ctx.hexmap, ctx.rules)
    if not calls:
        return _figure(t, 10.0, what, floor_note="supply_maps ran no scipy search to set beside it")
    floor = _time(lambda: [search(m, *a, **kw) for m, a, kw in calls], runs)
    floor_what = f"the {len(calls)} scipy dijkstra searches it runs, alone, on the same graphs and sources"
    return _figure(t, 10.0, what, floor=(floor["median"], floor_what))


def _supply_searches(state, hexmap: HexMap, rules: Rules) -> tuple[Callable, list]:
    """The scipy searches one ``supply_maps`` call runs, with their inputs as they were given:
    ``game.supply``'s ``dijkstra`` is watched for one call, then put back."""
    real = getattr(supply_module, "dijkstra", None)
    calls: list[tuple] = []
    if real is None:
        return dijkstra, calls

    def watched(matrix, *args, **kwargs):
        calls.append((matrix.copy(), args, dict(kwargs)))
        return real(matrix, *args, **kwargs)

    supply_module.dijkstra = watched
    try:
        supply_maps(state, hexmap, rules)
    finally:
        supply_module.dijkstra = real
    return real, calls


def _figure_save_load(ctx: _Context, quick: bool) -> list[tuple[str, dict]]:
    runs = 3 if quick else 20
    with tempfile.TemporaryDirectory(prefix="mesopotamia-bench-") as tmp:
        path = Path(tmp) / "bench.save"
        save = _time(lambda: save_game(ctx.game, path), runs)
        size = path.stat().st_size
        load = _time(lambda: load_game(path, ctx.hexmap, ctx.rules), runs)
    n = len(ctx.game.state.units)
    return [
        ("save_ms", _figure(save, 100.0, f"save a {n}-unit game (atomic, gzip JSON)", bytes=size)),
        ("load_ms", _figure(load, 100.0, f"load and check a {n}-unit game", bytes=size)),
    ]


def _figure_air_strike(ctx: _Context, quick: bool) -> dict:
    """One air strike through the command door: validation against the side's fog, then
    interception, air defence and losses, on a copy of the big game."""
    what = "one AirMission strike (validate with fog + apply) in a {n}-unit game"

    state = ctx.game.state.copy()
    state.active = state.sides.index("coalition")
    cctx = Context(ctx.hexmap, ctx.rules)
    wing = next(u for u in state.units.values() if u.faction == "us" and u.type == "air_wing")
    wing.hex = ctx.hexmap.city_by_id("erbil").hex  # held by the Kurds: a coalition air base
    fleet = {"combat aircraft": 40, "other aircraft": 10}
    wing.equipment = dict(fleet)
    reach = air_range(ctx.rules, wing)
    seen = [
        u
        for u in visible_units(state, ctx.hexmap, ctx.rules, "coalition")
        if state.at_war_with(u.faction, wing.faction)
        and ctx.rules.unit_type(u.type).is_ground
        and wing.hex.distance(u.hex) <= reach
    ]
    target = min(seen, key=lambda u: (wing.hex.distance(u.hex), u.id)).hex
    cmd = AirMission("coalition", wing.id, "strike", target)

    def fly():
        wing.equipment = dict(fleet)
        wing.moves_left = 60.0
        problems = cmd.validate(state, cctx)
        assert not problems, problems
        cmd.apply(state, cctx)

    t = _time(fly, 5 if quick else 50)
    return _figure(
        t, 20.0, what.format(n=len(state.units)) + f", {wing.id} from Erbil on {target.q},{target.r}"
    )


def _attack_setup(ctx: _Context):
    """A copy of the big game where two coalition infantry units stand beside an Islamic State
    unit in open country, with everything else where it was: a typical attack to time."""
    state = ctx.game.state.copy()
    m, rules = ctx.hexmap, ctx.rules
    state.active = state.sides.index("coalition")
    taken = {u.hex for u in state.units.values()}
    attackers = [u for u in state.units.values() if u.faction in ("sdf", "kurds") and u.type == "infantry"][
        :2
    ]
    for target in (u for u in state.units.values() if u.faction == "isis" and u.type == "militia"):
        if m.terrain_at(target.hex) not in ("desert", "steppe"):
            continue
        free = [
            n
            for n in target.hex.neighbors()
            if m.in_bounds(n)
            and n not in taken
            and m.terrain_at(n) in ("desert", "steppe")
            and m.country_at(n) in allowed_countries(())
        ]
        if len(free) >= 2:
            for u, h in zip(attackers, free):
                u.hex = h
                u.moves_left = rules.unit_type(u.type).movement
            return state, [u.id for u in attackers], target.hex
    raise ValueError("no Islamic State unit in open country to attack")


def _figure_attack(ctx: _Context, quick: bool) -> list[tuple[str, dict]]:

    state, attackers, target = _attack_setup(ctx)
    cctx = Context(ctx.hexmap, ctx.rules)
    # Each attack on the same state, put back between runs (outside the timing) as it was
    # before, all but its generator: like the other figures, a warm loop over one state.

    units = dict(state.units)
    saved = {k: dataclasses.replace(u, equipment=dict(u.equipment)) for k, u in units.items()}
    books = copy.deepcopy((state.losses, state.equipment_lost, state.civilians, state.city_owner, state.log))
    touched = attackers + [u.id for u in units.values() if u.hex == target]

    def put_back():
        for k in touched:
            saved_u = saved[k]
            units[k] = dataclasses.replace(saved_u, equipment=dict(saved_u.equipment))
        state.units = dict(units)
        (state.losses, state.equipment_lost, state.civilians, state.city_owner, state.log) = copy.deepcopy(
            books
        )

    times = []
    for _ in range(31 if quick else 301):
        put_back()
        t0 = time.perf_counter()
        resolve_attack(state, cctx, attackers, target)
        times.append((time.perf_counter() - t0) * 1000)
    put_back()
    resolve = {
        "median": round(statistics.median(times[1:]), 4),
        "max": round(max(times[1:]), 4),
        "first": round(times[0], 4),
        "runs": len(times) - 1,
    }
    runs = 20 if quick else 200
    preview = _time(
        lambda: preview_attack(state, ctx.hexmap, ctx.rules, "coalition", attackers, target), runs
    )
    view = side_view(state, ctx.hexmap, ctx.rules, "coalition")
    given = _time(
        lambda: preview_attack(state, ctx.hexmap, ctx.rules, "coalition", attackers, target, view=view), runs
    )
    where = f"2 infantry units on a militia unit at {target.q},{target.r}, {len(state.units)} units"
    return [
        ("attack_resolve_ms", _figure(resolve, 0.2, f"resolve one attack and apply it: {where}")),
        (
            "attack_preview_ms",
            _figure(
                preview,
                2.0,
                f"preview one attack, 1,000 battles drawn, from what the side sees: {where}",
                with_view_ms=given["median"],
            ),
        ),
    ]


def _figure_ai_turns(ctx: _Context, quick: bool) -> list[tuple[str, dict]]:
    """Every AI side's thinking in a turn of the bundled scenario with the most units, and in
    a turn of the same scenario with its ground units quadrupled (``crowded``): how the AI's
    time grows with the size of the war."""
    scenarios = [load_scenario(p, ctx.hexmap, ctx.rules) for p in bundled_paths()]
    if not scenarios:
        note = "no bundled scenario"
        return [
            ("ai_turn_ms", _figure(None, 400.0, note, target_max=1000.0)),
            ("ai_turn_ms_4x", _figure(None, None, note)),
        ]
    sc = max(scenarios, key=lambda s: len(s.setup["units"]))
    turns = 1 if quick else 4
    base = _ai_timing(ctx, sc.setup, turns)
    one = _figure(
        base,
        400.0,
        f"all {len(sc.sides)} AI sides' thinking in a turn of {sc.id} "
        f"({len(sc.setup['units'])} units at the start), no time limit, the first turn included",
        target_max=1000.0,
    )
    return [("ai_turn_ms", one), ("ai_turn_ms_4x", _figure_ai_turn_4x(ctx, sc, turns, base["median"]))]


def _figure_ai_turn_4x(ctx: _Context, sc, turns: int, base_median: float) -> dict:
    """The same turns with every ground unit of the scenario given three copies around it;
    near-linear growth is under 4.5 times the scenario's own figure (``base_median``)."""
    ground = sum(1 for u in sc.setup["units"] if ctx.rules.unit_type(u["type"]).is_ground)
    target = round(4.5 * base_median, 1)

    def what(units: str) -> str:
        out = (
            f"all {len(sc.sides)} AI sides' thinking in a turn of {sc.id} with its {ground} ground units "
            f"quadrupled (3 copies of each on free hexes near it{units}), no time limit, per turn over "
            f"the same {turns} turn(s) as ai_turn_ms; target 4.5 x ai_turn_ms's median"
        )
        if turns == 1:
            out += " (one turn each: ai_turn_ms's is the first, with the movement tables still to make)"
        return out

    try:
        big, problems = build(crowded(sc.source, ctx.hexmap, ctx.rules), ctx.hexmap, ctx.rules)
        why = problems[0].text if problems else ""
    except ValueError as exc:
        big, why = None, str(exc)
    if big is None or why:
        return _figure(None, target, what(""), note=f"the quadrupled scenario could not be made ({why})")
    timing = _ai_timing(ctx, big.setup, turns)
    return _figure(
        timing,
        target,
        what(f": {len(big.setup['units'])} units at the start"),
        ratio=round(timing["median"] / base_median, 2) if base_median else None,
    )


def _ai_timing(ctx: _Context, setup: dict, turns: int) -> dict:
    """The AI's thinking time per turn (every side once) over ``turns`` turns from the start,
    thought through with no time limit, as headless play does: the clock cuts nothing short."""
    game = Game(setup, ctx.hexmap, ctx.rules, 1)
    players = {
        s["id"]: AIPlayer(
            s["id"], game.hexmap, ctx.rules, setup["victory"], budget_s=None, plans=setup.get("plans")
        )
        for s in setup["sides"]
    }
    per_turn = []
    for _ in range(turns):
        total = 0.0
        for _ in setup["sides"]:
            if game.state.over:
                break
            total += play_turn(game, players[game.state.active_side]).seconds
        per_turn.append(total * 1000)
    return {
        "median": round(statistics.median(per_turn), 1),
        "max": round(max(per_turn), 1),
        "first": round(per_turn[0], 1),
        "runs": len(per_turn),
    }


def _figure_window(ctx: _Context, quick: bool) -> list[tuple[str, dict]]:
    """The battle screen's steady frame and first frame. They are measured in a child process
    (``game.ui.battle_bench``) under SDL's dummy video driver, which must be chosen before
    pygame starts, with a home folder of its own so no settings or saves are touched."""

    frame_what = (
        "a steady frame of the battle screen at 1600 x 900, every unit of the "
        "biggest bundled scenario on screen and an animation running (SDL dummy "
        "driver)"
    )

    def watch_what(speed: str) -> str:
        return (
            f"a round of a game of computers watched in the window at the {speed} speed: "
            "each side's turn once, its moves and fights played out, the camera following"
        )

    first_what = (
        "from nothing to the battle screen's first frame: map, rules, scenario, "
        "scene, draw (what `mesopotamia play SCENARIO` costs)"
    )
    with tempfile.TemporaryDirectory(prefix="mesopotamia-bench-") as home:
        env = dict(
            os.environ,
            SDL_VIDEODRIVER="dummy",
            SDL_AUDIODRIVER="dummy",
            PYGAME_HIDE_SUPPORT_PROMPT="1",
            MESOPOTAMIA_HOME=home,
        )
        cmd = [sys.executable, "-m", "game.ui.battle_bench"] + (["--quick"] if quick else [])
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
            if proc.returncode != 0 or not proc.stdout.strip():
                # What the child said last (a missing pygame, a driver that would not start)
                # is the reason; the exit status alone tells the reader nothing.
                said = proc.stderr.strip().splitlines()
                raise RuntimeError(said[-1] if said else f"exit status {proc.returncode}")
            got = json.loads(proc.stdout.strip().splitlines()[-1])
        except (OSError, subprocess.SubprocessError, ValueError, RuntimeError) as exc:
            note = f"the window could not be measured ({exc})"
            return [
                ("battle_frame_ms", _figure(None, 8.0, frame_what, note=note)),
                ("first_frame_ms", _figure(None, 1000.0, first_what, note=note)),
            ] + [
                (f"watch_round_{speed}_ms", _figure(None, target, watch_what(speed), note=note))
                for speed, target in WATCH_TARGETS.items()
            ]
    frame, first = got["battle_frame_ms"], got["first_frame_ms"]
    keys = ("median", "max", "first", "runs")
    return [
        (
            "battle_frame_ms",
            _figure(
                {k: frame[k] for k in keys},
                8.0,
                frame_what + f": {frame['scenario']}, {frame['units']} units, zoom {frame['zoom']}",
                floor=(
                    frame["floor_ms"],
                    f"a bare blit of the drawn map and the {frame['counters']} counter surfaces, nothing else",
                )
                if "floor_ms" in frame
                else None,
                drawn=frame["drawn"],
            ),
        ),
        (
            "first_frame_ms",
            _figure({k: first[k] for k in keys}, 1000.0, first_what + f": {first['scenario']}"),
        ),
    ] + [
        (
            f"watch_round_{speed}_ms",
            _figure(
                {k: got[f"watch_round_{speed}_ms"][k] for k in keys},
                target,
                watch_what(speed) + f": {got[f'watch_round_{speed}_ms']['scenario']}, "
                f"{got[f'watch_round_{speed}_ms']['sides']} sides",
                frames=got[f"watch_round_{speed}_ms"]["frames"],
                commands=got[f"watch_round_{speed}_ms"]["commands"],
            ),
        )
        for speed, target in WATCH_TARGETS.items()
    ]


CAMPAIGN = "campaign"
QUICK_CAMPAIGN_TURNS = 3


def _figure_peak_rss(ctx: _Context, quick: bool) -> dict:
    """The most memory a campaign played through headless, AI against AI, holds at once, and
    the wall time of the process. Played in a child process (``python -m game.bench
    campaign-memory``) that reports its own peak: a child's ``ru_maxrss`` counts the memory of
    the process it was forked from, so on Linux it reads ``VmHWM``, its own since it started."""
    turns = QUICK_CAMPAIGN_TURNS if quick else None
    what = (
        f"peak resident memory of the {CAMPAIGN} played AI against AI as `mesopotamia simulate "
        f"{CAMPAIGN} --seed 1` plays it, in a process of its own"
        + (f", its first {turns} turns only" if turns else ", the whole campaign")
        + "; seconds: the process's wall time"
    )
    cmd = [sys.executable, "-m", "game.bench", "campaign-memory"] + ([str(turns)] if turns else [])
    with tempfile.TemporaryDirectory(prefix="mesopotamia-bench-") as home:
        env = dict(os.environ, MESOPOTAMIA_HOME=home)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
            seconds = time.perf_counter() - t0
            if proc.returncode != 0 or not proc.stdout.strip():
                said = proc.stderr.strip().splitlines()
                raise RuntimeError(said[-1] if said else f"exit status {proc.returncode}")
            got = json.loads(proc.stdout.strip().splitlines()[-1])
        except (OSError, subprocess.SubprocessError, ValueError, RuntimeError) as exc:
            return _figure(None, 200.0, what, note=f"the campaign could not be played ({exc})")
    if got["peak_mb"] is None:
        return _figure(None, 200.0, what, note="the peak memory of a process cannot be read on this system")
    peak = got["peak_mb"]
    timing = {"median": peak, "max": peak, "first": peak, "runs": 1}
    return _figure(
        timing, 200.0, what, seconds=round(seconds, 1), play_seconds=got["seconds"], turns=got["turns"]
    )


def campaign_memory(turns: int | None = None) -> dict:
    """Play the campaign (seed 1, as ``simulate`` does) in this process, and report the most
    memory it has held: {"peak_mb", "seconds" (the play), "turns"}. Run in a process of its own."""
    result = simulate_one(find_scenario(CAMPAIGN), 1, turns=turns)
    return {"peak_mb": _own_peak_mb(), "seconds": result["seconds"], "turns": result["turns"]}


def _own_peak_mb() -> float | None:
    """This process's peak resident memory in MB since it started (not the one it came from)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)  # kB
    except OSError:
        pass
    try:
        import resource  # Unix only: not on Windows
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB, bytes on macOS
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


WATCH_TARGETS = {"normal": 20000.0, "fast": 6000.0}


FIGURES: list[tuple[str, Callable]] = [
    ("map_load_ms", _figure_map_load),
    ("movement_range_ms", _figure_movement_range),
    ("supply_all_factions_ms", _figure_supply),
    ("save_ms+load_ms", _figure_save_load),
    ("air_strike_ms", _figure_air_strike),
    ("attack_resolve_ms+attack_preview_ms", _figure_attack),
    ("ai_turn_ms+ai_turn_ms_4x", _figure_ai_turns),
    ("peak_rss_mb", _figure_peak_rss),
    ("battle_frame_ms+first_frame_ms+watch_round_normal_ms+watch_round_fast_ms", _figure_window),
]


def run_bench(quick: bool = False) -> dict[str, dict]:
    """Every figure by name: {"median", "max", "first", "runs", "target", "ok", "what", ...}."""
    ctx = _Context()
    out: dict[str, dict] = {}
    for name, fn in FIGURES:
        got = fn(ctx, quick)
        if isinstance(got, list):
            out.update(got)
        else:
            out[name] = got
    return out


def print_table(figures: dict[str, dict]) -> None:
    def num(v):
        return "-" if v is None else f"{v:.3f}" if v < 10 else f"{v:.1f}"

    def target(f):
        if f["target"] is None:
            return "-"
        worst = f" / {f['target_max']:g}" if f.get("target_max") is not None else ""
        return f"< {f['target']:g}{worst}"

    print(f"{'figure':<24}{'median':>9}{'max':>9}{'first':>9}{'target':>14}{'runs':>6}  verdict")
    for name, f in figures.items():
        verdict = {True: "ok", False: "OVER TARGET", None: ""}[f["ok"]]
        if f.get("note"):
            verdict = f["note"]
        print(
            f"{name:<24}{num(f['median']):>9}{num(f['max']):>9}{num(f['first']):>9}"
            f"{target(f):>14}{f['runs']:>6}  {verdict}"
        )
    print(
        "times in milliseconds (memory in MB); first: the first run, with cold caches; "
        "a target a / b: the median under a and the worst run under b"
    )
    for name, f in figures.items():
        if f.get("floor_ms") is not None:
            ratio = "-" if f.get("ratio") is None else f"{f['ratio']:g}"
            print(f"  {name}: floor {num(f['floor_ms'])} ms ({f['floor_what']}), ratio {ratio}")
    for name, f in figures.items():
        extra = "".join(f", {k} {f[k]}" for k in ("hexes", "bytes", "seconds", "turns") if k in f)
        if "ratio" in f and "floor_ms" not in f:
            extra += f", ratio {f['ratio']}"
        print(f"  {name}: {f['what']}{extra}")


__all__ = [
    "BENCH_SEED",
    "FIGURES",
    "bench_game",
    "bench_setup",
    "crowded",
    "open_country_hex",
    "print_table",
    "run_bench",
]


if __name__ == "__main__":
    # The child of ``peak_rss_mb``: python -m game.bench campaign-memory [TURNS]
    if sys.argv[1:2] != ["campaign-memory"]:
        raise SystemExit("usage: python -m game.bench campaign-memory [TURNS]")
    print(json.dumps(campaign_memory(int(sys.argv[2]) if len(sys.argv) > 2 else None)))
