"""The keys of a screen, listed over it.

UI layer (pygame). ``HelpOverlay`` draws the scene below it, dims it, and lists the screen's
shortcuts (key, then what it does) in as many columns as the window needs; any key or click
closes it.
"""

from __future__ import annotations

import pygame

from game.ui import widgets as W
from game.ui.scene import Scene


class HelpOverlay(Scene):
    """``shortcuts`` is a list of (key, action), such as ("E", "end the turn")."""

    overlay = True

    def __init__(self, app, title: str, shortcuts: list[tuple[str, str]]):
        super().__init__(app)
        self.title = title
        self.shortcuts = list(shortcuts)
        self.panel = pygame.Rect(0, 0, 0, 0)

    @property
    def scale(self) -> float:
        return float(self.app.settings.ui_scale)

    def handle_event(self, event):
        if event.type == pygame.KEYDOWN or (event.type == pygame.MOUSEBUTTONDOWN
                                            and event.button in (1, 2, 3)):
            self.app.pop()

    def layout(self, size, body, key_font) -> tuple[int, int, int, int]:
        """(columns, rows per column, key column width, whole column width) for ``size``."""
        s = self.scale
        w, h = size
        pad = W.scaled(24, s)
        line_h = body.get_linesize() + W.scaled(6, s)
        usable_h = h - 2 * W.scaled(30, s) - 2 * pad - W.scaled(90, s)
        rows = max(1, usable_h // line_h)
        cols = max(1, -(-len(self.shortcuts) // rows))
        rows = -(-len(self.shortcuts) // cols) if self.shortcuts else 1
        key_w = max([key_font.size(k)[0] for k, _ in self.shortcuts] + [W.scaled(40, s)]) \
            + W.scaled(22, s)
        act_w = max([body.size(a)[0] for _, a in self.shortcuts] + [W.scaled(120, s)])
        max_col = (w - 2 * W.scaled(30, s) - 2 * pad) // cols - W.scaled(24, s)
        col_w = min(key_w + act_w, max_col)
        return cols, rows, key_w, col_w

    def draw(self, screen):
        W.draw_below(self, screen)
        W.dim(screen, 190)
        s = self.scale
        size = screen.get_size()
        head = W.font(W.scaled(W.HEADING + 5, s), bold=True)
        body = W.font(W.scaled(W.BODY, s))
        key_font = W.font(W.scaled(W.BODY - 1, s), bold=True)
        small = W.font(W.scaled(W.SMALL, s))
        cols, rows, key_w, col_w = self.layout(size, body, key_font)
        pad = W.scaled(24, s)
        gap = W.scaled(24, s)
        line_h = body.get_linesize() + W.scaled(6, s)
        pw = max(cols * col_w + (cols - 1) * gap + 2 * pad,
                 head.size(self.title)[0] + 2 * pad, W.scaled(360, s))
        pw = min(pw, size[0] - 2 * W.scaled(20, s))
        ph = pad + head.get_linesize() + W.scaled(16, s) + rows * line_h + W.scaled(14, s) \
            + small.get_linesize() + pad
        self.panel = pygame.Rect(0, 0, pw, min(ph, size[1] - 2 * W.scaled(20, s)))
        self.panel.center = (size[0] // 2, size[1] // 2)
        p = self.panel
        W.draw_panel(screen, p, s)
        W.blit_text(screen, self.title, head, W.BRASS, (p.x + pad, p.y + pad))
        top = p.y + pad + head.get_linesize() + W.scaled(16, s)
        clip = screen.get_clip()
        for i, (key, action) in enumerate(self.shortcuts):
            c, r = divmod(i, rows)
            x = p.x + pad + c * (col_w + gap)
            y = top + r * line_h
            kw = key_font.size(key)[0] + W.scaled(12, s)
            cap = pygame.Rect(x, y, kw, body.get_linesize())
            pygame.draw.rect(screen, (58, 66, 50), cap, border_radius=W.scaled(4, s))
            pygame.draw.rect(screen, W.PANEL_EDGE, cap, 1, border_radius=W.scaled(4, s))
            W.blit_text(screen, key, key_font, W.INK, cap.center, "center")
            screen.set_clip(pygame.Rect(x + key_w, y, col_w - key_w, line_h).clip(p))
            W.blit_text(screen, action, body, W.INK, (x + key_w, y))
            screen.set_clip(clip)
        W.blit_text(screen, "Press any key or click to close.", small, W.MUTED,
                    (p.centerx, p.bottom - pad), "midbottom")
