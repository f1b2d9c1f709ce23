"""The battle screen: the map with its counters, orders by mouse and keyboard, the computer's
turns played out.

UI layer (pygame). ``BattleScene(app, session)`` plays a ``game.session.Session`` in the
window. It changes the game only by sending commands through ``Session.execute`` (the same
commands the AI sends), and reads it only through the session: the viewing side's
``SideView`` (``Session.view``, the scene's ``known``), its units' reach, the odds and the
engine's reasons for refusing. It draws only what that side may see: its units, and fog over
the hexes it does not see. With one person at the table the view is theirs; in
hot-seat play each person's turn starts behind the hand-over screen, with a summary of what
their side saw happen, and the computer's turns between two people are played behind a
curtain; with nobody at the table (watch mode) everything is shown, or one side's view,
picked with V.

The scene is the lifecycle and the house rules of the table (who looks, hot-seat, saves,
questions before what cannot be undone); the work is done by its parts:

- ``game.ui.orders.Orders``: what is selected and what a click orders (no pygame in it);
- ``game.ui.battle_ai``: the computer's turns stepped out, and the effects of what happened;
- ``game.ui.battle_layers.MapLayers``: the map, layer by layer;
- ``game.ui.battle_panels.Panels``: the bars, the unit panel, the log, the tooltip, the boxes,
  laid out apart.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.commands import EndTurn, Entrench, unit_name
from game.hexgrid import Hex
from game.movement import map_graph
from game.saves import SAVE_SUFFIX, SaveError
from game.session import NEWS_EVENTS, Session
from game.visibility import would_see
from game.ui.app import ZOOM_LEVELS, MapView, describe_line, map_tools
from game.ui.battle_ai import AI_DELAY, FIGHTS, GLIDE_TIME, AIPlayback, Effects
from game.ui.battle_layers import MapLayers
from game.ui.battle_panels import INK, MUTED, OVERLAY_NAMES, Button, Panels, log_lines
from game.ui.battle_text import info_rows, tooltip_rows
from game.ui.counters import CounterArt, Palette, abbreviation, whole_strength
from game.ui.navigator import Navigator
from game.ui.orders import Orders
from game.ui.scene import Scene
from game.ui.settings import saves_dir
from game.ui.style import BG as CURTAIN, TONES, Fonts, sz

PAN_SHARE = 0.6  # of the view's width (or height) the arrow keys pan a second
EDGE_ZONE = 6  # pixels at the window's edge that pan the map
DRAG_START = 6  # pixels the mouse must move with a button down before it drags the map
MISSION_KEYS = {pygame.K_1: "strike", pygame.K_2: "cas", pygame.K_3: "patrol"}
OVERLAY_KEYS = {pygame.K_s: "supply", pygame.K_z: "zoc", pygame.K_t: "control",
                pygame.K_a: "air"}
TYPE_ORDER = ("armour", "mechanized", "infantry", "special_forces", "militia", "artillery",
              "air_defence", "headquarters", "air_wing", "naval_group")

SHORTCUTS = [
    ("Click your unit", "select it; again: the next in its stack"),
    ("Click a shaded hex", "move there"),
    ("Ctrl+click own stack", "move into it"),
    ("Click an enemy", "the odds; again or Enter: attack"),
    ("Shift+click", "add a unit to the attack"),
    ("Right click, Esc", "cancel the attack, then the selection"),
    ("1 / 2 / 3", "air wing: strike / support / patrol"),
    ("E", "end the turn"),
    ("Tab or N", "next unit that can move"),
    ("H", "the unit holds this turn"),
    ("D", "dig in"),
    ("C", "centre on the selection"),
    ("S / Z / T / A", "supply / zones of control / towns / air"),
    ("+ / - or wheel", "zoom at the pointer"),
    ("Arrows, drag, edges", "pan the map"),
    ("Home", "the whole map"),
    ("L", "casualty ledger; Tab: its other page"),
    ("O", "event log on or off"),
    ("M", "minimap on or off"),
    ("V", "watching: whose view"),
    ("Space", "skip the computer's moves"),
    ("P", "pause the computer"),
    ("Ctrl+Z", "undo (until something is revealed)"),
    ("Ctrl+S", "save"),
    ("F5 / F9", "quick save / quick load"),
    ("F1 or ?", "the keys and the legend"),
    ("Esc", "pause menu"),
]

class BattleScene(Scene):
    def __init__(self, app, session: Session):
        super().__init__(app)
        self.session = session
        game = session.game
        self.hexmap = game.hexmap  # the map and the rules are static data, read directly
        self.rules = game.rules
        self.graph = map_graph(self.hexmap)
        self.renderer, self.minimap = map_tools(self.hexmap)
        self.view = MapView(self.renderer, pygame.Rect(0, 0, 800, 600), ZOOM_LEVELS)
        self.symbols = {t.id: t.symbol for t in self.rules.unit_types.values()}
        self.cities = {c.id: c for c in self.hexmap.cities}
        self.city_hexes = {c.id: c.hex for c in self.hexmap.cities}
        # who is looking
        humans = session.humans()
        self.watch_side: str | None = None
        self.viewer: str | None = humans[0] if len(humans) == 1 else None
        self.handed_over: str | None = None
        self.curtain = False  # hot seat: the computer moves between two people, unseen
        self._cameras: dict[str, tuple] = {}  # hot seat: each person's zoom and centre
        # the parts
        self.orders = Orders(session, self.graph)
        self.effects = Effects()
        self.ai = AIPlayback(self)
        self.layers = MapLayers(self)
        self.panels = Panels(self)
        # input
        self.hover: Hex | None = None
        self.hover_still = 0.0  # seconds the pointer has rested on the hovered hex
        self.tip_held: Hex | None = None  # the hex clicked: no tooltip till the pointer leaves
        self.mouse = (-1, -1)
        self._down: tuple | None = None  # (pos, button) of a press not yet a click or drag
        self.dragging = False
        self._drag_minimap = False
        self.holding: set[str] = set()  # units told to hold this turn (H): Tab passes them by
        # what is shown
        self.overlays: set[str] = {"control", "air"}
        self.messages: list[tuple[str, list[str]]] = []
        self.news: dict[str, list[str]] = {}  # per side, the news kept for its next turn
        self.confirm: tuple | None = None  # (title, lines, buttons) of a question asked
        self._on_confirm: dict[str, object] = {}
        self.toast: tuple[str, tuple, float] | None = None
        self.show_log = True
        self.show_ledger = False
        self.show_minimap = True
        self.menu_open = False
        known = self.known
        self._last_turn = known.turn
        self._over_shown = False
        # The most men each unit has been seen with, by the side that saw it (None: everyone).
        self._full: dict[str | None, dict[str, int]] = {}
        self._peak: dict[str, int] = {}  # of these, for the side looking now
        # Watching with everything shown: (turn, kind, text) of every event.
        self._all_log: list[tuple[int, str, str]] = [(known.turn, "message", t)
                                                     for t in session.opening]
        if session.opening:
            if len(humans) == 1 and known.active_side == humans[0]:
                self.messages.append(("News", list(session.opening)))  # their turn: now
            else:
                for side in humans:  # kept for each person's first turn
                    self.news.setdefault(side, []).extend(session.opening)
        # what the viewer sees
        self.world_key = None
        self._world_n = 0  # counts the changes of what is seen (caches of the layers key on it)
        self._world_view = None  # the view the scene last drew from
        self.seen: list = []
        self.seen_ids: set[str] = set()
        self.mask = None
        self.stacks: dict[Hex, list] = {}
        self._prewarmed = None
        self.style_key = None
        self._apply_settings()
        self.resize(app.screen.get_size())
        self._centre_on_own()

    @property
    def nav(self):
        return Navigator(self.app)

    # -- names kept for the scenes built on this one (the editor's playtest, the tutorial) ------

    @property
    def known(self):
        """What the window shows of the game: the viewer's ``SideView`` (``Session.view``), or
        the all-seeing view when no one side looks, and at the end, when the final position is
        uncovered. The scene and its parts read the game only through this and the session."""
        if self.viewer is None:
            return self.session.view(None)
        view = self.session.view(self.viewer)
        return self.session.view(None) if view.over else view

    @property
    def selected(self):
        return self.orders.selected

    @property
    def target(self):
        return self.orders.target

    @property
    def preview(self):
        return self.orders.preview

    @property
    def attackers(self):
        return self.orders.attackers

    @property
    def mission(self):
        return self.orders.mission

    @property
    def menu_buttons(self):
        return self.panels.menu_buttons

    @menu_buttons.setter
    def menu_buttons(self, buttons):
        self.panels.menu_buttons = buttons

    @property
    def buttons(self):
        return self.panels.buttons

    @property
    def drawn_units(self) -> set[str]:
        return self.layers.drawn_units

    @property
    def drawn_moving(self) -> dict:
        return self.layers.drawn_moving

    @property
    def ai_paused(self) -> bool:
        return self.ai.paused

    @ai_paused.setter
    def ai_paused(self, value: bool) -> None:
        self.ai.paused = value

    # -- settings and layout ------------------------------------------------------------------

    def _apply_settings(self) -> None:
        s = self.app.settings
        key = (s.ui_scale, s.palette, self.viewer)
        if key == self.style_key:
            return
        self.style_key = key
        self.scale = float(s.ui_scale)
        self.fonts = Fonts(self.scale)
        known = self.known
        self.palette = Palette.for_state(known, s.palette, viewer=self.viewer)
        self.art = CounterArt(self.palette, self.symbols,
                              {f: abbreviation(f, fac.name) for f, fac in known.factions.items()})
        self.layers.reset()
        self.panels.reset()

    def resize(self, size) -> None:
        self.size = tuple(size)
        self.relayout()

    def relayout(self) -> None:
        rects = self.panels.layout(self.size)
        self.top_h = rects["top"].h
        self.bottom_h = rects["bottom"].h
        old = getattr(self, "map_rect", None)
        self.map_rect = rects["map"]
        self.panel_rect = pygame.Rect(rects["map"].right, rects["top"].bottom,
                                      self.size[0] - rects["map"].right, rects["map"].h)
        self.panel_w = self.panel_rect.w
        if old != self.map_rect:
            self.view.resize(self.map_rect)
            self.layers.reset()
        self.panels.reset()

    def enter(self) -> None:
        self._apply_settings()
        self.resize(self.app.screen.get_size())
        # A what-if game: history's setting on its seed is played in the background from the
        # start, to be set beside its losses in the ledger and the results.
        self.session.history_reference()

    def leave(self) -> None:
        if self not in self.app.stack:  # popped or replaced, not covered: the AI stops
            self.ai.stop()

    def close_requested(self) -> bool:
        """Closing the window with moves not saved asks first."""
        if self.session.unsaved and not self.known.over:
            while self.app.top is not self and self in self.app.stack:
                self.app.pop()  # the question is asked where it can be seen and answered
            self._ask_leave("quit")
            return False
        return True

    # -- who looks, and what they see ----------------------------------------------------------

    def refresh_world(self) -> None:
        """What the viewer sees, taken from its view when the game (or the viewer) changed:
        the session gives the same view until then."""
        known = self.known
        if self.world_key is not None and known is self._world_view:
            return
        self._world_n += 1
        self.world_key = (self._world_n, self.viewer)
        self._world_view = known
        seen = list(known.units)
        self.mask = None if known.side is None else known.visible
        self.seen = seen
        self.seen_ids = {u.id for u in seen}
        full = self._full.setdefault(known.side, {})
        for u in seen:
            whole = whole_strength(u)
            if whole > full.get(u.id, 0):
                full[u.id] = whole
        self._peak = full
        if known.side is None:  # everything shown: the most any side has seen of each unit
            self._peak = {}
            for record in self._full.values():
                for uid, n in record.items():
                    if n > self._peak.get(uid, 0):
                        self._peak[uid] = n
        stacks: dict[Hex, list] = {}
        for u in seen:
            stacks.setdefault(u.hex, []).append(u)
        order = {t: i for i, t in enumerate(TYPE_ORDER)}
        for units in stacks.values():
            units.sort(key=lambda u: (self.viewer is not None
                                      and known.side_of(u.faction) != self.viewer,
                                      order.get(u.type, 99), -u.personnel, u.id))
        self.stacks = stacks
        self.orders.sight(self.viewer, seen, stacks)
        if self.style_key is not None and self.style_key[2] != self.viewer:
            self._apply_settings()
        elif self.palette.sync(known, self.viewer):  # a faction changed side, a war began
            self.layers.reset()

    def full_strength(self, u) -> int:
        """The most people a unit has been seen with in this game (by the side looking now),
        fit to fight or not: its strength bar's full length. A fight that shakes or wounds
        some of them leaves it as it was; only the dead, the captured and the wounded lost for
        good shorten a unit for good."""
        return max(self._peak.get(u.id, 0), whole_strength(u))

    def would_see(self, h: Hex) -> bool:
        """Whether a unit standing on ``h`` would be seen by the viewer (sight and cover)."""
        return would_see(self.known, self.graph, self.rules, h)

    def sees_unit_at(self, h: Hex, unit) -> bool:
        """Whether the viewer sees ``unit`` on ``h``: its own side's always, others as
        ``would_see`` says."""
        return (self.viewer is not None and self.known.side_of(unit.faction) == self.viewer) \
            or self.would_see(h)

    def sees(self, h: Hex) -> bool:
        if self.mask is None:
            return True
        if not self.hexmap.in_bounds(h):
            return False
        return bool(self.mask.flat[self.graph.index(h)])

    def played_by(self, side: str) -> str:
        """Who plays ``side``, as the top bar says it: "a player", "the computer, hard"."""
        seat = self.session.seats.get(side)
        return "" if seat is None else "a player" if seat.kind == "human" else \
            f"the computer, {seat.difficulty}"

    def side_colour(self, side: str):
        """The side's colour for its name on the dark bars and panel (game.ui.counters)."""
        return self.palette.side_text(side) if side in self.known.sides else INK

    def check_turn(self) -> None:
        """After every command: the end of the game, the hand-over, the news, the autosave."""
        s = self.known
        if s.turn != self._last_turn:
            self._last_turn = s.turn
            self.holding.clear()
            self._autosave()
        if s.over:
            self.curtain = False
            return
        humans = self.session.humans()
        active = s.active_side
        self.curtain = False
        if not humans:
            self.viewer = self.watch_side
        elif len(humans) == 1:
            self.viewer = humans[0]  # one person: always their view
            if active == self.viewer and not self.ai.running:
                self._show_news(active, self.session.take_summary(active))
        elif active in humans:
            if self.handed_over != active:
                # Hot seat: the screen goes blank and the next person takes the device, and
                # finds the map where they left it (or over their own forces).
                if self.viewer is not None:
                    self._cameras[self.viewer] = (self.view.level, self.view.centre)
                self.viewer = active
                if active in self._cameras:
                    self.view.level, centre = self._cameras[active]
                    self.view.centre_on(*centre)
                else:
                    self._centre_on_own()
                self.session.watchers.add(active)
                self.orders.select(None)
                self._forget_last_player()
                # The hand-over shows the scenario's first news if it is still kept for this
                # person, then what their side saw (the news of play among it).
                summary = self.news.pop(active, []) + self.session.take_summary(active)
                self._sound("turn_start")
                self._handover(active, summary)
        else:
            # Hot seat, and the computer moves between two people: no one's view is left on
            # the screen while it does.
            if not self.curtain:
                self._forget_last_player()
            self.curtain = True
            self.handed_over = None
            if self.viewer is None:
                order = list(s.sides)
                i = order.index(active)
                self.viewer = next(x for x in order[i + 1:] + order[:i] if x in humans)

    def _forget_last_player(self) -> None:
        """Hot seat: nothing of the last person's turn stays for the next to see: the line
        in the bottom bar, the effects still playing."""
        self.toast = None
        self.effects.clear()

    def _show_news(self, side: str, summary: list[str]) -> None:
        """A person's own turn starts: the news kept for it, in one box."""
        news = self.news.pop(side, [])
        if news:
            self.messages.append(("News", news))
        if summary or news:
            self._sound("turn_start")

    def _handover(self, side: str, summary: list[str]) -> None:
        self.handed_over = side
        self.nav.handover(self.session, side, summary)

    def blocked(self) -> bool:
        """The computer waits: the pause menu or a question is open."""
        return self.menu_open or self.confirm is not None

    # -- what a command did ----------------------------------------------------------------------

    def send(self, cmd) -> object:
        """Execute a command of the person at the table; its result, or None (refused, and
        the reason said)."""
        res = self.session.execute(cmd)
        if not res.ok:
            self.say(res.reason, "bad")
            self._sound("refused")
            return None
        self.file_result(cmd, res, animate=True, own=True)
        return res

    def file_result(self, cmd, res, animate: bool, own: bool = False) -> bool:
        """File what a command did for the viewer: log, effects, sounds, news, the next turn.
        True if the viewer saw something happen."""
        actor = cmd.side
        visible = self.session.events_seen(self.viewer, res.events, actor)
        if self.viewer is None:
            self._all_log += [(self._last_turn, e.kind, e.text) for e in visible]
            del self._all_log[:-400]
        # News needs no decision: it goes to the log at once, and is shown to each person
        # when their own turn starts. It never stops the computer.
        news = [e.text for e in visible if e.kind in NEWS_EVENTS]
        if news:
            humans = self.session.humans()
            if len(humans) == 1:
                # One person: kept for the box at the start of their turn, their own orders'
                # news too (the new turn's events come with the last side's End turn). (In
                # hot seat each side's inbox holds it for the hand-over.)
                self.news.setdefault(humans[0], []).extend(news)
            if not humans:
                self.say(news[-1], "brass", 5.0)
        speed = self.app.settings.ai_speed
        shown = False
        if animate and not self.curtain:
            focus = self.effects.add_events(visible, self.session.glimpse(self.viewer, visible),
                                            speed=speed, own=own, sees=self.would_see,
                                            cities=self.city_hexes)
            if focus and not own:
                self._follow(focus[0])
            self._sound_for(visible, own)
            shown = bool(focus)
        self.panels.log_scroll = 0
        if self.viewer is not None:
            self.session.watchers.add(self.viewer)
        self.world_key = None
        self.check_turn()
        return shown

    def _sound_for(self, events, own: bool) -> None:
        kinds = {e.kind for e in events}
        if "city_taken" in kinds:
            self._sound("town_taken")
        elif "air_mission" in kinds or "naval_strike" in kinds:
            self._sound("air_strike")
        elif "attack" in kinds:
            self._sound("gunfire")
        elif "moved" in kinds:
            self._sound("move", 0.6 if not own else 1.0)

    def _follow(self, h: Hex) -> bool:
        """Bring a hex where the computer acts into view, if it is off screen or at its edge,
        as the camera of Panzer General follows the computer's moves: it glides there (the
        slower the computer's speed, the slower the glide), and the computer's next command
        waits for it."""
        if not self.app.settings.follow_ai:
            return True
        x, y = self.screen_pos(h)
        inner = self.map_rect.inflate(-self.map_rect.w // 5, -self.map_rect.h // 5)
        if not inner.collidepoint(x, y) or self.minimap.hit((x, y)):
            self.view.glide_to(*self.renderer.hex_center_km(h), GLIDE_TIME[self.app.settings.ai_speed])
        return True

    # -- orders ------------------------------------------------------------------------------------

    def _do(self, answer) -> None:
        """Carry out what ``Orders`` answered: send its command, say its line."""
        if answer is None:
            return
        if answer.say:
            self.say(answer.say, answer.tone, 6.0)
        if answer.command is not None:
            target = self.orders.target
            res = self.send(answer.command)
            if res is not None and target is not None:
                fights = [e.text for e in res.events if e.kind in FIGHTS]
                if fights:  # what came of it, said at once where the eye is
                    self.say("  \u00b7  ".join(fights), "brass", 8.0)
                self.orders.done_with(answer.command)

    def _click_map(self, h: Hex, button: int, shift: bool, ctrl: bool = False) -> None:
        self.refresh_world()
        before = self.orders.selected
        self._do(self.orders.click(h, button, shift, ctrl))
        if self.orders.selected is not None and self.orders.selected != before:
            self._sound("select")

    def _next_unit(self) -> None:
        if not self.orders.my_turn():
            return
        if self.orders.next_unit(self.holding) is None:
            self.say("Every unit has moved or holds: E ends the turn", "muted")
            return
        self._sound("select")
        self._centre_on_selection()

    def _hold(self) -> None:
        u = self.orders.unit(self.orders.selected)
        if u is None or not self.orders.can_order(u.id):
            return
        self.holding.add(u.id)
        self.say(f"{unit_name(u, self.known)} holds this turn", "muted")
        self._next_unit()

    def _centre_on_selection(self) -> None:
        u = self.orders.unit(self.orders.selected)
        if u is not None:
            self.view.centre_on(*self.renderer.hex_center_km(u.hex))

    def _centre_on_own(self) -> None:
        known = self.known
        side = self.viewer or known.active_side
        units = known.units_of_side(side)
        if not units:
            return
        xs, ys = zip(*(self.renderer.hex_center_km(u.hex) for u in units))
        self.view.level = min(len(self.view.levels) - 1, 8)
        self.view.centre_on(float(np.median(xs)), float(np.median(ys)))

    def idle_count(self) -> int:
        """How many of the viewer's units can still act this turn (those told to hold apart)."""
        return sum(1 for u in self.orders.idle_units() if u.id not in self.holding)

    def _end_turn(self, ask: bool = True) -> None:
        if not self.orders.my_turn():
            return
        n = self.idle_count()
        if ask and n and self.app.settings.confirm_end_turn:
            self._ask("End the turn?",
                      [f"{n} unit{'s' if n != 1 else ''} can still act this turn."],
                      [("End turn", "end_turn"), ("Keep playing", "cancel"),
                       ("End turn, and stop asking", "end_turn_always")],
                      {"end_turn": lambda: self._end_turn(ask=False),
                       "end_turn_always": self._end_turn_always})
            return
        self.orders.select(None)
        self.send(EndTurn(self.viewer))

    def _end_turn_always(self) -> None:
        self.app.settings.confirm_end_turn = False
        try:
            self.app.settings.save()
        except OSError:
            pass
        self._end_turn(ask=False)

    def _entrench(self) -> None:
        sel = self.orders.selected
        if sel and self.orders.can_order(sel):
            self.send(Entrench(self.viewer, sel))

    def _undo(self) -> None:
        if not self.orders.my_turn():
            return
        if self.session.undo():
            self.orders.select(None)
            self.effects.clear()
            self.world_key = None
            self.say("Undone", "muted")
        else:
            self.say("Nothing to undo: something was revealed since", "muted")

    def _sound(self, name: str, volume: float = 1.0) -> None:
        self.app.sounds.play(name, volume)

    def say(self, text: str, tone="ink", seconds: float = 4.0) -> None:
        """A line in the bottom bar for a few seconds."""
        colour = TONES.get(tone, tone) if isinstance(tone, str) else tone
        self.toast = (text, colour, seconds)

    _toast = say  # the name the scenes built on this one use

    # -- questions -----------------------------------------------------------------------------

    def _ask(self, title: str, lines: list[str], choices: list[tuple[str, str]], actions) -> None:
        """A box with a question and its answers; Esc or the last plain answer cancels."""
        self.confirm = (title, lines, [Button(label, action) for label, action in choices])
        self._on_confirm = dict(actions)

    def _answer(self, action: str) -> None:
        self.confirm = None
        then = self._on_confirm.pop(action, None)
        self._on_confirm = {}
        if then is not None:
            then()

    def _ask_leave(self, action: str) -> None:
        """Quit, the main menu or loading with moves not saved: ask first."""
        what = {"quit": "Quit", "main_menu": "Leave for the main menu",
                "load": "Load another game", "quick_load": "Load the quick save"}[action]
        self._ask(f"{what}?", ["Moves made since the game was last saved will be lost."],
                  [("Save, then go", "save_go"), (f"{what} without saving", "go"),
                   ("Cancel", "cancel")],
                  {"go": lambda: self._leave(action),
                   "save_go": lambda: self._save_then(action)})

    def _save_then(self, action: str) -> None:
        try:
            d = saves_dir()
            d.mkdir(parents=True, exist_ok=True)
            self.session.save(self.session.autosave_path(d))
        except (SaveError, OSError) as exc:
            self.say(f"Could not save: {exc}", "bad", 8.0)
            return
        self._leave(action)

    def _leave(self, action: str) -> None:
        nav = self.nav
        if action == "quit":
            self.ai.stop()
            self.app.quit(0)
        elif action == "main_menu":
            self.ai.stop()
            nav.main_menu(reset=True)
        elif action == "load":
            nav.load_dialog()
        elif action == "quick_load":
            self._quick_load_now()

    # -- saves ------------------------------------------------------------------------------------

    def _autosave(self) -> None:
        if not self.app.settings.autosave:
            return

        try:
            d = saves_dir()
            d.mkdir(parents=True, exist_ok=True)
            self.session.save(self.session.autosave_path(d))
        except (SaveError, OSError) as exc:
            self.say(f"Autosave failed: {exc}", "bad")

    def _quick_path(self):
        return saves_dir() / f"quicksave{SAVE_SUFFIX}"

    def quick_save(self) -> None:
        if self.ai.running:
            self.say("Wait for the computer to finish its turn", "muted")
            return
        path = self._quick_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.session.save(path)
        except (SaveError, OSError) as exc:
            self.say(str(exc), "bad")
            return
        self.say(f"Saved: {path.name}", "good")

    def quick_load(self) -> None:
        if self.session.unsaved and not self.known.over:
            self._ask_leave("quick_load")
            return
        self._quick_load_now()

    def _quick_load_now(self) -> None:
        path = self._quick_path()
        try:
            session = Session.load(path)
        except SaveError as exc:
            self.say(str(exc), "bad")
            return
        self.ai.stop()
        scene = BattleScene(self.app, session)
        if session.game.hexmap is self.hexmap:  # the same map: the camera stays where it was
            scene.view.level = self.view.level
            scene.view.centre_on(*self.view.centre)
        self.app.replace(scene)
        scene.say(f"Loaded: {path.name} (turn {scene.known.turn})", "good")

    def _stop_ai(self) -> None:
        self.ai.stop()

    def _menu_action(self, action: str) -> None:
        self.menu_open = False
        nav = self.nav
        if action == "resume":
            return
        if action == "save":
            nav.save_dialog(self.session)
        elif action == "load":
            if self.session.unsaved and not self.known.over:
                self._ask_leave("load")
            else:
                nav.load_dialog()
        elif action == "settings":
            nav.settings()
        elif action == "help":
            self._help()
        elif action in ("main_menu", "quit"):
            if self.session.unsaved and not self.known.over:
                self._ask_leave(action)
            else:
                self._leave(action)

    def _help(self) -> None:
        st = self.known
        own = [f for f, fac in st.factions.items() if fac.side == (self.viewer or st.active_side)]
        types = [t for t in TYPE_ORDER if t in self.rules.unit_types]
        self.nav.help("Battle: keys and mouse", SHORTCUTS, legend=True, palette=self.palette,
                      art=self.art, faction=(own or list(st.factions))[0], unit_types=types)

    def _show_results(self) -> None:
        self.nav.results(self.session)

    # -- input -----------------------------------------------------------------------------------

    def handle_event(self, event) -> None:
        self.refresh_world()
        t = event.type
        if t in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.mouse = event.pos
        if self.confirm is not None:
            self._confirm_event(event)
            return
        if self.messages:
            if (t == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER,
                                                       pygame.K_SPACE, pygame.K_ESCAPE)) or \
                    (t == pygame.MOUSEBUTTONUP and event.button == 1):
                self.messages.pop(0)
            return
        if self.menu_open:
            if t == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                self.menu_open = False
            elif t == pygame.MOUSEBUTTONUP and event.button == 1:
                for b in self.panels.menu_buttons:
                    if b.rect.collidepoint(event.pos):
                        self._menu_action(b.action)
                        break
            return
        if t == pygame.KEYDOWN:
            self._key(event)
        elif t == pygame.MOUSEWHEEL:
            info = self.panels.rects.get("info")
            log = self.panels.rects.get("log")
            if info is not None and info.collidepoint(self.mouse):
                self.panels.scroll_info(1 if event.y > 0 else -1)
            elif log is not None and log.collidepoint(self.mouse):
                self.panels.log_scroll = max(0, self.panels.log_scroll + (3 if event.y > 0 else -3))
            elif event.y and self.map_rect.collidepoint(self.mouse):
                self.view.zoom(1 if event.y > 0 else -1, self.mouse)
        elif t == pygame.MOUSEBUTTONDOWN:
            if event.button in (4, 5):
                return
            if event.button == 1 and self.minimap.hit(event.pos):
                self._drag_minimap = True
                self.view.centre_on(*self.minimap.to_world(event.pos))
                return
            self._down = (event.pos, event.button)
            self.dragging = False
        elif t == pygame.MOUSEMOTION:
            if self._drag_minimap:
                self.view.centre_on(*self.minimap.to_world(event.pos))
            elif self._down is not None and self.map_rect.collidepoint(self._down[0]):
                # Only a press on the map drags it: one on a panel or a bar is theirs.
                (x0, y0), _ = self._down
                if self.dragging or abs(event.pos[0] - x0) + abs(event.pos[1] - y0) > DRAG_START:
                    self.dragging = True
                    self.view.pan_pixels(*event.rel)
        elif t == pygame.MOUSEBUTTONUP:
            if self._drag_minimap:
                self._drag_minimap = False
                return
            down, self._down = self._down, None
            self.tip_held = self.view.hex_at(event.pos)  # no tooltip until the pointer moves on
            if down is None or self.dragging:
                self.dragging = False
                return
            if not self.map_rect.collidepoint(down[0]) and self.map_rect.collidepoint(event.pos):
                return  # pressed on a panel, let go over the map: not a click on the map
            mods = getattr(event, "mod", None)
            if mods is None:
                mods = pygame.key.get_mods()
            self._click(event.pos, event.button, bool(mods & pygame.KMOD_SHIFT),
                        bool(mods & pygame.KMOD_CTRL))

    def _confirm_event(self, event) -> None:
        t = event.type
        buttons = self.confirm[2]
        if t == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self._answer("cancel")
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._answer(buttons[0].action)
        elif t == pygame.MOUSEBUTTONUP and event.button == 1:
            for b in buttons:
                if b.rect.collidepoint(event.pos):
                    self._answer(b.action)
                    return

    def _click(self, pos, button: int, shift: bool, ctrl: bool = False) -> None:
        if button == 1:
            for b in self.panels.buttons:
                if b.rect.collidepoint(pos) and b.enabled:
                    self._button(b.action)
                    return
        if self.show_ledger and button == 1:
            self.show_ledger = False
            return
        if not self.map_rect.collidepoint(pos) or self.minimap.hit(pos):
            return
        h = self.view.hex_at(pos)
        if h is None:
            return
        if self.orders.my_turn():
            self._click_map(h, button, shift, ctrl)

    def _button(self, action: str) -> None:
        if action == "end_turn":
            if self.known.over:
                self._show_results()
            else:
                self._end_turn()
        elif action == "undo":
            self._undo()
        elif action == "ledger":
            self.show_ledger = not self.show_ledger
        elif action == "menu":
            self.menu_open = True

    def _key(self, event) -> None:
        k, mods = event.key, event.mod
        ctrl = mods & pygame.KMOD_CTRL
        o = self.orders
        if ctrl and k == pygame.K_s:
            self.nav.save_dialog(self.session)
        elif ctrl and k == pygame.K_z:
            self._undo()
        elif k == pygame.K_F5:
            self.quick_save()
        elif k == pygame.K_F9:
            self.quick_load()
        elif k == pygame.K_F1 or getattr(event, "unicode", "") == "?":
            self._help()
        elif k == pygame.K_ESCAPE:
            if self.show_ledger:
                self.show_ledger = False
            elif not o.cancel():
                self.menu_open = True
        elif k == pygame.K_SPACE:
            self.ai.skip()
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.known.over:
                self._show_results()
            else:
                self._do(o.commit())
        elif k == pygame.K_e:
            if self.known.over:
                self._show_results()
            else:
                self._end_turn()
        elif k == pygame.K_TAB and self.show_ledger:
            self.panels.turn_ledger_page()
        elif k in (pygame.K_TAB, pygame.K_n):
            self._next_unit()
        elif k == pygame.K_h:
            self._hold()
        elif k == pygame.K_c:
            self._centre_on_selection()
        elif k == pygame.K_d:
            self._entrench()
        elif k == pygame.K_l:
            self.show_ledger = not self.show_ledger
        elif k == pygame.K_o:
            self.show_log = not self.show_log
            self.relayout()
        elif k == pygame.K_m:
            self.show_minimap = not self.show_minimap
        elif k == pygame.K_v:
            self._cycle_watch()
        elif k == pygame.K_p:
            self.ai.paused = not self.ai.paused
            self.say("The computer waits: P goes on" if self.ai.paused
                     else "The computer goes on", "muted")
        elif k in OVERLAY_KEYS:
            self.toggle_overlay(OVERLAY_KEYS[k])
        elif k in MISSION_KEYS:
            o.set_mission(MISSION_KEYS[k])
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.view.zoom(+1)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.view.zoom(-1)
        elif k == pygame.K_HOME:
            self.view.fit()

    def toggle_overlay(self, name: str) -> None:
        if name in self.overlays:
            self.overlays.discard(name)
            self.say(f"Overlay off: {OVERLAY_NAMES[name]}", "muted")
        else:
            self.overlays.add(name)
            hint = {"supply": " (green in supply, red cut off by the enemy, grey out of reach)",
                    "zoc": " (red: hexes next to an enemy unit you see)"}.get(name, "")
            self.say(f"Overlay on: {OVERLAY_NAMES[name]}{hint}", "muted", 6.0)

    def _cycle_watch(self) -> None:
        if self.session.humans():
            return
        options = [None] + list(self.known.sides)
        self.watch_side = options[(options.index(self.watch_side) + 1) % len(options)]
        self.viewer = self.watch_side
        if self.viewer is not None:
            self.session.watchers.add(self.viewer)
        self.world_key = None
        self.say(f"Showing {self.session.side_name(self.viewer)}'s view"
                 if self.viewer else "Showing everything", "muted")

    # -- the frame -------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self._apply_settings()
        if self.toast is not None:
            text, colour, left = self.toast
            self.toast = (text, colour, left - dt) if left > dt else None
        self._pan(dt)
        self.view.step(dt)
        self.effects.step(dt)
        self.hover_still += dt
        known = self.known
        if known.over:
            if not self.messages and not self._over_shown and not self.effects:
                self._over_shown = True
                self.ai.stop()
                self._autosave()
                self._sound("victory" if self.viewer is None or
                                     known.winner == self.viewer else "defeat")
                self._show_results()
            return
        self.check_turn()
        self.refresh_world()
        if self.app.top is not self:
            return
        self.ai.step(dt)
        self._prewarm()

    def _prewarm(self) -> None:
        """While nothing moves, draw a map tile the player may look at next (around the view,
        and the zoom levels either side), so that panning and zooming find them ready."""
        if not self.app.frames or self.effects or self.dragging or \
                (self.ai.running and not self.ai.thinking):
            return  # not before the first frame is shown, nor while something moves
        key = (self.view.level, self.view.centre, tuple(self.map_rect))
        if key == self._prewarmed:
            return
        missing = self.view.missing_tiles()
        if not missing:
            self._prewarmed = key
            return
        s, tx, ty = missing[0]
        self.renderer.tile(s, tx, ty)

    def _pan(self, dt: float) -> None:
        if self.blocked() or self.messages or self.curtain:
            return  # a box is open, or the map is hidden: the arrow keys and edges rest
        keys = pygame.key.get_pressed()
        dx = keys[pygame.K_LEFT] - keys[pygame.K_RIGHT]
        dy = keys[pygame.K_UP] - keys[pygame.K_DOWN]
        if self.app.settings.edge_pan and pygame.mouse.get_focused() and not self._down:
            # The window's edges pan, and the map's right edge beside the panel (the panel
            # itself never does: the log is scrolled there).
            x, y = self.mouse
            w, h = self.size
            right = self.map_rect.right
            if 0 <= x < right:
                if x < EDGE_ZONE:
                    dx += 1
                elif x >= right - EDGE_ZONE:
                    dx -= 1
                if 0 <= y < EDGE_ZONE:
                    dy += 1
                elif h - EDGE_ZONE < y < h:
                    dy -= 1
        if dx or dy:
            r = self.map_rect
            self.view.pan_pixels(dx * PAN_SHARE * r.w * dt, dy * PAN_SHARE * r.h * dt)

    # -- what the panels show ---------------------------------------------------------------------

    def screen_pos(self, h: Hex) -> tuple[int, int]:
        """Where the centre of ``h`` is on the window (for tests and scripted play)."""
        x, y = self.view.world_to_screen(*self.renderer.hex_center_km(h))
        return int(round(x)), int(round(y))

    def counter_size(self) -> int:
        return self.layers.counter_size()

    def describe_hex(self, h: Hex) -> str:
        return describe_line(self.hexmap, h)[0]

    def log_lines(self) -> list[tuple[str, bool]]:
        if self.viewer is None:
            entries = self._all_log
        else:
            entries = [(e.turn, e.kind, e.text) for e in self.session.logs.get(self.viewer, [])
                       if e.text]
        return log_lines(entries, self.known)

    def info_rows(self) -> list[tuple[str, object, tuple]]:
        return info_rows(self)

    def tooltip_rows(self, h: Hex) -> list[tuple[str, object, tuple]]:
        return tooltip_rows(self, h)

    # -- drawing ---------------------------------------------------------------------------------

    def draw(self, screen: pygame.Surface) -> None:
        self.refresh_world()
        if self.curtain:
            self._draw_curtain(screen)
            if self.confirm is not None:
                self.panels.draw_confirm(screen)
            elif self.menu_open:
                self.panels.draw_menu(screen)
            return
        self.orders.refresh_range()
        hover = self.view.hex_at(self.mouse) if self.map_rect.collidepoint(self.mouse) \
            and not self.minimap.hit(self.mouse) else None
        if hover != self.hover:
            self.hover = hover
            self.hover_still = 0.0
            if hover != self.tip_held:
                self.tip_held = None
        self.orders.refresh_path(self.hover)
        self.layers.draw(screen)
        p = self.panels
        p.draw_top(screen)
        p.draw_info(screen)
        if self.show_log:
            p.draw_log(screen)
        p.draw_bottom(screen)
        self.draw_over_map(screen)
        p.draw_tooltip(screen)
        if self.show_ledger:
            p.draw_ledger(screen)
        if self.confirm is not None:
            p.draw_confirm(screen)
        elif self.menu_open:
            p.draw_menu(screen)
        elif self.messages:
            p.draw_message(screen)

    def draw_over_map(self, screen) -> None:
        """For scenes built on this one: a panel of their own inside the map (the tutorial's
        coach); set ``coach_rect`` to its rectangle so the tooltip keeps clear of it."""

    def _draw_curtain(self, screen) -> None:
        """Hot seat, the computer moving: nothing of the map, only who moves."""
        screen.fill(CURTAIN)
        s = self.known
        f = self.fonts
        lines = [(f"{self.session.side_name(s.active_side)} to move", f.big,
                  self.side_colour(s.active_side)),
                 ("The computer is playing its turn. The map is hidden until the next "
                  "player takes the device.", f.body, MUTED)]
        y = self.size[1] // 2 - 40
        for text, fnt, colour in lines:
            t = fnt.render(text, True, colour)
            screen.blit(t, t.get_rect(midtop=(self.size[0] // 2, y)))
            y += t.get_height() + sz(12, self.scale)
        self.layers.drawn_units = set()


__all__ = ["AI_DELAY", "BattleScene", "GLIDE_TIME", "SHORTCUTS", "log_lines"]
