"""The scenario editor's forms: rows of labels, text fields, drop-downs and toggles.

UI layer (pygame, pygame_gui). A ``Form`` lays widgets out down a panel of the editor window,
one row after another, and remembers what each widget does when it is used: a button its
function, a drop-down the value behind each of its options, a text field the function that
takes its text when Enter is pressed or the field is left. The panel scrolls by laying the rows
out again further up; rows outside the panel are not made. Nothing here edits the document:
the functions a form is given call the editor's operations.

``S`` is the editor engine's ``schema()`` (every table, trigger, action and victory condition
with its fields) that the forms are built from; ``default_value`` gives a value of a field's
type that the document can take, for a new trigger, action or condition of another kind.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pygame
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UITextBox, UITextEntryLine

from game.editor import schema
from game.editor.ops import usual_personnel
from game.ui import widgets as W

NONE = "(none)"
PICK = "Pick"  # the button beside a town or place field that picks it on the map
DROP_CHROME = 44  # what a drop-down's border, arrow and list's scroll bar take of its width
_SHOWN_ONLY = object()  # a drop-down's value that is shown, not offered


def short_texts(texts: list[str], fnt, width: int) -> list[str]:
    """``texts`` each shortened to ``width`` pixels where it is wider, kept apart: a text
    that would read the same as another once shortened keeps its end instead of its middle."""
    out = [W.fit_text(t, fnt, width) for t in texts]
    for i, t in enumerate(out):
        if t != texts[i] and out.count(t) > 1:
            tail = texts[i]
            while len(tail) > 1 and fnt.size("\u2026" + tail)[0] > width:
                tail = tail[1:]
            out[i] = "\u2026" + tail
    return out


class _Schema:
    """The editor engine's ``schema()`` (the format's tables, triggers, actions and victory
    conditions, with each field's name, type, doc and bounds) as objects to build forms from."""

    def __init__(self, d: dict):
        tables = {k: self._kind(v) for k, v in d["tables"].items()}
        self.SCENARIO, self.FACTION, self.UNIT = tables["scenario"], tables["factions"], tables["units"]
        self.REINFORCEMENT, self.HISTORY = tables["reinforcements"], tables["history"]
        self.NO_FLY_ZONE, self.SUPPLY_SOURCE = tables["no_fly_zones"], tables["supply_sources"]
        self.PLAN, self.HISTORY_EVENT = tables["plans"], self._kind(d["history_events"])
        self.OPTION = tables["options"]
        self.TRIGGERS = {k: self._kind(v) for k, v in d["triggers"].items()}
        self.ACTIONS = {k: self._kind(v) for k, v in d["actions"].items()}
        self.VICTORY = {k: self._kind(v) for k, v in d["victory"].items()}
        self.CATEGORIES = tuple(d["categories"])

    @staticmethod
    def _kind(d: dict) -> SimpleNamespace:
        fields = [SimpleNamespace(**{"choices": [], "low": None, "high": None, **f}) for f in d["fields"]]
        return SimpleNamespace(name=d["name"], doc=d["doc"], fields=fields)


S = _Schema(schema())


class Form:
    """Rows of widgets in ``rect``; ``scroll`` pixels of them are above its top."""

    def __init__(self, scene, rect: pygame.Rect, scroll: int = 0):
        self.scene = scene
        self.manager = scene.manager
        self.px = scene.px
        self.rect = pygame.Rect(rect)
        self.y = self.rect.y + self.px(8) - scroll
        self.pad = self.px(10)
        self.row_h = self.px(30)
        self.gap = self.px(6)
        self.label_w = int(self.rect.w * 0.34)
        self.widgets: list = []
        self.picks = 0  # Pick buttons laid out so far

    # -- layout ----------------------------------------------------------------------------

    @property
    def height(self) -> int:
        """How tall the rows laid out so far are (for the scroll's limit)."""
        return self.y - self.rect.y

    def _shown(self, h: int) -> bool:
        return self.y >= self.rect.y and self.y + h <= self.rect.bottom

    def _full(self, h=None) -> pygame.Rect:
        return pygame.Rect(self.rect.x + self.pad, self.y, self.rect.w - 2 * self.pad, h or self.row_h)

    def _field_rect(self) -> pygame.Rect:
        x = self.rect.x + self.pad + self.label_w
        return pygame.Rect(x, self.y, self.rect.right - self.pad - x, self.row_h)

    def _keep(self, widget):
        self.widgets.append(widget)
        return widget

    def space(self, n: int = 8) -> None:
        self.y += self.px(n)

    def heading(self, text: str) -> None:
        h = self.px(30)
        if self._shown(h):
            self._keep(UILabel(self._full(h), text, self.manager, object_id="#heading"))
        self.y += h

    def note(self, text: str, object_id: str = "#muted") -> None:
        """Wrapped text: a hint, a problem, a list."""
        size = W.SMALL if object_id == "#muted" else W.BODY
        fnt = W.font(W.scaled(size, self.scene.scale))
        width = self.rect.w - 2 * self.pad
        lines = W.wrap(text, fnt, width - self.px(12))
        lh = fnt.get_linesize()
        for line in lines:
            if self._shown(lh):
                self._keep(UILabel(pygame.Rect(self.rect.x + self.pad, self.y, width, lh), line,
                                   self.manager, object_id=object_id))
            self.y += lh
        self.y += self.px(4)

    def _label(self, text: str) -> None:
        if text:
            fnt = W.font(W.scaled(W.BODY, self.scene.scale))
            text = W.fit_text(text, fnt, self.label_w - self.px(8))
            self._keep(UILabel(pygame.Rect(self.rect.x + self.pad, self.y, self.label_w, self.row_h),
                               text, self.manager))

    def _next(self) -> None:
        self.y += self.row_h + self.gap

    # -- fields ----------------------------------------------------------------------------

    def entry(self, label: str, value, commit, hint: str = "", on_map=None) -> UITextEntryLine | None:
        """A text field: ``commit(text)`` when Enter is pressed or the field is left; an empty
        one shows ``hint`` in grey. ``on_map`` (kind, fill): a Pick button beside it that
        lets the person click the place on the map instead (``EditorScene.start_pick``)."""
        w = None
        self._count_pick(on_map)
        if self._shown(self.row_h):
            self._label(label)
            rect = self._map_button(self._field_rect(), label, on_map)
            w = self._keep(UITextEntryLine(rect, self.manager,
                                           placeholder_text=f"not set \u00b7 {hint}" if hint else "not set"))
            w.set_text("" if value is None else str(value))
            if hint:
                w.set_tooltip(hint)
            self.scene.on_text[w] = commit
        self._next()
        return w

    def _count_pick(self, on_map) -> None:
        """One more Pick button on the page, whether it is shown or scrolled away."""
        if on_map is not None:
            self.picks += 1

    def _map_button(self, rect: pygame.Rect, label: str, on_map) -> pygame.Rect:
        """The Pick button at the right of a field's ``rect`` (when ``on_map``, (kind, fill) or
        (kind, fill, what the prompt asks for), is given); the rect left for the field."""
        if on_map is None:
            return rect
        kind, fill = on_map[:2]
        what = on_map[2] if len(on_map) > 2 else f"the {'town' if kind == 'town' else 'place'} for {label}"
        key = (self.scene.page, self.picks)  # the same button when the page is laid out again
        fnt = W.font(W.scaled(W.BODY, self.scene.scale))
        bw = fnt.size(PICK)[0] + self.px(20)
        b = self._keep(UIButton(pygame.Rect(rect.right - bw, rect.y, bw, rect.h), PICK, self.manager))
        b.set_tooltip(f"Click {what} on the map")
        if self.scene.picking is not None and self.scene.picking.key == key:
            b.select()
        self.scene.on_click[b] = lambda: self.scene.start_pick(kind, what, fill, key)
        return pygame.Rect(rect.x, rect.y, rect.w - bw - self.px(4), rect.h)

    def choice(self, label: str, options: list[tuple[str, object]], current, pick,
               on_map=None) -> UIDropDownMenu | None:
        """A drop-down of (text, value) options; ``pick(value)`` when one is chosen. When its
        longest text does not fit beside the label, the drop-down takes a row of its own
        across the panel under the label; a text wider still is shortened, never cut off.
        ``on_map`` (kind, fill): a Pick button beside it, as for ``entry``."""
        w = None
        fnt = W.font(W.scaled(W.BODY, self.scene.scale))
        options = list(options)
        start = next((t for t, v in options if v == current), None)
        if start is None:  # a value the list does not offer: shown, and choosing it does nothing
            options.insert(0, (f"{current}" if current is not None else NONE, _SHOWN_ONLY))
            start = options[0][0]
        pick_w = fnt.size(PICK)[0] + self.px(24) if on_map is not None else 0
        chrome = self.px(DROP_CHROME)
        rect = self._field_rect()
        wide = bool(label) and max(fnt.size(t)[0] for t, _ in options) > rect.w - pick_w - chrome
        if wide:
            lh = fnt.get_linesize() + self.px(4)
            if self._shown(lh + self.row_h):
                self._keep(UILabel(pygame.Rect(self.rect.x + self.pad, self.y, self.rect.w - 2 * self.pad, lh),
                                   label, self.manager))
            self.y += lh
            rect = self._full()
        self._count_pick(on_map)
        short = short_texts([t for t, _ in options], fnt, rect.w - pick_w - chrome)
        start = short[[t for t, _ in options].index(start)]
        if self._shown(self.row_h):
            if not wide:
                self._label(label)
            rect = self._map_button(rect, label, on_map)
            space = self.scene.app.screen.get_height() - self.y - self.row_h - 8
            limit = max(self.px(120), min(self.px(320), space))
            w = self._keep(UIDropDownMenu(short, start, rect, self.manager, expansion_height_limit=limit))
            values = {t: v for t, (_, v) in zip(short, options) if v is not _SHOWN_ONLY}
            self.scene.on_pick[w] = lambda text, values=values: pick(values[text]) if text in values else None
        self._next()
        return w

    def buttons(self, items: list[tuple[str, object]], label: str = "", selected=(),
                object_id=None, full: bool = False) -> list:
        """Buttons in rows (``items``: (text, function)); those in ``selected`` drawn chosen."""
        made = []
        fnt = W.font(W.scaled(W.BODY, self.scene.scale))
        x0 = self.rect.x + self.pad + (0 if full or not label else self.label_w)
        right = self.rect.right - self.pad
        x = x0
        first = True
        if label and not full and self._shown(self.row_h):
            self._label(label)
        elif label and full:
            self.note(label)
        for text, fn in items:
            bw = min(right - x0, fnt.size(text)[0] + self.px(22))
            if x + bw > right and x > x0:
                self._next()
                x = x0
            if self._shown(self.row_h):
                b = self._keep(UIButton(pygame.Rect(x, self.y, bw, self.row_h), text, self.manager,
                                        object_id=object_id))
                if text in selected or fn in selected:
                    b.select()
                self.scene.on_click[b] = fn
                made.append(b)
            x += bw + self.px(6)
            first = False
        if not first:
            self._next()
        return made

    def item(self, key: str, text: str, fn, selected: bool = False, tip: str = "") -> UIButton | None:
        """One of a list: a small button (``key``, drawn chosen when ``selected``) that calls
        ``fn``, and the item's words beside it, wrapped to as many lines as they need."""
        fnt = W.font(W.scaled(W.BODY, self.scene.scale))
        bw = max(self.px(34), fnt.size(key)[0] + self.px(16))
        x = self.rect.x + self.pad + bw + self.px(8)
        width = self.rect.right - self.pad - x
        lines = W.wrap(text, fnt, width - self.px(4))
        lh = fnt.get_linesize()
        h = max(self.row_h, len(lines) * lh + self.px(4))
        b = None
        if self._shown(h):
            b = self._keep(UIButton(pygame.Rect(self.rect.x + self.pad, self.y, bw, self.row_h), key,
                                    self.manager))
            if selected:
                b.select()
            if tip:
                b.set_tooltip(tip)
            self.scene.on_click[b] = fn
            # one line sits level with the button; more start at its top
            ty = self.y + (self.row_h - lh) // 2 if len(lines) == 1 else self.y + self.px(2)
            for line in lines:
                self._keep(UILabel(pygame.Rect(x, ty, width, lh), line, self.manager))
                ty += lh
        self.y += h + self.gap
        return b

    def button(self, text: str, fn, object_id=None, label: str = ""):
        got = self.buttons([(text, fn)], label=label, object_id=object_id)
        return got[0] if got else None

    def text_box(self, html: str, h: int) -> None:
        if self._shown(h):
            self._keep(UITextBox(html, self._full(h), self.manager, object_id="#plain"))
        self.y += h


# -- values a new field may start with ---------------------------------------------------------

def default_value(ed, ftype: str, exclude=()):
    """A value of ``ftype`` this document can take (None if it has none to offer)."""
    doc = ed.doc
    sc = doc.get("scenario", {}) if isinstance(doc.get("scenario"), dict) else {}
    if ftype == "text":
        return "..."
    if ftype == "integer":
        return 1
    if ftype == "number":
        return 0.5
    if ftype == "date":
        start = sc.get("start")
        days = sc.get("turn_days") if isinstance(sc.get("turn_days"), int) else 7
        return (start + dt.timedelta(days=days)) if isinstance(start, dt.date) else dt.date(2014, 6, 23)
    if ftype == "bool":
        return True
    if ftype in ("city", "cities"):
        towns = [k for k in (doc.get("control") or {})] if isinstance(doc.get("control"), dict) else []
        c = ed.ctx.hexmap.find_city(towns[0]) if towns else None
        name = c.name if c is not None else ed.choices("city")[0]
        return [name] if ftype == "cities" else name
    if ftype in ("faction", "side", "event", "zone", "unit", "unit_type", "category", "nation",
                 "faction_or_side", "terrain"):
        got = [x for x in ed.choices(ftype) if x not in exclude] or ed.choices(ftype)
        return got[0] if got else None
    if ftype == "factions":
        got = [x for x in ed.choices("faction") if x not in exclude]
        return got[:1] or None
    if ftype == "faction_pair":
        got = ed.choices("faction")
        return got[:2] if len(got) >= 2 else None
    if ftype in ("names",):
        return ["..."]
    if ftype in ("countries", "unit_types", "places"):
        return []
    if ftype == "units":
        f = default_value(ed, "faction")
        return [{"type": "infantry", "faction": f, "place": _home(ed, f),
                 "personnel": usual_personnel(ed.ctx, "infantry")}] if f else None
    if ftype == "triggers":
        return [{"turn": 2}]
    if ftype == "dates":
        start, end = sc.get("start"), sc.get("end")
        return [start, end] if isinstance(start, dt.date) and isinstance(end, dt.date) else None
    return None


def _home(ed, faction: str):
    """Where a new unit of ``faction`` may arrive: a town it holds, else where one of its units
    stands, else the first town the document names."""
    doc = ed.doc
    control = doc.get("control") if isinstance(doc.get("control"), dict) else {}
    for key, holder in control.items():
        c = ed.ctx.hexmap.find_city(key) if isinstance(key, str) else None
        if holder == faction and c is not None:
            return c.name
    for u in doc.get("units") if isinstance(doc.get("units"), list) else []:
        if isinstance(u, dict) and u.get("faction") == faction and u.get("place") is not None:
            return u["place"]
    return default_value(ed, "city")


def default_table(ed, kind, **given) -> dict:
    """The required fields of a schema ``kind`` filled with values the document can take."""
    out = dict(given)
    for f in kind.fields:
        if f.required and f.name not in out:
            v = default_value(ed, f.type)
            if v is not None:
                out[f.name] = v
    return out


def parse_number(text: str, ftype: str):
    """The number typed in a field; ValueError with a reason otherwise."""
    t = text.strip().replace(",", "")
    if t == "":
        return None
    try:
        if ftype == "integer":
            return int(t)
        v = float(t)
        return int(v) if v.is_integer() and "." not in t else v
    except ValueError:
        raise ValueError(f"{text!r} is not {'a whole number' if ftype == 'integer' else 'a number'}") from None


def parse_date(text: str):
    t = text.strip()
    if t == "":
        return None
    try:
        return dt.date.fromisoformat(t)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (write it like 2014-06-16)") from None


def parse_place(text: str):
    """A place typed in a field, read as a file reads it: ``[57, 40]`` (in brackets) is a hex,
    anything else a town's name or ``LAT,LON`` (``35,40`` is latitude 35, longitude 40, as
    ``place = "35,40"`` in a file); None for an empty field."""
    t = text.strip()
    if t == "":
        return None
    if t.startswith("[") or t.endswith("]"):
        parts = t.strip("[]").split(",")
        if len(parts) == 2 and all(x.strip().lstrip("-").isdigit() for x in parts):
            return [int(x) for x in parts]
        raise ValueError(f"{text!r} is not a hex: write one in brackets, like [57, 40]")
    return t


def place_text(place) -> str | None:
    """A place as a field shows it: a hex in brackets, ``[57, 40]``, apart from ``LAT,LON``."""
    if isinstance(place, (list, tuple)):
        return "[" + ", ".join(map(str, place)) + "]"
    return place


def parse_names(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


__all__ = ["Form", "NONE", "PICK", "S", "default_table", "default_value", "parse_date", "parse_names",
           "parse_number", "parse_place", "place_text", "short_texts"]
