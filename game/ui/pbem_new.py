"""Play by e-mail in the window: a new game begun and its first turn file written.

UI layer (pygame, pygame_gui). The engine's half is ``game.pbem.start_game``, the code
``mesopotamia pbem new`` runs.

- ``PbemNewScene`` (the "New game by e-mail" button of the Play by e-mail screen): the new-game
  screen, its scenario list, story, map and what-if switches, with a player's name for each
  side (empty: the computer, at the level chosen beside it), the seed, and the folder the first
  turn file goes into. What is wrong (no person, a name twice) is said under the sides.
- ``PbemStartedScene``: starts the game in the background (the computer's sides that move
  before the first person play), then says where the file is, who is to move and whom to send
  it to, and offers that player their turn at once.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UITextEntryLine

from game.pbem import COMPUTER, MAX_NAME, PbemError, start_game
from game.scenario import ScenarioError
from game.session import Seat
from game.ui import widgets as W
from game.ui.menus import NewGameScene, _label, _short_name
from game.ui.navigator import Navigator
from game.ui.pbem_play import PbemPassphraseScene, TurnFileScene, _and, _remember, default_folder


class PbemNewScene(NewGameScene):
    """A game by e-mail: the scenario and its switches, a player's name for each side (or the
    computer), the seed, and the folder the first turn file goes into."""

    TITLE = "New game by e-mail"
    SEATS_HINT = "a name; left empty: the computer"

    def __init__(self, app, folder=None):
        super().__init__(app)
        if folder is None:
            folder = Path(app.settings.pbem_folder) if app.settings.pbem_folder else default_folder()
        self.folder_text = str(folder)
        self.names: dict[str, dict[str, str]] = {}  # scenario path -> side -> player ("": the computer)
        self.name_entries: dict[str, UITextEntryLine] = {}
        self.level_buttons: dict[str, UIButton] = {}
        self.folder_entry: UITextEntryLine | None = None

    def names_for(self, entry) -> dict[str, str]:
        key = str(entry.path)
        if key not in self.names:
            self.names[key] = {s["id"]: "" for s in entry.scenario.sides} if entry.scenario else {}
        return self.names[key]

    def seats_for(self, entry) -> dict[str, tuple[str, str]]:
        key = str(entry.path)
        if key not in self.seats:
            sides = [s["id"] for s in entry.scenario.sides] if entry.scenario else []
            self.seats[key] = {s: ("ai", "normal") for s in sides}
        return self.seats[key]

    # -- layout --------------------------------------------------------------------------

    def build_detail(self):
        self.name_entries = {}
        self.level_buttons = {}
        self.mode_label = None
        super().build_detail()
        if self.error and self.mode_label is not None:
            self.show_error(self.error)

    def build_seat(self, side: str, rect: pygame.Rect) -> None:
        """The player's name (empty: the computer), and the computer's level."""
        px = self.px
        name = self.names_for(self.entry).get(side, "")
        level = self.seats_for(self.entry)[side][1]
        button_w = (rect.w - px(10)) // 2
        field = UITextEntryLine(pygame.Rect(rect.x, rect.y + (rect.h - px(36)) // 2, button_w, px(36)),
                                self.manager, placeholder_text="(the computer)")
        field.set_text_length_limit(MAX_NAME)
        field.set_text(name)
        lvl = UIButton(pygame.Rect(rect.right - button_w, rect.y, button_w, rect.h),
                       "-" if name else f"AI: {level}", self.manager)
        if name:
            lvl.disable()
        self._detail_elements += [field, lvl]
        self.name_entries[side] = field
        self.level_buttons[side] = lvl

    def seat_buttons(self) -> list:
        return list(self.level_buttons.values())

    def build(self, size):
        """The new game's screen, with the folder for the first turn file in the bottom bar
        (where the other screen says what is wrong: here that is said under the sides)."""
        super().build(size)
        px, m = self.px, self.manager
        bar = self.error_label.rect
        self.error_label.kill()
        words = "Folder"
        word_w = W.font(W.scaled(W.BODY, self.scale)).size(words)[0] + px(12)
        _label(m, (bar.x, bar.y, word_w, bar.h), words)
        self.folder_entry = UITextEntryLine(
            pygame.Rect(bar.x + word_w, bar.centery - px(18), bar.w - word_w - px(10), px(36)), m)
        self.folder_entry.set_text_length_limit(1000)
        self.folder_entry.set_text(self.folder_text)

    def mode(self, short: bool = False) -> str:
        """Who plays: the players by e-mail, and the sides the computer plays."""
        entry = self.entry
        if entry is None or entry.scenario is None:
            return ""
        names = self.names_for(entry)
        people = [n for n in names.values() if n]
        if not people:
            return "Type the name of at least one player."
        computer = [s["name"] for s in entry.scenario.sides if not names.get(s["id"])]
        if not computer:
            rest = "."
        elif short:
            rest = "; the computer plays the rest."
        else:
            rest = f"; the computer plays the {_and(computer)}."
        return f"By e-mail: {_and(people)}{rest}"

    def fits(self, text: str) -> bool:
        """Whether ``text`` fits the line under the sides."""
        return W.font(W.scaled(W.BODY, self.scale)).size(text)[0] <= self.detail.w - self.px(8)

    def show_error(self, text: str) -> None:
        self.error = text
        if text:
            body = W.font(W.scaled(W.BODY, self.scale))
            self.mode_label.set_text(W.fit_text(text, body, self.detail.w - self.px(8)))
            self.mode_label.change_object_id("#error")
        else:
            self.mode_label.change_object_id("#note")
            self.mode_label.set_text(self.mode_text())

    # -- input ---------------------------------------------------------------------------

    def on_ui_event(self, event):
        if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED:
            side = next((s for s, f in self.name_entries.items() if f is event.ui_element), None)
            if side is not None:
                self.name_changed(side, event.ui_element.get_text())
                return
            if event.ui_element is self.folder_entry:
                self.folder_text = self.folder_entry.get_text()
                return
        if (event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED
                and event.ui_element in (*self.name_entries.values(), self.folder_entry)):
            self.manager.set_focus_set(None)
            return
        super().on_ui_event(event)

    def name_changed(self, side: str, text: str) -> None:
        names = self.names_for(self.entry)
        names[side] = text.strip()
        kind = "human" if names[side] else "ai"
        seats = self.seats_for(self.entry)
        seats[side] = (kind, seats[side][1])
        self._refresh_seats()

    def on_button(self, button):
        for side, lvl in self.level_buttons.items():
            if button is lvl:
                self.cycle_level(side)
                return
        super().on_button(button)

    def _refresh_seats(self) -> None:
        names, seats = self.names_for(self.entry), self.seats_for(self.entry)
        for side, lvl in self.level_buttons.items():
            if names.get(side):
                lvl.set_text("-")
                lvl.disable()
            else:
                lvl.set_text(f"AI: {seats[side][1]}")
                lvl.enable()
        self.show_error("")

    def problem(self) -> str:
        """What stops the game from starting, in a player's words, or ""."""
        entry = self.entry
        names = {s: n for s, n in self.names_for(entry).items() if n}
        if not names:
            return "Name at least one player: an empty name is the computer."
        seen: dict[str, str] = {}
        for name in names.values():
            if name.lower() == COMPUTER:
                return f"\u201c{name}\u201d is the computer's name: leave the field empty for it."
            if not name.isprintable():
                return "A player's name is one line of letters, figures and signs."
            if name.lower() in seen:
                said = f"{seen[name.lower()]} plays two sides: each player needs a name of their own."
                return said if self.fits(said) else "Two sides have one player: give each a name of their own."
            seen[name.lower()] = name
        seed = self.seed()
        if seed is None or seed < 1:
            return "The seed must be a whole number of 1 or more."
        text = self.folder_text.strip()
        if not text:
            return "Type the folder the first turn file goes into."
        folder = Path(text).expanduser()
        if folder.exists() and not folder.is_dir():
            return "The place for the turn file is a file: type a folder."
        if not folder.exists() and folder != default_folder():
            return "No such folder for the turn file: type one that exists."
        return ""

    def confirm(self):
        entry = self.entry
        if entry is None or entry.scenario is None:
            return
        problem = self.problem()
        if problem:
            self.show_error(problem)
            return
        folder = Path(self.folder_text.strip()).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)  # the game's own pbem folder, at first
        except OSError as exc:
            self.show_error(f"Cannot make the folder: {exc.strerror or exc}")
            return
        names = {s: n for s, n in self.names_for(entry).items() if n}
        seats = {s: Seat("ai", level) for s, (_, level) in self.seats_for(entry).items() if s not in names}
        self.app.push(PbemStartedScene(self.app, entry.path, seats, names, folder, self.seed(),
                                       dict(self.switches_for(entry))))


class PbemStartedScene(TurnFileScene):
    """The game being started in the background, then its first turn file: where it is, who is
    to move and whom to send it to; that player may play it at once."""

    def __init__(self, app, scenario, seats, players, folder, seed, options):
        super().__init__(app)
        self.args = (scenario, seats, players, Path(folder), seed, options)
        self.players = dict(players)
        self.seed = seed
        self.tf = None
        self.start()

    def work(self) -> None:
        scenario, seats, players, folder, seed, options = self.args
        try:
            self.tf = start_game(scenario, seats, players, folder, seed, options)
        except ScenarioError as exc:
            self.error = exc.problems[0] if exc.problems else str(exc)
        except (PbemError, ValueError) as exc:
            self.error = str(exc)
        except OSError as exc:  # a folder that vanished: said, never fatal
            self.error = f"{folder}: cannot write the turn file: {exc.strerror or exc}"

    def lines(self) -> tuple[str, list[tuple[str, str]]]:
        """The heading, and the lines under it ("big": the line in large type)."""
        if self.working:
            return ("Starting the game", [("Writing the first turn file: the computer's sides that "
                                           "move first play their turns\u2026", "muted")])
        if self.error:
            return ("The game could not be started", [(self.error, "error")])
        tf = self.tf
        seats = self.args[1]

        def side(s: str) -> str:
            return _short_name(tf.side_name(s))

        people = [f"{name} ({side(s)})" for s, name in tf.players.items() if name != COMPUTER]
        computer = [f"{side(s)} ({seats[s].difficulty if s in seats else 'normal'})"
                    for s, name in tf.players.items() if name == COMPUTER]
        who = f"Players: {_and(people)}" + (f"; the computer: {_and(computer)}." if computer else ".")
        out = [(f"Written to {tf.path}", "ink")]
        if tf.over:
            out.insert(0, ("The game ended before any player's turn.", "big"))
            out.append(("It is the last turn file: any player opens it with no passphrase "
                        "to see the end.", "ink"))
        else:
            out.insert(0, (f"{tf.side_name(tf.side)} to move, played by {tf.player}", "big"))
            out.append((f"Send it to {tf.player} ({side(tf.side)}), or, if you are "
                        f"{tf.player}, play it now.", "ink"))
        out.append((who, "muted"))
        out.append((f"Seed {self.seed}.", "muted"))
        return (f"{tf.title}: turn 1", out)

    def heading_style(self, heading: str, width: int) -> tuple[str, str]:
        return W.title_style(heading, width, self.scale) if self.tf else ("#heading", heading)

    def keys(self, width: int) -> list[tuple[str, str]]:
        if self.error:
            return [("back", "Back"), ("menu", "Main menu")]
        if self.tf.over:
            return [("menu", "Main menu")]
        play = W.fit_text(f"Play it now (I am {self.tf.player})", W.font(W.scaled(W.BODY, self.scale)), width // 2)
        return [("play", play), ("menu", "Main menu")]

    def written(self) -> None:
        if self.tf is not None:  # the Play by e-mail screen lists the folder's files
            _remember(self.app, pbem_folder=str(self.tf.path.parent))

    def on_button(self, button):
        key = self.pressed(button)
        if key == "back":
            self.app.pop()
        elif key == "menu":
            Navigator(self.app).main_menu(reset=True)
        elif key == "play":
            self.app.push(PbemPassphraseScene(self.app, self.tf))

    def back(self):
        if self.working:
            return
        if self.error:
            self.app.pop()  # to the new game's screen, to mend what was wrong
        else:
            Navigator(self.app).main_menu(reset=True)


__all__ = ["PbemNewScene", "PbemStartedScene"]
