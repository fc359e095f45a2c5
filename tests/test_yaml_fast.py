"""The fast YAML path (libyaml's composer, positions on demand: tfcli.yamlnodes) gives exactly
what the event parser gives (`yamlstrict.parse_events`, the reader before it): the same
values of the same types, the same spans, key spans and source texts in the same order, and
the same refusal (message, line, column, hint) of every trap, on generated YAML."""

from __future__ import annotations

import marshal
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfcli import spanmap, yamlnodes, yamlstrict
from tfcli.errors import LoadError
from tfcli.spanmap import LazyMap

# Scalars as people write them, traps included: YAML 1.1 times, booleans, octals, dates, floats
# and specials, empties, text that looks like indicators, and characters that could start an
# anchor, alias or tag.
PLAIN_TRAPS = [
    "10:00", "1:30:00", "NO", "no", "yes", "On", "off", "012", "0x1F", "1_000", "2022-07-08",
    ".inf", "-.inf", ".nan", "true", "True", "FALSE", "12", "-3", "+4", "1e3", "9.30", ".5",
    "~", "null", "Null", "", "R&D", "Done!", "a*b", "é", "1" * 20, "0", "-0", "3.", "a b",
]  # fmt: skip
# Refused, or taken by YAML for something else, when plain: rarer, to keep most documents good.
RISKY_TRAPS = ["<<", "Q & A", "* star", "&x", "*x", "!x", "!!str 1", "& lone", "#5", "a: b", "- i"]
WORDS = st.one_of(
    *[st.sampled_from(PLAIN_TRAPS)] * 20,
    st.sampled_from(RISKY_TRAPS),
    st.text(alphabet=st.sampled_from([*"abcAB09 :-#&*!'\"é.,[]{}"]), max_size=8),
)


RARE = st.integers(0, 60).map(lambda n: n == 37)


def _quote(text: str, style: int) -> str:
    if style == 1:
        return "'" + text.replace("'", "''") + "'"
    if style == 2:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text  # plain: whatever YAML makes of it, or an error


@st.composite
def scalars(draw: st.DrawFn) -> str:
    text = draw(WORDS)
    anchor = draw(st.sampled_from(["&a ", "!!str ", "! ", "!t "])) if draw(RARE) else ""
    return anchor + _quote(text, draw(st.integers(0, 2)))


def _block(value: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for k, v in value.items():
            if isinstance(v, str):
                lines.append(f"{pad}{k}: {v}\n")
            else:
                lines.append(f"{pad}{k}:\n{_block(v, indent + 2)}")
        return "".join(lines) or f"{pad}{{}}\n"
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, str):
                out.append(f"{pad}- {v}\n")
            else:
                out.append(f"{pad}-\n{_block(v, indent + 2)}")
        return "".join(out) or f"{pad}[]\n"
    return f"{pad}{value}\n"


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


KEYS = st.builds(
    lambda rare, good, bad: bad if rare else good,
    st.integers(0, 60).map(lambda n: n == 37),
    st.sampled_from(["a", "b", "date", "title", "id", "'q'", "NO", "é", "a b", '"k"']),
    st.sampled_from(["1", "true", "<<", "&k a", "~", "[a]"]),
)
TREES = st.recursive(
    scalars(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(KEYS, inner, max_size=4)
        | st.lists(st.tuples(KEYS, inner), max_size=3).map(lambda kv: dict(kv))
    ),
    max_leaves=12,
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    tree = draw(st.dictionaries(KEYS, TREES, min_size=1, max_size=5))
    text = _block(tree, 0)
    if draw(st.booleans()):  # a flow collection somewhere
        key = draw(KEYS)
        text += f"{key}x: {_flow(draw(TREES))}\n"
    if draw(st.integers(0, 4)) == 0:  # a duplicate key, an alias, an extra document...
        text += draw(st.sampled_from(["a: 1\n", "z: *a\n", "---\nb: 2\n", "\tc: 1\n", "w: [\n"]))
    return text


def _typed(value: Any) -> Any:
    """`value` with every scalar's type: 1 == True == 1.0 in Python, not in YAML."""
    if isinstance(value, dict):
        return [(k, _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _result(parse: Any, text: str, offset: int) -> Any:
    try:
        tree = parse(text, offset)
    except LoadError as e:
        return ("error", e.rule, e.message, e.line, e.col, e.hint)
    maps = [list(tree.spans.items()), list(tree.key_spans.items()), list(tree.source.items())]
    return ("tree", _typed(tree.value), maps)


def _same(text: str, offset: int = 0) -> None:
    expected = _result(yamlstrict.parse_events, text, offset)
    assert _result(yamlstrict.parse, text, offset) == expected
    if expected[0] == "error":
        return
    old = yamlstrict.parse_events(text, offset)
    # One path at a time, before any map is made (as `Fields.where` asks), then released.
    for release in (False, True):
        new = yamlstrict.parse(text, offset)
        if release:
            new.release()
        asked = [*old.spans, (), ("nope",), ("a", 99), ("a", -1), ("a", "b", "c"), (0,)]
        for path in asked:
            assert new.spans.get(path) == old.spans.get(path)
            assert (path in new.spans) == (path in old.spans)
            assert new.key_spans.get(path) == old.key_spans.get(path)
            assert new.source.get(path) == old.source.get(path)
        assert new.spans == old.spans and new.key_spans == old.key_spans
        assert new.source == old.source
    # As the index keeps them: the front matter, made into the same spans when read back.
    new = yamlstrict.parse(text, offset)
    new.release()
    back = spanmap.loads(spanmap.dumps(new.spans))
    assert list(back.items()) == list(old.spans.items())


@settings(max_examples=800, deadline=None)
@given(text=documents(), offset=st.integers(0, 3))
def test_fast_parse_is_the_event_parse(text: str, offset: int) -> None:
    _same(text, offset)


@settings(max_examples=600, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*"abc:-[]{}&*!|>'\"#%@`,?~ \n\t0123456789.<", "\x07", "é"]),
        max_size=120,
    )
)
def test_fast_parse_is_the_event_parse_on_any_text(text: str) -> None:
    _same(text)


@pytest.mark.parametrize(
    "text",
    [
        "time: 10:00\nlocation: NO\nok: yes\nn: 012\nd: 2022-07-08\nf: 9.30\nz: ~\ne:\n",
        "a: 1\nb: 2\na: 3\n",  # duplicate key
        "a: &x 1\nb: *x\n",
        "a: &x 1\n",  # an anchor never used: invisible to the composer
        "a: !!str 1\n",
        "a: ! x\n",
        "a:\n  <<: {b: 1}\n",
        "1: x\n",
        "? [a]\n: x\n",
        "a: 1\n---\nb: 2\n",
        "a: " + "[" * 40 + "]" * 40,
        "a: [" + ", ".join(["1"] * (yamlstrict.MAX_VALUES + 1)) + "]",
        "- " * 2000 + "x",  # beyond libyaml's own nesting limit
        "a: 'never closed\n",
        "title: a\x07b\n",
        "",
        "# only a comment\n",
        "---\n",
        "{a: [1, {b: c}], 'd': \"e\"}\n",
    ],
)
def test_pinned_cases_agree(text: str) -> None:
    _same(text, 1)


def test_a_clean_file_takes_the_fast_path_and_makes_no_spans() -> None:
    tree = yamlstrict.parse("date: 2022-06-24\nactions:\n  - id: 1\n    due: 2022-07-08\n", 1)
    assert type(tree.spans) is LazyMap and tree.spans.blob() is not None
    assert tree.spans[("actions", 0, "due")].line == 5  # one path: still no map made
    assert tree.source.get(("actions", 0, "id")) == "1"
    assert tree.spans.blob() is not None
    first, offset = marshal.loads(spanmap.dumps(tree.spans))
    assert (first, offset) == ("date: 2022-06-24\nactions:\n  - id: 1\n    due: 2022-07-08\n", 1)
    assert len(tree.spans) == 6 and tree.spans.blob() is None  # made, on a whole-map read


def test_text_that_could_hold_an_anchor_is_left_to_the_event_parser() -> None:
    for text in ("a: Q & A\n", "a: x\nb: !t y\n", "a: [*x]\n"):
        with pytest.raises(yamlnodes.Fallback):
            yamlnodes.compose(text)
    assert yamlnodes.compose("a: R&D, done!\n") is not None
    tree = yamlstrict.parse("a: Q & A\n")
    assert type(tree.spans) is dict and tree.value == {"a": "Q & A"}


def _resolve_before(text: str) -> Any:
    """yamlstrict.resolve_plain as it was before its shortcuts (the reference)."""
    if text and text[0] not in "~nNtTfF+-.0123456789":
        return text
    if re.match(r"(?:~|null|Null|NULL|)\Z", text):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if re.match(r"[-+]?(?:0|[1-9][0-9]{0,17})\Z", text):
        return int(text)
    if re.match(r"[-+]?(?:[0-9]{1,18}\.[0-9]{0,18}|\.[0-9]{1,18})(?:[eE][-+]?[0-9]{1,3})?\Z", text):
        return float(text)
    return text


@settings(max_examples=1500)
@given(
    st.sampled_from(PLAIN_TRAPS)
    | st.text(alphabet=st.sampled_from([*"0123456789+-.eE~nNtTfFulrsUL: x"]), max_size=12)
)
def test_resolve_plain_is_what_it_was(text: str) -> None:
    got, expected = yamlstrict.resolve_plain(text), _resolve_before(text)
    assert (type(got), got) == (type(expected), expected) or got != got  # nan


def test_without_libyaml_every_text_takes_the_event_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "date: 2022-06-24\ntime: 10:00\n"
    fast = _result(yamlstrict.parse, text, 1)
    monkeypatch.setattr(yamlnodes, "_CParser", None)
    tree = yamlstrict.parse(text, 1)
    assert type(tree.spans) is dict and _result(yamlstrict.parse, text, 1) == fast
