"""Hostile bodies cost tf linear work, and a page bounded work: the redaction of e-mail addresses and the reading of a
body's headings give what their plain regular expressions give, on inputs on which those
take hours (a 2 MiB run of letters before one `@`, a line of 2 MiB of blanks); a body over
`MARKDOWN_LIMIT` is shown as written, never given to markdown-it, and `tf check` says so."""

from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_FILE, run_tf
from markdown_it import MarkdownIt

from tfcli import policy
from tfcli.load import load_repo
from tfcli.policy import BRACKET_LIMIT, MARKDOWN_LIMIT
from tfcli.site import build
from tfcli.site.policy import EMAIL_REDACTED, Policy, personal_data

# The plain forms, as they were: the reference for what a linear rewrite must find.
EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*\Z")
MARK = re.compile(r"[ \t]*\{\.restricted\}[ \t]*\Z")
MB = 1024 * 1024


def _reference_sections(body: str) -> list[tuple[int, str, bool, int, int]]:
    lines = body.split("\n")
    found: list[tuple[int, str, bool, int]] = []
    fence = ""
    for i, line in enumerate(lines):
        if m := re.match(r" {0,3}(```+|~~~+)", line):
            if not fence:
                fence = m[1][0] * 3
            elif m[1].startswith(fence):
                fence = ""
            continue
        if fence or not (m := HEADING.match(line)):
            continue
        text = re.sub(r"[ \t]+#+\Z", "", m[2] or "")
        found.append((len(m[1]), MARK.sub("", text).strip(), bool(MARK.search(text)), i))
    return [
        (lv, t, mk, s, next((s2 for lv2, _, _, s2 in found[n + 1 :] if lv2 <= lv), len(lines)))
        for n, (lv, t, mk, s) in enumerate(found)
    ]


def _random(alphabet: list[str], seed: int, count: int = 20000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(count)]


def test_redaction_finds_what_the_plain_pattern_finds() -> None:
    atoms = ["a", "b", ".", "+", "-", "@", ":", "_", "é", " ", "1", "\n", "mailto:", "MAILTO:"]
    for text in [*_random(atoms, 1), "a@b.c.@d.e", "x@o.lm.@otm.-", "xmailto:a@b.c d@e.f"]:
        assert Policy().redact(text) == Policy().redact(EMAIL.sub(EMAIL_REDACTED, text)), text
        expected = [m.start() for m in EMAIL.finditer(text)]
        assert [at for at, kind in personal_data(text) if kind == "e-mail address"] == expected


def test_sections_are_what_the_plain_patterns_find() -> None:
    atoms = ["#", "#", " ", "\t", "a", "{.restricted}", "\n", "```", "~~~", "b c", "\r", "}"]
    for body in _random(atoms, 2):
        got = [(s.level, s.title, s.restricted, s.start, s.end) for s in policy.sections(body)]
        assert got == _reference_sections(body), repr(body)


def test_hostile_lines_are_read_in_linear_time() -> None:
    # Each took the plain patterns hours (quadratic: 4 s at 40 KB, 15 s for the blanks).
    redacted = Policy().redact("a" * (2 * MB) + "@example.org")
    assert redacted == EMAIL_REDACTED
    assert Policy().redact("a." * MB + "@b") == "a." * MB + "@b"
    body = "# a" + " \t" * MB + "x\n" + "# b" + " " * MB + "{.restricted}\n"
    assert [(s.title[:1], s.restricted) for s in policy.sections(body)] == [
        ("a", False),
        ("b", True),
    ]
    many = "# a {.restricted}\n" * 100_000  # a section's end: no search of the headings after it
    assert policy.sections(many)[-2].end == 99_999
    assert policy.marks_in_words(many) == "# a (restricted)\n" * 100_000


NOTICE = (
    '<p class="notice" role="note"><strong>Shown as written:</strong> these minutes are beyond '
    f"what tf formats as Markdown (at most {MARKDOWN_LIMIT:,} characters, with at most "
    f"{BRACKET_LIMIT:,} “[”).</p>\n"
)


def _with_body(repo: Path, body: str) -> Path:
    """The seed meeting with `body` for its body (its front matter as it is)."""
    path = repo / "minutes" / SEED_FILE
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + len("\n---\n")
    path.write_text(text[:end] + body, encoding="utf-8")
    return path


def _build(repo: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[int]]:
    """The seed meeting's page, and the length of each text markdown-it was given."""
    given: list[int] = []
    real = MarkdownIt.render

    def counting(self: MarkdownIt, src: str, env: Any = None) -> str:
        given.append(len(src))
        return real(self, src, env)

    monkeypatch.setattr(MarkdownIt, "render", counting)
    build(load_repo(repo), date(2022, 7, 25), repo / "_site", Policy(), jobs=1, use_cache=False)
    page = repo / "_site" / "meetings" / "2022-06-24.html"
    return page.read_text(encoding="utf-8"), given


def test_a_body_over_the_limit_is_shown_as_written(
    seed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = "[" * MARKDOWN_LIMIT + "\n<script>alert(1)</script> *x* a@example.org\n"
    _with_body(seed_repo, hostile)
    page, given = _build(seed_repo, monkeypatch)
    assert all(n <= MARKDOWN_LIMIT for n in given)  # markdown-it never saw the body
    plain = "[" * MARKDOWN_LIMIT + "\n&lt;script&gt;alert(1)&lt;/script&gt; *x* [e-mail removed]\n"
    assert f'{NOTICE}<pre class="plain-body">{plain}</pre>\n' in page
    assert "<script>alert" not in page


def test_a_body_of_many_brackets_is_shown_as_written(
    seed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Short, but markdown-it spends 60-130 us on each `[` that opens no link.
    _with_body(seed_repo, "![" * BRACKET_LIMIT + "\n")
    page, given = _build(seed_repo, monkeypatch)
    assert 2 * BRACKET_LIMIT + 1 in given
    assert "<p>" + "![" * BRACKET_LIMIT + "</p>" in page  # at the limit: formatted
    _with_body(seed_repo, "[" * (BRACKET_LIMIT + 1) + "\n")
    page, given = _build(seed_repo, monkeypatch)
    assert all(n < BRACKET_LIMIT for n in given)
    assert f'{NOTICE}<pre class="plain-body">{"[" * (BRACKET_LIMIT + 1)}\n</pre>\n' in page


def test_a_body_at_the_limit_is_formatted(seed_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "*x*\n" + "a" * (MARKDOWN_LIMIT - 5) + "\n"
    assert len(body) == MARKDOWN_LIMIT
    _with_body(seed_repo, body)
    page, given = _build(seed_repo, monkeypatch)
    assert MARKDOWN_LIMIT in given
    assert "<p><em>x</em>\n" + "a" * (MARKDOWN_LIMIT - 5) + "</p>" in page
    assert "Shown as written" not in page


def test_check_warns_about_a_body_over_the_limit(seed_repo: Path) -> None:
    path = _with_body(seed_repo, "a\n" * (MARKDOWN_LIMIT // 2 + 1))
    body_line = path.read_text(encoding="utf-8").split("\n").index("a") + 1
    result = run_tf("check", "--format", "json", cwd=seed_repo)
    found = [p for p in json.loads(result.out) if p["rule"] == "body-size"]
    assert found == [
        {
            "path": f"minutes/{SEED_FILE}",
            "line": body_line,
            "column": 1,
            "severity": "warning",
            "rule": "body-size",
            "message": f"the body has {MARKDOWN_LIMIT + 2:,} characters, more than the "
            f"{MARKDOWN_LIMIT:,} that 'tf render' formats as Markdown: its page shows it as "
            "written, unformatted",
            "hint": "split the minutes, or move a long annex (a transcript, data) to a file of "
            "its own and link to it",
        }
    ]
    assert result.code == 0  # a warning
    _with_body(seed_repo, "a\n" * ((MARKDOWN_LIMIT - BRACKET_LIMIT) // 2) + "[" * BRACKET_LIMIT)
    assert "body-size" not in run_tf("check", "--format", "json", cwd=seed_repo).out
    _with_body(seed_repo, "[" * (BRACKET_LIMIT + 1))
    found = [p for p in json.loads(run_tf("check", "--format", "json", cwd=seed_repo).out)]
    assert [p["message"] for p in found if p["rule"] == "body-size"] == [
        f"the body has {BRACKET_LIMIT + 1:,} '[', more than the {BRACKET_LIMIT:,} that "
        "'tf render' formats as Markdown: its page shows it as written, unformatted"
    ]


def test_a_bracket_that_opens_no_link_scans_a_bounded_stretch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from markdown_it.parser_inline import ParserInline

    from tfcli.site.markdown import LABEL_MAX, make_renderer

    steps = [0]
    skip = ParserInline.skipToken

    def counted(self: ParserInline, state: Any) -> None:
        steps[0] += 1
        skip(self, state)

    monkeypatch.setattr(ParserInline, "skipToken", counted)
    render = make_renderer()
    # 64 `[` before 20,000 lines: markdown-it alone looks for each one's `]` to the end.
    html = render("[" * 64 + "a\n" * 20_000, "x")
    assert html.startswith("<p>" + "[" * 64 + "a\na\n")
    assert steps[0] <= 2 * 64 * LABEL_MAX  # two tokens a line; not 64 * 2 * 20,000
    steps[0] = 0
    long_text = "a" * (LABEL_MAX - 10)
    assert render(f"[{long_text}](https://x.org)", "x") == (
        f'<p><a href="https://x.org">{long_text}</a></p>\n'
    )
    assert render("[a](https://x.org) ![b](c.png)", "x") == (
        '<p><a href="https://x.org">a</a> <img src="c.png" alt="b"></p>\n'
    )
