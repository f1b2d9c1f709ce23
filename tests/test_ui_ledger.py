"""The casualty ledger in the window and on the results screen: besides the killed set against
the source, each faction's people out of the fight (killed, wounded and how many came back,
shaken and how many rallied, captured, deserted), only one's own while the game is on and
every faction's at its end. Driven headless after a few turns of the computer's play, so that
there are real wounded and shaken."""

import pygame
import pytest

from game.session import Seat, Session

SCENARIO = "2014-isis-offensive"
SIDE = "jihadist"


def _key(k):
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)


@pytest.fixture(scope="module")
def fought():
    """A game some turns on, the jihadists to move: every side has fought, its people
    killed, wounded and shaken, some of them back in the fight."""
    session = Session.new(SCENARIO, {SIDE: Seat("human")}, seed=3)
    session.seats[SIDE] = Seat("ai")
    for _ in range(4):
        session.play_ai_side()
    while session.game.state.active_side != SIDE:
        session.play_ai_side()
    session.seats[SIDE] = Seat("human")
    return session


def _window(size, home):
    from game.ui.scene import App
    from game.ui.settings import Settings

    settings = Settings()
    settings.ai_speed = "skip"
    settings.edge_pan = False
    return App(size=size, settings=settings)


def _figures(f) -> list[str]:
    """A faction's line of the table as the ledger has it, a dash for none."""
    m, c = f.manpower, f.by_cause
    return [f"{n:,}" if n else "\u2013" for n in (
        f.killed, m.get("wounded", 0), m.get("returned", 0), m.get("shaken", 0),
        m.get("rallied", 0), c.get("captured", 0), c.get("deserted", 0))]


def _line_of(drawn: list[str], name: str) -> list[str]:
    """The seven figures drawn after the faction's name (whole, or cut short with "...")."""
    for i, text in enumerate(drawn):
        if text == name or (text.endswith("\u2026") and name.startswith(text[:-1].rstrip())
                            and len(text) > 4):
            return drawn[i + 1:i + 8]
    raise AssertionError(f"{name} is not in the table: {drawn}")


def _battle(app, session):
    from game.ui.battle import BattleScene

    scene = BattleScene(app, session)
    app.push(scene)
    app.step([], dt=0.016)
    while scene.messages:
        app.step([_key(pygame.K_RETURN)], dt=0.016)
    return scene


def _redraw_ledger(scene, drawn):
    scene.panels.ledger.key = None
    drawn.clear()
    scene.panels.draw_ledger(scene.app.screen)


def test_the_ledger_in_play_gives_the_sides_own_factions_out_of_the_fight(fought, home,
                                                                           recorded):
    session = fought
    st = session.game.state
    everyone = session.ledger().ledger.factions
    own = session.ledger(SIDE).ledger.factions
    # The session's ledger for a side in play holds its own factions alone, their books whole.
    assert own and all(f.side == SIDE for f in own.values())
    for fid, f in own.items():
        whole = everyone[fid]
        assert (f.killed, f.by_cause, f.manpower, f.now) == \
            (whole.killed, whole.by_cause, whole.manpower, whole.now)
    assert sum(f.manpower.get("wounded", 0) for f in own.values()) > 0
    assert sum(f.manpower.get("shaken", 0) for f in own.values()) > 0
    enemy = [f for f in everyone.values() if f.side != SIDE
             and (f.killed or f.manpower.get("wounded") or f.manpower.get("shaken"))]
    assert enemy, "the enemy has had people out of the fight too"

    app = _window((1280, 800), home)
    try:
        scene = _battle(app, session)
        app.step([_key(pygame.K_l)], dt=0.016)
        assert scene.show_ledger
        _redraw_ledger(scene, recorded)
        assert "table" in scene.panels.ledger_shown
        assert "Out of the fight, by faction: yours" in recorded
        fielded = [f for f in own.values() if f.total or sum(f.now.values())]
        assert {r.faction for r in scene.panels.ledger_people} == {f.id for f in fielded}
        for f in fielded:
            assert _line_of(recorded, f.name) == _figures(f), f.name
        for f in enemy:
            assert f.name not in recorded, f"{f.name}'s losses are the enemy's secret"
        # Its side's total heads its factions' lines.
        total = [sum(f.killed for f in own.values())]
        assert _line_of(recorded, st.side_names[SIDE])[0] == f"{total[0]:,}"
    finally:
        app.close()


def test_the_results_give_every_faction_out_of_the_fight(fought, home, recorded):
    from game.ui.results import ResultsScene

    session = fought
    st = session.game.state
    was = (st.over, st.winner, st.result)
    app = _window((1280, 800), home)
    try:
        scene = _battle(app, session)
        st.over, st.winner, st.result = True, SIDE, "Jihadists win"
        for _ in range(3):
            app.step([], dt=0.016)
        results = app.top
        assert isinstance(results, ResultsScene)
        if results.arrangement == "page":  # no room for both: the button turns to the table
            assert "table" not in results.shown()
            results.on_button(results.page_button)
            assert results.page_button.text == "Killed beside the source"
        assert "table" in results.shown()
        recorded.clear()
        results._table = None
        app.step([], dt=0.016)
        everyone = session.ledger().ledger.factions.values()
        hit = [f for f in everyone if f.total or f.manpower.get("wounded")
               or f.manpower.get("shaken")]
        assert {f.side for f in hit} == set(st.sides), "every side has had people hit"
        for f in hit:
            assert _line_of(recorded, f.name) == _figures(f), f.name
        for f in everyone:
            if f not in hit:
                assert f.name not in recorded, f"{f.name} lost no one and takes no line"
        assert scene is app.below(results)
    finally:
        st.over, st.winner, st.result = was
        app.close()


def test_at_the_smallest_window_chart_and_table_take_a_page_each(fought, home):
    """At 960 x 600, every side's figures at the end do not fit one above the other on the
    map: Tab turns from the chart to the table and back, and selects no unit meanwhile."""
    session = fought
    st = session.game.state
    was = (st.over, st.winner, st.result)
    app = _window((960, 600), home)
    try:
        scene = _battle(app, session)
        app.step([_key(pygame.K_l)], dt=0.016)
        assert scene.panels.ledger_shown == ("chart", "table"), "one's own side fits on one page"
        app.step([_key(pygame.K_l)], dt=0.016)
        # The game ends; "View final map" leads back to the battle, where every side's
        # figures are in the ledger.
        st.over, st.winner, st.result = True, SIDE, "Jihadists win"
        for _ in range(3):
            app.step([], dt=0.016)
        app.top.on_button(app.top.map_button)
        app.step([], dt=0.016)
        assert app.top is scene
        app.step([_key(pygame.K_l)], dt=0.016)
        assert scene.show_ledger
        assert scene.panels.ledger_shown == ("chart",)
        assert {r.side for r in scene.panels.ledger_people} == set(st.sides)
        selected = scene.selected
        app.step([_key(pygame.K_TAB)], dt=0.016)
        assert scene.panels.ledger_shown == ("table",)
        assert scene.selected == selected and scene.show_ledger
        app.step([_key(pygame.K_TAB)], dt=0.016)
        assert scene.panels.ledger_shown == ("chart",)
    finally:
        st.over, st.winner, st.result = was
        app.close()


def test_the_ledger_of_a_what_if_says_it_is_not_history(home, recorded):
    """Beside the source's figures, which are history's, a game with a switch turned from
    history says so, and names the switch."""
    from game.session import Session

    app = _window((1400, 900), home)
    try:
        scene = _battle(app, Session.new("2014-new-role", options={"iraq-stays": True}, seed=3))
        app.step([_key(pygame.K_l)], dt=0.016)
        _redraw_ledger(scene, recorded)
        assert any(t.startswith("what-if: Iraq stays with the coalition, not history") for t in recorded)
        # History's setting on the game's seed is being played beside it, and the ledger says so.
        job = scene.session.history_reference()
        assert job is not None and job.running
        assert any("history's setting being played" in t for t in recorded)
        job.cancel()
        history = _battle(app, Session.new("2014-new-role", seed=3))
        app.step([_key(pygame.K_l)], dt=0.016)
        _redraw_ledger(history, recorded)
        assert not any("what-if" in t for t in recorded)
    finally:
        pygame.quit()


def test_a_what_if_sets_its_losses_beside_history_on_the_same_seed(home, recorded):
    """Once history's setting has been played on the game's seed, the ledger draws its killed as
    a third bar beside the game's and the source's, and the results say the two in words."""
    from game.commands import EndTurn
    from game.reference import keep, play_reference, reference_key
    from game.scenario import find_scenario
    from game.session import Session
    from game.ui.results import ResultsScene, casualty_rows

    path = find_scenario("2014-new-role")
    session = Session.new("2014-new-role", options={"iraq-stays": True}, seed=9207)
    levels = {side: seat.difficulty for side, seat in session.seats.items()}
    ref = play_reference(path, 9207, turns=2)
    keep(reference_key(path, 9207, levels), ref, home / "history-runs")
    while session.state.turn < 3:  # two turns of nothing but the war's own events
        session.execute(EndTurn(session.state.active_side))
    rows, _ = casualty_rows(session)
    snap = ref.at(session.state.turn)
    assert snap.turn == 3 and all(len(r) == 6 for r in rows)
    civilians = next(r for r in rows if r[0] == "Civilians")
    assert civilians[5] == snap.civilians
    app = _window((1400, 900), home)
    try:
        scene = _battle(app, session)
        app.step([_key(pygame.K_l)], dt=0.016)
        _redraw_ledger(scene, recorded)
        assert "history's setting, same seed" in recorded
        assert not any("history's setting being played" in t for t in recorded)
        said = [t for t, _ in ResultsScene(app, session).lines()]
        beside = next(t for t in said if t.startswith("Beside history's setting"))
        assert f"by turn 3: {session.ledger().military.game:,} military killed here against " \
            f"{snap.military:,}" in beside
    finally:
        pygame.quit()
