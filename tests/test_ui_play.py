"""The battle screen as a player uses it: selection, questions before what cannot be undone,
a game of computers only, panels that never overlap, and texts free of ids and coordinates.
Driven headless through the window's own events."""

import time

import pygame

from game.session import Seat, Session
from game.ui.settings import UI_SCALES
from test_texts import coordinates
from test_ui_battle import _attack_pair, _click, _key, _look_at, _select, app  # noqa: F401

MOSUL = "scenarios/examples/fall-of-mosul.toml"


def _battle(app, seats, seed=1, scenario="2014-isis-offensive"):
    from game.ui.battle import BattleScene

    session = Session.new(scenario, seats, seed=seed)
    scene = BattleScene(app, session)
    app.push(scene)
    app.step([], dt=0.016)
    while scene.messages:
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    return session, scene


def _move_a_unit(app, scene, session, side="jihadist"):
    """Move one of ``side``'s ground units to an empty hex in its reach, with the mouse."""
    u = next(u for u in session.game.state.units_of_side(side)
             if session.game.rules.unit_type(u.type).is_ground and u.moves_left > 0)
    _select(app, scene, u.id)
    scene.orders.refresh_range()
    dest = next(h for h in scene.orders.range if h != u.hex and not scene.stacks.get(h))
    app.step(_click(scene.screen_pos(dest)), dt=0.016)


def _button(scene, action):
    for b in list(scene.panels.buttons) + (list(scene.confirm[2]) if scene.confirm else []) \
            + list(scene.panels.menu_buttons):
        if b.action == action:
            return b.rect.center
    raise AssertionError(f"no button {action}")


# -- quick to command -----------------------------------------------------------------------------

def test_clicking_a_friendly_unit_with_another_selected_selects_it(app):
    session, scene = _battle(app, {"jihadist": Seat("human")})
    st = session.game.state
    # Two units of the side, the second within the first's reach (a click there used to move).
    first = second = None
    for u in st.units_of_side("jihadist"):
        if not session.game.rules.unit_type(u.type).is_ground or u.moves_left <= 0:
            continue
        _select(app, scene, u.id)
        scene.orders.refresh_range()
        near = [v for v in st.units_of_side("jihadist")
                if v.hex in scene.orders.range and v.hex != u.hex]
        if near:
            first, second = u, near[0]
            break
    assert first is not None, "no unit has another within its reach"
    moves = len(session.game.journal)
    app.step(_click(scene.screen_pos(second.hex)), dt=0.016)
    assert scene.selected in {v.id for v in st.units_at(second.hex)}
    assert len(session.game.journal) == moves, "the first unit did not move"
    assert first.hex != second.hex
    # Right click cancels; a click on an empty hex in reach moves.
    app.step(_click(scene.screen_pos(second.hex), button=3), dt=0.016)
    assert scene.selected is None


def test_end_turn_with_units_that_can_act_asks_first(app, tmp_path):
    app.settings.confirm_end_turn = True
    session, scene = _battle(app, {"jihadist": Seat("human")})
    st = session.game.state
    n = scene.idle_count()
    assert n > 10
    app.step([_key(pygame.K_e)], dt=0.016)
    assert scene.confirm is not None and st.active_side == "jihadist"
    title, lines, _ = scene.confirm
    assert f"{n} units can still act" in " ".join(lines)
    app.step([_key(pygame.K_ESCAPE)], dt=0.016)  # no: the turn goes on
    assert scene.confirm is None and st.active_side == "jihadist" and st.turn == 1
    app.step([_key(pygame.K_e)], dt=0.016)
    app.step(_click(_button(scene, "end_turn_always")), dt=0.016)
    assert scene.confirm is None and len(session.game.journal) == 1
    assert session.game.journal[-1]["kind"] == "end_turn"
    assert app.settings.confirm_end_turn is False  # and it no longer asks
    from game.ui.settings import Settings

    assert Settings.load().confirm_end_turn is False


def test_quit_and_main_menu_with_unsaved_moves_ask_first(app):
    session, scene = _battle(app, {"jihadist": Seat("human")})
    # Nothing done yet: Quit leaves at once.
    assert not session.unsaved
    # A move, then Quit from the pause menu: a question, and nothing lost on Cancel.
    _move_a_unit(app, scene, session)
    assert session.unsaved
    for action in ("quit", "main_menu"):
        scene.orders.select(None)
        app.step([_key(pygame.K_ESCAPE)], dt=0.016)
        assert scene.menu_open
        app.step([], dt=0.016)
        app.step(_click(_button(scene, action)), dt=0.016)
        assert scene.confirm is not None and app.running and app.top is scene
        assert "will be lost" in " ".join(scene.confirm[1])
        app.step(_click(_button(scene, "cancel")), dt=0.016)
        assert scene.confirm is None and app.running and app.top is scene
    # Closing the window asks too.
    assert scene.close_requested() is False and scene.confirm is not None
    # Save, then go: the game is saved and the window closes.
    app.step([], dt=0.016)
    app.step(_click(_button(scene, "save_go")), dt=0.016)
    assert not session.unsaved and not app.running


def test_a_game_of_computers_only_runs_to_its_end_with_no_input(app):
    """News never stops the computer: a watched game plays to its results screen."""
    from game.ui.results import ResultsScene

    app.settings.ai_speed = "fast"
    session, scene = _battle(app, {s: Seat("ai") for s in ("jihadist", "baathist")},
                             scenario=MOSUL)
    t0 = time.perf_counter()
    while not session.game.state.over:
        app.step([], dt=0.05)
        assert not scene.messages, "no box waits for a click"
        assert time.perf_counter() - t0 < 120
    for _ in range(200):
        app.step([], dt=0.05)
        if isinstance(app.top, ResultsScene):
            break
    assert isinstance(app.top, ResultsScene)
    # "View final map", then the results again from the battle screen.
    app.pop()
    assert app.top is scene
    app.step([_key(pygame.K_e)], dt=0.016)
    assert isinstance(app.top, ResultsScene)


def test_own_moves_glide_and_fights_show_on_the_map(app):
    app.settings.ai_speed = "normal"
    session, scene = _battle(app, {"jihadist": Seat("human")})
    st = session.game.state
    u = next(u for u in st.units_of_side("jihadist")
             if session.game.rules.unit_type(u.type).is_ground and u.moves_left > 0)
    _select(app, scene, u.id)
    scene.orders.refresh_range()
    dest = max((h for h in scene.orders.range if not scene.stacks.get(h)),
               key=lambda h: h.distance(u.hex))
    app.step(_click(scene.screen_pos(dest)), dt=0.016)
    assert any(e.kind == "move" and e.unit.id == u.id for e in scene.effects.items)
    app.step([], dt=0.02)
    assert u.id in scene.drawn_moving  # on its way, drawn between hexes
    for _ in range(100):
        app.step([], dt=0.05)
    assert not scene.effects.items and u.id not in scene.drawn_moving


# -- readable -------------------------------------------------------------------------------------

SIZES = [(1024, 700), (1280, 800), (1920, 1080), (2560, 1440)]


def _apart(rects: dict, where: str) -> None:
    names = list(rects)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not rects[a].colliderect(rects[b]), f"{where}: {a} {rects[a]} overlaps {b} {rects[b]}"


def test_no_panel_is_drawn_over_another_at_any_size_or_scale(app):
    session, scene = _battle(app, {"jihadist": Seat("human")})
    from game.ui.battle_text import preview_rows

    u = next(u for u in session.game.state.units_of_side("jihadist")
             if session.game.rules.unit_type(u.type).is_ground)
    for size in SIZES:
        app.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        for scale in UI_SCALES:
            app.settings.ui_scale = scale
            app.step([pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])],
                     dt=0.016)
            for selected in (None, u.id):
                scene.orders.select(selected)
                scene.mouse = scene.map_rect.center
                scene.hover_still = 1.0
                app.step([], dt=0.016)
                app.step([], dt=0.016)
                where = f"{size} at {scale}"
                rects = {k: v for k, v in scene.panels.rects.items() if k != "map"}
                window = pygame.Rect((0, 0), size)
                for name, r in list(rects.items()) + [("map", scene.map_rect)]:
                    assert window.contains(r), f"{where}: {name} {r} leaves the window"
                _apart(rects, where)
                _apart({"map": scene.map_rect, **rects}, where)
                inner = scene.panels.overlay_rects()
                for name, r in inner.items():
                    assert scene.map_rect.contains(r), f"{where}: {name} leaves the map"
                _apart(inner, where)
                # The buttons of the top bar stay inside it and apart.
                _apart({b.label: b.rect for b in scene.panels.buttons}, where)
                for b in scene.panels.buttons:
                    assert scene.panels.rects["top"].contains(b.rect), where
    del preview_rows


def test_an_attacks_odds_are_never_hidden_by_the_log(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    uid, target = _attack_pair(session, "jihadist")
    _select(app, scene, uid)
    _look_at(app, scene, target)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    app.step([], dt=0.016)
    assert scene.preview is not None
    p = scene.panels
    assert p.rects["info"].h >= min(p.info_full, scene.panel_rect.h - 90)
    assert "log" in p.rects and p.rects["log"].h > 0


def test_no_text_on_screen_holds_an_event_id_or_a_coordinate(app, recorded):
    """Every string the battle screen draws, through a solo turn, a hover, an attack's odds,
    the ledger, the help and the computer's turn watched: no event id, no 'q,r'."""
    from game.ui import mapdraw

    drawn = recorded
    del mapdraw  # labels are city names; their fonts are made with the patched class too
    app.settings.ai_speed = "fast"
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    g = session.game
    ids = {e["id"] for e in g.setup.get("events", []) if "id" in e}
    assert ids
    uid, target = _attack_pair(session, "jihadist")
    _select(app, scene, uid)
    for h in (target, g.state.units[uid].hex):
        pos = scene.screen_pos(h)
        app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))],
                 dt=0.5)
        app.step([], dt=0.5)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    for k in (pygame.K_s, pygame.K_z, pygame.K_l):
        app.step([_key(k)], dt=0.016)
    app.step([_key(pygame.K_l)], dt=0.016)
    app.step([_key(pygame.K_F1)], dt=0.016)
    app.step([_key(pygame.K_TAB)], dt=0.016)
    app.step([_key(pygame.K_ESCAPE)], dt=0.016)
    app.settings.confirm_end_turn = False
    app.step([_key(pygame.K_e)], dt=0.016)
    t0 = time.perf_counter()
    while g.state.active_side != "jihadist" or scene.ai.running:
        app.step([_key(pygame.K_RETURN)] if scene.messages else [], dt=0.05)
        assert time.perf_counter() - t0 < 90
    for _ in range(5):
        app.step([_key(pygame.K_RETURN)] if scene.messages else [], dt=0.05)
    assert len(drawn) > 100
    bad = [t for t in drawn if coordinates(t) or any(i in t for i in ids)]
    assert not bad, bad[:10]


def test_the_wheel_zooms_about_the_point_under_the_pointer(app):
    session, scene = _battle(app, {"jihadist": Seat("human")})
    tikrit = next(c.hex for c in scene.hexmap.cities if c.name == "Tikrit")
    _look_at(app, scene, tikrit)
    scene.view.level = 6
    app.step([], dt=0.016)
    at = scene.screen_pos(tikrit)
    pointer = (at[0] + 90, at[1] - 40)
    under = scene.view.screen_to_world(pointer)
    for y in (1, 1, -1):
        app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=pointer, rel=(0, 0), buttons=(0, 0, 0)),
                  pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, flipped=False)], dt=0.016)
        now = scene.view.screen_to_world(pointer)
        assert abs(now[0] - under[0]) < 1.0 and abs(now[1] - under[1]) < 1.0
    assert scene.view.level == 7
    # The arrow keys pan a good share of the view in a second, not a few pixels.
    class Held:
        def __getitem__(self, k):
            return k == pygame.K_LEFT

    real = pygame.key.get_pressed
    pygame.key.get_pressed = lambda: Held()
    try:
        before = scene.view.centre
        for _ in range(10):
            app.step([], dt=0.1)
    finally:
        pygame.key.get_pressed = real
    moved_px = (before[0] - scene.view.centre[0]) * scene.view.scale
    assert moved_px > 0.4 * scene.map_rect.w


def test_fights_and_moves_are_heard(app, monkeypatch):
    heard = []
    monkeypatch.setattr(app.sounds, "play", lambda name, volume=1.0, pan=0.0: heard.append(name))
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    uid, target = _attack_pair(session, "jihadist")
    _select(app, scene, uid)
    assert "select" in heard
    _look_at(app, scene, target)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    assert session.game.journal[-1]["kind"] == "attack"
    assert "gunfire" in heard or "town_taken" in heard
    # An order the engine refuses is heard as such too.
    refused = heard.count("refused")
    from game.commands import EndTurn

    scene.send(EndTurn("baathist"))
    assert heard.count("refused") == refused + 1


def test_a_long_unit_panel_scrolls_with_the_wheel(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    app.screen = pygame.display.set_mode((1024, 700), pygame.RESIZABLE)
    app.settings.ui_scale = 1.5
    app.step([pygame.event.Event(pygame.VIDEORESIZE, size=(1024, 700), w=1024, h=700)], dt=0.016)
    uid, target = _attack_pair(session, "jihadist")
    _select(app, scene, uid)
    _look_at(app, scene, target)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    app.step([], dt=0.016)
    app.step([], dt=0.016)
    p = scene.panels
    assert p.info_full > p.rects["info"].h, "the odds need more room than there is"
    inside = p.rects["info"].center
    app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=inside, rel=(0, 0), buttons=(0, 0, 0)),
              pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False)], dt=0.016)
    app.step([], dt=0.016)
    assert p.info_scroll > 0
    app.step([pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False)] * 5, dt=0.016)
    assert p.info_scroll == 0


# -- what the next person at the table must not see -----------------------------------------------

def test_hot_seat_leaves_nothing_of_the_last_turn_on_screen(app):
    """The hand-over clears the last person's line in the bottom bar and the effects still
    playing: the next person sees neither their result nor their units' names."""
    app.settings.ai_speed = "normal"
    session, scene = _battle(app, {"jihadist": Seat("human"), "baathist": Seat("human"),
                                   "coalition": Seat("ai")}, seed=3)
    from game.ui.handover import HandoverScene

    while isinstance(app.top, HandoverScene):
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    while scene.messages:
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    uid, target = _attack_pair(session, "jihadist")
    _select(app, scene, uid)
    _look_at(app, scene, target)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    assert scene.toast and scene.effects.items
    app.step([_key(pygame.K_e)], dt=0.016)
    t0 = time.perf_counter()
    while not isinstance(app.top, HandoverScene):
        app.step([], dt=0.016)
        assert time.perf_counter() - t0 < 60
    assert app.top.side == "baathist"
    assert scene.toast is None and not scene.effects.items


def test_the_ledger_in_play_shows_only_the_sides_own_losses(app):
    from game.ui.results import casualty_rows

    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    uid, target = _attack_pair(session, "jihadist")
    _select(app, scene, uid)
    _look_at(app, scene, target)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    st = session.game.state
    enemy = {f for f, fac in st.factions.items() if fac.side != "jihadist" and st.losses.get(f)}
    assert enemy, "the attack cost the enemy men"
    everything = {label for label, *_ in casualty_rows(session)[0]}
    own = {label for label, *_ in casualty_rows(session, "jihadist")[0]}
    assert own < everything and "Civilians" in own
    from game.ledger import source

    src = source()
    for f in enemy:
        label = src.category(src.category_id(st.factions[f].category)).label
        if not any(fac.side == "jihadist" and fac.category == st.factions[f].category
                   for fac in st.factions.values()):
            assert label in everything and label not in own
    # The ledger key shows it in the window, and the game's end uncovers every side's.
    app.step([_key(pygame.K_l)], dt=0.016)
    assert scene.show_ledger
    st.over, st.winner = True, "jihadist"
    assert {label for label, *_ in casualty_rows(session, "jihadist")[0]} == everything


def test_closing_the_window_over_another_screen_asks_where_it_can_be_answered(app):
    session, scene = _battle(app, {"jihadist": Seat("human")})
    _move_a_unit(app, scene, session)
    scene.nav.settings()
    assert app.top is not scene
    app.step([pygame.event.Event(pygame.QUIT)], dt=0.016)
    assert app.running and app.top is scene and scene.confirm is not None


def test_a_press_on_a_panel_neither_drags_nor_clicks_the_map(app):
    session, scene = _battle(app, {"jihadist": Seat("human")})
    centre = scene.view.centre
    start = scene.panels.rects["info"].center
    end = scene.map_rect.center
    app.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1),
              pygame.event.Event(pygame.MOUSEMOTION, pos=end, rel=(end[0] - start[0], 0),
                                 buttons=(1, 0, 0)),
              pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1, mod=0)], dt=0.016)
    assert scene.view.centre == centre and scene.selected is None


def test_an_air_wing_is_shown_only_the_bases_it_may_land_on(app):
    from game.commands import Move

    session, scene = _battle(app, {"coalition": Seat("human")}, scenario="2015-invasion")
    st = session.game.state
    t0 = time.perf_counter()
    while st.active_side != "coalition" or scene.ai.running:  # the others move first
        app.step([_key(pygame.K_RETURN)] if scene.messages else [], dt=0.05)
        assert time.perf_counter() - t0 < 120
    wing = next(u for u in st.units_of_side("coalition")
                if session.game.rules.unit_type(u.type).category == "air" and u.moves_left > 0)
    reach = session.reachable(wing.id)
    assert reach
    for h in list(reach)[:40]:
        path = session.path(wing.id, h)
        assert path and not session.check(Move("coalition", wing.id, path[0])), h


def test_the_news_of_a_turn_begun_by_your_own_end_turn_is_shown_when_your_turn_starts(app):
    """In 2015-invasion the coalition moves last: its End turn begins the next turn, whose
    events' news is shown in one box when its turn comes round again."""
    session, scene = _battle(app, {"coalition": Seat("human")}, scenario="2015-invasion")
    st = session.game.state
    app.settings.confirm_end_turn = False
    boxes = []
    t0 = time.perf_counter()

    def told():
        return {e.text for e in session.logs["coalition"]
                if e.kind in ("message", "war", "peace", "withdrawal", "faction") and e.turn >= 2}

    # Play on to the coalition's turn after the first turn (from the 2nd on) with news in it:
    # the news comes of towns taken, on whatever turn the dice give.
    while st.turn < 3 or not told() or st.active_side != "coalition" or scene.ai.running:
        if scene.messages:
            boxes.append((st.turn, st.active_side, [t for _, lines in scene.messages for t in lines]))
            app.step([_key(pygame.K_RETURN)], dt=0.05)
        elif st.active_side == "coalition" and not scene.ai.running:
            if st.turn >= 3 and told():
                break
            app.step([_key(pygame.K_e)], dt=0.05)
        else:
            app.step([], dt=0.05)
        assert st.turn <= 8 and time.perf_counter() - t0 < 240
    while scene.messages:
        boxes.append((st.turn, st.active_side, [t for _, lines in scene.messages for t in lines]))
        app.step([_key(pygame.K_RETURN)], dt=0.05)
    told = told()
    shown = {t for _, _, lines in boxes for t in lines}
    assert all(side == "coalition" for _, side, _ in boxes)
    assert told and told <= shown, told - shown
