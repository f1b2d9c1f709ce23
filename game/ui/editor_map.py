"""The scenario editor's map: the document drawn over the real map, and where the mouse is.

UI layer (pygame). ``EditorMap`` draws what ``Editor.map_view()`` says lives on the map: the
changed terrain (in its colour, outlined), the no-fly zones (shaded in their side's colour),
who holds the towns (flags), the victory conditions' towns (rings in the side's colour), the
depots, and the units as counters (the battle screen's ``CounterArt``); units that arrive later
are drawn faded. The camera is the battle screen's ``MapView`` over the shared cached tiles.
The map under the document is composed once per camera and document and then only blitted.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pygame

from game.hexgrid import Hex
from game.ui import widgets as W
from game.ui.app import ZOOM_LEVELS, MapView, map_tools
from game.ui.counters import CounterArt, Palette, abbreviation
from game.ui.mapdraw import TERRAIN_COLOURS

SELECT = (255, 236, 70)
HOVER = (255, 255, 255)
STROKE = (255, 160, 40)


class EditorMap:
    """The map part of the editor window: camera, composed map, counters, marks."""

    def __init__(self, ctx, rect: pygame.Rect):
        self.ctx = ctx
        self.renderer, self.minimap = map_tools(ctx.hexmap)
        self.view = MapView(self.renderer, pygame.Rect(rect), ZOOM_LEVELS)
        self.rect = pygame.Rect(rect)
        self.symbols = {t.id: t.symbol for t in ctx.rules.unit_types.values()}
        self._base: pygame.Surface | None = None
        self._base_key = None
        self._art_key = None
        self.art: CounterArt | None = None
        self.palette: Palette | None = None
        self._stacks_for = None
        self.stacks: dict[Hex, list] = {}
        self.drawn_units: set[str] = set()  # unit paths drawn in the last frame

    # -- camera ----------------------------------------------------------------------------

    def resize(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.view.resize(self.rect)
        self._base_key = None

    def hex_at(self, pos) -> Hex | None:
        if not self.rect.collidepoint(pos):
            return None
        h = self.view.hex_at(pos)
        return h if h is not None and self.ctx.hexmap.in_bounds(h) else None

    def centre_on(self, h: Hex, level: int | None = None) -> None:
        if level is not None:
            self.view.level = max(self.view.level, min(level, len(self.view.levels) - 1))
        self.view.centre_on(*self.renderer.hex_center_km(h))

    def screen_pos(self, h: Hex) -> tuple[int, int]:
        """Where the centre of ``h`` is on the window (for tests and scripted editing)."""
        x, y = self.view.world_to_screen(*self.renderer.hex_center_km(h))
        return int(round(x)), int(round(y))

    def counter_size(self) -> int:
        hex_px = self.renderer.hex_width_km * self.view.scale
        return int(max(12, min(64, hex_px * 0.92)))

    def _camera(self) -> tuple:
        return (self.view.level, self.view._left_top(), tuple(self.rect))

    # -- what the document shows -----------------------------------------------------------

    def style(self, doc_view, doc, palette_name: str) -> None:
        """Counter colours for the document's factions (made again when they change)."""
        factions = {f["id"]: (str(f.get("name", f["id"])), str(f.get("side", "")))
                    for f in doc.get("factions", []) if isinstance(f, dict) and isinstance(f.get("id"), str)}
        key = (tuple(sorted(factions.items())), palette_name)
        if key != self._art_key:
            self._art_key = key
            self.palette = Palette(factions, palette_name)
            self.art = CounterArt(self.palette, self.symbols,
                                  {f: abbreviation(f, n) for f, (n, _) in factions.items()})
            self._base_key = None

    def side_colour(self, doc, side) -> tuple[int, int, int]:
        sides = [s.get("id") for s in doc.get("sides", []) if isinstance(s, dict)]
        return W.side_colour(self._art_key[1] if self._art_key else "standard", side, sides)

    def _refresh_stacks(self, mv) -> None:
        if self._stacks_for is mv:
            return
        self._stacks_for = mv
        stacks: dict[Hex, list] = {}
        for u in mv.units:
            if not u.get("hex"):
                continue
            h = Hex(*u["hex"])
            pers = u.get("personnel")
            unit = SimpleNamespace(
                path=u["path"], id=u.get("id") or u["path"], faction=str(u.get("faction")),
                type=str(u.get("type")), when=u["when"],
                personnel=pers if isinstance(pers, (int, float)) and not isinstance(pers, bool) else 0)
            stacks.setdefault(h, []).append(unit)
        for units in stacks.values():
            units.sort(key=lambda u: u.when != "start")
        self.stacks = stacks

    def units_at(self, h: Hex) -> list:
        return list(self.stacks.get(h, []))

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, screen, mv, doc, *, selected=None, hover=None, stroke=(), zone=None,
             objective=None) -> None:
        """The map, the document on it, the selection (``selected``: a unit path, or a hex),
        the hex under the mouse and a stroke being painted."""
        self._refresh_stacks(mv)
        clip = screen.get_clip()
        screen.set_clip(self.rect)
        key = (self._camera(), id(mv), self._art_key, zone, objective)
        if key != self._base_key or self._base is None:
            self._base_key = key
            if self._base is None or self._base.get_size() != self.rect.size:
                self._base = pygame.Surface(self.rect.size)
                if pygame.display.get_surface() is not None:
                    self._base = self._base.convert()
            self._compose(self._base, mv, doc, zone, objective)
        screen.blit(self._base, self.rect)
        self._draw_counters(screen)
        for h in stroke:
            pygame.draw.polygon(screen, STROKE, self.view.hex_polygon(h), 3)
        if isinstance(selected, Hex):
            pygame.draw.polygon(screen, (20, 20, 20), self.view.hex_polygon(selected), 5)
            pygame.draw.polygon(screen, SELECT, self.view.hex_polygon(selected), 3)
        elif selected is not None:
            for h, units in self.stacks.items():
                if any(u.path == selected for u in units):
                    pygame.draw.polygon(screen, (20, 20, 20), self.view.hex_polygon(h), 5)
                    pygame.draw.polygon(screen, SELECT, self.view.hex_polygon(h), 3)
        if hover is not None:
            pygame.draw.polygon(screen, HOVER, self.view.hex_polygon(hover), 2)
        screen.set_clip(clip)

    def _xy(self, h: Hex, left, top) -> tuple[float, float]:
        x, y = self.renderer.hex_center(h, self.view.scale)
        return x - left, y - top

    def _poly(self, h: Hex, left, top) -> list:
        x, y = self._xy(h, left, top)
        s = self.view.scale
        return [(x + dx * s, y + dy * s) for dx, dy in self.renderer.corner_km]

    def _compose(self, surf, mv, doc, zone, objective) -> None:
        left, top = self.view._left_top()
        self.renderer.draw_view(surf, self.view.scale, left, top, surf.get_rect())
        w, h = surf.get_size()

        def on_view(hx):
            x, y = self._xy(hx, left, top)
            return -60 < x < w + 60 and -60 < y < h + 60

        # changed terrain in its colour, outlined to show it is the scenario's; rivers, roads
        # and names show through
        changed = np.argwhere(mv.hexmap.terrain != self.ctx.hexmap.terrain)
        if len(changed):
            layer = pygame.Surface((w, h), pygame.SRCALPHA)
            for row, col in changed:
                hx = mv.hexmap.hex_at(int(row), int(col))
                if on_view(hx):
                    pts = self._poly(hx, left, top)
                    pygame.draw.polygon(layer, (*TERRAIN_COLOURS[mv.hexmap.terrain_at(hx)], 205), pts)
                    pygame.draw.polygon(layer, (150, 60, 140, 230), pts, 2)
            surf.blit(layer, (0, 0))
        # no-fly zones
        for z in mv.zones:
            colour = self.side_colour(doc, z.get("side"))
            layer = pygame.Surface((w, h), pygame.SRCALPHA)
            chosen = z.get("id") == zone
            for q, r in z.get("hexes") or []:
                hx = Hex(int(q), int(r))
                if on_view(hx):
                    pts = self._poly(hx, left, top)
                    pygame.draw.polygon(layer, (*colour, 90 if chosen else 50), pts)
                    if chosen:
                        pygame.draw.polygon(layer, (*colour, 230), pts, 2)
            surf.blit(layer, (0, 0))
            seen = [self._xy(Hex(int(q), int(r)), left, top) for q, r in z.get("hexes") or []]
            seen = [(x, y) for x, y in seen if 0 <= x < w and 0 <= y < h]
            if seen and (chosen or self.view.level >= 5):
                # the zone's name in the middle of the part of it in view
                mx, my = sum(x for x, _ in seen) / len(seen), sum(y for _, y in seen) / len(seen)
                x, y = min(seen, key=lambda p: (p[0] - mx) ** 2 + (p[1] - my) ** 2)
                label = W.font(max(9, min(15, int(self.counter_size() * 0.35))), bold=True).render(
                    str(z.get("name") or z.get("id")), True, (250, 246, 236))
                box = label.get_rect(midbottom=(x, y - self.counter_size() * 0.6))
                pygame.draw.rect(surf, colour, box.inflate(8, 2), border_radius=3)
                surf.blit(label, box)
        fs = max(6, int(self.counter_size() * 0.42))
        # towns held at the start: a flag in the holder's colour
        for city in self.ctx.hexmap.cities:
            owner = mv.control.get(city.id)
            if owner is None or not on_view(city.hex):
                continue
            x, y = self._xy(city.hex, left, top)
            fx, fy = int(x - fs * 1.4), int(y - fs * 1.6)
            pygame.draw.line(surf, (20, 20, 20), (fx, fy), (fx, fy + fs * 1.6), 1)
            rect = pygame.Rect(fx + 1, fy, fs + 2, max(3, int(fs * 0.75)))
            pygame.draw.rect(surf, self.palette.colour(owner) if self.palette else (120, 120, 120), rect)
            pygame.draw.rect(surf, (20, 20, 20), rect, 1)
        # the victory conditions' towns: a ring per condition in its side's colour
        ring = max(6, int(self.renderer.hex_width_km * self.view.scale * 0.62))
        rings: dict[tuple, int] = {}
        for ob in mv.objectives:
            colour = self.side_colour(doc, ob.get("side"))
            for t in ob.get("towns", []):
                hx = Hex(*t["hex"])
                if not on_view(hx):
                    continue
                n = rings.get(tuple(t["hex"]), 0)
                rings[tuple(t["hex"])] = n + 1
                x, y = self._xy(hx, left, top)
                width = 4 if ob.get("index") == objective else 2
                pygame.draw.circle(surf, (20, 20, 20), (x, y), ring + n * 4 + 1, width + 2)
                pygame.draw.circle(surf, colour, (x, y), ring + n * 4, width)
        # depots
        ds = max(10, int(self.counter_size() * 0.6))
        f = W.font(max(7, int(ds * 0.8)), bold=True)
        for d in mv.supply_sources:
            if not d.get("hex"):
                continue
            hx = Hex(*d["hex"])
            if not on_view(hx):
                continue
            x, y = self._xy(hx, left, top)
            if d.get("faction") and self.palette:
                colour = self.palette.colour(d["faction"])
            else:
                colour = self.side_colour(doc, d.get("side"))
            box = pygame.Rect(0, 0, ds, ds)
            box.center = (int(x + ds * 0.7), int(y + ds * 0.5))
            pygame.draw.rect(surf, (20, 20, 20), box.inflate(4, 4), border_radius=3)
            pygame.draw.rect(surf, colour, box, border_radius=2)
            pygame.draw.rect(surf, (250, 214, 90), box, 2, border_radius=2)
            t = f.render("S", True, (250, 240, 200))
            surf.blit(t, t.get_rect(center=box.center))

    def _draw_counters(self, screen) -> None:
        if self.art is None:
            return
        size = self.counter_size()
        r = self.rect
        left, top = self.view._left_top()
        ox, oy = r.x - left, r.y - top
        drawn = set()
        for hx, units in self.stacks.items():
            x, y = self.renderer.hex_center(hx, self.view.scale)
            x += ox
            y += oy
            if not (r.left - size < x < r.right + size and r.top - size < y < r.bottom + size):
                continue
            surf = self.art.stack(units, size)
            if units[0].when != "start":
                surf = surf.copy()
                surf.set_alpha(150)
            screen.blit(surf, (x - size / 2, y - surf.get_height() + size / 2))
            drawn.update(u.path for u in units)
        self.drawn_units = drawn


__all__ = ["EditorMap"]
