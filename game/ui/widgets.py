"""The look shared by the game's screens: one pygame_gui theme, the UI scale, fonts, colours.

UI layer (pygame, pygame_gui). ``theme(scale)`` is the one theme of every screen, a dark
military style whose fonts and paddings follow the player's UI scale; ``make_manager`` makes
a ``UIManager`` with it. ``GuiScene`` is the base of the screens built from pygame_gui
widgets (menus, dialogs, results): it lays its widgets out again whenever the window's size
or the UI scale changes, gives Esc (back) and Enter (confirm) the same meaning everywhere, and
lets Tab and the arrow keys move a focus ring over its buttons. ``font`` draws plain text in
the theme's typeface for what a scene paints itself (the hand-over screen, the help overlay).
``row_list`` is a selection list whose rows carry two lines (a title, and the facts under it),
for lists whose entries need more than a name (scenarios, saves).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pygame
import pygame_gui

from game.ui.counters import side_colour as colour_of
from game.ui.scene import Scene
# Colours, sizes and the typeface are the window's one style; these names are kept here for
# the screens that take them from this module.
from game.ui.style import (AIM, BACKDROP, BACKDROP_LINE, BIG, BODY, BRASS, ERROR, GOOD,  # noqa: F401
                           HEADING, INK, MUTED, OLIVE, PANEL, PANEL_EDGE, SMALL, TITLE, font,
                           scaled)


def side_colour(palette: str, side, sides=()) -> tuple[int, int, int]:
    """A side's one colour, the same on every screen (``game.ui.counters.side_colour``): by
    its id, with the game's ``sides`` in order for sides the bundled scenarios do not have."""
    return colour_of(side, palette, sides)


def hex_colour(rgb) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def wrap(text: str, fnt: pygame.font.Font, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels (a long word stands alone)."""
    lines: list[str] = []
    for para in str(text).splitlines() or [""]:
        words = para.split()
        line = ""
        for w in words:
            trial = f"{line} {w}" if line else w
            if fnt.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = w
        lines.append(line)
    return lines


def fit_text(text: str, fnt: pygame.font.Font, width: int) -> str:
    """``text``, cut short with an ellipsis if it is wider than ``width`` pixels."""
    if fnt.size(text)[0] <= width:
        return text
    while text and fnt.size(text + "\u2026")[0] > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def title_style(text: str, width: int, scale: float) -> tuple[str, str]:
    """A centred title's theme id and text for a label ``width`` wide: the title's size if it
    fits, else a smaller one, and cut short only if even that is too wide."""
    if font(scaled(TITLE, scale), bold=True).size(text)[0] <= width:
        return "#title", text
    return "#title_small", fit_text(text, font(scaled(BIG, scale), bold=True), width)


def escape(text: str) -> str:
    """Plain text made safe for a pygame_gui text box (which reads a little HTML)."""
    return html.escape(text, quote=False).replace("\n", "<br>")


# -- the theme ---------------------------------------------------------------------------------

def theme(scale: float = 1.0) -> dict:
    """The one pygame_gui theme of the game, with fonts and paddings for ``scale``."""
    def fnt(size, bold=False):
        d = {"name": "noto_sans", "size": str(scaled(size, scale))}
        if bold:
            d["bold"] = "1"
        return d

    shape = {"shape": "rounded_rectangle", "shape_corner_radius": str(scaled(3, scale)),
             "border_width": "1", "shadow_width": "0",
             "text_horiz_alignment_padding": str(scaled(10, scale))}
    return {
        "defaults": {
            "colours": {
                "normal_bg": "#394131", "hovered_bg": "#4a5640", "disabled_bg": "#23271f",
                "selected_bg": "#5d6b33", "active_bg": "#6b7a3a", "dark_bg": hex_colour(PANEL),
                "disabled_dark_bg": "#1c1f19",
                "normal_text": hex_colour(INK), "hovered_text": "#fffbe8", "disabled_text": "#6e6f62",
                "selected_text": "#fffbe8", "active_text": "#fffbe8",
                "normal_border": "#5a6449", "hovered_border": hex_colour(BRASS),
                "disabled_border": "#33382c", "selected_border": hex_colour(BRASS),
                "active_border": hex_colour(BRASS), "text_cursor": hex_colour(BRASS),
                "link_text": hex_colour(BRASS), "link_hover": "#f0d080", "link_selected": "#f0d080",
                "filled_bar": hex_colour(OLIVE), "unfilled_bar": "#23271f",
            },
            "font": fnt(BODY),
        },
        "button": {"misc": dict(shape), "font": fnt(BODY)},
        "label": {"colours": {"dark_bg": "#00000000", "normal_text": hex_colour(INK)},
                  "font": fnt(BODY), "misc": {"text_horiz_alignment": "left"}},
        "panel": {"colours": {"dark_bg": hex_colour(PANEL), "normal_border": hex_colour(PANEL_EDGE)},
                  "misc": {"shape": "rounded_rectangle", "shape_corner_radius": str(scaled(4, scale)),
                           "border_width": "1", "shadow_width": "0"}},
        "text_box": {"colours": {"dark_bg": "#1d211b", "normal_border": "#3f4736"},
                     "font": fnt(BODY),
                     "misc": {"padding": f"{scaled(8, scale)},{scaled(6, scale)}",
                              "border_width": "1", "shadow_width": "0"}},
        "text_entry_line": {"colours": {"dark_bg": "#161914", "normal_border": hex_colour(PANEL_EDGE)},
                            "font": fnt(BODY),
                            "misc": {"padding": f"{scaled(6, scale)},{scaled(4, scale)}",
                                     "border_width": "1", "shadow_width": "0"}},
        "selection_list": {"colours": {"dark_bg": "#1d211b", "normal_border": "#3f4736"},
                           "misc": {"list_item_height": str(scaled(30, scale)),
                                    "border_width": "1", "shadow_width": "0"}},
        "selection_list.@selection_list_item": {
            "colours": {"normal_bg": "#1d211b", "hovered_bg": "#2f3729", "selected_bg": "#5d6b33",
                        "selected_border": hex_colour(BRASS)},
            "font": fnt(BODY),
            "misc": {"text_horiz_alignment": "left",
                     "text_horiz_alignment_padding": str(scaled(10, scale))}},
        "drop_down_menu": {"font": fnt(BODY), "misc": {"border_width": "1", "shadow_width": "0"}},
        "drop_down_menu.#selected_option": {"font": fnt(BODY),
                                            "misc": {"text_horiz_alignment": "left"}},
        "drop_down_menu.#drop_down_options_list": {"misc": {"list_item_height": str(scaled(28, scale))}},
        "drop_down_menu.#drop_down_options_list.@selection_list_item": {
            "font": fnt(BODY), "misc": {"text_horiz_alignment": "left"}},
        "check_box": {"font": fnt(BODY)},
        "vertical_scroll_bar": {"colours": {"dark_bg": "#1d211b"},
                                "misc": {"border_width": "0", "shadow_width": "0"}},
        "#title": {"font": fnt(TITLE, True), "colours": {"normal_text": hex_colour(BRASS)},
                   "misc": {"text_horiz_alignment": "center"}},
        "#title_small": {"font": fnt(BIG, True), "colours": {"normal_text": hex_colour(BRASS)},
                         "misc": {"text_horiz_alignment": "center"}},
        ROW_LIST_ID: {"misc": {"list_item_height": str(row_height(scale))}},
        # The rows' words are painted by draw_rows, two lines each: the buttons' own are hidden.
        f"{ROW_LIST_ID}.@selection_list_item": {"colours": {
            k: "#00000000" for k in ("normal_text", "hovered_text", "selected_text",
                                     "active_text", "disabled_text")}},
        "#subtitle": {"font": fnt(BODY + 1), "colours": {"normal_text": hex_colour(MUTED)},
                      "misc": {"text_horiz_alignment": "center"}},
        "#plain": {"colours": {"dark_bg": "#00000000", "normal_border": "#00000000"},
                   "misc": {"border_width": "0", "padding": f"{scaled(8, scale)},{scaled(8, scale)}"}},
        "#info": {"font": fnt(BODY), "colours": {"normal_text": hex_colour(MUTED)}},
        "#centre": {"misc": {"text_horiz_alignment": "center"}},
        "#right": {"font": fnt(SMALL), "colours": {"normal_text": hex_colour(MUTED)},
                   "misc": {"text_horiz_alignment": "right"}},
        "#heading": {"font": fnt(HEADING, True), "colours": {"normal_text": hex_colour(BRASS)}},
        "#big": {"font": fnt(BIG, True), "colours": {"normal_text": hex_colour(INK)}},
        "#muted": {"font": fnt(SMALL), "colours": {"normal_text": hex_colour(MUTED)}},
        "#aim": {"font": fnt(SMALL), "colours": {"normal_text": hex_colour(AIM)}},
        "#note": {"font": fnt(BODY), "colours": {"normal_text": hex_colour(GOOD)}},
        "#what_if": {"font": fnt(SMALL, True), "colours": {"normal_text": hex_colour(BRASS)}},
        "#error_centre": {"font": fnt(BODY), "colours": {"normal_text": hex_colour(ERROR)},
                          "misc": {"text_horiz_alignment": "center"}},
        "#error": {"font": fnt(BODY), "colours": {"normal_text": hex_colour(ERROR)}},
        "#menu_button": {"font": fnt(BODY + 3, True)},
        "#primary": {"font": fnt(BODY + 1, True),
                     "colours": {"normal_bg": "#5d6b33", "hovered_bg": "#748541",
                                 "normal_border": hex_colour(BRASS)}},
        "#danger": {"colours": {"normal_bg": "#6a2f24", "hovered_bg": "#8a3c2d"}},
    }


def make_manager(size: tuple[int, int], scale: float = 1.0) -> pygame_gui.UIManager:
    return pygame_gui.UIManager(size, theme(scale), enable_live_theme_updates=False)


# -- drawing -----------------------------------------------------------------------------------

_backdrops: dict[tuple[int, int], pygame.Surface] = {}


def draw_backdrop(screen: pygame.Surface) -> None:
    """The dark background of the menus: a faint grid of hexes, a darker band at the foot."""
    size = screen.get_size()
    surf = _backdrops.get(size)
    if surf is None:
        _backdrops.clear()
        surf = pygame.Surface(size)
        surf.fill(BACKDROP)
        w, h = size
        r = 34
        dx, dy = r * 3 ** 0.5, r * 1.5
        row = 0
        y = 0.0
        while y < h + r:
            x = (dx / 2) * (row % 2)
            while x < w + dx:
                pts = [(x + r * _COS[i], y + r * _SIN[i]) for i in range(6)]
                pygame.draw.polygon(surf, BACKDROP_LINE, pts, 1)
                x += dx
            y += dy
            row += 1
        shade = pygame.Surface((w, h // 3), pygame.SRCALPHA)
        for k in range(shade.get_height()):
            a = int(120 * k / max(1, shade.get_height()))
            pygame.draw.line(shade, (0, 0, 0, a), (0, k), (w, k))
        surf.blit(shade, (0, h - shade.get_height()))
        _backdrops[size] = surf
    screen.blit(surf, (0, 0))


_COS = [0.0, 0.8660254, 0.8660254, 0.0, -0.8660254, -0.8660254]
_SIN = [-1.0, -0.5, 0.5, 1.0, 0.5, -0.5]


def draw_below(scene, screen: pygame.Surface) -> None:
    """Draw what lies under an overlay: the scene below it on the stack, or the backdrop."""
    below = scene.app.below(scene)
    if below is None:
        draw_backdrop(screen)
        return
    if isinstance(below, GuiScene) and below.manager is not None:
        below.manager.update(0.0)  # widgets made since its last frame get their pictures
    below.draw(screen)


def dim(screen: pygame.Surface, alpha: int = 170) -> None:
    """Darken what is on the screen (under an overlay)."""
    veil = pygame.Surface(screen.get_size(), pygame.SRCALPHA)
    veil.fill((8, 10, 8, alpha))
    screen.blit(veil, (0, 0))


def draw_panel(screen: pygame.Surface, rect: pygame.Rect, scale: float = 1.0) -> None:
    pygame.draw.rect(screen, PANEL, rect, border_radius=scaled(6, scale))
    pygame.draw.rect(screen, PANEL_EDGE, rect, 1, border_radius=scaled(6, scale))


def blit_text(screen, text: str, fnt, colour, pos, anchor: str = "topleft") -> pygame.Rect:
    surf = fnt.render(text, True, colour)
    rect = surf.get_rect(**{anchor: pos})
    screen.blit(surf, rect)
    return rect


# -- lists -------------------------------------------------------------------------------------

def select_row(lst: pygame_gui.elements.UISelectionList, index: int) -> None:
    """Select row ``index`` of a single-selection list (as a click would, without the event)
    and scroll it into view."""
    for i, item in enumerate(lst.item_list):
        item["selected"] = i == index
        button = item.get("button_element")
        if button is not None:
            button.select() if i == index else button.unselect()
    bar = lst.scroll_bar
    if bar is not None and lst.item_list:
        item_h = lst.list_item_height
        visible = lst.list_and_scroll_bar_container.relative_rect.height
        total = item_h * len(lst.item_list)
        top = bar.start_percentage * total
        y = index * item_h
        if y < top or y + item_h > top + visible:
            start = min(max(0.0, (y - visible / 2 + item_h / 2) / total), 1 - visible / total)
            bar.set_scroll_from_start_percentage(start)
            bar.has_moved_recently = True
            lst.update(0.0)


def selected_row(lst: pygame_gui.elements.UISelectionList) -> int | None:
    for i, item in enumerate(lst.item_list):
        if item["selected"]:
            return i
    return None


@dataclass(frozen=True)
class ListRow:
    """One row of a ``row_list``: a title, a line of facts under it, and a short tag at the
    right of the title (a first game, a finished game)."""

    title: str
    detail: str = ""
    tag: str = ""
    tag_colour: tuple = BRASS

    def plain(self) -> str:
        return " \u00b7 ".join(t for t in (self.title, self.tag, self.detail) if t)


ROW_LIST_ID = "#row_list"


def row_height(scale: float) -> int:
    """The height of a two-line row: a line of body text, a line of small text, some air."""
    return scaled(BODY, scale) * 4 // 3 + scaled(SMALL, scale) * 4 // 3 + scaled(12, scale)


def row_list(rect, rows: list[ListRow], manager, **kw) -> pygame_gui.elements.UISelectionList:
    """A single-selection list of two-line rows; the scene draws their words with
    ``draw_rows`` (``GuiScene`` does so for the lists in its ``row_lists``)."""
    return pygame_gui.elements.UISelectionList(pygame.Rect(rect), [r.plain() for r in rows],
                                               manager, object_id=ROW_LIST_ID, **kw)


_row_text: dict[tuple, pygame.Surface] = {}


def _rendered(text: str, fnt: pygame.font.Font, colour) -> pygame.Surface:
    key = (text, id(fnt), tuple(colour))
    surf = _row_text.get(key)
    if surf is None:
        if len(_row_text) > 400:
            _row_text.clear()
        surf = _row_text[key] = fnt.render(text, True, colour)
    return surf


def draw_rows(screen: pygame.Surface, lst, rows: list[ListRow], scale: float) -> list[str]:
    """Paint the words of a ``row_list``'s rows over their buttons, clipped to the list;
    returns the titles that had to be cut short to fit."""
    cut: list[str] = []
    if not lst.alive():
        return cut
    title_f, small_f = font(scaled(BODY, scale)), font(scaled(SMALL, scale))
    pad = scaled(10, scale)
    clip = screen.get_clip()
    screen.set_clip(lst.list_and_scroll_bar_container.rect.clip(clip))
    for item, row in zip(lst.item_list, rows):
        button = item.get("button_element")
        if button is None or not button.visible:
            continue
        r = button.rect
        chosen = item.get("selected")
        ink, muted, tag = ((255, 251, 232), (226, 222, 200), (246, 214, 140)) if chosen             else (INK, MUTED, row.tag_colour)
        x, right = r.x + pad, r.right - pad
        y = r.y + (r.h - title_f.get_linesize() - small_f.get_linesize()) // 2
        if row.tag:
            t = _rendered(row.tag, small_f, tag)
            right -= t.get_width()
            screen.blit(t, (right, y + title_f.get_ascent() - small_f.get_ascent()))
            right -= pad
        title = fit_text(row.title, title_f, right - x)
        if title != row.title:
            cut.append(row.title)
        screen.blit(_rendered(title, title_f, ink), (x, y))
        if row.detail:
            detail = fit_text(row.detail, small_f, r.right - pad - x)
            screen.blit(_rendered(detail, small_f, muted), (x, y + title_f.get_linesize()))
    screen.set_clip(clip)
    return cut


# -- the base of widget screens ----------------------------------------------------------------

class GuiScene(Scene):
    """A screen built from pygame_gui widgets.

    Subclasses lay their widgets out in ``build(size)``, answer buttons in ``on_button``
    and other widget events in ``on_ui_event``, and say what Esc and Enter do in ``back`` and
    ``confirm``. ``focusable`` lists the buttons Tab and the arrow keys move between, and
    ``row_lists`` the (``row_list``, rows) pairs whose words ``draw`` paints each frame.
    """

    def __init__(self, app):
        super().__init__(app)
        self.manager: pygame_gui.UIManager | None = None
        self._built_for = None
        self.focusable: list = []
        self.focus = -1
        self.row_lists: list[tuple] = []  # (row_list, its ListRows), painted by draw

    # -- layout --------------------------------------------------------------------------

    #: The window size the screen's layout needs at UI scale 1. In a smaller window the scale
    #: shrinks to fit (never below 0.7), so a large UI scale never makes a screen overflow.
    DESIGN = (960, 600)

    def design_size(self) -> tuple[int, int]:
        """The size the layout needs at UI scale 1: ``DESIGN``, unless the screen's content
        decides it (a menu with more buttons)."""
        return self.DESIGN

    @property
    def scale(self) -> float:
        w, h = self.app.screen.get_size()
        dw, dh = self.design_size()
        fit = min(w / dw, h / dh)
        return round(max(0.7, min(float(self.app.settings.ui_scale), fit)), 3)

    def px(self, n: float) -> int:
        return scaled(n, self.scale)

    def resize(self, size: tuple[int, int]) -> None:
        key = (tuple(size), self.scale, self.app.settings.palette)
        if key == self._built_for:
            return
        self._built_for = key
        self.rebuild()

    def rebuild(self) -> None:
        """Make the widgets again (a new size or scale, or content that changed shape)."""
        size = self.app.screen.get_size()
        self.manager = make_manager(size, self.scale)
        old = self.focusable[self.focus] if 0 <= self.focus < len(self.focusable) else None
        old_text = getattr(old, "text", None)
        self.focusable = []
        self.row_lists = []
        self.build(size)
        self.focus = next((i for i, b in enumerate(self.focusable) if b.text == old_text), -1) \
            if old_text is not None else -1

    def build(self, size: tuple[int, int]) -> None:
        """Create the widgets for a window of ``size``."""

    # -- input ---------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.manager is None:
            return
        consumed = self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element in self.focusable:
                self.focus = self.focusable.index(event.ui_element)
            self.on_button(event.ui_element)
        elif event.type == pygame_gui.UI_BUTTON_ON_HOVERED:
            if event.ui_element in self.focusable:  # one highlight: the mouse takes the focus
                self.focus = self.focusable.index(event.ui_element)
        elif event.type >= pygame.USEREVENT and hasattr(event, "ui_element"):
            self.on_ui_event(event)
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.back()  # even from a text field
        elif event.type == pygame.KEYDOWN and not consumed and not self._typing():
            self.on_key(event)

    def _typing(self) -> bool:
        focused = self.manager.get_focus_set() if self.manager else None
        return any(isinstance(e, pygame_gui.elements.UITextEntryLine) for e in (focused or ()))

    def on_key(self, event: pygame.event.Event) -> None:
        key = event.key
        if key == pygame.K_ESCAPE:
            self.back()
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            if 0 <= self.focus < len(self.focusable) and self.focusable[self.focus].is_enabled:
                self.on_button(self.focusable[self.focus])
            elif key != pygame.K_SPACE:
                self.confirm()
        elif key == pygame.K_TAB:
            self.move_focus(-1 if event.mod & pygame.KMOD_SHIFT else 1)
        elif key in (pygame.K_UP, pygame.K_DOWN):
            self.on_arrow(-1 if key == pygame.K_UP else 1)

    def on_arrow(self, step: int) -> None:
        """Up or Down; by default they move the focus like Tab."""
        self.move_focus(step)

    def move_focus(self, step: int) -> None:
        live = [i for i, b in enumerate(self.focusable) if b.is_enabled and b.visible]
        if not live:
            self.focus = -1
            return
        if self.focus not in live:
            self.focus = live[0] if step > 0 else live[-1]
        else:
            self.focus = live[(live.index(self.focus) + step) % len(live)]

    def on_button(self, button) -> None:
        """A button was pressed (clicked, or Enter on the focused one)."""

    def on_ui_event(self, event: pygame.event.Event) -> None:
        """Another widget event: a list selection, a drop-down choice, a text entry."""

    def back(self) -> None:
        """Esc: leave this screen."""
        self.app.pop()

    def confirm(self) -> None:
        """Enter with no button focused."""

    # -- frame ---------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.manager is not None:
            self.manager.update(dt)

    def draw(self, screen: pygame.Surface) -> None:
        self.draw_background(screen)
        if self.manager is not None:
            self.manager.draw_ui(screen)
        self.draw_rows(screen)
        self.draw_focus(screen)

    def draw_rows(self, screen: pygame.Surface) -> None:
        for lst, rows in self.row_lists:
            draw_rows(screen, lst, rows, self.scale)

    def draw_background(self, screen: pygame.Surface) -> None:
        draw_backdrop(screen)

    def draw_focus(self, screen: pygame.Surface) -> None:
        if 0 <= self.focus < len(self.focusable):
            b = self.focusable[self.focus]
            if b.visible and b.alive():
                pygame.draw.rect(screen, BRASS, b.rect.inflate(self.px(6), self.px(6)), 2,
                                 border_radius=self.px(5))
