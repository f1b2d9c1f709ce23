"""The vocabulary of orders: what every command, the rules that carry them out and the clients
that send them share.

Orders floor: below the rules (combat, air, turns, events, victory) and the commands, above the
state and the map. ``Command`` is the base of every order and keeps the registry by kind that
journals and save files are read through; ``Event`` is what applying one produces, ``Result``
what the one door (``Game.execute``) answers, ``Context`` the map and the rules a command needs
besides the state. ``own_unit``, ``capture`` and ``unit_name`` are the helpers orders of every
kind use: whose unit this is, what taking a hex means for its town, and a unit's name as a
player reads it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from game.hexgrid import Hex
from game.hexmap import HexMap
from game.movement import WAR_ZONE, map_graph
from game.rules import Rules, default_rules
from game.state import GameState


class CommandError(Exception):
    """A command file entry that is not a command at all (unknown kind, missing fields)."""


# Who learns of an event (``game.visibility.event_seen_by`` decides, for people and computer
# players alike):
PUBLIC = "public"  # every side: the calendar, the scenario's news, who holds the towns
OWN = "own"  # only the side whose news it is (what it now sees; its own units cut off)
LOCAL = "local"  # that side, the sides whose units it names, and any side that sees one of its
# hexes or one of its units where it now stands


@dataclass
class Event:
    """Something that happened, as the window shows it and the logs keep it.

    ``text`` is the whole of it, in words; ``data`` the figures the window animates from (a
    path walked, the losses of a fight). Who learns of it is in the typed fields: ``units`` it
    concerns and the ``hexes`` it happened in (in order: a path's last hex is where it ended),
    ``side`` whose doing or news it is (None: the side whose order brought it about), and
    ``news``, one of PUBLIC, OWN and LOCAL. ``lines`` gives the words for each of ``units`` when
    another side is to be told only of those it sees (the units of a side that panic)."""

    kind: str
    text: str
    data: dict = field(default_factory=dict)
    reveals: bool = False  # the player learned something: undo stops here
    units: tuple[str, ...] = ()
    hexes: tuple[Hex, ...] = ()
    side: str | None = None
    news: str = LOCAL
    lines: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "data": self.data,
            "reveals": self.reveals,
            "units": list(self.units),
            "hexes": [[h.q, h.r] for h in self.hexes],
            "side": self.side,
            "news": self.news,
            "lines": list(self.lines),
        }


@dataclass
class Result:
    ok: bool
    problems: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)


@dataclass
class Context:
    """What a command needs besides the state: the map and the rules."""

    hexmap: HexMap
    rules: Rules

    @property
    def graph(self):
        return map_graph(self.hexmap)


_REGISTRY: dict[str, type[Command]] = {}


@dataclass
class Command:
    kind: ClassVar[str] = ""
    side: str

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.kind:
            _REGISTRY[cls.kind] = cls

    def validate(self, state: GameState, ctx: Context) -> list[str]:
        problems = []
        if state.over:
            problems.append("the game is over")
        elif self.side != state.active_side:
            problems.append(
                f"not your turn: {state.side_names.get(state.active_side, state.active_side)} is to move"
            )
        return problems

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        raise NotImplementedError

    def _acting_unit(self, state: GameState, ctx: Context, uid: str):
        """The turn and ownership checks every unit order starts with: (problems, unit)."""
        problems = Command.validate(self, state, ctx)
        if problems:
            return problems, None
        unit = own_unit(state, self.side, uid, problems)
        return problems, unit

    def to_dict(self) -> dict:
        d = asdict(self)
        d["kind"] = self.kind
        return d

    @staticmethod
    def from_dict(d: dict) -> Command:
        kind = d.get("kind") if isinstance(d, dict) else None
        if not isinstance(kind, str) or kind not in _REGISTRY:
            what = kind if isinstance(d, dict) else d
            raise CommandError(f"unknown command {short(what)}")
        cls = _REGISTRY[kind]
        body = {k: v for k, v in d.items() if k != "kind"}
        problem = _body_problem(cls, body)
        if problem:
            raise CommandError(f"bad {kind} command: {problem}")
        try:
            return cls._from_body(body)
        except (TypeError, ValueError, KeyError) as exc:
            raise CommandError(f"bad {kind} command: {short(exc)}") from None

    @classmethod
    def _from_body(cls, body: dict) -> Command:
        return cls(**body)


# What a command's fields may hold, by the type its class declares: a journal read from a file
# is checked against these before a command is made of it (hexes within this of the origin).
_MAX_COORD = 10_000
_MAX_ITEMS = 10_000  # hexes in a path or a zone, units in an attack
_MAX_TEXT = 1_000


def short(value) -> str:
    """A value for a one-line message, cut short (it may come from a damaged file)."""
    text = (
        value
        if isinstance(value, str)
        else (f"a {type(value).__name__}" if isinstance(value, (list, dict)) else str(value))
    )
    text = " ".join(repr(text).split()) if isinstance(value, str) else " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_hex(v) -> bool:
    return (
        isinstance(v, (list, tuple))
        and len(v) == 2
        and all(_is_int(x) and -_MAX_COORD <= x <= _MAX_COORD for x in v)
    )


_FIELD_CHECKS = {
    "str": (lambda v: isinstance(v, str) and len(v) <= _MAX_TEXT, "text"),
    "int": (lambda v: _is_int(v) and -_MAX_COORD <= v <= _MAX_COORD, "a whole number"),
    "Hex": (_is_hex, "a hex [q, r]"),
    "list[Hex]": (
        lambda v: isinstance(v, list) and len(v) <= _MAX_ITEMS and all(map(_is_hex, v)),
        "a list of hexes [q, r]",
    ),
    "list[str]": (
        lambda v: (
            isinstance(v, list)
            and len(v) <= _MAX_ITEMS
            and all(isinstance(x, str) and len(x) <= _MAX_TEXT for x in v)
        ),
        "a list of ids",
    ),
}


def _body_problem(cls, body: dict) -> str:
    """What is wrong with the fields of a command read from a file, in words, or ""."""
    declared = {f.name: f.type for f in dataclasses.fields(cls)}
    for key, value in body.items():
        if key not in declared:
            return f"unknown field {short(key)}"
        check = _FIELD_CHECKS.get(str(declared[key]))
        if check is None:
            return f"the field {key!r} cannot be read from a file"
        if not check[0](value):
            return f"{key} should be {check[1]}, not {short(value)}"
    if "side" not in body:
        return "no side"
    return ""


def unit_name(unit, state: GameState | None = None, rules: Rules | None = None) -> str:
    """A unit as a player reads it: its name; a unit with none by its faction, its type and
    what its id ends with, a number or words ("Iraq infantry no. 2", "Islamic State militia
    and insurgents (Mosul)"). Without ``state`` the faction is left out."""
    if unit.name:
        return unit.name
    ut = (rules or default_rules()).unit_types.get(unit.type)
    kind = ut.name.lower() if ut is not None else unit.type.replace("_", " ")
    faction = state.factions.get(unit.faction) if state is not None else None
    base = f"{faction.name} {kind}" if faction is not None else kind[:1].upper() + kind[1:]
    tail = unit.id[len(unit.faction) + 1 :] if unit.id.startswith(f"{unit.faction}-") else unit.id
    if tail.isdigit():
        return f"{base} no. {int(tail)}"
    words = " ".join(w[:1].upper() + w[1:] for w in re.split(r"[-_\s]+", tail) if w)
    return f"{base} ({words})" if words else base


def own_unit(state: GameState, side: str, uid: str, problems: list[str]):
    unit = state.units.get(uid)
    if unit is None:
        problems.append(f"no unit {uid!r}")
        return None
    if state.side_of(unit.faction) != side:
        problems.append(
            f"not your unit: {unit_name(unit, state)} belongs to {state.factions[unit.faction].name}"
        )
        return None
    return unit


def capture(state: GameState, ctx: Context, unit, h: Hex) -> list[Event]:
    """A ground unit entering ``h`` takes its town from a side it is at war with (within the war
    zone or a country its faction has bases in): the owner changes and the taking is recorded."""
    city = ctx.hexmap.city_at(h)
    if city is None:
        return []
    owner = state.city_owner.get(city.id)
    if owner == unit.faction or (owner is not None and not state.at_war_with(owner, unit.faction)):
        return []
    if city.country not in WAR_ZONE and city.country not in state.factions[unit.faction].bases:
        return []
    state.city_owner[city.id] = unit.faction
    state.record_taken(city.id, unit.faction, owner)
    who = state.factions[unit.faction].name
    was = f" from {state.factions[owner].name}" if owner else ""
    state.log.append(f"Turn {state.turn}: {who} took {city.name}{was}")
    return [
        Event(
            "city_taken",
            f"{who} took {city.name}{was}",
            {"city": city.id, "faction": unit.faction, "from": owner},
            reveals=True,
            units=(unit.id,),
            hexes=(h,),
            news=PUBLIC,
        )
    ]


__all__ = [
    "LOCAL",
    "OWN",
    "PUBLIC",
    "Command",
    "CommandError",
    "Context",
    "Event",
    "Result",
    "capture",
    "own_unit",
    "short",
    "unit_name",
]
