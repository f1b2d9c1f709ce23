"""Fog of war: which hexes and units each side can see, and the ``SideView`` built from it.

Engine layer, pure. A unit sees the hexes within its type's vision, one further standing on
high ground or hills, one less in a city or marsh (terrain ``vision``), and one further when it
stands well above the land around it. A unit in concealing terrain (towns, hills, mountains,
marsh) is seen only from close by (terrain ``concealment``), unless it is adjacent to an enemy.
Computed for the whole map with numpy: each unit stamps a disc into one boolean array.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from game.hexgrid import Hex
from game.hexmap import HexMap
from game.movement import MapGraph, map_graph
from game.rules import Rules


def _vision_radius(graph: MapGraph, rules: Rules, unit) -> int:
    ut = rules.unit_type(unit.type)
    i = graph.index(unit.hex)
    t = rules.terrain[graph.terrain[i]]
    radius = ut.vision + t.vision
    if ut.is_ground:
        here = graph.map.elevation.ravel()[i]
        around = [graph.map.elevation.ravel()[j] for j in graph.nbr_list[i] if j >= 0]
        if around and here - min(around) >= rules.vision["hill_bonus_elevation"]:
            radius += 1
    return max(1, radius)


_FAR = 1 << 20


def side_sight(state, hexmap: HexMap, rules: Rules, side: str) -> np.ndarray:
    """For each hex, the distance to the nearest unit of the side that sees it; -1 if unseen.

    Each unit stamps its disc into a small window of the (rows, cols) grid around it, not the
    whole map: a unit sees a few hexes, the map has fifteen thousand."""
    graph = map_graph(hexmap)
    rows, cols = graph.rows, graph.cols
    q2 = graph.q.reshape(rows, cols)
    r2 = graph.r.reshape(rows, cols)
    best = np.full((rows, cols), _FAR, dtype=np.int64)
    for unit in state.units.values():
        if state.factions[unit.faction].side != side:
            continue
        radius = _vision_radius(graph, rules, unit)
        i = graph.index(unit.hex)
        row, col = divmod(i, cols)
        r0, r1 = max(0, row - radius), min(rows, row + radius + 1)
        c0, c1 = max(0, col - radius - 1), min(cols, col + radius + 2)
        dq = q2[r0:r1, c0:c1] - unit.hex.q
        dr = r2[r0:r1, c0:c1] - unit.hex.r
        dist = np.maximum(np.maximum(np.abs(dq), np.abs(dr)), np.abs(dq + dr))
        window = best[r0:r1, c0:c1]
        np.minimum(window, np.where(dist <= radius, dist, _FAR), out=window)
    out = best.ravel()
    out[out == _FAR] = -1
    return out


def visible_mask(state, hexmap: HexMap, rules: Rules, side: str) -> np.ndarray:
    """Boolean array (rows, cols): the hexes the side sees."""
    graph = map_graph(hexmap)
    return (side_sight(state, hexmap, rules, side) >= 0).reshape(graph.rows, graph.cols)


def visible_units(state, hexmap: HexMap, rules: Rules, side: str) -> list:
    """The side's own units and every other unit it can see, in id order."""
    graph = map_graph(hexmap)
    sight = side_sight(state, hexmap, rules, side)
    out = []
    for unit in state.units.values():
        if state.factions[unit.faction].side == side:
            out.append(unit)
            continue
        i = graph.index(unit.hex)
        d = sight[i]
        if d < 0:
            continue
        concealment = rules.terrain[graph.terrain[i]].concealment
        if concealment and d > concealment:
            continue
        out.append(unit)
    return out


@dataclass(frozen=True)
class UnitView:
    """A unit as a side sees it: all of its own units; of others, what can be seen."""

    id: str
    type: str
    faction: str
    hex: Hex
    personnel: int
    own: bool
    name: str = ""
    equipment: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    morale: float | None = None
    experience: float | None = None
    supplied: bool | None = None
    entrenchment: int = 0
    moves_left: float | None = None


@dataclass(frozen=True)
class SideView:
    """The read-only part of the game one side may know. The window and the AI get only this."""

    side: str
    turn: int
    date: str
    active_side: str
    sides: tuple[str, ...]
    side_names: MappingProxyType
    factions: MappingProxyType  # id -> (name, side)
    at_war: frozenset
    units: tuple[UnitView, ...]
    visible: np.ndarray  # (rows, cols) bool, read-only
    city_owner: MappingProxyType
    own_factions: MappingProxyType  # own factions: id -> their supply bases and crossings, leaders
    no_fly_zones: tuple  # the zones in force (public): {id, name, side, hexes}
    air_tasks: MappingProxyType  # own wings' standing tasks (patrols, close air support)
    losses: MappingProxyType  # own factions' losses only
    over: bool
    winner: str | None
    supply_sources: tuple = ()  # the depots serving the side's factions: {hex, faction or side}

    def unit(self, uid: str) -> UnitView | None:
        for u in self.units:
            if u.id == uid:
                return u
        return None

    def own_units(self) -> list[UnitView]:
        return [u for u in self.units if u.own]

    def other_units(self) -> list[UnitView]:
        return [u for u in self.units if not u.own]

    def at_war_with(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.at_war

    def side_of(self, faction: str) -> str:
        return self.factions[faction][1]


def side_view(state, hexmap: HexMap, rules: Rules, side: str) -> SideView:
    """Build the view of one side. Hidden units are absent altogether, not even counted."""
    units = []
    for u in visible_units(state, hexmap, rules, side):
        own = state.factions[u.faction].side == side
        if own:
            units.append(UnitView(
                id=u.id, type=u.type, faction=u.faction, hex=u.hex, personnel=u.personnel,
                own=True, name=u.name, equipment=MappingProxyType(dict(u.equipment)),
                morale=u.morale, experience=u.experience, supplied=u.supplied,
                entrenchment=u.entrenchment, moves_left=u.moves_left))
        else:
            # Seen from outside: type, flag, place and a rounded strength; no morale or orders.
            units.append(UnitView(
                id=u.id, type=u.type, faction=u.faction, hex=u.hex,
                personnel=int(round(u.personnel, -2)), own=False, name=u.name,
                entrenchment=u.entrenchment))
    mine = {f for f, fac in state.factions.items() if fac.side == side}
    vis = visible_mask(state, hexmap, rules, side)
    vis.setflags(write=False)
    return SideView(
        side=side, turn=state.turn, date=state.date.isoformat(), active_side=state.active_side,
        sides=tuple(state.sides), side_names=MappingProxyType(dict(state.side_names)),
        factions=MappingProxyType({k: (f.name, f.side) for k, f in state.factions.items()}),
        at_war=frozenset(state.at_war), units=tuple(units), visible=vis,
        city_owner=MappingProxyType(dict(state.city_owner)),
        own_factions=MappingProxyType({
            f: MappingProxyType({"bases": tuple(fac.bases), "supply_crossings": tuple(fac.supply_crossings),
                                 "leaders": tuple(fac.leaders), "quality": fac.quality})
            for f, fac in state.factions.items() if fac.side == side}),
        no_fly_zones=tuple(MappingProxyType(dict(z)) for z in state.no_fly_zones),
        air_tasks=MappingProxyType({w: MappingProxyType(dict(t)) for w, t in state.air_tasks.items()
                                    if t.get("side") == side}),
        losses=MappingProxyType({f: dict(c) for f, c in state.losses.items() if f in mine}),
        over=state.over, winner=state.winner,
        supply_sources=tuple(MappingProxyType(dict(d)) for d in state.supply_sources
                             if d.get("side") == side or d.get("faction") in mine),
    )
