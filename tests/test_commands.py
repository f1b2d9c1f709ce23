"""Commands on a small real game: each refusal reason, and what applying does."""

from __future__ import annotations

import pytest

from game.commands import Command, CommandError, EndTurn, Entrench, Move
from game.hexgrid import Hex
from game.movement import find_path, map_graph, obstacles_for

from games import hexmap, mosul_game


@pytest.fixture
def game():
    return mosul_game()


def path_for(game, uid, target):
    st = game.state
    u = st.units[uid]
    g = map_graph(game.hexmap)
    obs = obstacles_for(g, game.rules, u, st.units.values(), st.at_war_with, st.side_of)
    found = find_path(g, game.rules, u, target, obs, st.factions[u.faction].bases)
    assert found is not None, (uid, target)
    return found[0]


def refused(game, cmd, fragment):
    before, journal = game.checksum(), len(game.journal)
    res = game.execute(cmd)
    assert not res.ok
    assert any(fragment in p for p in res.problems), res.problems
    assert game.checksum() == before  # a refusal changes nothing
    assert len(game.journal) == journal


def end_turns(game, n=1):
    for _ in range(n):
        assert game.execute(EndTurn(game.state.active_side)).ok


# -- refusals -------------------------------------------------------------------------------------

def test_not_your_turn(game):
    u = game.state.units["iraq-2"]
    refused(game, Move("baathist", "iraq-2", [u.hex, u.hex + Hex(-1, 0)]), "not your turn")
    refused(game, EndTurn("coalition"), "not your turn: Jihadists is to move")


def test_no_such_unit_and_not_yours(game):
    refused(game, Move("jihadist", "nobody", [Hex(0, 0), Hex(1, 0)]), "no unit 'nobody'")
    u = game.state.units["iraq-2"]
    refused(game, Move("jihadist", "iraq-2", [u.hex, u.hex + Hex(-1, 0)]),
            "not your unit: Iraq infantry no. 2 belongs to Iraq")


def test_bad_paths(game):
    u = game.state.units["isis-2"]
    refused(game, Move("jihadist", "isis-2", [u.hex]), "at least two hexes")
    refused(game, Move("jihadist", "isis-2", [u.hex + Hex(1, 0), u.hex + Hex(2, 0)]),
            "must start where Islamic State militia and insurgents no. 2 is")
    refused(game, Move("jihadist", "isis-2", [u.hex, u.hex + Hex(2, 0)]), "the path jumps")
    refused(game, Move("jihadist", "isis-2", [u.hex, u.hex + Hex(1, 0), u.hex]), "crosses itself")
    corner = Hex(0, 0)
    st = game.state
    st.units["isis-2"].hex = corner + Hex(0, 1)
    refused(game, Move("jihadist", "isis-2", [corner + Hex(0, 1), Hex(-1, 1)]), "off the map")


def test_impassable_terrain(game):
    m = hexmap()
    lake = next(lk for lk in m.lakes if lk.name == "Lake Tharthar").hexes
    st = game.state
    # Put isis-2 beside the lake.
    shore = next(n for h in lake for n in h.neighbors()
                 if m.in_bounds(n) and m.terrain_at(n) in ("desert", "steppe")
                 and not st.units_at(n))
    st.units["isis-2"].hex = shore
    water = next(n for n in shore.neighbors() if m.terrain_at(n) == "lake")
    refused(game, Move("jihadist", "isis-2", [shore, water]),
            "impassable: a militia and insurgents unit cannot enter lake")


def test_foreign_country(game):
    m = hexmap()
    st = game.state
    crossing = next(x for x in m.crossings if x.name == "Bab al-Salam")
    st.units["isis-1"].hex = crossing.hex
    refused(game, Move("jihadist", "isis-1", [crossing.hex, crossing.outside]),
            "Islamic State may not enter Turkey")


def open_ground(m, st, near: Hex) -> Hex:
    """An empty desert or steppe hex near a place, with open ground east of it."""
    for k in range(0, 8):
        for h in [near + Hex(k, 0), near + Hex(-k, 0), near + Hex(0, k), near + Hex(0, -k)]:
            row = [h + Hex(i, 0) for i in range(-1, 5)]
            if all(m.terrain_at(x) in ("desert", "steppe") and not st.units_at(x) for x in row):
                return h
    raise AssertionError("no open ground")


def test_enemy_hex_and_zoc(game):
    st = game.state
    m = hexmap()
    x = open_ground(m, st, Hex(55, 45))
    st.units["iraq-2"].hex = x  # in the open: seen from afar
    spot = x + Hex(3, 0)
    st.units["isis-2"].hex = spot
    st.units["isis-2"].hex = x + Hex(1, 0)
    refused(game, Move("jihadist", "isis-2", [x + Hex(1, 0), x]), "is held by the enemy")
    st.units["isis-2"].hex = spot
    refused(game, Move("jihadist", "isis-2", [spot, x + Hex(2, 0), x + Hex(1, 0), x + Hex(1, -1)]),
            "the move must stop there")
    # Stopping inside the zone of control is allowed, and ends the move.
    res = game.execute(Move("jihadist", "isis-2", [spot, x + Hex(2, 0), x + Hex(1, 0)]))
    assert res.ok
    assert st.units["isis-2"].moves_left == 0


def test_hidden_enemy_stops_the_move(game):
    """A move planned through fog runs into an unseen enemy: it stops, and undo is gone."""
    st = game.state
    m = hexmap()
    tikrit = m.find_city("Tikrit").hex  # iraq-2 is in the town, hidden at two hexes
    start = next(h for h in [tikrit + Hex(2, 0), tikrit + Hex(-2, 0), tikrit + Hex(0, 2)]
                 if m.terrain_at(h) in ("desert", "steppe") and not st.units_at(h))
    st.units["isis-2"].hex = start
    step = next(h for h in start.neighbors() if h.distance(tikrit) == 1
                and m.terrain_at(h) in ("desert", "steppe", "hills"))
    res = game.execute(Move("jihadist", "isis-2", [start, step, tikrit]))
    assert res.ok
    assert st.units["isis-2"].hex == step
    assert {e.kind for e in res.events} >= {"contact"} or {e.kind for e in res.events} >= {"zoc"}
    assert not game.can_undo


def test_not_enough_and_no_moves(game):
    st = game.state
    u = st.units["isis-2"]
    m = hexmap()
    # A long straight path out into the desert costs more than 7 points.
    path = [u.hex]
    while len(path) < 12:
        nxt = path[-1] + Hex(-1, 0)
        if m.terrain_at(nxt) in ("sea", "lake"):
            break
        path.append(nxt)
    refused(game, Move("jihadist", "isis-2", path), "not enough moves")
    res = game.execute(Move("jihadist", "isis-2", path[:3]))
    assert res.ok, res.problems
    u.moves_left = 0
    refused(game, Move("jihadist", "isis-2", [u.hex, u.hex + Hex(-1, 0)]), "no moves left")


def test_stack_full(game):
    end_turns(game, 1)  # to the Ba'athists
    st = game.state
    m = hexmap()
    baghdad = m.find_city("Baghdad").hex
    assert len(st.units_at(baghdad)) == 3
    # Bring a fourth Iraqi unit next to Baghdad and try to move it in.
    st.units["iraq-2"].hex = next(h for h in baghdad.neighbors() if m.terrain_at(h) != "lake"
                                  and not st.units_at(h))
    refused(game, Move("baathist", "iraq-2", [st.units["iraq-2"].hex, baghdad]), "hex full: 3 units")


def test_other_sides_hex(game):
    end_turns(game, 2)  # to the coalition
    st = game.state
    m = hexmap()
    mosul = m.find_city("Mosul").hex  # held by Iraq: not at war with the coalition, not its side
    st.units["kurds-2"].hex = next(h for h in mosul.neighbors() if m.terrain_at(h) != "lake"
                                   and not st.units_at(h))
    refused(game, Move("coalition", "kurds-2", [st.units["kurds-2"].hex, mosul]),
            "held by another side's units")


def test_entrench_refusals(game):
    refused(game, Entrench("jihadist", "iraq-1"), "not your unit")
    u = game.state.units["isis-2"]
    res = game.execute(Move("jihadist", "isis-2", [u.hex, u.hex + Hex(-1, 0)]))
    assert res.ok
    refused(game, Entrench("jihadist", "isis-2"), "already moved this turn")
    end_turns(game, 2)
    refused(game, Entrench("coalition", "us-air"), "only ground units dig in")


def test_entrench_levels(game):
    st = game.state
    u = st.units["isis-4"]  # Fallujah, urban: up to level 3
    for level in (1, 2, 3):
        res = game.execute(Entrench("jihadist", "isis-4"))
        assert res.ok and u.entrenchment == level and u.moves_left == 0
        end_turns(game, 3)
    refused(game, Entrench("jihadist", "isis-4"), "cannot dig deeper than level 3")


def test_game_over(game):
    end_turns(game, 3 * game.state.end_turn)
    assert game.state.over
    refused(game, EndTurn(game.state.active_side), "the game is over")


# -- applying -------------------------------------------------------------------------------------

def test_move_and_capture(game):
    st = game.state
    m = hexmap()
    tal_afar = m.find_city("Tal Afar").hex
    st.units["iraq-1"].hex = m.find_city("Tikrit").hex + Hex(0, -1)  # empty Mosul's surroundings
    u = st.units["isis-3"]
    path = path_for(game, "isis-3", tal_afar)
    res = game.execute(Move("jihadist", "isis-3", path))
    assert res.ok, res.problems
    assert u.hex == tal_afar
    assert st.city_owner["tal-afar"] == "isis"
    assert any(e.kind == "city_taken" for e in res.events)
    assert not game.can_undo  # taking a town is news to everyone


def test_a_moves_text_names_the_unit_and_the_place(game):
    """The log reads like a wargame's: the unit by its name, the place by its town."""
    st = game.state
    m = hexmap()
    u = st.units["isis-1"]  # at Raqqa
    u.name = "Raqqa garrison"
    raqqa = m.find_city("Raqqa").hex
    beside = next(h for h in raqqa.neighbors() if m.city_at(h) is None
                  and m.terrain_at(h) in ("desert", "steppe") and not st.units_at(h))
    res = game.execute(Move("jihadist", "isis-1", [raqqa, beside]))
    assert res.ok, res.problems
    moved = next(e for e in res.events if e.kind == "moved")
    assert moved.text == "Raqqa garrison moved near Raqqa"
    assert moved.data == {"unit": "isis-1", "path": [[raqqa.q, raqqa.r], [beside.q, beside.r]]}
    res = game.execute(Move("jihadist", "isis-1", [beside, raqqa]))
    assert next(e for e in res.events if e.kind == "moved").text == "Raqqa garrison moved to Raqqa"
    # Away from towns: the ground, and how far and which way from the nearest town.
    u.name = ""
    u.moves_left = 10.0
    east = raqqa + Hex(3, 0)
    res = game.execute(Move("jihadist", "isis-1", path_for(game, "isis-1", east)))
    assert res.ok, res.problems
    text = next(e for e in res.events if e.kind == "moved").text
    # No name: the faction, the type and the number its id ends with, never the id.
    assert text == (f"Islamic State militia and insurgents no. 1 moved to the {m.terrain_at(east)} "
                    f"30 km east of Raqqa")


def test_places_on_the_map():
    from game.commands import place

    m = hexmap()
    tikrit = m.find_city("Tikrit").hex
    assert place(m, tikrit, "") == "Tikrit" and place(m, tikrit, "over") == "over Tikrit"
    beside = next(h for h in tikrit.neighbors() if m.city_at(h) is None)
    assert place(m, beside, "to") == place(m, beside, "") == "near Tikrit"
    south = next(h for h in (tikrit + Hex(-1, 3), tikrit + Hex(0, 3), tikrit + Hex(-2, 3))
                 if m.city_at(h) is None and all(c.hex.distance(h) > 2 for c in m.cities))
    assert place(m, south).endswith("km south of Tikrit") and place(m, south).startswith(("in ", "on "))
    assert "," not in place(m, south)  # no coordinates


def test_end_turn_cycles_sides_and_date(game):
    st = game.state
    assert (st.turn, st.active_side, st.date.isoformat()) == (1, "jihadist", "2014-06-04")
    end_turns(game, 1)
    assert st.active_side == "baathist"
    end_turns(game, 2)
    assert (st.turn, st.active_side, st.date.isoformat()) == (2, "jihadist", "2014-06-11")
    assert st.units["isis-2"].moves_left == game.rules.unit_type("militia").movement


def test_undo_restores_exactly(game):
    st = game.state
    u = st.units["isis-1"]  # Raqqa: far from everyone, nothing new to see nearby
    before = game.checksum()
    path = path_for(game, "isis-1", u.hex + Hex(0, 1))
    res = game.execute(Move("jihadist", "isis-1", path))
    assert res.ok and not any(e.reveals for e in res.events)
    assert game.can_undo and game.checksum() != before
    assert game.undo()
    assert game.checksum() == before
    assert game.journal == []
    assert not game.undo()


def test_an_order_given_as_not_undoable_cannot_be_taken_back(game):
    """A computer player's orders keep no copy of the state to go back to: the same game,
    and nothing to undo after them (a person's earlier order neither)."""
    st = game.state
    first = path_for(game, "isis-1", st.units["isis-1"].hex + Hex(0, 1))
    assert game.execute(Move("jihadist", "isis-1", first)).ok and game.can_undo
    other = mosul_game()
    assert other.execute(Move("jihadist", "isis-1", first)).ok
    second = path_for(game, "isis-1", st.units["isis-1"].hex + Hex(0, 1))
    assert game.execute(Move("jihadist", "isis-1", second), undoable=False).ok
    assert other.execute(Move("jihadist", "isis-1", second)).ok
    assert not game.can_undo and not game.undo()
    assert game.checksum() == other.checksum() and game.checksums == other.checksums


def test_undo_stops_at_end_turn(game):
    end_turns(game, 1)
    assert not game.can_undo


def test_command_round_trip():
    cmds = [Move("jihadist", "isis-1", [Hex(1, 2), Hex(2, 2)]), Entrench("baathist", "iraq-1"),
            EndTurn("coalition")]
    for c in cmds:
        assert Command.from_dict(c.to_dict()) == c
    with pytest.raises(CommandError, match="unknown command"):
        Command.from_dict({"kind": "teleport"})
    with pytest.raises(CommandError, match="bad move command"):
        Command.from_dict({"kind": "move", "side": "x"})


def test_a_refusal_names_the_unit_as_the_player_knows_it(game):
    """The player reads unit names in the panel, not ids: a refusal uses the name."""
    u = game.state.units["isis-2"]
    u.name = "Wilayat Ninawa brigade"
    u.moves_left = 0
    refused(game, Move("jihadist", "isis-2", [u.hex, u.hex + Hex(-1, 0)]),
            "no moves left: Wilayat Ninawa brigade has moved this turn")
    refused(game, Entrench("jihadist", "isis-2"), "Wilayat Ninawa brigade has already moved")
