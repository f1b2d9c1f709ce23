"""Air and naval warfare on a small real game: ranges, refusals, losses counted, air defence,
interception, no-fly zones, tasks, naval strikes, determinism and saves (game.air)."""

from __future__ import annotations

import numpy as np
import pytest

from game.air import (AirMission, DeclareNoFlyZone, LiftNoFlyZone, NavalStrike, air_range,
                      expire_air_tasks, zones_at)
from game.combat import cas_aircraft
from game.commands import Command, EndTurn, Move
from game.hexgrid import Hex, hex_range
from game.saves import load_game, save_game, verify_save
from game.state import GameState, SetupError

from games import hexmap, mosul_game, mosul_setup, refused

# Places on the real map (axial hexes).
KUWAIT = Hex(73, 106)
ERBIL = Hex(76, 20)
STEPPE_NEAR_MOSUL = Hex(66, 20)  # where isis-3 starts: steppe, 93 hexes from Kuwait
TIKRIT = Hex(63, 41)  # 75 hexes from Kuwait
RAQQA = Hex(30, 23)
ALEPPO = Hex(15, 19)
KOBANI = Hex(30, 11)
HASAKAH = Hex(49, 16)
GAZIANTEP = Hex(23, 8)  # in Turkey: a US base country
UMM_QASR = hexmap().find_city("Umm Qasr").hex
GULF = min((h for h in hexmap().all_hexes() if hexmap().terrain_at(h) == "sea"
            and h.distance(UMM_QASR) <= 3), key=lambda h: (h.distance(UMM_QASR), h.q, h.r))
BASRA = Hex(78, 91)


def side_to_move(game, side):
    game.state.active = game.state.sides.index(side)


def add(game, **spec):
    st = game.state
    unit = st.make_unit(spec, game.hexmap, game.rules)
    unit.moves_left = game.rules.unit_type(unit.type).movement
    st.units[unit.id] = unit
    st.units = dict(sorted(st.units.items()))
    return unit


def ok(game, cmd):
    res = game.execute(cmd)
    assert res.ok, res.problems
    return res.events


def strike_game():
    """The coalition to move; isis-3 (800 people, 40 vehicles) on the steppe west of Mosul,
    watched by US special forces next to it."""
    game = mosul_game()
    side_to_move(game, "coalition")
    game.state.units["us-1"].hex = STEPPE_NEAR_MOSUL + Hex(1, 0)
    return game


def nfz_game():
    """2014: an Assad wing at Aleppo, Kurds at Kobani (inside the coalition's northern Syria
    zone) and at Hasakah (outside it), a US wing at Gaziantep in Turkey."""
    setup = mosul_setup()
    setup["no_fly_zones"] = [{"id": "north-syria", "name": "Northern Syria", "side": "coalition",
                              "centre": "Kobani", "radius": 10}]
    from game.commands import Game
    from game.rules import default_rules

    game = Game(setup, hexmap(), default_rules(), 1)
    add(game, id="assad-air", type="air_wing", faction="assad", place="Aleppo", personnel=1500,
        equipment={"combat aircraft": 30, "other aircraft": 4})
    add(game, id="kurds-k", type="infantry", faction="kurds", place="Kobani", personnel=3000)
    add(game, id="kurds-h", type="infantry", faction="kurds", place="al-Hasakah", personnel=3000)
    game.state.units["us-air"].hex = GAZIANTEP
    return game


def mean_lost(game, wing, target, seeds=range(120), mission="strike"):
    """Mean combat aircraft the wing loses flying the mission, over many seeds (applied
    directly to copies: validation is tested elsewhere)."""
    lost = []
    for seed in seeds:
        st = game.state.copy()
        st.rng = np.random.default_rng(seed)
        before = st.units[wing].equipment["combat aircraft"]
        AirMission(st.active_side, wing, mission, target).apply(st, game.ctx)
        after = st.units[wing].equipment["combat aircraft"] if wing in st.units else 0
        lost.append(before - after)
    return float(np.mean(lost))


# -- range and bases ------------------------------------------------------------------------

def test_range_stretched_by_tankers():
    game = mosul_game()
    wing = game.state.units["us-air"]
    assert air_range(game.rules, wing) == 96  # 60 x (1 + 3 x 0.2)
    wing.equipment["other aircraft"] = 0
    assert air_range(game.rules, wing) == 60
    wing.equipment["other aircraft"] = 40  # a share of 0.5 counts as 0.25
    assert air_range(game.rules, wing) == 105


def test_in_and_out_of_range():
    game = strike_game()
    ok(game, AirMission("coalition", "us-air", "patrol", TIKRIT))
    game = strike_game()
    game.state.units["us-air"].equipment["other aircraft"] = 0
    refused(game, AirMission("coalition", "us-air", "patrol", TIKRIT),
            "out of range: 75 hexes from the base of United States air wing (Air) at Kuwait City; "
            "its range is 60")
    refused(game, AirMission("coalition", "us-air", "patrol", RAQQA), "out of range")


def test_one_mission_a_turn_and_again_next_turn():
    game = strike_game()
    ok(game, AirMission("coalition", "us-air", "patrol", TIKRIT))
    assert game.state.units["us-air"].moves_left == 0
    refused(game, AirMission("coalition", "us-air", "patrol", TIKRIT), "already flown this turn")
    refused(game, Move("coalition", "us-air", [KUWAIT, KUWAIT + Hex(1, 0)]), "no moves left")
    for _ in range(3):
        ok(game, EndTurn(game.state.active_side))
    assert game.state.active_side == "coalition"
    ok(game, AirMission("coalition", "us-air", "patrol", TIKRIT))


def test_rebase_by_move_then_fly_from_the_new_base():
    game = strike_game()
    path = [KUWAIT + Hex(0, -k) for k in range(12)]  # north over the bay into Iraq's desert
    refused(game, Move("coalition", "us-air", path), "an air wing must land at a base")
    game.state.units["us-air"].hex = path[-1]  # set down off base (as a scenario might)
    refused(game, AirMission("coalition", "us-air", "patrol", TIKRIT), "not at an air base")
    start = ERBIL + Hex(0, 20)
    game.state.units["us-air"].hex = start
    erbil_path = [start]
    while erbil_path[-1] != ERBIL:  # fly straight to Erbil, held by the Kurds, of the same side
        here = erbil_path[-1]
        erbil_path.append(min(here.neighbors(), key=lambda h: h.distance(ERBIL)))
    ok(game, Move("coalition", "us-air", erbil_path))
    game.state.units["us-air"].moves_left = 60
    ok(game, AirMission("coalition", "us-air", "patrol", RAQQA))


# -- refusals -------------------------------------------------------------------------------

def test_refusal_reasons():
    game = strike_game()
    refused(game, AirMission("jihadist", "us-air", "patrol", TIKRIT), "not your turn")
    refused(game, AirMission("coalition", "nobody", "patrol", TIKRIT), "no unit 'nobody'")
    refused(game, AirMission("coalition", "isis-3", "patrol", TIKRIT),
            "not your unit: Islamic State mechanized infantry no. 3 belongs to Islamic State")
    refused(game, AirMission("coalition", "us-1", "patrol", TIKRIT),
            "United States special forces no. 1 is not an air wing but a special forces unit")
    refused(game, AirMission("coalition", "us-air", "bomb", TIKRIT), "unknown mission 'bomb'")
    refused(game, AirMission("coalition", "us-air", "patrol", Hex(500, 500)), "off the map")
    refused(game, AirMission("coalition", "us-air", "strike", TIKRIT),
            "no enemy you can see at Tikrit: a strike needs a target")
    refused(game, AirMission("coalition", "us-air", "cas", TIKRIT),
            "close air support needs a target")
    game.state.units["us-air"].equipment["combat aircraft"] = 0
    refused(game, AirMission("coalition", "us-air", "patrol", TIKRIT), "no combat aircraft left")


def test_validation_uses_only_what_the_side_sees():
    game = strike_game()
    target = game.state.units["isis-3"].hex
    ok_ = AirMission("coalition", "us-air", "strike", target)
    assert game.validate(ok_) == []
    game.state.units["us-1"].hex = ERBIL  # nobody watches isis-3 any more
    refused(game, AirMission("coalition", "us-air", "strike", target), "no enemy you can see")


# -- strikes --------------------------------------------------------------------------------

def test_strike_losses_light_and_counted_exactly():
    shares = []
    for seed in range(12):
        game = strike_game()
        game.state.rng = np.random.default_rng(seed)
        st = game.state
        target = st.units["isis-3"]
        events = ok(game, AirMission("coalition", "us-air", "strike", target.hex))
        mission = next(e for e in events if e.kind == "air_mission")
        d = mission.data
        assert mission.reveals
        assert d["killed"] + d["wounded"] + d["shaken"] == d["out_of_fight"] == 800 - target.personnel
        assert (target.killed, target.wounded, target.shaken) == (d["killed"], d["wounded"],
                                                                  d["shaken"])
        # the ledger matches what the units lost, person for person and vehicle for vehicle
        assert st.losses.get("isis", {}).get("air strikes", 0) == d["killed"]
        assert st.manpower["isis"].get("shaken", 0) == d["shaken"]
        lost_av = st.equipment_lost.get("isis", {}).get("armoured vehicles", 0)
        assert lost_av == 40 - target.equipment["armoured vehicles"]
        wing = st.units["us-air"]
        assert wing.equipment["combat aircraft"] + st.equipment_lost.get("us", {}).get(
            "combat aircraft", 0) == 40
        assert wing.personnel + st.losses.get("us", {}).get("air", 0) == 2000
        assert st.civilians == {}  # the steppe: no town
        shares.append((target.killed / 800, (800 - target.personnel) / 800))
    # light in dead, as the source says: a few per cent of a unit in the open, never more
    # than 10%; many more pinned down and disorganised
    killed = [k for k, _ in shares]
    out = [o for _, o in shares]
    assert 0.005 < np.mean(killed) < 0.08
    assert max(killed) <= 0.10
    assert np.mean(out) > 2 * np.mean(killed)


def test_cover_and_entrenchment_reduce_strike_losses():
    game = strike_game()
    st = game.state

    def mean_killed(entrenchment, hex_=None):
        out = []
        for seed in range(60):
            s = st.copy()
            s.rng = np.random.default_rng(seed)
            u = s.units["isis-2"]  # 1,500 militia
            u.entrenchment = entrenchment
            if hex_ is not None:
                u.hex = hex_
            AirMission("coalition", "us-air", "strike", u.hex).apply(s, game.ctx)
            out.append(1500 - s.units["isis-2"].personnel)
        return np.mean(out)

    open_ground = mean_killed(0)
    assert mean_killed(2) < open_ground * 0.75
    assert mean_killed(0, TIKRIT) < open_ground * 0.6  # urban cover (Tikrit is in range)


def test_civilians_only_in_urban_hexes():
    game = strike_game()
    st = game.state
    st.units["us-air"].hex = ERBIL
    st.units["us-1"].hex = RAQQA + Hex(1, 0)
    ok(game, AirMission("coalition", "us-air", "strike", RAQQA))
    assert st.civilians.get("air strikes", 0) > 0
    game = strike_game()
    ok(game, AirMission("coalition", "us-air", "strike", game.state.units["isis-3"].hex))
    assert game.state.civilians == {}


def test_a_strikes_text_names_the_wing_the_place_and_what_broke_up():
    game = strike_game()
    st = game.state
    st.units["us-air"].name = "USAF strike wing"
    st.units["isis-3"].name = "Mosul armoured column"
    st.units["isis-3"].personnel = 305  # mechanized dissolves below 300
    target = st.units["isis-3"].hex
    for seed in range(50):
        s = st.copy()
        s.rng = np.random.default_rng(seed)
        events = AirMission("coalition", "us-air", "strike", target).apply(s, game.ctx)
        text = next(e for e in events if e.kind == "air_mission").text
        assert text.startswith("USAF strike wing struck the steppe ")
        assert " km " in text and " of " in text and f"{target.q},{target.r}" not in text
        if "isis-3" not in s.units:
            assert text.endswith("Mosul armoured column broken up")
            break
    else:
        pytest.fail("no strike broke up a unit just above its minimum strength")
    # On a town, the town's name.
    st.units["isis-3"].hex = TIKRIT + Hex(1, 0)
    st.units["iraq-2"].hex = TIKRIT + Hex(2, 0)
    add(game, id="isis-t", name="Tikrit emirate", type="militia", faction="isis", place="Tikrit",
        personnel=2000)
    game.state.units["us-1"].hex = TIKRIT + Hex(-1, 0)
    events = ok(game, AirMission("coalition", "us-air", "strike", TIKRIT))
    mission = next(e for e in events if e.kind == "air_mission")
    assert mission.text.startswith("USAF strike wing struck Tikrit with ")
    assert mission.data["hex"] == [TIKRIT.q, TIKRIT.r] and mission.data["wing"] == "us-air"


def test_unit_broken_up_when_below_its_minimum():
    game = strike_game()
    st = game.state
    st.units["isis-3"].personnel = 305  # mechanized dissolves below 300
    target = st.units["isis-3"].hex
    for seed in range(50):
        s = st.copy()
        s.rng = np.random.default_rng(seed)
        AirMission("coalition", "us-air", "strike", target).apply(s, game.ctx)
        if "isis-3" not in s.units:
            book = s.losses["isis"]
            assert book["air strikes"] + book["dissolved"] + book.get("wounded", 0) == 305
            assert s.equipment_lost["isis"]["armoured vehicles"] == 40  # lost with the unit
            return
    pytest.fail("no strike broke up a unit just above its minimum strength")


# -- air defence ----------------------------------------------------------------------------

def test_air_defence_shoots_down_aircraft_and_counts_them():
    game = strike_game()
    target = game.state.units["isis-3"].hex
    none = mean_lost(game, "us-air", target, range(150))
    add(game, id="isis-sam", type="air_defence", faction="isis", hex=[target.q - 2, target.r],
        personnel=1000)
    some = mean_lost(game, "us-air", target, range(150))
    add(game, id="isis-sam2", type="air_defence", faction="isis", hex=[target.q, target.r - 3],
        personnel=1000)
    more = mean_lost(game, "us-air", target, range(150))
    assert none < 0.2 < some < more
    # one strike through the guns, counted in full
    st = game.state
    st.rng = np.random.default_rng(3)
    events = ok(game, AirMission("coalition", "us-air", "strike", target))
    shot = next(e for e in events if e.kind == "shot_down")
    assert shot.reveals and set(shot.data["units"]) >= {"isis-sam", "isis-sam2"}
    wing = st.units["us-air"]
    assert wing.equipment["combat aircraft"] == 40 - shot.data["lost"]
    assert st.equipment_lost.get("us", {}).get("combat aircraft", 0) == shot.data["lost"]
    crew = st.losses.get("us", {}).get("air", 0)
    assert 2000 - wing.personnel == crew == shot.data["crew_killed"]


def test_better_quality_loses_fewer_aircraft():
    game = strike_game()
    target = game.state.units["isis-3"].hex
    add(game, id="isis-sam", type="air_defence", faction="isis", hex=[target.q - 2, target.r],
        personnel=2000)
    plain = mean_lost(game, "us-air", target, range(150))
    game.state.factions["us"].quality = 2.0
    assert mean_lost(game, "us-air", target, range(150)) < plain * 0.7


def belt_game(battalions: int):
    """strike_game with the US also at war with Assad, its aircraft of the scenarios' quality
    (1.6), and ``battalions`` of Assad's air defence battalions of 2,000 (as in the 2014
    scenarios) reaching isis-3 from two and three hexes off, where the US special forces by
    it see them."""
    from game.commands import Game
    from game.rules import default_rules

    setup = mosul_setup()
    setup["at_war"].append(["assad", "us"])
    game = Game(setup, hexmap(), default_rules(), 1)
    side_to_move(game, "coalition")
    st = game.state
    st.units["us-1"].hex = STEPPE_NEAR_MOSUL + Hex(1, 0)
    st.factions["us"].quality = 1.6
    for k, h in enumerate((Hex(-2, 0), Hex(0, 2), Hex(2, -2))[:battalions]):
        spot = STEPPE_NEAR_MOSUL + h
        add(game, id=f"assad-sam{k}", type="air_defence", faction="assad",
            hex=[spot.q, spot.r], personnel=2000)
    return game


def test_a_dense_air_defence_belt_is_a_real_risk_and_the_log_gives_the_odds():
    game = belt_game(2)
    rules, st = game.rules, game.state
    fig = rules.air.air_defence
    # the strength in reach from the unit types: two battalions and the target's own guns
    strength = (2 * rules.unit_type("air_defence").air_defence * 2.0 * st.factions["assad"].quality
                + rules.unit_type("mechanized").air_defence * 0.8 * st.factions["isis"].quality)
    chance = min(fig.kill_cap, fig.kill_per_point * strength / 1.6)
    # a real risk, not a massacre: a wing of 40 expects to lose one or two aircraft
    assert 0.02 <= chance <= 0.05
    assert mean_lost(game, "us-air", STEPPE_NEAR_MOSUL, range(200)) == pytest.approx(
        40 * chance, rel=0.3)
    events = ok(game, AirMission("coalition", "us-air", "strike", STEPPE_NEAR_MOSUL))
    shot = next(e for e in events if e.kind == "shot_down")
    assert shot.data["chance"] == pytest.approx(chance, abs=1e-5)
    assert shot.text.endswith(f"each ran a risk of {100 * chance:.1f}%")
    assert {"assad-sam0", "assad-sam1"} <= set(shot.data["units"])
    # over the Islamic State's column alone the guns are slight
    events = ok(belt_game(0), AirMission("coalition", "us-air", "strike", STEPPE_NEAR_MOSUL))
    shot = next(e for e in events if e.kind == "shot_down")
    assert shot.data["chance"] < 0.001 and shot.text.endswith("each ran a risk of under 0.1%")


def test_the_computer_keeps_its_strikes_out_of_a_dense_belt_it_sees():
    """The US wing strikes the column in the open, still does under one battalion's guns, and
    stays home rather than fly into two that overlap (its only target lies under them)."""
    from game.ai import AIPlayer, play_turn

    def strikes(game):
        play_turn(game, AIPlayer("coalition", game.hexmap, game.rules, [], "normal"))
        return [c["target"] for c in game.journal
                if c["kind"] == "air_mission" and c["mission"] == "strike"]

    target = [STEPPE_NEAR_MOSUL.q, STEPPE_NEAR_MOSUL.r]
    assert strikes(belt_game(0)) == [target]
    assert strikes(belt_game(1)) == [target]
    assert strikes(belt_game(2)) == []


def test_the_computer_flies_no_close_air_support_into_a_dense_belt():
    """Kurds at the gates of a dug-in Mosul, the US wing at Erbil: the wing flies close air
    support over the assault, under one of Assad's battalions too, but not where two it sees
    cover the town."""
    from game.ai import AIPlayer, play_turn
    from game.commands import Game
    from game.rules import default_rules

    mosul = hexmap().find_city("Mosul").hex

    def support(battalions: int) -> list:
        setup = mosul_setup()
        setup["at_war"].append(["assad", "us"])
        setup["cities"]["mosul"] = "isis"
        setup["victory"] = [{"kind": "take", "side": "coalition", "cities": ["mosul"],
                             "count": 1}]
        setup["units"] = [u for u in setup["units"] if u["id"] != "iraq-1"]
        game = Game(setup, hexmap(), default_rules(), 5)
        st = game.state
        side_to_move(game, "coalition")
        st.factions["us"].quality = 1.6
        st.units["isis-1"].hex, st.units["isis-1"].entrenchment = mosul, 2
        st.units["us-air"].hex = ERBIL
        gates = [h for h in mosul.neighbors() if not st.units_at(h)
                 and hexmap().city_at(h) is None and hexmap().terrain_at(h) == "steppe"]
        for uid, h in zip(("kurds-1", "kurds-2"), gates):
            st.units[uid].hex = h
        st.units["kurds-1"].personnel = 7000
        # two hexes from the town, next to the Kurds, who see them
        spots = [h for h in hex_range(mosul, 2) if h.distance(mosul) == 2 and not st.units_at(h)
                 and any(h.distance(g) == 1 for g in gates[:2])]
        for k, h in enumerate(spots[:battalions]):
            add(game, id=f"assad-sam{k}", type="air_defence", faction="assad",
                hex=[h.q, h.r], personnel=2000)
        for u in st.units.values():
            u.moves_left = game.rules.unit_type(u.type).movement
        play_turn(game, AIPlayer("coalition", hexmap(), game.rules, setup["victory"], "normal"))
        return [c["target"] for c in game.journal
                if c["kind"] == "air_mission" and c["mission"] == "cas"]

    assert support(0) == support(1) == [[mosul.q, mosul.r]]  # one battalion: worth the risk
    assert support(2) == []


def test_a_wing_that_loses_its_last_aircraft_is_withdrawn():
    game = strike_game()
    st = game.state
    target = st.units["isis-3"].hex
    st.units["us-air"].equipment["combat aircraft"] = 1
    for k in range(4):
        add(game, id=f"isis-sam{k}", type="air_defence", faction="isis",
            hex=[target.q - 1 - k, target.r], personnel=5000)
    for seed in range(40):
        s = st.copy()
        s.rng = np.random.default_rng(seed)
        events = AirMission("coalition", "us-air", "strike", target).apply(s, game.ctx)
        if "us-air" not in s.units:
            assert any(e.kind == "wing_lost" for e in events)
            assert s.equipment_lost["us"]["combat aircraft"] == 1
            return
    pytest.fail("a lone aircraft flew through 40 strikes into 20,000 air defence troops")


# -- close air support and patrols ----------------------------------------------------------

def test_cas_task_recorded_with_surviving_aircraft():
    game = strike_game()
    st = game.state
    target = st.units["isis-3"].hex
    add(game, id="isis-sam", type="air_defence", faction="isis", hex=[target.q - 1, target.r],
        personnel=3000)
    ok(game, AirMission("coalition", "us-air", "cas", target))
    task = st.air_tasks["us-air"]
    survivors = st.units["us-air"].equipment["combat aircraft"]
    assert task == {"kind": "cas", "hex": [target.q, target.r], "turn": st.turn,
                    "side": "coalition", "aircraft": survivors}
    assert cas_aircraft(st, "coalition", target) == survivors
    assert cas_aircraft(st, "jihadist", target) == 0
    assert st.units["isis-3"].personnel == 800  # close support alone kills nobody


def test_tasks_expire_at_the_sides_next_turn():
    game = strike_game()
    ok(game, AirMission("coalition", "us-air", "patrol", TIKRIT))
    task = game.state.air_tasks["us-air"]
    assert task["kind"] == "patrol" and task["radius"] == 8 and task["aircraft"] == 40
    ok(game, EndTurn("coalition"))  # turn 2: the jihadists
    ok(game, EndTurn("jihadist"))
    assert "us-air" in game.state.air_tasks  # it covers the other sides' turns
    ok(game, EndTurn("baathist"))
    assert game.state.active_side == "coalition" and game.state.air_tasks == {}
    st = game.state
    st.air_tasks["x"] = {"kind": "cas", "hex": [0, 0], "turn": 1, "side": "jihadist", "aircraft": 1}
    expire_air_tasks(st, "coalition")
    assert "x" in st.air_tasks


def test_patrols_intercept_hostile_missions():
    game = nfz_game()
    st = game.state
    st.no_fly_zones = []
    side_to_move(game, "coalition")
    st.units["us-air"].hex = ERBIL
    ok(game, AirMission("coalition", "us-air", "patrol", HASAKAH))
    side_to_move(game, "baathist")
    st.units["assad-1"].hex = HASAKAH + Hex(1, 0)  # Assad's troops watch the Kurds
    st.rng = np.random.default_rng(5)
    events = ok(game, AirMission("baathist", "assad-air", "strike", HASAKAH))
    fight = next(e for e in events if e.kind == "interception")
    assert fight.reveals and fight.data["interceptors"] == {"us-air": 40}
    lost_a, lost_d = fight.data["attackers_lost"], sum(fight.data["defenders_lost"].values())
    assert st.units["assad-air"].equipment["combat aircraft"] + lost_a == 30
    assert st.equipment_lost.get("assad", {}).get("combat aircraft", 0) == lost_a
    assert st.equipment_lost.get("us", {}).get("combat aircraft", 0) == lost_d
    assert st.air_tasks["us-air"]["aircraft"] == 40 - lost_d
    assert 1500 - st.units["assad-air"].personnel == st.losses.get("assad", {}).get("air", 0)
    # on average the strike loses many aircraft to the patrol, and the patrol few
    assert mean_lost(game_with_fresh_wing(game), "assad-air", HASAKAH) > 5


def game_with_fresh_wing(game):
    st = game.state
    st.units["assad-air"].equipment["combat aircraft"] = 30
    st.units["assad-air"].moves_left = 60
    st.air_tasks["us-air"]["aircraft"] = 40
    st.units["us-air"].equipment["combat aircraft"] = 40
    return game


# -- no-fly zones ---------------------------------------------------------------------------

def test_setup_zone_by_centre_and_radius():
    game = nfz_game()
    (zone,) = game.state.no_fly_zones
    assert zone["id"] == "north-syria" and zone["side"] == "coalition"
    assert len(zone["hexes"]) == len([h for h in hex_range(KOBANI, 10) if hexmap().in_bounds(h)])
    assert zones_at(game.state, KOBANI) == [zone] and zones_at(game.state, HASAKAH) == []


def test_setup_zone_problems_and_undeclared_zones():
    from game.rules import default_rules

    setup = mosul_setup()
    setup["no_fly_zones"] = [{"id": "a", "name": "A", "side": "martians", "hexes": [[30, 11]]},
                             {"id": "b", "name": "B", "side": "coalition", "centre": "Atlantis",
                              "radius": 3},
                             {"id": "c", "name": "C", "side": "coalition"}]
    with pytest.raises(SetupError) as exc:
        GameState.new(setup, hexmap(), default_rules(), 1)
    text = str(exc.value)
    assert "no_fly_zones[0].side: unknown side 'martians'" in text
    assert "no_fly_zones[1].centre: unknown place 'Atlantis'" in text
    assert "no_fly_zones[2]: needs hexes, or a centre and a radius" in text
    setup["no_fly_zones"] = [{"id": "later", "name": "L", "side": "coalition",
                              "hexes": [[30, 11]], "declared": False}]
    assert GameState.new(setup, hexmap(), default_rules(), 1).no_fly_zones == []


def test_no_fly_zone_makes_hostile_missions_over_it_costly():
    game = nfz_game()
    st = game.state
    side_to_move(game, "coalition")
    ok(game, AirMission("coalition", "us-air", "patrol", KOBANI))
    side_to_move(game, "baathist")
    inside = mean_lost(game, "assad-air", KOBANI)
    outside = mean_lost(game, "assad-air", HASAKAH)
    assert inside > 6.0  # heavy: a fifth or more of the 30 aircraft, on average
    assert outside < 0.2
    assert inside > 30 * outside
    # through the validation door too: the interception names the zone
    st.units["assad-1"].hex = KOBANI + Hex(-1, 1)
    events = ok(game, AirMission("baathist", "assad-air", "strike", KOBANI))
    fight = next(e for e in events if e.kind == "interception")
    assert fight.data["zones"] == ["north-syria"]


def test_zone_alert_wings_scramble_and_lifting_ends_the_zone():
    game = nfz_game()
    side_to_move(game, "baathist")
    # no patrol: the US wing at Gaziantep did not fly and stands on alert with half its aircraft
    alert = mean_lost(game, "assad-air", KOBANI)
    assert alert > 2.0
    st = game.state
    st.units["us-air"].moves_left = 0  # it flew last turn: nobody scrambles
    assert mean_lost(game, "assad-air", KOBANI) < 0.2
    st.units["us-air"].moves_left = 60
    refused(game, LiftNoFlyZone("baathist", "north-syria"),
            "was declared by Coalition: only they can lift it")
    side_to_move(game, "coalition")
    refused(game, LiftNoFlyZone("coalition", "south"), "no no-fly zone 'south' is in force")
    ok(game, LiftNoFlyZone("coalition", "north-syria"))
    assert st.no_fly_zones == []
    side_to_move(game, "baathist")
    assert mean_lost(game, "assad-air", KOBANI) < 0.2


def test_declare_zone_by_centre_or_hexes():
    game = nfz_game()
    st = game.state
    side_to_move(game, "coalition")
    events = ok(game, DeclareNoFlyZone("coalition", "Around Hasakah", centre="al-Hasakah",
                                       radius=5))
    assert events[0].kind == "no_fly_zone" and not events[0].reveals
    zone = st.no_fly_zones[-1]
    assert zone["id"] == "coalition-around-hasakah" and zone["side"] == "coalition"
    assert len(zone["hexes"]) == 91 and zones_at(st, HASAKAH) == [zone]
    ok(game, DeclareNoFlyZone("coalition", "Two hexes", hexes=[Hex(0, 30), Hex(1, 30)]))
    assert st.no_fly_zones[-1]["hexes"] == [[0, 30], [1, 30]]
    refused(game, DeclareNoFlyZone("coalition", "Two hexes", hexes=[Hex(0, 31)]),
            "already enforces a no-fly zone named 'Two hexes'")
    refused(game, DeclareNoFlyZone("coalition", "", centre="Aleppo", radius=3),
            "give the zone a name")
    refused(game, DeclareNoFlyZone("coalition", "X"), "give the zone's hexes, or a centre")
    refused(game, DeclareNoFlyZone("coalition", "X", centre="Atlantis", radius=3), "unknown place")
    refused(game, DeclareNoFlyZone("coalition", "X", centre="Aleppo", radius=99), "out of range")
    refused(game, DeclareNoFlyZone("coalition", "X", hexes=[Hex(900, 0)]), "off the map")
    side_to_move(game, "jihadist")
    refused(game, DeclareNoFlyZone("jihadist", "Caliphate", centre="Raqqa", radius=5),
            "no air wings to enforce")
    # the declared zone works at once
    side_to_move(game, "baathist")
    assert mean_lost(game, "assad-air", HASAKAH) > 2.0


# -- naval ----------------------------------------------------------------------------------

def naval_game():
    game = strike_game()
    add(game, id="us-navy", type="naval_group", faction="us", hex=[GULF.q, GULF.r],
        personnel=3000, equipment={"warships": 6})
    game.state.units["isis-4"].hex = UMM_QASR
    return game


def test_naval_strike_in_range():
    game = naval_game()
    st = game.state
    events = ok(game, NavalStrike("coalition", "us-navy", UMM_QASR))
    e = events[0]
    assert e.kind == "naval_strike" and e.reveals and e.data["warships"] == 6
    isis4 = st.units["isis-4"]
    assert st.losses["isis"]["naval strikes"] == isis4.killed > 0
    assert 2000 - isis4.personnel == isis4.killed + isis4.wounded + isis4.shaken
    assert st.civilians.get("naval strikes", 0) > 0  # Umm Qasr is a town
    refused(game, NavalStrike("coalition", "us-navy", UMM_QASR), "already fired")


def test_naval_strike_refusals_and_sea_only():
    game = naval_game()
    refused(game, NavalStrike("coalition", "us-navy", BASRA),
            "out of range: 7 hexes from United States naval group (Navy); its missiles and guns reach 6")
    refused(game, NavalStrike("coalition", "us-navy", GULF + Hex(1, 0)),
            "is sea: naval strikes hit targets on land")
    refused(game, NavalStrike("coalition", "us-air", UMM_QASR), "United States air wing (Air) is not a naval group")
    refused(game, NavalStrike("coalition", "us-navy", UMM_QASR + Hex(0, -2)),
            "no enemy you can see")
    with pytest.raises(SetupError, match="cannot stand on"):
        game.state.make_unit({"type": "naval_group", "faction": "us", "place": "Basra",
                              "personnel": 1000}, game.hexmap, game.rules)
    refused(game, Move("coalition", "us-navy", [GULF, UMM_QASR]), "impassable")


# -- commands as data, determinism, saves ---------------------------------------------------

def test_commands_round_trip_as_data():
    cmds = [AirMission("coalition", "us-air", "cas", Hex(3, -4)),
            NavalStrike("coalition", "us-navy", Hex(76, 98)),
            DeclareNoFlyZone("coalition", "Z", hexes=[Hex(1, 2)]),
            DeclareNoFlyZone("coalition", "Z", centre="Aleppo", radius=4),
            LiftNoFlyZone("coalition", "z")]
    for cmd in cmds:
        d = cmd.to_dict()
        assert Command.from_dict(d) == cmd
        assert d["kind"] in ("air_mission", "naval_strike", "declare_no_fly_zone",
                             "lift_no_fly_zone")
    assert cmds[0].to_dict()["target"] == [3, -4]


def play_air_war(seed):
    game = nfz_game()
    game.state.rng = np.random.default_rng(seed)
    game.state.units["assad-1"].hex = KOBANI + Hex(-1, 1)
    ok(game, EndTurn("jihadist"))
    ok(game, AirMission("baathist", "assad-air", "strike", KOBANI))
    ok(game, EndTurn("baathist"))
    ok(game, AirMission("coalition", "us-air", "patrol", KOBANI))
    ok(game, DeclareNoFlyZone("coalition", "Jazira", centre="al-Hasakah", radius=6))
    return game


def test_same_seed_same_game():
    a, b, c = play_air_war(11), play_air_war(11), play_air_war(12)
    assert a.checksum() == b.checksum()
    assert a.checksum() != c.checksum()


def test_save_and_load_keep_zones_and_tasks(tmp_path):
    game = mosul_game()
    for _ in range(2):
        ok(game, EndTurn(game.state.active_side))
    ok(game, DeclareNoFlyZone("coalition", "Around Mosul", centre="Mosul", radius=6))
    ok(game, AirMission("coalition", "us-air", "patrol", Hex(69, 18)))
    path = save_game(game, tmp_path / "air.save")
    loaded = load_game(path, hexmap(), game.rules)
    assert loaded.checksum() == game.checksum()
    assert loaded.state.no_fly_zones == game.state.no_fly_zones != []
    assert loaded.state.air_tasks == game.state.air_tasks != {}
    good, why = verify_save(path, hexmap(), game.rules)
    assert good, why
