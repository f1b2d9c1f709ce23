"""The battle screen's panels: top bar, unit and hex panel, event log, tooltip, the casualty
ledger (its chart and its table of the people out of the fight), boxes and menus, and the
layout that keeps them apart.

UI layer (pygame). ``Panels.layout`` gives every panel its own rectangle for the window's size
and the UI scale, and no two overlap: the top and bottom bars, the map, and on the right the
unit panel over the event log (the unit panel takes the room an attack's odds need, and
scrolls with the wheel when even that is too little). Each panel is drawn onto its own surface
when what it shows changes and is blitted every frame; its inputs are compared as a key, so a
steady frame renders no text. ``Button`` is a clickable rectangle with a cached face.
"""

from __future__ import annotations

import datetime as dt
import re

import pygame

from game.ui.results import (casualty_rows, draw_chart, draw_people_table, ledger_arrangement,
                             ledger_rects, people_rows)
from game.ui.style import BAD, BG, BRASS, EDGE, GOOD, INK, MUTED, PANEL, Fonts, sz
from game.ui.widgets import wrap

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



_TURN_TEXT = re.compile(r"Turn (\d+)\b")


def log_lines(entries, calendar) -> list[tuple[str, bool]]:
    """The event log as (text, is_heading) lines: a heading with the date where each turn
    begins, then what was seen in it. ``entries`` are (turn, kind, text), the turn being the
    one in which the command was given (so the events of an end of turn belong to the turn
    that ends, up to its "new_turn" event, which becomes the next heading). ``calendar`` gives
    the game's ``start_date`` and ``turn_days`` (a ``SideView`` does)."""
    out: list[tuple[str, bool]] = []
    shown = 0
    for turn, kind, text in entries:
        if kind == "new_turn":
            m = _TURN_TEXT.match(text)
            turn = int(m.group(1)) if m else shown + 1
        if turn > shown:
            shown = turn
            date = calendar.start_date + dt.timedelta(days=(turn - 1) * calendar.turn_days)
            out.append((f"Turn {turn} \u00b7 {date.day} {date:%B %Y}", True))
        if kind != "new_turn":
            out.append((text, False))
    return out


TOOLTIP_DELAY = 0.6  # seconds the pointer rests on a hex before its tooltip shows


class Panels:
    """Every panel of the battle screen, laid out apart and drawn from what the scene's viewer
    may know (``scene.known``) and the orders being prepared."""

    MIN_LOG = 90  # pixels at scale 1 the event log keeps, however much the unit panel needs

    def __init__(self, scene):
        self.sc = scene
        self.top = CachedPanel()
        self.side = CachedPanel()
        self.logp = CachedPanel()
        self.bottom = CachedPanel()
        self.ledger = CachedPanel()
        self.message = CachedPanel()
        self.tip = CachedPanel()
        self.info_scroll = 0  # pixels the unit panel is scrolled by
        self.info_full = 0  # height its rows need
        self.log_scroll = 0
        # The ledger's page where chart and table take one each, and what it showed last.
        self.ledger_page = "chart"
        self.ledger_shown: tuple[str, ...] = ()
        self.ledger_people: list = []
        self.rects: dict[str, pygame.Rect] = {}
        self.buttons = [Button("Undo", "undo"), Button("Ledger", "ledger"),
                        Button("Menu", "menu"), Button("End turn", "end_turn")]
        self.menu_buttons = [Button(label, action) for label, action in (
            ("Resume", "resume"), ("Save game", "save"), ("Load game", "load"),
            ("Settings", "settings"), ("Help", "help"), ("Main menu", "main_menu"),
            ("Quit", "quit"))]
        self.confirm_buttons: list[Button] = []

    def reset(self) -> None:
        for p in (self.top, self.side, self.logp, self.bottom, self.ledger, self.message, self.tip):
            p.key = None

    @property
    def fonts(self):
        return self.sc.fonts

    @property
    def scale(self) -> float:
        return self.sc.scale

    # -- layout ------------------------------------------------------------------------------------

    def layout(self, size) -> dict[str, pygame.Rect]:
        """The rectangles of the map and of each panel for a window of ``size``."""
        sc = self.sc
        w, h = size
        top_h = sz(40, self.scale)
        bottom_h = sz(26, self.scale)
        panel_w = min(sz(340, self.scale), max(240, w // 3))
        mid = max(1, h - top_h - bottom_h)
        map_rect = pygame.Rect(0, top_h, max(1, w - panel_w), mid)
        right = pygame.Rect(map_rect.right, top_h, w - map_rect.right, mid)
        rects = {"top": pygame.Rect(0, 0, w, top_h), "map": map_rect,
                 "bottom": pygame.Rect(0, h - bottom_h, w, bottom_h)}
        if sc.show_log:
            min_log = min(right.h // 2, sz(self.MIN_LOG, self.scale))
            want = self.info_full or int(right.h * 0.62)
            # The unit panel takes what an attack's odds need; the log keeps at least min_log.
            info_h = max(int(right.h * 0.62), min(want, right.h - min_log))
            info_h = min(info_h, right.h - min_log)
            rects["info"] = pygame.Rect(right.x, right.y, right.w, info_h)
            rects["log"] = pygame.Rect(right.x, right.y + info_h, right.w, right.h - info_h)
        else:
            rects["info"] = right
        self.rects = rects
        return rects

    def overlay_rects(self) -> dict[str, pygame.Rect]:
        """The panels drawn inside the map this frame (the minimap, the tutorial's coach box,
        the tooltip): they keep clear of each other and of the labels on the map."""
        sc = self.sc
        out = {}
        if sc.minimap.visible:
            out["minimap"] = pygame.Rect(sc.minimap.rect)
        coach = getattr(sc, "coach_rect", None)
        if coach:
            out["coach"] = pygame.Rect(coach)
        if self._tip_rect is not None:
            out["tooltip"] = pygame.Rect(self._tip_rect)
        return out

    _tip_rect: pygame.Rect | None = None

    # -- the top bar ---------------------------------------------------------------------------------

    def draw_top(self, screen) -> None:
        sc = self.sc
        s = sc.known
        my = sc.orders.my_turn()
        self.buttons[0].enabled = my and sc.session.can_undo
        over = s.over
        self.buttons[3].label = "Results" if over else "End turn"
        self.buttons[3].enabled = my or over
        rect = self.rects["top"]
        w, top_h = rect.size
        pad = sz(8, self.scale)
        x = w - pad
        for b in reversed(self.buttons):
            bw, bh = b.size(self.fonts)
            b.rect = pygame.Rect(x - bw, (top_h - bh) // 2, bw, bh)
            x -= bw + pad
        mover = s.active_side
        who = sc.played_by(mover)
        thinking = sc.ai.running
        limit = self.buttons[0].rect.x - pad
        key = (s.turn, s.date, mover, sc.viewer, thinking, w, self.scale, s.over, limit,
               tuple((b.enabled, b.label) for b in self.buttons), sc.style_key)
        f = self.fonts
        what_ifs = sc.session.what_ifs()  # the switches this game turned from history

        def render():
            surf = pygame.Surface((w, top_h))
            surf.fill(BG)
            pygame.draw.line(surf, EDGE, (0, top_h - 1), (w, top_h - 1))
            x = pad
            if s.over:
                won = f"{sc.session.side_name(s.winner)} won" if s.winner else "a draw"
                mover_part = (f"Game over: {won}", f.head,
                              sc.side_colour(s.winner) if s.winner else INK)
            else:
                mover_part = (f"{sc.session.side_name(mover)} to move", f.head,
                              sc.side_colour(mover))
            parts = [(s.date.strftime("%d %B %Y").lstrip("0"), f.head, INK), mover_part,
                     (f"Turn {s.turn} of {s.end_turn}", f.body, MUTED),
                     ("the computer is thinking..." if thinking else f"played by {who}", f.body,
                      BRASS if thinking else MUTED),
                     ("viewing: everything, the game is over" if s.over else
                      "viewing: everything (V: one side's view)" if sc.viewer is None else
                      f"viewing: {sc.session.side_name(sc.viewer)}", f.body, MUTED)]
            # The switches this game turned from history, where there is room (the overview
            # in the side panel names them too).
            parts += [(f"what-if: {o.title}", f.body, BRASS) for o in what_ifs]
            for text, fnt, colour in parts:
                t = fnt.render(text, True, colour)
                if x + t.get_width() > limit:
                    continue  # a narrow window drops what does not fit
                surf.blit(t, (x, (top_h - t.get_height()) // 2))
                x += t.get_width() + sz(18, self.scale)
            return surf

        screen.blit(self.top.get(key, render), rect.topleft)
        for b in self.buttons:
            b.draw(screen, f, b.rect.collidepoint(sc.mouse))

    # -- the unit panel ------------------------------------------------------------------------------

    def draw_info(self, screen) -> None:
        sc = self.sc
        r = self.rects["info"]
        o = sc.orders
        u = o.unit(o.selected)
        ukey = None if u is None else (u.id, u.personnel, u.wounded, u.shaken, u.killed,
                                       u.moves_left, u.entrenchment, u.morale, u.supplied,
                                       u.attacked, tuple(u.equipment.items()))
        pkey = None if o.preview is None else (id(o.preview), o.target, tuple(o.attackers),
                                               o.mission)
        key = (sc.world_key, ukey, pkey, sc.hover if o.preview is None else None, o.mission,
               r.size, o.my_turn(), self.scale, self.info_scroll, sc.style_key)
        pad = sz(10, self.scale)

        def render():
            surf = pygame.Surface(r.size)
            surf.fill(PANEL)
            body = lines_surface(sc.info_rows(), r.w, pad, bg=PANEL)
            full = body.get_height()
            if full != self.info_full:
                self.info_full = full
                sc.relayout()  # the log makes room for the odds
            self.info_scroll = max(0, min(self.info_scroll, full - r.h))
            surf.blit(body, (0, -self.info_scroll))
            if full > r.h:  # more below or above: a scroll bar, and the wheel scrolls
                bar_h = max(20, r.h * r.h // full)
                y = (r.h - bar_h) * self.info_scroll // max(1, full - r.h)
                pygame.draw.rect(surf, EDGE, (r.w - 5, y, 4, bar_h), border_radius=2)
            pygame.draw.line(surf, EDGE, (0, 0), (0, r.h), 1)
            return surf

        screen.blit(self.side.get(key, render), r.topleft)

    def scroll_info(self, step: int) -> None:
        self.info_scroll = max(0, self.info_scroll - step * sz(40, self.scale))

    # -- the event log -----------------------------------------------------------------------------

    def draw_log(self, screen) -> None:
        sc = self.sc
        rect = self.rects.get("log")
        if rect is None:
            return
        lines = sc.log_lines()
        key = (len(lines), lines[-1] if lines else "", self.log_scroll, rect.size, self.scale)
        f = self.fonts
        pad = sz(8, self.scale)

        def render():
            surf = pygame.Surface(rect.size)
            surf.fill((26, 30, 24))
            pygame.draw.line(surf, EDGE, (0, 0), (rect.w, 0))
            head = f.bold.render("Event log", True, BRASS)
            surf.blit(head, (pad, pad // 2))
            hint = f.small.render("O hides, wheel scrolls", True, MUTED)
            if head.get_width() + hint.get_width() + 3 * pad <= rect.w:
                surf.blit(hint, (rect.w - hint.get_width() - pad,
                                 pad // 2 + head.get_height() - hint.get_height()))
            y = rect.h - pad
            shown = lines[:max(1, len(lines) - self.log_scroll)] if self.log_scroll else lines
            for text, heading in reversed(shown[-60:]):
                fnt = f.bold if heading else f.small
                wrapped = wrap(text, fnt, rect.w - 2 * pad)
                for k in range(len(wrapped) - 1, -1, -1):
                    colour = BRASS if heading else INK if k == 0 else MUTED
                    t = fnt.render(wrapped[k], True, colour)
                    y -= t.get_height()
                    if y < head.get_height() + pad:
                        break
                    surf.blit(t, (pad, y))
                if y < head.get_height() + pad:
                    break
                if heading:  # a rule over each turn's heading
                    y -= 3
                    pygame.draw.line(surf, EDGE, (pad, y), (rect.w - pad, y))
                    y -= 2
                y -= 2
            pygame.draw.line(surf, EDGE, (0, 0), (0, rect.h), 1)
            return surf

        screen.blit(self.logp.get(key, render), rect.topleft)

    # -- the bottom bar ----------------------------------------------------------------------------

    def draw_bottom(self, screen) -> None:
        sc = self.sc
        rect = self.rects["bottom"]
        w, bh = rect.size
        hover = sc.hover
        toast = sc.toast[:2] if sc.toast else None
        overlays = tuple(sorted(sc.overlays))
        key = (hover, toast, w, sc.view.level, self.scale, overlays)
        f = self.fonts

        def render():
            surf = pygame.Surface((w, bh))
            surf.fill(BG)
            pygame.draw.line(surf, EDGE, (0, 0), (w, 0))
            on = ", ".join(OVERLAY_NAMES[o] for o in overlays if o in OVERLAY_NAMES)
            right = f"{'showing ' + on + '   ' if on else ''}zoom {sc.view.level + 1}/" \
                    f"{len(sc.view.levels)}   F1: keys and legend"
            zoom = f.small.render(right, True, MUTED)
            surf.blit(zoom, (w - zoom.get_width() - 10, (bh - zoom.get_height()) // 2))
            if toast:
                text, colour = toast
            elif hover is not None:
                text, colour = sc.describe_hex(hover), INK
            else:
                text, colour = ("Drag or arrows to pan, wheel to zoom, click a unit to order it",
                                MUTED)
            t = f.body.render(text, True, colour)
            surf.blit(t, (10, (bh - t.get_height()) // 2),
                      pygame.Rect(0, 0, max(0, w - zoom.get_width() - 30), t.get_height()))
            return surf

        screen.blit(self.bottom.get(key, render), rect.topleft)

    # -- the tooltip -------------------------------------------------------------------------------

    def draw_tooltip(self, screen) -> None:
        """Over the hovered hex, after the pointer rests a moment: its terrain, what it costs
        the selected unit to enter and how it defends, river and road, who holds it, the units
        seen there."""
        sc = self.sc
        self._tip_rect = None
        h = sc.hover
        if h is None or sc.hover_still < TOOLTIP_DELAY or sc.tip_held is not None \
                or sc.orders.preview is not None \
                or sc.dragging:
            return
        rows = sc.tooltip_rows(h)
        if not rows:
            return
        width = min(sz(300, self.scale), sc.map_rect.w // 2)
        pad = sz(7, self.scale)
        key = (h, sc.world_key, sc.orders.selected, width, self.scale)

        def render():
            surf = lines_surface(rows, width, pad, bg=(24, 28, 22, 240), gap=1)
            pygame.draw.rect(surf, EDGE, surf.get_rect(), 1)
            return surf

        surf = self.tip.get(key, render)
        mx, my = sc.mouse
        box = surf.get_rect(topleft=(mx + 18, my + 18))
        area = sc.map_rect
        if box.right > area.right:
            box.right = mx - 12
        if box.bottom > area.bottom:
            box.bottom = my - 12
        box.clamp_ip(area)
        mm = sc.minimap.rect if sc.minimap.visible else None
        if mm is not None and box.colliderect(mm):
            box.top = mm.bottom + 4
            box.clamp_ip(area)
        coach = getattr(sc, "coach_rect", None)
        if coach and box.colliderect(coach):
            box.bottom = coach.top - 4
        self._tip_rect = box
        screen.blit(surf, box)

    # -- the ledger --------------------------------------------------------------------------------

    def draw_ledger(self, screen) -> None:
        """The casualty ledger as the results screen draws it: bars per category, the game's
        killed beside the source's, and the table of the people out of the fight by faction
        (only the viewer's own while the game is on), beside or under the chart where the
        map has room for both, else on a page of its own that Tab turns to."""
        sc = self.sc
        area = sc.map_rect.inflate(-40, -40)
        if area.w < 240 or area.h < 160:  # a small window: the chart takes the whole map
            area = pygame.Rect(sc.map_rect)
        # A what-if game sets its losses beside history's setting, played in the background:
        # the ledger is drawn again as that game goes on and when it is there.
        job = sc.session.history_reference()
        if job is not None:
            job.poll()
        ref_key = None if job is None else (job.running, job.progress, job.error)
        key = (sc.world_key, area.size, self.scale, self.ledger_page, ref_key)
        f = self.fonts

        def render():
            pad = sz(14, self.scale)
            own_only = sc.viewer is not None and not sc.known.over
            rows, figures = casualty_rows(sc.session, sc.viewer)
            people = people_rows(sc.session, sc.viewer)
            head = f.big.get_height() + f.small.get_height()  # the title's and the hint's
            content = pygame.Rect(pad, pad * 2 + head, area.w - 2 * pad, area.h - 3 * pad - head)
            arrangement = ledger_arrangement(content.size, len(rows), people, self.scale)
            self.ledger_shown = (self.ledger_page,) if arrangement == "page" else ("chart", "table")
            self.ledger_people = people
            title = f.big.render("Casualty ledger: your side's losses beside the source"
                                 if own_only else "Casualty ledger: the game beside the source",
                                 True, BRASS)
            turn = ""
            if arrangement == "page":
                turn = ("Tab: killed beside the source \u00b7 " if self.ledger_page == "table"
                        else "Tab: out of the fight by faction \u00b7 ")
            hint = f.small.render(turn + ("the enemy's are counted at the end \u00b7 "
                                          if own_only else "") + "L or click to close",
                                  True, BRASS if turn else MUTED)
            turned = sc.session.what_ifs()  # a game turned from history: the source is history's
            if turned:
                said = "what-if: " + ", ".join(o.title for o in turned) + ", not history \u00b7 "
                if job is not None and job.running:
                    turn_of = job.progress
                    said += ("history's setting being played" +
                             (f" ({turn_of[0]}/{turn_of[1]})" if turn_of[1] else "") + " \u00b7 ")
                if f.small.size(said)[0] + hint.get_width() > area.w - 2 * pad:
                    said = "a what-if, not history \u00b7 "
                hint = f.small.render(said + turn + ("the enemy's are counted at the end \u00b7 "
                                                     if own_only else "") + "L or click to close",
                                      True, BRASS)
            chart_rect, table_rect = ledger_rects(content, arrangement, len(rows), people,
                                                  self.scale)
            # As tall as what it shows: the map stays in sight under a short ledger.
            used = content.bottom if arrangement == "page" else \
                max(chart_rect.bottom, table_rect.bottom)
            surf = pygame.Surface((area.w, min(area.h, used + pad)), pygame.SRCALPHA)
            surf.fill((24, 28, 22, 252))
            pygame.draw.rect(surf, BRASS, surf.get_rect(), 2)
            surf.blit(title, (pad, pad))
            surf.blit(hint, (pad, pad + title.get_height()))  # under it: never over it
            if "chart" in self.ledger_shown and chart_rect.w > 200 and chart_rect.h > 120:
                chart = draw_chart(chart_rect.size, rows, figures,
                                   f"turn {sc.known.turn} of {sc.known.end_turn}")
                surf.blit(chart, chart_rect)
            if "table" in self.ledger_shown and table_rect.w > 0 and table_rect.h > 0:
                surf.blit(draw_people_table(
                    table_rect.size, people, self.scale,
                    "Out of the fight, by faction: yours" if own_only
                    else "Out of the fight, by faction"), table_rect)
            return surf

        surf = self.ledger.get(key, render)
        screen.blit(surf, area)

    def turn_ledger_page(self) -> None:
        """The ledger's other page (the chart of the killed, the table of the people out of
        the fight) where the map has no room for both at once."""
        self.ledger_page = "table" if self.ledger_page == "chart" else "chart"

    # -- boxes -------------------------------------------------------------------------------------

    def draw_message(self, screen) -> None:
        sc = self.sc
        title, lines = sc.messages[0]
        more = len(sc.messages) - 1
        st = sc.known
        key = (id(sc.messages[0]), more, sc.map_rect.size, self.scale, st.turn)

        def render():
            foot = "Click or press Enter to go on" + (f" ({more} more)" if more else "")
            items = [f"\u2022 {x}" for x in lines] if len(lines) > 1 else lines
            return modal_box(self.fonts, f"{title} \u00b7 turn {st.turn}, {st.date.day} "
                             f"{st.date:%B %Y}", items,
                             max(120, min(sz(600, self.scale), sc.map_rect.w - 40)), foot)

        box = self.message.get(key, render)
        shade = pygame.Surface(sc.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 90))
        screen.blit(shade, (0, 0))
        box_rect = box.get_rect(center=sc.map_rect.center)
        if box_rect.h > sc.map_rect.h:  # a long page of news: its top and the way on shown
            box_rect.top = sc.map_rect.top
        screen.blit(box, box_rect)

    def draw_menu(self, screen) -> None:
        self._box(screen, "Paused", [], self.menu_buttons)

    def draw_confirm(self, screen) -> None:
        """A question before a step that cannot be taken back: its text and its buttons."""
        sc = self.sc
        title, lines, buttons = sc.confirm
        self.confirm_buttons = buttons
        self._box(screen, title, lines, buttons)

    def _box(self, screen, title_text: str, lines: list[str], buttons: list[Button]) -> None:
        sc = self.sc
        shade = pygame.Surface(sc.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 140))
        screen.blit(shade, (0, 0))
        f = self.fonts
        gap = sz(8, self.scale)
        title = f.big.render(title_text, True, BRASS)
        bw = max([b.size(f)[0] for b in buttons] + [title.get_width()]) + sz(60, self.scale)
        text_w = max(bw, min(sz(460, self.scale), sc.size[0] - 40))
        body = [t for line in lines for t in wrap(line, f.body, text_w)]
        rendered = [f.body.render(t, True, INK) for t in body]
        bh = buttons[0].size(f)[1] + sz(4, self.scale) if buttons else 0
        h = title.get_height() + gap * 3 + sum(r.get_height() + 2 for r in rendered) \
            + (gap if rendered else 0) + len(buttons) * (bh + gap)
        box = pygame.Rect(0, 0, max(bw, text_w if rendered else bw) + 2 * gap * 2, h + gap)
        box.center = (sc.size[0] // 2, sc.size[1] // 2)
        pygame.draw.rect(screen, PANEL, box, border_radius=6)
        pygame.draw.rect(screen, BRASS, box, 2, border_radius=6)
        screen.blit(title, title.get_rect(midtop=(box.centerx, box.y + gap * 2)))
        y = box.y + title.get_height() + gap * 3
        for r in rendered:
            screen.blit(r, (box.x + gap * 2, y))
            y += r.get_height() + 2
        if rendered:
            y += gap
        for b in buttons:
            b.rect = pygame.Rect(box.centerx - bw // 2, y, bw, bh)
            b.draw(screen, f, b.rect.collidepoint(sc.mouse))
            y += bh + gap


OVERLAY_NAMES = {"supply": "supply", "zoc": "enemy zones of control", "control": "town control",
                 "air": "air zones"}


__all__ = ["BAD", "BG", "BRASS", "Button", "CachedPanel", "EDGE", "Fonts", "GOOD", "INK", "MUTED",
           "OVERLAY_NAMES", "PANEL", "Panels", "lines_surface", "log_lines", "modal_box", "sz",
           "wrap"]
