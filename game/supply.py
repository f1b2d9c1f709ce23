"""Supply: which hexes each faction's ground units can be supplied in.

Engine layer, pure: state, map and rules in; one boolean array per faction out, over the flat
hex index of ``game.movement.MapGraph`` (``i = row * cols + col``). Computed for the whole map
at once, never unit by unit.

The rule
--------
A supply line is traced from the faction's *sources* over hexes a unit on foot could cross, and
may run at most ``[supply] range`` points. Entering a hex costs its terrain's ``foot`` cost
(sea and lakes have none and cannot be crossed), or ``[supply] road_cost`` along a road link
(roads are where supply runs far); crossing a river hexside adds ``[movement] river_cost``, or
``bridge_cost`` where a road crosses it.

Sources are

* the hex of every town held by the faction or by another faction of its side
  (``state.city_owner``): allies share their depots;
* the inside hex of every border crossing whose neighbouring country (``Crossing.countries[1]``)
  is in the faction's ``supply_crossings``;
* every hex of the countries in the faction's ``bases``;
* the hex of every depot of the scenario's ``[[supply_sources]]`` (``state.supply_sources``)
  given to the faction, to another faction of its side, or to its side.

A line cannot enter, and no source lies in, a *blocked* hex:

* a hex holding a ground unit of a faction at war with this one;
* a hex in the zone of control of such an enemy (the six hexes around an enemy ground unit of a
  type with ``zoc``), unless a ground unit of this faction's own side stands in it;
* a hex outside the war zone (Iraq and Syria) and the faction's bases.

Between the war zone and any other country supply passes only over a border crossing's hexside
(``Crossing.hex`` to ``Crossing.outside``); the border between Iraq and Syria is open. A blocked
hex is never in supply; a ground unit's own hex is never blocked by enemy zone of control (its
presence cancels it), so a unit next to the enemy is cut off only when no line reaches its hex.
Only ground units block hexes, exert zones of control or cancel them, as in ``game.movement``:
an air wing neither stops a supply line nor holds a zone of control open.

How it is computed
------------------
The map becomes one directed graph in CSR form once per (map, rules): an edge for every hexside
a supply line may cross, weighted by the cost of entering its far hex. The CSR structure never
changes; per faction only the weights do. An edge into a blocked hex gets an infinite weight,
which is as good as dropping it: the weights closed by the faction's bases (countries it may
not enter) are cached per set of bases, and those closed by units are set through a table of
the (at most six) edges entering each hex. ``scipy.sparse.csgraph.dijkstra`` then runs from
all sources at once (``min_only``, in effect one virtual super-source) with ``limit = range``.
A base country's hexes are all in supply, so the search starts only from its frontier hexes
and never walks back into it. Factions with the same bases, blocked hexes and sources share
one search.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from game.hexgrid import Hex
from game.hexmap import HexMap
from game.movement import WAR_ZONE, MapGraph, map_graph
from game.rules import Rules
from game.state import GameState

_EPS = 1e-9


@dataclass
class SupplyGraph:
    """The supply network of one map under one ruleset: CSR arrays and fixed per-hex masks."""

    graph: MapGraph
    range: float
    indptr: np.ndarray  # CSR row pointers: the edges out of hex i are indptr[i]:indptr[i+1]
    indices: np.ndarray  # the hex each edge enters
    weights: np.ndarray  # the cost of entering it
    into: np.ndarray  # (n, 6): positions of the edges entering each hex, padded with nnz
    war_zone: np.ndarray  # bool (n,): Iraq and Syria
    passable: np.ndarray  # bool (n,): land a unit on foot can cross (not sea or lake)
    city_hex: dict[str, int]  # city id -> hex index
    crossings: tuple[tuple[str, int], ...]  # (neighbour country, inside hex index), map order
    _bases: dict[tuple[str, ...], BaseView] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.graph.n

    @property
    def nnz(self) -> int:
        return int(self.indices.size)

    def base_view(self, bases: tuple[str, ...]) -> BaseView:
        """What a faction's bases fix for the whole game: see ``BaseView``."""
        hit = self._bases.get(bases)
        if hit is None:
            hit = self._bases[bases] = _base_view(self, bases)
        return hit


@dataclass(frozen=True)
class BaseView:
    """The part of the supply network that depends only on a faction's bases."""

    inside: np.ndarray  # bool (n,): hexes of the base countries, all of them sources
    outside: np.ndarray  # bool (n,): hexes closed whatever the units (water; not war zone or bases)
    frontier: np.ndarray  # hex indices of base hexes with an edge into the open war zone
    weights: np.ndarray  # edge weights, nnz + 1 (a spare slot for padding), inf into closed hexes


def _base_view(sg: SupplyGraph, bases: tuple[str, ...]) -> BaseView:
    inside = sg.graph.country_mask(bases)
    outside = ~(sg.war_zone | inside) | ~sg.passable
    tail = np.repeat(np.arange(sg.n), np.diff(sg.indptr))
    open_ = ~(inside | outside)
    frontier = np.unique(tail[inside[tail] & open_[sg.indices]])
    weights = np.empty(sg.nnz + 1)
    weights[:-1] = np.where(outside[sg.indices] | inside[sg.indices], np.inf, sg.weights)
    weights[-1] = np.inf
    for a in (inside, outside, frontier, weights):
        a.flags.writeable = False
    return BaseView(inside, outside, frontier, weights)


def _build(hexmap: HexMap, rules: Rules) -> SupplyGraph:
    graph = map_graph(hexmap)
    n = graph.n
    foot = np.array([t.cost.get("foot", math.inf) for t in rules.terrain], dtype=np.float64)
    nbr = graph.nbr
    valid = nbr >= 0
    target = np.where(valid, nbr, 0)
    enter = foot[graph.terrain[target]]
    land = np.isfinite(foot[graph.terrain])
    passable = valid & np.isfinite(enter) & land[:, None]
    mv = rules.movement
    cost = np.where(graph.road, float(rules.supply["road_cost"]), enter)
    cost = cost + np.where(
        graph.river, np.where(graph.road, float(mv["bridge_cost"]), float(mv["river_cost"])), 0.0
    )
    # The war zone's border with other countries is closed but at the crossings' hexsides.
    war = graph.country_mask(WAR_ZONE)
    tail = np.broadcast_to(np.arange(n)[:, None], (n, 6))
    border = valid & (war[tail] != war[target])
    crossing_side = np.zeros((n, 6), dtype=bool)
    for x in hexmap.crossings:
        a, b = graph.index(x.hex), graph.index(x.outside)
        crossing_side[a, nbr[a] == b] = True
        crossing_side[b, nbr[b] == a] = True
    keep = passable & (~border | crossing_side)
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(keep.sum(axis=1), out=indptr[1:])
    indices = nbr[keep].astype(np.int32)
    nnz = indices.size
    # Edge positions by the hex they enter, in a fixed (n, 6) table padded with nnz.
    order = np.argsort(indices, kind="stable")
    ends = indices[order]
    slot = np.arange(nnz) - np.searchsorted(ends, ends)
    into = np.full((n, 6), nnz, dtype=np.int64)
    into[ends, slot] = order
    return SupplyGraph(
        graph=graph,
        range=float(rules.supply["range"]),
        indptr=indptr,
        indices=indices,
        weights=cost[keep].astype(np.float64),
        into=into,
        war_zone=war,
        passable=land,
        city_hex={c.id: graph.index(c.hex) for c in hexmap.cities},
        crossings=tuple((x.countries[1], graph.index(x.hex)) for x in hexmap.crossings),
    )


_CACHE: list[tuple[HexMap, Rules, SupplyGraph]] = []


def supply_graph(hexmap: HexMap, rules: Rules) -> SupplyGraph:
    """The supply network of a map under a ruleset, built once and cached (the last four)."""
    for m, r, g in _CACHE:
        if m is hexmap and r is rules:
            return g
    g = _build(hexmap, rules)
    _CACHE.append((hexmap, rules, g))
    del _CACHE[:-4]
    return g


def supply_maps(
    state: GameState | SimpleNamespace, hexmap: HexMap, rules: Rules, factions=None
) -> dict[str, np.ndarray]:
    """For each faction (all if None), where its ground units are in supply: bool of shape (n,).

    Keys come in the order asked for (the state's order when ``factions`` is None). ``state``
    may be a stand-in with the fields read here, built from what a side sees.
    """
    sg = supply_graph(hexmap, rules)
    graph = sg.graph
    n = sg.n
    order = list(state.factions) if factions is None else list(factions)
    ids = list(state.factions)
    code = {f: k for k, f in enumerate(ids)}

    # The ground units once, as arrays: where they stand, whose they are, whether they have a ZOC.
    unit_at, unit_code, unit_zoc = [], [], []
    for u in state.units.values():
        ut = rules.unit_type(u.type)
        if ut.is_ground:
            unit_at.append(graph.index(u.hex))
            unit_code.append(code[u.faction])
            unit_zoc.append(ut.zoc)
    where = np.array(unit_at, dtype=np.int64)
    whose = np.array(unit_code, dtype=np.int64)
    zoc = np.array(unit_zoc, dtype=bool)
    zoc_hexes = graph.nbr[where]  # (units, 6), -1 off the map
    side_ids = [state.factions[f].side for f in ids]
    unit_side = [side_ids[k] for k in whose.tolist()]
    side_held: dict[str, np.ndarray] = {}  # side -> bool (n,): a ground unit of it stands there
    for side in dict.fromkeys(side_ids):
        mask = np.zeros(n, dtype=bool)
        mask[where[[s == side for s in unit_side]]] = True
        side_held[side] = mask
    # Depots by the side they serve, as the factions' sides stand now (a faction may change side).
    depots: dict[str, list[int]] = {}
    for d in getattr(state, "supply_sources", ()):  # a side's view may not carry them
        side = state.factions[d["faction"]].side if "faction" in d else d["side"]
        depots.setdefault(side, []).append(graph.index(Hex(*d["hex"])))
    held: dict[str, list[int]] = {}
    for cid, owner in state.city_owner.items():
        if owner is not None and cid in sg.city_hex:
            held.setdefault(owner, []).append(sg.city_hex[cid])

    matrix = csr_matrix((np.empty(sg.nnz), sg.indices, sg.indptr), shape=(n, n))
    out: dict[str, np.ndarray] = {}
    done: dict[tuple, np.ndarray] = {}
    for fid in order:
        fac = state.factions[fid]
        bases = tuple(sorted(set(fac.bases)))
        view = sg.base_view(bases)
        enemy = np.array([state.at_war_with(fid, o) for o in ids], dtype=bool)[whose]
        zone = zoc_hexes[enemy & zoc].ravel()
        zone = zone[zone >= 0]
        zone = zone[~side_held[fac.side][zone]]
        closed = np.concatenate([where[enemy], zone])
        blocked = view.outside.copy()
        blocked[closed] = True

        src = np.zeros(n, dtype=bool)
        # Towns held by any faction of the same side supply it: allies share their depots.
        for other, hexes in held.items():
            if other == fid or state.factions[other].side == fac.side:
                src[hexes] = True
        wanted = set(fac.supply_crossings)
        src[[i for country, i in sg.crossings if country in wanted]] = True
        src[view.frontier] = True
        if fac.side in depots:
            src[depots[fac.side]] = True
        src &= ~blocked
        sources = np.flatnonzero(src)

        key = (bases, np.packbits(blocked).tobytes(), sources.tobytes())
        hit = done.get(key)
        if hit is not None:
            out[fid] = hit.copy()
            continue
        hit = view.inside & ~blocked  # every open hex of a base country is a source
        if sources.size:
            weights = view.weights.copy()
            weights[sg.into[closed].ravel()] = np.inf
            matrix.data = weights[:-1]
            dist = dijkstra(matrix, directed=True, indices=sources, min_only=True, limit=sg.range + _EPS)
            hit |= dist <= sg.range + _EPS
        done[key] = hit
        out[fid] = hit.copy()
    return out


def supply_map(state: GameState, hexmap: HexMap, rules: Rules, faction: str) -> np.ndarray:
    """Where ``faction``'s ground units are in supply: bool of shape (n,)."""
    return supply_maps(state, hexmap, rules, [faction])[faction]


__all__ = ["BaseView", "SupplyGraph", "supply_graph", "supply_map", "supply_maps"]
