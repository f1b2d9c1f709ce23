"""The one look of the window: colours, sizes and fonts, shared by every screen.

UI layer (pygame). Screens built from pygame_gui widgets (``game.ui.widgets``) and the screens
that paint themselves (the battle, the hand-over, the help) take their colours, their
typeface and their scaled sizes from here, so that a change of UI scale or of the palette of
the panels is made in one place.
"""

from __future__ import annotations

import pygame

from game.ui.mapdraw import font

# -- colours -----------------------------------------------------------------------------------

INK = (232, 228, 212)  # text on dark
MUTED = (168, 166, 146)
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


__all__ = ["BACKDROP", "BACKDROP_LINE", "BAD", "BG", "BRASS", "EDGE", "ERROR", "Fonts", "GOOD",
           "INK", "LABEL_BG", "MUTED", "OLIVE", "PANEL", "PANEL_EDGE", "SHADOW", "TONES",
           "label_box", "scaled", "sz"]
