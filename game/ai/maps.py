"""Influence maps for the AI: threat, strength, objectives and supply, as whole-map arrays.

Engine layer. Everything here is built from one side's ``SideView`` (what it can see) plus the
public map, rules and scenario goals; nothing reads the game state. Arrays are over the flat hex
index of ``game.movement.MapGraph``.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from game.movement import map_graph
from game.supply import supply_graph, supply_maps


def unit_power(rules, u) -> float:
    """A rough fighting value: thousands of people times the type's factors."""
    ut = rules.unit_type(u.type)
    if not ut.is_ground:
        return 0.0
    return u.personnel / 1000.0 * (ut.attack + ut.defence) / 2


@dataclass
class Maps:
    threat: np.ndarray  # enemy power that can reach each hex soon
    strength: np.ndarray  # own power around each hex
    objective: np.ndarray  # pull of the side's goals
    supply: np.ndarray  # bool: own supply reaches (judged from what the side sees)
    enemy_hexes: dict[int, list]  # hex -> visible enemy units there
    own_hexes: dict[int, list]
    targets: list[tuple[int, float, str]]  # (hex, value, city id) of towns worth taking
    holds: list[tuple[int, float, str]]  # (hex, value, city id) of own towns worth holding
    exits: np.ndarray  # ways out of each hex a beaten unit could fall back by (0 to 6)
    zoc: np.ndarray  # bool: in the zone of control of an enemy the side sees


def _spread(graph, where: np.ndarray, power: np.ndarray, radius: float) -> np.ndarray:
    """Sum of power * (1 - d/radius) over units within ``radius`` hexes (hex distance): each
    unit's disc of hexes laid over the map at once, the sums made unit by unit in order."""
    out = np.zeros(graph.n)
    if where.size == 0:
        return out
    reach = math.ceil(radius) - 1  # the whole hexes nearer than ``radius``
    discs = [graph.disc(i, reach) for i in where.tolist()]
    hexes = np.concatenate([d[0] for d in discs])
    dist = np.concatenate([d[1] for d in discs])
    # Each unit's power beside each hex of its disc: the same products as unit by unit.
    power = np.repeat(power, [len(d[0]) for d in discs])
    np.add.at(out, hexes, power * (1.0 - dist / radius))
    return out


# The longest distance the AI asks for; a town's distances are searched once to it and kept
# (a row of the map's size each, the most recently used ones), nearer limits cut from them:
# a search with a limit gives, within it, exactly the distances of a longer one.
ROAD_LIMIT = 240.0
_ROAD_ROWS = 96
_ROADS: list[tuple[object, OrderedDict]] = []  # (supply graph, its rows), the last four graphs


def road_distances(hexmap, rules, sources: list[int], limit: float) -> np.ndarray:
    """Foot-and-road distance from each source (rows) to every hex, inf beyond ``limit``."""
    sg = supply_graph(hexmap, rules)
    if not sources:
        return np.full((0, sg.n), np.inf)
    if limit > ROAD_LIMIT:
        return np.atleast_2d(dijkstra(_road_matrix(sg), directed=False, indices=sources, limit=limit))
    rows = _road_rows(sg)
    missing = [i for i in dict.fromkeys(sources) if i not in rows]
    if missing:
        found = np.atleast_2d(dijkstra(_road_matrix(sg), directed=False, indices=missing, limit=ROAD_LIMIT))
        for i, row in zip(missing, found):
            row.flags.writeable = False
            rows[i] = row
    out = np.empty((len(sources), sg.n))
    for k, i in enumerate(sources):
        rows.move_to_end(i)
        row = rows[i]
        out[k] = row if limit == ROAD_LIMIT else np.where(row <= limit, row, np.inf)
    while len(rows) > _ROAD_ROWS:
        rows.popitem(last=False)
    return out


def _road_rows(sg) -> OrderedDict[int, np.ndarray]:
    for known, rows in _ROADS:
        if known is sg:
            return rows
    _ROADS.append((sg, OrderedDict()))
    del _ROADS[:-4]
    return _ROADS[-1][1]


def _road_matrix(sg) -> csr_matrix:
    return csr_matrix((sg.weights, sg.indices, sg.indptr), shape=(sg.n, sg.n))


def _forces(view, graph, rules):
    """Where the side's and its enemies' units are, and how much power they spread around."""
    own_factions = set(view.own_factions)
    enemy_hexes: dict[int, list] = {}
    own_hexes: dict[int, list] = {}
    e_where: list[int] = []
    o_where: list[int] = []
    e_pow: list[float] = []
    o_pow: list[float] = []
    # ``unit_power`` and whether a faction is an enemy, worked out once per type and faction.
    weight: dict[str, float] = {}
    hostile: dict[str, bool] = {}
    index = graph.index
    for u in view.units:
        i = index(u.hex)
        if u.own:
            mine, where, power = True, o_where, o_pow
        else:
            enemy = hostile.get(u.faction)
            if enemy is None:
                enemy = hostile[u.faction] = any(view.at_war_with(f, u.faction) for f in own_factions)
            if not enemy:
                continue
            mine, where, power = False, e_where, e_pow
        (own_hexes if mine else enemy_hexes).setdefault(i, []).append(u)
        where.append(i)
        w = weight.get(u.type)
        if w is None:
            ut = rules.unit_type(u.type)
            w = weight[u.type] = ut.attack + ut.defence if ut.is_ground else -1.0
        power.append(u.personnel / 1000.0 * w / 2 if w >= 0 else 0.0)
    threat = _spread(graph, np.array(e_where, dtype=np.int64), np.array(e_pow), 4.0)
    strength = _spread(graph, np.array(o_where, dtype=np.int64), np.array(o_pow), 3.0)
    exits, zoc = _exits(graph, rules, enemy_hexes, own_hexes)
    return threat, strength, enemy_hexes, own_hexes, exits, zoc


def _exits(graph, rules, enemy_hexes: dict, own_hexes: dict) -> tuple[np.ndarray, np.ndarray]:
    """For each hex, how many of its neighbours a unit beaten there could fall back into: on
    the map, passable on foot, with no enemy the side knows of in it and outside every such
    enemy's zone of control, unless a unit of the side stands there and holds it open (as the
    engine's retreat rule has it). A unit caught where this is 0 is taken prisoner when it
    is beaten, not thrown back. Returns the counts and where the enemies' zones of control
    lie."""
    impassable, ways = _ground_ways(graph, rules)
    closed = np.zeros(graph.n, dtype=bool)  # by the enemy, on ground one could stand on
    closed[np.fromiter(enemy_hexes, dtype=np.int64, count=len(enemy_hexes))] = True
    zoc = np.zeros(graph.n, dtype=bool)
    holders = [i for i, us in enemy_hexes.items() if any(rules.unit_type(u.type).zoc for u in us)]
    if holders:
        around = graph.nbr[np.array(holders, dtype=np.int64)].ravel()
        zoc[around[around >= 0]] = True
        friends = np.zeros(graph.n, dtype=bool)
        friends[np.fromiter(own_hexes, dtype=np.int64, count=len(own_hexes))] = True
        closed |= zoc & ~friends
    # The ways out of each hex over open ground, less one for each neighbour the enemy closes:
    # the enemy's few hundred hexes are counted, not the whole map's sides again.
    shut = np.flatnonzero(closed & ~impassable)
    out = ways.copy()
    beside = graph.nbr[shut].ravel()
    np.subtract.at(out, beside[beside >= 0], 1)
    return out, zoc


_GROUND: list[tuple] = []  # (graph, rules, hexes no one can stand on, ways out), the last four


def _ground_ways(graph, rules) -> tuple[np.ndarray, np.ndarray]:
    """Hexes no one can stand on, and for each hex how many of its neighbours one can."""
    for g, r, impassable, ways in _GROUND:
        if g is graph and r is rules:
            return impassable, ways
    impassable = ~np.array([bool(t.cost) for t in rules.terrain])[graph.terrain]
    on_map = graph.nbr >= 0
    ways = (on_map & ~impassable[np.where(on_map, graph.nbr, 0)]).sum(axis=1)
    impassable.flags.writeable = False
    ways.flags.writeable = False
    _GROUND.append((graph, rules, impassable, ways))
    del _GROUND[:-4]
    return impassable, ways


def update_forces(maps: Maps, view, hexmap, rules) -> None:
    """Refresh the parts that change within a turn (units seen, moved, lost); keep the goals."""
    (maps.threat, maps.strength, maps.enemy_hexes, maps.own_hexes, maps.exits, maps.zoc) = _forces(
        view, map_graph(hexmap), rules
    )


def build_maps(
    view, hexmap, rules, goals: list[dict], doctrines: dict, avoid: frozenset = frozenset()
) -> Maps:
    """The side's maps. ``goals`` are victory conditions and plans in force (a plan's
    ``weight`` scales its towns' pull); towns in ``avoid`` hexes are no target at all."""
    graph = map_graph(hexmap)
    own_factions = set(view.own_factions)

    def hostile(faction: str) -> bool:
        return any(view.at_war_with(f, faction) for f in own_factions)

    threat, strength, enemy_hexes, own_hexes, exits, zoc = _forces(view, graph, rules)

    # Goals: towns the scenario asks the side to take or hold, then towns by their size.
    side = view.side
    goal_value: dict[str, float] = {}
    for g in goals:
        if g["side"] == side and g["kind"] in ("take", "hold"):
            for c in g["cities"]:
                goal_value[c] = goal_value.get(c, 0.0) + (12.0 if g["kind"] == "take" else 9.0) * g.get(
                    "weight", 1.0
                )
    home = set()
    for f in own_factions:
        for name in doctrines[f].home:
            c = hexmap.find_city(name)
            if c:
                home.add(c.id)
    city_weight = np.mean([doctrines[f].city_value for f in own_factions]) if own_factions else 1.0
    targets, holds = [], []
    for c in hexmap.cities:
        if c.country not in ("IRQ", "SYR"):
            continue
        owner = view.city_owner.get(c.id)
        value = city_weight * (1.0 + math.log10(max(c.population, 1000)) - 3.0)
        value += goal_value.get(c.id, 0.0) + (2.0 if c.id in home else 0.0)
        i = graph.index(c.hex)
        if owner is not None and view.factions[owner][1] == side:
            holds.append((i, value, c.id))
        elif (owner is None or hostile(owner)) and c.hex not in avoid:
            targets.append((i, value, c.id))
    targets.sort(key=lambda t: -t[1])
    holds.sort(key=lambda t: -t[1])
    objective = np.zeros(graph.n)
    top = targets[:14]
    if top:
        dist = road_distances(hexmap, rules, [t[0] for t in top], 80.0)
        for k, (_, value, _) in enumerate(top):
            np.maximum(objective, value / (1.0 + dist[k] / 6.0), out=objective)
    # The towns the scenario asks for draw the whole army, from across the map: that is where
    # the phase is won, and a siege needs every unit that can be spared.
    wanted = [t for t in targets if t[2] in goal_value][:4]
    if wanted:
        dist = road_distances(hexmap, rules, [t[0] for t in wanted], 240.0)
        for k, (_, value, _) in enumerate(wanted):
            np.maximum(objective, value / (1.0 + dist[k] / 20.0), out=objective)
    # Threatened towns of one's own pull defenders.
    weak_holds = [h for h in holds if threat[h[0]] > 0.5 * strength[h[0]]][:8]
    if weak_holds:
        dist = road_distances(hexmap, rules, [h[0] for h in weak_holds], 40.0)
        for k, (_, value, _) in enumerate(weak_holds):
            np.maximum(objective, 0.8 * value / (1.0 + dist[k] / 4.0), out=objective)

    supply = _side_supply(view, hexmap, rules)
    return Maps(
        threat=threat,
        strength=strength,
        objective=objective,
        supply=supply,
        enemy_hexes=enemy_hexes,
        own_hexes=own_hexes,
        targets=targets,
        holds=holds,
        exits=exits,
        zoc=zoc,
    )


def _side_supply(view, hexmap, rules) -> np.ndarray:
    """Where the side's supply reaches, traced as the engine traces it but with only the enemy
    units the side can see."""
    factions = {}
    for f, (_, side) in view.factions.items():
        own = view.own_factions.get(f)
        factions[f] = SimpleNamespace(
            side=side,
            bases=list(own["bases"]) if own else [],
            supply_crossings=list(own["supply_crossings"]) if own else [],
        )
    proxy = SimpleNamespace(
        factions=factions,
        units={u.id: u for u in view.units},
        city_owner=dict(view.city_owner),
        at_war_with=view.at_war_with,
        supply_sources=[dict(d) for d in view.supply_sources],
    )
    maps = supply_maps(proxy, hexmap, rules, list(view.own_factions))
    out = np.zeros(map_graph(hexmap).n, dtype=bool)
    for m in maps.values():
        out |= m
    return out
