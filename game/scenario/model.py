"""What a scenario is once read: ``Scenario``, the ``Problem`` the checker finds in a file, and
``ScenarioError``, raised with every problem when a scenario cannot be used.

State floor, beside the rules: the checker (``game.scenario.validate``) builds these, the
package's readers (``game.scenario``) format the problems with their lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


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
    line: int | None = None  # where the path alone does not say (a part missing from the file)


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
    options: list = field(default_factory=list)  # its switches (``options.Option``)
    settings: dict = field(default_factory=dict)  # switch id -> on, as this game was set up

    @property
    def turns(self) -> int:
        return self.setup["turns"]


__all__ = ["Problem", "Scenario", "ScenarioError"]
