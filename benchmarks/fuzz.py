#!/usr/bin/env python3
"""Fuzzing: mutated scenarios and saves fed to the checker and the loader, and valid ones played.

Prints figures; asserts nothing. Usage:

    python benchmarks/fuzz.py [--inputs N] [--seed S] [--kind scenario|save|both] [--jobs J]
                              [--turns T] [--timeout SECONDS] [--out FOLDER]

* ``--inputs N`` (default 1,000) inputs of each kind: mutated copies of the bundled scenarios
  (``scenarios/*.toml`` and ``scenarios/examples/*.toml``) and of saves made here by playing
  the small example scenarios two turns, AI against AI (``tests/fuzzing.py`` says which
  mutations: numbers, types, deleted and doubled keys and tables, unknown ids, dates, stacking,
  deep nesting, long strings, damaged bytes; saves with their checksum made again as a
  tamperer would, or not).
* Each scenario goes through ``load_scenario``, the checker of ``mesopotamia validate``; each
  save through ``read_save`` and ``load_game`` (``replay``), ``Session.load`` (``play --load``)
  and ``verify_save`` (``replay --verify``). A valid file's first ``--turns`` turns (default 2)
  are then played, AI against AI, as ``simulate`` plays them.
* Counted: clean refusals (the checker's or the loader's own error, one line a problem, each
  naming the file), valid files, tracebacks (any other exception) grouped by exception and by
  the innermost place in the game's code, slow inputs (over 1 s to check or load; the time to
  play a save's journal again is given apart, as it grows with the game), inputs cut off at
  ``--timeout`` seconds (default 60, checking and playing together), refusals whose lines break
  the promise (several lines in one, not naming the file) or have no line number, saves that
  load but whose replay is refused, and, in the turns played: crashes, AI commands refused and
  casualty books that do not balance.
* Every input behind a traceback, a crash, a time-out, a slow check or a broken line is written
  to ``--out`` (default: a new temporary folder), up to 5 of a group, beside a ``.txt`` saying
  how it was made and what happened; ``findings.json`` lists them all. Input number K of a seed
  is the same file on every run: ``--seed S --kind scenario --first K --inputs 1`` makes it
  again.

Exit status 0 whatever the inputs did (this prints figures); 1 only if the fuzzer itself cannot
run (no saves to start from); 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import fuzzing  # noqa: E402  (tests/fuzzing.py: the mutations, shared with tests/test_fuzz.py)
import pool  # noqa: E402

from game.hexmap import HexMap  # noqa: E402
from game.rules import default_rules  # noqa: E402

SLOW = 1.0  # seconds: an input that takes longer to check or load is slow
KEEP = 5  # inputs written to --out for each group of findings
SUFFIX = {"scenario": ".toml", "save": ".save"}

# Set up in the parent before the workers fork, shared with them.
CTX: dict = {}


def make_input(kind: str, seed: int, index: int) -> tuple[bytes, str, str]:
    """Input ``index`` of ``kind`` for ``seed``: (bytes, the file it was made from, how)."""
    rnd = random.Random(f"{seed}:{kind}:{index}")
    if kind == "scenario":
        base = rnd.choice(fuzzing.SCENARIO_FILES)
        raw, what = fuzzing.mutate_scenario(CTX["bases"][base], rnd)
        return raw, str(base.relative_to(ROOT)), what
    base = rnd.choice(sorted(CTX["saves"]))
    raw, what = fuzzing.mutate_save(CTX["saves"][base], rnd)
    return raw, base, what


FUZZER_ERROR = "fuzzer error"


def _blank(kind: str, index: int, base: str, what: str, status: str) -> dict:
    return {"kind": kind, "index": index, "base": base, "what": what, "status": status,
            "bytes": 0, "seconds": 0.0, "verify_seconds": 0.0, "problems": 0, "first": "",
            "bad_lines": [], "no_line": [], "n_no_line": 0, "error": "", "where": "",
            "trace": "", "notes": [], "play": None}


def _remake(kind: str, index: int) -> tuple[bytes, str, str]:
    try:
        return make_input(kind, CTX["seed"], index)
    except Exception as exc:  # noqa: BLE001
        return b"", "?", f"the fuzzer failed: {type(exc).__name__}: {exc}"


def _first_line(lines: list[str]) -> str:
    return lines[0] if lines else ""


def _game_key(setup, state_dict) -> str:
    blob = json.dumps([setup, state_dict], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def work(task, report) -> dict:
    kind, index = task
    hexmap, rules = CTX["map"], CTX["rules"]
    try:
        raw, base, what = make_input(kind, CTX["seed"], index)
    except Exception as exc:  # noqa: BLE001 - a fault of the fuzzer, counted apart
        return _blank(kind, index, "?", f"the fuzzer failed: {type(exc).__name__}: {exc}",
                      FUZZER_ERROR)
    path = Path(CTX["scratch"]) / f"{kind}-{index:05d}{SUFFIX[kind]}"
    path.write_bytes(raw)
    try:
        out = fuzzing.check_scenario(path, hexmap, rules) if kind == "scenario" else \
            fuzzing.check_save(path, hexmap, rules)
        res = {"kind": kind, "index": index, "base": base, "what": what, "bytes": len(raw),
               "status": out.status, "seconds": out.seconds, "verify_seconds": out.verify_seconds,
               "steps": out.steps,
               "problems": len(out.problems), "first": _first_line(out.problems)[:300],
               "bad_lines": out.bad_lines[:3], "no_line": out.no_line[:3],
               "n_no_line": len(out.no_line), "error": out.error, "where": out.where,
               "trace": out.trace, "notes": out.notes, "play": None}
        report(res)
        if out.status == fuzzing.OK and CTX["turns"] > 0:
            res["play"] = play(out, report, res)
        return res
    finally:
        path.unlink(missing_ok=True)


def play(out, report, res) -> dict:
    """The first turns of a valid file; a game already played by this worker is not again."""
    key = _game_key(out.setup, out.game.state.to_dict())
    if key in CTX["played"]:
        return {"status": "same game as an input played before", "index": CTX["played"][key]}
    CTX["played"][key] = res["index"]
    res["play"] = {"status": "playing"}
    report(res)
    t = time.perf_counter()
    try:
        refused, books = fuzzing.play_turns(out.game, out.setup, CTX["turns"])
    except Exception as exc:  # noqa: BLE001 - what the fuzzer is for
        return {"status": "crash", "error": f"{type(exc).__name__}: {str(exc)[:200]}",
                "where": fuzzing.where_in_game(exc), "seconds": time.perf_counter() - t,
                "trace": "".join(__import__("traceback").format_exception(exc))[-4000:]}
    return {"status": "played", "refused": refused[:5], "n_refused": len(refused),
            "books": {k: list(v) if isinstance(v, tuple) else v for k, v in books.items()},
            "seconds": time.perf_counter() - t, "turn": out.game.state.turn}


def _init() -> None:
    CTX["played"] = {}


# -- the report ------------------------------------------------------------------------------------

def finding_groups(results: list[dict]) -> dict[tuple, list[dict]]:
    """Inputs worth a look, grouped: (what, exception, where) -> results."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in results:
        k = r["kind"]
        if r["status"] == FUZZER_ERROR:
            groups[(k, "fuzzer error", "", "")].append(r)
        if r["status"] == pool.TIMED_OUT:
            groups[(k, "timed out", "", r.get("phase", ""))].append(r)
        elif r["status"] == pool.DIED:
            groups[(k, "worker died", "", r.get("phase", ""))].append(r)
        elif r["status"] == fuzzing.TRACEBACK:
            phase = "replay --verify" if "in replay --verify" in r["notes"] else "check/load"
            groups[(k, "traceback " + phase, r["error"].split(":")[0], r["where"])].append(r)
        if r["seconds"] > SLOW and r["status"] not in (pool.TIMED_OUT, pool.DIED):
            groups[(k, "slow (over 1 s)", "", "")].append(r)
        if r["bad_lines"]:
            groups[(k, "refusal line breaks the format", "", "")].append(r)
        p = r.get("play") or {}
        if p.get("status") == "playing":
            groups[(k, "timed out in the first turns", "", "")].append(r)
        if p.get("status") == "crash":
            groups[(k, "crash in the first turns", p["error"].split(":")[0], p["where"])].append(r)
        if p.get("n_refused"):
            reason = re.sub(r"'[^']*'|\d+", "_", p["refused"][0])[:70]
            groups[(k, "AI commands refused", reason, "")].append(r)
        if p.get("books"):
            groups[(k, "casualty books do not balance", "", "")].append(r)
    return groups


def _describe(r: dict) -> str:
    return f"{r['kind']} #{r['index']} (from {r['base']}): {r['what'][:160]}"


def write_findings(out: Path, groups: dict, results: list[dict]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    listed = []
    for n, (key, rs) in enumerate(sorted(groups.items(), key=lambda kv: -len(kv[1])), 1):
        slug = re.sub(r"[^A-Za-z0-9]+", "-", " ".join(key))[:80].strip("-")
        folder = out / f"{n:02d}-{slug}"
        folder.mkdir(exist_ok=True)
        for r in rs[:KEEP]:
            raw, _, _ = _remake(r["kind"], r["index"])
            name = f"{r['kind']}-{r['index']:05d}"
            (folder / (name + SUFFIX[r["kind"]])).write_bytes(raw)
            p = r.get("play") or {}
            text = [_describe(r), f"status: {r['status']}, {r['seconds']:.2f} s",
                    f"steps: {json.dumps({k: round(v, 3) for k, v in r['steps'].items()})}"
                    if r.get("steps") else "",
                    f"error: {r['error']} at {r['where']}" if r["error"] else "",
                    f"first problem: {r['first']}" if r["first"] else "",
                    "lines that break the format: " + " | ".join(r["bad_lines"])
                    if r["bad_lines"] else "",
                    "lines with no line number: " + " | ".join(r["no_line"])
                    if r["no_line"] else "",
                    f"notes: {r['notes']}" if r["notes"] else "",
                    f"play: {json.dumps({k: v for k, v in p.items() if k != 'trace'})}"
                    if p else "", r["trace"], p.get("trace", "")]
            (folder / (name + ".txt")).write_text("\n".join(t for t in text if t) + "\n")
        listed.append({"group": list(key), "count": len(rs),
                       "inputs": [{"kind": r["kind"], "index": r["index"], "base": r["base"],
                                   "what": r["what"], "error": r["error"] or
                                   (r.get("play") or {}).get("error", ""),
                                   "where": r["where"] or (r.get("play") or {}).get("where", ""),
                                   "seconds": round(r["seconds"], 3)} for r in rs]})
    (out / "findings.json").write_text(json.dumps({"seed": CTX["seed"], "groups": listed},
                                                  indent=1) + "\n")


def summary(kind: str, rs: list[dict]) -> list[str]:
    c = Counter(r["status"] for r in rs)
    slow = [r for r in rs if r["seconds"] > SLOW]
    lines = [f"{kind}s: {len(rs)} inputs: {c[fuzzing.REFUSED]} refused cleanly, "
             f"{c[fuzzing.OK]} valid, {c[fuzzing.TRACEBACK]} tracebacks, {len(slow)} slow "
             f"(over {SLOW:g} s), {c[pool.TIMED_OUT]} timed out, {c[pool.DIED]} killed"
             + (f", {c[FUZZER_ERROR]} the fuzzer could not make" if c[FUZZER_ERROR] else "")]
    refused = [r for r in rs if r["status"] == fuzzing.REFUSED]
    broken = sum(bool(r["bad_lines"]) for r in rs)
    no_line = [r for r in refused if r["n_no_line"]]
    lines.append(f"  refusals: {broken} with a line that breaks the format (several lines in "
                 f"one, not naming the file); {len(no_line)} with a line that has no line number")
    if no_line:
        # Grouped by what they say, their figures left out (a size, a count).
        seen = Counter(re.sub(r"\d[\d,]*", "N", re.sub(r"^\S+?: ", "", r["no_line"][0]))[:90]
                       for r in no_line)
        for text, n in seen.most_common(5):
            lines.append(f"    {n:5d}x  {text}")
    if kind == "save":
        loose = sum("loads, but replay --verify refuses it" in r["notes"] for r in rs)
        play_refuses = sum(any(n.startswith("loads, but play --load") for n in r["notes"])
                           for r in rs)
        lines.append(f"  loaded although replay --verify refuses them (setup, seed or journal "
                     f"changed): {loose}; loaded by replay but refused by play --load: "
                     f"{play_refuses}")
        steps: dict[str, list[float]] = defaultdict(list)
        for r in rs:
            for name, secs in (r.get("steps") or {}).items():
                steps[name].append(secs)
        verify = [r["verify_seconds"] for r in rs if r["verify_seconds"]]
        if verify:
            steps["verify_save"] = verify
        lines.append("  seconds a step took, median and slowest: " + "; ".join(
            f"{name} {sorted(v)[len(v) // 2]:.3f} and {max(v):.2f}" for name, v in steps.items()))
    plays = [r["play"] for r in rs if r.get("play")]
    played = [p for p in plays if p["status"] in ("played", "crash")]
    if plays:
        crashes = sum(p["status"] == "crash" for p in played)
        refused_cmds = sum(bool(p.get("n_refused")) for p in played)
        books = sum(bool(p.get("books")) for p in played)
        cut = sum(p["status"] == "playing" for p in plays)
        lines.append(f"  first {CTX['turns']} turns of the valid ones: {len(played)} games "
                     f"played ({len(plays) - len(played) - cut} the same game as another), "
                     f"{crashes} crashed, {cut} cut off by the time limit, {refused_cmds} with "
                     f"AI commands refused, {books} with books that do not balance")
    times = sorted(r["seconds"] for r in rs if r["status"] not in (pool.TIMED_OUT, pool.DIED))
    if times:
        lines.append(f"  time to check or load: median {times[len(times) // 2] * 1000:.0f} ms, "
                     f"slowest {times[-1]:.2f} s")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=1000, help="inputs of each kind")
    ap.add_argument("--first", type=int, default=0, help="number of the first input")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kind", choices=("scenario", "save", "both"), default="both")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--turns", type=int, default=2, help="turns to play of each valid input")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds an input may take")
    ap.add_argument("--out", type=Path, default=None, help="folder for the inputs found")
    args = ap.parse_args(argv)
    if args.inputs < 0 or args.jobs < 1 or args.timeout <= 0 or args.turns < 0:
        ap.error("--inputs, --turns must be 0 or more; --jobs and --timeout more than 0")
    t0 = time.perf_counter()
    CTX.update(map=HexMap.load(), rules=default_rules(), seed=args.seed, turns=args.turns,
               bases={p: p.read_bytes() for p in fuzzing.SCENARIO_FILES}, played={})
    kinds = ["scenario", "save"] if args.kind == "both" else [args.kind]
    with tempfile.TemporaryDirectory(prefix="mesopotamia-fuzz-") as scratch:
        CTX["scratch"] = scratch
        if "save" in kinds:
            try:
                saves = fuzzing.make_base_saves(Path(scratch) / "bases")
            except Exception as exc:  # noqa: BLE001 - the fuzzer cannot start
                print(f"fuzz: cannot make the saves to start from: {type(exc).__name__}: {exc}",
                      file=sys.stderr)
                return 1
            CTX["saves"] = {p.name: p.read_bytes() for p in saves}
        tasks = [(k, i) for i in range(args.first, args.first + args.inputs) for k in kinds]
        results = []
        step = max(1, len(tasks) // 10)
        for (kind, index), res, seconds in pool.run(tasks, work, args.jobs, args.timeout,
                                                    _init):
            if isinstance(res, tuple):  # timed out or died: what it had done by then
                status, part = res
                _, base, what = _remake(kind, index)
                res = dict(part) if part else _blank(kind, index, base, what, status)
                res["phase"] = ("checking" if not part else
                                "playing" if (part.get("play") or {}).get("status") == "playing"
                                else "after checking")
                if part and res["phase"] == "playing":
                    res["play"] = {"status": "playing"}  # the check went through
                else:
                    res["status"] = status
                res["seconds"] = seconds if res["phase"] == "checking" else res.get("seconds", 0)
            results.append(res)
            if len(results) % step == 0:
                print(f"  ... {len(results)}/{len(tasks)} inputs, "
                      f"{time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    wall = time.perf_counter() - t0
    out = args.out or Path(tempfile.mkdtemp(prefix="mesopotamia-fuzz-findings-"))
    groups = finding_groups(results)
    write_findings(out, groups, results)
    print(f"fuzz: seed {args.seed}, inputs {args.first}-{args.first + args.inputs - 1} of "
          f"{' and '.join(kinds)}, {args.jobs} job{'s' if args.jobs != 1 else ''}, "
          f"{args.turns} turns played of each valid input, {wall:.0f} s")
    for kind in kinds:
        print("\n".join(summary(kind, [r for r in results if r["kind"] == kind])))
    if groups:
        print("findings (count, kind, what, exception, where; e.g. one input):")
        for key, rs in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
            kind, what, exc, where = key
            r = rs[0]
            detail = r["error"] or (r.get("play") or {}).get("error", "") or r["first"]
            print(f"  {len(rs):5d}  {kind:8s} {what}: {exc} {where}".rstrip())
            print(f"         e.g. #{r['index']} from {r['base']}: {r['what'][:110]}")
            if detail:
                print(f"         -> {detail[:150]}")
    else:
        print("findings: none")
    slow = sorted((r for r in results if r["seconds"] > SLOW), key=lambda r: -r["seconds"])
    for r in slow[:10]:
        print(f"  slow: {r['seconds']:6.2f} s  {_describe(r)}")
    print(f"inputs found: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
