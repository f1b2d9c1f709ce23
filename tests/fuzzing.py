"""Mutated scenarios and saves, as a careless author, a fuzzer and a tamperer would make them.

Shared by ``tests/test_fuzz.py`` (a bounded number per run) and ``benchmarks/fuzz.py`` (a long
run with counts). Every mutation is a function of a ``random.Random``: the same seed gives the
same bytes, so any input the long run finds can be made again from its seed and number.

* ``mutate_scenario(text, rnd)`` changes a bundled scenario's text: numbers (0, -0, negative,
  10**12, 10**400, inf, nan, floats for whole numbers), types, deleted and duplicated keys and
  tables, ids, factions and towns swapped for others or for unknown ones, dates (an end in
  2917, an end before the start), units stacked or placed with the enemy, events on a turn
  the game never reaches, deep nesting, long strings and keys, and flipped or cut bytes.
* ``mutate_save(blob, rnd)`` changes a save file: the same kinds of change inside its JSON
  (state, setup, journal, seed, the players' part), with the state's checksum and the save's
  digest made again as a tamperer would (most of the time) or left as they were, NaN and
  Infinity, lists nested 900 deep, numbers of 5,000 digits, and flipped or cut bytes of the gzip
  stream or of the JSON text.
* ``check_scenario(path)`` and ``check_save(path)`` feed a file to the checker or the loader the
  way ``mesopotamia validate``, ``play --load`` and ``replay --verify`` do, and say what came of
  it: a clean refusal (one line a problem, each naming the file), a valid file, or a problem.
* ``play_turns(game, setup, turns)`` plays the first turns of a valid file, AI against AI, as
  ``simulate`` does.
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import math
import random
import re
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.toml")) + sorted(
    (ROOT / "scenarios" / "examples").glob("*.toml"))
# Small scenarios that a few AI turns play quickly: the saves the fuzzer starts from.
SAVE_SCENARIOS = ("scenarios/examples/tutorial.toml", "scenarios/examples/fall-of-mosul.toml",
                  "scenarios/examples/duel-deir-ez-zor.toml")


class Raw(str):
    """Text written into a file as it stands: a token the writers would not produce (``-0``,
    a 400-digit number, ``1e400``, brackets nested 2,000 deep)."""


def _digits(n: int) -> Raw:
    return Raw("1" + "0" * (n - 1))


def _nested(depth: int) -> Raw:
    return Raw("[" * depth + "1" + "]" * depth)


# -- values a careless author, a fuzzer or a tamperer would write --------------------------------

NUMBERS = [0, 1, -1, 2, 3, 7, -7, 99, 100, 1000, -5000, 10**6, 10**9, 10**12, 2**31, 2**63,
           2**64, 0.0, 0.5, -0.5, 1.5, 3.7, 1e-300, 1e300,
           Raw("-0"), Raw("+0"), Raw("-0.0"), Raw("1e400"), Raw("-1e400"), _digits(400)]
TOML_SPECIAL = [Raw("inf"), Raw("-inf"), Raw("nan"), Raw("+nan"), _digits(4400), _digits(5000)]
JSON_SPECIAL = [Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e400"), _digits(5000),
                _digits(4400)]
UNKNOWN = ["atlantis", "nobody", "x", "", " ", "ISIS", "Mosul ", "mosul\n", "é", "\u202e",
           "../../etc/passwd", "2014-01-01"]
STRINGS = ["", "text", "0", "true", "-1", "1e400", "nan", "null", "[]", "A" * 100_000,
           " " * 20_000, "ü" * 1000, "line\nbreak", "\x00"]
DATES = [dt.date(2014, 1, 1), dt.date(1900, 1, 1), dt.date(2917, 1, 1), dt.date(9999, 12, 31),
         dt.date(1, 1, 1), dt.date(2021, 12, 31), dt.date(2014, 6, 10),
         dt.datetime(2014, 6, 10, 12, 0), dt.time(12, 0)]
TABLES = [{}, {"a": 1}, {"id": "x"}, {"": ""}]
LISTS = [[], [1], ["x"], [[]], [{}], [1, "x"], list(range(1000))]


def _any_value(rnd: random.Random, special: list) -> object:
    pool = rnd.choice([NUMBERS, special, UNKNOWN, STRINGS, DATES, TABLES, LISTS,
                       [True, False], [_nested(rnd.choice([40, 200, 1000, 3000]))]])
    return copy.deepcopy(rnd.choice(pool))


def _number_like(v, rnd: random.Random, special: list):
    """A number near or far from ``v``: its negative, times a power of ten, a float, zero..."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return rnd.choice(NUMBERS + special)
    choices = [lambda: 0, lambda: Raw("-0"), lambda: -v, lambda: v + 1, lambda: v - 1,
               lambda: v * 1000, lambda: v * 10**9, lambda: float(v) + 0.5, lambda: float(v),
               lambda: v * 10**400 if v else _digits(401), lambda: rnd.choice(NUMBERS),
               lambda: rnd.choice(special), lambda: str(v), lambda: [v], lambda: {"n": v}]
    try:
        return rnd.choice(choices)()
    except (OverflowError, ValueError):  # a float of a number too large for one
        return Raw("1e400")


def _other_type(v, rnd: random.Random):
    """The same value as another type: a string for a number, a list for a string, a table..."""
    if isinstance(v, dict):
        return rnd.choice([list(v.values()), str(v)[:200], 1, [v]])
    if isinstance(v, list):
        return rnd.choice([v[0] if v else 0, {str(i): x for i, x in enumerate(v)}, str(v)[:200],
                           len(v), [v]])
    if isinstance(v, str):
        return rnd.choice([[v], {"id": v}, len(v), 1.0, True])
    if isinstance(v, (int, float)):
        try:
            as_other = float(v) if isinstance(v, int) else int(v) if math.isfinite(v) else 0
        except OverflowError:
            as_other = 0
        return rnd.choice([str(v)[:4000], [v], {"value": v}, bool(v), as_other])
    return rnd.choice(["x", 1, [], {}])


# -- walking and changing nested data -------------------------------------------------------------

def _paths(node, prefix=()) -> list[tuple]:
    out = []
    if len(prefix) > 40:  # inside something a mutation nested deep: leave it be
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            out.append(prefix + (k,))
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append(prefix + (i,))
            out += _paths(v, prefix + (i,))
    return out


def _get(root, path):
    for k in path:
        root = root[k]
    return root


def _set(root, path, value) -> None:
    _get(root, path[:-1])[path[-1]] = value


def _strings(node, out: set, depth: int = 0) -> set:
    """Every string in the data: the ids, factions, sides and towns a mutation may swap."""
    if depth > 40:
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str) and len(k) < 40:
                out.add(k)
            _strings(v, out, depth + 1)
    elif isinstance(node, list):
        for v in node:
            _strings(v, out, depth + 1)
    elif isinstance(node, str) and 0 < len(node) < 40:
        out.add(node)
    return out


def _path_words(path) -> str:
    return ".".join(str(k) if not isinstance(k, int) else f"[{k}]" for k in path).replace(".[", "[")


def _short(v) -> str:
    if isinstance(v, Raw):
        text = str(v)
        return text if len(text) <= 24 else f"{text[:10]}...({len(text)} chars)"
    if isinstance(v, str) and len(v) > 24:
        return f"{v[:10]!r}...({len(v)} chars)"
    text = repr(v)
    return text if len(text) <= 40 else text[:36] + "...]"


def mutate_data(data, rnd: random.Random, special: list, paths: list[tuple] | None = None
                ) -> str:
    """One change to nested data in place (a value, a type, a key deleted, an entry doubled, a
    reference swapped); returns what it did in words."""
    paths = paths if paths is not None else _paths(data)
    if not paths:
        return "nothing to change"
    path = rnd.choice(paths)
    parent, key = _get(data, path[:-1]), path[-1]
    old = parent[key]
    op = rnd.choice(["value", "number", "number", "type", "delete", "duplicate", "swap", "swap",
                     "nest", "long"])
    where = _path_words(path)
    if op == "delete":
        del parent[key]
        return f"deleted {where}"
    if op == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(old))
        return f"doubled {where}"
    if op == "number" and isinstance(old, (int, float)) and not isinstance(old, bool):
        new = _number_like(old, rnd, special)
    elif op == "type":
        new = _other_type(old, rnd)
    elif op == "swap" and isinstance(old, str):
        pool = sorted(_strings(data, set()))
        new = rnd.choice(UNKNOWN) if rnd.random() < 0.3 or not pool else rnd.choice(pool)
    elif op == "nest":
        depth = rnd.choice([33, 100, 900, 2000])
        # As data (a tamperer recomputing the checksum) only in saves, and not so deep that
        # the fuzzer's own writers run out of stack.
        as_data = special is JSON_SPECIAL and depth <= 900 and rnd.random() < 0.5
        new = _py_nested(depth) if as_data else _nested(depth)
    elif op == "long":
        new = rnd.choice(["A" * 100_000, " " * 20_000, [1] * 100_000, ["x"] * 10_000])
    else:
        new = _any_value(rnd, special)
    parent[key] = new
    return f"{where}: {_short(old)} -> {_short(new)}"


def _py_nested(depth: int):
    v: object = 1
    for _ in range(depth):
        v = [v]
    return v


# -- writing TOML ---------------------------------------------------------------------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k) -> str:
    k = str(k)
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def toml_value(v) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if v.bit_length() > 13000:  # about 4,000 digits: Python will not write it
            return ("-" if v < 0 else "") + _digits(int(v.bit_length() * 0.30103) + 1)
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(str(v))


def _is_tables(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def dump_toml(data: dict) -> str:
    """TOML text of the data: top-level tables as ``[name]``, lists of tables as ``[[name]]``,
    anything deeper inline (so every value has a line of its own to be reported at)."""
    lines = []
    for k, v in data.items():
        if not isinstance(v, dict) and not _is_tables(v):
            lines.append(f"{_key(k)} = {toml_value(v)}")
    for k, v in data.items():
        if isinstance(v, dict):
            lines += ["", f"[{_key(k)}]"] + [f"{_key(a)} = {toml_value(b)}" for a, b in v.items()]
        elif _is_tables(v):
            for t in v:
                lines += ["", f"[[{_key(k)}]]"] + [f"{_key(a)} = {toml_value(b)}"
                                                   for a, b in t.items()]
    return "\n".join(lines) + "\n"


# -- scenarios ------------------------------------------------------------------------------------

def _units(data) -> list[dict]:
    units = data.get("units")
    return [u for u in units if isinstance(u, dict)] if isinstance(units, list) else []


def _faction_sides(data) -> dict:
    out = {}
    for f in data.get("factions", []) if isinstance(data.get("factions"), list) else []:
        if isinstance(f, dict) and isinstance(f.get("id"), str):
            out[f["id"]] = f.get("side")
    return out


def _scenario_table(data) -> dict:
    if not isinstance(data.get("scenario"), dict):
        data["scenario"] = {}
    return data["scenario"]


def _op_dates(data, rnd) -> str:
    sc = _scenario_table(data)
    start = sc.get("start") if isinstance(sc.get("start"), dt.date) else dt.date(2014, 6, 1)
    choice = rnd.randrange(6)
    if choice == 0:
        sc["end"] = dt.date(2917, 1, 1)
        return "end date 2917-01-01"
    if choice == 1:
        sc["end"] = start - dt.timedelta(days=rnd.choice([1, 7, 365]))
        return f"end {sc['end']} before the start {start}"
    if choice == 2:
        sc["end"] = start
        return "end on the start date"
    if choice == 3:
        sc["turn_days"] = rnd.choice([0, -7, 1, 36500, Raw("-0"), 0.5, 10**12])
        return f"turn_days = {_short(sc['turn_days'])}"
    if choice == 4:
        sc["start"] = rnd.choice(DATES)
        return f"start = {sc['start']}"
    sc["end"] = rnd.choice(DATES)
    return f"end = {sc['end']}"


def _op_unit_number(data, rnd, special) -> str:
    units = _units(data)
    if not units:
        return "no units"
    u = rnd.choice(units)
    fields = [k for k in ("personnel", "morale", "entrenchment", "strength") if k in u]
    eq = u.get("equipment") if isinstance(u.get("equipment"), dict) else None
    if eq:
        fields += [f"equipment.{k}" for k in eq]
    name = rnd.choice(fields or ["personnel"])
    value = rnd.choice(NUMBERS + special + [Raw("-0"), 0, 10**12, _digits(400)])
    if name.startswith("equipment."):
        eq[name.split(".", 1)[1]] = value
    else:
        u[name] = value
    return f"unit {u.get('id')!r} {name} = {_short(value)}"


def _op_stack(data, rnd) -> str:
    units = [u for u in _units(data) if "place" in u]
    if len(units) < 2:
        return "too few units to stack"
    known = _faction_sides(data)

    def side_of(u):  # an earlier change may have made a faction a list or a table
        f = u.get("faction")
        return known.get(f) if isinstance(f, str) else None

    target = rnd.choice(units)
    side = side_of(target)
    same = [u for u in units if u is not target and side_of(u) == side]
    enemy = [u for u in units if u is not target and side_of(u) != side]
    if rnd.random() < 0.5 and same:
        moved = rnd.sample(same, min(len(same), rnd.choice([1, 3, 5, 20])))
        how = "of its side"
    else:
        moved = rnd.sample(enemy or same, min(len(enemy or same), rnd.choice([1, 2])))
        how = "of the enemy" if enemy else "of its side"
    for u in moved:
        u["place"] = copy.deepcopy(target["place"])
    return (f"{len(moved)} unit(s) {how} placed with {target.get('id')!r} at "
            f"{_short(target['place'])}")


def _op_place(data, rnd) -> str:
    units = _units(data)
    if not units:
        return "no units"
    u = rnd.choice([x for x in units if x.get("type") == "air_wing"] or units)
    u["place"] = rnd.choice(["Mosul", "Damascus", "Baghdad", "Raqqa", "Kuwait City", "Amman",
                             "Ankara", "Tehran", "Nowhere", [0, 0], [-1, 5], [10**6, 3],
                             [1.5, 2], "35,40", "0,0", "91,0", "nan,nan", [70], [70, 13, 1]])
    return f"unit {u.get('id')!r} ({u.get('type')}) placed at {_short(u['place'])}"


def _op_turns(data, rnd) -> str:
    """An event or reinforcement on a turn the game never reaches (or turn 0, -1...)."""
    found = [p for p in _paths(data) if p and p[-1] in ("turn", "turns", "after_turn")]
    if not found:
        return "no turn numbers"
    p = rnd.choice(found)
    value = rnd.choice([99, 0, -1, 10**6, 1.5, Raw("-0"), "2"])
    _set(data, p, value)
    return f"{_path_words(p)} = {_short(value)}"


def _op_drop(data, rnd) -> str:
    key = rnd.choice(sorted(data)) if data else None
    if key is None:
        return "empty file"
    choice = rnd.randrange(3)
    if choice == 0 or not isinstance(data[key], (list, dict)):
        del data[key]
        return f"deleted the table {key!r}"
    if choice == 1:
        data[key] = type(data[key])()
        return f"emptied {key!r}"
    if isinstance(data[key], list) and data[key]:
        data[key] = data[key] * rnd.choice([2, 30])
        return f"repeated every entry of {key!r}"
    data[key] = [data[key]] if isinstance(data[key], dict) else data[key]
    return f"{key!r} as a list of tables"


def _op_self_event(data, rnd) -> str:
    events = data.get("events")
    events = [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []
    if not events:
        return "no events"
    e = rnd.choice(events)
    e["trigger"] = rnd.choice([{"event": e.get("id")}, {"event_fired": e.get("id")},
                               {"turn": 99}, {"unit_destroyed": "nobody"},
                               {"faction_destroyed": e.get("id")}, {}])
    return f"event {e.get('id')!r} trigger = {toml_value(e['trigger'])}"


def mutate_scenario_data(data: dict, rnd: random.Random) -> str:
    """One to three changes to a scenario's data in place; what they were, in words."""
    done = []
    for _ in range(rnd.choice([1, 1, 1, 2, 3])):
        op = rnd.randrange(10)
        if op <= 3:
            done.append(mutate_data(data, rnd, TOML_SPECIAL))
        elif op == 4:
            done.append(_op_unit_number(data, rnd, TOML_SPECIAL))
        elif op == 5:
            done.append(_op_dates(data, rnd))
        elif op == 6:
            done.append(rnd.choice([_op_stack, _op_place])(data, rnd))
        elif op == 7:
            done.append(_op_turns(data, rnd))
        elif op == 8:
            done.append(_op_self_event(data, rnd))
        else:
            done.append(_op_drop(data, rnd))
    return "; ".join(done)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((at, at + len(line)))
        at += len(line)
    return spans


def mutate_text(raw: bytes, rnd: random.Random) -> tuple[bytes, str]:
    """Byte- and line-level damage to a text file: flipped bytes, a cut, lines deleted or
    doubled, a key of 10,000 dots, 20,000 spaces in a string, a huge header, a BOM, CRLF."""
    text = raw.decode("utf-8", "replace")
    op = rnd.randrange(14)
    if op == 0:
        b = bytearray(raw)
        n = rnd.choice([1, 2, 5, 20])
        for _ in range(n):
            if b:
                b[rnd.randrange(len(b))] = rnd.randrange(256)
        return bytes(b), f"{n} byte(s) changed at random"
    if op == 1:
        cut = rnd.randrange(len(raw) + 1)
        return raw[:cut], f"cut after byte {cut} of {len(raw)}"
    spans = _line_spans(text)
    if op in (2, 3, 4) and spans:
        i = rnd.randrange(len(spans))
        a, b = spans[i]
        if op == 2:
            return (text[:a] + text[b:]).encode(), f"line {i + 1} deleted"
        if op == 3:
            return (text[:b] + text[a:b] + text[b:]).encode(), f"line {i + 1} doubled"
        j = rnd.randrange(len(spans))
        lines = text.splitlines(keepends=True)
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines).encode(), f"lines {i + 1} and {j + 1} swapped"
    if op == 5:
        n = rnd.choice([1000, 10_000])
        return (text + "\n" + "a." * n + "a = 1\n").encode(), f"a dotted key of {n + 1} parts"
    if op == 6:
        q = [m.start() for m in re.finditer('"', text)]
        at = rnd.choice(q) + 1 if q else 0
        n = rnd.choice([20_000, 200_000])
        return (text[:at] + " " * n + text[at:]).encode(), f"{n} spaces inside a string"
    if op == 7:
        n = rnd.choice([3000, 30_000])
        header = rnd.choice(["[" + "x." * n + "x]", "[[" + " " * n + "units]]",
                             "[" + " . ".join(["x"] * (n // 4)) + "]", "[" * n, "[ a" + " " * n])
        return (text + "\n" + header + "\n").encode(), f"a header of {len(header)} characters"
    if op == 8:
        at = rnd.randrange(len(raw) + 1)
        junk = rnd.choice([b"\xff\xfe", b"\x00", b"\x80", b"\xc3", b"\xed\xa0\x80", b"\r",
                           b"\x1b[31m", b"\"", b"'''", b"[", b"=", b"#"])
        return raw[:at] + junk + raw[at:], f"{junk!r} inserted at byte {at}"
    if op == 9:
        return b"\xef\xbb\xbf" + raw, "a byte-order mark at the start"
    if op == 10:
        return raw.replace(b"\n", b"\r\n"), "CRLF line ends"
    if op == 11:
        nums = list(re.finditer(r"(?<=[=\[, ])-?\d+(?=\s*[\],}\n#])", text))
        if nums:
            m = rnd.choice(nums)
            new = rnd.choice(["-0", "0", "1" + "0" * 4400, "1" + "0" * 400, "1e400", "nan",
                              "inf", "-1", "0.5", "0x10", "1_000", "01", "+7"])
            return (text[:m.start()] + new + text[m.end():]).encode(), \
                f"number {m.group()} on line {_line_at(text, m.start())} -> {_short(Raw(new))}"
        return raw, "no number"
    if op == 12:
        sections = [m.start() for m in re.finditer(r"(?m)^\[\[units\]\]", text)]
        if sections:
            a = rnd.choice(sections)
            end = text.find("\n[", a + 1)
            block = text[a:end if end > 0 else len(text)]
            n = rnd.choice([2, 50, 2000])
            return (text + "\n" + block * n).encode(), f"a unit's table repeated {n} times"
        return raw, "no units"
    at = rnd.randrange(len(text) + 1)
    depth = rnd.choice([33, 1000, 5000])
    return (text[:at] + "\nzz = " + "[" * depth + "\n" + text[at:]).encode(), \
        f"an array opened {depth} deep"


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def mutate_scenario(raw: bytes, rnd: random.Random) -> tuple[bytes, str]:
    """A mutated scenario file: its data changed and written again (three times in four), or
    its bytes and lines damaged."""
    import tomllib

    if rnd.random() < 0.25:
        return mutate_text(raw, rnd)
    data = tomllib.loads(raw.decode("utf-8"))
    what = mutate_scenario_data(data, rnd)
    return dump_toml(data).encode("utf-8"), what


# -- saves ----------------------------------------------------------------------------------------

def make_base_saves(directory: Path, turns: int = 2, scenarios=SAVE_SCENARIOS) -> list[Path]:
    """Saves of real games: each small scenario played ``turns`` turns, AI against AI with no
    clock (so the same saves every time), and saved as ``play`` saves it, players' part and
    all."""
    from game.session import AI, Seat, Session

    out = []
    directory.mkdir(parents=True, exist_ok=True)
    for k, name in enumerate(scenarios):
        session = Session.new(ROOT / name, seed=100 + k)
        for side in session.state.sides:
            session.seats[side] = Seat(AI, "normal")
        play_turns(session.game, session.game.setup, turns)
        out.append(session.save(directory / f"{Path(name).stem}.save"))
    return out


def _placeholders(doc, raws: dict, depth: int = 0):
    """The data with each Raw token swapped for a placeholder string put back after JSON."""
    if depth > 200:  # lists nested hundreds deep, as they are
        return doc
    if isinstance(doc, Raw):
        mark = f"\u0001RAW{len(raws)}\u0001"
        raws[json.dumps(mark)] = str(doc)
        return mark
    if isinstance(doc, dict):
        return {k: _placeholders(v, raws, depth + 1) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_placeholders(v, raws, depth + 1) for v in doc]
    return doc


def _save_paths(doc: dict, rnd: random.Random) -> list[tuple]:
    """Where to change a save: its state most often, then the journal, setup and the rest."""
    part = rnd.choices(["state", "journal", "setup", "top", "extra"], [40, 20, 20, 10, 10])[0]
    if part == "top":
        return [(k,) for k in doc]
    if part in doc and isinstance(doc[part], (dict, list)):
        return [(part,) + p for p in _paths(doc[part])] or [(part,)]
    return [(k,) for k in doc]


def _op_save_targeted(doc: dict, rnd: random.Random) -> str:
    choice = rnd.randrange(6)
    journal = doc.get("journal") if isinstance(doc.get("journal"), list) else []
    if choice == 0 and journal:
        e = rnd.choice(journal)
        if isinstance(e, dict):
            e["kind"] = rnd.choice([["move"], 1, None, "nuke", "", {"k": 1}, "end_turn"])
            return f"a journal entry's kind -> {_short(e['kind'])}"
    if choice == 1:
        moves = [e for e in journal if isinstance(e, dict) and isinstance(e.get("path"), list)]
        if moves:
            e = rnd.choice(moves)
            bad = rnd.choice([[Raw("Infinity"), 0], [Raw("NaN"), 1], [1e300, 2], [10**30, 0],
                              [0], [], "x", None, [1.5, 2.5]])
            e["path"].insert(rnd.randrange(len(e["path"]) + 1), bad)
            return f"a move's path holds {_short(bad)}"
    if choice == 2:
        doc["seed"] = rnd.choice([_digits(5000), _digits(400), -1, 2**64, 1.5, "7", None,
                                  Raw("NaN"), 10**30])
        return f"seed = {_short(doc['seed'])}"
    if choice == 3:
        extra = doc.setdefault("extra", {})
        session = extra.setdefault("session", {}) if isinstance(extra, dict) else {}
        if isinstance(session, dict):
            session["scenario_path"] = rnd.choice([
                str(ROOT / "scenarios/examples/tutorial.toml"), "/etc/hostname.toml",
                "../../../elsewhere/x.toml", str(ROOT / "pyproject.toml"), 7, ["a"], "",
                "2014-no-fly-zone", "campaign"])
            return f"extra.session.scenario_path = {_short(session['scenario_path'])}"
    if choice == 4:
        setup = doc.get("setup") if isinstance(doc.get("setup"), dict) else {}
        vic = setup.get("victory")
        tables = [v for v in vic if isinstance(v, dict) and v] if isinstance(vic, list) else []
        if tables:  # an earlier change may have emptied a condition or made it something else
            v = rnd.choice(tables)
            key = rnd.choice(sorted(v))
            v[key] = rnd.choice(["atlantis", [], 0, None, ["Mosul", "Nowhere"], 10**6])
            return f"setup victory {key} = {_short(v[key])}"
    state = doc.get("state") if isinstance(doc.get("state"), dict) else {}
    owners = state.get("city_owner")
    if isinstance(owners, dict) and owners:
        town = rnd.choice(sorted(owners))
        owners[town] = rnd.choice(["atlantis", None, 1, ""])
        return f"state.city_owner[{town!r}] = {_short(owners[town])}"
    return "nothing targeted"


def mutate_save(blob: bytes, rnd: random.Random) -> tuple[bytes, str]:
    """A mutated save file: its JSON changed, the state's checksum made again (as a tamperer
    would) three times in four; or the JSON text or the gzip bytes damaged."""
    from game.saves import save_digest
    from game.state import state_checksum

    roll = rnd.random()
    if roll < 0.1:  # the compressed bytes
        b = bytearray(blob)
        choice = rnd.randrange(4)
        if choice == 0:
            n = rnd.choice([1, 3, 10])
            for _ in range(n):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
            return bytes(b), f"{n} byte(s) of the gzip stream changed"
        if choice == 1:
            cut = rnd.randrange(len(b))
            return bytes(b[:cut]), f"cut after byte {cut} of {len(b)}"
        if choice == 2:
            return bytes(b) + bytes(rnd.randrange(256) for _ in range(20)), "junk after the end"
        return rnd.choice([b"", b"\x1f", b"\x1f\x8b", b"{}", gzip.compress(b"\xff\xfe"),
                           gzip.compress(b"[]"), gzip.compress(b"null")]), "a tiny file"
    text = gzip.decompress(blob)
    if roll < 0.2:  # the JSON text
        raw, what = mutate_text(text, rnd)
        return gzip.compress(raw, mtime=0), f"JSON text: {what}"
    doc = json.loads(text)
    done = []
    for _ in range(rnd.choice([1, 1, 2, 3])):
        if rnd.random() < 0.25:
            done.append(_op_save_targeted(doc, rnd))
        else:
            done.append(mutate_data(doc, rnd, JSON_SPECIAL, _save_paths(doc, rnd)))
    raws: dict = {}
    out = json.dumps(_placeholders(doc, raws), ensure_ascii=False, default=str)
    if rnd.random() < 0.75:
        try:
            plain = json.loads(out)
            plain["checksum"] = state_checksum(plain["state"])
            if "digest" in plain:  # the whole save's digest too, as a tamperer would
                plain["digest"] = save_digest(plain)
            out = json.dumps(plain, ensure_ascii=False)
            done.append("checksum and digest made again")
        except (TypeError, ValueError, KeyError, RecursionError):
            pass
    for mark, token in raws.items():
        out = out.replace(mark, token)
    return gzip.compress(out.encode("utf-8", "surrogatepass"), mtime=0), "; ".join(done)


# -- feeding files to the checker and the loader ---------------------------------------------------

OK, REFUSED, TRACEBACK = "valid", "refused", "traceback"


@dataclass
class Outcome:
    """What came of one input: ``status`` valid, refused or traceback; ``problems`` the
    refusal's lines; ``bad_lines`` lines of a refusal that break its promise (more than one
    line, not naming the file); ``where`` the innermost place in the game's code of a
    traceback; ``game``/``setup`` for a valid file, to play on."""

    status: str
    seconds: float = 0.0
    verify_seconds: float = 0.0
    steps: dict = field(default_factory=dict)  # seconds each step of loading took
    problems: list[str] = field(default_factory=list)
    bad_lines: list[str] = field(default_factory=list)
    no_line: list[str] = field(default_factory=list)
    error: str = ""
    where: str = ""
    trace: str = ""
    notes: list[str] = field(default_factory=list)
    game: object = None
    setup: dict | None = None


def where_in_game(exc: BaseException) -> str:
    """The innermost frame of a traceback inside the game's code: ``game/x.py:123 (function)``."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if "/game/" in f.filename.replace("\\", "/")]
    f = (mine or frames or [None])[-1]
    if f is None:
        return "?"
    name = f.filename.replace("\\", "/")
    name = name[name.rfind("/game/") + 1:] if "/game/" in name else Path(name).name
    return f"{name}:{f.lineno} ({f.name})"


def _crash(exc: BaseException, seconds: float) -> Outcome:
    return Outcome(TRACEBACK, seconds, error=f"{type(exc).__name__}: {str(exc)[:200]}",
                   where=where_in_game(exc),
                   trace="".join(traceback.format_exception(exc))[-4000:])


def _line_problems(lines: list[str], path: Path) -> tuple[list[str], list[str]]:
    bad = [ln for ln in lines if "\n" in ln or not ln.startswith(str(path)) or not ln.strip()]
    prefix = re.compile(re.escape(str(path)) + r":\d+:")
    no_line = [ln for ln in lines if not prefix.match(ln)]
    return bad, no_line


def check_scenario(path: Path, hexmap, rules) -> Outcome:
    """The file through ``load_scenario`` (the checker of ``validate``), and a valid one's
    setup through ``Game``: refused in lines, valid, or a traceback."""
    from game.commands import Game
    from game.scenario import ScenarioError, load_scenario

    t = time.perf_counter()
    try:
        sc = load_scenario(path, hexmap, rules)
    except ScenarioError as exc:
        lines = list(exc.problems)
        bad, no_line = _line_problems(lines, path)
        return Outcome(REFUSED, time.perf_counter() - t, problems=lines, bad_lines=bad,
                       no_line=no_line)
    except Exception as exc:  # noqa: BLE001 - what the fuzzer is for
        return _crash(exc, time.perf_counter() - t)
    try:
        game = Game(sc.setup, hexmap, rules, 1)
    except Exception as exc:  # noqa: BLE001
        out = _crash(exc, time.perf_counter() - t)
        out.notes.append("valid, but Game() cannot start it")
        return out
    return Outcome(OK, time.perf_counter() - t, game=game, setup=sc.setup)


def check_save(path: Path, hexmap, rules, verify: bool = True) -> Outcome:
    """The file through ``read_save`` and ``load_game`` (``replay``), ``Session.load``
    (``play --load``) and ``verify_save`` (``replay --verify``): refused in one line, loaded,
    or a traceback. A save that loads but whose replay is refused is noted. ``seconds`` is the
    time to read and load; ``verify_seconds`` that of playing the journal again, which grows
    with the game the save holds."""
    from game.saves import SaveError, load_game, read_save, verify_save
    from game.session import Session

    t = time.perf_counter()
    notes: list[str] = []
    outcome = Outcome(OK)
    try:
        steps = {}
        try:
            read_save(path)
            steps["read_save"] = time.perf_counter() - t
            game = load_game(path, hexmap, rules)
            steps["load_game"] = time.perf_counter() - t - steps["read_save"]
        except SaveError as exc:
            lines = [str(exc)]
            outcome = Outcome(REFUSED, problems=lines, bad_lines=_line_problems(lines, path)[0])
            game = None
        if game is not None:
            t1 = time.perf_counter()
            try:
                Session.load(path)
            except SaveError as exc:
                notes.append(f"loads, but play --load refuses it: {str(exc)[:160]}")
            steps["Session.load"] = time.perf_counter() - t1
    except Exception as exc:  # noqa: BLE001 - what the fuzzer is for
        return _crash(exc, time.perf_counter() - t)
    outcome.seconds = time.perf_counter() - t
    outcome.steps = steps
    if verify:
        t = time.perf_counter()
        try:
            ok, message = verify_save(path, hexmap, rules)
        except Exception as exc:  # noqa: BLE001
            out = _crash(exc, outcome.seconds)
            out.notes.append("in replay --verify")
            return out
        outcome.verify_seconds = time.perf_counter() - t
        if "\n" in message or (not ok and not message.startswith(str(path))):
            outcome.bad_lines.append(message)
        if game is not None and not ok:
            notes.append("loads, but replay --verify refuses it")
    outcome.notes += notes
    if game is not None:
        outcome.game, outcome.setup = game, game.setup
    return outcome


def books(state) -> dict:
    """The factions whose casualty books do not balance (see ``test_casualties.balance``)."""
    from test_casualties import balance

    try:
        return balance(state)
    except AssertionError as exc:
        return {"(negative)": str(exc)}


def play_turns(game, setup: dict, turns: int = 2) -> tuple[list[str], dict]:
    """Play the game on for ``turns`` turns, AI against AI on every side, as ``simulate`` does;
    returns the commands the AI saw refused and the unbalanced books. Exceptions propagate."""
    from game.ai import AIPlayer, play_turn

    victory = setup.get("victory", []) if isinstance(setup, dict) else []
    plans = setup.get("plans") if isinstance(setup, dict) else None
    players = {s: AIPlayer(s, game.hexmap, game.rules, victory, "normal", budget_s=None,
                           plans=plans) for s in game.state.sides}
    last = game.state.turn + turns - 1
    refused: list[str] = []
    while not game.state.over and game.state.turn <= last:
        refused += play_turn(game, players[game.state.active_side]).refused
    return refused, books(game.state)
