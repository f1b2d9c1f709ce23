"""Supply: sources, range, roads, blocking by enemies and zones of control, borders, attrition.

Rules tests on the real map with small real games (``tests/games.py``), a cross-check of the
array version against a plain, rule-by-rule Dijkstra, and the turn sequence that turns supply
into attrition. ``python tests/test_supply.py`` prints timings for a crowded game.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from types import MappingProxyType

import numpy as np
import pytest

from game.commands import EndTurn, Game
from game.hexgrid import DIRECTIONS, Hex
from game.hexmap import HexMap
from game.movement import WAR_ZONE, map_graph
from game.rules import Rules, default_rules
from game.state import GameState
from game.supply import supply_graph, supply_map, supply_maps
from games import hexmap, mosul_game, mosul_setup

RULES = default_rules()
RANGE = RULES.supply["range"]

RUTBA = Hex(22, 61)  # a desert town far from all others
NEAR_RUTBA = Hex(28, 55)  # six hexes north-east on the Damascus-Baghdad highway, open desert
FAR_DESERT = Hex(30, 75)  # the empty south-western desert of Iraq
BAB_AL_HAWA = Hex(11, 19)  # the Syrian side of the crossing to Turkey


def _map() -> HexMap:
    return hexmap()


def _index(h: Hex) -> int:
    return map_graph(_map()).index(h)


def unit(uid: str, faction: str, h: Hex, type_: str = "infantry", personnel: int = 1000) -> dict:
    return {"id": uid, "type": type_, "faction": faction, "hex": [h.q, h.r], "personnel": personnel}


TRIBES = {"id": "tribes", "name": "Anbar tribes", "side": "tribal"}  # a side of their own


def new_state(units=(), *, factions=(), cities=None, at_war=(), sides=(), keep_units=True,
              rules: Rules = RULES) -> GameState:
    """The Mosul test game's setup with more factions, towns, wars and units."""
    setup = mosul_setup()
    setup["sides"] += [{"id": s} for s in sides]
    setup["factions"] += [dict(f) for f in factions]
    setup["at_war"] += [list(p) for p in at_war]
    setup["cities"].update(cities or {})
    setup["units"] = (setup["units"] if keep_units else []) + list(units)
    return GameState.new(setup, _map(), rules, 1)


def tribes_state(units=(), **kw) -> GameState:
    """The tribes hold Rutba alone and fight the Islamic State."""
    kw.setdefault("sides", ("tribal",))
    return new_state(units, factions=[TRIBES], cities={"rutba": "tribes"},
                     at_war=[["isis", "tribes"]], **kw)


def supplied(state: GameState, faction: str, h: Hex, rules: Rules = RULES) -> bool:
    return bool(supply_map(state, _map(), rules, faction)[_index(h)])


# -- sources and range -------------------------------------------------------------------------

def test_maps_for_every_faction_in_state_order():
    game = mosul_game()
    maps = supply_maps(game.state, _map(), RULES)
    assert list(maps) == list(game.state.factions)
    n = _map().rows * _map().cols
    for arr in maps.values():
        assert arr.shape == (n,) and arr.dtype == bool
    assert list(supply_maps(game.state, _map(), RULES, ["us", "isis"])) == ["us", "isis"]


def test_unit_next_to_its_held_city_is_supplied():
    erbil = _map().city_by_id("erbil").hex
    next_door = next(h for h in erbil.neighbors() if _map().terrain_at(h) not in ("sea", "lake"))
    state = new_state([unit("kurds-9", "kurds", next_door)])
    assert supplied(state, "kurds", erbil)
    assert supplied(state, "kurds", next_door)
    assert not supplied(state, "isis", next_door)  # Erbil is no source of the Islamic State's


def test_unit_far_out_in_the_desert_is_not_supplied():
    assert _map().country_at(FAR_DESERT) == "IRQ" and _map().terrain_at(FAR_DESERT) == "desert"
    state = new_state([unit("iraq-9", "iraq", FAR_DESERT)])
    assert not supplied(state, "iraq", FAR_DESERT)
    assert supplied(state, "iraq", _map().city_by_id("baghdad").hex)


NO_ROADS = dataclasses.replace(RULES, supply=MappingProxyType({**RULES.supply, "road_cost": 1.0}))


def test_town_supplies_within_range_only():
    state = tribes_state(keep_units=False)
    sup = supply_map(state, _map(), RULES, "tribes")
    graph = map_graph(_map())
    # No supplied hex lies further from Rutba than the range at the cheapest step, a road link.
    dist = np.array([graph.hex(i).distance(RUTBA) for i in np.flatnonzero(sup)])
    assert dist.max() <= RANGE / RULES.supply["road_cost"]
    # Where roads are no help, open desert (1 point a hex) carries supply `range` hexes out.
    east = [RUTBA + Hex(k, 0) for k in range(1, int(RANGE) + 3)]
    assert all(_map().terrain_at(h) == "desert" for h in east)
    flat = supply_map(state, _map(), NO_ROADS, "tribes")
    assert [bool(flat[_index(h)]) for h in east] == [True] * int(RANGE) + [False, False]
    assert dist.size < np.count_nonzero(flat) * 3


def test_roads_carry_supply_further():
    highway = next(r for r in _map().roads if r.name == "Damascus-Baghdad highway")
    k = highway.hexes.index(RUTBA)
    far = highway.hexes[k + 20]  # twenty hexes east along the road
    assert far.distance(RUTBA) == 20 > RANGE  # beyond reach at a foot cost of at least 1
    state = tribes_state(keep_units=False)
    assert supplied(state, "tribes", far)
    assert not supplied(state, "tribes", far, NO_ROADS)


# -- enemies and zones of control ----------------------------------------------------------------

def test_ring_of_enemy_units_cuts_off():
    state = tribes_state([unit("tribes-1", "tribes", NEAR_RUTBA)])
    assert supplied(state, "tribes", NEAR_RUTBA)
    ring = [unit(f"isis-r{k}", "isis", h, "militia") for k, h in enumerate(NEAR_RUTBA.neighbors())]
    state = tribes_state([unit("tribes-1", "tribes", NEAR_RUTBA)] + ring)
    assert not supplied(state, "tribes", NEAR_RUTBA)
    assert supplied(state, "tribes", RUTBA)  # the town itself is still a source
    for h in NEAR_RUTBA.neighbors():
        assert not supplied(state, "tribes", h)  # a hex held by the enemy is never in supply


def _corners(centre: Hex) -> list[Hex]:
    """The six corners of the ring two hexes out: their zones of control close rings 1 and 2."""
    return [centre + d + d for d in DIRECTIONS]


def test_ring_of_enemy_zones_of_control_cuts_off():
    corners = _corners(NEAR_RUTBA)
    ring = [unit(f"isis-z{k}", "isis", h, "militia") for k, h in enumerate(corners)]
    state = tribes_state([unit("tribes-1", "tribes", NEAR_RUTBA)] + ring)
    assert not supplied(state, "tribes", NEAR_RUTBA)
    # The same ring of artillery, which has no zone of control, leaves gaps between its guns.
    guns = [unit(f"isis-a{k}", "isis", h, "artillery") for k, h in enumerate(corners)]
    state = tribes_state([unit("tribes-1", "tribes", NEAR_RUTBA)] + guns)
    assert supplied(state, "tribes", NEAR_RUTBA)


def test_own_side_units_hold_a_zone_of_control_open():
    d0, d1 = DIRECTIONS[4], DIRECTIONS[3]  # south-west, towards Rutba, and west
    corridor = [NEAR_RUTBA + d0, NEAR_RUTBA + d0 + d1, NEAR_RUTBA + d0 + d0 + d1]
    ring = [unit(f"isis-z{k}", "isis", h, "militia") for k, h in enumerate(_corners(NEAR_RUTBA))]
    base = [unit("tribes-1", "tribes", NEAR_RUTBA)] + ring
    # Kurds are another faction of the tribes' side: their units cancel the zone for the tribes.
    friends = [unit(f"kurds-c{k}", "kurds", h) for k, h in enumerate(corridor)]

    def allied(units):  # the tribes on the coalition side, with the Kurds (whose towns lie far off)
        return new_state(units, factions=[dict(TRIBES, side="coalition")], cities={"rutba": "tribes"},
                         at_war=[["isis", "tribes"]])

    assert supplied(allied(base + friends), "tribes", NEAR_RUTBA)
    assert not supplied(allied(base + friends[:2]), "tribes", NEAR_RUTBA)
    # A faction of another side, even one at peace with the tribes, does not.
    strangers = [unit(f"iraq-c{k}", "iraq", h) for k, h in enumerate(corridor)]
    assert not supplied(allied(base + strangers), "tribes", NEAR_RUTBA)


def test_enemy_air_units_block_nothing():
    # As in movement, only ground units bar the way: a ring of air wings cuts off nothing.
    wings = [unit(f"isis-air{k}", "isis", h, "air_wing", 500)
             for k, h in enumerate(NEAR_RUTBA.neighbors())]
    state = tribes_state([unit("tribes-1", "tribes", NEAR_RUTBA)] + wings)
    assert supplied(state, "tribes", NEAR_RUTBA)
    assert supplied(state, "tribes", NEAR_RUTBA + DIRECTIONS[0])


def test_source_held_by_the_enemy_stops_supplying():
    beside = Hex(23, 60)
    assert beside.distance(RUTBA) == 1
    mine = unit("tribes-1", "tribes", beside)
    assert supplied(tribes_state([mine]), "tribes", beside)
    state = tribes_state([mine, unit("isis-9", "isis", RUTBA, "militia")])
    assert state.city_owner["rutba"] == "tribes"
    assert not supplied(state, "tribes", beside)
    assert not supplied(state, "tribes", RUTBA)


def test_empty_town_in_enemy_zone_is_no_source_but_a_garrison_keeps_it():
    west = Hex(21, 61)
    assert west.distance(RUTBA) == 1 and west.distance(Hex(23, 60)) == 2
    mine = unit("tribes-1", "tribes", Hex(23, 60))
    raider = unit("isis-9", "isis", west, "militia")
    assert not supplied(tribes_state([mine, raider]), "tribes", Hex(23, 60))
    garrison = unit("tribes-2", "tribes", RUTBA)
    assert supplied(tribes_state([mine, raider, garrison]), "tribes", Hex(23, 60))


# -- borders and crossings ---------------------------------------------------------------------

def _rebels(supply_crossings=(), bases=()) -> dict:
    return {"id": "rebels", "side": "rebel", "supply_crossings": list(supply_crossings),
            "bases": list(bases)}


def test_supply_crossings_to_turkey_supply_without_any_town():
    near = Hex(11, 21)
    assert near.distance(BAB_AL_HAWA) == 2 and _map().country_at(near) == "SYR"
    outside = next(x.outside for x in _map().crossings if x.hex == BAB_AL_HAWA)
    u = [unit("rebels-1", "rebels", near)]
    for crossings, expected in ((["TUR"], True), ([], False), (["JOR"], False)):
        state = new_state(u, factions=[_rebels(crossings)], sides=["rebel"])
        assert supplied(state, "rebels", near) is expected, crossings
        assert supplied(state, "rebels", BAB_AL_HAWA) is expected, crossings
        assert not supplied(state, "rebels", outside)  # Turkey is no base of theirs


def test_turkish_bases_supply_turkey_and_pass_only_at_crossings():
    state = new_state(factions=[_rebels(bases=["TUR"])], sides=["rebel"], keep_units=False)
    sup = supply_map(state, _map(), RULES, "rebels")
    graph = map_graph(_map())
    turkey = graph.country_mask(["TUR"]) & (graph.terrain >= 2)  # land only
    assert sup[turkey].all()
    assert not sup[graph.country_mask(["TUR"]) & (graph.terrain < 2)].any()  # lakes
    inside = [_index(x.hex) for x in _map().crossings if x.countries[1] == "TUR"]
    assert sup[inside].all()
    # War-zone hexes on the Turkish border but out of range of every Turkish crossing: a Turkish
    # neighbour is no way in.
    war = graph.country_mask(WAR_ZONE)
    border = [i for i in np.flatnonzero(war & (graph.terrain >= 2))
              if any(j >= 0 and turkey[j] for j in graph.nbr[i])]
    remote = [i for i in border
              if min(graph.hex(i).distance(graph.hex(j)) for j in inside) > RANGE]
    assert remote and not sup[remote].any()


def test_iraq_syria_border_is_open():
    state = new_state(factions=[_rebels(bases=["SYR"])], sides=["rebel"], keep_units=False)
    sup = supply_map(state, _map(), RULES, "rebels")
    graph = map_graph(_map())
    syria = graph.country_mask(["SYR"])
    iraq_land = graph.country_mask(["IRQ"]) & (graph.terrain >= 2)
    border = [i for i in np.flatnonzero(iraq_land)
              if any(j >= 0 and syria[j] for j in graph.nbr[i])]
    assert len(border) > 20 and sup[border].all()
    crossing_hexes = {_index(x.hex) for x in _map().crossings} | {_index(x.outside)
                                                                  for x in _map().crossings}
    assert set(border) - crossing_hexes  # most of them away from any crossing


def test_no_base_no_supply_in_turkey():
    state = new_state([unit("rebels-1", "rebels", BAB_AL_HAWA)], factions=[_rebels()],
                      sides=["rebel"])
    sup = supply_map(state, _map(), RULES, "rebels")
    assert not sup.any()


# -- the array version against the rule written out plainly -------------------------------------

def reference_supply(state: GameState, m: HexMap, rules: Rules, fid: str) -> np.ndarray:
    """The rule of ``game.supply`` step by step: a heapq Dijkstra over Hex objects."""
    fac = state.factions[fid]
    allowed = set(WAR_ZONE) | set(fac.bases)
    foot = [t.cost.get("foot") for t in rules.terrain]
    enemy, zone, friends = set(), set(), set()
    for u in state.units.values():
        ut = rules.unit_type(u.type)
        if not ut.is_ground:
            continue
        if state.at_war_with(fid, u.faction):
            enemy.add(u.hex)
            if ut.zoc:
                zone.update(u.hex.neighbors())
        if state.side_of(u.faction) == fac.side:
            friends.add(u.hex)

    def blocked(h: Hex) -> bool:
        return (not m.in_bounds(h) or m.country_at(h) not in allowed
                or foot[m.terrain[m.index(h)]] is None
                or h in enemy or (h in zone and h not in friends))

    sources = {c.hex for c in m.cities if state.city_owner.get(c.id)
               and state.side_of(state.city_owner[c.id]) == fac.side}
    sources |= {x.hex for x in m.crossings if x.countries[1] in fac.supply_crossings}
    sources |= {h for h in m.all_hexes() if m.country_at(h) in fac.bases}
    sides = {(x.hex, x.outside) for x in m.crossings} | {(x.outside, x.hex) for x in m.crossings}
    sup, mv = rules.supply, rules.movement
    cost = {h: 0.0 for h in sources if not blocked(h)}
    heap = [(0.0, h.q, h.r) for h in cost]
    heapq.heapify(heap)
    while heap:
        c, q, r = heapq.heappop(heap)
        h = Hex(q, r)
        if c > cost[h]:
            continue
        row, col = m.index(h)
        for d in range(6):
            n = h.neighbor(d)
            if blocked(n):
                continue
            crosses_border = (m.country_at(h) in WAR_ZONE) != (m.country_at(n) in WAR_ZONE)
            if crosses_border and (h, n) not in sides:
                continue
            road = m.road[row, col, d] > 0
            step = sup["road_cost"] if road else foot[m.terrain[m.index(n)]]
            if m.river[row, col, d]:
                step += mv["bridge_cost"] if road else mv["river_cost"]
            if c + step <= sup["range"] + 1e-9 and c + step < cost.get(n, math.inf):
                cost[n] = c + step
                heapq.heappush(heap, (c + step, n.q, n.r))
    out = np.zeros(m.rows * m.cols, dtype=bool)
    for h in cost:
        out[_index(h)] = True
    return out


FACTIONS = [  # (id, side, bases, supply crossings): a crowded war, not a historical one
    ("isis", "jihadist", [], []), ("nusra", "jihadist", [], []),
    ("assad", "baathist", [], ["LBN"]), ("russia", "baathist", [], ["LBN"]),
    ("iran", "baathist", ["IRN"], ["IRN"]), ("hezbollah", "baathist", ["LBN"], ["LBN"]),
    ("iraq", "iraqi", [], ["IRN", "KWT"]), ("pmf", "iraqi", [], ["IRN"]),
    ("krg", "coalition", [], ["TUR"]), ("sdf", "coalition", [], []),
    ("us", "coalition", ["TUR", "KWT", "JOR"], ["TUR", "KWT", "JOR"]),
    ("uk", "coalition", ["JOR"], ["JOR"]), ("france", "coalition", ["JOR"], ["JOR"]),
    ("turkey", "turkish", ["TUR"], ["TUR"]), ("sna", "turkish", [], ["TUR"]),
    ("fsa", "rebel", [], ["JOR"]),
]
WARS = ([("isis", f) for f, *_ in FACTIONS if f != "isis"]
        + [("nusra", f)
           for f in ("assad", "russia", "iran", "hezbollah", "us", "sdf", "fsa", "iraq")]
        + [(a, b) for a in ("assad", "russia", "iran", "hezbollah") for b in ("fsa", "sna", "sdf")]
        + [("turkey", "sdf"), ("sna", "sdf"), ("turkey", "krg")])


def crowded_state(units: int = 300, seed: int = 7) -> GameState:
    """Sixteen factions and ``units`` ground units scattered over the land of Iraq and Syria."""
    m = _map()
    graph = map_graph(m)
    rng = np.random.default_rng(seed)
    ids = [f for f, *_ in FACTIONS]
    cities = {c.id: ids[k % len(ids)] for k, c in enumerate(m.cities) if c.country in WAR_ZONE}
    land = np.flatnonzero(graph.country_mask(WAR_ZONE) & np.isin(graph.terrain, [3, 4, 5, 7]))
    picks = sorted(rng.choice(land, size=units, replace=False).tolist())
    types = ("infantry", "militia", "armour", "mechanized", "artillery", "headquarters")
    placed = [unit(f"u{k:03d}", ids[int(rng.integers(len(ids)))], graph.hex(i), types[k % 6])
              for k, i in enumerate(picks)]
    setup = {
        "id": "crowded", "sides": [{"id": s} for s in dict.fromkeys(s for _, s, _, _ in FACTIONS)],
        "factions": [{"id": f, "side": s, "bases": b, "supply_crossings": x}
                     for f, s, b, x in FACTIONS],
        "at_war": [list(p) for p in WARS], "cities": cities, "units": placed,
    }
    return GameState.new(setup, m, RULES, 1)


def test_matches_the_plain_rule_on_the_mosul_game():
    state = tribes_state([unit("tribes-1", "tribes", NEAR_RUTBA)]
                         + [unit(f"isis-z{k}", "isis", h, "militia")
                            for k, h in enumerate(_corners(NEAR_RUTBA))])
    maps = supply_maps(state, _map(), RULES)
    for fid, arr in maps.items():
        assert np.array_equal(arr, reference_supply(state, _map(), RULES, fid)), fid


def test_matches_the_plain_rule_in_a_crowded_war():
    state = crowded_state(units=150, seed=3)
    maps = supply_maps(state, _map(), RULES, ["isis", "iraq", "us", "turkey", "sdf", "hezbollah"])
    for fid, arr in maps.items():
        assert np.array_equal(arr, reference_supply(state, _map(), RULES, fid)), fid


# -- determinism -------------------------------------------------------------------------------

def test_same_state_same_maps():
    state = crowded_state(units=120, seed=5)
    first = supply_maps(state, _map(), RULES)
    first["isis"][:] = True  # callers may scribble on their arrays without harm
    again = supply_maps(state.copy(), _map(), RULES)
    third = supply_maps(state, _map(), RULES, list(reversed(state.factions)))
    assert not np.array_equal(first["isis"], again["isis"])
    for fid in state.factions:
        assert np.array_equal(again[fid], third[fid]), fid
        assert np.array_equal(again[fid], supply_map(state, _map(), RULES, fid)), fid


def test_twins_share_a_search_but_not_an_array(monkeypatch):
    import game.supply

    calls = []
    real = game.supply.dijkstra
    monkeypatch.setattr(game.supply, "dijkstra", lambda *a, **k: calls.append(1) or real(*a, **k))
    twins = [{"id": t, "side": "rebel", "supply_crossings": ["TUR"]} for t in ("a", "b")]
    state = new_state(factions=twins, sides=["rebel"], keep_units=False)
    maps = supply_maps(state, _map(), RULES, ["a", "b"])
    assert len(calls) == 1
    assert np.array_equal(maps["a"], maps["b"]) and maps["a"][_index(BAB_AL_HAWA)]
    maps["a"][:] = False
    assert maps["b"][_index(BAB_AL_HAWA)]


@pytest.mark.parametrize("away", [1, 3])
def test_an_enemy_of_one_ally_closes_the_way_for_that_one_only(away):
    # Two factions of one side draw on the same crossings; a third is at war with one of them,
    # next to a crossing (its zone of control closes it) or a little way off.
    twins = [{"id": t, "side": "rebel", "supply_crossings": ["TUR"]} for t in ("a", "b")]
    graph = map_graph(_map())
    spot = next(graph.hex(i) for i in np.flatnonzero(graph.country_mask(["SYR"]) & (graph.terrain >= 2))
                if graph.hex(i).distance(BAB_AL_HAWA) == away)
    state = new_state([unit("foe-1", "foe", spot, "militia")],
                      factions=twins + [{"id": "foe", "side": "hostile"}], sides=["rebel", "hostile"],
                      at_war=[["foe", "a"]], keep_units=False)
    maps = supply_maps(state, _map(), RULES, ["a", "b"])
    assert maps["b"][_index(BAB_AL_HAWA)] and maps["a"][_index(BAB_AL_HAWA)] is np.bool_(away > 1)
    assert maps["b"][_index(spot)] and not maps["a"][_index(spot)]
    for fid in ("a", "b"):
        assert np.array_equal(maps[fid], reference_supply(state, _map(), RULES, fid)), fid


# -- what is kept between calls ------------------------------------------------------------------

def test_a_map_with_changed_terrain_gets_its_own_network():
    state = tribes_state(keep_units=False)
    east = RUTBA + Hex(3, 0)  # open desert three hexes from the town
    flooded = _map().with_terrain([{"hex": [east.q, east.r], "terrain": "lake"}])
    assert supply_graph(flooded, RULES) is not supply_graph(_map(), RULES)
    for m, wet in ((_map(), False), (flooded, True), (_map(), False)):
        assert bool(supply_map(state, m, RULES, "tribes")[_index(east)]) is not wet


def test_factions_with_other_bases_get_their_own_view():
    import game.supply

    sg = supply_graph(_map(), RULES)
    turkey = map_graph(_map()).country_mask(["TUR"]) & (map_graph(_map()).terrain >= 2)
    for k in range(40):  # more sets of bases than a graph keeps views for
        sg.base_view(("TUR", f"X{k:02d}"))
    assert len(sg._bases) <= game.supply._BASE_VIEWS < 40
    twins = [_rebels(bases=["TUR"]), dict(_rebels(), id="others")]
    state = new_state(factions=twins, sides=["rebel"], keep_units=False)
    for _ in range(2):
        maps = supply_maps(state, _map(), RULES, ["rebels", "others"])
        assert maps["rebels"][turkey].all() and not maps["others"][turkey].any()


def test_searches_kept_between_calls_and_threads_follow_the_state():
    import threading

    states = [crowded_state(units=150, seed=11), crowded_state(units=150, seed=12)]
    first = [supply_maps(s, _map(), RULES) for s in states]
    elsewhere: list[dict] = []
    worker = threading.Thread(
        target=lambda: elsewhere.extend(supply_maps(s, _map(), RULES) for s in states))
    worker.start()
    worker.join()
    here = [supply_maps(s, _map(), RULES) for s in states + states[::-1]]
    for k, maps in zip([0, 1, 0, 1, 1, 0], elsewhere + here):
        for fid, arr in maps.items():
            assert np.array_equal(arr, first[k][fid]), (k, fid)


# -- supply in the turn sequence: attrition ------------------------------------------------------

def test_cut_off_unit_loses_people_after_attrition_after_turns():
    setup = mosul_setup()
    setup["units"].append(unit("iraq-9", "iraq", FAR_DESERT, personnel=1000))
    game = Game(setup, _map(), RULES, 1)
    after = RULES.supply["attrition_after"]
    expected_loss = max(1, round(1000 * RULES.supply["attrition_rate"]))
    cut_off_turns = 0
    morale = game.state.units["iraq-9"].morale
    while cut_off_turns <= after:
        assert not game.state.over
        res = game.execute(EndTurn(side=game.state.active_side))
        assert res.ok, res.reason
        if game.state.active_side != "baathist":  # Iraq's side: its turn has just begun
            continue
        cut_off_turns += 1
        cut = game.state.units["iraq-9"]
        assert cut.supplied is False
        assert cut.turns_unsupplied == cut_off_turns
        assert cut.morale < morale
        morale = cut.morale
        home = game.state.units["iraq-4"]  # in Baghdad
        assert home.supplied and home.turns_unsupplied == 0
        if cut_off_turns <= after:
            assert cut.personnel == 1000
            assert "attrition" not in game.state.losses.get("iraq", {})
    assert game.state.units["iraq-9"].personnel == 1000 - expected_loss
    assert game.state.losses["iraq"]["attrition"] == expected_loss
    assert any(e.kind == "out_of_supply" and "iraq-9" in e.data["units"] for e in res.events)


# -- timings -----------------------------------------------------------------------------------

def _bench(runs: int = 50) -> None:
    import statistics
    import time

    from game.supply import supply_graph

    m = _map()
    t = time.perf_counter()
    supply_graph(m, dataclasses.replace(RULES))
    print(f"building the supply graph: {(time.perf_counter() - t) * 1e3:.1f} ms "
          "(once per map and rules)")
    for label, state in (("Mosul test game", mosul_game().state),
                         ("crowded war", crowded_state(300))):
        supply_maps(state, m, RULES)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            supply_maps(state, m, RULES)
            times.append(time.perf_counter() - t)
        ground = sum(RULES.unit_type(u.type).is_ground for u in state.units.values())
        print(f"{label}: {len(state.factions)} factions, {ground} ground units: "
              f"median {statistics.median(times) * 1e3:.2f} ms, "
              f"min {min(times) * 1e3:.2f} ms over {runs} runs")


if __name__ == "__main__":
    _bench()
