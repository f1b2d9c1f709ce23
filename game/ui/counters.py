"""Unit counters in the wargame convention, drawn once and kept as surfaces.

UI layer (pygame). A counter is a square in its faction's colour with the NATO-style frame and
type symbol of its unit type (``symbol`` in ``game/rules/units.toml``: infantry's cross,
armour's oval, the two together for mechanised infantry, artillery's dot, and so on), the
faction's abbreviation above and the strength below. A stack shows the counters beneath as
offset edges and a badge with the count. Surfaces are cached per faction, type, strength as
shown, size and palette, so a frame only blits.

Two palettes: the standard one gives each faction its own colour; the colour-blind one (the
Okabe-Ito colours) gives each side a hue that stays apart under the common colour-vision
deficiencies, with factions of a side told apart by lightness and by their abbreviation.

This module is also where a *side's* colour comes from (``side_colour``), on every screen: the
new game's swatches and map preview, the battle screen's bars and zones, the hand-over. A
side's colour is the family its factions' counters share (the coalition blue, the Ba'athists
red, the jihadists black), never its place in a scenario's list of sides.
"""

from __future__ import annotations

import hashlib
import math

import pygame

from game.ui.mapdraw import font

# Faction colours of the bundled scenarios; others get a colour from their side's family.
FACTION_COLOURS = {
    "us": (70, 110, 190), "uk": (96, 128, 200), "france": (60, 90, 160),
    "canada": (120, 150, 210), "australia": (80, 140, 200), "turkey": (170, 60, 70),
    "saudi": (40, 130, 80), "coalition_others": (110, 130, 170),
    "syrian_opposition": (90, 160, 90), "peshmerga": (210, 170, 50), "ypg": (200, 190, 60),
    "kurds": (210, 170, 50), "sdf": (200, 190, 60), "fsa": (90, 160, 90),
    "iraq": (60, 150, 150), "pmf": (70, 120, 110), "assad": (190, 70, 60),
    "iran": (80, 140, 60), "hezbollah": (230, 200, 40), "russia": (150, 60, 60),
    "isis": (40, 40, 40), "al_qaeda": (110, 90, 80), "hts": (110, 90, 80),
    "hurras": (120, 100, 90), "baath_loyalists": (120, 80, 100),
}
SIDE_FAMILIES = {"coalition": (70, 110, 190), "baathist": (190, 70, 60),
                 "jihadist": (45, 45, 45)}
SPARE = [(46, 160, 70), (232, 168, 28), (150, 74, 196), (120, 120, 120)]
# Okabe-Ito: blue, vermillion, orange, bluish green, reddish purple, sky blue, yellow.
CB_SIDES = {"coalition": (0, 114, 178), "baathist": (213, 94, 0), "jihadist": (40, 40, 40)}
CB_SPARE = [(0, 158, 115), (204, 121, 167), (86, 180, 233), (230, 159, 0)]

ABBREVIATIONS = {
    "us": "US", "uk": "UK", "france": "FR", "canada": "CA", "australia": "AU",
    "turkey": "TR", "saudi": "SA", "coalition_others": "CP", "syrian_opposition": "SO",
    "peshmerga": "PSH", "ypg": "YPG", "kurds": "KRD", "sdf": "SDF", "fsa": "FSA",
    "iraq": "IQ", "pmf": "PMF", "assad": "SAA", "iran": "IR", "hezbollah": "HZB",
    "russia": "RU", "isis": "IS", "al_qaeda": "AQ", "hts": "HTS", "hurras": "HaD",
    "baath_loyalists": "BL",
}

FRAME_FILL = (246, 242, 230)
INK = (20, 20, 24)


def _mix(a, b, t: float):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def _luma(c) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def abbreviation(faction_id: str, name: str = "") -> str:
    if faction_id in ABBREVIATIONS:
        return ABBREVIATIONS[faction_id]
    words = [w for w in (name or faction_id).replace("_", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:3]).upper() or faction_id[:3].upper()


def strength_text(personnel: int) -> str:
    """Strength as a counter shows it: 800, 4.5k, 12k."""
    p = int(personnel)
    if p < 1000:
        return str(int(round(p, -2 if p >= 100 else -1)))
    if p < 10_000:
        return f"{p / 1000:.1f}k"
    return f"{int(round(p / 1000))}k"


def side_colour(side: str, palette: str = "standard", sides=()) -> tuple[int, int, int]:
    """A side's one colour in ``palette``. A side the bundled scenarios do not have takes a
    spare colour by its place among such sides in ``sides`` (the game's sides, in order)."""
    known, spare = (CB_SIDES, CB_SPARE) if palette == "colour-blind" else (SIDE_FAMILIES, SPARE)
    if side in known:
        return known[side]
    others = [s for s in sides if s not in known]
    k = others.index(side) if side in others else len(others)
    return spare[k % len(spare)]


def on_dark(colour) -> tuple[int, int, int]:
    """The same colour, lightened until words in it read on the screens' dark panels (the
    jihadists' black as a grey)."""
    t = 0.0
    while _luma(_mix(colour, (255, 255, 255), t)) < 150 and t < 1.0:
        t += 0.05
    return _mix(colour, (255, 255, 255), t)


def swatch_edge(colour) -> tuple[int, int, int]:
    """An edge that sets a patch of ``colour`` off the map or a panel: light round the dark."""
    return (236, 232, 218) if _luma(colour) < 90 else (20, 20, 20)


class Palette:
    """Faction -> counter colour, and side -> colour, for the standard or the colour-blind
    palette."""

    def __init__(self, factions: dict[str, tuple[str, str]], name: str = "standard",
                 sides=None):
        """``factions``: id -> (name, side id); ``sides``: the game's sides in order (by
        default as the factions name them)."""
        self.name = name
        self.colours: dict[str, tuple[int, int, int]] = {}
        by_side: dict[str, list[str]] = {}
        for fid, (_, side) in sorted(factions.items()):
            by_side.setdefault(side, []).append(fid)
        self.sides = list(sides) if sides is not None else list(by_side)
        for side, fids in by_side.items():
            if name == "colour-blind":
                base = self.side(side)
                for k, fid in enumerate(fids):
                    # Lightness steps within the side's hue: the hue tells the side.
                    t = (k % 4) * 0.16
                    self.colours[fid] = _mix(base, (255, 255, 255), t) if _luma(base) < 120 \
                        else _mix(base, (0, 0, 0), t)
            else:
                for fid in fids:
                    c = FACTION_COLOURS.get(fid)
                    if c is None:
                        base = self.side(side)
                        h = hashlib.blake2b(fid.encode(), digest_size=2).digest()
                        c = _mix(base, (255, 255, 255) if h[0] & 1 else (0, 0, 0),
                                 0.15 + 0.3 * h[1] / 255)
                    self.colours[fid] = c

    def colour(self, faction: str):
        return self.colours.get(faction, (120, 120, 120))

    def side(self, side: str) -> tuple[int, int, int]:
        """The side's colour, as every screen shows it."""
        return side_colour(side, self.name, self.sides)

    def side_text(self, side: str) -> tuple[int, int, int]:
        """The side's colour for its name written on a dark panel."""
        return on_dark(self.side(side))


def _draw_symbol(surf: pygame.Surface, symbol: str, box: pygame.Rect, w: int) -> None:
    """The NATO-style type symbol inside the frame ``box``."""
    x0, y0, x1, y1 = box.left, box.top, box.right - 1, box.bottom - 1
    cx, cy = box.centerx, box.centery
    bw, bh = box.w, box.h

    def cross():
        pygame.draw.line(surf, INK, (x0, y0), (x1, y1), w)
        pygame.draw.line(surf, INK, (x0, y1), (x1, y0), w)

    def oval(sx=0.62, sy=0.52):
        r = pygame.Rect(0, 0, max(4, int(bw * sx)), max(3, int(bh * sy)))
        r.center = (cx, cy)
        pygame.draw.ellipse(surf, INK, r, w)

    def dot(frac=0.22, dy=0.0):
        pygame.draw.circle(surf, INK, (cx, cy + int(bh * dy)), max(1.5, bh * frac))

    if symbol == "infantry":
        cross()
    elif symbol == "mechanized":
        cross()
        oval(0.5, 0.46)
    elif symbol == "armour":
        oval()
    elif symbol == "artillery":
        dot()
    elif symbol == "air_defence":
        dot(0.17, 0.18)
        pygame.draw.arc(surf, INK, pygame.Rect(x0 + bw * 0.15, y0 + bh * 0.2, bw * 0.7, bh * 1.1),
                        0, math.pi, w)
    elif symbol == "special_forces":
        f = font(max(7, int(bh * 0.62)), bold=True)
        t = f.render("SF", True, INK)
        surf.blit(t, t.get_rect(center=(cx, cy + 1)))
    elif symbol == "militia":
        # Irregulars: the cross of infantry and a zig-zag for the guerrilla.
        pygame.draw.line(surf, INK, (x0, y0), (x1, y1), max(1, w - 1))
        pygame.draw.line(surf, INK, (x0, y1), (x1, y0), max(1, w - 1))
        pts = [(x0 + bw * k / 6, cy + (bh * 0.28 if k % 2 else -bh * 0.28)) for k in range(7)]
        pygame.draw.lines(surf, INK, False, pts, w)
    elif symbol == "headquarters":
        f = font(max(7, int(bh * 0.62)), bold=True)
        t = f.render("HQ", True, INK)
        surf.blit(t, t.get_rect(center=(cx, cy + 1)))
    elif symbol == "air_wing":
        # Fixed-wing aviation: two loops meeting in the middle.
        r = max(2, int(min(bw * 0.22, bh * 0.36)))
        pygame.draw.circle(surf, INK, (cx - r, cy), r, w)
        pygame.draw.circle(surf, INK, (cx + r, cy), r, w)
    elif symbol == "naval":
        # An anchor.
        r = max(2, int(bh * 0.3))
        pygame.draw.line(surf, INK, (cx, y0 + 2), (cx, y1 - 1), w)
        pygame.draw.line(surf, INK, (cx - r * 0.7, y0 + bh * 0.3), (cx + r * 0.7, y0 + bh * 0.3), w)
        pygame.draw.arc(surf, INK, pygame.Rect(cx - r * 1.3, y1 - 2 * r, 2.6 * r, 2 * r),
                        math.pi, 2 * math.pi, w)
    else:
        cross()


class CounterArt:
    """Makes and caches counter surfaces."""

    def __init__(self, palette: Palette, symbols: dict[str, str], abbreviations: dict[str, str]):
        self.palette = palette
        self.symbols = symbols  # unit type id -> symbol
        self.abbrevs = abbreviations  # faction id -> abbreviation
        self._cache: dict[tuple, pygame.Surface] = {}
        self._fonts: dict[int, pygame.font.Font] = {}

    def _font(self, px: int) -> pygame.font.Font:
        f = self._fonts.get(px)
        if f is None:
            f = self._fonts[px] = font(px, bold=True)
        return f

    def counter(self, faction: str, type_id: str, personnel: int, size: int,
                mark: str = "") -> pygame.Surface:
        """One counter, ``size`` pixels square; ``mark``: "" or "spent" (no moves left)."""
        text = strength_text(personnel)
        key = ("c", faction, type_id, text, size, mark)
        surf = self._cache.get(key)
        if surf is not None:
            return surf
        colour = self.palette.colour(faction)
        light = _luma(colour) > 150
        fg = INK if light else (250, 250, 246)
        surf = pygame.Surface((size, size), pygame.SRCALPHA)
        body = surf.get_rect()
        pygame.draw.rect(surf, colour, body, border_radius=max(1, size // 10))
        pygame.draw.rect(surf, (10, 10, 12), body, 1, border_radius=max(1, size // 10))
        symbol = self.symbols.get(type_id, "infantry")
        if size < 22:
            # Too small for words: the frame and symbol alone.
            frame = pygame.Rect(0, 0, size - 4, max(4, int(size * 0.56)))
            frame.center = body.center
            pygame.draw.rect(surf, FRAME_FILL, frame)
            _draw_symbol(surf, symbol, frame.inflate(-2, -2), 1)
        else:
            pad = max(2, size // 12)
            line = max(1, size // 24)
            fsize = max(7, int(size * 0.26))
            f = self._font(fsize)
            abbr = f.render(self.abbrevs.get(faction, faction[:3].upper()), True, fg)
            if abbr.get_width() > size - 2 * pad:
                abbr = pygame.transform.smoothscale(
                    abbr, (size - 2 * pad, abbr.get_height()))
            strength = f.render(text, True, fg)
            if strength.get_width() > size - 2 * pad:
                strength = pygame.transform.smoothscale(
                    strength, (size - 2 * pad, strength.get_height()))
            top_h = abbr.get_height() - 2
            bot_h = strength.get_height() - 2
            fh = max(6, size - top_h - bot_h - 2)
            frame = pygame.Rect(pad + 1, top_h + 1, size - 2 * pad - 2, fh)
            surf.blit(abbr, abbr.get_rect(midtop=(size // 2, -1)))
            pygame.draw.rect(surf, FRAME_FILL, frame)
            pygame.draw.rect(surf, INK, frame, line)
            _draw_symbol(surf, symbol, frame.inflate(-2 * line, -2 * line), line)
            surf.blit(strength, strength.get_rect(midbottom=(size // 2, size + 1)))
        if mark == "spent":
            shade = pygame.Surface((size, size), pygame.SRCALPHA)
            shade.fill((0, 0, 0, 90))
            surf.blit(shade, (0, 0))
        self._cache[key] = surf
        return surf

    def stack(self, units: list, size: int, marks: list[str] | None = None) -> pygame.Surface:
        """The top unit's counter over the edges of those beneath, with a count badge.

        ``units``: objects with ``faction``, ``type`` and ``personnel``, the top one first."""
        marks = marks or [""] * len(units)
        key = ("s", size, tuple((u.faction, u.type, strength_text(u.personnel), m)
                                for u, m in zip(units, marks)))
        surf = self._cache.get(key)
        if surf is not None:
            return surf
        n = len(units)
        step = max(2, size // 9)
        depth = min(n, 3) - 1
        surf = pygame.Surface((size + depth * step, size + depth * step), pygame.SRCALPHA)
        for k in range(depth, -1, -1):
            u = units[k]
            surf.blit(self.counter(u.faction, u.type, u.personnel, size, marks[k]),
                      (k * step, depth * step - k * step))
        if n > 1 and size >= 14:
            f = self._font(max(8, int(size * 0.3)))
            t = f.render(str(n), True, (255, 255, 255))
            r = max(t.get_width(), t.get_height()) // 2 + 1
            c = (surf.get_width() - r, r)
            pygame.draw.circle(surf, (200, 30, 30), c, r)
            pygame.draw.circle(surf, (255, 255, 255), c, r, 1)
            surf.blit(t, t.get_rect(center=c))
        if len(self._cache) > 6000:
            self._cache.clear()
        self._cache[key] = surf
        return surf


__all__ = ["ABBREVIATIONS", "CounterArt", "FACTION_COLOURS", "Palette", "abbreviation",
           "on_dark", "side_colour", "strength_text", "swatch_edge"]
