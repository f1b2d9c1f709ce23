"""Ground combat: power with its itemised factors, odds, the roll, losses, retreats and the preview.

Engine layer, pure and deterministic: state, map and rules in; a result out, which the
``Attack`` command applies. The one random draw of a real attack comes from ``state.rng``; the
preview draws from its own generator, seeded from its inputs, and never touches the state.

The model is a hybrid of the three a wargamer knows (see ``game/rules/combat.toml``):

* **Power** as in Dupuy's QJM, P = S x V x CEV: personnel/1000 x the type's attack or defence
  factor, plus equipment; x faction quality and leadership (CEV); x experience, morale and
  supply; the defender x terrain and entrenchment, the attacker x river crossing; plus
  artillery within range, x close air support.
* **Odds** as in Unity of Command: the ratio shown as "3:1" and as a column,
  round(3 log3 ratio), with every factor listed with its shift in columns. The factors are
  applied one after another, so their multipliers multiply to the total and their shifts add up.
* **The roll**: the ratio x exp(sigma N(0,1)) decides the outcome (repulsed, held, retreat,
  rout) and scales the losses, which are TNDM-like daily shares of each side's people x battle
  days x terrain x posture x lognormal noise, the attacker's x ratio^-1 (its losses follow the
  defender's strength, as in Lanchester's square law), the defender's x ratio^0.5.

``_battle`` is that model. A real attack calls it with one draw (``Attack.apply`` ->
``resolve_attack``); ``preview_attack`` calls it with a thousand, from what the attacking side
can see, for the expected losses, their spread and the chance of each outcome.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import ClassVar

import numpy as np

from game.air import STRIKE_CAUSE, bombed_civilians
from game.hexgrid import Hex
from game.hexmap import HexMap, place, place_name
from game.movement import allowed_countries, map_graph
from game.orders import Command, Context, Event, capture, own_unit, unit_name
from game.rules import Rules, largest_remainders
from game.state import GameState
from game.visibility import seen_from_outside, side_sight, visible_units

OUTCOMES = ("repulsed", "held", "retreat", "rout")
REPULSED, HELD, RETREAT, ROUT = range(4)
_LN3 = math.log(3.0)

_TERRAIN_LABELS = {
    "urban": "Urban terrain",
    "mountains": "Mountains",
    "hills": "Hills",
    "marsh": "Marsh",
    "steppe": "Steppe and farmland",
    "desert": "Desert",
    "sea": "Sea",
    "lake": "Lake",
}


# -- parameters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CombatParams:
    """The numbers of ``combat.toml`` (``rules.combat``, checked when the rules load) and the
    few of ``rules.toml`` a battle uses, flattened once per ruleset."""

    battle_days: float
    morale_ref: float
    morale_weight: float
    morale_low: float
    broken_morale: float
    exp_ref: float
    exp_weight: float
    veteran: float
    green: float
    river: float
    river_bridge: float
    equipment: dict
    equipment_typical: dict
    support_range: int
    support_attack: float
    support_defence: float
    support_types: dict
    air_per_aircraft: float
    air_max: float
    outcome_noise: float
    repulsed_below: float
    retreat_from: float
    rout_from: float
    att_daily: float
    def_daily: float
    att_ratio_exp: float
    def_ratio_exp: float
    ratio_min: float
    ratio_max: float
    loss_noise: float
    max_share: float
    entrenched_defender: float
    repulsed_attacker: float
    retreat_extra: float
    rout_extra: float
    terrain_loss: dict
    morale_winner: float
    morale_held_attacker: float
    morale_held_defender: float
    morale_repulsed_attacker: float
    morale_retreat_defender: float
    morale_rout_defender: float
    morale_trapped: float
    exp_winner: float
    exp_loser: float
    civ_per_casualty: float
    civ_reference: float
    civ_exponent: float
    civ_max: float
    preview_draws: int
    defence_per_level: float
    weakness: float
    wounded_per_killed: float
    dis_att: float  # shaken ([disruption]): the attacker's share at 1:1 ...
    dis_att_exp: float
    dis_def: float
    dis_def_exp: float
    dis_repulsed: float
    dis_retreat: float
    dis_rout: float
    dis_entrenched: float
    dis_max: float
    siege_entrenchment: int
    siege_morale: float
    capture_retreat: float
    capture_rout: float
    rally: float  # [recovery]
    rally_contact: float
    rally_unsupplied: float
    wounded_return_week: float
    wounded_lost_week: float
    _arrays: tuple[np.ndarray, ...] = field(init=False, repr=False, compare=False)  # __post_init__'s

    @property
    def thresholds(self) -> np.ndarray:
        return self._arrays[0]

    @property
    def killed_by_outcome(self) -> np.ndarray:
        """(4, 2): the attacker's and the defender's killed x this, by outcome."""
        return self._arrays[1]

    @property
    def defender_extra(self) -> np.ndarray:
        return self._arrays[2]

    @property
    def noise_scale(self) -> np.ndarray:
        return self._arrays[3]

    @property
    def shaken_by_outcome(self) -> np.ndarray:
        """(4, 2): the attacker's and the defender's extra shaken share, by outcome."""
        return self._arrays[4]

    @property
    def ratio_exponents(self) -> np.ndarray:
        """The rolled ratio's exponents: killed (attacker, defender), shaken (the same)."""
        return self._arrays[5]

    @property
    def capture_share(self) -> dict[int, float]:
        """Share of a defender that surrenders when it must fall back and cannot, by outcome."""
        return {RETREAT: self.capture_retreat, ROUT: self.capture_rout}

    @property
    def noise_shift(self) -> float:
        return -0.5 * self.loss_noise**2

    def __post_init__(self):
        arrays = (
            np.array([self.repulsed_below, self.retreat_from, self.rout_from]),
            np.array([[self.repulsed_attacker, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]),
            np.array([0.0, 0.0, self.retreat_extra, self.rout_extra]),
            np.array([self.outcome_noise, self.loss_noise, self.loss_noise]),
            np.array([[self.dis_repulsed, 0.0], [0.0, 0.0], [0.0, self.dis_retreat], [0.0, self.dis_rout]]),
            np.array([-self.att_ratio_exp, self.def_ratio_exp, -self.dis_att_exp, self.dis_def_exp]),
        )
        object.__setattr__(self, "_arrays", arrays)


_PARAMS: dict[int, tuple[Rules, CombatParams]] = {}


def combat_params(rules: Rules) -> CombatParams:
    """The combat numbers of a ruleset (checked when the rules loaded), flattened once."""
    hit = _PARAMS.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    c = rules.combat
    pw, sp, oc, ls = c.power, c.support, c.outcome, c.losses
    mo, ex, cv = c.morale, c.experience, c.civilians
    ds, sg, cp, rc = c.disruption, c.siege, c.capture, c.recovery
    params = CombatParams(
        battle_days=c.battle_days,
        morale_ref=pw.morale_reference,
        morale_weight=pw.morale_weight,
        morale_low=pw.morale_low,
        broken_morale=pw.broken_morale,
        exp_ref=pw.experience_reference,
        exp_weight=pw.experience_weight,
        veteran=pw.veteran,
        green=pw.green,
        river=pw.river,
        river_bridge=pw.river_bridge,
        equipment=dict(c.equipment),
        equipment_typical=dict(c.equipment_typical),
        support_range=sp.range,
        support_attack=sp.attack_share,
        support_defence=sp.defence_share,
        support_types=dict(sp.types),
        air_per_aircraft=sp.air_per_aircraft,
        air_max=sp.air_max,
        outcome_noise=oc.noise,
        repulsed_below=oc.repulsed_below,
        retreat_from=oc.retreat_from,
        rout_from=oc.rout_from,
        att_daily=ls.attacker_daily,
        def_daily=ls.defender_daily,
        att_ratio_exp=ls.attacker_ratio_exponent,
        def_ratio_exp=ls.defender_ratio_exponent,
        ratio_min=ls.ratio_min,
        ratio_max=ls.ratio_max,
        loss_noise=ls.noise,
        max_share=ls.max_share,
        entrenched_defender=ls.entrenched_defender,
        repulsed_attacker=ls.repulsed_attacker,
        retreat_extra=ls.retreat_extra,
        rout_extra=ls.rout_extra,
        terrain_loss=dict(ls.terrain),
        morale_winner=mo.winner,
        morale_held_attacker=mo.held_attacker,
        morale_held_defender=mo.held_defender,
        morale_repulsed_attacker=mo.repulsed_attacker,
        morale_retreat_defender=mo.retreat_defender,
        morale_rout_defender=mo.rout_defender,
        morale_trapped=mo.trapped_defender,
        exp_winner=ex.winner,
        exp_loser=ex.loser,
        civ_per_casualty=cv.per_casualty,
        civ_reference=cv.population_reference,
        civ_exponent=cv.population_exponent,
        civ_max=cv.max_per_casualty,
        preview_draws=c.preview.draws,
        defence_per_level=rules.entrenchment["defence_per_level"],
        weakness=rules.supply["weakness"],
        wounded_per_killed=ls.wounded_per_killed,
        dis_att=ds.attacker,
        dis_att_exp=ds.attacker_ratio_exponent,
        dis_def=ds.defender,
        dis_def_exp=ds.defender_ratio_exponent,
        dis_repulsed=ds.repulsed,
        dis_retreat=ds.retreat,
        dis_rout=ds.rout,
        dis_entrenched=ds.entrenched,
        dis_max=ds.max_share,
        siege_entrenchment=sg.entrenchment_lost,
        siege_morale=sg.morale,
        capture_retreat=cp.retreat,
        capture_rout=cp.rout,
        rally=rc.rally,
        rally_contact=rc.rally_contact,
        rally_unsupplied=rc.rally_unsupplied,
        wounded_return_week=rc.wounded_return_week,
        wounded_lost_week=rc.wounded_lost_week,
    )
    _PARAMS[id(rules)] = (rules, params)
    return params


# -- power and odds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    """One named modifier of a side's power, as a player reads it."""

    label: str
    side: str  # "attacker" or "defender": whose power it changes
    multiplier: float  # that side's power is multiplied by this
    shift: float  # the same in columns of odds; positive helps the attacker

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "side": self.side,
            "multiplier": round(self.multiplier, 4),
            "shift": round(self.shift, 2),
        }


def odds_label(ratio: float) -> str:
    """The ratio as a wargame's odds, rounded in the defender's favour: 3.7 -> "3:1"."""
    if ratio >= 1.0 - 1e-9:
        if ratio >= 2.0 - 1e-9:
            return f"{int(ratio + 1e-9)}:1"
        return "1.5:1" if ratio >= 1.5 - 1e-9 else "1:1"
    inv = 1.0 / max(ratio, 1e-9)
    if inv <= 1.5 + 1e-9:
        return "1:1.5"
    return f"1:{math.ceil(inv - 1e-9)}"


def column_of(ratio: float) -> int:
    """Unity of Command's column: round(3 log3 ratio); 1:1 is 0, 3:1 is 3, 1:3 is -3."""
    return int(round(3.0 * math.log(max(ratio, 1e-9)) / _LN3))


def _shift(multiplier: float, side: str) -> float:
    s = 3.0 * math.log(multiplier) / _LN3
    return s if side == "attacker" else -s


@dataclass
class _Force:
    """One side of a battle: its units, their power, and the factors that made it."""

    units: list
    personnel: int
    base: float  # from personnel and type factors alone
    power: float  # all factors and support included
    unit_power: list[float]  # each unit's own power, before support
    factors: list[Factor]
    support: list[str] = field(default_factory=list)  # artillery that fired in support
    aircraft: int = 0


def _unit_steps(
    p: CombatParams,
    rules: Rules,
    state: GameState,
    hexmap: HexMap,
    unit,
    attacking: bool,
    target: Hex,
    terrain,
) -> tuple[float, dict]:
    """A unit's base power and its factors: {(order, label): (add or mul, value, count)}.

    ``unit`` is a ``Unit`` or a ``UnitView``: what the viewer cannot read (an enemy's morale,
    experience, supply, equipment) is None or absent and is taken at its average.
    """
    ut = rules.unit_types[unit.type]
    per = unit.personnel / 1000.0
    base = per * (ut.attack if attacking else ut.defence)
    steps: dict = {}
    known = getattr(unit, "own", True)
    for item in ut.equipment:
        value = p.equipment.get(item)
        if not value:
            continue
        if known:
            # Crews shaken or wounded leave their vehicles and guns idle.
            whole = getattr(unit, "strength", 0) or unit.personnel
            count = unit.equipment.get(item, 0)
            if whole > unit.personnel:
                count = int(count * unit.personnel / whole + 0.5)
        else:
            count = round(p.equipment_typical.get(item, 0.0) * per)
        if count > 0:
            steps[(0, item, not known)] = ("add", count * value, count)
    faction = state.factions[unit.faction]
    if faction.quality != 1.0:
        steps[(1, f"Training and equipment ({faction.name})")] = ("mul", faction.quality, 0)
    if faction.leader_bonus:
        steps[(2, f"Leadership ({faction.name})")] = ("mul", 1.0 + faction.leader_bonus, 0)
    exp = unit.experience if unit.experience is not None else p.exp_ref
    if exp != p.exp_ref:
        f = max(0.1, 1.0 + p.exp_weight * (exp - p.exp_ref) / 100.0)
        label = (
            "Veteran"
            if exp >= p.veteran
            else "Experienced"
            if exp > p.exp_ref
            else "Green troops"
            if exp < p.green
            else "Inexperienced"
        )
        steps[(3, label)] = ("mul", f, 0)
    morale = unit.morale if unit.morale is not None else p.morale_ref
    if morale != p.morale_ref:
        f = max(0.1, 1.0 + p.morale_weight * (morale - p.morale_ref) / 100.0)
        label = (
            "Broken morale"
            if morale < p.broken_morale
            else "Low morale"
            if morale < p.morale_low
            else "Wavering"
            if morale < p.morale_ref
            else "High morale"
        )
        steps[(4, label)] = ("mul", f, 0)
    if unit.supplied is False:
        steps[(5, "Out of supply")] = ("mul", p.weakness, 0)
    if attacking:
        d = unit.hex.direction_to(target)
        if d is not None:
            river = hexmap.river_on_side(unit.hex, d)
            if river is not None:
                if hexmap.road_on_side(unit.hex, d) is not None:
                    steps[(6, f"Across the {river} by a bridge")] = ("mul", p.river_bridge, 0)
                else:
                    steps[(6, f"Across the {river}")] = ("mul", p.river, 0)
    else:
        if terrain.defence != 1.0:
            city = hexmap.city_at(target)
            label = _TERRAIN_LABELS.get(terrain.id, terrain.id)
            if city is not None:
                label = f"{label} ({city.name})"
            steps[(6, label)] = ("mul", terrain.defence, 0)
        if unit.entrenchment > 0:
            steps[(7, f"Entrenched (level {unit.entrenchment})")] = (
                "mul",
                1.0 + unit.entrenchment * p.defence_per_level,
                0,
            )
    return base, steps


def _apply_steps(base: float, steps: dict) -> float:
    v = base
    for key in sorted(steps):
        op, value, _ = steps[key]
        v = v + value if op == "add" else v * value
    return v


def _force(
    p: CombatParams,
    rules: Rules,
    state: GameState,
    hexmap: HexMap,
    units: list,
    attacking: bool,
    target: Hex,
    terrain,
    support: list,
    aircraft: int,
) -> _Force:
    """Add the units' power up factor by factor, so that each factor's effect can be shown."""
    side = "attacker" if attacking else "defender"
    per_unit = [_unit_steps(p, rules, state, hexmap, u, attacking, target, terrain) for u in units]
    cur = [b for b, _ in per_unit]
    base = sum(cur)
    total = base
    keys = sorted({k for _, steps in per_unit for k in steps})
    factors = []
    for key in keys:
        count = 0
        for i, (_, steps) in enumerate(per_unit):
            s = steps.get(key)
            if s is not None:
                cur[i] = cur[i] + s[1] if s[0] == "add" else cur[i] * s[1]
                count += s[2]
        new = sum(cur)
        if key[0] == 0:  # equipment: the label names the count
            name = key[1][:1].upper() + key[1][1:]
            label = f"{name} (about {count})" if key[2] else f"{name} ({count})"
        else:
            label = key[1]
        if total > 0 and new > 0 and abs(new / total - 1.0) > 1e-6:
            factors.append(Factor(label, side, new / total, _shift(new / total, side)))
        total = new
    unit_power = list(cur)
    share = p.support_attack if attacking else p.support_defence
    fired = []
    extra = 0.0
    for u in support:
        b, steps = _unit_steps(p, rules, state, hexmap, u, True, target, terrain)
        steps = {k: v for k, v in steps.items() if k[0] != 6}  # no river: it fires across it
        extra += _apply_steps(b, steps) * share * p.support_types.get(u.type, 0.0)
        fired.append(u.id)
    if extra > 0 and total > 0:
        f = (total + extra) / total
        factors.append(Factor("Artillery support", side, f, _shift(f, side)))
        total += extra
    if aircraft > 0:
        f = min(p.air_max, 1.0 + p.air_per_aircraft * aircraft)
        factors.append(Factor(f"Air support ({aircraft} aircraft)", side, f, _shift(f, side)))
        total *= f
    return _Force(
        units=units,
        personnel=sum(u.personnel for u in units),
        base=base,
        power=total,
        unit_power=unit_power,
        factors=factors,
        support=fired,
        aircraft=aircraft,
    )


def cas_aircraft(state: GameState, side: str, target: Hex) -> int:
    """Combat aircraft of the side flying close air support over the target this turn (the
    tasks ``game.air`` leaves)."""
    return sum(_cas_wings(state, side, target).values())


def _air_civilians(state: GameState, hexmap: HexMap, rules: Rules, side: str, target: Hex) -> float:
    """Civilians the side's close air support over an urban target is expected to kill: the
    bombs that back an assault on a town fall among its people as a strike's do."""
    return sum(
        bombed_civilians(hexmap, rules, state.factions[f].quality if f else 1.0, n, target)
        for f, n in _cas_wings(state, side, target).items()
    )


def _cas_wings(state: GameState, side: str, target: Hex) -> dict[str, int]:
    """Faction -> combat aircraft of the side flying close air support over the target."""
    out: dict[str, int] = {}
    for wing, task in state.air_tasks.items():
        if task.get("kind") != "cas" or task.get("turn") != state.turn:
            continue
        h = task.get("hex")
        if h is None or h[0] != target.q or h[1] != target.r:
            continue
        faction = state.units[wing].faction if wing in state.units else ""
        who = task.get("side")
        if who is None and faction:
            who = state.side_of(faction)
        if who == side:
            out[faction] = out.get(faction, 0) + int(task.get("aircraft", 0))
    return out


def _near(units, target: Hex, radius: int) -> tuple[list, list[int]]:
    """The units within ``radius`` hexes of the target, in the order given, and their distances.

    The one pass over every unit of the game that a battle makes; kept lean.
    """
    tq, tr = target.q, target.r
    out, dist = [], []
    for u in units:
        h = u.hex
        dq = h.q - tq
        if -radius <= dq <= radius:
            dr = h.r - tr
            if -radius <= dr <= radius and -radius <= dq + dr <= radius:
                out.append(u)
                dist.append(max(dq, -dq, dr, -dr, dq + dr, -dq - dr))
    return out, dist


# -- the model -------------------------------------------------------------------------------------


@dataclass
class _Setting:
    """What the model needs besides the two powers: where and how long they fight."""

    days: float
    terrain_loss: float
    posture: float  # the defender's losses x this (entrenchment)
    shaken_posture: float  # the defender's shaken x this (entrenchment)
    civ_factor: float  # civilians killed per military casualty here
    broken: bool  # the defenders' morale is broken: a retreat becomes a rout
    stands: bool = False  # dug in in a town: they fight on where they stand instead of falling back


def _battle(
    p: CombatParams, ratio: float, att_personnel: float, def_personnel: float, s: _Setting, z: np.ndarray
) -> dict[str, np.ndarray]:
    """The battle for each row of standard normals ``z`` (n, 3); vectorised over the rows.

    Column 0 rolls the outcome (and moves the losses with it), 1 and 2 the two sides' losses.
    Each side's people out of the fight come back as killed, wounded and shaken, and their sum
    (``attacker``, ``defender``). ``stood`` marks the rolls where a garrison that stands held
    on where it would have fallen back. Written in few numpy calls: a real attack runs it for
    one row, the preview for a thousand.
    """
    # One exp for the three columns: the rolled ratio, and each side's lognormal noise (mean 1).
    e = np.exp(z * p.noise_scale + np.array([math.log(ratio), p.noise_shift, p.noise_shift]))
    eff = e[:, 0]
    noise = e[:, 1:]  # (n, 2): the attacker's and the defender's
    outcome = np.searchsorted(p.thresholds, eff, side="right")
    if s.broken:
        outcome = _BROKEN[outcome]
    # The ratio's four powers at once: killed (attacker ^-1, defender ^0.5) and shaken.
    powers = np.exp(np.log(np.clip(eff, p.ratio_min, p.ratio_max))[:, None] * p.ratio_exponents)
    casualty = 1.0 + p.wounded_per_killed
    common = s.days * s.terrain_loss
    # Killed, as shares of each side's fit people; killed and wounded together never above
    # max_share. The defenders lose some more on the move when they fall back or run.
    killed = noise * powers[:, :2]
    killed *= p.killed_by_outcome[outcome]
    killed *= (p.att_daily * common, p.def_daily * common * s.posture)
    np.minimum(killed, p.max_share / casualty, out=killed)
    dfn = killed[:, 1]
    dfn += (1.0 - dfn * casualty) * p.defender_extra[outcome]
    # Shaken: a share of those left, from the same roll and noise.
    shaken = powers[:, 2:] * (p.dis_att, p.dis_def)
    shaken += p.shaken_by_outcome[outcome]
    shaken *= noise
    shaken *= (1.0, s.shaken_posture)
    np.minimum(shaken, p.dis_max, out=shaken)
    shaken *= 1.0 - killed * casualty
    people = (att_personnel, def_personnel)
    killed *= people
    shaken *= people
    wounded = killed * p.wounded_per_killed
    out = killed + wounded + shaken
    stood = np.zeros(len(outcome), dtype=bool)
    if s.stands:
        # Losses as the roll had them; the garrison stays and the street fighting goes on.
        stood = outcome == RETREAT
        outcome = _STAND[outcome]
    return {
        "outcome": outcome,
        "roll": eff,
        "stood": stood,
        "attacker": out[:, 0],
        "defender": out[:, 1],
        "attacker_killed": killed[:, 0],
        "attacker_wounded": wounded[:, 0],
        "attacker_shaken": shaken[:, 0],
        "defender_killed": killed[:, 1],
        "defender_wounded": wounded[:, 1],
        "defender_shaken": shaken[:, 1],
        "civilians": killed.sum(axis=1) * s.civ_factor,
    }


_BROKEN = np.array([REPULSED, HELD, ROUT, ROUT])  # broken defenders run instead of falling back
_STAND = np.array([REPULSED, HELD, HELD, ROUT])  # a dug-in garrison of a town holds on at a retreat


def _setting(
    p: CombatParams, state: GameState, hexmap: HexMap, terrain, target: Hex, defenders: list
) -> _Setting:
    """The setting of a battle. ``stands`` says only whether the defenders could stand (a town,
    dug in, morale whole); the caller clears it if they have no way back."""
    people = sum(u.personnel for u in defenders) or 1
    level = sum(u.entrenchment * u.personnel for u in defenders) / people
    morale = (
        sum((u.morale if u.morale is not None else p.morale_ref) * u.personnel for u in defenders) / people
    )
    civ = 0.0
    if terrain.id == "urban":
        city = hexmap.city_at(target)
        if city is not None and city.population > 0:
            civ = min(p.civ_max, p.civ_per_casualty * (city.population / p.civ_reference) ** p.civ_exponent)
    return _Setting(
        days=min(p.battle_days, float(state.turn_days)),
        terrain_loss=p.terrain_loss.get(terrain.id, 1.0),
        posture=p.entrenched_defender**level,
        shaken_posture=p.dis_entrenched**level,
        civ_factor=civ,
        broken=morale < p.broken_morale,
        stands=terrain.id == "urban" and level >= 1.0 and morale >= p.broken_morale,
    )


# -- who fights ------------------------------------------------------------------------------------


def _sides_in_battle(p: CombatParams, state: GameState, rules: Rules, units, attackers: list, target: Hex):
    """From the units known near the target: the defenders and both sides' supporting artillery.

    The defenders are the ground units in the target hex of a side other than the attackers'
    that some attacker is at war with. Supporting artillery stands within range, outside the
    target hex; the attacker's must have moves left (it fires once a turn).
    """
    side = state.side_of(attackers[0].faction)
    att_ids = {u.id for u in attackers}
    att_factions = {u.faction for u in attackers}
    near, dist = _near(units, target, max(3, p.support_range))
    types = rules.unit_types
    factions = state.factions
    at_war = state.at_war

    def hostile(f, others):
        return any(frozenset((f, g)) in at_war for g in others)

    defenders = []
    for u, d in zip(near, dist):
        if (
            d == 0
            and types[u.type].is_ground
            and factions[u.faction].side != side
            and hostile(u.faction, att_factions)
        ):
            defenders.append(u)
    def_factions = {u.faction for u in defenders}
    def_side = factions[defenders[0].faction].side if defenders else None
    own_support, their_support = [], []
    reach = p.support_range
    support_types = p.support_types
    for u, d in zip(near, dist):
        if (
            d == 0
            or d > reach
            or u.type not in support_types
            or u.id in att_ids
            or not types[u.type].is_ground
        ):
            continue
        usid = factions[u.faction].side
        if usid == side and hostile(u.faction, def_factions):
            if (u.moves_left or 0) > 0:
                own_support.append(u)
        elif usid == def_side and hostile(u.faction, att_factions):
            their_support.append(u)
    return defenders, own_support, their_support, near


# -- retreats --------------------------------------------------------------------------------------


class _Grid:
    """The map's arrays as plain lists, for the few hexes a retreat looks at."""

    def __init__(self, hexmap: HexMap):
        g = map_graph(hexmap)
        self.graph = g
        self.nbr = g.nbr_list
        self.q = g.q.tolist()
        self.r = g.r.tolist()
        self.terrain = g.terrain.tolist()
        codes = [None] + list(hexmap.countries[1:])
        self.country = [codes[c] for c in g.country.tolist()]


_GRIDS: dict[int, tuple[HexMap, _Grid]] = {}


def _grid(hexmap: HexMap) -> _Grid:
    hit = _GRIDS.get(id(hexmap))
    if hit is None or hit[0] is not hexmap:
        hit = (hexmap, _Grid(hexmap))
        _GRIDS[id(hexmap)] = hit
    return hit[1]


def retreat_path(
    state: GameState,
    hexmap: HexMap,
    rules: Rules,
    unit,
    steps: int,
    attacker_hexes: list[Hex],
    near: list,
    moved: dict,
    through_zoc: bool = False,
) -> list[Hex] | None:
    """Where a defender falls back: up to ``steps`` hexes, each further from every attacker.

    ``through_zoc``: a rout, whose men stream away through any gap, ignores zones of control
    and may slip sideways between its attackers (no nearer to any of them) where no hex leads
    away.

    Never into an enemy's hex or zone of control (unless a unit of its own side stands there, as
    for supply), impassable terrain, a country its faction may not enter, a hex of a third side,
    or a full stack (every hex of the way). None: it cannot retreat at all. ``near`` holds the
    units around (those the deciding side knows of); ``moved`` counts units already sent to a
    hex that ``near`` does not show there.
    """
    grid = _grid(hexmap)
    g = grid.graph
    ut = rules.unit_types[unit.type]
    allowed = allowed_countries(state.factions[unit.faction].bases)
    mine = state.side_of(unit.faction)
    at_war = state.at_war_with
    enemy: set[int] = set()
    zoc: set[int] = set()
    blocked: set[int] = set()
    stack: dict[int, int] = {}
    for u in near:
        if u.id == unit.id:
            continue
        uut = rules.unit_types[u.type]
        if not uut.is_ground:
            continue
        i = g.index(u.hex)
        if at_war(unit.faction, u.faction):
            enemy.add(i)
            if uut.zoc:
                zoc.update(grid.nbr[i])
        elif state.side_of(u.faction) == mine:
            stack[i] = stack.get(i, 0) + 1
        else:
            blocked.add(i)
    for h, n in moved.items():
        i = g.index(h)
        stack[i] = stack.get(i, 0) + n
    limit = rules.movement["stack_limit"]
    enters, terrains = ut.enters, rules.terrain
    foes = [(h.q, h.r) for h in attacker_hexes]
    start = cur = g.index(unit.hex)
    cur_d = min(unit.hex.distance(h) for h in attacker_hexes)
    path: list[int] = []
    for _ in range(steps):
        best = None
        for d, j in enumerate(grid.nbr[cur]):
            if j < 0 or j == start or j in path or j in enemy or j in blocked:
                continue
            if j in zoc and not stack.get(j, 0) and not through_zoc:
                continue  # friends standing in it hold an enemy zone of control open
            if stack.get(j, 0) >= limit:
                continue
            t = terrains[grid.terrain[j]]
            if t.id not in enters or grid.country[j] not in allowed:
                continue
            q, r = grid.q[j], grid.r[j]
            ds = [max(abs(q - fq), abs(r - fr), abs(q - fq + r - fr)) for fq, fr in foes]
            low = min(ds)
            if low < cur_d or (low == cur_d and not through_zoc):
                continue
            key = (low, sum(ds), t.defence, -d)
            if best is None or key > best[0]:
                best = (key, j, low)
        if best is None:
            break
        path.append(best[1])
        cur, cur_d = best[1], best[2]
    return [g.hex(j) for j in path] or None


# -- the result of a real attack -------------------------------------------------------------------


@dataclass
class AttackResult:
    """Everything a real attack did, for the event, the log and the window."""

    target: Hex
    attackers: list[str]
    defenders: list[str]
    odds: str
    column: int
    ratio: float
    attacker_power: float
    defender_power: float
    factors: list[Factor]
    roll: float  # the ratio as rolled
    outcome: str
    attacker_losses: dict[str, int]  # killed, by unit
    defender_losses: dict[str, int]
    equipment_losses: dict[str, dict[str, int]]
    out_of_fight: dict[str, list[int]]  # unit id -> [killed, wounded, shaken]
    stood: bool  # a dug-in garrison held on where it would have fallen back, and lost ground
    retreats: dict[str, list[Hex]]
    captured: dict[str, int]
    dissolved: dict[str, int]
    advanced: str | None
    civilians: int
    support: list[str]
    aircraft: int
    enemy_support: list[str]
    enemy_aircraft: int

    @property
    def attacker_loss(self) -> int:
        return sum(self.attacker_losses.values())

    @property
    def defender_loss(self) -> int:
        return sum(self.defender_losses.values())

    def side_out(self, ids) -> list[int]:
        """[killed, wounded, shaken] of the given units together."""
        k = w = sh = 0
        for u in ids:
            row = self.out_of_fight.get(u)
            if row is not None:
                k += row[0]
                w += row[1]
                sh += row[2]
        return [k, w, sh]

    def to_dict(self) -> dict:
        att_out, def_out = self.side_out(self.attackers), self.side_out(self.defenders)
        return {
            "target": [self.target.q, self.target.r],
            "attackers": list(self.attackers),
            "defenders": list(self.defenders),
            "odds": self.odds,
            "column": self.column,
            "ratio": round(self.ratio, 4),
            "attacker_power": round(self.attacker_power, 3),
            "defender_power": round(self.defender_power, 3),
            "factors": [f.to_dict() for f in self.factors],
            "roll": round(self.roll, 4),
            "outcome": self.outcome,
            "attacker_loss": self.attacker_loss,
            "defender_loss": self.defender_loss,
            "attacker_losses": dict(self.attacker_losses),
            "defender_losses": dict(self.defender_losses),
            "equipment_losses": {k: dict(v) for k, v in self.equipment_losses.items()},
            "out_of_fight": {k: list(v) for k, v in self.out_of_fight.items()},
            "attacker_out": att_out,
            "defender_out": def_out,
            "stood": self.stood,
            "retreats": {k: [[h.q, h.r] for h in v] for k, v in self.retreats.items()},
            "captured": dict(self.captured),
            "dissolved": dict(self.dissolved),
            "advanced": self.advanced,
            "civilians": self.civilians,
            "support": list(self.support),
            "aircraft": self.aircraft,
            "enemy_support": list(self.enemy_support),
            "enemy_aircraft": self.enemy_aircraft,
        }


def _split_hurt(b: dict, who: str, units: list) -> dict[str, tuple[int, int, int]]:
    """A side's killed, wounded and shaken of one roll, in whole people, over its units in
    proportion to their fit people: unit id -> (killed, wounded, shaken)."""
    k = float(b[f"{who}_killed"][0])
    w = float(b[f"{who}_wounded"][0])
    sh = float(b[f"{who}_shaken"][0])
    people = [u.personnel for u in units]
    totals = largest_remainders(min(int(round(k + w + sh)), sum(people)), people)
    out = {}
    for u, t in zip(units, totals):
        if t <= 0 or k + w + sh <= 0:
            out[u.id] = (0, 0, 0)
            continue
        uk = int(round(t * k / (k + w + sh)))
        uw = min(t - uk, int(round(t * w / (k + w + sh))))
        out[u.id] = (uk, uw, t - uk - uw)
    return out


def resolve_attack(
    state: GameState, ctx: Context, attacker_ids: list[str], target: Hex
) -> tuple[AttackResult, list[Event]]:
    """Fight one attack for real and change the state; the command checked it first.

    One draw of three standard normals from ``state.rng``.
    """
    hexmap, rules = ctx.hexmap, ctx.rules
    p = combat_params(rules)
    attackers = [state.units[uid] for uid in attacker_ids]
    side = state.side_of(attackers[0].faction)
    defenders, support, their_support, near = _sides_in_battle(
        p, state, rules, state.units.values(), attackers, target
    )
    if not defenders:
        raise ValueError(
            f"no enemy at {target} for {', '.join(attacker_ids)} to attack: Attack.validate refuses this"
        )
    terrain = rules.terrain_named(hexmap.terrain_at(target))
    def_side = state.side_of(defenders[0].faction)
    att = _force(
        p, rules, state, hexmap, attackers, True, target, terrain, support, cas_aircraft(state, side, target)
    )
    dfn = _force(
        p,
        rules,
        state,
        hexmap,
        defenders,
        False,
        target,
        terrain,
        their_support,
        cas_aircraft(state, def_side, target),
    )
    ratio = att.power / max(dfn.power, 1e-3)
    setting = _setting(p, state, hexmap, terrain, target, defenders)
    if setting.stands:  # only a garrison that could stand needs its way back looked for
        attacker_hexes = [u.hex for u in attackers]
        setting.stands = any(
            retreat_path(state, hexmap, rules, u, 1, attacker_hexes, near, {}) is not None for u in defenders
        )
    z = state.rng.standard_normal((1, 3))
    b = _battle(p, ratio, att.personnel, dfn.personnel, setting, z)
    outcome = int(b["outcome"][0])
    events: list[Event] = []
    equipment: dict[str, dict[str, int]] = {}

    # Out of the fight: killed, wounded and shaken, split over the units by their fit people.
    split = {**_split_hurt(b, "attacker", attackers), **_split_hurt(b, "defender", defenders)}
    att_losses: dict[str, int] = {}
    def_losses: dict[str, int] = {}
    out_of_fight: dict[str, list[int]] = {}
    for u in attackers + defenders:
        hurt = state.hurt(u, *split[u.id], "combat", equipment)
        out_of_fight[u.id] = list(hurt)
        (att_losses if u in attackers else def_losses)[u.id] = hurt[0]
    def_ids = [u.id for u in defenders]

    # Morale and experience.
    stood = bool(b["stood"][0])
    attackers_won = outcome >= RETREAT
    for u in attackers:
        u.experience = min(100.0, u.experience + (p.exp_winner if attackers_won else p.exp_loser))
        dm = (
            p.morale_winner
            if attackers_won
            else p.morale_repulsed_attacker
            if outcome == REPULSED
            else p.morale_held_attacker
        )
        u.morale = min(100.0, max(0.0, u.morale + dm))
        u.moves_left = 0.0
        u.attacked = True
    for u in defenders:
        u.experience = min(100.0, u.experience + (p.exp_loser if attackers_won else p.exp_winner))
        dm = (
            p.morale_rout_defender
            if outcome == ROUT
            else p.morale_retreat_defender
            if outcome == RETREAT
            else p.siege_morale
            if stood
            else p.morale_held_defender
            if outcome == HELD
            else p.morale_winner
        )
        u.morale = min(100.0, max(0.0, u.morale + dm))
        if stood:  # the siege goes on: the garrison held, and its works are battered
            u.entrenchment = max(0, u.entrenchment - p.siege_entrenchment)
    for u in support:
        u.moves_left = 0.0  # the guns fired: they do not move again this turn

    # Units too weak to go on melt away: too few left in the line, fit or shaken.
    dissolved = {}
    for u in attackers + defenders:
        if u.personnel + u.shaken < rules.unit_types[u.type].min_personnel:
            dissolved[u.id] = state.remove_unit(u, "dissolved", equipment)

    # The defenders fall back, or are taken in part if they cannot.
    retreats: dict[str, list[Hex]] = {}
    captured: dict[str, int] = {}
    if outcome >= RETREAT:
        steps = 2 if outcome == ROUT else 1
        attacker_hexes = [u.hex for u in attackers]
        if dissolved:
            near = [u for u in near if u.id not in dissolved]
        for u in defenders:
            if u.id in dissolved:
                continue
            path = retreat_path(
                state, hexmap, rules, u, steps, attacker_hexes, near, {}, through_zoc=outcome == ROUT
            )
            if path is None:
                u.morale = max(0.0, u.morale + p.morale_trapped)
                min_people = rules.unit_types[u.type].min_personnel
                if outcome == ROUT:
                    # Routed and ringed in: the disorganised are rounded up; a unit with no
                    # fighting core left, cut off, or whose morale was broken before the
                    # battle (nothing holds it together any more) gives up whole.
                    if u.personnel < min_people or not u.supplied or setting.broken:
                        captured[u.id] = state.remove_unit(u, "captured", equipment)
                    else:
                        taken = int(round(u.shaken * p.capture_rout))
                        u.shaken -= taken
                        state.record_loss(u.faction, "captured", taken)
                        if taken:
                            captured[u.id] = taken
                    continue
                if u.supplied:
                    continue  # hemmed in, not cut off: it stands where it is, shaken
                # Cut off, with no way out: part of the unit surrenders, the shaken first, and
                # the rest stands; a remnant too small to fight on is taken whole.
                taken = int(round((u.personnel + u.shaken) * p.capture_retreat))
                if u.personnel + u.shaken - taken < min_people:
                    captured[u.id] = state.remove_unit(u, "captured", equipment)
                else:
                    from_shaken = min(taken, u.shaken)
                    u.shaken -= from_shaken
                    state.lose_people(u, taken - from_shaken, equipment)
                    state.record_loss(u.faction, "captured", taken)
                    captured[u.id] = taken
            else:
                u.hex = path[-1]
                u.entrenchment = 0
                retreats[u.id] = path

    # An emptied hex is taken by the strongest attacker that may stand there.
    advanced = None
    if not any(u.id in state.units and u.hex == target for u in defenders):
        allowed_terrain = terrain.id
        country = hexmap.country_at(target)
        best = None
        for u, power in zip(attackers, att.unit_power):
            if u.id in dissolved or allowed_terrain not in rules.unit_types[u.type].enters:
                continue
            if country not in allowed_countries(state.factions[u.faction].bases):
                continue
            if best is None or power > best[1]:
                best = (u, power)
        if best is not None:
            unit = best[0]
            unit.hex = target
            unit.entrenchment = 0
            advanced = unit.id
            events += capture(state, ctx, unit, target)

    civilians = int(round(float(b["civilians"][0])))
    state.record_civilians("ground combat", civilians)
    bombed = int(round(_air_civilians(state, hexmap, rules, side, target))) if att.aircraft else 0
    if bombed:
        state.record_civilians(STRIKE_CAUSE, bombed)
        civilians += bombed
    result = AttackResult(
        target=target,
        attackers=list(attacker_ids),
        defenders=def_ids,
        odds=odds_label(ratio),
        column=column_of(ratio),
        ratio=ratio,
        attacker_power=att.power,
        defender_power=dfn.power,
        factors=att.factors + dfn.factors,
        roll=float(b["roll"][0]),
        outcome=OUTCOMES[outcome],
        attacker_losses=att_losses,
        defender_losses=def_losses,
        equipment_losses=equipment,
        out_of_fight=out_of_fight,
        stood=stood,
        retreats=retreats,
        captured=captured,
        dissolved=dissolved,
        advanced=advanced,
        civilians=civilians,
        support=att.support,
        aircraft=att.aircraft,
        enemy_support=dfn.support,
        enemy_aircraft=dfn.aircraft,
    )
    names = {u.id: unit_name(u, state) for u in attackers + defenders}
    where = (target, *(h for path in retreats.values() for h in path))
    events.insert(
        0,
        Event(
            "attack",
            _describe(result, ctx, names),
            result.to_dict(),
            reveals=True,
            units=(*attacker_ids, *def_ids),
            hexes=where,
        ),
    )
    return result, events


def _out_text(out: list[int]) -> str:
    k, w, sh = out
    return f"{k + w + sh:,} ({k:,} killed, {w:,} wounded, {sh:,} shaken)"


_OUTCOME_TEXT = {
    "repulsed": "the attack was thrown back",
    "held": "the defenders held",
    "retreat": "the defenders fell back",
    "rout": "the defenders broke and ran",
}


def _describe(r: AttackResult, ctx: Context, names: dict[str, str]) -> str:
    """The attack in the log's words; ``names`` of the units in it, some now gone."""
    outcome = "the garrison held on, its works battered" if r.stood else _OUTCOME_TEXT[r.outcome]
    text = (
        f"Attack {place(ctx.hexmap, r.target, 'on')} at {r.odds}: {outcome}. "
        f"Out of the fight: attackers {_out_text(r.side_out(r.attackers))}; "
        f"defenders {_out_text(r.side_out(r.defenders))}"
    )
    if r.captured:
        text += f"; {sum(r.captured.values()):,} surrounded and taken prisoner"
    if r.dissolved:
        text += f"; {', '.join(names.get(u, u) for u in r.dissolved)} dissolved"
    if r.civilians:
        text += f"; {r.civilians:,} civilians killed"
    if r.advanced:
        text += f". {names.get(r.advanced, r.advanced)} advanced into the hex"
    return text + "."


# -- the preview -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    mean: float
    p10: float
    p90: float

    def to_dict(self) -> dict:
        return {"mean": round(self.mean, 1), "p10": round(self.p10, 1), "p90": round(self.p90, 1)}


@dataclass
class Preview:
    """What an attack would likely do, from what the attacking side can see."""

    target: Hex
    attackers: list[str]
    defenders: list[str]  # the enemy units the side sees there
    problems: list[str]  # why the attack could not be ordered as it stands
    odds: str = "-"
    column: int = 0
    ratio: float = 0.0
    attacker_power: float = 0.0
    defender_power: float = 0.0
    factors: list[Factor] = field(default_factory=list)
    attacker_personnel: int = 0
    defender_personnel: int = 0  # as seen: to the nearest hundred
    # People out of the fight (killed, wounded and shaken), and of them the killed.
    attacker_loss: Spread = Spread(0.0, 0.0, 0.0)
    defender_loss: Spread = Spread(0.0, 0.0, 0.0)
    attacker_killed: Spread = Spread(0.0, 0.0, 0.0)
    defender_killed: Spread = Spread(0.0, 0.0, 0.0)
    civilians: Spread = Spread(0.0, 0.0, 0.0)
    captured: float = 0.0  # expected defenders taken prisoner, if they are surrounded
    outcomes: dict[str, float] = field(default_factory=dict)  # probability of each outcome
    draws: int = 0
    stands: bool = False  # a dug-in town garrison with a way back: it holds where it would fall back
    stood: float = 0.0  # the chance it holds on so, its works battered (among "held")

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "target": [self.target.q, self.target.r],
            "attackers": list(self.attackers),
            "defenders": list(self.defenders),
            "problems": list(self.problems),
            "odds": self.odds,
            "column": self.column,
            "ratio": round(self.ratio, 4),
            "attacker_power": round(self.attacker_power, 3),
            "defender_power": round(self.defender_power, 3),
            "factors": [f.to_dict() for f in self.factors],
            "attacker_personnel": self.attacker_personnel,
            "defender_personnel": self.defender_personnel,
            "attacker_loss": self.attacker_loss.to_dict(),
            "defender_loss": self.defender_loss.to_dict(),
            "attacker_killed": self.attacker_killed.to_dict(),
            "defender_killed": self.defender_killed.to_dict(),
            "civilians": self.civilians.to_dict(),
            "captured": round(self.captured, 1),
            "outcomes": {k: round(v, 4) for k, v in self.outcomes.items()},
            "draws": self.draws,
            "stands": self.stands,
            "stood": round(self.stood, 4),
        }


def _spreads(*xs: np.ndarray) -> list[Spread]:
    """The mean and 10th-90th percentiles of each array, in one pass over them all."""
    stack = np.stack(xs)
    means = stack.mean(axis=1)
    lo, hi = np.percentile(stack, (10.0, 90.0), axis=1)
    return [Spread(float(m), float(a), float(b)) for m, a, b in zip(means, lo, hi)]


_QUANTILES: dict[int, np.ndarray] = {}


def _preview_normals(key: str, n: int) -> np.ndarray:
    """(n, 3) standard normals for the preview: in each column the n quantiles at the middles of
    n equal slices of probability (a Latin hypercube), paired at random by a generator seeded
    from the inputs. The averages and percentiles then barely jitter from one hex to the next."""
    q = _QUANTILES.get(n)
    if q is None:
        inv = NormalDist().inv_cdf
        q = _QUANTILES[n] = np.array([inv((i + 0.5) / n) for i in range(n)])
    seed = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
    rng = np.random.default_rng(seed)
    return q[rng.permuted(np.tile(np.arange(n), (3, 1)), axis=1)].T


def preview_attack(
    state: GameState,
    hexmap: HexMap,
    rules: Rules,
    side: str,
    attackers: list[str],
    target: Hex,
    view=None,
    draws: int | None = None,
) -> Preview:
    """The odds, factors, expected losses with their spread and the chance of each outcome.

    Only what ``side`` can see is used: its ``SideView`` if given, else the same knowledge
    worked out for the hexes around the target alone (much faster than a whole view). Enemy
    strengths are the rounded ones a side sees; their morale, experience, supply, equipment and
    air support are unknown and taken at the average. The battles are drawn by ``_battle``, the
    real roll's model, from a generator of the preview's own: the state, and its generator, do
    not change.
    """
    p = combat_params(rules)
    if view is not None:
        known = view.units
    else:
        known = _seen_near(state, hexmap, rules, side, target, max(3, p.support_range))
    return _forecast(state, hexmap, rules, side, known, attackers, target, draws, False)


def _seen_near(state: GameState, hexmap: HexMap, rules: Rules, side: str, target: Hex, radius: int) -> list:
    """The units within ``radius`` of the target as ``side`` knows them: its own as they are,
    others it can see as ``side_view`` shows them (rounded strength, nothing else), others not
    at all. The same answer as ``game.visibility`` gives, for a few hexes only: the side's
    sight is worked out once for the units as they stand (``side_sight``), a SideView costs
    milliseconds in a big game."""
    graph = map_graph(hexmap)
    factions = state.factions
    near, _ = _near(state.units.values(), target, radius)
    if all(factions[u.faction].side == side for u in near):
        return near
    sight = side_sight(state, hexmap, rules, side)
    out = []
    for u in near:
        if factions[u.faction].side == side:
            out.append(u)
            continue
        i = graph.index(u.hex)
        d = int(sight[i])
        if d < 0:
            continue
        concealment = rules.terrain[graph.terrain[i]].concealment
        if concealment and d > concealment:
            continue
        out.append(seen_from_outside(u))
    return out


def forecast_attack(
    state: GameState,
    hexmap: HexMap,
    rules: Rules,
    attackers: list[str],
    target: Hex,
    draws: int | None = None,
) -> Preview:
    """The preview as an all-seeing umpire would make it: every unit as it truly is, the
    defenders' air support included. For tests, balance studies and reports after the game;
    never for a player or the AI, who get ``preview_attack``."""
    side = (
        state.side_of(state.units[attackers[0]].faction)
        if attackers and attackers[0] in state.units
        else state.active_side
    )
    return _forecast(state, hexmap, rules, side, list(state.units.values()), attackers, target, draws, True)


def _forecast(
    state: GameState,
    hexmap: HexMap,
    rules: Rules,
    side: str,
    known,
    attackers,
    target: Hex,
    draws: int | None,
    enemy_air: bool,
) -> Preview:
    p = combat_params(rules)
    ctx = Context(hexmap, rules)
    problems = attack_problems(state, ctx, side, attackers, target, known)
    empty = Preview(target=target, attackers=list(attackers), defenders=[], problems=problems)
    if not hexmap.in_bounds(target):
        return empty
    own = {u.id: u for u in known if state.factions[u.faction].side == side}
    units = [
        own[uid]
        for uid in dict.fromkeys(attackers)
        if uid in own and rules.unit_types[own[uid].type].is_ground and own[uid].hex.distance(target) == 1
    ]
    if not units:
        return empty
    defenders, support, their_support, near = _sides_in_battle(p, state, rules, known, units, target)
    if not defenders:
        return empty
    terrain = rules.terrain_named(hexmap.terrain_at(target))
    att = _force(
        p, rules, state, hexmap, units, True, target, terrain, support, cas_aircraft(state, side, target)
    )
    their_side = state.side_of(defenders[0].faction)
    their_air = cas_aircraft(state, their_side, target) if enemy_air else 0
    dfn = _force(p, rules, state, hexmap, defenders, False, target, terrain, their_support, their_air)
    ratio = att.power / max(dfn.power, 1e-3)
    # Which defenders could not fall back, as far as the side can tell.
    attacker_hexes = [u.hex for u in units]
    moved: dict[Hex, int] = {}
    trapped = cut = 0
    for u in defenders:
        path = retreat_path(state, hexmap, rules, u, 1, attacker_hexes, near, moved)
        if path is None:
            trapped += u.personnel
            # Only a unit cut off from supply gives up; an enemy's supply cannot be seen, and
            # is feared the worst.
            if u.supplied is not True:
                cut += u.personnel
        else:
            moved[path[-1]] = moved.get(path[-1], 0) + 1
    setting = _setting(p, state, hexmap, terrain, target, defenders)
    setting.stands = setting.stands and trapped < dfn.personnel
    n = int(draws or p.preview_draws)
    key = repr(
        (
            state.scenario_id,
            state.turn,
            side,
            sorted(u.id for u in units),
            target.q,
            target.r,
            [(u.id, u.personnel, u.entrenchment) for u in defenders],
            n,
        )
    )
    b = _battle(p, ratio, att.personnel, dfn.personnel, setting, _preview_normals(key, n))
    outcome = b["outcome"]
    counts = np.bincount(outcome, minlength=4) / n
    probs = {name: float(counts[i]) for i, name in enumerate(OUTCOMES)}
    probs["trapped"] = 0.0
    captured = 0.0
    if trapped:
        # Ringed in on a rout, a share of the shaken is rounded up; cut off on a retreat, a
        # share of those left.
        people = max(dfn.personnel, 1)
        left = dfn.personnel - b["defender_killed"] - b["defender_wounded"]
        # A broken garrison ringed in on a rout gives up whole, its wounded with it.
        routed = (
            trapped
            / people
            * (left + b["defender_wounded"] if setting.broken else p.capture_rout * b["defender_shaken"])
        )
        taken = np.where(
            outcome == ROUT,
            routed,
            np.where(outcome == RETREAT, cut / people * p.capture_retreat * left, 0.0),
        )
        captured = float(taken.mean())
    if trapped:
        if trapped >= dfn.personnel:  # no way out: a retreat becomes a partial surrender
            probs["trapped"] = probs["retreat"] + probs["rout"]
            probs["retreat"] = probs["rout"] = 0.0
    bombed = _air_civilians(state, hexmap, rules, side, target) if att.aircraft else 0.0
    spreads = _spreads(
        b["attacker"], b["defender"], b["attacker_killed"], b["defender_killed"], b["civilians"] + bombed
    )
    return Preview(
        target=target,
        attackers=[u.id for u in units],
        defenders=[u.id for u in defenders],
        problems=problems,
        odds=odds_label(ratio),
        column=column_of(ratio),
        ratio=ratio,
        attacker_power=att.power,
        defender_power=dfn.power,
        factors=att.factors + dfn.factors,
        attacker_personnel=att.personnel,
        defender_personnel=dfn.personnel,
        attacker_loss=spreads[0],
        defender_loss=spreads[1],
        attacker_killed=spreads[2],
        defender_killed=spreads[3],
        civilians=spreads[4],
        captured=captured,
        outcomes=probs,
        draws=n,
        stands=setting.stands,
        stood=float(b["stood"].mean()),
    )


# -- the command -----------------------------------------------------------------------------------


def attack_problems(
    state: GameState, ctx: Context, side: str, attackers: list[str], target: Hex, known
) -> list[str]:
    """Why these units cannot attack that hex, judged from the units the side knows of."""
    rules, hexmap = ctx.rules, ctx.hexmap
    if not attackers:
        return ["no attackers listed: choose the units that attack"]
    problems = []
    seen = set()
    for uid in attackers:
        if uid in seen:
            unit = state.units.get(uid)
            problems.append(f"{unit_name(unit, state) if unit is not None else repr(uid)} is listed twice")
        seen.add(uid)
    if not hexmap.in_bounds(target):
        return problems + ["the target is off the map"]
    units = []
    for uid in dict.fromkeys(attackers):
        unit = own_unit(state, side, uid, problems)
        if unit is None:
            continue
        ut = rules.unit_types[unit.type]
        if not ut.is_ground:
            problems.append(
                f"{unit_name(unit, state)} is a {ut.name.lower()}: air and naval units "
                f"cannot attack on the ground"
            )
            continue
        if unit.attacked:
            problems.append(
                f"{unit_name(unit, state)} has already attacked this turn (a unit attacks once a turn)"
            )
        elif unit.personnel <= 0:
            problems.append(
                f"{unit_name(unit, state)} has no one fit to fight: its people are shaken or wounded"
            )
        if unit.hex.distance(target) != 1:
            problems.append(f"{unit_name(unit, state)} is not adjacent to {place_name(hexmap, target)}")
        units.append(unit)
    there = [
        u
        for u in known
        if u.hex == target and rules.unit_types[u.type].is_ground and state.side_of(u.faction) != side
    ]
    if not there:
        problems.append(f"no enemy you can see {place(hexmap, target)}")
        return problems
    for f in sorted({u.faction for u in units}):
        for g in sorted({u.faction for u in there}):
            if not state.at_war_with(f, g):
                problems.append(f"{state.factions[f].name} is not at war with {state.factions[g].name}")
    return problems


@dataclass
class Attack(Command):
    """Units of the side to move attack one adjacent hex together."""

    kind: ClassVar[str] = "attack"
    attackers: list[str] = field(default_factory=list)
    target: Hex = Hex(0, 0)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "side": self.side,
            "attackers": list(self.attackers),
            "target": [self.target.q, self.target.r],
        }

    @classmethod
    def _from_body(cls, body: dict) -> Attack:
        q, r = body["target"]
        return cls(
            side=body["side"], attackers=[str(a) for a in body["attackers"]], target=Hex(int(q), int(r))
        )

    def validate(self, state: GameState, ctx: Context) -> list[str]:
        problems = super().validate(state, ctx)
        if problems:
            return problems
        known = visible_units(state, ctx.hexmap, ctx.rules, self.side)
        return attack_problems(state, ctx, self.side, self.attackers, self.target, known)

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        _, events = resolve_attack(state, ctx, list(dict.fromkeys(self.attackers)), self.target)
        return events


__all__ = [
    "Attack",
    "AttackResult",
    "CombatParams",
    "Factor",
    "OUTCOMES",
    "Preview",
    "Spread",
    "attack_problems",
    "cas_aircraft",
    "column_of",
    "combat_params",
    "forecast_attack",
    "odds_label",
    "preview_attack",
    "resolve_attack",
]
