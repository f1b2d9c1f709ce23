"""The end of a game: who won and why, when it ended, and what it cost beside history.

UI layer (pygame, pygame_gui). ``ResultsScene`` reads the finished game through the session
(``Session.view(None)``, the final position uncovered, and ``Session.ledger``): its result,
winner, turn and date; says how each side stood against its victory conditions
(``game.victory.describe``) and what happened in history, each of the source's dated events
beside the game's (``game.history``), and draws the game's casualties
beside the source's figures for the phase (``game.ledger`` and ``game.ui.charts``), and under
or beside the chart, or on a page of its own that a button turns to when the window has no
room for both, the people each faction had put out of the fight (``people_rows``,
``draw_people_table``). It takes
the battle screen's place; pushed over it instead, it offers "View final map", which uncovers it.
It keeps nothing that one showing uses up, so the battle screen may push it again (a new
``ResultsScene(app, session)``, or the same one) as often as the player asks.

The battle screen's ledger (``game.ui.battle_panels``) draws the same chart and table of one
side's own losses while the game is on, through ``casualty_rows``, ``people_rows``,
``ledger_arrangement`` and ``ledger_rects``.

``aim_text`` says a victory condition in words, naming towns and forces by their names; the
new-game screen uses it for each side's aims before a game starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame
from pygame_gui.elements import UIButton, UILabel, UITextBox

from game.history import event_line, timing
from game.ledger import HistoryError
from game.ui import widgets as W
from game.ui.charts import (GAME_COLOUR, INK as CHART_INK, PAPER, REFERENCE_COLOUR, SOURCE_COLOUR,
                            draw_casualties)
from game.ui.navigator import Navigator
from game.ui.style import BAD, BG, BRASS, EDGE, INK, MUTED, Fonts, sz
from game.victory import condition_text, describe


def aim_text(state, cond: dict, hexmap=None) -> str:
    """A victory condition in words, with how far its side has got (``game.victory.describe``):
    the scenario's own words, or words made from the names of the towns or forces it names."""
    if not cond.get("text"):
        cond = dict(cond, text=_own_words(state, cond, hexmap))
    try:
        return describe(state, cond, state.side_names)
    except (KeyError, TypeError):
        return cond.get("text") or cond.get("kind", "")


def _own_words(state, cond: dict, hexmap) -> str:
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
        self._table: pygame.Surface | None = None
        self.chart_rect = pygame.Rect(0, 0, 0, 0)
        self.table_rect = pygame.Rect(0, 0, 0, 0)
        self.rows, self.figures_title = casualty_rows(session)
        self.people = people_rows(session)
        self.arrangement = "above"  # of the chart and the table: "beside", "above" or "page"
        self.page = "chart"  # the one shown when they take a page each: "chart" or "table"
        self.map_button = None
        self.page_button = None

    def update(self, dt: float) -> None:
        super().update(dt)
        # A what-if game's results wait for history's setting, played in the background: when
        # it comes (or cannot), the words and the chart take it in.
        job = self.session.history_reference()
        if job is None or not job.running:
            return
        self._polled = getattr(self, "_polled", 0.0) + dt
        if self._polled < 0.5:
            return
        self._polled = 0.0
        job.poll()
        if not job.running:
            self.rows, self.figures_title = casualty_rows(self.session)
            if self.manager is not None:
                self.rebuild()

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
        turned = self.session.what_ifs()
        if turned:
            names = "; ".join(o.title for o in turned)
            out.append((f"A what-if: this game departed from history. {names}.", W.BRASS))
            beside = reference_words(self.session)
            if beside is not None:
                out.append(beside)
        # History and its dated events before the aims: the result's line names the aim that
        # decided the game already, and a small window shows the first lines without scrolling.
        history = setup.get("history") or {}
        said = " ".join((history.get("outcome") or "").split())
        won = history.get("winner")
        if won:
            said = f"the {st.side_names.get(won, won)} won. {said}".strip()
        if said:
            out.append((f"In history, {said}" if won else f"In history: {said}", W.MUTED))
        out += self.event_lines()
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
        return out

    def event_lines(self) -> list[tuple[str, tuple]]:
        """The source's dated events beside this game's, a line each (``game.history``): green
        when a defining one came on time, red when it did not; the others, shown for what they
        are, quieter. The whole timeline is read: at the end nothing of it is hidden."""
        rows, as_history = self.session.history()
        out = []
        verdict = self.verdict(rows, as_history)
        if verdict:
            out.append(verdict)
        for row in rows:
            colour = (W.GOOD if row["on_time"] else BAD) if row["defining"] else W.MUTED
            out.append((f"\u2022 {event_line(row, days=False)}", colour))
        return out

    def verdict(self, rows, as_history: bool) -> tuple[str, tuple] | None:
        """Whether the finished game went as history did, and if not, why: the other winner,
        the defining events that came early, late or never."""
        st = self.session.view(None)
        history = self.session.game.setup.get("history") or {}
        defining = [r for r in rows if r["defining"]]
        if not st.over or not (history.get("winner") or defining):
            return None
        if as_history:
            return ("As in history: the same winner, and every event that marks the phase on "
                    "time.", W.GOOD)
        why = []
        if st.winner != history.get("winner"):
            why.append("another outcome")
        counts = {}
        for r in defining:
            t = timing(r)
            if t != "on time":
                counts[t] = counts.get(t, 0) + 1
        for t in ("early", "late", "never"):
            if counts.get(t):
                n = counts[t]
                why.append(f"{n} event{'s' if n > 1 else ''} " +
                           ("that never came" if t == "never" else f"too {t}"))
        return ("Not as history went: " + ", ".join(why) + ".", BAD)

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
        buttons_left = min(b.rect.left for b in self.focusable)  # the row left of it is free
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
        # The table of the people out of the fight goes beside the chart or under it when the
        # text, at its smallest, leaves room; else each has a page, and a button turns them.
        n_rows = len(self.rows)
        room = (width, by - px(16) - top - px(100) - px(12))
        self.arrangement = ledger_arrangement(room, n_rows, self.people, zoom, zoom)
        chart_min = int((92 + 22 * max(1, n_rows)) * zoom)  # its smallest readable rows
        chart_want = int((48 + 44 + 30 * max(1, n_rows)) * zoom)
        table_h = people_table_height(self.people, zoom,
                                      None if self.arrangement == "beside" else width)
        gap = sz(10, zoom)
        need, want = {"beside": (max(chart_min, table_h), max(chart_want, table_h)),
                      "above": (chart_min + gap + table_h, chart_want + gap + table_h),
                      "page": (chart_min, max(chart_want, table_h))}[self.arrangement]
        text_h = max(px(100), min(text_h, by - px(16) - top - need - px(12)))
        html = "<br>".join(f'<font color="{W.hex_colour(c)}">{W.escape(t)}</font>' for t, c in lines)
        self.text = UITextBox(html, pygame.Rect(margin, top, width, text_h), m, object_id="#plain")
        figures_top = top + text_h + px(12)
        figures = pygame.Rect(margin, figures_top, width,
                              max(px(140), min(by - px(16) - figures_top, want)))
        self.chart_rect, self.table_rect = ledger_rects(figures, self.arrangement, n_rows,
                                                        self.people, zoom, zoom)
        self.page_button = None
        if self.arrangement == "page":
            # The table's page is the whole screen under the headline: the words and the
            # chart are the other page.
            self.table_rect = pygame.Rect(margin, top, width, min(
                by - px(16) - top, people_table_height(self.people, zoom, width)))
            bw = min(px(240), buttons_left - px(12) - margin)
            self.page_button = UIButton(pygame.Rect(margin, by, bw, bh), self._page_label(), m)
            self.focusable.insert(0, self.page_button)
            self.focus = 1
            if self.page == "table":
                self.text.hide()
        self._chart = None
        self._table = None

    def _page_label(self) -> str:
        return "Killed beside the source" if self.page == "table" else "Out of the fight"

    def turn_page(self) -> None:
        """Show the other of the chart and the table, when they take a page each."""
        self.page = "table" if self.page == "chart" else "chart"
        if self.page_button is not None:
            self.page_button.set_text(self._page_label())
            (self.text.show if self.page == "chart" else self.text.hide)()

    def shown(self) -> tuple[str, ...]:
        """What the figures' place shows now: "chart", "table" or both."""
        return (self.page,) if self.arrangement == "page" else ("chart", "table")

    def chart(self) -> pygame.Surface:
        if self._chart is None:
            w, h = self.chart_rect.size
            zoom = getattr(self, "chart_zoom", 1.0)
            size = (round(w / zoom), round(h / zoom))
            chart = draw_chart(size, self.rows, self.figures_title, self.session.view(None).title)
            self._chart = chart if size == (w, h) else pygame.transform.smoothscale(chart, (w, h))
        return self._chart

    def table(self) -> pygame.Surface:
        if self._table is None:
            self._table = draw_people_table(self.table_rect.size, self.people, self.chart_zoom,
                                            "Out of the fight, by faction: every side")
        return self._table

    def draw(self, screen):
        W.draw_backdrop(screen)
        shown = self.shown()
        if "chart" in shown and self.chart_rect.h > 0 and self.chart_rect.w > 0:
            screen.blit(self.chart(), self.chart_rect)
        if "table" in shown and self.table_rect.h > 0 and self.table_rect.w > 0:
            screen.blit(self.table(), self.table_rect)
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
        elif button is self.page_button:
            self.turn_page()

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
    snap = reference_snapshot(session)
    rows = []
    for r in table.categories + [table.civilians]:
        src = None if r.expected is None else int(round(r.expected))
        wanted = r is table.civilians or figures is not None or r.id in in_play
        if own is not None and r is not table.civilians and r.id not in own:
            continue  # the enemy's losses are known at the end
        if snap is None:
            if r.game or (src and wanted):
                rows.append((r.label, r.game, src, r.game, r.game))
            continue
        ref = snap.civilians if r is table.civilians else snap.categories.get(r.id, 0)
        if r.game or ref or (src and wanted):
            rows.append((r.label, r.game, src, r.game, r.game, ref))
    title = "the phase in history" if figures else (
        f"the whole war, scaled to this phase ({table.scale:.0%} of its days)")
    return rows, title


def reference_snapshot(session):
    """History's setting by this game's turn (``game.reference.Snapshot``), for a what-if game
    once the computer has played it; else None."""
    job = session.history_reference()
    ref = job.poll() if job is not None else None
    return None if ref is None else ref.at(session.state.turn)


def reference_words(session) -> tuple[str, tuple] | None:
    """A what-if game's losses beside history's setting on the same seed, in a line (or what
    keeps them from being there yet); None for a game that keeps to history."""
    job = session.history_reference()
    if job is None:
        return None
    ref = job.poll()
    if ref is None:
        if job.error:
            return (f"History's setting could not be played beside this game: {job.error}.",
                    W.MUTED)
        turn, of = job.progress
        where = f" (turn {turn} of {of})" if of else ""
        return (f"History's setting is being played by the computer on this game's seed{where}, "
                "to set beside this game's losses.", W.MUTED)
    st = session.state
    snap = ref.at(st.turn)
    if snap is None:
        return None
    led = session.ledger()
    here = (led.military.game, led.civilians.game)
    when = "at its end" if snap.over else f"by turn {snap.turn}"
    return (f"Beside history's setting, the computer's game without the switch on the same seed "
            f"{when}: {here[0]:,} military killed here against {snap.military:,}, "
            f"{here[1]:,} civilians against {snap.civilians:,}. One pair of games, not a "
            "measured effect: 'mesopotamia simulate --compare' measures it over many.", BRASS)


def draw_chart(size, rows, figures_title: str, game_title: str) -> pygame.Surface:
    surf = pygame.Surface(size)
    surf.fill(PAPER)
    rect = pygame.Rect(0, 0, size[0], size[1])  # draw_casualties leaves room for its figures
    if not rows:
        surf.fill(PAPER)
        f = W.font(16)
        W.blit_text(surf, "No one was killed in this game, and the source gives no figures.",
                    f, CHART_INK, rect.center, "center")
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
    keys = [(f"this game ({game_title})", GAME_COLOUR), ("the source", SOURCE_COLOUR)]
    if any(len(r) > 5 for r in rows):
        keys.append(("history's setting, same seed", REFERENCE_COLOUR))
    for name, colour in keys:
        pygame.draw.rect(surf, colour, (x, strip.y + 2, 14, 14))
        r = W.blit_text(surf, name, f, CHART_INK, (x + 20, strip.y))
        x = r.right + 32
    return surf


# -- out of the fight: the people each faction lost, for good or for a while ---------------------

@dataclass(frozen=True)
class FactionFigures:
    """One faction's people put out of the fight, as the ledger counts them
    (``game.ledger.FactionLosses``): the dead, the wounded and how many of them came back to
    the line, the shaken and how many rallied, the prisoners and the deserters."""

    faction: str
    name: str
    side: str
    side_name: str
    killed: int
    wounded: int
    returned: int
    shaken: int
    rallied: int
    captured: int
    deserted: int

    @property
    def out_of_fight(self) -> int:
        return self.killed + self.wounded + self.shaken + self.captured + self.deserted


# The table's columns after the faction: (heading, field, a figure of the one before it).
PEOPLE_COLUMNS = (("Killed", "killed", False), ("Wounded", "wounded", False),
                  ("back", "returned", True), ("Shaken", "shaken", False),
                  ("rallied", "rallied", True), ("Captured", "captured", False),
                  ("Deserted", "deserted", False))


def people_rows(session, side: str | None = None) -> list[FactionFigures]:
    """Each faction's people out of the fight, side by side in the game's order and the
    hardest hit first. With ``side``, while the game is on, only that side's own factions
    (those with units or with anyone out of the fight): it does not know the enemy's. Else,
    and at the end, every faction that has had anyone out of the fight."""
    st = session.view(None)
    try:
        ledger = session.ledger(side).ledger
    except (HistoryError, ValueError, KeyError):
        return []
    own_only = side is not None and not st.over
    rows = []
    for f in ledger.factions.values():
        if own_only and f.side != side:
            continue  # the session's ledger holds none of them; this says so twice
        m, c = f.manpower, f.by_cause
        row = FactionFigures(f.id, f.name, f.side, st.side_names.get(f.side, f.side) or "Others",
                             f.killed, m.get("wounded", 0), m.get("returned", 0),
                             m.get("shaken", 0), m.get("rallied", 0), c.get("captured", 0),
                             c.get("deserted", 0))
        fielded = own_only and f.id in st.factions and sum(f.now.values()) > 0
        if row.out_of_fight or f.total or fielded:
            rows.append(row)
    order = {s: i for i, s in enumerate(st.sides)}
    rows.sort(key=lambda r: (order.get(r.side, len(order)), -r.out_of_fight, r.name))
    return rows


def _table_lines(rows: list[FactionFigures]) -> list[tuple[str, tuple, bool, bool]]:
    """(label, figures, is a side's total, indented) for each line of the table: a side's
    total over its factions where there is more than one side or faction to add up."""
    sides: dict[str, list[FactionFigures]] = {}
    for r in rows:
        sides.setdefault(r.side, []).append(r)
    lines = []
    for members in sides.values():
        figures = [tuple(getattr(r, f) for _, f, _ in PEOPLE_COLUMNS) for r in members]
        totalled = len(sides) > 1 or len(members) > 1
        if totalled:
            lines.append((members[0].side_name, tuple(map(sum, zip(*figures))), True, False))
        lines += [(r.name, fig, False, totalled) for r, fig in zip(members, figures)]
    return lines


def _row_height(f: Fonts, scale: float) -> int:
    return f.body.get_linesize() + sz(3, scale)


def _figure(n: int) -> str:
    return f"{n:,}" if n else "\u2013"


def _columns(lines, f: Fonts, scale: float) -> tuple[int, list[int]]:
    """The width the faction's names need, and each column's: as wide as its widest figure."""
    gap = sz(10, scale)
    cols = []
    for i, (head, _, _) in enumerate(PEOPLE_COLUMNS):
        widest = max([f.small.size(head)[0]]
                     + [(f.bold if total else f.body).size(_figure(fig[i]))[0]
                        for _, fig, total, _ in lines])
        cols.append(widest + gap)
    names = max([(f.bold if total else f.body).size(label)[0] + (sz(14, scale) if ind else 0)
                 for label, _, total, ind in lines] + [f.small.size("Faction")[0]]) + sz(14, scale)
    return names, cols


def people_table_height(rows: list[FactionFigures], scale: float, width: int | None = None) -> int:
    """The pixels ``draw_people_table`` needs for every line of ``rows`` at ``scale``, its note
    wrapped to ``width`` (its natural width, ``people_table_width``, by default)."""
    f = Fonts(scale)
    n = max(1, len(_table_lines(rows)))
    width = width or people_table_width(rows, scale)
    note = len(W.wrap(_NOTE, f.small, width - 2 * sz(10, scale)))
    return (2 * sz(10, scale) + f.head.get_linesize() + (1 + note) * f.small.get_linesize()
            + sz(11, scale) + n * _row_height(f, scale))


def people_table_width(rows: list[FactionFigures], scale: float) -> int:
    """The pixels the table's columns and names need at ``scale``, its note cut short."""
    f = Fonts(scale)
    names, cols = _columns(_table_lines(rows), f, scale)
    return 2 * sz(10, scale) + names + sum(cols)


_NOTE = ("Only the killed are set against the source. back: the wounded back in the line; "
         "rallied: the shaken back in the fight.")


def draw_people_table(size, rows: list[FactionFigures], scale: float,
                      title: str = "Out of the fight, by faction") -> pygame.Surface:
    """The table of ``rows`` on a dark panel of ``size``: a faction a line, under its side's
    total; killed, wounded (and back in the line), shaken (and rallied), captured, deserted.
    Lines that find no room are counted at the foot."""
    f = Fonts(scale)
    pad = sz(10, scale)
    surf = pygame.Surface(size, pygame.SRCALPHA)
    surf.fill(BG)
    pygame.draw.rect(surf, EDGE, surf.get_rect(), 1)
    w, h = size
    y = pad
    y = W.blit_text(surf, W.fit_text(title, f.head, w - 2 * pad), f.head, BRASS, (pad, y)).bottom
    lines = _table_lines(rows)
    if not lines:
        W.blit_text(surf, "No one has been out of the fight yet.", f.body, INK,
                    (pad, y + sz(6, scale)))
        return surf
    # The faction's names take what the longest needs, and the figures spread a little into a
    # wide window's spare room (not all of it: a figure far from its name is hard to follow).
    names_w, cols = _columns(lines, f, scale)
    room = w - 2 * pad - sum(cols)
    names_w = max(sz(90, scale), min(names_w, room))
    spare = room - names_w
    if spare > 0:
        grow = min(sz(36, scale), spare // len(cols))
        cols = [c + grow for c in cols]
    x_right = []
    x = pad + names_w
    for c in cols:
        x += c
        x_right.append(x)
    y += sz(6, scale)
    W.blit_text(surf, "Faction", f.small, MUTED, (pad, y))
    for (head, _, _), right in zip(PEOPLE_COLUMNS, x_right):
        W.blit_text(surf, head, f.small, MUTED, (right, y), "topright")
    y += f.small.get_linesize() + sz(2, scale)
    pygame.draw.line(surf, EDGE, (pad, y), (x_right[-1], y))
    y += sz(3, scale)
    row_h = _row_height(f, scale)
    foot = f.small.get_linesize()
    for k, (label, fig, total, ind) in enumerate(lines):
        left = len(lines) - k
        if y + row_h + foot > h - pad and left > 1:
            W.blit_text(surf, f"\u2026 and {left} more lines: a larger window shows them",
                        f.small, MUTED, (pad, y))
            return surf
        fnt = f.bold if total else f.body
        lx = pad + (sz(14, scale) if ind else 0)
        W.blit_text(surf, W.fit_text(label, fnt, names_w - sz(14, scale) - (lx - pad)), fnt,
                    INK, (lx, y))
        for (_, _, part), right, n in zip(PEOPLE_COLUMNS, x_right, fig):
            W.blit_text(surf, _figure(n), fnt, MUTED if part or not n else INK,
                        (right, y + 1), "topright")
        y += row_h
    y += sz(2, scale)
    for line in W.wrap(_NOTE, f.small, w - 2 * pad):
        y = W.blit_text(surf, line, f.small, MUTED, (pad, y)).y + f.small.get_linesize()
    return surf


CHART_MIN_W = 720  # pixels the chart needs at its own scale: its names, bars and figures


def ledger_arrangement(size, chart_rows: int, people: list[FactionFigures], scale: float,
                       chart_scale: float = 1.0) -> str:
    """How the chart of ``chart_rows`` and the table of ``people`` share ``size`` pixels:
    "beside" each other where the window is wide enough, one "above" the other where it is
    tall enough, else a "page" each. The chart counts at its smallest readable rows."""
    w, h = size
    chart_h = int((92 + 22 * max(1, chart_rows)) * chart_scale)
    table_w = people_table_width(people, scale)
    gap = sz(10, scale)
    if (int(CHART_MIN_W * chart_scale) + gap + table_w <= w
            and max(chart_h, people_table_height(people, scale, table_w)) <= h):
        return "beside"
    if chart_h + gap + people_table_height(people, scale, w) <= h:
        return "above"
    return "page"


def ledger_rects(rect: pygame.Rect, arrangement: str, chart_rows: int,
                 people: list[FactionFigures], scale: float,
                 chart_scale: float = 1.0) -> tuple[pygame.Rect, pygame.Rect]:
    """The chart's and the table's rectangles in ``rect`` for ``arrangement`` (for "page",
    each from its top: the chart the whole of it, the table as much as it needs)."""
    gap = sz(10, scale)
    if arrangement == "beside":
        # Its natural width and a little air between the figures, if the chart can spare it.
        table_w = min(people_table_width(people, scale) + len(PEOPLE_COLUMNS) * sz(8, scale),
                      rect.w - int(CHART_MIN_W * chart_scale) - gap)
        table_h = min(rect.h, people_table_height(people, scale, table_w))
        chart_h = min(rect.h, max(table_h, int((92 + 30 * max(1, chart_rows)) * chart_scale)))
        chart = pygame.Rect(rect.x, rect.y, rect.w - table_w - gap, chart_h)
        return chart, pygame.Rect(chart.right + gap, rect.y, table_w, table_h)
    if arrangement == "above":
        table_h = people_table_height(people, scale, rect.w)
        chart_h = min(rect.h - table_h - gap, int((92 + 30 * max(1, chart_rows)) * chart_scale))
        chart = pygame.Rect(rect.x, rect.y, rect.w, chart_h)
        return chart, pygame.Rect(rect.x, chart.bottom + gap, rect.w, table_h)
    return pygame.Rect(rect), pygame.Rect(rect.x, rect.y, rect.w,
                                          min(rect.h, people_table_height(people, scale, rect.w)))
