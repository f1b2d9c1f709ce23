"""Drawing the map with pygame: terrain, hexsides, roads, places and labels, cached per zoom.

UI layer: imports pygame, reads a ``HexMap`` and never changes it. Everything that does not
depend on the zoom (hex centres, colours with hillshade, the hexsides that carry a border, a
coast or a river, the road links) is worked out once with numpy when a ``MapRenderer`` is made.
Per zoom level (a scale in pixels per kilometre) a ``_Level`` adds the pixel positions, line
widths and the label layout. Pixels are drawn in square tiles that are cached and blitted: a
frame of the viewer costs a few blits, not thousands of polygons (see DESIGN.md's notes on
drawing speed). Tiling also keeps the deepest zoom affordable: only the tiles that have been
looked at exist.

Coordinates: the layout's world space is in kilometres with y pointing south; a level's pixel
space is that scaled by ``scale`` with (0, 0) at the top-left of the map's bounding box.
"""

from __future__ import annotations

import math
import os
import re
import struct
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame

from game.hexgrid import DIRECTIONS, Hex, oddr_axial_arrays
from game.hexmap import LAKE, NO_COUNTRY, SEA, TERRAIN_LABELS, TERRAINS, HexMap

# -- palette ---------------------------------------------------------------------------------

TERRAIN_COLOURS: dict[str, tuple[int, int, int]] = {
    "sea": (124, 168, 208),
    "lake": (150, 196, 228),
    "marsh": (128, 176, 150),
    "desert": (238, 222, 178),
    "steppe": (204, 214, 156),
    "hills": (202, 176, 132),
    "mountains": (160, 138, 118),
    "urban": (196, 146, 136),
}
BACKGROUND = (46, 50, 58)
SHALLOW_SEA = (150, 190, 222)  # sea hexes that touch land
FADE_TO = (228, 226, 218)  # land outside the focus countries is washed toward this
BORDER_COLOUR = (72, 38, 78)
BORDER_HALO = (214, 160, 206)
COAST_COLOUR = (52, 92, 140)
RIVER_COLOUR = (46, 108, 190)
ROAD_COLOUR = (150, 44, 34)
ROAD_CASING = (250, 236, 214)
CROSSING_FILL = (250, 204, 40)
CROSSING_EDGE = (60, 40, 20)
CITY_FILL = (40, 30, 30)
CITY_RING = (255, 255, 255)
LABEL_COLOUR = (24, 22, 26)
LABEL_HALO = (255, 253, 245)
RIVER_LABEL = (30, 80, 160)
COUNTRY_LABEL = (70, 46, 74)

MAJOR_RIVERS = re.compile(r"euphrates|tigris|shatt", re.IGNORECASE)
CAPITALS = {"baghdad", "damascus", "beirut", "amman", "kuwaitcity", "kuwait", "jerusalem",
            "ankara", "tehran", "riyadh"}
FOCUS_COUNTRIES = ("IRQ", "SYR")

TILE = 512  # pixels; tiles at the map's right and bottom edges are smaller
TILE_BUDGET = 120  # tiles kept in the cache (about 125 MB at 32 bits a pixel)
GRID_MIN_HEX_PX = 12.0  # draw hex outlines once a hex is at least this wide on screen
REFERENCE_SCALE = 1.85  # px/km of the default 2400-px PNG; label sizes are tuned there

_SQRT3 = math.sqrt(3.0)


def _clamp(v: float, lo: float, hi: float) -> float:
    return lo if v < lo else hi if v > hi else v


def _key(scale: float) -> float:
    return round(float(scale), 4)


# -- fonts -----------------------------------------------------------------------------------

_FONT_PATHS: dict[tuple[bool, bool], str | None] = {}


def font(size: int, bold: bool = False, italic: bool = False) -> pygame.font.Font:
    """A readable sans-serif at ``size`` pixels: DejaVu/Noto/Liberation if the system has one,
    else pygame's own default font. Font objects are not cached across ``pygame.quit``."""
    if not pygame.font.get_init():
        pygame.font.init()
    key = (bold, italic)
    if key not in _FONT_PATHS:
        _FONT_PATHS[key] = pygame.font.match_font(
            "dejavusanscondensed,dejavusans,notosans,liberationsans,arial,freesans",
            bold=bold, italic=italic)
    path = _FONT_PATHS[key]
    size = max(6, int(round(size)))
    if path:
        try:
            return pygame.font.Font(path, size)
        except (OSError, pygame.error):
            pass
    f = pygame.font.Font(None, int(size * 1.3))  # the default font runs small for its size
    f.set_bold(bold)
    f.set_italic(italic)
    return f


def halo_text(fnt: pygame.font.Font, text: str, colour, halo=LABEL_HALO, radius: int = 2,
              spacing: int = 0) -> pygame.Surface:
    """Text with an outline of ``halo`` around it so it reads over any terrain."""
    if spacing:
        glyphs = [fnt.render(ch, True, colour) for ch in text]
        halos = [fnt.render(ch, True, halo) for ch in text] if radius else []
        w = sum(g.get_width() for g in glyphs) + spacing * (len(glyphs) - 1)
        h = fnt.get_height()
        fg = pygame.Surface((max(1, w), h), pygame.SRCALPHA)
        bg = pygame.Surface((max(1, w), h), pygame.SRCALPHA)
        x = 0
        for i, g in enumerate(glyphs):
            fg.blit(g, (x, 0))
            if radius:
                bg.blit(halos[i], (x, 0))
            x += g.get_width() + spacing
    else:
        fg = fnt.render(text, True, colour)
        bg = fnt.render(text, True, halo) if radius else None
    w, h = fg.get_size()
    out = pygame.Surface((w + 2 * radius, h + 2 * radius), pygame.SRCALPHA)
    if radius:
        for dx in range(-radius, radius + 1):
            for dy in range(-radius, radius + 1):
                if dx * dx + dy * dy <= radius * radius + 1 and (dx or dy):
                    out.blit(bg, (radius + dx, radius + dy))
    out.blit(fg, (radius, radius))
    return out


# -- the level: everything that depends on the zoom --------------------------------------------

@dataclass
class _Label:
    surface: pygame.Surface
    pos: tuple[int, int]  # top-left in level pixels

    @property
    def rect(self) -> pygame.Rect:
        return pygame.Rect(self.pos, self.surface.get_size())


@dataclass
class _Dot:
    centre: tuple[float, float]
    radius: float
    capital: bool


class _Level:
    """Pixel geometry and label layout of the map at one scale (pixels per km)."""

    def __init__(self, r: "MapRenderer", scale: float):
        self.scale = s = float(scale)
        bx, by, bw, bh = r.bounds_km
        self.size = (max(1, int(math.ceil(bw * s - 1e-6))), max(1, int(math.ceil(bh * s - 1e-6))))
        self.cx = (r.cx_km - bx) * s  # hex centres, flat, in level pixels
        self.cy = (r.cy_km - by) * s
        self.corners = r.corner_km * s  # (6, 2) offsets from a centre
        self.hex_px = r.hex_width_km * s  # width of a hex across its flats
        self.radius_px = r.hex_size_km * s
        self.grid = self.hex_px >= GRID_MIN_HEX_PX
        self.ui = _clamp(s / REFERENCE_SCALE, 0.62, 1.6)

        def seg(a):
            out = a.copy()
            out[..., 0] = (a[..., 0] - bx) * s
            out[..., 1] = (a[..., 1] - by) * s
            return out

        self.segments = {k: seg(v) for k, v in r.segments_km.items()}
        self.rivers = [(seg(a), major) for a, major in r.river_segments_km]
        self.crossings = [((x - bx) * s, (y - by) * s) for x, y in r.crossing_km]

        def w(km, lo, hi):
            return int(_clamp(round(km * s), lo, hi))

        self.border_w = w(0.9, 2, 7)
        self.border_halo_w = self.border_w + w(1.1, 2, 8) if s >= 1.2 else 0
        self.coast_w = w(0.35, 1, 3)
        self.major_river_w = w(1.5, 2, 8)
        self.river_w = w(0.85, 1, 5)
        self.road_w = w(1.0, 1, 4)
        self.road_casing = s >= 2.4
        self.crossing_r = _clamp(2.2 * s, 2.5, 8.0)

        self.dots: list[_Dot] = []
        self.labels: list[_Label] = []  # cities, crossings, rivers: drawn above everything
        self.country_labels: list[_Label] = []  # faded, drawn under places
        self._layout_labels(r)

    # Labels are laid out once per level, greedily, biggest city first, so no two overlap.
    def _layout_labels(self, r: "MapRenderer") -> None:
        s, u = self.scale, self.ui
        bx, by = r.bounds_km[:2]
        W, H = self.size
        bounds = pygame.Rect(0, 0, W, H)
        reserved = [pygame.Rect(rc) for rc in r.reserved.get(_key(s), ())]

        # Country names: large, letter-spaced, faded.
        for code, (x, y), n in r.country_anchors:
            name = r.hexmap.country_names.get(code, code).upper()
            px = _clamp(0.52 * math.sqrt(n) * s, 11, 84)
            fnt = font(px, bold=True)
            spacing = int(px * 0.35)
            surf = halo_text(fnt, name, COUNTRY_LABEL, radius=0, spacing=spacing)
            if surf.get_width() > 0.8 * math.sqrt(n) * r.hex_width_km * s * 1.6 and spacing:
                surf = halo_text(fnt, name, COUNTRY_LABEL, radius=0, spacing=max(1, spacing // 3))
            surf.set_alpha(int((70 if code not in r.focus else 85) * (0.7 if s > 3 else 1.0)))
            cx, cy = (x - bx) * s, (y - by) * s
            self.country_labels.append(_Label(surf, (int(cx - surf.get_width() / 2),
                                                     int(cy - surf.get_height() / 2))))

        # Cities.
        # The towns of the war zone are what players look for: they show sooner than towns of
        # the same size beyond its borders.
        min_pop = 250_000 if s < 0.8 else 60_000 if s < 1.3 else 0
        min_pop_war = 250_000 if s < 0.8 else 20_000
        cands = [c for c in r.hexmap.cities
                 if c.population >= (min_pop_war if c.country in r.focus else min_pop)]
        cands.sort(key=lambda c: (-c.population, c.name))
        placed: list[pygame.Rect] = list(reserved)
        dots: dict[str, tuple[pygame.Rect, _Dot]] = {}
        for c in cands:
            x, y = r.hex_center_km(c.hex)
            centre = ((x - bx) * s, (y - by) * s)
            capital = _norm(c.name) in CAPITALS or _norm(c.id) in CAPITALS
            rad = max(2.0, DOT_RADIUS[_tier(c.population)] * u)
            d = int(math.ceil(rad)) + 1
            dots[c.id] = (pygame.Rect(int(centre[0]) - d, int(centre[1]) - d, 2 * d, 2 * d),
                          _Dot(centre, rad, capital))
        dot_rects = {cid: rect for cid, (rect, _) in dots.items()}
        accepted: list[str] = []
        dropped: set[str] = set()
        for c in cands:
            if c.id in dropped:
                continue
            drect, dot = dots[c.id]
            tier = _tier(c.population)
            size = max(10.0, LABEL_SIZE[tier] * u)
            name = c.name.upper() if dot.capital else c.name
            surf = halo_text(font(size, bold=tier <= 1), name, LABEL_COLOUR, radius=2)
            rect = self._place(surf, dot.centre, dot.radius, bounds, placed,
                               [rc for cid, rc in dot_rects.items() if cid != c.id and cid not in dropped])
            if rect is None:
                # Cover a smaller town's dot rather than lose a bigger town's name.
                rect = self._place(surf, dot.centre, dot.radius, bounds, placed,
                                   [dot_rects[a] for a in accepted])
                if rect is None:
                    if c.population >= 100_000:
                        accepted.append(c.id)  # keep the dot of a sizeable town unnamed
                        placed.append(drect)
                    continue
                for other, orect in dot_rects.items():
                    if other != c.id and other not in accepted and orect.colliderect(rect):
                        dropped.add(other)
            accepted.append(c.id)
            placed.append(rect)
            placed.append(drect)
            self.labels.append(_Label(surf, rect.topleft))
        self.dots = [dots[cid][1] for cid in accepted]

        # Border crossings, named once the map is close enough to read them.
        if s >= 2.4:
            fnt = font(max(9.0, 11 * u), italic=True)
            for (x, y), name in zip(self.crossings, r.crossing_names):
                surf = halo_text(fnt, name, (90, 60, 10), radius=1)
                rect = self._place(surf, (x, y), self.crossing_r, bounds, placed, [])
                if rect is not None:
                    placed.append(rect)
                    self.labels.append(_Label(surf, rect.topleft))

        # River names in blue italics: mid-river when zoomed out, every 450 or 250 km closer.
        fnt = font(max(10.0, 13 * u), italic=True)
        spacing_km = 250 if s >= 3.0 else 450 if s >= 1.5 else 0
        for name, anchors_km in r.river_anchors:
            if s < 0.8 and not MAJOR_RIVERS.search(name):
                continue
            n = len(anchors_km)
            step = max(1, int(spacing_km / r.hex_size_km)) if spacing_km else n
            targets = range(step // 2, n, step) if step < n else [n // 2]
            surf = halo_text(fnt, name, RIVER_LABEL, radius=2)
            for i in targets:
                # Slide along the river until the name finds room.
                for k in (0, 3, -3, 6, -6, 10, -10, 15, -15):
                    if not 0 <= i + k < n:
                        continue
                    x, y = anchors_km[i + k]
                    rect = self._place(surf, ((x - bx) * s, (y - by) * s), 3 * u, bounds, placed, [])
                    if rect is not None:
                        placed.append(rect)
                        self.labels.append(_Label(surf, rect.topleft))
                        break

    @staticmethod
    def _place(surf, centre, radius, bounds, placed, avoid) -> pygame.Rect | None:
        w, h = surf.get_size()
        cx, cy = centre
        gap = radius + 1
        candidates = (
            (cx + gap, cy - h / 2),  # right
            (cx - gap - w, cy - h / 2),  # left
            (cx - w / 2, cy - gap - h + 2),  # above
            (cx - w / 2, cy + gap - 2),  # below
            (cx + gap * 0.7, cy - gap * 0.7 - h + 3),  # above right
            (cx + gap * 0.7, cy + gap * 0.7 - 3),  # below right
            (cx - gap * 0.7 - w, cy - gap * 0.7 - h + 3),  # above left
            (cx - gap * 0.7 - w, cy + gap * 0.7 - 3),  # below left
        )
        for x, y in candidates:
            rect = pygame.Rect(int(round(x)), int(round(y)), w, h)
            inner = rect.inflate(-4, -4)  # halos may touch
            if not bounds.contains(rect):
                continue
            if inner.collidelist(placed) >= 0 or inner.collidelist(avoid) >= 0:
                continue
            return rect
        return None


# Towns by population: 2 million and over, 700,000, 250,000, 80,000, smaller. Sizes are in
# pixels at REFERENCE_SCALE and grow or shrink with the zoom within limits.
TIER_POPULATION = (2_000_000, 700_000, 250_000, 80_000, 0)
DOT_RADIUS = (5.5, 4.5, 3.6, 3.0, 2.5)
LABEL_SIZE = (21, 17.5, 15, 13, 12)


def _tier(population: int) -> int:
    return next(i for i, p in enumerate(TIER_POPULATION) if population >= p)


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


# -- the renderer ------------------------------------------------------------------------------

class MapRenderer:
    """Draws a ``HexMap`` at any scale; keeps per-scale layouts and a cache of pixel tiles.

    ``crop=True`` trims the jagged half-hexes at the map's edges so the bounding box is all map
    (used for the PNG); the viewer shows the whole grid on a dark background.
    """

    def __init__(self, hexmap: HexMap, *, crop: bool = False,
                 focus: tuple[str, ...] = FOCUS_COUNTRIES):
        self.hexmap = hexmap
        self.focus = tuple(c for c in focus if c in hexmap.countries)
        lay = hexmap.layout
        o = lay.orientation
        rows, cols = hexmap.rows, hexmap.cols
        q, r = oddr_axial_arrays(cols, rows)
        self.q, self.r = q, r
        sx, sy = lay.size
        cx = (o.f0 * q + o.f1 * r) * sx + lay.origin[0]
        cy = (o.f2 * q + o.f3 * r) * sy + lay.origin[1]
        self._cx2, self._cy2 = cx, cy
        self.cx_km = cx.ravel().astype(np.float64)
        self.cy_km = cy.ravel().astype(np.float64)
        self.corner_km = np.array([lay.corner_offset(i) for i in range(6)], dtype=np.float64)
        origin = lay.hex_to_pixel(Hex(0, 0))
        self.edge_km = np.array(
            [[(p[0] - origin[0], p[1] - origin[1]) for p in lay.edge_corners(Hex(0, 0), d)]
             for d in range(6)], dtype=np.float64)  # (6 directions, 2 ends, xy)
        self.hex_size_km = float(max(sx, sy))
        self.hex_width_km = float(self.corner_km[:, 0].max() - self.corner_km[:, 0].min())
        half_w = self.hex_width_km / 2
        half_h = float(self.corner_km[:, 1].max())
        if crop:
            x0 = float((cx[:, 0] - half_w).max())
            x1 = float((cx[:, -1] + half_w).min())
            y0 = float(cy[0].mean() - half_h / 2)
            y1 = float(cy[-1].mean() + half_h / 2)
        else:
            x0, x1 = float(cx.min() - half_w), float(cx.max() + half_w)
            y0, y1 = float(cy.min() - half_h), float(cy.max() + half_h)
        self.bounds_km = (x0, y0, x1 - x0, y1 - y0)

        # Neighbour (row, col) in each direction; `valid` is False off the map.
        self.nb_row, self.nb_col, self.nb_valid = [], [], []
        for d in DIRECTIONS:
            nr, ncol, valid = hexmap.indices(q + d.q, r + d.r)
            self.nb_row.append(np.clip(nr, 0, rows - 1))
            self.nb_col.append(np.clip(ncol, 0, cols - 1))
            self.nb_valid.append(valid)

        self.fill, self.grid_colours = self._colours()
        self._hexsides()
        self._places()
        self._levels: dict[float, _Level] = {}
        # Level-pixel rectangles per scale that labels must keep clear of (a legend, a title).
        self.reserved: dict[float, list] = {}
        self._tiles: OrderedDict[tuple, pygame.Surface] = OrderedDict()

    # -- per-hex colours ------------------------------------------------------------------------

    def _colours(self):
        m = self.hexmap
        terrain = m.terrain
        palette = np.array([TERRAIN_COLOURS[t] for t in TERRAINS], dtype=np.float64)
        rgb = palette[terrain]
        elev = m.elevation.astype(np.float64)
        water = (terrain == SEA) | (terrain == LAKE)
        land = ~water

        # Hillshade from the 6-neighbour gradient (light from the north-west, y pointing down).
        gx = np.zeros_like(elev)
        gy = np.zeros_like(elev)
        dist = self.hex_width_km
        for d in range(6):
            e = np.where(self.nb_valid[d], elev[self.nb_row[d], self.nb_col[d]], elev)
            ux, uy = (self.edge_km[d].mean(axis=0)) / (dist / 2)
            gx += (e - elev) * ux
            gy += (e - elev) * uy
        gx /= 3 * dist
        gy /= 3 * dist  # metres per km
        light = np.array([-1.0, -1.0]) / math.sqrt(2)
        shade = np.clip(-(gx * light[0] + gy * light[1]) / 35.0, -1.0, 1.0)
        shade = np.where(land, shade, 0.0)
        rgb *= (1.0 + 0.20 * shade)[..., None]
        # Higher ground a little darker and cooler, low plains a touch warmer.
        hi = np.clip(elev / 3000.0, 0.0, 1.0)[..., None]
        rgb = np.where(land[..., None], rgb * (1.0 - 0.16 * hi) + np.array([0, 0, 6.0]) * hi, rgb)

        # Sea next to land is shallower and lighter.
        sea = terrain == SEA
        coastal = np.zeros_like(sea)
        for d in range(6):
            nb_land = self.nb_valid[d] & ~sea[self.nb_row[d], self.nb_col[d]]
            coastal |= sea & nb_land
        rgb[coastal] = rgb[coastal] * 0.55 + np.array(SHALLOW_SEA) * 0.45

        # Wash out countries outside the theatre so Iraq and Syria stand out.
        if self.focus:
            focus_idx = [m.countries.index(c) for c in self.focus]
            outside = land & ~np.isin(m.country, focus_idx)
            rgb[outside] = rgb[outside] * 0.62 + np.array(FADE_TO) * 0.38

        rgb = np.clip(rgb, 0, 255)
        fill = [tuple(int(v) for v in c) for c in rgb.reshape(-1, 3).round().astype(np.uint8)]
        grid = np.clip(rgb * 0.86, 0, 255).round().astype(np.uint8).reshape(-1, 3)
        grid_colours = [tuple(int(v) for v in c) for c in grid]
        return fill, grid_colours

    # -- hexside and link features --------------------------------------------------------------

    def _side_segments(self, mask: np.ndarray, d: int) -> np.ndarray:
        """(n, 2, 2) km end points of the hexsides in direction ``d`` of the hexes in ``mask``."""
        rows, cols = np.nonzero(mask)
        cx, cy = self._cx2[rows, cols], self._cy2[rows, cols]
        out = np.empty((len(rows), 2, 2))
        out[:, :, 0] = cx[:, None] + self.edge_km[d, :, 0][None, :]
        out[:, :, 1] = cy[:, None] + self.edge_km[d, :, 1][None, :]
        return out

    def _hexsides(self) -> None:
        m = self.hexmap
        terrain, country = m.terrain, m.country
        sea = terrain == SEA
        lake = terrain == LAKE
        borders, coast, shore, roads = [], [], [], []
        river_ids, river_segs = [], []
        for d in range(3):  # E, NE, NW: every shared side once
            nr, nc, ok = self.nb_row[d], self.nb_col[d], self.nb_valid[d]
            nb_country = country[nr, nc]
            b = ok & (country != nb_country) & (country != NO_COUNTRY) & (nb_country != NO_COUNTRY)
            borders.append(self._side_segments(b, d))
            coast.append(self._side_segments(ok & (sea != sea[nr, nc]), d))
            shore.append(self._side_segments(ok & (lake != lake[nr, nc]) & ~sea & ~sea[nr, nc], d))
            rid = m.river[:, :, d]
            rmask = ok & (rid > 0)
            river_segs.append(self._side_segments(rmask, d))
            river_ids.append(rid[rmask])
            road = ok & (m.road[:, :, d] > 0)
            rr, cc = np.nonzero(road)
            seg = np.empty((len(rr), 2, 2))
            seg[:, 0, 0] = self._cx2[rr, cc]
            seg[:, 0, 1] = self._cy2[rr, cc]
            seg[:, 1, 0] = self._cx2[nr[rr, cc], nc[rr, cc]]
            seg[:, 1, 1] = self._cy2[nr[rr, cc], nc[rr, cc]]
            roads.append(seg)
        self.segments_km = {
            "border": np.concatenate(borders),
            "coast": np.concatenate(coast),
            "shore": np.concatenate(shore),
            "road": np.concatenate(roads),
        }
        segs = np.concatenate(river_segs)
        ids = np.concatenate(river_ids)
        major_ids = {r.id for r in m.rivers if MAJOR_RIVERS.search(r.name)}
        is_major = np.isin(ids, list(major_ids)) if major_ids else np.zeros(len(ids), bool)
        self.river_segments_km = [(segs[~is_major], False), (segs[is_major], True)]

    def _places(self) -> None:
        m = self.hexmap
        # Border crossings: a marker on the hexside between the two hexes.
        self.crossing_km, self.crossing_names = [], []
        for x in m.crossings:
            d = x.hex.direction_to(x.outside)
            if d is not None:
                cx, cy = self.hex_center_km(x.hex)
                mx, my = self.edge_km[d].mean(axis=0)
                p = (cx + mx, cy + my)
            else:
                (ax, ay), (bx, by) = self.hex_center_km(x.hex), self.hex_center_km(x.outside)
                p = ((ax + bx) / 2, (ay + by) / 2)
            self.crossing_km.append(p)
            self.crossing_names.append(x.name)

        # Country name anchors: the hex deepest inside each country (fewest erosions to
        # vanish), nearest its centroid among equals; a crescent's centroid may lie outside it.
        self.country_anchors = []
        land = (m.terrain != SEA)
        for idx, code in enumerate(m.countries):
            if idx == NO_COUNTRY:
                continue
            mask = (m.country == idx) & land
            n = int(mask.sum())
            if n < 12:
                continue
            depth = np.zeros(mask.shape, dtype=np.int32)
            cur = mask.copy()
            while cur.any():
                depth += cur
                nxt = cur.copy()
                for d in range(6):
                    nxt &= self.nb_valid[d] & cur[self.nb_row[d], self.nb_col[d]]
                if nxt.sum() == cur.sum():
                    break
                cur = nxt
            mx, my = self._cx2[mask].mean(), self._cy2[mask].mean()
            best = depth.max()
            # Prefer any hex within one step of the deepest, nearest the centroid.
            cand = depth >= max(1, best - 1)
            dist = (self._cx2 - mx) ** 2 + (self._cy2 - my) ** 2
            dist = np.where(cand, dist, np.inf)
            row, col = np.unravel_index(int(np.argmin(dist)), dist.shape)
            self.country_anchors.append((code, (float(self._cx2[row, col]),
                                                float(self._cy2[row, col])), n))

        # River label anchors: middles of runs of the river's sides.
        self.river_anchors = []
        for river in m.rivers:
            if len(river.sides) < 12:
                continue
            pts = []
            for h, d in river.sides:
                cx, cy = self.hex_center_km(h)
                mx, my = self.edge_km[d].mean(axis=0)
                pts.append((cx + mx, cy + my))
            self.river_anchors.append((river.name, pts))

    # -- geometry helpers -------------------------------------------------------------------------

    def hex_center_km(self, h: Hex) -> tuple[float, float]:
        return self.hexmap.layout.hex_to_pixel(h)

    def level(self, scale: float) -> _Level:
        k = _key(scale)
        lv = self._levels.get(k)
        if lv is None:
            lv = self._levels[k] = _Level(self, k)
        return lv

    def map_size(self, scale: float) -> tuple[int, int]:
        """Pixel size of the whole map at ``scale`` pixels per km."""
        bw, bh = self.bounds_km[2:]
        s = _key(scale)
        return max(1, int(math.ceil(bw * s - 1e-6))), max(1, int(math.ceil(bh * s - 1e-6)))

    def world_to_level(self, x: float, y: float, scale: float) -> tuple[float, float]:
        bx, by = self.bounds_km[:2]
        return (x - bx) * scale, (y - by) * scale

    def level_to_world(self, px: float, py: float, scale: float) -> tuple[float, float]:
        bx, by = self.bounds_km[:2]
        return px / scale + bx, py / scale + by

    def hex_center(self, h: Hex, scale: float) -> tuple[float, float]:
        """Centre of ``h`` in level pixels."""
        return self.world_to_level(*self.hex_center_km(h), scale)

    def hex_polygon(self, h: Hex, scale: float) -> list[tuple[float, float]]:
        cx, cy = self.hex_center(h, scale)
        return [(cx + dx * scale, cy + dy * scale) for dx, dy in self.corner_km]

    def hex_at(self, px: float, py: float, scale: float) -> Hex | None:
        """The hex under level pixel (px, py), or None off the map."""
        h = self.hexmap.layout.pixel_to_hex(*self.level_to_world(px, py, scale))
        return h if self.hexmap.in_bounds(h) else None

    # -- drawing --------------------------------------------------------------------------------

    def render(self, scale: float, rect=None, surface: pygame.Surface | None = None,
               at: tuple[int, int] = (0, 0), places: bool = True) -> pygame.Surface:
        """Draw the part ``rect`` (level pixels; default the whole map) of the map at ``scale``.

        Draws onto ``surface`` at ``at`` if given, else onto a new surface of ``rect``'s size.
        ``places=False`` leaves out names, towns and crossings (for a minimap).
        """
        lv = self.level(scale)
        W, H = lv.size
        rect = pygame.Rect(0, 0, W, H) if rect is None else pygame.Rect(rect)
        if surface is None:
            surface = pygame.Surface(rect.size)
        ox, oy = rect.x - at[0], rect.y - at[1]  # level pixel -> surface pixel: subtract
        clip = pygame.Rect(at, rect.size)
        old_clip = surface.get_clip()
        surface.set_clip(clip.clip(old_clip) if old_clip else clip)
        try:
            surface.fill(BACKGROUND, clip)
            self._draw_hexes(surface, lv, rect, ox, oy)
            self._draw_lines(surface, lv, rect, ox, oy)
            if places:
                for lab in lv.country_labels:
                    if lab.rect.colliderect(rect):
                        surface.blit(lab.surface, (lab.pos[0] - ox, lab.pos[1] - oy))
                self._draw_places(surface, lv, rect, ox, oy)
        finally:
            surface.set_clip(old_clip)
        return surface

    def _draw_hexes(self, surf, lv: _Level, rect: pygame.Rect, ox: float, oy: float) -> None:
        m = lv.radius_px + 2
        sel = np.nonzero((lv.cx > rect.left - m) & (lv.cx < rect.right + m)
                         & (lv.cy > rect.top - m) & (lv.cy < rect.bottom + m))[0]
        if not len(sel):
            return
        pts = np.empty((len(sel), 6, 2))
        pts[:, :, 0] = (lv.cx[sel] - ox)[:, None] + lv.corners[None, :, 0]
        pts[:, :, 1] = (lv.cy[sel] - oy)[:, None] + lv.corners[None, :, 1]
        polys = pts.tolist()
        ids = sel.tolist()
        fill = self.fill
        poly = pygame.draw.polygon
        for i, p in zip(ids, polys):
            poly(surf, fill[i], p)
        if lv.grid:
            grid = self.grid_colours
            for i, p in zip(ids, polys):
                poly(surf, grid[i], p, 1)

    @staticmethod
    def _visible(seg: np.ndarray, rect: pygame.Rect, margin: float) -> np.ndarray:
        if not len(seg):
            return seg
        xs, ys = seg[:, :, 0], seg[:, :, 1]
        keep = ((xs.max(axis=1) > rect.left - margin) & (xs.min(axis=1) < rect.right + margin)
                & (ys.max(axis=1) > rect.top - margin) & (ys.min(axis=1) < rect.bottom + margin))
        return seg[keep]

    def _lines(self, surf, seg, rect, ox, oy, colour, width, caps=True) -> None:
        seg = self._visible(seg, rect, width + 2)
        if not len(seg):
            return
        seg = seg - np.array([ox, oy])
        line = pygame.draw.line
        if width <= 1:
            aaline = pygame.draw.aaline
            for (a, b) in seg.tolist():
                aaline(surf, colour, a, b)
            return
        for (a, b) in seg.tolist():
            line(surf, colour, a, b, width)
        if caps and width >= 3:
            circle = pygame.draw.circle
            r = width / 2 - 0.25
            for p in np.unique(seg.reshape(-1, 2).round(1), axis=0).tolist():
                circle(surf, colour, p, r)

    def _draw_lines(self, surf, lv: _Level, rect, ox, oy) -> None:
        sg = lv.segments
        self._lines(surf, sg["shore"], rect, ox, oy, COAST_COLOUR, 1)
        self._lines(surf, sg["coast"], rect, ox, oy, COAST_COLOUR, lv.coast_w)
        # Rivers go over borders: where a river is the border (the Shatt al-Arab, the Tigris
        # at Faysh Khabur) the border's halo still shows either side of it.
        if lv.border_halo_w:
            self._lines(surf, sg["border"], rect, ox, oy, BORDER_HALO, lv.border_halo_w)
        self._lines(surf, sg["border"], rect, ox, oy, BORDER_COLOUR, lv.border_w)
        for seg, major in lv.rivers:
            self._lines(surf, seg, rect, ox, oy, RIVER_COLOUR,
                        lv.major_river_w if major else lv.river_w)
        if lv.road_casing:
            self._lines(surf, sg["road"], rect, ox, oy, ROAD_CASING, lv.road_w + 2)
        self._lines(surf, sg["road"], rect, ox, oy, ROAD_COLOUR, lv.road_w)

    def _draw_places(self, surf, lv: _Level, rect, ox, oy) -> None:
        # Crossings: a small yellow diamond on the border.
        r = lv.crossing_r
        for x, y in lv.crossings:
            if rect.left - 10 < x < rect.right + 10 and rect.top - 10 < y < rect.bottom + 10:
                x, y = x - ox, y - oy
                pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
                pygame.draw.polygon(surf, CROSSING_FILL, pts)
                pygame.draw.polygon(surf, CROSSING_EDGE, pts, 1)
        for dot in lv.dots:
            x, y = dot.centre
            rr = dot.radius + 2
            if rect.left - rr < x < rect.right + rr and rect.top - rr < y < rect.bottom + rr:
                x, y = x - ox, y - oy
                pygame.draw.circle(surf, CITY_RING, (x, y), dot.radius + 1.2)
                pygame.draw.circle(surf, CITY_FILL, (x, y), dot.radius)
                if dot.capital:
                    pygame.draw.circle(surf, CITY_RING, (x, y), max(1.5, dot.radius * 0.55))
                    pygame.draw.circle(surf, (200, 30, 30), (x, y), max(1.0, dot.radius * 0.3))
        for lab in lv.labels:
            if lab.rect.colliderect(rect):
                surf.blit(lab.surface, (lab.pos[0] - ox, lab.pos[1] - oy))

    # -- cached tiles for the viewer ------------------------------------------------------------

    def tile(self, scale: float, tx: int, ty: int) -> pygame.Surface:
        """Tile (tx, ty) of the map at ``scale``, drawn on first use and then cached."""
        key = (_key(scale), tx, ty)
        surf = self._tiles.get(key)
        if surf is not None:
            self._tiles.move_to_end(key)
            return surf
        W, H = self.map_size(scale)
        rect = pygame.Rect(tx * TILE, ty * TILE, TILE, TILE).clip(pygame.Rect(0, 0, W, H))
        surf = self.render(scale, rect)
        if pygame.display.get_init() and pygame.display.get_surface() is not None:
            surf = surf.convert()
        self._tiles[key] = surf
        while len(self._tiles) > TILE_BUDGET:
            self._tiles.popitem(last=False)
        return surf

    def has_tile(self, scale: float, tx: int, ty: int) -> bool:
        return (_key(scale), tx, ty) in self._tiles

    def tiles_for(self, scale: float, left: float, top: float, width: int, height: int):
        """(tx, ty) of the tiles that cover a view of the map's level pixels."""
        W, H = self.map_size(scale)
        x0, y0 = max(0, int(left) // TILE), max(0, int(top) // TILE)
        x1 = min((W - 1) // TILE, int(left + width) // TILE)
        y1 = min((H - 1) // TILE, int(top + height) // TILE)
        return [(tx, ty) for ty in range(y0, y1 + 1) for tx in range(x0, x1 + 1)]

    def prepare(self, scale: float) -> int:
        """Draw every tile of the map at ``scale`` into the cache; returns how many."""
        W, H = self.map_size(scale)
        tiles = self.tiles_for(scale, 0, 0, W, H)
        for tx, ty in tiles:
            self.tile(scale, tx, ty)
        return len(tiles)

    def draw_labels(self, target: pygame.Surface, scale: float, left: float, top: float,
                    dest: pygame.Rect) -> None:
        """The names of towns, crossings and rivers again, over what was drawn on the map
        since (the battle's counters), so that no name is hidden under a unit."""
        lv = self.level(scale)
        view = pygame.Rect(int(left), int(top), dest.w, dest.h)
        ox, oy = int(left) - dest.x, int(top) - dest.y
        for lab in lv.labels:
            if lab.rect.colliderect(view):
                target.blit(lab.surface, (lab.pos[0] - ox, lab.pos[1] - oy))

    def draw_view(self, target: pygame.Surface, scale: float, left: float, top: float,
                  dest: pygame.Rect | None = None) -> None:
        """Blit the map at ``scale`` so level pixel (left, top) lands on ``dest``'s top-left."""
        dest = target.get_rect() if dest is None else pygame.Rect(dest)
        left_i, top_i = int(math.floor(left)), int(math.floor(top))
        target.fill(BACKGROUND, dest)
        old_clip = target.get_clip()
        target.set_clip(dest.clip(old_clip))
        for tx, ty in self.tiles_for(scale, left_i, top_i, dest.w, dest.h):
            surf = self.tile(scale, tx, ty)
            target.blit(surf, (dest.x + tx * TILE - left_i, dest.y + ty * TILE - top_i))
        target.set_clip(old_clip)


# -- legend, title and the PNG ---------------------------------------------------------------

def _legend(r: MapRenderer, scale: float, ui: float) -> pygame.Surface:
    """A box with the terrain key, the symbols and a scale bar in km."""
    f_head = font(15 * ui, bold=True)
    f_text = font(12.5 * ui)
    pad = int(10 * ui)
    line_h = int(f_text.get_height() * 1.25)
    sw = int(22 * ui)  # symbol column width
    rows: list[tuple[str, object]] = [(TERRAIN_LABELS[t], ("terrain", t)) for t in TERRAINS]
    rows += [
        ("Euphrates, Tigris", ("river", 5)),
        ("Other river", ("river", 2)),
        ("Road", ("road", None)),
        ("International border", ("border", None)),
        ("Border crossing", ("crossing", None)),
        ("City over 1 million", ("city", 1_500_000)),
        ("Town", ("city", 60_000)),
    ]
    text_w = max(f_text.size(t)[0] for t, _ in rows)
    head = f_head.render("Legend", True, LABEL_COLOUR)
    # Scale bar: a round number of km near 200 px wide.
    km_per_px = 1.0 / scale
    nice = [10, 20, 25, 50, 100, 150, 200, 250, 300, 500]
    bar_km = min(nice, key=lambda k: abs(k / km_per_px - 190 * ui))
    bar_px = int(round(bar_km * scale))
    hex_note = f"One hex: {r.hexmap.hex_km:g} km across"
    body_w = max(sw + pad // 2 + text_w, bar_px + pad, f_text.size(hex_note)[0], head.get_width())
    W = body_w + 2 * pad
    H = pad + head.get_height() + int(4 * ui) + line_h * len(rows) + int(10 * ui) \
        + f_text.get_height() * 2 + int(14 * ui) + f_text.get_height() + pad
    box = pygame.Surface((W, H), pygame.SRCALPHA)
    box.fill((252, 250, 242, 232))
    pygame.draw.rect(box, (90, 80, 70), box.get_rect(), max(1, int(ui)))
    y = pad
    box.blit(head, (pad, y))
    y += head.get_height() + int(4 * ui)
    hex_r = line_h * 0.46
    for text, (kind, arg) in rows:
        cx, cy = pad + sw / 2, y + line_h / 2
        if kind == "terrain":
            pts = [(cx + hex_r * math.cos(math.radians(60 * i + 30)),
                    cy + hex_r * math.sin(math.radians(60 * i + 30))) for i in range(6)]
            pygame.draw.polygon(box, TERRAIN_COLOURS[arg], pts)
            pygame.draw.polygon(box, (110, 100, 90), pts, 1)
        elif kind == "river":
            pygame.draw.line(box, RIVER_COLOUR, (pad, cy), (pad + sw, cy), max(1, int(arg * ui * 0.8)))
        elif kind == "road":
            pygame.draw.line(box, ROAD_COLOUR, (pad, cy), (pad + sw, cy), max(2, int(2 * ui)))
        elif kind == "border":
            pygame.draw.line(box, BORDER_HALO, (pad, cy), (pad + sw, cy), max(4, int(6 * ui)))
            pygame.draw.line(box, BORDER_COLOUR, (pad, cy), (pad + sw, cy), max(2, int(3 * ui)))
        elif kind == "crossing":
            rr = 6 * ui
            pts = [(cx, cy - rr), (cx + rr, cy), (cx, cy + rr), (cx - rr, cy)]
            pygame.draw.polygon(box, CROSSING_FILL, pts)
            pygame.draw.polygon(box, CROSSING_EDGE, pts, 1)
        elif kind == "city":
            rad = (5.5 if arg >= 1_000_000 else 2.8) * ui
            pygame.draw.circle(box, CITY_RING, (cx, cy), rad + 1.2)
            pygame.draw.circle(box, CITY_FILL, (cx, cy), rad)
        box.blit(f_text.render(text, True, LABEL_COLOUR), (pad + sw + pad // 2, y + (line_h - f_text.get_height()) // 2))
        y += line_h
    y += int(10 * ui)
    # Scale bar in four alternating segments.
    bh = max(4, int(6 * ui))
    seg = bar_px / 4
    for i in range(4):
        rect = pygame.Rect(pad + int(i * seg), y, int((i + 1) * seg) - int(i * seg), bh)
        pygame.draw.rect(box, (30, 30, 30) if i % 2 == 0 else (250, 250, 250), rect)
    pygame.draw.rect(box, (30, 30, 30), pygame.Rect(pad, y, bar_px, bh), 1)
    y += bh + 2
    for frac, label in ((0, "0"), (0.5, f"{bar_km / 2:g}"), (1, f"{bar_km:g} km")):
        t = f_text.render(label, True, LABEL_COLOUR)
        x = pad + frac * bar_px - (t.get_width() / 2 if frac else 0)
        if frac == 1:
            x = min(x, W - pad - t.get_width())
        box.blit(t, (x, y))
    y += f_text.get_height() + int(14 * ui)
    box.blit(f_text.render(hex_note, True, LABEL_COLOUR), (pad, y))
    return box


def _title(ui: float, title: str, subtitle: str) -> pygame.Surface:
    f1 = font(30 * ui, bold=True)
    f2 = font(14 * ui)
    t1 = f1.render(title, True, (40, 30, 30))
    t2 = f2.render(subtitle, True, (70, 60, 60))
    pad = int(12 * ui)
    W = max(t1.get_width(), t2.get_width()) + 2 * pad
    H = t1.get_height() + t2.get_height() + 2 * pad
    box = pygame.Surface((W, H), pygame.SRCALPHA)
    box.fill((252, 250, 242, 225))
    pygame.draw.rect(box, (90, 80, 70), box.get_rect(), max(1, int(ui)))
    box.blit(t1, (pad, pad))
    box.blit(t2, (pad, pad + t1.get_height()))
    return box


def _ensure_pygame() -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    if not pygame.display.get_init():
        pygame.display.init()  # drawing needs no mixer; a machine without sound would complain
    if not pygame.font.get_init():
        pygame.font.init()


STRIP_PIXELS = 40_000_000  # above this many pixels the PNG is drawn and written in strips


def render_map_png(hexmap: HexMap, path, width: int) -> tuple[int, int]:
    """Draw the whole map, with a title and a legend, to a PNG ``width`` pixels wide.

    Returns the image's (width, height). Needs no window. Very large images are drawn in
    horizontal strips and written by a small streaming PNG encoder, so memory stays bounded.
    """
    _ensure_pygame()
    r = MapRenderer(hexmap, crop=True)
    bw, bh = r.bounds_km[2:]
    scale = width / bw
    W = int(width)
    H = max(1, int(round(bh * scale)))
    ui = _clamp(W / 2400, 0.6, 3.0)
    legend = _legend(r, scale, ui)
    title = _title(ui, "Iraq and Syria, 2014",
                   f"Mesopotamia 2014-2021  \u00b7  hexes of {hexmap.hex_km:g} km")
    margin = int(14 * ui)
    overlays = [(title, (margin, margin)),
                (legend, (margin, H - margin - legend.get_height()))]
    r.reserved[_key(scale)] = [pygame.Rect(pos, box.get_size()).inflate(8, 8) for box, pos in overlays]

    def draw(rect: pygame.Rect) -> pygame.Surface:
        surf = r.render(scale, rect)
        for box, (x, y) in overlays:
            surf.blit(box, (x - rect.x, y - rect.y))
        return surf

    # The level may be a pixel larger than the image by rounding: draw exactly W x H.
    if W * H <= STRIP_PIXELS:
        surf = draw(pygame.Rect(0, 0, W, H))
        pygame.image.save(surf, str(path))
    else:
        rows = max(1, STRIP_PIXELS // (8 * W))
        _write_png_strips(Path(path), W, H, rows,
                          lambda y0, n: pygame.surfarray.array3d(draw(pygame.Rect(0, y0, W, n))))
    return W, H


def _write_png_strips(path: Path, width: int, height: int, rows_per_strip: int, strip) -> None:
    """Write an RGB PNG whose rows come from ``strip(y0, n) -> (n_w, n, 3)`` arrays."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    comp = zlib.compressobj(6)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        for y0 in range(0, height, rows_per_strip):
            n = min(rows_per_strip, height - y0)
            arr = np.ascontiguousarray(strip(y0, n).transpose(1, 0, 2), dtype=np.uint8)
            raw = np.zeros((n, width * 3 + 1), dtype=np.uint8)
            raw[:, 1:] = arr.reshape(n, width * 3)
            data = comp.compress(raw.tobytes())
            if data:
                f.write(chunk(b"IDAT", data))
        f.write(chunk(b"IDAT", comp.flush()))
        f.write(chunk(b"IEND", b""))


__all__ = ["MapRenderer", "TERRAIN_COLOURS", "TILE", "font", "halo_text", "render_map_png"]
