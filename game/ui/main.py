"""``mesopotamia play``: open the game window at the main menu, a new game, or a save.

UI layer (pygame). ``run_game`` checks what it was asked for before it opens a window (an
unknown scenario, a bad ``--side``, a save that cannot be read are each one line on stderr and
exit status 1; a malformed request, 2), then runs the scene stack: the main menu, with the battle on top of it when a
scenario or a save was given; or, for play by e-mail, the passphrase of a turn file or the
shared folder watched (``game.ui.pbem_play``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from game import saves_dir
from game.pbem import PbemError, open_turn, read_turn
from game.saves import SAVE_SUFFIX, SaveError
from game.scenario import ScenarioError, find_scenario, load_scenario
from game.session import Session, parse_side_args, shared_context
from game.state import SetupError
from game.ui.navigator import Navigator
from game.ui.pbem_play import PbemPassphraseScene, PbemWaitScene
from game.ui.scene import App


def _error(message: str, status: int = 1) -> int:
    """One line on stderr; the status is 1 for a problem with the input (a scenario or a save
    that is not there or cannot be used), 2 for a malformed command line."""
    print(f"mesopotamia: play: {message}", file=sys.stderr)
    return status


def _one_line(exc) -> str:
    return "; ".join(part.strip() for part in str(exc).splitlines() if part.strip())


def _find_save(name: str):
    """A save by its path, or by its name in the saves folder (with or without the suffix)."""

    path = Path(name)
    if path.exists() or path.parent != Path("."):
        return path
    for cand in (saves_dir() / name, saves_dir() / f"{name}{SAVE_SUFFIX}"):
        if cand.exists():
            return cand
    return path


def run_game(scenario: str | None = None, sides: list[str] | None = None, load: str | None = None,
             *, size=None, max_frames=None, screenshot=None, options: dict | None = None,
             pbem: str | None = None, pbem_dir: str | None = None, player: str | None = None) -> int:
    """Run the game window; returns the exit status (0, 1 if no window opens, 2 for a bad
    request). ``max_frames`` and ``screenshot`` are for tests and scripted shots (see
    ``App.run``). ``pbem``: a play-by-e-mail turn file to open (its passphrase is asked in the
    window); ``pbem_dir``: a shared folder to watch for ``player``'s turns (and where the
    next turn file is written)."""
    if pbem or pbem_dir:
        return _run_pbem(pbem, pbem_dir, player, size, max_frames, screenshot)
    if scenario and load:
        return _error("give a scenario or --load SAVE, not both", 2)
    if sides and not scenario:
        return _error("--side goes with a scenario: mesopotamia play SCENARIO --side SIDE=human", 2)
    session = None
    try:
        if load:
            session = Session.load(_find_save(load))
        elif scenario:
            path = find_scenario(scenario)
            if path is None:
                return _error(f"no scenario {scenario!r}; `mesopotamia scenarios` lists them")

            hexmap, rules = shared_context()
            sc = load_scenario(path, hexmap, rules, options)
            try:
                seats = parse_side_args(sides or [], sc)
            except ValueError as exc:
                return _error(f"--side {_one_line(exc)}", 2)
            session = Session.new(path, seats, options=options)
    except SaveError as exc:
        return _error(_one_line(exc))
    except ScenarioError as exc:
        return _error(exc.problems[0] if exc.problems else _one_line(exc))
    except SetupError as exc:
        return _error(f"{scenario}: the scenario cannot start: {_one_line(exc)}")

    app = App.open(size)
    if app is None:
        return 1
    try:
        nav = Navigator(app)
        nav.main_menu()
        if session is not None:
            nav.play(session)
        return app.run(max_frames, screenshot)
    finally:
        app.close()


def _run_pbem(pbem, pbem_dir, player, size, max_frames, screenshot) -> int:
    """Play by e-mail: the turn file's passphrase asked (a finished game's opened on its
    results), or the shared folder watched; a file or folder that cannot be used is one line
    before a window opens."""
    tf = game = None
    if pbem_dir and not Path(pbem_dir).is_dir():
        return _error(f"--pbem-dir {pbem_dir}: no such folder")
    if pbem:
        try:
            tf = read_turn(pbem)
            if tf.over:
                game = open_turn(tf.path, None)
        except PbemError as exc:
            return _error(_one_line(exc))
    app = App.open(size)
    if app is None:
        return 1
    try:
        nav = Navigator(app)
        nav.main_menu()
        waiting = None
        if pbem_dir:
            name = player if player is not None else app.settings.pbem_player
            waiting = app.push(PbemWaitScene(app, Path(pbem_dir), name))
        if game is not None:
            nav.pbem_turn(game, tf.path, pbem_dir, waiting)
        elif tf is not None:
            app.push(PbemPassphraseScene(app, tf, pbem_dir, waiting))
        return app.run(max_frames, screenshot)
    finally:
        app.close()
