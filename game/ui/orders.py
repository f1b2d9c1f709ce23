"""The orders of the person at the table: what is selected, where it may go, what it would hit.

UI layer, but free of pygame: the battle screen turns clicks into hexes and hands them here;
``Orders`` answers with what to do (a command for the engine, a line for the player, or
nothing) and keeps the selection, the attack group, the target and its odds. Being plain
Python it is tested on its own, and the tutorial and the window read the same answers.

The house rules of the genre (Panzer General, Unity of Command, Wesnoth):
- a click on one of your own units selects it, always (a second click on a stack picks the
  next unit in it); Shift+click adds a ground unit to the attack being prepared;
- a click on an empty hex in reach moves the selected unit there; Ctrl+click on a hex held by
  your own units moves there too, joining the stack;
- a click on an enemy in reach shows the odds; a second click (or Enter) attacks;
- a right click or Esc cancels the target, then the selection.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.air import AirMission, NavalStrike, air_range
from game.combat import Attack
from game.commands import Command, Move, unit_name
from game.hexgrid import Hex


@dataclass
class Answer:
    """What a click comes to: a command to send, and/or a line to say (its tone: "bad",
    "muted" or "good")."""

    command: Command | None = None
    say: str = ""
    tone: str = "muted"


class Orders:
    """The selection and the order being prepared, for the side ``viewer`` of a session.

    It reads the game only through the session: the viewer's ``SideView`` (``Session.view``),
    its units' reach (``Session.reachable``, ``Session.path``), the odds (``Session.preview``)
    and the engine's reasons for refusing (``Session.check``). ``sight(viewer, units, stacks)``
    is given what the viewer sees each time the game changes: the units of its view, and the
    same units by hex, friendly ones first.
    """

    def __init__(self, session, graph):
        self.session = session
        self.graph = graph
        self.viewer: str | None = None
        self.selected: str | None = None
        self.attackers: list[str] = []
        self.target: Hex | None = None
        self.preview = None  # an attack's Preview, or an air/naval mission ready to fly
        self.mission = "strike"
        self.seen: list = []
        self.stacks: dict[Hex, list] = {}
        self.range: dict[Hex, float] = {}
        self.targets: set[Hex] = set()
        self.path: tuple[list[Hex], float] | None = None
        self._range_key = None
        self._path_key = None
        self._world = 0

    # -- what the viewer sees ------------------------------------------------------------------

    @property
    def rules(self):
        return self.session.game.rules  # static data, as the map is

    @property
    def view(self):
        """What the viewer may know now: its side's view (everything when no one side looks)."""
        return self.session.view(self.viewer)

    def sight(self, viewer: str | None, units: list, stacks: dict) -> None:
        """The world changed: the viewer and what it sees now."""
        self.viewer = viewer
        self.seen = units
        self.stacks = stacks
        self._world += 1
        if self.selected is not None and not self.can_order(self.selected):
            self.select(None)
        self._range_key = None
        self._path_key = None

    def my_turn(self) -> bool:
        """The viewer is a person whose side is to move."""
        if self.viewer is None:
            return False
        v = self.view
        return not v.over and self.session.is_human(v.active_side) and self.viewer == v.active_side

    def can_order(self, uid: str) -> bool:
        u = self.unit(uid)
        return u is not None and u.own and self.my_turn() \
            and self.view.side_of(u.faction) == self.viewer

    def unit(self, uid: str | None):
        """A unit as the viewer knows it now (None if it does not, or no longer exists)."""
        return self.view.unit(uid) if uid else None

    def kind(self, unit) -> str:
        return self.rules.unit_type(unit.type).category

    def own_at(self, h: Hex) -> list:
        """The viewer's units on ``h`` that it may order now."""
        return [self.unit(u.id) for u in self.stacks.get(h, []) if self.can_order(u.id)]

    def enemy_seen_at(self, h: Hex) -> bool:
        v = self.view
        return any(v.side_of(u.faction) != self.viewer for u in self.stacks.get(h, []))

    # -- the selection ---------------------------------------------------------------------------

    def select(self, uid: str | None) -> None:
        self.selected = uid
        self.attackers = [uid] if uid else []
        self.target = None
        self.preview = None
        self._range_key = None
        self._path_key = None

    def cancel(self) -> bool:
        """Right click or Esc: drop the target, else the selection. False if there was neither."""
        if self.target is not None:
            self.target, self.preview = None, None
            self.attackers = [self.selected] if self.selected else []
            return True
        if self.selected is not None:
            self.select(None)
            return True
        return False

    def refresh_range(self) -> None:
        """Where the selected unit may go and what it may hit, worked out once per change."""
        key = (self._world, self.selected)
        if key == self._range_key:
            return
        self._range_key = key
        self.range, self.targets = {}, set()
        u = self.unit(self.selected)
        if u is None:
            return
        view, rules = self.view, self.rules
        if (u.moves_left or 0) > 0:
            self.range = self.session.reachable(u.id)
        kind = self.kind(u)
        enemies = {v.hex for v in view.units if view.side_of(v.faction) != self.viewer
                   and view.at_war_with(v.faction, u.faction)
                   and rules.unit_type(v.type).is_ground}
        if kind == "ground":
            if not u.attacked:
                self.targets = {h for h in enemies if h.distance(u.hex) == 1}
        elif kind == "air":
            if u.moves_left > 0:
                reach = air_range(rules, u)
                self.targets = {h for h in enemies if h.distance(u.hex) <= reach}
        elif kind == "naval" and u.moves_left > 0:
            reach = rules.air.range.naval_strike
            self.targets = {h for h in enemies if h.distance(u.hex) <= reach
                            and self.session.game.hexmap.terrain_at(h) not in ("sea", "lake")}

    def refresh_path(self, hover: Hex | None) -> None:
        """The path to the hex under the pointer, and its cost, if a click there would move."""
        self.refresh_range()
        key = (self._range_key, hover)
        if key == self._path_key:
            return
        self._path_key = key
        self.path = None
        u = self.unit(self.selected)
        if u is None or hover is None or hover not in self.range \
                or hover in self.targets:  # over a target the click attacks, it does not move
            return
        self.path = self.session.path(u.id, hover)

    # -- clicks ------------------------------------------------------------------------------------

    def click(self, h: Hex, button: int = 1, shift: bool = False, ctrl: bool = False) -> Answer | None:
        """A click on hex ``h`` of the map: what it comes to."""
        if button == 3:
            self.cancel()
            return None
        if button != 1 or not self.my_turn():
            return None
        self.refresh_range()
        mine = self.own_at(h)
        sel = self.unit(self.selected)
        if sel is not None and h in self.targets:
            return self._order_target(sel, h)
        if sel is not None and self.kind(sel) == "air" and self.mission == "patrol" \
                and not mine and sel.moves_left > 0 \
                and h.distance(sel.hex) <= air_range(self.rules, sel):
            return self._order_target(sel, h)
        if shift and mine and sel is not None and self.kind(sel) == "ground":
            for u in mine:
                if self.kind(u) == "ground" and u.id not in self.attackers and not u.attacked:
                    self.attackers.append(u.id)
                    break
            if self.target is not None:
                self.make_preview()
            return None
        if mine and not (ctrl and sel is not None and h in self.range):
            # One of your own units: it is selected, always; again, the next in the stack.
            ids = [u.id for u in mine]
            if self.selected in ids:
                uid = ids[(ids.index(self.selected) + 1) % len(ids)]
            else:
                uid = ids[0]
            self.select(uid)
            return None
        if sel is not None and not mine and self.enemy_seen_at(h):
            # An enemy that is not a target: say why, and keep the selection.
            return Answer(say=self.why_no_target(sel, h))
        if sel is not None and h in self.range:
            path = self.session.path(sel.id, h)
            if path:
                return Answer(Move(self.viewer, sel.id, path[0]))
        self.select(None)
        return None

    def why_no_target(self, sel, h: Hex) -> str:
        """Why ``sel`` cannot attack or strike ``h``: the engine's own reason for refusing."""
        kind = self.kind(sel)
        if kind == "ground":
            cmd = Attack(self.viewer, [sel.id], h)
        elif kind == "air":
            cmd = AirMission(self.viewer, sel.id, self.mission, h)
        else:
            cmd = NavalStrike(self.viewer, sel.id, h)
        problems = self.session.check(cmd)
        name = unit_name(sel, self.view)
        return f"{name} cannot: {problems[0]}" if problems else f"{name} cannot reach it"

    def _order_target(self, sel, h: Hex) -> Answer | None:
        if self.target == h and self.preview is not None:
            return self.commit()
        self.target = h
        if self.kind(sel) == "ground":
            self.attackers = [a for a in self.attackers if self.unit(a) is not None] or [sel.id]
        self.make_preview()
        return None

    def set_mission(self, mission: str) -> None:
        self.mission = mission
        sel = self.unit(self.selected)
        if sel is not None and self.kind(sel) == "air" and self.target is not None:
            self.make_preview()

    def make_preview(self) -> None:
        sel = self.unit(self.selected)
        if sel is None or self.target is None:
            return
        if self.kind(sel) == "ground":
            self.preview = self.session.preview(self.viewer, list(self.attackers), self.target)
        elif self.kind(sel) == "air":
            self.preview = AirMission(self.viewer, sel.id, self.mission, self.target)
        else:
            self.preview = NavalStrike(self.viewer, sel.id, self.target)

    def commit(self) -> Answer | None:
        """The order being prepared, as the command to send (Enter, or the second click)."""
        if self.preview is None or self.target is None:
            return None
        if isinstance(self.preview, Command):  # an air or naval mission, made ready
            return Answer(self.preview)
        return Answer(Attack(self.viewer, list(self.preview.attackers or self.attackers),
                             self.target))

    def done_with(self, cmd: Command) -> None:
        """After an attack or a mission went through: the target is dropped, the unit stays
        selected while it exists."""
        keep = self.selected
        self.target, self.preview = None, None
        self.select(keep if self.unit(keep) is not None else None)

    # -- the turn ----------------------------------------------------------------------------------

    def can_act(self, unit) -> bool:
        """A unit that can still do something this turn: move, or (a ground unit) attack."""
        if self.kind(unit) == "ground":
            return (unit.moves_left or 0) > 0 or (not unit.attacked and self._enemy_next_to(unit))
        return (unit.moves_left or 0) > 0

    def _enemy_next_to(self, unit) -> bool:
        view = self.view
        for h in unit.hex.neighbors():
            for v in self.stacks.get(h, []):
                if view.side_of(v.faction) != self.viewer \
                        and view.at_war_with(v.faction, unit.faction):
                    return True
        return False

    def idle_units(self) -> list:
        """The viewer's units that can still act, in a stable order."""
        if not self.my_turn():
            return []
        return [u for u in self.view.units_of_side(self.viewer)
                if u.personnel > 0 and self.can_act(u)]

    def next_unit(self, passed=frozenset()) -> str | None:
        """Tab: the next of the viewer's units that can still move, selected (those in
        ``passed``, told to hold this turn, left out); None if there is none."""
        ids = [u.id for u in self.idle_units() if (u.moves_left or 0) > 0 and u.id not in passed]
        if not ids:
            return None
        i = (ids.index(self.selected) + 1) % len(ids) if self.selected in ids else 0
        self.select(ids[i])
        return ids[i]


__all__ = ["Answer", "Orders"]
