"""Rows as an Excel workbook (`--format xlsx`): the action-point matrix agencies circulate.
openpyxl is imported only here, and only when a workbook is asked for, so that `tf` starts
as fast as before."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from tfcli.output import Column, safe

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Excel's limits: sheet names of at most 31 characters, none of these.
_SHEET_BAD = str.maketrans({c: "-" for c in "[]:*?/\\"})
_MARK_FILL = "FFC7CE"  # Excel's own "light red fill" for bad values
_MAX_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Layout:
    """How rows become sheets: every row on the first sheet, then a sheet per value of
    `split_key` (in `split_order`, others after, empty ones left out); rows where
    `mark_key` is non-empty get a red fill."""

    title: str = "All"
    split_key: str | None = None
    split_order: tuple[str, ...] = ()
    mark_key: str | None = None


def cell_value(value: Any) -> Any:
    """Dates stay dates (Excel sorts and filters them); lists become text; text has its
    control characters escaped, which also keeps openpyxl from refusing it."""
    if value is None or isinstance(value, date | int | float):
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return safe(str(value))


def _fill_sheet(
    ws: Worksheet, rows: Sequence[dict[str, Any]], columns: Sequence[Column], layout: Layout
) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", start_color=_MARK_FILL, end_color=_MARK_FILL)
    widths = [len(c.header) for c in columns]
    for r in rows:
        values = [cell_value(r.get(c.key)) for c in columns]
        ws.append(values)
        marked = bool(layout.mark_key and r.get(layout.mark_key))
        for i, cell in enumerate(ws[ws.max_row]):
            if isinstance(values[i], str):
                cell.data_type = "s"  # text starting with '=' is text, never a formula
            elif isinstance(values[i], date):
                cell.number_format = "yyyy-mm-dd"
            if marked:
                cell.fill = fill
            widths[i] = max(widths[i], len(str(values[i] or "")))
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(w + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 1)}"


def sheet_name(text: str) -> str:
    return text.translate(_SHEET_BAD)[:31] or "-"


def workbook(rows: Sequence[dict[str, Any]], columns: Sequence[Column], layout: Layout) -> bytes:
    """The .xlsx file as bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_name(layout.title)
    _fill_sheet(ws, rows, columns, layout)
    if layout.split_key:
        key = layout.split_key
        seen = dict.fromkeys(str(r.get(key) or "") for r in rows)
        order = [v for v in layout.split_order if v in seen] + [
            v for v in seen if v not in layout.split_order
        ]
        for value in order:
            part = [r for r in rows if str(r.get(key) or "") == value]
            _fill_sheet(wb.create_sheet(sheet_name(value)), part, columns, layout)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
