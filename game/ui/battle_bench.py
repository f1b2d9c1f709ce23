"""The battle screen's figures for ``mesopotamia bench``: a steady frame, and the first frame.

UI layer (pygame). Run as ``python -m game.ui.battle_bench [--quick]`` with SDL's dummy video
driver (``game.bench`` starts it so); prints one JSON object: ``battle_frame_ms`` (a steady
frame at 1600 x 900 of the bundled scenario with the most units, zoomed in as far as the view
holds every unit, everything shown, an animation running; with ``floor_ms``, a bare blit of
the composed map and the counters), ``first_frame_ms`` (from nothing
to the first drawn frame: map, rules, scenario, scene, draw), and ``watch_round_normal_ms``
and ``watch_round_fast_ms`` (a round of 2021-fall-of-damascus's computer sides watched in the
window at the normal and the fast speed, its moves and fights played out).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import tomllib
from dataclasses import replace

from game.hexmap import default_map
from game.movement import map_graph
from game.scenario import bundled_paths
from game.session import Seat, Session
from game.ui.app import MAP_TOOLS
from game.ui.battle import BattleScene
from game.ui.battle_ai import Effect
from game.ui.scene import FPS, App
from game.ui.settings import Settings

SIZE = (1600, 900)


def _timing(times: list[float], first: float) -> dict:
    return {"median": round(statistics.median(times), 4), "max": round(max(times), 4),
            "first": round(first, 4), "runs": len(times)}


def _largest_scenario() -> str:
    def units(p):
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        return len(data.get("units", []))

    return max(bundled_paths(), key=units).stem


def _first_frame(scenario: str, settings) -> float:
    """Milliseconds from nothing (no map, rules or renderer in memory) to a drawn frame."""
    default_map.cache_clear()
    MAP_TOOLS.clear()
    map_graph.cache_clear()
    t0 = time.perf_counter()
    app = App(size=SIZE, settings=settings)
    session = Session.new(scenario)
    scene = BattleScene(app, session)
    app.push(scene)
    app.step([], dt=0.016)
    ms = (time.perf_counter() - t0) * 1000
    scene.ai_paused = True
    app.stack.clear()
    return ms


def measure(quick: bool = False) -> dict:
    settings = Settings()
    settings.edge_pan = False
    scenario = _largest_scenario()
    firsts = [_first_frame(scenario, settings) for _ in range(1 if quick else 3)]

    app = App(size=SIZE, settings=settings)
    session = Session.new(scenario, {s: Seat("ai") for s in Session.new(scenario).seats})
    scene = BattleScene(app, session)
    scene.ai_paused = True  # the steady frame of a watcher: nothing moves
    scene.messages.clear()
    app.push(scene)
    app.step([], dt=0.016)
    units = list(session.view(None).units)
    r = scene.renderer
    xs, ys = zip(*(r.hex_center_km(u.hex) for u in units))
    view = scene.view
    margin = 40
    for level in range(len(view.levels) - 1, -1, -1):
        s = view.levels[level]
        if ((max(xs) - min(xs)) * s + 2 * margin <= view.rect.w
                and (max(ys) - min(ys)) * s + 2 * margin <= view.rect.h):
            break
    view.level = level
    view.centre_on((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
    for _ in range(200):  # the tiles around the view are drawn while idle: let them be
        app.step([], dt=0.016)
        if not view.missing_tiles():
            break
    app.step([], dt=0.016)
    drawn = len(scene.drawn_units)
    times = []
    for _ in range(60 if quick else 400):
        _keep_animating(scene, units)
        t0 = time.perf_counter()
        app.step([], dt=0.016)
        times.append((time.perf_counter() - t0) * 1000)
    first = times.pop(0)
    floor, counters = _bare_blit(app, scene, 60 if quick else 400)
    app.close()
    watch = {speed: _watch_round(settings, speed) for speed in ("normal", "fast")}
    return {
        "battle_frame_ms": dict(_timing(times, first), units=len(units), drawn=drawn,
                                scenario=scenario, zoom=level + 1,
                                floor_ms=round(statistics.median(floor), 4), counters=counters),
        "first_frame_ms": dict(_timing(firsts, firsts[0]), scenario=scenario),
        **{f"watch_round_{speed}_ms": w for speed, w in watch.items()},
    }


def _bare_blit(app, scene, runs: int) -> tuple[list[float], int]:
    """The floor of a frame: the map as last composed and the surface of every counter on
    screen, each blitted once where the frame puts it, and nothing else (the surfaces are
    made before the clock starts). Milliseconds per frame, and how many counters."""
    layers = scene.layers
    base = layers._base
    size = layers.counter_size()
    left, top = scene.view._left_top()
    r = scene.map_rect
    ox, oy = r.x - left, r.y - top
    s = scene.view.scale
    known = scene.known
    my_turn = scene.orders.my_turn()
    blits = []
    for hx, stack in scene.stacks.items():
        x, y = layers.renderer.hex_center(hx, s)
        x, y = x + ox, y + oy
        if not (r.left - size < x < r.right + size and r.top - size < y < r.bottom + size):
            continue
        surf = scene.art.stack(stack, size, statuses=[layers.status(u, my_turn, known) for u in stack],
                               sides=[known.side_of(u.faction) for u in stack])
        blits.append((surf, (x - size / 2, y - surf.get_height() + size / 2)))
    screen = app.screen
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        screen.blit(base, r)
        for surf, at in blits:
            screen.blit(surf, at)
        times.append((time.perf_counter() - t0) * 1000)
    return times, len(blits)


def _keep_animating(scene, units) -> None:
    """An animation running in every measured frame: a counter gliding along six hexes and a
    fight shown on its hex (a flash, the losses rising, the marker of what came of it)."""
    if scene.effects.items:
        return
    u = units[len(units) // 2]
    path = [u.hex]
    for _ in range(6):
        path.append(path[-1].neighbors()[0])
    scene.effects.items += [
        Effect("move", 0.8, path=path, unit=u), Effect("flash", 0.8, hex=u.hex),
        Effect("float", 0.8, hex=u.hex, text="-1,250"),
        Effect("marker", 0.8, hex=u.hex, text="Fell back", tone="brass")]


WATCH_SCENARIO = "2021-fall-of-damascus"


def _watch_round(settings, speed: str, seed: int = 1) -> dict:
    """A round of the computer sides watched in the window, as a player watches it: every
    side's turn once, each command's moves and fights played out at ``speed`` and the camera
    following them, news as it comes; frames stepped with the time that really passed."""
    settings = replace(settings, ai_speed=speed, follow_ai=True)
    app = App(size=SIZE, settings=settings)
    sides = list(Session.new(WATCH_SCENARIO).seats)
    session = Session.new(WATCH_SCENARIO, {s: Seat("ai") for s in sides}, seed=seed)
    scene = BattleScene(app, session)
    app.push(scene)
    st = session.view(None)  # everything is shown: the all-seeing view, as the scene's
    start_turn = st.turn
    frames = 0
    t0 = last = time.perf_counter()
    while st.turn == start_turn and not st.over:
        now = time.perf_counter()
        app.step([], dt=min(0.1, now - last))
        last = now
        frames += 1
        # The window's loop holds 60 frames a second (App.run's clock): the rest of the
        # frame is the AI thread's, as it is on a player's machine.
        rest = now + 1.0 / FPS - time.perf_counter()
        if rest > 0:
            time.sleep(rest)
        st = session.view(None)
        if now - t0 > 600:
            break
    ms = (time.perf_counter() - t0) * 1000
    app.close()
    return {"median": round(ms, 1), "max": round(ms, 1), "first": round(ms, 1), "runs": 1,
            "frames": frames, "sides": len(sides), "scenario": WATCH_SCENARIO,
            "commands": len(session.game.journal)}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # SDL reads its drivers when the window opens (``App``), not when pygame is imported.
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    json.dump(measure(quick="--quick" in argv), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
