"""Live validation: the checks of ``mesopotamia validate`` on the document being edited.

Engine layer. ``check(doc, ctx, base_text)`` runs the scenario validator on the document and
gives each problem with the line it has in the text the document saves as, and the part of
the scenario it is about (a unit with its hex, an event, a town...), so the editor can show
the problem on the map or in its panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.editor.document import get, parse_path, path_text
from game.editor.ops import unit_paths
from game.editor.writer import WriteError, render
from game.hexgrid import Hex
from game.hexmap import MapError
from game.scenario.locate import Locator
from game.scenario.validate import build

# The kind of thing each part of a file holds, for targets.
_KINDS = {
    "scenario": "scenario",
    "sides": "side",
    "factions": "faction",
    "war": "war",
    "control": "city",
    "terrain": "terrain",
    "supply_sources": "supply_source",
    "units": "unit",
    "reinforcements": "reinforcement",
    "no_fly_zones": "no_fly_zone",
    "events": "event",
    "victory": "victory",
    "plans": "plan",
    "history": "history",
}


@dataclass
class Issue:
    """One problem: where it is in the file and in the scenario, what is wrong, what would do."""

    path: str  # the field, as the validator names it: "units[3].place"
    text: str
    hint: str = ""
    line: int | None = None  # in the text the document saves as
    target: dict = field(default_factory=dict)  # {kind, path, id?, hex?, field?}

    def __str__(self) -> str:
        where = f"{self.line}: " if self.line else ""
        field_ = f"[{self.path}] " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{field_}{self.text}{hint}"


def hex_of(ctx, place) -> list[int] | None:
    """The hex ``[q, r]`` of a place as a file writes it, or None if it is not one."""
    try:
        if isinstance(place, list) and len(place) == 2 and all(isinstance(x, int) for x in place):
            return list(place) if ctx.hexmap.in_bounds(Hex(*place)) else None
        if isinstance(place, str):
            h = ctx.hexmap.resolve_place(place)
            return [h.q, h.r]
    except (MapError, TypeError, ValueError):
        return None
    return None


def target(doc, ctx, path: str) -> dict:
    """What a problem's field belongs to: the unit, event, zone, town... with its hex if any."""
    steps = parse_path(path)
    if not steps or not isinstance(steps[0], str):
        return {}
    top = steps[0]
    out: dict = {"kind": _KINDS.get(top, top), "path": top}
    units = set(unit_paths(doc))
    for n in range(len(steps), 0, -1):
        if steps[:n] in units:
            u = get(doc, steps[:n])
            out = {"kind": "unit", "path": path_text(steps[:n])}
            if isinstance(u.get("id"), str):
                out["id"] = u["id"]
            h = hex_of(ctx, u.get("place"))
            if h:
                out["hex"] = h
            rest = steps[n:]
            if rest:
                out["field"] = path_text(rest)
            return out
    if top == "history" and len(steps) > 2 and steps[1] == "events" and isinstance(steps[2], int):
        e = get(doc, steps[:3])
        out = {"kind": "history_event", "path": path_text(steps[:3]), "index": steps[2]}
        if isinstance(e, dict):
            if isinstance(e.get("id"), str):
                out["id"] = e["id"]
            h = hex_of(ctx, e.get("taken"))
            if h:
                out["hex"] = h
        if len(steps) > 3:
            out["field"] = path_text(steps[3:])
        return out
    if top == "control" and len(steps) > 1:
        c = ctx.hexmap.find_city(str(steps[1]))
        out.update(path=path_text(steps[:2]), city=c.id if c else steps[1])
        if c:
            out["hex"] = [c.hex.q, c.hex.r]
        return out
    if len(steps) > 1 and isinstance(steps[1], int):
        t = get(doc, steps[:2])
        out["path"] = path_text(steps[:2])
        out["index"] = steps[1]
        if isinstance(t, dict):
            if isinstance(t.get("id"), str):
                out["id"] = t["id"]
            place = None
            if (
                len(steps) > 3
                and steps[2] in ("hexes", "cities", "take", "hold", "avoid")
                and isinstance(steps[3], int)
            ):
                place = get(t, steps[2:4])
            elif "place" in t:
                place = t["place"]
            elif "centre" in t:
                place = t["centre"]
            h = hex_of(ctx, place)
            if h:
                out["hex"] = h
        if top == "events" and len(steps) > 3 and steps[2] == "actions" and isinstance(steps[3], int):
            out["action"] = steps[3]
        rest = steps[2:]
    else:
        rest = steps[1:]
    if rest:
        out["field"] = path_text(rest)
    return out


def check(doc, ctx, base_text: str | None = None, text: str | None = None) -> list[Issue]:
    """Every problem of the document, as ``mesopotamia validate`` finds them in the saved file."""
    _, problems = build(doc, ctx.hexmap, ctx.rules)
    if not problems:
        return []
    if text is None:
        try:
            text = render(doc, base_text)
        except WriteError:
            text = ""
    locator = Locator(text)
    return [
        Issue(
            p.path,
            p.text,
            p.hint,
            locator.line(p.path) if p.path else None,
            target(doc, ctx, p.path) if p.path else {},
        )
        for p in problems
    ]
