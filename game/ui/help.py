"""The keys of a screen, listed over it.

UI layer (pygame). ``HelpOverlay`` draws the scene below it, dims it, and lists the screen's
shortcuts (key, then what it does) in as few columns and at as large a size as the window
allows; any key or click closes it. Given the battle's counters (``legend=True``), it has a
second page, the map's legend (``game.ui.legend``): beside the keys where the window is wide
enough, else a page of its own that Tab or the arrow keys turn to.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui import widgets as W
from game.ui.legend import legend_surface
from game.ui.scene import Scene


@dataclass
class Layout:
    size: int  # font size in pixels
    rows: int  # per column
    columns: list[tuple[int, int]]  # (key width, action width) of each column
    width: int  # of the whole panel
    height: int
    fits: bool  # False: the smallest size and still too much; actions are cut short


class HelpOverlay(Scene):
    """``shortcuts`` is a list of (key, action), such as ("E", "end the turn")."""

    overlay = True

    def __init__(self, app, title: str, shortcuts: list[tuple[str, str]], legend: bool = False,
                 palette=None, art=None, faction: str | None = None, unit_types=()):
        super().__init__(app)
        self.title = title
        self.shortcuts = list(shortcuts)
        self.panel = pygame.Rect(0, 0, 0, 0)
        self._layout: tuple | None = None
        self.legend = legend
        self.art = art
        self.faction = faction
        self.unit_types = tuple(unit_types)
        self.page = 0  # 0: the keys, 1: the legend (when the two do not fit side by side)
        self.legend_rect = pygame.Rect(0, 0, 0, 0)
        self._legend: tuple | None = None

    @property
    def scale(self) -> float:
        return float(self.app.settings.ui_scale)

    def handle_event(self, event):
        if self.legend and event.type == pygame.KEYDOWN and event.key in (
                pygame.K_TAB, pygame.K_LEFT, pygame.K_RIGHT, pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            self.page = 1 - self.page
            return
        if event.type == pygame.KEYDOWN or (event.type == pygame.MOUSEBUTTONDOWN
                                            and event.button in (1, 2, 3)):
            self.app.pop()

    def legend_surface(self, width: int) -> pygame.Surface:
        key = (width, self.scale)
        if self._legend is None or self._legend[0] != key:
            self._legend = (key, legend_surface(self.scale, self.art, self.faction,
                                                self.unit_types, width))
        return self._legend[1]

    # -- layout ----------------------------------------------------------------------------

    def _fonts(self, size: int):
        s = self.scale
        return (W.font(size), W.font(size - 1, bold=True), W.font(W.scaled(W.HEADING + 5, s), True),
                W.font(W.scaled(W.SMALL, s)))

    def layout(self, screen_size) -> Layout:
        """The largest font size, then the fewest columns, at which the list fits."""
        key = (tuple(screen_size), self.scale)
        if self._layout and self._layout[0] == key:
            return self._layout[1]
        s = self.scale
        w, h = screen_size
        pad, gap, margin = W.scaled(24, s), W.scaled(28, s), W.scaled(16, s)
        n = max(1, len(self.shortcuts))
        best = None
        top = W.scaled(W.BODY, s)
        for size in range(top, max(11, int(top * 0.7)) - 1, -1):
            body, key_font, head, small = self._fonts(size)
            line_h = body.get_linesize() + W.scaled(6, s)
            chrome = 2 * pad + head.get_linesize() + W.scaled(16, s) + W.scaled(14, s) \
                + small.get_linesize()
            for cols in range(1, 5):
                rows = -(-n // cols)
                columns = []
                for c in range(cols):
                    part = self.shortcuts[c * rows:(c + 1) * rows] or [("", "")]
                    columns.append((max(key_font.size(k)[0] for k, _ in part) + W.scaled(26, s),
                                    max(body.size(a)[0] for _, a in part)))
                width = sum(kw + aw for kw, aw in columns) + gap * (cols - 1) + 2 * pad
                width = max(width, head.size(self.title)[0] + 2 * pad)
                height = chrome + rows * line_h
                fits = width <= w - 2 * margin and height <= h - 2 * margin
                best = Layout(size, rows, columns, min(width, w - 2 * margin),
                              min(height, h - 2 * margin), fits)
                if fits:
                    self._layout = (key, best)
                    return best
                if height <= h - 2 * margin and width > w - 2 * margin:
                    break  # more columns only make it wider
        self._layout = (key, best)
        return best

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, screen):
        W.draw_below(self, screen)
        W.dim(screen, 190)
        s = self.scale
        sw, sh = screen.get_size()
        self.legend_rect = pygame.Rect(0, 0, 0, 0)
        if self.legend:
            # Beside the keys if both fit; else the page turned to.
            keys_w = self.layout((sw // 2, sh)).width if sw >= W.scaled(1500, s) else 0
            legend = self.legend_surface(sw - keys_w - W.scaled(60, s) if keys_w
                                         else sw - W.scaled(60, s))
            side_by_side = keys_w and self.layout((sw // 2, sh)).fits \
                and legend.get_height() + W.scaled(80, s) <= sh
            if side_by_side or self.page == 1:
                return self._draw_with_legend(screen, legend, side_by_side)
        lay = self.layout(screen.get_size())
        small = self._fonts(lay.size)[3]
        pad = W.scaled(24, s)
        panel = pygame.Rect(0, 0, lay.width, lay.height)
        panel.center = screen.get_rect().center
        self._draw_keys(screen, panel, lay)
        p = self.panel
        W.blit_text(screen, "Tab: the map's legend. Any other key or a click closes."
                    if self.legend else "Press any key or click to close.", small, W.MUTED,
                    (p.centerx, p.bottom - pad), "midbottom")

    def _draw_with_legend(self, screen, legend: pygame.Surface, side_by_side: bool) -> None:
        s = self.scale
        sw, sh = screen.get_size()
        pad = W.scaled(24, s)
        head = W.font(W.scaled(W.HEADING + 5, s), True)
        small = W.font(W.scaled(W.SMALL, s))
        if side_by_side:
            lay = self.layout((sw // 2, sh))
            keys = pygame.Rect(0, 0, lay.width, lay.height)
        else:
            keys = pygame.Rect(0, 0, 0, 0)
        lw = legend.get_width() + 2 * pad
        lh = legend.get_height() + head.get_linesize() + small.get_linesize() + 3 * pad
        gap = W.scaled(16, s) if side_by_side else 0
        total = keys.w + gap + lw
        x0 = max(0, (sw - total) // 2)
        if side_by_side:
            keys.topleft = (x0, (sh - keys.h) // 2)
            self._draw_keys(screen, keys, lay)
        box = pygame.Rect(x0 + keys.w + gap, max(0, (sh - lh) // 2), lw, min(lh, sh))
        self.legend_rect = box
        W.draw_panel(screen, box, s)
        W.blit_text(screen, "The map's legend", head, W.BRASS, (box.x + pad, box.y + pad))
        screen.blit(legend, (box.x + pad, box.y + pad + head.get_linesize() + W.scaled(8, s)))
        foot = "Any key or a click closes." if side_by_side else \
            "Tab: back to the keys. Any other key or a click closes."
        W.blit_text(screen, foot, small, W.MUTED, (box.centerx, box.bottom - pad // 2), "midbottom")

    def _draw_keys(self, screen, panel: pygame.Rect, lay) -> None:
        s = self.scale
        body, key_font, head, small = self._fonts(lay.size)
        pad, gap = W.scaled(24, s), W.scaled(28, s)
        line_h = body.get_linesize() + W.scaled(6, s)
        self.panel = p = panel
        W.draw_panel(screen, p, s)
        W.blit_text(screen, W.fit_text(self.title, head, p.w - 2 * pad), head, W.BRASS,
                    (p.x + pad, p.y + pad))
        top = p.y + pad + head.get_linesize() + W.scaled(16, s)
        x = p.x + pad
        for c, (key_w, act_w) in enumerate(lay.columns):
            part = self.shortcuts[c * lay.rows:(c + 1) * lay.rows]
            room = min(act_w, p.right - pad - x - key_w)  # all of it, unless nothing fits
            for r, (key, action) in enumerate(part):
                y = top + r * line_h
                cap = pygame.Rect(x, y, key_font.size(key)[0] + W.scaled(12, s), body.get_linesize())
                pygame.draw.rect(screen, (58, 66, 50), cap, border_radius=W.scaled(4, s))
                pygame.draw.rect(screen, W.PANEL_EDGE, cap, 1, border_radius=W.scaled(4, s))
                W.blit_text(screen, key, key_font, W.INK, cap.center, "center")
                W.blit_text(screen, W.fit_text(action, body, max(10, room)), body, W.INK,
                            (x + key_w, y))
            x += key_w + act_w + gap
