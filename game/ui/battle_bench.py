"""The battle screen's figures for ``mesopotamia bench``: a steady frame, and the first frame.

UI layer (pygame). Run as ``python -m game.ui.battle_bench [--quick]`` with SDL's dummy video
driver (``game.bench`` starts it so); prints one JSON object: ``battle_frame_ms`` (a steady
frame at 1600 x 900 of the bundled scenario with the most units, zoomed in as far as the view
holds every unit, everything shown) and ``first_frame_ms`` (from nothing to the first drawn
frame: map, rules, scenario, scene, draw).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

SIZE = (1600, 900)


def _timing(times: list[float], first: float) -> dict:
    return {"median": round(statistics.median(times), 4), "max": round(max(times), 4),
            "first": round(first, 4), "runs": len(times)}


def _largest_scenario() -> str:
    import tomllib

    from game.scenario import bundled_paths

    def units(p):
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        return len(data.get("units", []))

    return max(bundled_paths(), key=units).stem


def _first_frame(scenario: str, settings) -> float:
    """Milliseconds from nothing (no map, rules or renderer in memory) to a drawn frame."""
    import game.session as session_mod
    import game.ui.battle as battle_mod
    from game.movement import map_graph
    from game.ui.scene import App

    session_mod._SHARED.clear()
    battle_mod._TOOLS.clear()
    map_graph.cache_clear()
    t0 = time.perf_counter()
    app = App(size=SIZE, settings=settings)
    session = session_mod.Session.new(scenario)
    scene = battle_mod.BattleScene(app, session)
    app.push(scene)
    app.step([], dt=0.016)
    ms = (time.perf_counter() - t0) * 1000
    scene.ai_paused = True
    app.stack.clear()
    return ms


def measure(quick: bool = False) -> dict:
    from game.session import Seat, Session
    from game.ui.battle import BattleScene
    from game.ui.scene import App
    from game.ui.settings import Settings

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
    units = list(session.game.state.units.values())
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
        t0 = time.perf_counter()
        app.step([], dt=0.016)
        times.append((time.perf_counter() - t0) * 1000)
    first = times.pop(0)
    app.close()
    return {
        "battle_frame_ms": dict(_timing(times, first), units=len(units), drawn=drawn,
                                scenario=scenario, zoom=level + 1),
        "first_frame_ms": dict(_timing(firsts, firsts[0]), scenario=scenario),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    json.dump(measure(quick="--quick" in argv), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
