"""The values of front matter as tfcli.schema_lean reads them: each as the general reader
(tfcli.fields, tfcli.schema_actions) reads a value it has nothing to say about, and `_Unsure`
raised at once for any other (the general reader then reads the whole file)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import repeat
from operator import call
from typing import Any, TypeVar

from tfcli.fields import _NAME_ORG, HHMM, ISO_DATE, guess_date
from tfcli.model import MEETING_ROLES, Note, Person
from tfcli.record import Record
from tfcli.schema_actions import _DATEISH, NOTE_KEYS

R = TypeVar("R", bound=Record)
_PERSON = frozenset(("name", "organisation", "role"))
_ATTENDS = _PERSON | {"as"}
_NOTE = frozenset(NOTE_KEYS)


def _maker(cls: type[R]) -> Callable[..., R]:
    """`cls(*values)` with every field given, past its Python __init__: each slot set by its
    descriptor (0.7 of the cost: a clean file makes some 30 records)."""
    setters = tuple(cls.__dict__[name].__set__ for name in cls.__slots__)
    count = len(setters)
    new = object.__new__

    def make(*values: Any) -> R:
        if len(values) != count:
            raise TypeError(f"{cls.__name__} has {count} fields, not {len(values)}")
        record = new(cls)
        any(map(call, setters, repeat(record), values))  # the loop in C: each returns None
        return record

    return make


_person_of = _maker(Person)
_note = _maker(Note)


class _Unsure(Exception):
    """A value the general builder may have something to say about: it reads the file."""


# -- values: each as the general reader reads it when it has nothing to say ------------------


def _text(value: Any) -> str | None:
    """`Fields.text` of a value it accepts."""
    if value.__class__ is str:
        return value.strip() or None
    if value is None:
        return None
    if value.__class__ is int or value.__class__ is float:
        return str(value).strip() or None
    raise _Unsure


def _words(value: Any) -> str | None:
    """A title or location: text that is not empty (an empty one is a warning)."""
    if value is None:
        return None
    text = _text(value)
    if text is None:
        raise _Unsure
    return text


def _date(value: Any) -> date | None:
    if value is None:
        return None
    if value.__class__ is not str or not ISO_DATE.match(value):
        raise _Unsure
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Unsure from None


def _time(value: Any) -> str | None:
    # A value that stayed text has no source text (only the others do): the value is it.
    if value is None:
        return None
    if value.__class__ is not str or not HHMM.match(value):
        raise _Unsure
    return value


def _choice(value: Any, options: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if value.__class__ is str and value in options:
        return value
    raise _Unsure


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    if value.__class__ is not list:
        raise _Unsure
    return value


def _texts(value: Any, one_ok: bool) -> tuple[str, ...]:
    if one_ok and value.__class__ is str:
        value = [value]
    out = []
    for v in _items(value):
        if (t := _text(v)) is not None:
            out.append(t)
    return tuple(out)


def _known(value: dict[Any, Any], keys: frozenset[str]) -> dict[Any, Any]:
    if not value.keys() <= keys:
        raise _Unsure  # an unknown key: a warning
    return value


def _person(value: Any, attends: bool) -> Person | None:
    if value.__class__ is str:
        text = value.strip()
        if not text:
            return None
        if m := _NAME_ORG.fullmatch(text):  # `Name (Organisation)`, as fields.parse_person
            return _person_of(m[1].strip(), m[2].strip(), None, None, False)
        return _person_of(text, None, None, None, False)
    if value is None:
        return None
    if value.__class__ is not dict:
        raise _Unsure
    _known(value, _ATTENDS if attends else _PERSON)
    name = _text(value.get("name"))
    org = _text(value.get("organisation"))
    if not (name or org):
        raise _Unsure
    role = _text(value.get("role"))
    how = _choice(value.get("as"), MEETING_ROLES, "") if attends else ""
    return _person_of(name, org, role, how or None, not org)


def _people(value: Any, attends: bool, one_ok: bool) -> tuple[Person, ...]:
    if one_ok and (value.__class__ is str or value.__class__ is dict):
        value = [value]
    out = []
    for v in _items(value):
        if (p := _person(v, attends)) is not None:
            out.append(p)
    return tuple(out)


def _due(value: Any, year: int) -> tuple[date | None, str | None]:
    """`schema_actions.due` of a value it accepts; `year` the meeting's, for date hints."""
    if value.__class__ is str:
        if ISO_DATE.match(value):
            return _date(value), None
        if not ISO_DATE.match(value.strip()):
            words = " ".join(value.split())
            if (
                any(c.isalpha() for c in words)
                and not _DATEISH.search(words)
                and guess_date(words, year) is None
            ):
                return None, value.strip()
    raise _Unsure


def _notes(value: Any) -> tuple[Note, ...]:
    out = []
    for item in _items(value):
        if item.__class__ is dict:
            _known(item, _NOTE)
            text = _text(item.get("text"))
            if not text:
                raise _Unsure
            out.append(_note(text, _date(item.get("date"))))
        elif text := _text(item):
            out.append(_note(text, None))
    return tuple(out)
