"""The ``mesopotamia`` command as authors and players use it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from game.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_map_at_city_json(capsys):
    status, out, err = run(capsys, "map", "--at", "Mosul", "--json")
    assert status == 0 and err == ""
    info = json.loads(out)
    assert info["city"] == "Mosul"
    assert info["terrain"] == "urban"
    assert info["country"] == "Iraq"
    assert any(r["river"] == "Tigris" for r in info["rivers"])
    assert set(info["hex"]) == {"q", "r"}
    assert "elevation_m" in info and "centre" in info


def test_map_at_latlon_json(capsys):
    status, out, _ = run(capsys, "map", "--at", "33.04,40.28", "--json")
    assert status == 0
    info = json.loads(out)
    assert info["city"] == "Rutba" and info["country"] == "Iraq"
    status, out, _ = run(capsys, "map", "--at", " 31.0 , 40.0 ", "--json")
    assert status == 0 and json.loads(out)["terrain"] == "desert"


def test_map_at_readable(capsys):
    status, out, _ = run(capsys, "map", "--at", "Deir ez-Zor")
    assert status == 0
    assert "Deir ez-Zor" in out and "Euphrates" in out


def test_map_info_json(capsys):
    status, out, _ = run(capsys, "map", "--info", "--json")
    assert status == 0
    info = json.loads(out)
    assert 10 <= info["hex_km"] <= 20
    assert info["cols"] * info["rows"] == info["hexes"] == sum(info["terrain_counts"].values())
    assert {c["name"] for c in info["cities"]} >= {"Damascus", "Baghdad", "Raqqa"}
    assert {r["name"] for r in info["rivers"]} >= {"Euphrates", "Tigris"}
    assert {r["name"] for r in info["roads"]} >= {"M5", "M4"}
    assert info["country_counts"]["Syria"] > 0


@pytest.mark.parametrize("argv,fragment,status", [
    (["map", "--at", "Atlantis", "--json"], "unknown place 'Atlantis'", 1),
    (["map", "--at", "Alepo"], "did you mean Aleppo", 1),
    (["map", "--at", "10,10"], "off the map", 1),
    (["map", "--at", "95,10"], "latitude", 1),
    (["map", "--at", "1,2,3"], "LAT,LON", 1),
    (["map", "--at", "north,east"], "LAT,LON", 1),
    (["map", "--at", "[1, 2, 3]"], "[Q, R]", 1),
    (["map", "--at", "[9000, 1]"], "off the map", 1),
    (["map"], "exactly one", 2),
    (["map", "--info", "--at", "Mosul"], "exactly one", 2),
    (["map", "--info", "--width", "900"], "--width goes with --png", 2),
    (["map", "--png", "x.png", "--width", "ten"], "invalid int", 2),
    (["map", "--png", "x.png", "--width", "5"], "between 200", 2),
    (["map", "--png", "map.jpeg"], ".png", 2),
    (["map", "--png", "/nonexistent-dir/x.png"], "no such directory", 1),
    (["nonsense"], "invalid choice", 2),
])
def test_bad_input_is_one_clear_line(capsys, argv, fragment, status):
    got, out, err = run(capsys, *argv)
    assert got == status
    assert fragment in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_python_dash_m_game():
    res = subprocess.run([sys.executable, "-m", "game", "map", "--at", "Baghdad", "--json"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["city"] == "Baghdad"


def test_edit_opens_the_editor_on_a_bundled_scenario_by_its_id(capsys, monkeypatch, tmp_path):
    from game.ui import editor

    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path))
    monkeypatch.setenv("MESOPOTAMIA_MAX_FRAMES", "2")
    monkeypatch.delenv("MESOPOTAMIA_SCREENSHOT", raising=False)
    opened = []
    real = editor.EditorScene.__init__
    monkeypatch.setattr(editor.EditorScene, "__init__",
                        lambda self, app, path=None: opened.append(path) or real(self, app, path))
    status, out, err = run(capsys, "edit", "2015-raqqa")
    assert status == 0, err
    assert opened and str(opened[0]).endswith("2015-raqqa.toml")


def test_edit_names_a_scenario_that_does_not_exist(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path))
    status, out, err = run(capsys, "edit", "no-such-phase")
    assert status == 1
    assert "no-such-phase: no such file or scenario" in err
    status, out, err = run(capsys, "edit", str(tmp_path / "missing.toml"))
    assert status == 1 and "missing.toml" in err


def test_map_at_a_hex_as_a_scenario_writes_it(capsys):
    status, out, _ = run(capsys, "map", "--at", "Raqqa", "--json")
    raqqa = json.loads(out)["hex"]
    status, out, err = run(capsys, "map", "--at", f"[{raqqa['q']}, {raqqa['r']}]", "--json")
    assert status == 0, err
    assert json.loads(out)["hex"] == raqqa and "Raqqa" in json.loads(out)["towns"]


# One rule for the exit status, kept by every command: 1 for a problem with the input (a file,
# a save, a scenario, a place), 2 for a malformed command line; one line on stderr each.
@pytest.fixture
def bad_files(tmp_path, monkeypatch):
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MESOPOTAMIA_MAX_FRAMES", raising=False)
    (tmp_path / "broken.toml").write_text("[scenario\nid = 1\n", encoding="utf-8")
    (tmp_path / "broken.save").write_bytes(b"\x1f\x8b not really")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("argv,status", [
    (["play", "no-such-war"], 1),
    (["play", "--load", "missing.save"], 1),
    (["play", "--load", "broken.save"], 1),
    (["play", "broken.toml"], 1),
    (["play", "2015-raqqa", "--load", "x.save"], 2),
    (["play", "--side", "isis=ai"], 2),
    (["play", "2015-raqqa", "--side", "isis=robot"], 2),
    (["play", "--frobnicate"], 2),
    (["edit", "no-such-war"], 1),
    (["edit", "broken.toml"], 1),
    (["edit", "a.toml", "b.toml"], 2),
    (["validate", "missing.toml"], 1),
    (["validate", "broken.toml"], 1),
    (["validate"], 2),
    (["scenarios", "no-such-war"], 1),
    (["scenarios", "--jsn"], 2),
    (["simulate", "no-such-war"], 1),
    (["simulate", "broken.toml"], 1),
    (["simulate", "2015-raqqa", "--runs", "0"], 2),
    (["simulate", "2015-raqqa", "--difficulty", "heroic"], 2),
    (["simulate", "2015-raqqa", "--seed", "one"], 2),
    (["simulate"], 2),
    (["replay", "missing.save"], 1),
    (["replay", "broken.save", "--verify"], 1),
    (["replay"], 2),
    (["bench", "--slow"], 2),
    (["map", "--at", "Atlantis"], 1),
    (["map"], 2),
    (["nonsense"], 2),
])
def test_every_command_keeps_the_exit_status_rule(bad_files, capsys, argv, status):
    got, out, err = run(capsys, *argv)
    assert got == status, err
    assert err.strip() and "Traceback" not in err
    # validate lists every problem of a file, one line each; the others say one thing.
    if argv[0] != "validate":
        assert len(err.strip().splitlines()) == 1, err


# -- a scenario by name, the same way everywhere ------------------------------------------------

@pytest.fixture
def my_scenario(tmp_path, monkeypatch):
    """A scenario of the player's own, in their folder, under an id no bundled one has."""
    from game import SCENARIOS_DIR

    home = tmp_path / "home"
    (home / "scenarios").mkdir(parents=True)
    text = (SCENARIOS_DIR / "examples" / "duel-deir-ez-zor.toml").read_text(encoding="utf-8")
    text = text.replace('id = "example-duel-deir-ez-zor"', 'id = "my-duel"', 1)
    assert 'id = "my-duel"' in text
    (home / "scenarios" / "my-duel.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    return home / "scenarios" / "my-duel.toml"


def test_the_players_own_scenario_is_known_to_every_command(my_scenario, capsys, monkeypatch):
    from game.scenario import find_scenario

    assert find_scenario("my-duel") == my_scenario
    assert find_scenario("my-duel.toml") == my_scenario
    status, out, err = run(capsys, "scenarios", "--json")
    assert status == 0, err
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["my-duel"]["where"] == "player" and rows["2015-raqqa"]["where"] == "bundled"
    status, out, err = run(capsys, "scenarios", "my-duel", "--json")
    assert status == 0 and json.loads(out)["id"] == "my-duel"
    status, out, err = run(capsys, "simulate", "my-duel", "--turns", "2", "--json")
    assert status == 0, err
    assert json.loads(out)["scenario"] == "my-duel"
    # play opens it (the window's run is cut short here).
    import game.ui.main as main_mod
    from game.ui.navigator import Navigator

    opened = []
    monkeypatch.setattr(Navigator, "play", lambda nav, s: opened.append(s))
    assert main_mod.run_game("my-duel", max_frames=1) == 0
    assert opened and opened[0].scenario.id == "my-duel"


def test_a_bundled_scenario_comes_before_the_players_file_of_the_same_name(my_scenario):
    from game.scenario import find_scenario

    twin = my_scenario.parent / "2015-raqqa.toml"
    twin.write_text(my_scenario.read_text(encoding="utf-8"), encoding="utf-8")
    assert find_scenario("2015-raqqa").parent.name == "scenarios"
    assert find_scenario("2015-raqqa") != twin
    # A path is that file.
    assert find_scenario(str(twin)) == twin
    # A name read from a save is never a path.
    assert find_scenario(str(twin), paths=False) is None
    assert find_scenario("/etc/passwd", paths=False) is None


def test_a_broken_file_of_the_players_is_named_and_the_rest_are_listed(my_scenario, capsys):
    (my_scenario.parent / "broken.toml").write_text("[scenario\n", encoding="utf-8")
    status, out, err = run(capsys, "scenarios")
    assert status == 0
    assert "my-duel" in out and "2015-raqqa" in out
    assert "broken.toml:" in err and len(err.strip().splitlines()) == 1


def test_simulate_reports_the_turns_it_played(capsys):
    status, out, err = run(capsys, "simulate", "duel-deir-ez-zor", "--turns", "4", "--json")
    assert status == 0, err
    assert json.loads(out)["turns"] == 4
