"""The AI: computer players that see one side's view and answer with commands.

Engine layer. ``AIPlayer`` (``game.ai.player``) plays a side at a difficulty; ``RandomPlayer``
moves at random (the floor to beat). ``play_turn`` drives one player's turn through a ``Game``:
it hands the player fresh views of its own side and the attack preview, and sends each command
the player yields through ``Game.execute``, exactly as a person's would go.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from game.ai.player import DIFFICULTIES, AIPlayer, RandomPlayer
from game.commands import EndTurn
from game.visibility import side_view


@dataclass
class TurnStats:
    seconds: float = 0.0  # time spent thinking (not applying commands)
    commands: int = 0
    refused: list[str] = field(default_factory=list)


def play_turn(game, player, max_commands: int = 2000) -> TurnStats:
    """Let ``player`` play the side to move until it ends its turn (or the game ends)."""
    side = player.side
    state_side = game.state.active_side
    if state_side != side:
        raise ValueError(f"{side} is not to move ({state_side} is)")
    stats = TurnStats()

    def view_fn():
        return side_view(game.state, game.hexmap, game.rules, side)

    def preview_fn(attackers, target):
        from game.combat import preview_attack

        return preview_attack(game.state, game.hexmap, game.rules, side, attackers, target)

    gen = player.turn(view_fn, preview_fn)
    thinking = 0.0
    t = time.perf_counter()
    try:
        cmd = next(gen)
        while True:
            thinking += time.perf_counter() - t
            if game.state.over:
                break
            res = game.execute(cmd)
            stats.commands += 1
            if not res.ok:
                stats.refused.append(f"{cmd.kind}: {res.reason}")
            if isinstance(cmd, EndTurn) and res.ok:
                break
            if stats.commands >= max_commands:
                game.execute(EndTurn(side))
                break
            t = time.perf_counter()
            cmd = gen.send(res)
    except StopIteration:
        if not game.state.over and game.state.active_side == side:
            game.execute(EndTurn(side))
    stats.seconds = thinking
    return stats


__all__ = ["AIPlayer", "RandomPlayer", "DIFFICULTIES", "TurnStats", "play_turn"]
