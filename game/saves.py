"""Save files: a game written to disk and read back, whole or not at all.

Engine layer (no pygame). A save is gzip-compressed JSON, one document::

    {"format": "mesopotamia-save", "version": 3, "game_version": "0.1.0", "rules_version": "1",
     "map": "mesopotamia", "setup": {...}, "seed": 7, "journal": [{command}, ...],
     "journal_checksums": ["...", ...], "state": {GameState.to_dict()}, "checksum": "...",
     "saved_at_turn": 3, ..., "digest": "..."}

The setup, the seed and the journal are enough to play the game again from its start
(``verify_save``); the state is what ``load_game`` restores. ``checksum`` is the state's own
(``GameState.checksum``, what a replay ends with); ``journal_checksums`` holds, for each
command of the journal, the state's checksum just after it was done (``RunningChecksum``; null
for the commands of a game saved before saves kept them), so that a replay names the first
command whose result differs. ``digest`` covers every other field of
the document as well (the setup, the seed, the journal, the players' ``extra``), so a save that
was edited or damaged anywhere is refused. A digest is no signature: whoever edits a save can
compute it again. So loading also checks every field: the setup as strictly as a scenario file
(it is read back through the scenario checker), the state's every field for its type and range
and the names it refers to, and each journal entry against the commands. Older saves are still
read: those of version 2, from before the checksum per command, have none to compare; those of
version 1, from before the digest, have their state checksum checked, everything else as above.
The same game always gives the same bytes: keys sorted, gzip with no file name and no time stamp.

Writing is atomic: the bytes go to a temporary file beside the target, are flushed to the disk,
and only then replace the old save, so a crash while saving leaves the previous save whole.
Reading changes nothing on disk and runs no code (JSON only: no pickle, no eval). Every problem
is a ``SaveError`` whose one-line message names the file and says what is wrong in words.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import os
import re
import tempfile
import time
import zlib
from pathlib import Path

from game import __version__
from game.commands import Command, CommandError, Diverged, Game, replay_journal
from game.hexgrid import Hex
from game.hexmap import HexMap, game_map
from game.ledger import check_category, source as casualty_source, unbalanced_books
from game.rules import Rules
from game.scenario import schema as scenario_schema
from game.scenario.plans import KINDS as PLAN_KINDS
from game.scenario.validate import build as build_scenario
from game.state import MANPOWER, STATE_VERSION, GameState, SetupError, state_checksum

SAVE_FORMAT = "mesopotamia-save"
# 3: a checksum after each command of the journal; 2: a digest of the whole document; 1: a
# checksum of the state only (all still read).
SAVE_VERSION = 3
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
        "journal_checksums": list(game.checksums),
        "state": data,
        "checksum": state_checksum(data),
        "saved_at_turn": state.turn,
        "saved_at_date": state.date.isoformat(),
        "side_to_move": state.active_side,
    }
    if extra:
        doc["extra"] = extra
    doc["digest"] = save_digest(doc)
    return doc


def save_digest(doc: dict) -> str:
    """The digest of a save document: SHA-256 of its canonical JSON (keys sorted, no spaces,
    ASCII), every field but "digest" itself. Raises ValueError for what JSON cannot hold and
    RecursionError for data nested too deep."""
    body = {k: v for k, v in doc.items() if k != "digest"}
    blob = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return hashlib.sha256(blob.encode("ascii")).hexdigest()


def encode_save(doc: dict) -> bytes:
    """Deterministic bytes of a save document: sorted keys, gzip without name or time."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def save_game(game: Game, path, extra: dict | None = None) -> Path:
    """Write the game to ``path`` atomically; return the path. Raises SaveError."""
    path = Path(path)
    try:
        blob = encode_save(save_document(game, extra))
    except (TypeError, ValueError, RecursionError) as exc:
        raise SaveError(
            f"{path}: cannot save: the game holds a value a save file cannot store ({_one_line(exc)})"
        ) from None
    _write_atomic(path, blob)
    return path


# A temporary file of a save older than this was left by a save that never finished (a save
# takes well under a second; a writer still at work renews nothing, so the age is from its start).
STALE_TEMP_SECONDS = 10 * 60


def _temp_pattern(name: str | None = None) -> re.Pattern:
    """The names ``_write_atomic`` gives its temporary files: ``.NAME.XXXXXXXX.tmp``."""
    stem = re.escape(name) if name is not None else r".+" + re.escape(SAVE_SUFFIX)
    return re.compile(rf"\.{stem}\.[A-Za-z0-9_]+\.tmp")


def remove_stale_temp_files(
    directory, name: str | None = None, older_than: float = STALE_TEMP_SECONDS
) -> list[Path]:
    """Remove the temporary files interrupted saves left in ``directory``: those of the save
    file ``name``, or of any ``*.save`` without it, last changed more than ``older_than``
    seconds ago (a younger one may be another game's save at work). Returns what was removed;
    a file that cannot be removed is left, silently."""
    pattern = _temp_pattern(name)
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if (
                not entry.is_file(follow_symlinks=False)
                or now - entry.stat(follow_symlinks=False).st_mtime <= older_than
            ):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def write_atomic(path, blob: bytes) -> Path:
    """Write ``blob`` to ``path`` as saves are written (a temporary file beside it, flushed,
    then renamed over it); raises SaveError naming the file."""
    path = Path(path)
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
    remove_stale_temp_files(directory, path.name)


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
# Fields for the reader's eye (``describe_save``, the saves screen); checked when present.
_OPTIONAL_TEXT = ("scenario", "title", "saved_at_date", "side_to_move")

# Bounds no game this program makes comes near; anything past them is damage, refused before
# the engine meets it.
MAX_DIGITS = 40  # the random generator's state is a 128-bit number, 39 digits
MAX_SEED = 2**128 - 1
MAX_TURNS = 5_000
MAX_UNITS = 10_000
MAX_PEOPLE = 10_000_000  # in one unit; a tally of losses may reach a hundred times that
MAX_TALLY = 1_000_000_000
MAX_EQUIPMENT = 1_000_000
MAX_TEXT = 100_000  # one line of the log or the result
MAX_NAME = 1_000  # an id or a name
MAX_ENTRIES = 1_000_000  # lines of the log, the timeline, commands of the journal
EXTRA_DEPTH = 12  # the players' extra data nests 6 deep


class _Refused(Exception):
    """A value JSON allows but a save never holds (NaN, infinity, a huge number)."""


def _parse_int(text: str) -> int:
    if len(text) > MAX_DIGITS + 1:
        raise _Refused(f"a number of {len(text.lstrip('-')):,} digits")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > 400:
        raise _Refused(f"a number written with {len(text):,} characters")
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:20]}, too large to hold")
    return value


def _parse_constant(name: str):
    raise _Refused(f"{name}, which is not a number a save holds")


def _type_name(value) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _shown(value) -> str:
    """A value for a one-line message, short whatever the file holds."""
    if isinstance(value, (list, dict)):
        return _type_name(value)
    text = " ".join(repr(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _one_line(text) -> str:
    line = "; ".join(part.strip() for part in str(text).splitlines() if part.strip())
    return line if len(line) <= 300 else line[:297] + "..."


def read_save(path) -> dict:
    """Read and check a save file's document, without needing the map or the rules.

    Checks: the file exists and is a gzip-compressed JSON save of a version this game reads,
    holds no number JSON allows but a save never does (NaN, infinity, thousands of digits),
    every field is there with the right type, and the digest (version 1: the state's checksum)
    matches. ``load_game`` checks the rest, which needs the map and the rules.
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
        raise SaveError(
            f"{path}: the save file is truncated (it ends before the compressed data does)"
        ) from None
    except gzip.BadGzipFile as exc:
        if "CRC" in str(exc) or "length" in str(exc):
            raise SaveError(
                f"{path}: the save file is damaged or truncated (its gzip check sum does not match: {exc})"
            ) from None
        raise SaveError(f"{path}: not a save file (bad gzip data: {exc})") from None
    except zlib.error as exc:
        raise SaveError(f"{path}: the save file is damaged (the compressed data is corrupt: {exc})") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read the save file: {exc.strerror or exc}") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"{path}: not a save file (it unpacks to more than {MAX_SAVE_BYTES // 2**20} MB)")
    try:
        doc = json.loads(
            raw.decode("utf-8"),
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a save file (the contents are not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise SaveError(
            f"{path}: not a save file (the contents are not JSON: {exc.msg} at "
            f"line {exc.lineno} column {exc.colno})"
        ) from None
    except _Refused as exc:
        raise SaveError(f"{path}: the save was edited or damaged: it holds {exc}") from None
    except RecursionError:
        raise SaveError(f"{path}: not a save file (the JSON is nested too deeply)") from None
    except ValueError as exc:
        raise SaveError(f"{path}: not a save file ({_one_line(exc)})") from None
    _check_document(path, doc)
    return doc


def _check_document(path: Path, doc) -> None:
    if not isinstance(doc, dict):
        raise SaveError(f"{path}: not a save file (JSON {_type_name(doc)}, not a save table)")
    fmt = doc.get("format")
    if fmt != SAVE_FORMAT:
        said = 'no "format" field' if fmt is None else f"format is {_shown(fmt)}"
        raise SaveError(f"{path}: not a save file ({said}, expected {SAVE_FORMAT!r})")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SaveError(
            f'{path}: the save\'s "version" field should be a whole number, not {_type_name(version)}'
        )
    if version > SAVE_VERSION:
        made_by = doc.get("game_version")
        by = f" ({_shown(made_by)})" if isinstance(made_by, str) and made_by != __version__ else ""
        raise SaveError(
            f"{path}: made by a newer version of the game{by}: save format "
            f"version {version}, this game ({__version__}) reads up to {SAVE_VERSION}"
        )
    if version < 1:
        raise SaveError(f"{path}: unknown save format version {version}")
    fields = dict(_FIELDS)
    if version >= 2:
        fields["digest"] = (str, "a string")
    if version >= 3:
        fields["journal_checksums"] = (list, "a list of checksums")
    for name, (kind, words) in fields.items():
        if name not in doc:
            raise SaveError(f'{path}: the save is missing the field "{name}"')
        value = doc[name]
        if isinstance(value, bool) or not isinstance(value, kind):
            raise SaveError(f'{path}: the save\'s field "{name}" should be {words}, not {_type_name(value)}')
    for name in _OPTIONAL_TEXT:
        if name in doc and not (isinstance(doc[name], str) and len(doc[name]) <= MAX_NAME):
            raise SaveError(
                f'{path}: the save\'s field "{name}" should be a line of text, not {_type_name(doc[name])}'
            )
    if not 0 <= doc["seed"] <= MAX_SEED:
        raise SaveError(
            f"{path}: the save's seed {_shown(doc['seed'])} is not a seed this game "
            f"makes (0 or more, under 2**128)"
        )
    if not 0 <= doc["saved_at_turn"] <= MAX_TURNS:
        raise SaveError(
            f'{path}: the save\'s field "saved_at_turn" is '
            f"{doc['saved_at_turn']}, not a turn (0 to {MAX_TURNS})"
        )
    if "extra" in doc:
        problem = _extra_problem(doc["extra"])
        if problem:
            raise SaveError(f'{path}: the players\' part of the save ("extra") {problem}')
    if version >= 2:
        try:
            actual = save_digest(doc)
        except RecursionError:
            raise SaveError(
                f"{path}: the save was edited or damaged: its data is nested too deeply"
            ) from None
        except (TypeError, ValueError) as exc:
            raise SaveError(f"{path}: the save was edited or damaged ({_one_line(exc)})") from None
        if actual != doc["digest"]:
            said = re.sub(r"[^0-9a-f]", "?", doc["digest"][:12])
            raise SaveError(
                f"{path}: the save was edited or damaged: its digest is "
                f"{actual[:12]}..., the save says {said}..."
            )
        if version >= 3:
            problem = _checksums_problem(doc["journal_checksums"], len(doc["journal"]))
            if problem:
                raise SaveError(f'{path}: the save\'s field "journal_checksums" {problem}')
        return
    # Version 1 saves had no digest: their state's checksum is all there is to compare.
    stored = doc["checksum"]
    try:
        actual = state_checksum(doc["state"])
    except RecursionError:
        raise SaveError(f"{path}: the game state is damaged (nested too deeply)") from None
    except (TypeError, ValueError) as exc:
        raise SaveError(f"{path}: the game state is damaged ({_one_line(exc)})") from None
    if actual != stored:
        raise SaveError(
            f"{path}: the save was edited or damaged: the game state's checksum is "
            f"{actual[:12]}..., the save says {re.sub(r'[^0-9a-f]', '?', stored[:12])}..."
        )


_CHECKSUM = re.compile(r"[0-9a-f]{32}")


def _checksums_problem(checksums: list, commands: int) -> str:
    """What is wrong with the checksums kept after the journal's commands (one a command, each
    32 hex digits or null), in words, or ""."""
    if len(checksums) != commands:
        return (
            f"has {len(checksums):,} checksum{'s' if len(checksums) != 1 else ''} for "
            f"{commands:,} command{'s' if commands != 1 else ''} of the journal (one each)"
        )
    for n, value in enumerate(checksums, start=1):
        if value is not None and not (isinstance(value, str) and _CHECKSUM.fullmatch(value)):
            return (
                f"entry {n} should be a checksum of 32 hex digits or null, "
                f"not {_shown(value) if isinstance(value, str) else _type_name(value)}"
            )
    return ""


def _extra_problem(extra) -> str:
    """What is wrong with the players' data of a save (a table of JSON, at most
    ``EXTRA_DEPTH`` deep, names and lines of text short), or ""."""
    if not isinstance(extra, dict):
        return f"should be a table, not {_type_name(extra)}"
    stack = [(extra, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > EXTRA_DEPTH:
            return f"is nested more than {EXTRA_DEPTH} deep"
        if isinstance(value, dict):
            for k, v in value.items():
                if len(k) > MAX_NAME:
                    return "holds a name of more than a thousand characters"
                stack.append((v, depth + 1))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            return f"holds a text of {len(value):,} characters"
    return ""


# -- checking the game in a save: setup, state, journal ------------------------------------------


class _Bad(Exception):
    """One problem of a field of the state: where it is and what is wrong."""


def _int(v, where: str, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _Bad(f"{where} should be a whole number, not {_type_name(v)}")
    if not lo <= v <= hi:
        raise _Bad(f"{where} is {_shown(v)}, out of range ({lo:,} to {hi:,})")
    return v


def _num(v, where: str, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _Bad(f"{where} should be a number, not {_type_name(v)}")
    if not lo <= v <= hi:
        raise _Bad(f"{where} is {_shown(v)}, out of range ({lo:g} to {hi:g})")
    return v


def _text(v, where: str, limit: int = MAX_NAME) -> str:
    if not isinstance(v, str):
        raise _Bad(f"{where} should be text, not {_type_name(v)}")
    if len(v) > limit:
        raise _Bad(f"{where} is {len(v):,} characters long (at most {limit:,})")
    return v


def _flag(v, where: str) -> bool:
    if not isinstance(v, bool):
        raise _Bad(f"{where} should be true or false, not {_type_name(v)}")
    return v


def _list(v, where: str, limit: int = MAX_ENTRIES) -> list:
    if not isinstance(v, list):
        raise _Bad(f"{where} should be a list, not {_type_name(v)}")
    if len(v) > limit:
        raise _Bad(f"{where} has {len(v):,} entries (at most {limit:,})")
    return v


def _table(v, where: str, required=(), optional=()) -> dict:
    if not isinstance(v, dict):
        raise _Bad(f"{where} should be a table, not {_type_name(v)}")
    if required or optional:
        for key in required:
            if key not in v:
                raise _Bad(f'{where} is missing "{key}"')
        for key in v:
            if key not in required and key not in optional:
                raise _Bad(f"{where} has an unknown field {_shown(key)}")
    return v


def _one_of(v, choices, where: str, what: str):
    if not isinstance(v, str) or v not in choices:
        raise _Bad(f"{where}: unknown {what} {_shown(v)}")
    return v


def _hex(v, where: str, hexmap: HexMap) -> Hex:
    if not (
        isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
    ):
        raise _Bad(f"{where} should be a hex [q, r], not {_shown(v)}")
    h = Hex(v[0], v[1])
    if not hexmap.in_bounds(h):
        raise _Bad(f"{where}: {h.q},{h.r} is off the map")
    return h


def _iso_date(v, where: str) -> dt.date:
    try:
        if isinstance(v, str) and len(v) == 10:
            return dt.date.fromisoformat(v)
    except ValueError:
        pass
    raise _Bad(f"{where} should be a date YYYY-MM-DD, not {_shown(v)}")


def _counts(v, where: str, keys=None, limit: int = MAX_TALLY) -> None:
    """A table of names to whole numbers, 0 or more (a tally)."""
    _table(v, where)
    if len(v) > 1_000:
        raise _Bad(f"{where} has {len(v):,} entries")
    for k, n in v.items():
        _text(k, f"{where} key")
        if keys is not None and k not in keys:
            raise _Bad(f"{where}: unknown {_shown(k)}")
        _int(n, f"{where}.{k}", 0, limit)


_UNIT_REQUIRED = ("id", "type", "faction", "hex", "personnel")
_UNIT_OPTIONAL = (
    "name",
    "equipment",
    "morale",
    "experience",
    "supplied",
    "turns_unsupplied",
    "entrenchment",
    "moves_left",
    "attacked",
    "wounded",
    "shaken",
    "killed",
)
_FACTION_REQUIRED = ("id", "name", "side")
_FACTION_OPTIONAL = (
    "bases",
    "supply_crossings",
    "nation",
    "leaders",
    "active",
    "quality",
    "category",
    "leader_bonus",
    "resolve",
)
_STATE_REQUIRED = (
    "version",
    "scenario_id",
    "title",
    "start_date",
    "turn_days",
    "end_turn",
    "sides",
    "side_names",
    "factions",
    "at_war",
    "units",
    "city_owner",
    "rng",
    "turn",
    "active",
    "losses",
    "equipment_lost",
    "civilians",
    "category_losses",
    "no_fly_zones",
    "air_tasks",
    "next_unit",
    "over",
    "winner",
    "result",
    "fired",
    "log",
)
_STATE_OPTIONAL = ("supply_sources", "manpower", "timeline")


def _check_state(d, setup: dict, hexmap: HexMap, rules: Rules) -> None:
    """Every field of a saved state, for its type, its range and the names it refers to;
    raises _Bad naming the first field wrong. The state must also be of the game its setup
    starts: the same sides, factions, dates and number of turns."""
    _table(d, "state", _STATE_REQUIRED, _STATE_OPTIONAL)
    if d["version"] != STATE_VERSION:
        raise _Bad(f"state version {_shown(d['version'])}, this game reads {STATE_VERSION}")
    _text(d["scenario_id"], "scenario_id")
    _text(d["title"], "title")
    start = _iso_date(d["start_date"], "start_date")
    days = _int(d["turn_days"], "turn_days", 1, 92)
    end_turn = _int(d["end_turn"], "end_turn", 1, MAX_TURNS)
    sides = _list(d["sides"], "sides", 16)
    for i, s in enumerate(sides):
        _text(s, f"sides[{i}]")
    if not sides or len(set(sides)) != len(sides):
        raise _Bad("sides should list each side once")
    names = _table(d["side_names"], "side_names")
    if set(names) != set(sides):
        raise _Bad("side_names should name each side")
    for k, v in names.items():
        _text(v, f"side_names.{k}")
    factions = _table(d["factions"], "factions")
    codes = {c for c in hexmap.countries if c}
    for fid, f in factions.items():
        w = f"factions.{fid}"
        _table(f, w, _FACTION_REQUIRED, _FACTION_OPTIONAL)
        if f["id"] != fid:
            raise _Bad(f"{w}.id should be {fid!r}, not {_shown(f['id'])}")
        _text(f["name"], f"{w}.name")
        _one_of(f["side"], sides, f"{w}.side", "side")
        for key in ("bases", "supply_crossings"):
            for j, c in enumerate(_list(f.get(key, []), f"{w}.{key}", 64)):
                _one_of(c, codes, f"{w}.{key}[{j}]", "country")
        for j, x in enumerate(_list(f.get("leaders", []), f"{w}.leaders", 100)):
            _text(x, f"{w}.leaders[{j}]")
        _text(f.get("nation", ""), f"{w}.nation")
        category = _text(f.get("category", ""), f"{w}.category")
        if category and category not in scenario_schema.CATEGORIES and check_category(category):
            raise _Bad(f"{w}: unknown casualty category {_shown(category)}")
        _flag(f.get("active", True), f"{w}.active")
        _num(f.get("quality", 1.0), f"{w}.quality", 0.1, 5)
        _num(f.get("leader_bonus", 0.0), f"{w}.leader_bonus", -0.5, 1)
        _num(f.get("resolve", 100.0), f"{w}.resolve", 0, 100)
    for i, pair in enumerate(_list(d["at_war"], "at_war", 10_000)):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise _Bad(f"at_war[{i}] should be a pair of factions, not {_shown(pair)}")
        for x in pair:
            _one_of(x, factions, f"at_war[{i}]", "faction")
        if pair[0] == pair[1]:
            raise _Bad(f"at_war[{i}]: a faction at war with itself")
    ids = set()
    for i, u in enumerate(_list(d["units"], "units", MAX_UNITS)):
        w = f"units[{i}]"
        _table(u, w, _UNIT_REQUIRED, _UNIT_OPTIONAL)
        uid = _text(u["id"], f"{w}.id")
        if uid in ids:
            raise _Bad(f"{w}.id: {_shown(uid)} is used twice")
        ids.add(uid)
        w = f"unit {uid}"
        ut = rules.unit_types.get(_text(u["type"], f"{w}.type"))
        if ut is None:
            raise _Bad(f"{w}: unknown unit type {_shown(u['type'])}")
        _one_of(u["faction"], factions, f"{w}.faction", "faction")
        h = _hex(u["hex"], f"{w}.hex", hexmap)
        if hexmap.terrain_at(h) not in ut.enters:
            raise _Bad(f"{w}: {ut.a_name} cannot stand on {hexmap.terrain_at(h)} at {h.q},{h.r}")
        for key in ("personnel", "wounded", "shaken", "killed"):
            _int(u.get(key, 0), f"{w}.{key}", 0, MAX_PEOPLE)
        _text(u.get("name", ""), f"{w}.name")
        _counts(u.get("equipment", {}), f"{w}.equipment", limit=MAX_EQUIPMENT)
        _num(u.get("morale", 70.0), f"{w}.morale", 0, 100)
        _num(u.get("experience", 30.0), f"{w}.experience", 0, 100)
        _flag(u.get("supplied", True), f"{w}.supplied")
        _flag(u.get("attacked", False), f"{w}.attacked")
        _int(u.get("turns_unsupplied", 0), f"{w}.turns_unsupplied", 0, MAX_TURNS)
        _int(u.get("entrenchment", 0), f"{w}.entrenchment", 0, 20)
        _num(u.get("moves_left", 0.0), f"{w}.moves_left", 0, 1_000)
    cities = {c.id for c in hexmap.cities}
    for cid, fid in _table(d["city_owner"], "city_owner").items():
        _one_of(cid, cities, "city_owner", "town")
        if fid is not None:
            _one_of(fid, factions, f"city_owner.{cid}", "faction")
    if len(d["city_owner"]) != len(cities):
        missing = sorted(cities - set(d["city_owner"]))
        raise _Bad(f"city_owner should say who holds each town, held or not ({missing[0]} is missing)")
    rng = _table(d["rng"], "rng", ("bit_generator", "state", "has_uint32", "uinteger"))
    if rng["bit_generator"] != "PCG64":
        raise _Bad(f"rng: unknown random generator {_shown(rng['bit_generator'])}")
    inner = _table(rng["state"], "rng.state", ("state", "inc"))
    _int(inner["state"], "rng.state.state", 0, 2**128 - 1)
    _int(inner["inc"], "rng.state.inc", 0, 2**128 - 1)
    _int(rng["has_uint32"], "rng.has_uint32", 0, 1)
    _int(rng["uinteger"], "rng.uinteger", 0, 2**32 - 1)
    _int(d["turn"], "turn", 1, end_turn)
    _int(d["active"], "active", 0, len(sides) - 1)
    for key in ("losses", "equipment_lost", "category_losses"):
        for fid, tally in _table(d[key], key).items():
            _counts(tally, f"{key}.{fid}")
    _counts(d["civilians"], "civilians")
    for fid, tally in _table(d.get("manpower", {}), "manpower").items():
        _counts(tally, f"manpower.{fid}", keys=MANPOWER)
    for i, z in enumerate(_list(d["no_fly_zones"], "no_fly_zones", 1_000)):
        w = f"no_fly_zones[{i}]"
        _table(z, w, ("id", "name", "side", "hexes"))
        _text(z["id"], f"{w}.id")
        _text(z["name"], f"{w}.name")
        _one_of(z["side"], sides, f"{w}.side", "side")
        for j, h in enumerate(_list(z["hexes"], f"{w}.hexes", 100_000)):
            _hex(h, f"{w}.hexes[{j}]", hexmap)
    for wid, t in _table(d["air_tasks"], "air_tasks").items():
        w = f"air_tasks.{wid}"
        _table(t, w, ("kind", "hex", "turn", "side", "aircraft"), ("radius",))
        _text(t["kind"], f"{w}.kind")
        _hex(t["hex"], f"{w}.hex", hexmap)
        _int(t["turn"], f"{w}.turn", 1, MAX_TURNS)
        _one_of(t["side"], sides, f"{w}.side", "side")
        _int(t["aircraft"], f"{w}.aircraft", 0, MAX_EQUIPMENT)
        _int(t.get("radius", 0), f"{w}.radius", 0, 100)
    for i, src in enumerate(_list(d.get("supply_sources", []), "supply_sources", 1_000)):
        w = f"supply_sources[{i}]"
        _table(src, w, ("hex",), ("faction", "side"))
        _hex(src["hex"], f"{w}.hex", hexmap)
        if ("faction" in src) == ("side" in src):
            raise _Bad(f"{w} should name a faction or a side")
        if "faction" in src:
            _one_of(src["faction"], factions, f"{w}.faction", "faction")
        else:
            _one_of(src["side"], sides, f"{w}.side", "side")
    _int(d["next_unit"], "next_unit", 1, MAX_ENTRIES)
    _flag(d["over"], "over")
    if d["winner"] is not None:
        _one_of(d["winner"], sides, "winner", "side")
    _text(d["result"], "result", MAX_TEXT)
    for key in ("fired", "log"):
        for i, x in enumerate(_list(d[key], key)):
            _text(x, f"{key}[{i}]", MAX_TEXT)
    for i, e in enumerate(_list(d.get("timeline", []), "timeline")):
        w = f"timeline[{i}]"
        ok = (
            isinstance(e, list)
            and len(e) in (3, 5)
            and isinstance(e[0], int)
            and not isinstance(e[0], bool)
            and 1 <= e[0] <= MAX_TURNS
        )
        if ok and len(e) == 5:
            ok = (
                e[1] == "taken"
                and isinstance(e[2], str)
                and e[2] in cities
                and isinstance(e[3], str)
                and e[3] in factions
                and (e[4] is None or (isinstance(e[4], str) and e[4] in factions))
            )
        elif ok:
            ok = e[1] == "event" and isinstance(e[2], str) and len(e[2]) <= MAX_NAME
        if not ok:
            raise _Bad(
                f'{w} should be [turn, "taken", town, faction, faction or null] or [turn, "event", id]'
            )
    # The game its setup starts: the same sides, factions and calendar.
    sides_then = [s.get("id") for s in setup.get("sides", [])]
    if sides != sides_then:
        raise _Bad(f"the sides {', '.join(sides)} are not the setup's")
    factions_then = {f.get("id") for f in setup.get("factions", [])}
    if set(factions) != factions_then:
        extra = sorted(set(factions) - factions_then) or sorted(factions_then - set(factions))
        raise _Bad(f"faction {_shown(extra[0])} is in one of the state and the setup only")
    if (
        start != dt.date.fromisoformat(setup.get("start_date", "2014-06-16"))
        or days != setup.get("turn_days", 7)
        or end_turn != setup.get("turns", 20)
    ):
        raise _Bad("the start date, turn length or number of turns is not the setup's")


# -- the setup: read back through the scenario checker ------------------------------------------

_SETUP_KEYS = {
    "id",
    "title",
    "description",
    "start_date",
    "end_date",
    "turn_days",
    "turns",
    "sides",
    "factions",
    "at_war",
    "cities",
    "units",
    "events",
    "victory",
    "plans",
    "no_fly_zones",
    "zones",
    "terrain",
    "supply_sources",
    "history",
}


def _as_date(v):
    """An ISO date of a setup as the scenario reader gives dates; other values as they are,
    for the checker to refuse."""
    if isinstance(v, str) and len(v) == 10:
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    return v


def _unit_data(u, where: str):
    """A unit (or a depot) of a setup as a file gives it: its hex, already found on the map,
    as its place. A setup made by hand may give a place itself (a town, LAT,LON), but what
    the engine reads as a hex must be one."""
    if (
        isinstance(u, dict)
        and "name" in u
        and not (isinstance(u["name"], str) and len(u["name"]) <= MAX_NAME)
    ):
        raise _Bad(f"{where}.name should be a line of text, not {_shown(u['name'])}")
    if not isinstance(u, dict) or "hex" not in u or "place" in u:
        return u
    if not (isinstance(u["hex"], list) and len(u["hex"]) == 2):
        raise _Bad(f"{where}.hex should be a hex [q, r], not {_shown(u['hex'])}")
    u = dict(u)
    u["place"] = u.pop("hex")
    return u


def _trigger_data(t):
    if not isinstance(t, dict):
        return t
    t = dict(t)
    if "date" in t:
        t["date"] = _as_date(t["date"])
    if "by" in t and t["by"] is None:
        del t["by"]
    for key in ("any", "all"):
        if isinstance(t.get(key), list):
            t[key] = [_trigger_data(x) for x in t[key]]
    return t


def _action_data(a, where: str):
    if isinstance(a, dict) and a.get("do") == "add_units" and isinstance(a.get("units"), list):
        a = dict(a)
        a["units"] = [_unit_data(u, f"{where}.units[{i}]") for i, u in enumerate(a["units"])]
        for i, u in enumerate(a["units"]):
            if isinstance(u, dict) and "place" in u and not isinstance(u["place"], list):
                raise _Bad(f"{where}.units[{i}] should stand on a hex [q, r]")
    return a


def _event_data(e, where: str):
    if not isinstance(e, dict):
        return e
    e = dict(e)
    if "trigger" in e:
        e["trigger"] = _trigger_data(e["trigger"])
    if isinstance(e.get("actions"), list):
        e["actions"] = [_action_data(a, f"{where}.actions[{i}]") for i, a in enumerate(e["actions"])]
    return e


def _plan_data(p):
    if not (isinstance(p, dict) and p.get("kind") in PLAN_KINDS and "cities" in p):
        return p
    out = {k: v for k, v in p.items() if k not in ("kind", "cities", "radius", "from", "until")}
    out[p["kind"]] = p["cities"]
    if p["kind"] == "avoid" and "radius" in p:
        out["radius"] = p["radius"]
    for key in ("from", "until"):
        if p.get(key) is not None:
            out[key] = _as_date(p[key])
    return out


def _history_data(h):
    if not isinstance(h, dict):
        return h
    h = {k: v for k, v in h.items() if not (k == "winner" and v is None)}
    if isinstance(h.get("events"), list):
        events = []
        for e in h["events"]:
            if isinstance(e, dict):
                e = {k: v for k, v in e.items() if not (k in ("id", "after") and v is None)}
                if "date" in e:
                    e["date"] = _as_date(e["date"])
                if isinstance(e.get("window"), list):
                    e["window"] = [_as_date(x) for x in e["window"]]
            events.append(e)
        h["events"] = events
    return h


def _scenario_data(setup: dict, map_name: str) -> dict:
    """A setup as the scenario file it came from would read: what the scenario checker checks.
    A setup made by hand (tests, the benchmark) may leave out what the engine gives a default."""
    unknown = sorted(set(setup) - _SETUP_KEYS)
    if unknown:
        raise _Bad(f"unknown field {_shown(unknown[0])}")
    days = setup.get("turn_days", 7)
    turns = setup.get("turns", 20)
    _int(days, "turn_days", 1, 92)
    _int(turns, "turns", 1, MAX_TURNS)
    start = _as_date(setup.get("start_date", "2014-06-16"))
    if "end_date" in setup:
        end = _as_date(setup["end_date"])
    elif isinstance(start, dt.date):
        end = start + dt.timedelta(days=(turns - 1) * days)
    else:
        end = None
    head = {
        "id": setup.get("id", "custom"),
        "title": setup.get("title", "Custom game"),
        "start": start,
        "end": end,
        "turn_days": days,
        "map": map_name,
    }
    if "description" in setup:
        head["description"] = setup["description"]
    data = {
        "scenario": head,
        "sides": setup.get("sides", []),
        "factions": [_faction_data(f) for f in _seq(setup, "factions")],
        "war": {"at_war": setup.get("at_war", [])},
        "control": setup.get("cities", {}),
        "units": [_unit_data(u, f"units[{i}]") for i, u in enumerate(_seq(setup, "units"))],
        "events": [_event_data(e, f"events[{i}]") for i, e in enumerate(_seq(setup, "events"))],
        "victory": setup.get("victory", []),
        "plans": [_plan_data(p) for p in _seq(setup, "plans")],
        "terrain": [_terrain_data(t, f"terrain[{i}]") for i, t in enumerate(_seq(setup, "terrain"))],
        "supply_sources": [
            _unit_data(_with_hex(x, f"supply_sources[{i}]"), f"supply_sources[{i}]")
            for i, x in enumerate(_seq(setup, "supply_sources"))
        ],
        "no_fly_zones": setup.get("zones", setup.get("no_fly_zones", [])),
    }
    if "history" in setup:
        data["history"] = _history_data(setup["history"])
    return data


def _faction_data(f):
    """A faction may name its casualty category as the source does ("Iraqi forces"), which
    the ledger reads as well as the id a scenario file gives ("iraq")."""
    category = f.get("category") if isinstance(f, dict) else None
    if (
        isinstance(category, str)
        and category
        and category not in scenario_schema.CATEGORIES
        and not check_category(category)
    ):
        f = {**f, "category": casualty_source().category_id(category)}
    return f


def _terrain_data(t, where: str):
    if not (isinstance(t, dict) and set(t) == {"hex", "terrain"} and isinstance(t["hex"], list)):
        raise _Bad(f"{where} should be a table of a hex [q, r] and its terrain, not {_shown(t)}")
    return {"terrain": t["terrain"], "hexes": [t["hex"]]}


def _with_hex(x, where: str):
    if isinstance(x, dict) and "hex" not in x:
        raise _Bad(f"{where} should give its hex [q, r]")
    return x


def _seq(setup: dict, key: str) -> list:
    v = setup.get(key, [])
    if not isinstance(v, list):
        raise _Bad(f"{key} should be a list, not {_type_name(v)}")
    return v


# Parts of a setup the engine reads only in the shape the scenario checker makes them: towns by
# id, hexes as [q, r], every field there. (Sides, factions, units and towns held may be given
# more loosely, as a setup made by hand does: the engine fills in what they leave out.)
_AS_BUILT = ("events", "victory", "plans", "terrain", "supply_sources", "zones", "no_fly_zones", "history")


def _as_built(part):
    """A part of a setup compared as JSON data; an arrival of units says no message as an
    empty one (reinforcements have none, an event's ``add_units`` an empty one)."""
    part = json.loads(json.dumps(part))
    stack = [part]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if x.get("do") == "add_units" and x.get("message") == "":
                del x["message"]
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return part


# The scenario checker's complaint a hand-made setup may deserve and still play: a game whose
# side has no victory condition ends at its last turn, undecided for that side.
_PLAYABLE = ("has no victory condition",)


def _check_setup(path: Path, setup: dict, hexmap: HexMap, rules: Rules) -> None:
    """The setup checked as a scenario: read back into the scenario format and through the
    scenario checker, with the same ranges and cross-references as a file."""
    try:
        data = _scenario_data(setup, hexmap.name)
        scenario, problems = build_scenario(data, hexmap, rules)
    except _Bad as exc:
        raise SaveError(f"{path}: the game's setup is damaged: {exc}") from None
    except RecursionError:
        raise SaveError(f"{path}: the game's setup is damaged: nested too deeply") from None
    except _DAMAGE as exc:
        raise SaveError(
            f"{path}: the game's setup is damaged ({type(exc).__name__}: {_one_line(exc)})"
        ) from None
    problems = [p for p in problems if not (p.path == "victory" and p.text.endswith(_PLAYABLE))]
    if problems:
        p = problems[0]
        hint = f" ({p.hint})" if p.hint else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SaveError(
            _one_line(
                f"{path}: the game's setup is not a scenario this game can "
                f"play: [setup: {p.path}] {p.text}{hint}{more}"
            )
        )
    if scenario is not None:
        built = scenario.setup
        for key in _AS_BUILT:
            if key in setup and _as_built(setup[key]) != _as_built(built[key]):
                raise SaveError(
                    f"{path}: the game's setup is damaged: its {key.replace('_', ' ')} "
                    f"are not as the scenario checker makes them"
                )
        if "end_date" in setup and built["turns"] != setup.get("turns", 20):
            raise SaveError(
                f"{path}: the game's setup is damaged: {setup.get('turns')} turns "
                f"do not fit its dates ({built['turns']} do)"
            )
        if "zones" in setup and built["no_fly_zones"] != setup.get("no_fly_zones", []):
            raise SaveError(
                f"{path}: the game's setup is damaged: its no-fly zones in force at "
                f"the start are not the declared ones of its zones"
            )


# What reading a hand-made state or setup may raise, once checked (a last line of defence).
_DAMAGE = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)


def _restore_state(path: Path, doc: dict, hexmap: HexMap, rules: Rules) -> GameState:
    if doc["map"] != hexmap.name:
        raise SaveError(
            f"{path}: the save is for the map {_shown(doc['map'])}, this game has {hexmap.name!r}"
        )
    _check_setup(path, doc["setup"], hexmap, rules)
    try:
        # Units stand on the map as the scenario's terrain changes left it.
        played_on = game_map(hexmap, doc["setup"].get("terrain"))
        _check_state(doc["state"], doc["setup"], played_on, rules)
    except _Bad as exc:
        raise SaveError(_one_line(f"{path}: the game state does not fit this game: {exc}")) from None
    try:
        state = GameState.from_dict(doc["state"])
        if state.checksum() != doc["checksum"]:
            raise SaveError(
                f"{path}: the game state does not read back as it was saved "
                f"(checksum {state.checksum()[:12]}..., the save says "
                f"{re.sub(r'[^0-9a-f]', '?', doc['checksum'][:12])}...)"
            )
    except _DAMAGE as exc:
        what = f"missing {exc}" if isinstance(exc, KeyError) else _one_line(exc)
        raise SaveError(f"{path}: the game state is damaged ({what})") from None
    unbalanced = _books_problem(state, doc.get("version", SAVE_VERSION) >= 2)
    if unbalanced:
        raise SaveError(f"{path}: the game state does not fit this game: {unbalanced}")
    return state


def _books_problem(state: GameState, kept: bool = True) -> str:
    """A faction whose casualty books do not balance, in words, or "": the people who came
    (at the start, arrived, transferred in) are all in its units (fit, wounded, shaken), lost
    by some cause, withdrawn or transferred out. Every save of this version keeps the books
    (``kept``); one from before the digest may come from before the books."""
    if not state.manpower and not kept:
        return ""
    for f, (came, went) in unbalanced_books(state).items():
        return (
            f"the casualty books of {_shown(f)} do not balance: {came:,} people came, "
            f"{went:,} are accounted for"
        )
    return ""


def _check_journal(path: Path, journal: list[dict]) -> None:
    for n, entry in enumerate(journal, start=1):
        try:
            Command.from_dict(entry)
        except CommandError as exc:
            raise SaveError(
                _one_line(f"{path}: journal entry {n} is not a command this game knows ({exc})")
            ) from None


def _journal_checksums(doc: dict) -> list[str | None] | None:
    """The checksums a save kept after each command of its journal; None before version 3."""
    return doc["journal_checksums"] if doc["version"] >= 3 else None


def check_document(path, doc, hexmap: HexMap, rules: Rules) -> GameState:
    """Check a save document that came from elsewhere than a save file (a turn file's record)
    as ``load_game`` checks a save's: its fields and digest, its setup as a scenario, its state,
    its journal's commands. Returns the state; raises SaveError naming ``path``."""
    path = Path(path)
    _check_document(path, doc)
    state = _restore_state(path, doc, hexmap, rules)
    _check_journal(path, doc["journal"])
    return state


def load_game(path, hexmap: HexMap, rules: Rules, extra: dict | None = None) -> Game:
    """The game saved in ``path``: its state, journal, setup and seed; nothing to undo.

    If ``extra`` is a dict, the save's extra data (see ``save_document``) is put into it."""
    path = Path(path)
    doc = read_save(path)
    state = _restore_state(path, doc, hexmap, rules)
    _check_journal(path, doc["journal"])
    try:
        game = Game(
            doc["setup"],
            hexmap,
            rules,
            doc["seed"],
            state=state,
            journal=doc["journal"],
            checksums=_journal_checksums(doc),
        )
    except _DAMAGE as exc:
        raise SaveError(f"{path}: the game's setup is damaged ({_one_line(exc)})") from None
    if extra is not None:
        extra.update(doc.get("extra") or {})
    return game


def verify_save(path, hexmap: HexMap, rules: Rules) -> tuple[bool, str]:
    """Play the save's journal again from its setup and seed, comparing the state's checksum
    after each command with the one the journal kept, then the final state's.

    Returns (True, "replay verified: ...") or (False, a one-line reason naming the file and,
    when the journal kept checksums, the first command whose result differs). A save from
    before the checksum per command (version 2 and older) can only be told to end differently.
    """
    path = Path(path)
    try:
        doc = read_save(path)
        _restore_state(path, doc, hexmap, rules)
        _check_journal(path, doc["journal"])
    except SaveError as exc:
        return False, str(exc)
    journal = doc["journal"]
    checksums = _journal_checksums(doc)
    n = len(journal)
    rules_note = ""
    if doc["rules_version"] != str(rules.version):
        rules_note = (
            f" (the save was made under rules version {_shown(doc['rules_version'])}, "
            f"these are version {rules.version})"
        )
    try:
        game = replay_journal(doc["setup"], hexmap, rules, doc["seed"], journal, checksums)
    except Diverged as exc:
        return False, f"{path}: replay differs at {exc}{rules_note}"  # one line, whole
    except CommandError as exc:
        return False, f"{path}: replay failed: {_one_line(exc)}{rules_note}"
    except SetupError as exc:
        return False, f"{path}: replay failed: the setup cannot start a game: {_one_line(exc)}"
    except (*_DAMAGE, ArithmeticError, RecursionError) as exc:
        return False, (
            f"{path}: replay failed: the setup or journal is damaged ({type(exc).__name__}: {_one_line(exc)})"
        )
    got = game.checksum()
    if got != doc["checksum"]:
        kept = sum(c is not None for c in checksums or ())
        if not kept and n:
            why = (
                " (the save keeps no checksum per command, being from before save format "
                "version 3: only the end can be told to differ)"
            )
        else:
            why = ""
        return False, (
            f"{path}: replay does not match: after {n} command{'s' if n != 1 else ''} "
            f"the checksum is {got[:12]}..., the save says {doc['checksum'][:12]}..."
            f"{why}{rules_note}"
        )
    return True, f"replay verified: {n} command{'s' if n != 1 else ''}, checksum {got}"


def describe_save(game: Game, doc: dict | None = None) -> list[str]:
    """Readable lines about a loaded game, for ``mesopotamia replay`` without --verify."""
    s = game.state
    lines = [f"scenario: {s.title} ({s.scenario_id})"]
    if s.over:
        winner = s.side_names.get(s.winner, s.winner) if s.winner else "none"
        lines.append(
            f"turn {s.turn} of {s.end_turn}, {s.date.isoformat()}: the game is over (winner: {winner})"
        )
    else:
        lines.append(
            f"turn {s.turn} of {s.end_turn}, {s.date.isoformat()}: "
            f"{s.side_names.get(s.active_side, s.active_side)} to move"
        )
    sides = ", ".join(f"{s.side_names.get(side, side)} {len(s.units_of_side(side))}" for side in s.sides)
    lines.append(f"units: {len(s.units)} ({sides})")
    lines.append(f"commands: {len(game.journal)}")
    lines.append(f"seed: {game.seed}")
    lines.append(f"checksum: {game.checksum()}")
    if doc is not None:
        lines.append(
            f"made by: mesopotamia {_shown(doc['game_version']).strip(chr(39))}, "
            f"rules version {_shown(doc['rules_version']).strip(chr(39))}, map "
            f"{_shown(doc['map']).strip(chr(39))}"
        )
        version = doc.get("version", SAVE_VERSION)
        if version < SAVE_VERSION:
            before = "saves had a digest" if version < 2 else "saves kept a checksum per command"
            lines.append(
                f"save format: version {version}, from before {before} (saving the "
                f"game again writes version {SAVE_VERSION})"
            )
    return lines


__all__ = [
    "SAVE_FORMAT",
    "SAVE_SUFFIX",
    "SAVE_VERSION",
    "SaveError",
    "check_document",
    "describe_save",
    "encode_save",
    "load_game",
    "read_save",
    "remove_stale_temp_files",
    "save_digest",
    "save_document",
    "save_game",
    "verify_save",
    "write_atomic",
]
