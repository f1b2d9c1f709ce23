"""The battle screen's life: what happened, shown on the map, and the computer's turns played out.

UI layer (pygame). ``Effects`` turns the events a command produced (as the viewer saw them)
into things that move on the map, as Panzer General and Unity of Command show them: a counter
gliding along its path, a fight flashing on its hex with the people it put out of the fight
(killed, wounded or shaken) floating up and a marker of what came of it (held, held on with
its works battered, fell back, routed, thrown back), aircraft flying to their target,
a town changing hands. Each effect knows how long it lasts at the player's speed, and whether
the computer must wait for it before its next command.

``AIPlayback`` runs a computer side's turn (``game.session.AITurn``, thinking in a worker
thread) for the battle screen: it executes the commands the AI hands over one by one, lets
each one's effects play out (skippable with Space), and stops only for what a person must
see: never for news, which goes to the log and is shown when a person's own turn starts.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from game.hexgrid import Hex

# The computer's pace, by the player's speed. After a command that showed something it waits
# AI_DELAY; its moves glide AI_HEX_TIME a hex, and its next command may start while up to
# MOVES_IN_FLIGHT of them still glide (Panzer General's quick computer turns); a fight holds
# its next command for the fight's flash, FIGHT_TIME * 0.5, and for the camera's glide there.
AI_DELAY = {"slow": 0.5, "normal": 0.1, "fast": 0.0, "skip": 0.0}
AI_HEX_TIME = {"slow": 0.12, "normal": 0.045, "fast": 0.02, "skip": 0.0}  # seconds a hex
MOVES_IN_FLIGHT = {"slow": 1, "normal": 3, "fast": 6, "skip": 99}
OWN_HEX_TIME = 0.05  # a person's own unit glides this fast a hex, whatever the AI's speed
GLIDE_TIME = {"slow": 0.6, "normal": 0.3, "fast": 0.1, "skip": 0.0}  # the camera to an AI move
FIGHT_TIME = {"slow": 1.6, "normal": 0.8, "fast": 0.3, "skip": 0.0}  # a fight shown on its hex
OWN_FIGHT_TIME = 1.2
FIGHTS = ("attack", "air_mission", "naval_strike", "shot_down")  # events flashed on their hex
RESULT_WORDS = {"repulsed": "Thrown back", "held": "Held", "retreat": "Fell back",
                "rout": "Routed"}


@dataclass
class Effect:
    """One thing playing on the map.

    kind: "move" (a counter along ``path``), "flash" (a fight on ``hex``), "float" (a number
    rising from ``hex``), "marker" (a word over ``hex``), "strike" (aircraft flying from
    ``path[0]`` to ``path[-1]``), "taken" (a town changing hands at ``hex``).
    """

    kind: str
    duration: float
    hex: Hex | None = None
    path: list = field(default_factory=list)
    unit: object = None
    text: str = ""
    tone: str = "bad"
    delay: float = 0.0  # seconds before it starts
    blocking: bool = True  # the computer waits for it
    t: float = 0.0

    @property
    def done(self) -> bool:
        return self.t >= self.delay + self.duration

    @property
    def started(self) -> bool:
        return self.t >= self.delay

    @property
    def progress(self) -> float:
        """0 to 1 over its duration (0 before it starts)."""
        return max(0.0, min(1.0, (self.t - self.delay) / max(1e-6, self.duration)))


def _hex(v) -> Hex | None:
    if not v:
        return None
    return Hex(int(v[0]), int(v[1]))


def _people(n) -> str:
    """People lost, as they float up: "−1,240", with a minus sign, not a hyphen ("-1,240"
    reads as a pair of numbers, the way a place on the map is written)."""
    n = int(round(n or 0))
    return f"\u2212{n:,}" if n else "0"


def _out(d: dict, key: str, killed_key: str) -> int:
    """A side's people out of the fight in an attack's data ([killed, wounded, shaken]), or
    its killed where the data has no more."""
    out = d.get(key)
    return sum(int(x) for x in out) if out else int(d.get(killed_key, 0) or 0)


class Effects:
    """The effects playing now, and the making of them from events."""

    def __init__(self):
        self.items: list[Effect] = []
        self.last_fight = False  # the last command's effects held a fight

    def clear(self) -> None:
        self.items.clear()

    def step(self, dt: float) -> None:
        for e in self.items:
            e.t += dt
        self.items = [e for e in self.items if not e.done]

    @property
    def busy(self) -> bool:
        """Something plays that the computer's next command waits for."""
        return any(e.blocking for e in self.items)

    def holding(self, speed: str) -> bool:
        """The computer's next command waits: a fight is being shown, or as many of its moves
        as the speed lets run at once still glide."""
        if self.busy:
            return True
        return sum(1 for e in self.items if e.kind == "move") >= MOVES_IN_FLIGHT[speed]

    def __bool__(self) -> bool:
        return bool(self.items)

    def moving(self) -> list[Effect]:
        return [e for e in self.items if e.kind == "move"]

    def add_events(self, events, units, *, speed: str, own: bool, sees,
                   cities=None) -> list[Hex]:
        """Effects for the events of one command; the hexes worth looking at, first first.

        ``units`` maps the ids of the units the events name to the units as the viewer saw
        them (``Session.glimpse``): a unit it did not see is not drawn;
        ``own`` is True for a person's own command (quick, and nothing waits for it);
        ``sees(hex)`` says whether the viewer sees a hex (effects play only where it does);
        ``cities`` maps a town's id to its hex."""
        hex_time = OWN_HEX_TIME if own else AI_HEX_TIME[speed]
        fight_time = OWN_FIGHT_TIME if own else FIGHT_TIME[speed]
        blocking = not own
        self.last_fight = False
        focus: list[Hex] = []
        for e in events:
            d = e.data or {}
            if e.kind == "moved" and hex_time > 0:
                path = [Hex(int(q), int(r)) for q, r in d.get("path", [])]
                unit = units.get(d.get("unit"))
                if unit is not None and len(path) > 1:
                    self.items.append(Effect("move", hex_time * (len(path) - 1), path=path,
                                             unit=unit, blocking=False))
                    seen = [h for h in path if sees(h)]
                    if seen:
                        focus.append(seen[len(seen) // 2])
            elif e.kind in FIGHTS and fight_time > 0:
                h = _hex(d.get("target") or d.get("hex"))
                if h is None or not sees(h):
                    continue
                focus.append(h)
                self.last_fight = True
                delay = 0.0
                if e.kind in ("air_mission", "naval_strike"):
                    origin = units.get(d.get("wing") or d.get("group"))
                    if origin is not None and origin.hex != h:
                        fly = min(0.8, 0.12 + 0.02 * origin.hex.distance(h)) * fight_time
                        self.items.append(Effect("strike", fly, path=[origin.hex, h],
                                                 blocking=blocking))
                        delay = fly
                self.items.append(Effect("flash", fight_time * 0.5, hex=h, delay=delay,
                                         blocking=blocking))
                self._losses(e.kind, d, h, units, fight_time, delay, False)
            elif e.kind == "city_taken" and fight_time > 0:
                h = _hex(d.get("hex")) or (cities or {}).get(d.get("city"))
                if h is not None and sees(h):
                    self.items.append(Effect("taken", fight_time * 1.2, hex=h, text="Taken",
                                             tone="brass", blocking=False))
        return focus

    def _losses(self, kind, d, h, units, t, delay, blocking) -> None:
        """Losses floating up from the hexes that took them, and what came of a fight."""
        if kind == "attack":
            # People out of the fight, killed, wounded or shaken (the log line splits them).
            dl = _out(d, "defender_out", "defender_loss")
            al = _out(d, "attacker_out", "attacker_loss")
            self.items.append(Effect("float", t * 1.3, hex=h, text=_people(dl), tone="bad",
                                     delay=delay + 0.1 * t, blocking=blocking))
            first = next((units[a] for a in d.get("attackers", []) if a in units), None)
            if first is not None:
                self.items.append(Effect("float", t * 1.3, hex=first.hex, text=_people(al),
                                         tone="bad", delay=delay + 0.1 * t, blocking=False))
            word = RESULT_WORDS.get(d.get("outcome", ""), "")
            if d.get("stood"):
                word = "Held on, works battered"
            if d.get("captured"):
                word = f"{word}, {sum(d['captured'].values()):,} taken" if word else "Captured"
            if word:
                self.items.append(Effect("marker", t * 1.6, hex=h, text=word,
                                         tone="good" if d.get("outcome") == "repulsed" else "brass",
                                         delay=delay + 0.2 * t, blocking=False))
        elif kind in ("air_mission", "naval_strike"):
            out = d.get("out_of_fight", d.get("killed"))
            if out:
                self.items.append(Effect("float", t * 1.3, hex=h, text=_people(out),
                                         tone="bad", delay=delay, blocking=blocking))
            if kind == "air_mission" and d.get("mission") in ("cas", "patrol"):
                word = "Air support" if d["mission"] == "cas" else "Patrol"
                self.items.append(Effect("marker", t * 1.4, hex=h, text=word, tone="brass",
                                         delay=delay, blocking=False))
        elif kind == "shot_down" and d.get("lost"):
            self.items.append(Effect("marker", t * 1.4, hex=h,
                                     text=f"{d['lost']} aircraft down", tone="bad",
                                     delay=delay, blocking=False))

    def positions(self, world_xy, sees) -> dict[str, tuple[float, float, Hex] | None]:
        """Where each gliding counter is now, in world km, and the hex it is over (None:
        hidden from the viewer; ``sees(hex, unit)`` says)."""
        out: dict[str, tuple[float, float, Hex] | None] = {}
        for a in self.items:
            if a.kind != "move":
                continue
            f = a.progress * (len(a.path) - 1)
            i = min(int(f), len(a.path) - 2)
            frac = f - i
            # Eased within each hex so the counter settles on each centre.
            frac = 0.5 - 0.5 * math.cos(math.pi * frac)
            here = a.path[i] if frac < 0.5 else a.path[i + 1]
            if not sees(here, a.unit):
                out[a.unit.id] = None
                continue
            x0, y0 = world_xy(a.path[i])
            x1, y1 = world_xy(a.path[i + 1])
            out[a.unit.id] = (x0 + (x1 - x0) * frac, y0 + (y1 - y0) * frac, here)
        return out


class AIPlayback:
    """A computer side's turn played out in the window, one command a frame at most while
    effects play, many at once when skipping."""

    def __init__(self, scene):
        self.scene = scene
        self.turn = None  # the AITurn running
        self.paused = False  # P while watching: the computer waits
        self.skipping = False
        self.wait = 0.0  # seconds left of the pause after a seen command
        self.threaded = True

    @property
    def running(self) -> bool:
        return self.turn is not None

    @property
    def thinking(self) -> bool:
        return self.turn is not None and self.turn.thinking

    def stop(self) -> None:
        if self.turn is not None:
            self.turn.cancel()
            self.turn = None

    def skip(self) -> None:
        """Space: the rest of the computer's turn at once."""
        if self.turn is not None:
            self.skipping = True
            self.scene.effects.clear()

    def step(self, dt: float) -> None:
        sc = self.scene
        if self.paused or sc.blocked():
            return
        session = sc.session
        if self.turn is None:
            if not session.ai_to_move():
                return
            self.turn = session.ai_turn(threaded=self.threaded)
            self.skipping = sc.app.settings.ai_speed == "skip"
            sc.orders.select(None)
        speed = sc.app.settings.ai_speed
        if not self.skipping:
            if sc.effects.holding(speed) or (sc.view.gliding and sc.effects.last_fight):
                return
            if self.wait > 0:
                self.wait -= dt
                return
        deadline = time.perf_counter() + (0.012 if self.skipping else 0.004)
        # The first command of a frame is waited for a little: waiting lets the AI's thread
        # think (a loop that never waits would keep the interpreter from it).
        timeout = 0.003
        while self.turn is not None:
            got = self.turn.step(timeout=timeout)
            timeout = 0.0
            if got is not None:
                cmd, res = got
                if res.ok:
                    seen = sc.file_result(cmd, res, animate=not self.skipping)
                    if seen and not self.skipping:
                        self.wait = AI_DELAY[sc.app.settings.ai_speed]
            if self.turn is not None and self.turn.finished:
                self.turn = None
                self.skipping = False
                sc.check_turn()
                break
            if got is None or sc.blocked() or sc.app.top is not sc:
                break
            if not self.skipping and (sc.effects.holding(speed) or self.wait > 0
                                      or (sc.view.gliding and sc.effects.last_fight)):
                break
            if time.perf_counter() > deadline:
                break


__all__ = ["AIPlayback", "AI_DELAY", "AI_HEX_TIME", "Effect", "Effects", "FIGHTS", "GLIDE_TIME",
           "MOVES_IN_FLIGHT"]
