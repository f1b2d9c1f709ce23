"""Save files a player can trust: whatever was changed in one, by accident or by hand, it
loads and plays or is refused in one line naming the file; and interrupted saves leave no
litter behind."""

from __future__ import annotations

import copy
import gzip
import json
import os
import time
from pathlib import Path

import pytest

from game import saves
from game.cli import main
from game.commands import EndTurn
from game.saves import SaveError, load_game, read_save, save_game, verify_save
from game.session import Session, shared_context
from game.state import state_checksum

SCENARIO = "fall-of-mosul"  # small, with a reinforcement, an event and two victory conditions


@pytest.fixture(scope="module")
def played_doc(tmp_path_factory):
    """A save of a few turns of the AI playing itself, as JSON data."""
    session = Session.new(SCENARIO, seed=3)
    for _ in range(3):
        session.play_ai_side()
    path = session.save(tmp_path_factory.mktemp("played") / "game.save")
    doc = json.loads(gzip.decompress(path.read_bytes()))
    assert any(c["kind"] == "move" for c in doc["journal"]), "the journal should hold a move"
    return doc


def _write(path: Path, doc: dict | str) -> Path:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    return path


def _reseal(doc: dict) -> dict:
    """What a tamperer who knows the format does after an edit: the state's checksum and the
    document's digest computed again."""
    doc["checksum"] = state_checksum(doc["state"])
    doc["digest"] = saves.save_digest(doc)
    return doc


def _first_move(doc: dict) -> dict:
    return next(c for c in doc["journal"] if c["kind"] == "move")


def _nested(depth: int):
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def _assert_refused_everywhere(path: Path, fragment: str, capsys) -> None:
    """Loading, verifying and both forms of ``replay`` refuse the file in one line naming it."""
    with pytest.raises(SaveError) as info:
        Session.load(path)
    message = str(info.value)
    assert fragment in message, message
    assert message.startswith(f"{path}: ") and "\n" not in message
    ok, why = verify_save(path, *shared_context())
    assert not ok and "\n" not in why and why.startswith(f"{path}: ")
    for argv in (["replay", str(path)], ["replay", str(path), "--verify"]):
        assert main(argv) == 1
        out, err = capsys.readouterr()
        assert out == "" and "Traceback" not in err and len(err.strip().splitlines()) == 1


# -- what a tamperer who computes the digest again still cannot load ---------------------------

def _kind_is_a_list(doc):
    doc["journal"][0]["kind"] = ["move"]


def _event_for_an_unknown_faction(doc):
    event = next(e for e in doc["setup"]["events"] if e["id"] == "mosul-falls")
    event["actions"][0] = {"do": "rename_faction", "faction": "martians", "name": "Martians"}


def _victory_for_an_unknown_town(doc):
    doc["setup"]["victory"][0]["cities"] = ["atlantis"]


def _victory_for_a_town_by_name(doc):
    doc["setup"]["victory"][0]["cities"] = ["Mosul"]  # the engine reads towns by id


def _null_terrain(doc):
    doc["setup"]["terrain"] = [None]


def _unknown_faction_holds_a_town(doc):
    doc["state"]["city_owner"]["mosul"] = "martians"


def _unknown_faction_holds_a_town_at_the_start(doc):
    doc["setup"]["cities"]["mosul"] = "martians"


def _turn_as_text(doc):
    doc["state"]["turn"] = str(doc["state"]["turn"])


def _morale_as_text(doc):
    doc["state"]["units"][0]["morale"] = "high"


def _personnel_out_of_range(doc):
    doc["state"]["units"][0]["personnel"] = 10**12


def _negative_personnel_in_setup(doc):
    doc["setup"]["units"][0]["personnel"] = -5


def _lists_900_deep_in_setup(doc):
    doc["setup"]["units"][0]["name"] = _nested(900)


def _lists_900_deep_in_journal(doc):
    _first_move(doc)["unit"] = _nested(900)


def _lists_900_deep_in_extra(doc):
    doc["extra"]["session"]["name"] = _nested(900)


def _turn_past_the_end(doc):
    doc["state"]["turn"] = doc["state"]["end_turn"] + 1


def _negative_seed(doc):
    doc["seed"] = -1


def _faction_missing_from_the_state(doc):
    doc["state"]["factions"].pop("iraq")


def _unknown_setup_field(doc):
    doc["setup"]["cheats"] = True


def _event_units_placed_by_name(doc):
    arrival = doc["setup"]["events"][0]["actions"][1]
    arrival["units"][0]["hex"] = "Baghdad"


def _a_town_left_out_of_who_holds_what(doc):
    doc["state"]["city_owner"].pop("tikrit")


def _a_ground_unit_at_sea(doc):
    unit = next(u for u in doc["state"]["units"] if u["type"] == "infantry")
    unit["hex"] = [0, 12]  # the Mediterranean


def _a_unit_deleted(doc):
    """People gone with no cause in the books: the casualty table would lie."""
    del doc["state"]["units"][-1]


def _wounded_healed_from_nothing(doc):
    unit = doc["state"]["units"][0]
    unit["wounded"] = unit.get("wounded", 0) + 100


def _unknown_command_field(doc):
    _first_move(doc)["teleport"] = True


RESEALED = [
    (_kind_is_a_list, "journal entry 1 is not a command this game knows"),
    (_event_for_an_unknown_faction, "unknown faction 'martians'"),
    (_victory_for_an_unknown_town, "unknown town 'atlantis'"),
    (_victory_for_a_town_by_name, "victory are not as the scenario checker makes them"),
    (_null_terrain, "terrain[0] should be a table"),
    (_unknown_faction_holds_a_town, "unknown faction 'martians'"),
    (_unknown_faction_holds_a_town_at_the_start, "unknown faction 'martians'"),
    (_turn_as_text, "turn should be a whole number, not a string"),
    (_morale_as_text, "morale should be a number, not a string"),
    (_personnel_out_of_range, "personnel is 1000000000000, out of range"),
    (_negative_personnel_in_setup, "personnel] personnel -5 is out of range"),
    (_lists_900_deep_in_setup, "name should be a line of text, not a list"),
    (_lists_900_deep_in_journal, "unit should be text, not a list"),
    (_lists_900_deep_in_extra, "is nested more than"),
    (_turn_past_the_end, "turn is"),
    (_negative_seed, "is not a seed this game makes"),
    (_faction_missing_from_the_state, "unknown faction 'iraq'"),
    (_unknown_setup_field, "unknown field 'cheats'"),
    (_event_units_placed_by_name, "should be a hex [q, r]"),
    (_unknown_command_field, "unknown field 'teleport'"),
    (_a_town_left_out_of_who_holds_what, "city_owner should say who holds each town"),
    (_a_ground_unit_at_sea, "cannot stand on sea at 0,12"),
    (_a_unit_deleted, "do not balance"),
    (_wounded_healed_from_nothing, "do not balance"),
]


@pytest.mark.parametrize("spoil,fragment", RESEALED, ids=[f.__name__[1:] for f, _ in RESEALED])
def test_a_resealed_save_that_would_crash_the_game_is_refused_in_one_line(
        played_doc, tmp_path, capsys, spoil, fragment):
    doc = copy.deepcopy(played_doc)
    spoil(doc)
    path = _write(tmp_path / "tampered.save", _reseal(doc))
    _assert_refused_everywhere(path, fragment, capsys)


# -- what JSON allows and a save never holds ----------------------------------------------------

def _text_with(doc: dict, marker, raw: str) -> str:
    """The document's JSON with ``marker`` (a value put in it) written as ``raw``."""
    return json.dumps(doc).replace(json.dumps(marker), raw, 1)


@pytest.mark.parametrize("where,raw,fragment", [
    ("path", "Infinity", "it holds Infinity"),
    ("path", "-Infinity", "it holds -Infinity"),
    ("personnel", "NaN", "it holds NaN"),
    ("personnel", "1e999", "the number 1e999, too large"),
    ("seed", "7" * 5000, "a number of 5,000 digits"),
    ("seed", "-" + "7" * 5000, "a number of 5,000 digits"),
])
def test_numbers_json_allows_and_a_save_never_holds_are_refused(
        played_doc, tmp_path, capsys, where, raw, fragment):
    doc = copy.deepcopy(played_doc)
    marker = "MARKER-not-in-any-save"
    if where == "path":
        _first_move(doc)["path"][1][0] = marker
    elif where == "personnel":
        doc["state"]["units"][0]["personnel"] = marker
    else:
        doc["seed"] = marker
    path = tmp_path / "numbers.save"
    path.write_bytes(gzip.compress(_text_with(doc, marker, raw).encode()))
    _assert_refused_everywhere(path, fragment, capsys)


def test_json_nested_past_what_the_reader_can_follow_is_refused(tmp_path, capsys):
    path = _write(tmp_path / "deep.save", "[" * 200_000 + "]" * 200_000)
    _assert_refused_everywhere(path, "nested too deeply", capsys)


# -- the digest covers what the game is rebuilt from --------------------------------------------

@pytest.mark.parametrize("edit", [
    lambda d: d["journal"].pop(),
    lambda d: d["journal"][0].update(side="coalition"),
    lambda d: d["setup"]["units"][0].update(personnel=d["setup"]["units"][0]["personnel"] + 1),
    lambda d: d["setup"]["victory"].pop(),
    lambda d: d["setup"]["events"][1]["actions"][0].update(text="Nothing happens."),
    lambda d: d.update(seed=d["seed"] + 1),
    lambda d: d.update(rules_version="0"),
    lambda d: d["extra"]["session"]["seats"].update(jihadist={"kind": "human"}),
    lambda d: d["state"]["units"][0].update(morale=99.0),
], ids=["journal cut", "journal side", "setup unit", "setup victory", "setup event", "seed",
        "rules version", "seats", "state"])
def test_any_edit_without_the_digest_is_refused(played_doc, tmp_path, capsys, edit):
    doc = copy.deepcopy(played_doc)
    edit(doc)
    if doc["state"] != played_doc["state"]:
        doc["checksum"] = state_checksum(doc["state"])  # only the old, state-only seal
    path = _write(tmp_path / "edited.save", doc)
    _assert_refused_everywhere(path, "the save was edited or damaged: its digest is", capsys)


def test_the_digest_is_of_the_canonical_json(played_doc):
    doc = copy.deepcopy(played_doc)
    reordered = dict(reversed(list(doc.items())))
    assert saves.save_digest(reordered) == saves.save_digest(doc) == doc["digest"]
    doc["journal"] = list(reversed(doc["journal"]))
    assert saves.save_digest(doc) != played_doc["digest"]


def test_an_honest_edit_resealed_loads_and_plays_on(played_doc, tmp_path):
    """The loader refuses what would break the game, not every change: a tamperer who keeps
    within the rules gets a game that plays."""
    doc = copy.deepcopy(played_doc)
    doc["state"]["units"][0]["morale"] = 55.5
    path = _write(tmp_path / "honest.save", _reseal(doc))
    session = Session.load(path)
    assert session.game.state.units[doc["state"]["units"][0]["id"]].morale == 55.5
    for _ in range(len(session.game.state.sides)):
        assert session.execute(EndTurn(session.game.state.active_side)).ok


# -- older saves ---------------------------------------------------------------------------------

def _version_1(doc: dict) -> dict:
    old = copy.deepcopy(doc)
    del old["digest"], old["journal_checksums"]
    old["version"] = 1
    return old


def test_a_save_from_before_the_digest_loads_checked_the_old_way(played_doc, tmp_path, capsys):
    path = _write(tmp_path / "old.save", _version_1(played_doc))
    session = Session.load(path)
    assert session.game.checksum() == played_doc["checksum"]
    ok, why = verify_save(path, *shared_context())
    assert ok, why
    assert main(["replay", str(path)]) == 0
    assert "save format: version 1, from before saves had a digest" in capsys.readouterr().out
    resaved = session.save(tmp_path / "again.save")
    assert read_save(resaved)["version"] == saves.SAVE_VERSION


def test_a_save_from_before_the_digest_is_still_checked_field_by_field(played_doc, tmp_path,
                                                                       capsys):
    old = _version_1(played_doc)
    old["state"]["units"][0]["morale"] = "high"
    old["checksum"] = state_checksum(old["state"])
    path = _write(tmp_path / "old.save", old)
    _assert_refused_everywhere(path, "morale should be a number", capsys)
    old = _version_1(played_doc)
    old["state"]["units"][0]["morale"] = 12.0
    path = _write(tmp_path / "old.save", old)
    _assert_refused_everywhere(path, "the game state's checksum is", capsys)


# -- round trips ---------------------------------------------------------------------------------

def test_a_save_round_trips_to_the_same_bytes(played_doc, tmp_path):
    path = _write(tmp_path / "game.save", played_doc)
    session = Session.load(path)
    again = session.save(tmp_path / "again.save")
    assert read_save(again) == played_doc
    assert session.game.checksum() == played_doc["checksum"]


def test_a_simulated_game_saved_from_the_command_line_verifies(tmp_path, capsys):
    path = tmp_path / "duel.save"
    assert main(["simulate", "duel-deir-ez-zor", "--turns", "2", "--save", str(path)]) == 0
    capsys.readouterr()
    assert main(["replay", str(path), "--verify"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("replay verified: ") and err == ""


def test_the_biggest_game_passes_every_check_of_its_load(tmp_path):
    """The benchmark's 300-unit game (whose load time `mesopotamia bench` measures) is one the
    checks take whole."""
    from game.bench import bench_game

    hexmap, rules = shared_context()
    game = bench_game(hexmap, rules)
    path = save_game(game, tmp_path / "big.save")
    loaded = load_game(path, hexmap, rules)
    assert len(loaded.state.units) >= 280
    assert loaded.checksum() == game.checksum()


# -- temporary files of interrupted saves -------------------------------------------------------

def _temp(directory: Path, save: str, tail: str, age: float) -> Path:
    p = directory / f".{save}.{tail}.tmp"
    p.write_bytes(b"half a save")
    then = time.time() - age
    os.utime(p, (then, then))
    return p


def test_saving_removes_stale_temporary_files_of_that_save_only(played_doc, tmp_path):
    stale = _temp(tmp_path, "game.save", "a1b2c3d4", age=3600)
    live = _temp(tmp_path, "game.save", "e5f6g7h8", age=5)  # another writer, at work now
    other = _temp(tmp_path, "other.save", "i9j0k1l2", age=3600)
    unrelated = tmp_path / ".notes.txt.tmp"
    unrelated.write_text("not ours")
    os.utime(unrelated, (0, 0))
    Session.load(_write(tmp_path / "source.save", played_doc)).save(tmp_path / "game.save")
    assert not stale.exists()
    assert live.exists() and other.exists() and unrelated.exists()
    assert saves.remove_stale_temp_files(tmp_path) == [other]
    assert live.exists() and unrelated.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".game.save.e5f6g7h8.tmp", ".notes.txt.tmp", "game.save", "source.save"])


def test_the_saves_screen_clears_stale_temporary_files(played_doc, tmp_path):
    from game.ui.menus import list_saves

    _write(tmp_path / f"game{saves.SAVE_SUFFIX}", played_doc)
    stale = _temp(tmp_path, f"game{saves.SAVE_SUFFIX}", "zz9", age=3600)
    fresh = _temp(tmp_path, f"game{saves.SAVE_SUFFIX}", "zz8", age=1)
    entries = list_saves(tmp_path)
    assert [e.path.name for e in entries] == [f"game{saves.SAVE_SUFFIX}"]
    assert not stale.exists() and fresh.exists()
