"""The end of a game: who won and why, when it ended, and what it cost beside history.

UI layer (pygame, pygame_gui). ``ResultsScene`` reads the finished game through the session
(``Session.view(None)``, the final position uncovered, and ``Session.ledger``): its result,
winner, turn and date; says how each side stood against its victory conditions
(``game.victory.describe``) and what happened in history, and draws the game's casualties
beside the source's figures for the phase (``game.ledger`` and ``game.ui.charts``). It takes
the battle screen's place; pushed over it instead, it offers "View final map", which uncovers it.
It keeps nothing that one showing uses up, so the battle screen may push it again (a new
``ResultsScene(app, session)``, or the same one) as often as the player asks.

``aim_text`` says a victory condition in words, naming towns and forces by their names; the
new-game screen uses it for each side's aims before a game starts.
"""

from __future__ import annotations

import pygame
from pygame_gui.elements import UIButton, UILabel, UITextBox

from game.ui import widgets as W
from game.ui.navigator import Navigator


def aim_text(state, cond: dict, hexmap=None) -> str:
    """A victory condition in words, with how far its side has got (``game.victory.describe``):
    the scenario's own words, or words made from the names of the towns or forces it names."""
    from game.victory import describe

    if not cond.get("text"):
        cond = dict(cond, text=_own_words(state, cond, hexmap))
    try:
        return describe(state, cond, state.side_names)
    except (KeyError, TypeError):
        return cond.get("text") or cond.get("kind", "")


def _own_words(state, cond: dict, hexmap) -> str:
    from game.victory import condition_text

    if cond.get("kind") == "destroy":
        names = [state.factions[f].name if f in state.factions else f
                 for f in cond.get("factions", [])]
        if not names:
            return ""
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Destroy the forces of {listed}"

    def town(cid):
        city = hexmap.find_city(cid) if hexmap is not None else None
        return city.name if city is not None else str(cid)

    return condition_text(dict(cond, cities=[town(c) for c in cond.get("cities", [])]))


class ResultsScene(W.GuiScene):
    DESIGN = (1000, 680)

    def __init__(self, app, session):
        super().__init__(app)
        self.session = session
        self._chart: pygame.Surface | None = None
        self.chart_rect = pygame.Rect(0, 0, 0, 0)
        self.rows, self.figures_title = casualty_rows(session)
        self.map_button = None

    def over_the_battle(self) -> bool:
        """True when the battle of this game lies just beneath: "View final map" uncovers it."""
        below = self.app.below(self)
        return below is not None and getattr(below, "session", None) is self.session

    def enter(self):
        # Pushed again, over the battle or not: the buttons follow what lies beneath now.
        if self.manager is not None and (self.map_button is not None) != self.over_the_battle():
            self.rebuild()

    # -- what to say -----------------------------------------------------------------------

    def headline(self) -> str:
        st = self.session.view(None)
        if not st.over:
            return "The game goes on"
        if st.winner is None:
            return "A draw"
        return f"Victory: {st.side_names.get(st.winner, st.winner)}"

    def lines(self) -> list[tuple[str, tuple]]:
        """(text, colour) lines under the headline."""
        st = self.session.view(None)
        setup = self.session.game.setup
        out = []
        if st.result:
            out.append((st.result, W.INK))
        out.append((f"The game ended on turn {st.turn} of {st.end_turn}, {st.date.day} "
                    f"{st.date:%B %Y}." if st.over else
                    f"Turn {st.turn} of {st.end_turn}, {st.date.day} {st.date:%B %Y}.", W.MUTED))
        conds = setup.get("victory", [])
        # The condition that decided the game: the winner's whose words the result quotes.
        winning = next((c for c in conds if c["side"] == st.winner
                        and (c.get("text") or c["kind"]) in st.result), None)
        for cond in conds:
            side = cond["side"]
            text = aim_text(st, cond, self.session.game.hexmap)
            won = cond is winning
            out.append((f"\u2022 {st.side_names.get(side, side)}: {text}"
                        + ("  \u2014 met" if won else ""), W.GOOD if won else W.INK))
        history = setup.get("history") or {}
        said = " ".join((history.get("outcome") or "").split())
        won = history.get("winner")
        if won:
            said = f"the {st.side_names.get(won, won)} won. {said}".strip()
        if said:
            out.append((f"In history, {said}" if won else f"In history: {said}", W.MUTED))
        return out

    # -- layout ----------------------------------------------------------------------------

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        margin = px(28)
        bh = px(46)
        by = h - margin - bh
        x = w - margin
        self.quit_button = UIButton(pygame.Rect(x - px(140), by, px(140), bh), "Quit", m)
        x -= px(140) + px(12)
        self.menu_button = UIButton(pygame.Rect(x - px(180), by, px(180), bh), "Main menu", m,
                                    object_id="#primary")
        x -= px(180) + px(12)
        self.map_button = None
        if self.over_the_battle():
            self.map_button = UIButton(pygame.Rect(x - px(200), by, px(200), bh),
                                       "View final map", m)
        self.focusable = [b for b in (self.menu_button, self.map_button, self.quit_button) if b]
        self.focus = 0
        style, headline = W.title_style(self.headline(), w - 2 * margin - px(8), self.scale)
        UILabel(pygame.Rect(margin, margin, w - 2 * margin, px(70)), headline, m,
                object_id=style)
        top = margin + px(76)
        width = w - 2 * margin
        # The text takes what it needs, unless the chart would then be too cramped to read:
        # then the text scrolls in its box.
        body = W.font(W.scaled(W.BODY, self.scale))
        lines = self.lines()
        pad = px(8)
        n = sum(len(W.wrap(t, body, width - 2 * pad - px(20))) for t, _ in lines)
        text_h = int(n * body.get_linesize() * 1.3) + 2 * pad + px(8)
        # The chart is drawn at its own type sizes and enlarged with the interface (never
        # shrunk: its small print is small enough), so its heights grow with the scale too.
        self.chart_zoom = max(1.0, self.scale)
        zoom = self.chart_zoom
        chart_min = int((92 + 22 * max(1, len(self.rows))) * zoom)  # its smallest readable rows
        text_h = max(px(100), min(text_h, by - px(16) - top - chart_min - px(12)))
        html = "<br>".join(f'<font color="{W.hex_colour(c)}">{W.escape(t)}</font>' for t, c in lines)
        self.text = UITextBox(html, pygame.Rect(margin, top, width, text_h), m, object_id="#plain")
        chart_top = top + text_h + px(12)
        want = int((48 + 44 + 30 * max(1, len(self.rows))) * zoom)
        chart_h = max(px(140), min(by - px(16) - chart_top, want))
        self.chart_rect = pygame.Rect(margin, chart_top, width, chart_h)
        self._chart = None

    def chart(self) -> pygame.Surface:
        if self._chart is None:
            w, h = self.chart_rect.size
            zoom = getattr(self, "chart_zoom", 1.0)
            size = (round(w / zoom), round(h / zoom))
            chart = draw_chart(size, self.rows, self.figures_title, self.session.view(None).title)
            self._chart = chart if size == (w, h) else pygame.transform.smoothscale(chart, (w, h))
        return self._chart

    def draw(self, screen):
        W.draw_backdrop(screen)
        if self.chart_rect.h > 0 and self.chart_rect.w > 0:
            screen.blit(self.chart(), self.chart_rect)
        self.manager.draw_ui(screen)
        self.draw_focus(screen)

    # -- input -----------------------------------------------------------------------------

    def on_button(self, button):
        if button is self.menu_button:
            self.to_menu()
        elif button is self.quit_button:
            self.app.quit(0)
        elif button is self.map_button:
            self.app.pop()

    def to_menu(self):
        Navigator(self.app).main_menu(reset=True)

    def back(self):
        if self.map_button is not None:
            self.app.pop()
        else:
            self.to_menu()


def casualty_rows(session, side: str | None = None) -> tuple[list[tuple], str]:
    """The chart's rows (label, game, source, low, high) and the title of the figures: the
    phase's own historical figures if the scenario gives them, else the whole war's scaled
    to the phase's share of its days. With ``side``, while the game is on, only that side's
    own categories and the civilians: it does not know the enemy's losses."""
    from game.ledger import HistoryError

    st = session.view(None)
    figures = (session.game.setup.get("history") or {}).get("casualties") or None
    try:
        table = session.ledger(side)
    except (HistoryError, ValueError, KeyError) as exc:
        return [], f"no historical figures ({exc})"
    # Set against the whole war, only the categories of the factions in this game are drawn
    # (a game of Mosul in 2014 has no bar for the Syrian government of 2025).
    in_play = {f.category for f in table.ledger.factions.values() if f.id in st.factions}
    own = None
    if side is not None and not st.over:
        own = {f.category for f in table.ledger.factions.values()
               if f.id in st.factions and st.factions[f.id][1] == side}
    rows = []
    for r in table.categories + [table.civilians]:
        src = None if r.expected is None else int(round(r.expected))
        wanted = r is table.civilians or figures is not None or r.id in in_play
        if own is not None and r is not table.civilians and r.id not in own:
            continue  # the enemy's losses are known at the end
        if r.game or (src and wanted):
            rows.append((r.label, r.game, src, r.game, r.game))
    title = "the phase in history" if figures else (
        f"the whole war, scaled to this phase ({table.scale:.0%} of its days)")
    return rows, title


def draw_chart(size, rows, figures_title: str, game_title: str) -> pygame.Surface:
    from game.ui.charts import GAME_COLOUR, INK, PAPER, SOURCE_COLOUR, draw_casualties

    surf = pygame.Surface(size)
    surf.fill(PAPER)
    rect = pygame.Rect(0, 0, size[0], size[1])  # draw_casualties leaves room for its figures
    if not rows:
        surf.fill(PAPER)
        f = W.font(16)
        W.blit_text(surf, "No one was killed in this game, and the source gives no figures.",
                    f, INK, rect.center, "center")
        return surf
    # A height at which the axis's figures end above the chart's legend (its rows are
    # (height - 88) // n pixels, its legend the last 24), so that the legend can be replaced.
    n = len(rows)
    row_h = max(22, (size[1] - 92) // n)
    rect.h = min(size[1], 92 + row_h * n)
    draw_casualties(surf, rect, rows, f"Killed in this game beside {figures_title}")
    # One game has no spread: a legend of its own in place of the chart's.
    strip = pygame.Rect(0, rect.bottom - 24, size[0], 24)
    surf.fill(PAPER, strip)
    f = W.font(13)
    x = rect.x + 16
    for name, colour in ((f"this game ({game_title})", GAME_COLOUR), ("the source", SOURCE_COLOUR)):
        pygame.draw.rect(surf, colour, (x, strip.y + 2, 14, 14))
        r = W.blit_text(surf, name, f, INK, (x + 20, strip.y))
        x = r.right + 32
    return surf
