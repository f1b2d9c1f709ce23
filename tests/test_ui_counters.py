"""Counters: friend and foe told apart by colour in every bundled scenario and palette, a
faction's colour following its side, and the markers and bars a counter carries, read back
from the pixels drawn."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pygame
import pytest

from game import SCENARIOS_DIR
from game.events import apply_action
from game.session import Session
from game.ui.counters import (
    BAR_UNFIT, FRAME_FILL, MIN_SIDE_DISTANCE, MOVES_PIP, NO_SUPPLY, SPENT_FILL, CounterArt,
    CounterStatus, Palette, abbreviation, counter_layout, side_colour, side_distance)
from game.ui.settings import PALETTES

SCENARIO_PATHS = sorted(SCENARIOS_DIR.glob("*.toml")) \
    + sorted(SCENARIOS_DIR.glob("examples/*.toml"))
SYMBOLS = {"infantry": "infantry", "armour": "armour", "militia": "militia"}


@pytest.fixture(scope="module", autouse=True)
def display():
    pygame.init()
    pygame.display.set_mode((8, 8))
    yield


@pytest.fixture(scope="module")
def sessions():
    return {p: Session.new(p, seed=1) for p in SCENARIO_PATHS}


def art_for(state, palette="standard", viewer=None):
    pal = Palette.for_state(state, palette, viewer)
    return CounterArt(pal, SYMBOLS,
                      {f: abbreviation(f, fac.name) for f, fac in state.factions.items()})


def body(surf: pygame.Surface) -> tuple[int, int, int]:
    """The colour of a counter's body, at its left edge half-way down (inside its outline)."""
    return tuple(surf.get_at((1, surf.get_height() // 2)))[:3]


def unit(faction="us", personnel=3000, **kw):
    fields = dict(id=f"{faction}-1", type="infantry", faction=faction, personnel=personnel,
                  supplied=True, entrenchment=0, moves_left=0.0)
    fields.update(kw)
    return SimpleNamespace(**fields)


def pixels(surf: pygame.Surface, rect=None) -> list[tuple[int, int, int]]:
    rect = rect or surf.get_rect()
    return [tuple(surf.get_at((x, y)))[:3] for y in range(rect.top, rect.bottom)
            for x in range(rect.left, rect.right)]


# -- friend and foe ------------------------------------------------------------------------

def test_the_scenarios_have_been_found():
    names = {p.stem for p in SCENARIO_PATHS}
    assert {"campaign", "2014-isis-offensive", "fall-of-mosul"} <= names


@pytest.mark.parametrize("palette", PALETTES)
def test_no_allied_counter_looks_like_an_enemy_in_any_bundled_scenario(sessions, palette):
    """For every bundled scenario, every side's view and every palette: the body of every
    counter of the viewer's side is one colour, and every enemy's is far from it."""
    least = MIN_SIDE_DISTANCE[palette]
    for path, session in sessions.items():
        state = session.game.state
        for viewer in state.sides:
            art = art_for(state, palette, viewer)
            bodies = {f: body(art.counter(f, "infantry", 3000, 32)) for f in state.factions}
            allies = {f for f, fac in state.factions.items() if fac.side == viewer}
            enemies = state.enemies_of_side(viewer)
            assert allies and enemies, (path.stem, viewer)
            assert len({bodies[f] for f in allies}) == 1, (path.stem, viewer)
            for a, e in itertools.product(allies, enemies):
                d = side_distance(bodies[a], bodies[e], palette)
                assert d >= least, (path.stem, palette, viewer, a, e, bodies[a], bodies[e], d)
            # Every side's counters are apart from every other side's, at war or not.
            for s, t in itertools.combinations(state.sides, 2):
                cs = {bodies[f] for f, fac in state.factions.items() if fac.side == s}
                ct = {bodies[f] for f, fac in state.factions.items() if fac.side == t}
                for x, y in itertools.product(cs, ct):
                    assert side_distance(x, y, palette) >= least, (path.stem, s, t)


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("sides", [
    ["red", "blue"],
    ["north", "south", "east", "west"],
    ["a", "b", "c", "d", "e"],
    ["coalition", "baathist", "jihadist", "kurds"],
    ["coalition", "baathist", "jihadist", "kurds", "turks"],
    ["jihadist", "rebels", "coalition", "loyalists", "baathist", "tribes", "militias", "pirates"],
])
def test_sides_of_ones_own_scenarios_stay_apart(palette, sides):
    colours = [side_colour(s, palette, sides) for s in sides]
    for (s, a), (t, b) in itertools.combinations(zip(sides, colours), 2):
        assert side_distance(a, b, palette) >= MIN_SIDE_DISTANCE[palette], (s, t, a, b)
    # The same side keeps its colour whatever its place in the list.
    for s in ("coalition", "baathist", "jihadist"):
        if s in sides:
            assert side_colour(s, palette, sides) == side_colour(s, palette)


def test_a_faction_is_shown_by_its_tag_not_its_body():
    """Turkey is coalition blue with a red tag; Iran is Ba'athist red, not the opposition's
    green."""
    state = Session.new("2014-isis-offensive", seed=1).game.state
    art = art_for(state)
    tr = art.counter("turkey", "infantry", 3000, 48)
    assert body(tr) == body(art.counter("us", "infantry", 3000, 48)) == side_colour("coalition")
    assert body(art.counter("iran", "infantry", 3000, 48)) == side_colour("baathist")
    tag = counter_layout(48).tag
    assert art.palette.faction_colour("turkey") in pixels(tr, tag)
    assert art.palette.faction_colour("turkey") not in pixels(art.counter("us", "infantry",
                                                                          3000, 48), tag)


def test_a_faction_that_changes_side_changes_colour_and_frame():
    """Iraq turns against the coalition in November 2014: its counters turn Ba'athist red, and
    the coalition sees them in a hostile frame."""
    session = Session.new("campaign", seed=1)
    game = session.game
    state = game.state
    art = art_for(state, "standard", viewer="coalition")
    iq = next(u for u in state.units.values() if u.faction == "iraq")
    before = art.stack([iq], 32)
    assert body(before) == side_colour("coalition")
    assert art.palette.affiliation(art.palette.side_of("iraq")) == "friend"
    event = next(e for e in game.setup["events"] if e.get("id") == "iraq-turns")
    for action in event["actions"]:
        apply_action(state, game.ctx, game.setup, action)
    assert state.side_of("iraq") == "baathist"
    # Told the side at draw time, the counter follows at once...
    assert body(art.stack([iq], 32, sides=["baathist"])) == side_colour("baathist")
    # ...and a palette kept in step with the game follows too.
    assert art.palette.sync(state) is True
    assert art.palette.sync(state) is False  # nothing new: no work
    after = art.stack([iq], 32)
    assert body(after) == art.palette.colour("iraq") == side_colour("baathist")
    assert art.palette.affiliation("baathist") == "hostile"
    assert after is not before


def test_a_unit_handed_over_takes_its_new_factions_colour():
    art = CounterArt(Palette({"us": ("US", "coalition"), "assad": ("SAA", "baathist")}),
                     SYMBOLS, {})
    u = unit("us")
    assert body(art.stack([u], 32)) == side_colour("coalition")
    u.faction = "assad"
    assert body(art.stack([u], 32)) == side_colour("baathist")


def test_frames_take_the_viewers_affiliation():
    """Seen by the coalition: its own counters in a rectangle, an enemy's pointed at both ends,
    a side at peace with it in a square; a watched game draws rectangles."""
    facs = {"us": ("US", "coalition"), "isis": ("IS", "jihadist"), "kurds": ("K", "kurdish")}
    pal = Palette(facs, "standard", ["coalition", "jihadist", "kurdish"], viewer="coalition",
                  hostile={"jihadist"})
    art = CounterArt(pal, SYMBOLS, {})
    lay = counter_layout(48)
    f = lay.frame

    def fill_span(surf, y):
        xs = [x for x in range(f.left, f.right) if tuple(surf.get_at((x, y)))[:3] == FRAME_FILL]
        return (min(xs), max(xs)) if xs else None

    friend = art.counter("us", "armour", 3000, 48)
    hostile = art.counter("isis", "armour", 3000, 48)
    neutral = art.counter("kurds", "armour", 3000, 48)
    top, mid = f.top + 2, f.centery
    fr_top, fr_mid = fill_span(friend, top), fill_span(friend, mid)
    ho_top, ho_mid = fill_span(hostile, top), fill_span(hostile, mid)
    assert fr_top == fr_mid  # a rectangle
    assert ho_mid[0] < ho_top[0] - 2 and ho_mid[1] > ho_top[1] + 2  # pointed ends
    ne = fill_span(neutral, mid)
    assert ne[1] - ne[0] < fr_mid[1] - fr_mid[0]  # a square, narrower than the rectangle
    assert [pal.affiliation(s) for s in ("coalition", "jihadist", "kurdish")] == \
        ["friend", "hostile", "neutral"]
    watched = CounterArt(Palette(facs, "standard"), SYMBOLS, {})
    assert fill_span(watched.counter("isis", "armour", 3000, 48), top) == \
        fill_span(watched.counter("isis", "armour", 3000, 48), mid)


# -- a counter's anatomy --------------------------------------------------------------------

def art_plain():
    return CounterArt(Palette({"us": ("United States", "coalition"),
                               "assad": ("Syrian Arab Army", "baathist")}), SYMBOLS,
                      {"us": "US", "assad": "SAA"})


@pytest.mark.parametrize("size", [16, 32, 48])
@pytest.mark.parametrize("faction", ["us", "assad"])
def test_out_of_supply_shows_a_red_mark(size, faction):
    art = art_plain()
    fed = art.counter(faction, "infantry", 3000, size, status=CounterStatus(supplied=True))
    cut = art.counter(faction, "infantry", 3000, size, status=CounterStatus(supplied=False))
    x, y, r = counter_layout(size).supply
    corner = pygame.Rect(x - r, y - r, 2 * r + 1, 2 * r + 1)
    assert NO_SUPPLY in pixels(cut, corner) and NO_SUPPLY not in pixels(fed, corner)
    assert (255, 255, 255) in pixels(cut, corner)  # its white ring shows on the red body too


@pytest.mark.parametrize("size", [16, 32, 48])
def test_dug_in_shows_a_bracket_that_grows_with_the_level(size):
    art = art_plain()
    lay = counter_layout(size)
    below = pygame.Rect(1, lay.frame.top, size - 2, lay.frame.h + 2)
    shown = []
    for level in range(4):
        s = art.counter("us", "infantry", 3000, size, status=CounterStatus(entrenched=level))
        shown.append(pixels(s, below))
    ink = [sum(p != side_colour("coalition") for p in px) for px in shown]
    assert ink[0] < ink[1] < ink[2] < ink[3], ink


@pytest.mark.parametrize("size", [16, 32, 48])
def test_moves_left_show_a_pip_and_spent_units_a_greyed_frame(size):
    art = art_plain()
    lay = counter_layout(size)
    fresh = art.counter("us", "armour", 3000, size, status=CounterStatus(can_move=True))
    idle = art.counter("us", "armour", 3000, size, status=CounterStatus())
    spent = art.counter("us", "armour", 3000, size, status=CounterStatus(spent=True))
    assert MOVES_PIP in pixels(fresh) and MOVES_PIP not in pixels(idle)
    assert MOVES_PIP not in pixels(spent)
    inside = pixels(spent, lay.frame)
    assert SPENT_FILL in inside and FRAME_FILL not in inside
    assert FRAME_FILL in pixels(idle, lay.frame)
    # The old call's mark still greys it.
    assert SPENT_FILL in pixels(art.counter("us", "armour", 3000, size, "spent"), lay.frame)


@pytest.mark.parametrize("size", [16, 32, 48, 64])
def test_the_strength_bar_follows_strength_and_greys_what_is_unfit(size):
    art = art_plain()
    bar = counter_layout(size).bar
    row = pygame.Rect(bar.left, bar.centery, bar.w, 1)
    trough = (16, 16, 18)

    def filled(status):
        s = art.counter("us", "infantry", 3000, size, status=status)
        px = pixels(s, row)
        return sum(p != trough for p in px), sum(p == BAR_UNFIT for p in px)

    full, _ = filled(CounterStatus(strength=1.0))
    half, _ = filled(CounterStatus(strength=0.5))
    quarter, _ = filled(CounterStatus(strength=0.25))
    assert full >= bar.w - 2 and abs(half - full / 2) <= 1.5 and abs(quarter - full / 4) <= 1.5
    assert filled(CounterStatus(strength=0.0))[0] == 0
    # Half the men fit to fight: half the bar greyed.
    n, unfit = filled(CounterStatus(strength=1.0, fit=0.5))
    assert n == full and abs(unfit - full / 2) <= 1
    # No strength known: no bar at all.
    assert trough not in pixels(art.counter("us", "infantry", 3000, size), row)


def test_a_stack_derives_its_status_from_the_units():
    """Without statuses, a game's units show their supply, their dug-in level and their
    strength against the most personnel they have been seen with."""
    art = art_plain()
    u = unit("us", 4000)
    art.remember([u])
    u.personnel = 2000
    u.supplied = False
    u.entrenchment = 2
    st = art.status_of(u)
    assert (st.supplied, st.entrenched, st.strength) == (False, 2, 0.5)
    size = 48
    x, y, r = counter_layout(size).supply
    assert NO_SUPPLY in pixels(art.stack([u], size), pygame.Rect(x - r, y - r, 2 * r, 2 * r))
    # The editor's units (no entrenchment, no supply) show no bar and no marks.
    plain = SimpleNamespace(id="x", faction="us", type="infantry", personnel=2000)
    assert art._auto_status(plain, "") == CounterStatus()
    # CounterStatus.of: a viewer's own unit in its own turn.
    u.moves_left = 3.0
    assert CounterStatus.of(u, 4000, own_turn=True).can_move
    u.moves_left = 0.0
    assert CounterStatus.of(u, 4000, own_turn=True).spent
    assert not CounterStatus.of(u, 4000, own_turn=False).spent
    assert CounterStatus.of(SimpleNamespace(personnel=1, supplied=None), 10).supplied


def test_the_bar_is_the_whole_strength_with_the_wounded_and_shaken_greyed():
    """A fight leaves a unit's bar as long as its people, fit or not, against the most it had;
    the part not fit to fight is greyed, by at least a pixel however few they are."""
    art = art_plain()
    u = unit("us", 4000, strength=4000, wounded=0, shaken=0)
    assert art.status_of(u).fit is None  # all fit: no grey
    # 300 killed, 900 wounded, 800 shaken: 2,000 fit of 3,700.
    u.personnel, u.wounded, u.shaken, u.strength = 2000, 900, 800, 3700
    st = art.status_of(u)
    assert art.full[u.id] == 4000  # the shaken did not lower the most it had
    assert st.strength == pytest.approx(3700 / 4000) and st.fit == pytest.approx(2000 / 3700)
    # Others' units seen from outside: the rounded figures of the view.
    seen = unit("assad", 2000, strength=2800, wounded=None, shaken=None)
    assert CounterStatus.of(seen, 3000).fit == pytest.approx(2000 / 2800)
    # A handful shaken in a big unit still shows, at every size.
    for size in (16, 32, 64):
        bar = counter_layout(size).bar
        row = pygame.Rect(bar.left, bar.centery, bar.w, 1)
        s = art.counter("us", "infantry", 3000, size,
                        status=CounterStatus(strength=1.0, fit=0.995))
        assert 1 <= pixels(s, row).count(BAR_UNFIT) <= 2, size


@pytest.mark.parametrize("size", range(12, 65, 4))
def test_every_size_draws_and_small_ones_drop_the_words(size):
    art = art_plain()
    lay = counter_layout(size)
    s = art.counter("us", "infantry", 12000, size,
                    status=CounterStatus(supplied=False, entrenched=1, can_move=True,
                                         strength=0.7, fit=0.6))
    assert s.get_size() == (size, size)
    assert lay.frame.h >= 4 and lay.bar.bottom <= size
    assert lay.words == (size >= 22) and lay.strength == (size >= 30)
    if not lay.strength:
        # No figures: the counter is the same whatever the strength in figures.
        t = art.counter("us", "infantry", 800, size,
                        status=CounterStatus(supplied=False, entrenched=1, can_move=True,
                                             strength=0.7, fit=0.6))
        assert t is s


def test_counters_are_cached_by_what_they_show():
    art = art_plain()
    st = CounterStatus(strength=0.5)
    a = art.counter("us", "infantry", 3000, 32, status=st)
    assert art.counter("us", "infantry", 3000, 32, status=CounterStatus(strength=0.5)) is a
    assert art.counter("us", "infantry", 3000, 32, status=CounterStatus(strength=0.6)) is not a
    assert art.counter("us", "infantry", 3000, 32, side="baathist", status=st) is not a
    units = [unit("us"), unit("assad")]
    s = art.stack(units, 32)
    assert art.stack(units, 32) is s
    assert art.stack(units, 32, sides=["coalition", "coalition"]) is not s


def test_a_stack_shows_its_count_beside_the_top_counter():
    art = art_plain()
    units = [unit("us"), unit("us", id="b"), unit("us", id="c"), unit("us", id="d")]
    one = art.stack(units[:1], 32)
    four = art.stack(units, 32)
    assert one.get_size() == (32, 32)
    assert four.get_width() > 32 and four.get_height() > 32
    # The top counter sits at the bottom-left, where the battle screen puts the hex's centre.
    h = four.get_height()
    assert tuple(four.get_at((1, h - 16)))[:3] == side_colour("coalition")
