"""The map viewer: a window that pans, zooms and tells what lies under the mouse.

UI layer (pygame). ``MapView``, ``Minimap`` and ``map_tools`` (a map's renderer and minimap,
made once) are shared with the battle screen (``game.ui.battle``) and the editor. ``MapView``
owns the camera (zoom level and the world point at the centre of the view) and turns screen
positions into hexes and back; it draws by blitting the renderer's cached tiles, so a frame
costs a few blits. ``run_map_viewer`` is the frame loop
behind ``mesopotamia play``; it redraws only when something changed and spends idle frames
drawing tiles the player is likely to look at next.
"""

from __future__ import annotations

import math
import os
import sys
import time

import pygame

from game.hexgrid import Hex
from game.hexmap import TERRAIN_LABELS, HexMap
from game.ui.mapdraw import TILE, MapRenderer, font
from game.ui.settings import env_int

WINDOW_TITLE = "Mesopotamia 2014-2021"
# Pixels per km, steps of about 1.27: the first fits the whole map in a small window, the
# last shows a 10 km hex about 56 pixels across.
ZOOM_LEVELS = (0.5, 0.62, 0.76, 0.95, 1.2, 1.55, 2.0, 2.6, 3.4, 4.4, 5.6)
FPS = 60
PAN_SPEED = 900  # screen pixels per second for the keys
BAR_H = 28
BAR_BG = (30, 32, 38)
BAR_TEXT = (236, 232, 220)
BAR_DIM = (160, 160, 150)
HIGHLIGHT = (255, 230, 60)
MINIMAP_W = 220
EDGE_MARGIN = 48  # screen pixels the view may run past the map's edge


class MapView:
    """A camera on the map: zoom level, centre in world km, and the screen area it fills."""

    def __init__(self, renderer: MapRenderer, rect: pygame.Rect, levels=ZOOM_LEVELS):
        self.renderer = renderer
        self.levels = tuple(levels)
        self.rect = pygame.Rect(rect)
        self.level = 0
        bx, by, bw, bh = renderer.bounds_km
        self.centre = (bx + bw / 2, by + bh / 2)
        self._glide = None  # (from, to, seconds gone, seconds in all) while the camera glides
        self.fit()

    @property
    def scale(self) -> float:
        return self.levels[self.level]

    def fit(self) -> None:
        """Centre the map and pick the closest level at which the whole map fits."""
        bx, by, bw, bh = self.renderer.bounds_km
        self.centre = (bx + bw / 2, by + bh / 2)
        fits = [i for i, s in enumerate(self.levels)
                if bw * s <= self.rect.w * 1.02 and bh * s <= self.rect.h * 1.02]
        self.level = fits[-1] if fits else 0

    def _left_top(self) -> tuple[float, float]:
        """Level pixel at the top-left of the view; a map smaller than the view is centred."""
        s = self.scale
        W, H = self.renderer.map_size(s)
        px, py = self.renderer.world_to_level(*self.centre, s)
        left = px - self.rect.w / 2 if W > self.rect.w else (W - self.rect.w) / 2
        top = py - self.rect.h / 2 if H > self.rect.h else (H - self.rect.h) / 2
        return math.floor(left), math.floor(top)

    def screen_to_world(self, pos) -> tuple[float, float]:
        left, top = self._left_top()
        return self.renderer.level_to_world(pos[0] - self.rect.x + left,
                                            pos[1] - self.rect.y + top, self.scale)

    def world_to_screen(self, x: float, y: float) -> tuple[float, float]:
        left, top = self._left_top()
        px, py = self.renderer.world_to_level(x, y, self.scale)
        return px - left + self.rect.x, py - top + self.rect.y

    def hex_at(self, pos) -> Hex | None:
        if not self.rect.collidepoint(pos):
            return None
        left, top = self._left_top()
        return self.renderer.hex_at(pos[0] - self.rect.x + left, pos[1] - self.rect.y + top,
                                    self.scale)

    def hex_polygon(self, h: Hex) -> list[tuple[float, float]]:
        left, top = self._left_top()
        return [(x - left + self.rect.x, y - top + self.rect.y)
                for x, y in self.renderer.hex_polygon(h, self.scale)]

    def _clamp_centre(self) -> None:
        """Keep the map filling the view, give or take a small margin past its edges."""
        bx, by, bw, bh = self.renderer.bounds_km
        s = self.scale
        margin = EDGE_MARGIN / s
        x, y = self.centre
        half_w, half_h = self.rect.w / 2 / s, self.rect.h / 2 / s
        lo, hi = bx + half_w - margin, bx + bw - half_w + margin
        x = min(max(x, lo), hi) if lo <= hi else bx + bw / 2
        lo, hi = by + half_h - margin, by + bh - half_h + margin
        y = min(max(y, lo), hi) if lo <= hi else by + bh / 2
        self.centre = (x, y)

    def resize(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self._clamp_centre()

    def pan_pixels(self, dx: float, dy: float) -> None:
        """Move the map by (dx, dy) screen pixels (the map follows a dragging mouse)."""
        self._glide = None  # the player's hand takes over from a glide
        s = self.scale
        self.centre = (self.centre[0] - dx / s, self.centre[1] - dy / s)
        self._clamp_centre()

    def centre_on(self, x: float, y: float) -> None:
        self._glide = None
        self.centre = (x, y)
        self._clamp_centre()

    def glide_to(self, x: float, y: float, seconds: float) -> None:
        """Bring the world point (x, y) to the centre over ``seconds``, easing in and out, as
        a camera following the computer's moves does (at once when ``seconds`` is 0)."""
        start = self.centre
        self.centre_on(x, y)  # where it ends, kept within the map
        if seconds > 0 and self.centre != start:
            self._glide = (start, self.centre, 0.0, seconds)
            self.centre = start

    @property
    def gliding(self) -> bool:
        return self._glide is not None

    def step(self, dt: float) -> None:
        """Move a glide on by ``dt`` seconds."""
        if self._glide is None:
            return
        (x0, y0), (x1, y1), t, total = self._glide
        t = min(total, t + dt)
        f = t / total
        f = f * f * (3.0 - 2.0 * f)  # smoothstep: slow off, slow in
        self.centre = (x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)
        self._glide = None if t >= total else ((x0, y0), (x1, y1), t, total)

    def zoom(self, step: int, anchor=None) -> bool:
        """Change level by ``step`` keeping the world point under ``anchor`` (screen) still."""
        new = min(max(self.level + step, 0), len(self.levels) - 1)
        if new == self.level:
            return False
        anchor = self.rect.center if anchor is None else anchor
        self._glide = None
        wx, wy = self.screen_to_world(anchor)
        self.level = new
        s = self.scale
        self.centre = (wx - (anchor[0] - self.rect.centerx) / s,
                       wy - (anchor[1] - self.rect.centery) / s)
        self._clamp_centre()
        return True

    def draw(self, target: pygame.Surface) -> None:
        left, top = self._left_top()
        self.renderer.draw_view(target, self.scale, left, top, self.rect)

    def missing_tiles(self, margin: int = 1):
        """Tiles near the view (at this level, then the levels either side) not yet drawn."""
        out = []
        for step in (0, 1, -1):
            i = self.level + step
            if not 0 <= i < len(self.levels):
                continue
            s = self.levels[i]
            W, H = self.renderer.map_size(s)
            px, py = self.renderer.world_to_level(*self.centre, s)
            m = margin * TILE if step == 0 else 0
            left = px - self.rect.w / 2 - m
            top = py - self.rect.h / 2 - m
            for tx, ty in self.renderer.tiles_for(s, max(0, left), max(0, top),
                                                  self.rect.w + 2 * m, self.rect.h + 2 * m):
                if not self.renderer.has_tile(s, tx, ty):
                    out.append((s, tx, ty))
        return out


def describe_line(hexmap: HexMap, h: Hex) -> tuple[str, str]:
    """(left, right) texts of the info bar for the hex under the mouse."""
    d = hexmap.describe_hex(h)
    parts = []
    towns = d.get("towns") or ([d["city"]] if d.get("city") else [])
    if towns:
        parts.append(", ".join(towns))
    terrain = TERRAIN_LABELS.get(d["terrain"], d["terrain"])
    if d["terrain"] in ("sea", "lake"):
        parts.append(terrain)
    else:
        parts.append(f"{terrain}, {d['elevation_m']} m")
    parts.append(d["country"] or "no country")
    rivers: dict[str, list[str]] = {}
    for r in d["rivers"]:
        rivers.setdefault(r["river"], []).append(r["side"])
    for name, sides in rivers.items():
        parts.append(f"{name} ({', '.join(sides)} side{'s' if len(sides) > 1 else ''})")
    if d["roads"]:
        parts.append("road: " + ", ".join(d["roads"]))
    if d["crossing"]:
        parts.append("crossing: " + d["crossing"])
    c, o = d["centre"], d["offset"]
    right = f"{c['lat']:.2f}\u00b0N {c['lon']:.2f}\u00b0E   hex {o['col']},{o['row']}"
    return "  \u00b7  ".join(parts), right


def run_map_viewer(hexmap: HexMap, max_frames: int | None = None, screenshot=None, *,
                   size: tuple[int, int] | None = None, zoom: int | None = None,
                   centre: Hex | None = None) -> int:
    """Open the map window and run until the player quits; returns the exit status (0).

    For tests and scripted shots: ``max_frames`` stops after that many frames, saving the
    window to ``screenshot`` (a PNG path) if given; ``zoom`` is a level index into
    ``ZOOM_LEVELS`` and ``centre`` a hex to look at. The environment variables
    ``MESOPOTAMIA_MAX_FRAMES`` and ``MESOPOTAMIA_SCREENSHOT`` do the same for
    ``mesopotamia play``. ``size`` is the window's first size (default: most of the desktop,
    at most 1600 x 1000).
    """
    if max_frames is None:
        max_frames = env_int("MESOPOTAMIA_MAX_FRAMES")
    if screenshot is None:
        screenshot = os.environ.get("MESOPOTAMIA_SCREENSHOT") or None
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:
        pygame.display.init()  # no mixer: the map viewer plays no sound, and a machine
        pygame.font.init()  # without a sound card would complain at start-up
        pygame.display.set_caption(WINDOW_TITLE)
        screen = pygame.display.set_mode(size or _default_size(), pygame.RESIZABLE)
    except pygame.error as exc:
        print(f"mesopotamia: cannot open a window ({exc})", file=sys.stderr)
        pygame.quit()
        return 1
    try:
        return _loop(hexmap, screen, max_frames, screenshot, zoom, centre)
    finally:
        pygame.quit()


def _default_size() -> tuple[int, int]:
    try:
        dw, dh = pygame.display.get_desktop_sizes()[0]
    except (pygame.error, IndexError):
        return 1280, 800
    return max(800, min(1600, int(dw * 0.9))), max(600, min(1000, int(dh * 0.85)))


def _loop(hexmap, screen, max_frames, screenshot, zoom, centre) -> int:
    renderer = MapRenderer(hexmap)
    view = MapView(renderer, _map_rect(screen))
    if zoom is not None:
        view.level = min(max(zoom, 0), len(view.levels) - 1)
    view.centre_on(*(renderer.hex_center_km(centre) if centre is not None else view.centre))

    f_bar = font(15)
    f_small = font(13)
    minimap = Minimap(renderer)
    clock = pygame.time.Clock()
    hover: Hex | None = None
    hover_text: tuple[pygame.Surface, pygame.Surface] | None = None
    dragging = False
    drag_minimap = False
    dirty = True
    frames = 0
    help_text = f_small.render(
        "drag or arrows/WASD: pan   wheel or +/-: zoom   Home: whole map   Esc: quit",
        True, BAR_DIM)

    while True:
        dt = clock.tick(FPS) / 1000.0
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return 0
            if event.type == pygame.KEYDOWN:
                if event.key in (pygame.K_ESCAPE, pygame.K_q):
                    return 0
                if event.key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
                    dirty |= view.zoom(+1)
                elif event.key in (pygame.K_MINUS, pygame.K_KP_MINUS):
                    dirty |= view.zoom(-1)
                elif event.key in (pygame.K_HOME, pygame.K_h):
                    view.fit()
                    dirty = True
            elif event.type == pygame.MOUSEWHEEL:
                step = 1 if event.y > 0 else -1 if event.y < 0 else 0
                if step:
                    dirty |= view.zoom(step, pygame.mouse.get_pos())
            elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3):
                if event.button == 1 and minimap.hit(event.pos):
                    drag_minimap = True
                    view.centre_on(*minimap.to_world(event.pos))
                    dirty = True
                else:
                    dragging = True
            elif event.type == pygame.MOUSEBUTTONUP:
                dragging = drag_minimap = False
            elif event.type == pygame.MOUSEMOTION:
                if drag_minimap:
                    view.centre_on(*minimap.to_world(event.pos))
                    dirty = True
                elif dragging and (event.rel[0] or event.rel[1]):
                    view.pan_pixels(*event.rel)
                    dirty = True
            elif event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
                screen = pygame.display.get_surface()
                view.resize(_map_rect(screen))
                dirty = True
            elif event.type in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED):
                dirty = True

        keys = pygame.key.get_pressed()
        dx = (keys[pygame.K_LEFT] or keys[pygame.K_a]) - (keys[pygame.K_RIGHT] or keys[pygame.K_d])
        dy = (keys[pygame.K_UP] or keys[pygame.K_w]) - (keys[pygame.K_DOWN] or keys[pygame.K_s])
        if dx or dy:
            speed = PAN_SPEED * (2.5 if keys[pygame.K_LSHIFT] or keys[pygame.K_RSHIFT] else 1)
            view.pan_pixels(dx * speed * dt, dy * speed * dt)
            dirty = True

        mouse = pygame.mouse.get_pos()
        h = None if not pygame.mouse.get_focused() or minimap.hit(mouse) else view.hex_at(mouse)
        if h != hover:
            hover = h
            hover_text = None
            if h is not None:
                left, right = describe_line(hexmap, h)
                hover_text = (f_bar.render(left, True, BAR_TEXT), f_small.render(right, True, BAR_DIM))
            dirty = True

        if dirty:
            view.draw(screen)
            if hover is not None:
                pygame.draw.polygon(screen, HIGHLIGHT, view.hex_polygon(hover), 2)
            minimap.draw(screen, view)
            zoom_text = f_small.render(f"zoom {view.level + 1}/{len(view.levels)}", True, BAR_DIM)
            _draw_bar(screen, hover_text, help_text, zoom_text)
            pygame.display.flip()
            dirty = False
        else:
            # Idle: draw a few tiles the player may look at next (around the view, and the
            # levels either side), within about half a frame.
            t0 = time.perf_counter()
            for s, tx, ty in view.missing_tiles()[:3]:
                renderer.tile(s, tx, ty)
                if time.perf_counter() - t0 > 0.008:
                    break

        frames += 1
        if max_frames is not None and frames >= max_frames:
            if screenshot:
                pygame.image.save(screen, str(screenshot))
            return 0


def _map_rect(screen: pygame.Surface) -> pygame.Rect:
    w, h = screen.get_size()
    return pygame.Rect(0, 0, w, max(1, h - BAR_H))


def _draw_bar(screen, hover_text, help_text, zoom_text) -> None:
    w, h = screen.get_size()
    bar = pygame.Rect(0, h - BAR_H, w, BAR_H)
    screen.fill(BAR_BG, bar)
    pygame.draw.line(screen, (80, 80, 86), bar.topleft, bar.topright)
    x_right = w - 10 - zoom_text.get_width()
    screen.blit(zoom_text, (x_right, bar.y + (BAR_H - zoom_text.get_height()) // 2))
    if hover_text is None:
        screen.blit(help_text, (10, bar.y + (BAR_H - help_text.get_height()) // 2))
        return
    left, right = hover_text
    x_right -= right.get_width() + 16
    screen.blit(right, (x_right, bar.y + (BAR_H - right.get_height()) // 2))
    clip = screen.get_clip()
    screen.set_clip(pygame.Rect(0, bar.y, max(0, x_right - 16), BAR_H))
    screen.blit(left, (10, bar.y + (BAR_H - left.get_height()) // 2))
    screen.set_clip(clip)


class Minimap:
    """The whole map in a corner with the view's outline; click or drag it to jump."""

    def __init__(self, renderer: MapRenderer):
        self.renderer = renderer
        bw, bh = renderer.bounds_km[2:]
        s = 0.4
        full = renderer.render(s, places=False)
        w = MINIMAP_W
        h = max(1, int(round(w * bh / bw)))
        self.surface = pygame.transform.smoothscale(full, (w, h))
        self.scale = w / bw
        self.rect = pygame.Rect(0, 0, w, h)
        self.visible = False

    def place(self, screen: pygame.Surface, topright=None) -> None:
        self.rect.topright = topright if topright is not None else (screen.get_width() - 8, 8)

    def to_world(self, pos) -> tuple[float, float]:
        bx, by = self.renderer.bounds_km[:2]
        return bx + (pos[0] - self.rect.x) / self.scale, by + (pos[1] - self.rect.y) / self.scale

    def hit(self, pos) -> bool:
        return self.visible and self.rect.collidepoint(pos)

    def draw(self, screen: pygame.Surface, view: MapView, topright=None) -> None:
        """Draw at the window's top-right corner, or with its top-right at ``topright``."""
        self.place(screen, topright)
        # In a small window the minimap would hide too much of the map.
        self.visible = screen.get_width() >= 3 * self.rect.w and screen.get_height() >= 2.2 * self.rect.h
        if not self.visible:
            return
        screen.blit(self.surface, self.rect)
        bx, by = self.renderer.bounds_km[:2]
        tl = view.screen_to_world(view.rect.topleft)
        br = view.screen_to_world(view.rect.bottomright)
        x0 = self.rect.x + (tl[0] - bx) * self.scale
        y0 = self.rect.y + (tl[1] - by) * self.scale
        x1 = self.rect.x + (br[0] - bx) * self.scale
        y1 = self.rect.y + (br[1] - by) * self.scale
        vr = pygame.Rect(int(x0), int(y0), max(2, int(x1 - x0)), max(2, int(y1 - y0)))
        clip = screen.get_clip()
        screen.set_clip(self.rect)
        pygame.draw.rect(screen, (255, 255, 255), vr, 2)
        pygame.draw.rect(screen, (20, 20, 20), vr.inflate(4, 4), 1)
        screen.set_clip(clip)
        pygame.draw.rect(screen, (20, 20, 24), self.rect.inflate(4, 4), 2)


MAP_TOOLS: dict[int, tuple] = {}  # id of a map -> (the map, its renderer, its minimap)


def map_tools(hexmap: HexMap) -> tuple[MapRenderer, Minimap]:
    """The renderer and minimap of a map, made once per map (their tiles are the costly part):
    the battle screen and the editor share them."""
    got = MAP_TOOLS.get(id(hexmap))
    if got is None or got[0] is not hexmap:
        renderer = MapRenderer(hexmap)
        got = MAP_TOOLS[id(hexmap)] = (hexmap, renderer, Minimap(renderer))
    return got[1], got[2]
