"""Air and naval warfare: bases and ranges, missions, air defence, interception, no-fly zones.

Engine layer, pure and deterministic: state, map and rules in; the one random generator of the
game (``state.rng``) for every roll; the figures in ``game/rules/air.toml`` (``rules.air``,
checked when the rules load).
Importing this module registers its commands (``air_mission``, ``naval_strike``,
``declare_no_fly_zone``, ``lift_no_fly_zone``) with ``game.commands``.

The model, in the order a mission is flown (``AirMission``):

1. **Base and range.** A wing stands at a base: a town held by its side, any hex of its
   faction's base countries, or a carrier (a sea hex with a naval group of its side). It
   reaches its type's movement in hexes, stretched by its other aircraft (tankers, AWACS) in
   proportion to their share of the wing (``air_range``). It flies one mission a turn: the
   mission spends its ``moves_left``, which the start of its side's turn restores.
2. **Interception.** Fighters of the sides at war with the wing's faction meet it first if the
   target lies within a standing patrol's radius, or inside a no-fly zone those sides enforce
   (then also the enforcers' patrols over the zone, and every enforcing wing that stayed on the
   ground in its last turn, is at a base and reaches the target, with ``alert_share`` of its
   aircraft). Air combat is a Lanchester square exchange scaled by quality and the defender's
   advantage, drawn as two binomials (``air_combat``).
3. **Air defence.** Every enemy ground unit and naval group whose ``air_defence_range``
   reaches the target fires at the aircraft that got through (``air_defence_in_reach``); each
   is shot down with a capped probability from the strength in reach (``shot_down_chance``,
   a binomial draw), which the log shows beside the aircraft lost.
4. **The mission.** A strike kills soldiers, destroys equipment and, in towns, civilians
   (``strike``); close air support is left as a task the side's attacks on that hex use this
   turn (``game.combat.cas_aircraft`` counts it); a patrol is left as a task that intercepts
   hostile missions until the side's next turn.

Every aircraft lost is counted: ``equipment_lost[faction]["combat aircraft"]``, aircrew killed
as ``losses[faction]["air"]`` and taken from the wing's personnel. A wing left with no combat
aircraft is withdrawn (its ground crew is not counted as lost). Naval groups strike land hexes
near their sea hex (``NavalStrike``) and cannot be hit by anything yet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from game.hexgrid import Hex
from game.hexmap import HexMap, MapError, place, place_name
from game.orders import PUBLIC, Command, Context, Event, own_unit, unit_name
from game.rules import Rules, largest_remainders
from game.scenario.schema import NO_FLY_ZONE
from game.state import GameState, Unit
from game.visibility import visible_units
from game.zones import expand_zone, zone_from_setup

MISSIONS = ("strike", "cas", "patrol")
MISSION_NAMES = {"strike": "strike", "cas": "close air support", "patrol": "patrol"}
COMBAT = "combat aircraft"
OTHER = "other aircraft"
WARSHIPS = "warships"
CREW_CAUSE = "air"  # aircrew killed when their aircraft is shot down
STRIKE_CAUSE = "air strikes"
NAVAL_CAUSE = "naval strikes"
DISSOLVED_CAUSE = "dissolved"

# -- wings, bases and range -------------------------------------------------------------------


def is_air_wing(rules: Rules, unit: Unit) -> bool:
    return rules.unit_type(unit.type).category == "air"


def is_naval(rules: Rules, unit: Unit) -> bool:
    return rules.unit_type(unit.type).category == "naval"


def combat_aircraft(unit: Unit) -> int:
    return int(unit.equipment.get(COMBAT, 0))


def air_range(rules: Rules, unit: Unit) -> int:
    """Hexes a wing reaches from its base: its type's movement, stretched by its tankers."""
    fig = rules.air.range
    combat, other = combat_aircraft(unit), int(unit.equipment.get(OTHER, 0))
    share = other / (combat + other) if combat + other else 0.0
    stretch = 1.0 + fig.tanker_factor * min(share, fig.tanker_share_cap)
    return int(math.floor(rules.unit_type(unit.type).movement * stretch + 1e-9))


def is_air_base(state: GameState, hexmap: HexMap, rules: Rules, faction: str, h: Hex) -> bool:
    """Whether a wing of ``faction`` may be based on ``h``: a town its side holds, a country
    the faction has bases in, or a hex of sea with a naval group of its side (a carrier)."""
    side = state.side_of(faction)
    city = hexmap.city_at(h)
    if city is not None:
        owner = state.city_owner.get(city.id)
        if owner is not None and state.side_of(owner) == side:
            return True
    if hexmap.country_at(h) in state.factions[faction].bases:
        return True
    return hexmap.terrain_at(h) == "sea" and any(
        is_naval(rules, u) and state.side_of(u.faction) == side for u in state.units_at(h)
    )


def base_problem(state: GameState, hexmap: HexMap, rules: Rules, unit: Unit) -> str | None:
    """Why the wing's hex is not an air base, or None if it is one."""
    if is_air_base(state, hexmap, rules, unit.faction, unit.hex):
        return None
    return (
        f"{unit_name(unit, state)} is not at an air base: rebase it to a town your side holds, "
        f"a country {state.factions[unit.faction].name} has bases in, or a carrier of your side"
    )


# -- no-fly zones -----------------------------------------------------------------------------


def zones_at(state: GameState, h: Hex) -> list[dict]:
    """The no-fly zones in force over a hex, in the order they were declared."""
    return [z for z in state.no_fly_zones if [h.q, h.r] in z["hexes"]]


def declare_zone(state: GameState, zone: dict) -> None:
    """Put a zone in force (a command or a scenario event); replaces one with the same id."""
    state.no_fly_zones = [z for z in state.no_fly_zones if z["id"] != zone["id"]] + [dict(zone)]


def lift_zone(state: GameState, zone_id: str) -> bool:
    """End a zone; False if no zone has that id."""
    before = len(state.no_fly_zones)
    state.no_fly_zones = [z for z in state.no_fly_zones if z["id"] != zone_id]
    return len(state.no_fly_zones) < before


# -- tasks ------------------------------------------------------------------------------------


def expire_air_tasks(state: GameState, side: str) -> None:
    """At the start of a side's turn its close air support and patrols of last turn end."""
    for wid in [w for w, t in state.air_tasks.items() if t.get("side") == side]:
        del state.air_tasks[wid]


# -- who fights the aircraft ------------------------------------------------------------------


def hostile_to_side(state: GameState, faction: str, side: str) -> bool:
    """Whether a faction is at war with any faction of the side (the side defends its sky)."""
    return any(f.side == side and state.at_war_with(f.id, faction) for f in state.factions.values())


def air_defence_of(rules: Rules, units, h: Hex, quality=None) -> tuple[float, list[str]]:
    """Strength of the fire of ``units`` that reaches a hex, and whose fire it is.

    ``units`` are the aircraft's enemies: the game's own units, or those a side sees when it
    weighs a mission (anything with ``id``, ``type``, ``faction``, ``hex`` and ``personnel``).
    Each ground unit and naval group whose ``air_defence_range`` reaches the hex (0: its own
    hex only) adds air_defence x personnel / 1,000 x ``quality(faction)`` (1 without it: a
    side does not know its enemies' quality).
    """
    strength, who = 0.0, []
    for u in units:
        ut = rules.unit_type(u.type)
        if ut.category == "air" or ut.air_defence <= 0 or u.personnel <= 0:
            continue
        if u.hex.distance(h) > ut.air_defence_range:
            continue
        strength += (
            ut.air_defence * u.personnel / 1000.0 * (quality(u.faction) if quality is not None else 1.0)
        )
        who.append(u.id)
    return strength, who


def air_defence_in_reach(state: GameState, rules: Rules, faction: str, h: Hex) -> tuple[float, list[str]]:
    """Strength of the air defence that fires at the faction's aircraft over a hex, and who:
    every ground unit and naval group at war with the faction that reaches it (``air_defence_of``)."""
    enemies = [u for u in state.units.values() if state.at_war_with(u.faction, faction)]
    return air_defence_of(rules, enemies, h, lambda f: state.factions[f].quality)


def shot_down_chance(rules: Rules, strength: float, quality: float) -> float:
    """The chance each aircraft of an air force of ``quality`` has of being shot down by air
    defence of ``strength`` over its target: min(kill_cap, kill_per_point x strength / quality)."""
    ad = rules.air.air_defence
    return min(ad.kill_cap, ad.kill_per_point * strength / max(quality, 0.1))


def chance_words(p: float) -> str:
    """A small chance as a player reads it: "2.7%", "0.4%", "under 0.1%"."""
    return "under 0.1%" if p < 0.001 else f"{100 * p:.1f}%"


@dataclass(frozen=True)
class Interceptor:
    wing: str
    aircraft: int
    why: str  # "patrol", "zone patrol" or "alert"
    zone: str | None = None


def interceptors(state: GameState, hexmap: HexMap, rules: Rules, faction: str, h: Hex) -> list[Interceptor]:
    """The fighters that meet a mission of the faction flying to a hex, each wing once.

    - a patrol of a side at war with the faction whose radius covers the hex;
    - if the hex lies in a no-fly zone whose enforcing side is at war with the faction: the
      enforcer's patrols flown over the zone, and its wings on alert: those that did not fly
      in their last turn (moves left), stand at a base and reach the hex, each with
      ``alert_share`` of its combat aircraft.
    """
    fig = rules.air.air_combat
    out: dict[str, Interceptor] = {}

    def patrol_aircraft(wid: str, task: dict) -> int:
        wing = state.units.get(wid)
        return min(int(task["aircraft"]), combat_aircraft(wing)) if wing is not None else 0

    for wid, task in sorted(state.air_tasks.items()):
        if task["kind"] != "patrol" or not hostile_to_side(state, faction, task["side"]):
            continue
        n = patrol_aircraft(wid, task)
        if n > 0 and Hex(*task["hex"]).distance(h) <= int(task["radius"]):
            out[wid] = Interceptor(wid, n, "patrol")
    for zone in zones_at(state, h):
        side = zone["side"]
        if not hostile_to_side(state, faction, side):
            continue
        inside = {tuple(p) for p in zone["hexes"]}
        for wid, task in sorted(state.air_tasks.items()):
            if (
                wid in out
                or task["kind"] != "patrol"
                or task["side"] != side
                or tuple(task["hex"]) not in inside
            ):
                continue
            n = patrol_aircraft(wid, task)
            if n > 0:
                out[wid] = Interceptor(wid, n, "zone patrol", zone["id"])
        for wing in state.units.values():
            if (
                wing.id in out
                or not is_air_wing(rules, wing)
                or state.side_of(wing.faction) != side
                or wing.moves_left <= 0
            ):
                continue
            n = int(combat_aircraft(wing) * fig.alert_share)
            if n <= 0 or base_problem(state, hexmap, rules, wing) is not None:
                continue
            if wing.hex.distance(h) <= air_range(rules, wing):
                out[wing.id] = Interceptor(wing.id, n, "alert", zone["id"])
    return [out[k] for k in sorted(out)]


# -- losses -----------------------------------------------------------------------------------


def _lose_aircraft(state: GameState, rules: Rules, wing: Unit, n: int) -> int:
    """Take n combat aircraft from a wing and count them and their crews; crew killed."""
    n = min(int(n), combat_aircraft(wing))
    if n <= 0:
        return 0
    fig = rules.air.air_defence
    wing.equipment[COMBAT] = combat_aircraft(wing) - n
    state.record_equipment_loss(wing.faction, COMBAT, n)
    aboard = int(math.floor(n * fig.crew_per_aircraft + 0.5))
    killed = min(int(state.rng.binomial(aboard, fig.crew_killed)) if aboard else 0, wing.personnel)
    wing.personnel -= killed
    wing.killed += killed
    state.record_loss(wing.faction, CREW_CAUSE, killed)
    task = state.air_tasks.get(wing.id)
    if task is not None:
        task["aircraft"] = min(int(task["aircraft"]), combat_aircraft(wing))
    return killed


def _withdraw_spent_wings(state: GameState, ctx: Context, wing_ids) -> list[Event]:
    events = []
    for wid in sorted(set(wing_ids)):
        wing = state.units.get(wid)
        if wing is None or combat_aircraft(wing) > 0:
            continue
        del state.units[wid]
        state.record_manpower(wing.faction, "withdrawn", wing.strength)
        state.air_tasks.pop(wid, None)
        name = state.factions[wing.faction].name
        state.log.append(f"Turn {state.turn}: {name} lost the last aircraft of {wid}")
        events.append(
            Event(
                "wing_lost",
                f"{unit_name(wing, state)} ({name}) has no combat aircraft left and is withdrawn",
                {"wing": wid, "faction": wing.faction},
                reveals=True,
                units=(wid,),
                hexes=(wing.hex,),
                side=state.side_of(wing.faction),
            )
        )
    return events


def _noise(state: GameState, sigma: float) -> float:
    """Lognormal noise with mean 1."""
    return float(state.rng.lognormal(-sigma * sigma / 2.0, sigma)) if sigma > 0 else 1.0


@dataclass
class StrikeResult:
    killed: dict[str, int] = field(default_factory=dict)  # unit id -> people
    equipment: dict[str, int] = field(default_factory=dict)  # item -> destroyed
    civilians: int = 0
    dissolved: list[str] = field(default_factory=list)
    wounded: dict[str, int] = field(default_factory=dict)  # unit id -> people
    shaken: dict[str, int] = field(default_factory=dict)

    @property
    def total_killed(self) -> int:
        return sum(self.killed.values())

    @property
    def total_wounded(self) -> int:
        return sum(self.wounded.values())

    @property
    def total_shaken(self) -> int:
        return sum(self.shaken.values())

    @property
    def out_of_fight(self) -> int:
        return self.total_killed + self.total_wounded + self.total_shaken

    def to_dict(self) -> dict:
        return {
            "killed": self.total_killed,
            "wounded": self.total_wounded,
            "shaken": self.total_shaken,
            "out_of_fight": self.out_of_fight,
            "units": dict(self.killed),
            "equipment": dict(sorted(self.equipment.items())),
            "civilians": self.civilians,
            "dissolved": list(self.dissolved),
        }


def strike(
    state: GameState,
    hexmap: HexMap,
    rules: Rules,
    faction: str,
    sorties: float,
    h: Hex,
    cause: str = STRIKE_CAUSE,
) -> StrikeResult:
    """Bombs (or naval missiles) of a faction on the enemy ground units in a hex.

    Pins and disorganises more than it kills: soldiers shaken (back with rest and supply),
    killed and wounded (as in ground combat, ``wounded_per_killed`` of them for each killed),
    equipment destroyed and, in an urban hex, civilians killed; the dead are counted in the
    ledger under ``cause``. A unit left below its type's minimum strength melts away (its
    people counted as "dissolved", its equipment as lost).
    """
    s, cover_tab = rules.air.strike, rules.air.cover
    res = StrikeResult()
    victims = [
        u
        for u in state.units_at(h)
        if rules.unit_type(u.type).is_ground and state.at_war_with(u.faction, faction)
    ]
    if sorties <= 0 or not victims:
        return res
    quality = state.factions[faction].quality
    terrain = hexmap.terrain_at(h)
    cover = cover_tab[terrain]
    people = sum(u.personnel for u in victims)
    density = people / (people + s.density_half) if people > 0 else 0.0
    noise = _noise(state, s.noise_sigma)
    base = sorties * s.lethality * quality * cover * density * noise
    per_killed = rules.combat.losses.wounded_per_killed
    pinned = sorties * s.shaken_per_sortie * quality * cover * density * noise
    for u in victims:
        dug = 1.0 + s.entrenchment_cover * u.entrenchment
        share = u.personnel / people if people else 0.0
        want = base * share / dug
        cap = int(math.floor(u.personnel * s.max_share))
        k = min(int(math.floor(want + 0.5)), cap, u.personnel)
        w = min(int(math.floor(k * per_killed + 0.5)), u.personnel - k)
        left = u.personnel - k - w
        sh = min(int(math.floor(pinned * share / dug + 0.5)), int(math.floor(left * s.max_shaken_share)))
        k, w, sh = state.hurt(u, k, w, sh, cause)
        for book, n in ((res.killed, k), (res.wounded, w), (res.shaken, sh)):
            if n > 0:
                book[u.id] = n
    # Equipment: the expected count for the hex, split over units by their holdings and
    # entrenchment, then over each unit's items by a hypergeometric draw.
    holdings = {u.id: sum(max(0, int(v)) for v in u.equipment.values()) for u in victims}
    total_e = sum(holdings.values())
    if total_e > 0:
        e_noise = _noise(state, s.noise_sigma)
        want_e = (
            sorties
            * s.equipment_per_sortie
            * quality
            * cover
            * total_e
            / (total_e + s.equipment_half)
            * e_noise
        )
        weights = [holdings[u.id] / (1.0 + s.entrenchment_cover * u.entrenchment) for u in victims]
        wanted = min(int(math.floor(want_e + 0.5)), total_e)
        for u, n in zip(victims, largest_remainders(wanted, weights)):
            n = min(n, holdings[u.id])
            if n <= 0:
                continue
            items = sorted(k for k, v in u.equipment.items() if v > 0)
            counts = np.array([int(u.equipment[k]) for k in items], dtype=np.int64)
            lost = state.rng.multivariate_hypergeometric(counts, n)
            for item, k in zip(items, lost):
                if k > 0:
                    u.equipment[item] -= int(k)
                    state.record_equipment_loss(u.faction, item, int(k))
                    res.equipment[item] = res.equipment.get(item, 0) + int(k)
    if terrain == "urban":
        res.civilians = int(
            math.floor(
                bombed_civilians(hexmap, rules, quality, sorties, h) * _noise(state, s.noise_sigma) + 0.5
            )
        )
        state.record_civilians(cause, res.civilians)
    for u in victims:
        ut = rules.unit_type(u.type)
        if u.personnel + u.shaken < ut.min_personnel:
            # as in game.combat: the people and the equipment left are lost with the unit
            state.remove_unit(u, DISSOLVED_CAUSE)
            res.dissolved.append(u.id)
    return res


def bombed_civilians(hexmap: HexMap, rules: Rules, quality: float, sorties: float, h: Hex) -> float:
    """The civilians expected to die where ``sorties`` of an air force of that quality bomb an
    urban hex: by the town's population, fewer for precise weapons (0 outside towns)."""
    if hexmap.terrain_at(h) != "urban" or sorties <= 0:
        return 0.0
    s = rules.air.strike
    city = hexmap.city_at(h)
    pop = city.population if city is not None else 0
    factor = min(s.population_max, max(s.population_min, math.sqrt(pop / s.civilians_population)))
    return sorties * s.civilians_per_sortie * factor / max(quality, 0.1)


def _strike_text(res: StrikeResult, names: dict[str, str]) -> str:
    """What a strike did; ``names`` are the units' names from before it (some are gone)."""
    parts = [
        f"{res.out_of_fight:,} out of the fight ({res.total_killed:,} killed, "
        f"{res.total_wounded:,} wounded, {res.total_shaken:,} shaken)"
    ]
    parts += [f"{n} {item} destroyed" for item, n in sorted(res.equipment.items())]
    if res.civilians:
        parts.append(f"{res.civilians:,} civilians killed")
    if res.dissolved:
        parts.append(f"{', '.join(names.get(u, u) for u in res.dissolved)} broken up")
    return ", ".join(parts)


def air_combat(
    state: GameState, rules: Rules, wing: Unit, mission: str, fighters: list[Interceptor]
) -> tuple[int, dict[str, int]]:
    """Fighters meet a mission: (attackers lost, interceptor wing id -> aircraft lost)."""
    fig = rules.air.air_combat
    a = combat_aircraft(wing)
    d = sum(f.aircraft for f in fighters)
    if a <= 0 or d <= 0:
        return 0, {}
    q_d = sum(f.aircraft * state.factions[state.units[f.wing].faction].quality for f in fighters) / d
    q_a = state.factions[wing.faction].quality
    fight = fig.sweep if mission == "patrol" else fig.bomb_load
    relative = (q_d * fig.defender_advantage) / max(q_a * fight, 1e-6)
    p_a = min(fig.attacker_cap, fig.kill_rate * relative * d / a)
    p_d = min(fig.defender_cap, fig.kill_rate / relative * a / d)
    lost_a = int(state.rng.binomial(a, p_a))
    lost_d = int(state.rng.binomial(d, p_d))
    counts = np.array([f.aircraft for f in fighters], dtype=np.int64)
    split = state.rng.multivariate_hypergeometric(counts, lost_d) if lost_d else [0] * len(fighters)
    return lost_a, {f.wing: int(k) for f, k in zip(fighters, split) if k > 0}


# -- commands ---------------------------------------------------------------------------------


def _visible_enemy_ground(state: GameState, ctx: Context, side: str, faction: str, h: Hex) -> bool:
    return any(
        u.hex == h and ctx.rules.unit_type(u.type).is_ground and state.at_war_with(u.faction, faction)
        for u in visible_units(state, ctx.hexmap, ctx.rules, side)
    )


@dataclass
class AirMission(Command):
    """An air wing flies one mission from its base: strike, close air support or patrol."""

    kind: ClassVar[str] = "air_mission"
    wing: str = ""
    mission: str = "strike"
    target: Hex = field(default_factory=lambda: Hex(0, 0))

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "side": self.side,
            "wing": self.wing,
            "mission": self.mission,
            "target": [self.target.q, self.target.r],
        }

    @classmethod
    def _from_body(cls, body: dict) -> AirMission:
        q, r = body["target"]
        return cls(side=body["side"], wing=body["wing"], mission=body["mission"], target=Hex(int(q), int(r)))

    def validate(self, state: GameState, ctx: Context) -> list[str]:
        problems = super().validate(state, ctx)
        if problems:
            return problems
        if self.mission not in MISSIONS:
            return [f"unknown mission {self.mission!r}: choose strike, cas (close air support) or patrol"]
        wing = own_unit(state, self.side, self.wing, problems)
        if wing is None:
            return problems
        rules, hexmap = ctx.rules, ctx.hexmap
        if not is_air_wing(rules, wing):
            what = rules.unit_type(wing.type).name.lower()
            return [f"{unit_name(wing, state)} is not an air wing but a {what} unit"]
        if wing.moves_left <= 0:
            return [
                f"{unit_name(wing, state)} has already flown this turn: a wing flies one mission "
                f"(or one rebase) a turn"
            ]
        if combat_aircraft(wing) <= 0:
            return [f"{unit_name(wing, state)} has no combat aircraft left"]
        base = base_problem(state, hexmap, rules, wing)
        if base:
            return [base]
        t = self.target
        if not hexmap.in_bounds(t):
            return ["the target is off the map"]
        reach = air_range(rules, wing)
        dist = wing.hex.distance(t)
        if dist > reach:
            return [
                f"{place_name(hexmap, t)} is out of range: {dist} hexes from the base of "
                f"{unit_name(wing, state)} at {place_name(hexmap, wing.hex)}; its range is "
                f"{reach} hexes"
            ]
        if self.mission in ("strike", "cas") and not _visible_enemy_ground(
            state, ctx, self.side, wing.faction, t
        ):
            what = "a strike" if self.mission == "strike" else "close air support"
            return [f"no enemy you can see {place(hexmap, t)}: {what} needs a target"]
        return []

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        rules, hexmap = ctx.rules, ctx.hexmap
        wing = state.units[self.wing]
        t = self.target
        wing.moves_left = 0.0
        flown = combat_aircraft(wing)
        events: list[Event] = []
        touched = [wing.id]
        # 1. fighters on the way
        fighters = interceptors(state, hexmap, rules, wing.faction, t)
        if fighters:
            lost_a, lost_d = air_combat(state, rules, wing, self.mission, fighters)
            crew = _lose_aircraft(state, rules, wing, lost_a)
            for wid, n in sorted(lost_d.items()):
                _lose_aircraft(state, rules, state.units[wid], n)
            touched += [f.wing for f in fighters]
            hostile = [z for z in zones_at(state, t) if hostile_to_side(state, wing.faction, z["side"])]
            zones = [z["id"] for z in hostile]
            over = f" in the no-fly zone {', '.join(z['name'] for z in hostile)}" if zones else ""
            events.append(
                Event(
                    "interception",
                    f"{sum(f.aircraft for f in fighters)} fighters of "
                    f"{', '.join(unit_name(state.units[f.wing], state) for f in fighters)} met "
                    f"the {flown} aircraft of {unit_name(wing, state)} {place(hexmap, t, 'over')}{over}: "
                    f"{lost_a} shot down, {sum(lost_d.values())} of theirs lost",
                    {
                        "wing": wing.id,
                        "hex": [t.q, t.r],
                        "attackers": flown,
                        "defenders": sum(f.aircraft for f in fighters),
                        "interceptors": {f.wing: f.aircraft for f in fighters},
                        "why": {f.wing: f.why for f in fighters},
                        "zones": zones,
                        "attackers_lost": lost_a,
                        "defenders_lost": dict(lost_d),
                        "crew_killed": crew,
                    },
                    reveals=True,
                    units=(wing.id, *(f.wing for f in fighters)),
                    hexes=(t,),
                )
            )
        # 2. air defence over the target
        arriving = combat_aircraft(wing)
        strength, firing = air_defence_in_reach(state, rules, wing.faction, t)
        if arriving > 0 and strength > 0:
            p = shot_down_chance(rules, strength, state.factions[wing.faction].quality)
            down = int(state.rng.binomial(arriving, p))
            crew = _lose_aircraft(state, rules, wing, down)
            # The odds go into the log: a player learns where the guns are thick from it.
            events.append(
                Event(
                    "shot_down",
                    f"air defence {place(hexmap, t, 'over')} shot down {down} of the {arriving} "
                    f"aircraft of {unit_name(wing, state)}"
                    + (f" ({crew} aircrew killed)" if crew else "")
                    + f"; each ran a risk of {chance_words(p)}",
                    {
                        "wing": wing.id,
                        "hex": [t.q, t.r],
                        "aircraft": arriving,
                        "lost": down,
                        "crew_killed": crew,
                        "strength": round(strength, 3),
                        "chance": round(p, 5),
                        "units": firing,
                    },
                    reveals=True,
                    units=(wing.id, *firing),
                    hexes=(t,),
                )
            )
        # 3. the mission itself
        reached = combat_aircraft(wing)
        data = {
            "wing": wing.id,
            "mission": self.mission,
            "hex": [t.q, t.r],
            "flown": flown,
            "aircraft": reached,
        }
        name = MISSION_NAMES[self.mission]
        if reached <= 0:
            events.append(
                Event(
                    "air_mission",
                    f"The {name} of {unit_name(wing, state)} "
                    f"{place(hexmap, t, 'over')} failed: none of its {flown} "
                    f"aircraft got through",
                    data,
                    reveals=True,
                    units=(wing.id,),
                    hexes=(t,),
                )
            )
        elif self.mission == "strike":
            names = {u.id: unit_name(u, state) for u in state.units_at(t)}
            res = strike(state, hexmap, rules, wing.faction, reached, t, STRIKE_CAUSE)
            data.update(res.to_dict())
            events.append(
                Event(
                    "air_mission",
                    f"{unit_name(wing, state)} struck {place(hexmap, t, '')} "
                    f"with {reached} aircraft: {_strike_text(res, names)}",
                    data,
                    reveals=True,
                    units=(wing.id, *names),
                    hexes=(t,),
                )
            )
        else:
            task = {
                "kind": self.mission,
                "hex": [t.q, t.r],
                "turn": state.turn,
                "side": self.side,
                "aircraft": reached,
            }
            if self.mission == "patrol":
                task["radius"] = rules.air.range.patrol_radius
                text = (
                    f"{unit_name(wing, state)} patrols {place(hexmap, t, 'over')} with {reached} "
                    f"aircraft, {task['radius']} hexes around, until your next turn"
                )
            else:
                text = (
                    f"{unit_name(wing, state)} flies close air support {place(hexmap, t, 'over')} "
                    f"with {reached} aircraft"
                )
            state.air_tasks[wing.id] = task
            data.update(task)
            # Even a quiet patrol tells the player where the enemy's fighters and guns are not.
            events.append(Event("air_mission", text, data, reveals=True, units=(wing.id,), hexes=(t,)))
        events += _withdraw_spent_wings(state, ctx, touched)
        return events


@dataclass
class NavalStrike(Command):
    """A naval group's missiles and guns strike a land hex near its sea hex, once a turn."""

    kind: ClassVar[str] = "naval_strike"
    group: str = ""
    target: Hex = field(default_factory=lambda: Hex(0, 0))

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "side": self.side,
            "group": self.group,
            "target": [self.target.q, self.target.r],
        }

    @classmethod
    def _from_body(cls, body: dict) -> NavalStrike:
        q, r = body["target"]
        return cls(side=body["side"], group=body["group"], target=Hex(int(q), int(r)))

    def validate(self, state: GameState, ctx: Context) -> list[str]:
        problems, group = self._acting_unit(state, ctx, self.group)
        if group is None:
            return problems
        rules, hexmap = ctx.rules, ctx.hexmap
        if not is_naval(rules, group):
            what = rules.unit_type(group.type).name.lower()
            return [f"{unit_name(group, state)} is not a naval group but a {what} unit"]
        if group.moves_left <= 0:
            return [f"{unit_name(group, state)} has already fired (or used all its moves) this turn"]
        if int(group.equipment.get(WARSHIPS, 0)) <= 0:
            return [f"{unit_name(group, state)} has no warships left"]
        t = self.target
        if not hexmap.in_bounds(t):
            return ["the target is off the map"]
        if hexmap.terrain_at(t) in ("sea", "lake"):
            return [f"{place_name(hexmap, t)} is {hexmap.terrain_at(t)}: naval strikes hit targets on land"]
        reach = rules.air.range.naval_strike
        dist = group.hex.distance(t)
        if dist > reach:
            return [
                f"{place_name(hexmap, t)} is out of range: {dist} hexes from "
                f"{unit_name(group, state)}; its missiles and guns reach {reach} hexes"
            ]
        if not _visible_enemy_ground(state, ctx, self.side, group.faction, t):
            return [f"no enemy you can see {place(hexmap, t)}: a naval strike needs a target"]
        return []

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        rules = ctx.rules
        group = state.units[self.group]
        group.moves_left = 0.0
        ships = int(group.equipment.get(WARSHIPS, 0))
        sorties = ships * rules.air.strike.naval_sorties_per_ship
        t = self.target
        names = {u.id: unit_name(u, state) for u in state.units_at(t)}
        res = strike(state, ctx.hexmap, rules, group.faction, sorties, t, NAVAL_CAUSE)
        data = {"group": group.id, "hex": [t.q, t.r], "warships": ships, **res.to_dict()}
        return [
            Event(
                "naval_strike",
                f"{ships} warships of {unit_name(group, state)} struck "
                f"{place(ctx.hexmap, t, '')}: {_strike_text(res, names)}",
                data,
                reveals=True,
                units=(group.id, *names),
                hexes=(t,),
            )
        ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "zone"


@dataclass
class DeclareNoFlyZone(Command):
    """The side declares a no-fly zone: a list of hexes, or a centre (a place) and a radius."""

    kind: ClassVar[str] = "declare_no_fly_zone"
    name: str = ""
    hexes: list[Hex] = field(default_factory=list)
    centre: str = ""
    radius: int = 0

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "side": self.side,
            "name": self.name,
            "hexes": [[h.q, h.r] for h in self.hexes],
            "centre": self.centre,
            "radius": self.radius,
        }

    @classmethod
    def _from_body(cls, body: dict) -> DeclareNoFlyZone:
        return cls(
            side=body["side"],
            name=body.get("name", ""),
            hexes=[Hex(int(q), int(r)) for q, r in body.get("hexes", [])],
            centre=str(body.get("centre", "")),
            radius=int(body.get("radius", 0)),
        )

    def zone_hexes(self, ctx: Context) -> list[tuple[int, int]] | list[list[int]]:
        if self.hexes:
            return sorted({(h.q, h.r) for h in self.hexes})
        return expand_zone(ctx.hexmap, self.centre, self.radius)

    def zone_id(self, state: GameState) -> str:
        base = f"{self.side}-{_slug(self.name)}"
        taken = {z["id"] for z in state.no_fly_zones}
        zid, k = base, 2
        while zid in taken:
            zid, k = f"{base}-{k}", k + 1
        return zid

    def validate(self, state: GameState, ctx: Context) -> list[str]:
        problems = super().validate(state, ctx)
        if problems:
            return problems
        if not self.name.strip():
            problems.append("give the zone a name")
        if bool(self.hexes) == bool(self.centre):
            problems.append("give the zone's hexes, or a centre and a radius (not both)")
        elif self.hexes:
            off = [h for h in self.hexes if not ctx.hexmap.in_bounds(h)]
            if off:
                problems.append(f"the zone runs off the map ({len(off)} of its hexes)")
        else:
            radius = NO_FLY_ZONE.bounds("radius")  # the bounds of a scenario's zones
            if not radius.in_range(self.radius):
                problems.append(
                    f"a radius of {self.radius} hexes is out of range: {radius.low} to {radius.high}"
                )
            try:
                ctx.hexmap.resolve_place(self.centre)
            except MapError as exc:
                problems.append(f"centre: {exc}")
        mine = [z for z in state.no_fly_zones if z["side"] == self.side]
        if any(z["name"] == self.name for z in mine):
            problems.append(f"your side already enforces a no-fly zone named {self.name!r}")
        if not any(is_air_wing(ctx.rules, u) for u in state.units_of_side(self.side)):
            problems.append("you have no air wings to enforce a no-fly zone")
        return problems

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        zone = {
            "id": self.zone_id(state),
            "name": self.name,
            "side": self.side,
            "hexes": [list(p) for p in self.zone_hexes(ctx)],
        }
        declare_zone(state, zone)
        who = state.side_names.get(self.side, self.side)
        state.log.append(f"Turn {state.turn}: {who} declared the no-fly zone {self.name}")
        return [
            Event(
                "no_fly_zone",
                f"{who} declared a no-fly zone: {self.name} ({len(zone['hexes'])} hexes)",
                {"zone": zone["id"], "side": self.side, "hexes": len(zone["hexes"])},
                news=PUBLIC,
            )
        ]


@dataclass
class LiftNoFlyZone(Command):
    """The side that declared a no-fly zone lifts it."""

    kind: ClassVar[str] = "lift_no_fly_zone"
    zone: str = ""

    def validate(self, state: GameState, ctx: Context) -> list[str]:
        problems = super().validate(state, ctx)
        if problems:
            return problems
        zone = next((z for z in state.no_fly_zones if z["id"] == self.zone), None)
        if zone is None:
            known = ", ".join(z["name"] for z in state.no_fly_zones) or "none"
            return [f"no no-fly zone {self.zone!r} is in force (zones: {known})"]
        if zone["side"] != self.side:
            by = state.side_names.get(zone["side"], zone["side"])
            return [f"the no-fly zone {zone['name']} was declared by {by}: only they can lift it"]
        return []

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        zone = next(z for z in state.no_fly_zones if z["id"] == self.zone)
        lift_zone(state, self.zone)
        who = state.side_names.get(self.side, self.side)
        state.log.append(f"Turn {state.turn}: {who} lifted the no-fly zone {zone['name']}")
        return [
            Event(
                "no_fly_zone_lifted",
                f"{who} lifted the no-fly zone {zone['name']}",
                {"zone": self.zone, "side": self.side},
                news=PUBLIC,
            )
        ]


__all__ = [
    "AirMission",
    "DeclareNoFlyZone",
    "Interceptor",
    "LiftNoFlyZone",
    "MISSIONS",
    "NavalStrike",
    "StrikeResult",
    "air_combat",
    "air_defence_in_reach",
    "air_defence_of",
    "air_range",
    "base_problem",
    "chance_words",
    "declare_zone",
    "expand_zone",
    "expire_air_tasks",
    "hostile_to_side",
    "interceptors",
    "is_air_base",
    "is_air_wing",
    "is_naval",
    "lift_zone",
    "shot_down_chance",
    "strike",
    "zone_from_setup",
    "zones_at",
]
