"""`tf agenda`: the agenda to circulate, as Markdown or a small HTML page."""

from __future__ import annotations

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
