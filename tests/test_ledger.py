"""The casualty ledger: the source's figures, the ledger of a game, its tables, and saves."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from game.commands import EndTurn, Game
from game.hexgrid import Hex
from game.ledger import (AIRCRAFT, HISTORY_FILE, SHIPS, Figures, HistoryError, Ledger,
                         check_category, format_ledger, historical_figures, ledger_json,
                         ledger_table, load_history, read_figures, source, war_share, whole_war)
from game.rules import default_rules
from game.saves import load_game, save_game
from games import hexmap, mosul_game, mosul_setup

RULES = default_rules()
FAR_DESERT = Hex(30, 75)  # the empty south-western desert of Iraq: no supply reaches it

CATEGORIES = [  # the source's order, its figures
    ("coalition", "Coalition forces", 9_775),
    ("syrian_opposition", "Syrian opposition forces", 17_000),
    ("new_government", "Syrian security forces (new government)", 68_000),
    ("kurds", "Kurdish forces", 7_000),
    ("assad_forces", "Syrian security forces (Assad, to Sep 2015)", 34_000),
    ("pro_assad", "Pro-Assad forces", 48_000),
    ("iran", "Iranian forces", 6_500),
    ("iraq", "Iraqi forces", 5_800),
    ("hezbollah", "Hezbollah", 3_000),
    ("isis", "ISIS", 7_900),
    ("al_qaeda", "al-Qaeda", 2_400),
    ("civilians", "Civilians", 260_000),
]
NATIONS = [("US", "United States", 5_813), ("UK", "United Kingdom", 1_257),
           ("TR", "Turkey", 843), ("FR", "France", 596), ("CA", "Canada", 502),
           ("AU", "Australia", 394), ("SA", "Saudi Arabia", 218), ("other", "Others", 152)]

# The Mosul test game's factions with the source's categories, named the ways a scenario may.
MOSUL_CATEGORIES = {"isis": "isis", "iraq": "Iraqi forces", "kurds": "KURDISH FORCES",
                    "us": "coalition", "assad": "Syrian security forces (Assad, to Sep 2015)"}


def categorised_setup(cut_off=()) -> dict:
    setup = mosul_setup()
    for f in setup["factions"]:
        f["category"] = MOSUL_CATEGORIES[f["id"]]
    setup["units"] += list(cut_off)
    return setup


def personnel(state) -> int:
    return sum(u.personnel for u in state.units.values())


def end_turns(game, n: int) -> None:
    for _ in range(n):
        res = game.execute(EndTurn(side=game.state.active_side))
        assert res.ok, res.reason


# -- the source's figures ------------------------------------------------------------------------

def test_source_figures_load_with_the_exact_numbers():
    src = source()
    assert [(c.id, c.label, c.losses) for c in src.categories] == CATEGORIES
    assert [(n.id, n.label, n.losses) for n in src.nations] == NATIONS
    assert (src.start, src.end) == (dt.date(2014, 6, 16), dt.date(2021, 8, 27))
    assert sum(n.losses for n in src.nations) == src.category("coalition").losses == 9_775
    assert src.military_total == 209_375  # the article's infobox: "about 209,000"
    assert round(src.military_total, -3) == 209_000
    assert [c.id for c in src.categories if not c.military] == ["civilians"]
    assert [c.id for c in src.categories if not c.approximate] == ["coalition"]  # no "~"
    war = whole_war()
    assert dict(war.categories) == {cid: n for cid, _, n in CATEGORIES}
    assert dict(war.nations) == {nid: n for nid, _, n in NATIONS}


def test_category_and_nation_names_resolve():
    src = source()
    for cid, label, _ in CATEGORIES:
        assert src.category_id(cid) == cid
        assert src.category_id(label) == cid
        assert src.category_id(f"  {label.upper()} ") == cid
    assert src.category_id("Syrian security forces (2015-2021)") == "new_government"
    assert src.category_id("Coalition") == "coalition"
    assert src.category_id("Islamic State") == "isis"
    assert src.category_id("Syrian security forces") is None  # ambiguous in the article
    assert src.category_id("") is None and src.category_id("Martians") is None
    assert [src.nation_id(n) for n in ("US", "uk", "Turkey", "tu", "TUR", "FR", "CA", "AUS",
                                       "SA", "KSA")] == \
        ["US", "UK", "TR", "TR", "TR", "FR", "CA", "AU", "SA", "SA"]
    assert src.nation_id("DK") == src.nation_id("") == src.nation_id(None) == "other"


def test_shipped_equipment_names_are_the_rules():
    assert set(AIRCRAFT.values()) == set(RULES.unit_type("air_wing").equipment)
    assert set(SHIPS) == set(RULES.unit_type("naval_group").equipment)


@pytest.fixture
def history_copy(tmp_path: Path) -> Path:
    path = tmp_path / "history.toml"
    shutil.copy(HISTORY_FILE, path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("old, new, expected", [
    ("losses = 7000 ", 'losses = "7,000" ',
     "history.toml: [categories.kurds.losses]: expected a whole number, got '7,000'"),
    ("losses = 5813", "losses = 5812",
     "history.toml: [nations]: the nations add up to 9,774, the coalition's figure is 9,775"),
    ('id = "hezbollah"\n', 'id = "hezbollah"\nstrength = 25000\n',
     "history.toml: [categories.hezbollah.strength]: unknown field"),
    ('id = "al_qaeda"', 'id = "isis"', "history.toml: [categories.isis]: the id 'isis' is used twice"),
    ('aliases = ["Iraqi security forces"]', 'aliases = ["Iraqi security forces", "ISIS"]',
     "history.toml: [categories.isis]: the name 'isis' already names 'iraq'"),
    ('id = "civilians"', 'id = "civilian_deaths"',
     "history.toml: [categories]: no category with id 'civilians'"),
    ("label = \"Hezbollah\"\n", "", "history.toml: [categories.hezbollah.label]: missing"),
    ("losses = 3000 ", "losses = -3000 ",
     "history.toml: [categories.hezbollah.losses]: must be at least 0"),
    ("end = 2021-08-27", "end = 2013-08-27", "history.toml: [war.end]: 2013-08-27 is not after"),
    ('military = true\nnote = "Iraqi', 'military = false\nnote = "Iraqi',
     "history.toml: [categories.kurds.military]: only 'civilians' may be non-military"),
    ('id = "kurds"', 'id = "kurdish forces"', "history.toml: [categories[3].id]: 'kurdish forces' "
     "is not a name"),
    ("\n[war]\n", "\n[wars]\n", "history.toml: [wars]: unknown table"),
    ("losses = 260000 ", "losses = 260,000 ", "history.toml: "),  # not TOML at all
])
def test_a_broken_history_file_is_reported_by_file_field_and_problem(history_copy, old, new,
                                                                     expected):
    edit(history_copy, old, new)
    with pytest.raises(HistoryError) as exc:
        load_history(history_copy)
    assert any(p.startswith(expected) for p in exc.value.problems), exc.value.problems


def test_a_missing_history_file_is_reported(tmp_path):
    with pytest.raises(HistoryError) as exc:
        load_history(tmp_path / "history.toml")
    assert exc.value.problems == ["history.toml: file not found"]


def test_the_shipped_file_as_copied_loads(history_copy):
    assert load_history(history_copy) == source()


# -- the ledger of a game ------------------------------------------------------------------------

def test_ledger_totals_equal_the_personnel_the_units_lost():
    """Losses made through the attrition of cut-off units (one melts away) and through the
    state's record_loss with the units' personnel cut to match: the ledger's total is the drop
    in the units' personnel, counting the people of the unit that melted away."""
    cut_off = [
        {"id": "iraq-8", "type": "infantry", "faction": "iraq", "hex": [FAR_DESERT.q, FAR_DESERT.r],
         "personnel": 1000},
        {"id": "iraq-9", "type": "infantry", "faction": "iraq", "hex": [FAR_DESERT.q, FAR_DESERT.r],
         "personnel": 305},  # 3% attrition takes it below 300: it melts away
    ]
    game = Game(categorised_setup(cut_off), hexmap(), RULES, 1)
    state = game.state
    start = personnel(state)
    # Losses a combat would make: people off the units and into the ledger, by cause.
    for uid, cause, people in (("isis-2", "combat", 120), ("us-1", "combat", 7),
                               ("kurds-1", "air", 40), ("assad-1", "captured", 300)):
        unit = state.units[uid]
        unit.personnel -= people
        state.record_loss(unit.faction, cause, people)
    end_turns(game, 3 * len(state.sides))  # three turns: Iraq's units starve from the third
    state = game.state
    assert "iraq-9" not in state.units and "iraq-8" in state.units
    led = Ledger.from_state(state)
    assert led.military_total == start - personnel(state) > 0
    assert led.total == led.military_killed  # no civilians yet
    iraq = led.factions["iraq"]
    assert iraq.by_cause["dissolved"] > 0 and iraq.by_cause["attrition"] > 0
    assert iraq.total == sum(state.losses["iraq"].values())
    assert led.by_cause["attrition"] == sum(b.get("attrition", 0) for b in state.losses.values())
    # Every loss is under its faction's category; nothing is left in "other".
    assert led.other == {}
    assert led.category_total("iraq") == iraq.total
    assert state.losses["isis"]["combat"] == 120
    assert led.category_total("isis") == led.factions["isis"].total >= 120
    assert led.category_total("kurds") == 40
    # Prisoners are lost to their army but alive: beside the dead, not among them.
    assert led.category_total("assad_forces") == 0 and led.category_missing("assad_forces") == 300
    assert led.category_total("coalition") == led.nation_total("US") == 7
    assert sum(led.category_total(c.id) + led.category_missing(c.id) for c in source().military) \
        == led.military_total
    assert led.military_killed + led.military_missing == led.military_total
    assert led.military_missing == 300
    table = ledger_table(state)
    assert table.military.game + table.military.missing == start - personnel(state)
    assert sum(r.game for r in table.categories) + sum(r.game for r in table.other) == \
        table.military.game
    assert sum(r.missing for r in table.categories) == table.military.missing == 300
    assert "taken, fled" in format_ledger(table)


def test_a_faction_without_a_category_is_listed_under_its_own_name():
    game = mosul_game()  # the test game sets no categories
    state = game.state
    state.factions["iraq"].category = "Iraqi forces"
    state.factions["assad"].category = "Martians"  # not the source's
    for fid, people in (("isis", 500), ("iraq", 200), ("us", 9), ("assad", 30)):
        state.record_loss(fid, "combat", people)
    state.record_loss("ghosts", "combat", 4)  # a faction the game no longer has
    led = Ledger.from_state(state)
    assert led.other == {"assad": 30, "ghosts": 4, "isis": 500, "us": 9}
    assert led.other_labels["isis"] == "Islamic State"
    assert led.other_labels["us"] == "United States"  # a nation is not a category
    assert "Martians" in led.other_labels["assad"]
    assert led.category_total("iraq") == 200
    assert led.category_total("isis") == 0
    assert led.nation_total("US") == 0
    assert led.military_total == 743
    table = ledger_table(state)
    assert [(r.id, r.game, r.source) for r in table.other] == \
        [("assad", 30, None), ("ghosts", 4, None), ("isis", 500, None), ("us", 9, None)]
    text = format_ledger(table)
    assert "Islamic State" in text and "Other (no source category)" in text
    assert table.military.game == 743
    # Every faction of the game is in the ledger, with or without losses.
    assert set(state.factions) <= set(led.factions)
    assert led.factions["kurds"].total == 0


def test_coalition_nations_map_right():
    setup = mosul_setup()
    setup["factions"] += [
        {"id": "uk", "name": "United Kingdom", "side": "coalition", "nation": "UK",
         "category": "coalition"},
        {"id": "tr", "name": "Turkey", "side": "coalition", "nation": "TUR",
         "category": "Coalition forces"},
        {"id": "dk", "name": "Denmark", "side": "coalition", "nation": "DK",
         "category": "coalition"},
        {"id": "nato", "name": "NATO staff", "side": "coalition", "category": "coalition"},
        {"id": "fr", "name": "France", "side": "coalition", "nation": "FR"},  # no category
    ]
    state = Game(setup, hexmap(), RULES, 1).state
    state.factions["us"].category = "coalition"
    for fid, people in (("us", 50), ("uk", 20), ("tr", 8), ("dk", 3), ("nato", 1), ("fr", 6)):
        state.record_loss(fid, "combat", people)
    state.record_loss("us", "air", 2)
    led = Ledger.from_state(state)
    assert {n: led.nation_total(n) for n, _, _ in NATIONS} == \
        {"US": 52, "UK": 20, "TR": 8, "FR": 0, "CA": 0, "AU": 0, "SA": 0, "other": 4}
    assert led.by_nation["other"] == {"dk": 3, "nato": 1}
    assert led.category_total("coalition") == 84 == sum(map(led.nation_total, led.by_nation))
    assert led.factions["tr"].nation == "TR" and led.factions["fr"].nation is None
    assert led.other == {"fr": 6}
    table = ledger_table(state)
    assert [r.label for r in table.nations] == [label for _, label, _ in NATIONS]
    us = table.nations[0]
    assert (us.game, us.source) == (52, 5_813)
    assert us.share == pytest.approx(52 / 5_813)


def test_civilians_and_equipment_appear():
    state = mosul_game().state
    state.factions["us"].category = "coalition"
    state.record_civilians("air", 120)
    state.record_civilians("combat", 30)
    state.record_equipment_loss("us", "combat aircraft", 3)
    state.record_equipment_loss("us", "other aircraft", 1)
    state.record_equipment_loss("iraq", "combat aircraft", 2)
    state.record_equipment_loss("iraq", "tanks", 12)
    state.record_equipment_loss("us", "warships", 1)
    state.record_loss("us", "air", 2)
    led = Ledger.from_state(state)
    assert led.civilians_total == 150 and led.civilians_by_cause == {"air": 120, "combat": 30}
    assert led.total == led.military_total + 150 == 152
    assert led.aircraft_lost == {"combat": 5, "other": 1}
    assert led.ships_lost == 1
    assert led.factions["us"].aircraft == {"combat": 3, "other": 1}
    assert led.factions["iraq"].aircraft == {"combat": 2, "other": 0}
    assert led.equipment == {"combat aircraft": 5, "other aircraft": 1, "tanks": 12,
                             "warships": 1}
    table = ledger_table(state)
    assert (table.civilians.game, table.civilians.source) == (150, 260_000)
    assert (table.total.game, table.total.source) == (152, 209_375 + 260_000)
    text = format_ledger(table)
    assert "Aircraft lost: 5 combat, 1 other; ships lost: 1" in text
    assert "tanks 12" in text and "Civilians killed by cause: air 120, combat 30" in text
    data = ledger_json(table)
    assert data["civilians"]["game"] == 150 and data["civilians"]["by_cause"] == {"air": 120,
                                                                                 "combat": 30}
    assert data["aircraft_lost"] == {"combat": 5, "other": 1, "total": 6,
                                     "by_faction": {"iraq": {"combat": 2, "other": 0},
                                                    "us": {"combat": 3, "other": 1}}}
    assert data["ships_lost"] == {"total": 1, "by_faction": {"us": 1}}
    assert data["equipment_lost"]["tanks"] == 12


# -- category changes ----------------------------------------------------------------------------

def test_losses_stay_under_the_category_in_force_when_they_happened():
    state = Game(categorised_setup(), hexmap(), RULES, 1).state
    state.record_loss("assad", "combat", 1000)
    assert Ledger.from_state(state).category_total("assad_forces") == 1000
    state.factions["assad"].category = "pro_assad"  # Assad falls
    state.record_loss("assad", "combat", 200)
    led = Ledger.from_state(state)
    assert led.category_total("assad_forces") == 1000
    assert led.category_total("pro_assad") == 200


def test_without_a_tally_a_faction_counts_under_its_current_category():
    state = Game(categorised_setup(), hexmap(), RULES, 1).state
    state.record_loss("assad", "combat", 1000)
    state.category_losses = {}  # a state that kept no tally
    state.factions["assad"].category = "pro_assad"
    led = Ledger.from_state(state)
    assert led.category_total("assad_forces") == 0
    assert led.category_total("pro_assad") == 1000


def test_a_category_tally_keeps_losses_under_the_category_in_force():
    """The running tally the state may keep (faction -> category as set -> people): what it
    covers stays where it was lost; the rest goes to the current category."""
    state = Game(categorised_setup(), hexmap(), RULES, 1).state
    state.record_loss("assad", "combat", 1000)
    state.record_loss("assad", "attrition", 200)
    state.factions["assad"].category = "Pro-Assad forces"
    state.record_loss("assad", "combat", 300)
    state.category_losses = {  # as GameState.record_loss would keep it
        "assad": {"Syrian security forces (Assad, to Sep 2015)": 1200, "Pro-Assad forces": 300},
    }
    led = Ledger.from_state(state)
    assert led.category_total("assad_forces") == 1200
    assert led.category_total("pro_assad") == 300
    assert ledger_json(ledger_table(state))["factions"]["assad"]["by_category"] == \
        {"assad_forces": 1200, "pro_assad": 300}
    # A tally that covers only part (a game saved before it was kept): the rest is current.
    state.category_losses = {"assad": {"assad_forces": 1000}}
    led = Ledger.from_state(state)
    assert (led.category_total("assad_forces"), led.category_total("pro_assad")) == (1000, 500)
    # A part under no category goes to "other"; one that claims too much is not trusted.
    state.category_losses = {"assad": {"": 100}}
    led = Ledger.from_state(state)
    assert led.other == {"assad": 100} and led.category_total("pro_assad") == 1400
    state.category_losses = {"assad": {"assad_forces": 5000}}
    led = Ledger.from_state(state)
    assert led.category_total("pro_assad") == 1500 and led.category_total("assad_forces") == 0


# -- tables --------------------------------------------------------------------------------------

def test_the_table_follows_the_source_and_the_text_lists_every_category():
    state = Game(categorised_setup(), hexmap(), RULES, 1).state
    state.record_loss("isis", "combat", 790)
    state.record_loss("us", "air", 5)
    table = ledger_table(state)
    assert [r.id for r in table.categories] == [cid for cid, _, _ in CATEGORIES[:-1]]
    isis = next(r for r in table.categories if r.id == "isis")
    assert (isis.game, isis.source, isis.share) == (790, 7_900, pytest.approx(0.1))
    assert table.military.source == 209_375 and table.military.game == 795
    assert table.total.source == 469_375
    text = format_ledger(table)
    for _, label, _ in CATEGORIES + NATIONS:
        assert label in text
    for words in ("Military total", "All killed", "Coalition forces by nation", "~7,900",
                  "10.0%", "9,775", "~209,375", "Aircraft lost"):
        assert words in text
    lines = text.splitlines()
    rows = [next(i for i, line in enumerate(lines) if line.startswith(label))
            for _, label, _ in CATEGORIES[:-1]]
    assert rows == sorted(rows)  # the source's order
    assert len({len(line) for line in lines if line.startswith(("Coalition forces   ", "ISIS   "))}) == 1


def test_json_round_trip():
    game = Game(categorised_setup(), hexmap(), RULES, 1)
    state = game.state
    state.record_loss("iraq", "combat", 580)
    state.record_loss("us", "air", 3)
    state.record_civilians("air", 26)
    state.record_equipment_loss("us", "combat aircraft", 1)
    data = ledger_json(ledger_table(state))
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert [r["id"] for r in data["categories"]] == [cid for cid, _, _ in CATEGORIES[:-1]]
    assert [r["id"] for r in data["nations"]] == [nid for nid, _, _ in NATIONS]
    iraq = next(r for r in data["categories"] if r["id"] == "iraq")
    assert iraq == {"id": "iraq", "label": "Iraqi forces", "game": 580, "source": 5_800,
                    "expected": 5_800.0, "share": 0.1, "approximate": True,
                    "prisoners_and_deserters": 0}
    assert data["nations"][0]["game"] == 3
    assert data["military"]["game"] == 583 and data["total"]["game"] == 609
    assert data["civilians"]["source"] == 260_000
    assert data["factions"]["iraq"] == {"name": "Iraq", "side": "baathist", "category": "iraq",
                                        "nation": None, "total": 580, "killed": 580,
                                        "prisoners_and_deserters": 0, "invalided": 0,
                                        "by_cause": {"combat": 580},
                                        "manpower": data["factions"]["iraq"]["manpower"],
                                        "now": data["factions"]["iraq"]["now"],
                                        "by_category": {"iraq": 580}, "equipment": {}}
    assert data["factions"]["us"]["nation"] == "US"
    assert data["aircraft_lost"]["combat"] == 1
    assert data["historical"]["scale"] == 1.0


def test_a_scenario_compares_against_its_own_phase():
    state = Game(categorised_setup(), hexmap(), RULES, 1).state
    state.record_loss("isis", "combat", 300)
    state.record_loss("us", "combat", 10)
    phase = {"title": "Phase 1: intervention", "ISIS": 600, "Iraqi forces": 1_000,
             "civilians": 5_000, "nations": {"US": 20}}
    table = ledger_table(state, phase)
    assert table.historical == "Phase 1: intervention"
    rows = {r.id: r for r in table.categories}
    assert rows["isis"].share == pytest.approx(0.5)
    assert rows["coalition"].source == 20  # the nations' sum when the coalition is not given
    assert rows["kurds"].source is None and rows["kurds"].share is None
    assert table.military.source == 1_620 and table.total.source == 6_620
    assert table.nations[0].source == 20 and table.nations[1].source is None
    text = format_ledger(table)
    assert "against: Phase 1: intervention" in text
    # scaled: the figures times the scale
    half = ledger_table(state, Figures("half", {"isis": 600}), scale=0.5)
    assert next(r for r in half.categories if r.id == "isis").share == pytest.approx(1.0)
    assert "x0.5" in format_ledger(half)
    assert ledger_json(half)["historical"] == {"title": "half", "scale": 0.5}
    whole = ledger_table(state, scale=war_share(dt.date(2014, 6, 16), dt.date(2021, 8, 27)))
    assert whole.scale == pytest.approx(1.0)
    for bad in (0, -1, "half", True):
        with pytest.raises(HistoryError):
            ledger_table(state, scale=bad)


def test_a_scenario_without_figures_is_set_against_its_share_of_the_war():
    from game.ledger import phase_table

    state = Game(categorised_setup(), hexmap(), RULES, 1).state
    state.record_loss("isis", "combat", 300)
    month = {"start_date": "2015-05-01", "end_date": "2015-05-31"}
    table = phase_table(state, month)
    assert table.scale == pytest.approx(war_share(dt.date(2015, 5, 1), dt.date(2015, 5, 31)))
    isis = next(r for r in table.categories if r.id == "isis")
    assert isis.expected == pytest.approx(isis.source * table.scale) and isis.expected < 200
    own = phase_table(state, dict(month, history={"casualties": {"ISIS": 600}}))
    assert own.scale == 1.0 and next(r for r in own.categories if r.id == "isis").source == 600


def test_historical_figures_are_checked():
    figures, problems = read_figures({"isis": 10, "Coalition forces": 5, "nations": {"UK": 3}})
    assert problems == [] and dict(figures.categories) == {"coalition": 5, "isis": 10}
    assert dict(figures.nations) == {"UK": 3}
    _, problems = read_figures({"isis": 10, "Islamic State": 5, "martians": 3, "iraq": -1,
                                "kurds": 2.5, "nations": {"US": 9, "Narnia": 1}, "title": 4},
                               where="phases.p1.historical")
    assert problems == [
        "[phases.p1.historical.title]: expected a string, got 4",
        "[phases.p1.historical.Islamic State]: 'isis' is given twice",
        "[phases.p1.historical.martians]: unknown category; expected one of coalition, "
        "syrian_opposition, new_government, kurds, assad_forces, pro_assad, iran, iraq, "
        "hezbollah, isis, al_qaeda, civilians",
        "[phases.p1.historical.iraq]: expected a whole number of people, got -1",
        "[phases.p1.historical.kurds]: expected a whole number of people, got 2.5",
        "[phases.p1.historical.nations.Narnia]: unknown nation; expected one of US, UK, TR, "
        "FR, CA, AU, SA, other",
    ]
    _, problems = read_figures({"coalition": 5, "nations": {"US": 9}})
    assert problems == ["[historical_casualties.nations]: the nations add up to 9, more than "
                        "the coalition's 5"]
    with pytest.raises(HistoryError):
        historical_figures({"martians": 1})
    with pytest.raises(HistoryError):
        ledger_table(mosul_game().state, {"martians": 1})


def test_war_share():
    assert war_share(dt.date(2014, 6, 16), dt.date(2021, 8, 27)) == 1.0
    assert war_share(dt.date(2010, 1, 1), dt.date(2030, 1, 1)) == 1.0
    assert war_share(dt.date(2000, 1, 1), dt.date(2001, 1, 1)) == 0.0
    year = war_share(dt.date(2015, 1, 1), dt.date(2016, 1, 1))
    assert year == pytest.approx(365 / (dt.date(2021, 8, 27) - dt.date(2014, 6, 16)).days)


def test_check_category():
    assert check_category("") == []
    assert check_category("Pro-Assad forces") == []
    assert check_category("pro_assad", "factions.assad.category") == []
    assert check_category("civilians")[0].endswith("is for civilians, not a faction's losses")
    problem, = check_category("Assad", "factions.assad.category")
    assert problem.startswith("[factions.assad.category]: 'Assad' is not one of the source's")


# -- saves ---------------------------------------------------------------------------------------

def test_the_ledger_survives_save_and_load(tmp_path):
    cut_off = [{"id": "iraq-9", "type": "infantry", "faction": "iraq",
                "hex": [FAR_DESERT.q, FAR_DESERT.r], "personnel": 2000}]
    game = Game(categorised_setup(cut_off), hexmap(), RULES, 5)
    end_turns(game, 4 * len(game.state.sides))
    # what other rules (combat, air) will record
    game.state.record_civilians("air", 12)
    game.state.record_equipment_loss("us", "combat aircraft", 1)
    pilots = next(u for u in game.state.units.values() if u.faction == "us")
    pilots.personnel -= 2  # the crew of the aircraft lost: out of a unit, into the books
    game.state.record_loss("us", "air", 2)
    before = ledger_json(ledger_table(game.state))
    assert before["factions"]["iraq"]["by_cause"]["attrition"] > 0
    path = save_game(game, tmp_path / "ledger.save")
    loaded = load_game(path, hexmap(), RULES)
    assert loaded.checksum() == game.checksum()
    after = ledger_json(ledger_table(loaded.state))
    assert after == before
    assert format_ledger(ledger_table(loaded.state)) == format_ledger(ledger_table(game.state))
