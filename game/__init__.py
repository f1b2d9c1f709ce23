"""Mesopotamia 2014-2021: a turn-based hex wargame of the War in Mesopotamia.

Layers: ``game.hexgrid`` (hex maths), ``game.geo`` (projection), ``game.hexmap``
(the map asset), ``game.cli`` (the ``mesopotamia`` command). Only ``game.ui``
imports pygame; everything else runs headless.
"""

import os
from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
ASSETS_DIR = ROOT_DIR / "assets"
SCENARIOS_DIR = ROOT_DIR / "scenarios"


def home() -> Path:
    """The player's folder for the game: ``$MESOPOTAMIA_HOME`` if set, else
    ``$XDG_DATA_HOME/mesopotamia`` (``~/.local/share/mesopotamia``)."""
    env = os.environ.get("MESOPOTAMIA_HOME")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "mesopotamia"


def saves_dir() -> Path:
    """Where the window's saves go."""
    return home() / "saves"


def player_scenarios_dir() -> Path:
    """Where the player's own scenario files are kept (beside the saves folder)."""
    return home() / "scenarios"
