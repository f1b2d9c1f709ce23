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
many sources at once (``min_only``, in effect one virtual super-source) with
``limit = range``. A base country's hexes are all in supply, so the search starts only from
its frontier hexes and never walks back into it.

Searches are shared where the answer is sure to be the same, bit for bit:

* the reach of a set of sources is the union of the reaches of its parts, so the sources of
  factions whose bases close the same hexes are cut into parts by which factions hold them
  (a side's towns, one faction's crossings...), and each part is searched from once;
* a part needed by factions at war with different enemies is searched once with the hexes
  closed for any of them closed, which gives distances every one of them reaches too; a line
  shorter for one faction passes a hex its own enemies leave open, the first such hex a source
  or entered from a hex at a distance already found, so a search seeded at those hexes (from a
  virtual hex with an edge to each, weighted by nothing or the cheapest entry) finds the rest.
  Its sums are made in the same order as a search from the sources, so the floats are the
  same. Sources are therefore parted before units close any (a town in an enemy's zone of
  control is a source of the part all the same, only not under the closed hexes of the
  factions at war with that enemy).

Each thread keeps its search arrays (``SupplyGraph.search``) and, from one set of closed hexes
to the next, changes only the weights into the hexes that differ.
"""

from __future__ import annotations

import math
import threading
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
_BASE_VIEWS = 32  # base views kept per supply graph: one per set of bases a faction has


@dataclass
class SupplyGraph:
    """The supply network of one map under one ruleset: CSR arrays and fixed per-hex masks."""

    graph: MapGraph
    range: float
    indptr: np.ndarray  # CSR row pointers: the edges out of hex i are indptr[i]:indptr[i+1]
    indices: np.ndarray  # the hex each edge enters
    tail: np.ndarray  # the hex each edge leaves, nnz + 1: the padding slot leaves hex n (none)
    weights: np.ndarray  # the cost of entering it
    into: np.ndarray  # (n, 6): positions of the edges entering each hex, padded with nnz
    war_zone: np.ndarray  # bool (n,): Iraq and Syria
    passable: np.ndarray  # bool (n,): land a unit on foot can cross (not sea or lake)
    city_hex: dict[str, int]  # city id -> hex index
    crossings: tuple[tuple[str, int], ...]  # (neighbour country, inside hex index), map order
    _bases: dict[tuple[str, ...], BaseView] = field(default_factory=dict)
    _scratch: threading.local = field(default_factory=threading.local, repr=False)

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
            while len(self._bases) > _BASE_VIEWS:
                self._bases.pop(next(iter(self._bases)), None)  # the oldest
        return hit

    def search(self) -> _Search:
        """This thread's search arrays over the graph, made once per thread and reused."""
        mine = getattr(self._scratch, "search", None)
        if mine is None:
            mine = self._scratch.search = _Search(self)
        return mine


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
    tail = sg.tail[:-1]
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
        tail=np.append(np.repeat(np.arange(n), np.diff(indptr)), n),
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

    # Each faction's closed hexes and sources.
    held: dict[int, np.ndarray] = {}  # side -> bool (n,): a ground unit of it stands there
    closed_by: dict[tuple[bytes, int], _Closed] = {}
    sources_by: dict[tuple, np.ndarray] = {}
    wants: list[tuple[str, BaseView, np.ndarray, _Closed]] = []
    for fid in order:
        fac = state.factions[fid]
        bases = tuple(sorted(set(fac.bases)))
        view = sg.base_view(bases)
        side = sides.index(fac.side)
        war = np.array([state.at_war_with(fid, o) for o in ids], dtype=bool)
        ckey = (war.tobytes(), side)
        shut = closed_by.get(ckey)
        if shut is None:
            if side not in held:
                held[side] = np.zeros(n, dtype=bool)
                held[side][where[unit_side == side]] = True
            enemy = war[whose]
            zone = zoc_hexes[enemy & zoc].ravel()
            zone = zone[zone >= 0]
            zone = zone[~held[side][zone]]  # own side's ground units hold a zone open
            mask = np.zeros(n, dtype=bool)
            mask[where[enemy]] = True
            mask[zone] = True
            shut = closed_by[ckey] = _Closed(mask)
        wanted = frozenset(fac.supply_crossings)
        skey = (fac.side, wanted, bases)
        src = sources_by.get(skey)
        if src is None:
            src = sources_by[skey] = np.unique(
                np.concatenate(
                    [
                        np.array(towns.get(fac.side, []) + depots.get(fac.side, []), dtype=np.int64),
                        np.array([i for country, i in sg.crossings if country in wanted], dtype=np.int64),
                        view.frontier,
                    ]
                )
            )
        # No source lies in a blocked hex: those outside here, those closed by units below.
        src = src[~view.outside[src]]
        wants.append((fid, view, src, shut))

    search = sg.search()
    out: dict[str, np.ndarray] = {}
    # Bases closing the same hexes outside the war zone give the same weights but for the
    # hexes units close: their factions are searched for together.
    families: dict[bytes, list[tuple[str, BaseView, np.ndarray, _Closed]]] = {}
    for want in wants:
        families.setdefault(want[1].shut, []).append(want)
    for family in families.values():
        reach = search.family(family[0][1], [(src, shut) for _, _, src, shut in family])
        for (fid, view, _, shut), got in zip(family, reach):
            got = got.copy()  # callers may scribble on their arrays
            inside = view.inside_at
            if inside.size:  # every open hex of a base country is a source
                got[inside[~shut.mask[inside]]] = True
            out[fid] = got
    return {fid: out[fid] for fid in order}


class _Closed:
    """Hexes closed by enemy units and their zones of control, as a mask and its key."""

    def __init__(self, mask: np.ndarray):
        self.mask = mask
        self.key = np.packbits(mask).tobytes()


class _Search:
    """Searches over the CSR structure of a supply graph, one thread's (``SupplyGraph.search``).

    One array of weights is set per set of closed hexes: from one set to the next only the
    edges into hexes closed by units change, and the weights set are known by the base view's
    ``shut`` and the closed hexes' key, from one call to the next. Past the graph's edges the
    arrays hold a virtual hex's edges for a seeded search (``_seeded``).
    """

    def __init__(self, sg: SupplyGraph):
        self.sg = sg
        n, nnz = sg.n, sg.nnz
        self.limit = sg.range + _EPS
        self.data = np.ones(nnz + n)
        self.indices = np.zeros(nnz + n, dtype=sg.indices.dtype)
        self.indices[:nnz] = sg.indices
        indptr = np.append(sg.indptr, nnz).astype(sg.indptr.dtype)
        self.matrix = csr_matrix((self.data[:nnz], sg.indices, sg.indptr), shape=(n, n))
        # The same edges and a virtual hex n, whose edges are set per seeded search.
        self.seeding = csr_matrix((self.data, self.indices, indptr), shape=(n + 1, n + 1))
        self.base: bytes | None = None  # the ``shut`` of the base view the weights come from
        self.mask = np.zeros(sg.n, dtype=bool)  # the hexes closed in the weights set
        self.closed: bytes | None = None

    def _weigh(self, view: BaseView, closed: np.ndarray, key: bytes) -> None:
        """Set the weights of ``view`` with the hexes of the mask ``closed`` closed."""
        if self.base == view.shut and self.closed == key:
            return
        sg = self.sg
        base = view.weights  # the same for every view closing the same hexes
        # Unknown until they are set: an error midway leaves them to be set afresh.
        shut, self.base, self.closed = self.base, None, None
        if shut != view.shut:
            self.data[: sg.nnz] = base[:-1]
            self.mask[:] = False
        # Only the edges into hexes closed or opened since the last set change.
        edges = sg.into[np.flatnonzero(closed != self.mask)].ravel()
        edges = edges[edges < sg.nnz]
        self.data[edges] = np.where(closed[sg.indices[edges]], np.inf, base[edges])
        self.mask[:] = closed
        self.base, self.closed = view.shut, key

    def _run(self, idx: np.ndarray) -> np.ndarray:
        return dijkstra(self.matrix, directed=True, indices=idx, min_only=True, limit=self.limit)

    def _seeded(self, seeds: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Distances from a virtual hex with an edge to each of ``seeds`` costing its label."""
        sg, k = self.sg, seeds.size
        n, nnz = sg.n, sg.nnz
        self.indices[nnz : nnz + k] = seeds
        self.data[nnz : nnz + k] = labels
        m = self.seeding
        m.indptr[n + 1] = nnz + k
        m.indices, m.data = self.indices[: nnz + k], self.data[: nnz + k]
        return dijkstra(m, directed=True, indices=n, limit=self.limit)[:n]

    def family(self, view: BaseView, wants: list[tuple[np.ndarray, _Closed]]) -> list[np.ndarray]:
        """Where lines reach for each (sources, closed hexes) of factions whose bases close the
        same hexes: bool (n,) each, to be copied before they are changed.

        A line's reach from a set of sources is the union of the reaches from the parts of the
        set, so sources shared by several factions are searched from once: the union of the
        sets is cut into parts by which sets hold each source, when that makes no more
        searches than the sets. A part needed under several sets of closed hexes is searched
        once with all of them closed, then from where each set reopens (``_reopened``).
        """
        keys = [src.tobytes() for src, _ in wants]
        sets = {k: src for k, (src, _) in zip(keys, wants)}
        under: dict[bytes, dict[bytes, _Closed]] = {k: {} for k in sets}
        for k, (_, shut) in zip(keys, wants):
            under[k].setdefault(shut.key, shut)
        parts: list[tuple[np.ndarray, list[bytes]]] = [(src, [k]) for k, src in sets.items()]
        if 1 < len(sets) <= 62:  # parts are told apart by the bits of an int64
            distinct = list(sets)
            union = np.unique(np.concatenate(list(sets.values())))
            sig = np.zeros(union.size, dtype=np.int64)
            for bit, k in enumerate(distinct):
                sig[np.searchsorted(union, sets[k])] |= 1 << bit
            bits = np.unique(sig)
            if bits.size <= len(distinct):
                parts = [
                    (union[sig == b], [k for bit, k in enumerate(distinct) if b >> bit & 1])
                    for b in bits.tolist()
                ]
        n = self.sg.n
        reach = {(k, c): np.zeros(n, dtype=bool) for k in sets for c in under[k]}
        work: list[tuple[np.ndarray, list[bytes], list[_Closed]]] = []
        for idx, holders in parts:
            needed: dict[bytes, _Closed] = {}
            for k in holders:
                needed.update(under[k])
            work.append((idx, holders, list(needed.values())))
        # Each search costs a fixed toll besides the hexes it reaches: when sharing would take
        # more than twice the searches of one for each set under each of its closed sets (many
        # small parts, each needed under many sets), those are run instead.
        shared = sum(1 if len(shuts) == 1 else 1 + len(shuts) for idx, _, shuts in work if idx.size)
        if shared > 2 * len(reach):
            work = [(src, [k], [shut]) for k, src in sets.items() for shut in under[k].values()]
        for idx, holders, shuts in work:
            if not idx.size:
                continue
            got = self._reaches(view, idx, shuts)
            for k in holders:
                for c in under[k]:
                    if c in got:
                        reach[(k, c)] |= got[c]
        return [reach[(k, shut.key)] for k, (_, shut) in zip(keys, wants)]

    def _reaches(self, view: BaseView, idx: np.ndarray, shuts: list[_Closed]) -> dict[bytes, np.ndarray]:
        """Where lines from the hexes ``idx`` reach under each of ``shuts``, by its key; a hex
        of ``idx`` a set closes is no source under it."""
        limit = self.limit
        if len(shuts) == 1:
            shut = shuts[0]
            idx = idx[~shut.mask[idx]]
            if not idx.size:
                return {shut.key: np.zeros(self.sg.n, dtype=bool)}
            self._weigh(view, shut.mask, shut.key)
            return {shut.key: self._run(idx) <= limit}
        every = np.zeros(self.sg.n, dtype=bool)
        for shut in shuts:
            every |= shut.mask
        open_ = idx[~every[idx]]
        if open_.size:
            self._weigh(view, every, np.packbits(every).tobytes())
            dist = self._run(open_)
        else:
            dist = np.full(self.sg.n, np.inf)
        least = dist <= limit
        source = np.zeros(self.sg.n, dtype=bool)
        source[idx] = True
        return {shut.key: self._reopened(view, source, dist, least, every, shut) for shut in shuts}

    def _reopened(
        self,
        view: BaseView,
        source: np.ndarray,
        dist: np.ndarray,
        least: np.ndarray,
        every: np.ndarray,
        shut: _Closed,
    ) -> np.ndarray:
        """The reach under ``shut`` from the distances ``dist`` found with ``every`` closed.

        Those distances are reached under ``shut`` too (``shut`` closes no more). A shorter
        line runs through a hex ``shut`` reopens: the first such hex on it is a source (the
        mask ``source``) or is entered from a hex at its distance found, so a search seeded at
        each reopened hex with nothing or the cheapest such entry, under ``shut``, finds every
        shorter line, each summed in the same order.
        """
        sg = self.sg
        reopened = np.flatnonzero(every & ~shut.mask)
        if not reopened.size:
            return least
        edges = sg.into[reopened]  # (k, 6), padded with nnz: tail n, weight inf
        label = (np.append(dist, np.inf)[sg.tail[edges]] + view.weights[edges]).min(axis=1)
        label[source[reopened]] = 0.0  # a virtual edge costing nothing: csgraph keeps it
        near = label <= self.limit
        if not near.any():
            return least
        self._weigh(view, shut.mask, shut.key)
        return least | (self._seeded(reopened[near], label[near]) <= self.limit)


def supply_map(state: GameState, hexmap: HexMap, rules: Rules, faction: str) -> np.ndarray:
    """Where ``faction``'s ground units are in supply: bool of shape (n,)."""
    return supply_maps(state, hexmap, rules, [faction])[faction]


__all__ = ["BaseView", "SupplyGraph", "supply_graph", "supply_map", "supply_maps"]
