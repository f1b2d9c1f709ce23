"""A scenario's switches: the war's turning points, each of which a player may turn the other way.

State floor, beside the checker. A scenario file may list ``[[options]]``: each has an ``id``,
a ``title``, a ``text`` (what it changes and why it is plausible), a ``default`` (the setting
that is the source's history) and the changes it makes when it is on, in the terms of the
format itself:

- ``drop_events``: ids of the file's events that do not happen (and the source's dated events
  of ``[history]`` that were them are not measured);
- ``events``: events that do (tables as in ``[[events]]``);
- ``drop_units``: ids of units (at the start or arriving later) that are not in the game;
- ``units``: units at the start (tables as in ``[[units]]``);
- ``move_units``: ``{ unit = ID, hex = [q, r] }``, units that start elsewhere;
- ``factions``: ``{ id = FACTION, ... }``, fields of factions changed (``side``, ``bases``...);
- ``victory``: the victory conditions, all of them, in place of the file's.

``apply_options`` makes the scenario's data with a setting of its switches; the checker
(``game.scenario.check_text``) checks each switch on its own, as its players would meet it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from game.scenario import schema
from game.scenario.model import Problem

FIELDS = tuple(f.name for f in schema.OPTION.fields)  # the format's table of a switch
EFFECTS = tuple(name for name in FIELDS if name not in ("id", "title", "text", "default"))
MAX_TITLE = 100


@dataclass(frozen=True)
class Option:
    """A switch as players see it: its id, title, what it changes, and its default (history)."""

    id: str
    title: str
    text: str
    default: bool

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "text": self.text, "default": self.default}


def read_options(data: dict) -> tuple[list[Option], list[Problem]]:
    """The file's switches and the problems of their own fields (the changes they make are
    checked by building the scenario with each switch on: ``check_text``)."""
    raw = data.get("options", [])
    if not isinstance(raw, list) or any(not isinstance(o, dict) for o in raw):
        return [], [Problem("options", "must be a list of tables, each [[options]]")]
    found: list[Option] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for k, table in enumerate(raw):
        p = f"options[{k}]"
        for key in table:
            if key not in FIELDS:
                problems.append(
                    Problem(f"{p}.{key}", "unknown field of a switch", f"known: {', '.join(FIELDS)}")
                )
        oid = table.get("id")
        if not isinstance(oid, str) or not _plain_word(oid):
            problems.append(
                Problem(f"{p}.id", "a switch needs an id: a plain word (letters, digits, - and _)")
            )
            continue
        if oid in seen:
            problems.append(Problem(f"{p}.id", f"two switches are called {oid!r}"))
        seen.add(oid)
        title, text, default = table.get("title"), table.get("text", ""), table.get("default", False)
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(f"{p}.title", "a switch needs a title, one line players read"))
            title = oid
        elif len(title) > MAX_TITLE or "\n" in title:
            problems.append(Problem(f"{p}.title", f"a title is one line of at most {MAX_TITLE} characters"))
        if not isinstance(text, str):
            problems.append(
                Problem(f"{p}.text", "must be text: what the switch changes, and why it could have been")
            )
            text = ""
        if not isinstance(default, bool):
            problems.append(Problem(f"{p}.default", "must be true or false (the setting that is history)"))
            default = False
        if not any(key in table for key in EFFECTS):
            problems.append(
                Problem(p, f"switch {oid!r} changes nothing", f"give it one of: {', '.join(EFFECTS)}")
            )
        problems += _check_references(data, table, p)
        found.append(Option(oid, title, text, default))
    return found, problems


def _plain_word(text: str) -> bool:
    return 0 < len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)


def _ids(tables) -> set[str]:
    return {t["id"] for t in tables if isinstance(t, dict) and isinstance(t.get("id"), str)}


def _all_units(data: dict) -> list[dict]:
    units = [u for u in data.get("units", []) if isinstance(u, dict)]
    for r in data.get("reinforcements", []):
        if isinstance(r, dict):
            units += [u for u in r.get("units", []) if isinstance(u, dict)]
    return units


def _check_references(data: dict, table: dict, p: str) -> list[Problem]:
    """Each event, unit and faction a switch names must be one of the file's."""
    out: list[Problem] = []
    events = _ids(data.get("events", []))
    units = _ids(_all_units(data))
    factions = _ids(data.get("factions", []))

    def names(key: str) -> list:
        value = table.get(key, [])
        if not isinstance(value, list):
            out.append(Problem(f"{p}.{key}", "must be a list"))
            return []
        return value

    for j, eid in enumerate(names("drop_events")):
        if eid not in events:
            out.append(Problem(f"{p}.drop_events[{j}]", f"no event {eid!r} in the scenario"))
    for j, uid in enumerate(names("drop_units")):
        if uid not in units:
            out.append(Problem(f"{p}.drop_units[{j}]", f"no unit {uid!r} in the scenario"))
    for j, move in enumerate(names("move_units")):
        if not isinstance(move, dict) or "unit" not in move or "hex" not in move:
            out.append(Problem(f"{p}.move_units[{j}]", "give { unit = ID, hex = [q, r] }"))
        elif move["unit"] not in _ids(data.get("units", [])):
            out.append(Problem(f"{p}.move_units[{j}].unit", f"no unit {move['unit']!r} at the start"))
    for j, change in enumerate(names("factions")):
        if not isinstance(change, dict) or change.get("id") not in factions:
            fid = change.get("id") if isinstance(change, dict) else change
            out.append(Problem(f"{p}.factions[{j}].id", f"no faction {fid!r} in the scenario"))
    for key in ("events", "units", "victory"):
        names(key)
    return out


def settings_for(options: list[Option], given: dict[str, bool] | None = None) -> dict[str, bool]:
    """Every switch's setting: as ``given``, else its default. An id that is none of the
    scenario's switches raises ValueError naming the ones there are."""
    known = {o.id: o for o in options}
    for oid in given or {}:
        if oid not in known:
            there = ", ".join(known) if known else "it has none"
            raise ValueError(f"no switch {oid!r} in this scenario (its switches: {there})")
    return {o.id: bool((given or {}).get(o.id, o.default)) for o in options}


def apply_options(data: dict, settings: dict[str, bool]) -> dict:
    """The scenario's data as a game with these settings starts from: a copy, with the changes
    of every switch that is on; the ``options`` part itself left out."""
    out = copy.deepcopy({k: v for k, v in data.items() if k != "options"})
    for table in data.get("options", []):
        if not isinstance(table, dict) or not settings.get(str(table.get("id"))):
            continue
        _apply(out, copy.deepcopy(table))
    return out


def _apply(data: dict, table: dict) -> None:
    drop = set(table.get("drop_events", []))
    if drop:
        data["events"] = [e for e in data.get("events", []) if e.get("id") not in drop]
        history = data.get("history")
        if isinstance(history, dict) and isinstance(history.get("events"), list):
            # The source's dated events that were the dropped ones are not this game's to meet.
            kept = [h for h in history["events"] if not (isinstance(h, dict) and h.get("event") in drop)]
            gone = {h.get("id") for h in history["events"] if isinstance(h, dict) and h not in kept}
            for h in kept:
                if isinstance(h, dict) and h.get("after") in gone:
                    del h["after"]
            history["events"] = kept
    if table.get("events"):
        data["events"] = data.get("events", []) + list(table["events"])
    gone = set(table.get("drop_units", []))
    if gone:
        data["units"] = [u for u in data.get("units", []) if u.get("id") not in gone]
        for r in data.get("reinforcements", []):
            r["units"] = [u for u in r.get("units", []) if u.get("id") not in gone]
        data["reinforcements"] = [r for r in data.get("reinforcements", []) if r.get("units")]
    if table.get("units"):
        data["units"] = data.get("units", []) + list(table["units"])
    where = {m["unit"]: m["hex"] for m in table.get("move_units", [])}
    for u in data.get("units", []):
        if u.get("id") in where:
            u["place"] = where[u["id"]]  # a hex [q, r], as a unit's place is written
    for change in table.get("factions", []):
        for f in data.get("factions", []):
            if f.get("id") == change["id"]:
                f.update({k: v for k, v in change.items() if k != "id"})
    if "victory" in table:
        data["victory"] = list(table["victory"])


__all__ = ["EFFECTS", "Option", "apply_options", "read_options", "settings_for"]
