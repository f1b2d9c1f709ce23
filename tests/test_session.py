"""The session behind the window: seats, saves with seats, who sees what, AI turns."""

import gzip

import pytest

from game.commands import EndTurn, Move
from game.saves import SaveError, read_save, verify_save
from game.session import AITurn, Seat, Session, parse_side_args

SCENARIO = "2014-isis-offensive"


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def fresh():
    """A session to copy from: the scenario's load is paid once."""
    return Session.new(SCENARIO, seed=3)


def test_new_defaults_first_side_human_others_ai(fresh):
    s = fresh
    sides = list(s.game.state.sides)
    assert s.seats[sides[0]] == Seat("human")
    assert all(s.seats[x] == Seat("ai", "normal") for x in sides[1:])
    assert s.humans() == [sides[0]] and s.is_human(sides[0]) and not s.is_human(sides[1])
    assert s.scenario.id == SCENARIO and s.scenario_path.stem == SCENARIO
    assert s.name == s.game.state.title
    assert s.opening, "the first day's scenario news is kept for the window"


def test_new_with_seats_and_unknown_side():
    s = Session.new(SCENARIO, {"coalition": Seat("human"), "jihadist": Seat("ai", "hard")})
    assert s.humans() == ["coalition"]
    assert s.seats["jihadist"].difficulty == "hard" and s.seats["baathist"].kind == "ai"
    # With nobody asked to play, the first side not given gets the person.
    s = Session.new(SCENARIO, {"jihadist": Seat("ai", "easy")})
    assert s.humans() == ["baathist"] and s.seats["coalition"] == Seat("ai")
    s = Session.new(SCENARIO, {side: Seat("ai") for side in ("jihadist", "baathist", "coalition")})
    assert s.humans() == []
    with pytest.raises(ValueError, match="no side 'nobody'"):
        Session.new(SCENARIO, {"nobody": Seat("human")})


def test_parse_side_args(fresh):
    got = parse_side_args(["coalition=human", "isis=ai:hard", "assad=ai"], fresh.game.state)
    assert got == {"coalition": Seat("human"), "jihadist": Seat("ai", "hard"),
                   "baathist": Seat("ai", "normal")}
    assert parse_side_args(["coalition=human"], fresh.scenario) == {"coalition": Seat("human")}
    for bad, words in [("martians=human", "no side or faction 'martians'"),
                       ("isis=robot", "unknown player 'robot'"),
                       ("isis=ai:brutal", "unknown difficulty 'brutal'"),
                       ("isis", "write SIDE=human"),
                       ("isis=human:hard", "no difficulty")]:
        with pytest.raises(ValueError, match=words):
            parse_side_args([bad], fresh.game.state)
    with pytest.raises(ValueError, match="already given"):
        parse_side_args(["isis=human", "jihadist=ai"], fresh.game.state)


def test_save_load_round_trip_keeps_seats_and_replays(tmp_path, capsys):
    s = Session.new(SCENARIO, {"jihadist": Seat("human"), "coalition": Seat("human")}, seed=5)
    s.execute(EndTurn("jihadist"))
    s.play_ai_side()
    assert s.game.state.active_side == "coalition"
    path = s.save(tmp_path / "game.save")
    doc = read_save(path)
    assert doc["extra"]["session"]["seats"]["baathist"] == {"kind": "ai", "difficulty": "normal"}
    back = Session.load(path)
    assert back.seats == s.seats and back.name == s.name
    assert back.game.checksum() == s.game.checksum()
    assert back.game.journal == s.game.journal
    assert back.scenario.id == SCENARIO
    assert [e.text for e in back.inbox["coalition"]] == [e.text for e in s.inbox["coalition"]]
    hexmap, rules = s.game.hexmap, s.game.rules
    ok, message = verify_save(path, hexmap, rules)
    assert ok, message
    from game.cli import main

    assert main(["replay", str(path), "--verify"]) == 0
    out, err = capsys.readouterr()
    assert "replay verified" in out and err == ""


def test_corrupt_save_names_file_and_problem(tmp_path):
    bad = tmp_path / "broken.save"
    bad.write_bytes(gzip.compress(b"{not json"))
    with pytest.raises(SaveError, match=r"broken\.save: not a save file \(the contents are not JSON"):
        Session.load(bad)
    bad.write_bytes(b"")
    with pytest.raises(SaveError, match="broken.save: the save file is empty"):
        Session.load(bad)


def test_autosave_path(fresh, tmp_path):
    p = fresh.autosave_path(tmp_path)
    assert p.parent == tmp_path and p.name == f"autosave-{SCENARIO}.save"


def _first_ground_move(s, side):
    from game.movement import map_graph, movement_range, obstacles_for
    from game.visibility import visible_units

    g = s.game
    graph = map_graph(g.hexmap)
    known = visible_units(g.state, g.hexmap, g.rules, side)
    for u in g.state.units_of_side(side):
        ut = g.rules.unit_type(u.type)
        if not ut.is_ground:
            continue
        obs = obstacles_for(graph, g.rules, u, known, g.state.at_war_with, g.state.side_of)
        rng = movement_range(graph, g.rules, u, obs, g.state.factions[u.faction].bases)
        for h in sorted(rng, key=lambda h: (rng[h], h.q, h.r)):
            from game.movement import find_path

            found = find_path(graph, g.rules, u, h, obs, g.state.factions[u.faction].bases)
            if found and len(found[0]) == 2:
                return Move(side, u.id, found[0])
    raise AssertionError("no unit can move")


def test_undo_takes_back_what_others_saw():
    s = Session.new(SCENARIO, {"jihadist": Seat("human"), "baathist": Seat("human")}, seed=2)
    side = s.game.state.active_side
    cmd = _first_ground_move(s, side)
    res = s.execute(cmd)
    assert res.ok, res.reason
    assert any(e.kind == "moved" for e in s.logs[side])
    if s.can_undo:
        before = len(s.logs[side])
        assert s.undo()
        assert len(s.logs[side]) < before
        assert not any(e.at > len(s.game.journal) for e in s.logs["baathist"])


def test_hidden_moves_stay_out_of_the_other_sides_summary():
    s = Session.new(SCENARIO, {"jihadist": Seat("human"), "coalition": Seat("human")}, seed=4)
    s.execute(EndTurn("jihadist"))
    s.play_ai_side()  # the Ba'athists
    from game.visibility import visible_mask

    lines = s.take_summary("coalition")
    assert any("Ba'athists to move" in t or "moved" in t or "struck" in t for t in lines) or lines
    assert s.take_summary("coalition") == []
    # Every Ba'athist move the coalition was told of touched a hex it saw, or its own units.
    g = s.game
    mask = visible_mask(g.state, g.hexmap, g.rules, "coalition")
    hidden_moves = 0
    for cmd in g.journal:
        if cmd["kind"] == "move" and cmd["side"] == "baathist":
            seen = any(mask[r, q + (r - (r & 1)) // 2] for q, r in cmd["path"])
            hidden_moves += not seen
    told = [e for e in s.logs["coalition"] if e.kind == "moved" and e.actor == "baathist"]
    assert len(told) <= len([c for c in g.journal if c["kind"] == "move"
                             and c["side"] == "baathist"]) - hidden_moves


def test_threaded_ai_turn_matches_the_unthreaded_one():
    a = Session.new(SCENARIO, {"coalition": Seat("human")}, seed=7)
    b = Session.new(SCENARIO, {"coalition": Seat("human")}, seed=7)
    turn = a.ai_turn(threaded=True)
    assert isinstance(turn, AITurn)
    steps = 0
    while not turn.finished:
        turn.step(timeout=0.5)
        steps += 1
        assert steps < 5000
    b.play_ai_side()
    assert a.game.journal == b.game.journal
    assert a.game.checksum() == b.game.checksum()
    assert a.game.state.active_side != "jihadist"
    assert a.game.journal[-1]["kind"] == "end_turn"


def test_ai_turn_refuses_a_side_not_to_move(fresh):
    with pytest.raises(ValueError, match="not to move"):
        AITurn(fresh, "coalition")


def test_what_another_side_reads_of_a_move(fresh):
    import numpy as np

    from game.hexgrid import Hex
    from game.orders import OWN, PUBLIC, Event
    from game.visibility import event_seen_by, seen_text

    g = fresh.game
    mover = next(u for u in g.state.units_of_side("jihadist") if u.type == "militia")
    a, b = mover.hex, next(n for n in mover.hex.neighbors() if g.hexmap.in_bounds(n))
    mask = np.zeros((g.hexmap.rows, g.hexmap.cols), dtype=bool)
    mask[a.r, a.q + (a.r - (a.r & 1)) // 2] = True  # the start is seen, the end is not
    moved = Event("moved", f"{mover.id} moved to {b.q},{b.r}", units=("nobody-here",),
                  hexes=(a, b))
    assert event_seen_by(moved, "jihadist", "coalition", g.state, g.hexmap, mask)
    assert seen_text(moved, "jihadist", "coalition", g.hexmap, mask) == "A unit moved out of sight"
    assert seen_text(moved, "jihadist", "jihadist", g.hexmap, mask) == moved.text
    # By the unit's name, where it has one: the name, not where it went.
    named = Event("moved", f"{mover.name} moved to {b.q},{b.r}", units=(mover.id,), hexes=(a, b))
    assert mover.name
    assert seen_text(named, "jihadist", "coalition", g.hexmap, mask, g.state) \
        == f"{mover.name} moved out of sight"
    nothing = np.zeros_like(mask)
    assert not event_seen_by(moved, "jihadist", "coalition", g.state, g.hexmap, nothing)
    # What the mover now sees is its own news, though it names the other side's unit.
    spotted = Event("spotted", "1 enemy unit sighted", units=(mover.id,), news=OWN)
    assert not event_seen_by(spotted, "coalition", "jihadist", g.state, g.hexmap, mask)
    assert event_seen_by(spotted, "coalition", "coalition", g.state, g.hexmap, None)
    news = Event("message", "Iraq orders the coalition out", news=PUBLIC)
    assert event_seen_by(news, "coalition", "jihadist", g.state, g.hexmap, nothing)
    # A fight far off, naming none of the side's units, in no hex it sees: unknown to it.
    far = Event("attack", "a fight", units=("nobody-here",), hexes=(Hex(0, 0),))
    assert not event_seen_by(far, "coalition", "jihadist", g.state, g.hexmap, nothing)


def test_another_side_reads_only_of_the_panics_it_sees(fresh):
    import numpy as np

    from game.orders import Event
    from game.visibility import seen_text

    g = fresh.game
    one, two = [u for u in g.state.units_of_side("baathist") if u.type == "infantry"][:2]
    mask = np.zeros((g.hexmap.rows, g.hexmap.cols), dtype=bool)
    h = one.hex
    mask[h.r, h.q + (h.r - (h.r & 1)) // 2] = True  # one is seen, two is not
    assert not mask[two.hex.r, two.hex.q + (two.hex.r - (two.hex.r & 1)) // 2]
    lines = [f"{one.name} panics: 300 desert", f"{two.name} panics: 200 desert"]
    panic = Event("panic", "; ".join(lines), units=(one.id, two.id), side="baathist",
                  lines=tuple(lines))
    assert seen_text(panic, "coalition", "jihadist", g.hexmap, mask, g.state) \
        == f"{one.name} panics: 300 desert"
    assert seen_text(panic, "coalition", "jihadist", g.hexmap, np.zeros_like(mask), g.state) \
        == "enemy units panic"
    assert seen_text(panic, "coalition", "baathist", g.hexmap, np.zeros_like(mask), g.state) \
        == panic.text  # their own


def test_a_new_games_seed_is_in_the_range_the_new_game_screen_shows():
    from game.session import fresh_seed

    seeds = {fresh_seed() for _ in range(200)}
    assert all(1 <= s <= 999_999 for s in seeds)
    assert len(seeds) > 150  # not one seed over and over


def test_the_side_ending_its_turn_reads_only_what_it_sees_of_the_next_sides_troubles(fresh):
    """The panics and supply losses at the start of a side's turn come of the previous side's
    end of turn, but they are the new side's news: the previous side learns only what it sees."""
    import numpy as np

    from game.orders import OWN, Event
    from game.visibility import event_seen_by, seen_text

    g = fresh.game
    one, two = [u for u in g.state.units_of_side("baathist") if u.type == "infantry"][:2]
    nothing = np.zeros((g.hexmap.rows, g.hexmap.cols), dtype=bool)
    lines = (f"{one.name} panics: 300 desert", f"{two.name} panics: 200 desert")
    cut = Event("out_of_supply", "2 units out of supply", units=(one.id, two.id), side="baathist",
                news=OWN)
    panic = Event("panic", "; ".join(lines), units=(one.id, two.id), side="baathist", lines=lines)
    # The jihadists ended the turn that brought these about; they see neither unit.
    assert not event_seen_by(cut, "jihadist", "jihadist", g.state, g.hexmap, nothing)
    assert not event_seen_by(panic, "jihadist", "jihadist", g.state, g.hexmap, nothing)
    assert seen_text(panic, "jihadist", "jihadist", g.hexmap, nothing, g.state) == "enemy units panic"
    assert event_seen_by(cut, "jihadist", "baathist", g.state, g.hexmap, nothing)
    assert seen_text(panic, "jihadist", "baathist", g.hexmap, nothing, g.state) == panic.text


def test_the_log_of_the_side_ending_its_turn_keeps_out_the_next_sides_unseen_troubles(fresh):
    """Through the session's own filing: the side whose end of turn brings another side's
    supply losses reads of them only where it sees the units."""
    import numpy as np

    from game.orders import OWN, Event
    from game.visibility import visible_mask

    g = fresh.game
    seen = visible_mask(g.state, g.hexmap, g.rules, "jihadist")
    hidden = [u for u in g.state.units_of_side("baathist")
              if not seen[u.hex.r, u.hex.q + (u.hex.r - (u.hex.r & 1)) // 2]]
    assert hidden
    fresh.watchers.add("jihadist")
    cut = Event("out_of_supply", "1 unit out of supply", units=(hidden[0].id,), side="baathist",
                news=OWN)
    fresh._file([cut], "jihadist", g.state.turn)
    assert cut not in fresh.last_seen["jihadist"]
    assert all(e.text != cut.text for e in fresh.logs["jihadist"])


# -- the one face: what a side may know, and what the window reads through ---------------------

def test_a_sides_view_is_made_once_per_change_and_cannot_be_changed():
    import dataclasses
    import datetime as dt

    s = Session.new(SCENARIO, seed=5)
    st = s.game.state
    side = st.active_side
    view = s.view(side)
    assert s.view(side) is view  # a frame that asks again costs nothing
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.turn = 9
    with pytest.raises(TypeError):
        view.own_factions["x"] = {}
    with pytest.raises(ValueError):
        view.visible[0, 0] = not view.visible[0, 0]
    with pytest.raises(TypeError):
        view.own_units()[0].equipment["tanks"] = 1
    # What the window needs and a player may know: the calendar, the aims, its own units' state.
    assert isinstance(view.date, dt.date) and view.date == st.date
    assert (view.start_date, view.turn_days, view.end_turn, view.title) == \
        (st.start_date, st.turn_days, st.end_turn, st.title)
    aims = s.game.setup["victory"]
    assert len(view.victory) == len(aims) and aims
    assert all(v["side"] == a["side"] and list(v.get("cities", ())) == a.get("cities", [])
               for v, a in zip(view.victory, aims))
    for u in view.own_units():
        real = st.units[u.id]
        assert (u.attacked, u.turns_unsupplied, u.moves_left, u.supplied) == \
            (real.attacked, real.turns_unsupplied, real.moves_left, real.supplied)
    others = view.other_units()
    assert others and all(u.attacked is None and u.morale is None and u.moves_left is None
                          and u.personnel % 100 == 0 for u in others)
    assert view.factions[others[0].faction].side == view.side_of(others[0].faction)
    # A command makes a new view; taking it back, another, as the game was before it.
    cmd = _first_ground_move(s, side)
    assert s.execute(cmd).ok
    moved = s.view(side)
    assert moved is not view and moved.unit(cmd.unit).hex == cmd.path[-1]
    assert s.undo()
    back = s.view(side)
    assert back is not moved and back.unit(cmd.unit).hex == view.unit(cmd.unit).hex


def test_the_all_seeing_view_holds_every_unit_as_its_own(fresh):
    st = fresh.game.state
    every = fresh.view(None)
    assert every.side is None and every.visible.all()
    assert {u.id for u in every.units} == set(st.units) and all(u.own for u in every.units)
    assert set(every.own_factions) == set(st.factions) and set(every.losses) == set(st.losses)
    side = st.active_side
    assert {u.id for u in fresh.view(side).units} < set(st.units)  # a side does not see all


def test_reach_paths_odds_and_refusals_come_from_the_session_as_the_side_sees_them(fresh):
    from game.combat import Attack, preview_attack
    from game.movement import find_path, map_graph, movement_range, obstacles_for
    from game.visibility import visible_units

    s, g = fresh, fresh.game
    st = g.state
    side = st.active_side
    graph = map_graph(g.hexmap)
    known = visible_units(st, g.hexmap, g.rules, side)
    ground = [u for u in st.units_of_side(side) if g.rules.unit_type(u.type).is_ground
              and u.moves_left > 0][:4]
    assert ground
    for u in ground:
        bases = st.factions[u.faction].bases
        obs = obstacles_for(graph, g.rules, u, known, st.at_war_with, st.side_of)
        want = movement_range(graph, g.rules, u, obs, bases)
        assert s.reachable(u.id) == want
        for h in sorted(want, key=lambda h: (-want[h], h.q, h.r))[:6]:
            assert s.path(u.id, h) == find_path(graph, g.rules, u, h, obs, bases)
        assert s.path(u.id, u.hex) is None
    u = ground[0]
    enemy = next(v for v in known if st.side_of(v.faction) != side
                 and st.at_war_with(u.faction, v.faction))
    got = s.preview(side, [u.id], enemy.hex)
    want = preview_attack(st, g.hexmap, g.rules, side, [u.id], enemy.hex)
    assert (got.odds, got.ratio, got.problems) == (want.odds, want.ratio, want.problems)
    far = Attack(side, [u.id], enemy.hex)
    if enemy.hex.distance(u.hex) > 1:
        assert s.check(far) and s.check(far) == far.validate(st, g.ctx)
    assert s.check(_first_ground_move(s, side)) == []


def test_the_supply_overlay_is_traced_from_the_enemies_the_side_sees(fresh):
    import numpy as np

    from game.movement import map_graph
    from game.supply import supply_maps

    s, g = fresh, fresh.game
    st = g.state
    side = st.active_side
    facs = [f for f, fac in st.factions.items() if fac.side == side]
    every = s.supply(None, facs)
    inn = np.zeros(map_graph(g.hexmap).n, dtype=bool)
    for m in supply_maps(st, g.hexmap, g.rules, facs).values():
        inn |= m
    assert ((every == 2) == inn).all() and (every == 1).any()  # the engine's, and cut lines
    # The side's overlay: as if the enemies it does not see were not there.
    seen = {u.id for u in s.view(side).units}
    blind = st.copy()
    blind.units = {k: u for k, u in st.units.items() if k in seen}
    inn[:] = False
    for m in supply_maps(blind, g.hexmap, g.rules, facs).values():
        inn |= m
    assert ((s.supply(side, facs) == 2) == inn).all()
    assert s.supply(side, []) is None


def test_the_window_glimpses_only_the_units_a_side_saw():
    from game.hexgrid import Hex
    from game.orders import Event

    s = Session.new(SCENARIO, seed=6)
    side = s.game.state.active_side
    other = next(x for x in s.game.state.sides if x != side)
    cmd = _first_ground_move(s, side)
    res = s.execute(cmd)
    own = s.glimpse(side, res.events)
    assert own[cmd.unit] is s.view(side).unit(cmd.unit) and own[cmd.unit].own
    # Seen from the other side, a unit it does not see now is drawn from outside, at the end
    # of the path the event gives, with no more than a rounded strength.
    hidden = next(u for u in s.game.state.units_of_side(other)
                  if s.view(side).unit(u.id) is None)
    path = (hidden.hex, Hex(hidden.hex.q + 1, hidden.hex.r))
    moved = Event("moved", "it moved", units=(hidden.id,), hexes=path)
    seen = s.glimpse(side, [moved])[hidden.id]
    assert not seen.own and seen.morale is None and seen.personnel % 100 == 0
    assert seen.hex == path[-1]
    fight = Event("attack", "a fight", units=(hidden.id,), hexes=path[:1])
    assert s.glimpse(side, [fight]) == {}  # not seen, not moving: nothing to draw


# The battle screen's modules: they read the game through the session and a side's view only.
WINDOW_MODULES = ("battle.py", "battle_ai.py", "battle_bench.py", "battle_layers.py",
                  "battle_panels.py", "battle_text.py", "orders.py", "legend.py", "tutorial.py",
                  "handover.py", "results.py")
LIVE_STATE = ("game.state", ".state.units", "state.units_of_side", "side_view(",
              "visible_units(", "visible_mask(", "side_sight(", "preview_attack(",
              "movement_range(", "find_path(", "supply_maps(")


def test_the_battle_screens_source_reads_no_live_state():
    from pathlib import Path

    ui = Path(__file__).resolve().parent.parent / "game" / "ui"
    assert {p.name for p in ui.glob("battle*.py")} <= set(WINDOW_MODULES)
    found = []
    for name in WINDOW_MODULES:
        for n, line in enumerate((ui / name).read_text().splitlines(), 1):
            code, _, why = line.partition("#")
            # A read that cannot be helped says so on its line: "# live state: <why>".
            if any(bad in code for bad in LIVE_STATE) and not why.strip().startswith("live state:"):
                found.append(f"{name}:{n}: {line.strip()}")
    assert not found, found


def test_a_battle_played_in_the_window_reads_the_game_only_through_the_session(app):
    """A turn played with the mouse and keys, the overlays on, the computer's turn watched and
    a game of computers watched: no line of game/ui reads the live GameState, nor Game.state."""
    import os
    import sys

    import pygame

    from game.commands import Game
    from game.state import GameState
    from game.ui.battle import BattleScene

    offenders: list[str] = []
    ui = os.sep + os.path.join("game", "ui") + os.sep

    def watched(cls, guarded):
        def __getattribute__(self, name):
            if guarded(name):
                f = sys._getframe(1)
                if ui in f.f_code.co_filename:
                    offenders.append(f"{os.path.basename(f.f_code.co_filename)}:{f.f_lineno} "
                                     f"reads {cls.__name__}.{name}")
            return object.__getattribute__(self, name)
        return type(f"Watched{cls.__name__}", (cls,), {"__getattribute__": __getattribute__})

    def watch(session):
        session.game.__class__ = watched(Game, lambda name: name == "state")
        session.game.state.__class__ = watched(GameState, lambda name: True)
        return session

    def key(k):
        return [pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)]

    def click(pos, button=1):
        return [pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
                pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button),
                pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button, mod=0)]

    def settle(scene, frames=3):
        for _ in range(frames):
            app.step(key(pygame.K_RETURN) if scene.messages else [], dt=0.3)

    app.settings.ai_speed = "skip"
    app.settings.edge_pan = False
    session = watch(Session.new("scenarios/examples/fall-of-mosul.toml",
                                {"jihadist": Seat("human")}, seed=1))
    # The guard works: a read of the live state from a line of game/ui is caught.
    exec(compile("game.state.turn", os.path.join(os.sep, "x", "game", "ui", "probe.py"), "exec"),
         {"game": session.game})
    assert len(offenders) == 2 and "probe.py" in offenders[0]
    offenders.clear()

    scene = BattleScene(app, session)
    app.push(scene)
    settle(scene)
    assert scene.orders.my_turn()
    for k in (pygame.K_s, pygame.K_z, pygame.K_t, pygame.K_a):  # every overlay on
        app.step(key(k), dt=0.016)
    unit = scene.orders.idle_units()[0]
    scene.view.level = 8
    scene.view.centre_on(*scene.renderer.hex_center_km(unit.hex))
    app.step(click(scene.screen_pos(unit.hex)), dt=0.016)
    assert scene.selected == unit.id and scene.orders.range
    dest = next(h for h in sorted(scene.orders.range, key=lambda h: (h.q, h.r))
                if not scene.stacks.get(h) and h not in scene.orders.targets)
    pos = scene.screen_pos(dest)
    app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))],
             dt=1.0)  # the path and the tooltip
    assert scene.orders.path
    app.step(click(pos), dt=0.016)
    assert session.game.journal[-1]["kind"] == "move"
    for k in (pygame.K_TAB, pygame.K_d, pygame.K_l, pygame.K_l):
        app.step(key(k), dt=0.016)
    t0 = len(session.game.journal)
    app.step(key(pygame.K_e), dt=0.016)
    settle(scene)
    for _ in range(600):  # the computer's turns, to the person's next one
        settle(scene, 1)
        if scene.orders.my_turn() and not scene.ai.running and app.top is scene:
            break
    assert len(session.game.journal) > t0 + 2 and scene.orders.my_turn()
    app.pop()
    # A game of computers watched: everything, then one side's view (V).
    session = watch(Session.new("scenarios/examples/fall-of-mosul.toml",
                                {s: Seat("ai") for s in ("jihadist", "baathist")}, seed=2))
    scene = BattleScene(app, session)
    app.push(scene)
    for i in range(40):
        app.step(key(pygame.K_v) if i in (10, 25) else [], dt=0.05)
    assert len(session.game.journal) > 3
    assert not offenders, offenders[:12]


def test_a_save_names_its_scenario_without_a_path_and_opens_none_a_save_names(tmp_path):
    """A scenario played from a file anywhere is recorded by its name alone; a save that names
    a file outside the bundled scenarios and the player's folder opens no file."""
    import json

    from game import SCENARIOS_DIR
    from game.saves import encode_save, save_digest

    mine = tmp_path / "anywhere" / "duel.toml"
    mine.parent.mkdir()
    text = (SCENARIOS_DIR / "examples" / "duel-deir-ez-zor.toml").read_text(encoding="utf-8")
    mine.write_text(text.replace('id = "example-duel-deir-ez-zor"', 'id = "my-duel"', 1),
                    encoding="utf-8")
    s = Session.new(str(mine), seed=1)
    assert s.scenario_path == mine
    out = s.save(tmp_path / "duel.save")
    doc = read_save(out)
    assert doc["extra"]["session"]["scenario_path"] == "duel"
    assert str(tmp_path) not in gzip.decompress(out.read_bytes()).decode("utf-8")
    # Loaded again, the game is whole; its file is not where a name could find it.
    again = Session.load(out)
    assert again.scenario is None and again.game.checksum() == s.game.checksum()
    # A save made to name any file on the disk opens none.
    bait = tmp_path / "bait.toml"
    bait.write_bytes(mine.read_bytes())
    doc["extra"]["session"]["scenario_path"] = str(bait)
    doc["digest"] = save_digest(doc)  # as a tamperer who knows the format would
    tampered = tmp_path / "tampered.save"
    tampered.write_bytes(encode_save(doc))
    assert Session.load(tampered).scenario_path is None
    # A bundled one is found by its name.
    raqqa = Session.new(SCENARIO, seed=2).save(tmp_path / "b.save")
    assert json.loads(gzip.decompress(raqqa.read_bytes()))["extra"]["session"]["scenario_path"] == SCENARIO
    assert Session.load(raqqa).scenario.id == SCENARIO


def test_a_game_keeps_its_what_if_switches_through_a_save_and_older_saves_are_history(tmp_path):
    from game.saves import encode_save, save_digest

    s = Session.new("2014-new-role", seed=4, options={"iraq-stays": True})
    assert s.options == {"iraq-stays": True}
    assert [o.title for o in s.what_ifs()] == ["Iraq stays with the coalition"]
    out = s.save(tmp_path / "what-if.save")
    doc = read_save(out)
    assert doc["extra"]["session"]["options"] == {"iraq-stays": True}
    again = Session.load(out)
    assert again.options == {"iraq-stays": True}
    assert again.scenario.settings == {"iraq-stays": True}
    assert [o.id for o in again.what_ifs()] == ["iraq-stays"]
    assert again.game.checksum() == s.game.checksum()
    # A game as history has it departs from nothing, new or loaded.
    plain = Session.new("2014-new-role", seed=4)
    assert plain.options == {"iraq-stays": False} and plain.what_ifs() == []
    assert Session.load(plain.save(tmp_path / "plain.save")).what_ifs() == []
    # A save made before games kept their switches is read as history's game.
    del doc["extra"]["session"]["options"]
    doc["digest"] = save_digest(doc)
    older = tmp_path / "older.save"
    older.write_bytes(encode_save(doc))
    old = Session.load(older)
    assert old.options == {} and old.what_ifs() == []
    assert old.scenario.settings == {"iraq-stays": False}
