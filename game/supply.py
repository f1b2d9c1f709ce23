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

from game.hexgrid import Hex, axial_oddr_arrays
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
    tail: np.ndarray  # the hex each edge leaves
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
    shut: bytes  # the hexes ``weights`` closes, packed: bases closing the same hexes search alike
    inside_at: np.ndarray  # hex indices of the base countries' land, sources unless units close them


def _base_view(sg: SupplyGraph, bases: tuple[str, ...]) -> BaseView:
    inside = sg.graph.country_mask(bases)
    outside = ~(sg.war_zone | inside) | ~sg.passable
    tail = sg.tail
    open_ = ~(inside | outside)
    frontier = np.unique(tail[inside[tail] & open_[sg.indices]])
    weights = np.empty(sg.nnz + 1)
    weights[:-1] = np.where(outside[sg.indices] | inside[sg.indices], np.inf, sg.weights)
    weights[-1] = np.inf
    shut = np.packbits(outside | inside).tobytes()
    inside_at = np.flatnonzero(inside & ~outside)
    for a in (inside, outside, frontier, weights, inside_at):
        a.flags.writeable = False
    return BaseView(inside, outside, frontier, weights, shut, inside_at)


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
        tail=np.repeat(np.arange(n), np.diff(indptr)),
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
    sides = list(dict.fromkeys(state.factions[f].side for f in ids))
    side_code = np.array([sides.index(state.factions[f].side) for f in ids], dtype=np.int64)

    # The ground units once, as arrays: where they stand, whose they are, whether they have a ZOC.
    kinds: dict[str, tuple[bool, bool]] = {}
    qs, rs, who, zocs = [], [], [], []
    for u in state.units.values():
        kind = kinds.get(u.type)
        if kind is None:
            ut = rules.unit_type(u.type)
            kind = kinds[u.type] = (ut.is_ground, bool(ut.zoc))
        if kind[0]:
            h = u.hex
            qs.append(h.q)
            rs.append(h.r)
            who.append(code[u.faction])
            zocs.append(kind[1])
    col, row = axial_oddr_arrays(np.array(qs, dtype=np.int64), np.array(rs, dtype=np.int64))
    where = row * graph.cols + col
    whose = np.array(who, dtype=np.int64)
    zoc = np.array(zocs, dtype=bool)
    zoc_hexes = graph.nbr[where]  # (units, 6), -1 off the map
    unit_side = side_code[whose]
    # Depots by the side they serve, as the factions' sides stand now (a faction may change side).
    depots: dict[str, list[int]] = {}
    for d in getattr(state, "supply_sources", ()):  # a side's view may not carry them
        side = state.factions[d["faction"]].side if "faction" in d else d["side"]
        depots.setdefault(side, []).append(graph.index(Hex(*d["hex"])))
    # Towns by the side holding them: allies share their depots.
    towns: dict[str, list[int]] = {}
    for cid, owner in state.city_owner.items():
        if owner is not None and cid in sg.city_hex:
            towns.setdefault(state.factions[owner].side, []).append(sg.city_hex[cid])

    # Each faction's closed hexes and sources; factions whose searches run over the same
    # weights (the same closed hexes) are gathered to search together.
    crossing_country = [country for country, _ in sg.crossings]
    crossing_hex = np.array([i for _, i in sg.crossings], dtype=np.int64)
    closed_by: dict[tuple[bytes, int], tuple[np.ndarray, np.ndarray, bytes]] = {}
    groups: dict[tuple[bytes, bytes], list[tuple[str, BaseView, np.ndarray, np.ndarray]]] = {}
    for fid in order:
        fac = state.factions[fid]
        view = sg.base_view(tuple(sorted(set(fac.bases))))
        side = sides.index(fac.side)
        war = np.array([state.at_war_with(fid, o) for o in ids], dtype=bool)
        ckey = (war.tobytes(), side)
        hit = closed_by.get(ckey)
        if hit is None:
            enemy = war[whose]
            zone = zoc_hexes[enemy & zoc].ravel()
            zone = zone[zone >= 0]
            mask = np.zeros(n, dtype=bool)
            mask[where[unit_side == side]] = True  # own side's ground units hold a zone open
            zone = zone[~mask[zone]]
            closed = np.concatenate([where[enemy], zone])
            mask[:] = False
            mask[closed] = True
            hit = closed_by[ckey] = (closed, mask, np.packbits(mask).tobytes())
        closed, closed_mask, closed_key = hit

        wanted = set(fac.supply_crossings)
        src = np.unique(np.concatenate([
            np.array(towns.get(fac.side, []), dtype=np.int64),
            crossing_hex[[country in wanted for country in crossing_country]],
            view.frontier,
            np.array(depots.get(fac.side, []), dtype=np.int64),
        ]))
        src = src[~(view.outside[src] | closed_mask[src])]  # no source in a blocked hex
        groups.setdefault((view.shut, closed_key), []).append((fid, view, src, closed))

    search = _Search(sg)
    out: dict[str, np.ndarray] = {}
    # Groups closing the same hexes outside the war zone one after another: between them only
    # the edges into hexes closed by units change.
    for _, members in sorted(groups.items(), key=lambda kv: kv[0][0]):
        view, closed = members[0][1], members[0][3]
        reach = search.reaches(view, closed, [src for _, _, src, _ in members])
        for (fid, fview, _, _), got in zip(members, reach):
            got = got.copy()  # callers may scribble on their arrays
            inside = fview.inside_at
            if inside.size:  # every open hex of a base country is a source
                got[inside[~search.closed[inside]]] = True
            out[fid] = got
    return {fid: out[fid] for fid in order}


class _Search:
    """The searches of one ``supply_maps`` call over the CSR structure of a supply graph, with
    one array of weights set per set of closed hexes: only the edges into closed hexes change
    from one set to the next."""

    def __init__(self, sg: SupplyGraph):
        self.sg = sg
        self.matrix = csr_matrix((np.empty(sg.nnz), sg.indices, sg.indptr), shape=(sg.n, sg.n))
        self.limit = sg.range + _EPS
        self.base: bytes | None = None  # the ``shut`` of the base view ``data`` was copied from
        self.data = np.empty(0)
        self.shut = np.zeros(0, dtype=np.int64)  # the edges set to inf in ``data``
        self.closed = np.zeros(sg.n, dtype=bool)  # the hexes closed now
        self.ready = False
        self.pending: tuple[BaseView, np.ndarray] | None = None

    def _weigh(self, view: BaseView, closed: np.ndarray) -> None:
        self.closed[:] = False
        self.closed[closed] = True
        self.ready = False
        self.pending = (view, closed)

    def _search(self, idx: np.ndarray) -> np.ndarray:
        if not idx.size:
            return np.zeros(self.sg.n, dtype=bool)
        if not self.ready:
            assert self.pending is not None
            view, closed = self.pending
            base = view.weights  # the same for every view closing the same hexes
            if self.base != view.shut:
                self.base, self.data = view.shut, base.copy()
            else:
                self.data[self.shut] = base[self.shut]
            self.shut = self.sg.into[closed].ravel()
            self.data[self.shut] = np.inf
            self.matrix.data = self.data[:-1]
            self.ready = True
        dist = dijkstra(self.matrix, directed=True, indices=idx, min_only=True, limit=self.limit)
        return dist <= self.limit

    def reaches(self, view: BaseView, closed: np.ndarray, sources: list[np.ndarray]) -> list[np.ndarray]:
        """Where lines from each of ``sources`` (sorted hex indices) reach, ``closed`` closed.

        A line's reach from a set of sources is the union of the reaches from the parts of the
        set, so sources shared by several factions are searched from once: the union of the
        sets is cut into parts by which sets hold each source, when that makes no more
        searches than the sets.
        """
        self._weigh(view, closed)
        keys = [s.tobytes() for s in sources]
        first = {k: sources[keys.index(k)] for k in dict.fromkeys(keys)}
        distinct = list(first)
        if 1 < len(distinct) <= 62:  # parts are told apart by the bits of an int64
            union = np.unique(np.concatenate(list(first.values())))
            sig = np.zeros(union.size, dtype=np.int64)
            for bit, k in enumerate(distinct):
                sig[np.searchsorted(union, first[k])] |= 1 << bit
            parts = np.unique(sig)
            if parts.size <= len(distinct):
                reach = {k: np.zeros(self.sg.n, dtype=bool) for k in distinct}
                for part in parts.tolist():
                    got = self._search(union[sig == part])
                    for bit, k in enumerate(distinct):
                        if part >> bit & 1:
                            reach[k] |= got
                return [reach[k] for k in keys]
        reach = {k: self._search(first[k]) for k in distinct}
        return [reach[k] for k in keys]


def supply_map(state: GameState, hexmap: HexMap, rules: Rules, faction: str) -> np.ndarray:
    """Where ``faction``'s ground units are in supply: bool of shape (n,)."""
    return supply_maps(state, hexmap, rules, [faction])[faction]


__all__ = ["BaseView", "SupplyGraph", "supply_graph", "supply_map", "supply_maps"]
