"""A game being played: who sits at each side, what each side has seen, AI turns, saves.

Engine layer (no pygame). A ``Session`` wraps a ``Game`` with what a table of players needs
beyond the rules: the seat of each side (a person, or the AI at a difficulty), the events each
watching side could see (its event log, and what happened since it last moved, for a hot-seat
handover), the scenario it came from, and save files that carry the seats in their metadata so
that ``mesopotamia replay --verify`` still reads them as ordinary saves.

Every change goes through ``Session.execute``, which sends the command through
``Game.execute`` (the one door) and then sorts its events by who could see them. Every read
by a client goes through the session too: ``view(side)``, the side's read-only ``SideView``
(made once for each change of the game), and what is worked out from it: a unit's reach and
path, the odds of an attack, the engine's reasons for refusing a command, the supply lines
as the side knows them, the units an event showed it.

An AI side plays through an ``AITurn``, which wraps the AI's one driver
(``game.ai.driver.TurnDriver``, the same as headless play's): the AI player thinks in a worker
thread, each command it yields is handed over through a queue, and the caller's thread
executes it and hands the result back. So the AI thinks while the window draws, and the state
only ever changes on the caller's thread, never while the AI is reading it. The AI reads the
same views (``view``) and odds (``preview``) as the window.
"""

from __future__ import annotations

import os
import queue
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from game.ai import AIPlayer
from game.ai.driver import TurnDriver
from game.air import is_air_base
from game.combat import Preview, preview_attack
from game.commands import Command, Event, Game, Result
from game.hexgrid import Hex
from game.hexmap import default_map
from game.history import historical, judge
from game.ledger import phase_table
from game.movement import map_graph, movement_range, obstacles_for, reach
from game.reference import ReferenceJob
from game.rules import default_rules
from game.saves import SAVE_SUFFIX, SaveError, load_game, save_game
from game.scenario import ScenarioError, find_scenario, load_scenario
from game.scenario.options import Option
from game.supply import supply_maps
from game.visibility import (
    SideView,
    UnitView,
    event_seen_by,
    events_seen,
    needs_sight,
    seen_from_outside,
    seen_text,
    side_view,
    visible_mask,
)

HUMAN = "human"
AI = "ai"
DIFFICULTY_NAMES = ("easy", "normal", "hard")
LOG_LIMIT = 400  # events kept in each side's log
VIEWS_KEPT = 6  # side views kept at once (the window's viewer, the AI's side, the all-seeing)

# Scenario events a player is shown in a message box, not only in the log.
NEWS_EVENTS = frozenset(
    {"message", "war", "peace", "withdrawal", "faction", "no_fly_zone", "no_fly_zone_lifted"}
)


def fresh_seed() -> int:
    """A seed for a new game, 1 to 999,999, from the operating system. It is the only thing
    not drawn from a game's own generator: the game is then seeded with it, and the seed is
    shown and saved, so the same seed plays the same game again."""
    return int.from_bytes(os.urandom(4), "big") % 999_999 + 1


@dataclass
class Seat:
    kind: str  # "human" or "ai"
    difficulty: str = "normal"

    def label(self) -> str:
        return "human" if self.kind == HUMAN else f"AI ({self.difficulty})"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "difficulty": self.difficulty}

    @classmethod
    def from_dict(cls, d) -> Seat:
        if not isinstance(d, dict) or d.get("kind") not in (HUMAN, AI):
            raise ValueError(f"not a seat: {d!r}")
        diff = d.get("difficulty", "normal")
        return cls(d["kind"], diff if diff in DIFFICULTY_NAMES else "normal")


@dataclass
class SeenEvent:
    """One event as a side saw it: when, what, and the command it came from."""

    at: int  # the journal's length after the command (undo takes back what follows)
    turn: int
    kind: str
    text: str
    actor: str  # the side whose command it was

    def to_dict(self) -> dict:
        return {"at": self.at, "turn": self.turn, "kind": self.kind, "text": self.text, "actor": self.actor}

    @classmethod
    def from_dict(cls, d: dict) -> SeenEvent:
        return cls(int(d["at"]), int(d["turn"]), str(d["kind"]), str(d["text"]), str(d["actor"]))


# -- the map and rules, loaded once ------------------------------------------------------------


def shared_context():
    """The map and the rules, read once per process (``default_map`` and ``default_rules``)."""
    return default_map(), default_rules()


# -- seats from the command line ---------------------------------------------------------------


def _sides_and_factions(source) -> tuple[list[str], dict[str, str]]:
    """(side ids in order, faction id -> side id) of a GameState, a Scenario or a setup dict."""
    sides = getattr(source, "sides", None)
    factions = getattr(source, "factions", None)
    if sides is None and isinstance(source, dict):
        sides, factions = source.get("sides", []), source.get("factions", [])
    side_ids = [s["id"] if isinstance(s, dict) else str(s) for s in sides or []]
    if isinstance(factions, dict):  # GameState: id -> Faction
        fmap = {fid: f.side for fid, f in factions.items()}
    else:
        fmap = {f["id"]: f["side"] for f in factions or []}
    return side_ids, fmap


def parse_side_args(args: list[str], state_or_scenario) -> dict[str, Seat]:
    """Seats from strings such as ``coalition=human``, ``isis=ai`` or ``isis=ai:hard``.

    The left part names a side or one of its factions; raises ValueError with a readable
    message for anything else.
    """
    sides, factions = _sides_and_factions(state_or_scenario)
    out: dict[str, Seat] = {}
    for arg in args:
        if "=" not in arg:
            raise ValueError(
                f"{arg!r}: write SIDE=human or SIDE=ai (or ai:easy, ai:hard), "
                f"for example {sides[0] if sides else 'coalition'}=human"
            )
        who, _, what = (part.strip() for part in arg.partition("="))
        key = who.lower()
        if key in sides:
            side = key
        elif key in factions:
            side = factions[key]
        else:
            raise ValueError(
                f"{arg!r}: no side or faction {who!r} in this scenario; sides: "
                f"{', '.join(sides)}; factions: {', '.join(sorted(factions))}"
            )
        kind, _, level = what.lower().partition(":")
        if kind not in (HUMAN, AI):
            raise ValueError(
                f"{arg!r}: unknown player {what!r}: use human, ai, ai:easy, ai:normal or ai:hard"
            )
        if kind == HUMAN and level:
            raise ValueError(f"{arg!r}: a human player has no difficulty; write {who}=human")
        if kind == AI and level and level not in DIFFICULTY_NAMES:
            raise ValueError(f"{arg!r}: unknown difficulty {level!r}: choose {', '.join(DIFFICULTY_NAMES)}")
        seat = Seat(kind, level or "normal")
        if side in out and out[side] != seat:
            raise ValueError(f"{arg!r}: the side {side} was already given as {out[side].label()}")
        out[side] = seat
    return out


def scenario_of(game: Game, options: dict[str, bool], ref=None) -> tuple[Path | None, object]:
    """(file, Scenario) of the scenario a game was started from, for its titles and history
    (the game itself is the save's or the turn file's), or (None, None). Looked up by name
    (``ref``, then the game's scenario id) among the bundled scenarios and the player's own,
    never at a path a file names, and used only if it is the scenario the game was started
    from."""
    hexmap, rules = shared_context()
    for cand in (ref, game.state.scenario_id):
        if not (isinstance(cand, str) and cand):
            continue
        found = find_scenario(cand, paths=False)
        if found is None:
            continue
        sc = None
        # With the switches as the game set them, for their titles; if the file no longer
        # has one of them, as history has them (the game itself is the file's either way).
        for setting in (options, None) if options else (None,):
            try:
                sc = load_scenario(found, hexmap, rules, setting)
                break
            except ScenarioError:
                continue
        if sc is not None and sc.id == game.state.scenario_id:
            return found, sc
    return None, None


def default_seats(side_ids: list[str], seats: dict[str, Seat] | None = None) -> dict[str, Seat]:
    """The seats asked for; of the others, the first is a person unless a person already sits
    at a side that was asked for, and the rest are the normal AI."""
    given = dict(seats or {})
    unknown = [s for s in given if s not in side_ids]
    if unknown:
        raise ValueError(f"no side {unknown[0]!r} in this scenario (sides: {', '.join(side_ids)})")
    person = any(seat.kind == HUMAN for seat in given.values())
    out = {}
    for side in side_ids:
        if side in given:
            out[side] = given[side]
        elif not person:
            out[side] = Seat(HUMAN)
            person = True
        else:
            out[side] = Seat(AI)
    return out


_TURN_PREFIX = re.compile(r"^Turn \d+: ")


# -- the session ---------------------------------------------------------------------------------


class _OwnLosses:
    """A game's state as the ledger reads it, with only ``side``'s own factions: their losses,
    their wounded and shaken (the flows and what their units hold now), and no other faction."""

    def __init__(self, state, side: str):
        own = {f for f, fac in state.factions.items() if fac.side == side}
        self._state = state
        self.factions = {f: fac for f, fac in state.factions.items() if f in own}
        self.units = {uid: u for uid, u in state.units.items() if u.faction in own}
        self.manpower = {f: c for f, c in state.manpower.items() if f in own}
        self.losses = {f: c for f, c in state.losses.items() if f in own}
        self.category_losses = {f: c for f, c in state.category_losses.items() if f in own}
        self.equipment_lost = {f: c for f, c in state.equipment_lost.items() if f in own}

    def __getattr__(self, name):
        return getattr(self._state, name)


class Session:
    """A game at the table: the game, its scenario, the seats, and what each side has seen."""

    def __init__(
        self,
        game: Game,
        scenario,
        scenario_path: Path | None,
        seats: dict[str, Seat],
        name: str = "",
        logs: dict[str, list[SeenEvent]] | None = None,
        inbox: dict[str, list[SeenEvent]] | None = None,
        options: dict[str, bool] | None = None,
    ):
        self.game = game
        self.scenario = scenario
        # The scenario's what-if switches as this game set them (id -> on): the scenario's
        # settings for a new game, the save's for a loaded one.
        self.options: dict[str, bool] = dict(
            options if options is not None else getattr(scenario, "settings", None) or {}
        )
        self.scenario_path = Path(scenario_path) if scenario_path else None
        self.seats = default_seats(list(game.state.sides), seats)
        self.name = name or game.state.title
        self.logs: dict[str, list[SeenEvent]] = {s: list((logs or {}).get(s, [])) for s in game.state.sides}
        # What happened since each person last moved, for the hot-seat handover.
        self.inbox: dict[str, list[SeenEvent]] = {s: list((inbox or {}).get(s, [])) for s in game.state.sides}
        self.watchers: set[str] = set(self.humans())  # sides whose logs are kept
        # The events of the last command each watching side saw, as they came.
        self.last_seen: dict[str, list[Event]] = {}
        self._players: dict[str, object] = {}
        self.opening: list[str] = []  # the scenario's news of the first day
        self.saved_moves = len(game.journal)  # the journal's length when last saved or loaded
        # Side views, and the selected unit's moves, made once for each change of the game;
        # the AI's thread asks for views too, hence the lock.
        self._changes = 0  # commands carried out and taken back: a view older than this is stale
        self._views: dict[tuple, SideView] = {}
        self._views_lock = threading.Lock()
        self._moves: tuple | None = None  # (key, cost by hex index, previous hex, range)
        self._reference: ReferenceJob | None = None  # history's setting, for a what-if game

    # -- making one ---------------------------------------------------------------------------

    @classmethod
    def new(
        cls,
        scenario: str | Path,
        seats: dict[str, Seat] | None = None,
        seed: int = 1,
        options: dict[str, bool] | None = None,
    ) -> Session:
        """A new game of a bundled scenario (by id) or a scenario file, its what-if switches set
        as ``options`` says (id -> on; the others as history has them)."""
        hexmap, rules = shared_context()
        path = find_scenario(str(scenario))
        if path is None:
            raise ScenarioError(
                [f"{scenario}: no such scenario (give a bundled scenario's id or a .toml file)"]
            )
        sc = load_scenario(path, hexmap, rules, options)
        return cls.begin(Game(sc.setup, hexmap, rules, seed), sc, path, seats)

    @classmethod
    def begin(
        cls,
        game: Game,
        scenario,
        scenario_path: Path | None,
        seats: dict[str, Seat] | None = None,
        options: dict[str, bool] | None = None,
    ) -> Session:
        """The session of a game just begun (no command given yet): every side's log starts
        with the scenario's news of the first day, as ``new`` gives it."""
        session = cls(game, scenario, scenario_path, seats or {}, options=options)
        session.opening = [_TURN_PREFIX.sub("", line) for line in game.state.log]
        for side in game.state.sides:
            session.logs[side] += [
                SeenEvent(0, game.state.turn, "message", text, "") for text in session.opening
            ]
        return session

    @classmethod
    def load(cls, path) -> Session:
        """The session saved in ``path``; raises SaveError naming the file and the problem."""
        hexmap, rules = shared_context()
        path = Path(path)
        extra: dict = {}
        game = load_game(path, hexmap, rules, extra=extra)
        meta = extra["session"] if isinstance(extra.get("session"), dict) else {}
        saved = meta.get("options")  # older saves have none: their games are history's
        options = (
            {str(k): v for k, v in saved.items() if isinstance(v, bool)} if isinstance(saved, dict) else {}
        )
        try:
            seats = {
                side: Seat.from_dict(d)
                for side, d in (meta.get("seats") or {}).items()
                if side in game.state.sides
            }
            logs = {
                s: [SeenEvent.from_dict(e) for e in v if not _id_line(e)]
                for s, v in (meta.get("logs") or {}).items()
            }
            inbox = {
                s: [SeenEvent.from_dict(e) for e in v if not _id_line(e)]
                for s, v in (meta.get("inbox") or {}).items()
            }
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise SaveError(f"{path}: the players' part of the save is damaged ({exc})") from None
        sc_path, scenario = scenario_of(game, options, meta.get("scenario_path"))
        return cls(game, scenario, sc_path, seats, str(meta.get("name") or ""), logs, inbox, options)

    def save(self, path) -> Path:
        """Write the game and the seats to ``path`` atomically; raises SaveError."""
        meta = {
            "seats": {s: seat.to_dict() for s, seat in self.seats.items()},
            "name": self.name,
            "scenario_path": self._scenario_ref(),
            "logs": {s: [e.to_dict() for e in v[-LOG_LIMIT:]] for s, v in self.logs.items() if v},
            "inbox": {s: [e.to_dict() for e in v] for s, v in self.inbox.items() if v},
            "options": dict(self.options),
        }
        out = save_game(self.game, path, extra={"session": meta})
        self.saved_moves = len(self.game.journal)
        return out

    def what_ifs(self) -> list[Option]:
        """The switches this game turned from history, in the scenario's order (a switch the
        scenario file no longer has, named by its id, counts as turned from history if on)."""
        known = list(getattr(self.scenario, "options", None) or [])
        ids = {o.id for o in known}
        known += [Option(oid, oid, "", False) for oid in self.options if oid not in ids]
        return [o for o in known if o.id in self.options and self.options[o.id] != o.default]

    def history_reference(self, background: bool = True) -> ReferenceJob | None:
        """History's setting on this game's seed (``game.reference``), to set a what-if game's
        losses beside: begun on the first call, in a process of its own unless ``background``
        is false, and kept for the game. None for a game that keeps to history, or whose
        scenario file is not at hand."""
        if not self.what_ifs() or self.scenario_path is None:
            return None
        if self._reference is None:
            levels = {
                side: seat.difficulty if seat.kind == AI else "normal" for side, seat in self.seats.items()
            }
            self._reference = ReferenceJob(self.scenario_path, self.game.seed, levels, background=background)
        return self._reference

    def close(self) -> None:
        """The game is left: stop what it set going in the background."""
        if self._reference is not None:
            self._reference.cancel()

    @property
    def unsaved(self) -> bool:
        """Commands given since the game was last saved (or loaded, or begun)."""
        return len(self.game.journal) != self.saved_moves

    def _scenario_ref(self) -> str:
        """How the save names its scenario: by its file's name (a bundled one, or one in the
        player's own folder), never by a path on this machine."""
        p = self.scenario_path
        return "" if p is None else p.stem

    def autosave_path(self, directory) -> Path:
        """Where this game's automatic save goes in ``directory``: one file per scenario."""
        sid = re.sub(r"[^A-Za-z0-9_.-]+", "-", self.game.state.scenario_id or "game")
        return Path(directory) / f"autosave-{sid}{SAVE_SUFFIX}"

    # -- seats ---------------------------------------------------------------------------------

    @property
    def state(self):
        return self.game.state

    def humans(self) -> list[str]:
        return [s for s in self.game.state.sides if self.seats[s].kind == HUMAN]

    def is_human(self, side: str) -> bool:
        seat = self.seats.get(side)
        return seat is not None and seat.kind == HUMAN

    def side_name(self, side: str | None) -> str:
        if side is None:
            return "everyone"
        return self.game.state.side_names.get(side, side)

    # -- commands ------------------------------------------------------------------------------

    def execute(self, cmd: Command, undoable: bool = True) -> Result:
        """Send a command through the game's one door, and file its events by who saw them
        (``undoable``: as ``Game.execute``)."""
        state_before_turn = self.game.state.turn
        res = self.game.execute(cmd, undoable)
        if res.ok:
            self._changes += 1
            self.last_seen = {}  # a command that says nothing leaves nothing to be seen
        if res.ok and res.events:
            self._file(res.events, cmd.side, state_before_turn)
        return res

    def events_seen(self, side: str | None, events: list[Event], actor: str) -> list[Event]:
        """Of the events of the command just carried out (``actor``'s), those ``side`` saw: as
        they were filed for a watching side, else worked out now; every one for None."""
        if side is None:
            return list(events)
        if side in self.last_seen:
            return self.last_seen[side]
        g = self.game
        return events_seen(events, actor, side, g.state, g.hexmap, g.rules)

    def check(self, cmd: Command) -> list[str]:
        """Why the engine would refuse ``cmd`` now, in its own words; [] if it would not."""
        return self.game.validate(cmd)

    def _file(self, events: list[Event], actor: str, turn: int) -> None:
        game = self.game
        at = len(game.journal)
        self.last_seen = {}
        for side in sorted(self.watchers | set(self.humans())):
            # What a side learns, and in which words, is game.visibility's to say; its fog is
            # worked out only when one of the events depends on it.
            mask = (
                visible_mask(game.state, game.hexmap, game.rules, side)
                if any(needs_sight(e, actor, side) for e in events)
                else None
            )
            # An event with no words (a scenario event without a title) is no line of a log.
            visible = [
                e for e in events if e.text and event_seen_by(e, actor, side, game.state, game.hexmap, mask)
            ]
            self.last_seen[side] = visible
            seen = [
                SeenEvent(at, turn, e.kind, seen_text(e, actor, side, game.hexmap, mask, game.state), actor)
                for e in visible
            ]
            if not seen:
                continue
            log = self.logs[side]
            log += seen
            del log[:-LOG_LIMIT]
            if side != actor and self.is_human(side):
                self.inbox[side] += [e for e in seen if e.kind not in ("side_to_move",)]

    @property
    def can_undo(self) -> bool:
        return self.game.can_undo

    def undo(self) -> bool:
        """Take back the last command if the engine allows; what others saw of it goes too."""
        if not self.game.undo():
            return False
        self._changes += 1
        n = len(self.game.journal)
        for book in (self.logs, self.inbox):
            for side, events in book.items():
                book[side] = [e for e in events if e.at <= n]
        return True

    def take_summary(self, side: str) -> list[str]:
        """What ``side`` saw happen since it last moved, as lines; the inbox is emptied."""
        lines = [
            f"Turn {e.turn}: {e.text}" for e in self.inbox.get(side, []) if e.kind != "new_turn"
        ]  # the turn's date is said by the hand-over itself
        self.inbox[side] = []
        return lines

    # -- what a side may know ------------------------------------------------------------------

    def _now(self, side: str | None) -> tuple:
        """The game as it stands, for ``side``: what a side view made now is kept under."""
        st = self.game.state
        return (id(st), len(self.game.journal), self._changes, st.turn, st.active, st.over, side)

    def view(self, side: str | None) -> SideView:
        """What ``side`` may know of the game now (``game.visibility.SideView``); None gives the
        all-seeing view, every unit as its own (a game of computers watched with everything
        shown, a finished game's final position). Made once for each change of the game, so
        that asking every frame costs nothing."""
        key = self._now(side)
        with self._views_lock:
            got = self._views.get(key)
        if got is not None:
            return got
        g = self.game
        got = side_view(g.state, g.hexmap, g.rules, side, g.setup.get("victory", []))
        with self._views_lock:
            self._views[key] = got
            while len(self._views) > VIEWS_KEPT:
                self._views.pop(next(iter(self._views)))
        return got

    def _unit_moves(self, unit_id: str) -> list | None:
        """[range, the search behind paths (made when first asked for), what it needs] of a
        unit's move this turn, worked out from what its side sees (an unseen enemy does not bar
        the way: the move is stopped when it runs into one). Kept for the last unit asked
        about."""
        st = self.game.state
        unit = st.units.get(unit_id)
        if unit is None:
            return None
        side = st.side_of(unit.faction)
        key = (self._now(side), unit_id)
        if self._moves is not None and self._moves[0] == key:
            return self._moves[1]
        view = self.view(side)
        u = view.unit(unit_id)
        assert u is not None  # a side sees its own units
        g = self.game
        graph = map_graph(g.hexmap)
        rng: dict[Hex, float] = {}
        need = None
        if u.moves_left is not None and u.moves_left > 0:
            bases = view.own_factions[u.faction]["bases"]
            obstacles = obstacles_for(graph, g.rules, u, view.units, view.at_war_with, view.side_of)
            rng = movement_range(graph, g.rules, u, obstacles, bases)
            need = (graph, u, obstacles, bases)
            if g.rules.unit_type(u.type).category == "air":
                # A wing moves only to rebase: it lands where the engine's Move lets it
                # (its side's towns, its bases, its side's carriers, all known to the side).
                rng = {h: c for h, c in rng.items() if is_air_base(st, g.hexmap, g.rules, u.faction, h)}
        got = [rng, None, need]
        self._moves = (key, got)
        return got

    def reachable(self, unit_id: str) -> dict[Hex, float]:
        """Where a unit may end its move this turn, with the cost of getting there, as its own
        side sees the map (``game.movement.movement_range``); {} for a unit that cannot move."""
        got = self._unit_moves(unit_id)
        return dict(got[0]) if got is not None else {}

    def path(self, unit_id: str, target: Hex) -> tuple[list[Hex], float] | None:
        """The cheapest path (start first) and its cost for a unit to a hex it may end its move
        on, as its side sees the map (``game.movement.find_path``); None if there is none."""
        got = self._unit_moves(unit_id)
        if got is None or target not in got[0]:
            return None
        if got[1] is None:  # one search for every path the player points at
            graph, u, obstacles, bases = got[2]
            got[1] = reach(graph, self.game.rules, u, obstacles, bases)
        return got[1].path(target)

    def preview(self, side: str, attackers: list[str], target: Hex) -> Preview:
        """The odds of an attack as ``side`` can judge them (``game.combat.preview_attack``:
        only what it sees; the game's generator is not touched)."""
        g = self.game
        return preview_attack(g.state, g.hexmap, g.rules, side, list(attackers), target)

    def supply(self, side: str | None, factions) -> np.ndarray | None:
        """Per hex index, where the supply of ``factions`` (of one side) runs as ``side`` knows
        the map (None: as it is): 2 in supply, 1 cut off by the enemy (a line would reach it
        were no enemy there), 0 out of reach. Traced as the engine traces it, with the enemy
        units the side sees; None when no faction is given."""
        facs = list(factions)
        if not facs:
            return None
        view = self.view(side)
        g = self.game
        own = view.side_of(facs[0])
        now = supply_maps(_traced(view, view.units), g.hexmap, g.rules, facs)
        # The same, traced as if no enemy stood anywhere: what the enemy cuts.
        free = supply_maps(
            _traced(view, [u for u in view.units if view.side_of(u.faction) == own]), g.hexmap, g.rules, facs
        )
        inn = np.zeros(map_graph(g.hexmap).n, dtype=bool)
        reach = np.zeros_like(inn)
        for f in facs:
            inn |= now[f]
            reach |= free[f]
        return np.where(inn, 2, np.where(reach, 1, 0)).astype(np.int8)

    def ledger(self, side: str | None = None):
        """The game's losses beside its phase's historical figures (``game.ledger.phase_table``;
        raises ``HistoryError`` for a bad figures table): every faction's, the chart of the
        war's cost that the results draw; with ``side``, while the game is on, only that
        side's own factions' (a side knows its own losses, not the enemy's), with the
        civilians killed, which the war's monitors report to all."""
        st = self.game.state
        if side is not None and not st.over:
            return phase_table(_OwnLosses(st, side), self.game.setup)
        return phase_table(st, self.game.setup)

    def history(self) -> tuple[list[dict], bool]:
        """The source's dated events beside this game's (``game.history.judge``: which towns
        changed hands when is known to every side) and whether the game went as history did
        (``game.history.historical``: only a finished game can have)."""
        setup, st = self.game.setup, self.game.state
        rows = judge(setup, st)
        return rows, historical(setup, st, rows)

    def glimpse(self, side: str | None, events) -> dict[str, UnitView]:
        """The units named by ``events`` that ``side`` saw (as ``last_seen`` gives them), as it
        saw them: those in its view as the view has them; another side's unit that moved out
        of sight from outside, where its path ends (the event says so already). Units gone
        from the game, or neither seen nor moving, are left out."""
        view = self.view(side)
        st = self.game.state
        out: dict[str, UnitView] = {}
        for e in events:
            for uid in e.units:
                if uid in out:
                    continue
                seen = view.unit(uid)
                if seen is not None:
                    out[uid] = seen
                    continue
                u = st.units.get(uid)
                if u is not None and e.kind == "moved" and e.units[0] == uid and e.hexes:
                    out[uid] = seen_from_outside(u, e.hexes[-1])
        return out

    # -- the AI --------------------------------------------------------------------------------

    def ai_player(self, side: str):
        seat = self.seats[side]
        player = self._players.get(side)
        if player is None or getattr(player, "difficulty", None) != seat.difficulty:
            hexmap, rules = self.game.hexmap, self.game.rules
            player = AIPlayer(
                side,
                hexmap,
                rules,
                self.game.setup.get("victory", []),
                seat.difficulty,
                plans=self.game.setup.get("plans"),
            )
            self._players[side] = player
        return player

    def ai_to_move(self) -> bool:
        s = self.game.state
        return not s.over and not self.is_human(s.active_side)

    def ai_turn(self, threaded: bool = True) -> AITurn:
        """The AI turn of the side to move, ready to be stepped (see ``AITurn``)."""
        return AITurn(self, self.game.state.active_side, threaded)

    def play_ai_side(self) -> int:
        """Play the side to move's AI turn here and now; returns the commands sent."""
        turn = self.ai_turn(threaded=False)
        while not turn.finished:
            turn.step()
        return turn.count


def _traced(view: SideView, units) -> SimpleNamespace:
    """A state as ``game.supply`` reads it, from a side's view and the units it knows."""
    factions = {}
    for f, fac in view.factions.items():
        own = view.own_factions.get(f)
        factions[f] = SimpleNamespace(
            side=fac.side,
            bases=list(own["bases"]) if own else [],
            supply_crossings=list(own["supply_crossings"]) if own else [],
        )
    return SimpleNamespace(
        factions=factions,
        units={u.id: u for u in units},
        city_owner=dict(view.city_owner),
        at_war_with=view.at_war_with,
        supply_sources=[dict(d) for d in view.supply_sources],
    )


def _id_line(entry) -> bool:
    """A scenario event's line as older saves kept it, "Event: " and its id: no player's words."""
    return (
        isinstance(entry, dict)
        and entry.get("kind") == "event"
        and str(entry.get("text", "")).startswith("Event: ")
    )


_DONE = object()


class AITurn:
    """One AI side's turn for the window: a ``TurnDriver`` (``game.ai.driver``) whose player
    thinks in a worker thread, its commands carried out by the caller.

    ``step()`` (called from the thread that owns the game, e.g. once a frame) executes the next
    command the AI has ready, if any, and returns ``(command, result)``; ``finished`` turns
    True once the side has ended its turn or the game is over. ``cancel()`` abandons the turn
    (for a game loaded over it). With ``threaded=False`` every ``step()`` thinks and executes
    one command on the caller's thread: the same commands in the same order.
    """

    def __init__(self, session: Session, side: str, threaded: bool = True):
        if session.game.state.active_side != side:
            raise ValueError(f"{side} is not to move")
        self.session = session
        self.side = side
        self.threaded = threaded
        self.error: BaseException | None = None
        self._commands: queue.Queue = queue.Queue()
        self._results: queue.Queue = queue.Queue()
        self._cancelled = False
        self._driver = TurnDriver(
            session.game,
            session.ai_player(side),
            view_fn=lambda: session.view(side),
            preview_fn=lambda attackers, target: session.preview(side, attackers, target),
            execute=session.execute,
        )
        self._started = False
        self._thread = (
            threading.Thread(target=self._work, name=f"ai-{side}", daemon=True) if threaded else None
        )

    @property
    def count(self) -> int:
        """The commands carried out this turn."""
        return self._driver.count

    @property
    def finished(self) -> bool:
        return self._driver.finished

    # the worker thread: thinks, hands over a command, waits for its result
    def _work(self) -> None:
        driver = self._driver
        try:
            cmd = driver.think()
            while cmd is not None and not self._cancelled:
                self._commands.put(cmd)
                res = self._results.get()
                if res is None:
                    break
                cmd = driver.think(res)
        except BaseException as exc:  # reported on the game's thread by step()
            self.error = exc
        finally:
            driver.close()
            self._commands.put(_DONE)

    def _next_command(self, timeout: float):
        if not self._started:
            self._started = True
            assert self._thread is not None  # threaded
            self._thread.start()
        try:
            return self._commands.get(timeout=timeout) if timeout > 0 else self._commands.get_nowait()
        except queue.Empty:
            return None

    def step(self, timeout: float = 0.0) -> tuple[Command, Result] | None:
        """Execute the AI's next command if it has one ready (waiting up to ``timeout``)."""
        driver = self._driver
        if driver.finished:
            return None
        if not self.threaded:
            got = driver.step()
            if driver.finished:
                self.cancel()
            return got
        item = self._next_command(timeout)
        if item is None:
            return None
        if item is _DONE:
            if self.error is not None:
                driver.finished = True
                raise RuntimeError(f"the AI of {self.side} failed: {self.error}") from self.error
            return driver.end()
        res = driver.carry_out(item)
        if driver.finished:
            self.cancel()
        else:
            self._results.put(res)
        return None if res is None else (item, res)

    def cancel(self) -> None:
        """Abandon the turn: the worker stops at its next command."""
        self._cancelled = True
        if self.threaded and self._started:
            self._results.put(None)
        elif not self.threaded:
            self._driver.close()

    @property
    def thinking(self) -> bool:
        return self.threaded and self._started and not self.finished and self._commands.empty()


__all__ = [
    "AI",
    "AITurn",
    "HUMAN",
    "NEWS_EVENTS",
    "Seat",
    "SeenEvent",
    "Session",
    "default_seats",
    "parse_side_args",
    "scenario_of",
    "shared_context",
]
