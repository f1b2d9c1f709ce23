"""Scenario events: triggers watched during play, and the actions they carry out.

Engine layer, pure. A scenario's events (``setup["events"]``, checked by ``game.scenario``)
are data: a trigger and a list of actions. ``process_events`` runs after every command and at
the start of every turn (``phase="turn"``: only then are ``chance`` triggers rolled, with the
game's generator); each event fires once, and its id is kept in ``state.fired``. The log shows
an event by its optional ``title`` and by the news of its actions, never by its id. This is how
Iraq turns on the coalition, Assad falls and the new government takes his place, and the UK,
Canada and the US go home.
"""

from __future__ import annotations

import datetime as dt

from game.hexgrid import Hex, hex_ring
from game.movement import allowed_countries
from game.orders import PUBLIC, Event


def _spawned(state, setup: dict) -> set[str]:
    """Ids of units that have been on the map: at the start, or brought by fired events."""
    ids = {u.get("id") for u in setup.get("units", []) if u.get("id")}
    fired = set(state.fired)
    for e in setup.get("events", []):
        if e["id"] in fired:
            for a in e["actions"]:
                if a["do"] == "add_units":
                    ids |= {u.get("id") for u in a["units"] if u.get("id")}
    return ids


def _initial_owner(setup: dict, city: str) -> str | None:
    return setup.get("cities", {}).get(city)


def _holds(state, who: str | None, city: str) -> bool:
    owner = state.city_owner.get(city)
    if owner is None:
        return False
    return owner == who or state.factions[owner].side == who


def trigger_holds(state, setup: dict, trig: dict, phase: str) -> bool:
    if "date" in trig:
        return state.date >= dt.date.fromisoformat(trig["date"])
    if "turn" in trig:
        return state.turn >= trig["turn"]
    if "city_taken" in trig:
        city, by = trig["city_taken"], trig.get("by")
        if by is not None:
            return _holds(state, by, city)
        return state.city_owner.get(city) != _initial_owner(setup, city)
    if "unit_destroyed" in trig:
        uid = trig["unit_destroyed"]
        return uid not in state.units and uid in _spawned(state, setup)
    if "faction_destroyed" in trig:
        f = trig["faction_destroyed"]
        if any(u.faction == f for u in state.units.values()):
            return False
        had = {u.get("faction") for u in setup.get("units", [])}
        return f in had or any(i.startswith(f"{f}-") for i in _spawned(state, setup))
    if "losses" in trig:
        who = trig["losses"]
        total = sum(
            sum(c.values()) for f, c in state.losses.items() if f == who or state.factions[f].side == who
        )
        return total > trig["above"]
    if "chance" in trig:
        if phase != "turn" or state.turn < trig.get("from_turn", 1):
            return False
        return bool(state.rng.random() < trig["chance"])
    if "event" in trig:
        return trig["event"] in state.fired
    if "all" in trig:
        return all(trigger_holds(state, setup, t, phase) for t in trig["all"])
    if "any" in trig:
        return any(trigger_holds(state, setup, t, phase) for t in trig["any"])
    return False


def process_events(state, ctx, setup: dict, phase: str = "command") -> list:
    """Fire every event whose trigger holds now; events fired by others fire in the same pass."""
    out: list[Event] = []
    if state.over:
        return out
    changed = True
    while changed and not state.over:
        changed = False
        for e in setup.get("events", []):
            if e["id"] in state.fired:
                continue
            if not trigger_holds(state, setup, e["trigger"], phase):
                continue
            state.fired.append(e["id"])
            state.timeline.append([state.turn, "event", e["id"]])
            changed = True
            # The log's line for the event is its title; an event without one says nothing
            # itself (its actions' news, a message or a war, are its words). Code finds it by id.
            out.append(Event("event", e.get("title", ""), {"event": e["id"]}, reveals=True, news=PUBLIC))
            for a in e["actions"]:
                out += apply_action(state, ctx, setup, a)
            if state.over:
                break
    return out


def _place_free(state, ctx, unit_def: dict) -> Hex | None:
    """The unit's own hex if it may stand there, else the nearest hex it may."""
    rules, hexmap = ctx.rules, ctx.hexmap
    ut = rules.unit_type(unit_def["type"])
    faction = state.factions[unit_def["faction"]]
    allowed = allowed_countries(faction.bases)
    start = Hex(*unit_def["hex"])
    limit = rules.movement["stack_limit"]
    for radius in range(0, 12):
        for h in [start] if radius == 0 else hex_ring(start, radius):
            if not hexmap.in_bounds(h) or hexmap.terrain_at(h) not in ut.enters:
                continue
            if ut.is_ground and hexmap.country_at(h) not in allowed:
                continue
            here = state.units_at(h)
            if any(
                state.at_war_with(u.faction, faction.id) or state.side_of(u.faction) != faction.side
                for u in here
                if rules.unit_type(u.type).category == ut.category
            ):
                continue
            if ut.is_ground and sum(rules.unit_type(u.type).is_ground for u in here) >= limit:
                continue
            return h
    return None


def apply_action(state, ctx, setup: dict, a: dict) -> list:
    kind = a["do"]
    fac = state.factions.get(a.get("faction", ""))
    if kind == "message":
        state.log.append(f"Turn {state.turn}: {a['text']}")
        return [Event("message", a["text"], {}, reveals=True, news=PUBLIC)]
    if kind in ("declare_war", "make_peace"):
        pair = frozenset(a["factions"])
        names = " and ".join(state.factions[f].name for f in a["factions"])
        if kind == "declare_war":
            state.at_war.add(pair)
            return [Event("war", f"War: {names}", {"factions": a["factions"]}, reveals=True, news=PUBLIC)]
        state.at_war.discard(pair)
        return [Event("peace", f"Peace: {names}", {"factions": a["factions"]}, reveals=True, news=PUBLIC)]
    if kind == "add_units":
        placed = []
        for u in a["units"]:
            h = _place_free(state, ctx, u)
            if h is None:
                continue
            spec = dict(u, hex=[h.q, h.r])
            unit = state.make_unit(spec, ctx.hexmap, ctx.rules)
            if unit.id in state.units:
                unit.id = state.new_unit_id(unit.faction)
            unit.moves_left = ctx.rules.unit_type(unit.type).movement
            state.units[unit.id] = unit
            state.record_manpower(unit.faction, "arrived", unit.strength)
            placed.append(unit.id)
        state.units = dict(sorted(state.units.items()))
        n = len(placed)
        text = a.get("message") or f"{n} unit{'s arrive' if n != 1 else ' arrives'}"
        # The arrival is the news of the side whose units they are, and of those who see them.
        whose = state.side_of(state.units[placed[0]].faction) if placed else None
        return [
            Event("reinforcements", text, {"units": placed}, reveals=True, units=tuple(placed), side=whose)
        ]
    if kind == "withdraw":
        share = a.get("share", 1.0)
        types = set(a.get("types") or [])
        gone = 0
        for unit in list(state.units.values()):
            if unit.faction != fac.id or (types and unit.type not in types):
                continue
            ut = ctx.rules.unit_type(unit.type)
            leave = int(round(unit.personnel * share))
            if share >= 1.0 or unit.personnel - leave < ut.min_personnel:
                leave = unit.strength  # the whole unit goes home, its wounded and shaken too
                del state.units[unit.id]
            else:
                unit.personnel -= leave
            gone += leave
            state.record_manpower(fac.id, "withdrawn", leave)
            if unit.id in state.units:
                for item, n in list(unit.equipment.items()):
                    unit.equipment[item] = n - int(round(n * share))
        text = a.get("message") or f"{fac.name} withdraws {gone:,} troops"
        state.log.append(f"Turn {state.turn}: {text}")
        return [Event("withdrawal", text, {"faction": fac.id, "personnel": gone}, reveals=True, news=PUBLIC)]
    if kind == "rename_faction":
        old = fac.name
        fac.name = a["name"]
        return [Event("faction", f"{old} is now {fac.name}", {"faction": fac.id}, reveals=True, news=PUBLIC)]
    if kind == "change_side":
        fac.side = a["side"]
        return [
            Event(
                "faction",
                f"{fac.name} joins the {state.side_names.get(a['side'], a['side'])}",
                {"faction": fac.id, "side": a["side"]},
                reveals=True,
                news=PUBLIC,
            )
        ]
    if kind == "transfer_units":
        src, dst = a["from"], a["to"]
        n = 0
        for unit in state.units.values():
            if unit.faction == src:
                unit.faction = dst
                n += 1
                state.record_manpower(src, "transferred_out", unit.strength)
                state.record_manpower(dst, "transferred_in", unit.strength)
        towns = 0
        for city, owner in state.city_owner.items():
            if owner == src:
                state.city_owner[city] = dst
                state.record_taken(city, dst, src)
                towns += 1
        parts = [f"{k} {what}{'s' if k != 1 else ''}" for k, what in ((n, "unit"), (towns, "town")) if k]
        if not parts:
            return []  # nothing left to hand over: no news of it
        verb = "passes" if n + towns == 1 else "pass"
        return [
            Event(
                "faction",
                f"{' and '.join(parts)} of {state.factions[src].name} {verb} to {state.factions[dst].name}",
                {"from": src, "to": dst},
                reveals=True,
                news=PUBLIC,
            )
        ]
    if kind == "set_leaders":
        fac.leaders = list(a["leaders"])
        if "leader_bonus" in a:
            fac.leader_bonus = float(a["leader_bonus"])
        if "quality" in a:
            fac.quality = float(a["quality"])
        if "resolve" in a:
            fac.resolve = float(a["resolve"])
        return [
            Event(
                "leaders",
                f"{fac.name}: {', '.join(fac.leaders)}",
                {"faction": fac.id},
                reveals=True,
                news=PUBLIC,
            )
        ]
    if kind == "set_morale":
        ceiling = float(a["morale"])
        shaken = 0
        for u in state.units.values():
            if u.faction == fac.id and u.morale > ceiling:
                u.morale = ceiling
                shaken += 1
        if "resolve" in a:
            fac.resolve = float(a["resolve"])
        return [
            Event(
                "morale",
                f"{fac.name}: {shaken} unit{'s' if shaken != 1 else ''} shaken, morale {ceiling:.0f} at most",
                {"faction": fac.id, "units": shaken},
                reveals=True,
                news=PUBLIC,
            )
        ]
    if kind == "set_category":
        fac.category = a["category"]
        return []
    if kind == "declare_no_fly_zone":
        zone = next(z for z in setup.get("zones", []) if z["id"] == a["zone"])
        if not any(z["id"] == zone["id"] for z in state.no_fly_zones):
            state.no_fly_zones.append({k: zone[k] for k in ("id", "name", "side", "hexes")})
        return [
            Event(
                "no_fly_zone",
                f"No-fly zone declared: {zone['name']}",
                {"zone": zone["id"]},
                reveals=True,
                news=PUBLIC,
            )
        ]
    if kind == "lift_no_fly_zone":
        lifted = next((z for z in state.no_fly_zones if z["id"] == a["zone"]), None) or next(
            (z for z in setup.get("zones", []) if z["id"] == a["zone"]), None
        )
        state.no_fly_zones = [z for z in state.no_fly_zones if z["id"] != a["zone"]]
        name = lifted["name"] if lifted else "a no-fly zone"
        return [
            Event(
                "no_fly_zone", f"No-fly zone lifted: {name}", {"zone": a["zone"]}, reveals=True, news=PUBLIC
            )
        ]
    if kind == "set_supply":
        if "bases" in a:
            fac.bases = list(a["bases"])
        if "supply_crossings" in a:
            fac.supply_crossings = list(a["supply_crossings"])
        return []
    if kind == "set_control":
        if state.city_owner.get(a["city"]) != a["faction"]:
            state.record_taken(a["city"], a["faction"], state.city_owner.get(a["city"]))
        state.city_owner[a["city"]] = a["faction"]
        return [
            Event(
                "city_taken",
                f"{state.factions[a['faction']].name} takes over {ctx.hexmap.city_by_id(a['city']).name}",
                {"city": a["city"], "faction": a["faction"]},
                reveals=True,
                news=PUBLIC,
            )
        ]
    if kind == "victory":
        state.over = True
        state.winner = a["side"]
        state.result = a.get("text") or f"{state.side_names.get(a['side'])} win"
        return [Event("game_over", state.result, {"winner": a["side"]}, reveals=True, news=PUBLIC)]
    raise ValueError(f"unknown action {kind!r}")


__all__ = ["process_events", "trigger_holds", "apply_action"]
