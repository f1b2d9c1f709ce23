"""Fog of war: which hexes and units each side can see, and the ``SideView`` built from it.

Engine layer, pure. A unit sees the hexes within its type's vision, one further standing on
high ground or hills, one less in a city or marsh (terrain ``vision``), and one further when it
stands well above the land around it. A unit in concealing terrain (towns, hills, mountains,
marsh) is seen only from close by (terrain ``concealment``), unless it is adjacent to an enemy.
Computed for the whole map with numpy: each unit stamps a disc into one boolean array.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import threading
import weakref
from dataclasses import MISSING, dataclass, field, fields
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from game.hexgrid import Hex
from game.hexmap import HexMap
from game.movement import MapGraph, map_graph
from game.orders import OWN, PUBLIC, Event, unit_name
from game.rules import Rules

# graph -> (id(rules), unit type) -> (rules, radius from every hex). How far a type sees from a
# hex depends on the map and the rules alone, and is asked for thousands of times a turn. Kept
# with the graph (weakly) and with the rules object, whose identity it is keyed by.
_RADII: weakref.WeakKeyDictionary[MapGraph, dict] = weakref.WeakKeyDictionary()


def vision_radius(graph: MapGraph, rules: Rules, unit) -> int:
    """Hexes a unit sees from where it stands: its type's vision and the ground's, one more
    for a ground unit standing well above the land around it; at least one."""
    return int(_radius_map(graph, rules, unit.type)[graph.index(unit.hex)])


_FAR = 1 << 20


def _radius_map(graph: MapGraph, rules: Rules, type_id: str) -> np.ndarray:
    """``vision_radius`` of a unit type from every hex of the map at once (int64, read-only)."""
    per_map = _RADII.get(graph)
    if per_map is None:
        per_map = _RADII[graph] = {}
    key = (id(rules), type_id)
    got = per_map.get(key)
    if got is None:
        ut = rules.unit_type(type_id)
        ground_vision = np.array([t.vision for t in rules.terrain], dtype=np.int64)
        radius = ut.vision + ground_vision[graph.terrain]
        if ut.is_ground:
            elevation = graph.map.elevation.ravel().astype(np.int64)
            nbr = graph.nbr
            lowest = np.where(nbr >= 0, elevation[np.where(nbr >= 0, nbr, 0)], np.iinfo(np.int64).max).min(
                axis=1
            )
            above = (nbr >= 0).any(axis=1) & (elevation - lowest >= rules.vision["hill_bonus_elevation"])
            radius = radius + above
        radius = np.maximum(1, radius)
        radius.flags.writeable = False
        got = per_map[key] = (rules, radius)  # the rules kept alive with the key on their identity
    return got[1]


class _Sighting:
    """The state's units as arrays, for sight: where each stands, its side, how far it sees,
    the cover of its hex; and each side's sight once worked out. Made again only when a unit
    has moved, changed type or faction, come or gone, or a faction changed side."""

    __slots__ = ("key", "where", "sides", "side_of", "radius", "cover", "sight")

    def __init__(self, key, units: list, state, graph: MapGraph, rules: Rules):
        self.key = key
        self.sides = list(dict.fromkeys(fac.side for fac in state.factions.values()))
        self.where, self.side_of, self.radius, self.cover = self._entries(units, key, graph, rules)
        self.sight: dict[str, np.ndarray] = {}

    def _entries(self, units: list, key, graph: MapGraph, rules: Rules) -> tuple[np.ndarray, ...]:
        """For these units: where each stands, its side (a place in ``sides``), how far it
        sees and the cover of its hex."""
        where = np.array([graph.index(u.hex) for u in units], dtype=np.int64)
        code = {side: k for k, side in enumerate(self.sides)}
        sides = dict(key[3])  # faction -> side, as the key has them
        side_of = np.array([code[sides[u.faction]] for u in units], dtype=np.int64)
        radius = np.zeros(len(units), dtype=np.int64)
        types = [u.type for u in units]
        for t in dict.fromkeys(types):
            mine = np.array([x == t for x in types], dtype=bool)
            radius[mine] = _radius_map(graph, rules, t)[where[mine]]
        cover = np.array([t.concealment for t in rules.terrain], dtype=np.int64)[graph.terrain[where]]
        return where, side_of, radius, cover

    def changed(self, key, units: list, changed: list[int], graph: MapGraph, rules: Rules) -> _Sighting:
        """A sighting of the same units after those at ``changed`` (places in the list) moved,
        or changed type or faction: this one's arrays, those units' entries made again."""
        made = object.__new__(_Sighting)
        made.key, made.sides, made.sight = key, self.sides, {}
        made.where, made.side_of = self.where.copy(), self.side_of.copy()
        made.radius, made.cover = self.radius.copy(), self.cover.copy()
        at = np.array(changed, dtype=np.int64)
        before = set(self.side_of[at].tolist())
        (made.where[at], made.side_of[at], made.radius[at], made.cover[at]) = self._entries(
            [units[k] for k in changed], key, graph, rules
        )
        # A side's sight is its own units' alone: the sides none of whose units changed (most
        # often every side but the one that moved) see as they did.
        touched = before | set(made.side_of[at].tolist())
        for side, sight in self.sight.items():
            if self.sides.index(side) not in touched:
                made.sight[side] = sight
        return made


_PLACE_KIND = operator.attrgetter("hex", "type", "faction")
# The last few states' sightings, newest last: a command's check, its carrying out and the
# computer's look after it see the same units, and the sight is worked out once for them.
_SIGHTINGS: list[_Sighting] = []
_SIGHTINGS_KEPT = 4
_SIGHTINGS_LOCK = threading.Lock()
_CHANGED_AT_MOST = 64  # units changed since the last sighting, past which it is made afresh


def _sighting(state, graph: MapGraph, rules: Rules) -> tuple[_Sighting, list]:
    with _SIGHTINGS_LOCK:  # the window's computer player looks beside the window
        return _sighting_now(state, graph, rules)


def _sighting_now(state, graph: MapGraph, rules: Rules) -> tuple[_Sighting, list]:
    units = list(state.units.values())
    key = (
        graph,
        rules,
        tuple(map(_PLACE_KIND, units)),
        tuple((f, fac.side) for f, fac in state.factions.items()),
    )
    for k, known in enumerate(_SIGHTINGS):
        if known.key[0] is graph and known.key[1] is rules and known.key == key:
            if k != len(_SIGHTINGS) - 1:
                _SIGHTINGS.append(_SIGHTINGS.pop(k))
            return known, units
    made = None
    if _SIGHTINGS:  # most often a unit or two moved since the last look: change only those
        last = _SIGHTINGS[-1]
        if last.key[0] is graph and last.key[1] is rules and last.key[3] == key[3]:
            was, now = last.key[2], key[2]
            if len(was) == len(now):
                changed = list(itertools.compress(itertools.count(), map(operator.ne, was, now)))
                if len(changed) <= _CHANGED_AT_MOST:
                    made = last.changed(key, units, changed, graph, rules)
    if made is None:
        made = _Sighting(key, units, state, graph, rules)
    _SIGHTINGS.append(made)
    del _SIGHTINGS[:-_SIGHTINGS_KEPT]
    return made, units


def side_sight(state, hexmap: HexMap, rules: Rules, side: str) -> np.ndarray:
    """For each hex, the distance to the nearest unit of the side that sees it; -1 if unseen.
    Read-only: the same array is given to every caller until the units change.

    Each place a unit of the side sees from (its hex and how far it sees) has its disc of
    hexes made once per map (``MapGraph.disc``); the discs of all the side's places are laid over one
    another at once, the nearest distance kept: a unit sees a few hexes, the map has fifteen
    thousand, and a side stands on the same hexes from one order to the next."""
    graph = map_graph(hexmap)
    known, _ = _sighting(state, graph, rules)
    return _side_sight(known, graph, side)


def _side_sight(known: _Sighting, graph: MapGraph, side: str) -> np.ndarray:
    best = known.sight.get(side)
    if best is not None:
        return best
    best = np.full(graph.n, _FAR, dtype=np.int64)
    if side in known.sides:
        mine = known.side_of == known.sides.index(side)
        places = set(zip(known.where[mine].tolist(), known.radius[mine].tolist()))
        if places:
            discs = [graph.disc(i, radius) for i, radius in places]
            np.minimum.at(best, np.concatenate([d[0] for d in discs]), np.concatenate([d[1] for d in discs]))
    best[best == _FAR] = -1
    best.flags.writeable = False
    known.sight[side] = best
    return best


def visible_mask(state, hexmap: HexMap, rules: Rules, side: str) -> np.ndarray:
    """Boolean array (rows, cols): the hexes the side sees."""
    graph = map_graph(hexmap)
    return (side_sight(state, hexmap, rules, side) >= 0).reshape(graph.rows, graph.cols)


def visible_units(state, hexmap: HexMap, rules: Rules, side: str) -> list:
    """The side's own units and every other unit it can see, in id order."""
    graph = map_graph(hexmap)
    known, units = _sighting(state, graph, rules)
    return _seen_units(known, units, side, _side_sight(known, graph, side))


def _seen_units(known: _Sighting, units: list, side: str, sight: np.ndarray) -> list:
    d = sight[known.where]
    seen = (d >= 0) & ((known.cover == 0) | (d <= known.cover))
    if side in known.sides:
        seen |= known.side_of == known.sides.index(side)
    return [u for u, keep in zip(units, seen.tolist()) if keep]


def would_see(view: SideView, graph: MapGraph, rules: Rules, h: Hex) -> bool:
    """Whether a unit of another side standing on ``h`` would be seen in ``view`` (sight and
    cover); every hex in the all-seeing view."""
    if view.side is None or view.sight is None:
        return True
    if not graph.in_bounds(h):
        return False
    i = graph.index(h)
    d = view.sight[i]
    cover = rules.terrain[graph.terrain[i]].concealment
    return bool(d >= 0 and (not cover or d <= cover))


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
    attacked: bool | None = None
    turns_unsupplied: int | None = None
    # The whole strength (fit, wounded and shaken): of others, as far as can be judged from
    # outside (rounded), which shows how far a fight has disorganised them.
    strength: int = 0
    wounded: int | None = None  # own units only
    shaken: int | None = None
    killed: int | None = None


# A UnitView's fields left at their defaults, for ``_unit_view``.
_VIEW_DEFAULTS = {
    f.name: (f.default_factory() if f.default_factory is not MISSING else f.default)
    for f in fields(UnitView)
    if f.default is not MISSING or f.default_factory is not MISSING
}


def _unit_view(**given) -> UnitView:
    """``UnitView(**given)``, made in one step: a side's view holds hundreds of units, made
    again each time the computer looks, and a frozen dataclass sets its fields one call at a
    time. The same object in every way (fields, equality, still frozen)."""
    view = object.__new__(UnitView)
    view.__dict__.update(_VIEW_DEFAULTS, **given)
    return view


def seen_from_outside(u, at: Hex | None = None) -> UnitView:
    """A unit of another side as it is seen: type, flag, place (``at``, else where it stands),
    works, and its fit and whole strength to the nearest hundred; no morale or orders."""
    fit = int(round(u.personnel, -2))
    return _unit_view(
        id=u.id,
        type=u.type,
        faction=u.faction,
        hex=at or u.hex,
        personnel=fit,
        own=False,
        name=u.name,
        entrenchment=u.entrenchment,
        strength=max(fit, int(round(u.strength, -2))),
    )


class FactionView(NamedTuple):
    """A faction as every side knows it: its name and the side it is on (a pair, as before)."""

    name: str
    side: str


@dataclass(frozen=True)
class SideView:
    """The read-only part of the game one side may know. The window and the AI get only this.

    ``side`` None is the all-seeing view: every unit as "own", every hex seen (a game of
    computers watched with everything shown, a finished game's final position)."""

    side: str | None
    turn: int
    date: dt.date
    active_side: str
    sides: tuple[str, ...]
    side_names: MappingProxyType
    factions: MappingProxyType  # id -> FactionView(name, side)
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
    # The calendar and the scenario, public to every side.
    title: str = ""
    start_date: dt.date | None = None
    turn_days: int = 7
    end_turn: int = 0
    result: str = ""
    victory: tuple = ()  # the scenario's victory conditions, each a read-only mapping
    # Per hex index, how far the nearest own unit is (-1: no own unit sees it); whether a unit
    # standing there would be seen also depends on its cover (``would_see``).
    sight: np.ndarray | None = field(default=None, repr=False, compare=False)
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        if not self._index:
            self._index.update((u.id, u) for u in self.units)

    def unit(self, uid: str | None) -> UnitView | None:
        return self._index.get(uid) if uid else None

    def own_units(self) -> list[UnitView]:
        return [u for u in self.units if u.own]

    def other_units(self) -> list[UnitView]:
        return [u for u in self.units if not u.own]

    def units_of_side(self, side: str) -> list[UnitView]:
        """The units of ``side`` the view holds: all of them for its own side, the seen ones of
        others."""
        return [u for u in self.units if self.factions[u.faction].side == side]

    def at_war_with(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.at_war

    def side_of(self, faction: str) -> str:
        return self.factions[faction][1]

    def faction_name(self, faction: str | None) -> str:
        fac = self.factions.get(faction) if faction else None
        return fac.name if fac is not None else "nobody"


def _frozen(value):
    """A scenario's table, read-only: mappings as proxies, lists as tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def _own_view(u) -> UnitView:
    return _unit_view(
        id=u.id,
        type=u.type,
        faction=u.faction,
        hex=u.hex,
        personnel=u.personnel,
        own=True,
        name=u.name,
        equipment=MappingProxyType(dict(u.equipment)),
        morale=u.morale,
        experience=u.experience,
        supplied=u.supplied,
        entrenchment=u.entrenchment,
        moves_left=u.moves_left,
        attacked=u.attacked,
        turns_unsupplied=u.turns_unsupplied,
        strength=u.strength,
        wounded=u.wounded,
        shaken=u.shaken,
        killed=u.killed,
    )


# side -> unit id -> (its fields when its view was made, whether it was the side's own, the
# view): what the side saw of each unit it saw the last time it looked.
_VIEWS_MADE: dict[str | None, dict[str, tuple[dict, bool, UnitView]]] = {}


def side_view(state, hexmap: HexMap, rules: Rules, side: str | None, victory=()) -> SideView:
    """Build the view of one side. Hidden units are absent altogether, not even counted.

    ``side`` None builds the all-seeing view. ``victory`` is the scenario's victory conditions
    (public: every side is told the aims of all)."""
    graph = map_graph(hexmap)
    every = side is None
    if side is None:
        sight = np.zeros(graph.n, dtype=np.int64)
        sight.setflags(write=False)
        seen_units = list(state.units.values())
    else:
        known, every_unit = _sighting(state, graph, rules)
        sight = _side_sight(known, graph, side)
        seen_units = _seen_units(known, every_unit, side, sight)
    # A unit whose fields are all as they were when this side last looked, and still its own
    # or not, is shown by the view made of it then: most units have not changed since.
    before = _VIEWS_MADE.get(side, {})
    made: dict[str, tuple[dict, bool, UnitView]] = {}
    units = []
    for u in seen_units:
        own = every or state.factions[u.faction].side == side
        fields_now = vars(u)
        hit = before.get(u.id)
        if hit is not None and hit[1] is own and hit[0] == fields_now:
            view = hit[2]
        else:
            view = _own_view(u) if own else seen_from_outside(u)
            seen = dict(fields_now)
            if "equipment" in seen:
                seen["equipment"] = dict(seen["equipment"])
            hit = (seen, own, view)
        made[u.id] = hit
        units.append(view)
    _VIEWS_MADE[side] = made
    mine = {f for f, fac in state.factions.items() if every or fac.side == side}
    vis = (sight >= 0).reshape(graph.rows, graph.cols)
    vis.setflags(write=False)
    return SideView(
        side=side,
        turn=state.turn,
        date=state.date,
        active_side=state.active_side,
        sides=tuple(state.sides),
        side_names=MappingProxyType(dict(state.side_names)),
        factions=MappingProxyType({k: FactionView(f.name, f.side) for k, f in state.factions.items()}),
        at_war=frozenset(state.at_war),
        units=tuple(units),
        visible=vis,
        city_owner=MappingProxyType(dict(state.city_owner)),
        own_factions=MappingProxyType(
            {
                f: MappingProxyType(
                    {
                        "bases": tuple(fac.bases),
                        "supply_crossings": tuple(fac.supply_crossings),
                        "leaders": tuple(fac.leaders),
                        "quality": fac.quality,
                    }
                )
                for f, fac in state.factions.items()
                if f in mine
            }
        ),
        no_fly_zones=tuple(MappingProxyType(dict(z)) for z in state.no_fly_zones),
        air_tasks=MappingProxyType(
            {
                w: MappingProxyType(dict(t))
                for w, t in state.air_tasks.items()
                if every or t.get("side") == side
            }
        ),
        losses=MappingProxyType({f: MappingProxyType(dict(c)) for f, c in state.losses.items() if f in mine}),
        over=state.over,
        winner=state.winner,
        supply_sources=tuple(
            MappingProxyType(dict(d))
            for d in state.supply_sources
            if every or d.get("side") == side or d.get("faction") in mine
        ),
        title=state.title,
        start_date=state.start_date,
        turn_days=state.turn_days,
        end_turn=state.end_turn,
        result=state.result,
        victory=tuple(_frozen(dict(c)) for c in victory),
        sight=sight,
    )


# -- what a side learns of an event --------------------------------------------------------------


def _whose(event: Event, actor: str) -> str:
    return event.side if event.side is not None else actor


def _in_sight(hexmap: HexMap, mask: np.ndarray, h: Hex) -> bool:
    return hexmap.in_bounds(h) and bool(mask[hexmap.index(h)])


def needs_sight(event: Event, actor: str, side: str) -> bool:
    """Whether what ``side`` learns of the event depends on what it sees (its fog mask)."""
    return event.news != PUBLIC and side != _whose(event, actor)


def event_seen_by(
    event: Event, actor: str, side: str, state, hexmap: HexMap, mask: np.ndarray | None
) -> bool:
    """Whether ``side`` learns of an event of ``actor``'s order, ``mask`` being what the side
    sees (rows, cols) after it: public news always; the side's own doings and news (which the
    turn's start brings it, whoever ended the turn before); another side's where they name one
    of its units, or touch a hex it sees or a unit it sees where it now stands. Without a mask
    (None), only what needs no sight."""
    if not needs_sight(event, actor, side):
        return True
    if event.news == OWN:
        return False
    factions = state.factions
    named = [state.units[uid] for uid in event.units if uid in state.units]
    if any(factions[u.faction].side == side for u in named):
        return True
    if mask is None:
        return False
    return any(_in_sight(hexmap, mask, h) for h in event.hexes) or any(
        _in_sight(hexmap, mask, u.hex) for u in named
    )


def seen_text(
    event: Event, actor: str, side: str, hexmap: HexMap, mask: np.ndarray | None, state=None
) -> str:
    """The event's words as ``side`` may read them: another side's unit that moves out of
    sight is seen going, not arriving; of another side's units named line by line (a panic),
    only those in sight are told of. ``state`` gives the units' factions for names of units
    that have none."""
    if mask is None or not needs_sight(event, actor, side):
        return event.text
    if event.kind == "moved" and event.hexes and not _in_sight(hexmap, mask, event.hexes[-1]):
        unit = state.units.get(event.units[0]) if state is not None and event.units else None
        return f"{unit_name(unit, state) if unit is not None else 'A unit'} moved out of sight"
    if event.lines and state is not None:
        units = [state.units.get(uid) for uid in event.units]
        if any(u is not None and state.side_of(u.faction) == side for u in units):
            return event.text  # the side's own units
        seen = [u is not None and _in_sight(hexmap, mask, u.hex) for u in units]
        if len(event.lines) == len(units) and any(seen):
            return "; ".join(line for line, s in zip(event.lines, seen) if s)
        return "enemy units panic" if event.kind == "panic" else "enemy units are hit"
    return event.text


def events_seen(
    events: list[Event], actor: str, side: str, state, hexmap: HexMap, rules: Rules
) -> list[Event]:
    """Of the events of ``actor``'s order, those ``side`` learns of, its fog worked out only
    when one of them depends on it."""
    mask = None
    if any(needs_sight(e, actor, side) for e in events):
        mask = visible_mask(state, hexmap, rules, side)
    return [e for e in events if event_seen_by(e, actor, side, state, hexmap, mask)]
