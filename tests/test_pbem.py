"""Play by e-mail: a game between machines, each side's fog kept, tampering refused."""

import base64
import dataclasses
import gzip
import json
import re

import numpy as np
import pytest

from game import pbem
from game.cli import main
from game.commands import Command
from game.pbem import PbemError, open_turn, read_turn, record_key, start_game
from game.saves import save_digest
from game.session import AITurn, Seat, Session

SCENARIO = "2014-isis-offensive"  # three sides: Jihadists, Ba'athists, Coalition
SEED = 3
PLAYERS = {"baathist": "Bob", "coalition": "Carol"}  # the Jihadists are the computer's
PASSPHRASES = {"baathist": "bob's secret", "coalition": "carol's secret"}
TURNS = 5


def as_player(monkeypatch, tmp, name):
    """Each player has a machine of their own: their own game folder."""
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp / f"home-{name}"))


def same_view(a, b) -> bool:
    for f in dataclasses.fields(a):
        if not f.compare:
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            if not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """A three-sided game of several turns, played between files by two people (the AI giving
    each person's commands through the session), checked at each opening against the same
    game played hot-seat at one machine."""
    tmp = tmp_path_factory.mktemp("pbem")
    mp = pytest.MonkeyPatch()
    seats = {"jihadist": Seat("ai")}
    mp.setenv("MESOPOTAMIA_HOME", str(tmp / "home-maker"))
    first = start_game(SCENARIO, seats, PLAYERS, tmp / "turn-001.pbem", seed=SEED)
    hot = Session.new(SCENARIO, {"jihadist": Seat("ai"), "baathist": Seat("human"), "coalition": Seat("human")}, SEED)
    files = {1: first.path}
    checks = []
    path = first.path
    for _ in range(TURNS):
        tf = read_turn(path)
        as_player(mp, tmp, tf.player)
        game = open_turn(path, PASSPHRASES[tf.side])
        if tf.number == 3:  # Bob opens this turn a second time before playing it
            game = open_turn(path, PASSPHRASES[tf.side])
        journal = game.session.game.journal
        for entry in journal[len(hot.game.journal) :]:
            assert hot.execute(Command.from_dict(entry)).ok
        side = tf.side
        lines = hot.take_summary(side)
        checks.append(
            {
                "number": tf.number,
                "side": side,
                "view": same_view(game.session.view(side), hot.view(side)),
                "log": [e.text for e in game.session.logs[side]] == [e.text for e in hot.logs[side]],
                "summary": game.summary,
                "hot_summary": lines,
                "checksum": game.session.game.checksum() == hot.game.checksum(),
            }
        )
        turn = AITurn(game.session, side, threaded=False)
        while not turn.finished:
            turn.step()
        sent = game.end_turn(tmp / f"turn-{tf.number + 1:03d}.pbem")
        files[sent.number] = sent.path
        path = sent.path
    mp.undo()
    return {"tmp": tmp, "files": files, "checks": checks, "hot": hot}


def test_each_side_sees_across_files_what_it_sees_hot_seat(played):
    checks = played["checks"]
    assert [c["number"] for c in checks] == list(range(1, TURNS + 1))
    assert [c["side"] for c in checks] == ["baathist", "coalition"] * 2 + ["baathist"]
    for c in checks:
        assert c["checksum"] and c["view"] and c["log"], c["number"]
        # What happened since the side's last turn, as hot-seat's hand-over gives it, after
        # the open counts of the turns played since.
        counts = [line for line in c["summary"] if " opened turn " in line]
        assert c["summary"] == counts + c["hot_summary"]
        assert c["hot_summary"], "the other sides' moves are seen"
    # The open counts: Carol is told Bob opened turn 3 twice.
    assert "Bob (Ba'athists (Ba'athist Syria and its allies)) opened turn 1 once before playing it" in checks[1]["summary"]
    fourth = " ".join(checks[3]["summary"])
    assert "Bob (Ba'athists (Ba'athist Syria and its allies)) opened turn 3 twice before playing it" in fourth
    assert "played again until its dice pleased" in fourth


def test_a_turn_file_shows_nothing_of_the_game_in_clear(played):
    state = played["hot"].game.state
    unit_ids = [uid for uid in state.units if len(uid) >= 5]
    assert unit_ids
    for path in played["files"].values():
        blob = path.read_bytes()
        text = blob.decode("ascii")
        for uid in unit_ids:
            assert uid.encode() not in blob, (path.name, uid)
        assert not re.search(r"\[\s*-?\d+\s*,\s*-?\d+\s*\]", text), "a hex in clear"
        for word in ("journal", "end_turn", '"move"', "personnel", "setup", "seed", "checksum"):
            assert word not in text
        env = json.loads(text)
        assert set(env) == set(pbem._ENVELOPE_FIELDS) | {"to_move"}
        assert len(env["game"]) == 32 and env["scenario"] == SCENARIO


def _tamper(path, out, change):
    """Open a file's record with the key any copy of the game can derive, change it, seal it
    again as the game would: what someone who rewrites the program can do."""
    tf = read_turn(path)
    doc = pbem._unseal(tf)
    change(doc)
    doc["digest"] = save_digest(doc)
    env = {k: v for k, v in tf.envelope.items() if k != "record"}
    out.write_bytes(pbem._seal(dict(env, record=""), doc))
    assert record_key(tf.game_id) == pbem.record_key(tf.game_id)
    return out


def test_a_flipped_byte_is_refused_naming_the_turn(played, tmp_path, monkeypatch):
    as_player(monkeypatch, tmp_path, "Carol")
    text = played["files"][4].read_text()
    start = text.index('"record": "') + 40
    flipped = text[:start] + ("A" if text[start] != "A" else "B") + text[start + 1 :]
    bad = tmp_path / "flipped.pbem"
    bad.write_text(flipped)
    with pytest.raises(PbemError, match=r"flipped\.pbem: turn 4 \(Coalition, .*\): the file was changed or damaged"):
        open_turn(bad, PASSPHRASES["coalition"])
    # In the envelope: another date for the turn.
    changed = re.sub(r'"date": "2014-(\d\d)-(\d\d)"', r'"date": "2014-\1-01"', text)
    assert changed != text
    bad.write_text(changed)
    with pytest.raises(PbemError, match=r"turn 4 .*changed or damaged"):
        open_turn(bad, PASSPHRASES["coalition"])


def test_a_record_made_to_swell_is_refused_before_it_fills_the_memory(played, tmp_path, monkeypatch):
    """A record of a few hundred kilobytes that would open to more than any save holds, sealed
    with the key every copy can derive: refused in one line, not read into memory."""
    import base64
    import os
    import zlib

    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    as_player(monkeypatch, tmp_path, "Carol")
    tf = read_turn(played["files"][4])
    env = {k: v for k, v in tf.envelope.items() if k != "record"}
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip, made a megabyte at a time
    chunk = b" " * 2**20
    swollen = b"".join(squeeze.compress(chunk) for _ in range(pbem.MAX_RECORD_BYTES // 2**20 + 1))
    swollen += squeeze.flush()
    assert len(swollen) < 1_000_000
    nonce = os.urandom(12)
    sealed = ChaCha20Poly1305(record_key(tf.game_id)).encrypt(nonce, swollen, pbem._aad(env))
    env["record"] = base64.b64encode(nonce + sealed).decode("ascii")
    bad = tmp_path / "swollen.pbem"
    bad.write_text(json.dumps(env, indent=1) + "\n")
    with pytest.raises(PbemError, match=r"swollen\.pbem: turn 4 .*too large to be a game's"):
        open_turn(bad, PASSPHRASES["coalition"])


def test_a_swapped_command_or_a_changed_count_is_refused_naming_the_turn(played, tmp_path, monkeypatch):
    as_player(monkeypatch, tmp_path, "Carol")

    def swap(doc):
        rec = doc["extra"]["pbem"]["turns"][3]  # Bob's turn 3
        a, b = rec["journal"]
        moves = [k for k in range(a, b) if doc["journal"][k]["kind"] == "move"]
        i, j = moves[0], moves[-1]
        doc["journal"][i], doc["journal"][j] = doc["journal"][j], doc["journal"][i]

    bad = _tamper(played["files"][4], tmp_path / "swapped.pbem", swap)
    with pytest.raises(PbemError, match=r"swapped\.pbem: turn 3 \(Ba'athists.*\): .*command .*the file was changed"):
        open_turn(bad, PASSPHRASES["coalition"])

    def hide_fishing(doc):
        doc["extra"]["pbem"]["turns"][3]["opened"] = 1

    bad = _tamper(played["files"][4], tmp_path / "count.pbem", hide_fishing)
    with pytest.raises(PbemError, match=r"turn 3 \(Ba'athists.*\): the signature does not match the player's key \(Bob's\)"):
        open_turn(bad, PASSPHRASES["coalition"])


def test_a_skipped_turn_is_refused_naming_it(played, tmp_path, monkeypatch):
    as_player(monkeypatch, tmp_path, "Bob")

    def skip(doc):
        del doc["extra"]["pbem"]["turns"][2]

    bad = _tamper(played["files"][5], tmp_path / "skipped.pbem", skip)
    with pytest.raises(PbemError, match=r"turn 3 \(Ba'athists.*\): comes after turn 1: turn 2 is missing"):
        open_turn(bad, PASSPHRASES["baathist"])


def test_an_old_turn_and_a_wrong_passphrase_are_refused(played, monkeypatch):
    tmp = played["tmp"]
    as_player(monkeypatch, tmp, "Bob")  # Bob's machine has seen the game up to turn 6
    with pytest.raises(PbemError, match="this file is turn 3 but this game is already at turn 6 here: an old turn file"):
        open_turn(played["files"][3], PASSPHRASES["baathist"])
    as_player(monkeypatch, tmp, "Carol")
    with pytest.raises(PbemError, match=r"turn 6 \(Coalition, .*\): the passphrase is not Coalition's \(Carol's\)"):
        open_turn(played["files"][6], "not carol's")
    with pytest.raises(PbemError, match="the passphrase of Coalition \\(Carol\\) is needed"):
        open_turn(played["files"][6], None)


def test_a_second_version_of_a_turn_is_refused(played, tmp_path, monkeypatch):
    """A player who plays a turn twice and sends the second version is found out by the
    machine that saw the first."""
    tmp = played["tmp"]
    files = played["files"]
    as_player(monkeypatch, tmp_path, "Bob-again")
    # Bob, on another machine, plays turn 5 again from its file and sends a second turn 6.
    game = open_turn(files[5], PASSPHRASES["baathist"])
    game.end_turn(tmp_path / "turn-006-again.pbem")  # ends the turn with no move this time
    as_player(monkeypatch, tmp, "Carol")
    open_turn(files[6], PASSPHRASES["coalition"])  # the version Carol had
    with pytest.raises(PbemError, match="turn 5 .*is not the turn 5 this game had here: Ba'athists .*sent two different versions"):
        open_turn(tmp_path / "turn-006-again.pbem", PASSPHRASES["coalition"])


def test_the_game_record_inside_is_the_whole_game(played):
    tf = read_turn(played["files"][6])
    doc = pbem._unseal(tf)
    assert doc["format"] == "mesopotamia-save" and doc["seed"] == SEED
    turns = doc["extra"]["pbem"]["turns"]
    assert [t["number"] for t in turns] == list(range(6))
    assert turns[0]["side"] is None and turns[0]["computer"] == ["jihadist"]
    assert [t["side"] for t in turns[1:]] == ["baathist", "coalition"] * 2 + ["baathist"]
    assert all("key" in t for t in turns[1:3]) and not any("key" in t for t in turns[3:])
    assert turns[2]["computer"] == ["jihadist"] and turns[1]["computer"] == []
    hot = played["hot"].game.journal  # as far as the last turn opened
    assert doc["journal"][: len(hot)] == hot and len(doc["journal"]) > len(hot)


# -- the command line ------------------------------------------------------------------------


def test_pbem_new_show_and_a_turn_played_from_the_command_line(tmp_path, monkeypatch, capsys):
    as_player(monkeypatch, tmp_path, "maker")
    out = tmp_path / "first.pbem"
    assert main(["pbem", "new", "example-fall-of-mosul", "--side", "isis=Ann", "--side", "iraq=ai:hard",
                 "--seed", "9", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Jihadists to move, played by Ann" in said and "Send first.pbem to Ann" in said
    assert main(["pbem", "show", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "turn 1 (week 1)" in shown and "Jihadists to move, played by Ann" in shown
    assert "Iraq (the computer)" in shown
    secret = tmp_path / "ann.txt"
    secret.write_text("ann's passphrase\n")
    as_player(monkeypatch, tmp_path, "Ann")
    nxt = tmp_path / "second.pbem"
    assert main(["pbem", "play", str(out), "--ai", "--passphrase-file", str(secret), "--out", str(nxt)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert read_turn(nxt).number == 2 and read_turn(nxt).side == "jihadist"
    secret.write_text("someone else\n")
    assert main(["pbem", "play", str(nxt), "--ai", "--passphrase-file", str(secret)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "turn 2 (Jihadists," in err[0] and "the passphrase is not Jihadists' (Ann's)" in err[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["pbem"],
        ["pbem", "new", "example-fall-of-mosul", "--side", "isis=Ann"],  # no --out
        ["pbem", "new", "example-fall-of-mosul", "--side", "isis", "--out", "x.pbem"],
        ["pbem", "new", "example-fall-of-mosul", "--side", "martians=Ann", "--out", "x.pbem"],
        ["pbem", "new", "example-fall-of-mosul", "--side", "isis=ai", "--out", "x.pbem"],  # no player
        ["pbem", "new", "example-fall-of-mosul", "--side", "isis=Ann", "--side", "iraq=Ann", "--out", "x.pbem"],
        ["pbem", "new", "example-fall-of-mosul", "--side", "isis=Ann", "--difficulty", "brutal", "--out", "x.pbem"],
        ["pbem", "show"],
        ["pbem", "play", "x.pbem"],  # no --ai
        ["play", "--pbem", "x.pbem", "--load", "y.save"],
    ],
)
def test_a_malformed_pbem_command_line_exits_2(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) >= 1 and err[-1].startswith("mesopotamia")


def test_a_missing_or_corrupt_turn_file_is_one_clear_line(tmp_path, capsys):
    for content, words in [(None, "turn file not found"), (b"", "the turn file is empty"),
                           (b"{not json", "not a turn file"),
                           (gzip.compress(b"{}"), "not a turn file"),
                           (json.dumps({"format": "mesopotamia-turn", "version": 1}).encode(), "is missing or wrong")]:
        path = tmp_path / "turn.pbem"
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content)
        for argv in (["pbem", "show", str(path)], ["play", "--pbem", str(path)]):
            assert main(argv) == 1
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and "turn.pbem" in err[0] and words in err[0], err


def test_the_record_is_sealed_with_the_games_derivable_key(played):
    tf = read_turn(played["files"][2])
    raw = base64.b64decode(tf.envelope["record"])
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    blob = ChaCha20Poly1305(record_key(tf.game_id)).decrypt(raw[:12], raw[12:], pbem._aad(tf.envelope))
    assert json.loads(gzip.decompress(blob))["extra"]["pbem"]["game"] == tf.game_id


def test_the_folder_mode_finds_the_newest_turn_that_is_this_players(played, monkeypatch):
    tmp, files = played["tmp"], played["files"]
    as_player(monkeypatch, tmp, "Carol")
    got = pbem.find_turn(tmp, player="Carol")
    assert got is not None and got.path == files[6] and got.side == "coalition"
    assert pbem.find_turn(tmp, game_id=got.game_id, side="coalition").path == files[6]
    as_player(monkeypatch, tmp, "Bob")  # Bob sent turn 6: nothing is his to open
    assert pbem.find_turn(tmp, player="Bob") is None
    assert pbem.find_turn(tmp / "nowhere", player="Bob") is None


def test_a_turn_whose_file_cannot_be_written_is_written_again_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path / "home"))
    first = start_game(SCENARIO, {"jihadist": Seat("ai")}, PLAYERS, tmp_path / "turn-001.pbem", seed=SEED)
    game = open_turn(first.path, PASSPHRASES["baathist"])
    with pytest.raises(PbemError, match="no-such-folder"):
        game.end_turn(tmp_path / "no-such-folder" / "turn-002.pbem")
    sent = game.end_turn(tmp_path / "turn-002.pbem")  # the turn and the computer's moves played once
    assert sent.number == 2 and sent.side == "coalition"
    assert open_turn(sent.path, PASSPHRASES["coalition"]).summary


def test_a_first_turn_written_into_a_folder_is_named_for_its_game(tmp_path, monkeypatch):
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path / "home"))
    first = start_game(SCENARIO, {"jihadist": Seat("ai")}, PLAYERS, tmp_path, seed=SEED)
    game = open_turn(first.path, PASSPHRASES["baathist"])
    assert first.path.parent == tmp_path
    assert first.path.name == f"{SCENARIO}-{game.game_id[:8]}-turn-001.pbem"
    assert game.next_file_name() == f"{SCENARIO}-{game.game_id[:8]}-turn-002.pbem"


@pytest.mark.parametrize("players, said", [
    ({"baathist": "Bob", "coalition": "Bob"}, "a name of their own"),
    ({"baathist": "computer"}, "cannot name the player of baathist"),
    ({"baathist": "x" * 41}, "at most 40 characters"),
])
def test_a_game_is_not_started_for_players_it_could_not_tell_apart(players, said, tmp_path, monkeypatch):
    monkeypatch.setenv("MESOPOTAMIA_HOME", str(tmp_path / "home"))
    with pytest.raises(PbemError, match=said):
        start_game(SCENARIO, {}, players, tmp_path / "turn-001.pbem", seed=SEED)
    assert not (tmp_path / "turn-001.pbem").exists()
