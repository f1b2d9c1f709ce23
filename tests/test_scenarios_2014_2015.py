"""The bundled scenarios of 2014-2015, the war's first four phases: they load, their forces and
leaders are the source's, and their events fire on their dates and triggers and do what they say.

Source: the article "War in Mesopotamia (2014-2021)", read with the article's infobox beside it, and
docs/factions.md. Each scenario is played through once with nobody moving (``EndTurn`` only,
recorded turn by turn in a module fixture), and a few more times with a town handed over by hand
to fire the ``city_taken`` triggers and the victory conditions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from game import SCENARIOS_DIR
from game.commands import EndTurn, Game
from game.hexgrid import Hex
from game.hexmap import HexMap
from game.ledger import source
from game.movement import WAR_ZONE, map_graph
from game.rules import default_rules
from game.scenario import check_file, load_scenario
from game.supply import supply_maps

RULES = default_rules()
SEED = 2014

PHASES = ["2014-isis-offensive", "2014-no-fly-zone", "2014-new-role", "2015-invasion"]
DATES = {  # the phases' spans (the article's infobox: Jun-Sep 2014, Oct-Nov 2014, Nov 2014-Feb 2015, Feb-Sep 2015)
    "2014-isis-offensive": (dt.date(2014, 6, 16), dt.date(2014, 9, 30)),
    "2014-no-fly-zone": (dt.date(2014, 10, 2), dt.date(2014, 11, 26)),
    "2014-new-role": (dt.date(2014, 11, 27), dt.date(2015, 2, 15)),
    "2015-invasion": (dt.date(2015, 2, 16), dt.date(2015, 9, 30)),
}

from games import ROSTER  # noqa: E402

FACTIONS = ROSTER  # docs/factions.md
COALITION_ABROAD = ["us", "uk", "turkey", "france", "canada", "australia", "saudi", "coalition_others"]
BAATHISTS = ["assad", "iran", "iraq", "hezbollah"]

# The source's leaders (the article's infobox), by faction; the ones who come after 2015 are left out.
SOURCE_LEADERS = {
    "us": ["Barack Obama"], "uk": ["David Cameron"], "turkey": ["Recep Tayyip Erdogan"],
    "france": ["François Hollande"], "canada": ["Stephen Harper"], "australia": ["Tony Abbott"],
    "saudi": ["King Abdullah"], "syrian_opposition": ["Abdullah al-Bashir", "Salim Idris"],
    "peshmerga": ["Massoud Barzani"], "ypg": ["Salih Muslim Muhammad"],
    "assad": ["Bashar al-Assad", "Fahd Jassem al-Freij"], "iran": ["Ali Khamenei", "Qasem Soleimani"],
    "iraq": ["Haider al-Abadi"], "hezbollah": ["Hassan Nasrallah"],
    "isis": ["Abu Bakr al-Baghdadi", "Abu Omar al-Shishani"], "al_qaeda": ["Abu Mohammad al-Golani"],
    "baath_loyalists": ["Izzat Ibrahim ad-Douri"],
}
# A leader the source does not name but who led before its own Iraqi leader took office; the
# source's King Abdullah and Tony Abbott lead throughout, as in the later phases.
OTHER_LEADERS = {"Nouri al-Maliki": ("iraq", "2014-isis-offensive")}      # to 8 September 2014
# leader_bonus: the scale shared by the bundled scenarios (see the files' faction notes)
BONUS = {"us": 0.05, "uk": 0.05, "turkey": 0.1, "france": 0.05, "canada": 0.05, "australia": 0.05,
         "saudi": 0.05, "coalition_others": 0.0, "syrian_opposition": 0.0, "peshmerga": 0.1,
         "ypg": 0.1, "assad": 0.1, "iran": 0.15, "iraq": 0.05, "hezbollah": 0.1, "isis": 0.15,
         "al_qaeda": 0.1, "baath_loyalists": 0.05}

# The source's strengths: (low, high) personnel, for the factions (or groups of factions) it
# gives them for. Whole-war figures hold in every phase; the invasion phase's in the last.
WHOLE_WAR = {("isis",): (40_000, 60_000), ("al_qaeda",): (20_000, 35_000),
             ("peshmerga", "ypg"): (50_000, 80_000)}
INVASION = {("assad",): (200_000, 300_000)}
IRAN_INVASION = 20_000  # "20,000 Iranian forces": the total once all have come
IRAQ_MAX = 400_000
COALITION_MAX = {"personnel": 270_000, "combat aircraft": 131, "other aircraft": 43, "warships": 24}


# -- helpers ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hexmap() -> HexMap:
    return HexMap.load()


@pytest.fixture(scope="module")
def scenarios(hexmap):
    return {sid: load_scenario(SCENARIOS_DIR / f"{sid}.toml", hexmap, RULES) for sid in PHASES}


def added_units(setup: dict) -> list[dict]:
    return [u for e in setup["events"] for a in e["actions"] if a["do"] == "add_units" for u in a["units"]]


def strength(units, factions, item="personnel") -> int:
    if item == "personnel":
        return sum(u["personnel"] for u in units if u["faction"] in factions)
    return sum(int(u.get("equipment", {}).get(item, 0)) for u in units if u["faction"] in factions)


def event(setup: dict, eid: str) -> dict:
    return next(e for e in setup["events"] if e["id"] == eid)


def actions(setup: dict, eid: str, kind: str) -> list[dict]:
    return [a for a in event(setup, eid)["actions"] if a["do"] == kind]


def end_turn(game: Game) -> None:
    res = game.execute(EndTurn(side=game.state.active_side))
    assert res.ok, res.problems


def play_to(game: Game, when: dt.date) -> None:
    """End turns until the game's date reaches ``when`` (the first side to move)."""
    while game.state.date < when and not game.state.over:
        end_turn(game)


def play_out(game: Game) -> None:
    while not game.state.over:
        end_turn(game)


@dataclass
class Turn:
    """What the state looked like at the start of a turn."""

    turn: int
    date: dt.date
    fired: list[str]
    at_war: set
    sides: dict[str, str]
    names: dict[str, str]
    categories: dict[str, str]
    leaders: dict[str, list[str]]
    bonus: dict[str, float]
    zones: list[str]
    personnel: dict[str, int] = field(default_factory=dict)


def snapshot(state) -> Turn:
    per = {}
    for u in state.units.values():
        per[u.faction] = per.get(u.faction, 0) + u.personnel
    f = state.factions
    return Turn(state.turn, state.date, list(state.fired), set(state.at_war),
                {k: v.side for k, v in f.items()}, {k: v.name for k, v in f.items()},
                {k: v.category for k, v in f.items()}, {k: list(v.leaders) for k, v in f.items()},
                {k: v.leader_bonus for k, v in f.items()}, [z["id"] for z in state.no_fly_zones], per)


@pytest.fixture(scope="module")
def passive(scenarios, hexmap):
    """Each scenario played to the end with nobody moving: its turns, and the finished game."""
    out = {}
    for sid, sc in scenarios.items():
        game = Game(sc.setup, hexmap, RULES, SEED)
        turns = [snapshot(game.state)]
        while not game.state.over:
            end_turn(game)
            if game.state.active == 0 and not game.state.over:
                turns.append(snapshot(game.state))
        out[sid] = (turns, game)
    return out


def war(a: str, b: str) -> frozenset:
    return frozenset((a, b))


# -- files ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sid", PHASES)
def test_scenario_validates_and_spans_its_phase(sid, scenarios, hexmap):
    assert check_file(SCENARIOS_DIR / f"{sid}.toml", hexmap, RULES) == []
    sc = scenarios[sid]
    assert sc.id == sid
    assert (sc.start, sc.end) == DATES[sid]
    assert sc.turns <= 26
    assert sc.turn_days == (14 if sid == "2015-invasion" else 7)
    assert [s["id"] for s in sc.sides] == ["jihadist", "baathist", "coalition"]
    assert sc.description.strip() and sc.history["outcome"]


@pytest.mark.parametrize("sid", PHASES)
def test_factions_are_those_of_docs_factions(sid, scenarios):
    sc = scenarios[sid]
    got = {f["id"]: f for f in sc.factions}
    assert set(got) == set(FACTIONS), "every faction the source places in the phase is there"
    for fid, (name, side, nation, category, quality, bases, crossings) in FACTIONS.items():
        f = got[fid]
        if fid == "iraq" and sid == "2015-invasion":
            side = "baathist"  # since it broke with the coalition in December 2014
        assert (f["name"], f["side"], f["nation"], f["category"]) == (name, side, nation, category), fid
        if fid == "iraq" and sid == "2014-isis-offensive":
            quality = 0.55  # the army that has just lost Mosul and Tikrit (docs/factions.md)
            assert f["resolve"] == 65
        assert f["quality"] == quality and f["bases"] == bases and f["supply_crossings"] == crossings, fid
        maliki = fid == "iraq" and sid == "2014-isis-offensive"  # no bonus until al-Abadi
        assert f["leader_bonus"] == pytest.approx(0.0 if maliki else BONUS[fid]), fid


@pytest.mark.parametrize("sid", PHASES)
def test_every_faction_takes_the_field(sid, scenarios):
    setup = scenarios[sid].setup
    fielded = {u["faction"] for u in setup["units"] + added_units(setup)}
    assert fielded == set(FACTIONS)


@pytest.mark.parametrize("sid", PHASES)
def test_the_source_leaders_lead(sid, scenarios):
    setup = scenarios[sid].setup
    named = {f["id"]: set(f["leaders"]) for f in setup["factions"]}
    for e in setup["events"]:
        for a in e["actions"]:
            if a["do"] == "set_leaders":
                named[a["faction"]] |= set(a["leaders"])
    for fid, people in SOURCE_LEADERS.items():
        for person in people:
            assert person in named[fid], f"{person} missing from {fid} in {sid}"
    for person, (fid, where) in OTHER_LEADERS.items():
        leads_here = sid == where
        assert (person in named[fid]) == leads_here, (person, sid)


def test_leader_changes_change_the_bonus(scenarios):
    setup = scenarios["2014-isis-offensive"].setup
    iraq = next(f for f in setup["factions"] if f["id"] == "iraq")
    assert iraq["leaders"] == ["Nouri al-Maliki"] and iraq["leader_bonus"] == 0.0
    (change,) = actions(setup, "abadi", "set_leaders")
    assert change["leaders"] == ["Haider al-Abadi"] and change["leader_bonus"] == 0.05


@pytest.mark.parametrize("sid", PHASES)
def test_strengths_are_the_source_s(sid, scenarios):
    setup = scenarios[sid].setup
    start, whole = setup["units"], setup["units"] + added_units(setup)
    ranges = dict(WHOLE_WAR)
    if sid == "2015-invasion":
        ranges.update(INVASION)
    for group, (lo, hi) in ranges.items():
        for units in (start, whole):
            assert lo <= strength(units, group) <= hi, (sid, group, strength(units, group))
    assert strength(whole, ["iraq"]) <= IRAQ_MAX
    for item, most in COALITION_MAX.items():
        assert strength(whole, COALITION_ABROAD, item) <= most, (sid, item)
    if sid == "2015-invasion":
        assert strength(whole, ["iran"]) == IRAN_INVASION
        assert strength(start, ["iran"]) < IRAN_INVASION  # Iran sends more during the phase


def test_the_coalition_commits_its_aircraft_phase_by_phase(scenarios):
    combat = [strength(s.setup["units"] + added_units(s.setup), COALITION_ABROAD, "combat aircraft")
              for s in scenarios.values()]
    assert combat == sorted(combat) and combat[-1] == 131  # all of them by the invasion
    assert combat[0] < 131 * 0.8


@pytest.mark.parametrize("sid", PHASES)
def test_units_are_of_the_game_s_sizes_and_well_spread(sid, scenarios, hexmap):
    setup = scenarios[sid].setup
    side = {f["id"]: f["side"] for f in setup["factions"]}
    everyone = setup["units"] + added_units(setup)
    assert len(setup["units"]) <= 150 and len(everyone) <= 170
    stacks: dict = {}
    for u in everyone:
        t, n, eq = u["type"], u["personnel"], u.get("equipment", {})
        if t == "air_wing":
            assert 10 <= eq.get("combat aircraft", 0) <= 40 and 300 <= n <= 2000, u["id"]
        elif t == "naval_group":
            assert 3 <= eq.get("warships", 0) <= 8 and hexmap.terrain_at(Hex(*u["hex"])) == "sea", u["id"]
        elif u["faction"] in ("isis", "al_qaeda"):
            assert t == "militia" and 1000 <= n <= 4000, u["id"]
        elif t == "special_forces":
            assert 50 <= n <= 1500, u["id"]
        elif t != "air_defence" and u["id"] != "pesh-kobani":  # the 150 Peshmerga of Kobani
            assert 2000 <= n <= 15000, u["id"]
        if RULES.unit_type(t).is_ground:
            country = hexmap.country_at(Hex(*u["hex"]))
            bases = next(f["bases"] for f in setup["factions"] if f["id"] == u["faction"])
            assert country in WAR_ZONE or country in bases, u["id"]
            if u in setup["units"]:
                stacks.setdefault((tuple(u["hex"]), side[u["faction"]]), []).append(u["id"])
    assert all(len(v) <= 3 for v in stacks.values()), [v for v in stacks.values() if len(v) > 3]


# Units that start cut off: besieged garrisons the source's year saw starve or fall, and the
# ISIS columns of June 2014 that must take Tikrit to be supplied.
CUT_OFF_AT_START = {"2014-isis-offensive": {"isis-tikrit", "isis-hawija", "isis-diyala"}}


@pytest.mark.parametrize("sid", PHASES)
def test_units_start_in_supply(sid, scenarios, hexmap):
    game = Game(scenarios[sid].setup, hexmap, RULES, SEED)
    supplied = supply_maps(game.state, hexmap, RULES)
    graph = map_graph(hexmap)
    cut = {u.id for u in game.state.units.values()
           if RULES.unit_type(u.type).is_ground and not supplied[u.faction][graph.index(u.hex)]}
    assert cut <= CUT_OFF_AT_START.get(sid, set())


@pytest.mark.parametrize("sid", PHASES)
def test_towns_are_held_as_in_the_phase(sid, scenarios, hexmap):
    cities = scenarios[sid].setup["cities"]
    assert len(cities) == 79  # all 80 but Jerusalem
    neighbours = {"TUR": "turkey", "IRN": "iran", "LBN": "hezbollah", "JOR": "coalition_others",
                  "KWT": "us", "SAU": "saudi"}
    for c in hexmap.cities:
        if c.country in neighbours:
            assert cities.get(c.id) == neighbours[c.country], c.id
    for town, owner in {"raqqa": "isis", "fallujah": "isis", "damascus": "assad", "homs": "assad",
                        "hama": "assad", "latakia": "assad", "tartus": "assad", "aleppo": "assad",
                        "deir-ez-zor": "assad", "erbil": "peshmerga", "duhok": "peshmerga",
                        "sulaymaniyah": "peshmerga", "kobani": "ypg", "qamishli": "ypg",
                        "baghdad": "iraq", "basra": "iraq", "douma": "syrian_opposition"}.items():
        assert cities[town] == owner, (sid, town)
    mosul = "iraq" if sid == "2014-isis-offensive" else "isis"
    assert cities["mosul"] == mosul


@pytest.mark.parametrize("sid", PHASES)
def test_victory_for_every_side_and_history(sid, scenarios):
    sc = scenarios[sid]
    assert {c["side"] for c in sc.setup["victory"]} == {"coalition", "baathist", "jihadist"}
    assert sc.history["winner"] == {"2014-isis-offensive": "jihadist", "2014-no-fly-zone": "coalition",
                                    "2014-new-role": "baathist", "2015-invasion": "coalition"}[sid]


def test_casualties_are_shares_of_the_source_s(scenarios):
    whole = {c.id: c.losses for c in source().categories}
    total: dict[str, int] = {}
    for sc in scenarios.values():
        cas = sc.history["casualties"]
        assert set(cas) == set(whole) - {"new_government", "pro_assad"}
        for k, n in cas.items():
            total[k] = total.get(k, 0) + n
    for k, n in total.items():
        assert n <= whole[k], k
    # both exist only until September 2015: the four phases hold all of their dead
    assert total["assad_forces"] == whole["assad_forces"] == 34_000
    assert total["syrian_opposition"] == whole["syrian_opposition"] == 17_000
    invasion = scenarios["2015-invasion"].history["casualties"]
    assert invasion["assad_forces"] > total["assad_forces"] / 2  # most of Assad's in the invasion


# -- events fire on their dates -------------------------------------------------------------

@pytest.mark.parametrize("sid", PHASES)
def test_dated_events_fire_on_their_dates(sid, scenarios, passive):
    turns, game = passive[sid]
    for e in scenarios[sid].setup["events"]:
        trig = e["trigger"]
        if "date" not in trig:
            continue
        when = dt.date.fromisoformat(trig["date"])
        first = next(t for t in turns if t.date >= when)
        assert e["id"] in first.fired, (e["id"], first.date)
        assert all(e["id"] not in t.fired for t in turns if t.date < when), e["id"]


@pytest.mark.parametrize("sid", PHASES)
def test_game_ends_with_a_result(sid, passive):
    turns, game = passive[sid]
    assert game.state.over and game.state.result
    assert len(turns) == game.state.end_turn
    expected = {"2014-isis-offensive": "coalition",  # ISIS never took Mosul and Tikrit
                "2014-no-fly-zone": "coalition", "2014-new-role": "baathist",
                "2015-invasion": "baathist"}  # nobody took Damascus
    assert game.state.winner == expected[sid]


def turn_on(turns, when: str) -> Turn:
    d = dt.date.fromisoformat(when)
    return next(t for t in turns if t.date >= d)


def turn_before(turns, when: str) -> Turn:
    d = dt.date.fromisoformat(when)
    return [t for t in turns if t.date < d][-1]


# -- phase 1: the ISIS offensive --------------------------------------------------------------

def test_isis_offensive_us_goes_to_war_in_august(passive):
    turns, _ = passive["2014-isis-offensive"]
    first = turns[0]
    assert first.sides["iraq"] == "coalition" and "opening" in first.fired
    assert war("isis", "iraq") in first.at_war and war("us", "isis") not in first.at_war
    before, after = turn_before(turns, "2014-08-09"), turn_on(turns, "2014-08-09")
    assert war("us", "isis") not in before.at_war and war("us", "isis") in after.at_war
    assert after.personnel["us"] > before.personnel["us"]  # the USAF wing in Kuwait
    august = turn_before(turns, "2014-08-03"), turn_on(turns, "2014-08-03")  # ISIS attacks again
    assert august[1].personnel["isis"] > august[0].personnel["isis"] + 5000
    syria = turn_on(turns, "2014-09-23")
    for pair in [("us", "al_qaeda"), ("saudi", "isis"), ("coalition_others", "isis"), ("france", "isis")]:
        assert war(*pair) in syria.at_war and war(*pair) not in before.at_war
    assert war("uk", "isis") in turn_on(turns, "2014-09-26").at_war
    assert war("australia", "isis") not in turns[-1].at_war  # Canberra approves in October
    assert war("turkey", "isis") not in turns[-1].at_war


def test_isis_offensive_leaders_change_in_baghdad(passive):
    turns, _ = passive["2014-isis-offensive"]
    assert turn_before(turns, "2014-09-08").leaders["iraq"] == ["Nouri al-Maliki"]
    after = turn_on(turns, "2014-09-08")
    assert after.leaders["iraq"] == ["Haider al-Abadi"] and after.bonus["iraq"] == 0.05


def test_isis_offensive_mosul_and_tikrit_fall_and_isis_wins(scenarios, hexmap):
    game = Game(scenarios["2014-isis-offensive"].setup, hexmap, RULES, SEED)
    game.state.city_owner["mosul"] = "isis"
    game.state.city_owner["tikrit"] = "baath_loyalists"  # al-Douri's men count for the jihadists
    end_turn(game)
    assert {"mosul-falls", "tikrit-falls"} <= set(game.state.fired)
    play_to(game, dt.date(2014, 9, 22))
    assert "hostages-freed" in game.state.fired  # only with Mosul in ISIS hands
    play_out(game)
    assert game.state.winner == "jihadist" and "Mosul" in game.state.result


def test_isis_offensive_baghdad_falling_ends_the_game(scenarios, hexmap):
    game = Game(scenarios["2014-isis-offensive"].setup, hexmap, RULES, SEED)
    game.state.city_owner["erbil"] = "isis"
    end_turn(game)
    assert game.state.over and game.state.winner == "jihadist" and game.state.turn == 1


# -- phase 2: the no-fly zone ----------------------------------------------------------------

def test_no_fly_zone_is_declared_in_november_and_assad_goes_to_war(passive, scenarios, hexmap):
    turns, _ = passive["2014-no-fly-zone"]
    before, after = turn_before(turns, "2014-11-01"), turn_on(turns, "2014-11-01")
    assert turns[0].zones == [] and before.zones == [] and after.zones == ["northern-syria"]
    assert war("turkey", "isis") in turns[0].at_war  # Turkey joins on the first day
    for f in COALITION_ABROAD:
        assert war("assad", f) not in before.at_war and war("assad", f) in after.at_war
    assert war("iraq", "us") not in after.at_war  # Baghdad protests but does not fight
    zone = next(z for z in scenarios["2014-no-fly-zone"].setup["zones"] if z["id"] == "northern-syria")
    assert zone["side"] == "coalition" and zone["declared"] is False
    inside = {tuple(h) for h in zone["hexes"]}
    for town in ("Aleppo", "Idlib", "Azaz", "Kobani", "Raqqa", "Manbij", "Tal Abyad"):
        c = hexmap.find_city(town)
        assert (c.hex.q, c.hex.r) in inside, town
    for town in ("Latakia", "Hama", "Homs", "Deir ez-Zor", "Mosul"):
        c = hexmap.find_city(town)
        assert (c.hex.q, c.hex.r) not in inside, town
    # Assad's air defence stands in the north, under the zone
    ad = [u for u in scenarios["2014-no-fly-zone"].setup["units"]
          if u["faction"] == "assad" and u["type"] == "air_defence" and tuple(u["hex"]) in inside]
    assert len(ad) >= 2


def test_no_fly_zone_al_nusra_turns_on_the_rebels_and_canada_joins(passive):
    turns, _ = passive["2014-no-fly-zone"]
    assert war("al_qaeda", "syrian_opposition") not in turn_before(turns, "2014-10-27").at_war
    assert war("al_qaeda", "syrian_opposition") in turn_on(turns, "2014-10-27").at_war
    assert war("canada", "isis") in turn_on(turns, "2014-10-07").at_war
    assert war("australia", "isis") in turn_on(turns, "2014-10-03").at_war


def test_no_fly_zone_kobani_falling_wins_for_isis(scenarios, hexmap):
    game = Game(scenarios["2014-no-fly-zone"].setup, hexmap, RULES, SEED)
    game.state.city_owner["kobani"] = "isis"
    end_turn(game)
    assert "kobani-falls" in game.state.fired
    assert game.state.over and game.state.winner == "jihadist"


# -- phase 3: the coalition's new role -------------------------------------------------------

def test_new_role_iraq_changes_side_and_fights_the_coalition(passive):
    turns, _ = passive["2014-new-role"]
    first, before, after = turns[0], turn_before(turns, "2014-12-04"), turn_on(turns, "2014-12-04")
    assert first.zones == ["northern-syria"] and "new-role" in first.fired
    for f in COALITION_ABROAD:
        assert war("assad", f) in first.at_war  # the coalition strikes the Syrian government
    assert before.sides["iraq"] == "coalition" and after.sides["iraq"] == "baathist"
    for f in ["us", "uk", "france", "canada", "australia", "coalition_others"]:
        assert war("iraq", f) not in before.at_war and war("iraq", f) in after.at_war
    for f in ["turkey", "saudi", "peshmerga", "ypg"]:
        assert war("iraq", f) not in after.at_war
    assert war("iraq", "isis") in after.at_war
    assert "air-combat" in turn_on(turns, "2014-12-11").fired
    assert turn_on(turns, "2015-01-23").leaders["saudi"] == ["King Abdullah"]  # the source's, throughout


def test_new_role_iran_sends_thousands_of_troops_to_syria(passive, scenarios, hexmap):
    turns, game = passive["2014-new-role"]
    assert turns[-1].personnel["iran"] - turns[0].personnel["iran"] >= 8000
    in_syria = [u for u in game.state.units.values()
                if u.faction == "iran" and RULES.unit_type(u.type).is_ground
                and hexmap.country_at(u.hex) == "SYR"]
    assert sum(u.personnel for u in in_syria) >= 9000


def test_new_role_coalition_wins_if_assad_loses_a_city(scenarios, hexmap):
    game = Game(scenarios["2014-new-role"].setup, hexmap, RULES, SEED)
    play_to(game, dt.date(2015, 1, 26))
    assert "kobani-liberated" in game.state.fired
    game.state.city_owner["aleppo"] = "syrian_opposition"
    play_out(game)
    assert game.state.winner == "coalition"


# -- phase 4: the invasion -------------------------------------------------------------------

def test_invasion_everyone_at_war_and_assad_falls_at_the_end(passive):
    turns, game = passive["2015-invasion"]
    first, last = turns[0], turns[-1]
    for f in COALITION_ABROAD + ["syrian_opposition"]:
        for b in BAATHISTS:
            assert war(f, b) in first.at_war, (f, b)
    assert war("peshmerga", "iraq") in first.at_war and war("ypg", "assad") not in first.at_war
    assert first.sides["iraq"] == "baathist" and first.leaders["saudi"] == ["King Abdullah"]
    before = turns[-2]
    assert "assad-overthrown" not in before.fired and "assad-overthrown" in last.fired
    assert before.names["syrian_opposition"] == "Syrian opposition"
    assert last.names["syrian_opposition"] == "New Syrian government"
    assert before.categories["syrian_opposition"] == "syrian_opposition"
    assert last.categories["syrian_opposition"] == "new_government"
    assert before.categories["assad"] == "assad_forces" and last.categories["assad"] == "pro_assad"
    assert last.bonus["syrian_opposition"] == 0.05
    assert last.leaders["assad"] == ["Bashar al-Assad", "Fahd Jassem al-Freij"]
    assert last.leaders["australia"] == ["Tony Abbott"]
    # Iran and Iraq send more troops
    assert max(t.personnel["iran"] for t in turns) == IRAN_INVASION
    assert last.personnel["iraq"] > first.personnel["iraq"] + 30_000
    assert "new-government-in-damascus" not in game.state.fired


def test_invasion_taking_damascus_overthrows_assad_and_holding_it_wins(scenarios, hexmap):
    game = Game(scenarios["2015-invasion"].setup, hexmap, RULES, SEED)
    end_turn(game)
    game.state.city_owner["damascus"] = "us"
    end_turn(game)
    st = game.state
    assert {"assad-overthrown", "new-government-in-damascus"} <= set(st.fired)
    assert st.city_owner["damascus"] == "syrian_opposition"
    assert st.factions["syrian_opposition"].name == "New Syrian government"
    assert st.factions["syrian_opposition"].category == "new_government"
    assert st.factions["assad"].category == "pro_assad"
    # no lightning win: Damascus must still be held when the phase ends
    assert not st.over and st.winner is None and st.date < dt.date(2015, 9, 1)
    play_out(game)
    assert st.over and st.winner == "coalition" and st.date == dt.date(2015, 9, 28)
    assert "Damascus" in st.result


def test_invasion_damascus_lost_again_is_no_coalition_win(scenarios, hexmap):
    game = Game(scenarios["2015-invasion"].setup, hexmap, RULES, SEED)
    end_turn(game)
    game.state.city_owner["damascus"] = "us"
    end_turn(game)
    assert "assad-overthrown" in game.state.fired and not game.state.over
    game.state.city_owner["damascus"] = "assad"
    play_out(game)
    assert game.state.winner == "baathist"
