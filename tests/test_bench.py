"""The bench's own machinery: the quadrupled war of ``ai_turn_ms_4x``, and how a figure reads
against its targets and its floor (``mesopotamia bench`` itself: tests/test_saves.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from game.bench import _figure, crowded, print_table
from game.commands import Game
from game.hexgrid import Hex
from game.movement import allowed_countries
from game.rules import default_rules
from game.scenario import bundled_paths, load_scenario
from game.scenario.validate import build


@pytest.fixture(scope="module")
def biggest(hexmap):
    """The bundled scenario with the most units, as ``ai_turn_ms`` plays it."""
    scenarios = [load_scenario(p, hexmap, default_rules()) for p in bundled_paths()]
    return max(scenarios, key=lambda s: len(s.setup["units"]))


def test_crowded_war_is_a_valid_scenario_with_four_times_the_ground_units(hexmap, biggest):
    rules = default_rules()
    data = crowded(biggest.source, hexmap, rules)
    scenario, problems = build(data, hexmap, rules)
    assert scenario is not None and not problems, [p.text for p in problems][:3]

    def ground(units):
        return [u for u in units if rules.unit_type(u["type"]).is_ground]

    before, after = ground(biggest.setup["units"]), ground(scenario.setup["units"])
    assert len(after) == 4 * len(before)
    others = [u for u in scenario.setup["units"] if not rules.unit_type(u["type"]).is_ground]
    assert len(others) == len(biggest.setup["units"]) - len(before)  # air and sea as they were
    # Each kind of unit of each faction four times over, with its people and equipment.
    kinds = Counter((u["faction"], u["type"], u["personnel"], tuple(sorted(u["equipment"].items())))
                    for u in before)
    kinds_after = Counter((u["faction"], u["type"], u["personnel"], tuple(sorted(u["equipment"].items())))
                          for u in after)
    assert kinds_after == Counter({k: 4 * n for k, n in kinds.items()})

    # As the scenario checker holds a start, checked here again on the game's own state.
    side_of = {f["id"]: f["side"] for f in scenario.setup["factions"]}
    bases = {f["id"]: allowed_countries(f.get("bases", ())) for f in scenario.setup["factions"]}
    sides_in: dict[tuple, set] = {}
    stacks: Counter = Counter()
    for u in scenario.setup["units"]:
        h = tuple(u["hex"])
        sides_in.setdefault(h, set()).add(side_of[u["faction"]])
        ut = rules.unit_type(u["type"])
        if ut.is_ground:
            stacks[h, side_of[u["faction"]]] += 1
            assert hexmap.terrain_at(Hex(*h)) in ut.enters
            assert hexmap.country_at(Hex(*h)) in bases[u["faction"]]
    assert all(len(s) == 1 for s in sides_in.values())
    assert max(stacks.values()) <= rules.movement["stack_limit"]
    # The game starts from it: every unit with an id of its own.
    ids = list(Game(scenario.setup, hexmap, rules, 1).state.units)
    assert len(ids) == len(set(ids)) == len(scenario.setup["units"])


def test_crowded_war_is_the_same_for_the_same_seed(hexmap, biggest):
    rules = default_rules()
    a = crowded(biggest.source, hexmap, rules)
    assert crowded(biggest.source, hexmap, rules) == a
    assert crowded(biggest.source, hexmap, rules, seed=7) != a
    assert biggest.source["units"] == a["units"][: len(biggest.source["units"])]  # the file's own kept


def test_figure_is_ok_only_when_median_and_worst_are_under_their_targets():
    timing = {"median": 300.0, "max": 1200.0, "first": 1200.0, "runs": 4}
    assert _figure(timing, 400.0, "x")["ok"] is True
    assert _figure(timing, 400.0, "x", target_max=1000.0)["ok"] is False
    assert _figure(dict(timing, max=900.0), 400.0, "x", target_max=1000.0)["ok"] is True
    assert _figure(dict(timing, median=450.0, max=900.0), 400.0, "x", target_max=1000.0)["ok"] is False


def test_table_prints_the_floor_beside_a_figure_and_the_ratio(capsys):
    timing = {"median": 0.3, "max": 0.5, "first": 0.6, "runs": 40}
    figures = {
        "movement_range_ms": _figure(timing, 0.15, "a range", floor=(0.05, "scipy's dijkstra")),
        "ai_turn_ms": _figure(dict(timing, median=500.0, max=900.0), 400.0, "a turn", target_max=1000.0),
    }
    assert figures["movement_range_ms"]["ratio"] == 6.0
    assert "floor_ms" not in figures["ai_turn_ms"]
    print_table(figures)
    out = capsys.readouterr().out
    assert "movement_range_ms: floor 0.050 ms (scipy's dijkstra), ratio 6" in out
    assert "< 400 / 1000" in out and "OVER TARGET" in out
    assert "ai_turn_ms: floor" not in out
