"""Tests for game.hexgrid: algebraic laws via hypothesis, plus hand-checked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.hexgrid import (
    DIRECTION_NAMES,
    DIRECTIONS,
    FLAT,
    POINTY,
    Hex,
    Layout,
    axial_oddr_arrays,
    axial_to_evenq,
    axial_to_evenr,
    axial_to_oddq,
    axial_to_oddr,
    evenq_to_axial,
    evenr_to_axial,
    hex_distance,
    hex_lerp,
    hex_line,
    hex_range,
    hex_ring,
    hex_round,
    oddq_to_axial,
    oddr_axial_arrays,
    oddr_to_axial,
    opposite,
)

coord = st.integers(-1000, 1000)
hexes = st.builds(Hex, coord, coord)
# Lines cost O(distance); a smaller box keeps the file fast without losing generality.
near_hexes = st.builds(Hex, st.integers(-150, 150), st.integers(-150, 150))
directions = st.integers(0, 5)
orientations = st.sampled_from([POINTY, FLAT])
sizes = st.floats(0.5, 80.0, allow_nan=False, allow_infinity=False)
origins = st.floats(-5000.0, 5000.0, allow_nan=False, allow_infinity=False)


@st.composite
def layouts(draw: st.DrawFn, square: bool = False) -> Layout:
    sx = draw(sizes)
    sy = sx if square else draw(sizes)
    return Layout(draw(orientations), (sx, sy), (draw(origins), draw(origins)))


def close(p: tuple[float, float], q: tuple[float, float], tol: float = 1e-6) -> bool:
    return math.isclose(p[0], q[0], abs_tol=tol) and math.isclose(p[1], q[1], abs_tol=tol)


# --- Hex basics -----------------------------------------------------------------------------


def test_cube_constraint_and_arithmetic() -> None:
    h = Hex(2, -5)
    assert h.s == 3
    assert h + Hex(1, 1) == Hex(3, -4)
    assert h - Hex(1, 1) == Hex(1, -6)
    assert h.scale(3) == Hex(6, -15)
    assert {Hex(1, 2): "x"}[Hex(1, 2)] == "x"
    assert sorted([Hex(1, 0), Hex(0, 5), Hex(0, -1)]) == [Hex(0, -1), Hex(0, 5), Hex(1, 0)]
    assert Hex.from_dict(h.to_dict()) == h


def test_direction_table() -> None:
    assert DIRECTIONS == (Hex(1, 0), Hex(1, -1), Hex(0, -1), Hex(-1, 0), Hex(-1, 1), Hex(0, 1))
    assert DIRECTION_NAMES == ("E", "NE", "NW", "W", "SW", "SE")
    assert [opposite(d) for d in range(6)] == [3, 4, 5, 0, 1, 2]
    assert Hex(0, 0).neighbors() == DIRECTIONS


def test_direction_names_match_pointy_pixels_y_down() -> None:
    layout = Layout(POINTY, (1.0, 1.0), (0.0, 0.0))
    expected_angle = {"E": 0, "NE": -60, "NW": -120, "W": 180, "SW": 120, "SE": 60}
    for d, name in zip(DIRECTIONS, DIRECTION_NAMES):
        x, y = layout.hex_to_pixel(d)
        angle = math.degrees(math.atan2(y, x))
        assert math.isclose(angle % 360, expected_angle[name] % 360, abs_tol=1e-9), name
    x, y = layout.hex_to_pixel(Hex(1, -1))
    assert x > 0 and y < 0  # up and to the right on screen


@given(hexes, directions)
def test_opposite_directions_cancel(h: Hex, d: int) -> None:
    assert DIRECTIONS[d] + DIRECTIONS[opposite(d)] == Hex(0, 0)
    assert h.neighbor(d).neighbor(opposite(d)) == h


@given(hexes, directions)
def test_direction_to_inverts_neighbor(h: Hex, d: int) -> None:
    n = h.neighbor(d)
    assert h.direction_to(n) == d
    assert n.direction_to(h) == opposite(d)
    assert h.neighbors()[d] == n


@given(hexes, hexes)
def test_direction_to_none_unless_adjacent(a: Hex, b: Hex) -> None:
    assert (a.direction_to(b) is not None) == (hex_distance(a, b) == 1)


# --- Distance -------------------------------------------------------------------------------


@given(hexes, hexes, hexes)
def test_distance_laws(a: Hex, b: Hex, c: Hex) -> None:
    assert hex_distance(a, a) == 0
    assert hex_distance(a, b) == hex_distance(b, a) == a.distance(b)
    assert hex_distance(a, c) <= hex_distance(a, b) + hex_distance(b, c)
    d = a - b
    assert hex_distance(a, b) == max(abs(d.q), abs(d.r), abs(d.s))


@given(hexes, directions)
def test_neighbor_distance_is_one(h: Hex, d: int) -> None:
    assert hex_distance(h, h.neighbor(d)) == 1


def test_distance_examples() -> None:
    assert hex_distance(Hex(0, 0), Hex(3, -1)) == 3
    assert hex_distance(Hex(0, 0), Hex(2, 2)) == 4
    assert hex_distance(Hex(-1, 4), Hex(2, -2)) == 6


# --- Rings, ranges, lines -------------------------------------------------------------------


@given(hexes, st.integers(0, 40))
def test_ring(center: Hex, radius: int) -> None:
    ring = hex_ring(center, radius)
    assert len(ring) == max(1, 6 * radius)
    assert len(set(ring)) == len(ring)
    assert all(hex_distance(center, h) == radius for h in ring)
    if radius > 0:
        # Walking the ring is a closed loop of single steps.
        assert all(hex_distance(ring[i], ring[i - 1]) == 1 for i in range(len(ring)))


def test_ring_zero_and_one() -> None:
    assert hex_ring(Hex(4, 4), 0) == [Hex(4, 4)]
    assert set(hex_ring(Hex(0, 0), 1)) == set(DIRECTIONS)
    with pytest.raises(ValueError):
        hex_ring(Hex(0, 0), -1)


@given(hexes, st.integers(0, 15))
def test_range(center: Hex, n: int) -> None:
    area = hex_range(center, n)
    assert len(area) == 3 * n * (n + 1) + 1
    assert len(set(area)) == len(area)
    assert all(hex_distance(center, h) <= n for h in area)
    assert area == sorted(area)  # stable q-then-r order
    assert set(area) == {h for k in range(n + 1) for h in hex_ring(center, k)}


@given(near_hexes, near_hexes)
def test_line(a: Hex, b: Hex) -> None:
    line = hex_line(a, b)
    assert len(line) == hex_distance(a, b) + 1
    assert line[0] == a and line[-1] == b
    assert all(hex_distance(line[i], line[i + 1]) == 1 for i in range(len(line) - 1))


def test_line_examples() -> None:
    assert hex_line(Hex(2, 2), Hex(2, 2)) == [Hex(2, 2)]
    assert hex_line(Hex(0, 0), Hex(3, 0)) == [Hex(0, 0), Hex(1, 0), Hex(2, 0), Hex(3, 0)]
    # (0,0)->(2,-1) runs exactly along the side between (1,-1) and (1,0); the nudge decides.
    edge = hex_line(Hex(0, 0), Hex(2, -1))
    assert edge == [Hex(0, 0), Hex(1, 0), Hex(2, -1)]
    assert hex_line(Hex(5, 5), Hex(7, 4)) == [Hex(5, 5), Hex(6, 5), Hex(7, 4)]  # translation-invariant


def test_lerp() -> None:
    assert hex_lerp(Hex(0, 0), Hex(4, -2), 0.5) == (2.0, -1.0)
    assert hex_lerp(Hex(1, 1), Hex(3, 3), 0.0) == (1.0, 1.0)
    assert hex_lerp(Hex(1, 1), Hex(3, 3), 1.0) == (3.0, 3.0)


# --- Rounding -------------------------------------------------------------------------------

jitter = st.floats(-0.24, 0.24, allow_nan=False)


@given(hexes, jitter, jitter)
def test_hex_round_within_cell(h: Hex, dq: float, dr: float) -> None:
    # |dq|, |dr| < 0.25 keeps |ds| < 0.5 too, so the point is strictly inside h's cell.
    assert hex_round(h.q + dq, h.r + dr) == h


@given(layouts(), hexes, st.floats(0.0, 0.95), st.floats(0.0, 2 * math.pi))
def test_pixel_jitter_inside_hex_rounds_back(layout: Layout, h: Hex, frac: float, theta: float) -> None:
    # Pick a point inside the inscribed circle in unit-hex space, then stretch it like the
    # layout does; an affine stretch keeps it inside the (stretched) hex.
    rad = frac * math.sqrt(3) / 2
    cx, cy = layout.hex_to_pixel(h)
    x = cx + rad * math.cos(theta) * layout.size[0]
    y = cy + rad * math.sin(theta) * layout.size[1]
    assert layout.pixel_to_hex(x, y) == h


def test_hex_round_examples() -> None:
    assert hex_round(0.0, 0.0) == Hex(0, 0)
    assert hex_round(0.9, -0.1) == Hex(1, 0)
    assert hex_round(-2.1, 3.05) == Hex(-2, 3)


# --- Offset coordinates ---------------------------------------------------------------------

OFFSETS = [
    (oddr_to_axial, axial_to_oddr),
    (evenr_to_axial, axial_to_evenr),
    (oddq_to_axial, axial_to_oddq),
    (evenq_to_axial, axial_to_evenq),
]


@pytest.mark.parametrize("to_axial, from_axial", OFFSETS)
@given(col=coord, row=coord)
def test_offset_round_trip_from_offset(to_axial, from_axial, col: int, row: int) -> None:  # type: ignore[no-untyped-def]
    assert from_axial(to_axial(col, row)) == (col, row)


@pytest.mark.parametrize("to_axial, from_axial", OFFSETS)
@given(h=hexes)
def test_offset_round_trip_from_axial(to_axial, from_axial, h: Hex) -> None:  # type: ignore[no-untyped-def]
    assert to_axial(*from_axial(h)) == h


def test_offset_examples() -> None:
    assert axial_to_oddr(Hex(0, 1)) == (0, 1)
    assert oddr_to_axial(0, 1) == Hex(0, 1)
    assert oddr_to_axial(0, 2) == Hex(-1, 2)
    assert oddr_to_axial(3, 3) == Hex(2, 3)
    assert axial_to_oddr(Hex(0, -1)) == (-1, -1)  # negative odd row still counts as odd
    assert oddr_to_axial(-1, -1) == Hex(0, -1)
    assert axial_to_evenr(Hex(0, 1)) == (1, 1)
    assert evenr_to_axial(0, 2) == Hex(-1, 2)
    assert axial_to_oddq(Hex(1, 0)) == (1, 0)
    assert axial_to_oddq(Hex(-1, 0)) == (-1, -1)
    assert axial_to_evenq(Hex(1, 0)) == (1, 1)
    assert evenq_to_axial(1, 1) == Hex(1, 0)


def test_oddr_rows_shoved_right_in_pixels() -> None:
    layout = Layout(POINTY, (1.0, 1.0), (0.0, 0.0))
    width = math.sqrt(3)
    for row in range(-3, 4):
        x, _ = layout.hex_to_pixel(oddr_to_axial(0, row))
        assert math.isclose(x, width / 2 if row & 1 else 0.0, abs_tol=1e-9)


def test_oddr_axial_arrays() -> None:
    q, r = oddr_axial_arrays(7, 5)
    assert q.shape == r.shape == (5, 7)
    for row in range(5):
        for col in range(7):
            assert Hex(int(q[row, col]), int(r[row, col])) == oddr_to_axial(col, row)
    assert np.issubdtype(q.dtype, np.integer)


def test_axial_oddr_arrays_agree_with_axial_to_oddr_off_the_rectangle_too() -> None:
    hexes = list(hex_range(Hex(0, 0), 4))
    q = np.array([h.q for h in hexes], dtype=np.int64)
    r = np.array([h.r for h in hexes], dtype=np.int64)
    col, row = axial_oddr_arrays(q, r)
    assert [(int(c), int(w)) for c, w in zip(col, row)] == [axial_to_oddr(h) for h in hexes]


# --- Layout ---------------------------------------------------------------------------------


@given(layouts(), hexes)
def test_pixel_round_trip(layout: Layout, h: Hex) -> None:
    assert layout.pixel_to_hex(*layout.hex_to_pixel(h)) == h
    fq, fr = layout.pixel_to_hex_fractional(*layout.hex_to_pixel(h))
    assert math.isclose(fq, h.q, abs_tol=1e-6) and math.isclose(fr, h.r, abs_tol=1e-6)


def test_layout_examples() -> None:
    layout = Layout(POINTY, (10.0, 10.0), (100.0, 50.0))
    assert layout.hex_to_pixel(Hex(0, 0)) == (100.0, 50.0)
    x, y = layout.hex_to_pixel(Hex(1, 0))
    assert math.isclose(x, 100 + 10 * math.sqrt(3)) and math.isclose(y, 50.0)
    flat = Layout(FLAT, (10.0, 10.0), (0.0, 0.0))
    x, y = flat.hex_to_pixel(Hex(1, 0))
    assert math.isclose(x, 15.0) and math.isclose(y, 5 * math.sqrt(3))


def test_pointy_corner_numbering_y_down() -> None:
    layout = Layout(POINTY, (1.0, 1.0), (0.0, 0.0))
    c = layout.polygon_corners(Hex(0, 0))
    assert len(c) == 6
    assert c[0][0] > 0 and c[0][1] > 0  # lower-right
    assert close(c[1], (0.0, 1.0))  # bottom
    assert c[2][0] < 0 and c[2][1] > 0  # lower-left
    assert c[3][0] < 0 and c[3][1] < 0  # upper-left
    assert close(c[4], (0.0, -1.0))  # top
    assert c[5][0] > 0 and c[5][1] < 0  # upper-right
    assert close(layout.corner_offset(0), (math.sqrt(3) / 2, 0.5))


def test_flat_corner_zero_points_east() -> None:
    layout = Layout(FLAT, (2.0, 3.0), (0.0, 0.0))
    assert close(layout.corner_offset(0), (2.0, 0.0))
    assert close(layout.corner_offset(3), (-2.0, 0.0))


def _corner_indices(layout: Layout, h: Hex, d: int) -> tuple[int, int]:
    corners = layout.polygon_corners(h)
    a, b = layout.edge_corners(h, d)
    return (
        next(i for i, c in enumerate(corners) if close(c, a)),
        next(i for i, c in enumerate(corners) if close(c, b)),
    )


def test_pointy_edge_corner_table() -> None:
    layout = Layout(POINTY, (1.0, 1.0), (0.0, 0.0))
    expected = {"E": (5, 0), "NE": (4, 5), "NW": (3, 4), "W": (2, 3), "SW": (1, 2), "SE": (0, 1)}
    for d, name in enumerate(DIRECTION_NAMES):
        assert _corner_indices(layout, Hex(0, 0), d) == expected[name], name


def test_flat_edge_corner_table() -> None:
    layout = Layout(FLAT, (1.0, 1.0), (0.0, 0.0))
    # Flat-top direction d points at 30 - 60d degrees, so its side spans corners -d and 1-d.
    expected = [((6 - d) % 6, (7 - d) % 6) for d in range(6)]
    assert [_corner_indices(layout, Hex(0, 0), d) for d in range(6)] == expected
    assert expected[0] == (0, 1)


@given(layouts(square=True), hexes, directions)
def test_edge_corners_equidistant_from_both_centres(layout: Layout, h: Hex, d: int) -> None:
    here = layout.hex_to_pixel(h)
    there = layout.hex_to_pixel(h.neighbor(d))
    tol = 1e-6 * max(1.0, layout.size[0])
    for corner in layout.edge_corners(h, d):
        assert math.isclose(math.dist(corner, here), math.dist(corner, there), abs_tol=tol)
        assert math.isclose(math.dist(corner, here), layout.size[0], abs_tol=tol)


@given(layouts(), hexes, directions)
def test_edge_corners_are_corners_of_both_hexes(layout: Layout, h: Hex, d: int) -> None:
    n = h.neighbor(d)
    tol = 1e-6 * max(1.0, *layout.size)
    mine = layout.polygon_corners(h)
    theirs = layout.polygon_corners(n)
    a, b = layout.edge_corners(h, d)
    assert not close(a, b, tol)
    for corner in (a, b):
        assert any(close(corner, c, tol) for c in mine)
        assert any(close(corner, c, tol) for c in theirs)
    # Seen from the neighbour it is the same side, traversed the other way round.
    back = layout.edge_corners(n, opposite(d))
    assert close(a, back[1], tol) and close(b, back[0], tol)
    mid = layout.edge_midpoint(h, d)
    centres_mid = tuple((u + v) / 2 for u, v in zip(layout.hex_to_pixel(h), layout.hex_to_pixel(n)))
    assert close(mid, centres_mid, tol)  # type: ignore[arg-type]
