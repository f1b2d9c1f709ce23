"""Play by e-mail in the window: a turn file chosen, its passphrase, the turn, the file sent.

UI layer (pygame, pygame_gui). The engine's half is ``game.pbem``; this is the table around it.

- ``PbemOpenScene`` (the main menu's "Play by e-mail"): a path typed, or a turn file picked
  from those in the folder last used (at first the game's own ``pbem/`` folder); or the folder
  watched; or a new game (``game.ui.pbem_new``).
- ``PbemPassphraseScene``: names the game, the turn, the side to move and its player, and asks
  for the passphrase in a masked field (twice at the side's first turn, when it is chosen).
  A refusal (a wrong passphrase, a changed file) is the engine's one line, on the screen; the
  player tries again or goes back.
- ``PbemBattleScene``: the battle screen showing only that side's view, as hot-seat shows
  one person's, with no saves (the turn file is the game: a turn is played again only by
  opening its file again, which the other players are told of). Undo works as in any game.
- ``PbemSentScene``: ending the turn plays the computer's sides that follow and writes the
  next turn file, in the background; then it says where the file is and whom to send it to.
- ``PbemWaitScene``: the folder mode: looks in a shared folder every couple of seconds and
  opens the player's turn when its file arrives.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UITextBox, UITextEntryLine

from game import home
from game.pbem import MIN_PASSPHRASE, TURN_SUFFIX, PbemError, find_turn, open_turn, read_turn, short_date
from game.ui import widgets as W
from game.ui.battle import BattleScene
from game.ui.navigator import Navigator

POLL_SECONDS = 1.5  # how often the folder mode looks in the shared folder


def default_folder() -> Path:
    """Where the window looks for turn files at first: the game's own ``pbem/`` folder."""
    return home() / "pbem"


def _label(manager, rect, text, object_id=None) -> UILabel:
    return UILabel(pygame.Rect(rect), text, manager, object_id=object_id)


def _box(manager, rect, lines: list[tuple[str, str]]) -> UITextBox:
    """A text box of (text, colour name) lines: "ink", "muted", "error", "brass", "good"."""
    colours = {"ink": W.INK, "muted": W.MUTED, "error": W.ERROR, "brass": W.BRASS, "good": W.GOOD}
    html = "<br>".join(f'<font color="{W.hex_colour(colours[c])}">{W.escape(t)}</font>' for t, c in lines)
    return UITextBox(html, pygame.Rect(rect), manager, object_id="#plain")


def _big_line(manager, rect, text: str, scale: float) -> UILabel:
    """A line in the big type if it fits, else in the body's (a side with a long name)."""
    width = rect[2] - W.scaled(12, scale)
    if W.font(W.scaled(W.BIG, scale), bold=True).size(text)[0] <= width:
        return _label(manager, rect, text, "#big")
    return _label(manager, rect, W.fit_text(text, W.font(W.scaled(W.BODY, scale)), width), None)


def turn_row(tf) -> W.ListRow:
    """A turn file as a row of the list: the game and turn, who is to move, the file."""
    if tf.over:
        detail = f"the game is over: any player may open it  \u00b7  {tf.path.name}"
        tag = "game over"
    else:
        detail = (f"{tf.side_name(tf.side)} to move, played by {tf.player}  \u00b7  "
                  f"{short_date(tf.date)}  \u00b7  {tf.path.name}")
        tag = "first turn" if tf.first_turn else ""
    return W.ListRow(f"{tf.title}: turn {tf.number}", detail, tag)


def turn_files(folder: Path) -> list:
    """The turn files in ``folder``, newest first (files that are not turn files left out)."""
    found = []
    try:
        paths = sorted(folder.glob(f"*{TURN_SUFFIX}"))
    except OSError:
        return []
    for path in paths:
        try:
            tf = read_turn(path)
            found.append((path.stat().st_mtime, tf))
        except (PbemError, OSError):
            continue
    found.sort(key=lambda x: (-x[0], x[1].path.name))
    return [tf for _, tf in found]


def _remember(app, **values) -> None:
    s = app.settings
    changed = False
    for k, v in values.items():
        if getattr(s, k) != v:
            setattr(s, k, v)
            changed = True
    if changed:
        try:
            s.save()
        except OSError:
            pass


def open_finished(app, tf, side=None, waiting=None) -> str:
    """A finished game's last file, opened with no passphrase on its results; the engine's
    message if it is refused, else ""."""
    try:
        game = open_turn(tf.path, None, side)
    except PbemError as exc:
        return str(exc)
    Navigator(app).pbem_turn(game, tf.path, None, waiting)
    return ""


# -- choosing a turn file ----------------------------------------------------------------------

class PbemOpenScene(W.GuiScene):
    """A turn file to open: its path typed, or picked from the folder's; or the folder watched."""

    DESIGN = (860, 620)

    def __init__(self, app):
        super().__init__(app)
        self.folder = Path(app.settings.pbem_folder) if app.settings.pbem_folder else default_folder()
        self.files = turn_files(self.folder)
        self.path_text = str(self.files[0].path) if self.files else ""
        self.error = ""

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        margin = px(24)
        _label(m, (margin, px(14), w - 2 * margin, px(40)), "Play by e-mail", "#heading")
        _label(m, (margin, px(54), w - 2 * margin, px(24)),
               "Open the turn file a player sent you, or watch a folder the players share.", "#muted")
        y = px(90)
        _label(m, (margin, y, px(90), px(36)), "Turn file", None)
        self.entry = UITextEntryLine(pygame.Rect(margin + px(96), y, w - 2 * margin - px(96), px(36)), m)
        self.entry.set_text_length_limit(1000)
        self.entry.set_text(self.path_text)
        y += px(44)
        _label(m, (margin, y, w - 2 * margin, px(24)),
               W.fit_text(f"Turn files in {self.folder}", W.font(W.scaled(W.SMALL, self.scale)),
                          w - 2 * margin), "#muted")
        y += px(28)
        bottom_h = px(46)
        by = h - margin - bottom_h
        err_h = px(64)
        list_h = by - px(10) - err_h - y
        rows = [turn_row(tf) for tf in self.files]
        self.list = W.row_list((margin, y, w - 2 * margin, list_h), rows, m, allow_double_clicks=True)
        self.row_lists.append((self.list, rows))
        if not self.files:
            _label(m, (margin + px(10), y + px(10), w - 2 * margin - px(20), px(28)),
                   W.fit_text("No turn files here: type a file's path (or a folder's) above, or "
                              "start a New game by e-mail.", W.font(W.scaled(W.SMALL, self.scale)),
                              w - 2 * margin - px(20)), "#muted")
        self.message = _box(m, (margin, by - px(6) - err_h, w - 2 * margin, err_h),
                            [(self.error, "error")] if self.error else [])
        self.back_button = UIButton(pygame.Rect(margin, by, px(130), bottom_h), "Back", m)
        self.open_button = UIButton(pygame.Rect(w - margin - px(180), by, px(180), bottom_h),
                                    "Open", m, object_id="#primary")
        self.watch_button = UIButton(pygame.Rect(w - margin - px(180) - px(12) - px(220), by,
                                                 px(220), bottom_h), "Watch this folder", m)
        self.new_button = UIButton(pygame.Rect(margin + px(130) + px(12), by, px(220), bottom_h),
                                   "New game by e-mail", m)
        self.focusable = [self.open_button, self.watch_button, self.new_button, self.back_button]
        for i, tf in enumerate(self.files):
            if str(tf.path) == self.path_text:
                W.select_row(self.list, i)
                break

    def say(self, text: str) -> None:
        self.error = text
        self.message.set_text(f'<font color="{W.hex_colour(W.ERROR)}">{W.escape(text)}</font>')

    def show_folder(self, folder: Path) -> None:
        self.folder = folder
        self.files = turn_files(folder)
        self.path_text = str(self.files[0].path) if self.files else str(folder)
        self.error = ""
        self.rebuild()

    def on_ui_event(self, event):
        if event.ui_element is self.list:
            i = W.selected_row(self.list)
            if i is not None:
                self.path_text = str(self.files[i].path)
                self.entry.set_text(self.path_text)
            if event.type == pygame_gui.UI_SELECTION_LIST_DOUBLE_CLICKED_SELECTION:
                self.confirm()
        elif event.ui_element is self.entry:
            if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED:
                self.path_text = self.entry.get_text()
            elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
                self.confirm()

    def on_arrow(self, step):
        if not self.files:
            return
        i = W.selected_row(self.list)
        i = 0 if i is None else max(0, min(len(self.files) - 1, i + step))
        W.select_row(self.list, i)
        self.path_text = str(self.files[i].path)
        self.entry.set_text(self.path_text)

    def on_button(self, button):
        if button is self.back_button:
            self.back()
        elif button is self.open_button:
            self.confirm()
        elif button is self.new_button:
            Navigator(self.app).pbem_new(self.folder)
        elif button is self.watch_button:
            _remember(self.app, pbem_folder=str(self.folder))
            self.app.push(PbemWaitScene(self.app, self.folder, self.app.settings.pbem_player))

    def confirm(self):
        text = self.entry.get_text().strip()
        if not text:
            self.say("Type the path of a turn file, or pick one in the list.")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            _remember(self.app, pbem_folder=str(path))
            self.show_folder(path)
            return
        try:
            tf = read_turn(path)
        except PbemError as exc:
            self.say(str(exc))
            return
        _remember(self.app, pbem_folder=str(tf.path.parent))
        if tf.over:
            problem = open_finished(self.app, tf)
            if problem:
                self.say(problem)
            return
        self.app.push(PbemPassphraseScene(self.app, tf))


# -- the passphrase ----------------------------------------------------------------------------

class PbemPassphraseScene(W.GuiScene):
    """The passphrase of the side to move: once, or twice at its first turn (when it is set).

    Opening the file (checking it and playing the game again from its start) takes a moment:
    the screen says so, and opens it at the next frame."""

    DESIGN = (820, 600)

    def __init__(self, app, tf, out_dir=None, waiting=None):
        super().__init__(app)
        self.tf = tf
        self.out_dir = Path(out_dir) if out_dir else None
        self.waiting = waiting
        self.error = ""
        self.pending = 0  # frames to draw before the file is opened (the "checking" line shows)

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        tf = self.tf
        pw, ph = min(w - px(40), px(760)), min(h - px(40), px(560))
        p = self.panel = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        pad = px(24)
        x, width = p.x + pad, pw - 2 * pad
        style, title = W.title_style(tf.title, width, self.scale)
        _label(m, (x, p.y + pad, width, px(48)), title, style)
        y = p.y + pad + px(54)
        side, player = tf.side_name(tf.side), tf.player
        _label(m, (x, y, width, px(30)), f"Turn {tf.number}  \u00b7  week {tf.game_turn}  \u00b7  "
               f"{tf.date.day} {tf.date:%B %Y}", "#subtitle")
        y += px(32)
        _big_line(m, (x, y, width, px(42)), f"{side} to move, played by {player}", self.scale)
        y += px(44)
        if tf.first_turn:
            words = [(f"{player}: this is your first turn in this game. Choose a passphrase of at "
                      f"least {MIN_PASSPHRASE} characters and type it twice. It signs your turns "
                      f"from now on; it cannot be changed or recovered, so keep it.", "ink")]
        else:
            words = [(f"{player}: type your passphrase.", "ink")]
        words.append(("Each opening of a turn is counted, and the other players are told.", "muted"))
        body = W.font(W.scaled(W.BODY, self.scale))
        info_h = sum(len(W.wrap(t, body, width - px(48))) for t, _ in words) * px(30) + px(22)
        _box(m, (x - px(8), y, width + px(16), info_h), words)
        y += info_h + px(8)
        field_w = min(width - px(160), px(420))
        _label(m, (x, y, px(150), px(36)), "Passphrase", None)
        self.entry = UITextEntryLine(pygame.Rect(x + px(160), y, field_w, px(36)), m)
        self.entry.set_text_hidden(True)
        self.entry.set_text_length_limit(200)
        self.again = None
        if tf.first_turn:
            y += px(44)
            _label(m, (x, y, px(150), px(36)), "Again", None)
            self.again = UITextEntryLine(pygame.Rect(x + px(160), y, field_w, px(36)), m)
            self.again.set_text_hidden(True)
            self.again.set_text_length_limit(200)
        y += px(48)
        bottom_h = px(44)
        by = p.bottom - pad - bottom_h
        self.message = _box(m, (x - px(8), y, width + px(16), by - px(8) - y), [])
        self.show()
        self.back_button = UIButton(pygame.Rect(x, by, px(130), bottom_h), "Back", m)
        self.open_button = UIButton(pygame.Rect(p.right - pad - px(180), by, px(180), bottom_h),
                                    "Open the turn", m, object_id="#primary")
        self.focusable = [self.open_button, self.back_button]
        self.manager.set_focus_set(self.entry)

    def show(self) -> None:
        if self.pending:
            lines = [("Checking the file and playing the game again from its start\u2026", "brass")]
        elif self.error:
            lines = [(self.error, "error")]
        else:
            lines = [(f"File: {self.tf.path}", "muted")]
        self.message.set_text("<br>".join(
            f'<font color="{W.hex_colour({"brass": W.BRASS, "error": W.ERROR, "muted": W.MUTED}[c])}">'
            f"{W.escape(t)}</font>" for t, c in lines))

    def enter(self):
        if self.manager is not None:
            self.manager.set_focus_set(self.entry)

    def draw_background(self, screen):
        W.draw_backdrop(screen)
        W.draw_panel(screen, self.panel, self.scale)

    def on_ui_event(self, event):
        if event.type != pygame_gui.UI_TEXT_ENTRY_FINISHED:
            return
        if event.ui_element is self.entry and self.again is not None and not self.again.get_text():
            self.manager.set_focus_set(self.again)
        elif event.ui_element in (self.entry, self.again):
            self.confirm()

    def on_button(self, button):
        if button is self.back_button:
            self.back()
        elif button is self.open_button:
            self.confirm()

    def say(self, text: str) -> None:
        self.error = text
        self.pending = 0
        self.show()

    def confirm(self):
        if self.pending:
            return
        phrase = self.entry.get_text()
        if not phrase:
            self.say("Type the passphrase first.")
            return
        if self.again is not None and self.again.get_text() != phrase:
            self.entry.set_text("")
            self.again.set_text("")
            self.manager.set_focus_set(self.entry)
            self.say("The two passphrases are not the same: type them again.")
            return
        self.pending = 2
        self.show()

    def update(self, dt):
        super().update(dt)
        if self.pending:
            self.pending -= 1
            if not self.pending:
                self.open_now()

    def open_now(self) -> None:
        try:
            game = open_turn(self.tf.path, self.entry.get_text())
        except PbemError as exc:
            self.entry.set_text("")
            if self.again is not None:
                self.again.set_text("")
            self.manager.set_focus_set(self.entry)
            self.say(str(exc))
            return
        Navigator(self.app).pbem_turn(game, self.tf.path, self.out_dir, self.waiting)


# -- the turn ----------------------------------------------------------------------------------

class PbemBattleScene(BattleScene):
    """The battle screen for one side's turn from a file: that side's view only, its news since
    its last turn, no saves; ending the turn sends it (``PbemSentScene``)."""

    def __init__(self, app, game, source, out_dir=None, waiting=None):
        super().__init__(app, game.session)
        self.pbem = game
        self.source = Path(source)
        self.out_dir = Path(out_dir) if out_dir else None
        self.waiting = waiting
        side = game.side
        self.viewer = side if side is not None else None
        self.handed_over = side
        # What the side's player reads first: the open counts of the turns played since, the
        # scenario's first news at the side's first turn, what the side saw happen.
        counts = [line for line in game.summary if " opened turn " in line]
        rest = [line for line in game.summary if line not in counts]
        first = side is not None and not any(r.get("side") == side for r in game.records)
        opening = self.news.pop(side, []) if first else []
        self.news.clear()
        self.messages.clear()
        self.summary = counts + opening + rest
        self.menu_buttons = [b for b in self.menu_buttons if b.action not in ("save", "load")]
        self.world_key = None
        self._apply_settings()
        self._centre_on_own()
        self._sending = False

    def played_by(self, side: str) -> str:
        name = self.pbem.players.get(side)
        return name if name else super().played_by(side)

    @property
    def out_path(self) -> Path:
        folder = self.out_dir or self.source.parent
        return folder / self.pbem.next_file_name()

    # No saves: the turn file is the game. A save could be loaded to play the turn again
    # until its dice please; the file's count of openings is the one way round, and is told.
    def _autosave(self) -> None:
        pass

    def quick_save(self) -> None:
        self.say("No saves in a game by e-mail: the turn file is the game", "muted")

    def quick_load(self) -> None:
        self.quick_save()

    def _key(self, event) -> None:
        if event.key == pygame.K_s and event.mod & pygame.KMOD_CTRL:
            self.quick_save()
            return
        super()._key(event)

    def _ask_leave(self, action: str) -> None:
        what = {"quit": "Quit", "main_menu": "Leave for the main menu"}.get(action, "Leave")
        self._ask(f"{what} without sending the turn?",
                  ["Your moves of this turn are lost: a turn is sent only when it ends.",
                   "Opening the file again is counted, and the other players are told."],
                  [(f"{what} without sending", "go"), ("Keep playing", "cancel")],
                  {"go": lambda: self._leave(action)})

    def _leave(self, action: str) -> None:
        if action == "main_menu" and self.waiting is not None:
            self.ai.stop()
            self.nav.main_menu(reset=True)
            self.app.push(self.waiting)
            return
        super()._leave(action)

    def _end_turn(self, ask: bool = True) -> None:
        if not self.orders.my_turn():
            return
        if ask:
            n = self.idle_count()
            lines = [f"{n} unit{'s' if n != 1 else ''} can still act this turn."] if n else []
            lines.append(f"The next turn file will be written to {self.out_path.parent}.")
            lines.append("A turn sent cannot be taken back.")
            self._ask("End the turn and send it?", lines,
                      [("End turn and write the file", "send"), ("Keep playing", "cancel")],
                      {"send": self._send})
            return
        self._send()

    def _send(self) -> None:
        if self._sending:
            return
        self._sending = True
        self.orders.select(None)
        self.ai.stop()
        self.app.push(PbemSentScene(self.app, self))

    def _show_results(self) -> None:
        # The game ended in the side's own turn: the last file is written first, for everyone.
        if self.pbem.side is not None and self.pbem.sent is None:
            self._send()
            return
        super()._show_results()


# -- sending it ----------------------------------------------------------------------------------

class TurnFileScene(W.GuiScene):
    """A turn file written in the background (``work``, on a thread of its own), then a panel
    that says what came of it: a heading, a line in large type, the lines under it
    (``lines``), and a row of buttons (``keys``: key and words, the first the main one). The
    window waits for the file before it closes."""

    DESIGN = (820, 560)

    def __init__(self, app):
        super().__init__(app)
        self.error = ""
        self.buttons: dict[str, UIButton] = {}
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.error = ""
        self._thread = threading.Thread(target=self.work, daemon=True)
        self._thread.start()

    def work(self) -> None:
        """Write the file (on the thread); set ``error`` to say why it could not be."""

    @property
    def working(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def lines(self) -> tuple[str, list[tuple[str, str]]]:
        """The heading, and the lines under it, each with its colour ("big": large type)."""
        raise NotImplementedError

    def heading_style(self, heading: str, width: int) -> tuple[str, str]:
        return "#heading", heading

    def keys(self, width: int) -> list[tuple[str, str]]:
        """The buttons once the work is done."""
        raise NotImplementedError

    def written(self) -> None:
        """The work is done (well or not): called once, before the panel is made again."""

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        pw, ph = min(w - px(40), px(760)), min(h - px(40), px(480))
        p = self.panel = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        pad = px(24)
        x, width = p.x + pad, pw - 2 * pad
        heading, lines = self.lines()
        style, heading = self.heading_style(heading, width)
        _label(m, (x, p.y + pad, width, px(44)), heading, style)
        y = p.y + pad + px(54)
        bottom_h = px(44)
        by = p.bottom - pad - bottom_h
        big = [t for t, c in lines if c == "big"]
        if big:
            _big_line(m, (x, y, width, px(42)), big[0], self.scale)
            y += px(48)
        _box(m, (x - px(8), y, width + px(16), by - px(10) - y), [(t, c) for t, c in lines if c != "big"])
        self.buttons = {}
        if self.working:
            self.focusable = []
            return
        keys = self.keys(width)
        bw = (width - px(12) * (len(keys) - 1)) // len(keys)
        for i, (key, text) in enumerate(keys):
            b = UIButton(pygame.Rect(x + i * (bw + px(12)), by, bw, bottom_h), text, m,
                         object_id="#primary" if i == 0 else None)
            self.buttons[key] = b
            self.focusable.append(b)
        self.focus = 0

    def draw_background(self, screen):
        W.draw_backdrop(screen)
        W.draw_panel(screen, self.panel, self.scale)

    def update(self, dt):
        if self._thread is not None and not self._thread.is_alive():
            self._thread = None
            self.written()
            self.rebuild()
        super().update(dt)

    def close_requested(self) -> bool:
        return not self.working  # the file is being written: the window waits for it

    def pressed(self, button) -> str | None:
        """The key of a button of the row."""
        return next((k for k, b in self.buttons.items() if b is button), None)


class PbemSentScene(TurnFileScene):
    """The turn ended: the computer's sides that follow move and the next file is written, in
    the background; then where it is and whom to send it to. It covers the map."""

    def __init__(self, app, battle: PbemBattleScene):
        super().__init__(app)
        self.battle = battle
        self.game = battle.pbem
        self.out = battle.out_path
        self.sent = None
        self.start()

    def work(self) -> None:
        try:
            self.sent = self.game.end_turn(self.out)
        except PbemError as exc:
            self.error = str(exc)
        except OSError as exc:  # a folder that vanished under the game: said, never fatal
            self.error = f"{self.out}: cannot write the turn file: {exc.strerror or exc}"

    def lines(self) -> tuple[str, list[tuple[str, str]]]:
        """The heading, and the lines under it."""
        game = self.game
        if self.working:
            return (f"Sending turn {game.number}",
                    [("Writing the turn file: the computer's sides move first\u2026", "muted")])
        if self.error:
            return ("The turn file could not be written", [(self.error, "error")])
        sent = self.sent
        folder = self.battle.out_dir if self.battle.waiting is not None else None
        out = [(f"Written to {sent.path}", "ink")]
        if sent.over:
            people = [f"{name} ({sent.side_name(s)})" for s, name in sent.players.items() if name != "computer"]
            result = game.session.game.state.result or "the game is over"
            out = [(f"The game is over: {result}.", "brass")] + out
            out.append(("It is the last turn file, for everyone: send it to " + _and(people)
                        + ". Any player opens it with no passphrase to see the end.", "ink"))
        else:
            who = f"{sent.player} ({sent.side_name(sent.side)})"
            if folder is not None:
                out.append((f"It is in the shared folder: {who} will find it there.", "ink"))
            out.insert(0, (f"Send it to {who}.", "big"))
        return (f"Turn {game.number} sent" if not sent.over else "The last turn is written", out)

    def keys(self, width: int) -> list[tuple[str, str]]:
        if self.error:
            return [("retry", "Try again"), ("menu", "Main menu")]
        keys = [("menu", "Main menu"), ("quit", "Quit")]
        if self.sent.over:
            keys.insert(0, ("results", "See the results"))
        elif self.battle.waiting is not None:
            keys.insert(0, ("wait", "Wait for my next turn"))
        return keys

    def on_button(self, button):
        key = self.pressed(button)
        if key == "retry":
            self.start()
            self.rebuild()
        elif key == "menu":
            self.back()
        elif key == "quit":
            self.app.quit(0)
        elif key == "wait":
            nav = Navigator(self.app)
            nav.main_menu(reset=True)
            self.app.push(self.battle.waiting)
        elif key == "results":
            self.show_results()

    def back(self):
        if self.working:
            return
        if self.sent is not None and self.sent.over:
            self.show_results()
            return
        Navigator(self.app).main_menu(reset=True)

    def show_results(self) -> None:
        """The game's end: its results, over the battle (which shows the final map)."""
        self.app.pop()
        self.battle._over_shown = True
        self.battle._show_results()


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# -- the folder mode ---------------------------------------------------------------------------

class PbemWaitScene(W.GuiScene):
    """Watches a shared folder for the player's next turn, and opens it when it comes."""

    DESIGN = (820, 560)

    def __init__(self, app, folder, player: str = ""):
        super().__init__(app)
        self.folder = Path(folder)
        self.player = player
        self.found = None  # the newest turn of the player's in the folder
        self.offered: set[tuple] = set()  # turns already opened from here (not opened again by themselves)
        self.checked: dt.datetime | None = None
        self.clock = 0.0
        self.error = ""

    def build(self, size):
        w, h = size
        px, m = self.px, self.manager
        pw, ph = min(w - px(40), px(760)), min(h - px(40), px(480))
        p = self.panel = pygame.Rect((w - pw) // 2, (h - ph) // 2, pw, ph)
        pad = px(24)
        x, width = p.x + pad, pw - 2 * pad
        _label(m, (x, p.y + pad, width, px(44)), "Waiting for your turn", "#heading")
        y = p.y + pad + px(52)
        words = [(f"Watching {self.folder}", "ink"),
                 (f"for a turn file of yours: the folder is looked at every {POLL_SECONDS:g} seconds.",
                  "muted")]
        body = W.font(W.scaled(W.BODY, self.scale))
        box_h = sum(len(W.wrap(t, body, width - px(48))) for t, _ in words) * px(30) + px(22)
        _box(m, (x - px(8), y, width + px(16), box_h), words)
        y += box_h + px(8)
        _label(m, (x, y, px(150), px(36)), "Your name", None)
        self.entry = UITextEntryLine(pygame.Rect(x + px(160), y, min(width - px(160), px(360)), px(36)), m)
        self.entry.set_text_length_limit(40)
        self.entry.set_text(self.player)
        y += px(48)
        bottom_h = px(44)
        by = p.bottom - pad - bottom_h
        self.status = _box(m, (x - px(8), y, width + px(16), by - px(10) - y), [])
        self.back_button = UIButton(pygame.Rect(x, by, px(130), bottom_h), "Back", m)
        self.open_button = UIButton(pygame.Rect(p.right - pad - px(220), by, px(220), bottom_h),
                                    "Open my turn", m, object_id="#primary")
        self.focusable = [self.open_button, self.back_button]
        self.show()
        if not self.player:
            self.manager.set_focus_set(self.entry)

    def show(self) -> None:
        if not self.player:
            lines = [("Type your name as the game's players list gives it.", "muted")]
        elif self.found is not None:
            tf = self.found
            what = ("the game's end" if tf.over
                    else f"turn {tf.number}, {tf.side_name(tf.side)} to move, {short_date(tf.date)}")
            lines = [(f"Your turn is here: {tf.title}, {what}.", "good"), (str(tf.path.name), "muted")]
        else:
            when = f" (looked at {self.checked:%H:%M:%S})" if self.checked else ""
            lines = [(f"No turn of {self.player}'s in the folder yet{when}.", "muted")]
        if self.error:
            lines.append((self.error, "error"))
        self.status.set_text("<br>".join(
            f'<font color="{W.hex_colour({"good": W.GOOD, "error": W.ERROR, "muted": W.MUTED}[c])}">'
            f"{W.escape(t)}</font>" for t, c in lines))
        if self.found is None:
            self.open_button.disable()
        else:
            self.open_button.enable()

    def draw_background(self, screen):
        W.draw_backdrop(screen)
        W.draw_panel(screen, self.panel, self.scale)

    def enter(self):
        self.clock = POLL_SECONDS  # look at once
        if self.manager is not None:
            self.show()

    def on_ui_event(self, event):
        if event.ui_element is not self.entry:
            return
        if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED:
            self.player = self.entry.get_text().strip()
            self.found = None
            self.clock = POLL_SECONDS
            self.show()

    def on_button(self, button):
        if button is self.back_button:
            self.back()
        elif button is self.open_button:
            self.open_found()

    def confirm(self):
        if self.found is not None:
            self.open_found()

    def update(self, dt):
        super().update(dt)
        self.clock += dt
        if self.clock < POLL_SECONDS or not self.player:
            return
        self.clock = 0.0
        self.look()

    def look(self) -> None:
        """Look in the folder; a turn of the player's not yet opened from here is opened."""
        self.checked = dt.datetime.now()
        if not self.folder.is_dir():
            self.error = f"{self.folder}: no such folder (is it still shared?)"
            self.found = None
            self.show()
            return
        self.error = ""
        self.found = find_turn(self.folder, player=self.player)
        self.show()
        if self.found is not None:
            try:
                mark = (str(self.found.path), self.found.number, self.found.path.stat().st_mtime)
            except OSError:
                return
            if mark not in self.offered:
                self.offered.add(mark)
                _remember(self.app, pbem_player=self.player)
                self.open_found()

    def open_found(self) -> None:
        tf = self.found
        if tf is None:
            return
        if tf.over:
            side = next((s for s, name in tf.players.items() if name == self.player), None)
            problem = open_finished(self.app, tf, side, self)
            if problem:
                self.error = problem
                self.show()
            return
        self.app.push(PbemPassphraseScene(self.app, tf, self.folder, self))
