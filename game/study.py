"""Studies at scale: many games of a scenario played on a Dask cluster, streamed to a folder as
each one ends, resumable, with a report to read.

Client layer. Nothing here plays a game its own way: each run is ``game.simulate.simulate_one``
on its seed, on whichever worker the cluster gives it, so a run's checksum is the one
``mesopotamia simulate --seed N`` prints for that seed, on any machine.

* ``plan``: the runs a study asks for (scenario, seeds, switches, difficulty, turns), written
  once to ``DIR/study.json``. A study started again with the same ``--out`` must ask for the
  same games; it then plays only the seeds not yet in ``DIR/results.jsonl``.
* ``run_one``: one game on a worker, summed up as one JSON-ready record (``record``): seed,
  switches, winner, the source's dated events as they came, losses by category and by faction,
  checksum, seconds, worker.
* ``run_study``: the runs handed to a Dask ``Client`` (a scheduler's address, or a
  ``LocalCluster`` of a few worker processes on this machine), each record appended to
  ``results.jsonl`` as its game ends and written to disk at once, so a study stopped at any
  moment keeps every finished game. A worker that dies takes its games with it; the scheduler
  gives them to another (a game is pure: played twice, it is the same game).
* ``read_results`` and ``game.study_report.write_report``: the report, ``DIR/report.md`` with
  its charts, from the records alone.

Dask (``distributed``) and matplotlib are the ``study`` extra (``pip install -e '.[study]'``):
the game plays without them, and ``need_study_extra`` says what to install when they are
missing.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game import __version__
from game.compare import loss_rows
from game.scenario import bundled_paths, example_paths, find_scenario, load_scenario
from game.simulate import simulate_one

PLAN_FILE = "study.json"
RESULTS_FILE = "results.jsonl"
REPORT_FILE = "report.md"
STUDY_VERSION = 1
EXTRA = "pip install -e '.[study]'"


class StudyError(Exception):
    """A study that cannot go on: the message says what and where, in one line."""


def need_study_extra(what: str = "a study") -> StudyError:
    return StudyError(f"{what} needs Dask and matplotlib, the 'study' extra: {EXTRA}")


# -- what a study asks for -------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    scenario: str  # a bundled scenario's id or a file, as given
    path: str  # the scenario file played
    seeds: tuple[int, ...]
    options: dict[str, bool]  # every switch's setting
    difficulty: str = "normal"
    turns: int | None = None
    sides: tuple[tuple[str, str], ...] = ()  # (id, name), for the report
    # How a worker finds the scenario, on whatever machine it runs: a bundled one by its file's
    # name (every copy of the game has it), any other as its text, sent with each game.
    bundled: str | None = None
    text: str | None = None

    def to_dict(self) -> dict:
        return {
            "version": STUDY_VERSION,
            "game_version": __version__,
            "scenario": self.scenario,
            "path": self.path,
            "seeds": list(self.seeds),
            "options": dict(self.options),
            "difficulty": self.difficulty,
            "turns": self.turns,
            "sides": dict(self.sides),
        }

    def same_games(self, other: dict) -> str | None:
        """None if ``other`` (a study.json) asks for these games; else what differs, in words."""
        mine = self.to_dict()
        for key, words in (
            ("scenario", "the scenario"),
            ("options", "the switches"),
            ("difficulty", "the difficulty"),
            ("turns", "--turns"),
        ):
            if other.get(key) != mine[key]:
                return f"{words}: {other.get(key)!r} there, {mine[key]!r} asked"
        have = other.get("seeds") or []
        if have != mine["seeds"][: len(have)] and mine["seeds"] != have[: len(mine["seeds"])]:
            return f"the seeds: {_seed_words(have)} there, {_seed_words(mine['seeds'])} asked"
        return None


def _seed_words(seeds: list[int]) -> str:
    if not seeds:
        return "none"
    return f"{seeds[0]}" if len(seeds) == 1 else f"{seeds[0]}-{seeds[-1]} ({len(seeds)})"


def plan(
    scenario: str,
    runs: int,
    seed: int = 1,
    options: dict[str, bool] | None = None,
    difficulty: str = "normal",
    turns: int | None = None,
) -> Plan:
    """The runs of a study: seeds ``seed`` .. ``seed + runs - 1``, as ``simulate --runs`` plays
    them; the switches checked against the scenario (ValueError naming those it has)."""
    path = find_scenario(scenario)
    if path is None:
        raise StudyError(f"no scenario {scenario!r}; `mesopotamia scenarios` lists them")
    sc = load_scenario(path, options=options or {})
    return Plan(
        scenario=str(scenario),
        path=str(path),
        seeds=tuple(seed + k for k in range(runs)),
        options=dict(sc.settings),
        difficulty=difficulty,
        turns=turns,
        sides=tuple((side["id"], side.get("name") or side["id"]) for side in sc.sides),
        bundled=path.stem if path in bundled_paths() + example_paths() else None,
        text=None if path in bundled_paths() + example_paths() else path.read_text(encoding="utf-8"),
    )


# -- one game -------------------------------------------------------------------------------------


def record(run: dict) -> dict:
    """What a study keeps of one game of ``simulate_one``: enough for the report, one line."""
    c = run["casualties"]
    return {
        "scenario": run["scenario"],
        "seed": run["seed"],
        "difficulty": run["difficulty"],
        "options": run["options"],
        "departs_from_history": run["departs_from_history"],
        "winner": run["winner"],
        "result": run["result"],
        "turns": run["turns"],
        "date": run["date"],
        "historical": run["historical"],
        "events": [
            {
                "id": e.get("id"),
                "what": e["what"],
                "source": e["source"],
                "game": e["game"],
                "window": e.get("window"),
                "on_time": e["on_time"],
                "defining": e["defining"],
            }
            for e in run["history"]
        ],
        "losses": [
            {"id": key, "label": label, "game": value, "source": src}
            for key, label, value, src in loss_rows(run)
        ],
        "factions": {
            fid: {
                "name": f["name"],
                "side": f["side"],
                "killed": f["killed"],
                "wounded": f["manpower"].get("wounded", 0),
                "captured": f["by_cause"].get("captured", 0),
                "deserted": f["by_cause"].get("deserted", 0),
            }
            for fid, f in c["factions"].items()
        },
        "checksum": run["checksum"],
        "seconds": run["seconds"],
    }


def run_one(
    scenario: str | None,
    text: str | None,
    seed: int,
    difficulty: str,
    turns: int | None,
    options: dict[str, bool],
) -> dict:
    """One game of the study, on whichever worker runs it: a bundled ``scenario`` by its file's
    name, or a scenario's ``text`` (written to a file of the worker's own while it plays)."""
    if text is None:
        path = find_scenario(str(scenario), paths=False)
        if path is None:
            raise StudyError(f"this worker has no scenario {scenario!r}: is the same game installed?")
        run = simulate_one(path, seed, difficulty, turns, options=options)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "scenario.toml"
            path.write_text(text, encoding="utf-8")
            run = simulate_one(path, seed, difficulty, turns, options=options)
    out = record(run)
    out["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    return out


# -- the folder ------------------------------------------------------------------------------------


def read_results(out: Path) -> list[dict]:
    """The records streamed to ``out``, one per seed (the first if a seed came twice); a record
    cut short by a stop is left out, and written again when its game is played again. A line
    that is no record at all is refused, with its number."""
    path = Path(out) / RESULTS_FILE
    if not path.exists():
        return []
    seen: dict[int, dict] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            bad = f"{path}:{n}: not a study's record (a line of JSON with a seed)"
            try:
                rec = json.loads(line)
                seed = int(rec["seed"])
            except ValueError:
                if line.startswith('{"'):
                    continue  # a record cut short when the study stopped: its game is played again
                raise StudyError(bad) from None
            except (KeyError, TypeError):
                raise StudyError(bad) from None
            seen.setdefault(seed, rec)
    return list(seen.values())


def open_study(p: Plan, out: Path) -> list[dict]:
    """Make ``out`` ready for the study ``p``: its plan written, or checked against the one there;
    the records already there."""
    out.mkdir(parents=True, exist_ok=True)
    plan_path = out / PLAN_FILE
    if plan_path.exists():
        try:
            there = json.loads(plan_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StudyError(f"{plan_path}: cannot be read ({exc})") from None
        differs = p.same_games(there)
        if differs:
            raise StudyError(
                f"{out} holds another study ({differs}): give another --out, or the same settings to go on"
            )
        if len(there.get("seeds", [])) > len(p.seeds):
            return [r for r in read_results(out) if r["seed"] in set(p.seeds)]
    plan_path.write_text(json.dumps(p.to_dict(), indent=1) + "\n", encoding="utf-8")
    return read_results(out)


def _append(out: Path, rec: dict) -> None:
    """One finished game, on disk before the next is taken in."""
    path = Path(out) / RESULTS_FILE
    with path.open("a", encoding="utf-8") as fh:
        if fh.tell() > 0:
            # A line cut short by a stop ends here: the new record starts a line of its own.
            with path.open("rb") as rb:
                rb.seek(-1, os.SEEK_END)
                if rb.read(1) != b"\n":
                    fh.write("\n")
        fh.write(json.dumps(rec, separators=(",", ":")) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


# -- the cluster -----------------------------------------------------------------------------------


def connect(scheduler: str | None = None, local_workers: int = 2):
    """A Dask client: to the scheduler at ``scheduler`` (``tcp://HOST:PORT``), or to a cluster
    of ``local_workers`` worker processes on this machine (one game at a time each)."""
    try:
        # The study extra, kept out of the game's own needs: imported only when a study runs.
        from distributed import Client, LocalCluster
    except ImportError:
        raise need_study_extra() from None
    if scheduler:
        try:
            return Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise StudyError(f"no Dask scheduler answers at {scheduler} ({exc})") from None
    cluster = LocalCluster(
        n_workers=local_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
        silence_logs=logging.ERROR,  # a worker lost on the way is the study's to say, in its words
    )
    return Client(cluster)


def _task_key(p: Plan, seed: int, token: str) -> str:
    """A game's name on the cluster, readable on its dashboard; ``token`` is new for each start
    of the study, so that a game cancelled by a stop is never mistaken for its next try."""
    sw = ",".join(f"{k}={int(v)}" for k, v in sorted(p.options.items()))
    return f"game-{Path(p.path).stem}-{seed}-{p.difficulty}-{p.turns}-{sw}-{token}"


def run_study(
    p: Plan,
    out: Path,
    client,
    on_result: Callable[[dict, int, int], None] | None = None,
) -> list[dict]:
    """Play the study ``p`` on ``client``, the runs already in ``out`` left out; each record is
    appended to ``out/results.jsonl`` as its game ends, and ``on_result(record, done, of)``
    hears of it. Returns every record of the study. A game that fails on a worker stops the
    study with its seed named (the finished ones are kept)."""
    try:
        # The study extra, kept out of the game's own needs: imported only when a study runs.
        from distributed import as_completed
    except ImportError:
        raise need_study_extra() from None
    out = Path(out)
    have = {r["seed"]: r for r in open_study(p, out)}
    todo = [s for s in p.seeds if s not in have]
    done = len(p.seeds) - len(todo)
    token = uuid.uuid4().hex[:8]
    # A scenario of one's own goes to the workers once, not with each of its games.
    text = client.scatter(p.text, broadcast=True) if p.text is not None and todo else p.text
    futures = [
        client.submit(
            run_one,
            p.bundled,
            text,
            seed,
            p.difficulty,
            p.turns,
            p.options,
            key=_task_key(p, seed, token),
            pure=False,
            retries=1,
        )
        for seed in todo
    ]
    try:
        for fut in as_completed(futures):
            try:
                rec = fut.result()
            except Exception as exc:  # the worker's error, with the game it was playing
                seed = todo[futures.index(fut)]
                raise StudyError(
                    f"the game on seed {seed} failed on a worker: {type(exc).__name__}: {exc}"
                ) from None
            if rec["seed"] in have:
                continue
            _append(out, rec)
            have[rec["seed"]] = rec
            done += 1
            if on_result is not None:
                on_result(rec, done, len(p.seeds))
    finally:
        for fut in futures:
            if not fut.done():
                fut.cancel()
    return [have[s] for s in p.seeds if s in have]


# -- how fast --------------------------------------------------------------------------------------


def bench(runs: int = 8, scenario: str = "2014-new-role", campaign: bool = True, say=None) -> dict:
    """Runs per minute on local clusters of 1 and 2 workers (``runs`` whole games of
    ``scenario``, the cluster's start not counted), and, with ``campaign``, one whole campaign
    timed on a worker: what a 1,000-run campaign study costs on N cores."""
    say = say or (lambda text: None)
    out: dict = {"scenario": scenario, "runs": runs, "cores": os.cpu_count()}
    for workers in (1, 2):
        client = connect(None, workers)
        try:
            p = plan(scenario, runs, seed=1)
            futures = [
                client.submit(run_one, p.bundled, p.text, s, p.difficulty, None, p.options, pure=False)
                for s in p.seeds
            ]
            t0 = time.perf_counter()
            client.gather(futures)
            wall = time.perf_counter() - t0
            out[f"runs_per_minute_{workers}w"] = round(60 * runs / wall, 2)
            say(f"{workers} worker{'s' if workers > 1 else ''}: {runs} games in {wall:.1f} s")
            if campaign and workers == 1:
                c = plan("campaign", 1, seed=1)
                t0 = time.perf_counter()
                client.submit(
                    run_one, c.bundled, c.text, 1, c.difficulty, None, c.options, pure=False
                ).result()
                out["campaign_seconds"] = round(time.perf_counter() - t0, 1)
                say(f"one campaign on a worker: {out['campaign_seconds']} s")
        finally:
            cluster = client.cluster
            client.close()
            cluster.close()
    one, two = out["runs_per_minute_1w"], out["runs_per_minute_2w"]
    out["scaling_2w"] = round(two / one, 2)  # 2.0: two workers play twice as many games
    if "campaign_seconds" in out:
        efficiency = min(1.0, out["scaling_2w"] / 2)
        out["campaign_1000_hours"] = {
            str(n): round(1000 * out["campaign_seconds"] / (n * (efficiency if n > 1 else 1.0)) / 3600, 2)
            for n in (1, 2, 8, 32, 128)
        }
    return out


def bench_lines(b: dict) -> list[str]:
    lines = [
        f"study_runs_per_minute, {b['runs']} whole games of {b['scenario']} on local workers "
        f"({b['cores']} cores here):",
        f"  1 worker:  {b['runs_per_minute_1w']:.1f} runs a minute",
        f"  2 workers: {b['runs_per_minute_2w']:.1f} runs a minute ({b['scaling_2w']:.2f}x)",
    ]
    if "campaign_seconds" in b:
        lines.append(f"one campaign game on a worker: {b['campaign_seconds']:.0f} s")
        lines.append(
            "1,000 campaign games, at the efficiency of 2 workers here: "
            + ", ".join(f"{n} cores {h:g} h" for n, h in b["campaign_1000_hours"].items())
        )
    return lines


__all__ = [
    "PLAN_FILE",
    "bench",
    "bench_lines",
    "REPORT_FILE",
    "RESULTS_FILE",
    "Plan",
    "StudyError",
    "connect",
    "need_study_extra",
    "open_study",
    "plan",
    "read_results",
    "record",
    "run_one",
    "run_study",
]
