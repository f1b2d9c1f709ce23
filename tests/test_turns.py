"""The start of a side's turn: morale recovers, less in contact with the enemy; a broken unit
next to the enemy panics, losing a share to desertion and falling back if it can."""

from __future__ import annotations

import pytest

from game.hexgrid import DIRECTIONS
from game.turns import begin_side_turn

from games import mosul_game
from test_combat import add, open_hex


@pytest.fixture
def game():
    g = mosul_game()
    g.state.units = {}
    return g


def start(game, side="coalition"):
    return begin_side_turn(game.state, game.hexmap, game.rules, side)


def test_a_broken_unit_next_to_the_enemy_panics_and_falls_back(game):
    h = open_hex()
    add(game, "kurds-1", "infantry", "kurds", h, 4000, morale=15.0, supplied=False)
    add(game, "isis-1", "militia", "isis", h + DIRECTIONS[0], 2000)
    share = game.rules.supply["panic_desertion"]  # cut off: the larger share deserts
    events = start(game)
    st = game.state
    u = st.units["kurds-1"]
    assert u.personnel == 4000 - round(4000 * share)
    assert st.losses["kurds"]["deserted"] == round(4000 * share)
    assert u.hex != h and u.hex.distance(h + DIRECTIONS[0]) == 2  # a hex further from the enemy
    assert u.morale <= 15.0  # no recovery in a turn of panic
    panic = [e for e in events if e.kind == "panic"]
    assert panic and "Kurdistan infantry no. 1" in panic[0].text and panic[0].reveals


def test_a_broken_unit_out_of_contact_rallies_instead(game):
    h = game.hexmap.find_city("Duhok").hex  # a Kurdish town: in supply
    add(game, "kurds-1", "infantry", "kurds", h, 4000, morale=15.0)
    add(game, "isis-1", "militia", "isis", h + DIRECTIONS[0].scale(3), 2000)
    events = start(game)
    u = game.state.units["kurds-1"]
    assert u.supplied and u.personnel == 4000 and u.hex == h
    assert not [e for e in events if e.kind == "panic"]
    assert u.morale == 15.0 + game.rules.supply["recovery_morale"]


def test_a_broken_remnant_breaks_up(game):
    h = open_hex()
    floor = game.rules.unit_type("militia").min_personnel
    add(game, "kurds-1", "militia", "kurds", h, floor + 1, morale=10.0)
    add(game, "isis-1", "militia", "isis", h + DIRECTIONS[0], 2000)
    start(game)
    assert "kurds-1" not in game.state.units
    assert game.state.losses["kurds"]["deserted"] == floor + 1


def test_morale_recovers_slowly_in_contact(game):
    erbil, duhok = game.hexmap.find_city("Erbil").hex, game.hexmap.find_city("Duhok").hex
    add(game, "kurds-1", "infantry", "kurds", erbil, 4000, morale=50.0)
    add(game, "kurds-2", "infantry", "kurds", duhok, 4000, morale=50.0)
    add(game, "isis-1", "militia", "isis", erbil + DIRECTIONS[3], 2000)
    start(game)
    st, sup = game.state, game.rules.supply
    a, b = st.units["kurds-1"], st.units["kurds-2"]
    assert a.supplied and b.supplied
    assert sup["recovery_contact"] < sup["recovery_morale"]
    assert a.morale == 50.0 + sup["recovery_contact"]
    assert b.morale == 50.0 + sup["recovery_morale"]


def test_rest_brings_morale_back_only_to_the_factions_resolve(game):
    duhok = game.hexmap.find_city("Duhok").hex  # a Kurdish town: in supply, no enemy near
    game.state.factions["kurds"].resolve = 55.0
    add(game, "kurds-1", "infantry", "kurds", duhok, 4000, morale=50.0)
    add(game, "kurds-2", "infantry", "kurds", duhok, 4000, morale=80.0)
    start(game)
    st = game.state
    assert st.units["kurds-1"].morale == 55.0  # +10 would be 60: rest stops at the resolve
    assert st.units["kurds-2"].morale == 80.0  # morale above it is kept, not lost
    start(game)
    assert st.units["kurds-1"].morale == 55.0


def test_a_set_morale_event_shakes_a_factions_units_and_caps_their_rest(game):
    """The scenario's "set_morale": units above the figure fall to it, those below keep theirs,
    other factions are untouched, and rest then stops at the new resolve."""
    from game.events import apply_action
    from game.commands import Context

    duhok = game.hexmap.find_city("Duhok").hex
    add(game, "kurds-1", "infantry", "kurds", duhok, 4000, morale=90.0)
    add(game, "kurds-2", "infantry", "kurds", duhok, 4000, morale=20.0)
    add(game, "isis-1", "militia", "isis", game.hexmap.find_city("Raqqa").hex, 2000, morale=90.0)
    st = game.state
    ctx = Context(game.hexmap, game.rules)
    events = apply_action(st, ctx, {}, {"do": "set_morale", "faction": "kurds", "morale": 35.0,
                                        "resolve": 50.0})
    assert [u.morale for u in (st.units["kurds-1"], st.units["kurds-2"], st.units["isis-1"])] \
        == [35.0, 20.0, 90.0]
    assert "1 unit shaken" in events[0].text
    start(game)
    start(game)
    assert st.units["kurds-1"].morale == 50.0  # rested twice, +10 each time, stopped at 50


def test_a_transfer_hands_over_units_and_towns_and_is_silent_when_nothing_is_left(game):
    from game.commands import Context
    from game.events import apply_action

    st = game.state
    ctx = Context(game.hexmap, game.rules)
    add(game, "kurds-1", "infantry", "kurds", game.hexmap.find_city("Duhok").hex, 4000)
    towns = [c for c, f in st.city_owner.items() if f == "kurds"]
    assert towns
    (ev,) = apply_action(st, ctx, {}, {"do": "transfer_units", "from": "kurds", "to": "iraq"})
    assert st.units["kurds-1"].faction == "iraq"
    assert all(st.city_owner[c] == "iraq" for c in towns)
    assert ev.text.startswith(f"1 unit and {len(towns)} town") and " to " in ev.text
    # Nothing of theirs is left: the second hand-over is no news.
    assert apply_action(st, ctx, {}, {"do": "transfer_units", "from": "kurds", "to": "iraq"}) == []
