"""The scenario editor's pages: the forms on the right of the editor window.

UI layer (pygame, pygame_gui). ``EditorPages`` holds the pages of ``game.ui.editor.EditorScene``
(which it is mixed into): the Map page with the tool's options and the unit, town or depot
chosen; Scenario; Sides and factions; War; Victory; Plans (the computer players' aims);
Events; Reinforcements; History (what really happened, and the source's dated events). Each
page lays its rows out on a ``Form`` and gives every widget the edit it makes, always one of
the editor's operations through ``EditorScene.apply``: nothing here changes the document
itself. Fields are offered from the editor engine's ``schema()`` and values from
``Editor.choices``; ``plan_words`` and ``history_event_words`` say a plan and a dated event in
the words the pages list them by.
"""

from __future__ import annotations

import datetime as dt

import pygame
from pygame_gui.elements import UIButton, UILabel

from game.editor.check import hex_of
from game.editor.document import get, parse_path, tables
from game.hexgrid import Hex
from game.hexmap import MapError
from game.history import date_words
from game.scenario.plans import KINDS as PLAN_KINDS
from game.ui import widgets as W
from game.ui.counters import abbreviation
from game.editor.ops import usual_personnel
from game.ui.editor_forms import (NONE, S, Form, default_table, default_value, parse_date,
                                  parse_names, parse_number, parse_place, place_text)
from game.victory import condition_text

# (tool, name on its button, key)
TOOLS = [("select", "Select", pygame.K_v, "V"), ("unit", "Unit", pygame.K_u, "U"),
         ("erase", "Erase", pygame.K_x, "X"), ("terrain", "Terrain", pygame.K_t, "T"),
         ("objective", "Objective", pygame.K_o, "O"), ("nofly", "No-fly", pygame.K_z, "Z"),
         ("depot", "Depot", pygame.K_d, "D"), ("control", "Towns", pygame.K_c, "C")]
TOOL_HELP = {
    "select": "Click a unit, town or depot to edit it on this page; drag a unit to move it. "
              "Delete removes the unit chosen.",
    "unit": "Click a hex to place a unit of the faction and type below.",
    "erase": "Click a hex to delete its top unit, else its depot, else its terrain change.",
    "terrain": "Click or drag to paint terrain; 'map's own' takes the change back.",
    "objective": "Click a town to add it to the condition below, or to take it off.",
    "nofly": "Click or drag to add hexes to the zone below (or take them off, starting on one "
             "of its hexes).",
    "depot": "Click a hex to put a depot there for the faction below; click a depot to edit it.",
    "control": "Click a town to give it to the faction below at the start.",
}


PLACE_HINT = "a town, LAT,LON or a hex [q, r]"


def _needed(place):
    if place is None:
        raise ValueError(f"a place is needed: {PLACE_HINT}")
    return place


class EditorPages:
    """The pages of the editor window (mixed into ``EditorScene``)."""

    def _options(self, ftype: str, optional: bool = False) -> list[tuple[str, object]]:
        """(text, value) options for a field of this type in the document."""
        doc = self.doc
        out = []
        if ftype in ("faction", "factions"):
            out = [(f"{short_name(doc, 'factions', x)} ({x})", x) for x in self.ed.choices("faction")]
        elif ftype == "side":
            out = [(f"{short_name(doc, 'sides', x)} ({x})", x) for x in self.ed.choices("side")]
        elif ftype == "faction_or_side":
            out = self._options("faction") + [(f"side: {t}", v) for t, v in self._options("side")
                                              if v not in self.ed.choices("faction")]
        elif ftype in ("unit_type", "unit_types"):
            out = [(self.ctx.rules.unit_type(x).name, x) for x in self.ed.choices("unit_type")]
        elif ftype in ("city", "cities"):
            out = [(c, c) for c in sorted(self.ed.choices("city"))]  # a long list: A to Z
        else:
            out = [(str(x), x) for x in self.ed.choices(ftype)]
        if optional:
            out = [(NONE, None)] + out
        return out

    def kind_choice(self, f: Form, label: str, kinds: dict[str, str], current, pick) -> None:
        """A drop-down of kinds by the names a file gives them (``take``, ``city_taken``), and
        under it what the kind chosen does, in words that wrap instead of being cut off."""
        f.choice(label, [(k, k) for k in kinds], current, pick)
        if current in kinds:
            f.note(f"{current}: {kinds[current]}")

    def field_row(self, f: Form, fld, value, setter) -> None:
        """A form row for a schema field: ``setter(value)`` makes the edit."""
        t = fld.type
        label = fld.name.replace("_", " ")
        if t == "text":
            f.entry(label, value, lambda s: setter(s.strip() or None), fld.doc)
        elif t in ("integer", "number"):
            f.entry(label, value, lambda s: setter(parse_number(s, t)), fld.doc)
        elif t == "date":
            f.entry(label, value, lambda s: setter(parse_date(s)), fld.doc + " (like 2014-06-16)")
        elif t == "bool":
            # A field the file leaves out has the format's default (true unless it says false).
            on = value if isinstance(value, bool) else str(getattr(fld, "default", "")) != "false"
            f.buttons([("yes", lambda: setter(True)), ("no", lambda: setter(False))], label,
                      selected=("yes",) if on else ("no",))
        elif t == "city":
            f.choice(label, self._options(t, optional=not fld.required), value, setter,
                     on_map=("town", setter))
        elif t in ("side", "faction", "faction_or_side", "unit", "event", "zone", "unit_type",
                   "terrain", "category", "nation"):
            f.choice(label, self._options(t, optional=not fld.required), value, setter)
        elif t == "faction_pair":
            pair = list(value) if isinstance(value, list) and len(value) == 2 else [None, None]
            f.choice(f"{label} (1)", self._options("faction"), pair[0], lambda v: setter([v, pair[1]]))
            f.choice(f"{label} (2)", self._options("faction"), pair[1], lambda v: setter([pair[0], v]))
        elif t in ("event_ids", "unit_ids"):
            # Lists that can be long (a scenario's units): what is in it, each with a cross to
            # take it out, and a drop-down of the rest to add one.
            have = list(value) if isinstance(value, list) else []
            one = "event" if t == "event_ids" else "unit"

            def take_out(x, have=have):
                setter([y for y in have if y != x] or None)

            f.buttons([(f"{x} \u00d7", (lambda x=x: take_out(x))) for x in have] or [("(none)", lambda: None)],
                      label)
            f.choice(f"add {'an event' if one == 'event' else 'a unit'}",
                     [(tx, v) for tx, v in self._options(one) if v not in have], None,
                     lambda v, have=have: setter(have + [v]))
        elif t in ("factions", "unit_types", "countries", "sides"):
            have = list(value) if isinstance(value, list) else []
            opts = self._options("countries" if t == "countries" else t)
            if t == "factions":
                opts = [(abbreviation(v, tx), v) for tx, v in opts]

            def toggle(v, have=have):
                setter([x for x in have if x != v] if v in have else have + [v])

            f.buttons([(tx, (lambda v=v: toggle(v))) for tx, v in opts], label,
                      selected=[tx for tx, v in opts if v in have])
        elif t == "cities":
            have = list(value) if isinstance(value, list) else []

            def drop(c, have=have):
                setter([x for x in have if x != c] or None)

            f.buttons([(f"{c} \u00d7", (lambda c=c: drop(c))) for c in have] or [("(none)", lambda: None)],
                      label)
            def add(c, have=have):
                if c in have:
                    self.say(f"{c} is already one of the {label}", W.MUTED)
                else:
                    setter(have + [c])

            f.choice("add a town", [(c, c) for c in sorted(self.ed.choices("city")) if c not in have], None,
                     add, on_map=("town", add, f"a town to add to {label}"))
        elif t == "names":
            f.entry(label, ", ".join(map(str, value)) if isinstance(value, list) else value,
                    lambda s: setter(parse_names(s) or None), fld.doc + " (commas between names)")
        elif t == "dates":
            pair = list(value) if isinstance(value, list) and len(value) == 2 else None
            whole = default_value(self.ed, "dates") or [None, None]

            def set_end(s, n):
                d = parse_date(s)
                if d is None:
                    setter(None)  # one end gone: no window, the whole game
                    return
                new = list(pair or whole)
                new[n] = d
                setter(new)

            for n, end in enumerate(("from", "to")):
                f.entry(f"{label} {end}", pair[n] if pair else None, lambda s, n=n: set_end(s, n),
                        (fld.doc if n == 0 else "the last of the dates") + " (like 2014-06-16)")
        elif t == "unit_moves":
            # A switch's units that start elsewhere: each unit's new place, with Pick, and a
            # cross to leave it where it was; a drop-down of the others to move one.
            have = [dict(m) for m in value if isinstance(m, dict)] if isinstance(value, list) else []
            if have:
                f.note("Units that start elsewhere, and where:")
            for k, m in enumerate(have):
                def move_to(place, k=k, have=have):
                    new = [dict(x) for x in have]
                    new[k]["hex"] = place
                    setter(new)

                uid = m.get("unit")
                f.entry(str(uid), place_text(m.get("hex")),
                        lambda s, move_to=move_to: move_to(_needed(parse_place(s))), PLACE_HINT,
                        on_map=("place", move_to))
                f.buttons([(f"{uid} stays ×",
                            lambda k=k, have=have: setter([x for j, x in enumerate(have) if j != k] or None))])
            moved = {m.get("unit") for m in have}
            places = {u.get("id"): u.get("place") for u in tables(self.doc, "units") if isinstance(u, dict)}
            f.choice("move a unit", [(tx, v) for tx, v in self._options("unit") if v not in moved
                                     and v in places], None,
                     lambda v, have=have: setter(have + [{"unit": v, "hex": places[v]}]))
        elif t == "faction_changes":
            # A switch's factions on another side: each one's side, and a cross to leave it be.
            have = [dict(c) for c in value if isinstance(c, dict)] if isinstance(value, list) else []
            if have:
                f.note("Factions on another side, and which:")
            for k, c in enumerate(have):
                def to_side(v, k=k, have=have):
                    new = [dict(x) for x in have]
                    new[k]["side"] = v
                    setter(new)

                fid = c.get("id")
                f.choice(str(fid), self._options("side"), c.get("side"), to_side)
                f.buttons([(f"{fid} as in history ×",
                            lambda k=k, have=have: setter([x for j, x in enumerate(have) if j != k] or None))])
            changed = {c.get("id") for c in have}
            sides = {x.get("id"): x.get("side") for x in tables(self.doc, "factions") if isinstance(x, dict)}
            f.choice("change side", [(tx, v) for tx, v in self._options("faction")
                                                      if v not in changed], None,
                     lambda v, have=have: setter(have + [{"id": v, "side": sides.get(v)}]))
        elif t == "history_events":
            n = len(value) if isinstance(value, list) else 0
            f.note(f"{label}: {n} dated event{'' if n == 1 else 's'} (the History page)")
        elif t == "units":
            units = value if isinstance(value, list) else []
            f.note(f"{label}: " + ("; ".join(
                f"{u.get('type')} of {u.get('faction')}, {u.get('personnel')} at {u.get('place')}"
                for u in units if isinstance(u, dict)) or "none yet"))

    # -- Map -------------------------------------------------------------------------------

    def page_map(self, f: Form) -> None:
        name = next(n for t, n, _, _ in TOOLS if t == self.tool)
        f.heading(f"Tool: {name}")
        f.note(TOOL_HELP[self.tool])
        getattr(self, f"_tool_{self.tool}", lambda f: None)(f)
        f.space(6)
        if self.selected is not None:
            self._unit_form(f, self.selected)
        elif self.sel_depot is not None:
            self._depot_form(f, self.sel_depot)
        elif self.sel_town is not None:
            self._town_form(f, self.sel_town)
        elif self.tool == "select":
            self._forces_summary(f)

    def _forces_summary(self, f: Form) -> None:
        """With nothing chosen: each faction's units and people, at the start and later."""
        f.heading("Forces")
        units = self.ed.map_view().units
        names = {x.get("id"): x.get("name") or x.get("id") for x in tables(self.doc, "factions")
                 if isinstance(x, dict)}
        for fid, name in names.items():
            mine = [u for u in units if u.get("faction") == fid]
            start = [u for u in mine if u["when"] == "start"]
            people = sum(u["personnel"] for u in start if isinstance(u.get("personnel"), int))
            later = len(mine) - len(start)
            f.note(f"{name}: {len(start)} unit{'s' if len(start) != 1 else ''}, {people:,} people"
                   + (f"; {later} more arrive{'s' if later == 1 else ''} later" if later else ""), "#info")
        f.space()
        f.heading("Units")
        f.note("Click one to choose it and see it on the map (also those that arrive later, and any "
               "whose place is not on the map).")
        when = {"start": "", "reinforcement": ", later", "event": ", by an event"}
        for u in units:
            where = "" if u.get("hex") else ", not on the map"
            text = f"{u.get('id') or u['path']}: {u.get('type')} of {u.get('faction')}{when[u['when']]}{where}"
            f.buttons([(text, lambda u=u: self._choose_unit(u["path"]))], full=True)

    def _choose_unit(self, path: str) -> None:
        self.select_unit(path)
        self._centre_unit(path)

    def _set(self, name: str, value) -> None:
        setattr(self, name, value)
        self._stale = True

    def _tool_unit(self, f: Form) -> None:
        f.choice("faction", self._options("faction"), self.place_faction,
                 lambda v: self._set("place_faction", v))
        f.choice("type", self._options("unit_type"), self.place_type, lambda v: self._set("place_type", v))
        f.entry("people", self.place_personnel, lambda s: self._set("place_personnel", parse_number(s, "integer")),
                f"{usual_personnel(self.ctx, self.place_type):,}, the usual for the type")
        into = []
        for where in self.ed.choices("into"):
            p = parse_path(where)
            if p[0] == "reinforcements":
                r = get(self.doc, p)
                into.append((f"reinforcement {p[1] + 1} ({r.get('date') or 'turn ' + str(r.get('turn'))})", where))
            elif p[0] == "events":
                into.append((f"event {get(self.doc, p[:2] + ('id',))}, action {p[3] + 1}", where))
            else:
                into.append(("on the map at the start", where))
        f.choice("arrives", into, self.place_into, lambda v: self._set("place_into", v))

    def _tool_terrain(self, f: Form) -> None:
        opts = [(t, t) for t in self.ed.choices("terrain")] + [("map's own", None)]
        f.buttons([(tx, (lambda v=v: self._set("paint", v))) for tx, v in opts], "paint",
                  selected=[tx for tx, v in opts if v == self.paint])
        self._brush_buttons(f)
        groups = tables(self.doc, "terrain")
        if groups:
            f.note("The scenario's terrain changes (a later one wins where they overlap):")
        for i, g in enumerate(groups):
            if not isinstance(g, dict):
                continue
            cells = g.get("hexes") if isinstance(g.get("hexes"), list) else None
            what = (f"{len(cells)} hex{'es' if len(cells) != 1 else ''}" if cells is not None
                    else f"round {g.get('centre')}, radius {g.get('radius')}")
            first = cells[0] if cells else g.get("centre")
            f.buttons([(f"{i + 1}. {g.get('terrain')}: {what}", lambda first=first: self._show_place(first)),
                       ("Delete", lambda i=i: self.apply("delete_terrain", index=i))])

    def _tool_objective(self, f: Form) -> None:
        conds = tables(self.doc, "victory")
        opts = [(f"{i + 1}. {conds[i].get('kind')} for {conds[i].get('side')}", i)
                for i in self._town_conditions()]
        if opts:
            f.choice("condition", opts, self.obj_index, lambda v: self._set("obj_index", v))
            cond = conds[self.obj_index] if self.obj_index is not None else {}
            towns = cond.get("cities", [])
            f.note("Towns: " + (", ".join(map(str, towns)) or "none"))
            text = cond.get("text") or ""
            if text:
                f.note(f"\u201c{text}\u201d", "#info")
            if text and text != condition_text(cond):
                f.note(f"Its words are yours: \"{text}\". Check they still fit the towns (Victory "
                       "page).", "#muted")
        else:
            f.note("No hold or take condition yet.", "#error")
        f.buttons([(f"New: {k} for {s}", (lambda k=k, s=s: self.new_condition(k, s)))
                   for k in ("take", "hold") for s in self.ed.choices("side")])

    def new_condition(self, kind: str, side: str) -> None:
        before = len(tables(self.doc, "victory"))
        if self.apply("add_victory", **default_table(self.ed, S.VICTORY[kind], kind=kind, side=side)):
            self.obj_index = before

    def _tool_nofly(self, f: Form) -> None:
        zones = self.ed.choices("zone")
        if zones:
            f.choice("zone", [(z, z) for z in zones], self.zone_id, lambda v: self._set("zone_id", v))
        f.buttons([(f"New zone for {s}", (lambda s=s: self.new_zone(s))) for s in self.ed.choices("side")])
        self._brush_buttons(f)
        if self.zone_id is None:
            return
        i = next(k for k, z in enumerate(tables(self.doc, "no_fly_zones")) if z.get("id") == self.zone_id)
        z = tables(self.doc, "no_fly_zones")[i]
        zid = self.zone_id

        def setter(name):
            return lambda v: self.apply("set_no_fly_zone", zone=zid, **{name: v}) and \
                (name != "id" or self._set("zone_id", v))

        for fld in S.NO_FLY_ZONE.fields:
            if fld.name in ("id", "name", "side", "declared"):
                self.field_row(f, fld, z.get(fld.name), setter(fld.name))
        cells = z.get("hexes")
        f.note(f"{len(cells)} hex{'' if len(cells) == 1 else 'es'}" if isinstance(cells, list) else
               f"centre {z.get('centre')}, radius {z.get('radius')} (clicking makes it a list of hexes)")
        f.button("Delete zone", lambda: self.apply("delete_no_fly_zone", zone=zid), "#danger")

    def new_zone(self, side: str) -> None:
        taken = set(self.ed.choices("zone"))
        n = 1
        while f"no-fly-{n}" in taken:
            n += 1
        h = self.map.hex_at(self.map_rect.center) or Hex(60, 40)  # the hex in the middle of the view
        if self.apply("add_no_fly_zone", id=f"no-fly-{n}", side=side, name=f"No-fly zone {n}",
                      hexes=[[h.q, h.r]]):
            self.zone_id = f"no-fly-{n}"
            self.say(f"New zone no-fly-{n} at [{h.q}, {h.r}]: click or drag on the map to add hexes", W.GOOD)

    def _tool_depot(self, f: Form) -> None:
        f.choice("supplies", self._options("faction"), self.depot_faction,
                 lambda v: self._set("depot_faction", v))

    def _tool_control(self, f: Form) -> None:
        f.choice("give to", [("nobody", None)] + self._options("faction"), self.control_faction,
                 lambda v: self._set("control_faction", v))
        held = get(self.doc, "control") or {}
        if isinstance(held, dict) and held:
            def town(k):
                c = self.ctx.hexmap.find_city(k) if isinstance(k, str) else None
                return c.name if c is not None else str(k)

            f.note("Held at the start: " + ", ".join(f"{town(k)} ({v})" for k, v in held.items()))

    def _unit_form(self, f: Form, path: str) -> None:
        u = get(self.doc, path)
        if not isinstance(u, dict):
            return
        p = parse_path(path)
        where = {"units": "on the map at the start",
                 "reinforcements": f"arrives with reinforcement {p[1] + 1 if len(p) > 1 else ''}",
                 "events": f"arrives by event {get(self.doc, ('events', p[1], 'id')) if len(p) > 1 else ''}"}[p[0]]
        f.heading(f"Unit {u.get('id') or path}")
        on_map = any(x["path"] == path and x.get("hex") for x in self.ed.map_view().units)
        f.note(f"{where}. Drag it on the map to move it, pick its hex, or type its place: "
               f"{PLACE_HINT}." if on_map else
               f"{where}. Its place is not on the map: pick a hex or type one ({PLACE_HINT}).",
               "#muted" if on_map else "#error")

        def setter(name):
            return lambda v: self.apply("set_unit", unit=path, **{name: v})

        self.place_row(f, u.get("place"), lambda v: self.apply("move_unit", unit=path, place=v))

        for fld in S.UNIT.fields:
            if fld.name in ("place", "equipment"):
                continue
            self.field_row(f, fld, u.get(fld.name), setter(fld.name))
        ut = self.ctx.rules.unit_types.get(u.get("type"))
        equipment = u.get("equipment") if isinstance(u.get("equipment"), dict) else {}
        for item in (ut.equipment if ut else ()):
            def set_item(s, item=item):
                n = parse_number(s, "integer")
                eq = {k: v for k, v in equipment.items() if k != item}
                if n is not None:
                    eq[item] = n
                self.apply("set_unit", unit=path, equipment=eq or None)

            f.entry(item, equipment.get(item), set_item, f"how many {item}")
        f.buttons([("Delete unit", lambda: self.apply("delete_unit", unit=path)),
                   ("Centre the map", lambda: self._centre_unit(path))])

    def place_row(self, f: Form, place, move) -> None:
        """A place's field, read as the file reads it (``place_text``, ``parse_place``), with a
        Pick button; ``move(place)`` makes the edit. Under a ``LAT,LON`` the hex it falls in."""
        f.entry("place", place_text(place), lambda s: move(_needed(parse_place(s))), PLACE_HINT,
                on_map=("place", move))
        if isinstance(place, str) and "," in place:
            try:
                h = self.ctx.hexmap.resolve_place(place)
            except (MapError, ValueError):
                return
            lat, lon = (x.strip() for x in place.split(",", 1))
            f.note(f"latitude {lat}, longitude {lon}: hex [{h.q}, {h.r}]")

    def _show_place(self, place) -> None:
        h = hex_of(self.ctx, place)
        if h:
            self.map.centre_on(Hex(*h))

    def _centre_unit(self, path) -> None:
        u = next((u for u in self.ed.map_view().units if u["path"] == path), None)
        if u and u.get("hex"):
            self.map.centre_on(Hex(*u["hex"]))

    def _depot_form(self, f: Form, i: int) -> None:
        d = tables(self.doc, "supply_sources")[i]
        f.heading(f"Depot {i + 1}: {d.get('name') or d.get('place')}")

        def setter(name):
            return lambda v: self.apply("set_supply_source", index=i, **{name: v})

        for fld in S.SUPPLY_SOURCE.fields:
            if fld.name == "place":
                self.place_row(f, d.get("place"),
                               lambda v: self.apply("set_supply_source", index=i, place=v))
                continue
            self.field_row(f, fld, d.get(fld.name), setter(fld.name))
        f.button("Delete depot", lambda: self.apply("delete_supply_source", index=i), "#danger")

    def _town_form(self, f: Form, h: Hex) -> None:
        city = self.ctx.hexmap.city_at(h)
        if city is None:
            return
        f.heading(city.name)
        mv = self.ed.map_view()
        f.choice("held by", [("nobody", None)] + self._options("faction"), mv.control.get(city.id),
                 lambda v: self.apply("set_control", city=city.name, faction=v))
        aims = [f"{ob['index'] + 1}. {ob['kind']} for {ob['side']}" for ob in mv.objectives
                if any(t["id"] == city.id for t in ob["towns"])]
        f.note("Objective of: " + (", ".join(aims) if aims else "no condition (the Objective tool marks it)"))

    # -- Scenario --------------------------------------------------------------------------

    def page_scenario(self, f: Form) -> None:
        sc = self.doc.get("scenario") if isinstance(self.doc.get("scenario"), dict) else {}
        f.heading("The scenario")
        for fld in S.SCENARIO.fields:
            if fld.name in ("side_order", "map"):
                continue
            self.field_row(f, fld, sc.get(fld.name),
                           lambda v, n=fld.name: self.apply("set_scenario", **{n: v}))
        order = sc.get("side_order") if isinstance(sc.get("side_order"), list) else self.ed.choices("side")
        f.space()
        f.heading("Who moves first")
        for k, side in enumerate(order):
            items = [(f"{k + 1}. {side}", lambda: None)]
            if k > 0:
                new = list(order)
                new[k - 1], new[k] = new[k], new[k - 1]
                items.append(("move up", lambda new=new: self.apply("set_scenario", side_order=new)))
            f.buttons(items)

    # -- Sides and factions ----------------------------------------------------------------

    def page_forces(self, f: Form) -> None:
        f.heading("Factions")
        if self.faction_id is not None:
            f.choice("faction", self._options("faction"), self.faction_id, lambda v: self._set("faction_id", v))
        f.buttons([(f"Add a faction to {s}", (lambda s=s: self.add_faction(s))) for s in self.ed.choices("side")])
        fac = next((x for x in tables(self.doc, "factions") if x.get("id") == self.faction_id), None)
        if fac is not None:
            fid = self.faction_id

            def setter(name):
                def go(v):
                    if self.apply("set_faction", faction=fid, **{name: v}) and name == "id":
                        self.faction_id = v
                return go

            for fld in S.FACTION.fields:
                self.field_row(f, fld, fac.get(fld.name), setter(fld.name))
            f.button(f"Delete faction {fid} (and its units)",
                     lambda: self.apply("delete_faction", faction=fid), "#danger")
        f.space()
        f.heading("Sides")
        for s in tables(self.doc, "sides"):
            sid = s.get("id")
            f.entry(f"{sid}: name", s.get("name"), lambda t, sid=sid: self.apply("set_side", side=sid, name=t))
            f.entry(f"{sid}: id", sid, lambda t, sid=sid: self.apply("set_side", side=sid, id=t.strip()))
            f.button(f"Delete side {sid}", lambda sid=sid: self.apply("delete_side", side=sid))
        f.button("Add a side", self.add_side)

    def add_side(self) -> None:
        taken = set(self.ed.choices("side"))
        n = len(taken) + 1
        while f"side-{n}" in taken:
            n += 1
        self.apply("add_side", id=f"side-{n}", name=f"Side {n}")

    def add_faction(self, side: str) -> None:
        taken = set(self.ed.choices("faction"))
        n = len(taken) + 1
        while f"faction-{n}" in taken:
            n += 1
        if self.apply("add_faction", id=f"faction-{n}", side=side, name=f"Faction {n}"):
            self.faction_id = f"faction-{n}"

    # -- War -------------------------------------------------------------------------------

    def page_war(self, f: Form) -> None:
        f.heading("Who is at war at the start")
        f.note("Click a square to put two factions at war (X) or at peace. Events may change it.")
        facs = [x for x in tables(self.doc, "factions") if isinstance(x, dict) and isinstance(x.get("id"), str)]
        ids = [x["id"] for x in facs]
        pairs = {tuple(sorted(p)) for p in (get(self.doc, "war.at_war") or [])
                 if isinstance(p, list) and len(p) == 2}
        if len(ids) < 2:
            f.note("Two factions are needed.", "#error")
            return
        abbr = {x["id"]: abbreviation(x["id"], str(x.get("name", ""))) for x in facs}
        small = W.font(W.scaled(W.SMALL, self.scale))
        head_w = max(small.size(f"{len(ids)}. {a}")[0] for a in abbr.values()) + f.px(8)
        cell = max(12, min(f.px(40), (f.rect.w - 2 * f.pad - head_w - f.px(6)) // len(ids)))
        # Columns are named by their abbreviation when it fits, else by their row's number.
        named = all(small.size(a)[0] + 4 <= cell for a in abbr.values())
        x0 = f.rect.x + f.pad + head_w
        lh = small.get_linesize() + 2
        if f._shown(lh):
            for j, b in enumerate(ids):
                f._keep(UILabel(pygame.Rect(x0 + j * cell, f.y, cell, lh), abbr[b] if named else str(j + 1),
                                f.manager, object_id="#muted"))
        f.y += lh
        for i, a in enumerate(ids):
            if f._shown(max(cell, lh)):
                f._keep(UILabel(pygame.Rect(f.rect.x + f.pad, f.y + (cell - lh) // 2, head_w, lh),
                                f"{i + 1}. {abbr[a]}",
                                f.manager, object_id="#muted"))
                for j, b in enumerate(ids):
                    if i == j:
                        continue
                    war = tuple(sorted((a, b))) in pairs
                    btn = f._keep(UIButton(pygame.Rect(x0 + j * cell, f.y, cell - 2, cell - 2),
                                           "X" if war and cell >= f.px(20) else "", f.manager))
                    btn.set_tooltip(f"{a} and {b}: {'at war' if war else 'at peace'}")
                    if war:
                        btn.select()
                    self.on_click[btn] = lambda a=a, b=b, war=war: self.apply("set_war", a=a, b=b, at_war=not war)
            f.y += cell
        f.space()
        for i, x in enumerate(facs):
            f.note(f"{i + 1}. {abbr[x['id']]}: {x.get('name', x['id'])} ({x.get('side')})")

    # -- Victory ---------------------------------------------------------------------------

    def page_victory(self, f: Form) -> None:
        f.heading("Victory conditions")
        conds = tables(self.doc, "victory")
        if not conds:
            f.note("None yet: the game would end in a draw.", "#error")
        for i, v in enumerate(conds):
            if not isinstance(v, dict):
                continue
            f.space(4)
            f.heading(f"{i + 1}. {v.get('kind')} for {v.get('side')}")
            self.kind_choice(f, "kind", {k: S.VICTORY[k].doc for k in S.VICTORY}, v.get("kind"),
                             lambda k, i=i, v=v: self.set_victory_kind(i, v, k))
            kind = S.VICTORY.get(v.get("kind"))
            for fld in (kind.fields if kind else ()):
                self.field_row(f, fld, v.get(fld.name),
                               lambda val, i=i, n=fld.name: self.apply("set_victory", index=i, **{n: val}))
            items = [("Delete", lambda i=i: self.apply("delete_victory", index=i))]
            if v.get("kind") in ("hold", "take"):
                items.insert(0, ("Mark towns on the map", lambda i=i: self._mark(i)))
            f.buttons(items)
        f.space()
        f.buttons([(f"Add: {k} for {s}", (lambda k=k, s=s: self.new_condition(k, s)))
                   for s in self.ed.choices("side") for k in ("take", "hold", "survive")])

    def _mark(self, i: int) -> None:
        self.obj_index = i
        self.set_tool("objective")

    def set_victory_kind(self, i: int, v: dict, kind: str) -> None:
        fields = {}
        side = v.get("side")
        own = [x.get("id") for x in tables(self.doc, "factions") if x.get("side") == side]
        for fld in S.VICTORY[kind].fields:
            if fld.required and fld.name not in v and fld.name != "side":
                fields[fld.name] = default_value(self.ed, fld.type, exclude=own)
        self.apply("set_victory", index=i, kind=kind, **fields)

    # -- Plans ---------------------------------------------------------------------------

    def page_plans(self, f: Form) -> None:
        f.heading("Plans: the computer players' aims")
        f.note("What a side means to do, and when: the computer player weighs a plan's towns beside "
               "its victory conditions' over the plan's dates. No other side knows it. A plan's "
               "number chooses it, to change it below.")
        plans = tables(self.doc, "plans")
        if not plans:
            f.note("None yet: the computer players aim at their victory conditions' towns alone.",
                   "#info")
        for i, p in enumerate(plans):
            if isinstance(p, dict):
                f.item(str(i + 1), plan_words(self.doc, p), lambda i=i: self._set("plan_index", i),
                       i == self.plan_index, f"Change plan {i + 1} below")
        f.buttons([(short_name(self.doc, "sides", s), (lambda s=s: self.add_plan(s)))
                   for s in self.ed.choices("side")], "add a plan for")
        i = self.plan_index
        if i is None or not 0 <= i < len(plans) or not isinstance(plans[i], dict):
            return
        p = plans[i]
        f.space()
        f.heading(f"Plan {i + 1}")

        def setter(name):
            return lambda v: self.apply("set_plan", index=i, **{name: v})

        whose = [(f"side: {t}", ("side", v)) for t, v in self._options("side")] + \
            [(t, ("faction", v)) for t, v in self._options("faction")]
        now = ("faction", p["faction"]) if "faction" in p else ("side", p.get("side"))
        f.choice("whose", whose, now, lambda w: self.apply("set_plan", index=i, **{w[0]: w[1]}))
        kind = next((k for k in PLAN_KINDS if k in p), None)
        fields = {fl.name: fl for fl in S.PLAN.fields}
        self.kind_choice(f, "kind", {k: fields[k].doc for k in PLAN_KINDS}, kind, setter("kind"))
        if kind is not None:
            self.field_row(f, fields[kind], p.get(kind), setter("cities"))
        for name in (("radius",) if kind == "avoid" else ()) + ("from", "until", "weight", "text"):
            self.field_row(f, fields[name], p.get(name), setter(name))
        towns = p.get(kind) if isinstance(p.get(kind), list) else []
        items = [("Delete plan", lambda: self.apply("delete_plan", index=i))]
        if towns:
            items.insert(0, ("Show on the map", lambda: self._show_place(towns[0])))
        f.buttons(items)

    # -- What-if switches ------------------------------------------------------------------

    def page_options(self, f: Form) -> None:
        f.heading("Switches: what-ifs")
        f.note("A switch is a decision of the war a player may turn away from history before a "
               "game: events that then do not happen, units that are not there or start elsewhere, "
               "factions on another side. Players see its "
               "title and text on the new-game screen and set it with --option ID=on|off. Its "
               "number chooses it, to change it below.")
        switches = tables(self.doc, "options")
        if not switches:
            f.note("None yet: the scenario plays as history has it.", "#info")
        for i, o in enumerate(switches):
            if isinstance(o, dict):
                f.item(str(i + 1), option_words(o), lambda i=i: self._set("option_index", i),
                       i == self.option_index, f"Change switch {i + 1} below")
        f.buttons([("Add a switch", self.add_option)])
        i = self.option_index
        if i is None or not 0 <= i < len(switches) or not isinstance(switches[i], dict):
            return
        o = switches[i]
        f.space()
        f.heading(f"Switch {i + 1}")

        def setter(name):
            return lambda v: self.apply("set_option", index=i, **{name: v})

        for fld in S.OPTION.fields:
            self.field_row(f, fld, o.get(fld.name), setter(fld.name))
        more = [k for k in ("events", "units", "victory") if k in o]
        if more:
            f.note("Its other changes (" + ", ".join(k.replace("_", " ") for k in more) +
                   ") are written in the file.")
        f.buttons([("Delete switch", lambda: self.apply("delete_option", index=i))])

    def add_option(self) -> None:
        """A new switch, off in history, that drops nothing yet: the author chooses below."""
        have = {o.get("id") for o in tables(self.doc, "options") if isinstance(o, dict)}
        n = next(k for k in range(1, len(have) + 2) if f"what-if-{k}" not in have)
        if self.apply("add_option", id=f"what-if-{n}", title=f"What if {n}", default=False):
            self.option_index = len(tables(self.doc, "options")) - 1

    def add_plan(self, side: str) -> None:
        """A new plan for the side: to take the first town its victory conditions name (or
        any town), from the start to the end."""
        conds = [v for v in tables(self.doc, "victory") if isinstance(v, dict) and v.get("side") == side
                 and isinstance(v.get("cities"), list) and v["cities"]]
        town = conds[0]["cities"][0] if conds else default_value(self.ed, "city")
        if self.apply("add_plan", kind="take", cities=[town], side=side):
            self.plan_index = len(tables(self.doc, "plans")) - 1

    # -- Events ----------------------------------------------------------------------------

    def page_events(self, f: Form) -> None:
        f.heading("Events")
        events = self.ed.choices("event")
        if events:
            f.choice("event", [(e, e) for e in events], self.event_id, lambda v: self._set("event_id", v))
        f.button("Add an event", self.add_event)
        i = next((k for k, e in enumerate(tables(self.doc, "events")) if e.get("id") == self.event_id), None)
        if i is None:
            return
        ev = tables(self.doc, "events")[i]
        eid = self.event_id

        def rename(t):
            if self.apply("set_event", event=eid, id=t.strip()):
                self.event_id = t.strip()

        f.entry("id", eid, rename)
        f.space(4)
        f.heading("When")
        trig = ev.get("trigger") if isinstance(ev.get("trigger"), dict) else {}
        self.trigger_form(f, trig, lambda new: self.apply("set_event", event=eid, trigger=new), 0)
        f.space(4)
        f.heading("What happens")
        for j, a in enumerate(tables(ev, "actions")):
            if not isinstance(a, dict):
                continue
            f.note(f"Action {j + 1}", "#info")
            self.kind_choice(f, "do", {k: S.ACTIONS[k].doc for k in S.ACTIONS}, a.get("do"),
                             lambda k, j=j: self.set_action_kind(eid, j, k))
            kind = S.ACTIONS.get(a.get("do"))

            def set_field(val, j=j, a=a, name=None):
                new = {k: x for k, x in {**a, name: val}.items() if x is not None}
                self.apply("set_action", event=eid, index=j, action=new)

            for fld in (kind.fields if kind else ()):
                self.field_row(f, fld, a.get(fld.name), lambda val, n=fld.name, sf=set_field: sf(val, name=n))
            items = [("Delete action", lambda j=j: self.apply("delete_action", event=eid, index=j))]
            if a.get("do") == "add_units":
                items.insert(0, ("Place its units", lambda j=j: self._place_into(f"events[{i}].actions[{j}]")))
            f.buttons(items)
        f.buttons([("Add an action", lambda: self.apply("add_action", event=eid,
                                                         action={"do": "message", "text": "..."}))])
        f.space()
        f.button(f"Delete event {eid}", lambda: self.apply("delete_event", event=eid), "#danger")

    def set_action_kind(self, event: str, index: int, kind: str) -> None:
        """Another kind of action, its fields filled with values the scenario can take."""
        if any(fl.type == "zone" for fl in S.ACTIONS[kind].fields) and not self.ed.choices("zone"):
            self.say("Make a no-fly zone first (the No-fly tool), then choose it here", W.ERROR)
            return
        self.apply("set_action", event=event, index=index, action=default_table(self.ed, S.ACTIONS[kind], do=kind))

    def _place_into(self, into: str) -> None:
        self.place_into = into
        self.set_tool("unit")

    def add_event(self) -> None:
        taken = set(self.ed.choices("event"))
        n = len(taken) + 1
        while f"event-{n}" in taken:
            n += 1
        if self.apply("add_event", id=f"event-{n}", trigger={"turn": 2},
                      actions=[{"do": "message", "text": "..."}]):
            self.event_id = f"event-{n}"

    def trigger_form(self, f: Form, trig: dict, set_trig, depth: int) -> None:
        key = next((k for k in trig if k in S.TRIGGERS), None)
        kinds = {k: S.TRIGGERS[k].doc for k in S.TRIGGERS if depth == 0 or k not in ("all", "any")}

        def new_kind(k):
            t = default_table(self.ed, S.TRIGGERS[k])
            set_trig(t)

        self.kind_choice(f, "trigger" if depth == 0 else "condition", kinds, key, new_kind)
        if key is None:
            return
        for fld in S.TRIGGERS[key].fields:
            if fld.type == "triggers":
                subs = trig.get(key) if isinstance(trig.get(key), list) else []
                for n, sub in enumerate(subs):
                    def set_sub(new, n=n, subs=subs):
                        set_trig({key: subs[:n] + [new] + subs[n + 1:]})

                    f.note(f"Condition {n + 1}", "#info")
                    self.trigger_form(f, sub if isinstance(sub, dict) else {}, set_sub, depth + 1)
                    if len(subs) > 1:
                        f.button("Remove this condition",
                                 lambda n=n, subs=subs: set_trig({key: subs[:n] + subs[n + 1:]}))
                f.button("Add a condition", lambda subs=subs: set_trig({key: subs + [{"turn": 2}]}))
            else:
                def set_field(v, name=fld.name):
                    set_trig({k: x for k, x in {**trig, name: v}.items() if x is not None})

                self.field_row(f, fld, trig.get(fld.name), set_field)

    # -- Reinforcements --------------------------------------------------------------------

    def page_reinf(self, f: Form) -> None:
        f.heading("Reinforcements")
        f.note("Units that arrive on a date or at a turn. Place their units with the Unit tool.")
        for i, r in enumerate(tables(self.doc, "reinforcements")):
            if not isinstance(r, dict):
                continue
            f.space(4)
            f.heading(f"Reinforcement {i + 1}")
            for fld in S.REINFORCEMENT.fields:
                self.field_row(f, fld, r.get(fld.name),
                               lambda v, i=i, n=fld.name: self.apply("set_reinforcement", index=i, **{n: v}))
            f.buttons([("Place its units", lambda i=i: self._place_into(f"reinforcements[{i}]")),
                       ("Delete", lambda i=i: self.apply("delete_reinforcement", index=i))])
        f.space()
        f.button("Add a reinforcement",
                 lambda: self.apply("add_reinforcement", date=default_value(self.ed, "date")))

    # -- History ---------------------------------------------------------------------------

    def page_history(self, f: Form) -> None:
        f.heading("What really happened")
        hist = self.doc.get("history") if isinstance(self.doc.get("history"), dict) else {}
        for fld in S.HISTORY.fields:
            if fld.name in ("outcome", "winner"):
                self.field_row(f, fld, hist.get(fld.name),
                               lambda v, n=fld.name: self.apply("set_history", **{n: v}))
        f.space()
        f.heading("Dated events")
        f.note("The source's events, each set beside the game's on the results screen: a town taken "
               "or a scenario event fired. A game is historical when it ends with the source's "
               "winner and every defining event comes within its window. An event's number chooses "
               "it, to change it below.")
        events = tables(self.doc, ("history", "events"))
        if not events:
            f.note("None yet: a game is judged historical by its winner alone.", "#info")
        for i, e in enumerate(events):
            if isinstance(e, dict):
                f.item(str(i + 1), history_event_words(e), lambda i=i: self._set("history_index", i),
                       i == self.history_index, f"Change dated event {i + 1} below")
        adds = [("Add: a town taken", lambda: self.add_history_event("taken"))]
        if self.ed.choices("event"):
            adds.append(("Add: an event fired", lambda: self.add_history_event("event")))
        f.buttons(adds)
        i = self.history_index
        if i is not None and 0 <= i < len(events) and isinstance(events[i], dict):
            self._history_event_form(f, i, events[i])
        f.space()
        f.heading("Casualties in the source")
        f.note("People, by casualty category:")
        cas = hist.get("casualties") if isinstance(hist.get("casualties"), dict) else {}
        for cat in list(S.CATEGORIES) + ["civilians"]:
            def set_cat(t, cat=cat):
                n = parse_number(t, "integer")
                new = {k: v for k, v in cas.items() if k != cat}
                if n is not None:
                    new[cat] = n
                self.apply("set_history", casualties=new or None)

            f.entry(cat.replace("_", " "), cas.get(cat), set_cat)

    def _history_event_form(self, f: Form, i: int, e: dict) -> None:
        f.space(4)
        f.heading(f"Dated event {i + 1}")

        def setter(name):
            return lambda v: self.apply("set_history_event", index=i, **{name: v})

        fields = {fl.name: fl for fl in S.HISTORY_EVENT.fields}
        for name in ("what", "date"):
            self.field_row(f, fields[name], e.get(name), setter(name))
        kinds = [("a town is taken", "taken"), ("a scenario event fires", "event")]
        now = "event" if "event" in e else "taken"
        f.choice("happens when", kinds, now, lambda k: self._history_event_kind(i, e, k))
        for name in (("event",) if now == "event" else ("taken", "by")):
            self.field_row(f, fields[name], e.get(name), setter(name))
        self.field_row(f, fields["window"], e.get("window"), setter("window"))
        others = [x.get("id") for n, x in enumerate(tables(self.doc, ("history", "events")))
                  if n != i and isinstance(x, dict) and isinstance(x.get("id"), str)]
        f.choice("after", [(NONE, None)] + [(x, x) for x in others], e.get("after"), setter("after"))
        if not others:
            f.note("after: give another event an id to make this one wait for it", "#muted")
        self.field_row(f, fields["id"], e.get("id"), setter("id"))
        self.field_row(f, fields["defining"], e.get("defining"), setter("defining"))
        items = [("Delete dated event", lambda: self.apply("delete_history_event", index=i))]
        if now == "taken" and isinstance(e.get("taken"), str):
            items.insert(0, ("Show on the map", lambda: self._show_place(e["taken"])))
        f.buttons(items)

    def _history_event_kind(self, i: int, e: dict, kind: str) -> None:
        if kind == ("event" if "event" in e else "taken"):
            return
        if kind == "event":
            if not self.ed.choices("event"):
                self.say("The scenario has no event yet (the Events page)", W.ERROR)
                return
            self.apply("set_history_event", index=i, event=self.ed.choices("event")[0])
        else:
            self.apply("set_history_event", index=i, taken=default_value(self.ed, "city"),
                       by=default_value(self.ed, "side"))

    def add_history_event(self, kind: str) -> None:
        """A new dated event on the scenario's last day: a town taken by the first side, or
        the first scenario event fired."""
        sc = self.doc.get("scenario") if isinstance(self.doc.get("scenario"), dict) else {}
        date = sc.get("end") if isinstance(sc.get("end"), dt.date) else default_value(self.ed, "date")
        what = {"taken": {"taken": default_value(self.ed, "city"), "by": default_value(self.ed, "side")},
                "event": {"event": (self.ed.choices("event") or [None])[0]}}[kind]
        words = (f"{what['taken']} taken" if kind == "taken" else f"Event {what['event']}")
        if self.apply("add_history_event", what=words, date=date, **what):
            self.history_index = len(tables(self.doc, ("history", "events"))) - 1


# -- in words ----------------------------------------------------------------------------------

_PLAN_VERBS = {"take": "take", "hold": "hold", "avoid": "keep out of"}


def _and(items: list[str]) -> str:
    """"Erbil", "Erbil and Duhok", "Erbil, Duhok and Sulaymaniyah"."""
    if len(items) < 2:
        return items[0] if items else "no town"
    return ", ".join(items[:-1]) + " and " + items[-1]


def _date_text(d) -> str:
    return date_words(d.isoformat()) if isinstance(d, dt.date) else str(d)


def short_name(doc: dict, part: str, ident) -> str:
    """A faction's or side's name without what it says in brackets: "Ba'athists" for
    "Ba'athists (Ba'athist Syria and its allies)"; its id if it has no name."""
    name = next((x.get("name") for x in tables(doc, part)
                 if isinstance(x, dict) and x.get("id") == ident), None)
    return str(name).split(" (")[0] if isinstance(name, str) and name.strip() else str(ident)


def option_words(option: dict) -> str:
    """A switch in words: "Iraq stays with the coalition (history: off)"."""
    history = "on" if option.get("default") is True else "off"
    return f"{option.get('title') or option.get('id')} (history: {history})"


def plan_words(doc: dict, plan: dict) -> str:
    """A plan in words: "Ba'athists: take Douma, until 30 April 2021, weight 1.5"."""
    if "faction" in plan:
        name = short_name(doc, "factions", plan["faction"])
    else:
        name = short_name(doc, "sides", plan.get("side"))
    kind = next((k for k in PLAN_KINDS if k in plan), None)
    towns = plan.get(kind) if isinstance(plan.get(kind), list) else []
    text = f"{name}: {_PLAN_VERBS.get(kind, 'aim at')} {_and([str(t) for t in towns])}"
    if kind == "avoid" and plan.get("radius"):
        r = plan["radius"]
        text += f" and {r} hex{'' if r == 1 else 'es'} around"
    if "from" in plan:
        text += f", from {_date_text(plan['from'])}"
    if "until" in plan:
        text += f", until {_date_text(plan['until'])}"
    if isinstance(plan.get("weight"), (int, float)):
        text += f", weight {plan['weight']:g}"
    return text


def history_event_words(e: dict) -> str:
    """A dated event in words: "15 July 2017: The loyalists take the suburbs of Damascus"."""
    text = f"{_date_text(e.get('date'))}: {e.get('what') or '(no words yet)'}"
    return text + ("" if e.get("defining", True) else " (shown, not judged)")


__all__ = ["EditorPages", "history_event_words", "plan_words", "short_name"]
