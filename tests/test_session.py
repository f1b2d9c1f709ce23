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

    from game.commands import Event
    from game.session import event_seen_by, seen_text

    g = fresh.game
    mover = next(u for u in g.state.units_of_side("jihadist") if u.type == "militia")
    a, b = mover.hex, next(n for n in mover.hex.neighbors() if g.hexmap.in_bounds(n))
    mask = np.zeros((g.hexmap.rows, g.hexmap.cols), dtype=bool)
    mask[a.r, a.q + (a.r - (a.r & 1)) // 2] = True  # the start is seen, the end is not
    moved = Event("moved", f"{mover.id} moved to {b.q},{b.r}",
                  {"unit": "nobody-here", "path": [[a.q, a.r], [b.q, b.r]]})
    assert event_seen_by(moved, "jihadist", "coalition", g.state, g.hexmap, mask)
    assert seen_text(moved, "jihadist", "coalition", g.hexmap, mask) == "A unit moved out of sight"
    assert seen_text(moved, "jihadist", "jihadist", g.hexmap, mask) == moved.text
    # By the unit's name, where it has one: the name, not where it went.
    named = Event("moved", f"{mover.name} moved to {b.q},{b.r}",
                  {"unit": mover.id, "path": [[a.q, a.r], [b.q, b.r]]})
    assert mover.name
    assert seen_text(named, "jihadist", "coalition", g.hexmap, mask, g.state) \
        == f"{mover.name} moved out of sight"
    nothing = np.zeros_like(mask)
    assert not event_seen_by(moved, "jihadist", "coalition", g.state, g.hexmap, nothing)
    spotted = Event("spotted", "1 enemy unit sighted", {"units": [mover.id]})
    assert not event_seen_by(spotted, "coalition", "jihadist", g.state, g.hexmap, mask)
    news = Event("message", "Iraq orders the coalition out", {})
    assert event_seen_by(news, "coalition", "jihadist", g.state, g.hexmap, nothing)


def test_another_side_reads_only_of_the_panics_it_sees(fresh):
    import numpy as np

    from game.commands import Event
    from game.session import seen_text

    g = fresh.game
    one, two = [u for u in g.state.units_of_side("baathist") if u.type == "infantry"][:2]
    mask = np.zeros((g.hexmap.rows, g.hexmap.cols), dtype=bool)
    h = one.hex
    mask[h.r, h.q + (h.r - (h.r & 1)) // 2] = True  # one is seen, two is not
    assert not mask[two.hex.r, two.hex.q + (two.hex.r - (two.hex.r & 1)) // 2]
    lines = [f"{one.name} panics: 300 desert", f"{two.name} panics: 200 desert"]
    panic = Event("panic", "; ".join(lines), {"units": [one.id, two.id], "lines": lines})
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

    from game.commands import Event
    from game.session import event_seen_by, seen_text

    g = fresh.game
    one, two = [u for u in g.state.units_of_side("baathist") if u.type == "infantry"][:2]
    nothing = np.zeros((g.hexmap.rows, g.hexmap.cols), dtype=bool)
    cut = Event("out_of_supply", "2 units out of supply", {"units": [one.id, two.id]})
    panic = Event("panic", f"{one.name} panics: 300 desert; {two.name} panics: 200 desert",
                  {"units": [one.id, two.id]})
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

    from game.commands import Event
    from game.visibility import visible_mask

    g = fresh.game
    seen = visible_mask(g.state, g.hexmap, g.rules, "jihadist")
    hidden = [u for u in g.state.units_of_side("baathist")
              if not seen[u.hex.r, u.hex.q + (u.hex.r - (u.hex.r & 1)) // 2]]
    assert hidden
    fresh.watchers.add("jihadist")
    cut = Event("out_of_supply", "1 unit out of supply", {"units": [hidden[0].id]})
    fresh._file([cut], "jihadist", g.state.turn)
    assert cut not in fresh.last_seen["jihadist"]
    assert all(e.text != cut.text for e in fresh.logs["jihadist"])
