"""The fast path of the strict YAML reader (`yamlstrict.parse`): libyaml's composer in C, one
Python pass for the values, and positions only where they are asked for.

Building a located value per parser event in Python cost most of a cold run. Here libyaml
composes the node tree in C (with a resolver that resolves nothing: each scalar says only
whether it was plain), one pass makes the values, and a span, a key's span or a scalar's
source text is read off the nodes when someone asks for it (`Fields.where` asks for a few
per file); all of them only when a caller wants the whole map (the editor, a message after
the nodes are gone).

Exactly the result of `yamlstrict.parse_events` or nothing: the composer cannot show an
anchor, a tag or an alias that is never used, so a text where `&`, `!` or `*` could start one
is left to the event parser, as is every document with anything wrong (a syntax error,
a duplicate or non-text key, too deep, too many values): that parser says what and where,
first problem first. tests/test_yaml_fast.py checks the two agree on generated YAML.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tfcli.model import Span, YamlPath
from tfcli.spanmap import _SPAN, LazyMap, Located
from tfcli.yamlstrict import _MAYBE_NOT_TEXT as MAYBE_NOT_TEXT
from tfcli.yamlstrict import MAX_DEPTH, MAX_VALUES, resolve_plain

# What a character that can start an anchor, tag or alias token follows: never a word
# character (a token starts after a blank, a line break or an indicator), so text like
# `R&D` or `Done!` keeps the fast path and `Q & A` merely takes the slower one.
RISKY = re.compile(r"(?<!\w)[!&*]")

_PLAIN = "plain"  # the only tags a node can carry here: no `!` in the text
_QUOTED = "quoted"


class Fallback(Exception):
    """Anything the fast path does not vouch for: the event parser decides."""


# PyYAML built without libyaml has no CParser: then every text takes the event parser.
_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)


class _Composer(_CParser or object):  # type: ignore[misc]
    """libyaml's parser and composer, resolving nothing: every scalar stays the text it is."""

    def descend_resolver(self, parent: Any, index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _PLAIN if kind is ScalarNode and implicit[0] else _QUOTED


def compose(text: str) -> Node | None:
    """The document's root node (None for an empty one); Fallback when the text is not for
    this path or libyaml finds anything wrong."""
    if _CParser is None:
        raise Fallback
    if ("&" in text or "!" in text or "*" in text) and RISKY.search(text):  # `in`: 10× faster
        raise Fallback
    composer = _Composer(text)
    try:
        node: Node | None = composer.get_single_node()
    except Exception:  # a YAMLError: the event parser says which, and where
        raise Fallback from None
    finally:
        composer.dispose()
    return node


def values(root: Node | None) -> Any:
    """The value of the tree, as yamlstrict's resolver reads it; Fallback on anything the
    event parser would refuse (it then says why)."""
    if root is None:
        return None
    count = [0]
    got = _value(root, 0, count)
    if count[0] > MAX_VALUES:
        raise Fallback
    return got


# Module functions, not closures: a recursive closure is a reference cycle, which keeps what
# it holds until the (paused, while reading) collector runs.
def _value(n: Node, depth: int, count: list[int]) -> Any:
    count[0] += 1
    cls = n.__class__
    if cls is ScalarNode:
        v: str = n.value
        if n.tag == _QUOTED or (v and v[0] not in MAYBE_NOT_TEXT):
            return v
        return resolve_plain(v)
    if depth >= MAX_DEPTH:
        raise Fallback
    if cls is SequenceNode:
        return [_value(item, depth + 1, count) for item in n.value]
    mapping: dict[str, Any] = {}
    for k, item in n.value:
        if k.__class__ is not ScalarNode:
            raise Fallback
        key: str = k.value
        if (
            k.tag == _PLAIN
            and (not key or key[0] in MAYBE_NOT_TEXT or key == "<<")
            and (key == "<<" or resolve_plain(key).__class__ is not str)
        ):
            raise Fallback
        if key in mapping:
            raise Fallback
        mapping[key] = _value(item, depth + 1, count)
    return mapping


class NodeLocated(Located):
    """Spans, key spans and source texts read off a node tree; after `release`, off the
    text parsed again (kept instead of the nodes: a tenth of their memory)."""

    __slots__ = ("offset", "root", "text")

    def __init__(self, root: Node | None, text: str, offset: int) -> None:
        super().__init__()
        self.root = root
        self.text = text
        self.offset = offset

    def release(self) -> None:
        self.root = None

    def blob(self) -> tuple[str, int] | None:
        return None if self.filled is not None else (self.text, self.offset)

    def _node(self, path: YamlPath) -> Node | None:
        n: Any = self.root
        for step in path:
            cls = n.__class__
            if cls is MappingNode:
                for k, v in n.value:
                    if k.value == step:
                        n = v
                        break
                else:
                    return None
            elif cls is SequenceNode and isinstance(step, int) and 0 <= step < len(n.value):
                n = n.value[step]
            else:
                return None
        found: Node | None = n
        return found

    def find(self, kind: int, path: Any) -> Any:
        if self.root is None:
            return self.fill()[kind].get(path)
        if kind == Located.KEYS:
            if not (isinstance(path, tuple) and path):
                return None
            parent = self._node(path[:-1])
            if parent.__class__ is not MappingNode:
                return None
            n = next((k for k, _ in parent.value if k.value == path[-1]), None)
            return None if n is None else _span(n, n, self.offset)
        n = self._node(path) if isinstance(path, tuple) else None
        if n is None:
            return None
        if kind == Located.SPANS:
            return _span(n, n, self.offset)
        plain = n.__class__ is ScalarNode and n.tag == _PLAIN
        return n.value if plain and not isinstance(resolve_plain(n.value), str) else None

    def _maps(self) -> _Maps:
        root = self.root
        if root is None:  # released: the same text gives the same nodes
            root = compose(self.text)
        return walk(root, self.offset)


def _span(start: Node, end: Node, offset: int) -> Span:
    s, e = start.start_mark, end.end_mark
    return _SPAN((s.line + 1 + offset, s.column + 1, e.line + 1 + offset, e.column + 1))


_Maps = tuple[dict[YamlPath, Span], dict[YamlPath, Span], dict[YamlPath, str]]


def walk(root: Node | None, offset: int) -> _Maps:
    """Every span, key span and source text of the tree, in the event parser's order."""
    maps: _Maps = ({}, {}, {})
    if root is not None:
        _visit(root, (), offset, maps)
    return maps


def _visit(n: Node, path: YamlPath, offset: int, maps: _Maps) -> None:
    cls = n.__class__
    if cls is ScalarNode:
        maps[0][path] = _span(n, n, offset)
        if n.tag == _PLAIN and not isinstance(resolve_plain(n.value), str):
            maps[2][path] = n.value
        return
    if cls is SequenceNode:
        for i, item in enumerate(n.value):
            _visit(item, (*path, i), offset, maps)
    else:
        for k, v in n.value:
            at = (*path, k.value)
            maps[1][at] = _span(k, k, offset)
            _visit(v, at, offset, maps)
    maps[0][path] = _span(n, n, offset)


def located(root: Node | None, text: str, offset: int) -> tuple[LazyMap, LazyMap, LazyMap]:
    """The three lazy maps of a tree: spans, key spans, source texts."""
    state = NodeLocated(root, text, offset)
    return (
        LazyMap.of(state, Located.SPANS),
        LazyMap.of(state, Located.KEYS),
        LazyMap.of(state, Located.SOURCE),
    )
