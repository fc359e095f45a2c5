"""Maps of positions made on first use: a parsed file's spans (`Meeting.spans`), key spans and
source texts, answered one path at a time while the parse's nodes are there, and made whole
only when someone reads the whole map. No YAML imported until then: the index keeps them.

The index stores a meeting's spans with `dumps` and reads them back with `items`: as the
front matter's text when they were never made (a cold run makes none for a clean file), else
as the spans themselves.
"""

from __future__ import annotations

import functools
import marshal
from collections.abc import Iterable
from typing import Any

from tfcli.model import Span, YamlPath

_Maps = tuple[dict[YamlPath, Span], dict[YamlPath, Span], dict[YamlPath, str]]


class Located:
    """Where the values of one parsed document are; see yamlnodes.NodeLocated."""

    SPANS, KEYS, SOURCE = 0, 1, 2
    __slots__ = ("filled",)

    def __init__(self) -> None:
        self.filled: _Maps | None = None

    def fill(self) -> _Maps:
        if self.filled is None:
            self.filled = self._maps()
        return self.filled

    def _maps(self) -> _Maps:
        raise NotImplementedError

    def find(self, kind: int, path: Any) -> Any:
        """The entry of map `kind` at `path`, or None, without making the map."""
        return self.fill()[kind].get(path)

    def release(self) -> None:
        """Drop what only speeds up `find` (the nodes); the maps can still be made."""

    def blob(self) -> tuple[str, int] | None:
        """What the maps can be made from again (front matter and line offset), while unmade."""
        return None


class LazyMap(dict[Any, Any]):
    """A dict that is made on first use of anything but `get`, `[]` and `in`. Every way of
    reading a dict makes it first, so it behaves as the dict it stands for."""

    __slots__ = ("_kind", "_state")

    def __init__(self, items: Iterable[Any] = ()) -> None:
        # What a dict is made from (`dataclasses.asdict` calls the class so): made already.
        super().__init__(items)
        self._state: Located | None = None
        self._kind = 0

    @classmethod
    def of(cls, state: Located, kind: int) -> LazyMap:
        new = cls()
        new._state = state
        new._kind = kind
        return new

    def release(self) -> None:
        if self._state is not None:
            self._state.release()

    def blob(self) -> tuple[str, int] | None:
        return None if self._state is None else self._state.blob()

    def _fill(self) -> None:
        if (state := self._state) is not None:
            self._state = None
            dict.update(self, state.fill()[self._kind])

    def get(self, key: Any, default: Any = None) -> Any:
        if self._state is None:
            return dict.get(self, key, default)
        got = self._state.find(self._kind, key)
        return default if got is None else got

    def __getitem__(self, key: Any) -> Any:
        if self._state is None:
            return dict.__getitem__(self, key)
        if (got := self._state.find(self._kind, key)) is None:
            raise KeyError(key)
        return got

    def __contains__(self, key: object) -> bool:
        if self._state is None:
            return dict.__contains__(self, key)
        return self._state.find(self._kind, key) is not None

    def __eq__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, LazyMap):
            other._fill()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __reduce__(self) -> Any:
        self._fill()
        return dict, (dict(self.items()),)


def _filling(name: str) -> Any:
    method = getattr(dict, name)

    def filled(self: LazyMap, *args: Any, **kwargs: Any) -> Any:
        self._fill()
        return method(self, *args, **kwargs)

    return filled


_READERS = "__iter__ __len__ __reversed__ keys values items copy"
_OTHERS = "__repr__ __or__ __ror__ __ior__ __setitem__ __delitem__ setdefault pop"
for _name in f"{_READERS} {_OTHERS} popitem update clear".split():
    setattr(LazyMap, _name, _filling(_name))


# A Span made in C (tuple.__new__), not by the NamedTuple's Python __new__.
_SPAN = functools.partial(tuple.__new__, Span)


def dumps(spans: dict[YamlPath, Span]) -> bytes:
    """Marshal data `items` reads back: the front matter while the spans are unmade."""
    if isinstance(spans, LazyMap) and (blob := spans.blob()) is not None:
        return marshal.dumps(blob)
    return marshal.dumps((tuple(spans), tuple(map(tuple, spans.values()))))


def loads(raw: bytes) -> LazyMap:
    """The spans `dumps` wrote, made on first use (most commands look up none): from the
    front matter, parsed again, when that is what it kept."""
    return LazyMap.of(_Stored(raw), Located.SPANS)


class _Stored(Located):
    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        super().__init__()
        self.raw = raw

    def _maps(self) -> _Maps:
        first, second = marshal.loads(self.raw)
        if isinstance(first, str):
            from tfcli import yamlnodes

            return yamlnodes.walk(yamlnodes.compose(first), second)
        return dict(zip(first, map(_SPAN, second), strict=True)), {}, {}
