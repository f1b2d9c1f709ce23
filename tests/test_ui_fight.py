"""What a fight does to units, as the battle screen shows it: a counter's bar greys the people
put out of the fight, the unit panel counts one's own fit, wounded, shaken and dead (and of an
enemy only what can be seen), the odds sheet gives the session's spreads of people out of the
fight, and what came of a fight floats up as people out of it. Driven through the window's own
input."""

from types import SimpleNamespace

import pygame

from game.hexgrid import Hex
from game.session import Seat
from game.ui.battle_ai import Effects
from game.ui.battle_text import _round, info_rows, preview_rows
from game.ui.counters import BAR_UNFIT, counter_layout
from test_ui_battle import (  # noqa: F401
    _attack_pair, _click, _key, _look_at, _play_ai_until, _select, app)
from test_ui_play import _battle


def _aim(app, scene, uid, target):
    """Select ``uid`` and click ``target``: the odds sheet comes up."""
    _select(app, scene, uid)
    _look_at(app, scene, target)
    app.step(_click(scene.screen_pos(target)), dt=0.016)
    app.step([], dt=0.016)


def _attack(app, scene, session, side="jihadist"):
    """An attack made as a player makes it: select, click the enemy, Enter. Returns the
    attacker's id, the target and the numbers that floated up from each hex."""
    uid, target = _attack_pair(session, side)
    _aim(app, scene, uid, target)
    assert scene.preview is not None and not scene.preview.problems
    n = len(session.game.journal)
    app.step([_key(pygame.K_RETURN)], dt=0.016)
    assert len(session.game.journal) == n + 1 and session.game.journal[-1]["kind"] == "attack"
    floats = {e.hex: e.text for e in scene.effects.items if e.kind == "float"}
    for _ in range(60):  # the fight's effects play out
        app.step([], dt=0.05)
    return uid, target, floats


def _bar_pixels(scene, unit, size=64) -> tuple[int, int]:
    """(lit, greyed) pixels along the middle row of the unit's strength bar, as the map draws
    its counter."""
    status = scene.layers.status(unit, scene.orders.my_turn())
    surf = scene.art.unit_counter(unit, scene.viewer, size, status=status)
    bar = counter_layout(size).bar
    row = [tuple(surf.get_at((x, bar.centery)))[:3] for x in range(bar.left, bar.right)]
    trough = (16, 16, 18)
    lit = sum(p not in (trough, BAR_UNFIT) for p in row)
    return lit, sum(p == BAR_UNFIT for p in row)


def test_an_attack_greys_part_of_the_attackers_bar_and_keeps_its_length(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    uid, target = _attack_pair(session, "jihadist")
    before = scene.known.unit(uid)
    assert before.wounded == before.shaken == 0 and before.personnel == before.strength
    lit_before, grey_before = _bar_pixels(scene, before)
    assert grey_before == 0 and lit_before > 40
    full = scene.full_strength(before)
    _, _, floats = _attack(app, scene, session)
    after = scene.known.unit(uid)
    assert after is not None, "the attacker survived its attack"
    # The engine put some out of the fight, wounded or shaken, who are still in the unit; the
    # number that rose from its hex counted them all, the dead with them.
    assert after.wounded + after.shaken > 0 and after.strength > after.personnel
    assert floats[after.hex] == f"\u2212{after.killed + after.wounded + after.shaken:,}"
    status = scene.layers.status(after, True)
    assert status.fit is not None and abs(status.fit - after.personnel / after.strength) < 1e-9
    # The bar measures the whole strength against the most the unit had: the shaken and the
    # wounded do not shorten it (only the dead do), they grey part of it.
    assert scene.full_strength(after) == full
    assert abs(status.strength - after.strength / full) < 1e-9
    lit, grey = _bar_pixels(scene, after)
    assert grey >= 1 and lit < lit_before
    assert lit + grey >= round(lit_before * after.strength / full) - 1
    # The game opened again on another screen, which first sees the unit shaken: its bar is
    # as long as its whole strength, greyed in part, not shortened to those fit.
    from game.ui.battle import BattleScene

    app.pop()
    again = BattleScene(app, session)
    app.push(again)
    app.step([], dt=0.016)
    assert again.full_strength(again.known.unit(uid)) == after.strength
    status = again.layers.status(again.known.unit(uid), True)
    assert status.strength == 1.0 and status.fit < 1.0


def test_the_unit_panel_counts_ones_own_people_and_only_guesses_at_an_enemys(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    uid, target, _ = _attack(app, scene, session)
    if scene.selected != uid:
        _select(app, scene, uid)
    app.step([], dt=0.016)
    u = scene.known.unit(uid)
    assert u.wounded and u.shaken and u.killed, "the fight hurt the attacker every way"
    text = "\n".join(t for t, _, _ in info_rows(scene))
    assert f"Fit to fight: {u.personnel:,} of {u.strength:,}" in text
    assert f"Out of the fight: {u.wounded:,} wounded, {u.shaken:,} shaken" in text
    assert f"Killed so far: {u.killed:,}" in text
    # Nothing selected, the pointer on the enemy's hex: what is seen of it, rounded, and no
    # count of its wounded, shaken or dead.
    app.step(_click(scene.screen_pos(u.hex), button=3), dt=0.016)
    app.step(_click(scene.screen_pos(u.hex), button=3), dt=0.016)
    assert scene.selected is None
    _look_at(app, scene, target)
    pos = scene.screen_pos(target)
    app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))],
             dt=0.016)
    assert scene.hover == target
    rows = [t for t, _, _ in info_rows(scene)]
    enemies = [v for v in scene.stacks[target] if not v.own]
    assert enemies and all(v.wounded is None and v.killed is None for v in enemies)
    for v in enemies:
        line = next(t for t in rows if t.startswith(f"{v.name}:"))
        assert f"~{v.personnel:,}" in line and v.personnel % 100 == 0
        if v.strength > v.personnel:
            assert f"~{v.personnel:,} fit of ~{v.strength:,}" in line
    joined = " ".join(rows).lower()
    assert "wounded" not in joined and "shaken" not in joined and "killed" not in joined


def test_the_odds_sheet_gives_the_sessions_spreads_of_people_out_of_the_fight(app):
    session, scene = _battle(app, {"jihadist": Seat("human")}, seed=3)
    uid, target = _attack_pair(session, "jihadist")
    _aim(app, scene, uid, target)
    p = session.preview("jihadist", [uid], target)
    assert p.attacker_loss.mean > p.attacker_killed.mean > 0  # the wounded and shaken too
    rows = [t for t, _, _ in preview_rows(scene)]
    assert "Out of the fight (killed, wounded or shaken):" in rows
    for whose, out, killed in (("Yours", p.attacker_loss, p.attacker_killed),
                               ("Theirs", p.defender_loss, p.defender_killed)):
        want = (f"{whose} ~{_round(out.mean)} ({_round(out.p10)}-{_round(out.p90)}), "
                f"of them ~{_round(killed.mean)} killed")
        assert want in rows, (want, rows)
    # The chance of each outcome, as before.
    assert any("thrown back" in t and "%" in t for t in rows)
    assert not any(t.startswith("Held includes") for t in rows) or p.stood > 0


def test_the_odds_sheet_says_a_garrison_may_hold_on_and_lose_its_works(app):
    """Douma, dug in and with a way back, attacked by the four units of the Ba'athists round
    it: some of the rolls where it would have fallen back, it holds on, its works battered."""
    session, scene = _battle(app, {"baathist": Seat("human")}, seed=1)
    _play_ai_until(app, scene, "baathist", 1)  # the jihadists move first
    st = session.game.state
    target = Hex(-10, 53)
    near = [u.id for u in st.units_of_side("baathist")
            if session.game.rules.unit_type(u.type).is_ground and u.hex.distance(target) == 1
            and st.at_war_with(u.faction, st.units_at(target)[0].faction)]
    assert len(near) >= 3
    _aim(app, scene, near[0], target)
    for uid in near[1:]:
        app.step(_click(scene.screen_pos(st.units[uid].hex), mod=pygame.KMOD_SHIFT), dt=0.016)
    app.step([], dt=0.016)
    assert sorted(scene.orders.attackers) == sorted(near)
    p = session.preview("baathist", scene.orders.attackers, target)
    assert p.stands and p.stood > 0.05
    rows = [t for t, _, _ in preview_rows(scene)]
    assert f"Held includes {p.stood:.0%} where they hold on but their works are battered." \
        in rows
    assert any(t.startswith("Dug in in a town with a way back") for t in rows)


def _event(kind, data):
    return SimpleNamespace(kind=kind, data=data, text="")


def test_what_floats_up_from_a_fight_is_the_people_out_of_it():
    """An attack's and a strike's numbers on the map count everyone they put out of the fight,
    the killed, wounded and shaken, not the dead alone (the log line splits them)."""
    a, t = Hex(3, 4), Hex(4, 4)
    units = {"a1": SimpleNamespace(id="a1", hex=a)}
    fx = Effects()
    fx.add_events([_event("attack", {
        "target": [t.q, t.r], "attackers": ["a1"], "outcome": "held", "stood": True,
        "attacker_loss": 25, "defender_loss": 40,
        "attacker_out": [25, 75, 440], "defender_out": [40, 120, 1080]})],
        units, speed="normal", own=True, sees=lambda h: True)
    floats = {e.hex: e.text for e in fx.items if e.kind == "float"}
    assert floats == {t: "\u22121,240", a: "\u2212540"}
    assert any(e.kind == "marker" and e.text == "Held on, works battered" for e in fx.items)
    fx = Effects()
    fx.add_events([_event("air_mission", {
        "hex": [t.q, t.r], "mission": "strike", "killed": 12, "wounded": 36, "shaken": 300,
        "out_of_fight": 348})], {}, speed="normal", own=True, sees=lambda h: True)
    assert [e.text for e in fx.items if e.kind == "float"] == ["\u2212348"]
