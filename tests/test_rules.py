"""The ruleset files: every shipped file loads, and a broken one is reported clearly."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from game.hexmap import TERRAINS
from game.rules import RULES_DIR, RulesError, default_rules, load_rules, move_cost_table

REQUIRED_TYPES = {"infantry", "mechanized", "armour", "special_forces", "militia", "artillery",
                  "air_defence", "headquarters", "air_wing", "naval_group"}


def test_shipped_rules_load():
    rules = default_rules()
    assert REQUIRED_TYPES <= set(rules.unit_types)
    assert [t.id for t in rules.terrain] == list(TERRAINS)
    assert rules.unit_type("air_wing").equipment == ("combat aircraft", "other aircraft")
    assert rules.unit_type("naval_group").equipment == ("warships",)
    assert rules.unit_type("naval_group").enters == {"sea"}


def test_terrain_costs_make_sense():
    rules = default_rules()
    inf = move_cost_table(rules, rules.unit_type("infantry"))
    arm = move_cost_table(rules, rules.unit_type("armour"))
    t = {name: i for i, name in enumerate(TERRAINS)}
    assert inf[t["sea"]] == float("inf") and inf[t["lake"]] == float("inf")
    assert inf[t["desert"]] < inf[t["hills"]] < inf[t["mountains"]]
    assert arm[t["marsh"]] == float("inf")  # tanks bog down in the marshes
    assert arm[t["mountains"]] > inf[t["mountains"]]
    assert rules.terrain_named("urban").defence > rules.terrain_named("desert").defence
    assert rules.terrain_named("mountains").defence > rules.terrain_named("steppe").defence


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    for f in ("units.toml", "terrain.toml", "rules.toml", "combat.toml", "air.toml"):
        shutil.copy(RULES_DIR / f, tmp_path / f)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(RulesError) as exc:
        load_rules(directory)
    return exc.value.problems


def test_copy_loads(rules_copy):
    assert set(load_rules(rules_copy).unit_types) == set(default_rules().unit_types)


@pytest.mark.parametrize("file,old,new,expected", [
    ("units.toml", 'movement = 6\nmove_class = "foot"', 'movement = "six"\nmove_class = "foot"',
     "units.toml: [infantry.movement]: expected a number, got 'six'"),
    ("units.toml", 'category = "ground"', 'category = "space"',
     "units.toml: [infantry.category]: 'space' is not one of ground, air, naval"),
    ("units.toml", 'zoc = true', 'zoc = true\nspeed = 3',
     "units.toml: [infantry.speed]: unknown field"),
    ("units.toml", '"marsh", "desert"', '"swamp", "desert"',
     "units.toml: [infantry.enters]: unknown terrain 'swamp'"),
    ("units.toml", 'vision = 2\n', '',
     "units.toml: [infantry.vision]: missing"),
    ("terrain.toml", 'defence = 1.5', 'defence = 0',
     "terrain.toml: [marsh.defence]: must be at least 0.1"),
    ("terrain.toml", '[urban]', '[suburb]',
     "terrain.toml: [urban]: missing"),
    ("rules.toml", 'stack_limit = 3', 'stack_limit = 2.5',
     "rules.toml: [movement.stack_limit]: expected a whole number, got 2.5"),
    ("rules.toml", 'range = 14.0', 'range = ',
     "rules.toml: "),
])
def test_broken_rules_are_reported(rules_copy, file, old, new, expected):
    edit(rules_copy / file, old, new)
    problems = problems_of(rules_copy)
    assert any(p.startswith(expected) for p in problems), problems


def test_combat_and_air_figures_are_typed_and_frozen():
    rules = default_rules()
    assert rules.combat.outcome.rout_from == 4.5
    assert rules.combat.losses.terrain["urban"] == 1.3
    assert rules.combat.support.types == {"artillery": 1.0}
    assert rules.air.range.patrol_radius == 8 and isinstance(rules.air.range.patrol_radius, int)
    assert rules.air.strike.civilians_population == 1_000_000.0
    assert isinstance(rules.air.strike.civilians_population, float)  # written 1000000.0 or not
    assert set(rules.air.cover) == set(TERRAINS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.air.strike.lethality = 50.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        rules.combat.equipment["tanks"] = 1.0  # type: ignore[index]


# A wrong figure in combat.toml or air.toml is refused when the rules load, in one line.
@pytest.mark.parametrize("file,old,new,expected", [
    ("combat.toml", "rout_from = 4.5", "",
     "combat.toml: [outcome.rout_from]: missing"),
    ("combat.toml", "battle_days = 2.0", 'battle_days = "two"',
     "combat.toml: [battle_days]: expected a number, got 'two'"),
    ("combat.toml", "max_share = 0.25", "max_share = 1.5",
     "combat.toml: [losses.max_share]: must be at most 1, got 1.5"),
    ("combat.toml", "draws = 1000", "draws = 5",
     "combat.toml: [preview.draws]: must be at least 10, got 5"),
    ("combat.toml", "range = 2 ", "range = 2.5 ",
     "combat.toml: [support.range]: expected a whole number, got 2.5"),
    ("combat.toml", "entrenchment_lost = 2", "entrenchment_lost = 2\nwalls = 3",
     "combat.toml: [siege.walls]: unknown field; expected one of entrenchment_lost, morale"),
    ("combat.toml", "[preview]\ndraws = 1000", "",
     "combat.toml: [preview]: missing"),
    ("combat.toml", "[capture]", "[[capture]]",
     "combat.toml: [capture]: expected a table, got [{"),
    ("combat.toml", "artillery = 1.0", "catapult = 1.0",
     "combat.toml: [support.types.catapult]: unknown unit type; the types are infantry, "),
    ("combat.toml", "urban = 1.3", "suburb = 1.3",
     "combat.toml: [losses.terrain.suburb]: unknown terrain; the map's terrains are "),
    ("combat.toml", "rout_from = 4.5", "rout_from = 1.5",
     "combat.toml: [outcome.rout_from]: must be at least retreat_from (1.8), got 1.5"),
    ("air.toml", "kill_cap = 0.25\n", "",
     "air.toml: [air_defence.kill_cap]: missing"),
    ("air.toml", "lethality = 5.0", 'lethality = "high"',
     "air.toml: [strike.lethality]: expected a number, got 'high'"),
    ("air.toml", "crew_killed = 0.6", "crew_killed = -0.1",
     "air.toml: [air_defence.crew_killed]: must be at least 0, got -0.1"),
    ("air.toml", "patrol_radius = 8", "patrol_radius = 8.5",
     "air.toml: [range.patrol_radius]: expected a whole number, got 8.5"),
    ("air.toml", "urban = 0.4\n", "",
     "air.toml: [cover.urban]: missing: every terrain of the map needs one"),
    ("air.toml", "sweep = 1.0", "sweep = true",
     "air.toml: [air_combat.sweep]: expected a number, got True"),
])
def test_broken_combat_and_air_figures_are_refused_at_load(rules_copy, file, old, new, expected):
    edit(rules_copy / file, old, new)
    problems = problems_of(rules_copy)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_a_missing_warfare_file_is_named_once(rules_copy):
    (rules_copy / "combat.toml").unlink()
    assert problems_of(rules_copy) == ["combat.toml: file not found"]


def test_missing_file(rules_copy):
    (rules_copy / "terrain.toml").unlink()
    assert "terrain.toml: file not found" in problems_of(rules_copy)


def test_cross_check_costs(rules_copy):
    edit(rules_copy / "terrain.toml", "cost = { foot = 3, wheeled = 4, tracked = 5 }\ndefence = 1.5",
         "cost = { wheeled = 4, tracked = 5 }\ndefence = 1.5")
    problems = problems_of(rules_copy)
    assert any("[infantry.enters]: marsh has no cost for foot movement" in p for p in problems)
