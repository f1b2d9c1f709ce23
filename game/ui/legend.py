"""The battle map's legend: terrain colours, map symbols, unit symbols, counter markers and
the overlays' colours, drawn as one panel for the help screen (F1).

UI layer (pygame). ``legend_surface`` draws what the battle screen draws, with the same
colours and the same counters (``game.ui.counters.CounterArt``), so that the key cannot
drift from the map.
"""

from __future__ import annotations

import math

import pygame

from game.hexmap import TERRAIN_LABELS, TERRAINS
from game.ui.battle_layers import SUPPLY_COLOURS
from game.ui.counters import CounterStatus
from game.ui.mapdraw import (BORDER_COLOUR, CITY_FILL, CITY_RING, CROSSING_EDGE, CROSSING_FILL,
                             RIVER_COLOUR, ROAD_COLOUR, TERRAIN_COLOURS)
from game.ui.style import BRASS, EDGE, INK, PANEL, Fonts, sz

TYPE_NAMES = {"armour": "armour", "mechanized": "mechanised infantry", "infantry": "infantry",
              "special_forces": "special forces", "militia": "militia", "artillery": "artillery",
              "air_defence": "air defence", "headquarters": "headquarters",
              "air_wing": "air wing", "naval_group": "naval group"}


def _hexagon(surf, centre, r, colour, width=0):
    pts = [(centre[0] + r * math.cos(math.radians(60 * i + 30)),
            centre[1] + r * math.sin(math.radians(60 * i + 30))) for i in range(6)]
    pygame.draw.polygon(surf, colour, pts, width)


def legend_surface(scale: float, art=None, faction: str | None = None,
                   unit_types=(), width: int | None = None) -> pygame.Surface:
    """The legend as one surface, laid out in columns of sections to ``width``."""
    f = Fonts(scale)
    icon = sz(22, scale)
    line = max(icon, f.small.get_linesize()) + sz(4, scale)
    pad = sz(14, scale)

    sections: list[tuple[str, list[tuple[object, str]]]] = []
    sections.append(("Terrain", [(("hex", TERRAIN_COLOURS[t]), TERRAIN_LABELS.get(t, t))
                                 for t in TERRAINS]))
    sections.append(("The map", [
        (("town", None), "town (bold names: the large ones)"),
        (("flag", (70, 110, 190)), "a town's holder, in its side's colour"),
        (("line", RIVER_COLOUR), "river along the hexsides"),
        (("line", ROAD_COLOUR), "road"),
        (("line", BORDER_COLOUR), "border"),
        (("crossing", None), "border crossing"),
    ]))
    units = []
    if art is not None and faction is not None:
        for t in unit_types:
            surf = art.counter(faction, t, 5000, sz(30, scale))
            units.append((("surf", surf), TYPE_NAMES.get(t, t.replace("_", " "))))
    if units:
        sections.append(("Units", units))
    markers = []
    if art is not None and faction is not None and unit_types:
        big = sz(34, scale)
        t0 = "infantry" if "infantry" in unit_types else unit_types[0]
        for status, text in (
                (CounterStatus(strength=0.8, fit=0.6),
                 "fit to fight; bar: of its most, grey: unfit"),
                (CounterStatus(strength=1.0, can_move=True), "green pip: can still move"),
                (CounterStatus(strength=1.0, spent=True), "grey frame: has done all it can"),
                (CounterStatus(strength=1.0, supplied=False), "red disc: out of supply"),
                (CounterStatus(strength=1.0, entrenched=2), "bracket under it: dug in")):
            markers.append((("surf", art.counter(faction, t0, 5000, big, status=status)), text))
        markers.append((("mark", "stack"), "badge: units in the stack"))
        icon = max(icon, big)
        line = max(icon, f.small.get_linesize()) + sz(4, scale)
    else:
        markers = [(("text", "5.0k"), "people fit to fight"),
                   (("mark", "stack"), "badge: units in the stack")]
    sections.append(("Counters", markers))
    sections.append(("Orders and overlays", [
        (("outline", (255, 226, 60)), "where the selected unit can go"),
        (("outline", (235, 40, 30)), "an enemy it can attack or strike"),
        (("outline", (255, 150, 40)), "an air wing's or fleet's reach"),
        (("hex", SUPPLY_COLOURS["in"]), "S: in supply"),
        (("hex", SUPPLY_COLOURS["cut"]), "S: supply cut by the enemy"),
        (("hex", SUPPLY_COLOURS["far"]), "S: beyond supply's reach"),
        (("hex", (220, 40, 40)), "Z: an enemy's zone of control"),
        (("ring", (40, 90, 220)), "air patrol"),
        (("ring", (230, 120, 20)), "close air support"),
        (("hex", (18, 20, 26)), "fog: not seen by your side"),
    ]))

    def draw_icon(surf, kind, x, y):
        what, value = kind
        c = (x + icon // 2, y + icon // 2)
        if what == "hex":
            _hexagon(surf, c, icon // 2, value)
            _hexagon(surf, c, icon // 2, (30, 30, 30), 1)
        elif what == "outline":
            _hexagon(surf, c, icon // 2 - 1, value, 3)
        elif what == "ring":
            pygame.draw.circle(surf, value, c, icon // 2 - 1, 2)
        elif what == "line":
            pygame.draw.line(surf, value, (x, c[1]), (x + icon, c[1]), 3)
        elif what == "town":
            pygame.draw.circle(surf, CITY_RING, c, icon // 4 + 1)
            pygame.draw.circle(surf, CITY_FILL, c, icon // 4)
        elif what == "flag":
            pygame.draw.line(surf, (20, 20, 20), (x + 4, y + 2), (x + 4, y + icon - 2))
            pygame.draw.rect(surf, value, (x + 5, y + 2, icon // 2, icon // 3))
        elif what == "crossing":
            r = icon // 4
            pts = [(c[0], c[1] - r), (c[0] + r, c[1]), (c[0], c[1] + r), (c[0] - r, c[1])]
            pygame.draw.polygon(surf, CROSSING_FILL, pts)
            pygame.draw.polygon(surf, CROSSING_EDGE, pts, 1)
        elif what == "surf":
            surf.blit(value, value.get_rect(center=c))
        elif what == "text":
            t = f.bold.render(value, True, INK)
            surf.blit(t, t.get_rect(center=c))
        elif what == "mark":
            box = pygame.Rect(x + 2, y + 2, icon - 4, icon - 4)
            pygame.draw.rect(surf, (200, 200, 200), box)
            if value == "supply":
                pygame.draw.polygon(surf, (220, 30, 30), [box.topright, (box.right - 9, box.top),
                                                          (box.right, box.top + 9)])
            elif value == "dug":
                pygame.draw.lines(surf, (20, 20, 20), False,
                                  [(box.left, box.top + 5), (box.left, box.bottom),
                                   (box.right, box.bottom), (box.right, box.top + 5)], 2)
            elif value == "spent":
                shade = pygame.Surface(box.size, pygame.SRCALPHA)
                shade.fill((40, 40, 40, 150))
                surf.blit(shade, box)
            elif value == "stack":
                pygame.draw.circle(surf, (250, 250, 250), box.topright, 6)
                t = f.small.render("2", True, (20, 20, 20))
                surf.blit(t, t.get_rect(center=box.topright))

    col_w = sz(300, scale)
    heights = [f.head.get_linesize() + sz(6, scale) + line * len(items) + pad
               for _, items in sections]
    width = width or col_w * 3 + pad * 4
    cols = max(1, min(len(sections), (width - pad) // (col_w + pad)))
    # Sections go down the columns in order, each column as tall as the share it needs.
    total = sum(heights)
    per = total / cols
    columns: list[list[int]] = [[]]
    acc = 0.0
    for i, h in enumerate(heights):
        if columns[-1] and acc + h / 2 > per * len(columns) and len(columns) < cols:
            columns.append([])
        columns[-1].append(i)
        acc += h
    height = max(sum(heights[i] for i in col) for col in columns) + pad
    surf = pygame.Surface((len(columns) * (col_w + pad) + pad, height), pygame.SRCALPHA)
    surf.fill((*PANEL, 0))
    for c, col in enumerate(columns):
        x = pad + c * (col_w + pad)
        y = pad // 2
        for i in col:
            title, items = sections[i]
            t = f.head.render(title, True, BRASS)
            surf.blit(t, (x, y))
            y += f.head.get_linesize() + sz(6, scale)
            for kind, text in items:
                draw_icon(surf, kind, x, y)
                t = f.small.render(text, True, INK)
                surf.blit(t, (x + icon + sz(8, scale), y + (icon - t.get_height()) // 2))
                y += line
            y += pad
    pygame.draw.line(surf, EDGE, (0, 0), (0, height), 1)
    return surf


__all__ = ["legend_surface"]
