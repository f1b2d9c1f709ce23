"""The ruleset: unit types, terrain effects and the numbers of movement, supply, fog, ground
combat and air warfare.

Engine layer, data only. The rules live in TOML files beside this module; they are read and
checked once, at load, into frozen dataclasses, and are never saved with a game (a save names
the ruleset's version instead). A broken rules file is reported as ``file: [table.field]:
problem``, one line per problem.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from dataclasses import dataclass, field, fields as dataclass_fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.hexmap import TERRAINS

RULES_DIR = Path(__file__).resolve().parent
CATEGORIES = ("ground", "air", "naval")
MOVE_CLASSES = ("foot", "wheeled", "tracked")
_NUMBER = (int, float)


class RulesError(Exception):
    """Rules files that cannot be used; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class UnitType:
    id: str
    name: str
    category: str
    symbol: str
    movement: float
    move_class: str
    attack: float
    defence: float
    vision: int
    zoc: bool
    air_defence: float
    air_defence_range: int
    min_personnel: int
    equipment: tuple[str, ...]
    enters: frozenset[str]

    @property
    def is_ground(self) -> bool:
        return self.category == "ground"

    @property
    def a_name(self) -> str:
        """ "an infantry unit", "a mechanized infantry unit": the name as a sentence uses it."""
        name = self.name.lower()
        return f"{'an' if name[0] in 'aeiou' else 'a'} {name} unit"


@dataclass(frozen=True)
class TerrainEffect:
    id: str
    code: int
    cost: MappingProxyType  # move class -> movement points; missing: impassable on the ground
    defence: float
    vision: int
    concealment: int
    entrench_max: int


# -- ground combat and air warfare (combat.toml, air.toml) -------------------------------------
# Each field's metadata says what its file may hold: a number or a whole number within bounds,
# a table of named numbers, or a table of its own. The loader checks the files against these
# fields, so a figure and its bounds are written once, here; the files say what each one does.


def _number(low: float | None = None, high: float | None = None) -> dict:
    """A number, at least ``low`` and at most ``high`` when given."""
    return {"kind": _NUMBER, "low": low, "high": high}


def _whole(low: int | None = None, high: int | None = None) -> dict:
    """A whole number, at least ``low`` and at most ``high`` when given."""
    return {"kind": int, "low": low, "high": high}


def _figures(
    low: float | None = None, high: float | None = None, *, terrains: bool = False, every: bool = False
) -> dict:
    """A table of named numbers (equipment items, unit types or, with ``terrains``, the map's
    terrains: all of them when ``every``)."""
    return {"kind": dict, "low": low, "high": high, "terrains": terrains, "every": every}


def _table(cls) -> dict:
    """A table of its own, with the fields of ``cls``."""
    return {"kind": cls}


_SHARE = {"low": 0, "high": 1}  # a share or a chance
_MORALE = {"low": -100, "high": 100}  # a change of morale, on its scale of 0 to 100


@dataclass(frozen=True)
class CombatPower:
    """``[power]`` of ``combat.toml``."""

    morale_reference: float = field(metadata=_number(0, 100))
    morale_weight: float = field(metadata=_number(0))
    morale_low: float = field(metadata=_number(0, 100))
    broken_morale: float = field(metadata=_number(0, 100))
    experience_reference: float = field(metadata=_number(0, 100))
    experience_weight: float = field(metadata=_number(0))
    veteran: float = field(metadata=_number(0, 100))
    green: float = field(metadata=_number(0, 100))
    river: float = field(metadata=_number(0))
    river_bridge: float = field(metadata=_number(0))


@dataclass(frozen=True)
class CombatSupport:
    """``[support]`` of ``combat.toml``."""

    range: int = field(metadata=_whole(0))
    attack_share: float = field(metadata=_number(0))
    defence_share: float = field(metadata=_number(0))
    air_per_aircraft: float = field(metadata=_number(0))
    air_max: float = field(metadata=_number(1))
    types: MappingProxyType = field(metadata=_figures(0))  # unit type -> share of its attack power


@dataclass(frozen=True)
class CombatOutcome:
    """``[outcome]`` of ``combat.toml``."""

    noise: float = field(metadata=_number(0))
    repulsed_below: float = field(metadata=_number(0))
    retreat_from: float = field(metadata=_number(0))
    rout_from: float = field(metadata=_number(0))


@dataclass(frozen=True)
class CombatLosses:
    """``[losses]`` of ``combat.toml``."""

    attacker_daily: float = field(metadata=_number(**_SHARE))
    defender_daily: float = field(metadata=_number(**_SHARE))
    wounded_per_killed: float = field(metadata=_number(0))
    attacker_ratio_exponent: float = field(metadata=_number(0))
    defender_ratio_exponent: float = field(metadata=_number(0))
    ratio_min: float = field(metadata=_number(0))
    ratio_max: float = field(metadata=_number(0))
    noise: float = field(metadata=_number(0))
    max_share: float = field(metadata=_number(**_SHARE))
    entrenched_defender: float = field(metadata=_number(0))
    repulsed_attacker: float = field(metadata=_number(0))
    retreat_extra: float = field(metadata=_number(**_SHARE))
    rout_extra: float = field(metadata=_number(**_SHARE))
    terrain: MappingProxyType = field(metadata=_figures(0, terrains=True))  # missing terrains: 1


@dataclass(frozen=True)
class CombatDisruption:
    """``[disruption]`` of ``combat.toml``."""

    attacker: float = field(metadata=_number(**_SHARE))
    attacker_ratio_exponent: float = field(metadata=_number(0))
    defender: float = field(metadata=_number(**_SHARE))
    defender_ratio_exponent: float = field(metadata=_number(0))
    repulsed: float = field(metadata=_number(**_SHARE))
    retreat: float = field(metadata=_number(**_SHARE))
    rout: float = field(metadata=_number(**_SHARE))
    entrenched: float = field(metadata=_number(0))
    max_share: float = field(metadata=_number(**_SHARE))


@dataclass(frozen=True)
class CombatSiege:
    """``[siege]`` of ``combat.toml``."""

    entrenchment_lost: int = field(metadata=_whole(0))
    morale: float = field(metadata=_number(**_MORALE))


@dataclass(frozen=True)
class CombatCapture:
    """``[capture]`` of ``combat.toml``."""

    retreat: float = field(metadata=_number(**_SHARE))
    rout: float = field(metadata=_number(**_SHARE))


@dataclass(frozen=True)
class CombatRecovery:
    """``[recovery]`` of ``combat.toml``."""

    rally: float = field(metadata=_number(**_SHARE))
    rally_contact: float = field(metadata=_number(**_SHARE))
    rally_unsupplied: float = field(metadata=_number(**_SHARE))
    wounded_return_week: float = field(metadata=_number(**_SHARE))
    wounded_lost_week: float = field(metadata=_number(**_SHARE))


@dataclass(frozen=True)
class CombatMorale:
    """``[morale]`` of ``combat.toml``."""

    winner: float = field(metadata=_number(**_MORALE))
    held_attacker: float = field(metadata=_number(**_MORALE))
    held_defender: float = field(metadata=_number(**_MORALE))
    repulsed_attacker: float = field(metadata=_number(**_MORALE))
    retreat_defender: float = field(metadata=_number(**_MORALE))
    rout_defender: float = field(metadata=_number(**_MORALE))
    trapped_defender: float = field(metadata=_number(**_MORALE))


@dataclass(frozen=True)
class CombatExperience:
    """``[experience]`` of ``combat.toml``."""

    winner: float = field(metadata=_number(0, 100))
    loser: float = field(metadata=_number(0, 100))


@dataclass(frozen=True)
class CombatCivilians:
    """``[civilians]`` of ``combat.toml``."""

    per_casualty: float = field(metadata=_number(0))
    population_reference: float = field(metadata=_number(1))
    population_exponent: float = field(metadata=_number(0))
    max_per_casualty: float = field(metadata=_number(0))


@dataclass(frozen=True)
class CombatPreview:
    """``[preview]`` of ``combat.toml``."""

    draws: int = field(metadata=_whole(10))


@dataclass(frozen=True)
class CombatRules:
    """The figures of ``combat.toml`` (``game.combat``)."""

    battle_days: float = field(metadata=_number(0))
    power: CombatPower = field(metadata=_table(CombatPower))
    equipment: MappingProxyType = field(metadata=_figures(0))  # item -> power points per item
    equipment_typical: MappingProxyType = field(metadata=_figures(0))  # item -> per 1,000 people
    support: CombatSupport = field(metadata=_table(CombatSupport))
    outcome: CombatOutcome = field(metadata=_table(CombatOutcome))
    losses: CombatLosses = field(metadata=_table(CombatLosses))
    disruption: CombatDisruption = field(metadata=_table(CombatDisruption))
    siege: CombatSiege = field(metadata=_table(CombatSiege))
    capture: CombatCapture = field(metadata=_table(CombatCapture))
    recovery: CombatRecovery = field(metadata=_table(CombatRecovery))
    morale: CombatMorale = field(metadata=_table(CombatMorale))
    experience: CombatExperience = field(metadata=_table(CombatExperience))
    civilians: CombatCivilians = field(metadata=_table(CombatCivilians))
    preview: CombatPreview = field(metadata=_table(CombatPreview))


@dataclass(frozen=True)
class AirRange:
    """``[range]`` of ``air.toml``."""

    tanker_factor: float = field(metadata=_number(0))
    tanker_share_cap: float = field(metadata=_number(**_SHARE))
    patrol_radius: int = field(metadata=_whole(0))
    naval_strike: int = field(metadata=_whole(0))


@dataclass(frozen=True)
class AirStrike:
    """``[strike]`` of ``air.toml``."""

    lethality: float = field(metadata=_number(0))
    density_half: float = field(metadata=_number(0))
    entrenchment_cover: float = field(metadata=_number(0))
    max_share: float = field(metadata=_number(**_SHARE))
    shaken_per_sortie: float = field(metadata=_number(0))
    max_shaken_share: float = field(metadata=_number(**_SHARE))
    noise_sigma: float = field(metadata=_number(0))
    equipment_per_sortie: float = field(metadata=_number(0))
    equipment_half: float = field(metadata=_number(0))
    civilians_per_sortie: float = field(metadata=_number(0))
    civilians_population: float = field(metadata=_number(1))
    population_min: float = field(metadata=_number(0))
    population_max: float = field(metadata=_number(0))
    naval_sorties_per_ship: float = field(metadata=_number(0))


@dataclass(frozen=True)
class AirDefence:
    """``[air_defence]`` of ``air.toml``."""

    kill_per_point: float = field(metadata=_number(0))
    kill_cap: float = field(metadata=_number(**_SHARE))
    crew_per_aircraft: float = field(metadata=_number(0))
    crew_killed: float = field(metadata=_number(**_SHARE))


@dataclass(frozen=True)
class AirCombat:
    """``[air_combat]`` of ``air.toml``."""

    kill_rate: float = field(metadata=_number(0))
    defender_advantage: float = field(metadata=_number(0))
    bomb_load: float = field(metadata=_number(0))
    sweep: float = field(metadata=_number(0))
    attacker_cap: float = field(metadata=_number(**_SHARE))
    defender_cap: float = field(metadata=_number(**_SHARE))
    alert_share: float = field(metadata=_number(**_SHARE))


@dataclass(frozen=True)
class AirRules:
    """The figures of ``air.toml`` (``game.air``)."""

    range: AirRange = field(metadata=_table(AirRange))
    strike: AirStrike = field(metadata=_table(AirStrike))
    # terrain -> share of a strike's full effect that reaches units there
    cover: MappingProxyType = field(metadata=_figures(**_SHARE, terrains=True, every=True))
    air_defence: AirDefence = field(metadata=_table(AirDefence))
    air_combat: AirCombat = field(metadata=_table(AirCombat))


@dataclass(frozen=True)
class Rules:
    unit_types: MappingProxyType
    terrain: tuple[TerrainEffect, ...]  # indexed by the map's terrain code
    movement: MappingProxyType
    entrenchment: MappingProxyType
    supply: MappingProxyType
    vision: MappingProxyType
    combat: CombatRules
    air: AirRules
    version: str = field(default="2")

    def unit_type(self, type_id: str) -> UnitType:
        return self.unit_types[type_id]

    def terrain_named(self, name: str) -> TerrainEffect:
        return self.terrain[TERRAINS.index(name)]


# -- checking ----------------------------------------------------------------------------------


class Checker:
    """Reads the figures of one rules file, collecting a ``file: [table.field]: problem`` line
    for each one missing, of the wrong type or out of its range (the rules and the casualty
    tables of ``game.ledger`` are read through it)."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{self.path.name}: [{where}]: {text}")

    def get(
        self,
        table: dict,
        key: str,
        where: str,
        kind,
        *,
        default=None,
        required=True,
        minimum=None,
        maximum=None,
        choices=None,
    ):
        at = _at(where, key)
        if key not in table:
            if required:
                self.problem(at, "missing")
            return default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            self.problem(at, f"expected a {_kind_name(kind)}, got {value!r}")
            return default
        if not isinstance(value, kinds):
            self.problem(at, f"expected a {_kind_name(kind)}, got {value!r}")
            return default
        if minimum is not None and value < minimum:
            self.problem(at, f"must be at least {minimum}, got {value!r}")
            return default
        if maximum is not None and value > maximum:
            self.problem(at, f"must be at most {maximum}, got {value!r}")
            return default
        if choices is not None and value not in choices:
            self.problem(at, f"{value!r} is not one of {', '.join(choices)}")
            return default
        return value

    def unknown(self, table: dict, known: set[str], where: str) -> None:
        for key in sorted(set(table) - known):
            self.problem(_at(where, key), f"unknown field; expected one of {', '.join(sorted(known))}")


def _at(where: str, key: str) -> str:
    """The path of a field in its file: "outcome.noise", or "battle_days" at the top."""
    return f"{where}.{key}" if where else key


def _kind_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if set(kinds) == {int, float}:
        return "number"
    names = {
        int: "whole number",
        float: "number",
        bool: "true/false",
        str: "string",
        list: "list",
        dict: "table",
    }
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def read_toml(path: Path, problems: list[str]) -> dict:
    """A rules file's tables, or an empty dict with the reason it cannot be read in ``problems``."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        problems.append(f"{path.name}: file not found")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path.name}: {exc}")
    return {}


_UNIT_FIELDS = {
    "name",
    "category",
    "symbol",
    "movement",
    "move_class",
    "attack",
    "defence",
    "vision",
    "zoc",
    "air_defence",
    "air_defence_range",
    "min_personnel",
    "equipment",
    "enters",
}
_TERRAIN_FIELDS = {"cost", "defence", "vision", "concealment", "entrench_max"}


def _unit_types(data: dict, c: Checker) -> dict[str, UnitType]:
    out = {}
    for tid, t in data.items():
        if not isinstance(t, dict):
            c.problem(tid, "expected a table of fields")
            continue
        c.unknown(t, _UNIT_FIELDS, tid)
        category = c.get(t, "category", tid, str, choices=CATEGORIES)
        move_classes = MOVE_CLASSES if category == "ground" else ("air", "naval")
        enters = c.get(t, "enters", tid, list, default=[])
        for name in enters:
            if name not in TERRAINS:
                c.problem(f"{tid}.enters", f"unknown terrain {name!r}; terrains are {', '.join(TERRAINS)}")
        equipment = c.get(t, "equipment", tid, list, default=[])
        if not all(isinstance(e, str) for e in equipment):
            c.problem(f"{tid}.equipment", "expected a list of names")
            equipment = []
        out[tid] = UnitType(
            id=tid,
            name=c.get(t, "name", tid, str, default=tid),
            category=category or "ground",
            symbol=c.get(t, "symbol", tid, str, default=tid),
            movement=float(c.get(t, "movement", tid, _NUMBER, minimum=0, default=0)),
            move_class=c.get(t, "move_class", tid, str, choices=move_classes, default="foot"),
            attack=float(c.get(t, "attack", tid, _NUMBER, minimum=0, default=0)),
            defence=float(c.get(t, "defence", tid, _NUMBER, minimum=0, default=0)),
            vision=c.get(t, "vision", tid, int, minimum=0, default=0),
            zoc=c.get(t, "zoc", tid, bool, default=False),
            air_defence=float(c.get(t, "air_defence", tid, _NUMBER, minimum=0, default=0)),
            air_defence_range=c.get(t, "air_defence_range", tid, int, minimum=0, default=0),
            min_personnel=c.get(t, "min_personnel", tid, int, minimum=0, default=0),
            equipment=tuple(equipment),
            enters=frozenset(e for e in enters if e in TERRAINS),
        )
    return out


def _terrain(data: dict, c: Checker) -> tuple[TerrainEffect, ...]:
    out = []
    for code, name in enumerate(TERRAINS):
        t = data.get(name)
        if not isinstance(t, dict):
            c.problem(name, "missing: every terrain of the map needs its effects")
            t = {}
        c.unknown(t, _TERRAIN_FIELDS, name)
        cost = c.get(t, "cost", name, dict, required=False, default={})
        clean = {}
        for mc, v in cost.items():
            if mc not in MOVE_CLASSES:
                c.problem(f"{name}.cost.{mc}", f"unknown movement class; expected {', '.join(MOVE_CLASSES)}")
            elif isinstance(v, bool) or not isinstance(v, _NUMBER) or v <= 0:
                c.problem(f"{name}.cost.{mc}", f"expected a positive number, got {v!r}")
            else:
                clean[mc] = float(v)
        out.append(
            TerrainEffect(
                id=name,
                code=code,
                cost=MappingProxyType(clean),
                defence=float(c.get(t, "defence", name, _NUMBER, minimum=0.1, default=1.0)),
                vision=c.get(t, "vision", name, int, default=0),
                concealment=c.get(t, "concealment", name, int, minimum=0, default=0),
                entrench_max=c.get(t, "entrench_max", name, int, minimum=0, default=0),
            )
        )
    for extra in sorted(set(data) - set(TERRAINS)):
        c.problem(extra, f"unknown terrain; the map's terrains are {', '.join(TERRAINS)}")
    return tuple(out)


# section -> field -> (kind, smallest value allowed)
_SECTIONS: dict[str, dict[str, tuple[Any, int]]] = {
    "movement": {
        "road_cost": (_NUMBER, 0),
        "river_cost": (_NUMBER, 0),
        "bridge_cost": (_NUMBER, 0),
        "zoc_exit_cost": (_NUMBER, 0),
        "stack_limit": (int, 1),
    },
    "entrenchment": {"defence_per_level": (_NUMBER, 0)},
    "supply": {
        "range": (_NUMBER, 1),
        "road_cost": (_NUMBER, 0),
        "weakness": (_NUMBER, 0),
        "attrition_after": (int, 0),
        "attrition_rate": (_NUMBER, 0),
        "recovery_morale": (_NUMBER, 0),
        "morale_loss": (_NUMBER, 0),
        "recovery_contact": (_NUMBER, 0),
        "panic_desertion": (_NUMBER, 0),
        "panic_desertion_supplied": (_NUMBER, 0),
    },
    "vision": {"hill_bonus_elevation": (int, 0)},
}


def _sections(data: dict, c: Checker) -> dict[str, Any]:  # keyword arguments of Rules
    out = {}
    for section, fields in _SECTIONS.items():
        table = data.get(section)
        if not isinstance(table, dict):
            c.problem(section, "missing table")
            table = {}
        c.unknown(table, set(fields), section)
        out[section] = MappingProxyType(
            {
                key: c.get(table, key, section, kind, minimum=minimum, default=minimum)
                for key, (kind, minimum) in fields.items()
            }
        )
    for extra in sorted(set(data) - set(_SECTIONS)):
        c.problem(extra, f"unknown table; expected {', '.join(_SECTIONS)}")
    return out


def load_rules(directory: Path | None = None) -> Rules:
    """Read and check the five rules files; raise RulesError listing every problem."""
    directory = Path(directory) if directory is not None else RULES_DIR
    problems: list[str] = []
    units_c = Checker(directory / "units.toml")
    terrain_c = Checker(directory / "terrain.toml")
    rules_c = Checker(directory / "rules.toml")
    unit_types = _unit_types(read_toml(units_c.path, problems), units_c)
    terrain = _terrain(read_toml(terrain_c.path, problems), terrain_c)
    sections = _sections(read_toml(rules_c.path, problems), rules_c)
    combat_c = Checker(directory / "combat.toml")
    air_c = Checker(directory / "air.toml")
    combat = _warfare(CombatRules, combat_c, problems)
    air = _warfare(AirRules, air_c, problems)
    for tid in combat.support.types:
        if tid not in unit_types:
            combat_c.problem(
                f"support.types.{tid}", f"unknown unit type; the types are {', '.join(unit_types)}"
            )
    _ascending(combat_c, "outcome", combat.outcome, ("repulsed_below", "retreat_from", "rout_from"))
    _ascending(combat_c, "losses", combat.losses, ("ratio_min", "ratio_max"))
    _ascending(air_c, "strike", air.strike, ("population_min", "population_max"))
    problems += units_c.problems + terrain_c.problems + rules_c.problems + combat_c.problems + air_c.problems
    # Cross-checks: every ground type can move over some terrain it may enter.
    for ut in unit_types.values():
        if ut.is_ground:
            for t in ut.enters:
                if ut.move_class not in terrain[TERRAINS.index(t)].cost:
                    problems.append(
                        f"units.toml: [{ut.id}.enters]: {t} has no cost for "
                        f"{ut.move_class} movement in terrain.toml"
                    )
    if problems:
        raise RulesError(problems)
    return Rules(unit_types=MappingProxyType(unit_types), terrain=terrain, **sections, combat=combat, air=air)


def _ascending(c: Checker, where: str, table, names: tuple[str, ...]) -> None:
    """Figures that must not fall from one to the next (thresholds, bounds of a range)."""
    if c.problems:
        return  # a figure already refused would be named again
    for low, high in itertools.pairwise(names):
        if getattr(table, high) < getattr(table, low):
            c.problem(
                _at(where, high),
                f"must be at least {low} ({getattr(table, low)!r}), got {getattr(table, high)!r}",
            )


def _warfare(cls, c: Checker, problems: list[str]):
    """combat.toml or air.toml, read and checked: a file that cannot be read is named once,
    not with each of its figures."""
    before = len(problems)
    data = read_toml(c.path, problems)
    return _typed(cls, data, c if len(problems) == before else Checker(c.path), "")


def _typed(cls, table: dict, c: Checker, where: str):
    """One of the warfare files' dataclasses from its table, each field checked as it says."""
    c.unknown(table, {f.name for f in dataclass_fields(cls)}, where)
    values = {}
    for f in dataclass_fields(cls):
        kind, at = f.metadata["kind"], _at(where, f.name)
        if kind is dict or is_dataclass(kind):
            sub = c.get(table, f.name, where, dict)
            # a table missing or of the wrong type is named once, not with each of its fields
            sub_c = c if sub is not None else Checker(c.path)
            values[f.name] = (
                _named_figures(sub or {}, sub_c, at, f.metadata)
                if kind is dict
                else _typed(kind, sub or {}, sub_c, at)
            )
        else:
            value = c.get(
                table, f.name, where, kind, minimum=f.metadata["low"], maximum=f.metadata["high"], default=0
            )
            values[f.name] = float(value) if kind is _NUMBER else value
    return cls(**values)


def _named_figures(table: dict, c: Checker, where: str, spec) -> MappingProxyType:
    """A table of named numbers, each within the field's bounds; terrains checked by name."""
    out = {}
    if spec["terrains"]:
        for name in sorted(set(table) - set(TERRAINS)):
            c.problem(_at(where, name), f"unknown terrain; the map's terrains are {', '.join(TERRAINS)}")
        if spec["every"]:
            for name in TERRAINS:
                if name not in table:
                    c.problem(_at(where, name), "missing: every terrain of the map needs one")
    for name in table:
        if spec["terrains"] and name not in TERRAINS:
            continue
        value = c.get(table, name, where, _NUMBER, minimum=spec["low"], maximum=spec["high"])
        if value is not None:
            out[name] = float(value)
    return MappingProxyType(out)


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    return load_rules()


def move_cost_table(rules: Rules, unit_type: UnitType) -> list[float]:
    """Movement points to enter each terrain code for this type; inf where it may not go."""
    costs = []
    for t in rules.terrain:
        if t.id not in unit_type.enters:
            costs.append(math.inf)
        elif not unit_type.is_ground:
            costs.append(1.0)
        else:
            costs.append(t.cost.get(unit_type.move_class, math.inf))
    return costs


def largest_remainders(total: int, weights, exact: bool = False) -> list[int]:
    """``total`` split in whole numbers in proportion to ``weights`` (none negative), adding up
    to it exactly: each share rounded down, then one more to the largest remainders, the first
    of equal ones first. All zeros if ``total`` or the weights' sum is not positive.

    Shares are divided in floating point, as the fights share out their losses, or with
    ``exact`` (whole-number weights) in whole numbers, as the casualty books do; the two may
    order remainders that are equal or nearly so differently, so neither may change."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    if exact:
        out = [total * w // s for w in weights]
        order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % s), i))
    else:
        share = [total * w / s for w in weights]
        out = [int(math.floor(x)) for x in share]
        order = sorted(range(len(weights)), key=lambda i: (-(share[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out
