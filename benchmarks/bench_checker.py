#!/usr/bin/env python3
"""Scenario checker benchmark: seconds to check the worst files up to the size limit.

Prints figures; asserts nothing. Usage:

    python benchmarks/bench_checker.py [--repeat N]

Each file is filled up to ``MAX_FILE_BYTES`` with one thing a careless author or a fuzzer might
write thousands of times: units (valid, stacked, with unknown places or types, by latitude and
longitude), inline unit tables, air wings, dotted keys of the most parts allowed, keys, strings
of spaces and backslashes, a chain of events each waiting for the next; and the bundled
scenarios as they are. For each, the best of N checks (``check_text``: reading, locating and
validating), the problems found and the first of them. The checker's promise is under a second
for each.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from game.hexmap import HexMap
from game.scenario import MAX_FILE_BYTES, MAX_KEY_PARTS, check_text

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "scenarios/examples/fall-of-mosul.toml").read_text()


def filled(before: str, piece, room: int | None = None) -> str:
    """The example with ``piece`` (text, or a function of a count) repeated before ``before``,
    up to the size limit."""
    room = MAX_FILE_BYTES - len(BASE.encode()) - 64 if room is None else room
    parts, size, i = [], 0, 0
    while True:  # every piece holds some text
        p = piece(i) if callable(piece) else piece
        if size + len(p.encode()) > room:
            break
        parts.append(p)
        size += len(p.encode())
        i += 1
    return BASE.replace(before, "".join(parts) + before, 1)


def unit(place: str, type_: str = "militia", faction: str = "iraq") -> str:
    return f'[[units]]\ntype = "{type_}"\nfaction = "{faction}"\nplace = {place}\npersonnel = 1000\n\n'


def files() -> dict[str, str]:
    key = ".".join(["a"] * (MAX_KEY_PARTS - 1))  # with k0: the most parts allowed
    return {
        "units, stacked": filled("[[reinforcements]]", unit('"Baghdad"')),
        "units, spread": filled("[[reinforcements]]", lambda i: unit(f"[{40 + i % 60}, {10 + i // 60}]")),
        "units, unknown places": filled("[[reinforcements]]", lambda i: unit(f'"Mosul{i}"')),
        "units, unknown types": filled("[[reinforcements]]", lambda i: unit('"Mosul"', f"tank{i}", f"iraq{i}")),
        "units, by LAT,LON": filled("[[reinforcements]]", unit('"33.3,44.4"')),
        "inline unit tables": filled("[[reinforcements]]", '[[reinforcements]]\nturn = 2\nunits = ['
                                     + '{type="militia",faction="iraq",place="Baghdad",personnel=1000},' * 20 + "]\n"),
        "air wings": filled("[[reinforcements]]", '[[reinforcements]]\nturn=2\nunits=[{type="air_wing",'
                            'faction="iraq",place="Baghdad",personnel=500,equipment={"combat aircraft"=5}}]\n'),
        f"dotted keys of {MAX_KEY_PARTS} parts": filled("[[sides]]", lambda i: f"k{i}.{key} = 1\n"),
        "keys": filled("[[sides]]", lambda i: f"k{i} = 1\n"),
        "a string of spaces": BASE.replace(
            "[[sides]]", 'note = "' + " " * (MAX_FILE_BYTES - len(BASE) - 64) + '"\n[[sides]]', 1),
        "a string of backslashes": BASE.replace(
            "[[sides]]", 'note = "' + "\\\\" * ((MAX_FILE_BYTES - len(BASE) - 64) // 2) + '"\n[[sides]]', 1),
        "events in a chain": filled("[[victory]]", lambda i: f'[[events]]\nid = "e{i}"\ntrigger = {{ event = '
                                    f'"e{i + 1}" }}\nactions = [{{ do = "message", text = "x" }}]\n'),
        **{p.name: p.read_text() for p in sorted((ROOT / "scenarios").glob("*.toml"))},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="checks of each file (the best counts)")
    args = ap.parse_args()
    hexmap = HexMap.load()
    check_text(BASE, "warm.toml", hexmap)
    print(f"size limit {MAX_FILE_BYTES:,} bytes")
    worst = 0.0
    for name, text in files().items():
        best, problems = float("inf"), []
        for _ in range(args.repeat):
            start = time.perf_counter()
            _, problems = check_text(text, "f.toml", hexmap)
            best = min(best, time.perf_counter() - start)
        worst = max(worst, best)
        first = problems[0][:90] if problems else "valid"
        print(f"{name:36} {len(text.encode()) / 1000:6.0f} KB {best:6.2f} s  {len(problems):4} problems  {first}")
    print(f"worst {worst:.2f} s")


if __name__ == "__main__":
    main()
