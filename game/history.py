"""The source's dated events set beside a game's: when each happened, and whether on time.

Engine layer, pure (no pygame). A scenario's ``[[history.events]]`` (checked by
``game.scenario``, kept as ``setup["history"]["events"]``) name what the source dates: a town
taken by a faction or side, or a scenario event fired. ``judge`` reads the game's timeline
(``GameState.timeline``) and says, for each, the date of the turn it first happened on (after
the history event it comes ``after``, if any) and whether that date lies in its window.
``historical`` is the measure ``simulate`` and the results screen use: the source's winner, and
every defining event on time. ``event_line`` says one judged event in words.
"""

from __future__ import annotations

import datetime as dt


def judge(setup: dict, state) -> list[dict]:
    """Each history event of the setup, in file order: ``{"id", "what", "source" (ISO date),
    "game" (ISO date of the turn it happened on, or None), "turn", "on_time", "defining",
    "window" ([from, to], ISO dates)}``."""
    events = (setup.get("history") or {}).get("events") or []
    timeline = list(getattr(state, "timeline", None) or [])
    holders = _holders_by_side(setup, timeline)
    found: dict[int, int | None] = {}  # history event's index -> timeline position, or None
    index = {e["id"]: i for i, e in enumerate(events) if e.get("id")}

    def position(i: int, seen: frozenset = frozenset()) -> int | None:
        if i in found:
            return found[i]
        e = events[i]
        start = 0
        if e.get("after"):
            j = index.get(e["after"])
            before = None if j is None or j in seen else position(j, seen | {i})
            if before is None:
                found[i] = None
                return None
            start = before + 1  # later in the timeline: the same turn or a later one
        found[i] = _first(e, timeline, holders, start)
        return found[i]

    rows = []
    for i, e in enumerate(events):
        at = position(i)
        turn = None if at is None else int(timeline[at][0])
        game = None if turn is None else turn_date(state, turn).isoformat()
        window = list(e["window"])
        rows.append(
            {
                "id": e.get("id"),
                "what": e["what"],
                "source": e["date"],
                "game": game,
                "turn": turn,
                "on_time": game is not None and window[0] <= game <= window[1],
                "defining": bool(e.get("defining", True)),
                "window": window,
            }
        )
    return rows


def historical(setup: dict, state, rows: list[dict] | None = None) -> bool:
    """True when the game is over with the source's winner (a draw if the source names none)
    and every defining history event happened within its window. ``rows``: the game's events
    as ``judge`` gave them already, if the caller has them."""
    if not state.over:
        return False
    if state.winner != (setup.get("history") or {}).get("winner"):
        return False
    if rows is None:
        rows = judge(setup, state)
    return all(row["on_time"] for row in rows if row["defining"])


def turn_date(state, turn: int) -> dt.date:
    """The date a turn starts on."""
    return state.start_date + dt.timedelta(days=(turn - 1) * state.turn_days)


def timing(row: dict) -> str:
    """ "on time", "early", "late" or "never" for a judged event."""
    if row["game"] is None:
        return "never"
    if row["game"] < row["window"][0]:
        return "early"
    if row["game"] > row["window"][1]:
        return "late"
    return "on time"


def date_words(iso: str, days: bool = True) -> str:
    """ "15 April 2017", or "April 2017" without the day."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}" if days else f"{d:%B %Y}"


def event_line(row: dict, days: bool = True) -> str:
    """A judged event in words: "Raqqa taken from the Islamic State: game 12 March 2016
    (early), source 15 April 2017", or "...: not in the game, source 15 April 2017"."""
    source = date_words(row["source"], days)
    if row["game"] is None:
        return f"{row['what']}: not in the game, source {source}"
    return f"{row['what']}: game {date_words(row['game'], days)} ({timing(row)}), source {source}"


# -- reading the timeline ----------------------------------------------------------------------


def _holders_by_side(setup: dict, timeline: list) -> list[tuple[str | None, str | None]]:
    """For each timeline entry, the sides of a town's new and old holders at that moment
    (None for other entries): a faction may change sides when an event fires."""
    sides = {f["id"]: f.get("side") for f in setup.get("factions", [])}
    changes = {
        e["id"]: [(a["faction"], a["side"]) for a in e.get("actions", []) if a.get("do") == "change_side"]
        for e in setup.get("events", [])
    }
    out: list[tuple[str | None, str | None]] = []
    for entry in timeline:
        if entry[1] == "event":
            for faction, side in changes.get(entry[2], []):
                sides[faction] = side
            out.append((None, None))
        elif entry[1] == "taken":
            out.append((sides.get(entry[3]), sides.get(entry[4])))
        else:
            out.append((None, None))
    return out


def _first(e: dict, timeline: list, holders: list, start: int) -> int | None:
    """The position of the first timeline entry from ``start`` on at which the event happens."""
    for k in range(start, len(timeline)):
        entry = timeline[k]
        if "event" in e:
            if entry[1] == "event" and entry[2] == e["event"]:
                return k
        elif entry[1] == "taken" and entry[2] == e["taken"]:
            by = e["by"]
            new_side, old_side = holders[k]
            # Passing between two factions of ``by`` (a hand-over within a side) is no taking.
            if (entry[3] == by or new_side == by) and not (entry[4] == by or old_side == by):
                return k
    return None


__all__ = ["judge", "historical", "event_line", "timing", "turn_date", "date_words"]
