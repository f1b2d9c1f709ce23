"""What the battle screen's unit panel and tooltip say, as rows of (text, font, colour).

UI layer (pygame fonts only). The rows are worked out from the scene's orders and what its
viewer may know (``scene.known``, its ``SideView``); places are named as a player names them
(``game.hexmap.place_name``), units by their names, never by an id or a coordinate.
"""

from __future__ import annotations

import math

from game.air import (MISSION_NAMES, AirMission, air_defence_of, air_range, chance_words,
                     combat_aircraft, shot_down_chance, zones_at)
from game.commands import Command, unit_name
from game.hexmap import TERRAIN_LABELS, TERRAINS, place_name
from game.ui.battle_ai import RESULT_WORDS
from game.ui.counters import whole_strength
from game.ui.style import BAD, BRASS, GOOD, INK, MUTED
from game.victory import describe

Row = tuple  # (text, font, colour); ("", None, None) is a gap


def info_rows(sc) -> list[Row]:
    """The unit panel: the selected unit, the order being prepared, else the hovered hex or
    the side's forces and aims."""
    f = sc.fonts
    o = sc.orders
    rows: list[Row] = []
    known, rules = sc.known, sc.rules
    u = o.unit(o.selected)
    if u is not None:
        ut = rules.unit_type(u.type)
        fac = known.factions[u.faction]
        rows.append((unit_name(u, known), f.head, BRASS))
        rows.append((f"{ut.name} \u00b7 {fac.name}", f.body, INK))
        rows += strength_rows(sc, u)
        for item, n in sorted(u.equipment.items()):
            rows.append((f"   {item}: {n:,}", f.small, MUTED))
        rows.append((f"Supply: {'in supply' if u.supplied else 'CUT OFF'}"
                     + (f" ({u.turns_unsupplied} turn{'s' if u.turns_unsupplied != 1 else ''})"
                        if u.turns_unsupplied else ""),
                     f.body, GOOD if u.supplied else BAD))
        rows.append((f"Morale {u.morale:.0f} \u00b7 experience {u.experience:.0f} \u00b7 "
                     f"dug in {u.entrenchment}", f.body, INK))
        rows.append((f"Moves left {u.moves_left:g} of {ut.movement:g}"
                     + (" \u00b7 has attacked" if u.attacked else "")
                     + (" \u00b7 holds this turn" if u.id in sc.holding else ""), f.body, INK))
        if ut.category == "air":
            rows.append((f"Range {air_range(rules, u)} hexes \u00b7 mission: "
                         f"{MISSION_NAMES[o.mission]} (1 strike, 2 support, 3 patrol)",
                         f.small, MUTED))
        if len(o.attackers) > 1:
            names = [unit_name(known.unit(a), known) for a in o.attackers if known.unit(a)]
            rows.append((f"Attacking together: {', '.join(names)}", f.small, BRASS))
        rows.append(("", None, None))
    rows += preview_rows(sc)
    if sc.hover is not None and o.preview is None:
        rows += hex_rows(sc, sc.hover)
    elif u is None:
        rows += overview_rows(sc)
    return rows


def strength_rows(sc, u) -> list[Row]:
    """A unit's people in the unit panel. One's own: those fit to fight of its whole strength,
    the wounded and shaken out of the fight, its dead so far. Another side's: about how many
    fit of about how many, as far as can be judged from outside."""
    f = sc.fonts
    whole, full = whole_strength(u), sc.full_strength(u)
    most = f" ({full:,} at its most)" if full > whole else ""
    if u.wounded is None:  # not the viewer's: no count of its wounded, shaken or dead
        fit = (f"about {u.personnel:,} fit of about {whole:,}" if whole > u.personnel
               else f"about {whole:,}")
        return [(f"Strength: {fit}{most}", f.body, INK)]
    fit = f"{u.personnel:,} of {whole:,}" if whole > u.personnel else f"all {whole:,}"
    rows: list[Row] = [(f"Fit to fight: {fit}{most}", f.body, INK)]
    if u.wounded or u.shaken:
        rows.append((f"Out of the fight: {u.wounded:,} wounded, {u.shaken:,} shaken",
                     f.body, BRASS))
        rows.append(("The shaken rally in a turn or two, faster out of contact; most "
                     "wounded return over weeks while in supply.", f.small, MUTED))
    if u.killed:
        rows.append((f"Killed so far: {u.killed:,}", f.body, INK))
    return rows


def people_words(u, enemy: bool) -> str:
    """A unit's people in a line of the tooltip: those fit to fight, and of how many when
    some are wounded or shaken (another side's rounded, as it is seen)."""
    about = "~" if enemy else ""
    whole = whole_strength(u)
    if whole > u.personnel:
        return f"{about}{u.personnel:,} fit of {about}{whole:,}"
    return f"{about}{whole:,}"


def overview_rows(sc) -> list[Row]:
    """With nothing selected or pointed at: the side's forces and the aims of the game."""
    f = sc.fonts
    known = sc.known
    rows: list[Row] = []
    if sc.orders.my_turn():
        n = sc.idle_count()
        rows.append(("Your turn", f.head, BRASS))
        rows.append(("Click one of your units to give it orders; Tab picks the next one "
                     "that can move. E ends the turn. F1: the keys and the legend.", f.body, MUTED))
        if n:
            rows.append((f"{n} unit{'s' if n != 1 else ''} can still act.", f.body, INK))
        rows.append(("", None, None))
    sides = [sc.viewer] if sc.viewer else list(known.sides)
    for side in sides:
        units = known.units_of_side(side)
        towns = sum(1 for c, o in known.city_owner.items()
                    if o is not None and known.side_of(o) == side)
        rows.append((sc.session.side_name(side), f.head, sc.side_colour(side)))
        fit, whole = sum(u.personnel for u in units), sum(whole_strength(u) for u in units)
        rows.append((f"{len(units)} units, {whole:,} personnel"
                     + (f" ({fit:,} fit to fight)" if whole > fit else "")
                     + f", {towns} towns", f.body, INK))
        for cond in known.victory:
            if cond.get("side") == side:
                rows.append((f"Aim: {describe(known, cond, known.side_names)}", f.small, MUTED))
    turned = sc.session.what_ifs()
    if turned:
        rows.append(("", None, None))
        rows.append(("A what-if, not history", f.head, BRASS))
        rows += [(f"\u2022 {o.title}", f.body, INK) for o in turned]
    return rows


def preview_rows(sc) -> list[Row]:
    f = sc.fonts
    o = sc.orders
    p = o.preview
    if p is None or o.target is None:
        return []
    rows: list[Row] = []
    if isinstance(p, Command):  # an air or naval mission
        rows += mission_rows(sc, p)
        rows.append(("", None, None))
        return rows
    rows.append((f"Attack on {place_name(sc.hexmap, o.target)} at {p.odds}  "
                 f"(ratio {p.ratio:.2f})", f.head, BRASS))
    rows.append(("An estimate from what your side sees: the enemy's strength as seen, "
                 "its morale and supply taken as average.", f.small, MUTED))
    if p.problems:
        rows += [(x, f.body, BAD) for x in p.problems]
    elif p.outcomes.get("repulsed", 0) >= 0.75:
        rows.append(("Most likely thrown back: add units (Shift+click), artillery or air "
                     "support first.", f.body, BAD))
    rows.append(("Out of the fight (killed, wounded or shaken):", f.small, MUTED))
    rows.append((f"Yours {_spread(p.attacker_loss)}, of them ~{_round(p.attacker_killed.mean)} "
                 f"killed", f.body, INK))
    rows.append((f"Theirs {_spread(p.defender_loss)}, of them ~{_round(p.defender_killed.mean)} "
                 f"killed", f.body, INK))
    if p.civilians.mean >= 1:
        rows.append((f"Civilians: ~{_round(p.civilians.mean)}", f.body, INK))
    if p.outcomes:
        rows.append((", ".join(f"{RESULT_WORDS.get(k, k).lower()} {_chance(v)}"
                               for k, v in p.outcomes.items() if v > 0), f.small, MUTED))
    if p.stood > 0:  # the siege goes on: where they would fall back they stand, battered
        rows.append((f"Held includes {_chance(p.stood)} where they hold on but their works "
                     f"are battered.", f.small, BRASS))
    if p.stands:
        rows.append(("Dug in in a town with a way back: only a rout drives them out. Grind "
                     "them down, cut them off or break their morale.", f.small, MUTED))
    for fac in p.factors[:8]:
        whose = "yours" if fac.side == "attacker" else "theirs"
        rows.append((f"   {fac.label}: x{fac.multiplier:.2f} ({whose}, "
                     f"{fac.shift:+.1f} col)", f.small, MUTED))
    if not p.problems:
        rows.append(("Click the target again or Enter to attack; Shift+click adds units.",
                     f.body, GOOD))
    rows.append(("", None, None))
    return rows


def _round(x: float) -> str:
    """An estimate to two figures (1,022 as 1,000, 179 as 180): no more is known."""
    n = int(round(x))
    if n >= 100:
        n = int(round(n, 2 - len(str(n))))
    return f"{n:,}"


def _spread(s) -> str:
    """An estimate as the odds sheet gives it: ~mean (p10-p90)."""
    return f"~{_round(s.mean)} ({_round(s.p10)}-{_round(s.p90)})"


def _chance(x: float) -> str:
    return "under 1%" if 0 < x < 0.005 else f"{x:.0%}"


def mission_rows(sc, cmd) -> list[Row]:
    """An air or naval mission before it flies: who, how many aircraft or ships, what is seen
    on the target, and the air defence and no-fly zones the side knows of there."""
    f, st, h = sc.fonts, sc.known, sc.orders.target
    problems = sc.session.check(cmd)
    unit = st.unit(cmd.wing if isinstance(cmd, AirMission) else cmd.group)
    name = unit_name(unit, st) if unit is not None else "the unit"
    where = place_name(sc.hexmap, h)
    if isinstance(cmd, AirMission):
        what = MISSION_NAMES.get(cmd.mission, cmd.mission).capitalize()
        n = combat_aircraft(unit) if unit is not None else 0
        force = f"{n} combat aircraft of {name}"
    else:
        what, force = "Naval strike", f"the warships of {name}"
    rows: list[Row] = [(f"{what} on {where}", f.head, BRASS), (f"By {force}", f.body, INK)]
    for u in sc.stacks.get(h, []):
        if st.side_of(u.faction) != sc.viewer:
            ut = sc.rules.unit_type(u.type)
            rows.append((f"Target: {unit_name(u, st)}, {ut.name.lower()}, "
                         f"{st.factions[u.faction].name}, {people_words(u, True)}",
                         f.body, INK))
    if unit is not None:
        guns = []
        for u in sc.seen:
            ut = sc.rules.unit_type(u.type)
            if ut.category != "air" and ut.air_defence > 0 and u.personnel > 0 \
                    and st.at_war_with(u.faction, unit.faction) \
                    and u.hex.distance(h) <= ut.air_defence_range:
                guns.append(unit_name(u, st))
        rows.append((("Air defence seen in reach: " + ", ".join(guns[:4])
                      + (f" and {len(guns) - 4} more" if len(guns) > 4 else ""))
                     if guns else "No air defence seen in reach (there may be some unseen)",
                     f.small, BAD if guns else MUTED))
        if guns and isinstance(cmd, AirMission):
            # the rule's own odds, from the guns seen (their quality unknown: taken as 1)
            strength, _ = air_defence_of(sc.rules, [u for u in sc.seen if st.at_war_with(
                u.faction, unit.faction)], h)
            p = shot_down_chance(sc.rules, strength, st.own_factions[unit.faction]["quality"])
            lost = f" (about {n * p:.1f} of the {n} lost)" if n * p >= 0.05 else ""
            rows.append((f"Each aircraft risks being shot down: {chance_words(p)}{lost}",
                         f.small, BAD if p >= 0.01 else MUTED))
        for z in zones_at(st, h):
            if st.side_of(unit.faction) != z["side"]:
                rows.append((f"Inside the no-fly zone {z['name']}, enforced by "
                             f"{sc.session.side_name(z['side'])}: expect fighters",
                             f.small, BAD))
    if problems:
        rows += [(x, f.body, BAD) for x in problems]
    else:
        rows.append(("Click the target again or press Enter to fly it; air defence and "
                     "fighters there may shoot some down.", f.body, GOOD))
    return rows


def hex_rows(sc, h) -> list[Row]:
    """The hovered hex in the unit panel: its place, who holds it, the units seen there."""
    f = sc.fonts
    rows: list[Row] = [(place_name(sc.hexmap, h), f.head, BRASS), (sc.describe_hex(h), f.body, INK)]
    rows += _holder_and_units(sc, h, f.small)
    return rows


def _holder_and_units(sc, h, fnt) -> list[Row]:
    st = sc.known
    rows: list[Row] = []
    city = sc.hexmap.city_at(h)
    if city is not None:
        owner = st.city_owner.get(city.id)
        rows.append((f"{city.name}: held by {st.factions[owner].name if owner else 'nobody'}",
                     fnt, INK))
    if not sc.sees(h):
        rows.append(("Not seen by your side", fnt, MUTED))
    for u in sc.stacks.get(h, []):
        ut = sc.rules.unit_type(u.type)
        fac = st.factions[u.faction].name
        enemy = sc.viewer is not None and st.side_of(u.faction) != sc.viewer
        rows.append((f"{unit_name(u, st)}: {ut.name.lower()}, {fac}, "
                     f"{people_words(u, not u.own)}", fnt, BAD if enemy else INK))
    return rows


def tooltip_rows(sc, h) -> list[Row]:
    """The tooltip over a hex: terrain, the cost to enter it and its defence for the selected
    unit, river and road, who holds it, the units seen there."""
    f = sc.fonts
    hm = sc.hexmap
    d = hm.describe_hex(h)
    terrain_id = d["terrain"]
    rows: list[Row] = [(place_name(hm, h), f.bold, BRASS)]
    terrain = TERRAIN_LABELS.get(terrain_id, terrain_id)
    ground = terrain if terrain_id in ("sea", "lake") else f"{terrain}, {d['elevation_m']} m"
    rows.append((f"{ground} \u00b7 {d['country'] or 'no country'}", f.small, INK))
    rivers = sorted({r["river"] for r in d["rivers"]})
    if rivers:
        rows.append((f"River: {', '.join(rivers)} (crossing costs more, and defends)",
                     f.small, INK))
    if d["roads"]:
        rows.append(("Road: moves along it cost little", f.small, INK))
    if d["crossing"]:
        rows.append((f"Border crossing: {d['crossing']}", f.small, INK))
    te = sc.rules.terrain[TERRAINS.index(terrain_id)] if terrain_id in TERRAINS else None
    u = sc.orders.unit(sc.orders.selected)
    if te is not None:
        defence = f"defence x{te.defence:g}"
        if u is not None and sc.rules.unit_type(u.type).is_ground:
            ut = sc.rules.unit_type(u.type)
            cost = te.cost.get(ut.move_class, math.inf)
            reach = sc.orders.range.get(h)
            enter = "cannot enter" if not math.isfinite(cost) else f"costs {cost:g} MP to enter"
            there = f"; reached for {reach:g} MP" if reach is not None else ""
            rows.append((f"For {unit_name(u, sc.known)}: {enter}{there}, {defence}", f.small, GOOD))
        else:
            rows.append((f"Ground: {defence} for the unit holding it", f.small, MUTED))
    rows += _holder_and_units(sc, h, f.small)
    return rows


__all__ = ["hex_rows", "info_rows", "mission_rows", "overview_rows", "people_words",
           "preview_rows", "strength_rows", "tooltip_rows"]
