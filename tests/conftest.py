"""Shared test set-up: pygame runs headless, and the real map is loaded once per session."""

import os

# Before anything imports pygame: no window, no sound device, no greeting on stdout.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def hexmap():
    from game.hexmap import HexMap

    return HexMap.load()
