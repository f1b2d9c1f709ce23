"""The AI: computer players that see one side's view and answer with commands.

Engine layer. ``AIPlayer`` (``game.ai.player``) plays a side at a difficulty, its turn a loop
of candidate actions; ``RandomPlayer`` moves at random (the floor to beat). A ``TurnDriver``
(``game.ai.driver``) carries out a player's turn through a ``Game``, a command at a time, for
every client: ``play_turn`` here for headless play (``simulate``, ``bench``), and the window's
``game.session.AITurn``. The player reads fresh views of its own side and the odds of an attack,
and each command it yields goes through ``Game.execute``, exactly as a person's would go.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.ai.driver import MAX_COMMANDS, TurnDriver
from game.ai.player import DIFFICULTIES, AIPlayer, RandomPlayer


@dataclass
class TurnStats:
    seconds: float = 0.0  # time spent thinking (not applying commands)
    commands: int = 0  # the player's own commands (not an end of turn given for it)
    refused: list[str] = field(default_factory=list)


def play_turn(game, player, max_commands: int = MAX_COMMANDS) -> TurnStats:
    """Let ``player`` play the side to move until it ends its turn (or the game ends)."""
    driver = TurnDriver(game, player, max_commands=max_commands)
    try:
        while not driver.finished:
            driver.step()
    finally:
        driver.close()
    return TurnStats(seconds=driver.thinking, commands=driver.commands, refused=driver.refused)


def ai_players(sc, game, rules, difficulty: str | dict[str, str] = "normal") -> dict[str, AIPlayer]:
    """The computer at every side of the scenario ``sc`` (``difficulty``: one for all, or side ->
    difficulty with normal for a side not named). Headless, the AI thinks each turn through
    with no clock: a time limit would make the game depend on how fast and how busy the
    machine is, and the same seed must give the same game anywhere."""
    level = (
        (lambda side: difficulty)
        if isinstance(difficulty, str)
        else (lambda side: difficulty.get(side, "normal"))
    )
    return {
        s["id"]: AIPlayer(
            s["id"],
            game.hexmap,
            rules,
            sc.setup["victory"],
            level(s["id"]),
            budget_s=None,
            plans=sc.setup.get("plans"),
        )
        for s in sc.sides
    }


__all__ = [
    "DIFFICULTIES",
    "MAX_COMMANDS",
    "AIPlayer",
    "RandomPlayer",
    "TurnDriver",
    "TurnStats",
    "ai_players",
    "play_turn",
]
