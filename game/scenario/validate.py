"""Checking a scenario's data field by field, and turning it into a game setup.

Engine layer. ``build(data)`` walks the parsed TOML, collects every problem with the path of
its field and a hint of what would be right, resolves places to hexes on the real map, and
returns the ``Scenario`` only when nothing is wrong.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection
from typing import TypeGuard, TypeVar

from game.hexgrid import Hex, hex_range
from game.hexmap import TERRAINS, HexMap, MapError, default_map
from game.movement import WAR_ZONE
from game.rules import Rules, default_rules
from game.scenario import schema
from game.scenario.model import Problem, Scenario
from game.scenario.options import apply_options, read_options, settings_for
from game.scenario.plans import read_plans
from game.scenario.schema import CATEGORIES, NATIONS

ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")

NEEDS = schema.NEEDS

# A file with more problems than this is not read further: a careless or hostile file of
# thousands of mistakes gets its first hundred named, each with its hint, in well under a second.
MAX_PROBLEMS = 100


class _TooMany(Exception):
    """Raised by Builder.bad past MAX_PROBLEMS, to stop reading the file."""


_AIR_BASE = (
    "an air wing stands at an air base: a town its side holds, a country in its "
    "faction's bases, or the sea with a naval group of its side"
)

# The format's parts, fields, triggers, actions and victory conditions: game.scenario.schema.
TOP = set(schema.TOP)
TRIGGERS = set(schema.TRIGGERS)
TRIGGER_EXTRAS = {f.name for k in schema.TRIGGERS.values() for f in k.fields[1:]}
ACTIONS = {k: v.names for k, v in schema.ACTIONS.items()}
VICTORY = {k: v.names - {"side", "text"} for k, v in schema.VICTORY.items()}


def _suggest(word: object, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def _one_of(choices, limit: int = 12) -> str:
    choices = [str(c) for c in choices]
    text = ", ".join(choices[:limit])
    return f"one of {text}{', ...' if len(choices) > limit else ''}"


class Builder:
    def __init__(self, data: dict, hexmap: HexMap, rules: Rules):
        self.data = data
        self.map = hexmap
        self.rules = rules
        self.problems: list[Problem] = []
        self.sides: dict[str, dict] = {}
        self.factions: dict[str, dict] = {}
        self.unit_ids: set[str] = set()
        self.zones: dict[str, dict] = {}
        self.event_ids: set[str] = set()
        self.start = dt.date(2014, 6, 16)
        self.end = dt.date(2014, 9, 30)
        self.bad_quietly = False  # a missing part's fields are not named one by one
        self.limit: int | None = None  # build() stops after this many problems
        self._later_bases: dict[str, set[str]] = {}
        self.turns: int | None = None  # the game's number of turns, once the dates make sense
        self.side_paths: dict[str, str] = {}  # side id -> the path of its [[sides]] table

    # -- primitives --------------------------------------------------------------------------

    def bad(self, path: str, text: str, hint: str = "") -> None:
        if self.bad_quietly:
            return
        if any(p.path == path and p.text == text for p in self.problems):
            return  # a field's type is checked by its table and by its reader: said once
        if self.limit is not None and len(self.problems) >= self.limit:
            self.problems.append(
                Problem("", f"more than {self.limit} problems: the rest are not listed", "mend these first")
            )
            raise _TooMany
        self.problems.append(Problem(path, text, hint))

    def table(self, parent: dict, key: str, path: str, required: bool = True) -> dict | None:
        v = parent.get(key)
        if v is None:
            if required:
                self.bad(path, "missing table", f"add [{path}]")
            return None
        if not isinstance(v, dict):
            self.bad(path, f"expected a table, got {_kind(v)}")
            return None
        return v

    def array(self, parent: dict, key: str, path: str) -> list[dict]:
        v = parent.get(key, [])
        if not isinstance(v, list):
            self.bad(path, f"expected a list of tables ([[{key}]]), got {_kind(v)}")
            return []
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, dict):
                self.bad(f"{path}[{i}]", f"expected a table, got {_kind(item)}")
            else:
                out.append(item)
        return out

    def fields(self, t: dict, allowed: set[str], path: str, kind: schema.Kind | None = None) -> None:
        """Every key of the table is one of ``allowed``; with the schema's ``kind``, its text
        and true-or-false fields are of their type too (the other types are checked where
        they are read)."""
        for key in t:
            if key not in allowed:
                hint = _suggest(key, allowed) or f"known fields: {', '.join(sorted(allowed))}"
                self.bad(f"{path}.{key}", "unknown field", hint)
        if kind is None:
            return
        for f in kind.fields:
            if f.name not in t or f.type not in ("text", "bool"):
                continue
            v = t[f.name]
            if f.type == "text" and not isinstance(v, str):
                self.bad(
                    f"{path}.{f.name}",
                    f"expected text, got {_kind(v)}",
                    f'write it in quotes: {f.name} = "..."',
                )
            elif f.type == "bool" and not isinstance(v, bool):
                self.bad(f"{path}.{f.name}", f"expected true or false, got {_kind(v)}")

    def ident(self, v, path: str) -> None:
        """An id (of the scenario, a side, a faction, a unit, a zone, an event): lower case
        letters, digits, - and _, at most ``schema.MAX_ID`` characters, as commands and saves
        carry it."""
        if not isinstance(v, str):
            return
        if len(v) > schema.MAX_ID:
            self.bad(path, f"an id of {len(v):,} characters", f"at most {schema.MAX_ID}")
        elif not ID.fullmatch(v):
            self.bad(path, f"{v!r} is not a valid id", "lower case letters, digits, - and _")

    def get(self, t: dict, key: str, path: str, kind, required=True, default=None):
        if key not in t:
            if required:
                self.bad(f"{path}.{key}", "missing", f"add {key} = ...")
            return default
        v = t[key]
        if kind is float:
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        elif kind is int:
            ok = isinstance(v, int) and not isinstance(v, bool)
        elif kind is dt.date:
            ok = isinstance(v, dt.date) and not isinstance(v, dt.datetime)
        else:
            ok = isinstance(v, kind) and not (kind is not bool and isinstance(v, bool))
        if not ok:
            self.bad(
                f"{path}.{key}",
                f"expected {_kind_name(kind)}, got {_kind(v)}",
                "write dates without quotes, like 2014-06-16" if kind is dt.date else "",
            )
            return default
        return v

    def number(
        self, t: dict, kind: schema.Kind, key: str, path: str, required: bool | None = None, default=None
    ):
        """A number field of the schema, its type and range checked (the range is the schema's
        field's): the value, or ``default`` when it is absent or wrong."""
        f = kind.field(key)
        assert f is not None, key  # callers name fields of the kind
        before = len(self.problems)
        v = self.get(
            t,
            key,
            path,
            int if f.type == "integer" else float,
            required=f.required if required is None else required,
            default=default,
        )
        if key in t and len(self.problems) == before and not f.in_range(v):
            self.bad(f"{path}.{key}", _out_of_range(key, v), f.range_text)
            return default
        return v

    def ref(self, value, choices: Collection[str], path: str, what: str) -> TypeGuard[str]:
        if not isinstance(value, str):
            self.bad(path, f"expected a {what} id, got {_kind(value)}")
            return False
        if value not in choices:
            self.bad(path, f"unknown {what} {value!r}", _suggest(value, choices) or _one_of(sorted(choices)))
            return False
        return True

    def place(self, value, path: str) -> Hex | None:
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in value)
        ):
            h = Hex(value[0], value[1])
            if not self.map.in_bounds(h):
                self.bad(path, f"hex {value} is off the map", "see mesopotamia map --at PLACE")
                return None
            return h
        if isinstance(value, str):
            try:
                return self.map.resolve_place(value)
            except MapError as exc:
                self.bad(path, str(exc), 'a town, "LAT,LON" or [q, r]')
                return None
        self.bad(path, f"expected a place, got {_kind(value)}", 'a town, "LAT,LON" or [q, r]')
        return None

    def city(self, value, path: str) -> str | None:
        if not isinstance(value, str):
            self.bad(path, f"expected a town, got {_kind(value)}")
            return None
        c = self.map.find_city(value)
        if c is None:
            hint = self.map.suggest_cities(value)
            self.bad(
                path,
                f"unknown town {value!r}",
                f"did you mean {hint[0]}?" if hint else "mesopotamia map --info lists the towns",
            )
            return None
        return c.id

    # -- parts -------------------------------------------------------------------------------

    def scenario(self) -> dict:
        t = self.table(self.data, "scenario", "scenario")
        if t is None:  # named once, not again for each of its fields
            self.bad_quietly = True
            t = {}
        self.fields(t, schema.SCENARIO.names, "scenario", schema.SCENARIO)
        sid = self.get(t, "id", "scenario", str, default="custom")
        self.ident(sid, "scenario.id")
        title = self.get(t, "title", "scenario", str, default=sid)
        desc = self.get(t, "description", "scenario", str, required=False, default="")
        start = self.get(t, "start", "scenario", dt.date)
        end = self.get(t, "end", "scenario", dt.date)
        days = self.number(t, schema.SCENARIO, "turn_days", "scenario", default=None)
        if start and end and end <= start:
            self.bad("scenario.end", f"ends {end} before it starts {start}", "end must be after start")
        elif start and end and days:
            turns = (end - start).days // days + 1
            if turns > schema.MAX_TURNS:
                self.bad(
                    "scenario.end",
                    f"{start} to {end} in turns of {days} days makes {turns:,} turns",
                    f"at most {schema.MAX_TURNS}: an earlier end or longer turns",
                )
            else:
                self.turns = turns
        days = days or 7
        if start:
            self.start = start
        if end:
            self.end = end
        self.bad_quietly = False
        m = t.get("map", "mesopotamia")
        if m != self.map.name:
            self.bad("scenario.map", f"unknown map {m!r}", f"the map is {self.map.name!r}")
        order = self.get(t, "side_order", "scenario", list, required=False, default=None)
        return {"id": sid, "title": title, "description": desc, "turn_days": days or 7, "side_order": order}

    def read_sides(self, order) -> list[dict]:
        sides = []
        for i, s in enumerate(self.array(self.data, "sides", "sides")):
            p = f"sides[{i}]"
            self.fields(s, schema.SIDE.names, p, schema.SIDE)
            sid = self.get(s, "id", p, str)
            self.ident(sid, f"{p}.id")
            name = self.get(s, "name", p, str, required=False, default=sid)
            if sid in self.sides:
                self.bad(f"{p}.id", f"side {sid!r} is defined twice")
            elif sid:
                self.sides[sid] = {"id": sid, "name": name}
                self.side_paths[sid] = p
                sides.append(self.sides[sid])
        if len(self.sides) < 2:
            self.bad("sides", "a scenario needs at least two sides", "add [[sides]] tables")
        if order is not None:
            for j, sid in enumerate(order):
                self.ref(sid, self.sides, f"scenario.side_order[{j}]", "side")
            if sorted(map(str, order)) != sorted(self.sides):
                self.bad(
                    "scenario.side_order", "must list every side once", f"sides: {', '.join(self.sides)}"
                )
            else:
                sides = [self.sides[s] for s in order]
        return sides

    def read_factions(self) -> list[dict]:
        out = []
        allowed = schema.FACTION.names
        codes = [c for c in self.map.countries if c]
        for i, f in enumerate(self.array(self.data, "factions", "factions")):
            p = f"factions[{i}]"
            self.fields(f, allowed, p, schema.FACTION)
            fid = self.get(f, "id", p, str)
            self.ident(fid, f"{p}.id")
            side = self.get(f, "side", p, str)
            if side is not None:
                self.ref(side, self.sides, f"{p}.side", "side")
            entry = {"id": fid, "name": self.get(f, "name", p, str, default=fid), "side": side}
            nation = self.get(f, "nation", p, str, required=False, default="")
            if nation and nation not in NATIONS:
                self.bad(f"{p}.nation", f"unknown nation {nation!r}", _one_of(NATIONS))
            category = self.get(f, "category", p, str, required=False, default="")
            if category and category not in CATEGORIES:
                self.bad(
                    f"{p}.category",
                    f"unknown casualty category {category!r}",
                    _suggest(category, CATEGORIES) or _one_of(CATEGORIES),
                )
            quality = self.number(f, schema.FACTION, "quality", p, default=1.0)
            bonus = self.number(f, schema.FACTION, "leader_bonus", p, default=0.0)
            resolve = self.number(f, schema.FACTION, "resolve", p, default=100.0)
            for key in ("bases", "supply_crossings"):
                vals = self.get(f, key, p, list, required=False, default=[])
                for j, c in enumerate(vals or []):
                    if c not in codes:
                        self.bad(f"{p}.{key}[{j}]", f"unknown country {c!r}", _one_of(codes))
                entry[key] = [c for c in (vals or []) if c in codes]
            leaders = self.get(f, "leaders", p, list, required=False, default=[]) or []
            if not all(isinstance(x, str) for x in leaders):
                self.bad(f"{p}.leaders", "expected a list of names")
                leaders = []
            entry.update(
                nation=nation or "",
                category=category or "",
                quality=quality or 1.0,
                leader_bonus=bonus or 0.0,
                leaders=leaders,
            )
            if resolve is not None and resolve != 100.0:
                entry["resolve"] = resolve
            if fid in self.factions:
                self.bad(f"{p}.id", f"faction {fid!r} is defined twice")
            elif fid:
                self.factions[fid] = entry
                out.append(entry)
        if not self.factions:
            self.bad("factions", "a scenario needs factions", "add [[factions]] tables")
        for sid in self.sides:
            if not any(f["side"] == sid for f in self.factions.values()):
                self.bad(
                    self.side_paths[sid],
                    f"side {sid!r} has no faction",
                    "every side starts with a faction: give it a [[factions]] table",
                )
        return out

    def pair(self, value, path: str) -> list[str] | None:
        if not (isinstance(value, list) and len(value) == 2):
            self.bad(path, f"expected a pair of factions, got {_kind(value)}", '["isis", "iraq"]')
            return None
        if not all(self.ref(v, self.factions, f"{path}[{k}]", "faction") for k, v in enumerate(value)):
            return None
        if value[0] == value[1]:
            self.bad(path, "a faction cannot be at war with itself")
            return None
        return list(value)

    def read_war(self) -> list[list[str]]:
        t = self.table(self.data, "war", "war", required=False) or {}
        self.fields(t, schema.WAR.names, "war", schema.WAR)
        pairs = []
        for i, v in enumerate(self.get(t, "at_war", "war", list, required=False, default=[]) or []):
            pr = self.pair(v, f"war.at_war[{i}]")
            if pr:
                pairs.append(pr)
        return pairs

    def read_control(self) -> dict[str, str]:
        t = self.table(self.data, "control", "control", required=False) or {}
        out = {}
        for key, fid in t.items():
            cid = self.city(key, f"control.{key}")
            if cid and self.ref(fid, self.factions, f"control.{key}", "faction"):
                out[cid] = fid
        return out

    def unit(self, u, path: str, unit_ids: set[str]) -> dict | None:
        if not isinstance(u, dict):
            self.bad(path, f"expected a unit table, got {_kind(u)}")
            return None
        self.fields(u, schema.UNIT.names, path, schema.UNIT)
        ok = True
        t = self.get(u, "type", path, str)
        if t is not None and not self.ref(t, self.rules.unit_types, f"{path}.type", "unit type"):
            ok = False
        f = self.get(u, "faction", path, str)
        if f is not None and not self.ref(f, self.factions, f"{path}.faction", "faction"):
            ok = False
        personnel = self.number(u, schema.UNIT, "personnel", path)
        h = self.place(u.get("place"), f"{path}.place") if "place" in u else None
        if "place" not in u:
            self.bad(f"{path}.place", "missing", 'place = "Mosul", "36.34,43.13" or [q, r]')
        uid = self.get(u, "id", path, str, required=False)
        self.ident(uid, f"{path}.id")
        if uid is not None:
            if uid in unit_ids:
                self.bad(f"{path}.id", f"unit id {uid!r} is used twice")
            unit_ids.add(uid)
        for key in ("morale", "experience"):
            self.number(u, schema.UNIT, key, path)
        ent = self.number(u, schema.UNIT, "entrenchment", path, default=0)
        equipment = self.get(u, "equipment", path, dict, required=False, default={}) or {}
        if t is not None and t in self.rules.unit_types:
            ut = self.rules.unit_type(t)
            counts = schema.UNIT.field("equipment")
            assert counts is not None
            for item, n in equipment.items():
                if item not in ut.equipment:
                    self.bad(
                        f"{path}.equipment.{item}",
                        f"{ut.a_name} has no {item!r}",
                        f"its equipment: {', '.join(ut.equipment) or 'none'}",
                    )
                elif not isinstance(n, int) or isinstance(n, bool):
                    self.bad(f"{path}.equipment.{item}", f"expected a count, got {_kind(n)}")
                elif not counts.in_range(n):
                    self.bad(f"{path}.equipment.{item}", _out_of_range(item, n), counts.range_text)
            need = NEEDS.get(ut.category)
            if need and not (isinstance(equipment.get(need), int) and equipment[need] > 0):
                self.bad(
                    f"{path}.equipment",
                    f"{ut.a_name} without {need} can do nothing",
                    f'give it some: equipment = {{ "{need}" = 10 }}',
                )
                ok = False
            if personnel is not None and personnel < ut.min_personnel:
                self.bad(
                    f"{path}.personnel",
                    f"{personnel} people: {ut.a_name} of fewer than {ut.min_personnel} melts away",
                    f"at least {ut.min_personnel}",
                )
                ok = False
        if t is None or f is None or personnel is None or h is None or not ok:
            return None
        ut = self.rules.unit_type(t)
        terrain = self.map.terrain_at(h)
        if terrain not in ut.enters:
            self.bad(
                f"{path}.place",
                f"{ut.a_name} cannot stand on {terrain} at {h.q},{h.r}",
                "choose a hex it may enter",
            )
            return None
        country = self.map.country_at(h)
        fac = self.factions[f]
        if ut.is_ground and country not in WAR_ZONE and country not in fac.get("bases", []):
            name = self.map.country_names.get(country, "the sea") if country else "the sea"
            self.bad(
                f"{path}.place",
                f"{fac['name']} may not stand in {name}",
                f"add {country!r} to the faction's bases, or place it in Iraq or Syria",
            )
            return None
        if (
            ut.category == "air"
            and not path.startswith("units[")
            and terrain != "sea"
            and country not in self.later_bases(f)
            and (self.map.city_at(h) is None or country not in WAR_ZONE)
        ):
            # Who holds a town when the wing arrives is the game's to say: any town of Iraq or
            # Syria may be a base then, a hex abroad only in a country of the faction's bases.
            name = self.map.country_names.get(country, "the sea") if country else "the sea"
            self.bad(f"{path}.place", f"hex {h.q},{h.r} in {name} is no air base of {fac['name']}", _AIR_BASE)
            return None
        if ent and ent > self.rules.terrain_named(terrain).entrench_max:
            self.bad(
                f"{path}.entrenchment",
                f"level {ent} is deeper than {terrain} allows",
                f"at most {self.rules.terrain_named(terrain).entrench_max}",
            )
        out = {
            "type": t,
            "faction": f,
            "hex": [h.q, h.r],
            "personnel": personnel,
            "equipment": dict(equipment),
        }
        for key in ("id", "name", "morale", "experience", "entrenchment"):
            if key in u:
                out[key] = u[key]
        return out

    def read_units(self) -> list[dict]:
        units = []
        paths = []
        for i, u in enumerate(self.array(self.data, "units", "units")):
            x = self.unit(u, f"units[{i}]", self.unit_ids)
            if x:
                units.append(x)
                paths.append(f"units[{i}]")
        # A unit without an id gets one at the start, faction-001, faction-002... counted over
        # all factions in the order of the file (GameState.new): no unit may have it already.
        explicit = {x["id"]: p for x, p in zip(units, paths) if isinstance(x.get("id"), str)}
        n = 0
        for x, p in zip(units, paths):
            if "id" not in x:
                n += 1
                made = f"{x['faction']}-{n:03d}"
                if made in explicit:
                    self.bad(
                        f"{explicit[made]}.id",
                        f"unit id {made!r} is the one {p}, which has none, is given at the start",
                        "choose another id, or give that unit one",
                    )
        self.start_paths = paths
        return units

    def check_start_positions(self, units: list[dict], control: dict[str, str]) -> None:
        """Where the units stand at the start, as the rules allow: no more than the stacking
        limit of a side's ground units in a hex, no hex shared by two sides, and every air wing
        at an air base (a town its side holds, a country its faction has bases in, or the sea
        with a naval group of its side: ``game.air.is_air_base``)."""
        limit = self.rules.movement["stack_limit"]
        side_of: dict[str | None, str] = {fid: f["side"] for fid, f in self.factions.items()}
        ground: dict[tuple, int] = {}
        first: dict[tuple, tuple[str, str]] = {}  # hex -> (side, path) of its first unit
        carriers = {
            (tuple(u["hex"]), side_of[u["faction"]])
            for u in units
            if self.rules.unit_type(u["type"]).category == "naval"
        }
        for u, p in zip(units, self.start_paths):
            ut = self.rules.unit_type(u["type"])
            h, side = tuple(u["hex"]), side_of[u["faction"]]
            where = f"{h[0]},{h[1]}"
            there = first.setdefault(h, (side, p))
            if there[0] != side:
                self.bad(
                    f"{p}.place",
                    f"{self.factions[u['faction']]['name']} stands in hex {where} "
                    f"with {there[0]}'s {there[1]}: two sides never share a hex",
                    "place it in another hex",
                )
                continue
            if ut.is_ground:
                ground[h] = ground.get(h, 0) + 1
                if ground[h] > limit:
                    self.bad(
                        f"{p}.place",
                        f"{side} stacks {ground[h]} ground units in hex {where}",
                        f"at most {limit} of a side share a hex (the rules' stack_limit): "
                        "place it in another hex",
                    )
            if ut.category == "air":
                fac = self.factions[u["faction"]]
                city = self.map.city_at(Hex(*h))
                held = city is not None and side_of.get(control.get(city.id)) == side
                if not (
                    held
                    or self.map.country_at(Hex(*h)) in fac.get("bases", [])
                    or (self.map.terrain_at(Hex(*h)) == "sea" and (h, side) in carriers)
                ):
                    self.bad(f"{p}.place", f"hex {where} is no air base of {fac['name']}", _AIR_BASE)

    def check_sides_have_units(self) -> None:
        """A side with nothing to play with, at the start or later, is a problem: every unit
        table of the file counts (with problems of its own or not), and so does a faction that
        joins the side or units handed to one of its factions."""
        armed: set[str] = set()

        def count(units) -> None:
            for u in _tables(units):
                fid = u.get("faction")
                f = self.factions.get(fid) if isinstance(fid, str) else None
                if f is not None:
                    armed.add(f["side"])

        count(self.data.get("units"))
        for t in _tables(self.data.get("reinforcements")):
            count(t.get("units"))
        for e in _tables(self.data.get("events")):
            for a in _tables(e.get("actions")):
                if a.get("do") == "add_units":
                    count(a.get("units"))
                elif a.get("do") == "change_side" and isinstance(a.get("side"), str):
                    armed.add(a["side"])
                elif a.get("do") == "transfer_units" and _in(a.get("to"), self.factions):
                    armed.add(self.factions[a["to"]]["side"])
        for sid, p in self.side_paths.items():
            if sid not in armed and any(f["side"] == sid for f in self.factions.values()):
                self.bad(
                    p,
                    f"side {sid!r} has no units, at the start or later: there is nothing to play",
                    "give its factions [[units]] or [[reinforcements]]",
                )

    def later_bases(self, faction: str) -> set[str]:
        """The countries a faction has bases in at the start or gets by a set_supply action."""
        if faction in self._later_bases:
            return self._later_bases[faction]
        out = self._later_bases[faction] = set(self.factions[faction].get("bases", []))
        for e in _tables(self.data.get("events")):
            for a in _tables(e.get("actions")):
                if (
                    a.get("do") == "set_supply"
                    and a.get("faction") == faction
                    and isinstance(a.get("bases"), list)
                ):
                    out |= {c for c in a["bases"] if isinstance(c, str)}
        return out

    def turn(self, t: dict, kind: schema.Kind, key: str, path: str, default=None) -> int | None:
        """A turn number: in the schema's range, and no later than the scenario's last turn."""
        n = self.number(t, kind, key, path, default=default)
        if key in t and n is not None and self.turns is not None and n > self.turns:
            first = kind.bounds(key).low
            self.bad(
                f"{path}.{key}",
                f"turn {n} is after the last turn ({self.turns})",
                f"between {first} and {self.turns}: it would never come",
            )
            return None
        return n

    def when(self, t: dict, path: str) -> dict | None:
        """A date or turn for reinforcements."""
        if "date" in t:
            d = self.get(t, "date", path, dt.date)
            if d is None:
                return None
            if not self.start <= d <= self.end:
                self.bad(
                    f"{path}.date",
                    f"{d} is outside the scenario ({self.start} to {self.end})",
                    "it would never happen",
                )
            return {"date": d.isoformat()}
        if "turn" in t:
            n = self.turn(t, schema.REINFORCEMENT, "turn", path)
            return {"turn": n} if n is not None else None
        self.bad(path, "needs a date or a turn", "date = 2015-02-15")
        return None

    def read_reinforcements(self) -> list[dict]:
        events = []
        for i, r in enumerate(self.array(self.data, "reinforcements", "reinforcements")):
            p = f"reinforcements[{i}]"
            self.fields(r, schema.REINFORCEMENT.names, p, schema.REINFORCEMENT)
            trig = self.when(r, p)
            units = []
            for j, u in enumerate(self.get(r, "units", p, list, default=[]) or []):
                x = self.unit(u, f"{p}.units[{j}]", self.unit_ids)
                if x:
                    units.append(x)
            actions = [{"do": "add_units", "units": units}]
            msg = self.get(r, "message", p, str, required=False)
            if msg:
                actions.insert(0, {"do": "message", "text": msg})
            if trig:
                events.append({"id": f"reinforcements-{i + 1}", "trigger": trig, "actions": actions})
        return events

    def area(self, t: dict, p: str, example: str, kind: schema.Kind = schema.TERRAIN) -> list[Hex]:
        """The hexes of a table that gives ``hexes``, or a ``centre`` and a ``radius``."""
        hexes: list[Hex] = []
        if "hexes" in t:
            for j, v in enumerate(self.get(t, "hexes", p, list, default=[]) or []):
                h = self.place(v, f"{p}.hexes[{j}]")
                if h:
                    hexes.append(h)
        elif "centre" in t:
            c = self.place(t["centre"], f"{p}.centre")
            r = self.number(t, kind, "radius", p, required=True)
            if c and r is not None:
                hexes = [h for h in hex_range(c, r) if self.map.in_bounds(h)]
        else:
            self.bad(p, "needs hexes, or a centre and a radius", example)
        return hexes

    def read_terrain(self) -> list[dict]:
        """Terrain changes, later tables over earlier ones: [{hex, terrain}] in hex order."""
        changed: dict[Hex, str] = {}
        for i, t in enumerate(self.array(self.data, "terrain", "terrain")):
            p = f"terrain[{i}]"
            self.fields(t, schema.TERRAIN.names, p, schema.TERRAIN)
            name = self.get(t, "terrain", p, str)
            if name is not None and name not in TERRAINS:
                self.bad(
                    f"{p}.terrain", f"unknown terrain {name!r}", _suggest(name, TERRAINS) or _one_of(TERRAINS)
                )
                name = None
            hexes = self.area(t, p, 'hexes = [[60, 40], "Fallujah"] or centre = "Fallujah", radius = 2')
            if name is None:
                continue
            for h in hexes:
                city = self.map.city_at(h)
                if city is not None and name in ("sea", "lake"):
                    where = "hexes" if "hexes" in t else "centre"
                    self.bad(
                        f"{p}.{where}",
                        f"{city.name} stands at {h.q},{h.r}: a town cannot be under water",
                        "leave the towns' hexes out",
                    )
                    continue
                changed[h] = name
        return [
            {"hex": [h.q, h.r], "terrain": changed[h]}
            for h in sorted(changed, key=lambda h: (h.q, h.r))
            if changed[h] != self.map.terrain_at(h)
        ]

    def read_supply_sources(self) -> list[dict]:
        out = []
        for i, t in enumerate(self.array(self.data, "supply_sources", "supply_sources")):
            p = f"supply_sources[{i}]"
            self.fields(t, schema.SUPPLY_SOURCE.names, p, schema.SUPPLY_SOURCE)
            if "place" not in t:
                self.bad(f"{p}.place", "missing", 'place = "Erbil", "36.19,44.01" or [q, r]')
                continue
            h = self.place(t["place"], f"{p}.place")
            if ("faction" in t) == ("side" in t):
                self.bad(
                    p,
                    "give a faction or a side, not both" if "faction" in t else "supplies nobody",
                    'faction = "iraq" or side = "baathist"',
                )
                continue
            if "faction" in t:
                if not self.ref(t["faction"], self.factions, f"{p}.faction", "faction"):
                    continue
                owner = {"faction": t["faction"]}
                side = self.factions[t["faction"]]["side"]
            else:
                if not self.ref(t["side"], self.sides, f"{p}.side", "side"):
                    continue
                owner = {"side": t["side"]}
                side = t["side"]
            self.get(t, "name", p, str, required=False)
            if h is None:
                continue
            terrain = self.map.terrain_at(h)
            if "foot" not in self.rules.terrain_named(terrain).cost:
                self.bad(
                    f"{p}.place",
                    f"{h.q},{h.r} is {terrain}: a supply line cannot start there",
                    "choose a hex of land",
                )
                continue
            country = self.map.country_at(h)
            bases = {c for f in self.factions.values() if f["side"] == side for c in f.get("bases", [])}
            if country not in WAR_ZONE and country not in bases:
                name = self.map.country_names.get(country, "the sea") if country else "the sea"
                self.bad(
                    f"{p}.place",
                    f"{h.q},{h.r} lies in {name}, outside the war zone and the bases "
                    f"of {side}: it would supply nobody",
                    "place it in Iraq or Syria",
                )
                continue
            out.append({"hex": [h.q, h.r], **owner})
        return out

    def read_zones(self) -> list[dict]:
        zones = []
        for i, z in enumerate(self.array(self.data, "no_fly_zones", "no_fly_zones")):
            p = f"no_fly_zones[{i}]"
            self.fields(z, schema.NO_FLY_ZONE.names, p, schema.NO_FLY_ZONE)
            zid = self.get(z, "id", p, str)
            self.ident(zid, f"{p}.id")
            side = self.get(z, "side", p, str)
            if side is not None:
                self.ref(side, self.sides, f"{p}.side", "side")
            hexes = self.area(z, p, 'centre = "Aleppo", radius = 10', schema.NO_FLY_ZONE)
            if zid in self.zones:
                self.bad(f"{p}.id", f"zone {zid!r} is defined twice")
            elif zid:
                declared = self.get(z, "declared", p, bool, required=False, default=True)
                zone = {
                    "id": zid,
                    "name": self.get(z, "name", p, str, default=zid),
                    "side": side,
                    "hexes": sorted([h.q, h.r] for h in hexes),
                    "declared": bool(declared),
                }
                self.zones[zid] = zone
                zones.append(zone)
        return zones

    def trigger(self, t, path: str) -> dict | None:
        if not isinstance(t, dict):
            self.bad(path, f"expected a trigger table, got {_kind(t)}", "trigger = { date = 2014-11-10 }")
            return None
        keys = [k for k in t if k in TRIGGERS]
        unknown = [k for k in t if k not in TRIGGERS | TRIGGER_EXTRAS]
        for k in unknown:
            self.bad(f"{path}.{k}", "unknown trigger", _suggest(k, TRIGGERS) or _one_of(sorted(TRIGGERS)))
        if len(keys) != 1:
            if not unknown:
                self.bad(path, "needs exactly one trigger", _one_of(sorted(TRIGGERS)))
            return None
        k = keys[0]
        v = t[k]
        if k == "date":
            d = self.get(t, "date", path, dt.date)
            if d is None:
                return None
            if d > self.end:
                self.bad(
                    f"{path}.date", f"{d} is after the scenario ends ({self.end})", "it would never fire"
                )
            return {"date": d.isoformat()}
        if k == "turn":
            n = self.turn(t, schema.TRIGGERS["turn"], "turn", path)
            return {"turn": n} if n is not None else None
        if k == "city_taken":
            cid = self.city(v, f"{path}.city_taken")
            by = t.get("by")
            if by is not None and not _in(by, self.factions) and not _in(by, self.sides):
                self.bad(
                    f"{path}.by",
                    f"unknown faction or side {by!r}",
                    _suggest(by, list(self.factions) + list(self.sides)),
                )
                return None
            return {"city_taken": cid, "by": by} if cid else None
        if k == "unit_destroyed":
            if not _in(v, self.all_unit_ids):
                self.bad(f"{path}.unit_destroyed", f"unknown unit {v!r}", "give the unit an id")
                return None
            return {"unit_destroyed": v}
        if k == "faction_destroyed":
            return (
                {"faction_destroyed": v}
                if self.ref(v, self.factions, f"{path}.faction_destroyed", "faction")
                else None
            )
        if k == "losses":
            if not _in(v, self.factions) and not _in(v, self.sides):
                self.bad(f"{path}.losses", f"unknown faction or side {v!r}")
                return None
            above = self.number(t, schema.TRIGGERS["losses"], "above", path)
            return {"losses": v, "above": above} if above is not None else None
        if k == "chance":
            p = self.number(t, schema.TRIGGERS["chance"], "chance", path)
            start = self.turn(t, schema.TRIGGERS["chance"], "from_turn", path, default=1)
            if p is None or start is None:
                return None
            return {"chance": float(p), "from_turn": start}
        if k == "event":
            return {"event": v} if self.ref(v, self.event_ids, f"{path}.event", "event") else None
        parts = []
        if not isinstance(v, list) or not v:
            self.bad(f"{path}.{k}", "expected a list of triggers")
            return None
        for j, sub in enumerate(v):
            x = self.trigger(sub, f"{path}.{k}[{j}]")
            if x is None:
                return None
            parts.append(x)
        return {k: parts}

    def action(self, a, path: str) -> dict | None:
        if not isinstance(a, dict):
            self.bad(path, f"expected an action table, got {_kind(a)}", '{ do = "message", text = "..." }')
            return None
        kind = a.get("do")
        if not _in(kind, ACTIONS):
            self.bad(
                f"{path}.do", f"unknown action {kind!r}", _suggest(kind, ACTIONS) or _one_of(sorted(ACTIONS))
            )
            return None
        self.fields(a, ACTIONS[kind] | {"do"}, path, schema.ACTIONS[kind])
        out = {"do": kind}
        fac = lambda key: self.ref(a.get(key), self.factions, f"{path}.{key}", "faction")  # noqa: E731
        if kind == "message":
            text = self.get(a, "text", path, str)
            return {**out, "text": text} if text else None
        if kind in ("declare_war", "make_peace"):
            pr = self.pair(a.get("factions"), f"{path}.factions")
            return {**out, "factions": pr} if pr else None
        if kind == "add_units":
            units = []
            for j, u in enumerate(self.get(a, "units", path, list, default=[]) or []):
                x = self.unit(u, f"{path}.units[{j}]", self.unit_ids)
                if x:
                    units.append(x)
            return {**out, "units": units, "message": a.get("message", "")}
        if kind == "withdraw":
            if not fac("faction"):
                return None
            share = self.number(a, schema.ACTIONS["withdraw"], "share", path, default=1.0)
            types = self.get(a, "types", path, list, required=False, default=[]) or []
            for j, t in enumerate(types):
                self.ref(t, self.rules.unit_types, f"{path}.types[{j}]", "unit type")
            return {
                **out,
                "faction": a["faction"],
                "share": share or 1.0,
                "types": types,
                "message": a.get("message", ""),
            }
        if kind == "rename_faction":
            name = self.get(a, "name", path, str)
            return {**out, "faction": a["faction"], "name": name} if fac("faction") and name else None
        if kind == "change_side":
            ok = fac("faction") and self.ref(a.get("side"), self.sides, f"{path}.side", "side")
            return {**out, "faction": a["faction"], "side": a["side"]} if ok else None
        if kind == "transfer_units":
            ok = fac("from") and fac("to")
            return {**out, "from": a["from"], "to": a["to"]} if ok else None
        if kind == "set_leaders":
            if not fac("faction"):
                return None
            leaders = self.get(a, "leaders", path, list, default=[])
            res = {**out, "faction": a["faction"], "leaders": leaders or []}
            for key in ("leader_bonus", "quality", "resolve"):
                v = self.number(a, schema.ACTIONS["set_leaders"], key, path)
                if v is not None:
                    res[key] = v
            return res
        if kind == "set_morale":
            if not fac("faction"):
                return None
            res = {**out, "faction": a["faction"]}
            for key in ("morale", "resolve"):
                v = self.number(a, schema.ACTIONS["set_morale"], key, path)
                if v is not None:
                    res[key] = v
            return res if "morale" in res else None
        if kind == "set_category":
            cat = a.get("category")
            if cat not in CATEGORIES:
                self.bad(f"{path}.category", f"unknown casualty category {cat!r}", _one_of(CATEGORIES))
                return None
            return {**out, "faction": a["faction"], "category": cat} if fac("faction") else None
        if kind in ("declare_no_fly_zone", "lift_no_fly_zone"):
            return (
                {**out, "zone": a["zone"]}
                if self.ref(a.get("zone"), self.zones, f"{path}.zone", "no-fly zone")
                else None
            )
        if kind == "set_supply":
            if not fac("faction"):
                return None
            res = {**out, "faction": a["faction"]}
            codes = [c for c in self.map.countries if c]
            for key in ("bases", "supply_crossings"):
                if key in a:
                    vals = self.get(a, key, path, list, default=[]) or []
                    for j, c in enumerate(vals):
                        if c not in codes:
                            self.bad(f"{path}.{key}[{j}]", f"unknown country {c!r}", _one_of(codes))
                    res[key] = vals
            return res
        if kind == "set_control":
            cid = self.city(a.get("city"), f"{path}.city")
            return {**out, "city": cid, "faction": a["faction"]} if cid and fac("faction") else None
        if kind == "victory":
            ok = self.ref(a.get("side"), self.sides, f"{path}.side", "side")
            return {**out, "side": a["side"], "text": a.get("text", "")} if ok else None
        return None

    def read_events(self) -> list[dict]:
        raw = self.array(self.data, "events", "events")
        for e in raw:
            if isinstance(e.get("id"), str):
                self.event_ids.add(e["id"])
        events = []
        seen = set()
        paths: dict[str, str] = {}
        for i, e in enumerate(raw):
            p = f"events[{i}]"
            self.fields(e, schema.EVENT.names, p, schema.EVENT)
            eid = self.get(e, "id", p, str)
            self.ident(eid, f"{p}.id")
            if eid in seen:
                self.bad(f"{p}.id", f"event {eid!r} is defined twice")
            seen.add(eid)
            trig = self.trigger(e.get("trigger"), f"{p}.trigger") if "trigger" in e else None
            if "trigger" not in e:
                self.bad(f"{p}.trigger", "missing", "trigger = { date = 2014-11-10 }")
            actions = []
            acts = self.get(e, "actions", p, list, default=[]) or []
            if not acts and "actions" in e:
                self.bad(f"{p}.actions", "an event needs at least one action")
            for j, a in enumerate(acts):
                x = self.action(a, f"{p}.actions[{j}]")
                if x:
                    actions.append(x)
            title = self.get(e, "title", p, str, required=False)
            if title is not None and (not title.strip() or "\n" in title or len(title) > schema.TITLE_MAX):
                self.bad(
                    f"{p}.title",
                    f"a title is one line of text, at most {schema.TITLE_MAX} characters",
                    'title = "Iran opens a supply line through Lebanon" (longer news: a message action)',
                )
                title = None
            if eid and trig:
                event = {"id": eid, "trigger": trig, "actions": actions}
                if title:
                    event["title"] = title.strip()
                events.append(event)
                paths.setdefault(eid, p)
        self.check_events_can_fire(events, paths)
        return events

    def check_events_can_fire(self, events: list[dict], paths: dict[str, str]) -> None:
        """An event whose trigger waits only for events that can never fire (itself, or a
        circle of events each waiting for the next) can never fire: each is named."""
        built = {e["id"]: e for e in events}
        can = set(self.event_ids) - set(built)  # events with problems of their own: not blamed
        waits: dict[str, set[str]] = {}  # event -> the events its trigger names

        def named(t: dict, into: set[str]) -> set[str]:
            if "event" in t:
                into.add(t["event"])
            for sub in t.get("all", []) + t.get("any", []):
                named(sub, into)
            return into

        def holds(t: dict) -> bool:
            if "event" in t:
                return t["event"] in can
            if "all" in t:
                return all(holds(x) for x in t["all"])
            if "any" in t:
                return any(holds(x) for x in t["any"])
            return True

        dependents: dict[str, list[str]] = {}
        for eid, e in built.items():
            waits[eid] = named(e["trigger"], set())
            for other in waits[eid]:
                dependents.setdefault(other, []).append(eid)
        todo = list(built)
        while todo:
            eid = todo.pop()
            if eid in can or not holds(built[eid]["trigger"]):
                continue
            can.add(eid)
            todo.extend(dependents.get(eid, []))
        for eid in built:
            if eid in can:
                continue
            if eid in waits[eid]:
                self.bad(
                    f"{paths[eid]}.trigger",
                    f"event {eid!r} waits for its own firing: it can never fire",
                    "name an event that fires before it, or another trigger",
                )
            else:
                never = ", ".join(sorted(repr(x) for x in waits[eid] if x not in can))
                self.bad(
                    f"{paths[eid]}.trigger",
                    f"event {eid!r} waits for {never}, which can never fire first",
                    "break the circle: one of them needs another trigger",
                )

    def read_victory(self, control: dict[str, str]) -> list[dict]:
        out = []
        named: set[str] = set()  # the sides that have a condition
        for i, v in enumerate(self.array(self.data, "victory", "victory")):
            p = f"victory[{i}]"
            kind = v.get("kind")
            if not _in(kind, VICTORY):
                self.bad(f"{p}.kind", f"unknown victory condition {kind!r}", _one_of(VICTORY))
                continue
            self.fields(v, VICTORY[kind] | {"kind", "side", "text"}, p, schema.VICTORY[kind])
            side = v.get("side")
            if not self.ref(side, self.sides, f"{p}.side", "side"):
                continue
            cond = {"kind": kind, "side": side, "text": v.get("text", "")}
            named.add(side)  # a condition with problems of its own is still the side's
            if kind in ("hold", "take"):
                cities = []
                listed = self.get(v, "cities", p, list, default=None)
                for j, c in enumerate(listed or []):
                    cid = self.city(c, f"{p}.cities[{j}]")
                    if cid:
                        cities.append(cid)
                        country = self.map.city_by_id(cid).country
                        allowed = set(WAR_ZONE)
                        for f in self.factions.values():
                            if f["side"] == side:
                                allowed |= set(f.get("bases", []))
                        if country not in allowed:
                            self.bad(
                                f"{p}.cities[{j}]",
                                f"{c} lies in {self.map.country_names[country]}, "
                                f"where no faction of {side} may go",
                                "this condition cannot be met",
                            )
                if listed == []:
                    self.bad(f"{p}.cities", "lists no towns", 'cities = ["Mosul", "Tikrit"]')
                if not cities:
                    continue
                count = self.get(v, "count", p, int, required=False, default=len(cities))
                least = schema.VICTORY[kind].bounds("count").low
                if count is not None and not least <= count <= len(cities):
                    self.bad(
                        f"{p}.count",
                        f"{count} of {len(cities)} towns cannot be met",
                        f"between {least} and {len(cities)}",
                    )
                    continue
                cond.update(cities=cities, count=count or len(cities))
                if kind == "take":
                    held = sum(
                        1
                        for c in cities
                        if control.get(c) in self.factions and self.factions[control[c]]["side"] == side
                    )
                    if held >= cond["count"]:
                        self.bad(
                            f"{p}.cities",
                            f"{side} holds these towns at the start: the condition is met on the first turn",
                            'use kind = "hold" to keep them',
                        )
                        continue
            elif kind == "destroy":
                facs = self.get(v, "factions", p, list, default=[]) or []
                good = [
                    f
                    for j, f in enumerate(facs)
                    if self.ref(f, self.factions, f"{p}.factions[{j}]", "faction")
                ]
                for fid in good:
                    if self.factions[fid]["side"] == side:
                        self.bad(
                            f"{p}.factions", f"{fid} is on side {side} itself", "this condition cannot be met"
                        )
                if not good:
                    continue
                cond["factions"] = good
            out.append(cond)
        for sid in self.sides:
            if sid not in named:
                self.bad(
                    "victory", f"side {sid!r} has no victory condition", "add a [[victory]] table for it"
                )
        return out

    def read_history(self) -> dict:
        t = self.table(self.data, "history", "history", required=False) or {}
        self.fields(t, schema.HISTORY.names, "history", schema.HISTORY)
        out = {
            "outcome": self.get(t, "outcome", "history", str, required=False, default=""),
            "winner": t.get("winner"),
            "casualties": {},
        }
        if out["winner"] is not None and not _in(out["winner"], self.sides):
            self.bad("history.winner", f"unknown side {out['winner']!r}", _one_of(self.sides))
        cas = self.get(t, "casualties", "history", dict, required=False, default={}) or {}
        people = schema.HISTORY.field("casualties")
        assert people is not None
        for k, n in cas.items():
            if k not in CATEGORIES and k != "civilians":
                self.bad(
                    f"history.casualties.{k}",
                    f"unknown casualty category {k!r}",
                    _suggest(k, CATEGORIES) or _one_of(CATEGORIES + ("civilians",)),
                )
            elif not isinstance(n, int) or isinstance(n, bool):
                self.bad(f"history.casualties.{k}", f"expected a number of people, got {_kind(n)}")
            elif not people.in_range(n):
                self.bad(f"history.casualties.{k}", _out_of_range(k, n), people.range_text)
            else:
                out["casualties"][k] = n
        out["events"] = self.read_history_events(t)
        return out

    def read_history_events(self, history: dict) -> list[dict]:
        """``[[history.events]]``: the source's dated events, town ids resolved, dates as ISO
        text (``game.history`` judges a game by them)."""
        raw = history.get("events", [])
        if not isinstance(raw, list):
            self.bad("history.events", f"expected a list of tables ([[history.events]]), got {_kind(raw)}")
            return []
        out: list[dict] = []
        paths: dict[str, str] = {}  # id -> the path of the event that has it
        afters: list[tuple[str | None, str, str]] = []  # (id, the id it comes after, path)
        for i, e in enumerate(raw):
            p = f"history.events[{i}]"
            if not isinstance(e, dict):
                self.bad(p, f"expected a table, got {_kind(e)}")
                continue
            self.fields(e, schema.HISTORY_EVENT.names, p, schema.HISTORY_EVENT)
            ok = True
            hid = self.get(e, "id", p, str, required=False)
            if hid is not None:
                if hid in paths:
                    self.bad(f"{p}.id", f"history event {hid!r} is defined twice")
                    ok = False
                paths.setdefault(hid, p)
            what = self.get(e, "what", p, str)
            if what is not None and not what.strip():
                self.bad(f"{p}.what", "is empty", 'what = "Raqqa taken from the Islamic State"')
                what = None
            date = self.get(e, "date", p, dt.date)
            entry = {
                "id": hid,
                "what": " ".join((what or "").split()),
                "date": date.isoformat() if date else None,
            }
            if "taken" in e and "event" in e:
                self.bad(
                    p,
                    "give taken (with by) or event, not both",
                    'taken = "Raqqa", by = "coalition" or event = "assad-falls"',
                )
                ok = False
            elif "taken" in e:
                cid = self.city(e["taken"], f"{p}.taken")
                by = e.get("by")
                if "by" not in e:
                    self.bad(
                        f"{p}.by", "missing: who takes the town", 'by = "coalition" (a faction or a side)'
                    )
                    ok = False
                elif not _in(by, self.factions) and not _in(by, self.sides):
                    self.bad(
                        f"{p}.by",
                        f"unknown faction or side {by!r}",
                        _suggest(by, list(self.factions) + list(self.sides))
                        or _one_of(list(self.sides) + list(self.factions)),
                    )
                    ok = False
                ok = ok and cid is not None
                entry.update(taken=cid, by=by)
            elif "event" in e:
                if "by" in e:
                    self.bad(f"{p}.by", "goes with taken, not with event", "leave it out")
                    ok = False
                ok = self.ref(e["event"], self.event_ids, f"{p}.event", "event") and ok
                entry["event"] = e["event"]
            else:
                self.bad(
                    p,
                    "says neither what town is taken nor what event fires",
                    'taken = "Raqqa", by = "coalition" or event = "assad-falls"',
                )
                ok = False
            entry["window"] = self.window(e, p)
            entry["after"] = self.get(e, "after", p, str, required=False)
            if entry["after"] is not None:
                afters.append((hid, entry["after"], p))
            entry["defining"] = bool(self.get(e, "defining", p, bool, required=False, default=True))
            if ok and what and date and entry["window"]:
                out.append(entry)
        waits = {hid: after for hid, after, _ in afters if hid is not None}
        for hid, after, p in afters:
            if after == hid:
                self.bad(
                    f"{p}.after",
                    f"the event {hid!r} cannot come after itself",
                    "name another history event's id",
                )
            elif after not in paths:
                self.bad(
                    f"{p}.after",
                    f"unknown history event {after!r}",
                    _suggest(after, paths) or (_one_of(sorted(paths)) if paths else "give that event an id"),
                )
            else:
                seen, step = {hid}, after
                while step in waits and step not in seen:
                    seen.add(step)
                    step = waits[step]
                if hid is not None and step == hid:
                    self.bad(
                        f"{p}.after",
                        f"{hid!r} comes after {after!r}, which waits for {hid!r} in its turn",
                        "none of them could ever happen",
                    )
        return out

    def window(self, e: dict, p: str) -> list[str] | None:
        """A history event's window as ISO dates: the whole game when it gives none."""
        if "window" not in e:
            return [self.start.isoformat(), self.end.isoformat()]
        w = e["window"]
        example = "window = [2017-01-01, 2017-07-31]"
        if not (
            isinstance(w, list)
            and len(w) == 2
            and all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in w)
        ):
            self.bad(
                f"{p}.window",
                f"expected two dates, from and to, got {_kind(w)}",
                f"like {example}, dates without quotes",
            )
            return None
        if w[1] < w[0]:
            self.bad(
                f"{p}.window", f"ends {w[1]} before it starts {w[0]}", "from the earlier date to the later"
            )
            return None
        if w[1] < self.start or w[0] > self.end:
            self.bad(
                f"{p}.window",
                f"{w[0]} to {w[1]} lies outside the game ({self.start} to {self.end})",
                "it could never be on time",
            )
            return None
        return [w[0].isoformat(), w[1].isoformat()]

    def all_unit_ids_scan(self) -> set[str]:
        """Every unit id the file gives, wherever the unit appears (for unit_destroyed)."""
        ids: set[str] = set()

        def scan(units) -> None:
            for u in _tables(units):
                if isinstance(u.get("id"), str):
                    ids.add(u["id"])

        scan(self.data.get("units"))
        for r in _tables(self.data.get("reinforcements")):
            scan(r.get("units"))
        for e in _tables(self.data.get("events")):
            for a in _tables(e.get("actions")):
                scan(a.get("units"))
        return ids

    def build(self) -> Scenario | None:
        for key in self.data:
            if key not in TOP:
                self.bad(key, "unknown part of a scenario", _suggest(key, TOP) or _one_of(sorted(TOP)))
        head = self.scenario()
        terrain = self.read_terrain()
        # Everything placed later stands on the changed map: units, depots, zones.
        self.map = self.map.with_terrain(terrain)
        sides = self.read_sides(head["side_order"])
        factions = self.read_factions()
        sources = self.read_supply_sources()
        at_war = self.read_war()
        control = self.read_control()
        self.all_unit_ids = self.all_unit_ids_scan()
        units = self.read_units()
        self.check_start_positions(units, control)
        zones = self.read_zones()
        events = self.read_reinforcements() + self.read_events()
        victory = self.read_victory(control)
        self.check_sides_have_units()
        plans = read_plans(self)
        history = self.read_history()
        if self.problems:
            return None
        turns = max(1, (self.end - self.start).days // head["turn_days"] + 1)
        setup = {
            "id": head["id"],
            "title": head["title"],
            "description": head["description"],
            "start_date": self.start.isoformat(),
            "end_date": self.end.isoformat(),
            "turn_days": head["turn_days"],
            "turns": turns,
            "sides": sides,
            "factions": factions,
            "at_war": at_war,
            "cities": control,
            "units": units,
            "events": events,
            "victory": victory,
            "plans": plans,
            "no_fly_zones": [
                {k: z[k] for k in ("id", "name", "side", "hexes")} for z in zones if z["declared"]
            ],
            "zones": zones,
            "terrain": terrain,
            "supply_sources": sources,
            "history": history,
        }
        return Scenario(
            id=head["id"],
            title=head["title"],
            description=head["description"],
            start=self.start,
            end=self.end,
            turn_days=head["turn_days"],
            sides=sides,
            factions=factions,
            setup=setup,
            history=history,
        )


_T = TypeVar("_T")


def _in(value: object, container: Collection[_T]) -> TypeGuard[_T]:
    """Membership that answers False, not TypeError, for values that cannot be keys."""
    try:
        return value in container
    except TypeError:
        return False


def _tables(v) -> list[dict]:
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


def _kind(v) -> str:
    if isinstance(v, bool):
        return f"true/false ({str(v).lower()})"
    if isinstance(v, int) and abs(v) >= 10**15:
        return f"a number of {len(str(abs(v))):,} digits"
    if isinstance(v, (int, float)):
        return f"a number ({v})"
    if isinstance(v, str):
        return f"text ({v!r})" if len(v) < 40 else "text"
    if isinstance(v, dt.datetime):
        return f"a date with a time of day ({v})"
    if isinstance(v, dt.date):
        return f"a date ({v})"
    if isinstance(v, dt.time):
        return f"a time of day ({v})"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a table"
    return type(v).__name__


def _out_of_range(what: str, v) -> str:
    """ "personnel 0 is out of range"; a figure of a hundred digits is not written out."""
    if isinstance(v, int) and abs(v) >= 10**15:
        return f"{what} is a number of {len(str(abs(v))):,} digits, out of range"
    return f"{what} {v:,} is out of range" if isinstance(v, int) else f"{what} {v} is out of range"


def _kind_name(kind) -> str:
    return {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
        dt.date: "a date",
    }.get(kind, kind.__name__)


def build(data: dict, hexmap: HexMap | None = None, rules: Rules | None = None, options: dict | None = None):
    """The scenario a file's data makes, with its what-if switches set as ``options`` says
    (the others at their defaults, history), and every problem found. A switch the file does
    not have raises ValueError naming those it has."""
    if hexmap is None:
        hexmap = default_map()
    if rules is None:
        rules = default_rules()
    switches, problems = read_options(data) if "options" in data else ([], [])
    settings = settings_for(switches, options)
    b = Builder(apply_options(data, settings) if "options" in data else data, hexmap, rules)
    b.limit = MAX_PROBLEMS
    try:
        scenario = b.build()
    except _TooMany:
        return None, problems + b.problems
    if scenario is not None:
        scenario.options, scenario.settings = switches, settings
    return (None if problems else scenario), problems + b.problems
