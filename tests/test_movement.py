"""Movement on the real map: terrain, roads, rivers, zones of control, stacking, borders."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.hexgrid import Hex
from game.movement import (
    Obstacles,
    cost_array,
    find_path,
    map_graph,
    movement_range,
    obstacles_for,
    path_cost,
)
from game.rules import default_rules
from game.state import GameState, Unit

from games import hexmap, mosul_setup

RULES = default_rules()


@pytest.fixture(scope="module")
def m():
    return hexmap()


@pytest.fixture(scope="module")
def g(m):
    return map_graph(m)


def unit(type_="infantry", at=Hex(0, 0), faction="iraq", moves=None):
    ut = RULES.unit_type(type_)
    return Unit(id="u", type=type_, faction=faction, hex=at, personnel=1000,
                moves_left=ut.movement if moves is None else moves)


NONE = Obstacles(enemy=set(), zoc=set(), blocked_end=set())


def test_index_round_trip(m, g):
    for h in [Hex(0, 0), m.find_city("Mosul").hex, m.find_city("Basra").hex]:
        assert g.hex(g.index(h)) == h
    for i in range(0, g.n, 997):
        assert g.index(g.hex(i)) == i


def test_neighbours_match_hexgrid(m, g):
    h = m.find_city("Baghdad").hex
    assert [g.hex(j) for j in g.nbr[g.index(h)]] == list(h.neighbors())


def test_roads_are_faster(m, g):
    """Along the Euphrates road a mechanized unit goes further than across the desert."""
    ramadi = m.find_city("Ramadi").hex
    u = unit("mechanized", ramadi)
    reach = movement_range(g, RULES, u, NONE)
    road = next(r for r in m.roads if r.name == "Euphrates road")
    i = road.hexes.index(ramadi)
    along = [h for h in road.hexes[i:] if h in reach]
    assert len(along) > RULES.unit_type("mechanized").movement  # more hexes than points
    assert max(ramadi.distance(h) for h in reach) > RULES.unit_type("mechanized").movement


def test_river_costs_more_and_bridges_less(m, g):
    ut = RULES.unit_type("infantry")
    costs = cost_array(g, RULES, ut)
    river_no_road = road_bridge = None
    for i in range(g.n):
        for d in range(6):
            j = g.nbr[i, d]
            if j < 0 or not g.river[i, d]:
                continue
            if m.terrain.ravel()[j] == 3:  # into desert
                if g.road[i, d]:
                    road_bridge = costs[i][d]
                elif river_no_road is None:
                    river_no_road = costs[i][d]
    mv = RULES.movement
    assert river_no_road == 1.0 + mv["river_cost"]
    assert road_bridge == mv["road_cost"] + mv["bridge_cost"]
    assert road_bridge < river_no_road


def test_water_and_marsh(m, g):
    basra = m.find_city("Amarah").hex
    reach_inf = movement_range(g, RULES, unit("infantry", basra, moves=20), NONE)
    reach_arm = movement_range(g, RULES, unit("armour", basra, moves=20), NONE)
    assert all(m.terrain_at(h) not in ("sea", "lake") for h in reach_inf)
    assert any(m.terrain_at(h) == "marsh" for h in reach_inf)
    assert not any(m.terrain_at(h) == "marsh" for h in reach_arm)


def test_borders(m, g):
    zakho = m.find_city("Zakho").hex
    kurd = unit("infantry", zakho, faction="kurds", moves=12)
    reach = movement_range(g, RULES, kurd, NONE)
    assert reach and all(m.country_at(h) in ("IRQ", "SYR") for h in reach)
    reach_us = movement_range(g, RULES, unit("infantry", zakho, faction="us", moves=12), NONE,
                              bases=["TUR"])
    assert any(m.country_at(h) == "TUR" for h in reach_us)


def test_enemy_and_zoc(m, g):
    """An enemy hex is never entered; a hex in its zone of control is entered but not left."""
    start = Hex(60, 40)
    assert m.terrain_at(start) in ("desert", "steppe")
    enemy_at = start + Hex(3, 0)
    ei = g.index(enemy_at)
    zoc = {j for j in g.nbr[ei] if j >= 0}
    obs = Obstacles(enemy={ei}, zoc=zoc, blocked_end=set())
    reach = movement_range(g, RULES, unit("infantry", start, moves=6), obs)
    assert enemy_at not in reach
    west = enemy_at + Hex(-1, 0)
    assert west in reach
    beyond = enemy_at + Hex(1, 0)  # straight through is closed; around the ZOC is long
    free = movement_range(g, RULES, unit("infantry", start, moves=6), NONE)
    assert beyond in free and (beyond not in reach or reach[beyond] > free[beyond])
    # Starting inside a zone of control costs extra to leave.
    obs2 = Obstacles(enemy=set(), zoc={g.index(start)}, blocked_end=set())
    away = start + Hex(-1, 0)
    assert movement_range(g, RULES, unit("infantry", start), obs2)[away] == \
        free[away] + RULES.movement["zoc_exit_cost"]


def test_stacking(m, g):
    start = Hex(60, 40)
    full = start + Hex(1, 0)
    obs = Obstacles(enemy=set(), zoc=set(), blocked_end={g.index(full)})
    reach = movement_range(g, RULES, unit("infantry", start), obs)
    assert full not in reach  # may not stop there
    assert full + Hex(1, 0) in reach  # but may pass through


def test_obstacles_from_units(m, g):
    state = GameState.new(mosul_setup(), m, RULES, 1)
    mover = state.units["iraq-2"]
    obs = obstacles_for(g, RULES, mover, state.units.values(), state.at_war_with, state.side_of)
    isis = state.units["isis-2"]
    assert g.index(isis.hex) in obs.enemy
    assert all(j in obs.zoc for j in g.nbr[g.index(isis.hex)] if j >= 0)
    # Three Iraqi ground units in Baghdad: the city is full for a fourth.
    assert g.index(m.find_city("Baghdad").hex) in obs.blocked_end
    # The air wing stands nowhere near the ground war: no obstacle to ground units.
    air = state.units["us-air"]
    assert g.index(air.hex) not in obs.enemy | obs.blocked_end


def test_path_matches_range(m, g):
    mosul = m.find_city("Mosul").hex
    u = unit("mechanized", mosul)
    reach = movement_range(g, RULES, u, NONE)
    for target, cost in list(reach.items())[::25]:
        path, c = find_path(g, RULES, u, target, NONE)
        assert path[0] == mosul and path[-1] == target
        assert c == pytest.approx(cost)
        assert sum(path_cost(g, RULES, RULES.unit_type("mechanized"), path, set())) == pytest.approx(c)
    assert find_path(g, RULES, u, Hex(0, 0), NONE) is None


def test_air_wing_flies_anywhere_in_range(m, g):
    kuwait = m.find_city("Kuwait City").hex
    air = unit("air_wing", kuwait)
    reach = movement_range(g, RULES, air, NONE)
    assert any(m.terrain_at(h) == "sea" for h in reach)
    assert max(kuwait.distance(h) for h in reach) == RULES.unit_type("air_wing").movement
    assert all(math.isfinite(c) for c in reach.values())


def test_a_map_with_changed_terrain_moves_over_its_own_ground_after_the_plain_map(m, g):
    """A scenario's [[terrain]] changes make a map of the game's own: a unit on it moves over
    that ground, even when the same process has moved units over the plain map first."""
    from game.hexgrid import hex_range
    from game.hexmap import game_map

    centre = Hex(46, 55)  # open desert west of the Tigris, no road
    mech = unit("mechanized", at=centre)
    plain = movement_range(g, RULES, mech, NONE)  # fills the tables of the plain map
    assert len(plain) > 100
    # The game's map rings the unit with marsh, which no mechanized unit enters.
    marsh = [{"hex": [h.q, h.r], "terrain": "marsh"} for h in hex_range(centre, 3) if h != centre]
    changed = map_graph(game_map(m, marsh))
    assert movement_range(changed, RULES, mech, NONE) == {}
    assert movement_range(g, RULES, mech, NONE) == plain  # and the plain map is as it was


def _obstacles_by_hand(g, mover, units, at_war, side_of):
    """The rule of ``obstacles_for`` written out unit by unit: what the arrays must agree with."""
    mut = RULES.unit_type(mover.type)
    enemy, zoc, stacks, other = set(), set(), {}, set()
    for u in units:
        if u.id == mover.id:
            continue
        ut = RULES.unit_type(u.type)
        i = g.index(u.hex)
        if at_war(mover.faction, u.faction):
            if (ut.is_ground and mut.is_ground) or ut.category == mut.category:
                enemy.add(i)
            if ut.zoc and ut.is_ground and mut.is_ground:
                zoc.update(j for j in g.nbr[i].tolist() if j >= 0)
        elif side_of(u.faction) == side_of(mover.faction):
            if ut.is_ground:
                stacks[i] = stacks.get(i, 0) + 1
        elif ut.is_ground and mut.is_ground:
            other.add(i)
    limit = RULES.movement["stack_limit"] if mut.is_ground else 10**9
    return enemy, zoc - enemy, {i for i, n in stacks.items() if n >= limit} | other


def test_obstacles_follow_units_that_moved_or_changed_side_since_they_were_last_asked(m, g):
    """The units a mover knows of are kept as arrays between calls; a unit that moved, a
    faction that changed side, a unit gone are seen at once, for every mover."""
    state = GameState.new(mosul_setup(), m, RULES, 1)
    units = list(state.units.values())

    def check():
        for mover in units:
            got = obstacles_for(g, RULES, mover, units, state.at_war_with, state.side_of)
            assert (got.enemy, got.zoc, got.blocked_end) == _obstacles_by_hand(
                g, mover, units, state.at_war_with, state.side_of
            ), mover.id

    check()
    isis = state.units["isis-2"]
    before = g.index(isis.hex)
    isis.hex = isis.hex + Hex(2, -1)  # the same list, a unit moved
    check()
    mover = state.units["iraq-2"]
    obs = obstacles_for(g, RULES, mover, units, state.at_war_with, state.side_of)
    assert g.index(isis.hex) in obs.enemy and before not in obs.enemy
    # Three Iraqi units in Baghdad fill it; one leaves and it is open again.
    baghdad = g.index(m.find_city("Baghdad").hex)
    assert baghdad in obs.blocked_end
    leaving = next(u for u in units if u.faction == "iraq" and g.index(u.hex) == baghdad and u is not mover)
    leaving.hex = leaving.hex + Hex(1, 0)
    check()
    assert baghdad not in obstacles_for(g, RULES, mover, units, state.at_war_with, state.side_of).blocked_end
    units.remove(isis)  # gone
    check()
    state.factions["assad"].side = "coalition"  # a faction changes side
    state.at_war.add(frozenset({"assad", "iraq"}))
    check()
    assad = state.units["assad-1"]
    assert g.index(assad.hex) in obstacles_for(g, RULES, mover, units, state.at_war_with, state.side_of).enemy


def test_a_range_found_with_scipy_is_the_searchs_own_hex_for_hex_and_cost_for_cost(m, g):
    """``movement_range`` (what a selected unit shows) searches the disc its points could
    cover with scipy; the computer's ``reach`` searches hex by hex in Python. They must agree
    exactly: in the open and at the map's edges, through zones of control and beside enemies,
    from a hex in an enemy's zone, with no points, few or many."""
    from game.bench import bench_game
    from game.movement import reach

    game = bench_game(m, RULES)
    state = game.state
    units = list(state.units.values())
    corners = [g.hex(0), g.hex(g.n - 1), g.hex(g.cols * 5 + 2), g.hex(g.cols * 50 + g.cols - 3)]
    movers = units[::4] + [
        Unit(id=f"edge-{k}", type=t, faction="us", hex=h, personnel=2000, moves_left=12.0)
        for k, h in enumerate(corners)
        for t in ("infantry", "mechanized", "air_wing")
    ]
    in_zone = 0
    for u in movers:
        for moves in (None, 0.0, 0.5, 3.0, 25.0):
            if moves is not None:
                u.moves_left = moves
            obs = obstacles_for(g, RULES, u, units, state.at_war_with, state.side_of)
            in_zone += g.index(u.hex) in obs.zoc
            bases = state.factions[u.faction].bases
            assert movement_range(g, RULES, u, obs, bases) == reach(g, RULES, u, obs, bases).hexes(), u.id
    assert in_zone  # some started in an enemy's zone of control


def test_the_discs_a_map_keeps_are_bounded_and_the_same_when_made_again(m, monkeypatch):
    import game.movement as movement

    graph = movement.MapGraph(m)  # a graph of its own, not the shared one
    first = graph.disc(5000, 6)
    monkeypatch.setattr(movement, "_DISC_HEXES", 2000)
    for i in range(0, graph.n, 50):
        graph.disc(i, 6)
        assert sum(len(d[0]) for d in graph._discs.values()) <= 2000
    again = graph.disc(5000, 6)  # gone from the store long since: made again, alike
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
