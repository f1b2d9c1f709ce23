"""Find the line of a field in a TOML file, so problems can name the place an author sees.

Engine layer. ``tomllib`` gives values without positions; this scanner follows the headers
(``[table]``, ``[[array]]``) and ``key =`` lines of the text and maps field paths such as
``units[3].type`` to line numbers. Inline tables and arrays are not entered: a path inside one
maps to the line of the key that holds it, which is where the author looks anyway.

The scanner reads the text once, from left to right, a token at a time, and never looks back:
any text, valid TOML or not, is scanned in time proportional to its length (a regular
expression over whole lines can take minutes on a line of a few thousand spaces). Besides the
lines it finds every key, inside inline tables too, so a dotted key of thousands of parts (which
``tomllib`` reads in time growing with the square of its parts) can be refused before reading.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_BARE = re.compile(r"[A-Za-z0-9_\-]+")
_PLAIN = re.compile(r"[^\"'#\[\]{},\n]+")  # a run of a value's characters that say nothing
_SPACE = re.compile(r"[ \t\r]+")
_BASIC_BODY = re.compile(r"[^\"\\\n]+")  # characters of a "string" that need no care
_LITERAL_BODY = re.compile(r"[^'\n]*")  # characters of a 'string'


class Key(NamedTuple):
    """A key or a header of the text: its parts, its line, and what it is."""

    parts: tuple[str, ...]
    line: int
    kind: str  # "key" (key = value at the top of a table), "inline" (in an inline table),
    #            "table" ([name]) or "array" ([[name]])


def scan(text: str) -> list[Key]:
    """Every key and header of the text, in order. Text that is not valid TOML is scanned as
    far as it makes sense, in linear time all the same."""
    out: list[Key] = []
    n = len(text)
    i, line = 0, 1
    stack: list[str] = []  # the open [ and { of the value being read
    want_key = True  # at the start of a line of a table, or after { or , in an inline table

    def read_key(i: int) -> tuple[tuple[str, ...], int]:
        """The parts of the (dotted) key at i, and where it ends."""
        parts = []
        while i < n:
            while i < n and text[i] in " \t":
                i += 1
            if i >= n:
                break
            c = text[i]
            if c == '"' or c == "'":
                j = _end_of_line_string(text, i, c)
                closed = j - 1 > i and text[j - 1] == c
                parts.append(text[i + 1 : j - 1] if closed else text[i + 1 : j])
                i = j
            else:
                m = _BARE.match(text, i)
                if not m:
                    break
                parts.append(m.group())
                i = m.end()
            while i < n and text[i] in " \t":
                i += 1
            if i < n and text[i] == ".":
                i += 1
                continue
            break
        return tuple(parts), i

    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
            if not stack:
                want_key = True
            continue
        if c in " \t\r":
            space = _SPACE.match(text, i)
            assert space is not None  # text[i] is one of its characters
            i = space.end()
            continue
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if want_key:
            if not stack and c == "[":
                array = text.startswith("[[", i)
                parts, j = read_key(i + (2 if array else 1))
                out.append(Key(parts, line, "array" if array else "table"))
                k = text.find("\n", j)  # the rest of the line: ] or ]] and a comment
                i = n if k < 0 else k
                continue
            if stack and c == "}":
                stack.pop()
                want_key = False
                i += 1
                continue
            parts, j = read_key(i)
            if parts:
                out.append(Key(parts, line, "inline" if stack else "key"))
            want_key = False
            i = j if j > i else i + 1
            if i < n and text[i] == "=":
                i += 1
            continue
        if c == '"' or c == "'":
            if text.startswith(c * 3, i):
                j = _end_of_multiline_string(text, i, c)
                line += text.count("\n", i, j)
            else:
                j = _end_of_line_string(text, i, c)
            i = j
            continue
        if c in "[{":
            stack.append(c)
            want_key = c == "{"
        elif c in "]}":
            if stack:
                stack.pop()
        elif c == "," and stack and stack[-1] == "{":
            want_key = True
        else:
            m = _PLAIN.match(text, i)
            if m:
                i = m.end()
                continue
        i += 1
    return out


def _end_of_line_string(text: str, i: int, quote: str) -> int:
    """Just past the one-line string that opens at i (or the end of its line, unclosed)."""
    n = len(text)
    j = i + 1
    if quote == "'":
        body = _LITERAL_BODY.match(text, j)
        assert body is not None  # it matches the empty string too
        j = body.end()
        return j + 1 if j < n and text[j] == "'" else j
    while j < n:
        m = _BASIC_BODY.match(text, j)
        if m:
            j = m.end()
            continue
        c = text[j]
        if c == "\\":
            j += 2
        elif c == '"':
            return j + 1
        else:  # the line ends with the string unclosed
            return j
    return n


def _end_of_multiline_string(text: str, i: int, quote: str) -> int:
    """Just past the multi-line string (three quotes, either kind) that opens at i."""
    n = len(text)
    j = i + 3
    three = quote * 3
    while True:
        k = text.find(three, j)
        if k < 0:
            return n
        if quote == '"':
            b = k
            while b > j and text[b - 1] == "\\":
                b -= 1
            if (k - b) % 2 == 1:  # an escaped quote: the string goes on
                j = k + 1
                continue
        k += 3
        extra = 0
        while extra < 2 and k < n and text[k] == quote:  # up to two quotes end the string
            k += 1
            extra += 1
        return k


def longest_key(text: str) -> Key | None:
    """The key or header of the text with the most parts (the first of them), or None."""
    best = None
    for k in scan(text):
        if best is None or len(k.parts) > len(best.parts):
            best = k
    return best


class Locator:
    def __init__(self, text: str, keys: list[Key] | None = None):
        """``keys``: ``scan(text)``, when the caller has it already."""
        self.lines: dict[str, int] = {}
        counts: dict[str, int] = {}
        prefix = ""
        for k in scan(text) if keys is None else keys:
            name = ".".join(k.parts)
            if k.kind == "array":
                i = counts.get(name, 0)
                counts[name] = i + 1
                prefix = f"{name}[{i}]"
                self.lines.setdefault(prefix, k.line)
                self.lines.setdefault(name, k.line)  # the list as a whole: where it begins
            elif k.kind == "table":
                prefix = name
                self.lines.setdefault(prefix, k.line)
            elif k.kind == "key" and k.parts:
                path = f"{prefix}.{k.parts[0]}" if prefix else k.parts[0]
                self.lines.setdefault(path, k.line)

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
