"""Where a command's rows go: stdout or `--output FILE`, as text or as a binary format.
The formats themselves are output.write_rows (text) and tfcli.xlsx (workbook)."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfcli.errors import UsageError
from tfcli.output import Column, Format, write_rows

if TYPE_CHECKING:  # the workbook module only when a workbook is written
    from tfcli.xlsx import Layout

# Formats that are files, not text: written as bytes, never to a terminal.
BINARY = frozenset({Format.xlsx})


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    output: Path | None = None,
    json_rows: Sequence[dict[str, Any]] | None = None,
    layout: Layout | None = None,
) -> None:
    """Rows in `fmt` to `output` (replaced atomically, as a shell redirect would replace
    it, but never half-written) or to stdout."""
    if fmt in BINARY:
        if output is None and sys.stdout.isatty():
            raise UsageError(
                f"--format {fmt.value} is a binary file; it is not shown on a terminal",
                f"add --output FILE.{fmt.value}, or redirect: > FILE.{fmt.value}",
            )
        from tfcli.xlsx import Layout, workbook

        data = workbook(rows, columns, layout or Layout())
    elif output is None:
        write_rows(rows, columns, fmt, json_rows=json_rows)
        return
    else:
        text = io.StringIO()
        write_rows(rows, columns, fmt, text, json_rows)
        data = text.getvalue().encode("utf-8")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        from tfcli.write_report import replace_output

        replace_output(output, data)
