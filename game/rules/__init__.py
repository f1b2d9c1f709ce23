"""The ruleset: unit types, terrain effects and the numbers of movement, supply and fog.

Engine layer, data only. The rules live in TOML files beside this module; they are read and
checked once, at load, into frozen dataclasses, and are never saved with a game (a save names
the ruleset's version instead). A broken rules file is reported as ``file: [table.field]:
problem``, one line per problem.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from game.hexmap import TERRAINS

RULES_DIR = Path(__file__).resolve().parent
CATEGORIES = ("ground", "air", "naval")
MOVE_CLASSES = ("foot", "wheeled", "tracked")


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
        """"an infantry unit", "a mechanized infantry unit": the name as a sentence uses it."""
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


@dataclass(frozen=True)
class Rules:
    unit_types: MappingProxyType
    terrain: tuple[TerrainEffect, ...]  # indexed by the map's terrain code
    movement: MappingProxyType
    entrenchment: MappingProxyType
    supply: MappingProxyType
    vision: MappingProxyType
    combat: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    air: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    version: str = field(default="2")

    def need(self, section: str, *keys: str) -> None:
        """Raise RulesError unless every key is in the section (the warfare files' check)."""
        table = getattr(self, section)
        missing = [k for k in keys if k not in table]
        if missing:
            raise RulesError([f"{section}.toml: [{section}.{k}]: missing" for k in missing])

    def unit_type(self, type_id: str) -> UnitType:
        return self.unit_types[type_id]

    def terrain_named(self, name: str) -> TerrainEffect:
        return self.terrain[TERRAINS.index(name)]


# -- checking ----------------------------------------------------------------------------------

_NUMBER = (int, float)


class Checker:
    """Reads the figures of one rules file, collecting a ``file: [table.field]: problem`` line
    for each one missing, of the wrong type or out of its range (the rules and the casualty
    tables of ``game.ledger`` are read through it)."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{self.path.name}: [{where}]: {text}")

    def get(self, table: dict, key: str, where: str, kind, *, default=None, required=True,
            minimum=None, choices=None):
        if key not in table:
            if required:
                self.problem(f"{where}.{key}", "missing")
            return default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            self.problem(f"{where}.{key}", f"expected a {_kind_name(kind)}, got {value!r}")
            return default
        if not isinstance(value, kinds):
            self.problem(f"{where}.{key}", f"expected a {_kind_name(kind)}, got {value!r}")
            return default
        if minimum is not None and value < minimum:
            self.problem(f"{where}.{key}", f"must be at least {minimum}, got {value!r}")
            return default
        if choices is not None and value not in choices:
            self.problem(f"{where}.{key}", f"{value!r} is not one of {', '.join(choices)}")
            return default
        return value

    def unknown(self, table: dict, known: set[str], where: str) -> None:
        for key in sorted(set(table) - known):
            self.problem(f"{where}.{key}", f"unknown field; expected one of {', '.join(sorted(known))}")


def _kind_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if set(kinds) == {int, float}:
        return "number"
    names = {int: "whole number", float: "number", bool: "true/false", str: "string",
             list: "list", dict: "table"}
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


_UNIT_FIELDS = {"name", "category", "symbol", "movement", "move_class", "attack", "defence",
                "vision", "zoc", "air_defence", "air_defence_range", "min_personnel",
                "equipment", "enters"}
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
        out.append(TerrainEffect(
            id=name, code=code, cost=MappingProxyType(clean),
            defence=float(c.get(t, "defence", name, _NUMBER, minimum=0.1, default=1.0)),
            vision=c.get(t, "vision", name, int, default=0),
            concealment=c.get(t, "concealment", name, int, minimum=0, default=0),
            entrench_max=c.get(t, "entrench_max", name, int, minimum=0, default=0),
        ))
    for extra in sorted(set(data) - set(TERRAINS)):
        c.problem(extra, f"unknown terrain; the map's terrains are {', '.join(TERRAINS)}")
    return tuple(out)


# section -> field -> (kind, smallest value allowed)
_SECTIONS: dict[str, dict[str, tuple[Any, int]]] = {
    "movement": {"road_cost": (_NUMBER, 0), "river_cost": (_NUMBER, 0),
                 "bridge_cost": (_NUMBER, 0), "zoc_exit_cost": (_NUMBER, 0),
                 "stack_limit": (int, 1)},
    "entrenchment": {"defence_per_level": (_NUMBER, 0)},
    "supply": {"range": (_NUMBER, 1), "road_cost": (_NUMBER, 0), "weakness": (_NUMBER, 0),
               "attrition_after": (int, 0), "attrition_rate": (_NUMBER, 0),
               "recovery_morale": (_NUMBER, 0), "morale_loss": (_NUMBER, 0),
               "recovery_contact": (_NUMBER, 0), "panic_desertion": (_NUMBER, 0),
               "panic_desertion_supplied": (_NUMBER, 0)},
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
        out[section] = MappingProxyType({
            key: c.get(table, key, section, kind, minimum=minimum, default=minimum)
            for key, (kind, minimum) in fields.items()
        })
    for extra in sorted(set(data) - set(_SECTIONS)):
        c.problem(extra, f"unknown table; expected {', '.join(_SECTIONS)}")
    return out


def load_rules(directory: Path | None = None) -> Rules:
    """Read and check the three rules files; raise RulesError listing every problem."""
    directory = Path(directory) if directory is not None else RULES_DIR
    problems: list[str] = []
    units_c = Checker(directory / "units.toml")
    terrain_c = Checker(directory / "terrain.toml")
    rules_c = Checker(directory / "rules.toml")
    unit_types = _unit_types(read_toml(units_c.path, problems), units_c)
    terrain = _terrain(read_toml(terrain_c.path, problems), terrain_c)
    sections = _sections(read_toml(rules_c.path, problems), rules_c)
    warfare: dict[str, Any] = {}  # keyword arguments of Rules
    for name in ("combat", "air"):
        checker = Checker(directory / f"{name}.toml")
        data = read_toml(checker.path, problems) if checker.path.exists() else {}
        warfare[name] = MappingProxyType(_numbers(data, checker, name))
        problems += checker.problems
    problems += units_c.problems + terrain_c.problems + rules_c.problems
    # Cross-checks: every ground type can move over some terrain it may enter.
    for ut in unit_types.values():
        if ut.is_ground:
            for t in ut.enters:
                if ut.move_class not in terrain[TERRAINS.index(t)].cost:
                    problems.append(f"units.toml: [{ut.id}.enters]: {t} has no cost for "
                                    f"{ut.move_class} movement in terrain.toml")
    if problems:
        raise RulesError(problems)
    return Rules(unit_types=MappingProxyType(unit_types), terrain=terrain, **sections, **warfare)


def _numbers(data: dict, c: Checker, where: str) -> dict:
    """A table of numbers, or of tables of numbers (the warfare files are all figures)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out[key] = MappingProxyType(_numbers(value, c, f"{where}.{key}"))
        elif isinstance(value, bool) or not isinstance(value, _NUMBER):
            c.problem(f"{where}.{key}", f"expected a number, got {value!r}")
        else:
            out[key] = float(value)
    return out


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
    for i in order[:total - sum(out)]:
        out[i] += 1
    return out
