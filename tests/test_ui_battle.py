"""The battle screen, driven headless through its own input events."""

import math
import time
from types import SimpleNamespace

import pygame
import pytest

from game.ui.battle_text import preview_rows

from game.commands import replay_journal
from game.session import Seat, Session
from game.visibility import visible_units

SCENARIO = "2014-isis-offensive"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path / "home"))
    from game.ui.scene import App
    from game.ui.settings import Settings

    settings = Settings()
    settings.ai_speed = "skip"
    settings.edge_pan = False
    settings.confirm_end_turn = False  # the test of the question turns it on
    a = App(size=(1280, 800), settings=settings)
    yield a
    a.close()


def _battle(app, seats, seed=1, scenario=SCENARIO):
    from game.ui.battle import BattleScene

    session = Session.new(scenario, seats, seed=seed)
    scene = BattleScene(app, session)
    app.push(scene)
    return session, scene


def _key(k, mod=0, uni=""):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=uni, scancode=0)


def _click(pos, button=1, mod=0):
    return [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button, mod=mod)]


def _dismiss(app, scene):
    while scene.messages:
        app.step([_key(pygame.K_RETURN)], dt=0.016)


def _look_at(app, scene, h):
    scene.view.level = 8
    scene.view.centre_on(*scene.renderer.hex_center_km(h))
    app.step([], dt=0.016)


def _select(app, scene, uid):
    """Click the unit's hex until it is the selected one (a second click cycles a stack)."""
    u = scene.session.game.state.units[uid]
    _look_at(app, scene, u.hex)
    for _ in range(8):
        app.step(_click(scene.screen_pos(u.hex)), dt=0.016)
        if scene.selected == uid:
            return
    raise AssertionError(f"could not select {uid}")


def _visible_ids(session, side):
    g = session.game
    return {u.id for u in visible_units(g.state, g.hexmap, g.rules, side)}


def test_battle_screen_draws_only_what_the_viewer_sees(app):
    session, scene = _battle(app, {"jihadist": Seat("human")})
    _dismiss(app, scene)
    app.step([], dt=0.016)
    assert scene.viewer == "jihadist"
    assert scene.drawn_units, "some counters are on screen"
    assert scene.drawn_units <= _visible_ids(session, "jihadist")
    # The whole map: every visible unit is drawn, and still no hidden one.
    scene.view.fit()
    app.step([], dt=0.016)
    assert scene.drawn_units == _visible_ids(session, "jihadist")
    hidden = set(session.game.state.units) - _visible_ids(session, "jihadist")
    assert hidden and not (scene.drawn_units & hidden)
    arr = pygame.surfarray.array3d(app.screen)
    assert arr.std() > 20
    # A click on the minimap brings the map there.
    scene.view.level = 8
    app.step([], dt=0.016)
    mm = scene.minimap
    assert mm.visible
    before = scene.view.centre
    app.step(_click((mm.rect.left + 10, mm.rect.bottom - 10)), dt=0.016)
    assert scene.view.centre[0] < before[0] and scene.view.centre[1] > before[1]
    # The window changes size, and the UI scale too.
    app.screen = pygame.display.set_mode((1024, 700), pygame.RESIZABLE)
    app.settings.ui_scale = 1.3
    app.step([pygame.event.Event(pygame.VIDEORESIZE, size=(1024, 700), w=1024, h=700)], dt=0.016)
    assert scene.map_rect.right + scene.panel_w == 1024
    assert scene.fonts.scale == 1.3


def _attack_pair(session, side):
    """(attacker id, target hex) of a unit of ``side`` beside an enemy it sees."""
    g = session.game
    seen = visible_units(g.state, g.hexmap, g.rules, side)
    for u in g.state.units_of_side(side):
        if not g.rules.unit_type(u.type).is_ground:
            continue
        for v in seen:
            if (g.state.side_of(v.faction) != side and v.hex.distance(u.hex) == 1
                    and g.state.at_war_with(u.faction, v.faction)
                    and g.rules.unit_type(v.type).is_ground):
                return u.id, v.hex
    raise AssertionError("no attack to make")


def _play_ai_until(app, scene, side, turn, limit=60.0):
    t0 = time.perf_counter()
    st = scene.session.game.state
    while not (st.active_side == side and st.turn == turn) or scene.ai.running:
        if scene.messages:
            app.step([_key(pygame.K_RETURN)], dt=0.016)
        else:
            app.step([], dt=0.016)
        st = scene.session.game.state
        assert time.perf_counter() - t0 < limit, "the AI took too long"
        assert app.top is scene


def test_two_turns_played_through_the_window(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    g = session.game
    _dismiss(app, scene)
    side = "jihadist"
    # Attack: select a unit beside an enemy, click the enemy (odds), click again (attack).
    attacker, target = _attack_pair(session, side)
    _select(app, scene, attacker)
    assert target in scene.orders.targets
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    assert scene.preview is not None and scene.preview.odds
    assert len(g.journal) == 0, "the first click only shows the odds"
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    _dismiss(app, scene)
    assert [c["kind"] for c in g.journal] == ["attack"]
    assert g.journal[0]["attackers"] == [attacker]
    assert g.journal[0]["target"] == [target.q, target.r]
    # Move: another unit, to the farthest hex of its range.
    mover = next(u for u in g.state.units_of_side(side) if u.id != attacker
                 and g.rules.unit_type(u.type).is_ground and u.moves_left > 0
                 and not any(v.hex == u.hex for v in g.state.units.values() if v.id != u.id))
    _select(app, scene, mover.id)
    assert scene.orders.range, "the selected unit shows where it can go"
    dest = max(sorted(scene.orders.range, key=lambda h: (h.q, h.r)), key=lambda h: scene.orders.range[h])
    _look_at(app, scene, dest)
    app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=scene.screen_pos(dest), rel=(0, 0),
                                 buttons=(0, 0, 0))], dt=0.016)
    path, cost = scene.orders.path
    assert path[-1] == dest and cost == scene.orders.range[dest]
    app.step(_click(scene.screen_pos(dest)), dt=0.016)
    _dismiss(app, scene)
    assert g.journal[-1] == {"kind": "move", "side": side, "unit": mover.id,
                             "path": [[h.q, h.r] for h in path]}
    if not any(e.kind in ("contact", "zoc") for e in session.logs[side] if e.at == 2):
        assert g.state.units[mover.id].hex == dest
    # End the turn with E; the AI sides play; the window stays ours.
    app.step([_key(pygame.K_e)], dt=0.016)
    assert g.journal[2] == {"kind": "end_turn", "side": side}
    _play_ai_until(app, scene, side, 2)
    kinds = [(c["side"], c["kind"]) for c in g.journal]
    assert kinds[:3] == [(side, "attack"), (side, "move"), (side, "end_turn")]
    others = [s for s in g.state.sides if s != side]
    for s in others:
        assert (s, "end_turn") in kinds
    # Turn 2: a move to the nearest hex, then the End turn button.
    _dismiss(app, scene)
    n = len(g.journal)
    unit = next(u for u in g.state.units_of_side(side) if g.rules.unit_type(u.type).is_ground
                and not any(v.hex == u.hex for v in g.state.units.values() if v.id != u.id))
    _select(app, scene, unit.id)
    near = min(sorted(scene.orders.range, key=lambda h: (h.q, h.r)), key=lambda h: scene.orders.range[h])
    app.step(_click(scene.screen_pos(near)), dt=0.016)
    _dismiss(app, scene)
    assert g.journal[n]["kind"] == "move" and g.journal[n]["unit"] == unit.id
    end_button = next(b for b in scene.buttons if b.action == "end_turn")
    app.step(_click(end_button.rect.center), dt=0.016)
    assert g.journal[n + 1] == {"kind": "end_turn", "side": side}
    _play_ai_until(app, scene, side, 3)
    # The state is exactly what the journal's commands make of the scenario.
    again = replay_journal(g.setup, g.hexmap, g.rules, g.seed, g.journal)
    assert again.checksum() == g.checksum()
    assert scene.drawn_units <= _visible_ids(session, side)
    # Autosave after each turn.
    from game.ui.settings import saves_dir

    assert session.autosave_path(saves_dir()).exists()


def test_hot_seat_hands_over_and_shows_each_side_its_own_view(app):
    from game.ui.handover import HandoverScene

    session, scene = _battle(app, {"jihadist": Seat("human"), "coalition": Seat("human")}, seed=2)
    app.step([], dt=0.016)
    assert isinstance(app.top, HandoverScene) and app.top.side == "jihadist"
    while app.top is not scene:
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    _dismiss(app, scene)
    scene.view.fit()
    app.step([], dt=0.016)
    assert scene.viewer == "jihadist"
    jihadist_sees = _visible_ids(session, "jihadist")
    assert scene.drawn_units and scene.drawn_units <= jihadist_sees
    jihadist_camera = scene.view.centre
    app.step([_key(pygame.K_e)], dt=0.016)
    t0 = time.perf_counter()
    while not isinstance(app.top, HandoverScene):
        app.step([_key(pygame.K_RETURN)] if scene.messages else [], dt=0.016)
        assert time.perf_counter() - t0 < 30
    handover = app.top
    assert handover.side == "coalition"
    # The summary: the scenario's first news, kept for the coalition's first turn, then what
    # the coalition saw happen since it last moved, nothing it did not.
    told = [f"Turn {e.turn}: {e.text}" for e in session.logs["coalition"]]
    opening = list(session.opening)
    assert opening and handover.lines[:len(opening)] == opening
    assert handover.lines[len(opening):] and set(handover.lines[len(opening):]) <= set(told)
    assert session.inbox["coalition"] == []
    assert session.game.state.active_side == "coalition"
    while app.top is not scene:
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    _dismiss(app, scene)
    assert scene.view.centre != jihadist_camera, "the map opens over the coalition's forces"
    scene.view.fit()
    app.step([], dt=0.016)
    assert scene.viewer == "coalition"
    coalition_sees = _visible_ids(session, "coalition")
    assert scene.drawn_units == coalition_sees
    assert (jihadist_sees - coalition_sees), "the two sides see different units"
    assert not (scene.drawn_units & (jihadist_sees - coalition_sees))


def test_keys_undo_quick_save_and_load(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=4)
    _dismiss(app, scene)
    g = session.game
    app.step([_key(pygame.K_TAB)], dt=0.016)
    assert scene.selected is not None
    first = scene.selected
    app.step([_key(pygame.K_TAB)], dt=0.016)
    assert scene.selected != first
    app.step([_key(pygame.K_F5)], dt=0.016)
    from game.ui.settings import saves_dir

    quick = list(saves_dir().glob("quicksave*"))
    assert len(quick) == 1
    app.step([_key(pygame.K_ESCAPE)], dt=0.016)  # drops the selection
    app.step([_key(pygame.K_ESCAPE)], dt=0.016)  # opens the pause menu
    assert scene.menu_open
    app.step([_key(pygame.K_ESCAPE)], dt=0.016)
    assert not scene.menu_open
    app.step([_key(pygame.K_l)], dt=0.016)
    assert scene.show_ledger
    app.step([_key(pygame.K_l)], dt=0.016)
    n_before = len(g.journal)
    app.step([_key(pygame.K_F9)], dt=0.016)
    fresh = app.top
    assert fresh is not scene and fresh.session.game.checksum() == g.checksum()
    assert len(fresh.session.game.journal) == n_before


def test_air_missions_ordered_from_the_window(app):
    session, scene = _battle(app, {"coalition": Seat("human")}, seed=1, scenario="2014-new-role")
    _play_ai_until(app, scene, "coalition", 1)
    _dismiss(app, scene)
    g = session.game
    wings = [u for u in g.state.units_of_side("coalition") if u.type == "air_wing"]
    wing = None
    for w in wings:
        _select(app, scene, w.id)
        if scene.orders.targets:
            wing = w
            break
    assert wing is not None, "a coalition wing has a target in reach"
    app.step([_key(pygame.K_1)], dt=0.016)
    assert scene.mission == "strike"
    target = min(sorted(scene.orders.targets, key=lambda h: (h.q, h.r)), key=wing.hex.distance)
    _look_at(app, scene, target)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    assert scene.preview is not None and scene.preview.kind == "air_mission"
    rows = [t for t, _, _ in preview_rows(scene)]
    assert rows[0].startswith("Strike on ") and rows[1].startswith("By ")
    assert any(t.startswith("Target: ") for t in rows)
    n = len(g.journal)
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    assert g.journal[n] == {"kind": "air_mission", "side": "coalition", "wing": wing.id,
                            "mission": "strike", "target": [target.q, target.r]}
    _dismiss(app, scene)
    # Another wing patrols over a hex of its choosing.
    other = next((w for w in wings if w.id != wing.id and w.id in g.state.units), None)
    if other is not None:
        _select(app, scene, other.id)
        app.step([_key(pygame.K_3)], dt=0.016)
        spot = other.hex.neighbors()[0]
        if not scene.stacks.get(spot):
            _look_at(app, scene, spot)
            app.step(_click(scene.screen_pos(spot)), dt=0.016)
            app.step(_click(scene.screen_pos(spot)), dt=0.016)
            _dismiss(app, scene)
            assert g.journal[-1]["kind"] == "air_mission"
            assert g.journal[-1]["mission"] == "patrol" and g.journal[-1]["wing"] == other.id
            assert other.id in g.state.air_tasks
            app.step([], dt=0.016)


def test_ai_turns_are_animated_only_where_the_viewer_sees(app):
    app.settings.ai_speed = "fast"
    session, scene = _battle(app, {"coalition": Seat("human")}, seed=6)
    t0 = time.perf_counter()
    animated = 0
    st = session.game.state
    while not (st.active_side == "coalition" and not scene.ai.running):
        app.step([_key(pygame.K_RETURN)] if scene.messages else [], dt=0.016)
        st = session.game.state
        animated += bool(scene.drawn_moving)
        # Drawn: what the side sees now, and units on their way only where it would see them.
        for uid in scene.drawn_units - _visible_ids(session, "coalition"):
            assert uid in scene.drawn_moving and scene.would_see(scene.drawn_moving[uid])
        assert time.perf_counter() - t0 < 40
    assert animated, "some AI moves were seen and shown"
    assert scene.viewer == "coalition"


def test_watching_shows_everything_or_one_sides_view(app):
    session, scene = _battle(app, {s: Seat("ai") for s in ("jihadist", "baathist", "coalition")})
    scene.ai_paused = True
    _dismiss(app, scene)
    scene.view.fit()
    app.step([], dt=0.016)
    assert scene.viewer is None
    assert scene.drawn_units == set(session.game.state.units)
    app.step([_key(pygame.K_v)], dt=0.016)
    assert scene.viewer == "jihadist"
    assert scene.drawn_units == _visible_ids(session, "jihadist")
    app.step([_key(pygame.K_p)], dt=0.016)
    assert not scene.ai_paused
    t0 = time.perf_counter()
    while session.game.state.active_side == "jihadist":
        app.step([_key(pygame.K_RETURN)] if scene.messages else [], dt=0.016)
        assert time.perf_counter() - t0 < 30
    assert any(c["side"] == "jihadist" for c in session.game.journal)


def test_help_and_the_end_of_the_game(app):
    from game.ui.help import HelpOverlay
    from game.ui.results import ResultsScene

    session, scene = _battle(app, {"jihadist": Seat("human")})
    _dismiss(app, scene)
    app.step([_key(pygame.K_F1)], dt=0.016)
    assert isinstance(app.top, HelpOverlay)
    app.step([_key(pygame.K_SPACE)], dt=0.016)
    assert app.top is scene
    # The game ends (as a victory condition would end it): the results come over the battle,
    # and "View final map" uncovers it, the results not shown again.
    state = session.game.state
    state.over, state.winner, state.result = True, "jihadist", "Jihadists win"
    app.step([], dt=0.016)
    assert isinstance(app.top, ResultsScene) and app.below(app.top) is scene
    results = app.top
    assert results.map_button is not None
    centre = results.map_button.rect.center
    app.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=centre),
              pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=centre)], dt=0.016)
    for _ in range(2):  # the button's press comes back through the event queue
        app.step(None, dt=0.016)
    assert app.top is scene


def test_hot_seat_game_that_opens_with_the_ai_shows_no_one_everything(app, monkeypatch):
    """Between two people at one device, the computer's turn is played behind a curtain: no
    map, no counters, no one's view left on the screen."""
    from game.ui.handover import HandoverScene

    session, scene = _battle(app, {"jihadist": Seat("ai"), "baathist": Seat("human"),
                                   "coalition": Seat("human")}, seed=8)
    app.settings.ai_speed = "normal"
    scene.view.fit()
    drawn = []
    real = scene.renderer.draw_view
    monkeypatch.setattr(scene.renderer, "draw_view", lambda *a, **k: drawn.append(1) or real(*a, **k))
    t0 = time.perf_counter()
    while not isinstance(app.top, HandoverScene):
        assert not drawn and not scene.drawn_units
        app.step([], dt=0.016)
        assert scene.curtain or isinstance(app.top, HandoverScene)
        assert not scene.messages, "news waits for the next person's turn"
        assert time.perf_counter() - t0 < 30
    assert app.top.side == "baathist" and session.game.state.active_side == "baathist"


def test_naval_strike_ordered_from_the_window(app):
    """A warship group in the Gulf strikes an enemy it sees on the shore."""
    from game.commands import Game
    from game.ui.battle import BattleScene
    from games import hexmap, mosul_setup

    setup = mosul_setup()
    setup["units"] += [
        {"id": "us-navy", "type": "naval_group", "faction": "us", "hex": [77, 99],
         "personnel": 2000, "equipment": {"warships": 6}},
        {"id": "isis-gulf", "type": "militia", "faction": "isis", "hex": [76, 97],
         "personnel": 1500},
        {"id": "isis-far", "type": "militia", "faction": "isis", "place": "Raqqa",
         "personnel": 1500},
    ]
    setup["sides"] = setup["sides"][2:] + setup["sides"][:2]  # the coalition moves first
    from game.rules import default_rules

    game = Game(setup, hexmap(), default_rules(), 1)
    session = Session(game, None, None, {"coalition": Seat("human")})
    scene = BattleScene(app, session)
    app.push(scene)
    _play_ai_until(app, scene, "coalition", 1)
    _dismiss(app, scene)
    _select(app, scene, "us-navy")
    from game.hexgrid import Hex

    target = Hex(76, 97)
    assert target in scene.orders.targets
    assert "isis-far" not in scene.drawn_units
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    assert scene.preview is not None and scene.preview.kind == "naval_strike"
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    assert game.journal[-1] == {"kind": "naval_strike", "side": "coalition", "group": "us-navy",
                                "target": [76, 97]}


def test_shift_click_combines_attackers(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=5)
    _dismiss(app, scene)
    g = session.game
    side = "jihadist"
    seen = visible_units(g.state, g.hexmap, g.rules, side)
    own = [u for u in g.state.units_of_side(side) if g.rules.unit_type(u.type).is_ground]
    pick = None
    for v in seen:
        if g.state.side_of(v.faction) == side or not g.rules.unit_type(v.type).is_ground:
            continue
        by_hex = {}
        for u in own:
            if u.hex.distance(v.hex) == 1 and g.state.at_war_with(u.faction, v.faction):
                by_hex.setdefault(u.hex, u)
        if len(by_hex) >= 2:
            pick = (v.hex, list(by_hex.values())[:2])
            break
    assert pick is not None, "the scenario opens with two units beside one enemy"
    target, (first, second) = pick
    _select(app, scene, first.id)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    assert scene.preview.attackers == [first.id]
    alone = scene.preview.attacker_personnel
    stack = [u.id for u in scene.stacks[second.hex] if scene.orders.can_order(u.id)]
    app.step(_click(scene.screen_pos(second.hex), mod=pygame.KMOD_LSHIFT), dt=0.016)
    assert scene.attackers[:2] == [first.id, stack[0]]
    assert set(scene.preview.attackers) == {first.id, stack[0]}
    assert scene.preview.attacker_personnel > alone
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    assert g.journal[-1] == {"kind": "attack", "side": side, "attackers": [first.id, stack[0]],
                             "target": [target.q, target.r]}


def test_ctrl_z_takes_back_a_move_that_revealed_nothing(app):
    session, scene = _battle(app, {"coalition": Seat("human")}, seed=9, scenario="2014-new-role")
    _play_ai_until(app, scene, "coalition", 1)
    _dismiss(app, scene)
    g = session.game
    undone = False
    for unit in [u for u in g.state.units_of_side("coalition")
                 if g.rules.unit_type(u.type).is_ground][:12]:
        if unit.moves_left <= 0:
            continue
        _select(app, scene, unit.id)
        if not scene.orders.range:
            continue
        start, n = unit.hex, len(g.journal)
        near = min(sorted(scene.orders.range, key=lambda h: (h.q, h.r)), key=lambda h: scene.orders.range[h])
        app.step(_click(scene.screen_pos(near)), dt=0.016)
        _dismiss(app, scene)
        assert len(g.journal) == n + 1
        if session.can_undo:
            app.step([_key(pygame.K_z, mod=pygame.KMOD_LCTRL)], dt=0.016)
            assert len(g.journal) == n and g.state.units[unit.id].hex == start
            undone = True
            break
    assert undone, "some move revealed nothing and could be taken back"


def test_pause_menu_and_ctrl_s_open_the_other_screens(app):
    from game.ui import menus
    from game.ui.help import HelpOverlay

    session, scene = _battle(app, {"jihadist": Seat("human")})
    _dismiss(app, scene)

    def menu(action):
        app.step([_key(pygame.K_ESCAPE)], dt=0.016)
        assert scene.menu_open
        button = next(b for b in scene.menu_buttons if b.action == action)
        app.step(_click(button.rect.center), dt=0.016)
        assert not scene.menu_open

    for action, kind in (("save", menus.SaveDialog), ("load", menus.LoadDialog),
                         ("settings", menus.SettingsScene), ("help", HelpOverlay)):
        menu(action)
        assert isinstance(app.top, kind), action
        app.pop()
        assert app.top is scene
    menu("resume")
    assert app.top is scene
    app.step([_key(pygame.K_s, mod=pygame.KMOD_LCTRL)], dt=0.016)
    assert isinstance(app.top, menus.SaveDialog)
    app.pop()
    menu("main_menu")
    assert isinstance(app.top, menus.MainMenuScene) and app.stack == [app.top]


MOSUL = "scenarios/examples/fall-of-mosul.toml"


@pytest.mark.parametrize("follow", [True, False])
def test_the_camera_follows_what_the_viewer_sees_the_ai_do(app, follow):
    from game.hexgrid import Hex

    app.settings.ai_speed = "fast"
    app.settings.follow_ai = follow
    session, scene = _battle(app, {"baathist": Seat("human"), "jihadist": Seat("ai")},
                             scenario=MOSUL)
    far = Hex(80, 100)  # the Gulf, far from Mosul
    scene.view.level = 10
    scene.view.centre_on(*scene.renderer.hex_center_km(far))
    start = scene.view.centre
    _play_ai_until(app, scene, "baathist", 1, limit=30)
    for _ in range(100):  # the computer does not wait for the camera after a move
        if not scene.view.gliding:
            break
        app.step([], dt=0.016)
    seen = [e for e in session.logs["baathist"] if e.kind == "moved"]
    assert seen, "Iraq saw the AI move"
    assert (scene.view.centre != start) is follow
    if follow:  # brought to the north of Iraq, where the moves were
        here = scene.view.hex_at(scene.view.rect.center)
        assert here.distance(far) > 40


def test_the_camera_glides_to_the_ai_move_and_the_ai_waits_for_it(app):
    """Following the computer, the camera does not jump: it passes through the points between,
    easing in, and the AI's next command waits until it is there."""
    from game.hexgrid import Hex
    from game.ui.battle import GLIDE_TIME

    app.settings.ai_speed = "normal"
    session, scene = _battle(app, {"baathist": Seat("human"), "jihadist": Seat("ai")},
                             scenario=MOSUL)
    view = scene.view
    view.level = 10
    view.centre_on(*scene.renderer.hex_center_km(Hex(80, 100)))
    start = view.centre
    goal_hex = session.game.hexmap.find_city("Mosul").hex
    scene._follow(goal_hex)
    assert view.gliding and view.centre == start
    path = []
    for _ in range(200):
        view.step(0.016)
        path.append(view.centre)
        if not view.gliding:
            break
    assert not view.gliding and 0.8 * GLIDE_TIME["normal"] / 0.016 <= len(path)
    goal = view.centre
    assert scene.view.hex_at(view.rect.center).distance(goal_hex) <= 1
    dist = [math.dist(p, goal) for p in [start] + path]
    assert all(a >= b for a, b in zip(dist, dist[1:]))  # always nearer
    steps = [a - b for a, b in zip(dist, dist[1:])]
    assert steps[0] < steps[len(steps) // 2] and steps[-1] < steps[len(steps) // 2]
    # After a fight, a command from the AI is not taken while the camera is still on its
    # way (after a move it is: the next move may glide while the camera does).
    scene._follow(Hex(80, 100))
    assert view.gliding
    scene.messages.clear()
    scene.ai.wait = 0.0
    asked = []
    scene.ai.turn = SimpleNamespace(step=lambda timeout: asked.append(1), finished=False)
    scene.effects.last_fight = True
    scene.ai.step(0.016)
    assert asked == []
    view.step(1.0)
    scene.ai.step(0.016)
    assert asked  # there: the AI goes on
    scene.ai.turn = None
    scene._follow(Hex(80, 100))
    scene._follow(goal_hex)
    view.pan_pixels(5, 0)  # the player's hand stops the glide
    assert not view.gliding

def test_the_log_is_headed_by_turn_and_date(app):
    from types import SimpleNamespace

    from game.ui.battle import log_lines

    import datetime as dt

    state = SimpleNamespace(start_date=dt.date(2014, 6, 16), turn_days=7)
    entries = [(1, "message", "Columns close on Mosul"), (1, "moved", "a unit moved"),
               (1, "new_turn", "Turn 2: 2014-06-23"), (1, "reinforcements", "2 units arrive"),
               (2, "attack", "Attack on Tikrit")]
    assert log_lines(entries, state) == [
        ("Turn 1 \u00b7 16 June 2014", True), ("Columns close on Mosul", False),
        ("a unit moved", False), ("Turn 2 \u00b7 23 June 2014", True),
        ("2 units arrive", False), ("Attack on Tikrit", False)]
    # In the window: the turn's heading, then its events with no "Turn 1:" before each.
    session, scene = _battle(app, {"jihadist": Seat("human")}, scenario=MOSUL)
    _dismiss(app, scene)
    uid, _ = next((u.id, u.hex) for u in session.game.state.units_of_side("jihadist"))
    app.step([_key(pygame.K_e)], dt=0.016)
    _play_ai_until(app, scene, "jihadist", 2, limit=30)
    lines = scene.log_lines()
    assert lines[0] == ("Turn 1 \u00b7 4 June 2014", True)
    assert ("Turn 2 \u00b7 11 June 2014", True) in lines
    assert not any(text.startswith("Turn ") for text, heading in lines if not heading)
    app.step([], dt=0.016)


def test_a_click_on_an_enemy_out_of_reach_says_why_and_keeps_the_selection(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=1)
    _dismiss(app, scene)
    g = session.game
    seen = visible_units(g.state, g.hexmap, g.rules, "jihadist")
    pair = next(((u, v) for u in g.state.units_of_side("jihadist")
                 if g.rules.unit_type(u.type).is_ground
                 for v in seen if g.state.side_of(v.faction) != "jihadist"
                 and 2 <= v.hex.distance(u.hex) <= 4), None)
    assert pair is not None, "an enemy seen a few hexes from a unit"
    u, v = pair
    _select(app, scene, u.id)
    n = len(g.journal)
    _look_at(app, scene, v.hex)
    app.step(_click(scene.screen_pos(v.hex)), dt=0.016)
    assert len(g.journal) == n and scene.selected == u.id
    text = scene.toast[0]
    assert text.startswith(f"{u.name or u.id} cannot: ") and len(text) > len(u.name or u.id) + 12


def test_an_attack_says_what_came_of_it_and_the_end_shows_everything(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    _dismiss(app, scene)
    uid, target = _attack_pair(session, "jihadist")
    _select(app, scene, uid)
    _look_at(app, scene, target)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    rows = [t for t, _, _ in preview_rows(scene)]
    assert rows[0].startswith("Attack on ") and " at " in rows[0] and "estimate" in rows[1]
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    assert session.game.journal[-1]["kind"] == "attack"
    assert scene.toast[0].startswith("Attack on ")
    assert any(a.kind == "flash" and a.hex == target for a in scene.effects.items)
    # At the end the final position is uncovered: every unit, no fog.
    state = session.game.state
    hidden = set(state.units) - _visible_ids(session, "jihadist")
    assert hidden
    state.over, state.winner, state.result = True, "baathist", "Iraq wins"
    app.step([], dt=0.016)
    scene.refresh_world()
    assert scene.seen_ids == set(state.units) and scene.mask is None


def test_the_side_to_move_is_named_in_its_own_colour(app):
    """The top bar names the side to move in the colour of its counters' family, whatever its
    place among the sides, in either palette."""
    import numpy as np

    from game.ui.counters import on_dark, side_colour

    for palette in ("standard", "colour-blind"):
        app.settings.palette = palette
        session, scene = _battle(app, {"jihadist": Seat("human")})
        _dismiss(app, scene)
        app.step([], dt=0.016)
        assert scene.palette.side("jihadist") == side_colour("jihadist", palette)
        want = on_dark(side_colour("jihadist", palette))
        assert scene.side_colour("jihadist") == want
        bar = pygame.surfarray.array3d(app.screen.subsurface((0, 0, app.screen.get_width(),
                                                             scene.top_h)))
        assert (bar.reshape(-1, 3) == np.array(want)).all(axis=1).any()
        app.pop()
