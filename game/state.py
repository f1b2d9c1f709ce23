"""Game state: everything that changes during a game, and nothing else.

Engine layer (no pygame). A ``GameState`` holds the date and turn, the side to move, the
factions and who is at war with whom, the units, who holds each town, the casualty ledger and
the game's one random generator. The map and the rules are shared, read-only inputs, never
saved with a game. The state changes only through ``game.commands``; ``to_dict`` and
``from_dict`` make it plain JSON data, and ``checksum`` proves two states equal.

A game starts from a *setup*: a plain dict that a scenario file becomes once it is loaded and
checked (see ``docs/scenario-format.md``). ``GameState.new`` places it on the map.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import operator
from dataclasses import dataclass, field, replace

import numpy as np

from game.hexgrid import Hex
from game.hexmap import HexMap, MapError
from game.rules import Rules
from game.zones import zone_from_setup

STATE_VERSION = 1
# The flows of ``GameState.manpower``.
MANPOWER = (
    "start",
    "arrived",
    "withdrawn",
    "transferred_in",
    "transferred_out",
    "wounded",
    "returned",
    "shaken",
    "rallied",
)


class SetupError(Exception):
    """A setup that cannot start a game; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Unit:
    id: str
    type: str
    faction: str
    hex: Hex
    personnel: int
    name: str = ""
    equipment: dict[str, int] = field(default_factory=dict)
    morale: float = 70.0  # 0-100: below 25 a unit is broken
    experience: float = 30.0  # 0-100
    supplied: bool = True
    turns_unsupplied: int = 0
    entrenchment: int = 0
    moves_left: float = 0.0
    attacked: bool = False  # attacked this turn: a unit attacks once a turn, moving or not
    # Out of the fight, not out of the unit (``personnel`` counts only those fit to fight):
    wounded: int = 0  # in the aid posts and hospitals; most come back while the unit is supplied
    shaken: int = 0  # disorganised by a fight or a strike; back with rest and supply
    killed: int = 0  # the unit's dead so far (the ledger counts them by faction and cause)

    @property
    def strength(self) -> int:
        """The unit's whole strength: fit to fight, wounded and shaken."""
        return self.personnel + self.wounded + self.shaken

    def to_dict(self) -> dict:
        # By hand rather than dataclasses.asdict: this runs for every unit at every checksum.
        d = dict(self.__dict__)
        d["hex"] = [self.hex.q, self.hex.r]
        d["equipment"] = dict(sorted(self.equipment.items()))
        for key in _UNIT_COUNTS:  # absent while nil: saves from before they existed read alike
            if not d[key]:
                del d[key]
        return d

    def copy(self) -> Unit:
        other = object.__new__(Unit)
        other.__dict__.update(self.__dict__)
        other.equipment = dict(self.equipment)
        return other

    @classmethod
    def from_dict(cls, d: dict) -> Unit:
        d = dict(d)
        q, r = d.pop("hex")
        return cls(hex=Hex(int(q), int(r)), **d)


_UNIT_COUNTS = ("wounded", "shaken", "killed")


@dataclass
class Faction:
    id: str
    name: str
    side: str
    bases: list[str] = field(default_factory=list)  # countries that supply it and that it may enter
    supply_crossings: list[str] = field(default_factory=list)  # countries whose crossings supply it
    nation: str = ""  # for the casualty ledger's coalition nations
    leaders: list[str] = field(default_factory=list)
    active: bool = True
    quality: float = 1.0  # training and equipment: multiplies combat power
    category: str = ""  # the source's casualty category this faction's losses count under
    leader_bonus: float = 0.0  # combat bonus from the leaders the scenario attaches (0.1 = +10%)
    resolve: float = 100.0  # the morale its units get back to by rest in supply (0-100)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        for key in ("bases", "supply_crossings", "leaders"):
            d[key] = list(d[key])
        return d

    def copy(self) -> Faction:
        return replace(
            self,
            bases=list(self.bases),
            supply_crossings=list(self.supply_crossings),
            leaders=list(self.leaders),
        )

    @classmethod
    def from_dict(cls, d: dict) -> Faction:
        return cls(**d)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class GameState:
    scenario_id: str
    title: str
    start_date: dt.date
    turn_days: int
    end_turn: int  # the last turn played; after it the game is over
    sides: list[str]  # in the order they move
    side_names: dict[str, str]
    factions: dict[str, Faction]
    at_war: set[frozenset[str]]  # pairs of faction ids
    units: dict[str, Unit]  # by id, kept in id order
    city_owner: dict[str, str | None]  # city id -> faction id
    rng: np.random.Generator
    turn: int = 1
    active: int = 0  # index into sides
    losses: dict[str, dict[str, int]] = field(default_factory=dict)  # faction -> cause -> people
    equipment_lost: dict[str, dict[str, int]] = field(default_factory=dict)  # faction -> item -> n
    civilians: dict[str, int] = field(default_factory=dict)  # cause -> civilians killed
    # faction -> casualty category in force when the loss happened -> people: a faction's
    # category can change mid-game (Assad's army after his fall), its past losses do not.
    category_losses: dict[str, dict[str, int]] = field(default_factory=dict)
    no_fly_zones: list[dict] = field(default_factory=list)  # {id, name, side, hexes: [[q, r]...]}
    air_tasks: dict[str, dict] = field(default_factory=dict)  # wing id -> {kind, hex, turn}
    # Depots a scenario adds to a faction's or a side's towns: {hex: [q, r], faction or side}.
    supply_sources: list[dict] = field(default_factory=list)
    # faction -> flow -> people: what moves a faction's strength besides its losses, so that
    # start + arrived + transferred in = fit + wounded + shaken + losses + withdrawn +
    # transferred out. "wounded" and "shaken" count everyone ever put out of the fight that
    # way, "returned" and "rallied" those who came back (see ``MANPOWER``).
    manpower: dict[str, dict[str, int]] = field(default_factory=dict)
    next_unit: int = 1
    over: bool = False
    winner: str | None = None
    result: str = ""  # how the game ended, in words
    fired: list[str] = field(default_factory=list)  # ids of scenario events that have fired
    log: list[str] = field(default_factory=list)
    # What happened when, for setting the game beside the source's dated events
    # (``game.history``): [turn, "taken", city, new holder, old holder or None] each time a town
    # changes hands, [turn, "event", event id] each time a scenario event fires.
    timeline: list[list] = field(default_factory=list)

    # -- creation ---------------------------------------------------------------------------

    @classmethod
    def new(cls, setup: dict, hexmap: HexMap, rules: Rules, seed: int) -> GameState:
        """Start a game from a setup dict; raise SetupError naming every problem."""
        problems: list[str] = []
        factions = {}
        for f in setup.get("factions", []):
            factions[f["id"]] = Faction(
                id=f["id"],
                name=f.get("name", f["id"]),
                side=f["side"],
                bases=list(f.get("bases", [])),
                supply_crossings=list(f.get("supply_crossings", [])),
                nation=f.get("nation", ""),
                leaders=list(f.get("leaders", [])),
                quality=float(f.get("quality", 1.0)),
                category=f.get("category", ""),
                leader_bonus=float(f.get("leader_bonus", 0.0)),
                resolve=float(f.get("resolve", 100.0)),
            )
        sides = [s["id"] for s in setup.get("sides", [])]
        for f in factions.values():
            if f.side not in sides:
                problems.append(f"factions.{f.id}.side: unknown side {f.side!r}")
        at_war = set()
        for a, b in setup.get("at_war", []):
            for x in (a, b):
                if x not in factions:
                    problems.append(f"at_war: unknown faction {x!r}")
            at_war.add(frozenset((a, b)))
        city_owner: dict[str, str | None] = {c.id: None for c in hexmap.cities}
        for cid, fid in setup.get("cities", {}).items():
            city = hexmap.find_city(cid)
            if city is None:
                problems.append(f"cities.{cid}: unknown city")
            elif fid is not None and fid not in factions:
                problems.append(f"cities.{cid}: unknown faction {fid!r}")
            else:
                city_owner[city.id] = fid
        state = cls(
            scenario_id=setup.get("id", "custom"),
            title=setup.get("title", "Custom game"),
            start_date=_date(setup.get("start_date", "2014-06-16")),
            turn_days=int(setup.get("turn_days", 7)),
            end_turn=int(setup.get("turns", 20)),
            sides=sides,
            side_names={s["id"]: s.get("name", s["id"]) for s in setup.get("sides", [])},
            factions=factions,
            at_war=at_war,
            units={},
            city_owner=city_owner,
            rng=np.random.default_rng(seed),
        )
        for i, u in enumerate(setup.get("units", [])):
            where = f"units[{i}]"
            try:
                unit = state.make_unit(u, hexmap, rules)
            except SetupError as exc:
                problems += [f"{where}: {p}" for p in exc.problems]
                continue
            if unit.id in state.units:
                problems.append(f"{where}.id: {unit.id!r} is used twice")
            state.units[unit.id] = unit
        # No-fly zones in force at the start: hexes, or a centre and a radius (game.zones).
        # A zone the scenario keeps for an event (declared = false) is not in force yet.
        for i, z in enumerate(setup.get("no_fly_zones", [])):
            if isinstance(z, dict) and z.get("declared", True) is False:
                continue
            zone, zone_problems = zone_from_setup(z, hexmap, sides, f"no_fly_zones[{i}]")
            problems += zone_problems
            if zone is not None:
                if any(other["id"] == zone["id"] for other in state.no_fly_zones):
                    problems.append(f"no_fly_zones[{i}].id: {zone['id']!r} is used twice")
                else:
                    state.no_fly_zones.append(zone)
        for i, src in enumerate(setup.get("supply_sources", [])):
            owner = src.get("faction"), src.get("side")
            if owner[0] is not None and owner[0] not in factions:
                problems.append(f"supply_sources[{i}].faction: unknown faction {owner[0]!r}")
            elif owner[1] is not None and owner[1] not in sides:
                problems.append(f"supply_sources[{i}].side: unknown side {owner[1]!r}")
            elif (owner[0] is None) == (owner[1] is None):
                problems.append(f"supply_sources[{i}]: give a faction or a side")
            elif not hexmap.in_bounds(Hex(*src["hex"])):
                problems.append(f"supply_sources[{i}].hex: {list(src['hex'])} is off the map")
            else:
                state.supply_sources.append(
                    {
                        "hex": [int(src["hex"][0]), int(src["hex"][1])],
                        **({"faction": owner[0]} if owner[0] is not None else {"side": owner[1]}),
                    }
                )
        if problems:
            raise SetupError(problems)
        state.units = dict(sorted(state.units.items()))
        for unit in state.units.values():
            unit.moves_left = rules.unit_type(unit.type).movement
            state.record_manpower(unit.faction, "start", unit.strength)
        return state

    def make_unit(self, u: dict, hexmap: HexMap, rules: Rules) -> Unit:
        """A unit from its setup entry; the place may be a hex, a town or LAT,LON."""
        problems = []
        if u.get("type") not in rules.unit_types:
            problems.append(
                f"type: unknown unit type {u.get('type')!r}; expected one of {', '.join(rules.unit_types)}"
            )
        if u.get("faction") not in self.factions:
            problems.append(f"faction: unknown faction {u.get('faction')!r}")
        place = u.get("hex", u.get("place"))
        h = None
        if isinstance(place, (list, tuple)) and len(place) == 2:
            h = Hex(int(place[0]), int(place[1]))
            if not hexmap.in_bounds(h):
                problems.append(f"hex: {list(place)} is off the map")
        elif isinstance(place, str):
            try:
                h = hexmap.resolve_place(place)
            except MapError as exc:
                problems.append(f"place: {exc}")
        else:
            problems.append("place: give a town, LAT,LON or a hex [q, r]")
        personnel = u.get("personnel", 0)
        if not isinstance(personnel, int) or personnel < 0:
            problems.append(f"personnel: expected a whole number of people, got {personnel!r}")
        if problems:
            raise SetupError(problems)
        assert h is not None  # a place that gives no hex is a problem above
        ut = rules.unit_type(u["type"])
        terrain = hexmap.terrain_at(h)
        if terrain not in ut.enters:
            raise SetupError([f"place: {ut.a_name} cannot stand on {terrain} at {h.q},{h.r}"])
        uid = u.get("id") or self.new_unit_id(u["faction"])
        return Unit(
            id=uid,
            type=u["type"],
            faction=u["faction"],
            hex=h,
            personnel=personnel,
            name=u.get("name", ""),
            equipment={k: int(v) for k, v in u.get("equipment", {}).items()},
            morale=float(u.get("morale", 70.0)),
            experience=float(u.get("experience", 30.0)),
            entrenchment=int(u.get("entrenchment", 0)),
        )

    def new_unit_id(self, faction: str) -> str:
        uid = f"{faction}-{self.next_unit:03d}"
        self.next_unit += 1
        return uid

    # -- questions --------------------------------------------------------------------------

    @property
    def active_side(self) -> str:
        return self.sides[self.active]

    @property
    def date(self) -> dt.date:
        return self.start_date + dt.timedelta(days=(self.turn - 1) * self.turn_days)

    def side_of(self, faction: str) -> str:
        return self.factions[faction].side

    def at_war_with(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.at_war

    def enemies_of_side(self, side: str) -> set[str]:
        """Factions at war with any faction of this side."""
        mine = [f for f in self.factions.values() if f.side == side]
        return {o for o in self.factions for f in mine if self.at_war_with(f.id, o)}

    def units_of_side(self, side: str) -> list[Unit]:
        return [u for u in self.units.values() if self.factions[u.faction].side == side]

    def units_at(self, h: Hex) -> list[Unit]:
        return [u for u in self.units.values() if u.hex == h]

    def record_loss(self, faction: str, cause: str, people: int) -> None:
        if people <= 0:
            return
        book = self.losses.setdefault(faction, {})
        book[cause] = book.get(cause, 0) + int(people)
        fac = self.factions.get(faction)
        tally = self.category_losses.setdefault(faction, {})
        category = fac.category if fac is not None else ""
        tally[category] = tally.get(category, 0) + int(people)

    def record_manpower(self, faction: str, flow: str, people: int) -> None:
        """Count people arriving, leaving, put out of the fight or back in it (``MANPOWER``)."""
        if people <= 0:
            return
        book = self.manpower.setdefault(faction, {})
        book[flow] = book.get(flow, 0) + int(people)

    def record_equipment_loss(self, faction: str, item: str, count: int) -> None:
        if count <= 0:
            return
        book = self.equipment_lost.setdefault(faction, {})
        book[item] = book.get(item, 0) + int(count)

    def record_taken(self, city: str, faction: str, previous: str | None) -> None:
        """A town changed hands this turn (``timeline``)."""
        self.timeline.append([self.turn, "taken", city, faction, previous])

    def record_civilians(self, cause: str, people: int) -> None:
        if people > 0:
            self.civilians[cause] = self.civilians.get(cause, 0) + int(people)

    # -- people out of the fight and out of the game ------------------------------------------

    def lose_people(self, unit: Unit, n: int, equipment: dict | None = None) -> int:
        """Take ``n`` people from a unit's fit (the caller counts them), and its equipment in
        proportion, counted as lost; ``equipment`` (unit id -> item -> n) hears of it."""
        n = max(0, min(n, unit.personnel))
        if n <= 0:
            return 0
        before = unit.personnel + unit.shaken
        unit.personnel -= n
        if unit.equipment and before > 0:
            lost = {}
            for item, count in unit.equipment.items():
                k = min(count, int(count * n / before + 0.5))
                if k > 0:
                    lost[item] = k
            for item, k in lost.items():
                unit.equipment[item] -= k
                self.record_equipment_loss(unit.faction, item, k)
            if lost and equipment is not None:
                mine = equipment.setdefault(unit.id, {})
                for item, k in lost.items():
                    mine[item] = mine.get(item, 0) + k
        return n

    def hurt(
        self, unit: Unit, killed: int, wounded: int, shaken: int, cause: str, equipment: dict | None = None
    ) -> tuple[int, int, int]:
        """Put people of a unit out of the fight: ``killed`` dead (counted in the ledger under
        ``cause``), ``wounded`` and ``shaken`` (counted as such in ``manpower`` and kept with
        the unit till they come back). Equipment is lost in proportion to the killed and
        wounded. Never more than the unit has fit; returns what was taken."""
        killed = max(0, min(killed, unit.personnel))
        wounded = max(0, min(wounded, unit.personnel - killed))
        self.lose_people(unit, killed + wounded, equipment)
        shaken = max(0, min(shaken, unit.personnel))
        unit.personnel -= shaken
        unit.killed += killed
        unit.wounded += wounded
        unit.shaken += shaken
        self.record_loss(unit.faction, cause, killed)
        self.record_manpower(unit.faction, "wounded", wounded)
        self.record_manpower(unit.faction, "shaken", shaken)
        return killed, wounded, shaken

    def remove_unit(self, unit: Unit, cause: str, equipment: dict | None = None) -> int:
        """The unit is gone: its people counted under ``cause``, its equipment as lost.

        Its wounded share its fate if it is taken; otherwise they are out of the war, alive
        (cause "wounded"). Returns the people counted under ``cause``."""
        n = unit.personnel + unit.shaken
        if cause == "captured":
            n += unit.wounded
        else:
            self.record_loss(unit.faction, "wounded", unit.wounded)
        self.record_loss(unit.faction, cause, n)
        for item, count in unit.equipment.items():
            if count > 0:
                self.record_equipment_loss(unit.faction, item, count)
                if equipment is not None:
                    mine = equipment.setdefault(unit.id, {})
                    mine[item] = mine.get(item, 0) + count
        del self.units[unit.id]
        return n

    # -- persistence ------------------------------------------------------------------------

    def to_dict(self) -> dict:
        return {
            "version": STATE_VERSION,
            "scenario_id": self.scenario_id,
            "title": self.title,
            "start_date": self.start_date.isoformat(),
            "turn_days": self.turn_days,
            "end_turn": self.end_turn,
            "sides": list(self.sides),
            "side_names": dict(self.side_names),
            "factions": {k: f.to_dict() for k, f in self.factions.items()},
            "at_war": sorted(sorted(p) for p in self.at_war),
            "units": [u.to_dict() for u in self.units.values()],
            "city_owner": dict(sorted(self.city_owner.items())),
            "rng": _rng_to_dict(self.rng),
            "turn": self.turn,
            "active": self.active,
            "losses": {f: dict(sorted(c.items())) for f, c in sorted(self.losses.items())},
            "equipment_lost": {f: dict(sorted(c.items())) for f, c in sorted(self.equipment_lost.items())},
            "civilians": dict(sorted(self.civilians.items())),
            "category_losses": {f: dict(sorted(c.items())) for f, c in sorted(self.category_losses.items())},
            "no_fly_zones": [dict(z) for z in self.no_fly_zones],
            "air_tasks": {k: dict(v) for k, v in sorted(self.air_tasks.items())},
            **(
                {"supply_sources": [dict(s) for s in self.supply_sources]} if self.supply_sources else {}
            ),  # absent when none: older saves stay valid
            **(
                {"manpower": {f: dict(sorted(c.items())) for f, c in sorted(self.manpower.items())}}
                if self.manpower
                else {}
            ),
            "next_unit": self.next_unit,
            "over": self.over,
            "winner": self.winner,
            "result": self.result,
            "fired": list(self.fired),
            "log": list(self.log),
            **(
                {"timeline": [list(e) for e in self.timeline]} if self.timeline else {}
            ),  # absent when empty: older saves stay valid
        }

    @classmethod
    def from_dict(cls, d: dict) -> GameState:
        if d.get("version") != STATE_VERSION:
            raise ValueError(f"state version {d.get('version')!r}, this game reads {STATE_VERSION}")
        units = [Unit.from_dict(u) for u in d["units"]]
        return cls(
            scenario_id=d["scenario_id"],
            title=d["title"],
            start_date=_date(d["start_date"]),
            turn_days=int(d["turn_days"]),
            end_turn=int(d["end_turn"]),
            sides=list(d["sides"]),
            side_names=dict(d["side_names"]),
            factions={k: Faction.from_dict(f) for k, f in d["factions"].items()},
            at_war={frozenset(p) for p in d["at_war"]},
            units={u.id: u for u in units},
            city_owner=dict(d["city_owner"]),
            rng=_rng_from_dict(d["rng"]),
            turn=int(d["turn"]),
            active=int(d["active"]),
            losses={f: {k: int(v) for k, v in c.items()} for f, c in d["losses"].items()},
            equipment_lost={f: {k: int(v) for k, v in c.items()} for f, c in d["equipment_lost"].items()},
            civilians={k: int(v) for k, v in d["civilians"].items()},
            category_losses={f: {k: int(v) for k, v in c.items()} for f, c in d["category_losses"].items()},
            no_fly_zones=[dict(z) for z in d["no_fly_zones"]],
            air_tasks={k: dict(v) for k, v in d["air_tasks"].items()},
            supply_sources=[dict(s) for s in d.get("supply_sources", [])],
            manpower={f: {k: int(v) for k, v in c.items()} for f, c in d.get("manpower", {}).items()},
            next_unit=int(d["next_unit"]),
            over=bool(d["over"]),
            winner=d["winner"],
            result=str(d["result"]),
            fired=list(d["fired"]),
            log=list(d["log"]),
            timeline=[list(e) for e in d.get("timeline", [])],
        )

    def copy(self) -> GameState:
        """An independent copy (for undo), made field by field: much faster than deepcopy."""
        rng = np.random.Generator(type(self.rng.bit_generator)())
        rng.bit_generator.state = self.rng.bit_generator.state
        nested = lambda d: {k: dict(v) for k, v in d.items()}  # noqa: E731
        return replace(
            self,
            sides=list(self.sides),
            side_names=dict(self.side_names),
            factions={k: f.copy() for k, f in self.factions.items()},
            at_war=set(self.at_war),
            units={k: u.copy() for k, u in self.units.items()},
            city_owner=dict(self.city_owner),
            rng=rng,
            losses=nested(self.losses),
            equipment_lost=nested(self.equipment_lost),
            civilians=dict(self.civilians),
            category_losses=nested(self.category_losses),
            no_fly_zones=copy.deepcopy(self.no_fly_zones),
            air_tasks=copy.deepcopy(self.air_tasks),
            supply_sources=copy.deepcopy(self.supply_sources),
            manpower=nested(self.manpower),
            fired=list(self.fired),
            log=list(self.log),
            timeline=list(self.timeline),  # its entries are never changed once written
        )

    def checksum(self) -> str:
        return state_checksum(self.to_dict())


def state_checksum(data: dict) -> str:
    blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class RunningChecksum:
    """The checksum of a whole state, cheap enough to take after every command: the journal
    keeps one per command (``Game.checksums``), so that a replay can name the first command
    whose result differs.

    ``GameState.checksum`` writes the whole state out as JSON, milliseconds in a big game, and
    the AI gives thousands of commands a game, most of which change a unit or two. This one
    reads every field of the state and of each unit, but writes out only the parts that
    changed since it last looked: a unit, a field of the state, and of a list (the log, the
    timeline) only the entries added at its end. What it saw is kept as a copy and compared
    with ``==``; the parts are written out in a form in which equal values read alike (1, 1.0
    and true; a table's keys and a set's members in any order), so the checksum is that of the
    state alone, never of what this object saw before: a game loaded from a save and the same
    game replayed from its start give the same checksums. It is another number than
    ``GameState.checksum``, of 32 hex digits too.
    """

    def __init__(self) -> None:
        # The units as last seen, in the state's order: ids, copies of their fields, digests.
        self._ids: tuple[str, ...] = ()
        self._seen: list[dict] = []
        self._digests: list[bytes] = []
        self._parts: dict[str, tuple] = {}  # field -> (kind, as seen, digest, ...)

    def __call__(self, state: GameState) -> str:
        units = state.units
        ids = tuple(units)
        fields = list(map(vars, units.values()))
        if ids != self._ids:  # units came or went: line up what was seen with them
            was = dict(zip(self._ids, zip(self._seen, self._digests)))
            kept = [was.get(uid, ({}, b"")) for uid in ids]
            self._ids = ids
            self._seen = [k[0] for k in kept]
            self._digests = [k[1] for k in kept]
        seen, digests = self._seen, self._digests
        # The loop over every unit runs in C; only the units that changed are written out.
        for i in itertools.compress(itertools.count(), map(operator.ne, fields, seen)):
            now = fields[i]
            copied = dict(now)
            copied["equipment"] = dict(now["equipment"])
            seen[i] = copied
            digests[i] = _digest(_canonical(now))
        total = hashlib.sha256(b"units %d;" % len(digests))
        total.update(b"".join(digests))
        parts = self._parts
        for name in _STATE_FIELDS:
            value = getattr(state, name)
            if name == "rng":
                value = value.bit_generator.state
            elif name == "factions":  # compared as tables: a dataclass compares in Python
                value = {k: vars(f) for k, f in value.items()}
            hit = parts.get(name)
            kind = type(value)
            if kind is list:
                hit = _list_digest(value, hit)
            elif kind is dict:
                hit = _dict_digest(value, hit)
            elif hit is None or hit[1] != value:
                hit = ("value", _snapshot(value), _digest(_canonical(value)))
            parts[name] = hit
            total.update(name.encode())
            total.update(hit[2])
        return total.hexdigest()[:32]


# The fields of a state besides its units, in the order the checksum reads them.
_STATE_FIELDS = tuple(f.name for f in dataclasses.fields(GameState) if f.name != "units")


def _canonical(value):
    """A value of the state as JSON data in which values equal by ``==`` are written alike:
    a whole float or true/false as a whole number, a tuple as a list, a set as a sorted list,
    a date as ISO text, a hex or a faction as the table of its fields. A copy: none of its lists
    or tables are the value's."""
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is bool:
        return int(value)
    if kind is dict:
        return {k: _canonical(v) for k, v in value.items()}
    if kind is Hex:  # a named tuple, written as the table of its fields
        return {"q": value.q, "r": value.r}
    if kind is list or kind is tuple:
        return [_canonical(v) for v in value]
    if kind is set or kind is frozenset:
        return sorted((_canonical(v) for v in value), key=_encoded)
    if kind is dt.date:
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"a {kind.__name__} in the game state has no checksum")


def _snapshot(value):
    """A copy of a value of the state that later changes to the value leave alone: tables,
    lists and sets copied, what cannot change (text, numbers, frozen sets, hexes) shared."""
    kind = type(value)
    if kind is dict:
        return {k: _snapshot(v) for k, v in value.items()}
    if kind is list:
        return [_snapshot(v) for v in value]
    if kind is set:
        return set(value)  # its members are hashable: frozen sets, text, numbers
    # ``__dataclass_params__`` is set by @dataclass on the class; the stubs do not declare it.
    params = getattr(type(value), "__dataclass_params__", None)
    if params is not None and not params.frozen:
        other = copy.copy(value)
        for f in dataclasses.fields(value):
            setattr(other, f.name, _snapshot(getattr(value, f.name)))
        return other
    return value


def _encoded(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _digest(value) -> bytes:
    return hashlib.sha256(_encoded(value)).digest()


def _dict_digest(table: dict, hit: tuple | None) -> tuple:
    """("dict", the table as seen, its digest, its entries' digests) for ``RunningChecksum``:
    the digest of a table is that of its keys, sorted, each with its value's digest, so an
    entry that changed (a faction's losses) is all that is written out again."""
    if hit is not None and hit[0] == "dict":
        if table == hit[1]:
            return hit
        seen, entries = dict(hit[1]), dict(hit[3])
    else:
        seen, entries = {}, {}
    for k in [k for k in entries if k not in table]:
        del seen[k], entries[k]
    for k, v in table.items():
        if k not in seen or seen[k] != v:
            seen[k] = _snapshot(v)
            entries[k] = _digest(_canonical(v))
    total = hashlib.sha256(b"table;")
    for k in sorted(entries):
        total.update(_encoded(k) + entries[k])
    return "dict", seen, total.digest(), entries


def _list_digest(items: list, hit: tuple | None) -> tuple:
    """("list", the list as seen, its digest, the hash so far) for ``RunningChecksum``: the
    digest of a list is that of its entries one after the other, so entries added at the end
    (as the log grows) are all that is written out again while the earlier ones are as they
    were."""
    if hit is not None and hit[0] == "list":
        done, running = hit[1], hit[3]
        n = len(done)
        if len(items) == n and items == done:
            return hit
        if len(items) > n and items[:n] == done:
            return _extend(done, items[n:], running.copy())
    return _extend([], items, hashlib.sha256(b"list;"))


def _extend(done: list, items: list, running) -> tuple:
    for v in items:
        running.update(_encoded(_canonical(v)) + b"\n")
    return "list", done + _snapshot(items), running.digest(), running


def _rng_to_dict(rng: np.random.Generator) -> dict:
    st = rng.bit_generator.state
    return {
        "bit_generator": st["bit_generator"],
        "state": {k: int(v) for k, v in st["state"].items()},
        "has_uint32": int(st["has_uint32"]),
        "uinteger": int(st["uinteger"]),
    }


def _rng_from_dict(d: dict) -> np.random.Generator:
    if d.get("bit_generator") != "PCG64":
        raise ValueError(f"unknown random generator {d.get('bit_generator')!r}")
    bg = np.random.PCG64()
    # numpy checks the inner state's keys when it is set; the stubs want them spelled out.
    bg.state = {
        "bit_generator": "PCG64",
        "state": dict(d["state"]),  # type: ignore[typeddict-item]
        "has_uint32": d["has_uint32"],
        "uinteger": d["uinteger"],
    }
    return np.random.Generator(bg)
