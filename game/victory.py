"""Victory conditions: who has won, and why.

Engine layer, pure. ``take`` and ``destroy`` conditions end the game the moment they are met;
``hold`` and ``survive`` are judged when the last turn ends. When more than one side has met a
condition at the end, the side holding more of the towns that the other sides' conditions name
wins (it has taken what they wanted); if that is level, the condition written first. With nothing met at the
end, the game is a draw.
"""

from __future__ import annotations

from game.orders import PUBLIC, Event


def _held(state, side: str, cities: list[str]) -> int:
    n = 0
    for c in cities:
        owner = state.city_owner.get(c)
        if owner is not None and state.factions[owner].side == side:
            n += 1
    return n


def _met(state, cond: dict, final: bool) -> bool:
    kind = cond["kind"]
    side = cond["side"]
    if kind == "take":
        return _held(state, side, cond["cities"]) >= cond["count"]
    if kind == "destroy":
        return not any(u.faction in cond["factions"] for u in state.units.values())
    if not final:
        return False
    if kind == "hold":
        return _held(state, side, cond["cities"]) >= cond["count"]
    if kind == "survive":
        return any(state.factions[u.faction].side == side for u in state.units.values())
    return False


def standing(state, setup: dict, side: str) -> int:
    """How a side stands, for breaking ties: how many of the towns named by other sides' victory
    conditions (and not by its own) it holds."""
    own_towns = {
        c for cond in setup.get("victory", []) if cond["side"] == side for c in cond.get("cities", [])
    }
    towns = list(
        dict.fromkeys(
            c
            for cond in setup.get("victory", [])
            if cond["side"] != side
            for c in cond.get("cities", [])
            if c not in own_towns
        )
    )
    return _held(state, side, towns)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def condition_text(cond: dict) -> str:
    """What a take or hold condition asks, in words, from its towns and count ("Take Mosul",
    "Hold 2 of Mosul, Tikrit and Erbil to the end"): the text the editor writes for it."""
    towns = [str(c) for c in cond.get("cities", [])]
    if cond.get("kind") not in ("take", "hold") or not towns:
        return ""
    count = cond.get("count")
    some = f"{count} of " if isinstance(count, int) and 0 < count < len(towns) else ""
    return (
        f"Take {some}{_listed(towns)}"
        if cond["kind"] == "take"
        else f"Hold {some}{_listed(towns)} to the end"
    )


def describe(state, cond: dict, names) -> str:
    """The condition in words, with how far the side has got."""
    if cond.get("text"):
        head = cond["text"]
    else:
        head = {
            "take": "Take",
            "hold": "Hold at the end",
            "destroy": "Destroy",
            "survive": "Survive to the end",
        }[cond["kind"]]
    if cond["kind"] in ("take", "hold"):
        held, count, named = _held(state, cond["side"], cond["cities"]), cond["count"], len(cond["cities"])
        if count < named:
            return f"{head} ({held} of {named} towns held, {count} needed)"
        return f"{head} ({held} of {count} towns)"
    return head


def _achieved(state, cond: dict) -> str:
    """What the side did, in words, for a condition its author gave no text."""
    if cond["kind"] == "destroy":
        names = [state.factions[f].name for f in cond["factions"]]
        return f"{_listed(names)} destroyed"
    return {
        "take": "they took the towns they fought for",
        "hold": "they held their towns to the end",
        "survive": "they survived to the end",
    }.get(cond["kind"], "their conditions met")


def check_victory(state, setup: dict, final: bool = False) -> list:
    """End the game if a side has won; returns the events that say so."""
    if state.winner is not None or (state.over and state.result):
        return []
    met = [c for c in setup.get("victory", []) if _met(state, c, final)]
    if met:
        cond = met[0]
        if len({c["side"] for c in met}) > 1:
            order = {id(c): i for i, c in enumerate(met)}
            cond = max(met, key=lambda c: (standing(state, setup, c["side"]), -order[id(c)]))
        state.over = True
        state.winner = cond["side"]
        name = state.side_names.get(cond["side"], cond["side"])
        state.result = f"{name} win: {cond.get('text') or _achieved(state, cond)}"
        if len({c["side"] for c in met}) > 1:
            others = ", ".join(
                state.side_names.get(s, s) for s in dict.fromkeys(c["side"] for c in met) if s != cond["side"]
            )
            held = standing(state, setup, cond["side"])
            state.result += (
                f" (also met by {others}; {name} hold {held} of the towns the others want)"
                if held
                else f" (also met by {others}; the condition written first wins)"
            )
        state.log.append(f"Turn {state.turn}: {state.result}")
        return [Event("game_over", state.result, {"winner": cond["side"]}, reveals=True, news=PUBLIC)]
    if final:
        state.over = True
        state.result = "Draw: no side met its conditions"
        return [Event("game_over", state.result, {"winner": None}, reveals=True, news=PUBLIC)]
    return []
