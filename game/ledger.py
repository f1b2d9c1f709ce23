"""The casualty ledger: what a game has cost, set against what the source says the war cost.

Engine layer, pure (no pygame, changes nothing). Three parts:

* **The source's figures** (``game/rules/history.toml``, read and checked at first use): the
  article's casualty categories in its order, with their whole-war losses, and the coalition's
  losses by nation. ``source()`` returns them; ``whole_war()`` as a ``Figures`` set.
* **The ledger** (``Ledger.from_state``): the personnel each faction lost, in total and by
  cause (``GameState.losses``), gathered under the source's categories (``Faction.category``,
  an id, label or alias from history.toml), the coalition's by nation (``Faction.nation``),
  the civilians killed by cause, and the equipment lost (aircraft, ships, tanks...). Nothing
  is dropped: a faction with no category, or one the source does not know, is listed under
  its own name in the *other* part; a coalition faction whose nation the source does not name
  counts under the nations' "other".
* **The table** (``ledger_table``): the game's losses beside a set of historical figures (the
  whole war by default; a scenario passes its own phase's figures), with the game's share of
  each; ``format_ledger`` prints it for the command line, ``ledger_json`` makes it JSON data.

Category changes in the middle of a game (Assad's fall in September 2015 moves his army's
losses from "Syrian security forces (Assad, to Sep 2015)" to "Pro-Assad forces"): the ledger
reads an optional running tally ``state.category_losses`` (faction -> category as set when
the loss was recorded -> people) and counts each part under the category in force when it was
lost. What the tally does not cover (all of it, while the state keeps no tally; or the losses
of a game saved before it did) counts under the faction's *current* category. So without the
tally a category change moves the faction's whole past into its new category; with it, the
past stays where it happened. The tally is filled by ``GameState.record_loss``.

The source counts the dead. Prisoners and deserters (``MISSING_CAUSES``) are lost to their
army but alive, and so are the wounded who never come back (cause "wounded"): the table sets
the game's dead against the source and gives the prisoners and deserters beside it. The
wounded who come back, and the shaken who rally, are no loss at all: ``GameState.manpower``
counts them, and the ledger reports them by faction (``FactionLosses.manpower``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from game.rules import RULES_DIR, Checker, RulesError, largest_remainders, read_toml

HISTORY_FILE = RULES_DIR / "history.toml"

# Equipment the ledger reports on its own (the names units.toml gives them).
AIRCRAFT = MappingProxyType({"combat": "combat aircraft", "other": "other aircraft"})
SHIPS = ("warships",)

COALITION = "coalition"  # the category whose losses the source splits by nation
# Causes of loss that leave the people alive: lost to their army, but not among the dead the
# source counts. The table sets the game's dead against the source and shows these beside.
MISSING_CAUSES = ("captured", "deserted")  # taken prisoner or fled
ALIVE_CAUSES = MISSING_CAUSES + ("wounded",)  # ... and the wounded who never come back
CIVILIANS = "civilians"  # the category of the civilians killed (not a faction's)
OTHER_NATION = "other"  # the nations' row for everyone the source does not name

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class HistoryError(RulesError):
    """The source's figures, or a scenario's historical figures, cannot be used;
    ``problems`` holds one readable line each (file or place, field, problem)."""


# -- the source's figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    losses: int  # whole war
    approximate: bool = True
    military: bool = True
    aliases: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Nation:
    id: str
    label: str
    losses: int  # whole war
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figures:
    """A set of historical losses to set a game against: category id -> people (civilians
    included), the coalition's nation id -> people. Categories it leaves out have no figure."""

    title: str
    categories: Mapping[str, int]
    nations: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Source:
    title: str
    start: dt.date
    end: dt.date
    categories: tuple[Category, ...]  # in the source's order
    nations: tuple[Nation, ...]  # in the source's order, "other" last

    @property
    def military(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.military)

    @property
    def military_total(self) -> int:
        return sum(c.losses for c in self.military)

    def category(self, cid: str) -> Category:
        return next(c for c in self.categories if c.id == cid)

    def category_id(self, name: str | None) -> str | None:
        """The id of the category a scenario names by id, label or alias (any case)."""
        if not name:
            return None
        return _category_names(self).get(name.strip().casefold())

    def nation_id(self, name: str | None) -> str:
        """The id of a coalition nation by id, label or alias; "other" for any other."""
        if not name:
            return OTHER_NATION
        return _nation_names(self).get(name.strip().casefold(), OTHER_NATION)

    def figures(self) -> Figures:
        return Figures(
            title=f"{self.title}, whole war ({_day(self.start)} - {_day(self.end)})",
            categories=MappingProxyType({c.id: c.losses for c in self.categories}),
            nations=MappingProxyType({n.id: n.losses for n in self.nations}),
        )


def _names(items) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        for name in (item.id, item.label, *item.aliases):
            out.setdefault(name.strip().casefold(), item.id)
    return out


@lru_cache(maxsize=8)
def _category_names(src: Source) -> dict[str, str]:
    return _names(src.categories)


@lru_cache(maxsize=8)
def _nation_names(src: Source) -> dict[str, str]:
    return _names(src.nations)


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%b} {d.year}"


_WAR_FIELDS = {"title", "start", "end"}
_CATEGORY_FIELDS = {"id", "label", "losses", "approximate", "military", "aliases", "note"}
_NATION_FIELDS = {"id", "label", "losses", "aliases"}


def load_history(path: Path | None = None) -> Source:
    """Read and check the source's figures; raise HistoryError listing every problem."""
    path = Path(path) if path is not None else HISTORY_FILE
    problems: list[str] = []
    data = read_toml(path, problems)
    if problems:
        raise HistoryError(problems)
    c = Checker(path)
    for extra in sorted(set(data) - {"war", "categories", "nations"}):
        c.problem(extra, "unknown table; expected war, categories, nations")

    war = data.get("war")
    if not isinstance(war, dict):
        c.problem("war", "missing table (title, start, end)")
        war = {}
    c.unknown(war, _WAR_FIELDS, "war")
    title = c.get(war, "title", "war", str, default="")
    start = c.get(war, "start", "war", dt.date, default=None)
    end = c.get(war, "end", "war", dt.date, default=None)
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        c.problem("war", "start and end are dates (YYYY-MM-DD), not times")
    elif start and end and end <= start:
        c.problem("war.end", f"{end} is not after the start, {start}")

    categories = tuple(_entries(data, "categories", c, _category))
    nations = tuple(_entries(data, "nations", c, _nation))
    _check_unique(categories, "categories", c)
    _check_unique(nations, "nations", c)
    ids = {x.id for x in categories}
    if categories:
        if COALITION not in ids:
            c.problem("categories", f"no category with id {COALITION!r}: the nations add up to it")
        elif not next(x for x in categories if x.id == COALITION).military:
            c.problem(f"categories.{COALITION}.military", "the coalition's losses are military")
        if CIVILIANS not in ids:
            c.problem("categories", f"no category with id {CIVILIANS!r}")
        elif next(x for x in categories if x.id == CIVILIANS).military:
            c.problem(f"categories.{CIVILIANS}.military", "civilians are not military: set military = false")
        for x in categories:
            if not x.military and x.id != CIVILIANS:
                c.problem(
                    f"categories.{x.id}.military",
                    f"only {CIVILIANS!r} may be non-military (a faction's losses are military)",
                )
    if nations:
        if OTHER_NATION not in {n.id for n in nations}:
            c.problem("nations", f"no nation with id {OTHER_NATION!r} for the rest of the coalition")
        coalition = next((x for x in categories if x.id == COALITION), None)
        total = sum(n.losses for n in nations)
        if coalition is not None and total != coalition.losses:
            c.problem(
                "nations", f"the nations add up to {total:,}, the coalition's figure is {coalition.losses:,}"
            )
    if c.problems:
        raise HistoryError(c.problems)
    return Source(title=title, start=start, end=end, categories=categories, nations=nations)


def _entries(data: dict, key: str, c: Checker, make) -> list:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        c.problem(key, f"missing: expected a list of [[{key}]] tables")
        return []
    out = []
    for i, entry in enumerate(items):
        where = f"{key}[{i}]"
        if not isinstance(entry, dict):
            c.problem(where, "expected a table of fields")
            continue
        item = make(entry, where, c)
        if item is not None:
            out.append(item)
    return out


def _common(entry: dict, where: str, c: Checker):
    cid = c.get(entry, "id", where, str)
    if cid is not None and not _ID.match(cid):
        c.problem(f"{where}.id", f"{cid!r} is not a name (letters, digits and _, a letter first)")
        cid = None
    where = f"{where.split('[')[0]}.{cid}" if cid else where
    label = c.get(entry, "label", where, str)
    losses = c.get(entry, "losses", where, int, minimum=0)
    aliases = c.get(entry, "aliases", where, list, required=False, default=[])
    if not all(isinstance(a, str) and a.strip() for a in aliases):
        c.problem(f"{where}.aliases", "expected a list of names")
        aliases = []
    return cid, where, label, losses, tuple(aliases)


def _category(entry: dict, where: str, c: Checker) -> Category | None:
    cid, where, label, losses, aliases = _common(entry, where, c)
    c.unknown(entry, _CATEGORY_FIELDS, where)
    approximate = c.get(entry, "approximate", where, bool, required=False, default=True)
    military = c.get(entry, "military", where, bool, required=False, default=True)
    note = c.get(entry, "note", where, str, required=False, default="")
    if None in (cid, label, losses):
        return None
    return Category(cid, label, losses, approximate, military, aliases, note)


def _nation(entry: dict, where: str, c: Checker) -> Nation | None:
    nid, where, label, losses, aliases = _common(entry, where, c)
    c.unknown(entry, _NATION_FIELDS, where)
    if None in (nid, label, losses):
        return None
    return Nation(nid, label, losses, aliases)


def _check_unique(items, key: str, c: Checker) -> None:
    seen: dict[str, str] = {}
    for item in items:
        for name in dict.fromkeys(n.strip().casefold() for n in (item.id, item.label, *item.aliases)):
            if name in seen and seen[name] == item.id:
                c.problem(f"{key}.{item.id}", f"the id {item.id!r} is used twice")
            elif name in seen:
                c.problem(f"{key}.{item.id}", f"the name {name!r} already names {seen[name]!r}")
            else:
                seen[name] = item.id


@lru_cache(maxsize=1)
def source() -> Source:
    """The shipped source figures, read and checked once."""
    return load_history()


def whole_war() -> Figures:
    return source().figures()


def war_share(start: dt.date, end: dt.date, src: Source | None = None) -> float:
    """The share of the war's days that fall between start and end: a crude ``scale`` for a
    game that covers part of the war and has no figures of its own (losses were not spread
    evenly: the 2015 invasion was far bloodier than the years of air war)."""
    src = src or source()
    days = (min(end, src.end) - max(start, src.start)).days
    return max(0.0, days / (src.end - src.start).days)


def phase_table(state, setup: Mapping) -> LedgerTable:
    """The game's losses beside its own phase's figures: the scenario's ``[history]``
    casualties where it gives them, else the whole war's scaled by ``war_share`` to the days
    the scenario covers (a four-week custom scenario is not set against seven years of war).
    Raises HistoryError for a bad figures table."""
    figures = (setup.get("history") or {}).get("casualties") or None
    scale = None
    if figures is None:
        start = dt.date.fromisoformat(setup.get("start_date", state.start_date.isoformat()))
        end = dt.date.fromisoformat(setup.get("end_date", state.date.isoformat()))
        scale = war_share(start, end) or None
    return ledger_table(state, figures, scale)


def read_figures(
    data: Mapping, where: str = "historical_casualties", src: Source | None = None
) -> tuple[Figures | None, list[str]]:
    """A scenario's historical figures for its phase, and the problems with them.

    ``data`` is a table: an optional ``title``, category names (id, label or alias) with
    people lost, and an optional ``nations`` table of the coalition's losses by nation. If it
    gives nations but not the coalition, the coalition's figure is their sum.
    """
    src = src or source()
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return None, [f"[{where}]: expected a table of category = people"]
    title = data.get("title", "Historical figures")
    if not isinstance(title, str):
        problems.append(f"[{where}.title]: expected a string, got {title!r}")
        title = "Historical figures"
    categories: dict[str, int] = {}
    known = ", ".join(c.id for c in src.categories)
    for key, value in data.items():
        if key in ("title", "nations"):
            continue
        cid = src.category_id(str(key))
        if cid is None:
            problems.append(f"[{where}.{key}]: unknown category; expected one of {known}")
        elif cid in categories:
            problems.append(f"[{where}.{key}]: {cid!r} is given twice")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"[{where}.{key}]: expected a whole number of people, got {value!r}")
        else:
            categories[cid] = value
    nations: dict[str, int] = {}
    raw = data.get("nations", {})
    if not isinstance(raw, Mapping):
        problems.append(f"[{where}.nations]: expected a table of nation = people")
        raw = {}
    names = _nation_names(src)
    for key, value in raw.items():
        nid = names.get(str(key).strip().casefold())
        if nid is None:
            problems.append(
                f"[{where}.nations.{key}]: unknown nation; expected one of "
                f"{', '.join(n.id for n in src.nations)}"
            )
        elif nid in nations:
            problems.append(f"[{where}.nations.{key}]: {nid!r} is given twice")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"[{where}.nations.{key}]: expected a whole number of people, got {value!r}")
        else:
            nations[nid] = value
    if nations:
        if COALITION not in categories:
            categories[COALITION] = sum(nations.values())
        elif sum(nations.values()) > categories[COALITION]:
            problems.append(
                f"[{where}.nations]: the nations add up to {sum(nations.values()):,}, "
                f"more than the coalition's {categories[COALITION]:,}"
            )
    if problems:
        return None, problems
    order = [c.id for c in src.categories]
    norder = [n.id for n in src.nations]
    return Figures(
        title=title,
        categories=MappingProxyType(dict(sorted(categories.items(), key=lambda kv: order.index(kv[0])))),
        nations=MappingProxyType(dict(sorted(nations.items(), key=lambda kv: norder.index(kv[0])))),
    ), []


def historical_figures(data: Mapping, where: str = "historical_casualties") -> Figures:
    """``read_figures`` that raises HistoryError on any problem."""
    figures, problems = read_figures(data, where)
    if problems:
        raise HistoryError(problems)
    assert figures is not None  # figures are missing only with a problem saying why
    return figures


def check_category(name: str, where: str = "category") -> list[str]:
    """Problems with a faction's category as a scenario gives it (empty: none)."""
    if not name:
        return []
    src = source()
    cid = src.category_id(name)
    if cid is None:
        return [
            f"[{where}]: {name!r} is not one of the source's casualty categories "
            f"({', '.join(c.id for c in src.military)})"
        ]
    if not src.category(cid).military:
        return [f"[{where}]: {name!r} is for civilians, not a faction's losses"]
    return []


# -- the ledger of a game ----------------------------------------------------------------------


@dataclass
class FactionLosses:
    id: str
    name: str
    side: str
    category: str | None  # the source category (id) its losses count under now
    nation: str | None  # the coalition nation (id), for coalition factions
    by_cause: dict[str, int]
    equipment: dict[str, int]  # item -> count lost
    # GameState.manpower's flows (wounded, returned, shaken, rallied...), and the people its
    # units have now: fit to fight, wounded and shaken.
    manpower: dict[str, int] = field(default_factory=dict)
    now: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_cause.values())

    @property
    def missing(self) -> int:
        """Taken prisoner or deserted: lost to the faction, alive."""
        return sum(n for c, n in self.by_cause.items() if c in MISSING_CAUSES)

    @property
    def invalided(self) -> int:
        """Wounded who will not come back: lost to the faction, alive."""
        return self.by_cause.get("wounded", 0)

    @property
    def killed(self) -> int:
        return self.total - self.missing - self.invalided

    @property
    def aircraft(self) -> dict[str, int]:
        return {k: self.equipment.get(item, 0) for k, item in AIRCRAFT.items()}

    @property
    def ships(self) -> int:
        return sum(self.equipment.get(item, 0) for item in SHIPS)


@dataclass
class Ledger:
    """A game's losses, gathered the source's ways (see the module's docs)."""

    factions: dict[str, FactionLosses]  # every faction of the game, and any other with losses
    by_category: dict[str, dict[str, int]]  # military category id -> faction id -> killed
    missing_by_category: dict[str, dict[str, int]]  # ... -> prisoners and deserters
    other: dict[str, int]  # faction id -> killed, counted under no source category
    other_labels: dict[str, str]
    by_nation: dict[str, dict[str, int]]  # coalition nation id -> faction id -> killed
    civilians_by_cause: dict[str, int]
    other_missing: dict[str, int] = field(default_factory=dict)  # faction id -> alive, lost

    @classmethod
    def from_state(cls, state, src: Source | None = None) -> Ledger:
        src = src or source()
        by_category: dict[str, dict[str, int]] = {c.id: {} for c in src.military}
        missing_by_category: dict[str, dict[str, int]] = {c.id: {} for c in src.military}
        by_nation: dict[str, dict[str, int]] = {n.id: {} for n in src.nations}
        other: dict[str, int] = {}
        other_missing: dict[str, int] = {}
        other_labels: dict[str, str] = {}
        tallies = getattr(state, "category_losses", None) or {}
        now: dict[str, dict[str, int]] = {}
        for u in state.units.values():
            book = now.setdefault(u.faction, {"fit": 0, "wounded": 0, "shaken": 0})
            book["fit"] += u.personnel
            book["wounded"] += getattr(u, "wounded", 0)
            book["shaken"] += getattr(u, "shaken", 0)
        factions = {}
        for fid in sorted(set(state.factions) | set(state.losses) | set(state.equipment_lost)):
            fac = state.factions.get(fid)
            name = fac.name if fac is not None else fid
            current = fac.category if fac is not None else ""
            cid = src.category_id(current)
            coalition_nation = src.nation_id(fac.nation if fac is not None else "")
            row = FactionLosses(
                id=fid,
                name=name,
                side=fac.side if fac is not None else "",
                category=cid,
                nation=coalition_nation if cid == COALITION else None,
                by_cause=dict(sorted(state.losses.get(fid, {}).items())),
                equipment=dict(sorted(state.equipment_lost.get(fid, {}).items())),
                manpower=dict(sorted((getattr(state, "manpower", None) or {}).get(fid, {}).items())),
                now=now.get(fid, {"fit": 0, "wounded": 0, "shaken": 0}),
            )
            factions[fid] = row
            parts = _split_by_category(row.total, current, tallies.get(fid, {}))
            weights = [n for _, n in parts]
            for (text, _), dead, alive in zip(
                parts,
                largest_remainders(row.killed, weights, exact=True),
                largest_remainders(row.missing, weights, exact=True),
            ):
                cat = src.category_id(text)
                if cat is None or not src.category(cat).military:
                    other[fid] = other.get(fid, 0) + dead
                    if alive:
                        other_missing[fid] = other_missing.get(fid, 0) + alive
                    if not text:
                        other_labels.setdefault(fid, name)
                    else:  # a category the source lacks, or the civilians'
                        other_labels[fid] = f"{name} (category {text!r}: not a faction's in the source)"
                    continue
                book = by_category[cat]
                book[fid] = book.get(fid, 0) + dead
                if alive:
                    book = missing_by_category[cat]
                    book[fid] = book.get(fid, 0) + alive
                if cat == COALITION:
                    book = by_nation[coalition_nation]
                    book[fid] = book.get(fid, 0) + dead
        return cls(
            factions=factions,
            by_category=by_category,
            missing_by_category=missing_by_category,
            other=other,
            other_labels=other_labels,
            by_nation=by_nation,
            civilians_by_cause=dict(sorted(state.civilians.items())),
            other_missing=other_missing,
        )

    # -- totals -------------------------------------------------------------------------------

    def category_total(self, cid: str) -> int:
        """The category's dead."""
        return sum(self.by_category.get(cid, {}).values())

    def category_missing(self, cid: str) -> int:
        """The category's prisoners and deserters."""
        return sum(self.missing_by_category.get(cid, {}).values())

    def nation_total(self, nid: str) -> int:
        return sum(self.by_nation.get(nid, {}).values())

    @property
    def by_cause(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.factions.values():
            for cause, n in f.by_cause.items():
                out[cause] = out.get(cause, 0) + n
        return dict(sorted(out.items()))

    @property
    def military_total(self) -> int:
        """Every person the armies lost, dead or alive."""
        return sum(f.total for f in self.factions.values())

    @property
    def military_killed(self) -> int:
        return sum(f.killed for f in self.factions.values())

    @property
    def military_missing(self) -> int:
        return sum(f.missing for f in self.factions.values())

    @property
    def manpower(self) -> dict[str, int]:
        """Every faction's flows added up: wounded, returned, shaken, rallied..."""
        out: dict[str, int] = {}
        for f in self.factions.values():
            for k, n in f.manpower.items():
                out[k] = out.get(k, 0) + n
        return dict(sorted(out.items()))

    @property
    def out_of_fight_now(self) -> dict[str, int]:
        """The people every faction's units have now: fit, wounded and shaken."""
        out = {"fit": 0, "wounded": 0, "shaken": 0}
        for f in self.factions.values():
            for k in out:
                out[k] += f.now.get(k, 0)
        return out

    @property
    def civilians_total(self) -> int:
        return sum(self.civilians_by_cause.values())

    @property
    def total(self) -> int:
        """Everyone killed, soldiers and civilians."""
        return self.military_killed + self.civilians_total

    @property
    def equipment(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.factions.values():
            for item, n in f.equipment.items():
                out[item] = out.get(item, 0) + n
        return dict(sorted(out.items()))

    @property
    def aircraft_lost(self) -> dict[str, int]:
        eq = self.equipment
        return {k: eq.get(item, 0) for k, item in AIRCRAFT.items()}

    @property
    def ships_lost(self) -> int:
        eq = self.equipment
        return sum(eq.get(item, 0) for item in SHIPS)


def _split_by_category(total: int, current: str, tally: Mapping[str, int]) -> list[tuple[str, int]]:
    """A faction's losses as (category as set, people): the tally's parts, the rest under the
    current category. A tally that claims more than the faction lost is not trusted."""
    parts = {str(k): int(v) for k, v in tally.items() if int(v) > 0}
    if sum(parts.values()) > total:
        parts = {}
    rest = total - sum(parts.values())
    if rest > 0:
        parts[current] = parts.get(current, 0) + rest
    return list(parts.items())


# -- the table: the game against history -------------------------------------------------------


@dataclass
class Row:
    id: str
    label: str
    game: int
    source: int | None = None  # the historical figure, as given
    expected: float | None = None  # source x scale: what the game is set against
    approximate: bool = False
    missing: int = 0  # prisoners and deserters: lost, alive, not in ``game``

    @property
    def share(self) -> float | None:
        """The game's losses as a share of the expected figure (1.0: as many)."""
        if not self.expected:
            return None
        return self.game / self.expected

    def to_json(self) -> dict:
        share = self.share
        return {
            "id": self.id,
            "label": self.label,
            "game": self.game,
            "source": self.source,
            "expected": None if self.expected is None else round(self.expected, 1),
            "share": None if share is None else round(share, 4),
            "approximate": self.approximate,
            "prisoners_and_deserters": self.missing,
        }


@dataclass
class LedgerTable:
    scenario: str
    turn: int
    date: str
    historical: str  # the title of the figures set against
    scale: float
    categories: list[Row]  # the source's military categories, in its order
    other: list[Row]  # factions under no source category (no figure)
    nations: list[Row]  # the coalition by nation
    civilians: Row
    military: Row
    total: Row
    ledger: Ledger


def ledger_table(
    state, historical: Figures | Mapping | None = None, scale: float | None = None
) -> LedgerTable:
    """The game's losses beside historical figures, category by category.

    ``historical``: a ``Figures`` set, or a scenario's table of them (see ``read_figures``);
    by default the whole war's. A category the set leaves out has no figure (and no share);
    the military and overall figures add up those it gives, while the game's totals count
    every loss. ``scale`` multiplies the historical figures before the game is
    set against them (e.g. ``war_share(start, end)`` for a game covering part of the war);
    default 1. Raises HistoryError for a bad figures table or scale.
    """
    src = source()
    if historical is None:
        figures = src.figures()
    elif isinstance(historical, Figures):
        figures = historical
    else:
        figures = historical_figures(historical)
    if scale is None:
        scale = 1.0
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise HistoryError([f"scale: expected a number above 0, got {scale!r}"])
    scale = float(scale)
    ledger = Ledger.from_state(state, src)

    def row(rid, label, game, fig, approx=False, missing=0) -> Row:
        return Row(rid, label, game, fig, None if fig is None else fig * scale, approx, missing)

    categories = [
        row(
            c.id,
            c.label,
            ledger.category_total(c.id),
            figures.categories.get(c.id),
            c.approximate,
            ledger.category_missing(c.id),
        )
        for c in src.military
    ]
    other = [
        Row(fid, ledger.other_labels[fid], n, missing=ledger.other_missing.get(fid, 0))
        for fid, n in ledger.other.items()
    ]
    nations = [row(n.id, n.label, ledger.nation_total(n.id), figures.nations.get(n.id)) for n in src.nations]
    civ = src.category(CIVILIANS)
    civilians = row(
        civ.id, civ.label, ledger.civilians_total, figures.categories.get(civ.id), civ.approximate
    )
    given = [figures.categories[c.id] for c in src.military if c.id in figures.categories]
    mil_fig = sum(given) if given else None
    military = row(
        "military",
        "Military total",
        ledger.military_killed,
        mil_fig,
        any(c.approximate for c in src.military if c.id in figures.categories),
        ledger.military_missing,
    )
    all_fig = (
        None if mil_fig is None and civilians.source is None else ((mil_fig or 0) + (civilians.source or 0))
    )
    total = row("total", "All killed", ledger.total, all_fig, military.approximate or civilians.approximate)
    return LedgerTable(
        scenario=state.scenario_id,
        turn=state.turn,
        date=state.date.isoformat(),
        historical=figures.title,
        scale=scale,
        categories=categories,
        other=other,
        nations=nations,
        civilians=civilians,
        military=military,
        total=total,
        ledger=ledger,
    )


def _people(n: float | None, approximate: bool = False) -> str:
    if n is None:
        return "-"
    return ("~" if approximate else "") + f"{round(n):,}"


def _share(row: Row) -> str:
    s = row.share
    if s is None:
        return "-"
    if 0 < s < 0.001:
        return "<0.1%"
    return f"{s * 100:.1f}%" if s < 10 else f"{s:.0f}x"


def format_ledger(table: LedgerTable) -> str:
    """The table as fixed-width text for the command line."""
    scaled = table.scale != 1.0
    width = max(44, *(len(r.label) + 2 for r in table.categories + table.other + table.nations))
    head = f"{'':{width}}{'killed':>10}{'source':>11}"
    if scaled:
        head += f"{'x' + format(table.scale, '.3g'):>11}"
    head += f"{'share':>8}{'taken, fled':>13}"

    def line(r: Row, indent: int = 0) -> str:
        text = f"{' ' * indent}{r.label}"
        out = f"{text:{width}}{r.game:>10,}{_people(r.source, r.approximate):>11}"
        if scaled:
            out += f"{_people(r.expected, r.approximate):>11}"
        return out + f"{_share(r):>8}" + (f"{r.missing:>13,}" if r.missing else "")

    rule = "-" * len(head)
    lines = [
        f"Casualties: {table.scenario}, turn {table.turn} ({table.date})",
        f"against: {table.historical}" + (f", scaled by {table.scale:.3g}" if scaled else ""),
        "the dead are set against the source; prisoners and deserters (taken, fled) are "
        "lost to their army but alive",
        "",
        head,
        rule,
    ]
    lines += [line(r) for r in table.categories]
    if table.other:
        lines.append("Other (no source category)")
        lines += [line(r, 2) for r in table.other]
    lines += [
        rule,
        line(table.military),
        line(table.civilians),
        line(table.total),
        "",
        "Coalition forces by nation",
        rule,
    ]
    lines += [line(r, 2) for r in table.nations]
    led = table.ledger
    causes = led.by_cause
    if causes:
        lines += ["", "Military losses by cause: " + ", ".join(f"{c} {n:,}" for c, n in causes.items())]
    flows = led.manpower
    if flows.get("wounded") or flows.get("shaken"):
        now = led.out_of_fight_now
        lines.append(
            f"Out of the fight and back: {flows.get('wounded', 0):,} wounded "
            f"({flows.get('returned', 0):,} back in the line, "
            f"{causes.get('wounded', 0):,} lost to the war, {now['wounded']:,} "
            f"still out); {flows.get('shaken', 0):,} shaken "
            f"({flows.get('rallied', 0):,} rallied, {now['shaken']:,} still out)"
        )
    rows = [
        f for f in led.factions.values() if f.total or f.manpower.get("shaken") or f.manpower.get("wounded")
    ]
    if rows:
        lines += [
            "",
            "By faction: killed; wounded (back in the line); shaken (rallied); taken prisoner; deserted",
        ]
        for f in rows:
            m = f.manpower
            lines.append(
                f"  {f.name}: {f.killed:,} killed; {m.get('wounded', 0):,} wounded "
                f"({m.get('returned', 0):,}); {m.get('shaken', 0):,} shaken "
                f"({m.get('rallied', 0):,}); {f.by_cause.get('captured', 0):,} "
                f"taken; {f.by_cause.get('deserted', 0):,} deserted"
            )
    if led.civilians_by_cause:
        lines.append(
            "Civilians killed by cause: " + ", ".join(f"{c} {n:,}" for c, n in led.civilians_by_cause.items())
        )
    air, ships = led.aircraft_lost, led.ships_lost
    lines += ["", f"Aircraft lost: {air['combat']:,} combat, {air['other']:,} other; ships lost: {ships:,}"]
    for f in led.factions.values():
        a = f.aircraft
        if a["combat"] or a["other"] or f.ships:
            lines.append(
                f"  {f.name}: {a['combat']:,} combat aircraft, {a['other']:,} other "
                f"aircraft, {f.ships:,} ships"
            )
    rest = {k: v for k, v in led.equipment.items() if k not in AIRCRAFT.values() and k not in SHIPS}
    if rest:
        lines.append("Other equipment lost: " + ", ".join(f"{k} {v:,}" for k, v in rest.items()))
    return "\n".join(lines)


def ledger_json(table: LedgerTable) -> dict:
    """The table as JSON data (for ``mesopotamia simulate --json``): casualties in the source's
    categories and by coalition nation, by faction, civilians, aircraft and ships lost."""
    led = table.ledger
    return {
        "scenario": table.scenario,
        "turn": table.turn,
        "date": table.date,
        "historical": {"title": table.historical, "scale": table.scale},
        "categories": [r.to_json() for r in table.categories],
        "other": [r.to_json() for r in table.other],
        "nations": [r.to_json() for r in table.nations],
        "military": table.military.to_json(),
        "civilians": {**table.civilians.to_json(), "by_cause": dict(led.civilians_by_cause)},
        "total": table.total.to_json(),
        "by_cause": led.by_cause,
        "manpower": led.manpower,
        "now": led.out_of_fight_now,
        "factions": {
            f.id: {
                "name": f.name,
                "side": f.side,
                "category": f.category,
                "nation": f.nation,
                "total": f.total,
                "killed": f.killed,
                "prisoners_and_deserters": f.missing,
                "invalided": f.invalided,
                "by_cause": dict(f.by_cause),
                "manpower": dict(f.manpower),
                "now": dict(f.now),
                "by_category": {cid: book[f.id] for cid, book in led.by_category.items() if f.id in book},
                "equipment": dict(f.equipment),
            }
            for f in led.factions.values()
        },
        "aircraft_lost": {
            **led.aircraft_lost,
            "total": sum(led.aircraft_lost.values()),
            "by_faction": {f.id: f.aircraft for f in led.factions.values() if any(f.aircraft.values())},
        },
        "ships_lost": {
            "total": led.ships_lost,
            "by_faction": {f.id: f.ships for f in led.factions.values() if f.ships},
        },
        "equipment_lost": led.equipment,
    }


def unbalanced_books(state) -> dict[str, tuple[int, int]]:
    """The factions whose casualty books do not balance: faction -> (people who came, people
    accounted for). Came: at the start, arrived and transferred in. Accounted for: fit, wounded
    and shaken in its units, lost by every cause, withdrawn and transferred out."""
    held: dict[str, int] = {}
    for u in state.units.values():
        held[u.faction] = held.get(u.faction, 0) + u.personnel + u.wounded + u.shaken
    out = {}
    for f in sorted(set(state.factions) | set(state.manpower) | set(state.losses)):
        book = state.manpower.get(f, {})
        came = book.get("start", 0) + book.get("arrived", 0) + book.get("transferred_in", 0)
        went = (
            held.get(f, 0)
            + sum(state.losses.get(f, {}).values())
            + book.get("withdrawn", 0)
            + book.get("transferred_out", 0)
        )
        if came != went:
            out[f] = (came, went)
    return out


__all__ = [
    "AIRCRAFT",
    "ALIVE_CAUSES",
    "MISSING_CAUSES",
    "CIVILIANS",
    "COALITION",
    "Category",
    "FactionLosses",
    "Figures",
    "HISTORY_FILE",
    "HistoryError",
    "Ledger",
    "LedgerTable",
    "Nation",
    "Row",
    "SHIPS",
    "Source",
    "check_category",
    "format_ledger",
    "historical_figures",
    "ledger_json",
    "ledger_table",
    "load_history",
    "read_figures",
    "source",
    "unbalanced_books",
    "war_share",
    "whole_war",
]
