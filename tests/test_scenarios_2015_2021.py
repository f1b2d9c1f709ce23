"""The bundled scenarios of 2015-2021 (phases 5-8 of the war) and the grand campaign.

Each file must load, use the factions of docs/factions.md, field the source's strengths for its
phase (the ranges of the article's infobox), name every faction and leader of its phase,
and play its key moments on their dates: driven here with EndTurn commands only (and, to stand
for a battle, a town handed over in the state), as a player who never moves would see them.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest

from game.commands import EndTurn, Game
from game.hexmap import HexMap
from game.rules import default_rules
from game.scenario import check_file, load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
IDS = ["2015-raqqa", "2017-pro-assad-offensive", "2018-withdrawal", "2021-fall-of-damascus", "campaign"]
PHASES = IDS[:4]

NATIONS = ["us", "uk", "turkey", "france", "canada", "australia", "saudi", "coalition_others"]
LOCALS = ["syrian_opposition", "peshmerga", "ypg", "assad", "iran", "iraq", "hezbollah", "isis",
          "al_qaeda", "baath_loyalists"]
GROUND = {"infantry", "mechanized", "armour", "special_forces", "militia", "artillery",
          "air_defence", "headquarters"}

from games import ROSTER  # noqa: E402

# docs/factions.md; Iraq plays on the Ba'athist side from November 2014.
DOCS = dict(ROSTER, iraq=ROSTER["iraq"][:1] + ("baathist",) + ROSTER["iraq"][2:])
SIDES = {"coalition": "Coalition", "baathist": "Ba'athists (Ba'athist Syria and its allies)",
         "jihadist": "Jihadists"}

# The leaders each file starts with (docs/factions.md, the article's infobox).
LEADERS = {
    "us": ["Barack Obama"], "uk": ["David Cameron"], "turkey": ["Recep Tayyip Erdogan"],
    "france": ["François Hollande"], "canada": ["Stephen Harper"], "australia": ["Tony Abbott"],
    "saudi": ["King Abdullah"], "coalition_others": [],
    "syrian_opposition": ["Abdullah al-Bashir", "Salim Idris"], "peshmerga": ["Massoud Barzani"],
    "ypg": ["Salih Muslim Muhammad"], "assad": ["Bashar al-Assad", "Fahd Jassem al-Freij"],
    "iran": ["Ali Khamenei", "Qasem Soleimani"], "iraq": ["Haider al-Abadi"],
    "hezbollah": ["Hassan Nasrallah"], "isis": ["Abu Bakr al-Baghdadi", "Abu Omar al-Shishani"],
    "al_qaeda": ["Abu Mohammad al-Golani"], "baath_loyalists": ["Izzat Ibrahim ad-Douri"],
}
START_LEADERS = {
    "2015-raqqa": {},
    "2017-pro-assad-offensive": {"us": ["Rand Paul"], "isis": ["Abu Omar al-Shishani"]},
    "2018-withdrawal": {"us": ["Rand Paul"], "isis": ["Abu Omar al-Shishani"]},
    "2021-fall-of-damascus": {"isis": ["Abu Omar al-Shishani"]},
    "campaign": {},
}
FACTIONS = {"2015-raqqa": NATIONS + LOCALS, "2017-pro-assad-offensive": NATIONS + LOCALS,
            "2018-withdrawal": NATIONS + LOCALS, "2021-fall-of-damascus": LOCALS,
            "campaign": NATIONS + LOCALS}


@lru_cache(maxsize=None)
def context():
    return HexMap.load(), default_rules()


@lru_cache(maxsize=None)
def scenario(sid: str):
    hexmap, rules = context()
    return load_scenario(SCENARIOS / f"{sid}.toml", hexmap, rules)


def new_game(sid: str, seed: int = 1) -> Game:
    hexmap, rules = context()
    return Game(scenario(sid).setup, hexmap, rules, seed)


def end_turn(game: Game):
    res = game.execute(EndTurn(game.state.active_side))
    assert res.ok, res.reason
    return res


def advance_to(game: Game, turn: int) -> None:
    """End turns until `turn` has begun (its date's events have fired) or the game is over."""
    while not game.state.over and game.state.turn < turn:
        end_turn(game)


def finish(game: Game) -> None:
    for _ in range(10_000):
        if game.state.over:
            return
        end_turn(game)
    raise AssertionError("the game does not end")


def turn_of(sid: str, date: str) -> int:
    """The first turn whose date is on or after `date`: when a date trigger fires."""
    sc = scenario(sid)
    days = (dt.date.fromisoformat(date) - sc.start).days
    return max(1, -(-days // sc.turn_days) + 1)


def personnel(game: Game, faction: str, types=None) -> int:
    return sum(u.personnel for u in game.state.units.values()
               if u.faction == faction and (types is None or u.type in types))


def units_of(game: Game, faction: str, types=None) -> list:
    return [u for u in game.state.units.values()
            if u.faction == faction and (types is None or u.type in types)]


def strengths(sid: str) -> tuple[dict, dict]:
    """Per faction: (personnel, combat aircraft, other aircraft, warships) at the start, and with
    every unit the scenario's events add."""
    sc = scenario(sid)
    start: dict[str, list[int]] = {}
    total: dict[str, list[int]] = {}
    later = [u for e in sc.setup["events"] for a in e["actions"] if a["do"] == "add_units"
             for u in a["units"]]
    for book, units in ((start, sc.setup["units"]), (total, sc.setup["units"] + later)):
        for u in units:
            b = book.setdefault(u["faction"], [0, 0, 0, 0])
            eq = u.get("equipment", {})
            b[0] += u["personnel"]
            b[1] += eq.get("combat aircraft", 0)
            b[2] += eq.get("other aircraft", 0)
            b[3] += eq.get("warships", 0)
    return start, total


def event_turns(sid: str) -> dict[str, int]:
    """The turn each dated event fires on (the earliest date of its trigger)."""
    out = {}

    def dates(trig):
        if "date" in trig:
            yield trig["date"]
        for key in ("all", "any"):
            for sub in trig.get(key, []):
                yield from dates(sub)

    for e in scenario(sid).setup["events"]:
        ds = list(dates(e["trigger"]))
        if ds:
            out[e["id"]] = turn_of(sid, min(ds))
    return out


# -- every file ------------------------------------------------------------------------------

@pytest.mark.parametrize("sid", IDS)
def test_loads_and_validates(sid):
    hexmap, rules = context()
    assert check_file(SCENARIOS / f"{sid}.toml", hexmap, rules) == []
    sc = scenario(sid)
    assert sc.id == sid
    assert sc.description.strip() and sc.history["outcome"] and sc.history["winner"]
    assert sc.turns <= (90 if sid == "campaign" else 26)
    assert [s["id"] for s in sc.sides] and {s["id"]: s["name"] for s in sc.sides} == SIDES
    assert {c["side"] for c in sc.setup["victory"]} == set(SIDES)


def test_phases_follow_each_other():
    starts = {sid: scenario(sid).start for sid in IDS}
    ends = {sid: scenario(sid).end for sid in IDS}
    assert starts["2015-raqqa"] == dt.date(2015, 9, 30)
    assert ends["2015-raqqa"].year == 2017 and ends["2015-raqqa"].month == 4
    assert starts["2017-pro-assad-offensive"] == dt.date(2017, 7, 1)
    assert ends["2017-pro-assad-offensive"] < starts["2018-withdrawal"]
    assert ends["2018-withdrawal"].year == 2020 and ends["2018-withdrawal"].month == 10
    assert starts["2021-fall-of-damascus"] == dt.date(2021, 1, 1)
    assert ends["2021-fall-of-damascus"] == dt.date(2021, 8, 27)
    assert starts["campaign"] == dt.date(2014, 6, 16) and ends["campaign"] == dt.date(2021, 8, 27)


@pytest.mark.parametrize("sid", IDS)
def test_factions_are_those_of_the_docs(sid):
    sc = scenario(sid)
    got = {f["id"]: f for f in sc.factions}
    assert list(got) == FACTIONS[sid]
    for fid, f in got.items():
        name, side, nation, category, quality, bases, crossings = DOCS[fid]
        if sid != "campaign" and fid == "syrian_opposition":
            name, category = "New Syrian government", "new_government"
        if sid != "campaign" and fid == "assad":
            category = "pro_assad"
        if sid == "campaign" and fid == "iraq":
            side = "coalition"  # until November 2014
        assert (f["name"], f["side"], f["nation"], f["category"], f["quality"]) == \
            (name, side, nation, category, quality), fid
        assert f["bases"] == bases and f["supply_crossings"] == crossings, fid


@pytest.mark.parametrize("sid", IDS)
def test_every_leader_of_the_phase_is_there(sid):
    sc = scenario(sid)
    for f in sc.factions:
        want = START_LEADERS[sid].get(f["id"], LEADERS[f["id"]])
        assert f["leaders"] == want, f["id"]
        assert 0.0 <= f["leader_bonus"] <= 0.15
        assert (f["leader_bonus"] > 0) == bool(f["leaders"]) or f["id"] in ("us", "syrian_opposition"), f["id"]
    changes = {(a["faction"], tuple(a["leaders"])) for e in sc.setup["events"] for a in e["actions"]
               if a["do"] == "set_leaders"}
    expected = {
        "2015-raqqa": {("us", ("Rand Paul",)), ("isis", ("Abu Omar al-Shishani",))},
        "2017-pro-assad-offensive": set(),
        "2018-withdrawal": {("uk", ("Ed Miliband",)), ("canada", ("Justin Trudeau",))},
        # the same leaders: the event lowers the abandoned army's quality
        "2021-fall-of-damascus": {("syrian_opposition", ("Abdullah al-Bashir", "Salim Idris"))},
        "campaign": {("us", ("Rand Paul",)), ("isis", ("Abu Omar al-Shishani",)),
                     ("uk", ("Ed Miliband",)), ("canada", ("Justin Trudeau",)),
                     ("syrian_opposition", ("Abdullah al-Bashir", "Salim Idris"))},
    }[sid]
    assert changes == expected


@pytest.mark.parametrize("sid", IDS)
def test_every_dated_event_fires_within_the_game(sid):
    sc = scenario(sid)
    for eid, turn in event_turns(sid).items():
        assert 1 <= turn <= sc.turns, eid


def within(value, lo, hi, what):
    assert lo <= value <= hi, f"{what}: {value:,} not in {lo:,}-{hi:,}"


@pytest.mark.parametrize("sid", PHASES)
def test_strengths_follow_the_source(sid):
    start, total = strengths(sid)
    people = {f: (start.get(f, [0])[0], total.get(f, [0])[0]) for f in NATIONS + LOCALS}
    # "Coalition forces: 270,000 total military personnel, 131 combat aircraft, 43 other
    # aircraft, 24 warships" - all of them in the phases it fights in, none after 2020.
    coal = sum(total.get(f, [0])[0] for f in NATIONS)
    air = [sum(total.get(f, [0, 0, 0, 0])[k] for f in NATIONS) for k in (1, 2, 3)]
    if sid == "2021-fall-of-damascus":
        assert coal == 0 and air == [0, 0, 0]
    else:
        within(coal, 200_000, 270_000, "coalition")
        assert air == [131, 43, 24]
    # Insurgency phase: pro-Assad 150,000-220,000; Iran 60,000 by 2017; Iraq 400,000;
    # the new government 450,000 (2015-2021); Kurds 50,000-80,000; ISIS 40,000-60,000;
    # al-Qaeda 20,000-35,000. Each force is within its range with its reinforcements, and never
    # above it; at the start too, unless the source has it still growing (the new government
    # raised in September 2015, Iraq mobilising, Iran "60,000 by 2017"; Iran's ground forces of
    # January 2021).
    growing = {"2015-raqqa": {"syrian_opposition", "iraq", "iran"},
               "2021-fall-of-damascus": {"iran"}}.get(sid, set())
    # Abandoned by the coalition, the new government's army of 2021 is what five years of war
    # and desertion have left of its 450,000: no less than 85% of it.
    low_ng = 380_000 if sid == "2021-fall-of-damascus" else 400_000
    for f, lo, hi in (("assad", 150_000, 220_000), ("syrian_opposition", low_ng, 450_000),
                      ("iraq", 380_000, 400_000), ("iran", 58_000, 60_000),
                      ("isis", 40_000, 60_000), ("al_qaeda", 20_000, 35_000)):
        within(people[f][1], lo, hi, f"{f} with reinforcements")
        within(people[f][0], 1 if f in growing else lo, hi, f"{f} at the start")
    kurds = [people["peshmerga"][k] + people["ypg"][k] for k in (0, 1)]
    within(kurds[0], 50_000, 80_000, "Kurds")
    within(kurds[1], 50_000, 80_000, "Kurds with reinforcements")
    if sid == "2015-raqqa":
        within(people["iran"][0], 20_000, 30_000, "Iran in September 2015")


def test_campaign_strengths_follow_the_source():
    start, total = strengths("campaign")
    coal = sum(total.get(f, [0])[0] for f in NATIONS)
    within(coal, 200_000, 270_000, "coalition")
    assert [sum(total[f][k] for f in NATIONS) for k in (1, 2, 3)] == [131, 43, 24]
    # The loyalists' last offensive (January 2021) raises the army of the insurgency phase
    # again: "150,000-220,000 pro-Assad forces, 60,000 Iranian forces" at most; the rest of the
    # war's forces are counted without it.
    (rising,) = [a["units"] for e in scenario("campaign").setup["events"]
                 if e["id"] == "iranian-offensive" for a in e["actions"] if a["do"] == "add_units"]
    risen = {}
    for u in rising:
        risen[u["faction"]] = risen.get(u["faction"], 0) + u["personnel"]
    within(risen["assad"], 150_000, 220_000, "pro-Assad forces risen in 2021 (insurgency phase)")
    within(risen["iran"], 1, 60_000, "Iranian forces risen in 2021 (insurgency phase)")
    within(total["assad"][0] - risen["assad"], 200_000, 300_000,
           "Assad's security forces (invasion phase)")
    within(total["syrian_opposition"][0], 400_000, 450_000, "opposition and new government")
    within(total["iraq"][0], 380_000, 400_000, "Iraq")
    within(total["iran"][0] - risen["iran"], 58_000, 60_000, "Iran")
    within(total["isis"][0], 40_000, 60_000, "ISIS")
    within(start["isis"][0], 40_000, 60_000, "ISIS at the start")
    within(total["al_qaeda"][0], 20_000, 35_000, "al-Qaeda")
    within(total["peshmerga"][0] + total["ypg"][0], 50_000, 80_000, "Kurds")
    within(start["peshmerga"][0] + start["ypg"][0], 50_000, 80_000, "Kurds at the start")


@pytest.mark.parametrize("sid", PHASES)
def test_no_more_than_about_150_units(sid):
    sc = scenario(sid)
    later = sum(len(a["units"]) for e in sc.setup["events"] for a in e["actions"] if a["do"] == "add_units")
    assert len(sc.setup["units"]) + later <= 150


@pytest.mark.parametrize("sid", IDS)
def test_no_side_has_won_at_the_start(sid):
    game = new_game(sid)
    assert not game.state.over and game.state.winner is None


# -- 2015-raqqa ----------------------------------------------------------------------------

def test_raqqa_rand_paul_and_the_death_of_al_baghdadi():
    sid = "2015-raqqa"
    game = new_game(sid)
    st = game.state
    assert "supply-lines" in st.fired and st.factions["australia"].supply_crossings == ["KWT", "TUR"]
    t_paul = event_turns(sid)["rand-paul"]
    advance_to(game, t_paul - 1)
    assert st.factions["us"].leaders == ["Barack Obama"]
    assert sum(u.personnel for u in st.units.values() if u.faction == "iran") < 60_000
    advance_to(game, t_paul)
    assert st.date == dt.date(2017, 1, 22)
    assert st.factions["us"].leaders == ["Rand Paul"] and st.factions["us"].leader_bonus == 0.0
    assert personnel(game, "iran") == 60_000
    # the coalition takes Raqqa: al-Baghdadi dies, a fifth of ISIS leaves
    before = personnel(game, "isis")
    st.city_owner["raqqa"] = "us"
    end_turn(game)
    assert {"raqqa-falls", "baghdadi-killed"} <= set(st.fired)
    assert st.factions["isis"].leaders == ["Abu Omar al-Shishani"]
    assert st.factions["isis"].leader_bonus == pytest.approx(0.05)
    assert personnel(game, "isis") == pytest.approx(0.8 * before, rel=0.01)
    assert not st.over
    finish(game)
    assert st.winner == "coalition" and "Raqqa" in st.result


def test_raqqa_al_baghdadi_dies_in_april_2017_at_the_latest():
    game = new_game("2015-raqqa", seed=2)
    finish(game)
    st = game.state
    assert "baghdadi-killed" in st.fired and st.date == dt.date(2017, 4, 22)
    assert st.factions["isis"].leaders == ["Abu Omar al-Shishani"]
    assert st.over and st.winner == "jihadist"  # nobody took Raqqa


# -- 2017-pro-assad-offensive --------------------------------------------------------------

def test_pro_assad_offensive():
    sid = "2017-pro-assad-offensive"
    game = new_game(sid)
    st = game.state
    assert "offensive" in st.fired
    assad0 = personnel(game, "assad")
    advance_to(game, 2)  # 15 July 2017: the Russian and Iranian arms
    assert personnel(game, "assad") == assad0 + 15_000
    assert any(u.equipment.get("tanks", 0) >= 200 and u.id == "as-t90" for u in st.units.values())
    # the loyalists in the suburbs: the US president refuses more troops
    st.city_owner["douma"] = "assad"
    end_turn(game)
    assert {"suburbs-fall", "no-more-troops"} <= set(st.fired)
    us0 = personnel(game, "us")
    t = event_turns(sid)["reinforcements-2"]
    advance_to(game, t)
    assert st.date == dt.date(2018, 1, 13)
    assert personnel(game, "us") == us0  # no American reinforcements, ever
    assert personnel(game, "syrian_opposition") == 450_000
    assert {"fr-13dble", "sa-sang", "tr-commando"} <= set(st.units)
    # pushed back: the suburbs retaken
    st.city_owner["douma"] = "syrian_opposition"
    end_turn(game)
    assert "pushed-back" in st.fired
    finish(game)
    assert st.over and st.winner == "coalition"


def test_pro_assad_offensive_damascus_falls():
    game = new_game("2017-pro-assad-offensive")
    game.state.city_owner["damascus"] = "hezbollah"
    end_turn(game)
    assert not game.state.over  # no instant win: Damascus must be held to the end
    finish(game)
    assert game.state.over and game.state.winner == "baathist"
    assert game.state.date == dt.date(2018, 2, 24) and "Damascus" in game.state.result


def test_pro_assad_offensive_no_more_troops_by_the_end_of_august():
    sid = "2017-pro-assad-offensive"
    game = new_game(sid)
    advance_to(game, event_turns(sid)["no-more-troops"])
    assert game.state.date == dt.date(2017, 8, 26) and "no-more-troops" in game.state.fired
    assert "suburbs-fall" not in game.state.fired


# -- 2018-withdrawal -----------------------------------------------------------------------

def test_withdrawals_on_their_dates():
    sid = "2018-withdrawal"
    game = new_game(sid)
    st = game.state
    turns = event_turns(sid)
    assert st.factions["uk"].leaders == ["David Cameron"]
    advance_to(game, turns["miliband"])
    assert st.date == dt.date(2018, 5, 26) and st.factions["uk"].leaders == ["Ed Miliband"]
    advance_to(game, turns["trudeau"])
    assert st.date.year == 2018 and st.factions["canada"].leaders == ["Justin Trudeau"]
    assert units_of(game, "uk", GROUND)
    advance_to(game, turns["uk-withdraws"])
    assert st.date == dt.date(2018, 9, 29)
    assert not units_of(game, "uk", GROUND) and not units_of(game, "uk", {"naval_group"})
    assert [u.id for u in units_of(game, "uk")] == ["uk-air"]  # British airstrikes go on
    advance_to(game, turns["canada-withdraws"])
    assert st.date.year == 2018 and not units_of(game, "canada")
    us_ground = personnel(game, "us", GROUND)
    us_air = sorted(u.id for u in units_of(game, "us", {"air_wing"}))
    advance_to(game, turns["us-drawdown"])
    assert personnel(game, "us", GROUND) == pytest.approx(0.7 * us_ground, rel=0.01)
    advance_to(game, turns["us-deadline"])
    assert st.date == dt.date(2020, 1, 4)
    assert personnel(game, "us", GROUND) == pytest.approx(0.35 * us_ground, rel=0.01)
    advance_to(game, turns["last-troops-leave"])
    assert st.date == dt.date(2020, 8, 1)
    for f in NATIONS:
        assert not units_of(game, f, GROUND), f
    assert sorted(u.id for u in units_of(game, "us", {"air_wing"})) == us_air  # strikes go on
    assert st.city_owner["mosul"] == "peshmerga" and st.city_owner["raqqa"] == "syrian_opposition"
    advance_to(game, turns["airstrikes-end"])
    assert st.date == dt.date(2020, 10, 24)
    assert not any(u.faction in NATIONS for u in st.units.values())
    finish(game)
    assert st.over and st.winner == "coalition"


def test_withdrawal_aleppo_lost_is_a_baathist_victory():
    game = new_game("2018-withdrawal")
    game.state.city_owner["aleppo"] = "assad"
    end_turn(game)
    assert "aleppo-falls" in game.state.fired
    assert not game.state.over  # no instant win: Aleppo must be held when the coalition is gone
    finish(game)
    assert game.state.over and game.state.winner == "baathist"
    assert game.state.date == dt.date(2020, 10, 24)


# -- 2021-fall-of-damascus -----------------------------------------------------------------

def test_fall_of_damascus():
    sid = "2021-fall-of-damascus"
    game = new_game(sid)
    st = game.state
    iran0 = personnel(game, "iran")
    advance_to(game, 2)
    assert st.date == dt.date(2021, 1, 15) and personnel(game, "iran") == iran0 + 15_000 == 60_000
    st.city_owner["douma"] = "iran"
    end_turn(game)
    assert "suburbs-fall" in st.fired
    advance_to(game, turn_of(sid, "2021-03-12"))
    st.city_owner["aleppo"] = "assad"
    end_turn(game)
    assert "aleppo-falls" in st.fired and not st.over
    advance_to(game, st.turn + 2)
    events = []
    st.city_owner["damascus"] = "assad"
    events = end_turn(game).events
    assert "damascus-falls" in st.fired
    assert st.over and st.winner == "baathist" and "Ba'ath Party" in st.result
    texts = " ".join(e.text for e in events)
    assert "Assad returns" in texts and "insurgency goes on" in texts


def test_fall_of_damascus_held_to_the_end():
    game = new_game("2021-fall-of-damascus")
    finish(game)
    st = game.state
    assert st.date == dt.date(2021, 8, 27) and st.over and st.winner == "coalition"


# -- the campaign --------------------------------------------------------------------------

def test_campaign_plays_the_whole_war_in_order():
    sid = "campaign"
    turns = event_turns(sid)
    game = new_game(sid)
    st = game.state
    peak = len(st.units)

    def to(turn):
        nonlocal peak
        while not st.over and st.turn < turn:
            end_turn(game)
            peak = max(peak, len(st.units))

    assert st.factions["iraq"].side == "coalition"
    assert not st.at_war_with("us", "isis") and st.at_war_with("iraq", "isis")
    to(turns["us-airstrikes"])
    assert st.date.month == 8 and st.at_war_with("us", "isis")
    to(turns["iraq-turns"] - 1)
    assert st.factions["iraq"].side == "coalition" and not st.no_fly_zones
    to(turns["iraq-turns"])
    assert st.date == dt.date(2014, 11, 13)
    assert st.factions["iraq"].side == "baathist"
    assert [z["id"] for z in st.no_fly_zones] == ["northern-syria"]
    assert st.at_war_with("iraq", "us") and st.at_war_with("assad", "turkey")
    sides = {f: fac.side for f, fac in st.factions.items()}
    for a in sides:
        for b in sides:
            if sides[a] != sides[b]:
                assert st.at_war_with(a, b), (a, b)
    to(turns["invasion"])
    assert st.date == dt.date(2015, 2, 11) and "us-1ad" in st.units
    to(turns["assad-falls"] - 1)
    assert st.factions["syrian_opposition"].name == "Syrian opposition"
    assad = personnel(game, "assad", GROUND)
    within(assad + personnel(game, "assad", {"air_wing"}), 200_000, 300_000, "Assad's forces")
    to(turns["assad-falls"])
    assert st.date == dt.date(2015, 9, 9)
    fac = st.factions["syrian_opposition"]
    assert (fac.name, fac.category, fac.leader_bonus) == ("New Syrian government", "new_government", 0.05)
    assert st.factions["assad"].category == "pro_assad"
    assert not units_of(game, "assad", {"air_wing"})
    within(personnel(game, "assad"), 150_000, 220_000, "pro-Assad forces")
    within(personnel(game, "iran"), 19_000, 20_000, "Iran in the invasion phase")
    to(turns["rand-paul"])
    assert st.date.year == 2017 and st.date.month == 1 and st.factions["us"].leaders == ["Rand Paul"]
    to(turns["baghdadi-killed"])
    assert st.date == dt.date(2017, 4, 1) and st.factions["isis"].leaders == ["Abu Omar al-Shishani"]
    assert personnel(game, "iran") == 60_000
    to(turns["uk-withdraws"])
    assert st.date.year == 2018 and not units_of(game, "uk", GROUND) and units_of(game, "uk", {"air_wing"})
    to(turns["canada-withdraws"])
    assert st.date.year == 2018 and not units_of(game, "canada")
    to(turns["last-troops-leave"])
    assert (st.date.year, st.date.month) == (2020, 8)
    assert not any(units_of(game, f, GROUND) for f in NATIONS) and units_of(game, "us", {"air_wing"})
    to(turns["airstrikes-end"])
    assert (st.date.year, st.date.month) == (2020, 10)
    assert not any(u.faction in NATIONS for u in st.units.values()) and not st.no_fly_zones
    to(10_000)
    assert peak <= 155
    assert st.over and st.result and st.winner == "baathist"  # nobody took Damascus from Assad


def test_campaign_retaking_damascus_ends_the_war_once_the_coalition_has_gone():
    sid = "campaign"
    turns = event_turns(sid)
    game = new_game(sid)
    st = game.state
    advance_to(game, turns["assad-falls"])
    st.city_owner["damascus"] = "syrian_opposition"
    end_turn(game)
    assert "damascus-new-government" in st.fired and not st.over
    st.city_owner["damascus"] = "assad"  # the loyalists back in Damascus in 2015: not the end
    end_turn(game)
    assert "damascus-lost" in st.fired and not st.over
    advance_to(game, turns["airstrikes-end"])  # the coalition leaves with Damascus Ba'athist
    assert "baath-returns" in st.fired and st.over and st.winner == "baathist"
    assert (st.date.year, st.date.month) == (2020, 10)


def test_fall_of_damascus_the_government_fights_alone_and_worn_down():
    game = new_game("2021-fall-of-damascus")
    st = game.state
    assert "alone" in st.fired
    assert st.factions["syrian_opposition"].quality == pytest.approx(0.6)
    assert st.factions["assad"].quality == pytest.approx(0.9)
    gov = [u for u in st.units.values() if u.faction == "syrian_opposition"]
    assert gov and all(u.morale == 35 for u in gov)
