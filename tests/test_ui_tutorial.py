"""The tutorial, played from the main menu through the window's own input events."""

import time

import pygame
import pytest

from game.scenario import load_scenario
from game.session import Seat, Session, shared_context
from game.ui import menus
from game.ui.tutorial import (ENEMY, LEAVE_KEY, PLAYER, STEPS, TUTORIAL_PATH, TUTORIAL_SEED, UNIT,
                              WING, TutorialBattle, start_tutorial)


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path / "home"))
    from game.ui.scene import App
    from game.ui.settings import Settings

    settings = Settings()
    settings.ai_speed = "skip"
    settings.edge_pan = False
    a = App(size=(1280, 800), settings=settings)
    pygame.event.clear()
    yield a
    a.close()


def _key(k, mod=0):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)


def _move(pos):
    return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))


def _click(pos, button=1):
    return [_move(pos), pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button, mod=0)]


def _frames(app, n=30, events=()):
    app.step(list(events), dt=0.016)
    for _ in range(n):
        app.step([], dt=0.016)


def _idle(app, scene):
    """Doing nothing for a while (two seconds of frames) leaves the step where it is."""
    index = scene.index
    _frames(app, 120)
    assert scene.index == index and not scene.closed, f"step {index + 1} went on by itself"


def _in_view(scene, h):
    """The hex is on the map, and neither the coach box nor the minimap covers it."""
    pos = scene.screen_pos(h)
    mm = scene.minimap
    return (scene.map_rect.collidepoint(pos) and not scene.coach_rect.collidepoint(pos)
            and not (mm.visible and mm.rect.collidepoint(pos)))


def _select(app, scene, uid):
    """Click the unit's hex until it is the selected one (a second click goes through a stack)."""
    for _ in range(4):
        h = scene.session.game.state.units[uid].hex
        assert _in_view(scene, h), f"{uid} is not in sight to be clicked"
        _frames(app, 2, _click(scene.screen_pos(h)))
        if scene.selected == uid:
            return
    raise AssertionError(f"could not select {uid}")


def _box_is_clear(scene):
    """The coach box stands on the map, never on the side panel, and off the selected unit."""
    box = scene.coach_rect
    assert box.w and scene.map_rect.contains(box)
    assert not box.colliderect(scene.panel_rect)
    u = scene.session.game.state.units.get(scene.selected) if scene.selected else None
    if u is not None and scene.map_rect.collidepoint(scene.screen_pos(u.hex)):
        assert not box.collidepoint(scene.screen_pos(u.hex))
    if scene.target is not None:
        assert not box.collidepoint(scene.screen_pos(scene.target))


def _start_from_menu(app):
    menu = app.push(menus.MainMenuScene(app))
    _frames(app, 2)
    button = menu.buttons["tutorial"]
    app.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=button.rect.center, button=1),
              pygame.event.Event(pygame.MOUSEBUTTONUP, pos=button.rect.center, button=1)], dt=0.016)
    for _ in range(3):  # what the button posted in answer
        app.step(None, dt=0.016)
    scene = app.top
    assert isinstance(scene, TutorialBattle), f"the Tutorial button opened {scene!r}"
    assert app.stack[0] is menu
    return scene


def test_the_tutorial_scenario_is_small_valid_and_has_what_the_steps_name():
    hexmap, rules = shared_context()
    sc = load_scenario(TUTORIAL_PATH, hexmap, rules)  # raises on any problem
    units = {u["id"]: u for u in sc.setup["units"]}
    faction_side = {f["id"]: f["side"] for f in sc.setup["factions"]}
    assert faction_side[units[UNIT]["faction"]] == PLAYER
    assert units[WING]["type"] == "air_wing" and faction_side[units[WING]["faction"]] == PLAYER
    assert faction_side[units[ENEMY]["faction"]] != PLAYER
    assert sc.setup["sides"][0]["id"] == PLAYER, "the player's turn comes first"
    enemy = [u for u in units.values() if faction_side[u["faction"]] != PLAYER]
    assert sum(u["personnel"] for u in enemy) < sum(
        u["personnel"] for u in units.values() if faction_side[u["faction"]] == PLAYER) / 2


def test_the_main_menu_opens_the_tutorial_and_each_step_waits_for_its_action(app):
    scene = _start_from_menu(app)
    g = scene.session.game
    st = g.state
    assert g.seed == TUTORIAL_SEED
    assert scene.session.seats == {"coalition": Seat("human"), "jihadist": Seat("ai", "easy")}
    assert len(scene.steps) == len(STEPS) == 9

    # 1. Welcome: text only; Next (or Enter) goes on.
    _idle(app, scene)
    assert scene.index == 0 and scene.button_label() == "Next"
    _box_is_clear(scene)
    assert _in_view(scene, st.units[ENEMY].hex), "the welcome shows the enemy at the dam"
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    assert scene.index == 1

    # 2. Select the brigade: another unit does not do.
    assert scene.button_label() == "" and scene.focus_hex() == st.units[UNIT].hex
    _idle(app, scene)
    _select(app, scene, "pesh-duhok")
    _frames(app, 5)
    assert scene.index == 1
    app.step([_key(pygame.K_ESCAPE)], dt=0.016)
    _select(app, scene, UNIT)
    _frames(app, 5)
    assert scene.index == 2

    # 3. Move: the ringed hex is beside the enemy, and a click there moves the brigade.
    _idle(app, scene)
    dest = scene.focus_hex()
    assert dest is not None and dest.distance(st.units[ENEMY].hex) == 1
    assert _in_view(scene, dest)
    _frames(app, 2, [_move(scene.screen_pos(dest))])
    assert scene.hover == dest
    assert len(g.journal) == 0
    _frames(app, 5, _click(scene.screen_pos(dest)))
    assert g.journal[-1]["kind"] == "move" and st.units[UNIT].hex == dest
    assert scene.index == 3

    # 4. The odds: one click on the enemy shows them, and nothing is fought.
    _idle(app, scene)
    assert scene.focus_hex() == st.units[ENEMY].hex
    _frames(app, 5, _click(scene.screen_pos(st.units[ENEMY].hex)))
    assert scene.preview is not None and scene.preview.odds
    assert [c["kind"] for c in g.journal] == ["move"]
    assert scene.index == 4
    _box_is_clear(scene)

    # 5. Air support: Enter with nothing ready does nothing; the wing at Erbil flies it.
    app.step([_key(pygame.K_ESCAPE)], dt=0.016)  # the odds are put away
    _idle(app, scene)
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    _frames(app, 5)
    assert scene.index == 4
    _frames(app, 40)  # the camera glides to the wing
    assert scene.focus_hex() == st.units[WING].hex and _in_view(scene, st.units[WING].hex)
    _select(app, scene, WING)
    assert scene.focus_hex() == st.units[ENEMY].hex
    app.step([_key(pygame.K_2)], dt=0.016)
    target = st.units[ENEMY].hex
    _frames(app, 2, _click(scene.screen_pos(target)))
    assert scene.preview is not None and scene.index == 4, "a mission shown is not flown"
    _box_is_clear(scene)
    _frames(app, 5, _click(scene.screen_pos(target)))
    assert g.journal[-1] == {"kind": "air_mission", "side": PLAYER, "wing": WING,
                             "mission": "cas", "target": [target.q, target.r]}
    assert scene.index == 5

    # 6. Attack: the brigade, the enemy twice.
    _idle(app, scene)
    _select(app, scene, UNIT)
    _frames(app, 2, _click(scene.screen_pos(target)))
    assert scene.index == 5 and scene.preview is not None
    _frames(app, 5, _click(scene.screen_pos(target)))
    assert g.journal[-1]["kind"] == "attack" and g.journal[-1]["attackers"] == [UNIT]
    assert scene.index == 6

    # 7. Supply: the overlay's key (S), or Next while the screen has no supply overlay.
    while scene.messages:
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    _idle(app, scene)
    if hasattr(scene, "overlays"):
        assert scene.button_label() == ""
        app.step([_key(pygame.K_s)], dt=0.016)
        assert "supply" in scene.overlays
    else:
        assert scene.button_label() == "Next"
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    _frames(app, 2)
    assert scene.index == 7

    # 8. End the turn: E (and, asked whether to, with units that could still act: Enter); the
    # computer plays its turn and the window comes back to the player.
    _idle(app, scene)
    n = len(g.journal)
    app.step([_key(pygame.K_e)], dt=0.016)
    if getattr(scene, "confirm", None):
        _frames(app, 2)
        assert scene.coach_rect.w == 0, "the box waits behind the question"
        assert scene.index == 7
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    assert g.journal[n] == {"side": PLAYER, "kind": "end_turn"}
    t0 = time.perf_counter()
    while scene.ai.running or scene.session.game.state.active_side != PLAYER:
        app.step([_key(pygame.K_RETURN)] if scene.messages else [], dt=0.016)
        assert time.perf_counter() - t0 < 60, "the computer's turn took too long"
    assert scene.index == 8
    assert not scene.session.game.state.over, "the computer's first turn did not end the game"

    # 9. The last step closes the box, and the game goes on.
    while scene.messages:
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    _idle(app, scene)
    assert scene.button_label() == "Close"
    _frames(app, 2, _click(scene.next_button.rect.center))
    assert scene.closed and scene.coach_rect.w == 0
    assert app.top is scene


def test_a_step_counts_only_what_is_done_after_it_began(app):
    scene = start_tutorial(app)
    g = scene.session.game
    app.step([_key(pygame.K_RETURN)], dt=0.016)  # past the welcome
    _frames(app, 40)
    # In the select step another unit moves: that move is not the move step's.
    _select(app, scene, "pesh-duhok")
    duhok = g.state.units["pesh-duhok"]
    spot = next(h for h in sorted(duhok.hex.neighbors(), key=lambda h: (h.q, h.r))
                if not g.state.units_at(h) and scene.map_rect.collidepoint(scene.screen_pos(h))
                and not scene.coach_rect.collidepoint(scene.screen_pos(h))
                and g.hexmap.terrain_at(h) not in ("lake", "sea"))
    _frames(app, 2, _click(scene.screen_pos(spot)))
    assert g.journal and g.journal[-1]["kind"] == "move"
    assert scene.index == 1
    app.step([_key(pygame.K_ESCAPE)], dt=0.016)
    _select(app, scene, UNIT)
    _frames(app, 5)
    assert scene.index == 2 and scene.step_began == len(g.journal)
    _idle(app, scene)


def test_a_step_that_cannot_be_done_says_why_and_may_be_skipped(app):
    scene = start_tutorial(app)
    g = scene.session.game
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    _frames(app, 40)
    _select(app, scene, UNIT)
    _frames(app, 5, _click(scene.screen_pos(scene.focus_hex())))
    assert scene.index == 3 and scene.stuck() == ""
    # The move is taken back: no unit of the player stands beside the enemy any more.
    app.step([_key(pygame.K_z, pygame.KMOD_CTRL)], dt=0.016)
    _frames(app, 5)
    assert not g.journal and scene.index == 3
    assert "Ctrl+Z" in scene.stuck() and scene.button_label() == "Skip"
    _frames(app, 2, _click(scene.next_button.rect.center))
    assert scene.index == 4


def test_the_coach_box_moves_off_the_selected_unit_and_stays_on_the_map(app):
    app.settings.ui_scale = 1.3
    scene = start_tutorial(app)
    _frames(app, 2)
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    _frames(app, 40)
    g = scene.session.game
    _select(app, scene, UNIT)
    box = scene.coach_rect
    # Drag the map until the selected brigade stands where the box was.
    u = g.state.units[UNIT]
    for _ in range(3):
        x, y = scene.screen_pos(u.hex)
        gx, gy = box.centerx, box.centery
        if abs(gx - x) + abs(gy - y) <= 6:  # there: a drag of nothing would be a click
            break
        start = (scene.map_rect.centerx, scene.map_rect.top + 60)
        end = (start[0] + gx - x, start[1] + gy - y)
        app.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1),
                  pygame.event.Event(pygame.MOUSEMOTION, pos=end, rel=(end[0] - start[0],
                                                                     end[1] - start[1]),
                                     buttons=(1, 0, 0)),
                  pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1, mod=0)],
                 dt=0.016)
        _frames(app, 2)
    assert box.collidepoint(scene.screen_pos(u.hex)), "the brigade is where the box stood"
    assert scene.selected == UNIT
    _box_is_clear(scene)
    assert scene.coach_rect != box
    # A smaller window: the box still fits on the map.
    app.screen = pygame.display.set_mode((1024, 700), pygame.RESIZABLE)
    app.step([pygame.event.Event(pygame.VIDEORESIZE, size=(1024, 700), w=1024, h=700)], dt=0.016)
    _frames(app, 2)
    _box_is_clear(scene)


def test_f10_and_the_leave_button_go_back_to_the_main_menu(app):
    menu = app.push(menus.MainMenuScene(app))
    scene = start_tutorial(app)
    _frames(app, 2)
    assert app.stack == [menu, scene]
    app.step([_key(LEAVE_KEY)], dt=0.016)
    assert isinstance(app.top, menus.MainMenuScene) and len(app.stack) == 1
    scene = start_tutorial(app)
    _frames(app, 2)
    _frames(app, 2, _click(scene.leave_button.rect.center))
    assert isinstance(app.top, menus.MainMenuScene) and len(app.stack) == 1
    # The same game every time: the seed is fixed.
    again = Session.new(TUTORIAL_PATH, {PLAYER: Seat("human")}, seed=TUTORIAL_SEED)
    assert again.game.checksum() == scene.session.game.checksum()


def test_the_tutorial_leaves_no_autosave_for_continue(app):
    from game.ui.settings import saves_dir

    scene = start_tutorial(app)
    _frames(app, 2)
    app.settings.confirm_end_turn = False
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    turn = scene.session.game.state.turn
    app.step([_key(pygame.K_e)], dt=0.016)
    _frames(app, 200)
    assert scene.session.game.state.turn > turn
    assert not saves_dir().exists() or not any(saves_dir().iterdir())
