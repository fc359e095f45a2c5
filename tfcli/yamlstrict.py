"""Strict YAML: libyaml's parser, our own resolver and constructor.

We build values from parser events rather than using a yaml Loader because we need three
things no stock loader gives: a position for every value, a refusal of every YAML 1.1 trap
(sexagesimal `10:00`, `NO` as false, octal `012`, implicit dates), and a refusal of anchors,
aliases, merge keys and tags before anything is expanded (no billion laughs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from tfcli.errors import LoadError
from tfcli.model import Span, YamlPath
from tfcli.spanmap import LazyMap

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 16
MAX_VALUES = 20_000

# YAML 1.2 core schema, narrowed: no octal/hex/underscores, no .inf/.nan.
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# At most 18 digits: Python refuses int() of very long strings, and no minutes need more.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]{1,18}\.[0-9]{0,18}|\.[0-9]{1,18})(?:[eE][-+]?[0-9]{1,3})?\Z")


_MAYBE_NOT_TEXT = frozenset("~nNtTfF+-.0123456789")


def resolve_plain(text: str) -> Any:
    """The value of an unquoted scalar. Everything that is not null/bool/int/float is text."""
    if not text:
        return None
    first = text[0]
    if first not in _MAYBE_NOT_TEXT:
        return text  # fast path: most values are words
    if first in "~nN":
        return None if _NULL.match(text) else text
    if first in "tTfF":
        return _BOOL.get(text, text)
    # A number has a '-' only first or right after its exponent's e: `2022-07-08` is text.
    dash = text.find("-", 1)
    if dash > 0 and text[dash - 1] not in "eE":
        return text
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


class Tree:
    """A parsed YAML document: its value and the span of every value and mapping key in it."""

    __slots__ = ("key_spans", "source", "spans", "value")

    def __init__(self) -> None:
        self.value: Any = None
        self.spans: dict[YamlPath, Span] = {}
        self.key_spans: dict[YamlPath, Span] = {}
        # Source text of unquoted scalars that did not stay text (`9.30` → 9.3), so that
        # messages quote what the person wrote.
        self.source: dict[YamlPath, str] = {}

    def release(self) -> None:
        """Keep the spans (a Meeting does) without the parse's nodes behind them."""
        if isinstance(self.spans, LazyMap):
            self.spans.release()


def _span(ev: Any, line_offset: int) -> Span:
    s, e = ev.start_mark, ev.end_mark
    return Span(s.line + 1 + line_offset, s.column + 1, e.line + 1 + line_offset, e.column + 1)


def _err(ev: Any, line_offset: int, message: str, hint: str | None = None) -> LoadError:
    m = ev.start_mark
    return LoadError("yaml", message, m.line + 1 + line_offset, m.column + 1, hint)


def parse(text: str, line_offset: int = 0, duplicates: list[LoadError] | None = None) -> Tree:
    """Parse one YAML document. `line_offset` is added to every line (front matter starts
    below the opening `---`). Raises LoadError, never anything else. With `duplicates` (for
    `tf check`, so that one duplicate key does not hide the file's other problems), each
    duplicate key is added there instead, and its last value kept, as other YAML readers do.

    Front matter of the common kind line by line (tfcli.yamlfast), else libyaml's composer in
    C when the text allows (tfcli.yamlnodes), both giving the same result with positions made
    on demand; else `parse_events`, which alone says what is wrong."""
    from tfcli import yamlfast, yamlnodes

    # Front matter as people write it: read without libyaml (tfcli.yamlfast; its positions
    # are made again by libyaml's composer once released, so only where that is there).
    if yamlnodes._CParser is not None:
        try:
            value, where = yamlfast.read(text, line_offset)
        except yamlfast.Fallback:
            pass
        else:
            tree = Tree()
            tree.value = value
            tree.spans, tree.key_spans, tree.source = yamlfast.located(where)
            return tree
    try:
        root = yamlnodes.compose(text)
        value = yamlnodes.values(root)
    except (yamlnodes.Fallback, UnicodeEncodeError):  # (a lone surrogate: said below)
        return parse_events(text, line_offset, duplicates)
    tree = Tree()
    tree.value = value
    tree.spans, tree.key_spans, tree.source = yamlnodes.located(root, text, line_offset)
    return tree


def parse_events(
    text: str, line_offset: int = 0, duplicates: list[LoadError] | None = None
) -> Tree:
    """`parse`, one parser event at a time: every value located as it is read, and the first
    problem in the text refused where it is (an anchor before it is used, a tag, a duplicate
    key, too deep, too many values) before libyaml reads any further."""
    tree = Tree()
    try:
        loader = _Loader(text)
    except UnicodeEncodeError as e:  # a lone surrogate ("\ud800"): not a character at all
        from tfcli import yamlhints

        raise yamlhints.surrogate(text, e.start, line_offset) from None
    # get_event directly: yaml.parse's generator around it costs a third of the parse.
    builder = _Builder(loader.get_event, tree, line_offset, duplicates)
    try:
        tree.value = builder.document()
    except yaml.YAMLError as e:
        from tfcli import yamlhints  # only for a text with a problem: not at start-up

        raise yamlhints.load_error(e, text, line_offset) from None
    finally:
        loader.dispose()
    return tree


DEPTH_HINT = (
    f"lists and mappings in minutes nest at most {MAX_DEPTH} levels deep: "
    "remove the extra levels or brackets"
)


class _Builder:
    def __init__(
        self,
        next_event: Callable[[], Any],
        tree: Tree,
        line_offset: int,
        duplicates: list[LoadError] | None = None,
    ):
        self.next = next_event
        self.tree = tree
        self.off = line_offset
        self.count = 0
        self.duplicates = duplicates

    def document(self) -> Any:
        self.next()  # StreamStart
        ev = self.next()
        if isinstance(ev, yaml.StreamEndEvent):
            return None
        value = self.node(self.next(), (), 0)
        self.next()  # DocumentEnd
        ev = self.next()
        if not isinstance(ev, yaml.StreamEndEvent):
            raise _err(ev, self.off, "more than one YAML document", "remove the extra '---'")
        return value

    def node(self, ev: Any, path: YamlPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _err(ev, self.off, f"more than {MAX_VALUES} values", "split the file")
        if ev.anchor is not None or ev.__class__ is yaml.AliasEvent or ev.tag is not None:
            self.refuse(ev)
        if ev.__class__ is yaml.ScalarEvent:
            self.tree.spans[path] = _span(ev, self.off)
            if not ev.implicit[0]:
                return ev.value
            value = resolve_plain(ev.value)
            if not isinstance(value, str):
                self.tree.source[path] = ev.value
            return value
        if depth >= MAX_DEPTH:
            raise _err(ev, self.off, f"nested more than {MAX_DEPTH} levels deep", DEPTH_HINT)
        start = ev
        if isinstance(ev, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(ev := self.next(), yaml.SequenceEndEvent):
                items.append(self.node(ev, (*path, len(items)), depth + 1))
            self.tree.spans[path] = _between(start, ev, self.off)
            return items
        mapping: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        while not isinstance(ev := self.next(), yaml.MappingEndEvent):
            key = self.key(ev, path)
            span = _span(ev, self.off)
            at = (*path, key)
            if key in key_lines:
                e = LoadError(
                    "yaml",
                    f"duplicate key '{key}' (lines {key_lines[key]} and {span.line})",
                    span.line,
                    span.col,
                    "keep one of them",
                )
                if self.duplicates is None:
                    raise e
                self.duplicates.append(e)
                self._forget(at)  # the last value is kept: no position of the first one
            key_lines[key] = span.line
            self.tree.key_spans[at] = span
            mapping[key] = self.node(self.next(), at, depth + 1)
        self.tree.spans[path] = _between(start, ev, self.off)
        return mapping

    def _forget(self, at: YamlPath) -> None:
        n = len(at)
        for spans in (self.tree.spans, self.tree.key_spans, self.tree.source):
            for k in [k for k in spans if k[:n] == at]:
                del spans[k]

    def refuse(self, ev: Any) -> None:
        if isinstance(ev, yaml.AliasEvent):
            raise _err(
                ev, self.off, f"alias '*{ev.anchor}' is not allowed", "write the value out again"
            )
        if ev.anchor is not None:
            raise _err(
                ev, self.off, f"anchor '&{ev.anchor}' is not allowed", "remove the '&' and the name"
            )
        if getattr(ev, "tag", None) is not None:
            shown = _as_written(ev.tag)
            raise _err(ev, self.off, f"tag '{shown}' is not allowed", "remove the tag; quote text")

    def key(self, ev: Any, path: YamlPath) -> str:
        if ev.anchor is not None or ev.__class__ is yaml.AliasEvent or ev.tag is not None:
            self.refuse(ev)
        if ev.__class__ is not yaml.ScalarEvent:
            raise _err(ev, self.off, "keys must be plain text", "write 'key: value'")
        if ev.implicit[0] and ev.value == "<<":
            raise _err(ev, self.off, "merge key '<<' is not allowed", "write the keys out")
        key = resolve_plain(ev.value) if ev.implicit[0] else ev.value
        if not isinstance(key, str):
            raise _err(
                ev, self.off, f"key {ev.value!r} is not text", f'quote it: "{ev.value}": ...'
            )
        return key


def _as_written(tag: str) -> str:
    """A tag as the file most likely spells it: libyaml expands `!!x` to the YAML namespace,
    `tag:yaml.org,2002:x`, which the writer of `!!python/object` would not recognise."""
    core = "tag:yaml.org,2002:"
    return "!!" + tag[len(core) :] if tag.startswith(core) else tag


def _between(start: Any, end: Any, line_offset: int) -> Span:
    """The span of a list or mapping: from its start event to its end event."""
    s, e = start.start_mark, end.end_mark
    return Span(s.line + 1 + line_offset, s.column + 1, e.line + 1 + line_offset, e.column + 1)
