"""Writing a scenario document as the TOML of ``docs/scenario-format.md``.

Engine layer. A document is the plain data a scenario file reads as (``tomllib``). When the
document was read from a file, ``render`` changes that file's text only where the data
changed, through ``tomlkit``: the author's comments, order, spacing and ways of writing
places stay as they were, and an unchanged document gives the file's text back byte for byte.
A new document is written in the order and style of the bundled scenarios. Either way the text
is read back before it is returned, and must give exactly the document.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import tempfile
import tomllib
from pathlib import Path

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Array, Comment, InlineTable, Table, Whitespace

from game.scenario.schema import TOP

WIDTH = 96  # longest line a written list of values is wrapped to


class WriteError(Exception):
    """A document the TOML format cannot hold (it never comes from the editing operations)."""


# -- values as TOML text ---------------------------------------------------------------------


def _key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "-_" for c in k) else json.dumps(k, ensure_ascii=False)


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and v != v or v in (float("inf"), float("-inf")):
            raise WriteError(f"{v} is not a number TOML can hold")
        return repr(v)
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, str):
        plain = all(c in "\n\t" or c >= " " for c in v) and "\x7f" not in v
        if "\n" in v and plain and '"""' not in v and not v.endswith('"'):
            body = v.replace("\\", "\\\\")
            return f'"""\n{body}"""'
        return json.dumps(v, ensure_ascii=False)
    raise WriteError(f"cannot write {type(v).__name__} in a scenario")


def value_text(v, indent: str = "") -> str:
    """A value as TOML text: inline tables as ``{ k = v }``, long lists of tables one a line,
    long lists of values wrapped."""
    if isinstance(v, dict):
        if not v:
            return "{}"
        # a list inside goes one step in from the line the table starts on
        return "{ " + ", ".join(f"{_key(k)} = {value_text(x, indent)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        parts = [value_text(x, indent + "  ") for x in v]
        flat = "[" + ", ".join(parts) + "]"
        if any(isinstance(x, dict) for x in v):
            if len(v) == 1 and len(flat) <= WIDTH - len(indent) - 12:
                return flat
            return "[\n" + "".join(f"{indent}  {p},\n" for p in parts) + f"{indent}]"
        if len(flat) <= WIDTH - len(indent) - 12:
            return flat
        lines, line = [], ""
        for p in parts:
            if line and len(indent) + 2 + len(line) + len(p) + 2 > WIDTH:
                lines.append(line.rstrip())
                line = ""
            line += p + ", "
        lines.append(line.rstrip())
        return "[\n" + "".join(f"{indent}  {x}\n" for x in lines) + f"{indent}]"
    return _scalar(v)


def _is_tables(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _table_text(header: str, t: dict) -> str:
    """A table under its header; in a part that is one table (``[history]``), its casualties
    follow as ``[history.casualties]`` and a list of tables as ``[[history.events]]``."""
    lines = [header]
    subs = []
    single = header.startswith("[") and not header.startswith("[[")
    for k, v in t.items():
        if single and ((isinstance(v, dict) and k == "casualties") or _is_tables(v)):
            subs.append((k, v))
            continue
        lines.append(f"{_key(k)} = {value_text(v)}")
    text = "\n".join(lines) + "\n"
    name = header.strip("[]")
    for k, v in subs:
        if isinstance(v, dict):
            text += "\n" + _table_text(f"[{name}.{_key(k)}]", v)
        else:
            text += "".join("\n" + _table_text(f"[[{name}.{_key(k)}]]", x) for x in v)
    return text


def fresh_text(doc: dict) -> str:
    """The document written anew, parts in the order of the format's guide."""
    chunks = []
    order = [k for k in TOP if k in doc] + [k for k in doc if k not in TOP]
    for part in order:
        v = doc[part]
        if isinstance(v, dict):
            chunks.append(_table_text(f"[{_key(part)}]", v))
        elif _is_tables(v):
            chunks.extend(_table_text(f"[[{_key(part)}]]", t) for t in v)
        elif isinstance(v, list) and not v:
            continue  # an empty list of tables is the same as none
        else:
            chunks.append(f"{_key(part)} = {value_text(v)}\n")
    return "\n".join(chunks)


# -- changing an existing file ---------------------------------------------------------------


def _parse_item(text: str):
    return tomlkit.parse(f"x = {text}\n")["x"]


def _new_item(v, indent: str = ""):
    return _parse_item(value_text(v, indent))


def _new_table(part: str, t: dict) -> Table:
    item = tomlkit.parse(_table_text(f"[[{_key(part)}]]", t))[part][0]
    item.add(tomlkit.nl())
    return item


def _new_aot(path: tuple[str, ...], tables: list[dict]) -> AoT:
    """``[[path]]`` tables, a blank line between them and after the last."""
    header = ".".join(_key(p) for p in path)
    item = tomlkit.parse("\n".join(_table_text(f"[[{header}]]", t) for t in tables))
    for p in path:
        item = item[p]
    assert isinstance(item, AoT)  # the text is that array of tables and nothing else
    item.body[-1].add(tomlkit.nl())
    return item


def _insert_part(tk, key: str, item) -> None:
    """Add a part of a file where the format's order puts it: before the first part of the
    file that comes after it in ``TOP``, or else at the end. The comments over that part's
    header (tomlkit keeps them at the end of the part above) stay over it."""
    later = TOP[TOP.index(key) + 1 :] if key in TOP else ()
    keys = [k.key if k is not None else None for k, _ in tk.body]
    at = next((keys.index(k) for k in keys if k in later), None)
    if at is None or at == 0:
        if isinstance(item, Table):
            tk.add(tomlkit.nl())
        tk[key] = item
        return
    if isinstance(item, Table):
        item.add(tomlkit.nl())
    _hand_over_comments(_tail(tk.body[at - 1][1]), _tail(item))
    tk._insert_at(at, key, item)


def _hand_over_comments(above: list | None, below: list | None) -> None:
    """The comments that end ``above``, after its last value, go to the end of ``below``, which
    now comes between them and what they are written over."""
    if above is None or below is None:
        return
    last = max((n for n, (k, _) in enumerate(above) if k is not None), default=-1)
    first = next((n for n in range(last + 1, len(above)) if isinstance(above[n][1], Comment)), None)
    if first is not None:
        below.extend(above[first:])
        del above[first:]


def _tail(item) -> list | None:
    """The list of (key, item) that ends a part's text: its last table's, or its own."""
    if isinstance(item, AoT):
        return _tail(item.body[-1]) if item.body else None
    if isinstance(item, Table):
        body = item.value.body
        if body and body[-1][0] is not None and isinstance(body[-1][1], (Table, AoT)):
            return _tail(body[-1][1])
        return body
    return None


def _repair(item) -> None:
    """tomlkit (0.13-0.15) reads ``{ date = 2014-06-16 }`` and writes it back without the space
    before ``}``; put the space back so untouched lines stay as the author wrote them."""
    if isinstance(item, InlineTable):
        body = item.value.body
        for n in range(len(body) - 1, -1, -1):
            k, v = body[n]
            if (
                k is not None
                and getattr(v, "trivia", None) is not None
                and v.trivia.comment_ws
                and not v.trivia.comment
                and (n + 1 == len(body) or body[n + 1][0] is not None)
            ):
                body.insert(n + 1, (None, Whitespace(v.trivia.comment_ws)))
                v.trivia.comment_ws = ""
    if isinstance(item, (Container, Table, InlineTable)):
        for _, v in item.items():
            _repair(v)
    elif isinstance(item, (AoT, Array, list)):
        for v in item:
            _repair(v)


def _fingerprint(v) -> str:
    return json.dumps(v, sort_keys=True, default=str)


def _merge_table(tk, old: dict, new: dict, top: bool = False, name: str | None = None) -> None:
    """Change a table in place (``top``: the whole file; ``name``: a part that is one table,
    whose lists of tables are written ``[[name.key]]``)."""
    for k in [k for k in old if k not in new]:
        del tk[k]
    for k, v in new.items():
        if k not in old:
            if top and _is_tables(v):
                _insert_part(tk, k, _new_aot((k,), v))
            elif top and isinstance(v, dict):
                item = tomlkit.parse(_table_text(f"[{_key(k)}]", v))[k]
                _insert_part(tk, k, item)
            elif name is not None and _is_tables(v):
                tk[k] = _new_aot((name, k), v)
            else:
                tk[k] = _new_item(v)
        elif old[k] != v or type(old[k]) is not type(v):
            part = k if top else (f"{name}.{k}" if name is not None else None)
            tk[k] = _merge_value(tk[k], old[k], v, part, single=top)


def _merge_value(item, old, new, part: str | None, single: bool = False):
    if isinstance(old, dict) and isinstance(new, dict) and isinstance(item, (Table, InlineTable)):
        _merge_table(item, old, new, name=part if single and isinstance(item, Table) else None)
        return item
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and isinstance(item, (AoT, Array))
        and (_is_tables(old) or _is_tables(new))
        and not (isinstance(item, Array) and not old)
    ):
        _merge_list(item, old, new, part)
        return item
    if isinstance(item, AoT):
        if _is_tables(new):
            aot = tomlkit.aot()
            for t in new:
                aot.append(_new_table(part or "x", t))
            return aot
    return _new_item(new)


def _merge_list(item, old: list, new: list, part: str | None) -> None:
    """Change a list of tables in place: tables that stay keep their text and comments."""
    matcher = difflib.SequenceMatcher(
        None, [_fingerprint(x) for x in old], [_fingerprint(x) for x in new], autojunk=False
    )
    is_aot = isinstance(item, AoT)

    def make(v):
        if is_aot:
            return _new_table(part or "x", v)
        return _new_item(v, "") if not isinstance(v, dict) else _parse_item(value_text(v, "  "))

    for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for n in range(pairs):
            o, v = old[i1 + n], new[j1 + n]
            if isinstance(o, dict) and isinstance(v, dict):
                _merge_table(item[i1 + n], o, v)
            else:
                item[i1 + n] = make(v)
        for n in range(i2 - 1, i1 + pairs - 1, -1):
            del item[n]
        for n, v in enumerate(new[j1 + pairs : j2]):
            at = i1 + pairs + n
            made = make(v)
            if is_aot and at == len(item) and at > 0:
                # After the last table: what was written over the next part stays over it,
                # and a blank line comes between the two tables.
                above = _tail(item[at - 1])
                _hand_over_comments(above, _tail(made))
                if above is not None and not (above and isinstance(above[-1][1], Whitespace)):
                    item[at - 1].add(tomlkit.nl())
            item.insert(at, made)


def render(doc: dict, base_text: str | None = None) -> str:
    """The document as the text of a scenario file; ``base_text``: the file it was read from."""
    if base_text is not None:
        old = tomllib.loads(base_text)
        if old == doc and _same_types(old, doc):
            return base_text
        try:
            tk = tomlkit.parse(base_text)
            _repair(tk)
            _merge_table(tk, old, doc, top=True)
            text = tk.as_string()
            if text.endswith("\n\n") and not base_text.endswith("\n\n"):
                text = text.rstrip("\n") + "\n"  # tables added at the end bring a blank line
            if _reads_as(text, doc):
                return text
        except Exception:  # noqa: BLE001  tomlkit's own errors: fall back to a fresh text
            pass
    text = fresh_text(doc)
    if not _reads_as(text, doc):
        raise WriteError("the document does not survive being written")
    return text


def _same_types(a, b) -> bool:
    """Equal values of different kinds (1 and 1.0, True and 1) must still be written anew."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return all(_same_types(x, y) for x, y in zip(a, b))
    return True


def _reads_as(text: str, doc: dict) -> bool:
    try:
        back = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return back == doc and _same_types(back, doc)


def save(doc: dict, path: str | Path, base_text: str | None = None) -> str:
    """Write the document to ``path`` atomically (a temporary file, then a rename); the text."""
    text = render(doc, base_text)
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777  # a file written again keeps its permissions
    except OSError:
        mode = 0o644  # a new one is readable by others, as a file saved by hand would be
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return text
