"""The window's menus, dialogs, hand-over, help and results screens, driven by their own input
events through ``App.step`` with SDL's dummy video driver."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pygame
import pygame_gui
import pytest

from game.session import Seat, Session
from game.ui import menus
from game.ui import widgets as W
from game.ui.handover import HandoverScene
from game.ui.help import HelpOverlay
from game.ui.results import ResultsScene
from game.ui.scene import App, Scene
from game.ui.settings import UI_SCALES, Settings, saves_dir

SCENARIO = "2014-isis-offensive"


@pytest.fixture(scope="module")
def session():
    return Session.new(SCENARIO, {"jihadist": Seat("human"), "baathist": Seat("human"),
                                  "coalition": Seat("ai")}, seed=5)


def frame(app, events=()):
    app.step(list(events), dt=0.016)
    for _ in range(2):  # what the widgets posted in answer, and what that made them post
        app.step(None, dt=0.016)


def click(app, widget):
    pos = widget.rect.center
    frame(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)])


def key(app, k, mod=0):
    frame(app, [pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)])


def row_button(lst, index):
    item = lst.item_list[index]
    assert item.get("button_element") is not None, "row not on screen"
    return item["button_element"]


def resize(app, size):
    pygame.display.set_mode(size, pygame.RESIZABLE)
    frame(app, [pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])])


class Stand(Scene):
    """A scene to stand under overlays: paints the window one colour and counts its frames
    (with a ``session``, it stands for that game's battle screen)."""

    colour = (200, 30, 200)

    def __init__(self, app, session=None):
        super().__init__(app)
        self.draws = 0
        self.session = session

    def draw(self, screen):
        self.draws += 1
        screen.fill(self.colour)


def finished(session_):
    st = session_.game.state
    st.over, st.winner = True, "jihadist"
    st.result = "Jihadists win: Take Mosul"
    return session_


# -- every screen draws, at two sizes ----------------------------------------------------------

def test_every_screen_draws_and_follows_the_window(app, session, monkeypatch):
    shots = {}
    screens = [
        lambda: menus.MainMenuScene(app),
        lambda: menus.NewGameScene(app),
        lambda: menus.LoadDialog(app),
        lambda: menus.SaveDialog(app, session),
        lambda: menus.SettingsScene(app),
        lambda: HandoverScene(app, session, "baathist", ["Turn 1: Mosul has fallen."]),
        lambda: HelpOverlay(app, "Keys", [("E", "end the turn"), ("Esc", "menu")]),
        lambda: ResultsScene(app, session),
    ]
    for make in screens:
        app.reset(Stand(app))
        scene = app.push(make())
        frame(app)
        assert app.top is scene
        small = pygame.surfarray.array3d(app.screen)
        resize(app, (1600, 900))
        assert app.top is scene and app.screen.get_size() == (1600, 900)
        if isinstance(scene, W.GuiScene):
            assert scene.manager.window_resolution == (1600, 900)
        shots[type(scene).__name__] = (small.std(), pygame.surfarray.array3d(app.screen).std())
        resize(app, (1024, 700))
    # Each screen drew something (not one flat colour) at both sizes.
    assert all(a > 5 and b > 5 for a, b in shots.values()), shots


# -- main menu and new game --------------------------------------------------------------------

def test_new_game_from_the_menu_with_the_mouse(app, monkeypatch):
    monkeypatch.setattr(menus, "editor_available", lambda: False)
    menu = app.push(menus.MainMenuScene(app))
    assert "editor" not in menu.buttons
    click(app, menu.buttons["new"])
    new = app.top
    assert isinstance(new, menus.NewGameScene)
    index = next(i for i, e in enumerate(new.entries) if e.path.stem == SCENARIO)
    click(app, row_button(new.list, index))
    assert new.entry.path.stem == SCENARIO
    assert "Solo" in new.mode_label.text
    side, who, level = new.side_buttons[0]
    click(app, who)  # the first side goes to the computer
    assert new.seats_for(new.entry)[side] == ("ai", "normal")
    assert "Watch" in new.mode_label.text
    click(app, level)
    assert new.seats_for(new.entry)[side] == ("ai", "hard")
    click(app, new.side_buttons[1][1])
    click(app, new.side_buttons[2][1])
    assert "Hot-seat: 2 players" in new.mode_label.text
    new.seed_entry.set_text("42")
    click(app, new.start_button)
    from game.ui.battle import BattleScene

    battle = app.stack[1]  # (a hot-seat game may cover it with the hand-over screen)
    assert isinstance(battle, BattleScene) and isinstance(app.stack[0], menus.MainMenuScene)
    s = battle.session
    assert s.game.seed == 42
    assert s.seats[side] == Seat("ai", "hard") and s.humans() == ["baathist", "coalition"]


def test_menu_keyboard_and_escape(app, monkeypatch):
    import sys
    import types

    monkeypatch.setattr(menus, "editor_available", lambda: True)
    opened = []
    monkeypatch.setitem(sys.modules, "game.ui.editor", types.SimpleNamespace(
        EditorScene=lambda app_, scenario: opened.append(scenario) or Stand(app_)))
    menu = app.push(menus.MainMenuScene(app))
    frame(app)
    assert list(menu.buttons) == ["new", "tutorial", "load", "pbem", "editor", "settings", "quit"]
    key(app, pygame.K_DOWN)  # past the tutorial
    key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)
    assert isinstance(app.top, menus.LoadDialog)
    key(app, pygame.K_ESCAPE)
    assert app.top is menu
    key(app, pygame.K_TAB)  # from Load game, past play by e-mail and the editor
    key(app, pygame.K_TAB)
    key(app, pygame.K_TAB)
    key(app, pygame.K_RETURN)
    assert isinstance(app.top, menus.SettingsScene)
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_UP)
    key(app, pygame.K_RETURN)  # from Settings, up is the editor
    assert isinstance(app.top, Stand) and opened == [None]
    app.reset(menus.MainMenuScene(app))
    key(app, pygame.K_ESCAPE)
    assert not app.running


def test_a_what_if_switch_is_turned_on_the_new_game_screen_and_the_game_starts_with_it(app, recorded):
    """A scenario's switches are toggles on the new-game screen, reached with Tab and turned
    with Enter; the one turned from history is marked, its words are shown while it is chosen,
    and the game starts without the turning point the switch takes away."""
    new = app.push(menus.NewGameScene(app))
    frame(app)
    index = next(i for i, e in enumerate(new.entries) if e.path.stem == "2014-new-role")
    click(app, row_button(new.list, index))
    assert [(o.id, t.text) for o, t in new.switch_buttons] == [("iraq-stays", "Off")]
    labels = [e.text for e in new.manager.get_sprite_group().sprites()
              if isinstance(e, pygame_gui.elements.UILabel)]
    assert "Iraq stays with the coalition" in labels and "history: off" in labels
    assert new.explained() is None
    key(app, pygame.K_TAB)  # the switch comes first, above the sides
    option, toggle = new.switch_buttons[0]
    assert new.focusable[new.focus] is toggle and new.explained() == (option, toggle)
    key(app, pygame.K_RETURN)
    assert new.switches_for(new.entry) == {"iraq-stays": True}
    option, toggle = new.switch_buttons[0]  # made again, turned
    assert toggle.text == "On" and new.focusable[new.focus] is toggle
    marks = [e for e in new.manager.get_sprite_group().sprites()
             if isinstance(e, pygame_gui.elements.UILabel) and e.text.startswith("what-if")]
    assert [m.object_ids[-1] for m in marks] == ["#what_if"]
    # Its words are painted in a panel under it while it is chosen, and only then.
    recorded.clear()
    frame(app)
    assert "Iraq stays with the coalition" in recorded and "In history this switch is off." in recorded
    key(app, pygame.K_TAB)
    assert new.explained() is None
    recorded.clear()
    frame(app)
    assert "In history this switch is off." not in recorded
    click(app, new.start_button)
    from game.ui.battle import BattleScene

    battle = next(s for s in app.stack if isinstance(s, BattleScene))
    game = battle.session
    events = [e["id"] for e in game.game.setup["events"]]
    assert "iraq-turns" not in events and "iraq-stays" in events
    assert [o.id for o in game.what_ifs()] == ["iraq-stays"]
    # The battle's top bar and its overview say so, and so do the results.
    resize(app, (1400, 900))
    battle.messages.clear()
    frame(app)
    top = pygame.surfarray.array3d(app.screen.subsurface(battle.panels.rects["top"]))
    assert (top.reshape(-1, 3) == W.BRASS).all(axis=1).any()  # the words in brass
    assert "what-if: Iraq stays with the coalition" in recorded
    assert any(text == "\u2022 Iraq stays with the coalition" for text, _, _ in battle.info_rows())
    said = [t for t, _ in ResultsScene(app, finished(game)).lines()]
    assert "A what-if: this game departed from history. Iraq stays with the coalition." in said
    plain = Session.new("2014-new-role", seed=1)
    assert not [t for t, _ in ResultsScene(app, finished(plain)).lines() if "what-if" in t]


def test_new_game_keys_move_in_the_list(app):
    new = app.push(menus.NewGameScene(app))
    frame(app)
    assert new.index == 0
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)
    assert new.index == 2 and menus.W.selected_row(new.list) == 2
    key(app, pygame.K_UP)
    assert new.index == 1
    key(app, pygame.K_ESCAPE)
    assert not app.running  # nothing under it: the window closes


def test_custom_scenarios_are_listed_and_broken_ones_say_why(app, home):
    from game import SCENARIOS_DIR

    folder = saves_dir().parent / "scenarios"
    folder.mkdir(parents=True)
    text = (SCENARIOS_DIR / "examples" / "fall-of-mosul.toml").read_text(encoding="utf-8")
    (folder / "mine.toml").write_text(text, encoding="utf-8")
    (folder / "broken.toml").write_text("[scenario]\nid = 3\n", encoding="utf-8")
    new = app.push(menus.NewGameScene(app))
    stems = {e.path.stem: e for e in new.entries}
    assert stems["mine"].custom and stems["mine"].scenario is not None
    assert stems["broken"].scenario is None and "broken.toml" in stems["broken"].problem
    new.select(new.entries.index(stems["broken"]))
    frame(app)
    assert not new.start_button.is_enabled
    new.select(new.entries.index(stems["mine"]))
    frame(app)
    assert new.start_button.is_enabled


def test_new_game_offers_the_small_examples_first_with_their_size_and_dates(app, monkeypatch):
    """A newcomer meets the small example wars first, marked as first games, and every row
    says when its war is, how long, and how many units a side has."""
    from collections import Counter

    from game import SCENARIOS_DIR

    painted = []
    real = W._rendered
    monkeypatch.setattr(W, "_rendered", lambda t, f, c: painted.append(t) or real(t, f, c))
    monkeypatch.setattr(menus, "editor_available", lambda: False)
    menu = app.push(menus.MainMenuScene(app))
    click(app, menu.buttons["new"])
    new = app.top
    assert isinstance(new, menus.NewGameScene)
    examples = sorted((SCENARIOS_DIR / "examples").glob("*.toml"))
    assert any(p.name == "fall-of-mosul.toml" for p in examples)
    first = new.entries[:len(examples)]
    assert sorted(e.path for e in first) == examples  # every example, before the phases
    sizes = [sum(e.units().values()) for e in first]
    assert sizes == sorted(sizes)
    assert new.index == 0 and new.entry is first[0]  # the smallest is chosen to begin with
    for e in new.entries:
        sc = e.scenario
        side_of = {f["id"]: f["side"] for f in sc.factions}
        counts = Counter(side_of[u["faction"]] for u in sc.setup["units"])
        assert e.units() == {s["id"]: counts[s["id"]] for s in sc.sides}
        row = e.row()
        lo, hi = min(counts.values()), max(counts.values())
        assert (f"{lo}-{hi} units a side" if lo < hi else f"{lo} units a side") in row.detail
        assert f"{sc.start:%b}" in row.detail and str(sc.end.year) in row.detail
        assert f"{sc.turns} turns" in row.detail
        assert ("first game" in row.tag) == (e.example and hi <= menus.SMALL_SIDE)
        if e.example:
            assert not row.title.startswith("Example")
    mosul = next(e for e in first if e.path.name == "fall-of-mosul.toml")
    assert "small" in mosul.row().tag and "first game" in mosul.row().tag
    assert max(mosul.units().values()) <= menus.SMALL_SIDE
    # What the rows say is painted in the list, not only kept.
    assert {mosul.row().title, mosul.row().tag, mosul.row().detail} <= set(painted)
    # Chosen with the keys and started, it is the game played.
    for _ in range(new.entries.index(mosul) - new.index):
        key(app, pygame.K_DOWN)
    assert new.entry is mosul
    click(app, new.start_button)
    battle = app.stack[1]
    assert battle.session.game.state.scenario_id == mosul.scenario.id


def test_new_game_lists_each_sides_aims_in_words(app, home):
    """Before a game starts, each side's victory conditions are listed under who plays it, in
    the scenario's words or, where it gives none, in words that name towns by their names."""
    import re

    from game import SCENARIOS_DIR

    folder = saves_dir().parent / "scenarios"
    folder.mkdir(parents=True)
    text = (SCENARIOS_DIR / "examples" / "fall-of-mosul.toml").read_text(encoding="utf-8")
    (folder / "bare.toml").write_text(re.sub(r"(?m)^text = .*\n", "", text), encoding="utf-8")
    new = app.push(menus.NewGameScene(app))
    frame(app)
    index = next(i for i, e in enumerate(new.entries) if e.path.stem == SCENARIO)
    click(app, row_button(new.list, index))
    assert new.entry.path.stem == SCENARIO

    def shown():
        return {side: " ".join(label.text for label in labels)
                for side, labels in new.aim_labels.items()}

    conds = new.entry.scenario.setup["victory"]
    aims = shown()
    assert set(aims) == {s["id"] for s in new.entry.scenario.sides}
    for cond in conds:
        assert cond["text"][:40] in aims[cond["side"]]
    assert "(0 of 2 towns held, 1 needed)" in aims["jihadist"]  # where the side stands
    # Each side's aims stand under its own buttons, above the next side's.
    tops = [who.rect.y for _, who, _ in new.side_buttons[1:]] + [new.mode_label.rect.y]
    for (side, who, _), below in zip(new.side_buttons, tops):
        assert new.aim_labels[side]
        for label in new.aim_labels[side]:
            assert who.rect.bottom <= label.rect.y and label.rect.bottom <= below + 2

    bare = next(i for i, e in enumerate(new.entries) if e.path.stem == "bare")
    for _ in range(bare - new.index):
        key(app, pygame.K_DOWN)
    assert new.entry.path.stem == "bare"
    assert not any(c.get("text") for c in new.entry.scenario.setup["victory"])
    aims = shown()
    assert aims["jihadist"].startswith("\u2022 Take Mosul (")
    assert aims["baathist"].startswith("\u2022 Hold Mosul and Tikrit to the end (")
    said = " ".join(e.text for e in new.manager.get_sprite_group().sprites()
                    if isinstance(e, pygame_gui.elements.UILabel))
    assert "Jihadists" in said and "Iraq" in said
    assert not re.search(r"\b(mosul|tikrit|jihadist|baathist|isis|iraq)\b", said), said


def test_map_preview_shows_sides_and_is_cached(app):
    entry = next(e for e in menus.scenario_entries() if e.path.stem == SCENARIO)
    a = menus.map_preview(entry.scenario, "standard")
    assert menus.map_preview(entry.scenario, "standard") is a
    b = menus.map_preview(entry.scenario, "colour-blind")
    pix = pygame.surfarray.array3d(a).reshape(-1, 3)
    sides = [s["id"] for s in entry.scenario.sides]
    for side in sides:
        assert (pix == W.side_colour("standard", side, sides)).all(axis=1).any()
    assert not (pygame.surfarray.array3d(b).reshape(-1, 3)
                == W.side_colour("standard", "coalition")).all(axis=1).any()


def test_a_side_has_one_colour_on_every_screen(app):
    """The coalition is blue, the Ba'athists red, the jihadists black, wherever they are shown,
    whatever their place in a scenario's list; the colour-blind palette has its own three."""
    from game.ui.counters import FACTION_COLOURS, Palette, side_colour

    assert side_colour("coalition") == FACTION_COLOURS["us"] == (70, 110, 190)
    for palette in ("standard", "colour-blind"):
        colours = {s: W.side_colour(palette, s, ["jihadist", "baathist", "coalition"])
                   for s in ("coalition", "baathist", "jihadist")}
        assert len(set(colours.values())) == 3
        for s, c in colours.items():
            assert W.side_colour(palette, s, ["coalition", "baathist", "jihadist"]) == c
            assert W.side_colour(palette, s) == c
        pal = Palette({"isis": ("Islamic State", "jihadist"), "us": ("United States", "coalition"),
                       "assad": ("Assad", "baathist")}, palette, ["jihadist", "baathist", "coalition"])
        assert {s: pal.side(s) for s in colours} == colours
    # ISIS's counters are the jihadists' black; the standard coalition counters are its blue.
    pal = Palette({"isis": ("Islamic State", "jihadist"), "us": ("United States", "coalition")})
    assert pal.colour("isis") == pal.side("jihadist") == (45, 45, 45)
    assert pal.faction_colour("isis") == (40, 40, 40)  # its tag
    assert pal.side("coalition") == pal.colour("us") == (70, 110, 190)
    # Sides of a scenario of one's own: the spare colours, by their place among such sides.
    mine = ["red", "blue"]
    assert W.side_colour("standard", "red", mine) != W.side_colour("standard", "blue", mine)


# -- hand-over ---------------------------------------------------------------------------------

def test_handover_shows_no_map_and_names_the_side(app, session, monkeypatch):
    from game.ui import mapdraw

    def no_map(*args, **kw):
        raise AssertionError("the map was drawn under the hand-over screen")

    monkeypatch.setattr(mapdraw.MapRenderer, "render", no_map)
    monkeypatch.setattr(mapdraw.MapRenderer, "draw_view", no_map)
    monkeypatch.setattr(mapdraw.MapRenderer, "tile", no_map)
    said = []
    real = W.blit_text

    def spy(screen, text, *a, **kw):
        said.append(text)
        return real(screen, text, *a, **kw)

    monkeypatch.setattr(W, "blit_text", spy)
    stand = app.push(Stand(app))
    frame(app)
    drawn = stand.draws
    lines = ["Turn 2: Tikrit was taken by the Jihadists", "Turn 2: Air strike near Baiji"]
    hand = app.push(HandoverScene(app, session, "baathist", lines))
    frame(app)
    name = session.game.state.side_names["baathist"]
    assert f"{name} to move" in said
    colours = [Stand.colour] + list(mapdraw.TERRAIN_COLOURS.values())
    for _ in range(2):
        pix = pygame.surfarray.array3d(app.screen).reshape(-1, 3)
        for c in colours:
            assert not (pix == c).all(axis=1).any(), c
        assert stand.draws == drawn
        said.clear()
        frame(app, [pygame.event.Event(pygame.KEYUP, key=pygame.K_e, mod=0)])  # not a press
        assert app.top is hand
        key(app, pygame.K_LSHIFT)  # a modifier alone is not a press either
        assert app.top is hand
        if hand.page == 0:
            key(app, pygame.K_RETURN)
            assert app.top is hand and hand.page == 1
            assert any(lines[0] in t for t in said)
    frame(app, [pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(50, 50), button=1)])
    assert app.top is stand


# -- help --------------------------------------------------------------------------------------

def test_help_overlay_lists_keys_over_the_screen_and_closes(app, monkeypatch):
    said = []
    real = W.blit_text
    monkeypatch.setattr(W, "blit_text", lambda s, t, *a, **k: said.append(t) or real(s, t, *a, **k))
    stand = app.push(Stand(app))
    keys = [(f"F{i}", f"action number {i}") for i in range(1, 41)]
    help_ = app.push(HelpOverlay(app, "Battle keys", keys))
    frame(app)
    assert stand.draws >= 1  # drawn beneath, dimmed
    assert "Battle keys" in said and "F40" in said and "action number 40" in said
    assert app.screen.get_rect().contains(help_.panel)
    lay = help_.layout(app.screen.get_size())
    assert lay.fits and len(lay.columns) >= 2 and len(lay.columns) * lay.rows >= 40
    frame(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(5, 5), button=1)])
    assert app.top is stand


def test_help_takes_the_largest_size_and_fewest_columns_that_fit(app):
    from game.ui.battle import SHORTCUTS

    help_ = HelpOverlay(app, "Battle: keys and mouse", SHORTCUTS)
    big = help_.layout((1600, 900))
    assert big.fits and len(big.columns) <= 2 and big.size == W.BODY
    small = help_.layout((1024, 700))
    assert small.fits and small.width <= 1024 - 32 and small.height <= 700 - 32
    tiny = help_.layout((640, 400))
    assert tiny.width <= 640 and tiny.height <= 400  # cut short, but inside the window


# -- saving and loading ------------------------------------------------------------------------

def test_save_dialog_writes_a_save_that_loads_back(app, session):
    app.push(Stand(app))
    dialog = app.push(menus.SaveDialog(app, session))
    frame(app)
    dialog.entry.set_text("Mosul / first try?")
    click(app, dialog.save_button)
    path = saves_dir() / f"Mosul - first try{menus.save_suffix()}"
    assert isinstance(app.top, Stand) and dialog.saved == path and path.exists()
    again = Session.load(path)
    assert again.game.checksum() == session.game.checksum()
    assert again.seats == session.seats

    # The same name again: asked first, replaced on the second Save.
    before = path.read_bytes()
    dialog = app.push(menus.SaveDialog(app, session))
    frame(app)
    click(app, row_button(dialog.list, 0))
    assert dialog.entry.get_text() == "Mosul - first try"
    path.write_bytes(before + b"")  # untouched so far
    click(app, dialog.save_button)
    assert app.top is dialog and dialog.confirming and "replace" in dialog.message.lower()
    assert path.read_bytes() == before
    key(app, pygame.K_RETURN)
    assert isinstance(app.top, Stand)
    assert Session.load(path).game.checksum() == session.game.checksum()


@pytest.mark.parametrize("text,clean", [("a/b\\c", "a-b-c"), ("  ..hidden", "hidden"),
                                        ("x" * 90, "x" * 60), ("???", ""),
                                        ("Raqqa (2017) v2.1", "Raqqa (2017) v2.1"),
                                        ("invasion: day one", "invasion - day one")])
def test_save_names_become_safe_file_names(text, clean):
    assert menus.clean_save_name(text) == clean


def test_a_corrupt_save_is_reported_and_left_alone(app, session):
    folder = saves_dir()
    folder.mkdir(parents=True)
    session.save(folder / f"good{menus.save_suffix()}")
    bad = folder / f"bad{menus.save_suffix()}"
    doc = json.loads(gzip.decompress((folder / f"good{menus.save_suffix()}").read_bytes()))
    doc["state"]["turn"] = 99  # edited by hand: the digest no longer matches
    blob = gzip.compress(json.dumps(doc).encode())
    bad.write_bytes(blob)
    menu = app.push(menus.MainMenuScene(app))
    click(app, menu.buttons["load"])
    dialog = app.top
    assert isinstance(dialog, menus.LoadDialog)
    names = [e.name for e in dialog.saves]
    assert sorted(names) == ["bad", "good"]
    dialog.select(names.index("bad"))
    frame(app)
    assert "bad" in dialog.details.html_text and "edited or damaged" in dialog.details.html_text
    assert not dialog.load_button.is_enabled
    dialog.focus = -1
    key(app, pygame.K_RETURN)  # Enter tries anyway
    assert app.top is dialog and "bad" in dialog.error and "edited or damaged" in dialog.error
    assert bad.read_bytes() == blob
    dialog.select(names.index("good"))
    frame(app)
    click(app, dialog.load_button)
    from game.ui.battle import BattleScene

    battle = app.stack[1]  # (a hot-seat game may cover it with the hand-over screen)
    assert isinstance(battle, BattleScene) and app.stack[0] is menu
    assert battle.session.game.checksum() == session.game.checksum()


def test_continue_opens_the_newest_save(app, session):
    menu = app.push(menus.MainMenuScene(app))
    frame(app)
    assert "continue" not in menu.buttons
    app.push(Stand(app))
    dialog = app.push(menus.SaveDialog(app, session))
    frame(app)
    dialog.entry.set_text("latest")
    key(app, pygame.K_RETURN)  # Enter in the name field saves
    assert isinstance(app.top, Stand)
    app.pop()
    assert app.top is menu and "continue" in menu.buttons  # the menu noticed the new save
    path = saves_dir() / f"latest{menus.save_suffix()}"
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # damaged after the menu listed it
    click(app, menu.buttons["continue"])
    assert app.top is menu and "latest" in menu.error_label.text
    path.write_bytes(good)
    click(app, menu.buttons["continue"])
    from game.ui.battle import BattleScene

    assert isinstance(app.stack[1], BattleScene)
    assert app.stack[1].session.game.checksum() == session.game.checksum()


def test_continue_never_offers_a_finished_game(app, home):
    """Continue opens the newest save of a game still in play, passing over a newer save of
    a game that is over; with only finished games left, there is no Continue."""
    import os
    import time

    saves_dir().mkdir(parents=True)
    playing = Session.new(SCENARIO, None, seed=7)
    in_play = saves_dir() / f"in play{menus.save_suffix()}"
    playing.save(in_play)
    finished(Session.new(SCENARIO, None, seed=8)).save(saves_dir() / f"won{menus.save_suffix()}")
    hour_ago = time.time() - 3600
    os.utime(in_play, (hour_ago, hour_ago))  # the finished game is the newest save
    menu = app.push(menus.MainMenuScene(app))
    frame(app)
    assert list(menu.buttons)[0] == "continue" and menu.latest == in_play
    said = [e.text for e in menu.manager.get_sprite_group().sprites()
            if isinstance(e, pygame_gui.elements.UILabel)]
    title = playing.game.state.title.split(" (")[0]
    assert any(t.startswith("Continue: ") and title in t for t in said), said
    click(app, menu.buttons["continue"])
    battle = app.stack[1]
    assert battle.session.game.checksum() == playing.game.checksum()
    assert not battle.session.game.state.over

    # Back at the menu, the game in play is deleted from the load list: only the finished
    # game is left, and Continue goes.
    app.reset(menu)
    click(app, menu.buttons["load"])
    dialog = app.top
    dialog.select([e.path for e in dialog.saves].index(in_play))
    frame(app)
    click(app, dialog.delete_button)
    click(app, dialog.delete_button)
    assert not in_play.exists()
    key(app, pygame.K_ESCAPE)
    assert app.top is menu and "continue" not in menu.buttons and menu.latest is None
    assert list(menu.buttons)[0] == "new"


def test_escape_leaves_a_dialog_even_while_typing(app, session):
    stand = app.push(Stand(app))
    dialog = app.push(menus.SaveDialog(app, session))
    frame(app)
    assert dialog._typing()
    key(app, pygame.K_ESCAPE)
    assert app.top is stand and not list(saves_dir().glob("*"))


def test_a_save_is_deleted_only_when_asked_twice(app, session):
    saves_dir().mkdir(parents=True)
    for name in ("one", "two"):
        session.save(saves_dir() / f"{name}{menus.save_suffix()}")
    dialog = app.push(menus.LoadDialog(app))
    frame(app)
    first = dialog.saves[dialog.index].path
    click(app, dialog.delete_button)
    assert first.exists() and "again" in dialog.error_label.text
    dialog.select(1 - dialog.index)  # another save: the question is dropped
    frame(app)
    other = dialog.saves[dialog.index].path
    click(app, dialog.delete_button)
    click(app, dialog.delete_button)
    assert not other.exists() and first.exists()
    assert [e.path for e in dialog.saves] == [first]
    assert len(dialog.list.item_list) == 1


# -- settings ----------------------------------------------------------------------------------

def test_settings_change_apply_and_persist(app, home):
    menu = app.push(menus.MainMenuScene(app))
    frame(app)
    settings = app.push(menus.SettingsScene(app))
    frame(app)
    first_manager = settings.manager
    click(app, settings.row_buttons["ui_scale"])
    assert app.settings.ui_scale == 1.15 and settings.manager is not first_manager
    click(app, settings.row_buttons["palette"])
    click(app, settings.row_buttons["autosave"])
    settings.focus = list(settings.row_buttons).index("ai_speed")
    key(app, pygame.K_LEFT)
    assert app.settings.ai_speed == "slow"
    key(app, pygame.K_ESCAPE)
    assert app.top is menu
    # The menu laid out again at the new size (as large as its buttons leave room for).
    assert menu._built_for[1] == menu.scale > 1.0
    saved = Settings.load()
    assert (saved.ui_scale, saved.palette, saved.autosave, saved.ai_speed) == \
        (1.15, "colour-blind", False, "slow")


# -- results -----------------------------------------------------------------------------------

def test_results_say_who_won_and_draw_the_casualties(app, home):
    s = finished(Session.new(SCENARIO, None, seed=2))
    app.push(menus.MainMenuScene(app))
    res = app.push(ResultsScene(app, s))
    frame(app)
    assert res.map_button is None  # in place of the battle: no map to go back to
    stand = app.replace(Stand(app))
    stand.session = s  # stands in for the finished battle
    res = app.push(ResultsScene(app, s))
    frame(app)
    assert res.headline() == "Victory: Jihadists"
    text = " ".join(t for t, _ in res.lines())
    assert "Take Mosul" in text and f"turn {s.game.state.turn} of" in text
    assert res.rows and all(len(r) == 5 for r in res.rows)
    assert any(r[2] for r in res.rows)  # the source's figures are there
    chart = pygame.surfarray.array3d(app.screen.subsurface(res.chart_rect))
    from game.ui.charts import SOURCE_COLOUR

    assert (chart.reshape(-1, 3) == SOURCE_COLOUR).all(axis=1).any()
    click(app, res.map_button)
    assert isinstance(app.top, Stand)
    res = app.push(ResultsScene(app, s))
    frame(app)
    click(app, res.menu_button)
    assert isinstance(app.top, menus.MainMenuScene) and len(app.stack) == 1


def test_results_can_be_opened_again_after_the_final_map(app, home):
    """After "View final map" the battle may show the results again, a new screen or the
    same one: all is there again, and each time the map is one button (or Esc) away."""
    from game.ui.charts import SOURCE_COLOUR

    s = finished(Session.new(SCENARIO, None, seed=2))
    battle = app.push(Stand(app, s))
    res = app.push(ResultsScene(app, s))
    frame(app)
    seen = (res.headline(), res.lines(), res.rows)
    click(app, res.map_button)
    assert app.top is battle
    for again in (ResultsScene(app, s), res, res):
        app.push(again)
        frame(app)
        assert app.top is again and again.map_button is not None
        assert (again.headline(), again.lines(), again.rows) == seen
        chart = pygame.surfarray.array3d(app.screen.subsurface(again.chart_rect))
        assert (chart.reshape(-1, 3) == SOURCE_COLOUR).all(axis=1).any()
        if again is res:
            key(app, pygame.K_ESCAPE)  # Esc goes back to the map too
        else:
            click(app, again.map_button)
        assert app.top is battle
    # Shown in the battle's place first (no map beneath), then over the battle: the button
    # follows what lies beneath.
    app.reset(menus.MainMenuScene(app))
    lone = app.push(ResultsScene(app, s))
    frame(app)
    assert lone.map_button is None
    app.reset(Stand(app, s))
    app.push(lone)
    frame(app)
    assert lone.map_button is not None
    click(app, lone.map_button)
    assert isinstance(app.top, Stand)


def test_the_battle_shows_the_results_once_and_the_final_map_stays(app, home):
    """The battle screen pushes the results when the game ends; "View final map" goes back to
    it, and it does not push them again by itself: the player asks (ResultsScene(app,
    session) pushed over it)."""
    from game.ui.battle import BattleScene

    s = finished(Session.new(SCENARIO, {"jihadist": Seat("human")}, seed=2))
    app.push(menus.MainMenuScene(app))
    battle = app.push(BattleScene(app, s))
    for _ in range(20):  # the news of the first day is read first
        if isinstance(app.top, ResultsScene):
            break
        key(app, pygame.K_RETURN)
    res = app.top
    assert isinstance(res, ResultsScene) and res.map_button is not None
    click(app, res.map_button)
    for _ in range(5):
        frame(app)
    assert app.top is battle
    again = app.push(ResultsScene(app, battle.session))
    frame(app)
    assert again.map_button is not None and again.headline() == res.headline()
    key(app, pygame.K_ESCAPE)
    assert app.top is battle


def test_results_set_against_the_whole_war_draw_only_the_forces_in_the_game(home):
    from pathlib import Path

    from game.ui.results import casualty_rows

    path = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "fall-of-mosul.toml"
    s = finished(Session.new(str(path), None, seed=2))
    rows, title = casualty_rows(s)
    assert title.startswith("the whole war, scaled")  # the example gives no figures of its own
    labels = {r[0] for r in rows}
    assert {"ISIS", "Iraqi forces", "Civilians"} <= labels
    assert not any(label.startswith(("Syrian", "Coalition", "Hezbollah")) for label in labels)


# -- the command line --------------------------------------------------------------------------

def test_play_errors_exit_with_a_message_1_for_input_2_for_the_command_line(home, capsys, tmp_path):
    from game.cli import main

    assert main(["play", "no-such-war"]) == 1
    assert "no-such-war" in capsys.readouterr().err
    assert main(["play", SCENARIO, "--side", "martians=human"]) == 2
    err = capsys.readouterr().err
    assert "martians" in err and "Traceback" not in err
    assert main(["play", SCENARIO, "--side", "isis=robot"]) == 2
    assert "robot" in capsys.readouterr().err
    bad = tmp_path / "broken.save"
    bad.write_bytes(b"\x1f\x8b not really")
    assert main(["play", "--load", str(bad)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "gzip" in err
    assert main(["play", "--side", "isis=ai"]) == 2
    assert "--side" in capsys.readouterr().err


def test_play_load_finds_a_save_by_its_name(home, session, monkeypatch):
    from game.ui import main as main_mod

    saves_dir().mkdir(parents=True)
    session.save(saves_dir() / f"my war{menus.save_suffix()}")
    opened = []
    from game.ui.navigator import Navigator

    monkeypatch.setattr(Navigator, "play", lambda nav, s: opened.append(s))
    assert main_mod.run_game(load="my war", max_frames=1) == 0
    assert opened and opened[0].game.checksum() == session.game.checksum()


def test_plain_play_opens_the_main_menu(home, monkeypatch, tmp_path):
    from game.cli import main

    shot = tmp_path / "menu.png"
    monkeypatch.setenv("MESOPOTAMIA_MAX_FRAMES", "3")
    monkeypatch.setenv("MESOPOTAMIA_SCREENSHOT", str(shot))
    seen = []
    real = menus.MainMenuScene.enter
    monkeypatch.setattr(menus.MainMenuScene, "enter", lambda self: seen.append(self) or real(self))
    assert main(["play"]) == 0
    assert seen and shot.exists()
    img = pygame.image.load(str(shot))
    assert img.get_size()[0] >= 960
    assert np.asarray(pygame.surfarray.array3d(img)).std() > 5


SIZES = [(1024, 700), (1280, 800), (1920, 1080), (2560, 1440)]
# Every window size at the smallest and largest UI scale, every UI scale at the smallest and
# largest window, and the smallest window the game allows.
LAYOUTS = sorted({(size, s) for size in SIZES for s in (UI_SCALES[0], UI_SCALES[-1])}
                 | {(size, s) for size in (SIZES[0], SIZES[-1]) for s in UI_SCALES}
                 | {((960, 600), 1.0)})


def ink(element) -> pygame.Rect:
    """Where a label's words are drawn (its rect is often wider); any other widget's rect."""
    if not isinstance(element, pygame_gui.elements.UILabel):
        return element.rect
    if not element.text:
        return pygame.Rect(element.rect.center, (0, 0))
    w, h = element.font.get_rect(element.text).size
    r = element.rect
    pad = element.text_horiz_alignment_padding
    x = {"left": r.x + pad, "right": r.right - pad - w}.get(element.text_horiz_alignment,
                                                           r.centerx - w // 2)
    return pygame.Rect(x, r.centery - h // 2, w, h)


@pytest.mark.parametrize("size,ui_scale", LAYOUTS)
def test_widgets_stay_on_screen_and_apart(app, home, size, ui_scale):
    """Whatever the window and the UI scale, nothing leaves the window, no widget or words
    cover others, no label is too small for its words, and no title loses its end."""
    import warnings

    game = Session.new(SCENARIO, None, seed=3)
    saves_dir().mkdir(parents=True)
    game.save(saves_dir() / f"a long name for the war in the north{menus.save_suffix()}")
    over = Session.new(SCENARIO, None, seed=4)
    st = over.game.state
    st.over, st.winner, st.result = True, "baathist", "Ba'athists win: they held their towns"
    over.save(saves_dir() / f"finished{menus.save_suffix()}")

    def new_game(stem):
        def make(a):
            scene = menus.NewGameScene(a)
            scene.index = next(i for i, e in enumerate(scene.entries) if e.path.stem == stem)
            return scene
        return make

    app.settings.ui_scale = ui_scale
    resize(app, size)
    screen = app.screen.get_rect()
    for make in (menus.MainMenuScene, menus.NewGameScene, new_game(SCENARIO),
                 new_game("2017-pro-assad-offensive"), new_game("2014-new-role"), menus.LoadDialog,
                 lambda a: menus.SaveDialog(a, game), menus.SettingsScene,
                 lambda a: ResultsScene(a, over)):
        app.reset(Stand(app, over))
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            scene = app.push(make(app))
            frame(app)
        name = type(scene).__name__
        assert not [str(w.message) for w in said if "too small" in str(w.message)], name
        assert scene.scale <= ui_scale
        kinds = tuple(getattr(pygame_gui.elements, k) for k in (
            "UIButton", "UILabel", "UITextBox", "UIImage", "UISelectionList", "UITextEntryLine"))
        own = [e for e in scene.manager.get_sprite_group().sprites()  # not the lists' rows
               if isinstance(e, kinds) and len(e.element_ids) == 1]
        buttons = [e for e in own if isinstance(e, pygame_gui.elements.UIButton)]
        assert buttons, name
        rects = [(e, ink(e)) for e in own if ink(e).w > 0]
        if isinstance(scene, ResultsScene):
            rects.append(("chart", scene.chart_rect))
        for i, (e, r) in enumerate(rects):
            assert screen.contains(r), (name, getattr(e, "text", e), r)
            for other, r2 in rects[i + 1:]:
                assert not r.colliderect(r2), (name, getattr(e, "text", e), getattr(other, "text", other))
        titles = [e.text for e in own if isinstance(e, pygame_gui.elements.UILabel)
                  and e.object_ids[-1] in ("#title", "#title_small", "#big", "#heading")]
        assert not [t for t in titles if t.endswith("\u2026")], (name, titles)
        for lst, rows in scene.row_lists:
            assert not W.draw_rows(app.screen, lst, rows, scene.scale), name


def test_a_key_held_from_the_last_turn_does_not_skip_the_handover(app, session, monkeypatch):
    """Only a click or a fresh press of Enter turns the hand-over's page: Enter still held
    from the turn that ended does not, nor does any other key."""
    held = {pygame.K_RETURN}

    class Pressed:
        def __getitem__(self, k):
            return k in held

    monkeypatch.setattr(pygame.key, "get_pressed", lambda: Pressed())
    stand = app.push(Stand(app))
    hand = app.push(HandoverScene(app, session, "jihadist", []))
    for _ in range(5):  # the key that ended the turn, repeating
        key(app, pygame.K_RETURN)
    for k in (pygame.K_e, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_a):  # stray keys
        key(app, k)
    frame(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(50, 50), button=1),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(50, 50), button=3)])
    assert app.top is hand and hand.page == 0
    held.clear()
    frame(app, [pygame.event.Event(pygame.KEYUP, key=pygame.K_RETURN, mod=0)])
    held.add(pygame.K_RETURN)  # pressed afresh, and held down again
    key(app, pygame.K_RETURN)
    assert hand.page == 1
    key(app, pygame.K_RETURN)
    assert app.top is hand  # still held from the page before
    key(app, pygame.K_SPACE)
    assert app.top is hand
    frame(app, [pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(50, 50), button=1)])
    assert app.top is stand


def test_play_a_scenario_opens_the_battle_over_the_menu(home, monkeypatch):
    from game.cli import main
    from game.ui.battle import BattleScene

    monkeypatch.setenv("MESOPOTAMIA_MAX_FRAMES", "3")
    stacks = []
    real = App.run
    monkeypatch.setattr(App, "run", lambda self, *a: stacks.append(list(self.stack)) or real(self, *a))
    assert main(["play", SCENARIO, "--side", "isis=ai:easy", "--side", "baathist=human"]) == 0
    menu, battle = stacks[0][:2]
    assert isinstance(menu, menus.MainMenuScene) and isinstance(battle, BattleScene)
    assert battle.session.seats["jihadist"] == Seat("ai", "easy")
    assert battle.session.humans() == ["baathist"]
