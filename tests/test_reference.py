"""History's setting beside a what-if game: the same scenario without the switch, played by the
computer on the game's seed, its losses noted turn by turn, kept, and set beside the game."""

from __future__ import annotations

import json
import time

import pytest

from game.reference import (
    Reference,
    ReferenceJob,
    keep,
    kept_path,
    play_reference,
    read_kept,
    reference_key,
)
from game.scenario import find_scenario
from game.session import Session
from game.simulate import simulate_one

SCENARIO = "2014-new-role"  # short (12 turns); Iraq turns on the coalition in its 2nd turn


@pytest.fixture(scope="module")
def short():
    """History's setting of the 2014 phase through its first three turns."""
    return play_reference(find_scenario(SCENARIO), 9203, turns=3)


def test_the_historical_setting_is_noted_turn_by_turn(short):
    ref = short
    # Every switch as the source has it, whatever the game that asks set.
    assert ref.settings == {"iraq-stays": False}
    assert [s.turn for s in ref.snapshots] == [1, 2, 3, 4]
    assert ref.snapshots[0].military == 0 and ref.snapshots[0].civilians == 0
    militaries = [s.military for s in ref.snapshots]
    assert militaries == sorted(militaries) and militaries[-1] > 0
    for s in ref.snapshots:
        assert s.military == sum(s.categories.values())
    # The snapshot for a game standing at a turn: the last one taken by then.
    assert ref.at(2) is ref.snapshots[1] and ref.at(40) is ref.snapshots[-1] and ref.at(0) is None


def test_it_is_the_game_simulate_plays_on_that_seed(short):
    run = simulate_one(find_scenario(SCENARIO), 9203, turns=3)
    assert run["options"] == {"iraq-stays": False}
    last = short.snapshots[-1]
    assert last.military == run["casualties"]["military"]["game"]
    assert last.civilians == run["civilians"]
    assert last.aircraft == run["aircraft_lost"] and last.ships == run["ships_lost"]
    # Same seed, the same snapshots.
    again = play_reference(find_scenario(SCENARIO), 9203, turns=3)
    assert again.to_dict() == short.to_dict()


def test_a_kept_reference_is_read_again_and_a_broken_one_is_not_trusted(short, tmp_path):
    key = reference_key(find_scenario(SCENARIO), 9203, {})
    keep(key, short, tmp_path)
    assert read_kept(key, tmp_path).to_dict() == short.to_dict()
    # Another seed or other difficulties are another game, under another name.
    assert reference_key(find_scenario(SCENARIO), 9204, {}) != key
    assert reference_key(find_scenario(SCENARIO), 9203, {"coalition": "hard"}) != key
    kept_path(key, tmp_path).write_text('{"version": 1, "scenario": ', encoding="utf-8")
    assert read_kept(key, tmp_path) is None
    data = short.to_dict()
    data["version"] = 0
    kept_path(key, tmp_path).write_text(json.dumps(data), encoding="utf-8")
    assert read_kept(key, tmp_path) is None


def test_a_what_if_game_finds_its_history_and_a_historical_game_has_none(short, home):
    plain = Session.new(SCENARIO, seed=9203)
    assert plain.history_reference() is None
    game = Session.new(SCENARIO, seed=9203, options={"iraq-stays": True})
    levels = {side: "normal" for side in game.seats}
    keep(reference_key(find_scenario(SCENARIO), 9203, levels), short, home / "history-runs")
    job = game.history_reference()
    assert job is not None and not job.running and job._process is None  # found kept: not played
    assert job.poll().to_dict() == short.to_dict()
    assert game.history_reference() is job  # one for the game


def test_the_background_game_is_played_in_a_process_of_its_own(home):
    path = find_scenario(SCENARIO)
    job = ReferenceJob(path, 9205, {})
    assert job.running and job._process is not None
    deadline = time.monotonic() + 240
    while job.poll() is None and not job.error and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not job.error, job.error
    ref = job.reference
    assert isinstance(ref, Reference) and ref.seed == 9205 and ref.snapshots[-1].turn >= 2
    assert job.progress[1] == 12 and job._process is None
    # Kept in the game's folder for the next game on that seed.
    assert read_kept(job.key).to_dict() == ref.to_dict()
    # A game left before its history is played stops the process.
    other = ReferenceJob(path, 9206, {})
    other.cancel()
    assert other.error == "stopped" and other._process is None and other.poll() is None
