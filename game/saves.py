"""Save files: a game written to disk and read back, whole or not at all.

Engine layer (no pygame). A save is gzip-compressed JSON, one document::

    {"format": "mesopotamia-save", "version": 1, "game_version": "0.1.0", "rules_version": "1",
     "map": "mesopotamia", "setup": {...}, "seed": 7, "journal": [{command}, ...],
     "state": {GameState.to_dict()}, "checksum": "...", "saved_at_turn": 3, ...}

The setup, the seed and the journal are enough to play the game again from its start
(``verify_save``); the state is what ``load_game`` restores, and its checksum proves it was
neither edited nor damaged. The same game always gives the same bytes: keys sorted, gzip with
no file name and no time stamp.

Writing is atomic: the bytes go to a temporary file beside the target, are flushed to the disk,
and only then replace the old save, so a crash while saving leaves the previous save whole.
Reading changes nothing on disk and runs no code (JSON only: no pickle, no eval). Every problem
is a ``SaveError`` whose one-line message names the file and says what is wrong in words.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import zlib
from pathlib import Path

from game import __version__
from game.commands import Command, CommandError, Game, replay_journal
from game.hexmap import HexMap
from game.rules import Rules
from game.state import GameState, SetupError, state_checksum

SAVE_FORMAT = "mesopotamia-save"
SAVE_VERSION = 1
SAVE_SUFFIX = ".save"
# A save this large once decompressed is not one this game wrote (a long campaign is a few MB).
MAX_SAVE_BYTES = 256 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class SaveError(Exception):
    """A save that cannot be written or read; the message names the file and the problem."""


# -- writing -----------------------------------------------------------------------------------

def save_document(game: Game, extra: dict | None = None) -> dict:
    """The save of a game as plain JSON data; ``extra`` (JSON data, such as who plays each
    side) is kept under the key "extra" and plays no part in loading or replaying the game."""
    state = game.state
    data = state.to_dict()
    doc = {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "game_version": __version__,
        "rules_version": str(game.rules.version),
        "map": game.hexmap.name,
        "scenario": state.scenario_id,
        "title": state.title,
        "setup": game.setup,
        "seed": game.seed,
        "journal": list(game.journal),
        "state": data,
        "checksum": state_checksum(data),
        "saved_at_turn": state.turn,
        "saved_at_date": state.date.isoformat(),
        "side_to_move": state.active_side,
    }
    if extra:
        doc["extra"] = extra
    return doc


def encode_save(doc: dict) -> bytes:
    """Deterministic bytes of a save document: sorted keys, gzip without name or time."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def save_game(game: Game, path, extra: dict | None = None) -> Path:
    """Write the game to ``path`` atomically; return the path. Raises SaveError."""
    path = Path(path)
    try:
        blob = encode_save(save_document(game, extra))
    except (TypeError, ValueError) as exc:
        raise SaveError(f"{path}: cannot save: the game holds a value a save file cannot "
                        f"store ({exc})") from None
    _write_atomic(path, blob)
    return path


def _write_atomic(path: Path, blob: bytes) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise SaveError(f"{path}: cannot save: no such directory {directory}")
    if path.is_dir():
        raise SaveError(f"{path}: cannot save: it is a directory")
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise SaveError(f"{path}: cannot save: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable where the system allows it (POSIX)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- reading -----------------------------------------------------------------------------------

# field -> (types allowed, words for the message)
_FIELDS = {
    "game_version": (str, "a string"),
    "rules_version": (str, "a string"),
    "map": (str, "a string"),
    "setup": (dict, "a table"),
    "seed": (int, "a whole number"),
    "journal": (list, "a list of commands"),
    "state": (dict, "a table"),
    "checksum": (str, "a string"),
    "saved_at_turn": (int, "a whole number"),
}


def _type_name(value) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a whole number", float: "a number", str: "a string",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def _one_line(text: str) -> str:
    return "; ".join(part.strip() for part in str(text).splitlines() if part.strip())


def read_save(path) -> dict:
    """Read and check a save file's document, without needing the map or the rules.

    Checks: the file exists and is a gzip-compressed JSON save of a version this game reads,
    every field is there with the right type, and the state matches its checksum.
    """
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(2)
            f.seek(0)
            if not head:
                raise SaveError(f"{path}: the save file is empty")
            if head != _GZIP_MAGIC:
                raise SaveError(f"{path}: not a save file (it is not gzip-compressed)")
            with gzip.GzipFile(fileobj=f, mode="rb") as gz:
                raw = gz.read(MAX_SAVE_BYTES + 1)
    except SaveError:
        raise
    except FileNotFoundError:
        raise SaveError(f"{path}: save file not found") from None
    except IsADirectoryError:
        raise SaveError(f"{path}: is a directory, not a save file") from None
    except PermissionError:
        raise SaveError(f"{path}: cannot read the save file: permission denied") from None
    except EOFError:
        raise SaveError(f"{path}: the save file is truncated (it ends before the "
                        f"compressed data does)") from None
    except gzip.BadGzipFile as exc:
        if "CRC" in str(exc) or "length" in str(exc):
            raise SaveError(f"{path}: the save file is damaged or truncated (its gzip check "
                            f"sum does not match: {exc})") from None
        raise SaveError(f"{path}: not a save file (bad gzip data: {exc})") from None
    except zlib.error as exc:
        raise SaveError(f"{path}: the save file is damaged (the compressed data is "
                        f"corrupt: {exc})") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the save file: {exc.strerror or exc}") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"{path}: not a save file (it unpacks to more than "
                        f"{MAX_SAVE_BYTES // 2**20} MB)")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a save file (the contents are not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise SaveError(f"{path}: not a save file (the contents are not JSON: {exc.msg} at "
                        f"line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise SaveError(f"{path}: not a save file (the JSON is nested too deeply)") from None
    _check_document(path, doc)
    return doc


def _check_document(path: Path, doc) -> None:
    if not isinstance(doc, dict):
        raise SaveError(f"{path}: not a save file (JSON {_type_name(doc)}, not a save table)")
    fmt = doc.get("format")
    if fmt != SAVE_FORMAT:
        said = "no \"format\" field" if fmt is None else f"format is {fmt!r}"
        raise SaveError(f"{path}: not a save file ({said}, expected {SAVE_FORMAT!r})")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SaveError(f"{path}: the save's \"version\" field should be a whole number, "
                        f"not {_type_name(version)}")
    if version > SAVE_VERSION:
        made_by = doc.get("game_version")
        by = f" ({made_by})" if isinstance(made_by, str) and made_by != __version__ else ""
        raise SaveError(f"{path}: made by a newer version of the game{by}: save format "
                        f"version {version}, this game ({__version__}) reads up to {SAVE_VERSION}")
    if version < 1:
        raise SaveError(f"{path}: unknown save format version {version}")
    for name, (kind, words) in _FIELDS.items():
        if name not in doc:
            raise SaveError(f"{path}: the save is missing the field \"{name}\"")
        value = doc[name]
        if isinstance(value, bool) or not isinstance(value, kind):
            raise SaveError(f"{path}: the save's field \"{name}\" should be {words}, "
                            f"not {_type_name(value)}")
    for n, entry in enumerate(doc["journal"], start=1):
        if not isinstance(entry, dict):
            raise SaveError(f"{path}: journal entry {n} should be a command table, "
                            f"not {_type_name(entry)}")
    stored = doc["checksum"]
    try:
        actual = state_checksum(doc["state"])
    except (TypeError, ValueError) as exc:
        raise SaveError(f"{path}: the game state is damaged ({exc})") from None
    if actual != stored:
        raise SaveError(f"{path}: the save was edited or damaged: the game state's checksum is "
                        f"{actual[:12]}..., the save says {stored[:12]}...")


def _restore_state(path: Path, doc: dict, hexmap: HexMap, rules: Rules) -> GameState:
    if doc["map"] != hexmap.name:
        raise SaveError(f"{path}: the save is for the map {doc['map']!r}, "
                        f"this game has {hexmap.name!r}")
    try:
        state = GameState.from_dict(doc["state"])
        if state.checksum() != doc["checksum"]:
            raise SaveError(f"{path}: the game state does not read back as it was saved "
                            f"(checksum {state.checksum()[:12]}..., the save says "
                            f"{doc['checksum'][:12]}...)")
        problems = _state_problems(state, hexmap, rules)
    except _DAMAGE as exc:
        what = f"missing {exc}" if isinstance(exc, KeyError) else _one_line(exc)
        raise SaveError(f"{path}: the game state is damaged ({what})") from None
    if problems:
        raise SaveError(f"{path}: the game state does not fit this game: {problems[0]}"
                        + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return state


# What reading a hand-made state (one whose checksum was recomputed) may raise.
_DAMAGE = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)


def _state_problems(state: GameState, hexmap: HexMap, rules: Rules) -> list[str]:
    """What would make the engine fail later: unknown names, units off the map."""
    problems = []
    if not state.sides or not 0 <= state.active < len(state.sides):
        problems.append(f"side to move {state.active} is not one of {len(state.sides)} sides")
    for f in state.factions.values():
        if f.side not in state.sides:
            problems.append(f"faction {f.id}: unknown side {f.side!r}")
    for u in state.units.values():
        if u.type not in rules.unit_types:
            problems.append(f"unit {u.id}: unknown unit type {u.type!r}")
        if u.faction not in state.factions:
            problems.append(f"unit {u.id}: unknown faction {u.faction!r}")
        if not hexmap.in_bounds(u.hex):
            problems.append(f"unit {u.id}: {u.hex.q},{u.hex.r} is off the map")
        for what in ("personnel", "wounded", "shaken", "killed"):
            n = getattr(u, what)
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                problems.append(f"unit {u.id}: {what} should be a whole number of people, 0 or "
                                f"more, not {n!r}")
    for pair in state.at_war:
        for fid in pair:
            if fid not in state.factions:
                problems.append(f"at war: unknown faction {fid!r}")
    return problems


def _check_journal(path: Path, journal: list[dict]) -> None:
    for n, entry in enumerate(journal, start=1):
        try:
            Command.from_dict(entry)
        except CommandError as exc:
            raise SaveError(f"{path}: journal entry {n} is not a command this game knows "
                            f"({exc})") from None


def load_game(path, hexmap: HexMap, rules: Rules, extra: dict | None = None) -> Game:
    """The game saved in ``path``: its state, journal, setup and seed; nothing to undo.

    If ``extra`` is a dict, the save's extra data (see ``save_document``) is put into it."""
    path = Path(path)
    doc = read_save(path)
    if extra is not None:
        got = doc.get("extra")
        if got is not None and not isinstance(got, dict):
            raise SaveError(f"{path}: the save's field \"extra\" should be a table, "
                            f"not {_type_name(got)}")
        extra.update(got or {})
    state = _restore_state(path, doc, hexmap, rules)
    _check_journal(path, doc["journal"])
    return Game(doc["setup"], hexmap, rules, doc["seed"], state=state, journal=doc["journal"])


def verify_save(path, hexmap: HexMap, rules: Rules) -> tuple[bool, str]:
    """Play the save's journal again from its setup and seed; compare the final checksum.

    Returns (True, "replay verified: ...") or (False, a one-line reason naming the file).
    """
    path = Path(path)
    try:
        doc = read_save(path)
        _restore_state(path, doc, hexmap, rules)
        _check_journal(path, doc["journal"])
    except SaveError as exc:
        return False, str(exc)
    journal = doc["journal"]
    n = len(journal)
    rules_note = ""
    if doc["rules_version"] != str(rules.version):
        rules_note = (f" (the save was made under rules version {doc['rules_version']}, "
                      f"these are version {rules.version})")
    try:
        game = replay_journal(doc["setup"], hexmap, rules, doc["seed"], journal)
    except CommandError as exc:
        return False, f"{path}: replay failed: {_one_line(exc)}{rules_note}"
    except SetupError as exc:
        return False, f"{path}: replay failed: the setup cannot start a game: {_one_line(exc)}"
    except _DAMAGE as exc:
        return False, (f"{path}: replay failed: the setup or journal is damaged "
                       f"({type(exc).__name__}: {_one_line(exc)})")
    got = game.checksum()
    if got != doc["checksum"]:
        return False, (f"{path}: replay does not match: after {n} command{'s' if n != 1 else ''} "
                       f"the checksum is {got[:12]}..., the save says {doc['checksum'][:12]}..."
                       f"{rules_note}")
    return True, f"replay verified: {n} command{'s' if n != 1 else ''}, checksum {got}"


def describe_save(game: Game, doc: dict | None = None) -> list[str]:
    """Readable lines about a loaded game, for ``mesopotamia replay`` without --verify."""
    s = game.state
    lines = [f"scenario: {s.title} ({s.scenario_id})"]
    if s.over:
        winner = s.side_names.get(s.winner, s.winner) if s.winner else "none"
        lines.append(f"turn {s.turn} of {s.end_turn}, {s.date.isoformat()}: the game is over "
                     f"(winner: {winner})")
    else:
        lines.append(f"turn {s.turn} of {s.end_turn}, {s.date.isoformat()}: "
                     f"{s.side_names.get(s.active_side, s.active_side)} to move")
    sides = ", ".join(f"{s.side_names.get(side, side)} {len(s.units_of_side(side))}"
                      for side in s.sides)
    lines.append(f"units: {len(s.units)} ({sides})")
    lines.append(f"commands: {len(game.journal)}")
    lines.append(f"seed: {game.seed}")
    lines.append(f"checksum: {game.checksum()}")
    if doc is not None:
        lines.append(f"made by: mesopotamia {doc['game_version']}, rules version "
                     f"{doc['rules_version']}, map {doc['map']}")
    return lines


__all__ = ["SAVE_FORMAT", "SAVE_SUFFIX", "SAVE_VERSION", "SaveError", "describe_save",
           "encode_save", "load_game", "read_save", "save_document", "save_game", "verify_save"]
