"""Charts: the game's casualties beside the source's table, drawn with pygame.

UI layer. ``draw_casualties`` draws paired bars (the game, the source) for each casualty
category onto a surface, on a logarithmic scale because the figures run from hundreds to
hundreds of thousands; ``casualty_chart`` writes the chart of one or more simulated runs to a
PNG with no display. The victory screen draws the same chart in the window.
"""

from __future__ import annotations

import math
import os
import statistics

import pygame

GAME_COLOUR = (196, 86, 52)
SOURCE_COLOUR = (70, 110, 160)
INK = (34, 34, 38)
PAPER = (246, 242, 232)
GRID = (214, 208, 196)


def _font(size: int, bold: bool = False) -> pygame.font.Font:
    from game.ui.mapdraw import font

    return font(size, bold=bold)


def rows_from_results(results: list[dict]) -> list[tuple[str, float, float | None, float, float]]:
    """(label, median game losses, source figure, 10th, 90th percentile) for each category,
    then civilians."""
    n = len(results)
    out = []
    first = results[0]["casualties"]["categories"]
    for i, row in enumerate(first):
        vals = sorted(r["casualties"]["categories"][i]["game"] for r in results)
        out.append((row["label"], statistics.median(vals), row.get("source"),
                    vals[int(0.1 * (n - 1))], vals[int(0.9 * (n - 1))]))
    civ = sorted(r["civilians"] for r in results)
    src = results[0]["casualties"].get("civilians", {}).get("source")
    out.append(("Civilians", statistics.median(civ), src, civ[int(0.1 * (n - 1))], civ[int(0.9 * (n - 1))]))
    return out


def draw_casualties(surface: pygame.Surface, rect: pygame.Rect, rows, title: str) -> None:
    """Paired horizontal bars per category on a log scale, with the game's spread as whiskers."""
    pygame.draw.rect(surface, PAPER, rect)
    f_title, f_label, f_small = _font(20, True), _font(14), _font(12)
    surface.blit(f_title.render(title, True, INK), (rect.x + 16, rect.y + 12))
    top = rect.y + 48
    label_w = 340
    x0 = rect.x + 16 + label_w

    def value_text(game: float, src) -> str:
        return f"{game:,.0f}" + (f" / {src:,}" if src else "")

    # Room on the right for the figures written after the longest bar, and for the last tick.
    room = max([f_small.size(value_text(g, s))[0] for _, g, s, _, _ in rows] + [40]) + 8
    width = max(40, rect.right - 16 - room - x0)
    hi = max([max(g, s or 0, h) for _, g, s, _, h in rows] + [10])
    decades = max(1, math.ceil(math.log10(hi)))

    def xpos(v: float) -> int:
        return x0 + int(width * (math.log10(max(v, 1)) / decades))

    row_h = max(22, (rect.bottom - top - 40) // max(1, len(rows)))
    for d in range(decades + 1):
        x = x0 + int(width * d / decades)
        pygame.draw.line(surface, GRID, (x, top - 4), (x, top + row_h * len(rows)))
        txt = f_small.render(f"{10 ** d:,}", True, INK)
        surface.blit(txt, (x - txt.get_width() // 2, top + row_h * len(rows) + 4))
    for k, (label, game, src, lo, hi_) in enumerate(rows):
        y = top + k * row_h
        surface.blit(f_label.render(label[:46], True, INK), (rect.x + 16, y + 2))
        bar = max(4, row_h // 2 - 3)
        pygame.draw.rect(surface, GAME_COLOUR, (x0, y + 1, max(1, xpos(game) - x0), bar))
        if hi_ > lo:
            yy = y + 1 + bar // 2
            pygame.draw.line(surface, INK, (xpos(lo), yy), (xpos(hi_), yy))
        if src:
            pygame.draw.rect(surface, SOURCE_COLOUR, (x0, y + bar + 2, max(1, xpos(src) - x0), bar))
        surface.blit(f_small.render(value_text(game, src), True, INK),
                     (max(xpos(game), xpos(src or 1)) + 6, y + 2))
    ly = rect.bottom - 24
    for i, (name, colour) in enumerate((("this game (median; line: 10th-90th percentile)", GAME_COLOUR),
                                         ("the source", SOURCE_COLOUR))):
        x = rect.x + 16 + i * 380
        pygame.draw.rect(surface, colour, (x, ly, 14, 14))
        surface.blit(f_small.render(name, True, INK), (x + 20, ly))


def casualty_chart(results: list[dict], scenario, path) -> None:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    if not pygame.display.get_init():
        pygame.display.init()
    if not pygame.font.get_init():
        pygame.font.init()
    rows = rows_from_results(results)
    surf = pygame.Surface((1200, 110 + 30 * len(rows)))
    n = len(results)
    title = f"{scenario.title}: casualties in {n} game{'s' if n != 1 else ''} beside the source"
    draw_casualties(surf, surf.get_rect(), rows, title)
    pygame.image.save(surf, str(path))
