"""No-fly zones as a scenario declares them and the state keeps them: a list of hexes, or a
centre (a town, "LAT,LON" or [q, r]) and a radius.

State floor: read when a game's state is set up and when an event or an order declares a zone;
what a zone does to flights is ``game.air``'s.
"""

from __future__ import annotations

from game.hexgrid import Hex, hex_range
from game.hexmap import HexMap, MapError


def expand_zone(hexmap: HexMap, centre: str | list | tuple, radius: int) -> list[list[int]]:
    """The hexes of a zone given by a centre (a town, "LAT,LON" or [q, r]) and a radius."""
    if isinstance(centre, (list, tuple)):
        c = Hex(int(centre[0]), int(centre[1]))
    else:
        c = hexmap.resolve_place(str(centre))  # raises MapError with a readable reason
    return sorted([h.q, h.r] for h in hex_range(c, int(radius)) if hexmap.in_bounds(h))


def zone_from_setup(z: dict, hexmap: HexMap, sides, where: str) -> tuple[dict | None, list[str]]:
    """A zone of a setup (or a scenario event) as the state keeps it, or the problems."""
    problems = []
    if not isinstance(z, dict):
        return None, [f"{where}: expected a table with id, name, side and hexes or centre"]
    zid = z.get("id")
    if not isinstance(zid, str) or not zid:
        problems.append(f"{where}.id: missing")
    if z.get("side") not in sides:
        problems.append(f"{where}.side: unknown side {z.get('side')!r}")
    hexes: list[list[int]] = []
    if "hexes" in z:
        for j, v in enumerate(z["hexes"] or []):
            try:
                h = Hex(int(v[0]), int(v[1]))
            except (TypeError, ValueError, IndexError):
                problems.append(f"{where}.hexes[{j}]: expected [q, r], got {v!r}")
                continue
            if not hexmap.in_bounds(h):
                problems.append(f"{where}.hexes[{j}]: {h.q},{h.r} is off the map")
            else:
                hexes.append([h.q, h.r])
    elif "centre" in z:
        radius = z.get("radius")
        if not isinstance(radius, int) or isinstance(radius, bool) or radius < 0:
            problems.append(f"{where}.radius: expected a whole number of hexes, got {radius!r}")
        else:
            try:
                hexes = expand_zone(hexmap, z["centre"], radius)
            except MapError as exc:
                problems.append(f"{where}.centre: {exc}")
    else:
        problems.append(f"{where}: needs hexes, or a centre and a radius")
    if problems:
        return None, problems
    return {
        "id": zid,
        "name": str(z.get("name") or zid),
        "side": z["side"],
        "hexes": [list(p) for p in sorted({(q, r) for q, r in hexes})],
    }, []


__all__ = ["expand_zone", "zone_from_setup"]
