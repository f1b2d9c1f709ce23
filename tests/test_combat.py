"""Ground combat on the real map: odds and losses move the way a wargamer expects, the preview
agrees with the real roll, retreats obey the rules, and every refusal of Attack is readable."""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pytest

from game.bench import open_country_hex
from game.combat import (
    Attack,
    column_of,
    combat_params,
    forecast_attack,
    odds_label,
    preview_attack,
    resolve_attack,
)
from game.commands import Command, Context, Game
from game.hexgrid import DIRECTIONS, Hex
from game.movement import WAR_ZONE, allowed_countries
from game.rules import default_rules

from games import hexmap, mosul_game, mosul_setup, refused

OPEN = ("desert", "steppe")


# -- building battles ------------------------------------------------------------------------------

@pytest.fixture
def game():
    """The Mosul test game emptied of units, the coalition to move: each test places its own."""
    g = mosul_game()
    g.state.units = {}
    g.state.active = g.state.sides.index("coalition")
    return g


def add(game, uid, type_, faction, h, personnel, **fields):
    st = game.state
    u = st.make_unit({"id": uid, "type": type_, "faction": faction, "hex": [h.q, h.r],
                      "personnel": personnel, "equipment": fields.pop("equipment", {})},
                     game.hexmap, game.rules)
    u.moves_left = game.rules.unit_type(type_).movement
    for k, v in fields.items():
        setattr(u, k, v)
    st.units[uid] = u
    st.units = dict(sorted(st.units.items()))
    return u


def ring(h: Hex, dirs) -> list[Hex]:
    return [h + DIRECTIONS[d] for d in dirs]


@lru_cache(maxsize=1)
def open_hex() -> Hex:
    """Open desert with no road, river or rough ground for ten hexes around."""
    return open_country_hex(hexmap())


def _clear_sides(m, h: Hex) -> list[int]:
    """Directions from which an attacker on open ground reaches h without crossing a river."""
    out = []
    for d in range(6):
        n = h + DIRECTIONS[d]
        if m.in_bounds(n) and m.terrain_at(n) in OPEN and m.country_at(n) in WAR_ZONE \
                and not m.crosses_river(n, h):
            out.append(d)
    return out


@lru_cache(maxsize=None)
def hex_of_terrain(terrain: str) -> tuple[Hex, tuple[int, ...]]:
    """A hex of that terrain in Iraq or Syria that three attackers can reach over open ground
    without a river, whose other neighbours a defender could fall back to."""
    m = hexmap()
    g_rows, g_cols = m.rows, m.cols
    for row in range(g_rows):
        for col in range(g_cols):
            h = m.hex_at(row, col)
            if m.terrain_at(h) != terrain or m.country_at(h) not in WAR_ZONE:
                continue
            if not all(m.in_bounds(n) and m.country_at(n) in WAR_ZONE
                       and m.terrain_at(n) not in ("sea", "lake") for n in h.neighbors()):
                continue
            sides = _clear_sides(m, h)
            for d in sides:
                trio = [d, (d + 1) % 6, (d + 5) % 6]
                if all(x in sides for x in trio):
                    return h, tuple(trio)
    raise AssertionError(f"no {terrain} hex to fight over")


@lru_cache(maxsize=1)
def river_hex() -> tuple[Hex, int, int]:
    """An open hex with a river (no bridge) on one side and open, dry sides elsewhere:
    (target, direction of the hex across the river, direction of a hex on the same bank)."""
    m = hexmap()
    for row in range(m.rows):
        for col in range(m.cols):
            h = m.hex_at(row, col)
            if m.terrain_at(h) not in OPEN or m.country_at(h) not in WAR_ZONE:
                continue
            for d in range(6):
                n = h + DIRECTIONS[d]
                if not (m.in_bounds(n) and m.terrain_at(n) in OPEN and m.crosses_river(n, h)):
                    continue
                if m.road_on_side(n, n.direction_to(h)) is not None:
                    continue
                dry = [e for e in _clear_sides(m, h) if e != d]
                if dry:
                    return h, d, dry[0]
    raise AssertionError("no river to cross")


def battle(game, defender=("infantry", 5000), attackers=3, attacker=("infantry", 5000),
           where=None, dirs=None, **defender_fields):
    """A defender of ISIS at ``where`` (open desert by default) and Kurdish attackers around it."""
    h = where or open_hex()
    add(game, "isis-d", defender[0], "isis", h, defender[1], **defender_fields)
    dirs = dirs or (3, 4, 2, 5, 1, 0)
    ids = []
    for k in range(attackers):
        n = h + DIRECTIONS[dirs[k]]
        ids.append(add(game, f"kurds-{k}", attacker[0], "kurds", n, attacker[1]).id)
    return ids, h


def forecast(game, ids, target, draws=2000):
    return forecast_attack(game.state, game.hexmap, game.rules, ids, target, draws=draws)


def share(pv, who):
    loss = pv.attacker_loss if who == "attacker" else pv.defender_loss
    people = pv.attacker_personnel if who == "attacker" else pv.defender_personnel
    return loss.mean / people


def roll_until(game, ids, target, outcome: str, tries: int, check=None):
    """The first real attack of seeds 0, 1, ... that ends in ``outcome``; ``check(copy, result)``
    is called on every roll on the way. Fails if none does in ``tries``."""
    for seed in range(tries):
        c, r, events = roll(game, ids, target, seed)
        if check is not None:
            check(c, r)
        if r.outcome == outcome:
            return c, r, events
    raise AssertionError(f"no {outcome} in {tries} rolls at these odds")


def roll(game, ids, target, seed):
    """One real attack on a copy of the state with its own seed."""
    st = game.state.copy()
    st.rng = np.random.default_rng(seed)
    result, events = resolve_attack(st, Context(game.hexmap, game.rules), ids, target)
    return st, result, events


# -- the odds --------------------------------------------------------------------------------------

def test_odds_labels_and_columns():
    ratios = (0.2, 0.4, 0.5, 0.8, 1.0, 1.4, 1.5, 2.0, 2.99, 3.0, 3.7, 12)
    assert [odds_label(r) for r in ratios] == \
        ["1:5", "1:3", "1:2", "1:1.5", "1:1", "1:1", "1.5:1", "2:1", "2:1", "3:1", "3:1", "12:1"]
    assert [column_of(r) for r in (1 / 3, 1.0, 3.0, 9.0)] == [-3, 0, 3, 6]


def test_factors_are_itemised_and_add_up(game):
    st = game.state
    h, dirs = hex_of_terrain("urban")
    ids, _ = battle(game, where=h, dirs=dirs, entrenchment=2)
    st.units["kurds-0"].supplied = False
    st.units["kurds-1"].morale = 20.0
    st.units["kurds-2"].experience = 80.0
    st.air_tasks["us-air"] = {"kind": "cas", "hex": [h.q, h.r], "turn": st.turn,
                              "side": "coalition", "aircraft": 24}
    add(game, "us-guns", "artillery", "us", h + DIRECTIONS[dirs[0]].scale(2), 800,
        equipment={"guns": 24})
    pv = forecast(game, ids, h)
    labels = {f.label: f for f in pv.factors}
    city = hexmap().city_at(h).name
    for name in (f"Urban terrain ({city})", "Entrenched (level 2)", "Out of supply",
                 "Broken morale", "Veteran", "Air support (24 aircraft)", "Artillery support"):
        assert name in labels, (name, list(labels))
    assert labels[f"Urban terrain ({city})"].side == "defender"
    assert labels[f"Urban terrain ({city})"].shift < 0 < labels["Air support (24 aircraft)"].shift
    assert labels["Air support (24 aircraft)"].multiplier == pytest.approx(1.96)
    # The factors multiply to the ratio, and their shifts add up to its column.
    base = pv.attacker_power / pv.defender_power
    for f in pv.factors:
        base /= f.multiplier if f.side == "attacker" else 1 / f.multiplier
    shifts = sum(f.shift for f in pv.factors)
    assert 3 * np.log(pv.ratio) / np.log(3) == pytest.approx(3 * np.log(base) / np.log(3) + shifts)
    assert pv.column == column_of(pv.ratio)


def test_more_force_raises_the_odds_and_lowers_the_attackers_share(game):
    ids, h = battle(game, attackers=3)
    by_n = [forecast(game, ids[:n], h) for n in (1, 2, 3)]
    ratios = [pv.ratio for pv in by_n]
    shares = [share(pv, "attacker") for pv in by_n]
    assert ratios[0] < ratios[1] < ratios[2]
    assert shares[0] > shares[1] > shares[2]
    assert by_n[0].outcomes["repulsed"] > by_n[2].outcomes["repulsed"]
    assert by_n[0].outcomes["retreat"] + by_n[0].outcomes["rout"] < \
        by_n[2].outcomes["retreat"] + by_n[2].outcomes["rout"]


def _pair(make_a, make_b):
    ga, gb = mosul_game(), mosul_game()
    for g in (ga, gb):
        g.state.units = {}
        g.state.active = g.state.sides.index("coalition")
    a = forecast(ga, *make_a(ga))
    b = forecast(gb, *make_b(gb))
    return a, b


def assert_worse_for_attacker(better, worse):
    """``worse`` has lower odds, a higher attacker's loss share and a lower defender's one."""
    assert worse.ratio < better.ratio
    assert share(worse, "attacker") > share(better, "attacker")
    assert share(worse, "defender") < share(better, "defender")


@pytest.mark.parametrize("terrain", ["urban", "mountains", "hills"])
def test_rough_ground_helps_the_defender(terrain):
    rough, dirs = hex_of_terrain(terrain)
    desert, ddirs = hex_of_terrain("desert")
    better, worse = _pair(lambda g: battle(g, where=desert, dirs=ddirs),
                          lambda g: battle(g, where=rough, dirs=dirs))
    assert_worse_for_attacker(better, worse)


def test_entrenchment_helps_the_defender():
    better, worse = _pair(lambda g: battle(g), lambda g: battle(g, entrenchment=2))
    assert_worse_for_attacker(better, worse)


def test_attacking_across_a_river_is_harder():
    h, across, same = river_hex()
    better, worse = _pair(lambda g: battle(g, where=h, dirs=(same,), attackers=1),
                          lambda g: battle(g, where=h, dirs=(across,), attackers=1))
    assert any(f.label.startswith("Across the") for f in worse.factors)
    assert_worse_for_attacker(better, worse)


def test_out_of_supply_weakens_either_side():
    def cut_attackers(g):
        ids, h = battle(g)
        for uid in ids:
            g.state.units[uid].supplied = False
        return ids, h

    normal, worse = _pair(lambda g: battle(g), cut_attackers)
    assert_worse_for_attacker(normal, worse)
    normal, better = _pair(lambda g: battle(g), lambda g: battle(g, supplied=False))
    assert_worse_for_attacker(better, normal)


def test_low_morale_and_experience():
    def shaken_attackers(g):
        ids, h = battle(g)
        for uid in ids:
            g.state.units[uid].morale = 30.0
        return ids, h

    normal, worse = _pair(lambda g: battle(g), shaken_attackers)
    assert_worse_for_attacker(normal, worse)
    normal, better = _pair(lambda g: battle(g), lambda g: battle(g, morale=30.0))
    assert_worse_for_attacker(better, normal)
    normal, better = _pair(lambda g: battle(g), lambda g: battle(g, experience=5.0))
    assert_worse_for_attacker(better, normal)
    # Broken defenders run when they would have fallen back.
    g = mosul_game()
    g.state.units = {}
    broken = forecast(g, *battle(g, morale=10.0))
    assert broken.outcomes["retreat"] == 0 and broken.outcomes["rout"] > 0.5


def test_air_and_artillery_support_help_the_attacker(game):
    st = game.state
    ids, h = battle(game, attackers=2)
    plain = forecast(game, ids, h)
    add(game, "kurds-guns", "artillery", "kurds", h + DIRECTIONS[3].scale(2), 800,
        equipment={"guns": 24})
    guns = forecast(game, ids, h)
    st.air_tasks["us-air"] = {"kind": "cas", "hex": [h.q, h.r], "turn": st.turn,
                              "side": "coalition", "aircraft": 20}
    air = forecast(game, ids, h)
    assert_worse_for_attacker(guns, plain)
    assert_worse_for_attacker(air, guns)
    # Air support of another turn, or over another hex, does nothing.
    st.air_tasks["us-air"]["turn"] = st.turn - 1
    assert forecast(game, ids, h).ratio == pytest.approx(guns.ratio)
    st.air_tasks["us-air"].update(turn=st.turn, hex=[h.q + 1, h.r])
    assert forecast(game, ids, h).ratio == pytest.approx(guns.ratio)
    # The defenders' own guns nearby fire too.
    add(game, "isis-guns", "artillery", "isis", h + DIRECTIONS[0].scale(2), 800,
        equipment={"guns": 24})
    defended = forecast(game, ids, h)
    assert defended.ratio < guns.ratio
    assert any(f.label == "Artillery support" and f.side == "defender" for f in defended.factors)


def test_quality_and_air_give_the_coalition_its_exchange_ratio(game):
    """A US mechanized brigade with air support against ISIS militia loses a few men for each
    dozen of the enemy's, and a small share of its people (the source: light losses)."""
    st = game.state
    h = open_hex()
    st.factions["us"].quality = 1.6
    add(game, "isis-d", "militia", "isis", h, 1500, entrenchment=1)
    add(game, "us-mech", "mechanized", "us", h + DIRECTIONS[3], 3000,
        equipment={"armoured vehicles": 150})
    st.air_tasks["us-air"] = {"kind": "cas", "hex": [h.q, h.r], "turn": st.turn,
                              "side": "coalition", "aircraft": 20}
    pv = forecast(game, ["us-mech"], h)
    assert pv.ratio > 8
    assert pv.attacker_loss.mean < 0.015 * 3000
    assert pv.defender_loss.mean > 4 * pv.attacker_loss.mean


def test_a_3_to_1_attack_kills_few_and_disorganises_many(game):
    """Light in dead against the strengths, as the source's casualty table is, but a blow a
    player sees: under 1% of the attackers and a few percent of the defenders killed, and a
    tenth or more of the defenders out of the fight (killed, wounded or shaken)."""
    ids, h = battle(game, attacker=("infantry", 6000))
    pv = forecast(game, ids, h)
    assert pv.odds == "3:1"
    killed_a = pv.attacker_killed.mean / pv.attacker_personnel
    killed_d = pv.defender_killed.mean / pv.defender_personnel
    assert 0.0005 < killed_a < 0.01
    assert 0.002 < killed_d < 0.03
    assert share(pv, "defender") > 0.1
    assert share(pv, "attacker") < share(pv, "defender") / 3
    assert pv.attacker_killed.mean < pv.attacker_loss.mean
    assert pv.attacker_loss.p10 < pv.attacker_loss.mean < pv.attacker_loss.p90


# -- the roll --------------------------------------------------------------------------------------

def test_preview_agrees_with_the_real_rolls(game):
    ids, h = battle(game, attackers=2, defender=("infantry", 4000))
    pv = preview_attack(game.state, game.hexmap, game.rules, "coalition", ids, h)
    att, dfn, outcomes, att_k, dfn_k = [], [], [], [], []
    for seed in range(2000):
        _, r, _ = roll(game, ids, h, seed)
        att.append(sum(r.side_out(r.attackers)))
        dfn.append(sum(r.side_out(r.defenders)))
        att_k.append(r.attacker_loss)
        dfn_k.append(r.defender_loss)
        outcomes.append(r.outcome)
    assert np.mean(att) == pytest.approx(pv.attacker_loss.mean, rel=0.04)
    assert np.mean(dfn) == pytest.approx(pv.defender_loss.mean, rel=0.04)
    assert np.mean(att_k) == pytest.approx(pv.attacker_killed.mean, rel=0.05)
    assert np.mean(dfn_k) == pytest.approx(pv.defender_killed.mean, rel=0.05)
    for name in ("repulsed", "held", "retreat", "rout"):
        assert outcomes.count(name) / len(outcomes) == pytest.approx(pv.outcomes[name], abs=0.03)
    assert np.percentile(att, 10) == pytest.approx(pv.attacker_loss.p10, rel=0.1)
    assert np.percentile(dfn, 90) == pytest.approx(pv.defender_loss.p90, rel=0.1)


def test_preview_sees_only_what_the_side_sees(game):
    """The defenders' morale is hidden: the preview takes it as average; the umpire knows."""
    ids, h = battle(game, morale=10.0)
    st = game.state
    st.units["isis-d"].personnel = 5040  # seen to the nearest hundred
    pv = preview_attack(st, game.hexmap, game.rules, "coalition", ids, h)
    truth = forecast(game, ids, h)
    assert pv.defender_personnel == 5000 and truth.defender_personnel == 5040
    assert not any("morale" in f.label.lower() for f in pv.factors)
    assert any(f.label == "Broken morale" for f in truth.factors)
    assert truth.ratio > pv.ratio


def test_preview_changes_nothing(game):
    ids, h = battle(game)
    before = game.checksum()
    draw = game.state.rng.bit_generator.state
    a = preview_attack(game.state, game.hexmap, game.rules, "coalition", ids, h)
    b = preview_attack(game.state, game.hexmap, game.rules, "coalition", ids, h)
    forecast(game, ids, h)
    assert game.checksum() == before
    assert game.state.rng.bit_generator.state == draw
    assert a.to_dict() == b.to_dict()  # its own generator, seeded from the inputs
    json.dumps(a.to_dict())


def test_losses_never_exceed_what_a_unit_has(game):
    st = game.state
    h = open_hex()
    add(game, "isis-d", "militia", "isis", h, 120)
    for k, d in enumerate((3, 4, 2)):
        add(game, f"kurds-{k}", "armour", "kurds", h + DIRECTIONS[d], 20000,
            equipment={"tanks": 800})
    add(game, "kurds-small", "infantry", "kurds", h + DIRECTIONS[5], 310)
    ids = ["kurds-0", "kurds-1", "kurds-2", "kurds-small"]
    for seed in range(60):
        before = {u.id: (u.personnel, dict(u.equipment)) for u in st.units.values()}
        c, r, _ = roll(game, ids, h, seed)
        for uid, (people, kit) in before.items():
            out = r.out_of_fight.get(uid, [0, 0, 0])
            assert all(n >= 0 for n in out) and sum(out) <= people
            assert out[0] == r.attacker_losses.get(uid, 0) + r.defender_losses.get(uid, 0)
            if uid in c.units:
                u = c.units[uid]
                taken = r.captured.get(uid, 0)
                assert u.personnel + u.shaken == people - out[0] - out[1] - taken
                assert (u.wounded, u.killed) == (out[1], out[0])
                assert all(0 <= u.equipment[k] <= n for k, n in kit.items())
        # Every person gone is in the ledger, under one cause or another; the wounded and
        # shaken are still with their units.
        gone = sum(p for p, _ in before.values()) - sum(u.strength for u in c.units.values())
        booked = sum(n for book in c.losses.values() for n in book.values())
        assert booked == gone


def test_a_small_unit_dissolves(game):
    st = game.state
    h = open_hex()
    add(game, "isis-d", "infantry", "isis", h, 20000, entrenchment=2)
    add(game, "kurds-0", "infantry", "kurds", h + DIRECTIONS[3], 305)
    for seed in range(50):
        c, r, _ = roll(game, ["kurds-0"], h, seed)
        if r.dissolved:
            assert "kurds-0" not in c.units
            assert c.losses["kurds"]["dissolved"] == r.dissolved["kurds-0"] > 0
            assert c.losses["kurds"]["combat"] == r.attacker_losses["kurds-0"]
            break
    else:
        raise AssertionError("a 305-man unit attacking 20,000 never fell below 300")
    assert st.units["kurds-0"].personnel == 305  # the copies took the losses


def test_equipment_is_lost_in_proportion(game):
    h = open_hex()
    add(game, "isis-d", "mechanized", "isis", h, 2000, equipment={"armoured vehicles": 100})
    add(game, "kurds-0", "armour", "kurds", h + DIRECTIONS[3], 3000, equipment={"tanks": 120})
    c, r, _ = roll(game, ["kurds-0"], h, 7)
    lost = r.equipment_losses
    tanks = lost.get("kurds-0", {}).get("tanks", 0)
    assert tanks == pytest.approx(120 * r.attacker_loss / 3000, abs=1)
    assert c.equipment_lost.get("kurds", {}).get("tanks", 0) == tanks
    assert c.equipment_lost["isis"]["armoured vehicles"] == lost["isis-d"]["armoured vehicles"]


def test_same_seed_same_battle(game):
    ids, h = battle(game)
    a = roll(game, ids, h, 42)
    b = roll(game, ids, h, 42)
    assert a[0].checksum() == b[0].checksum()
    assert a[2][0].data == b[2][0].data
    results = {json.dumps(roll(game, ids, h, s)[1].to_dict(), sort_keys=True) for s in range(5)}
    assert len(results) > 1


def test_replayed_attacks_give_the_same_game():
    from game.commands import replay_journal

    m = hexmap()
    h = open_hex()
    setup = mosul_setup()
    setup["units"] = [
        {"id": "kurds-1", "type": "infantry", "faction": "kurds", "hex": [h.q, h.r],
         "personnel": 3000},
        {"id": "isis-1", "type": "militia", "faction": "isis", "hex": [(h + DIRECTIONS[3]).q,
                                                                       (h + DIRECTIONS[3]).r],
         "personnel": 4000},
        {"id": "isis-2", "type": "militia", "faction": "isis", "hex": [(h + DIRECTIONS[0]).q,
                                                                       (h + DIRECTIONS[0]).r],
         "personnel": 4000},
    ]
    game = Game(setup, m, default_rules(), 9)
    res = game.execute(Attack("jihadist", ["isis-1", "isis-2"], h))
    assert res.ok, res.problems
    assert res.events[0].kind == "attack" and res.events[0].reveals
    assert not game.can_undo  # a die was rolled
    json.dumps([e.to_dict() for e in res.events])
    again = replay_journal(setup, m, default_rules(), 9, game.journal)
    assert again.checksum() == game.checksum()


def test_attack_round_trip():
    cmd = Attack("coalition", ["kurds-1", "us-1"], Hex(40, 30))
    d = cmd.to_dict()
    assert d == {"kind": "attack", "side": "coalition", "attackers": ["kurds-1", "us-1"],
                 "target": [40, 30]}
    assert Command.from_dict(json.loads(json.dumps(d))) == cmd


# -- outcomes --------------------------------------------------------------------------------------

def _zoc_hexes(units, rules, faction, state):
    out = set()
    for u in units:
        ut = rules.unit_type(u.type)
        if ut.is_ground and ut.zoc and state.at_war_with(faction, u.faction):
            out.update(u.hex.neighbors())
    return out


def test_retreats_keep_out_of_enemy_hexes_zones_and_impassable_ground(game):
    """Beside Lake Tharthar, with Kurds on two sides and another unit further off: every
    retreat goes over passable ground, never into an enemy's hex or zone of control, and
    always away from the attackers."""
    st = game.state
    m = hexmap()
    rules = game.rules
    lake = next(lk for lk in m.lakes if lk.name == "Lake Tharthar").hexes
    shore = None
    for h in sorted(lake):
        for n in h.neighbors():
            if m.terrain_at(n) in OPEN and not m.city_at(n) and sum(
                    m.terrain_at(x) == "lake" for x in n.neighbors()) >= 2:
                landward = [d for d in _clear_sides(m, n)]
                if len(landward) >= 4:
                    shore = (n, landward)
                    break
        if shore:
            break
    assert shore, "no shore of Lake Tharthar to fight on"
    h, land = shore
    add(game, "isis-d", "militia", "isis", h, 1500)
    ids = []
    for k, d in enumerate(land[:2]):
        ids.append(add(game, f"kurds-{k}", "armour", "kurds", h + DIRECTIONS[d], 6000).id)
    # A Kurdish unit two hexes off, whose zone of control closes some ways out.
    far = next(x for x in (h + DIRECTIONS[d].scale(2) for d in land[2:])
               if m.terrain_at(x) in OPEN and not st.units_at(x))
    add(game, "kurds-far", "infantry", "kurds", far, 3000)
    enemy = {u.hex for u in st.units.values() if u.faction == "kurds"}
    zoc = _zoc_hexes(st.units.values(), rules, "isis", st)
    allowed = allowed_countries(st.factions["isis"].bases)
    retreated = 0
    for seed in range(80):
        c, r, _ = roll(game, ids, h, seed)
        for uid, path in r.retreats.items():
            retreated += 1
            dist = [min(x.distance(st.units[a].hex) for a in ids) for x in [h] + path]
            assert dist == sorted(set(dist)), dist  # ever further from the attackers
            for x in path:
                assert x not in enemy and x not in zoc
                assert m.terrain_at(x) in rules.unit_type("militia").enters
                assert m.country_at(x) in allowed
            assert c.units[uid].hex == path[-1]
            assert len(path) == 1 if r.outcome == "retreat" else len(path) in (1, 2)
    assert retreated > 10


def test_a_ringed_defender_stands_in_supply_and_partly_surrenders_cut_off(game):
    """With no way out, a beaten defender stands where it is. In supply it gives up no one
    on a retreat; cut off from supply, a share of it is taken prisoner, the shaken first."""
    st = game.state
    ids, h = battle(game, defender=("militia", 1500), attackers=6,
                    attacker=("infantry", 1500))
    pv = forecast(game, ids, h)
    assert pv.outcomes["trapped"] > 0.5
    assert pv.outcomes["retreat"] == pv.outcomes["rout"] == 0
    share = combat_params(game.rules).capture_rout
    seen = set()
    for seed in range(80):
        c, r, events = roll(game, ids, h, seed)
        seen.add(r.outcome)
        assert not r.retreats and c.units["isis-d"].hex == h
        if r.outcome == "retreat":
            assert not r.captured
        elif r.outcome == "rout":  # the disorganised are rounded up
            u = c.units["isis-d"]
            assert r.captured["isis-d"] == round((u.shaken + r.captured["isis-d"]) * share) > 0
    assert {"retreat", "rout"} <= seen
    st.units["isis-d"].supplied = False
    assert forecast(game, ids, h).captured > 0
    def taken_whole_on_a_rout(c, r):  # cut off and broken: taken whole
        if r.outcome == "rout":
            assert "isis-d" not in c.units and r.captured["isis-d"] > 0

    c, r, events = roll_until(game, ids, h, "retreat", 200, taken_whole_on_a_rout)
    share = combat_params(game.rules).capture_retreat
    k, w, _ = r.side_out(["isis-d"])
    assert r.captured["isis-d"] == round(share * (1500 - k - w))
    u = c.units["isis-d"]
    assert u.hex == h and u.strength == 1500 - k - r.captured["isis-d"]
    assert c.losses["isis"]["captured"] == r.captured["isis-d"]
    assert "taken prisoner" in events[0].text
    assert st.units["isis-d"].personnel == 1500


def test_a_broken_ringed_garrison_gives_up_whole_on_a_rout(game):
    """In supply and ringed in, a defender whose morale was already broken does not hold on
    with a fifth of its shaken taken: routed, it surrenders whole, its wounded with it, and the
    hex falls to the attackers. The odds sheet counts the whole unit among the prisoners."""
    st = game.state
    ids, h = battle(game, defender=("militia", 1500), attackers=6,
                    attacker=("infantry", 1500), morale=15.0)
    whole = forecast(game, ids, h)
    st.units["isis-d"].morale = 60.0
    steady = forecast(game, ids, h)
    st.units["isis-d"].morale = 15.0
    assert whole.outcomes["trapped"] > 0.5
    assert whole.captured > 3 * steady.captured > 0

    def check(c, r):
        if r.outcome == "rout":
            assert "isis-d" not in c.units
            assert r.captured["isis-d"] >= 1500 - r.side_out(["isis-d"])[0] - 1
            assert c.losses["isis"]["captured"] == r.captured["isis-d"]
            assert any(u.hex == h for u in c.units.values() if u.faction == "kurds")

    roll_until(game, ids, h, "rout", 200, check)


def test_no_retreat_into_a_full_stack(game):
    """Attackers on two sides close every way out but one; three friends there fill it."""
    st = game.state
    ids, h = battle(game, defender=("militia", 1500), attackers=2, dirs=(0, 2),
                    attacker=("armour", 6000))
    way_out = h + DIRECTIONS[4]
    for k in range(2):
        add(game, f"isis-{k}", "militia", "isis", way_out, 500)
    fled = 0
    for seed in range(30):
        c, r, _ = roll(game, ids, h, seed)
        if r.retreats:
            assert r.retreats["isis-d"][0] == way_out
            fled += 1
    assert fled
    add(game, "isis-2", "militia", "isis", way_out, 500)
    assert forecast(game, ids, h).outcomes["trapped"] > 0.5
    for seed in range(30):
        c, r, _ = roll(game, ids, h, seed)
        if r.outcome == "retreat":  # hemmed in, in supply: it stands
            assert not r.retreats and not r.captured and c.units["isis-d"].hex == h
        # a rout streams away sideways between the attackers, never into the full stack
        assert way_out not in r.retreats.get("isis-d", [])
    assert len(st.units_at(way_out)) == 3


def test_the_attacker_advances_into_an_emptied_town_and_takes_it(game):
    st = game.state
    m = hexmap()
    h, dirs = hex_of_terrain("urban")
    city = m.city_at(h)
    st.city_owner[city.id] = "isis"
    add(game, "isis-d", "militia", "isis", h, 800)
    add(game, "kurds-0", "infantry", "kurds", h + DIRECTIONS[dirs[0]], 9000)
    add(game, "kurds-1", "armour", "kurds", h + DIRECTIONS[dirs[1]], 6000, equipment={"tanks": 200})
    for seed in range(40):
        c, r, events = roll(game, ["kurds-0", "kurds-1"], h, seed)
        if r.retreats:
            break
    else:
        raise AssertionError("the defenders never fell back")
    assert r.advanced == "kurds-1"  # the strongest
    assert c.units["kurds-1"].hex == h and c.units["kurds-0"].hex != h
    assert c.city_owner[city.id] == "kurds"
    assert any(e.kind == "city_taken" for e in events)
    assert all(c.units[u].moves_left == 0 for u in ("kurds-0", "kurds-1"))
    assert c.units["isis-d"].morale < st.units["isis-d"].morale
    assert c.units["kurds-1"].experience > st.units["kurds-1"].experience


def test_urban_fighting_kills_civilians_and_desert_fighting_does_not():
    h, dirs = hex_of_terrain("urban")
    for where, d, expect in ((h, dirs, True), (open_hex(), None, False)):
        g = mosul_game()
        g.state.units = {}
        g.state.active = g.state.sides.index("coalition")
        ids, target = battle(g, where=where, dirs=d)
        c, r, _ = roll(g, ids, target, 3)
        if expect:
            assert r.civilians > 0
            assert c.civilians["ground combat"] == r.civilians
            assert forecast(g, ids, target).civilians.mean > 0
        else:
            assert r.civilians == 0 and "ground combat" not in c.civilians


def test_a_big_city_costs_more_civilians_than_a_small_town():
    m = hexmap()
    p = combat_params(default_rules())
    big, small = m.find_city("Mosul"), min((c for c in m.cities if c.country in WAR_ZONE),
                                           key=lambda c: c.population)
    factor = [min(p.civ_max, p.civ_per_casualty * (c.population / p.civ_reference)
                  ** p.civ_exponent) for c in (big, small)]
    assert factor[0] > 5 * factor[1]


# -- refusals --------------------------------------------------------------------------------------

def test_every_refusal(game):
    st = game.state
    h = open_hex()
    ids, _ = battle(game, attackers=2)
    add(game, "us-air", "air_wing", "us", h + DIRECTIONS[5], 2000,
        equipment={"combat aircraft": 40})
    add(game, "assad-1", "infantry", "assad", h + DIRECTIONS[0].scale(3), 3000)
    add(game, "us-1", "special_forces", "us", h + DIRECTIONS[0].scale(2), 300)
    add(game, "kurds-far", "infantry", "kurds", h + DIRECTIONS[3].scale(3), 3000)
    refused(game, Attack("jihadist", ids, h), "not your turn")
    refused(game, Attack("coalition", [], h), "no attackers listed")
    refused(game, Attack("coalition", ["kurds-0", "kurds-0"], h), "Kurdistan infantry no. 0 is listed twice")
    refused(game, Attack("coalition", ["nobody"], h), "no unit 'nobody'")
    refused(game, Attack("coalition", ["isis-d"], h),
            "not your unit: Islamic State infantry (D) belongs to Islamic State")
    refused(game, Attack("coalition", ["us-air"], h), "air and naval units cannot attack")
    refused(game, Attack("coalition", ["kurds-far"], h), "Kurdistan infantry (Far) is not adjacent to")
    refused(game, Attack("coalition", ["kurds-0"], h + DIRECTIONS[3].scale(2)),
            "no enemy you can see in the desert 120 km east of Rutba")
    refused(game, Attack("coalition", ["us-1"], h + DIRECTIONS[0].scale(3)),
            "United States is not at war with Ba'athist Syria")
    refused(game, Attack("coalition", ["kurds-0"], Hex(-500, 3)), "is off the map")
    st.units["kurds-1"].attacked = True
    refused(game, Attack("coalition", ids, h), "Kurdistan infantry no. 1 has already attacked this turn")
    st.units["kurds-1"].attacked = False
    # A valid attack goes through; the attackers cannot attack again this turn.
    res = game.execute(Attack("coalition", ["kurds-0"], h))
    assert res.ok, res.problems
    assert st.units["kurds-0"].moves_left == 0
    if "isis-d" in st.units and st.units["isis-d"].hex == h:
        refused(game, Attack("coalition", ["kurds-0"], h), "Kurdistan infantry no. 0 has already attacked this turn")


def test_an_enemy_out_of_sight_cannot_be_attacked(game):
    """Only what the side sees counts: a unit in a town three hexes off is hidden."""
    h, dirs = hex_of_terrain("urban")
    add(game, "isis-d", "militia", "isis", h, 800)
    add(game, "kurds-0", "infantry", "kurds", h + DIRECTIONS[dirs[0]].scale(3), 3000)
    refused(game, Attack("coalition", ["kurds-0"], h), "no enemy you can see")


def test_the_fast_preview_sees_what_the_side_view_shows():
    """Without a SideView the preview works out what the side sees around the target itself:
    the same answer, on the 300-unit benchmark game, for every enemy unit next to a unit."""
    from game.bench import bench_game
    from game.combat import _seen_near
    from game.visibility import side_view

    m = hexmap()
    game = bench_game(m)
    st = game.state
    checked = 0
    for side in st.sides:
        view = side_view(st, m, game.rules, side)
        shown = {u.id: u for u in view.units}
        for u in list(st.units.values())[::7]:
            near = _seen_near(st, m, game.rules, side, u.hex, 3)
            expect = {v.id for v in view.units if v.hex.distance(u.hex) <= 3}
            assert {v.id for v in near} == expect
            for v in near:
                assert v.personnel == shown[v.id].personnel
            checked += len(near)
    assert checked > 100
    # And the preview is the same either way.
    side = st.active_side
    mine = [u for u in st.units_of_side(side) if game.rules.unit_type(u.type).is_ground]
    target = next(n for u in mine for n in u.hex.neighbors()
                  if any(e.hex == n and st.side_of(e.faction) != side for e in st.units.values()))
    ids = [u.id for u in mine if u.hex.distance(target) == 1]
    a = preview_attack(st, m, game.rules, side, ids, target)
    view = side_view(st, m, game.rules, side)
    b = preview_attack(st, m, game.rules, side, ids, target, view=view)
    assert a.to_dict() == b.to_dict()


def test_a_broken_defender_ringed_in_and_cut_off_surrenders_whole(game):
    """Ringed on every side and cut off from supply, a unit whose morale was broken before the
    battle runs, finds no way out, and gives up to the last man, its wounded with it."""
    ids, h = battle(game, defender=("militia", 1500), attackers=6,
                    attacker=("armour", 6000), morale=20.0, supplied=False)
    c, r, events = roll_until(game, ids, h, "rout", 40)
    assert "isis-d" not in c.units
    assert r.captured["isis-d"] == 1500 - r.defender_loss
    assert c.losses["isis"]["captured"] == r.captured["isis-d"]


def test_a_broken_defender_with_a_gap_runs_through_it(game):
    """Attacked from three sides, a routed unit slips away between its attackers rather than
    surrender: a rout ignores zones of control."""
    ids, h = battle(game, defender=("militia", 1500), attackers=3, dirs=(0, 2, 4),
                    attacker=("armour", 6000), morale=20.0)
    c, r, events = roll_until(game, ids, h, "rout", 40)
    assert "isis-d" in c.units and r.retreats["isis-d"]
    assert c.units["isis-d"].hex != h


def test_a_defender_that_holds_is_worn_down(game):
    """A battle the defender holds costs it morale all the same: sieges grind."""
    p = combat_params(game.rules)
    assert p.morale_held_defender < 0 < p.morale_winner
    ids, h = battle(game, defender=("infantry", 5000), attackers=1, attacker=("infantry", 5000))
    for seed in range(60):
        c, r, _ = roll(game, ids, h, seed)
        if r.outcome == "held":
            assert c.units["isis-d"].morale == pytest.approx(70.0 + p.morale_held_defender)
            break
    else:
        raise AssertionError("no battle held in 60 rolls at even odds")


def test_a_dug_in_town_garrison_fights_on_where_a_field_force_would_fall_back(game):
    """In a town, dug in, its morale whole and a way back open, a garrison does not fall back:
    the rolls that would push it out are fought out in the streets and cost it men instead.
    Not dug in, or with its morale broken, it falls back or runs as in the open."""
    h, dirs = hex_of_terrain("urban")
    ids, _ = battle(game, defender=("militia", 3000), where=h, dirs=dirs,
                    attacker=("infantry", 9000), entrenchment=2, morale=80.0)
    stands = forecast(game, ids, h)
    assert stands.outcomes["retreat"] == 0 and stands.outcomes["trapped"] == 0
    assert stands.outcomes["held"] > 0.5 and stands.stands
    held = 0
    for seed in range(30):
        c, r, _ = roll(game, ids, h, seed)
        assert r.outcome != "retreat"  # only a rout drives it out
        if r.outcome == "held":
            held += 1
            assert not r.retreats and c.units["isis-d"].hex == h
    assert held > 10
    game.state.units["isis-d"].entrenchment = 0
    assert forecast(game, ids, h).outcomes["retreat"] > 0.3
    assert not forecast(game, ids, h).stands
    game.state.units["isis-d"].entrenchment = 2
    game.state.units["isis-d"].morale = 20.0
    assert forecast(game, ids, h).outcomes["rout"] > 0.3


def test_a_garrison_with_no_way_out_is_not_helped_by_standing(game):
    """Ringed on every side and cut off, a dug-in garrison beaten in its town gives up a share
    as prisoners, as any trapped defender does: standing fast needs a line back."""
    h, _ = hex_of_terrain("urban")
    ids, _ = battle(game, defender=("militia", 3000), where=h, attackers=6,
                    attacker=("infantry", 9000), entrenchment=2, morale=80.0, supplied=False)
    pv = forecast(game, ids, h)
    assert not pv.stands
    assert pv.outcomes["trapped"] > 0.3 and pv.captured > 0
