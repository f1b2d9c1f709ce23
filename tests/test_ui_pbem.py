"""Play by e-mail in the window: two players' turns exchanged through a shared folder, each on a
machine of their own, driven headless through the window's own events."""

from __future__ import annotations

import pygame
import pytest

from game.ai import DIFFICULTIES
from game.commands import Entrench
from game.pbem import open_turn, read_turn, start_game
from game.session import Seat
from game.ui import menus
from game.ui.handover import HandoverScene
from game.ui.pbem_new import PbemNewScene, PbemStartedScene
from game.ui.pbem_play import (PbemBattleScene, PbemOpenScene, PbemPassphraseScene, PbemSentScene,
                               PbemWaitScene)

SCENARIO = "2014-isis-offensive"  # the Jihadists (the computer's) move first
PLAYERS = {"baathist": "Bob", "coalition": "Carol"}
SECRET = {"Bob": "bob's long secret", "Carol": "carol's long secret"}


def frame(app, events=(), dt=0.016):
    app.step(list(events), dt=dt)
    for _ in range(2):
        app.step(None, dt=dt)


def key(k):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)


def click(pos):
    return [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, mod=0)]


def type_into(app, entry, text):
    """Click into a text field and type ``text`` as the keyboard would."""
    frame(app, click(entry.rect.center))
    frame(app, [pygame.event.Event(pygame.TEXTINPUT, text=ch) for ch in text])


def as_player(monkeypatch, tmp, name):
    """Each player has a machine of their own: their own game folder."""
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp / f"home-{name}"))


def wait_until(app, done, seconds=30.0):
    import time

    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "timed out"
        frame(app)


def shown_text(scene) -> str:
    """The words of a screen's labels and text boxes."""
    words = []
    for el in scene.manager.get_root_container().elements:
        words.append(str(getattr(el, "text", "") or getattr(el, "html_text", "") or ""))
    return " ".join(words)


def play_turn_from_folder(app, monkeypatch, tmp, folder, name, wrong_first):
    """The player's machine watches the folder; their turn opens; the passphrase (a wrong one
    first, or two that differ at their first turn); the summary; one command; the turn sent."""
    as_player(monkeypatch, tmp, name)
    app.reset(menus.MainMenuScene(app))
    wait = app.push(PbemWaitScene(app, folder, name))
    frame(app)
    ask = app.top
    assert isinstance(ask, PbemPassphraseScene), "the turn that arrived is opened"
    tf = ask.tf
    assert tf.player == name and "to move, played by " + name in shown_text(ask)
    if ask.again is not None:  # the side's first turn: the passphrase is chosen, twice
        assert "cannot be changed or recovered" in shown_text(ask)
        type_into(app, ask.entry, SECRET[name])
        type_into(app, ask.again, SECRET[name] + "x")
        frame(app, click(ask.open_button.rect.center))
        assert app.top is ask and "not the same" in ask.error
        type_into(app, ask.entry, SECRET[name])
        type_into(app, ask.again, SECRET[name])
    else:
        type_into(app, ask.entry, "not my passphrase")
        assert ask.entry.get_text() == "not my passphrase" and ask.entry.is_text_hidden
        frame(app, [key(pygame.K_RETURN)])
        assert app.top is ask, "a wrong passphrase opens nothing"
        assert f"the passphrase is not {tf.side_name(tf.side)}" in ask.error
        assert ask.error in shown_text(ask)
        assert ask.entry.get_text() == "", "it is typed again"
        type_into(app, ask.entry, SECRET[name])
    frame(app, [key(pygame.K_RETURN)])
    summary = app.top
    assert isinstance(summary, HandoverScene) and summary.page == 1
    battle = app.below(summary)
    assert isinstance(battle, PbemBattleScene) and app.below(battle) is wait
    assert battle.viewer == tf.side and battle.known.side == tf.side
    lines = list(summary.lines)
    frame(app, click((50, 50)))
    assert app.top is battle
    # One command, as in hot-seat; no save to play the turn again from.
    session = battle.session
    uid = next(u.id for u in session.game.state.units_of_side(tf.side)
               if not session.check(Entrench(tf.side, u.id)))
    assert battle.send(Entrench(tf.side, uid)) is not None
    frame(app, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F5, mod=0, unicode="", scancode=0)])
    assert "No saves" in battle.toast[0]
    assert not (tmp / f"home-{name}" / "saves").exists()
    frame(app, [key(pygame.K_e)])
    assert battle.confirm is not None and battle.confirm[0] == "End the turn and send it?"
    frame(app, [key(pygame.K_RETURN)])
    sent = app.top
    assert isinstance(sent, PbemSentScene)
    wait_until(app, lambda: not sent.working and "menu" in sent.buttons)
    assert sent.sent is not None and sent.sent.path.parent == folder
    text = shown_text(sent)
    nxt = sent.sent
    assert f"Send it to {nxt.player} ({nxt.side_name(nxt.side)})." in text
    assert str(nxt.path) in text and "shared folder" in text
    frame(app, click(sent.buttons["wait"].rect.center))
    assert app.top is wait
    frame(app)
    assert app.top is wait, "the turn just played is not opened again"
    return tf, lines, nxt


def test_two_players_take_turns_through_a_shared_folder(app, tmp_path, monkeypatch):
    folder = tmp_path / "shared"
    folder.mkdir()
    as_player(monkeypatch, tmp_path, "maker")
    start_game(SCENARIO, {"jihadist": Seat("ai")}, PLAYERS, folder / "game-turn-001.pbem", seed=4)

    tf1, lines1, sent1 = play_turn_from_folder(app, monkeypatch, tmp_path, folder, "Bob", False)
    assert tf1.number == 1 and tf1.first_turn
    assert lines1, "Bob is told what his side saw of the Jihadists' first moves"
    assert sent1.number == 2 and sent1.player == "Carol"

    tf2, lines2, sent2 = play_turn_from_folder(app, monkeypatch, tmp_path, folder, "Carol", False)
    assert tf2.path == sent1.path
    assert lines2[0] == (
        "Bob (Ba'athists (Ba'athist Syria and its allies)) opened turn 1 once before playing it")
    assert sent2.player == "Bob" and sent2.number == 3

    # Bob's second turn: a wrong passphrase first, then his.
    tf3, lines3, _ = play_turn_from_folder(app, monkeypatch, tmp_path, folder, "Bob", True)
    assert tf3.number == 3 and not tf3.first_turn
    assert any("Carol (Coalition) opened turn 2 once" in line for line in lines3)


def test_a_changed_file_is_refused_on_the_screen(app, tmp_path, monkeypatch):
    as_player(monkeypatch, tmp_path, "maker")
    path = tmp_path / "turn-001.pbem"
    start_game(SCENARIO, {"jihadist": Seat("ai")}, PLAYERS, path, seed=4)
    blob = bytearray(path.read_bytes())
    at = blob.index(b'"record": "') + 40
    blob[at] = ord("A") if blob[at] != ord("A") else ord("B")  # one byte of the sealed record
    path.write_bytes(bytes(blob))
    as_player(monkeypatch, tmp_path, "Bob")
    app.settings.pbem_folder = str(tmp_path)
    app.reset(menus.MainMenuScene(app))
    frame(app, click(app.top.buttons["pbem"].rect.center))
    chooser = app.top
    assert isinstance(chooser, PbemOpenScene)
    assert [tf.path for tf in chooser.files] == [path] and chooser.entry.get_text() == str(path)
    frame(app, click(chooser.open_button.rect.center))
    ask = app.top
    assert isinstance(ask, PbemPassphraseScene)
    type_into(app, ask.entry, SECRET["Bob"])
    type_into(app, ask.again, SECRET["Bob"])
    frame(app, click(ask.open_button.rect.center))
    assert app.top is ask
    assert "the file was changed or damaged" in ask.error and str(path) in ask.error
    assert ask.error in shown_text(ask)
    frame(app, click(ask.back_button.rect.center))
    assert app.top is chooser
    # Something that is not a turn file at all is named on the chooser itself.
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    chooser.entry.set_text(str(other))
    frame(app, [key(pygame.K_RETURN)])
    assert app.top is chooser and "not a turn file" in chooser.error


def test_a_game_by_e_mail_is_started_in_the_window(app, tmp_path, monkeypatch):
    """From the Play by e-mail screen: the scenario, a what-if switch, two players named and
    the third side the computer's at a level chosen; the first turn file is written into the
    chooser's folder, for the first person to move, who may play it at once."""
    folder = tmp_path / "shared"
    folder.mkdir()
    as_player(monkeypatch, tmp_path, "Bob")
    app.settings.pbem_folder = str(folder)
    app.reset(menus.MainMenuScene(app))
    frame(app, click(app.top.buttons["pbem"].rect.center))
    frame(app, click(app.top.new_button.rect.center))
    new = app.top
    assert isinstance(new, PbemNewScene) and new.folder_entry.get_text() == str(folder)
    assert new.seed() is not None and new.seed() >= 1, "a fresh seed, shown"
    new.select(next(i for i, e in enumerate(new.entries) if e.path.stem == "2014-new-role"))
    frame(app)
    assert list(new.name_entries) == ["jihadist", "baathist", "coalition"]
    assert all(f.get_text() == "" for f in new.name_entries.values()), "every side the computer's at first"

    # No person: refused, and said under the sides.
    frame(app, click(new.start_button.rect.center))
    assert app.top is new and "at least one player" in new.error
    assert new.error in shown_text(new)
    # The same player twice (as the folder mode finds players by name): refused.
    type_into(app, new.name_entries["baathist"], "Bob")
    assert not new.error and new.level_buttons["baathist"].text == "-"
    type_into(app, new.name_entries["coalition"], "bob")
    frame(app, click(new.start_button.rect.center))
    assert app.top is new and "each player needs a name of their own" in new.error
    assert new.error in shown_text(new)
    assert list(folder.iterdir()) == [], "nothing is written"

    new.name_entries["coalition"].set_text("")
    type_into(app, new.name_entries["coalition"], "Carol")
    frame(app, click(new.level_buttons["jihadist"].rect.center))
    hard = DIFFICULTIES[(DIFFICULTIES.index("normal") + 1) % len(DIFFICULTIES)]
    assert new.level_buttons["jihadist"].text == f"AI: {hard}"
    (option, toggle), = new.switch_buttons
    frame(app, click(toggle.rect.center))
    assert new.switches_for(new.entry)[option.id] is not option.default
    seed = new.seed()
    frame(app, click(new.start_button.rect.center))
    started = app.top
    assert isinstance(started, PbemStartedScene)
    wait_until(app, lambda: not started.working and "play" in started.buttons)
    assert not started.error
    (path,) = folder.iterdir()
    assert path.name.startswith("2014-new-role-") and path.name.endswith("-turn-001.pbem")
    tf = started.tf
    assert tf.path == path and tf.side == "baathist" and tf.player == "Bob" and tf.first_turn
    assert tf.players == {"jihadist": "computer", "baathist": "Bob", "coalition": "Carol"}
    text = shown_text(started)
    assert str(path) in text and "Send it to Bob (Ba'athists)" in text and f"Seed {seed}." in text
    assert started.buttons["play"].text == "Play it now (I am Bob)"
    assert app.settings.pbem_folder == str(folder), "the Play by e-mail screen lists it next time"
    frame(app, click(started.buttons["play"].rect.center))
    ask = app.top
    assert isinstance(ask, PbemPassphraseScene) and ask.tf.path == path and ask.again is not None

    game = open_turn(path, SECRET["Bob"])
    assert game.side == "baathist" and game.players == {"baathist": "Bob", "coalition": "Carol"}
    assert game.session.seats["jihadist"].difficulty == hard
    assert game.session.options[option.id] is not option.default
    assert game.session.game.seed == seed


def test_what_stops_a_game_by_e_mail_is_said_on_its_screen(app, tmp_path, monkeypatch):
    as_player(monkeypatch, tmp_path, "Bob")
    new = app.push(PbemNewScene(app, tmp_path))
    frame(app)
    first, second = list(new.name_entries)[:2]

    def refused(said):
        frame(app, click(new.start_button.rect.center))
        assert app.top is new and said in new.error, new.error
        assert new.error in shown_text(new), "said whole, on the screen"

    type_into(app, new.name_entries[first], "Computer")
    refused("the computer's name")
    long = "Bartholomew Maximilian Featherstonehaugh"  # as long as a name may be
    new.name_entries[first].set_text("")
    type_into(app, new.name_entries[first], long)
    type_into(app, new.name_entries[second], long)
    refused("give each a name of their own")
    new.name_entries[second].set_text("")
    type_into(app, new.name_entries[second], "Carol")
    new.seed_entry.set_text("0")
    refused("seed must be a whole number of 1 or more")
    new.seed_entry.set_text("17")
    new.folder_entry.set_text("")
    type_into(app, new.folder_entry, str(tmp_path / "no-such-folder"))
    refused("No such folder")
    assert not list(tmp_path.glob("**/*.pbem")), "nothing is written"


@pytest.mark.parametrize("argv, status, said", [
    (["play", "--player", "Bob"], 2, "--player goes with --pbem-dir"),
    (["play", "--pbem-dir", "no-such-folder"], 1, "no such folder"),
    (["play", "2014-isis-offensive", "--pbem-dir", "."], 2, "play by e-mail alone"),
])
def test_a_bad_pbem_command_line_is_one_line(argv, status, said, capsys):
    from game.cli import main

    assert main(argv) == status
    err = capsys.readouterr().err.strip()
    assert said in err and "\n" not in err
