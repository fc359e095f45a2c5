"""The line reader (tfcli.yamlfast) gives exactly what libyaml's composer path gives
(tfcli.yamlnodes) and the event parser (`yamlstrict.parse_events`): the same values of the
same types, the same span, key span and source text at every path (asked one at a time, as
`Fields.where` asks, and as whole maps), or it leaves the text to them (Fallback); and
`yamlstrict.parse`, which tries it first, still gives what the event parser gives, every
refusal and its position included. On generated front matter in block style with the traps
people meet, and on the benchmark corpora."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_yaml_fast import PLAIN_TRAPS, _same, _typed

from tfcli import frontmatter, yamlfast, yamlnodes
from tfcli.spanmap import Located

# Mostly what minutes hold, with YAML's traps among them; now and then what only libyaml
# may read (an indicator first, a tab, `: ` or ` #` inside, escapes, control characters).
GOOD = st.sampled_from(
    ["Zoom", "a b  c", "R&D", "it's", "é ü", "日本", "\U0001f600 ok", "a,b", "x:y", "a#b", "-3"]
)
RARE_WORDS = st.one_of(
    st.sampled_from(["x: y", "a # b", "- x", "a\\b", 'say "hi"', "[x]", "{y}", "*x", "&a b"]),
    st.sampled_from(["!t", "|", ">", "%x", "@x", "`x", "? x", ": x", "---", "a\x07"]),
    st.text(alphabet=st.sampled_from([*"abc09 :-#'\",[]é.\t"]), max_size=6),
)
WORDS = st.integers(0, 11).flatmap(
    lambda n: RARE_WORDS if n == 0 else st.sampled_from(PLAIN_TRAPS) if n < 5 else GOOD
)


@st.composite
def scalars(draw: st.DrawFn) -> str:
    text = draw(WORDS)
    style = draw(st.integers(0, 4))
    if style == 1:
        return "'" + text.replace("'", "''") + "'"
    if style == 2:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == 3 and draw(st.integers(0, 3)) == 0:
        return "[" + ", ".join(draw(st.lists(WORDS, max_size=3))) + "]"
    return text  # plain: whatever YAML makes of it, or an error


KEYS = st.integers(0, 19).flatmap(
    lambda n: (
        st.sampled_from(["NO", "null", "true", "n", "é", "a b", "'q'", "1", "<<", "a "])
        if n == 0
        else st.sampled_from(["date", "title", "id", "text", "due", "a", "b", "x-y", "_k", "Tf"])
    )
)
TREES = st.recursive(
    scalars(),
    lambda inner: (
        st.lists(st.one_of(scalars(), scalars(), st.dictionaries(KEYS, inner, min_size=1)))
        | st.lists(inner, max_size=3)
        | st.dictionaries(KEYS, inner, min_size=1, max_size=4)
    ),
    max_leaves=14,
)


class _Writer:
    """A tree written in block style the many ways people write it."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.lines: list[str] = []

    def extra(self, pad: int) -> None:
        """Now and then a comment or blank line, at any indentation."""
        n = self.draw(st.integers(0, 12))
        if n == 0:
            self.lines.append(" " * self.draw(st.integers(0, 6)) + "# note: a - b")
        elif n == 1:
            self.lines.append(" " * self.draw(st.integers(0, 3)))

    def tail(self) -> str:
        return self.draw(st.sampled_from(["", "", "", "  ", " # c", "  #c: d"]))

    def value(self, head: str, v: Any, pad: int, in_list: bool) -> None:
        """`head` (`key:` or `-`, indented) and `v` after it or on the lines below."""
        if isinstance(v, str):
            gap = " " * self.draw(st.sampled_from([1, 1, 1, 2]))
            self.lines.append(f"{head}{gap}{v}{self.tail()}")
            return
        if not v:
            self.lines.append(f"{head} {'[]' if isinstance(v, list) else '{}'}")
            return
        if isinstance(v, dict) and in_list and self.draw(st.booleans()):  # `- key: value`
            self.mapping(v, len(head) + 1, first=head + " ")
            return
        self.lines.append(f"{head}{self.tail()}")
        step = self.draw(st.sampled_from([2, 2, 2, 4, 1, 3]))
        if isinstance(v, list) and not in_list and self.draw(st.booleans()):
            step = 0  # the list at its key's indentation
        self.block(v, pad + step)

    def mapping(self, v: dict[str, Any], pad: int, first: str | None = None) -> None:
        for i, (k, item) in enumerate(v.items()):
            if i or first is None:
                self.extra(pad)
            lead = first if (i == 0 and first is not None) else " " * pad
            self.value(f"{lead}{k}:", item, pad, False)

    def block(self, v: Any, pad: int) -> None:
        if isinstance(v, dict):
            self.mapping(v, pad)
            return
        for item in v:
            self.extra(pad)
            self.value(" " * pad + "-", item, pad, True)


TRAPS = [  # the first two: a duplicate key where the document has that key
    "a: 1\n", "date: 2\n", "z: *a\n", "w: &a x\n", "t: !!str 1\n", "b: |\n  text\n",
    "c: >\n  folded\n", "m: two\n  lines\n", "\tk: v\n", "  odd: 1\n", "---\n", "...\n",
    "q: 'open\n", 'q: "a\\tb"\n', "f: {a: 1}\n", "g: [a, [b]]\n", "h: [a, ]\n", "- top\n",
    "k:v\n", "k : v\n", "? k\n: v\n", "e: \x85x\n", "u: \u2028\n", "%YAML 1.1\n",
]  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> str:
    tree = draw(st.dictionaries(KEYS, TREES, min_size=1, max_size=5))
    w = _Writer(draw)
    w.mapping(tree, 0)
    lines = w.lines
    if draw(st.integers(0, 3)) == 0:  # a trap somewhere
        at = draw(st.integers(0, len(lines)))
        lines[at:at] = draw(st.sampled_from(TRAPS)).rstrip("\n").split("\n")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "", "\n\n# end\n", "\n  "]))


PATHS = [(), ("nope",), ("a", 99), ("a", -1), ("a", 0, "b"), (0,), ("date", 0), ("a", True)]


def _agree(text: str, offset: int) -> bool:
    """Whether the line reader read `text`; when it did, that it read it as libyaml does."""
    try:
        value, where = yamlfast.read(text, offset)
    except yamlfast.Fallback:
        return False
    root = yamlnodes.compose(text)  # what it read, libyaml reads without complaint
    assert _typed(value) == _typed(yamlnodes.values(root))
    maps = yamlnodes.walk(root, offset)
    for path in [*maps[0], *maps[1], *PATHS]:
        for kind in (Located.SPANS, Located.KEYS, Located.SOURCE):
            assert where.find(kind, path) == maps[kind].get(path), (kind, path)
    return True


@settings(max_examples=1500, deadline=None)
@given(text=documents(), offset=st.integers(0, 3))
def test_the_line_reader_reads_as_libyaml_or_leaves_the_text(text: str, offset: int) -> None:
    _agree(text, offset)
    _same(text, offset)  # and parse, which tries it first, is the event parser


def test_generated_front_matter_mostly_takes_the_line_reader() -> None:
    """The property above is about the line reader only if it reads many of the documents."""
    read: list[bool] = []

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(documents())
    def run(text: str) -> None:
        read.append(_agree(text, 1))

    run()
    assert sum(read) > len(read) / 5, f"{sum(read)} of {len(read)}"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: 1\nb:\n- x\n- 'y'\nc: \"z\"\n", {"a": 1, "b": ["x", "y"], "c": "z"}),
        ("a:\n  - id: 1\n    t: x # c\n  - id: 2\nb: [p q , 'r''s']\n", None),
        ("time: 10:00\nok: NO\nd: 2022-07-08\nf: 9.30\nn: ~\ne:\n# end\n", None),
        ("a:\n  b:\n    c:\n  d: 1\n", {"a": {"b": {"c": None}, "d": 1}}),
    ],
)
def test_pinned_documents_take_the_line_reader(text: str, value: Any) -> None:
    assert _agree(text, 2)
    if value is not None:
        assert yamlfast.read(text, 2)[0] == value
    _same(text, 2)


@pytest.mark.parametrize("text", [*TRAPS[2:], "a: 1\na: 2\n", "a: x\n  b: y\n", "a:\n\tb: 1\n"])
def test_traps_are_left_to_libyaml(text: str) -> None:
    with pytest.raises(yamlfast.Fallback):
        yamlfast.read("x: 1\n" + text, 1)
    _same("x: 1\n" + text, 1)


@pytest.mark.parametrize("size", ["1000", "5000"])
def test_the_benchmark_corpora_read_alike(size: str) -> None:
    folder = Path(os.environ.get("TF_CORPUS", "/work/corpus")) / size / "minutes"
    if not folder.is_dir():
        pytest.skip(f"no corpus at {folder}")
    for p in sorted(folder.iterdir())[:: 1 if size == "1000" else 7]:
        split = frontmatter.split(frontmatter.decode(p.read_bytes()))
        assert _agree(split.front_matter, split.front_matter_line - 1), p


@given(text=st.text(max_size=40) | st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_odd_characters_found_as_the_pattern_finds_them(text: str) -> None:
    """`odd` (ASCII text by a byte deletion) says what `_ODD.search` says, for every text."""
    assert yamlfast.odd(text) is (yamlfast._ODD.search(text) is not None)


@pytest.mark.parametrize("code", range(0x100))
def test_odd_for_each_character_of_the_first_256(code: int) -> None:
    text = f"a: b{chr(code)}c\n"
    assert yamlfast.odd(text) is (yamlfast._ODD.search(text) is not None)
