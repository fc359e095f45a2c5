"""tfcli.jsontext writes exactly json.dumps(indent=2, ensure_ascii=False)'s text."""

from __future__ import annotations

import json
from datetime import date
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfcli.jsontext import dumps
from tfcli.output import _jsonable


def _expected(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_jsonable)


scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.dates()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(values)
def test_same_text_as_json(value: Any) -> None:
    assert dumps(value, _jsonable) == _expected(value)


class Level(IntEnum):
    LOW = 1


class Kind(StrEnum):
    ERROR = "error"


@pytest.mark.parametrize(
    "value",
    [
        {1: "int key", None: 2, 1.5: True},  # keys json converts
        [float("nan"), float("inf"), -float("inf")],
        {"a": Level.LOW, "b": Kind.ERROR, "c": [{}, [], ()]},
        {"when": date(2022, 7, 8), "text": '\u2028\x7f"\\ é'},
        [[[[]]], {"x": {"y": {}}}],
    ],
)
def test_same_text_for_what_json_converts(value: Any) -> None:
    assert dumps(value, _jsonable) == _expected(value)


def test_unknown_values_fail_as_in_json() -> None:
    with pytest.raises(TypeError):
        dumps({"a": object()}, _jsonable)
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        dumps(loop, _jsonable)
