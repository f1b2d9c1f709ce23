"""The start of a side's turn: fresh movement, supply traced, attrition and recovery.

Engine layer, pure: called by ``EndTurn`` for the side that is to move next (and once for the
first side when a game starts). Supply is traced for all the side's factions at once
(``game.supply``); a unit in supply recovers morale, less when it stands next to the enemy;
a unit out of supply recovers nothing, loses morale, and after
``attrition_after`` turns starts to lose people, counted in the casualty ledger as attrition.
People a fight or a strike put out of the fight come back here (``combat.toml [recovery]``):
the shaken rally, most of them in supply out of contact, fewer under fire, few cut off; the
wounded return week by week while the unit is supplied, and some are lost to the war.
A ground unit whose morale is broken and which stands next to an enemy panics before it can
recover: a share of its people desert (counted as deserted) and the rest fall back a hex, away
from the enemy, if there is a way; it recovers no morale that turn.
"""

from __future__ import annotations

import math

from game.air import expire_air_tasks
from game.combat import combat_params, retreat_path
from game.hexmap import HexMap
from game.movement import map_graph
from game.orders import OWN, Event, unit_name
from game.rules import Rules
from game.state import GameState
from game.supply import supply_maps


def _in_contact(state: GameState, rules: Rules, side: str) -> set:
    """Hexes next to a ground unit at war with one of the side's factions."""
    mine = [f for f, fac in state.factions.items() if fac.side == side]
    out: set = set()
    for u in state.units.values():
        if rules.unit_types[u.type].is_ground and any(state.at_war_with(f, u.faction) for f in mine):
            out.update(u.hex.neighbors())
    return out


def begin_side_turn(state: GameState, hexmap: HexMap, rules: Rules, side: str) -> list:
    expire_air_tasks(state, side)
    graph = map_graph(hexmap)
    p = combat_params(rules)
    weeks = state.turn_days / 7.0
    back_share = 1.0 - (1.0 - p.wounded_return_week) ** weeks
    lost_share = 1.0 - (1.0 - p.wounded_lost_week) ** weeks
    sup = rules.supply
    factions = sorted(f for f, fac in state.factions.items() if fac.side == side)
    supplied = supply_maps(state, hexmap, rules, factions)
    events = _panic(state, hexmap, rules, side)
    panicked = set(events[0].data["units"]) if events else set()
    contact = _in_contact(state, rules, side)
    cut_off = []
    for unit in list(state.units.values()):
        if unit.faction not in supplied:
            continue
        ut = rules.unit_type(unit.type)
        unit.moves_left = ut.movement
        unit.attacked = False
        if not ut.is_ground:
            unit.supplied = True
            unit.turns_unsupplied = 0
            continue
        unit.supplied = bool(supplied[unit.faction][graph.index(unit.hex)])
        if unit.shaken or unit.wounded:
            _recover(state, unit, p, unit.hex in contact, unit.id in panicked, back_share, lost_share)
        if unit.supplied:
            unit.turns_unsupplied = 0
            if unit.id not in panicked:
                gain = sup["recovery_contact"] if unit.hex in contact else sup["recovery_morale"]
                # Rest brings a unit back to its faction's resolve, no higher: morale above it
                # (the start's, or a victory's) is kept, not topped up.
                ceiling = min(100.0, state.factions[unit.faction].resolve)
                if unit.morale < ceiling:
                    unit.morale = min(ceiling, unit.morale + gain)
            continue
        unit.turns_unsupplied += 1
        unit.morale = max(0.0, unit.morale - sup["morale_loss"])
        cut_off.append(unit.id)
        if unit.turns_unsupplied > sup["attrition_after"]:
            lost = max(1, int(round(unit.personnel * sup["attrition_rate"])))
            lost = min(lost, unit.personnel)
            unit.personnel -= lost
            state.record_loss(unit.faction, "attrition", lost)
            if unit.personnel + unit.shaken < ut.min_personnel:
                state.remove_unit(unit, "dissolved")
                events.append(
                    Event(
                        "dissolved",
                        f"{unit_name(unit, state)}, cut off, has melted away",
                        {"unit": unit.id},
                        reveals=True,
                        units=(unit.id,),
                        hexes=(unit.hex,),
                        side=side,
                    )
                )
    if cut_off:
        events.append(
            Event(
                "out_of_supply",
                f"{len(cut_off)} unit{'s' if len(cut_off) > 1 else ''} out of supply",
                {"units": cut_off},
                units=tuple(cut_off),
                side=side,
                news=OWN,
            )
        )
    return events


def _recover(
    state: GameState, unit, p, contact: bool, panicked: bool, back_share: float, lost_share: float
) -> None:
    """The shaken rally and the wounded come back (or are lost to the war) at the start of the
    unit's turn; ``unit.supplied`` is already traced."""
    if unit.shaken:
        rate = (
            0.0
            if panicked
            else p.rally_unsupplied
            if not unit.supplied
            else p.rally_contact
            if contact
            else p.rally
        )
        back = min(unit.shaken, math.ceil(unit.shaken * rate - 1e-9))
        unit.shaken -= back
        unit.personnel += back
        state.record_manpower(unit.faction, "rallied", back)
    if unit.wounded:
        lost = int(unit.wounded * lost_share)
        back = min(unit.wounded - lost, math.ceil(unit.wounded * back_share - 1e-9)) if unit.supplied else 0
        unit.wounded -= lost + back
        unit.personnel += back
        state.record_loss(unit.faction, "wounded", lost)
        state.record_manpower(unit.faction, "returned", back)


def _panic(state: GameState, hexmap: HexMap, rules: Rules, side: str) -> list:
    """Broken ground units of ``side`` in contact with the enemy desert in part and fall back."""
    share = rules.supply["panic_desertion"]
    if share <= 0:
        return []
    broken = combat_params(rules).broken_morale
    units = rules.unit_types
    mine = [
        u
        for u in state.units.values()
        if state.side_of(u.faction) == side and units[u.type].is_ground and u.morale < broken
    ]
    if not mine:
        return []
    ground = [u for u in state.units.values() if units[u.type].is_ground]
    panicked, lines = [], []
    for unit in sorted(mine, key=lambda u: u.id):
        foes = [
            u.hex
            for u in ground
            if u.hex.distance(unit.hex) == 1 and state.at_war_with(unit.faction, u.faction)
        ]
        if not foes:
            continue
        rate = share if not unit.supplied else rules.supply["panic_desertion_supplied"]
        gone = min(unit.personnel, max(1, int(round(unit.personnel * rate))))
        ut = units[unit.type]
        if unit.personnel - gone < ut.min_personnel:
            gone = state.remove_unit(unit, "deserted")
            lines.append(f"{unit_name(unit, state)} breaks up: {gone:,} desert")
            panicked.append(unit.id)
            continue
        state.lose_people(unit, gone)
        state.record_loss(unit.faction, "deserted", gone)
        near = [u for u in ground if u.id in state.units and u.hex.distance(unit.hex) <= 3]
        path = retreat_path(state, hexmap, rules, unit, 1, foes, near, {})
        if path is not None:
            unit.hex = path[-1]
            unit.entrenchment = 0
            lines.append(f"{unit_name(unit, state)} panics: {gone:,} desert and the rest fall back")
        else:
            lines.append(f"{unit_name(unit, state)} panics: {gone:,} desert")
        panicked.append(unit.id)
    if not panicked:
        return []
    # The side's own news; another side is told of the units it sees (``lines``, one a unit).
    return [
        Event(
            "panic",
            "; ".join(lines),
            {"units": panicked, "lines": lines},
            reveals=True,
            units=tuple(panicked),
            side=side,
            lines=tuple(lines),
        )
    ]
