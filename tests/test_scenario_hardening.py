"""A careless author's, a fuzzer's and a tamperer's scenario files: each refused in one line that
names the file, the line and the field, quickly, never let through to break a game."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from game.cli import main
from game.scenario import MAX_FILE_BYTES, check_file, check_text, load_scenario, schema
from game.scenario.locate import Locator, scan

from games import hexmap

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "scenarios/examples/fall-of-mosul.toml").read_text()

WING = '''[[units]]
id = "iraq-air"
type = "air_wing"
faction = "iraq"
place = "Baghdad"
personnel = 1000
equipment = { "combat aircraft" = 20 }

[[reinforcements]]'''
BIG = "1" + "0" * 400

# (what, old, new, the field and the start of the problem, the text on the line it names)
CASES = [
    ("no people", 'personnel = 4000', 'personnel = 0',
     "[units[3].personnel] personnel 0 is out of range (between 1 and 200,000)", "personnel = 0"),
    ("a million times too many", 'personnel = 4000', 'personnel = 1000000000000',
     "[units[3].personnel] personnel 1,000,000,000,000 is out of range", "personnel = 1"),
    ("a figure of 401 digits", 'personnel = 4000', f'personnel = {BIG}',
     "[units[3].personnel] personnel is a number of 401 digits, out of range", "personnel = 1"),
    ("fewer than the type keeps", 'personnel = 4000', 'personnel = 40',
     "[units[3].personnel] 40 people: an infantry unit of fewer than 300 melts away", "personnel = 40"),
    ("aircraft of 401 digits", "[[reinforcements]]", WING.replace("= 20", f"= {BIG}"),
     "[units[4].equipment.combat aircraft] combat aircraft is a number of 401 digits", "equipment"),
    ("minus zero aircraft", "[[reinforcements]]", WING.replace("= 20", "= -0"),
     "[units[4].equipment] an air wing unit without combat aircraft can do nothing", "equipment"),
    ("an air wing with no aircraft", "[[reinforcements]]",
     WING.replace('equipment = { "combat aircraft" = 20 }\n', ""),
     "[units[4].equipment] an air wing unit without combat aircraft", "[[units]]"),
    ("tanks by the million", '"armoured vehicles" = 30', '"armoured vehicles" = 1000000',
     "[units[1].equipment.armoured vehicles] armoured vehicles 1,000,000 is out of range", "equipment"),
    ("casualties of 401 digits", 'winner = "jihadist"', f'winner = "jihadist"\ncasualties = {{ isis = {BIG} }}',
     "[history.casualties.isis] isis is a number of 401 digits", "casualties"),
    ("an air wing abroad", "[[reinforcements]]", WING.replace('"Baghdad"', '"Gaziantep"'),
     "[units[4].place] hex 23,8 is no air base of Iraq", 'place = "Gaziantep"'),
    ("an air wing in the open desert", "[[reinforcements]]", WING.replace('"Baghdad"', '"33.0,41.0"'),
     "[units[4].place] hex 28,61 is no air base of Iraq", 'place = "33.0,41.0"'),
    ("an arriving air wing abroad", '{ type = "militia", faction = "iraq", place = "Baghdad", personnel = 5000 },',
     '{ type = "air_wing", faction = "iraq", place = "Gaziantep", personnel = 500, equipment = { "combat aircraft" = 5 } },',
     "[reinforcements[0].units[0].place] hex 23,8 in Turkey is no air base of Iraq", "units = ["),
    ("four units of a side in a hex", "[[reinforcements]]",
     '[[units]]\ntype = "infantry"\nfaction = "iraq"\nplace = "Mosul"\npersonnel = 4000\n\n' * 3
     + "[[reinforcements]]",
     "[units[6].place] baathist stacks 4 ground units in hex 69,18 (at most 3 of a side share a hex",
     'place = "Mosul"'),
    ("enemies in one hex", 'place = "Sinjar"', 'place = "Mosul"',
     "[units[2].place] Iraq stands in hex 69,18 with jihadist's units[1]: two sides never share a hex",
     'place = "Mosul"'),
    ("reinforcements after the end", "date = 2014-06-18", "turn = 99",
     "[reinforcements[0].turn] turn 99 is after the last turn (5)", "turn = 99"),
    ("an event after the end", 'trigger = { city_taken = "Mosul", by = "isis" }', "trigger = { turn = 99 }",
     "[events[0].trigger.turn] turn 99 is after the last turn (5)", "trigger = "),
    ("a thousand years of turns", "end = 2014-07-02", "end = 2917-07-02",
     "[scenario.end] 2014-06-04 to 2917-07-02 in turns of 7 days makes 47,121 turns (at most 200",
     "end = 2917-07-02"),
    ("an event waiting for itself", 'trigger = { city_taken = "Mosul", by = "isis" }',
     'trigger = { all = [{ event = "mosul-falls" }, { turn = 2 }] }',
     "[events[0].trigger] event 'mosul-falls' waits for its own firing: it can never fire", "trigger = "),
    ("a chance from no turn", 'trigger = { city_taken = "Mosul", by = "isis" }',
     'trigger = { chance = 0.5, from_turn = "x" }',
     "[events[0].trigger.from_turn] expected a whole number, got text ('x')", "trigger = "),
    ("a chance of nan", 'trigger = { city_taken = "Mosul", by = "isis" }', "trigger = { chance = nan }",
     "[events[0].trigger.chance] chance nan is out of range (more than 0 and at most 1)", "trigger = "),
    ("an infinite quality", "quality = 0.7", "quality = inf",
     "[factions[1].quality] quality inf is out of range (between 0.1 and 5)", "quality = inf"),
    ("a side without a faction", "[[factions]]", '[[sides]]\nid = "kurdish"\n\n[[factions]]',
     "[sides[2]] side 'kurdish' has no faction", "[[sides]]"),
    ("a unit's name that is a list", 'id = "isis-mosul"\n', 'id = "isis-mosul"\nname = [1]\n',
     "[units[0].name] expected text, got a list", "name = [1]"),
    ("a side's name that is a number", 'name = "Jihadists"', "name = 7",
     "[sides[0].name] expected text, got a number (7)", "name = 7"),
    ("no [scenario] table", "[scenario]\n", "[scenarioo]\n",
     "[scenario] missing table (add [scenario])", "# A small scenario"),
]


def check_changed(tmp_path: Path, old: str, new: str) -> tuple[Path, list[str]]:
    assert old in TEXT, old
    path = tmp_path / "broken.toml"
    path.write_text(TEXT.replace(old, new, 1))
    return path, check_file(path, hexmap())


@pytest.mark.parametrize("what,old,new,expected,line_text", CASES, ids=[c[0] for c in CASES])
def test_values_that_would_break_a_game_are_refused_at_their_line(tmp_path, what, old, new,
                                                                   expected, line_text):
    path, problems = check_changed(tmp_path, old, new)
    hits = [p for p in problems if p.split(": ", 1)[1].startswith(expected)]
    assert hits, problems
    assert re.match(rf"{re.escape(str(path))}:\d+: \[", hits[0]), hits[0]
    line = int(hits[0][len(str(path)) + 1:].split(":", 1)[0])
    assert line_text in path.read_text().splitlines()[line - 1], (hits[0], line_text)


@pytest.mark.parametrize("old,new", [
    ('cities = ["Mosul", "Tikrit"]', 'cities = ["Mosul", "Tikritt"]'),
    ('cities = ["Mosul"]', 'cities = ["Mosull"]'),
    ("[scenario]\n", "[scenarioo]\n"),
])
def test_one_mistake_is_one_line(tmp_path, old, new):
    """An unknown town in a victory condition does not also make the condition list no towns
    nor leave its side without a condition; a missing [scenario] is not also every one of its
    fields missing."""
    _, problems = check_changed(tmp_path, old, new)
    rest = [p for p in problems if "unknown part of a scenario" not in p]
    assert len(rest) == 1, problems


def test_a_side_with_nothing_to_play_is_not_ready(tmp_path):
    text = re.sub(r"\[\[units\]\].*?(?=\[\[events\]\])", "", TEXT, flags=re.S)
    scenario, problems = check_text(text, "empty.toml", hexmap())
    assert scenario is None
    assert problems == [
        "empty.toml:15: [sides[0]] side 'jihadist' has no units, at the start or later: there is "
        "nothing to play (give its factions [[units]] or [[reinforcements]])",
        "empty.toml:19: [sides[1]] side 'baathist' has no units, at the start or later: there is "
        "nothing to play (give its factions [[units]] or [[reinforcements]])",
    ]


def test_events_waiting_in_a_circle_are_named(tmp_path):
    circle = '''[[events]]
id = "a"
trigger = { event = "b" }
actions = [{ do = "message", text = "a" }]

[[events]]
id = "b"
trigger = { any = [{ event = "a" }, { event = "c" }] }
actions = [{ do = "message", text = "b" }]

[[events]]
id = "c"
trigger = { event = "b" }
actions = [{ do = "message", text = "c" }]

[[events]]
id = "d"
trigger = { all = [{ event = "mosul-falls" }, { turn = 3 }] }
actions = [{ do = "message", text = "d" }]

[[victory]]'''
    _, problems = check_changed(tmp_path, "[[victory]]", circle)
    rest = sorted(p.split(": ", 1)[1] for p in problems)
    assert rest == [
        "[events[1].trigger] event 'a' waits for 'b', which can never fire first (break the "
        "circle: one of them needs another trigger)",
        "[events[2].trigger] event 'b' waits for 'a', 'c', which can never fire first (break the "
        "circle: one of them needs another trigger)",
        "[events[3].trigger] event 'c' waits for 'b', which can never fire first (break the "
        "circle: one of them needs another trigger)",
    ], problems


def test_every_bundled_scenario_keeps_within_the_ranges():
    """The bounds are ones the real scenarios have room in: each bundled file is valid, and at
    most half of each bound is used."""
    from game.scenario import bundled_paths

    paths = bundled_paths() + sorted((ROOT / "scenarios/examples").glob("*.toml"))
    for path in paths:
        sc = load_scenario(path, hexmap())
        assert sc.turns <= schema.MAX_TURNS // 2, path
        units = list(sc.setup["units"]) + [u for e in sc.setup["events"] for a in e["actions"]
                                            if a["do"] == "add_units" for u in a["units"]]
        assert max(u["personnel"] for u in units) <= schema.MAX_PERSONNEL // 2, path
        assert max(n for u in units for n in u["equipment"].values()) <= schema.MAX_EQUIPMENT // 2
        assert max(sc.history["casualties"].values(), default=0) <= schema.MAX_PEOPLE // 2
        assert path.stat().st_size <= MAX_FILE_BYTES // 2, path


# -- speed -------------------------------------------------------------------------------------

def timed_check(path: Path) -> tuple[list[str], float]:
    start = time.perf_counter()
    problems = check_file(path, hexmap())
    return problems, time.perf_counter() - start


def test_a_file_over_the_limit_is_refused_unread(tmp_path, capsys):
    path = tmp_path / "huge.toml"
    path.write_text(TEXT + "#" * MAX_FILE_BYTES)
    problems, seconds = timed_check(path)
    assert problems == [f"{path}: {path.stat().st_size:,} bytes is more than a scenario file may "
                        f"hold (at most {MAX_FILE_BYTES:,} bytes)"]
    assert seconds < 1.0
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def insert_after_scenario(text: str, insert: str) -> tuple[str, int]:
    lines = text.splitlines()
    at = next(i for i, t in enumerate(lines) if t.startswith("[scenario]")) + 1
    return "\n".join(lines[:at] + [insert] + lines[at:]) + "\n", at + 1


@pytest.mark.parametrize("insert, words", [
    # Each took from 14 seconds to over a minute: a generous bound cannot fail on a slow machine.
    ("a" + ".a" * 10000 + " = 1", "a key of 10,001 parts (a.a.a...) (no key of a scenario has more than 3)"),
    ("[" + "a" + ".a" * 20 + "]", "a key of 21 parts"),
    ('x = { a.b.c.d.e = 1 }', "a key of 5 parts (a.b.c...)"),
    ('note = """\n[' + " " * 3000 + 'x\n"""', "[scenario.note] unknown field"),
    ('note = [\n  ["' + " " * 20000 + '", 1]]', "[scenario.note] unknown field"),
])
def test_files_that_took_minutes_are_checked_at_once(tmp_path, insert, words):
    text, line = insert_after_scenario(TEXT, insert)
    path = tmp_path / "slow.toml"
    path.write_text(text)
    problems, seconds = timed_check(path)
    assert seconds < 5.0
    assert any(p.startswith(f"{path}:{line}: ") and words in p for p in problems), problems


def test_dotted_keys_by_the_thousand_are_refused_at_the_first_too_many(tmp_path):
    """The TOML reader slows down more than in proportion to their number."""
    text, line = insert_after_scenario(TEXT, "\n".join(f"k{i}.a = 1" for i in range(5000)))
    path = tmp_path / "dotted.toml"
    path.write_text(text)
    assert check_file(path, hexmap()) == [
        f"{path}:{line + 1000}: more than 1,000 dotted keys like k1000.a = ... (write tables: "
        "[k1000] and a = ...)"]


def test_the_scanner_is_linear_on_any_text():
    """Lines the old scanner's regular expressions backtracked on for seconds, times a hundred."""
    start = time.perf_counter()
    for text in ("[" + " " * 100_000 + "x", '["' + " " * 100_000, "a = [" + "[" * 100_000,
                 "'" * 100_000, '"' * 100_000, "x = " + "\\" * 100_000, "{" * 100_000 + "a"):
        scan(text)
        Locator(text)
    assert time.perf_counter() - start < 5.0


def test_the_locator_is_not_misled_by_strings_and_inline_tables():
    text = '''[scenario]
description = """
[units]
id = "fake"
"""
id = "x"

[[units]]
place = { a = 1, b = [1,
  2] }
type = "militia" # [[units]]
'''
    loc = Locator(text)
    assert loc.line("scenario.id") == 6
    assert loc.line("units[0].place") == 9 and loc.line("units[0].type") == 11
    assert loc.line("units") == 8
    assert [k.parts for k in scan(text) if k.kind == "inline"] == [("a",), ("b",)]


# -- the guide says what the checker does ------------------------------------------------------

GUIDE = ROOT / "docs/scenario-format.md"
MARK = "<!-- reference: generated from game/scenario/schema.py and game/rules/units.toml -->\n"


def test_the_guides_reference_is_the_checkers_schema():
    """Each field's type, required or default, and range in the guide are the schema's, which
    the validator checks by; and so is each unit type's equipment, from the rules."""
    from game.rules import default_rules

    guide = GUIDE.read_text()
    shown = guide.split(MARK, 1)[1].split("<!-- end of reference -->", 1)[0].strip()
    assert shown == schema.reference(default_rules()).strip(), \
        "regenerate the reference: game.scenario.schema.reference(default_rules())"


def test_the_guide_states_the_checkers_limits():
    from game.rules import default_rules
    from game.scenario import MAX_DOTTED_KEYS, MAX_KEY_PARTS, MAX_NESTING

    words = " ".join(GUIDE.read_text().split())
    limit = default_rules().movement["stack_limit"]
    for said in (f"at most {MAX_FILE_BYTES:,} bytes", f"nested more than {MAX_NESTING} deep",
                 f"more than {MAX_KEY_PARTS} parts", f"more than {MAX_DOTTED_KEYS:,} dotted keys", f"at most {schema.MAX_TURNS} (the campaign",
                 f"At most {limit} ground units of a side share a hex",
                 f"1 to {schema.MAX_PERSONNEL:,}", f"0 to {schema.MAX_EQUIPMENT:,} of each item"):
        assert said in words, said


def guide_commands(text: str) -> list[tuple[list[str], list[str]]]:
    """Each ``$ mesopotamia ...`` command of the guide's blocks, with the lines shown after it."""
    import shlex

    out = []
    for block in re.findall(r"^```\n(\$ .*?)^```", text, re.S | re.M):
        for part in block.split("$ mesopotamia ")[1:]:
            cmd, *shown = part.rstrip("\n").split("\n")
            out.append((shlex.split(cmd), shown))
    return out


def tutorial_files(tmp_path: Path, expected: list[str]) -> None:
    """The files the guide's commands read, as the guide makes them."""
    guide = GUIDE.read_text()
    tutorial = guide.split("## Tutorial", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    if any(re.match(r"ramadi\.toml:\d", line) for line in expected):  # the guide's mistakes
        tutorial = tutorial.replace('terrain = "marsh"', 'terrain = "marshes"').replace(
            'faction = "isis"\nname = "Anbar', 'faction = "daesh"\nname = "Anbar')
    (tmp_path / "ramadi.toml").write_text(tutorial)
    mosul = TEXT.replace('type = "mechanized"', 'type = "tank"').replace("quality = 0.7", 'quality = "low"')
    (tmp_path / "my-mosul.toml").write_text(mosul)
    switch = guide.split("### `[[options]]`", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "golden-division.toml").write_text(TEXT + "\n" + switch)
    y2017 = (ROOT / "scenarios/2017-pro-assad-offensive.toml").read_text()
    (tmp_path / "my-2017.toml").write_text(y2017.replace('after = "suburbs"', 'after = "suburb"'))
    if not (tmp_path / "scenarios").exists():
        (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")


def test_the_guides_commands_print_what_it_shows(tmp_path, monkeypatch, capsys):
    """Every command the guide shows the output of (all but play and edit, which open the
    window) prints what the guide shows: all of it, or its first lines where the guide goes on
    with "..."."""
    monkeypatch.chdir(tmp_path)
    commands = guide_commands(GUIDE.read_text())
    assert len(commands) >= 10
    for args, shown in commands:
        if args[0] in ("play", "edit"):
            continue
        tutorial_files(tmp_path, shown)
        capsys.readouterr()
        main(args)
        printed = capsys.readouterr()
        lines = (printed.out + printed.err).rstrip("\n").split("\n")
        if shown and shown[-1] == "...":
            assert lines[:len(shown) - 1] == shown[:-1], (args, lines)
        else:
            assert lines == shown, (args, lines)


def test_a_string_never_closed_is_named_at_a_line(tmp_path):
    path = tmp_path / "open.toml"
    path.write_text(TEXT + '\n[[events]]\nid = "late"\ntext = """the rest of the file\n')
    problems = check_file(path, hexmap())
    assert len(problems) == 1
    assert re.match(rf"{re.escape(str(path))}:\d+: TOML syntax: .*never closed", problems[0]), problems


@pytest.mark.parametrize("old,new,expected", [
    ('id = "isis-mosul"', 'id = "' + " " * 20000 + 'isis-mosul"', "[units[0].id] an id of 20,010 characters (at most 64)"),
    ('id = "isis-mosul"', 'id = "isis mosul"', "[units[0].id] 'isis mosul' is not a valid id"),
    ('id = "jihadist"', 'id = "mosul\\n"', "[sides[0].id] 'mosul\\n' is not a valid id"),
])
def test_ids_are_short_plain_words_and_every_problem_is_one_line(tmp_path, old, new, expected):
    """Ids travel in commands and saves: a long or odd one is refused where it is written, and
    a line break in a value quoted by a problem is written out, not broken."""
    _, problems = check_changed(tmp_path, old, new)
    assert any(expected in p for p in problems), problems
    assert all("\n" not in p for p in problems)
