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
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell

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
    wb: Workbook,
    title: str,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    layout: Layout,
) -> None:
    """One sheet, streamed (write-only mode: a tenth of the time of a normal sheet for
    thousands of rows); widths, frozen pane and filter are set before the first row."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet_name(title))
    table = [[cell_value(r.get(c.key)) for c in columns] for r in rows]
    widths = [len(c.header) for c in columns]
    for values in table:
        for i, v in enumerate(values):
            n = 10 if isinstance(v, date) else len(v) if isinstance(v, str) else 0
            widths[i] = max(widths[i], n)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(w + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    bold = Font(bold=True)
    fill = PatternFill("solid", start_color=_MARK_FILL, end_color=_MARK_FILL)

    # One style per kind of cell, shared: setting fill and format per cell hashes the style
    # objects each time, which took most of the time for thousands of rows.
    styles = {}
    for is_date in (False, True):
        for marked in (False, True):
            proto = WriteOnlyCell(ws)
            if is_date:
                proto.number_format = "yyyy-mm-dd"
            if marked:
                proto.fill = fill
            styles[is_date, marked] = proto._style  # type: ignore[attr-defined]

    def cell(value: Any, marked: bool) -> Cell:
        c = WriteOnlyCell(ws, value)
        if isinstance(value, str):
            c.data_type = "s"  # text starting with '=' is text, never a formula
        c._style = styles[isinstance(value, date), marked]  # type: ignore[attr-defined]
        return c

    header = [WriteOnlyCell(ws, c.header) for c in columns]
    for h in header:
        h.font = bold
    ws.append(header)
    for r, values in zip(rows, table, strict=True):
        marked = bool(layout.mark_key and r.get(layout.mark_key))
        ws.append([cell(v, marked) for v in values])


def sheet_name(text: str) -> str:
    return text.translate(_SHEET_BAD)[:31] or "-"


def workbook(rows: Sequence[dict[str, Any]], columns: Sequence[Column], layout: Layout) -> bytes:
    """The .xlsx file as bytes."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _fill_sheet(wb, layout.title, rows, columns, layout)
    if layout.split_key:
        key = layout.split_key
        seen = dict.fromkeys(str(r.get(key) or "") for r in rows)
        order = [v for v in layout.split_order if v in seen] + [
            v for v in seen if v not in layout.split_order
        ]
        for value in order:
            part = [r for r in rows if str(r.get(key) or "") == value]
            _fill_sheet(wb, value, part, columns, layout)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
