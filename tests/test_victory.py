"""Victory: a condition met at once ends the game; at the end, a tie between sides that have
both met their conditions goes to the side that took the others' objectives, and only then to
the condition written first."""

from __future__ import annotations

import copy

import pytest

from game.commands import Game
from game.hexmap import HexMap
from game.rules import default_rules
from game.scenario import find_scenario, load_scenario
from game.victory import check_victory, standing

RULES = default_rules()


@pytest.fixture(scope="module")
def hexmap():
    return HexMap.load()


@pytest.fixture(scope="module")
def setup(hexmap):
    sc = load_scenario(find_scenario("2014-no-fly-zone"), hexmap, RULES)
    s = copy.deepcopy(sc.setup)
    s["victory"] = [
        {"kind": "hold", "side": "coalition", "cities": ["baghdad"], "count": 1, "text": "Hold Baghdad"},
        {"kind": "hold", "side": "baathist", "cities": ["damascus"], "count": 1, "text": "Hold Damascus"},
        {"kind": "hold", "side": "jihadist", "cities": ["mosul", "aleppo"], "count": 1,
         "text": "Hold Mosul or Aleppo"},
    ]
    return s


def judge(game, setup):
    events = check_victory(game.state, setup, final=True)
    assert game.state.over and len(events) == 1
    return game.state.winner


def test_with_nothing_between_them_the_condition_written_first_wins(setup, hexmap):
    game = Game(setup, hexmap, RULES, 1)
    st = game.state
    assert st.city_owner["baghdad"] and st.side_of(st.city_owner["baghdad"]) == "coalition"
    assert st.side_of(st.city_owner["aleppo"]) == "baathist"
    game.state.city_owner["aleppo"] = "isis"  # nobody holds a town another side wants
    assert judge(game, setup) == "coalition"
    assert "also met by" in game.state.result


def test_the_side_holding_another_sides_objective_wins_the_tie(setup, hexmap):
    game = Game(setup, hexmap, RULES, 1)
    # Assad holds Aleppo, which the jihadists name; all three sides meet their conditions
    assert game.state.side_of(game.state.city_owner["aleppo"]) == "baathist"
    assert standing(game.state, setup, "baathist") == 1
    assert standing(game.state, setup, "coalition") == 0
    assert judge(game, setup) == "baathist"


def test_losses_do_not_decide_a_tie(setup, hexmap):
    game = Game(setup, hexmap, RULES, 1)
    game.state.city_owner["aleppo"] = "isis"
    game.state.losses.setdefault("iraq", {})["combat"] = 5000  # the jihadists killed them
    assert judge(game, setup) == "coalition"  # written first
    assert "the condition written first wins" in game.state.result


def test_a_side_that_has_not_met_its_condition_cannot_win_on_standing(setup, hexmap):
    game = Game(setup, hexmap, RULES, 1)
    game.state.city_owner["mosul"] = "iraq"
    game.state.city_owner["aleppo"] = "iraq"  # the jihadists hold neither
    assert judge(game, setup) == "coalition"  # holds Aleppo and Mosul, wanted by the jihadists
    assert "hold 2 of the towns the others want" in game.state.result


def test_describe_counts_towns_held_against_towns_needed(setup, hexmap):
    from game.victory import describe

    game = Game(setup, hexmap, RULES, 1)
    jihadist = setup["victory"][2]  # 1 of Mosul and Aleppo
    text = describe(game.state, jihadist, game.state.side_names)
    assert text.endswith("towns held, 1 needed)") and "of 2 towns" in text
    assert describe(game.state, setup["victory"][0], game.state.side_names).endswith("(1 of 1 towns)")
