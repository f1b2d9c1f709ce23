"""Mesopotamia 2014-2021: a turn-based hex wargame of the War in Mesopotamia.

Layers: ``game.hexgrid`` (hex maths), ``game.geo`` (projection), ``game.hexmap``
(the map asset), ``game.cli`` (the ``mesopotamia`` command). Only ``game.ui``
imports pygame; everything else runs headless.
"""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
ASSETS_DIR = ROOT_DIR / "assets"
SCENARIOS_DIR = ROOT_DIR / "scenarios"
