"""The hot-seat hand-over: a blank screen between two people's turns at one device.

UI layer (pygame). ``HandoverScene`` covers the battle completely and draws nothing of the
map or the units, so the player passing the device gives nothing away. First it asks for the
device to be passed to the side to move; on a click or Enter it shows what that side saw
happen since its last turn; on the next click or Enter it pops itself and uncovers the battle.
Only a click (released) or a fresh press of Enter turns a page, so a key held or mashed at the
moment the device changes hands gives nothing away. A turn opened from a play-by-e-mail file
(``game.ui.pbem_play``) starts at the second page: the device is the player's own.
"""

from __future__ import annotations

import pygame

from game.ui import widgets as W
from game.ui.scene import Scene

# Keys that are held with others and so do not count as "press a key".
_MODIFIERS = {pygame.K_LSHIFT, pygame.K_RSHIFT, pygame.K_LCTRL, pygame.K_RCTRL, pygame.K_LALT,
              pygame.K_RALT, pygame.K_LGUI, pygame.K_RGUI, pygame.K_CAPSLOCK, pygame.K_NUMLOCK,
              pygame.K_MODE}


def _keys_down() -> set[int]:
    """The keys held down now (none under a headless test's synthetic events)."""
    try:
        pressed = pygame.key.get_pressed()
    except pygame.error:
        return set()
    return {k for k in _WATCHED if pressed[k]}


# The keys a player may be holding when the screen changes hands: letters, digits, and the
# keys that end a turn or confirm.
_WATCHED = tuple(range(pygame.K_a, pygame.K_z + 1)) + tuple(range(pygame.K_0, pygame.K_9 + 1)) + (
    pygame.K_SPACE, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE, pygame.K_TAB,
    pygame.K_UP, pygame.K_DOWN, pygame.K_LEFT, pygame.K_RIGHT, pygame.K_BACKSPACE)


# The only keys that turn a page: a deliberate confirmation, never a stray letter.
_DELIBERATE = (pygame.K_RETURN, pygame.K_KP_ENTER)


class HandoverScene(Scene):
    """"<Side> to move: pass the device, then click", then the side's news, then the battle."""

    def __init__(self, app, session, side: str, summary_lines: list[str], pass_device: bool = True):
        super().__init__(app)
        self.session = session
        self.side = side
        self.side_name = session.view(side).side_names.get(side, side)
        self.lines = list(summary_lines)
        # 0: pass the device; 1: what happened (a turn opened from a file starts there: the
        # device is the player's own)
        self.page = 0 if pass_device else 1
        self._held = _keys_down()

    def enter(self):
        self._held = _keys_down()

    @property
    def scale(self) -> float:
        return float(self.app.settings.ui_scale)

    def handle_event(self, event):
        if event.type == pygame.KEYUP:
            self._held.discard(event.key)
        elif event.type == pygame.KEYDOWN and event.key in _DELIBERATE:
            # Only Enter turns the page, and only a fresh press of it: a key still held from
            # before this page (the one that ended the last turn, repeating) does not, nor
            # any other key a player may have been pressing when the screen changed hands.
            if event.key not in self._held:
                self.advance()
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.advance()

    def advance(self) -> None:
        if self.page == 0:
            self.page = 1
            self._held = _keys_down()
        else:
            self.app.pop()

    def draw(self, screen):
        W.draw_backdrop(screen)
        s = self.scale
        w, h = screen.get_size()
        if self.page == 0:
            self._draw_pass(screen, w, h, s)
        else:
            self._draw_summary(screen, w, h, s)

    def _colour(self):
        sides = self.session.view(self.side).sides
        return W.side_colour(self.app.settings.palette, self.side, sides)

    def _draw_pass(self, screen, w, h, s):
        big = W.font(W.scaled(52, s), bold=True)
        body = W.font(W.scaled(22, s))
        small = W.font(W.scaled(W.SMALL + 2, s))
        st = self.session.view(self.side)
        cy = h // 2
        bar = pygame.Rect(0, 0, min(w - 80, W.scaled(520, s)), W.scaled(8, s))
        bar.center = (w // 2, cy - W.scaled(90, s))
        pygame.draw.rect(screen, self._colour(), bar, border_radius=W.scaled(4, s))
        if sum(self._colour()) < 240:  # the jihadists' black, on the dark backdrop
            pygame.draw.rect(screen, W.MUTED, bar, 1, border_radius=W.scaled(4, s))
        title = f"{self.side_name} to move"
        fnt, size = big, W.scaled(52, s)
        while fnt.size(title)[0] > w - 60 and size > 16:
            size = int(size * 0.85)
            fnt = W.font(size, bold=True)
        W.blit_text(screen, title, fnt, W.BRASS, (w // 2, cy - W.scaled(30, s)), "center")
        W.blit_text(screen, "Pass the device, then click or press Enter.", body, W.INK,
                    (w // 2, cy + W.scaled(34, s)), "center")
        W.blit_text(screen, f"Turn {st.turn} of {st.end_turn}  \u00b7  {st.date.day} {st.date:%B %Y}", small,
                    W.MUTED, (w // 2, cy + W.scaled(76, s)), "center")

    def _draw_summary(self, screen, w, h, s):
        head = W.font(W.scaled(30, s), bold=True)
        body = W.font(W.scaled(W.BODY + 1, s))
        small = W.font(W.scaled(W.SMALL + 1, s))
        pad = W.scaled(28, s)
        pw = min(w - 2 * pad, W.scaled(980, s))
        ph = h - 2 * pad
        panel = pygame.Rect((w - pw) // 2, pad, pw, ph)
        W.draw_panel(screen, panel, s)
        x = panel.x + pad
        y = panel.y + pad
        W.blit_text(screen, f"{self.side_name}: since your last turn", head, W.BRASS, (x, y))
        y += head.get_linesize() + W.scaled(12, s)
        foot_h = small.get_linesize() + pad
        bottom = panel.bottom - foot_h - W.scaled(6, s)
        width = pw - 2 * pad
        lines = self.lines or ["Nothing to report."]
        wrapped = []
        for line in lines:
            wrapped.append(W.wrap(line, body, width - W.scaled(18, s)))
        line_h = body.get_linesize()
        shown = 0
        for k, parts in enumerate(wrapped):
            need = len(parts) * line_h + W.scaled(4, s)
            rest = len(wrapped) - k
            if y + need > bottom - (line_h if rest > 1 else 0):
                W.blit_text(screen, f"... and {rest} more (in the battle's log)", body, W.MUTED, (x, y))
                break
            pygame.draw.circle(screen, W.BRASS, (x + W.scaled(5, s), y + line_h // 2), W.scaled(3, s))
            for part in parts:
                W.blit_text(screen, part, body, W.INK if self.lines else W.MUTED,
                            (x + W.scaled(18, s), y))
                y += line_h
            y += W.scaled(4, s)
            shown += 1
        W.blit_text(screen, "Click or press Enter to take your turn.", small, W.MUTED,
                    (panel.centerx, panel.bottom - pad), "midbottom")
