"""Fog of war: each side sees what its units see, and the SideView leaks nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from game.hexgrid import Hex
from game.movement import map_graph
from game.visibility import side_view, vision_radius, visible_mask, visible_units

from games import hexmap, mosul_game


@pytest.fixture
def game():
    return mosul_game()


def test_own_units_always_seen(game):
    st = game.state
    for side in st.sides:
        ids = {u.id for u in visible_units(st, game.hexmap, game.rules, side)}
        assert {u.id for u in st.units_of_side(side)} <= ids


def test_far_enemies_unseen_and_absent_from_the_view(game):
    st = game.state
    view = side_view(st, game.hexmap, game.rules, "jihadist")
    seen = {u.id for u in view.units}
    # The US air wing in Kuwait is nowhere near an ISIS unit.
    assert "us-air" not in seen
    assert all(u.own for u in view.units if u.faction == "isis")
    # Nothing about unseen units survives in the view: not their ids, not a count.
    text = repr(view)
    for uid in st.units:
        if uid not in seen:
            assert uid not in text
    assert set(view.losses) <= {"isis"}


def test_concealment_in_towns(game):
    st = game.state
    m = hexmap()
    tikrit = m.find_city("Tikrit").hex
    assert st.units["iraq-2"].hex == tikrit
    for d, expect in [(3, False), (2, False), (1, True)]:
        spot = next(h for h in [tikrit + Hex(d, 0), tikrit + Hex(-d, 0), tikrit + Hex(0, d),
                                tikrit + Hex(0, -d)]
                    if m.terrain_at(h) in ("desert", "steppe"))
        st.units["isis-2"].hex = spot
        seen = {u.id for u in visible_units(st, game.hexmap, game.rules, "jihadist")}
        assert ("iraq-2" in seen) is expect, d


def test_open_ground_seen_from_afar(game):
    st = game.state
    m = hexmap()
    desert = next(Hex(q, 45) for q in range(50, 70)
                  if all(m.terrain_at(Hex(q + k, 45)) == "desert" for k in range(5)))
    st.units["iraq-2"].hex = desert
    st.units["isis-2"].hex = desert + Hex(4, 0)  # militia 3 + desert 1 = 4 hexes
    assert "iraq-2" in {u.id for u in visible_units(st, game.hexmap, game.rules, "jihadist")}
    st.units["isis-2"].hex = desert + Hex(6, 0)
    assert "iraq-2" not in {u.id for u in visible_units(st, game.hexmap, game.rules, "jihadist")}


def test_high_ground_sees_further(game):
    m = hexmap()
    g = map_graph(m)
    rules = game.rules
    elev = m.elevation.ravel()
    st = game.state
    u = st.units["isis-2"]
    peak = next(i for i in range(g.n) if m.terrain.ravel()[i] == 5  # hills
                and elev[i] - min(elev[j] for j in g.nbr[i] if j >= 0) >= 300)
    u.hex = g.hex(peak)
    base = rules.unit_type("militia").vision + rules.terrain_named("hills").vision
    assert vision_radius(g, rules, u) == base + 1


def test_view_is_read_only(game):
    view = side_view(game.state, game.hexmap, game.rules, "coalition")
    with pytest.raises(ValueError):
        view.visible[0, 0] = True
    with pytest.raises(TypeError):
        view.city_owner["mosul"] = "isis"
    with pytest.raises(AttributeError):
        view.turn = 9  # frozen
    assert view.visible.shape == (hexmap().rows, hexmap().cols)


def test_enemy_detail_is_limited(game):
    st = game.state
    st.units["isis-2"].hex = st.units["iraq-2"].hex + Hex(1, 0)
    view = side_view(st, game.hexmap, game.rules, "jihadist")
    iraqi = view.unit("iraq-2")
    assert iraqi is not None and not iraqi.own
    assert iraqi.morale is None and iraqi.moves_left is None and iraqi.supplied is None
    assert iraqi.personnel % 100 == 0
    own = view.unit("isis-2")
    assert own.own and own.morale is not None


def test_mask_matches_units(game):
    st = game.state
    mask = visible_mask(st, game.hexmap, game.rules, "coalition")
    m = hexmap()
    for u in st.units_of_side("coalition"):
        row, col = m.index(u.hex)
        assert mask[row, col]
    assert mask.sum() < mask.size / 10
    assert isinstance(mask, np.ndarray) and mask.dtype == bool


def test_a_side_knows_its_own_depots_and_not_the_enemys(game):
    st = game.state
    st.supply_sources = [{"hex": [10, 40], "faction": "iraq"}, {"hex": [12, 40], "side": "baathist"},
                         {"hex": [20, 30], "faction": "isis"}]
    mine = side_view(st, game.hexmap, game.rules, "baathist").supply_sources
    assert [dict(d) for d in mine] == [{"hex": [10, 40], "faction": "iraq"},
                                       {"hex": [12, 40], "side": "baathist"}]
    theirs = side_view(st, game.hexmap, game.rules, "jihadist").supply_sources
    assert [dict(d) for d in theirs] == [{"hex": [20, 30], "faction": "isis"}]


def _seen_by_hand(st, m, rules, side):
    """The rule of sight written out unit by unit: what the cached arrays must agree with."""
    g = map_graph(m)
    eyes = [(u.hex, vision_radius(g, rules, u)) for u in st.units.values()
            if st.factions[u.faction].side == side]
    out = []
    for u in st.units.values():
        if st.factions[u.faction].side == side:
            out.append(u.id)
            continue
        seen = [h.distance(u.hex) for h, r in eyes if h.distance(u.hex) <= r]
        cover = rules.terrain[m.terrain.ravel()[g.index(u.hex)]].concealment
        if seen and not (cover and min(seen) > cover):
            out.append(u.id)
    return out


def test_what_a_side_sees_is_never_an_old_answer(game):
    """Sight is worked out once for the units as they stand and kept; a unit moved, one gone,
    a faction changed side or a map of the game's own make it new."""
    from game.hexmap import game_map

    st, m, rules = game.state, game.hexmap, game.rules

    def check(on=m):
        for side in st.sides:
            assert [u.id for u in visible_units(st, on, rules, side)] == _seen_by_hand(st, on, rules, side)

    check()
    desert = next(Hex(q, 45) for q in range(50, 70)
                  if all(m.terrain_at(Hex(q + k, 45)) == "desert" for k in range(5)))
    st.units["iraq-2"].hex = desert
    st.units["isis-2"].hex = desert + Hex(4, 0)
    check()
    assert "iraq-2" in {u.id for u in visible_units(st, m, rules, "jihadist")}
    # A side's sight is its own units': when only another side's unit moves, it is kept.
    from game.visibility import side_sight

    theirs, ours = side_sight(st, m, rules, "jihadist"), side_sight(st, m, rules, "baathist")
    st.units["iraq-2"].hex = desert + Hex(-1, 0)
    assert side_sight(st, m, rules, "jihadist") is theirs
    assert side_sight(st, m, rules, "baathist") is not ours
    check()
    st.units["iraq-2"].hex = desert
    check()
    st.units["isis-2"].hex = desert + Hex(6, 0)  # the same unit object, moved away
    check()
    assert "iraq-2" not in {u.id for u in visible_units(st, m, rules, "jihadist")}
    st.units["isis-2"].hex = desert + Hex(4, 0)
    st.factions["isis"].side = "coalition"  # its eyes now serve another side
    check()
    assert "iraq-2" not in {u.id for u in visible_units(st, m, rules, "jihadist")}
    st.factions["isis"].side = "jihadist"
    del st.units["isis-2"]
    check()
    # A map whose terrain the scenario changed: a town around the watched unit hides it.
    st.units["isis-3"].hex = desert + Hex(3, 0)
    check()
    assert "iraq-2" in {u.id for u in visible_units(st, m, rules, "jihadist")}
    hidden = game_map(m, [{"hex": [desert.q, desert.r], "terrain": "urban"}])
    check(hidden)
    assert "iraq-2" not in {u.id for u in visible_units(st, hidden, rules, "jihadist")}
    sight = side_view(st, m, rules, "jihadist").sight
    with pytest.raises(ValueError):
        sight[0] = 5  # shared between callers: nobody may write to it


def test_a_side_view_shows_each_unit_as_it_is_now(game):
    """Views of units that have not changed are kept from one look to the next; a unit
    whose strength, place, equipment or side changed is shown as it is now."""
    st, m, rules = game.state, game.hexmap, game.rules
    first = side_view(st, m, rules, "baathist")
    iraqi = st.units["iraq-2"]
    iraqi.personnel -= 700
    iraqi.equipment["armoured vehicles"] = iraqi.equipment.get("armoured vehicles", 0) + 3
    iraqi.morale = 12.0
    again = side_view(st, m, rules, "baathist")
    now = again.unit("iraq-2")
    assert now.personnel == iraqi.personnel and now.morale == 12.0
    assert now.equipment["armoured vehicles"] == iraqi.equipment["armoured vehicles"]
    assert first.unit("iraq-2").personnel == iraqi.personnel + 700  # the old view is as it was
    assert again.unit("iraq-1") == first.unit("iraq-1")
    st.factions["assad"].side = "coalition"  # its units are no longer the side's own
    assert not side_view(st, m, rules, "baathist").unit("assad-1") or not side_view(
        st, m, rules, "baathist"
    ).unit("assad-1").own
    assert side_view(st, m, rules, "coalition").unit("assad-1").own
