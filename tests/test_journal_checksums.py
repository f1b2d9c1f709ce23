"""The checksum the journal keeps after every command: taken when the command was done, kept by
saves, and what lets ``replay --verify`` name the first command whose result differs."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

import pytest

from game import saves
from game.cli import main
from game.commands import Command, Diverged, Game, Move, command_words, replay_journal
from game.movement import find_path, map_graph, movement_range, obstacles_for
from game.saves import SaveError, read_save, verify_save
from game.session import Session, shared_context
from game.state import RunningChecksum, state_checksum
from game.visibility import visible_units
from games import mosul_game

SCENARIO = "fall-of-mosul"


@pytest.fixture(scope="module")
def played_doc(tmp_path_factory):
    """A save of a few turns of the AI playing itself, as JSON data."""
    session = Session.new(SCENARIO, seed=5)
    for _ in range(6):
        session.play_ai_side()
    path = session.save(tmp_path_factory.mktemp("played") / "game.save")
    return json.loads(gzip.decompress(path.read_bytes()))


def _write(path: Path, doc: dict) -> Path:
    path.write_bytes(gzip.compress(json.dumps(doc).encode(), mtime=0))
    return path


def _reseal(doc: dict) -> dict:
    """What a tamperer who knows the format does after an edit: the state's checksum and the
    document's digest computed again, as ``saves`` computes them."""
    doc["checksum"] = state_checksum(doc["state"])
    doc["digest"] = saves.save_digest(doc)
    return doc


def _replayed(doc: dict, upto: int) -> Game:
    hexmap, rules = shared_context()
    return replay_journal(doc["setup"], hexmap, rules, doc["seed"], doc["journal"][:upto])


def _one_line_refusal(capsys, path: Path) -> str:
    assert main(["replay", str(path), "--verify"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert str(path) in err
    return err.strip()


def _move_of(game: Game) -> Move:
    """A move of the side to move's first ground unit that can go somewhere."""
    state, graph = game.state, map_graph(game.hexmap)
    side = state.active_side
    for unit in state.units_of_side(side):
        if not game.rules.unit_type(unit.type).is_ground:
            continue
        known = visible_units(state, game.hexmap, game.rules, side)
        obs = obstacles_for(graph, game.rules, unit, known, state.at_war_with, state.side_of)
        reach = movement_range(graph, game.rules, unit, obs, state.factions[unit.faction].bases)
        if reach:
            target = max(reach, key=lambda h: (reach[h], h.q, h.r))
            path, _ = find_path(graph, game.rules, unit, target, obs,
                                state.factions[unit.faction].bases)
            return Move(side=side, unit=unit.id, path=path)
    raise AssertionError("no unit can move")


# -- in the game ---------------------------------------------------------------------------------

def test_each_command_keeps_the_checksum_of_the_state_it_left(played_doc):
    journal, kept = played_doc["journal"], played_doc["journal_checksums"]
    assert len(kept) == len(journal) > 12
    assert len(set(kept)) > len(kept) // 2, "the checksums follow the game as it changes"
    hexmap, rules = shared_context()
    game = Game(played_doc["setup"], hexmap, rules, played_doc["seed"])
    for n, entry in enumerate(journal):
        assert game.execute(Command.from_dict(entry)).ok
        # Taken as the command was done, and a checksum of the state alone: a new reader
        # that has seen nothing before gives the same.
        assert game.checksums[n] == kept[n] == RunningChecksum()(game.state), n


def test_the_running_checksum_sees_any_change_and_only_the_state():
    game = mosul_game(4)
    state, running = game.state, RunningChecksum()
    first = running(state)
    unit = next(iter(state.units.values()))
    town = next(iter(state.city_owner))
    changes = [
        lambda: setattr(unit, "morale", unit.morale + 0.5),
        lambda: unit.equipment.__setitem__("trucks", unit.equipment.get("trucks", 0) + 1),
        lambda: setattr(unit, "hex", unit.hex.neighbors()[0]),
        lambda: state.log.append("Turn 1: something happened"),
        lambda: state.city_owner.__setitem__(town, f"{state.city_owner[town]} and another"),
        lambda: state.rng.random(),
        lambda: state.losses.setdefault(unit.faction, {}).__setitem__("killed", 7),
        lambda: state.at_war.add(frozenset({"nobody", "anybody"})),
        lambda: setattr(state, "turn", state.turn + 1),
    ]
    seen = {first}
    for change in changes:
        change()
        now = running(state)
        assert now not in seen, "every change gives a new checksum"
        assert now == RunningChecksum()(state), "the same as one that saw nothing before"
        seen.add(now)
    # Equal values read alike whatever their type, so a state read back from a save (where
    # 70.0 may come back as 70) has the checksum it had.
    unit.morale = float(round(unit.morale))
    before = running(state)
    unit.morale = int(unit.morale)
    assert running(state) == before == RunningChecksum()(state)


def test_undo_takes_back_the_checksum_with_the_command():
    game = mosul_game(6)
    res = game.execute(_move_of(game))
    assert res.ok and not any(e.reveals for e in res.events), "a quiet move, to undo"
    assert len(game.checksums) == len(game.journal) == 1
    assert game.undo()
    assert game.checksums == game.journal == []


# -- in the save ---------------------------------------------------------------------------------

def test_an_untouched_save_verifies(played_doc, tmp_path, capsys):
    path = _write(tmp_path / "game.save", played_doc)
    assert played_doc["version"] == saves.SAVE_VERSION == 3
    assert main(["replay", str(path), "--verify"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"replay verified: {len(played_doc['journal'])} commands") and err == ""


def test_replay_names_the_command_where_a_tampered_journal_differs(played_doc, tmp_path, capsys):
    """A move in the middle of the journal cut short by a hex, the save sealed again: the replay
    names that very command, with what it was and when, and both checksums."""
    doc = copy.deepcopy(played_doc)
    journal = doc["journal"]
    middle = len(journal) // 2
    for k in range(middle, len(journal)):
        entry = journal[k]
        if entry["kind"] != "move" or len(entry["path"]) < 3:
            continue
        game = _replayed(doc, k)
        shorter = Command.from_dict({**entry, "path": entry["path"][:-1]})
        if not game.validate(shorter):
            break
    else:
        pytest.fail("no move in the second half of the journal can be cut short")
    state = game.state
    words = command_words(shorter, state, game.hexmap)
    when = (f"(turn {state.turn}, {state.date.isoformat()}, "
            f"{state.side_names[entry['side']]}: move, {words})")
    journal[k] = shorter.to_dict()
    path = _write(tmp_path / "tampered.save", _reseal(doc))
    read_save(path)  # the digest matches: only the replay can tell
    err = _one_line_refusal(capsys, path)
    assert "unit " in words and "path " in words and " to " in words
    assert game.execute(shorter).ok
    assert err.endswith(f"replay differs at command {k + 1} of {len(journal)}: the checksum "
                        f"after it is {game.checksums[-1]}, the journal says "
                        f"{doc['journal_checksums'][k]} {when}"), err
    with pytest.raises(Diverged) as info:
        replay_journal(doc["setup"], *shared_context(), doc["seed"], journal,
                       doc["journal_checksums"])
    assert info.value.number == k + 1 and info.value.kind == "move"


def _version_2(doc: dict) -> dict:
    """The same game as a save of version 2 writes it: no checksum per command."""
    old = copy.deepcopy(doc)
    del old["journal_checksums"]
    old["version"] = 2
    old["digest"] = saves.save_digest(old)
    return old


def test_a_version_2_save_loads_verifies_and_plays_on(played_doc, tmp_path, capsys):
    path = _write(tmp_path / "old.save", _version_2(played_doc))
    session = Session.load(path)
    game = session.game
    assert game.checksums == [None] * len(game.journal)
    ok, why = verify_save(path, *shared_context())
    assert ok, why
    assert main(["replay", str(path)]) == 0
    assert ("save format: version 2, from before saves kept a checksum per command"
            in capsys.readouterr().out)
    # Played on and saved again, it keeps the checksums of the commands given since.
    assert session.execute(_move_of(game)).ok
    again = read_save(session.save(tmp_path / "again.save"))
    assert again["version"] == 3
    assert again["journal_checksums"][:-1] == [None] * (len(again["journal"]) - 1)
    assert again["journal_checksums"][-1] == game.checksums[-1] is not None
    assert verify_save(tmp_path / "again.save", *shared_context())[0]


def test_a_tampered_version_2_save_can_only_be_told_to_end_differently(played_doc, tmp_path,
                                                                      capsys):
    doc = _version_2(played_doc)
    k = next(i for i, c in enumerate(doc["journal"]) if c["kind"] == "entrench")
    del doc["journal"][k]
    path = _write(tmp_path / "old.save", _reseal(doc))
    err = _one_line_refusal(capsys, path)
    assert ("replay does not match" in err and "only the end can be told to differ" in err
            or "was refused" in err), err


@pytest.mark.parametrize("edit, fragment", [
    (lambda d: d.pop("journal_checksums"), 'missing the field "journal_checksums"'),
    (lambda d: d.update(journal_checksums="abc"),
     'field "journal_checksums" should be a list of checksums, not a string'),
    (lambda d: d["journal_checksums"].pop(),
     'field "journal_checksums" has {n1} checksums for {n} commands of the journal (one each)'),
    (lambda d: d["journal_checksums"].__setitem__(2, "nonsense"),
     ('field "journal_checksums" entry 3 should be a checksum of 32 hex digits or null, '
      "not 'nonsense'")),
    (lambda d: d["journal_checksums"].__setitem__(0, 12),
     ('field "journal_checksums" entry 1 should be a checksum of 32 hex digits or null, '
      "not a whole number")),
], ids=["missing", "text", "one short", "not hex", "a number"])
def test_checksums_of_the_wrong_shape_are_refused_in_one_line(played_doc, tmp_path, capsys,
                                                             edit, fragment):
    doc = copy.deepcopy(played_doc)
    edit(doc)
    path = _write(tmp_path / "bad.save", _reseal(doc))
    n = len(doc["journal"])
    fragment = fragment.format(n=n, n1=n - 1)
    with pytest.raises(SaveError) as info:
        Session.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and fragment in message and "\n" not in message
    assert fragment in _one_line_refusal(capsys, path)
