"""simulate --compare: history and a switch turned from it, measured side by side."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pygame
import pytest

from game.cli import main
from game.compare import compare_lines, newcombe, t_quantile, welch, wilson
from game.ui.charts import compare_chart


def test_wilson_interval_on_known_shares():
    assert wilson(7, 10) == pytest.approx((0.3968, 0.8922), abs=1e-4)
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)


def test_newcombe_interval_of_a_difference_of_shares():
    # Newcombe (1998), his example: 56/70 against 48/80, a difference of 0.2.
    assert newcombe(48, 80, 56, 70) == pytest.approx((0.0524, 0.3339), abs=1e-4)
    low, high = newcombe(3, 10, 3, 10)
    assert low == pytest.approx(-high) and low < 0 < high


def test_t_quantiles_and_the_welch_interval_of_a_difference_of_means():
    assert t_quantile(0.975, 1) == pytest.approx(12.7062, abs=1e-4)
    assert t_quantile(0.975, 10) == pytest.approx(2.2281, abs=1e-4)
    assert t_quantile(0.975, 1e6) == pytest.approx(1.9600, abs=1e-4)
    assert t_quantile(0.025, 4) == pytest.approx(-2.7764, abs=1e-4)
    # Means 3 and 6, variances 2.5 and 10 over five values each: df 5.882, t 2.4588.
    d = welch([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
    assert d["difference"] == 3
    assert d["df"] == pytest.approx(5.8824, abs=1e-4)
    assert (d["low"], d["high"]) == pytest.approx((-0.8877, 6.8877), abs=1e-4)
    assert welch([5, 5], [7, 7]) == {"difference": 2, "low": 2, "high": 2, "df": None}
    assert welch([5], [7, 8])["low"] is None


@pytest.fixture(scope="module")
def compared():
    """One short comparison for the tests below (3 turns: Iraq turns on the coalition in the 2nd)."""
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(
            [
                "simulate",
                "2014-new-role",
                "--compare",
                "iraq-stays",
                "--runs",
                "2",
                "--turns",
                "3",
                "--json",
                "--seed",
                "5",
            ]
        )
    assert status == 0
    return json.loads(out.getvalue())


def test_the_comparison_plays_both_settings_on_the_same_seeds(compared):
    c = compared
    assert c["scenario"] == "2014-new-role" and c["switch"]["id"] == "iraq-stays"
    assert c["seeds"] == [5, 6] and c["runs"] == 2 and c["intervals"]
    history, switched = c["arms"]["history"], c["arms"]["switched"]
    assert history["options"] == {"iraq-stays": False} and switched["options"] == {"iraq-stays": True}
    assert [r["seed"] for r in history["runs"]] == [r["seed"] for r in switched["runs"]] == [5, 6]
    assert all(r["options"] == {"iraq-stays": True} for r in switched["runs"])
    assert {r["checksum"] for r in history["runs"]}.isdisjoint(r["checksum"] for r in switched["runs"])
    # Each side, then no winner; each share with its interval, each difference with its own.
    assert [w["side"] for w in c["wins"]] == ["jihadist", "baathist", "coalition", None]
    for w in c["wins"] + [c["historical"]]:
        for arm in ("history", "switched"):
            s = w[arm]
            assert s["runs"] == 2 and s["share"] == s["count"] / 2 and s["low"] <= s["share"] <= s["high"]
        assert w["difference"]["low"] <= w["difference"]["share"] <= w["difference"]["high"]
    # Iraq's turn happens in history and is not measured where the switch drops it.
    turn = next(e for e in c["events"] if e["id"] == "iraq-turns")
    assert turn["history"]["happened"] == 2 and turn["history"]["median"] == "2014-12-04"
    assert turn["switched"] is None
    losses = {x["id"]: x for x in c["losses"]}
    for key in (
        "military_killed",
        "wounded",
        "captured_or_deserted",
        "civilians",
        "aircraft_lost",
        "ships_lost",
    ):
        x = losses[key]
        a = [r["losses"][key] for r in history["runs"]]
        b = [r["losses"][key] for r in switched["runs"]]
        assert x["history"] == sum(a) / 2 and x["switched"] == sum(b) / 2
        assert x["difference"]["difference"] == pytest.approx(x["switched"] - x["history"])
    assert "killed:isis" in losses
    # The source's dead for the phase, as the ledger sets any game of it against them.
    table = _phase_figures("2014-new-role")
    assert losses["military_killed"]["source"] == pytest.approx(table.military.expected, abs=0.1)
    assert losses["civilians"]["source"] == pytest.approx(table.civilians.expected, abs=0.1)
    isis = next(r for r in table.categories if r.id == "isis")
    assert losses["killed:isis"]["source"] == pytest.approx(isis.expected, abs=0.1)
    assert losses["wounded"]["source"] is None and losses["aircraft_lost"]["source"] is None


def _phase_figures(scenario: str):
    from game.commands import Game
    from game.hexmap import default_map
    from game.ledger import phase_table
    from game.rules import default_rules
    from game.scenario import find_scenario, load_scenario

    sc = load_scenario(find_scenario(scenario), default_map(), default_rules())
    return phase_table(Game(sc.setup, default_map(), default_rules(), 1).state, sc.setup)


def test_the_comparison_in_words_and_as_a_chart(compared, tmp_path):
    text = compare_lines(compared, "The coalition's new role")
    assert "iraq-stays off (history)" in text and "iraq-stays on" in text
    assert "Iraq turns on the coalition" in text and "dropped by the switch" in text
    assert "Military killed" in text and "Wilson" in text and "Welch" in text
    # The losses have the source's figure beside the two arms ("-" where it gives none).
    head = next(line for line in text.splitlines() if line.startswith("Losses (mean per run)"))
    assert "source" in head
    military = next(line for line in text.splitlines() if line.strip().startswith("Military killed"))
    expected = f"{next(x for x in compared['losses'] if x['id'] == 'military_killed')['source']:,.0f}"
    assert expected in military
    wounded = next(line for line in text.splitlines() if line.strip().startswith("Wounded"))
    assert " - " in wounded
    path = tmp_path / "compare.png"
    compare_chart(compared, "The coalition's new role", path)
    assert pygame.image.load(str(path)).get_width() == 1200


def test_one_run_of_each_is_said_without_intervals(capsys):
    assert main(["simulate", "2014-new-role", "--compare", "iraq-stays", "--turns", "1"]) == 0
    out = capsys.readouterr().out
    assert "no intervals (they need --runs 2 or more)" in out and "Military killed" in out


def test_the_comparison_refuses_what_it_cannot_do(capsys):
    assert main(["simulate", "2014-new-role", "--compare", "nosuch", "--turns", "1"]) == 1
    err = capsys.readouterr().err.strip()
    assert "no switch 'nosuch'" in err and "iraq-stays" in err and "\n" not in err
    args = [
        "simulate",
        "2014-new-role",
        "--compare",
        "iraq-stays",
        "--option",
        "iraq-stays=on",
        "--turns",
        "1",
    ]
    assert main(args) == 2
    assert "leave out --option iraq-stays" in capsys.readouterr().err
    assert main(["simulate", "2014-new-role", "--compare", "iraq-stays", "--save", "x.save"]) == 2
    assert "--save goes without --compare" in capsys.readouterr().err
