"""The pieces of `tf render` that decide safety and privacy, case by case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfcli.site.markdown import make_renderer
from tfcli.site.policy import Policy, safe_url
from tfcli.site.search import script_json


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://www.osce.org/cthb/513784", True),
        ("http://example.org", True),
        ("mailto:secretariat@example.org", True),
        ("meetings/2022-06-24.html", True),
        ("#section", True),
        ("../index.html?q=a:b", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("data:image/png;base64,iVBORw0KGgo=", False),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("\\\\evil.example\\x", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, kept: bool) -> None:
    assert safe_url(url) == (url if kept else None)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("write to bogdeva@unhcr.org today", "write to [e-mail removed] today"),
        ("<mailto:a.b+c@mail.example.md>", "<[e-mail removed]>"),
        ("call +373 22 123 456.", "call [phone removed]."),
        ("call (022) 23-45-67 or 069123456", "call [phone removed] or [phone removed]"),
        ("+44 20 7946 0958", "[phone removed]"),
        ("for 2022-2026 years and Action Plan for 2022-2024", None),
        ("on 2022-06-24, action 2022-06-24/1", None),
        ("1,646 children, 12,375 in all, 40,000 present", None),
        ("room 0.12 at 10:00", None),
        ("case 0123", None),
    ],
)
def test_redaction(text: str, published: str | None) -> None:
    assert Policy().redact(text) == (published if published is not None else text)


# The phone pattern as first written: the one in policy.py is the same, reordered for speed.
READABLE_PHONE = re.compile(r"(?<![\w+])(?:\+|\(?0)[\d\s().\-/]{6,}\d(?!\w)")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="+(0 )-./12345a_é\n", max_size=40))
def test_the_phone_pattern_finds_what_its_readable_form_finds(text: str) -> None:
    from tfcli.site.policy import PHONE_PATTERN

    found = [m.span() for m in re.finditer(PHONE_PATTERN, text)]
    assert found == [m.span() for m in READABLE_PHONE.finditer(text)]


def test_heading_and_footnote_ids_are_prefixed_and_unique() -> None:
    md = make_renderer()
    html = md("# A\n\n# A\n\n# A-2\n\n# A\n\n## Été\n\ntext[^1]\n\n[^1]: note\n", "2022-06-24")
    assert '<h2 id="2022-06-24-a">' in html  # one level below the page's own h1
    assert '<h2 id="2022-06-24-a-2">A</h2>' in html
    assert '<h2 id="2022-06-24-a-2-2">A-2</h2>' in html
    assert '<h2 id="2022-06-24-a-3">A</h2>' in html
    assert '<h3 id="2022-06-24-ete">Été</h3>' in html
    assert 'id="fn-2022-06-24-1"' in html and 'href="#fnref-2022-06-24-1"' in html


def test_many_equal_headings_stay_linear() -> None:
    """10,000 equal headings: each id is found in constant time (a quadratic de-duplication
    would take minutes here)."""
    md = make_renderer()
    html = md("# x\n\n" * 10_000, "m")
    assert html.count("<h2 id=") == 10_000 and 'id="m-x-10000"' in html


def test_raw_html_is_text() -> None:
    html = make_renderer()("<script>alert(1)</script>\n\n<b onclick=x>b</b>", "m")
    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;" in html


def test_a_link_whose_text_is_its_address_is_marked_for_print() -> None:
    """Print spells out a link's address after it: not after one that shows it already."""
    html = make_renderer()(
        "<https://www.anas.md/>, [https://osce.org/x](https://osce.org/x),"
        " [OSCE](https://osce.org/x), [**https://osce.org/x**](https://osce.org/x)",
        "m",
    )
    assert html == (
        '<p><a href="https://www.anas.md/" class="autolink">https://www.anas.md/</a>,'
        ' <a href="https://osce.org/x" class="autolink">https://osce.org/x</a>,'
        ' <a href="https://osce.org/x">OSCE</a>,'
        ' <a href="https://osce.org/x"><strong>https://osce.org/x</strong></a></p>\n'
    )


def test_script_json_cannot_end_a_script() -> None:
    text = script_json({"t": "</script><!--\u2028\u2029&"})
    assert text == '{"t":"\\u003c/script\\u003e\\u003c!--\\u2028\\u2029\\u0026"}'


@pytest.mark.parametrize("sandboxed", [False, True])
def test_a_dicts_keys_and_methods_read_as_jinja2_reads_them(
    sandboxed: bool, tmp_path: Path
) -> None:
    """Keys by attribute (`a.status`), a dict's methods before a key of the same name
    (`d.items()`), a missing key an error (StrictUndefined), in both environments."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from tfcli.site.render import environment

    env = environment(tmp_path if sandboxed else None, Policy())
    assert isinstance(env, SandboxedEnvironment) is sandboxed
    d = {"status": "open", "items": 1, "get": 2}
    got = env.from_string("{{ d.status }} {% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}")
    assert got.render(d=d) == "open status=open;items=1;get=2;"
    assert env.from_string("{{ d.get('get') }} {{ d['items'] }}").render(d=d) == "2 1"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ d.nothing }}").render(d=d)


@pytest.mark.parametrize("sandboxed", [False, True])
def test_a_printed_value_is_finalized_then_escaped_once_and_remembered(
    sandboxed: bool, tmp_path: Path
) -> None:
    """`{{ x }}` is one call (environment.printed): control characters out, addresses and
    phone numbers redacted, then escaped; the same string twice gives the same bytes, a
    Markup is not escaped again, other values print as str(); `{% autoescape false %}`
    keeps Jinja2's own code."""
    from markupsafe import Markup

    from tfcli.site.render import environment

    env = environment(tmp_path if sandboxed else None, Policy())
    source = env.compile("{{ x }}", raw=True)
    assert "environment.printed(" in source and "escape(" not in source
    t = env.from_string("{{ x }}|{{ x }}")
    cases = [
        ("a <b> & 'c'", "a &lt;b&gt; &amp; &#39;c&#39;"),
        ("mail a@example.org\x1b[31m", "mail [e-mail removed][31m"),
        ("call +41 22 123 45 67", "call [phone removed]"),
        (Markup("<em>kept</em>"), "<em>kept</em>"),
        (7, "7"),
        (None, "None"),
    ]
    for value, shown in cases:
        assert t.render(x=value) == f"{shown}|{shown}"
    raw = env.from_string("{% autoescape false %}{{ x }}{% endautoescape %}")
    assert raw.render(x="<b> a@example.org") == "<b> [e-mail removed]"


def test_the_printed_memo_is_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib

    render = importlib.import_module("tfcli.site.render")  # the package's `render` is a function
    monkeypatch.setattr(render, "MEMO_SIZE", 2)
    env = render.environment(None, Policy())
    t = env.from_string("{% for x in xs %}{{ x }},{% endfor %}")
    xs = [f"<{i % 5}>" for i in range(20)]
    assert t.render(xs=xs) == "".join(f"&lt;{i % 5}&gt;," for i in range(20))
    memo = next(
        c.cell_contents for c in env.printed.__closure__ or () if type(c.cell_contents) is dict
    )
    assert 0 < len(memo) <= 2
    (tmp_path / "page.html").write_text("{{ x }}{{ y }}")
    env = render.environment(tmp_path, Policy())
    assert render.render(env, "page.html", {"x": "<a>", "y": "b" * 81}) == "&lt;a&gt;" + "b" * 81
    assert env.memo == {"<a>": "&lt;a&gt;"}  # kept for the next page; a long value is not
    assert render.render(env, "page.html", {"x": "<a>", "y": "c"}) == "&lt;a&gt;c"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="+(0 )-./12345a_@é\x01\x85\n", max_size=40))
def test_what_the_finalizer_skips_has_nothing_to_redact(text: str) -> None:
    """The renderer sends a printed string through redaction only when _SUSPECT finds
    something: whatever it does not find, redaction would leave as it is."""
    from tfcli.site.render import _SUSPECT, strip_controls

    if not _SUSPECT.search(text):
        assert Policy().redact(strip_controls(text)) == text
    if READABLE_PHONE.search(text) or "@" in text or strip_controls(text) != text:
        assert _SUSPECT.search(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="+(0 )-./12345a_@é\x01\x85\n*", max_size=60))
def test_a_body_skips_redaction_only_when_it_has_nothing_to_redact(body: str) -> None:
    """markdown() sends a body through strip_controls and redaction only when SUSPECT finds
    something: the same text as always sending it."""
    from types import SimpleNamespace

    from tfcli.policy import marks_in_words
    from tfcli.site.markdown import markdown
    from tfcli.site.policy import strip_controls

    for policy in (Policy(), Policy(include_restricted=True)):
        text, _ = markdown(policy, SimpleNamespace(body=body, id="m"))  # type: ignore[arg-type]
        full = policy.redact(strip_controls(marks_in_words(body)))
        assert text.removeprefix("\x00plain\x00") == full


_SEARCH_TEXT = st.text(
    alphabet=st.sampled_from(list('#*_`>[]|()ahtps:/.x \n<&"\\é\u2028\u2029')), max_size=60
) | st.lists(st.sampled_from(["(http://a.b)", "(https://", "](", "**", "##", "a", ")"])).map(
    "".join
)


@settings(max_examples=400)
@given(_SEARCH_TEXT)
def test_search_text_is_what_the_readable_patterns_make(text: str) -> None:
    """The search index's two fast passes give what the one readable pattern gave, and its
    escaping what one substitution of the unsafe characters gave."""
    import json

    from tfcli.site import search

    noise = re.compile(r"[#*_`>\[\]|]+|\(https?://[^)]*\)")
    assert search._plain(text) == noise.sub(" ", text)
    escapes = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
    escapes.update({"\u2028": "\\u2028", "\u2029": "\\u2029"})
    data = {"text": text, "title": text[::-1]}
    want = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    want = re.sub("[<>&\u2028\u2029]", lambda m: escapes[m[0]], want)
    assert script_json(data) == want


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(list("ab#*\n\r\0 -[]()1.")), max_size=40))
def test_markdown_normalizes_as_markdown_it_does(text: str) -> None:
    """The renderer skips markdown-it's `normalize` only where it changes nothing: the same
    HTML as the renderer with markdown-it's own rule back in its place."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import normalize

    from tfcli.site import markdown

    own = markdown._markdown_it()
    md = own.__self__  # type: ignore[attr-defined]
    assert isinstance(md, MarkdownIt)
    md.core.ruler.at("normalize", normalize)
    env = {"docId": "d", "shift": 1}
    assert markdown._markdown_it()(text, dict(env)) == own(text, dict(env))
