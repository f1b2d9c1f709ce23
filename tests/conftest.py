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


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The game's home folder (settings, saves, custom scenarios) in a fresh temporary folder."""
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MESOPOTAMIA_MAX_FRAMES", raising=False)
    monkeypatch.delenv("MESOPOTAMIA_SCREENSHOT", raising=False)
    return tmp_path / "home"


@pytest.fixture
def app(home):
    """A 1024 x 700 window with default settings, for the screens' tests."""
    import pygame

    from game.ui.scene import App
    from game.ui.settings import Settings

    a = App((1024, 700), Settings())
    pygame.event.clear()
    yield a
    a.close()


@pytest.fixture
def recorded(monkeypatch):
    """Every string drawn in the window's typeface, in the order drawn."""
    import pygame

    from game.ui import style

    drawn: list[str] = []

    class Recording(pygame.font.Font):
        def render(self, text, *a, **k):
            drawn.append(str(text))
            return super().render(text, *a, **k)

    monkeypatch.setattr(pygame.font, "Font", Recording)
    monkeypatch.setattr(style, "_fonts", {})
    return drawn
