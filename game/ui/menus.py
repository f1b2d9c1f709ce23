"""The menus: main menu, new game, load and save, settings.

UI layer (pygame, pygame_gui). Every screen here is a ``GuiScene`` (``game.ui.widgets``):
Esc goes back, Enter confirms, Tab and the arrow keys move between buttons and rows. A game
is started or loaded through ``game.session.Session`` and handed to the battle screen by
``start_battle``, which leaves the main menu under it so that leaving the battle lands there.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIImage, UILabel, UITextBox, UITextEntryLine

from game import __version__, player_scenarios_dir
from game.ai import DIFFICULTIES
from game.hexgrid import Hex
from game.saves import SAVE_SUFFIX, SaveError, read_save, remove_stale_temp_files
from game.scenario import ScenarioError, bundled_paths, example_paths as bundled_examples, load_scenario
from game.session import Seat, Session, fresh_seed, shared_context
from game.state import GameState, SetupError
from game.ui import widgets as W
from game.ui.counters import swatch_edge
from game.ui.mapdraw import MapRenderer
from game.ui.navigator import Navigator
from game.ui.results import aim_text
from game.ui.settings import AI_SPEEDS, PALETTES, UI_SCALES, saves_dir


def start_battle(app, session) -> None:
    """Show ``session`` on the battle screen, with the main menu (only) beneath it."""
    Navigator(app).play(session)


def editor_available() -> bool:
    try:
        return importlib.util.find_spec("game.ui.editor") is not None
    except (ImportError, ValueError):
        return False


def _label(manager, rect, text, object_id=None, container=None) -> UILabel:
    return UILabel(pygame.Rect(rect), text, manager, container=container, object_id=object_id)


# -- main menu ---------------------------------------------------------------------------------

class MainMenuScene(W.GuiScene):
    """The first screen: continue, new game, load game, play by e-mail, the scenario editor,
    settings, quit.

    "Continue" opens the newest save of a game still in play; a finished game is never
    continued (it is in the load list), and with no game in play the button is not shown.
    """

    def __init__(self, app):
        super().__init__(app)
        self._saves_seen = None
        self.latest: Path | None = None
        self.continue_text = ""
        self.items: list[tuple[str, str]] = []
        self.refresh()

    def refresh(self) -> None:
        """Read the saves folder again: which game Continue opens, and the buttons."""
        self._saves_seen = _saves_signature()
        latest = next((e for e in list_saves() if e.doc is not None and not e.over), None)
        self.latest = latest.path if latest else None
        self.continue_text = f"Continue: {latest.short()}" if latest else ""
        items = [("continue", "Continue")] if latest else []
        items += [("new", "New game"), ("tutorial", "Tutorial"), ("load", "Load game"),
                  ("pbem", "Play by e-mail")]
        if editor_available():
            items.append(("editor", "Scenario editor"))
        self.items = items + [("settings", "Settings"), ("quit", "Quit")]

    # Heights at UI scale 1: title, subtitle and gap, one button and the gap under it, the
    # Continue line, the error line, and the foot of the window.
    TITLE_H, SUB_H, BUTTON_H, GAP, LINE_H, FOOT_H = 64, 70, 46, 10, 30, 40

    def design_size(self):
        n = len(self.items)
        return (720, 2 * 20 + self.TITLE_H + self.SUB_H + n * (self.BUTTON_H + self.GAP)
                + 2 * self.LINE_H + self.FOOT_H)

    def build(self, size):
        w, h = size
        px = self.px
        m = self.manager
        title_h, bw, bh, gap = px(self.TITLE_H), px(300), px(self.BUTTON_H), px(self.GAP)
        line_h, foot_h = px(self.LINE_H), px(self.FOOT_H)
        block = title_h + px(self.SUB_H) + len(self.items) * (bh + gap) + 2 * line_h
        top = max(px(20), min((h - block) // 2 - px(20), h - foot_h - block))
        _label(m, (0, top, w, title_h), "Mesopotamia 2014-2021", "#title")
        _label(m, (0, top + title_h, w, px(30)),
               "A hex wargame of the war in Iraq and Syria", "#subtitle")
        y = top + title_h + px(self.SUB_H)
        self.buttons = {}
        for key, text in self.items:
            b = UIButton(pygame.Rect((w - bw) // 2, y, bw, bh), text, m, object_id="#menu_button")
            self.buttons[key] = b
            self.focusable.append(b)
            y += bh + gap
        if self.continue_text:
            small = W.font(W.scaled(W.BODY + 1, self.scale))
            _label(m, (px(20), y + px(2), w - px(40), px(28)),
                   W.fit_text(self.continue_text, small, w - px(60)), "#subtitle")
        self.error_label = _label(m, (px(20), y + line_h, w - px(40), px(28)), "", "#error_centre")
        foot = W.font(W.scaled(W.SMALL, self.scale))
        version = f"version {__version__}"
        keys = "Enter: choose  \u00b7  arrows or Tab: move  \u00b7  Esc: quit"
        left_w = foot.size(version)[0] + px(12)
        _label(m, (px(12), h - px(30), left_w, px(24)), version, "#muted")
        right_w = w - px(36) - left_w
        _label(m, (w - px(12) - right_w, h - px(30), right_w, px(24)),
               W.fit_text(keys, foot, right_w - px(8)), "#right")

    def enter(self):
        if _saves_signature() != self._saves_seen:  # saved, finished or deleted since: say so
            self.refresh()
            self.rebuild()
        if self.focus < 0 and self.focusable:
            self.focus = 0

    def on_button(self, button):
        key = next((k for k, b in self.buttons.items() if b is button), None)
        if key == "continue":
            try:
                session = Session.load(self.latest)
            except Exception as exc:  # SaveError names the file; reported, never fatal
                self.error_label.set_text(_one_line(exc))
                return
            start_battle(self.app, session)
        elif key == "new":
            self.app.push(NewGameScene(self.app))
        elif key == "tutorial":
            try:
                Navigator(self.app).tutorial()
            except Exception as exc:  # a tutorial file that will not load: said, never fatal
                self.error_label.set_text(_one_line(exc))
        elif key == "load":
            self.app.push(LoadDialog(self.app))
        elif key == "pbem":
            Navigator(self.app).pbem_open()
        elif key == "editor":
            Navigator(self.app).editor(None)
        elif key == "settings":
            self.app.push(SettingsScene(self.app))
        elif key == "quit":
            self.app.quit(0)

    def back(self):
        self.app.quit(0)


# -- scenarios and their map previews ----------------------------------------------------------

@dataclass
class ScenarioEntry:
    path: Path
    scenario: object | None  # game.scenario.Scenario, None if it cannot be used
    problem: str = ""
    custom: bool = False
    example: bool = False  # one of the small scenarios shipped as examples: a first game
    _aims: dict | None = field(default=None, repr=False, compare=False)
    _variants: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def title(self) -> str:
        if self.scenario is not None:
            return self.scenario.title
        return self.path.stem

    def units(self) -> dict[str, int]:
        """How many units each side starts with, by side id, in the scenario's order."""
        sc = self.scenario
        if sc is None:
            return {}
        side_of = {f["id"]: f["side"] for f in sc.factions}
        counts = {s["id"]: 0 for s in sc.sides}
        for u in sc.setup.get("units", []):
            side = side_of.get(u.get("faction"))
            if side in counts:
                counts[side] += 1
        return counts

    def size_text(self) -> str:
        n = sorted(self.units().values())
        if not n:
            return ""
        return f"{n[0]} units a side" if n[0] == n[-1] else f"{n[0]}-{n[-1]} units a side"

    def months_text(self) -> str:
        """The months the scenario spans: "Jun-Sep 2014", "Sep 2015-Apr 2017"."""
        a, b = self.scenario.start, self.scenario.end
        if (a.year, a.month) == (b.year, b.month):
            return f"{a:%b %Y}"
        if a.year == b.year:
            return f"{a:%b}-{b:%b %Y}"
        return f"{a:%b %Y}-{b:%b %Y}"

    @property
    def small(self) -> bool:
        return bool(self.units()) and max(self.units().values()) <= SMALL_SIDE

    def row(self) -> W.ListRow:
        """The scenario in the new-game list: its title, its months, length and size, and a
        mark for a first game or a player's own file."""
        if self.scenario is None:
            why = "choose it to see why"
            return W.ListRow(self.path.name, f"yours  \u00b7  {why}" if self.custom else why,
                             "cannot be used", W.ERROR)
        sc = self.scenario
        title = _short_title(re.sub(r"^Example:\s*", "", sc.title)) or sc.title
        title = title[:1].upper() + title[1:]
        tag = "yours" if self.custom else ("small \u00b7 first game" if self.small
                                           else "example") if self.example else ""
        return W.ListRow(title, f"{self.months_text()}  \u00b7  {sc.turns} turns  \u00b7  "
                                f"{self.size_text()}", tag, W.MUTED if self.custom else W.BRASS)

    def aims(self) -> dict[str, list[str]]:
        """Each side's victory conditions in words, with how it stands on the first day."""
        if self._aims is None:
            self._aims = scenario_aims(self.scenario) if self.scenario is not None else {}
        return self._aims

    def variant(self, settings: dict[str, bool]) -> ScenarioEntry:
        """The scenario as a game with its what-if switches set so starts (its units, aims
        and map): the entry itself at their defaults, and if those settings cannot be read."""
        sc = self.scenario
        if sc is None or not settings or settings == sc.settings:
            return self
        key = tuple(sorted(settings.items()))
        if key not in self._variants:
            hexmap, rules = shared_context()
            try:
                made = load_scenario(self.path, hexmap, rules, settings)
            except ScenarioError:
                made = None  # Start says why
            self._variants[key] = self if made is None else ScenarioEntry(
                self.path, made, custom=self.custom, example=self.example)
        return self._variants[key]


SMALL_SIDE = 20  # a scenario whose every side has at most this many units is small


def _short_title(title: str) -> str:
    """A title without the dates in brackets at its end (they are shown beside it)."""
    return re.sub(r"\s*\([^()]*\d{4}[^()]*\)\s*$", "", title) or title


def scenario_aims(scenario) -> dict[str, list[str]]:
    """The scenario's victory conditions in words, by side id, each with how far its side is
    on the first day ("Take Mosul (0 of 1 towns)"), towns and forces named by their names."""
    hexmap, rules = shared_context()
    out: dict[str, list[str]] = {s["id"]: [] for s in scenario.sides}
    try:
        state = GameState.new(scenario.setup, hexmap, rules, 1)
    except (SetupError, KeyError, TypeError, ValueError):
        state = None
    for cond in scenario.setup.get("victory", []):
        if state is not None:
            text = aim_text(state, cond, hexmap)
        else:
            text = cond.get("text") or cond.get("kind", "")
        out.setdefault(cond["side"], []).append(text)
    return out


_entries: dict[tuple[str, float], ScenarioEntry] = {}


def custom_scenarios_dir() -> Path:
    """Where the player's own scenario files are looked for (beside the saves folder)."""
    return player_scenarios_dir()


def example_paths() -> list[Path]:
    """The small scenarios shipped as examples for authors, which make good first games."""
    return bundled_examples()


def scenario_entries() -> list[ScenarioEntry]:
    """The bundled examples (small first games, smallest first), the bundled scenarios in
    the order of the war, then the player's own; each read and checked once."""
    paths = [(p, "example") for p in example_paths()] + [(p, "") for p in bundled_paths()]
    custom = custom_scenarios_dir()
    if custom.is_dir():
        paths += [(p, "custom") for p in sorted(custom.glob("*.toml"))]
    out = []
    for path, kind in paths:
        try:
            key = (str(path), path.stat().st_mtime)
        except OSError:
            continue
        entry = _entries.get(key)
        if entry is None:
            hexmap, rules = shared_context()
            flags = {"custom": kind == "custom", "example": kind == "example"}
            try:
                entry = ScenarioEntry(path, load_scenario(path, hexmap, rules), **flags)
            except ScenarioError as exc:
                more = len(exc.problems) - 1
                entry = ScenarioEntry(path, None, exc.problems[0]
                                      + (f" (and {more} more)" if more > 0 else ""), **flags)
            _entries[key] = entry
        out.append(entry)
    # The examples that load, smallest first, so that a newcomer meets a small war first.
    examples = sorted((e for e in out if e.example and e.scenario is not None),
                      key=lambda e: sum(e.units().values()))
    first = {id(e) for e in examples}
    return examples + [e for e in out if id(e) not in first]


PREVIEW_SCALE = 0.42  # pixels per km of the cached whole-map picture
_preview_base: dict[str, object] = {}
_previews: dict[tuple, pygame.Surface] = {}


def _renderer():
    if "renderer" not in _preview_base:
        _preview_base["renderer"] = MapRenderer(shared_context()[0], crop=True)
    return _preview_base["renderer"]


def map_preview(scenario, palette: str) -> pygame.Surface:
    """A small picture of the whole map with who holds each town and where the units stand,
    coloured by side (cached per scenario and palette)."""
    key = (scenario.id, str(scenario.path), palette,
           tuple(sorted((getattr(scenario, "settings", None) or {}).items())))
    surf = _previews.get(key)
    if surf is not None:
        return surf
    r = _renderer()
    if "terrain" not in _preview_base:
        _preview_base["terrain"] = r.render(PREVIEW_SCALE, places=False)
    surf = _preview_base["terrain"].copy()
    hexmap = r.hexmap
    sides = [s["id"] for s in scenario.sides]
    faction_side = {f["id"]: f["side"] for f in scenario.factions}

    def colour(faction):
        side = faction_side.get(faction)
        return None if side is None else W.side_colour(palette, side, sides)

    def at(h: Hex):
        x, y = r.hex_center(h, PREVIEW_SCALE)
        return int(x), int(y)

    for cid, fid in scenario.setup.get("cities", {}).items():
        city = hexmap.find_city(cid)
        c = colour(fid) if fid else None
        if city is None or c is None:
            continue
        x, y = at(city.hex)
        rect = pygame.Rect(0, 0, 7, 7)
        rect.center = (x, y)
        pygame.draw.rect(surf, (250, 248, 240), rect.inflate(2, 2))
        pygame.draw.rect(surf, c, rect)
    for u in scenario.setup.get("units", []):
        c = colour(u.get("faction"))
        if c is None:
            continue
        q, rr = u["hex"]
        x, y = at(Hex(q, rr))
        pygame.draw.circle(surf, swatch_edge(c), (x, y), 4)
        pygame.draw.circle(surf, c, (x, y), 3)
    if len(_previews) > 24:
        _previews.clear()
    _previews[key] = surf
    return surf


def fit_image(surf: pygame.Surface, box: tuple[int, int]) -> pygame.Surface:
    w, h = surf.get_size()
    k = min(box[0] / w, box[1] / h)
    return pygame.transform.smoothscale(surf, (max(1, int(w * k)), max(1, int(h * k))))


def paragraphs(text: str) -> str:
    """Text written with line breaks for a file, as paragraphs: lines joined, blank lines kept."""
    paras = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paras)


def _day(d) -> str:
    return f"{d.day} {d:%B %Y}"


# -- new game ----------------------------------------------------------------------------------

class NewGameScene(W.GuiScene):
    """Choose a scenario, its what-if switches, who plays each side (a person, or the AI and
    how well), and a seed."""

    DESIGN = (1000, 680)
    TITLE = "New game"
    SEATS_HINT = ""  # words beside "Who plays each side"

    def __init__(self, app):
        super().__init__(app)
        self.entries = scenario_entries()
        self.index = 0 if self.entries else -1
        self.seats: dict[str, dict[str, tuple[str, str]]] = {}  # path -> side -> (kind, level)
        self.switches: dict[str, dict[str, bool]] = {}  # path -> switch id -> on
        self.switch_buttons: list[tuple[object, UIButton]] = []  # (Option, its toggle)
        self._pointer = (-1, -1)  # where the mouse was last
        self._keyed = False  # the keyboard moved last (not the mouse)

        self.seed_text = str(fresh_seed())
        self.error = ""
        self.side_buttons: list[tuple[str, UIButton, UIButton]] = []

    @property
    def entry(self) -> ScenarioEntry | None:
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

    def seats_for(self, entry: ScenarioEntry) -> dict[str, tuple[str, str]]:
        key = str(entry.path)
        if key not in self.seats:
            sides = [s["id"] for s in entry.scenario.sides] if entry.scenario else []
            self.seats[key] = {s: ("human" if i == 0 else "ai", "normal")
                               for i, s in enumerate(sides)}
        return self.seats[key]

    def switches_for(self, entry: ScenarioEntry) -> dict[str, bool]:
        """The entry's what-if switches as set on this screen: history's until turned."""
        key = str(entry.path)
        if key not in self.switches:
            self.switches[key] = dict(entry.scenario.settings) if entry.scenario else {}
        return self.switches[key]

    def mode(self, short: bool = False) -> str:
        """Who plays: solo, hot-seat or watching (``short``: sides by their short names)."""
        entry = self.entry
        if entry is None or entry.scenario is None:
            return ""
        seats = self.seats_for(entry)
        humans = [s for s, (k, _) in seats.items() if k == "human"]
        names = {s["id"]: _short_name(s["name"]) if short else s["name"]
                 for s in entry.scenario.sides}
        if not humans:
            return "Watch: the computer plays every side."
        if len(humans) == 1:
            return f"Solo: you play the {names[humans[0]]} against the computer."
        return (f"Hot-seat: {len(humans)} players take turns at this device; "
                f"the map is hidden while the device changes hands.")

    def mode_text(self) -> str:
        """``mode`` as it fits under the seats: with the sides' short names if need be."""
        body = W.font(W.scaled(W.BODY, self.scale))
        width = self.detail.w - self.px(8)
        text = self.mode()
        return text if body.size(text)[0] <= width else W.fit_text(self.mode(short=True), body, width)

    # -- layout --------------------------------------------------------------------------

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        margin = px(24)
        _label(m, (margin, px(14), px(400), px(40)), self.TITLE, "#heading")
        bottom_h = px(46)
        by = h - margin - bottom_h
        self.back_button = UIButton(pygame.Rect(margin, by, px(130), bottom_h), "Back", m)
        self.start_button = UIButton(pygame.Rect(w - margin - px(180), by, px(180), bottom_h),
                                     "Start", m, object_id="#primary")
        _label(m, (w - margin - px(180) - px(260), by, px(60), bottom_h), "Seed", "#right")
        self.seed_entry = UITextEntryLine(
            pygame.Rect(w - margin - px(180) - px(190), by + (bottom_h - px(36)) // 2,
                        px(160), px(36)), m)
        self.seed_entry.set_allowed_characters("numbers")
        self.seed_entry.set_text_length_limit(9)
        self.seed_entry.set_text(self.seed_text)
        self.error_label = _label(m, (margin + px(150), by, max(10, w - 2 * margin - px(150) - px(470)),
                                      bottom_h), self.error, "#error")

        top = px(64)
        # The list is as wide as its longest title needs (with the row's padding and a scroll
        # bar), within two fifths of the window.
        rows = [e.row() for e in self.entries]
        body = W.font(W.scaled(W.BODY, self.scale))
        need = max([body.size(r.title)[0] for r in rows] + [0]) + px(20) + px(24)
        list_w = max(px(260), min(need, int(w * 0.42)))
        rows = [_fit_row(r, body, list_w - px(20) - px(24)) for r in rows]
        list_h = by - px(14) - top
        self.list = W.row_list((margin, top, list_w, list_h), rows, m, allow_double_clicks=False)
        self.row_lists.append((self.list, rows))
        if self.index >= 0:
            W.select_row(self.list, self.index)

        self.detail = pygame.Rect(margin * 2 + list_w, top, w - margin * 3 - list_w, list_h)
        self.build_detail()
        self.focusable = [self.start_button, self.back_button]

    def build_detail(self):
        """The right-hand side: the chosen scenario's title and span, its story and map, and
        for each side who plays it, its units and its aims."""
        for el in getattr(self, "_detail_elements", []):
            el.kill()
        self._detail_elements = []
        self.side_buttons = []
        self.switch_buttons = []
        self.aim_labels: dict[str, list[UILabel]] = {}
        self.focusable = [self.start_button, self.back_button]
        px, m, r = self.px, self.manager, self.detail
        keep = self._detail_elements.append
        entry = self.entry
        if entry is None:
            keep(_label(m, (r.x, r.y, r.w, px(40)), "No scenarios found."))
            self.start_button.disable()
            return
        if entry.scenario is None:
            keep(_label(m, (r.x, r.y, r.w, px(40)), entry.path.name, "#big"))
            keep(UITextBox(W.escape(entry.problem), pygame.Rect(r.x, r.y + px(50), r.w, px(160)), m,
                           object_id="#error"))
            self.start_button.disable()
            return
        self.start_button.enable()
        switches = entry.scenario.options
        shown = entry.variant(self.switches_for(entry))  # the game as the switches make it
        sc = shown.scenario
        scale = self.scale
        big = W.font(W.scaled(W.BIG, scale), bold=True)
        heading = W.font(W.scaled(W.HEADING, scale), bold=True)
        body = W.font(W.scaled(W.BODY, scale))
        small = W.font(W.scaled(W.SMALL, scale))
        y = r.y
        # The title as large as fits; the dates in brackets at its end may go (the line
        # under it gives them); a title still too long takes two lines rather than losing words.
        titles = list(dict.fromkeys([sc.title, _short_title(sc.title)]))
        fits = [(t, "#big", big) for t in titles] + [(t, "#heading", heading) for t in titles]
        title, style = next(((t, st) for t, st, f in fits if f.size(t)[0] <= r.w - px(12)),
                            (None, None))
        if title is not None:
            keep(_label(m, (r.x, y, r.w, px(44)), title, style))
            y += px(42)
        else:
            lines = W.wrap(titles[-1], heading, r.w - px(12))
            if len(lines) > 2:
                lines = [lines[0], W.fit_text(" ".join(lines[1:]), heading, r.w - px(12))]
            for line in lines:
                keep(_label(m, (r.x, y, r.w, px(32)), line, "#heading"))
                y += px(30)
            y += px(6)
        span = f"{_day(sc.start)} to {_day(sc.end)}  \u00b7  {sc.turns} turns of {sc.turn_days} days"
        keep(_label(m, (r.x, y, r.w, px(26)), W.fit_text(span, body, r.w - px(8)), "#info"))
        y += px(36)

        # Who plays each side: a row of buttons, then the side's aims under it.
        aims = shown.aims()
        units = shown.units()
        aim_w = r.w - px(24)
        line_h = small.get_linesize()
        row_h = px(38)

        bullet = "\u2022 "
        indent = small.size(bullet)[0]

        def aim_lines(wrap_them: bool) -> dict[str, list[tuple[int, str]]]:
            """(indent, text) lines: each aim after a bullet, its next lines under its words."""
            out = {}
            for side in sc.sides:
                lines = []
                for text in aims.get(side["id"], []) or ["no aim of its own"]:
                    parts = W.wrap(text, small, aim_w - indent) if wrap_them \
                        else [W.fit_text(text, small, aim_w - indent)]
                    lines += [(0, bullet + parts[0])] + [(indent, t) for t in parts[1:]]
                out[side["id"]] = lines
            return out

        switch_h = px(self.SWITCH_ROW)

        def switches_height(compact: bool) -> int:
            if not switches:
                return 0
            return (0 if compact else px(34)) + len(switches) * (switch_h + px(2)) + px(8)

        def sides_height(lines, compact: bool = False) -> int:
            return (switches_height(compact) + px(36)
                    + sum(row_h + len(v) * line_h + px(8) for v in lines.values()) + px(34))

        block_min = px(110)
        lines = aim_lines(True)
        if r.bottom - y - sides_height(lines) - px(10) < block_min:
            lines = aim_lines(False)  # too little room: one line for each aim
        # Still too little: the switches' heading goes beside the first of them.
        compact = bool(switches) and r.bottom - y - sides_height(lines) - px(10) < block_min
        block_h = max(block_min, r.bottom - y - sides_height(lines, compact) - px(10))
        preview_w = min(int(r.w * 0.52), int(block_h * 1.38))
        img = fit_image(map_preview(sc, self.app.settings.palette), (preview_w, block_h))
        self.preview_rect = pygame.Rect(r.right - img.get_width(), y, *img.get_size())
        keep(UIImage(self.preview_rect, img, m))
        text_w = r.w - img.get_width() - px(16)
        keep(UITextBox(W.escape(paragraphs(sc.description)), pygame.Rect(r.x, y, text_w, block_h), m))
        y += block_h + px(14)
        if switches:
            y = self.build_switches(switches, y, compact)
        seats_head = "Who plays each side"
        head_w = heading.size(seats_head)[0] + px(16)
        keep(_label(m, (r.x, y, head_w, px(30)), seats_head, "#heading"))
        if self.SEATS_HINT:
            keep(_label(m, (r.x + head_w, y + px(4), r.w - head_w, px(26)),
                        W.fit_text(self.SEATS_HINT, small, r.w - head_w - px(12)), "#muted"))
        y += px(36)
        button_w = px(150)
        name_w = r.w - px(22) - 2 * button_w - px(20)
        sides = [s["id"] for s in sc.sides]
        for side in sc.sides:
            sid = side["id"]
            keep(UIImage(pygame.Rect(r.x, y + px(12), px(14), px(14)),
                         _swatch(W.side_colour(self.app.settings.palette, sid, sides)), m))
            count = f"{units.get(sid, 0)} units"
            room = name_w - small.size(count)[0] - px(30)
            name = side["name"] if body.size(side["name"])[0] <= room else _short_name(side["name"])
            name = W.fit_text(name, body, room)
            name_px = body.size(name)[0] + px(12)
            keep(_label(m, (r.x + px(22), y, name_px, row_h), name))
            keep(_label(m, (r.x + px(22) + name_px, y + px(2), name_w - name_px, row_h),
                        count, "#muted"))
            self.build_seat(sid, pygame.Rect(r.right - 2 * button_w - px(10), y,
                                             2 * button_w + px(10), row_h))
            y += row_h + px(2)
            self.aim_labels[sid] = []
            for dx, line in lines[sid]:
                label = _label(m, (r.x + px(22) + dx, y, aim_w - dx, line_h + px(2)), line, "#aim")
                keep(label)
                self.aim_labels[sid].append(label)
                y += line_h
            y += px(6)
        self.mode_label = _label(m, (r.x, y + px(2), r.w, px(30)), self.mode_text(), "#note")
        keep(self.mode_label)
        toggles = [b for _, b in self.switch_buttons]
        self.focusable = toggles + self.seat_buttons() + [self.start_button, self.back_button]

    def build_seat(self, side: str, rect: pygame.Rect) -> None:
        """Who plays ``side``, in ``rect`` right of its name: a person or the computer, and the
        computer's level."""
        kind, level = self.seats_for(self.entry)[side]
        button_w = (rect.w - self.px(10)) // 2
        who = UIButton(pygame.Rect(rect.x, rect.y, button_w, rect.h),
                       "Human" if kind == "human" else "Computer", self.manager)
        lvl = UIButton(pygame.Rect(rect.right - button_w, rect.y, button_w, rect.h),
                       f"AI: {level}" if kind == "ai" else "-", self.manager)
        if kind != "ai":
            lvl.disable()
        self._detail_elements += [who, lvl]
        self.side_buttons.append((side, who, lvl))

    def seat_buttons(self) -> list:
        """The seats' buttons, in the order Tab goes through them."""
        return [b for _, who, lvl in self.side_buttons for b in (who, lvl)]

    SWITCH_ROW = 34  # a what-if switch's row, at UI scale 1

    def build_switches(self, switches, y: int, compact: bool = False) -> int:
        """The what-if switches under the story: a toggle each, its title, and whether it
        keeps to history (``compact``: the heading beside the first, not above). Returns the
        y under them."""
        px, m, r = self.px, self.manager, self.detail
        keep = self._detail_elements.append
        body = W.font(W.scaled(W.BODY, self.scale))
        small = W.font(W.scaled(W.SMALL, self.scale), bold=True)
        aim_font = W.font(W.scaled(W.SMALL, self.scale))
        heading = W.font(W.scaled(W.HEADING, self.scale), bold=True)
        settings = self.switches_for(self.entry)
        head_w = heading.size("What if")[0] + px(16)
        row_h = px(self.SWITCH_ROW)
        keep(_label(m, (r.x, y + (row_h - px(30)) // 2 if compact else y, head_w, px(30)),
                    "What if", "#heading"))
        left = r.x
        if compact:
            left += head_w
        else:
            hint = W.fit_text("point at a switch, or Tab to it, to read what it changes",
                              W.font(W.scaled(W.SMALL, self.scale)), r.w - head_w - px(20))
            keep(_label(m, (r.x + head_w, y + px(4), r.w - head_w, px(26)), hint, "#muted"))
            y += px(34)
        toggle_w = px(96)
        title_x = left + toggle_w + px(10)

        def room(mark: str) -> int:  # for the title, beside this mark
            return r.right - (small.size(mark)[0] + px(16)) - title_x - px(6)

        for option in switches:
            on = settings.get(option.id, option.default)
            turned = on != option.default
            toggle = UIButton(pygame.Rect(left, y, toggle_w, row_h), "On" if on else "Off", m)
            keep(toggle)
            self.switch_buttons.append((option, toggle))
            history = f"history: {'on' if option.default else 'off'}"
            # The title whole if it can be: the mark of a switch turned from history made
            # shorter first, then the title smaller; cut short only as a last resort (the
            # panel of its words gives it whole).
            tries = [(f"what-if \u00b7 {history}" if turned else history, body, None)]
            if turned:
                tries.append(("what-if", body, None))
            tries.append((tries[-1][0], aim_font, "#aim"))
            mark, fnt, style = next((t for t in tries if t[1].size(option.title)[0] <= room(t[0]) - px(14)),
                                    tries[-1])
            mark_w = small.size(mark)[0] + px(16)
            title_w = room(mark)
            keep(_label(m, (title_x, y, title_w, row_h),
                        W.fit_text(option.title, fnt, title_w - px(14)), style))
            keep(_label(m, (r.right - mark_w, y, mark_w, row_h), mark,
                        "#what_if" if turned else "#muted"))
            y += row_h + px(2)
        return y + px(8)

    def toggle_switch(self, option) -> None:
        """Turn a what-if switch; the scenario's sides, aims and map follow."""
        settings = self.switches_for(self.entry)
        settings[option.id] = not settings.get(option.id, option.default)
        self.build_detail()
        self.focus = next(i for i, b in enumerate(self.focusable)
                          if any(o is option and t is b for o, t in self.switch_buttons))

    def explained(self):
        """The switch whose words are shown, (Option, toggle), or None: the one under the
        pointer, or the one the keyboard moved to."""
        focused = self.focusable[self.focus] if 0 <= self.focus < len(self.focusable) else None
        for option, toggle in self.switch_buttons:
            if toggle.alive() and (toggle.rect.collidepoint(self._pointer)
                                   or (self._keyed and toggle is focused)):
                return option, toggle
        return None

    def handle_event(self, event):
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN):
            self._pointer, self._keyed = event.pos, False
        elif event.type == pygame.KEYDOWN:
            self._keyed = True
        super().handle_event(event)

    def draw(self, screen):
        super().draw(screen)
        # Each toggle's box, ticked when its switch is on.
        px = self.px
        for _, b in self.switch_buttons:
            if not b.alive():
                continue
            box = pygame.Rect(0, 0, px(14), px(14))
            box.midleft = (b.rect.x + px(12), b.rect.centery)
            pygame.draw.rect(screen, W.INK, box, max(1, px(1.5)), border_radius=px(2))
            if b.text == "On":
                inner = box.inflate(-px(6), -px(6))
                pygame.draw.rect(screen, W.BRASS, inner)
        shown = self.explained()
        if shown is not None:
            self.draw_switch_words(screen, *shown)

    def draw_switch_words(self, screen, option, toggle) -> None:
        """A switch's words in a panel under its row (over the sides, while it is pointed at
        or chosen with the keyboard): its title, what it changes and why it could have been."""
        px, r = self.px, self.detail
        pad = px(12)
        head = W.font(W.scaled(W.BODY, self.scale), bold=True)
        small = W.font(W.scaled(W.SMALL + 1, self.scale))
        width = r.w
        text = W.wrap(paragraphs(option.text), small, width - 2 * pad)
        history = f"In history this switch is {'on' if option.default else 'off'}."
        title = W.wrap(option.title, head, width - 2 * pad)
        h = (2 * pad + len(title) * head.get_linesize() + px(4)
             + (len(text) + 1) * small.get_linesize() + px(6))
        box = pygame.Rect(r.x, toggle.rect.bottom + px(6), width, h)
        if box.bottom > self.app.screen.get_height() - px(8):
            box.bottom = toggle.rect.top - px(6)
        W.draw_panel(screen, box, self.scale)
        pygame.draw.rect(screen, W.BRASS, box, 1, border_radius=px(6))
        y = box.y + pad
        for line in title:
            W.blit_text(screen, line, head, W.BRASS, (box.x + pad, y))
            y += head.get_linesize()
        y += px(4)
        for line in text:
            W.blit_text(screen, line, small, W.INK, (box.x + pad, y))
            y += small.get_linesize()
        W.blit_text(screen, history, small, W.MUTED, (box.x + pad, y + px(6)))

    def select(self, index: int) -> None:
        if not self.entries:
            return
        index = max(0, min(len(self.entries) - 1, index))
        if index == self.index:
            return
        self.index = index
        self.error = ""
        self.error_label.set_text("")
        W.select_row(self.list, index)
        focus_text = self.focusable[self.focus].text if 0 <= self.focus < len(self.focusable) else None
        self.build_detail()
        self.focus = next((i for i, b in enumerate(self.focusable)
                           if b.text == focus_text and b in (self.start_button, self.back_button)), -1)

    # -- input ---------------------------------------------------------------------------

    def on_ui_event(self, event):
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.list:
            i = W.selected_row(self.list)
            if i is not None:
                self.select(i)
        elif event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED and event.ui_element is self.seed_entry:
            self.seed_text = self.seed_entry.get_text()
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.seed_entry:
            self.seed_text = self.seed_entry.get_text()
            self.manager.set_focus_set(None)

    def on_arrow(self, step):
        self.select(self.index + step)

    def on_key(self, event):
        if event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.move_focus(-1 if event.key == pygame.K_LEFT else 1)
        else:
            super().on_key(event)

    def on_button(self, button):
        if button is self.back_button:
            self.back()
        elif button is self.start_button:
            self.confirm()
        else:
            for option, toggle in self.switch_buttons:
                if button is toggle:
                    self.toggle_switch(option)
                    return
            for side, who, lvl in self.side_buttons:
                if button is who:
                    self.toggle_seat(side)
                elif button is lvl:
                    self.cycle_level(side)

    def toggle_seat(self, side: str) -> None:
        seats = self.seats_for(self.entry)
        kind, level = seats[side]
        seats[side] = ("ai" if kind == "human" else "human", level)
        self._refresh_seats()

    def cycle_level(self, side: str) -> None:
        seats = self.seats_for(self.entry)
        kind, level = seats[side]
        if kind != "ai":
            return
        seats[side] = (kind, DIFFICULTIES[(DIFFICULTIES.index(level) + 1) % len(DIFFICULTIES)])
        self._refresh_seats()

    def _refresh_seats(self) -> None:
        seats = self.seats_for(self.entry)
        for side, who, lvl in self.side_buttons:
            kind, level = seats[side]
            who.set_text("Human" if kind == "human" else "Computer")
            lvl.set_text(f"AI: {level}" if kind == "ai" else "-")
            lvl.enable() if kind == "ai" else lvl.disable()
        self.mode_label.set_text(self.mode_text())

    def seed(self) -> int | None:
        text = self.seed_entry.get_text().strip() if self.seed_entry else self.seed_text
        try:
            n = int(text)
        except ValueError:
            return None
        return n if 0 <= n < 2 ** 31 else None

    def confirm(self):
        entry = self.entry
        if entry is None or entry.scenario is None:
            return
        seed = self.seed()
        if seed is None:
            self.show_error("The seed must be a whole number.")
            return

        seats = {side: Seat(kind, level) for side, (kind, level) in self.seats_for(entry).items()}
        try:
            session = Session.new(entry.path, seats, seed, options=dict(self.switches_for(entry)))
        except Exception as exc:  # a scenario that passed its checks but will not start
            self.show_error(f"Cannot start: {_one_line(exc)}")
            return
        start_battle(self.app, session)

    def show_error(self, text: str) -> None:
        self.error = text
        self.error_label.set_text(text)


def _fit_row(row: W.ListRow, fnt, width: int) -> W.ListRow:
    """A row whose title is too wide keeps what follows its colon ("The War in Mesopotamia:
    the Grand Campaign" becomes "The Grand Campaign"); the detail pane shows it whole."""
    head, colon, rest = row.title.partition(": ")
    if fnt.size(row.title)[0] <= width or not colon or not rest:
        return row
    return W.ListRow(rest[:1].upper() + rest[1:], row.detail, row.tag, row.tag_colour)


def _short_name(name: str) -> str:
    """A side's name without the words in brackets that explain it ("Ba'athists")."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", name) or name


def _swatch(colour) -> pygame.Surface:
    s = pygame.Surface((14, 14))
    s.fill((240, 236, 220))
    s.fill(colour, pygame.Rect(2, 2, 10, 10))
    return s


def _one_line(exc) -> str:
    return "; ".join(part.strip() for part in str(exc).splitlines() if part.strip())


# -- saves -------------------------------------------------------------------------------------

def save_suffix() -> str:
    return SAVE_SUFFIX


@dataclass
class SaveEntry:
    path: Path
    modified: float
    doc: dict | None
    problem: str = ""

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def over(self) -> bool:
        """The saved game has ended (a side won, or the last turn was played)."""
        return bool(self.doc is not None and (self.doc.get("state") or {}).get("over"))

    @property
    def title(self) -> str:
        """The scenario's title, without the dates in brackets at its end (the save has its own)."""
        if self.doc is None:
            return ""
        return _short_title(str(self.doc.get("title") or self.doc.get("scenario") or "?"))

    def when(self) -> str:
        return dt.datetime.fromtimestamp(self.modified).strftime("%Y-%m-%d %H:%M")

    def turn_text(self) -> str:
        d = self.doc or {}
        date = d.get("saved_at_date", "")
        try:
            date = _day(dt.date.fromisoformat(date))
        except (TypeError, ValueError):
            pass
        return f"turn {d.get('saved_at_turn', '?')}, {date}".rstrip(", ")

    def summary(self) -> str:
        if self.doc is None:
            return f"{self.name}  \u00b7  cannot be read  \u00b7  {self.when()}"
        return f"{self.name}  \u00b7  {self.title}  \u00b7  {self.turn_text()}  \u00b7  {self.when()}"

    def short(self) -> str:
        if self.doc is None:
            return f"{self.name}  \u00b7  cannot be read"
        return f"{self.title}, {self.turn_text()}  \u00b7  saved {self.when()}"

    def row(self) -> W.ListRow:
        """The save in a list: its name, the game over or unreadable, and what it holds."""
        if self.doc is None:
            return W.ListRow(self.name, f"saved {self.when()}", "cannot be read", W.ERROR)
        return W.ListRow(self.name, f"{self.title}  \u00b7  {self.turn_text()}  \u00b7  saved {self.when()}",
                         "game over" if self.over else "")

    def details(self) -> list[str]:
        if self.doc is None:
            return [self.problem]
        d = self.doc
        state = d.get("state") or {}
        names = state.get("side_names") or {}
        date = self.turn_text().partition(", ")[2]
        lines = [str(d.get("title") or d.get("scenario") or ""),
                 f"Turn {d.get('saved_at_turn')} of {state.get('end_turn', '?')}, {date}"]
        if state.get("over"):
            lines.append(f"The game is over: {state.get('result', '')}")
        else:
            side = d.get("side_to_move")
            lines.append(f"{names.get(side, side)} to move")
        seats = ((d.get("extra") or {}).get("session") or {}).get("seats") or {}
        if isinstance(seats, dict) and seats:
            who = []
            for side, seat in seats.items():
                if isinstance(seat, dict):
                    kind = "human" if seat.get("kind") == "human" else f"AI ({seat.get('difficulty', 'normal')})"
                    who.append(f"{names.get(side, side)}: {kind}")
            lines.append("; ".join(who))
        lines.append(f"{len(d.get('journal') or [])} orders given")
        return lines


def list_saves(directory: Path | None = None) -> list[SaveEntry]:
    """The save files in ``directory`` (the saves folder), newest first; a file that cannot
    be read is listed with the reason. Temporary files that interrupted saves left behind
    are removed on the way."""
    directory = saves_dir() if directory is None else Path(directory)
    if not directory.is_dir():
        return []
    remove_stale_temp_files(directory)
    out = []
    for p in directory.glob(f"*{save_suffix()}"):
        if not p.is_file():
            continue
        try:
            modified = p.stat().st_mtime
        except OSError:
            continue
        try:
            out.append(SaveEntry(p, modified, read_save(p)))
        except SaveError as exc:
            out.append(SaveEntry(p, modified, None, str(exc)))
    out.sort(key=lambda e: (-e.modified, e.name))
    return out


def _saves_signature() -> tuple:
    """The save files and their times, without reading them: it changes when a game is saved
    (finished, or still in play) or a save is deleted."""
    try:
        return tuple(sorted((p.name, p.stat().st_mtime) for p in saves_dir().glob(f"*{save_suffix()}")))
    except OSError:
        return ()


def clean_save_name(text: str) -> str:
    """A save's name made into a safe file name: letters, digits, spaces, - _ . ( ) kept."""
    def dash(m):  # "day: one" -> "day - one", "a/b" -> "a-b"
        return " - " if m.group(0)[0].isspace() or m.group(0)[-1].isspace() else "-"

    name = re.sub(r"\s*[^\w .()-]+\s*", dash, text, flags=re.UNICODE).strip(" .-")
    name = re.sub(r"\s+", " ", name)
    return name[:60].rstrip(" .")


class LoadDialog(W.GuiScene):
    """The saved games, newest first; Load opens the chosen one in the battle screen."""

    DESIGN = (820, 600)

    def __init__(self, app):
        super().__init__(app)
        self.saves = list_saves()
        readable = [i for i, e in enumerate(self.saves) if e.doc is not None]
        self.index = readable[0] if readable else (0 if self.saves else -1)
        self.error = ""

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        margin = px(24)
        _label(m, (margin, px(14), px(400), px(40)), "Load game", "#heading")
        _label(m, (margin, px(52), w - 2 * margin, px(24)), f"Saves in {saves_dir()}", "#muted")
        bottom_h = px(46)
        by = h - margin - bottom_h
        self.back_button = UIButton(pygame.Rect(margin, by, px(130), bottom_h), "Back", m)
        self.load_button = UIButton(pygame.Rect(w - margin - px(180), by, px(180), bottom_h),
                                    "Load", m, object_id="#primary")
        self.delete_button = UIButton(pygame.Rect(w - margin - px(180) - px(12) - px(170), by,
                                                  px(170), bottom_h), "Delete", m, object_id="#danger")
        self.deleting: Path | None = None  # asked once; the next Delete removes it
        top = px(84)
        detail_h = px(170)
        list_h = by - px(14) - top - detail_h - px(12)
        rows = [e.row() for e in self.saves]
        self.list = W.row_list((margin, top, w - 2 * margin, list_h), rows, m,
                               allow_double_clicks=True)
        self.row_lists.append((self.list, rows))
        if not self.saves:
            _label(m, (margin, top + px(10), w - 2 * margin, px(30)),
                   "No saved games yet: save from the battle screen's menu.", "#muted")
        self.details = UITextBox("", pygame.Rect(margin, top + list_h + px(12), w - 2 * margin,
                                                 detail_h), m)
        self.error_label = _label(m, (margin + px(150), by, w - 2 * margin - px(530), bottom_h),
                                  "", "#error")
        self.focusable = [self.load_button, self.delete_button, self.back_button]
        if self.index >= 0:
            W.select_row(self.list, self.index)
        self.show_details()

    def show_details(self):
        self.deleting = None
        self.delete_button.set_text("Delete")
        if self.index < 0:
            self.details.set_text("")
            self.load_button.disable()
            self.delete_button.disable()
            return
        self.delete_button.enable()
        e = self.saves[self.index]
        lines = e.details()
        if e.doc is None:
            self.details.set_text(f'<font color="{W.hex_colour(W.ERROR)}">{W.escape(lines[0])}</font>')
            self.load_button.disable()
        else:
            self.details.set_text("<br>".join(W.escape(x) for x in lines))
            self.load_button.enable()
        self.error_label.set_text(self.error)

    def select(self, index: int) -> None:
        if not self.saves:
            return
        self.index = max(0, min(len(self.saves) - 1, index))
        self.error = ""
        W.select_row(self.list, self.index)
        self.show_details()

    def on_ui_event(self, event):
        if event.ui_element is not self.list:
            return
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION:
            i = W.selected_row(self.list)
            if i is not None:
                self.select(i)
        elif event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION:
            self.confirm()

    def on_arrow(self, step):
        self.select(self.index + step)

    def on_button(self, button):
        if button is self.back_button:
            self.back()
        elif button is self.load_button:
            self.confirm()
        elif button is self.delete_button:
            self.delete()

    def delete(self) -> None:
        """Delete the chosen save, the second time of asking."""
        if self.index < 0:
            return
        e = self.saves[self.index]
        if self.deleting != e.path:
            self.deleting = e.path
            self.delete_button.set_text("Really delete?")
            self.error_label.set_text(f"Delete \u201c{e.name}\u201d for good? Press Delete again.")
            return
        try:
            e.path.unlink()
        except OSError as exc:
            self.error_label.set_text(f"Cannot delete {e.path.name}: {exc.strerror or exc}")
            return
        self.saves.pop(self.index)
        self.index = min(self.index, len(self.saves) - 1)
        self.error = ""
        self.rebuild()

    def confirm(self):
        if self.index < 0:
            return

        e = self.saves[self.index]
        try:
            session = Session.load(e.path)
        except Exception as exc:  # SaveError names the file; anything else is still reported
            self.error = _one_line(exc)
            self.error_label.set_text("This save cannot be loaded (see below).")
            self.details.set_text(f'<font color="{W.hex_colour(W.ERROR)}">{W.escape(self.error)}</font>')
            self.load_button.disable()
            return
        start_battle(self.app, session)


class SaveDialog(W.GuiScene):
    """Over the battle: a name for the save, the saves already made; Save writes it."""

    DESIGN = (780, 600)

    overlay = True

    def __init__(self, app, session):
        super().__init__(app)
        self.session = session
        self.saves = list_saves()
        st = session.game.state
        # Named by the scenario's title, as the player knows it, not by its file's id.
        title = re.sub(r"^Example:\s*", "", _short_title(st.title or st.scenario_id))
        self.name = clean_save_name(f"{title[:44]} turn {st.turn}") or "game"
        self.confirming: str | None = None  # the name of a save to be replaced on the next Save
        self.message = ""
        self.saved: Path | None = None

    HINT = "Enter: save  \u00b7  Esc: cancel  \u00b7  pick a save below to replace it"

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        pw, ph = min(w - px(40), px(720)), min(h - px(40), px(560))
        self.panel = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        p = self.panel
        pad = px(20)
        _label(m, (p.x + pad, p.y + pad, pw - 2 * pad, px(36)), "Save game", "#heading")
        y = p.y + pad + px(44)
        _label(m, (p.x + pad, y, px(80), px(36)), "Name", "#muted")
        self.entry = UITextEntryLine(pygame.Rect(p.x + pad + px(80), y, pw - 2 * pad - px(80), px(36)), m)
        self.entry.set_text_length_limit(60)
        self.entry.set_text(self.name)
        y += px(46)
        self.message_label = _label(m, (p.x + pad, y, pw - 2 * pad, px(28)),
                                    self.message or self.HINT,
                                    "#error" if self.confirming or self.message else "#muted")
        y += px(34)
        bottom_h = px(44)
        by = p.bottom - pad - bottom_h
        rows = [e.row() for e in self.saves]
        self.list = W.row_list((p.x + pad, y, pw - 2 * pad, by - px(12) - y), rows, m)
        self.row_lists.append((self.list, rows))
        if not self.saves:
            _label(m, (p.x + pad + px(8), y + px(8), pw - 2 * pad, px(28)), "No saves yet.", "#muted")
        self.cancel_button = UIButton(pygame.Rect(p.x + pad, by, px(130), bottom_h), "Cancel", m)
        self.save_button = UIButton(pygame.Rect(p.right - pad - px(160), by, px(160), bottom_h),
                                    "Replace" if self.confirming else "Save", m, object_id="#primary")
        self.focusable = [self.save_button, self.cancel_button]
        self.manager.set_focus_set(self.entry)

    def enter(self):
        if self.manager is not None:
            self.manager.set_focus_set(self.entry)

    def draw_background(self, screen):
        W.draw_below(self, screen)
        W.dim(screen)
        W.draw_panel(screen, self.panel, self.scale)

    def target(self) -> Path | None:
        name = clean_save_name(self.entry.get_text())
        return saves_dir() / f"{name}{save_suffix()}" if name else None

    def on_ui_event(self, event):
        if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED and event.ui_element is self.entry:
            self.name = self.entry.get_text()
            if self.confirming is not None:
                self.confirming = None
                self.save_button.set_text("Save")
                self.say("")
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry:
            self.confirm()
        elif event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.list:
            i = W.selected_row(self.list)
            if i is not None:
                self.entry.set_text(self.saves[i].name)
                self.name = self.saves[i].name
                self.confirming = None
                self.save_button.set_text("Save")
                self.say("")

    def on_button(self, button):
        if button is self.cancel_button:
            self.back()
        elif button is self.save_button:
            self.confirm()

    def say(self, text: str, error: bool = False) -> None:
        self.message = text
        self.message_label.change_object_id("#error" if error else "#muted")
        self.message_label.set_text(text or self.HINT)

    def confirm(self):
        path = self.target()
        if path is None:
            self.say("Give the save a name (letters, digits, spaces, - and _).", True)
            return
        if path.exists() and self.confirming != path.name:
            self.confirming = path.name
            self.save_button.set_text("Replace")
            self.say(f"A save called \u201c{path.stem}\u201d exists: Save again to replace it.", True)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.session.save(path)
        except (SaveError, OSError) as exc:
            self.say(_one_line(exc), True)
            return
        self.saved = path
        self.app.pop()


# -- settings ----------------------------------------------------------------------------------

class SettingsScene(W.GuiScene):
    """UI scale, colours, how AI turns are shown and followed, edge panning, autosave, the
    question before ending a turn, sound and its volume; kept on leaving."""

    DESIGN = (900, 692)  # the rows and the margin of px(20) above and below them
    ROWS = (
        ("ui_scale", "Interface size", "How large the text and buttons are."),
        ("palette", "Side colours", "Colour-blind: colours people with red-green colour "
                                    "blindness can tell apart."),
        ("ai_speed", "Computer's turns", "How fast the computer's moves are shown "
                                         "(skip: only the result)."),
        ("edge_pan", "Edge panning", "Move the map when the mouse touches the window's edge."),
        ("follow_ai", "Follow the computer", "Bring the computer's moves and fights you can "
                                             "see into view."),
        ("autosave", "Autosave", "Keep an automatic save of the game in progress."),
        ("confirm_end_turn", "Ask before ending a turn", "When units can still act, End turn "
                                                         "asks first."),
        ("mute", "Sound", "Gunfire, air strikes, bells and the click of the buttons."),
        ("volume", "Volume", "How loud the sound is."),
    )
    VOLUME_STEP = 10

    def __init__(self, app):
        super().__init__(app)
        self.row_buttons: dict[str, UIButton] = {}

    @staticmethod
    def value_text(key: str, value) -> str:
        if key == "ui_scale":
            return f"{round(float(value) * 100)}%"
        if key == "volume":
            return f"{value}%"
        if key == "mute":
            return "off" if value else "on"
        if isinstance(value, bool):
            return "on" if value else "off"
        return str(value)

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        pw = min(w - px(40), px(860))
        x0 = (w - pw) // 2
        row_h = px(58)
        block = px(60) + len(self.ROWS) * row_h + px(70)
        y = max(px(20), (h - block) // 2)
        _label(m, (x0, y, pw, px(44)), "Settings", "#heading")
        y += px(60)
        s = self.app.settings
        self.row_buttons = {}
        for key, title, hint in self.ROWS:
            _label(m, (x0, y, pw - px(240), px(32)), title)
            _label(m, (x0, y + px(30), pw - px(240), px(26)), hint, "#muted")
            b = UIButton(pygame.Rect(x0 + pw - px(220), y + px(6), px(220), px(44)),
                         self.value_text(key, getattr(s, key)), m)
            self.row_buttons[key] = b
            y += row_h
        y += px(10)
        self.back_button = UIButton(pygame.Rect(x0, y, px(150), px(46)), "Back", m, object_id="#primary")
        _label(m, (x0 + px(170), y, pw - px(170), px(46)),
               "Enter or click: change  \u00b7  Left/Right: step  \u00b7  Esc: save and go back",
               "#muted")
        self.focusable = list(self.row_buttons.values()) + [self.back_button]

    def enter(self):
        if self.focus < 0:
            self.focus = 0

    def on_key(self, event):
        if event.key in (pygame.K_LEFT, pygame.K_RIGHT) and 0 <= self.focus < len(self.focusable):
            b = self.focusable[self.focus]
            key = next((k for k, v in self.row_buttons.items() if v is b), None)
            if key:
                self.step(key, 1 if event.key == pygame.K_RIGHT else -1)
            return
        super().on_key(event)

    def on_button(self, button):
        if button is self.back_button:
            self.back()
            return
        key = next((k for k, v in self.row_buttons.items() if v is button), None)
        if key:
            self.step(key, 1, wrap=True)

    def step(self, key: str, step: int, wrap: bool = False) -> None:
        """Change ``key``'s setting by ``step`` choices. The volume stops at 0 and 100 under
        the arrow keys, and goes round from 100 to 0 when clicked (``wrap``)."""
        s = self.app.settings
        value = getattr(s, key)
        if key == "volume":
            v = value + step * self.VOLUME_STEP
            s.volume = 0 if wrap and v > 100 else max(0, min(100, v))
        elif isinstance(value, bool):
            setattr(s, key, not value)
        else:
            choices = {"ui_scale": UI_SCALES, "palette": PALETTES, "ai_speed": AI_SPEEDS}[key]
            i = min(range(len(choices)), key=lambda k: abs(choices[k] - value)) \
                if key == "ui_scale" else choices.index(value) if value in choices else 0
            setattr(s, key, choices[(i + step) % len(choices)])
        if key == "ui_scale":
            self.resize(self.app.screen.get_size())  # lays the screen out at the new size
        else:
            self.row_buttons[key].set_text(self.value_text(key, getattr(s, key)))
        if key in ("volume", "mute") and getattr(s, key) != value:
            self.app.sounds.play("select")  # heard at the new volume, or not at all when off

    def back(self):
        try:
            self.app.settings.save()
        except OSError as exc:
            print(f"mesopotamia: settings not saved ({exc})", file=sys.stderr)
        self.app.pop()


__all__ = ["LoadDialog", "MainMenuScene", "NewGameScene", "SaveDialog", "SettingsScene",
           "clean_save_name", "list_saves", "map_preview", "scenario_entries",
           "start_battle"]
