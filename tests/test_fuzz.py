"""Fuzzing kept in the suite: the bundled scenarios and saves of real games, changed as a careless
author, a fuzzer and a tamperer would change them, fed to the checker and the loader.

What authors and players rely on: whatever the file holds, ``mesopotamia validate`` and
``load_scenario`` either refuse it with one line a problem, each naming the file, or take it;
``replay``, ``replay --verify`` and ``play --load`` either refuse a save in one line naming the
file or load it; nothing else escapes. A changed file that is taken is one the game can play:
its first turn, AI against AI, runs without an exception.

A bounded number of inputs a run, the same ones every run (hypothesis derandomized): the long
run with counts is ``python benchmarks/fuzz.py``. ``tests/fuzzing.py`` makes the changes.
"""

from __future__ import annotations

import copy
import tomllib
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fuzzing import (OK, REFUSED, SCENARIO_FILES, TRACEBACK, _op_place, _op_stack,
                     _op_unit_number, TOML_SPECIAL, check_save, check_scenario, dump_toml,
                     make_base_saves, mutate_save, mutate_scenario_data, mutate_text, play_turns,
                     where_in_game)
from game.rules import default_rules
from games import hexmap

RULES = default_rules()
# Checking any file takes under a second; ``benchmarks/fuzz.py`` counts the inputs over one
# second. Here only a check that runs away (the slow inputs once took from 14 s to minutes) fails,
# with room for a busy machine running tests side by side.
TIME_LIMIT = 20.0
SMALL = [p for p in SCENARIO_FILES if p.parent.name == "examples"]


def fuzz(n: int):
    """``n`` inputs, the same every run; a failure is reported as found, with the change
    that made it in the message (shrinking a mutation's random choices gains nothing and
    takes minutes), and the first one ends the test."""
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@lru_cache(maxsize=None)
def _scenario_data(path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


class Saves(dict):
    """Save files by name: shown by their names when a test fails, not by their bytes."""

    def __repr__(self) -> str:
        return f"Saves({', '.join(self)})"


@pytest.fixture(scope="module")
def saves(scratch):
    """Saves of three small games, each played a turn, AI against AI: name -> bytes."""
    return Saves({p.name: p.read_bytes() for p in make_base_saves(scratch / "saves", turns=1)})


def assert_clean(outcome, path, what: str) -> None:
    """A clean refusal (one line a problem, each naming the file) or a valid file."""
    assert outcome.status != TRACEBACK, (f"{what}: {outcome.error} at {outcome.where}"
                                         f"\n{outcome.trace}")
    assert outcome.status in (OK, REFUSED)
    if outcome.status == REFUSED:
        assert outcome.problems, f"{what}: refused without a reason"
    assert not outcome.bad_lines, (f"{what}: a line of the refusal is not one line naming "
                                   f"{path}: {outcome.bad_lines[0]!r}")
    assert outcome.seconds < TIME_LIMIT, f"{what}: took {outcome.seconds:.1f} s"


def play(outcome, what: str) -> tuple[list[str], dict]:
    """The first turn of a valid file, AI against AI; an exception fails the test with the
    change that led to it."""
    try:
        return play_turns(outcome.game, outcome.setup, turns=1)
    except Exception as exc:  # noqa: BLE001 - reported with the input that caused it
        raise AssertionError(f"{what}: the first turn crashed: {type(exc).__name__}: {exc} "
                             f"at {where_in_game(exc)}") from exc


@fuzz(40)
@given(base=st.sampled_from(SCENARIO_FILES), rnd=st.randoms(use_true_random=False))
def test_a_scenario_with_changed_data_is_refused_in_lines_naming_the_file_or_valid(
        base, rnd, scratch):
    data = copy.deepcopy(_scenario_data(base))
    what = f"{base.name}: " + mutate_scenario_data(data, rnd)
    path = scratch / "changed.toml"
    path.write_text(dump_toml(data), encoding="utf-8")
    assert_clean(check_scenario(path, hexmap(), RULES), path, what)


@fuzz(30)
@given(base=st.sampled_from(SCENARIO_FILES), rnd=st.randoms(use_true_random=False))
def test_a_scenario_with_damaged_bytes_is_refused_in_lines_naming_the_file_or_valid(
        base, rnd, scratch):
    raw, what = mutate_text(base.read_bytes(), rnd)
    path = scratch / "damaged.toml"
    path.write_bytes(raw)
    assert_clean(check_scenario(path, hexmap(), RULES), path, f"{base.name}: {what}")


@fuzz(40)
@given(name=st.sampled_from(["tutorial.save", "fall-of-mosul.save", "duel-deir-ez-zor.save"]),
       rnd=st.randoms(use_true_random=False))
def test_a_changed_save_is_refused_in_one_line_naming_the_file_or_loads(name, rnd, saves,
                                                                         scratch):
    raw, what = mutate_save(saves[name], rnd)
    path = scratch / "changed.save"
    path.write_bytes(raw)
    outcome = check_save(path, hexmap(), RULES)
    assert_clean(outcome, path, f"{name}: {what}")
    if outcome.status == REFUSED:
        assert len(outcome.problems) == 1


@fuzz(12)
@given(base=st.sampled_from(SMALL), rnd=st.randoms(use_true_random=False))
def test_a_changed_scenario_that_validates_plays_its_first_turn(base, rnd, scratch):
    """Numbers, stacking and places changed: the checker refuses the file, or its first turn
    plays, AI against AI, with no exception and no command of the AI refused."""
    data = copy.deepcopy(_scenario_data(base))
    op = rnd.choice([_op_unit_number, _op_stack, _op_place])
    what = f"{base.name}: " + (op(data, rnd, TOML_SPECIAL) if op is _op_unit_number
                               else op(data, rnd))
    path = scratch / "changed.toml"
    path.write_text(dump_toml(data), encoding="utf-8")
    outcome = check_scenario(path, hexmap(), RULES)
    assert_clean(outcome, path, what)
    if outcome.status == OK:
        refused, unbalanced = play(outcome, what)
        assert refused == [], f"{what}: the AI's commands were refused: {refused[:3]}"
        assert not unbalanced, f"{what}: the casualty books do not balance: {unbalanced}"


@fuzz(12)
@given(name=st.sampled_from(["tutorial.save", "fall-of-mosul.save", "duel-deir-ez-zor.save"]),
       rnd=st.randoms(use_true_random=False))
def test_a_changed_save_that_loads_plays_its_next_turn(name, rnd, saves, scratch):
    raw, what = mutate_save(saves[name], rnd)
    path = scratch / "loaded.save"
    path.write_bytes(raw)
    outcome = check_save(path, hexmap(), RULES, verify=False)
    assert_clean(outcome, path, f"{name}: {what}")
    if outcome.status == OK:
        play(outcome, f"{name}: {what}")
