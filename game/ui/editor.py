"""The scenario editor window: a scenario's map, forces, events and victory, edited by hand.

UI layer (pygame, pygame_gui). ``EditorScene(app, path)`` edits a bundled or custom scenario
file, or a new scenario on the real map (``path`` None), through the editor engine
(``game.editor.Editor``): every change is one ``Editor.apply`` of a named operation, so every
change can be undone and redone, and the window never touches the document itself.

The window: a column of map tools on the left (select and move, place units, erase, paint
terrain, mark objective towns, paint no-fly zones, set depots, give towns to a faction), the
map in the middle (the battle screen's camera and counters), and on the right the pages of
forms (Map: the tool's options and the unit, town or depot chosen; Scenario; Sides and
factions; War; Victory; Plans; Events; Reinforcements; History), with the problems
``mesopotamia validate`` would list under them, checked again after every edit. Choosing a
problem shows its place. The top bar holds undo and redo (with what they undo), saving,
opening, the playtest and help.

``run_editor`` is the frame loop behind ``mesopotamia edit [FILE]``.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UISelectionList, UITextBox, UITextEntryLine

from game import player_scenarios_dir
from game.commands import Context
from game.editor import Editor, save as write
from game.editor.check import Issue
from game.editor.document import get, path_text, tables
from game.editor.ops import unit_paths
from game.hexgrid import Hex, hex_range
from game.scenario import SCENARIOS_DIR, ScenarioError, find_scenario
from game.session import Seat, Session, fresh_seed, shared_context
from game.ui import widgets as W
from game.ui.app import describe_line
from game.ui.battle import BattleScene
from game.ui.navigator import Navigator
from game.ui.editor_forms import PICK, Form
from game.ui.editor_map import EditorMap
from game.ui.editor_pages import TOOL_HELP, TOOLS, EditorPages
from game.ui.results import ResultsScene
from game.ui.scene import App
from game.ui.settings import env_int, home

DRAG_START = 6  # pixels the mouse moves with a button down before it drags
PAN_SPEED = 900
STATUS_MS = 4000  # how long what an edit says stays in the status bar over the hover line

PAGES = [("map", "Map"), ("scenario", "Scenario"), ("forces", "Sides"), ("war", "War"),
         ("victory", "Victory"), ("plans", "Plans"), ("events", "Events"), ("reinf", "Reinforcements"),
         ("history", "History"), ("options", "Switches")]

SHORTCUTS = [
    ("V U X T O Z D C", "tools: select, unit, erase, terrain, objective, no-fly, depot, towns"),
    ("Left click", "use the tool on a hex (drag: move a unit, paint)"),
    ("Right click", "let go of the unit, town or depot chosen"),
    ("Right or middle drag, arrows", "pan the map"),
    ("Wheel or + / -", "zoom (over a page: scroll it)"),
    ("Home", "the whole map"),
    ("[ / ]", "a smaller or bigger brush for terrain and no-fly zones"),
    ("Delete", "delete the unit chosen"),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Y or Ctrl+Shift+Z", "redo"),
    ("Ctrl+S", "save (a bundled scenario goes to your own folder)"),
    ("Ctrl+Shift+S", "save as"),
    ("Ctrl+O", "open a scenario, or start a new one"),
    ("Ctrl+N", "a new scenario on the real map"),
    ("F5", "playtest: you play the first side, the AI the rest"),
    ("Enter", "in a text field: take the text"),
    ("F1", "this help"),
    ("Pick, beside a town or place", "then click the town or hex on the map to fill the field"),
    ("Esc", "stop picking; let go of the selection; leave the editor"),
]


@dataclass
class Pick:
    """A field waiting for a click on the map: a town's name (``kind`` "town") or a hex
    (``kind`` "place") goes to ``fill``; ``what`` the prompt asks for; ``key`` the Pick
    button's place on its page."""

    kind: str
    what: str
    fill: object
    key: tuple


def custom_dir() -> Path:
    return player_scenarios_dir()


def is_bundled(path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(SCENARIOS_DIR.resolve())
    except OSError:
        return False


def find_file(path):
    """A scenario file given by its path, or a scenario by its id or file name, found as every
    command finds it: bundled (examples too), then the player's own folder."""
    if path is None:
        return None

    found = find_scenario(str(path))
    return found if found is not None else path


def scenario_title(path: Path) -> str:
    """A scenario file's title, read without checking the rest (its name if it has none)."""
    try:
        title = tomllib.loads(path.read_text(encoding="utf-8")).get("scenario", {}).get("title")
    except (OSError, ValueError, AttributeError, RecursionError):
        title = None
    return title if isinstance(title, str) and title else path.stem


# What the undo and redo buttons call an edit (others: the operation's name in words).
OP_WORDS = {
    "add_unit": "place unit", "move_unit": "move unit", "set_unit": "edit unit",
    "delete_unit": "delete unit", "paint_terrain": "paint terrain", "delete_terrain": "delete terrain",
    "toggle_no_fly_hex": "no-fly hex", "set_no_fly_zone": "edit no-fly zone",
    "add_no_fly_zone": "new no-fly zone", "delete_no_fly_zone": "delete no-fly zone",
    "add_supply_source": "new depot", "set_supply_source": "edit depot",
    "delete_supply_source": "delete depot", "set_control": "town holder",
    "toggle_objective": "objective town", "set_war": "war or peace", "set_scenario": "scenario",
    "add_side": "new side", "set_side": "edit side", "delete_side": "delete side",
    "add_faction": "new faction", "set_faction": "edit faction", "delete_faction": "delete faction",
    "add_victory": "new condition", "set_victory": "edit condition", "delete_victory": "delete condition",
    "add_event": "new event", "set_event": "edit event", "delete_event": "delete event",
    "add_action": "new action", "set_action": "edit action", "delete_action": "delete action",
    "add_reinforcement": "new reinforcement", "set_reinforcement": "edit reinforcement",
    "delete_reinforcement": "delete reinforcement", "set_history": "history",
    "add_plan": "new plan", "set_plan": "edit plan", "delete_plan": "delete plan",
    "add_history_event": "new dated event", "set_history_event": "edit dated event",
    "delete_history_event": "delete dated event",
}


def op_words(label: str) -> str:
    return OP_WORDS.get(label, label.replace("_", " "))


def _editor_context():
    return Context(*shared_context())


class EditorScene(EditorPages, W.GuiScene):
    DESIGN = (1280, 760)

    def __init__(self, app, path: str | Path | None = None):
        super().__init__(app)
        self.ctx = _editor_context()
        path = find_file(path)
        self.ed = Editor.open(path, self.ctx) if path is not None else Editor.new(self.ctx)
        self.map = EditorMap(self.ctx, pygame.Rect(0, 0, 800, 600))
        self.tool = "select"
        self.page = "map"
        self.selected: str | None = None  # a unit's path in the document
        self.sel_town: Hex | None = None
        self.sel_depot: int | None = None
        # the tools' options
        self.place_faction: str | None = None
        self.place_type = "infantry"
        self.place_into = "units"
        self.place_personnel: int | None = None  # None: the type's usual strength
        self.paint: str | None = "marsh"
        self.brush = 0  # the terrain and no-fly brush's radius in hexes
        self.obj_index: int | None = None
        self.zone_id: str | None = None
        self.depot_faction: str | None = None
        self.control_faction: str | None = None
        self.faction_id: str | None = None  # the faction shown on the Sides page
        self.event_id: str | None = None  # the event shown on the Events page
        self.plan_index: int | None = None  # the plan whose form the Plans page shows
        self.history_index: int | None = None  # the dated event whose form the History page shows
        self.option_index: int | None = None  # the switch whose form the Switches page shows
        self.scroll: dict[str, int] = {}
        # what the widgets do
        self.on_click: dict = {}
        self.on_pick: dict = {}
        self.on_text: dict = {}
        self.pending: set = set()  # text fields typed in and not yet taken
        self.form: Form | None = None
        self._stale = True
        self._checked_doc = None
        self.issues: list = []
        self.status: tuple[str, tuple] = ("", W.MUTED)
        self.shown_issue: str | None = None  # the problem last chosen, shown over the page
        self.picking: Pick | None = None  # a field waiting for a town or hex picked on the map
        self.mouse = (-1, -1)
        self.hover: Hex | None = None
        self._down = None  # (pos, button, hex) of a press not yet a click or a drag
        self._dragging = False
        self.stroke: list[Hex] = []
        self.tool_buttons: dict = {}
        self.page_buttons: dict = {}
        self._fresh = self.ed.doc
        self._leaving = False  # the person chose to leave, saved or not
        self._fix_choices()
        self._start_view()

    # -- the document ----------------------------------------------------------------------

    @property
    def doc(self) -> dict:
        return self.ed.doc

    def problems(self) -> list[Issue]:
        """What stands between the scenario and a game: the check's problems (a side with no
        units among them), the same lines `mesopotamia validate` gives."""
        return self.ed.check()

    @property
    def unsaved(self) -> bool:
        """Changes that saving would keep (a new scenario left as it came is not one)."""
        return self.ed.dirty and not (self.ed.path is None and self.ed.doc is self._fresh)

    def apply(self, op: str, **args) -> bool:
        res = self.ed.apply(op, **args)
        if not res.ok:
            self.say(res.reason, W.ERROR)
            return False
        self.say(f"Done: {op_words(res.label)}", W.GOOD)
        self.changed()
        return True

    def changed(self) -> None:
        self._stale = True
        self.cancel_pick()
        self._fix_choices()
        self.pending.clear()

    def _fix_choices(self) -> None:
        """Keep what the tools and pages point at inside the document after an edit or undo."""
        doc = self.doc
        factions = self.ed.choices("faction")
        paths = {path_text(p) for p in unit_paths(doc)}
        if self.selected not in paths:
            self.selected = None
        if self.sel_depot is not None and not 0 <= self.sel_depot < len(tables(doc, "supply_sources")):
            self.sel_depot = None
        if self.place_faction not in factions:
            self.place_faction = factions[0] if factions else None
        if self.depot_faction not in factions:
            self.depot_faction = factions[0] if factions else None
        if self.control_faction is not None and self.control_faction not in factions:
            self.control_faction = factions[0] if factions else None
        if self.faction_id not in factions:
            self.faction_id = factions[0] if factions else None
        events = self.ed.choices("event")
        if self.event_id not in events:
            self.event_id = events[0] if events else None
        zones = self.ed.choices("zone")
        if self.zone_id not in zones:
            self.zone_id = zones[0] if zones else None
        conds = self._town_conditions()
        if self.obj_index not in conds:
            self.obj_index = conds[0] if conds else None
        if self.place_into not in self.ed.choices("into"):
            self.place_into = "units"
        for name, part in (("plan_index", "plans"), ("history_index", ("history", "events")),
                           ("option_index", "options")):
            n, i = len(tables(doc, part)), getattr(self, name)
            if i is None or not 0 <= i < n:  # the first, or the last after a deletion
                setattr(self, name, min(i or 0, n - 1) if n else None)
        self.place_personnel: int | None = None  # None: the type's usual strength

    def _town_conditions(self) -> list[int]:
        return [i for i, v in enumerate(tables(self.doc, "victory"))
                if isinstance(v, dict) and v.get("kind") in ("hold", "take")]

    def _start_view(self) -> None:
        mv = self.ed.map_view()
        hexes = [Hex(*u["hex"]) for u in mv.units if u.get("hex")]
        hexes += [Hex(*t["hex"]) for ob in mv.objectives for t in ob["towns"]]
        if hexes:
            xs, ys = zip(*(self.map.renderer.hex_center_km(h) for h in hexes))
            self.map.view.level = min(len(self.map.view.levels) - 1, 8)
            self.map.view.centre_on(float(np.median(xs)), float(np.median(ys)))

    def say(self, text: str, colour=W.MUTED) -> None:
        """A line in the status bar; for a few seconds it goes before the hex under the mouse."""
        self.status = (text, colour)
        self._said_at = pygame.time.get_ticks()

    def title_text(self) -> str:
        sc = self.doc.get("scenario") if isinstance(self.doc.get("scenario"), dict) else {}
        name = self.ed.path.name if self.ed.path else "not saved yet"
        if self.ed.path is not None and is_bundled(self.ed.path):
            name += " (bundled: saving makes your own copy)"
        changed = "  \u00b7  changed, not saved" if self.unsaved and self.ed.path is not None else ""
        return f"{sc.get('title', 'Untitled')}  \u00b7  {name}{changed}"

    # -- layout ----------------------------------------------------------------------------

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        self.top_h = px(46)
        self.bottom_h = px(28)
        self.tools_w = px(124)
        self.panel_w = min(px(440), max(px(300), int(w * 0.34)))
        body_h = h - self.top_h - self.bottom_h
        self.map_rect = pygame.Rect(self.tools_w, self.top_h, w - self.tools_w - self.panel_w, body_h)
        self.map.resize(self.map_rect)
        self.panel_rect = pygame.Rect(self.map_rect.right, self.top_h, self.panel_w, body_h)
        # the top bar: title on the left, actions on the right
        bh = px(34)
        y = (self.top_h - bh) // 2
        x = w - px(8)
        self.action_buttons = {}
        for key, text, width in reversed([
                ("undo", "Undo", 190), ("redo", "Redo", 190), ("save", "Save", 74),
                ("save_as", "Save as", 92), ("open", "Open", 74), ("playtest", "Playtest", 100),
                ("help", "Help", 64), ("close", "Close", 72)]):
            b = UIButton(pygame.Rect(x - px(width), y, px(width), bh), text, m,
                         object_id="#primary" if key == "playtest" else None)
            self.action_buttons[key] = b
            x -= px(width) + px(6)
        self.title_label = UILabel(pygame.Rect(px(12), y, max(px(60), x - px(12)), bh), "", m)
        # the tools
        self.tool_buttons = {}
        ty = self.top_h + px(8)
        for tool, name, _, letter in TOOLS:
            b = UIButton(pygame.Rect(px(6), ty, self.tools_w - px(12), px(40)), f"{name}  {letter}", m)
            b.set_tooltip(TOOL_HELP[tool])
            self.tool_buttons[tool] = b
            ty += px(46)
        # the pages' tabs, the page, the problems
        fnt = W.font(W.scaled(W.BODY, self.scale))
        tx, ty = self.panel_rect.x + px(8), self.top_h + px(6)
        self.page_buttons = {}
        for page, name in PAGES:
            bw = fnt.size(name)[0] + px(20)
            if tx + bw > self.panel_rect.right - px(8):
                tx, ty = self.panel_rect.x + px(8), ty + px(34)
            self.page_buttons[page] = UIButton(pygame.Rect(tx, ty, bw, px(30)), name, m)
            tx += bw + px(4)
        tabs_bottom = ty + px(36)
        problems_h = max(px(110), int(body_h * 0.2))
        self.problems_rect = pygame.Rect(self.panel_rect.x, self.panel_rect.bottom - problems_h,
                                         self.panel_w, problems_h)
        self.page_rect = pygame.Rect(self.panel_rect.x, tabs_bottom, self.panel_w,
                                     self.problems_rect.y - tabs_bottom)
        self.problems_label = UILabel(pygame.Rect(self.problems_rect.x + px(10), self.problems_rect.y + px(4),
                                                  self.panel_w - px(20), px(26)), "", m, object_id="#heading")
        self.problems_list = UISelectionList(
            pygame.Rect(self.problems_rect.x + px(8), self.problems_rect.y + px(32),
                        self.panel_w - px(16), problems_h - px(40)), [], m)
        self._checked_doc = None
        self.form = None
        self._stale = True
        self.status_rect = pygame.Rect(0, h - self.bottom_h, w, self.bottom_h)
        self._refresh_bars()

    def _refresh_bars(self) -> None:
        """The parts of the chrome that follow the document: title, undo and redo, tools."""
        px = self.px
        self.title_label.set_text(W.fit_text(self.title_text(), W.font(W.scaled(W.BODY, self.scale)),
                                             self.title_label.rect.w - px(6)))
        fnt = W.font(W.scaled(W.BODY, self.scale))
        for key, can, label in (("undo", self.ed.can_undo, self.ed.undo_label),
                                ("redo", self.ed.can_redo, self.ed.redo_label)):
            b = self.action_buttons[key]
            text = f"{'Undo' if key == 'undo' else 'Redo'}: {op_words(label)}" if can else \
                ("Undo" if key == "undo" else "Redo")
            b.set_text(W.fit_text(text, fnt, b.rect.w - px(14)))
            b.set_tooltip(f"{text} ({'Ctrl+Z' if key == 'undo' else 'Ctrl+Y'})" if can else None)
            b.enable() if can else b.disable()
        for tool, b in self.tool_buttons.items():
            b.select() if tool == self.tool else b.unselect()
        for page, b in self.page_buttons.items():
            b.select() if page == self.page else b.unselect()
        if self._checked_doc is not self.doc:
            self._checked_doc = self.doc
            self.issues = self.problems()
            n = len(self.issues)
            self.problems_label.set_text(f"Problems: {n}" if n else "No problems: ready to play")
            self.problems_list.set_item_list([W.fit_text(str(i), fnt, self.problems_list.rect.w - px(30))
                                              for i in self.issues])

    def _rebuild_page(self) -> None:
        if self.form is not None:
            for wdg in self.form.widgets:
                wdg.kill()
        self.on_click, self.on_pick, self.on_text = {}, {}, {}
        self.pending.clear()
        self._refresh_bars()
        self.form = Form(self, self.page_rect, self.scroll.get(self.page, 0))
        if self.shown_issue is not None:
            if self.shown_issue in [str(i) for i in self.issues]:
                self.form.note(f"Problem: {self.shown_issue}", "#error")
            else:
                self.shown_issue = None
        getattr(self, f"page_{self.page}")(self.form)
        self._page_h = self.form.height + self.scroll.get(self.page, 0)
        self._stale = False

    def set_page(self, page: str) -> None:
        if page != self.page:
            self.cancel_pick()
        self.page = page
        self._stale = True

    def set_tool(self, tool: str) -> None:
        self.cancel_pick()
        self.tool = tool
        self.stroke = []
        self.page = "map"
        self._stale = True

    # -- input -----------------------------------------------------------------------------

    def handle_event(self, event):
        if self.manager is None:
            return
        t = event.type
        if t in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.mouse = event.pos
        if t == pygame.MOUSEBUTTONDOWN and self.pending:
            self._commit_pending(event.pos)
        consumed = self.manager.process_events(event)
        if t == pygame_gui.UI_BUTTON_PRESSED:
            self._button(event.ui_element)
        elif t == pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            fn = self.on_pick.get(event.ui_element)
            if fn is not None:
                self._guard(fn, event.text)
        elif t == pygame_gui.UI_TEXT_ENTRY_FINISHED:
            fn = self.on_text.get(event.ui_element)
            self.pending.discard(event.ui_element)
            if fn is not None:
                self._guard(fn, event.text)
        elif t == pygame_gui.UI_TEXT_ENTRY_CHANGED:
            if event.ui_element in self.on_text:
                self.pending.add(event.ui_element)
        elif t in (pygame_gui.UI_SELECTION_LIST_NEW_SELECTION, pygame_gui.UI_SELECTION_LIST_DROPPED_SELECTION):
            if event.ui_element is self.problems_list:  # a second click on a row shows it again
                texts = [item["text"] for item in self.problems_list.item_list]
                i = texts.index(event.text) if event.text in texts else None
                if i is not None and i < len(self.issues):
                    self.show_issue(self.issues[i])
        elif t == pygame.KEYDOWN:
            if self._typing():
                saving = event.key == pygame.K_s and event.mod & pygame.KMOD_CTRL
                if saving or event.key in (pygame.K_F1, pygame.K_F5):
                    self._commit_pending((-1, -1))  # what is typed counts, then the key
                    self.manager.set_focus_set(None)
                    self.on_key(event)
                elif event.key == pygame.K_ESCAPE:
                    for e in list(self.manager.get_focus_set() or ()):
                        if isinstance(e, UITextEntryLine):
                            e.unfocus()
                    self.manager.set_focus_set(None)
                    self.pending.clear()
                    self._stale = True
                return
            self.on_key(event)
        elif t == pygame.MOUSEWHEEL:
            if consumed:  # a list under the mouse (an open drop-down, the problems) scrolled
                return
            if self.page_rect.collidepoint(self.mouse):
                self._scroll_page(-event.y * self.px(40))
            elif self.map_rect.collidepoint(self.mouse) and event.y:
                self.map.view.zoom(1 if event.y > 0 else -1, self.mouse)
        elif t in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if not consumed or t != pygame.MOUSEBUTTONDOWN:  # a press the widgets took is theirs
                self._mouse(event)

    def _commit_pending(self, pos) -> None:
        for entry in list(self.pending):
            if entry.alive() and not entry.rect.collidepoint(pos):
                fn = self.on_text.get(entry)
                self.pending.discard(entry)
                if fn is not None:
                    self._guard(fn, entry.get_text())

    def _guard(self, fn, *args) -> None:
        try:
            fn(*args)
        except ValueError as exc:
            self.say(str(exc), W.ERROR)
            self._stale = True

    def _scroll_page(self, dy: int) -> None:
        top = max(0, getattr(self, "_page_h", 0) - self.page_rect.h + self.px(20))
        new = min(max(0, self.scroll.get(self.page, 0) + dy), top)
        if new != self.scroll.get(self.page, 0):
            self.scroll[self.page] = new
            self._stale = True

    def _button(self, b) -> None:
        for key, btn in self.action_buttons.items():
            if b is btn:
                getattr(self, f"do_{key}")()
                return
        for tool, btn in self.tool_buttons.items():
            if b is btn:
                self.set_tool(tool)
                return
        for page, btn in self.page_buttons.items():
            if b is btn:
                self.set_page(page)
                return
        fn = self.on_click.get(b)
        if fn is not None:
            self._guard(fn)

    def on_key(self, event) -> None:
        k, mods = event.key, event.mod
        ctrl = mods & pygame.KMOD_CTRL
        shift = mods & pygame.KMOD_SHIFT
        if ctrl:
            if k == pygame.K_z and not shift:
                self.do_undo()
            elif k == pygame.K_y or (k == pygame.K_z and shift):
                self.do_redo()
            elif k == pygame.K_s:
                self.do_save_as() if shift else self.do_save()
            elif k == pygame.K_o:
                self.do_open()
            elif k == pygame.K_n:
                self.leave_then(lambda: self.open_path(None))
            return
        if k == pygame.K_F1 or getattr(event, "unicode", "") == "?":
            self.do_help()
        elif k == pygame.K_F5:
            self.do_playtest()
        elif k == pygame.K_ESCAPE:
            if self.picking is not None:
                self.cancel_pick()
                self.say("Not picked", W.MUTED)
            elif self.stroke or self._down:
                self.stroke, self._down = [], None
            elif self.selected is not None or self.sel_town is not None or self.sel_depot is not None:
                self.deselect()
            else:
                self.do_close()
        elif k in (pygame.K_DELETE, pygame.K_BACKSPACE):
            if self.selected is not None:
                self.apply("delete_unit", unit=self.selected)
            elif self.sel_depot is not None:
                self.apply("delete_supply_source", index=self.sel_depot)
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.map.view.zoom(+1)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.map.view.zoom(-1)
        elif k == pygame.K_HOME:
            self.map.view.fit()
        elif k in (pygame.K_LEFTBRACKET, pygame.K_RIGHTBRACKET):
            self._set("brush", min(2, max(0, self.brush + (1 if k == pygame.K_RIGHTBRACKET else -1))))
        else:
            for tool, _, key, _ in TOOLS:
                if k == key:
                    self.set_tool(tool)
                    return

    def _mouse(self, event) -> None:
        t = event.type
        if t == pygame.MOUSEBUTTONDOWN:
            if event.button not in (1, 2, 3) or not self.map_rect.collidepoint(event.pos):
                return
            h = self.map.hex_at(event.pos)
            self._down = (event.pos, event.button, h)
            self._dragging = False
            if event.button == 1 and self.tool in ("terrain", "nofly") and h is not None \
                    and self.picking is None:
                self.stroke = []
                self._brush_at(h)
        elif t == pygame.MOUSEMOTION:
            if self._down is None:
                return
            (x0, y0), button, h0 = self._down
            moved = abs(event.pos[0] - x0) + abs(event.pos[1] - y0) > DRAG_START
            if button in (2, 3):
                if self._dragging or moved:
                    self._dragging = True
                    self.map.view.pan_pixels(*event.rel)
            elif self.picking is not None:
                self._dragging = self._dragging or moved
            elif self.tool in ("terrain", "nofly"):
                h = self.map.hex_at(event.pos)
                if h is not None:
                    self._brush_at(h)
            elif moved:
                self._dragging = True
                h = self.map.hex_at(event.pos)
                if self.tool == "select" and h0 is not None and self.map.units_at(h0):
                    self.stroke = [h] if h is not None else []  # where the unit would go
        elif t == pygame.MOUSEBUTTONUP:
            down, self._down = self._down, None
            if down is None:
                return
            _, button, h0 = down
            h = self.map.hex_at(event.pos)
            if button in (2, 3):
                if not self._dragging and button == 3:
                    if self.picking is not None:
                        self.cancel_pick()
                        self.say("Not picked", W.MUTED)
                    else:
                        self.deselect()
                self._dragging = False
                return
            dragged, self._dragging = self._dragging, False
            if self.picking is not None:
                if h is not None and not dragged:
                    self._guard(self.pick_at, h)
                return
            if self.tool in ("terrain", "nofly"):
                stroke, self.stroke = self.stroke, []
                if stroke:
                    self._guard(self.paint_stroke, stroke)
                return
            if h is None:
                return
            self.stroke = []
            if self.tool == "select" and dragged and h0 is not None and h0 != h:
                self._guard(self.drag_unit, h0, h)
            elif not dragged or self.tool == "select":
                self._guard(self.use_tool, h)

    def _brush_at(self, h: Hex) -> None:
        """Add the hexes under the brush at ``h`` to the stroke being painted."""
        for x in [h] + [x for x in hex_range(h, self.brush) if x != h]:
            if x not in self.stroke and self.ctx.hexmap.in_bounds(x):
                self.stroke.append(x)

    def _brush_buttons(self, f: Form) -> None:
        sizes = [(0, "1 hex"), (1, "7 hexes"), (2, "19 hexes")]
        f.buttons([(text, (lambda r=r: self._set("brush", r))) for r, text in sizes], "brush  [ ]",
                  selected=[text for r, text in sizes if r == self.brush])

    # -- picking a town or a hex on the map for a field ---------------------------------------

    def start_pick(self, kind: str, what: str, fill, key: tuple = ()) -> None:
        """Wait for a click on the map that fills a field (its Pick button again: stop)."""
        if self.picking is not None and self.picking.key == key:
            self.cancel_pick()
            self.say("Not picked", W.MUTED)
            return
        self._commit_pending((-1, -1))
        self.picking = Pick(kind, what, fill, key)
        self._set_cursor(True)
        self.say(self.pick_prompt(), W.BRASS)
        self._stale = True

    def cancel_pick(self) -> None:
        if self.picking is not None:
            self.picking = None
            self._set_cursor(False)
            self._stale = True

    def pick_prompt(self) -> str:
        p = self.picking
        return f"Pick {p.what}: click it on the map (Esc or right click: not now)" if p else ""

    def pick_at(self, h: Hex) -> None:
        """The click that fills the field waiting: the town in hex ``h`` for a town's field
        (a hex with none is refused, and the field still waits), the hex for a place's."""
        p = self.picking
        city = self.ctx.hexmap.city_at(h)
        if p.kind == "town":
            if city is None:
                self.say(f"Hex [{h.q}, {h.r}] has no town: click a town, or Esc not to pick", W.ERROR)
                return
            value = city.name
        else:
            value = [h.q, h.r]  # the editor's operations write a town's hex as the town's name
        self.cancel_pick()
        p.fill(value)
        if self.status[1] == W.GOOD:  # the edit was made: say what was picked
            self.say(f"{self.status[0]} ({city.name if city else f'hex [{h.q}, {h.r}]'})", W.GOOD)

    def _set_cursor(self, picking: bool) -> None:
        try:
            pygame.mouse.set_cursor(pygame.SYSTEM_CURSOR_CROSSHAIR if picking else pygame.SYSTEM_CURSOR_ARROW)
        except pygame.error:  # no mouse cursor to change (a window without one, headless)
            pass

    def deselect(self) -> None:
        self.selected, self.sel_town, self.sel_depot = None, None, None
        self._stale = True

    # -- the tools -------------------------------------------------------------------------

    def _depot_at(self, h: Hex) -> int | None:
        for d in self.ed.map_view().supply_sources:
            if d.get("hex") == [h.q, h.r]:
                return d["index"]
        return None

    def select_unit(self, path: str | None) -> None:
        self.selected, self.sel_town, self.sel_depot = path, None, None
        self.page = "map"
        self._stale = True

    def use_tool(self, h: Hex) -> None:
        """A click with the tool on hex ``h``."""
        tool = self.tool
        city = self.ctx.hexmap.city_at(h)
        units = self.map.units_at(h)
        if tool == "select":
            if units:
                paths = [u.path for u in units]
                i = (paths.index(self.selected) + 1) % len(paths) if self.selected in paths else 0
                self.select_unit(paths[i])
            elif self._depot_at(h) is not None:
                self.deselect()
                self.sel_depot = self._depot_at(h)
                self.page = "map"
            elif city is not None:
                self.deselect()
                self.sel_town = city.hex
                self.page = "map"
            else:
                self.deselect()
                self.say(f"Hex [{h.q}, {h.r}]: nothing of the scenario here", W.MUTED)
        elif tool == "unit":
            if self.place_faction is None:
                self.say("Add a faction first (the Sides page)", W.ERROR)
                return
            before = {path_text(p) for p in unit_paths(self.doc)}
            if self.apply("add_unit", faction=self.place_faction, type=self.place_type,
                          place=[h.q, h.r], into=self.place_into, personnel=self.place_personnel):
                new = [path_text(p) for p in unit_paths(self.doc) if path_text(p) not in before]
                if new:
                    self.selected, self.sel_town, self.sel_depot = new[0], None, None
                    self.page = "map"
        elif tool == "erase":
            if units:
                top = self.selected if self.selected in [u.path for u in units] else units[0].path
                self.apply("delete_unit", unit=top)
            elif self._depot_at(h) is not None:
                self.apply("delete_supply_source", index=self._depot_at(h))
            elif self.ed.map_view().hexmap.terrain_at(h) != self.ctx.hexmap.terrain_at(h):
                self.apply("paint_terrain", hexes=[[h.q, h.r]], terrain=None)
            else:
                self.say("Nothing of the scenario to erase here", W.MUTED)
        elif tool == "objective":
            if city is None:
                self.say(f"Hex [{h.q}, {h.r}] has no town: objectives are towns", W.ERROR)
            elif self.obj_index is None:
                self.say("Add a hold or take condition first (below, or the Victory page)", W.ERROR)
            else:
                self.apply("toggle_objective", index=self.obj_index, city=city.name)
        elif tool == "depot":
            at = self._depot_at(h)
            if at is not None:
                self.deselect()
                self.sel_depot = at
            elif self.depot_faction is None:
                self.say("Add a faction first (the Sides page)", W.ERROR)
            elif self.apply("add_supply_source", place=[h.q, h.r], faction=self.depot_faction):
                self.deselect()
                self.sel_depot = len(tables(self.doc, "supply_sources")) - 1
        elif tool == "control":
            if city is None:
                self.say(f"Hex [{h.q}, {h.r}] has no town", W.ERROR)
            else:
                self.apply("set_control", city=city.name, faction=self.control_faction)
        self._stale = True

    def drag_unit(self, h0: Hex, h: Hex) -> None:
        units = self.map.units_at(h0)
        if not units:
            return
        paths = [u.path for u in units]
        path = self.selected if self.selected in paths else paths[0]
        if self.apply("move_unit", unit=path, place=[h.q, h.r]):
            self.select_unit(path)

    def paint_stroke(self, stroke: list[Hex]) -> None:
        cells = [[h.q, h.r] for h in stroke]
        if self.tool == "terrain":
            self.apply("paint_terrain", hexes=cells, terrain=self.paint)
            return
        if self.zone_id is None:
            self.say("Make a no-fly zone first (New zone, below)", W.ERROR)
            return
        if len(cells) == 1:
            self.apply("toggle_no_fly_hex", zone=self.zone_id, hex=cells[0])
            return
        zone = next(z for z in self.ed.map_view().zones if z["id"] == self.zone_id)
        have = [list(x) for x in zone.get("hexes") or []]
        if cells[0] in have:
            new = [c for c in have if c not in cells]
        else:
            new = have + [c for c in cells if c not in have]
        if not new:
            self.say("A zone needs one hex at least: delete the zone instead", W.ERROR)
            return
        self.apply("set_no_fly_zone", zone=self.zone_id, hexes=sorted(new))

    # -- the actions of the top bar --------------------------------------------------------

    def do_undo(self) -> None:
        label = self.ed.undo_label
        if self.ed.undo():
            self.say(f"Undone: {op_words(label)}")
            self.changed()

    def do_redo(self) -> None:
        label = self.ed.redo_label
        if self.ed.redo():
            self.say(f"Redone: {op_words(label)}")
            self.changed()

    def save_target(self) -> Path | None:
        """Where Save writes: the file it came from, unless that is bundled or there is none."""
        p = self.ed.path
        return None if p is None or is_bundled(p) else p

    def do_save(self) -> bool:
        target = self.save_target()
        if target is None:
            self.do_save_as()
            return False
        return self.save_to(target)

    def save_to(self, target: Path) -> bool:
        try:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            self.ed.save(target)
        except (OSError, ValueError) as exc:
            self.say(f"Not saved: {exc}", W.ERROR)
            return False
        n = len(self.problems())
        self.say(f"Saved {target}" + (f" ({n} problems still to fix)" if n else ""), W.GOOD)
        self._stale = True
        return True

    def do_save_as(self) -> None:
        self.app.push(SaveAsDialog(self.app, self))

    def do_open(self) -> None:
        self.leave_then(lambda: self.app.push(OpenDialog(self.app, self)))

    def open_path(self, path) -> bool:
        try:
            ed = Editor.open(path, self.ctx) if path is not None else Editor.new(self.ctx)
        except ScenarioError as exc:
            self.say("; ".join(exc.problems[:2]), W.ERROR)
            return False
        self.ed = ed
        self._fresh = ed.doc
        self.selected = self.sel_town = self.sel_depot = None
        self.scroll = {}
        self.event_id = self.faction_id = None
        self.plan_index = self.history_index = self.option_index = None
        self._checked_doc = None
        self.changed()
        self._start_view()
        self.say(f"Opened {Path(path).name}" if path else "A new scenario", W.GOOD)
        return True

    def do_help(self) -> None:
        Navigator(self.app).help("Scenario editor: keys and mouse", SHORTCUTS)

    def do_close(self) -> None:
        self.leave_then(self.leave_editor)

    def back(self) -> None:
        self.do_close()

    def leave_editor(self) -> None:
        self._leaving = True
        if self.app.below(self) is None:
            self.app.quit(0)
        else:
            self.app.pop()

    def close_requested(self) -> bool:
        """Closing the window with changes not saved asks first, from wherever the editor
        was opened (the command line or the main menu)."""
        if not self.unsaved or getattr(self, "_leaving", False):
            return True
        return_to(self.app, self)

        def quit_now():
            self._leaving = True
            self.app.quit(0)

        self.leave_then(quit_now)
        return False

    def leave_then(self, then) -> None:
        """Do ``then``, after asking whether to save the changes if there are any."""
        if not self.unsaved:
            then()
            return

        def save_and_go():
            self.app.pop()
            if self.save_target() is None:
                self.app.push(SaveAsDialog(self.app, self, then=then))
            elif self.do_save():
                then()

        def discard():
            self.app.pop()
            then()

        self.app.push(Dialog(self.app, "Unsaved changes",
                             "The scenario has changes that are not saved. Save them first?",
                             [("Save", save_and_go, "#primary"), ("Don't save", discard, "#danger"),
                              ("Cancel", lambda: self.app.pop(), None)]))

    def do_playtest(self) -> None:
        """Play the scenario as it is now: the first side a person, the others the AI."""
        issues = self.problems()
        if issues:
            more = f"\n... and {len(issues) - 12} more" if len(issues) > 12 else ""
            self.app.push(Dialog(self.app, "Not ready to play",
                                 "Fix these first (choose one in the problems list to see it):\n\n"
                                 + "\n".join(str(i) for i in issues[:12]) + more,
                                 [("Back to the editor", lambda: self.app.pop(), "#primary")]))
            return

        path = self.ed.path
        if path is None or self.ed.dirty or not Path(path).exists():
            path = home() / "playtest.toml"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write(self.doc, path, self.ed.base_text)
            except OSError as exc:
                self.say(f"Cannot write the playtest file: {exc}", W.ERROR)
                return
        order = get(self.doc, "scenario.side_order") or self.ed.choices("side")
        seats = {s: Seat("human" if i == 0 else "ai") for i, s in enumerate(order)}
        try:
            session = Session.new(path, seats, seed=fresh_seed())
        except (ScenarioError, ValueError) as exc:
            self.say(f"Cannot start: {exc}", W.ERROR)
            return
        self.app.push(PlaytestBattle(self.app, session, self))

    # -- problems --------------------------------------------------------------------------

    def show_issue(self, issue) -> None:
        """Show where a problem is: the map on its hex, the page or the unit it is about."""
        tg = issue.target or {}
        kind = tg.get("kind")
        if tg.get("hex"):
            self.map.centre_on(Hex(*tg["hex"]), level=5)
        if kind == "unit":
            self.select_unit(tg.get("path"))
        elif kind == "event":
            ev = tg.get("id") or get(self.doc, (tg.get("path") or "") + ".id")
            self.event_id = ev if ev in self.ed.choices("event") else self.event_id
            self.set_page("events")
        elif kind in ("victory",):
            self.obj_index = tg.get("index", self.obj_index) if tg.get("index") in self._town_conditions() \
                else self.obj_index
            self.set_page("victory")
        elif kind in ("faction", "side"):
            if kind == "faction" and tg.get("id") in self.ed.choices("faction"):
                self.faction_id = tg["id"]
            self.set_page("forces")
        elif kind == "war":
            self.set_page("war")
        elif kind == "scenario":
            self.set_page("scenario")
        elif kind == "plan":
            if isinstance(tg.get("index"), int):
                self.plan_index = tg["index"]
            self.set_page("plans")
        elif kind in ("history", "history_event"):
            if kind == "history_event":
                self.history_index = tg.get("index")
            self.set_page("history")
        elif kind == "options":
            if isinstance(tg.get("index"), int):
                self.option_index = tg["index"]
            self.set_page("options")
        elif kind == "reinforcement":
            self.set_page("reinf")
        elif kind == "no_fly_zone":
            if tg.get("id") in self.ed.choices("zone"):
                self.zone_id = tg["id"]
            self.set_tool("nofly")
        elif kind == "supply_source" and isinstance(tg.get("index"), int):
            self.deselect()
            self.sel_depot = tg["index"]
            self.set_page("map")
        elif kind == "city" and tg.get("hex"):
            self.deselect()
            self.sel_town = Hex(*tg["hex"])
            self.set_page("map")
        elif kind == "terrain":
            self.set_tool("terrain")
        self.say(str(issue), W.ERROR)
        self.shown_issue = str(issue)
        self._stale = True

    # -- frame -----------------------------------------------------------------------------

    def enter(self) -> None:
        self._stale = True

    def update(self, dt: float) -> None:
        if self.manager is None:
            return
        if self._stale:
            self._rebuild_page()
        keys = pygame.key.get_pressed()
        if not self._typing():
            dx = keys[pygame.K_LEFT] - keys[pygame.K_RIGHT]
            dy = keys[pygame.K_UP] - keys[pygame.K_DOWN]
            if dx or dy:
                self.map.view.pan_pixels(dx * PAN_SPEED * dt, dy * PAN_SPEED * dt)
        self.manager.update(dt)

    def draw(self, screen) -> None:
        mv = self.ed.map_view()
        self.map.style(mv, self.doc, self.app.settings.palette)
        over_map = self.map_rect.collidepoint(self.mouse) and self.manager.get_hovering_any_element() is False
        self.hover = self.map.hex_at(self.mouse) if over_map else None
        if self.selected is not None:
            sel = self.selected
        elif self.sel_town is not None:
            sel = self.sel_town
        elif self.sel_depot is not None:
            d = next((d for d in mv.supply_sources if d["index"] == self.sel_depot), None)
            sel = Hex(*d["hex"]) if d and d.get("hex") else None
        else:
            sel = None
        self.map.draw(screen, mv, self.doc, selected=sel, hover=self.hover, stroke=self.stroke,
                      zone=self.zone_id if self.tool == "nofly" else None,
                      objective=self.obj_index if self.tool == "objective" else None)
        self._draw_dragged(screen)
        self._draw_pick_banner(screen)
        w, h = screen.get_size()
        screen.fill(W.PANEL, (0, 0, w, self.top_h))
        screen.fill(W.PANEL, (0, self.top_h, self.tools_w, self.map_rect.h))
        screen.fill(W.PANEL, self.panel_rect)
        screen.fill((28, 32, 26), self.problems_rect)
        pygame.draw.line(screen, W.PANEL_EDGE, (0, self.top_h - 1), (w, self.top_h - 1))
        pygame.draw.line(screen, W.PANEL_EDGE, (self.panel_rect.x, self.top_h), self.panel_rect.bottomleft)
        pygame.draw.line(screen, W.PANEL_EDGE, (self.tools_w - 1, self.top_h),
                         (self.tools_w - 1, self.map_rect.bottom))
        pygame.draw.line(screen, W.PANEL_EDGE, self.problems_rect.topleft, self.problems_rect.topright)
        pygame.draw.line(screen, W.PANEL_EDGE, (self.page_rect.x, self.page_rect.y - 2),
                         (self.page_rect.right, self.page_rect.y - 2))
        self._draw_status(screen)
        self.manager.draw_ui(screen)
        self._draw_scroll(screen)

    def _draw_scroll(self, screen) -> None:
        """A thin bar at the page's right edge when its rows do not all fit (the wheel scrolls)."""
        total = getattr(self, "_page_h", 0)
        r = self.page_rect
        if total <= r.h:
            return
        top = self.scroll.get(self.page, 0)
        bar_h = max(self.px(24), int(r.h * r.h / total))
        y = r.y + int((r.h - bar_h) * min(1.0, top / max(1, total - r.h + self.px(20))))
        pygame.draw.rect(screen, (58, 66, 50), (r.right - self.px(5), r.y, self.px(4), r.h))
        pygame.draw.rect(screen, W.BRASS, (r.right - self.px(5), y, self.px(4), bar_h),
                         border_radius=self.px(2))

    def _draw_dragged(self, screen) -> None:
        """The unit being dragged, under the mouse."""
        if not (self._dragging and self.tool == "select" and self._down and self._down[1] == 1
                and self._down[2] is not None and self.map.art is not None):
            return
        units = self.map.units_at(self._down[2])
        if not units:
            return
        u = next((x for x in units if x.path == self.selected), units[0])
        size = self.map.counter_size()
        surf = self.map.art.counter(u.faction, u.type, u.personnel, size).copy()
        surf.set_alpha(190)
        screen.blit(surf, (self.mouse[0] - size // 2, self.mouse[1] - size // 2))

    def _draw_pick_banner(self, screen) -> None:
        """While a field waits for a pick: what to click, across the top of the map, and what
        the hex under the mouse would give."""
        if self.picking is None:
            return
        r = self.map_rect
        fnt = W.font(W.scaled(W.BODY, self.scale))
        text = self.pick_prompt()
        if self.hover is not None:
            city = self.ctx.hexmap.city_at(self.hover)
            if self.picking.kind == "town":
                text += f"  \u00b7  here: {city.name if city else 'no town'}"
            else:
                text += f"  \u00b7  here: {city.name if city else f'hex [{self.hover.q}, {self.hover.r}]'}"
        lines = W.wrap(text, fnt, r.w - self.px(24))
        lh = fnt.get_linesize()
        band = pygame.Rect(r.x, r.y, r.w, len(lines) * lh + self.px(12))
        shade = pygame.Surface(band.size, pygame.SRCALPHA)
        shade.fill((*W.PANEL[:3], 225))
        screen.blit(shade, band.topleft)
        pygame.draw.line(screen, W.BRASS, band.bottomleft, band.bottomright, 2)
        y = band.y + self.px(6)
        for line in lines:
            W.blit_text(screen, line, fnt, W.BRASS, (band.x + self.px(12), y), "topleft")
            y += lh

    def _draw_status(self, screen) -> None:
        r = self.status_rect
        screen.fill(W.PANEL, r)
        pygame.draw.line(screen, W.PANEL_EDGE, r.topleft, r.topright)
        fnt = W.font(W.scaled(W.SMALL + 1, self.scale))
        right = f"zoom {self.map.view.level + 1}/{len(self.map.view.levels)}   F1: keys"
        rt = W.blit_text(screen, right, fnt, W.MUTED, (r.right - self.px(10), r.centery), "midright")
        fresh = self.status[0] and pygame.time.get_ticks() - getattr(self, "_said_at", 0) < STATUS_MS
        if self.hover is not None and not fresh:
            mv = self.ed.map_view()
            text, _ = describe_line(mv.hexmap, self.hover)
            text = f"hex [{self.hover.q}, {self.hover.r}]  \u00b7  {text}"
            here = [u for u in mv.units if u.get("hex") == [self.hover.q, self.hover.r]]
            if here:
                text += "  \u00b7  " + ", ".join(f"{u.get('id') or u['path']}" for u in here[:3])
            depots = [d for d in mv.supply_sources if d.get("hex") == [self.hover.q, self.hover.r]]
            if depots:
                d = depots[0]
                text += f"  \u00b7  depot of {d.get('faction') or d.get('side')}"
            colour = W.INK
        else:
            text, colour = self.status
            if not text:
                text = TOOL_HELP[self.tool]
        text = W.fit_text(text, fnt, rt.x - self.px(30))
        W.blit_text(screen, text, fnt, colour, (self.px(10), r.centery), "midleft")


# -- dialogs -----------------------------------------------------------------------------------

class Dialog(W.GuiScene):
    """A box over the editor: a title, text, an optional text field, and buttons."""

    overlay = True
    DESIGN = (760, 520)

    def __init__(self, app, title: str, text: str, buttons: list, entry: str | None = None):
        super().__init__(app)
        self.title = title
        self.text = text
        self.button_specs = buttons  # (label, function, object id)
        self.entry_text = entry
        self.entry: UITextEntryLine | None = None
        self.panel = pygame.Rect(0, 0, 0, 0)

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        pw = min(px(620), w - px(40))
        body = W.font(W.scaled(W.BODY, self.scale))
        lines = sum(len(W.wrap(t, body, pw - px(60))) for t in self.text.split("\n"))
        text_h = min(h - px(220), lines * int(body.get_linesize() * 1.25) + px(24))
        ph = px(60) + text_h + (px(46) if self.entry_text is not None else 0) + px(70)
        self.panel = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        p = self.panel
        UILabel(pygame.Rect(p.x + px(20), p.y + px(14), pw - px(40), px(34)), self.title, m,
                object_id="#heading")
        self.body = UITextBox(W.escape(self.text), pygame.Rect(p.x + px(14), p.y + px(52), pw - px(28), text_h),
                              m, object_id="#plain")
        y = p.y + px(52) + text_h + px(6)
        if self.entry_text is not None:
            self.entry = UITextEntryLine(pygame.Rect(p.x + px(20), y, pw - px(40), px(36)), m)
            self.entry.set_text(self.entry_text)
            self.entry.focus()
            y += px(46)
        x = p.right - px(20)
        self.buttons = []
        for label, fn, oid in reversed(self.button_specs):
            bw = body.size(label)[0] + px(40)
            b = UIButton(pygame.Rect(x - bw, p.bottom - px(56), bw, px(40)), label, m, object_id=oid)
            self.buttons.insert(0, (b, fn))
            x -= bw + px(10)
        self.focusable = [b for b, _ in self.buttons]

    def on_button(self, button):
        for b, fn in self.buttons:
            if b is button:
                fn()
                return

    def on_ui_event(self, event):
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry:
            self.confirm()

    def confirm(self):
        if self.buttons:
            self.buttons[0][1]()

    def back(self):
        self.app.pop()

    def draw(self, screen):
        W.draw_below(self, screen)
        W.dim(screen, 170)
        W.draw_panel(screen, self.panel, self.scale)
        self.manager.draw_ui(screen)
        self.draw_focus(screen)


class SaveAsDialog(Dialog):
    """A file name for the scenario, in the custom scenarios folder."""

    def __init__(self, app, editor: EditorScene, then=None):
        self.editor = editor
        self.then = then
        self._confirmed: Path | None = None
        sc = editor.doc.get("scenario") if isinstance(editor.doc.get("scenario"), dict) else {}
        name = editor.ed.path.name if editor.ed.path is not None else f"{sc.get('id') or 'my-scenario'}.toml"
        super().__init__(app, "Save the scenario as",
                         f"A file name in your scenarios folder ({custom_dir()}); the new-game "
                         "screen lists the scenarios there.",
                         [("Save", self.save, "#primary"), ("Cancel", lambda: self.app.pop(), None)],
                         entry=name)

    def target(self) -> Path | None:
        name = (self.entry.get_text() if self.entry else "").strip()
        if not name or "/" in name or "\\" in name or name.startswith("."):
            return None
        if not name.endswith(".toml"):
            name += ".toml"
        return custom_dir() / name

    def save(self):
        target = self.target()
        if target is None:
            self.text = "Give a file name (letters, digits, dashes), with no folder in it."
            self.rebuild()
            return
        same = self.editor.ed.path is not None and Path(self.editor.ed.path).resolve() == target.resolve()
        if target.exists() and not same and self._confirmed != target:
            self._confirmed = target
            self.text = f"{target.name} already exists in your scenarios folder: Save again to replace it."
            self.entry_text = self.entry.get_text()
            self.rebuild()
            return
        self.app.pop()
        if self.editor.save_to(target) and self.then is not None:
            self.then()


class OpenDialog(Dialog):
    """Choose a bundled or custom scenario to edit, or start a new one."""

    def __init__(self, app, editor: EditorScene):
        self.editor = editor
        self.paths = sorted(SCENARIOS_DIR.glob("*.toml")) + sorted(SCENARIOS_DIR.glob("*/*.toml"))
        if custom_dir().is_dir():
            self.paths += sorted(custom_dir().glob("*.toml"))
        super().__init__(app, "Open a scenario", "", [("Open", self.open, "#primary"),
                                                       ("New scenario", self.new, None),
                                                       ("Cancel", lambda: self.app.pop(), None)])

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        pw, ph = min(px(720), w - px(40)), min(px(560), h - px(40))
        self.panel = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        p = self.panel
        UILabel(pygame.Rect(p.x + px(20), p.y + px(14), pw - px(40), px(34)), self.title, m, object_id="#heading")
        items = [f"{'bundled' if is_bundled(path) else 'yours'}: {scenario_title(path)} ({path.name})"
                 for path in self.paths]
        self.list = UISelectionList(pygame.Rect(p.x + px(20), p.y + px(54), pw - px(40), ph - px(140)), items, m)
        self.error = UILabel(pygame.Rect(p.x + px(20), p.bottom - px(84), pw - px(40), px(26)), "", m,
                             object_id="#error")
        x = p.right - px(20)
        body = W.font(W.scaled(W.BODY, self.scale))
        self.buttons = []
        for label, fn, oid in reversed(self.button_specs):
            bw = body.size(label)[0] + px(40)
            b = UIButton(pygame.Rect(x - bw, p.bottom - px(54), bw, px(40)), label, m, object_id=oid)
            self.buttons.insert(0, (b, fn))
            x -= bw + px(10)
        self.focusable = [b for b, _ in self.buttons]

    def on_ui_event(self, event):
        if event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION:
            self.open()

    def open(self):
        i = W.selected_row(self.list)
        if i is None:
            self.error.set_text("Choose a scenario in the list first.")
            return
        self.app.pop()
        self.editor.open_path(self.paths[i])

    def new(self):
        self.app.pop()
        self.editor.open_path(None)


# -- the playtest ------------------------------------------------------------------------------

def return_to(app, scene) -> None:
    """Pop scenes until ``scene`` is on top again."""
    while app.stack and app.top is not scene:
        app.pop()


class PlaytestBattle(BattleScene):
    """The battle screen for a playtest: leaving it (its menu, or the results) comes back to
    the editor instead of the main menu."""

    def __init__(self, app, session, editor: EditorScene):
        super().__init__(app, session)
        self.editor = editor
        self.menu_buttons = [b for b in self.menu_buttons if b.action not in ("load", "quit")]
        for b in self.menu_buttons:
            if b.action == "main_menu":
                b.label = "Back to the editor"

    def _menu_action(self, action: str) -> None:
        if action == "main_menu":
            self.menu_open = False
            self._stop_ai()
            return_to(self.app, self.editor)
            return
        super()._menu_action(action)

    def quick_load(self) -> None:
        self._toast("A playtest loads no saves: Esc, then Back to the editor")

    def _autosave(self) -> None:
        """A playtest keeps no autosave: it would take the place of the player's own autosave
        of the scenario, and Continue would open the playtest."""

    def _show_results(self) -> None:
        # Every time, the first and after "View final map": their way out is the editor.
        self.app.push(PlaytestResults(self.app, self.session, self.editor))


class PlaytestResults(ResultsScene):
    def __init__(self, app, session, editor: EditorScene):
        super().__init__(app, session)
        self.editor = editor

    def build(self, size):
        super().build(size)
        self.menu_button.set_text("Back to the editor")

    def to_menu(self):
        return_to(self.app, self.editor)


# -- the command -------------------------------------------------------------------------------

def run_editor(path: str | None = None, *, size=None, max_frames=None, screenshot=None) -> int:
    """Open the editor window on ``path`` (a file, a bundled scenario's id, or None for a new
    scenario) and run it until it is left; returns the exit status: 0, 1 if no window can be
    opened or the file cannot be opened at all (the problem is printed on stderr)."""
    app = App.open(size)
    if app is None:
        return 1
    try:
        try:
            scene = EditorScene(app, path)
        except ScenarioError as exc:
            for line in exc.problems:
                print(f"mesopotamia: {line if str(path) in line else f'{path}: {line}'}", file=sys.stderr)
            return 1
        app.push(scene)
        if max_frames is None:
            max_frames = env_int("MESOPOTAMIA_MAX_FRAMES")
        return run_until_left(app, scene, max_frames, screenshot)
    finally:
        app.close()


def run_until_left(app, scene: EditorScene, max_frames=None, screenshot=None) -> int:
    """``App.run`` for the editor: closing the window with changes not saved asks first."""
    while True:
        status = app.run(max_frames, screenshot)
        stopped = max_frames is not None and app.frames >= max_frames
        if stopped or scene not in app.stack or not scene.unsaved or app.exit_status != 0 \
                or scene._leaving:
            return status
        app.running = True
        return_to(app, scene)

        def quit_now():
            scene._leaving = True
            app.quit(0)

        scene.leave_then(quit_now)


__all__ = ["PICK", "EditorScene", "PlaytestBattle", "PlaytestResults", "SHORTCUTS", "run_editor", "run_until_left"]
