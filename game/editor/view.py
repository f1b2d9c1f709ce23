"""What the editor's map shows of a document, even while the document still has mistakes.

Engine layer. ``map_view(doc, ctx)`` reads the parts of a scenario that live on the map (the
terrain as changed, who holds the towns, the units at the start and those that come later, the
no-fly zones, the depots, the victory conditions' towns) with every place resolved to a hex.
A part that cannot be read (a unit on an unknown town, a zone of an unknown side) is left out
or given no hex: the check (``game.editor.check``) is what names the mistakes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.editor.check import hex_of
from game.editor.document import get, path_text, tables
from game.editor.ops import builder, unit_paths
from game.hexmap import HexMap


@dataclass
class MapView:
    hexmap: HexMap  # the map with the document's terrain changes
    control: dict[str, str]  # town id -> faction at the start
    units: list[dict] = field(default_factory=list)  # {path, id, name, faction, type, personnel, hex, when}
    zones: list[dict] = field(default_factory=list)  # {id, name, side, hexes, declared}
    supply_sources: list[dict] = field(default_factory=list)  # {index, hex, faction or side, name}
    objectives: list[dict] = field(
        default_factory=list
    )  # {index, kind, side, text, towns: [{id, name, hex}]}

    def units_at(self, q: int, r: int) -> list[dict]:
        return [u for u in self.units if u["hex"] == [q, r]]


def map_view(doc: dict, ctx) -> MapView:
    b = builder(doc, ctx)
    control = {}
    for key, fid in (get(doc, "control") or {}).items() if isinstance(get(doc, "control"), dict) else []:
        c = ctx.hexmap.find_city(key) if isinstance(key, str) else None
        if c is not None and isinstance(fid, str):
            control[c.id] = fid
    view = MapView(hexmap=b.map, control=control)
    for p in unit_paths(doc):
        u = get(doc, p)
        view.units.append(
            {
                "path": path_text(p),
                "id": u.get("id"),
                "name": u.get("name", ""),
                "faction": u.get("faction"),
                "type": u.get("type"),
                "personnel": u.get("personnel"),
                "hex": hex_of(ctx, u.get("place")),
                "when": {"units": "start", "reinforcements": "reinforcement", "events": "event"}[p[0]],
            }
        )
    view.zones = [{k: z[k] for k in ("id", "name", "side", "hexes", "declared")} for z in b.zones.values()]
    for i, s in enumerate(tables(doc, "supply_sources")):
        if isinstance(s, dict):
            entry = {"index": i, "hex": hex_of(ctx, s.get("place")), "name": s.get("name", "")}
            entry.update({k: s[k] for k in ("faction", "side") if k in s})
            view.supply_sources.append(entry)
    for i, v in enumerate(tables(doc, "victory")):
        if not isinstance(v, dict):
            continue
        towns = []
        for c in v.get("cities", []) if isinstance(v.get("cities"), list) else []:
            city = ctx.hexmap.find_city(c) if isinstance(c, str) else None
            if city is not None:
                towns.append({"id": city.id, "name": city.name, "hex": [city.hex.q, city.hex.r]})
        view.objectives.append(
            {
                "index": i,
                "kind": v.get("kind"),
                "side": v.get("side"),
                "text": v.get("text", ""),
                "towns": towns,
            }
        )
    return view
