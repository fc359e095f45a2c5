"""tf check's `[html]` rule reads a body as CommonMark does (tfcli.body_html): code spans of
any length, fences closed only by their own kind, HTML blocks; held to markdown-it-py's own
token stream (html_inline and html_block tokens) on generated bodies."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tfcli.body_html import TAG, tags

_MD = MarkdownIt("commonmark")  # raw HTML on: its tokens say what is HTML


def oracle(body: str) -> list[tuple[int, int, str]]:
    """(first line, end line, tag) of each tag TAG knows, as markdown-it-py's tokens have
    them: an html_inline token that is one, each one in an html_block's raw text."""
    out = []
    for t in _MD.parse(body):
        assert t.map is not None or t.type.endswith("_close")
        if t.type == "html_block":
            assert t.map is not None
            out += [(t.map[0], t.map[1], m.group()) for m in TAG.finditer(t.content)]
        elif t.type == "inline":
            assert t.map is not None
            for c in t.children or ():
                if c.type == "html_inline" and TAG.fullmatch(c.content):
                    out.append((t.map[0], t.map[1], c.content))
    return out


def check(body: str) -> None:
    got = list(tags(body))
    want = oracle(body)
    assert [t for _, _, t in got] == [t for _, _, t in want], body
    lines = body.split("\n")
    for (line, col, tag), (first, end, _) in zip(got, want, strict=True):
        assert first <= line < end, body
        assert lines[line][col:].startswith(tag), body


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("A ``a `<b>` c`` d.", []),
        ("A ``a `<b>` c`` then <i>.", ["<i>"]),
        ("A ``<b>`` c.", []),
        ("A `` ` `` <b> c.", ["<b>"]),
        ("A ```<b>`` c.", ["<b>"]),  # no run of three closes it: text, and the tag is HTML
        ("A `code\nacross <b> lines` c.", []),
        ("A \\`<b>` c.", ["<b>"]),
        ("```\n<b>\n~~~\n<i>\n```\n<u>", ["<u>"]),  # ~~~ does not close ```
        ("```\n<b>\n````\n<i>", ["<i>"]),  # a longer fence closes
        ("````\n<b>\n```\n<i>", []),  # a shorter one does not; unclosed, to the end
        ("~~~ `x`\n<b>\n~~~\n<i>", ["<i>"]),
        ("``` `x`\n<b>\n```", ["<b>"]),  # a backtick fence's info has no backtick: no fence
        ("Text\n    <b> continues the paragraph", ["<b>"]),
        ("\n    <b> is code", []),
        ("<div>\n`<b>`\n\n`<i>`", ["<div>", "<b>"]),  # an HTML block is raw HTML
        ("A <!-- ` --> <b>`", ["<b>"]),
        ("A <https://x.org/`> <b>`", ["<b>"]),
        ("A <!X `> <b>`", ["<b>"]),  # a declaration
        ("A <? ` ?> <b>`", ["<b>"]),  # a processing instruction
        ("A <!--> `<b>` <i>", ["<i>"]),  # an empty comment
        ("A <!-- <b> --> <i>", ["<i>"]),
    ],
)
def test_code_spans_fences_and_blocks(body: str, found: list[str]) -> None:
    assert [t for _, _, t in tags(body)] == found
    check(body)


# Generated bodies: only constructs tfcli.body_html reads as CommonMark does (paragraphs,
# code spans, escapes, autolinks, comments, fences, HTML blocks); no lists, block quotes,
# headings, tables, links or tabs (read approximately: outside the property).
INLINE_TAGS = ["<b>", "</b>", "<i>", "<br/>", "<br />", '<span class="x">', "</span>"]
INLINE_TAGS += ['<a href="#">', "</a>", "<em>", "<div>", "</p>", "<pre>"]
PIECES = [
    "a",
    "b c",
    "`",
    "``",
    "```",
    "\\`",
    "\\<b>",
    " < ",
    "<https://x.org/>",
    "<!-- ` -->",
    *INLINE_TAGS,
]
words = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map(lambda p: "w" + "".join(p))
spaced = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map(lambda p: "w " + " ".join(p))
para_line = st.one_of(words, spaced)
paragraph = st.lists(para_line, min_size=1, max_size=3).map("\n".join)
fence_line = st.builds(
    lambda indent, char, n, info: " " * indent + char * n + info,
    st.integers(0, 3),
    st.sampled_from("`~"),
    st.integers(3, 5),
    st.sampled_from(["", " py", " `x`", "  "]),
)
fenced = st.builds(
    lambda head, body, close: "\n".join([head, *body, *close]),
    fence_line,
    st.lists(st.one_of(para_line, fence_line, st.sampled_from(INLINE_TAGS)), max_size=3),
    st.lists(fence_line, max_size=1),
)
html_block = st.builds(
    lambda tag, rest: tag + rest,
    st.sampled_from([*INLINE_TAGS, "<div>", "</div>", "<p>", "</pre>"]),
    st.sampled_from(["", " `<b>`", " text <i>"]),
)
block = st.one_of(paragraph, fenced, html_block)
bodies = st.lists(st.tuples(block, st.sampled_from(["\n", "\n\n"])), min_size=1, max_size=5).map(
    lambda bs: "".join(b + sep for b, sep in bs)
)


@settings(max_examples=400, deadline=None)
@given(body=bodies)
@example(body="w``a `<b>` c``<i>\n")
@example(body="```\nw <b>\n~~~\n<i>\n")
def test_the_rule_reads_html_as_markdown_it_does(body: str) -> None:
    check(body)
