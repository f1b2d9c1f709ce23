"""The engine's imports run one way, down the floors of docs/architecture.md.

A newcomer reads the engine from the ground up: the map, then the ruleset and the scenario
format, the state, the orders' vocabulary, the rules, the commands, the computer players, the
session, and the clients last. These tests read every module's imports (without running them)
and fail on an import cycle, on a module importing a floor above its own, and on an import
hidden inside a function without a comment saying which optional dependency it keeps out.

The window's modules (``game.ui``, the clients' floor) are read too. Their one navigator makes
every scene, so the scenes that ask it for others are imported by it inside its functions,
each saying so: those imports close circles on purpose, and the window's modules must have
no cycle among their top-level imports, nor an import of each other inside a function that
closes none.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "game"

# Lowest first. A module may import its own floor and those below it, never one above.
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    ("ground", ("game", "game.hexgrid", "game.geo", "game.hexmap")),
    ("data", ("game.rules", "game.movement", "game.zones", "game.scenario", "game.ledger")),
    ("state", ("game.state",)),
    ("orders", ("game.orders",)),
    ("rules", ("game.visibility", "game.supply", "game.air", "game.combat", "game.turns",
               "game.events", "game.victory", "game.history")),
    ("commands", ("game.commands", "game.saves")),
    ("players", ("game.ai",)),
    ("session", ("game.session", "game.reference", "game.pbem", "game.editor")),
    ("clients", ("game.simulate", "game.study", "game.study_report", "game.bench", "game.cli",
                 "game.__main__", "game.ui")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def engine_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
            if "ui" not in p.relative_to(PACKAGE).parts}


def ui_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((PACKAGE / "ui").glob("*.py"))}


def floor_of(module: str) -> int:
    best, level = -1, None
    for i, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), i
    assert level is not None, f"{module} is on no floor: add it to FLOORS and the architecture page"
    return level


def _targets(module: str, node: ast.Import | ast.ImportFrom, is_package: bool,
             known: set[str]) -> list[str]:
    """The game modules an import statement loads (a name imported from a package counts as
    its submodule when there is one)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".")
            base = base[:len(base) - node.level + (1 if is_package else 0)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix
                 for a in node.names]
    out = []
    for name in names:
        while name and name not in known and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in known and name != module:
            out.append(name)
    return out


def read_imports(mods: dict[str, Path] | None = None, *,
                 top_level_only: bool = False) -> tuple[dict[str, set[str]], list[str]]:
    """Each module's imports of other game modules (the engine's modules by default, where
    ``game.ui`` counts as one; with ``top_level_only`` the imports inside functions are left
    out of the graph), and the imports inside functions that carry no comment (as
    "FILE:LINE: import")."""
    engine = engine_modules()
    mods = engine if mods is None else mods
    known = set(engine) | set(mods) | {"game.ui"}
    graph: dict[str, set[str]] = {m: set() for m in mods}
    hidden = []
    for name, path in mods.items():
        text = path.read_text()
        lines = text.splitlines()
        tree = ast.parse(text)
        inside: set[int] = set()
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inside |= {id(n) for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            if not (top_level_only and id(node) in inside):
                graph[name] |= set(_targets(name, node, path.name == "__init__.py", known))
            if id(node) in inside:
                said = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
                if not said:
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return graph, hidden


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_among_the_engine_modules():
    graph, _ = read_imports()
    assert cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle_among_the_window_modules_top_level_imports():
    graph, _ = read_imports(ui_modules(), top_level_only=True)
    assert cycles(graph) == []


def test_the_window_modules_import_each_other_inside_a_function_only_to_close_a_circle():
    ui = ui_modules()
    top, _ = read_imports(ui, top_level_only=True)
    every, _ = read_imports(ui)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            m = todo.pop()
            if m == goal:
                return True
            if m not in seen:
                seen.add(m)
                todo += top.get(m, ())
        return False

    needless = [f"{m} -> {t}" for m in sorted(ui) for t in sorted(every[m] - top[m])
                if t in ui and not reaches(t, m)]
    assert needless == []


def test_no_module_imports_a_floor_above_its_own():
    graph, _ = read_imports()
    graph.update(read_imports(ui_modules())[0])
    upward = [f"{m} ({FLOORS[floor_of(m)][0]}) imports {t} ({FLOORS[floor_of(t)][0]})"
              for m, targets in sorted(graph.items()) for t in sorted(targets)
              if floor_of(t) > floor_of(m)]
    assert upward == []


def test_imports_inside_functions_say_why():
    _, hidden = read_imports()
    _, hidden_in_ui = read_imports(ui_modules())
    assert hidden + hidden_in_ui == []

