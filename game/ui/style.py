"""The one look of the window: colours, sizes and fonts, shared by every screen.

UI layer (pygame). Screens built from pygame_gui widgets (``game.ui.widgets``) and the screens
that paint themselves (the battle, the hand-over, the help) take their colours, their
typeface and their scaled sizes from here, so that a change of UI scale or of the palette of
the panels is made in one place.
"""

from __future__ import annotations

import os

import pygame
import pygame_gui

# -- colours -----------------------------------------------------------------------------------

INK = (232, 228, 212)  # text on dark
MUTED = (168, 166, 146)
AIM = (206, 201, 178)  # a side's aims under its name: quieter than its name, clearer than notes
BRASS = (214, 178, 84)  # titles, focus, the player's attention
OLIVE = (107, 122, 58)
GOOD = (142, 196, 110)
BAD = (232, 118, 96)
ERROR = BAD
BG = (30, 34, 29)  # bars
PANEL = (36, 41, 34)
EDGE = (84, 95, 70)
PANEL_EDGE = EDGE
BACKDROP = (22, 25, 21)
BACKDROP_LINE = (34, 39, 32)
SHADOW = (0, 0, 0)
LABEL_BG = (20, 22, 18)  # the box behind a label on the map
TONES = {"bad": BAD, "muted": MUTED, "good": GOOD, "ink": INK, "brass": BRASS}


# -- sizes and fonts ---------------------------------------------------------------------------

def sz(n: float, scale: float) -> int:
    """``n`` pixels at UI scale 1, at ``scale``."""
    return max(1, int(round(n * scale)))


scaled = sz

# Font sizes of the menus' theme (pixels at UI scale 1).
BODY, SMALL, HEADING, TITLE, BIG = 17, 14, 21, 46, 28

_FONT_FILES = {False: "NotoSans-Regular.ttf", True: "NotoSans-Bold.ttf"}
_fonts: dict[tuple[int, bool], pygame.font.Font] = {}


def font(size: float, bold: bool = False) -> pygame.font.Font:
    """The window's typeface (Noto Sans, shipped with pygame_gui) at ``size`` pixels: the
    menus' theme, the battle's panels and every screen that paints its own text. (The map's
    own labels are drawn by ``game.ui.mapdraw`` in a condensed face that fits between towns.)"""
    if not pygame.font.get_init():
        pygame.font.init()
        _fonts.clear()
    key = (max(6, int(round(size))), bold)
    f = _fonts.get(key)
    if f is not None:
        try:
            f.size("x")
        except pygame.error:  # made before pygame.quit: no longer usable
            _fonts.clear()
            f = None
    if f is None:
        path = os.path.join(os.path.dirname(pygame_gui.__file__), "data", _FONT_FILES[bold])
        try:
            f = pygame.font.Font(path, key[0])
        except (OSError, pygame.error):
            f = pygame.font.Font(None, int(key[0] * 1.3))
        _fonts[key] = f
    return f


class Fonts:
    """The screen's fonts at the player's UI scale."""

    def __init__(self, scale: float):
        self.scale = scale
        self.small = font(sz(12.5, scale))
        self.body = font(sz(14, scale))
        self.bold = font(sz(14, scale), bold=True)
        self.head = font(sz(16, scale), bold=True)
        self.big = font(sz(20, scale), bold=True)


def label_box(screen: pygame.Surface, fnt, text: str, colour, anchor: dict) -> pygame.Rect:
    """A short text in a dark box on the map (a path's cost, the odds), placed by
    ``anchor`` (e.g. ``{"midbottom": (x, y)}``); its rectangle."""
    t = fnt.render(text, True, colour)
    box = t.get_rect(**anchor)
    pygame.draw.rect(screen, LABEL_BG, box.inflate(8, 4), border_radius=3)
    pygame.draw.rect(screen, EDGE, box.inflate(8, 4), 1, border_radius=3)
    screen.blit(t, box)
    return box.inflate(8, 4)


__all__ = ["AIM", "BACKDROP", "BACKDROP_LINE", "BAD", "BG", "BIG", "BODY", "BRASS", "EDGE", "ERROR",
           "Fonts", "GOOD", "HEADING", "INK", "LABEL_BG", "MUTED", "OLIVE", "PANEL", "PANEL_EDGE",
           "SHADOW", "SMALL", "TITLE", "TONES", "font", "label_box", "scaled", "sz"]
