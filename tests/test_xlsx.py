"""`tf actions --format xlsx`: the workbook read back with openpyxl."""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

import pytest
import test_actions_cli
from test_actions_cli import TODAY, Tf

openpyxl = pytest.importorskip("openpyxl")
tf = test_actions_cli.tf  # the in-process `tf` fixture


def _formula_meeting(repo: Path) -> None:
    (repo / "minutes" / "2022-07-29-formula.md").write_text(
        "---\nformat: 1\ndate: 2022-07-29\nactions:\n"
        '  - id: 1\n    text: "=HYPERLINK(\\"http://x\\")"\n    owner: IOM\n    due: 2022-08-30\n---\n',
        encoding="utf-8",
    )


def test_workbook_has_the_tracker_rows_as_a_spreadsheet(tf: Tf, tracker: Path) -> None:
    _formula_meeting(tracker)
    out = tracker / "tracker.xlsx"
    r = tf(
        "actions", "--all", "--format", "xlsx", "--output", str(out), "--today", TODAY, cwd=tracker
    )
    assert (r.code, r.out) == (0, "")
    assert out.stat().st_mode & 0o777 == 0o644  # readable as any file tf creates
    wb = openpyxl.load_workbook(out)
    # Every row first, then one sheet per status that has actions, in the documented order.
    assert wb.sheetnames == ["Actions", "open", "in-progress", "done"]
    ws = wb["Actions"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H9"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("ID", "Due", "When", "Status", "Owner", "Text", "Meeting", "Overdue")
    by_id = {r[0]: r for r in rows[1:]}
    assert len(by_id) == 8
    # Dates are real dates; the overdue word can be filtered on; the row is filled red.
    assert by_id["2022-06-24/2"][1] == datetime(2022, 7, 22)  # as revised by a follow-up
    assert by_id["2022-06-24/2"][7] == "overdue"
    assert by_id["2022-07-08/1"][7] is None
    assert by_id["2022-07-08/3"][1] is None
    line = next(i for i, r in enumerate(rows, 1) if r[0] == "2022-06-24/2")
    assert ws.cell(line, 1).fill.start_color.rgb == "00FFC7CE"
    assert ws.cell(line, 2).number_format == "yyyy-mm-dd"
    ok = next(i for i, r in enumerate(rows, 1) if r[0] == "2022-07-29/1")
    assert ws.cell(ok, 1).fill.fill_type is None
    # Text from the minutes is text: never a formula, control characters escaped.
    assert ws.cell(ok, 6).data_type == "s"
    assert ws.cell(ok, 6).value == '=HYPERLINK("http://x")'
    assert by_id["2022-07-08/2"][5].endswith("\\x1b[0m\nsecond line")
    done = list(wb["done"].iter_rows(values_only=True))
    assert [r[3] for r in done[1:]] == ["done"] * (len(done) - 1)
    assert wb["done"].freeze_panes == "A2"


def test_xlsx_is_refused_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from tfcli.emit import emit_rows
    from tfcli.errors import UsageError
    from tfcli.output import Column, Format

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    with pytest.raises(UsageError, match="binary file; it is not shown on a terminal"):
        emit_rows([{"a": 1}], [Column("a", "A")], Format.xlsx)


def test_output_writes_text_formats_to_a_file(tf: Tf, tracker: Path) -> None:
    out = tracker / "open.csv"
    out.write_text("old", encoding="utf-8")
    r = tf("actions", "--format", "csv", "-o", str(out), "--today", TODAY, cwd=tracker)
    assert (r.code, r.out) == (0, "")
    assert out.read_text(encoding="utf-8").startswith(
        "id,due,when,status,owner,text,meeting,due_text\n"
    )
    r = tf("actions", "--format", "github", "-o", str(out), cwd=tracker)
    assert r.code == 2 and "--output is for the listing formats" in r.err


def test_list_as_a_workbook_through_a_pipe(tracker: Path) -> None:
    """`tf list --format xlsx > meetings.xlsx`: the same workbook writer, bytes on stdout."""
    import subprocess

    p = subprocess.run(
        [sys.executable, "-m", "tfcli", "list", "--format", "xlsx"],
        cwd=tracker,
        capture_output=True,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(io.BytesIO(p.stdout))
    assert wb.sheetnames == ["Meetings", "draft", "approved"]  # a sheet per minutes status
    rows = list(wb["Meetings"].iter_rows(values_only=True))
    assert rows[0] == (
        "Date",
        "ID",
        "Title",
        "Minutes",
        "Visibility",
        "Open actions",
        "Overdue",
        "File",
    )
    assert [r[0] for r in rows[1:]] == [
        datetime(2022, 6, 24),
        datetime(2022, 7, 8),
        datetime(2022, 7, 22),
    ]
