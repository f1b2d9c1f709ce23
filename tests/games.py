"""Small real games on the real map, for rules tests (in the manner of a test-game builder)."""

from __future__ import annotations

import copy

from game.commands import Game
from game.hexmap import HexMap
from game.rules import default_rules

_MAP: HexMap | None = None


def hexmap() -> HexMap:
    global _MAP
    if _MAP is None:
        _MAP = HexMap.load()
    return _MAP


MOSUL_2014 = {
    "id": "test-mosul-2014",
    "title": "Test: the fall of Mosul",
    "start_date": "2014-06-04",
    "turn_days": 7,
    "turns": 6,
    "sides": [
        {"id": "jihadist", "name": "Jihadists"},
        {"id": "baathist", "name": "Ba'athists"},
        {"id": "coalition", "name": "Coalition"},
    ],
    "factions": [
        {"id": "isis", "name": "Islamic State", "side": "jihadist"},
        {"id": "iraq", "name": "Iraq", "side": "baathist", "supply_crossings": ["IRN"]},
        {"id": "assad", "name": "Ba'athist Syria", "side": "baathist", "supply_crossings": ["LBN"]},
        {"id": "kurds", "name": "Kurdistan", "side": "coalition", "supply_crossings": ["TUR"]},
        {"id": "us", "name": "United States", "side": "coalition", "nation": "US",
         "bases": ["TUR", "KWT", "JOR"], "supply_crossings": ["TUR", "KWT", "JOR"]},
    ],
    "at_war": [["isis", "iraq"], ["isis", "assad"], ["isis", "kurds"], ["isis", "us"],
               ["assad", "kurds"]],
    "cities": {"mosul": "iraq", "tikrit": "iraq", "baghdad": "iraq", "samarra": "iraq",
               "kirkuk": "iraq", "erbil": "kurds", "duhok": "kurds", "raqqa": "isis",
               "deir-ez-zor": "assad", "tal-afar": "iraq", "sinjar": "kurds", "hasakah": "kurds",
               "qamishli": "kurds", "damascus": "assad", "aleppo": "assad", "fallujah": "isis"},
    "units": [
        {"id": "isis-1", "type": "militia", "faction": "isis", "place": "Raqqa", "personnel": 3000},
        {"id": "isis-2", "type": "militia", "faction": "isis", "place": "35.9,42.6", "personnel": 1500},
        {"id": "isis-3", "type": "mechanized", "faction": "isis", "place": "36.2,42.9", "personnel": 800,
         "equipment": {"armoured vehicles": 40}},
        {"id": "isis-4", "type": "militia", "faction": "isis", "place": "Fallujah", "personnel": 2000},
        {"id": "iraq-1", "type": "infantry", "faction": "iraq", "place": "Mosul", "personnel": 9000},
        {"id": "iraq-2", "type": "infantry", "faction": "iraq", "place": "Tikrit", "personnel": 4000},
        {"id": "iraq-3", "type": "armour", "faction": "iraq", "place": "Baghdad", "personnel": 3000,
         "equipment": {"tanks": 120}},
        {"id": "iraq-4", "type": "infantry", "faction": "iraq", "place": "Baghdad", "personnel": 8000},
        {"id": "iraq-5", "type": "headquarters", "faction": "iraq", "place": "Baghdad", "personnel": 400},
        {"id": "kurds-1", "type": "infantry", "faction": "kurds", "place": "Erbil", "personnel": 6000},
        {"id": "kurds-2", "type": "infantry", "faction": "kurds", "place": "Duhok", "personnel": 3000},
        {"id": "us-1", "type": "special_forces", "faction": "us", "place": "Erbil", "personnel": 300},
        {"id": "us-air", "type": "air_wing", "faction": "us", "place": "Kuwait City", "personnel": 2000,
         "equipment": {"combat aircraft": 40, "other aircraft": 10}},
        {"id": "assad-1", "type": "infantry", "faction": "assad", "place": "Deir ez-Zor", "personnel": 5000},
    ],
}


def mosul_setup() -> dict:
    return copy.deepcopy(MOSUL_2014)


def mosul_game(seed: int = 1) -> Game:
    return Game(mosul_setup(), hexmap(), default_rules(), seed)


# The roster of docs/factions.md, which every bundled scenario follows: id -> (name, side, nation, category, quality, bases, supply crossings)
ROSTER = {
    "us": ("United States", "coalition", "US", "coalition", 1.6, ["KWT", "JOR"], ["TUR", "JOR", "KWT"]),
    "uk": ("United Kingdom", "coalition", "UK", "coalition", 1.5, ["JOR"], ["TUR", "JOR", "KWT"]),
    "turkey": ("Turkey", "coalition", "TR", "coalition", 1.2, ["TUR"], ["TUR"]),
    "france": ("France", "coalition", "FR", "coalition", 1.5, ["JOR"], ["TUR", "JOR"]),
    "canada": ("Canada", "coalition", "CA", "coalition", 1.5, ["KWT"], ["TUR", "KWT"]),
    "australia": ("Australia", "coalition", "AU", "coalition", 1.5, ["KWT"], ["KWT"]),
    "saudi": ("Saudi Arabia", "coalition", "SA", "coalition", 1.0, ["SAU", "JOR"], ["SAU", "JOR"]),
    "coalition_others": ("Coalition partners (Denmark, Qatar, Netherlands, UAE, Belgium, Jordan)",
                         "coalition", "other", "coalition", 1.3, ["JOR", "KWT"], ["JOR", "KWT"]),
    "syrian_opposition": ("Syrian opposition", "coalition", "", "syrian_opposition", 0.8, [], ["TUR", "JOR"]),
    "peshmerga": ("Iraqi Kurdistan (Peshmerga)", "coalition", "", "kurds", 0.9, [], ["TUR"]),
    "ypg": ("Syrian Kurdistan (YPG)", "coalition", "", "kurds", 0.9, [], []),
    "assad": ("Ba'athist Syria (Assad loyalists)", "baathist", "", "assad_forces", 0.9, [], ["LBN"]),
    "iran": ("Iran", "baathist", "", "iran", 1.0, ["IRN"], ["IRN"]),
    "iraq": ("Iraq", "coalition", "", "iraq", 0.8, [], ["IRN"]),
    "hezbollah": ("Hezbollah", "baathist", "", "hezbollah", 1.1, ["LBN"], ["LBN"]),
    "isis": ("Islamic State", "jihadist", "", "isis", 1.0, [], []),
    "al_qaeda": ("al-Qaeda (al-Nusra Front, Khorasan group)", "jihadist", "", "al_qaeda", 1.0, [], ["TUR"]),
    "baath_loyalists": ("Iraqi Ba'ath Party loyalists", "jihadist", "", "", 0.8, [], []),
}



def refused(game, cmd, fragment):
    """The command is refused with a reason containing ``fragment``, and changes nothing."""
    before, journal = game.checksum(), len(game.journal)
    res = game.execute(cmd)
    assert not res.ok
    assert any(fragment in p for p in res.problems), res.problems
    assert game.checksum() == before
    assert len(game.journal) == journal
