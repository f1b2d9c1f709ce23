"""The ``mesopotamia`` command (also ``python -m game``).

Front door of the program. Each sub-command parses its arguments, calls the engine, and
reports problems as one readable line on stderr with a non-zero exit, never a traceback.
Only the sub-commands that open a window or draw import ``game.ui`` (and so pygame), and only
when they run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap
from pathlib import Path

from tqdm import tqdm

from game import __version__
from game.ai import DIFFICULTIES
from game.bench import print_table, run_bench
from game.compare import compare, compare_lines
from game.hexmap import MapError, default_map
from game.pbem import PbemError, open_turn, parse_players, read_turn, start_game
from game.rules import default_rules
from game.saves import SaveError, describe_save, load_game, read_save, verify_save
from game.scenario import ScenarioError, bundled_paths, check_file, find_scenario, load_scenario, player_paths
from game.session import AITurn, Seat, fresh_seed
from game.simulate import simulate_many, summarise
from game.study import (
    StudyError,
    bench as study_bench,
    bench_lines,
    connect,
    open_study,
    plan as study_plan,
    run_study,
)
from game.study_report import write_report


class CommandError(Exception):
    """A problem the user can fix: printed as one line, exit status 1 (2 for bad arguments)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every error leaves by the same path."""

    def error(self, message: str):  # noqa: D401 - argparse's name
        raise CommandError(f"{self.prog}: {message}", status=2)


def _load_map():
    try:
        return default_map()
    except MapError as exc:
        raise CommandError(str(exc)) from None


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# -- map --------------------------------------------------------------------------------------


def cmd_map(args) -> int:
    modes = [m for m in (args.png, args.at, args.info, args.view) if m]
    if len(modes) != 1:
        raise CommandError("map: give exactly one of --png FILE, --at PLACE, --info or --view", status=2)
    if args.width is not None and not args.png:
        raise CommandError("map: --width goes with --png", status=2)
    hexmap = _load_map()
    if args.view:
        from game.ui.app import run_map_viewer  # the window: pygame, loaded only by the commands that draw

        return run_map_viewer(hexmap)

    if args.png:
        width = 2400 if args.width is None else args.width
        if not 200 <= width <= 16000:
            raise CommandError(f"map: --width must be between 200 and 16000 pixels, not {width}", 2)
        out = Path(args.png)
        if out.suffix.lower() != ".png":
            raise CommandError(f"map: {out}: the file name must end in .png", status=2)
        if not out.parent.exists():
            raise CommandError(f"map: {out.parent}: no such directory")
        # the window: pygame, loaded only by the commands that draw
        from game.ui.mapdraw import render_map_png

        try:
            size = render_map_png(hexmap, out, width)
        except OSError as exc:
            raise CommandError(f"map: {out}: cannot write ({exc.strerror or exc})") from None
        print(f"wrote {out} ({size[0]}x{size[1]} px)")
        return 0

    if args.at:
        try:
            h = hexmap.resolve_place(args.at)
        except MapError as exc:
            raise CommandError(f"map: {exc}") from None
        info = hexmap.describe_hex(h)
        if args.json:
            _print_json(info)
        else:
            _print_hex(info)
        return 0

    info = hexmap.info()
    if args.json:
        _print_json(info)
    else:
        _print_info(info)
    return 0


def _print_hex(info: dict) -> None:
    h, o, c = info["hex"], info["offset"], info["centre"]
    print(f"hex q={h['q']} r={h['r']} (col {o['col']}, row {o['row']}), centre {c['lat']}, {c['lon']}")
    print(
        f"  terrain {info['terrain']}, elevation {info['elevation_m']} m, "
        f"country {info['country'] or 'none (sea)'}"
    )
    if info["towns"]:
        print(f"  towns: {', '.join(info['towns'])}")
    for r in info["rivers"]:
        print(f"  river {r['river']} on the {r['side']} side")
    if info["roads"]:
        print(f"  roads: {', '.join(info['roads'])}")
    if info["crossing"]:
        print(f"  border crossing: {info['crossing']}")


def _print_info(info: dict) -> None:
    print(
        f"{info['title']}: {info['cols']} x {info['rows']} hexes of {info['hex_km']} km "
        f"({info['hexes']} in all), {info['projection']['name']}"
    )
    print("terrain: " + ", ".join(f"{k} {v}" for k, v in info["terrain_counts"].items()))
    print("countries: " + ", ".join(f"{k} {v}" for k, v in info["country_counts"].items()))
    print(
        f"{len(info['cities'])} cities, {len(info['rivers'])} rivers, "
        f"{len(info['lakes'])} lakes, {len(info['roads'])} roads, "
        f"{len(info['crossings'])} border crossings"
    )


# -- play -------------------------------------------------------------------------------------


def cmd_play(args) -> int:
    from game.ui.main import run_game  # the window: pygame, loaded only by the commands that draw

    options = parse_options(args.option, "play")
    if options and not args.scenario:
        raise CommandError("play: --option goes with a scenario: mesopotamia play SCENARIO --option ID=on", 2)
    if args.player is not None and args.pbem_dir is None:
        raise CommandError(
            "play: --player goes with --pbem-dir DIR: the folder to watch for the player's turns", 2
        )
    if args.pbem is not None or args.pbem_dir is not None:
        if args.scenario or args.load or args.side:
            raise CommandError(
                "play: --pbem FILE and --pbem-dir DIR play by e-mail alone: no scenario, --side or --load", 2
            )
        if args.pbem is not None:
            try:
                read_turn(args.pbem)  # a file that is not a turn file is named before a window opens
            except PbemError as exc:
                raise CommandError(f"play: {exc}") from None
        if args.pbem_dir is not None and not Path(args.pbem_dir).is_dir():
            raise CommandError(f"play: --pbem-dir {args.pbem_dir}: no such folder")
        return run_game(None, None, None, pbem=args.pbem, pbem_dir=args.pbem_dir, player=args.player)
    return run_game(args.scenario, args.side, args.load, options=options)


def cmd_edit(args) -> int:
    from game.ui.editor import run_editor  # the window: pygame, loaded only by the commands that draw

    path = args.file
    if path is not None and not path.endswith(".toml") and not Path(path).exists():
        found = find_scenario(path)  # a bundled scenario by its id
        if found is None:
            raise CommandError(f"edit: {path}: no such file or scenario (see: mesopotamia scenarios)")
        path = str(found)
    return run_editor(path)


# -- play by e-mail ---------------------------------------------------------------------------


def cmd_pbem(args) -> int:
    if args.pbem_command is None:
        raise CommandError("pbem: give new, show or play (mesopotamia pbem --help)", 2)
    return args.pbem_func(args)


def cmd_pbem_new(args) -> int:
    options = parse_options(args.option, "pbem new")
    level = args.difficulty.lower()
    if level not in DIFFICULTIES:
        raise CommandError(f"pbem new: --difficulty must be one of {', '.join(DIFFICULTIES)}", 2)
    if args.seed is not None and not 1 <= args.seed <= 2**63:
        raise CommandError("pbem new: --seed must be a whole number of 1 or more", 2)
    out = Path(args.out)
    if not out.parent.exists():
        raise CommandError(f"pbem new: {out.parent}: no such directory")
    path = find_scenario(args.scenario)
    if path is None:
        raise CommandError(f"pbem new: no scenario {args.scenario!r}; `mesopotamia scenarios` lists them")
    try:
        sc = load_scenario(path, _load_map(), options=options)
    except ScenarioError as exc:
        raise CommandError(f"pbem new: {exc.problems[0]}") from None
    try:
        seats, players = parse_players(args.side or [], sc)
    except ValueError as exc:
        raise CommandError(f"pbem new: --side {exc}", 2) from None
    if not players:
        raise CommandError("pbem new: name at least one player: --side SIDE=NAME", 2)
    seats = {s["id"]: seats.get(s["id"], Seat("ai", level)) for s in sc.sides}
    seed = args.seed if args.seed is not None else fresh_seed()
    try:
        tf = start_game(path, seats, players, out, seed, options)
    except (PbemError, ScenarioError, ValueError) as exc:
        said = exc.problems[0] if isinstance(exc, ScenarioError) else str(exc)
        raise CommandError(f"pbem new: {said}") from None
    print(f"wrote {tf.path}: a game of {tf.title} (seed {seed})")
    for line in tf.lines()[1:]:
        print(f"  {line}")
    if tf.side is not None:
        print(f"Send {tf.path.name} to {tf.player}, who plays {tf.side_name(tf.side)}.")
    return 0


def cmd_pbem_show(args) -> int:
    try:
        tf = read_turn(args.file)
    except PbemError as exc:
        raise CommandError(f"pbem show: {exc}") from None
    print(f"turn file: {tf.path}")
    for line in tf.lines():
        print(f"  {line}")
    return 0


def _passphrase(args, tf) -> str:
    if args.passphrase_file:
        try:
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                f"pbem play: {args.passphrase_file}: cannot read the passphrase ({exc})"
            ) from None
        return text.rstrip("\r\n")
    import getpass  # only when a person is asked

    return getpass.getpass(f"Passphrase of {tf.who(tf.side)}: ")


def cmd_pbem_play(args) -> int:
    try:
        tf = read_turn(args.file)
    except PbemError as exc:
        raise CommandError(f"pbem play: {exc}") from None
    if tf.over:
        raise CommandError(f"pbem play: {tf.path}: the game is over: open it in the window to see its end")
    out = Path(args.out) if args.out else tf.path.parent / "next.pbem"
    if not out.parent.exists():
        raise CommandError(f"pbem play: {out.parent}: no such directory")
    try:
        game = open_turn(tf.path, _passphrase(args, tf))
    except PbemError as exc:
        raise CommandError(f"pbem play: {exc}") from None
    for line in game.summary:
        print(line)
    assert game.side is not None
    turn = AITurn(game.session, game.side, threaded=False)
    while not turn.finished:
        turn.step()
    if not args.out:
        out = tf.path.parent / game.next_file_name()
    try:
        sent = game.end_turn(out)
    except PbemError as exc:
        raise CommandError(f"pbem play: {exc}") from None
    print(f"wrote {sent.path}: {sent.lines()[1]}")
    return 0


# -- replay and bench -------------------------------------------------------------------------


def cmd_replay(args) -> int:

    hexmap = _load_map()
    if args.verify:
        ok, message = verify_save(args.save, hexmap, default_rules())
        if not ok:
            raise CommandError(f"replay: {message}")
        print(message)
        return 0
    try:
        game = load_game(args.save, hexmap, default_rules())
        doc = read_save(args.save)
    except SaveError as exc:
        raise CommandError(f"replay: {exc}") from None
    print(f"save: {args.save}")
    for line in describe_save(game, doc):
        print(f"  {line}")
    return 0


def cmd_bench(args) -> int:
    figures = run_bench(quick=args.quick)
    if args.json:
        _print_json(figures)
    else:
        print_table(figures)
    return 0


# -- scenarios --------------------------------------------------------------------------------


def cmd_validate(args) -> int:
    hexmap = _load_map()
    bad = 0
    for path in args.files:
        problems = check_file(path, hexmap)
        if problems:
            bad += 1
            for line in problems:
                print(line, file=sys.stderr)
        else:
            print(f"{path}: valid")
    return 1 if bad else 0


def _scenario_summary(sc) -> dict:
    return {
        "id": sc.id,
        "title": sc.title,
        "start": sc.start.isoformat(),
        "end": sc.end.isoformat(),
        "turn_days": sc.turn_days,
        "turns": sc.turns,
        "sides": [s["id"] for s in sc.sides],
        "factions": [{"id": f["id"], "name": f["name"], "side": f["side"]} for f in sc.factions],
        "description": sc.description.strip(),
        # The scenario's what-if switches: id, title, what each changes, its default (history).
        "options": [o.to_dict() for o in sc.options],
    }


def _strengths(units: list[dict]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for u in units:
        book = out.setdefault(
            u["faction"],
            {"personnel": 0, "combat aircraft": 0, "other aircraft": 0, "warships": 0, "units": 0},
        )
        book["personnel"] += u["personnel"]
        book["units"] += 1
        for item in ("combat aircraft", "other aircraft", "warships"):
            book[item] += int(u.get("equipment", {}).get(item, 0))
    return out


def cmd_scenarios(args) -> int:
    hexmap = _load_map()
    if args.id is None:
        rows = []
        for path in bundled_paths():
            try:
                rows.append(_scenario_summary(load_scenario(path, hexmap)) | {"where": "bundled"})
            except ScenarioError as exc:
                raise CommandError(f"scenarios: {exc.problems[0]}") from None
        # The player's own (``$MESOPOTAMIA_HOME/scenarios/``): one that cannot be played is
        # named on stderr with its first problem, and the rest are listed.
        for path in player_paths():
            try:
                rows.append(_scenario_summary(load_scenario(path, hexmap)) | {"where": "player"})
            except ScenarioError as exc:
                more = len(exc.problems) - 1
                print(
                    f"mesopotamia: scenarios: {exc.problems[0]}"
                    + (f" (and {more} more)" if more > 0 else ""),
                    file=sys.stderr,
                )
        if args.json:
            _print_json(rows)
        else:
            for r in rows:
                mine = "  (yours)" if r["where"] == "player" else ""
                print(f"{r['id']:28s} {r['start']} to {r['end']}  {r['title']}{mine}")
        return 0
    found = find_scenario(args.id)
    if found is None:
        raise CommandError(f"scenarios: no scenario {args.id!r}; `mesopotamia scenarios` lists them")
    try:
        sc = load_scenario(found, hexmap)
    except ScenarioError as exc:
        raise CommandError(f"scenarios: {exc.problems[0]}") from None
    start = _strengths(sc.setup["units"])
    later = [
        u for e in sc.setup["events"] for a in e["actions"] if a["do"] == "add_units" for u in a["units"]
    ]
    whole = _strengths(sc.setup["units"] + later)
    info = _scenario_summary(sc)
    info["sides"] = [
        {"id": s["id"], "name": s["name"], "factions": [f["id"] for f in sc.factions if f["side"] == s["id"]]}
        for s in sc.sides
    ]
    info["factions"] = [
        {
            "id": f["id"],
            "name": f["name"],
            "side": f["side"],
            "leaders": f["leaders"],
            "nation": f["nation"],
            "category": f["category"],
            "at_start": start.get(f["id"], _strengths([]).get(f["id"], {})),
            "whole_scenario": whole.get(f["id"], {}),
        }
        for f in sc.factions
    ]
    info["history"] = sc.history
    if args.json:
        _print_json(info)
    else:
        print(f"{sc.title} ({sc.id}), {info['start']} to {info['end']}, {sc.turns} turns")
        for f in info["factions"]:
            s0, s1 = f["at_start"], f["whole_scenario"]
            print(
                f"  {f['name']:32s} {f['side']:10s} {s0.get('personnel', 0):>9,} people"
                f" -> {s1.get('personnel', 0):>9,} with reinforcements"
            )
        if sc.options:
            print("What-if switches (--option ID=on|off; off is history unless said):")
            for o in sc.options:
                history = "on" if o.default else "off"
                print(f"  {o.id:28s} {o.title} (history: {history})")
                for line in textwrap.wrap(" ".join(o.text.split()), 88):
                    print(f"      {line}")
    return 0


# -- simulate ---------------------------------------------------------------------------------


def parse_options(values: list[str] | None, command: str) -> dict[str, bool]:
    """``--option ID=on|off`` (repeatable) as a table of switch settings."""
    out: dict[str, bool] = {}
    for value in values or []:
        oid, sep, setting = value.partition("=")
        setting = setting.strip().lower()
        if not sep or not oid.strip() or setting not in ("on", "off"):
            raise CommandError(f"{command}: --option {value!r}: give ID=on or ID=off", 2)
        out[oid.strip()] = setting == "on"
    return out


def cmd_simulate(args) -> int:

    path = find_scenario(args.scenario)
    if path is None:
        raise CommandError(f"simulate: no scenario {args.scenario!r}; `mesopotamia scenarios` lists them")
    if args.difficulty not in DIFFICULTIES:
        raise CommandError(f"simulate: --difficulty must be one of {', '.join(DIFFICULTIES)}", 2)
    if args.runs < 1 or args.jobs < 1 or (args.turns is not None and args.turns < 1):
        raise CommandError("simulate: --runs, --jobs and --turns must be at least 1", 2)
    if args.save and not Path(args.save).parent.exists():
        raise CommandError(f"simulate: {Path(args.save).parent}: no such directory")
    options = parse_options(args.option, "simulate")
    if args.compare:
        return simulate_compare(args, path, options)
    try:
        sc = load_scenario(path, _load_map(), options=options)
    except ScenarioError as exc:
        raise CommandError(f"simulate: {exc.problems[0]}") from None
    seeds = [args.seed + k for k in range(args.runs)]
    bar, game_done, turned = _progress(args, sc, sc.id)

    def done(res):
        if args.json:
            print(json.dumps(res, ensure_ascii=False), flush=True)
        game_done(res)

    results = simulate_many(
        path, seeds, args.difficulty, args.turns, args.jobs, args.save, done, turned, options=options
    )
    if bar is not None:
        bar.close()
    if not args.json:
        if len(results) == 1:
            r = results[0]
            print(f"{sc.title}, seed {r['seed']}: {r['result']} (turn {r['turns']}, {r['date']})")
        print(summarise(results, sc.history))
        if args.save:
            print(f"saved to {args.save}" if len(results) == 1 else f"saved each run beside {args.save}")
    if args.plot:
        from game.ui.charts import casualty_chart  # the window: pygame, loaded only by the commands that draw

        casualty_chart(results, sc, args.plot)
        if not args.json:
            print(f"plot written to {args.plot}")
    return 0


def cmd_study(args) -> int:
    """``study``: many games on a Dask cluster, streamed to a folder; or its report again."""
    if args.bench:
        if args.scenario or args.out or args.report:
            raise CommandError("study: --bench measures alone: no scenario, --out or --report", 2)
        if args.runs is not None and args.runs < 2:
            raise CommandError("study: --bench needs --runs 2 or more", 2)
        try:
            b = study_bench(
                runs=8 if args.runs is None else args.runs, say=lambda t: print(t, file=sys.stderr)
            )
        except StudyError as exc:
            raise CommandError(f"study: {exc}") from None
        if args.json:
            _print_json(b)
        else:
            print("\n".join(bench_lines(b)))
        return 0
    if args.report is not None:
        if args.scenario or args.out:
            raise CommandError("study: --report DIR makes a study's report again: no scenario or --out", 2)
        try:
            path = write_report(Path(args.report))
        except StudyError as exc:
            raise CommandError(f"study: {exc}") from None
        print(f"report written to {path}")
        return 0
    if not args.scenario:
        raise CommandError("study: give a scenario (or --report DIR)", 2)
    if not args.out:
        raise CommandError("study: --out DIR is needed: the folder the results stream to", 2)
    if args.runs is None:
        args.runs = 100
    if args.runs < 1 or (args.turns is not None and args.turns < 1) or args.seed < 1:
        raise CommandError("study: --runs, --turns and --seed must be at least 1", 2)
    if args.local_workers is not None and args.local_workers < 1:
        raise CommandError("study: --local-workers must be at least 1", 2)
    if args.scheduler and args.local_workers is not None:
        raise CommandError("study: --scheduler ADDRESS or --local-workers K, not both", 2)
    if args.scheduler and not re.match(r"^(tcp|tls|inproc|ucx)://\S+$", args.scheduler):
        raise CommandError(
            f"study: --scheduler wants an address like tcp://HOST:8786, not {args.scheduler!r}", 2
        )
    if args.difficulty not in DIFFICULTIES:
        raise CommandError(f"study: --difficulty must be one of {', '.join(DIFFICULTIES)}", 2)
    options = parse_options(args.option, "study")
    try:
        p = study_plan(args.scenario, args.runs, args.seed, options, args.difficulty, args.turns)
    except ScenarioError as exc:
        raise CommandError(f"study: {exc.problems[0]}") from None
    except (StudyError, ValueError) as exc:
        raise CommandError(f"study: {exc}") from None
    out = Path(args.out)
    if not out.parent.exists():
        raise CommandError(f"study: {out.parent}: no such directory")
    try:
        finished = len(open_study(p, out))  # a folder of another study is refused before any work
        client = connect(args.scheduler, args.local_workers or 2)
    except StudyError as exc:
        raise CommandError(f"study: {exc}") from None
    where = args.scheduler or f"a local cluster of {args.local_workers or 2} workers"
    bar = tqdm(
        total=len(p.seeds),
        unit="game",
        desc=Path(p.path).stem,
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
    )
    bar.write(
        f"playing {len(p.seeds) - finished} games on {where}"
        + (f" ({finished} of {len(p.seeds)} already played)" if finished else "")
        + f"; results stream to {out / 'results.jsonl'}"
    )
    bar.n = finished

    def done(rec, n, of):
        bar.n = n
        bar.set_postfix_str(f"seed {rec['seed']}: {rec['winner'] or 'no winner'}")
        bar.refresh()

    try:
        records = run_study(p, out, client, done)
    except StudyError as exc:
        raise CommandError(f"study: {exc} (the finished games are kept in {out})") from None
    finally:
        bar.close()
        _close_client(client)
    print(f"{len(records)} games in {out / 'results.jsonl'}")
    try:
        print(f"report written to {write_report(out)}")
    except StudyError as exc:
        raise CommandError(f"study: {exc}") from None
    return 0


def _close_client(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def _progress(args, sc, desc: str, arms: int = 1):
    """A bar on stderr for ``simulate`` (none with --json or off a terminal), over turns when
    the games run here one after another, over games with --jobs; with the two callbacks that
    move it, for a game finished and a turn played."""
    bar = None
    if not args.json and sys.stderr.isatty():
        by_turn = args.jobs == 1 or args.runs == 1
        turns = sc.turns if args.turns is None else min(args.turns, sc.turns)
        bar = tqdm(
            total=arms * args.runs * (turns if by_turn else 1),
            unit="turn" if by_turn else "game",
            desc=desc,
            file=sys.stderr,
        )

    def game_done(_res):
        if bar is not None and bar.unit == "game":
            bar.update(1)

    def turned(_turn):
        if bar is not None and bar.unit == "turn":
            bar.update(1)

    return bar, game_done, turned


def simulate_compare(args, path, options: dict[str, bool]) -> int:
    """``simulate --compare ID``: history and the switch turned from it, on the same seeds."""
    oid = args.compare
    if oid in options:
        raise CommandError(
            f"simulate: --compare {oid} plays the switch both ways; leave out --option {oid}=...", 2
        )
    if args.save:
        raise CommandError("simulate: --save goes without --compare (it would save two games a seed)", 2)
    hexmap = _load_map()
    try:
        # History's setting of the switch (an id the scenario lacks is named here), then the
        # switch turned: each arm must make a scenario before any game is played.
        sc = load_scenario(path, hexmap, options=options | {oid: False})
        option = next(o for o in sc.options if o.id == oid)
        arms = options | {oid: option.default}, options | {oid: not option.default}
        load_scenario(path, hexmap, options=options | {oid: True})
    except ScenarioError as exc:
        raise CommandError(f"simulate: {exc.problems[0]}") from None
    seeds = [args.seed + k for k in range(args.runs)]
    bar, done, turned = _progress(args, sc, f"{sc.id} --compare {oid}", arms=2)

    history, switched = [
        simulate_many(path, seeds, args.difficulty, args.turns, args.jobs, None, done, turned, options=arm)
        for arm in arms
    ]
    if bar is not None:
        bar.close()
    result = compare(history, switched, sc.sides, option)
    if args.json:
        _print_json(result)
    else:
        print(compare_lines(result, sc.title))
    if args.plot:
        from game.ui.charts import compare_chart  # the window: pygame, loaded only by the commands that draw

        compare_chart(result, sc.title, args.plot)
        if not args.json:
            print(f"plot written to {args.plot}")
    return 0


# -- entry point ------------------------------------------------------------------------------


def _add_option_argument(p: argparse.ArgumentParser) -> None:
    """``--option ID=on|off``, as every command that starts games takes it (``parse_options``)."""
    p.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="ID=on|off",
        help="set one of the scenario's what-if switches (repeatable; `mesopotamia scenarios ID` lists them)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mesopotamia", description="Mesopotamia 2014-2021: a hex wargame of the war in Iraq and Syria."
    )
    parser.add_argument("--version", action="version", version=f"mesopotamia {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("play", help="open the game window: the main menu, a new game or a save")
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="start this scenario (an id or a .toml file) at once"
    )
    p.add_argument(
        "--side",
        action="append",
        metavar="SIDE=PLAYER",
        help="who plays a side or faction: human, ai, ai:easy, ai:normal or ai:hard "
        "(repeatable; of the sides not given, the first is a person unless one "
        "is given, the rest the AI)",
    )
    p.add_argument("--load", metavar="SAVE", help="open a saved game")
    _add_option_argument(p)
    p.add_argument(
        "--pbem",
        metavar="FILE",
        help="open a play-by-e-mail turn file (asks for the passphrase of the side to move)",
    )
    p.add_argument(
        "--pbem-dir",
        metavar="DIR",
        help="play by e-mail through a shared folder: watch it for your turn, open it when it comes, "
        "and write the next turn file there (with --pbem FILE: where the next file goes)",
    )
    p.add_argument("--player", metavar="NAME", help="with --pbem-dir: your name, whose turns to watch for")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("pbem", help="play by e-mail: start a game between machines, read a turn file")
    p.set_defaults(func=cmd_pbem, pbem_command=None)
    pbem = p.add_subparsers(dest="pbem_command", metavar="ACTION", parser_class=_Parser)
    q = pbem.add_parser("new", help="start a game for named players and write the first turn file")
    q.add_argument("scenario", metavar="SCENARIO", help="a scenario id or file")
    q.add_argument(
        "--side",
        action="append",
        metavar="SIDE=NAME",
        help="a side or faction and its player's name, or ai, ai:easy, ai:hard (repeatable; "
        "the sides not named are the computer's)",
    )
    q.add_argument("--out", required=True, metavar="FILE", help="where to write the first turn file")
    q.add_argument("--seed", type=int, help="the game's seed (a random one if not given)")
    q.add_argument(
        "--difficulty", default="normal", help="the computer's sides not named: easy, normal or hard"
    )
    _add_option_argument(q)
    q.set_defaults(pbem_func=cmd_pbem_new)
    q = pbem.add_parser("show", help="what a turn file says in clear: the game, the turn, who is to move")
    q.add_argument("file", metavar="FILE", help="a turn file")
    q.set_defaults(pbem_func=cmd_pbem_show)
    q = pbem.add_parser(
        "play", help="open a turn file, let the computer play the turn for its player, and write the next"
    )
    q.add_argument("file", metavar="FILE", help="a turn file")
    q.add_argument("--ai", action="store_true", required=True, help="the computer plays the turn (required)")
    q.add_argument(
        "--passphrase-file", metavar="F", help="read the passphrase from this file (else it is asked)"
    )
    q.add_argument(
        "--out", metavar="FILE", help="where to write the next turn file (beside FILE, named for it)"
    )
    q.set_defaults(pbem_func=cmd_pbem_play)

    p = sub.add_parser("edit", help="open the scenario editor on a file, or on a new scenario")
    p.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a scenario file or a bundled scenario's id (none: a new scenario)",
    )
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("map", help="draw the map, or look up a hex or the whole map")
    p.add_argument("--png", metavar="FILE", help="draw the whole map to a PNG file")
    p.add_argument("--width", type=int, metavar="PX", help="width of the PNG in pixels (2400)")
    p.add_argument(
        "--at",
        metavar="PLACE",
        help="the hex at a named city, at LAT,LON or at [Q, R] as a scenario writes it",
    )
    p.add_argument("--info", action="store_true", help="scale, size, terrain, cities, rivers, roads")
    p.add_argument("--view", action="store_true", help="open the map alone in a window to explore")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("validate", help="check scenario files and list every problem")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario files (.toml)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("scenarios", help="list the bundled scenarios and your own, or describe one")
    p.add_argument("id", nargs="?", metavar="ID", help="a scenario id")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("simulate", help="play a scenario AI against AI with no window")
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario id or file")
    p.add_argument("--seed", type=int, default=1, help="the first run's seed (1)")
    p.add_argument("--runs", type=int, default=1, help="how many games, seeds counting up (1)")
    p.add_argument("--jobs", type=int, default=1, help="processes to spread the runs over (1)")
    p.add_argument("--difficulty", default="normal", help="easy, normal or hard (normal)")
    p.add_argument("--turns", type=int, help="stop after this many turns")
    p.add_argument("--save", metavar="FILE", help="save the finished game (one file per run)")
    p.add_argument(
        "--plot", metavar="PNG", help="draw the casualties and the dated events beside the source's to a PNG"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per run, a line each")
    _add_option_argument(p)
    p.add_argument(
        "--compare",
        metavar="ID",
        help="play history and this switch turned from it on the same seeds, and set them side by side",
    )
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser(
        "study",
        help="play many games of a scenario on a Dask cluster, streamed to a folder, with a report",
        description="Needs the study extra: pip install -e '.[study]'.",
    )
    p.add_argument(
        "scenario", nargs="?", metavar="SCENARIO", help="a bundled scenario's id or a scenario file"
    )
    p.add_argument("--runs", type=int, help="games to play (default 100; with --bench, 8)")
    p.add_argument("--seed", type=int, default=1, help="the first game's seed; the others follow (default 1)")
    p.add_argument("--difficulty", default="normal", help="easy, normal or hard (default normal)")
    p.add_argument("--turns", type=int, help="play each game only this many turns")
    _add_option_argument(p)
    p.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler's address, tcp://HOST:PORT")
    p.add_argument(
        "--local-workers",
        type=int,
        metavar="K",
        help="play on a cluster of K worker processes on this machine (the default, with 2)",
    )
    p.add_argument("--out", metavar="DIR", help="the folder the results stream to; the same DIR goes on")
    p.add_argument("--report", metavar="DIR", help="make DIR/report.md again from its streamed results")
    p.add_argument(
        "--bench",
        action="store_true",
        help="measure runs a minute on 1 and 2 local workers (8 games, or --runs) and one campaign",
    )
    p.add_argument("--json", action="store_true", help="with --bench: print JSON")
    p.set_defaults(func=cmd_study)

    p = sub.add_parser("replay", help="describe a save file, or replay it to verify it")
    p.add_argument("save", metavar="SAVE", help="a save file")
    p.add_argument(
        "--verify", action="store_true", help="replay the commands from the start and compare the checksum"
    )
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("bench", help="time the engine's hot paths against their targets")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (for tests)")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        return args.func(args)
    except CommandError as exc:
        print(f"mesopotamia: {exc}" if not str(exc).startswith("mesopotamia") else str(exc), file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of our output went away (| head): not our error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
