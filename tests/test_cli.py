"""The command line through its real entry point: exit codes, help, list and show output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from conftest import ROOT, SEED, assert_golden, run_tf

from tfcli import __version__
from tfcli.cli import app


def test_version() -> None:
    r = run_tf("--version")
    assert (r.code, r.out) == (0, f"tf {__version__}\n")


def test_help_names_exit_codes() -> None:
    r = run_tf("--help")
    assert r.code == 0
    flat = " ".join(r.out.split())
    assert "Exit codes: 0 clean; 1 findings" in flat
    assert "2 usage error; 3 data cannot be read or written (the minutes folder, tf.yml" in flat


def _commands() -> list[tuple[str, object]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, object]] = []

    def walk(prefix: str, cmd: object) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            out.append((f"{prefix} {name}".strip(), sub))
            walk(f"{prefix} {name}", sub)

    walk("", root)
    return out


COMMANDS = [name for name, _ in _commands()]


def test_the_expected_commands_exist() -> None:
    assert {"check", "list", "show"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_examples_and_docs(name: str) -> None:
    r = run_tf(*name.split(), "--help")
    assert r.code == 0, r.err
    assert "Examples:" in r.out, f"tf {name} --help has no examples"
    assert f"tf {name}" in r.out
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"## `tf {name}`" in docs, f"docs/cli.md does not document tf {name}"


def test_exit_code_clean() -> None:
    assert run_tf("check").code == 0


def test_exit_code_usage() -> None:
    r = run_tf("check", "--format", "yaml")
    assert r.code == 2
    assert "Traceback" not in r.err
    r = run_tf("show", "2099-01-01")
    assert (r.code, r.err) == (2, "tf: no meeting '2099-01-01' (see 'tf list')\n")
    r = run_tf("check", "--today", "tomorrow")
    assert (r.code, r.err) == (2, "tf: --today 'tomorrow' is not a date (write YYYY-MM-DD)\n")
    r = run_tf("list", "--format", "github")
    assert r.code == 2 and "tf: --format github is not available here" in r.err


def test_exit_code_unreadable_data(tmp_path: Path) -> None:
    r = run_tf("check", cwd=tmp_path)
    assert (r.code, r.out) == (3, "")
    assert r.err == (
        "tf: minutes folder not found: minutes "
        "(run tf inside the minutes repository, set 'minutes:' in tf.yml, or run 'tf init')\n"
    )
    (tmp_path / "tf.yml").write_text("group: A\ngroup: B\n")
    r = run_tf("list", cwd=tmp_path)
    assert r.code == 3
    assert r.err == (
        "tf: tf.yml:2:1: cannot read config: duplicate key 'group' (lines 1 and 2) "
        "(keep one of them)\n"
    )


def test_config_found_from_a_subfolder() -> None:
    r = run_tf("list", "--format", "csv", cwd=SEED / "minutes")
    assert r.code == 0
    assert r.out.splitlines()[1].startswith("2022-06-24,2022-06-24,Anti-Trafficking Task Force")


def test_list_formats() -> None:
    rows = json.loads(run_tf("list", "-f", "json", "--today", "2022-07-09").out)
    assert rows == [
        {
            "date": "2022-06-24",
            "id": "2022-06-24",
            "title": "Anti-Trafficking Task Force",
            "status": "approved",
            "visibility": "public",
            "open_actions": 2,
            "overdue_actions": 2,
            "path": "minutes/2022-06-24-anti-trafficking-task-force.md",
        }
    ]
    csv_out = run_tf("list", "-f", "csv", env={"TF_TODAY": "2022-07-09"}).out
    parsed = list(csv.DictReader(io.StringIO(csv_out)))
    assert parsed == [{k: str(v) for k, v in rows[0].items()}]
    assert run_tf("list", "-f", "markdown", "--today", "2022-07-08").out == (
        "| Date | ID | Title | Minutes | Visibility | Open actions | Overdue | File |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| 2022-06-24 | 2022-06-24 | Anti-Trafficking Task Force | approved | public | 2 | 0 | "
        "minutes/2022-06-24-anti-trafficking-task-force.md |\n"
    )


def test_show_seed_golden() -> None:
    r = run_tf("show", "2022-06-24", "--today", "2022-07-09")
    assert r.code == 0
    assert_golden(r.out, "show/2022-06-24.txt")


def test_user_text_is_never_terminal_markup(tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2022-01-01-x.md").write_text(
        '---\ndate: 2022-01-01\ntitle: "[bold red]Loud[/] \\e[2J\\a"\n---\n', encoding="utf-8"
    )
    r = run_tf("list", cwd=tmp_path)
    assert "[bold red]Loud[/] \\x1b[2J\\x07" in r.out
    assert "\x1b" not in r.out and "\x07" not in r.out
    r = run_tf("show", "2022-01-01", cwd=tmp_path)
    assert r.out.startswith("[bold red]Loud[/] \\x1b[2J\\x07 — 2022-01-01\n")


def test_internal_errors_are_an_answer_not_a_traceback(tmp_path: Path) -> None:
    # A minutes "folder" that is a file: reading it is an OS-level surprise, still answered.
    (tmp_path / "minutes").write_text("not a folder")
    r = run_tf("check", cwd=tmp_path)
    assert r.code == 3 and "Traceback" not in r.err


def test_csv_cells_cannot_become_spreadsheet_formulas(tmp_path: Path) -> None:
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2022-01-01-x.md").write_text(
        '---\ndate: 2022-01-01\ntitle: "=HYPERLINK(\\"http://evil\\",\\"x\\")"\n---\n'
    )
    rows = list(csv.DictReader(io.StringIO(run_tf("list", "-f", "csv", cwd=tmp_path).out)))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil","x")'


def test_a_required_argument_is_named_plainly_in_the_usage_line() -> None:
    r = run_tf("actions", "done", "-h")
    assert r.out.splitlines()[0].endswith(" actions done [OPTIONS] ID"), r.out
    assert (
        run_tf("actions", "due", "-h")
        .out.splitlines()[0]
        .endswith(" actions due [OPTIONS] ID YYYY-MM-DD")
    )


def test_cli_modules_stay_thin() -> None:
    """No logic in cli modules (the options and the calls): each well under ~400 lines."""
    for path in sorted((ROOT / "tfcli" / "cli").glob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines < 400, f"{path.name}: {lines} lines; move its logic into tfcli/"
