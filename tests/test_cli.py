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
    assert status == 2
    assert "no-such-phase: no such file or bundled scenario" in err
    status, out, err = run(capsys, "edit", str(tmp_path / "missing.toml"))
    assert status == 2 and "missing.toml" in err
