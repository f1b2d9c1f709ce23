"""The battle screen's panels: top bar, unit and hex panel, event log, ledger, boxes, menus.

UI layer (pygame). Each panel is drawn onto its own surface when what it shows changes and is
blitted every frame; its inputs are compared as a key, so a steady frame renders no text.
``Button`` is a clickable rectangle with a cached face.
"""

from __future__ import annotations

import pygame

from game.ui.mapdraw import font
from game.ui.widgets import wrap

BG = (30, 34, 29)
PANEL = (36, 41, 34)
EDGE = (84, 95, 70)
INK = (232, 228, 212)
MUTED = (168, 166, 146)
BRASS = (214, 178, 84)
GOOD = (142, 196, 110)
BAD = (232, 118, 96)
SHADOW = (0, 0, 0)


def sz(n: float, scale: float) -> int:
    return max(1, int(round(n * scale)))


class Fonts:
    """The screen's fonts at the player's UI scale."""

    def __init__(self, scale: float):
        self.scale = scale
        self.small = font(sz(12.5, scale))
        self.body = font(sz(14, scale))
        self.bold = font(sz(14, scale), bold=True)
        self.head = font(sz(16, scale), bold=True)
        self.big = font(sz(20, scale), bold=True)


class Button:
    def __init__(self, label: str, action: str, key_hint: str = ""):
        self.label = label
        self.action = action
        self.key_hint = key_hint
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.enabled = True
        self._face: tuple | None = None

    def size(self, fonts: Fonts) -> tuple[int, int]:
        w, h = fonts.bold.size(self.label)
        pad = sz(12, fonts.scale)
        return w + 2 * pad, h + sz(10, fonts.scale)

    def draw(self, screen: pygame.Surface, fonts: Fonts, hover: bool) -> None:
        key = (self.label, self.rect.size, hover, self.enabled, fonts.scale)
        if self._face is None or self._face[0] != key:
            surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
            fill = (74, 84, 56) if hover and self.enabled else (52, 60, 44)
            if not self.enabled:
                fill = (44, 46, 42)
            pygame.draw.rect(surf, fill, surf.get_rect(), border_radius=sz(4, fonts.scale))
            pygame.draw.rect(surf, BRASS if hover and self.enabled else EDGE, surf.get_rect(), 1,
                             border_radius=sz(4, fonts.scale))
            t = fonts.bold.render(self.label, True, INK if self.enabled else MUTED)
            surf.blit(t, t.get_rect(center=surf.get_rect().center))
            self._face = (key, surf)
        screen.blit(self._face[1], self.rect)


class CachedPanel:
    """A surface re-rendered only when its key changes."""

    def __init__(self):
        self.key = None
        self.surface: pygame.Surface | None = None

    def get(self, key, render) -> pygame.Surface:
        if self.surface is None or key != self.key:
            self.surface = render()
            self.key = key
        return self.surface


def lines_surface(rows: list[tuple[str, pygame.font.Font, tuple]], width: int,
                  pad: int, bg=PANEL, gap: int = 2) -> pygame.Surface:
    """Rows of (text, font, colour), wrapped to ``width``, on a panel."""
    rendered = []
    for text, fnt, colour in rows:
        if text == "":
            rendered.append(None)
            continue
        for line in wrap(text, fnt, width - 2 * pad):
            rendered.append(fnt.render(line, True, colour))
    h = pad * 2 + sum((r.get_height() + gap) if r is not None else pad for r in rendered)
    surf = pygame.Surface((width, max(1, h)), pygame.SRCALPHA)
    surf.fill(bg)
    y = pad
    for r in rendered:
        if r is None:
            y += pad
            continue
        surf.blit(r, (pad, y))
        y += r.get_height() + gap
    return surf


def modal_box(fonts: Fonts, title: str, lines: list[str], width: int, footer: str) -> pygame.Surface:
    """A message box: a title, wrapped lines and a footer saying how to go on."""
    pad = sz(16, fonts.scale)
    rows = [(title, fonts.big, BRASS), ("", None, None)]
    rows += [(line, fonts.body, INK) for line in lines]
    rows += [("", None, None), (footer, fonts.small, MUTED)]
    surf = lines_surface(rows, width, pad, bg=(28, 32, 26, 245), gap=sz(3, fonts.scale))
    pygame.draw.rect(surf, BRASS, surf.get_rect(), 2)
    return surf


__all__ = ["BAD", "BG", "BRASS", "Button", "CachedPanel", "EDGE", "Fonts", "GOOD", "INK", "MUTED",
           "PANEL", "lines_surface", "modal_box", "sz", "wrap"]
