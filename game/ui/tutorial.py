"""The tutorial: a first game on a small scenario, taught one step at a time.

UI layer (pygame). ``start_tutorial(app)`` starts ``scenarios/examples/tutorial.toml`` (the
Mosul Dam, August 2014) with the player at the coalition and the computer, at "easy", at the
Islamic State, always from the same seed, on a ``TutorialBattle``: the battle screen with a
coach box in a corner of the map. As in Wesnoth's tutorial, each step says what to do and
waits until the player has done it in the game itself (selected the unit, moved it, looked at
the odds, flown the aircraft, attacked, shown the supply lines, ended the turn); a step that
only tells something goes on with Next or Enter. A step counts only what was done after it
began, read from the game's journal and from what the screen shows.

The coach box never hides what the step is about: it stands in the bottom-left corner of the
map (never over the side panel, where the odds are shown) and moves to another corner when
the selected unit, the target or the ringed hex would be under it.
F10 or the box's Leave button goes back to the main menu; Esc opens the pause menu as in any
game. After the last step the box closes and the game goes on to its end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import pygame

from game import SCENARIOS_DIR
from game.commands import Command
from game.hexgrid import Hex
from game.session import AI, HUMAN, Seat, Session
from game.ui.battle import BattleScene
from game.ui.battle_panels import Button
from game.ui.navigator import Navigator
from game.ui.style import BAD, BRASS, EDGE, INK, MUTED, sz
from game.ui.widgets import wrap

TUTORIAL_PATH = SCENARIOS_DIR / "examples" / "tutorial.toml"
TUTORIAL_SEED = 2014  # the same dice every time, so the tutorial plays as it was written
PLAYER = "coalition"
UNIT = "pesh-zeravani"  # the brigade the steps are about
WING = "us-strike"
ENEMY = "isis-dam"
LEAVE_KEY = pygame.K_F10
BOX_WIDTH = 430  # pixels at UI scale 1
MARGIN = 10
TUTORIAL_ZOOM = 9  # the camera's level at the start
RING = (255, 236, 70)
RING_EDGE = (20, 20, 20)


def start_tutorial(app) -> "TutorialBattle":
    """Start the tutorial over the main menu (leaving it lands there), and return its screen."""
    session = Session.new(TUTORIAL_PATH, {PLAYER: Seat(HUMAN)}, seed=TUTORIAL_SEED)
    for side in session.seats:
        if side != PLAYER:
            session.seats[side] = Seat(AI, "easy")
    Navigator(app).main_menu(reset=True)
    return app.push(TutorialBattle(app, session))


# -- what the steps read of the game -------------------------------------------------------------

def _known(scene):
    """What the player's side may know (``Session.view``): the steps read nothing else."""
    return scene.session.view(PLAYER)


def _unit(scene, uid: str | None):
    return _known(scene).unit(uid)


def _ground(scene, u) -> bool:
    return scene.session.game.rules.unit_type(u.type).is_ground


def _seen_enemies(scene) -> list:
    """The enemy ground units the player's side sees (worked out once per change of the game)."""
    def work():
        known = _known(scene)
        return [u for u in known.units
                if known.side_of(u.faction) != PLAYER and _ground(scene, u)]
    return scene.memo("enemies", work)


def _enemy_hex(scene) -> Hex | None:
    """Where the enemy at the dam is, if the player's side sees it."""
    return next((u.hex for u in _seen_enemies(scene) if u.id == ENEMY), None)


def _did(kind: str) -> Callable[["TutorialBattle"], bool]:
    """A predicate: the player has given a command of this kind since the step began."""
    def done(scene) -> bool:
        journal = scene.session.game.journal
        return any(c.get("kind") == kind and c.get("side") == PLAYER
                   for c in journal[scene.step_began:])
    return done


def _odds_shown(scene) -> bool:
    # An air mission being readied is a Command; the odds of an attack are not.
    return scene.target is not None and scene.preview is not None \
        and not isinstance(scene.preview, Command)


def _supply_shown(scene) -> bool:
    return "supply" in getattr(scene, "overlays", set())


def _no_supply_overlay(scene) -> bool:
    return not hasattr(scene, "overlays")


def _no_attack_hint(scene) -> str:
    """Why no attack can be made now ("" if one can)."""
    def work():
        st = _known(scene)
        ready = any(not u.attacked and _ground(scene, u) and st.at_war_with(u.faction, v.faction)
                    and u.hex.distance(v.hex) == 1
                    for u in st.units_of_side(PLAYER) for v in _seen_enemies(scene))
        return "" if ready else (
            "None of your units stands beside an enemy it can attack. Ctrl+Z takes a move "
            "back (until something is revealed), or move a unit next to the enemy.")
    return scene.memo("no_attack", work)


def _no_wing_hint(scene) -> str:
    g = scene.session.game
    if any(g.rules.unit_type(u.type).category == "air" and u.moves_left > 0
           for u in _known(scene).units_of_side(PLAYER)):
        return ""
    return "Your air wing has already flown this turn: skip this step."


def _approach(scene) -> Hex | None:
    """The free hex beside the enemy nearest the brigade: where the move step points."""
    def work():
        unit, target = _unit(scene, UNIT), _enemy_hex(scene)
        if unit is None or target is None:
            return None
        if unit.hex.distance(target) == 1:
            return unit.hex
        g = scene.session.game
        taken = {u.hex for u in _known(scene).units}  # as far as the player's side sees
        free = [h for h in target.neighbors() if g.hexmap.in_bounds(h) and h not in taken
                and g.hexmap.terrain_at(h) not in ("sea", "lake")]
        # Nearest first; of those, one with no river to cross or to fight over.
        return min(free, key=lambda h: (h.distance(unit.hex), len(g.hexmap.rivers_at(h)),
                                        h.q, h.r), default=None)
    return scene.memo("approach", work)


def _unit_hex(scene) -> Hex | None:
    unit = _unit(scene, UNIT)
    return unit.hex if unit is not None else None


def _unit_then(where: Callable) -> Callable:
    """Ring the brigade until it is selected, then ``where``."""
    def focus(scene):
        if scene.selected != UNIT and _unit(scene, UNIT) is not None:
            return _unit_hex(scene)
        return where(scene)
    return focus


def _wing_then_enemy(scene) -> Hex | None:
    wing = _unit(scene, WING)
    if wing is not None and scene.selected != WING and wing.moves_left > 0:
        return wing.hex
    return _enemy_hex(scene)


def _attack_focus(scene) -> Hex | None:
    """The enemy once a ground unit is selected; the brigade before."""
    sel = _unit(scene, scene.selected)
    if sel is not None and _ground(scene, sel):
        return _enemy_hex(scene)
    return _unit_then(_enemy_hex)(scene)


# -- the steps -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One step: what to read, what the player must do to go on (None: Next goes on), which
    hex to ring and bring into view, and why the step cannot be done as things stand (then it
    may be skipped)."""

    title: str
    text: str
    done: Callable[["TutorialBattle"], bool] | None = None
    focus: Callable[["TutorialBattle"], Hex | None] | None = None
    stuck: Callable[["TutorialBattle"], str] | None = None
    skippable: Callable[["TutorialBattle"], bool] | None = None
    fallback_text: str = ""  # said instead of ``text`` while the step may be skipped
    end_turn_button: bool = False  # ring the End turn button

    def waits(self) -> bool:
        return self.done is not None


STEPS: tuple[Step, ...] = (
    Step("The Mosul Dam, August 2014",
         "Ten days ago the Islamic State took the Mosul Dam, north of Mosul. You command the "
         "Peshmerga and the American aircraft sent to help them. Your aim, in the panel on the "
         "right: hold Duhok and Erbil to the end; take the dam back if you can. Each step here "
         "waits for you to do what it says, in the game itself.",
         focus=_enemy_hex),
    Step("Select a unit",
         "Your counters are marked PSH (Peshmerga) and US; the enemy's IS. Click the Zeravani "
         "brigade, ringed in yellow: the panel on the right shows its strength, supply and "
         "moves, and the hexes it can reach this turn are shaded.",
         done=lambda s: s.selected == UNIT, focus=_unit_hex),
    Step("Move",
         "Click the ringed hex beside the enemy at the dam to move there. The line under the "
         "pointer is the path, with what it costs in movement points. A unit that enters a hex "
         "beside an enemy stops there (its zone of control).",
         done=_did("move"), focus=_unit_then(_approach)),
    Step("Look at the odds",
         "Enemies your unit can attack are ringed in red. Click the enemy at the dam once: the "
         "panel shows the odds, what made them, the people each side is likely to have put out "
         "of the fight (killed, wounded or shaken) and the chance of each outcome. Nothing is fought yet; right click or Esc takes it back.",
         done=_odds_shown, focus=_attack_focus, stuck=_no_attack_hint),
    Step("Call in the aircraft",
         "Support first, then attack. Click Erbil, ringed, until the US air wing is selected (a "
         "click on a stack picks the next unit in it). Press 2 for close air support and click "
         "the enemy at the dam: the panel says what flies and what air defence waits there. "
         "Click again (or Enter) to fly it: your attacks on that hex this turn count up to "
         "twice as strong. (1 would strike the hex instead.)",
         done=_did("air_mission"), focus=_wing_then_enemy, stuck=_no_wing_hint),
    Step("Attack",
         "Click the Zeravani brigade, then the enemy: the odds are better with the aircraft "
         "overhead. Click the enemy again (or Enter) to attack. What came of it is written at "
         "the bottom of the window and in the event log; the grey end of a counter's bar is "
         "its wounded and shaken, who come back over the next turns.",
         done=_did("attack"), focus=_attack_focus, stuck=_no_attack_hint),
    Step("Supply",
         "Press S to show your side's supply. Green hexes are in supply: a line runs from them "
         "to a town your side holds, a border crossing or a depot (the selected unit's line is "
         "drawn). Red are cut off by the enemy: its units and their zones of control bar the "
         "way. Grey are out of reach. Out of supply, a unit fights at 60% and after two turns "
         "starts to lose men; the enemy at the dam is fed from Mosul, down the road behind it.",
         done=_supply_shown, focus=_enemy_hex, skippable=_no_supply_overlay,
         fallback_text="Click one of your units: the panel says whether it is in supply. A line "
         "runs to a town your side holds, a border crossing or a depot, and is cut by an enemy "
         "unit or its zone of control across it. Out of supply, a unit fights at 60% and after "
         "two turns starts to lose men. The enemy at the dam is fed from Mosul."),
    Step("End the turn",
         "When your units have done what they can, press E or click End turn at the top right "
         "(if some can still act, the game asks first). The Islamic State then moves: you see "
         "what your units can see of it, and its news comes in a box.",
         done=_did("end_turn"), end_turn_button=True),
    Step("Your war now",
         "That is a turn: select, move, look at the odds, bring in support, attack, mind the "
         "supply lines. Three weeks are left: hold Duhok and Erbil, and finish the fighters at "
         "the dam. F1 lists every key; the players' guide (docs/rules.md) has every rule. Close "
         "hides this box and the game goes on; F10 goes back to the main menu.",
         focus=_enemy_hex),
)


# -- the screen ------------------------------------------------------------------------------------

class TutorialBattle(BattleScene):
    """The battle screen with the coach box of the tutorial's steps."""

    def __init__(self, app, session: Session, steps: tuple[Step, ...] = STEPS):
        super().__init__(app, session)
        self.steps = steps
        self.index = 0
        self.step_began = len(session.game.journal)
        self.closed = False  # the last step was read: the box is gone, the game goes on
        self.coach_rect = pygame.Rect(0, 0, 0, 0)
        self.next_button = Button("Next", "next")
        self.leave_button = Button("Leave tutorial (F10)", "leave")
        self._clock = 0.0  # seconds, for the ring's pulse
        self._skip_asked = False
        self._pressed_in_box = False
        self._focused: Hex | None = None  # the hex last brought into view
        self._memo: dict = {}
        self._memo_key = None
        self._box: tuple | None = None  # (key, surface)
        self._begin()
        # Close enough to read the counters, with the dam and Erbil both in sight.
        self.view.level = min(len(self.view.levels) - 1, TUTORIAL_ZOOM)
        start = self.focus_hex()
        if start is not None:
            self.view.centre_on(*self.renderer.hex_center_km(start))

    def _autosave(self) -> None:
        """The tutorial keeps no autosave: Continue in the main menu would open it again as a
        plain game, without its steps."""

    def memo(self, name: str, work: Callable):
        """``work()``, worked out once for each state of the game (the steps ask every frame)."""
        key = self.session.view(PLAYER)  # the same view until the game changes
        if key is not self._memo_key:
            self._memo_key, self._memo = key, {}
        if name not in self._memo:
            self._memo[name] = work()
        return self._memo[name]

    # -- the steps ---------------------------------------------------------------------------

    @property
    def step(self) -> Step | None:
        return None if self.closed else self.steps[self.index]

    def step_done(self) -> bool:
        step = self.step
        if step is None or not step.waits():
            return False
        return self._skip_asked or bool(step.done(self))

    def stuck(self) -> str:
        """Why the step's action cannot be done now ("" if it can)."""
        step = self.step
        return step.stuck(self) if step is not None and step.stuck else ""

    def skippable(self) -> bool:
        step = self.step
        return bool(step is not None and step.skippable and step.skippable(self))

    def button_label(self) -> str:
        """What the box's button says now: Next, Skip or Close; "" while the step waits."""
        step = self.step
        if step is None:
            return ""
        if not step.waits():
            return "Close" if self.index == len(self.steps) - 1 else "Next"
        if self.skippable():
            return "Next"  # nothing on this screen does it yet: the step only tells
        return "Skip" if self.stuck() else ""

    def advance(self) -> None:
        """On to the next step; after the last one the box closes."""
        if self.closed:
            return
        if self.index + 1 >= len(self.steps):
            self.closed = True
            return
        self.index += 1
        self._begin()

    def _begin(self) -> None:
        self.step_began = len(self.session.game.journal)
        self._skip_asked = False
        self._focused = None

    def _press_button(self) -> None:
        if self.step is not None and self.step.waits():
            self._skip_asked = True  # counted as done by update, like the action itself
        else:
            self.advance()

    def leave_tutorial(self) -> None:
        """Back to the main menu at once: the tutorial is the same game every time, and the
        turns played are in the autosave."""
        Navigator(self.app).main_menu(reset=True)

    def _modal(self) -> bool:
        """A box or menu of the battle screen is up: the coach waits behind it."""
        return bool(getattr(self, "messages", None) or getattr(self, "menu_open", False)
                    or getattr(self, "confirm", None) or getattr(self, "show_ledger", False))

    def focus_hex(self) -> Hex | None:
        step = self.step
        if step is None or step.focus is None:
            return None
        return step.focus(self)

    # -- the frame ---------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        super().update(dt)
        self._clock += dt
        if self.app.top is not self or self.closed:
            return
        # Undo takes commands out of the journal: a step counts from what is left.
        self.step_began = min(self.step_began, len(self.session.game.journal))
        if self.step_done():
            self.advance()
        if not self.closed and not self._modal():
            self._bring_into_view()

    def _bring_into_view(self) -> None:
        """Glide to the ringed hex when it changes, unless it is plainly in sight already."""
        h = self.focus_hex()
        if h is None or h == self._focused:
            return
        self._focused = h
        m = self.map_rect
        x, y = self.screen_pos(h)
        box = self._place(self._coach_surface().get_size(), avoid=False)
        near = box.inflate(2 * self._clearance(), 2 * self._clearance())
        if m.inflate(-m.w // 6, -m.h // 6).collidepoint(x, y) and not near.collidepoint(x, y):
            return
        # The hex goes to the middle of the map above the box, not behind it.
        s = self.view.scale
        want_y = (m.top + box.top) // 2 if box.top > m.centery else m.centery
        hx, hy = self.renderer.hex_center_km(h)
        self.view.glide_to(hx, hy - (want_y - m.centery) / s, 0.35)

    # -- input -------------------------------------------------------------------------------

    def handle_event(self, event) -> None:
        t = event.type
        if t == pygame.KEYDOWN and event.key == LEAVE_KEY:
            self.leave_tutorial()
            return
        if self.closed or self._modal():
            super().handle_event(event)
            return
        if t == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) \
                and self.target is None and self.button_label():
            self._press_button()  # (with odds shown, Enter attacks as always)
            return
        # The box is not the map: a click on it never reaches the hexes beneath.
        pos = getattr(event, "pos", None) or getattr(self, "mouse", (-1, -1))
        if t == pygame.MOUSEBUTTONDOWN:
            self._pressed_in_box = self.coach_rect.collidepoint(pos)
            if self._pressed_in_box:
                return
        elif t == pygame.MOUSEBUTTONUP and self._pressed_in_box:
            self._pressed_in_box = False  # (a press on the map ends as the map's own)
            if event.button == 1 and self.coach_rect.collidepoint(pos):
                if self.leave_button.rect.collidepoint(pos):
                    self.leave_tutorial()
                elif self.button_label() and self.next_button.rect.collidepoint(pos):
                    self._press_button()
            return
        elif t == pygame.MOUSEWHEEL and self.coach_rect.collidepoint(pos):
            return
        super().handle_event(event)

    # -- drawing -----------------------------------------------------------------------------

    def draw(self, screen: pygame.Surface) -> None:
        super().draw(screen)
        if self.closed or self._modal():
            self.coach_rect = pygame.Rect(0, 0, 0, 0)  # nothing of it to click
            return
        self._draw_ring(screen)
        self._draw_coach(screen)

    def _draw_ring(self, screen) -> None:
        """A ring that pulses on the hex the step is about (or round the End turn button)."""
        pulse = 0.5 + 0.5 * math.sin(self._clock * 2 * math.pi * 1.2)
        if self.step.end_turn_button:
            b = next((b for b in getattr(self, "buttons", []) if b.action == "end_turn"), None)
            if b is not None and b.rect.w:
                r = b.rect.inflate(6 + int(6 * pulse), 6 + int(6 * pulse))
                pygame.draw.rect(screen, RING_EDGE, r.inflate(4, 4), 3, border_radius=6)
                pygame.draw.rect(screen, RING, r, 3, border_radius=6)
        h = self.focus_hex()
        if h is None or h == getattr(self, "hover", None):
            return  # found: the ring makes way for the path's cost and the odds drawn there
        x, y = self.screen_pos(h)
        if not self.map_rect.collidepoint(x, y):
            return
        r = int(self._hex_radius() * (1.1 + 0.3 * pulse)) + 4
        clip = screen.get_clip()
        screen.set_clip(self.map_rect)
        pygame.draw.circle(screen, RING_EDGE, (x, y), r + 2, 5)
        pygame.draw.circle(screen, RING, (x, y), r, 3)
        screen.set_clip(clip)

    def _hex_radius(self) -> float:
        """Half a hex's width on the window, at the camera's zoom."""
        return self.renderer.hex_width_km * self.view.scale / 2

    def _clearance(self) -> int:
        """How far the box keeps from a hex it must not hide: the widest ring, and a little."""
        return int(self._hex_radius() * 1.4) + 10

    def _rows(self) -> list[tuple[str, pygame.font.Font, tuple]]:
        f = self.fonts
        step = self.step
        text = step.fallback_text if step.fallback_text and self.skippable() else step.text
        rows = [(f"Tutorial \u00b7 step {self.index + 1} of {len(self.steps)}", f.small, MUTED),
                (step.title, f.head, BRASS), (text, f.body, INK)]
        hint = self.stuck()
        if hint:
            rows.append((hint, f.body, BAD))
        elif step.waits() and not self.button_label():
            rows.append(("Waiting for you to do it.", f.small, MUTED))
        return rows

    def _coach_surface(self) -> pygame.Surface:
        """The box without its buttons, made again only when what it says changes."""
        f = self.fonts
        pad = sz(12, f.scale)
        # Narrow maps get a narrower, taller box, so that a corner is always left free.
        width = max(120, min(sz(BOX_WIDTH, f.scale), max(sz(240, f.scale),
                                                         int(self.map_rect.w * 0.6)),
                             self.map_rect.w - 2 * MARGIN))
        rows = self._rows()
        bh = max(self.leave_button.size(f)[1], self.next_button.size(f)[1])
        key = (tuple((t, id(fnt), c) for t, fnt, c in rows), width, bh, f.scale)
        if self._box is not None and self._box[0] == key:
            return self._box[1]
        gap = sz(6, f.scale)
        lines = [[(line, fnt, colour) for line in wrap(text, fnt, width - 2 * pad)]
                 for text, fnt, colour in rows]
        height = pad + sum(fnt.get_linesize() for part in lines for _, fnt, _ in part) \
            + gap * len(lines) + gap + bh + pad
        surf = pygame.Surface((width, height), pygame.SRCALPHA)
        surf.fill((24, 28, 22, 242))
        pygame.draw.rect(surf, BRASS, surf.get_rect(), 2, border_radius=4)
        y = pad
        for part in lines:
            for line, fnt, colour in part:
                surf.blit(fnt.render(line, True, colour), (pad, y))
                y += fnt.get_linesize()
            y += gap
        rule_y = height - pad - bh - gap  # a rule over the buttons
        pygame.draw.line(surf, EDGE, (pad, rule_y), (width - pad, rule_y))
        self._box = (key, surf)
        return surf

    def _place(self, size: tuple[int, int], avoid: bool = True) -> pygame.Rect:
        """A corner of the map for the box: the bottom-left, or (``avoid``) the first corner
        that leaves the selected unit, the target and the ringed hex in sight, and the
        minimap too if it can."""
        w, h = size
        m = self.map_rect
        corners = [pygame.Rect(m.left + MARGIN, m.bottom - MARGIN - h, w, h),
                   pygame.Rect(m.right - MARGIN - w, m.bottom - MARGIN - h, w, h),
                   pygame.Rect(m.left + MARGIN, m.top + MARGIN, w, h),
                   pygame.Rect(m.right - MARGIN - w, m.top + MARGIN, w, h)]
        if not avoid:
            return corners[0]
        keep = [self.focus_hex(), self.target]
        sel = _unit(self, self.selected)
        if sel is not None:
            keep.append(sel.hex)
        points = [self.screen_pos(k) for k in keep if k is not None]
        margin = 2 * self._clearance()
        mm = getattr(self, "minimap", None)
        shown = mm is not None and getattr(mm, "visible", False)

        def cost(i: int) -> tuple:
            rect = corners[i]
            hides = sum(rect.inflate(margin, margin).collidepoint(p) for p in points)
            return hides, bool(shown and rect.colliderect(mm.rect)), i

        return corners[min(range(len(corners)), key=cost)]

    def _draw_coach(self, screen) -> None:
        surf = self._coach_surface()
        rect = self._place(surf.get_size())
        self.coach_rect = rect
        screen.blit(surf, rect)
        f = self.fonts
        pad = sz(12, f.scale)
        mouse = getattr(self, "mouse", (-1, -1))
        lw, lh = self.leave_button.size(f)
        self.leave_button.rect = pygame.Rect(rect.right - pad - lw, rect.bottom - pad - lh, lw, lh)
        self.leave_button.draw(screen, f, self.leave_button.rect.collidepoint(mouse))
        label = self.button_label()
        if not label:
            self.next_button.rect = pygame.Rect(0, 0, 0, 0)
            return
        self.next_button.label = label
        nw, nh = self.next_button.size(f)
        self.next_button.rect = pygame.Rect(rect.x + pad, rect.bottom - pad - nh, nw, nh)
        self.next_button.draw(screen, f, self.next_button.rect.collidepoint(mouse))
        if self.target is None:
            t = f.small.render("or Enter", True, MUTED)
            screen.blit(t, (self.next_button.rect.right + sz(8, f.scale),
                            self.next_button.rect.centery - t.get_height() // 2))


__all__ = ["LEAVE_KEY", "STEPS", "Step", "TUTORIAL_PATH", "TUTORIAL_SEED", "TutorialBattle",
           "start_tutorial"]
