"""The scenario editor window, driven by its own input events through ``App.step`` with SDL's
dummy video driver: drawing, a scenario built from new by clicks and keys, saving, the
playtest and the way back, leaving with unsaved changes."""

from __future__ import annotations

import datetime as dt

import pygame
from pygame_gui.elements import UILabel

from game.editor.document import get
from game.hexgrid import Hex
from game.scenario import SCENARIOS_DIR, check_file
from game.ui import editor as E
from game.ui import widgets as W
from game.ui.help import HelpOverlay

EXAMPLE = SCENARIOS_DIR / "examples" / "fall-of-mosul.toml"
NONE_TOWN = "(none)"  # the "add a town" drop-down before a town is picked


def frame(app, events=()):
    app.step(list(events), dt=0.016)
    for _ in range(3):  # what the widgets posted in answer, and what that made them post
        app.step(None, dt=0.016)


def click_at(app, pos, button=1):
    frame(app, [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
                pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button)])


def click(app, widget):
    click_at(app, widget.rect.center)


def key(app, k, mod=0, unicode=""):
    """Press and let go of a key (a text field takes Enter again only once it was let go)."""
    frame(app, [pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0),
                pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode=unicode, scancode=0)])


def type_text(app, text):
    frame(app, [pygame.event.Event(pygame.TEXTINPUT, text=ch) for ch in text])


def button(scene, text):
    """The page's button whose text starts with ``text``."""
    for b in scene.on_click:
        if b.alive() and b.text.startswith(text):
            return b
    raise AssertionError(f"no button {text!r} on the page: {[b.text for b in scene.on_click]}")


def dropdown(scene, label_value):
    """The page's drop-down showing ``label_value``."""
    for d in scene.on_pick:
        if d.alive() and d.selected_option[0].startswith(label_value):
            return d
    raise AssertionError(f"no drop-down showing {label_value!r}: "
                         f"{[d.selected_option[0] for d in scene.on_pick]}")


def labelled_dropdown(app, scene, label):
    """The page's drop-down beside (or under) the label ``label``, scrolled into view."""
    def beside(d):
        for w in scene.form.widgets:
            if isinstance(w, UILabel) and w.alive() and w.text == label:
                return abs(d.rect.centery - w.rect.centery) < 4 or 0 < d.rect.top - w.rect.bottom < 8
        return False
    return find(app, scene, "on_pick", beside)


def pick(app, drop, option):
    """Open a drop-down by clicking it and click one of its options."""
    click(app, drop)
    lst = drop.current_state.options_selection_list
    assert lst is not None, "the drop-down did not open"
    texts = [item["text"] for item in lst.item_list]
    i = next(k for k, t in enumerate(texts) if t.startswith(option))
    bar = lst.scroll_bar
    if bar is not None:  # bring the option into view
        bar.set_scroll_from_start_percentage(min(i / len(texts), 1 - bar.visible_percentage))
        bar.has_moved_recently = True
        frame(app)
    item = lst.item_list[i]
    assert item.get("button_element") is not None, f"option {option!r} not shown"
    click(app, item["button_element"])


def find(app, scene, table, test):
    """The page's widget of ``table`` (on_click, on_text, on_pick) that passes ``test``,
    scrolling the page with the mouse wheel until it shows."""
    over = scene.page_rect.center
    frame(app, [pygame.event.Event(pygame.MOUSEMOTION, pos=over, rel=(0, 0), buttons=(0, 0, 0))])
    for step in range(40):
        got = [w for w in getattr(scene, table) if w.alive() and test(w)]
        if got:
            return got[0]
        frame(app, [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False)])
    raise AssertionError("not found on the page")


def hex_on_screen(scene, place: str) -> tuple[int, int]:
    h = scene.ctx.hexmap.resolve_place(place)
    pos = scene.map.screen_pos(h)
    assert scene.map_rect.collidepoint(pos), f"{place} is not in the view"
    return pos


def near(scene, place: str, dq: int, dr: int) -> tuple[Hex, tuple[int, int]]:
    h = scene.ctx.hexmap.resolve_place(place)
    h = Hex(h.q + dq, h.r + dr)
    pos = scene.map.screen_pos(h)
    assert scene.map_rect.collidepoint(pos)
    return h, pos


def test_draws_a_bundled_scenario_and_a_new_one_on_every_page(app):
    for path in (EXAMPLE, None):
        scene = E.EditorScene(app, path)
        app.reset(scene)
        frame(app)
        for page, b in scene.page_buttons.items():
            click(app, b)
            assert scene.page == page
            assert scene.form is not None and scene.form.widgets
            for w in scene.form.widgets:  # the page's rows stay inside the page
                assert scene.page_rect.contains(w.rect), (page, w)
        for tool, _, k, _ in E.TOOLS:
            key(app, k)
            assert scene.tool == tool and scene.page == "map"
        assert scene.map.drawn_units if path else not scene.map.drawn_units
        if path:
            assert scene.problems_label.text == "No problems: ready to play"
        else:  # a new scenario has no units yet: not ready to play
            assert scene.problems_label.text == "Problems: 2"
            assert [(i.target["kind"], i.target["id"]) for i in scene.issues] == [
                ("side", "jihadist"), ("side", "baathist")]
    # a bigger window: the layout follows, every page's rows still inside it
    pygame.display.set_mode((1600, 900), pygame.RESIZABLE)
    frame(app, [pygame.event.Event(pygame.VIDEORESIZE, size=(1600, 900), w=1600, h=900)])
    assert scene.map_rect.w > 900 and scene.panel_rect.right == 1600
    for page, b in scene.page_buttons.items():
        click(app, b)
        assert all(scene.page_rect.contains(w.rect) for w in scene.form.widgets), page


def test_a_scenario_built_from_new_by_clicks_and_keys(app, home):
    from game.simulate import simulate_one

    scene = E.EditorScene(app, None)
    app.push(scene)
    frame(app)
    ed = scene.ed
    # a faction for each side, on the Sides page
    click(app, scene.page_buttons["forces"])
    click(app, button(scene, "Add a faction to jihadist"))
    assert "faction-3" in ed.choices("faction")
    name = find(app, scene, "on_text", lambda w: w.get_text() == "Faction 3")
    click(app, name)
    type_text(app, "Ansar")
    key(app, pygame.K_RETURN)
    assert get(ed.doc, "factions[2].name") == "Faction 3Ansar"
    click(app, button(scene, "Add a faction to baathist"))
    assert ed.choices("faction") == ["isis", "iraq", "faction-3", "faction-4"]
    # the new factions go to war with the other side's, on the War page
    click(app, scene.page_buttons["war"])
    for a, b in (("faction-3", "iraq"), ("faction-4", "isis")):
        btn = next(w for w, fn in scene.on_click.items()
                   if w.alive() and w.tool_tip_text and w.tool_tip_text.startswith(f"{a} and {b}:"))
        click(app, btn)
    assert ["faction-3", "iraq"] in get(ed.doc, "war.at_war")
    # units of both sides on the map, with the Unit tool
    key(app, pygame.K_u)
    assert scene.tool == "unit"
    # with no units it is not ready to play: a problem for each side, and no playtest
    assert scene.problems_label.text == "Problems: 2"
    key(app, pygame.K_F5)
    assert isinstance(app.top, E.Dialog) and app.top.title == "Not ready to play"
    assert "side 'jihadist' has no units" in app.top.text and "side 'baathist'" in app.top.text
    app.pop()
    frame(app)
    click_at(app, hex_on_screen(scene, "Baghdad"))
    assert get(ed.doc, "units[0].faction") == "isis"  # the first faction is the tool's first
    assert scene.problems_label.text == "Problems: 1"
    assert "side 'baathist' has no units" in str(scene.issues[0])
    pick(app, dropdown(scene, "Islamic State"), "Iraq (iraq)")
    assert scene.place_faction == "iraq"
    pick(app, dropdown(scene, "Infantry"), "Armour")
    click_at(app, hex_on_screen(scene, "Baghdad"))
    assert get(ed.doc, "units[1]")["type"] == "armour" and get(ed.doc, "units[1]")["faction"] == "iraq"
    # Iraq's armour stands in the Islamic State's hex: two sides never share one
    assert scene.problems_label.text == "Problems: 1"
    assert "two sides never share a hex" in str(scene.issues[0])
    h_isis, pos = near(scene, "Fallujah", 0, 0)
    pick(app, dropdown(scene, "Iraq"), "Islamic State")
    pick(app, dropdown(scene, "Armour"), "Militia")
    click_at(app, pos)
    pick(app, dropdown(scene, "Islamic State"), "Faction 3Ansar")
    click_at(app, near(scene, "Fallujah", -1, 0)[1])
    assert len(ed.doc["units"]) == 4
    # the first unit was a mistake: delete it with the Erase tool
    key(app, pygame.K_x)
    click_at(app, hex_on_screen(scene, "Baghdad"))
    assert len(ed.doc["units"]) == 3 and ed.doc["units"][0]["type"] == "armour"
    assert ed.doc["units"][0]["faction"] == "iraq"
    assert scene.problems_label.text == "No problems: ready to play"
    # drag the Iraqi armour one hex with the Select tool
    key(app, pygame.K_v)
    start = hex_on_screen(scene, "Baghdad")
    h2, end = near(scene, "Baghdad", 1, 0)
    frame(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1),
                pygame.event.Event(pygame.MOUSEMOTION, pos=end, rel=(end[0] - start[0], 0), buttons=(1, 0, 0)),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1)])
    moved = [u for u in ed.doc["units"] if u["place"] == [h2.q, h2.r]]
    assert len(moved) == 1 and scene.selected is not None
    # its strength, in the unit panel
    was = str(moved[0]["personnel"])
    pers = find(app, scene, "on_text", lambda w: w.get_text() == was)
    click(app, pers)
    for _ in was:
        key(app, pygame.K_BACKSPACE)
    type_text(app, "4000")
    key(app, pygame.K_RETURN)
    assert moved[0]["id"] in [u.get("id") for u in ed.doc["units"]]
    assert next(u for u in ed.doc["units"] if u["id"] == moved[0]["id"])["personnel"] == 4000
    # and back into Baghdad, or the Islamic State walks in
    frame(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=end, button=1),
                pygame.event.Event(pygame.MOUSEMOTION, pos=start, rel=(start[0] - end[0], 0), buttons=(1, 0, 0)),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=start, button=1)])
    assert ed.doc["units"][0]["place"] == "Baghdad"
    # an objective town for the Jihadists' condition, with the Objective tool
    key(app, pygame.K_o)
    assert scene.obj_index == 0
    click_at(app, hex_on_screen(scene, "Fallujah"))
    assert "Fallujah" in ed.doc["victory"][0]["cities"]
    # an event from the lists: when Fallujah falls to Iraq, a message
    click(app, scene.page_buttons["events"])
    click(app, button(scene, "Add an event"))
    assert ed.choices("event") == ["event-1"]
    pick(app, dropdown(scene, "turn"), "city_taken")
    assert "city_taken" in ed.doc["events"][0]["trigger"]
    pick(app, dropdown(scene, ed.doc["events"][0]["trigger"]["city_taken"]), "Fallujah")
    assert ed.doc["events"][0]["trigger"] == {"city_taken": "Fallujah"}
    msg = find(app, scene, "on_text", lambda w: w.get_text() == "...")
    click(app, msg)
    for _ in range(3):
        key(app, pygame.K_BACKSPACE)
    type_text(app, "Fallujah is free")
    click_at(app, scene.map_rect.center, button=2)  # leaving the field takes its text
    assert ed.doc["events"][0]["actions"] == [{"do": "message", "text": "Fallujah is free"}]
    # undo and redo, with keys and with the buttons that say what they undo
    doc = ed.doc
    assert scene.action_buttons["undo"].text.startswith("Undo: edit action")
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert ed.doc["events"][0]["actions"] == [{"do": "message", "text": "..."}]
    assert scene.action_buttons["redo"].text.startswith("Redo: edit action")
    key(app, pygame.K_y, pygame.KMOD_CTRL)
    assert ed.doc is doc
    click(app, scene.action_buttons["undo"])
    key(app, pygame.K_z, pygame.KMOD_CTRL | pygame.KMOD_SHIFT)
    assert ed.doc is doc
    assert scene.problems_label.text.startswith("No problems"), [str(i) for i in scene.issues]
    # save: a new scenario asks for a name in the custom scenarios folder
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    dialog = app.top
    assert isinstance(dialog, E.SaveAsDialog)
    dialog.entry.set_text("")
    type_text(app, "my-test")
    key(app, pygame.K_RETURN)
    assert app.top is scene
    path = home / "scenarios" / "my-test.toml"
    assert path.exists() and not ed.dirty and ed.path == path
    assert check_file(path) == []
    result = simulate_one(path, seed=3, turns=3)
    assert result["refused"] == 0
    assert result["turns"] >= 3  # three turns played: no side won at once


def test_leaving_with_unsaved_changes_asks_first_and_bundled_files_stay(app, home):
    scene = E.EditorScene(app, EXAMPLE)
    app.push(scene)
    frame(app)
    before = EXAMPLE.read_text(encoding="utf-8")
    click(app, scene.page_buttons["scenario"])
    title = next(w for w, fn in scene.on_text.items() if w.alive() and "Mosul" in w.get_text())
    click(app, title)
    key(app, pygame.K_END)
    type_text(app, " again")
    key(app, pygame.K_F1)  # a key that leaves the field takes what was typed first
    assert isinstance(app.top, HelpOverlay)
    key(app, pygame.K_SPACE)
    assert scene.ed.dirty and scene.ed.doc["scenario"]["title"].endswith(" again")
    key(app, pygame.K_ESCAPE)
    assert isinstance(app.top, E.Dialog) and app.top.title == "Unsaved changes"
    click(app, app.top.buttons[2][0])  # Cancel
    assert app.top is scene
    key(app, pygame.K_s, pygame.KMOD_CTRL)  # a bundled file is not overwritten
    assert isinstance(app.top, E.SaveAsDialog)
    assert app.top.entry.get_text() == "fall-of-mosul.toml"
    click(app, app.top.buttons[0][0])
    assert EXAMPLE.read_text(encoding="utf-8") == before
    saved = home / "scenarios" / "fall-of-mosul.toml"
    assert saved.exists() and " again" in saved.read_text(encoding="utf-8")
    assert scene.ed.path == saved and not scene.ed.dirty
    click(app, scene.action_buttons["close"])
    assert not app.running


def test_problems_are_listed_and_choosing_one_shows_its_place(app):
    scene = E.EditorScene(app, EXAMPLE)
    app.push(scene)
    frame(app)
    uid = scene.ed.doc["units"][0].get("id") or "units[0]"
    assert scene.ed.apply("set_scenario", turn_days=7).ok
    click(app, scene.page_buttons["victory"])
    click(app, button(scene, "Delete"))
    click(app, button(scene, "Delete"))
    assert "victory" not in scene.ed.doc
    assert scene.issues and scene.problems_label.text.startswith("Problems:")
    key(app, pygame.K_F5)  # the playtest is refused, with the list
    assert isinstance(app.top, E.Dialog) and app.top.title == "Not ready to play"
    key(app, pygame.K_ESCAPE)
    assert app.top is scene
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert not scene.issues
    # a unit placed where the terrain will be changed under it
    assert scene.ed.apply("move_unit", unit=uid, place="Sinjar").ok
    scene.changed()
    frame(app)
    assert scene.ed.apply("add_event", id="twice", trigger={"unit_destroyed": uid}, actions=[]).ok
    scene.changed()
    frame(app)
    assert scene.issues, "an event with no action is a problem"
    row = scene.problems_list.item_list[0]["button_element"]
    click(app, row)
    assert scene.page == "events" and scene.event_id == "twice"
    shown = [w.text for w in scene.form.widgets if getattr(w, "text", "").startswith("Problem:")]
    assert shown and "action" in " ".join(shown)
    click(app, button(scene, "Add an action"))  # fixed: the problem leaves the page and the list
    assert not scene.issues and scene.shown_issue is None
    assert not [w for w in scene.form.widgets if getattr(w, "text", "").startswith("Problem:")]


def test_playtest_starts_a_battle_and_comes_back_to_the_editor(app):
    from game.ui.battle import BattleScene
    from game.ui.results import ResultsScene

    scene = E.EditorScene(app, EXAMPLE)
    app.push(scene)
    frame(app)
    assert scene.ed.apply("set_scenario", title="Playtested").ok
    scene.changed()
    doc = scene.ed.doc
    key(app, pygame.K_F5)
    battle = app.top
    assert isinstance(battle, BattleScene) and isinstance(battle, E.PlaytestBattle)
    seats = battle.session.seats
    assert [s.kind for s in seats.values()] == ["human", "ai"]
    assert battle.session.game.state.title == "Playtested"
    battle.ai.threaded = False
    frame(app, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)] * 3)
    key(app, pygame.K_ESCAPE)
    assert battle.menu_open
    frame(app)
    back = next(b for b in battle.menu_buttons if b.label == "Back to the editor")
    click_at(app, back.rect.center)
    assert app.top is scene and scene.ed.doc is doc and scene.ed.dirty
    # the end of a playtested game leads back to the editor too
    key(app, pygame.K_F5)
    battle = app.top
    battle.messages.clear()
    battle.session.game.state.over = True
    frame(app)
    results = app.top
    assert isinstance(results, ResultsScene) and isinstance(results, E.PlaytestResults)
    assert results.menu_button.text == "Back to the editor"
    click(app, results.menu_button)
    assert app.top is scene and scene.ed.doc is doc


def test_main_menu_opens_the_editor(app):
    from game.ui.menus import MainMenuScene

    menu = MainMenuScene(app)
    app.push(menu)
    frame(app)
    click(app, menu.buttons["editor"])
    assert isinstance(app.top, E.EditorScene)
    assert app.top.ed.path is None and app.top.ed.doc["scenario"]["title"] == "New scenario"
    key(app, pygame.K_ESCAPE)  # nothing changed: back to the menu at once
    assert app.top is menu


def test_open_dialog_and_help(app, home):
    scene = E.EditorScene(app, None)
    app.push(scene)
    frame(app)
    key(app, pygame.K_F1)
    assert isinstance(app.top, HelpOverlay)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_o, pygame.KMOD_CTRL)
    dialog = app.top
    assert isinstance(dialog, E.OpenDialog)
    i = next(k for k, p in enumerate(dialog.paths) if p.name == "fall-of-mosul.toml")
    from game.ui import widgets as W

    W.select_row(dialog.list, i)
    frame(app)
    click(app, dialog.buttons[0][0])
    assert app.top is scene and scene.ed.path == dialog.paths[i]
    assert scene.map.drawn_units
    key(app, pygame.K_n, pygame.KMOD_CTRL)  # nothing changed since: a new scenario at once
    assert scene.ed.path is None and "units" not in scene.ed.doc


def test_run_editor_reports_a_file_it_cannot_open(home, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\nid = 1\n", encoding="utf-8")
    assert E.run_editor(str(bad), size=(1024, 700), max_frames=1) == 1
    err = capsys.readouterr().err
    assert str(bad) in err
    assert E.run_editor(str(tmp_path / "missing.toml"), size=(1024, 700), max_frames=1) == 1
    assert "file not found" in capsys.readouterr().err
    assert E.find_file("2015-raqqa").name == "2015-raqqa.toml"  # a bundled scenario by its id
    assert E.find_file("example-fall-of-mosul") == EXAMPLE
    shot = tmp_path / "shot.png"
    assert E.run_editor(str(EXAMPLE), size=(1024, 700), max_frames=3, screenshot=shot) == 0
    assert shot.exists()


def drag(app, points, button=1):
    events = [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=points[0], button=button)]
    for a, b in zip(points, points[1:]):
        events.append(pygame.event.Event(pygame.MOUSEMOTION, pos=b, rel=(b[0] - a[0], b[1] - a[1]),
                                         buttons=(1, 0, 0) if button == 1 else (0, 0, 1)))
    events.append(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=points[-1], button=button))
    frame(app, events)


def test_the_map_tools_paint_terrain_and_zones_set_depots_and_towns(app):
    scene = E.EditorScene(app, EXAMPLE)
    app.push(scene)
    frame(app)
    ed = scene.ed
    # terrain: one stroke over three hexes is one edit
    key(app, pygame.K_t)
    click(app, button(scene, "hills"))
    cells = [near(scene, "Mosul", dq, 2) for dq in (0, 1, 2)]
    drag(app, [pos for _, pos in cells])
    assert ed.doc["terrain"] == [{"terrain": "hills", "hexes": [[h.q, h.r] for h, _ in cells]}]
    assert ed.undo_label == "paint_terrain"
    assert ed.map_view().hexmap.terrain_at(cells[1][0]) == "hills"
    # a bigger brush paints the hexes around the click too, in one edit
    key(app, pygame.K_RIGHTBRACKET)
    assert scene.brush == 1
    click(app, button(scene, "marsh"))
    h, pos = near(scene, "Mosul", -4, 3)
    click_at(app, pos)
    marsh = ed.doc["terrain"][-1]
    assert marsh["terrain"] == "marsh" and len(marsh["hexes"]) == 7 and [h.q, h.r] in marsh["hexes"]
    click(app, button(scene, "1 hex"))
    assert scene.brush == 0
    # a no-fly zone for Iraq, painted by a stroke
    key(app, pygame.K_z)
    click(app, button(scene, "New zone for baathist"))
    zone = scene.zone_id
    assert zone in ed.choices("zone")
    strip = [near(scene, "Mosul", dq, -2) for dq in (0, 1, 2)]
    drag(app, [pos for _, pos in strip])
    hexes = next(z for z in ed.map_view().zones if z["id"] == zone)["hexes"]
    assert all([h.q, h.r] in [list(x) for x in hexes] for h, _ in strip)
    # a depot for Iraq, then erased
    key(app, pygame.K_d)
    pick(app, dropdown(scene, "Islamic State"), "Iraq")
    h, pos = near(scene, "Mosul", -2, 1)
    click_at(app, pos)
    assert ed.doc["supply_sources"] == [{"place": [h.q, h.r], "faction": "iraq"}]
    assert scene.sel_depot == 0
    key(app, pygame.K_x)
    click_at(app, pos)
    assert "supply_sources" not in ed.doc
    # Erbil given to the Islamic State at the start
    key(app, pygame.K_c)
    pick(app, dropdown(scene, "nobody"), "Islamic State")
    click_at(app, hex_on_screen(scene, "Erbil"))
    assert ed.map_view().control.get("erbil") == "isis"
    # the map pans with a right drag and zooms with the wheel
    centre = scene.map.view.centre
    mid = scene.map_rect.center
    drag(app, [mid, (mid[0] + 40, mid[1]), (mid[0] + 120, mid[1] + 30)], button=3)
    assert scene.map.view.centre != centre
    level = scene.map.view.level
    frame(app, [pygame.event.Event(pygame.MOUSEMOTION, pos=mid, rel=(0, 0), buttons=(0, 0, 0)),
                pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False)])
    assert scene.map.view.level == level - 1
    assert scene.problems_label.text.startswith("No problems"), [str(i) for i in scene.issues]


def test_a_file_with_mistakes_opens_and_every_problem_shows_its_place(app, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('type = "mechanized"', 'type = "tank"').replace("quality = 0.7", 'quality = "low"')
    text = text.replace('place = "Tikrit"', 'place = "Nowhere"').replace('"isis", "iraq"]]', '"isis", "iraqi"]]')
    text += '\n[[victory]]\nkind = "conquer"\nside = "jihadist"\n\n[[events]]\nid = "empty"\nactions = []\n'
    bad = tmp_path / "broken.toml"
    bad.write_text(text, encoding="utf-8")
    assert check_file(bad)
    scene = E.EditorScene(app, bad)
    app.push(scene)
    frame(app)
    assert len(scene.issues) >= 5 and scene.problems_label.text.startswith("Problems:")
    for page, b in scene.page_buttons.items():
        click(app, b)
        assert scene.form.widgets, page
    for tool, _, k, _ in E.TOOLS:
        key(app, k)
    for i in range(len(scene.issues)):
        W.select_row(scene.problems_list, i)  # scrolled into view (and chosen: a click shows it again)
        frame(app)
        click(app, scene.problems_list.item_list[i]["button_element"])
        assert scene.shown_issue == str(scene.issues[i])
    # the unit on an unknown town is listed with the others, and chosen from there
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_v)
    lost = find(app, scene, "on_click", lambda w: "not on the map" in w.text)
    click(app, lost)
    assert scene.selected == "units[3]" and scene.page == "map"
    key(app, pygame.K_ESCAPE)
    # ...and its form opens from its problem
    nowhere = next(i for i in scene.issues if "Nowhere" in str(i) or "nowhere" in str(i).lower())
    scene.show_issue(nowhere)
    frame(app)
    assert scene.selected == nowhere.target["path"] and scene.page == "map"


def test_closing_the_window_with_unsaved_changes_asks_first(app):
    scene = E.EditorScene(app, EXAMPLE)
    app.push(scene)
    frame(app)
    assert E.run_until_left(app, scene, max_frames=app.frames + 2) == 0  # nothing changed
    assert scene.ed.apply("set_scenario", title="Changed").ok
    scene.changed()
    pygame.event.clear()
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    E.run_until_left(app, scene, max_frames=app.frames + 3)
    dialog = app.top
    assert isinstance(dialog, E.Dialog) and dialog.title == "Unsaved changes" and app.running
    click(app, dialog.buttons[1][0])  # Don't save
    assert not app.running and scene._leaving
    assert E.run_until_left(app, scene, max_frames=app.frames + 3) == 0


def test_closing_the_window_from_the_main_menu_asks_about_unsaved_changes(app, monkeypatch):
    """Opened from the main menu, not the command line: the window's close still asks."""
    from game.ui.menus import MainMenuScene

    app.push(MainMenuScene(app))
    scene = app.push(E.EditorScene(app, None))
    assert scene.ed.apply("set_scenario", title="Changed").ok
    scene.changed()
    app.step([pygame.event.Event(pygame.QUIT)], dt=0.016)
    dialog = app.top
    assert isinstance(dialog, E.Dialog) and dialog.title == "Unsaved changes" and app.running
    click(app, dialog.buttons[1][0])  # Don't save
    assert not app.running and scene._leaving


def test_a_place_typed_in_the_unit_and_depot_forms(app, tmp_path):
    """A unit whose place is not on the map cannot be dragged: its form takes a place typed."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('place = "Tikrit"', 'place = "Nowhere"')
    bad = tmp_path / "lost.toml"
    bad.write_text(text, encoding="utf-8")
    scene = E.EditorScene(app, bad)
    app.push(scene)
    frame(app)
    lost = next(i for i in scene.issues if "Nowhere" in str(i))
    scene.show_issue(lost)
    frame(app)
    shown = " ".join(getattr(w, "text", "") for w in scene.form.widgets)
    assert "Its place is not on the map: pick a hex or type one" in shown

    def clear_place(old):
        """Empty the place field that shows ``old``, as a person would with the keys."""
        click(app, find(app, scene, "on_text", lambda w: w.get_text() == old))
        key(app, pygame.K_END)
        for _ in old:
            key(app, pygame.K_BACKSPACE)

    clear_place("Nowhere")
    type_text(app, "Samarra")
    key(app, pygame.K_RETURN)
    assert get(scene.ed.doc, lost.target["path"] + ".place") == "Samarra"
    assert not scene.issues
    # an empty field refused with a reason, changing nothing
    clear_place("Samarra")
    key(app, pygame.K_RETURN)
    assert get(scene.ed.doc, lost.target["path"] + ".place") == "Samarra"
    assert "place is needed" in scene.status[0]
    # two numbers are latitude and longitude, as in a file: 35,40 lies in Syria, 60,40 nowhere
    # on the map, and a hex is written in brackets
    clear_place("Samarra")  # shown again
    type_text(app, "35,40")
    key(app, pygame.K_RETURN)
    assert get(scene.ed.doc, lost.target["path"] + ".place") == "35,40"
    h = scene.ctx.hexmap.resolve_place("35,40")
    assert f"latitude 35, longitude 40: hex [{h.q}, {h.r}]" in labels(scene)
    clear_place("35,40")
    type_text(app, "60,40")
    key(app, pygame.K_RETURN)
    assert get(scene.ed.doc, lost.target["path"] + ".place") == "35,40"
    assert "latitude 60 and longitude 40" in scene.status[0] and "[60, 40]" in scene.status[0]
    clear_place("60,40")
    type_text(app, "[60, 40]")
    key(app, pygame.K_RETURN)
    assert get(scene.ed.doc, lost.target["path"] + ".place") == [60, 40]
    find(app, scene, "on_text", lambda w: w.get_text() == "[60, 40]")  # shown as a hex
    # a depot moved by its form
    key(app, pygame.K_d)
    h, pos = near(scene, "Mosul", -2, 1)
    click_at(app, pos)
    entry = find(app, scene, "on_text", lambda w: w.get_text() == f"[{h.q}, {h.r}]")
    click(app, entry)
    key(app, pygame.K_END)
    for _ in f"[{h.q}, {h.r}]":
        key(app, pygame.K_BACKSPACE)
    type_text(app, "Tal Afar")
    key(app, pygame.K_RETURN)
    assert scene.ed.doc["supply_sources"][0]["place"] == "Tal Afar"


def test_the_unit_tool_places_units_of_the_strength_asked(app):
    scene = E.EditorScene(app, EXAMPLE)
    app.push(scene)
    frame(app)
    ed = scene.ed
    key(app, pygame.K_u)
    click_at(app, near(scene, "Mosul", 0, 2)[1])
    assert ed.doc["units"][-1]["personnel"] == 3000  # infantry's usual strength, not its least
    people = find(app, scene, "on_text", lambda w: "3,000, the usual" in (w.placeholder_text or ""))
    click(app, people)
    type_text(app, "1500")
    key(app, pygame.K_RETURN)
    assert scene.place_personnel == 1500
    click_at(app, near(scene, "Mosul", 1, 2)[1])
    assert ed.doc["units"][-1]["personnel"] == 1500
    # a new add_units action brings a unit to a town its faction holds, not into the enemy's
    click(app, scene.page_buttons["events"])
    click(app, button(scene, "Add an event"))
    pick(app, dropdown(scene, "message"), "add_units")
    unit = ed.doc["events"][-1]["actions"][0]["units"][0]
    holder = ed.map_view().control.get(ed.ctx.hexmap.find_city(unit["place"]).id)
    assert holder == unit["faction"]


def test_the_editor_colours_a_side_as_the_game_does_whatever_its_place_in_the_list(app):
    from game.ui.counters import side_colour

    scene = E.EditorScene(app, EXAMPLE)
    app.reset(scene)
    frame(app)
    doc = scene.ed.doc
    sides = [s["id"] for s in doc["sides"]]
    assert sides[0] != "coalition"  # the example lists the jihadists first
    for s in sides:
        assert scene.map.side_colour(doc, s) == side_colour(s, "standard", sides)
    assert scene.map.side_colour(doc, sides[0]) != side_colour("coalition")


def labels(scene) -> str:
    """The words of the page's labels, one line each."""
    return "\n".join(w.text for w in scene.form.widgets if isinstance(w, UILabel))


def entry_hinted(app, scene, hint):
    """The page's empty text field whose grey hint starts with ``hint``."""
    return find(app, scene, "on_text", lambda w: w.placeholder_text.startswith(f"not set \u00b7 {hint}"))


def type_into(app, field, text):
    click(app, field)
    for _ in field.get_text():
        key(app, pygame.K_BACKSPACE)
    type_text(app, text)
    key(app, pygame.K_RETURN)


def _example_open(app, tmp_path):
    """A copy of the example scenario, open in the editor's window: its path and the scene."""
    path = tmp_path / "mosul.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    scene = E.EditorScene(app, path)
    app.push(scene)
    frame(app)
    return path, scene


def test_a_plan_added_changed_and_saved_on_the_plans_page(app, tmp_path):
    """The Plans page: a plan added for a side aims at its victory condition's town; its
    owner, kind, towns, end date and weight changed in the form; the list says it in words;
    saved, the file gives the game that plan."""
    from game.scenario import load_scenario
    from game.ui.editor_pages import plan_words

    path, scene = _example_open(app, tmp_path)
    ed = scene.ed
    click(app, scene.page_buttons["plans"])
    assert "None yet" in labels(scene)
    click(app, button(scene, "Jihadists"))  # "add a plan for"
    assert ed.doc["plans"] == [{"side": "jihadist", "take": ["Mosul"]}] and scene.plan_index == 0
    pick(app, dropdown(scene, "side: Jihadists"), "Islamic State")
    pick(app, dropdown(scene, "take"), "hold")
    pick(app, dropdown(scene, NONE_TOWN), "Tikrit")
    click(app, button(scene, "Mosul \u00d7"))
    assert ed.doc["plans"] == [{"faction": "isis", "hold": ["Tikrit"]}]
    type_into(app, entry_hinted(app, scene, "the aim ends"), "2014-06-25")
    type_into(app, entry_hinted(app, scene, "how much it counts"), "1.5")
    words = "Islamic State: hold Tikrit, until 25 June 2014, weight 1.5"
    assert plan_words(ed.doc, ed.doc["plans"][0]) == words
    frame(app, [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=40, flipped=False)])  # back to the top
    assert words in " ".join(labels(scene).split("\n")), labels(scene)
    # a wrong date is refused with the validator's words, and the plan stays as it was
    doc = ed.doc
    type_into(app, find(app, scene, "on_text", lambda w: w.get_text() == "2014-06-25"), "2015-01-01")
    assert ed.doc is doc and "outside the scenario" in scene.status[0]
    # an avoid plan has a radius; the others have none
    pick(app, dropdown(scene, "hold"), "avoid")
    type_into(app, entry_hinted(app, scene, "with avoid"), "2")
    assert ed.doc["plans"][0]["radius"] == 2
    pick(app, dropdown(scene, "avoid"), "take")
    assert "radius" not in ed.doc["plans"][0] and ed.doc["plans"][0]["take"] == ["Tikrit"]
    assert scene.problems_label.text.startswith("No problems")
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert not ed.dirty
    text = path.read_text(encoding="utf-8")
    assert text.index("[[victory]]") < text.index("[[plans]]") < text.index("[history]")
    assert check_file(path) == []
    plans = load_scenario(path).setup["plans"]
    assert [(p["faction"], p["kind"], p["cities"], p["until"], p["weight"]) for p in plans] == \
        [("isis", "take", ["tikrit"], "2014-06-25", 1.5)]
    # deleted, and back with undo
    click(app, find(app, scene, "on_click", lambda w: w.text == "Delete plan"))
    assert "plans" not in ed.doc and scene.plan_index is None
    key(app, pygame.K_z, pygame.KMOD_CTRL)
    assert len(ed.doc["plans"]) == 1 and scene.plan_index == 0


def test_a_dated_event_added_changed_and_saved_on_the_history_page(app, tmp_path):
    """The History page: the outcome and winner, then the source's dated events, each added,
    made a town taken or a scenario event fired, given a window and set not to define a
    historical game; saved, the game reads it as written."""
    from game.scenario import load_scenario

    path, scene = _example_open(app, tmp_path)
    ed = scene.ed
    click(app, scene.page_buttons["history"])
    assert find(app, scene, "on_text", lambda w: w.get_text().startswith("Mosul fell on 10 June"))
    click(app, find(app, scene, "on_click", lambda w: w.text == "Add: a town taken"))
    e = ed.doc["history"]["events"][0]
    assert e["date"] == ed.doc["scenario"]["end"] and "taken" in e and "by" in e
    pick(app, find(app, scene, "on_pick", lambda d: d.selected_option[0] == "a town is taken"),
         "a scenario event fires")
    e = ed.doc["history"]["events"][0]
    assert e["event"] == "mosul-falls" and "taken" not in e and "by" not in e
    type_into(app, find(app, scene, "on_text", lambda w: w.get_text() == e["what"]), "Mosul falls")
    type_into(app, find(app, scene, "on_text", lambda w: w.get_text() == "2014-07-02"), "2014-06-10")
    type_into(app, entry_hinted(app, scene, "the last of the dates"), "2014-06-18")
    assert ed.doc["history"]["events"][0]["window"] == [dt.date(2014, 6, 4), dt.date(2014, 6, 18)]
    click(app, find(app, scene, "on_click", lambda w: w.text == "no"))  # defining
    assert ed.doc["history"]["events"][0]["defining"] is False
    frame(app, [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=40, flipped=False)])  # back to the top
    assert "10 June 2014: Mosul falls (shown, not judged)" in " ".join(labels(scene).split("\n"))
    assert scene.problems_label.text.startswith("No problems"), [str(i) for i in scene.issues]
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    text = path.read_text(encoding="utf-8")
    assert '[[history.events]]\nwhat = "Mosul falls"\ndate = 2014-06-10\nevent = "mosul-falls"\n' in text
    events = load_scenario(path).setup["history"]["events"]
    assert [(x["what"], x["event"], x["window"], x["defining"]) for x in events] == \
        [("Mosul falls", "mosul-falls", ["2014-06-04", "2014-06-18"], False)]
    click(app, find(app, scene, "on_click", lambda w: w.text == "Delete dated event"))
    assert "events" not in ed.doc["history"] and scene.history_index is None


def test_a_problem_in_a_plan_or_a_dated_event_opens_its_form(app, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("[history]", '[[plans]]\nside = "jihadist"\ntake = ["Tikrit"]\n\n'
                                      '[[plans]]\nfaction = "isis"\ntake = ["Baghdad"]\nweight = 9\n\n[history]')
    text += '\n[[history.events]]\nwhat = "Tikrit falls"\ndate = 2014-06-11\ntaken = "Tikrit"\n'
    bad = tmp_path / "broken.toml"
    bad.write_text(text, encoding="utf-8")
    scene = E.EditorScene(app, bad)
    app.push(scene)
    frame(app)
    weight = next(i for i in scene.issues if i.path == "plans[1].weight")
    scene.show_issue(weight)
    frame(app)
    assert scene.page == "plans" and scene.plan_index == 1
    assert find(app, scene, "on_text", lambda w: w.get_text() == "9")
    by = next(i for i in scene.issues if i.path == "history.events[0].by")
    scene.show_issue(by)
    frame(app)
    assert scene.page == "history" and scene.history_index == 0
    assert find(app, scene, "on_text", lambda w: w.get_text() == "Tikrit falls")


def pick_button(app, scene, n=0):
    """The page's ``n``-th Pick button (scrolling to it), the one beside a town or place field."""
    found = find(app, scene, "on_click",
                 lambda b: b.text == E.PICK and len([x for x in scene.on_click if x.alive() and x.text == E.PICK]) > n)
    return [b for b in scene.on_click if b.alive() and b.text == E.PICK][n] if found else None


def test_towns_and_places_are_picked_on_the_map(app):
    scene = E.EditorScene(app, EXAMPLE)
    app.reset(scene)
    frame(app)
    ed = scene.ed
    # an event's town: Pick, then a click on Tal Afar
    click(app, scene.page_buttons["events"])
    click(app, pick_button(app, scene))
    assert scene.picking is not None and scene.picking.kind == "town"
    assert "city taken" in scene.pick_prompt() and "Esc" in scene.pick_prompt()
    assert [b for b in scene.on_click if b.alive() and b.text == E.PICK][0].is_selected
    h, pos = near(scene, "Mosul", 0, 3)  # a hex with no town: refused, still waiting
    assert scene.ctx.hexmap.city_at(h) is None
    doc = ed.doc
    click_at(app, pos)
    assert ed.doc is doc and scene.picking is not None and "has no town" in scene.status[0]
    click_at(app, hex_on_screen(scene, "Tal Afar"))
    assert ed.doc["events"][0]["trigger"] == {"city_taken": "Tal Afar", "by": "isis"}
    assert scene.picking is None and scene.page == "events"
    dropdown(scene, "Tal Afar")  # the drop-down shows the town picked
    # Esc and a right click stop waiting, and change nothing (nor leave the editor)
    for stop in (lambda: key(app, pygame.K_ESCAPE), lambda: click_at(app, scene.map_rect.center, button=3)):
        click(app, pick_button(app, scene))
        assert scene.picking is not None
        doc = ed.doc
        stop()
        assert scene.picking is None and ed.doc is doc and scene in app.stack
        click_at(app, hex_on_screen(scene, "Mosul"))  # a click now is the tool's, not a pick
        assert ed.doc["events"][0]["trigger"]["city_taken"] == "Tal Afar"
    # a victory condition's towns: Pick beside "add a town" adds the town clicked
    click(app, scene.page_buttons["victory"])
    click(app, pick_button(app, scene))
    click_at(app, hex_on_screen(scene, "Duhok"))
    assert ed.doc["victory"][0]["cities"] == ["Mosul", "Duhok"]
    click(app, pick_button(app, scene))
    click_at(app, hex_on_screen(scene, "Duhok"))  # a town it has already: said, not added twice
    assert ed.doc["victory"][0]["cities"] == ["Mosul", "Duhok"] and "already" in scene.status[0]
    # another page ends the wait
    click(app, pick_button(app, scene))
    click(app, scene.page_buttons["plans"])
    assert scene.picking is None
    # a unit's place: a hex, or the town standing on the hex clicked
    key(app, pygame.K_v)
    click_at(app, hex_on_screen(scene, "Mosul"))
    path = scene.selected
    assert get(ed.doc, path + ".place") == "Mosul"
    click(app, pick_button(app, scene))
    assert scene.picking.kind == "place"
    h, pos = near(scene, "Mosul", 1, 1)
    click_at(app, pos)
    assert get(ed.doc, path + ".place") == [h.q, h.r] and scene.selected == path
    find(app, scene, "on_text", lambda w: w.get_text() == f"[{h.q}, {h.r}]")
    click(app, pick_button(app, scene))
    click_at(app, hex_on_screen(scene, "Tal Afar"))
    assert get(ed.doc, path + ".place") == "Tal Afar"
    key(app, pygame.K_z, pygame.KMOD_CTRL)  # each pick is one edit, undone as any other
    assert get(ed.doc, path + ".place") == [h.q, h.r]


def test_every_drop_down_shows_its_texts_whole(app):
    """On every page of the biggest scenario, each drop-down's chosen text and every one of its
    options fit in the box and in the list it opens (a long list's scroll bar too)."""
    scene = E.EditorScene(app, SCENARIOS_DIR / "campaign.toml")
    app.reset(scene)
    frame(app)
    fnt = W.font(W.scaled(W.BODY, scene.scale))
    seen = 0

    def check(d):
        texts = [o[0] if isinstance(o, tuple) else o for o in d.options_list]
        box = d.current_state.selected_option_button
        assert fnt.size(d.selected_option[0])[0] <= box.rect.w - scene.px(8), d.selected_option[0]
        click(app, d)
        lst = d.current_state.options_selection_list
        shown = [i["button_element"] for i in lst.item_list if i.get("button_element") is not None]
        room = min(b.rect.w for b in shown) - scene.px(8)
        assert all(fnt.size(t)[0] <= room for t in texts), [t for t in texts if fnt.size(t)[0] > room]
        assert not any(t.endswith("\u2026") for t in texts), texts  # none had to be shortened
        click(app, d)  # closed again
        assert getattr(d.current_state, "options_selection_list", None) is None

    def check_page():
        nonlocal seen
        done = set()
        over = scene.page_rect.center
        frame(app, [pygame.event.Event(pygame.MOUSEMOTION, pos=over, rel=(0, 0), buttons=(0, 0, 0))])
        for _ in range(60):
            for d in [d for d in scene.on_pick if d.alive()]:
                k = (d.rect.y + scene.scroll.get(scene.page, 0), d.selected_option[0])
                if k not in done:
                    done.add(k)
                    check(d)
                    seen += 1
            top = scene.scroll.get(scene.page, 0)
            frame(app, [pygame.event.Event(pygame.MOUSEMOTION, pos=over, rel=(0, 0), buttons=(0, 0, 0)),
                        pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-3, flipped=False)])
            if scene.scroll.get(scene.page, 0) == top:
                return

    for page in ("forces", "victory", "plans", "events", "history"):
        click(app, scene.page_buttons[page])
        check_page()
    for tool in (pygame.K_u, pygame.K_o, pygame.K_d, pygame.K_c):
        key(app, tool)
        check_page()
    assert seen > 20


def test_a_switch_added_changed_and_saved_on_the_switches_page(app, tmp_path):
    """The Switches page: a switch added, titled, given the event it drops, saved; the file
    validates with the switch turned on, and the game with it on lacks the event."""
    from game.scenario import load_scenario
    from game.ui.editor_pages import option_words

    path, scene = _example_open(app, tmp_path)
    ed = scene.ed
    click(app, scene.page_buttons["options"])
    assert "None yet" in labels(scene)
    click(app, button(scene, "Add a switch"))
    assert ed.doc["options"] == [{"id": "what-if-1", "title": "What if 1", "default": False}]
    assert scene.option_index == 0
    type_into(app, find(app, scene, "on_text", lambda w: w.get_text() == "What if 1"), "Mosul holds")
    pick(app, dropdown(scene, "(none)"), "mosul-falls")  # "add an event"
    assert ed.doc["options"][0]["drop_events"] == ["mosul-falls"]
    assert option_words(ed.doc["options"][0]) == "Mosul holds (history: off)"
    # an event the scenario does not have is refused with the checker's words
    doc = ed.doc
    refused = ed.apply("set_option", index=0, drop_events=["no-such-event"])
    assert not refused.ok and "no event 'no-such-event'" in refused.reason
    assert ed.doc is doc
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert not ed.dirty and check_file(path) == []
    on = load_scenario(path, options={"what-if-1": True})
    assert [o.title for o in on.options] == ["Mosul holds"]
    assert not any(e["id"] == "mosul-falls" for e in on.setup["events"])
    # A unit that starts elsewhere: chosen, then its new place typed; a faction on another side.
    # (The page's widgets are made as they scroll into view: each is found by scrolling to it.)
    pick(app, labelled_dropdown(app, scene, "move a unit"), "isis-mosul")
    moved = ed.doc["options"][0]["move_units"]
    assert moved[0]["unit"] == "isis-mosul" and len(moved[0]["hex"]) == 2  # where it stood, for now
    type_into(app, find(app, scene, "on_text", lambda w: w.get_text() == f"[{moved[0]['hex'][0]}, "
                                                                      f"{moved[0]['hex'][1]}]"), "Baiji")
    baiji = ed.ctx.hexmap.resolve_place("Baiji")
    assert ed.doc["options"][0]["move_units"] == [{"unit": "isis-mosul", "hex": [baiji.q, baiji.r]}]
    pick(app, labelled_dropdown(app, scene, "change side"), "Iraq")
    assert ed.doc["options"][0]["factions"] == [{"id": "iraq", "side": "baathist"}]
    # Both sides' factions on one side leave the other with none: refused, with the checker's words.
    doc = ed.doc
    pick(app, labelled_dropdown(app, scene, "iraq"), "Jihadists")
    assert ed.doc is doc and ed.doc["options"][0]["factions"] == [{"id": "iraq", "side": "baathist"}]
    click(app, find(app, scene, "on_click", lambda b: b.text == "iraq as in history \u00d7"))
    assert "factions" not in ed.doc["options"][0]
    key(app, pygame.K_s, pygame.KMOD_CTRL)
    assert check_file(path) == []
    on = load_scenario(path, options={"what-if-1": True})
    assert next(u for u in on.setup["units"] if u["id"] == "isis-mosul")["hex"] == [baiji.q, baiji.r]
    click(app, find(app, scene, "on_click", lambda b: b.text == "isis-mosul stays \u00d7"))
    assert "move_units" not in ed.doc["options"][0]
    click(app, button(scene, "mosul-falls \u00d7"))
    assert "drop_events" not in ed.doc["options"][0]
    click(app, find(app, scene, "on_click", lambda w: w.text == "Delete switch"))
    assert "options" not in ed.doc and scene.option_index is None
