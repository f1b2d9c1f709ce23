"""Reading a scenario's ``[[plans]]``: the aims its computer players pursue, with their dates.

Engine layer. A plan belongs to a faction or to a side and does one thing: ``take`` towns,
``hold`` towns, or ``avoid`` towns (and, with ``radius``, the hexes around them). ``from`` and
``until`` bound it in time; ``weight`` says how much it counts beside a town a victory condition
names. The AI reads them (``game.ai.aims``); nothing else in the rules does: a plan is what a
side means to do, not what it must do to win.
"""

from __future__ import annotations

import datetime as dt

from game.scenario import schema

KINDS = ("take", "hold", "avoid")


def read_plans(b) -> list[dict]:
    """The checked plans of the builder's file, for ``setup["plans"]``: each ``{"faction"`` or
    ``"side"``, ``"kind"``, ``"cities"`` (ids), ``"radius"``, ``"from"``, ``"until"`` (ISO
    dates or None), ``"weight"``, ``"text"}``. Problems go to the builder."""
    out = []
    for i, t in enumerate(b.array(b.data, "plans", "plans")):
        p = f"plans[{i}]"
        b.fields(t, schema.PLAN.names, p)
        plan: dict = {}
        owner = [k for k in ("faction", "side") if k in t]
        if len(owner) != 1:
            b.bad(
                p,
                "give a faction or a side, not both" if owner else "whose plan is it?",
                'faction = "assad" or side = "baathist"',
            )
            continue
        key = owner[0]
        if not b.ref(t[key], b.factions if key == "faction" else b.sides, f"{p}.{key}", key):
            continue
        plan[key] = t[key]
        kinds = [k for k in KINDS if k in t]
        if len(kinds) != 1:
            b.bad(
                p,
                "give one of take, hold and avoid"
                if not kinds
                else f"give one of take, hold and avoid, not {' and '.join(kinds)}",
                'take = ["Douma"] (a second aim is a second [[plans]] table)',
            )
            continue
        kind = kinds[0]
        towns = b.get(t, kind, p, list, default=None)
        if towns is None:
            continue
        cities = [c for j, name in enumerate(towns) if (c := b.city(name, f"{p}.{kind}[{j}]"))]
        if not towns:
            b.bad(f"{p}.{kind}", "lists no towns", f'{kind} = ["Mosul"]')
        if len(cities) != len(towns):
            continue
        radius = b.number(t, schema.PLAN, "radius", p, default=0)
        if "radius" in t and kind != "avoid":
            b.bad(f"{p}.radius", "only an avoid plan has a radius", "drop it, or make the plan avoid")
        start = b.get(t, "from", p, dt.date, required=False)
        until = b.get(t, "until", p, dt.date, required=False)
        for name, d in (("from", start), ("until", until)):
            if d is not None and not b.start <= d <= b.end:
                b.bad(
                    f"{p}.{name}",
                    f"{d} is outside the scenario ({b.start} to {b.end})",
                    "a date the game reaches",
                )
        if start is not None and until is not None and until < start:
            b.bad(f"{p}.until", f"ends {until} before it begins {start}", "until must be after from")
        weight = b.number(t, schema.PLAN, "weight", p, default=1.0)
        text = b.get(t, "text", p, str, required=False, default="")
        plan.update(
            kind=kind,
            cities=cities,
            radius=int(radius or 0),
            **{"from": start.isoformat() if start else None, "until": until.isoformat() if until else None},
            weight=float(1.0 if weight is None else weight),
            text=text or "",
        )
        out.append(plan)
    return out
