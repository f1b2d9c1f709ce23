"""What-if switches: a scenario's turning points, each of which a player may turn the other way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main
from game.scenario import bundled_paths, check_file, check_text, find_scenario, load_scenario
from game.scenario.model import ScenarioError
from game.simulate import simulate_one

from games import hexmap

# Each bundled switch, the scenario that has it, turns enough to reach its turning point, and
# the seeds it is played on (the campaign's on one). The campaign's turning points come on turn
# 5 (Turkey), 6 (Iraq), 9 (the invasion), 40 (the troops of 2017), 49 (Miliband) and 62 (the
# American drawdown): the last three are played to their turning points in their phases
# (2017-pro-assad-offensive, 2018-withdrawal), and in the campaign only a few turns (None),
# their changes checked in the game's setup; playing the campaign to them is minutes of the suite.
BUNDLED = [
    ("2014-new-role", "iraq-stays", 4, (11, 12)),
    ("2014-no-fly-zone", "turkey-no-zone", 6, (11, 12)),
    ("2015-invasion", "air-war-only", 3, (11, 12)),
    ("2017-pro-assad-offensive", "us-sends-troops", 6, (11, 12)),
    ("2018-withdrawal", "britain-canada-stay", 6, (11, 12)),
    ("2018-withdrawal", "us-stays", 12, (11, 12)),
    ("campaign", "turkey-no-zone", 6, (11,)),
    ("campaign", "iraq-stays", 7, (11,)),
    ("campaign", "air-war-only", 9, (11,)),
    ("campaign", "us-sends-troops", None, (11,)),
    ("campaign", "britain-canada-stay", None, (11,)),
    ("campaign", "us-stays", None, (11,)),
]


def _switches() -> list[tuple[str, str]]:
    out = []
    for path in bundled_paths():
        sc = load_scenario(path, hexmap())
        out += [(sc.id, o.id) for o in sc.options]
    return out


def test_the_bundled_switches_are_the_ones_tested_and_each_has_its_words():
    assert sorted(_switches()) == sorted((s, o) for s, o, _, _ in BUNDLED)
    for scenario, option, _, _ in BUNDLED:
        sc = load_scenario(find_scenario(scenario), hexmap())
        o = next(o for o in sc.options if o.id == option)
        assert o.title and len(o.text.split()) > 30 and o.default is False


@pytest.mark.parametrize("scenario,option,turns,seeds", BUNDLED)
def test_every_bundled_switch_validates_plays_and_changes_the_war(scenario, option, turns, seeds):
    """Turned on, the switch's scenario is checked as a player would meet it, plays through
    headless and comes out otherwise than history on the same seeds: the turning point it
    names does not happen, its own event does. (An event the switch gives again under its own
    id is changed, not dropped: the events that wait for it wait for the new one.)"""
    path = find_scenario(scenario)
    assert check_file(path, hexmap()) == []
    sc = load_scenario(path, hexmap())
    table = next(t for t in sc.source["options"] if t["id"] == option)
    if turns is None:
        on = load_scenario(path, hexmap(), options={option: True})
        history_ids = [e["id"] for e in sc.setup["events"]]
        on_ids = [e["id"] for e in on.setup["events"]]
        given = {e["id"] for e in table.get("events", [])}
        assert not (set(table["drop_events"]) - given) & set(on_ids)
        assert given <= set(on_ids) and on_ids != history_ids
        played = simulate_one(path, seeds[0], turns=2, options={option: True})
        assert played["departs_from_history"] == [option] and played["turns"] == 2
        return
    changed = 0
    for seed in seeds:
        history = simulate_one(path, seed, turns=turns)
        switched = simulate_one(path, seed, turns=turns, options={option: True})
        assert option in history["options"] and not any(history["options"].values())
        assert history["departs_from_history"] == []
        assert switched["options"] == history["options"] | {option: True}
        assert switched["departs_from_history"] == [option]
        dropped = table["drop_events"]
        changed_events = {e["id"] for e in table.get("events", [])}
        assert not (set(dropped) - changed_events) & set(switched["events"])
        assert set(dropped) & set(history["events"])
        changed += switched["checksum"] != history["checksum"]
    assert changed == len(seeds)


def test_the_same_seed_and_switches_give_the_same_game():
    path = find_scenario("2014-new-role")
    one = simulate_one(path, 31, turns=3, options={"iraq-stays": True})
    two = simulate_one(path, 31, turns=3, options={"iraq-stays": True})
    assert one["checksum"] == two["checksum"]


def test_history_is_the_default_setting():
    path = find_scenario("2014-new-role")
    default = simulate_one(path, 32, turns=2)
    history = simulate_one(path, 32, turns=2, options={"iraq-stays": False})
    assert default["checksum"] == history["checksum"]


BASE = Path(find_scenario("fall-of-mosul")).read_text(encoding="utf-8")


def _with(option: str) -> tuple[object, list[str]]:
    return check_text(BASE + "\n" + option, "my.toml", hexmap(), every_switch=True)


def test_a_switch_that_names_an_unknown_event_unit_or_faction_gets_one_clear_line():
    for field, value, said in [
        ("drop_events", '["no-such-event"]', "no event 'no-such-event'"),
        ("drop_units", '["no-such-unit"]', "no unit 'no-such-unit'"),
        ("factions", '[{ id = "no-such-faction", side = "coalition" }]', "no faction 'no-such-faction'"),
    ]:
        text = f'[[options]]\nid = "what-if"\ntitle = "What if"\ntext = "A change."\n{field} = {value}\n'
        _, problems = _with(text)
        assert len(problems) == 1, problems
        line = BASE.count("\n") + 2 + 4  # the switch's table starts after the file's last line
        assert problems[0].startswith(f"my.toml:{line}:") and said in problems[0], problems


def test_a_switch_whose_change_breaks_the_scenario_is_named_with_its_setting():
    text = (
        '[[options]]\nid = "lost-army"\ntitle = "No Iraqi army"\ntext = "A change."\n'
        'units = [{ id = "iq-new", type = "infantry", faction = "iraq", hex = [0, 0], personnel = 5000 }]\n'
    )
    _, problems = _with(text)
    assert problems and all("with switch 'lost-army' on" in p for p in problems)


def test_a_switch_needs_an_id_a_title_and_a_change():
    _, problems = _with('[[options]]\ntitle = "What if"\n')
    assert any("a switch needs an id" in p for p in problems)
    _, problems = _with('[[options]]\nid = "x"\ndrop_events = []\n')
    assert any("needs a title" in p for p in problems)
    _, problems = _with('[[options]]\nid = "x"\ntitle = "Nothing"\n')
    assert any("changes nothing" in p for p in problems)


def test_asking_for_a_switch_a_scenario_does_not_have_says_which_it_has():
    with pytest.raises(ScenarioError) as err:
        load_scenario(find_scenario("2014-new-role"), hexmap(), options={"iraq-leaves": True})
    assert "no switch 'iraq-leaves'" in str(err.value) and "iraq-stays" in str(err.value)


def test_the_command_line_lists_and_sets_the_switches(capsys):
    assert main(["scenarios", "2014-new-role", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert [(o["id"], o["default"]) for o in info["options"]] == [("iraq-stays", False)]
    assert info["options"][0]["title"] == "Iraq stays with the coalition"
    assert main(["scenarios", "2014-new-role"]) == 0
    assert "iraq-stays" in capsys.readouterr().out
    assert main(["simulate", "2014-new-role", "--turns", "1", "--json", "--option", "iraq-stays=on"]) == 0
    run = json.loads(capsys.readouterr().out.splitlines()[0])
    assert run["options"] == {"iraq-stays": True}
    assert main(["simulate", "2014-new-role", "--turns", "1", "--option", "iraq-stays=yes"]) == 2
    assert "give ID=on or ID=off" in capsys.readouterr().err
    assert main(["simulate", "2014-new-role", "--turns", "1", "--option", "nosuch=on"]) != 0
    assert "no switch 'nosuch'" in capsys.readouterr().err


def test_a_saved_game_keeps_its_switches(tmp_path):
    from game.session import Session

    session = Session.new("2014-new-role", options={"iraq-stays": True}, seed=3)
    assert not any(e["id"] == "iraq-turns" for e in session.game.setup["events"])
    saved = tmp_path / "what-if.save"
    session.save(saved)
    again = Session.load(saved)
    assert [e["id"] for e in again.game.setup["events"]] == [e["id"] for e in session.game.setup["events"]]
    assert any(e["id"] == "iraq-stays" for e in again.game.setup["events"])


def test_the_editor_keeps_a_scenarios_switches_when_it_saves(tmp_path):
    """An author who opens a scenario with switches in the editor finds it valid, and the file
    the editor saves still has them, word for word."""
    from game.editor import Editor

    ed = Editor.open(find_scenario("2014-new-role"))
    assert ed.check() == []
    assert [o.id for o in ed.scenario().options] == ["iraq-stays"]
    saved = ed.save(tmp_path / "mine.toml")
    assert check_file(saved, hexmap()) == []
    again = load_scenario(saved, hexmap(), options={"iraq-stays": True})
    assert not any(e["id"] == "iraq-turns" for e in again.setup["events"])
    assert again.options == load_scenario(find_scenario("2014-new-role"), hexmap()).options


def test_renaming_an_event_in_the_editor_carries_over_to_the_switches_that_drop_it():
    from game.editor import Editor

    ed = Editor.open(find_scenario("2014-new-role"))
    assert ed.apply("set_event", event="iraq-turns", id="baghdad-turns").ok
    assert ed.doc["options"][0]["drop_events"] == ["baghdad-turns", "air-combat"]
    assert ed.check() == []


def test_a_game_played_with_a_switch_on_replays_and_verifies_from_its_save(tmp_path, capsys):
    """The save holds the game's own setup, its switch's changes made: replayed from the start,
    every command gives the checksum recorded; history's setup would not (Iraq turns)."""
    from game.ai import AIPlayer, play_turn
    from game.commands import Game
    from game.rules import default_rules
    from game.saves import save_game

    sc = load_scenario(find_scenario("2014-new-role"), hexmap(), options={"iraq-stays": True})
    game = Game(sc.setup, hexmap(), default_rules(), 21)
    players = {s["id"]: AIPlayer(s["id"], game.hexmap, game.rules, sc.setup["victory"]) for s in sc.sides}
    for _ in range(3 * len(sc.sides)):  # past 4 December, when history's Iraq turns
        play_turn(game, players[game.state.active_side])
    assert "iraq-stays" in game.state.fired and "iraq-turns" not in game.state.fired
    saved = tmp_path / "what-if.save"
    save_game(game, saved)
    assert main(["replay", str(saved), "--verify"]) == 0
    assert "verified" in capsys.readouterr().out.lower()



def test_switches_that_break_the_scenario_only_together_are_named_with_all_of_them():
    """Each switch is checked turned on its own and all of them at once, as a player may set
    them: two that each add an event of the same id are fine alone, not together."""

    def switch(sid: str) -> str:
        return (
            f'[[options]]\nid = "{sid}"\ntitle = "{sid}"\ntext = "A change."\n'
            'events = [{ id = "news", trigger = { turn = 2 }, actions = '
            '[{ do = "message", text = "News." }] }]\n'
        )

    _, alone = _with(switch("first"))
    assert alone == []
    _, problems = _with(switch("first") + "\n" + switch("second"))
    assert problems and all("with every switch turned from history (first, second)" in p for p in problems)
    assert any("news" in p for p in problems)


def test_the_later_switches_played_together_keep_both_turning_points_away():
    """2018's two switches on at once: neither the British and Canadian nor the American
    withdrawal happens, where history has them."""
    path = find_scenario("2018-withdrawal")
    both = {"britain-canada-stay": True, "us-stays": True}
    sc = load_scenario(path, hexmap(), options=both)
    history = load_scenario(path, hexmap())
    dropped = set()
    for table in sc.source["options"]:
        dropped |= set(table["drop_events"]) - {e["id"] for e in table.get("events", [])}
    ids = {e["id"] for e in sc.setup["events"]}
    assert dropped and not dropped & ids and dropped <= {e["id"] for e in history.setup["events"]}
    one = simulate_one(path, 13, turns=12, options=both)
    assert sorted(one["departs_from_history"]) == sorted(both)
    assert not dropped & set(one["events"])
    # The switches' own events came in their place (history's were played on these turns in
    # the test of each switch above).
    given = {e["id"] for t in sc.source["options"] for e in t.get("events", [])}
    assert given & set(one["events"])


def test_the_campaign_with_every_switch_on_validates_and_plays():
    path = find_scenario("campaign")
    sc = load_scenario(path, hexmap())
    every = {o.id: True for o in sc.options}
    assert len(every) == 6
    on = load_scenario(path, hexmap(), options=every)
    ids = {e["id"] for e in on.setup["events"]}
    for table in sc.source["options"]:
        given = {e["id"] for e in table.get("events", [])}
        assert given <= ids and not (set(table["drop_events"]) - given) & ids
    played = simulate_one(path, 13, turns=2, options=every)
    assert sorted(played["departs_from_history"]) == sorted(every) and played["turns"] == 2


def test_a_switch_moves_units_and_changes_sides_and_renames_carry_over():
    """A switch's moved units and factions on another side, as the editor sets them: a unit
    moves where the switch says (a town becomes its hex), and renaming the unit or the faction
    carries over to the switch."""
    from game.editor import Editor

    ed = Editor.open(find_scenario("fall-of-mosul"))
    assert ed.apply("add_option", id="baiji", title="ISIS at Baiji", drop_events=["mosul-falls"]).ok
    assert ed.apply("set_option", index=0, move_units=[{"unit": "isis-mosul", "hex": "Baiji"}]).ok
    baiji = hexmap().resolve_place("Baiji")
    assert ed.doc["options"][0]["move_units"] == [{"unit": "isis-mosul", "hex": [baiji.q, baiji.r]}]
    assert ed.apply("set_unit", unit="isis-mosul", id="isis-north").ok
    assert ed.doc["options"][0]["move_units"][0]["unit"] == "isis-north"
    sc, problems = check_text(_document_text(ed), "baiji.toml", hexmap(), options={"baiji": True}, every_switch=True)
    assert problems == [] and next(u for u in sc.setup["units"] if u["id"] == "isis-north")["hex"] == [
        baiji.q,
        baiji.r,
    ]
    refused = ed.apply("set_option", index=0, factions=[{"id": "iraq", "side": "jihadist"}])
    assert not refused.ok and "side 'baathist' has no faction" in refused.reason
    assert ed.apply("set_option", index=0, factions=[{"id": "iraq", "side": "baathist"}]).ok
    assert ed.apply("set_faction", faction="iraq", id="iraqi-state").ok
    assert ed.doc["options"][0]["factions"] == [{"id": "iraqi-state", "side": "baathist"}]
    assert ed.check() == []


def _document_text(ed) -> str:
    import tomlkit

    return tomlkit.dumps(ed.doc)
