"""Save files: round trips, the file's shape, atomic writes, every kind of bad file, and the
``replay`` and ``bench`` commands."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import numpy as np
import pytest

from game import saves
from game.cli import main
from game.commands import EndTurn, Entrench, Move
from game.movement import find_path, map_graph, movement_range, obstacles_for
from game.rules import default_rules
from game.saves import SaveError, load_game, save_game, verify_save
from game.state import state_checksum
from game.visibility import visible_units
from games import hexmap, mosul_game

FIELDS = {"format", "version", "game_version", "rules_version", "map", "setup", "seed",
          "journal", "journal_checksums", "state", "checksum", "saved_at_turn", "digest"}


def _advance(game, moves_per_side: int = 2) -> None:
    """Each side moves a few units to the far end of their range, then ends its turn."""
    state, graph = game.state, map_graph(game.hexmap)
    side = state.active_side
    moved = 0
    for unit in state.units_of_side(side):
        if moved == moves_per_side:
            break
        known = visible_units(state, game.hexmap, game.rules, side)
        obs = obstacles_for(graph, game.rules, unit, known, state.at_war_with, state.side_of)
        bases = state.factions[unit.faction].bases
        reach = movement_range(graph, game.rules, unit, obs, bases)
        if not reach or not game.rules.unit_type(unit.type).is_ground:
            continue
        target = max(reach, key=lambda h: (reach[h], h.q, h.r))
        path, _ = find_path(graph, game.rules, unit, target, obs, bases)
        assert game.execute(Move(side=side, unit=unit.id, path=path)).ok
        moved += 1
    for unit in state.units_of_side(side):
        if game.execute(Entrench(side=side, unit=unit.id)).ok:
            break
    assert game.execute(EndTurn(side=side)).ok


@pytest.fixture(scope="module")
def played():
    game = mosul_game(11)
    for _ in range(4):
        _advance(game)
    return game


@pytest.fixture
def good_save(played, tmp_path):
    return save_game(played, tmp_path / "mosul.save")


def _doc(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))


def _write_doc(path: Path, doc: dict) -> None:
    path.write_bytes(gzip.compress(json.dumps(doc).encode(), mtime=0))


def _reseal(doc: dict) -> dict:
    """What a tamperer who knows the format does after an edit: the state's checksum and the
    document's digest computed again."""
    doc["checksum"] = state_checksum(doc["state"])
    doc["digest"] = saves.save_digest(doc)
    return doc


def _snapshot(directory: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(directory.iterdir())}


# -- round trip and file shape -----------------------------------------------------------------

def test_save_then_load_gives_same_game(played, good_save):
    loaded = load_game(good_save, hexmap(), default_rules())
    assert loaded.checksum() == played.checksum()
    assert loaded.journal == played.journal and len(loaded.journal) > 8
    assert loaded.setup == played.setup and loaded.seed == played.seed
    assert not loaded.can_undo
    # The loaded game goes on exactly as the original would.
    from game.commands import replay_journal

    original = replay_journal(played.setup, hexmap(), default_rules(), played.seed, played.journal)
    _advance(original)
    _advance(loaded)
    assert loaded.checksum() == original.checksum()


def test_save_file_is_gzip_json_with_the_fields(played, good_save, tmp_path):
    raw = good_save.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    assert raw[3] & 0x08 == 0, "no file name in the gzip header"
    assert raw[4:8] == b"\0\0\0\0", "no time stamp in the gzip header"
    doc = _doc(good_save)
    assert FIELDS <= set(doc)
    assert doc["format"] == "mesopotamia-save" and doc["version"] == saves.SAVE_VERSION
    assert doc["map"] == hexmap().name and doc["rules_version"] == default_rules().version
    assert doc["seed"] == played.seed and doc["journal"] == played.journal
    assert doc["journal_checksums"] == played.checksums and None not in played.checksums
    assert doc["setup"] == played.setup
    assert doc["checksum"] == played.checksum() and doc["state"] == played.state.to_dict()
    assert doc["saved_at_turn"] == played.state.turn
    # Deterministic: the same game gives the same bytes.
    again = save_game(played, tmp_path / "again.save")
    assert again.read_bytes() == raw


def test_save_replaces_previous_save(played, tmp_path):
    path = tmp_path / "slot.save"
    game = mosul_game(11)
    save_game(game, path)
    first = path.read_bytes()
    save_game(played, path)
    assert path.read_bytes() != first
    assert load_game(path, hexmap(), default_rules()).checksum() == played.checksum()
    assert [p.name for p in tmp_path.iterdir()] == ["slot.save"]


def test_save_to_missing_directory_is_a_save_error(played, tmp_path):
    with pytest.raises(SaveError, match="no such directory"):
        save_game(played, tmp_path / "nowhere" / "x.save")


# -- atomic writes -----------------------------------------------------------------------------

class _HalfWriter:
    """A file that takes half of what it is given and then finds the disk full."""

    def __init__(self, f):
        self.f = f

    def write(self, data):
        self.f.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


@pytest.mark.parametrize("where", ["json.dumps", "write", "fsync", "replace"])
def test_failed_save_leaves_previous_save_whole(played, tmp_path, monkeypatch, where):
    path = tmp_path / "mosul.save"
    first = mosul_game(11)
    save_game(first, path)
    before = _snapshot(tmp_path)

    def boom(*args, **kwargs):
        raise OSError(5, "Input/output error (simulated)")

    if where == "json.dumps":
        monkeypatch.setattr(saves.json, "dumps", lambda *a, **k: (_ for _ in ()).throw(
            RuntimeError("crash while encoding")))
    elif where == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(saves.os, "fdopen", lambda *a, **k: _HalfWriter(real_fdopen(*a, **k)))
    elif where == "fsync":
        monkeypatch.setattr(saves.os, "fsync", boom)
    else:
        monkeypatch.setattr(saves.os, "replace", boom)
    with pytest.raises((SaveError, RuntimeError)) as info:
        save_game(played, path)
    if info.type is SaveError:
        assert str(path) in str(info.value) and "cannot save" in str(info.value)
    monkeypatch.undo()
    assert _snapshot(tmp_path) == before, "the previous save changed or a temporary file was left"
    assert load_game(path, hexmap(), default_rules()).checksum() == first.checksum()


# -- bad files ---------------------------------------------------------------------------------

def _random_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(np.random.default_rng(5).bytes(len(data)))


def _truncated(path: Path, data: bytes) -> None:
    path.write_bytes(data[: len(data) // 2])


def _bad_crc(path: Path, data: bytes) -> None:
    path.write_bytes(data[:-8] + bytes(b ^ 0xFF for b in data[-8:-4]) + data[-4:])


def _edited(path: Path, data: bytes) -> None:
    doc = json.loads(gzip.decompress(data))
    doc["state"]["units"][0]["personnel"] += 5000
    _write_doc(path, doc)


def _newer(path: Path, data: bytes) -> None:
    doc = json.loads(gzip.decompress(data))
    doc["version"] = 999
    _write_doc(path, doc)


def _plain_json(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.decompress(data))


def _gzip_text(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(b"Dear diary, today we took Mosul."))


def _other_format(path: Path, data: bytes) -> None:
    _write_doc(path, {"format": "some-other-game", "version": 1})


def _missing_seed(path: Path, data: bytes) -> None:
    doc = json.loads(gzip.decompress(data))
    del doc["seed"]
    _write_doc(path, doc)


def _string_journal(path: Path, data: bytes) -> None:
    doc = json.loads(gzip.decompress(data))
    doc["journal"] = "move, move, end turn"
    _write_doc(path, doc)


def _bad_command(path: Path, data: bytes) -> None:
    doc = json.loads(gzip.decompress(data))
    doc["journal"][0] = {"kind": "nuke", "side": "jihadist"}
    _write_doc(path, _reseal(doc))


BAD_FILES = [
    (_random_bytes, "not a save file"),
    (_truncated, "truncated"),
    (_bad_crc, "damaged or truncated"),
    (_edited, "edited or damaged"),
    (_newer, "made by a newer version"),
    (_plain_json, "not gzip-compressed"),
    (_gzip_text, "not JSON"),
    (_other_format, "not a save file (format is 'some-other-game'"),
    (_missing_seed, 'missing the field "seed"'),
    (_string_journal, 'field "journal" should be a list of commands, not a string'),
    (_bad_command, "journal entry 1 is not a command"),
]


@pytest.mark.parametrize("spoil,fragment", BAD_FILES, ids=[f.__name__[1:] for f, _ in BAD_FILES])
def test_bad_file_is_a_clear_save_error_and_changes_nothing(good_save, spoil, fragment):
    spoil(good_save, good_save.read_bytes())
    before = _snapshot(good_save.parent)
    with pytest.raises(SaveError) as info:
        load_game(good_save, hexmap(), default_rules())
    message = str(info.value)
    assert fragment in message
    assert str(good_save) in message and "\n" not in message
    ok, why = verify_save(good_save, hexmap(), default_rules())
    assert not ok and why == message
    assert _snapshot(good_save.parent) == before


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "gone.save"
    with pytest.raises(SaveError, match=f"{path}: save file not found"):
        load_game(path, hexmap(), default_rules())
    path.write_bytes(b"")
    with pytest.raises(SaveError, match="gone.save: the save file is empty"):
        load_game(path, hexmap(), default_rules())
    with pytest.raises(SaveError, match="is a directory"):
        load_game(tmp_path, hexmap(), default_rules())


def test_save_for_another_map_is_refused(good_save):
    doc = _doc(good_save)
    doc["map"] = "atlantis"
    _write_doc(good_save, _reseal(doc))
    with pytest.raises(SaveError, match="for the map 'atlantis'"):
        load_game(good_save, hexmap(), default_rules())


def test_verify_names_a_refused_command(good_save):
    doc = _doc(good_save)
    k = next(i for i, c in enumerate(doc["journal"]) if c["kind"] == "move")
    doc["journal"][k]["unit"] = "nobody"
    _write_doc(good_save, _reseal(doc))
    ok, why = verify_save(good_save, hexmap(), default_rules())
    assert not ok
    assert f"command {k + 1} (move) was refused: no unit 'nobody'" in why


# -- the replay command ------------------------------------------------------------------------

def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_replay_verify_good_save(capsys, played, good_save):
    status, out, err = run(capsys, "replay", good_save, "--verify")
    assert status == 0 and err == ""
    n = len(played.journal)
    assert out.strip() == f"replay verified: {n} commands, checksum {played.checksum()}"


@pytest.mark.parametrize("which", ["first", "last", "first move"])
def test_replay_verify_tampered_journal_fails_in_one_line(capsys, good_save, which):
    doc = _doc(good_save)
    if which == "first":
        k = 0
    elif which == "last":
        k = len(doc["journal"]) - 1
    else:
        k = next(i for i, c in enumerate(doc["journal"]) if c["kind"] == "move")
    del doc["journal"][k], doc["journal_checksums"][k]  # as one who knows the format would
    _write_doc(good_save, _reseal(doc))
    status, out, err = run(capsys, "replay", good_save, "--verify")
    assert status == 1 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert str(good_save) in err
    assert ("replay does not match" in err or "was refused" in err
            or f"replay differs at command {k + 1} of {len(doc['journal'])}: " in err), err


def test_replay_verify_bad_file(capsys, tmp_path):
    path = tmp_path / "junk.save"
    path.write_bytes(b"not a save at all")
    status, out, err = run(capsys, "replay", path, "--verify")
    assert status == 1 and "not a save file" in err and len(err.strip().splitlines()) == 1
    status, out, err = run(capsys, "replay", path)
    assert status == 1 and "not a save file" in err and "Traceback" not in err


def test_replay_summary(capsys, played, good_save):
    status, out, err = run(capsys, "replay", good_save)
    assert status == 0 and err == ""
    s = played.state
    assert s.title in out and s.scenario_id in out
    assert f"turn {s.turn} of {s.end_turn}, {s.date.isoformat()}" in out
    assert f"{s.side_names[s.active_side]} to move" in out
    assert f"commands: {len(played.journal)}" in out
    assert played.checksum() in out


# -- the bench command -------------------------------------------------------------------------

def test_bench_json_quick(capsys):
    status, out, err = run(capsys, "bench", "--json", "--quick")
    assert status == 0, err
    figures = json.loads(out)
    for key in ("movement_range_ms", "supply_all_factions_ms", "save_ms", "load_ms",
                "map_load_ms"):
        f = figures[key]
        assert {"median", "max", "target", "runs"} <= set(f)
        assert f["median"] is None or 0 <= f["median"] <= f["max"]
    assert figures["movement_range_ms"]["target"] == 0.15
    assert figures["movement_range_ms"]["hexes"] > 200  # open country: a wide range
    assert figures["save_ms"]["target"] == figures["load_ms"]["target"] == 100
    assert all(f["what"] for f in figures.values())
    # Beside their floors: scipy's own searches, a bare blit.
    for key in ("movement_range_ms", "supply_all_factions_ms", "battle_frame_ms"):
        f = figures[key]
        if f["median"] is None:
            continue  # the window could not be measured here: said in its note
        assert f["floor_ms"] > 0 and f["floor_what"]
        assert f["ratio"] == pytest.approx(f["median"] / f["floor_ms"], rel=0.01)
    turn, big = figures["ai_turn_ms"], figures["ai_turn_ms_4x"]
    assert (turn["target"], turn["target_max"]) == (400, 1000)
    assert turn["ok"] == (turn["median"] < 400 and turn["max"] < 1000)
    assert big["runs"] == turn["runs"]
    assert big["target"] == pytest.approx(4.5 * turn["median"], abs=0.1)
    assert big["ratio"] == pytest.approx(big["median"] / turn["median"], abs=0.01)
    assert big["ok"] == (big["median"] < big["target"])
    rss = figures["peak_rss_mb"]
    assert rss["target"] == 200 and 20 < rss["median"] < 4000  # megabytes, not kibibytes
    assert rss["seconds"] > 0 and rss["turns"] >= 1
    assert figures["first_frame_ms"]["target"] == 1000


def test_bench_game_is_big_and_legal():
    from game.bench import bench_game

    game = bench_game(hexmap(), default_rules())
    s = game.state
    assert 280 <= len(s.units) <= 320 and len(s.factions) >= 12 and len(s.sides) == 3
    for u in s.units.values():
        ut = default_rules().unit_type(u.type)
        assert hexmap().terrain_at(u.hex) in ut.enters
        if ut.is_ground:
            assert hexmap().country_at(u.hex) in {"IRQ", "SYR", *s.factions[u.faction].bases}


@pytest.mark.parametrize("edit,fragment", [
    (lambda u: u.update(type="flying_carpet"), "unknown unit type 'flying_carpet'"),
    (lambda u: u.update(hex=[-500, 3]), "off the map"),
    (lambda u: u.update(personnel="lots"), "personnel should be a whole number, not a string"),
    (lambda u: u.update(wounded=-3), "wounded is -3, out of range"),
    (lambda u: u.update(shaken=1.5), "shaken should be a whole number, not a number"),
    (lambda u: u.pop("faction"), 'is missing "faction"'),
])
def test_hand_made_state_with_recomputed_checksum_is_refused(good_save, edit, fragment):
    """A digest proves no accident, not good faith: what would break the engine is checked."""
    doc = _doc(good_save)
    edit(doc["state"]["units"][0])
    _write_doc(good_save, _reseal(doc))
    with pytest.raises(SaveError) as info:
        load_game(good_save, hexmap(), default_rules())
    assert fragment in str(info.value) and str(good_save) in str(info.value)
