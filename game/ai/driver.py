"""The one driver of a computer player's turn: its commands carried out one at a time.

Engine layer. A ``TurnDriver`` steps a player's ``turn`` generator (``AIPlayer``,
``RandomPlayer``) through a ``Game``: it hands the player fresh views of its own side and the
odds of an attack, sends each command the player yields through the game's one door, and sends
the result back, with the events of it that the side learned (``game.visibility``, as for a
person at the window). It holds what every client of the AI shares: the cap on commands in one turn,
the refusals counted, the thinking timed, and the turn ended for a player that stopped without
ending it. Headless play (``play_turn``: ``simulate``, ``bench``, the tests) steps it on one
thread; the window's ``game.session.AITurn`` thinks (``think``) in a worker thread and carries
out (``carry_out``) on the thread that owns the game, with the same commands in the same order.
"""

from __future__ import annotations

import time

from game.combat import preview_attack
from game.commands import Command, EndTurn, Result
from game.visibility import events_seen, side_view

MAX_COMMANDS = 2000  # an AI turn that runs longer than this is ended for it


class TurnDriver:
    """One player's turn through ``game``. ``view_fn()`` and ``preview_fn(attackers, target)``
    are what the player reads (by default its side's view and odds, made afresh from the game);
    ``execute`` is the door its commands go through (by default ``game.execute``; the window's
    session files what each side saw of them on the way).

    ``step()`` thinks and carries out one command; ``finished`` turns True once the side has
    ended its turn (or had it ended for it) or the game is over. ``commands`` counts the
    player's commands carried out, ``refused`` what the engine said of those it refused,
    ``thinking`` the seconds the player spent choosing them, ``ended_for_it`` whether the driver
    had to end the turn (the player stopped without ending it, or passed the cap).
    """

    def __init__(
        self, game, player, view_fn=None, preview_fn=None, execute=None, max_commands: int = MAX_COMMANDS
    ):
        side = player.side
        if game.state.active_side != side:
            raise ValueError(f"{side} is not to move ({game.state.active_side} is)")
        self.game = game
        self.side = side
        self.max_commands = max_commands
        self._execute = execute or game.execute
        if view_fn is None:

            def view_fn():
                return side_view(game.state, game.hexmap, game.rules, side)

        if preview_fn is None:

            def preview_fn(attackers, target):
                return preview_attack(game.state, game.hexmap, game.rules, side, attackers, target)

        self._gen = player.turn(view_fn, preview_fn)
        self._started = False
        self._last: Result | None = None  # the result to send the player next
        self.commands = 0
        self.refused: list[str] = []
        self.thinking = 0.0
        self.ended_for_it = False
        self.finished = False

    @property
    def count(self) -> int:
        """Every command carried out this turn, the end of turn given for the player with them."""
        return self.commands + int(self.ended_for_it)

    def think(self, result: Result | None = None) -> Command | None:
        """The player's next command, the result of its last sent back to it; None once it has
        stopped. The only call that runs the player's code (the window's worker thread)."""
        t = time.perf_counter()
        try:
            if not self._started:
                self._started = True
                return next(self._gen)
            return self._gen.send(self.told(result))
        except StopIteration:
            return None
        finally:
            self.thinking += time.perf_counter() - t

    def told(self, result: Result | None) -> Result | None:
        """A result as the player learns it: the events its side saw of its command, no more
        (what the fog hides of their consequences, a person is not told either)."""
        if result is None or not result.events:
            return result
        g = self.game
        seen = events_seen(result.events, self.side, self.side, g.state, g.hexmap, g.rules)
        if len(seen) == len(result.events):
            return result
        return Result(result.ok, result.problems, seen)

    def carry_out(self, cmd: Command) -> Result | None:
        """Send one command of the player's through the door (on the thread that owns the game).
        None, and the turn finished, if it is no longer the side's turn to give it (the game
        is over); after the cap, the turn is ended for the player."""
        state = self.game.state
        if state.over or state.active_side != self.side:
            self.finished = True
            return None
        res = self._execute(cmd, undoable=False)  # no one takes back a computer's order
        self.commands += 1
        if not res.ok:
            self.refused.append(f"{cmd.kind}: {res.reason}")
        if (isinstance(cmd, EndTurn) and res.ok) or self.game.state.over:
            self.finished = True
        elif self.commands >= self.max_commands:
            self.end()
        return res

    def end(self) -> tuple[Command, Result] | None:
        """The player stopped without ending its turn (or passed the cap): end it for the side."""
        self.finished = True
        state = self.game.state
        if state.over or state.active_side != self.side:
            return None
        cmd = EndTurn(self.side)
        res = self._execute(cmd, undoable=False)
        self.ended_for_it = True
        return cmd, res

    def step(self) -> tuple[Command, Result] | None:
        """Think and carry out the player's next command on this thread: ``(command, result)``,
        the turn ended for the player once it stops; None once the turn is over."""
        if self.finished:
            return None
        cmd = self.think(self._last)
        if cmd is None:
            return self.end()
        res = self.carry_out(cmd)
        if res is None:
            return None
        self._last = res
        return cmd, res

    def close(self) -> None:
        """Stop the player's thinking (from the thread that runs it)."""
        self._gen.close()
