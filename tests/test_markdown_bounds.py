"""Markdown rendered outside the site (drafted e-mails, `tf agenda --format html`) goes
through one function, tfcli.templates.markdown_to_html, with `tf render`'s bounds: beyond
them (tfcli.policy.formatted) it is shown as written, escaped, without markdown-it's work,
which grows with each `[` that opens no link (minutes for 2 MiB of them)."""

from __future__ import annotations

import subprocess
import sys
from email import policy
from email.parser import BytesParser
from pathlib import Path

from conftest import run_tf

from tfcli.policy import BRACKET_LIMIT, MARKDOWN_LIMIT
from tfcli.templates import markdown_to_html

NOTICE = "<p><strong>Shown as written:</strong> beyond what tf formats as Markdown"


def test_hostile_markdown_is_shown_as_written_without_markdown_it() -> None:
    """In a process that fails when markdown-it is imported: no Markdown parse at all.
    The time limit is generous: the bound is checked by what ran, not by a stopwatch."""
    code = (
        "import sys; sys.modules['markdown_it'] = None\n"  # any import of it fails
        "from tfcli.templates import markdown_to_html\n"
        # 200,000 `[` (13-26 s of markdown-it's work), 2.1 MB of unclosed emphasis
        "for text in (sys.argv[1] * 200_000, '*a ' * 350_000 + 'b' + ' a*' * 350_000):\n"
        "    sys.stdout.write(markdown_to_html(text)[:200] + '\\n')\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", code, "["], capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 0, p.stderr
    notice, pre, notice2, pre2 = p.stdout.splitlines()  # notice, then the text as written
    assert notice == notice2 and notice.startswith(NOTICE)
    assert f"at most {MARKDOWN_LIMIT:,} characters, with at most {BRACKET_LIMIT:,}" in notice
    assert pre.startswith("<pre>[[[[") and pre2.startswith("<pre>*a *a *a")


def test_markdown_within_the_bounds_is_formatted_and_beyond_them_escaped() -> None:
    assert markdown_to_html("**Due** [soon]") == "<p><strong>Due</strong> [soon]</p>\n"
    within = "[" * BRACKET_LIMIT
    assert markdown_to_html(within) == f"<p>{within}</p>\n"
    beyond = markdown_to_html("<script>" + within + "[")
    assert beyond.startswith(NOTICE)
    assert beyond.endswith(f"<pre>&lt;script&gt;{within}[</pre>\n")
    assert markdown_to_html("a" * (MARKDOWN_LIMIT + 1)).startswith(NOTICE)


def _hostile_actions(root: Path, n: int = 8) -> None:
    """`n` earlier meetings, each with an overdue action of UNHCR's: 250,000 `[` (2 MB)."""
    for i in range(n):
        (root / "minutes" / f"2022-06-{i + 1:02d}-m.md").write_text(
            f"---\nformat: 1\ndate: 2022-06-{i + 1:02d}\nstatus: approved\nactions:\n"
            f'  - id: 1\n    text: "{"[" * 250_000}"\n    owner: UNHCR\n    due: 2022-06-20\n'
            "---\n\n## Notes\n",
            encoding="utf-8",
        )


def test_agenda_html_of_hostile_actions(seed_repo: Path) -> None:
    _hostile_actions(seed_repo)
    r = run_tf("agenda", "2022-06-24", "--format", "html", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 0, r.err[-2000:]
    body = r.out.split("<body>\n", 1)[1]
    assert body.startswith(NOTICE) and "<pre># Anti-Trafficking Task Force" in body
    assert body.count("\\[") == 8 * 250_000  # every character, as written


def test_drafted_email_of_hostile_actions(seed_repo: Path) -> None:
    _hostile_actions(seed_repo)
    out = seed_repo / "drafts"
    r = run_tf(
        "actions", "--by", "owner", "--eml", str(out), "--today", "2022-07-25", cwd=seed_repo
    )
    assert r.code == 0, r.err[-2000:]
    msg = BytesParser(policy=policy.default).parsebytes((out / "unhcr.eml").read_bytes())
    html = msg.get_body(("html",))
    assert html is not None
    page = html.get_content().replace("\r\n", "\n")  # SMTP line ends
    assert f"<body>\n{NOTICE}" in page and page.count("\\[") == 8 * 250_000
