"""Charts: the game's casualties and dated events beside the source's, drawn with pygame.

UI layer. ``draw_casualties`` draws paired bars (the game, the source) for each casualty
category onto a surface, on a logarithmic scale because the figures run from hundreds to
hundreds of thousands; ``draw_events`` draws the source's dated events on a time line, each
with the window of dates counted as on time, the source's date and each run's date;
``casualty_chart`` writes both for one or more simulated runs to a PNG with no display. The
victory screen draws the same casualty chart in the window.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import statistics

import pygame

from game.compare import arm_names
from game.ui.mapdraw import font

GAME_COLOUR = (196, 86, 52)
SOURCE_COLOUR = (70, 110, 160)
INK = (34, 34, 38)
PAPER = (246, 242, 232)
GRID = (214, 208, 196)
WINDOW_COLOUR = (214, 226, 204)  # the dates counted as on time
OUTSIDE_COLOUR = (236, 231, 219)  # the axis beyond the game's own dates


def _font(size: int, bold: bool = False) -> pygame.font.Font:
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


REFERENCE_COLOUR = (120, 132, 70)  # history's setting beside a what-if game
SOURCE_MARK = (176, 124, 20)  # the source's figure across the two arms of a comparison


def _grid(surface: pygame.Surface, ticks, top: int, bottom: int, f_small) -> None:
    """The chart's vertical grid lines from ``top`` to ``bottom``, each (x, label) with its
    label centred under it."""
    for x, label in ticks:
        pygame.draw.line(surface, GRID, (x, top - 4), (x, bottom))
        txt = f_small.render(label, True, INK)
        surface.blit(txt, (x - txt.get_width() // 2, bottom + 4))


def draw_casualties(surface: pygame.Surface, rect: pygame.Rect, rows, title: str) -> None:
    """Paired horizontal bars per category on a log scale, with the game's spread as whiskers.
    A row is (label, game, source, low, high), or with a sixth figure, history's setting on
    the same seed beside a what-if game, drawn as a third bar."""
    pygame.draw.rect(surface, PAPER, rect)
    f_title, f_label, f_small = _font(20, True), _font(14), _font(12)
    surface.blit(f_title.render(title, True, INK), (rect.x + 16, rect.y + 12))
    top = rect.y + 48
    label_w = 340
    x0 = rect.x + 16 + label_w
    refs = [r[5] if len(r) > 5 else None for r in rows]
    third = any(v is not None for v in refs)

    def value_text(game: float, src, ref=None) -> str:
        return (f"{game:,.0f}" + (f" / {src:,}" if src else "")
                + (f" / {ref:,} in history's setting" if ref is not None else ""))

    # Room on the right for the figures written after the longest bar, and for the last tick.
    room = max([f_small.size(value_text(r[1], r[2], refs[k]))[0] for k, r in enumerate(rows)]
               + [40]) + 8
    width = max(40, rect.right - 16 - room - x0)
    hi = max([max(r[1], r[2] or 0, r[4], refs[k] or 0) for k, r in enumerate(rows)] + [10])
    decades = max(1, math.ceil(math.log10(hi)))

    def xpos(v: float) -> int:
        return x0 + int(width * (math.log10(max(v, 1)) / decades))

    row_h = max(22, (rect.bottom - top - 40) // max(1, len(rows)))
    _grid(surface, [(x0 + int(width * d / decades), f"{10 ** d:,}") for d in range(decades + 1)],
          top, top + row_h * len(rows), f_small)
    for k, row in enumerate(rows):
        label, game, src, lo, hi_ = row[:5]
        ref = refs[k]
        y = top + k * row_h
        surface.blit(f_label.render(label[:46], True, INK), (rect.x + 16, y + 2))
        bar = max(3, (row_h - 4) // 3 - 1) if third else max(4, row_h // 2 - 3)
        pygame.draw.rect(surface, GAME_COLOUR, (x0, y + 1, max(1, xpos(game) - x0), bar))
        if hi_ > lo:
            yy = y + 1 + bar // 2
            pygame.draw.line(surface, INK, (xpos(lo), yy), (xpos(hi_), yy))
        if src:
            pygame.draw.rect(surface, SOURCE_COLOUR, (x0, y + bar + 2, max(1, xpos(src) - x0), bar))
        if ref:
            pygame.draw.rect(surface, REFERENCE_COLOUR,
                             (x0, y + 2 * bar + 3, max(1, xpos(ref) - x0), bar))
        surface.blit(f_small.render(value_text(game, src, ref), True, INK),
                     (max(xpos(game), xpos(src or 1), xpos(ref or 1)) + 6, y + 2))
    ly = rect.bottom - 24
    keys = [("this game (median; line: 10th-90th percentile)", GAME_COLOUR),
            ("the source", SOURCE_COLOUR)]
    if third:
        keys.append(("history's setting", REFERENCE_COLOUR))
    x = rect.x + 16
    for name, colour in keys:
        pygame.draw.rect(surface, colour, (x, ly, 14, 14))
        r = surface.blit(f_small.render(name, True, INK), (x + 20, ly))
        x = max(r.right + 32, x + 380 if not third else 0)


def event_rows_from_results(results: list[dict]) -> list[tuple[str, str, list[str], list, bool]]:
    """(what, source date, window, each run's game date or None, defining) for each of the
    source's dated events (``game.history.judge`` rows in ``results``)."""
    first = results[0].get("history") or []
    return [(row["what"], row["source"], list(row["window"]),
             [r["history"][i]["game"] for r in results], row["defining"])
            for i, row in enumerate(first)]


def events_height(rows) -> int:
    return 96 + 34 * len(rows) if rows else 0


def draw_events(surface: pygame.Surface, rect: pygame.Rect, rows, start: dt.date, end: dt.date,
                title: str) -> None:
    """Each event a row on one time line: its window a band, the source's date a mark, each
    run's date a dot, and a cross at the right margin with the count of runs that never saw it.
    The time line runs over the game's dates and any window or source date beyond them."""
    pygame.draw.rect(surface, PAPER, rect)
    f_title, f_label, f_small = _font(20, True), _font(14), _font(12)
    surface.blit(f_title.render(title, True, INK), (rect.x + 16, rect.y + 12))
    if not rows:
        return
    day = dt.date.fromisoformat
    dates = [start, end] + [day(d) for _, src, window, _, _ in rows for d in [src, *window]]
    lo, hi = min(dates), max(dates)
    span = max(1, (hi - lo).days)
    label_w = 380
    never_w = 90  # the right margin: the crosses of the runs that never saw the event
    x0 = rect.x + 16 + label_w
    width = max(60, rect.right - 16 - never_w - x0)
    top = rect.y + 48
    row_h = 34

    def xpos(d: dt.date) -> int:
        return x0 + round(width * (d - lo).days / span)

    bottom = top + row_h * len(rows)
    # The axis beyond the game's own dates is shaded: a window may reach past them.
    for a, b in ((lo, start), (end, hi)):
        if b > a:
            pygame.draw.rect(surface, OUTSIDE_COLOUR, (xpos(a), top - 4, xpos(b) - xpos(a), bottom - top + 4))
    _grid(surface, [(xpos(d), f"{d.year}" if (hi - lo).days > 3 * 365 else f"{d:%b %Y}")
                    for d in _ticks(lo, hi)], top, bottom, f_small)
    for d, name, side in ((start, "start", 0), (end, "end", 1)):
        x = xpos(d)
        pygame.draw.line(surface, INK, (x, top - 4), (x, bottom))
        txt = f_small.render(name, True, INK)
        # Each word on the inner side of its line, clear of the margin's "never".
        surface.blit(txt, (x + 3 if side == 0 else x - 3 - txt.get_width(), top - 6 - txt.get_height()))
    never_x = rect.right - 16 - never_w // 2
    word = f_small.render("never", True, INK)
    surface.blit(word, (never_x - word.get_width() // 2, top - 6 - word.get_height()))
    for k, (what, src, window, games, defining) in enumerate(rows):
        y = top + k * row_h
        mid = y + row_h // 2
        label = what if defining else f"{what} (not defining)"
        surface.blit(f_label.render(_fit(label, f_label, label_w - 8), True, INK), (rect.x + 16, mid - 9))
        a, b = xpos(day(window[0])), xpos(day(window[1]))
        pygame.draw.rect(surface, WINDOW_COLOUR, (a, y + 5, max(2, b - a), row_h - 10))
        pygame.draw.line(surface, GRID, (x0, mid), (x0 + width, mid))
        sx = xpos(day(src))
        pygame.draw.polygon(surface, SOURCE_COLOUR, [(sx, y + 3), (sx + 6, mid), (sx, y + row_h - 3), (sx - 6, mid)])
        never = 0
        for i, g in enumerate(games):
            if g is None:
                never += 1
                continue
            # Spread over a few lines so that runs on the same date stay countable.
            yy = mid + ((i * 3) % 5 - 2) * 3
            pygame.draw.circle(surface, GAME_COLOUR, (xpos(day(g)), yy), 4)
            pygame.draw.circle(surface, INK, (xpos(day(g)), yy), 4, 1)
        if never:
            pygame.draw.line(surface, GAME_COLOUR, (never_x - 5, mid - 5), (never_x + 5, mid + 5), 3)
            pygame.draw.line(surface, GAME_COLOUR, (never_x - 5, mid + 5), (never_x + 5, mid - 5), 3)
            surface.blit(f_small.render(f"{never}", True, INK), (never_x + 9, mid - 7))
    ly = rect.bottom - 24
    x = rect.x + 16
    for name, draw in (("window counted as on time", "band"), ("the source's date", "mark"),
                       ("a game's date", "dot"), ("games where it never happened", "cross")):
        if draw == "band":
            pygame.draw.rect(surface, WINDOW_COLOUR, (x, ly, 22, 14))
        elif draw == "mark":
            pygame.draw.polygon(surface, SOURCE_COLOUR, [(x + 7, ly), (x + 13, ly + 7), (x + 7, ly + 14), (x + 1, ly + 7)])
        elif draw == "dot":
            pygame.draw.circle(surface, GAME_COLOUR, (x + 7, ly + 7), 4)
            pygame.draw.circle(surface, INK, (x + 7, ly + 7), 4, 1)
        else:
            pygame.draw.line(surface, GAME_COLOUR, (x + 2, ly + 2), (x + 12, ly + 12), 3)
            pygame.draw.line(surface, GAME_COLOUR, (x + 2, ly + 12), (x + 12, ly + 2), 3)
        txt = f_small.render(name, True, INK)
        surface.blit(txt, (x + 28, ly))
        x += 28 + txt.get_width() + 28


def _fit(text: str, font: pygame.font.Font, width: int) -> str:
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "\u2026")[0] > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _ticks(lo: dt.date, hi: dt.date) -> list[dt.date]:
    """First days of years over a long time line, of months (every few) over a short one."""
    days = (hi - lo).days
    if days > 3 * 365:
        return [dt.date(y, 1, 1) for y in range(lo.year + 1, hi.year + 1)]
    step = 1 if days <= 200 else 2 if days <= 420 else 3
    out = []
    y, m = lo.year, lo.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = dt.date(y, m, 1)
        if d > hi:
            return out
        if (m - 1) % step == 0:
            out.append(d)


def casualty_chart(results: list[dict], scenario, path) -> None:
    """The casualties of ``results`` beside the source's, and under them the source's dated
    events beside the games' (if the scenario has any), to a PNG."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    if not pygame.display.get_init():
        pygame.display.init()
    if not pygame.font.get_init():
        pygame.font.init()
    rows = rows_from_results(results)
    events = event_rows_from_results(results)
    high = 110 + 30 * len(rows)
    surf = pygame.Surface((1200, high + events_height(events)))
    n = len(results)
    title = f"{scenario.title}: casualties in {n} game{'s' if n != 1 else ''} beside the source"
    draw_casualties(surf, pygame.Rect(0, 0, 1200, high), rows, title)
    if events:
        on_time = sum(bool(r.get("historical")) for r in results)
        draw_events(surf, pygame.Rect(0, high, 1200, events_height(events)), events, scenario.start,
                    scenario.end, f"The source's dated events beside the games' (historical: "
                    f"{on_time} of {n})")
    pygame.image.save(surf, str(path))


# -- two settings side by side (simulate --compare) ---------------------------------------------

HISTORY_COLOUR = SOURCE_COLOUR
SWITCH_COLOUR = GAME_COLOUR


def _signed(x: float) -> str:
    text = f"{abs(x):,.0f}" if abs(x) >= 10 or x == int(x) else f"{abs(x):,.1f}"
    return ("+" if x > 0 else "-" if x < 0 else "\u00b1") + text


def draw_compare_wins(surface: pygame.Surface, rect: pygame.Rect, comparison: dict, title: str) -> None:
    """Each outcome a pair of bars, history's and the switch's share of the runs, on a 0-100%
    axis with each share's 95% interval as a line, and the difference written at the right."""
    pygame.draw.rect(surface, PAPER, rect)
    f_title, f_label, f_small = _font(20, True), _font(14), _font(12)
    surface.blit(f_title.render(title, True, INK), (rect.x + 16, rect.y + 12))
    rows = comparison["wins"] + [comparison["historical"]]
    label_w, diff_w = 340, 230
    x0 = rect.x + 16 + label_w
    width = rect.right - 16 - diff_w - x0
    top, row_h = rect.y + 72, 40
    surface.blit(f_small.render("difference, share points (95%)", True, INK), (rect.right - diff_w, top - 22))

    def xpos(p: float) -> int:
        return x0 + round(width * p)

    bottom = top + row_h * len(rows)
    _grid(surface, [(xpos(k / 4), f"{25 * k}%") for k in range(5)], top, bottom, f_small)
    for k, row in enumerate(rows):
        y = top + k * row_h
        surface.blit(f_label.render(_fit(row["label"], f_label, label_w - 8), True, INK), (rect.x + 16, y + 10))
        for j, (arm, colour) in enumerate((("history", HISTORY_COLOUR), ("switched", SWITCH_COLOUR))):
            s = row[arm]
            yy = y + 3 + j * 16
            pygame.draw.rect(surface, colour, (x0, yy, max(2, xpos(s["share"]) - x0), 13))
            if "low" in s:
                a, b, mid = xpos(s["low"]), xpos(s["high"]), yy + 6
                pygame.draw.line(surface, INK, (a, mid), (b, mid), 2)
                pygame.draw.line(surface, INK, (a, mid - 4), (a, mid + 4), 2)
                pygame.draw.line(surface, INK, (b, mid - 4), (b, mid + 4), 2)
            count = f_small.render(f"{s['count']}/{s['runs']}", True, INK)
            surface.blit(count, (x0 - count.get_width() - 6, yy))
        d = row["difference"]
        text = f"{100 * d['share']:+.0f}" + (
            f"  ({100 * d['low']:+.0f} to {100 * d['high']:+.0f})" if "low" in d else ""
        )
        surface.blit(f_label.render(text, True, INK), (rect.right - diff_w, y + 10))


def draw_compare_losses(surface: pygame.Surface, rect: pygame.Rect, comparison: dict, title: str) -> None:
    """Each category of losses a pair of bars, history's and the switch's mean per run, on a
    log scale (the figures run from a few aircraft to thousands of dead), with the difference
    of the means and its 95% interval written at the right."""
    pygame.draw.rect(surface, PAPER, rect)
    f_title, f_label, f_small = _font(20, True), _font(14), _font(12)
    surface.blit(f_title.render(title, True, INK), (rect.x + 16, rect.y + 12))
    rows = compare_loss_rows(comparison)
    label_w, diff_w = 340, 230
    x0 = rect.x + 16 + label_w
    top, row_h = rect.y + 72, 36
    surface.blit(f_small.render("difference of the means (95%)", True, INK), (rect.right - diff_w, top - 22))
    room = 70  # for the figure written after the longest bar
    width = rect.right - 16 - diff_w - room - x0
    hi = max([max(r["history"], r["switched"], r.get("source") or 0) for r in rows] + [10])
    decades = max(1, math.ceil(math.log10(hi)))

    def xpos(v: float) -> int:
        return x0 + int(width * (math.log10(max(v, 1)) / decades))

    bottom = top + row_h * len(rows)
    _grid(surface, [(x0 + int(width * d / decades), f"{10 ** d:,}") for d in range(decades + 1)],
          top, bottom, f_small)
    for k, row in enumerate(rows):
        y = top + k * row_h
        surface.blit(f_label.render(_fit(row["label"], f_label, label_w - 8), True, INK), (rect.x + 16, y + 8))
        for j, (arm, colour) in enumerate((("history", HISTORY_COLOUR), ("switched", SWITCH_COLOUR))):
            v = row[arm]
            yy = y + 2 + j * 15
            pygame.draw.rect(surface, colour, (x0, yy, max(2, xpos(v) - x0), 12))
            text = f"{v:,.0f}" if v >= 10 or v == int(v) else f"{v:,.1f}"
            surface.blit(f_small.render(text, True, INK), (max(xpos(v), x0 + 2) + 6, yy - 1))
        src = row.get("source")
        if src:  # the source's dead for the phase: a mark across both bars
            x = xpos(src)
            pygame.draw.line(surface, SOURCE_MARK, (x, y), (x, y + 31), 3)
        d = row["difference"]
        text = _signed(d["difference"])
        if d["low"] is not None:
            text += f"  ({_signed(d['low'])} to {_signed(d['high'])})" if d["high"] > d["low"] else "  (no spread)"
        surface.blit(f_label.render(_fit(text, f_label, diff_w - 4), True, INK), (rect.right - diff_w, y + 8))


def compare_loss_rows(comparison: dict) -> list[dict]:
    """The loss rows worth a bar: the totals, and the categories with losses in either arm."""
    return [r for r in comparison["losses"] if not r["id"].startswith("killed:") or r["history"] or r["switched"]]


def _legend(surface: pygame.Surface, x: int, y: int, comparison: dict, names: tuple[str, str]) -> None:
    f_small = _font(12)
    for name, colour in ((names[0], HISTORY_COLOUR), (names[1], SWITCH_COLOUR)):
        pygame.draw.rect(surface, colour, (x, y, 14, 14))
        txt = f_small.render(name, True, INK)
        surface.blit(txt, (x + 20, y))
        x += 20 + txt.get_width() + 28
    if any(r.get("source") for r in comparison["losses"]):
        pygame.draw.line(surface, SOURCE_MARK, (x + 6, y), (x + 6, y + 14), 3)
        txt = f_small.render("the source's dead", True, INK)
        surface.blit(txt, (x + 16, y))
        x += 16 + txt.get_width() + 28
    if comparison["intervals"]:
        pygame.draw.line(surface, INK, (x, y + 7), (x + 22, y + 7), 2)
        pygame.draw.line(surface, INK, (x, y + 3), (x, y + 11), 2)
        pygame.draw.line(surface, INK, (x + 22, y + 3), (x + 22, y + 11), 2)
        surface.blit(f_small.render("95% interval (Wilson)", True, INK), (x + 30, y))


def compare_chart(comparison: dict, title: str, path) -> None:
    """The comparison of ``game.compare.compare`` to a PNG: who wins in each arm, with intervals, and
    the losses by category, with no display."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    if not pygame.display.get_init():
        pygame.display.init()
    if not pygame.font.get_init():
        pygame.font.init()
    n = comparison["runs"]
    seeds = comparison["seeds"]
    head_h = 92
    wins_h = 72 + 40 * (len(comparison["wins"]) + 1) + 30
    losses_h = 72 + 36 * len(compare_loss_rows(comparison)) + 30
    surf = pygame.Surface((1200, head_h + wins_h + losses_h))
    surf.fill(PAPER)
    f_title, f_small = _font(22, True), _font(13)
    surf.blit(f_title.render(_fit(f"{title}: history beside \"{comparison['switch']['title']}\"", f_title, 1168),
                             True, INK), (16, 12))
    seed_words = f"seed {seeds[0]}" if n == 1 else f"seeds {seeds[0]}-{seeds[-1]}"
    words = (f"{n} game{'s' if n != 1 else ''} of each setting on the same {seed_words}; differences are the "
             f"switch's arm less history's" + ("" if comparison["intervals"] else "; one game each: no intervals"))
    surf.blit(f_small.render(words, True, INK), (16, 44))
    _legend(surf, 16, 66, comparison, arm_names(comparison))
    draw_compare_wins(surf, pygame.Rect(0, head_h, 1200, wins_h), comparison, "Who wins (share of the games)")
    draw_compare_losses(surf, pygame.Rect(0, head_h + wins_h, 1200, losses_h), comparison,
                        "Losses (mean per game, log scale)")
    pygame.image.save(surf, str(path))
