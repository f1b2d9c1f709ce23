"""Plans: a scenario's aims for its computer players, checked when read and followed in play."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from game.ai import AIPlayer, play_turn
from game.ai.aims import aims_for
from game.commands import Game
from game.rules import default_rules
from game.scenario.validate import build

from games import hexmap

ROOT = Path(__file__).resolve().parent.parent
DUEL = (ROOT / "scenarios/examples/duel-deir-ez-zor.toml").read_text(encoding="utf-8")
RULES = default_rules()


def scenario(extra: str = "", weak_mayadin: bool = False):
    data = tomllib.loads(DUEL + extra)
    if weak_mayadin:  # a town the Syrian Army overwhelms at once, if it attacks
        for u in data["units"]:
            if u["faction"] == "isis":
                if u["id"] == "is-mayadin":
                    u["personnel"] = 300
                else:
                    u["place"] = "Raqqa"
    sc, problems = build(data, hexmap(), RULES)
    return sc, [f"{p.path}: {p.text}" for p in problems]


@pytest.mark.parametrize("plan, path, words", [
    ('faction = "assad"\nside = "baathist"\ntake = ["al-Mayadin"]', "plans[0]", "not both"),
    ('faction = "assad"', "plans[0]", "one of take, hold and avoid"),
    ('faction = "assad"\ntake = ["al-Mayadin"]\nhold = ["Deir ez-Zor"]', "plans[0]",
     "not take and hold"),
    ('side = "baathists"\ntake = ["al-Mayadin"]', "plans[0].side", "unknown side"),
    ('side = "baathist"\ntake = ["al-Mayadeen"]', "plans[0].take[0]", "unknown town"),
    ('side = "baathist"\ntake = ["al-Mayadin"]\nradius = 2', "plans[0].radius", "only an avoid"),
    ('side = "baathist"\navoid = ["Raqqa"]\nradius = 40', "plans[0].radius", "out of range"),
    ('side = "baathist"\ntake = ["al-Mayadin"]\nfrom = 2017-10-01\nuntil = 2017-09-10',
     "plans[0].until", "before it begins"),
    ('side = "baathist"\ntake = ["al-Mayadin"]\nfrom = 2019-01-01', "plans[0].from",
     "outside the scenario"),
    ('side = "baathist"\ntake = ["al-Mayadin"]\nfrom = "2017-10-01"', "plans[0].from",
     "expected a date"),
    ('side = "baathist"\ntake = ["al-Mayadin"]\nweight = 9', "plans[0].weight", "out of range"),
    ('side = "baathist"\ntake = ["al-Mayadin"]\nwhen = 3', "plans[0].when", "unknown field"),
])
def test_a_wrong_plan_is_named_by_its_field(plan, path, words):
    sc, problems = scenario("\n[[plans]]\n" + plan + "\n")
    assert sc is None
    assert any(p.startswith(path + ":") and words in p for p in problems), problems


def test_a_plan_is_read_into_the_setup_with_town_ids_and_dates():
    sc, problems = scenario('\n[[plans]]\nfaction = "isis"\navoid = ["Deir ez-Zor"]\nradius = 1\n'
                            'until = 2017-10-01\ntext = "Stay clear of the airport"\n')
    assert not problems
    assert sc.setup["plans"] == [{"faction": "isis", "kind": "avoid", "cities": ["deir-ez-zor"],
                                  "radius": 1, "from": None, "until": "2017-10-01",
                                  "weight": 1.0, "text": "Stay clear of the airport"}]


class _View:
    def __init__(self, date, owners):
        self.date = date
        self.factions = {"assad": ("Syrian Army", "baathist"), "isis": ("Islamic State", "jihadist")}
        self.city_owner = owners

    def side_of(self, f):
        return self.factions[f][1]


def test_aims_follow_the_calendar():
    sc, _ = scenario('\n[[plans]]\nside = "baathist"\ntake = ["al-Mayadin"]\nfrom = 2017-10-01\n'
                     '\n[[plans]]\nfaction = "assad"\nhold = ["Deir ez-Zor"]\nweight = 2\n'
                     'until = 2017-09-20\n'
                     '\n[[plans]]\nfaction = "isis"\navoid = ["Deir ez-Zor"]\nradius = 1\n')
    m = hexmap()
    owners = {"mayadin": "isis", "deir-ez-zor": "assad"}
    mayadin, dez = m.city_by_id("mayadin").hex, m.city_by_id("deir-ez-zor").hex
    early = aims_for("baathist", sc.setup["victory"], sc.setup["plans"],
                     _View(dt.date(2017, 9, 11), owners), m)
    # Before its date the town keeps its pull (the victory condition) but is not to be assaulted.
    assert early.later == {"mayadin"} and early.avoids("assad", mayadin)
    # A faction's plan draws that faction's units, not the whole side's.
    assert [g["weight"] for g in early.pulls["assad"] if g["kind"] == "hold"] == [2]
    assert not any(g.get("plan") for g in early.goals)
    late = aims_for("baathist", sc.setup["victory"], sc.setup["plans"],
                    _View(dt.date(2017, 10, 2), owners), m)
    assert not late.avoids("assad", mayadin) and not late.later
    assert any(g["kind"] == "take" and g.get("plan") for g in late.goals)
    assert "assad" not in late.pulls  # the hold plan ended
    # Another side's plan is its own: the Islamic State's avoid binds only its units.
    theirs = aims_for("jihadist", sc.setup["victory"], sc.setup["plans"],
                      _View(dt.date(2017, 9, 11), owners), m)
    assert theirs.avoids("isis", dez) and any(theirs.avoids("isis", n) for n in dez.neighbors())
    assert not early.avoids("assad", dez)


def _first_capture(sc, turns: int = 8, seed: int = 1):
    """The turn the Syrian Army first takes al-Mayadin, the turns it attacked it, and how near
    its nearest unit stood to the town at the end of each of its turns."""
    m = hexmap()
    game = Game(sc.setup, m, RULES, seed)
    players = {s["id"]: AIPlayer(s["id"], game.hexmap, RULES, sc.setup["victory"], "normal",
                                 budget_s=None, plans=sc.setup.get("plans")) for s in sc.sides}
    mayadin = m.city_by_id("mayadin").hex
    attacked, near = [], {}
    for _ in range(2 * turns):
        if game.state.over:
            break
        before = len(game.state.log)
        turn, side = game.state.turn, game.state.active_side
        play_turn(game, players[side])
        if any("al-Mayadin" in line and ("attack" in line.lower() or "took" in line)
               for line in game.state.log[before:]):
            attacked.append(turn)
        if side == "baathist":
            near[turn] = min(u.hex.distance(mayadin) for u in game.state.units.values()
                             if u.faction == "assad")
        if game.state.city_owner["mayadin"] == "assad":
            return turn, attacked, near
    return None, attacked, near


def test_a_town_to_take_later_is_left_alone_until_its_date():
    free, _ = scenario(weak_mayadin=True)
    taken, _, _ = _first_capture(free)
    assert taken is not None and taken <= 3  # left to itself, the army takes the town at once
    held_back, problems = scenario(
        '\n[[plans]]\nside = "baathist"\ntake = ["al-Mayadin"]\nfrom = 2017-10-02\n',
        weak_mayadin=True)
    assert not problems
    later, attacked, near = _first_capture(held_back)
    # 2 October 2017 is turn 5: not one attack on the town, nor a step into it, before then;
    # but the army closes on it all the same.
    assert all(t >= 5 for t in attacked), attacked
    assert later is None or later >= 5
    assert min(near[t] for t in range(1, 5)) <= 2, near


def test_an_avoided_town_is_neither_attacked_nor_entered():
    sc, problems = scenario('\n[[plans]]\nside = "baathist"\navoid = ["al-Mayadin"]\n',
                            weak_mayadin=True)
    assert not problems
    taken, attacked, _ = _first_capture(sc, turns=5)
    assert taken is None and attacked == []


def test_garrisons_beside_a_town_to_take_storm_it_and_the_strongest_stays():
    """The Syrian Army holds Douma, which the Islamic State wins by taking, with two units and
    nothing else; next door the Islamic State holds Damascus, which the Syrian Army wins by
    taking. Both units are Douma's garrison, yet the weaker one storms Damascus from where it
    stands while the stronger stays at home."""
    data = tomllib.loads(DUEL)
    data["control"] = {"douma": "assad", "damascus": "isis"}
    data["units"] = [
        {"id": "saa-big", "name": "Big", "type": "infantry", "faction": "assad",
         "place": "Douma", "personnel": 6000, "entrenchment": 1},
        {"id": "saa-small", "name": "Small", "type": "infantry", "faction": "assad",
         "place": "Douma", "personnel": 4000, "entrenchment": 1},
        {"id": "is-dam", "name": "Damascus", "type": "militia", "faction": "isis",
         "place": "Damascus", "personnel": 600},
    ]
    data["victory"] = [
        {"kind": "take", "side": "baathist", "cities": ["Damascus"], "text": "Take Damascus"},
        {"kind": "take", "side": "jihadist", "cities": ["Douma"], "text": "Take Douma"},
    ]
    sc, problems = build(data, hexmap(), RULES)
    assert sc is not None, problems
    m = hexmap()
    game = Game(sc.setup, m, RULES, 3)
    player = AIPlayer("baathist", m, RULES, sc.setup["victory"], "normal", budget_s=None)
    play_turn(game, player)
    attacks = [c for c in game.journal if c["kind"] == "attack"]
    assert attacks and all(c["attackers"] == ["saa-small"] for c in attacks), attacks
    assert game.state.units["saa-big"].hex == m.city_by_id("douma").hex
