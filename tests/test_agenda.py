"""`tf agenda`: the agenda to circulate, as Markdown or a small HTML page."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import assert_golden, run_tf

from tfcli.templates import markdown_to_html


def _prepared(seed_repo: Path) -> Path:
    r = run_tf("new-meeting", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 0, r.err
    return seed_repo


def test_agenda_of_the_next_meeting_markdown(seed_repo: Path) -> None:
    root = _prepared(seed_repo)
    r = run_tf("agenda", "--today", "2022-06-25", cwd=root)
    assert (r.code, r.err) == (0, "")
    assert_golden(r.out, "agenda/2022-07-08.md")
    assert "| 2022-06-24/1 | Share OSCE and Council of Europe recommendations on TiP |" in r.out
    assert "2022-07-08 (in 13 days)" in r.out
    # the same meeting named by date, id or file; deadlines relative to --today
    by_date = run_tf("agenda", "2022-07-08", "--today", "2022-07-10", cwd=root)
    assert by_date.code == 0
    assert "2022-07-08 (2 days overdue)" in by_date.out
    by_path = run_tf(
        "agenda",
        "minutes/2022-07-08-anti-trafficking-task-force.md",
        "--today",
        "2022-06-25",
        cwd=root,
    )
    assert by_path.out == r.out


def test_agenda_html(seed_repo: Path) -> None:
    root = _prepared(seed_repo)
    r = run_tf("agenda", "--format", "html", "--today", "2022-06-25", cwd=root)
    assert (r.code, r.err) == (0, "")
    assert_golden(r.out, "agenda/2022-07-08.html")
    assert r.out.startswith("<!DOCTYPE html>\n")
    assert "<title>Anti-Trafficking Task Force — 2022-07-08</title>" in r.out


def test_agenda_of_a_past_meeting_with_types_and_presenters(seed_repo: Path) -> None:
    r = run_tf("agenda", "2022-06-24", "--today", "2022-06-25", cwd=seed_repo)
    assert r.code == 0, r.err
    assert_golden(r.out, "agenda/2022-06-24.md")


HOSTILE = """---
date: 2022-07-08
title: "<script>alert('x')</script> & [link](javascript:alert(1))"
time: 10:00
end_time: 12:00
location: "**Zoom** <img src=x onerror=alert(1)>"
agenda:
  - "<script>alert(2)</script>"
  - title: "Item | with pipe\\nand newline"
    presenter: "<b>IOM</b>"
actions:
  - id: 1
    text: "<script>alert(3)</script> | pipe"
    owner: "<i>chairs</i>"
    due: 2022-07-01
---
"""


def test_html_escapes_everything_from_the_minutes(tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("group: G\n", encoding="utf-8")
    (tmp_path / "minutes/2022-07-01-a.md").write_text(
        HOSTILE.replace("2022-07-08", "2022-07-01"), encoding="utf-8"
    )
    (tmp_path / "minutes/2022-07-08-b.md").write_text(HOSTILE, encoding="utf-8")
    r = run_tf("agenda", "--format", "html", "--today", "2022-07-02", cwd=tmp_path)
    assert r.code == 0, r.err
    assert "<script" not in r.out and "<img" not in r.out and "<b>" not in r.out
    assert "<i>" not in r.out and 'href="javascript' not in r.out
    assert (
        "<title>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; "
        "[link](javascript:alert(1)) — 2022-07-08</title>"
    ) in r.out
    assert "<h1>&lt;script&gt;alert('x')&lt;/script&gt; &amp; [link](javascript:alert(1))</h1>" in (
        r.out
    )
    assert "<li>&lt;script&gt;alert(2)&lt;/script&gt;</li>" in r.out
    assert "<li>Item | with pipe and newline (&lt;b&gt;IOM&lt;/b&gt;)</li>" in r.out
    assert "<td>&lt;script&gt;alert(3)&lt;/script&gt; | pipe</td>" in r.out
    assert "<td>2022-07-01 (1 day overdue)</td>" in r.out
    md = run_tf("agenda", "--today", "2022-07-02", cwd=tmp_path)
    assert md.out.startswith(
        "# \\<script\\>alert('x')\\</script\\> & \\[link\\](javascript:alert(1))\n"
    )
    assert "**Time:** 10:00–12:00  \n" in md.out


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

TERMINAL_TRICKS = r"""---
date: 2022-07-08
title: "\e]0;pwned\a"
time: 10:00
location: "\e[2J Zoom \u2028 x"
chair: "Ana\e[31m (GPO\a)"
co_chairs: ["\e]0;co\a"]
previous: {meeting: 2022-07-01}
agenda:
  - "\e]0;item\a"
  - title: "It\x07em"
    presenter: "\e[5mIOM"
---
"""
EARLIER = r"""---
date: 2022-07-01
actions:
  - id: 1
    text: "\e]0;act\a text \u009b31m"
    owner: "\e[31mIOM"
    due: 2022-07-01
---
"""


def test_control_characters_reach_neither_terminal_nor_html(tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text('group: "G\\e]0;grp\\a"\n', encoding="utf-8")
    (tmp_path / "minutes/2022-07-01-a.md").write_text(EARLIER, encoding="utf-8")
    (tmp_path / "minutes/2022-07-08-b.md").write_text(TERMINAL_TRICKS, encoding="utf-8")
    assert run_tf("check", "--today", "2022-07-02", cwd=tmp_path).code == 0
    md = run_tf("agenda", "--today", "2022-07-02", cwd=tmp_path)
    assert (md.code, md.err) == (0, "")
    assert md.out == (
        "# \\\\x1b\\]0;pwned\\\\x07\n"
        "\n"
        "**Date:** Friday 8 July 2022  \n"
        "**Time:** 10:00  \n"
        "**Location:** \\\\x1b\\[2J Zoom \\\\u2028 x  \n"
        "**Chair:** Ana\\\\x1b\\[31m (GPO\\\\x07)  \n"
        "**Co-chairs:** \\\\x1b\\]0;co\\\\x07  \n"
        "**Minutes to endorse:** 2022-07-01\n"
        "\n"
        "## Agenda\n"
        "\n"
        "1. \\\\x1b\\]0;item\\\\x07\n"
        "2. It\\\\x07em (\\\\x1b\\[5mIOM)\n"
        "\n"
        "## Pending action points\n"
        "\n"
        "| Action | What | Owner | Due | Status |\n"
        "|---|---|---|---|---|\n"
        "| 2022-07-01/1 | \\\\x1b\\]0;act\\\\x07 text \\\\x9b31m | \\\\x1b\\[31mIOM | "
        "2022-07-01 (1 day overdue) | open |\n"
    )
    html = run_tf("agenda", "--format", "html", "--today", "2022-07-02", cwd=tmp_path)
    assert (html.code, html.err) == (0, "")
    assert CONTROL.search(html.out) is None
    assert "<title>\\x1b]0;pwned\\x07 — 2022-07-08</title>" in html.out
    assert "<h1>\\x1b]0;pwned\\x07</h1>" in html.out
    assert "<td>\\x1b]0;act\\x07 text \\x9b31m</td>" in html.out
    # a meeting without a title is named by the group, escaped the same way
    html = run_tf("agenda", "2022-07-01", "--format", "html", "--today", "2022-07-02", cwd=tmp_path)
    assert (html.code, CONTROL.search(html.out)) == (0, None)
    assert "<title>G\\x1b]0;grp\\x07 — 2022-07-01</title>" in html.out


def test_markdown_to_html_has_raw_html_off() -> None:
    assert markdown_to_html("<script>alert(1)</script>\n\n| a |\n|---|\n| <b>x</b> |\n") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>&lt;b&gt;x&lt;/b&gt;</td>\n</tr>\n</tbody>\n</table>\n"
    )


def test_no_upcoming_meeting(seed_repo: Path) -> None:
    r = run_tf("agenda", "--today", "2022-06-25", cwd=seed_repo)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "tf: no meeting on or after 2022-06-25 (prepare it with 'tf new-meeting', "
        "or name a meeting: tf agenda 2022-06-24)\n"
    )
    r = run_tf("agenda", "--format", "csv", cwd=seed_repo)
    assert (r.code, r.err) == (
        2,
        "tf: --format csv is not available here (use one of: markdown, html)\n",
    )


def test_tf_help_examples_cover_preparing_a_meeting_and_each_runs(seed_repo: Path) -> None:
    r = run_tf("--help")
    examples = [
        line.strip() for line in r.out.split("Examples:")[1].split("Options:")[0].splitlines()
    ]
    examples = [e for e in examples if e]
    for wanted in (
        "tf actions --overdue",
        "tf new-meeting --dry-run",
        "tf agenda --format html > agenda.html",
    ):
        assert wanted in examples
    prepared = False
    for example in examples:
        args = example.split(">")[0].split()[1:]
        if args[0] == "agenda" and not prepared:  # a next meeting for tf agenda; not before
            prepared = bool(_prepared(seed_repo))  # `new-meeting --dry-run`, which it would stop
        done = run_tf(*args, cwd=seed_repo, env={"TF_TODAY": "2022-06-25"})
        assert done.code == 0, (example, done.err)
        assert done.out or args == ["check"], example  # a clean check prints nothing
