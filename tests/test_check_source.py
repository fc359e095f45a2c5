"""`tf check --show-source`: the offending line, a caret under the column, a summary."""

from __future__ import annotations

from pathlib import Path

from conftest import assert_golden, run_tf
from terminal_helpers import run_on_terminal

from tfcli.source import excerpt

MEETING = (
    "---\n"
    "format: 1\n"
    "date: 2022-07-08\n"
    "title: 東京 meeting\n"
    "locaton: Zoom\n"
    "actions:\n"
    "  - id: 1\n"
    "    text: Send the list\n"
    "    owner: UNHCR\n"
    "    due: 8 July\n"
    "  - id: 2\n"
    "    text: 東京事務所は報告する\n"
    "    owner: 国際移住機関\n"
    "    due: 2022-07-22\n"
    "---\n"
)


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "tf.yml").write_text("format: 1\norganisations:\n  - name: UNHCR\n")
    (tmp_path / "minutes" / "2022-07-08-x.md").write_text(MEETING, encoding="utf-8")
    (tmp_path / "minutes" / "2022-07-09-y.md").write_text(
        "---\ndate: 2022-07-09\nstatus: approvd\n---\n"
    )
    return tmp_path


def test_source_with_a_caret_and_a_summary(tmp_path: Path) -> None:
    out = run_tf("check", "--show-source", "--today", "2022-07-01", cwd=_repo(tmp_path)).out
    assert_golden(out, "check/show-source.txt")
    assert "10 |     due: 8 July\n   |          ^\n" in out
    assert out.endswith(
        "By rule: unknown-key 1, date 1, owner 1, enum 1\n"
        "By file: minutes/2022-07-08-x.md 3, minutes/2022-07-09-y.md 1\n"
    )


def test_source_on_a_terminal_by_default_not_on_a_pipe_nor_for_github(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    on_tty = run_on_terminal("check", "--today", "2022-07-01", cwd=repo, columns=80, code=1)
    assert "   |          ^\n" in on_tty and "By rule:" in on_tty
    piped = run_tf("check", "--today", "2022-07-01", cwd=repo).out
    assert "^" not in piped and "By rule" not in piped and len(piped.splitlines()) == 4
    github = run_on_terminal(
        "check", "--format", "github", "--today", "2022-07-01", cwd=repo, columns=80, code=1
    )
    assert "^" not in github and github.startswith("::")
    off = run_on_terminal(
        "check", "--no-show-source", "--today", "2022-07-01", cwd=repo, columns=80, code=1
    )
    assert off.replace("\n", "") == piped.replace("\n", "")


def test_the_caret_counts_display_columns_and_long_lines_are_clipped() -> None:
    assert excerpt("title: 東京 meeting", 11, None) == ("title: 東京 meeting", 12)
    assert excerpt("\tdue: x", 2, None) == ("    due: x", 4)
    assert excerpt("a\x1bb", 3, None) == ("a\\x1bb", 5)  # control characters shown, not run
    line = "text: " + "word " * 40 + "HERE" + " more" * 40
    shown, caret = excerpt(line, line.index("HERE") + 1, 40)
    assert len(shown) <= 40 and shown.startswith("…") and shown.endswith("…")
    assert shown[caret : caret + 4] == "HERE"


def test_colour_errors_red_warnings_yellow_words_kept(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    out = run_tf("check", "--show-source", "--color", "always", "--today", "2022-07-01", cwd=repo)
    assert "\x1b[31merror\x1b[0m [date]" in out.out
    assert "\x1b[33mwarning\x1b[0m [owner]" in out.out
    assert "\x1b[31m^\x1b[0m" in out.out and "\x1b[33m^\x1b[0m" in out.out
    plain = run_tf("check", "--show-source", "--color", "never", "--today", "2022-07-01", cwd=repo)
    assert "\x1b" not in plain.out and "error [date]" in plain.out
