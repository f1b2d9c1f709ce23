"""The source's dated events beside the game's: the format, the timeline, the judging, the words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from game.commands import EndTurn, Move
from game.hexgrid import Hex
from game.history import event_line, historical, judge, timing
from game.rules import default_rules
from game.saves import load_game, save_game
from game.scenario import check_file, load_scenario
from game.simulate import simulate_one, summarise
from game.state import GameState

from games import hexmap, mosul_game, mosul_setup
from test_commands import path_for

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios/examples/fall-of-mosul.toml"
TEXT = EXAMPLE.read_text()

# Mosul falls to the jihadists within June (the example plays 4 June - 2 July 2014), Tikrit after.
EVENTS = '''
[[history.events]]
id = "mosul"
what = "Mosul falls to the Islamic State"
date = 2014-06-10
taken = "Mosul"
by = "jihadist"
window = [2014-06-04, 2014-06-30]

[[history.events]]
what = "The news of Mosul"
date = 2014-06-10
event = "mosul-falls"
after = "mosul"
defining = false
'''


def with_events(tmp_path: Path, events: str) -> Path:
    path = tmp_path / "history.toml"
    path.write_text(TEXT + events)
    return path


# -- the format ------------------------------------------------------------------------------

def test_history_events_reach_the_setup_resolved(tmp_path):
    sc = load_scenario(with_events(tmp_path, EVENTS), hexmap())
    first, second = sc.setup["history"]["events"]
    assert first == {"id": "mosul", "what": "Mosul falls to the Islamic State", "date": "2014-06-10",
                     "taken": "mosul", "by": "jihadist", "window": ["2014-06-04", "2014-06-30"],
                     "after": None, "defining": True}
    # No window: the whole game counts as on time.
    assert second["event"] == "mosul-falls" and second["window"] == ["2014-06-04", "2014-07-02"]
    assert second["after"] == "mosul" and second["defining"] is False


BROKEN = [
    # (what, the event's lines, the start of the expected problem after "FILE:LINE: ")
    ("unknown town", 'what = "x"\ndate = 2014-06-10\ntaken = "Mosull"\nby = "isis"',
     "[history.events[0].taken] unknown town 'Mosull' (did you mean Mosul?)"),
    ("unknown faction or side", 'what = "x"\ndate = 2014-06-10\ntaken = "Mosul"\nby = "daesh"',
     "[history.events[0].by] unknown faction or side 'daesh'"),
    ("taken without by", 'what = "x"\ndate = 2014-06-10\ntaken = "Mosul"',
     "[history.events[0].by] missing"),
    ("unknown scenario event", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-fals"',
     "[history.events[0].event] unknown event 'mosul-fals' (did you mean 'mosul-falls'?)"),
    ("both", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\ntaken = "Mosul"\nby = "isis"',
     "[history.events[0]] give taken (with by) or event, not both"),
    ("neither", 'what = "x"\ndate = 2014-06-10',
     "[history.events[0]] says neither what town is taken nor what event fires"),
    ("what missing", 'date = 2014-06-10\nevent = "mosul-falls"', "[history.events[0].what] missing"),
    ("date quoted", 'what = "x"\ndate = "2014-06-10"\nevent = "mosul-falls"',
     "[history.events[0].date] expected a date, got text"),
    ("window of one date", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\nwindow = [2014-06-10]',
     "[history.events[0].window] expected two dates, from and to"),
    ("window of text", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\nwindow = ["2014-06-01", "2014-06-30"]',
     "[history.events[0].window] expected two dates, from and to"),
    ("window reversed", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\nwindow = [2014-06-30, 2014-06-01]',
     "[history.events[0].window] ends 2014-06-01 before it starts 2014-06-30"),
    ("window outside the game", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\nwindow = [2015-01-01, 2015-02-01]',
     "[history.events[0].window] 2015-01-01 to 2015-02-01 lies outside the game"),
    ("after unknown", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\nafter = "suburbs"',
     "[history.events[0].after] unknown history event 'suburbs'"),
    ("after itself", 'id = "a"\nwhat = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\nafter = "a"',
     "[history.events[0].after] the event 'a' cannot come after itself"),
    ("defining not a bool", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\ndefining = "yes"',
     "[history.events[0].defining] expected true or false"),
    ("unknown field", 'what = "x"\ndate = 2014-06-10\nevent = "mosul-falls"\nwhen = 2014-06-10',
     "[history.events[0].when] unknown field"),
]


@pytest.mark.parametrize("what,lines,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_history_event_gives_a_clear_line(tmp_path, what, lines, expected):
    path = with_events(tmp_path, f"\n[[history.events]]\n{lines}\n")
    problems = check_file(path, hexmap())
    rest = [p.split(": ", 1)[1] for p in problems]
    assert any(r.startswith(expected) for r in rest), problems
    # The line named is the event's own, not the file's head.
    line = int(problems[0].split(":")[1])
    assert line > TEXT.count("\n"), problems[0]


def test_duplicate_ids_and_a_circle_of_afters_are_refused(tmp_path):
    events = "".join(f'\n[[history.events]]\nid = "{i}"\nwhat = "x"\ndate = 2014-06-10\n'
                     f'event = "mosul-falls"\nafter = "{a}"\n' for i, a in (("a", "b"), ("b", "a")))
    events += '\n[[history.events]]\nid = "a"\nwhat = "y"\ndate = 2014-06-10\nevent = "mosul-falls"\n'
    rest = [p.split(": ", 1)[1] for p in check_file(with_events(tmp_path, events), hexmap())]
    assert any(r.startswith("[history.events[2].id] history event 'a' is defined twice") for r in rest)
    assert any(r.startswith("[history.events[1].after] 'b' comes after 'a', which waits for 'b'")
               for r in rest), rest


def test_every_bundled_scenario_has_defining_events_it_can_meet():
    """Each phase with a target of its own names towns and events that exist; a defining
    event's window overlaps the game's dates."""
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        sc = load_scenario(path, hexmap())
        events = sc.setup["history"]["events"]
        assert events, path.name
        for e in events:
            assert e["window"][0] <= sc.end.isoformat() and e["window"][1] >= sc.start.isoformat()
        if path.stem not in ("2014-new-role", "2014-no-fly-zone", "2018-withdrawal"):
            assert any(e["defining"] for e in events), path.name


# -- judging a hand-made timeline ---------------------------------------------------------------

SETUP = {
    "factions": [{"id": "isis", "side": "jihadist"}, {"id": "iraq", "side": "coalition"},
                 {"id": "kurds", "side": "coalition"}, {"id": "assad", "side": "baathist"}],
    "events": [{"id": "iraq-turns", "trigger": {"turn": 3},
                "actions": [{"do": "change_side", "faction": "iraq", "side": "baathist"}]},
               {"id": "offensive", "trigger": {"turn": 2}, "actions": []}],
    "history": {"winner": "jihadist", "events": [
        {"id": "mosul", "what": "Mosul falls", "date": "2014-06-10", "taken": "mosul",
         "by": "jihadist", "window": ["2014-06-01", "2014-06-20"], "after": None, "defining": True},
        {"id": "back", "what": "Mosul retaken", "date": "2014-07-01", "taken": "mosul",
         "by": "coalition", "window": ["2014-06-01", "2014-08-30"], "after": "mosul",
         "defining": True},
        {"id": None, "what": "The offensive", "date": "2014-06-12", "event": "offensive",
         "window": ["2014-06-01", "2014-06-30"], "after": None, "defining": False},
    ]},
}


def state(timeline, over=True, winner="jihadist"):
    # Turns of a week from 1 June 2014: turn 3 is 15 June, turn 5 is 29 June.
    return SimpleNamespace(start_date=dt.date(2014, 6, 1), turn_days=7, timeline=timeline,
                           over=over, winner=winner)


def rows(timeline) -> dict:
    return {r["what"]: r for r in judge(SETUP, state(timeline))}


def test_on_time_early_late_and_never():
    on_time = rows([[3, "taken", "mosul", "isis", "iraq"]])["Mosul falls"]
    assert (on_time["game"], on_time["on_time"], timing(on_time)) == ("2014-06-15", True, "on time")
    assert on_time["source"] == "2014-06-10" and on_time["window"] == ["2014-06-01", "2014-06-20"]
    late = rows([[5, "taken", "mosul", "isis", "iraq"]])["Mosul falls"]
    assert (late["game"], late["on_time"], timing(late)) == ("2014-06-29", False, "late")
    never = rows([[5, "taken", "tikrit", "isis", "iraq"]])["Mosul falls"]
    assert (never["game"], never["on_time"], timing(never)) == (None, False, "never")
    early = dict(SETUP["history"]["events"][0], window=["2014-06-10", "2014-06-20"])
    row = judge({**SETUP, "history": {"events": [early]}}, state([[1, "taken", "mosul", "isis", "iraq"]]))[0]
    assert (row["game"], timing(row)) == ("2014-06-01", "early")


def test_the_first_taking_counts_and_a_hand_over_within_a_side_is_none():
    got = rows([[2, "taken", "mosul", "kurds", "iraq"],  # coalition to coalition: no taking
                [3, "taken", "mosul", "isis", "kurds"],
                [4, "taken", "mosul", "isis", "isis"],
                [5, "taken", "mosul", "isis", "iraq"]])
    assert got["Mosul falls"]["game"] == "2014-06-15"
    assert got["Mosul retaken"]["game"] is None  # the coalition held it from the start


def test_an_event_after_another_counts_only_once_that_one_has_happened():
    # The coalition takes Mosul on turn 2, before it fell: that is not "retaken".
    got = rows([[2, "taken", "mosul", "kurds", "isis"], [3, "taken", "mosul", "isis", "kurds"],
                [6, "taken", "mosul", "iraq", "isis"]])
    assert got["Mosul retaken"]["game"] == "2014-07-06" and got["Mosul retaken"]["on_time"]
    # The same turn counts, if it comes after in the timeline.
    same = rows([[3, "taken", "mosul", "isis", "kurds"], [3, "taken", "mosul", "kurds", "isis"]])
    assert same["Mosul retaken"]["game"] == "2014-06-15"
    # Never after, if the first never happened.
    assert rows([[6, "taken", "mosul", "iraq", "isis"]])["Mosul retaken"]["game"] is None


def test_a_taking_counts_for_the_side_the_faction_is_on_at_that_moment():
    by_baathists = dict(SETUP["history"]["events"][0], by="baathist")
    setup = {**SETUP, "history": {"events": [by_baathists]}}
    before = [[2, "taken", "mosul", "iraq", "isis"]]
    assert judge(setup, state(before))[0]["game"] is None  # Iraq is still the coalition's
    after = [[3, "event", "iraq-turns"], [4, "taken", "mosul", "iraq", "isis"]]
    assert judge(setup, state(after))[0]["game"] == "2014-06-22"


def test_a_scenario_event_is_judged_by_the_turn_it_fired():
    got = rows([[2, "event", "offensive"]])["The offensive"]
    assert got["game"] == "2014-06-08" and got["on_time"] and not got["defining"]


def test_historical_needs_the_winner_and_every_defining_event_on_time():
    good = [[3, "taken", "mosul", "isis", "iraq"], [6, "taken", "mosul", "iraq", "isis"]]
    assert historical(SETUP, state(good))
    assert not historical(SETUP, state(good, winner="coalition"))  # events on time, wrong winner
    assert not historical(SETUP, state(good[:1]))  # the winner, but Mosul never retaken
    late = [[5, "taken", "mosul", "isis", "iraq"], [6, "taken", "mosul", "iraq", "isis"]]
    assert not historical(SETUP, state(late))
    assert not historical(SETUP, state(good, over=False))  # a game cut short is no history
    # The non-defining event need not happen; with no winner in history, only a draw is.
    assert historical({**SETUP, "history": {**SETUP["history"], "winner": None}},
                      state(good, winner=None))


def test_an_event_in_words():
    got = rows([[3, "taken", "mosul", "isis", "iraq"]])
    assert event_line(got["Mosul falls"]) == "Mosul falls: game 15 June 2014 (on time), source 10 June 2014"
    assert event_line(got["Mosul retaken"]) == "Mosul retaken: not in the game, source 1 July 2014"
    late = rows([[5, "taken", "mosul", "isis", "iraq"]])["Mosul falls"]
    assert event_line(late, days=False) == "Mosul falls: game June 2014 (late), source June 2014"


# -- the timeline of a real game ---------------------------------------------------------------

def test_a_capture_and_the_event_it_fires_are_on_the_timeline():
    setup = mosul_setup()
    setup["events"] = [{"id": "tal-afar-falls", "trigger": {"city_taken": "tal-afar", "by": "jihadist"},
                        "actions": [{"do": "message", "text": "Tal Afar falls."}]}]
    setup["history"] = {"winner": "jihadist", "events": [
        {"id": "tal-afar", "what": "Tal Afar falls", "date": "2014-06-16", "taken": "tal-afar",
         "by": "jihadist", "window": ["2014-06-01", "2014-06-30"], "after": None, "defining": True}]}
    from game.commands import Game

    game = Game(setup, hexmap(), default_rules(), 1)
    st = game.state
    m = hexmap()
    st.units["iraq-1"].hex = m.find_city("Tikrit").hex + Hex(0, -1)  # empty Mosul's surroundings
    res = game.execute(Move("jihadist", "isis-3", path_for(game, "isis-3", m.find_city("Tal Afar").hex)))
    assert res.ok, res.problems
    assert st.timeline == [[1, "taken", "tal-afar", "isis", "iraq"], [1, "event", "tal-afar-falls"]]
    assert judge(setup, st)[0]["game"] == "2014-06-04"


def test_towns_handed_over_by_events_are_on_the_timeline():
    setup = mosul_setup()
    setup["events"] = [
        {"id": "handover", "trigger": {"turn": 2},
         "actions": [{"do": "set_control", "city": "samarra", "faction": "kurds"},
                     {"do": "set_control", "city": "erbil", "faction": "kurds"},  # held already
                     {"do": "transfer_units", "from": "assad", "to": "iraq"}]}]
    from game.commands import Game

    game = Game(setup, hexmap(), default_rules(), 1)
    while game.state.turn == 1:
        assert game.execute(EndTurn(game.state.active_side)).ok
    timeline = game.state.timeline
    # The event, then its hand-overs: Samarra by decree (Erbil was the Kurds' already), and
    # Assad's towns with his units.
    assert timeline[:2] == [[2, "event", "handover"], [2, "taken", "samarra", "kurds", "iraq"]]
    assert sorted(timeline[2:]) == [[2, "taken", c, "iraq", "assad"]
                                    for c in ("aleppo", "damascus", "deir-ez-zor")]


def test_the_timeline_is_saved_and_an_old_save_loads_without_one(tmp_path):
    game = mosul_game()
    game.state.timeline.append([1, "taken", "mosul", "isis", "iraq"])
    path = save_game(game, tmp_path / "a.save")
    loaded = load_game(path, hexmap(), default_rules())
    assert loaded.state.timeline == [[1, "taken", "mosul", "isis", "iraq"]]
    assert loaded.checksum() == game.checksum()
    copy = game.state.copy()
    copy.timeline.append([2, "event", "x"])
    assert len(game.state.timeline) == 1  # the undo copy has its own
    # A save from before the timeline: no such key, and it reads as empty.
    old = mosul_game().state.to_dict()
    assert "timeline" not in old
    assert GameState.from_dict(old).timeline == []


# -- simulate's report --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """Two turns of the example with its history's events, and what simulate made of them."""
    path = with_events(tmp_path_factory.mktemp("simulated"), EVENTS)
    return path, simulate_one(path, seed=1, turns=2)


def test_simulate_reports_the_events_and_whether_the_run_was_historical(simulated):
    path, result = simulated
    assert [r["what"] for r in result["history"]] == ["Mosul falls to the Islamic State", "The news of Mosul"]
    # The example's jihadists win at once if they take Mosul; else two turns of five are no end.
    mosul = result["history"][0]
    assert result["historical"] == (result["winner"] == "jihadist" and mosul["on_time"])
    other = dict(result, historical=True, history=[
        dict(mosul, game="2014-06-11", on_time=True), dict(result["history"][1], game=None, on_time=False)])
    text = summarise([result, other], load_scenario(path, hexmap()).history)
    lines = text.splitlines()
    assert lines[1].startswith("winners:")
    assert lines[2] == f"historical (winner and defining events on time): {1 + result['historical']}/2"
    second = lines[4]
    assert lines[3].strip().startswith("Mosul falls to the Islamic State")
    assert f"on time {1 + mosul['on_time']}/2;" in lines[3] and lines[3].endswith("source 10 June 2014")
    if mosul["game"] is None:
        assert "game 11 June 2014, never in 1/2" in lines[3]
    assert second.strip().startswith("The news of Mosul") and second.endswith("(not defining)")
    # A scenario that gives no history has nothing to be historical by.
    assert "historical" not in summarise([result], {})


def test_the_plot_draws_each_event_under_the_casualties(simulated, tmp_path):
    import pygame

    from game.ui.charts import GAME_COLOUR, SOURCE_COLOUR, WINDOW_COLOUR, casualty_chart, events_height

    path, result = simulated
    sc = load_scenario(path, hexmap())
    # One run saw Mosul fall on 11 June, one never did; both heard the news on 18 June.
    news = dict(result["history"][1], game="2014-06-18", on_time=True)
    runs = [dict(result, history=[dict(result["history"][0], game=g, on_time=g is not None), news])
            for g in ("2014-06-11", None)]
    png = tmp_path / "plot.png"
    casualty_chart(runs, sc, png)
    image = pygame.image.load(str(png))
    below = image.get_height() - events_height([0, 1])
    assert below > 100  # the casualties above, the events' two rows under them

    def colours(y0, y1, x0=0, x1=None):
        return {tuple(image.get_at((x, y)))[:3] for y in range(y0, y1)
                for x in range(x0, x1 or image.get_width())}

    row = (below + 48, below + 48 + 34)
    margin = image.get_width() - 16 - 90  # where the runs that never saw it are crossed
    assert {WINDOW_COLOUR, SOURCE_COLOUR, GAME_COLOUR} <= colours(*row, 0, margin)  # band, mark, dot
    assert GAME_COLOUR in colours(*row, margin)  # the cross of the run that never saw it
    assert GAME_COLOUR not in colours(row[1], row[1] + 34, margin)  # every run heard the news
    assert WINDOW_COLOUR not in colours(0, below)


# -- the results screen ---------------------------------------------------------------------------

def test_the_results_list_each_event_on_time_or_not(app):
    from game.session import Session
    from game.ui.results import ResultsScene
    from game.ui.style import BAD, GOOD

    session = Session.new("2017-pro-assad-offensive", None, seed=1)
    st = session.game.state
    # Iran's men in Douma on turn 3 (29 July 2017); never thrown out again.
    st.timeline = [[3, "taken", "douma", "iran", "syrian_opposition"]]
    st.over, st.winner, st.result = True, "baathist", "Ba'athists win"
    res = app.push(ResultsScene(app, session))
    for _ in range(3):
        app.step([], dt=0.016)
    suburbs = ("\u2022 The loyalists take the suburbs of Damascus (Douma): game July 2017 (on time), "
               "source July 2017", GOOD)
    pushed = ("\u2022 The loyalists pushed back from Douma: not in the game, source February 2018", BAD)
    lines = res.lines()
    at = next(i for i, (t, _) in enumerate(lines) if t.startswith("In history, the Coalition won."))
    # First the verdict: the Ba'athists won where the coalition did, and the push back never came.
    assert lines[at + 1] == ("Not as history went: another outcome, 1 event that never came.", BAD)
    assert lines[at + 2:at + 4] == [suburbs, pushed]
    # The window shows them among the words under the headline.
    assert "pushed back from Douma: not in the game" in res.text.html_text
    # Thrown out of Douma in February 2018 and the coalition's win: as history went.
    st.timeline.append([15, "taken", "douma", "syrian_opposition", "iran"])
    st.winner, st.result = "coalition", "Coalition win"
    assert res.verdict(*session.history()) == (
        "As in history: the same winner, and every event that marks the phase on time.", GOOD)


def test_the_editor_renames_what_history_events_name(tmp_path):
    """A faction, a side or a scenario event renamed in the editor is renamed in the history's
    events too, and the file stays valid."""
    from game.commands import Context
    from game.editor import Editor

    events = EVENTS.replace('by = "jihadist"', 'by = "isis"') + '''
[[history.events]]
what = "Tikrit falls to the jihadists"
date = 2014-06-11
taken = "Tikrit"
by = "jihadist"
'''
    ed = Editor.open(with_events(tmp_path, events), Context(hexmap(), default_rules()))
    assert ed.apply("set_faction", faction="isis", id="daesh").ok
    assert ed.apply("set_side", side="jihadist", id="caliphate").ok
    assert ed.apply("set_event", event="mosul-falls", id="mosul-fell").ok
    mosul, news, tikrit = ed.doc["history"]["events"]
    assert (mosul["by"], news["event"], tikrit["by"]) == ("daesh", "mosul-fell", "caliphate")
    assert ed.check() == []
