"""The editing operations: each thing a person does in the scenario editor, as a pure function.

Engine layer. Every operation takes a document (``game.editor.document``), the map and rules
(a ``game.commands.Context``) and its own keyword arguments, and returns a new document; the
one it was given is never changed. An operation that cannot be done raises ``Refused`` with a
reason a person can read: a unit placed off the map or on water, an unknown faction, a
duplicate id. Operations refuse what could never be right; a document that is merely
unfinished (an event with no action yet, a side with no victory condition) is allowed, and
``game.editor.check`` lists what is still wrong with it, as ``mesopotamia validate`` does.

Units are named by their id, or by their place in the document as the validator names it
(``units[3]``, ``reinforcements[0].units[1]``, ``events[2].actions[0].units[0]``): units of
hand-written files often have no id. Events, no-fly zones, factions and sides are named by
id; victory conditions, plans, reinforcements, terrain changes, supply sources and the
history's dated events by their index. New tables go at the end of their list.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable

from game.editor.document import append, drop, get, parse_path, path_text, put, tables
from game.hexgrid import Hex, hex_range
from game.hexmap import TERRAINS, MapError
from game.scenario import schema
from game.scenario.options import read_options
from game.scenario.plans import KINDS as PLAN_KINDS, read_plans
from game.scenario.validate import ID, NEEDS, Builder, build
from game.victory import condition_text

OPS: dict[str, Callable] = {}


class Refused(Exception):
    """An edit that cannot be made; the message says why, in words."""


def op(fn):
    """Register an operation under its name, for ``Editor.apply("name", ...)``."""
    OPS[fn.__name__] = fn
    return fn


def _suggest(word, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown(what: str, value, choices) -> Refused:
    choices = list(choices)
    hint = _suggest(value, choices)
    if not hint and choices:
        hint = f" (one of {', '.join(map(str, choices[:12]))}{', ...' if len(choices) > 12 else ''})"
    return Refused(f"unknown {what} {value!r}{hint}")


# -- what a document holds -------------------------------------------------------------------


def side_ids(doc) -> list[str]:
    return [s["id"] for s in tables(doc, "sides") if isinstance(s, dict) and isinstance(s.get("id"), str)]


def faction_ids(doc) -> list[str]:
    return [f["id"] for f in tables(doc, "factions") if isinstance(f, dict) and isinstance(f.get("id"), str)]


def event_ids(doc) -> list[str]:
    return [e["id"] for e in tables(doc, "events") if isinstance(e, dict) and isinstance(e.get("id"), str)]


def zone_ids(doc) -> list[str]:
    return [
        z["id"] for z in tables(doc, "no_fly_zones") if isinstance(z, dict) and isinstance(z.get("id"), str)
    ]


def unit_paths(doc) -> list[tuple]:
    """Where every unit table of the document is: at the start, in reinforcements, in events."""
    out: list[tuple] = [("units", i) for i, u in enumerate(tables(doc, "units")) if isinstance(u, dict)]
    for i, r in enumerate(tables(doc, "reinforcements")):
        if isinstance(r, dict):
            out += [
                ("reinforcements", i, "units", j)
                for j, u in enumerate(tables(r, "units"))
                if isinstance(u, dict)
            ]
    for i, e in enumerate(tables(doc, "events")):
        for j, a in enumerate(tables(e, "actions") if isinstance(e, dict) else []):
            if isinstance(a, dict) and a.get("do") == "add_units":
                out += [
                    ("events", i, "actions", j, "units", k)
                    for k, u in enumerate(tables(a, "units"))
                    if isinstance(u, dict)
                ]
    return out


def unit_ids(doc) -> list[str]:
    return [get(doc, p + ("id",)) for p in unit_paths(doc) if isinstance(get(doc, p + ("id",)), str)]


def find_unit(doc, unit) -> tuple:
    """The path of a unit named by id or by path; Refused if there is none."""
    paths = unit_paths(doc)
    for p in paths:
        if get(doc, p + ("id",)) == unit:
            return p
    try:
        p = parse_path(unit)
    except TypeError:
        p = ()
    if p in paths:
        return p
    raise _unknown("unit", unit, unit_ids(doc))


def _index(doc, part: str, index, what: str) -> int:
    items = tables(doc, part)
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(items):
        raise Refused(
            f"there is no {what} {index!r}" + (f" (0 to {len(items) - 1})" if items else " (none yet)")
        )
    if not isinstance(items[index], dict):
        raise Refused(f"{part}[{index}] is not a table: fix it in the file first")
    return index


def _by_id(doc, part: str, ident, what: str) -> int:
    for i, t in enumerate(tables(doc, part)):
        if isinstance(t, dict) and t.get("id") == ident:
            return i
    raise _unknown(what, ident, [t.get("id") for t in tables(doc, part) if isinstance(t, dict)])


def _event_index(doc, event) -> int:
    if isinstance(event, int) and not isinstance(event, bool):
        return _index(doc, "events", event, "event")
    return _by_id(doc, "events", event, "event")


def _drop_item(doc, path):
    """Remove a table from its list; a top-level list left empty goes too (none is the same)."""
    path = parse_path(path)
    doc = drop(doc, path)
    if len(path) == 2 and get(doc, path[:1]) == []:
        doc = drop(doc, path[:1])
    return doc


def _new_id(ident, taken, what: str) -> str:
    if not isinstance(ident, str) or not ID.fullmatch(ident):
        raise Refused(f"{ident!r} is not a valid {what} id: lower case letters, digits, - and _")
    if ident in taken:
        raise Refused(f"there is already {'an' if what[0] in 'aeio' else 'a'} {what} {ident!r}")
    return ident


# -- the validator, primed with the document, for checking one part --------------------------


def builder(doc, ctx) -> Builder:
    """A validator that knows the document's dates, map changes, sides, factions, zones and
    events, with no problems recorded: its part checks then speak of one part alone."""
    b = Builder(doc if isinstance(doc, dict) else {}, ctx.hexmap, ctx.rules)
    head = b.scenario()
    b.map = b.map.with_terrain(b.read_terrain())
    b.read_sides(head["side_order"] if isinstance(head["side_order"], list) else None)
    b.read_factions()
    b.read_zones()
    b.event_ids = set(event_ids(doc))
    b.all_unit_ids = b.all_unit_ids_scan()
    b.problems = []
    return b


def _refuse_problems(b: Builder) -> None:
    if b.problems:
        lines = [f"{p.path}: {p.text}" + (f" ({p.hint})" if p.hint else "") for p in b.problems]
        raise Refused("; ".join(lines))


def place_value(ctx, place):
    """A place as the file writes it: text stays text; a hex a town stands on becomes the
    town's name, any other hex ``[q, r]``."""
    if isinstance(place, str):
        try:
            ctx.hexmap.resolve_place(place)
        except MapError as exc:
            parts = place.split(",")
            if len(parts) == 2 and all(p.strip().lstrip("-").isdigit() for p in parts):
                q, r = (int(p) for p in parts)
                raise Refused(
                    f"{place!r} is read as latitude {q} and longitude {r}, as in a file, "
                    f"and is off the map; a hex is written [{q}, {r}]"
                ) from None
            raise Refused(str(exc)) from None
        return place
    if isinstance(place, Hex):
        q, r = place.q, place.r
    elif (
        isinstance(place, (list, tuple))
        and len(place) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in place)
    ):
        q, r = place
    else:
        raise Refused(f'{place!r} is not a place: give a town, "LAT,LON" or a hex [q, r]')
    h = Hex(q, r)
    if not ctx.hexmap.in_bounds(h):
        raise Refused(f"hex {q},{r} is off the map")
    city = ctx.hexmap.city_at(h)
    if city is not None and ctx.hexmap.find_city(city.name) is city:
        return city.name
    return [q, r]


def place_hex(ctx, place) -> Hex:
    if isinstance(place, Hex):
        place = [place.q, place.r]
    if isinstance(place, (list, tuple)):
        h = Hex(*place)
        if not ctx.hexmap.in_bounds(h):
            raise Refused(f"hex {place} is off the map")
        return h
    try:
        return ctx.hexmap.resolve_place(place) if isinstance(place, str) else Hex(*place)
    except MapError as exc:
        raise Refused(str(exc)) from None


def _date(value, what: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Refused(f"{what}: {value!r} is not a date (like 2014-06-16)")


def _hex_value(ctx, place, name: str) -> list[int]:
    """A hex ``[q, r]`` on the map, from a hex or any place a file may write (a town, LAT,LON)."""
    if isinstance(place, (list, tuple)) and len(place) == 2:
        place = f"[{place[0]}, {place[1]}]"
    try:
        h = ctx.hexmap.resolve_place(place)
    except (MapError, AttributeError, TypeError, ValueError) as exc:
        raise Refused(f"{name}: {place!r} is not a hex on the map ({exc})") from None
    return [h.q, h.r]


def _typed(kind: schema.Kind, name: str, value, ctx=None):
    """A field's value checked against its type in the schema (None: remove the field)."""
    f = kind.field(name)
    if f is None:
        raise Refused(
            f"{kind.name} has no field {name!r}"
            + _suggest(name, kind.names)
            + f" (its fields: {', '.join(sorted(kind.names))})"
        )
    if value is None:
        if f.required:
            raise Refused(f"{name} is needed: {f.doc}")
        return None
    t = f.type
    if t == "date":
        return _date(value, name)
    if t in ("integer", "number"):
        ok = isinstance(value, int) if t == "integer" else isinstance(value, (int, float))
        if not ok or isinstance(value, bool):
            raise Refused(
                f"{name}: expected {'a whole number' if t == 'integer' else 'a number'}, got {value!r}"
            )
        if not f.in_range(value):
            raise Refused(f"{name}: {value} is out of range ({f.range_text})")
        return value
    if t == "bool":
        if not isinstance(value, bool):
            raise Refused(f"{name}: expected true or false, got {value!r}")
        return value
    if t in (
        "text",
        "side",
        "faction",
        "faction_or_side",
        "unit",
        "event",
        "zone",
        "unit_type",
        "terrain",
        "city",
        "category",
        "nation",
    ):
        if not isinstance(value, str):
            raise Refused(f"{name}: expected text, got {value!r}")
        if f.choices and value not in f.choices:
            raise _unknown(name, value, f.choices)
        return value
    if t == "dates":
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise Refused(f"{name}: expected two dates, from and to, got {value!r}")
        return [_date(d, name) for d in value]
    if t == "place":
        if ctx is None:
            return value
        return place_value(ctx, value)
    if t in (
        "places",
        "cities",
        "factions",
        "sides",
        "unit_types",
        "countries",
        "names",
        "event_ids",
        "unit_ids",
        "faction_pair",
        "faction_pairs",
        "units",
        "triggers",
        "actions",
        "history_events",
    ):
        if not isinstance(value, (list, tuple)):
            raise Refused(f"{name}: expected a list, got {value!r}")
        if t == "places" and ctx is not None:
            return [place_value(ctx, p) for p in value]
        if t in ("units", "triggers", "actions", "history_events"):
            return [dict(x) if isinstance(x, dict) else x for x in value]
        return [list(x) if isinstance(x, (list, tuple)) else x for x in value]
    if t in ("unit_moves", "faction_changes"):
        # A switch's units moved ({unit, hex}) and factions changed ({id, side, ...}): tables.
        key = "unit" if t == "unit_moves" else "id"
        if not isinstance(value, (list, tuple)) or not all(isinstance(x, dict) and key in x for x in value):
            shape = "{ unit = ID, hex = [q, r] }" if t == "unit_moves" else "{ id = FACTION, side = SIDE }"
            raise Refused(f"{name}: expected a list of {shape}, got {value!r}")
        out = [dict(x) for x in value]
        if t == "unit_moves" and ctx is not None:
            for x in out:
                x["hex"] = _hex_value(ctx, x.get("hex"), name)
        return out
    if t in ("equipment", "casualties"):
        if not isinstance(value, dict):
            raise Refused(f"{name}: expected a table of counts, got {value!r}")
        return dict(value)
    return value


def _typed_into(t: dict, kind: schema.Kind, fields: dict, ctx=None, skip=()) -> dict:
    """``t`` with each of ``fields`` checked and set in it (None removes the field)."""
    for name, value in fields.items():
        if name in skip:
            continue
        v = _typed(kind, name, value, ctx)
        if v is None:
            t.pop(name, None)
        else:
            t[name] = v
    return t


def _set_fields(doc, path, kind: schema.Kind, fields: dict, ctx=None, skip=()):
    t = get(doc, path)
    t = dict(t) if isinstance(t, dict) else {}
    return put(doc, path, _typed_into(t, kind, fields, ctx, skip))


# -- references between parts: renames and what a deletion leaves behind ----------------------


def _field_refs(kind: schema.Kind, t: dict, path: tuple):
    """(path, type, value) for every field of a table that names something else."""
    for f in kind.fields:
        if f.name not in t:
            continue
        v, p = t[f.name], path + (f.name,)
        if f.type in ("side", "faction", "faction_or_side", "event", "zone", "unit", "city"):
            yield p, f.type, v
        elif f.type in ("factions", "sides", "faction_pair", "cities") and isinstance(v, list):
            one = {"factions": "faction", "sides": "side", "faction_pair": "faction", "cities": "city"}[
                f.type
            ]
            for i, x in enumerate(v):
                yield p + (i,), one, x
        elif f.type in ("event_ids", "unit_ids") and isinstance(v, list):
            for i, x in enumerate(v):
                yield p + (i,), "event" if f.type == "event_ids" else "unit", x
        elif f.type == "unit_moves" and isinstance(v, list):
            for i, x in enumerate(v):
                if isinstance(x, dict) and "unit" in x:
                    yield p + (i, "unit"), "unit", x["unit"]
        elif f.type == "faction_changes" and isinstance(v, list):
            for i, x in enumerate(v):
                if isinstance(x, dict):
                    if "id" in x:
                        yield p + (i, "id"), "faction", x["id"]
                    if "side" in x:
                        yield p + (i, "side"), "side", x["side"]
        elif f.type == "faction_pairs" and isinstance(v, list):
            for i, pair in enumerate(v):
                for j, x in enumerate(pair if isinstance(pair, list) else []):
                    yield p + (i, j), "faction", x
        elif f.type == "units" and isinstance(v, list):
            for i, u in enumerate(v):
                if isinstance(u, dict):
                    yield from _field_refs(schema.UNIT, u, p + (i,))
        elif f.type == "actions" and isinstance(v, list):
            for i, a in enumerate(v):
                if isinstance(a, dict) and a.get("do") in schema.ACTIONS:
                    yield from _field_refs(schema.ACTIONS[a["do"]], a, p + (i,))
        elif f.type == "history_events" and isinstance(v, list):
            for i, e in enumerate(v):
                if isinstance(e, dict):
                    yield from _field_refs(schema.HISTORY_EVENT, e, p + (i,))
        elif f.type == "triggers":
            yield from (
                _trigger_refs(v, p)
                if isinstance(v, dict)
                else (
                    r
                    for i, x in enumerate(v if isinstance(v, list) else [])
                    for r in _trigger_refs(x, p + (i,))
                )
            )


def _trigger_refs(t, path: tuple):
    if not isinstance(t, dict):
        return
    for k in t:
        if k in schema.TRIGGERS:
            yield from _field_refs(schema.TRIGGERS[k], t, path)


def references(doc):
    """(path, type, value) for every reference in the document: sides, factions, events,
    zones, units and towns that one part names."""
    for part, kind in schema.TABLES.items():
        v = doc.get(part) if isinstance(doc, dict) else None
        if isinstance(v, dict):
            yield from _field_refs(kind, v, (part,))
        elif isinstance(v, list):
            for i, t in enumerate(v):
                if isinstance(t, dict):
                    yield from _field_refs(kind, t, (part, i))
    for i, v in enumerate(tables(doc, "victory")):
        if isinstance(v, dict) and v.get("kind") in schema.VICTORY:
            yield from _field_refs(schema.VICTORY[v["kind"]], v, ("victory", i))
    control = get(doc, "control")
    if isinstance(control, dict):
        for city, fid in control.items():
            yield ("control", city), "faction", fid


def _rename(doc, what: str, old: str, new: str):
    faction_set = set(faction_ids(doc))
    for path, t, v in list(references(doc)):
        if v != old:
            continue
        if t == what or (t == "faction_or_side" and (what == "faction" or old not in faction_set)):
            doc = put(doc, path, new)
    return doc


# -- the scenario ----------------------------------------------------------------------------


@op
def set_scenario(doc, ctx, **fields):
    """Title, id, description, start and end dates, turn length, side order."""
    if "id" in fields and (not isinstance(fields["id"], str) or not ID.fullmatch(fields["id"])):
        raise Refused(f"{fields['id']!r} is not a valid scenario id: lower case letters, digits and dashes")
    doc = _set_fields(doc, "scenario", schema.SCENARIO, fields, ctx)
    head = doc["scenario"]
    start, end = head.get("start"), head.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
        raise Refused(f"the scenario would end ({end}) before it starts ({start})")
    order = head.get("side_order")
    if "side_order" in fields and order is not None and sorted(order) != sorted(side_ids(doc)):
        raise Refused(f"the side order must list every side once: {', '.join(side_ids(doc))}")
    return doc


# -- sides and factions ----------------------------------------------------------------------


@op
def add_side(doc, ctx, id, name=None):
    _new_id(id, side_ids(doc), "side")
    doc = append(doc, "sides", {"id": id, "name": name or id})
    if isinstance(get(doc, "scenario.side_order"), list):
        doc = append(doc, "scenario.side_order", id)
    return doc


@op
def set_side(doc, ctx, side, id=None, name=None):
    """Rename a side; a new id is changed wherever the scenario names the side."""
    i = _by_id(doc, "sides", side, "side")
    if name is not None:
        if not isinstance(name, str) or not name:
            raise Refused("a side needs a name")
        doc = put(doc, ("sides", i, "name"), name)
    if id is not None and id != side:
        _new_id(id, side_ids(doc), "side")
        doc = put(doc, ("sides", i, "id"), id)
        doc = _rename(doc, "side", side, id)
    return doc


@op
def delete_side(doc, ctx, side):
    """Delete a side with no factions; its victory conditions, plans, zones and depots go with it."""
    i = _by_id(doc, "sides", side, "side")
    left = [
        str(f.get("id")) for f in tables(doc, "factions") if isinstance(f, dict) and f.get("side") == side
    ]
    if left:
        raise Refused(f"side {side!r} still has factions ({', '.join(left)}): move or delete them first")
    doc = _drop_item(doc, ("sides", i))
    order = get(doc, "scenario.side_order")
    if isinstance(order, list):
        doc = put(doc, "scenario.side_order", [s for s in order if s != side])
    for part in ("victory", "plans", "no_fly_zones", "supply_sources"):
        kept = [t for t in tables(doc, part) if not (isinstance(t, dict) and t.get("side") == side)]
        if part in doc and len(kept) != len(tables(doc, part)):
            doc = put(doc, part, kept) if kept else drop(doc, part)
    return doc


@op
def add_faction(doc, ctx, id, side, name=None, **fields):
    _new_id(id, faction_ids(doc), "faction")
    if side not in side_ids(doc):
        raise _unknown("side", side, side_ids(doc))
    doc = append(doc, "factions", {"id": id, "name": name or id, "side": side})
    return _check_faction(
        _set_fields(doc, ("factions", len(doc["factions"]) - 1), schema.FACTION, fields, ctx),
        ctx,
        len(doc["factions"]) - 1,
    )


def _check_faction(doc, ctx, i):
    f = doc["factions"][i]
    codes = [c for c in ctx.hexmap.countries if c]
    for key in ("bases", "supply_crossings"):
        for c in f.get(key, []):
            if c not in codes:
                raise _unknown("country", c, codes)
    if f.get("side") not in side_ids(doc):
        raise _unknown("side", f.get("side"), side_ids(doc))
    if not all(isinstance(x, str) for x in f.get("leaders", [])):
        raise Refused("leaders: expected a list of names")
    return doc


@op
def set_faction(doc, ctx, faction, **fields):
    """Any field of a faction: name, side, nation, category, quality, bases, supply
    crossings, leaders, leader bonus, resolve; a new ``id`` is changed wherever the scenario names it."""
    i = _by_id(doc, "factions", faction, "faction")
    new_id = fields.pop("id", None)
    doc = _check_faction(_set_fields(doc, ("factions", i), schema.FACTION, fields, ctx), ctx, i)
    if new_id is not None and new_id != faction:
        _new_id(new_id, faction_ids(doc), "faction")
        doc = _rename(doc, "faction", faction, new_id)
        doc = put(doc, ("factions", i, "id"), new_id)
    return doc


@op
def delete_faction(doc, ctx, faction):
    """Delete a faction with its units, wars, towns, depots and plans. Events, victory
    conditions and the history's dated events that name it stay, for the author to change: the
    check lists them."""
    i = _by_id(doc, "factions", faction, "faction")
    doc = _drop_item(doc, ("factions", i))
    for p in reversed(unit_paths(doc)):
        if get(doc, p + ("faction",)) == faction:
            doc = _drop_item(doc, p)
    pairs = get(doc, "war.at_war")
    if isinstance(pairs, list):
        doc = put(doc, "war.at_war", [p for p in pairs if not (isinstance(p, list) and faction in p)])
    control = get(doc, "control")
    if isinstance(control, dict):
        doc = put(doc, "control", {k: v for k, v in control.items() if v != faction})
    for part in ("supply_sources", "plans"):
        if part in doc:
            kept = [t for t in tables(doc, part) if not (isinstance(t, dict) and t.get("faction") == faction)]
            doc = put(doc, part, kept) if kept else drop(doc, part)
    return doc


@op
def set_war(doc, ctx, a, b, at_war=True):
    """Put two factions at war at the start, or at peace."""
    known = faction_ids(doc)
    for x in (a, b):
        if x not in known:
            raise _unknown("faction", x, known)
    if a == b:
        raise Refused("a faction cannot be at war with itself")
    pairs = [
        p for p in (get(doc, "war.at_war") or []) if not (isinstance(p, list) and sorted(p) == sorted([a, b]))
    ]
    if at_war:
        pairs.append([a, b])
    return put(doc, "war.at_war", pairs)


@op
def set_control(doc, ctx, city, faction=None):
    """Who holds a town at the start (None: nobody)."""
    c = ctx.hexmap.find_city(city) if isinstance(city, str) else None
    if c is None:
        hint = ctx.hexmap.suggest_cities(str(city))
        raise Refused(f"unknown town {city!r}" + (f" (did you mean {hint[0]}?)" if hint else ""))
    if faction is not None and faction not in faction_ids(doc):
        raise _unknown("faction", faction, faction_ids(doc))
    control = dict(get(doc, "control") or {})
    keys = [k for k in control if ctx.hexmap.find_city(k) is c]
    if faction is None:
        for k in keys:
            del control[k]
    elif keys:
        control[keys[0]] = faction
        for k in keys[1:]:
            del control[k]
    else:
        control[c.id] = faction
    return put(doc, "control", control)


# -- units -----------------------------------------------------------------------------------


def _check_unit(doc, ctx, path):
    b = builder(doc, ctx)
    b.unit(get(doc, path), path_text(path), set())
    _refuse_problems(b)
    uid = get(doc, path + ("id",))
    if uid is not None and sum(1 for x in unit_ids(doc) if x == uid) > 1:
        raise Refused(f"there is already a unit {uid!r}")
    return doc


def unit_lists(doc) -> list[str]:
    """Where ``add_unit`` may put a unit: ``"units"`` (on the map at the start), each
    reinforcement and each add_units action, as the ``into`` argument names them."""
    out = ["units"]
    out += [
        f"reinforcements[{i}]" for i, r in enumerate(tables(doc, "reinforcements")) if isinstance(r, dict)
    ]
    for i, e in enumerate(tables(doc, "events")):
        for j, a in enumerate(tables(e, "actions") if isinstance(e, dict) else []):
            if isinstance(a, dict) and a.get("do") == "add_units":
                out.append(f"events[{i}].actions[{j}]")
    return out


def _unit_list(doc, into) -> tuple:
    p = parse_path(into)
    if p == ("units",):
        return p
    if len(p) == 2 and p[0] == "reinforcements":
        _index(doc, "reinforcements", p[1], "reinforcement")
        return p + ("units",)
    if len(p) == 4 and p[0] == "events" and p[2] == "actions":
        a = get(doc, p)
        if not isinstance(a, dict) or a.get("do") != "add_units":
            raise Refused(f"{path_text(p)} is not an add_units action")
        return p + ("units",)
    raise Refused(f"units go into 'units', 'reinforcements[N]' or an add_units action, not {into!r}")


def usual_personnel(ctx, type: str) -> int:
    """A strength for a new unit of ``type`` when none is given: ten times the strength it
    dissolves below (3,000 for infantry, 1,000 for militia), and never under 500 people. A
    unit placed at its smallest strength would dissolve at its first loss."""
    return max(10 * ctx.rules.unit_type(type).min_personnel, 500)


def usual_equipment(ctx, type: str) -> dict:
    """Equipment for a new unit of ``type`` when none is given: what it cannot do without (an
    air wing's combat aircraft, a naval group's warships), as many as a bundled one has."""
    need = NEEDS.get(ctx.rules.unit_type(type).category)
    return {need: {"combat aircraft": 20, "warships": 4}.get(need, 10)} if need else {}


@op
def add_unit(doc, ctx, faction, type, place, personnel=None, into="units", **fields):
    """Place a new unit: on the map at the start (``into="units"``), or in a reinforcement
    (``"reinforcements[0]"``) or an add_units action (``"events[1].actions[0]"``). It gets an
    id of its own unless one is given; ``personnel`` defaults to ``usual_personnel``."""
    if type not in ctx.rules.unit_types:
        raise _unknown("unit type", type, sorted(ctx.rules.unit_types))
    if faction not in faction_ids(doc):
        raise _unknown("faction", faction, faction_ids(doc))
    where = _unit_list(doc, into)
    if "id" not in fields:
        taken = set(unit_ids(doc))
        n = 1
        while f"{faction}-{type}-{n}" in taken:
            n += 1
        fields["id"] = f"{faction}-{type}-{n}"
    if personnel is None:
        personnel = usual_personnel(ctx, type)
    if "equipment" not in fields and usual_equipment(ctx, type):
        fields["equipment"] = usual_equipment(ctx, type)
    unit = {
        "id": fields.pop("id"),
        "type": type,
        "faction": faction,
        "place": place_value(ctx, place),
        "personnel": personnel,
    }
    doc = append(doc, where, unit)
    path = where + (len(get(doc, where)) - 1,)
    doc = _set_fields(doc, path, schema.UNIT, fields, ctx)
    return _check_unit(doc, ctx, path)


@op
def move_unit(doc, ctx, unit, place):
    path = find_unit(doc, unit)
    return _check_unit(put(doc, path + ("place",), place_value(ctx, place)), ctx, path)


@op
def set_unit(doc, ctx, unit, **fields):
    """Any field of a unit: faction, type, personnel, equipment, morale, experience,
    entrenchment, name, id (a new id is changed in the triggers that name the unit)."""
    path = find_unit(doc, unit)
    old_id = get(doc, path + ("id",))
    doc = _set_fields(doc, path, schema.UNIT, fields, ctx)
    if "type" in fields and "equipment" not in fields:
        # Equipment the new type does not have would only be refused: keep what it shares.
        kept = {
            k: v
            for k, v in (get(doc, path + ("equipment",)) or {}).items()
            if k in ctx.rules.unit_types.get(fields["type"], ctx.rules.unit_type("infantry")).equipment
        }
        if fields["type"] in ctx.rules.unit_types:
            kept = {**usual_equipment(ctx, fields["type"]), **kept}
        doc = put(doc, path + ("equipment",), kept) if kept else drop(doc, path + ("equipment",))
    new_id = get(doc, path + ("id",))
    if "id" in fields and new_id is not None and new_id != old_id:
        _new_id(new_id, [get(doc, p + ("id",)) for p in unit_paths(doc) if p != path], "unit")
        if old_id is not None:
            doc = _rename(doc, "unit", old_id, new_id)
    return _check_unit(doc, ctx, path)


@op
def delete_unit(doc, ctx, unit):
    return _drop_item(doc, find_unit(doc, unit))


# -- the map: terrain, depots, no-fly zones --------------------------------------------------


def _hexes(ctx, hexes) -> list[Hex]:
    if isinstance(hexes, (Hex, str)) or (
        isinstance(hexes, (list, tuple)) and len(hexes) == 2 and all(isinstance(x, int) for x in hexes)
    ):
        hexes = [hexes]
    out = []
    for h in hexes:
        h = place_hex(ctx, place_value(ctx, h) if not isinstance(h, str) else h)
        if not ctx.hexmap.in_bounds(h):
            raise Refused(f"hex {h.q},{h.r} is off the map")
        out.append(h)
    return out


@op
def paint_terrain(doc, ctx, hexes, terrain=None):
    """Give hexes another terrain (``None``: the map's own again). The changes are kept as
    ``[[terrain]]`` tables of hexes, one table per terrain."""
    if terrain is not None and terrain not in TERRAINS:
        raise _unknown("terrain", terrain, TERRAINS)
    hs = _hexes(ctx, hexes)
    if terrain in ("sea", "lake"):
        for h in hs:
            city = ctx.hexmap.city_at(h)
            if city is not None:
                raise Refused(f"{city.name} stands at {h.q},{h.r}: a town cannot be under water")
    b = builder(doc, ctx)
    painted = set(hs)
    kept = []
    for t in tables(doc, "terrain"):
        if isinstance(t, dict) and isinstance(t.get("hexes"), list):
            rest = [p for p in t["hexes"] if _safe_hex(b, p) not in painted]
            if rest:
                kept.append({**t, "hexes": rest})
        else:
            kept.append(t)
    doc = put(doc, "terrain", kept)
    # Hexes the stroke's tables no longer cover show the map's own terrain, or a round patch's:
    # only those still different from what was asked need a table.
    now = builder(doc, ctx).map
    for h in hs:
        want = terrain or ctx.hexmap.terrain_at(h)
        if now.terrain_at(h) != want:
            doc = _add_to_group(doc, want, [[h.q, h.r]])
    if not tables(doc, "terrain"):
        doc = drop(doc, "terrain")
    b = builder(doc, ctx)
    b.read_units()
    b.read_supply_sources()
    _refuse_problems(b)
    return doc


@op
def delete_terrain(doc, ctx, index):
    """Remove one ``[[terrain]]`` table (a patch written by hand with a centre and a radius)."""
    doc = _drop_item(doc, ("terrain", _index(doc, "terrain", index, "terrain change")))
    b = builder(doc, ctx)
    b.read_units()
    b.read_supply_sources()
    _refuse_problems(b)
    return doc


def _add_to_group(doc, name, cells):
    groups = tables(doc, "terrain")
    if (
        groups
        and isinstance(groups[-1], dict)
        and groups[-1].get("terrain") == name
        and isinstance(groups[-1].get("hexes"), list)
    ):
        return put(doc, ("terrain", len(groups) - 1, "hexes"), groups[-1]["hexes"] + cells)
    return append(doc, "terrain", {"terrain": name, "hexes": cells})


def _safe_hex(b: Builder, place):
    try:
        if isinstance(place, list) and len(place) == 2:
            return Hex(*place)
        return b.map.resolve_place(place)
    except (MapError, TypeError):
        return None


def _check_sources(doc, ctx):
    b = builder(doc, ctx)
    b.read_supply_sources()
    _refuse_problems(b)
    return doc


@op
def add_supply_source(doc, ctx, place, faction=None, side=None, name=None):
    """A depot that supplies a faction (and its side), or a whole side."""
    if (faction is None) == (side is None):
        raise Refused("a supply source supplies a faction or a side: give one of them")
    src = {"place": place_value(ctx, place)}
    if faction is not None:
        src["faction"] = faction
    else:
        src["side"] = side
    if name:
        src["name"] = name
    return _check_sources(append(doc, "supply_sources", src), ctx)


@op
def set_supply_source(doc, ctx, index, **fields):
    i = _index(doc, "supply_sources", index, "supply source")
    doc = _set_fields(doc, ("supply_sources", i), schema.SUPPLY_SOURCE, fields, ctx)
    src = get(doc, ("supply_sources", i))
    if "faction" in fields and fields["faction"] is not None:
        src = {k: v for k, v in src.items() if k != "side"}
    elif "side" in fields and fields["side"] is not None:
        src = {k: v for k, v in src.items() if k != "faction"}
    return _check_sources(put(doc, ("supply_sources", i), src), ctx)


@op
def delete_supply_source(doc, ctx, index):
    return _drop_item(doc, ("supply_sources", _index(doc, "supply_sources", index, "supply source")))


def _check_zone(doc, ctx):
    b = builder(doc, ctx)
    b.zones = {}
    b.read_zones()
    _refuse_problems(b)
    return doc


@op
def add_no_fly_zone(doc, ctx, id, side, hexes=None, centre=None, radius=None, name=None, declared=True):
    """A no-fly zone of hexes, or of a centre and a radius; ``declared=False`` keeps it for
    an event to declare."""
    _new_id(id, zone_ids(doc), "no-fly zone")
    if side not in side_ids(doc):
        raise _unknown("side", side, side_ids(doc))
    zone = {"id": id, "name": name or id, "side": side}
    if hexes is not None:
        zone["hexes"] = [[h.q, h.r] for h in _hexes(ctx, hexes)]
    elif centre is not None and radius is not None:
        zone["centre"] = place_value(ctx, centre)
        zone["radius"] = radius
    else:
        raise Refused("a no-fly zone needs hexes, or a centre and a radius")
    if not declared:
        zone["declared"] = False
    return _check_zone(append(doc, "no_fly_zones", zone), ctx)


@op
def set_no_fly_zone(doc, ctx, zone, **fields):
    """Any field of a zone; a new ``id`` is changed in the actions that name the zone."""
    i = _by_id(doc, "no_fly_zones", zone, "no-fly zone")
    new_id = fields.pop("id", None)
    if fields.get("hexes") is not None:
        fields["hexes"] = [[h.q, h.r] for h in _hexes(ctx, fields["hexes"])]
        doc = drop(drop(doc, ("no_fly_zones", i, "centre")), ("no_fly_zones", i, "radius"))
    elif fields.get("centre") is not None:
        doc = drop(doc, ("no_fly_zones", i, "hexes"))
    doc = _set_fields(doc, ("no_fly_zones", i), schema.NO_FLY_ZONE, fields, ctx)
    if new_id is not None and new_id != zone:
        _new_id(new_id, zone_ids(doc), "no-fly zone")
        doc = _rename(doc, "zone", zone, new_id)
        doc = put(doc, ("no_fly_zones", i, "id"), new_id)
    return _check_zone(doc, ctx)


@op
def toggle_no_fly_hex(doc, ctx, zone, hex):
    """Add a hex to a zone, or take it out if it is in (a round zone becomes a list of hexes)."""
    i = _by_id(doc, "no_fly_zones", zone, "no-fly zone")
    (h,) = _hexes(ctx, [hex])
    z = get(doc, ("no_fly_zones", i))
    if "hexes" in z:
        cells = [[x.q, x.r] for x in _hexes(ctx, z["hexes"])]
    else:
        c = place_hex(ctx, z.get("centre"))
        cells = [[x.q, x.r] for x in hex_range(c, int(z.get("radius", 0))) if ctx.hexmap.in_bounds(x)]
    cells = [c for c in cells if c != [h.q, h.r]] if [h.q, h.r] in cells else cells + [[h.q, h.r]]
    z = {k: v for k, v in z.items() if k not in ("centre", "radius")}
    z["hexes"] = sorted(cells)
    return _check_zone(put(doc, ("no_fly_zones", i), z), ctx)


@op
def delete_no_fly_zone(doc, ctx, zone):
    return _drop_item(doc, ("no_fly_zones", _by_id(doc, "no_fly_zones", zone, "no-fly zone")))


# -- reinforcements --------------------------------------------------------------------------


@op
def add_reinforcement(doc, ctx, date=None, turn=None, message=None):
    """Units that arrive on a date or at a turn; add its units with ``add_unit(into=...)``."""
    if (date is None) == (turn is None):
        raise Refused("a reinforcement arrives on a date or at a turn: give one of them")
    r: dict = (
        {"date": _date(date, "date")}
        if date is not None
        else {"turn": _typed(schema.REINFORCEMENT, "turn", turn)}
    )
    if message:
        r["message"] = _typed(schema.REINFORCEMENT, "message", message)
    r["units"] = []
    return append(doc, "reinforcements", r)


@op
def set_reinforcement(doc, ctx, index, **fields):
    i = _index(doc, "reinforcements", index, "reinforcement")
    if fields.get("date") is not None:
        doc = drop(doc, ("reinforcements", i, "turn"))
    elif fields.get("turn") is not None:
        doc = drop(doc, ("reinforcements", i, "date"))
    return _set_fields(doc, ("reinforcements", i), schema.REINFORCEMENT, fields, ctx, skip=("units",))


@op
def delete_reinforcement(doc, ctx, index):
    return _drop_item(doc, ("reinforcements", _index(doc, "reinforcements", index, "reinforcement")))


# -- events ----------------------------------------------------------------------------------


def check_trigger(doc, ctx, trigger):
    """Refused unless the trigger is one the validator accepts in this document."""
    if not isinstance(trigger, dict):
        raise Refused(f"a trigger is a table such as {{ date = 2014-11-10 }}, not {trigger!r}")
    keys = [k for k in trigger if k in schema.TRIGGERS]
    if len(keys) != 1:
        raise Refused("a trigger has exactly one of " + ", ".join(schema.TRIGGERS))
    b = builder(doc, ctx)
    if b.trigger(trigger, "trigger") is None and not b.problems:
        raise Refused("the trigger cannot be used")
    _refuse_problems(b)
    return trigger


def check_action(doc, ctx, action, replacing=None):
    """Refused unless the action is one the validator accepts in this document (``replacing``:
    the path of the action it takes the place of, whose units' ids may come again)."""
    if not isinstance(action, dict) or action.get("do") not in schema.ACTIONS:
        kind = action.get("do") if isinstance(action, dict) else action
        raise _unknown("action", kind, schema.ACTIONS)
    kind = schema.ACTIONS[action["do"]]
    missing = [f for f in kind.required if f not in action]
    if missing:
        raise Refused(f"{action['do']} needs {', '.join(missing)}")
    b = builder(doc, ctx)
    keep = tuple(parse_path(replacing)) if replacing is not None else None
    b.unit_ids = {
        get(doc, p + ("id",)) for p in unit_paths(doc) if keep is None or p[: len(keep)] != keep
    } - {None}
    if b.action(action, "action") is None and not b.problems:
        raise Refused("the action cannot be used")
    _refuse_problems(b)
    return action


def _fresh(value):
    """A copy of what the caller handed in, so its later changes cannot reach the document."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_fresh(v) for v in value]
    return value


def _dates_in(value):
    """Dates given as ISO text in a trigger become TOML dates."""
    if isinstance(value, dict):
        return {
            k: (_date(v, k) if k == "date" and isinstance(v, str) else _dates_in(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_dates_in(v) for v in value]
    return value


@op
def add_event(doc, ctx, id, trigger, actions=()):
    """An event with its trigger and actions (a list of action tables, each with ``do``)."""
    _new_id(id, event_ids(doc), "event")
    trigger = _dates_in(_fresh(trigger))
    check_trigger(put(doc, "events", tables(doc, "events") + [{"id": id}]), ctx, trigger)
    actions = [_fresh(a) for a in actions]
    for a in actions:
        check_action(doc, ctx, a)
    return append(doc, "events", {"id": id, "trigger": trigger, "actions": actions})


@op
def set_event(doc, ctx, event, id=None, trigger=None):
    """Change an event's trigger, or its id (changed in the triggers that name it)."""
    i = _event_index(doc, event)
    old = doc["events"][i].get("id")
    if trigger is not None:
        trigger = _dates_in(_fresh(trigger))
        doc = put(doc, ("events", i, "trigger"), check_trigger(doc, ctx, trigger))
    if id is not None and id != old:
        _new_id(id, event_ids(doc), "event")
        doc = _rename(doc, "event", old, id)
        doc = put(doc, ("events", i, "id"), id)
    return doc


@op
def delete_event(doc, ctx, event):
    return _drop_item(doc, ("events", _event_index(doc, event)))


@op
def add_action(doc, ctx, event, action, at=None):
    """Add an action to an event, at the end or before position ``at``."""
    i = _event_index(doc, event)
    action = _dates_in(_fresh(action))
    check_action(doc, ctx, action)
    acts = list(tables(doc, ("events", i, "actions")))
    if at is not None and (not isinstance(at, int) or isinstance(at, bool) or not 0 <= at <= len(acts)):
        raise Refused(f"an action can go at a position from 0 to {len(acts)}, not {at!r}")
    acts.insert(len(acts) if at is None else at, action)
    return put(doc, ("events", i, "actions"), acts)


@op
def set_action(doc, ctx, event, index, action):
    """Replace an event's action by another (a whole action table, with ``do``)."""
    i = _event_index(doc, event)
    j = _index(doc["events"][i], "actions", index, "action")
    action = _dates_in(_fresh(action))
    check_action(doc, ctx, action, replacing=("events", i, "actions", j))
    return put(doc, ("events", i, "actions", j), action)


@op
def delete_action(doc, ctx, event, index):
    i = _event_index(doc, event)
    j = _index(doc["events"][i], "actions", index, "action")
    return drop(doc, ("events", i, "actions", j))


# -- victory and history ---------------------------------------------------------------------


def _check_victory(doc, ctx, i):
    v = doc["victory"][i]
    kind = schema.VICTORY[v["kind"]]
    for name in kind.names & set(v):
        _typed(kind, name, v[name])
    b = builder(doc, ctx)
    b.read_victory(b.read_control())
    b.problems = _mine(b.problems, f"victory[{i}]")
    _refuse_problems(b)
    return doc


def _mine(problems, path: str) -> list:
    """The problems of one table and its fields: ``plans[1]`` and ``plans[1].take[0]``, not
    ``plans[10]``."""
    return [p for p in problems if p.path == path or p.path.startswith((path + ".", path + "["))]


@op
def add_victory(doc, ctx, kind, side, **fields):
    """A victory condition: ``hold``/``take`` with ``cities`` (and ``count``), ``destroy``
    with ``factions``, or ``survive``; ``text`` says it in words."""
    if kind not in schema.VICTORY:
        raise _unknown("victory condition", kind, schema.VICTORY)
    if side not in side_ids(doc):
        raise _unknown("side", side, side_ids(doc))
    v = {"kind": kind, "side": side}
    for name, value in fields.items():
        v[name] = _typed(schema.VICTORY[kind], name, value)
    missing = [f for f in schema.VICTORY[kind].required if f not in v]
    if missing:
        raise Refused(f"{kind} needs {', '.join(missing)}")
    doc = append(doc, "victory", {k: x for k, x in v.items() if x is not None})
    return _check_victory(doc, ctx, len(doc["victory"]) - 1)


@op
def set_victory(doc, ctx, index, **fields):
    i = _index(doc, "victory", index, "victory condition")
    v = dict(doc["victory"][i])
    kind = fields.pop("kind", v.get("kind"))
    if kind not in schema.VICTORY:
        raise _unknown("victory condition", kind, schema.VICTORY)
    v["kind"] = kind
    v = {k: x for k, x in v.items() if k == "kind" or k in schema.VICTORY[kind].names}
    _typed_into(v, schema.VICTORY[kind], fields)
    missing = [f for f in schema.VICTORY[kind].required if f not in v]
    if missing:
        raise Refused(f"{kind} needs {', '.join(missing)}")
    return _check_victory(put(doc, ("victory", i), v), ctx, i)


@op
def delete_victory(doc, ctx, index):
    return _drop_item(doc, ("victory", _index(doc, "victory", index, "victory condition")))


@op
def toggle_objective(doc, ctx, index, city):
    """Mark a town as an objective of a hold or take condition, or unmark it. A condition whose
    text is the one the editor writes for its towns (or has none) gets the text for the new
    towns; an author's own words are left as they are."""
    i = _index(doc, "victory", index, "victory condition")
    v = doc["victory"][i]
    if v.get("kind") not in ("hold", "take"):
        raise Refused(f"a {v.get('kind')} condition has no towns: use hold or take")
    c = ctx.hexmap.find_city(city) if isinstance(city, str) else ctx.hexmap.city_at(place_hex(ctx, city))
    if c is None:
        raise Refused(f"there is no town at {city!r}")
    cities = list(v.get("cities", []))
    same = [x for x in cities if ctx.hexmap.find_city(x) is c]
    if same:
        if len(cities) == 1:
            raise Refused(f"{c.name} is the condition's only town: delete the condition instead")
        cities = [x for x in cities if x not in same]
    else:
        cities.append(c.name)
    written = not v.get("text") or v.get("text") == condition_text(v)
    v = {**v, "cities": cities}
    if isinstance(v.get("count"), int) and v["count"] > len(cities):
        v["count"] = len(cities)
    if written:
        v["text"] = condition_text(v)
    return _check_victory(put(doc, ("victory", i), v), ctx, i)


# -- plans -----------------------------------------------------------------------------------


def _check_plan(doc, ctx, i):
    p = doc["plans"][i]
    for name in schema.PLAN.names & set(p):
        _typed(schema.PLAN, name, p[name])
    b = builder(doc, ctx)
    read_plans(b)
    b.problems = _mine(b.problems, f"plans[{i}]")
    _refuse_problems(b)
    return doc


def _plan_with(plan: dict, fields: dict) -> dict:
    """``plan`` with ``fields`` set, each where the table has it already (a file's order stays):
    ``kind`` moves its towns to take, hold or avoid, ``cities`` are the towns of its kind,
    ``faction`` takes the place of ``side`` and the other way round; None removes a field
    (but a plan keeps its towns and whose it is)."""
    fields = dict(fields)
    kind = fields.pop("kind", None)
    if kind is not None and kind not in PLAN_KINDS:
        raise _unknown("kind of plan", kind, PLAN_KINDS)
    for k in PLAN_KINDS:  # ``hold=[...]``, as the file writes it, is a kind and its towns at once
        v = fields.pop(k, None)
        if v is not None:
            kind, fields["cities"] = k, v
    now = next((k for k in PLAN_KINDS if k in plan), None)
    kind = kind or now or "take"
    if fields.get("radius") is not None and kind != "avoid":
        raise Refused("only an avoid plan has a radius (the hexes around the towns it keeps out of)")
    towns = fields.pop("cities") if "cities" in fields else plan.get(now)
    towns = _typed(schema.PLAN, kind, towns) if towns is not None else None
    if not towns:
        raise Refused("a plan needs a town at least: delete the plan instead")
    owner = None
    for k in ("faction", "side"):
        v = fields.pop(k, None)  # a plan is always someone's: None leaves it so
        if v is not None:
            if owner is not None:
                raise Refused("a plan is a faction's or a side's: give one of them, not both")
            owner = (k, _typed(schema.PLAN, k, v))
    out = {}
    for k, v in plan.items():
        if k in PLAN_KINDS:
            out[kind] = towns
        elif k in ("faction", "side") and owner is not None:
            out[owner[0]] = owner[1]
        else:
            out[k] = v
    if owner is not None and owner[0] not in out:
        out = {owner[0]: owner[1], **out}
    out.setdefault(kind, towns)
    _typed_into(out, schema.PLAN, fields)
    if kind != "avoid":
        out.pop("radius", None)  # only an avoid plan keeps out of the hexes around its towns
    return out


@op
def add_plan(doc, ctx, kind, cities, faction=None, side=None, **fields):
    """A computer player's aim: ``kind`` take, hold or avoid, its ``cities``, whose it is (a
    ``faction`` or a ``side``), and ``from``, ``until``, ``weight``, ``radius`` (avoid only)
    and ``text`` as ``[[plans]]`` writes them."""
    if (faction is None) == (side is None):
        raise Refused("a plan is a faction's or a side's: give one of them")
    if faction is not None and faction not in faction_ids(doc):
        raise _unknown("faction", faction, faction_ids(doc))
    if side is not None and side not in side_ids(doc):
        raise _unknown("side", side, side_ids(doc))
    if kind not in PLAN_KINDS:
        raise _unknown("kind of plan", kind, PLAN_KINDS)
    owner = {"faction": faction} if faction is not None else {"side": side}
    plan = _plan_with(owner, {"kind": kind, "cities": cities, **fields})
    doc = append(doc, "plans", plan)
    return _check_plan(doc, ctx, len(doc["plans"]) - 1)


@op
def set_plan(doc, ctx, index, **fields):
    """Any field of a plan: ``kind`` (its towns go with it; a radius goes unless it is avoid),
    ``cities``, ``faction`` or ``side`` (either takes the other's place), ``from``, ``until``,
    ``weight``, ``radius``, ``text``; None removes a field."""
    i = _index(doc, "plans", index, "plan")
    return _check_plan(put(doc, ("plans", i), _plan_with(doc["plans"][i], fields)), ctx, i)


@op
def delete_plan(doc, ctx, index):
    return _drop_item(doc, ("plans", _index(doc, "plans", index, "plan")))


# -- what-if switches ---------------------------------------------------------------------


def _check_option(doc, ctx, i):
    """A switch's own fields, the events and units it names, and the scenario with it turned
    from history: refused with what is wrong (that it changes nothing yet is left for the
    check, while the author is choosing what it drops)."""
    t = doc["options"][i]
    for name in schema.OPTION_EDITED.names & set(t):
        _typed(schema.OPTION_EDITED, name, t[name])
    oid = t.get("id")
    if any(isinstance(x, dict) and x.get("id") == oid for j, x in enumerate(doc["options"]) if j != i):
        raise Refused(f"there is already a switch {oid!r}")
    switches, problems = read_options(doc)
    mine = [p for p in problems if p.path.startswith(f"options[{i}]") and "changes nothing" not in p.text]
    if mine:
        raise Refused(f"{mine[0].path}: {mine[0].text}")
    o = next((o for o in switches if o.id == oid), None)
    if o is not None:
        _, more = build(doc, ctx.hexmap, ctx.rules, {o.id: not o.default})
        more = [p for p in more if not p.path.startswith("options")]  # its own fields: above
        if more:
            raise Refused(
                f"with switch {oid!r} {'off' if o.default else 'on'}: [{more[0].path}] {more[0].text}"
            )
    return doc


@op
def add_option(doc, ctx, id, title, **fields):
    """A what-if switch: its ``id`` and ``title``, and ``text``, ``default``, ``drop_events``,
    ``drop_units``, ``move_units`` and ``factions`` as ``[[options]]`` writes them (its added
    events, units and victory conditions are written in the file)."""
    if not isinstance(id, str) or not ID.match(id):
        raise Refused(f"a switch's id is a short name (lower case letters, digits, dashes), not {id!r}")
    doc = append(
        doc, "options", _typed_into({}, schema.OPTION_EDITED, {"id": id, "title": title, **fields}, ctx)
    )
    return _check_option(doc, ctx, len(doc["options"]) - 1)


@op
def set_option(doc, ctx, index, **fields):
    """Any of a switch's fields the editor shows: ``id``, ``title``, ``text``, ``default``,
    ``drop_events``, ``drop_units``, ``move_units`` (``{unit, hex}``, a hex or any place) and
    ``factions`` (``{id, side}``); None removes one."""
    i = _index(doc, "options", index, "switch")
    return _check_option(_set_fields(doc, ("options", i), schema.OPTION_EDITED, fields, ctx), ctx, i)


@op
def delete_option(doc, ctx, index):
    return _drop_item(doc, ("options", _index(doc, "options", index, "switch")))


@op
def set_history(doc, ctx, **fields):
    """What really happened: ``outcome``, ``winner`` (a side or None), ``casualties``."""
    if fields.get("winner") is not None and fields["winner"] not in side_ids(doc):
        raise _unknown("side", fields["winner"], side_ids(doc))
    cas = fields.get("casualties")
    if cas is not None:
        if not isinstance(cas, dict):
            raise Refused(f"casualties: expected a table of categories and people, got {cas!r}")
        for k, n in cas.items():
            if k not in schema.CATEGORIES and k != "civilians":
                raise _unknown("casualty category", k, schema.CATEGORIES + ("civilians",))
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise Refused(f"casualties.{k}: expected a number of people, got {n!r}")
    doc = _set_fields(doc, "history", schema.HISTORY, fields, ctx)
    return doc if get(doc, "history") else drop(doc, "history")


# -- the history's dated events --------------------------------------------------------------

_HISTORY_EVENTS = ("history", "events")


def _history_index(doc, index) -> int:
    items = tables(doc, _HISTORY_EVENTS)
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(items):
        raise Refused(
            f"there is no history event {index!r}" + (f" (0 to {len(items) - 1})" if items else " (none yet)")
        )
    if not isinstance(items[index], dict):
        raise Refused(f"history.events[{index}] is not a table: fix it in the file first")
    return index


def _check_history_event(doc, ctx, i):
    e = doc["history"]["events"][i]
    for name in schema.HISTORY_EVENT.names & set(e):
        _typed(schema.HISTORY_EVENT, name, e[name])
    hid = e.get("id")
    if hid is not None and any(
        isinstance(x, dict) and x.get("id") == hid for j, x in enumerate(doc["history"]["events"]) if j != i
    ):
        raise Refused(f"there is already a history event {hid!r}")
    b = builder(doc, ctx)
    b.read_history()
    b.problems = _mine(b.problems, f"history.events[{i}]")
    _refuse_problems(b)
    return doc


def _history_event_with(e: dict, fields: dict) -> dict:
    """``e`` with ``fields`` set (None removes one): a town ``taken`` (with ``by``) takes the
    place of an ``event``, and an event the place of a town and who takes it."""
    e = dict(e)
    if fields.get("taken") is not None:
        e.pop("event", None)
    elif fields.get("event") is not None:
        e.pop("taken", None)
        e.pop("by", None)
    return _typed_into(e, schema.HISTORY_EVENT, fields)


@op
def add_history_event(doc, ctx, what, date, **fields):
    """One of the source's dated events: ``what`` in words, the source's ``date``, and either
    a town ``taken`` with who took it (``by``, a faction or a side) or a scenario ``event``;
    ``window`` (two dates), ``after`` (another one's ``id``), ``id`` and ``defining`` as
    ``[[history.events]]`` writes them."""
    if fields.get("taken") is not None and fields.get("event") is not None:
        raise Refused("a history event is a town taken or a scenario event: give one of them")
    order = [f.name for f in schema.HISTORY_EVENT.fields]
    e = _history_event_with({}, {"what": what, "date": date, **fields})
    e = {k: e[k] for k in sorted(e, key=lambda k: order.index(k) if k in order else len(order))}
    doc = append(doc, _HISTORY_EVENTS, e)
    return _check_history_event(doc, ctx, len(doc["history"]["events"]) - 1)


@op
def set_history_event(doc, ctx, index, **fields):
    """Any field of a dated event (``taken`` or ``event`` takes the other's place); a new
    ``id`` is changed in the ``after`` of the events that wait for it."""
    i = _history_index(doc, index)
    events = doc["history"]["events"]
    old = events[i].get("id")
    doc = put(doc, _HISTORY_EVENTS + (i,), _history_event_with(events[i], fields))
    new = doc["history"]["events"][i].get("id")
    if old is not None and new is not None and new != old:
        for j, x in enumerate(doc["history"]["events"]):
            if isinstance(x, dict) and x.get("after") == old:
                doc = put(doc, _HISTORY_EVENTS + (j, "after"), new)
    return _check_history_event(doc, ctx, i)


@op
def delete_history_event(doc, ctx, index):
    """Delete a dated event; one that came after it keeps its ``after`` for the author to
    change (the check lists it). A history left with nothing goes."""
    doc = drop(doc, _HISTORY_EVENTS + (_history_index(doc, index),))
    if get(doc, _HISTORY_EVENTS) == []:
        doc = drop(doc, _HISTORY_EVENTS)
    return doc if get(doc, "history") else drop(doc, "history")


# -- a new scenario --------------------------------------------------------------------------


def new_document(
    title: str = "New scenario",
    start: dt.date = dt.date(2014, 6, 16),
    end: dt.date = dt.date(2014, 8, 11),
    turn_days: int = 7,
) -> dict:
    """The smallest scenario that plays on the real map: two sides of one faction each, at war;
    Iraq holds Baghdad and must keep it, the Islamic State holds Raqqa and must take Baghdad."""
    return {
        "scenario": {
            "id": "new-scenario",
            "title": title,
            "start": start,
            "end": end,
            "turn_days": turn_days,
            "side_order": ["jihadist", "baathist"],
        },
        "sides": [{"id": "jihadist", "name": "Jihadists"}, {"id": "baathist", "name": "Iraq"}],
        "factions": [
            {"id": "isis", "name": "Islamic State", "side": "jihadist", "category": "isis"},
            {"id": "iraq", "name": "Iraq", "side": "baathist", "category": "iraq"},
        ],
        "war": {"at_war": [["isis", "iraq"]]},
        "control": {"baghdad": "iraq", "raqqa": "isis"},
        "victory": [
            {"kind": "take", "side": "jihadist", "cities": ["Baghdad"], "text": "Take Baghdad"},
            {"kind": "hold", "side": "baathist", "cities": ["Baghdad"], "text": "Hold Baghdad to the end"},
        ],
    }


__all__ = ["OPS", "Refused", "new_document", "references", "find_unit", "unit_lists", "unit_paths"] + list(
    OPS
)
