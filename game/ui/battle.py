"""The battle screen: the map with its counters, orders by mouse and keyboard, AI turns shown.

UI layer (pygame). ``BattleScene(app, session)`` plays a ``game.session.Session`` in the
window. It changes the game only by sending commands through ``Session.execute`` (the same
commands the AI sends) and draws only what the viewing side may see: its ``visible_units``,
and fog over the hexes it does not see. With one person at the table the view is theirs; in
hot-seat play each person's turn starts behind the hand-over screen, with a summary of what
their side saw happen; with nobody at the table (watch mode) everything is shown, or one side's
view, picked with V.

An AI side thinks in a worker thread (``game.session.AITurn``); the scene executes each command
it hands over, animates the moves and fights the viewer can see at the player's AI speed, and
stays responsive meanwhile.

Drawing: the map is the renderer's cached tiles, composed with the fog, the zones and the
towns' flags into one surface that is made again only when the camera or the game changes;
counters are cached surfaces; panels are re-rendered only when what they show changes.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import numpy as np
import pygame

from game.commands import Command, EndTurn, Entrench, Move, unit_name
from game.hexgrid import DIRECTIONS, Hex
from game.movement import find_path, map_graph, movement_range, obstacles_for
from game.session import NEWS_EVENTS, Session, event_seen_by
from game.ui.app import ZOOM_LEVELS, MapView, _Minimap, describe_line
from game.ui.battle_panels import (BAD, BG, BRASS, EDGE, GOOD, INK, MUTED, PANEL, Button,
                                   CachedPanel, Fonts, lines_surface, modal_box, sz, wrap)
from game.ui.counters import CounterArt, Palette, abbreviation
from game.ui.mapdraw import MapRenderer
from game.ui.scene import Scene

PAN_SPEED = 900  # screen pixels a second for the keys and the screen edges
EDGE_ZONE = 6  # pixels at the window's edge that pan the map
DRAG_START = 6  # pixels the mouse must move with a button down before it drags the map
AI_DELAY = {"slow": 0.6, "normal": 0.18, "fast": 0.06, "skip": 0.0}  # pause after a seen command
AI_HEX_TIME = {"slow": 0.12, "normal": 0.045, "fast": 0.02, "skip": 0.0}  # seconds a hex
GLIDE_TIME = {"slow": 0.6, "normal": 0.3, "fast": 0.12, "skip": 0.0}  # the camera to an AI move
FOG_STEP = 4  # the fog is worked out per block of this many pixels
FIGHTS = ("attack", "air_mission", "naval_strike", "shot_down")  # events flashed on their hex
MISSION_KEYS = {pygame.K_1: "strike", pygame.K_2: "cas", pygame.K_3: "patrol"}
TYPE_ORDER = ("armour", "mechanized", "infantry", "special_forces", "militia", "artillery",
              "air_defence", "headquarters", "air_wing", "naval_group")

SHORTCUTS = [
    ("Left click", "select a unit; click a shaded hex to move there"),
    ("Click an enemy (red ring)", "show the odds; click again or Enter to attack"),
    ("Shift + click", "add another unit to the attack"),
    ("Right click", "cancel the selection or the attack"),
    ("1 / 2 / 3", "air wing: strike / close air support / patrol"),
    ("E", "end the turn"),
    ("Tab or N", "next unit that can still move"),
    ("D", "dig in the selected unit"),
    ("C", "centre on the selection"),
    ("+ / - or the wheel", "zoom"),
    ("Arrows, drag, screen edges", "pan the map"),
    ("Home", "the whole map"),
    ("L", "casualty ledger beside the source"),
    ("O", "show or hide the event log"),
    ("M", "show or hide the minimap (click it to jump)"),
    ("V", "watching: whose view to show"),
    ("Space", "skip the AI's animation"),
    ("P", "pause or go on with the AI's turns"),
    ("Ctrl+Z", "undo (until something is revealed)"),
    ("Ctrl+S", "save"),
    ("F5 / F9", "quick save / quick load"),
    ("F1 or ?", "this help"),
    ("Esc", "pause menu"),
]

_TOOLS: dict[int, tuple] = {}
_TURN_TEXT = re.compile(r"Turn (\d+)\b")


def log_lines(entries, state) -> list[tuple[str, bool]]:
    """The event log as (text, is_heading) lines: a heading with the date where each turn
    begins, then what was seen in it. ``entries`` are (turn, kind, text), the turn being the
    one in which the command was given (so the events of an end of turn belong to the turn
    that ends, up to its "new_turn" event, which becomes the next heading)."""
    out: list[tuple[str, bool]] = []
    shown = 0
    for turn, kind, text in entries:
        if kind == "new_turn":
            m = _TURN_TEXT.match(text)
            turn = int(m.group(1)) if m else shown + 1
        if turn > shown:
            shown = turn
            date = state.start_date + dt.timedelta(days=(turn - 1) * state.turn_days)
            out.append((f"Turn {turn} \u00b7 {date.day} {date:%B %Y}", True))
        if kind != "new_turn":
            out.append((text, False))
    return out


def _map_tools(hexmap):
    """The renderer and minimap of a map, made once per map (their tiles are the costly part)."""
    got = _TOOLS.get(id(hexmap))
    if got is None or got[0] is not hexmap:
        renderer = MapRenderer(hexmap)
        got = _TOOLS[id(hexmap)] = (hexmap, renderer, _Minimap(renderer))
    return got[1], got[2]


class _Anim:
    """A counter sliding along a path, or a flash on a hex."""

    def __init__(self, kind: str, unit=None, path=None, duration: float = 0.4, hex_=None):
        self.kind = kind
        self.unit = unit
        self.path = path or []
        self.duration = max(0.01, duration)
        self.t = 0.0
        self.hex = hex_

    @property
    def done(self) -> bool:
        return self.t >= self.duration


class BattleScene(Scene):
    def __init__(self, app, session: Session):
        super().__init__(app)
        self.session = session
        game = session.game
        self.hexmap = game.hexmap
        self.rules = game.rules
        self.graph = map_graph(self.hexmap)
        self.renderer, self.minimap = _map_tools(self.hexmap)
        self.view = MapView(self.renderer, pygame.Rect(0, 0, 800, 600), ZOOM_LEVELS)
        self.symbols = {t.id: t.symbol for t in self.rules.unit_types.values()}
        self.cities = {c.id: c for c in self.hexmap.cities}
        # who is looking
        humans = session.humans()
        self.watch_side: str | None = None
        self.viewer: str | None = humans[0] if len(humans) == 1 else None
        self.handed_over: str | None = None
        self._cameras: dict[str, tuple] = {}  # hot seat: each person's zoom and centre
        # orders
        self.selected: str | None = None
        self.attackers: list[str] = []
        self.target: Hex | None = None
        self.preview = None
        self.mission = "strike"
        self.hover: Hex | None = None
        self.mouse = (-1, -1)
        self._down: tuple | None = None  # (pos, button) of a press not yet a click or drag
        self._dragging = False
        self._drag_minimap = False
        # what is going on
        self.ai = None
        self.ai_paused = False  # P while watching: the AI waits
        self.threaded_ai = True
        self.skip_ai = False
        self._ai_wait = 0.0
        self.anims: list[_Anim] = []
        self.messages: list[tuple[str, list[str]]] = []
        self.toast: tuple[str, tuple, float] | None = None
        self.show_log = True
        self.show_ledger = False
        self.show_minimap = True
        self.menu_open = False
        self.log_scroll = 0
        self.drawn_units: set[str] = set()
        self.drawn_moving: dict[str, Hex] = {}  # units drawn on their way, and where
        self._last_turn = game.state.turn
        self._over_shown = False
        # Watching with everything shown: (turn, kind, text) of every event.
        self._all_log: list[tuple[int, str, str]] = [(game.state.turn, "message", t)
                                                     for t in session.opening]
        if session.opening:
            self.messages.append(("News", list(session.opening)))
        # caches
        self._world_key = None
        self._seen: list = []
        self._seen_ids: set[str] = set()
        self._mask = None
        self._sight = None
        self._stacks: dict[Hex, list] = {}
        self._base: pygame.Surface | None = None
        self._base_key = None
        self._range_key = None
        self._range: dict[Hex, float] = {}
        self._obs = None
        self._targets: set[Hex] = set()
        self._range_surf: pygame.Surface | None = None
        self._minimap_key = None
        self._map_key_for = None
        self._prewarmed = None
        self._map_key_value = None
        self._minimap_layer: pygame.Surface | None = None
        self._range_surf_key = None
        self._path = None
        self._path_key = None
        self._top = CachedPanel()
        self._side = CachedPanel()
        self._logp = CachedPanel()
        self._bottom = CachedPanel()
        self._ledger = CachedPanel()
        self._message = CachedPanel()
        self.buttons = [Button("Undo", "undo"), Button("Ledger", "ledger"),
                        Button("Menu", "menu"), Button("End turn", "end_turn")]
        self.menu_buttons = [Button(label, action) for label, action in (
            ("Resume", "resume"), ("Save game", "save"), ("Load game", "load"),
            ("Settings", "settings"), ("Help", "help"), ("Main menu", "main_menu"),
            ("Quit", "quit"))]
        self._style_key = None
        self._apply_settings()
        self.resize(app.screen.get_size())
        self._centre_on_own()

    # -- settings and layout ------------------------------------------------------------------

    def _apply_settings(self) -> None:
        s = self.app.settings
        key = (s.ui_scale, s.palette)
        if key == self._style_key:
            return
        self._style_key = key
        self.scale = float(s.ui_scale)
        self.fonts = Fonts(self.scale)
        state = self.session.game.state
        factions = {f: (fac.name, fac.side) for f, fac in state.factions.items()}
        self.palette = Palette(factions, s.palette, state.sides)
        self.art = CounterArt(self.palette, self.symbols,
                              {f: abbreviation(f, fac.name) for f, fac in state.factions.items()})
        self._base_key = None
        for p in (self._top, self._side, self._logp, self._bottom, self._ledger):
            p.key = None

    def resize(self, size) -> None:
        w, h = size
        self.size = (w, h)
        self.top_h = sz(40, self.scale)
        self.bottom_h = sz(26, self.scale)
        self.panel_w = min(sz(340, self.scale), max(240, w // 3))
        self.map_rect = pygame.Rect(0, self.top_h, max(1, w - self.panel_w),
                                    max(1, h - self.top_h - self.bottom_h))
        self.panel_rect = pygame.Rect(self.map_rect.right, self.top_h, self.panel_w,
                                      self.map_rect.h)
        self.view.resize(self.map_rect)
        self._base_key = None
        self._range_surf_key = None
        for p in (self._top, self._side, self._logp, self._bottom, self._ledger):
            p.key = None

    def enter(self) -> None:
        self._apply_settings()
        self.resize(self.app.screen.get_size())

    def leave(self) -> None:
        if self not in self.app.stack:  # popped or replaced, not covered: the AI stops
            self._stop_ai()

    # -- who looks, and what they see ----------------------------------------------------------

    @property
    def state(self):
        return self.session.game.state

    def _world(self) -> tuple:
        return (id(self.state), len(self.session.game.journal), self.viewer, self.state.turn,
                self.state.active, self.state.over)

    def _refresh_world(self) -> None:
        key = self._world()
        if key == self._world_key:
            return
        self._world_key = key
        state, hexmap, rules = self.state, self.hexmap, self.rules
        if self.viewer is None or state.over:  # at the end the final position is uncovered
            self._seen = list(state.units.values())
            self._mask = None
        else:
            from game.visibility import side_view

            view = side_view(state, hexmap, rules, self.viewer)
            self._seen = list(view.units)
            self._mask = view.visible
        self._sight = None  # worked out when an animation needs it
        self._seen_ids = {u.id for u in self._seen}
        stacks: dict[Hex, list] = {}
        for u in self._seen:
            stacks.setdefault(u.hex, []).append(u)
        order = {t: i for i, t in enumerate(TYPE_ORDER)}
        for units in stacks.values():
            units.sort(key=lambda u: (self.viewer is not None and state.side_of(u.faction) != self.viewer,
                                      order.get(u.type, 99), -u.personnel, u.id))
        self._stacks = stacks
        if self.selected is not None and (self.selected not in state.units
                                          or not self._can_order(self.selected)):
            self._select(None)
        self._range_key = None
        self._path_key = None

    def would_see(self, h: Hex) -> bool:
        """Whether a unit standing on ``h`` would be seen by the viewer (sight and cover)."""
        if self._mask is None:
            return True
        if not self.hexmap.in_bounds(h):
            return False
        if self._sight is None:
            from game.visibility import side_sight

            self._sight = side_sight(self.state, self.hexmap, self.rules, self.viewer)
        i = self.graph.index(h)
        d = self._sight[i]
        cover = self.rules.terrain[self.graph.terrain[i]].concealment
        return d >= 0 and (not cover or d <= cover)

    def _sees(self, h: Hex) -> bool:
        if self._mask is None:
            return True
        if not self.hexmap.in_bounds(h):
            return False
        col = h.q + (h.r - (h.r & 1)) // 2
        return bool(self._mask[h.r, col])

    def _my_turn(self) -> bool:
        """A person at the table may give orders now: their side is to move, no AI running."""
        s = self.state
        return (not s.over and self.ai is None and self.session.is_human(s.active_side)
                and self.viewer == s.active_side)

    def _can_order(self, uid: str) -> bool:
        u = self.state.units.get(uid)
        return u is not None and self._my_turn() and self.state.side_of(u.faction) == self.viewer

    def _check_turn(self) -> None:
        """After every command: the end of the game, the hand-over, the autosave."""
        s = self.state
        if s.turn != self._last_turn:
            self._last_turn = s.turn
            self._autosave()
        if s.over:
            return
        humans = self.session.humans()
        active = s.active_side
        if not humans:
            self.viewer = self.watch_side
        elif len(humans) == 1:
            self.viewer = humans[0]  # one person: always their view
            if active == self.viewer:
                self.session.take_summary(active)  # they watched it happen
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
                self._select(None)
                self._handover(active, self.session.take_summary(active))
        elif self.viewer is None:
            # The AI moves before any person has: show it as the next person to move sees it.
            order = list(s.sides)
            i = order.index(active)
            self.viewer = next(x for x in order[i + 1:] + order[:i] if x in humans)

    def _handover(self, side: str, summary: list[str]) -> None:
        from game.ui.handover import HandoverScene

        self.handed_over = side
        self.app.push(HandoverScene(self.app, self.session, side, summary))

    # -- orders ---------------------------------------------------------------------------------

    def _select(self, uid: str | None) -> None:
        self.selected = uid
        self.attackers = [uid] if uid else []
        self.target = None
        self.preview = None
        self._range_key = None
        self._path_key = None

    def _unit(self, uid):
        return self.state.units.get(uid) if uid else None

    def _kind(self, unit) -> str:
        return self.rules.unit_type(unit.type).category

    def _refresh_range(self) -> None:
        key = (self._world_key, self.selected)
        if key == self._range_key:
            return
        self._range_key = key
        self._range, self._targets, self._obs = {}, set(), None
        u = self._unit(self.selected)
        if u is None:
            return
        state, rules = self.state, self.rules
        bases = state.factions[u.faction].bases
        self._obs = obstacles_for(self.graph, rules, u, self._seen, state.at_war_with,
                                  state.side_of)
        if u.moves_left > 0:
            self._range = movement_range(self.graph, rules, u, self._obs, bases)
        kind = self._kind(u)
        enemies = {v.hex for v in self._seen if state.side_of(v.faction) != self.viewer
                   and state.at_war_with(v.faction, u.faction)
                   and rules.unit_type(v.type).is_ground}
        if kind == "ground":
            if not u.attacked:
                self._targets = {h for h in enemies if h.distance(u.hex) == 1}
        elif kind == "air":
            from game.air import air_range

            if u.moves_left > 0:
                reach = air_range(rules, u)
                self._targets = {h for h in enemies if h.distance(u.hex) <= reach}
        elif kind == "naval" and u.moves_left > 0:
            reach = int(rules.air["range"]["naval_strike"])
            self._targets = {h for h in enemies if h.distance(u.hex) <= reach
                             and self.hexmap.terrain_at(h) not in ("sea", "lake")}

    def _refresh_path(self) -> None:
        key = (self._range_key, self.hover)
        if key == self._path_key:
            return
        self._path_key = key
        self._path = None
        u = self._unit(self.selected)
        h = self.hover
        if u is None or h is None or h not in self._range or self._obs is None \
                or h in self._targets:  # over a target the click attacks, it does not move
            return
        self._path = find_path(self.graph, self.rules, u, h, self._obs,
                               self.state.factions[u.faction].bases)

    def _send(self, cmd):
        """Execute a command of the person at the table; its result, or None (refused, and
        the reason said)."""
        res = self.session.execute(cmd)
        if not res.ok:
            self._toast(res.reason, BAD)
            return None
        self._after(cmd, res, animate=False)
        return res

    def _after(self, cmd, res, animate: bool) -> None:
        """File what a command did for the viewer: log, animations, news, the next turn."""
        actor = cmd.side
        seen_any = False
        game = self.session.game
        if self.viewer is None:
            visible = list(res.events)
            self._all_log += [(self._last_turn, e.kind, e.text) for e in visible]
            del self._all_log[:-400]
        elif self.viewer in self.session.last_seen:
            visible = self.session.last_seen[self.viewer]
        else:
            mask = self._mask_now()
            visible = [e for e in res.events
                       if event_seen_by(e, actor, self.viewer, game.state, game.hexmap, mask)]
        followed = False
        news = [e.text for e in visible if e.kind in NEWS_EVENTS]
        if news:  # the news of one command in one box: a declaration of war on six nations
            self.messages.append(("News", news))  # is read at once, not clicked through six times
        for e in visible:
            seen_any = seen_any or e.kind not in ("side_to_move", "new_turn", "out_of_supply")
            if not animate:
                continue
            speed = self.app.settings.ai_speed
            if e.kind == "moved" and AI_HEX_TIME[speed] > 0:
                path = [Hex(q, r) for q, r in e.data.get("path", [])]
                unit = game.state.units.get(e.data.get("unit"))
                if unit is not None and len(path) > 1:
                    self.anims.append(_Anim("move", unit, path, AI_HEX_TIME[speed] * (len(path) - 1)))
                    seen = [h for h in path if self.would_see(h)]
                    if seen and not followed:
                        followed = self._follow(seen[len(seen) // 2])
            elif e.kind in FIGHTS and AI_DELAY[speed] > 0:
                t = e.data.get("target") or e.data.get("hex")
                if t:
                    h = Hex(int(t[0]), int(t[1]))
                    self.anims.append(_Anim("flash", duration=AI_DELAY[speed] * 1.5, hex_=h))
                    if not followed:
                        followed = self._follow(h)
        if animate and seen_any:
            self._ai_wait = AI_DELAY[self.app.settings.ai_speed]
        self.log_scroll = 0
        if self.viewer is not None:
            self.session.watchers.add(self.viewer)
        self._world_key = None
        self._check_turn()

    def _follow(self, h: Hex) -> bool:
        """Bring a hex where the AI acts into view, if it is off screen or at its edge, as the
        camera of Panzer General follows the computer's moves: it glides there (the slower the
        AI speed, the slower the glide), and the computer's next command waits for it. True
        once followed."""
        if not self.app.settings.follow_ai:
            return True
        x, y = self.screen_pos(h)
        inner = self.map_rect.inflate(-self.map_rect.w // 5, -self.map_rect.h // 5)
        if not inner.collidepoint(x, y) or self.minimap.hit((x, y)):
            self.view.glide_to(*self.renderer.hex_center_km(h), GLIDE_TIME[self.app.settings.ai_speed])
        return True

    def _mask_now(self):
        from game.visibility import visible_mask

        g = self.session.game
        return visible_mask(g.state, g.hexmap, g.rules, self.viewer)

    def _click_map(self, h: Hex, button: int, shift: bool) -> None:
        self._refresh_world()
        if button == 3:
            if self.target is not None:
                self.target, self.preview = None, None
                self.attackers = [self.selected] if self.selected else []
            else:
                self._select(None)
            return
        if button != 1:
            return
        mine = [self.state.units[u.id] for u in self._stacks.get(h, []) if self._can_order(u.id)]
        sel = self._unit(self.selected)
        self._refresh_range()
        if sel is not None and h in self._targets:
            self._order_target(sel, h)
            return
        if sel is not None and self._kind(sel) == "air" and self.mission == "patrol" \
                and not mine and sel.moves_left > 0:
            from game.air import air_range

            if h.distance(sel.hex) <= air_range(self.rules, sel):
                self._order_target(sel, h)
                return
        if shift and mine and sel is not None and self._kind(sel) == "ground":
            for u in mine:
                if self._kind(u) == "ground" and u.id not in self.attackers and not u.attacked:
                    self.attackers.append(u.id)
                    break
            if self.target is not None:
                self._make_preview()
            return
        if sel is not None and not mine and self._enemy_seen_at(h):
            # An enemy that is not a target: say why, and keep the selection.
            self._toast(self._why_no_target(sel, h), MUTED, 6.0)
            return
        if sel is not None and h in self._range:
            path = find_path(self.graph, self.rules, sel, h, self._obs,
                             self.state.factions[sel.faction].bases)
            if path:
                self._send(Move(self.viewer, sel.id, path[0]))
                return
        if mine:
            ids = [u.id for u in mine]
            if self.selected in ids:  # a second click cycles through the stack
                uid = ids[(ids.index(self.selected) + 1) % len(ids)]
            else:
                uid = ids[0]
            self._select(uid)
            return
        self._select(None)

    def _enemy_seen_at(self, h: Hex) -> bool:
        st = self.state
        return any(st.side_of(u.faction) != self.viewer for u in self._stacks.get(h, []))

    def _why_no_target(self, sel, h: Hex) -> str:
        """Why ``sel`` cannot attack or strike ``h``: the engine's own reason for refusing."""
        from game.air import AirMission, NavalStrike
        from game.combat import Attack

        kind = self._kind(sel)
        if kind == "ground":
            cmd = Attack(self.viewer, [sel.id], h)
        elif kind == "air":
            cmd = AirMission(self.viewer, sel.id, self.mission, h)
        else:
            cmd = NavalStrike(self.viewer, sel.id, h)
        problems = cmd.validate(self.state, self.session.game.ctx)
        name = sel.name or sel.id
        return f"{name} cannot: {problems[0]}" if problems else f"{name} cannot reach it"

    def _order_target(self, sel, h: Hex) -> None:
        kind = self._kind(sel)
        if self.target == h and self.preview is not None:
            self._commit()
            return
        self.target = h
        if kind == "ground":
            self.attackers = [a for a in self.attackers if a in self.state.units] or [sel.id]
        self._make_preview()

    def _make_preview(self) -> None:
        sel = self._unit(self.selected)
        if sel is None or self.target is None:
            return
        kind = self._kind(sel)
        if kind == "ground":
            from game.combat import preview_attack

            self.preview = preview_attack(self.state, self.hexmap, self.rules, self.viewer,
                                          list(self.attackers), self.target)
        else:
            self.preview = self._mission_command(sel)

    def _mission_command(self, sel):
        from game.air import AirMission, NavalStrike

        if self._kind(sel) == "air":
            return AirMission(self.viewer, sel.id, self.mission, self.target)
        return NavalStrike(self.viewer, sel.id, self.target)

    def _commit(self) -> None:
        if self.preview is None or self.target is None:
            return
        from game.combat import Attack

        if isinstance(self.preview, Command):  # an air or naval mission, made ready
            cmd = self.preview
        else:
            cmd = Attack(self.viewer, list(self.preview.attackers or self.attackers), self.target)
        res = self._send(cmd)
        if res:
            # What came of it, said at once where the eye is, and flashed on the hex.
            fights = [e.text for e in res.events if e.kind in FIGHTS]
            if fights:
                self._toast("  \u00b7  ".join(fights), BRASS, 8.0)
                self.anims.append(_Anim("flash", duration=0.6, hex_=self.target))
            keep = self.selected
            self.target, self.preview = None, None
            self._select(keep if keep in self.state.units else None)

    def _next_unit(self) -> None:
        if not self._my_turn():
            return
        own = [u for u in self.state.units_of_side(self.viewer)
               if u.moves_left > 0 and not (self._kind(u) == "ground" and u.attacked
                                            and u.moves_left <= 0)]
        if not own:
            self._toast("Every unit has moved: E ends the turn", MUTED)
            return
        ids = [u.id for u in own]
        i = (ids.index(self.selected) + 1) % len(ids) if self.selected in ids else 0
        self._select(ids[i])
        self._centre_on_selection()

    def _centre_on_selection(self) -> None:
        u = self._unit(self.selected)
        if u is not None:
            self.view.centre_on(*self.renderer.hex_center_km(u.hex))

    def _centre_on_own(self) -> None:
        side = self.viewer or self.state.active_side
        units = self.state.units_of_side(side)
        if not units:
            return
        xs, ys = zip(*(self.renderer.hex_center_km(u.hex) for u in units))
        self.view.level = min(len(self.view.levels) - 1, 8)
        self.view.centre_on(float(np.median(xs)), float(np.median(ys)))

    def _end_turn(self) -> None:
        if not self._my_turn():
            return
        self._select(None)
        self._send(EndTurn(self.viewer))

    def _entrench(self) -> None:
        if self.selected and self._can_order(self.selected):
            self._send(Entrench(self.viewer, self.selected))

    def _undo(self) -> None:
        if not self._my_turn():
            return
        if self.session.undo():
            self._select(None)
            self._world_key = None
            self._toast("Undone", MUTED)
        else:
            self._toast("Nothing to undo: something was revealed since", MUTED)

    def _toast(self, text: str, colour=INK, seconds: float = 4.0) -> None:
        self.toast = (text, colour, seconds)
        self._bottom.key = None

    # -- saves ------------------------------------------------------------------------------------

    def _autosave(self) -> None:
        if not self.app.settings.autosave:
            return
        from game.saves import SaveError
        from game.ui.settings import saves_dir

        try:
            d = saves_dir()
            d.mkdir(parents=True, exist_ok=True)
            self.session.save(self.session.autosave_path(d))
        except (SaveError, OSError) as exc:
            self._toast(f"Autosave failed: {exc}", BAD)

    def _quick_path(self):
        from game.saves import SAVE_SUFFIX
        from game.ui.settings import saves_dir

        return saves_dir() / f"quicksave{SAVE_SUFFIX}"

    def quick_save(self) -> None:
        from game.saves import SaveError

        if self.ai is not None:
            self._toast("Wait for the AI to finish its turn", MUTED)
            return
        path = self._quick_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.session.save(path)
        except (SaveError, OSError) as exc:
            self._toast(str(exc), BAD)
            return
        self._toast(f"Saved: {path.name}", GOOD)

    def quick_load(self) -> None:
        from game.saves import SaveError

        path = self._quick_path()
        try:
            session = Session.load(path)
        except SaveError as exc:
            self._toast(str(exc), BAD)
            return
        self._stop_ai()
        scene = BattleScene(self.app, session)
        if session.game.hexmap is self.hexmap:  # the same map: the camera stays where it was
            scene.view.level = self.view.level
            scene.view.centre_on(*self.view.centre)
        self.app.replace(scene)
        scene._toast(f"Loaded: {path.name} (turn {session.game.state.turn})", GOOD)

    def _stop_ai(self) -> None:
        if self.ai is not None:
            self.ai.cancel()
            self.ai = None

    def _menu_action(self, action: str) -> None:
        self.menu_open = False
        if action == "resume":
            return
        if action == "save":
            from game.ui.menus import SaveDialog

            self.app.push(SaveDialog(self.app, self.session))
        elif action == "load":
            from game.ui.menus import LoadDialog

            self.app.push(LoadDialog(self.app))
        elif action == "settings":
            from game.ui.menus import SettingsScene

            self.app.push(SettingsScene(self.app))
        elif action == "help":
            self._help()
        elif action == "main_menu":
            from game.ui.menus import MainMenuScene

            self._stop_ai()
            self.app.reset(MainMenuScene(self.app))
        elif action == "quit":
            self._stop_ai()
            self.app.quit(0)

    def _help(self) -> None:
        from game.ui.help import HelpOverlay

        self.app.push(HelpOverlay(self.app, "Battle: keys and mouse", SHORTCUTS))

    # -- input -----------------------------------------------------------------------------------

    def handle_event(self, event) -> None:
        t = event.type
        if t in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.mouse = event.pos
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
                for b in self.menu_buttons:
                    if b.rect.collidepoint(event.pos):
                        self._menu_action(b.action)
                        break
            return
        if t == pygame.KEYDOWN:
            self._key(event)
        elif t == pygame.MOUSEWHEEL:
            if self.panel_rect.collidepoint(self.mouse):
                self.log_scroll = max(0, self.log_scroll + (3 if event.y > 0 else -3))
                self._logp.key = None
            elif event.y:
                self.view.zoom(1 if event.y > 0 else -1, self.mouse)
        elif t == pygame.MOUSEBUTTONDOWN:
            if event.button in (4, 5):
                return
            if event.button == 1 and self.minimap.hit(event.pos):
                self._drag_minimap = True
                self.view.centre_on(*self.minimap.to_world(event.pos))
                return
            self._down = (event.pos, event.button)
            self._dragging = False
        elif t == pygame.MOUSEMOTION:
            if self._drag_minimap:
                self.view.centre_on(*self.minimap.to_world(event.pos))
            elif self._down is not None:
                (x0, y0), _ = self._down
                if self._dragging or abs(event.pos[0] - x0) + abs(event.pos[1] - y0) > DRAG_START:
                    self._dragging = True
                    self.view.pan_pixels(*event.rel)
        elif t == pygame.MOUSEBUTTONUP:
            if self._drag_minimap:
                self._drag_minimap = False
                return
            down, self._down = self._down, None
            if down is None or self._dragging:
                self._dragging = False
                return
            mods = getattr(event, "mod", None)
            if mods is None:
                mods = pygame.key.get_mods()
            self._click(event.pos, event.button, bool(mods & pygame.KMOD_SHIFT))

    def _click(self, pos, button: int, shift: bool) -> None:
        if button == 1:
            for b in self.buttons:
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
        if self._my_turn():
            self._click_map(h, button, shift)

    def _button(self, action: str) -> None:
        if action == "end_turn":
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
        if ctrl and k == pygame.K_s:
            from game.ui.menus import SaveDialog

            self.app.push(SaveDialog(self.app, self.session))
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
            elif self.target is not None or self.selected is not None:
                self._select(None)
            else:
                self.menu_open = True
        elif k == pygame.K_SPACE:
            if self.ai is not None:
                self.skip_ai = True
                self.anims.clear()
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.target is not None and self.preview is not None:
                self._commit()
        elif k == pygame.K_e:
            self._end_turn()
        elif k in (pygame.K_TAB, pygame.K_n):
            self._next_unit()
        elif k == pygame.K_c:
            self._centre_on_selection()
        elif k == pygame.K_d:
            self._entrench()
        elif k == pygame.K_l:
            self.show_ledger = not self.show_ledger
        elif k == pygame.K_o:
            self.show_log = not self.show_log
        elif k == pygame.K_m:
            self.show_minimap = not self.show_minimap
        elif k == pygame.K_v:
            self._cycle_watch()
        elif k == pygame.K_p:
            self.ai_paused = not self.ai_paused
            self._toast("AI paused: P goes on" if self.ai_paused else "AI goes on", MUTED)
        elif k in MISSION_KEYS:
            self.mission = MISSION_KEYS[k]
            sel = self._unit(self.selected)
            if sel is not None and self._kind(sel) == "air" and self.target is not None:
                self._make_preview()
            self._side.key = None
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.view.zoom(+1)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.view.zoom(-1)
        elif k == pygame.K_HOME:
            self.view.fit()

    def _cycle_watch(self) -> None:
        if self.session.humans():
            return
        options = [None] + list(self.state.sides)
        self.watch_side = options[(options.index(self.watch_side) + 1) % len(options)]
        self.viewer = self.watch_side
        if self.viewer is not None:
            self.session.watchers.add(self.viewer)
        self._world_key = None
        self._toast(f"Showing {self.session.side_name(self.viewer)}'s view"
                    if self.viewer else "Showing everything", MUTED)

    # -- the frame -------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self._apply_settings()
        if self.toast is not None:
            text, colour, left = self.toast
            self.toast = (text, colour, left - dt) if left > dt else None
            if self.toast is None:
                self._bottom.key = None
        self._pan(dt)
        self.view.step(dt)
        for a in self.anims:
            a.t += dt
        self.anims = [a for a in self.anims if not a.done]
        if self.state.over:
            if not self.messages and not self._over_shown and not self.anims:
                self._over_shown = True
                self._stop_ai()
                self._autosave()
                from game.ui.results import ResultsScene

                self.app.push(ResultsScene(self.app, self.session))
            return
        self._check_turn()
        if self.app.top is not self:
            return
        self._run_ai(dt)
        self._prewarm()

    def _prewarm(self) -> None:
        """While nothing moves, draw a map tile the player may look at next (around the view,
        and the zoom levels either side), so that panning and zooming find them ready."""
        if not self.app.frames or self.anims or self._dragging or \
                (self.ai is not None and not self.ai.thinking):
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

    def _run_ai(self, dt: float) -> None:
        if self.messages or self.menu_open or self.ai_paused:
            return
        if self.ai is None:
            if not self.session.ai_to_move():
                return
            self.ai = self.session.ai_turn(threaded=self.threaded_ai)
            self.skip_ai = self.app.settings.ai_speed == "skip"
            self._select(None)
        skipping = self.skip_ai
        if not skipping:
            if self.anims or self.view.gliding:
                return
            if self._ai_wait > 0:
                self._ai_wait -= dt
                return
        deadline = time.perf_counter() + (0.012 if skipping else 0.004)
        # The first command of a frame is waited for a little: waiting lets the AI's thread
        # think (a loop that never waits would keep the interpreter from it).
        wait = 0.003
        while self.ai is not None:
            got = self.ai.step(timeout=wait)
            wait = 0.0
            if got is not None:
                cmd, res = got
                if res.ok:
                    self._after(cmd, res, animate=not skipping)
            if self.ai is not None and self.ai.finished:
                self.ai = None
                self.skip_ai = False
                self._check_turn()
                break
            if got is None or self.messages or self.app.top is not self:
                break
            if not skipping and (self.anims or self._ai_wait > 0):
                break
            if time.perf_counter() > deadline:
                break

    def _pan(self, dt: float) -> None:
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
            self.view.pan_pixels(dx * PAN_SPEED * dt, dy * PAN_SPEED * dt)

    # -- drawing ---------------------------------------------------------------------------------

    def screen_pos(self, h: Hex) -> tuple[int, int]:
        """Where the centre of ``h`` is on the window (for tests and scripted play)."""
        x, y = self.view.world_to_screen(*self.renderer.hex_center_km(h))
        return int(round(x)), int(round(y))

    def counter_size(self) -> int:
        hex_px = self.renderer.hex_width_km * self.view.scale
        return int(max(12, min(64, hex_px * 0.92)))

    def draw(self, screen: pygame.Surface) -> None:
        self._refresh_world()
        self._refresh_range()
        self.hover = self.view.hex_at(self.mouse) if self.map_rect.collidepoint(self.mouse) \
            and not self.minimap.hit(self.mouse) else None
        self._refresh_path()
        clip = screen.get_clip()
        screen.set_clip(self.map_rect)
        self._draw_base(screen)
        self._draw_orders(screen)
        self._draw_counters(screen)
        self._draw_marks(screen)
        screen.set_clip(clip)
        self._draw_minimap(screen)
        self._draw_top(screen)
        self._draw_panel(screen)
        self._draw_bottom(screen)
        if self.show_ledger:
            self._draw_ledger(screen)
        if self.menu_open:
            self._draw_menu(screen)
        elif self.messages:
            self._draw_message(screen)

    def _camera(self) -> tuple:
        return (self.view.level, self.view._left_top(), tuple(self.map_rect))

    def _draw_base(self, screen) -> None:
        key = (self._camera(), self._map_key(), self._style_key)
        if key != self._base_key or self._base is None:
            self._base_key = key
            r = self.map_rect
            if self._base is None or self._base.get_size() != r.size:
                self._base = pygame.Surface(r.size).convert() if pygame.display.get_surface() \
                    else pygame.Surface(r.size)
            left, top = self.view._left_top()
            self.renderer.draw_view(self._base, self.view.scale, left, top, self._base.get_rect())
            self._draw_zones(self._base, left, top)
            if self._mask is not None:
                self._draw_fog(self._base, left, top)
            self._draw_control(self._base, left, top)
        screen.blit(self._base, self.map_rect)

    def _map_key(self) -> tuple:
        """What the composed map shows: fog, zones, air tasks, who holds the towns. A move
        the viewer cannot see changes none of it, and the map is not made again."""
        if self._world_key == self._map_key_for:
            return self._map_key_value
        st = self.state
        fog = None if self._mask is None else hash(self._mask.tobytes())
        tasks = tuple(sorted((w, t.get("kind"), tuple(t.get("hex", ())), t.get("side"))
                             for w, t in st.air_tasks.items()))
        value = (fog, hash(tuple(sorted(st.city_owner.items(), key=lambda kv: kv[0]))),
                 tuple(z["id"] for z in st.no_fly_zones), tasks, self.viewer)
        self._map_key_for, self._map_key_value = self._world_key, value
        return value

    def _level_xy(self, h: Hex, left: float, top: float) -> tuple[float, float]:
        x, y = self.renderer.hex_center(h, self.view.scale)
        return x - left, y - top

    def _draw_fog(self, surf, left: float, top: float) -> None:
        """Shade the hexes the viewer does not see, worked out per block of pixels."""
        w, h = surf.get_size()
        bw, bh = (w + FOG_STEP - 1) // FOG_STEP, (h + FOG_STEP - 1) // FOG_STEP
        s = self.view.scale
        bx, by = self.renderer.bounds_km[:2]
        xs = (left + (np.arange(bw) + 0.5) * FOG_STEP) / s + bx
        ys = (top + (np.arange(bh) + 0.5) * FOG_STEP) / s + by
        X, Y = np.meshgrid(xs, ys, indexing="ij")
        lay = self.hexmap.layout
        o = lay.orientation
        px = (X - lay.origin[0]) / lay.size[0]
        py = (Y - lay.origin[1]) / lay.size[1]
        fq = o.b0 * px + o.b1 * py
        fr = o.b2 * px + o.b3 * py
        fs = -fq - fr
        q, r, s3 = np.round(fq), np.round(fr), np.round(fs)
        dq, dr, ds = np.abs(q - fq), np.abs(r - fr), np.abs(s3 - fs)
        fix_q = (dq > dr) & (dq > ds)
        fix_r = ~fix_q & (dr > ds)
        q = np.where(fix_q, -r - s3, q)
        r = np.where(fix_r, -q - s3, r)
        q, r = q.astype(np.int64), r.astype(np.int64)
        col = q + (r - (r & 1)) // 2
        rows, cols = self._mask.shape
        inside = (r >= 0) & (r < rows) & (col >= 0) & (col < cols)
        seen = np.zeros(q.shape, dtype=bool)
        seen[inside] = self._mask[r[inside], col[inside]]
        alpha = np.where(seen | ~inside, 0, 110).astype(np.uint8)
        small = pygame.Surface((bw, bh), pygame.SRCALPHA)
        small.fill((18, 20, 26, 0))
        pygame.surfarray.pixels_alpha(small)[:] = alpha
        fog = pygame.transform.scale(small, (bw * FOG_STEP, bh * FOG_STEP))
        surf.blit(fog, (0, 0))

    def _draw_zones(self, surf, left: float, top: float) -> None:
        """No-fly zones as hatched hexes with their enforcer's colour; air tasks as rings."""
        state = self.state
        s = self.view.scale
        w, h = surf.get_size()
        for z in state.no_fly_zones:
            colour = self.palette.side(z["side"])
            layer = pygame.Surface((w, h), pygame.SRCALPHA)
            xs, ys = [], []
            zone = {Hex(int(q), int(r)) for q, r in z["hexes"]}
            edge = self.renderer.edge_km
            for hx in zone:
                x, y = self._level_xy(hx, left, top)
                xs.append(x)
                ys.append(y)
                if -40 < x < w + 40 and -40 < y < h + 40:
                    pts = [(x + dx * s, y + dy * s) for dx, dy in self.renderer.corner_km]
                    pygame.draw.polygon(layer, (*colour, 56), pts)
                    for d, nb in enumerate(hx.neighbors()):
                        if nb not in zone:
                            (ax, ay), (bx, by) = edge[d]
                            pygame.draw.line(layer, (*colour, 220), (x + ax * s, y + ay * s),
                                             (x + bx * s, y + by * s), 2)
            surf.blit(layer, (0, 0))
            if xs:
                text = z["name"] if "no-fly" in z["name"].lower() else f"No-fly zone: {z['name']}"
                label = self.fonts.bold.render(text, True, (250, 250, 250))
                at = label.get_rect(center=(sum(xs) / len(xs), max(ys) + 10))
                pygame.draw.rect(surf, (30, 30, 30), at.inflate(8, 4), border_radius=3)
                surf.blit(label, at)
        viewer = self.viewer
        for wid, task in sorted(state.air_tasks.items()):
            if viewer is not None and task.get("side") != viewer:
                continue
            x, y = self._level_xy(Hex(*task["hex"]), left, top)
            radius = task.get("radius", 0) * self.renderer.hex_width_km * s
            col = (40, 90, 220) if task["kind"] == "patrol" else (230, 120, 20)
            if radius:
                pygame.draw.circle(surf, col, (x, y), radius, 2)
            pygame.draw.circle(surf, col, (x, y), max(4, self.counter_size() // 3), 2)

    def _draw_control(self, surf, left: float, top: float) -> None:
        """A small flag in the holder's colour by every town a faction holds."""
        state = self.state
        w, h = surf.get_size()
        fs = max(6, int(self.counter_size() * 0.42))
        for cid, owner in state.city_owner.items():
            if owner is None:
                continue
            city = self.cities.get(cid)
            if city is None:
                continue
            x, y = self._level_xy(city.hex, left, top)
            if not (-20 < x < w + 20 and -20 < y < h + 20):
                continue
            colour = self.palette.colour(owner)
            fx, fy = int(x - fs * 1.4), int(y - fs * 1.6)
            pygame.draw.line(surf, (20, 20, 20), (fx, fy), (fx, fy + fs * 1.6), 1)
            rect = pygame.Rect(fx + 1, fy, fs + 2, max(3, int(fs * 0.75)))
            pygame.draw.rect(surf, colour, rect)
            pygame.draw.rect(surf, (20, 20, 20), rect, 1)

    def _draw_orders(self, screen) -> None:
        """The selected unit's range shaded, its path and cost, the targets ringed."""
        if self.selected is None:
            return
        s = self.view.scale
        left, top = self.view._left_top()
        key = (self._range_key, self._camera())
        if key != self._range_surf_key:
            self._range_surf_key = key
            w, h = self.map_rect.size
            inside = set(self._range)
            u = self._unit(self.selected)
            if u is not None:
                inside.add(u.hex)
            centres = {}
            for hx in inside:
                x, y = self._level_xy(hx, left, top)
                if -30 < x < w + 30 and -30 < y < h + 30:
                    centres[hx] = (x, y)
            # A layer just big enough for the range: blitting it is most of its cost.
            pad = int(self.renderer.hex_width_km * s) + 4
            if centres:
                xs = [c[0] for c in centres.values()]
                ys = [c[1] for c in centres.values()]
                box = pygame.Rect(int(min(xs)) - pad, int(min(ys)) - pad,
                                  int(max(xs) - min(xs)) + 2 * pad, int(max(ys) - min(ys)) + 2 * pad)
                box = box.clip(pygame.Rect(0, 0, w, h))
            else:
                box = pygame.Rect(0, 0, 1, 1)
            layer = pygame.Surface((max(1, box.w), max(1, box.h)), pygame.SRCALPHA)
            edge = self.renderer.edge_km
            for hx, (x, y) in centres.items():
                if hx in self._range:
                    x, y = x - box.x, y - box.y
                    pts = [(x + dx * s, y + dy * s) for dx, dy in self.renderer.corner_km]
                    pygame.draw.polygon(layer, (255, 255, 200, 80), pts)
            # The range's outline: the hexsides between a hex it reaches and one it does not.
            width = max(2, int(self.counter_size() / 12))
            for hx, (x, y) in centres.items():
                x, y = x - box.x, y - box.y
                for d, nb in enumerate(hx.neighbors()):
                    if nb not in inside:
                        (ax, ay), (bx, by) = edge[d]
                        pygame.draw.line(layer, (255, 226, 60, 230), (x + ax * s, y + ay * s),
                                         (x + bx * s, y + by * s), width)
            self._range_surf = layer
            self._range_at = (self.map_rect.x + box.x, self.map_rect.y + box.y)
        screen.blit(self._range_surf, self._range_at)
        u = self._unit(self.selected)
        if u is not None:
            self._draw_reach(screen, u)
        if self._path:
            path, cost = self._path
            pts = [self.screen_pos(hx) for hx in path]
            pygame.draw.lines(screen, (20, 20, 20), False, pts, 5)
            pygame.draw.lines(screen, (255, 230, 60), False, pts, 3)
            t = self.fonts.bold.render(f"{cost:g} of {u.moves_left:g} MP", True, INK)
            box = t.get_rect(midbottom=(pts[-1][0], pts[-1][1] - self.counter_size() // 2 - 4))
            pygame.draw.rect(screen, (20, 22, 18), box.inflate(8, 4), border_radius=3)
            screen.blit(t, box)

    def _draw_reach(self, screen, u) -> None:
        """An air wing's or a fleet's strike reach: the hexagon of hexes within its range,
        outlined in orange with the range written at its top."""
        kind = self._kind(u)
        if kind == "air":
            from game.air import air_range

            reach, what = air_range(self.rules, u), "mission range"
        elif kind == "naval":
            reach, what = int(self.rules.air["range"]["naval_strike"]), "strike range"
        else:
            return
        if u.moves_left <= 0 or reach <= 0:
            return
        pts = [self.screen_pos(u.hex + d.scale(reach)) for d in DIRECTIONS]
        pygame.draw.lines(screen, (20, 20, 20), True, pts, 4)
        pygame.draw.lines(screen, (255, 150, 40), True, pts, 2)
        top = min(pts, key=lambda p: p[1])
        if self.map_rect.collidepoint(top) and not self.minimap.hit(top):
            t = self.fonts.bold.render(f"{what}: {reach} hexes", True, (255, 190, 110))
            box = t.get_rect(midtop=(top[0], top[1] + 4))
            pygame.draw.rect(screen, (20, 22, 18), box.inflate(8, 4), border_radius=3)
            screen.blit(t, box)

    def _anim_units(self) -> dict[str, tuple[float, float]]:
        """Units sliding along a path: their level position now (only where the viewer sees)."""
        out = {}
        self.drawn_moving = {}
        for a in self.anims:
            if a.kind != "move":
                continue
            f = min(1.0, a.t / a.duration) * (len(a.path) - 1)
            i = min(int(f), len(a.path) - 2)
            frac = f - i
            here = a.path[i] if frac < 0.5 else a.path[i + 1]
            if not self.would_see(here):
                out[a.unit.id] = None
                continue
            self.drawn_moving[a.unit.id] = here
            x0, y0 = self.renderer.hex_center(a.path[i], self.view.scale)
            x1, y1 = self.renderer.hex_center(a.path[i + 1], self.view.scale)
            out[a.unit.id] = (x0 + (x1 - x0) * frac, y0 + (y1 - y0) * frac)
        return out

    def _draw_counters(self, screen) -> None:
        size = self.counter_size()
        left, top = self.view._left_top()
        ox, oy = self.map_rect.x - left, self.map_rect.y - top
        r = self.map_rect
        margin = size
        moving = self._anim_units()
        drawn = set()
        state = self.state
        my_turn = self._my_turn()
        for hx, units in self._stacks.items():
            if moving:
                units = [u for u in units if u.id not in moving]
                if not units:
                    continue
            x, y = self.renderer.hex_center(hx, self.view.scale)
            x += ox
            y += oy
            if not (r.left - margin < x < r.right + margin and r.top - margin < y < r.bottom + margin):
                continue
            marks = [("spent" if my_turn and state.side_of(u.faction) == self.viewer
                      and (u.moves_left or 0) <= 0 else "") for u in units]
            surf = self.art.stack(units, size, marks)
            screen.blit(surf, (x - size / 2, y - surf.get_height() + size / 2))
            drawn.update(u.id for u in units)
        for uid, pos in moving.items():
            if pos is None:
                continue
            u = state.units.get(uid)
            if u is None:
                continue
            surf = self.art.counter(u.faction, u.type, int(round(u.personnel, -2)), size)
            screen.blit(surf, (pos[0] + ox - size / 2, pos[1] + oy - size / 2))
            drawn.add(uid)
        self.drawn_units = drawn

    def _draw_selection(self, screen) -> None:
        """Over the counters: the selected unit, the units joining its attack, the targets."""
        u = self._unit(self.selected)
        if u is None:
            return
        for uid in self.attackers[1:]:
            a = self._unit(uid)
            if a is not None:
                pygame.draw.polygon(screen, (255, 170, 40), self.view.hex_polygon(a.hex), 3)
        pygame.draw.polygon(screen, (20, 20, 20), self.view.hex_polygon(u.hex), 5)
        pygame.draw.polygon(screen, (255, 236, 70), self.view.hex_polygon(u.hex), 3)
        for hx in self._targets:
            chosen = hx == self.target
            pygame.draw.polygon(screen, (255, 255, 255) if chosen else (235, 40, 30),
                                self.view.hex_polygon(hx), 4 if chosen else 2)

    def _draw_marks(self, screen) -> None:
        self._draw_selection(screen)
        for a in self.anims:
            if a.kind == "flash" and self._sees(a.hex):
                on = int(a.t * 8) % 2 == 0
                pygame.draw.polygon(screen, (255, 40, 30) if on else (255, 220, 80),
                                    self.view.hex_polygon(a.hex), 4)
        if self.hover is not None:
            pygame.draw.polygon(screen, (255, 255, 255), self.view.hex_polygon(self.hover), 2)

    def _draw_minimap(self, screen) -> None:
        mm = self.minimap
        # In a small window the minimap would hide too much of the map; M hides it anyway.
        if not self.show_minimap or self.map_rect.w < 3 * mm.rect.w \
                or self.map_rect.h < 2.2 * mm.rect.h:
            mm.visible = False
            return
        mm.rect.topright = (self.map_rect.right - 8, self.map_rect.top + 8)
        mm.draw(screen, self.view, topright=mm.rect.topright)
        mm.visible = True
        key = (self._world_key, self._style_key, mm.rect.size)
        if key != self._minimap_key:
            self._minimap_key = key
            layer = pygame.Surface(mm.rect.size, pygame.SRCALPHA)
            bx, by = self.renderer.bounds_km[:2]

            def at(h):
                x, y = self.renderer.hex_center_km(h)
                return int((x - bx) * mm.scale), int((y - by) * mm.scale)

            for cid, owner in self.state.city_owner.items():  # who holds the towns: rings
                city = self.cities.get(cid)
                if owner is not None and city is not None:
                    x, y = at(city.hex)
                    pygame.draw.rect(layer, self.palette.colour(owner), (x - 2, y - 2, 5, 5), 1)
            for u in self._seen:  # the units the viewer sees: dots
                x, y = at(u.hex)
                layer.fill(self.palette.colour(u.faction), (x - 1, y - 1, 3, 3))
            self._minimap_layer = layer
        screen.blit(self._minimap_layer, mm.rect)

    # -- panels ------------------------------------------------------------------------------------

    def _draw_top(self, screen) -> None:
        s = self.state
        my = self._my_turn()
        self.buttons[0].enabled = my and self.session.can_undo
        self.buttons[3].enabled = my
        w = self.size[0]
        pad = sz(8, self.scale)
        x = w - pad
        for b in reversed(self.buttons):
            bw, bh = b.size(self.fonts)
            b.rect = pygame.Rect(x - bw, (self.top_h - bh) // 2, bw, bh)
            x -= bw + pad
        mover = s.active_side
        seat = self.session.seats.get(mover)
        who = "" if seat is None else "a player" if seat.kind == "human" else \
            f"the AI, {seat.difficulty}"
        thinking = self.ai is not None
        limit = self.buttons[0].rect.x - pad
        key = (s.turn, s.date, mover, self.viewer, thinking, w, self.scale, s.over, limit,
               tuple(b.enabled for b in self.buttons))
        f = self.fonts

        def render():
            surf = pygame.Surface((w, self.top_h))
            surf.fill(BG)
            pygame.draw.line(surf, EDGE, (0, self.top_h - 1), (w, self.top_h - 1))
            x = pad
            if s.over:
                won = f"{self.session.side_name(s.winner)} won" if s.winner else "a draw"
                mover_part = (f"Game over: {won}", f.head,
                              self._side_colour(s.winner) if s.winner else INK)
            else:
                mover_part = (f"{self.session.side_name(mover)} to move", f.head,
                              self._side_colour(mover))
            parts = [(s.date.strftime("%d %B %Y").lstrip("0"), f.head, INK), mover_part,
                     (f"Turn {s.turn} of {s.end_turn}", f.body, MUTED),
                     ("AI thinking..." if thinking else f"played by {who}", f.body,
                      BRASS if thinking else MUTED),
                     ("viewing: everything, the game is over" if s.over else
                      f"viewing: {self.session.side_name(self.viewer)}", f.body, MUTED)]
            for text, fnt, colour in parts:
                t = fnt.render(text, True, colour)
                if x + t.get_width() > limit:
                    continue  # a narrow window drops what does not fit
                surf.blit(t, (x, (self.top_h - t.get_height()) // 2))
                x += t.get_width() + sz(18, self.scale)
            return surf

        screen.blit(self._top.get(key, render), (0, 0))
        for b in self.buttons:
            b.draw(screen, f, b.rect.collidepoint(self.mouse))

    def _side_colour(self, side: str):
        """The side's colour for its name on the dark bars and panel (game.ui.counters)."""
        return self.palette.side_text(side) if side in self.state.sides else INK

    def _panel_rows(self) -> list[tuple[str, object, tuple]]:
        f = self.fonts
        rows: list[tuple[str, object, tuple]] = []
        state, rules = self.state, self.rules
        u = self._unit(self.selected)
        if u is not None:
            ut = rules.unit_type(u.type)
            fac = state.factions[u.faction]
            rows.append((u.name or u.id, f.head, BRASS))
            rows.append((f"{ut.name} \u00b7 {fac.name}", f.body, INK))
            rows.append((f"Strength: {u.personnel:,} personnel", f.body, INK))
            for item, n in sorted(u.equipment.items()):
                rows.append((f"   {item}: {n:,}", f.small, MUTED))
            rows.append((f"Supply: {'in supply' if u.supplied else 'CUT OFF'}"
                         + (f" ({u.turns_unsupplied} turn{'s' if u.turns_unsupplied != 1 else ''})"
                            if u.turns_unsupplied else ""),
                         f.body, GOOD if u.supplied else BAD))
            rows.append((f"Morale {u.morale:.0f} \u00b7 experience {u.experience:.0f} \u00b7 "
                         f"dug in {u.entrenchment}", f.body, INK))
            rows.append((f"Moves left {u.moves_left:g} of {ut.movement:g}"
                         + (" \u00b7 has attacked" if u.attacked else ""), f.body, INK))
            if ut.category == "air":
                from game.air import MISSION_NAMES, air_range

                rows.append((f"Range {air_range(rules, u)} hexes \u00b7 mission: "
                             f"{MISSION_NAMES[self.mission]} (1 strike, 2 support, 3 patrol)",
                             f.small, MUTED))
            if len(self.attackers) > 1:
                names = [unit_name(self.state.units[a]) if a in self.state.units else a
                         for a in self.attackers]
                rows.append((f"Attacking together: {', '.join(names)}", f.small, BRASS))
            rows.append(("", None, None))
        rows += self._preview_rows()
        if self.hover is not None and self.preview is None:
            rows += self._hover_rows(self.hover)
        elif u is None:
            rows += self._overview_rows()
        return rows

    def _overview_rows(self):
        """With nothing selected or pointed at: the side's forces and the aims of the game."""
        from game.victory import describe

        f = self.fonts
        state = self.state
        rows = []
        if self._my_turn():
            rows.append(("Your turn", f.head, BRASS))
            rows.append(("Click one of your units to give it orders; Tab picks the next one "
                         "that can move. E ends the turn. F1: all the keys.", f.body, MUTED))
            rows.append(("", None, None))
        sides = [self.viewer] if self.viewer else list(state.sides)
        for side in sides:
            units = state.units_of_side(side)
            towns = sum(1 for c, o in state.city_owner.items()
                        if o is not None and state.side_of(o) == side)
            rows.append((self.session.side_name(side), f.head, self._side_colour(side)))
            rows.append((f"{len(units)} units, {sum(u.personnel for u in units):,} personnel, "
                         f"{towns} towns", f.body, INK))
            for cond in self.session.game.setup.get("victory", []):
                if cond.get("side") == side:
                    rows.append((f"Aim: {describe(state, cond, state.side_names)}", f.small,
                                 MUTED))
        return rows

    def _preview_rows(self):
        f = self.fonts
        p = self.preview
        if p is None or self.target is None:
            return []
        rows = []
        if isinstance(p, Command):  # an air or naval mission
            rows += self._mission_rows(p)
            rows.append(("", None, None))
            return rows
        rows.append((f"Attack at {p.odds}  (ratio {p.ratio:.2f})", f.head, BRASS))
        rows.append(("An estimate from what your side sees: the enemy's strength as seen, "
                     "its morale and supply taken as average.", f.small, MUTED))
        if p.problems:
            rows += [(x, f.body, BAD) for x in p.problems]
        elif p.outcomes.get("repulsed", 0) >= 0.75:
            rows.append(("Most likely thrown back: add units (Shift+click), artillery or air "
                         "support first.", f.body, BAD))
        rows.append((f"Your losses: ~{p.attacker_loss.mean:,.0f} "
                     f"({p.attacker_loss.p10:,.0f}-{p.attacker_loss.p90:,.0f})", f.body, INK))
        rows.append((f"Their losses: ~{p.defender_loss.mean:,.0f} "
                     f"({p.defender_loss.p10:,.0f}-{p.defender_loss.p90:,.0f})", f.body, INK))
        if p.civilians.mean >= 1:
            rows.append((f"Civilians: ~{p.civilians.mean:,.0f}", f.body, INK))
        if p.outcomes:
            rows.append((", ".join(f"{k} {v:.0%}" for k, v in p.outcomes.items() if v > 0),
                         f.small, MUTED))
        if p.stands:
            rows.append(("Dug in in a town with a way back: they will not fall back, only a rout "
                         "drives them out. Grind them down, cut them off or break their morale.",
                         f.small, MUTED))
        for fac in p.factors[:8]:
            whose = "yours" if fac.side == "attacker" else "theirs"
            rows.append((f"   {fac.label}: x{fac.multiplier:.2f} ({whose}, "
                         f"{fac.shift:+.1f} col)", f.small, MUTED))
        if not p.problems:
            rows.append(("Click the target again or Enter to attack; Shift+click adds units.",
                         f.body, GOOD))
        rows.append(("", None, None))
        return rows

    def _mission_rows(self, cmd) -> list:
        """An air or naval mission before it flies: who, how many aircraft or ships, what is
        seen on the target, and the air defence and no-fly zones the side knows of there."""
        from game.air import MISSION_NAMES, AirMission, combat_aircraft, zones_at

        f, st, h = self.fonts, self.state, self.target
        problems = cmd.validate(st, self.session.game.ctx)
        unit = st.units.get(cmd.wing if isinstance(cmd, AirMission) else cmd.group)
        name = (unit.name or unit.id) if unit is not None else "?"
        city = self.hexmap.city_at(h)
        where = f"{city.name} ({h.q},{h.r})" if city else f"hex {h.q},{h.r}"
        if isinstance(cmd, AirMission):
            what = MISSION_NAMES.get(cmd.mission, cmd.mission).capitalize()
            n = combat_aircraft(unit) if unit is not None else 0
            force = f"{n} combat aircraft of {name}"
        else:
            what, force = "Naval strike", f"the warships of {name}"
        rows = [(f"{what} on {where}", f.head, BRASS), (f"By {force}", f.body, INK)]
        for u in self._stacks.get(h, []):
            if st.side_of(u.faction) != self.viewer:
                ut = self.rules.unit_type(u.type)
                rows.append((f"Target: {u.name or u.id}, {ut.name.lower()}, "
                             f"{st.factions[u.faction].name}, ~{u.personnel:,}", f.body, INK))
        if unit is not None:
            guns = []
            for u in self._seen:
                ut = self.rules.unit_type(u.type)
                if ut.category != "air" and ut.air_defence > 0 and u.personnel > 0 \
                        and st.at_war_with(u.faction, unit.faction) \
                        and u.hex.distance(h) <= ut.air_defence_range:
                    guns.append(u.name or u.id)
            rows.append((("Air defence seen in reach: " + ", ".join(guns[:4])
                          + (f" and {len(guns) - 4} more" if len(guns) > 4 else ""))
                         if guns else "No air defence seen in reach (there may be some unseen)",
                         f.small, BAD if guns else MUTED))
            for z in zones_at(st, h):
                if st.side_of(unit.faction) != z["side"]:
                    rows.append((f"Inside the no-fly zone {z['name']}, enforced by "
                                 f"{self.session.side_name(z['side'])}: expect fighters",
                                 f.small, BAD))
        if problems:
            rows += [(x, f.body, BAD) for x in problems]
        else:
            rows.append(("Click the target again or press Enter to fly it; air defence and "
                         "fighters there may shoot some down.", f.body, GOOD))
        return rows

    def _hover_rows(self, h: Hex):
        f = self.fonts
        rows = []
        left, _ = describe_line(self.hexmap, h)
        rows.append((f"Hex {h.q},{h.r}", f.head, BRASS))
        rows.append((left, f.body, INK))
        city = self.hexmap.city_at(h)
        if city is not None:
            owner = self.state.city_owner.get(city.id)
            rows.append((f"{city.name}: held by "
                         f"{self.state.factions[owner].name if owner else 'nobody'}", f.body, INK))
        if not self._sees(h):
            rows.append(("Not seen by your side", f.small, MUTED))
        for u in self._stacks.get(h, []):
            ut = self.rules.unit_type(u.type)
            fac = self.state.factions[u.faction].name
            est = "~" if self.viewer is not None and self.state.side_of(u.faction) != self.viewer else ""
            rows.append((f"{u.name or u.id}: {ut.name.lower()}, {fac}, {est}{u.personnel:,}",
                         f.small, INK))
        return rows

    def _draw_panel(self, screen) -> None:
        r = self.panel_rect
        log_h = int(r.h * 0.38) if self.show_log else 0
        u = self._unit(self.selected)
        ukey = None if u is None else (u.id, u.personnel, u.moves_left, u.entrenchment,
                                       u.morale, u.supplied, u.attacked, tuple(u.equipment.items()))
        pkey = None if self.preview is None else (id(self.preview), self.target,
                                                  tuple(self.attackers), self.mission)
        key = (self._world_key, ukey, pkey, self.hover, self.mission, r.size, log_h,
               self._my_turn(), self.scale)
        pad = sz(10, self.scale)

        def render():
            surf = pygame.Surface((r.w, r.h - log_h))
            surf.fill(PANEL)
            body = lines_surface(self._panel_rows(), r.w, pad, bg=PANEL)
            surf.blit(body, (0, 0))
            pygame.draw.line(surf, EDGE, (0, 0), (0, r.h), 1)
            return surf

        screen.blit(self._side.get(key, render), r.topleft)
        if log_h:
            self._draw_log(screen, pygame.Rect(r.x, r.bottom - log_h, r.w, log_h))

    def _log_lines(self) -> list[tuple[str, bool]]:
        if self.viewer is None:
            entries = self._all_log
        else:
            entries = [(e.turn, e.kind, e.text) for e in self.session.logs.get(self.viewer, [])
                       if e.kind != "event"]
        return log_lines(entries, self.state)

    def _draw_log(self, screen, rect) -> None:
        lines = self._log_lines()
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

        screen.blit(self._logp.get(key, render), rect.topleft)

    def _draw_bottom(self, screen) -> None:
        w, h = self.size
        y = h - self.bottom_h
        hover = self.hover
        toast = self.toast[:2] if self.toast else None
        key = (hover, toast, w, self.view.level, self.scale)
        f = self.fonts

        def render():
            surf = pygame.Surface((w, self.bottom_h))
            surf.fill(BG)
            pygame.draw.line(surf, EDGE, (0, 0), (w, 0))
            zoom = f.small.render(f"zoom {self.view.level + 1}/{len(self.view.levels)}   "
                                  f"F1: keys", True, MUTED)
            surf.blit(zoom, (w - zoom.get_width() - 10, (self.bottom_h - zoom.get_height()) // 2))
            if toast:
                text, colour = toast
            elif hover is not None:
                text, colour = describe_line(self.hexmap, hover)[0], INK
            else:
                text, colour = "Drag or arrows to pan, wheel to zoom, click a unit to order it", MUTED
            t = f.body.render(text, True, colour)
            surf.blit(t, (10, (self.bottom_h - t.get_height()) // 2),
                      pygame.Rect(0, 0, w - zoom.get_width() - 30, t.get_height()))
            return surf

        screen.blit(self._bottom.get(key, render), (0, y))

    def _draw_ledger(self, screen) -> None:
        key = (self._world_key, self.map_rect.size, self.scale)

        def render():
            from game.ledger import format_ledger, phase_table

            text = format_ledger(phase_table(self.state, self.session.game.setup))
            path = pygame.font.match_font("dejavusansmono,liberationmono,notosansmono,monospace")
            mono = pygame.font.Font(path, sz(12.5, self.scale)) if path else self.fonts.small
            lines = text.splitlines()
            title = self.fonts.big.render("Casualty ledger: the game beside the source", True, BRASS)
            pad = sz(14, self.scale)
            lh = mono.get_linesize()
            w = max([mono.size(line)[0] for line in lines] + [title.get_width()]) + 2 * pad
            hgt = title.get_height() + pad * 3 + lh * len(lines)
            w = min(w, self.map_rect.w - 20)
            hgt = min(hgt, self.map_rect.h - 20)
            surf = pygame.Surface((w, hgt), pygame.SRCALPHA)
            surf.fill((24, 28, 22, 252))
            pygame.draw.rect(surf, BRASS, surf.get_rect(), 2)
            surf.blit(title, (pad, pad))
            y = pad * 2 + title.get_height()
            for line in lines:
                if y + lh > hgt - pad:
                    break
                surf.blit(mono.render(line, True, INK), (pad, y))
                y += lh
            hint = self.fonts.small.render("L or click to close", True, MUTED)
            surf.blit(hint, (w - hint.get_width() - pad, pad))
            return surf

        surf = self._ledger.get(key, render)
        screen.blit(surf, surf.get_rect(center=self.map_rect.center))

    def _draw_message(self, screen) -> None:
        title, lines = self.messages[0]
        more = len(self.messages) - 1
        st = self.state
        key = (id(self.messages[0]), more, self.map_rect.size, self.scale, st.turn)

        def render():
            foot = "Click or press Enter to go on" + (f" ({more} more)" if more else "")
            items = [f"\u2022 {x}" for x in lines] if len(lines) > 1 else lines
            return modal_box(self.fonts, f"{title} \u00b7 turn {st.turn}, {st.date.day} "
                             f"{st.date:%B %Y}", items,
                             min(sz(600, self.scale), self.map_rect.w - 40), foot)

        box = self._message.get(key, render)
        shade = pygame.Surface(self.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 90))
        screen.blit(shade, (0, 0))
        screen.blit(box, box.get_rect(center=self.map_rect.center))

    def _draw_menu(self, screen) -> None:
        shade = pygame.Surface(self.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 140))
        screen.blit(shade, (0, 0))
        f = self.fonts
        bw = max(b.size(f)[0] for b in self.menu_buttons) + sz(60, self.scale)
        bh = self.menu_buttons[0].size(f)[1] + sz(4, self.scale)
        gap = sz(8, self.scale)
        title = f.big.render("Paused", True, BRASS)
        h = title.get_height() + gap * 3 + len(self.menu_buttons) * (bh + gap)
        box = pygame.Rect(0, 0, bw + 2 * gap * 2, h + gap)
        box.center = (self.size[0] // 2, self.size[1] // 2)
        pygame.draw.rect(screen, PANEL, box, border_radius=6)
        pygame.draw.rect(screen, BRASS, box, 2, border_radius=6)
        screen.blit(title, title.get_rect(midtop=(box.centerx, box.y + gap * 2)))
        y = box.y + title.get_height() + gap * 4
        for b in self.menu_buttons:
            b.rect = pygame.Rect(box.centerx - bw // 2, y, bw, bh)
            b.draw(screen, f, b.rect.collidepoint(self.mouse))
            y += bh + gap


__all__ = ["BattleScene", "SHORTCUTS"]
