"""Render smoke tests: the map draws to a PNG and the viewer runs, all under SDL's dummy driver;
and no engine module imports pygame."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pygame
import pytest

import game
from game.ui.app import ZOOM_LEVELS, MapView, describe_line, run_map_viewer
from game.ui.mapdraw import MapRenderer, render_map_png


def _pixels(path: Path) -> np.ndarray:
    """(h, w, 3) uint8 array of a PNG."""
    return pygame.surfarray.array3d(pygame.image.load(str(path))).transpose(1, 0, 2)


def _distinct_colours(px: np.ndarray) -> int:
    packed = (px[..., 0].astype(np.uint32) << 16) | (px[..., 1].astype(np.uint32) << 8) | px[..., 2]
    return len(np.unique(packed))


def _bluish(px: np.ndarray) -> np.ndarray:
    r, g, b = (px[..., i].astype(int) for i in range(3))
    return (b > r + 50) & (b > g + 15)


@pytest.fixture(scope="module")
def png800(hexmap, tmp_path_factory):
    path = tmp_path_factory.mktemp("render") / "map.png"
    size = render_map_png(hexmap, path, 800)
    return path, size


def test_png_has_requested_width_and_map_aspect(png800, hexmap):
    path, (w, h) = png800
    assert path.stat().st_size > 10_000
    px = _pixels(path)
    assert px.shape[:2] == (h, w)
    assert w == 800
    # The map spans about 1,360 by 990 km.
    assert 0.6 < h / w < 0.9


def test_png_is_a_coloured_map(png800):
    path, (w, h) = png800
    px = _pixels(path)
    assert _distinct_colours(px) > 500
    blue = _bluish(px)
    # The Mediterranean lies along the west edge, the Gulf in the south-east corner.
    assert blue[h // 4: 3 * h // 4, : w // 12].mean() > 0.4
    assert blue[int(h * 0.85):, int(w * 0.9):].mean() > 0.3
    # The middle of the map (the Syrian and Iraqi desert and plains) is land.
    assert blue[int(h * 0.35): int(h * 0.65), int(w * 0.35): int(w * 0.65)].mean() < 0.15
    # Sand-coloured desert covers a good share of the map.
    r, g, b = (px[..., i].astype(int) for i in range(3))
    sand = (r > 200) & (g > 185) & (b > 130) & (r > b + 30)
    assert sand.mean() > 0.15


def test_viewer_runs_frames_and_saves_a_screenshot(hexmap, tmp_path):
    shot = tmp_path / "viewer.png"
    assert run_map_viewer(hexmap, max_frames=3, screenshot=shot, size=(1280, 800)) == 0
    px = _pixels(shot)
    assert px.shape[:2] == (800, 1280)
    assert _distinct_colours(px) > 200


def test_viewer_zoomed_in_on_baghdad(hexmap, tmp_path):
    shot = tmp_path / "viewer-zoom.png"
    baghdad = hexmap.find_city("Baghdad").hex
    assert run_map_viewer(hexmap, max_frames=2, screenshot=shot, size=(1024, 700),
                          zoom=len(ZOOM_LEVELS) - 2,
                          centre=baghdad) == 0
    assert shot.exists()


def test_view_maps_screen_points_to_the_right_hexes(hexmap):
    renderer = MapRenderer(hexmap)
    view = MapView(renderer, pygame.Rect(0, 0, 1200, 770))
    probes = [c.hex for c in hexmap.cities[:12]]
    for level in range(len(ZOOM_LEVELS)):
        view.level = level
        for h in probes:
            view.centre_on(*renderer.hex_center_km(h))
            x, y = view.world_to_screen(*renderer.hex_center_km(h))
            assert view.hex_at((x, y)) == h
    # Zooming about a point keeps the world point under it.
    view.level = 5
    view.centre_on(*renderer.hex_center_km(hexmap.find_city("Baghdad").hex))
    anchor = (500, 300)
    before = view.screen_to_world(anchor)
    assert view.zoom(+1, anchor)
    after = view.screen_to_world(anchor)
    assert abs(before[0] - after[0]) < 1.0 and abs(before[1] - after[1]) < 1.0


def test_info_line_names_what_is_under_the_mouse(hexmap):
    baghdad = hexmap.find_city("Baghdad")
    left, right = describe_line(hexmap, baghdad.hex)
    assert "Baghdad" in left and "Iraq" in left
    assert "hex" in right


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0:
        return [node.module or ""]
    return []


def test_only_the_ui_imports_pygame():
    """pygame and pygame_gui are imported only under game/ui; elsewhere game.ui may be
    imported only inside a function (as the CLI does), never when a module loads."""
    offenders = []
    for path in sorted(game.PACKAGE_DIR.rglob("*.py")):
        rel = path.relative_to(game.PACKAGE_DIR)
        if rel.parts[0] == "ui":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if any(n.split(".")[0] in ("pygame", "pygame_gui") for n in _imported_modules(node)):
                offenders.append(f"{rel}:{node.lineno} imports pygame")
        top_level = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef,
                                                                 ast.AsyncFunctionDef))]
        for stmt in top_level:
            for node in ast.walk(stmt):
                if any(n == "game.ui" or n.startswith("game.ui.") for n in _imported_modules(node)):
                    offenders.append(f"{rel}:{node.lineno} imports game.ui at load time")
    assert not offenders, f"pygame reachable outside game/ui: {offenders}"
