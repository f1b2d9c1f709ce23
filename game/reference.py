"""History's setting beside a what-if game: the same scenario with every switch as the source has
it, played by the computer on the game's own seed, its losses noted turn by turn.

Engine layer (no pygame). A game with a switch turned from history sets its losses beside the
source's figures, as every game does, and beside what the historical setting costs on the same
seed: the game without the switch. One game has no spread, so this is one pair of games, not a
measured effect (``mesopotamia simulate --compare`` measures); the window says so.

* ``play_reference`` plays the historical setting headless, every side the computer's (at the
  difficulty the game's computer sides have; a person's side at normal), and notes after each
  turn the killed by the source's categories, in all, the civilians, aircraft and ships lost:
  a ``Reference`` of ``Snapshot``s. ``Reference.at(turn)`` is the snapshot for a game standing
  at that turn: history's setting by the same point of the war.
* The result is kept in the game's folder (``history-runs/``), named by a digest of what
  decides it (the scenario file's bytes, the seed, the difficulties, the settings, the game's
  version), so a game opened again, or the results after the ledger, never play it twice.
* ``ReferenceJob`` plays it in a process of its own, at a low priority, so that the window
  and its computer players keep their pace; ``poll`` hands its progress and its result to the
  thread that asks.

The reference game is deterministic like every game: same scenario, seed and settings, the
same snapshots on any machine.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from game import __version__, home
from game.ai import ai_players, play_turn
from game.commands import Game
from game.hexmap import default_map
from game.ledger import phase_table
from game.rules import default_rules
from game.saves import SaveError, write_atomic
from game.scenario import load_scenario

REFERENCE_VERSION = 1  # of the snapshots' form and of how the reference is played
RUNS_DIR = "history-runs"  # under the game's folder


@dataclass(frozen=True)
class Snapshot:
    """The historical setting's losses at the start of ``turn`` (after the turns before it), or
    at its end (``over``)."""

    turn: int
    date: str
    military: int  # military killed, all factions
    civilians: int
    categories: dict[str, int]  # killed by the source's category id (those with any)
    aircraft: int
    ships: int
    over: bool = False

    def to_dict(self) -> dict:
        return {
            "turn": self.turn,
            "date": self.date,
            "military": self.military,
            "civilians": self.civilians,
            "categories": dict(self.categories),
            "aircraft": self.aircraft,
            "ships": self.ships,
            "over": self.over,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Snapshot:
        return cls(
            int(d["turn"]),
            str(d["date"]),
            int(d["military"]),
            int(d["civilians"]),
            {str(k): int(v) for k, v in dict(d["categories"]).items()},
            int(d["aircraft"]),
            int(d["ships"]),
            bool(d.get("over", False)),
        )


@dataclass
class Reference:
    """The historical setting played through: its snapshots in turn order, its winner."""

    scenario: str
    seed: int
    settings: dict[str, bool]
    snapshots: list[Snapshot] = field(default_factory=list)
    winner: str | None = None
    result: str = ""

    def at(self, turn: int) -> Snapshot | None:
        """History's setting by the same point: the last snapshot taken at or before ``turn``
        (the end, for a game past the reference's last turn)."""
        best = None
        for snap in self.snapshots:
            if snap.turn <= turn:
                best = snap
        return best

    def to_dict(self) -> dict:
        return {
            "version": REFERENCE_VERSION,
            "scenario": self.scenario,
            "seed": self.seed,
            "settings": dict(self.settings),
            "winner": self.winner,
            "result": self.result,
            "snapshots": [s.to_dict() for s in self.snapshots],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Reference:
        if d.get("version") != REFERENCE_VERSION:
            raise ValueError(f"made by another version ({d.get('version')!r})")
        return cls(
            str(d["scenario"]),
            int(d["seed"]),
            {str(k): bool(v) for k, v in dict(d["settings"]).items()},
            [Snapshot.from_dict(s) for s in d["snapshots"]],
            d.get("winner"),
            str(d.get("result") or ""),
        )


def history_settings(options) -> dict[str, bool]:
    """Every switch as the source's history has it."""
    return {o.id: o.default for o in options}


def snapshot(state, setup: dict) -> Snapshot:
    """The losses of ``state`` as a snapshot (killed only: the source counts the dead)."""
    table = phase_table(state, setup)
    cats = {r.id: r.game for r in table.categories + table.other if r.game}
    air = sum(v for f in state.equipment_lost.values() for k, v in f.items() if "aircraft" in k)
    ships = sum(f.get("warships", 0) for f in state.equipment_lost.values())
    return Snapshot(
        state.turn,
        state.date.isoformat(),
        table.military.game,
        table.civilians.game,
        cats,
        air,
        ships,
        state.over,
    )


def play_reference(
    scenario_path,
    seed: int,
    difficulties: dict[str, str] | None = None,
    turns: int | None = None,
    progress=None,
) -> Reference:
    """Play the scenario's historical setting on ``seed``, every side the computer's
    (``difficulties``: side -> difficulty, normal for a side not named), to its end or
    through ``turns`` turns; ``progress(turn, of)`` hears of each turn begun."""
    hexmap, rules = default_map(), default_rules()
    plain = load_scenario(scenario_path, hexmap, rules)
    settings = history_settings(plain.options)
    sc = load_scenario(scenario_path, hexmap, rules, settings)
    game = Game(sc.setup, hexmap, rules, seed)
    players = ai_players(sc, game, rules, difficulties or {})
    last = sc.turns if turns is None else min(turns, sc.turns)
    ref = Reference(sc.id, seed, settings, [snapshot(game.state, sc.setup)])
    while not game.state.over and game.state.turn <= last:
        turn = game.state.turn
        play_turn(game, players[game.state.active_side])
        if game.state.turn != turn or game.state.over:
            ref.snapshots.append(snapshot(game.state, sc.setup))
            if progress is not None:
                progress(game.state.turn, last)
    ref.winner = game.state.winner
    ref.result = game.state.result or ""
    return ref


# -- kept between games ---------------------------------------------------------------------------


def reference_key(scenario_path, seed: int, difficulties: dict[str, str] | None) -> str:
    """The name of a reference in the game's folder: a digest of everything that decides it."""
    h = hashlib.sha256()
    h.update(Path(scenario_path).read_bytes())
    h.update(
        json.dumps([seed, sorted((difficulties or {}).items()), __version__, REFERENCE_VERSION]).encode()
    )
    return h.hexdigest()[:32]


def kept_path(key: str, folder: Path | None = None) -> Path:
    return (folder or home() / RUNS_DIR) / f"{key}.json"


def read_kept(key: str, folder: Path | None = None) -> Reference | None:
    """A reference played before, or None (none kept, or one that cannot be read: it is then
    played again, never trusted half-read)."""
    path = kept_path(key, folder)
    try:
        return Reference.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def keep(key: str, ref: Reference, folder: Path | None = None) -> None:
    """Keep ``ref`` for the next time (written whole, then renamed into place); a folder that
    cannot be written to only means it is played again."""
    path = kept_path(key, folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(ref.to_dict()).encode("utf-8"))
    except (OSError, SaveError):
        pass


def _work(argv: list[str]) -> int:
    """The reference's own process (``python -m game.reference SCENARIO SEED LEVELS KEY
    FOLDER``): play it, and report each turn and the end as a JSON line on its output."""
    path, seed, levels, key, folder = argv
    try:
        os.nice(10)  # the window and its computer players first
    except (AttributeError, OSError):
        pass

    def say(*msg) -> None:
        sys.stdout.write(json.dumps(list(msg)) + "\n")
        sys.stdout.flush()

    try:
        ref = play_reference(path, int(seed), json.loads(levels), progress=lambda t, of: say("turn", t, of))
        keep(key, ref, Path(folder) if folder else None)
        say("done", ref.to_dict())
    except Exception as exc:  # reported to the window, which says the comparison is missing
        say("error", f"{type(exc).__name__}: {exc}")
        return 1
    return 0


_RUNNING: set[subprocess.Popen] = set()  # the background games of this process


@atexit.register
def _stop_running() -> None:
    """The window is closing: its background games go with it."""
    for process in list(_RUNNING):
        if process.poll() is None:
            process.terminate()


class ReferenceJob:
    """History's setting for one game, played in the background (or found kept). ``poll()``
    returns the ``Reference`` once it is there; ``progress`` is (turn reached, of) while it is
    played; ``error`` says why there will be none."""

    def __init__(
        self,
        scenario_path,
        seed: int,
        difficulties: dict[str, str] | None = None,
        folder: Path | None = None,
        background: bool = True,
    ):
        self.path = Path(scenario_path)
        self.seed = int(seed)
        self.difficulties = dict(difficulties or {})
        self.folder = folder
        self.reference: Reference | None = None
        self.progress: tuple[int, int] = (0, 0)
        self.error = ""
        self._process: subprocess.Popen | None = None
        self._queue: queue.Queue = queue.Queue()
        try:
            self.key = reference_key(self.path, self.seed, self.difficulties)
        except OSError as exc:
            self.key = ""
            self.error = f"the scenario file cannot be read ({exc.strerror or exc})"
            return
        self.reference = read_kept(self.key, folder)
        if self.reference is not None:
            return
        if not background:
            self.reference = play_reference(self.path, self.seed, self.difficulties)
            keep(self.key, self.reference, folder)
            return
        # A process of its own, started clean (no window, no threads), that says what it did
        # on its output; a thread reads it into a queue for ``poll``.
        argv = [str(self.path), str(self.seed), json.dumps(self.difficulties), self.key, str(folder or "")]
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "game.reference", *argv],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                text=True,
            )
        except OSError as exc:
            self.error = f"the computer's game could not be started ({exc.strerror or exc})"
            return
        _RUNNING.add(self._process)
        threading.Thread(target=self._read, args=(self._process,), daemon=True).start()

    def _read(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            try:
                self._queue.put(json.loads(line))
            except ValueError:
                continue
        self._queue.put(["ended"])

    @property
    def running(self) -> bool:
        return self.reference is None and not self.error

    def poll(self) -> Reference | None:
        """The reference if it is there; takes in what the background process reported."""
        while self.running:
            try:
                msg = self._queue.get_nowait()
            except queue.Empty:
                break
            if msg[0] == "turn":
                self.progress = (int(msg[1]), int(msg[2]))
            elif msg[0] == "done":
                try:
                    self.reference = Reference.from_dict(msg[1])
                except (ValueError, KeyError, TypeError) as exc:
                    self.error = f"its report could not be read ({exc})"
            elif msg[0] == "error":
                self.error = str(msg[1])
            else:
                self.error = "the computer's game of history stopped before its end"
        if not self.running:
            self._finish()
        return self.reference

    def _finish(self) -> None:
        if self._process is not None:
            _RUNNING.discard(self._process)
            try:
                self._process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None

    def cancel(self) -> None:
        """Stop playing it (the window is closing, or the game was left)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
        self._finish()
        if self.reference is None and not self.error:
            self.error = "stopped"


__all__ = [
    "REFERENCE_VERSION",
    "Reference",
    "ReferenceJob",
    "Snapshot",
    "history_settings",
    "play_reference",
    "reference_key",
    "snapshot",
]


if __name__ == "__main__":
    sys.exit(_work(sys.argv[1:]))
