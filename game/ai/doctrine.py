"""Faction doctrine: the AI's weights for each faction, read from ``doctrine.toml``.

Engine layer, data. Each faction's table overrides ``[default]``; the values are checked when
the file is first read (a wrong value is a ``RulesError`` naming the field).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from game.rules import RulesError

PATH = Path(__file__).resolve().parent / "doctrine.toml"


@dataclass(frozen=True)
class Doctrine:
    aggression: float = 1.0
    caution: float = 1.0
    attack_odds: float = 1.5
    city_value: float = 1.0
    hold_cities: float = 0.3
    air_use: float = 1.0
    nfz_risk: float = 0.2
    retreat_morale: float = 30.0
    spare_troops: float = 1.0
    home: tuple[str, ...] = ()
    desert: float = 0.0
    strike_first: tuple[str, ...] = ()
    strike_first_weight: float = 1.0


_LISTS = {"home": "a list of towns", "strike_first": "a list of faction ids"}
_NUMERIC = {f.name for f in fields(Doctrine) if f.name not in _LISTS}


@lru_cache(maxsize=2)
def _load(path: Path = PATH) -> dict[str, Doctrine]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulesError([f"{path.name}: {exc}"]) from None
    problems = []

    def parse(name: str, table: dict, base: Doctrine) -> Doctrine:
        values: dict[str, Any] = {}  # field -> number or tuple of names
        for key, v in table.items():
            if key in _LISTS:
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    problems.append(f"{path.name}: [{name}.{key}]: expected {_LISTS[key]}")
                else:
                    values[key] = tuple(v)
            elif key in _NUMERIC:
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                    problems.append(f"{path.name}: [{name}.{key}]: expected a number >= 0, got {v!r}")
                else:
                    values[key] = float(v)
            else:
                problems.append(f"{path.name}: [{name}.{key}]: unknown field")
        return replace(base, **values)

    default = parse("default", data.get("default", {}), Doctrine())
    out = {"default": default}
    for name, table in data.items():
        if name != "default":
            if not isinstance(table, dict):
                problems.append(f"{path.name}: [{name}]: expected a table")
                continue
            out[name] = parse(name, table, default)
    if problems:
        raise RulesError(problems)
    return out


def doctrine_for(faction: str) -> Doctrine:
    table = _load()
    return table.get(faction, table["default"])
