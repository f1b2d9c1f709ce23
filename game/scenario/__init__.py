"""Scenarios: the TOML format of ``docs/scenario-format.md``, checked and turned into a setup.

Engine layer. ``load_scenario(path)`` reads a file, checks it completely and returns a
``Scenario`` whose ``setup`` dict starts a game (``game.commands.Game``); ``check_file(path)``
returns every problem as one readable line, ``FILE:LINE: [field] problem (hint)``, whatever
the bytes in the file. Bundled scenarios live in ``scenarios/``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from game import SCENARIOS_DIR, player_scenarios_dir
from game.scenario.locate import Locator, scan
from game.scenario.model import Problem, Scenario, ScenarioError
from game.scenario.validate import build

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _visible(text: str) -> str:
    """Text with its line breaks and other control characters written out (``\\n``), so that
    a problem quoting an author's value stays one line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _format(path: Path | str, locator: Locator | None, p: Problem) -> str:
    line = p.line or (locator.line(p.path) if (locator and p.path) else None)
    if line is None and locator is not None:
        line = 1  # a part the file lacks: the top of the file is where to add it
    where = f"{path}:{line}" if line else f"{path}"
    field_ = f" [{_visible(p.path)}]" if p.path else ""
    hint = f" ({_visible(p.hint)})" if p.hint else ""
    return f"{where}:{field_} {_visible(p.text)}{hint}"


# The largest file the checker reads: well over twice the campaign, the largest bundled scenario
# (83 KB). Any file up to it is checked in under a second (the TOML reader alone takes half of
# that for the worst 200 KB); a larger one is refused unread.
MAX_FILE_BYTES = 200_000


def _too_big(path, size: int) -> list[str]:
    return [
        f"{path}: {size:,} bytes is more than a scenario file may hold (at most {MAX_FILE_BYTES:,} bytes)"
    ]


def read_text(path: Path) -> tuple[str | None, list[str]]:
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                f.seek(0, 2)
                return None, _too_big(path, max(f.tell(), len(raw)))
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


# Files the TOML reader gives up on without a line: arrays or inline tables nested so deep that
# it runs out of stack (nothing in the format nests deeper than an event's action's unit's
# equipment, 6 levels; a file is located at the first bracket past MAX_NESTING), and integers of
# more than 4,300 digits, which Python refuses to read. Dotted keys (a.b = 1) it reads in time
# growing faster than their number and the square of their parts: a key or header of more than
# MAX_KEY_PARTS parts, or a file of more than MAX_DOTTED_KEYS dotted keys, is refused before
# reading (nothing in the format has more than 2 parts; no bundled scenario has a dotted key).
MAX_NESTING = 32
MAX_KEY_PARTS = 3
MAX_DOTTED_KEYS = 1000
_LONG_NUMBER = re.compile(r"[0-9][0-9_]{4299,}")


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _too_deep(text: str) -> int | None:
    """Where arrays or inline tables first nest deeper than ``MAX_NESTING``: the offset, or
    None. Brackets inside quoted strings and comments are passed over."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return i
        elif c in "]}":
            depth = max(0, depth - 1)
        elif c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n:
                if c == '"' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    break
                if len(quote) == 1 and text[j] == "\n":
                    break
                j += 1
            i = j + len(quote)
            continue
        i += 1
    return None


def parse(path: Path | str, text: str) -> tuple[dict | None, list[str]]:
    data, problems, _ = _parse(path, text)
    return data, problems


def _parse(path: Path | str, text: str) -> tuple[dict | None, list[str], list]:
    """The file's data (or None) with its problems, and its keys' lines (for a Locator)."""
    if len(text) > MAX_FILE_BYTES and len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return None, _too_big(path, len(text.encode("utf-8"))), []
    keys = scan(text)
    long = next((k for k in keys if len(k.parts) > MAX_KEY_PARTS), None)
    if long is not None:
        shown = ".".join(long.parts[:3])
        return (
            None,
            [
                f"{path}:{long.line}: a key of {len(long.parts):,} parts ({shown}...) "
                f"(no key of a scenario has more than {MAX_KEY_PARTS})"
            ],
            keys,
        )
    dotted = [k for k in keys if len(k.parts) > 1 and k.kind in ("key", "inline")]
    if len(dotted) > MAX_DOTTED_KEYS:
        k = dotted[MAX_DOTTED_KEYS]
        return (
            None,
            [
                f"{path}:{k.line}: more than {MAX_DOTTED_KEYS:,} dotted keys like "
                f"{'.'.join(k.parts)} = ... (write tables: [{k.parts[0]}] and "
                f"{'.'.join(k.parts[1:])} = ...)"
            ],
            keys,
        )
    return (*_read_toml(path, text), keys)


def _read_toml(path: Path | str, text: str) -> tuple[dict | None, list[str]]:
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
        elif "(at end of document)" in msg:
            # Something left open (a string, a list, a table) runs to the end: the last line.
            line = max(1, len(text.splitlines()))
            msg = msg.replace(
                "(at end of document)",
                "(at the end of the file: something opened "
                "earlier, a string, list or table, is never closed)",
            )
        where = f"{path}:{line}" if line else f"{path}"
        return None, [f"{where}: TOML syntax: {msg}"]
    except RecursionError:  # arrays or inline tables nested hundreds deep
        deep = _too_deep(text)
        where = f"{path}:{_line_at(text, deep)}" if deep is not None else f"{path}"
        return None, [
            f"{where}: arrays or tables nested more than {MAX_NESTING} deep "
            f"(nothing in a scenario nests deeper than 6)"
        ]
    except ValueError as exc:  # Python reads no integer of more than 4,300 digits
        long = _LONG_NUMBER.search(text)
        if long is None:
            return None, [f"{path}: cannot be read as TOML ({exc})"]
        return None, [
            f"{path}:{_line_at(text, long.start())}: a number of "
            f"{len(long.group()):,} digits (no figure of a scenario has more than "
            f"a dozen)"
        ]


def check_text(
    text: str,
    path: Path | str = "<scenario>",
    hexmap=None,
    rules=None,
    options: dict[str, bool] | None = None,
    every_switch: bool = False,
) -> tuple[Scenario | None, list[str]]:
    """The scenario a file's text makes, with its switches set as ``options`` says (the others
    at their defaults, history), or None and every problem, a line each. ``every_switch``: also
    check each switch turned from its default on its own, as a player could set it."""
    data, problems, keys = _parse(path, text)
    if data is None:
        return None, problems
    locator = Locator(text, keys)
    try:
        scenario, found = build(data, hexmap, rules, options)
    except ValueError as exc:
        return None, [f"{path}: {exc}"]
    lines = [_format(path, locator, p) for p in found]
    if every_switch and scenario is not None and not lines:
        # Each switch turned from history on its own, then all of them at once, as a player
        # may set them: (where the problem is told, how the setting is said, the settings).
        history = {o.id: o.default for o in scenario.options}
        settings = [
            (
                f"options[{k}]",
                f"with switch {o.id!r} {'off' if o.default else 'on'}",
                {**history, o.id: not o.default},
            )
            for k, o in enumerate(scenario.options)
        ]
        if len(scenario.options) > 1:
            names = ", ".join(o.id for o in scenario.options)
            turned = {o.id: not o.default for o in scenario.options}
            settings.append(("options", f"with every switch turned from history ({names})", turned))
        for k, (where, said, setting) in enumerate(settings):
            if k == len(scenario.options) and lines:
                break  # the combination is tried only when each switch stands alone
            _, more = build(data, hexmap, rules, setting)
            lines += [
                _format(path, locator, Problem(where, f"{said}: [{p.path}] {p.text}", p.hint)) for p in more
            ]
    if scenario is not None and not lines:
        scenario.path = Path(path) if not isinstance(path, Path) else path
        scenario.source = data
    return (scenario if not lines else None), lines


def check_file(path: Path | str, hexmap=None, rules=None) -> list[str]:
    """Every problem of a scenario file, its switches each turned from history included."""
    text, problems = read_text(Path(path))
    if text is None:
        return problems
    return check_text(text, path, hexmap, rules, every_switch=True)[1]


def load_scenario(
    path: Path | str, hexmap=None, rules=None, options: dict[str, bool] | None = None
) -> Scenario:
    """The scenario of a file, its switches as ``options`` sets them (id -> on), the others at
    their defaults; ScenarioError with every problem, or naming a switch it does not have."""
    text, problems = read_text(Path(path))
    if text is None:
        raise ScenarioError(problems)
    scenario, problems = check_text(text, path, hexmap, rules, options)
    if problems:
        raise ScenarioError(problems)
    assert scenario is not None  # no scenario comes with a problem saying why
    return scenario


def bundled_paths() -> list[Path]:
    return sorted(p for p in SCENARIOS_DIR.glob("*.toml"))


_PEEK_BYTES = MAX_FILE_BYTES  # a file larger than a scenario may be is not read for its id


_ids: dict[tuple[str, int, int], str | None] = {}


def _scenario_id(path: Path) -> str | None:
    """The ``[scenario] id`` of a file, read without checking the rest (once per version of
    the file: a look-up by id reads every scenario's file)."""
    try:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key in _ids:
            return _ids[key]
        _ids[key] = None
        if st.st_size > _PEEK_BYTES:
            return None
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError):
        return None
    head = data.get("scenario")
    found = head.get("id") if isinstance(head, dict) and isinstance(head.get("id"), str) else None
    _ids[key] = found
    return found


def player_paths() -> list[Path]:
    """The scenario files in the player's own folder (``$MESOPOTAMIA_HOME/scenarios/``)."""
    folder = player_scenarios_dir()
    try:
        return sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError:
        return []


def find_scenario(name: str, paths: bool = True) -> Path | None:
    """A scenario the same way in every command and screen. A name that is a file's path
    (it ends in ``.toml`` or holds a folder, and the file is there) is that file; otherwise a
    bundled scenario (the phases, the campaign, the examples) by id or file name, then one in
    the player's own folder (``$MESOPOTAMIA_HOME/scenarios/``) by id or file name. With
    ``paths`` false, as for a name read from a save, only the last two. None if there is no
    such scenario."""
    name = str(name)
    if paths and (name.endswith(".toml") or "/" in name or "\\" in name):
        p = Path(name)
        if p.is_file():
            return p
    stem = name[:-5] if name.endswith(".toml") else name
    if not stem or "/" in stem or "\\" in stem:
        return None
    for group in (bundled_paths() + example_paths(), player_paths()):
        for path in group:
            if path.stem == stem:
                return path
        for path in group:
            if _scenario_id(path) == stem:
                return path
    return None


def example_paths() -> list[Path]:
    """The small scenarios shipped as examples for authors."""
    return sorted((SCENARIOS_DIR / "examples").glob("*.toml"))


__all__ = [
    "MAX_FILE_BYTES",
    "Problem",
    "Scenario",
    "ScenarioError",
    "bundled_paths",
    "check_file",
    "check_text",
    "example_paths",
    "find_scenario",
    "load_scenario",
    "parse",
    "player_paths",
    "read_text",
]
