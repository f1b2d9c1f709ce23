"""Unit counters in the wargame convention, drawn once and kept as surfaces.

UI layer (pygame). A counter tells friend from foe first and the rest after, as
``play-experience.md`` asks:

- Its body is in its *side's* colour (the coalition blue, the Ba'athists red, the jihadists
  black, other sides spare colours chosen to stay apart), in every palette, so "mine", "my
  allies" and "the enemy" read before anything else. The side is looked up when the counter is
  drawn, so a faction that changes side (Iraq in November 2014) changes colour.
- The frame round the NATO-style type symbol (``symbol`` in ``game/rules/units.toml``) takes
  its shape from the viewer, as MIL-STD-2525 does: the viewer's own side a rectangle, a side at
  war with it pointed at both ends (the hostile diamond, flattened to leave the symbol room), a
  side at peace with it a square. With no viewer (a watched game) every frame is a rectangle.
- The faction is the second cue: a tag in the faction's own colour with its abbreviation.
- The people fit to fight in figures below it, and on the bottom edge a bar of the unit's
  whole strength (fit, wounded and shaken) against the most it has had, the part not fit to
  fight (``fit``) greyed: a unit just in a fight shows a shorter bright part, which grows back
  as its shaken rally and its wounded return.
- Markers: out of supply a red no-entry disc at the top right, dug in a bracket under the frame
  (its arms higher with each level), moves left a green pip, spent a greyed frame, and a
  stack's count on a badge beyond its corner.

Below 30 pixels the strength in figures goes, below 22 the abbreviation (the tag stays, a patch
of the faction's colour); colour, frame, bar and markers stay down to 12. Surfaces are cached
by everything they show, so a steady frame only blits.

This module is also where a *side's* colour comes from (``side_colour``), on every screen: the
new game's swatches and map preview, the battle screen's bars and zones, the hand-over.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import math
from dataclasses import dataclass, replace

import pygame

from game.ui.mapdraw import font

# The factions' own colours, for the tag that names a faction on its counter; factions of
# other scenarios take one from their side's colour.
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
SPENT_FILL = (150, 150, 144)  # the frame of a unit with no moves left
INK = (20, 20, 24)
LIGHT_INK = (250, 250, 246)
NO_SUPPLY = (222, 28, 28)
MOVES_PIP = (120, 240, 110)
BAR_TROUGH = (16, 16, 18)
BAR_UNFIT = (128, 128, 124)  # the share of the strength not fit to fight
UNKNOWN = (120, 120, 120)

# How far apart two sides' colours must be, as CIE76 colour differences (about 2.3 is the
# least a person notices side by side; 30 is "another colour" at a glance). In the
# colour-blind palette the least over normal vision and simulated protanopia, deuteranopia
# and tritanopia.
MIN_SIDE_DISTANCE = {"standard": 30.0, "colour-blind": 15.0}

SMALL = 22  # below this many pixels a counter has no words
STRENGTH_WORDS = 30  # below this the bar alone tells the strength


def _mix(a, b, t: float):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def _luma(c) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


# -- colour differences ------------------------------------------------------------------------

def _to_linear(v: float) -> float:
    v /= 255.0
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _from_linear(v: float) -> float:
    v = min(1.0, max(0.0, v))
    return 255.0 * (v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055)


def _lab(c) -> tuple[float, float, float]:
    r, g, b = (_to_linear(x) for x in c)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


# Machado, Oliveira and Fernandes (2009), severity 1: linear RGB as a dichromat sees it.
_CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def seen_with(colour, deficiency: str) -> tuple[int, int, int]:
    """``colour`` as a person with ``deficiency`` (a key of the simulation table: protanopia,
    deuteranopia, tritanopia) sees it."""
    lin = [_to_linear(x) for x in colour]
    return tuple(int(round(_from_linear(sum(m * v for m, v in zip(row, lin)))))
                 for row in _CVD[deficiency])


def colour_distance(a, b) -> float:
    """CIE76 difference of two sRGB colours."""
    return math.dist(_lab(a), _lab(b))


def side_distance(a, b, palette: str = "standard") -> float:
    """How far apart two sides' colours look in ``palette``: for the colour-blind palette the
    least over normal vision and the three dichromacies."""
    d = colour_distance(a, b)
    if palette == "colour-blind":
        for k in _CVD:
            d = min(d, colour_distance(seen_with(a, k), seen_with(b, k)))
    return d


@functools.lru_cache(maxsize=4)
def _candidates(palette: str) -> tuple:
    """Colours a side beyond the spares may take: hues round the wheel at three strengths."""
    out = []
    for s, v in ((0.8, 0.85), (0.55, 0.55), (0.45, 0.95)):
        for k in range(24):
            out.append(tuple(int(round(255 * x)) for x in colorsys.hsv_to_rgb(k / 24, s, v)))
    out += [(g, g, g) for g in (90, 160, 210)]
    return tuple(out)


@functools.lru_cache(maxsize=128)
def _side_colours(palette: str, sides: tuple) -> dict:
    known, spare = (CB_SIDES, CB_SPARE) if palette == "colour-blind" else (SIDE_FAMILIES, SPARE)
    out = {s: known[s] for s in sides if s in known}
    others = [s for s in dict.fromkeys(sides) if s not in known]
    for k, s in enumerate(others):
        if k < len(spare):
            out[s] = spare[k]
        else:
            # Past the spares: the colour farthest from every one already given.
            used = list(out.values())
            out[s] = max(_candidates(palette),
                         key=lambda c: min(side_distance(c, u, palette) for u in used))
    return out


def side_colour(side: str, palette: str = "standard", sides=()) -> tuple[int, int, int]:
    """A side's one colour in ``palette``: the family of the bundled sides (the coalition blue,
    the Ba'athists red, the jihadists black); a side they do not have takes a spare colour by
    its place among such sides in ``sides`` (the game's sides, in order), and past the spares
    the colour farthest from the others'."""
    sides = tuple(sides)
    if side not in sides:
        sides += (side,)
    return _side_colours(palette, sides)[side]


def abbreviation(faction_id: str, name: str = "") -> str:
    if faction_id in ABBREVIATIONS:
        return ABBREVIATIONS[faction_id]
    words = [w for w in (name or faction_id).replace("_", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:3]).upper() or faction_id[:3].upper()


def whole_strength(unit) -> int:
    """A unit's whole strength: its people fit to fight, wounded and shaken (a ``Unit``'s or a
    ``UnitView``'s ``strength``; of a thing with only ``personnel``, that)."""
    return max(int(getattr(unit, "strength", 0) or 0), int(unit.personnel))


def fit_share(unit) -> float | None:
    """The share of a unit's whole strength fit to fight (None: all of it, or nothing known)."""
    whole = whole_strength(unit)
    if whole <= 0 or unit.personnel >= whole:
        return None
    return max(0.0, unit.personnel / whole)


def strength_text(personnel: int) -> str:
    """Strength as a counter shows it: 800, 4.5k, 12k."""
    p = int(personnel)
    if p < 1000:
        return str(int(round(p, -2 if p >= 100 else -1)))
    if p < 10_000:
        return f"{p / 1000:.1f}k"
    return f"{int(round(p / 1000))}k"


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


def _faction_colour(fid: str, side_base) -> tuple[int, int, int]:
    c = FACTION_COLOURS.get(fid)
    if c is None:
        h = hashlib.blake2b(fid.encode(), digest_size=2).digest()
        c = _mix(side_base, (255, 255, 255) if h[0] & 1 else (0, 0, 0), 0.15 + 0.3 * h[1] / 255)
    return c


_KEEP = object()


class Palette:
    """Counter colours for one palette (standard or colour-blind): a counter's body in its
    side's colour, a faction's own colour for its tag, and who the viewer is.

    The factions' sides are the ones given at construction or at the last ``sync``; every
    lookup also takes a side, so a caller that knows the side at draw time passes it."""

    def __init__(self, factions: dict[str, tuple[str, str]], name: str = "standard",
                 sides=None, viewer: str | None = None, hostile=None):
        """``factions``: id -> (name, side id); ``sides``: the game's sides in order (by
        default as the factions name them); ``viewer``: the side whose eyes the frames follow
        (None: a watched game, every frame a rectangle); ``hostile``: the sides at war with
        the viewer (None: every other side)."""
        self.name = name
        self._side_cache: dict[str, tuple[int, int, int]] = {}
        self.factions_side: dict[str, str] = {f: s for f, (_, s) in factions.items()}
        self.sides = list(sides) if sides is not None else \
            list(dict.fromkeys(s for _, (_, s) in sorted(factions.items())))
        self.faction_colours = {f: _faction_colour(f, self.side(s))
                                for f, (_, s) in sorted(factions.items())}
        self.viewer = viewer
        self.hostile = set(hostile) if hostile is not None else None
        self._synced = None

    @classmethod
    def for_state(cls, state, name: str = "standard", viewer: str | None = None) -> "Palette":
        """The palette of a game (``GameState``), seen by ``viewer``, its wars included."""
        pal = cls({f: (fac.name, fac.side) for f, fac in state.factions.items()}, name,
                  state.sides)
        pal.sync(state, viewer)
        return pal

    def sync(self, state, viewer=_KEEP) -> bool:
        """Take the factions' sides and the wars from ``state`` (a ``GameState`` or a
        ``SideView``), and the viewer if given. Cheap when nothing changed, so it may run
        every frame; says whether anything did."""
        if viewer is not _KEEP:
            self.viewer = viewer
        facs = state.factions
        sides = tuple((f, fac.side if hasattr(fac, "side") else fac[1]) for f, fac in facs.items())
        key = (sides, frozenset(state.at_war), self.viewer)
        if key == self._synced:
            return False
        self._synced = key
        for f, s in sides:
            self.factions_side[f] = s
            if f not in self.faction_colours:
                self.faction_colours[f] = _faction_colour(f, self.side(s))
        if self.viewer is None:
            self.hostile = None
        else:
            mine = [f for f, s in sides if s == self.viewer]
            self.hostile = {self.factions_side[o] for pair in state.at_war
                            for f in mine if f in pair for o in pair if o != f}
            self.hostile.discard(self.viewer)
        return True

    def side_of(self, faction: str) -> str | None:
        return self.factions_side.get(faction)

    def colour(self, faction: str, side: str | None = None) -> tuple[int, int, int]:
        """A counter's body colour: the colour of ``side``, by default the faction's side."""
        side = side or self.factions_side.get(faction)
        return self.side(side) if side else UNKNOWN

    def faction_colour(self, faction: str) -> tuple[int, int, int]:
        """The faction's own colour, for its tag."""
        c = self.faction_colours.get(faction)
        if c is None:
            c = self.faction_colours[faction] = _faction_colour(
                faction, self.colour(faction))
        return c

    def side(self, side: str) -> tuple[int, int, int]:
        """The side's colour, as every screen shows it."""
        c = self._side_cache.get(side)
        if c is None:
            c = self._side_cache[side] = side_colour(side, self.name, self.sides)
        return c

    def side_text(self, side: str) -> tuple[int, int, int]:
        """The side's colour for its name written on a dark panel."""
        return on_dark(self.side(side))

    def affiliation(self, side: str | None) -> str:
        """``side`` as the viewer sees it: "friend", "hostile", "neutral", or "" when there is
        no viewer (or no side)."""
        if self.viewer is None or side is None:
            return ""
        if side == self.viewer:
            return "friend"
        if self.hostile is None or side in self.hostile:
            return "hostile"
        return "neutral"


@dataclass(frozen=True)
class CounterStatus:
    """What a counter shows of a unit's state beyond its kind and strength in figures.

    ``supplied``: False draws the out-of-supply mark. ``entrenched``: the level dug in (0-3),
    a bracket under the frame. ``spent``: no moves left (the frame greyed). ``can_move``: moves
    left (a green pip); leave both False where they do not apply (another side's unit, another
    side's turn). ``strength``: the whole strength against the unit's full strength, 0-1
    (None: no bar). ``fit``: the share of that strength fit to fight, 0-1 (None: all of it);
    the rest of the bar (the wounded and shaken) is greyed."""

    supplied: bool = True
    entrenched: int = 0
    spent: bool = False
    can_move: bool = False
    strength: float | None = None
    fit: float | None = None

    @classmethod
    def of(cls, unit, full: int | None = None, own_turn: bool = False,
           fit: float | None = None) -> "CounterStatus":
        """The status of a ``Unit`` (or a ``UnitView``) whose full strength is ``full``
        people; ``own_turn``: the viewer's own unit in the viewer's turn, whose moves show;
        ``fit`` by default the share of its strength fit to fight (``fit_share``).
        A supply the unit does not show (an enemy's ``UnitView``: None) is not marked."""
        moves = getattr(unit, "moves_left", None)
        can_move = own_turn and moves is not None and moves > 0
        return cls(supplied=getattr(unit, "supplied", True) is not False,
                   entrenched=int(getattr(unit, "entrenchment", 0) or 0),
                   spent=own_turn and not can_move, can_move=can_move,
                   strength=min(1.0, whole_strength(unit) / full) if full else None,
                   fit=fit_share(unit) if fit is None else fit)


def _clamp01(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else float(x)


@dataclass(frozen=True)
class CounterLayout:
    """Where the parts of a counter ``size`` pixels square go."""

    size: int
    radius: int  # of the body's corners
    words: bool  # big enough for the faction's abbreviation
    strength: bool  # big enough for the strength in figures
    font_px: int
    tag: pygame.Rect  # the faction's tag (top left)
    frame: pygame.Rect  # the box of the type symbol's frame
    text: pygame.Rect  # the strength's row
    bar: pygame.Rect  # the strength bar's trough
    supply: tuple[int, int, int]  # the out-of-supply disc: centre x, y and radius
    pip: tuple[int, int, int]  # the moves-left pip: centre x, y and radius


@functools.lru_cache(maxsize=16)
def _caps(px: int) -> tuple[int, int]:
    """The top and height of capitals and figures in the bold face at ``px`` pixels, inside
    the surface the font renders: words on a counter are cut to this band to save its room."""
    r = font(px, bold=True).render("H0", True, (0, 0, 0)).get_bounding_rect()
    return r.top, r.h


@functools.lru_cache(maxsize=128)
def counter_layout(size: int) -> CounterLayout:
    """The parts' places on a counter ``size`` pixels square. From the top: the faction's tag
    on the top edge, the frame, room for the dug-in bracket, the strength, the bar on the
    bottom edge; every row is what its capitals need and no more, so that the frame keeps its
    height at 32 pixels."""
    size = int(size)
    radius = max(1, size // 10)
    inset = max(2, radius)
    if size < SMALL:
        bar = pygame.Rect(inset, size - 2, size - 2 * inset, 2)
        tag = pygame.Rect(1, 0, max(3, round(size * 0.42)), max(3, round(size * 0.22)))
        top = tag.bottom + 1
        frame = pygame.Rect(2, top, size - 4, max(4, bar.top - 2 - top))
        r = max(2, round(size * 0.17))
        return CounterLayout(size, radius, False, False, 0, tag, frame,
                             pygame.Rect(2, bar.top, size - 4, 0), bar,
                             (size - r - 1, r + 1, r), (size - 3, bar.top - 2, 1))
    pad = max(2, size // 12)
    fpx = max(7, int(size * 0.23))
    cap = _caps(fpx)[1]
    bh = max(3, round(size * 0.125))
    bar = pygame.Rect(inset, size - bh, size - 2 * inset, bh)
    strength = size >= STRENGTH_WORDS
    text = pygame.Rect(pad, bar.top - cap, size - 2 * pad, cap) if strength \
        else pygame.Rect(pad, bar.top, size - 2 * pad, 0)
    tag = pygame.Rect(pad - 1, 0, size - 2 * pad, cap + 2)
    bracket = max(1, size // 24) + 1
    frame = pygame.Rect(pad + 1, tag.bottom, size - 2 * pad - 2,
                        max(6, text.top - bracket - tag.bottom))
    r = max(3, round(size * 0.13))
    pr = max(2, round(size * 0.06))
    pip = (size - pad - pr, text.centery, pr) if strength \
        else (size - pad - pr, bar.top - pr - 1, pr)
    return CounterLayout(size, radius, True, strength, fpx, tag, frame, text, bar,
                         (size - r - 2, r + 1, r), pip)


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




def _bar_fill(lay: CounterLayout) -> pygame.Rect:
    """Where the strength bar's fill goes inside its trough: a pixel in from its edges where
    the bar has the height for it."""
    bar = lay.bar
    return bar.inflate(-2, -2) if bar.h > 2 else bar.inflate(-2, 0)


def _frame_shape(frame: pygame.Rect, affiliation: str, line: int):
    """The frame's outline for the viewer's ``affiliation`` to the unit, inside the room
    ``frame``, and the box its type symbol fits in: (points, symbol box). The symbol keeps
    MIL-STD-2525's proportions (half as wide again as high); the room to the sides stays in the
    side's colour."""
    h = frame.h
    if affiliation == "neutral":
        w = h + 2
    elif affiliation == "hostile":
        # The hostile diamond, flattened: pointed at both ends, the symbol between the points.
        w = round(h * 1.6) + 2 * max(2, h // 2)
    else:
        w = round(h * 1.6)
    box = pygame.Rect(0, 0, min(frame.w, w), h)
    box.center = frame.center
    x0, y0, x1, y1 = box.left, box.top, box.right - 1, box.bottom - 1
    if affiliation == "hostile":
        k = max(2, min(h // 2, box.w // 4))
        cy = (y0 + y1) / 2
        pts = [(x0, cy), (x0 + k, y0), (x1 - k, y0), (x1, cy), (x1 - k, y1), (x0 + k, y1)]
        return pts, pygame.Rect(x0 + k, y0 + line, box.w - 2 * k, h - 2 * line)
    pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    return pts, box.inflate(-2 * line, -2 * line)


class CounterArt:
    """Makes and caches counter surfaces.

    It also keeps each unit's full strength, the most people it has been seen with, fit or not
    (``remember``; a unit's whole strength only falls in this game, its shaken and wounded
    counted in it, so from a game's first turn that is its strength on arrival), for the
    strength bar of counters drawn without a status."""

    def __init__(self, palette: Palette, symbols: dict[str, str], abbreviations: dict[str, str]):
        self.palette = palette
        self.symbols = symbols  # unit type id -> symbol
        self.abbrevs = abbreviations  # faction id -> abbreviation
        self.full: dict[str, int] = {}  # unit id -> full strength (people, fit or not)
        self._cache: dict[tuple, pygame.Surface] = {}
        self._fonts: dict[int, pygame.font.Font] = {}

    def _font(self, px: int) -> pygame.font.Font:
        f = self._fonts.get(px)
        if f is None:
            f = self._fonts[px] = font(px, bold=True)
        return f

    def _words(self, px: int, text: str, colour, width: int) -> pygame.Surface:
        """``text`` in the bold face, cut to its capitals' band and squeezed into ``width``."""
        surf = self._font(px).render(text, True, colour)
        top, h = _caps(px)
        surf = surf.subsurface((0, top, surf.get_width(), min(h + 1, surf.get_height() - top)))
        if surf.get_width() > width > 0:
            return pygame.transform.smoothscale(surf, (width, surf.get_height()))
        return surf

    # -- strength --------------------------------------------------------------------------

    def remember(self, units) -> None:
        """Note the units' whole strength as their full strength where it is the most seen
        yet (the battle screen may call it with a game's starting units to know the full
        strength of units first seen later worn down)."""
        full = self.full
        for u in units:
            uid = getattr(u, "id", None)
            if uid is not None and whole_strength(u) > full.get(uid, 0):
                full[uid] = whole_strength(u)

    def status_of(self, unit, mark: str = "", own_turn: bool = False,
                  fit: float | None = None) -> CounterStatus:
        """The status a game's unit shows (``mark`` "spent": no moves left), with its strength
        against the full strength ``remember`` keeps."""
        self.remember((unit,))
        st = CounterStatus.of(unit, self.full.get(getattr(unit, "id", None)), own_turn, fit)
        if mark == "spent" and not st.spent:
            st = replace(st, spent=True, can_move=False)
        return st

    def _auto_status(self, unit, mark: str) -> CounterStatus:
        # A unit of a game (one that can dig in) shows what it carries; anything else (the
        # editor's order of battle) shows its kind and strength alone.
        if hasattr(unit, "entrenchment"):
            return self.status_of(unit, mark)
        return CounterStatus(spent=mark == "spent")

    # -- counters --------------------------------------------------------------------------

    def counter(self, faction: str, type_id: str, personnel: int, size: int,
                mark: str = "", side: str | None = None,
                status: CounterStatus | None = None) -> pygame.Surface:
        """One counter, ``size`` pixels square, of ``faction``'s unit of type ``type_id``.

        ``side``: the faction's side now (by default the palette's); ``status``: its markers
        and bars (by default none); ``mark``: "spent" greys it as having no moves left."""
        return self._counter(faction, type_id, personnel, size, mark, side, status)[1]

    def _counter(self, faction, type_id, personnel, size, mark, side, status):
        if status is None:
            status = CounterStatus(spent=mark == "spent")
        elif mark == "spent" and not status.spent:
            status = replace(status, spent=True, can_move=False)
        pal = self.palette
        side = side or pal.side_of(faction)
        body = pal.colour(faction, side)
        aff = pal.affiliation(side)
        lay = counter_layout(size)
        if status.strength is None:
            bars = None
        else:
            # The bar in whole pixels, so that the cache holds one surface a length.
            n = round(_bar_fill(lay).w * _clamp01(status.strength))
            fit = n if status.fit is None else round(n * _clamp01(status.fit))
            if fit == n > 1 and status.fit is not None and status.fit < 1.0:
                fit = n - 1  # some out of the fight: never lost in the rounding
            bars = (n, fit)
        text = strength_text(personnel) if lay.strength else ""
        key = ("c", faction, body, aff, type_id, text, size, status.supplied,
               min(3, max(0, status.entrenched)), status.spent,
               status.can_move and not status.spent, bars)
        surf = self._cache.get(key)
        if surf is None:
            surf = self._draw(lay, faction, body, aff, type_id, text, status, bars)
            if len(self._cache) > 6000:
                self._cache.clear()
            self._cache[key] = surf
        return key, surf

    def unit_counter(self, unit, side: str | None, size: int,
                     status: CounterStatus | None = None) -> pygame.Surface:
        """The counter of one unit (a ``Unit`` or ``UnitView``) of ``side`` (None: the
        palette's side for its faction); ``status`` by default from the unit itself."""
        if status is None:
            status = self._auto_status(unit, "")
        return self.counter(unit.faction, unit.type, unit.personnel, size, side=side,
                            status=status)

    def _draw(self, lay: CounterLayout, faction: str, body, aff: str, type_id: str, text: str,
              status: CounterStatus, bars) -> pygame.Surface:
        size = lay.size
        fg = INK if _luma(body) > 150 else LIGHT_INK
        surf = pygame.Surface((size, size), pygame.SRCALPHA)
        rect = surf.get_rect()
        radius = lay.radius
        pygame.draw.rect(surf, body, rect, border_radius=radius)
        pygame.draw.rect(surf, (10, 10, 12), rect, 1, border_radius=radius)

        # The faction's tag: its colour, and its abbreviation where there is room for words.
        tag_colour = self.palette.faction_colour(faction)
        tag = lay.tag.copy()
        edge = swatch_edge(tag_colour) if abs(_luma(tag_colour) - _luma(body)) < 40 \
            else (10, 10, 12)
        if lay.words:
            room = lay.tag.w - (2 * lay.supply[2] + 2 if not status.supplied else 0)
            abbr = self._words(lay.font_px, self.abbrevs.get(faction, faction[:3].upper()),
                          INK if _luma(tag_colour) > 140 else LIGHT_INK, room - 4)
            tag.w = abbr.get_width() + 4
        corners = {"border_top_left_radius": radius, "border_bottom_right_radius": radius // 2}
        pygame.draw.rect(surf, tag_colour, tag, **corners)
        pygame.draw.rect(surf, edge, tag, 1, **corners)
        if lay.words:
            surf.blit(abbr, abbr.get_rect(center=(tag.centerx, tag.centery + 1)))

        # The frame, shaped by the viewer's affiliation to the unit, and the type symbol.
        line = max(1, size // 24)
        pts, box = _frame_shape(lay.frame, aff, line)
        xs = [p[0] for p in pts]
        pygame.draw.polygon(surf, SPENT_FILL if status.spent else FRAME_FILL, pts)
        pygame.draw.polygon(surf, INK, pts, line)
        _draw_symbol(surf, self.symbols.get(type_id, "infantry"), box, line)

        level = min(3, max(0, status.entrenched))
        if level:
            # Dug in: a bracket under the frame, its arms the higher the deeper.
            f = lay.frame
            w = max(1, size // 24)
            arm = max(2, round(f.h * (0.3 + 0.25 * (level - 1))))
            xl = max(1 + w // 2, min(xs) - w // 2 - 2)
            xr = min(size - 2 - w // 2, max(xs) + w // 2 + 2)
            yb = f.bottom + (w - 1) // 2
            pygame.draw.lines(surf, fg, False,
                              [(xl, yb - arm), (xl, yb), (xr, yb), (xr, yb - arm)], w)

        if lay.strength:
            pr = lay.pip[2] * 2 + 2 if status.can_move and not status.spent else 0
            t = self._words(lay.font_px, text, fg, lay.text.w - 2 * pr)
            surf.blit(t, t.get_rect(midtop=(size // 2, lay.text.top)))

        if bars is not None:
            pygame.draw.rect(surf, BAR_TROUGH, lay.bar)
            n, fit = bars
            inner = _bar_fill(lay)
            frac = n / max(1, inner.w)
            colour = (110, 210, 90) if frac >= 0.67 else (236, 200, 50) if frac >= 0.34 \
                else (240, 128, 40)
            if n:
                surf.fill(BAR_UNFIT, (inner.left, inner.top, n, inner.h))
            if fit:
                surf.fill(colour, (inner.left, inner.top, fit, inner.h))

        if status.can_move and not status.spent:
            x, y, r = lay.pip
            pygame.draw.circle(surf, (10, 10, 12), (x, y), r + 1)
            pygame.draw.circle(surf, MOVES_PIP, (x, y), r)
        if not status.supplied:
            # Out of supply: a red no-entry disc, ringed in white to show on the red body too.
            x, y, r = lay.supply
            pygame.draw.circle(surf, (255, 255, 255), (x, y), r + 1)
            pygame.draw.circle(surf, NO_SUPPLY, (x, y), r)
            if r >= 4:
                pygame.draw.line(surf, (255, 255, 255), (x - r + 2, y), (x + r - 2, y),
                                 max(1, r // 3))
        return surf

    def stack(self, units: list, size: int, marks: list[str] | None = None,
              statuses: list[CounterStatus | None] | None = None,
              sides: list[str | None] | None = None) -> pygame.Surface:
        """The top unit's counter over the edges of those beneath, with a count badge beyond
        the stack's corner. The surface's bottom-left corner is the top counter's.

        ``units``: objects with ``faction``, ``type`` and ``personnel``, the top one first;
        ``marks``: "spent" or "" each; ``statuses``: each unit's ``CounterStatus`` (by default
        what a game's unit carries: supply, entrenchment, strength against ``remember``);
        ``sides``: each unit's side now (by default the palette's)."""
        n = len(units)
        marks = marks or [""] * n
        sides = sides or [None] * n
        statuses = statuses or [None] * n
        shown = min(n, 3)
        keys, surfs = [], []
        for k in range(shown):
            u = units[k]
            st = statuses[k] if statuses[k] is not None else self._auto_status(u, marks[k])
            key, s = self._counter(u.faction, u.type, u.personnel, size, marks[k], sides[k], st)
            keys.append(key)
            surfs.append(s)
        key = ("s", n, tuple(keys))
        surf = self._cache.get(key)
        if surf is not None:
            return surf
        step = max(2, size // 9)
        depth = shown - 1
        r = 0
        badge = None
        if n > 1 and size >= 14:
            f = self._font(max(8, int(size * 0.3)))
            badge = f.render(str(n), True, (255, 255, 255))
            r = max(badge.get_width(), badge.get_height()) // 2 + 1
        margin = max(0, r - depth * step // 2) if badge is not None else 0
        w = size + depth * step + margin
        surf = pygame.Surface((w, w), pygame.SRCALPHA)
        for k in range(depth, -1, -1):
            surf.blit(surfs[k], (k * step, margin + (depth - k) * step))
        if badge is not None:
            c = (w - r - 1, r + 1)
            pygame.draw.circle(surf, (255, 255, 255), c, r + 1)
            pygame.draw.circle(surf, (24, 24, 28), c, r)
            surf.blit(badge, badge.get_rect(center=c))
        if len(self._cache) > 6000:
            self._cache.clear()
        self._cache[key] = surf
        return surf


__all__ = ["ABBREVIATIONS", "CounterArt", "CounterLayout", "CounterStatus", "FACTION_COLOURS",
           "MIN_SIDE_DISTANCE", "Palette", "abbreviation", "colour_distance", "counter_layout",
           "fit_share", "on_dark", "seen_with", "side_colour", "side_distance", "strength_text",
           "swatch_edge", "whole_strength"]
