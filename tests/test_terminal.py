"""Colour, paging and progress: the conventions, decided in tfcli.term and tfcli.progress."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED, run_tf
from terminal_helpers import run_on_terminal

from tfcli import term
from tfcli.progress import Progress
from tfcli.term import SETTINGS, pager_command, use_colour

COLOUR_VARS = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in (*COLOUR_VARS, "TF_PAGER", "PAGER", "CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setattr(SETTINGS, "color", "auto")
    monkeypatch.setattr(SETTINGS, "pager", True)


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # no-color.org: only a non-empty value counts
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": ""}, False, False),
        ({"CLICOLOR_FORCE": "1"}, False, True),
        ({"CLICOLOR_FORCE": "0"}, False, False),
        ({"CLICOLOR": "0"}, True, False),
        ({"TERM": "dumb"}, True, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    ],
)
def test_colour_conventions(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool, expected: bool
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert use_colour(Tty() if tty else io.StringIO()) is expected


def test_color_option_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(SETTINGS, "color", "always")
    assert use_colour(io.StringIO()) is True
    monkeypatch.setattr(SETTINGS, "color", "never")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_colour(Tty()) is False


@pytest.mark.parametrize(
    "args",
    [
        ("--color", "always", "actions", "--today", "2022-07-09"),
        ("actions", "--today", "2022-07-09", "--color", "always"),
        ("actions", "--colour=always", "--today", "2022-07-09"),
    ],
)
def test_color_always_on_a_pipe_before_or_after_the_command(args: tuple[str, ...]) -> None:
    r = run_tf(*args)
    assert "\x1b[31m1 day overdue\x1b[0m" in r.out
    assert "1 day overdue" in run_tf("actions", "--today", "2022-07-09").out
    assert "\x1b" not in run_tf("actions", "--today", "2022-07-09").out


def test_every_command_takes_color_and_no_pager() -> None:
    for cmd in ("check", "list", "show", "actions", "new-meeting", "agenda"):
        help_text = run_tf(cmd, "--help").out
        assert "--color" in help_text and "--no-pager" in help_text, cmd
    for sub in ("show", "done", "due"):
        assert "--color" in run_tf("actions", sub, "--help").out
    r = run_tf("list", "--color", "sometimes")
    assert r.code == 2 and "'sometimes' is not one of: auto, always, never" in r.err


def test_colour_marks_meaning_and_the_words_stay() -> None:
    from tfcli.action_views import COLUMNS
    from tfcli.output import write_rows

    rows = [
        {"id": "a/1", "when": "1 day overdue", "when_style": "red", "status": "open"},
        {"id": "a/2", "when": "in 2 days", "when_style": "yellow", "status": "open"},
        {"id": "a/3", "when": "done", "when_style": "dim", "status": "done", "status_style": "dim"},
    ]
    out = Tty()
    write_rows(rows, COLUMNS, term_format(), out)
    text = out.getvalue()
    assert "\x1b[31m1 day overdue\x1b[0m" in text
    assert "\x1b[33min 2 days\x1b[0m" in text
    assert "\x1b[2mdone\x1b[0m" in text


def term_format():  # type: ignore[no-untyped-def]
    from tfcli.output import Format

    return Format.table


# -- paging ------------------------------------------------------------------------------------


def test_pager_follows_gits_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(term, "is_tty", lambda stream: True)
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/less")
    assert pager_command() == "less"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert pager_command() is None  # no less installed, nothing chosen: no pager
    monkeypatch.setenv("PAGER", "more")
    assert pager_command() == "more"
    monkeypatch.setenv("TF_PAGER", "less -S")
    assert pager_command() == "less -S"
    for off in ("", "cat"):
        monkeypatch.setenv("TF_PAGER", off)
        assert pager_command() is None
    monkeypatch.delenv("TF_PAGER")
    monkeypatch.setattr(SETTINGS, "pager", False)  # --no-pager
    assert pager_command() is None
    monkeypatch.setattr(SETTINGS, "pager", True)
    monkeypatch.setattr(term, "is_tty", lambda stream: False)  # stdout not a terminal
    assert pager_command() is None


def test_long_output_goes_through_the_pager_short_output_does_not(tmp_path: Path) -> None:
    seen = tmp_path / "paged.txt"
    pager = f"{sys.executable} -c \"import sys,os; open({str(seen)!r},'w').write(os.environ['LESS'] + '|' + sys.stdin.read())\""
    env = {"TF_PAGER": pager}
    short = run_on_terminal("list", cwd=SEED, columns=80, lines=40, env=env)
    assert "Anti-Trafficking" in short and not seen.exists()
    tall = run_on_terminal("show", "2022-06-24", cwd=SEED, columns=80, lines=10, env=env)
    assert tall == "" and seen.read_text().startswith("FRX|")
    assert "Anti-Trafficking" in seen.read_text()
    seen.unlink()
    direct = run_on_terminal(
        "show", "2022-06-24", "--no-pager", cwd=SEED, columns=80, lines=10, env=env
    )
    assert "Anti-Trafficking" in direct and not seen.exists()


def test_a_missing_pager_still_shows_the_output() -> None:
    out = run_on_terminal(
        "show", "2022-06-24", cwd=SEED, columns=80, lines=10, env={"PAGER": "no-such-pager-tf"}
    )
    assert "Anti-Trafficking" in out


# -- progress ----------------------------------------------------------------------------------


def test_progress_only_when_long_and_on_a_terminal() -> None:
    now = [0.0]
    shown = Tty()
    p = Progress("Reading the minutes", shown, clock=lambda: now[0])
    p(10, 3000)  # too early to judge
    now[0] = 0.5
    p(100, 3000)  # 0.005 s a file: 15 s in all
    p(3000, 3000)
    p.close()
    assert "Reading the minutes" in shown.getvalue()
    quick = Tty()
    q = Progress("Reading the minutes", quick, clock=lambda: now[0])
    now[0] += 0.3
    q(2900, 3000)  # ~0.3 s in all: not worth a bar
    q.close()
    assert quick.getvalue() == ""
    piped = io.StringIO()
    r = Progress("Reading the minutes", piped, clock=lambda: now[0])
    now[0] += 5
    r(1, 3000)
    assert piped.getvalue() == "" and r.bar is None


def test_progress_never_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    now = [0.0]
    out = Tty()
    p = Progress("Reading", out, clock=lambda: now[0])
    now[0] = 5
    p(1, 3000)
    assert out.getvalue() == ""


def test_rich_is_not_imported_by_a_normal_run() -> None:
    code = (
        "import sys; sys.argv = ['tf', 'actions', '--today', '2022-07-09'];"
        "from tfcli.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich',)"
        "), file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    p = subprocess.run(
        [sys.executable, "-c", code], cwd=SEED, capture_output=True, text=True, env=env
    )
    assert p.stderr.strip().endswith("[]"), p.stderr
