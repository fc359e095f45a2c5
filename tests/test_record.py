"""The model's records behave as the slotted dataclasses they replace (tfcli/record.py):
each is compared with a dataclass made from its own fields."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from tfcli import (
    action_views,
    actions,
    deadlines,
    frontmatter,
    model,
    model_config,
    output,
    tracked_store,
)
from tfcli.cli import common
from tfcli.record import Frozen, Record, fields, replace

MODEL = (model.__name__, model_config.__name__)  # model names the config's records too
RECORDS = [
    c
    for c in vars(model).values()
    if isinstance(c, type) and issubclass(c, Record) and c.__module__ in MODEL
]
# And those of the modules a listing imports, once dataclasses.
OTHERS = [
    actions.Revision, actions.Tracked, actions.Query, deadlines.Deadline, output.Column,
    frontmatter.Split, action_views.View, tracked_store.Actions, common.Formats,
]  # fmt: skip


def _twin(cls: type[Record]) -> Any:
    """The dataclass the record stands for: the same fields, frozen when the record is."""
    twin = dataclasses.make_dataclass(
        cls.__name__, fields(cls), frozen=issubclass(cls, Frozen), slots=True
    )
    twin.__qualname__ = cls.__qualname__
    return twin


def _values(cls: type[Record]) -> dict[str, Any]:
    return {n: f"<{cls.__name__}.{n}>" for n in fields(cls)}


def test_every_class_of_the_model_is_a_record() -> None:
    classes = {c for c in vars(model).values() if isinstance(c, type) and c.__module__ in MODEL}
    assert classes - set(RECORDS) == {model.Span, model.Severity}
    assert len(RECORDS) == 16


@pytest.mark.parametrize("cls", RECORDS + OTHERS, ids=lambda c: c.__name__)
def test_init_takes_the_fields_in_order(cls: type[Record]) -> None:
    params = list(inspect.signature(cls.__init__).parameters)
    assert params == ["self", *fields(cls)]
    assert set(cls.__annotations__) == set(fields(cls))
    values = _values(cls)
    by_name, in_order = cls(**values), cls(*values.values())
    assert [getattr(by_name, n) for n in fields(cls)] == list(values.values())
    assert by_name == in_order


@pytest.mark.parametrize("cls", RECORDS + OTHERS, ids=lambda c: c.__name__)
def test_a_record_behaves_as_its_dataclass(cls: type[Record]) -> None:
    values = _values(cls)
    record, twin = cls(**values), _twin(cls)(**values)
    assert repr(record) == repr(twin)
    assert record == cls(**values)
    assert (record != cls(**values)) is False
    first = fields(cls)[0]
    changed = replace(record, **{first: "other"})
    assert changed != record and getattr(changed, first) == "other"
    assert [getattr(changed, n) for n in fields(cls)[1:]] == list(values.values())[1:]
    assert record.__eq__(twin) is NotImplemented
    with pytest.raises(TypeError):
        replace(record, no_such_field=1)
    assert pickle.loads(pickle.dumps(record)) == record
    assert copy.copy(record) == record and copy.deepcopy(record) == record
    assert not hasattr(record, "__dict__")
    if issubclass(cls, Frozen):
        assert hash(record) == hash(twin)
        with pytest.raises(AttributeError):
            setattr(record, first, "x")
        with pytest.raises(AttributeError):
            delattr(record, first)
        assert getattr(record, first) == values[first]
    else:
        with pytest.raises(TypeError):
            hash(record)
        setattr(record, first, "x")
        assert getattr(record, first) == "x"


def test_defaults_and_fresh_mappings() -> None:
    from datetime import date
    from pathlib import Path

    a = model.Meeting(Path("a.md"), "a", date(2022, 1, 1))
    b = model.Meeting(Path("a.md"), "a", date(2022, 1, 1))
    assert a == b and a.status == "draft" and a.body_line == 1
    a.participants["x"] = ()
    assert b.participants == {} and b.extra == {} and b.spans == {}  # not shared
    assert model.Person("N").label() == "N" and model.Update("x/1", "m", date.min, 3).owners == ()


def test_a_record_does_not_extend_another() -> None:
    with pytest.raises(TypeError, match="its own __slots__"):

        class Wider(model.Link):
            __slots__ = ("more",)


def test_a_record_is_made_with_every_field_or_not_at_all() -> None:
    from tfcli.record import init

    link = model.Link("title", "https://example.org")
    with pytest.raises(TypeError, match="2 fields, not 1"):
        init(link, "only one")
    with pytest.raises(TypeError, match="2 fields, not 3"):
        init(link, "a", "b", "c")
    assert (link.title, link.url) == ("title", "https://example.org")
