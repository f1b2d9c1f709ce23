"""The scenario editor's engine: a document, the operations on it, undo and redo, and saving.

Engine layer (no pygame); the editor window (``game.ui``) is one client of it. An ``Editor``
holds one scenario document (the plain data its file reads as, ``game.editor.document``) and
its history. Every edit a person makes is one call::

    ed = Editor.open("scenarios/examples/fall-of-mosul.toml")
    res = ed.apply("move_unit", unit="iraq-2div", place="Tikrit")
    if not res.ok:
        show(res.reason)                  # "hex 500,500 is off the map"
    ed.undo(); ed.redo()
    for issue in ed.check():              # the checks of `mesopotamia validate`, live
        print(issue.line, issue.path, issue.text, issue.target)
    ed.save()                             # the documented format, comments kept

The operations are pure functions in ``game.editor.ops`` (``OPS`` lists them by name), each
``op(doc, ctx, **args) -> new doc``; ``schema()`` describes the tables, triggers, actions and
victory conditions a form may offer, from the same tables the validator uses; ``choices``
gives the values a field of a given type may take in the document; ``map_view`` what the
map shows of it (units, zones, depots, objectives with their hexes, the changed terrain).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from game.editor import ops as _ops
from game.editor.check import Issue, check
from game.editor.ops import OPS, Refused, new_document
from game.editor.view import map_view
from game.editor.writer import render, save
from game.hexmap import TERRAINS, default_map
from game.orders import Context
from game.rules import default_rules
from game.scenario import Scenario, ScenarioError, parse, read_text, schema as _schema
from game.scenario.validate import build


@dataclass
class EditResult:
    ok: bool
    reason: str = ""
    label: str = ""  # the operation, for the history list


def _context():
    return Context(default_map(), default_rules())


class Editor:
    """One scenario being edited: the document, its undo and redo history, where it is saved."""

    def __init__(self, doc: dict, ctx=None, path: str | Path | None = None, base_text: str | None = None):
        self.ctx = ctx if ctx is not None else _context()
        self.doc = doc
        self.path = Path(path) if path is not None else None
        self.base_text = base_text  # the text of the file as read or last saved
        self._past: list[tuple[dict, str]] = []
        self._future: list[tuple[dict, str]] = []
        self._saved = doc if base_text is not None else None
        self._checked: tuple[dict, list[Issue]] | None = None
        self._view: tuple | None = None  # (the document, its map view)

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, ctx=None) -> Editor:
        """A bundled or custom scenario file. Only a file that is not TOML at all (or not
        readable) is refused, with ScenarioError; any other problem is the check's to list."""
        text, problems = read_text(Path(path))
        if text is None:
            raise ScenarioError(problems)
        data, problems = parse(path, text)
        if data is None:
            raise ScenarioError(problems)
        return cls(data, ctx, path, text)

    @classmethod
    def new(cls, ctx=None, **fields) -> Editor:
        """A new scenario on the real map, valid from the start (see ``ops.new_document``)."""
        return cls(new_document(**fields), ctx)

    # -- editing -----------------------------------------------------------------------------

    def apply(self, op, **args) -> EditResult:
        """Make one edit: ``op`` is an operation's name in ``OPS`` or a function
        ``(doc, ctx, **args) -> doc``. A refused edit changes nothing."""
        fn = OPS.get(op) if isinstance(op, str) else op
        label = op if isinstance(op, str) else getattr(op, "__name__", "edit")
        if fn is None:
            return EditResult(False, f"unknown operation {op!r}", label)
        try:
            new = fn(self.doc, self.ctx, **args)
        except Refused as exc:
            return EditResult(False, str(exc), label)
        except TypeError as exc:
            return EditResult(False, f"{label}: {exc}", label)
        if new is self.doc or new == self.doc:
            return EditResult(True, "", label)
        odd = _unwritable(new)
        if odd is not None:
            return EditResult(False, f"{label}: {odd!r} cannot be written in a scenario", label)
        self._past.append((self.doc, label))
        self._future.clear()
        self.doc = new
        return EditResult(True, "", label)

    @property
    def can_undo(self) -> bool:
        return bool(self._past)

    @property
    def can_redo(self) -> bool:
        return bool(self._future)

    @property
    def undo_label(self) -> str:
        return self._past[-1][1] if self._past else ""

    @property
    def redo_label(self) -> str:
        return self._future[-1][1] if self._future else ""

    def undo(self) -> bool:
        if not self._past:
            return False
        doc, label = self._past.pop()
        self._future.append((self.doc, label))
        self.doc = doc
        return True

    def redo(self) -> bool:
        if not self._future:
            return False
        doc, label = self._future.pop()
        self._past.append((self.doc, label))
        self.doc = doc
        return True

    @property
    def dirty(self) -> bool:
        """Changed since it was opened or last saved (undoing back to that point: not dirty);
        a new scenario is dirty until it is first saved."""
        return self.doc is not self._saved

    # -- reading the document ----------------------------------------------------------------

    def check(self) -> list[Issue]:
        """Every problem ``mesopotamia validate`` would find in the saved file, with its line
        and the part of the scenario it is about; empty when the scenario is valid."""
        if self._checked is None or self._checked[0] is not self.doc:
            self._checked = (self.doc, check(self.doc, self.ctx, self.base_text))
        return list(self._checked[1])

    def text(self) -> str:
        """The document as the file it saves as."""
        return render(self.doc, self.base_text)

    def scenario(self) -> Scenario | None:
        """The scenario as the game loads it (its ``setup`` starts a game), or None while
        the check finds problems."""
        sc, problems = build(self.doc, self.ctx.hexmap, self.ctx.rules)
        if sc is not None:
            sc.path = self.path
            sc.source = self.doc
        return None if problems else sc

    def map_view(self):
        """What the map shows of the document: the changed terrain, towns held, units, zones,
        depots and objectives, each with its hex (``game.editor.view.MapView``)."""
        if self._view is None or self._view[0] is not self.doc:
            self._view = (self.doc, map_view(self.doc, self.ctx))
        return self._view[1]

    def choices(self, type_: str) -> list:
        """The values a field of this type may take now (see ``game.scenario.schema``)."""
        return choices(self.doc, self.ctx, type_)

    # -- saving ------------------------------------------------------------------------------

    def save(self, path: str | Path | None = None) -> Path:
        """Write the documented format to ``path`` (or where it was opened) atomically.
        A file the document was read from keeps its comments and layout."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("a new scenario needs a file name to be saved to")
        self.base_text = save(self.doc, target, self.base_text)
        self.path = target
        self._saved = self.doc
        return target


def _unwritable(v):
    """The first value in a document that TOML cannot hold, or None."""
    if isinstance(v, dict):
        for k, x in v.items():
            bad = k if not isinstance(k, str) else _unwritable(x)
            if bad is not None:
                return bad
        return None
    if isinstance(v, list):
        return next((bad for bad in map(_unwritable, v) if bad is not None), None)
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return v
    if isinstance(v, (str, int, float, bool, dt.date, dt.time)):
        return None
    return v


def schema() -> dict:
    """The format's tables, triggers, actions and victory conditions, for building forms."""
    return _schema.describe()


def choices(doc: dict, ctx, type_: str) -> list:
    """The values a field of ``type_`` may take in this document, on this map, under these rules."""
    if type_ in ("side", "sides"):
        return _ops.side_ids(doc)
    if type_ in ("faction", "factions", "faction_pair", "faction_pairs"):
        return _ops.faction_ids(doc)
    if type_ == "faction_or_side":
        return _ops.faction_ids(doc) + [s for s in _ops.side_ids(doc) if s not in _ops.faction_ids(doc)]
    if type_ == "event":
        return _ops.event_ids(doc)
    if type_ == "zone":
        return _ops.zone_ids(doc)
    if type_ == "unit":
        return _ops.unit_ids(doc)
    if type_ == "into":  # where add_unit may put a unit
        return _ops.unit_lists(doc)
    if type_ in ("city", "cities"):
        return [c.name for c in sorted(ctx.hexmap.cities, key=lambda c: -c.population)]
    if type_ in ("unit_type", "unit_types"):
        return sorted(ctx.rules.unit_types)
    if type_ == "terrain":
        return list(TERRAINS)
    if type_ == "category":
        return list(_schema.CATEGORIES)
    if type_ == "nation":
        return list(_schema.NATIONS)
    if type_ == "countries":
        return [c for c in ctx.hexmap.countries if c]
    if type_ == "triggers":
        return list(_schema.TRIGGERS)
    if type_ == "actions":
        return list(_schema.ACTIONS)
    if type_ == "victory":
        return list(_schema.VICTORY)
    return []


def load_document(path: str | Path) -> dict:
    """The document a scenario file reads as (raises ScenarioError for a file that is not TOML)."""
    text, problems = read_text(Path(path))
    if text is None:
        raise ScenarioError(problems)
    data, problems = parse(path, text)
    if data is None:
        raise ScenarioError(problems)
    return data


__all__ = [
    "EditResult",
    "Editor",
    "Issue",
    "OPS",
    "Refused",
    "check",
    "choices",
    "load_document",
    "new_document",
    "render",
    "save",
    "schema",
]
