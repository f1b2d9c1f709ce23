"""The README's two set-up commands stay true, and CI runs the test one."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def code_lines(text: str) -> list[str]:
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


def test_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = code_lines(setup)
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert commands[0] == venv + "pip install -e . && mesopotamia play"
    assert commands[1] == venv + "pip install -e '.[test]' && pytest"
    assert commands[2:] == []


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci/run").read_text().splitlines()
    assert ("python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && pytest"
            in [line.strip() for line in ci])
