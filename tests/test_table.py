"""Tables on a real terminal (a pseudo-terminal of a given size, and tmux at 80 columns) and
on a pipe; the layout functions of tfcli.table."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED, assert_golden, run_tf
from terminal_helpers import run_on_terminal

from tfcli.output import Column
from tfcli.table import cell_width, layout, middle, render, wrap

WIDE = FIXTURES / "wide"  # long titles and owners; CJK, Arabic, emoji, combining marks
WIDTHS = (40, 60, 80, 120, 200)
CASES = [
    ("seed", SEED, ("list", "--today", "2022-07-09")),
    ("seed", SEED, ("actions", "--today", "2022-07-09")),
    ("wide", WIDE, ("list", "--today", "2024-03-20")),
    ("wide", WIDE, ("actions", "--all", "--today", "2024-03-20")),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("repo", "cwd", "args"), CASES, ids=lambda v: str(v))
def test_tables_fit_the_terminal(repo: str, cwd: Path, args: tuple[str, ...], width: int) -> None:
    out = run_on_terminal(*args, cwd=cwd, columns=width)
    assert max(cell_width(line) for line in out.splitlines()) <= width
    assert_golden(out, f"table/{repo}-{args[0]}-{width}.txt")


def test_piped_output_keeps_every_value_one_row_per_line() -> None:
    r = run_tf("actions", "--all", "--today", "2024-03-20", cwd=WIDE, env={"COLUMNS": "40"})
    lines = r.out.splitlines()
    assert len(lines) == 7  # header + 6 actions
    assert "Circulate the consolidated mapping of referral pathways for unaccompanied" in r.out
    assert "minutes/" not in r.out and "Meeting" in lines[0]


def test_the_help_names_the_columns_left_out() -> None:
    from tfcli.action_views import COLUMNS
    from tfcli.meetings import ROW_COLUMNS
    from tfcli.table import drop_note

    def flat(text: str) -> str:
        return " ".join(text.split())

    assert flat(drop_note(COLUMNS)) in flat(run_tf("actions", "--help").out)
    assert flat(drop_note(ROW_COLUMNS)) in flat(run_tf("list", "--help").out)


# -- a real terminal ----------------------------------------------------------------------------


def test_tf_actions_in_tmux_at_80_columns(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the real-terminal test needs it")
    sock = f"tf-test-{os.getpid()}"
    tmux = ["tmux", "-L", sock, "-f", os.devnull]
    shell_env = f"env -i PATH=/usr/bin:/bin HOME={tmp_path} TERM=xterm-256color NO_COLOR=1"
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "80", "-y", "40", "-c", str(SEED), "sh"], check=True
    )
    try:
        cmd = f"clear; {shell_env} {sys.executable} -m tfcli actions --today 2022-07-09; echo DONE"
        subprocess.run([*tmux, "send-keys", cmd, "Enter"], check=True)
        screen = ""
        for _ in range(100):
            time.sleep(0.1)
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True, check=True
            ).stdout
            if "\nDONE" in screen:
                break
        start = screen.index("ID ")
        shown = screen[start : screen.index("\nDONE")] + "\n"
        assert all(cell_width(line) <= 80 for line in shown.splitlines())
        assert_golden(shown, "table/tmux-actions-80.txt")
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)


# -- the layout ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width"),
    [("abc", 3), ("東京", 4), ("Cafe\u0301", 4), ("🎉x", 3), ("مرحبا", 5), ("a\u200db", 2)],
)
def test_display_width(text: str, width: int) -> None:
    assert cell_width(text) == width


def test_wrap_at_words_and_break_only_what_cannot_fit() -> None:
    assert wrap("Share OSCE and Council of Europe recommendations", 16) == [
        "Share OSCE and",
        "Council of",
        "Europe",
        "recommendations",
    ]
    assert wrap("東京事務所は報告する", 8) == ["東京事務", "所は報告", "する"]
    assert wrap("supercalifragilistic", 8) == ["supercal", "ifragili", "stic"]
    assert wrap("Cafe\u0301 nai\u0308ve", 5) == ["Cafe\u0301", "nai\u0308ve"]


def test_middle_ellipsis_keeps_both_ends() -> None:
    path = "minutes/2022-06-24-anti-trafficking-task-force.md"
    assert middle(path, 20) == "minutes/20…-force.md"
    assert cell_width(middle("東京ワーキンググループ.md", 11)) <= 11
    assert middle("2022-06-24/1", 12) == "2022-06-24/1"


def test_stacked_below_the_narrowest_layout() -> None:
    cols = (Column("id", "ID", kind="id"), Column("text", "Text", min=20))
    rows = [{"id": "2022-06-24/1", "text": "Share OSCE and Council of Europe recommendations"}]
    body = [[rows[0]["id"], rows[0]["text"]]]
    assert layout(cols, ["ID", "Text"], body, 30) is None
    out = io.StringIO()
    render(rows, cols, body, out, 30, colour=False)
    assert out.getvalue() == (
        "ID:   2022-06-24/1\nText: Share OSCE and Council\n      of Europe\n      recommendations\n"
    )
