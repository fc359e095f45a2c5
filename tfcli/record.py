"""Records: slotted classes that behave as `@dataclass(slots=True)` ones (frozen or not) but
cost nothing to define. A dataclass compiles its generated methods at every import (about
0.7 ms a frozen class, 14 ms for the model's 16, at each start of tf); here the methods are
written once, over `__slots__` (the fields, in order), and each class writes its `__init__`.

What they keep from dataclasses: `==` between records of the same class, field by field;
`repr` `Name(field=value, ...)`; a frozen record refuses assignment and hashes as the tuple of
its fields; `replace` (dataclasses.replace); pickling and copying as a call of the class with
every field (what tfcli.index did for dataclasses, without a table)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import attrgetter
from typing import Any, ClassVar, TypeVar

_set = object.__setattr__


def init(record: Record, *values: object) -> None:
    """Set a record's fields, in order, from its __init__: past a frozen record's own
    __setattr__, as a frozen dataclass's generated __init__ does. The loop runs in C (`any`
    over `map`: every set returns None): a cold load makes a few hundred thousand records."""
    names = record.__slots__
    if len(values) != len(names):
        raise TypeError(f"{type(record).__name__} has {len(names)} fields, not {len(values)}")
    any(map(_set, repeat(record), names, values))


class Record:
    __slots__: ClassVar[tuple[str, ...]] = ()
    # The tuple of a record's fields' values, in C: `self._values(self)`.
    _values: ClassVar[Callable[..., tuple[Any, ...]]]

    def __init_subclass__(cls) -> None:
        names = cls.__slots__
        if any(getattr(base, "__slots__", ()) for base in cls.__mro__[1:]):
            raise TypeError(f"{cls.__name__}: a record's fields are its own __slots__")
        if not names:  # Frozen itself
            return
        get = attrgetter(*names)
        cls._values = get if len(names) > 1 else lambda obj: (get(obj),)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values(self) == self._values(other)
        return NotImplemented

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__qualname__}({fields})"

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return type(self), self._values(self)


class Frozen(Record):
    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._values(self))


R = TypeVar("R", bound=Record)


def fields(cls: type[Record]) -> tuple[str, ...]:
    """The names of a record's fields, in order (dataclasses.fields' names)."""
    return cls.__slots__


def replace(record: R, **changes: Any) -> R:
    """A copy of `record` with `changes` (dataclasses.replace)."""
    values = dict(zip(fields(type(record)), record._values(record), strict=True))
    make: Any = type(record)  # a record's own __init__, with every field
    return make(**{**values, **changes})  # type: ignore[no-any-return]
