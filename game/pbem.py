"""Play by e-mail: a game between machines, one turn file a turn, each side's fog kept.

Engine layer (no pygame), on the session's floor: it makes ``Session``s and reads and writes
save documents (``game.saves``) inside turn files. ``docs/pbem.md`` says how players use it
and, plainly, what it cannot prevent.

A turn file is a small JSON envelope that says in clear only what routes it: the format, the
game's id (random, from the operating system), the scenario, the turn's number and date, the
side to move and its player, the players of every side. Everything about the game is in its
``record``: a save document (``game.saves.save_document``: the setup, the seed, the journal of
commands with the state's checksum after each, the state) whose ``extra`` holds the players,
the seats and the chain of turns, gzip-compressed and sealed with ChaCha20-Poly1305 under a key
every copy of the game derives from the game's id (HKDF), the envelope as associated data. So
reading the file with ordinary tools shows nothing of the game, and every player's game can
open and replay the whole record to verify it (and so can anyone who rewrites the program).

Turns are numbered from 1, one a human side's turn: turn ``n``'s file holds the records of
turns 0 to n-1, and the player of the side to move plays turn ``n``. Record 0 is the start:
the computer's sides that move before the first person, on the machine that made the game.
Each later record holds the number, the hash of the record before (record 0's is a hash of the
game's id, scenario, setup, seed, switches, seats and players), the side and its player, the
range of the journal it added (the side's own commands, then the computer's sides' that played
after it on the sender's machine, labelled), a digest of those commands and their checksums,
the state's checksum after them, how many times the player opened the turn they received, and
at a side's first turn the public half of its key; it is signed with Ed25519 by the side's key,
derived from the player's passphrase (scrypt, the game's id and the side as salt).

Opening a turn (``open_turn``) checks, in order: the envelope and the seal; the record as a
save document; the chain (numbers, links, keys, signatures); what this machine knows of the
game (a local store in the game's folder, ``pbem/``: the newest turn seen for each side, the
keys seen, how many times each received turn was opened here), so that an old file or a second
version of a turn is refused; the passphrase of the side to move; then it plays every command
again from the start, each record's commands by the sides allowed to give them, comparing the
state's checksum after each command and after each turn with the recorded ones. Every refusal
is a ``PbemError`` whose one-line message names the file, the turn and what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from game import home
from game.commands import Command, CommandError, EndTurn, Game, command_words
from game.saves import SaveError, check_document, save_document, write_atomic
from game.session import AI, HUMAN, Seat, Session, parse_side_args, scenario_of, shared_context
from game.state import SetupError

TURN_FORMAT = "mesopotamia-turn"
TURN_VERSION = 1
TURN_SUFFIX = ".pbem"
MAX_TURN_BYTES = 64 * 1024 * 1024  # a long campaign's record is a few MB
MAX_RECORD_BYTES = 128 * 1024 * 1024  # the record once opened: many times a campaign's
MAX_NAME = 40  # a player's name
MIN_PASSPHRASE = 6
COMPUTER = "computer"
# The constant the record's key is derived with: every copy of the game knows it.
_RECORD_INFO = b"mesopotamia play-by-e-mail: the key of a game's record, version 1"
# scrypt's cost for turning a passphrase into a key: about a tenth of a second and 32 MB.
_SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024}
_GAME_ID = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class PbemError(Exception):
    """A turn file that cannot be made, read or accepted; the message names the file, the turn
    and the problem, in one line."""


# -- keys and hashes ---------------------------------------------------------------------------


def canonical(data) -> bytes:
    """The bytes a hash or a signature covers: JSON with sorted keys, no spaces, ASCII."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode(
        "ascii"
    )


def _digest(data) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def record_key(game_id: str) -> bytes:
    """The key of a game's record, derived from its id: any copy of the program can make it."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_RECORD_INFO).derive(
        bytes.fromhex(game_id)
    )


def signing_key(passphrase: str, game_id: str, side: str) -> Ed25519PrivateKey:
    """A side's key in one game, from its player's passphrase (scrypt, salted with the game's
    id and the side, gives the 32 bytes of the Ed25519 seed)."""
    seed = hashlib.scrypt(
        passphrase.encode("utf-8"), salt=f"mesopotamia|{game_id}|{side}".encode(), dklen=32, **_SCRYPT
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_hex(key: Ed25519PrivateKey) -> str:
    """The public half of a side's key, as the record keeps it: 64 hex digits."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def short_date(d: dt.date) -> str:
    """A date as the turn messages give it: "12 Jul 2014"."""
    return f"{d.day} {d.strftime('%b %Y')}"


def _genesis(doc: dict, meta: dict) -> str:
    """The hash the chain starts from: the game's id, scenario, setup, seed, switches, seats
    and players."""
    return _digest(
        {
            "game": meta["game"],
            "scenario": doc.get("scenario", ""),
            "setup": doc["setup"],
            "seed": doc["seed"],
            "options": meta["options"],
            "seats": meta["seats"],
            "players": meta["players"],
        }
    )


def _commands_digest(doc: dict, start: int, end: int) -> str:
    return _digest([doc["journal"][start:end], doc["journal_checksums"][start:end]])


def _record_hash(record: dict) -> str:
    return _digest(record)


# -- the envelope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnFile:
    """What a turn file's envelope says, in clear: no part of the game."""

    path: Path
    game_id: str
    scenario: str
    title: str
    number: int  # the turn the side to move plays (turns 0 to number-1 are in the record)
    game_turn: int
    date: dt.date
    side: str | None  # the side to move; None once the game is over
    player: str
    players: dict[str, str]  # side -> its player's name, or "computer"
    side_names: dict[str, str]
    first_turn: bool  # the side to move's player sets a passphrase now
    over: bool
    envelope: dict = field(repr=False, compare=False)

    def side_name(self, side: str | None) -> str:
        return self.side_names.get(side, side) if side else "nobody"

    def who(self, side: str) -> str:
        name = self.players.get(side, COMPUTER)
        return (
            f"{self.side_name(side)} (the computer)"
            if name == COMPUTER
            else f"{self.side_name(side)} ({name})"
        )

    @property
    def label(self) -> str:
        """ "turn 4 (Coalition, 12 Jul 2014)": how messages name this file's turn."""
        who = self.side_name(self.side) if self.side else "the game's end"
        return f"turn {self.number} ({who}, {short_date(self.date)})"

    def lines(self) -> list[str]:
        """What ``mesopotamia pbem show`` prints."""
        out = [f"{self.title} ({self.scenario}), game {self.game_id[:8]}"]
        if self.over:
            out.append(
                f"turn {self.number}, {short_date(self.date)}: the game is over; any player may open it"
            )
        else:
            assert self.side is not None
            first = " (their first turn: they set a passphrase)" if self.first_turn else ""
            out.append(
                f"turn {self.number} (week {self.game_turn}), {short_date(self.date)}: "
                f"{self.side_name(self.side)} to move, played by {self.player}{first}"
            )
        out.append("players: " + "; ".join(self.who(s) for s in self.side_names))
        return out


_ENVELOPE_FIELDS = {
    "format": str,
    "version": int,
    "game": str,
    "scenario": str,
    "title": str,
    "turn": int,
    "game_turn": int,
    "date": str,
    "player": str,
    "players": dict,
    "sides": dict,
    "first_turn": bool,
    "over": bool,
    "record": str,
}


def read_turn(path) -> TurnFile:
    """The envelope of a turn file, checked; nothing is decrypted. Raises PbemError."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_TURN_BYTES + 1)
    except FileNotFoundError:
        raise PbemError(f"{path}: turn file not found") from None
    except IsADirectoryError:
        raise PbemError(f"{path}: is a directory, not a turn file") from None
    except OSError as exc:
        raise PbemError(f"{path}: cannot read the turn file: {exc.strerror or exc}") from None
    if not raw:
        raise PbemError(f"{path}: the turn file is empty")
    if len(raw) > MAX_TURN_BYTES:
        raise PbemError(f"{path}: not a turn file (larger than {MAX_TURN_BYTES // 2**20} MB)")
    try:
        env = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PbemError(
            f"{path}: not a turn file, or a damaged one (it is not the JSON a turn file is)"
        ) from None
    if not isinstance(env, dict) or env.get("format") != TURN_FORMAT:
        raise PbemError(f'{path}: not a turn file (no "format": "{TURN_FORMAT}" in it)')
    for name, kind in _ENVELOPE_FIELDS.items():
        value = env.get(name)
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            raise PbemError(f'{path}: the turn file is damaged: its field "{name}" is missing or wrong')
    if env["version"] > TURN_VERSION:
        raise PbemError(
            f"{path}: made by a newer version of the game (turn file version {env['version']}, "
            f"this game reads up to {TURN_VERSION})"
        )
    side = env.get("to_move")
    problem = ""
    if not _GAME_ID.fullmatch(env["game"]):
        problem = "its game id is not one the game makes"
    elif not 1 <= env["turn"] <= 100_000 or not 0 <= env["game_turn"] <= 100_000:
        problem = "its turn number is out of range"
    elif not all(
        isinstance(k, str) and isinstance(v, str)
        for d in (env["players"], env["sides"])
        for k, v in d.items()
    ):
        problem = "its players or sides are not names"
    elif set(env["players"]) != set(env["sides"]):
        problem = "its players and sides do not match"
    elif env["over"] != (side is None) or (side is not None and side not in env["sides"]):
        problem = "its side to move is not one of its sides"
    try:
        date = dt.date.fromisoformat(env["date"])
    except ValueError:
        problem = problem or "its date is not a date"
    if problem:
        raise PbemError(f"{path}: the turn file is damaged: {problem}")
    return TurnFile(
        path,
        env["game"],
        env["scenario"],
        env["title"],
        env["turn"],
        env["game_turn"],
        date,
        side,
        env["player"],
        dict(env["players"]),
        dict(env["sides"]),
        env["first_turn"],
        env["over"],
        env,
    )


def _aad(env: dict) -> bytes:
    return canonical({k: v for k, v in env.items() if k != "record"})


def _seal(env: dict, doc: dict) -> bytes:
    """The turn file's bytes: the envelope with the record, compressed and sealed, inside."""
    blob = gzip.compress(canonical(doc), compresslevel=6, mtime=0)
    nonce = os.urandom(12)
    sealed = ChaCha20Poly1305(record_key(env["game"])).encrypt(nonce, blob, _aad(env))
    env = dict(env, record=base64.b64encode(nonce + sealed).decode("ascii"))
    return (json.dumps(env, indent=1, ensure_ascii=True) + "\n").encode("ascii")


def _unseal(tf: TurnFile) -> dict:
    """The record of a turn file as a save document (not yet checked)."""
    where = f"{tf.path}: {tf.label}"
    try:
        raw = base64.b64decode(tf.envelope["record"], validate=True)
    except (binascii.Error, ValueError):
        raise PbemError(
            f"{where}: the file was changed or damaged (its record is not the text it was)"
        ) from None
    try:
        blob = ChaCha20Poly1305(record_key(tf.game_id)).decrypt(raw[:12], raw[12:], _aad(tf.envelope))
    except (InvalidTag, ValueError):
        raise PbemError(
            f"{where}: the file was changed or damaged (its sealed record does not open: a byte of "
            f"it or of its envelope is not as it was written)"
        ) from None
    try:
        # A record made to swell (sealed again with the key every copy of the program can
        # derive) is refused before it fills the memory.
        inflate = zlib.decompressobj(wbits=31)  # the gzip format
        text = inflate.decompress(blob, MAX_RECORD_BYTES + 1)
        if len(text) > MAX_RECORD_BYTES or inflate.unconsumed_tail:
            raise PbemError(
                f"{where}: the game record inside is too large to be a game's "
                f"(over {MAX_RECORD_BYTES // 2**20} MB once opened)"
            )
        doc = json.loads(text.decode("utf-8"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, RecursionError):
        raise PbemError(
            f"{where}: the game record inside is damaged (not the data a turn file holds)"
        ) from None
    if not isinstance(doc, dict):
        raise PbemError(f"{where}: the game record inside is damaged (not a table)")
    return doc


# -- the local store: what this machine has seen of a game --------------------------------------


def store_path(game_id: str) -> Path:
    """Where this machine keeps what it knows of a game: ``pbem/`` in the game's folder."""
    return home() / "pbem" / f"{game_id}.json"


def _load_store(game_id: str) -> dict:
    path = store_path(game_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"game": game_id, "sides": {}, "keys": {}, "opened": {}, "over": False}
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PbemError(f"{path}: this machine's record of the game cannot be read ({exc})") from None
    ok = (
        isinstance(data, dict)
        and data.get("game") == game_id
        and all(isinstance(data.get(k), dict) for k in ("sides", "keys", "opened"))
        and all(
            isinstance(v, dict) and isinstance(v.get("turn"), int) and isinstance(v.get("hash"), str)
            for v in data["sides"].values()
        )
        and all(isinstance(v, int) for v in data["opened"].values())
    )
    if not ok:
        raise PbemError(f"{path}: this machine's record of the game is damaged")
    data.setdefault("over", False)
    return data


def _save_store(data: dict) -> None:
    path = store_path(data["game"])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, sort_keys=True, indent=1).encode("utf-8"))
    except (OSError, SaveError) as exc:
        raise PbemError(f"{path}: cannot keep this machine's record of the game: {exc}") from None


# -- players -----------------------------------------------------------------------------------


def parse_players(args: list[str], scenario) -> tuple[dict[str, Seat], dict[str, str]]:
    """(seats, players' names by side) from ``SIDE=NAME`` (a person), ``SIDE=ai`` or
    ``SIDE=ai:hard``; SIDE is a side or one of its factions (as ``parse_side_args``). Raises
    ValueError with a readable message."""
    seats: dict[str, Seat] = {}
    names: dict[str, str] = {}
    for arg in args:
        who, sep, what = (part.strip() for part in arg.partition("="))
        if not sep or not what:
            raise ValueError(f"{arg!r}: write SIDE=NAME (the player's name) or SIDE=ai (or ai:easy, ai:hard)")
        is_ai = what.lower() == AI or what.lower().startswith(AI + ":")
        got = parse_side_args([f"{who}={what if is_ai else HUMAN}"], scenario)
        ((side, seat),) = got.items()
        if side in seats:
            raise ValueError(f"{arg!r}: the side {side} was already given")
        if not is_ai:
            if len(what) > MAX_NAME or not what.isprintable():
                raise ValueError(f"{arg!r}: a player's name is a line of at most {MAX_NAME} characters")
            if what.lower() == COMPUTER:
                raise ValueError(f"{arg!r}: {what!r} names the computer; write {who}=ai")
            if what in names.values():
                raise ValueError(f"{arg!r}: {what} already plays another side")
            names[side] = what
        seats[side] = seat
    return seats, names


# -- a game being played from a turn file ------------------------------------------------------


@dataclass
class OpenCount:
    """How many times a player opened the turn they received before playing it."""

    number: int
    side: str
    player: str
    count: int

    def line(self, side_name: str) -> str:
        times = "once" if self.count == 1 else "twice" if self.count == 2 else f"{self.count} times"
        more = (
            " (more than once: the turn may have been played again until its dice pleased)"
            if self.count > 1
            else ""
        )
        return f"{self.player} ({side_name}) opened turn {self.number} {times} before playing it{more}"


class PbemGame:
    """A turn opened from a file (``open_turn``) or a game just made (``start_game``): the
    session of the whole game, the side whose turn it is (None once the game is over) and, for
    the window, what that side saw since its last turn (``summary``, with the open counts of
    the turns played since, ``opened``). ``end_turn`` records the side's commands, plays the
    computer's sides that follow and writes the next turn file."""

    def __init__(self, session: Session, meta: dict, number: int, side: str | None):
        self.session = session
        self.game_id: str = meta["game"]
        self.players: dict[str, str] = dict(meta["players"])
        self.records: list[dict] = list(meta["turns"])
        self._meta = meta
        self.number = number  # the turn being played
        self.side = side
        self.summary: list[str] = []
        self.opened: list[OpenCount] = []
        self._key: Ed25519PrivateKey | None = None
        self._times_opened = 0
        self._start = len(session.game.journal)
        st = session.game.state
        self._turn_at_start, self._date_at_start = st.turn, st.date
        self.sent: TurnFile | None = None
        self._ends: int | None = None  # the journal's length at the end of the side's turn

    @property
    def player(self) -> str:
        return self.players.get(self.side, "") if self.side else ""

    def side_name(self, side: str | None) -> str:
        return self.session.side_name(side)

    def who(self, side: str) -> str:
        return f"{self.side_name(side)} ({self.players.get(side, 'the computer')})"

    def label(self, number: int) -> str:
        """ "turn 4 (Coalition, 12 Jul 2014)"."""
        rec = self.records[number] if number < len(self.records) else None
        if rec is None:
            return f"turn {number} ({self.side_name(self.side)}, {short_date(self._date_at_start)})"
        return _record_label(rec, self.session.game.state.side_names)

    def next_file_name(self) -> str:
        """A name for the next turn file: the scenario, the game, the turn and who plays it."""
        return turn_file_name(self.session.game.state.scenario_id, self.game_id, self.number + 1)

    def end_turn(self, out) -> TurnFile:
        """End the side's turn (if it has not ended it), play the computer's sides that follow,
        sign the turn and write the next turn file to ``out`` (for the next person, or the
        game's end for everyone). Raises PbemError."""
        out = Path(out)
        if self.sent is not None:
            raise PbemError(f"{out}: turn {self.number} was already sent, in {self.sent.path}")
        if self.side is None or self._key is None:
            raise PbemError(f"{out}: the game is over: there is no turn to send")
        session, side = self.session, self.side
        if self._ends is None:
            st = session.game.state
            if not st.over and st.active_side == side:
                res = session.execute(EndTurn(side), undoable=False)
                if not res.ok:
                    raise PbemError(f"{out}: {self.side_name(side)} cannot end the turn: {res.reason}")
            ends = len(session.game.journal)
            theirs = session.game.journal[self._start : ends]
            if not theirs or any(c.get("side") != side for c in theirs):
                raise PbemError(f"{out}: the turn holds commands that are not {self.side_name(side)}'s")
            while session.ai_to_move():
                session.play_ai_side()
            # A file that could not be written may be written again, elsewhere: the turn and
            # the computer's moves after it are played once.
            self._ends = ends
        ends = self._ends
        doc = save_document(session.game)
        body = {
            "number": self.number,
            "prev": _record_hash(self.records[-1]),
            "side": side,
            "player": self.players[side],
            "turn": self._turn_at_start,
            "date": self._date_at_start.isoformat(),
            "journal": [self._start, len(doc["journal"])],
            "commands": _commands_digest(doc, self._start, len(doc["journal"])),
            "computer": sorted({c["side"] for c in doc["journal"][ends:]}),
            "checksum": doc["checksum"],
            "opened": self._times_opened,
        }
        if not any(r.get("side") == side for r in self.records):
            body["key"] = public_hex(self._key)
        record = dict(body, signature=self._key.sign(canonical(body)).hex())
        meta = dict(self._meta, turns=self.records + [record])
        tf = _write_turn(out, session, meta, self.number + 1)
        store = _load_store(self.game_id)
        store["sides"][side] = {"turn": self.number + 1, "hash": _record_hash(record)}
        store["keys"][side] = public_hex(self._key)
        _save_store(store)
        self.records.append(record)
        self.sent = tf
        return tf


def turn_file_name(scenario_id: str | None, game_id: str, number: int) -> str:
    """A turn file's name: the scenario, the game and the turn
    (``2014-isis-offensive-8772a676-turn-004.pbem``), so that one folder holds several games."""
    sid = re.sub(r"[^A-Za-z0-9_.-]+", "-", scenario_id or "game")
    return f"{sid}-{game_id[:8]}-turn-{number:03d}{TURN_SUFFIX}"


def _whose(name: str) -> str:
    """ "Alice's", "the Jihadists'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _record_label(rec: dict, side_names) -> str:
    side = rec.get("side")
    try:
        date = short_date(dt.date.fromisoformat(str(rec.get("date"))))
    except ValueError:
        date = "no date"
    who = side_names.get(side, side) if side else "the start"
    return f"turn {rec.get('number')} ({who}, {date})"


def _write_turn(out: Path, session: Session, meta: dict, number: int) -> TurnFile:
    """Seal the game in a turn file for the side to move (or for everyone, once it is over)."""
    st = session.game.state
    doc = save_document(session.game, extra={"pbem": meta})
    side = None if st.over else st.active_side
    env = {
        "format": TURN_FORMAT,
        "version": TURN_VERSION,
        "game": meta["game"],
        "scenario": st.scenario_id,
        "title": st.title,
        "turn": number,
        "game_turn": st.turn,
        "date": st.date.isoformat(),
        "to_move": side,
        "player": meta["players"].get(side, "") if side else "",
        "players": {s: meta["players"].get(s, COMPUTER) for s in st.sides},
        "sides": {s: st.side_names.get(s, s) for s in st.sides},
        "first_turn": side is not None and not any(r.get("side") == side for r in meta["turns"]),
        "over": st.over,
        "record": "",
    }
    try:
        blob = _seal(env, doc)
    except (TypeError, ValueError) as exc:
        raise PbemError(
            f"{out}: cannot write the turn: the game holds a value a file cannot store ({exc})"
        ) from None
    try:
        write_atomic(out, blob)
    except SaveError as exc:
        raise PbemError(str(exc).replace("cannot save", "cannot write the turn file")) from None
    return read_turn(out)


def start_game(
    scenario,
    seats: dict[str, Seat],
    players: dict[str, str],
    out,
    seed: int = 1,
    options: dict[str, bool] | None = None,
) -> TurnFile:
    """Begin a game for the named ``players`` (side -> name; every other side the computer's,
    at its ``seats`` difficulty or normal), play the computer's sides that move before the
    first person, and write turn 1's file to ``out`` (a folder: into it, named for the
    scenario, the game and the turn). Raises PbemError, ScenarioError or ValueError (a side
    the scenario lacks)."""
    out = Path(out)
    if not players:
        raise PbemError(f"{out}: name at least one player (--side SIDE=NAME)")
    for side, name in players.items():
        if not name or len(name) > MAX_NAME or not name.isprintable() or name.lower() == COMPUTER:
            raise PbemError(
                f"{out}: {name!r} cannot name the player of {side}: a player's name is "
                f"a line of at most {MAX_NAME} characters, and not {COMPUTER!r}"
            )
    if len(set(players.values())) < len(players):
        raise PbemError(f"{out}: each side's player needs a name of their own")
    seats = {
        s: Seat(HUMAN) if s in players else seats.get(s, Seat(AI)) for s in seats.keys() | players.keys()
    }
    session = Session.new(scenario, seats, seed, options)
    sides = list(session.game.state.sides)
    for side in sides:
        if side not in players and session.seats[side].kind == HUMAN:
            session.seats[side] = Seat(AI)
    session.watchers = set(session.humans())
    st = session.game.state
    turn, date = st.turn, st.date.isoformat()
    while session.ai_to_move():
        session.play_ai_side()
    doc = save_document(session.game)
    meta: dict = {
        "game": os.urandom(16).hex(),
        "players": {s: players[s] for s in sides if s in players},
        "seats": {s: session.seats[s].to_dict() for s in sides},
        "options": dict(session.options),
        "name": session.name,
        "turns": [],
    }
    start = {
        "number": 0,
        "prev": _genesis(doc, meta),
        "side": None,
        "turn": turn,
        "date": date,
        "journal": [0, len(doc["journal"])],
        "commands": _commands_digest(doc, 0, len(doc["journal"])),
        "computer": sorted({c["side"] for c in doc["journal"]}),
        "checksum": doc["checksum"],
    }
    meta["turns"] = [start]
    if out.is_dir():
        out = out / turn_file_name(st.scenario_id, meta["game"], 1)
    return _write_turn(out, session, meta, 1)


# -- opening a turn ----------------------------------------------------------------------------


def _check_meta(tf: TurnFile, doc: dict) -> dict:
    where = f"{tf.path}: {tf.label}"
    extra = doc.get("extra")
    meta = extra.get("pbem") if isinstance(extra, dict) else None
    ok = (
        isinstance(meta, dict)
        and meta.get("game") == tf.game_id
        and isinstance(meta.get("players"), dict)
        and isinstance(meta.get("seats"), dict)
        and isinstance(meta.get("options"), dict)
        and isinstance(meta.get("turns"), list)
        and all(isinstance(r, dict) for r in meta["turns"])
    )
    if not ok:
        raise PbemError(
            f"{where}: the game record inside is not a turn file's (its players and turns are missing)"
        )
    assert isinstance(meta, dict)
    if {s: meta["players"].get(s, COMPUTER) for s in tf.side_names} != tf.players:
        raise PbemError(f"{where}: the file was changed: its envelope's players are not the game's")
    return meta


def _check_chain(tf: TurnFile, doc: dict, meta: dict) -> tuple[list[str], dict[str, str]]:
    """The records' hashes and each side's key, once the chain is checked: numbers one after
    another, each linked to the one before, the journal covered once in order, each person's
    turn signed with the key recorded at their side's first turn."""
    names = tf.side_names
    records = meta["turns"]
    journal_len = len(doc["journal"])
    seats = meta["seats"]
    if not records:
        raise PbemError(f"{tf.path}: {tf.label}: the game record inside holds no turn, not even the start")
    hashes: list[str] = []
    keys: dict[str, str] = {}
    end = 0
    for i, rec in enumerate(records):
        label = _record_label(rec, names)
        where = f"{tf.path}: {label}"
        number = rec.get("number")
        if number != i:
            if isinstance(number, int) and number > i:
                raise PbemError(f"{where}: comes after turn {i - 1}: turn {i} is missing (a skipped turn)")
            raise PbemError(
                f"{where}: turn {number} appears where turn {i} should be (a repeated or moved turn)"
            )
        want_prev = _genesis(doc, meta) if i == 0 else hashes[-1]
        if rec.get("prev") != want_prev:
            what = (
                "the game's start (its scenario, seed, switches and players)" if i == 0 else f"turn {i - 1}"
            )
            raise PbemError(
                f"{where}: does not follow {what}: the chain of turns is broken, the file was changed"
            )
        rng = rec.get("journal")
        if not (
            isinstance(rng, list)
            and len(rng) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in rng)
        ) or not (rng[0] == end and end <= rng[1] <= journal_len):
            raise PbemError(
                f"{where}: its commands are not the ones after the turn before: the file was changed"
            )
        end = rng[1]
        side = rec.get("side")
        if i == 0:
            if side is not None:
                raise PbemError(f"{where}: the start of the game is no side's turn: the file was changed")
            hashes.append(_record_hash(rec))
            continue
        if side not in names or not isinstance(seats.get(side), dict) or seats[side].get("kind") != HUMAN:
            raise PbemError(f"{where}: is played by a side no person plays: the file was changed")
        if rng[1] == rng[0]:
            raise PbemError(f"{where}: holds no command: the file was changed")
        if rec.get("player") != meta["players"].get(side):
            raise PbemError(
                f"{where}: its player is not the one who plays {names[side]}: the file was changed"
            )
        key = rec.get("key")
        if side not in keys:
            if not (isinstance(key, str) and _HEX64.fullmatch(key)):
                raise PbemError(
                    f"{where}: the first turn of {names[side]} records no key of its player: the file was changed"
                )
            keys[side] = key
        elif key is not None and key != keys[side]:
            raise PbemError(f"{where}: records a second key for {names[side]}: the file was changed")
        body = {k: v for k, v in rec.items() if k != "signature"}
        sig = rec.get("signature")
        try:
            if not isinstance(sig, str):
                raise ValueError("no signature")
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(keys[side])).verify(
                bytes.fromhex(sig), canonical(body)
            )
        except (InvalidSignature, ValueError, TypeError):
            raise PbemError(
                f"{where}: the signature does not match the player's key ({_whose(meta['players'][side])}): "
                f"the turn was changed after it was signed"
            ) from None
        if not isinstance(rec.get("opened"), int) or rec["opened"] < 0:
            raise PbemError(f"{where}: its count of openings is not a number: the file was changed")
        hashes.append(_record_hash(rec))
    if end != journal_len:
        raise PbemError(
            f"{tf.path}: {tf.label}: the record holds commands no turn accounts for: the file was changed"
        )
    if len(records) != tf.number:
        raise PbemError(
            f"{tf.path}: {tf.label}: the file says it is turn {tf.number} but holds turns 0 to "
            f"{len(records) - 1}: the file was changed"
        )
    return hashes, keys


def _check_store(
    tf: TurnFile, records: list[dict], hashes: list[str], keys: dict[str, str], store: dict
) -> None:
    """What this machine knows of the game against the file: no older turn than one seen
    here, no second version of a turn seen here, no other key for a side than the one seen."""
    names = tf.side_names
    seen = store["sides"]
    if seen:
        newest = max(v["turn"] for v in seen.values())
        if tf.number < newest:
            raise PbemError(
                f"{tf.path}: this file is turn {tf.number} but this game is already at turn {newest} "
                f"here: an old turn file"
            )
    for _side, entry in sorted(seen.items()):
        m = entry["turn"]
        if m <= tf.number and hashes[m - 1] != entry["hash"]:
            rec = records[m - 1]
            who = names.get(rec.get("side"), "") or "the start"
            raise PbemError(
                f"{tf.path}: {_record_label(rec, names)}: is not the turn {m - 1} this game had here: "
                f"{who} sent two different versions of it"
            )
    for side, key in sorted(store["keys"].items()):
        if side in keys and keys[side] != key:
            first = next(r for r in records if r.get("side") == side)
            raise PbemError(
                f"{tf.path}: {_record_label(first, names)}: the key recorded for {names.get(side, side)} is "
                f"not the one this game had here: the file was changed"
            )


def _replay(tf: TurnFile, doc: dict, meta: dict) -> Session:
    """Every command again from the start, through a session (so each person's side sees
    what it saw), each turn's commands by the sides allowed to give them, the state's checksum
    compared after each command and after each turn."""
    hexmap, rules = shared_context()
    names = tf.side_names
    game = Game(doc["setup"], hexmap, rules, doc["seed"])
    try:
        seats = {s: Seat.from_dict(d) for s, d in meta["seats"].items() if s in game.state.sides}
    except ValueError as exc:
        raise PbemError(f"{tf.path}: {tf.label}: the game's seats are damaged ({exc})") from None
    options = {str(k): v for k, v in meta["options"].items() if isinstance(v, bool)}
    sc_path, scenario = scenario_of(game, options)
    session = Session.begin(game, scenario, sc_path, seats, options)
    journal, checksums = doc["journal"], doc["journal_checksums"]
    for rec in meta["turns"]:
        label = _record_label(rec, names)
        where = f"{tf.path}: {label}"
        side = rec["side"]
        st = game.state
        if st.over:
            raise PbemError(f"{where}: comes after the game's end: the file was changed")
        if side is not None:
            if st.active_side != side:
                raise PbemError(
                    f"{where}: {names.get(side, side)} played it, but {names.get(st.active_side)} was to "
                    f"move: the file was changed"
                )
            if rec.get("turn") != st.turn or rec.get("date") != st.date.isoformat():
                raise PbemError(f"{where}: its date is not the game's at that turn: the file was changed")
            session.inbox[side] = []  # taken at the hand-over, as hot-seat does
        a, b = rec["journal"]
        own = side is not None
        computer: set[str] = set()
        for k in range(a, b):
            try:
                cmd = Command.from_dict(journal[k])
            except CommandError as exc:
                raise PbemError(
                    f"{where}: its command {k - a + 1} is not one this game knows ({exc})"
                ) from None
            by = cmd.side
            if own and by != side:
                own = False
            if own and st.active_side != side:
                raise PbemError(
                    f"{where}: holds commands of {names.get(side)} after its turn ended: the file was changed"
                )
            if not own and (by not in seats or seats[by].kind != AI):
                who = f"{names.get(by, by)} ({meta['players'].get(by, '?')})"
                raise PbemError(
                    f"{where}: holds a command of {who}, who did not play in it: the file was changed"
                )
            if not own:
                computer.add(by)
            words = command_words(cmd, game.state, game.hexmap)
            res = session.execute(cmd, undoable=False)
            if not res.ok:
                raise PbemError(
                    f"{where}: its command {k - a + 1} ({cmd.kind}) is refused by the rules "
                    f"({res.reason}): the file was changed"
                )
            if game.checksums[-1] != checksums[k]:
                what = f"{cmd.kind}, {words}" if words else cmd.kind
                raise PbemError(
                    f"{where}: the state after its command {k - a + 1} ({what}) is not the one recorded: "
                    f"the file was changed"
                )
        if side is not None and not game.state.over and game.state.active_side == side:
            raise PbemError(f"{where}: {names.get(side)} did not end the turn: the file was changed")
        if sorted(computer) != rec.get("computer"):
            raise PbemError(
                f"{where}: the computer's sides it names are not those whose commands it holds: the file was changed"
            )
        if game.checksum() != rec.get("checksum"):
            raise PbemError(
                f"{where}: the state after its commands is not the one recorded: the file was changed"
            )
        if _commands_digest(doc, a, b) != rec.get("commands"):
            who = meta["players"].get(side, "the game's maker") if side else "the game's maker"
            raise PbemError(f"{where}: its commands are not the ones {who} signed: the file was changed")
    st = game.state
    if st.over != tf.over or (not st.over and st.active_side != tf.side):
        raise PbemError(
            f"{tf.path}: {tf.label}: the envelope's side to move is not the game's: the file was changed"
        )
    if not st.over and not session.is_human(st.active_side):
        raise PbemError(f"{tf.path}: {tf.label}: the computer's side is left to move: the file was changed")
    if (
        game.checksum() != doc["checksum"]
        or st.turn != tf.game_turn
        or st.date.isoformat() != tf.envelope["date"]
    ):
        raise PbemError(
            f"{tf.path}: {tf.label}: the game's state is not the one its commands make: the file was changed"
        )
    session.saved_moves = len(game.journal)
    return session


def open_turn(path, passphrase: str | None, side: str | None = None) -> PbemGame:
    """Open a turn file for the player whose turn it is: check the file, the chain of turns and
    this machine's record of the game, the passphrase of the side to move (set now, at the
    side's first turn), and play every command again from the start. Returns the game, whose
    ``session`` is to be shown as ``side`` sees it, with its ``summary``. A finished game's
    file needs no passphrase; ``side`` then says whose summary to give. Raises PbemError."""
    tf = read_turn(path)
    doc = _unseal(tf)
    where = f"{tf.path}: {tf.label}"
    hexmap, rules = shared_context()
    try:
        check_document(tf.path, doc, hexmap, rules)
    except SaveError as exc:
        said = str(exc).removeprefix(f"{tf.path}: ")
        raise PbemError(f"{where}: the game record inside is damaged or was changed: {said}") from None
    meta = _check_meta(tf, doc)
    if doc.get("scenario") != tf.scenario:
        raise PbemError(f"{where}: the file was changed: its envelope is not its game's")
    hashes, keys = _check_chain(tf, doc, meta)
    store = _load_store(tf.game_id)
    _check_store(tf, meta["turns"], hashes, keys, store)
    key = None
    viewer = tf.side
    if tf.side is not None:
        if passphrase is None or not passphrase:
            raise PbemError(f"{where}: the passphrase of {tf.who(tf.side)} is needed")
        if tf.side not in keys and len(passphrase) < MIN_PASSPHRASE:
            raise PbemError(f"{where}: a passphrase has at least {MIN_PASSPHRASE} characters")
        key = signing_key(passphrase, tf.game_id, tf.side)
        if tf.side in keys and public_hex(key) != keys[tf.side]:
            raise PbemError(
                f"{where}: the passphrase is not {_whose(tf.side_names[tf.side])} ({_whose(tf.players[tf.side])})"
            )
    elif side is not None and side not in tf.side_names:
        raise PbemError(f"{where}: no side {side!r} in this game (sides: {', '.join(tf.side_names)})")
    else:
        viewer = side
    try:
        session = _replay(tf, doc, meta)
    except (SetupError, KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError) as exc:
        # The record passed the save's checks; what is left is damage no game of ours makes.
        raise PbemError(f"{where}: the game record inside is damaged ({type(exc).__name__}: {exc})") from None
    game = PbemGame(session, meta, tf.number, tf.side)
    game._key = key
    # The turns played since the viewer's last, with how often their players opened them.
    records = meta["turns"]
    last = max((r["number"] for r in records if viewer and r.get("side") == viewer), default=0)
    game.opened = [
        OpenCount(r["number"], r["side"], meta["players"][r["side"]], r["opened"])
        for r in records[last + 1 :]
        if r.get("side") and r["side"] != viewer
    ]
    game.summary = [o.line(session.side_name(o.side)) for o in game.opened]
    if viewer is not None:
        game.summary += session.take_summary(viewer)
    # What this machine now knows of the game.
    store["keys"].update(keys)
    if tf.side is not None:
        entry = store["sides"].get(tf.side)
        if entry is None or entry["turn"] <= tf.number:
            store["sides"][tf.side] = {"turn": tf.number, "hash": hashes[-1]}
        store["opened"][hashes[-1]] = store["opened"].get(hashes[-1], 0) + 1
        game._times_opened = store["opened"][hashes[-1]]
    else:
        store["over"] = True
    _save_store(store)
    return game


def find_turn(
    folder, player: str | None = None, game_id: str | None = None, side: str | None = None
) -> TurnFile | None:
    """The newest turn file in ``folder`` that is this player's to open: for ``player`` (by
    name) or the ``game_id`` and ``side`` given, not older than a turn this machine has seen
    of its game; a finished game's file counts once, until it is opened. None if there is none
    (files that are not turn files are passed over)."""
    best: TurnFile | None = None
    best_key: tuple = ()
    try:
        entries = sorted(Path(folder).glob(f"*{TURN_SUFFIX}"))
    except OSError:
        return None
    for path in entries:
        try:
            tf = read_turn(path)
        except PbemError:
            continue
        if game_id is not None and tf.game_id != game_id:
            continue
        try:
            store = _load_store(tf.game_id)
        except PbemError:
            continue
        if tf.over:
            mine = (player is not None and player in tf.players.values()) or (
                side is not None and side in tf.side_names and game_id is not None
            )
            if not mine or store["over"]:
                continue
        else:
            if player is not None and tf.player != player:
                continue
            if side is not None and tf.side != side:
                continue
            if player is None and side is None:
                continue
        seen = [v["turn"] for v in store["sides"].values()]
        if seen and tf.number < max(seen):
            continue
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        key = (tf.number, mtime)
        if best is None or key > best_key:
            best, best_key = tf, key
    return best


__all__ = [
    "COMPUTER",
    "MAX_NAME",
    "MIN_PASSPHRASE",
    "OpenCount",
    "PbemError",
    "PbemGame",
    "TURN_FORMAT",
    "TURN_SUFFIX",
    "TurnFile",
    "find_turn",
    "open_turn",
    "parse_players",
    "read_turn",
    "record_key",
    "short_date",
    "signing_key",
    "start_game",
    "store_path",
    "turn_file_name",
]
