"""Movement: what a move costs, where a unit can go, and the cheapest path there.

Engine layer, pure: map, rules and what the mover knows in; ranges and paths out. The map is
turned once into flat arrays over hex indices (``MapGraph``), and the cost of every hexside for
a kind of unit is one numpy array, so a unit's whole range is a short Dijkstra over integers.

Rules: terrain costs by movement class; along a road a fixed low cost whatever the terrain;
crossing a river costs extra, less by a road bridge; a unit that enters a hex in an enemy zone
of control stops there, and leaving such a hex costs extra; no unit enters a hex held by an
enemy; at most ``stack_limit`` ground units of one side end their move in a hex (they may pass
through more). Ground units enter only the war zone (Iraq and Syria) and their faction's bases.
"""

from __future__ import annotations

import heapq
import itertools
import math
import operator
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from game.hexgrid import DIRECTIONS, Hex, oddr_axial_arrays
from game.hexmap import HexMap
from game.rules import Rules, UnitType, move_cost_table

# Countries the war is fought in. Other countries are the bases of the factions that list them.
WAR_ZONE = ("IRQ", "SYR")


# The most hexes the discs kept by a map graph hold in all (16 bytes each): a few thousand
# places' sight and the computer's reach, not the whole map at every radius.
_DISC_HEXES = 1_000_000


class MapGraph:
    """The map as arrays over hex indices ``i = row * cols + col``."""

    def __init__(self, hexmap: HexMap):
        self.map = hexmap
        self.rows, self.cols = hexmap.rows, hexmap.cols
        self.n = self.rows * self.cols
        q, r = oddr_axial_arrays(self.cols, self.rows)
        self.q = q.ravel()
        self.r = r.ravel()
        nbr = np.full((self.n, 6), -1, dtype=np.int64)
        for d, step in enumerate(DIRECTIONS):
            nr, ncol, ok = hexmap.indices(self.q + step.q, self.r + step.r)
            nbr[ok, d] = (nr * self.cols + ncol)[ok]
        self.nbr = nbr
        self.nbr_list: list[list[int]] = nbr.tolist()
        self.terrain = hexmap.terrain.ravel().astype(np.int64)
        self.country = hexmap.country.ravel().astype(np.int64)
        self.road = hexmap.road.reshape(self.n, 6) > 0
        self.river = hexmap.river.reshape(self.n, 6) > 0
        self.country_codes = hexmap.countries
        self._hexes: list[Hex] | None = None
        # Discs by (hex, radius), the most recently used last, at most _DISC_HEXES hexes in all.
        self._discs: OrderedDict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._disc_hexes = 0
        self._discs_lock = threading.Lock()
        self._shapes: dict[tuple[int, int], DiscShape] = {}

    def index(self, h: Hex) -> int:
        # The odd-r offset of ``hexgrid.axial_to_oddr``, inline: this is asked for every unit
        # in every search, and a call less is a third of its cost.
        r = h.r
        return r * self.cols + h.q + (r - (r & 1)) // 2

    def hex(self, i: int) -> Hex:
        return self.hexes[i]

    def disc(self, i: int, radius: int) -> tuple[np.ndarray, np.ndarray]:
        """The hexes within ``radius`` of hex ``i``: their indices and distances (int64), in
        index order; made once for each hex and radius asked for (sight, the AI's maps) and kept
        while it is among the most recently used."""
        with self._discs_lock:  # the window's computer player thinks beside the window
            return self._disc(i, radius)

    def _disc(self, i: int, radius: int) -> tuple[np.ndarray, np.ndarray]:
        discs = self._discs
        hit = discs.get((i, radius))
        if hit is not None:
            discs.move_to_end((i, radius))
        else:
            rows, cols = self.rows, self.cols
            row, col = divmod(i, cols)
            r0, r1 = max(0, row - radius), min(rows, row + radius + 1)
            c0, c1 = max(0, col - radius - 1), min(cols, col + radius + 2)
            dq = self.q.reshape(rows, cols)[r0:r1, c0:c1] - int(self.q[i])
            dr = self.r.reshape(rows, cols)[r0:r1, c0:c1] - int(self.r[i])
            dist = np.maximum(np.maximum(np.abs(dq), np.abs(dr)), np.abs(dq + dr))
            inside = np.nonzero(dist <= radius)
            flat = (inside[0] + r0) * cols + (inside[1] + c0)
            hit = discs[(i, radius)] = (flat.astype(np.int64), dist[inside].astype(np.int64))
            self._disc_hexes += len(flat)
            while self._disc_hexes > _DISC_HEXES:
                _, (gone, _) = discs.popitem(last=False)
                self._disc_hexes -= len(gone)
        return hit

    def local_disc(self, i: int, radius: int) -> tuple[np.ndarray, DiscShape]:
        """The hexes within ``radius`` of hex ``i`` (in index order) and the disc's shape: for
        each of them and each of its six sides, the place in that list of the neighbour there,
        as a little map of its own. Away from the map's edges a disc is the same shape for
        every hex of a row's parity: made once per radius and parity, and moved to ``i``."""
        rows, cols = self.rows, self.cols
        row, col = divmod(i, cols)
        roomy = rows > 2 * radius + 4 and cols > 2 * radius + 6  # a disc fits inside the map
        if roomy and radius < row < rows - radius - 1 and radius + 1 < col < cols - radius - 2:
            key = (radius, row & 1)
            shape = self._shapes.get(key)
            if shape is None:
                centre = (radius + 1 + (row & 1 != (radius + 1) & 1)) * cols + radius + 2
                disc, _ = self.disc(centre, radius)
                shape = self._shapes[key] = DiscShape(self, disc, centre)
            return shape.offsets + i, shape
        disc, _ = self.disc(i, radius)
        return disc, DiscShape(self, disc, i)

    @property
    def hexes(self) -> list[Hex]:
        """Every hex of the map by index, made once: Hex objects are slow to build."""
        if self._hexes is None:
            self._hexes = [Hex(q, r) for q, r in zip(self.q.tolist(), self.r.tolist())]
        return self._hexes

    def in_bounds(self, h: Hex) -> bool:
        return self.map.in_bounds(h)

    def country_mask(self, codes) -> np.ndarray:
        wanted = [i for i, c in enumerate(self.country_codes) if c in codes]
        return np.isin(self.country, wanted)


class DiscShape:
    """A disc of hexes as a graph of its own, for a search within it: ``at`` (hexes, 6), the
    place in the disc of each hex's neighbour on each side (-1: outside the disc or the map);
    the steps inside it (``inside``, a (hexes, 6) mask) as the rows of a sparse matrix
    (``targets``, ``indptr``, and ``rows``: the hex each step leaves from)."""

    def __init__(self, graph: MapGraph, disc: np.ndarray, centre: int):
        self.offsets = disc - centre
        to = graph.nbr[disc]
        at = np.searchsorted(disc, to)
        at[at >= len(disc)] = 0
        self.inside = (to >= 0) & (disc[at] == to)
        self.at = np.where(self.inside, at, -1)
        self.targets = self.at[self.inside].astype(np.int32)
        count = self.inside.sum(axis=1)
        self.indptr = np.concatenate(([0], np.cumsum(count))).astype(np.int32)
        self.rows = np.repeat(np.arange(len(disc)), count)
        # Where each step's cost is in a (hexes, 6) table, less six times the centre's index:
        # the disc of hex i is ``offsets + i``, so its steps' costs are at ``edge_base + 6 i``.
        self.edge_base = (self.offsets[self.rows] * 6 + np.nonzero(self.inside)[1]).astype(np.int64)
        self.centre_at = int(np.searchsorted(self.offsets, 0))  # the centre's place in the disc
        self._mine = threading.local()

    def matrix(self, weights: np.ndarray) -> csr_matrix:
        """The disc's steps with these weights (one per step, inf: none), as a sparse matrix;
        one matrix per thread, its weights written over, for a shape that is kept."""
        k = len(self.offsets)
        held = getattr(self._mine, "matrix", None)
        if held is None:
            held = self._mine.matrix = csr_matrix((weights, self.targets, self.indptr), shape=(k, k))
        else:
            held.data[:] = weights
        return held


@lru_cache(maxsize=4)
def map_graph(hexmap: HexMap) -> MapGraph:
    graph = MapGraph(hexmap)
    if graph.n > _MASK + 1:
        raise ValueError(f"map of {graph.n} hexes is larger than the movement search allows")
    return graph


def allowed_countries(bases) -> tuple[str, ...]:
    return tuple(sorted(set(WAR_ZONE) | set(bases)))


# graph -> key -> tables, both the float tables and the search's integer ones. Keyed on the
# graph itself, weakly: a game's own map (with a scenario's terrain changes) has its own graph,
# and its tables go when it does. Within a graph the key holds the rules by identity; each entry
# keeps its rules object alive with it, so that an identity is never reused for other rules.
_EDGE_CACHE: weakref.WeakKeyDictionary[MapGraph, dict] = weakref.WeakKeyDictionary()


def _tables(graph: MapGraph) -> dict:
    mine = _EDGE_CACHE.get(graph)
    if mine is None:
        mine = _EDGE_CACHE[graph] = {}
    return mine


def _step_rows(graph: MapGraph, rules: Rules, ut: UnitType, bases) -> list[tuple[int, ...]]:
    """For each hex, its row of ``_step_array``: the cost of stepping through each of its six
    sides (in the order of ``graph.nbr``) in whole hundredths, ``_NO_STEP`` where there is no
    way; the Python search's input, read beside ``graph.nbr_list``. Hexes whose six costs are
    the same share one row, so a table is a list of a few hundred distinct rows."""

    def build(_cost: np.ndarray) -> list[tuple[int, ...]]:
        whole, _ = _step_array(graph, rules, ut, bases)
        # Each row as one number (its six costs as digits in the base of the distinct costs),
        # so that finding the distinct rows is a sort of numbers, not of rows.
        values, codes = np.unique(whole, return_inverse=True)
        if len(values) ** 6 >= 1 << 62:
            shared: dict[tuple[int, ...], tuple[int, ...]] = {}
            return [shared.setdefault(row, row) for row in map(tuple, whole.tolist())]
        digits = codes.reshape(whole.shape).astype(np.int64) @ (len(values) ** np.arange(6, dtype=np.int64))
        _, first, which = np.unique(digits, return_index=True, return_inverse=True)
        distinct = [tuple(row) for row in whole[first].tolist()]
        return list(map(distinct.__getitem__, which.ravel().tolist()))

    return _cached(graph, rules, ut, bases, "hundredths", build)


def _step_array(graph: MapGraph, rules: Rules, ut: UnitType, bases) -> tuple[np.ndarray, int]:
    """The step costs in whole hundredths as one (hexes, 6) array, ``_NO_STEP`` where there is
    no way, and the cheapest step there is (hundredths): both searches' input."""

    def build(cost: np.ndarray) -> tuple[np.ndarray, int]:
        steps = np.isfinite(cost)
        # np.rint rounds halves to even, as Python's round does: the same whole hundredths.
        whole = np.where(steps, np.rint(np.where(steps, cost, 0.0) * _SCALE), _NO_STEP).astype(np.int64)
        whole.flags.writeable = False
        return whole, int(whole[steps].min()) if steps.any() else _NO_STEP

    return _cached(graph, rules, ut, bases, "hundredths array", build)


def _step_weights(graph: MapGraph, rules: Rules, ut: UnitType, bases) -> np.ndarray:
    """``_step_array`` as floats, flat (hex * 6 + side), inf where there is no way: a disc's
    step weights are gathered from it at once."""

    def build(cost: np.ndarray) -> np.ndarray:
        whole, _ = _step_array(graph, rules, ut, bases)
        flat = np.where(whole < _NO_STEP, whole.astype(np.float64), np.inf).ravel()
        flat.flags.writeable = False
        return flat

    return _cached(graph, rules, ut, bases, "hundredths flat", build)


def _edge_key(graph: MapGraph, rules: Rules, ut: UnitType, bases) -> tuple:
    """Types that move alike share their tables: same class, same terrain, same borders."""
    countries = allowed_countries(bases) if ut.is_ground else ()
    return (id(rules), ut.category, ut.move_class, ut.enters, countries)


def _cached(graph: MapGraph, rules: Rules, ut: UnitType, bases, form: str, build):
    """One form of the movement table of a kind of mover (``form``: "cost", the array itself;
    "hundredths array", "hundredths" rows), made from its cost array on first use; each form
    only when asked for."""
    key = _edge_key(graph, rules, ut, bases)
    mine = _tables(graph)
    entry = mine.get(key)
    if entry is None:
        entry = mine[key] = {"rules": rules, "cost": _cost_array(graph, rules, ut, bases)}
    if form not in entry:
        entry[form] = build(entry["cost"])
    return entry[form]


def cost_array(graph: MapGraph, rules: Rules, ut: UnitType, bases=()) -> np.ndarray:
    """(hexes, 6): the cost of stepping from each hex through each side; inf where it cannot.
    Made once per kind of mover and map; not to be written to."""
    return _cached(graph, rules, ut, bases, "cost", lambda cost: cost)


def _cost_array(graph: MapGraph, rules: Rules, ut: UnitType, bases) -> np.ndarray:
    """(hexes, 6): the cost of stepping from each hex through each side; inf where it cannot."""
    terrain_cost = np.array(move_cost_table(rules, ut))
    nbr = graph.nbr
    valid = nbr >= 0
    target = np.where(valid, nbr, 0)
    cost = terrain_cost[graph.terrain[target]]
    if ut.is_ground:
        mv = rules.movement
        road = graph.road
        river = graph.river
        cost = np.where(road, np.where(np.isfinite(cost), mv["road_cost"], cost), cost)
        cost = cost + np.where(river, np.where(road, mv["bridge_cost"], mv["river_cost"]), 0.0)
        allowed = graph.country_mask(allowed_countries(bases))
        cost = np.where(allowed[target], cost, math.inf)
    cost = np.where(valid, cost, math.inf)
    cost.flags.writeable = False
    return cost


@dataclass
class Obstacles:
    """What stands in a mover's way, as far as the mover knows it."""

    enemy: set[int]  # hexes holding enemy units
    zoc: set[int]  # hexes in an enemy zone of control
    blocked_end: set[int]  # hexes the unit may pass but not stop in (stack full, other sides)


class _Board:
    """A list of units as arrays for ``obstacles_for``: where each stands, and its faction and
    type as codes. Kept for the last few lists asked about; when the same units (ids, factions,
    types) come again, only the hexes of those that moved are looked up again."""

    __slots__ = ("graph", "keys", "hexes", "where", "factions", "fcode", "types", "tcode", "at")

    def __init__(self, graph: MapGraph, keys: list, hexes: list):
        self.graph = graph
        self.keys = keys
        self.hexes = hexes
        index = graph.index
        self.where = np.array([index(h) for h in hexes], dtype=np.int64)
        factions = {f: k for k, f in enumerate(dict.fromkeys(key[1] for key in keys))}
        types = {t: k for k, t in enumerate(dict.fromkeys(key[2] for key in keys))}
        self.factions, self.types = list(factions), list(types)
        self.fcode = np.array([factions[key[1]] for key in keys], dtype=np.int64)
        self.tcode = np.array([types[key[2]] for key in keys], dtype=np.int64)
        self.at: dict[str, list[int]] = {}
        for k, key in enumerate(keys):
            self.at.setdefault(key[0], []).append(k)

    def moved(self, hexes: list) -> None:
        index, where = self.graph.index, self.where
        for k in itertools.compress(itertools.count(), map(operator.is_not, hexes, self.hexes)):
            where[k] = index(hexes[k])
        self.hexes = hexes


_ID_KIND = operator.attrgetter("id", "faction", "type")
_HEX = operator.attrgetter("hex")
_BOARDS: list[_Board] = []
_BOARDS_KEPT = 4
_BOARDS_LOCK = threading.Lock()


def _board(graph: MapGraph, units) -> _Board:
    units = units if isinstance(units, list) else list(units)
    keys = list(map(_ID_KIND, units))
    hexes = list(map(_HEX, units))
    for k, board in enumerate(_BOARDS):
        if board.graph is graph and board.keys == keys:
            board.moved(hexes)
            if k != len(_BOARDS) - 1:
                _BOARDS.append(_BOARDS.pop(k))
            return board
    board = _Board(graph, keys, hexes)
    _BOARDS.append(board)
    del _BOARDS[:-_BOARDS_KEPT]
    return board


def obstacles_for(graph: MapGraph, rules: Rules, unit, units, at_war, side_of) -> Obstacles:
    """Obstacles for ``unit`` from an iterable of the units the mover knows of.

    ``at_war(f1, f2)`` and ``side_of(faction)`` answer for the factions concerned. What a unit
    is to the mover depends only on its faction and type: each faction and type present is
    judged once, and the units sorted into the sets with arrays (``_Board``). Asked for every
    unit the computer moves, against every unit its side knows of, this is the search's
    constant companion."""
    with _BOARDS_LOCK:  # a kept board is shared: its places are read while no one moves them
        board = _board(graph, units)
        where = board.where.copy()
    ut = rules.unit_type(unit.type)
    ground = ut.is_ground
    my_side = side_of(unit.faction)
    hostile_f = np.array([bool(at_war(unit.faction, f)) for f in board.factions], dtype=bool)
    friend_f = np.array([side_of(f) == my_side for f in board.factions], dtype=bool)
    kinds = [rules.unit_type(t) for t in board.types]
    ground_t = np.array([k.is_ground for k in kinds], dtype=bool)
    zoc_t = np.array([bool(k.zoc) for k in kinds], dtype=bool)
    same_t = np.array([k.category == ut.category for k in kinds], dtype=bool)
    hostile = hostile_f[board.fcode]
    friend = ~hostile & friend_f[board.fcode]
    other = ~hostile & ~friend
    on_ground = ground_t[board.tcode]
    mine = board.at.get(unit.id)
    if mine:  # the mover itself is no obstacle
        for k in mine:
            hostile[k] = friend[k] = other[k] = False
    if ground:
        blocks = hostile & (on_ground | same_t[board.tcode])
        zoned = hostile & on_ground & zoc_t[board.tcode]
    else:
        blocks = hostile & same_t[board.tcode]
        zoned = np.zeros_like(hostile)
    enemy = set(where[blocks].tolist())
    around = graph.nbr[where[zoned]].ravel()
    zoc = set(around[around >= 0].tolist())
    blocked_end = set(where[other & on_ground].tolist()) if ground else set()
    if ground:
        count = np.bincount(where[friend & on_ground], minlength=graph.n)
        blocked_end.update(np.flatnonzero(count >= rules.movement["stack_limit"]).tolist())
    return Obstacles(enemy=enemy, zoc=zoc - enemy, blocked_end=blocked_end)


# Costs are kept in hundredths of a movement point inside the search, so that a heap entry is
# one integer (cost << 16 | hex index): much faster than tuples of floats.
_SCALE = 100
_BITS = 16
_MASK = (1 << _BITS) - 1
# The cost of a step that cannot be made: beyond any unit's points, so the search's first test
# refuses it (off the map too, where the neighbour is -1).
_NO_STEP = 1 << 40


def reachable(
    graph: MapGraph,
    rules: Rules,
    ut: UnitType,
    start: int,
    moves: float,
    obstacles: Obstacles,
    bases=(),
    goal: int = -1,
) -> tuple[dict[int, float], dict[int, int]]:
    """Dijkstra from ``start`` within ``moves`` points: (cost to each hex reached, previous hex).

    With a ``goal``, the search stops when the goal's cost is settled: its cost and the chain of
    previous hexes back to the start are then final (the same as a full search's), the costs of
    other hexes may not be."""
    rows = _step_rows(graph, rules, ut, bases)
    nbrs = graph.nbr_list
    enemy, zoc = obstacles.enemy, obstacles.zoc
    limit = int(round(moves * _SCALE))
    big = 1 << 62
    cost = [big] * graph.n  # lists index faster than dicts; the copy costs ~20 us
    cost[start] = 0
    prev: dict[int, int] = {}
    touched = [start]
    push, pop = heapq.heappush, heapq.heappop
    bits, mask = _BITS, _MASK
    # Leaving a hex in an enemy zone of control costs extra; the first step pays it.
    extra = int(round(rules.movement["zoc_exit_cost"] * _SCALE)) if (ut.is_ground and start in zoc) else 0
    heap = []
    for j, w in zip(nbrs[start], rows[start]):
        nc = w + extra
        if nc <= limit and nc < cost[j] and j not in enemy:
            cost[j] = nc
            prev[j] = start
            touched.append(j)
            heap.append(nc << bits | j)
    heapq.heapify(heap)
    while heap:
        key = pop(heap)
        c = key >> bits
        i = key & mask
        if c > cost[i]:
            continue  # stale
        if i == goal:
            break
        if i in zoc:
            continue  # entering an enemy zone of control ended the move here
        for j, w in zip(nbrs[i], rows[i]):
            nc = c + w
            if nc <= limit and nc < cost[j] and j not in enemy:
                if cost[j] == big:
                    touched.append(j)
                cost[j] = nc
                prev[j] = i
                push(heap, nc << bits | j)
    return {i: cost[i] / _SCALE for i in touched}, prev


@dataclass
class Reach:
    """One search from a unit's hex: where it may end its move and the cheapest way to each,
    so that a range and any number of paths cost a single search."""

    graph: MapGraph
    start: int
    cost: dict[int, float]  # hex index -> cost, the start included (0)
    prev: dict[int, int]
    blocked_end: set[int]

    def ends(self) -> list[int]:
        """Indices of the hexes the unit may end on, in the order the search reached them."""
        start, blocked = self.start, self.blocked_end
        return [i for i in self.cost if i != start and i not in blocked]

    def hexes(self) -> dict[Hex, float]:
        """``movement_range``'s answer: the hexes it may end on, with their cost."""
        hexes, cost = self.graph.hexes, self.cost
        return {hexes[i]: cost[i] for i in self.ends()}

    def path(self, target: Hex) -> tuple[list[Hex], float] | None:
        """``find_path``'s answer: the path (start first) to ``target`` and its cost, or None."""
        graph = self.graph
        if not graph.in_bounds(target):
            return None
        goal = graph.index(target)
        if goal in self.blocked_end or goal == self.start or goal not in self.cost:
            return None
        line = [goal]
        prev, start = self.prev, self.start
        while line[-1] != start:
            line.append(prev[line[-1]])
        hexes = graph.hexes
        return [hexes[i] for i in reversed(line)], self.cost[goal]


def reach(
    graph: MapGraph,
    rules: Rules,
    unit,
    obstacles: Obstacles,
    bases=(),
    moves: float | None = None,
    goal: int = -1,
) -> Reach:
    """The search behind ``movement_range`` and ``find_path``, kept for both."""
    ut = rules.unit_type(unit.type)
    start = graph.index(unit.hex)
    budget = unit.moves_left if moves is None else moves
    cost, prev = reachable(graph, rules, ut, start, budget, obstacles, bases, goal)
    return Reach(graph, start, cost, prev, obstacles.blocked_end)


def movement_range(graph: MapGraph, rules: Rules, unit, obstacles: Obstacles, bases=()) -> dict[Hex, float]:
    """Hexes where the unit may end its move this turn, with the cost of getting there.

    The same hexes and costs as ``reach(...).hexes()`` (the costs are whole hundredths, summed
    exactly either way), found by scipy's Dijkstra over the hexes the unit's points could
    cover at the cheapest step: what a player's selected unit shows. The computer, which also
    needs the paths and their order, uses ``reach``."""
    ut = rules.unit_type(unit.type)
    start = graph.index(unit.hex)
    where, cost = _local_range(graph, rules, ut, start, unit.moves_left, obstacles, bases)
    hexes, blocked = graph.hexes, obstacles.blocked_end
    return {hexes[i]: c for i, c in zip(where, cost) if i != start and i not in blocked}


def _local_range(
    graph: MapGraph, rules: Rules, ut: UnitType, start: int, moves: float, obstacles: Obstacles, bases
) -> tuple[list[int], list[float]]:
    """The hexes ``reachable`` reaches and their costs, as lists, found with scipy.

    Only the disc of hexes the points could cover at the cheapest step is searched: its hexes
    (``MapGraph.disc``, in index order) are numbered locally, the steps out of enemy zones of
    control (but the start's) and into enemy hexes are left out, the start's steps carry the
    cost of leaving a zone, and the step costs are whole hundredths, so the sums are exact."""
    _, cheapest = _step_array(graph, rules, ut, bases)
    limit = int(round(moves * _SCALE))
    if limit <= 0 or cheapest >= _NO_STEP:
        return [start], [0.0]
    radius = min(limit // cheapest, graph.rows + graph.cols)
    disc, shape = graph.local_disc(start, radius)
    k = len(disc)
    here = shape.centre_at
    weight = _step_weights(graph, rules, ut, bases)[shape.edge_base + 6 * start]  # a copy

    def inside(ids: set[int]) -> np.ndarray:  # where in the disc those of ``ids`` in it are
        wanted = np.fromiter(ids, dtype=np.int64, count=len(ids))
        spot = np.minimum(np.searchsorted(disc, wanted), k - 1)
        return spot[disc[spot] == wanted]

    if obstacles.enemy:
        blocked = np.zeros(k, dtype=bool)
        blocked[inside(obstacles.enemy)] = True
        weight[blocked[shape.targets]] = np.inf  # no step into an enemy's hex
    if obstacles.zoc:
        stuck = np.zeros(k, dtype=bool)
        stuck[inside(obstacles.zoc)] = True
        if ut.is_ground and stuck[here]:
            weight[shape.indptr[here] : shape.indptr[here + 1]] += round(
                rules.movement["zoc_exit_cost"] * _SCALE
            )
        stuck[here] = False
        weight[stuck[shape.rows]] = np.inf  # entering a zone of control ends the move there
    dist = dijkstra(shape.matrix(weight), indices=here, limit=limit)
    reached = np.flatnonzero(np.isfinite(dist))
    return disc[reached].tolist(), (dist[reached] / _SCALE).tolist()


def find_path(
    graph: MapGraph,
    rules: Rules,
    unit,
    target: Hex,
    obstacles: Obstacles,
    bases=(),
    moves: float | None = None,
) -> tuple[list[Hex], float] | None:
    """The cheapest path (start first) to a hex the unit may end on, with its cost; else None."""
    if not graph.in_bounds(target):
        return None
    goal = graph.index(target)
    if goal in obstacles.blocked_end or goal == graph.index(unit.hex):
        return None
    return reach(graph, rules, unit, obstacles, bases, moves, goal).path(target)


def path_cost(
    graph: MapGraph, rules: Rules, ut: UnitType, path: list[Hex], zoc: set[int], bases=()
) -> list[float]:
    """Cost of each step of a path (len(path) - 1 numbers); inf for a step that cannot be made."""
    edges = cost_array(graph, rules, ut, bases)
    zoc_exit = rules.movement["zoc_exit_cost"] if ut.is_ground else 0.0
    out = []
    for k, (a, b) in enumerate(zip(path, path[1:])):
        d = a.direction_to(b)
        if d is None:
            out.append(math.inf)
            continue
        i = graph.index(a)
        c = float(edges[i, d])
        if k == 0 and i in zoc:
            c += zoc_exit
        out.append(c)
    return out
