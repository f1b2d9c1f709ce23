#!/usr/bin/env python3
"""Map benchmarks: how long loading the map asset and common look-ups take. Prints figures."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.hexmap import HexMap  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> int:
    loads = timed(HexMap.load, 30)
    m = HexMap.load()
    print(f"map {m.cols}x{m.rows} hexes of {m.hex_km:g} km")
    print(f"load:            median {statistics.median(loads):7.2f} ms   max {max(loads):7.2f} ms"
          f"   first {loads[0]:7.2f} ms  (target: well under 100 ms)")
    places = [c.name for c in m.cities]
    look = timed(lambda: [m.resolve_place(p) for p in places], 20)
    print(f"resolve {len(places)} city names: median {statistics.median(look):7.3f} ms")
    hexes = list(m.all_hexes())
    desc = timed(lambda: [m.describe_hex(h) for h in hexes[::50]], 5)
    print(f"describe {len(hexes[::50])} hexes: median {statistics.median(desc):7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
