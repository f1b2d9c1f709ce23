"""Scenarios: the TOML format of ``docs/scenario-format.md``, checked and turned into a setup.

Engine layer. ``load_scenario(path)`` reads a file, checks it completely and returns a
``Scenario`` whose ``setup`` dict starts a game (``game.commands.Game``); ``check_file(path)``
returns every problem as one readable line, ``FILE:LINE: [field] problem (hint)``, whatever
the bytes in the file. Bundled scenarios live in ``scenarios/``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from game import SCENARIOS_DIR
from game.scenario.locate import Locator


class ScenarioError(Exception):
    """A scenario that cannot be used; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Problem:
    path: str
    text: str
    hint: str = ""


@dataclass
class Scenario:
    id: str
    title: str
    description: str
    start: dt.date
    end: dt.date
    turn_days: int
    sides: list[dict]
    factions: list[dict]
    setup: dict
    history: dict
    path: Path | None = None
    source: dict = field(default_factory=dict)  # the file's data as read, for the editor

    @property
    def turns(self) -> int:
        return self.setup["turns"]


def _format(path: Path | str, locator: Locator | None, p: Problem) -> str:
    line = locator.line(p.path) if (locator and p.path) else None
    where = f"{path}:{line}" if line else f"{path}"
    field_ = f" [{p.path}]" if p.path else ""
    hint = f" ({p.hint})" if p.hint else ""
    return f"{where}:{field_} {p.text}{hint}"


def read_text(path: Path) -> tuple[str | None, list[str]]:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None, [f"{path}: file not found"]
    except IsADirectoryError:
        return None, [f"{path}: is a directory, not a scenario file"]
    except OSError as exc:
        return None, [f"{path}: cannot read ({exc.strerror or exc})"]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [f"{path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"]


def parse(path: Path | str, text: str) -> tuple[dict | None, list[str]]:
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line = None
        if "(at line " in msg:
            try:
                line = int(msg.split("(at line ", 1)[1].split(",", 1)[0])
            except ValueError:
                line = None
        where = f"{path}:{line}" if line else f"{path}"
        return None, [f"{where}: TOML syntax: {msg}"]


def check_text(text: str, path: Path | str = "<scenario>", hexmap=None, rules=None
               ) -> tuple[Scenario | None, list[str]]:
    from game.scenario.validate import build

    data, problems = parse(path, text)
    if data is None:
        return None, problems
    locator = Locator(text)
    scenario, found = build(data, hexmap, rules)
    lines = [_format(path, locator, p) for p in found]
    if scenario is not None and not lines:
        scenario.path = Path(path) if not isinstance(path, Path) else path
        scenario.source = data
    return (scenario if not lines else None), lines


def check_file(path: Path | str, hexmap=None, rules=None) -> list[str]:
    text, problems = read_text(Path(path))
    if text is None:
        return problems
    return check_text(text, path, hexmap, rules)[1]


def load_scenario(path: Path | str, hexmap=None, rules=None) -> Scenario:
    text, problems = read_text(Path(path))
    if text is None:
        raise ScenarioError(problems)
    scenario, problems = check_text(text, path, hexmap, rules)
    if problems:
        raise ScenarioError(problems)
    return scenario


def bundled_paths() -> list[Path]:
    return sorted(p for p in SCENARIOS_DIR.glob("*.toml"))


def find_scenario(name: str) -> Path | None:
    """A bundled scenario by id or file name, or a path to any file."""
    p = Path(name)
    if p.suffix == ".toml" and p.exists():
        return p
    for path in bundled_paths():
        if path.stem == name:
            return path
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        if isinstance(data.get("scenario"), dict) and data["scenario"].get("id") == name:
            return path
    return None
