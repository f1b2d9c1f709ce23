"""A side's aims on a given date: its victory conditions as its plans shape them.

Engine layer, pure. The AI player asks each turn what its side is after:

* the towns its victory conditions name;
* the towns its scenario's ``[[plans]]`` (``game.scenario.plans``) ask it to take or hold now,
  each worth its plan's weight (a faction's own plan draws only that faction's units);
* the towns a plan asks it to take only later: it closes on them but does not assault them
  until then;
* for each of its factions, the hexes a plan asks that faction to keep out of: it neither
  enters nor attacks them, nor makes for them.

Plans are the side's own intentions: no other side knows them, only its victory conditions,
which are public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from game.hexgrid import hex_range

ALL = ""  # key of ``Aims.avoid`` for hexes every faction of the side keeps out of


@dataclass
class Aims:
    goals: list[dict]  # victory conditions' shape: {side, kind, cities, weight}
    avoid: dict[str, frozenset] = field(default_factory=dict)  # faction (or ALL) -> hexes
    later: frozenset = frozenset()  # town ids a plan asks the side to take only later
    hold_off: frozenset = frozenset()  # their hexes, while another side holds them
    plans: list[dict] = field(default_factory=list)  # the side's plans in force
    # A faction's own take and hold plans: they draw its units only, not the whole side's.
    pulls: dict[str, list] = field(default_factory=dict)

    def avoids(self, faction: str, h) -> bool:
        """Whether a unit of ``faction`` should keep out of hex ``h`` (and not attack it)."""
        return h in self.hold_off or h in self.avoid.get(ALL, ()) or h in self.avoid.get(faction, ())


def _owner_side(plan: dict, factions) -> str | None:
    if plan.get("side") is not None:
        return plan["side"]
    f = factions.get(plan.get("faction"))
    return None if f is None else f[1]


def _in_force(plan: dict, date: dt.date) -> bool:
    start, until = plan.get("from"), plan.get("until")
    return (start is None or dt.date.fromisoformat(start) <= date) and (
        until is None or date <= dt.date.fromisoformat(until)
    )


def aims_for(side: str, victory: list[dict], plans: list[dict], view, hexmap) -> Aims:
    """The side's aims on ``view.date``; ``view.factions`` says which side each faction is on
    now (factions change sides during a war)."""
    mine = [p for p in plans if _owner_side(p, view.factions) == side]
    now = [p for p in mine if _in_force(p, view.date)]
    later = frozenset(
        c
        for p in mine
        if p["kind"] == "take" and p.get("from") and dt.date.fromisoformat(p["from"]) > view.date
        for c in p["cities"]
    )
    # A town to take only later keeps its pull (the side closes on it) but is not assaulted.
    goals = list(victory)
    pulls: dict[str, list] = {}
    for p in now:
        if p["kind"] in ("take", "hold") and p["weight"] > 0:
            goal = {
                "side": side,
                "kind": p["kind"],
                "cities": list(p["cities"]),
                "weight": p["weight"],
                "plan": True,
            }
            if p.get("faction") is not None:
                pulls.setdefault(p["faction"], []).append(goal)  # that faction's units only
            else:
                goals.append(goal)
    avoid: dict[str, set] = {}
    for p in now:
        if p["kind"] != "avoid":
            continue
        key = ALL if p.get("side") is not None else p["faction"]
        hexes = avoid.setdefault(key, set())
        for cid in p["cities"]:
            hexes.update(hex_range(hexmap.city_by_id(cid).hex, p.get("radius", 0)))
    # A town to take later is not assaulted or entered yet by anyone of the side (one it holds
    # already it keeps and garrisons as any other).
    hold_off = frozenset(
        hexmap.city_by_id(c).hex
        for c in later
        if view.city_owner.get(c) is None or view.side_of(view.city_owner[c]) != side
    )
    return Aims(
        goals=goals,
        avoid={k: frozenset(v) for k, v in avoid.items()},
        later=later,
        hold_off=hold_off,
        plans=now,
        pulls=pulls,
    )
