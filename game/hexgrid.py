"""The engine's hex maths: axial/cube coordinates, offset conversions and pixel layout.

Engine layer, pure maths; never imports pygame. The approach follows Red Blob Games' hex
grid reference (https://www.redblobgames.com/grids/hexagons/): a hex is stored in axial
coordinates ``(q, r)`` and the third cube coordinate ``s = -q - r`` is derived on demand,
so every algorithm that is simplest in cube form (distance, rounding, lines) stays cheap.

The map itself is stored as an odd-r rectangle (pointy-top hexes, odd rows shoved right by
half a hex) and drawn with pixel y pointing down; the other three offset systems and the
flat-top orientation are provided so tools and tests can use them too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import numpy as np

__all__ = [
    "DIRECTIONS",
    "DIRECTION_NAMES",
    "FLAT",
    "POINTY",
    "Hex",
    "Layout",
    "Orientation",
    "axial_oddr_arrays",
    "axial_to_evenq",
    "axial_to_evenr",
    "axial_to_oddq",
    "axial_to_oddr",
    "evenq_to_axial",
    "evenr_to_axial",
    "hex_distance",
    "hex_lerp",
    "hex_line",
    "hex_range",
    "hex_ring",
    "hex_round",
    "oddq_to_axial",
    "oddr_axial_arrays",
    "oddr_to_axial",
    "opposite",
]

Point = tuple[float, float]


class Hex(NamedTuple):
    """One hex in axial coordinates; immutable and hashable so it can key dicts and sets.

    A named tuple: made, hashed and compared in C, which the engine does millions of times a
    turn (its hash is the tuple ``(q, r)``'s, as it always was, so sets and dicts of hexes keep
    their order and a game its checksums). Being a tuple, it equals ``(q, r)`` and orders as
    one: row by row within a column, as before."""

    q: int
    r: int

    @property
    def s(self) -> int:
        return -self.q - self.r

    def __add__(self, o: Hex) -> Hex:  # type: ignore[override]  # a hex's sum, not a tuple's
        return Hex(self.q + o.q, self.r + o.r)

    def __sub__(self, o: Hex) -> Hex:
        return Hex(self.q - o.q, self.r - o.r)

    def scale(self, k: int) -> Hex:
        return Hex(self.q * k, self.r * k)

    def neighbor(self, direction: int) -> Hex:
        d = DIRECTIONS[direction % 6]
        return Hex(self.q + d.q, self.r + d.r)

    def neighbors(self) -> tuple[Hex, ...]:
        q, r = self.q, self.r
        return tuple(Hex(q + d.q, r + d.r) for d in DIRECTIONS)

    def distance(self, other: Hex) -> int:
        return hex_distance(self, other)

    def direction_to(self, other: Hex) -> int | None:
        """Direction index of ``other`` if it is adjacent to this hex, else ``None``."""
        return _DIRECTION_INDEX.get((other.q - self.q, other.r - self.r))

    def to_dict(self) -> dict[str, int]:
        return {"q": self.q, "r": self.r}

    @classmethod
    def from_dict(cls, d: dict[str, int]) -> Hex:
        return cls(int(d["q"]), int(d["r"]))

    def __str__(self) -> str:
        return f"({self.q}, {self.r})"


# Counter-clockwise on screen when pixel y points down; for the pointy-top layout these are
# E, NE, NW, W, SW, SE, so opposite directions are always three steps apart.
DIRECTIONS: tuple[Hex, ...] = (Hex(1, 0), Hex(1, -1), Hex(0, -1), Hex(-1, 0), Hex(-1, 1), Hex(0, 1))
DIRECTION_NAMES: tuple[str, ...] = ("E", "NE", "NW", "W", "SW", "SE")

# Keyed by plain tuples so direction_to needs no Hex allocation for the difference.
_DIRECTION_INDEX: dict[tuple[int, int], int] = {(d.q, d.r): i for i, d in enumerate(DIRECTIONS)}


def opposite(direction: int) -> int:
    return (direction + 3) % 6


def hex_distance(a: Hex, b: Hex) -> int:
    dq = a.q - b.q
    dr = a.r - b.r
    return max(abs(dq), abs(dr), abs(dq + dr))


def hex_ring(center: Hex, radius: int) -> list[Hex]:
    """Hexes at exactly ``radius`` from ``center``: ``[center]`` for 0, else ``6 * radius``."""
    if radius < 0:
        raise ValueError(f"radius must be >= 0, got {radius}")
    if radius == 0:
        return [center]
    results: list[Hex] = []
    # Start on the SW corner of the ring; walking E first then turning through the
    # directions in order traces the six sides without revisiting a hex.
    h = center + DIRECTIONS[4].scale(radius)
    for side in range(6):
        for _ in range(radius):
            results.append(h)
            h = h.neighbor(side)
    return results


def hex_range(center: Hex, n: int) -> list[Hex]:
    """All ``3n(n+1)+1`` hexes within distance ``n``, ordered by q then r."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    results: list[Hex] = []
    for dq in range(-n, n + 1):
        for dr in range(max(-n, -dq - n), min(n, -dq + n) + 1):
            results.append(Hex(center.q + dq, center.r + dr))
    return results


def hex_round(fq: float, fr: float) -> Hex:
    """The hex containing the fractional axial point ``(fq, fr)``."""
    fs = -fq - fr
    q = round(fq)
    r = round(fr)
    s = round(fs)
    dq = abs(q - fq)
    dr = abs(r - fr)
    ds = abs(s - fs)
    # Rounding each coordinate alone can break q + r + s == 0; the one that moved furthest
    # is the least trustworthy, so rebuild it from the other two.
    if dq > dr and dq > ds:
        q = -r - s
    elif dr > ds:
        r = -q - s
    return Hex(int(q), int(r))


def hex_lerp(a: Hex, b: Hex, t: float) -> tuple[float, float]:
    """Fractional axial point a fraction ``t`` of the way from ``a`` to ``b``."""
    return (a.q + (b.q - a.q) * t, a.r + (b.r - a.r) * t)


# Lines that run exactly along hexsides would round to a tie at every other step; pushing
# both endpoints the same tiny way off the edge (keeping q + r + s == 0) breaks every tie
# in one consistent direction.
_LINE_NUDGE_Q = 1e-6
_LINE_NUDGE_R = 1e-6


def hex_line(a: Hex, b: Hex) -> list[Hex]:
    """The ``distance + 1`` hexes from ``a`` to ``b`` inclusive, each adjacent to the next."""
    n = hex_distance(a, b)
    if n == 0:
        return [a]
    aq, ar = a.q + _LINE_NUDGE_Q, a.r + _LINE_NUDGE_R
    dq, dr = b.q - a.q, b.r - a.r
    step = 1.0 / n
    line = [a]
    for i in range(1, n):
        t = i * step
        line.append(hex_round(aq + dq * t, ar + dr * t))
    # The endpoints are known exactly, so only the interior steps need rounding.
    line.append(b)
    return line


# --- Offset coordinates -------------------------------------------------------------------
# Parity is taken with ``& 1``, which is 1 for every odd number including negative ones
# (unlike a truncating remainder), and ``x - (x & 1)`` is always even, so the ``// 2`` is an
# exact halving: maps that extend to negative rows or columns convert correctly.


def oddr_to_axial(col: int, row: int) -> Hex:
    return Hex(col - (row - (row & 1)) // 2, row)


def axial_to_oddr(h: Hex) -> tuple[int, int]:
    return (h.q + (h.r - (h.r & 1)) // 2, h.r)


def evenr_to_axial(col: int, row: int) -> Hex:
    return Hex(col - (row + (row & 1)) // 2, row)


def axial_to_evenr(h: Hex) -> tuple[int, int]:
    return (h.q + (h.r + (h.r & 1)) // 2, h.r)


def oddq_to_axial(col: int, row: int) -> Hex:
    return Hex(col, row - (col - (col & 1)) // 2)


def axial_to_oddq(h: Hex) -> tuple[int, int]:
    return (h.q, h.r + (h.q - (h.q & 1)) // 2)


def evenq_to_axial(col: int, row: int) -> Hex:
    return Hex(col, row - (col + (col & 1)) // 2)


def axial_to_evenq(h: Hex) -> tuple[int, int]:
    return (h.q, h.r + (h.q + (h.q & 1)) // 2)


def oddr_axial_arrays(cols: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Axial ``(q, r)`` arrays of shape ``(rows, cols)`` for an odd-r rectangle at (0, 0).

    Element ``[row, col]`` holds the axial coordinates of offset cell ``(col, row)``, so
    whole-map layers indexed ``[row, col]`` can be combined with axial maths in bulk.
    """
    row, col = np.indices((rows, cols), dtype=np.int64)
    q = col - (row - (row & 1)) // 2
    return q, row


def axial_oddr_arrays(q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Odd-r ``(col, row)`` arrays of axial integer arrays ``q`` and ``r``: ``axial_to_oddr``
    for many hexes at once."""
    return q + (r - (r & 1)) // 2, r


# --- Pixel layout ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Orientation:
    """Forward (f*) and inverse (b*) 2x2 matrices between axial and unit-hex pixel space.

    ``start_angle`` is in sixths of a turn: corner ``i`` sits at ``60 * (i + start_angle)``
    degrees from the hex centre.
    """

    f0: float
    f1: float
    f2: float
    f3: float
    b0: float
    b1: float
    b2: float
    b3: float
    start_angle: float


_SQRT3 = math.sqrt(3.0)

POINTY = Orientation(
    _SQRT3, _SQRT3 / 2.0, 0.0, 3.0 / 2.0,
    _SQRT3 / 3.0, -1.0 / 3.0, 0.0, 2.0 / 3.0,
    0.5,
)  # fmt: skip
FLAT = Orientation(
    3.0 / 2.0, 0.0, _SQRT3 / 2.0, _SQRT3,
    2.0 / 3.0, 0.0, -1.0 / 3.0, _SQRT3 / 3.0,
    0.0,
)  # fmt: skip


@cache
def _edge_first_corners(o: Orientation) -> tuple[int, ...]:
    """For each direction, the lower-numbered-angle corner of that hexside.

    A hexside is centred on the line to the neighbour, so its corners lie 30 degrees either
    side of that direction. Deriving the indices from the matrix (rather than tabulating
    them per orientation) keeps POINTY and FLAT consistent by construction. Scaling x and y
    by the layout size is affine and preserves which corners are shared, so the unit-space
    answer holds for any ``Layout.size``.
    """
    firsts: list[int] = []
    for d in DIRECTIONS:
        x = o.f0 * d.q + o.f1 * d.r
        y = o.f2 * d.q + o.f3 * d.r
        sixths = math.degrees(math.atan2(y, x)) / 60.0
        firsts.append(round(sixths - o.start_angle - 0.5) % 6)
    return tuple(firsts)


@dataclass(frozen=True)
class Layout:
    """Where hexes land in pixel (or world) space.

    ``size`` is centre-to-corner per axis, so unequal values squash the hexes; ``origin`` is
    the position of ``Hex(0, 0)``'s centre. y grows in whatever direction the caller's space
    does; the direction names in this module assume it grows downward, as on screen.
    """

    orientation: Orientation
    size: tuple[float, float]
    origin: tuple[float, float]

    def hex_to_pixel(self, h: Hex) -> Point:
        o = self.orientation
        x = (o.f0 * h.q + o.f1 * h.r) * self.size[0]
        y = (o.f2 * h.q + o.f3 * h.r) * self.size[1]
        return (x + self.origin[0], y + self.origin[1])

    def pixel_to_hex_fractional(self, x: float, y: float) -> tuple[float, float]:
        o = self.orientation
        px = (x - self.origin[0]) / self.size[0]
        py = (y - self.origin[1]) / self.size[1]
        return (o.b0 * px + o.b1 * py, o.b2 * px + o.b3 * py)

    def pixel_to_hex(self, x: float, y: float) -> Hex:
        return hex_round(*self.pixel_to_hex_fractional(x, y))

    def corner_offset(self, corner: int) -> Point:
        angle = math.pi / 3.0 * (corner + self.orientation.start_angle)
        return (self.size[0] * math.cos(angle), self.size[1] * math.sin(angle))

    def polygon_corners(self, h: Hex) -> list[Point]:
        cx, cy = self.hex_to_pixel(h)
        return [(cx + dx, cy + dy) for dx, dy in (self.corner_offset(i) for i in range(6))]

    def edge_corners(self, h: Hex, direction: int) -> tuple[Point, Point]:
        """The two ends of the hexside shared by ``h`` and ``h.neighbor(direction)``."""
        first = _edge_first_corners(self.orientation)[direction % 6]
        cx, cy = self.hex_to_pixel(h)
        ax, ay = self.corner_offset(first)
        bx, by = self.corner_offset((first + 1) % 6)
        return ((cx + ax, cy + ay), (cx + bx, cy + by))

    def edge_midpoint(self, h: Hex, direction: int) -> Point:
        (ax, ay), (bx, by) = self.edge_corners(h, direction)
        return ((ax + bx) / 2.0, (ay + by) / 2.0)
