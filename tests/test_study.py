"""mesopotamia study: games on a Dask cluster (a local one of two worker processes here),
streamed to a folder, a worker killed on the way, a study stopped and taken up again, the
report drawn, and each game the one simulate plays on its seed."""

from __future__ import annotations

import json
import os
import signal

import pytest

from game.cli import main
from game.scenario import find_scenario
from game.simulate import simulate_one
from game.study import RESULTS_FILE, StudyError, connect, plan, read_results, run_study
from game.study_report import write_report

SCENARIO = "2014-new-role"


@pytest.fixture(scope="module")
def client():
    """A cluster of two worker processes on the loopback, for the module."""
    c = connect(local_workers=2)
    yield c
    cluster = c.cluster
    c.close()
    cluster.close()


def _checksums(seeds, turns, options=None) -> dict[int, str]:
    path = find_scenario(SCENARIO)
    return {s: simulate_one(path, s, turns=turns, options=options)["checksum"] for s in seeds}


def test_a_worker_killed_mid_study_loses_no_game_and_repeats_none(client, tmp_path):
    p = plan(SCENARIO, 4, seed=9301, turns=2)
    killed = []

    def kill_a_busy_worker(rec, done, of):
        if killed:
            return
        busy = [w for w, keys in client.processing().items() if keys]
        pids = client.run(os.getpid)
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)  # as a machine that dies would
            killed.append(busy[0])

    records = run_study(p, tmp_path, client, kill_a_busy_worker)
    assert killed, "no worker was busy to kill"
    lines = [json.loads(x) for x in (tmp_path / RESULTS_FILE).read_text().splitlines()]
    assert sorted(r["seed"] for r in lines) == list(p.seeds)  # each seed once
    assert [r["seed"] for r in records] == list(p.seeds)
    # The same game on any worker as simulate plays on the seed.
    assert {r["seed"]: r["checksum"] for r in lines} == _checksums(p.seeds, 2)
    assert len({r["worker"] for r in lines}) >= 2


def test_a_stopped_study_goes_on_where_it_stopped(client, tmp_path):
    switches = {"iraq-stays": True}
    p = plan(SCENARIO, 4, seed=9311, turns=2, options=switches)
    heard = []

    def stop_after_two(rec, done, of):
        heard.append(rec["seed"])
        if len(heard) == 2:
            raise KeyboardInterrupt  # Ctrl-C at the terminal

    with pytest.raises(KeyboardInterrupt):
        run_study(p, tmp_path, client, stop_after_two)
    first = read_results(tmp_path)
    assert sorted(r["seed"] for r in first) == sorted(heard)
    # A line cut short as the study stopped is left out, and its game played again.
    with (tmp_path / RESULTS_FILE).open("a") as fh:
        fh.write('{"scenario": "2014-new-role", "seed": 93')
    again = []
    records = run_study(p, tmp_path, client, lambda rec, done, of: again.append((rec["seed"], done, of)))
    assert sorted(s for s, _, _ in again) == sorted(set(p.seeds) - set(heard))
    assert [d for _, d, _ in again] == [3, 4] and {of for _, _, of in again} == {4}
    assert sorted(r["seed"] for r in read_results(tmp_path)) == list(p.seeds)
    assert [r["seed"] for r in records] == list(p.seeds)
    assert all(r["options"]["iraq-stays"] and r["departs_from_history"] == ["iraq-stays"] for r in records)
    assert {r["seed"]: r["checksum"] for r in records} == _checksums(p.seeds, 2, switches)
    # Another study is refused in that folder, naming what differs; a longer one goes on.
    with pytest.raises(StudyError, match="--turns: 2 there, 3 asked"):
        run_study(plan(SCENARIO, 4, seed=9311, turns=3, options=switches), tmp_path, client)
    more = run_study(plan(SCENARIO, 5, seed=9311, turns=2, options=switches), tmp_path, client)
    assert [r["seed"] for r in more] == list(range(9311, 9316))


def test_the_report_is_made_from_the_streamed_results(client, tmp_path):
    p = plan(SCENARIO, 4, seed=9321, turns=2)
    run_study(p, tmp_path, client)
    path = write_report(tmp_path)
    text = path.read_text()
    for heading in ("## Who wins", "## The source's dated events", "## Losses by category",
                    "## Where the runs disagree most"):
        assert heading in text
    assert "4 runs, seeds 9321-9324" in text and "Iraq turns on the coalition" in text
    assert "| Military killed |" in text and "7,500" not in text.split("| Military killed |")[0]
    for chart in ("wins.png", "events.png", "losses.png"):
        assert (tmp_path / chart).stat().st_size > 5000 and f"({chart})" in text
    summary = json.loads((tmp_path / "summary.json").read_text())
    military = next(x for x in summary["losses"] if x["id"] == "military_killed")
    values = sorted(r["losses"][0]["game"] for r in read_results(tmp_path))
    assert military["median"] == (values[1] + values[2]) / 2 and military["source"] > 0
    # The command makes it again from the folder alone.
    path.unlink()
    assert main(["study", "--report", str(tmp_path)]) == 0 and path.exists()


def test_the_command_line_of_a_study(tmp_path, capsys):
    assert main(["study", "--report", str(tmp_path / "nothing")]) == 1
    assert "no study here" in capsys.readouterr().err
    bad = [
        ["study", SCENARIO, "--runs", "2"],  # no --out
        ["study", SCENARIO, "--out", str(tmp_path / "s"), "--runs", "0"],
        ["study", SCENARIO, "--out", str(tmp_path / "s"), "--scheduler", "tcp://h:1", "--local-workers", "2"],
        ["study", SCENARIO, "--out", str(tmp_path / "s"), "--scheduler", "h:1"],
        ["study", SCENARIO, "--out", str(tmp_path / "s"), "--option", "iraq-stays=maybe"],
        ["study", SCENARIO, "--out", str(tmp_path / "s"), "--difficulty", "brutal"],
        ["study"],
        ["study", "--bench", "--runs", "0"],
        ["study", "--bench", SCENARIO],
    ]
    for args in bad:
        assert main(args) == 2, args
        err = capsys.readouterr().err.strip()
        assert err.startswith("mesopotamia: study:") and "\n" not in err, err
    assert main(["study", "nosuch", "--out", str(tmp_path / "s")]) == 1
    assert "no scenario 'nosuch'" in capsys.readouterr().err


def test_a_scenario_of_ones_own_is_sent_to_the_workers_with_its_games(client, tmp_path):
    """A file only this machine has: the workers play its text, and get the games simulate
    plays from the file."""
    mine = tmp_path / "my-mosul.toml"
    mine.write_text(find_scenario("fall-of-mosul").read_text(encoding="utf-8"), encoding="utf-8")
    p = plan(str(mine), 2, seed=9331, turns=3)
    assert p.bundled is None and p.text
    records = run_study(p, tmp_path / "out", client)
    assert {r["seed"]: r["checksum"] for r in records} == {
        s: simulate_one(mine, s, turns=3)["checksum"] for s in p.seeds
    }
    assert plan(SCENARIO, 1).bundled == SCENARIO and plan(SCENARIO, 1).text is None
