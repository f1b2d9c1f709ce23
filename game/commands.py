"""Commands: the one door through which a game changes.

Engine layer. The window, the AI, hot-seat play, replays and the editor's playtest all send the
same commands. Each command first *validates* against the state and what its side knows,
returning the reasons it cannot be done (in words a player can read); only a valid command is
*applied*, and applying returns events for the window to show. ``Game`` keeps the journal of
commands (for saves and replays) and the undo stack, which stops wherever information was
revealed: an enemy uncovered, a random roll, an event fired, the turn ended.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

# The rule modules that define orders of their own register them (Attack; the air and naval
# missions) when imported; the journal reads commands of every kind through that registry.
from game import air, combat  # noqa: F401  (combat: registers Attack)
from game.events import process_events
from game.hexgrid import Hex
from game.hexmap import GROUND_NAMES, HexMap, game_map, place, place_name
from game.movement import allowed_countries, obstacles_for, path_cost
from game.orders import OWN, PUBLIC, Command, CommandError, Context, Event, Result, capture, short, unit_name
from game.rules import Rules
from game.state import GameState, RunningChecksum
from game.turns import begin_side_turn
from game.victory import check_victory
from game.visibility import visible_units

# -- Move --------------------------------------------------------------------------------------


@dataclass
class Move(Command):
    """Move a unit along a path of adjacent hexes, the unit's own hex first."""

    kind: ClassVar[str] = "move"
    unit: str = ""
    path: list[Hex] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "side": self.side,
            "unit": self.unit,
            "path": [[h.q, h.r] for h in self.path],
        }

    @classmethod
    def _from_body(cls, body: dict) -> Move:
        return cls(side=body["side"], unit=body["unit"], path=[Hex(int(q), int(r)) for q, r in body["path"]])

    def validate(self, state: GameState, ctx: Context) -> list[str]:
        problems, unit = self._acting_unit(state, ctx, self.unit)
        if unit is None:
            return problems
        rules, hexmap = ctx.rules, ctx.hexmap
        ut = rules.unit_type(unit.type)
        name = unit_name(unit, state, rules)
        if len(self.path) < 2:
            return ["the path needs at least two hexes: where the unit is, and where it goes"]
        if self.path[0] != unit.hex:
            return [f"the path must start where {name} is, {place(hexmap, unit.hex)}"]
        if unit.moves_left <= 0:
            return [f"no moves left: {name} has moved this turn"]
        faction = state.factions[unit.faction]
        allowed = allowed_countries(faction.bases)
        for a, b in zip(self.path, self.path[1:]):
            if not hexmap.in_bounds(b):
                return ["the path runs off the map"]
            if a.distance(b) != 1:
                return [
                    f"the path jumps from {place_name(hexmap, a)} to {place_name(hexmap, b)}: hexes "
                    f"must be adjacent"
                ]
            terrain = hexmap.terrain_at(b)
            if terrain not in ut.enters:
                return [f"impassable: {ut.a_name} cannot enter {terrain} {place(hexmap, b)}"]
            country = hexmap.country_at(b)
            if ut.is_ground and country not in allowed:
                land = hexmap.country_names.get(country, "the sea") if country else "the sea"
                return [f"{faction.name} may not enter {land} ({place(hexmap, b)})"]
        if len(set(self.path)) != len(self.path):
            return ["the path crosses itself"]
        graph = ctx.graph
        known = visible_units(state, hexmap, rules, self.side)
        obs = obstacles_for(graph, rules, unit, known, state.at_war_with, state.side_of)
        for k, h in enumerate(self.path[1:], start=1):
            i = graph.index(h)
            if i in obs.enemy:
                return [f"{place_name(hexmap, h)} is held by the enemy: attack it instead"]
            if i in obs.zoc and k < len(self.path) - 1:
                return [f"enemy zone of control {place(hexmap, h)}: the move must stop there"]
        if ut.category == "air":
            landing = copy.copy(unit)
            landing.hex = self.path[-1]
            if air.base_problem(state, hexmap, rules, landing) is not None:
                return [
                    f"an air wing must land at a base: {place_name(hexmap, self.path[-1])} is not a town "
                    f"your side holds, a country {faction.name} has bases in, or a carrier"
                ]
        costs = path_cost(graph, rules, ut, self.path, obs.zoc, faction.bases)
        total = sum(costs)
        if total > unit.moves_left + 1e-9:
            return [f"not enough moves: the path costs {total:g}, {name} has {unit.moves_left:g} left"]
        end = graph.index(self.path[-1])
        if end in obs.blocked_end:
            mine = [
                u
                for u in known
                if u.hex == self.path[-1]
                and state.side_of(u.faction) == self.side
                and rules.unit_type(u.type).is_ground
            ]
            if len(mine) >= rules.movement["stack_limit"]:
                return [
                    f"hex full: {len(mine)} units of your side already {place(hexmap, self.path[-1])} "
                    f"(the limit is {rules.movement['stack_limit']})"
                ]
            return [f"{place_name(hexmap, self.path[-1])} is held by another side's units"]
        return []

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        rules, hexmap, graph = ctx.rules, ctx.hexmap, ctx.graph
        unit = state.units[self.unit]
        ut = rules.unit_type(unit.type)
        faction = state.factions[unit.faction]
        seen_before = {u.id for u in visible_units(state, hexmap, rules, self.side)}
        # The truth, which may hold enemies the mover did not see.
        truth = obstacles_for(graph, rules, unit, state.units.values(), state.at_war_with, state.side_of)
        costs = path_cost(graph, rules, ut, self.path, truth.zoc, faction.bases)
        events = []
        walked = [self.path[0]]
        spent = 0.0
        for k, h in enumerate(self.path[1:]):
            i = graph.index(h)
            if i in truth.enemy:
                events.append(
                    Event(
                        "contact",
                        f"{unit_name(unit, state)} ran into the enemy {place(hexmap, h)} and stopped",
                        {"unit": unit.id, "hex": [h.q, h.r]},
                        reveals=True,
                        units=(unit.id,),
                        hexes=(h,),
                    )
                )
                break
            if i in truth.blocked_end and h == self.path[-1]:
                break
            walked.append(h)
            spent += costs[k]
            if i in truth.zoc and h != self.path[-1]:
                events.append(
                    Event(
                        "zoc",
                        f"{unit_name(unit, state)} was stopped by an enemy zone of "
                        f"control {place(hexmap, h)}",
                        {"unit": unit.id, "hex": [h.q, h.r]},
                        reveals=True,
                        units=(unit.id,),
                        hexes=(h,),
                    )
                )
                break
        # A unit cannot end in a hex it may only pass through; step back to the last one it may.
        while len(walked) > 1 and graph.index(walked[-1]) in truth.blocked_end:
            walked.pop()
        if len(walked) > 1:
            unit.hex = walked[-1]
            unit.entrenchment = 0
            unit.moves_left = max(0.0, unit.moves_left - spent)
            if graph.index(unit.hex) in truth.zoc:
                unit.moves_left = 0.0
            events.insert(
                0,
                Event(
                    "moved",
                    f"{unit_name(unit, state)} moved {place(hexmap, unit.hex, 'to')}",
                    {"unit": unit.id, "path": [[h.q, h.r] for h in walked]},
                    units=(unit.id,),
                    hexes=tuple(walked),
                ),
            )
            if ut.is_ground:
                for h in walked[1:]:
                    events += capture(state, ctx, unit, h)
        elif not events:
            events.append(
                Event(
                    "blocked",
                    f"{unit_name(unit, state)} could not move",
                    {"unit": unit.id},
                    reveals=True,
                    units=(unit.id,),
                    hexes=(unit.hex,),
                )
            )
        seen_after = {u.id for u in visible_units(state, hexmap, rules, self.side)}
        new = sorted(seen_after - seen_before)
        if new:
            events.append(
                Event(
                    "spotted",
                    f"{len(new)} enemy unit{'s' if len(new) > 1 else ''} sighted",
                    {"units": new},
                    reveals=True,
                    units=tuple(new),
                    news=OWN,
                )
            )
        return events


# -- Entrench ----------------------------------------------------------------------------------


@dataclass
class Entrench(Command):
    """Dig in: spend the whole turn to raise the unit's entrenchment one level."""

    kind: ClassVar[str] = "entrench"
    unit: str = ""

    def validate(self, state: GameState, ctx: Context) -> list[str]:
        problems, unit = self._acting_unit(state, ctx, self.unit)
        if unit is None:
            return problems
        ut = ctx.rules.unit_type(unit.type)
        if not ut.is_ground:
            return [f"only ground units dig in; {unit_name(unit, state)} is {ut.a_name}"]
        if unit.moves_left < ut.movement - 1e-9:
            return [f"{unit_name(unit, state)} has already moved this turn: digging in takes the whole turn"]
        terrain = ctx.rules.terrain[ctx.hexmap.terrain[ctx.hexmap.index(unit.hex)]]
        if unit.entrenchment >= terrain.entrench_max:
            ground = GROUND_NAMES.get(terrain.id, terrain.id)
            return [
                f"{unit_name(unit, state)} cannot dig deeper than level {terrain.entrench_max} in {ground}"
            ]
        return []

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        unit = state.units[self.unit]
        unit.entrenchment += 1
        unit.moves_left = 0.0
        return [
            Event(
                "entrenched",
                f"{unit_name(unit, state)} dug in to level {unit.entrenchment}",
                {"unit": unit.id, "level": unit.entrenchment},
                units=(unit.id,),
                hexes=(unit.hex,),
            )
        ]


# -- EndTurn -----------------------------------------------------------------------------------


@dataclass
class EndTurn(Command):
    """The side to move hands over to the next; after the last side, the date advances."""

    kind: ClassVar[str] = "end_turn"

    def apply(self, state: GameState, ctx: Context) -> list[Event]:
        events = []
        state.active += 1
        if state.active >= len(state.sides):
            state.active = 0
            state.turn += 1
            if state.turn > state.end_turn:
                state.over = True
                state.turn = state.end_turn
                state.active = len(state.sides) - 1
                return [Event("game_over", "The last turn has been played", {}, reveals=True, news=PUBLIC)]
            events.append(
                Event(
                    "new_turn",
                    f"Turn {state.turn}: {state.date.isoformat()}",
                    {"turn": state.turn, "date": state.date.isoformat()},
                    reveals=True,
                    news=PUBLIC,
                )
            )
        events += begin_side_turn(state, ctx.hexmap, ctx.rules, state.active_side)
        events.append(
            Event(
                "side_to_move",
                f"{state.side_names.get(state.active_side)} to move",
                {"side": state.active_side},
                reveals=True,
                news=PUBLIC,
            )
        )
        return events


# -- the game: journal and undo --------------------------------------------------------------


class Game:
    """A game in play: its state, the commands that made it, and what can be undone.

    ``journal`` holds the commands in the order they were done; ``checksums`` the state's
    checksum (``RunningChecksum``) after each of them, taken when it was done (None for a
    command from a save made before saves kept them), so that a replay can tell where it
    first differs."""

    def __init__(
        self,
        setup: dict,
        hexmap: HexMap,
        rules: Rules,
        seed: int,
        state: GameState | None = None,
        journal: list[dict] | None = None,
        checksums: list[str | None] | None = None,
    ):
        self.setup = setup
        self.seed = int(seed)
        # The scenario's terrain changes make a map of this game's own (game.hexmap.game_map).
        hexmap = game_map(hexmap, setup.get("terrain"))
        self.ctx = Context(hexmap, rules)
        if state is None:
            state = GameState.new(setup, hexmap, rules, self.seed)
            begin_side_turn(state, hexmap, rules, state.active_side)
            self.state = state
            self._after(new_turn=True)  # events of the first day
        self.state = state
        self.journal: list[dict] = list(journal or [])
        if checksums is not None and len(checksums) != len(self.journal):
            raise ValueError(f"{len(checksums)} checksums for {len(self.journal)} commands")
        self.checksums: list[str | None] = (
            list(checksums) if checksums is not None else [None] * len(self.journal)
        )
        self._running = RunningChecksum()
        self._undo: list[tuple[GameState, int]] = []

    @property
    def hexmap(self) -> HexMap:
        return self.ctx.hexmap

    @property
    def rules(self) -> Rules:
        return self.ctx.rules

    def validate(self, cmd: Command) -> list[str]:
        return cmd.validate(self.state, self.ctx)

    def execute(self, cmd: Command, undoable: bool = True) -> Result:
        """Validate and apply ``cmd``. ``undoable=False`` (a computer player's command, which no
        one takes back) keeps no copy of the state before it, and clears the undo stack."""
        problems = cmd.validate(self.state, self.ctx)
        if problems:
            return Result(False, problems)
        before = self.state.copy() if undoable else None
        events = cmd.apply(self.state, self.ctx)
        events += self._after(any(e.kind == "new_turn" for e in events))
        self.journal.append(cmd.to_dict())
        self.checksums.append(self._running(self.state))
        if before is None or any(e.reveals for e in events) or isinstance(cmd, EndTurn):
            self._undo.clear()
        else:
            self._undo.append((before, len(self.journal) - 1))
        return Result(True, [], events)

    def _after(self, new_turn: bool) -> list[Event]:
        """Scenario events and victory, after every command and at each new turn."""
        events = process_events(self.state, self.ctx, self.setup, "turn" if new_turn else "command")
        events += check_victory(self.state, self.setup, final=False)
        if self.state.over and not self.state.result:
            events += check_victory(self.state, self.setup, final=True)
        return events

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> bool:
        """Take back the last command of the side to move, if nothing was revealed since."""
        if not self._undo:
            return False
        before, at = self._undo.pop()
        self.state = before
        del self.journal[at:]
        del self.checksums[at:]
        return True

    def checksum(self) -> str:
        return self.state.checksum()


class Diverged(Exception):
    """A replay whose result differs from the recorded one at a command: ``number`` (from 1)
    of ``total``, given at ``turn`` on ``date`` by ``side`` (its name), ``kind`` and ``words``
    (``command_words``) saying what it was, and the checksums after it, ``recorded`` and
    ``replayed``."""

    def __init__(
        self,
        number: int,
        total: int,
        turn: int,
        date: str,
        side: str,
        kind: str,
        words: str,
        recorded: str,
        replayed: str,
    ):
        self.number, self.total, self.turn, self.date, self.side = number, total, turn, date, side
        self.kind, self.words, self.recorded, self.replayed = kind, words, recorded, replayed
        what = f"{kind}, {words}" if words else kind
        super().__init__(
            f"command {number} of {total}: the checksum after it is {replayed}, "
            f"the journal says {recorded} (turn {turn}, {date}, {side}: {what})"
        )


def command_words(cmd: Command, state: GameState, hexmap: HexMap) -> str:
    """What a command orders, in a few words for a one-line message, read against the state
    it was given in: its fields but the side, a unit by its name, a hex by its place, a path
    by where it starts and ends ("unit Iraq infantry no. 2; path Mosul to Tal Afar")."""
    words = []
    for f in dataclasses.fields(cmd):
        value = getattr(cmd, f.name)
        if f.name == "side" or value in ("", [], None):
            continue
        if isinstance(value, Hex):
            text = place_name(hexmap, value)
        elif isinstance(value, list) and all(isinstance(h, Hex) for h in value):
            text = place_name(hexmap, value[0])
            if len(value) > 1:
                text += f" to {place_name(hexmap, value[-1])}"
        elif isinstance(value, list):
            text = ", ".join(_named(state, x) for x in value)
        else:
            text = _named(state, value)
        words.append(f"{f.name.replace('_', ' ')} {text}")
    line = " ".join("; ".join(words).split())  # "" for a command of no fields but its side
    return line if len(line) <= 160 else line[:157] + "..."


def _named(state: GameState, value) -> str:
    unit = state.units.get(value) if isinstance(value, str) else None
    return unit_name(unit, state) if unit is not None else short(value).strip("'")


def replay_journal(
    setup: dict,
    hexmap: HexMap,
    rules: Rules,
    seed: int,
    journal: list[dict],
    checksums: list[str | None] | None = None,
) -> Game:
    """Play a journal again from the start; raises CommandError if a command no longer fits.

    With ``checksums`` (those the journal recorded after each command, None where it recorded
    none), raises ``Diverged`` at the first command whose result differs."""
    game = Game(setup, hexmap, rules, seed)
    total = len(journal)
    for n, entry in enumerate(journal, start=1):
        cmd = Command.from_dict(entry)
        recorded = checksums[n - 1] if checksums is not None else None
        if recorded is not None:
            st = game.state
            before = (
                st.turn,
                st.date.isoformat(),
                st.side_names.get(cmd.side, cmd.side),
                command_words(cmd, st, game.hexmap),
            )
        res = game.execute(cmd)
        if not res.ok:
            raise CommandError(f"command {n} ({entry.get('kind')}) was refused: {res.reason}")
        got = game.checksums[-1]
        if recorded is not None and got != recorded:
            turn, date, side, words = before
            raise Diverged(n, total, turn, date, side, cmd.kind, words, recorded, str(got))
    return game


__all__ = [
    "Command",
    "CommandError",
    "Context",
    "Diverged",
    "EndTurn",
    "Entrench",
    "Event",
    "Game",
    "Move",
    "Result",
    "command_words",
    "place",
    "place_name",
    "replay_journal",
    "unit_name",
]
