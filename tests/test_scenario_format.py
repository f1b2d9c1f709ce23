"""The scenario format: clear one-line errors for every kind of mistake, never a traceback."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.cli import main
from game.commands import EndTurn, Game
from game.rules import default_rules
from game.scenario import ScenarioError, check_file, check_text, load_scenario

from games import hexmap

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios/examples/fall-of-mosul.toml"
TEXT = EXAMPLE.read_text()


def problems_after(old: str, new: str, tmp_path: Path, count: int = 1) -> list[str]:
    assert old in TEXT, old
    path = tmp_path / "broken.toml"
    path.write_text(TEXT.replace(old, new, count))
    return check_file(path, hexmap())


def test_example_is_valid():
    sc = load_scenario(EXAMPLE, hexmap())
    assert sc.id == "example-fall-of-mosul"
    assert sc.turns == 5
    assert [s["id"] for s in sc.sides] == ["jihadist", "baathist"]
    mosul = hexmap().find_city("Mosul").hex
    assert any(u["hex"] == [mosul.q, mosul.r] for u in sc.setup["units"])


BROKEN = [
    # (what, old, new, the start of the expected line after "FILE:LINE: ")
    ("syntax", 'turn_days = 7', 'turn_days = = 7', "TOML syntax"),
    ("unknown field", 'turn_days = 7', 'turn_days = 7\nspeed = 3', "[scenario.speed] unknown field"),
    ("missing field", 'title = "Example: the fall of Mosul"\n', '', "[scenario.title] missing"),
    ("wrong type", 'quality = 0.7', 'quality = "low"', "[factions[1].quality] expected a number, got text"),
    ("resolve out of range", 'quality = 0.7', 'quality = 0.7\nresolve = 120',
     "[factions[1].resolve] resolve 120 is out of range"),
    ("quoted date", 'start = 2014-06-04', 'start = "2014-06-04"', "[scenario.start] expected a date"),
    ("dates reversed", 'end = 2014-07-02', 'end = 2014-05-02', "[scenario.end] ends 2014-05-02 before"),
    ("unknown unit type", 'type = "mechanized"', 'type = "tank"', "[units[1].type] unknown unit type 'tank'"),
    ("unknown faction", 'faction = "isis"\nplace = "Sinjar"', 'faction = "daesh"\nplace = "Sinjar"',
     "[units[1].faction] unknown faction 'daesh'"),
    ("unknown place", 'place = "Tikrit"', 'place = "Tikrt"', "[units[3].place] unknown place 'Tikrt'; did you mean Tikrit?"),
    ("off the map", 'place = "Tikrit"', 'place = [500, 500]', "[units[3].place] hex [500, 500] is off the map"),
    ("impassable", 'place = "Tikrit"', 'place = "33.98,43.2"', "[units[3].place] an infantry unit cannot stand on lake"),
    ("foreign country", 'place = "Tikrit"', 'place = "Gaziantep"', "[units[3].place] Iraq may not stand in Turkey"),
    ("wrong equipment", '"armoured vehicles" = 30', 'tanks = 30', "[units[1].equipment.tanks] a mechanized infantry unit has no 'tanks'"),
    ("negative strength", 'personnel = 4000', 'personnel = -4000', "[units[3].personnel] personnel -4,000 is out of range (between 1 and 200,000)"),
    ("duplicate id", 'id = "iraq-2div"', 'id = "isis-mosul"', "[units[2].id] unit id 'isis-mosul' is used twice"),
    ("unknown side", 'side = "baathist"\ncategory = "iraq"', 'side = "government"\ncategory = "iraq"',
     "[factions[1].side] unknown side 'government'"),
    ("unknown town in control", 'tikrit = "iraq"', 'tikrt = "iraq"', "[control.tikrt] unknown town 'tikrt'"),
    ("event refers to nothing", 'city_taken = "Mosul"', 'city_taken = "Mosull"', "[events[0].trigger.city_taken] unknown town 'Mosull'"),
    ("unknown trigger", 'trigger = { city_taken = "Mosul", by = "isis" }', 'trigger = { when = 3 }', "[events[0].trigger.when] unknown trigger"),
    ("unknown action", '{ do = "message", text = "Mosul', '{ do = "mesage", text = "Mosul', "[events[0].actions[0].do] unknown action 'mesage' (did you mean 'message'?)"),
    ("event never fires", 'date = 2014-06-18', 'date = 2015-06-18', "[reinforcements[0].date] 2015-06-18 is outside the scenario"),
    ("victory cannot be met: foreign town", 'cities = ["Mosul", "Tikrit"]', 'cities = ["Mosul", "Gaziantep"]',
     "[victory[1].cities[1]] Gaziantep lies in Turkey, where no faction of baathist may go"),
    ("victory cannot be met: count", 'cities = ["Mosul"]\ntext', 'cities = ["Mosul"]\ncount = 2\ntext',
     "[victory[0].count] 2 of 1 towns cannot be met"),
    ("victory met at the start", 'mosul = "iraq"', 'mosul = "isis"',
     "[victory[0].cities] jihadist holds these towns at the start"),
    ("side without victory", 'kind = "take"\nside = "jihadist"', 'kind = "take"\nside = "baathist"',
     "[victory] side 'jihadist' has no victory condition"),
    ("morale out of range", '{ do = "message", text = "Mosul', '{ do = "set_morale", faction = "iraq", morale = 130 },\n  { do = "message", text = "Mosul',
     "[events[0].actions[0].morale] morale 130 is out of range (between 0 and 100)"),
    ("morale missing", '{ do = "message", text = "Mosul', '{ do = "set_morale", faction = "iraq" },\n  { do = "message", text = "Mosul',
     "[events[0].actions[0].morale] missing"),
    ("bad category", 'category = "isis"', 'category = "daesh"', "[factions[0].category] unknown casualty category 'daesh'"),
    ("unknown top-level part", '[history]', '[historie]', "[historie] unknown part of a scenario (did you mean 'history'?)"),
]


@pytest.mark.parametrize("what,old,new,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_gives_a_clear_line(tmp_path, what, old, new, expected):
    problems = problems_after(old, new, tmp_path)
    assert problems, what
    for p in problems:
        assert p.startswith(str(tmp_path / "broken.toml")), p
        assert "\n" not in p and "Traceback" not in p
    rest = [p.split(": ", 1)[1] if ": " in p else p for p in problems]
    assert any(r.startswith(expected) for r in rest), problems


def test_line_numbers_point_at_the_field(tmp_path):
    problems = problems_after('type = "mechanized"', 'type = "tank"', tmp_path)
    path = tmp_path / "broken.toml"
    line = int(problems[0].split(":")[1])
    assert 'type = "tank"' in path.read_text().splitlines()[line - 1]


def test_validate_command(tmp_path, capsys):
    assert main(["validate", str(EXAMPLE)]) == 0
    assert "valid" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(TEXT.replace('type = "mechanized"', 'type = "tank"'))
    assert main(["validate", str(EXAMPLE), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown unit type 'tank'" in err
    assert main(["validate", str(tmp_path / "nothing.toml")]) == 1
    assert "file not found" in capsys.readouterr().err


@pytest.mark.parametrize("insert, words", [
    ("x = " + "[" * 1000 + "]" * 1000, "nested more than 32 deep"),
    ("x = " + "{a = " * 700 + "1" + "}" * 700, "nested more than 32 deep"),
    ("personnel_note = " + "9" * 5000, "a number of 5,000 digits"),
])
def test_absurd_values_are_one_line_not_a_traceback(tmp_path, capsys, insert, words):
    """Arrays nested a thousand deep or a number of thousands of digits (which Python will not
    read) are refused by validate in one line naming the file and the line, not a traceback."""
    lines = TEXT.splitlines()
    at = next(i for i, t in enumerate(lines) if t.startswith("[scenario]")) + 1
    bad = tmp_path / "absurd.toml"
    bad.write_text("\n".join(lines[:at] + [insert] + lines[at:]) + "\n")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err
    assert err.startswith(f"{bad}:{at + 1}:"), err
    with pytest.raises(ScenarioError):
        load_scenario(bad, hexmap())


def test_scenarios_command_for_a_file(capsys):
    assert main(["scenarios", str(EXAMPLE), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    isis = next(f for f in info["factions"] if f["id"] == "isis")
    iraq = next(f for f in info["factions"] if f["id"] == "iraq")
    assert isis["at_start"]["personnel"] == 2300
    assert iraq["whole_scenario"]["personnel"] == iraq["at_start"]["personnel"] + 5000
    assert "Abu Bakr al-Baghdadi" in isis["leaders"]
    assert main(["scenarios", "no-such-scenario"]) == 1
    assert "no scenario" in capsys.readouterr().err


def test_example_plays_to_an_end():
    sc = load_scenario(EXAMPLE, hexmap())
    game = Game(sc.setup, hexmap(), default_rules(), 7)
    while not game.state.over:
        assert game.execute(EndTurn(game.state.active_side)).ok
    assert game.state.result
    assert "reinforcements-1" in game.state.fired
    assert sum(u.personnel for u in game.state.units.values() if u.faction == "iraq") >= 14000


def test_load_scenario_raises_with_every_problem(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(TEXT.replace('type = "mechanized"', 'type = "tank"').replace("quality = 0.7", 'quality = "x"'))
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path, hexmap())
    assert len(exc.value.problems) == 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_give_errors_not_exceptions(data):
    text = data.decode("utf-8", errors="replace")
    scenario, problems = check_text(text, "fuzz.toml", hexmap())
    assert scenario is None or not problems
    assert all(isinstance(p, str) and p.startswith("fuzz.toml") for p in problems)


LINES = TEXT.splitlines()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9))
def test_mutated_files_give_errors_not_exceptions(seed):
    mutate_and_check(seed, LINES)


def mutate_and_check(seed: int, source: list[str]) -> None:
    rnd = random.Random(seed)
    lines = list(source)
    for _ in range(rnd.randint(1, 4)):
        i = rnd.randrange(len(lines))
        op = rnd.randrange(5)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[rnd.randrange(len(lines))])
        elif op == 2 and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = key + "= " + rnd.choice(['"x"', "0", "-1", "[]", "{}", "true", "2099-01-01",
                                                '["a", 1]', "1e9", '{ do = "x" }'])
        elif op == 3:
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            pos = rnd.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + rnd.choice("[]{}=\"',#.x0") + lines[i][pos:]
    scenario, problems = check_text("\n".join(lines), "mut.toml", hexmap())
    assert (scenario is None) == bool(problems)
    assert all(isinstance(p, str) and p.startswith("mut.toml") for p in problems)


PHASES = ["2014-isis-offensive", "2014-no-fly-zone", "2014-new-role", "2015-invasion",
          "2015-raqqa", "2017-pro-assad-offensive", "2018-withdrawal", "2021-fall-of-damascus"]


def test_bundled_scenarios_listed(capsys):
    assert main(["scenarios", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ids = [r["id"] for r in rows]
    assert set(PHASES + ["campaign"]) <= set(ids)
    for r in rows:
        assert r["title"] and r["start"] < r["end"] and len(r["sides"]) >= 2 and r["factions"]
    assert main(["scenarios", "2015-invasion", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    us = next(f for f in info["factions"] if f["id"] == "us")
    assert us["whole_scenario"]["personnel"] >= us["at_start"]["personnel"] > 0
    assert "Barack Obama" in us["leaders"]


def test_every_bundled_file_validates(capsys):
    from game.scenario import bundled_paths

    paths = [str(p) for p in bundled_paths()]
    assert len(paths) >= 9
    assert main(["validate", *paths]) == 0


# -- terrain changes and supply sources --------------------------------------------------------

MAP_PARTS = '''[[terrain]]
terrain = "marsh"
hexes = [[60, 40], [61, 40]]

[[terrain]]
terrain = "hills"
centre = "Tal Afar"
radius = 1

[[supply_sources]]
place = "Tal Afar"
faction = "isis"
name = "Tal Afar depot"

'''
TEXT_MAP = TEXT.replace("[[units]]", MAP_PARTS + "[[units]]", 1)

BROKEN_MAP = [
    ("unknown terrain", 'terrain = "marsh"', 'terrain = "marshes"',
     "[terrain[0].terrain] unknown terrain 'marshes' (did you mean 'marsh'?)", 'terrain = "marshes"'),
    ("terrain off the map", "[[60, 40], [61, 40]]", "[[60, 40], [500, 500]]",
     "[terrain[0].hexes[1]] hex [500, 500] is off the map", "hexes = "),
    ("town under water", 'terrain = "hills"', 'terrain = "lake"',
     "[terrain[1].centre] Tal Afar stands at", 'centre = "Tal Afar"'),
    ("terrain without hexes", "hexes = [[60, 40], [61, 40]]\n", "",
     "[terrain[0]] needs hexes, or a centre and a radius", "[[terrain]]"),
    ("unit on changed terrain", 'terrain = "marsh"\nhexes = [[60, 40], [61, 40]]',
     'terrain = "sea"\nhexes = [[63, 20]]', "[units[0].place] a militia and insurgents unit cannot stand on sea at 63,20",
     'place = "36.25,42.55"'),
    ("depot of an unknown faction", 'faction = "isis"\nname', 'faction = "daesh"\nname',
     "[supply_sources[0].faction] unknown faction 'daesh'", 'faction = "daesh"'),
    ("depot of a faction and a side", 'faction = "isis"\nname', 'faction = "isis"\nside = "jihadist"\nname',
     "[supply_sources[0]] give a faction or a side, not both", "[[supply_sources]]"),
    ("depot abroad", 'place = "Tal Afar"\nfaction', 'place = "Gaziantep"\nfaction',
     "[supply_sources[0].place]", 'place = "Gaziantep"'),
    ("depot on water", 'place = "Tal Afar"\nfaction', 'place = "33.98,43.2"\nfaction',
     "[supply_sources[0].place]", 'place = "33.98,43.2"'),
    ("depot without a place", 'place = "Tal Afar"\nfaction', 'faction',
     "[supply_sources[0].place] missing", "[[supply_sources]]"),
    ("unknown depot field", 'name = "Tal Afar depot"', 'label = "depot"',
     "[supply_sources[0].label] unknown field", 'label = "depot"'),
]


@pytest.mark.parametrize("what,old,new,expected,line_text", BROKEN_MAP, ids=[b[0] for b in BROKEN_MAP])
def test_broken_map_parts_give_the_right_line(tmp_path, what, old, new, expected, line_text):
    assert old in TEXT_MAP, old
    path = tmp_path / "broken.toml"
    path.write_text(TEXT_MAP.replace(old, new, 1))
    problems = check_file(path, hexmap())
    hits = [p for p in problems if p.split(": ", 1)[1].startswith(expected)]
    assert hits, problems
    line = int(hits[0].split(":")[1])
    assert line_text in path.read_text().splitlines()[line - 1]


def test_map_parts_reach_the_game(tmp_path):
    from game.hexgrid import Hex
    from game.movement import map_graph

    path = tmp_path / "map.toml"
    path.write_text(TEXT_MAP)
    sc = load_scenario(path, hexmap())
    changes = {tuple(c["hex"]): c["terrain"] for c in sc.setup["terrain"]}
    tal_afar = hexmap().find_city("Tal Afar").hex
    assert changes[(60, 40)] == "marsh" and changes[(tal_afar.q, tal_afar.r)] == "hills"
    assert sc.setup["supply_sources"] == [{"hex": [tal_afar.q, tal_afar.r], "faction": "isis"}]
    game = Game(sc.setup, hexmap(), default_rules(), 7)
    assert game.hexmap.terrain_at(Hex(60, 40)) == "marsh"
    assert hexmap().terrain_at(Hex(60, 40)) != "marsh"  # the shared map is untouched
    graph = map_graph(game.hexmap)
    assert graph.terrain[graph.index(Hex(60, 40))] == game.hexmap.terrain[game.hexmap.index(Hex(60, 40))]
    # games of the same scenario share one changed map (and so one movement network)
    assert Game(sc.setup, hexmap(), default_rules(), 8).hexmap is game.hexmap
    # a scenario without the new parts plays on the shared map, its state as before
    plain = load_scenario(EXAMPLE, hexmap())
    plain_game = Game(plain.setup, hexmap(), default_rules(), 7)
    assert plain_game.hexmap is hexmap()
    assert "supply_sources" not in plain_game.state.to_dict()
    assert game.state.to_dict()["supply_sources"] == [{"hex": [tal_afar.q, tal_afar.r], "faction": "isis"}]


def test_a_depot_supplies_its_side():
    from game.supply import supply_map

    sc = load_scenario(EXAMPLE, hexmap())
    setup = dict(sc.setup)
    tal_afar = hexmap().find_city("Tal Afar").hex
    i = map_index(tal_afar)
    without = Game(setup, hexmap(), default_rules(), 1)
    assert not supply_map(without.state, without.hexmap, without.rules, "isis")[i]
    setup["supply_sources"] = [{"hex": [tal_afar.q, tal_afar.r], "side": "jihadist"}]
    with_depot = Game(setup, hexmap(), default_rules(), 1)
    assert supply_map(with_depot.state, with_depot.hexmap, with_depot.rules, "isis")[i]
    # a depot under an enemy unit supplies nobody
    iraq = next(u for u in with_depot.state.units.values() if u.faction == "iraq")
    iraq.hex = tal_afar
    assert not supply_map(with_depot.state, with_depot.hexmap, with_depot.rules, "isis")[i]


def map_index(h) -> int:
    from game.movement import map_graph

    return map_graph(hexmap()).index(h)


def test_games_with_map_parts_save_and_replay_the_same(tmp_path):
    from game.saves import load_game, save_game, verify_save

    path = tmp_path / "map.toml"
    path.write_text(TEXT_MAP)
    sc = load_scenario(path, hexmap())
    game = Game(sc.setup, hexmap(), default_rules(), 11)
    for _ in range(4):
        assert game.execute(EndTurn(game.state.active_side)).ok
    save = save_game(game, tmp_path / "game.save")
    ok, message = verify_save(save, hexmap(), default_rules())
    assert ok, message
    again = load_game(save, hexmap(), default_rules())
    assert again.checksum() == game.checksum() and again.hexmap is game.hexmap


def test_the_guides_tutorial_scenario_is_valid_and_plays(tmp_path, capsys):
    guide = (ROOT / "docs/scenario-format.md").read_text()
    tutorial = guide.split("## Tutorial", 1)[1]
    text = tutorial.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "ramadi.toml"
    path.write_text(text)
    assert main(["validate", str(path)]) == 0
    # the mistakes the guide shows give the lines it shows
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('terrain = "marsh"', 'terrain = "marshes"').replace(
        'faction = "isis"\nname = "Anbar', 'faction = "daesh"\nname = "Anbar'))
    for line in check_file(broken, hexmap()):
        assert line.replace(str(broken), "ramadi.toml") in tutorial
    from game.simulate import simulate_one

    assert simulate_one(path, seed=2, turns=2)["refused"] == 0


def test_an_id_a_unit_without_one_would_get_is_refused(tmp_path):
    # The first unit without an id (units[1], ISIS's mechanized column) is isis-001 at the start.
    problems = problems_after('id = "isis-mosul"', 'id = "isis-001"', tmp_path)
    assert any("[units[0].id] unit id 'isis-001' is the one units[1], which has none" in p for p in problems)
    assert problems_after('id = "isis-mosul"', 'id = "isis-002"', tmp_path) == []


@pytest.mark.parametrize("value", ["{ a = 1 }", "[1]", "7"])
def test_a_unit_id_of_the_wrong_kind_is_a_problem_not_an_error(tmp_path, value):
    problems = problems_after('id = "isis-mosul"', f"id = {value}", tmp_path)
    assert any("[units[0].id] expected text" in p for p in problems), problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9))
def test_mutated_map_parts_give_errors_not_exceptions(seed):
    mutate_and_check(seed, TEXT_MAP.splitlines())
