"""The line reader (tfcli.yamlfast) against hostile front matter: what it reads, it reads as
libyaml's composer and the event parser do (values, types, spans, key spans, source texts,
and no refusal by either); what it does not fully understand it leaves to them. Pinned
divergences found by a differential fuzzer, then generated lines nearer the edges of its
subset than tests/test_yaml_fastest.py's documents (odd characters and line breaks, long
keys, indicators, flow lists, odd indentation) and random edits of real front matter."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SEED, SEED_FILE
from hypothesis import given, settings
from hypothesis import strategies as st
from test_yaml_fast import PLAIN_TRAPS, _same
from test_yaml_fastest import TRAPS, _agree, _Writer

from tfcli import frontmatter, yamlfast
from tfcli.yamlstrict import MAX_VALUES

# libyaml refuses a key longer than 1,024 characters ("could not find expected ':'", or
# "mapping values are not allowed in this context" for the first key): the line reader read
# it as a key.
LONG_KEYS = [
    "k" * 1025 + ": v\n",
    "a: 1\n" + "k" * 1025 + ": v\n",
    "a:\n- " + "k" * 1025 + ": v\n",
    "a:\n  b:\n    " + "k" * 2000 + ":\n      c: 1\n",
]


@pytest.mark.parametrize("text", LONG_KEYS)
def test_a_key_longer_than_libyaml_takes_is_left_to_it(text: str) -> None:
    with pytest.raises(yamlfast.Fallback):
        yamlfast.read(text, 1)
    _same(text, 1)  # and the event parser's refusal is what parse says


@pytest.mark.parametrize("text", ["k" * 1024 + ": v\n", "a:\n- " + "k" * 1024 + ": v\n"])
def test_a_key_of_1024_characters_takes_the_line_reader(text: str) -> None:
    assert _agree(text, 1)
    _same(text, 1)


# Edges of the subset, each read as libyaml reads it or left to it (found by hand and by
# the fuzzer; all agree): indicators inside and first, `:` and `#` without a space, no-break
# spaces, quotes in plain text and plain text in flow lists, where collections end at the
# end of the text, document markers, directives, tabs, BOMs, other line ends.
EDGES = [
    "a: [a?b, a'b, a\"b, a%b, a|b, a>b, a!b, a-, a - b]\n", "a: [x,y , 'c,d', \"e]\"]\n",
    "a: [ ]\n", "a: [a, ]\n", "a: [a]b\n", "a: [a]#b\n", "a: 'a'#b\n", "a: [\U0001f600, c]\n",
    "a: x:y\n", "a: x :y\n", "a: x:#\n", "a: x#y\n", "a: x  #  y\n", "a: x:\n", "a: x: y\n",
    "a: -x\n", "a: -[a]\n", "a: -#\n", "a: -\n", "a: - x\n", "a: \xa0x\xa0#y\xa0\n", "a:\xa0b\n",
    "a:\n- k:v\n", "a:\n- - x\n", "a:\n-\n", "a:\n- # c\n", "a:\n- k: v\n  - x\n",
    "a:\n- k:\n  - x\n", "a:\n  -  k: 1\n     j: 2\n", "a:\n  b:\n- x\n", "a:\n  b:\n  - x\nc: 1\n",
    "a:\n  b: 1\n    ", "a:\n  b:\n    c: 1\n  ", "a:\n- x\n   ", "a:\n  b: 1\n# c", "a: 1\n  #",
    "a: 1\n---\n", "a: 1\n--- \n", "a: 1\n...\n", "a:\n- ---\n- ...\n", "a: 1\n%YAML 1.1\n",
    "Null: 1\n", "TRUE: 1\n", "nULL: 1\n", "y: 1\nn: 2\nNO: 3\non: 4\ninf: 5\n_: 6\na-: 7\n",
    "a:\t1\n", "a: 1\t\n", "a:\n  -\tx\n", "a: \ufeffx\n", "\ufeffa: 1\n", "a: b\n\x0c\n",
    "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\n", "a: 1\x85b: 2\n", "a: 1\u2028b: 2\n", "a: x\x7f\n",
    "a: 0x1F\nb: 1_000\nc: 012\nd: 0o12\ne: 10:00\nf: 2022-07-08 10:00\ng: -0\nh: .inf\n",
    "a: 1" + "0" * 18 + "\nb: 1e999\nc: +.5\nd: 3.\n", "a: '" + "''" * 40 + "'\n",
]  # fmt: skip


@pytest.mark.parametrize("text", EDGES)
def test_edges_of_the_subset(text: str) -> None:
    _agree(text, 2)
    _same(text, 2)


def _nested(levels: int, leaf: str) -> str:
    return "a:\n" + "".join("  " * i + "b:\n" for i in range(1, levels)) + "  " * levels + leaf


@pytest.mark.parametrize("levels", [14, 15, 16])
@pytest.mark.parametrize("leaf", ["c: 1\n", "c: [1]\n", "- x\n", "- [x]\n"])
def test_the_depth_limit_is_the_event_parsers(levels: int, leaf: str) -> None:
    """Read by the line reader only well inside the limit; at it, the same refusal."""
    text = _nested(levels, leaf)
    assert _agree(text, 1) == (levels < 15)
    _same(text, 1)


def test_the_values_limit_is_the_event_parsers() -> None:
    for items in (MAX_VALUES - 2, MAX_VALUES - 1):  # the root, the list, its items
        text = "a:\n" + "- x\n" * items
        with pytest.raises(yamlfast.Fallback):  # many lines: maybe too many values
            yamlfast.read(text, 1)
        _same(text, 1)


# Characters libyaml reads otherwise or refuses (breaks, tab, BOM, controls, non-characters)
# and ones it reads as text although they look odd (no-break space, bidi, emoji, U+E000).
ODD = ["\t", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\ufeff", "\x00", "\x07", "\x0b", "\x7f"]
ODD += ["\x9f", "\xa0", "\u200b", "\u202e", "\ue000", "\ufffd", "\ufffe", "\U0001f600", "\x1b"]
ALPHABET = st.sampled_from(
    [*"ab1.~:-#'\"[]{},&*!|>%@`?= ", "\\", "é", *(c for c in ODD if len(c) == 1)]
)
GOOD = st.sampled_from(["Zoom", "a b", "R&D", "it's", "é ü", "日本", "a,b", "a\xa0b", "\U0001f600"])
ODD_WORDS = st.one_of(
    st.sampled_from(["0x1F", "1_000", "+1", "0o12", "1e999", "2022-07-08 10:00", "-x", "--x"]),
    st.sampled_from(["a:b", "a :b", "a:", "x #y", "x#y", "-[a]", "-#", "x]", "{x}", "'a'b", "..."]),
    st.text(ALPHABET, max_size=7),
)
# Mostly what minutes hold; one word in twelve from the edges of the subset.
WORDS = st.integers(0, 11).flatmap(
    lambda n: ODD_WORDS if n == 0 else st.sampled_from(PLAIN_TRAPS) if n < 6 else GOOD
)
SEPARATORS = st.sampled_from([", ", ", ", ",", " , ", ",  ", ", ,", ",]", " "])


def _quoted(word: str, style: int, escape: str) -> str:
    if style == 1:
        return "'" + word.replace("'", escape) + "'"
    if style == 2:
        return '"' + word.replace('"', '\\"' if escape == "''" else "'") + '"'
    return word


SCALARS = st.builds(_quoted, WORDS, st.integers(0, 3), st.sampled_from(["''"] * 9 + ["'"]))


@st.composite
def values(draw: st.DrawFn) -> str:
    """A value as written after `key:` or `-`: plain, quoted (escapes or not), a flow list."""
    if draw(st.integers(0, 4)) == 0:
        items = draw(st.lists(SCALARS | st.sampled_from(["[a]", "{a: b}", ""]), max_size=4))
        inside = draw(SEPARATORS).join(items)
        pad = draw(st.sampled_from(["", "", " "]))
        return "[" + pad + inside + draw(st.sampled_from(["", "", " ", ","])) + "]"
    return draw(SCALARS)


ODD_KEYS = st.one_of(
    st.sampled_from(["NO", "y", "n", "Null", "TRUE", "nan", "inf", "1", "~", "<<", "'q'", "é"]),
    st.sampled_from(["k" * 1023, "k" * 1024, "k" * 1025, "a b", "", "-k", "?k", "k ", "k\xa0"]),
    st.text(ALPHABET, min_size=1, max_size=4),
)
KEYS = st.integers(0, 15).flatmap(
    lambda n: (
        ODD_KEYS
        if n == 0
        else st.sampled_from(["date", "title", "id", "text", "a", "b", "x-y", "_k", "Tf", "k-"])
    )
)
TREES = st.recursive(
    values(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, min_size=1, max_size=4)
    ),
    max_leaves=10,
)
# What people and editors leave around the lines: other line ends, a stray character, trailing
# blanks, a comment or a document marker at the end.
ENDS = st.sampled_from(["\n", "\n", "", "  ", "\n# end", "\n  # x", "\n---\n", "\n...", "\n\n  "])


@st.composite
def documents(draw: st.DrawFn) -> str:
    tree = draw(st.dictionaries(KEYS, TREES, min_size=1, max_size=4))
    w = _Writer(draw)
    w.mapping(tree, 0)
    lines = w.lines
    breaks = ["\n"] * (len(lines) - 1)
    for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 2)) == 0 else 0):
        kind = draw(st.integers(0, 2))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == 0 and breaks:  # another line end
            breaks[at % len(breaks)] = draw(st.sampled_from(ODD))
        else:  # a stray character, or a trap line from the reader's own tests
            text = draw(st.sampled_from(ODD)) if kind == 1 else draw(st.sampled_from(TRAPS))
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut] + text.rstrip("\n") + lines[at][cut:]
    text = "".join(line + end for line, end in zip(lines, [*breaks, ""], strict=True))
    return text + draw(ENDS)


@settings(max_examples=300, deadline=None)
@given(text=documents(), offset=st.integers(0, 3))
def test_hostile_front_matter_reads_as_libyaml_or_is_left_to_it(text: str, offset: int) -> None:
    _agree(text, offset)
    _same(text, offset)


def test_hostile_front_matter_often_takes_the_line_reader() -> None:
    """The property above tests the line reader only if it reads a good share of them."""
    read: list[bool] = []

    @settings(max_examples=150, deadline=None, database=None, derandomize=True)
    @given(documents())
    def run(text: str) -> None:
        read.append(_agree(text, 1))

    run()
    assert sum(read) > len(read) / 6, f"{sum(read)} of {len(read)}"


def _front_matters() -> list[str]:
    files = [SEED / "minutes" / SEED_FILE, *sorted((FIXTURES / "corpus" / "minutes").glob("*.md"))]
    split = [frontmatter.split(frontmatter.decode(p.read_bytes())) for p in files]
    return [s.front_matter for s in split if s.front_matter]


REAL = _front_matters()
SNIPPETS = st.sampled_from([*"-:#'\"[],{}&*!|>%@`? \n", "\t", "\xa0", "\x85", "\u2028", "\ufeff"])
SNIPPETS |= st.sampled_from(["- ", ": ", " #", "  ", "\n  ", "\n- x", "---", "k" * 1025, "'"])


@st.composite
def edited(draw: st.DrawFn) -> str:
    """Real front matter after a few random edits: a character or piece inserted, replaced or
    removed, a line's indentation changed, a line copied elsewhere."""
    text = draw(st.sampled_from(REAL))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            text = text[:at] + draw(SNIPPETS) + text[at:]
        elif kind == 1:
            text = text[:at] + draw(SNIPPETS) + text[at + 1 :]
        elif kind == 2:
            text = text[:at] + text[at + draw(st.integers(1, 4)) :]
        else:
            lines = text.split("\n")
            n = at % len(lines)
            if kind == 3:
                lines[n] = (
                    " " * draw(st.integers(0, 3))
                    + lines[n].lstrip(" ")[: draw(st.integers(0, 2))]
                    + lines[n].lstrip(" ")
                )
            else:
                lines.insert(draw(st.integers(0, len(lines))), lines[n])
            text = "\n".join(lines)
    return text


@settings(max_examples=250, deadline=None)
@given(text=edited(), offset=st.integers(0, 3))
def test_edited_real_front_matter_reads_as_libyaml_or_is_left_to_it(text: str, offset: int) -> None:
    _agree(text, offset)
    _same(text, offset)
