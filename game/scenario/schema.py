"""The scenario format's tables and fields as data: one place for the validator and the editor.

Engine layer. ``game.scenario.validate`` takes from here which parts, fields, triggers, actions
and victory conditions exist and which fields each may have; the editor builds its forms from
the same tables (``describe()`` gives them as JSON-ready data). A field's ``type`` says what a
form should offer:

===================  =============================================================
``text``             a line of text (``description`` and ``message`` may be long)
``integer``          a whole number (``low``/``high`` bound it when given)
``number``           a number (``low``/``high`` bound it when given)
``date``             a date
``bool``             true or false
``place``            a town, ``"LAT,LON"`` or a hex ``[q, r]``
``places``           a list of places
``city``             a town of the map
``cities``           a list of towns
``side``             a side of the scenario
``faction``          a faction of the scenario
``faction_or_side``  a faction or a side
``factions``         a list of factions
``faction_pair``     two different factions
``faction_pairs``    a list of pairs of factions
``sides``            a list of sides (``side_order``)
``unit``             the id of a unit of the scenario
``event``            the id of an event of the scenario
``zone``             the id of a no-fly zone of the scenario
``unit_type``        a unit type of the rules
``unit_types``       a list of unit types
``terrain``          a terrain of the map
``category``         a casualty category (``choices``)
``nation``           a coalition nation (``choices``)
``countries``        a list of country codes of the map
``names``            a list of names
``equipment``        a table of equipment counts (the items the unit type has)
``units``            a list of unit tables (``UNIT``)
``triggers``         a list of triggers (``TRIGGERS``); an event's ``trigger`` is one
``actions``          a list of actions (``ACTIONS``)
``casualties``       a table of casualty categories (and ``civilians``) to people
``dates``            two dates, from and to (both counted)
``history_events``   a list of the source's dated events (``HISTORY_EVENT``)
===================  =============================================================

Choices that depend on the scenario (its factions, sides, events, zones, units), on the map
(towns, countries) or on the rules (unit types, terrains) are not listed here: the editor
reads them from the document it edits (``game.editor.choices``).
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = (
    "coalition",
    "syrian_opposition",
    "new_government",
    "assad_forces",
    "pro_assad",
    "iran",
    "iraq",
    "hezbollah",
    "kurds",
    "isis",
    "al_qaeda",
)
NATIONS = ("US", "UK", "TR", "FR", "CA", "AU", "SA", "other")

# The ranges a real scenario's figures can have, kept here once: the validator refuses a value
# outside them, the editor's forms offer no other, and docs/scenario-format.md gives them
# (a test holds the three together). The bundled scenarios stay well inside: at most 88 turns
# (the campaign), 25,000 people and 300 of an item of equipment in a unit, and 260,000 dead in a
# casualty category.
MAX_TURNS = 200  # turns in a game: its dates and turn length must not make more
MAX_PERSONNEL = 200_000  # people in one unit
MAX_EQUIPMENT = 2_000  # of one item of equipment (aircraft, tanks...) in one unit
MAX_PEOPLE = 10_000_000  # a figure of people lost or killed
MAX_ID = 64  # characters in an id (the longest bundled one has 24)
TITLE_MAX = 100  # characters in an event's title: a line of the event log

# What a unit of each category needs to do anything, at least one of: an air wing flies its
# combat aircraft, a naval group fights with its warships (game.air).
NEEDS = {"air": "combat aircraft", "naval": "warships"}

TYPES = (
    "text",
    "integer",
    "number",
    "date",
    "bool",
    "place",
    "places",
    "city",
    "cities",
    "side",
    "faction",
    "faction_or_side",
    "factions",
    "faction_pair",
    "faction_pairs",
    "sides",
    "unit",
    "event",
    "zone",
    "unit_type",
    "unit_types",
    "terrain",
    "category",
    "nation",
    "countries",
    "names",
    "equipment",
    "units",
    "triggers",
    "actions",
    "casualties",
    "dates",
    "history_events",
    "event_ids",
    "unit_ids",
    "event_tables",
    "unit_moves",
    "faction_changes",
    "victory_tables",
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool = False
    doc: str = ""
    choices: tuple[str, ...] = ()  # the allowed values when they are fixed by the format
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # the value must be more than low, not equal to it
    default: str = ""  # an optional field left out: what it is then, in words

    def to_dict(self) -> dict:
        d = {"name": self.name, "type": self.type, "required": self.required, "doc": self.doc}
        if self.choices:
            d["choices"] = list(self.choices)
        if self.low is not None:
            d["low"] = self.low
        if self.high is not None:
            d["high"] = self.high
        if self.low_open:
            d["low_open"] = True
        if self.default:
            d["default"] = self.default
        return d

    def in_range(self, value) -> bool:
        """Whether a number lies within the field's bounds (NaN never does)."""
        if value != value:
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return self.high is None or value <= self.high

    @property
    def range_text(self) -> str:
        """The bounds in words: "between 1 and 200,000", "more than 0 and at most 1"..."""
        lo, hi = _figure(self.low), _figure(self.high)
        if self.low is not None and self.high is not None:
            return f"more than {lo} and at most {hi}" if self.low_open else f"between {lo} and {hi}"
        if self.low is not None:
            return f"more than {lo}" if self.low_open else f"at least {lo}"
        return f"at most {hi}" if self.high is not None else ""


def _figure(x) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}" if isinstance(x, int) and abs(x) >= 10_000 else str(x)


@dataclass(frozen=True)
class Kind:
    """A table of the format, or one kind of trigger, action or victory condition."""

    name: str
    doc: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def bounds(self, name: str) -> Field:
        """The field whose range the checks read (the schema writes each bound once); a name
        the kind lacks is a mistake in the program, not in a scenario."""
        found = self.field(name)
        if found is None:
            raise KeyError(f"{self.name} has no field {name!r}")
        return found

    def to_dict(self) -> dict:
        return {"name": self.name, "doc": self.doc, "fields": [f.to_dict() for f in self.fields]}


def _kinds(*kinds: Kind) -> dict[str, Kind]:
    return {k.name: k for k in kinds}


F = Field

# -- the tables of a file ------------------------------------------------------------------

SCENARIO = Kind(
    "scenario",
    "the scenario's name, dates and turn length",
    (
        F("id", "text", True, "short name: lower case letters, digits and dashes"),
        F("title", "text", True, "shown in the scenario list"),
        F("description", "text", False, "a paragraph for the new-game screen", default="none"),
        F("start", "date", True, "the first turn's date"),
        F("end", "date", True, "the last date played"),
        F("turn_days", "integer", True, "days in a turn", low=1, high=92),
        F(
            "side_order",
            "sides",
            False,
            "who moves first in a turn, second...",
            default="the order of [[sides]]",
        ),
        F("map", "text", False, "the map", choices=("mesopotamia",), default="mesopotamia"),
    ),
)
SIDE = Kind(
    "sides",
    "a side of the war",
    (
        F("id", "text", True, "short name"),
        F("name", "text", False, "shown to players", default="its id"),
    ),
)
FACTION = Kind(
    "factions",
    "a faction, the owner of units and towns",
    (
        F("id", "text", True, "short name: lower case letters, digits, - and _"),
        F("name", "text", False, "shown to players", default="its id"),
        F("side", "side", True, "the side it plays on"),
        F(
            "nation",
            "nation",
            False,
            "for the coalition's nations in the casualty table",
            choices=NATIONS,
            default="none",
        ),
        F(
            "category",
            "category",
            False,
            "the casualty category its losses count under",
            choices=CATEGORIES,
            default="none",
        ),
        F(
            "quality",
            "number",
            False,
            "training and equipment (1.0 is average)",
            low=0.1,
            high=5,
            default="1.0",
        ),
        F(
            "bases",
            "countries",
            False,
            "countries that supply it and that it may enter",
            default="none: Iraq and Syria only",
        ),
        F(
            "supply_crossings",
            "countries",
            False,
            "countries whose border crossings supply it",
            default="none",
        ),
        F("leaders", "names", False, "its leaders", default="none"),
        F(
            "leader_bonus",
            "number",
            False,
            "what its leaders add to combat power (0.1 = +10%)",
            low=-0.5,
            high=1,
            default="0",
        ),
        F(
            "resolve",
            "number",
            False,
            "the morale its units get back to by rest",
            low=0,
            high=100,
            default="100",
        ),
    ),
)
WAR = Kind(
    "war",
    "who is at war with whom at the start",
    (F("at_war", "faction_pairs", False, "pairs of factions at war", default="none: all at peace"),),
)
UNIT = Kind(
    "units",
    "a unit on the map",
    (
        F("id", "text", False, "its id, for triggers and the log", default="faction-001, ... in file order"),
        F("name", "text", False, "shown in the unit panel", default="its faction, type and id"),
        F("type", "unit_type", True, "what kind of unit"),
        F("faction", "faction", True, "whose it is"),
        F("place", "place", True, "where it stands"),
        F(
            "personnel",
            "integer",
            True,
            "people (and at least its type's min_personnel)",
            low=1,
            high=MAX_PERSONNEL,
        ),
        F(
            "equipment",
            "equipment",
            False,
            "counts of its equipment, each item",
            low=0,
            high=MAX_EQUIPMENT,
            default="none",
        ),
        F("morale", "number", False, "its will to fight", low=0, high=100, default="70"),
        F("experience", "number", False, "its experience", low=0, high=100, default="30"),
        F(
            "entrenchment",
            "integer",
            False,
            "starting entrenchment level (at most its terrain's)",
            low=0,
            high=3,
            default="0",
        ),
    ),
)
REINFORCEMENT = Kind(
    "reinforcements",
    "units that arrive later",
    (
        F("date", "date", False, "when they arrive, inside the scenario (or give a turn)"),
        F(
            "turn",
            "integer",
            False,
            "the turn they arrive, at most the last (or give a date)",
            low=1,
            high=MAX_TURNS,
        ),
        F("message", "text", False, "shown to every player", default="N units arrive"),
        F("units", "units", True, "the units"),
    ),
)
NO_FLY_ZONE = Kind(
    "no_fly_zones",
    "a no-fly zone",
    (
        F("id", "text", True, "short name"),
        F("name", "text", False, "shown on the map", default="its id"),
        F("side", "side", True, "the side that enforces it"),
        F("hexes", "places", False, "its hexes (or give a centre and a radius)"),
        F("centre", "place", False, "its centre (with a radius)"),
        F("radius", "integer", False, "its radius in hexes", low=0, high=40),
        F("declared", "bool", False, "in force from the start", default="true"),
    ),
)
TERRAIN = Kind(
    "terrain",
    "hexes whose terrain the scenario changes; later tables win",
    (
        F("terrain", "terrain", True, "the terrain they get"),
        F("hexes", "places", False, "the hexes (or give a centre and a radius)"),
        F("centre", "place", False, "the centre of a round patch (with a radius)"),
        F("radius", "integer", False, "the patch's radius in hexes", low=0, high=40),
    ),
)
SUPPLY_SOURCE = Kind(
    "supply_sources",
    "a depot that supplies a faction or a side",
    (
        F("place", "place", True, "where the depot is"),
        F("faction", "faction", False, "the faction it supplies, with its side (or give a side)"),
        F("side", "side", False, "the side it supplies (or give a faction)"),
        F("name", "text", False, "what it is, for the reader", default="none"),
    ),
)
EVENT = Kind(
    "events",
    "something that happens once, the first time its trigger holds",
    (
        F("id", "text", True, "short name"),
        F(
            "title",
            "text",
            False,
            "its line in the event log, for an event whose actions show no "
            f"news of their own (one line of at most {TITLE_MAX} characters, for every player)",
            default="none",
        ),
        F("trigger", "triggers", True, "when it fires (one trigger)"),
        F("actions", "actions", True, "what happens (a list of actions)"),
    ),
)
HISTORY = Kind(
    "history",
    "what really happened, shown beside the game's result",
    (
        F("outcome", "text", False, "in words", default="none"),
        F("winner", "side", False, "the side that won, if one did", default="none: a draw"),
        F(
            "casualties",
            "casualties",
            False,
            "losses by casualty category, each",
            low=0,
            high=MAX_PEOPLE,
            default="none",
        ),
        F(
            "events",
            "history_events",
            False,
            "the source's dated events, set beside the game's ([[history.events]])",
        ),
    ),
)
# One of ``[[history.events]]``: a town taken (``taken`` and ``by``) or a scenario event fired
# (``event``), with the source's date; a run is historical only if each defining one happens in
# its window (``game.history``).
HISTORY_EVENT = Kind(
    "history.events",
    "a dated event of the source, set beside the game",
    (
        F("id", "text", False, "short name, for another event's after", default="none"),
        F("what", "text", True, "the words shown"),
        F("date", "date", True, "the source's date"),
        F("taken", "city", False, "a town that passes to by (or give an event)"),
        F("by", "faction_or_side", False, "who takes the town"),
        F("event", "event", False, "a scenario event that fires (or give taken and by)"),
        F("window", "dates", False, "the game's dates counted as on time", default="the whole game"),
        F("after", "text", False, "the id of a history event that must happen first", default="none"),
        F("defining", "bool", False, "a run is historical only if it happens on time", default="true"),
    ),
)

# One of ``[[options]]``, a what-if switch: its words, its default (history) and the changes it
# makes when it is on, in the terms of the tables above (``game.scenario.options`` applies and
# checks them). TABLES, whose parts the editor's forms are made from, has the part of it the
# editor changes (OPTION_EDITED).
OPTION = Kind(
    "options",
    "a what-if switch: a turning point a player may turn the other way",
    (
        F("id", "text", True, "short name, as in --option ID=on"),
        F("title", "text", True, "one line players read (at most 100 characters)"),
        F("text", "text", False, "what it changes, and why it could have been", default="none"),
        F("default", "bool", False, "its setting in the source's history", default="false"),
        F("drop_events", "event_ids", False, "events that do not happen", default="none"),
        F("events", "event_tables", False, "events that do, as [[events]]", default="none"),
        F(
            "drop_units",
            "unit_ids",
            False,
            "units, at the start or arriving, not in the game",
            default="none",
        ),
        F("units", "units", False, "more units at the start, as [[units]]", default="none"),
        F("move_units", "unit_moves", False, "units that start elsewhere: { unit, hex }", default="none"),
        F(
            "factions",
            "faction_changes",
            False,
            "fields of factions changed: { id, side, ... }",
            default="none",
        ),
        F(
            "victory",
            "victory_tables",
            False,
            "the victory conditions, all, in place of the file's",
            default="the file's",
        ),
    ),
)

# One of ``[[plans]]``: an aim the computer player pursues over some dates, beside the victory
# conditions (``game.ai.aims``). Exactly one of take, hold and avoid.
PLAN = Kind(
    "plans",
    "an aim the computer player pursues over some dates",
    (
        F("faction", "faction", False, "whose aim it is (or give a side)"),
        F("side", "side", False, "the side whose aim it is (or give a faction)"),
        F("take", "cities", False, "towns to take (before from, they are left alone)"),
        F("hold", "cities", False, "towns to hold"),
        F("avoid", "cities", False, "towns to keep out of and not to attack"),
        F(
            "radius",
            "integer",
            False,
            "with avoid: the hexes this close to the towns too",
            low=0,
            high=20,
            default="0",
        ),
        F("from", "date", False, "the aim begins", default="the start"),
        F("until", "date", False, "the aim ends", default="the end"),
        F(
            "weight",
            "number",
            False,
            "how much it counts beside a victory condition's towns",
            low=0,
            high=5,
            default="1",
        ),
        F("text", "text", False, "the aim in words", default="none"),
    ),
)

# Every part a file may have, in the order the editor writes a new file.
TOP = (
    "scenario",
    "sides",
    "factions",
    "war",
    "control",
    "terrain",
    "supply_sources",
    "units",
    "reinforcements",
    "no_fly_zones",
    "events",
    "victory",
    "plans",
    "history",
)

# -- triggers: the first field is the trigger's own key ------------------------------------

TRIGGERS = _kinds(
    Kind("date", "the game's date reaches it", (F("date", "date", True, "the date"),)),
    Kind(
        "turn",
        "that turn starts",
        (F("turn", "integer", True, "the turn, at most the last", low=1, high=MAX_TURNS),),
    ),
    Kind(
        "city_taken",
        "the town changes hands",
        (
            F("city_taken", "city", True, "the town"),
            F("by", "faction_or_side", False, "who takes it", default="anyone"),
        ),
    ),
    Kind("unit_destroyed", "that unit is gone", (F("unit_destroyed", "unit", True, "the unit"),)),
    Kind(
        "faction_destroyed",
        "the faction has no units left",
        (F("faction_destroyed", "faction", True, "the faction"),),
    ),
    Kind(
        "losses",
        "a side's or faction's personnel losses pass the figure",
        (
            F("losses", "faction_or_side", True, "whose losses"),
            F("above", "integer", True, "people lost", low=0, high=MAX_PEOPLE),
        ),
    ),
    Kind(
        "chance",
        "with that chance at the start of each turn",
        (
            F("chance", "number", True, "the chance each turn", low=0, high=1, low_open=True),
            F(
                "from_turn",
                "integer",
                False,
                "from this turn on, at most the last",
                low=1,
                high=MAX_TURNS,
                default="1",
            ),
        ),
    ),
    Kind("event", "another event has fired", (F("event", "event", True, "the event"),)),
    Kind("all", "every one of the triggers holds", (F("all", "triggers", True, "the triggers"),)),
    Kind("any", "one of the triggers holds", (F("any", "triggers", True, "the triggers"),)),
)

# -- actions: a table with ``do`` and these fields -----------------------------------------

ACTIONS = _kinds(
    Kind("message", "shows the text to every player", (F("text", "text", True, "the message"),)),
    Kind(
        "declare_war",
        "the two factions go to war",
        (F("factions", "faction_pair", True, "the two factions"),),
    ),
    Kind(
        "make_peace",
        "the two factions stop being at war",
        (F("factions", "faction_pair", True, "the two factions"),),
    ),
    Kind(
        "add_units",
        "units arrive",
        (
            F("units", "units", True, "the units"),
            F("message", "text", False, "shown to every player", default="N units arrive"),
        ),
    ),
    Kind(
        "withdraw",
        "removes the faction's units (all, a share of its people, or some types)",
        (
            F("faction", "faction", True, "whose units"),
            F("types", "unit_types", False, "only these types", default="all"),
            F(
                "share",
                "number",
                False,
                "the share of its people that leaves",
                low=0,
                high=1,
                low_open=True,
                default="1: all",
            ),
            F("message", "text", False, "shown to every player", default="the faction withdraws N troops"),
        ),
    ),
    Kind(
        "rename_faction",
        "the faction takes a new name",
        (F("faction", "faction", True, "the faction"), F("name", "text", True, "its new name")),
    ),
    Kind(
        "change_side",
        "the faction joins another side",
        (F("faction", "faction", True, "the faction"), F("side", "side", True, "the side it joins")),
    ),
    Kind(
        "transfer_units",
        "one faction's units pass to another",
        (
            F("from", "faction", True, "the faction that gives them"),
            F("to", "faction", True, "the faction that takes them"),
        ),
    ),
    Kind(
        "set_leaders",
        "new leaders, and what they change",
        (
            F("faction", "faction", True, "the faction"),
            F("leaders", "names", True, "its new leaders"),
            F(
                "leader_bonus",
                "number",
                False,
                "what they add to combat power",
                low=-0.5,
                high=1,
                default="unchanged",
            ),
            F("quality", "number", False, "its new quality", low=0.1, high=5, default="unchanged"),
            F(
                "resolve",
                "number",
                False,
                "the morale its units now get back to by rest",
                low=0,
                high=100,
                default="unchanged",
            ),
        ),
    ),
    Kind(
        "set_morale",
        "a blow to a faction's will: its units' morale falls to this at most",
        (
            F("faction", "faction", True, "the faction"),
            F("morale", "number", True, "the highest morale its units keep", low=0, high=100),
            F(
                "resolve",
                "number",
                False,
                "the morale its units now get back to by rest",
                low=0,
                high=100,
                default="unchanged",
            ),
        ),
    ),
    Kind(
        "set_category",
        "its later losses count under another casualty category",
        (
            F("faction", "faction", True, "the faction"),
            F("category", "category", True, "the category", choices=CATEGORIES),
        ),
    ),
    Kind(
        "declare_no_fly_zone",
        "a zone of [[no_fly_zones]] comes into force",
        (F("zone", "zone", True, "the zone"),),
    ),
    Kind("lift_no_fly_zone", "a no-fly zone is lifted", (F("zone", "zone", True, "the zone"),)),
    Kind(
        "set_supply",
        "the faction's bases and supply crossings change",
        (
            F("faction", "faction", True, "the faction"),
            F("bases", "countries", False, "its new bases", default="unchanged"),
            F("supply_crossings", "countries", False, "its new supply crossings", default="unchanged"),
        ),
    ),
    Kind(
        "set_control",
        "a town changes hands without a fight",
        (F("city", "city", True, "the town"), F("faction", "faction", True, "its new holder")),
    ),
    Kind(
        "victory",
        "the game ends with that side's victory",
        (F("side", "side", True, "the winner"), F("text", "text", False, "why, in words", default="none")),
    ),
)

# -- victory conditions: ``kind``, ``side``, ``text`` and these fields ----------------------

_SIDE = F("side", "side", True, "the side it is for")
_TEXT = F("text", "text", False, "the condition in words", default="none")
VICTORY = _kinds(
    Kind(
        "hold",
        "at the end, the side holds all the towns (or count of them)",
        (
            _SIDE,
            F("cities", "cities", True, "the towns"),
            F("count", "integer", False, "how many of them, at most all", low=1, default="all"),
            _TEXT,
        ),
    ),
    Kind(
        "take",
        "the side holds the towns at any moment: it wins at once",
        (
            _SIDE,
            F("cities", "cities", True, "the towns"),
            F("count", "integer", False, "how many of them, at most all", low=1, default="all"),
            _TEXT,
        ),
    ),
    Kind(
        "destroy",
        "every unit of those factions is gone",
        (_SIDE, F("factions", "factions", True, "the factions to destroy"), _TEXT),
    ),
    Kind("survive", "at the end the side still has units", (_SIDE, _TEXT)),
)

# The fields of a switch the editor's Switches page changes (its other changes are written in
# the file): the part of OPTION that TABLES, and so the editor's forms and renames, know.
OPTION_EDITED = Kind(
    "options",
    OPTION.doc,
    tuple(
        f
        for f in OPTION.fields
        if f.name in ("id", "title", "text", "default", "drop_events", "drop_units", "move_units", "factions")
    ),
)

TABLES = _kinds(
    SCENARIO,
    SIDE,
    FACTION,
    WAR,
    UNIT,
    REINFORCEMENT,
    NO_FLY_ZONE,
    TERRAIN,
    SUPPLY_SOURCE,
    EVENT,
    PLAN,
    HISTORY,
    OPTION_EDITED,
)


def describe() -> dict:
    """The whole schema as plain data, for building forms."""
    return {
        "types": list(TYPES),
        "tables": {k: v.to_dict() for k, v in TABLES.items()},
        "history_events": HISTORY_EVENT.to_dict(),
        "triggers": {k: v.to_dict() for k, v in TRIGGERS.items()},
        "actions": {k: v.to_dict() for k, v in ACTIONS.items()},
        "victory": {k: v.to_dict() for k, v in VICTORY.items()},
        "categories": list(CATEGORIES),
        "nations": list(NATIONS),
    }


# -- the reference of docs/scenario-format.md -----------------------------------------------

TYPE_WORDS = {
    "text": "text",
    "integer": "whole number",
    "number": "number",
    "date": "date",
    "bool": "true or false",
    "place": "place",
    "places": "list of places",
    "city": "town",
    "cities": "list of towns",
    "side": "side id",
    "faction": "faction id",
    "faction_or_side": "faction or side id",
    "factions": "list of faction ids",
    "faction_pair": "two faction ids",
    "faction_pairs": "list of pairs of faction ids",
    "sides": "list of side ids",
    "unit": "unit id",
    "event": "event id",
    "zone": "zone id",
    "unit_type": "unit type",
    "unit_types": "list of unit types",
    "terrain": "terrain",
    "category": "casualty category",
    "nation": "nation",
    "countries": "list of country codes",
    "names": "list of text",
    "equipment": "table of counts",
    "units": "list of unit tables",
    "triggers": "trigger table",
    "actions": "list of action tables",
    "casualties": "table of people",
    "dates": "two dates",
    "history_events": "tables",
    "event_ids": "list of event ids",
    "unit_ids": "list of unit ids",
    "event_tables": "list of event tables",
    "unit_moves": "list of tables",
    "faction_changes": "list of tables",
    "victory_tables": "list of victory tables",
}


def _cells(f: Field) -> list[str]:
    need = "yes" if f.required else f"no; if absent: {f.default or 'none'}"
    if f.choices:
        limits = ", ".join(f"`{c}`" for c in f.choices)
    else:
        limits = f.range_text
    return [f"`{f.name}`", TYPE_WORDS[f.type], need, limits, f.doc]


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"] + [
        "| " + " | ".join(r) + " |" for r in rows
    ]


def reference(rules) -> str:
    """The fields of every table, trigger, action and victory condition, with their types,
    whether each is required (or its default), and its range; then each unit type's equipment.
    docs/scenario-format.md holds this text as it is (a test compares them)."""
    head = ["field", "type", "required", "range", "meaning"]
    out: list[str] = []
    for name, header in (
        ("scenario", "[scenario]"),
        ("sides", "[[sides]]"),
        ("factions", "[[factions]]"),
        ("war", "[war]"),
        ("units", "[[units]]"),
        ("reinforcements", "[[reinforcements]]"),
        ("terrain", "[[terrain]]"),
        ("supply_sources", "[[supply_sources]]"),
        ("no_fly_zones", "[[no_fly_zones]]"),
        ("events", "[[events]]"),
        ("plans", "[[plans]]"),
        ("history", "[history]"),
    ):
        kind = TABLES[name]
        out += [f"#### `{header}`", "", *_table(head, [_cells(f) for f in kind.fields]), ""]
    out += ["#### `[[history.events]]`", "", *_table(head, [_cells(f) for f in HISTORY_EVENT.fields]), ""]
    out += ["#### `[[options]]`", "", *_table(head, [_cells(f) for f in OPTION.fields]), ""]
    for title, kinds, key in (
        ("Triggers", TRIGGERS, "trigger"),
        ("Actions (`do = ...`)", ACTIONS, "do"),
        ("Victory conditions (`kind = ...`)", VICTORY, "kind"),
    ):
        rows = [[f"`{k}`", *_cells(f)] for k, kind in kinds.items() for f in kind.fields]
        out += [f"#### {title}", "", *_table([key, *head], rows), ""]
    rows = []
    for tid, ut in rules.unit_types.items():
        kit = ", ".join(f"`{e}`" for e in ut.equipment) or "none"
        need = f"at least 1 `{NEEDS[ut.category]}`" if ut.category in NEEDS else ""
        rows.append(
            [
                f"`{tid}`",
                ut.category,
                kit,
                need,
                f"{max(1, ut.min_personnel):,}",
                ", ".join(sorted(ut.enters)),
            ]
        )
    out += [
        "#### Unit types",
        "",
        *_table(["type", "category", "equipment", "needs", "least personnel", "stands on"], rows),
    ]
    return "\n".join(out) + "\n"
