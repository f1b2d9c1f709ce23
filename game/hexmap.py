"""The map of Iraq and Syria: numpy layers over one rectangular grid of hexes.

Engine layer (no pygame). The asset in ``assets/maps/`` is written by ``tools/build_map.py``
from real geography and read here with numpy and json alone:

* ``<name>.json``: metadata (scale, projection, layout), the cities, roads and border
  crossings, and where each layer lies in the binary file;
* ``<name>.bin``: the raw layers (terrain, mean elevation, country, road links);
* ``<name>-hydro.json``: rivers along hexsides and lakes, derived from GSHHG/WDBII data under
  the LGPL-3 and so kept in a file of its own.

Storage is an odd-r offset rectangle (``array[row, col]``, row 0 in the north); algorithms work
in axial ``Hex`` coordinates. The two meet here and nowhere else: ``HexMap.index`` and
``indices`` (for numpy arrays of hexes), ``hex_at``, ``in_bounds``, with hexgrid's formulas.
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from game import ASSETS_DIR
from game.geo import LambertConformal
from game.hexgrid import (
    DIRECTION_NAMES,
    DIRECTIONS,
    POINTY,
    Hex,
    Layout,
    axial_oddr_arrays,
    axial_to_oddr,
    oddr_to_axial,
    opposite,
)

DEFAULT_MAP = "mesopotamia"
MAPS_DIR = ASSETS_DIR / "maps"

# Terrain codes in the terrain layer; the order is part of the asset format.
TERRAINS = ("sea", "lake", "marsh", "desert", "steppe", "hills", "mountains", "urban")
SEA, LAKE, MARSH, DESERT, STEPPE, HILLS, MOUNTAINS, URBAN = range(len(TERRAINS))
TERRAIN_LABELS = {
    "sea": "Sea",
    "lake": "Lake",
    "marsh": "Marsh",
    "desert": "Desert",
    "steppe": "Steppe and farmland",
    "hills": "Hills",
    "mountains": "Mountains",
    "urban": "Urban",
}
WATER_TERRAINS = (SEA, LAKE)
NO_COUNTRY = 0


class MapError(Exception):
    """A map asset that cannot be read, or a place that is not on the map."""


@dataclass(frozen=True)
class City:
    id: str
    name: str
    lat: float
    lon: float
    population: int
    country: str  # ISO 3166 alpha-3 code
    hex: Hex


@dataclass(frozen=True)
class River:
    id: int
    name: str
    sides: tuple[tuple[Hex, int], ...]  # (hex, direction) for each hexside, source to mouth


@dataclass(frozen=True)
class Lake:
    name: str
    hexes: tuple[Hex, ...]


@dataclass(frozen=True)
class Road:
    id: int
    name: str
    label: str
    hexes: tuple[Hex, ...]  # centre to centre, in order


@dataclass(frozen=True)
class Crossing:
    name: str
    countries: tuple[str, str]  # (inside Iraq or Syria, the neighbour)
    hex: Hex  # the hex on the first country's side
    outside: Hex  # the adjacent hex across the border


def _normalise(name: str) -> str:
    """Lower-case ASCII letters and digits only, so "Deir ez-Zor" matches "deir ezzor"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_name.lower() if ch.isalnum())


class HexMap:
    """Layers of the map as arrays of shape (rows, cols) plus the named features on them."""

    def __init__(self, meta: dict, layers: dict[str, np.ndarray], hydro: dict, source: str):
        self.meta = meta
        self.source = source
        self.name: str = meta["name"]
        self.cols: int = meta["cols"]
        self.rows: int = meta["rows"]
        self.hex_km: float = meta["hex_km"]
        self.projection = LambertConformal.from_dict(meta["projection"])
        size = meta["layout"]["size"]
        self.layout = Layout(POINTY, (size, size), tuple(meta["layout"]["origin"]))
        self.countries: tuple[str, ...] = tuple(c["code"] for c in meta["countries"])
        self.country_names: dict[str, str] = {c["code"]: c["name"] for c in meta["countries"]}

        self.terrain: np.ndarray = layers["terrain"].copy()
        self.base: HexMap | None = None  # the map this one changes (see with_terrain)
        self.terrain_changes: tuple[tuple[int, int, str], ...] = ()
        self.elevation: np.ndarray = layers["elevation"]
        self.country: np.ndarray = layers["country"]
        # Road id on each of the six sides of each hex (0: no road); links are symmetric.
        self.road: np.ndarray = layers["road"]

        self.cities: tuple[City, ...] = tuple(
            City(
                c["id"],
                c["name"],
                c["lat"],
                c["lon"],
                c["population"],
                c["country"],
                oddr_to_axial(c["col"], c["row"]),
            )
            for c in meta["cities"]
        )
        self.city: np.ndarray = np.full((self.rows, self.cols), -1, dtype=np.int16)
        # Where two towns share a hex the larger names it; both stay findable by name.
        for i in sorted(range(len(self.cities)), key=lambda i: self.cities[i].population):
            col, row = axial_to_oddr(self.cities[i].hex)
            self.city[row, col] = i

        self.roads: tuple[Road, ...] = tuple(
            Road(r["id"], r["name"], r["label"], tuple(oddr_to_axial(c, rr) for c, rr in r["hexes"]))
            for r in meta["roads"]
        )
        self.crossings: tuple[Crossing, ...] = tuple(
            Crossing(x["name"], tuple(x["countries"]), oddr_to_axial(*x["hex"]), oddr_to_axial(*x["outside"]))
            for x in meta["crossings"]
        )

        # Rivers: river id on each of the six sides of each hex (0: none), symmetric.
        self.river = np.zeros((self.rows, self.cols, 6), dtype=np.uint8)
        rivers = []
        for r in hydro["rivers"]:
            sides = tuple((oddr_to_axial(c, rr), d) for c, rr, d in r["sides"])
            rivers.append(River(r["id"], r["name"], sides))
            for h, d in sides:
                self._set_side(self.river, h, d, r["id"])
        self.rivers: tuple[River, ...] = tuple(rivers)
        self.lakes: tuple[Lake, ...] = tuple(
            Lake(lk["name"], tuple(oddr_to_axial(c, rr) for c, rr in lk["hexes"])) for lk in hydro["lakes"]
        )
        for lake in self.lakes:
            for h in lake.hexes:
                col, row = axial_to_oddr(h)
                self.terrain[row, col] = LAKE

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, name: str = DEFAULT_MAP, directory: Path | None = None) -> HexMap:
        directory = Path(directory) if directory is not None else MAPS_DIR
        meta_path = directory / f"{name}.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            blob = (directory / meta["data_file"]).read_bytes()
            hydro = json.loads((directory / meta["hydro_file"]).read_text(encoding="utf-8"))
            layers = {}
            for key, spec in meta["layers"].items():
                dtype = np.dtype(spec["dtype"])
                count = math.prod(spec["shape"])
                arr = np.frombuffer(blob, dtype=dtype, count=count, offset=spec["offset"])
                layers[key] = arr.reshape(spec["shape"])
        except FileNotFoundError as exc:
            raise MapError(f"{exc.filename}: map file not found") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise MapError(f"{meta_path}: map asset is damaged ({exc})") from None
        return cls(meta, layers, hydro, str(meta_path))

    # -- coordinates -----------------------------------------------------------------------

    def in_bounds(self, h: Hex) -> bool:
        col, row = axial_to_oddr(h)
        return 0 <= col < self.cols and 0 <= row < self.rows

    def index(self, h: Hex) -> tuple[int, int]:
        """(row, col) of a hex in the layer arrays."""
        col, row = axial_to_oddr(h)
        return row, col

    def indices(self, q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``index`` for many hexes at once: the (row, col) arrays in the layer arrays of the
        axial arrays ``q`` and ``r``, and a mask of those on the map (the others' rows and
        columns are left off the map, for the caller to clip or drop)."""
        col, row = axial_oddr_arrays(q, r)
        inside = (row >= 0) & (row < self.rows) & (col >= 0) & (col < self.cols)
        return row, col, inside

    def hex_at(self, row: int, col: int) -> Hex:
        return oddr_to_axial(col, row)

    def all_hexes(self):
        for row in range(self.rows):
            for col in range(self.cols):
                yield oddr_to_axial(col, row)

    def neighbors(self, h: Hex) -> list[Hex]:
        return [n for n in h.neighbors() if self.in_bounds(n)]

    def hex_of_latlon(self, lat: float, lon: float) -> Hex:
        """The hex containing a point; raises MapError when the point is off the map."""
        x, y = self.projection.forward(lat, lon)
        h = self.layout.pixel_to_hex(x, -y)  # the layout's y axis points south
        if not self.in_bounds(h):
            raise MapError(f"{lat:.4f},{lon:.4f} is off the map")
        return h

    def latlon_of_hex(self, h: Hex) -> tuple[float, float]:
        x, y = self.layout.hex_to_pixel(h)
        return self.projection.inverse(x, -y)

    def distance_km(self, a: Hex, b: Hex) -> float:
        return a.distance(b) * self.hex_km

    # -- per-hex facts ---------------------------------------------------------------------

    def terrain_at(self, h: Hex) -> str:
        row, col = self.index(h)
        return TERRAINS[self.terrain[row, col]]

    def country_at(self, h: Hex) -> str | None:
        row, col = self.index(h)
        code = self.country[row, col]
        return self.countries[code] if code != NO_COUNTRY else None

    def elevation_at(self, h: Hex) -> int:
        row, col = self.index(h)
        return int(self.elevation[row, col])

    def city_at(self, h: Hex) -> City | None:
        row, col = self.index(h)
        i = self.city[row, col]
        return self.cities[i] if i >= 0 else None

    def river_on_side(self, h: Hex, direction: int) -> str | None:
        row, col = self.index(h)
        rid = self.river[row, col, direction]
        return self._river_names.get(int(rid)) if rid else None

    def rivers_at(self, h: Hex) -> list[tuple[str, str]]:
        """(direction name, river name) for each river-side of the hex."""
        row, col = self.index(h)
        return [
            (DIRECTION_NAMES[d], self._river_names[int(rid)])
            for d, rid in enumerate(self.river[row, col])
            if rid
        ]

    def road_on_side(self, h: Hex, direction: int) -> str | None:
        row, col = self.index(h)
        rid = self.road[row, col, direction]
        return self._road_names.get(int(rid)) if rid else None

    def roads_through(self, h: Hex) -> list[str]:
        """Names of every road that passes through the hex (several may share a link)."""
        return self._roads_by_hex.get(h, [])

    @cached_property
    def _roads_by_hex(self) -> dict[Hex, list[str]]:
        out: dict[Hex, list[str]] = {}
        for road in self.roads:
            for h in road.hexes:
                names = out.setdefault(h, [])
                if road.name not in names:
                    names.append(road.name)
        return out

    def crosses_river(self, a: Hex, b: Hex) -> bool:
        d = a.direction_to(b)
        return d is not None and self.river_on_side(a, d) is not None

    @cached_property
    def _river_names(self) -> dict[int, str]:
        return {r.id: r.name for r in self.rivers}

    @cached_property
    def _road_names(self) -> dict[int, str]:
        return {r.id: r.name for r in self.roads}

    # -- places ----------------------------------------------------------------------------

    @cached_property
    def _city_index(self) -> dict[str, City]:
        index: dict[str, City] = {}
        for c in self.cities:
            index.setdefault(_normalise(c.id), c)
            index.setdefault(_normalise(c.name), c)
        for alias, cid in self.meta.get("aliases", {}).items():
            index.setdefault(_normalise(alias), self.city_by_id(cid))
        return index

    def city_by_id(self, cid: str) -> City:
        for c in self.cities:
            if c.id == cid:
                return c
        raise MapError(f"no city with id {cid!r}")

    def find_city(self, name: str) -> City | None:
        """A city by id, display name or a common alternative spelling; None if unknown."""
        return self._city_index.get(_normalise(name))

    def suggest_cities(self, name: str, limit: int = 3) -> list[str]:
        """Names close to an unknown one, for 'did you mean' messages."""
        names = {c.name for c in self.cities}
        return difflib.get_close_matches(name, sorted(names), n=limit, cutoff=0.6)

    @cached_property
    def _towns_by_rank(self) -> tuple[tuple[City, ...], np.ndarray, np.ndarray]:
        """The towns, larger first (then by name), with their q and r as arrays."""
        towns = tuple(sorted(self.cities, key=lambda c: (-c.population, c.name)))
        return (
            towns,
            np.array([c.hex.q for c in towns], dtype=np.int64),
            np.array([c.hex.r for c in towns], dtype=np.int64),
        )

    @cached_property
    def _nearest_cache(self) -> dict[Hex, tuple[City, int, str] | None]:
        return {}

    def nearest_town(self, h: Hex) -> tuple[City, int, str] | None:
        """The town nearest a hex, its distance in hexes and the compass point the hex lies at
        from it ("north-east"); the larger town where two are as near. None on a map without
        towns. Only the towns are read, so a map with changed terrain shares the answers."""
        cache = self._nearest_cache
        if h in cache:
            return cache[h]
        towns, qs, rs = self._towns_by_rank
        found = None
        if towns:
            dq, dr = qs - h.q, rs - h.r
            dist = (np.abs(dq) + np.abs(dr) + np.abs(dq + dr)) // 2
            i = int(np.argmin(dist))  # the first of the nearest: the largest town
            town = towns[i]
            (lat, lon), (tlat, tlon) = self.latlon_of_hex(h), self.latlon_of_hex(town.hex)
            angle = math.degrees(math.atan2(lat - tlat, (lon - tlon) * math.cos(math.radians(tlat))))
            found = (town, int(dist[i]), COMPASS[int(round(angle / 45.0)) % 8])
        cache[h] = found
        return found

    def resolve_place(self, place: str) -> Hex:
        """A hex from a city name, "LAT,LON" or "[Q, R]" (a hex as a scenario file writes it);
        raises MapError with a readable reason."""
        text = place.strip()
        if text.startswith("[") or text.endswith("]"):
            parts = text.strip("[]").split(",")
            try:
                q, r = (int(p) for p in parts)
            except ValueError:
                raise MapError(
                    f"{place!r} is not a hex [Q, R] of two whole numbers (for example [40, 35])"
                ) from None
            h = Hex(q, r)
            if not self.in_bounds(h):
                raise MapError(f"hex {[q, r]} is off the map")
            return h
        if "," in text:
            parts = text.split(",")
            try:
                lat, lon = (float(p) for p in parts)
            except ValueError:
                raise MapError(f"{place!r} is not LAT,LON (for example 33.31,44.36)") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise MapError(f"{place!r}: latitude must lie in -90..90 and longitude in -180..180")
            return self.hex_of_latlon(lat, lon)
        city = self.find_city(text)
        if city is None:
            hint = self.suggest_cities(text)
            more = f"; did you mean {', '.join(hint)}?" if hint else ""
            raise MapError(f"unknown place {place!r}{more}")
        return city.hex

    # -- edits ------------------------------------------------------------------------------

    def with_terrain(self, changes) -> HexMap:
        """A copy of this map with some hexes' terrain changed, the other layers shared.

        ``changes`` is a list of ``{"hex": [q, r], "terrain": name}`` (a scenario's
        ``[[terrain]]`` tables once resolved); later entries win. With no changes the map
        itself is returned. Raises MapError for a hex off the map or an unknown terrain.
        """
        if not changes:
            return self
        other = copy.copy(self)
        other.terrain = self.terrain.copy()
        for c in changes:
            h = Hex(*c["hex"])
            if not self.in_bounds(h):
                raise MapError(f"hex {list(c['hex'])} is off the map")
            if c["terrain"] not in TERRAINS:
                raise MapError(f"unknown terrain {c['terrain']!r}")
            row, col = self.index(h)
            other.terrain[row, col] = TERRAINS.index(c["terrain"])
        other.base = self
        other.terrain_changes = tuple((c["hex"][0], c["hex"][1], c["terrain"]) for c in changes)
        return other

    def _set_side(self, layer: np.ndarray, h: Hex, direction: int, value: int) -> None:
        row, col = self.index(h)
        layer[row, col, direction] = value
        n = h.neighbor(direction)
        if self.in_bounds(n):
            nrow, ncol = self.index(n)
            layer[nrow, ncol, opposite(direction)] = value

    # -- summaries -------------------------------------------------------------------------

    def describe_hex(self, h: Hex) -> dict:
        """Everything a scenario author wants to know about one hex, JSON-ready."""
        col, row = axial_to_oddr(h)
        lat, lon = self.latlon_of_hex(h)
        city = self.city_at(h)
        towns = [c.name for c in self.cities if c.hex == h]
        country = self.country_at(h)
        return {
            "hex": {"q": h.q, "r": h.r},
            "offset": {"col": col, "row": row},
            "centre": {"lat": round(lat, 4), "lon": round(lon, 4)},
            "terrain": self.terrain_at(h),
            "elevation_m": self.elevation_at(h),
            "country": self.country_names.get(country) if country else None,
            "country_code": country,
            "city": city.name if city else None,
            "towns": towns,
            "rivers": [{"side": d, "river": name} for d, name in self.rivers_at(h)],
            "roads": self.roads_through(h),
            "crossing": next((x.name for x in self.crossings if h in (x.hex, x.outside)), None),
        }

    def info(self) -> dict:
        terrain_counts = np.bincount(self.terrain.ravel(), minlength=len(TERRAINS))
        country_counts = np.bincount(self.country.ravel(), minlength=len(self.countries))
        return {
            "name": self.name,
            "title": self.meta.get("title", self.name),
            "hex_km": self.hex_km,
            "orientation": "pointy-top, odd-r offset rows",
            "cols": self.cols,
            "rows": self.rows,
            "hexes": self.cols * self.rows,
            "bbox": self.meta["bbox"],
            "projection": self.meta["projection"],
            "terrain_counts": {t: int(n) for t, n in zip(TERRAINS, terrain_counts)},
            "country_counts": {
                (self.country_names[c] if i else "none"): int(country_counts[i])
                for i, c in enumerate(self.countries)
            },
            "cities": [
                {
                    "id": c.id,
                    "name": c.name,
                    "country": c.country,
                    "population": c.population,
                    "lat": c.lat,
                    "lon": c.lon,
                    "hex": {"q": c.hex.q, "r": c.hex.r},
                }
                for c in self.cities
            ],
            "rivers": [
                {
                    "name": r.name,
                    "hexsides": len(r.sides),
                    "length_km": round(len(r.sides) * self.hex_km / math.sqrt(3)),
                }
                for r in self.rivers
            ],
            "lakes": [{"name": lk.name, "hexes": len(lk.hexes)} for lk in self.lakes],
            "roads": [
                {
                    "name": r.name,
                    "label": r.label,
                    "hexes": len(r.hexes),
                    "from": self._place_name(r.hexes[0]),
                    "to": self._place_name(r.hexes[-1]),
                }
                for r in self.roads
            ],
            "crossings": [
                {"name": x.name, "countries": list(x.countries), "hex": {"q": x.hex.q, "r": x.hex.r}}
                for x in self.crossings
            ],
            "sources": self.meta.get("sources", []),
        }

    def _place_name(self, h: Hex) -> str:
        city = self.city_at(h)
        if city:
            return city.name
        lat, lon = self.latlon_of_hex(h)
        return f"{lat:.2f},{lon:.2f}"


# How a player reads a hex: the ground by its terrain, the way from a town by the compass.
GROUND_NAMES = {
    "sea": "the sea",
    "lake": "the lake",
    "marsh": "the marshes",
    "desert": "the desert",
    "steppe": "the steppe",
    "hills": "the hills",
    "mountains": "the mountains",
    "urban": "the built-up area",
}
COMPASS = ("east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east")
FAR_HEXES = 15  # beyond this from every town, a place is also named by its country


def place_name(hexmap: HexMap, h: Hex) -> str:
    """A hex as a player reads it, never its coordinates: the town on it ("Mosul"); else its
    ground, how far and which way it lies from the nearest town, in kilometres at the map's
    scale ("the desert 40 km east of Palmyra"), with its country when every town is far ("the
    desert of Saudi Arabia, 190 km south of Rutba"). Only the map is read: a place names
    nothing the fog hides."""
    if not hexmap.in_bounds(h):
        return "a place off the map"
    city = hexmap.city_at(h)
    if city is not None:
        return city.name
    terrain = hexmap.terrain_at(h)
    ground = GROUND_NAMES.get(terrain, f"the {terrain}")
    country = hexmap.country_at(h)
    nearest = hexmap.nearest_town(h)
    if nearest is None:
        return f"{ground} of {hexmap.country_names[country]}" if country else ground
    town, dist, way = nearest
    km = f"{dist * hexmap.hex_km:.0f} km {way} of {town.name}"
    if dist > FAR_HEXES and country:
        return f"{ground} of {hexmap.country_names[country]}, {km}"
    return f"{ground} {km}"


def place(hexmap: HexMap, h: Hex, prep: str = "at") -> str:
    """Where a hex is, as a wargame's log says it after ``prep`` ("to", "at", "over", or ""
    for none): the town on it ("to Raqqa"); the town next to it, whatever the preposition
    ("near Tikrit"); else ``place_name``'s words after the preposition the ground takes ("in
    the desert 40 km east of Raqqa", "on the steppe 20 km north of Aleppo")."""
    if not hexmap.in_bounds(h):
        return "off the map"
    city = hexmap.city_at(h)
    if city is not None:
        return f"{prep} {city.name}".strip()
    nearest = hexmap.nearest_town(h)
    if nearest is not None and nearest[1] == 1:
        return f"near {nearest[0].name}"
    if prep in ("at", "on"):  # a town is a point; ground has its own preposition
        prep = "on" if hexmap.terrain_at(h) in ("sea", "lake", "steppe") else "in"
    return f"{prep} {place_name(hexmap, h)}".strip()


@lru_cache(maxsize=1)
def default_map() -> HexMap:
    """The game's map, read from disk once per process and shared by every game, the editor and
    the tools alike (its layers are read-only); ``HexMap.load`` reads it afresh."""
    return HexMap.load()


_GAME_MAPS: dict[tuple[int, tuple], tuple[HexMap, HexMap]] = {}


def game_map(hexmap: HexMap, changes) -> HexMap:
    """The map a game is played on: ``hexmap`` with a scenario's terrain changes, made once.

    Games of the same scenario share one changed map, so the movement and supply networks
    built for it (cached by map in game.movement and game.supply) are built once too. The
    maps are kept for the life of the process: those caches know a map by its identity, and
    a map freed and another made in its place must never meet a stale network.
    """
    if not changes:
        return hexmap
    key = (id(hexmap), tuple((c["hex"][0], c["hex"][1], c["terrain"]) for c in changes))
    hit = _GAME_MAPS.get(key)
    if hit is None:
        hit = _GAME_MAPS[key] = (hexmap, hexmap.with_terrain(changes))
    return hit[1]


__all__ = [
    "City",
    "Crossing",
    "HexMap",
    "Lake",
    "MapError",
    "River",
    "Road",
    "TERRAINS",
    "game_map",
    "TERRAIN_LABELS",
    "default_map",
    "DIRECTIONS",
    "place",
    "place_name",
]
