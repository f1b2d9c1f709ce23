"""Find the line of a field in a TOML file, so problems can name the place an author sees.

Engine layer. ``tomllib`` gives values without positions; this scanner follows the headers
(``[table]``, ``[[array]]``) and ``key =`` lines of the text and maps field paths such as
``units[3].type`` to line numbers. Inline tables and arrays are not entered: a path inside one
maps to the line of the key that holds it, which is where the author looks anyway.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*(?:\.\s*[A-Za-z0-9_\-]+\s*)*=")


def _clean(key: str) -> str:
    return key.strip().strip("\"'")


class Locator:
    def __init__(self, text: str):
        self.lines: dict[str, int] = {}
        counts: dict[str, int] = {}
        prefix = ""
        for n, line in enumerate(text.splitlines(), start=1):
            m = _HEADER.match(line)
            if m and not _KEY.match(line):
                name = ".".join(_clean(p) for p in m.group(2).split("."))
                if m.group(1) == "[[":
                    i = counts.get(name, 0)
                    counts[name] = i + 1
                    prefix = f"{name}[{i}]"
                else:
                    prefix = name
                self.lines.setdefault(prefix, n)
                continue
            k = _KEY.match(line)
            if k:
                key = _clean(k.group(1))
                path = f"{prefix}.{key}" if prefix else key
                self.lines.setdefault(path, n)

    def line(self, path: str) -> int | None:
        """The line of the field, or of the nearest enclosing field or table that has one."""
        p = path
        while p:
            if p in self.lines:
                return self.lines[p]
            cut = max(p.rfind("."), p.rfind("["))
            if cut <= 0:
                break
            p = p[:cut]
        return self.lines.get(p)
