"""The fastest path of the strict YAML reader (`yamlstrict.parse`): front matter as people
write it, read line by line with one regular expression, without libyaml.

Only the common subset: a block mapping at the left edge; block mappings and sequences
nested in it (`key:` with the value on the lines below, `- item`, `- key: value`, a list at
its key's indentation); on each line one value, plain, 'single-' or "double-quoted" (without
escapes), or a `[flow, list]` of such; comments and blank lines. At the first line it does not
fully understand (a block scalar, a multi-line value, an odd indentation, a tab, a quoted,
odd or over-long key, a duplicate key, anything that could be an anchor, alias, tag or
directive, a character YAML refuses) it gives up (Fallback) and libyaml reads the whole
text, as before.

What it gives is exactly what libyaml's composer gives (tfcli.yamlnodes): the same values,
resolved by the same rules (`resolve_plain`), and the same span, key span and source text at
every path, each worked out from its line when asked (the whole maps, and anything asked
after `release`, are made by libyaml's composer, as yamlnodes makes them);
tests/test_yaml_fastest.py compares the two on generated front matter and on the benchmark
corpora. Positions follow libyaml's marks: a scalar from its first character to its last
(quotes and brackets included); a block collection from its first key or `-` to the first
token after it (the next line's key or `-`; at the end of the text, where the text ends for
one indented deeper than that, else the start of a line after it); an empty value at the end
of its `:`. A front matter of 1,000 generated meetings reads in about 0.145 ms a file
against 0.2 ms for libyaml's composer and the values pass (2026-11-29).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from tfcli.model import Span, YamlPath
from tfcli.spanmap import LazyMap, Located
from tfcli.yamlstrict import _MAYBE_NOT_TEXT as MAYBE_NOT_TEXT
from tfcli.yamlstrict import MAX_DEPTH, MAX_VALUES, resolve_plain

# Every character libyaml reads as printable, but the tab, the line breaks it knows besides
# \n (\r is gone already, \x85, \u2028, \u2029) and the byte-order mark: anything else is
# libyaml's to refuse or to read otherwise.
_ODD = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_ASCII_OK = bytes(range(0x20, 0x7F)) + b"\n"  # what _ODD lets through of ASCII


def odd(text: str) -> bool:
    """Whether `text` has a character of _ODD: for ASCII text (most front matter) by
    deleting the characters it lets through, in C (1.4 µs a front matter against 10 µs)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_OK))
    return _ODD.search(text) is not None


# What could start an anchor, tag or alias (tfcli.yamlnodes.RISKY): the index keeps a clean
# file's positions as its front matter and makes them again with libyaml's composer, which
# leaves such texts to the event parser.
_RISKY = re.compile(r"(?<!\w)[!&*]")

# A plain scalar on one line, in a block: not starting with an indicator (a `-` only before a
# non-space), no `: ` nor ` #` inside, not ending with `:`. Its trailing spaces are matched
# with it (runs of characters match fastest), and cut after.
_PLAIN = (
    r"(?:[^-?:,\[\]{}#&*!|>'\"%@`\ \n]|-(?=[^\ \n]))"
    r"(?:[^:#\n]++|:(?=[^\ \n])|(?<=[^\ ])\#)*+"
)
_SINGLE = r"'(?:[^'\n]|'')*'"
_DOUBLE = r'"[^"\\\n]*"'
# In a flow list: no indicator first, no `,[]{}#:` inside (so no `: `), spaces kept (cut after).
_FLOW_PLAIN = r"[^-?:,\[\]{}#&*!|>'\"%@`\ \n][^,\[\]{}#:\n]*"
_FLOW_ITEM = f"(?:{_FLOW_PLAIN}|{_SINGLE}|{_DOUBLE})"
_FLOW = rf"\[(?:\ *{_FLOW_ITEM}(?:,\ *{_FLOW_ITEM})*)?\]"
_VALUE = f"{_PLAIN}|{_SINGLE}|{_DOUBLE}|{_FLOW}"
# At most 1,024 characters: libyaml refuses a longer key (a simple key's limit).
_KEY = r"[A-Za-z_][A-Za-z0-9_-]{0,1023}"

# One line: (indent, "- ", key, the spaces between its ':' and its value, the key's value, an
# item's value), all empty for a blank or comment line. `findall` skips a line it does not
# match: then fewer lines are found than the text has.
_LINE = re.compile(
    rf"""^(\ *)(?:
        (-\ +)?(?:({_KEY}):(?:(\ +)({_VALUE}))?|({_VALUE}))\ *(?:(?<=\ )\#[^\n]*)?
      | (?:\#[^\n]*)?
    )(?:\n|\Z)""",
    re.M | re.X,
)
_ITEM = re.compile(rf"\ *({_FLOW_ITEM}),?")

_SPAN = functools.partial(tuple.__new__, Span)
_KEYWORDS = frozenset("nNtTfF")  # keys that may be null or a boolean (`null`, `true`...)
_NOT_TEXT = frozenset(MAYBE_NOT_TEXT | {"'", '"', "["})  # values that are more than their text
_MAPPING, _SEQUENCE, _INDENTLESS, _FLOW_LIST = 0, 1, 2, 3  # _FLOW_LIST: when looked up
# A block collection as read: [kind, indent, value, lines, inner, line, col, end line,
# end col, pending]: `lines` the line (index into the matched lines) of each key or item,
# `inner` the collections among them, by key or index; `pending` a key whose value is not
# given yet (on the lines below, else null).
_KIND, _INDENT, _VALUE_AT, _LINES, _INNER, _LINE_AT, _COL, _END_LINE, _END_COL, _PENDING = range(10)


class Fallback(Exception):
    """A text this reader does not vouch for: libyaml reads it."""


def read(text: str, offset: int) -> tuple[Any, FastLocated]:
    """The value of `text` and where its parts are; Fallback when the text is not of the
    subset (see the module's docstring)."""
    if (
        not text
        or odd(text)
        or (("&" in text or "!" in text or "*" in text) and _RISKY.search(text))
    ):
        raise Fallback
    found = _LINE.findall(text)
    breaks = text.count("\n")
    if len(found) != breaks + 1:  # a line it did not understand
        raise Fallback
    if 1 + 3 * len(found) + text.count(",") > MAX_VALUES:  # more values than that, maybe
        raise Fallback
    stack: list[list[Any]] = []  # the open collections, innermost last
    root: list[Any] | None = None
    n = -1
    for ind, dash, key, _, value, item in found:
        n += 1
        if not key:
            if not item:
                continue  # blank, or a comment
            if not dash:
                raise Fallback  # a value alone on its line (`---` too): libyaml's to read
        col = len(ind)
        while stack and stack[-1][_INDENT] > col:
            _close(stack.pop(), n + offset + 1, col + 1)
        if dash:
            top = stack[-1] if stack else None
            if top is None:
                raise Fallback  # a list at the top
            if top[_KIND] != _MAPPING and top[_INDENT] == col:
                seq = top
            elif top[_PENDING] is not None and top[_INDENT] <= col:
                kind = _INDENTLESS if top[_INDENT] == col else _SEQUENCE
                seq = _open(top, kind, col, [], [], n + offset + 1, stack)
            else:
                raise Fallback
            items = seq[_VALUE_AT]
            seq[_LINES].append(n)
            if item:
                if item[-1] == " ":
                    item = item.rstrip(" ")
                items.append(item if item[0] not in _NOT_TEXT else _value(item))
                continue
            col += len(dash)
            mapping: dict[str, Any] = {}
            seq[_INNER][len(items)] = frame = [_MAPPING, col, mapping, {}, {}]
            frame += (n + offset + 1, col + 1, 0, 0, None)
            items.append(mapping)
            stack.append(frame)
            if len(stack) >= MAX_DEPTH:
                raise Fallback
        elif stack:
            top = stack[-1]
            if top[_KIND] == _INDENTLESS and top[_INDENT] == col:
                _close(stack.pop(), n + offset + 1, col + 1)
                top = stack[-1]
            if top[_KIND] == _MAPPING and top[_INDENT] == col:
                top[_PENDING] = None
            elif top[_PENDING] is not None and top[_INDENT] < col:
                _open(top, _MAPPING, col, {}, {}, n + offset + 1, stack)
            else:
                raise Fallback
        elif root is None and col == 0:
            root = [_MAPPING, 0, {}, {}, {}, n + offset + 1, 1, 0, 0, None]
            stack.append(root)
        else:
            raise Fallback
        top = stack[-1]
        mapping = top[_VALUE_AT]
        if key in mapping or (key[0] in _KEYWORDS and resolve_plain(key).__class__ is not str):
            raise Fallback  # a duplicate key, or one that is not text: libyaml's to say
        top[_LINES][key] = n
        if value:
            if value[-1] == " ":
                value = value.rstrip(" ")
            mapping[key] = value if value[0] not in _NOT_TEXT else _value(value)
        else:
            mapping[key] = None
            top[_PENDING] = key
    if root is None:
        raise Fallback
    # libyaml ends the collections indented deeper than where the text ends there, the
    # others on a new line after it (when the text does not end with one).
    last, end = len(text) - text.rfind("\n") - 1, offset + breaks + 1
    while stack and stack[-1][_INDENT] > last:
        _close(stack.pop(), end, last + 1)
    while stack:
        _close(stack.pop(), end + (last > 0), 1)
    return root[_VALUE_AT], FastLocated(found, root, text, offset)


def _open(
    top: list[Any], kind: int, col: int, value: Any, lines: Any, line: int, stack: list[Any]
) -> list[Any]:
    """A collection as the value of `top`'s pending key, starting at `line`, `col` (0-based)."""
    key = top[_PENDING]
    top[_PENDING] = None
    top[_VALUE_AT][key] = value
    top[_INNER][key] = frame = [kind, col, value, lines, {}, line, col + 1, 0, 0, None]
    stack.append(frame)
    if len(stack) >= MAX_DEPTH:
        raise Fallback
    return frame


def _close(frame: list[Any], line: int, col: int) -> None:
    frame[_END_LINE] = line
    frame[_END_COL] = col


def _value(raw: str) -> Any:
    """The value of a scalar or flow list written `raw` (all but plain words)."""
    first = raw[0]
    if first == "'":
        return raw[1:-1].replace("''", "'")
    if first == '"':
        return raw[1:-1]
    if first == "[":
        return [_value(m[1].rstrip(" ")) for m in _ITEM.finditer(raw, 1, len(raw) - 1)]
    return resolve_plain(raw)


class FastLocated(Located):
    """Where the parts of a text `read` read are: each span, key span or source text worked
    out from its line when asked; all of them (the maps) made by libyaml's composer, as
    tfcli.yamlnodes makes them, when someone wants them whole or after `release`."""

    __slots__ = ("found", "offset", "root", "text")

    def __init__(self, found: list[tuple[str, ...]], root: list[Any], text: str, offset: int):
        super().__init__()
        self.found: Any = found  # None once released
        self.root: Any = root
        self.text = text
        self.offset = offset

    def release(self) -> None:
        self.found = self.root = None  # the lines and the values: only the text is kept

    def blob(self) -> tuple[str, int] | None:
        return None if self.filled is not None else (self.text, self.offset)

    def _maps(self) -> _Maps:
        from tfcli import yamlnodes

        return yamlnodes.walk(yamlnodes.compose(self.text), self.offset)

    def find(self, kind: int, path: Any) -> Any:
        if self.found is None or self.filled is not None:
            return self.fill()[kind].get(path)
        if not isinstance(path, tuple):
            return None
        if not path:
            return _frame_span(self.root) if kind == Located.SPANS else None
        got = self._frame(path[:-1])
        if got is None:
            return None
        step = path[-1]
        if got[0] != _MAPPING:  # a list: an item (a flow list's, or a block list's)
            if not isinstance(step, int) or kind == Located.KEYS:
                return None
            if got[0] == _FLOW_LIST:
                items = got[1]
                if not 0 <= step < len(items):
                    return None
                raw, line, col = items[step]
                return self._scalar(kind, raw, line, col)
            frame = got[1]
            if not 0 <= step < len(frame[_LINES]):
                return None
            if (inner := frame[_INNER].get(step)) is not None:
                return _frame_span(inner) if kind == Located.SPANS else None
            ind, dash, _, _, _, item = self.found[frame[_LINES][step]]
            col = len(ind) + len(dash)
            return self._scalar(kind, item.rstrip(" "), frame[_LINES][step], col)
        frame = got[1]
        if step.__class__ is not str or (n := frame[_LINES].get(step)) is None:
            return None
        ind, dash, key, gap, value, _ = self.found[n]
        col = len(ind) + len(dash)
        if kind == Located.KEYS:
            return _SPAN((n + self.offset + 1, col + 1, n + self.offset + 1, col + 1 + len(key)))
        if (inner := frame[_INNER].get(step)) is not None:
            return _frame_span(inner) if kind == Located.SPANS else None
        return self._scalar(kind, value.rstrip(" "), n, col + len(key) + 1 + len(gap))

    def _scalar(self, kind: int, raw: str, n: int, col: int) -> Any:
        """The span or source of the scalar `raw` at line index `n`, 0-based `col`."""
        if kind == Located.SOURCE:
            plain = not raw or raw[0] not in "'\"["  # "": a key's empty value, null
            return raw if plain and resolve_plain(raw).__class__ is not str else None
        line = n + self.offset + 1
        return _SPAN((line, col + 1, line, col + 1 + len(raw)))

    def _frame(self, path: tuple[Any, ...]) -> tuple[int, Any] | None:
        """The collection at `path`: (its kind, its frame), or for a flow list (_FLOW_LIST, its
        items as (text, line index, 0-based col)); None when there is none."""
        frame = self.root
        for i, step in enumerate(path):
            lines = frame[_LINES]
            if frame[_KIND] == _MAPPING:
                if step.__class__ is not str or step not in lines:
                    return None
            elif not (isinstance(step, int) and 0 <= step < len(lines)):
                return None
            if (inner := frame[_INNER].get(step)) is not None:
                frame = inner
                continue
            if i != len(path) - 1:  # a scalar, with more steps after it
                return None
            return self._flow(frame, step)
        return (frame[_KIND] if frame[_KIND] == _MAPPING else _SEQUENCE), frame

    def _flow(self, frame: list[Any], step: Any) -> tuple[int, Any] | None:
        n = frame[_LINES][step]
        ind, dash, key, gap, value, item = self.found[n]
        if frame[_KIND] == _MAPPING:
            raw, col = value, len(ind) + len(dash) + len(key) + 1 + len(gap)
        else:
            raw, col = item, len(ind) + len(dash)
        if not raw.startswith("["):  # (a flow list has no trailing spaces: ends with `]`)
            return None
        items = [
            (m[1].rstrip(" "), n, col + m.start(1)) for m in _ITEM.finditer(raw, 1, len(raw) - 1)
        ]
        return _FLOW_LIST, items


_Maps = tuple[dict[YamlPath, Span], dict[YamlPath, Span], dict[YamlPath, str]]


def _frame_span(frame: list[Any]) -> Span:
    return _SPAN((frame[_LINE_AT], frame[_COL], frame[_END_LINE], frame[_END_COL]))


def located(state: FastLocated) -> tuple[LazyMap, LazyMap, LazyMap]:
    """The three lazy maps of a text `read` read, as `yamlnodes.located` gives them."""
    return (
        LazyMap.of(state, Located.SPANS),
        LazyMap.of(state, Located.KEYS),
        LazyMap.of(state, Located.SOURCE),
    )
