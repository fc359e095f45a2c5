"""tfcli.site.simplemd: a body of ATX headings and plain paragraphs made without markdown-it
gives markdown-it's HTML byte for byte; anything else it declines (None) and markdown-it
renders it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tfcli.site import markdown, simplemd

_MD = markdown._markdown_it()


def _markdown_it(text: str, doc_id: str) -> str:
    env: dict[str, Any] = {"docId": doc_id, "shift": 1}
    return _MD(text, env)


# Characters markdown-it treats in some way, and plain ones: most drawn texts are declined,
# the rest must match.
_TRICKY = [*"ab #*_-=+>|`~[]!<>&^\\\n\t1.)\"'é:()", "\u00a0", "\u2003", "\u00ad", "\r"]
_LINE = st.one_of(
    st.just(""),
    st.just("  "),
    st.text(alphabet=st.sampled_from(list("ab é\"'#1.,:()-")), min_size=1, max_size=12),
    st.builds(
        lambda h, s, t: h + s + t,
        st.sampled_from(["#", "##", "###", "######", "#######"]),
        st.sampled_from(["", " ", "  "]),
        st.text(alphabet=st.sampled_from(list('ab É"#-')), max_size=8),
    ),
    st.builds(
        lambda d, t: d + t,
        st.sampled_from(["1", "12", "1.", "2)", "3,5"]),
        st.text(alphabet=st.sampled_from(list("a .")), max_size=5),
    ),
)


@settings(max_examples=400)
@given(st.lists(_LINE, max_size=10), st.sampled_from(["", "m", "2024-01-05", 'a"b']))
@example(["## Welcome", "", "Text  ", "more text ", "## Welcome", "## Welcome-2"], "m")
@example(["a  ", "b"], "m")
@example(["a", "1. b"], "m")
@example(["a", "10) b"], "m")
@example(["1,5 a", "2024-01-05 b"], "m")
@example(["## a #", "## b ##"], "m")
@example(["a", "======="], "m")
@example(['"quoted" É', "###   spaced   "], 'a"b')
def test_simple_bodies_match_markdown_it(lines: list[str], doc_id: str) -> None:
    text = "\n".join(lines)
    got = simplemd.render(text, doc_id)
    if got is not None:
        assert got == _markdown_it(text, doc_id)


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=40))
def test_any_text_it_takes_matches_markdown_it(text: str) -> None:
    got = simplemd.render(text, "d")
    if got is not None:
        assert got == _markdown_it(text, "d")


@pytest.mark.parametrize(
    "text",
    [
        "a *b*",
        "a\n- b",
        "- a",
        "a\n===",
        "    code",
        " a",
        "a  \nb",
        "a\tb",
        "a\u00a0b",
        "[a](https://x.org)",
        "a & b",
        "a <b>",
        "a\r\nb",
        "> quote",
        "1. one",
        "#hashtag",
        "## a ##",
        "a | b",
    ],
)
def test_what_it_declines(text: str) -> None:
    assert simplemd.render(text, "d") is None


def test_the_renderer_takes_simple_bodies_without_markdown_it() -> None:
    text = "## Welcome\n\nThe chair opened the meeting.\nIt ended at 12:00.\n\n## Welcome\n"
    want = (
        '<h3 id="m-welcome">Welcome</h3>\n<p>The chair opened the meeting.\nIt ended at'
        ' 12:00.</p>\n<h3 id="m-welcome-2">Welcome</h3>\n'
    )
    assert simplemd.render(text, "m") == want == _markdown_it(text, "m")
    assert markdown.make_renderer()(text, "m") == want
    assert markdown.make_renderer()("a *b*", "m") == "<p>a <em>b</em></p>\n"


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("a\u2028b", False),  # a line separator: markdown-it's line, not Python's split
        ("a\u0085b", False),
        ("a\u00a0\nb", False),  # NBSP before a soft break
        ("a\u3000b", False),
        ("\ufeffa", False),
        ("a \nb", True),  # one trailing space: dropped before the soft break
        ("a   \nb", False),  # a hard break
        ("a  ", True),  # trailing spaces at the end: trimmed
        ("# foo #", False),
        ("# foo#bar", False),
        ("#foo", False),
        ("####### seven", False),
        ("# foo   ", True),
        ("a\n# b\nc", True),  # a heading interrupts a paragraph
        ("a\n---", False),
        ("a\n===", False),
        ("2026. x", False),
        ("1) x", False),
        ("1234567890. x", True),  # ten digits: no list marker
        ("a\n2026-11-30 x", True),
        ("    a", False),
        ("a\n    b", False),
        ("\n\n\n", True),
        ("   \n  \n", True),
        ("a\r\nb", False),
        ("x" * 100_000, True),
        ("# Été\n# ete\n# Ete-2\n# ete", True),  # slugs and their de-duplication
        ("# 1\n# 1-2\n# 1", True),
        ('# "q"\n"p"', True),
        ("a: b = c + d - e {f} $g %h @i", True),
    ],
)
def test_risky_texts_as_markdown_it_renders_them(text: str, taken: bool) -> None:
    for doc_id in ("m", "", 'a"b&c'):
        got = simplemd.render(text, doc_id)
        assert (got is not None) == taken
        if got is not None:
            assert got == _markdown_it(text, doc_id)
