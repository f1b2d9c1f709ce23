"""What players read names places, units and events, never coordinates or ids.

The event log, the hot-seat summary, the news and every refusal speak of "Mosul" and "the
desert 40 km east of Palmyra", of "2nd Division" or "Iraq infantry no. 2", and of a scenario
event by its title or by its own news: never of "123,45", "iraq-2" or "Event: mosul-falls".
Each bundled scenario is played AI against AI with every side watched, and everything the
players could read is searched for coordinates and for the scenario's ids.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from game.commands import EndTurn, Entrench, Move, unit_name
from game.hexgrid import DIRECTIONS, Hex
from game.hexmap import FAR_HEXES, GROUND_NAMES, place, place_name
from game.scenario import check_file, load_scenario
from game.session import Seat, SeenEvent, Session

from games import hexmap, mosul_game

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios/examples/fall-of-mosul.toml"
BUNDLED = sorted((ROOT / "scenarios").glob("*.toml")) + [EXAMPLE]

# A hex written as numbers: "(34, 12)" as a Hex prints itself, "hex 3,-4", or a bare "123,45".
# A bare pair that reads as a number with thousands separators ("12,000", "1,250,000") is a
# number, not a place, with its sign too (a change floating up: "-1,891"): so "34,120" passes,
# and only the other two forms catch it.
COORDINATE = re.compile(r"""
    (?P<paren>\(\s*-?\d+\s*,\s*-?\d+\s*\))
  | (?P<hex>\bhex(?:es)?\s+-?\d+\s*,\s*-?\d+)
  | (?P<bare>(?<![\w.,-])-?\d+,-?\d+(?!\w))
""", re.VERBOSE | re.IGNORECASE)
THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+")


def coordinates(text: str) -> list[str]:
    """The hex coordinates written in a text."""
    return [m.group(0) for m in COORDINATE.finditer(text)
            if not (m.group("bare") and THOUSANDS.fullmatch(m.group(0)))]


@pytest.mark.parametrize("text", [
    "(34,12)", "(34, 12)", "at (3, -4)", "hex 3,-4", "hex 3, -4", "Hexes 12,7", "Mosul (123,45)",
    "moved to 123,45", "123,45", "-3,4 is off the map", "3,-4", "12,0000", "7,1", "36,58",
    "-36,58", "at -1,89",
])
def test_the_pattern_finds_coordinates(text):
    assert coordinates(text), text


@pytest.mark.parametrize("text", [
    "12,000 troops", "1,250 desert", "1,250,000 people", "Losses: attackers 8, defenders 59",
    "killed 1,250, 30 civilians", "Attack at 2:1", "Turn 2: 2014-06-23", "33.31,44.36",
    "Su-25 jets", "the desert 40 km east of Palmyra", "Iraq infantry no. 2", "at 1.5:1",
    "16 June 2014, 275 troops", "-1,891", "strength -1,891", "+12,000 arrive",
])
def test_the_pattern_lets_numbers_be(text):
    assert coordinates(text) == [], text


# -- place_name ----------------------------------------------------------------------------------

def _open_hex_from(m, town, direction: int, steps: int) -> Hex | None:
    """The hex ``steps`` away from a town in a direction, if that town is the one nearest it."""
    h = town.hex
    for _ in range(steps):
        h = h.neighbor(direction)
    if not m.in_bounds(h) or m.city_at(h) is not None:
        return None
    nearest = min(c.hex.distance(h) for c in m.cities)
    return h if nearest == steps and all(
        c.population <= town.population for c in m.cities if c.hex.distance(h) == steps) else None


# The six hex directions (pointy-top, axial) and the compass point each reads as.
WAYS = {0: "east", 1: "north-east", 2: "north-west", 3: "west", 4: "south-west", 5: "south-east"}


def test_a_town_is_named_and_open_ground_is_told_by_the_way_from_the_nearest_town():
    m = hexmap()
    tested = set()
    for town in sorted(m.cities, key=lambda c: -c.population):
        for d, way in WAYS.items():
            if d in tested:
                continue
            h = _open_hex_from(m, town, d, 3)
            if h is None:
                continue
            ground = GROUND_NAMES[m.terrain_at(h)]
            km = f"{3 * m.hex_km:.0f} km"  # the map's scale, not a fixed figure
            assert place_name(m, h) == f"{ground} {km} {way} of {town.name}"
            tested.add(d)
    assert tested == set(WAYS)
    mosul = m.find_city("Mosul")
    assert place_name(m, mosul.hex) == "Mosul"
    assert place(m, mosul.hex, "to") == "to Mosul" and place(m, mosul.hex, "over") == "over Mosul"


def test_the_log_says_near_for_the_hex_beside_a_town_and_in_or_on_for_the_ground():
    m = hexmap()
    tikrit = m.find_city("Tikrit").hex
    beside = next(h for h in tikrit.neighbors() if m.city_at(h) is None
                  and m.nearest_town(h)[0].name == "Tikrit")
    assert place(m, beside, "to") == "near Tikrit"
    way = m.nearest_town(beside)[2]
    assert place_name(m, beside) == f"{GROUND_NAMES[m.terrain_at(beside)]} {m.hex_km:.0f} km {way} of Tikrit"
    east = tikrit + DIRECTIONS[0].scale(3)
    if m.city_at(east) is None and m.nearest_town(east)[0].name == "Tikrit":
        prep = "on" if m.terrain_at(east) in ("steppe", "sea", "lake") else "in"
        assert place(m, east) == f"{prep} {place_name(m, east)}"
        assert place(m, east, "to") == f"to {place_name(m, east)}"


def test_far_from_every_town_the_country_is_named_as_well():
    m = hexmap()
    far = next(h for h in m.all_hexes() if m.country_at(h) == "SAU"
               and min(c.hex.distance(h) for c in m.cities) > FAR_HEXES)
    town, dist, way = m.nearest_town(far)
    assert place_name(m, far) == (f"{GROUND_NAMES[m.terrain_at(far)]} of Saudi Arabia, "
                                  f"{dist * m.hex_km:.0f} km {way} of {town.name}")
    assert place_name(m, Hex(-500, 900)) == "a place off the map" and place(m, Hex(-500, 900)) == "off the map"


def test_every_hex_of_the_map_has_a_name_without_coordinates_quickly_and_always_the_same():
    m = hexmap()
    hexes = list(m.all_hexes())
    t = time.perf_counter()
    names = [place_name(m, h) for h in hexes]
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = [place_name(m, h) for h in hexes]
    second = time.perf_counter() - t
    assert names == again
    assert not [n for n in names if coordinates(n)]
    assert all(re.fullmatch(r"[^\d]*(\d+ km [^\d]*)?", n) for n in names)  # one figure at most: km
    # The engine names a hex for every move and fight: the way to the nearest town is kept.
    assert first < 10.0 and second < first / 2, (first, second)
    assert len(set(names)) > len(hexes) // 20  # not a handful of vague words


def test_a_map_with_changed_terrain_names_its_own_ground():
    m = hexmap()
    town = m.find_city("Raqqa")
    h = town.hex + DIRECTIONS[0].scale(3)
    before = place_name(m, h)
    flooded = m.with_terrain([{"hex": [h.q, h.r], "terrain": "marsh"}])
    assert place_name(flooded, h).startswith("the marshes ")
    assert place_name(m, h) == before
    assert place_name(flooded, h).split(" ", 2)[2] == before.split(" ", 2)[2]  # same way and town


# -- units, victory ---------------------------------------------------------------------------------

def test_a_unit_without_a_name_is_told_by_its_faction_type_and_number():
    game = mosul_game()
    st = game.state
    u = st.units["isis-1"]
    assert not u.name
    assert unit_name(u, st) == "Islamic State militia and insurgents no. 1"
    assert unit_name(u) == "Militia and insurgents no. 1"  # without the state: no faction
    u.id = "isis-mosul"
    assert unit_name(u, st) == "Islamic State militia and insurgents (Mosul)"
    u.name = "Wilayat Ninawa"
    assert unit_name(u, st) == "Wilayat Ninawa"


def test_a_victory_without_words_is_told_in_words():
    from game.victory import check_victory

    game = mosul_game()
    st = game.state
    st.city_owner["mosul"] = "isis"
    setup = {"victory": [{"kind": "take", "side": "jihadist", "cities": ["mosul"], "count": 1,
                          "text": ""}]}
    events = check_victory(st, setup)
    assert st.result == "Jihadists win: they took the towns they fought for"
    assert events[0].text == st.result and "take" not in st.result.split(": ")[1].split()


# -- scenario events -------------------------------------------------------------------------------

TITLED = '''
[[events]]
id = "iran-border"
title = "Iran opens its border to Iraq's supply columns"
trigger = { turn = 2 }
actions = [
  { do = "set_supply", faction = "iraq", supply_crossings = ["IRN"] },
]

[[events]]
id = "quiet-bookkeeping"
trigger = { turn = 2 }
actions = [
  { do = "set_category", faction = "iraq", category = "iraq" },
]

[[events]]
id = "volunteers-2"
trigger = { turn = 2 }
actions = [
  { do = "message", text = "Volunteers flock to Samarra." },
]
'''


def _titled_example(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text()
    anchor = "[[victory]]"
    path = tmp_path / "titled.toml"
    path.write_text(text.replace(anchor, TITLED.strip() + "\n\n" + anchor, 1))
    return path


def test_an_event_is_logged_by_its_title_or_by_its_news_never_by_its_id(tmp_path):
    path = _titled_example(tmp_path)
    sc = load_scenario(path, hexmap())
    assert next(e for e in sc.setup["events"] if e["id"] == "iran-border")["title"] \
        == "Iran opens its border to Iraq's supply columns"
    s = Session.new(str(path), {"jihadist": Seat("human"), "baathist": Seat("human")}, seed=2)
    assert s.execute(EndTurn("jihadist")).ok
    res = s.execute(EndTurn("baathist"))  # turn 2 begins: the three events fire
    assert res.ok
    fired = {e.data["event"]: e for e in res.events if e.kind == "event"}
    assert set(fired) == {"iran-border", "quiet-bookkeeping", "volunteers-2"}  # code finds them by id
    assert fired["iran-border"].text == "Iran opens its border to Iraq's supply columns"
    assert fired["quiet-bookkeeping"].text == "" and fired["volunteers-2"].text == ""
    assert any(e.kind == "message" and e.text == "Volunteers flock to Samarra." for e in res.events)
    for side in ("jihadist", "baathist"):  # a title is news for every side, as a message is
        texts = [e.text for e in s.logs[side]]
        assert texts.count("Iran opens its border to Iraq's supply columns") == 1
        assert "Volunteers flock to Samarra." in texts
        assert all(texts) and not any("Event:" in t or "bookkeeping" in t for t in texts)
    summary = s.take_summary("jihadist")  # the jihadist did not end the turn: it reads of it
    assert any(line.endswith("Iran opens its border to Iraq's supply columns") for line in summary)
    assert not any("iran-border" in line or "Event:" in line for line in summary)


def test_older_saves_lose_their_event_id_lines(tmp_path):
    s = Session.new(str(EXAMPLE), {"jihadist": Seat("human"), "baathist": Seat("human")}, seed=2)
    s.logs["jihadist"].append(SeenEvent(0, 1, "event", "Event: mosul-falls", "baathist"))
    s.inbox["jihadist"].append(SeenEvent(0, 1, "event", "Event: mosul-falls", "baathist"))
    s.logs["jihadist"].append(SeenEvent(0, 1, "message", "Mosul has fallen.", "baathist"))
    path = s.save(tmp_path / "old.save")
    loaded = Session.load(path)
    assert [e.text for e in loaded.logs["jihadist"]][-1] == "Mosul has fallen."
    assert not any("Event:" in e.text for e in loaded.logs["jihadist"] + loaded.inbox["jihadist"])


@pytest.mark.parametrize("title, fragment", [
    ('""', "a title is one line of text"),
    ('"' + "x" * 101 + '"', "at most 100 characters"),
    ('"""two\nlines"""', "a title is one line of text"),
    ("3", "expected text"),
])
def test_a_bad_title_is_refused_with_a_reason(tmp_path, title, fragment):
    path = tmp_path / "bad.toml"
    text = EXAMPLE.read_text()
    path.write_text(text.replace('id = "mosul-falls"', f'id = "mosul-falls"\ntitle = {title}', 1))
    problems = check_file(path, hexmap())
    assert any("title" in p and fragment in p for p in problems), problems


# -- whole games -------------------------------------------------------------------------------------

def _authored_words(setup: dict, sc) -> str:
    """Everything the scenario's author wrote for players, in which an id may be a plain word."""
    out = [sc.title, sc.description or ""]
    for e in setup.get("events", []):
        out.append(e.get("title", ""))
        for a in e["actions"]:
            out += [str(a.get(k, "")) for k in ("text", "message", "name")]
            out += [str(a.get("leaders", ""))]
    out += [str(v.get("text", "")) for v in setup.get("victory", [])]
    out += [u.get("name", "") for u in setup.get("units", [])]
    out += [z.get("name", "") for z in setup.get("zones", [])]
    return "\n".join(out)


def _words(name: str) -> set[str]:
    return set(re.findall(r"[\w']+", name.lower()))


def _forbidden_ids(sc, state, unit_ids: set[str], names: dict[str, set[str]]) -> set[str]:
    """The ids no player may read: all the scenario's, but those that are a word of their own
    name ("iraq" of Iraq) or a word the author used in the scenario's prose ("caliphate")."""
    setup = sc.setup
    prose = _authored_words(setup, sc)
    ids = {e["id"] for e in setup.get("events", [])} | set(unit_ids)
    ids |= {f["id"] for f in setup["factions"]} | {s["id"] for s in setup["sides"]}
    ids |= set(state.factions) | set(state.sides)
    return {i for i in ids if i.lower() not in names.get(i, set())
            and not re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", prose)}


def _play(path: Path, turns: int):
    """Play a scenario AI against AI for ``turns`` turns, every side watched as a person would
    be; everything a player could read: [(where, text)], and the ids and names met."""
    s = Session.new(str(path), None, seed=3)
    sides = list(s.state.sides)
    s.seats = {side: Seat("human", "easy") for side in sides}  # logs and summaries for all
    s.watchers = set(sides)
    read = [("opening news", t) for t in s.opening]
    unit_ids = set(s.state.units)
    names: dict[str, set[str]] = {}

    def note_names(state):
        for u in state.units.values():
            unit_ids.add(u.id)
            names.setdefault(u.id, set()).update(_words(u.name))
        for f in state.factions.values():
            names.setdefault(f.id, set()).update(_words(f.name))
        for side, name in state.side_names.items():
            names.setdefault(side, set()).update(_words(name))

    note_names(s.state)
    execute = s.game.execute

    def watched(cmd, undoable=True):
        res = execute(cmd, undoable)
        read.extend((f"refusal of {cmd.kind}", p) for p in res.problems)
        read.extend((f"{e.kind} event", e.text) for e in res.events)
        note_names(s.game.state)
        return res

    s.game.execute = watched
    while not s.state.over and s.state.turn <= turns:
        s.play_ai_side()
    for side in sides:
        read += [(f"{side}'s log", e.text) for e in s.logs[side]]
        read += [(f"{side}'s summary", line) for line in s.take_summary(side)]
    read.append(("result", s.state.result))
    return s, read, unit_ids, names


# Every side plays its first turn in the big scenarios (the next turn's start with it: supply,
# panic, the date's events); the small ones longer: about 20 s in all on an idle 2-core machine.
TURNS = {"fall-of-mosul": 5, "campaign": 2}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_what_players_read_of_a_game_names_places_units_and_events(path):
    s, read, unit_ids, names = _play(path, TURNS.get(path.stem, 1))
    sc = s.scenario
    assert len(read) > 20 and any(kind.endswith("moved event") for kind, _ in read)
    forbidden = _forbidden_ids(sc, s.state, unit_ids, names)
    assert any("-" in i for i in forbidden)  # unit and event ids are there to be looked for
    id_pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(forbidden, key=len,
                                                                              reverse=True))) + r")(?![\w-])")
    bad = []
    for where, text in read:
        if coordinates(text) or "Event:" in text or id_pattern.search(text):
            bad.append(f"{where}: {text}")
        if where.endswith("'s log") and not text.strip():
            bad.append(f"{where}: an empty line")
    assert not bad, "\n".join(bad[:20])


def test_refusals_name_places_and_units_not_coordinates_or_ids():
    """The reasons a player reads when the window refuses an order, in the small example,
    whose units mostly have no names."""
    from game.air import AirMission, LiftNoFlyZone, NavalStrike
    from game.combat import Attack

    s = Session.new(str(EXAMPLE), {"jihadist": Seat("human"), "baathist": Seat("human")}, seed=1)
    g, st = s.game, s.state
    mine = [u for u in st.units.values() if st.side_of(u.faction) == "jihadist"]
    theirs = [u for u in st.units.values() if st.side_of(u.faction) == "baathist"]
    unnamed = next(u for u in mine if not u.name)
    far = unnamed.hex + DIRECTIONS[0].scale(4)
    enemy = theirs[0]
    orders = [
        Move("jihadist", unnamed.id, [unnamed.hex, unnamed.hex + DIRECTIONS[0].scale(2)]),
        Move("jihadist", unnamed.id, [far, far + DIRECTIONS[0]]),
        Move("jihadist", unnamed.id, [unnamed.hex, Hex(-900, 3)]),
        Move("jihadist", enemy.id, [enemy.hex, enemy.hex + DIRECTIONS[0]]),
        Attack("jihadist", [unnamed.id, unnamed.id], far),
        Attack("jihadist", [unnamed.id], enemy.hex),
        Attack("jihadist", [unnamed.id], Hex(-900, 3)),
        Entrench("jihadist", enemy.id),
        AirMission("jihadist", unnamed.id, "strike", enemy.hex),
        AirMission("jihadist", unnamed.id, "strike", Hex(-900, 3)),
        NavalStrike("jihadist", unnamed.id, enemy.hex),
        LiftNoFlyZone("jihadist", "north"),
        EndTurn("baathist"),
    ]
    problems = []
    for cmd in orders:
        res = s.execute(cmd)
        assert not res.ok, cmd
        problems += res.problems
    ids = {u.id for u in st.units.values() if not u.name} | {"isis", "iraq-2div"}
    assert len(problems) >= len(orders)
    for p in problems:
        assert not coordinates(p), p
        assert not any(re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", p) for i in ids), p
    joined = "\n".join(problems)
    assert unit_name(unnamed, st) in joined and "off the map" in joined
    assert " km " in joined or "near " in joined  # a place told by the way from a town
