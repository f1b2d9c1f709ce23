"""A scenario document as plain data, and paths into it changed without touching the original.

Engine layer. A document is what a scenario file reads as (``tomllib``): dicts, lists, text,
numbers, dates. Nothing here changes a document: ``put`` and ``drop`` return a new document
that shares every part the change does not touch, which keeps an undo history cheap.

Paths are written as the validator names fields (``units[3].place``,
``events[0].actions[1]``, ``control.mosul``), or given as tuples of keys and indices.
"""

from __future__ import annotations

import re

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(path) -> tuple:
    """``"units[3].place"`` -> ``("units", 3, "place")``; tuples and lists pass through."""
    if isinstance(path, (tuple, list)):
        return tuple(path)
    out = []
    for name, index in _STEP.findall(str(path)):
        out.append(int(index) if index else name)
    return tuple(out)


def path_text(path) -> str:
    out = ""
    for step in parse_path(path):
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


_MISSING = object()


def get(doc, path, default=None):
    node = doc
    for step in parse_path(path):
        if isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                return default
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return default
            node = node[step]
    return node


def has(doc, path) -> bool:
    return get(doc, path, _MISSING) is not _MISSING


def put(doc, path, value):
    """A new document with ``value`` at ``path``; missing tables on the way are made."""
    steps = parse_path(path)
    if not steps:
        return value
    head, rest = steps[0], steps[1:]
    if isinstance(head, int):
        items = list(doc)
        items[head] = put(items[head], rest, value)
        return items
    out = dict(doc) if isinstance(doc, dict) else {}
    out[head] = (
        put(out.get(head, {} if rest and not isinstance(rest[0], int) else []), rest, value)
        if rest
        else value
    )
    return out


def drop(doc, path):
    """A new document without the field or list item at ``path`` (nothing if it is absent)."""
    steps = parse_path(path)
    if not has(doc, steps):
        return doc
    head, rest = steps[0], steps[1:]
    if isinstance(head, int):
        items = list(doc)
        if rest:
            items[head] = drop(items[head], rest)
        else:
            del items[head]
        return items
    out = dict(doc)
    if rest:
        out[head] = drop(out[head], rest)
    else:
        del out[head]
    return out


def append(doc, path, value):
    """A new document with ``value`` added at the end of the list at ``path``."""
    return put(doc, path, list(get(doc, path) or []) + [value])


def tables(doc, path) -> list:
    """The list at ``path`` (empty when absent or not a list)."""
    v = get(doc, path)
    return v if isinstance(v, list) else []
